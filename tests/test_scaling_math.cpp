// Auto Scaling decisions as pure functions. The numbers are the worked examples of the EC2
// Auto Scaling User Guide (step and target tracking scaling, termination policies).
#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/cloud/scaling_math.hpp"

namespace test_scaling_math {

using namespace stratus;
using namespace stratus::cloud;

namespace {

constexpr auto kChange = AdjustmentType::ChangeInCapacity;
constexpr auto kExact = AdjustmentType::ExactCapacity;
constexpr auto kPercent = AdjustmentType::PercentChangeInCapacity;

StepAdjustmentSpec step(std::optional<double> lower, std::optional<double> upper, int adjustment) {
    StepAdjustmentSpec s;
    s.metric_interval_lower_bound = lower;
    s.metric_interval_upper_bound = upper;
    s.scaling_adjustment = adjustment;
    return s;
}

// The reference's worked example: threshold 50, steps written in absolute terms as
// +10 % for [60, 70), +30 % for [70, inf), -10 % for (30, 40], -30 % for (-inf, 30].
const std::vector<StepAdjustmentSpec> kScaleOutSteps = {step(10, 20, 10),
                                                        step(20, std::nullopt, 30)};
const std::vector<StepAdjustmentSpec> kScaleInSteps = {step(-20, -10, -10),
                                                       step(std::nullopt, -20, -30)};

TerminationCandidate in_zone(int az, SimTime launched) {
    TerminationCandidate c;
    c.availability_zone = az;
    c.launch_time = launched;
    c.launch_template = "web";
    c.launch_template_version = 1;
    return c;
}

const std::vector<TerminationPolicy> kDefault{TerminationPolicy::Default};

}  // namespace

// ---------------------------------------------------------------------------------------------
// Adjustment types

TEST_CASE("PercentChangeInCapacity rounds above 1 down and below -1 toward zero", "[autoscaling]") {
    CHECK(percent_change_in_capacity(100, 12.7) == 12);   // 12.7 -> 12
    CHECK(percent_change_in_capacity(20, -33.35) == -6);  // -6.67 -> -6
    CHECK(percent_change_in_capacity(10, 10) == 1);
    CHECK(percent_change_in_capacity(11, 30) == 3);  // 3.3 -> 3
    CHECK(percent_change_in_capacity(30, 10) == 3);  // exactly 3, despite binary fractions
    CHECK(percent_change_in_capacity(10, -20) == -2);
}

TEST_CASE("PercentChangeInCapacity turns a fraction of an instance into a whole one",
          "[autoscaling]") {
    CHECK(percent_change_in_capacity(4, 10) == 1);    // 0.4 -> 1
    CHECK(percent_change_in_capacity(4, -10) == -1);  // -0.4 -> -1
    CHECK(percent_change_in_capacity(4, 0) == 0);
    CHECK(percent_change_in_capacity(0, 50) == 0);
}

TEST_CASE("MinAdjustmentMagnitude raises a small percentage change: 25 % of 4 with 2 adds 2",
          "[autoscaling]") {
    CHECK(apply_adjustment(kPercent, 4, 25, std::nullopt, 0, 100) == 5);
    CHECK(apply_adjustment(kPercent, 4, 25, 2, 0, 100) == 6);
    CHECK(apply_adjustment(kPercent, 4, -25, 2, 0, 100) == 2);
    // A change already larger than the magnitude is left as it is.
    CHECK(apply_adjustment(kPercent, 100, 12.7, 2, 0, 1000) == 112);
    // Zero percent changes nothing, whatever the magnitude.
    CHECK(apply_adjustment(kPercent, 4, 0, 2, 0, 100) == 4);
}

TEST_CASE("MinAdjustmentMagnitude applies to PercentChangeInCapacity only", "[autoscaling]") {
    CHECK(apply_adjustment(kChange, 4, 1, 3, 0, 100) == 5);
    CHECK(apply_adjustment(kExact, 4, 5, 3, 0, 100) == 5);
}

TEST_CASE("ChangeInCapacity and ExactCapacity set desired capacity", "[autoscaling]") {
    CHECK(apply_adjustment(kChange, 4, 2, std::nullopt, 1, 10) == 6);
    CHECK(apply_adjustment(kChange, 4, -3, std::nullopt, 1, 10) == 1);
    CHECK(apply_adjustment(kExact, 4, 7, std::nullopt, 1, 10) == 7);
    CHECK(apply_adjustment(kExact, 4, 0, std::nullopt, 0, 10) == 0);
}

TEST_CASE("every adjustment is clamped to the group's min and max size", "[autoscaling]") {
    CHECK(apply_adjustment(kChange, 9, 5, std::nullopt, 2, 10) == 10);
    CHECK(apply_adjustment(kChange, 3, -5, std::nullopt, 2, 10) == 2);
    CHECK(apply_adjustment(kExact, 3, 50, std::nullopt, 2, 10) == 10);
    CHECK(apply_adjustment(kExact, 3, 0, std::nullopt, 2, 10) == 2);
    CHECK(apply_adjustment(kPercent, 10, 500, std::nullopt, 2, 12) == 12);
    CHECK(apply_adjustment(kPercent, 10, -100, 2, 2, 12) == 2);
    CHECK(clamp_capacity(7, 2, 5) == 5);
    CHECK(clamp_capacity(1, 2, 5) == 2);
    CHECK(clamp_capacity(3, 2, 5) == 3);
}

// ---------------------------------------------------------------------------------------------
// Step scaling

TEST_CASE("step scaling worked example: 60 takes 10 to 11, a later 70 takes 11 to 14",
          "[autoscaling]") {
    const double threshold = 50;
    int capacity = 10;

    auto adj = select_step(kScaleOutSteps, 60, threshold);
    REQUIRE(adj == 10);
    capacity = apply_adjustment(kPercent, capacity, *adj, std::nullopt, 1, 100);
    CHECK(capacity == 11);

    adj = select_step(kScaleOutSteps, 70, threshold);
    REQUIRE(adj == 30);
    capacity = apply_adjustment(kPercent, capacity, *adj, std::nullopt, 1, 100);
    CHECK(capacity == 14);  // 11 + floor(3.3)
}

TEST_CASE("above the threshold a step's lower bound is inclusive and its upper exclusive",
          "[autoscaling]") {
    CHECK(select_step_index(kScaleOutSteps, 60, 50) == 0u);
    CHECK(select_step_index(kScaleOutSteps, 69.999, 50) == 0u);
    CHECK(select_step_index(kScaleOutSteps, 70, 50) == 1u);
    CHECK(select_step_index(kScaleOutSteps, 1e6, 50) == 1u);
    // Between the threshold and the first step: breaching, but no step holds it.
    CHECK_FALSE(select_step(kScaleOutSteps, 55, 50).has_value());
}

TEST_CASE("below the threshold a step's lower bound is exclusive and its upper inclusive",
          "[autoscaling]") {
    CHECK(select_step(kScaleInSteps, 40, 50) == -10);
    CHECK(select_step(kScaleInSteps, 30.001, 50) == -10);
    CHECK(select_step(kScaleInSteps, 30, 50) == -30);
    CHECK(select_step(kScaleInSteps, 0, 50) == -30);
    CHECK_FALSE(select_step(kScaleInSteps, 45, 50).has_value());
    // The worked example's scale-in: 10 at a metric of 40 loses 10 %.
    CHECK(apply_adjustment(kPercent, 10, *select_step(kScaleInSteps, 40, 50), std::nullopt, 1,
                           100) == 9);
}

TEST_CASE("a metric exactly at the threshold matches a step starting or ending at zero",
          "[autoscaling]") {
    const std::vector<StepAdjustmentSpec> out = {step(0, 10, 1), step(10, std::nullopt, 3)};
    const std::vector<StepAdjustmentSpec> in = {step(-10, 0, -1), step(std::nullopt, -10, -3)};
    CHECK(select_step(out, 50, 50) == 1);
    CHECK(select_step(in, 50, 50) == -1);
    CHECK(select_step(out, 60, 50) == 3);
    CHECK(select_step(in, 40, 50) == -3);  // (40, 50] excludes 40; (-inf, 40] holds it
}

TEST_CASE("valid step sets pass validation", "[autoscaling]") {
    CHECK_FALSE(validate_steps(kScaleOutSteps).has_value());
    CHECK_FALSE(validate_steps(kScaleInSteps).has_value());
    CHECK_FALSE(validate_steps({step(std::nullopt, 0, -1), step(0, std::nullopt, 1)}).has_value());
    CHECK_FALSE(validate_steps({step(0, std::nullopt, 1)}).has_value());
    // Written in any order.
    CHECK_FALSE(validate_steps({step(20, std::nullopt, 3), step(0, 20, 1)}).has_value());
}

TEST_CASE("overlapping, gapped or doubly unbounded steps are refused", "[autoscaling]") {
    auto overlap = validate_steps({step(0, 20, 1), step(10, std::nullopt, 2)});
    REQUIRE(overlap.has_value());
    CHECK_THAT(*overlap, Catch::Contains("overlaps"));

    auto gap = validate_steps({step(0, 10, 1), step(20, std::nullopt, 2)});
    REQUIRE(gap.has_value());
    CHECK_THAT(*gap, Catch::Contains("gap"));

    auto two_up = validate_steps({step(0, std::nullopt, 1), step(10, std::nullopt, 2)});
    REQUIRE(two_up.has_value());
    CHECK_THAT(*two_up, Catch::Contains("more than one step has no upper bound"));

    auto two_down = validate_steps({step(std::nullopt, -10, -1), step(std::nullopt, 0, -2)});
    REQUIRE(two_down.has_value());
    CHECK_THAT(*two_down, Catch::Contains("more than one step has no lower bound"));

    CHECK(validate_steps({step(std::nullopt, std::nullopt, 1)}).has_value());
    CHECK(validate_steps({step(10, 10, 1), step(10, std::nullopt, 2)}).has_value());
    CHECK(validate_steps({}).has_value());
}

TEST_CASE("a positive upper bound needs a step unbounded above, a negative lower one below",
          "[autoscaling]") {
    auto up = validate_steps({step(0, 10, 1)});
    REQUIRE(up.has_value());
    CHECK_THAT(*up, Catch::Contains("no upper bound"));
    auto down = validate_steps({step(-10, 0, -1)});
    REQUIRE(down.has_value());
    CHECK_THAT(*down, Catch::Contains("no lower bound"));
}

// ---------------------------------------------------------------------------------------------
// Target tracking

TEST_CASE("target tracking scale-out rounds the addition up", "[autoscaling]") {
    CHECK(target_tracking_desired(10, 75, 50, true) == 15);
    CHECK(target_tracking_desired(4, 65, 50, true) == 6);    // 5.2 -> 6
    CHECK(target_tracking_desired(3, 75, 50, true) == 5);    // +1.5 -> +2
    CHECK(target_tracking_desired(1, 50.5, 50, true) == 2);  // any excess adds an instance
    CHECK(target_tracking_desired(10, 70, 50, true) == 14);  // exact: no spurious 15th
}

TEST_CASE("target tracking scale-in rounds the removal down", "[autoscaling]") {
    CHECK(target_tracking_desired(3, 25, 50, false) == 2);   // -1.5 -> -1
    CHECK(target_tracking_desired(10, 32, 50, false) == 7);  // 6.4: remove 3, not 4
    CHECK(target_tracking_desired(10, 20, 50, false) == 4);
    CHECK(target_tracking_desired(10, 35, 50, false) == 7);  // exactly 7
    CHECK(target_tracking_desired(4, 0, 50, false) == 0);    // the caller clamps to min size
}

TEST_CASE("target tracking never moves against the alarm that fired", "[autoscaling]") {
    CHECK(target_tracking_desired(10, 40, 50, true) == 10);
    CHECK(target_tracking_desired(10, 60, 50, false) == 10);
    CHECK(target_tracking_desired(0, 90, 50, true) == 0);  // nothing to multiply
    CHECK(target_tracking_desired(5, 90, 0, true) == 5);
}

TEST_CASE("target tracking alarms: 3 of 3 above target, 15 of 15 below 0.9 x target",
          "[autoscaling]") {
    // AWS: the scale-in alarm acts only "usually more than 10% lower" than the target
    // (Application Auto Scaling guide); 3 of 3 and 15 of 15 one-minute datapoints are what the
    // CloudWatch console shows for the alarms (AWS does not document them).
    const auto high = target_tracking_high_alarm(50);
    CHECK(high.comparison_operator == ComparisonOperator::GreaterThanThreshold);
    CHECK(high.threshold == Approx(50));
    CHECK(high.period_seconds == 60);
    CHECK(high.evaluation_periods == 3);
    CHECK(high.datapoints_to_alarm == 3);

    const auto low = target_tracking_low_alarm(50);
    CHECK(low.comparison_operator == ComparisonOperator::LessThanThreshold);
    CHECK(low.threshold == Approx(45));
    CHECK(low.period_seconds == 60);
    CHECK(low.evaluation_periods == 15);
    CHECK(low.datapoints_to_alarm == 15);

    // 10 % below the target: 40 -> 36, 30 -> 27, 90 -> 81; a factor can be given.
    CHECK(target_tracking_low_alarm(40).threshold == Approx(36));
    CHECK(target_tracking_low_alarm(30).threshold == Approx(27));
    CHECK(target_tracking_low_alarm(90).threshold == Approx(81));
    CHECK(target_tracking_low_alarm(50, 0.7).threshold == Approx(35));
    CHECK(target_tracking_high_alarm(50, 1.0, 5).datapoints_to_alarm == 5);
}

TEST_CASE("several target tracking policies: any may scale out, all must agree to scale in",
          "[autoscaling]") {
    // One wants more: the largest ask wins.
    CHECK(combine_target_tracking(10, {{8, true}, {12, true}, {15, false}}) == 15);
    // All with scale-in enabled want less: the group keeps the largest of their asks.
    CHECK(combine_target_tracking(10, {{6, true}, {8, true}}) == 8);
    // One holding (no alarm) blocks scale-in.
    CHECK(combine_target_tracking(10, {{6, true}, {10, true}}) == 10);
    // A policy with scale-in disabled neither blocks nor drives a scale-in.
    CHECK(combine_target_tracking(10, {{6, true}, {10, false}}) == 6);
    CHECK(combine_target_tracking(10, {{6, false}}) == 10);
    CHECK(combine_target_tracking(10, {}) == 10);
}

// ---------------------------------------------------------------------------------------------
// Termination policies

TEST_CASE("AZ balance beats OldestInstance", "[autoscaling]") {
    // AZ 0 holds three young instances, AZ 1 two old ones.
    std::vector<TerminationCandidate> c = {in_zone(0, 300), in_zone(0, 200), in_zone(0, 400),
                                           in_zone(1, 10), in_zone(1, 20)};
    auto chosen =
        choose_instances_to_terminate(c, 1, {TerminationPolicy::OldestInstance}, "web", 1);
    REQUIRE(chosen.size() == 1);
    CHECK(chosen[0] == 1u);  // the oldest of AZ 0, not the oldest of the group
}

TEST_CASE("a scale-in of several instances keeps the AZs balanced", "[autoscaling]") {
    std::vector<TerminationCandidate> c = {in_zone(0, 1), in_zone(0, 2), in_zone(0, 3),
                                           in_zone(1, 4), in_zone(1, 5), in_zone(2, 6)};
    auto chosen =
        choose_instances_to_terminate(c, 3, {TerminationPolicy::OldestInstance}, "web", 1);
    // 3/2/1 -> AZ 0 first (2/2/1), then the balanced AZs 0 and 1 together: the oldest is in
    // AZ 0 (1/2/1), then AZ 1 (1/1/1).
    CHECK(chosen == std::vector<std::size_t>{0, 1, 3});
}

TEST_CASE("balanced AZs apply the policy across all of them", "[autoscaling]") {
    std::vector<TerminationCandidate> c = {in_zone(0, 50), in_zone(0, 60), in_zone(1, 40),
                                           in_zone(1, 70)};
    CHECK(choose_instances_to_terminate(c, 1, {TerminationPolicy::NewestInstance}, "web", 1) ==
          std::vector<std::size_t>{3});
    CHECK(choose_instances_to_terminate(c, 1, {TerminationPolicy::OldestInstance}, "web", 1) ==
          std::vector<std::size_t>{2});
}

TEST_CASE("protected instances are never chosen by a scale-in", "[autoscaling]") {
    std::vector<TerminationCandidate> c = {in_zone(0, 1), in_zone(0, 2), in_zone(0, 3),
                                           in_zone(1, 4), in_zone(1, 5)};
    for (int i = 0; i < 3; ++i)
        c[i].protected_from_scale_in = true;
    auto chosen = choose_instances_to_terminate(c, 5, kDefault, "web", 1);
    CHECK(std::set<std::size_t>(chosen.begin(), chosen.end()) == std::set<std::size_t>{3, 4});
}

TEST_CASE("when every instance is protected nothing is terminated", "[autoscaling]") {
    std::vector<TerminationCandidate> c = {in_zone(0, 1), in_zone(1, 2)};
    for (auto& x : c)
        x.protected_from_scale_in = true;
    CHECK(choose_instances_to_terminate(c, 1, kDefault, "web", 1).empty());
}

TEST_CASE("the AZ with the most instances is chosen if it has one unprotected", "[autoscaling]") {
    // AZ 0: four instances, three protected. AZ 1: two unprotected. AWS counts every instance
    // of the AZ, so AZ 0 (4) goes first and its one unprotected instance is terminated.
    std::vector<TerminationCandidate> c = {in_zone(0, 1), in_zone(0, 2), in_zone(0, 3),
                                           in_zone(0, 4), in_zone(1, 5), in_zone(1, 6)};
    for (int i = 0; i < 3; ++i)
        c[i].protected_from_scale_in = true;
    CHECK(choose_instances_to_terminate(c, 1, kDefault, "web", 1) == std::vector<std::size_t>{3});
}

TEST_CASE("only InService instances are terminated, Pending ones still count for balance",
          "[autoscaling]") {
    std::vector<TerminationCandidate> c = {in_zone(0, 1), in_zone(0, 2), in_zone(1, 3),
                                           in_zone(1, 4), in_zone(1, 5)};
    c[4].lifecycle = LifecycleState::Pending;      // AZ 1 has 3 instances, two InService
    c[1].lifecycle = LifecycleState::Terminating;  // AZ 0 has 1 left
    auto chosen =
        choose_instances_to_terminate(c, 1, {TerminationPolicy::NewestInstance}, "web", 1);
    CHECK(chosen == std::vector<std::size_t>{3});
}

TEST_CASE("Default terminates a launch configuration, then another template, then an old version",
          "[autoscaling]") {
    std::vector<TerminationCandidate> c(4, in_zone(0, 0));
    c[0].launch_template_version = 3;  // current: web v3
    c[1].launch_template_version = 2;  // an old version of the current template
    c[1].current = false;
    c[2].launch_template = "legacy";  // another template
    c[2].current = false;
    c[3].launch_template = "web-lc";  // a launch configuration
    c[3].uses_launch_configuration = true;
    c[3].current = false;
    for (auto& x : c)
        x.seconds_into_billing_hour = 100;
    c[0].seconds_into_billing_hour = 3500;  // closest to the hour, but current

    auto chosen = choose_instances_to_terminate(c, 4, kDefault, "web", 1);
    CHECK(chosen == std::vector<std::size_t>{3, 2, 1, 0});
}

TEST_CASE("Default then prefers the instance closest to the next billing hour", "[autoscaling]") {
    std::vector<TerminationCandidate> c(3, in_zone(0, 0));
    c[0].seconds_into_billing_hour = 1200;
    c[1].seconds_into_billing_hour = 3599;
    c[2].seconds_into_billing_hour = 60;
    CHECK(choose_instances_to_terminate(c, 1, kDefault, "web", 1) == std::vector<std::size_t>{1});
    CHECK(choose_instances_to_terminate(c, 1, {TerminationPolicy::ClosestToNextInstanceHour}, "web",
                                        1) == std::vector<std::size_t>{1});
}

TEST_CASE("Default breaks a full tie reproducibly from the seed", "[autoscaling]") {
    std::vector<TerminationCandidate> c(6, in_zone(0, 0));
    std::set<std::size_t> picks;
    for (std::uint64_t seed = 1; seed <= 64; ++seed) {
        auto a = choose_instances_to_terminate(c, 1, kDefault, "web", seed);
        auto b = choose_instances_to_terminate(c, 1, kDefault, "web", seed);
        REQUIRE(a.size() == 1);
        CHECK(a == b);
        picks.insert(a[0]);
    }
    CHECK(picks.size() > 1);  // the seed matters: not always the first candidate
}

TEST_CASE("policies apply in the order listed, Default closing the list", "[autoscaling]") {
    std::vector<TerminationCandidate> c = {in_zone(0, 10), in_zone(0, 10), in_zone(0, 20)};
    c[0].seconds_into_billing_hour = 10;
    c[1].seconds_into_billing_hour = 3000;
    c[2].launch_template_version = 1;
    c[1].launch_template_version = 1;
    // OldestInstance keeps 0 and 1 (launched together); Default's billing-hour step picks 1.
    CHECK(choose_instances_to_terminate(c, 1, {TerminationPolicy::OldestInstance}, "web", 1) ==
          std::vector<std::size_t>{1});
    CHECK(choose_instances_to_terminate(
              c, 1, {TerminationPolicy::OldestInstance, TerminationPolicy::Default}, "web", 1) ==
          std::vector<std::size_t>{1});
    // NewestInstance first: 2, whatever the billing hour says.
    CHECK(choose_instances_to_terminate(
              c, 1, {TerminationPolicy::NewestInstance, TerminationPolicy::Default}, "web", 1) ==
          std::vector<std::size_t>{2});
}

TEST_CASE("OldestLaunchTemplate takes another template, then the oldest version of the current",
          "[autoscaling]") {
    std::vector<TerminationCandidate> c(3, in_zone(0, 0));
    c[0].launch_template_version = 4;
    c[1].launch_template_version = 2;
    c[1].current = false;
    c[2].launch_template_version = 3;
    c[2].current = false;
    const std::vector<TerminationPolicy> p{TerminationPolicy::OldestLaunchTemplate};
    CHECK(choose_instances_to_terminate(c, 3, p, "web", 1) == std::vector<std::size_t>{1, 2, 0});
    c[0].launch_template = "other";
    c[0].current = false;
    CHECK(choose_instances_to_terminate(c, 1, p, "web", 1) == std::vector<std::size_t>{0});
}

TEST_CASE("OldestLaunchConfiguration takes instances on a non-current configuration",
          "[autoscaling]") {
    std::vector<TerminationCandidate> c(3, in_zone(0, 0));
    for (auto& x : c)
        x.uses_launch_configuration = true;
    c[0].launch_template_version = 2;
    c[1].launch_template_version = 1;
    c[1].current = false;
    c[2].launch_template_version = 2;
    c[0].seconds_into_billing_hour = 3500;
    CHECK(choose_instances_to_terminate(c, 1, {TerminationPolicy::OldestLaunchConfiguration}, "web",
                                        1) == std::vector<std::size_t>{1});
}

TEST_CASE("a scale-in asks for no more instances than it may terminate", "[autoscaling]") {
    std::vector<TerminationCandidate> c = {in_zone(0, 1), in_zone(1, 2)};
    CHECK(choose_instances_to_terminate(c, 0, kDefault, "web", 1).empty());
    CHECK(choose_instances_to_terminate(c, 5, kDefault, "web", 1).size() == 2);
}

// ---------------------------------------------------------------------------------------------
// Replacing unhealthy instances

TEST_CASE("unhealthy instances are replaced 10 % of desired at a time, at least one",
          "[autoscaling]") {
    CHECK(unhealthy_replacement_batch(100) == 10);
    CHECK(unhealthy_replacement_batch(25) == 2);
    CHECK(unhealthy_replacement_batch(19) == 1);
    CHECK(unhealthy_replacement_batch(9) == 1);
    CHECK(unhealthy_replacement_batch(1) == 1);
    CHECK(unhealthy_replacement_batch(0) == 1);
}

}  // namespace test_scaling_math
