#pragma once
// Task replacement by the ECS service scheduler (docs/model.md, "Replacing unhealthy and
// draining tasks"): a task that failed its health checks, or runs on a container instance
// set to DRAINING, is replaced within the service's deploymentConfiguration.
//  - An unhealthy task (the ECS Developer Guide, "Amazon ECS services"; the API Reference,
//    DeploymentConfiguration): the scheduler starts its replacement first, within
//    maximumPercent, and stops the unhealthy task once a replacement is HEALTHY. A replacement
//    that turns unhealthy itself is replaced in turn, and the tasks being replaced beyond the
//    desired count stop, the unhealthy ones first. When the maximum leaves no room to start
//    one (or, EC2, the replacement waits for an instance), the unhealthy tasks stop one at a
//    time to make room. A task marked for replacement stays marked when it passes its checks
//    again (AWS does not say it is spared): it stops once a replacement is healthy.
//  - A RUNNING task on a DRAINING instance is healthy: it stops while the healthy tasks stay
//    at or above minimumHealthyPercent of the desired count (rounded up), as an older
//    deployment's task does, so with 100 % it waits for its replacement to be healthy, and
//    with 50 % of 4 two stop before their replacements start (the Developer Guide,
//    "Draining Amazon ECS container instances").
// Its replacements count against maximumPercent (RUNNING or PENDING tasks, rounded down) and
// are not counted in the desired count's tasks until the replaced task is gone.
//  - A task of an older deployment during a rolling update (AWS's What's New of November
//    2025): it is replaced by a task of its own revision, whatever the new revision's state.
//    Its deployment keeps `desired` tasks, lowered only as the PRIMARY's tasks turn healthy
//    (the minimum healthy percent); a kept task that stops or is being replaced gets a
//    replacement of that revision, and one being replaced is judged on its deployment's
//    tasks (its replacement healthy, or no room under the maximum).

namespace stratus::cloud {

// Why a task is replaced.
enum class ReplaceCause { Unhealthy, Draining };

// A service's counts when the scheduler looks at one task being replaced.
struct ReplacementCounts {
    int desired = 0;
    int minimum = 0;                   // minimumHealthyPercent of desired, in tasks (rounded up)
    int maximum = 0;                   // maximumPercent of desired, in tasks (rounded down)
    int healthy_now = 0;               // healthy active tasks, those being replaced included
    int active_now = 0;                // RUNNING or before (PENDING, PROVISIONING, ACTIVATING)
    int fresh = 0;                     // active tasks not being replaced (replacements too)
    int healthy_fresh = 0;             // healthy active tasks not being replaced
    int replacing_left = 0;            // active tasks being replaced, this one included
    bool replacement_waiting = false;  // a replacement waits for a container instance
};

// Whether a task being replaced stops now; `healthy`: it is healthy itself.
bool replaced_task_stops(ReplaceCause cause, bool healthy, const ReplacementCounts& c);

}  // namespace stratus::cloud
