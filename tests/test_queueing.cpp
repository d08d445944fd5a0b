#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "sim/core/queueing.hpp"
#include "sim/core/random.hpp"

namespace test_queueing {

using namespace stratus;

namespace {

// Integral of the response-time tail over [0, inf), by Simpson's rule on a long range:
// equals E[T] for a non-negative variable.
double integrate_tail(int c, double lambda, double mu) {
    const double end = 60.0 * mmc_mean_response(c, lambda, mu);
    const int n = 200000;  // even
    const double h = end / n;
    double s = mmc_response_tail(c, lambda, mu, 0.0) + mmc_response_tail(c, lambda, mu, end);
    for (int i = 1; i < n; ++i)
        s += (i % 2 ? 4.0 : 2.0) * mmc_response_tail(c, lambda, mu, i * h);
    return s * h / 3.0;
}

// Request by request: a Poisson stream at rate stream, the queue taking the arrivals of a
// repeating cycle of positions (every gaps[0]-th, then gaps[1] further on, ...), c servers
// at rate mu each, room for places waiting. The share of its arrivals refused.
double simulated_full(const std::vector<int>& gaps, double stream, int c, double mu, int places,
                      int arrivals, std::uint64_t seed) {
    RandomStream rng(seed, "erlang_gaps_full");
    std::vector<double> ends;  // the servers' departure times
    int waiting = 0, refused = 0;
    double t = 0;
    for (int a = 0; a < arrivals; ++a) {
        for (int k = 0; k < gaps[static_cast<std::size_t>(a) % gaps.size()]; ++k)
            t += rng.exponential(1.0 / stream);
        // Departures before t: each frees a server for the head of the queue.
        for (;;) {
            auto first = std::min_element(ends.begin(), ends.end());
            if (first == ends.end() || *first > t) break;
            if (waiting > 0) {
                --waiting;
                *first += rng.exponential(1.0 / mu);
            } else {
                ends.erase(first);
            }
        }
        if (static_cast<int>(ends.size()) < c) {
            ends.push_back(t + rng.exponential(1.0 / mu));
        } else if (waiting < places) {
            ++waiting;
        } else {
            ++refused;
        }
    }
    return static_cast<double>(refused) / arrivals;
}

}  // namespace

TEST_CASE("erlang_c matches known values", "[queueing]") {
    for (double rho : {0.1, 0.5, 0.9, 0.99})
        CHECK(erlang_c(1, rho) == Approx(rho).epsilon(1e-12));
    CHECK(erlang_c(2, 1.0) == Approx(1.0 / 3.0).epsilon(1e-12));
    // Textbook table: 10 agents, 8 erlangs -> 40.9% wait (direct-sum formula: 0.40918015).
    CHECK(erlang_c(10, 8.0) == Approx(0.4091801507964435).epsilon(1e-10));
    CHECK(erlang_c(10, 5.0) == Approx(0.036105359158320194).epsilon(1e-10));
    CHECK(erlang_c(100, 90.0) == Approx(0.21694048090636636).epsilon(1e-9));
    // Large c: the recursion stays finite where factorials would overflow.
    const double big = erlang_c(2000, 1950.0);
    CHECK(big > 0.0);
    CHECK(big < 1.0);
    CHECK(erlang_c(3, 3.0) == 1.0);
    CHECK(erlang_c(3, 5.0) == 1.0);
    CHECK(erlang_c(3, 0.0) == 0.0);
}

TEST_CASE("erlang_b matches the direct formula", "[queueing]") {
    CHECK(erlang_b(1, 2.0) == Approx(2.0 / 3.0).epsilon(1e-12));
    CHECK(erlang_b(10, 8.0) == Approx(0.12166106425295149).epsilon(1e-10));
    CHECK(erlang_b(5, 2.0) == Approx(0.03669724770642202).epsilon(1e-10));
}

TEST_CASE("M/M/c mean wait and response", "[queueing]") {
    // M/M/1: W = rho / (mu - lambda), T = 1 / (mu - lambda).
    CHECK(mmc_mean_wait(1, 8.0, 10.0) == Approx(0.8 / 2.0).epsilon(1e-12));
    CHECK(mmc_mean_response(1, 8.0, 10.0) == Approx(0.5).epsilon(1e-12));
    // M/M/2, lambda = mu = 1: C = 1/3, W = C / (2 - 1), T = W + 1.
    CHECK(mmc_mean_wait(2, 1.0, 1.0) == Approx(1.0 / 3.0).epsilon(1e-12));
    CHECK(mmc_mean_response(2, 1.0, 1.0) == Approx(4.0 / 3.0).epsilon(1e-12));
    CHECK(mmc_mean_wait(3, 0.0, 1.0) == 0.0);

    const double inf = std::numeric_limits<double>::infinity();
    CHECK(mmc_mean_wait(2, 2.0, 1.0) == inf);
    CHECK(mmc_mean_response(2, 3.0, 1.0) == inf);
    CHECK(mmc_wait_quantile(1, 1.0, 1.0, 0.5) == inf);
    CHECK(mmc_response_quantile(4, 4.0, 1.0, 0.5) == inf);
}

TEST_CASE("M/M/c waiting-time quantile", "[queueing]") {
    const int c = 10;
    const double lambda = 8.0, mu = 1.0;
    const double wait_prob = erlang_c(c, lambda / mu);
    // Below the no-wait mass the quantile is 0.
    CHECK(mmc_wait_quantile(c, lambda, mu, 0.5) == 0.0);
    CHECK(mmc_wait_quantile(c, lambda, mu, 1.0 - wait_prob) == 0.0);
    for (double q : {0.7, 0.9, 0.99, 0.999}) {
        const double t = mmc_wait_quantile(c, lambda, mu, q);
        const double tail = wait_prob * std::exp(-(c * mu - lambda) * t);
        CHECK(tail == Approx(1.0 - q).epsilon(1e-10));
    }
    CHECK(mmc_wait_quantile(c, lambda, mu, 1.0) == std::numeric_limits<double>::infinity());
}

TEST_CASE("E_k/D/1 mean wait: Pollaczek-Khinchine for k = 1 and round robin's for k > 1",
          "[queueing]") {
    // k = 1 is M/D/1: E[W] = rho / (2 (1 - rho)) service times (Pollaczek-Khinchine). The sum
    // stops at a term under 1e-7 of itself; the terms left add up to under 1e-4 of it here.
    for (double rho : {0.3, 0.5, 0.85, 0.9})
        CHECK(erlang_d1_mean_wait(1, rho, 1000000) == Approx(rho / (2 * (1 - rho))).epsilon(1e-4));
    // Every 20th of a Poisson stream, constant service at rho 0.85 (10 round-robin targets of 2
    // workers: each worker takes every 20th request): a Lindley recursion of 300,000 Erlang-20
    // gaps gives 1.726 ms of 25 ms, request mode's 10 c5.large 1.68-1.78 ms (seeds 1-4),
    // Kingman's heavy-traffic (1/20) / 2 x rho / (1 - rho) = 0.1417 twice as much.
    CHECK(erlang_d1_mean_wait(20, 0.85, 1000000) == Approx(1.726 / 25).epsilon(0.02));
    // Smoother arrivals wait less; heavier load more.
    CHECK(erlang_d1_mean_wait(40, 0.85, 1000000) < erlang_d1_mean_wait(20, 0.85, 1000000));
    CHECK(erlang_d1_mean_wait(20, 0.9, 1000000) > erlang_d1_mean_wait(20, 0.85, 1000000));
    // Near rho = 1 the sum needs many terms: past the budget, -1 (the caller's fallback).
    CHECK(erlang_d1_mean_wait(20, 0.99, 1000) == -1.0);
    CHECK(erlang_d1_mean_wait(20, 0.0, 1000) == 0.0);
}

TEST_CASE("M/M/1 response time is exponential with rate mu - lambda", "[queueing]") {
    const double lambda = 7.0, mu = 10.0;
    for (double q : {0.01, 0.5, 0.9, 0.99, 0.9999}) {
        CHECK(mmc_response_quantile(1, lambda, mu, q) ==
              Approx(-std::log(1.0 - q) / (mu - lambda)).epsilon(1e-9));
    }
    CHECK(mmc_response_quantile(1, lambda, mu, 0.0) == 0.0);
    CHECK(mmc_response_tail(1, lambda, mu, 0.0) == 1.0);
}

TEST_CASE("M/M/c response tail integrates to the mean response", "[queueing]") {
    struct Case {
        int c;
        double lambda, mu;
    };
    // theta = c mu - lambda: above mu, equal to mu (Erlang-2 limit), just off mu, far below mu.
    for (Case k : {Case{4, 3.0, 1.0}, Case{2, 1.0, 1.0}, Case{2, 1.0 + 1e-9, 1.0},
                   Case{10, 9.9, 1.0}, Case{1, 0.5, 2.0}}) {
        INFO("c=" << k.c << " lambda=" << k.lambda << " mu=" << k.mu);
        CHECK(integrate_tail(k.c, k.lambda, k.mu) ==
              Approx(mmc_mean_response(k.c, k.lambda, k.mu)).epsilon(1e-6));
    }
}

TEST_CASE("M/M/c response quantile inverts the tail", "[queueing]") {
    for (int c : {1, 2, 8, 50}) {
        const double mu = 1.0, lambda = 0.85 * c;
        double prev = 0.0;
        for (double q : {0.1, 0.5, 0.9, 0.99, 0.999}) {
            const double t = mmc_response_quantile(c, lambda, mu, q);
            INFO("c=" << c << " q=" << q);
            CHECK(mmc_response_tail(c, lambda, mu, t) == Approx(1.0 - q).epsilon(1e-9));
            CHECK(t > prev);
            // The response is at least the service time, so it dominates Exp(mu)'s quantile.
            CHECK(t >= -std::log(1.0 - q) / mu * (1 - 1e-12));
            prev = t;
        }
    }
}

TEST_CASE("erlang_gaps_full: smoother arrivals fill a short queue less often", "[queueing]") {
    // By hand: one server, no waiting room, every 2nd arrival of a stream at 2/s (lambda = 1,
    // mu = 1). Every arrival leaves the server busy; the next finds it still busy when
    // neither of the gap's two phases (rate 2) ends first: (2 / 3)^2.
    CHECK(erlang_gaps_full({2}, 1.0, 1, 1.0, 0) == Approx(4.0 / 9.0).epsilon(1e-12));
    // Poisson arrivals ({1}) are M/M/c/K: c = 2, room for 3, a = 1.25 (tests/
    // test_fluid_overload.cpp works it by hand: 4.75 %), and M/M/1/1's Erlang B.
    {
        const double a = 1.25, rho = a / 2;
        const double p[6] = {
            1, a, a * a / 2, a * a / 2 * rho, a * a / 2 * rho * rho, a * a / 2 * rho * rho * rho};
        double total = 0;
        for (double x : p)
            total += x;
        CHECK(erlang_gaps_full({1}, 25.0, 2, 20.0, 3) == Approx(p[5] / total).epsilon(1e-9));
        CHECK(erlang_gaps_full({1}, 3.0, 1, 1.0, 0) == Approx(erlang_b(1, 3.0)).epsilon(1e-9));
    }
    // A cycle of equal gaps is one gap; an empty one or an order below 1 is nothing.
    CHECK(erlang_gaps_full({3, 3}, 36.0, 2, 20.0, 3) ==
          Approx(erlang_gaps_full({3}, 36.0, 2, 20.0, 3)).epsilon(1e-9));
    CHECK(erlang_gaps_full({}, 36.0, 2, 20.0, 3) == 0.0);
    CHECK(erlang_gaps_full({0}, 36.0, 2, 20.0, 3) == 0.0);
    // Against request-by-request simulation (bench/scenarios/short-queue.toml at 90 %: 6
    // targets, each 2 workers at 20/s with room for 3, 216 requests/s): every 6th request
    // (E_6: 7.80 %), and every 12th of two interleaved rotations one request apart (8.56 %);
    // Poisson arrivals 14.11 %. Two seeds each.
    for (const std::vector<int>& gaps : {std::vector<int>{6}, std::vector<int>{1, 11}}) {
        const double exact = erlang_gaps_full(gaps, 36.0, 2, 20.0, 3);
        REQUIRE(exact < 0.9 * erlang_gaps_full({1}, 36.0, 2, 20.0, 3));
        for (std::uint64_t seed : {1, 2}) {
            INFO("gaps " << gaps.front() << " seed " << seed);
            CHECK(simulated_full(gaps, 216.0, 2, 20.0, 3, 400000, seed) ==
                  Approx(exact).epsilon(0.03));
        }
    }
    CHECK(erlang_gaps_full({6}, 36.0, 2, 20.0, 3) == Approx(0.0780).epsilon(0.002));
    CHECK(erlang_gaps_full({1, 11}, 36.0, 2, 20.0, 3) == Approx(0.0856).epsilon(0.002));
}

TEST_CASE("loss_occupancy_dispersion: a Poisson count pinned by its bound", "[queueing]") {
    // One place: busy with probability a / (1 + a), a Bernoulli count: variance over mean
    // 1 - a / (1 + a) = 1 / (1 + a).
    CHECK(loss_occupancy_dispersion(1, 3.0) == Approx(0.25).epsilon(1e-12));
    // Two places, a = 2: weights 1, 2, 2 (over 5): mean 6/5, E[n^2] 10/5, variance 2 - 36/25
    // = 14/25; over the mean 7/15.
    CHECK(loss_occupancy_dispersion(2, 2.0) == Approx(7.0 / 15.0).epsilon(1e-12));
    // Far below its bound the count is Poisson (1), however far the bound (no overflow of
    // the weights from the bound down to the mode).
    CHECK(loss_occupancy_dispersion(3000, 100.0) == Approx(1.0).epsilon(1e-9));
    CHECK(loss_occupancy_dispersion(500, 400.0) == Approx(1.0).epsilon(1e-4));
    // Three places at a = 3: weights 1, 3, 9/2, 9/2 (over 13): mean 25.5 / 13, E[n^2] 61.5 / 13.
    const double mean = 25.5 / 13.0;
    CHECK(loss_occupancy_dispersion(3, 3.0) ==
          Approx((61.5 / 13.0 - mean * mean) / mean).epsilon(1e-12));
    // Far beyond it the count sits at K but for a shortfall j whose weights fall by (K - j) / a
    // each: less spread than a geometric of ratio K / a (180 places at a = 220: 24.7 / 175.5 =
    // 0.141); summing the weights in double precision (Python, independently) gives 0.084327.
    const double r = 180.0 / 220.0;
    const double geometric = r / ((1 - r) * (1 - r)) / (180.0 - r / (1 - r));
    CHECK(loss_occupancy_dispersion(180, 220.0) < geometric);
    CHECK(loss_occupancy_dispersion(180, 220.0) == Approx(0.0843268).epsilon(1e-5));
    CHECK(loss_occupancy_dispersion(0, 5.0) == 1.0);
    CHECK(loss_occupancy_dispersion(10, 0.0) == 1.0);
}

TEST_CASE("mg1_conditional_wait_cv2 and balanced_h2_split: M/G/1 moments by hand", "[queueing]") {
    // Exponential service (E[S^3] E[S] / E[S^2]^2 = 6 / 4 = 1.5): M/M/1's wait given that it
    // waits is exponential, cv^2 = 1, at any load.
    for (double rho : {0.1, 0.5, 0.9})
        CHECK(mg1_conditional_wait_cv2(rho, 1.5) == Approx(1.0).epsilon(1e-12));
    // M/D/1 (S = 1, ratio 1) at rho = 0.5 by hand from Pollaczek-Khinchine: E[W] = 0.5,
    // E[W^2] = 2 x 0.25 + 0.5 / 1.5 = 0.8333; given W > 0 (probability 0.5): mean 1, second
    // moment 1.6667, cv^2 = 0.6667.
    CHECK(mg1_conditional_wait_cv2(0.5, 1.0) == Approx(2.0 / 3.0).epsilon(1e-12));
    // Lognormal cv 2 (ratio 1 + 4 = 5) at rho 0.85: 1.7 + 0.6 x 5 / 3 - 1 = 1.7.
    CHECK(mg1_conditional_wait_cv2(0.85, 5.0) == Approx(1.7).epsilon(1e-12));
    // The heavy-traffic limit: exponential whatever the service.
    CHECK(mg1_conditional_wait_cv2(1.0, 5.0) == Approx(1.0).epsilon(1e-12));
    // Balanced two-phase hyperexponential: p = (1 + sqrt(0.7 / 2.7)) / 2 = 0.7545875 for cv^2 =
    // 1.7, and its own cv^2, 1 / (2 p (1 - p)) - 1, is 1.7 again; each phase holds half the
    // mean (p / (2 p) = 1/2).
    const double p = balanced_h2_split(1.7);
    CHECK(p == Approx(0.7545875).epsilon(1e-6));
    CHECK(1.0 / (2.0 * p * (1.0 - p)) - 1.0 == Approx(1.7).epsilon(1e-12));
    CHECK(balanced_h2_split(1.0) == 0.5);
    CHECK(balanced_h2_split(0.6) == 0.5);
}

}  // namespace test_queueing
