// The kernel alone: the classic hold model. N events pending; each operation pops the earliest
// and schedules a new one at now + Exp(1 s). Reports hold operations per second.
#include <benchmark/benchmark.h>

#include "sim/core/random.hpp"
#include "sim/core/simulation.hpp"

namespace {

class Hold final : public stratus::EventHandler {
  public:
    Hold(stratus::Simulation& sim) : sim_(sim), rng_(1, "hold") {}
    void on_event(const stratus::Event&) override {
        sim_.schedule_in(static_cast<stratus::SimTime>(rng_.exponential(1e6)) + 1, this, 0);
    }
    void prime(int n) {
        for (int i = 0; i < n; ++i)
            sim_.schedule_in(static_cast<stratus::SimTime>(rng_.exponential(1e6)) + 1, this, 0);
    }

  private:
    stratus::Simulation& sim_;
    stratus::RandomStream rng_;
};

// Hold operations over every run of this process (Google Benchmark's trial runs included), so
// that tools/bench --instructions can divide callgrind's count inside step() by it.
std::uint64_t g_steps_in_process = 0;

void BM_HoldModel(benchmark::State& state) {
    stratus::Simulation sim;
    Hold hold(sim);
    hold.prime(static_cast<int>(state.range(0)));
    for (auto _ : state)
        sim.step();
    state.SetItemsProcessed(state.iterations());
    g_steps_in_process += static_cast<std::uint64_t>(state.iterations());
    state.counters["steps_in_process"] = static_cast<double>(g_steps_in_process);
    state.counters["holds_per_s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_HoldModel)->Arg(1000)->Arg(10000)->Arg(100000)->Arg(1000000);

}  // namespace
