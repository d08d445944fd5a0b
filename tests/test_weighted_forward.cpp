// A listener's weighted forward (default_action { forward { target_group { arn, weight } } }):
// the load balancer sends each request to one of the forward's target groups, a group's share
// being its weight / the sum of the weights (ELB's weighted target groups; weight 0: none).
// Request mode draws each request's group: the counts are binomial. Fluid mode splits the
// arrival rate by the weights exactly. An [[action]] shifts the weights during a run
// (blue/green: 90/10, then 0/100).
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "sim/cloud/world.hpp"
#include "sim/report/outputs.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/diagnostic.hpp"
#include "sim/scenario/loader.hpp"

namespace test_weighted_forward {

using namespace stratus;

namespace {

// Two groups of two c5.large, "blue" and "green", each in its own target group, behind one
// listener forwarding 90/10; 200 requests/s of 10 ms (the targets are far from full). At
// 6 minutes an action shifts the forward to 0/100.
const char* const kWeighted = R"(
[simulation]
name = "weighted-forward"
duration = "10m"
seed = 11

[region]
name = "us-east-1"
availability_zones = ["us-east-1a", "us-east-1b"]

[[launch_template]]
name = "web"
instance_type = "c5.large"
boot_time = "20s"
app_start_time = "0s"

[[target_group]]
name = "blue"
health_check = { interval = 5, timeout = 4, healthy_threshold = 2, unhealthy_threshold = 10 }

[[target_group]]
name = "green"
health_check = { interval = 5, timeout = 4, healthy_threshold = 2, unhealthy_threshold = 10 }

[[load_balancer]]
name = "alb"

[[lb_listener]]
load_balancer = "alb"
port = 80

[[lb_listener.default_action]]
type = "forward"

[[lb_listener.default_action.forward.target_group]]
arn = "blue"
weight = 90

[[lb_listener.default_action.forward.target_group]]
arn = "green"
weight = 10

[[autoscaling_group]]
name = "blue"
launch_template = "web"
min_size = 2
max_size = 2
desired_capacity = 2
target_groups = ["blue"]

[[autoscaling_group]]
name = "green"
launch_template = "web"
min_size = 2
max_size = 2
desired_capacity = 2
target_groups = ["green"]

[[workload]]
name = "web"
load_balancer = "alb"
rate = 200
service_time = { dist = "constant", value = "10ms" }

[[action]]
at = "6m"
set = { "lb_listener.0.blue.weight" = 0, "lb_listener.0.green.weight" = 100 }
)";

// The requests the instances of each group (0: blue, 1: green) have taken so far.
std::array<double, 2> taken(const cloud::World& world) {
    std::array<double, 2> out{0, 0};
    const auto& fleet = world.fleet();
    for (std::uint32_t i = 0; i < fleet.size(); ++i)
        if (fleet[i].config().group >= 0 && fleet[i].config().group < 2)
            out[static_cast<std::size_t>(fleet[i].config().group)] +=
                static_cast<double>(fleet[i].accepted());
    return out;
}

std::vector<scenario::Diagnostic> errors_of(const std::string& text) {
    try {
        scenario::load_text(text, "weighted.toml");
    } catch (const scenario::ScenarioError& e) {
        return e.diagnostics();
    }
    FAIL("the scenario loaded, but errors were expected");
    return {};
}

bool has_error(const std::vector<scenario::Diagnostic>& ds, const std::string& key_path,
               const std::string& message, int line) {
    for (const auto& d : ds)
        if (d.key_path == key_path && d.message.find(message) != std::string::npos &&
            (line < 0 ? d.pos.line > 0 : d.pos.line == line) && d.pos.file == "weighted.toml")
            return true;
    for (const auto& d : ds)
        UNSCOPED_INFO(d.format());
    return false;
}

}  // namespace

TEST_CASE("a forward's target groups without a weight share the requests equally (weight 1)",
          "[world][load_balancer]") {
    // Terraform's AWS provider gives a forward's target_group a weight of 1 when none is
    // written: two groups without weights split 50/50 (fluid mode: exactly).
    std::string text = kWeighted;
    for (const char* w : {"weight = 90\n", "weight = 10\n"}) {
        const auto at = text.find(w);
        REQUIRE(at != std::string::npos);
        text.erase(at, std::string(w).size());
    }
    scenario::Spec spec = scenario::load_text(text, "weighted.toml");
    REQUIRE(spec.lb_listener.size() == 1);
    REQUIRE(spec.lb_listener[0].forward.size() == 2);
    CHECK(spec.lb_listener[0].forward[0].weight == 1);
    CHECK(spec.lb_listener[0].forward[1].weight == 1);
    spec.action.clear();
    spec.simulation.fidelity = scenario::Fidelity::Fluid;
    report::Run run(spec);
    cloud::World& world = run.world();
    world.run_until(2 * 60 * kSecond);  // from here every target is healthy (checked)
    for (const auto& tg : world.target_groups())
        REQUIRE(tg->healthy_count() == 2);
    const auto at2 = taken(world);
    world.run_until(5 * 60 * kSecond);
    const auto at5 = taken(world);
    const double blue = at5[0] - at2[0], green = at5[1] - at2[1];
    REQUIRE(blue + green == Approx(200.0 * 180).epsilon(0.01));  // 200 requests/s, 3 minutes
    CHECK(blue == Approx(green).epsilon(1e-9));
}

TEST_CASE("a weighted forward splits requests by weight, and an action shifts the weights",
          "[world][load_balancer]") {
    for (auto fidelity : {scenario::Fidelity::Request, scenario::Fidelity::Fluid}) {
        const bool fluid = fidelity == scenario::Fidelity::Fluid;
        INFO((fluid ? "fluid" : "request") << " mode");
        scenario::Spec spec = scenario::load_text(kWeighted, "weighted.toml");
        REQUIRE(spec.lb_listener.size() == 1);
        REQUIRE(spec.lb_listener[0].forward.size() == 2);
        spec.simulation.fidelity = fidelity;
        report::Run run(spec);
        cloud::World& world = run.world();
        // Minutes 2 to 6: every target healthy (the precondition), weights 90/10.
        world.run_until(2 * 60 * kSecond);
        for (const auto& tg : world.target_groups())
            REQUIRE(tg->healthy_count() == 2);
        const auto at2 = taken(world);
        world.run_until(6 * 60 * kSecond);
        const auto at6 = taken(world);
        const double blue = at6[0] - at2[0], green = at6[1] - at2[1];
        const double n = blue + green;
        REQUIRE(n == Approx(4 * 60 * 200).epsilon(0.02));  // 200/s for 4 minutes
        if (fluid) {
            // The arrival rate split exactly: 90 % of 48,000 to blue, 10 % to green.
            CHECK(blue == 43200);
            CHECK(green == 4800);
        } else {
            // Each request drawn with p = 0.9: blue ~ Binomial(n, 0.9), within 4 standard
            // deviations (sqrt(n 0.9 0.1) = 66 for n = 48,000).
            const double sd = std::sqrt(n * 0.9 * 0.1);
            CHECK(std::fabs(blue - 0.9 * n) < 4 * sd);
            CHECK(std::fabs(blue - 0.9 * n) > 0);  // drawn, not dealt in a fixed pattern
        }
        // At 6 minutes the action gives blue weight 0: from then on green takes everything
        // (minutes 7 to 10: 36,000 requests).
        world.run_until(7 * 60 * kSecond);
        const auto at7 = taken(world);
        world.run();
        const auto end = taken(world);
        CHECK(end[0] == at7[0]);  // blue: nothing
        CHECK(end[1] - at7[1] == Approx(3 * 60 * 200).epsilon(0.02));
        // The summary's per-target-group counts are these counts.
        const auto summary = report::make_summary(run);
        CHECK(summary["target_groups"]["blue"]["requests"].get<double>() == end[0]);
        CHECK(summary["target_groups"]["green"]["requests"].get<double>() == end[1]);
        // No request failed once the targets were healthy: the shift lost none.
        const auto& rows = run.recorder().rows();
        REQUIRE(rows.size() == 10);
        for (const report::PeriodRow& row : rows) {
            if (row.start < 2 * 60 * kSecond) continue;
            INFO("minute starting at " << to_seconds(row.start) << " s");
            std::uint64_t failed = 0;
            for (int o = 0; o < cloud::kOutcomeCount; ++o)
                if (o != static_cast<int>(cloud::Outcome::Ok)) failed += row.outcomes[o];
            CHECK(row.arrivals > 11000);  // 200/s: the minute's arrivals (the precondition)
            CHECK(failed == 0);
        }
    }
}

TEST_CASE("weighted forwards: bad weights, groups and action paths are refused where they are",
          "[loader][load_balancer]") {
    std::string text = kWeighted;
    // Green's weight, and its line in the file.
    const auto at = text.find("weight = 10\n");
    REQUIRE(at != std::string::npos);
    const int line =
        static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n')) + 1;
    REQUIRE(line > 40);
    const std::string key = "lb_listener[0].default_action[0].forward.target_group[1]";
    {
        std::string bad = text;
        bad.replace(at, 11, "weight = 1000");
        CHECK(has_error(errors_of(bad), key + ".weight", "between 0 and 999", line));
    }
    {
        std::string bad = text;
        bad.replace(bad.find("arn = \"green\""), 13, "arn = \"blue\"");
        CHECK(has_error(errors_of(bad), key + ".arn", "`blue` is named twice", -1));
    }
    {
        std::string bad = text;
        bad.replace(bad.find("arn = \"green\""), 13, "arn = \"gren\"");
        const auto ds = errors_of(bad);
        bool found = false;
        for (const auto& d : ds)
            found = found || (d.message.find("unknown target group `gren`") != std::string::npos &&
                              d.message.find("did you mean") != std::string::npos);
        CHECK(found);
    }
    {
        std::string bad = text;
        bad.replace(bad.find("lb_listener.0.green.weight"), 26, "lb_listener.0.gren.weight");
        const auto ds = errors_of(bad);
        bool found = false;
        for (const auto& d : ds)
            found = found || (d.key_path == "action[0].set.lb_listener.0.gren.weight" &&
                              d.message.find("unknown target group `gren`") != std::string::npos);
        CHECK(found);
    }
    {
        std::string bad = text;
        bad.replace(bad.find("\"lb_listener.0.green.weight\" = 100"), 34,
                    "\"lb_listener.3.green.weight\" = 100");
        const auto ds = errors_of(bad);
        bool found = false;
        for (const auto& d : ds)
            found = found || (d.key_path == "action[0].set.lb_listener.3.green.weight" &&
                              d.message.find("index among") != std::string::npos);
        CHECK(found);
    }
    // --set reaches a weight in the file: 50/50 loads as such.
    const scenario::Spec spec = scenario::load_text(
        text, "weighted.toml", {"lb_listener.0.default_action.0.forward.target_group.0.weight=50"});
    REQUIRE(spec.lb_listener[0].forward.size() == 2);
    CHECK(spec.lb_listener[0].forward[0].weight == 50);
    CHECK(spec.lb_listener[0].forward[1].weight == 10);
}

}  // namespace test_weighted_forward
