// A load-balanced queueing scenario in request mode: 20 instances with 4 vCPUs each, 4,000
// requests/s Poisson, exponential service of mean 16.7 ms, two million requests (500 s).
#include <benchmark/benchmark.h>

#include "sim/cloud/world.hpp"

namespace {

stratus::scenario::Spec queueing_spec() {
    using namespace stratus;
    using namespace stratus::scenario;
    Spec s;
    s.simulation.name = "bench-queueing";
    s.simulation.duration = 500 * kSecond;
    s.region.availability_zones = {"us-east-1a", "us-east-1b"};
    LaunchTemplateSpec lt;
    lt.name = "web";
    lt.instance_type = "m5.xlarge";
    lt.boot_time = DurationDist::constant(0);
    lt.app_start_time = DurationDist::constant(0);
    s.launch_template.push_back(lt);
    TargetGroupSpec tg;
    tg.name = "tg";
    tg.health_check.interval = 5;
    s.target_group.push_back(tg);
    LoadBalancerSpec lb;
    lb.name = "alb";
    lb.availability_zones = s.region.availability_zones;
    s.load_balancer.push_back(lb);
    LbListenerSpec l;
    l.load_balancer = "alb";
    l.target_group = "tg";
    s.lb_listener.push_back(l);
    AutoScalingGroupSpec g;
    g.name = "web";
    g.launch_template = "web";
    g.min_size = g.max_size = g.desired_capacity = 20;
    g.availability_zones = s.region.availability_zones;
    g.target_groups = {"tg"};
    s.autoscaling_group.push_back(g);
    WorkloadSpec w;
    w.name = "clients";
    w.load_balancer = "alb";
    w.rate.value = 4000;
    w.service_time.kind = DistKind::Exponential;
    w.service_time.mean = 16700;
    s.workload.push_back(w);
    return s;
}

void BM_QueueingScenario(benchmark::State& state) {
    const auto spec = queueing_spec();
    std::uint64_t events = 0, requests = 0;
    for (auto _ : state) {
        stratus::cloud::World world(spec);
        world.run();
        events += world.kernel_events();
        requests += world.recorder().arrivals();
    }
    state.counters["events_per_s"] =
        benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
    state.counters["ns_per_request"] = benchmark::Counter(
        static_cast<double>(requests), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.counters["ns_per_request"] = state.counters["ns_per_request"] * 1e9;
}
BENCHMARK(BM_QueueingScenario)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
