#pragma once
// Service Auto Scaling (docs/model.md, "Service Auto Scaling"): an Application Auto Scaling
// target tracking policy on an ECS service's desired count. Like EC2 Auto Scaling's target
// tracking (scaling_policy.*), it creates and manages two CloudWatch alarms of the same shape
// (scaling_math.hpp: 3 of 3 one-minute datapoints above the target, 15 of 15 below 90 % of it)
// and sizes its change with the same formula; what differs is the capacity it changes (the
// service's desired count, within the scalable target's min and max) and Application Auto
// Scaling's cooldowns in place of EC2's instance warm-up.
#include <cstdint>
#include <optional>
#include <string>

#include "sim/cloud/cloudwatch.hpp"
#include "sim/cloud/ecs_service.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

class EcsScalingPolicy {
  public:
    // `alb_target_group`: the target group whose RequestCountPerTarget an
    // ALBRequestCountPerTarget policy tracks (the service's first).
    EcsScalingPolicy(const scenario::AppAutoscalingPolicySpec& spec,
                     const scenario::AppAutoscalingTargetSpec& target, EcsService& service,
                     const std::string& alb_target_group, std::int64_t start_epoch_s);

    const std::string& name() const { return spec_.name; }
    const scenario::AppAutoscalingPolicySpec& spec() const { return spec_; }
    EcsService& service() { return service_; }

    MetricAlarm* high_alarm() { return high_ ? &*high_ : nullptr; }
    MetricAlarm* low_alarm() { return low_ ? &*low_ : nullptr; }

    // One of its alarms asked for its action (on entering ALARM, then once a minute).
    void on_alarm_action(const MetricAlarm& alarm, SimTime now);

    // The desired count the policy asks for at `metric`: ceil(capacity x metric / target),
    // where capacity is the desired count, less what the last scale-out added while its
    // cooldown lasts (Application Auto Scaling counts that capacity as part of the desired
    // count: only a larger scale-out goes ahead), within min and max. Public for tests.
    int wanted(double metric, bool scale_out, SimTime now) const;

  private:
    void scale_out(const MetricAlarm& alarm, SimTime now);
    void scale_in(const MetricAlarm& alarm, SimTime now);
    std::string alarm_text(const MetricAlarm& alarm) const;

    scenario::AppAutoscalingPolicySpec spec_;
    scenario::AppTargetTrackingSpec tt_;
    int min_capacity_ = 0, max_capacity_ = 0;
    EcsService& service_;
    std::optional<MetricAlarm> high_, low_;
    SimTime last_scale_out_ = kNever;  // kNever: none yet
    int scale_out_added_ = 0;
    SimTime last_scale_in_ = kNever;
};

}  // namespace stratus::cloud
