#pragma once
// The decisions of an EC2 Auto Scaling group, as pure functions over plain values: how an
// adjustment changes desired capacity, which step of a step policy applies, what target
// tracking asks for, which instances a scale-in terminates, how many unhealthy instances are
// replaced at a time. Nothing here holds state or schedules events; the group's control plane
// calls these with what it sees and acts on the answer. Rules from the EC2 Auto Scaling User
// Guide, in docs/model.md ("Auto Scaling decisions") with the choices AWS leaves open.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/cloud/instance.hpp"
#include "sim/core/sim_time.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

using scenario::AdjustmentType;
using scenario::ComparisonOperator;
using scenario::StepAdjustmentSpec;
using scenario::TerminationPolicy;

// ---------------------------------------------------------------------------------------------
// Capacity limits and adjustment types (simple and step scaling)

// Scaling policies never move desired capacity outside [min_size, max_size].
int clamp_capacity(int desired, int min_size, int max_size);

// The instances a PercentChangeInCapacity adjustment adds (> 0) or removes (< 0), before
// MinAdjustmentMagnitude and the limits: current x percent / 100, rounded the way AWS
// documents: above 1 down (12.7 -> 12), in (0, 1) to 1, in (-1, 0) to -1, below -1 toward
// zero (-6.67 -> -6).
int percent_change_in_capacity(int current, double percent);

// The new desired capacity after one adjustment of a simple or step policy:
//   ChangeInCapacity         current + adjustment (AWS takes an integer; a fraction is
//                            truncated toward zero)
//   ExactCapacity            adjustment
//   PercentChangeInCapacity  current + percent_change_in_capacity(current, adjustment), raised
//                            to at least min_adjustment_magnitude instances in the same
//                            direction (AWS honours MinAdjustmentMagnitude for this type only)
// and always clamped to [min_size, max_size].
int apply_adjustment(AdjustmentType type, int current, double adjustment,
                     std::optional<int> min_adjustment_magnitude, int min_size, int max_size);

// ---------------------------------------------------------------------------------------------
// Step scaling

// The step whose interval holds the metric, as an index into steps. Bounds are relative to the
// alarm threshold (null = unbounded). Above the threshold a step's lower bound is inclusive
// and its upper bound exclusive; below it the lower bound is exclusive and the upper bound
// inclusive. A metric exactly at the threshold matches a step that starts at 0 ([0, x)) and
// failing that one that ends at 0 ((x, 0]): either alarm comparison may breach there.
std::optional<std::size_t> select_step_index(const std::vector<StepAdjustmentSpec>& steps,
                                             double metric, double threshold);

// The scaling_adjustment of that step, or nothing when no step holds the metric.
std::optional<int> select_step(const std::vector<StepAdjustmentSpec>& steps, double metric,
                               double threshold);

// Why AWS would refuse these steps, or nothing when they are valid (the rules of the API's
// StepAdjustment): at least one step; no step without both bounds; lower < upper; at most one
// step without a lower bound and at most one without an upper bound; no overlap and no gap
// between neighbouring intervals; a negative lower bound needs a step unbounded below, a
// positive upper bound one unbounded above.
std::optional<std::string> validate_steps(const std::vector<StepAdjustmentSpec>& steps);

// ---------------------------------------------------------------------------------------------
// Target tracking

// The desired capacity target tracking asks for when one of its alarms fires:
// ceil(current x metric / target). AWS documents the direction of the rounding (scale-out
// rounds the addition up, +1.5 -> +2; scale-in rounds the removal down, -1.5 -> -1), not the
// formula, which is inferred; both roundings give the same ceil. A scale-out never lowers
// capacity and a scale-in never raises it. Not clamped: the caller applies [min, max].
// With a target <= 0, a non-finite metric or no capacity to multiply, capacity is unchanged.
int target_tracking_desired(int current_capacity, double metric, double target, bool scale_out);

// The shape of one of the two alarms target tracking creates and manages (docs/model.md,
// "Target tracking alarms"). AWS documents two alarms, a scale-out that adds capacity in
// proportion as fast as it can and a more gradual scale-in that acts only "far enough below
// the target value (usually more than 10% lower)" (Application Auto Scaling guide, "How
// target tracking scaling works"): the low threshold is 0.9 x target. The periods and
// datapoints (3 of 3 and 15 of 15 one-minute datapoints) are not documented; they are what
// the CloudWatch console shows for such alarms.
struct TargetTrackingAlarmShape {
    ComparisonOperator comparison_operator = ComparisonOperator::GreaterThanThreshold;
    double threshold = 0;
    int period_seconds = 60;
    int evaluation_periods = 1;
    int datapoints_to_alarm = 1;
};

inline constexpr int kTargetTrackingPeriodSeconds = 60;
inline constexpr int kTargetTrackingHighDatapoints = 3;  // 3 of 3 one-minute datapoints
inline constexpr int kTargetTrackingLowDatapoints = 15;  // 15 of 15 one-minute datapoints
inline constexpr double kTargetTrackingHighFactor = 1.0;
inline constexpr double kTargetTrackingLowFactor = 0.9;  // "usually more than 10% lower"

// AlarmHigh: metric > high_factor x target for high_datapoints of as many one-minute periods.
TargetTrackingAlarmShape target_tracking_high_alarm(
    double target, double high_factor = kTargetTrackingHighFactor,
    int high_datapoints = kTargetTrackingHighDatapoints);

// AlarmLow: metric < low_factor x target for low_datapoints of as many one-minute periods.
TargetTrackingAlarmShape target_tracking_low_alarm(
    double target, double low_factor = kTargetTrackingLowFactor,
    int low_datapoints = kTargetTrackingLowDatapoints);

// What one target tracking policy asks for at an evaluation: its desired capacity (equal to
// the current capacity when it wants no change, e.g. none of its alarms is in ALARM) and
// whether it may scale in (not DisableScaleIn).
struct TargetTrackingProposal {
    int desired = 0;
    bool scale_in_enabled = true;
};

// Several target tracking policies on one group: scale out when any policy wants more, to the
// largest capacity asked for; scale in only when every policy with scale-in enabled wants less
// (and at least one has it enabled), to the largest of their capacities, so the group removes
// no more than the most cautious of them allows. Otherwise the current capacity.
int combine_target_tracking(int current_capacity,
                            const std::vector<TargetTrackingProposal>& proposals);

// ---------------------------------------------------------------------------------------------
// Termination policies and scale-in protection

// One instance of the group as a scale-in sees it.
struct TerminationCandidate {
    int availability_zone = 0;  // index of its AZ
    SimTime launch_time = 0;
    // Launch template name and version. An instance on a launch configuration carries the
    // configuration's name here; its version orders configurations of the same name by age
    // (a stratus launch template version stands for a new launch configuration).
    std::string launch_template;
    int launch_template_version = 1;
    bool current = true;  // launched from what the group launches now (name and version)
    bool uses_launch_configuration = false;
    double seconds_into_billing_hour = 0;  // [0, 3600): larger is closer to the next hour
    bool protected_from_scale_in = false;
    // Only InService instances are terminated by a scale-in; Pending ones still count for the
    // balance between AZs (they are the group's instances there).
    LifecycleState lifecycle = LifecycleState::InService;
};

// The instances a scale-in by `count` terminates, as indices into candidates, in the order
// chosen (fewer when not enough are eligible: AWS still lowers desired capacity). For each
// instance: among the AZs that hold an eligible candidate (InService, not protected), take
// those with the most instances (balance first, always); apply the policies in order to the
// eligible candidates of those AZs, each keeping only its best; then the Default policy's
// steps when the list does not contain Default; then a seeded tie-break (AWS picks at random).
// The AZ counts are updated before the next instance, so the AZs stay balanced.
//
// current_launch_template is the group's launch template name: OldestLaunchTemplate and
// Default take instances on another template (or on a launch configuration) before old
// versions of the current one. tie_break_seed makes the random choice reproducible: pass a
// fresh draw from the group's RandomStream for each scale-in.
// `rules`, when given, receives for each chosen instance the rule that singled it out: "AZ
// balance", a termination policy's name ("OldestInstance", "Default" for its steps), or
// "random among equals".
std::vector<std::size_t> choose_instances_to_terminate(
    const std::vector<TerminationCandidate>& candidates, int count,
    const std::vector<TerminationPolicy>& policies, const std::string& current_launch_template,
    std::uint64_t tie_break_seed, std::vector<std::string>* rules = nullptr);

// AWS's name of a termination policy ("OldestInstance").
const char* to_string(TerminationPolicy policy);

// ---------------------------------------------------------------------------------------------
// Replacing unhealthy instances

// How many unhealthy instances the group replaces at a time once it is above 90 % of desired
// capacity: 10 % of desired capacity, rounded down, and at least one.
int unhealthy_replacement_batch(int desired);

}  // namespace stratus::cloud
