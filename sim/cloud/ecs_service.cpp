#include "sim/cloud/ecs_service.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "sim/cloud/events.hpp"

namespace stratus::cloud {

const char* to_string(TaskStatus status) {
    switch (status) {
        case TaskStatus::Provisioning:
            return "PROVISIONING";
        case TaskStatus::Pending:
            return "PENDING";
        case TaskStatus::Activating:
            return "ACTIVATING";
        case TaskStatus::Running:
            return "RUNNING";
        case TaskStatus::Deactivating:
            return "DEACTIVATING";
        case TaskStatus::Stopping:
            return "STOPPING";
        case TaskStatus::Deprovisioning:
            return "DEPROVISIONING";
        case TaskStatus::Stopped:
            return "STOPPED";
    }
    return "?";
}

EcsService::EcsService(const scenario::EcsServiceSpec& spec,
                       const scenario::EcsTaskDefinitionSpec& task_definition,
                       std::vector<int> zones, std::vector<TargetGroup*> target_groups,
                       std::uint64_t seed, Simulation& sim, Fleet& fleet, RunObserver& observer)
    : spec_(spec),
      task_definition_(task_definition),
      zones_(std::move(zones)),
      zone_up_(fleet.zone_names().size(), 1),
      target_groups_(std::move(target_groups)),
      rng_(seed, "ecs/" + spec.name),
      sim_(sim),
      fleet_(fleet),
      observer_(observer) {}

void EcsService::start() {
    reconcile();
    sim_.schedule_in(kPollInterval, this, kPoll);
}

int EcsService::count(TaskStatus status) const {
    return static_cast<int>(std::count_if(tasks_.begin(), tasks_.end(),
                                          [&](const EcsTask& t) { return t.status == status; }));
}

int EcsService::placement_zone() const {
    int best = -1, best_count = 0;
    for (int z : zones_) {
        if (!zone_up_[static_cast<std::size_t>(z)]) continue;
        const auto n = std::count_if(tasks_.begin(), tasks_.end(), [&](const EcsTask& t) {
            return active(t) && t.availability_zone == z;
        });
        if (best < 0 || n < best_count) {
            best = z;
            best_count = static_cast<int>(n);
        }
    }
    return best;
}

void EcsService::reconcile() {
    int active_tasks = static_cast<int>(
        std::count_if(tasks_.begin(), tasks_.end(), [&](const EcsTask& t) { return active(t); }));
    while (active_tasks < spec_.desired_count) {
        const int zone = placement_zone();
        if (zone < 0) return;  // every zone is down: the next poll tries again
        launch(zone);
        ++active_tasks;
    }
}

// A task's compute: cpu / 1024 vCPUs as workers (workers_per_vcpu each); a task of less than
// one vCPU gets one vCPU's workers at that fraction of a vCPU's speed (a CPU quota).
void EcsService::launch(int zone) {
    const auto index = static_cast<std::uint32_t>(tasks_.size());
    EcsTask task;
    task.id = fmt::format("{}-task-{}", spec_.name, index + 1);
    task.availability_zone = zone;
    task.created_at = sim_.now();

    InstanceConfig c;
    c.name = task.id;
    c.instance_type = "fargate";
    c.fargate = true;
    c.availability_zone = zone;
    c.vcpu = std::max(1, task_definition_.cpu / 1024);
    c.speed = (task_definition_.cpu / 1024.0) / c.vcpu;
    c.workers = c.vcpu * task_definition_.workers_per_vcpu;
    c.max_queue = task_definition_.max_queue;
    c.ebs_gb = 0;
    const std::string& role = task_definition_.task_role_arn;
    if (!role.empty()) c.iam_principal = "role/" + role.substr(role.rfind('/') + 1);
    c.tags = spec_.tags;
    c.type.name = "fargate";
    c.type.vcpu = c.vcpu;
    c.type.memory_gib = task_definition_.memory / 1024.0;
    c.type.speed = c.speed;
    Instance& inst = fleet_.create(std::move(c));
    task.instance = inst.index();
    tasks_.push_back(std::move(task));
    ++counts_.started;
    inst.launch();
    told(tasks_.back(), TaskStatus::Provisioning);
    sim_.schedule_in(rng_.sample(task_definition_.provisioning_time), this, kProvisioned, index);
}

void EcsService::set_status(EcsTask& task, TaskStatus status) {
    const TaskStatus from = task.status;
    task.status = status;
    told(task, from);
}

void EcsService::told(const EcsTask& task, TaskStatus from) {
    const bool stopping = task.status > TaskStatus::Running;
    event::EcsTaskStateChange e{spec_.cluster,
                                spec_.name,
                                task.id,
                                fleet_.zone_name(task.availability_zone),
                                to_string(task.status),
                                stopping ? "STOPPED" : "RUNNING",
                                std::nullopt};
    if (stopping) e.stopped_reason = task.stopped_reason;
    observer_.log(sim_.now(), std::move(e));
    if (task_observer_) task_observer_->on_task_status(*this, task, from);
}

// PROVISIONING -> PENDING: the network interface is attached; the image pull begins (and
// Fargate's billing with it).
void EcsService::provisioned(std::uint32_t index) {
    EcsTask& t = tasks_[index];
    if (t.status != TaskStatus::Provisioning) return;  // stopped meanwhile
    t.pull_started_at = sim_.now();
    set_status(t, TaskStatus::Pending);
    sim_.schedule_in(rng_.sample(task_definition_.image_pull_time), this, kImagePulled, index);
}

// PENDING -> ACTIVATING -> RUNNING: the containers started; ECS registers the task in its
// target groups while ACTIVATING (no time passes in the model), then reports it RUNNING. The
// application answers app_start_time later.
void EcsService::image_pulled(std::uint32_t index) {
    EcsTask& t = tasks_[index];
    if (t.status != TaskStatus::Pending) return;
    Instance& inst = fleet_[t.instance];
    inst.boot_done();
    // The time series count a serving task as they count an instance in service.
    inst.set_lifecycle(LifecycleState::InService);
    set_status(t, TaskStatus::Activating);
    for (TargetGroup* tg : target_groups_)
        tg->register_target(t.instance);
    t.started_at = sim_.now();
    set_status(t, TaskStatus::Running);
    sim_.schedule_in(rng_.sample(task_definition_.app_start_time), this, kAppStarted, index);
}

// ECS stops a task its target group reports unhealthy, except while the grace period after
// the task started lasts (the service's health_check_grace_period_seconds).
void EcsService::check_health() {
    const SimTime grace = spec_.health_check_grace_period_seconds * kSecond;
    for (std::uint32_t i = 0; i < tasks_.size(); ++i) {
        const EcsTask& t = tasks_[i];
        if (t.status != TaskStatus::Running || sim_.now() - t.started_at < grace) continue;
        for (const TargetGroup* tg : target_groups_) {
            if (tg->state_of(t.instance) != TargetHealthState::Unhealthy) continue;
            ++counts_.unhealthy_replacements;
            stop(i, fmt::format("Task failed ELB health checks in (target-group {})", tg->name()));
            break;
        }
    }
}

void EcsService::stop(std::uint32_t index, std::string reason) {
    EcsTask& t = tasks_[index];
    if (!active(t)) return;
    t.stopped_reason = std::move(reason);
    if (t.status == TaskStatus::Running || t.status == TaskStatus::Activating) {
        set_status(t, TaskStatus::Deactivating);
        t.deregistering = static_cast<int>(target_groups_.size());
        // A target group may call back at once (a target whose compute is down leaves at
        // once), so the count is set before the first call.
        for (TargetGroup* tg : target_groups_)
            tg->deregister_target(t.instance, this);
        if (target_groups_.empty()) finish_stop(index);
    } else {
        finish_stop(index);
    }
    reconcile();
}

void EcsService::on_deregistered(std::uint32_t instance) {
    for (std::uint32_t i = 0; i < tasks_.size(); ++i) {
        EcsTask& t = tasks_[i];
        if (t.instance != instance || t.status != TaskStatus::Deactivating) continue;
        if (--t.deregistering <= 0) finish_stop(i);
        return;
    }
}

// STOPPING (the containers get SIGTERM and exit), DEPROVISIONING (the interface is detached),
// STOPPED: the model gives these steps no time.
void EcsService::finish_stop(std::uint32_t index) {
    EcsTask& t = tasks_[index];
    set_status(t, TaskStatus::Stopping);
    fleet_[t.instance].terminate();
    set_status(t, TaskStatus::Deprovisioning);
    t.stopped_at = sim_.now();
    ++counts_.stopped;
    set_status(t, TaskStatus::Stopped);
}

void EcsService::set_zone_available(int zone, bool available, const std::string& fault) {
    if (zone < 0 || static_cast<std::size_t>(zone) >= zone_up_.size()) return;
    zone_up_[static_cast<std::size_t>(zone)] = available ? 1 : 0;
    if (available) return;
    for (std::uint32_t i = 0; i < tasks_.size(); ++i)
        if (active(tasks_[i]) && tasks_[i].availability_zone == zone)
            stop(i, fmt::format("Availability Zone {} failed ({}): the task's compute stopped",
                                fleet_.zone_name(zone), fault));
    reconcile();
}

void EcsService::on_event(const Event& e) {
    switch (e.kind) {
        case kPoll:
            check_health();
            reconcile();
            sim_.schedule_in(kPollInterval, this, kPoll);
            break;
        case kProvisioned:
            provisioned(e.arg);
            break;
        case kImagePulled:
            image_pulled(e.arg);
            break;
        case kAppStarted:
            if (tasks_[e.arg].status == TaskStatus::Running)
                fleet_[tasks_[e.arg].instance].app_started();
            break;
        default:
            break;
    }
}

}  // namespace stratus::cloud
