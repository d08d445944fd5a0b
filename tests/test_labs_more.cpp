// Labs 5, 7 and 8: scaling policies, termination policies and a launch template rollout. Each
// test runs the lab as written and with the `--set` its description suggests, and checks the
// lesson with figures worked out from the scenario.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "sim/cloud/world.hpp"
#include "sim/report/outputs.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/loader.hpp"
#include "world_support.hpp"

namespace test_labs_more {

using namespace stratus;

namespace {

const std::string kLabs = std::string(STRATUS_SOURCE_DIR) + "/scenarios/labs";

struct Member {  // an instance of the group still in service at the end of the run
    std::string name;
    std::string instance_type;
    int launch_template_version = 0;
    int availability_zone = 0;
};

struct LabRun {
    nlohmann::ordered_json summary;
    std::vector<std::pair<double, nlohmann::ordered_json>> events;  // (t s, the event)
    std::vector<report::PeriodRow> rows;
    std::vector<Member> in_service;
};

LabRun run_lab(const std::string& file, const std::vector<std::string>& sets = {}) {
    auto spec = scenario::load_file(file, sets);
    REQUIRE(scenario::unsupported_features(spec).empty());
    report::Run run(spec);
    cloud::World& world = run.world();
    world.run();
    LabRun r{report::make_summary(run), {}, run.recorder().rows(), {}};
    for (const auto& e : testing::json_events(run)) {
        nlohmann::ordered_json j = e.subjects;
        j["type"] = e.type;
        r.events.emplace_back(to_seconds(e.t), j);
    }
    const auto& fleet = world.fleet();
    for (std::uint32_t i = 0; i < fleet.size(); ++i) {
        const auto& inst = fleet[i];
        if (inst.lifecycle() != cloud::LifecycleState::InService) continue;
        const auto& c = inst.config();
        r.in_service.push_back(
            {c.name, c.instance_type, c.launch_template_version, c.availability_zone});
    }
    return r;
}

std::vector<double> times(const LabRun& r, const std::string& type) {
    std::vector<double> out;
    for (const auto& [t, e] : r.events)
        if (e["type"] == type) out.push_back(t);
    return out;
}

// The instances named by the events of a type.
std::set<std::string> instances_in(const LabRun& r, const std::string& type) {
    std::set<std::string> out;
    for (const auto& [t, e] : r.events)
        if (e["type"] == type) out.insert(e["instance"].get<std::string>());
    return out;
}

// The start of the first period that ends with at least n instances in service; -1 if none.
double first_row_with_in_service(const LabRun& r, int n) {
    for (const auto& row : r.rows)
        if (row.gauges.in_service >= n) return to_seconds(row.start);
    return -1;
}

// The largest p99 of the periods starting in [from, to).
double worst_p99_ms(const LabRun& r, double from, double to) {
    double worst = 0;
    for (const auto& row : r.rows) {
        const double s = to_seconds(row.start);
        if (s >= from && s < to) worst = std::max(worst, row.p99_ms);
    }
    return worst;
}

std::uint64_t errors(const LabRun& r) {
    return r.summary["requests"]["errors"]["total"].get<std::uint64_t>();
}

}  // namespace

TEST_CASE("lab 5: simple scaling adds one instance per cooldown, step scaling sizes the answer",
          "[labs_more]") {
    const std::string file = kLabs + "/05-simple-vs-step-scaling.toml";
    const auto simple = run_lab(file);
    const auto step = run_lab(file, {"cloudwatch_metric_alarm.cpu-high.alarm_actions=[\"step\"]"});

    // The jump to 320/s at 600 s saturates the four instances (50/s each); the alarm needs two
    // breaching one-minute periods (600-660, 660-720) and goes to ALARM at 720 s in both runs.
    for (const auto* r : {&simple, &step}) {
        const auto alarms = times(*r, "alarm_state_changed");
        REQUIRE(alarms.size() >= 2);
        CHECK(alarms[1] == 720);
    }

    // Simple: +1 per invocation, then the launch (40 s boot + 20 s app start) and 300 s of
    // cooldown: 360 s apart, 4 -> 10 in six steps, the last at 720 + 5 x 360 = 2,520 s.
    const auto simple_changes = times(simple, "desired_capacity_changed");
    REQUIRE(simple_changes.size() == 6);
    for (std::size_t i = 1; i < simple_changes.size(); ++i)
        CHECK(simple_changes[i] - simple_changes[i - 1] >= 300);
    CHECK(simple_changes.back() == 720 + 5 * 360);

    // Step: CPU 100 is 30 above the threshold of 70, the "25 and above" step: +6, 4 -> 10 in
    // one change. The ten are in service one launch (60 s) later.
    const auto step_changes = times(step, "desired_capacity_changed");
    REQUIRE(step_changes.size() == 1);
    CHECK(step_changes[0] == 720);
    const double step_ten = first_row_with_in_service(step, 10);
    const double simple_ten = first_row_with_in_service(simple, 10);
    CHECK(step_ten > 0);
    CHECK(step_ten <= 780);
    CHECK(simple_ten >= 2520);

    // 503s, worked out from the capacity (50/s per instance in service) against 320/s:
    // step: 4 instances from 600 to 780 s: 120/s x 180 s = 21,600.
    // simple: 4 until 780 (120/s x 180 s), 5 until 1,140 (70/s x 360 s), 6 until 1,500
    // (20/s x 360 s): 21,600 + 25,200 + 7,200 = 54,000. Queues and timeouts blur both a little.
    CHECK(static_cast<double>(errors(step)) == Approx(21600).epsilon(0.2));
    CHECK(static_cast<double>(errors(simple)) == Approx(54000).epsilon(0.15));
    CHECK(errors(step) * 2 < errors(simple));

    // From minute 15 to 25 the step fleet (10 instances, 64 % CPU) answers within the SLO's
    // 300 ms in every minute; the simple one (5 or 6 instances) is still queueing for seconds.
    CHECK(worst_p99_ms(step, 900, 1500) < 300);
    CHECK(worst_p99_ms(simple, 900, 1500) > 1000);
    CHECK(step.summary["latency_ms"]["p99"].get<double>() <
          simple.summary["latency_ms"]["p99"].get<double>());
    CHECK(step.summary["latency_ms"]["mean"].get<double>() * 3 <
          simple.summary["latency_ms"]["mean"].get<double>());
}

TEST_CASE("lab 7: OldestInstance terminates the first four, NewestInstance the last four",
          "[labs_more]") {
    const std::string file = kLabs + "/07-termination-policies.toml";
    const auto oldest = run_lab(file);
    const auto newest =
        run_lab(file, {"autoscaling_group.web.termination_policies=[\"NewestInstance\"]"});

    for (const auto* r : {&oldest, &newest}) {
        // Launches in pairs, one per AZ: at 0 s (i-0001, i-0002), 600 s and 1,200 s.
        CHECK(r->summary["instances"]["launched"] == 6);
        // The scale-in at 2,400 s (6 -> 2) terminates four, two per AZ (3 + 3 -> 1 + 1).
        int per_az[2] = {0, 0};
        for (const auto& [t, e] : r->events) {
            if (e["type"] != "autoscaling_activity" || !e.contains("description")) continue;
            if (e["description"].get<std::string>().rfind("Terminating", 0) != 0) continue;
            CHECK(t == 2400);
            ++per_az[e["availability_zone"] == "ap-northeast-2a" ? 0 : 1];
        }
        CHECK(per_az[0] == 2);
        CHECK(per_az[1] == 2);
        CHECK(r->rows.back().gauges.in_service_by_az == std::vector<int>{1, 1});
        REQUIRE(r->in_service.size() == 2);
        CHECK(r->in_service[0].availability_zone != r->in_service[1].availability_zone);
        // Nothing was in flight long enough to be cut: draining ends within the delay.
        CHECK(errors(*r) == 0);
    }
    CHECK(instances_in(oldest, "instance_terminated") ==
          std::set<std::string>{"i-0001", "i-0002", "i-0003", "i-0004"});
    CHECK(instances_in(newest, "instance_terminated") ==
          std::set<std::string>{"i-0003", "i-0004", "i-0005", "i-0006"});
    CHECK(oldest.in_service[0].name == "i-0005");
    CHECK(oldest.in_service[1].name == "i-0006");
    CHECK(newest.in_service[0].name == "i-0001");
    CHECK(newest.in_service[1].name == "i-0002");
}

TEST_CASE("lab 8: scale out on version 2, scale in with OldestLaunchTemplate: all version 2",
          "[labs_more]") {
    const std::string file = kLabs + "/08-launch-template-rollout.toml";
    const auto r = run_lab(file);

    // The first four (0 s) come from version 1 (m5.large); switching the group to version 2
    // at 600 s changes none of them; the four of the scale-out at 900 s are version 2
    // (c5.large).
    int v1 = 0, v2 = 0;
    for (const auto& [t, e] : r.events) {
        if (e["type"] != "autoscaling_activity" || !e.contains("launch_template_version")) continue;
        if (e["launch_template_version"] == 1) {
            ++v1;
            CHECK(t == 0);
            CHECK(e["instance_type"] == "m5.large");
        } else {
            ++v2;
            CHECK(t == 900);
            CHECK(e["instance_type"] == "c5.large");
        }
    }
    CHECK(v1 == 4);
    CHECK(v2 == 4);

    // The scale-in at 1,800 s (8 -> 4) takes the old version first: i-0001 to i-0004.
    CHECK(times(r, "instance_terminated").size() == 4);
    CHECK(instances_in(r, "instance_terminated") ==
          std::set<std::string>{"i-0001", "i-0002", "i-0003", "i-0004"});
    REQUIRE(r.in_service.size() == 4);
    int per_az[2] = {0, 0};
    for (const auto& m : r.in_service) {
        CHECK(m.launch_template_version == 2);
        CHECK(m.instance_type == "c5.large");
        ++per_az[m.availability_zone];
    }
    CHECK(per_az[0] == 2);
    CHECK(per_az[1] == 2);
    // Launch before terminate: no request is lost in the rollout.
    CHECK(errors(r) == 0);
    CHECK(r.summary["slo"]["availability"]["met"] == true);  // in every window

    // NewestInstance undoes the rollout instead: the version-2 instances go.
    const auto back =
        run_lab(file, {"autoscaling_group.web.termination_policies=[\"NewestInstance\"]"});
    REQUIRE(back.in_service.size() == 4);
    for (const auto& m : back.in_service)
        CHECK(m.launch_template_version == 1);
}

}  // namespace test_labs_more
