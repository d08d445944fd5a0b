#include "sim/cloud/scaling_math.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

#include <fmt/format.h>

namespace stratus::cloud {

namespace {

// Capacities are ints; a huge percentage or metric must not overflow the conversion.
constexpr double kCapacityCap = 1e9;

int to_capacity(double v) {
    return static_cast<int>(std::max(-kCapacityCap, std::min(kCapacityCap, v)));
}

// Products such as 30 x 10 / 100 or 10 x 70 / 50 are not always exact in binary floating
// point; a value within a hair of an integer is that integer, so rounding up or down does not
// jump a whole instance on representation error.
double snap_to_integer(double v) {
    const double r = std::round(v);
    return std::abs(v - r) <= 1e-9 * std::max(1.0, std::abs(v)) ? r : v;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Capacity limits and adjustment types

int clamp_capacity(int desired, int min_size, int max_size) {
    if (desired > max_size) return max_size;
    if (desired < min_size) return min_size;
    return desired;
}

int percent_change_in_capacity(int current, double percent) {
    if (!std::isfinite(percent)) return 0;
    const double change = snap_to_integer(static_cast<double>(current) * percent / 100.0);
    if (change >= 1.0) return to_capacity(std::floor(change));
    if (change > 0.0) return 1;
    if (change == 0.0) return 0;
    if (change > -1.0) return -1;
    return to_capacity(std::ceil(change));  // toward zero: -6.67 -> -6
}

int apply_adjustment(AdjustmentType type, int current, double adjustment,
                     std::optional<int> min_adjustment_magnitude, int min_size, int max_size) {
    if (!std::isfinite(adjustment)) return clamp_capacity(current, min_size, max_size);
    double desired = current;
    switch (type) {
        case AdjustmentType::ChangeInCapacity:
            desired = static_cast<double>(current) + std::trunc(adjustment);
            break;
        case AdjustmentType::ExactCapacity:
            desired = std::trunc(adjustment);
            break;
        case AdjustmentType::PercentChangeInCapacity: {
            int change = percent_change_in_capacity(current, adjustment);
            // A zero change stays zero: the magnitude raises a change, it does not invent one.
            if (min_adjustment_magnitude && *min_adjustment_magnitude > 0 && change != 0 &&
                std::abs(change) < *min_adjustment_magnitude)
                change = change > 0 ? *min_adjustment_magnitude : -*min_adjustment_magnitude;
            desired = static_cast<double>(current) + change;
            break;
        }
    }
    return clamp_capacity(to_capacity(desired), min_size, max_size);
}

// ---------------------------------------------------------------------------------------------
// Step scaling

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

double lower_of(const StepAdjustmentSpec& s) {
    return s.metric_interval_lower_bound.value_or(-kInf);
}
double upper_of(const StepAdjustmentSpec& s) {
    return s.metric_interval_upper_bound.value_or(kInf);
}

// AWS states the bounds as "the metric must be >= threshold + lower bound", so the metric is
// compared with threshold + bound rather than the difference with the bound.
bool holds_above(const StepAdjustmentSpec& s, double metric, double threshold) {
    return metric >= threshold + lower_of(s) && metric < threshold + upper_of(s);
}

bool holds_below(const StepAdjustmentSpec& s, double metric, double threshold) {
    return metric > threshold + lower_of(s) && metric <= threshold + upper_of(s);
}

std::string describe_step(std::size_t i, const StepAdjustmentSpec& s) {
    auto bound = [](const std::optional<double>& b) {
        return b ? fmt::format("{}", *b) : std::string("null");
    };
    return fmt::format("step {} (lower bound {}, upper bound {})", i + 1,
                       bound(s.metric_interval_lower_bound), bound(s.metric_interval_upper_bound));
}

}  // namespace

std::optional<std::size_t> select_step_index(const std::vector<StepAdjustmentSpec>& steps,
                                             double metric, double threshold) {
    if (std::isnan(metric) || std::isnan(threshold)) return std::nullopt;
    auto find = [&](auto holds) -> std::optional<std::size_t> {
        for (std::size_t i = 0; i < steps.size(); ++i)
            if (holds(steps[i], metric, threshold)) return i;
        return std::nullopt;
    };
    if (metric > threshold) return find(holds_above);
    if (metric < threshold) return find(holds_below);
    if (auto i = find(holds_above)) return i;
    return find(holds_below);
}

std::optional<int> select_step(const std::vector<StepAdjustmentSpec>& steps, double metric,
                               double threshold) {
    if (auto i = select_step_index(steps, metric, threshold)) return steps[*i].scaling_adjustment;
    return std::nullopt;
}

std::optional<std::string> validate_steps(const std::vector<StepAdjustmentSpec>& steps) {
    if (steps.empty())
        return std::string("a step scaling policy needs at least one step adjustment");
    int unbounded_below = 0, unbounded_above = 0;
    bool negative_lower = false, positive_upper = false;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const auto& s = steps[i];
        if (!s.metric_interval_lower_bound && !s.metric_interval_upper_bound)
            return describe_step(i, s) + " has neither bound; at least one must be set";
        if (lower_of(s) >= upper_of(s))
            return describe_step(i, s) + ": the lower bound must be below the upper bound";
        unbounded_below += !s.metric_interval_lower_bound;
        unbounded_above += !s.metric_interval_upper_bound;
        negative_lower |= s.metric_interval_lower_bound && *s.metric_interval_lower_bound < 0;
        positive_upper |= s.metric_interval_upper_bound && *s.metric_interval_upper_bound > 0;
    }
    if (unbounded_below > 1) return std::string("more than one step has no lower bound");
    if (unbounded_above > 1) return std::string("more than one step has no upper bound");
    if (negative_lower && unbounded_below == 0)
        return std::string(
            "a step has a negative lower bound, so one step must have no lower bound");
    if (positive_upper && unbounded_above == 0)
        return std::string(
            "a step has a positive upper bound, so one step must have no upper bound");

    std::vector<std::size_t> order(steps.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return lower_of(steps[a]) < lower_of(steps[b]);
    });
    for (std::size_t k = 1; k < order.size(); ++k) {
        const auto& prev = steps[order[k - 1]];
        const auto& next = steps[order[k]];
        if (lower_of(next) < upper_of(prev))
            return describe_step(order[k - 1], prev) + " overlaps " + describe_step(order[k], next);
        if (lower_of(next) > upper_of(prev))
            return "gap between " + describe_step(order[k - 1], prev) + " and " +
                   describe_step(order[k], next);
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Target tracking

int target_tracking_desired(int current_capacity, double metric, double target, bool scale_out) {
    if (current_capacity <= 0 || !(target > 0) || !std::isfinite(target) || !std::isfinite(metric))
        return current_capacity;
    const double wanted = snap_to_integer(current_capacity * std::max(0.0, metric) / target);
    const int desired = to_capacity(std::ceil(wanted));
    return scale_out ? std::max(current_capacity, desired) : std::min(current_capacity, desired);
}

TargetTrackingAlarmShape target_tracking_high_alarm(double target, double high_factor,
                                                    int high_datapoints) {
    TargetTrackingAlarmShape a;
    a.comparison_operator = ComparisonOperator::GreaterThanThreshold;
    a.threshold = high_factor * target;
    a.period_seconds = kTargetTrackingPeriodSeconds;
    a.evaluation_periods = high_datapoints;
    a.datapoints_to_alarm = high_datapoints;
    return a;
}

TargetTrackingAlarmShape target_tracking_low_alarm(double target, double low_factor,
                                                   int low_datapoints) {
    TargetTrackingAlarmShape a;
    a.comparison_operator = ComparisonOperator::LessThanThreshold;
    a.threshold = low_factor * target;
    a.period_seconds = kTargetTrackingPeriodSeconds;
    a.evaluation_periods = low_datapoints;
    a.datapoints_to_alarm = low_datapoints;
    return a;
}

int combine_target_tracking(int current_capacity,
                            const std::vector<TargetTrackingProposal>& proposals) {
    int most = current_capacity;
    for (const auto& p : proposals)
        most = std::max(most, p.desired);
    if (most > current_capacity) return most;

    bool any_scale_in = false;
    int scale_in_to = std::numeric_limits<int>::min();
    for (const auto& p : proposals) {
        if (!p.scale_in_enabled) continue;
        if (p.desired >= current_capacity) return current_capacity;  // one holds: no scale-in
        any_scale_in = true;
        scale_in_to = std::max(scale_in_to, p.desired);
    }
    return any_scale_in ? scale_in_to : current_capacity;
}

// ---------------------------------------------------------------------------------------------
// Termination policies

namespace {

// splitmix64: a well-mixed, platform-independent hash of (seed, candidate), so the "random"
// choice among tied candidates is reproducible from the seed alone.
std::uint64_t tie_break_rank(std::uint64_t seed, std::size_t index) {
    std::uint64_t z = seed + 0x9e3779b97f4a7c15ull * (static_cast<std::uint64_t>(index) + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

// Keeps only the candidates of the pool with the smallest key.
template <class KeyFn>
void keep_best(std::vector<std::size_t>& pool, KeyFn key) {
    if (pool.size() <= 1) return;
    auto best = key(pool.front());
    for (std::size_t i : pool)
        best = std::min(best, key(i));
    pool.erase(
        std::remove_if(pool.begin(), pool.end(), [&](std::size_t i) { return key(i) != best; }),
        pool.end());
}

class TerminationRanking {
  public:
    TerminationRanking(const std::vector<TerminationCandidate>& c, const std::string& current_lt)
        : c_(c), current_lt_(current_lt) {}

    void apply(TerminationPolicy policy, std::vector<std::size_t>& pool) const {
        switch (policy) {
            case TerminationPolicy::OldestInstance:
                keep_best(pool, [&](std::size_t i) { return c_[i].launch_time; });
                break;
            case TerminationPolicy::NewestInstance:
                keep_best(pool, [&](std::size_t i) { return -c_[i].launch_time; });
                break;
            case TerminationPolicy::OldestLaunchConfiguration:
                keep_best(pool, [&](std::size_t i) { return oldest_launch_configuration(i); });
                break;
            case TerminationPolicy::OldestLaunchTemplate:
                keep_best(pool, [&](std::size_t i) { return outdated_configuration(i); });
                break;
            case TerminationPolicy::ClosestToNextInstanceHour:
                keep_best(pool, [&](std::size_t i) { return to_next_hour(i); });
                break;
            case TerminationPolicy::Default:
                keep_best(pool, [&](std::size_t i) { return outdated_configuration(i); });
                keep_best(pool, [&](std::size_t i) { return to_next_hour(i); });
                break;
            case TerminationPolicy::AllocationStrategy:
                // Needs the Spot / On-Demand split of a mixed instances group, which candidates
                // do not carry yet: no preference.
                break;
        }
    }

  private:
    // Non-current launch configurations first, oldest (lowest version) first; every other
    // instance after them, all alike.
    std::tuple<int, int> oldest_launch_configuration(std::size_t i) const {
        const auto& c = c_[i];
        if (c.uses_launch_configuration && !c.current) return {0, c.launch_template_version};
        return {1, 0};
    }

    // AWS's order for outdated configurations: a launch configuration, then another launch
    // template, then an old version of the current one. Within each, non-current before
    // current, then the lowest version.
    std::tuple<int, int, int> outdated_configuration(std::size_t i) const {
        const auto& c = c_[i];
        const int tier = c.uses_launch_configuration ? 0 : c.launch_template != current_lt_ ? 1 : 2;
        return {tier, c.current ? 1 : 0, c.launch_template_version};
    }

    // Seconds left before the next billing hour starts: smaller is closer.
    double to_next_hour(std::size_t i) const {
        double into = std::fmod(c_[i].seconds_into_billing_hour, 3600.0);
        if (into < 0) into += 3600.0;
        return 3600.0 - into;
    }

    const std::vector<TerminationCandidate>& c_;
    const std::string& current_lt_;
};

bool counts_for_balance(const TerminationCandidate& c) {
    return c.lifecycle == LifecycleState::Pending || c.lifecycle == LifecycleState::InService;
}

bool eligible_for_scale_in(const TerminationCandidate& c) {
    return c.lifecycle == LifecycleState::InService && !c.protected_from_scale_in;
}

}  // namespace

const char* to_string(TerminationPolicy policy) {
    switch (policy) {
        case TerminationPolicy::Default:
            return "Default";
        case TerminationPolicy::OldestInstance:
            return "OldestInstance";
        case TerminationPolicy::NewestInstance:
            return "NewestInstance";
        case TerminationPolicy::OldestLaunchConfiguration:
            return "OldestLaunchConfiguration";
        case TerminationPolicy::OldestLaunchTemplate:
            return "OldestLaunchTemplate";
        case TerminationPolicy::ClosestToNextInstanceHour:
            return "ClosestToNextInstanceHour";
        case TerminationPolicy::AllocationStrategy:
            return "AllocationStrategy";
    }
    return "?";
}

std::vector<std::size_t> choose_instances_to_terminate(
    const std::vector<TerminationCandidate>& candidates, int count,
    const std::vector<TerminationPolicy>& policies, const std::string& current_launch_template,
    std::uint64_t tie_break_seed, std::vector<std::string>* rules) {
    std::vector<std::size_t> chosen;
    if (count <= 0) return chosen;

    std::map<int, int> in_zone;  // AZ -> the group's instances there
    for (const auto& c : candidates)
        if (counts_for_balance(c)) ++in_zone[c.availability_zone];

    const bool lists_default =
        std::find(policies.begin(), policies.end(), TerminationPolicy::Default) != policies.end();
    const TerminationRanking ranking(candidates, current_launch_template);
    std::vector<bool> taken(candidates.size(), false);
    std::vector<std::size_t> pool;

    while (static_cast<int>(chosen.size()) < count) {
        // Balance first: the AZs with the most instances among those with one to terminate.
        int most = -1;
        for (std::size_t i = 0; i < candidates.size(); ++i)
            if (!taken[i] && eligible_for_scale_in(candidates[i]))
                most = std::max(most, in_zone[candidates[i].availability_zone]);
        if (most < 0) break;  // every remaining instance is protected (or not InService)

        pool.clear();
        for (std::size_t i = 0; i < candidates.size(); ++i)
            if (!taken[i] && eligible_for_scale_in(candidates[i]) &&
                in_zone[candidates[i].availability_zone] == most)
                pool.push_back(i);

        // The rule that narrows the pool to one instance is the one that picked it.
        const char* rule = pool.size() == 1 ? "AZ balance" : nullptr;
        for (TerminationPolicy p : policies) {
            ranking.apply(p, pool);
            if (!rule && pool.size() == 1) rule = to_string(p);
        }
        if (!lists_default) {
            ranking.apply(TerminationPolicy::Default, pool);
            if (!rule && pool.size() == 1) rule = "Default";
        }
        keep_best(pool, [&](std::size_t i) { return tie_break_rank(tie_break_seed, i); });
        if (rules) rules->push_back(rule ? rule : "random among equals");

        const std::size_t pick = pool.front();
        taken[pick] = true;
        --in_zone[candidates[pick].availability_zone];
        chosen.push_back(pick);
    }
    return chosen;
}

// ---------------------------------------------------------------------------------------------
// Replacing unhealthy instances

int unhealthy_replacement_batch(int desired) {
    return std::max(1, desired / 10);
}

}  // namespace stratus::cloud
