#pragma once
// The statistics a sweep reports: the mean of a figure over a point's replications with its
// 95 % confidence interval (Student t), and the Pareto front of two figures.
#include <cstddef>
#include <utility>
#include <vector>

namespace stratus::sweep {

struct MeanCi {
    double mean = 0;
    double half_width = 0;  // the interval is mean +- half_width; NaN with fewer than 2 values
    double sd = 0;          // sample standard deviation (n - 1); NaN with fewer than 2 values
    int n = 0;
};

// t such that P(T <= t) = 0.975 for Student's t with `dof` degrees of freedom (Boost.Math).
double student_t_975(int dof);

// Mean and 95 % confidence interval: mean +- t(0.975, n-1) * sd / sqrt(n).
MeanCi mean_ci95(const std::vector<double>& values);

// The indices of the points no other point dominates. A point dominates another when it is
// at least as good in both figures and better in one; "good" is smaller unless maximize_*.
// Ties (equal in both) are all kept. Indices in increasing order.
std::vector<std::size_t> pareto_front(const std::vector<std::pair<double, double>>& points,
                                      bool maximize_first = false, bool maximize_second = false);

}  // namespace stratus::sweep
