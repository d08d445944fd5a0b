#pragma once
// The World: every modelled component of one run, wired from a validated Spec (world_build.cpp),
// plus the simulation loop that drives them (world.cpp): its tick (every 10 s) has the
// CloudWatch service publish and evaluate its alarms (cloudwatch_service.*), bills the slice
// (traffic_billing.*) and closes metrics periods.
// It applies faults and actions. It tells a RunObserver (the Recorder, sim/report) what
// happens and reads nothing back from it.
// The CLI runs one World; a sweep runs many; the viewer holds one and steps it.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/cloud/autoscaling.hpp"
#include "sim/cloud/aws_calls.hpp"
#include "sim/cloud/capacity_pools.hpp"
#include "sim/cloud/cloudwatch.hpp"
#include "sim/cloud/cloudwatch_service.hpp"
#include "sim/cloud/cost_meter.hpp"
#include "sim/cloud/database.hpp"
#include "sim/cloud/ecs_scaling.hpp"
#include "sim/cloud/ecs_service.hpp"
#include "sim/cloud/faults.hpp"
#include "sim/cloud/fleet.hpp"
#include "sim/cloud/image_cache.hpp"
#include "sim/cloud/load_balancer.hpp"
#include "sim/cloud/network.hpp"
#include "sim/cloud/request.hpp"
#include "sim/cloud/request_accounting.hpp"
#include "sim/cloud/run_observer.hpp"
#include "sim/cloud/s3.hpp"
#include "sim/cloud/scaling_policy.hpp"
#include "sim/cloud/target_group.hpp"
#include "sim/cloud/traffic_billing.hpp"
#include "sim/cloud/workload.hpp"
#include "sim/core/simulation.hpp"
#include "sim/scenario/catalog.hpp"
#include "sim/scenario/cron.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

// Fluid mode only, and its header brings Eigen: the files that use the model include it.
class FluidModel;

class World final : public EventHandler,
                    public FaultTarget,
                    public InstanceStateObserver,
                    public TaskObserver {
  public:
    // Builds the components; the Spec must have passed validation. `observer` is told
    // everything from now on and must outlive the World.
    World(const scenario::Spec& spec, RunObserver& observer);
    ~World();  // out of line: FluidModel is complete only there
    World(const World&) = delete;
    World& operator=(const World&) = delete;

    // Schedules the initial launches, the first arrivals, metrics, alarms, schedules, changes
    // and faults.
    void start();
    // Runs to `t` (at most the horizon). The last partial metrics period is closed when the
    // horizon is reached.
    void run_until(SimTime t);
    void run() { run_until(horizon()); }
    bool finished() const { return finished_; }

    SimTime horizon() const { return spec_.simulation.duration; }
    const scenario::Spec& spec() const { return spec_; }
    Simulation& sim() { return sim_; }
    const Fleet& fleet() const { return fleet_; }
    const CapacityPools& capacity_pools() const { return capacity_pools_; }
    Fleet& fleet() { return fleet_; }
    const std::vector<std::string>& zone_names() const { return fleet_.zone_names(); }
    const std::vector<std::unique_ptr<AutoScalingGroup>>& groups() const { return groups_; }
    const std::vector<std::unique_ptr<TargetGroup>>& target_groups() const {
        return target_groups_;
    }
    const std::vector<std::unique_ptr<LoadBalancer>>& load_balancers() const {
        return load_balancers_;
    }
    const std::vector<std::unique_ptr<ScalingPolicy>>& policies() const { return policies_; }
    // Every alarm: the scenario's, then those target tracking manages.
    std::vector<const MetricAlarm*> alarms() const { return cloudwatch_.alarms(); }
    const CloudWatchService& cloudwatch() const { return cloudwatch_; }
    bool zone_available(int zone) const { return zone_down_[zone] == 0; }
    std::uint64_t kernel_events() const { return events_processed_; }
    int alarm_transitions() const { return cloudwatch_.alarm_transitions(); }
    const CostMeter& cost() const { return cost_; }
    // Fluid mode: the model standing in for the requests; null in request mode.
    const FluidModel* fluid() const { return fluid_.get(); }
    // Hours each instance existed (from launch to termination or the end of the run), for
    // On-Demand (spot = false) or Spot Instances. A Fargate task's compute is no EC2 instance:
    // it counts in fargate_task_hours instead.
    double instance_hours(bool spot = false) const;
    // Hours the ECS services' Fargate tasks ran as Fargate bills them, from PENDING (the image
    // pull) to STOPPED or the end of the run, without the one-minute minimum.
    double fargate_task_hours() const;

    void on_event(const Event& e) override;
    // InstanceStateObserver: billing follows every state change; in fluid mode a launch also
    // takes the latency fault in force at once (the coarse tick would apply it late).
    void on_instance_launched(const Instance& instance) override;
    void on_instance_state(const Instance& instance, InstanceState from, InstanceState to) override;
    void on_serving_changed(const Instance& instance) override;
    void on_health_inputs_changed(const Instance& instance) override;
    bool health_checks_dormant(const Instance& instance) const override;
    // The CloudWatch publication interval: 10 s (the finest alarm period served); in fluid
    // mode 60 s when no alarm has a sub-minute period and the metrics period is whole
    // minutes (docs/fluid.md).
    SimTime metric_slice() const { return metric_slice_; }
    SimTime tick() const { return tick_; }

    // FaultTarget
    void begin_az_outage(int zone, const std::string& fault) override;
    void end_az_outage(int zone, const std::string& fault) override;
    void fail_instances(int group, double fraction, RandomStream& rng,
                        const std::string& fault) override;
    void spot_interruption(int group, double fraction, RandomStream& rng, const std::string& fault,
                           SimTime lead) override;
    void db_failover(int db, const std::string& fault) override;
    const std::vector<std::unique_ptr<DbInstance>>& databases() const { return dbs_; }
    const std::vector<S3Bucket>& s3_buckets() const { return s3_buckets_; }
    void begin_latency(int zone, int group, SimTime extra, const std::string& fault) override;
    void end_latency(int zone, int group, const std::string& fault) override;

    // ---------------------------------------------------------------------------------------
    // Viewer support: the instructor's commands enter the run as the same scheduled changes a
    // scenario's [[action]] and [[fault]] make, appended to the Spec so that exporting them
    // replays the session exactly.
    //
    // Schedules an [[action]] (its `at` must not be in the past); returns its index.
    std::size_t schedule_action(scenario::ActionSpec action);
    // Schedules a [[fault]] with `at` (not in the past); returns its index.
    std::size_t schedule_fault(scenario::FaultSpec fault);
    // Ends fault `fault` (an az_outage or latency with `at` and `duration`) at `at` instead:
    // its duration in the Spec becomes at - its start, so the export replays it.
    void end_fault_at(std::size_t fault, SimTime at);
    SimTime now() const { return sim_.now(); }
    const std::vector<std::unique_ptr<DbInstance>>& db_instances() const { return dbs_; }
    const std::vector<std::unique_ptr<EcsService>>& ecs_services() const { return ecs_services_; }
    // The container instances of each cluster with Auto Scaling group capacity providers.
    const std::vector<std::unique_ptr<EcsCapacity>>& ecs_capacity() const { return ecs_capacity_; }
    const std::vector<std::unique_ptr<EcsScalingPolicy>>& ecs_policies() const {
        return ecs_policies_;
    }
    // The workloads' AWS calls and their verdicts; null when no workload makes one.
    const AwsCalls* aws_calls() const { return aws_calls_.get(); }
    // TaskObserver: Fargate billing follows every task status change.
    void on_task_status(const EcsService& service, const EcsTask& task, TaskStatus from) override;
    const std::vector<std::unique_ptr<Workload>>& workloads() const { return workloads_; }

  private:
    // Applies the [[action]] settings and the viewer's commands to the components
    // (settings_applier.*): it reaches the groups, listeners, policies and workloads.
    friend class SettingsApplier;

    // The constructor's steps, in its order (each builds what the next ones are handed).
    void build_load_balancing();
    void build_groups();
    void build_databases();
    void build_workloads();
    void build_scaling_policies();
    void build_faults();
    void build_s3_buckets();
    void build_fluid();
    TargetGroup* find_target_group(const std::string& name);
    // Builds the clusters' container instances (their capacity providers' groups), then the
    // ECS services: Fargate ones, and EC2 ones placed on those instances.
    void build_ecs_capacity();
    void build_ecs_services();
    // Builds the Application Auto Scaling policies of the ECS services.
    void build_ecs_policies();

    enum Kind : std::uint32_t { kTick = 1, kSchedule = 3, kAction = 4 };
    void close_period(SimTime end);
    Gauges sample_gauges(SimTime period_start, SimTime period_end);
    // Bills the slice CloudWatch has just published: CPU credit surplus, then its traffic
    // (traffic_billing.*).
    void bill_slice(SimTime slice_start, SimTime slice_end);
    void schedule_next(std::uint32_t schedule, SimTime after);
    void run_schedule(std::uint32_t schedule);
    void apply_latency();
    // The extra latency the latency faults in force give an instance of this AZ and group.
    SimTime latency_fault_on(const InstanceConfig& config) const;
    AutoScalingGroup* find_group(const std::string& name);
    // Where instances sit, as their flows see it: an Auto Scaling group's subnets and launch
    // security groups, then each ECS service's (awsvpc: its own; bridge and host mode: its
    // container instances', network.hpp ecs_task_network). Indexed as Workload::placement_of.
    struct Placement {
        std::vector<std::string> subnets;
        std::vector<std::string> security_groups;
    };
    std::vector<Placement> placements_of_instances() const;
    std::vector<const scenario::SubnetSpec*> subnets_of(
        const std::vector<std::string>& names) const;
    int placement_named(Flow::Endpoint kind, const std::string& name) const;
    TrafficRoutes build_routes();  // where instances' traffic leaves, then close_calls_out
    void close_calls_out();        // the requests whose calls out of the VPC cannot leave
    void close_flows();            // what each closed flow of analyse_flows blocks
    GroupLaunchSettings launch_settings(const std::string& template_name, int version) const;

    scenario::Spec spec_;
    Simulation sim_;
    RunObserver& observer_;
    RequestPool requests_;
    RequestAccounting accounting_;  // reads load_balancers_ (declared below) once they exist
    scenario::InstanceCatalog catalog_;
    Fleet fleet_;
    SpotMarket spot_market_;
    CapacityPools capacity_pools_;  // counts the instances of the limited pools
    CostMeter cost_;
    std::vector<std::unique_ptr<TargetGroup>> target_groups_;
    std::vector<std::unique_ptr<LoadBalancer>> load_balancers_;
    std::vector<std::unique_ptr<AutoScalingGroup>> groups_;
    std::vector<std::unique_ptr<DbInstance>> dbs_;  // before the workloads that use them
    std::vector<S3Bucket> s3_buckets_;  // billed by the cost meter, which runs their lifecycle
    S3DenialLog s3_denials_;            // their first 403s in the event log
    std::vector<std::unique_ptr<EcsCapacity>> ecs_capacity_;  // before the services using it
    std::vector<std::unique_ptr<EcsService>> ecs_services_;
    ImageCache image_cache_;  // the container instances' images (EC2 launch type)
    std::unique_ptr<AwsCalls> aws_calls_;
    std::vector<std::unique_ptr<Workload>> workloads_;
    std::unique_ptr<FluidModel> fluid_;  // fluid mode: replaces the workloads' arrivals
    std::vector<std::unique_ptr<ScalingPolicy>> policies_;
    std::vector<std::vector<ScalingPolicy*>> tracking_policies_;  // per group
    // Service Auto Scaling: the scalable targets (their bounds and scheduled actions) before
    // the policies that read them.
    std::vector<std::unique_ptr<EcsScalableTarget>> ecs_targets_;
    std::vector<std::unique_ptr<EcsScalingPolicy>> ecs_policies_;
    std::vector<scenario::CronSchedule> schedules_;  // per autoscaling_schedule (recurring)
    std::unique_ptr<FaultInjector> faults_;
    std::vector<Flow> closed_flows_;           // networking: the flows no rule allows
    std::unique_ptr<TrafficBilling> traffic_;  // bill_slice's traffic: LCUs, data transfer

    std::vector<int> zone_down_;  // outages in force per AZ
    std::vector<SimTime> zone_latency_, group_latency_;
    bool latency_faults_seen_ = false;  // a latency fault began (apply_latency has work)
    SimTime period_start_ = 0;
    SimTime slice_start_ = 0;
    SimTime metric_slice_ = MetricStore::kSlice;
    // The World's tick: the metric slice, or in fluid mode the metrics period when it is
    // shorter (10 s or 30 s periods in a run sliced by the minute: on_event()).
    SimTime tick_ = MetricStore::kSlice;
    std::vector<double> busy_at_period_start_;  // per instance, worker-seconds
    // The last period's in_service_by_az, kept for its memory (sample_gauges fills it anew).
    std::vector<int> in_service_by_az_;
    LiveInstances live_;      // the tick (CloudWatch, bill_slice), apply_latency, sample_gauges
    bool burstable_ = false;  // some instance has CPU credits (bill_slice's surplus)
    CloudWatchService cloudwatch_;        // reads the components above; evaluates their alarms
    std::uint64_t events_processed_ = 0;  // kernel events, copied from the loop after each run
    bool started_ = false;
    bool finished_ = false;
};

}  // namespace stratus::cloud
