#include "sim/cloud/ecs_scaling.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "sim/cloud/events.hpp"
#include "sim/cloud/scaling_policy.hpp"
#include "sim/cloud/step_metric.hpp"

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

// ---- The scalable target and its scheduled actions ---------------------------------------------

EcsScalableTarget::EcsScalableTarget(
    const scenario::AppAutoscalingTargetSpec& spec,
    std::vector<scenario::AppAutoscalingScheduledActionSpec> actions, EcsService& service,
    Simulation& sim, RunObserver& observer, std::int64_t start_epoch_s)
    : spec_(spec),
      actions_(std::move(actions)),
      min_(spec.min_capacity),
      max_(spec.max_capacity),
      service_(service),
      sim_(sim),
      observer_(observer),
      start_epoch_s_(start_epoch_s) {
    for (const auto& a : actions_)
        schedules_.push_back(scenario::parse_app_schedule(a.schedule));
}

void EcsScalableTarget::start() {
    service_.set_desired_count(std::clamp(service_.desired_count(), min_, max_),
                               fmt::format("RegisterScalableTarget {}: min_capacity {}, "
                                           "max_capacity {}",
                                           spec_.resource_id, min_, max_));
    for (std::size_t i = 0; i < actions_.size(); ++i) {
        const SimTime at = next_run(i, -kSecond);
        if (at != kNever) sim_.schedule_at(at, this, 0, static_cast<std::uint32_t>(i));
    }
}

// Times are whole seconds of the run; the action's window [start_time, end_time] bounds them.
SimTime EcsScalableTarget::next_run(std::size_t i, SimTime after) const {
    const auto& a = actions_[i];
    const scenario::AppSchedule& s = schedules_[i];
    const SimTime from = std::max(after, a.start_time ? *a.start_time - kSecond : after);
    const std::int64_t from_epoch = start_epoch_s_ + from / kSecond;
    std::optional<std::int64_t> next;
    switch (s.kind) {
        case scenario::AppSchedule::Kind::At:
            if (auto t = s.at_epoch(a.timezone); t && *t > from_epoch) next = t;
            break;
        case scenario::AppSchedule::Kind::Rate: {
            // Every rate from the window's start (the run's start without one), the first one
            // rate after it (a choice: AWS does not say).
            const std::int64_t origin =
                start_epoch_s_ + (a.start_time ? *a.start_time / kSecond : 0);
            const std::int64_t k = std::max<std::int64_t>(1, (from_epoch - origin) / s.rate_s + 1);
            next = origin + k * s.rate_s;
            break;
        }
        case scenario::AppSchedule::Kind::Cron:
            next = s.cron.next_fire(from_epoch, a.timezone);
            break;
    }
    if (!next) return kNever;
    const SimTime at = (*next - start_epoch_s_) * kSecond;
    if (a.end_time && at > *a.end_time) return kNever;
    return at < 0 ? kNever : at;
}

// The action sets the bounds it names; the desired count moves into them (scaling out to a
// new minimum, in to a new maximum), as Application Auto Scaling does.
void EcsScalableTarget::run_action(std::size_t i) {
    const auto& a = actions_[i];
    if (a.min_capacity) min_ = *a.min_capacity;
    if (a.max_capacity) max_ = *a.max_capacity;
    std::string set;
    if (a.min_capacity) set += fmt::format("min_capacity {}", *a.min_capacity);
    if (a.max_capacity)
        set += fmt::format("{}max_capacity {}", set.empty() ? "" : " ", *a.max_capacity);
    observer_.log(sim_.now(),
                  event::AppScheduledAction{spec_.resource_id, a.name, a.schedule, set});
    service_.set_desired_count(
        std::clamp(service_.desired_count(), min_, std::max(min_, max_)),
        fmt::format("scheduled action {} ({}): {}", a.name, a.schedule, set));
    const SimTime next = next_run(i, sim_.now());
    if (next != kNever) sim_.schedule_at(next, this, 0, static_cast<std::uint32_t>(i));
}

void EcsScalableTarget::on_event(const Event& e) {
    run_action(e.arg);
}

// ---- Policies ---------------------------------------------------------------------------------

EcsScalingPolicy::EcsScalingPolicy(const scenario::AppAutoscalingPolicySpec& spec,
                                   EcsScalableTarget& target, const std::string& alb_target_group,
                                   std::int64_t start_epoch_s)
    : spec_(spec), target_(target) {
    if (!spec_.target_tracking) return;  // step scaling: the scenario's alarms invoke it
    const scenario::AppTargetTrackingSpec& tt = *spec_.target_tracking;
    AlarmOptions options;
    options.start_epoch_s = start_epoch_s;
    const auto [metric, statistic] = tracked_metric(tt, target.service(), alb_target_group);
    // AWS names them TargetTracking-service/<cluster>/<service>-AlarmHigh-<id>.
    auto name = [&](const char* which) {
        return fmt::format("TargetTracking-{}-{}-{}", target.resource_id(), which, spec_.name);
    };
    high_.emplace(
        target_tracking_alarm_spec(name("AlarmHigh"), metric, statistic,
                                   target_tracking_high_alarm(tt.target_value), spec_.name),
        options);
    if (!tt.disable_scale_in)
        low_.emplace(
            target_tracking_alarm_spec(name("AlarmLow"), metric, statistic,
                                       target_tracking_low_alarm(tt.target_value), spec_.name),
            options);
}

int EcsScalingPolicy::sized_from(bool scale_out, SimTime now) const {
    const scenario::AppTargetTrackingSpec& tt = *spec_.target_tracking;
    int capacity = target_.service().count(TaskStatus::Running);
    if (scale_out && within(last_scale_out_, tt.scale_out_cooldown, now))
        capacity = std::min(capacity, scale_out_base_);
    return capacity;
}

int EcsScalingPolicy::wanted(double metric, bool scale_out, SimTime now) const {
    const scenario::AppTargetTrackingSpec& tt = *spec_.target_tracking;
    // A service without a RUNNING task has no metric to size from: the formula keeps it.
    const int capacity = sized_from(scale_out, now);
    if (capacity <= 0) return target_.service().desired_count();
    const int desired = target_tracking_desired(capacity, metric, tt.target_value, scale_out);
    return clamp_capacity(desired, target_.min_capacity(), target_.max_capacity());
}

std::optional<int> EcsScalingPolicy::scale_in_proposal(SimTime now) const {
    if (!low_ || low_->state() != AlarmState::ALARM) return std::nullopt;
    const auto metric = low_->last_value();
    if (!metric) return std::nullopt;
    return wanted(*metric, false, now);
}

std::string EcsScalingPolicy::alarm_text(const MetricAlarm& alarm) const {
    const auto v = alarm.last_value();
    return fmt::format("alarm {} in ALARM ({} {} {} {:.4g}), policy {}", alarm.alarm_name(),
                       alarm.spec().metric_name, v ? fmt::format("{:.4g}", *v) : "missing",
                       comparison_symbol(alarm.spec().comparison_operator), alarm.spec().threshold,
                       spec_.name);
}

void EcsScalingPolicy::on_alarm_action(const MetricAlarm& alarm, SimTime now,
                                       const MetricStore& store) {
    if (step_scaling())
        step(alarm, now, store);
    else if (&alarm == high_alarm())
        scale_out(alarm, now);
    else if (&alarm == low_alarm())
        scale_in(alarm, now);
}

// A target tracking scale-in needs the agreement of every other target tracking policy of the
// target with scale-in enabled (their low alarms in ALARM), and goes no lower than the largest
// count they ask for: combine_target_tracking, with this policy's wish among them.
int EcsScalingPolicy::agreed_scale_in(int wanted_count, SimTime now) {
    const int desired = target_.service().desired_count();
    proposals_.clear();
    proposals_.push_back({wanted_count, true});
    for (const EcsScalingPolicy* p : target_.policies()) {
        if (p == this || p->step_scaling()) continue;
        const auto other = p->scale_in_proposal(now);
        proposals_.push_back({other ? *other : desired, p->scale_in_enabled()});
    }
    return combine_target_tracking(desired, proposals_);
}

// A scale-out goes ahead at once, even during a scale-in cooldown (which it ends); during its
// own cooldown only a larger one does (wanted() leaves the added capacity out).
void EcsScalingPolicy::scale_out(const MetricAlarm& alarm, SimTime now) {
    const auto metric = alarm.last_value();
    if (!metric) return;
    const int desired = target_.service().desired_count();
    const int next = wanted(*metric, true, now);
    if (next <= desired) return;
    const int sized = sized_from(true, now);
    last_scale_out_ = now;
    scale_out_base_ = desired;
    last_scale_in_ = kNever;
    const scenario::AppTargetTrackingSpec& tt = *spec_.target_tracking;
    target_.service().set_desired_count(
        next, fmt::format("{} (target tracking: RUNNING tasks x metric / target = {} x {:.4g} / "
                          "{:.4g}, desired {}, max_capacity {})",
                          alarm_text(alarm), sized, *metric, tt.target_value, desired,
                          target_.max_capacity()));
}

void EcsScalingPolicy::scale_in(const MetricAlarm& alarm, SimTime now) {
    const scenario::AppTargetTrackingSpec& tt = *spec_.target_tracking;
    const auto metric = alarm.last_value();
    if (!metric || within(last_scale_in_, tt.scale_in_cooldown, now)) return;
    // No scale-in while a deployment is in progress: the alarm's next minute tries again.
    if (target_.service().deployment_in_progress()) return;
    const int desired = target_.service().desired_count();
    const int own = wanted(*metric, false, now);
    const int next = agreed_scale_in(own, now);
    if (next >= desired) return;
    last_scale_in_ = now;
    target_.service().set_desired_count(
        next, fmt::format("{} (target tracking scale-in: RUNNING tasks x metric / target = {} x "
                          "{:.4g} / {:.4g}{}, min_capacity {})",
                          alarm_text(alarm), sized_from(false, now), *metric, tt.target_value,
                          next == own ? "" : fmt::format(", {} by the other policies", next),
                          target_.min_capacity()));
}

// Step scaling (Application Auto Scaling's StepScalingPolicyConfiguration): the step that
// holds the alarm's datapoint, relative to its threshold, adjusts the desired count
// (scaling_math.hpp). Cooldown: during a scale-out's, the capacity it added counts as part of
// the desired count, so only a larger step adds more; a scale-in's blocks the next scale-in;
// a scale-out ends it.
void EcsScalingPolicy::step(const MetricAlarm& alarm, SimTime now, const MetricStore& store) {
    const scenario::AppStepScalingSpec& s = *spec_.step_scaling;
    const auto metric = step_metric_value(alarm, store, s.metric_aggregation_type);
    if (!metric) return;
    const auto adjustment = select_step(s.step_adjustment, *metric, alarm.spec().threshold);
    if (!adjustment) return;
    const int desired = target_.service().desired_count();
    const int lo = target_.min_capacity(), hi = target_.max_capacity();
    const bool exact = s.adjustment_type == scenario::AdjustmentType::ExactCapacity;
    const bool out = exact ? *adjustment > desired : *adjustment > 0;
    int next = desired;
    if (out) {
        const int base = within(last_scale_out_, s.cooldown, now)
                             ? std::max(0, desired - scale_out_added_)
                             : desired;
        next = apply_adjustment(s.adjustment_type, base, *adjustment, s.min_adjustment_magnitude,
                                lo, hi);
        if (next <= desired) return;
        last_scale_out_ = now;
        scale_out_added_ = next - base;
        last_scale_in_ = kNever;
    } else {
        // Not held back by the target tracking policies: AWS documents that a step scale-in
        // goes ahead before they are ready to scale in (PutScalingPolicy), and that they may
        // then scale out again.
        if (within(last_scale_in_, s.cooldown, now) || target_.service().deployment_in_progress())
            return;
        next = apply_adjustment(s.adjustment_type, desired, *adjustment, s.min_adjustment_magnitude,
                                lo, hi);
        if (next >= desired) return;
        last_scale_in_ = now;
    }
    target_.service().set_desired_count(
        next, fmt::format("{} (step scaling{}: {} {:+d} -> {})", alarm_text(alarm),
                          aggregation_text(s.metric_aggregation_type, *metric), desired,
                          *adjustment, next));
}

}  // namespace stratus::cloud
