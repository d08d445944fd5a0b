// A fleet held at its maximum size past its capacity for an hour and a half: every queue sits
// at its bound and each second splits the arrivals the same way between the workers and the
// overflow. The fluid mode steps such a backlog like calm traffic (FluidModel::held_settled,
// docs/fluid.md "Steps") instead of one second at a time; this checks that it still agrees
// with request mode and that it takes the long steps.
#include <catch2/catch.hpp>

#include <string>

#include "sim/cloud/fluid_model.hpp"
#include "sim/cloud/world.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/loader.hpp"

namespace test_fluid_held_backlog {

using namespace stratus;

namespace {

// Two c5.xlarge, at most four, behind an ALB; 300 requests/s for half an hour, then 1,100/s
// for an hour and a half, past what four instances serve at 20 ms (each about 200/s).
const char* const kHeldAtMax = R"(
[simulation]
name = "held-at-max"
duration = "2h"
seed = 7

[region]
name = "us-east-1"
availability_zones = ["us-east-1a", "us-east-1b"]

[[launch_template]]
name = "api"
instance_type = "c5.xlarge"
max_queue = 100
boot_time = "40s"
app_start_time = "20s"

[[target_group]]
name = "api-tg"
health_check = { interval = 30, timeout = 5, healthy_threshold = 3, unhealthy_threshold = 2 }

[[load_balancer]]
name = "api-alb"

[[lb_listener]]
load_balancer = "api-alb"
port = 80
target_group = "api-tg"

[[autoscaling_group]]
name = "api"
launch_template = "api"
min_size = 2
max_size = 4
desired_capacity = 2
target_groups = ["api-tg"]

[[autoscaling_policy]]
name = "cpu55"
autoscaling_group = "api"
policy_type = "TargetTrackingScaling"
target_tracking_configuration = { predefined_metric_type = "ASGAverageCPUUtilization", target_value = 55 }

[[workload]]
name = "api"
load_balancer = "api-alb"
rate = { shape = "steps", steps = [["0h", 300], ["30m", 1100]] }
service_time = { dist = "exponential", mean = "20ms" }
timeout = "3s"
)";

struct Outcome {
    std::uint64_t ok = 0, errors = 0, steps = 0;
    double cost = 0;
    int final_desired = 0;
};

Outcome run(scenario::Fidelity fidelity) {
    scenario::Spec spec = scenario::load_text(kHeldAtMax, "held-at-max.toml");
    spec.simulation.fidelity = fidelity;
    report::Run run(spec);
    cloud::World& world = run.world();
    world.run();
    Outcome o;
    o.ok = run.recorder().count(cloud::Outcome::Ok);
    o.errors = run.recorder().errors();
    o.cost = world.cost().total();
    o.steps = world.fluid() ? world.fluid()->steps() : 0;
    o.final_desired = world.groups().front()->desired_capacity();
    return o;
}

}  // namespace

TEST_CASE("fluid: a backlog held at its bound is stepped coarsely and agrees with request mode",
          "[fluid][overload]") {
    const Outcome r = run(scenario::Fidelity::Request);
    const Outcome f = run(scenario::Fidelity::Fluid);
    // Preconditions: the group reached its maximum and the fleet is overloaded (four
    // instances of about 200 requests/s each against 1,100/s: about a quarter refused).
    REQUIRE(r.final_desired == 4);
    REQUIRE(f.final_desired == 4);
    REQUIRE(r.errors > 1'000'000);
    // 1,100/s for 5,400 s against about 800/s served: errors within 1 %, answers within 0.5 %.
    CHECK(static_cast<double>(f.errors) == Approx(static_cast<double>(r.errors)).epsilon(0.01));
    CHECK(static_cast<double>(f.ok) == Approx(static_cast<double>(r.ok)).epsilon(0.005));
    CHECK(f.cost == Approx(r.cost).epsilon(0.01));
    // One-second steps for the held 5,400 s would be at least 5,400 steps; the held backlog
    // takes the calm traffic's steps (up to a minute) once its queues have settled.
    CHECK(f.steps < 5400 / 3);
}

}  // namespace test_fluid_held_backlog
