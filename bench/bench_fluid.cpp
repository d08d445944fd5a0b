// The long horizon of issue 8 in fluid mode: 30 simulated days of a 3-AZ group of up to 200
// instances under a daily curve peaking at 20,000 requests/s with target tracking
// (scenarios/planning/saas-month-fluid.toml). Reports the wall time of the month, the
// simulated days per wall second, the kernel events (control plane: health checks, ticks,
// scaling) and the fluid steps.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "sim/cloud/fluid_model.hpp"
#include "sim/cloud/world.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/loader.hpp"

namespace {

std::string scenario_path() {
    // bench/bench_fluid.cpp -> scenarios/planning/ (CMake compiles with absolute paths).
    return (std::filesystem::path(__FILE__).parent_path().parent_path() / "scenarios" / "planning" /
            "saas-month-fluid.toml")
        .string();
}

void run_month(benchmark::State& state, const std::string& file) {
    const auto spec = stratus::scenario::load_file(file);
    std::uint64_t events = 0, steps = 0, requests = 0;
    double days = 0;
    for (auto _ : state) {
        stratus::report::Run run(spec);
        stratus::cloud::World& world = run.world();
        world.run();
        events += world.kernel_events();
        steps += world.fluid() ? world.fluid()->steps() : 0;
        requests += run.recorder().arrivals();
        days += stratus::to_seconds(world.horizon()) / 86400.0;
    }
    state.counters["sim_days_per_s"] = benchmark::Counter(days, benchmark::Counter::kIsRate);
    state.counters["events"] =
        benchmark::Counter(static_cast<double>(events), benchmark::Counter::kAvgIterations);
    state.counters["fluid_steps"] =
        benchmark::Counter(static_cast<double>(steps), benchmark::Counter::kAvgIterations);
    state.counters["requests"] =
        benchmark::Counter(static_cast<double>(requests), benchmark::Counter::kAvgIterations);
}
void BM_FluidMonth(benchmark::State& state) {
    run_month(state, scenario_path());
}
BENCHMARK(BM_FluidMonth)->Unit(benchmark::kMillisecond)->Iterations(1);

// The month of issue 19 as a user wrote it (bench/scenarios/month-c5xlarge-fluid.toml): the
// default 1-minute metrics period, c5.xlarge, target tracking at 55 %, 2,000-20,000
// requests/s, about 4,800 launches. Target: under 1 s on one core, and the cost of a step
// independent of the instances and targets the month has already retired.
void BM_FluidMonthDefaults(benchmark::State& state) {
    run_month(state, (std::filesystem::path(__FILE__).parent_path() / "scenarios" /
                      "month-c5xlarge-fluid.toml")
                         .string());
}
BENCHMARK(BM_FluidMonthDefaults)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
