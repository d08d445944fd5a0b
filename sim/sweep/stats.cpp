#include "sim/sweep/stats.hpp"

#include <cmath>
#include <limits>

#include <boost/math/distributions/students_t.hpp>

namespace stratus::sweep {

double student_t_975(int dof) {
    if (dof < 1) return std::numeric_limits<double>::quiet_NaN();
    return boost::math::quantile(boost::math::students_t(static_cast<double>(dof)), 0.975);
}

MeanCi mean_ci95(const std::vector<double>& values) {
    MeanCi r;
    r.n = static_cast<int>(values.size());
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (r.n == 0) {
        r.mean = r.half_width = r.sd = nan;
        return r;
    }
    double sum = 0;
    for (double v : values)
        sum += v;
    r.mean = sum / r.n;
    if (r.n < 2) {
        r.half_width = r.sd = nan;
        return r;
    }
    double ss = 0;
    for (double v : values)
        ss += (v - r.mean) * (v - r.mean);
    r.sd = std::sqrt(ss / (r.n - 1));
    r.half_width = student_t_975(r.n - 1) * r.sd / std::sqrt(static_cast<double>(r.n));
    return r;
}

std::vector<std::size_t> pareto_front(const std::vector<std::pair<double, double>>& points,
                                      bool maximize_first, bool maximize_second) {
    auto better_or_equal = [](double a, double b, bool maximize) {
        return maximize ? a >= b : a <= b;
    };
    std::vector<std::size_t> front;
    for (std::size_t i = 0; i < points.size(); ++i) {
        bool dominated = false;
        for (std::size_t j = 0; j < points.size() && !dominated; ++j) {
            if (i == j) continue;
            const auto& p = points[j];
            const auto& q = points[i];
            dominated = better_or_equal(p.first, q.first, maximize_first) &&
                        better_or_equal(p.second, q.second, maximize_second) &&
                        (p.first != q.first || p.second != q.second);
        }
        if (!dominated) front.push_back(i);
    }
    return front;
}

}  // namespace stratus::sweep
