// A load-balanced queueing scenario in request mode: 20 instances with 4 vCPUs each, 4,000
// requests/s Poisson, exponential service of mean 16.7 ms, two million requests (500 s).
#include <benchmark/benchmark.h>

#include "sim/cloud/world.hpp"
#include "tests/support.hpp"

namespace {

stratus::scenario::Spec queueing_spec() {
    // 20 m5.xlarge (4 vCPU each) behind one ALB; the clients start after 10 s, once the fleet
    // is healthy, and send 2,000,000 requests over 500 s.
    auto s = stratus::testing::basic_spec(20, 4000.0, "m5.xlarge");
    s.simulation.name = "bench-queueing";
    s.simulation.duration = 510 * stratus::kSecond;
    s.workload[0].service_time.mean = 16700;  // 16.7 ms
    s.workload[0].timeout = 30 * stratus::kSecond;
    s.launch_template[0].max_queue = 1000;
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
    // Seconds of wall time per simulated request (kIsRate | kInvert: time / count).
    state.counters["s_per_request"] = benchmark::Counter(
        static_cast<double>(requests), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_QueueingScenario)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
