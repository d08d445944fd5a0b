#pragma once
// Task replacement by the ECS service scheduler (docs/model.md, "Replacing unhealthy and
// draining tasks"): a task that failed its health checks, or runs on a container instance
// set to DRAINING, is replaced within the service's deploymentConfiguration.
//  - An unhealthy task: "the Amazon ECS scheduler uses maximumPercent to replace unhealthy
//    tasks by starting replacement tasks first and then stopping the unhealthy tasks" (the
//    ECS API Reference, DeploymentConfiguration): the replacement starts while the unhealthy
//    task still runs, and the unhealthy task stops once a replacement is healthy. When the
//    maximum leaves no room to start one (or, EC2, the replacement waits for an instance),
//    the unhealthy tasks stop one at a time to make room.
//  - A RUNNING task on a DRAINING instance is healthy: it stops while the healthy tasks stay
//    at or above minimumHealthyPercent of the desired count (rounded up), as an older
//    deployment's task does, so with 100 % it waits for its replacement to be healthy, and
//    with 50 % of 4 two stop before their replacements start (the Developer Guide,
//    "Draining Amazon ECS container instances").
// Its replacements count against maximumPercent (RUNNING or PENDING tasks, rounded down) and
// are not counted in the desired count's tasks until the replaced task is gone.

namespace stratus::cloud {

// A service's counts when the scheduler looks at one task being replaced.
struct ReplacementCounts {
    int desired = 0;
    int minimum = 0;                   // minimumHealthyPercent of desired, in tasks (rounded up)
    int maximum = 0;                   // maximumPercent of desired, in tasks (rounded down)
    int healthy_now = 0;               // healthy active tasks, those being replaced included
    int active_now = 0;                // RUNNING or before (PENDING, PROVISIONING, ACTIVATING)
    int healthy_fresh = 0;             // healthy active tasks not being replaced
    int replacing_left = 0;            // active tasks being replaced, this one included
    bool replacement_waiting = false;  // a replacement waits for a container instance
};

// Whether a task being replaced stops now; `healthy`: it is healthy itself (DRAINING).
bool replaced_task_stops(bool healthy, const ReplacementCounts& c);

}  // namespace stratus::cloud
