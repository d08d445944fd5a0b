#include "sim/cloud/ecs_container_health.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/cloud/ecs_service.hpp"
#include "sim/cloud/events.hpp"
#include "sim/scenario/limits.hpp"

namespace stratus::cloud {

const char* to_string(HealthStatus status) {
    switch (status) {
        case HealthStatus::Healthy:
            return "HEALTHY";
        case HealthStatus::Unhealthy:
            return "UNHEALTHY";
        case HealthStatus::Unknown:
            break;
    }
    return "UNKNOWN";
}

void apply_check(ContainerCheck& c, CheckOutcome outcome, SimTime since_start,
                 const scenario::ContainerHealthCheckSpec& hc) {
    c.last = outcome;
    if (outcome == CheckOutcome::Passed) {
        c.failures = 0;
        c.status = HealthStatus::Healthy;
        return;
    }
    // Docker: while the container has never passed a check (UNKNOWN to ECS), a failure of a
    // check that began within the start period does not count.
    if (c.status == HealthStatus::Unknown && since_start < hc.start_period * kSecond) return;
    if (++c.failures >= hc.retries) c.status = HealthStatus::Unhealthy;
}

HealthStatus task_health(const scenario::EcsTaskDefinitionSpec& td,
                         const std::vector<ContainerCheck>& checks) {
    bool any = false, unknown = false;
    for (std::size_t i = 0; i < td.containers.size() && i < checks.size(); ++i) {
        if (!td.containers[i].essential || !checks[i].checked) continue;
        if (checks[i].status == HealthStatus::Unhealthy) return HealthStatus::Unhealthy;
        any = true;
        unknown = unknown || checks[i].status == HealthStatus::Unknown;
    }
    return !any || unknown ? HealthStatus::Unknown : HealthStatus::Healthy;
}

bool any_container_health_check(const scenario::EcsTaskDefinitionSpec& td) {
    for (const auto& c : td.containers)
        if (c.health_check) return true;
    return false;
}

bool has_container_health_checks(const scenario::EcsTaskDefinitionSpec& td) {
    for (const auto& c : td.containers)
        if (c.health_check && c.essential) return true;
    return false;
}

int application_port(const scenario::EcsTaskDefinitionSpec& td,
                     const scenario::EcsServiceSpec& service, std::size_t container) {
    if (td.app_port) return *td.app_port;
    if (!service.load_balancer.empty()) return service.load_balancer.front().container_port;
    if (container < td.containers.size() && !td.containers[container].port_mappings.empty())
        return td.containers[container].port_mappings.front().container_port;
    return 0;
}

std::size_t application_container(const scenario::EcsTaskDefinitionSpec& td,
                                  const scenario::EcsServiceSpec& service) {
    if (!service.load_balancer.empty())
        for (std::size_t i = 0; i < td.containers.size(); ++i)
            if (td.containers[i].name == service.load_balancer.front().container_name) return i;
    for (std::size_t i = 0; i < td.containers.size(); ++i)
        if (td.containers[i].essential) return i;
    return 0;
}

bool has_container_dependencies(const scenario::EcsTaskDefinitionSpec& td) {
    for (const auto& c : td.containers)
        if (!c.depends_on.empty() || c.exits_after) return true;
    return false;
}

namespace {

// When `dep`, started at `started`, meets `condition` (kNever: never).
SimTime condition_met(const scenario::ContainerDefinitionSpec& dep, bool is_app, SimTime started,
                      scenario::ContainerCondition condition, SimTime app_ready, int app_port) {
    using scenario::ContainerCondition;
    if (started == kNever) return kNever;
    switch (condition) {
        case ContainerCondition::Start:
            return started;
        case ContainerCondition::Complete:
        case ContainerCondition::Success:
            return dep.exits_after ? started + *dep.exits_after : kNever;
        case ContainerCondition::Healthy:
            break;
    }
    const scenario::ContainerHealthCheckSpec& hc = *dep.health_check;
    const SimTime ready = is_app ? app_ready : 0;
    if (ready == kNever || (is_app && hc.port != 0 && app_port != 0 && hc.port != app_port))
        return kNever;
    // The first check that finds it answering: k x interval after its start, k >= 1.
    const SimTime interval = hc.interval * kSecond;
    const SimTime k = std::max<SimTime>(1, (ready + interval - 1) / interval);
    return started + k * interval;
}

}  // namespace

ContainerStarts container_starts(const scenario::EcsTaskDefinitionSpec& td, std::size_t app,
                                 SimTime app_ready, int app_port) {
    const std::size_t n = td.containers.size();
    ContainerStarts out;
    out.start.assign(n, -1);
    // dependsOn has no cycle (the loader refuses one): n rounds settle every container.
    for (std::size_t round = 0; round < n; ++round)
        for (std::size_t i = 0; i < n; ++i) {
            if (out.start[i] >= 0) continue;
            SimTime at = 0;
            bool known = true;
            for (const auto& d : td.containers[i].depends_on) {
                std::size_t j = 0;
                while (j < n && td.containers[j].name != d.container_name)
                    ++j;
                if (j == n) continue;
                if (out.start[j] < 0) {
                    known = false;
                    break;
                }
                at = std::max(at, condition_met(td.containers[j], j == app, out.start[j],
                                                d.condition, app_ready, app_port));
            }
            if (known) out.start[i] = at;
        }
    for (std::size_t i = 0; i < n; ++i)
        if (td.containers[i].essential) out.running = std::max(out.running, out.start[i]);
    return out;
}

// The container's check events carry the task's index and the container's (4 bits:
// kMaxContainersPerTaskDefinition).
namespace {
constexpr std::uint32_t kContainerBits = 4;
static_assert(scenario::kMaxContainersPerTaskDefinition <= (1u << kContainerBits));
std::uint32_t check_arg(std::uint32_t task, std::size_t container) {
    return task << kContainerBits | static_cast<std::uint32_t>(container);
}
}  // namespace

// RUNNING: each container with a healthCheck is UNKNOWN, its first check `interval` later.
void EcsService::start_container_checks(std::uint32_t index) {
    EcsTask& t = tasks_[index];
    const auto& td = deployments_[t.deployment].task_definition;
    if (!any_container_health_check(td)) return;
    t.container_checks.assign(td.containers.size(), ContainerCheck{});
    for (std::size_t c = 0; c < td.containers.size(); ++c) {
        if (!td.containers[c].health_check) continue;
        t.container_checks[c].checked = true;
        sim_.schedule_in(td.containers[c].health_check->interval * kSecond, this, kContainerCheck,
                         check_arg(index, c));
    }
}

CheckOutcome EcsService::container_probe(const EcsTask& t, std::size_t container) const {
    const auto& td = deployments_[t.deployment].task_definition;
    const scenario::ContainerHealthCheckSpec& hc = *td.containers[container].health_check;
    // A sidecar (not the serving container) answers its own check while it runs.
    if (container != application_container(td, spec_)) return CheckOutcome::Passed;
    if (!t.app_listening) return CheckOutcome::NoAnswer;
    const int listens = application_port(td, spec_, container);
    if (hc.port != 0 && listens != 0 && hc.port != listens) return CheckOutcome::WrongPort;
    if (fleet_[t.instance].estimated_response_s() > hc.timeout) return CheckOutcome::TimedOut;
    return CheckOutcome::Passed;
}

// A check begins: answered or refused, it ends now; timing out, `timeout` later
// (kContainerCheckTimedOut).
void EcsService::container_check(std::uint32_t arg) {
    const std::uint32_t index = arg >> kContainerBits;
    const std::size_t c = arg & ((1u << kContainerBits) - 1);
    const EcsTask& t = tasks_[index];
    if (t.status != TaskStatus::Running) return;
    const auto& hc = *deployments_[t.deployment].task_definition.containers[c].health_check;
    const CheckOutcome outcome = container_probe(t, c);
    if (outcome == CheckOutcome::TimedOut) {
        sim_.schedule_in(hc.timeout * kSecond, this, kContainerCheckTimedOut, arg);
        return;
    }
    container_check_ended(arg, outcome, sim_.now());
}

void EcsService::container_check_timed_out(std::uint32_t arg) {
    const EcsTask& t = tasks_[arg >> kContainerBits];
    const auto& td = deployments_[t.deployment].task_definition;
    const int timeout = td.containers[arg & ((1u << kContainerBits) - 1)].health_check->timeout;
    container_check_ended(arg, CheckOutcome::TimedOut, sim_.now() - timeout * kSecond);
}

bool EcsService::lb_port_matches(const scenario::EcsTaskDefinitionSpec& td) const {
    return !td.app_port || spec_.load_balancer.empty() ||
           *td.app_port == spec_.load_balancer.front().container_port;
}

// A check that began at `began` ended with `outcome`; the next begins `interval` later.
void EcsService::container_check_ended(std::uint32_t arg, CheckOutcome outcome, SimTime began) {
    const std::uint32_t index = arg >> kContainerBits;
    const std::size_t c = arg & ((1u << kContainerBits) - 1);
    EcsTask& t = tasks_[index];
    if (t.status != TaskStatus::Running) return;
    const auto& td = deployments_[t.deployment].task_definition;
    const auto& hc = *td.containers[c].health_check;
    ContainerCheck& check = t.container_checks[c];
    const HealthStatus before = check.status;
    apply_check(check, outcome, began - t.started_at, hc);
    sim_.schedule_in(hc.interval * kSecond, this, kContainerCheck, arg);
    if (check.status == before) return;
    t.health = task_health(td, t.container_checks);
    observer_.log(sim_.now(),
                  event::EcsContainerHealthChanged{spec_.cluster, spec_.name, t.id,
                                                   td.containers[c].name, to_string(check.status),
                                                   to_string(t.health), check_failure(t, c)});
}

// Why the container's last check failed, for the event log ("" when it passed).
std::string EcsService::check_failure(const EcsTask& t, std::size_t c) const {
    const auto& td = deployments_[t.deployment].task_definition;
    const auto& hc = *td.containers[c].health_check;
    const ContainerCheck& check = t.container_checks[c];
    const char* scheme = hc.port == 0 ? "the process" : "localhost";
    switch (check.last) {
        case CheckOutcome::Passed:
            return {};
        case CheckOutcome::NoAnswer:
            return fmt::format(
                "{} failed check(s) in a row: the application does not answer "
                "(not started)",
                check.failures);
        case CheckOutcome::WrongPort:
            return fmt::format(
                "{} failed check(s) in a row: nothing listens on {}:{} (the "
                "application listens on {})",
                check.failures, scheme, hc.port, application_port(td, spec_, c));
        case CheckOutcome::TimedOut:
            return fmt::format(
                "{} failed check(s) in a row: no answer within the {} s timeout "
                "(requests queue in the task)",
                check.failures, hc.timeout);
    }
    return {};
}

// The scheduler's poll: a RUNNING task whose healthStatus is UNHEALTHY, past the grace
// period, is replaced (its replacement first, within maximumPercent: ecs_replacement.hpp).
void EcsService::check_container_health() {
    const SimTime grace = spec_.health_check_grace_period_seconds * kSecond;
    for (std::uint32_t i = 0; i < tasks_.size(); ++i) {
        const EcsTask& t = tasks_[i];
        if (t.status != TaskStatus::Running || t.replacing || t.health != HealthStatus::Unhealthy ||
            sim_.now() - t.started_at < grace)
            continue;
        ++counts_.container_health_replacements;
        task_failed(i);
        replace(i, ReplaceCause::Unhealthy, "Task failed container health checks");
    }
}

}  // namespace stratus::cloud
