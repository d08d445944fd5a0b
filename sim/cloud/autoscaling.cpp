#include "sim/cloud/autoscaling.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/cloud/scaling_math.hpp"

namespace stratus::cloud {

AutoScalingGroup::AutoScalingGroup(int index, const scenario::AutoScalingGroupSpec& spec,
                                   GroupLaunchSettings launch, std::vector<int> zones,
                                   std::vector<TargetGroup*> target_groups, std::uint64_t seed,
                                   Simulation& sim, Fleet& fleet, RunObserver& observer)
    : index_(index),
      spec_(spec),
      launch_(std::move(launch)),
      zones_(std::move(zones)),
      target_groups_(std::move(target_groups)),
      sim_(sim),
      fleet_(fleet),
      observer_(observer),
      boot_stream_(seed, "boot/" + spec.name),
      app_start_stream_(seed, "app_start/" + spec.name),
      termination_stream_(seed, "termination/" + spec.name),
      spot_stream_(seed, "spot/interruption/" + spec.name),
      desired_(spec.desired_capacity),
      min_size_(spec.min_size),
      max_size_(spec.max_size),
      zone_available_(fleet.zone_names().size(), 1) {}

void AutoScalingGroup::start() {
    desired_cause_ = fmt::format("the group was created with desired capacity {}", desired_);
    reconcile();
    sim_.schedule_in(kHealthPollInterval, this, kPoll);
}

// ---------------------------------------------------------------------------------------------
// Queries

std::size_t AutoScalingGroup::live_begin() const {
    while (first_live_ < members_.size() &&
           fleet_[members_[first_live_].instance].lifecycle() == LifecycleState::Terminated)
        ++first_live_;
    return first_live_;
}

void AutoScalingGroup::compact_members() {
    // Only terminated instances go, in order: every query skips them anyway, and the group
    // holds no reference to a member between events (member_of() of a terminated instance
    // then says "not a member", which its callers treat as they treat a terminated one).
    members_.erase(std::remove_if(members_.begin(), members_.end(),
                                  [&](const Member& m) {
                                      return fleet_[m.instance].lifecycle() ==
                                             LifecycleState::Terminated;
                                  }),
                   members_.end());
    first_live_ = 0;
    ++changes_;  // see quiet_poll
}

int AutoScalingGroup::active_count() const {
    int n = 0;
    for (const Member& m : live_members()) {
        const auto s = fleet_[m.instance].lifecycle();
        if (!m.terminating && !m.for_rebalance && !m.spot_replaced &&
            (s == LifecycleState::Pending || s == LifecycleState::InService)) {
            ++n;
        }
    }
    return n;
}

std::vector<int> AutoScalingGroup::active_per_zone() const {
    std::vector<int> per_zone(fleet_.zone_names().size(), 0);
    for (const Member& m : live_members()) {
        const Instance& inst = fleet_[m.instance];
        const auto s = inst.lifecycle();
        // A Spot Instance Capacity Rebalancing is replacing is on its way out: its
        // replacement goes where the balance needs it (its own AZ, usually).
        if (!m.terminating && !m.spot_replaced &&
            (s == LifecycleState::Pending || s == LifecycleState::InService)) {
            ++per_zone[inst.config().availability_zone];
        }
    }
    return per_zone;
}

int AutoScalingGroup::in_service_count() const {
    int n = 0;
    for (const Member& m : live_members())
        if (!m.terminating && fleet_[m.instance].lifecycle() == LifecycleState::InService) ++n;
    return n;
}

int AutoScalingGroup::pending_count() const {
    int n = 0;
    for (const Member& m : live_members())
        if (fleet_[m.instance].lifecycle() == LifecycleState::Pending) ++n;
    return n;
}

int AutoScalingGroup::warmed_in_service(SimTime warmup) const {
    int n = 0;
    for (const Member& m : live_members()) {
        if (!m.terminating && fleet_[m.instance].lifecycle() == LifecycleState::InService &&
            sim_.now() - m.in_service_at >= warmup) {
            ++n;
        }
    }
    return n;
}

SimTime AutoScalingGroup::warmup_ends(SimTime warmup) const {
    SimTime latest = kNever;
    for (const Member& m : live_members()) {
        if (m.terminating || m.in_service_at == kNever) continue;
        const SimTime end = m.in_service_at + warmup;
        if (end > sim_.now() && (latest == kNever || end > latest)) latest = end;
    }
    return latest;
}

bool AutoScalingGroup::any_warming(SimTime warmup) const {
    for (const Member& m : live_members()) {
        if (m.terminating) continue;
        const auto s = fleet_[m.instance].lifecycle();
        if (s == LifecycleState::Pending) return true;
        if (s == LifecycleState::InService && sim_.now() - m.in_service_at < warmup) return true;
    }
    return false;
}

bool AutoScalingGroup::activity_in_progress() const {
    for (const Member& m : live_members()) {
        const auto s = fleet_[m.instance].lifecycle();
        if (s == LifecycleState::Pending || s == LifecycleState::Terminating) return true;
    }
    return false;
}

SimTime AutoScalingGroup::default_warmup() const {
    return (spec_.default_instance_warmup ? *spec_.default_instance_warmup
                                          : spec_.default_cooldown) *
           kSecond;
}

bool AutoScalingGroup::simple_scaling_ready() const {
    return !simple_cooldown_pending_ && sim_.now() >= simple_cooldown_until_;
}

void AutoScalingGroup::simple_scaling_started(int cooldown_seconds) {
    simple_cooldown_pending_ = cooldown_seconds;
}

AutoScalingGroup::Member* AutoScalingGroup::member_of(std::uint32_t instance) {
    // Members are in launch order, and the fleet numbers instances in launch order: a binary
    // search (a group of thousands looked each one up in a scan per event: quadratic).
    auto it = std::lower_bound(members_.begin(), members_.end(), instance,
                               [](const Member& m, std::uint32_t i) { return m.instance < i; });
    return it != members_.end() && it->instance == instance ? &*it : nullptr;
}

// ---------------------------------------------------------------------------------------------
// Changes

void AutoScalingGroup::set_desired_capacity(int desired, const std::string& cause) {
    desired = clamped(desired);
    if (desired == desired_) return;
    observer_.log(sim_.now(), event::DesiredCapacityChanged{spec_.name, desired_, desired, cause});
    if (desired > desired_) {
        ++counts_.scale_out;
    } else {
        ++counts_.scale_in;
    }
    desired_cause_ =
        fmt::format("{}, changing the desired capacity from {} to {}", cause, desired_, desired);
    scale_in_blocked_logged_ = false;
    desired_ = desired;
    ++changes_;  // see quiet_poll
    reconcile();
}

void AutoScalingGroup::update_capacity(std::optional<int> min_size, std::optional<int> max_size,
                                       std::optional<int> desired, const std::string& cause) {
    if (min_size) min_size_ = *min_size;
    if (max_size) max_size_ = *max_size;
    if (max_size_ < min_size_) max_size_ = min_size_;
    // New limits pull desired capacity inside them, as AWS does.
    set_desired_capacity(desired ? *desired : std::clamp(desired_, min_size_, max_size_), cause);
    reconcile();
}

void AutoScalingGroup::set_launch_template(GroupLaunchSettings launch) {
    observer_.log(sim_.now(), event::LaunchTemplateChanged{spec_.name, launch.launch_template->name,
                                                           launch.launch_template->version,
                                                           launch.instance_type.name});
    launch_ = std::move(launch);
}

void AutoScalingGroup::set_zone_available(int zone, bool available) {
    zone_available_[zone] = available ? 1 : 0;
    ++changes_;  // see quiet_poll
    if (available) {
        launch_blocked_logged_ = false;
        // An AZ back in service may have room: the group tries at once.
        next_launch_attempt_ = 0;
        launch_backoff_ = 0;
    }
    reconcile();
}

// ---------------------------------------------------------------------------------------------
// Capacity

std::string AutoScalingGroup::capacity_cause() const {
    return fmt::format(
        "an instance was started in response to a difference between desired and actual "
        "capacity: {}",
        desired_cause_);
}

int AutoScalingGroup::choose_zone_for_launch(const std::vector<int>& per_zone) const {
    // The AZ with the fewest instances among those taking launches; ties go to the AZ listed
    // first. A failed AZ is skipped (balanced-best-effort).
    int best = -1;
    for (int z : zones_) {
        if (!zone_available_[z]) continue;
        if (best < 0 || per_zone[z] < per_zone[best]) best = z;
    }
    return best;
}

bool AutoScalingGroup::launch_one(const std::string& cause, bool for_rebalance) {
    std::vector<int> per_zone = active_per_zone();
    return launch_one(cause, for_rebalance, per_zone);
}

std::vector<std::string> AutoScalingGroup::on_demand_types() const {
    if (spec_.mixed_instances_policy && !spec_.mixed_instances_policy->instance_types.empty())
        return spec_.mixed_instances_policy->instance_types;
    return {launch_.instance_type.name};
}

bool AutoScalingGroup::place(const std::vector<int>& per_zone, bool spot, bool rebalancing,
                             Placement& out) {
    std::vector<int> order;
    for (int z : zones_)
        if (zone_available_[z]) order.push_back(z);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return per_zone[a] < per_zone[b]; });
    // A rebalancing launch is for the AZ with the fewest instances only: elsewhere it would
    // unbalance the group further (and the termination it leads to would follow it forever).
    if (rebalancing && order.size() > 1) order.resize(1);
    for (int z : order) {
        if (spot) {
            std::string name = spot_instance_type(z);
            if (name.empty()) continue;
            out = Placement{z, std::move(name)};
            return true;
        }
        // On-Demand, prioritized: the first type in the list with room in this AZ.
        for (const std::string& t : on_demand_types()) {
            if (pools_ && !pools_->has_room(t, z, false)) continue;
            out = Placement{z, t};
            return true;
        }
    }
    return false;
}

void AutoScalingGroup::launch_failed_for_capacity(const std::vector<int>& per_zone, bool spot,
                                                  const std::string& cause) {
    // The launch the group tried first: its first AZ and its first type there.
    const int zone = choose_zone_for_launch(per_zone);
    const std::string type = spot && spec_.mixed_instances_policy &&
                                     !spec_.mixed_instances_policy->instance_types.empty()
                                 ? spec_.mixed_instances_policy->instance_types.front()
                                 : on_demand_types().front();
    std::string message;
    if (spot) {
        message = "There is no Spot capacity available that matches your request.";
    } else {
        // EC2 names the AZs where the type has room (those of the Region, not only the
        // group's), so the user can see whether another AZ would have helped.
        std::string elsewhere;
        for (int z = 0; z < static_cast<int>(fleet_.zone_names().size()); ++z) {
            if (z == zone || !zone_available_[z] || (pools_ && !pools_->has_room(type, z, false)))
                continue;
            elsewhere += (elsewhere.empty() ? "" : ", ") + zone_name(z);
        }
        message = fmt::format(
            "We currently do not have sufficient {} capacity in the Availability Zone you "
            "requested ({}). Our system will be working on provisioning additional capacity.",
            type, zone_name(zone));
        if (!elsewhere.empty())
            message += fmt::format(
                " You can currently get {} capacity by not specifying an Availability Zone in "
                "your request or choosing {}.",
                type, elsewhere);
    }
    ++failed_launch_attempts_;
    ++counts_.insufficient_capacity;
    retry_cause_ = cause;
    launch_backoff_ =
        launch_backoff_ == 0 ? kLaunchRetryFirst : std::min(2 * launch_backoff_, kLaunchRetryMax);
    next_launch_attempt_ = sim_.now() + launch_backoff_;
    sim_.schedule_at(next_launch_attempt_, this, kLaunchRetry);
    observer_.log(sim_.now(), event::AutoScalingActivityFailed{
                                  spec_.name,
                                  "Launching a new EC2 instance.  Status Reason: " + message +
                                      " Launching EC2 instance failed.",
                                  cause, message, type, zone_name(zone), spot,
                                  failed_launch_attempts_, to_seconds(next_launch_attempt_)});
}

bool AutoScalingGroup::launch_one(const std::string& cause, bool for_rebalance,
                                  std::vector<int>& per_zone) {
    // After InsufficientInstanceCapacity the group waits out its back-off.
    if (sim_.now() < next_launch_attempt_) return false;
    if (choose_zone_for_launch(per_zone) < 0) {
        if (!launch_blocked_logged_) {
            observer_.log(sim_.now(),
                          event::LaunchFailed{spec_.name,
                                              "no Availability Zone of the group takes launches"});
            launch_blocked_logged_ = true;
        }
        return false;
    }
    const scenario::LaunchTemplateSpec& lt = *launch_.launch_template;
    // A mixed instances policy decides the market, and for Spot the pool (type) by its
    // allocation strategy; otherwise the launch template's type on demand. A full pool sends
    // the launch to the next type, then the next AZ.
    const bool spot = spec_.mixed_instances_policy && next_launch_is_spot();
    Placement where;
    if (!place(per_zone, spot, for_rebalance, where)) {
        // A rebalancing launch that finds no room waits for the next check quietly: its
        // failure would hold back, by the back-off, the launches the group needs.
        if (!for_rebalance) launch_failed_for_capacity(per_zone, spot, cause);
        return false;
    }
    const int zone = where.zone;
    scenario::InstanceTypeInfo type = launch_.instance_type;
    if (spec_.mixed_instances_policy && launch_.catalog) {
        if (const scenario::InstanceTypeInfo* t = launch_.catalog->find(where.instance_type))
            type = *t;
    }
    launch_backoff_ = 0;
    failed_launch_attempts_ = 0;
    retry_cause_.clear();
    InstanceConfig cfg;
    cfg.instance_type = type.name;
    cfg.availability_zone = zone;
    cfg.group = index_;
    cfg.launch_template = lt.name;
    cfg.launch_template_version = lt.version;
    cfg.vcpu = type.vcpu;
    cfg.speed = type.speed;
    cfg.workers = type.vcpu * lt.workers_per_vcpu;
    cfg.max_queue = lt.max_queue;
    cfg.type = type;
    cfg.spot = spot;
    cfg.ebs_gb = lt.ebs_gb;
    cfg.public_ipv4 = lt.associate_public_ip_address;
    if (!lt.iam_instance_profile.empty())
        cfg.iam_principal = "instance-profile/" + lt.iam_instance_profile;
    // The group's tags propagate to its instances, over the launch template's.
    cfg.tags = lt.tags;
    for (const auto& [k, v] : spec_.tags)
        cfg.tags[k] = v;
    Instance& inst = fleet_.create(std::move(cfg));
    inst.launch();
    if (unreachable_) inst.set_reachable(false);
    launch_blocked_logged_ = false;
    Member m;
    m.instance = inst.index();
    m.for_rebalance = for_rebalance;
    members_.push_back(m);
    ++changes_;        // see quiet_poll
    ++per_zone[zone];  // what active_per_zone() now counts: one more Pending instance here
    ++counts_.activities;
    observer_.log(sim_.now(), event::AutoScalingActivity{
                                  spec_.name, "Launching a new EC2 instance: " + inst.name(), cause,
                                  inst.name(), zone_name(zone), "",
                                  event::AutoScalingActivity::Launch{inst.config().instance_type,
                                                                     spot, lt.name, lt.version}});
    sim_.schedule_in(boot_stream_.sample(lt.boot_time), this, kBootDone, inst.index());
    if (spot && spot_market_) {
        // When EC2 will interrupt it, drawn now from the pool's rate: a rebalance
        // recommendation, the 2-minute notice, then the interruption.
        const double rate = spot_market_->monthly_rate(type.name, zone_name(zone));
        const SpotInterruption next =
            SpotInterruptionProcess(rate).next_interruption(sim_.now(), spot_stream_);
        if (next.notice != kNever) {
            if (spec_.capacity_rebalance)
                sim_.schedule_at(next.rebalance_recommendation, this, kSpotRebalanceEvent,
                                 inst.index());
            sim_.schedule_at(next.notice, this, kSpotNoticeEvent, inst.index());
        }
    }
    return true;
}

CapacitySplit AutoScalingGroup::market_counts() const {
    CapacitySplit counts;
    for (const Member& m : live_members()) {
        const Instance& inst = fleet_[m.instance];
        const auto s = inst.lifecycle();
        if (m.terminating || m.for_rebalance || m.spot_replaced ||
            (s != LifecycleState::Pending && s != LifecycleState::InService)) {
            continue;
        }
        (inst.config().spot ? counts.spot : counts.on_demand)++;
    }
    return counts;
}

bool AutoScalingGroup::next_launch_is_spot() const {
    const auto& mip = *spec_.mixed_instances_policy;
    const auto [on_demand, spot] = market_counts();
    const CapacitySplit target =
        split_capacity(std::max(desired_, on_demand + spot + 1), mip.on_demand_base_capacity,
                       mip.on_demand_percentage_above_base_capacity);
    return on_demand >= target.on_demand;
}

std::string AutoScalingGroup::spot_instance_type(int zone) {
    const auto& mip = *spec_.mixed_instances_policy;
    std::vector<std::string> types = mip.instance_types;
    if (types.empty()) types.push_back(launch_.instance_type.name);
    if (!spot_market_)
        return pools_ && !pools_->has_room(types.front(), zone, true) ? "" : types.front();
    std::vector<SpotCandidate> candidates;
    for (const auto& t : types) {
        SpotCandidate c;
        c.instance_type = t;
        c.price = spot_market_->price_at(t, zone_name(zone), sim_.now());
        c.monthly_rate = spot_market_->monthly_rate(t, zone_name(zone));
        for (const Member& m : live_members()) {
            const Instance& inst = fleet_[m.instance];
            if (inst.config().spot && inst.config().instance_type == t &&
                inst.config().availability_zone == zone &&
                inst.state() != InstanceState::Terminated) {
                ++c.running;
            }
        }
        // A pool without room (every group's Spot Instances count) cannot take the launch.
        if (pools_ && !pools_->has_room(t, zone, true)) continue;
        candidates.push_back(std::move(c));
    }
    if (candidates.empty()) return "";
    return candidates[choose_spot_pool(mip.spot_allocation_strategy, candidates,
                                       mip.spot_instance_pools)]
        .instance_type;
}

void AutoScalingGroup::interrupt_spot(double fraction, RandomStream& rng, const std::string& cause,
                                      SimTime lead) {
    // Instances, not members: a replacement's launch grows members_ (and the fleet).
    std::vector<std::uint32_t> spot;
    for (const Member& m : live_members()) {
        const Instance& inst = fleet_[m.instance];
        if (!m.terminating && !m.spot_noticed && !m.spot_at_risk && inst.config().spot &&
            inst.state() != InstanceState::Terminated) {
            spot.push_back(m.instance);
        }
    }
    if (spot.empty()) return;
    const int count = std::max(
        1, static_cast<int>(std::ceil(fraction * static_cast<double>(spot.size()) - 1e-9)));
    for (int k = 0; k < count && !spot.empty(); ++k) {
        const std::size_t pick = rng.below(spot.size());
        const std::uint32_t instance = spot[pick];
        spot.erase(spot.begin() + static_cast<std::ptrdiff_t>(pick));
        Member* m = member_of(instance);
        if (!m) continue;
        if (lead <= kSpotNotice) {
            send_spot_notice(*m, cause);
            continue;
        }
        // EC2 signals the elevated risk first, whether or not the group acts on it.
        m->spot_at_risk = true;
        observer_.log(sim_.now(),
                      event::SpotRebalanceRecommendation{
                          spec_.name, fleet_[instance].name(),
                          event::SpotRebalanceRecommendation::Wave{
                              to_seconds(sim_.now() + lead), spec_.capacity_rebalance, cause}});
        if (spec_.capacity_rebalance) replace_at_risk(*m);
        sim_.schedule_in(lead - kSpotNotice, this, kSpotNoticeEvent, instance);
    }
}

bool AutoScalingGroup::replace_at_risk(Member& m) {
    if (m.terminating || m.spot_replaced ||
        fleet_[m.instance].lifecycle() != LifecycleState::InService)
        return false;
    m.spot_replaced = true;
    ++changes_;  // see quiet_poll
    // `m` and the fleet's references may move when the replacement launches: copy first.
    const std::uint32_t old = m.instance;
    const std::string cause = fmt::format(
        "Capacity Rebalancing: EC2 recommends rebalancing Spot "
        "instance {}; a replacement is launched first",
        fleet_[old].name());
    replacement_for_.emplace_back(0, old);
    if (!launch_one(cause, false)) {
        // No room (or no AZ): the instance stays until its notice; the group replaces it then.
        replacement_for_.pop_back();
        if (Member* again = member_of(old)) {
            again->spot_replaced = false;
            ++changes_;  // see quiet_poll
        }
        return false;
    }
    replacement_for_.back().first = static_cast<std::uint32_t>(members_.back().instance);
    return true;
}

void AutoScalingGroup::send_spot_notice(Member& m, const std::string& cause) {
    if (m.spot_noticed) return;
    m.spot_noticed = true;
    const Instance& inst = fleet_[m.instance];
    observer_.log(sim_.now(), event::SpotInterruptionNotice{
                                  spec_.name, inst.name(), inst.config().instance_type,
                                  zone_name(inst.config().availability_zone),
                                  to_seconds(sim_.now() + kSpotNotice), cause});
    sim_.schedule_in(kSpotNotice, this, kSpotInterruptionEvent, m.instance);
}

void AutoScalingGroup::on_spot_interruption(std::uint32_t instance) {
    Member* m = member_of(instance);
    Instance& inst = fleet_[instance];
    if (!m || inst.state() == InstanceState::Terminated) return;
    // EC2 takes the instance back: it is gone, whatever the group was doing with it. The
    // group sees it missing at its next check and launches a replacement.
    const bool was_in_service = inst.lifecycle() == LifecycleState::InService;
    if (was_in_service && !m->terminating) fleet_.count_in_service(-1);
    m->terminating = true;
    ++changes_;  // see quiet_poll
    ++counts_.spot_interruptions;
    fleet_.count_spot_interruption();
    observer_.log(sim_.now(),
                  event::SpotInterruption{spec_.name, inst.name(), inst.config().instance_type,
                                          zone_name(inst.config().availability_zone)});
    inst.set_lifecycle(LifecycleState::Terminating);
    inst.mark_spot_interrupted();
    inst.terminate();
    fleet_.count_terminated();
    observer_.log(sim_.now(), event::InstanceTerminated{spec_.name, inst.name()});
    for (TargetGroup* tg : target_groups_)
        tg->deregister_target(instance, this);
    add_replacement_cause(fmt::format("{} (Spot interruption)", inst.name()));
    reconcile();
}

void AutoScalingGroup::start_termination(Member& m, const std::string& cause,
                                         const std::string& rule) {
    if (m.terminating) return;
    m.terminating = true;
    ++changes_;  // see quiet_poll
    Instance& inst = fleet_[m.instance];
    const bool was_in_service = inst.lifecycle() == LifecycleState::InService;
    inst.set_lifecycle(LifecycleState::Terminating);
    if (was_in_service) fleet_.count_in_service(-1);
    ++counts_.activities;
    observer_.log(sim_.now(),
                  event::AutoScalingActivity{
                      spec_.name, "Terminating EC2 instance: " + inst.name(), cause, inst.name(),
                      zone_name(inst.config().availability_zone), rule, std::nullopt});
    if (hold_ && hold_->hold_termination(m.instance)) {
        m.held = true;
        m.held_in_service = was_in_service;
        return;
    }
    deregister_and_terminate(m, was_in_service);
}

void AutoScalingGroup::release_termination(std::uint32_t instance) {
    Member* m = member_of(instance);
    if (!m || !m->held) return;
    m->held = false;
    deregister_and_terminate(*m, m->held_in_service);
}

// Deregistered (draining) first, then terminated when every target group lets it go.
void AutoScalingGroup::deregister_and_terminate(Member& m, bool was_in_service) {
    if (was_in_service && !target_groups_.empty()) {
        for (TargetGroup* tg : target_groups_)
            tg->deregister_target(m.instance, this);
    } else {
        on_deregistered(m.instance);
    }
}

void AutoScalingGroup::on_deregistered(std::uint32_t instance) {
    Member* m = member_of(instance);
    if (!m) return;
    // Wait until every target group has let it go.
    for (TargetGroup* tg : target_groups_) {
        const auto s = tg->state_of(instance);
        if (s != TargetHealthState::Unused) return;
    }
    Instance& inst = fleet_[instance];
    if (inst.lifecycle() == LifecycleState::Terminated) return;
    inst.terminate();
    fleet_.count_terminated();
    observer_.log(sim_.now(), event::InstanceTerminated{spec_.name, inst.name()});
    after_change();
}

void AutoScalingGroup::scale_in(int count, const std::string& cause) {
    if (spec_.mixed_instances_policy && count > 0) {
        // Mixed instances groups first decide whether a Spot or an On-Demand instance goes,
        // keeping the remainder closest to the distribution (the Auto Scaling User Guide on
        // instances distribution; docs/model.md), one at a time.
        const auto& mip = *spec_.mixed_instances_policy;
        for (int k = 0; k < count; ++k) {
            const auto [on_demand, spot] = market_counts();
            const CapacitySplit target =
                split_capacity(std::max(0, on_demand + spot - 1), mip.on_demand_base_capacity,
                               mip.on_demand_percentage_above_base_capacity);
            const int market = on_demand - target.on_demand > spot - target.spot ? 0 : 1;
            if (!scale_in_market(1, cause, market) && !scale_in_market(1, cause, 1 - market)) {
                break;
            }
        }
        return;
    }
    scale_in_market(count, cause, -1);
}

bool AutoScalingGroup::scale_in_market(int count, const std::string& cause, int market) {
    std::vector<TerminationCandidate> candidates;
    std::vector<std::size_t> member_index;
    const std::string current = launch_.launch_template->name;
    for (std::size_t i = live_begin(); i < members_.size(); ++i) {
        const Member& m = members_[i];
        const Instance& inst = fleet_[m.instance];
        const auto s = inst.lifecycle();
        if (m.terminating || m.for_rebalance ||
            (s != LifecycleState::Pending && s != LifecycleState::InService)) {
            continue;
        }
        if (market >= 0 && inst.config().spot != (market == 1)) continue;
        TerminationCandidate c;
        c.availability_zone = inst.config().availability_zone;
        c.launch_time = inst.launched_at();
        c.launch_template = inst.config().launch_template;
        c.launch_template_version = inst.config().launch_template_version;
        c.current = c.launch_template == current &&
                    c.launch_template_version == launch_.launch_template->version;
        const SimTime since = sim_.now() - inst.launched_at();
        c.seconds_into_billing_hour = to_seconds(since % kHour);
        c.protected_from_scale_in = protection_ ? protection_->protected_from_scale_in(m.instance)
                                                : spec_.protect_from_scale_in;
        c.lifecycle = s;
        candidates.push_back(std::move(c));
        member_index.push_back(i);
    }
    const std::uint64_t seed = static_cast<std::uint64_t>(termination_stream_.below(UINT64_MAX));
    std::vector<std::string> rules;
    const auto chosen = choose_instances_to_terminate(candidates, count, spec_.termination_policies,
                                                      current, seed, &rules);
    if (chosen.empty() && count > 0 && market < 0 && !scale_in_blocked_logged_) {
        scale_in_blocked_logged_ = true;
        observer_.log(sim_.now(),
                      event::ScaleInBlocked{spec_.name,
                                            "Could not scale to desired capacity because all "
                                            "remaining instances are protected from scale-in"});
    }
    for (std::size_t n = 0; n < chosen.size(); ++n) {
        start_termination(members_[member_index[chosen[n]]],
                          fmt::format("an instance was taken out of service in response to a "
                                      "difference between desired and actual capacity: {}",
                                      cause),
                          rules[n]);
    }
    return !chosen.empty();
}

void AutoScalingGroup::reconcile() {
    const int active = active_count();
    if (active < desired_) {
        // A retry after InsufficientInstanceCapacity keeps the cause of the launch it retries.
        const std::string cause =
            !replacement_cause_.empty()
                ? "an instance was started in response to an unhealthy instance needing "
                  "replacement: " +
                      replacement_cause_
            : !retry_cause_.empty() ? retry_cause_
                                    : capacity_cause();
        // The AZ counts once, updated by each launch (not recounted per launch: quadratic).
        std::vector<int> per_zone = active_per_zone();
        for (int i = active; i < desired_; ++i) {
            if (!launch_one(cause, false, per_zone)) break;
            if (!replacement_cause_.empty()) members_.back().replacement = true;
        }
    } else if (active > desired_) {
        // Pending instances are not terminated by a scale-in: the surplus is taken from the
        // InService ones now, down to desired, and the rest once the others are in service.
        int in_service = 0;
        for (const Member& m : live_members()) {
            if (!m.terminating && !m.for_rebalance && !m.spot_replaced &&
                fleet_[m.instance].lifecycle() == LifecycleState::InService) {
                ++in_service;
            }
        }
        const int now = std::min(active - desired_, std::max(0, in_service - desired_));
        if (now > 0) scale_in(now, desired_cause_);
    }
    replacement_cause_.clear();
    after_change();
}

void AutoScalingGroup::after_change() {
    // A simple policy's cooldown starts when its activity has finished.
    if (simple_cooldown_pending_ && !activity_in_progress()) {
        simple_cooldown_until_ = sim_.now() + *simple_cooldown_pending_ * kSecond;
        simple_cooldown_pending_.reset();
    }
}

// ---------------------------------------------------------------------------------------------
// Health and rebalancing

void AutoScalingGroup::add_replacement_cause(const std::string& what) {
    replacement_cause_ += (replacement_cause_.empty() ? "" : ", ") + what;
}

void AutoScalingGroup::check_health() {
    const SimTime grace = spec_.health_check_grace_period * kSecond;
    // ELB-unhealthy instances are replaced at most 10 % of desired capacity at a time; after
    // each batch the group waits for the replacements' first health check and the default
    // instance warm-up (the Auto Scaling User Guide on health checks; docs/model.md).
    int replacing = 0;
    for (const Member& m : live_members()) {
        if (!m.replacement || m.terminating) continue;
        const Instance& inst = fleet_[m.instance];
        if (inst.lifecycle() == LifecycleState::Pending) {
            ++replacing;
        } else if (inst.lifecycle() == LifecycleState::InService) {
            // Waiting for its initial health check: registered, and not yet checked once.
            // Performance: looked up by instance, not by a walk over every target the group
            // ever registered (a month of replacements made each poll's walk grow with it).
            bool checked = true;
            for (const TargetGroup* tg : target_groups_)
                if (tg->awaiting_first_check(inst.index())) checked = false;
            const SimTime warmup =
                spec_.default_instance_warmup ? *spec_.default_instance_warmup * kSecond : 0;
            if (!checked || sim_.now() - m.in_service_at < warmup) ++replacing;
        }
    }
    const int batch = unhealthy_replacement_batch(desired_);
    for (Member& m : live_members()) {
        if (m.terminating) continue;
        Instance& inst = fleet_[m.instance];
        if (inst.lifecycle() == LifecycleState::Pending && inst.state() == InstanceState::Stopped) {
            // Lost before it booted (its AZ lost power): the launch failed; replace it.
            start_termination(m, fmt::format("instance {} stopped before it was in service (its "
                                             "Availability Zone failed): it is replaced",
                                             inst.name()));
            continue;
        }
        if (inst.lifecycle() != LifecycleState::InService) continue;
        // EC2 check: an instance that is not running is unhealthy at once, grace or not.
        if (inst.state() != InstanceState::Running) {
            ++counts_.unhealthy_replacements;
            observer_.log(sim_.now(),
                          event::InstanceUnhealthy{
                              spec_.name, inst.name(), scenario::HealthCheckType::EC2,
                              std::string("the instance is ") + to_string(inst.state())});
            start_termination(m, fmt::format("an EC2 health check found instance {} {}: it is "
                                             "terminated and replaced",
                                             inst.name(), to_string(inst.state())));
            add_replacement_cause(fmt::format("{} ({} health check)", inst.name(), "EC2"));
            continue;
        }
        if (spec_.health_check_type != scenario::HealthCheckType::ELB) continue;
        if (sim_.now() - m.in_service_at < grace) continue;
        const TargetGroup* unhealthy_in = nullptr;
        for (const TargetGroup* tg : target_groups_) {
            if (tg->state_of(inst.index()) == TargetHealthState::Unhealthy) unhealthy_in = tg;
        }
        if (!unhealthy_in || replacing >= batch) continue;
        ++replacing;
        ++counts_.unhealthy_replacements;
        observer_.log(sim_.now(), event::InstanceUnhealthy{spec_.name, inst.name(),
                                                           scenario::HealthCheckType::ELB,
                                                           "target group " + unhealthy_in->name() +
                                                               " reports the target unhealthy"});
        add_replacement_cause(fmt::format("{} (ELB health check)", inst.name()));
        start_termination(
            m, fmt::format("an ELB health check failed: target group {} reports instance {} "
                           "unhealthy after the {} s grace period; it is terminated and replaced",
                           unhealthy_in->name(), inst.name(), spec_.health_check_grace_period));
    }
}

bool AutoScalingGroup::quiet_poll() {
    // Performance: the health poll runs every 10 s, and in a long run almost every poll finds
    // nothing to do: no instance to replace, capacity as desired, the AZs balanced. Its four
    // steps (compact_members, check_health, reconcile, rebalance) went over the members six
    // times; this one pass drops the terminated members as compact_members does and settles
    // that case. Whenever any step could act, it returns false and the four run as before.
    std::vector<int>& per_zone = poll_per_zone_;
    per_zone.assign(fleet_.zone_names().size(), 0);
    int active = 0;
    bool activity = false;
    // Performance: a target group with no target in the unhealthy state (its count, kept at
    // every state change) reports none of the members unhealthy, so the members are not
    // looked up in it (a month's poll looked up ~100 members every 10 s).
    bool elb_unhealthy = false;
    if (spec_.health_check_type == scenario::HealthCheckType::ELB)
        for (const TargetGroup* tg : target_groups_)
            elb_unhealthy = elb_unhealthy || tg->unhealthy_count() > 0;
    // Performance: nothing the loop below reads has changed since the last poll, which was
    // quiet (without an unhealthy target the loop does not depend on the time): quiet again.
    if (quiet_ && !elb_unhealthy && changes_ == quiet_changes_ &&
        fleet_.state_changes() == quiet_fleet_changes_) {
        replacement_cause_.clear();
        after_change();
        return true;
    }
    quiet_ = false;
    const SimTime grace = spec_.health_check_grace_period * kSecond;
    bool acts = false;  // check_health would act: the loop still drops the terminated
    std::size_t kept = 0;
    for (std::size_t k = 0; k < members_.size(); ++k) {
        const Member& m = members_[k];
        const Instance& inst = fleet_[m.instance];
        const LifecycleState s = inst.lifecycle();
        if (s == LifecycleState::Terminated) continue;
        if (kept != k) members_[kept] = m;
        ++kept;
        if (s == LifecycleState::Pending || s == LifecycleState::Terminating) activity = true;
        const bool pending_or_in = s == LifecycleState::Pending || s == LifecycleState::InService;
        if (!m.terminating && !m.spot_replaced && pending_or_in)
            ++per_zone[inst.config().availability_zone];
        if (!m.terminating && !m.for_rebalance && !m.spot_replaced && pending_or_in) ++active;
        if (m.terminating || acts) continue;
        // What check_health acts on: an instance lost before it booted, one not running, one
        // a target group reports unhealthy after the grace period.
        if (s == LifecycleState::Pending && inst.state() == InstanceState::Stopped) acts = true;
        if (s != LifecycleState::InService) continue;
        if (inst.state() != InstanceState::Running) acts = true;
        if (!elb_unhealthy || sim_.now() - m.in_service_at < grace) continue;
        for (const TargetGroup* tg : target_groups_)
            if (tg->state_of(inst.index()) == TargetHealthState::Unhealthy) acts = true;
    }
    members_.resize(kept);
    first_live_ = 0;
    if (acts || active != desired_) return false;  // check_health or reconcile acts
    // rebalance() acts only when no activity is in progress, every AZ is available and the
    // fullest AZ has at least two more than the emptiest.
    if (!activity) {
        bool available = true;
        for (int z : zones_)
            available = available && zone_available_[z];
        if (available) {
            int lo = zones_.front(), hi = zones_.front();
            for (int z : zones_) {
                if (per_zone[z] < per_zone[lo]) lo = z;
                if (per_zone[z] > per_zone[hi]) hi = z;
            }
            if (per_zone[hi] - per_zone[lo] >= 2) return false;
        }
    }
    // What reconcile does when the capacity is as desired.
    replacement_cause_.clear();
    after_change();
    quiet_ = true;
    quiet_changes_ = changes_;
    quiet_fleet_changes_ = fleet_.state_changes();
    return true;
}

void AutoScalingGroup::rebalance() {
    // After an AZ recovers (or instances were lost unevenly), launch in the AZ with the fewest
    // instances first, then terminate in the one with the most: launch before terminate, with
    // at most max(10 % of max_size, 1) extra instances at a time.
    if (activity_in_progress()) return;
    for (int z : zones_)
        if (!zone_available_[z]) return;
    const std::vector<int> per_zone = active_per_zone();
    int lo = zones_.front(), hi = zones_.front();
    for (int z : zones_) {
        if (per_zone[z] < per_zone[lo]) lo = z;
        if (per_zone[z] > per_zone[hi]) hi = z;
    }
    if (per_zone[hi] - per_zone[lo] < 2) return;
    const int allowance = std::max(1, max_size_ / 10);
    const int moves = std::min(allowance, (per_zone[hi] - per_zone[lo]) / 2);
    std::string counts_text;
    for (int z : zones_) {
        if (!counts_text.empty()) counts_text += ", ";
        counts_text += fmt::format("{} has {}", zone_name(z), per_zone[z]);
    }
    for (int i = 0; i < moves; ++i) {
        launch_one(fmt::format("rebalancing the Availability Zones ({}): launching before "
                               "terminating",
                               counts_text),
                   true);
    }
}

// EC2 status checks pass: InService, registered with the target groups; the application
// starts on its own time.
void AutoScalingGroup::on_boot_done(std::uint32_t instance) {
    Instance& inst = fleet_[instance];
    Member* m = member_of(instance);
    if (!m || m->terminating || inst.state() != InstanceState::Pending) return;
    inst.boot_done();
    inst.set_lifecycle(LifecycleState::InService);
    ++changes_;  // see quiet_poll
    m->in_service_at = sim_.now();
    inst.set_group_metrics_from(sim_.now() + metrics_warmup_);
    fleet_.count_in_service(+1);
    observer_.log(sim_.now(), event::InstanceInService{inst.name(), spec_.name});
    for (TargetGroup* tg : target_groups_)
        tg->register_target(inst.index());
    const auto& lt = *launch_.launch_template;
    sim_.schedule_in(app_start_stream_.sample(lt.app_start_time), this, kAppStarted, inst.index());
    end_replaced_spot_instance(inst);
    if (m->for_rebalance) rebalance_after(*m, inst);
    after_change();
}

// Capacity Rebalancing: a replacement is in service; the old Spot instance it replaces goes
// (unless EC2 took it already).
void AutoScalingGroup::end_replaced_spot_instance(const Instance& inst) {
    for (auto it = replacement_for_.begin(); it != replacement_for_.end(); ++it) {
        if (it->first != inst.index()) continue;
        Member* old = member_of(it->second);
        if (old && !old->terminating &&
            fleet_[old->instance].state() != InstanceState::Terminated) {
            start_termination(*old, fmt::format("Capacity Rebalancing: replacement {} is in "
                                                "service, so Spot instance {} is terminated",
                                                inst.name(), fleet_[old->instance].name()));
        }
        replacement_for_.erase(it);
        break;
    }
}

// An instance launched to rebalance the AZs is in service: terminate one in the fullest AZ.
void AutoScalingGroup::rebalance_after(Member& m, const Instance& inst) {
    m.for_rebalance = false;
    ++changes_;  // see quiet_poll
    const std::vector<int> per_zone = active_per_zone();
    int hi = zones_.front();
    for (int z : zones_)
        if (per_zone[z] > per_zone[hi]) hi = z;
    Member* victim = nullptr;
    for (Member& other : live_members()) {
        const Instance& oi = fleet_[other.instance];
        if (!other.terminating && !other.for_rebalance &&
            oi.lifecycle() == LifecycleState::InService && oi.config().availability_zone == hi &&
            &other != &m) {
            victim = &other;  // the oldest, in launch order
            break;
        }
    }
    if (victim) {
        start_termination(
            *victim,
            fmt::format("rebalancing the Availability Zones: {} now runs in {}, so "
                        "one instance leaves {}",
                        inst.name(), zone_name(inst.config().availability_zone), zone_name(hi)));
    }
}

void AutoScalingGroup::on_event(const Event& e) {
    switch (e.kind) {
        case kBootDone:
            on_boot_done(e.arg);
            break;
        case kAppStarted: {
            Instance& inst = fleet_[e.arg];
            if (inst.state() != InstanceState::Running) break;
            inst.app_started();
            observer_.log(sim_.now(), event::ApplicationStarted{inst.name(), spec_.name});
            break;
        }
        case kSpotRebalanceEvent: {
            // Capacity Rebalancing: launch a replacement now; the old instance is terminated
            // when the replacement is in service (its interruption may come first).
            Member* m = member_of(e.arg);
            if (!m || m->terminating || m->spot_replaced ||
                fleet_[e.arg].lifecycle() != LifecycleState::InService) {
                break;
            }
            observer_.log(sim_.now(), event::SpotRebalanceRecommendation{
                                          spec_.name, fleet_[e.arg].name(), std::nullopt});
            replace_at_risk(*m);
            break;
        }
        case kSpotNoticeEvent: {
            Member* m = member_of(e.arg);
            if (m && !m->terminating)
                send_spot_notice(*m, "EC2 needs the capacity back (Spot interruption)");
            break;
        }
        case kSpotInterruptionEvent:
            on_spot_interruption(e.arg);
            break;
        case kLaunchRetry:
            // The back-off has passed (an earlier retry, or the group's check, may have
            // launched or failed again since: then this one is stale).
            if (next_launch_attempt_ != 0 && sim_.now() >= next_launch_attempt_) reconcile();
            break;
        case kPoll:
            if (!quiet_poll()) {
                compact_members();
                check_health();
                reconcile();
                rebalance();
            }
            sim_.schedule_in(kHealthPollInterval, this, kPoll);
            break;
        default:
            break;
    }
}

bool AutoScalingGroup::terminate_instance(const std::string& instance, const std::string& cause) {
    for (Member& m : members_) {
        if (m.terminating || fleet_[m.instance].name() != instance) continue;
        const LifecycleState s = fleet_[m.instance].lifecycle();
        if (s != LifecycleState::InService && s != LifecycleState::Pending) return false;
        start_termination(m, cause);
        add_replacement_cause(instance + " (terminated by a user request)");
        reconcile();
        return true;
    }
    return false;
}

}  // namespace stratus::cloud
