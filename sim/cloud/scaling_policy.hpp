#pragma once
// Auto Scaling policies: simple, step and target tracking. Simple and step policies act when
// a CloudWatch alarm invokes them (on entering ALARM and every minute it stays there); target
// tracking creates and manages its own two alarms, as AWS does. The arithmetic lives in
// scaling_math.*; this file holds the rules of when a policy may act.
#include <optional>
#include <string>
#include <vector>

#include "sim/cloud/autoscaling.hpp"
#include "sim/cloud/cloudwatch.hpp"
#include "sim/cloud/scaling_math.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

// The alarms a target tracking policy creates and manages, EC2 Auto Scaling's and Application
// Auto Scaling's alike: the tracked metric and statistic, the shape of the threshold and
// datapoints (scaling_math.hpp), missing data treated as missing, the policy as the action.
scenario::CloudWatchMetricAlarmSpec target_tracking_alarm_spec(
    std::string alarm_name, MetricKey metric, scenario::Statistic statistic,
    const TargetTrackingAlarmShape& shape, std::string action);
// ALBRequestCountPerTarget: requests per target per minute, the Sum of
// AWS/ApplicationELB RequestCountPerTarget over one-minute periods.
MetricKey alb_request_count_per_target(const std::string& target_group);

class ScalingPolicy {
  public:
    // `alb_target_group`: the target group whose RequestCountPerTarget an
    // ALBRequestCountPerTarget policy tracks (the group's first).
    ScalingPolicy(const scenario::AutoScalingPolicySpec& spec, AutoScalingGroup& group,
                  const std::string& alb_target_group, std::int64_t start_epoch_s);

    const std::string& name() const { return spec_.name; }
    const scenario::AutoScalingPolicySpec& spec() const { return spec_; }
    AutoScalingGroup& group() { return group_; }
    bool enabled() const { return enabled_; }
    void set_enabled(bool on) { enabled_ = on; }
    // Target tracking: a new target value (an [[action]] or the viewer). The managed alarms
    // are re-created with the new thresholds, as PutScalingPolicy does; their state starts
    // over from INSUFFICIENT_DATA.
    void set_target_value(double target);

    // The target tracking policies of the same group (several combine: scale out if any
    // wants to, scale in only if all with scale-in enabled want to).
    void set_siblings(const std::vector<ScalingPolicy*>* siblings) { siblings_ = siblings; }

    // An alarm named this policy among its actions.
    // `store`: the metrics the alarm reads (a step policy aggregates its newest period).
    void on_alarm_action(const MetricAlarm& alarm, SimTime now, const MetricStore& store);

    // Target tracking only: the managed alarms, evaluated by the World with the others.
    MetricAlarm* high_alarm() { return high_ ? &*high_ : nullptr; }
    MetricAlarm* low_alarm() { return low_ ? &*low_ : nullptr; }

    // The policy's instance warm-up: estimated_instance_warmup, else the group's
    // default_instance_warmup, else its default_cooldown.
    SimTime warmup() const;

  private:
    void simple(const MetricAlarm& alarm);
    void step(const MetricAlarm& alarm, const MetricStore& store);
    void track_out(const MetricAlarm& alarm);
    void track_in(const MetricAlarm& alarm);
    std::optional<int> scale_in_proposal() const;
    // Target tracking: the instances the tracked metric covers.
    int metric_capacity() const;
    std::string alarm_text(const MetricAlarm& alarm) const;

    scenario::AutoScalingPolicySpec spec_;
    AutoScalingGroup& group_;
    bool enabled_ = true;
    const std::vector<ScalingPolicy*>* siblings_ = nullptr;
    std::optional<MetricAlarm> high_, low_;
    std::string alb_target_group_;
    std::int64_t start_epoch_s_ = 0;
};

}  // namespace stratus::cloud
