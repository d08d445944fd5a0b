#include "sim/cloud/scaling_policy.hpp"

#include <fmt/format.h>

#include "sim/cloud/scaling_math.hpp"
#include "sim/cloud/step_metric.hpp"

namespace stratus::cloud {
namespace {

using scenario::AdjustmentType;
using scenario::PolicyType;
using scenario::PredefinedMetricType;

scenario::CloudWatchMetricAlarmSpec managed_alarm(const scenario::AutoScalingPolicySpec& policy,
                                                  const std::string& group,
                                                  const std::string& alb_target_group,
                                                  const TargetTrackingAlarmShape& shape,
                                                  const char* which) {
    const auto& tt = *policy.target_tracking_configuration;
    MetricKey metric;
    auto statistic = scenario::Statistic::Average;
    metric.namespace_ = "AWS/EC2";
    metric.dimensions = {{"AutoScalingGroupName", group}};
    switch (tt.predefined_metric_type) {
        case PredefinedMetricType::ASGAverageCPUUtilization:
            metric.metric_name = "CPUUtilization";
            break;
        case PredefinedMetricType::ASGAverageNetworkIn:
            metric.metric_name = "NetworkIn";
            break;
        case PredefinedMetricType::ASGAverageNetworkOut:
            metric.metric_name = "NetworkOut";
            break;
        case PredefinedMetricType::ALBRequestCountPerTarget:
            metric = alb_request_count_per_target(alb_target_group);
            statistic = scenario::Statistic::Sum;
            break;
    }
    // AWS names them TargetTracking-<group>-AlarmHigh-<id>.
    return target_tracking_alarm_spec(
        fmt::format("TargetTracking-{}-{}-{}", group, which, policy.name), std::move(metric),
        statistic, shape, policy.name);
}

}  // namespace

MetricKey alb_request_count_per_target(const std::string& target_group) {
    return MetricKey{
        "AWS/ApplicationELB", "RequestCountPerTarget", {{"TargetGroup", target_group}}};
}

scenario::CloudWatchMetricAlarmSpec target_tracking_alarm_spec(
    std::string alarm_name, MetricKey metric, scenario::Statistic statistic,
    const TargetTrackingAlarmShape& shape, std::string action) {
    scenario::CloudWatchMetricAlarmSpec a;
    a.alarm_name = std::move(alarm_name);
    a.namespace_ = std::move(metric.namespace_);
    a.metric_name = std::move(metric.metric_name);
    a.dimensions = std::move(metric.dimensions);
    a.statistic = statistic;
    a.period = shape.period_seconds;
    a.evaluation_periods = shape.evaluation_periods;
    a.datapoints_to_alarm = shape.datapoints_to_alarm;
    a.comparison_operator = shape.comparison_operator;
    a.threshold = shape.threshold;
    a.treat_missing_data = scenario::TreatMissingData::Missing;
    a.alarm_actions = {std::move(action)};
    return a;
}

ScalingPolicy::ScalingPolicy(const scenario::AutoScalingPolicySpec& spec, AutoScalingGroup& group,
                             const std::string& alb_target_group, std::int64_t start_epoch_s)
    : spec_(spec),
      group_(group),
      alb_target_group_(alb_target_group),
      start_epoch_s_(start_epoch_s) {
    if (spec_.target_tracking_configuration)
        set_target_value(spec_.target_tracking_configuration->target_value);
}

void ScalingPolicy::set_target_value(double target) {
    if (spec_.policy_type == PolicyType::TargetTrackingScaling &&
        spec_.target_tracking_configuration) {
        spec_.target_tracking_configuration->target_value = target;
        const std::string& alb_target_group = alb_target_group_;
        AutoScalingGroup& group = group_;
        AlarmOptions options;
        options.start_epoch_s = start_epoch_s_;
        high_.emplace(managed_alarm(spec_, group.name(), alb_target_group,
                                    target_tracking_high_alarm(target), "AlarmHigh"),
                      options);
        if (!spec_.target_tracking_configuration->disable_scale_in) {
            low_.emplace(managed_alarm(spec_, group.name(), alb_target_group,
                                       target_tracking_low_alarm(target), "AlarmLow"),
                         options);
        }
    }
}

SimTime ScalingPolicy::warmup() const {
    if (spec_.estimated_instance_warmup) return *spec_.estimated_instance_warmup * kSecond;
    return group_.default_warmup();
}

std::string ScalingPolicy::alarm_text(const MetricAlarm& alarm) const {
    const auto v = alarm.last_value();
    return fmt::format("alarm {} in ALARM ({} {} {} {}), policy {}", alarm.alarm_name(),
                       alarm.spec().metric_name, v ? fmt::format("{:.4g}", *v) : "missing",
                       comparison_symbol(alarm.spec().comparison_operator),
                       fmt::format("{:.4g}", alarm.spec().threshold), spec_.name);
}

void ScalingPolicy::on_alarm_action(const MetricAlarm& alarm, SimTime, const MetricStore& store) {
    if (!enabled_) return;
    switch (spec_.policy_type) {
        case PolicyType::SimpleScaling:
            simple(alarm);
            break;
        case PolicyType::StepScaling:
            step(alarm, store);
            break;
        case PolicyType::TargetTrackingScaling:
            if (&alarm == high_alarm()) {
                track_out(alarm);
            } else if (&alarm == low_alarm()) {
                track_in(alarm);
            }
            break;
    }
}

void ScalingPolicy::simple(const MetricAlarm& alarm) {
    // One adjustment, then wait for the activity to finish and the cooldown to pass.
    if (!group_.simple_scaling_ready() || !spec_.scaling_adjustment) return;
    const int desired = group_.desired_capacity();
    const int next =
        apply_adjustment(spec_.adjustment_type, desired, *spec_.scaling_adjustment,
                         spec_.min_adjustment_magnitude, group_.min_size(), group_.max_size());
    if (next == desired) return;
    group_.simple_scaling_started(spec_.cooldown ? *spec_.cooldown
                                                 : group_.spec().default_cooldown);
    group_.set_desired_capacity(next, alarm_text(alarm) + " (simple scaling)");
}

void ScalingPolicy::step(const MetricAlarm& alarm, const MetricStore& store) {
    const auto metric = step_metric_value(alarm, store, spec_.metric_aggregation_type);
    if (!metric) return;
    const auto adjustment = select_step(spec_.step_adjustment, *metric, alarm.spec().threshold);
    if (!adjustment) return;
    const int desired = group_.desired_capacity();
    const bool exact = spec_.adjustment_type == AdjustmentType::ExactCapacity;
    const bool out = exact ? *adjustment > desired : *adjustment > 0;
    int next;
    if (out) {
        // Warming instances count toward capacity: the step applies to the warmed capacity, so
        // a breach of the same step while new instances warm up adds nothing more.
        const int base =
            group_.any_warming(warmup()) ? group_.warmed_in_service(warmup()) : desired;
        next =
            apply_adjustment(spec_.adjustment_type, base, *adjustment,
                             spec_.min_adjustment_magnitude, group_.min_size(), group_.max_size());
        if (next <= desired) return;
    } else {
        // All scale-in by policies waits for warming instances.
        if (group_.any_warming(warmup())) return;
        next =
            apply_adjustment(spec_.adjustment_type, desired, *adjustment,
                             spec_.min_adjustment_magnitude, group_.min_size(), group_.max_size());
        if (next >= desired) return;
    }
    group_.set_desired_capacity(
        next, fmt::format("{} (step scaling{})", alarm_text(alarm),
                          aggregation_text(spec_.metric_aggregation_type, *metric)));
}

int ScalingPolicy::metric_capacity() const {
    const auto type = spec_.target_tracking_configuration->predefined_metric_type;
    if (type == PredefinedMetricType::ALBRequestCountPerTarget) return group_.in_service_count();
    return group_.metric_instances();
}

void ScalingPolicy::track_out(const MetricAlarm& alarm) {
    const auto metric = alarm.last_value();
    if (!metric) return;
    const double target = spec_.target_tracking_configuration->target_value;
    // The capacity the metric stands for: the group's EC2 aggregate covers the instances whose
    // warm-up has ended; the instances still warming count toward the capacity it is compared
    // with (desired), so a breach while they warm adds only what the warmed ones' load needs
    // beyond them. RequestCountPerTarget is per registered target, warm or not.
    const int counted = metric_capacity();
    const int wanted = target_tracking_desired(counted, *metric, target, true);
    // Performance: the cause is formatted only when the group's desired capacity (clamped to
    // its limits, as set_desired_capacity does) changes; a fleet held at its maximum breached
    // every minute (a month at max formatted it thousands of times to discard it).
    if (wanted <= group_.desired_capacity() || group_.clamped(wanted) == group_.desired_capacity())
        return;
    group_.set_desired_capacity(
        wanted, fmt::format("{} (target tracking: {} x {:.4g} / {:.4g} = {})", alarm_text(alarm),
                            counted, *metric, target, wanted));
}

std::optional<int> ScalingPolicy::scale_in_proposal() const {
    if (!low_ || low_->state() != AlarmState::ALARM) return std::nullopt;
    const auto metric = low_->last_value();
    if (!metric) return std::nullopt;
    return target_tracking_desired(metric_capacity(), *metric,
                                   spec_.target_tracking_configuration->target_value, false);
}

void ScalingPolicy::track_in(const MetricAlarm& alarm) {
    if (group_.any_warming(warmup())) return;
    // Scale in only when every target tracking policy with scale-in enabled agrees; remove no
    // more than the least eager of them asks.
    std::optional<int> wanted = scale_in_proposal();
    if (!wanted) return;
    if (siblings_) {
        for (const ScalingPolicy* p : *siblings_) {
            if (p == this || !p->enabled_ || !p->low_) continue;
            const auto other = p->scale_in_proposal();
            if (!other) return;
            wanted = std::max(*wanted, *other);
        }
    }
    if (*wanted >= group_.desired_capacity() ||
        group_.clamped(*wanted) == group_.desired_capacity())  // as track_out
        return;
    group_.set_desired_capacity(
        *wanted, fmt::format("{} (target tracking scale-in to {})", alarm_text(alarm), *wanted));
}

}  // namespace stratus::cloud
