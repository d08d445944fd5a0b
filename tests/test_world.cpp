// The request-mode model against queueing theory and hand calculation.
#include <catch2/catch.hpp>

#include "sim/cloud/world.hpp"
#include "sim/core/queueing.hpp"
#include "sim/report/outputs.hpp"
#include "sim/report/run.hpp"
#include "support.hpp"
#include "world_support.hpp"

namespace test_world {

using namespace stratus;
using stratus::testing::basic_spec;

namespace {

// Requests each instance took, in fleet order, as shares of all. Requires that some were
// taken (shares of nothing would be NaN and every comparison false).
std::vector<double> shares(const cloud::World& world) {
    std::vector<double> out;
    double total = 0;
    for (std::uint32_t i = 0; i < world.fleet().size(); ++i)
        total += world.fleet()[i].accepted();
    REQUIRE(total > 0);
    for (std::uint32_t i = 0; i < world.fleet().size(); ++i)
        out.push_back(world.fleet()[i].accepted() / total);
    return out;
}

}  // namespace

TEST_CASE("one instance with c workers matches the Erlang C mean response time within 3 %",
          "[queueing][world]") {
    // m5.xlarge: 4 vCPU x 1 worker = M/M/4; lambda = 64/s, mean service 50 ms: a = 3.2, rho = 0.8.
    auto spec = basic_spec(1, 64.0, "m5.xlarge");
    spec.simulation.duration = 20000 * kSecond;
    spec.simulation.warmup = 60 * kSecond;
    report::Run run(spec);
    cloud::World& world = run.world();
    world.run();
    const auto& lat = run.recorder().latency();
    const double expected_s = mmc_mean_response(4, 64.0, 20.0);
    const double measured_s = lat.mean() / kSecond;
    INFO("Erlang C mean response " << expected_s << " s, simulated " << measured_s << " s");
    REQUIRE(run.recorder().errors() == 0);
    REQUIRE(lat.count() > 1'200'000);
    CHECK(measured_s == Approx(expected_s).epsilon(0.03));
    // The waiting-time distribution too: P(wait > 0) is the Erlang C probability, seen as
    // the p50 of the response being close to the median of the service alone when C < 0.5.
    CHECK(erlang_c(4, 3.2) == Approx(0.5964).epsilon(0.001));
}

TEST_CASE("an M/M/1 instance has mean response 1/(mu - lambda)", "[queueing][world]") {
    // A custom 1-vCPU type: M/M/1 with lambda = 10/s, mu = 20/s: mean response 100 ms.
    auto spec = basic_spec(1, 10.0, "single");
    scenario::InstanceTypeSpec t;
    t.name = "single";
    t.vcpu = 1;
    t.on_demand_hourly = 0.01;
    spec.instance_type.push_back(t);
    spec.simulation.duration = 40000 * kSecond;
    spec.simulation.warmup = 60 * kSecond;
    report::Run run(spec);
    cloud::World& world = run.world();
    world.run();
    CHECK(run.recorder().latency().mean() / kSecond == Approx(0.100).epsilon(0.03));
    // The response time of M/M/1 is exponential with rate mu - lambda: p99 = ln(100)/10 s.
    CHECK(to_seconds(run.recorder().latency().percentile(99)) ==
          Approx(std::log(100.0) / 10.0).epsilon(0.04));
}

TEST_CASE("round robin gives every target the same share", "[routing][world]") {
    auto spec = basic_spec(4, 100.0);
    report::Run run(spec);
    cloud::World& world = run.world();
    world.run();
    const auto s = shares(world);
    REQUIRE(s.size() == 4);  // the loop below checks each of the four instances
    for (double share : s)
        CHECK(share == Approx(0.25).margin(0.002));
}

TEST_CASE("least outstanding requests shares an even fleet evenly and lowers waiting",
          "[routing][world]") {
    auto rr = basic_spec(4, 150.0);
    rr.simulation.duration = 3000 * kSecond;
    auto lor = rr;
    lor.target_group[0].load_balancing_algorithm_type =
        scenario::LoadBalancingAlgorithm::LeastOutstandingRequests;
    report::Run a_run(rr);
    report::Run b_run(lor);
    cloud::World& a = a_run.world();
    cloud::World& b = b_run.world();
    a.run();
    b.run();
    const auto s = shares(b);
    REQUIRE(s.size() == 4);
    for (double share : s)
        CHECK(share == Approx(0.25).margin(0.01));
    // Joining the shortest queue beats blind rotation at 94 % load.
    CHECK(b_run.recorder().latency().mean() < a_run.recorder().latency().mean());
}

TEST_CASE("cross-zone load balancing follows the ELB guide's worked example", "[routing][world]") {
    // One target in AZ a, two in AZ b (the group fills a, b, a ... so use 3 with a lopsided
    // placement: AZ a gets instances 1 and 3, AZ b gets instance 2).
    auto off = basic_spec(3, 60.0);
    off.load_balancer[0].enable_cross_zone_load_balancing = false;
    auto on = off;
    on.load_balancer[0].enable_cross_zone_load_balancing = true;
    report::Run a_run(off);
    report::Run b_run(on);
    cloud::World& a = a_run.world();
    cloud::World& b = b_run.world();
    a.run();
    b.run();
    // Off: each node keeps its half of the clients in its own AZ.
    const auto s_off = shares(a);
    REQUIRE(s_off.size() == 3);
    CHECK(s_off[0] == Approx(0.25).margin(0.005));  // AZ a
    CHECK(s_off[1] == Approx(0.50).margin(0.005));  // AZ b, alone
    CHECK(s_off[2] == Approx(0.25).margin(0.005));  // AZ a
    // On: every target gets a third.
    const auto s_on = shares(b);
    REQUIRE(s_on.size() == 3);
    for (double share : s_on)
        CHECK(share == Approx(1.0 / 3).margin(0.005));
}

TEST_CASE("a full queue answers 503 and a client timeout is a 504", "[world]") {
    auto spec = basic_spec(1, 200.0, "m5.large");  // 2 workers: capacity 40/s, offered 200/s
    spec.launch_template[0].max_queue = 10;
    spec.workload[0].timeout = 200 * kMillisecond;
    spec.simulation.duration = 300 * kSecond;
    report::Run run(spec);
    cloud::World& world = run.world();
    world.run();
    const auto& rec = run.recorder();
    CHECK(rec.count(cloud::Outcome::Http503) > 0);
    CHECK(rec.count(cloud::Outcome::Http504) > 0);
    // Every request is accounted for exactly once.
    CHECK(rec.arrivals() ==
          rec.count(cloud::Outcome::Ok) + rec.errors() + run.recorder().in_flight());
    // The fleet can answer at most 2 workers / 50 ms = 40 requests/s.
    CHECK(rec.count(cloud::Outcome::Ok) / 290.0 < 41.0);
}

TEST_CASE("with no registered target the load balancer answers 503", "[world]") {
    auto spec = basic_spec(1, 10.0);
    spec.autoscaling_group[0].min_size = spec.autoscaling_group[0].desired_capacity = 0;
    report::Run run(spec);
    cloud::World& world = run.world();
    world.run();
    REQUIRE(world.fleet().size() == 0);  // nothing was launched: no target to route to
    // The clients did send: 10/s from 10 s to 600 s, about 5,900 requests (Poisson, sd 77).
    REQUIRE(run.recorder().arrivals() > 5500);
    CHECK(run.recorder().count(cloud::Outcome::Http503) == run.recorder().arrivals());
}

TEST_CASE("instances go Pending then InService and are spread evenly over the AZs", "[world]") {
    auto spec = basic_spec(5, 0.0);
    spec.launch_template[0].boot_time = scenario::DurationDist::constant(40 * kSecond);
    spec.simulation.duration = 120 * kSecond;
    spec.simulation.metrics_period = 30 * kSecond;
    report::Run run(spec);
    cloud::World& world = run.world();
    world.run();
    const auto& rows = run.recorder().rows();
    REQUIRE(rows.size() == 4);
    CHECK(rows[0].gauges.pending == 5);  // at 30 s, still booting
    CHECK(rows[0].gauges.in_service == 0);
    CHECK(rows[1].gauges.in_service == 5);  // at 60 s
    CHECK(rows[1].gauges.in_service_by_az == std::vector<int>{3, 2});
    CHECK(world.fleet().counts().peak_in_service == 5);
    CHECK(world.instance_hours() == Approx(5 * 120.0 / 3600));
}

TEST_CASE("a target becomes healthy at its first passing check after the app starts", "[world]") {
    auto spec = basic_spec(1, 0.0);
    spec.launch_template[0].boot_time = scenario::DurationDist::constant(10 * kSecond);
    spec.launch_template[0].app_start_time = scenario::DurationDist::constant(20 * kSecond);
    spec.target_group[0].health_check.interval = 30;
    spec.simulation.duration = 300 * kSecond;
    report::Run run(spec);
    cloud::World& world = run.world();
    world.run();
    SimTime healthy_at = -1;
    for (const auto& e : testing::json_events(run)) {
        if (e.type == "target_health_changed" && e.subjects["to"] == "healthy") healthy_at = e.t;
    }
    // Registered at 10 s; checks every 30 s from a phase in (0, 30]; the app answers from 30 s.
    REQUIRE(healthy_at > 0);
    CHECK(healthy_at >= 30 * kSecond);
    CHECK(healthy_at <= 70 * kSecond);
}

TEST_CASE("the same scenario and seed give byte-identical outputs", "[determinism]") {
    auto spec = basic_spec(3, 80.0);
    spec.simulation.duration = 900 * kSecond;
    auto render = [](const scenario::Spec& s) {
        report::Run w_run(s);
        cloud::World& w = w_run.world();
        w.run();
        return report::make_summary(w_run).dump(2) + report::timeseries_csv(w_run) +
               report::events_jsonl(w_run);
    };
    const std::string first = render(spec);
    CHECK(render(spec) == first);
    auto other = spec;
    other.simulation.seed = 2;
    CHECK(render(other) != first);
}

TEST_CASE("changing a setting outside the traffic leaves the arrivals unchanged", "[determinism]") {
    auto base = basic_spec(3, 80.0);
    auto bigger = base;
    bigger.autoscaling_group[0].min_size = bigger.autoscaling_group[0].max_size =
        bigger.autoscaling_group[0].desired_capacity = 6;
    bigger.launch_template[0].instance_type = "c5.xlarge";
    bigger.target_group[0].health_check.interval = 10;
    report::Run a_run(base);
    report::Run b_run(bigger);
    cloud::World& a = a_run.world();
    cloud::World& b = b_run.world();
    a.run();
    b.run();
    CHECK(a_run.recorder().arrivals() == b_run.recorder().arrivals());
    CHECK(a_run.recorder().arrival_fingerprint() == b_run.recorder().arrival_fingerprint());
    // ... while the outcomes do change.
    CHECK(a_run.recorder().latency().mean() != b_run.recorder().latency().mean());
}

}  // namespace test_world
