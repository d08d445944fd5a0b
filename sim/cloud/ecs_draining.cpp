#include "sim/cloud/ecs_draining.hpp"

#include <fmt/format.h>

#include "sim/cloud/ecs_service.hpp"
#include "sim/cloud/events.hpp"

namespace stratus::cloud {

const char* container_instance_status(const ContainerInstance& ci) {
    return ci.draining ? "DRAINING" : "ACTIVE";
}

bool EcsCapacity::drain(const std::string& name, const std::string& cause) {
    refresh();
    for (std::size_t i = 0; i < instances_.size(); ++i) {
        const ContainerInstance& ci = instances_[i];
        if (fleet_[ci.instance].name() != name || !registered(ci)) continue;
        set_draining(static_cast<int>(i), "UpdateContainerInstancesState: " + cause);
        return true;
    }
    return false;
}

bool EcsCapacity::hold_termination(std::uint32_t instance) {
    refresh();
    const int i = find(instance);
    if (i < 0) return false;
    ContainerInstance& ci = instances_[static_cast<std::size_t>(i)];
    if (ci.tasks - ci.daemon_tasks <= 0) return false;
    ci.held = true;
    set_draining(i, "managed draining: its Auto Scaling group is terminating it");
    return true;
}

void EcsCapacity::set_draining(int index, const std::string& reason) {
    ContainerInstance& ci = instances_[static_cast<std::size_t>(index)];
    if (ci.draining) return;
    ci.draining = true;
    const std::string name = fleet_[ci.instance].name();
    if (observer_)
        observer_->log(sim_.now(),
                       event::EcsContainerInstanceStateChange{cluster_, name, "DRAINING", reason});
    const std::string stopped = fmt::format("Container instance {} is DRAINING", name);
    for (EcsService* s : services_)
        if (!s->daemon()) s->host_draining(index, stopped);
}

void EcsCapacity::release_if_drained(ContainerInstance& ci) {
    if (!ci.held || ci.tasks - ci.daemon_tasks > 0) return;
    ci.held = false;
    const auto index = static_cast<std::uint32_t>(&ci - instances_.data());
    sim_.schedule_in(0, this, kReleaseHeld, index);
}

// PENDING (and PROVISIONING, ACTIVATING) tasks stop at once; RUNNING ones are replaced.
void EcsService::host_draining(int host, const std::string& reason) {
    for (std::uint32_t i = 0; i < tasks_.size(); ++i)
        if (active(tasks_[i]) && tasks_[i].host == host) replace(i, ReplaceCause::Draining, reason);
    reconcile();
}

}  // namespace stratus::cloud
