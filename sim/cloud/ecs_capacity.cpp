#include "sim/cloud/ecs_capacity.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "sim/cloud/ecs_service.hpp"

namespace stratus::cloud {

EcsCapacity::EcsCapacity(std::string cluster, std::vector<Provider> providers, std::uint64_t seed,
                         Simulation& sim, Fleet& fleet)
    : cluster_(std::move(cluster)),
      providers_(std::move(providers)),
      rng_(seed, "ecs-placement/" + cluster_),
      sim_(sim),
      fleet_(fleet) {
    for (Provider& p : providers_) {
        if (p.spec.managed_termination_protection ==
            scenario::ManagedTerminationProtection::Enabled)
            p.group->set_scale_in_protection(this);
        if (p.spec.managed_draining == scenario::ManagedDraining::Enabled)
            p.group->set_termination_hold(this);
    }
}

int EcsCapacity::provider_index(const std::string& name) const {
    for (std::size_t i = 0; i < providers_.size(); ++i)
        if (providers_[i].spec.name == name) return static_cast<int>(i);
    return -1;
}

void EcsCapacity::start() {
    for (const Provider& p : providers_)
        if (p.spec.managed_scaling.status == scenario::ManagedScalingStatus::Enabled) {
            sim_.schedule_in(kMetricPeriod, this, kMetric);
            return;
        }
}

// New instances of the groups join the list in launch order (the fleet only grows).
void EcsCapacity::refresh() {
    for (; scanned_ < fleet_.size(); ++scanned_) {
        const Instance& inst = fleet_[scanned_];
        const int group = inst.config().group;
        if (group < 0 || inst.config().ecs_task) continue;
        for (std::size_t p = 0; p < providers_.size(); ++p) {
            if (providers_[p].group->index() != group) continue;
            ContainerInstance ci;
            ci.instance = scanned_;
            ci.provider = static_cast<int>(p);
            ci.zone = inst.config().availability_zone;
            ci.cpu = inst.config().type.vcpu * 1024;
            ci.memory = static_cast<int>(inst.config().type.memory_gib * 1024 + 0.5);
            instances_.push_back(std::move(ci));
        }
    }
}

const std::vector<ContainerInstance>& EcsCapacity::instances() {
    refresh();
    return instances_;
}

bool EcsCapacity::registered(const ContainerInstance& ci) const {
    const Instance& inst = fleet_[ci.instance];
    const auto& blocked = providers_[static_cast<std::size_t>(ci.provider)].agent_blocked;
    if (static_cast<std::size_t>(ci.zone) < blocked.size() &&
        !blocked[static_cast<std::size_t>(ci.zone)].empty())
        return false;
    return inst.lifecycle() == LifecycleState::InService && inst.state() == InstanceState::Running;
}

int EcsCapacity::find(std::uint32_t instance) const {
    for (std::size_t i = 0; i < instances_.size(); ++i)
        if (instances_[i].instance == instance) return static_cast<int>(i);
    return -1;
}

bool EcsCapacity::fits(const ContainerInstance& ci, const TaskReservation& need) const {
    if (ci.cpu - ci.cpu_reserved < need.cpu || ci.memory - ci.memory_reserved < need.memory)
        return false;
    for (int port : need.host_ports)
        if (std::find(ci.ports.begin(), ci.ports.end(), port) != ci.ports.end()) return false;
    return true;
}

// Each strategy gives a candidate a rank (lower is better); the first strategy decides, the
// next ones break its ties, the launch order breaks the last.
int EcsCapacity::place(const TaskReservation& need, int provider,
                       const std::vector<scenario::EcsPlacementStrategySpec>& strategy,
                       const PlacementConstraints& constraints, const EcsService& service,
                       const std::vector<char>& zone_up) {
    using scenario::PlacementStrategyType;
    refresh();
    if (!service.daemon()) place_daemons();
    static const std::vector<scenario::EcsPlacementStrategySpec> kDefault = {
        {PlacementStrategyType::Spread, "attribute:ecs.availability-zone"},
        {PlacementStrategyType::Binpack, "memory"}};
    const auto& order = strategy.empty() ? kDefault : strategy;
    int best = -1;
    std::vector<double> best_rank, rank;
    for (std::size_t i = 0; i < instances_.size(); ++i) {
        const ContainerInstance& ci = instances_[i];
        if ((provider >= 0 && ci.provider != provider) || !registered(ci) || ci.draining ||
            !zone_up[static_cast<std::size_t>(ci.zone)] || !fits(ci, need) ||
            !allowed(static_cast<int>(i), constraints, service))
            continue;
        rank.clear();
        for (const auto& s : order) {
            if (s.type == PlacementStrategyType::Random)
                rank.push_back(rng_.uniform01());
            else if (s.type == PlacementStrategyType::Binpack)
                rank.push_back(s.field == "cpu" ? ci.cpu - ci.cpu_reserved - need.cpu
                                                : ci.memory - ci.memory_reserved - need.memory);
            else if (s.field == "attribute:ecs.availability-zone")
                rank.push_back(service.active_tasks_in_zone(ci.zone));
            else  // instanceId, host
                rank.push_back(service.active_tasks_on(static_cast<int>(i)));
        }
        if (best < 0 || rank < best_rank) {
            best = static_cast<int>(i);
            best_rank = rank;
        }
    }
    return best;
}

scenario::ContainerInstanceFacts EcsCapacity::facts(int index) const {
    const ContainerInstance& ci = instances_[static_cast<std::size_t>(index)];
    const Instance& inst = fleet_[ci.instance];
    const auto& subnets = providers_[static_cast<std::size_t>(ci.provider)].subnet_by_zone;
    scenario::ContainerInstanceFacts f;
    f.availability_zone = fleet_.zone_name(ci.zone);
    f.instance_type = inst.config().instance_type;
    if (static_cast<std::size_t>(ci.zone) < subnets.size())
        f.subnet_id = subnets[static_cast<std::size_t>(ci.zone)];
    f.ec2_instance_id = inst.name();
    f.cpu_architecture = cpu_architecture_of(f.instance_type);
    f.running_tasks = ci.tasks;
    return f;
}

bool EcsCapacity::allowed(int index, const PlacementConstraints& constraints,
                          const EcsService& service) const {
    if (constraints.distinct_instance && service.active_tasks_on(index) > 0) return false;
    return constraints.member_of.empty() || constraints.member(facts(index));
}

// ECS filters the instances by resources and ports, then by the constraints: the closest is
// the one that got furthest (the first launched among equals), with the check it failed.
std::string EcsCapacity::unplaced_reason(const TaskReservation& need, int provider,
                                         const PlacementConstraints& constraints,
                                         const EcsService& service,
                                         const std::vector<char>& zone_up) {
    refresh();
    int best = -1, best_stage = -1;
    const char* why = "";
    for (std::size_t i = 0; i < instances_.size(); ++i) {
        const ContainerInstance& ci = instances_[i];
        if ((provider >= 0 && ci.provider != provider) || !registered(ci) ||
            !zone_up[static_cast<std::size_t>(ci.zone)])
            continue;
        int stage = 0;
        const char* r = "";
        if (ci.cpu - ci.cpu_reserved < need.cpu)
            r = "has insufficient CPU units available.";
        else if (ci.memory - ci.memory_reserved < need.memory)
            r = "has insufficient memory available.";
        else if (!fits(ci, need))
            r = "is already using a port required by your task.";
        else if (stage = 1; !constraints.member(facts(static_cast<int>(i))))
            r = "encountered error \"MemberOf placement constraint unsatisfied.\"";
        else if (constraints.distinct_instance && service.active_tasks_on(static_cast<int>(i)) > 0)
            r = "encountered error \"DistinctInstance placement constraint unsatisfied.\"";
        else
            stage = 2;  // it could take the task (place() runs first)
        if (stage > best_stage) {
            best = static_cast<int>(i);
            best_stage = stage;
            why = r;
        }
    }
    if (best < 0) return "Reason: No Container Instances were found in your cluster.";
    return fmt::format("The closest matching container-instance {} {}",
                       fleet_[instances_[static_cast<std::size_t>(best)].instance].name(), why);
}

// ECS places a daemon task first on an instance: the daemon services look for instances
// without their task before any replica task is placed.
void EcsCapacity::place_daemons() {
    if (placing_daemons_) return;
    placing_daemons_ = true;
    for (EcsService* s : services_)
        if (s->daemon()) s->place_daemon_tasks();
    placing_daemons_ = false;
}

bool EcsCapacity::has_room(int index, const TaskReservation& need) {
    refresh();
    const ContainerInstance& ci = instances_[static_cast<std::size_t>(index)];
    return registered(ci) && !ci.draining && fits(ci, need);
}

std::vector<int> EcsCapacity::reserve(int index, const TaskReservation& need, bool daemon) {
    ContainerInstance& ci = instances_[static_cast<std::size_t>(index)];
    ci.cpu_reserved += need.cpu;
    ci.memory_reserved += need.memory;
    ++ci.tasks;
    ci.daemon_tasks += daemon ? 1 : 0;
    std::vector<int> ports = need.host_ports;
    ci.ports.insert(ci.ports.end(), need.host_ports.begin(), need.host_ports.end());
    for (int n = 0; n < need.dynamic_ports; ++n) {
        int port = kFirstDynamicPort;
        while (port < kLastDynamicPort &&
               std::find(ci.ports.begin(), ci.ports.end(), port) != ci.ports.end())
            ++port;
        ci.ports.push_back(port);
        ports.push_back(port);
    }
    return ports;
}

void EcsCapacity::release(std::uint32_t instance, const TaskReservation& need,
                          const std::vector<int>& ports, bool daemon) {
    const int i = find(instance);
    if (i < 0) return;
    ContainerInstance& ci = instances_[static_cast<std::size_t>(i)];
    ci.cpu_reserved -= need.cpu;
    ci.memory_reserved -= need.memory;
    --ci.tasks;
    ci.daemon_tasks -= daemon ? 1 : 0;
    for (int port : ports) {
        auto it = std::find(ci.ports.begin(), ci.ports.end(), port);
        if (it != ci.ports.end()) ci.ports.erase(it);
    }
    release_if_drained(ci);
}

void EcsCapacity::instance_lost(std::uint32_t instance) {
    refresh();
    const int i = find(instance);
    if (i < 0) return;
    const std::string reason =
        fmt::format("Host EC2 (instance {}) stopped/terminated.", fleet_[instance].name());
    // The daemon tasks stop last, after the replica tasks.
    for (int daemon = 0; daemon < 2; ++daemon)
        for (EcsService* s : services_)
            if (s->daemon() == (daemon == 1)) s->host_lost(i, reason);
}

// Managed termination protection ignores daemon tasks (the ECS Developer Guide: every
// instance runs them).
bool EcsCapacity::protected_from_scale_in(std::uint32_t instance) const {
    const int i = find(instance);
    if (i < 0) return false;
    const ContainerInstance& ci = instances_[static_cast<std::size_t>(i)];
    return ci.tasks - ci.daemon_tasks > 0;
}

// M (the ECS Developer Guide, "managed scaling"): with tasks waiting for the provider, the
// group's instances plus the new ones the waiting tasks need (packed in launch order on empty
// instances of the launch template's type, after the free room of the group's instances,
// registered or still launching), at least minimum_scaling_step_size and at most
// maximum_scaling_step_size more; else the instances that run a task. Daemon tasks make no
// instance busy, and take their room first on an instance that has none of them yet.
int EcsCapacity::instances_needed(int p) const {
    const Provider& pr = providers_[static_cast<std::size_t>(p)];
    std::vector<TaskReservation> waiting;
    int daemon_cpu = 0, daemon_memory = 0;  // what the daemon tasks take of a new instance
    for (const EcsService* s : services_) {
        s->waiting_tasks(p, waiting);
        if (!s->daemon()) continue;
        const TaskReservation d = EcsService::reservation_of(s->task_definition());
        daemon_cpu += d.cpu;
        daemon_memory += d.memory;
    }
    int n = 0, busy = 0;
    std::vector<Room> room;  // the group's instances, then the new ones
    for (std::size_t i = 0; i < instances_.size(); ++i) {
        const ContainerInstance& ci = instances_[i];
        const Instance& inst = fleet_[ci.instance];
        if (ci.provider != p || inst.lifecycle() == LifecycleState::Terminated ||
            inst.lifecycle() == LifecycleState::Terminating)
            continue;
        ++n;
        busy += ci.tasks - ci.daemon_tasks > 0 ? 1 : 0;
        // An instance without its daemon tasks yet (still booting) keeps their room.
        const bool daemons_due = ci.daemon_tasks == 0;
        room.push_back(Room{ci.cpu - ci.cpu_reserved - (daemons_due ? daemon_cpu : 0),
                            ci.memory - ci.memory_reserved - (daemons_due ? daemon_memory : 0),
                            static_cast<int>(i),
                            {}});
    }
    if (waiting.empty()) return busy;
    const std::size_t existing = room.size();
    const int cpu = pr.cpu - daemon_cpu, memory = pr.memory - daemon_memory;
    for (const TaskReservation& t : waiting) {
        auto it = std::find_if(room.begin(), room.end(), [&](const Room& r) {
            return r.cpu >= t.cpu && r.memory >= t.memory && takes(r, t);
        });
        if (it == room.end()) {
            if (t.cpu > cpu || t.memory > memory) continue;  // never fits a new one: no use
            it = room.insert(room.end(), Room{cpu, memory, -1, {}});
        }
        it->cpu -= t.cpu;
        it->memory -= t.memory;
        if (t.distinct) it->distinct.push_back(t.distinct);
    }
    const int extra = static_cast<int>(room.size() - existing);
    if (extra == 0) return n;
    return n + std::clamp(extra, pr.spec.managed_scaling.minimum_scaling_step_size,
                          pr.spec.managed_scaling.maximum_scaling_step_size);
}

// distinctInstance: a room takes a waiting task of such a service only when neither its
// instance nor the tasks already packed there have one of the service's tasks.
bool EcsCapacity::takes(const Room& r, const TaskReservation& t) const {
    if (!t.distinct) return true;
    if (std::find(r.distinct.begin(), r.distinct.end(), t.distinct) != r.distinct.end())
        return false;
    return r.instance < 0 || t.distinct->active_tasks_on(r.instance) == 0;
}

// CapacityProviderReservation = M / N x 100 (N = 0: 100 when M = 0, else 200), and the target
// tracking policy ECS manages on the group: desired ceil(M x 100 / target_capacity).
void EcsCapacity::managed_scaling(int p) {
    refresh();
    // The tasks an instance registered since the services' last poll can take go there first.
    for (EcsService* s : services_)
        s->place_waiting();
    Provider& pr = providers_[static_cast<std::size_t>(p)];
    const int m = instances_needed(p);
    int n = 0;
    for (const ContainerInstance& ci : instances_) {
        const LifecycleState s = fleet_[ci.instance].lifecycle();
        if (ci.provider == p && (s == LifecycleState::Pending || s == LifecycleState::InService))
            ++n;
    }
    pr.needed = m;
    pr.reservation = n == 0 ? (m == 0 ? 100.0 : 200.0) : 100.0 * m / n;
    const int target = pr.spec.managed_scaling.target_capacity;
    AutoScalingGroup& g = *pr.group;
    const int desired = std::clamp((m * 100 + target - 1) / target, g.min_size(), g.max_size());
    const std::string cause = fmt::format(
        "ECS managed scaling of capacity provider {}: CapacityProviderReservation {:.0f} "
        "(M = {}, N = {}), target {}",
        pr.spec.name, pr.reservation, m, n, target);
    if (desired > g.desired_capacity()) {
        pr.minutes_below = 0;
        g.set_desired_capacity(desired, cause);
    } else if (desired < g.desired_capacity() && pr.reservation < target) {
        // The target tracking policy's instance warm-up (instance_warmup_period): no scale-in
        // while an instance the group launched is still warming up.
        if (++pr.minutes_below >= kScaleInMinutes && !warming_up(p)) {
            pr.minutes_below = 0;
            g.set_desired_capacity(desired, cause);
        }
    } else {
        pr.minutes_below = 0;
    }
}

bool EcsCapacity::warming_up(int p) const {
    const SimTime warmup =
        providers_[static_cast<std::size_t>(p)].spec.managed_scaling.instance_warmup_period *
        kSecond;
    for (const ContainerInstance& ci : instances_) {
        const Instance& inst = fleet_[ci.instance];
        const LifecycleState s = inst.lifecycle();
        if (ci.provider == p && (s == LifecycleState::Pending || s == LifecycleState::InService) &&
            sim_.now() - inst.launched_at() < warmup)
            return true;
    }
    return false;
}

void EcsCapacity::on_event(const Event& e) {
    if (e.kind == kReleaseHeld) {
        const ContainerInstance& ci = instances_[e.arg];
        providers_[static_cast<std::size_t>(ci.provider)].group->release_termination(ci.instance);
        return;
    }
    if (e.kind != kMetric) return;
    for (std::size_t p = 0; p < providers_.size(); ++p)
        if (providers_[p].spec.managed_scaling.status == scenario::ManagedScalingStatus::Enabled)
            managed_scaling(static_cast<int>(p));
    sim_.schedule_in(kMetricPeriod, this, kMetric);
}

}  // namespace stratus::cloud
