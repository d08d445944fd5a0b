// A large fleet launched together in fluid mode: each target turns healthy at its own health
// check's phase, and every change of routing costs a re-solve of the whole fleet. Re-solving
// at each change made the run grow with the square of the fleet (issue 21); above 1,000
// instances the health changes within a grain share one re-solve (FluidModel::
// target_health_changed, docs/fluid.md "Large fleets"). This checks that the steps no longer
// grow with the fleet and that the answers still agree with request mode.
#include <catch2/catch.hpp>

#include <string>

#include "sim/cloud/fluid_model.hpp"
#include "sim/cloud/world.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/loader.hpp"

namespace test_fluid_large_fleet {

using namespace stratus;

namespace {

// `n` c5.large (2 vCPUs) behind an ALB, launched at once, `per_instance` requests/s each of
// 40 ms: 20 % busy once all serve, overloaded while the first targets turn healthy.
std::string fleet(int n, int per_instance, const char* duration) {
    const std::string size = std::to_string(n);
    return std::string(R"(
[simulation]
name = "large-fleet"
duration = ")") +
           duration + R"("
seed = 3

[region]
name = "us-east-1"
availability_zones = ["us-east-1a", "us-east-1b", "us-east-1c"]

[[launch_template]]
name = "api"
instance_type = "c5.large"

[[target_group]]
name = "tg"

[[load_balancer]]
name = "alb"

[[lb_listener]]
load_balancer = "alb"
port = 80
target_group = "tg"

[[autoscaling_group]]
name = "api"
launch_template = "api"
min_size = )" +
           size + "\nmax_size = " + size + "\ndesired_capacity = " + size + R"(
target_groups = ["tg"]

[[workload]]
name = "api"
load_balancer = "alb"
rate = )" + std::to_string(n * per_instance) +
           R"(
service_time = { dist = "exponential", mean = "40ms" }
)";
}

struct Outcome {
    std::uint64_t ok = 0, http_503 = 0, steps = 0;
    int in_service = 0;
};

Outcome run(int n, int per_instance, const char* duration, scenario::Fidelity fidelity) {
    scenario::Spec spec = scenario::load_text(fleet(n, per_instance, duration), "fleet.toml");
    spec.simulation.fidelity = fidelity;
    report::Run run(spec);
    cloud::World& world = run.world();
    world.run();
    Outcome o;
    o.ok = run.recorder().count(cloud::Outcome::Ok);
    o.http_503 = run.recorder().count(cloud::Outcome::Http503);
    o.steps = world.fluid() ? world.fluid()->steps() : 0;
    o.in_service = world.groups().front()->in_service_count();
    return o;
}

}  // namespace

TEST_CASE("fluid: a fleet launched together takes as many steps at 4,800 instances as at 1,200",
          "[fluid][scale]") {
    const Outcome small = run(1200, 20, "10m", scenario::Fidelity::Fluid);
    const Outcome large = run(4800, 20, "10m", scenario::Fidelity::Fluid);
    // Preconditions: every instance serves by the end, and the start-up was overloaded (the
    // first healthy targets took the whole rate: 503s).
    REQUIRE(small.in_service == 1200);
    REQUIRE(large.in_service == 4800);
    REQUIRE(small.http_503 > 0);
    REQUIRE(large.http_503 > 0);
    REQUIRE(small.steps > 0);
    // Re-solving at each health change took about one step per instance (1,200 against
    // 4,800 and more); sharing re-solves within a grain bounds them by the run's length.
    CHECK(large.steps < small.steps * 13 / 10);
    CHECK(large.steps < 4800 / 2);
}

TEST_CASE("fluid: a large fleet's start-up agrees with request mode", "[fluid][scale][long]") {
    // 1,500 instances (a grain of 75 ms) at 10 requests/s each for 5 minutes: 4.5 M requests.
    const Outcome r = run(1500, 10, "5m", scenario::Fidelity::Request);
    const Outcome f = run(1500, 10, "5m", scenario::Fidelity::Fluid);
    REQUIRE(r.in_service == 1500);
    REQUIRE(f.in_service == 1500);
    REQUIRE(r.http_503 > 10'000);  // the start-up refused part of the traffic
    // docs/fluid.md's tolerances: errors within 1 % (here the start-up's 503s, a test of the
    // ramp of healthy targets), successful requests within 0.5 %.
    CHECK(static_cast<double>(f.http_503) == Approx(static_cast<double>(r.http_503)).epsilon(0.01));
    CHECK(static_cast<double>(f.ok) == Approx(static_cast<double>(r.ok)).epsilon(0.005));
}

}  // namespace test_fluid_large_fleet
