// The viewer's frame: with 500 instances at 10,000 requests/s, how long one simulated second
// takes (the slice a frame runs) and how long the view model's snapshot takes (what a frame
// draws). stratus-viz keeps frames responsive by running slices within a 12 ms budget.
#include <benchmark/benchmark.h>

#include "sim/cloud/world.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/view/view_model.hpp"

namespace {

constexpr const char* kBig = R"(
[simulation]
name = "viewer-500"
duration = "2h"
[region]
name = "us-east-1"
availability_zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
[[launch_template]]
name = "web"
instance_type = "m5.large"
[[target_group]]
name = "tg"
health_check = { interval = 10, timeout = 5, healthy_threshold = 3, unhealthy_threshold = 2 }
[[load_balancer]]
name = "alb"
[[lb_listener]]
load_balancer = "alb"
target_group = "tg"
[[autoscaling_group]]
name = "web"
launch_template = "web"
min_size = 500
max_size = 600
target_groups = ["tg"]
health_check_type = "ELB"
[[workload]]
name = "w"
load_balancer = "alb"
rate = { shape = "constant", value = 10000 }
service_time = { dist = "exponential", mean = "40ms" }
)";

struct Fixture {
    stratus::scenario::Spec spec = stratus::scenario::load_text(kBig, "viewer-500.toml");
    stratus::report::Run run{spec};
    stratus::cloud::World& world = run.world();
    stratus::view::ViewModel model{run};
    Fixture() {
        world.start();
        while (world.sim().now() < 10 * stratus::kMinute) {
            world.run_until(world.sim().now() + stratus::kSecond);
            model.observe(run);
        }
    }
};

void BM_ViewerSlice(benchmark::State& state) {
    Fixture f;
    for (auto _ : state) {
        f.world.run_until(f.world.sim().now() + stratus::kSecond);
        f.model.observe(f.run);
    }
    state.counters["sim_s_per_s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ViewerSlice)->Unit(benchmark::kMillisecond)->Iterations(300);

void BM_ViewerSnapshot(benchmark::State& state) {
    Fixture f;
    for (auto _ : state) {
        auto region = f.model.region(f.run);
        auto charts = f.model.charts(f.run);
        auto activities = f.model.activities(f.run);
        benchmark::DoNotOptimize(region.tiles.data());
        benchmark::DoNotOptimize(charts.charts.data());
        benchmark::DoNotOptimize(activities.data());
    }
}
BENCHMARK(BM_ViewerSnapshot)->Unit(benchmark::kMillisecond);

}  // namespace
