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
    live_.erase(std::remove_if(live_.begin(), live_.end(),
                               [&](std::uint32_t i) {
                                   return fleet[i].state() == InstanceState::Terminated &&
                                          fleet[i].terminated_at() < since;
                               }),
                live_.end());
    for (; known_ < fleet.size(); ++known_)
        live_.push_back(known_);
    return live_;
}

}  // namespace stratus::cloud
