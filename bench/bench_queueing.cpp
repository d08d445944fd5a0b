// A load-balanced queueing scenario in request mode: 20 instances with 4 vCPUs each, 4,000
// requests/s Poisson, exponential service of mean 16.7 ms; the argument is the number of
// requests (two million: 500 s). Besides the speed it reports the heap allocations per request
// in the steady state (after the first 100 s, when every pool has reached its working size)
// and the process's peak resident memory, which tools/bench compares between 1 and 4 million
// requests (one process each) to show it does not grow with the horizon.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include "bench/alloc_counter.hpp"
#include "bench/bench_support.hpp"
#include "sim/cloud/world.hpp"
#include "sim/report/run.hpp"

namespace {

stratus::scenario::Spec queueing_spec(std::int64_t requests, std::int64_t timeout_s = 30) {
    // 20 m5.xlarge (4 vCPU each) behind one ALB; the clients start after 10 s, once the fleet
    // is healthy, and send `requests` requests at 4,000/s.
    auto s = stratus::bench::basic_spec(20, 4000.0, "m5.xlarge");
    s.simulation.name = "bench-queueing";
    s.simulation.duration = 10 * stratus::kSecond + requests * stratus::kSecond / 4000;
    s.workload[0].service_time.mean = 16700;  // 16.7 ms
    s.workload[0].timeout = timeout_s * stratus::kSecond;
    s.launch_template[0].max_queue = 1000;
    return s;
}

double peak_rss_mib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / 1024.0;  // KiB on Linux
}

void run_queueing(benchmark::State& state, const stratus::scenario::Spec& spec) {
    constexpr stratus::SimTime kWarmUp = 110 * stratus::kSecond;
    std::uint64_t events = 0, requests = 0, steady_allocs = 0, steady_requests = 0;
    for (auto _ : state) {
        stratus::report::Run run(spec);
        stratus::cloud::World& world = run.world();
        world.run_until(kWarmUp);
        const std::uint64_t allocs0 = stratus::bench::allocations();
        const std::uint64_t arrivals0 = run.recorder().arrivals();
        world.run();
        steady_allocs += stratus::bench::allocations() - allocs0;
        steady_requests += run.recorder().arrivals() - arrivals0;
        events += world.kernel_events();
        requests += run.recorder().arrivals();
    }
    state.counters["events_per_s"] =
        benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
    // Seconds of CPU time per simulated request (kIsRate | kInvert: time / count).
    state.counters["s_per_request"] = benchmark::Counter(
        static_cast<double>(requests), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.counters["requests"] = static_cast<double>(requests / state.iterations());
    state.counters["events"] = static_cast<double>(events / state.iterations());
    state.counters["allocs_per_request"] =
        static_cast<double>(steady_allocs) / static_cast<double>(steady_requests);
    state.counters["peak_rss_mib"] = peak_rss_mib();
}
void BM_QueueingScenario(benchmark::State& state) {
    run_queueing(state, queueing_spec(state.range(0)));
}
BENCHMARK(BM_QueueingScenario)
    ->Arg(2000000)
    ->Arg(1000000)
    ->Arg(4000000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

// The same workload with a client timeout of one hour: a request's deadline must cost nothing
// once it is answered (a few milliseconds later), so time and memory stay those of the 30 s
// timeout (issue 19: they grew with rate x timeout, 67 MB and 1.4x the time).
void BM_QueueingLongTimeout(benchmark::State& state) {
    run_queueing(state, queueing_spec(state.range(0), 3600));
}
BENCHMARK(BM_QueueingLongTimeout)->Arg(2000000)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
