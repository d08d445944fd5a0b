#include "sim/cloud/fluid_queue.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace stratus::cloud {
namespace {

// The conditional means of the eight equal-probability bins of N(0, 1): the EWMA's spread
// as eight equally likely points.
constexpr double kNormalPoints[] = {-1.646828, -0.895384, -0.491349, -0.157976,
                                    0.157976,  0.491349,  0.895384,  1.646828};

// Request mode's estimate of the service time is an EWMA of weight 1/64: its variance is
// Var(S) x (1/64) / (2 - 1/64) = Var(S) / 127.
constexpr double kEwmaVarianceShare = 1.0 / 127.0;

// The longest the queue's random walk is taken to have wandered (s): a backlog that
// hardly moves (drift near 0) is not infinitely uncertain.
constexpr double kMaxWanderS = 300.0;

// P(every worker busy and at least k requests queued).
double queue_tail(const FluidQueue& q, double k) {
    if (k > q.cap + 0.5) return 0.0;  // never more than the bound
    const bool backlogged = q.backlog > 1e-9 || q.drift >= 0;
    if (!backlogged) {
        // M/M/c in steady state with a bounded queue: P(wait) x the truncated geometric's
        // tail, (rho^k - rho^K) / (1 - rho^K); near rho = 1 it is (K - k) / K, not 1.
        if (k <= 0) return q.wait_prob;
        if (q.wait_prob <= 0 || q.rho <= 0) return 0.0;
        const double at_cap = std::pow(q.rho, q.cap);
        const double tail = q.rho < 1.0 && 1.0 - at_cap > 1e-12
                                ? (std::pow(q.rho, k) - at_cap) / (1.0 - at_cap)
                                : (q.cap - k) / q.cap;
        return q.wait_prob * std::clamp(tail, 0.0, 1.0);
    }
    if (k <= 0) return 1.0;
    const double sigma2 = std::max(q.variance_rate, 1e-9);
    if (q.drift > 0) {
        // Growing towards the bound or held there: a random walk with drift theta and
        // variance sigma^2 per second, reflected at the cap K (request mode refuses beyond
        // it). Its distance D below K is, by time reversal, the larger of K - W(t) and the
        // deepest dip of W, W the free walk; the reflection principle gives
        //   P(Q >= k) = P(D < y) = P(W > k - 1/2) - exp(-2 theta y / sigma^2) P(W > K + y),
        // y = K - k + 1/2, W ~ N(walk_mean, walk_var). Held long at the cap this is
        // 1 - exp(-2 theta y / sigma^2): for M/M/c at max_queue the truncated geometric of
        // ratio 1 / rho.
        const double sd = std::sqrt(std::max(q.walk_var, 0.25)) * std::sqrt(2.0);
        const double y = q.cap - k + 0.5;
        const double below = 0.5 * std::erfc((k - 0.5 - q.walk_mean) / sd);
        const double mirrored = 0.5 * std::erfc((q.cap + y - q.walk_mean) / sd);
        const double p = below - std::exp(-2.0 * q.drift * y / sigma2) * mirrored;
        return std::clamp(p, 0.0, 1.0);
    }
    // Draining: around the fluid backlog with the spread the walk gathered in the time the
    // fluid takes to drain it.
    const double drift = -q.drift;
    const double wander = drift > 0 ? std::min(q.backlog / drift, kMaxWanderS) : kMaxWanderS;
    const double sd = std::sqrt(std::max(sigma2 * wander, 1.0));
    return 0.5 * std::erfc((k - 0.5 - q.backlog) / (sd * std::sqrt(2.0)));
}

}  // namespace

double health_check_timeout_probability(const FluidQueue& q, int workers, double extra_s,
                                        double timeout_s) {
    // A check waits for a worker only when all are busy; then it is answered after
    // (queued + 1) / workers x m + extra, m the EWMA. It fails when that exceeds the timeout:
    // queued >= floor(workers x (timeout - extra) / m).
    const double room = timeout_s - extra_s;
    if (room < 0) return 1.0;
    if (q.mean_service_s <= 0 || workers <= 0) return 0.0;
    const double sd = q.mean_service_s * std::sqrt(q.service_cv2 * kEwmaVarianceShare);
    double p = 0;
    for (double z : kNormalPoints) {
        const double m = std::max(q.mean_service_s + z * sd, 1e-3 * q.mean_service_s);
        const double k = std::floor(workers * room / m);
        p += queue_tail(q, k);
    }
    return std::min(1.0, p / static_cast<double>(std::size(kNormalPoints)));
}

double health_check_timeout_bound(const FluidQueue& q, int workers, double extra_s,
                                  double timeout_s) {
    // The queue's tail falls with k, so the average over the EWMA's points is at most the
    // tail at the smallest threshold (the largest EWMA point): one tail instead of eight.
    const double room = timeout_s - extra_s;
    if (room < 0) return 1.0;
    if (q.mean_service_s <= 0 || workers <= 0) return 0.0;
    const double sd = q.mean_service_s * std::sqrt(q.service_cv2 * kEwmaVarianceShare);
    const double z = kNormalPoints[std::size(kNormalPoints) - 1];
    const double m = std::max(q.mean_service_s + z * sd, 1e-3 * q.mean_service_s);
    return queue_tail(q, std::floor(workers * room / m));
}

bool health_check_may_time_out(const FluidQueue& q, int workers, double extra_s, double timeout_s) {
    // Performance: asked of instances with traffic at many fluid steps, nearly always of a
    // queue far from the threshold, which the bound decides with the same answer.
    if (health_check_timeout_bound(q, workers, extra_s, timeout_s) < kNegligibleCheckFailure)
        return false;
    return health_check_timeout_probability(q, workers, extra_s, timeout_s) >=
           kNegligibleCheckFailure;
}

}  // namespace stratus::cloud
