#pragma once
// An ECS service on Fargate (docs/model.md, "ECS on Fargate"): the service scheduler keeps
// desired_count tasks running, spread over the AZs of the service's subnets; each task goes
// through ECS's lifecycle (PROVISIONING, PENDING while its image is pulled, ACTIVATING while it
// is registered in its target groups, RUNNING, then DEACTIVATING, STOPPING, DEPROVISIONING and
// STOPPED) and ends with a stopped reason. The scheduler replaces a task that stopped, and one
// its target group reports unhealthy once health_check_grace_period_seconds have passed since
// the task started.
//
// A task serves requests through its compute unit: an Instance of the Fleet (flagged
// `fargate`), so the target groups, the load balancer, the workloads and the metrics reach a
// task exactly as they reach an EC2 instance. The task's cpu / 1024 vCPUs become its workers
// (workers_per_vcpu each; below one vCPU, one worker at that fraction of a vCPU's speed).
#include <cstdint>
#include <string>
#include <vector>

#include "sim/cloud/fleet.hpp"
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

struct EcsTask {
    std::string id;  // "<service>-task-<n>", n from 1 in launch order
    int availability_zone = 0;
    std::uint32_t instance = 0;  // its compute unit in the Fleet
    TaskStatus status = TaskStatus::Provisioning;
    SimTime created_at = 0;
    SimTime pull_started_at = kNever;  // PENDING: Fargate bills from here
    SimTime started_at = kNever;       // RUNNING (ECS's startedAt): the grace period counts from it
    SimTime stopped_at = kNever;
    std::string stopped_reason;
    int deregistering = 0;  // target groups still draining it
};

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
    int started = 0;                 // tasks the scheduler started
    int stopped = 0;                 // tasks that reached STOPPED
    int unhealthy_replacements = 0;  // stopped because a target group found them unhealthy
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
    const scenario::EcsTaskDefinitionSpec& task_definition() const { return task_definition_; }
    double task_vcpu() const { return task_definition_.cpu / 1024.0; }
    double task_memory_gb() const { return task_definition_.memory / 1024.0; }
    void set_task_observer(TaskObserver* observer) { task_observer_ = observer; }

    // Starts desired_count tasks and the scheduler's poll.
    void start();
    // An AZ outage begins or ends. While it lasts the zone gets no task; when it begins, the
    // zone's tasks have lost their compute (the World powered it off): they stop, and the
    // scheduler starts replacements in the other zones. Recovery moves no task back.
    void set_zone_available(int zone, bool available, const std::string& fault);

    // Every task ever started, in launch order (stopped ones included).
    const std::vector<EcsTask>& tasks() const { return tasks_; }
    int count(TaskStatus status) const;
    const EcsServiceCounts& counts() const { return counts_; }

    void on_event(const Event& e) override;
    void on_deregistered(std::uint32_t instance) override;

  private:
    enum Kind : std::uint32_t { kPoll = 1, kProvisioned = 2, kImagePulled = 3, kAppStarted = 4 };
    // Starts tasks until desired_count are starting or running.
    void reconcile();
    void launch(int zone);
    void provisioned(std::uint32_t task);
    void image_pulled(std::uint32_t task);
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
    scenario::EcsTaskDefinitionSpec task_definition_;
    std::vector<int> zones_;
    std::vector<char> zone_up_;  // by zone index of the region
    std::vector<TargetGroup*> target_groups_;
    RandomStream rng_;  // start durations
    Simulation& sim_;
    Fleet& fleet_;
    RunObserver& observer_;
    TaskObserver* task_observer_ = nullptr;
    std::vector<EcsTask> tasks_;
    EcsServiceCounts counts_;
};

}  // namespace stratus::cloud
