// Burstable instances wired to their CPU credits: a t3.micro (2 vCPU, 12 credits/h, 10 %
// baseline, at most 288 credits, no launch credits) left idle for 24 h earns the full 288
// credits; at 100 % it spends 120 credits/h and earns 12, so they last 288 / 108 h = 160 min.
// Standard mode is then throttled to the baseline (service time x 10); unlimited mode keeps
// its speed and runs a surplus.
#include <catch2/catch.hpp>

#include "sim/cloud/world.hpp"
#include "sim/report/outputs.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/loader.hpp"
#include "tests/support.hpp"

namespace test_burstable {

using namespace stratus;

namespace {

constexpr SimTime kLoadStart = 24 * kHour;
constexpr SimTime kExhausted = kLoadStart + 160 * kMinute;  // 288 / (120 - 12) h

// One t3.micro behind the ALB, idle for 24 h, then `rate` requests/s of constant 50 ms work.
// Its 2 workers serve 40/s at full speed: at 60/s they are always busy (100 % CPU) and the
// queue stays full at 20, so the latency is about (20 / 2 + 1) x the service time.
scenario::Spec burst_spec(scenario::CreditSpecification credits, double rate, SimTime duration) {
    auto s = stratus::testing::basic_spec(1, rate, "t3.micro");
    s.simulation.duration = duration;
    s.launch_template[0].max_queue = 20;
    s.workload[0].service_time = scenario::DurationDist::constant(50 * kMillisecond);
    s.workload[0].rate.steps = {{0, 0.0}, {kLoadStart, rate}};
    scenario::InstanceTypeSpec t;
    t.name = "t3.micro";  // overrides the catalog entry's credit mode only
    t.credit_specification = credits;
    s.instance_type.push_back(t);
    return s;
}

// Mean latency (ms) of the successful requests in the metrics periods within [from, to).
double mean_ms(const report::Run& run, SimTime from, SimTime to) {
    double sum = 0;
    std::uint64_t n = 0;
    for (const auto& row : run.recorder().rows()) {
        if (row.start < from || row.start >= to || row.mean_ms < 0) continue;
        const auto ok = row.outcomes[static_cast<int>(cloud::Outcome::Ok)];
        sum += row.mean_ms * static_cast<double>(ok);
        n += ok;
    }
    REQUIRE(n > 0);
    return sum / static_cast<double>(n);
}

}  // namespace

TEST_CASE("a t3.micro is burstable and starts with no credits", "[burstable]") {
    auto s = burst_spec(scenario::CreditSpecification::Standard, 60, kHour);
    REQUIRE(scenario::unsupported_features(s).empty());
    report::Run run(s);
    cloud::World& world = run.world();
    world.run_until(kHour);
    auto& inst = world.fleet()[0];
    REQUIRE(inst.burstable());
    REQUIRE(inst.cpu_credits() != nullptr);
    CHECK(inst.cpu_credits()->credit_specification() == scenario::CreditSpecification::Standard);
    CHECK(inst.cpu_credits()->launch_credits() == 0);
    CHECK(inst.cpu_credit_balance() == Approx(12.0));  // one idle hour of earnings, from zero
    CHECK_FALSE(inst.cpu_throttled());
}

TEST_CASE("standard t3.micro: throttled 160 min into a full load, then 10x slower", "[burstable]") {
    report::Run run(
        burst_spec(scenario::CreditSpecification::Standard, 60, kExhausted + 90 * kMinute));
    cloud::World& world = run.world();
    world.run_until(kLoadStart);
    auto& inst = world.fleet()[0];
    CHECK(inst.cpu_credit_balance() == Approx(288.0));  // 24 h of earnings: the cap

    world.run_until(kExhausted - 2 * kSecond);
    CHECK_FALSE(inst.cpu_throttled());
    CHECK(inst.throttled_starts() == 0);
    // Two seconds of 108 credits/h are left (the first requests took a few ms to arrive).
    CHECK(inst.cpu_credit_balance() == Approx(2 * 108.0 / 3600).epsilon(0.05));
    CHECK(inst.mean_service_s() == Approx(0.05));

    world.run_until(kExhausted + 2 * kSecond);
    CHECK(inst.cpu_throttled());
    CHECK(inst.cpu_credit_balance() == 0);
    // The timer throttles at the crossing, not at the next request.
    CHECK(inst.throttled_since() >= kExhausted);
    CHECK(inst.throttled_since() < kExhausted + kSecond);

    world.run();
    CHECK(inst.cpu_throttled());  // all workers busy at baseline: the balance stays at zero
    CHECK(inst.cpu_credit_balance() == 0);
    CHECK(inst.throttled_starts() > 0);
    CHECK(inst.mean_service_s() == Approx(0.5).epsilon(0.01));  // 50 ms at 10 % speed
    CHECK(inst.surplus_vcpu_hours_charged() == 0);
    const double before = mean_ms(run, kLoadStart + kHour, kExhausted);
    const double after = mean_ms(run, kExhausted + 30 * kMinute, kExhausted + 90 * kMinute);
    // About 11 x 50 ms: a full queue of 20 ahead on 2 workers, then its own service.
    CHECK(before == Approx(550).epsilon(0.1));
    CHECK(after / before == Approx(10).epsilon(0.1));  // every service time x 10
}

TEST_CASE("unlimited t3.micro: full speed all along, surplus as computed by hand", "[burstable]") {
    // 8 h of full load: the 288 credits last 160 min, the surplus then grows at 108/h up to
    // its cap of 288 (another 160 min), and the 160 min after that are charged as they go:
    // 288 credits = 4.8 vCPU-h. Terminating charges the 288 outstanding: 9.6 vCPU-h in all.
    const SimTime end = kLoadStart + 8 * kHour;
    report::Run run(burst_spec(scenario::CreditSpecification::Unlimited, 60, end));
    cloud::World& world = run.world();
    world.run();
    auto& inst = world.fleet()[0];
    CHECK_FALSE(inst.cpu_throttled());
    CHECK(inst.throttled_starts() == 0);
    CHECK(inst.cpu_credit_balance() == 0);
    CHECK(inst.cpu_surplus_credit_balance() == Approx(288.0).epsilon(1e-4));
    CHECK(inst.surplus_vcpu_hours_charged() == Approx(4.8).epsilon(1e-3));
    CHECK(inst.mean_service_s() == Approx(0.05));
    const double before = mean_ms(run, kLoadStart + kHour, kExhausted);
    const double after = mean_ms(run, kExhausted + 30 * kMinute, end);
    CHECK(after / before == Approx(1.0).epsilon(0.05));

    inst.terminate();
    CHECK(inst.surplus_vcpu_hours_charged() == Approx(9.6).epsilon(1e-3));
    CHECK(inst.cpu_surplus_credit_balance() == 0);
}

TEST_CASE("a load below the baseline never throttles and charges no surplus", "[burstable]") {
    // 3 requests/s of 50 ms on 2 workers: 7.5 % against a 10 % baseline, for 24 h.
    for (auto mode :
         {scenario::CreditSpecification::Standard, scenario::CreditSpecification::Unlimited}) {
        report::Run run(burst_spec(mode, 3, kLoadStart + 24 * kHour));
        cloud::World& world = run.world();
        world.run();
        auto& inst = world.fleet()[0];
        CHECK(inst.throttled_starts() == 0);
        CHECK_FALSE(inst.cpu_throttled());
        CHECK(inst.surplus_vcpu_hours_charged() == 0);
        CHECK(inst.cpu_surplus_credit_balance() == 0);
        // Earning 12/h, spending about 9/h: the balance stays at (or near) the cap.
        CHECK(inst.cpu_credit_balance() > 250);
        CHECK(inst.mean_service_s() == Approx(0.05));
        inst.terminate();
        CHECK(inst.surplus_vcpu_hours_charged() == 0);
    }
}

TEST_CASE("a non-burstable instance has no credits", "[burstable]") {
    auto s = stratus::testing::basic_spec(1, 10, "m5.large");
    s.simulation.duration = 10 * kMinute;
    report::Run run(s);
    cloud::World& world = run.world();
    world.run();
    auto& inst = world.fleet()[0];
    CHECK_FALSE(inst.burstable());
    CHECK(inst.cpu_credits() == nullptr);
    CHECK(inst.cpu_credit_balance() == 0);
    CHECK(inst.surplus_vcpu_hours_charged() == 0);
    CHECK_FALSE(inst.cpu_throttled());
    CHECK(inst.throttled_since() == kNever);
}

TEST_CASE("lab 16: a standard t3.micro runs out of credits at 11:15, unlimited stays fast",
          "[burstable][scenarios][labs]") {
    const std::string file =
        std::string(STRATUS_SOURCE_DIR) + "/scenarios/labs/16-burstable-credits.toml";
    auto run = [&](const std::vector<std::string>& sets, bool check_exhaustion) {
        auto spec = scenario::load_file(file, sets);
        REQUIRE(scenario::unsupported_features(spec).empty());
        report::Run run(spec);
        cloud::World& world = run.world();
        if (check_exhaustion) {
            // 81 credits banked by 09:00, spent at 36/h: out at 11:15.
            world.run_until(11 * kHour);
            CHECK(world.fleet()[0].cpu_credit_balance() == Approx(9).margin(1.5));
            CHECK_FALSE(world.fleet()[0].cpu_throttled());
            world.run_until(11 * kHour + 30 * kMinute);
            CHECK(world.fleet()[0].cpu_throttled());
            CHECK(world.fleet()[0].throttled_since() > 11 * kHour + 10 * kMinute);
            CHECK(world.fleet()[0].throttled_since() < 11 * kHour + 20 * kMinute);
        }
        world.run();
        auto summary = report::make_summary(run);
        auto& inst = world.fleet()[0];
        return std::make_tuple(summary, inst.throttled_starts(), inst.surplus_vcpu_hours_charged());
    };
    const auto [standard, slowed, standard_surplus] = run({}, true);
    const auto [unlimited, unslowed, surplus] =
        run({"instance_type.0.credit_specification=\"unlimited\""}, false);

    const double p99_standard = standard["latency_ms"]["p99"].get<double>();
    const double p99_unlimited = unlimited["latency_ms"]["p99"].get<double>();
    CHECK(p99_standard > 2000);  // a full queue of 10 at 500 ms a request
    CHECK(p99_unlimited < 300);
    CHECK(p99_standard > 10 * p99_unlimited);
    // The throttled afternoons get 503s: their windows miss; unlimited serves every window.
    CHECK(standard["slo"]["availability"]["met"] == false);
    CHECK(standard["slo"]["availability"]["whole_run_met"] == false);
    CHECK(unlimited["slo"]["availability"]["met"] == true);
    CHECK(slowed > 0);
    CHECK(standard_surplus == 0);
    CHECK(unslowed == 0);
    // Day 1 owes 36/h x 6.75 h = 243 by 18:00; 15 h at +9/h pay 135 of it; day 2 adds
    // 36/h x 9 h = 324: 432 owed, 144 over the cap of 288 charged = 2.4 vCPU-hours.
    CHECK(surplus == Approx(2.4).epsilon(0.1));
}

}  // namespace test_burstable
