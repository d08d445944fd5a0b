#pragma once
// The statistics a sweep reports: the mean of a figure over a point's replications with its
// 95 % confidence interval (Student t; a bootstrap for figures bounded to [0, 100] such as
// availability, so the interval never leaves its bounds), paired differences between points
// (common random numbers), the Wilson interval of a share of replications, and the Pareto
// front of two figures with ties within the intervals dropped.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace stratus::sweep {

struct MeanCi {
    double mean = 0;
    double half_width = 0;     // Student t: the interval is mean +- half_width; NaN with fewer
                               // than 2 values, and for a bootstrap interval (not symmetric)
    double sd = 0;             // sample standard deviation (n - 1); NaN with fewer than 2 values
    double low = 0, high = 0;  // the 95 % interval; NaN with fewer than 2 values
    int n = 0;
};

// t such that P(T <= t) = 0.975 for Student's t with `dof` degrees of freedom (Boost.Math).
double student_t_975(int dof);

// Mean and 95 % confidence interval: mean +- t(0.975, n-1) * sd / sqrt(n).
MeanCi mean_ci95(const std::vector<double>& values);

// Mean and 95 % percentile-bootstrap interval: 10,000 resamples of the values with
// replacement (a fixed seed: the same values give the same interval), the 2.5th and 97.5th
// percentiles of their means. Every resample's mean lies between the smallest and the largest
// value, so the interval stays within the figure's bounds (availability never above 100 %).
MeanCi mean_bootstrap95(const std::vector<double>& values);

// Whether a figure is bounded to [0, 100] (a percentage: its name contains "percent"), and so
// gets the bootstrap interval.
bool bounded_percent(const std::string& figure);

// The paired differences a[i] - b[i] (pairs where either is NaN are skipped): their mean and
// Student t interval. Under common random numbers replication i of two points saw the same
// traffic, so the interval is that of the policy's effect, much tighter than either point's.
MeanCi paired_difference(const std::vector<double>& a, const std::vector<double>& b);

// Wilson score interval (95 %) of a share: k successes of n. Within [0, 1]; {NaN, NaN} for
// n = 0.
std::pair<double, double> wilson_ci95(int k, int n);

// The indices of the points no other point dominates. A point dominates another when it is
// at least as good in both figures and better in one; "good" is smaller unless maximize_*.
// Ties (equal in both) are all kept. Indices in increasing order.
std::vector<std::size_t> pareto_front(const std::vector<std::pair<double, double>>& points,
                                      bool maximize_first = false, bool maximize_second = false);

// The Pareto front without ties: points that differ by less than the interval of their
// difference are one point. `tolerance(i, j, axis)` is that interval's half-width for points
// i and j on axis 0 or 1 (0 compares exactly). Walking the points from the best first figure
// (then the best second), a point joins the front only if it beats the second figure of the
// last point on the front by more than the tolerance; if its first figure is within the
// tolerance of that last point's, it replaces it (it is as good there and better in the
// second). Indices in increasing order.
using Tolerance = std::function<double(std::size_t i, std::size_t j, int axis)>;
std::vector<std::size_t> pareto_front_beyond_noise(
    const std::vector<std::pair<double, double>>& points, bool maximize_first, bool maximize_second,
    const Tolerance& tolerance);

}  // namespace stratus::sweep
