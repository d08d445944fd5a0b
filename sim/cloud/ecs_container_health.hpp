#pragma once
// Container health checks (docs/model.md, "Container health checks"): a container
// definition's healthCheck, run by the ECS agent in the container as Docker's HEALTHCHECK
// (the ECS API Reference, HealthCheck).
//  - The first check runs `interval` after the container starts (the task is RUNNING), each
//    next one `interval` after the previous one ended. A check that is answered or refused
//    ends at once (its milliseconds are not modelled); one that times out ends `timeout` later.
//  - A failed check that started less than `startPeriod` after the container started does not
//    count while the container has never passed one; `retries` counted failures in a row make
//    the container UNHEALTHY, a passed check makes it HEALTHY (and resets the count).
//  - What the command finds, in the model: a sidecar (a container other than the
//    application's, application_container) answers its own check while the task runs; the
//    task's application answers it once it has
//    started (app_start_time after RUNNING; never with app_healthy = false), on the port the
//    application listens on (app_port, else the load balancer's container_port, else the
//    container's first containerPort), within `timeout` (the answer waits in the task's queue
//    as a load balancer's check does: Instance::estimated_response_s). A check of another
//    port is refused; a command naming no localhost port checks the process (answered once
//    the application started). Security groups play no part (the check stays in the task).
//  - The task's healthStatus follows its essential containers with a check: UNHEALTHY when
//    one is, else UNKNOWN when one is, else HEALTHY; UNKNOWN without such a container.
// The service scheduler replaces a task whose healthStatus is UNHEALTHY (stopped reason "Task
// failed container health checks") at its poll, once the service's
// health_check_grace_period_seconds have passed since the task started, as it replaces one
// its target group finds unhealthy (ecs_replacement.hpp); with a load balancer, either makes
// the task unhealthy.
#include <vector>

#include "sim/core/sim_time.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

// A container's or a task's healthStatus, as DescribeTasks reports it.
enum class HealthStatus { Unknown, Healthy, Unhealthy };
// "UNKNOWN", "HEALTHY", "UNHEALTHY".
const char* to_string(HealthStatus status);

// What one check found.
enum class CheckOutcome {
    Passed,
    NoAnswer,   // the application has not started (or never answers)
    WrongPort,  // nothing listens on the port the command probes
    TimedOut    // the answer would come after `timeout`
};

// A container's check state in a task (empty `checked`: it has no healthCheck).
struct ContainerCheck {
    bool checked = false;
    HealthStatus status = HealthStatus::Unknown;
    int failures = 0;  // counted failed checks in a row
    CheckOutcome last = CheckOutcome::Passed;
};

// Applies one check's outcome to `c` (Docker's rule above); `since_start`: how long after the
// container started the check began.
void apply_check(ContainerCheck& c, CheckOutcome outcome, SimTime since_start,
                 const scenario::ContainerHealthCheckSpec& hc);

// The task's healthStatus from its essential containers' checks.
HealthStatus task_health(const scenario::EcsTaskDefinitionSpec& td,
                         const std::vector<ContainerCheck>& checks);

// Whether some container of `td` has a healthCheck (essential or not), and whether an
// essential one has (then the task's health follows them).
bool any_container_health_check(const scenario::EcsTaskDefinitionSpec& td);
bool has_container_health_checks(const scenario::EcsTaskDefinitionSpec& td);

// The port the task's application listens on, for container `container`'s check: app_port,
// else the service's first load_balancer container_port, else the container's first
// containerPort; 0 when none is known (it answers any port).
int application_port(const scenario::EcsTaskDefinitionSpec& td,
                     const scenario::EcsServiceSpec& service, std::size_t container);

// Sidecar containers (docs/model.md, "Sidecar containers and dependsOn"): the container that
// serves (the service's load_balancer container_name, else the first essential container, else
// the first), and whether any container waits for another (dependsOn).
std::size_t application_container(const scenario::EcsTaskDefinitionSpec& td,
                                  const scenario::EcsServiceSpec& service);
bool has_container_dependencies(const scenario::EcsTaskDefinitionSpec& td);

// When each container starts, from the end of the task's image pull: at once, or when what its
// dependsOn names is met: START the dependency's start, COMPLETE and SUCCESS its exit (its
// exits_after; exit code 0, so both are met), HEALTHY its first passed check (checks every
// `interval` from its start; a sidecar answers its own at once, the application once it
// answers, `app_ready` after its start; never when it never answers or its check probes
// another port than the application's). The task is RUNNING when its last essential container
// has started (ECS keeps it PENDING while an essential container waits). kNever: never.
struct ContainerStarts {
    std::vector<SimTime> start;
    SimTime running = 0;
};
ContainerStarts container_starts(const scenario::EcsTaskDefinitionSpec& td, std::size_t app,
                                 SimTime app_ready, int app_port);

}  // namespace stratus::cloud
