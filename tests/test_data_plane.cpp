// The data plane under failure: health checks that time out on an overloaded instance,
// power-off and termination of instances, draining, slow start, a load balancer node down
// with its AZ, and extra latency.
#include <catch2/catch.hpp>

#include "sim/cloud/world.hpp"
#include "sim/report/run.hpp"
#include "support.hpp"
#include "world_support.hpp"

namespace test_data_plane {

using namespace stratus;
using stratus::testing::basic_spec;

namespace {

// The World hands out its fleet as const; the instances themselves are not const objects, so
// a test may act on them mid-run as the control plane will.
cloud::Instance& instance(cloud::World& world, std::uint32_t i) {
    return const_cast<cloud::Instance&>(world.fleet()[i]);
}

std::uint64_t count(const report::Run& run, cloud::Outcome o) {
    return run.recorder().count(o);
}

// Requests whose end the clients saw: each once, so with nothing in flight this equals the
// arrivals (a request counted twice or never would show).
std::uint64_t accounted(const report::Run& run) {
    return run.recorder().count(cloud::Outcome::Ok) + run.recorder().errors();
}

// Requests the instances hold at the moment (lost ones excluded).
std::uint64_t held_now(const cloud::World& world) {
    std::uint64_t n = 0;
    for (std::uint32_t i = 0; i < world.fleet().size(); ++i)
        n += static_cast<std::uint64_t>(world.fleet()[i].outstanding());
    return n;
}

// The time and reason of the first target_health_changed event of `instance` to `to`.
std::pair<SimTime, std::string> transition(const report::Run& run, const std::string& instance,
                                           const std::string& to) {
    for (const auto& r : testing::json_events(run)) {
        if (r.type == "target_health_changed" && r.subjects["instance"] == instance &&
            r.subjects["to"] == to) {
            return {r.t, r.subjects["reason"].get<std::string>()};
        }
    }
    return {kNever, ""};
}

struct RecordingListener final : cloud::DeregistrationListener {
    cloud::World* world = nullptr;
    bool terminate = false;
    int calls = 0;
    SimTime at = kNever;
    int outstanding_then = -1;
    void on_deregistered(std::uint32_t i) override {
        ++calls;
        at = world->sim().now();
        outstanding_then = world->fleet()[i].outstanding();
        if (terminate) instance(*world, i).terminate();
    }
};

}  // namespace

TEST_CASE("an overloaded instance fails its health checks on timeout and turns unhealthy",
          "[dataplane]") {
    // One m5.large: 2 workers, 50 ms mean service, so 40 requests/s at most. From t = 10 s,
    // 100/s arrive and the queue grows by about 60/s. A check waits (queued + 1) / 2 x 50 ms:
    // more than the 5 s timeout once about 200 are queued, near t = 13.3 s. Checks come every
    // 5 s; the second failure in a row (unhealthy_threshold 2) makes it unhealthy, between
    // 13.3 + 5 and 13.3 + 10 s.
    auto spec = basic_spec(1, 100.0);
    spec.simulation.duration = 60 * kSecond;
    report::Run run(spec);
    cloud::World& world = run.world();
    world.run_until(9 * kSecond);
    REQUIRE(world.target_groups()[0]->state_of(0) == cloud::TargetHealthState::Healthy);
    world.run();
    const auto [t, reason] = transition(run, "i-0001", "unhealthy");
    INFO("unhealthy at " << to_seconds(t) << " s");
    CHECK(reason == "Target.Timeout");
    CHECK(t >= 18 * kSecond);
    CHECK(t <= 24 * kSecond);
    CHECK(world.fleet()[0].estimated_response_s() > 5.0);
    CHECK(world.target_groups()[0]->state_of(0) == cloud::TargetHealthState::Unhealthy);
    // Fail open: the only target still takes the traffic.
    CHECK(world.fleet()[0].accepted() > 2000);

    // At 30/s (utilisation 0.75) the checks keep passing.
    auto light = basic_spec(1, 30.0);
    light.simulation.duration = 300 * kSecond;
    report::Run ok_run(light);
    cloud::World& ok = ok_run.world();
    ok.run();
    CHECK(transition(ok_run, "i-0001", "unhealthy").first == kNever);
    CHECK(ok.target_groups()[0]->healthy_count() == 1);
}

TEST_CASE("a lost request keeps its deadline while thousands of answered ones are dropped",
          "[dataplane]") {
    // Two m5.large at 60/s in all (utilisation 0.75) with a 60 s client timeout; instance 0 is
    // powered off at 100 s holding a few requests. In the next minute about 3,600 requests
    // arrive and are answered in milliseconds: their deadlines leave the workload's FIFO in
    // bulk (it is compacted whenever stale entries make up half of it and more than 1,024), and
    // the lost requests' deadlines must survive each pass: each gets its 504 at arrival + 60 s.
    auto spec = basic_spec(2, 60.0);
    spec.simulation.duration = 200 * kSecond;
    spec.workload[0].timeout = 60 * kSecond;
    report::Run run(spec);
    cloud::World& world = run.world();
    world.run_until(100 * kSecond);
    cloud::Instance& inst = instance(world, 0);
    const int held = inst.outstanding();
    REQUIRE(held > 0);
    REQUIRE(run.recorder().errors() == 0);
    const std::uint64_t arrivals_before = run.recorder().arrivals();
    inst.power_off();
    // The load balancer sends to the stopped instance until its checks fail (504 at once).
    world.run_until(159 * kSecond);
    REQUIRE(run.recorder().arrivals() - arrivals_before > 3000);  // the FIFO was compacted
    const std::uint64_t before_deadlines = count(run, cloud::Outcome::Http504);
    // The held requests arrived in the second before 100 s: their deadlines are in (159, 160].
    world.run_until(161 * kSecond);
    CHECK(count(run, cloud::Outcome::Http504) - before_deadlines ==
          static_cast<std::uint64_t>(held));
    CHECK(accounted(run) + held_now(world) == run.recorder().arrivals());
}

TEST_CASE("a powered-off instance loses its requests: 504 at each client's deadline, once",
          "[dataplane]") {
    // One m5.large at 36/s (utilisation 0.9) from 10 s to 100 s, then no more arrivals.
    // Clients give up after 30 s.
    auto spec = basic_spec(1, 36.0);
    spec.simulation.duration = 200 * kSecond;
    spec.workload[0].rate.steps = {{0, 0.0}, {10 * kSecond, 36.0}, {100 * kSecond, 0.0}};
    spec.workload[0].timeout = 30 * kSecond;
    report::Run run(spec);
    cloud::World& world = run.world();
    world.run_until(100 * kSecond);
    cloud::Instance& inst = instance(world, 0);
    const int held = inst.outstanding();
    const std::uint64_t ok_before = count(run, cloud::Outcome::Ok);
    REQUIRE(held > 0);
    REQUIRE(run.recorder().errors() == 0);
    inst.power_off();
    inst.power_off();  // idempotent
    CHECK(inst.state() == cloud::InstanceState::Stopped);
    CHECK_FALSE(inst.answers_health_check());
    CHECK(inst.outstanding() == 0);
    CHECK(inst.busy() == 0);
    // Every held request arrived in the last few seconds (the queue is short): no deadline
    // before 120 s, all of them by 130 s.
    world.run_until(120 * kSecond);
    CHECK(count(run, cloud::Outcome::Http504) == 0);
    world.run_until(131 * kSecond);
    CHECK(count(run, cloud::Outcome::Http504) == static_cast<std::uint64_t>(held));
    // The completions of the requests that were in service are ignored.
    CHECK(count(run, cloud::Outcome::Ok) == ok_before);
    CHECK(run.recorder().errors() == static_cast<std::uint64_t>(held));
    CHECK(accounted(run) + held_now(world) == run.recorder().arrivals());

    // A stopped instance drains at once; terminating it answers nothing more.
    RecordingListener listener;
    listener.world = &world;
    world.target_groups()[0]->deregister_target(0, &listener);
    CHECK(listener.calls == 1);
    CHECK(listener.at == 131 * kSecond);
    inst.terminate();
    inst.terminate();
    CHECK(inst.state() == cloud::InstanceState::Terminated);
    CHECK(inst.lifecycle() == cloud::LifecycleState::Terminated);
    // (With the control plane, the group's EC2 check may have replaced it already.)
    CHECK(inst.terminated_at() <= 131 * kSecond);
    world.run();
    CHECK(run.recorder().errors() == static_cast<std::uint64_t>(held));
    CHECK(accounted(run) + held_now(world) == run.recorder().arrivals());
}

TEST_CASE("a stopped instance's target is unused at once and gets no new request", "[dataplane]") {
    // Two targets, round robin; the first is powered off at 100 s. The load balancer sees the
    // EC2 state: its target is unused (Target.InvalidState) from that instant, never
    // unhealthy, and the other target takes every request; only what the first held when it
    // stopped fails (504 at its clients' timeout: about 20/s x 50 ms x 1/2 = 0.5 requests).
    auto spec = basic_spec(2, 20.0);
    spec.simulation.duration = 200 * kSecond;
    report::Run run(spec);
    cloud::World& world = run.world();
    world.run_until(100 * kSecond);
    const std::uint64_t before = world.fleet()[0].accepted();
    instance(world, 0).power_off();
    CHECK(world.target_groups()[0]->state_of(0) == cloud::TargetHealthState::Unused);
    CHECK(world.target_groups()[0]->healthy_count() == 1);
    CHECK(world.target_groups()[0]->unhealthy_count() == 0);
    world.run();
    const auto [t, reason] = transition(run, "i-0001", "unused");
    CHECK(reason == "Target.InvalidState");
    CHECK(t == 100 * kSecond);
    CHECK(transition(run, "i-0001", "unhealthy").first == kNever);
    CHECK(world.fleet()[0].accepted() == before);
    CHECK(count(run, cloud::Outcome::Http504) <= 5);
    CHECK(accounted(run) + held_now(world) == run.recorder().arrivals());
}

TEST_CASE("a draining target gets no new request and leaves early once idle", "[dataplane]") {
    auto spec = basic_spec(2, 20.0);
    spec.simulation.duration = 300 * kSecond;
    report::Run run(spec);
    cloud::World& world = run.world();
    auto& tg = *world.target_groups()[0];
    world.run_until(100 * kSecond);
    const std::uint64_t before = world.fleet()[0].accepted();
    RecordingListener listener;
    listener.world = &world;
    tg.deregister_target(0, &listener);
    CHECK(tg.state_of(0) == cloud::TargetHealthState::Draining);
    CHECK(transition(run, "i-0001", "draining").second == "Target.DeregistrationInProgress");
    CHECK(tg.healthy_count() == 1);
    CHECK(tg.draining_count() == 1);
    world.run_until(100 * kSecond + 500 * kMillisecond);
    CHECK(world.fleet()[0].accepted() == before);
    CHECK(listener.calls == 0);
    // Requests take 50 ms on average: idle at the first poll, 1 s after deregistration, far
    // before the 300 s delay.
    world.run_until(110 * kSecond);
    CHECK(listener.calls == 1);
    CHECK(listener.at == 101 * kSecond);
    CHECK(listener.outstanding_then == 0);
    CHECK(tg.state_of(0) == cloud::TargetHealthState::Unused);
    CHECK(tg.draining_count() == 0);
    // Deregistering what already left calls the listener at once.
    tg.deregister_target(0, &listener);
    CHECK(listener.calls == 2);
    world.run();
    CHECK(world.fleet()[0].accepted() == before);
    CHECK(run.recorder().errors() == 0);
    CHECK(accounted(run) + held_now(world) == run.recorder().arrivals());
}

TEST_CASE("when the deregistration delay expires, requests still in flight get 502",
          "[dataplane]") {
    // Requests of 100 s each at 1/s: the draining target can never empty its queue in the
    // 30 s delay. At 130 s the listener terminates the instance; each request it still holds
    // ends as a 502 at that moment.
    auto spec = basic_spec(2, 1.0);
    spec.simulation.duration = 300 * kSecond;
    spec.workload[0].service_time = scenario::DurationDist::constant(100 * kSecond);
    spec.target_group[0].deregistration_delay = 30;
    report::Run run(spec);
    cloud::World& world = run.world();
    auto& tg = *world.target_groups()[0];
    world.run_until(100 * kSecond);
    const std::uint64_t before = world.fleet()[0].accepted();
    RecordingListener listener;
    listener.world = &world;
    listener.terminate = true;
    tg.deregister_target(0, &listener);
    world.run_until(129 * kSecond);
    CHECK(listener.calls == 0);
    world.run_until(131 * kSecond);
    REQUIRE(listener.calls == 1);
    CHECK(listener.at == 130 * kSecond);
    CHECK(listener.outstanding_then > 20);
    CHECK(count(run, cloud::Outcome::Http502) ==
          static_cast<std::uint64_t>(listener.outstanding_then));
    CHECK(world.fleet()[0].accepted() == before);
    CHECK(world.fleet()[0].outstanding() == 0);
    CHECK(world.fleet()[0].terminated_at() == 130 * kSecond);
    world.run();
    CHECK(count(run, cloud::Outcome::Http502) ==
          static_cast<std::uint64_t>(listener.outstanding_then));
    // The other instance's requests are still being served or were answered.
    CHECK(accounted(run) + held_now(world) == run.recorder().arrivals());
}

namespace {

struct SlowStartShares {
    double first10 = 0, last10 = 0, after = 0;
    bool was_in_slow_start = false;
};

// One instance from t = 0 and one that boots at 120 s, 20 requests/s, 60 s of slow start.
// The late target's share of the requests in the first and last 10 s of its slow start, and
// over the 100 s after it.
SlowStartShares slow_start_shares(scenario::LoadBalancingAlgorithm algorithm) {
    auto spec = basic_spec(1, 20.0);
    spec.simulation.duration = 400 * kSecond;
    spec.target_group[0].slow_start = 60;
    spec.target_group[0].load_balancing_algorithm_type = algorithm;
    auto late_lt = spec.launch_template[0];
    late_lt.name = "late";
    late_lt.boot_time = scenario::DurationDist::constant(120 * kSecond);
    spec.launch_template.push_back(late_lt);
    auto late = spec.autoscaling_group[0];
    late.name = "late";
    late.launch_template = "late";
    spec.autoscaling_group.push_back(late);

    report::Run run(spec);
    cloud::World& world = run.world();
    auto& tg = *world.target_groups()[0];
    SimTime t = 120 * kSecond;
    world.run_until(t);
    REQUIRE(world.fleet().size() == 2);
    while (tg.state_of(1) != cloud::TargetHealthState::Healthy) {
        t += 100 * kMillisecond;
        world.run_until(t);
    }
    SlowStartShares out;
    out.was_in_slow_start = tg.in_slow_start(1);
    auto share_over = [&](SimTime from, SimTime to) {
        world.run_until(from);
        const double a0 = world.fleet()[0].accepted(), b0 = world.fleet()[1].accepted();
        world.run_until(to);
        const double a = world.fleet()[0].accepted() - a0, b = world.fleet()[1].accepted() - b0;
        return b / (a + b);
    };
    out.first10 = share_over(t, t + 10 * kSecond);
    out.last10 = share_over(t + 50 * kSecond, t + 60 * kSecond);
    out.after = share_over(t + 60 * kSecond, t + 160 * kSecond);
    return out;
}

}  // namespace

TEST_CASE("slow start ramps a new target's round-robin share linearly", "[dataplane]") {
    // Weight w = elapsed / 60 s; round robin gives it w / (1 + w) of the requests. Averaged
    // over the first 10 s: 6 (1/6 - ln(7/6)) = 0.075; over the last 10 s:
    // 6 (1/6 - ln(12/11)) = 0.478; afterwards one half.
    const auto s = slow_start_shares(scenario::LoadBalancingAlgorithm::RoundRobin);
    CHECK(s.was_in_slow_start);
    CHECK(s.first10 == Approx(0.075).margin(0.03));
    CHECK(s.last10 == Approx(0.478).margin(0.04));
    CHECK(s.after == Approx(0.5).margin(0.01));
}

TEST_CASE("slow start ramps a new target's least-outstanding-requests share too", "[dataplane]") {
    // The target earns w / 2 of a request per request: at most 1/24 = 0.042 of the requests
    // over the first 10 s and 11/24 = 0.458 over the last 10 s.
    const auto s = slow_start_shares(scenario::LoadBalancingAlgorithm::LeastOutstandingRequests);
    CHECK(s.was_in_slow_start);
    CHECK(s.first10 < 0.07);
    CHECK(s.last10 > 0.35);
    CHECK(s.last10 < 0.5);
    CHECK(s.after == Approx(0.5).margin(0.03));
}

TEST_CASE("the first targets of an empty group get no slow start", "[dataplane]") {
    auto spec = basic_spec(2, 20.0);
    spec.target_group[0].slow_start = 60;
    spec.simulation.duration = 100 * kSecond;
    report::Run run(spec);
    cloud::World& world = run.world();
    world.run_until(9 * kSecond);
    CHECK_FALSE(world.target_groups()[0]->in_slow_start(0));
    CHECK_FALSE(world.target_groups()[0]->in_slow_start(1));
}

TEST_CASE("a load balancer node down with its AZ keeps its DNS share for the 60 s TTL",
          "[dataplane]") {
    auto spec = basic_spec(2, 20.0);
    spec.simulation.duration = 400 * kSecond;
    report::Run run(spec);
    cloud::World& world = run.world();
    auto& lb = *world.load_balancers()[0];
    world.run_until(100 * kSecond);
    const std::uint64_t arrivals0 = run.recorder().arrivals();
    const std::uint64_t node0 = lb.node_requests(0);
    lb.set_zone_available(0, false);
    CHECK_FALSE(lb.node_up(0));
    // Until 160 s, DNS still sends every other client to the dead node: 504 at once.
    world.run_until(160 * kSecond - 1);
    const std::uint64_t window = run.recorder().arrivals() - arrivals0;
    const std::uint64_t lost = count(run, cloud::Outcome::Http504);
    CHECK(lost == lb.node_unreachable(0));
    CHECK(lb.node_requests(0) - node0 == lost);
    CHECK(window > 1000);
    CHECK(2 * lost >= window - 1);
    CHECK(2 * lost <= window + 1);
    // After the TTL the other node takes every client.
    world.run_until(300 * kSecond);
    CHECK(count(run, cloud::Outcome::Http504) == lost);
    CHECK(lb.node_requests(0) - node0 == lost);
    // Back with its AZ: used again at once.
    lb.set_zone_available(0, true);
    const std::uint64_t node0_back = lb.node_requests(0);
    const std::uint64_t arrivals_back = run.recorder().arrivals();
    world.run_until(400 * kSecond);
    const std::uint64_t since = run.recorder().arrivals() - arrivals_back;
    CHECK(2 * (lb.node_requests(0) - node0_back) >= since - 1);
    CHECK(count(run, cloud::Outcome::Http504) == lost);
    CHECK(run.recorder().errors() == lost);
    CHECK(accounted(run) + held_now(world) == run.recorder().arrivals());
}

TEST_CASE("with every load balancer node down, every request gets 504", "[dataplane]") {
    auto spec = basic_spec(2, 20.0);
    spec.simulation.duration = 300 * kSecond;
    report::Run run(spec);
    cloud::World& world = run.world();
    auto& lb = *world.load_balancers()[0];
    world.run_until(100 * kSecond);
    const std::uint64_t ok = count(run, cloud::Outcome::Ok);
    lb.set_zone_available(0, false);
    lb.set_zone_available(1, false);
    world.run_until(300 * kSecond);
    CHECK(count(run, cloud::Outcome::Ok) == ok);
    CHECK(count(run, cloud::Outcome::Http504) == lb.node_unreachable(0) + lb.node_unreachable(1));
    CHECK(accounted(run) + held_now(world) == run.recorder().arrivals());
}

TEST_CASE("extra latency adds to every response time", "[dataplane]") {
    // One m5.large at 2/s with 50 ms requests: hardly any waiting. 200 ms of extra latency
    // from t = 5 s makes each request 250 ms; the 2 workers are then busy 0.25 Erlang each
    // and the M/D/2 wait adds well under 10 ms.
    auto spec = basic_spec(1, 2.0);
    spec.simulation.duration = 2000 * kSecond;
    spec.workload[0].service_time = scenario::DurationDist::constant(50 * kMillisecond);
    report::Run plain_run(spec);
    report::Run slow_run(spec);
    cloud::World& plain = plain_run.world();
    cloud::World& slow = slow_run.world();
    plain.run();
    slow.run_until(5 * kSecond);
    instance(slow, 0).set_extra_latency(200 * kMillisecond);
    CHECK(slow.fleet()[0].estimated_response_s() == Approx(0.2));
    // Set again after each whole second: the World's own latency faults (none here) are
    // re-applied on whole seconds and would otherwise take it away.
    for (SimTime t = 6 * kSecond; t <= slow.horizon(); t += kSecond) {
        slow.run_until(t);
        instance(slow, 0).set_extra_latency(200 * kMillisecond);
    }
    const double base = plain_run.recorder().latency().mean() / kSecond;
    const double more = slow_run.recorder().latency().mean() / kSecond;
    CHECK(base == Approx(0.050).margin(0.002));
    CHECK(more - base >= 0.2);
    CHECK(more - base < 0.21);
    CHECK(slow_run.recorder().arrival_fingerprint() == plain_run.recorder().arrival_fingerprint());
    instance(slow, 0).set_extra_latency(0);
    CHECK(slow.fleet()[0].estimated_response_s() == 0.0);
}

}  // namespace test_data_plane
