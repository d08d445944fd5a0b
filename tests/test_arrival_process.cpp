#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "sim/cloud/arrival_process.hpp"
#include "sim/cloud/rate_function.hpp"
#include "sim/core/random.hpp"

namespace test_arrival_process {

using namespace stratus;
using stratus::cloud::ArrivalProcess;
using stratus::cloud::RateFunction;
using stratus::scenario::RateShape;
using stratus::scenario::RateSpec;

namespace {

constexpr std::int64_t kMidnight = 1767571200;  // 2026-01-05T00:00:00Z

std::vector<SimTime> all_arrivals(const RateFunction& f, SimTime horizon, std::uint64_t seed,
                                  SimTime window = 60 * kSecond) {
    ArrivalProcess p(f, RandomStream(seed, "arrivals/test"), window);
    std::vector<SimTime> out;
    SimTime t = 0;
    while ((t = p.next(t, horizon)) != kNever)
        out.push_back(t);
    return out;
}

std::size_t count_in(const std::vector<SimTime>& v, SimTime from, SimTime to) {
    std::size_t n = 0;
    for (SimTime t : v)
        n += (from <= t && t < to);
    return n;
}

// A Poisson count with the given mean lies within 4 standard deviations of it.
void check_poisson_count(std::size_t count, double mean) {
    INFO("count=" << count << " expected=" << mean);
    CHECK(std::abs(static_cast<double>(count) - mean) <= 4.0 * std::sqrt(mean));
}

}  // namespace

TEST_CASE("constant-rate arrivals: Poisson count and exponential gaps", "[arrivals]") {
    RateSpec r;
    r.value = 100.0;
    RateFunction f(r, {}, kMidnight);
    const SimTime horizon = 10000 * kSecond;
    const auto v = all_arrivals(f, horizon, 42);
    check_poisson_count(v.size(), 1e6);

    double sum = 0, sum_sq = 0;
    SimTime prev = 0;
    for (SimTime t : v) {
        REQUIRE(t > prev);  // strictly increasing, starting after 0
        REQUIRE(t <= horizon);
        const double gap = static_cast<double>(t - prev);
        sum += gap;
        sum_sq += gap * gap;
        prev = t;
    }
    const double n = static_cast<double>(v.size());
    const double mean = sum / n;
    const double sd = std::sqrt(sum_sq / n - mean * mean);
    CHECK(mean == Approx(10000.0).epsilon(0.005));  // 10 ms
    CHECK(sd / mean == Approx(1.0).epsilon(0.01));  // coefficient of variation of Exp is 1
    // Memorylessness: the fraction of gaps above the mean is e^-1.
    std::size_t above = 0;
    prev = 0;
    for (SimTime t : v) {
        above += (t - prev) > 10000;
        prev = t;
    }
    CHECK(static_cast<double>(above) / n == Approx(std::exp(-1.0)).epsilon(0.01));
}

TEST_CASE("steps-rate arrivals: the right count in each step", "[arrivals]") {
    RateSpec r;
    r.shape = RateShape::Steps;
    r.steps = {{0, 50.0}, {1000 * kSecond, 200.0}, {2000 * kSecond, 0.0}, {3000 * kSecond, 100.0}};
    RateFunction f(r, {}, kMidnight);
    // A window that does not divide the step times, so windows straddle steps.
    const auto v = all_arrivals(f, 4000 * kSecond, 9, 7 * kSecond);
    check_poisson_count(count_in(v, 0, 1000 * kSecond), 50000);
    check_poisson_count(count_in(v, 1000 * kSecond, 2000 * kSecond), 200000);
    CHECK(count_in(v, 2000 * kSecond, 3000 * kSecond) == 0);
    check_poisson_count(count_in(v, 3000 * kSecond, 4000 * kSecond), 100000);
}

TEST_CASE("diurnal arrivals: the count matches the integral of the rate", "[arrivals]") {
    RateSpec r;
    r.shape = RateShape::Diurnal;
    r.min = 5.0;
    r.max = 45.0;
    r.peak = 14 * kHour;
    RateFunction f(r, {}, kMidnight + 3 * 3600);  // start at 03:00 UTC
    const SimTime horizon = 20 * kHour;
    const auto v = all_arrivals(f, horizon, 1234);
    // Integral by the midpoint rule on 1 s cells: the curve is smooth at that scale.
    auto integral = [&](SimTime from, SimTime to) {
        double s = 0;
        for (SimTime t = from; t < to; t += kSecond)
            s += f.rate_at(t + kSecond / 2);
        return s;
    };
    check_poisson_count(v.size(), integral(0, horizon));
    check_poisson_count(count_in(v, 0, 5 * kHour), integral(0, 5 * kHour));
    check_poisson_count(count_in(v, 9 * kHour, 13 * kHour), integral(9 * kHour, 13 * kHour));
}

TEST_CASE("spiked arrivals follow the multiplied rate", "[arrivals]") {
    RateSpec r;
    r.value = 20.0;
    scenario::SpikeSpec s;
    s.at = 1000 * kSecond;
    s.duration = 500 * kSecond;
    s.multiplier = 5.0;
    RateFunction f(r, {s}, kMidnight);
    const auto v = all_arrivals(f, 2000 * kSecond, 77);
    check_poisson_count(count_in(v, 0, 1000 * kSecond), 20000);
    check_poisson_count(count_in(v, 1000 * kSecond, 1500 * kSecond), 50000);
    check_poisson_count(count_in(v, 1500 * kSecond, 2000 * kSecond), 10000);
}

TEST_CASE("arrivals are reproducible from the stream alone", "[arrivals]") {
    RateSpec r;
    r.shape = RateShape::Ramp;
    r.from = 10.0;
    r.to = 300.0;
    r.over = 100 * kSecond;
    RateFunction f(r, {}, kMidnight);
    const auto a = all_arrivals(f, 200 * kSecond, 5);
    const auto b = all_arrivals(f, 200 * kSecond, 5);
    const auto c = all_arrivals(f, 200 * kSecond, 6);
    REQUIRE(!a.empty());
    CHECK(a == b);
    CHECK(a != c);

    // Interleaving other draws elsewhere changes nothing: the process owns its stream.
    ArrivalProcess p(f, RandomStream(5, "arrivals/test"));
    RandomStream other(5, "arrivals/test");  // even the same seed and name
    SimTime t = 0;
    for (std::size_t i = 0; i < 100; ++i) {
        other.uniform01();
        t = p.next(t, 200 * kSecond);
        REQUIRE(t == a[i]);
    }
}

TEST_CASE("arrivals stop where the rate is zero and at the horizon", "[arrivals]") {
    RateSpec zero;
    RateFunction f0(zero, {}, kMidnight);
    ArrivalProcess p0(f0, RandomStream(1, "arrivals/zero"));
    CHECK(p0.next(0, 1000 * kSecond) == kNever);
    CHECK(p0.next(0, kNever) == kNever);  // settles at 0: returns at once

    RateSpec r;
    r.shape = RateShape::Steps;
    r.steps = {{0, 10.0}, {100 * kSecond, 0.0}};
    RateFunction f(r, {}, kMidnight);
    const auto v = all_arrivals(f, kNever, 3);
    REQUIRE(!v.empty());
    CHECK(v.back() < 100 * kSecond);
    check_poisson_count(v.size(), 1000);

    // A quiet start: nothing before the first step.
    RateSpec late;
    late.shape = RateShape::Steps;
    late.steps = {{5000 * kSecond, 1.0}};
    RateFunction fl(late, {}, kMidnight);
    ArrivalProcess pl(fl, RandomStream(1, "arrivals/late"));
    const SimTime first = pl.next(0, kNever);
    CHECK(first >= 5000 * kSecond);
    CHECK(first < 5100 * kSecond);

    // The horizon is inclusive and respected.
    RateSpec fast;
    fast.value = 1000.0;
    RateFunction ff(fast, {}, kMidnight);
    ArrivalProcess pf(ff, RandomStream(1, "arrivals/fast"));
    SimTime t = 0, last = 0;
    while ((t = pf.next(t, kSecond)) != kNever)
        last = t;
    CHECK(last <= kSecond);
    CHECK(last > kSecond - 100 * kMillisecond);
}

TEST_CASE("very high rates still give strictly increasing microseconds", "[arrivals]") {
    RateSpec r;
    r.value = 2e6;  // two per microsecond on average: many collide
    RateFunction f(r, {}, kMidnight);
    const auto v = all_arrivals(f, 10 * kMillisecond, 8);
    for (std::size_t i = 1; i < v.size(); ++i)
        REQUIRE(v[i] > v[i - 1]);
}

}  // namespace test_arrival_process
