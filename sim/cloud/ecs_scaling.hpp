#pragma once
// Service Auto Scaling (docs/model.md, "Service Auto Scaling"): Application Auto Scaling on an
// ECS service's desired count. A scalable target (RegisterScalableTarget) holds the bounds,
// [min_capacity, max_capacity], that its scheduled actions change; its policies act within
// them:
//  - target tracking, like EC2 Auto Scaling's (scaling_policy.*), creates and manages two
//    CloudWatch alarms of the same shape (scaling_math.hpp: 3 of 3 one-minute datapoints above
//    the target, 15 of 15 below 90 % of it) and sizes its change with the same formula;
//  - step scaling acts when a [[cloudwatch_metric_alarm]] naming it goes to ALARM (and each
//    minute it stays there), with EC2's step and adjustment arithmetic (scaling_math.hpp).
// What differs from EC2 is the capacity changed (the desired count) and Application Auto
// Scaling's cooldowns in place of EC2's instance warm-up. Several policies on one target: any
// may scale out; a target tracking scale-in goes ahead only when every target tracking policy
// with scale-in enabled wants one too, and to no fewer tasks than the most cautious of them
// asks. A step scale-in does not wait for them (AWS documents that it is not blocked).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/cloud/cloudwatch.hpp"
#include "sim/cloud/ecs_service.hpp"
#include "sim/cloud/run_observer.hpp"
#include "sim/cloud/scaling_math.hpp"
#include "sim/core/simulation.hpp"
#include "sim/scenario/cron.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

class EcsScalingPolicy;

// An [[appautoscaling_target]] with its scheduled actions.
class EcsScalableTarget final : public EventHandler {
  public:
    // `actions`: the target's [[appautoscaling_scheduled_action]]s (their schedules parse:
    // validate checked them).
    EcsScalableTarget(const scenario::AppAutoscalingTargetSpec& spec,
                      std::vector<scenario::AppAutoscalingScheduledActionSpec> actions,
                      EcsService& service, Simulation& sim, RunObserver& observer,
                      std::int64_t start_epoch_s);

    const std::string& resource_id() const { return spec_.resource_id; }
    int min_capacity() const { return min_; }
    int max_capacity() const { return max_; }
    EcsService& service() { return service_; }
    void add_policy(EcsScalingPolicy* policy) { policies_.push_back(policy); }
    const std::vector<EcsScalingPolicy*>& policies() const { return policies_; }

    // RegisterScalableTarget brings the desired count within [min, max] at once; the
    // scheduled actions' first runs are scheduled.
    void start();
    // The first run of scheduled action i strictly after `after` (SimTime), kNever for none.
    SimTime next_run(std::size_t i, SimTime after) const;
    void on_event(const Event& e) override;

  private:
    void run_action(std::size_t i);

    scenario::AppAutoscalingTargetSpec spec_;
    std::vector<scenario::AppAutoscalingScheduledActionSpec> actions_;
    std::vector<scenario::AppSchedule> schedules_;  // by action
    int min_ = 0, max_ = 0;
    EcsService& service_;
    Simulation& sim_;
    RunObserver& observer_;
    std::int64_t start_epoch_s_ = 0;
    std::vector<EcsScalingPolicy*> policies_;
};

class EcsScalingPolicy {
  public:
    // `alb_target_group`: the target group whose RequestCountPerTarget an
    // ALBRequestCountPerTarget policy tracks (the service's first).
    EcsScalingPolicy(const scenario::AppAutoscalingPolicySpec& spec, EcsScalableTarget& target,
                     const std::string& alb_target_group, std::int64_t start_epoch_s);

    const std::string& name() const { return spec_.name; }
    const scenario::AppAutoscalingPolicySpec& spec() const { return spec_; }
    EcsService& service() { return target_.service(); }
    bool step_scaling() const { return spec_.step_scaling.has_value(); }

    // Target tracking: its managed alarms (none for step scaling).
    MetricAlarm* high_alarm() { return high_ ? &*high_ : nullptr; }
    MetricAlarm* low_alarm() { return low_ ? &*low_ : nullptr; }

    // An alarm asked for its action (on entering ALARM, then once a minute): one of its
    // managed alarms, or for step scaling an alarm that names it.
    // `store`: the metrics the alarm reads (a step policy aggregates its newest period).
    void on_alarm_action(const MetricAlarm& alarm, SimTime now, const MetricStore& store);

    // Target tracking: the desired count the policy asks for at `metric`:
    // ceil(capacity x metric / target) within min and max, where capacity is the service's
    // RUNNING tasks (the tasks the metric averages over; tasks still starting count towards
    // the desired count it is compared with, not towards the formula), and while the last
    // scale-out's cooldown lasts at most the desired count before it (Application Auto
    // Scaling counts the capacity it added as part of the desired count: only a larger
    // scale-out goes ahead). A service with no RUNNING task keeps its desired count. Public
    // for tests.
    int wanted(double metric, bool scale_out, SimTime now) const;
    // The capacity that formula sizes from (above).
    int sized_from(bool scale_out, SimTime now) const;
    // Target tracking with scale-in enabled: the count its low alarm asks for while in
    // ALARM; nothing otherwise (it does not agree to a scale-in).
    std::optional<int> scale_in_proposal(SimTime now) const;
    bool scale_in_enabled() const { return !step_scaling() && low_.has_value(); }

  private:
    void scale_out(const MetricAlarm& alarm, SimTime now);
    void scale_in(const MetricAlarm& alarm, SimTime now);
    void step(const MetricAlarm& alarm, SimTime now, const MetricStore& store);
    // The count a scale-in to `wanted` may reach given the target's other target tracking
    // policies (combine_target_tracking); the current count when one of them disagrees.
    int agreed_scale_in(int wanted, SimTime now);
    std::string alarm_text(const MetricAlarm& alarm) const;

    scenario::AppAutoscalingPolicySpec spec_;
    EcsScalableTarget& target_;
    std::optional<MetricAlarm> high_, low_;
    SimTime last_scale_out_ = kNever;  // kNever: none yet
    int scale_out_added_ = 0;          // step scaling: what its last scale-out added
    int scale_out_base_ = 0;           // target tracking: the desired count before it
    SimTime last_scale_in_ = kNever;
    std::vector<TargetTrackingProposal> proposals_;  // reused: no allocation per action
};

}  // namespace stratus::cloud
