#include "sim/cloud/ecs_replacement.hpp"

#include "sim/cloud/ecs_service.hpp"

namespace stratus::cloud {

bool replaced_task_stops(bool healthy, const ReplacementCounts& c) {
    // Enough healthy tasks besides the ones being replaced: a replacement serves in its place.
    if (c.healthy_fresh + c.replacing_left > c.desired) return true;
    if (healthy) return c.healthy_now - 1 >= c.minimum;
    return c.active_now >= c.maximum || c.replacement_waiting;
}

void EcsService::replace(std::uint32_t index, std::string reason) {
    EcsTask& t = tasks_[index];
    if (!active(t) || t.replacing) return;
    // A DAEMON service's task is replaced on its own instance: it stops first.
    if (daemon() || t.status != TaskStatus::Running) {
        stop(index, std::move(reason));
        return;
    }
    t.replacing = true;
    t.replace_reason = std::move(reason);
}

int EcsService::stop_replaced(int desired, int minimum, int maximum, int& healthy_now,
                              int& active_now) {
    ReplacementCounts c;
    c.desired = desired;
    c.minimum = minimum;
    c.maximum = maximum;
    for (const EcsTask& t : tasks_) {
        if (!active(t)) continue;
        if (t.replacing) {
            ++c.replacing_left;
            continue;
        }
        c.healthy_fresh += healthy(t) ? 1 : 0;
        if (t.ec2 && t.host < 0) c.replacement_waiting = true;
    }
    int stopped = 0;
    for (std::uint32_t i = 0; i < tasks_.size() && c.replacing_left > 0; ++i) {
        const EcsTask& t = tasks_[i];
        if (!active(t) || !t.replacing) continue;
        const bool h = healthy(t);
        c.healthy_now = healthy_now;
        c.active_now = active_now;
        if (!replaced_task_stops(h, c)) continue;
        healthy_now -= h ? 1 : 0;
        --active_now;
        --c.replacing_left;
        ++stopped;
        stop(i, t.replace_reason);
    }
    return stopped;
}

}  // namespace stratus::cloud
