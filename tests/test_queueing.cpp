#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "sim/core/queueing.hpp"

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

}  // namespace test_queueing
