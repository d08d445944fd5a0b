#include "sim/cloud/fleet.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace stratus::cloud {

Instance& Fleet::create(InstanceConfig config) {
    const auto index = static_cast<std::uint32_t>(instances_.size());
    // An ECS task's compute keeps its task's name and is not an EC2 launch; the EC2
    // instances are numbered among themselves (i-0004 follows i-0003 even when tasks started
    // in between).
    const bool task = config.ecs_task;
    if (!task) config.name = fmt::format("i-{:04d}", counts_.launched + 1);
    instances_.push_back(
        std::make_unique<Instance>(index, std::move(config), sim_, requests_, accounting_));
    if (!task) ++counts_.launched;
    instances_.back()->set_state_observer(observer_);
    return *instances_.back();
}

const std::vector<std::uint32_t>& LiveInstances::refresh(const Fleet& fleet, SimTime since) {
    // Performance: the list is checked again only when an instance changed state since the
    // last check, or it kept a terminated one (at or after that check's time), or instances
    // were added after it; otherwise the check would drop nothing.
    if (added_ || fleet.state_changes() != seen_changes_ || kept_terminated_) {
        seen_changes_ = fleet.state_changes();
        kept_terminated_ = false;
        added_ = false;
        live_.erase(std::remove_if(live_.begin(), live_.end(),
                                   [&](std::uint32_t i) {
                                       if (fleet[i].state() != InstanceState::Terminated)
                                           return false;
                                       if (fleet[i].terminated_at() < since) return true;
                                       kept_terminated_ = true;
                                       return false;
                                   }),
                    live_.end());
    }
    for (; known_ < fleet.size(); ++known_) {
        live_.push_back(known_);
        added_ = true;
    }
    return live_;
}

}  // namespace stratus::cloud
