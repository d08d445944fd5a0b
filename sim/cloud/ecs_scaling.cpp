#include "sim/cloud/ecs_scaling.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "sim/cloud/scaling_math.hpp"
#include "sim/cloud/scaling_policy.hpp"

namespace stratus::cloud {
namespace {

using scenario::AppPredefinedMetricType;

// The tracked metric and its statistic: the service's AWS/ECS average, or the requests per
// target per minute of its target group.
std::pair<MetricKey, scenario::Statistic> tracked_metric(const scenario::AppTargetTrackingSpec& tt,
                                                         const EcsService& service,
                                                         const std::string& alb_target_group) {
    const std::map<std::string, std::string> dims{{"ClusterName", service.spec().cluster},
                                                  {"ServiceName", service.name()}};
    switch (tt.predefined_metric_type) {
        case AppPredefinedMetricType::ECSServiceAverageCPUUtilization:
            return {MetricKey{"AWS/ECS", "CPUUtilization", dims}, scenario::Statistic::Average};
        case AppPredefinedMetricType::ECSServiceAverageMemoryUtilization:
            return {MetricKey{"AWS/ECS", "MemoryUtilization", dims}, scenario::Statistic::Average};
        case AppPredefinedMetricType::ALBRequestCountPerTarget:
            break;
    }
    return {alb_request_count_per_target(alb_target_group), scenario::Statistic::Sum};
}

bool within(SimTime last, int cooldown_s, SimTime now) {
    return last != kNever && now - last < cooldown_s * kSecond;
}

}  // namespace

EcsScalingPolicy::EcsScalingPolicy(const scenario::AppAutoscalingPolicySpec& spec,
                                   const scenario::AppAutoscalingTargetSpec& target,
                                   EcsService& service, const std::string& alb_target_group,
                                   std::int64_t start_epoch_s)
    : spec_(spec),
      tt_(*spec.target_tracking),
      min_capacity_(target.min_capacity),
      max_capacity_(target.max_capacity),
      service_(service) {
    AlarmOptions options;
    options.start_epoch_s = start_epoch_s;
    const auto [metric, statistic] = tracked_metric(tt_, service, alb_target_group);
    // AWS names them TargetTracking-service/<cluster>/<service>-AlarmHigh-<id>.
    auto name = [&](const char* which) {
        return fmt::format("TargetTracking-{}-{}-{}", target.resource_id, which, spec_.name);
    };
    high_.emplace(
        target_tracking_alarm_spec(name("AlarmHigh"), metric, statistic,
                                   target_tracking_high_alarm(tt_.target_value), spec_.name),
        options);
    if (!tt_.disable_scale_in)
        low_.emplace(
            target_tracking_alarm_spec(name("AlarmLow"), metric, statistic,
                                       target_tracking_low_alarm(tt_.target_value), spec_.name),
            options);
}

int EcsScalingPolicy::wanted(double metric, bool scale_out, SimTime now) const {
    int capacity = service_.desired_count();
    if (scale_out && within(last_scale_out_, tt_.scale_out_cooldown, now))
        capacity = std::max(1, capacity - scale_out_added_);
    // A service at 0 tasks has no metric to size from: the formula keeps it at 0.
    const int desired = target_tracking_desired(capacity, metric, tt_.target_value, scale_out);
    return clamp_capacity(desired, min_capacity_, max_capacity_);
}

std::string EcsScalingPolicy::alarm_text(const MetricAlarm& alarm) const {
    const auto v = alarm.last_value();
    return fmt::format(
        "alarm {} in ALARM ({} {} {} {:.4g}), policy {}", alarm.alarm_name(),
        alarm.spec().metric_name, v ? fmt::format("{:.4g}", *v) : "missing",
        alarm.spec().comparison_operator == scenario::ComparisonOperator::GreaterThanThreshold
            ? ">"
            : "<",
        alarm.spec().threshold, spec_.name);
}

void EcsScalingPolicy::on_alarm_action(const MetricAlarm& alarm, SimTime now) {
    if (&alarm == high_alarm())
        scale_out(alarm, now);
    else if (&alarm == low_alarm())
        scale_in(alarm, now);
}

// A scale-out goes ahead at once, even during a scale-in cooldown (which it ends); during its
// own cooldown only a larger one does (wanted() leaves the added capacity out).
void EcsScalingPolicy::scale_out(const MetricAlarm& alarm, SimTime now) {
    const auto metric = alarm.last_value();
    if (!metric) return;
    const int desired = service_.desired_count();
    const int next = wanted(*metric, true, now);
    if (next <= desired) return;
    last_scale_out_ = now;
    scale_out_added_ = next - desired;
    last_scale_in_ = kNever;
    service_.set_desired_count(
        next, fmt::format("{} (target tracking: {} x {:.4g} / {:.4g}, max_capacity {})",
                          alarm_text(alarm), desired, *metric, tt_.target_value, max_capacity_));
}

void EcsScalingPolicy::scale_in(const MetricAlarm& alarm, SimTime now) {
    const auto metric = alarm.last_value();
    if (!metric || within(last_scale_in_, tt_.scale_in_cooldown, now)) return;
    const int desired = service_.desired_count();
    const int next = wanted(*metric, false, now);
    if (next >= desired) return;
    last_scale_in_ = now;
    service_.set_desired_count(
        next, fmt::format("{} (target tracking scale-in: {} x {:.4g} / {:.4g}, min_capacity {})",
                          alarm_text(alarm), desired, *metric, tt_.target_value, min_capacity_));
}

}  // namespace stratus::cloud
