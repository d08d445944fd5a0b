// The fluid mode against request mode past saturation (scenarios/overload/): a fleet that
// starts undersized, a death spiral of health-check failures and replacements, queue limits
// and client timeouts, a flash sale beyond capacity. docs/fluid.md ("Overload") has the
// measured table; each case runs both modes in a few seconds (Release).
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "sim/cloud/world.hpp"
#include "sim/scenario/loader.hpp"
#include "world_support.hpp"

using namespace stratus;

namespace {

const std::string kOverload = std::string(STRATUS_SOURCE_DIR) + "/scenarios/overload/";

struct Run {
    std::uint64_t ok = 0, errors = 0, http_503 = 0, http_504 = 0;
    double mean_ms = 0, cost = 0, instance_hours = 0;
    std::vector<std::pair<double, int>> desired;
    std::size_t limits = 0;
};

Run run(const std::string& name, scenario::Fidelity fidelity) {
    scenario::Spec spec = scenario::load_file(kOverload + name + ".toml");
    spec.simulation.fidelity = fidelity;
    cloud::World world(spec);
    world.run();
    Run r;
    r.ok = world.recorder().count(cloud::Outcome::Ok);
    r.errors = world.recorder().errors();
    r.http_503 = world.recorder().count(cloud::Outcome::Http503);
    r.http_504 = world.recorder().count(cloud::Outcome::Http504);
    r.mean_ms = world.recorder().latency().mean() / kMillisecond;
    r.cost = world.cost().total();
    r.instance_hours = world.instance_hours(false) + world.instance_hours(true);
    r.desired = testing::desired_changes(world);
    r.limits = world.fluid() ? world.fluid()->limits().size() : 0;
    return r;
}

// The measures both modes must agree on, with the tolerances of docs/fluid.md for cost and
// instance-hours and 10 % for errors and mean latency (request mode's own run-to-run spread
// past saturation is of that order).
void check_agreement(const Run& r, const Run& f) {
    REQUIRE(r.errors > 10000);  // the scenario does saturate
    CHECK(static_cast<double>(f.errors) == Approx(static_cast<double>(r.errors)).epsilon(0.10));
    CHECK(static_cast<double>(f.ok) == Approx(static_cast<double>(r.ok)).epsilon(0.05));
    CHECK(f.mean_ms == Approx(r.mean_ms).epsilon(0.10));
    CHECK(f.cost == Approx(r.cost).epsilon(0.02));
    CHECK(f.instance_hours == Approx(r.instance_hours).epsilon(0.02));
}

}  // namespace

TEST_CASE("overload: a fleet that starts undersized scales out as in request mode",
          "[fluid][overload]") {
    const Run r = run("undersized-start", scenario::Fidelity::Request);
    const Run f = run("undersized-start", scenario::Fidelity::Fluid);
    check_agreement(r, f);
    // The same scale-outs (6 -> 25 -> 39 -> 54 in request mode), each within a minute and
    // within one instance.
    REQUIRE(r.desired.size() >= 3);
    REQUIRE(f.desired.size() == r.desired.size());
    for (std::size_t k = 0; k < r.desired.size(); ++k) {
        INFO("decision " << k << " at " << r.desired[k].first << " s");
        CHECK(std::abs(f.desired[k].second - r.desired[k].second) <= 1);
        CHECK(std::abs(f.desired[k].first - r.desired[k].first) <= 60);
    }
}

TEST_CASE("overload: a death spiral of health-check failures and replacements",
          "[fluid][overload]") {
    // 10 % beyond capacity, checks (2 s timeout) fail behind a full queue, the group replaces
    // the targets and fails open: request mode's 503s and 502s within 10 %. The fluid mode
    // draws which targets fail when, and says so.
    const Run r = run("death-spiral", scenario::Fidelity::Request);
    const Run f = run("death-spiral", scenario::Fidelity::Fluid);
    check_agreement(r, f);
    CHECK(static_cast<double>(f.http_503) == Approx(static_cast<double>(r.http_503)).epsilon(0.10));
    CHECK(f.limits >= 1);
    CHECK(r.limits == 0);
}

TEST_CASE("overload: queue limits and client timeouts serve the requests that find room",
          "[fluid][overload]") {
    // 30 % beyond capacity, a 1 s client timeout shorter than the queue's 1.2 s: request mode
    // serves the requests that find the queue a little short of the timeout. The fluid mode
    // held every waiting arrival at the mean (1 s) and answered all of them 504 (310,628
    // errors, 235,371 ok) before it modelled the queue's distance below its bound.
    const Run r = run("queue-timeouts", scenario::Fidelity::Request);
    const Run f = run("queue-timeouts", scenario::Fidelity::Fluid);
    check_agreement(r, f);
    CHECK(static_cast<double>(f.http_503 + f.http_504) ==
          Approx(static_cast<double>(r.http_503 + r.http_504)).epsilon(0.10));
}

TEST_CASE("overload: a flash sale beyond capacity scales out through failing checks",
          "[fluid][overload]") {
    // Before the queue's persistent lag and the checks' probability, every target failed
    // its checks at the same instant and target tracking saw idle unhealthy targets: the
    // desired capacity stayed at 10 through the sale. Now it scales out to about 25, as
    // request mode does, and says where it cannot follow. docs/fluid.md gives the remaining
    // gap in 503s (the first failures come later than in request mode).
    const Run r = run("flash-sale", scenario::Fidelity::Request);
    const Run f = run("flash-sale", scenario::Fidelity::Fluid);
    REQUIRE(!r.desired.empty());
    REQUIRE(!f.desired.empty());
    CHECK(std::abs(f.desired.back().second - r.desired.back().second) <= 2);
    CHECK(f.cost == Approx(r.cost).epsilon(0.05));
    CHECK(f.instance_hours == Approx(r.instance_hours).epsilon(0.05));
    CHECK(f.limits >= 1);
}
