// The control plane end to end: health, faults, alarms and every kind of scaling, checked
// against AWS's documented rules (docs/model.md says which, in its own words).
#include <catch2/catch.hpp>

#include "sim/cloud/world.hpp"
#include "sim/report/run.hpp"
#include "support.hpp"
#include "world_support.hpp"

namespace test_control_plane {

using namespace stratus;
using stratus::testing::basic_spec;
using stratus::testing::desired_changes;
using stratus::testing::times_of;

namespace {

// The per-AZ in-service counts in the metrics row that starts at `t`.
std::vector<int> in_service_by_az_at(const report::Run& w_run, SimTime t) {
    for (const auto& r : w_run.recorder().rows())
        if (r.start == t) return r.gauges.in_service_by_az;
    return {};
}

scenario::Spec grace_period_spec(int grace) {
    auto s = basic_spec(2, 20.0);
    s.simulation.duration = 3600 * kSecond;
    s.launch_template[0].boot_time = scenario::DurationDist::constant(40 * kSecond);
    // The application needs 100 s before it answers (the course's incident).
    s.launch_template[0].app_start_time = scenario::DurationDist::constant(100 * kSecond);
    s.target_group[0].health_check = scenario::HealthCheckSpec{};  // ALB defaults: 30/5/5/2
    s.autoscaling_group[0].health_check_type = scenario::HealthCheckType::ELB;
    s.autoscaling_group[0].health_check_grace_period = grace;
    s.autoscaling_group[0].max_size = 4;
    return s;
}

}  // namespace

TEST_CASE("a grace period shorter than the app's start makes a replacement loop, 300 s is stable",
          "[controlplane][health]") {
    // 150 s: the target fails its checks while the app starts (initial -> unhealthy after 2
    // failed checks), then needs 5 passing checks (150 s) to become healthy: at 100 s + up to
    // 180 s it would, but the group judges it at 150 s and replaces it, forever.
    report::Run short_grace_run(grace_period_spec(150));
    cloud::World& short_grace = short_grace_run.world();
    short_grace.run();
    const auto& c = short_grace.groups()[0]->counts();
    CHECK(c.unhealthy_replacements >= 20);
    CHECK(times_of(short_grace_run, "target_health_changed", "to", "healthy").empty());

    report::Run long_grace_run(grace_period_spec(300));
    cloud::World& long_grace = long_grace_run.world();
    long_grace.run();
    CHECK(long_grace.groups()[0]->counts().unhealthy_replacements == 0);
    const auto healthy_at = times_of(long_grace_run, "target_health_changed", "to", "healthy");
    REQUIRE(healthy_at.size() == 2);
    // Healthy between 100 s + 5 checks after registration at 40 s: by 40 + 100 + 180 s.
    for (double t : healthy_at) {
        CHECK(t >= 40 + 100 + 120);
        CHECK(t <= 40 + 100 + 180);
    }
    CHECK(long_grace_run.recorder().count(cloud::Outcome::Ok) >
          0.9 * long_grace_run.recorder().arrivals());
}

TEST_CASE(
    "an AZ outage moves traffic to the surviving AZ, the group restores capacity there, "
    "and rebalances after recovery",
    "[controlplane][faults]") {
    auto s = basic_spec(4, 60.0);
    s.simulation.duration = 3600 * kSecond;
    s.launch_template[0].boot_time = scenario::DurationDist::constant(45 * kSecond);
    s.launch_template[0].app_start_time = scenario::DurationDist::constant(15 * kSecond);
    s.autoscaling_group[0].max_size = 8;
    s.workload[0].rate.steps = {{0, 0.0}, {120 * kSecond, 60.0}};  // once the fleet is healthy
    scenario::FaultSpec f;
    f.type = scenario::FaultType::AzOutage;
    f.target = "us-east-1a";
    f.at = 600 * kSecond;
    f.duration = 1800 * kSecond;
    s.fault.push_back(f);
    report::Run w_run(s);
    cloud::World& w = w_run.world();
    w.run();

    CHECK(in_service_by_az_at(w_run, 540 * kSecond) == std::vector<int>{2, 2});
    // Stopped instances are seen by the next EC2 health check (every 10 s) and replaced in
    // the surviving AZ: launched by 610 s, in service 45 s later.
    const auto launches = times_of(w_run, "autoscaling_activity");
    CHECK(in_service_by_az_at(w_run, 720 * kSecond) == std::vector<int>{0, 4});
    CHECK(w.groups()[0]->counts().unhealthy_replacements == 2);
    // Recovery at 2400 s: the group launches in us-east-1a before it terminates in
    // us-east-1b, one pair at a time (max 8: an overshoot of 1), until 2 + 2 again.
    CHECK(in_service_by_az_at(w_run, 2700 * kSecond) == std::vector<int>{2, 2});
    const auto outage = times_of(w_run, "az_outage_started");
    const auto recovery = times_of(w_run, "az_outage_ended");
    REQUIRE(outage == std::vector<double>{600.0});
    REQUIRE(recovery == std::vector<double>{2400.0});
    // Errors only around the outage: the half of the clients DNS still sends to the lost
    // node for one TTL, 60/s x 0.5 x 60 s = 1,800 (+-3 sd = 130), plus what the stopped
    // instances held and what node b sent them before their targets turned unhealthy (at most
    // 2 checks x 5 s x 30/s x 0.5 = 150).
    const auto& rec = w_run.recorder();
    CHECK(rec.errors() >= 1650);
    CHECK(rec.errors() <= 2100);
    CHECK(rec.count(cloud::Outcome::Http504) == rec.errors());
    int peak = 0;
    for (const auto& r : rec.rows())
        peak = std::max(peak, r.gauges.in_service);
    CHECK(peak <= 5);  // rebalancing never overshoots by more than max(10 % of max, 1)
    (void)launches;
}

TEST_CASE("target tracking on CPU settles near its target on a steady load",
          "[controlplane][scaling]") {
    // 400 requests/s of 50 ms on m5.large (2 workers): 20 instances give 50 % CPU.
    auto s = basic_spec(4, 400.0);
    s.simulation.duration = 3 * 3600 * kSecond;
    s.launch_template[0].boot_time = scenario::DurationDist::constant(40 * kSecond);
    s.launch_template[0].app_start_time = scenario::DurationDist::constant(10 * kSecond);
    s.launch_template[0].max_queue = 200;
    s.workload[0].timeout = 10 * kSecond;
    s.autoscaling_group[0].min_size = 2;
    s.autoscaling_group[0].max_size = 40;
    s.autoscaling_group[0].default_instance_warmup = 120;
    scenario::AutoScalingPolicySpec p;
    p.name = "cpu50";
    p.autoscaling_group = "web";
    p.policy_type = scenario::PolicyType::TargetTrackingScaling;
    p.target_tracking_configuration = scenario::TargetTrackingSpec{
        scenario::PredefinedMetricType::ASGAverageCPUUtilization, 50.0, false};
    s.autoscaling_policy.push_back(p);
    report::Run w_run(s);
    cloud::World& w = w_run.world();
    w.run();
    const auto& g = *w.groups()[0];
    INFO("final desired " << g.desired_capacity());
    // Settled means inside the policy's dead band: AlarmHigh scales out above 50 % and
    // AlarmLow scales in only below 0.9 x 50 = 45 %, so desired ends between 400/40/0.5 = 20
    // and 400/40/0.45 = 22.2 instances.
    CHECK(g.desired_capacity() >= 20);
    CHECK(g.desired_capacity() <= 23);
    // The last 30 minutes: CPU near the target.
    double cpu = 0;
    int n = 0;
    for (const auto& r : w_run.recorder().rows()) {
        if (r.start >= (3 * 3600 - 1800) * kSecond && r.gauges.cpu_percent >= 0) {
            cpu += r.gauges.cpu_percent;
            ++n;
        }
    }
    REQUIRE(n > 0);
    CHECK(cpu / n >= 45.0 - 3.0);
    CHECK(cpu / n <= 50.0 + 3.0);
    CHECK(g.counts().scale_out >= 1);
}

TEST_CASE("a simple scaling policy waits for its activity and the cooldown between steps",
          "[controlplane][scaling]") {
    auto s = basic_spec(2, 200.0);  // far beyond 2 x 40 requests/s
    s.simulation.duration = 2400 * kSecond;
    s.launch_template[0].boot_time = scenario::DurationDist::constant(30 * kSecond);
    s.launch_template[0].max_queue = 100;
    s.workload[0].timeout = 5 * kSecond;
    s.autoscaling_group[0].max_size = 20;
    s.autoscaling_group[0].default_cooldown = 300;
    scenario::AutoScalingPolicySpec p;
    p.name = "add-two";
    p.autoscaling_group = "web";
    p.policy_type = scenario::PolicyType::SimpleScaling;
    p.scaling_adjustment = 2;
    s.autoscaling_policy.push_back(p);
    scenario::CloudWatchMetricAlarmSpec a;
    a.alarm_name = "cpu-high";
    a.namespace_ = "AWS/EC2";
    a.metric_name = "CPUUtilization";
    a.dimensions = {{"AutoScalingGroupName", "web"}};
    a.statistic = scenario::Statistic::Average;
    a.period = 60;
    a.evaluation_periods = 2;
    a.datapoints_to_alarm = 2;
    a.comparison_operator = scenario::ComparisonOperator::GreaterThanThreshold;
    a.threshold = 70;
    a.alarm_actions = {"add-two"};
    s.cloudwatch_metric_alarm.push_back(a);
    report::Run w_run(s);
    cloud::World& w = w_run.world();
    w.run();
    const auto changes = desired_changes(w_run);
    REQUIRE(changes.size() >= 3);
    CHECK(changes[0].second == 4);
    for (std::size_t i = 1; i < changes.size(); ++i) {
        CHECK(changes[i].second - changes[i - 1].second == 2);
        // The activity (30 s boot) and then the 300 s cooldown must pass between steps.
        CHECK(changes[i].first - changes[i - 1].first >= 330);
    }
    // The alarm went to ALARM after 2 breaching minutes.
    const auto alarm_at = times_of(w_run, "alarm_state_changed", "to", "ALARM");
    REQUIRE_FALSE(alarm_at.empty());
    CHECK(alarm_at[0] <= 240);
}

TEST_CASE("scheduled actions follow cron in their time zone", "[controlplane][schedule]") {
    auto s = basic_spec(2, 0.0);
    s.simulation.duration = 2 * 86400 * kSecond;  // Monday 5 and Tuesday 6 January 2026
    s.autoscaling_group[0].max_size = 10;
    scenario::AutoScalingScheduleSpec up, down;
    up.scheduled_action_name = "business-hours";
    up.autoscaling_group = "web";
    up.desired_capacity = 6;
    up.recurrence = "0 9 * * MON-FRI";
    up.time_zone = "Asia/Seoul";
    down = up;
    down.scheduled_action_name = "evening";
    down.desired_capacity = 2;
    down.recurrence = "0 18 * * MON-FRI";
    s.autoscaling_schedule = {up, down};
    report::Run w_run(s);
    cloud::World& w = w_run.world();
    w.run();
    // 09:00 KST is 00:00 UTC; 18:00 KST is 09:00 UTC.
    const std::vector<std::pair<double, int>> expected{
        {0, 6}, {9 * 3600, 2}, {86400, 6}, {86400 + 9 * 3600, 2}};
    CHECK(desired_changes(w_run) == expected);
}

TEST_CASE("termination policies pick the oldest or the newest instance, AZ balance first",
          "[controlplane][termination]") {
    auto run = [](scenario::TerminationPolicy policy) {
        auto s = basic_spec(4, 0.0);
        s.simulation.duration = 1200 * kSecond;
        s.autoscaling_group[0].max_size = 6;
        s.autoscaling_group[0].termination_policies = {policy};
        // Grow to 6 at 100 s, then back to 4 at 600 s.
        scenario::ActionSpec grow, shrink;
        grow.at = 100 * kSecond;
        grow.set = {{"autoscaling_group.web.desired_capacity", std::int64_t{6}}};
        shrink.at = 600 * kSecond;
        shrink.set = {{"autoscaling_group.web.desired_capacity", std::int64_t{4}}};
        s.action = {grow, shrink};
        report::Run w_run(s);
        cloud::World& w = w_run.world();
        w.run();
        std::vector<std::string> gone;
        for (const auto& e : testing::json_events(w_run))
            if (e.type == "instance_terminated") gone.push_back(e.subjects["instance"]);
        std::sort(gone.begin(), gone.end());
        return gone;
    };
    // i-0001..4 at 0 s (a, b, a, b); i-0005, i-0006 at 100 s (a, b).
    // The four first ones were launched together: OldestInstance ties among them (broken at
    // random, reproducibly), one per AZ.
    const auto oldest = run(scenario::TerminationPolicy::OldestInstance);
    REQUIRE(oldest.size() == 2);
    CHECK((oldest[0] == "i-0001" || oldest[0] == "i-0003"));  // us-east-1a
    CHECK((oldest[1] == "i-0002" || oldest[1] == "i-0004"));  // us-east-1b
    CHECK(run(scenario::TerminationPolicy::NewestInstance) ==
          std::vector<std::string>{"i-0005", "i-0006"});
}

TEST_CASE("a new launch template version is used by new launches and old ones go first",
          "[controlplane][termination]") {
    auto s = basic_spec(2, 0.0);
    s.simulation.duration = 1800 * kSecond;
    s.autoscaling_group[0].max_size = 4;
    s.autoscaling_group[0].launch_template_version = 1;
    auto v2 = s.launch_template[0];
    v2.version = 2;
    v2.instance_type = "c5.large";
    s.launch_template.push_back(v2);
    s.autoscaling_group[0].termination_policies = {
        scenario::TerminationPolicy::OldestLaunchTemplate};
    scenario::ActionSpec roll, grow, shrink;
    roll.at = 60 * kSecond;
    roll.set = {{"autoscaling_group.web.launch_template_version", std::int64_t{2}}};
    grow.at = 120 * kSecond;
    grow.set = {{"autoscaling_group.web.desired_capacity", std::int64_t{4}}};
    shrink.at = 900 * kSecond;
    shrink.set = {{"autoscaling_group.web.desired_capacity", std::int64_t{2}}};
    s.action = {roll, grow, shrink};
    report::Run w_run(s);
    cloud::World& w = w_run.world();
    w.run();
    const auto& fleet = w.fleet();
    REQUIRE(fleet.size() == 4);
    CHECK(fleet[0].config().launch_template_version == 1);
    CHECK(fleet[2].config().launch_template_version == 2);
    CHECK(fleet[2].config().instance_type == "c5.large");
    // The two version-1 instances leave; the version-2 ones stay.
    CHECK(fleet[0].lifecycle() == cloud::LifecycleState::Terminated);
    CHECK(fleet[1].lifecycle() == cloud::LifecycleState::Terminated);
    CHECK(fleet[2].lifecycle() == cloud::LifecycleState::InService);
    CHECK(fleet[3].lifecycle() == cloud::LifecycleState::InService);
}

}  // namespace test_control_plane
