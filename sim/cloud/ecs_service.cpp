#include "sim/cloud/ecs_service.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "sim/cloud/events.hpp"
#include "sim/cloud/spot_market.hpp"

namespace stratus::cloud {

namespace {
// Without a load balancer or container health checks, how long after RUNNING ECS waits before
// it counts a task towards the minimum healthy percent (the ECS API Reference).
constexpr SimTime kHealthyAfterRunning = 40 * kSecond;
}  // namespace

const char* to_string(TaskStatus status) {
    switch (status) {
        case TaskStatus::Provisioning:
            return "PROVISIONING";
        case TaskStatus::Pending:
            return "PENDING";
        case TaskStatus::Activating:
            return "ACTIVATING";
        case TaskStatus::Running:
            return "RUNNING";
        case TaskStatus::Deactivating:
            return "DEACTIVATING";
        case TaskStatus::Stopping:
            return "STOPPING";
        case TaskStatus::Deprovisioning:
            return "DEPROVISIONING";
        case TaskStatus::Stopped:
            return "STOPPED";
    }
    return "?";
}

const char* to_string(DeploymentStatus status) {
    switch (status) {
        case DeploymentStatus::Primary:
            return "PRIMARY";
        case DeploymentStatus::Active:
            return "ACTIVE";
        case DeploymentStatus::Inactive:
            return "INACTIVE";
    }
    return "?";
}

const char* to_string(RolloutState state) {
    switch (state) {
        case RolloutState::InProgress:
            return "IN_PROGRESS";
        case RolloutState::Completed:
            return "COMPLETED";
        case RolloutState::Failed:
            return "FAILED";
    }
    return "?";
}

const char* to_string(scenario::EcsCapacityProvider provider) {
    return provider == scenario::EcsCapacityProvider::FargateSpot ? "FARGATE_SPOT" : "FARGATE";
}

std::array<int, 2> split_by_strategy(
    int desired, const std::vector<scenario::EcsCapacityProviderStrategySpec>& strategy) {
    std::array<int, 2> out{0, 0};
    if (strategy.empty()) {
        out[0] = std::max(0, desired);
        return out;
    }
    int left = std::max(0, desired);
    for (const auto& item : strategy) {
        const int b = std::min(left, item.base);
        out[static_cast<std::size_t>(item.capacity_provider)] += b;
        left -= b;
    }
    // Each further task to the provider furthest behind its weight: the smallest
    // (above + 1) / weight, compared as integers (a1 + 1) w2 < (a2 + 1) w1.
    std::array<std::int64_t, 2> above{0, 0};
    for (; left > 0; --left) {
        const scenario::EcsCapacityProviderStrategySpec* best = nullptr;
        for (const auto& item : strategy) {
            if (item.weight <= 0) continue;
            const auto p = static_cast<std::size_t>(item.capacity_provider);
            if (!best) {
                best = &item;
                continue;
            }
            const auto b = static_cast<std::size_t>(best->capacity_provider);
            if ((above[p] + 1) * best->weight < (above[b] + 1) * item.weight) best = &item;
        }
        if (!best) break;  // no weight: validate refuses such a strategy
        const auto p = static_cast<std::size_t>(best->capacity_provider);
        ++above[p];
        ++out[p];
    }
    return out;
}

// The authorization leg fails first for an Amazon ECR image, the manifest for another.
std::string EcsService::image_pull_stopped_reason(const std::string& image) {
    return pull_stopped_reason(image, is_ecr_image(image) ? PullPath::Auth : PullPath::Manifest);
}

SimTime EcsService::pull_duration(const scenario::EcsTaskDefinitionSpec& td, RandomStream& rng) {
    if (td.image_size_mb)
        return static_cast<SimTime>(
            std::llround(*td.image_size_mb / td.image_pull_throughput * kSecond));
    return rng.sample(td.image_pull_time);
}

SimTime EcsService::throttle_delay(int failures_in_a_row) {
    if (failures_in_a_row <= 0) return 0;
    SimTime delay = 15 * kSecond;
    for (int i = 1; i < failures_in_a_row && delay < kMaxThrottle; ++i)
        delay *= 2;
    return std::min(delay, kMaxThrottle);
}

std::vector<int> split_by_items(
    int desired, const std::vector<scenario::EcsCapacityProviderStrategySpec>& strategy) {
    std::vector<int> out(strategy.size(), 0);
    int left = std::max(0, desired);
    for (std::size_t i = 0; i < strategy.size(); ++i) {
        const int b = std::min(left, strategy[i].base);
        out[i] += b;
        left -= b;
    }
    // As split_by_strategy: each further task to the item furthest behind its weight.
    std::vector<std::int64_t> above(strategy.size(), 0);
    for (; left > 0; --left) {
        int best = -1;
        for (std::size_t i = 0; i < strategy.size(); ++i) {
            if (strategy[i].weight <= 0) continue;
            const auto b = static_cast<std::size_t>(best);
            if (best < 0 ||
                (above[i] + 1) * strategy[b].weight < (above[b] + 1) * strategy[i].weight)
                best = static_cast<int>(i);
        }
        if (best < 0) break;
        ++above[static_cast<std::size_t>(best)];
        ++out[static_cast<std::size_t>(best)];
    }
    return out;
}

int EcsService::failure_threshold(int desired_count) {
    return std::clamp((desired_count + 1) / 2, 3, 200);
}

int EcsService::minimum_healthy_tasks(int desired_count, int percent) {
    return static_cast<int>((static_cast<std::int64_t>(desired_count) * percent + 99) / 100);
}

int EcsService::maximum_tasks(int desired_count, int percent) {
    return static_cast<int>(static_cast<std::int64_t>(desired_count) * percent / 100);
}

EcsService::EcsService(const scenario::EcsServiceSpec& spec,
                       const scenario::EcsTaskDefinitionSpec& task_definition,
                       std::vector<int> zones, std::vector<TargetGroup*> target_groups,
                       std::uint64_t seed, Simulation& sim, Fleet& fleet, RunObserver& observer)
    : spec_(spec),
      zones_(std::move(zones)),
      zone_up_(fleet.zone_names().size(), 1),
      target_groups_(std::move(target_groups)),
      rng_(seed, "ecs/" + spec.name),
      spot_rng_(seed, "ecs/" + spec.name + "/spot"),
      sim_(sim),
      fleet_(fleet),
      observer_(observer) {
    // The deployment that creates the service (not logged: its tasks' changes are).
    EcsDeployment d;
    d.id = "ecs-svc/1";
    d.task_definition = task_definition;
    d.placement = PlacementConstraints::of(spec_, task_definition);
    deployments_.push_back(std::move(d));
}

void EcsService::start() {
    reconcile();
    sim_.schedule_in(kPollInterval, this, kPoll);
}

int EcsService::count(TaskStatus status) const {
    return static_cast<int>(std::count_if(tasks_.begin(), tasks_.end(),
                                          [&](const EcsTask& t) { return t.status == status; }));
}

int EcsService::placement_zone() const {
    int best = -1, best_count = 0;
    for (int z : zones_) {
        if (!zone_up_[static_cast<std::size_t>(z)]) continue;
        const auto n = std::count_if(tasks_.begin(), tasks_.end(), [&](const EcsTask& t) {
            return active(t) && t.availability_zone == z;
        });
        if (best < 0 || n < best_count) {
            best = z;
            best_count = static_cast<int>(n);
        }
    }
    return best;
}

// A task counts as healthy (towards the minimum healthy percent, a deployment's completion and
// the circuit breaker's reset) when it is RUNNING, its healthStatus is HEALTHY if an essential
// container has a health check, and each of its target groups finds it healthy. A service
// without a load balancer and without container health checks: ECS counts a task only 40 s
// after it reached RUNNING (DeploymentConfiguration's minimumHealthyPercent).
bool EcsService::healthy(const EcsTask& t) const {
    if (t.status != TaskStatus::Running) return false;
    const bool checked = has_container_health_checks(deployments_[t.deployment].task_definition);
    if (checked && t.health != HealthStatus::Healthy) return false;
    if (target_groups_.empty()) return checked || sim_.now() - t.started_at >= kHealthyAfterRunning;
    for (const TargetGroup* tg : target_groups_)
        if (tg->state_of(t.instance) != TargetHealthState::Healthy) return false;
    return true;
}

// Stops before starts: the tasks being stopped no longer count as RUNNING or PENDING (their
// desired status is STOPPED), so the starts use the room they leave at the same instant.
// Without an older deployment this only starts the PRIMARY's tasks up to desired_count.
void EcsService::reconcile() {
    if (reconciling_) return;  // a stop below calls back
    reconciling_ = true;
    if (daemon()) spec_.desired_count = daemon_desired();
    const int desired = spec_.desired_count;
    const int minimum = minimum_healthy_tasks(desired, spec_.deployment_minimum_healthy_percent);
    const int maximum = maximum_tasks(desired, spec_.deployment_maximum_percent);
    int healthy_now = 0, active_now = 0, primary_active = 0;
    for (const EcsTask& t : tasks_) {
        if (!active(t)) continue;
        ++active_now;
        healthy_now += healthy(t) ? 1 : 0;
        primary_active += t.deployment == primary_ && !t.replacing ? 1 : 0;
    }
    // Older deployments' tasks (ecs_replacement.cpp): those the rolling update no longer
    // keeps stop, the ones not healthy first, healthy ones within the minimum.
    int stopped = retire_older(minimum, healthy_now, active_now);
    stopped += stop_replaced(desired, minimum, maximum, healthy_now, active_now);
    // A lower desired count: the PRIMARY's surplus stops.
    if (primary_active > desired && !daemon()) {
        const int n = scale_in(primary_active - desired);
        stopped += n;
        active_now -= n;
        primary_active -= n;
    }
    // A failed deployment launches nothing more (the circuit breaker stopped it). The service
    // throttle logic holds the launches (a kThrottleEnd event reconciles). An older
    // deployment's kept tasks are replaced first, then the PRIMARY's started.
    const bool throttled = sim_.now() < throttled_until_;
    int started = throttled ? 0 : relaunch_older(maximum - active_now);
    active_now += started;
    const int room = std::min(desired - primary_active, maximum - active_now);
    if (deployments_[primary_].rollout_state != RolloutState::Failed && !throttled && daemon())
        started += launch_daemons(room);
    else if (deployments_[primary_].rollout_state != RolloutState::Failed && !throttled)
        for (int n = 0; n < room; ++n, ++started) {
            const int zone = capacity_ ? -1 : placement_zone();
            if (zone < 0 && !capacity_) break;  // every zone is down: the next poll tries again
            launch(zone);
        }
    place_waiting();
    if (deployments_[primary_].logged && (started > 0 || stopped > 0))
        log_step(started, stopped, minimum, maximum);
    if (!throttled) log_stuck(started, stopped, maximum, active_now);
    reconciling_ = false;
    check_completion();
}

// Which tasks a scale-in stops: those of the capacity provider furthest above its share of
// the new desired count (the strategy's split holds), and of those the ones not RUNNING yet
// first (they serve nothing), then one at a time from the zone with the most of the PRIMARY's
// tasks of that provider, keeping the spread across AZs as ECS does; within a zone the newest
// task (AWS does not say; the newest has served least).
int EcsService::scale_in(int surplus) {
    int stopped = 0;
    for (int pass = 0; pass < 2 && stopped < surplus; ++pass)
        for (std::uint32_t i = static_cast<std::uint32_t>(tasks_.size()); i-- > 0;) {
            if (stopped == surplus) break;
            const EcsTask& t = tasks_[i];
            if (!active(t) || t.deployment != primary_ || t.replacing) continue;
            const scenario::EcsCapacityProvider provider = surplus_provider();
            if (t.capacity_provider != provider) continue;
            if (t.ec2 && providers_.size() > 1 && t.provider != surplus_ec2_provider()) continue;
            if (pass == 0 && t.status == TaskStatus::Running) continue;
            if (pass == 1) {
                // The zone with the most of the PRIMARY's active tasks (the first on a tie).
                std::vector<int> per_zone(zone_up_.size(), 0);
                for (const EcsTask& o : tasks_)
                    if (active(o) && o.deployment == primary_ && o.capacity_provider == provider &&
                        o.availability_zone >= 0)
                        ++per_zone[static_cast<std::size_t>(o.availability_zone)];
                int zone = zones_.empty() ? t.availability_zone : zones_.front();
                for (int z : zones_)
                    if (per_zone[static_cast<std::size_t>(z)] >
                        per_zone[static_cast<std::size_t>(zone)])
                        zone = z;
                if (t.availability_zone != zone) continue;
            }
            stop(i, fmt::format("Scaling activity initiated by (deployment {})",
                                deployments_[primary_].id));
            ++stopped;
            i = static_cast<std::uint32_t>(tasks_.size());  // the counts changed: look again
        }
    return stopped;
}

std::array<int, 2> EcsService::active_by_provider(int deployment) const {
    if (deployment < 0) deployment = primary_;
    std::array<int, 2> n{0, 0};
    for (const EcsTask& t : tasks_)
        if (active(t) && t.deployment == deployment && !t.replacing)
            ++n[static_cast<std::size_t>(t.capacity_provider)];
    return n;
}

// On a tie (equal shortfalls), the provider listed first. An older deployment's replacement
// follows the split of the tasks it keeps, so it goes where the task it replaces was.
scenario::EcsCapacityProvider EcsService::next_provider(int deployment) const {
    using scenario::EcsCapacityProvider;
    const int count = deployment < 0 || deployment == primary_
                          ? spec_.desired_count
                          : deployments_[static_cast<std::size_t>(deployment)].desired;
    const std::array<int, 2> want = split_by_strategy(count, spec_.capacity_provider_strategy);
    const std::array<int, 2> have = active_by_provider(deployment);
    const int fargate = want[0] - have[0], spot = want[1] - have[1];
    if (spot != fargate)
        return spot > fargate ? EcsCapacityProvider::FargateSpot : EcsCapacityProvider::Fargate;
    const auto& s = spec_.capacity_provider_strategy;
    return s.empty() ? EcsCapacityProvider::Fargate : s.front().capacity_provider;
}

scenario::EcsCapacityProvider EcsService::surplus_provider() const {
    const std::array<int, 2> want =
        split_by_strategy(spec_.desired_count, spec_.capacity_provider_strategy);
    const std::array<int, 2> have = active_by_provider();
    return have[1] - want[1] > have[0] - want[0] ? scenario::EcsCapacityProvider::FargateSpot
                                                 : scenario::EcsCapacityProvider::Fargate;
}

std::vector<int> EcsService::active_by_ec2_provider(int deployment) const {
    if (deployment < 0) deployment = primary_;
    std::vector<int> n(providers_.size(), 0);
    for (const EcsTask& t : tasks_)
        if (active(t) && t.deployment == deployment && !t.replacing)
            for (std::size_t i = 0; i < providers_.size(); ++i)
                if (providers_[i] == t.provider) ++n[i];
    return n;
}

// On a tie, the provider listed first.
int EcsService::next_ec2_provider(int deployment) const {
    if (providers_.empty()) return -1;
    const int count = deployment < 0 || deployment == primary_
                          ? spec_.desired_count
                          : deployments_[static_cast<std::size_t>(deployment)].desired;
    const std::vector<int> want = split_by_items(count, spec_.capacity_provider_strategy);
    const std::vector<int> have = active_by_ec2_provider(deployment);
    std::size_t best = 0;
    for (std::size_t i = 1; i < providers_.size(); ++i)
        if (want[i] - have[i] > want[best] - have[best]) best = i;
    return providers_[best];
}

int EcsService::surplus_ec2_provider() const {
    if (providers_.size() < 2) return -1;
    const std::vector<int> want =
        split_by_items(spec_.desired_count, spec_.capacity_provider_strategy);
    const std::vector<int> have = active_by_ec2_provider();
    std::size_t best = 0;
    for (std::size_t i = 1; i < providers_.size(); ++i)
        if (have[i] - want[i] > have[best] - want[best]) best = i;
    return providers_[best];
}

int EcsService::interrupt_spot(double fraction, RandomStream& rng, const std::string& cause) {
    std::vector<std::uint32_t> spot;
    for (std::uint32_t i = 0; i < tasks_.size(); ++i)
        if (active(tasks_[i]) &&
            tasks_[i].capacity_provider == scenario::EcsCapacityProvider::FargateSpot)
            spot.push_back(i);
    if (spot.empty()) return 0;
    const int count = std::max(
        1, static_cast<int>(std::ceil(fraction * static_cast<double>(spot.size()) - 1e-9)));
    int n = 0;
    for (; n < count && !spot.empty(); ++n) {
        const std::size_t pick = rng.below(spot.size());
        const std::uint32_t task = spot[pick];
        spot.erase(spot.begin() + static_cast<std::ptrdiff_t>(pick));
        spot_warning(task, cause);
    }
    return n;
}

// The two-minute warning: ECS stops the task at once (SIGTERM to its containers,
// deregistration from its target groups), and the scheduler, seeing one task fewer, starts
// the replacement now. Its stoppedReason is ECS's.
void EcsService::spot_warning(std::uint32_t index, const std::string& cause) {
    EcsTask& t = tasks_[index];
    if (!active(t) || t.capacity_provider != scenario::EcsCapacityProvider::FargateSpot) return;
    t.spot_interrupted = true;
    ++counts_.spot_interruptions;
    observer_.log(sim_.now(),
                  event::EcsSpotInterruptionWarning{spec_.cluster, spec_.name, t.id,
                                                    fleet_.zone_name(t.availability_zone),
                                                    to_seconds(sim_.now() + kSpotNotice), cause});
    sim_.schedule_in(kSpotNotice, this, kSpotReclaimed, index);
    stop(index, "Your Spot Task was interrupted.");
}

// Two minutes on, the capacity is gone: a task still draining loses its compute (requests
// it still holds fail) and stops.
void EcsService::spot_reclaimed(std::uint32_t index) {
    EcsTask& t = tasks_[index];
    if (t.status != TaskStatus::Deactivating) return;
    fleet_[t.instance].power_off();
    finish_stop(index);
    reconcile();
}

void EcsService::set_desired_count(int count, const std::string& cause) {
    if (count == spec_.desired_count) return;
    observer_.log(sim_.now(), event::EcsServiceDesiredCountChanged{
                                  spec_.cluster, spec_.name, spec_.desired_count, count, cause});
    // Scale-out during a rolling deployment: ECS applies it to both service revisions, so
    // the running one can take the load if the new one fails (What's New, November 2025). AWS
    // does not say how it is shared: each older deployment's kept tasks grow in proportion.
    if (count > spec_.desired_count && spec_.desired_count > 0 && deployment_in_progress())
        for (std::size_t d = 0; d < deployments_.size(); ++d)
            if (static_cast<int>(d) != primary_ && deployments_[d].desired > 0)
                deployments_[d].desired = std::min(
                    count,
                    static_cast<int>((static_cast<std::int64_t>(deployments_[d].desired) * count +
                                      spec_.desired_count - 1) /
                                     spec_.desired_count));
    spec_.desired_count = count;
    reconcile();
}

void EcsService::log_step(int started, int stopped, int minimum, int maximum) {
    event::EcsDeploymentStep e{spec_.cluster,
                               spec_.name,
                               deployments_[primary_].id,
                               started,
                               stopped,
                               minimum,
                               maximum,
                               0,
                               0,
                               0};
    for (const EcsTask& t : tasks_) {
        if (!active(t)) continue;
        ++e.tasks;
        e.healthy += healthy(t) ? 1 : 0;
        e.new_tasks += t.deployment == primary_ ? 1 : 0;
    }
    observer_.log(sim_.now(), std::move(e));
}

// A task seen healthy for the first time (at a poll) resets its deployment's failure count:
// the circuit breaker counts failures in a row (resetOnHealthyTask, AWS's default).
void EcsService::note_health() {
    for (EcsTask& t : tasks_)
        if (active(t) && !t.was_healthy && healthy(t)) {
            t.was_healthy = true;
            deployments_[static_cast<std::size_t>(t.deployment)].failed_tasks = 0;
        }
}

// The PRIMARY deployment completes once desired_count of its tasks are healthy and no older
// task is left; an older deployment without tasks becomes INACTIVE.
void EcsService::check_completion() {
    int primary_healthy = 0, older_active = 0;
    std::vector<char> has_tasks(deployments_.size(), 0);
    for (const EcsTask& t : tasks_) {
        if (!active(t)) continue;
        has_tasks[static_cast<std::size_t>(t.deployment)] = 1;
        if (t.deployment == primary_)
            primary_healthy += healthy(t) ? 1 : 0;
        else
            ++older_active;
    }
    for (std::size_t i = 0; i < deployments_.size(); ++i)
        if (static_cast<int>(i) != primary_ && !has_tasks[i] &&
            deployments_[i].status == DeploymentStatus::Active)
            deployments_[i].status = DeploymentStatus::Inactive;
    EcsDeployment& p = deployments_[static_cast<std::size_t>(primary_)];
    if (p.rollout_state != RolloutState::InProgress || older_active > 0 ||
        primary_healthy < spec_.desired_count)
        return;
    p.rollout_state = RolloutState::Completed;
    if (p.logged)
        log_deployment(p, "SERVICE_DEPLOYMENT_COMPLETED",
                       fmt::format("ECS deployment {} completed.", p.id));
}

void EcsService::log_deployment(const EcsDeployment& d, const char* event_name,
                                std::string reason) {
    observer_.log(sim_.now(), event::EcsDeploymentStateChange{spec_.cluster, spec_.name, d.id,
                                                              d.task_definition.family, event_name,
                                                              std::move(reason)});
}

void EcsService::update_task_definition(const scenario::EcsTaskDefinitionSpec& task_definition,
                                        const std::string& cause) {
    // The outgoing PRIMARY keeps its tasks, desired_count at most, until the new one's turn
    // healthy (a DAEMON service keeps none: its tasks are replaced on their instances).
    int outgoing = 0;
    for (const EcsTask& t : tasks_)
        outgoing += active(t) && t.deployment == primary_ ? 1 : 0;
    for (EcsDeployment& d : deployments_)
        if (d.status == DeploymentStatus::Primary) {
            d.status = DeploymentStatus::Active;
            d.desired = daemon() ? 0 : std::min(outgoing, spec_.desired_count);
        }
    EcsDeployment d;
    d.id = fmt::format("ecs-svc/{}", deployments_.size() + 1);
    d.task_definition = task_definition;
    d.placement = PlacementConstraints::of(spec_, task_definition);
    d.created_at = sim_.now();
    d.logged = true;
    deployments_.push_back(std::move(d));
    primary_ = static_cast<int>(deployments_.size()) - 1;
    // A new task definition ends the throttle (the ECS Developer Guide).
    start_failures_ = 0;
    throttled_until_ = 0;
    throttle_logged_ = false;
    log_deployment(deployments_.back(), "SERVICE_DEPLOYMENT_IN_PROGRESS", cause);
    reconcile();
}

// A task of the PRIMARY deployment failed (its health checks, or its essential container
// exited): the circuit breaker counts it. It does not reconcile: the caller stops the task,
// which does.
void EcsService::task_failed(std::uint32_t index) {
    const int d = tasks_[index].deployment;
    if (!spec_.deployment_circuit_breaker_enable || d != primary_) return;
    EcsDeployment& dep = deployments_[static_cast<std::size_t>(d)];
    if (dep.rollout_state != RolloutState::InProgress) return;
    if (++dep.failed_tasks >= failure_threshold(spec_.desired_count)) deployment_failed(d);
}

// The deployment FAILED; with rollback, the most recent COMPLETED deployment becomes the
// PRIMARY again, IN_PROGRESS (the ECS Developer Guide); without one the service stalls.
void EcsService::deployment_failed(int index) {
    EcsDeployment& failed = deployments_[static_cast<std::size_t>(index)];
    failed.rollout_state = RolloutState::Failed;
    log_deployment(failed, "SERVICE_DEPLOYMENT_FAILED",
                   fmt::format("ECS deployment circuit breaker: {} tasks failed (threshold {}).",
                               failed.failed_tasks, failure_threshold(spec_.desired_count)));
    if (!spec_.deployment_circuit_breaker_rollback) return;
    failed.desired = 0;  // rolled back: none of its tasks is kept
    int back = -1;
    for (int i = 0; i < static_cast<int>(deployments_.size()); ++i)
        if (i != index &&
            deployments_[static_cast<std::size_t>(i)].rollout_state == RolloutState::Completed)
            back = i;  // the latest created
    if (back < 0) return;
    failed.status = DeploymentStatus::Active;
    EcsDeployment& to = deployments_[static_cast<std::size_t>(back)];
    to.status = DeploymentStatus::Primary;
    to.rollout_state = RolloutState::InProgress;
    to.failed_tasks = 0;
    to.logged = true;
    primary_ = back;
    log_deployment(to, "SERVICE_DEPLOYMENT_IN_PROGRESS",
                   fmt::format("ECS deployment circuit breaker: rolling back from {} to {}.",
                               failed.id, to.id));
}

// A task's compute: cpu / 1024 vCPUs as workers (workers_per_vcpu each); a task of less than
// one vCPU gets one vCPU's workers at that fraction of a vCPU's speed (a CPU quota).
void EcsService::launch(int zone, int deployment) {
    if (capacity_) {
        launch_on_ec2(-1, deployment);
        return;
    }
    if (deployment < 0) deployment = primary_;
    const auto index = static_cast<std::uint32_t>(tasks_.size());
    const scenario::EcsTaskDefinitionSpec& td =
        deployments_[static_cast<std::size_t>(deployment)].task_definition;
    EcsTask task;
    task.id = fmt::format("{}-task-{}", spec_.name, index + 1);
    task.deployment = deployment;
    task.vcpu = td.cpu / 1024.0;
    task.memory_gb = td.memory / 1024.0;
    task.availability_zone = zone;
    task.created_at = sim_.now();
    task.capacity_provider = next_provider(deployment);
    tasks_.push_back(std::move(task));
    EcsTask& t = tasks_.back();
    Instance& inst = create_compute(t, td, zone, td.cpu, 1.0, t.id);
    ++counts_.started;
    inst.launch();
    if (unreachable_) inst.set_reachable(false);
    told(t, TaskStatus::Provisioning);
    sim_.schedule_in(rng_.sample(td.provisioning_time), this, kProvisioned, index);
    if (t.capacity_provider == scenario::EcsCapacityProvider::FargateSpot) {
        // When Fargate Spot will reclaim it, drawn now (the Spot market's process: the
        // warning is the Poisson event, the task always gets its two minutes).
        const SpotInterruption next = SpotInterruptionProcess(spec_.spot_interruption_monthly_rate)
                                          .next_interruption(sim_.now(), spot_rng_);
        if (next.notice != kNever) sim_.schedule_at(next.notice, this, kSpotWarning, index);
    }
}

Instance& EcsService::create_compute(EcsTask& task, const scenario::EcsTaskDefinitionSpec& td,
                                     int zone, double cpu_units, double speed, std::string name) {
    InstanceConfig c;
    c.name = std::move(name);
    c.instance_type = task.ec2 ? "ecs-task" : "fargate";
    c.ecs_task = true;
    c.availability_zone = zone;
    c.ecs_service = index_;
    c.vcpu = std::max(1, static_cast<int>(cpu_units) / 1024);
    c.speed = speed * (cpu_units / 1024.0) / c.vcpu;
    c.workers = c.vcpu * td.workers_per_vcpu;
    c.max_queue = td.max_queue;
    c.ebs_gb = 0;
    const std::string& role = td.task_role_arn;
    if (!role.empty()) c.iam_principal = "role/" + role.substr(role.rfind('/') + 1);
    c.tags = spec_.tags;
    c.type.name = c.instance_type;
    c.type.vcpu = c.vcpu;
    c.type.memory_gib = td.memory / 1024.0;
    c.type.speed = c.speed;
    Instance& inst = fleet_.create(std::move(c));
    task.instance = inst.index();
    return inst;
}

void EcsService::launch_on_ec2(int host, int deployment) {
    if (deployment < 0) deployment = primary_;
    const auto index = static_cast<std::uint32_t>(tasks_.size());
    const scenario::EcsTaskDefinitionSpec& td =
        deployments_[static_cast<std::size_t>(deployment)].task_definition;
    EcsTask task;
    task.id = fmt::format("{}-task-{}", spec_.name, index + 1);
    task.deployment = deployment;
    task.ec2 = true;
    task.provider = host >= 0 ? -1 : next_ec2_provider(deployment);
    task.need = reservation_of(td);
    task.vcpu = task.need.cpu / 1024.0;
    task.memory_gb = task.need.memory / 1024.0;
    task.availability_zone = -1;
    task.instance = kNoCompute;
    task.created_at = sim_.now();
    tasks_.push_back(std::move(task));
    ++counts_.started;
    told(tasks_.back(), TaskStatus::Provisioning);
    if (host >= 0)
        place_on(index, host);
    else
        place(index);
}

// An instance counts while it is registered in an available AZ, or while it still holds one
// of the service's tasks (until the instance is lost, which stops it).
int EcsService::daemon_desired() {
    int n = 0;
    for (std::size_t i = 0; i < capacity_->instances().size(); ++i) {
        const ContainerInstance& ci = capacity_->instances()[i];
        const int host = static_cast<int>(i);
        if ((capacity_->registered(ci) && zone_up_[static_cast<std::size_t>(ci.zone)] &&
             capacity_->allowed(host, deployments_[primary_].placement, *this)) ||
            active_tasks_on(host) > 0)
            ++n;
    }
    return n;
}

int EcsService::launch_daemons(int room) {
    const TaskReservation need = reservation_of(deployments_[primary_].task_definition);
    int started = 0;
    bool unplaced = false;
    for (std::size_t i = 0; i < capacity_->instances().size() && started < room; ++i) {
        const int host = static_cast<int>(i);
        const ContainerInstance& ci = capacity_->instances()[i];
        if (!capacity_->registered(ci) || !zone_up_[static_cast<std::size_t>(ci.zone)] ||
            active_tasks_on(host) > 0 ||
            !capacity_->allowed(host, deployments_[primary_].placement, *this))
            continue;
        if (!capacity_->has_room(host, need)) {
            unplaced = true;
            continue;
        }
        launch_on_ec2(host);
        ++started;
    }
    if (!unplaced)
        unplaced_text_.clear();
    else
        log_unplaced(
            fmt::format("(service {}) was unable to place a task because no container "
                        "instance met all of its requirements.",
                        spec_.name));
    return started;
}

TaskReservation EcsService::reservation_of(const scenario::EcsTaskDefinitionSpec& td) {
    TaskReservation r;
    int cpu = 0, memory = 0;
    for (const auto& c : td.containers) {
        cpu += c.cpu;
        // memoryReservation (the soft limit) is what the instance gives up when given, else
        // memory (the hard limit): the container may burst above its reservation.
        memory += c.memory_reservation > 0 ? c.memory_reservation : c.memory;
        if (td.network_mode != scenario::NetworkMode::Bridge &&
            td.network_mode != scenario::NetworkMode::Host)
            continue;
        for (const auto& m : c.port_mappings) {
            if (td.network_mode == scenario::NetworkMode::Host)
                r.host_ports.push_back(m.container_port);
            else if (m.host_port > 0)
                r.host_ports.push_back(m.host_port);
            else
                ++r.dynamic_ports;
        }
    }
    r.cpu = td.cpu > 0 ? td.cpu : cpu;
    r.memory = td.memory > 0 ? td.memory : memory;
    return r;
}

// The ports come back from EcsCapacity::reserve as the fixed ones in the containers' order,
// then the dynamic ones in the same order.
int EcsService::target_port(const EcsTask& task) const {
    if (spec_.load_balancer.empty()) return 0;
    const auto& lb = spec_.load_balancer.front();
    const scenario::EcsTaskDefinitionSpec& td =
        deployments_[static_cast<std::size_t>(task.deployment)].task_definition;
    const bool host_mode = td.network_mode == scenario::NetworkMode::Host;
    std::size_t fixed = 0, dynamic = task.need.host_ports.size();
    for (const auto& c : td.containers)
        for (const auto& m : c.port_mappings) {
            const bool is_fixed = host_mode || m.host_port > 0;
            const std::size_t at = is_fixed ? fixed++ : dynamic++;
            if (c.name == lb.container_name && m.container_port == lb.container_port &&
                at < task.host_ports.size())
                return task.host_ports[at];
        }
    return 0;
}

bool EcsService::place(std::uint32_t index) {
    const EcsTask& t = tasks_[index];
    const int host = capacity_->place(
        t.need, t.provider, spec_.ordered_placement_strategy,
        deployments_[static_cast<std::size_t>(t.deployment)].placement, *this, zone_up_);
    if (host < 0) return false;
    place_on(index, host);
    return true;
}

void EcsService::place_on(std::uint32_t index, int host) {
    EcsTask& t = tasks_[index];
    const ContainerInstance ci = capacity_->instances()[static_cast<std::size_t>(host)];
    t.host = host;
    t.availability_zone = ci.zone;
    t.host_ports = capacity_->reserve(host, t.need, daemon());
    const scenario::EcsTaskDefinitionSpec& td = deployments_[t.deployment].task_definition;
    const Instance& h = fleet_[ci.instance];
    // Targets: instance:port in bridge and host mode, the task's own IP in awsvpc mode.
    const int port = target_port(t);
    std::string name = port > 0 ? fmt::format("{}:{}", h.name(), port) : t.id;
    const double cpu_units = t.need.cpu > 0 ? t.need.cpu : 1024.0;
    Instance& inst =
        create_compute(t, td, ci.zone, cpu_units, h.config().type.speed, std::move(name));
    // A burstable container instance pays for its tasks' CPU in its credits (docs/model.md,
    // "Burstable container instances"): a busy worker uses cpu_units / 1024 / workers vCPUs.
    if (h.burstable())
        inst.bind_cpu_host(fleet_[ci.instance], cpu_units / 1024.0 / inst.config().workers);
    inst.launch();
    if (unreachable_) inst.set_reachable(false);
    // awsvpc: the task's network interface is attached first (PROVISIONING); bridge and host
    // mode tasks go to PENDING at once.
    const SimTime provisioning = td.network_mode == scenario::NetworkMode::Awsvpc
                                     ? rng_.sample(td.provisioning_time)
                                     : SimTime{0};
    sim_.schedule_in(provisioning, this, kProvisioned, index);
}

void EcsService::place_waiting() {
    if (!capacity_ || daemon()) return;  // a daemon task never waits (launch_daemons)
    int waiting = -1;                    // the first task left unplaced
    for (std::uint32_t i = 0; i < tasks_.size(); ++i) {
        if (!tasks_[i].ec2 || tasks_[i].host >= 0 || !active(tasks_[i])) continue;
        if (!place(i) && waiting < 0) waiting = static_cast<int>(i);
    }
    if (waiting < 0) {
        unplaced_text_.clear();
        return;
    }
    const EcsTask& t = tasks_[static_cast<std::size_t>(waiting)];
    const std::string why = capacity_->unplaced_reason(
        t.need, t.provider, deployments_[static_cast<std::size_t>(t.deployment)].placement, *this,
        zone_up_);
    log_unplaced(
        fmt::format("(service {}) was unable to place a task because no container "
                    "instance met all of its requirements. {}",
                    spec_.name, why));
}

void EcsService::log_unplaced(std::string text) {
    if (text == unplaced_text_ && sim_.now() - unplaced_at_ < kUnplacedRepeat) return;
    unplaced_at_ = sim_.now();
    unplaced_text_ = std::move(text);
    observer_.log(sim_.now(), event::EcsServiceEvent{spec_.cluster, spec_.name, unplaced_text_});
}

std::uint32_t EcsService::host_instance(const EcsTask& task) const {
    if (!capacity_ || !task.ec2 || task.host < 0) return kNoCompute;
    return capacity_->instances()[static_cast<std::size_t>(task.host)].instance;
}

int EcsService::active_tasks_in_zone(int zone) const {
    return static_cast<int>(std::count_if(tasks_.begin(), tasks_.end(), [&](const EcsTask& t) {
        return active(t) && t.host >= 0 && t.availability_zone == zone;
    }));
}

int EcsService::active_tasks_on(int host) const {
    return static_cast<int>(std::count_if(tasks_.begin(), tasks_.end(), [&](const EcsTask& t) {
        return active(t) && t.host == host;
    }));
}

void EcsService::waiting_tasks(int provider, std::vector<TaskReservation>& out) const {
    if (!capacity_) return;
    for (const EcsTask& t : tasks_)
        if (t.ec2 && t.host < 0 && active(t) && t.provider == provider) {
            out.push_back(t.need);
            if (deployments_[static_cast<std::size_t>(t.deployment)].placement.distinct_instance)
                out.back().distinct = this;
        }
}

void EcsService::host_lost(int host, const std::string& reason) {
    reconciling_ = true;
    for (std::uint32_t i = 0; i < tasks_.size(); ++i) {
        EcsTask& t = tasks_[i];
        if (!active(t) || t.host != host) continue;
        fleet_[t.instance].power_off();  // the requests it holds are lost with the instance
        stop(i, reason);
    }
    reconciling_ = false;
    reconcile();
}

void EcsService::set_status(EcsTask& task, TaskStatus status) {
    const TaskStatus from = task.status;
    task.status = status;
    told(task, from);
}

void EcsService::told(const EcsTask& task, TaskStatus from) {
    const bool stopping = task.status > TaskStatus::Running;
    event::EcsTaskStateChange e{
        spec_.cluster,
        spec_.name,
        task.id,
        task.availability_zone >= 0 ? fleet_.zone_name(task.availability_zone) : std::string(),
        to_string(task.status),
        stopping ? "STOPPED" : "RUNNING",
        std::nullopt,
        {},
        {}};
    if (stopping) {
        e.stopped_reason = task.stopped_reason;
        e.stop_code = task.stop_code;
    }
    if (task.host >= 0)
        e.container_instance =
            fleet_[capacity_->instances()[static_cast<std::size_t>(task.host)].instance].name();
    observer_.log(sim_.now(), std::move(e));
    if (task_observer_) task_observer_->on_task_status(*this, task, from);
}

// PROVISIONING -> PENDING: the network interface is attached; the image pull begins (and
// Fargate's billing with it).
void EcsService::provisioned(std::uint32_t index) {
    EcsTask& t = tasks_[index];
    if (t.status != TaskStatus::Provisioning) return;  // stopped meanwhile
    t.pull_started_at = sim_.now();
    set_status(t, TaskStatus::Pending);
    const PullPath& path = pull_path(t);
    if (path.blocked()) {
        sim_.schedule_in(kPullTimeout, this, kImagePullFailed, index);
        return;
    }
    const scenario::EcsTaskDefinitionSpec& td = deployments_[t.deployment].task_definition;
    // On a container instance that holds the images only the manifest is fetched.
    if (cached_on_host(t)) {
        sim_.schedule_in(0, this, kImagePulled, index);
        return;
    }
    t.pulled_bytes = td.image_size_mb ? *td.image_size_mb * 1e6 : 0;
    t.pull_nat = path.layers_nat;
    t.pull_endpoint = path.layers_endpoint;
    sim_.schedule_in(pull_duration(td, rng_), this, kImagePulled, index);
}

const PullPath& EcsService::pull_path(const EcsTask& t) const {
    static const PullPath kOpen;
    const auto zone = static_cast<std::size_t>(t.availability_zone);
    if (!t.ec2) return zone < pull_paths_.size() ? pull_paths_[zone] : kOpen;
    const std::uint32_t host = host_instance(t);
    if (host == kNoCompute) return kOpen;
    const int group = fleet_[host].config().group;
    if (group < 0 || static_cast<std::size_t>(group) >= instance_pull_paths_.size()) return kOpen;
    const auto& by_zone = instance_pull_paths_[static_cast<std::size_t>(group)];
    return zone < by_zone.size() ? by_zone[zone] : kOpen;
}

bool EcsService::cached_on_host(const EcsTask& t) const {
    const std::uint32_t host = host_instance(t);
    return image_cache_ && host != kNoCompute &&
           image_cache_->has_all(host, deployments_[t.deployment].task_definition);
}

// PENDING -> ACTIVATING -> RUNNING: the containers started; ECS registers the task in its
// target groups while ACTIVATING (no time passes in the model), then reports it RUNNING. The
// application answers app_start_time later. Containers that wait for others (dependsOn) keep
// the task PENDING until its last essential container starts (start_waiting_containers).
void EcsService::image_pulled(std::uint32_t index) {
    EcsTask& t = tasks_[index];
    if (t.status != TaskStatus::Pending) return;
    if (image_cache_ && host_instance(t) != kNoCompute)
        image_cache_->add_all(host_instance(t), deployments_[t.deployment].task_definition);
    const scenario::EcsTaskDefinitionSpec& td = deployments_[t.deployment].task_definition;
    if (has_container_dependencies(td)) {
        start_waiting_containers(index);
        return;
    }
    enter_running(index);
    // A bad image: an application that never answers, or a container that exits. An
    // application listening on another port than the one the load balancer sends to answers
    // nothing there either (the connection is refused); its start matters then only to
    // container health checks (drawn only for them, so that other runs draw as before).
    if (td.app_healthy && (lb_port_matches(td) || any_container_health_check(td)))
        sim_.schedule_in(rng_.sample(td.app_start_time), this, kAppStarted, index);
    // After the application's start: a check due at the same instant finds it answering.
    start_container_checks(index);
    if (td.essential_container_exits_after)
        sim_.schedule_in(rng_.sample(*td.essential_container_exits_after), this, kContainerExited,
                         index);
}

void EcsService::enter_running(std::uint32_t index) {
    EcsTask& t = tasks_[index];
    Instance& inst = fleet_[t.instance];
    inst.boot_done();
    // The time series count a serving task as they count an instance in service.
    inst.set_lifecycle(LifecycleState::InService);
    set_status(t, TaskStatus::Activating);
    for (TargetGroup* tg : target_groups_)
        tg->register_target(t.instance);
    t.started_at = sim_.now();
    set_status(t, TaskStatus::Running);
    // A task that reaches RUNNING ends the throttle.
    start_failures_ = 0;
    throttled_until_ = 0;
    throttle_logged_ = false;
}

// dependsOn: when each container starts (container_starts), drawn at the image pull's end:
// RUNNING at the last essential container's start, the application answering app_start_time
// after its own container's start, and each essential container with container_exits_after
// exiting then (the task stops: Essential container in task exited); a non-essential
// container's exit changes nothing. A condition never met leaves the task PENDING.
void EcsService::start_waiting_containers(std::uint32_t index) {
    const scenario::EcsTaskDefinitionSpec& td =
        deployments_[tasks_[index].deployment].task_definition;
    const bool answers = td.app_healthy && (lb_port_matches(td) || any_container_health_check(td));
    const SimTime app_ready = answers ? rng_.sample(td.app_start_time) : kNever;
    const std::size_t app = application_container(td, spec_);
    const ContainerStarts starts =
        container_starts(td, app, app_ready, application_port(td, spec_, app));
    if (starts.running == kNever) return;
    sim_.schedule_in(starts.running, this, kContainersStarted, index);
    if (app_ready != kNever && starts.start[app] != kNever)
        sim_.schedule_in(std::max(starts.running, starts.start[app] + app_ready), this, kAppStarted,
                         index);
    for (std::size_t c = 0; c < td.containers.size(); ++c)
        if (td.containers[c].essential && td.containers[c].exits_after && starts.start[c] != kNever)
            sim_.schedule_in(
                std::max(starts.running, starts.start[c] + *td.containers[c].exits_after), this,
                kContainerExited, index);
    if (td.essential_container_exits_after)
        sim_.schedule_in(starts.running + rng_.sample(*td.essential_container_exits_after), this,
                         kContainerExited, index);
}

// ECS replaces a task its target group reports unhealthy, except while the grace period
// after the task started lasts (the service's health_check_grace_period_seconds): the
// replacement starts first when maximumPercent leaves room, and the unhealthy task stops once
// a replacement is healthy (ecs_replacement.hpp); the reconcile after the poll does both.
void EcsService::check_health() {
    const SimTime grace = spec_.health_check_grace_period_seconds * kSecond;
    for (std::uint32_t i = 0; i < tasks_.size(); ++i) {
        const EcsTask& t = tasks_[i];
        if (t.status != TaskStatus::Running || t.replacing || sim_.now() - t.started_at < grace)
            continue;
        for (const TargetGroup* tg : target_groups_) {
            if (tg->state_of(t.instance) != TargetHealthState::Unhealthy) continue;
            ++counts_.unhealthy_replacements;
            task_failed(i);
            replace(i, ReplaceCause::Unhealthy,
                    fmt::format("Task failed ELB health checks in (target-group {})", tg->name()));
            break;
        }
    }
}

// A task stopped before RUNNING (PENDING -> STOPPED): the circuit breaker counts it, and the
// throttle holds the next launches; from the second in a row ECS reports the throttle.
void EcsService::failed_to_start(std::uint32_t index, std::string reason) {
    EcsTask& t = tasks_[index];
    if (t.status != TaskStatus::Pending) return;
    t.stop_code = "TaskFailedToStart";
    ++start_failures_;
    throttled_until_ = sim_.now() + throttle_delay(start_failures_);
    sim_.schedule_at(throttled_until_, this, kThrottleEnd);
    if (start_failures_ >= 2 && !throttle_logged_) {
        throttle_logged_ = true;
        observer_.log(
            sim_.now(),
            event::EcsServiceEvent{spec_.cluster, spec_.name,
                                   fmt::format("(service {}) is unable to consistently start tasks "
                                               "successfully.",
                                               spec_.name)});
    }
    task_failed(index);
    stop(index, std::move(reason));
}

std::string EcsService::first_image(std::uint32_t index) const {
    const auto& td =
        deployments_[static_cast<std::size_t>(tasks_[index].deployment)].task_definition;
    for (const auto& c : td.containers)
        if (!c.image.empty()) return c.image;
    return {};
}

void EcsService::stop(std::uint32_t index, std::string reason) {
    EcsTask& t = tasks_[index];
    if (!active(t)) return;
    t.stopped_reason = std::move(reason);
    if (t.status == TaskStatus::Running || t.status == TaskStatus::Activating) {
        set_status(t, TaskStatus::Deactivating);
        // No longer RUNNING: the time series' running tasks are ECS's runningCount, which
        // counts RUNNING tasks only (not those deregistering from the load balancer).
        if (t.instance != kNoCompute) fleet_[t.instance].set_lifecycle(LifecycleState::Terminating);
        t.deregistering = static_cast<int>(target_groups_.size());
        // A target group may call back at once (a target whose compute is down leaves at
        // once), so the count is set before the first call.
        for (TargetGroup* tg : target_groups_)
            tg->deregister_target(t.instance, this);
        if (target_groups_.empty()) finish_stop(index);
    } else {
        finish_stop(index);
    }
    reconcile();
}

void EcsService::on_deregistered(std::uint32_t instance) {
    for (std::uint32_t i = 0; i < tasks_.size(); ++i) {
        EcsTask& t = tasks_[i];
        if (t.instance != instance || t.status != TaskStatus::Deactivating) continue;
        if (--t.deregistering <= 0) finish_stop(i);
        return;
    }
}

// STOPPING (the containers get SIGTERM and exit), DEPROVISIONING (the interface is detached),
// STOPPED: the model gives these steps no time.
void EcsService::finish_stop(std::uint32_t index) {
    EcsTask& t = tasks_[index];
    set_status(t, TaskStatus::Stopping);
    if (t.instance != kNoCompute) fleet_[t.instance].terminate();
    if (t.host >= 0)
        capacity_->release(capacity_->instances()[static_cast<std::size_t>(t.host)].instance,
                           t.need, t.host_ports, daemon());
    set_status(t, TaskStatus::Deprovisioning);
    t.stopped_at = sim_.now();
    ++counts_.stopped;
    set_status(t, TaskStatus::Stopped);
}

void EcsService::set_zone_available(int zone, bool available, const std::string& fault) {
    if (zone < 0 || static_cast<std::size_t>(zone) >= zone_up_.size()) return;
    zone_up_[static_cast<std::size_t>(zone)] = available ? 1 : 0;
    if (available) return;
    // Every task of the zone stops for the outage first: a step in between would stop the
    // zone's tasks of an older deployment for the deployment instead.
    reconciling_ = true;
    // A task on a container instance stops when the World powers its instance off
    // (host_lost).
    for (std::uint32_t i = 0; i < tasks_.size(); ++i)
        if (active(tasks_[i]) && !tasks_[i].ec2 && tasks_[i].availability_zone == zone)
            stop(i, fmt::format("Availability Zone {} failed ({}): the task's compute stopped",
                                fleet_.zone_name(zone), fault));
    reconciling_ = false;
    reconcile();
}

void EcsService::on_event(const Event& e) {
    switch (e.kind) {
        case kPoll:
            note_health();
            check_health();
            check_container_health();
            reconcile();
            sim_.schedule_in(kPollInterval, this, kPoll);
            break;
        case kProvisioned:
            provisioned(e.arg);
            break;
        case kImagePulled:
            image_pulled(e.arg);
            break;
        case kContainersStarted:
            if (tasks_[e.arg].status != TaskStatus::Pending) break;
            enter_running(e.arg);
            start_container_checks(e.arg);
            break;
        case kAppStarted:
            if (tasks_[e.arg].status != TaskStatus::Running) break;
            tasks_[e.arg].app_listening = true;
            if (lb_port_matches(deployments_[tasks_[e.arg].deployment].task_definition))
                fleet_[tasks_[e.arg].instance].app_started();
            break;
        case kContainerCheck:
            container_check(e.arg);
            break;
        case kContainerCheckTimedOut:
            container_check_timed_out(e.arg);
            break;
        case kSpotWarning:
            spot_warning(e.arg, "");
            break;
        case kSpotReclaimed:
            spot_reclaimed(e.arg);
            break;
        case kImagePullFailed:
            // ECS_IMAGE_PULL_BEHAVIOR default: a failed pull falls back to the cached image.
            if (cached_on_host(tasks_[e.arg]))
                image_pulled(e.arg);
            else
                failed_to_start(e.arg, pull_stopped_reason(first_image(e.arg),
                                                           pull_path(tasks_[e.arg]).failure));
            break;
        case kThrottleEnd:
            if (sim_.now() >= throttled_until_) reconcile();
            break;
        case kContainerExited:
            if (tasks_[e.arg].status != TaskStatus::Running) break;
            ++counts_.container_exits;
            task_failed(e.arg);
            stop(e.arg, "Essential container in task exited");
            break;
        default:
            break;
    }
}

}  // namespace stratus::cloud
