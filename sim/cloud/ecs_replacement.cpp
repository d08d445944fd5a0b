#include "sim/cloud/ecs_replacement.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/cloud/ecs_service.hpp"
#include "sim/cloud/events.hpp"

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

// The counts a task being replaced is judged by: the whole service's for the PRIMARY's
// tasks (a replacement of any deployment serves in their place), its own deployment's for an
// older deployment's task (November 2025: it is replaced by a task of its own revision, and
// its deployment keeps `desired` tasks). `of`: -1 for the whole service.
ReplacementCounts EcsService::replacement_counts(int of, int desired, int minimum,
                                                 int maximum) const {
    ReplacementCounts c;
    c.desired = of < 0 ? desired : deployments_[static_cast<std::size_t>(of)].desired;
    c.minimum = minimum;
    c.maximum = maximum;
    for (const EcsTask& t : tasks_) {
        if (!active(t) || (of >= 0 && t.deployment != of)) continue;
        if (t.replacing) {
            ++c.replacing_left;
            continue;
        }
        ++c.fresh;
        c.healthy_fresh += healthy(t) ? 1 : 0;
        if (t.ec2 && t.host < 0) c.replacement_waiting = true;
    }
    return c;
}

int EcsService::stop_replaced(int desired, int minimum, int maximum, int& healthy_now,
                              int& active_now) {
    // The unhealthy ones first: they serve nothing.
    int stopped = 0;
    for (int pass = 0; pass < 2; ++pass)
        for (std::uint32_t i = 0; i < tasks_.size(); ++i) {
            const EcsTask& t = tasks_[i];
            if (!active(t) || !t.replacing) continue;
            const bool h = healthy(t);
            if (h != (pass == 1)) continue;
            const bool older = t.deployment != primary_ && !daemon();
            ReplacementCounts c =
                replacement_counts(older ? t.deployment : -1, desired, minimum, maximum);
            c.healthy_now = healthy_now;
            c.active_now = active_now;
            if (!replaced_task_stops(t.replace_cause, h, c)) continue;
            healthy_now -= h ? 1 : 0;
            --active_now;
            ++stopped;
            stop(i, t.replace_reason);
        }
    return stopped;
}

// The older deployments' kept tasks: together at least the minimum healthy tasks less the
// PRIMARY's healthy ones (none once the PRIMARY alone meets the minimum), desired_count at
// most; the oldest deployment gives its up first. Each older deployment's tasks beyond what
// it keeps stop: those being replaced first, then those not healthy (they cost no healthy
// task), then healthy ones while the healthy tasks stay at or above the minimum, with the
// reason a deployment gives (one being replaced keeps its own).
int EcsService::retire_older(int minimum, int& healthy_now, int& active_now) {
    int primary_healthy = 0, kept = 0;
    for (const EcsTask& t : tasks_)
        primary_healthy += active(t) && t.deployment == primary_ && healthy(t) ? 1 : 0;
    for (int d = 0; d < static_cast<int>(deployments_.size()); ++d) {
        EcsDeployment& dep = deployments_[static_cast<std::size_t>(d)];
        if (d == primary_) continue;
        dep.desired = std::min(dep.desired, spec_.desired_count);
        kept += dep.desired;
    }
    const int floor = std::max(0, minimum - primary_healthy);
    for (EcsDeployment& dep : deployments_) {
        if (&dep == &deployments_[static_cast<std::size_t>(primary_)] || kept <= floor) continue;
        const int give = std::min(dep.desired, kept - floor);
        dep.desired -= give;
        kept -= give;
    }
    std::vector<int> surplus(deployments_.size(), 0);
    for (const EcsTask& t : tasks_)
        if (active(t) && t.deployment != primary_)
            ++surplus[static_cast<std::size_t>(t.deployment)];
    for (std::size_t d = 0; d < deployments_.size(); ++d)
        surplus[d] -= deployments_[d].desired;
    int stopped = 0;
    for (int pass = 0; pass < 3; ++pass)
        for (std::uint32_t i = 0; i < tasks_.size(); ++i) {
            const EcsTask& t = tasks_[i];
            if (!active(t) || t.deployment == primary_) continue;
            int& left = surplus[static_cast<std::size_t>(t.deployment)];
            const bool h = healthy(t);
            const int kind = t.replacing ? 0 : h ? 2 : 1;
            if (left <= 0 || kind != pass || (h && healthy_now - 1 < minimum)) continue;
            --left;
            healthy_now -= h ? 1 : 0;
            --active_now;
            ++stopped;
            stop(i, t.replacing ? t.replace_reason
                                : fmt::format("Scaling activity initiated by (deployment {})",
                                              deployments_[primary_].id));
        }
    return stopped;
}

int EcsService::relaunch_older(int room) {
    int started = 0;
    for (int d = 0; d < static_cast<int>(deployments_.size()) && started < room; ++d) {
        const EcsDeployment& dep = deployments_[static_cast<std::size_t>(d)];
        if (d == primary_ || dep.desired == 0) continue;
        int fresh = 0;
        for (const EcsTask& t : tasks_)
            fresh += active(t) && t.deployment == d && !t.replacing ? 1 : 0;
        for (; fresh < dep.desired && started < room; ++fresh, ++started) {
            const int zone = capacity_ ? -1 : placement_zone();
            if (zone < 0 && !capacity_) return started;  // every zone is down
            launch(zone, d);
        }
    }
    return started;
}

// The ECS Developer Guide ("Service event messages"): when the minimum and maximum percent let
// a deployment neither stop nor start a task, ECS reports it. The model logs it once per
// deployment, at a step that changed nothing while an older deployment's tasks are left, every
// task is healthy (nothing is on its way) and no task may start.
void EcsService::log_stuck(int started, int stopped, int maximum, int active_now) {
    EcsDeployment& p = deployments_[static_cast<std::size_t>(primary_)];
    if (started > 0 || stopped > 0 || p.stuck_logged || !p.logged ||
        p.rollout_state != RolloutState::InProgress || active_now < maximum)
        return;
    bool older = false;
    for (const EcsTask& t : tasks_) {
        if (!active(t)) continue;
        if (!healthy(t)) return;
        older = older || t.deployment != primary_;
    }
    if (!older) return;
    p.stuck_logged = true;
    observer_.log(sim_.now(), event::EcsServiceEvent{
                                  spec_.cluster, spec_.name,
                                  fmt::format("(service {}) was unable to stop or start tasks "
                                              "during a deployment because of the service "
                                              "deployment configuration. Update the "
                                              "minimumHealthyPercent or maximumPercent value "
                                              "and try again.",
                                              spec_.name)});
}

}  // namespace stratus::cloud
