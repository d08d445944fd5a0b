#pragma once
// The container instances of an ECS cluster on EC2 (docs/model.md, "ECS on EC2"): the
// instances of the Auto Scaling groups of the cluster's capacity providers
// (aws_ecs_capacity_provider, aws_ecs_cluster_capacity_providers). An instance is registered
// while it is InService and running; it offers its type's vCPUs x 1024 CPU units and its
// memory in MiB, and each task placed on it reserves its CPU, its memory and its host ports
// until it stops.
//
// Placement (docs/model.md, "Task placement"): the instances that have room for the task and
// its host ports, in an available AZ, ranked by the service's ordered_placement_strategy
// (spread over an attribute, binpack on cpu or memory, random), each strategy breaking the
// previous one's ties; without one, ECS's default for a service: spread over
// attribute:ecs.availability-zone, then binpack on memory. The last tie goes to the instance
// launched first.
//
// Managed scaling (docs/model.md, "Managed scaling"): once a minute each capacity provider
// with managed_scaling.status = ENABLED computes CapacityProviderReservation = M / N x 100 (N:
// the group's instances, M: those it needs), and its target tracking policy sets the group's
// desired capacity to ceil(M x 100 / target_capacity): at once when that is more, after 15
// minutes below the target when it is less, and not while an instance the group launched is
// within its instance_warmup_period.
//
// DAEMON services (docs/model.md, "Daemon services"): a daemon task is the first placed on an
// instance (a replica placement lets the daemon services place theirs first) and the last
// stopped when the instance goes (the replica services are told first); managed termination
// protection and managed scaling's M ignore daemon tasks, and a new instance's room for M is
// what the daemon tasks leave.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/cloud/autoscaling.hpp"
#include "sim/cloud/fleet.hpp"
#include "sim/cloud/placement_constraints.hpp"
#include "sim/cloud/run_observer.hpp"
#include "sim/core/random.hpp"
#include "sim/core/simulation.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

class EcsService;

// What a task reserves on a container instance: CPU units, MiB, and the host ports it binds
// (fixed ones; a dynamic port of the bridge mode is picked at placement).
struct TaskReservation {
    int cpu = 0;
    int memory = 0;
    std::vector<int> host_ports;
    int dynamic_ports = 0;
    // Managed scaling's M: the service of a waiting task under distinctInstance (one of its
    // tasks per instance), else null.
    const EcsService* distinct = nullptr;
};

struct ContainerInstance {
    std::uint32_t instance = 0;  // in the Fleet
    int provider = 0;            // index in EcsCapacity::providers()
    int zone = 0;
    int cpu = 0, memory = 0;                    // registered
    int cpu_reserved = 0, memory_reserved = 0;  // by its tasks
    std::vector<int> ports;                     // host ports in use
    int tasks = 0;                              // tasks placed on it (any service)
    int daemon_tasks = 0;                       // of them, DAEMON services' tasks
    // DRAINING (ecs_draining.hpp): no task is placed on it; `held`: its group terminates it
    // once its tasks other than daemon tasks are gone (managed draining).
    bool draining = false;
    bool held = false;
};

class EcsCapacity final : public EventHandler, public ScaleInProtection, public TerminationHold {
  public:
    // The ephemeral range a bridge-mode container's dynamic host port comes from (Linux's
    // ip_local_port_range default, which the ECS agent uses): the lowest free port first.
    static constexpr int kFirstDynamicPort = 32768;
    static constexpr int kLastDynamicPort = 60999;
    // How often managed scaling publishes CapacityProviderReservation (a 1-minute metric),
    // and how many minutes below the target its scale-in waits for.
    static constexpr SimTime kMetricPeriod = kMinute;
    static constexpr int kScaleInMinutes = 15;

    struct Provider {
        scenario::EcsCapacityProviderSpec spec;
        AutoScalingGroup* group = nullptr;
        // The launch template's instance type: the size of a new instance, for M.
        int cpu = 0, memory = 0;
        // The subnet of its instances in each AZ (the group's first there;
        // attribute:ecs.subnet-id).
        std::vector<std::string> subnet_by_zone;
        // By AZ: why the ECS agent of its instances there cannot register them (network.hpp,
        // agent_registration_blocked: no way to the ecs, ecs-agent and ecs-telemetry
        // services); empty: it can. Such an instance never registers: no task goes there.
        std::vector<std::string> agent_blocked;
        double reservation = 100;  // the last CapacityProviderReservation (%)
        int needed = 0;            // its M
        int minutes_below = 0;     // consecutive minutes below the target
    };

    EcsCapacity(std::string cluster, std::vector<Provider> providers, std::uint64_t seed,
                Simulation& sim, Fleet& fleet);

    const std::string& cluster() const { return cluster_; }
    // Where container instance state changes are logged (DRAINING).
    void set_observer(RunObserver* observer) { observer_ = observer; }
    const std::vector<Provider>& providers() const { return providers_; }
    // -1 when the cluster has no such provider.
    int provider_index(const std::string& name) const;
    void add_service(EcsService* service) { services_.push_back(service); }

    // Starts managed scaling's minute.
    void start();
    // The groups' instances seen so far (registered or not), in launch order.
    const std::vector<ContainerInstance>& instances();
    // Registered: InService and running (the ECS agent is up), and its agent reaches ECS from
    // its subnet (Provider::agent_blocked).
    bool registered(const ContainerInstance& ci) const;
    // Where a task goes: the index of a registered instance, -1 when none has room.
    // `provider`: the capacity provider's instances only, -1 for all the cluster's.
    // Spread counts the service's own active tasks per AZ or per instance.
    // Only the instances `constraints` allow (placement_constraints.hpp).
    int place(const TaskReservation& need, int provider,
              const std::vector<scenario::EcsPlacementStrategySpec>& strategy,
              const PlacementConstraints& constraints, const EcsService& service,
              const std::vector<char>& zone_up);
    // Why place() found none, as ECS's service event ends: "The closest matching
    // container-instance i-0003 has insufficient memory available." (the instance that passed
    // the most of the checks: resources and ports, then the constraints; the first launched
    // among equals), or "Reason: No Container Instances were found in your cluster."
    std::string unplaced_reason(const TaskReservation& need, int provider,
                                const PlacementConstraints& constraints, const EcsService& service,
                                const std::vector<char>& zone_up);
    // What a cluster query reads of instances()[index].
    scenario::ContainerInstanceFacts facts(int index) const;
    // Whether instances()[index] meets the constraints for a task of `service`.
    bool allowed(int index, const PlacementConstraints& constraints,
                 const EcsService& service) const;
    // Whether instances()[index] is registered and has room for `need` (a daemon task).
    bool has_room(int index, const TaskReservation& need);
    // Reserves the task's resources on instances()[index]; returns the host ports it binds
    // (the fixed ones, then the dynamic ones picked). `daemon`: a DAEMON service's task.
    std::vector<int> reserve(int index, const TaskReservation& need, bool daemon = false);
    // Gives a stopped task's resources back (nothing when the instance is gone).
    void release(std::uint32_t instance, const TaskReservation& need, const std::vector<int>& ports,
                 bool daemon = false);
    // The container instance stopped or terminated: its tasks stop (each service is told).
    void instance_lost(std::uint32_t instance);

    // Managed termination protection: an instance with tasks other than daemon tasks is
    // protected.
    bool protected_from_scale_in(std::uint32_t instance) const override;
    // UpdateContainerInstancesState to DRAINING (ecs_draining.hpp) of the registered
    // instance named `name` ("i-0003"); false when the cluster has none by that name.
    bool drain(const std::string& name, const std::string& cause);
    // Managed draining: the group terminates `instance`; it is held DRAINING while it runs
    // tasks other than daemon tasks (ecs_draining.hpp).
    bool hold_termination(std::uint32_t instance) override;
    // One managed scaling step of provider `p` (what the minute does).
    void managed_scaling(int p);

    void on_event(const Event& e) override;

  private:
    enum Kind : std::uint32_t { kMetric = 1, kReleaseHeld = 2 };
    // Sets instances_[index] DRAINING, logs it and tells the services.
    void set_draining(int index, const std::string& reason);
    // A held instance whose last task other than a daemon task stopped: its group goes on
    // terminating it (from an event: a task's stop is not re-entered).
    void release_if_drained(ContainerInstance& ci);
    RunObserver* observer_ = nullptr;
    void refresh();
    int find(std::uint32_t instance) const;  // index in instances_, -1 if none
    // The DAEMON services place their tasks (before a replica task takes the room).
    void place_daemons();
    bool placing_daemons_ = false;
    bool fits(const ContainerInstance& ci, const TaskReservation& need) const;
    // M: the instances provider `p` needs for its running tasks and the tasks waiting for it.
    int instances_needed(int p) const;
    // Free room while M packs the waiting tasks: an instance's (its index) or a new one's (-1).
    struct Room {
        int cpu = 0, memory = 0;
        int instance = -1;
        std::vector<const EcsService*> distinct;  // distinctInstance services packed here
    };
    bool takes(const Room& r, const TaskReservation& t) const;
    // An instance of provider `p`'s group launched less than instance_warmup_period ago.
    bool warming_up(int p) const;

    std::string cluster_;
    std::vector<Provider> providers_;
    RandomStream rng_;  // the random placement strategy
    Simulation& sim_;
    Fleet& fleet_;
    std::vector<EcsService*> services_;
    // Every instance of the groups seen so far, in launch order (an index stays valid): a
    // terminated one keeps no task and takes none.
    std::vector<ContainerInstance> instances_;
    std::uint32_t scanned_ = 0;  // fleet instances looked at for new members
};

}  // namespace stratus::cloud
