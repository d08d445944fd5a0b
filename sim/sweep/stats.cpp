#include "sim/sweep/stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include "sim/core/random.hpp"

namespace stratus::sweep {

// Boost.Math computes a double's quantile in long double by default, and its start-up tables for
// long double overflow under valgrind (which runs long double as double): callgrind and memcheck
// abort before main. In double the t and normal quantiles move by at most 7e-16 (relative).
using DoublePolicy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;

double student_t_975(int dof) {
    if (dof < 1) return std::numeric_limits<double>::quiet_NaN();
    return boost::math::quantile(
        boost::math::students_t_distribution<double, DoublePolicy>(static_cast<double>(dof)),
        0.975);
}

MeanCi mean_ci95(const std::vector<double>& values) {
    MeanCi r;
    r.n = static_cast<int>(values.size());
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (r.n == 0) {
        r.mean = r.half_width = r.sd = r.low = r.high = nan;
        return r;
    }
    double sum = 0;
    for (double v : values)
        sum += v;
    r.mean = sum / r.n;
    if (r.n < 2) {
        r.half_width = r.sd = r.low = r.high = nan;
        return r;
    }
    double ss = 0;
    for (double v : values)
        ss += (v - r.mean) * (v - r.mean);
    r.sd = std::sqrt(ss / (r.n - 1));
    r.half_width = student_t_975(r.n - 1) * r.sd / std::sqrt(static_cast<double>(r.n));
    r.low = r.mean - r.half_width;
    r.high = r.mean + r.half_width;
    return r;
}

MeanCi mean_bootstrap95(const std::vector<double>& values) {
    MeanCi r = mean_ci95(values);
    if (r.n < 2) return r;
    r.half_width = std::numeric_limits<double>::quiet_NaN();
    constexpr int kResamples = 10000;
    RandomStream rng(1, "sweep/bootstrap");
    std::vector<double> means(kResamples);
    for (double& m : means) {
        double sum = 0;
        for (int i = 0; i < r.n; ++i)
            sum += values[rng.below(static_cast<std::uint64_t>(r.n))];
        m = sum / r.n;
    }
    std::sort(means.begin(), means.end());
    // The 250th and 9751st of 10,000 sorted means: 2.5 % of them lie beyond each end.
    r.low = means[kResamples / 40 - 1];
    r.high = means[kResamples - kResamples / 40];
    return r;
}

bool bounded_percent(const std::string& figure) {
    return figure.find("percent") != std::string::npos;
}

MeanCi paired_difference(const std::vector<double>& a, const std::vector<double>& b) {
    std::vector<double> d;
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i)
        if (!std::isnan(a[i]) && !std::isnan(b[i])) d.push_back(a[i] - b[i]);
    return mean_ci95(d);
}

std::pair<double, double> wilson_ci95(int k, int n) {
    if (n <= 0)
        return {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
    const double z =
        boost::math::quantile(boost::math::normal_distribution<double, DoublePolicy>(), 0.975);
    const double p = static_cast<double>(k) / n, z2n = z * z / n;
    const double centre = (p + z2n / 2) / (1 + z2n);
    const double half = z * std::sqrt(p * (1 - p) / n + z2n / (4.0 * n)) / (1 + z2n);
    return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
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

std::vector<std::size_t> pareto_front_beyond_noise(
    const std::vector<std::pair<double, double>>& points, bool maximize_first, bool maximize_second,
    const Tolerance& tolerance) {
    // Both figures as "smaller is better".
    auto a = [&](std::size_t i) { return maximize_first ? -points[i].first : points[i].first; };
    auto b = [&](std::size_t i) { return maximize_second ? -points[i].second : points[i].second; };
    std::vector<std::size_t> order(points.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        return a(x) < a(y) || (a(x) == a(y) && b(x) < b(y));
    });
    auto tol = [&](std::size_t i, std::size_t j, int axis) {
        const double t = tolerance ? tolerance(i, j, axis) : 0.0;
        return std::isnan(t) ? 0.0 : std::fabs(t);
    };
    std::vector<std::size_t> front;
    for (std::size_t q : order) {
        if (!front.empty() && !(b(q) < b(front.back()) - tol(front.back(), q, 1)))
            continue;  // not better in the second figure beyond the noise
        // As good in the first figure (within the noise) and better in the second: the
        // points before it on the front are beaten.
        while (!front.empty() && a(q) <= a(front.back()) + tol(front.back(), q, 0) &&
               b(q) < b(front.back()) - tol(front.back(), q, 1))
            front.pop_back();
        front.push_back(q);
    }
    std::sort(front.begin(), front.end());
    return front;
}

}  // namespace stratus::sweep
