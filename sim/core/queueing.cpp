#include "sim/core/queueing.hpp"

#include <cmath>
#include <limits>

namespace stratus {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

bool unstable(int c, double lambda, double mu) {
    return c < 1 || !(lambda < c * mu);
}

// P(X + Y > t) for independent X ~ Exp(theta), Y ~ Exp(mu), t >= 0.
double hypoexponential_tail(double theta, double mu, double t) {
    // Written as e^{-mu t} (1 + mu t phi(d t)) with d = theta - mu and
    // phi(x) = (1 - e^{-x}) / x, which is smooth through d = 0 (the Erlang-2 case).
    const double x = (theta - mu) * t;
    if (x < -30.0) {
        // theta << mu: e^{-theta t} dominates; the textbook form has no cancellation here
        // and phi would overflow.
        return (mu * std::exp(-theta * t) - theta * std::exp(-mu * t)) / (mu - theta);
    }
    const double phi = (x == 0.0) ? 1.0 : -std::expm1(-x) / x;
    return std::exp(-mu * t) * (1.0 + mu * t * phi);
}

}  // namespace

double erlang_b(int c, double a) {
    if (a <= 0) return 0.0;
    if (c < 1) return 1.0;
    double b = 1.0;  // B(0, a)
    for (int k = 1; k <= c; ++k)
        b = a * b / (k + a * b);
    return b;
}

double erlang_c(int c, double a) {
    if (a <= 0) return 0.0;
    if (c < 1 || a >= c) return 1.0;
    const double b = erlang_b(c, a);
    return c * b / (c - a * (1.0 - b));
}

double mmc_mean_wait(int c, double lambda, double mu) {
    if (unstable(c, lambda, mu)) return kInf;
    return erlang_c(c, lambda / mu) / (c * mu - lambda);
}

double mmc_mean_response(int c, double lambda, double mu) {
    if (unstable(c, lambda, mu)) return kInf;
    return mmc_mean_wait(c, lambda, mu) + 1.0 / mu;
}

double mmc_wait_quantile(int c, double lambda, double mu, double q) {
    if (unstable(c, lambda, mu) || q >= 1) return kInf;
    const double wait_prob = erlang_c(c, lambda / mu);
    if (q <= 1.0 - wait_prob) return 0.0;
    return std::log(wait_prob / (1.0 - q)) / (c * mu - lambda);
}

double mmc_response_tail(int c, double lambda, double mu, double t) {
    if (unstable(c, lambda, mu)) return 1.0;
    if (t <= 0) return 1.0;
    const double wait_prob = erlang_c(c, lambda / mu);
    const double theta = c * mu - lambda;
    return (1.0 - wait_prob) * std::exp(-mu * t) + wait_prob * hypoexponential_tail(theta, mu, t);
}

double mmc_response_quantile(int c, double lambda, double mu, double q) {
    if (unstable(c, lambda, mu) || q >= 1) return kInf;
    if (q <= 0) return 0.0;
    const double target = 1.0 - q;
    // Bracket: the tail is decreasing from 1 at t = 0; double hi until it drops below target.
    double lo = 0.0;
    double hi = 1.0 / mu + mmc_mean_wait(c, lambda, mu);
    while (mmc_response_tail(c, lambda, mu, hi) > target) {
        lo = hi;
        hi *= 2.0;
    }
    for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; ++i) {
        const double mid = 0.5 * (lo + hi);
        if (mmc_response_tail(c, lambda, mu, mid) > target) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return 0.5 * (lo + hi);
}

}  // namespace stratus
