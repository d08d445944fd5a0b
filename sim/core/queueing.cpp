#include "sim/core/queueing.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

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

// One exponential phase (rate rate) of a pure-death process with departures at min(j, c) mu:
// x, the distribution over 0..K at its start, becomes the distribution at its end.
void death_phase(std::vector<double>& x, double rate, int c, double mu) {
    double down = 0;  // probability carried down into state j from above
    for (std::size_t j = x.size(); j-- > 0;) {
        const double out = std::min(static_cast<double>(j), static_cast<double>(c)) * mu;
        const double reached = x[j] + down;
        x[j] = reached * rate / (rate + out);
        down = reached * out / (rate + out);
    }
}

// P[i][j]: j in the system just before the next arrival, i just before this one, the gap
// between them of order k (k phases at rate).
std::vector<std::vector<double>> arrival_step(int k, double rate, int c, double mu,
                                              std::size_t states) {
    std::vector<std::vector<double>> p(states, std::vector<double>(states, 0.0));
    for (std::size_t i = 0; i < states; ++i) {
        std::vector<double>& row = p[i];
        row[std::min(i + 1, states - 1)] = 1.0;  // the arrival joins, unless refused
        for (int phase = 0; phase < k; ++phase)
            death_phase(row, rate, c, mu);
    }
    return p;
}

// The stationary distribution of the stochastic matrix p by Grassmann-Taksar-Heyman state
// reduction (no subtraction: stable for the near-singular chains of a queue near capacity).
std::vector<double> stationary_gth(std::vector<std::vector<double>> p) {
    const std::size_t n = p.size();
    for (std::size_t k = n; k-- > 1;) {
        double s = 0;
        for (std::size_t j = 0; j < k; ++j)
            s += p[k][j];
        if (s <= 0) continue;  // k is not left towards lower states: nothing to fold
        for (std::size_t i = 0; i < k; ++i) {
            const double f = p[i][k] / s;
            if (f == 0) continue;
            for (std::size_t j = 0; j < k; ++j)
                p[i][j] += f * p[k][j];
        }
    }
    std::vector<double> pi(n, 0.0);
    pi[0] = 1.0;
    double total = 1.0;
    for (std::size_t k = 1; k < n; ++k) {
        double s = 0, in = 0;
        for (std::size_t j = 0; j < k; ++j) {
            s += p[k][j];
            in += pi[j] * p[j][k];
        }
        pi[k] = s > 0 ? in / s : 0.0;
        total += pi[k];
    }
    for (double& v : pi)
        v /= total;
    return pi;
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

double loss_occupancy_dispersion(int places, double a) {
    if (a <= 0 || places < 1) return 1.0;
    // Weights relative to P(K), downwards: P(n - 1) / P(n) = n / a, until they no longer count
    // (past the mode, below K and a alike). Mean and variance of K - n, then of n.
    double w = 1.0, sum = 0, first = 0, second = 0;
    for (int j = 0; j <= places; ++j) {
        sum += w;
        first += w * j;
        second += w * j * static_cast<double>(j);
        const int n = places - j;
        if (n == 0) break;
        w *= n / a;
        if (w > 1e100) {  // far below a bound that is far above the mode: rescale
            w *= 1e-100;
            sum *= 1e-100;
            first *= 1e-100;
            second *= 1e-100;
        }
        if (w < 1e-12 * sum && n < a) break;
    }
    const double mean_gap = first / sum;
    const double var = second / sum - mean_gap * mean_gap;
    const double mean = places - mean_gap;
    return mean > 0 ? std::max(0.0, var) / mean : 1.0;
}

double erlang_c(int c, double a) {
    if (a <= 0) return 0.0;
    if (c < 1 || a >= c) return 1.0;
    const double b = erlang_b(c, a);
    return c * b / (c - a * (1.0 - b));
}

double whitt_gigm_factor(int m, double rho, double ca2, double cs2) {
    if (!(rho > 0.0) || !(rho < 1.0) || m < 1) return 1.0;
    const double md = static_cast<double>(m);
    const double gamma = std::min(
        0.24, (1.0 - rho) * (md - 1.0) * (std::sqrt(4.0 + 5.0 * md) - 2.0) / (16.0 * md * rho));
    const double phi1 = 1.0 + gamma;
    const double phi3 = (1.0 - 4.0 * gamma) * std::exp(-2.0 * (1.0 - rho) / (3.0 * rho));
    const double phi4 = std::min(1.0, 0.5 * (phi1 + phi3));
    const double z = 0.5 * (ca2 + cs2);
    const double psi = z >= 1.0 ? 1.0 : std::pow(phi4, 2.0 * (1.0 - z));
    if (ca2 >= cs2) {
        const double d = 4.0 * ca2 - 3.0 * cs2;
        return d > 0.0 ? (4.0 * (ca2 - cs2) * phi1 + cs2 * psi) / d : psi;
    }
    return ((cs2 - ca2) * phi3 + (cs2 + 3.0 * ca2) * psi) / (2.0 * (ca2 + cs2));
}

double erlang_d1_mean_wait(int k, double rho, long budget) {
    if (!(rho > 0.0) || !(rho < 1.0) || k < 1) return rho > 0.0 ? kInf : 0.0;
    // Relative tolerances: the sum to 1e-7 of itself, each Poisson tail to 1e-9 of itself.
    double wait = 0;
    long work = 0;
    for (long j = 1;; ++j) {
        const double m = static_cast<double>(j) * k;
        const double mu = m * rho;
        const double pmf = std::exp(m * std::log(mu) - mu - std::lgamma(m + 1.0));
        double tail = 0, term = 1;  // P(N > m) / p(m): the ratios mu / (m + i) multiplied on
        for (double i = 1;; ++i) {
            term *= mu / (m + i);
            tail += term;
            if (++work > budget) return -1.0;
            if (term < 1e-9 * (1.0 + tail)) break;
        }
        const double part = pmf * (1.0 - tail * (1.0 - rho) / rho);
        wait += part;
        if (part <= 1e-7 * wait || pmf < 1e-300) return wait;
    }
}

double mg1_conditional_wait_cv2(double rho, double moment_ratio) {
    return 2.0 * rho + 4.0 * (1.0 - rho) * moment_ratio / 3.0 - 1.0;
}

double balanced_h2_split(double cv2) {
    return cv2 > 1.0 ? 0.5 * (1.0 + std::sqrt((cv2 - 1.0) / (cv2 + 1.0))) : 0.5;
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

double erlang_gaps_full(const std::vector<int>& gaps, double lambda, int c, double mu, int places) {
    if (gaps.empty() || lambda <= 0 || c < 1 || places < 0) return 0.0;
    double mean = 0;
    for (int k : gaps) {
        if (k < 1) return 0.0;
        mean += k;
    }
    mean /= static_cast<double>(gaps.size());
    const double rate = lambda * mean;  // the stream's: each phase of a gap is one of its gaps
    const auto states = static_cast<std::size_t>(c + places) + 1;
    std::vector<std::vector<std::vector<double>>> steps;
    for (int k : gaps)
        steps.push_back(arrival_step(k, rate, c, mu, states));
    // The chain over a whole cycle, from before its first arrival to before the next cycle's.
    std::vector<std::vector<double>> cycle = steps.front();
    for (std::size_t g = 1; g < steps.size(); ++g) {
        std::vector<std::vector<double>> next(states, std::vector<double>(states, 0.0));
        for (std::size_t i = 0; i < states; ++i)
            for (std::size_t m = 0; m < states; ++m)
                for (std::size_t j = 0; j < states; ++j)
                    next[i][j] += cycle[i][m] * steps[g][m][j];
        cycle = std::move(next);
    }
    std::vector<double> pi = stationary_gth(cycle);
    // The cycle's arrivals in turn: each finds the distribution its predecessors left.
    double full = 0;
    for (std::size_t g = 0; g < steps.size(); ++g) {
        full += pi.back();
        if (g + 1 == steps.size()) break;
        std::vector<double> next(states, 0.0);
        for (std::size_t i = 0; i < states; ++i)
            for (std::size_t j = 0; j < states; ++j)
                next[j] += pi[i] * steps[g][i][j];
        pi = std::move(next);
    }
    return full / static_cast<double>(steps.size());
}

}  // namespace stratus
