#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "sim/cloud/rate_function.hpp"
#include "sim/core/random.hpp"

namespace test_rate_function {

using namespace stratus;
using stratus::cloud::RateFunction;
using stratus::scenario::RateShape;
using stratus::scenario::RateSpec;
using stratus::scenario::SpikeSpec;

namespace {

constexpr std::int64_t kMidnight = 1767571200;  // 2026-01-05T00:00:00Z

RateSpec constant(double v) {
    RateSpec r;
    r.shape = RateShape::Constant;
    r.value = v;
    return r;
}

RateSpec diurnal(double lo, double hi, SimTime peak) {
    RateSpec r;
    r.shape = RateShape::Diurnal;
    r.min = lo;
    r.max = hi;
    r.peak = peak;
    return r;
}

RateSpec steps(std::vector<std::pair<SimTime, double>> s, RateShape shape = RateShape::Steps) {
    RateSpec r;
    r.shape = shape;
    r.steps = std::move(s);
    return r;
}

RateSpec ramp(double from, double to, SimTime over) {
    RateSpec r;
    r.shape = RateShape::Ramp;
    r.from = from;
    r.to = to;
    r.over = over;
    return r;
}

SpikeSpec spike(SimTime at, SimTime duration, double multiplier) {
    SpikeSpec s;
    s.at = at;
    s.duration = duration;
    s.multiplier = multiplier;
    return s;
}

// rate_at never exceeds max_rate on random sub-intervals of [0, span); checks many points in
// each, including both ends. With `exact`, the rate is piecewise constant with breakpoints
// in `breaks`, and max_rate must equal the largest value actually taken.
void check_bounds(const RateFunction& f, SimTime span, const std::vector<SimTime>& breaks,
                  bool exact, double slack = 0.0) {
    RandomStream rng(5, "rate/bounds");
    for (int i = 0; i < 2000; ++i) {
        SimTime a = static_cast<SimTime>(rng.below(static_cast<std::uint64_t>(span)));
        SimTime b = a + 1 + static_cast<SimTime>(rng.below(static_cast<std::uint64_t>(span / 4)));
        if (i % 4 == 0) b = a + 1 + static_cast<SimTime>(rng.below(kMinute));  // short ones
        const double bound = f.max_rate(a, b);
        double seen = std::max(f.rate_at(a), f.rate_at(b - 1));
        for (int j = 0; j < 50; ++j) {
            const SimTime t =
                a + static_cast<SimTime>(rng.below(static_cast<std::uint64_t>(b - a)));
            seen = std::max(seen, f.rate_at(t));
        }
        for (SimTime t : breaks) {
            if (a <= t && t < b) seen = std::max(seen, f.rate_at(t));
        }
        INFO("interval [" << a << ", " << b << ")");
        REQUIRE(seen <= bound * (1.0 + slack));
        if (exact) REQUIRE(seen == bound);
    }
}

}  // namespace

TEST_CASE("constant rate", "[rate]") {
    RateFunction f(constant(120.0), {}, kMidnight);
    CHECK(f.rate_at(0) == 120.0);
    CHECK(f.rate_at(5 * kHour) == 120.0);
    CHECK(f.max_rate(0, kHour) == 120.0);
    CHECK(f.max_rate(kHour, kHour) == 0.0);  // empty interval
    CHECK(f.settles_at() == 0);
}

TEST_CASE("diurnal rate follows the cosine around the peak", "[rate]") {
    SECTION("run starting at midnight UTC") {
        RateFunction f(diurnal(100.0, 500.0, 14 * kHour), {}, kMidnight);
        CHECK(f.rate_at(14 * kHour) == Approx(500.0));
        CHECK(f.rate_at(2 * kHour) == Approx(100.0));              // 12 h before the peak
        CHECK(f.rate_at(26 * kHour) == Approx(100.0));             // 12 h after
        CHECK(f.rate_at(20 * kHour) == Approx(300.0));             // 6 h after: the middle
        CHECK(f.rate_at(8 * kHour) == Approx(300.0));              // 6 h before
        CHECK(f.rate_at(14 * kHour + 3 * kDay) == Approx(500.0));  // every day
        CHECK(f.settles_at() == kNever);
    }
    SECTION("run starting at 10:00 UTC puts the 14:00 peak 4 h in") {
        RateFunction f(diurnal(100.0, 500.0, 14 * kHour), {}, kMidnight + 10 * 3600);
        CHECK(f.rate_at(4 * kHour) == Approx(500.0));
        CHECK(f.rate_at(16 * kHour) == Approx(100.0));
        CHECK(f.rate_at(10 * kHour) == Approx(300.0));
    }
    SECTION("max_rate sees the peak inside an interval and the ends otherwise") {
        RateFunction f(diurnal(100.0, 500.0, 14 * kHour), {}, kMidnight);
        CHECK(f.max_rate(13 * kHour, 15 * kHour) == Approx(500.0));
        CHECK(f.max_rate(0, 2 * kDay) == Approx(500.0));
        CHECK(f.max_rate(0, kHour) == f.rate_at(0));  // falling toward 02:00
        CHECK(f.max_rate(3 * kHour, 5 * kHour) == f.rate_at(5 * kHour - 1));  // rising
        CHECK(f.max_rate(kHour, 3 * kHour) ==
              std::max(f.rate_at(kHour), f.rate_at(3 * kHour - 1)));  // around the trough
        check_bounds(f, 3 * kDay, {}, false, 1e-12);
    }
}

TEST_CASE("steps rate holds each value until the next step", "[rate]") {
    SECTION("first step after 0: zero before it") {
        RateFunction f(steps({{kHour, 200.0}, {2 * kHour, 800.0}, {3 * kHour, 50.0}}), {},
                       kMidnight);
        CHECK(f.rate_at(0) == 0.0);
        CHECK(f.rate_at(kHour - 1) == 0.0);
        CHECK(f.rate_at(kHour) == 200.0);
        CHECK(f.rate_at(2 * kHour - 1) == 200.0);
        CHECK(f.rate_at(2 * kHour) == 800.0);
        CHECK(f.rate_at(10 * kHour) == 50.0);  // the last step holds
        CHECK(f.max_rate(0, kHour) == 0.0);
        CHECK(f.max_rate(0, kHour + 1) == 200.0);
        CHECK(f.max_rate(kHour, 2 * kHour) == 200.0);  // 2 h itself is outside
        CHECK(f.max_rate(90 * kMinute, 4 * kHour) == 800.0);
        CHECK(f.settles_at() == 3 * kHour);
        check_bounds(f, 4 * kHour, {kHour, 2 * kHour, 3 * kHour}, true);
    }
    SECTION("first step at 0, unsorted input") {
        RateFunction f(steps({{2 * kHour, 800.0}, {0, 200.0}}), {}, kMidnight);
        CHECK(f.rate_at(0) == 200.0);
        CHECK(f.rate_at(2 * kHour) == 800.0);
    }
}

TEST_CASE("ramp rate is linear, then holds", "[rate]") {
    RateFunction f(ramp(100.0, 300.0, kHour), {}, kMidnight);
    CHECK(f.rate_at(0) == 100.0);
    CHECK(f.rate_at(30 * kMinute) == Approx(200.0));
    CHECK(f.rate_at(15 * kMinute) == Approx(150.0));
    CHECK(f.rate_at(kHour) == 300.0);
    CHECK(f.rate_at(5 * kHour) == 300.0);
    CHECK(f.max_rate(0, 30 * kMinute + 1) == f.rate_at(30 * kMinute));
    CHECK(f.max_rate(0, 2 * kHour) == 300.0);
    check_bounds(f, 2 * kHour, {}, false);

    RateFunction down(ramp(300.0, 100.0, kHour), {}, kMidnight);
    CHECK(down.rate_at(30 * kMinute) == Approx(200.0));
    CHECK(down.max_rate(30 * kMinute, 2 * kHour) == down.rate_at(30 * kMinute));
    check_bounds(down, 2 * kHour, {}, false);
}

TEST_CASE("trace rate is scaled and piecewise constant", "[rate]") {
    RateSpec r = steps({{0, 10.0}, {kMinute, 40.0}, {2 * kMinute, 5.0}}, RateShape::Trace);
    r.scale = 2.5;
    RateFunction f(r, {}, kMidnight);
    CHECK(f.rate_at(0) == 25.0);
    CHECK(f.rate_at(kMinute + 5 * kSecond) == 100.0);
    CHECK(f.rate_at(kHour) == 12.5);  // after the last row, the last value holds
    CHECK(f.max_rate(0, kHour) == 100.0);
    check_bounds(f, 5 * kMinute, {kMinute, 2 * kMinute}, true);
}

TEST_CASE("spikes multiply, and overlapping spikes multiply together", "[rate]") {
    RateFunction f(constant(100.0),
                   {spike(10 * kSecond, 5 * kSecond, 3.0), spike(12 * kSecond, 10 * kSecond, 2.0)},
                   kMidnight);
    CHECK(f.rate_at(9 * kSecond) == 100.0);
    CHECK(f.rate_at(10 * kSecond) == 300.0);
    CHECK(f.rate_at(12 * kSecond) == 600.0);
    CHECK(f.rate_at(15 * kSecond - 1) == 600.0);
    CHECK(f.rate_at(15 * kSecond) == 200.0);  // the first spike ends: [at, at + duration)
    CHECK(f.rate_at(22 * kSecond) == 100.0);
    CHECK(f.max_rate(0, 10 * kSecond) == 100.0);
    CHECK(f.max_rate(0, 13 * kSecond) == 600.0);
    CHECK(f.max_rate(15 * kSecond, kMinute) == 200.0);
    CHECK(f.settles_at() == 22 * kSecond);
    check_bounds(f, kMinute, {10 * kSecond, 12 * kSecond, 15 * kSecond, 22 * kSecond}, true);

    // A spike on steps, and one that dips below 1.
    RateFunction g(steps({{0, 10.0}, {20 * kSecond, 50.0}}),
                   {spike(15 * kSecond, 10 * kSecond, 4.0), spike(40 * kSecond, 5 * kSecond, 0.5)},
                   kMidnight);
    CHECK(g.rate_at(16 * kSecond) == 40.0);
    CHECK(g.rate_at(21 * kSecond) == 200.0);
    CHECK(g.rate_at(41 * kSecond) == 25.0);
    check_bounds(g, kMinute, {15 * kSecond, 20 * kSecond, 25 * kSecond, 40 * kSecond, 45 * kSecond},
                 true);

    // A spike on a diurnal curve, and on a ramp.
    RateFunction d(diurnal(10.0, 90.0, 14 * kHour), {spike(13 * kHour, 2 * kHour, 3.0)}, kMidnight);
    CHECK(d.rate_at(14 * kHour) == Approx(270.0));
    CHECK(d.max_rate(12 * kHour, 16 * kHour) == Approx(270.0));
    check_bounds(d, kDay, {13 * kHour, 15 * kHour}, false, 1e-12);
    RateFunction r(ramp(0.0, 100.0, kHour), {spike(20 * kMinute, 10 * kMinute, 10.0)}, kMidnight);
    CHECK(r.max_rate(0, kHour) == r.rate_at(30 * kMinute - 1));  // 10 x 49.99...
    CHECK(r.rate_at(25 * kMinute) == Approx(10.0 * 100.0 * 25.0 / 60.0));
    check_bounds(r, 2 * kHour, {20 * kMinute, 30 * kMinute}, false);
}

}  // namespace test_rate_function
