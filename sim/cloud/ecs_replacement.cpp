#include "sim/cloud/ecs_replacement.hpp"

#include "sim/cloud/ecs_service.hpp"

namespace stratus::cloud {

bool replaced_task_stops(ReplaceCause cause, bool healthy, const ReplacementCounts& c) {
    // Enough healthy tasks besides the ones being replaced: a replacement serves in its place
    // (the tasks being replaced are taken unhealthy first, so a healthy one never stops here
    // for an unhealthy one's sake).
    if (c.healthy_fresh + c.replacing_left > c.desired) return true;
    // No room to start a replacement first (a task being replaced has none yet: fewer fresh
    // tasks than desired), or on EC2 a replacement waits for an instance: it stops to make
    // room, one at a time.
    const bool no_room =
        (c.fresh < c.desired && c.active_now >= c.maximum) || c.replacement_waiting;
    if (!healthy) return no_room;
    const bool above_minimum = c.healthy_now - 1 >= c.minimum;
    // A healthy task on a DRAINING instance stops within the minimum; one marked unhealthy
    // that passes again waits for a healthy replacement, unless it must make room.
    return cause == ReplaceCause::Draining ? above_minimum : no_room && above_minimum;
}

void EcsService::replace(std::uint32_t index, ReplaceCause cause, std::string reason) {
    EcsTask& t = tasks_[index];
    if (!active(t) || t.replacing) return;
    // A DAEMON service's task is replaced on its own instance: it stops first.
    if (daemon() || t.status != TaskStatus::Running) {
        stop(index, std::move(reason));
        return;
    }
    t.replacing = true;
    t.replace_cause = cause;
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
        ++c.fresh;
        c.healthy_fresh += healthy(t) ? 1 : 0;
        if (t.ec2 && t.host < 0) c.replacement_waiting = true;
    }
    // The unhealthy ones first: they serve nothing.
    int stopped = 0;
    for (int pass = 0; pass < 2; ++pass)
        for (std::uint32_t i = 0; i < tasks_.size() && c.replacing_left > 0; ++i) {
            const EcsTask& t = tasks_[i];
            if (!active(t) || !t.replacing) continue;
            const bool h = healthy(t);
            if (h != (pass == 1)) continue;
            c.healthy_now = healthy_now;
            c.active_now = active_now;
            if (!replaced_task_stops(t.replace_cause, h, c)) continue;
            healthy_now -= h ? 1 : 0;
            --active_now;
            --c.replacing_left;
            ++stopped;
            stop(i, t.replace_reason);
        }
    return stopped;
}

}  // namespace stratus::cloud
