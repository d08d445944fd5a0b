#pragma once
// An ECS service on Fargate (docs/model.md, "ECS on Fargate"): the service scheduler keeps
// desired_count tasks running, spread over the AZs of the service's subnets; each task goes
// through ECS's lifecycle (PROVISIONING, PENDING while its image is pulled, ACTIVATING while it
// is registered in its target groups, RUNNING, then DEACTIVATING, STOPPING, DEPROVISIONING and
// STOPPED) and ends with a stopped reason. The scheduler replaces a task that stopped, and one
// its target group reports unhealthy once health_check_grace_period_seconds have passed since
// the task started.
//
// Deployments (docs/model.md, "Deployments"): a new task definition (an [[action]]) makes a
// new PRIMARY deployment; the scheduler replaces the older deployments' tasks in steps bounded
// by deployment_minimum_healthy_percent (healthy tasks kept, rounded up) and
// deployment_maximum_percent (tasks RUNNING or PENDING, rounded down). The deployment circuit
// breaker fails a deployment whose tasks keep failing and may roll back to the last completed
// one.
//
// A task serves requests through its compute unit: an Instance of the Fleet (flagged
// `ecs_task`), so the target groups, the load balancer, the workloads and the metrics reach a
// task exactly as they reach an EC2 instance. The task's cpu / 1024 vCPUs become its workers
// (workers_per_vcpu each; below one vCPU, one worker at that fraction of a vCPU's speed).
//
// Fargate Spot (docs/model.md, "Fargate Spot"): with a capacity_provider_strategy, each task
// the scheduler starts goes to FARGATE or FARGATE_SPOT so that the service's tasks follow the
// strategy's split. A FARGATE_SPOT task may be interrupted (its rate, or a spot_interruption
// fault): the two-minute warning stops it (SIGTERM, deregistration from its target groups) and
// the scheduler starts its replacement at once; two minutes later its capacity is gone.
//
// EC2 launch type (docs/model.md, "ECS on EC2"): with launch_type = "EC2" or a strategy naming
// an Auto Scaling group capacity provider, a task waits in PROVISIONING until a container
// instance of the cluster (ecs_capacity.hpp) has room for it; placed, it reserves its CPU,
// memory and host ports there, its compute unit runs in the instance's AZ at the instance
// type's speed, and it is registered as instance:port (bridge, host) or by its IP (awsvpc).
// It is not billed (its instance is). When the instance stops or terminates, its tasks stop.
//
// DAEMON services (docs/model.md, "Daemon services"): no desired_count; the scheduler keeps one
// task on each registered container instance of the cluster that has room for it (its desired
// count is the number of such instances, as ECS reports it). A daemon task is bound to its
// instance when it starts (it never waits in PROVISIONING); an instance without room gets
// none and the service logs ECS's "unable to place" event. Its deployments replace the task of
// each instance within the min/max percent (0 % and 100 % by default).
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/cloud/ecs_capacity.hpp"
#include "sim/cloud/ecs_container_health.hpp"
#include "sim/cloud/ecs_replacement.hpp"
#include "sim/cloud/fleet.hpp"
#include "sim/cloud/image_cache.hpp"
#include "sim/cloud/image_pull.hpp"
#include "sim/cloud/run_observer.hpp"
#include "sim/cloud/target_group.hpp"
#include "sim/core/random.hpp"
#include "sim/core/simulation.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

// A task's lastStatus, as ECS reports it.
enum class TaskStatus {
    Provisioning,
    Pending,
    Activating,
    Running,
    Deactivating,
    Stopping,
    Deprovisioning,
    Stopped
};
// "PROVISIONING", "PENDING", ...
const char* to_string(TaskStatus status);

// A deployment's status (PRIMARY: the newest, ACTIVE: older ones with tasks left, INACTIVE:
// none left) and its rolloutState, as ECS reports them.
enum class DeploymentStatus { Primary, Active, Inactive };
enum class RolloutState { InProgress, Completed, Failed };
const char* to_string(DeploymentStatus status);
const char* to_string(RolloutState state);

struct EcsDeployment {
    std::string id;  // "ecs-svc/<n>", n from 1 in creation order
    scenario::EcsTaskDefinitionSpec task_definition;
    PlacementConstraints placement;  // the service's and the task definition's
    DeploymentStatus status = DeploymentStatus::Primary;
    RolloutState rollout_state = RolloutState::InProgress;
    SimTime created_at = 0;
    bool logged = false;      // created by UpdateService or a rollback: its changes are events
    int failed_tasks = 0;     // the circuit breaker's count (reset by a healthy task)
    int completed_tasks = 0;  // its tasks that were healthy once
    // Once older than the PRIMARY: the tasks the rolling update still keeps of it (ECS's
    // per-deployment desiredCount, ecs_replacement.hpp). One of them that stops or is
    // replaced for its health is replaced by a task of this deployment (November 2025).
    int desired = 0;
    bool stuck_logged = false;  // "unable to stop or start tasks" was logged for it
};

struct EcsTask {
    std::string id;                  // "<service>-task-<n>", n from 1 in launch order
    int deployment = 0;              // index in EcsService::deployments()
    double vcpu = 0, memory_gb = 0;  // its task definition's size
    int availability_zone = 0;
    std::uint32_t instance = 0;  // its compute unit in the Fleet
    TaskStatus status = TaskStatus::Provisioning;
    SimTime created_at = 0;
    SimTime pull_started_at = kNever;  // PENDING: Fargate bills from here
    SimTime started_at = kNever;       // RUNNING (ECS's startedAt): the grace period counts from it
    SimTime stopped_at = kNever;
    std::string stopped_reason;
    std::string stop_code;  // "TaskFailedToStart" (its image could not be pulled), else empty
    int deregistering = 0;  // target groups still draining it
    bool was_healthy = false;
    // The scheduler replaces it (ecs_replacement.hpp): it failed its health checks, or its
    // container instance is DRAINING. It stays until its replacement is healthy, or stops at
    // once when the maximum percent leaves no room to start one first; then with this reason.
    bool replacing = false;
    ReplaceCause replace_cause = ReplaceCause::Unhealthy;
    std::string replace_reason;
    scenario::EcsCapacityProvider capacity_provider = scenario::EcsCapacityProvider::Fargate;
    bool spot_interrupted = false;  // its Spot capacity was reclaimed (the warning came)
    // EC2 launch type: its container instance (an index in EcsCapacity::instances(), -1 while
    // it waits for one), what it reserves there and the host ports it binds.
    bool ec2 = false;
    int provider = -1;  // the EcsCapacity provider it waits for; -1: any of the cluster's
    int host = -1;
    TaskReservation need;
    std::vector<int> host_ports;
    // Its image pull: the bytes it brought in (image_size_mb; none from an instance's cache)
    // and where they were billed (PullPath::layers_nat, layers_endpoint).
    double pulled_bytes = 0;
    int pull_nat = -1, pull_endpoint = -1;
    // Container health checks (ecs_container_health.hpp): each container's (indexed as the
    // task definition's; empty when none has a healthCheck), the task's healthStatus, and
    // whether its application has started (listening, on whatever port).
    std::vector<ContainerCheck> container_checks;
    HealthStatus health = HealthStatus::Unknown;
    bool app_listening = false;
};

// The compute unit of a task that has none yet (an EC2 task waiting for an instance).
inline constexpr std::uint32_t kNoCompute = 0xffffffffu;

// "FARGATE", "FARGATE_SPOT".
const char* to_string(scenario::EcsCapacityProvider provider);

// Tasks per capacity provider (indexed by EcsCapacityProvider) when a service runs `desired`
// tasks under `strategy`: the base first goes to the provider that has one, then each further
// task to the provider with weight > 0 whose share is furthest behind its weight (the
// smallest (tasks above base + 1) / weight; the first listed on a tie). Weight 1 and 4: one
// task in five on the first; base 1 FARGATE, weights 1 and 3, 7 tasks: 2 FARGATE, 5 SPOT.
// An empty strategy puts every task on FARGATE.
std::array<int, 2> split_by_strategy(
    int desired, const std::vector<scenario::EcsCapacityProviderStrategySpec>& strategy);
// The same split by strategy item (in the strategy's order), for a strategy of Auto Scaling
// group capacity providers: base 1 on the first, weights 1 and 3, 7 tasks: {2, 5}.
std::vector<int> split_by_items(
    int desired, const std::vector<scenario::EcsCapacityProviderStrategySpec>& strategy);

class EcsService;

// Told of every task status change (the World: billing follows them).
class TaskObserver {
  public:
    virtual void on_task_status(const EcsService& service, const EcsTask& task,
                                TaskStatus from) = 0;

  protected:
    ~TaskObserver() = default;
};

struct EcsServiceCounts {
    int started = 0;                        // tasks the scheduler started
    int stopped = 0;                        // tasks that reached STOPPED
    int unhealthy_replacements = 0;         // stopped because a target group found them unhealthy
    int container_exits = 0;                // stopped because their essential container exited
    int spot_interruptions = 0;             // FARGATE_SPOT tasks whose capacity was reclaimed
    int container_health_replacements = 0;  // replaced: their healthStatus was UNHEALTHY
};

class EcsService final : public EventHandler, public DeregistrationListener {
  public:
    // How often the scheduler looks at its tasks' target health. AWS does not say; 10 s, as the
    // Auto Scaling group's poll, keeps detection within one health check interval.
    static constexpr SimTime kPollInterval = 10 * kSecond;

    // `zones`: the AZ indices of the service's subnets, in order, without repeats.
    // `target_groups`: one per load_balancer block, in order.
    EcsService(const scenario::EcsServiceSpec& spec,
               const scenario::EcsTaskDefinitionSpec& task_definition, std::vector<int> zones,
               std::vector<TargetGroup*> target_groups, std::uint64_t seed, Simulation& sim,
               Fleet& fleet, RunObserver& observer);

    const std::string& name() const { return spec_.name; }
    const scenario::EcsServiceSpec& spec() const { return spec_; }
    // The PRIMARY deployment's task definition.
    const scenario::EcsTaskDefinitionSpec& task_definition() const {
        return deployments_[primary_].task_definition;
    }
    void set_task_observer(TaskObserver* observer) { task_observer_ = observer; }
    // Its cluster's containerInsights setting: ECS/ContainerInsights metrics are published.
    void set_container_insights(bool on) { container_insights_ = on; }
    bool container_insights() const { return container_insights_; }
    // Its index among the World's services: its tasks carry it (InstanceConfig::ecs_service),
    // so a workload finds the subnets and security groups their requests leave from.
    void set_index(int index) { index_ = index; }
    // Networking: no rule of the tasks' security groups lets the load balancer in on the
    // container port (network.hpp): each task it launches from now on cannot be reached (its
    // health checks fail, as an instance's of a group the load balancer cannot reach).
    void set_unreachable_from_load_balancer(bool closed) { unreachable_ = closed; }
    // Networking: by AZ index of the region, the path of a Fargate task's image pull there
    // (network.hpp, fargate_pull_path). A blocked one stays PENDING for kPullTimeout, then
    // stops (TaskFailedToStart) with pull_stopped_reason of its first failing leg.
    void set_image_pull_paths(std::vector<PullPath> by_zone) { pull_paths_ = std::move(by_zone); }
    // The EC2 launch type: the same by Auto Scaling group index and AZ index of the container
    // instance (network.hpp, instance_pull_path); its task fails the same way, unless its
    // instance holds the images (image_cache.hpp: the agent then starts it from the cache).
    void set_instance_pull_paths(std::vector<std::vector<PullPath>> by_group_zone) {
        instance_pull_paths_ = std::move(by_group_zone);
    }
    void set_image_cache(ImageCache* cache) { image_cache_ = cache; }
    // How long a task's image pull takes: image_size_mb / image_pull_throughput when the size
    // is given, else a draw of image_pull_time.
    static SimTime pull_duration(const scenario::EcsTaskDefinitionSpec& td, RandomStream& rng);
    // How long a task whose registry cannot be reached stays PENDING before it stops: AWS does
    // not say (the agent's retries with their timeouts); the model takes one minute.
    static constexpr SimTime kPullTimeout = kMinute;
    // The stoppedReason ECS gives a task that cannot reach the registry of `image` (platform
    // version 1.4.0 and later): for an Amazon ECR image, the registry authorization fails first
    // (ResourceInitializationError); for another registry, the manifest request
    // (CannotPullContainerError).
    static std::string image_pull_stopped_reason(const std::string& image);
    // The service throttle logic (the ECS Developer Guide, "service throttle logic"): after the
    // n-th task in a row that stopped before RUNNING, the scheduler launches nothing for
    // throttle_delay(n): 15 s doubled at each failure, at most 27 minutes (AWS documents the
    // maximum, not the steps). A task that reaches RUNNING or a new task definition ends it.
    static SimTime throttle_delay(int failures_in_a_row);
    static constexpr SimTime kMaxThrottle = 27 * kMinute;
    // EC2 launch type: the cluster's container instances, and the capacity providers of the
    // service's strategy, an EcsCapacity index per strategy item (none: launch_type EC2, any
    // of the cluster's instances). Each task waits for the provider its strategy gives it.
    void set_capacity(EcsCapacity* capacity, std::vector<int> providers) {
        capacity_ = capacity;
        providers_ = std::move(providers);
    }
    bool on_ec2() const { return capacity_ != nullptr; }
    bool daemon() const {
        return spec_.scheduling_strategy == scenario::EcsSchedulingStrategy::Daemon;
    }
    // A DAEMON service starts a task on each registered instance that has none (what a
    // replica placement lets it do first).
    void place_daemon_tasks() { reconcile(); }
    // The fleet index of the container instance `task` was placed on; kNoCompute on Fargate
    // or while it waits for one.
    std::uint32_t host_instance(const EcsTask& task) const;
    // What a task of `td` reserves on a container instance: the task-level cpu and memory,
    // else the sum of its containers' (memory, else memoryReservation); its fixed host ports
    // (host mode: each containerPort; bridge: each hostPort given) and its dynamic ones
    // (bridge, hostPort 0 or absent).
    static TaskReservation reservation_of(const scenario::EcsTaskDefinitionSpec& td);
    // For the placement (spread) and managed scaling: the service's active tasks in a zone, on
    // a container instance, and the reservations of its tasks waiting for `provider`.
    int active_tasks_in_zone(int zone) const;
    int active_tasks_on(int host) const;
    void waiting_tasks(int provider, std::vector<TaskReservation>& out) const;
    // The container instance `host` stopped or terminated: its tasks stop with `reason`.
    void host_lost(int host, const std::string& reason);
    // The container instance `host` is DRAINING (ecs_draining.hpp): its tasks not RUNNING
    // stop, its RUNNING ones are replaced; they stop with `reason`.
    void host_draining(int host, const std::string& reason);
    // Places the tasks waiting for an instance, in launch order; logs ECS's service event
    // when one is left waiting: again when its text changes (another closest-matching
    // instance or reason), and every kUnplacedRepeat while it stays the same. The ECS
    // Developer Guide ("Service event messages"): duplicate messages are omitted until the
    // cause is resolved or six hours pass.
    void place_waiting();
    static constexpr SimTime kUnplacedRepeat = 6 * kHour;

    // Starts desired_count tasks and the scheduler's poll.
    void start();
    // An AZ outage begins or ends. While it lasts the zone gets no task; when it begins, the
    // zone's tasks have lost their compute (the World powered it off): they stop, and the
    // scheduler starts replacements in the other zones. Recovery moves no task back.
    void set_zone_available(int zone, bool available, const std::string& fault);
    // UpdateService with a new task definition: a new PRIMARY deployment (`cause` says who).
    void update_task_definition(const scenario::EcsTaskDefinitionSpec& task_definition,
                                const std::string& cause);

    int desired_count() const { return spec_.desired_count; }
    // Service Auto Scaling (or UpdateService) sets a new desired count: the scheduler starts
    // tasks up to it, or stops the PRIMARY deployment's surplus (`cause` says who). A higher
    // count during a rolling deployment applies to the older revisions too (November 2025):
    // each one's kept tasks grow in proportion, rounded up, desired count at most.
    void set_desired_count(int count, const std::string& cause);
    // The PRIMARY deployment's rolloutState is IN_PROGRESS: Application Auto Scaling turns
    // off its scale-in processes for the service until it completes (the ECS Developer Guide,
    // "Troubleshooting service auto scaling"); scale-out goes on.
    bool deployment_in_progress() const {
        return deployments_[static_cast<std::size_t>(primary_)].rollout_state ==
               RolloutState::InProgress;
    }

    // Fargate Spot reclaims `fraction` (at least one) of the service's running FARGATE_SPOT
    // tasks, picked with `rng`: each gets the two-minute warning now (a spot_interruption
    // fault). Returns how many.
    int interrupt_spot(double fraction, RandomStream& rng, const std::string& cause);

    // The deployment circuit breaker's failure threshold: 0.5 x desired_count rounded up,
    // at least 3 and at most 200 (the ECS API Reference, ServiceDeploymentCircuitBreaker).
    static int failure_threshold(int desired_count);
    // The rolling update's bounds in tasks: desired_count x minimum healthy percent rounded
    // up, desired_count x maximum percent rounded down.
    static int minimum_healthy_tasks(int desired_count, int percent);
    static int maximum_tasks(int desired_count, int percent);

    const std::vector<EcsDeployment>& deployments() const { return deployments_; }
    const EcsDeployment& primary() const { return deployments_[primary_]; }

    // Every task ever started, in launch order (stopped ones included).
    const std::vector<EcsTask>& tasks() const { return tasks_; }
    int count(TaskStatus status) const;
    const EcsServiceCounts& counts() const { return counts_; }

    void on_event(const Event& e) override;
    void on_deregistered(std::uint32_t instance) override;

  private:
    enum Kind : std::uint32_t {
        kPoll = 1,
        kProvisioned = 2,
        kImagePulled = 3,
        kAppStarted = 4,
        kContainerExited = 5,
        kSpotWarning = 6,  // Fargate Spot's two-minute warning
        kSpotReclaimed = 7,
        kImagePullFailed = 8,
        kThrottleEnd = 9,
        kContainerCheck = 10,          // a container health check begins
        kContainerCheckTimedOut = 11,  // one that began `timeout` ago timed out
        kContainersStarted = 12        // dependsOn met: the last essential container started
    };
    // Container health checks (ecs_container_health.cpp): the checks of a task that reached
    // RUNNING, one check's begin and end, why the last one failed, and the poll's replacement
    // of UNHEALTHY tasks.
    void start_container_checks(std::uint32_t task);
    CheckOutcome container_probe(const EcsTask& task, std::size_t container) const;
    void container_check(std::uint32_t arg);
    void container_check_ended(std::uint32_t arg, CheckOutcome outcome, SimTime began);
    void container_check_timed_out(std::uint32_t arg);
    std::string check_failure(const EcsTask& task, std::size_t container) const;
    void check_container_health();
    // The application answers on the port the load balancer sends to (its own app_port, if
    // given, is the first load_balancer block's container_port).
    bool lb_port_matches(const scenario::EcsTaskDefinitionSpec& td) const;
    // The task stopped before RUNNING: the throttle counts it (throttle_delay).
    void failed_to_start(std::uint32_t task, std::string reason);
    // The image of the task's first container (the first pull).
    std::string first_image(std::uint32_t task) const;
    // One step of the scheduler: stops older deployments' tasks while the healthy tasks stay
    // at or above the minimum, starts the PRIMARY's until desired_count or the maximum.
    void reconcile();
    // Healthy: RUNNING, and healthy in every target group (RUNNING alone without one).
    bool healthy(const EcsTask& t) const;
    // Tasks seen healthy for the first time reset their deployment's failure count.
    void note_health();
    void check_completion();
    void task_failed(std::uint32_t task);
    void deployment_failed(int deployment);
    void log_deployment(const EcsDeployment& d, const char* event_name, std::string reason);
    void log_step(int started, int stopped, int minimum, int maximum);
    // Stops `surplus` of the PRIMARY's tasks (a lower desired count); returns how many.
    int scale_in(int surplus);
    // The counts a task being replaced is judged by (of: its older deployment, -1 the service).
    ReplacementCounts replacement_counts(int of, int desired, int minimum, int maximum) const;
    // Stops the tasks being replaced whose turn has come (ecs_replacement.hpp); returns how many.
    int stop_replaced(int desired, int minimum, int maximum, int& healthy_now, int& active_now);
    // Marks a task for replacement, with the reason it will stop with.
    void replace(std::uint32_t task, ReplaceCause cause, std::string reason);
    // The older deployments in a step (ecs_replacement.cpp): their kept tasks shrink as the
    // PRIMARY's turn healthy, within the minimum, and their surplus stops (returns how many);
    // then a kept task that stopped or is being replaced gets a task of its own deployment,
    // within `room` (returns how many started).
    int retire_older(int minimum, int& healthy_now, int& active_now);
    int relaunch_older(int room);
    // ECS's service event when the bounds let a deployment neither stop nor start a task.
    void log_stuck(int started, int stopped, int maximum, int active_now);
    // A task of deployment `deployment` (-1: the PRIMARY).
    void launch(int zone, int deployment = -1);
    // EC2 launch type: a new task waits in PROVISIONING for an instance; a daemon task goes
    // to container instance `host` at once.
    void launch_on_ec2(int host = -1, int deployment = -1);
    bool place(std::uint32_t task);
    void place_on(std::uint32_t task, int host);
    // DAEMON: the registered container instances (the desired count), and the launch of a
    // task on each of them without one, at most `room`; returns how many started.
    int daemon_desired();
    int launch_daemons(int room);
    // The task's compute unit: `vcpu` vCPUs of workers at `speed` (a fraction of one vCPU's
    // speed below one vCPU), in `zone`.
    Instance& create_compute(EcsTask& task, const scenario::EcsTaskDefinitionSpec& td, int zone,
                             double cpu_units, double speed, std::string name);
    // The host port the service's first load_balancer block reaches the task on (0: none).
    int target_port(const EcsTask& task) const;
    // The provider of the next task: the one furthest below its share of desired_count (of
    // an older deployment's kept tasks for its replacement).
    scenario::EcsCapacityProvider next_provider(int deployment = -1) const;
    // EC2: the same among the strategy's Auto Scaling group providers (an EcsCapacity index,
    // -1 without a strategy; an older deployment's replacement by that deployment's kept tasks,
    // so it goes to the group of the task it replaces), and the one furthest above its share
    // (-1: none to prefer).
    int next_ec2_provider(int deployment = -1) const;
    int surplus_ec2_provider() const;
    std::vector<int> active_by_ec2_provider(int deployment = -1) const;
    // The provider whose active PRIMARY tasks most exceed its share of desired_count.
    scenario::EcsCapacityProvider surplus_provider() const;
    std::array<int, 2> active_by_provider(int deployment = -1) const;
    void spot_warning(std::uint32_t task, const std::string& cause);
    void spot_reclaimed(std::uint32_t task);
    void provisioned(std::uint32_t task);
    void image_pulled(std::uint32_t task);
    // ACTIVATING -> RUNNING (registered in the target groups).
    void enter_running(std::uint32_t task);
    // The containers' starts when some wait for others (dependsOn).
    void start_waiting_containers(std::uint32_t task);
    void check_health();
    // Begins stopping a task: deregistration first when it is registered.
    void stop(std::uint32_t task, std::string reason);
    void finish_stop(std::uint32_t task);
    void set_status(EcsTask& task, TaskStatus status);
    // Logs the task's status and tells the task observer.
    void told(const EcsTask& task, TaskStatus from);
    // The available zone with the fewest starting or running tasks (the first of the
    // service's zones on a tie); -1 when every zone is down.
    int placement_zone() const;
    bool active(const EcsTask& t) const { return t.status <= TaskStatus::Running; }

    scenario::EcsServiceSpec spec_;
    std::vector<EcsDeployment> deployments_;
    int primary_ = 0;
    std::vector<int> zones_;
    std::vector<char> zone_up_;  // by zone index of the region
    std::vector<TargetGroup*> target_groups_;
    RandomStream rng_;       // start durations
    RandomStream spot_rng_;  // Fargate Spot interruptions
    Simulation& sim_;
    Fleet& fleet_;
    RunObserver& observer_;
    TaskObserver* task_observer_ = nullptr;
    bool container_insights_ = false;
    int index_ = -1;
    std::vector<EcsTask> tasks_;
    EcsServiceCounts counts_;
    bool reconciling_ = false;  // reconcile() does not re-enter itself
    bool unreachable_ = false;  // set_unreachable_from_load_balancer
    EcsCapacity* capacity_ = nullptr;
    std::vector<int> providers_;  // set_capacity
    // The last "unable to place" event and when it was logged (ECS omits a duplicate until
    // the cause is resolved or kUnplacedRepeat has passed); empty once every task is placed.
    std::string unplaced_text_;
    SimTime unplaced_at_ = 0;
    void log_unplaced(std::string text);
    std::vector<PullPath> pull_paths_;                        // set_image_pull_paths
    std::vector<std::vector<PullPath>> instance_pull_paths_;  // set_instance_pull_paths
    ImageCache* image_cache_ = nullptr;                       // EC2: the instances' images
    // The path of the task's image pull where it runs.
    const PullPath& pull_path(const EcsTask& task) const;
    // EC2: its container instance holds every image of its task definition.
    bool cached_on_host(const EcsTask& task) const;
    int start_failures_ = 0;        // tasks in a row that stopped before RUNNING
    SimTime throttled_until_ = 0;   // no launch before
    bool throttle_logged_ = false;  // "unable to consistently start tasks" is out
};

}  // namespace stratus::cloud
