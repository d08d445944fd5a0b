#pragma once
// An EC2 Auto Scaling group: it keeps its desired capacity, spread over its AZs, replaces
// unhealthy instances (EC2 and, with health_check_type ELB, the target groups' verdict after
// the grace period), scales when its policies, schedules or scheduled changes say so,
// terminates by its termination policies, and rebalances the AZs after one recovers. Every
// launch and termination is an activity with a cause in plain words (events.jsonl).
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/cloud/capacity_pools.hpp"
#include "sim/cloud/fleet.hpp"
#include "sim/cloud/run_observer.hpp"
#include "sim/cloud/spot_market.hpp"
#include "sim/cloud/target_group.hpp"
#include "sim/core/random.hpp"
#include "sim/core/simulation.hpp"
#include "sim/scenario/catalog.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

struct GroupLaunchSettings {
    const scenario::LaunchTemplateSpec* launch_template = nullptr;
    scenario::InstanceTypeInfo instance_type;
    const scenario::InstanceCatalog* catalog = nullptr;  // the types of a mixed instances policy
};

// Counts for summary.json's autoscaling section.
struct AutoScalingCounts {
    int activities = 0;  // launches and terminations
    int scale_out = 0;   // desired capacity raised (policy, schedule, action)
    int scale_in = 0;    // desired capacity lowered
    int unhealthy_replacements = 0;
    int spot_interruptions = 0;
    int insufficient_capacity = 0;  // launch attempts no pool had room for
};

// Who decides an instance's scale-in protection instead of the group's protect_from_scale_in:
// an ECS capacity provider with managed termination protection protects the container
// instances that run tasks (ecs_capacity.hpp).
class ScaleInProtection {
  public:
    virtual bool protected_from_scale_in(std::uint32_t instance) const = 0;

  protected:
    ~ScaleInProtection() = default;
};

// Who holds an instance the group terminates until it lets it go (a lifecycle hook in
// Terminating:Wait): ECS managed draining drains a container instance first
// (ecs_capacity.hpp) and then calls AutoScalingGroup::release_termination.
class TerminationHold {
  public:
    // True when the holder keeps `instance` for now.
    virtual bool hold_termination(std::uint32_t instance) = 0;

  protected:
    ~TerminationHold() = default;
};

class AutoScalingGroup final : public EventHandler, public DeregistrationListener {
  public:
    // How often the group looks at its instances' health and its capacity. AWS does not say
    // how often it polls; 10 s keeps detection within one ELB check interval.
    static constexpr SimTime kHealthPollInterval = 10 * kSecond;
    // A launch that fails with InsufficientInstanceCapacity is tried again after a back-off
    // that starts at the group's check interval and doubles with each failure up to 5 minutes
    // (AWS says the group keeps trying but gives no figures: docs/model.md, "Capacity pools").
    static constexpr SimTime kLaunchRetryFirst = 10 * kSecond;
    static constexpr SimTime kLaunchRetryMax = 5 * kMinute;

    AutoScalingGroup(int index, const scenario::AutoScalingGroupSpec& spec,
                     GroupLaunchSettings launch, std::vector<int> zones,
                     std::vector<TargetGroup*> target_groups, std::uint64_t seed, Simulation& sim,
                     Fleet& fleet, RunObserver& observer);

    const std::string& name() const { return spec_.name; }
    int index() const { return index_; }  // in the World's groups
    const scenario::AutoScalingGroupSpec& spec() const { return spec_; }
    int desired_capacity() const { return desired_; }
    int min_size() const { return min_size_; }
    int max_size() const { return max_size_; }
    // A desired capacity within [min, max], as set_desired_capacity clamps it.
    int clamped(int desired) const { return std::clamp(desired, min_size_, max_size_); }
    const std::vector<int>& zones() const { return zones_; }
    const std::vector<TargetGroup*>& target_groups() const { return target_groups_; }
    const AutoScalingCounts& counts() const { return counts_; }
    const GroupLaunchSettings& launch_settings() const { return launch_; }

    // Launches the initial desired capacity and starts the health and capacity checks.
    void start();

    // --- changes (policies, scheduled actions, [[action]] and the viewer)
    // Sets desired capacity, clamped to [min, max]; `cause` says who asked, in plain words.
    void set_desired_capacity(int desired, const std::string& cause);
    // A scheduled action: new limits and/or desired; limits not given are kept.
    void update_capacity(std::optional<int> min_size, std::optional<int> max_size,
                         std::optional<int> desired, const std::string& cause);
    void set_launch_template(GroupLaunchSettings launch);
    void set_health_check_grace_period(int seconds) { spec_.health_check_grace_period = seconds; }
    // Launches into an AZ fail while it is unavailable (an outage); rebalancing follows its
    // recovery.
    void set_zone_available(int zone, bool available);
    // Spot: the market the group's Spot Instances are priced and interrupted by.
    void set_spot_market(SpotMarket* market) { spot_market_ = market; }
    // ECS managed termination protection (null: the group's protect_from_scale_in).
    void set_scale_in_protection(const ScaleInProtection* p) { protection_ = p; }
    // ECS managed draining (null: an instance terminates at once).
    void set_termination_hold(TerminationHold* h) { hold_ = h; }
    // The holder lets a held instance go: its termination goes on.
    void release_termination(std::uint32_t instance);
    // The pools the run's instances share; a full pool refuses the launch.
    void set_capacity_pools(const CapacityPools* pools) { pools_ = pools; }
    // When the group next tries a launch after InsufficientInstanceCapacity (0: no back-off).
    SimTime next_launch_attempt() const { return next_launch_attempt_; }
    // Networking: no security group lets the load balancer reach this group's instances.
    void set_unreachable_from_load_balancer(bool closed) { unreachable_ = closed; }
    // A spot_interruption fault: EC2 interrupts `fraction` of the group's Spot Instances (at
    // least one) `lead` from now. With a lead of 2 minutes their notice comes now; with a longer
    // one a rebalance recommendation comes now (Capacity Rebalancing launches replacements at
    // once) and the notice 2 minutes before the interruption.
    void interrupt_spot(double fraction, RandomStream& rng, const std::string& cause,
                        SimTime lead = kSpotNotice);
    // TerminateInstanceInAutoScalingGroup without decrementing the desired capacity: the
    // instance is deregistered, drained and terminated, and a replacement launched. False
    // when `instance` is not one of the group's InService or Pending instances.
    bool terminate_instance(const std::string& instance, const std::string& cause);

    // --- what policies and metrics look at
    int in_service_count() const;
    int pending_count() const;
    // InService instances whose warm-up has ended.
    int warmed_in_service(SimTime warmup) const;
    // Pending instances, or InService ones still within `warmup`.
    bool any_warming(SimTime warmup) const;
    bool activity_in_progress() const;
    SimTime default_warmup() const;  // default_instance_warmup, else default_cooldown
    // How long after InService an instance is left out of the group's aggregated EC2
    // metrics (AWS: a warming instance does not count in them). The World sets it from the
    // group's step and target tracking policies (see World::World).
    void set_metrics_warmup(SimTime warmup) { metrics_warmup_ = warmup; }
    SimTime metrics_warmup() const { return metrics_warmup_; }
    // InService instances counted in the aggregated metrics now (their warm-up has ended).
    int metric_instances() const { return warmed_in_service(metrics_warmup_); }
    // For the viewer: when the simple scaling cooldown ends (0: none started), whether a
    // simple scaling activity is still running (its cooldown starts when it ends), and the
    // latest end of an InService instance's warm-up (kNever: none warming).
    SimTime simple_cooldown_until() const { return simple_cooldown_until_; }
    bool simple_cooldown_waiting() const { return simple_cooldown_pending_.has_value(); }
    SimTime warmup_ends(SimTime warmup) const;
    // Simple scaling: whether a simple policy may act now (the activity it started has
    // finished and its cooldown has passed), and the start of such an activity.
    bool simple_scaling_ready() const;
    void simple_scaling_started(int cooldown_seconds);

    void on_event(const Event& e) override;
    void on_deregistered(std::uint32_t instance) override;

  private:
    enum Kind : std::uint32_t {
        kBootDone = 1,
        kAppStarted = 2,
        kPoll = 3,
        kSpotRebalanceEvent = 4,
        kSpotNoticeEvent = 5,
        kSpotInterruptionEvent = 6,
        kLaunchRetry = 7
    };
    struct Member {
        std::uint32_t instance = 0;
        SimTime in_service_at = kNever;
        bool terminating = false;
        bool for_rebalance = false;
        bool spot_noticed = false;   // an interruption notice was sent
        bool spot_replaced = false;  // Capacity Rebalancing launched its replacement
        bool spot_at_risk = false;   // a wave's rebalance recommendation came; notice to follow
        bool replacement = false;    // launched to replace an unhealthy instance
        bool held = false;           // Terminating:Wait (TerminationHold)
        bool held_in_service = false;
    };

    // Performance: every query skips terminated instances, and a month-long run launches
    // thousands; members before live_begin() are all terminated (in launch order), so loops
    // start there. The first member whose instance is not terminated, or the end.
    std::size_t live_begin() const;
    // Performance: drops the members whose instance is terminated (at each health poll, when
    // no member is referenced), so a month's thousands of launches are not scanned.
    void compact_members();
    template <typename M>
    struct Range {
        M* first;
        M* last;
        M* begin() const { return first; }
        M* end() const { return last; }
    };
    Range<Member> live_members() {
        return {members_.data() + live_begin(), members_.data() + members_.size()};
    }
    Range<const Member> live_members() const {
        return {members_.data() + live_begin(), members_.data() + members_.size()};
    }

    void reconcile();
    // Which market and instance type the next launch in `zone` uses.
    bool next_launch_is_spot() const;
    // The group's active instances (Pending or InService, not leaving) by market.
    CapacitySplit market_counts() const;
    std::string spot_instance_type(int zone);
    // Where the next launch goes: the group's AZs that take launches, fewest instances first
    // (balanced-best-effort), and in each the first pool with room (On-Demand: the types in
    // their order of priority; Spot: the allocation strategy's choice). False when none has.
    // `rebalancing`: the AZ with the fewest instances only.
    struct Placement {
        int zone = -1;
        std::string instance_type;
    };
    bool place(const std::vector<int>& per_zone, bool spot, bool rebalancing, Placement& out);
    // The On-Demand types in order of priority (the mixed instances policy's, else the launch
    // template's).
    std::vector<std::string> on_demand_types() const;
    // A launch no pool had room for: the failed activity, and the back-off before the next.
    void launch_failed_for_capacity(const std::vector<int>& per_zone, bool spot,
                                    const std::string& cause);
    void send_spot_notice(Member& m, const std::string& cause);
    // Capacity Rebalancing's answer to a rebalance recommendation: a replacement launched now,
    // the old instance terminated once it is in service. False when the member is not in
    // service or already leaving.
    bool replace_at_risk(Member& m);
    void on_spot_interruption(std::uint32_t instance);
    // kBootDone: the instance is in service (and what that ends: a Spot instance it
    // replaces, an AZ rebalancing it was launched for).
    void on_boot_done(std::uint32_t instance);
    void end_replaced_spot_instance(const Instance& inst);
    void rebalance_after(Member& m, const Instance& inst);
    void check_health();
    // The health poll's usual case in one pass; false when check_health, reconcile or
    // rebalance could act (autoscaling.cpp).
    bool quiet_poll();
    void add_replacement_cause(const std::string& what);
    void rebalance();
    bool launch_one(const std::string& cause, bool for_rebalance);
    // The same with the AZ counts of active_per_zone(), which it updates.
    bool launch_one(const std::string& cause, bool for_rebalance, std::vector<int>& per_zone);
    // `rule`: for a scale-in, the termination rule that picked the instance (see
    // choose_instances_to_terminate); empty otherwise.
    void start_termination(Member& m, const std::string& cause, const std::string& rule = "");
    void scale_in(int count, const std::string& cause);
    // Scale-in among the On-Demand (market 0) or Spot (1) instances, or all (-1); false when
    // nothing could be chosen.
    bool scale_in_market(int count, const std::string& cause, int market);
    int choose_zone_for_launch(const std::vector<int>& per_zone) const;
    std::vector<int> active_per_zone() const;
    int active_count() const;
    void after_change();
    Member* member_of(std::uint32_t instance);
    std::string zone_name(int z) const { return fleet_.zone_name(z); }
    std::string capacity_cause() const;

    int index_;
    scenario::AutoScalingGroupSpec spec_;
    GroupLaunchSettings launch_;
    std::vector<int> zones_;
    std::vector<TargetGroup*> target_groups_;
    Simulation& sim_;
    Fleet& fleet_;
    RunObserver& observer_;
    RandomStream boot_stream_;
    RandomStream app_start_stream_;
    RandomStream termination_stream_;  // the Default policy's final random tie-break
    RandomStream spot_stream_;         // when EC2 interrupts each Spot Instance
    // Capacity Rebalancing: (replacement, instance it replaces).
    std::vector<std::pair<std::uint32_t, std::uint32_t>> replacement_for_;
    bool scale_in_blocked_logged_ = false;
    SpotMarket* spot_market_ = nullptr;
    const CapacityPools* pools_ = nullptr;
    const ScaleInProtection* protection_ = nullptr;
    TerminationHold* hold_ = nullptr;
    // The part of a termination after the hold: deregistration, then terminate.
    void deregister_and_terminate(Member& m, bool was_in_service);
    SimTime next_launch_attempt_ = 0;  // InsufficientInstanceCapacity: no launch before
    SimTime launch_backoff_ = 0;       // the last back-off (0: the last launch succeeded)
    int failed_launch_attempts_ = 0;   // consecutive
    std::string retry_cause_;          // the cause of the launch that failed, for its retries
    bool unreachable_ = false;

    int desired_ = 0;
    int min_size_ = 0;
    int max_size_ = 0;
    std::string desired_cause_;
    std::string replacement_cause_;     // for the launches that replace unhealthy instances
    std::vector<Member> members_;       // every instance the group launched, in launch order
    std::vector<char> zone_available_;  // by World zone index
    AutoScalingCounts counts_;
    bool launch_blocked_logged_ = false;
    std::optional<int> simple_cooldown_pending_;  // seconds, while its activity runs
    SimTime simple_cooldown_until_ = 0;
    SimTime metrics_warmup_ = 0;

    mutable std::size_t first_live_ = 0;  // see live_begin()
    std::vector<int> poll_per_zone_;      // quiet_poll()'s counts, kept to reuse the memory
    // Performance: bumped at every change of what quiet_poll() reads of the group (its members
    // and their flags, their lifecycle as the group sets it, the desired capacity, the AZs'
    // availability). A poll that found nothing to do finds nothing again while neither this nor
    // the fleet's state changes (Fleet::state_changes) moved and no target is unhealthy.
    std::uint64_t changes_ = 0;
    bool quiet_ = false;  // the last poll was quiet, at these two counts:
    std::uint64_t quiet_changes_ = 0, quiet_fleet_changes_ = 0;
};

}  // namespace stratus::cloud
