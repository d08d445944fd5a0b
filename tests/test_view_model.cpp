// The viewer's model: what each panel of stratus-viz shows at given times of real labs,
// without a window.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "sim/cloud/ecs_service.hpp"
#include "sim/cloud/world.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/view/view_model.hpp"

namespace test_view_model {

using namespace stratus;

namespace {

const std::string kLabs = std::string(STRATUS_SOURCE_DIR) + "/scenarios/labs/";

// Runs the World to `t` in the viewer's slices (1 s), observing after each.
void run_observed(report::Run& run, view::ViewModel& model, SimTime t) {
    cloud::World& world = run.world();
    world.start();
    while (world.sim().now() < t) {
        world.run_until(std::min(t, world.sim().now() + kSecond));
        model.observe(run);
    }
}

int count_state(const view::RegionView& r, int zone, view::TileState s) {
    int n = 0;
    for (std::size_t i : r.zones[zone].tiles)
        n += r.tiles[i].state == s;
    return n;
}

const view::Chart& chart(const view::Charts& c, const std::string& title) {
    for (const auto& ch : c.charts)
        if (ch.title == title) return ch;
    FAIL("no chart " << title);
    return c.charts.front();
}

}  // namespace

TEST_CASE("view of lab 2 before the outage: two AZs of two InService tiles, 60 req/s each",
          "[view]") {
    auto spec = scenario::load_file(kLabs + "02-az-outage.toml");
    report::Run run(spec);
    view::ViewModel model(run);
    run_observed(run, model, 9 * kMinute);
    const auto r = model.region(run);
    REQUIRE(r.zones.size() == 2);
    CHECK(r.region == "ap-northeast-2");
    for (int z = 0; z < 2; ++z) {
        INFO(r.zones[z].name);
        CHECK(r.zones[z].available);
        REQUIRE(r.zones[z].lb_nodes.size() == 1);
        CHECK(r.zones[z].lb_nodes[0].up);
        CHECK(count_state(r, z, view::TileState::InService) == 2);
        CHECK(r.zones[z].in_service == 2);
        // 120 requests/s, round-robin over four healthy targets: 60/s per AZ (Poisson, over
        // 30 s: sd about 1.4/s).
        CHECK(r.zones[z].requests_per_s == Approx(60).margin(6));
    }
    CHECK(r.requests_per_s == Approx(120).margin(8));
    for (const auto& t : r.tiles)
        CHECK_FALSE(t.spot);
    REQUIRE(r.groups.size() == 1);
    CHECK(r.groups[0].desired == 4);
    CHECK(model.charts(run).markers.empty());
}

TEST_CASE("view of lab 2 in fluid mode: the per-AZ rates are the model's, at every second",
          "[view][fluid]") {
    // The fluid counters move once a step (up to a minute apart); the view reads the rates.
    auto spec = scenario::load_file(kLabs + "02-az-outage.toml");
    spec.simulation.fidelity = scenario::Fidelity::Fluid;
    report::Run run(spec);
    cloud::World& world = run.world();
    view::ViewModel model(run);
    run_observed(run, model, 8 * kMinute);
    for (int k = 0; k < 110; ++k) {  // 8 min to 9 min 50 s (the outage begins at 10 min)
        run_observed(run, model, world.now() + kSecond);
        const auto r = model.region(run);
        INFO("t = " << world.now() / kSecond << " s");
        CHECK(r.zones[0].requests_per_s == Approx(60).epsilon(1e-9));
        CHECK(r.zones[1].requests_per_s == Approx(60).epsilon(1e-9));
    }
}

TEST_CASE("view of lab 2 during the outage: 2a dark and empty, four tiles in 2c, the cause shown",
          "[view]") {
    auto spec = scenario::load_file(kLabs + "02-az-outage.toml");
    report::Run run(spec);
    cloud::World& world = run.world();
    view::ViewModel model(run);
    run_observed(run, model, 14 * kMinute);
    const auto r = model.region(run);
    CHECK_FALSE(r.zones[0].available);
    CHECK_FALSE(r.zones[0].lb_nodes[0].up);
    CHECK(r.zones[1].lb_nodes[0].up);
    // The stopped instances were terminated at 10:00 and faded out after 3 minutes; their
    // replacements are in 2c.
    CHECK(r.zones[0].tiles.empty());
    CHECK(r.zones[0].requests_per_s == 0);
    CHECK(count_state(r, 1, view::TileState::InService) == 4);
    CHECK(r.zones[1].requests_per_s == Approx(120).margin(8));
    std::set<std::string> ids;
    for (std::size_t i : r.zones[1].tiles)
        ids.insert(r.tiles[i].id);
    CHECK(ids == std::set<std::string>{"i-0002", "i-0004", "i-0005", "i-0006"});

    // The activity history says why, in the console's words.
    const auto acts = model.activities(run);
    int terminations = 0, replacements = 0;
    for (const auto& a : acts) {
        if (a.t_s != 600) continue;
        if (a.description.rfind("Terminating EC2 instance", 0) == 0) {
            ++terminations;
            CHECK(a.cause.find("stopped") != std::string::npos);
        }
        if (a.description.rfind("Launching", 0) == 0) {
            ++replacements;
            CHECK(a.cause.find("unhealthy instance needing replacement") != std::string::npos);
        }
    }
    CHECK(terminations == 2);
    CHECK(replacements == 2);

    // Charts: one fault marker at 10:00; the 504s of the clients DNS sends to the lost node
    // for one TTL: 120/s x 1/2 x 60 s = about 3,600.
    const auto c = model.charts(run);
    REQUIRE(c.markers.size() == 1);
    CHECK(c.markers[0].t_s == 600);
    CHECK(c.markers[0].kind == view::MarkerKind::Fault);
    CHECK(c.markers[0].label == "AZ ap-northeast-2a down");
    const auto& errors = chart(c, "Errors/s by code");
    REQUIRE(errors.series[3].name == "504");
    double lost = 0;
    for (double v : errors.series[3].v)
        lost += v * 60;  // per-second rates of 60 s periods
    CHECK(lost == Approx(3600).epsilon(0.12));
    const auto& inst = chart(c, "Instances");
    REQUIRE(inst.series.size() == 5);
    CHECK(inst.series[3].name == "2a");
    CHECK(inst.series[3].v.back() == 0);
    CHECK(inst.series[4].v.back() == 4);
    CHECK(chart(c, "Latency").thresholds.at(0).label == "SLO p99");
    CHECK(chart(c, "Latency").thresholds.at(0).value == 300);

    // The log filter finds the outage; the inspector the first lost instance's story.
    const auto lines = model.log(run, "az_outage");
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].t_s == 600);
    const auto d = model.inspect(run, 0);
    CHECK(d.tile.id == "i-0001");
    CHECK(d.ec2_state == "terminated");
    CHECK(d.terminated_at_s >= 600);
    CHECK_FALSE(d.health_checks.empty());
    // On-Demand m5.large in Seoul ($0.118/h) from launch at 0 to termination.
    CHECK(d.cost_so_far_usd ==
          Approx(world.fleet()[0].config().type.on_demand_hourly * d.terminated_at_s / 3600.0));
}

TEST_CASE("view of lab 2 after recovery: rebalanced to 2 + 2", "[view]") {
    auto spec = scenario::load_file(kLabs + "02-az-outage.toml");
    report::Run run(spec);
    view::ViewModel model(run);
    run_observed(run, model, 55 * kMinute);
    const auto r = model.region(run);
    CHECK(r.zones[0].available);
    CHECK(r.zones[0].in_service == 2);
    CHECK(r.zones[1].in_service == 2);
    const auto c = model.charts(run);
    REQUIRE(c.markers.size() == 2);
    CHECK(c.markers[1].t_s == 2400);
    CHECK(c.markers[1].kind == view::MarkerKind::Recovery);
}

TEST_CASE("view of lab 9: 4 On-Demand and 4 Spot tiles, and the wave's notices count down",
          "[view]") {
    // The wave with a 2-minute lead (the lab's is 5 minutes): its notices come at once.
    auto spec =
        scenario::load_file(kLabs + "09-spot-mixed-instances.toml", {"fault.0.duration=2m"});
    report::Run run(spec);
    view::ViewModel model(run);
    run_observed(run, model, 12 * kHour + 30 * kSecond);
    const auto r = model.region(run);
    int spot = 0, on_demand = 0, noticed = 0;
    for (const auto& t : r.tiles) {
        if (t.state == view::TileState::Terminated) continue;
        if (t.notice_left_s >= 0) {
            ++noticed;
            // The notice came at 12:00:00 with two minutes to go.
            CHECK(t.notice_left_s == Approx(90).margin(0.001));
            CHECK(t.spot);
        }
        if (t.state != view::TileState::InService) continue;
        (t.spot ? spot : on_demand)++;
    }
    // 8 instances: a base of 2 On-Demand, then 25 % of the 6 above base On-Demand, rounded up
    // (2): 4 On-Demand, 4 Spot. The wave takes half the Spot Instances: 2 notices.
    CHECK(on_demand == 4);
    CHECK(spot == 4);
    CHECK(noticed == 2);
    const auto c = model.charts(run);
    int waves = 0;
    for (const auto& m : c.markers)
        waves += m.label == "Spot notices" && m.t_s == 12 * 3600;
    CHECK(waves == 1);
}

TEST_CASE("view of lab 9's wave as shipped: rebalance recommendations, replacements first",
          "[view]") {
    // The lab's wave strikes in 5 minutes: recommendations at 12:00, no notice yet at 12:00:30,
    // and Capacity Rebalancing's two replacements already launched (Pending).
    auto spec = scenario::load_file(kLabs + "09-spot-mixed-instances.toml");
    report::Run run(spec);
    view::ViewModel model(run);
    run_observed(run, model, 12 * kHour + 30 * kSecond);
    const auto r = model.region(run);
    int pending = 0, noticed = 0;
    for (const auto& t : r.tiles) {
        if (t.state == view::TileState::Pending) ++pending;
        if (t.notice_left_s >= 0) ++noticed;
    }
    CHECK(pending == 2);
    CHECK(noticed == 0);
    const auto c = model.charts(run);
    int recommendations = 0;
    for (const auto& m : c.markers)
        recommendations += m.label == "Spot rebalance recommendations" && m.t_s == 12 * 3600;
    CHECK(recommendations == 1);
}

TEST_CASE("view of lab 10: the standalone instances in their AZ, in their scheduled EC2 state",
          "[view]") {
    // Lab 10 has no Auto Scaling group: web (ap-northeast-2a) runs 0-12 h and is stopped
    // after; old-app (ap-northeast-2c) runs 0-6 h and is terminated, its tile fading out
    // over 3 minutes like a group instance's.
    auto spec = scenario::load_file(kLabs + "10-stop-terminate-snapshots-eip.toml");
    REQUIRE(spec.instance.size() == 2);
    REQUIRE(spec.autoscaling_group.empty());
    report::Run run(spec);
    view::ViewModel model(run);
    auto tile = [](const view::RegionView& r, const std::string& id) -> const view::InstanceTile* {
        for (const auto& t : r.tiles)
            if (t.id == id) return &t;
        return nullptr;
    };
    run_observed(run, model, kHour);
    auto r = model.region(run);
    REQUIRE(r.zones.size() == 2);
    REQUIRE(r.zones[0].tiles.size() == 1);
    REQUIRE(r.zones[1].tiles.size() == 1);
    const auto* web = tile(r, "web");
    const auto* old_app = tile(r, "old-app");
    REQUIRE(web);
    REQUIRE(old_app);
    CHECK(web->standalone);
    CHECK(web->zone == 0);
    CHECK(old_app->zone == 1);
    CHECK(web->instance_type == "m5.large");
    CHECK(web->state == view::TileState::InService);
    CHECK(web->ec2_state == "running");
    CHECK(old_app->ec2_state == "running");
    // Not Auto Scaling instances: the AZ's group counts leave them out.
    CHECK(r.zones[0].in_service == 0);

    run_observed(run, model, 6 * kHour + kMinute);
    r = model.region(run);
    old_app = tile(r, "old-app");
    REQUIRE(old_app);
    CHECK(old_app->state == view::TileState::Terminated);
    CHECK(old_app->ec2_state == "terminated");
    CHECK(old_app->fade == Approx(2.0 / 3.0));
    CHECK(tile(r, "web")->ec2_state == "running");

    run_observed(run, model, 13 * kHour);
    r = model.region(run);
    CHECK(tile(r, "old-app") == nullptr);  // faded out
    web = tile(r, "web");
    REQUIRE(web);
    CHECK(web->state == view::TileState::Stopped);
    CHECK(web->ec2_state == "stopped");
    CHECK(r.zones[1].tiles.empty());
}

TEST_CASE("One axis rule: the run's start-up and its final round-ups do not set a chart's scale",
          "[view]") {
    // Lab 13 runs 20 minutes; its last period carries the bill's hourly round-ups (the load
    // balancer's and NAT gateway's hours to the full hour), about 3.84 $/h against 0.58.
    const auto spec = scenario::load_file(kLabs + "13-db-security-group.toml");
    report::Run run(spec);
    view::ViewModel model(run);
    run_observed(run, model, 20 * kMinute);
    const view::Charts charts = model.charts(run);
    const view::Chart& cost = chart(charts, "Cost rate");
    const auto& v = cost.series.at(0).v;
    REQUIRE(v.size() == 20);
    REQUIRE(cost.series[0].t_s.back() == Approx(charts.horizon_s));
    CHECK(v.back() > 3.0);
    CHECK(*std::max_element(v.begin(), v.end() - 1) < 0.6);
    // 0.584 x 1.12 = 0.65, rounded up to 1, 2 or 5 x 10^k: 1 $/h (the spike would give 5).
    CHECK(view::axis_top(cost, charts.horizon_s) == Approx(1.0));

    // By hand: a start-up spike (50 at 30 s of an hour: the first 5 % is 180 s) is left out,
    // 2 x 1.12 = 2.24 rounds up to 5; alone, it sets the scale (56 -> 100); percentages are
    // 0-100 whatever their values.
    view::Chart c;
    c.unit = "/s";
    c.series.push_back(view::Series{"requests/s", {30, 120, 600, 1800}, {50, 2, 2, 2}});
    CHECK(view::axis_top(c, 3600) == Approx(5.0));
    c.series[0] = view::Series{"requests/s", {30}, {50}};
    CHECK(view::axis_top(c, 3600) == Approx(100.0));
    c.unit = "%";
    CHECK(view::axis_top(c, 3600) == Approx(100.0));
}

namespace {

// Three AZs; the load balancer is enabled in two of them, the "web" group spans all three
// (one instance each), and the "green" group's target group has no listener.
const char* const kUnusedTargets = R"([simulation]
name = "unused-targets"
duration = "10m"
seed = 3
[region]
name = "ap-northeast-2"
availability_zones = ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"]
[[launch_template]]
name = "web"
instance_type = "m5.large"
app_start_time = "10s"
[[target_group]]
name = "web-tg"
health_check = { interval = 10, timeout = 5, healthy_threshold = 2, unhealthy_threshold = 2 }
[[target_group]]
name = "green-tg"
health_check = { interval = 10, timeout = 5, healthy_threshold = 2, unhealthy_threshold = 2 }
[[load_balancer]]
name = "alb"
availability_zones = ["ap-northeast-2a", "ap-northeast-2c"]
[[lb_listener]]
load_balancer = "alb"
port = 80
target_group = "web-tg"
[[autoscaling_group]]
name = "web"
launch_template = "web"
min_size = 3
max_size = 3
availability_zones = ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"]
target_groups = ["web-tg"]
[[autoscaling_group]]
name = "green"
launch_template = "web"
min_size = 1
max_size = 1
availability_zones = ["ap-northeast-2a"]
target_groups = ["green-tg"]
[[workload]]
name = "shop"
load_balancer = "alb"
rate = 10
)";

}  // namespace

TEST_CASE("Targets the load balancer does not use are shown unused, with Target.NotInUse",
          "[view]") {
    const auto spec = scenario::load_text(kUnusedTargets, "unused.toml", {}, ".");
    report::Run run(spec);
    view::ViewModel model(run);
    run_observed(run, model, 5 * kMinute);
    const auto rows = model.targets(run);
    REQUIRE(rows.size() == 4);  // three in web-tg, one in green-tg
    int unused = 0, healthy = 0;
    for (const auto& r : rows) {
        INFO(r.target_group << " " << r.instance << " " << r.availability_zone << " " << r.state);
        if (r.target_group == "green-tg" || r.availability_zone == "ap-northeast-2b") {
            // As DescribeTargetHealth reports them: unused, Target.NotInUse, with the console's
            // description of why.
            CHECK(r.state == "unused");
            CHECK(r.reason == "Target.NotInUse");
            CHECK(r.description == (r.target_group == "green-tg"
                                        ? "Target group is not configured to receive traffic "
                                          "from the load balancer"
                                        : "Target is in an Availability Zone that is not "
                                          "enabled for the load balancer"));
            ++unused;
        } else {
            CHECK(r.state == "healthy");
            ++healthy;
        }
    }
    CHECK(unused == 2);
    CHECK(healthy == 2);
    // Their tiles: grey Unused, counted in service as Auto Scaling counts them; the others
    // InService.
    const view::RegionView region = model.region(run);
    REQUIRE(region.zones.size() == 3);
    CHECK(count_state(region, 1, view::TileState::Unused) == 1);  // 2b: web's
    CHECK(count_state(region, 0, view::TileState::Unused) == 1);  // 2a: green's
    CHECK(count_state(region, 0, view::TileState::InService) == 1);
    CHECK(count_state(region, 2, view::TileState::InService) == 1);
    CHECK(region.zones[1].in_service == 1);
    CHECK(std::string(view::to_string(view::TileState::Unused)) == "Unused");
}

TEST_CASE(
    "Unused targets are not health-checked and count in neither HealthyHostCount nor "
    "UnHealthyHostCount, until a listener uses them",
    "[view][target_group]") {
    // The ELB documentation: each load balancer node checks the targets of the target groups
    // its listeners use; a target whose group no listener uses, or in an AZ not enabled for
    // the load balancer, is `unused` with Target.NotInUse (not healthy, not unhealthy).
    // At 5 minutes the listener switches to green-tg (a blue/green swap): web-tg is then used
    // by no listener, and green-tg's target must pass a check to turn healthy.
    const std::string text =
        std::string(kUnusedTargets) +
        "[[action]]\nat = \"5m\"\nset = { \"lb_listener.0.target_group\" = \"green-tg\" }\n";
    const auto spec = scenario::load_text(text, "unused.toml", {}, ".");
    report::Run run(spec);
    view::ViewModel model(run);
    run_observed(run, model, 5 * kMinute - kSecond);
    const auto& groups = run.world().target_groups();
    REQUIRE(groups.size() == 2);
    const cloud::TargetGroup& web = *groups[0];
    const cloud::TargetGroup& green = *groups[1];
    REQUIRE(web.name() == "web-tg");
    auto zone_of = [&](const cloud::Target& t) {
        return run.world().zone_names()[t.availability_zone];
    };
    int unused = 0;
    for (const auto* tg : {&web, &green}) {
        REQUIRE(tg->active_targets().size() == (tg == &web ? 3u : 1u));
        for (std::uint32_t i : tg->active_targets()) {
            const cloud::Target& t = tg->targets()[i];
            INFO(tg->name() << " " << zone_of(t));
            if (tg == &green || zone_of(t) == "ap-northeast-2b") {
                CHECK(t.state == cloud::TargetHealthState::Unused);
                CHECK(std::string(t.last_failure) == "Target.NotInUse");
                CHECK(t.consecutive_ok + t.consecutive_failed == 0);  // never checked
                ++unused;
            } else {
                CHECK(t.state == cloud::TargetHealthState::Healthy);
            }
        }
    }
    CHECK(unused == 2);
    CHECK(web.healthy_count() == 2);  // 2a and 2c: the 2b target is not counted
    CHECK(web.unhealthy_count() == 0);
    CHECK(green.healthy_count() == 0);
    REQUIRE_FALSE(run.recorder().rows().empty());
    CHECK(run.recorder().rows().back().gauges.healthy == 2);  // HealthyHostCount, all groups
    CHECK(run.recorder().rows().back().gauges.unhealthy == 0);

    // After the swap: green's target in 2a is initial, then healthy after its first check
    // (within one 10 s interval); web-tg's targets are all unused and no longer counted.
    run_observed(run, model, 5 * kMinute + kSecond);
    const cloud::Target& g = green.targets()[green.active_targets().at(0)];
    CHECK(g.state == cloud::TargetHealthState::Initial);
    run_observed(run, model, 5 * kMinute + 11 * kSecond);
    CHECK(g.state == cloud::TargetHealthState::Healthy);
    CHECK(green.healthy_count() == 1);
    CHECK(web.healthy_count() == 0);
    for (std::uint32_t i : web.active_targets()) {
        CHECK(web.targets()[i].state == cloud::TargetHealthState::Unused);
        CHECK(std::string(web.targets()[i].last_failure) == "Target.NotInUse");
    }
    const auto rows = model.targets(run);
    REQUIRE(rows.size() == 4);
    for (const auto& r : rows)
        if (r.target_group == "web-tg") {
            CHECK(r.state == "unused");
            CHECK(r.reason == "Target.NotInUse");
        }
}

TEST_CASE(
    "view of lab 20: Fargate tasks as tiles in their AZs, with ECS's lifecycle and stopped reason",
    "[view]") {
    const auto spec = scenario::load_file(kLabs + "20-fargate-grace-period.toml");
    report::Run run(spec);
    view::ViewModel model(run);
    REQUIRE(run.world().ecs_services().size() == 1);
    const auto& service = *run.world().ecs_services()[0];
    // The tiles of the region at `t`, after checking each against its task: one tile per
    // task (none for the task's compute unit), in its task's AZ, with its lastStatus.
    auto tiles_at = [&](SimTime t) {
        run_observed(run, model, t);
        const view::RegionView r = model.region(run);
        REQUIRE(r.zones.size() == 2);
        std::vector<view::InstanceTile> out;
        for (const auto& tile : r.tiles) {
            INFO(tile.id);
            REQUIRE(tile.task);  // the lab has no EC2 instance
            const auto it = std::find_if(service.tasks().begin(), service.tasks().end(),
                                         [&](const auto& task) { return task.id == tile.id; });
            REQUIRE(it != service.tasks().end());
            CHECK(tile.zone == it->availability_zone);
            CHECK(tile.task_status == cloud::to_string(it->status));
            CHECK(tile.stopped_reason == it->stopped_reason);
            CHECK(tile.group == "api");
            CHECK(tile.instance_type == "0.5 vCPU 1 GB");
            CHECK_FALSE(tile.on_ec2);  // Fargate: on no container instance
            out.push_back(tile);
        }
        return out;
    };
    // By the lab's timeline: provisioning 20 s, image pull 15 s, RUNNING at 35 s (one task
    // per AZ), the application answering 100 s later.
    auto tiles = tiles_at(10 * kSecond);
    REQUIRE(tiles.size() == 2);
    for (const auto& t : tiles) {
        CHECK(t.task_status == "PROVISIONING");
        CHECK(t.state == view::TileState::Pending);
    }
    CHECK(tiles[0].zone != tiles[1].zone);
    tiles = tiles_at(25 * kSecond);
    REQUIRE(tiles.size() == 2);
    for (const auto& t : tiles)
        CHECK(t.task_status == "PENDING");
    tiles = tiles_at(60 * kSecond);
    REQUIRE(tiles.size() == 2);
    for (const auto& t : tiles) {
        CHECK(t.task_status == "RUNNING");
        CHECK(t.state == view::TileState::Initial);  // registered, the application starting
        CHECK(t.target_health == "initial");
    }
    // At 8 minutes the first tasks were stopped by the scheduler (their grace period ran out
    // while they were unhealthy): STOPPED tiles, fading, with ECS's stopped reason.
    tiles = tiles_at(8 * kMinute);
    int stopped = 0;
    for (const auto& t : tiles)
        if (t.task_status == "STOPPED") {
            ++stopped;
            CHECK(t.state == view::TileState::Terminated);
            CHECK(t.stopped_reason == "Task failed ELB health checks in (target-group api-tg)");
            CHECK(t.fade <= 1.0);
        }
    CHECK(stopped >= 1);
}

TEST_CASE("view: a RUNNING task's tile is Unhealthy once its target is, as the console says",
          "[view][ecs]") {
    // ELB: a new target is initial until it passes one check or fails unhealthy_threshold in a
    // row, then unhealthy, whatever the reason. Lab 20: tasks RUNNING and registered at 35 s,
    // checks every 30 s (the first within one interval), unhealthy_threshold 2: unhealthy by
    // 35 + 30 + 30 = 125 s at the latest; the application answers only at 35 + 100 = 135 s and
    // the grace period (150 s) keeps ECS from stopping them before 185 s. At 130 s every task
    // is RUNNING, its target unhealthy, its tile red (Unhealthy), not Initial.
    {
        const auto spec = scenario::load_file(kLabs + "20-fargate-grace-period.toml");
        report::Run run(spec);
        view::ViewModel model(run);
        run_observed(run, model, 130 * kSecond);
        const auto tiles = model.region(run).tiles;
        REQUIRE(tiles.size() == 2);
        for (const auto& t : tiles) {
            INFO(t.id);
            REQUIRE(t.task_status == "RUNNING");
            REQUIRE_FALSE(run.world().fleet()[t.index].answers_health_check());
            CHECK(t.target_health == "unhealthy");
            CHECK(t.state == view::TileState::Unhealthy);
        }
    }
    // Lab 27: the application never answers the load balancer (it listens on 8080, the checks
    // go to 80). Each RUNNING task's tile follows its target: initial, then unhealthy.
    const auto spec = scenario::load_file(kLabs + "27-ec2-container-port.toml");
    report::Run run(spec);
    view::ViewModel model(run);
    int unhealthy = 0;
    for (SimTime at = 60 * kSecond; at <= 3 * kMinute; at += 10 * kSecond) {
        run_observed(run, model, at);
        for (const auto& t : model.region(run).tiles) {
            if (!t.task || t.task_status != "RUNNING") continue;
            INFO(t.id << " at " << to_seconds(at));
            REQUIRE_FALSE(run.world().fleet()[t.index].answers_health_check());
            if (t.target_health == "initial") CHECK(t.state == view::TileState::Initial);
            if (t.target_health == "unhealthy") {
                CHECK(t.state == view::TileState::Unhealthy);
                ++unhealthy;
            }
        }
    }
    CHECK(unhealthy >= 2);
}

TEST_CASE("view: a task's health status when its containers have health checks", "[view][ecs]") {
    // Lab 27 with a container check of the port the application listens on (app_port 8080),
    // every 5 s: the load balancer's checks fail (it sends to 80), the container's pass once
    // the application answers (15 s after RUNNING), so the task is HEALTHY to its checks.
    std::string text = scenario::read_scenario_text(kLabs + "27-ec2-container-port.toml");
    const std::string from = R"("portMappings": [{"containerPort": 80, "hostPort": 0}])";
    const std::size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(),
                 from + R"(, "healthCheck": {"command": ["CMD-SHELL", "curl -f )"
                        R"(http://localhost:8080/ || exit 1"], "interval": 5})");
    const auto spec = scenario::load_text(text, "27-checked.toml", {}, kLabs);
    report::Run run(spec);
    view::ViewModel model(run);
    run_observed(run, model, 6 * kMinute);
    const auto& service = *run.world().ecs_services()[0];
    int healthy = 0;
    for (const auto& tile : model.region(run).tiles) {
        if (!tile.task) continue;
        INFO(tile.id);
        const auto it = std::find_if(service.tasks().begin(), service.tasks().end(),
                                     [&](const auto& task) { return task.id == tile.id; });
        REQUIRE(it != service.tasks().end());
        CHECK(tile.task_health == cloud::to_string(it->health));
        healthy += tile.task_health == "HEALTHY" ? 1 : 0;
    }
    CHECK(healthy >= 1);
}

TEST_CASE("view: a Fargate lab says tasks where an EC2 lab says instances", "[view][ecs]") {
    // Lab 20: a Fargate service, no Auto Scaling group: its tasks serve the requests, so the
    // region's texts and the capacity chart say tasks (RUNNING ones as "running"). Lab 27
    // (EC2 launch type: the chart counts its container instances) and lab 2 (an Auto Scaling
    // group) keep instances.
    auto chart_of = [](const std::string& lab) {
        const auto spec = scenario::load_file(kLabs + lab);
        report::Run run(spec);
        view::ViewModel model(run);
        run_observed(run, model, 3 * kMinute);
        const view::Charts charts = model.charts(run);
        REQUIRE(charts.charts.size() >= 5);
        return std::make_pair(model.region(run).tasks_serve, charts.charts[4]);
    };
    const auto [fargate, tasks_chart] = chart_of("20-fargate-grace-period.toml");
    CHECK(fargate);
    CHECK(tasks_chart.title == "Tasks");
    REQUIRE(tasks_chart.series.size() >= 3);
    CHECK(tasks_chart.series[0].name == "running");
    CHECK(tasks_chart.series[1].name == "desired");
    REQUIRE_FALSE(tasks_chart.series[0].v.empty());
    CHECK(tasks_chart.series[0].v.back() >= 1);  // the service's RUNNING tasks
    for (const std::string lab : {"27-ec2-container-port.toml", "02-az-outage.toml"}) {
        INFO(lab);
        const auto [tasks, chart] = chart_of(lab);
        CHECK_FALSE(tasks);
        CHECK(chart.title == "Instances");
        CHECK(chart.series[0].name == "in service");
    }
}

TEST_CASE("view of lab 22: during the rolling update each task tile names its task definition",
          "[view][ecs]") {
    // Lab 22 deploys shop-api-v2 to the service shop-api at 10 min (4 tasks, 100/200: four
    // new tasks start beside the four old ones). Both revisions' tiles say "shop-api #n"; the
    // tile's task definition family tells them apart (its badge shows it), as the ECS
    // console's task list shows each task's task definition.
    const auto spec = scenario::load_file(kLabs + "22-fargate-bad-deployment.toml");
    report::Run run(spec);
    view::ViewModel model(run);
    run_observed(run, model, 11 * kMinute);
    const auto r = model.region(run);
    REQUIRE(run.world().ecs_services().size() == 1);
    const auto& service = *run.world().ecs_services()[0];
    REQUIRE(service.deployments().size() == 2);
    int old_revision = 0, new_revision = 0;
    for (const auto& tile : r.tiles) {
        INFO(tile.id);
        REQUIRE(tile.task);
        CHECK(tile.group == "shop-api");
        const auto it = std::find_if(service.tasks().begin(), service.tasks().end(),
                                     [&](const auto& task) { return task.id == tile.id; });
        REQUIRE(it != service.tasks().end());
        const auto deployment = static_cast<std::size_t>(it->deployment);
        CHECK(tile.task_definition == service.deployments()[deployment].task_definition.family);
        if (tile.task_status == "STOPPED") continue;
        old_revision += tile.task_definition == "shop-api" ? 1 : 0;
        new_revision += tile.task_definition == "shop-api-v2" ? 1 : 0;
    }
    CHECK(old_revision == 4);  // at 100 % minimum healthy none of the old tasks stopped yet
    CHECK(new_revision >= 1);
}

TEST_CASE("view of lab 20: the AZ counts and the Tasks chart count RUNNING tasks, any health",
          "[view][ecs]") {
    // ECS's runningCount counts the tasks whose lastStatus is RUNNING, whatever their target
    // health, and no longer those DEACTIVATING (deregistering from the load balancer). The
    // AZ line counts them so, with the unhealthy ones among them as the Target health chart
    // counts them; the Tasks chart's "running" is the same count at each period's end.
    const auto spec = scenario::load_file(kLabs + "20-fargate-grace-period.toml");
    report::Run run(spec);
    view::ViewModel model(run);
    run_observed(run, model, 12 * kMinute);
    const auto r = model.region(run);
    REQUIRE(r.tasks_serve);
    int running = 0, unhealthy = 0;
    for (const auto& z : r.zones) {
        int tiles_running = 0;
        for (std::size_t i : z.tiles)
            tiles_running += r.tiles[i].task_status == "RUNNING" ? 1 : 0;
        CHECK(z.in_service == tiles_running);
        running += z.in_service;
        unhealthy += z.running_unhealthy;
    }
    const cloud::World& world = run.world();
    int running_count = 0, unhealthy_targets = 0;
    for (const auto& s : world.ecs_services())
        running_count += s->count(cloud::TaskStatus::Running);
    for (const auto& tg : world.target_groups())
        unhealthy_targets += tg->unhealthy_count();
    // At 12 min the replacements are RUNNING and unhealthy (the lab's story).
    REQUIRE(unhealthy_targets >= 1);
    CHECK(running == running_count);
    CHECK(unhealthy == unhealthy_targets);
    CHECK(running > unhealthy);
    // Every period of the hour: the Tasks chart's running is ECS's runningCount.
    run.world().run_until(kHour);
    const auto& rows = run.recorder().rows();
    REQUIRE(rows.size() >= 60);
    for (const auto& row : rows) {
        INFO(to_seconds(row.start));
        CHECK(row.gauges.in_service == row.gauges.ecs_running_tasks);
    }
}

TEST_CASE("view of lab 27: tasks of the EC2 launch type are marked as on their container instance",
          "[view][ecs]") {
    const auto spec = scenario::load_file(kLabs + "27-ec2-container-port.toml");
    report::Run run(spec);
    view::ViewModel model(run);
    run_observed(run, model, 6 * kMinute);
    const view::RegionView region = model.region(run);
    int tasks = 0, instances = 0;
    for (const auto& tile : region.tiles) {
        INFO(tile.id);
        if (tile.task) {
            CHECK(tile.on_ec2);
            CHECK(tile.task_health.empty());  // no container health check
            ++tasks;
        } else {
            CHECK(tile.group == "ecs-nodes");
            ++instances;
        }
    }
    CHECK(instances == 2);  // the group's two container instances
    CHECK(tasks >= 2);      // the service's two tasks, and those replaced by 6 minutes
}

TEST_CASE("view of lab 27: tasks waiting for a container instance are drawn, in no AZ",
          "[view][ecs]") {
    // The lab's second Try (an image listening on 80, so no task is replaced) with 12 tasks:
    // each m5.large registers 2048 CPU units, each task reserves 512, so the two container
    // instances hold 8 and 4 tasks wait in PROVISIONING for room.
    const auto spec = scenario::load_file(
        kLabs + "27-ec2-container-port.toml",
        {"ecs_task_definition.api.app_port=80", "ecs_service.api.desired_count=12"});
    report::Run run(spec);
    view::ViewModel model(run);
    REQUIRE(run.world().ecs_services().size() == 1);
    const auto& service = *run.world().ecs_services()[0];
    // The service's tasks that have no container instance, as the World has them.
    auto waiting = [&] {
        std::vector<std::string> ids;
        for (const auto& task : service.tasks())
            if (task.host < 0 && task.status == cloud::TaskStatus::Provisioning)
                ids.push_back(task.id);
        return ids;
    };
    auto check_unplaced = [&](const view::RegionView& r, const std::vector<std::string>& ids) {
        REQUIRE(r.unplaced.size() == ids.size());
        for (std::size_t k = 0; k < ids.size(); ++k) {
            const view::InstanceTile& t = r.tiles[r.unplaced[k]];
            INFO(t.id);
            CHECK(t.id == ids[k]);  // in launch order
            CHECK(t.task);
            CHECK(t.waiting_for_instance);
            CHECK_FALSE(t.on_ec2);
            CHECK(t.host == -1);
            CHECK(t.zone == -1);
            CHECK(t.task_status == "PROVISIONING");
            CHECK(t.state == view::TileState::Pending);
            CHECK(t.group == "api");
            CHECK(t.instance_type == "0.5 vCPU 1 GB");
        }
        // None is in a zone's list nor inside a container instance.
        for (const auto& z : r.zones)
            for (std::size_t i : z.tiles) {
                CHECK_FALSE(r.tiles[i].waiting_for_instance);
                for (std::size_t h : r.tiles[i].hosted)
                    CHECK_FALSE(r.tiles[h].waiting_for_instance);
            }
    };
    // At 10 s the container instances are still booting (45 s): all 12 tasks wait.
    run_observed(run, model, 10 * kSecond);
    std::vector<std::string> ids = waiting();
    REQUIRE(ids.size() == 12);
    check_unplaced(model.region(run), ids);
    // At 5 minutes the two instances hold 4 tasks each (2 x 2048 / 512 CPU units): 4 wait.
    run_observed(run, model, 5 * kMinute);
    ids = waiting();
    REQUIRE(ids.size() == 4);
    const view::RegionView r = model.region(run);
    check_unplaced(r, ids);
    std::size_t hosted = 0;
    for (const auto& z : r.zones)
        for (std::size_t i : z.tiles)
            hosted += r.tiles[i].hosted.size();
    CHECK(hosted == 8);
    // The inspector of fleet instance 0 (the first container instance) never shows a waiting
    // task, whose tile has no fleet index.
    const view::InstanceDetail d = model.inspect(run, 0);
    CHECK_FALSE(d.tile.waiting_for_instance);
    CHECK(d.tile.container_instance);
}

// The tiles of the zones' lists (not those inside a container instance).
std::vector<const view::InstanceTile*> zone_tiles(const view::RegionView& r) {
    std::vector<const view::InstanceTile*> out;
    for (const auto& z : r.zones)
        for (std::size_t i : z.tiles)
            out.push_back(&r.tiles[i]);
    return out;
}

TEST_CASE(
    "view of lab 27 fixed: container instances as instances, their tasks inside them, "
    "CPU from the tasks, requests per target",
    "[view][ecs]") {
    // The lab's second Try: an image listening on 80, so the tasks serve.
    const auto spec = scenario::load_file(kLabs + "27-ec2-container-port.toml",
                                          {"ecs_task_definition.api.app_port=80"});
    report::Run run(spec);
    view::ViewModel model(run);
    run_observed(run, model, 10 * kMinute);
    const view::RegionView region = model.region(run);
    REQUIRE(region.zones.size() == 2);
    // Each AZ lists one tile, its container instance, with its one RUNNING task inside.
    for (const auto& z : region.zones) {
        INFO(z.name);
        REQUIRE(z.tiles.size() == 1);
        const view::InstanceTile& host = region.tiles[z.tiles[0]];
        CHECK_FALSE(host.task);
        CHECK(host.container_instance);
        CHECK(host.group == "ecs-nodes");
        CHECK(host.state == view::TileState::InService);
        CHECK(z.in_service == 1);  // the instance; its task is no instance
        REQUIRE(host.hosted.size() == 1);
        const view::InstanceTile& task = region.tiles[host.hosted[0]];
        CHECK(task.task);
        CHECK(task.task_status == "RUNNING");
        CHECK(task.host == static_cast<std::int64_t>(host.index));
        CHECK(task.zone == host.zone);
        // m5.large: 2 vCPUs, 8 GiB; the task reserves 512 units and 1024 MiB of them.
        CHECK(host.cpu_registered == 2048);
        CHECK(host.memory_registered == 8192);
        CHECK(host.cpu_reserved == 512);
        CHECK(host.memory_reserved == 1024);
        // The load balancer spreads 20 req/s over the two targets (least outstanding
        // requests over 30 s of Poisson arrivals: within 40 %), and the AZ's arrow is its
        // targets' sum.
        CHECK(task.requests_per_s == Approx(10).epsilon(0.4));
        CHECK(z.requests_per_s == Approx(task.requests_per_s + host.requests_per_s));
        CHECK(host.requests_per_s == 0);  // the instance itself is no target
    }
    CHECK(region.requests_per_s == Approx(20).epsilon(0.25));
    // The charts: two instances in service (not four), one per AZ; the CPU is the container
    // instances' from the tasks' work: a task of 512 units runs at half the instance type's
    // speed, so each request of 30 ms on a speed-1.0 vCPU holds 0.5 vCPU for 30 / 0.5 / s ms
    // (s: the type's speed): CPU = rate per instance x 0.030 / s / 2 vCPUs.
    const view::Charts charts = model.charts(run);
    const view::Chart& inst = chart(charts, "Instances");
    REQUIRE(inst.series.size() == 5);
    REQUIRE_FALSE(inst.series[0].v.empty());
    CHECK(inst.series[0].v.back() == 2);  // in service
    CHECK(inst.series[3].v.back() == 1);  // 2a
    CHECK(inst.series[4].v.back() == 1);  // 2c
    for (double v : inst.series[0].v)
        CHECK(v <= 2);
    const view::Chart& cpu = chart(charts, "CPU utilization");
    const view::Chart& req = chart(charts, "Requests/s");
    REQUIRE(cpu.series[0].v.size() >= 8);
    REQUIRE(req.series[0].v.size() == cpu.series[0].v.size());
    const double speed =
        run.world().fleet()[region.tiles[region.zones[0].tiles[0]].index].config().type.speed;
    double cpu_sum = 0, expect_sum = 0;
    for (std::size_t k = 4; k < cpu.series[0].v.size(); ++k) {  // from minute 4: steady
        cpu_sum += cpu.series[0].v[k];
        expect_sum += 100.0 * (req.series[0].v[k] / 2) * 0.030 / speed / 2;
    }
    REQUIRE(expect_sum > 0);
    CHECK(cpu_sum == Approx(expect_sum).epsilon(0.1));
}

TEST_CASE(
    "view of lab 27: the requests the load balancer sends to tasks that refuse them count "
    "as sent to the AZ",
    "[view][ecs]") {
    // As the lab is: nothing listens on the container port; each request still goes to a
    // target (RequestCount counts it) and is refused there (502), so the AZ's arrow is not 0.
    const auto spec = scenario::load_file(kLabs + "27-ec2-container-port.toml");
    report::Run run(spec);
    view::ViewModel model(run);
    run_observed(run, model, 6 * kMinute);
    const view::RegionView region = model.region(run);
    REQUIRE(region.zones.size() == 2);
    double to_tasks = 0;
    for (const auto* t : zone_tiles(region))
        for (std::size_t h : t->hosted)
            to_tasks += region.tiles[h].requests_per_s;
    const auto& errors = run.recorder().rows().back().outcomes;
    REQUIRE(errors[static_cast<int>(cloud::Outcome::Http502)] > 0);
    CHECK(to_tasks > 5);
    CHECK(region.requests_per_s == Approx(to_tasks));
    for (const auto& z : region.zones)
        CHECK(z.in_service == 1);
}
}  // namespace test_view_model
