// More of the control plane end to end: step and percent scaling, stochastic and partial
// faults, extra latency, scale-in protection, ok_actions, bounded schedules and determinism,
// checked against the EC2 Auto Scaling and CloudWatch alarm rules in docs/model.md, with the
// numbers worked out by hand in the comments.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sim/cloud/world.hpp"
#include "sim/report/outputs.hpp"
#include "sim/report/run.hpp"
#include "support.hpp"
#include "world_support.hpp"

namespace test_control_plane_more {

using namespace stratus;
using stratus::testing::basic_spec;
using stratus::testing::desired_changes;
using stratus::testing::latency_fault;
using stratus::testing::times_of;

namespace {

// The gauges sampled at the end of the metrics period that ends at `t` (s).
const report::Gauges* gauges_at_end(const report::Run& w_run, double t) {
    for (const auto& r : w_run.recorder().rows())
        if (r.start + r.length == static_cast<SimTime>(t * kSecond)) return &r.gauges;
    return nullptr;
}

// The mean latency (ms) of the successful requests of the rows starting in [from, to] (s),
// each row weighted by its successful requests.
double mean_latency_ms(const report::Run& w_run, double from, double to) {
    double sum = 0;
    double n = 0;
    for (const auto& r : w_run.recorder().rows()) {
        const double start = to_seconds(r.start);
        if (start < from || start > to || r.mean_ms < 0) continue;
        const auto ok = static_cast<double>(r.outcomes[static_cast<int>(cloud::Outcome::Ok)]);
        sum += r.mean_ms * ok;
        n += ok;
    }
    return n > 0 ? sum / n : -1;
}

// A one-minute alarm on the group's average CPU, one datapoint out of one.
scenario::CloudWatchMetricAlarmSpec cpu_alarm(const std::string& name,
                                              scenario::ComparisonOperator op, double threshold) {
    scenario::CloudWatchMetricAlarmSpec a;
    a.alarm_name = name;
    a.namespace_ = "AWS/EC2";
    a.metric_name = "CPUUtilization";
    a.dimensions = {{"AutoScalingGroupName", "web"}};
    a.statistic = scenario::Statistic::Average;
    a.period = 60;
    a.evaluation_periods = 1;
    a.datapoints_to_alarm = 1;
    a.comparison_operator = op;
    a.threshold = threshold;
    return a;
}

scenario::StepAdjustmentSpec step(std::optional<double> lower, std::optional<double> upper,
                                  int adjustment) {
    scenario::StepAdjustmentSpec s;
    s.metric_interval_lower_bound = lower;
    s.metric_interval_upper_bound = upper;
    s.scaling_adjustment = adjustment;
    return s;
}

scenario::ActionSpec set_desired(double at_s, int desired) {
    scenario::ActionSpec a;
    a.at = static_cast<SimTime>(at_s * kSecond);
    a.set = {{"autoscaling_group.web.desired_capacity", std::int64_t{desired}}};
    return a;
}

scenario::DurationDist exponential(SimTime mean) {
    scenario::DurationDist d;
    d.kind = scenario::DistKind::Exponential;
    d.mean = mean;
    return d;
}

// Step scale-out on CPU >= 60: +1 for [60, 80), +3 for [80, inf). Load starts at 600 s, after
// the first instances (in service at 30 s) have warmed up (300 s).
scenario::Spec step_out_spec(double rate) {
    auto s = basic_spec(2, rate);
    s.simulation.duration = 1500 * kSecond;
    s.launch_template[0].boot_time = scenario::DurationDist::constant(30 * kSecond);
    s.launch_template[0].max_queue = 100;
    s.workload[0].timeout = 5 * kSecond;
    s.workload[0].rate.steps = {{0, 0.0}, {600 * kSecond, rate}};
    s.autoscaling_group[0].min_size = 1;
    s.autoscaling_group[0].max_size = 20;
    scenario::AutoScalingPolicySpec p;
    p.name = "steps";
    p.autoscaling_group = "web";
    p.policy_type = scenario::PolicyType::StepScaling;
    p.estimated_instance_warmup = 300;
    p.step_adjustment = {step(0.0, 20.0, 1), step(20.0, std::nullopt, 3)};
    s.autoscaling_policy.push_back(p);
    auto a = cpu_alarm("cpu-high", scenario::ComparisonOperator::GreaterThanOrEqualToThreshold, 60);
    a.alarm_actions = {"steps"};
    s.cloudwatch_metric_alarm.push_back(a);
    return s;
}

}  // namespace

TEST_CASE("step scaling adds the step of the newest datapoint, once per warm-up",
          "[controlplane][step]") {
    SECTION("a breach far above the threshold takes the +3 step, and again after warm-up") {
        // 400 requests/s of 50 ms; an m5.large serves 2 / 0.05 = 40/s, so even 11 instances
        // (440/s) run above 80 % CPU: every datapoint from 660 s on is in [80, inf) -> +3.
        report::Run w_run(step_out_spec(400.0));
        cloud::World& w = w_run.world();
        w.run();
        // 660 s: ALARM on [600, 660) at ~100 %; nothing warms (in service at 30 s + 300 s):
        // 2 + 3 = 5. The new ones are in service at 690 s and warm until 990 s: the
        // invocations at 720..960 s apply +3 to the 2 warmed instances, 5, not above desired:
        // nothing. 1020 s: 5 + 3 = 8 (in service 1050 s, warm until 1350 s). 1380 s: 11.
        const std::vector<std::pair<double, int>> expected{{660, 5}, {1020, 8}, {1380, 11}};
        CHECK(desired_changes(w_run) == expected);
        CHECK(times_of(w_run, "alarm_state_changed", "to", "ALARM") == std::vector<double>{660});
    }
    SECTION("a breach just above the threshold takes the +1 step") {
        // 56 requests/s x 50 ms over 2 x 2 workers = 70 % (+-1.5 % over a minute): 70 - 60 =
        // 10, in [0, 20) -> +1 at 660 s. Then 56 x 0.05 / 6 = 46.7 % < 60: back to OK, and
        // an ALARM still within the warm-up (up to 990 s) could add nothing (2 + 1 = 3).
        report::Run w_run(step_out_spec(56.0));
        cloud::World& w = w_run.world();
        w.run();
        const std::vector<std::pair<double, int>> expected{{660, 3}};
        CHECK(desired_changes(w_run) == expected);
    }
}

TEST_CASE("instances in warm-up are left out of the group's CPU and count toward its capacity",
          "[controlplane][scaling][warmup]") {
    // AWS (Auto Scaling user guide, "Set the default instance warmup for an Auto Scaling
    // group"): an instance contributes to the group's aggregated metrics only once its warm-up
    // has passed; while instances warm, a policy scales out only on the metric of the warmed
    // ones, and counts the warming ones as part of the current capacity.
    // 2 m5.large (2 workers each), 72 requests/s x 50 ms from 60 s: 72 x 0.05 / 4 = 90 % CPU.
    // Target tracking at 50 %, default_instance_warmup 60 s, boot 20 s.
    auto s = basic_spec(2, 72.0);
    s.simulation.duration = 900 * kSecond;
    s.launch_template[0].boot_time = scenario::DurationDist::constant(20 * kSecond);
    s.workload[0].rate.steps = {{0, 0.0}, {60 * kSecond, 72.0}};
    s.autoscaling_group[0].min_size = 2;
    s.autoscaling_group[0].max_size = 10;
    s.autoscaling_group[0].default_instance_warmup = 60;
    scenario::AutoScalingPolicySpec p;
    p.name = "cpu50";
    p.autoscaling_group = "web";
    p.policy_type = scenario::PolicyType::TargetTrackingScaling;
    p.target_tracking_configuration = scenario::TargetTrackingSpec{
        scenario::PredefinedMetricType::ASGAverageCPUUtilization, 50.0, false};
    s.autoscaling_policy.push_back(p);
    report::Run w_run(s);
    cloud::World& w = w_run.world();
    REQUIRE(w.groups()[0]->metrics_warmup() == 60 * kSecond);
    w.run();
    // The first two are InService at 20 s and count from 80 s: the group's CPU has no
    // datapoint for [0, 60), and 90 for [60, 120), [120, 180), [180, 240). AlarmHigh (3 of 3
    // above 50) goes to ALARM at 240 s (at 180 s it holds 2 real datapoints, both newer than 3
    // periods: no premature alarm): 2 x 90 / 50 = 3.6 -> 4.
    // The two new ones are InService at 260 s and warm until 320 s. At 300 s the alarm, still
    // in ALARM on [240, 300) (the first two at 90 % until the new ones take traffic, then
    // 45 %: about 60 %), invokes the policy again: the metric covers the 2 warmed instances,
    // 2 x 60 / 50 = 2.4 -> 3, not above the 4 the group has: nothing. Counting the 4 in
    // service (as the model did before) gives 4 x 60 / 50 = 4.8 -> 5: the 4 -> 5 scale-out on
    // warming instances AWS does not make. From 320 s all four count: 72 x 0.05 / 8 = 45 %, under
    // the target; AlarmLow (below 0.9 x 50 = 45) would need 15 minutes of it, more than the
    // run has left: no change to the end.
    CHECK(times_of(w_run, "alarm_state_changed", "to", "ALARM") == std::vector<double>{240});
    // Precondition of the case: the alarm was still in ALARM at 300 s with 4 in service.
    const auto oks = times_of(w_run, "alarm_state_changed", "to", "OK");
    REQUIRE(oks.size() >= 2);  // the fresh alarms' first OK (AlarmLow), then AlarmHigh's
    CHECK(oks.back() == 360);
    const report::Gauges* at300 = gauges_at_end(w_run, 300);
    REQUIRE(at300);
    CHECK(at300->in_service == 4);
    const std::vector<std::pair<double, int>> expected{{240, 4}};
    CHECK(desired_changes(w_run) == expected);
}

TEST_CASE(
    "instances in warm-up are left out of the group's NetworkIn and count toward its "
    "capacity",
    "[controlplane][scaling][warmup]") {
    // The same AWS rule as above, on ASGAverageNetworkIn (AWS/EC2 NetworkIn by
    // AutoScalingGroupName, Average: bytes per instance per minute). 2 m5.large, boot 20 s, the
    // application up 40 s after InService, default_instance_warmup 120 s; 72 requests/s of
    // 1,000 bytes from 60 s; target 1,250,000 bytes. A target fails its first health check
    // (application down) and is healthy after 5 passing checks 5 s apart (ALB's default
    // healthy threshold), about 25 s after its application starts.
    auto s = basic_spec(2, 72.0);
    s.simulation.duration = 900 * kSecond;
    s.launch_template[0].boot_time = scenario::DurationDist::constant(20 * kSecond);
    s.launch_template[0].app_start_time = scenario::DurationDist::constant(40 * kSecond);
    s.workload[0].rate.steps = {{0, 0.0}, {60 * kSecond, 72.0}};
    s.workload[0].request_bytes = 1000;
    s.autoscaling_group[0].min_size = 2;
    s.autoscaling_group[0].max_size = 10;
    s.autoscaling_group[0].default_instance_warmup = 120;
    scenario::AutoScalingPolicySpec p;
    p.name = "net-in";
    p.autoscaling_group = "web";
    p.policy_type = scenario::PolicyType::TargetTrackingScaling;
    p.target_tracking_configuration = scenario::TargetTrackingSpec{
        scenario::PredefinedMetricType::ASGAverageNetworkIn, 1250000.0, false};
    s.autoscaling_policy.push_back(p);
    report::Run w_run(s);
    cloud::World& w = w_run.world();
    REQUIRE(w.groups()[0]->metrics_warmup() == 120 * kSecond);
    const cloud::MetricAlarm* high = w.policies()[0]->high_alarm();
    REQUIRE(high);
    CHECK(high->metric().namespace_ == "AWS/EC2");
    CHECK(high->metric().metric_name == "NetworkIn");
    CHECK(high->metric().dimensions ==
          std::map<std::string, std::string>{{"AutoScalingGroupName", "web"}});
    REQUIRE(high->stat().statistic);
    CHECK(*high->stat().statistic == scenario::Statistic::Average);
    // The first two are InService at 20 s, take traffic from about 80 s and count from 140 s.
    // Each takes 36 requests/s: 36 x 60 x 1,000 = 2,160,000 bytes a minute (Poisson: +-2 %
    // per instance-minute), above the target in [120, 180), [180, 240) and [240, 300):
    // AlarmHigh (3 of 3) in ALARM at 300 s, ceil(2 x 2.16e6 / 1.25e6) = ceil(3.456) = 4.
    w.run_until(301 * kSecond);
    REQUIRE(high->state() == cloud::AlarmState::ALARM);
    REQUIRE(high->last_value());
    CHECK(*high->last_value() == Approx(2.16e6).epsilon(0.05));
    CHECK(w.groups()[0]->desired_capacity() == 4);
    // The two new ones are InService at 320 s (their application answers at 360 s, their
    // targets are healthy at about 385 s) and warm until 440 s. Over [300, 360) the two warmed
    // instances take all 72 requests/s: the group's NetworkIn is still 2,160,000 (counting the
    // new ones, InService for 4 of the 6 ten-second samples with no request, would give
    // (12 x 2.16e6 + 8 x 0) / 20 = 1,296,000). The alarm stays in ALARM and invokes the policy
    // at 360 s on the 2 warmed instances: ceil(2 x 2.16e6 / 1.25e6) = 4, not above the 4 the
    // group has: nothing (4 instances at 1,296,000 would ask for ceil(4.15) = 5).
    w.run_until(361 * kSecond);
    REQUIRE(high->state() == cloud::AlarmState::ALARM);
    REQUIRE(high->last_value());
    CHECK(*high->last_value() == Approx(2.16e6).epsilon(0.05));
    CHECK(w.groups()[0]->in_service_count() == 4);
    CHECK(w.groups()[0]->desired_capacity() == 4);
    // [360, 420): the warmed two take 36 requests/s until about 385 s, then 18: about
    // (25 x 36 + 35 x 18) / 60 = 25.5 a second, 1,530,000, still above the target; 2 x 1.53e6
    // / 1.25e6 = 2.45 -> 3, below 4: nothing. [420, 480): every instance at 18 requests/s,
    // 1,080,000, under the target: AlarmHigh is OK at 480 s. AlarmLow (below 0.9 x 1.25e6 =
    // 1,125,000) would need 15 such minutes, more than the run has left: no change to the end.
    w.run();
    CHECK(times_of(w_run, "alarm_state_changed", "to", "ALARM") == std::vector<double>{300});
    const auto oks = times_of(w_run, "alarm_state_changed", "to", "OK");
    REQUIRE(!oks.empty());
    CHECK(oks.back() == 480);
    const std::vector<std::pair<double, int>> expected{{300, 4}};
    CHECK(desired_changes(w_run) == expected);
}

TEST_CASE("a warm-up of 0 is 0 s, not unset: new instances count at once",
          "[controlplane][warmup]") {
    // EC2 Auto Scaling: a policy's EstimatedInstanceWarmup, else the group's
    // DefaultInstanceWarmup, else its DefaultCooldown (PutScalingPolicy); AWS recommends a
    // default warm-up "even if it is set to 0 seconds". Lab 4: group web with
    // default_instance_warmup = 120 and default_cooldown 300, and the target tracking policy
    // cpu50 without a warm-up of its own.
    const std::string lab =
        std::string(STRATUS_SOURCE_DIR) + "/scenarios/labs/04-target-tracking.toml";
    auto warmups = [&](const std::vector<std::string>& set) {
        const scenario::Spec spec = scenario::load_file(lab, set);
        report::Run run(spec);
        REQUIRE(run.world().policies().size() == 1);
        return std::make_pair(run.world().groups()[0]->metrics_warmup(),
                              run.world().policies()[0]->warmup());
    };
    CHECK(warmups({}) == std::make_pair(120 * kSecond, 120 * kSecond));
    CHECK(warmups({"autoscaling_group.web.default_instance_warmup=0"}) ==
          std::make_pair(SimTime{0}, SimTime{0}));
    CHECK(warmups({"autoscaling_policy.cpu50.estimated_instance_warmup=0"}) ==
          std::make_pair(SimTime{0}, SimTime{0}));
}

TEST_CASE("target tracking on ASGAverageNetworkOut: the responses of the warmed instances",
          "[controlplane][scaling][warmup]") {
    // ASGAverageNetworkOut: AWS/EC2 NetworkOut by AutoScalingGroupName, Average, bytes per
    // instance per minute (EC2 Auto Scaling, "Target tracking scaling policies": the predefined
    // metrics; EC2 "NetworkOut: the number of bytes sent out by the instance"). The model's
    // instances send the responses: requests taken x response_bytes. Warm-up here is the
    // policy's estimated_instance_warmup (180 s), the group having no default.
    // 3 m5.large, boot 30 s, the application up 60 s after InService (targets healthy about
    // 25 s later: 5 passing checks 5 s apart); 150 requests/s of 10 ms (25 % CPU), 1,000 bytes
    // in and 4,000 out; target 7,500,000 bytes.
    auto s = basic_spec(3, 150.0);
    s.simulation.duration = 900 * kSecond;
    s.launch_template[0].boot_time = scenario::DurationDist::constant(30 * kSecond);
    s.launch_template[0].app_start_time = scenario::DurationDist::constant(60 * kSecond);
    s.workload[0].service_time.mean = 10 * kMillisecond;
    s.workload[0].request_bytes = 1000;
    s.workload[0].response_bytes = 4000;
    s.autoscaling_group[0].min_size = 3;
    s.autoscaling_group[0].max_size = 10;
    scenario::AutoScalingPolicySpec p;
    p.name = "net-out";
    p.autoscaling_group = "web";
    p.policy_type = scenario::PolicyType::TargetTrackingScaling;
    p.estimated_instance_warmup = 180;
    p.target_tracking_configuration = scenario::TargetTrackingSpec{
        scenario::PredefinedMetricType::ASGAverageNetworkOut, 7500000.0, false};
    s.autoscaling_policy.push_back(p);
    report::Run w_run(s);
    cloud::World& w = w_run.world();
    REQUIRE(w.groups()[0]->metrics_warmup() == 180 * kSecond);
    const cloud::MetricAlarm* high = w.policies()[0]->high_alarm();
    const cloud::MetricAlarm* low = w.policies()[0]->low_alarm();
    REQUIRE(high);
    REQUIRE(low);
    for (const cloud::MetricAlarm* a : {high, low}) {
        CHECK(a->metric().namespace_ == "AWS/EC2");
        CHECK(a->metric().metric_name == "NetworkOut");
        CHECK(a->metric().dimensions ==
              std::map<std::string, std::string>{{"AutoScalingGroupName", "web"}});
        REQUIRE(a->stat().statistic);
        CHECK(*a->stat().statistic == scenario::Statistic::Average);
        CHECK(a->period() == 60 * kSecond);
    }
    CHECK(high->spec().threshold == Approx(7.5e6));
    CHECK(low->spec().threshold == Approx(6.75e6));  // 0.9 x the target
    // InService at 30 s, healthy at about 115 s, counted from 210 s. Each instance takes 50
    // requests/s: 50 x 60 x 4,000 = 12,000,000 bytes out a minute (the 1,000 bytes in would be
    // 3,000,000: under the target). Datapoints [180, 240) (from 210 s), [240, 300) and
    // [300, 360): AlarmHigh in ALARM at 360 s, ceil(3 x 12e6 / 7.5e6) = ceil(4.8) = 5.
    w.run_until(361 * kSecond);
    REQUIRE(high->state() == cloud::AlarmState::ALARM);
    REQUIRE(high->last_value());
    CHECK(*high->last_value() == Approx(12e6).epsilon(0.05));
    CHECK(w.groups()[0]->desired_capacity() == 5);
    // The two new ones are InService at 390 s, without traffic until about 475 s, and warm
    // until 570 s. [360, 420): the three warmed instances send all the responses, 12e6 each;
    // the policy asks for ceil(3 x 12e6 / 7.5e6) = 5: nothing. (Counting the new ones, with 3
    // samples each at 0: (18 x 12e6) / 24 = 9e6, and ceil(5 x 9e6 / 7.5e6) = 6.)
    w.run_until(421 * kSecond);
    REQUIRE(high->state() == cloud::AlarmState::ALARM);
    REQUIRE(high->last_value());
    CHECK(*high->last_value() == Approx(12e6).epsilon(0.05));
    CHECK(w.groups()[0]->in_service_count() == 5);
    CHECK(w.groups()[0]->desired_capacity() == 5);
    // [420, 480): the warmed three at 50 requests/s until about 475 s, then 30: about 11.4e6,
    // ceil(3 x 11.4e6 / 7.5e6) = 5: nothing. [480, 540): 30 requests/s each, 7,200,000, under
    // the target and above 0.9 x target: AlarmHigh OK at 540 s, no scale-in.
    w.run();
    CHECK(times_of(w_run, "alarm_state_changed", "to", "ALARM") == std::vector<double>{360});
    const auto oks = times_of(w_run, "alarm_state_changed", "to", "OK");
    REQUIRE(!oks.empty());
    CHECK(oks.back() == 540);
    const std::vector<std::pair<double, int>> expected{{360, 5}};
    CHECK(desired_changes(w_run) == expected);
}

TEST_CASE("target tracking with disable_scale_in never removes instances",
          "[controlplane][scaling][warmup]") {
    // AWS (API reference, TargetTrackingConfiguration.DisableScaleIn): a policy with scale-in
    // disabled "doesn't remove instances from the Auto Scaling group". 4 m5.large at 8
    // requests/s x 50 ms: CPU 0.4 / 8 = 5 %, far below 0.9 x 50 = 45 %.
    auto run = [](bool disable_scale_in) {
        auto s = basic_spec(4, 8.0);
        s.simulation.duration = 1500 * kSecond;
        s.autoscaling_group[0].min_size = 1;
        s.autoscaling_group[0].max_size = 10;
        scenario::AutoScalingPolicySpec p;
        p.name = "cpu50";
        p.autoscaling_group = "web";
        p.policy_type = scenario::PolicyType::TargetTrackingScaling;
        p.target_tracking_configuration = scenario::TargetTrackingSpec{
            scenario::PredefinedMetricType::ASGAverageCPUUtilization, 50.0, disable_scale_in};
        s.autoscaling_policy.push_back(p);
        auto w = std::make_unique<report::Run>(s);
        w->world().run();
        return w;
    };
    // Scale-in enabled: the instances warm for the default cooldown (300 s) and count in the
    // CPU from then; AlarmLow has its 15 datapoints ([300, 360) .. [1140, 1200)) at 1200 s:
    // 4 x 5 / 50 = 0.4 -> 1 (the removal rounded down, clamped to min 1).
    const auto enabled = run(false);
    const std::vector<std::pair<double, int>> in{{1200, 1}};
    CHECK(desired_changes(*enabled) == in);
    // Disabled: no AlarmLow, and the group keeps its 4.
    const auto disabled = run(true);
    CHECK(desired_changes(*disabled).empty());
    CHECK(disabled->world().groups()[0]->desired_capacity() == 4);
    CHECK(times_of(*disabled, "alarm_state_changed", "to", "ALARM").empty());
}

TEST_CASE("target tracking on ALBRequestCountPerTarget: requests per target per minute",
          "[controlplane][scaling]") {
    // AWS: for a count metric such as the request count of an Application Load Balancer, the
    // target value is "the optimal average request ... count per instance during any one-minute
    // interval" (API reference, TargetTrackingConfiguration.TargetValue); RequestCountPerTarget
    // (AWS/ApplicationELB, dimension TargetGroup) has Sum as its only valid statistic, which
    // "represents the average" per target (ALB guide, "CloudWatch metrics for your Application
    // Load Balancer"). So the managed alarms watch the Sum over one-minute periods.
    auto run = [](int instances, double rate, double target) {
        auto s = basic_spec(instances, rate);
        s.simulation.duration = 1500 * kSecond;
        s.workload[0].rate.steps = {{0, 0.0}, {60 * kSecond, rate}};  // whole minutes from 60 s
        s.autoscaling_group[0].min_size = 2;
        s.autoscaling_group[0].max_size = 10;
        scenario::AutoScalingPolicySpec p;
        p.name = "requests";
        p.autoscaling_group = "web";
        p.policy_type = scenario::PolicyType::TargetTrackingScaling;
        p.target_tracking_configuration = scenario::TargetTrackingSpec{
            scenario::PredefinedMetricType::ALBRequestCountPerTarget, target, false};
        s.autoscaling_policy.push_back(p);
        auto w = std::make_unique<report::Run>(s);
        w->world().run();
        return w;
    };
    // Scale-out: 2 targets, 50 requests/s, target 1,400: 50 x 60 / 2 = 1,500 requests per
    // target per minute (Poisson: +-27 at one sd) above 1,400 from [60, 120); AlarmHigh has 3
    // of 3 at 240 s: ceil(2 x 1,500 / 1,400) = ceil(2.14) = 3. With 3 targets: 1,000 a minute,
    // under AlarmLow's 0.9 x 1,400 = 1,260 from [300, 360), ALARM at 1,200 s after 15 of 15,
    // but ceil(3 x 1,000 / 1,400) = ceil(2.14) = 3 removes nothing (the removal rounded down).
    const auto out = run(2, 50.0, 1400.0);
    const auto alarms = out->world().alarms();
    REQUIRE(alarms.size() == 2);
    for (const cloud::MetricAlarm* a : alarms) {
        CHECK(a->metric().namespace_ == "AWS/ApplicationELB");
        CHECK(a->metric().metric_name == "RequestCountPerTarget");
        CHECK(a->metric().dimensions == std::map<std::string, std::string>{{"TargetGroup", "tg"}});
        REQUIRE(a->stat().statistic);
        CHECK(*a->stat().statistic == scenario::Statistic::Sum);
        CHECK(a->period() == 60 * kSecond);
    }
    CHECK(alarms[0]->spec().threshold == Approx(1400));
    CHECK(alarms[0]->datapoints_to_alarm() == 3);
    CHECK(alarms[1]->spec().threshold == Approx(1260));
    CHECK(alarms[1]->datapoints_to_alarm() == 15);
    const std::vector<std::pair<double, int>> out_changes{{240, 3}};
    CHECK(desired_changes(*out) == out_changes);
    CHECK(alarms[1]->state() == cloud::AlarmState::ALARM);
    CHECK(out->world().groups()[0]->desired_capacity() == 3);

    // Scale-in, a second case: 4 targets, 40 requests/s, target 1,000: 40 x 60 / 4 = 600 a
    // minute (+-12), under 0.9 x 1,000 = 900 for 15 of 15 one-minute datapoints [60, 120) ..
    // [900, 960): ceil(4 x 600 / 1,000) = ceil(2.4) = 3 at 960 s. With 3 targets: 800 a
    // minute, still under 900, but ceil(3 x 800 / 1,000) = ceil(2.4) = 3: no further change.
    const auto in = run(4, 40.0, 1000.0);
    const std::vector<std::pair<double, int>> in_changes{{960, 3}};
    CHECK(desired_changes(*in) == in_changes);
    CHECK(in->world().groups()[0]->desired_capacity() == 3);
}

TEST_CASE("a step scale-in on a low alarm waits for every warming instance",
          "[controlplane][step]") {
    // 4 instances in service at 0 s, 8 requests/s x 50 ms: CPU 0.4 / 8 = 5 % (20 % on one
    // instance), below 30 all the time, so the alarm is in ALARM from 60 s and invokes the
    // policy every minute. Step -1 for (-inf, 0] relative to 30.
    auto s = basic_spec(4, 8.0);
    s.simulation.duration = 1200 * kSecond;
    s.autoscaling_group[0].min_size = 1;
    s.autoscaling_group[0].max_size = 10;
    scenario::AutoScalingPolicySpec p;
    p.name = "shrink";
    p.autoscaling_group = "web";
    p.policy_type = scenario::PolicyType::StepScaling;
    p.estimated_instance_warmup = 300;
    p.step_adjustment = {step(std::nullopt, 0.0, -1)};
    s.autoscaling_policy.push_back(p);
    auto a = cpu_alarm("cpu-low", scenario::ComparisonOperator::LessThanThreshold, 30);
    a.alarm_actions = {"shrink"};
    s.cloudwatch_metric_alarm.push_back(a);
    // Two new instances at 600 s (boot 0: in service at once, warm until 900 s).
    s.action = {set_desired(600, 3)};
    report::Run w_run(s);
    cloud::World& w = w_run.world();
    w.run();
    // The first instances warm until 300 s and count in the group's CPU only from then: its
    // first datapoint is [300, 360), so the alarm goes to ALARM at 360 s. 360, 420, 480 s: one
    // less each minute down to min 1 (step scaling has no cooldown). 600 s: 3 by the action;
    // the two new ones warm until 900 s (left out of the CPU, which the warmed one keeps
    // below 30): 660..840 s blocked; 900 s: 2; 960 s: 1.
    const std::vector<std::pair<double, int>> expected{{360, 3}, {420, 2}, {480, 1},
                                                       {600, 3}, {900, 2}, {960, 1}};
    CHECK(desired_changes(w_run) == expected);
}

TEST_CASE("PercentChangeInCapacity rounds as AWS does and min_adjustment_magnitude raises it",
          "[controlplane][percent]") {
    SECTION("+25 % of 4 with a magnitude of 2 adds 2") {
        // 400 requests/s against 4 x 40/s: CPU 100 % from 10 s, [0, 60) averages 83 % > 70.
        auto s = basic_spec(4, 400.0);
        s.simulation.duration = 1000 * kSecond;
        s.launch_template[0].max_queue = 100;
        s.workload[0].timeout = 5 * kSecond;
        s.autoscaling_group[0].min_size = 1;
        s.autoscaling_group[0].max_size = 10;
        scenario::AutoScalingPolicySpec p;
        p.name = "grow";
        p.autoscaling_group = "web";
        p.policy_type = scenario::PolicyType::SimpleScaling;
        p.adjustment_type = scenario::AdjustmentType::PercentChangeInCapacity;
        p.scaling_adjustment = 25;
        p.min_adjustment_magnitude = 2;
        s.autoscaling_policy.push_back(p);
        auto a = cpu_alarm("cpu-high", scenario::ComparisonOperator::GreaterThanThreshold, 70);
        a.alarm_actions = {"grow"};
        s.cloudwatch_metric_alarm.push_back(a);
        report::Run w_run(s);
        cloud::World& w = w_run.world();
        w.run();
        // 60 s: 4 x 25 % = 1, raised to 2: 6 (boot 0: the activity ends at once, cooldown 300 s
        // to 360 s). 360 s: 6 x 25 % = 1.5 -> 1, raised to 2: 8. 660 s: 10 = max; 10 x 40/s
        // = 400/s keeps CPU at ~100 %, but 960 s can add nothing above max.
        const std::vector<std::pair<double, int>> expected{{60, 6}, {360, 8}, {660, 10}};
        CHECK(desired_changes(w_run) == expected);
    }
    SECTION("-25 % rounds toward zero below -1 and to -1 in (-1, 0)") {
        // 10 instances, 4 requests/s: CPU ~1 %, the low alarm is in ALARM from 60 s.
        auto s = basic_spec(10, 4.0);
        s.simulation.duration = 1200 * kSecond;
        s.autoscaling_group[0].min_size = 1;
        s.autoscaling_group[0].max_size = 10;
        scenario::AutoScalingPolicySpec p;
        p.name = "shrink";
        p.autoscaling_group = "web";
        p.policy_type = scenario::PolicyType::SimpleScaling;
        p.adjustment_type = scenario::AdjustmentType::PercentChangeInCapacity;
        p.scaling_adjustment = -25;
        s.autoscaling_policy.push_back(p);
        auto a = cpu_alarm("cpu-low", scenario::ComparisonOperator::LessThanThreshold, 30);
        a.alarm_actions = {"shrink"};
        s.cloudwatch_metric_alarm.push_back(a);
        report::Run w_run(s);
        cloud::World& w = w_run.world();
        w.run();
        // 60 s: 10 x -25 % = -2.5 -> -2: 8. The two leaving drain within a second or two (no
        // request outstanding); the 300 s cooldown then ends by ~362 s. 420 s: 8 x -25 % = -2:
        // 6 (terminated ~421 s, cooldown to ~721 s). 780 s: -1.5 -> -1: 5. 1140 s: -1.25 ->
        // -1: 4.
        const std::vector<std::pair<double, int>> expected{{60, 8}, {420, 6}, {780, 5}, {1140, 4}};
        CHECK(desired_changes(w_run) == expected);
    }
}

TEST_CASE("stochastic AZ outages come and go, each lasting the mttr, and the group recovers",
          "[controlplane][faults]") {
    auto s = basic_spec(4, 10.0);
    s.simulation.duration = 24 * kHour;
    s.launch_template[0].boot_time = scenario::DurationDist::constant(45 * kSecond);
    scenario::FaultSpec f;
    f.type = scenario::FaultType::AzOutage;
    f.target = "us-east-1a";
    f.mtbf = exponential(2 * kHour);
    f.mttr = scenario::DurationDist::constant(10 * 60 * kSecond);
    s.fault.push_back(f);
    report::Run w_run(s);
    cloud::World& w = w_run.world();
    w.run();
    const auto starts = times_of(w_run, "az_outage_started");
    const auto ends = times_of(w_run, "az_outage_ended");
    // About 24 h / (2 h + 10 min) = 11 outages; P(fewer than 3) is tiny (and the run is
    // reproducible anyway).
    REQUIRE(starts.size() >= 3);
    REQUIRE((ends.size() == starts.size() || ends.size() + 1 == starts.size()));
    const double horizon = 24 * 3600;
    for (std::size_t i = 0; i < starts.size(); ++i) {
        INFO("outage " << i << " at " << starts[i]);
        if (i < ends.size()) {
            CHECK(ends[i] - starts[i] == Approx(600).margin(1e-6));
        } else {
            CHECK(horizon - starts[i] < 600);
        }
        if (i + 1 < starts.size()) CHECK(starts[i + 1] > ends[i]);
        // During the outage: the 2 stopped instances are replaced in us-east-1b by the next
        // poll (10 s) and in service 45 s later; the first period end >= start + 120 s is
        // within the 10-minute outage.
        const double during = std::ceil((starts[i] + 120) / 60) * 60;
        if (during < horizon) {
            const report::Gauges* g = gauges_at_end(w_run, during);
            REQUIRE(g != nullptr);
            CHECK(g->in_service == 4);
            CHECK(g->in_service_by_az == std::vector<int>{0, 4});
        }
        // After it: rebalancing, one launch-then-terminate at a time (max 4: an allowance of
        // 1), two rounds of ~10 + 45 + 1 s: 2 + 2 again by end + 300 s, when no new outage has
        // begun.
        if (i < ends.size()) {
            const double after = std::ceil((ends[i] + 300) / 60) * 60;
            const bool quiet = i + 1 >= starts.size() || starts[i + 1] > after;
            if (quiet && after < horizon) {
                const report::Gauges* g = gauges_at_end(w_run, after);
                REQUIRE(g != nullptr);
                CHECK(g->in_service == 4);
                CHECK(g->in_service_by_az == std::vector<int>{2, 2});
            }
        }
    }
    // Every outage stops the 2 instances of us-east-1a, each replaced through the EC2 check.
    CHECK(w.groups()[0]->counts().unhealthy_replacements >= 2 * static_cast<int>(ends.size()));
}

TEST_CASE(
    "a stopped instance's target is unused (Target.InvalidState) at once and takes no "
    "request",
    "[controlplane][faults][targets]") {
    // As AWS reports a registered instance that is stopped: state unused, reason
    // Target.InvalidState, from the moment it stops, not after unhealthy_threshold failed
    // checks; the load balancer routes nothing more to it. The group finds it at its next
    // poll (310 s) and deregisters it.
    auto s = basic_spec(4, 20.0);
    s.simulation.duration = 400 * kSecond;
    scenario::FaultSpec f;
    f.type = scenario::FaultType::InstanceFailure;
    f.target = "web";
    f.at = 305 * kSecond;
    f.fraction = 0.5;
    s.fault.push_back(f);
    report::Run w_run(s);
    w_run.world().run();
    std::vector<std::string> failed, unused;
    for (const auto& e : testing::json_events(w_run)) {
        if (e.type == "instance_failure") failed.push_back(e.subjects["instance"]);
        if (e.type == "target_health_changed" && e.subjects["to"] == "unused" &&
            e.subjects["reason"] == "Target.InvalidState") {
            CHECK(to_seconds(e.t) == 305);
            CHECK(e.subjects["from"] == "healthy");
            unused.push_back(e.subjects["instance"]);
        }
        // Never called unhealthy: a stopped target is unused, not failing its checks.
        if (e.type == "target_health_changed" && e.subjects["to"] == "unhealthy")
            CHECK(to_seconds(e.t) < 305);
    }
    REQUIRE(failed.size() == 2);
    std::sort(failed.begin(), failed.end());
    std::sort(unused.begin(), unused.end());
    CHECK(unused == failed);
    // Routed to the two stopped targets for the 5 s until the poll, 20/s x 5 s x 1/2 = 50
    // requests would have met nothing and got 504; only the requests the two held when they
    // stopped (about 20/s x 50 ms x 1/2 = 0.5) do.
    const auto summary = report::make_summary(w_run);
    CHECK(summary["requests"]["errors"]["http_504"].get<int>() <= 5);
    CHECK(summary["requests"]["errors"]["http_503"] == 0);
}

TEST_CASE("an instance failure of half the group stops 2 of 4, replaced within one poll",
          "[controlplane][faults]") {
    auto s = basic_spec(4, 20.0);
    s.simulation.duration = 900 * kSecond;
    s.launch_template[0].boot_time = scenario::DurationDist::constant(30 * kSecond);
    scenario::FaultSpec f;
    f.type = scenario::FaultType::InstanceFailure;
    f.target = "web";
    f.at = 305 * kSecond;
    f.fraction = 0.5;
    s.fault.push_back(f);
    report::Run w_run(s);
    cloud::World& w = w_run.world();
    w.run();
    // ceil(0.5 x 4) = 2 instances stopped at 305 s.
    std::vector<std::string> failed, unhealthy;
    for (const auto& e : testing::json_events(w_run)) {
        if (e.type == "instance_failure") {
            CHECK(to_seconds(e.t) == 305);
            failed.push_back(e.subjects["instance"].get<std::string>());
        }
        if (e.type == "instance_unhealthy") {
            // The group polls every 10 s (at 310 s): found and replaced within 10 s.
            CHECK(to_seconds(e.t) > 305);
            CHECK(to_seconds(e.t) <= 315);
            CHECK(e.subjects["health_check"] == "EC2");
            unhealthy.push_back(e.subjects["instance"].get<std::string>());
        }
    }
    std::sort(failed.begin(), failed.end());
    std::sort(unhealthy.begin(), unhealthy.end());
    REQUIRE(failed.size() == 2);
    CHECK(unhealthy == failed);
    CHECK(w.groups()[0]->counts().unhealthy_replacements == 2);
    // Two replacements launched at that poll, in service 30 s later: 4 again by 360 s.
    int replacements = 0;
    for (const auto& e : testing::json_events(w_run)) {
        if (e.type == "autoscaling_activity" && to_seconds(e.t) > 305 &&
            e.subjects["description"].get<std::string>().rfind("Launching", 0) == 0) {
            CHECK(to_seconds(e.t) <= 315);
            ++replacements;
        }
    }
    CHECK(replacements == 2);
    const report::Gauges* g = gauges_at_end(w_run, 360);
    REQUIRE(g != nullptr);
    CHECK(g->in_service == 4);
    CHECK(g->in_service_by_az == std::vector<int>{2, 2});
}

TEST_CASE("a 200 ms latency fault on a group adds 200 ms to the mean latency while it lasts",
          "[controlplane][latency]") {
    // 4 requests/s over 4 m5.large (8 workers): 1/s per instance. Before: 50 ms of work,
    // utilisation 1 x 0.05 / 2 = 2.5 %, next to no wait. During: 250 ms, 12.5 %: M/G/2 gives
    // P(wait) ~ 0.028 and a mean wait ~ 0.028 x 0.25 / 1.75 x (1 + 0.04) / 2 = 2 ms. So the
    // rows during the fault read ~202 ms more; the mean over ~2,400 requests of an
    // exponential 50 ms has sd ~1 ms.
    auto s = basic_spec(4, 4.0);
    s.simulation.duration = 1800 * kSecond;
    s.fault.push_back(latency_fault("web", 600 * kSecond, 600 * kSecond, 200 * kMillisecond));
    report::Run w_run(s);
    cloud::World& w = w_run.world();
    w.run();
    CHECK(times_of(w_run, "latency_started") == std::vector<double>{600});
    CHECK(times_of(w_run, "latency_ended") == std::vector<double>{1200});
    const double before = mean_latency_ms(w_run, 120, 540);
    const double during = mean_latency_ms(w_run, 600, 1140);
    const double after = mean_latency_ms(w_run, 1260, 1740);
    INFO("before " << before << " ms, during " << during << " ms, after " << after << " ms");
    CHECK(before == Approx(50).margin(5));
    CHECK(during - before >= 195);
    CHECK(during - before <= 212);
    CHECK(std::abs(after - before) <= 8);
}

TEST_CASE("scale-in protection keeps every instance when desired capacity is lowered",
          "[controlplane][protection]") {
    auto s = basic_spec(4, 20.0);
    s.simulation.duration = 900 * kSecond;
    s.autoscaling_group[0].min_size = 1;
    s.autoscaling_group[0].max_size = 6;
    s.autoscaling_group[0].protect_from_scale_in = true;
    s.action = {set_desired(300, 2)};
    report::Run w_run(s);
    cloud::World& w = w_run.world();
    w.run();
    // AWS lowers desired capacity anyway and terminates nothing ("Could not scale to desired
    // capacity because all remaining instances are protected from scale-in").
    CHECK(w.groups()[0]->desired_capacity() == 2);
    CHECK(desired_changes(w_run) == std::vector<std::pair<double, int>>{{300, 2}});
    CHECK(times_of(w_run, "instance_terminated").empty());
    CHECK(w.groups()[0]->in_service_count() == 4);
    const auto blocked = times_of(w_run, "scale_in_blocked");
    REQUIRE_FALSE(blocked.empty());
    CHECK(blocked[0] == 300);
}

TEST_CASE("a blocked scale-in is reported once per change of desired capacity, not every poll",
          "[controlplane][protection]") {
    auto s = basic_spec(4, 20.0);
    s.simulation.duration = 900 * kSecond;
    s.autoscaling_group[0].min_size = 1;
    s.autoscaling_group[0].max_size = 6;
    s.autoscaling_group[0].protect_from_scale_in = true;
    s.action = {set_desired(300, 2)};
    report::Run w_run(s);
    cloud::World& w = w_run.world();
    w.run();
    CHECK(times_of(w_run, "scale_in_blocked") == std::vector<double>{300});
}

TEST_CASE("scale-in protection does not stop a health check replacement",
          "[controlplane][protection]") {
    auto s = basic_spec(4, 20.0);
    s.simulation.duration = 600 * kSecond;
    s.autoscaling_group[0].protect_from_scale_in = true;
    scenario::FaultSpec f;
    f.type = scenario::FaultType::InstanceFailure;
    f.target = "web";
    f.at = 205 * kSecond;  // no fraction: one instance
    s.fault.push_back(f);
    report::Run w_run(s);
    cloud::World& w = w_run.world();
    w.run();
    // Scale-in protection does not cover health-check replacement (the Auto Scaling User Guide).
    CHECK(w.groups()[0]->counts().unhealthy_replacements == 1);
    CHECK(times_of(w_run, "instance_terminated") == std::vector<double>{210});
    CHECK(w.groups()[0]->in_service_count() == 4);
}

TEST_CASE("overloaded targets fail their checks with Target.Timeout and the group replaces them",
          "[controlplane][health]") {
    // 200 requests/s against 2 x 40/s: each queue grows by 60/s to its 1000 places. A check
    // waits behind (queued + 1) / 2 x 50 ms: beyond the 5 s timeout once ~200 are queued,
    // ~4 s into the load. Two failed checks (10 s apart) make the target unhealthy; after the
    // 60 s grace period the ELB health check replaces max(1, 10 % of 2) = 1 at a time.
    auto s = basic_spec(2, 200.0);
    s.simulation.duration = 600 * kSecond;
    s.launch_template[0].max_queue = 1000;
    s.workload[0].timeout = 30 * kSecond;
    s.target_group[0].health_check.interval = 10;
    s.target_group[0].health_check.timeout = 5;
    s.target_group[0].health_check.healthy_threshold = 2;
    s.target_group[0].health_check.unhealthy_threshold = 2;
    s.autoscaling_group[0].health_check_type = scenario::HealthCheckType::ELB;
    s.autoscaling_group[0].health_check_grace_period = 60;
    report::Run w_run(s);
    cloud::World& w = w_run.world();
    w.run();
    int timeouts = 0;
    for (const auto& e : testing::json_events(w_run)) {
        if (e.type == "target_health_changed" && e.subjects["to"] == "unhealthy" &&
            e.subjects["reason"] == "Target.Timeout") {
            ++timeouts;
        }
    }
    CHECK(timeouts >= 2);
    const auto elb_unhealthy = times_of(w_run, "instance_unhealthy", "health_check", "ELB");
    REQUIRE(elb_unhealthy.size() >= 2);
    CHECK(elb_unhealthy[0] >= 60);  // not within the grace period
    CHECK(w.groups()[0]->counts().unhealthy_replacements >= 2);
    // One at a time: never two replacements at the same poll.
    for (std::size_t i = 1; i < elb_unhealthy.size(); ++i)
        CHECK(elb_unhealthy[i] > elb_unhealthy[i - 1]);
}

TEST_CASE("ELB replacements wait for the previous batch's health check and warm-up",
          "[controlplane][health]") {
    // The overload of the test above: both targets unhealthy by ~31 s; batch max(1, 10 % of
    // 2) = 1; default_instance_warmup 120 s. The first replacement at the 60 s poll (grace
    // over) is in service at once (boot 0) and passes its first check within 10 s; the second
    // may go only once it has warmed up: not before 60 + 120 = 180 s.
    auto s = basic_spec(2, 200.0);
    s.simulation.duration = 600 * kSecond;
    s.launch_template[0].max_queue = 1000;
    s.workload[0].timeout = 30 * kSecond;
    s.target_group[0].health_check.interval = 10;
    s.target_group[0].health_check.timeout = 5;
    s.target_group[0].health_check.healthy_threshold = 2;
    s.target_group[0].health_check.unhealthy_threshold = 2;
    s.autoscaling_group[0].health_check_type = scenario::HealthCheckType::ELB;
    s.autoscaling_group[0].health_check_grace_period = 60;
    s.autoscaling_group[0].default_instance_warmup = 120;
    report::Run w_run(s);
    cloud::World& w = w_run.world();
    w.run();
    const auto elb_unhealthy = times_of(w_run, "instance_unhealthy", "health_check", "ELB");
    REQUIRE(elb_unhealthy.size() >= 2);
    CHECK(elb_unhealthy[0] == 60);
    for (std::size_t i = 1; i < elb_unhealthy.size(); ++i) {
        INFO("replacement " << i << " at " << elb_unhealthy[i]);
        CHECK(elb_unhealthy[i] - elb_unhealthy[i - 1] >= 120);
    }
}

TEST_CASE("lowering desired capacity while instances boot keeps the serving ones",
          "[controlplane][scalein]") {
    auto s = basic_spec(2, 20.0);
    s.simulation.duration = 600 * kSecond;
    s.launch_template[0].boot_time = scenario::DurationDist::constant(120 * kSecond);
    s.autoscaling_group[0].min_size = 1;
    s.autoscaling_group[0].max_size = 10;
    // 2 in service at 120 s; 4 more launched at 200 s (in service at 320 s); back to 2 at
    // 250 s, while those 4 boot.
    s.action = {set_desired(200, 6), set_desired(250, 2)};
    report::Run w_run(s);
    cloud::World& w = w_run.world();
    w.run();
    for (const auto& r : w_run.recorder().rows()) {
        const double end = to_seconds(r.start + r.length);
        if (end <= 120) continue;
        INFO("period ending at " << end);
        CHECK(r.gauges.in_service >= 2);
    }
    CHECK(w.groups()[0]->in_service_count() == 2);
}

TEST_CASE("overlapping outages of one AZ end when the last one ends", "[controlplane][faults]") {
    auto s = basic_spec(4, 20.0);
    s.simulation.duration = 3600 * kSecond;
    s.launch_template[0].boot_time = scenario::DurationDist::constant(45 * kSecond);
    scenario::FaultSpec first, second;
    first.type = second.type = scenario::FaultType::AzOutage;
    first.target = second.target = "us-east-1a";
    first.at = 600 * kSecond;
    first.duration = 1200 * kSecond;  // to 1800 s
    second.at = 1200 * kSecond;
    second.duration = 1200 * kSecond;  // to 2400 s
    s.fault = {first, second};
    report::Run w_run(s);
    cloud::World& w = w_run.world();
    w.run();
    CHECK(times_of(w_run, "az_outage_started") == std::vector<double>{600});
    CHECK(times_of(w_run, "az_outage_ended") == std::vector<double>{2400});
    // Still out at 1800 s + a few polls: everything in us-east-1b.
    const report::Gauges* g = gauges_at_end(w_run, 2100);
    REQUIRE(g != nullptr);
    CHECK(g->in_service_by_az == std::vector<int>{0, 4});
    // Rebalanced after 2400 s (two rounds of ~56 s).
    g = gauges_at_end(w_run, 2700);
    REQUIRE(g != nullptr);
    CHECK(g->in_service_by_az == std::vector<int>{2, 2});
    CHECK(w.groups()[0]->counts().unhealthy_replacements == 2);
}

TEST_CASE("an alarm's ok_actions run once on each transition into OK", "[controlplane][alarms]") {
    // The alarm has only ok_actions: a simple -1. Load 4/s, 200/s over [600, 900) s, then 4/s.
    auto s = basic_spec(4, 4.0);
    s.simulation.duration = 1500 * kSecond;
    s.launch_template[0].max_queue = 100;
    s.workload[0].timeout = 5 * kSecond;
    s.workload[0].rate.steps = {
        {0, 0.0}, {10 * kSecond, 4.0}, {600 * kSecond, 200.0}, {900 * kSecond, 4.0}};
    s.autoscaling_group[0].min_size = 1;
    s.autoscaling_group[0].max_size = 10;
    scenario::AutoScalingPolicySpec p;
    p.name = "remove-one";
    p.autoscaling_group = "web";
    p.policy_type = scenario::PolicyType::SimpleScaling;
    p.scaling_adjustment = -1;
    s.autoscaling_policy.push_back(p);
    auto a = cpu_alarm("cpu-high", scenario::ComparisonOperator::GreaterThanThreshold, 70);
    a.ok_actions = {"remove-one"};
    s.cloudwatch_metric_alarm.push_back(a);
    report::Run w_run(s);
    cloud::World& w = w_run.world();
    w.run();
    // 60 s: INSUFFICIENT_DATA -> OK (CPU ~0.4 %): 4 -> 3, and nothing more while it stays OK.
    // [600, 660): 200/s against 3 x 40/s, 100 % -> ALARM at 660 s (no alarm action). The load
    // drops at 900 s, the queues (100 each) drain in 2.5 s: OK at 960 s: 3 -> 2 (the cooldown
    // ended near 361 s).
    CHECK(times_of(w_run, "alarm_state_changed", "to", "OK") == std::vector<double>{60, 960});
    CHECK(times_of(w_run, "alarm_state_changed", "to", "ALARM") == std::vector<double>{660});
    const std::vector<std::pair<double, int>> expected{{60, 3}, {960, 2}};
    CHECK(desired_changes(w_run) == expected);
}

TEST_CASE("scheduled actions fire only within start_time and end_time, one-offs at start_time",
          "[controlplane][schedule]") {
    auto s = basic_spec(2, 0.0);
    s.simulation.duration = 8 * kHour;
    s.autoscaling_group[0].min_size = 1;
    s.autoscaling_group[0].max_size = 10;
    scenario::AutoScalingScheduleSpec once, hourly;
    once.scheduled_action_name = "once";
    once.autoscaling_group = "web";
    once.desired_capacity = 3;
    once.start_time = 1 * kHour;
    hourly.scheduled_action_name = "hourly";
    hourly.autoscaling_group = "web";
    hourly.desired_capacity = 5;
    hourly.recurrence = "0 * * * *";
    hourly.start_time = 2 * kHour + 30 * 60 * kSecond;
    hourly.end_time = 5 * kHour + 30 * 60 * kSecond;
    s.autoscaling_schedule = {once, hourly};
    // Lowered again half an hour after each firing, so that each firing shows.
    s.action = {set_desired(3.5 * 3600, 2), set_desired(4.5 * 3600, 2),
                set_desired(5.75 * 3600, 2)};
    report::Run w_run(s);
    cloud::World& w = w_run.world();
    w.run();
    // "once": 1 h only. "hourly": 3 h, 4 h and 5 h (inside [2:30, 5:30]); not 1 h, 2 h, 6 h, 7 h.
    CHECK(times_of(w_run, "scheduled_action", "scheduled_action_name", "once") ==
          std::vector<double>{3600});
    CHECK(times_of(w_run, "scheduled_action", "scheduled_action_name", "hourly") ==
          std::vector<double>{3 * 3600, 4 * 3600, 5 * 3600});
    const std::vector<std::pair<double, int>> expected{
        {3600, 3},       {3 * 3600, 5}, {3.5 * 3600, 2}, {4 * 3600, 5},
        {4.5 * 3600, 2}, {5 * 3600, 5}, {5.75 * 3600, 2}};
    CHECK(desired_changes(w_run) == expected);
}

TEST_CASE("the same scenario with faults and policies gives byte-identical events twice",
          "[controlplane][determinism]") {
    auto s = basic_spec(4, 60.0);
    s.simulation.duration = 4 * kHour;
    s.simulation.seed = 7;
    s.launch_template[0].boot_time = exponential(40 * kSecond);
    s.launch_template[0].app_start_time = scenario::DurationDist::constant(10 * kSecond);
    s.launch_template[0].max_queue = 200;
    s.workload[0].timeout = 10 * kSecond;
    s.target_group[0].health_check = scenario::HealthCheckSpec{};
    s.autoscaling_group[0].min_size = 2;
    s.autoscaling_group[0].max_size = 12;
    s.autoscaling_group[0].health_check_type = scenario::HealthCheckType::ELB;
    s.autoscaling_group[0].health_check_grace_period = 90;
    s.workload[0].rate.shape = scenario::RateShape::Steps;
    s.workload[0].rate.steps = {{0, 0.0}, {60 * kSecond, 60.0}, {kHour, 200.0}, {2 * kHour, 60.0}};
    scenario::AutoScalingPolicySpec tt;
    tt.name = "cpu50";
    tt.autoscaling_group = "web";
    tt.policy_type = scenario::PolicyType::TargetTrackingScaling;
    tt.target_tracking_configuration = scenario::TargetTrackingSpec{
        scenario::PredefinedMetricType::ASGAverageCPUUtilization, 50.0, false};
    scenario::AutoScalingPolicySpec st;
    st.name = "steps";
    st.autoscaling_group = "web";
    st.policy_type = scenario::PolicyType::StepScaling;
    st.step_adjustment = {step(0.0, 20.0, 1), step(20.0, std::nullopt, 2)};
    s.autoscaling_policy = {tt, st};
    auto a = cpu_alarm("cpu-high", scenario::ComparisonOperator::GreaterThanOrEqualToThreshold, 70);
    a.alarm_actions = {"steps"};
    s.cloudwatch_metric_alarm.push_back(a);
    scenario::FaultSpec outage;
    outage.type = scenario::FaultType::AzOutage;
    outage.target = "us-east-1b";
    outage.mtbf = exponential(kHour);
    outage.mttr = exponential(10 * 60 * kSecond);
    scenario::FaultSpec failure;
    failure.type = scenario::FaultType::InstanceFailure;
    failure.target = "web";
    failure.mtbf = exponential(30 * 60 * kSecond);
    failure.fraction = 0.25;
    scenario::FaultSpec slow;
    slow.type = scenario::FaultType::Latency;
    slow.target = "us-east-1a";
    slow.at = 150 * 60 * kSecond;
    slow.duration = 20 * 60 * kSecond;
    slow.extra.emplace();
    slow.extra->kind = scenario::DistKind::Uniform;
    slow.extra->min = 50 * kMillisecond;
    slow.extra->max = 150 * kMillisecond;
    s.fault = {outage, failure, slow};

    auto run = [&](const scenario::Spec& spec) {
        report::Run w_run(spec);
        cloud::World& w = w_run.world();
        w.run();
        return std::make_pair(report::events_jsonl(w_run), report::timeseries_csv(w_run));
    };
    const auto first = run(s);
    const auto second = run(s);
    CHECK(first.first == second.first);
    CHECK(first.second == second.second);
    // The run exercised what it claims to.
    for (const char* type :
         {"az_outage_started", "instance_failure", "latency_started", "desired_capacity_changed",
          "alarm_state_changed", "instance_unhealthy"}) {
        INFO(type);
        CHECK(first.first.find(std::string("\"") + type + "\"") != std::string::npos);
    }
    // Another seed gives another run.
    auto other = s;
    other.simulation.seed = 8;
    CHECK(run(other).first != first.first);
}

}  // namespace test_control_plane_more
