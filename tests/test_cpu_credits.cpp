#include <catch2/catch.hpp>

#include <stdexcept>

#include "sim/cloud/cpu_credits.hpp"
#include "sim/scenario/catalog.hpp"
#include "sim/scenario/price_list.hpp"

namespace test_cpu_credits {

using namespace stratus;
using namespace stratus::cloud;
using namespace stratus::scenario;

// Every expected figure is worked out by hand in the comment beside it, from AWS's burstable
// instance rules (docs/model.md, "Burstable CPU credits"): one credit = one vCPU at 100 % for one
// minute, so an instance at utilisation u (busy vCPUs / vCPUs) spends u x vCPUs x 60 credits an
// hour.
//   t2.micro : 1 vCPU,  6 credits/h, cap 144, baseline 10 %
//   t3.micro : 2 vCPU, 12 credits/h, cap 288, baseline 10 %
//   t3.large : 2 vCPU, 36 credits/h, cap 864, baseline 30 %, $0.0832/h (m5.large $0.096/h)
namespace {

const InstanceCatalog& catalog() {
    static const InstanceCatalog c = InstanceCatalog::builtin("us-east-1");
    return c;
}

const InstanceTypeInfo& type(const char* name) {
    const InstanceTypeInfo* t = catalog().find(name);
    REQUIRE(t != nullptr);
    return *t;
}

Approx credits(double v) {
    return Approx(v).margin(1e-9);
}

CpuCreditAccount t3_micro(CreditSpecification spec) {
    return CpuCreditAccount(type("t3.micro"), spec, CreditFamily::T3);
}

}  // namespace

TEST_CASE("CPU credits: the catalog's burstable figures", "[credits]") {
    CpuCreditAccount a = t3_micro(CreditSpecification::Standard);
    CHECK(a.vcpu() == 2);
    CHECK(a.credits_per_hour() == 12);
    CHECK(a.max_credits() == 288);
    CHECK(a.baseline_fraction() == Approx(0.10));  // 12 / (60 x 2)
    CHECK(a.balance() == 0);                       // every T instance starts at zero
    CHECK(a.launch_credits() == 0);                // T3: no launch credits
    CHECK(credit_family_of("t2.medium") == CreditFamily::T2);
    CHECK(credit_family_of("t3a.large") == CreditFamily::T3);
    CHECK(credit_family_of("t4g.micro") == CreditFamily::T3);
    CHECK_THROWS_AS(
        CpuCreditAccount(type("m5.large"), CreditSpecification::Standard, CreditFamily::T3),
        std::invalid_argument);

    // A scenario type that gives only the baseline: 20 % x 2 vCPUs x 60 = 24 credits/h, and a
    // cap of 24 h of earnings = 576.
    InstanceTypeInfo custom;
    custom.name = "t3.custom";
    custom.vcpu = 2;
    custom.burstable = true;
    custom.baseline_percent = 20;
    CpuCreditAccount c(custom, CreditSpecification::Standard, CreditFamily::T3);
    CHECK(c.credits_per_hour() == credits(24));
    CHECK(c.max_credits() == credits(576));
}

TEST_CASE("CPU credits: at baseline a t3.micro earns exactly what it spends", "[credits]") {
    for (auto spec : {CreditSpecification::Standard, CreditSpecification::Unlimited}) {
        CpuCreditAccount a = t3_micro(spec);
        a.advance(kHour, 0.0);  // 1 h idle: +12
        CHECK(a.balance() == credits(12));
        // 10 %: 0.1 x 2 vCPUs x 60 = 12 credits/h spent, 12 earned, for 10 h.
        CHECK(a.advance(11 * kHour, 0.10) == Approx(0.10));
        CHECK(a.balance() == credits(12));
        CHECK(a.surplus_credits() == 0);
        CHECK(a.time_until_exhausted(0.10) == kNever);
        // From an empty balance too: nothing is owed, nothing is gained.
        CpuCreditAccount b = t3_micro(spec);
        b.advance(24 * kHour, 0.10);
        CHECK(b.balance() == credits(0));
        CHECK(b.surplus_credits() == credits(0));
    }
}

TEST_CASE("CPU credits: an idle t3.micro caps at 24 h of earnings", "[credits]") {
    CpuCreditAccount a = t3_micro(CreditSpecification::Standard);
    a.advance(12 * kHour, 0.0);
    CHECK(a.balance() == credits(144));  // 12 h x 12
    a.advance(24 * kHour, 0.0);
    CHECK(a.balance() == 288);  // 24 h x 12 = 288, the cap, exactly
    a.advance(72 * kHour, 0.0);
    CHECK(a.balance() == 288);  // no more
}

TEST_CASE("CPU credits: a standard t3.micro at 100 % runs out, then runs at baseline",
          "[credits]") {
    CpuCreditAccount a = t3_micro(CreditSpecification::Standard);
    a.advance(24 * kHour, 0.0);
    REQUIRE(a.balance() == 288);
    const SimTime full = a.last_update();

    // At 100 % it spends 1.0 x 2 vCPUs x 60 = 120 credits/h and earns 12/h (12/60 = 0.2 a
    // minute against 2 a minute): net -108/h. 288 / 108 h = 8/3 h = 2 h 40 min = 160 min
    // (per minute: 288 / (2 - 0.2) = 288 / 1.8 = 160).
    CHECK(a.time_until_exhausted(1.0) == 160 * kMinute);
    CHECK(a.max_speed_fraction(1.0) == 1.0);
    CHECK(a.advance(full + 100 * kMinute, 1.0) == 1.0);
    CHECK(a.balance() == credits(288 - 108.0 * 100 / 60));  // 288 - 180 = 108
    CHECK(a.time_until_exhausted(1.0) == 60 * kMinute);     // 108 / 108 h
    a.advance(full + 160 * kMinute, 1.0);
    CHECK(a.balance() == 0);
    // Out of credits: throttled to the 10 % baseline, and only above it.
    CHECK(a.max_speed_fraction(1.0) == Approx(0.10));
    CHECK(a.max_speed_fraction(0.05) == Approx(0.05));
    CHECK(a.time_until_exhausted(1.0) == 0);
    CHECK(a.time_until_exhausted(0.10) == kNever);
    // Asked for 100 % for another hour it gets the baseline, and the balance stays at zero.
    CHECK(a.advance(full + 220 * kMinute, 1.0) == Approx(0.10));
    CHECK(a.balance() == 0);

    // 30 min idle earns 6; at 100 % they last 6 / 108 h = 1/18 h = 200 s.
    a.advance(full + 250 * kMinute, 0.0);
    CHECK(a.balance() == credits(6));
    CHECK(a.max_speed_fraction(1.0) == 1.0);
    CHECK(a.time_until_exhausted(1.0) == 200 * kSecond);
}

TEST_CASE("CPU credits: one interval that crosses the throttle is split exactly", "[credits]") {
    CpuCreditAccount a = t3_micro(CreditSpecification::Standard);
    a.advance(24 * kHour, 0.0);  // 288
    // 200 min at 100 % demanded: 160 min at full speed (2 vCPUs x 160 = 320 vCPU-minutes),
    // then 40 min at baseline (0.2 x 40 = 8). 328 of the 2 x 200 = 400 vCPU-minutes asked:
    // granted 328 / 400 = 0.82.
    CHECK(a.advance(24 * kHour + 200 * kMinute, 1.0) == Approx(0.82));
    CHECK(a.balance() == 0);
}

TEST_CASE("CPU credits: the result does not depend on how often advance is called", "[credits]") {
    // 5 h at 70 % on a t3.micro from 100 credits: net 12 - 84 = -72/h, out after 100/72 h,
    // then throttled. In one step or in 3,000 steps of 6 s, the same balance and work.
    CpuCreditAccount one = t3_micro(CreditSpecification::Standard);
    one.advance(from_seconds(100.0 / 12 * 3600), 0.0);  // 100/12 h idle: 100 credits
    CpuCreditAccount many = one;
    const SimTime t0 = one.last_update();
    const double granted_one = one.advance(t0 + 5 * kHour, 0.70);
    double granted_many = 0;
    for (int i = 1; i <= 3000; ++i)
        granted_many += many.advance(t0 + i * 6 * kSecond, 0.70) / 3000;
    CHECK(one.balance() == credits(0));
    CHECK(many.balance() == credits(0));
    // Work: 100/72 h at 0.7, the rest at 0.1: (0.7 x 100/72 + 0.1 x (5 - 100/72)) / 5.
    const double expected = (0.7 * 100 / 72 + 0.1 * (5 - 100.0 / 72)) / 5;
    CHECK(granted_one == Approx(expected));
    CHECK(granted_many == Approx(expected));
}

TEST_CASE("CPU credits: unlimited spends surplus, pays it down, charges it", "[credits]") {
    CpuCreditAccount a = t3_micro(CreditSpecification::Unlimited);
    // From zero at 100 % for 1 h: net -108, all of it surplus. Never throttled.
    CHECK(a.time_until_exhausted(1.0) == 0);
    CHECK(a.max_speed_fraction(1.0) == 1.0);
    CHECK(a.advance(kHour, 1.0) == 1.0);
    CHECK(a.balance() == 0);
    CHECK(a.surplus_credits() == credits(108));
    CHECK(a.surplus_charged() == 0);  // within what 24 h can earn: not charged yet
    // 4 h idle earn 48, which pay the surplus down to 60.
    a.advance(5 * kHour, 0.0);
    CHECK(a.surplus_credits() == credits(60));
    CHECK(a.balance() == 0);
    // Stop charges what is left: 60 credits = 60 vCPU-minutes = 1 vCPU-hour.
    CHECK(a.stop(5 * kHour, 0.0) == Approx(1.0));
    CHECK(a.surplus_credits() == 0);
    CHECK(a.surplus_charged() == Approx(1.0));

    // Paid down completely, the earnings go to the balance again: 108 surplus, then 10 h idle
    // earn 120: 12 left over.
    CpuCreditAccount b = t3_micro(CreditSpecification::Unlimited);
    b.advance(kHour, 1.0);
    b.advance(11 * kHour, 0.0);
    CHECK(b.surplus_credits() == 0);
    CHECK(b.balance() == credits(12));
    CHECK(b.settle_surplus() == 0);
}

TEST_CASE("CPU credits: unlimited surplus beyond 24 h of earnings is charged", "[credits]") {
    CpuCreditAccount a = t3_micro(CreditSpecification::Unlimited);
    // 4 h at 100 %: 4 x 108 = 432 surplus; the cap is 288 (24 h x 12), so 144 credits are
    // charged as they pass it: 144 / 60 = 2.4 vCPU-hours.
    a.advance(4 * kHour, 1.0);
    CHECK(a.surplus_credits() == credits(288));
    CHECK(a.surplus_charged() == Approx(2.4));
    // Terminate charges the 288 held: 288 / 60 = 4.8 more, 432 / 60 = 7.2 in all.
    CHECK(a.terminate(4 * kHour, 0.0) == Approx(4.8));
    CHECK(a.surplus_charged() == Approx(7.2));
    CHECK(a.terminated());
    CHECK_THROWS_AS(a.start(5 * kHour), std::logic_error);
}

TEST_CASE("CPU credits: a t3.large at 42.5 % costs what an m5.large costs", "[credits]") {
    const InstanceTypeInfo& t3 = type("t3.large");
    const InstanceTypeInfo& m5 = type("m5.large");
    const double rate = PriceList::builtin("us-east-1").t_unlimited_surplus_vcpu_hour;
    REQUIRE(rate == 0.05);
    REQUIRE(t3.on_demand_hourly == 0.0832);
    REQUIRE(m5.on_demand_hourly == 0.096);

    // At 42.5 % a t3.large spends 0.425 x 2 x 60 = 51 credits/h and earns 36: 15 credits/h of
    // surplus = 0.25 vCPU-hour/h = $0.0125/h.
    //
    // Over 24 h from launch: 360 surplus (under the 864 cap), all charged at terminate.
    CpuCreditAccount day(t3, CreditSpecification::Unlimited, CreditFamily::T3);
    day.advance(24 * kHour, 0.425);
    CHECK(day.surplus_credits() == credits(360));
    CHECK(day.surplus_charged() == 0);
    CHECK(day.terminate(24 * kHour, 0.425) == Approx(6.0));  // 360 / 60
    CHECK(day.surplus_charged() * rate / 24 == Approx(0.0125));

    // Over 30 days: the surplus reaches the 864 cap after 864 / 15 = 57.6 h; from then on 15
    // credits/h are charged as they come; terminate charges the 864 held. In all 15 x 720 =
    // 10,800 credits = 180 vCPU-hours = $9 over 720 h = $0.0125/h, the same steady rate.
    CpuCreditAccount month(t3, CreditSpecification::Unlimited, CreditFamily::T3);
    month.advance(from_seconds(57.6 * 3600), 0.425);
    CHECK(month.surplus_credits() == credits(864));
    CHECK(month.surplus_charged() == credits(0));
    month.advance(720 * kHour, 0.425);
    CHECK(month.surplus_charged() == Approx((10800.0 - 864) / 60));  // 165.6
    month.terminate(720 * kHour, 0.425);
    CHECK(month.surplus_charged() == Approx(180));
    const double t3_per_hour = t3.on_demand_hourly + month.surplus_charged() * rate / 720;

    // The EC2 documentation's break-even uses t3.large at $0.0835: 0.0835 + 0.0125 = 0.096,
    // exactly m5.large. At this catalog's $0.0832 the t3.large is $0.0957/h at 42.5 %...
    CHECK(0.0835 + month.surplus_charged() * rate / 720 == Approx(m5.on_demand_hourly));
    CHECK(t3_per_hour == Approx(0.0957));
    // ...and breaks even a little higher: (0.096 - 0.0832) / 0.05 = 0.256 vCPU-h/h = 15.36
    // credits/h of surplus, so u = (36 + 15.36) / 120 = 42.8 %.
    CpuCreditAccount even(t3, CreditSpecification::Unlimited, CreditFamily::T3);
    even.advance(720 * kHour, 0.428);
    even.terminate(720 * kHour, 0.428);
    CHECK(t3.on_demand_hourly + even.surplus_charged() * rate / 720 == Approx(m5.on_demand_hourly));
    // At or below the 30 % baseline no surplus is ever charged (the 24-hour average rule).
    CpuCreditAccount at_base(t3, CreditSpecification::Unlimited, CreditFamily::T3);
    at_base.advance(720 * kHour, 0.30);
    CHECK(at_base.terminate(720 * kHour, 0.30) == credits(0));
}

TEST_CASE("CPU credits: T2 launch credits are spent first and sit outside the cap", "[credits]") {
    CpuCreditAccount a(type("t2.micro"), CreditSpecification::Standard, CreditFamily::T2);
    CHECK(a.launch_credits() == 30);  // 30 per vCPU, 1 vCPU
    CHECK(a.balance() == 0);
    // At 100 % it spends 60 credits/h: the 30 launch credits last 30 min, while it earns
    // 6/h x 0.5 h = 3 into the balance; then net 6 - 60 = -54/h spends those 3 in 3/54 h =
    // 200 s. Out after 30 min + 200 s = 2,000 s.
    CHECK(a.time_until_exhausted(1.0) == 2000 * kSecond);
    a.advance(20 * kMinute, 1.0);
    CHECK(a.launch_credits() == credits(10));  // 30 - 60 x 1/3
    CHECK(a.balance() == credits(2));          // 6 x 1/3
    a.advance(30 * kMinute, 1.0);
    CHECK(a.launch_credits() == 0);
    CHECK(a.balance() == credits(3));
    CHECK(a.max_speed_fraction(1.0) == 1.0);
    a.advance(2000 * kSecond, 1.0);
    CHECK(a.balance() == 0);
    CHECK(a.max_speed_fraction(1.0) == Approx(0.10));

    // Idle, launch credits stay on top of a full balance: 30 + 144.
    CpuCreditAccount idle(type("t2.micro"), CreditSpecification::Standard, CreditFamily::T2);
    idle.advance(48 * kHour, 0.0);
    CHECK(idle.launch_credits() == 30);
    CHECK(idle.balance() == 144);
    // Launch credits only in standard mode, and the caller may withhold them (the account's
    // 100 grants per 24 h).
    CpuCreditAccount unlimited(type("t2.micro"), CreditSpecification::Unlimited, CreditFamily::T2);
    CHECK(unlimited.launch_credits() == 0);
    CpuCreditAccount withheld(type("t2.micro"), CreditSpecification::Standard, CreditFamily::T2, 0,
                              false);
    CHECK(withheld.launch_credits() == 0);
}

TEST_CASE("CPU credits: stop and start, T2 loses the balance, T3 keeps it 7 days", "[credits]") {
    // T2: 10 h idle, 30 launch + 60 earned; a stop loses both; a start grants 30 again.
    CpuCreditAccount t2(type("t2.micro"), CreditSpecification::Standard, CreditFamily::T2);
    t2.advance(10 * kHour, 0.0);
    CHECK(t2.balance() == credits(60));
    CHECK(t2.stop(10 * kHour, 0.0) == 0);
    CHECK(t2.balance() == 0);
    CHECK(t2.launch_credits() == 0);
    CHECK(t2.max_speed_fraction(1.0) == 0);  // stopped: no CPU at all
    CHECK(t2.time_until_exhausted(1.0) == kNever);
    t2.start(11 * kHour);
    CHECK(t2.launch_credits() == 30);
    CHECK(t2.balance() == 0);
    CHECK_THROWS_AS(t2.start(12 * kHour), std::logic_error);

    // T3: 10 h idle = 120; nothing earned while stopped for 3 days; kept.
    CpuCreditAccount t3 = t3_micro(CreditSpecification::Standard);
    t3.advance(10 * kHour, 0.0);
    t3.stop(10 * kHour, 0.0);
    t3.advance(10 * kHour + 3 * kDay, 0.5);  // stopped: the clock moves, nothing else
    t3.start(10 * kHour + 3 * kDay);
    CHECK(t3.balance() == credits(120));
    CHECK(t3.launch_credits() == 0);
    // Stopped exactly 7 days: still kept.
    const SimTime s1 = t3.last_update();
    t3.stop(s1, 0.0);
    t3.start(s1 + 7 * kDay);
    CHECK(t3.balance() == credits(120));
    // Stopped 7 days and a second: lost.
    const SimTime s2 = t3.last_update();
    t3.stop(s2, 0.0);
    t3.start(s2 + 7 * kDay + kSecond);
    CHECK(t3.balance() == 0);
    CHECK_THROWS_AS(t3.stop(s2, 0.0), std::invalid_argument);  // before the last update
}

TEST_CASE("CPU credits: time_until_exhausted matches advance", "[credits]") {
    struct Case {
        const char* type;
        CreditSpecification spec;
        CreditFamily family;
        double warm_hours;  // idle first, to build a balance
    };
    const Case cases[] = {
        {"t2.micro", CreditSpecification::Standard, CreditFamily::T2, 0},
        {"t2.medium", CreditSpecification::Standard, CreditFamily::T2, 3.3},
        {"t3.micro", CreditSpecification::Standard, CreditFamily::T3, 7.25},
        {"t3.large", CreditSpecification::Unlimited, CreditFamily::T3, 30},
        {"t3.2xlarge", CreditSpecification::Standard, CreditFamily::T3, 1.7},
    };
    for (const Case& c : cases) {
        for (double u : {0.11, 0.45, 0.5, 0.87, 1.0}) {
            CpuCreditAccount a(type(c.type), c.spec, c.family);
            a.advance(from_seconds(c.warm_hours * 3600), 0.0);
            const SimTime t = a.time_until_exhausted(u);
            if (u <= a.baseline_fraction()) {
                CHECK(t == kNever);
                continue;
            }
            REQUIRE(t > 0);
            REQUIRE(t != kNever);
            CpuCreditAccount before = a;
            before.advance(a.last_update() + t - kSecond, u);
            CHECK(before.balance() + before.launch_credits() > 0);
            CHECK(before.max_speed_fraction(u) == Approx(u));
            a.advance(a.last_update() + t, u);
            CHECK(a.balance() == 0);
            CHECK(a.launch_credits() == 0);
            CHECK(a.surplus_credits() == 0);
            if (c.spec == CreditSpecification::Standard)
                CHECK(a.max_speed_fraction(u) == Approx(a.baseline_fraction()));
        }
    }
}

}  // namespace test_cpu_credits
