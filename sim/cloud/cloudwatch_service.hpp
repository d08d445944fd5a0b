#pragma once
// Amazon CloudWatch as a service of the run: every 10 s slice (60 s in fluid mode without
// high-resolution alarms) it reads the components' own counters and gauges and publishes
// what some alarm tracks into its MetricStore, one function per namespace (AWS/EC2,
// AWS/AutoScaling, AWS/ApplicationELB per load balancer and per target group, AWS/ECS); then
// it evaluates the alarms (the scenario's and those the scaling policies manage) and hands
// their actions to the policies they name. The store and the alarms' rules are cloudwatch.*;
// this is when and from what. The World builds it with the components and ticks it.
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "sim/cloud/autoscaling.hpp"
#include "sim/cloud/cloudwatch.hpp"
#include "sim/cloud/ecs_scaling.hpp"
#include "sim/cloud/ecs_service.hpp"
#include "sim/cloud/fleet.hpp"
#include "sim/cloud/load_balancer.hpp"
#include "sim/cloud/run_observer.hpp"
#include "sim/cloud/scaling_policy.hpp"
#include "sim/cloud/target_group.hpp"
#include "sim/core/random.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

class FluidModel;

// What a load balancer's targets did in the last slice published, summed over the target
// groups of its listener's forward: the LCU bill reads it (the World), so the targets are
// scanned once per slice.
struct LbSlice {
    std::uint64_t accepted = 0;  // requests the targets took (the bill's processed bytes)
    std::uint64_t routed = 0;    // requests routed to a target, taken or refused (RequestCount)
    // RequestCount as CloudWatch reads it: `routed`, but for the fluid mode's sampling noise
    // (CloudWatchService::sampled_count).
    std::uint64_t routed_sampled = 0;
    double outstanding = 0;  // requests the targets had not answered at the slice's end
};

// The components CloudWatch reads, owned by the World (the vectors may still be empty when
// the service is built; they are read at each slice).
struct CloudWatchSources {
    // Not const: reading an instance's busy time brings its lazy accounting (CPU credits
    // included) up to now; nothing else is changed.
    Fleet& fleet;
    // The instances not terminated before the slice's start: the World refreshes the list
    // before each publication (one list for the World's loops and the service's).
    const LiveInstances& live;
    const std::vector<std::unique_ptr<AutoScalingGroup>>& groups;
    const std::vector<std::unique_ptr<TargetGroup>>& target_groups;
    const std::vector<std::unique_ptr<LoadBalancer>>& load_balancers;
    const std::vector<std::unique_ptr<EcsService>>& ecs_services;
    // The clusters' Auto Scaling group capacity providers (CapacityProviderReservation).
    const std::vector<std::unique_ptr<EcsCapacity>>& ecs_capacity;
    // The owners of the managed alarms; an alarm action reaches its policy here.
    std::vector<std::unique_ptr<ScalingPolicy>>& policies;
    std::vector<std::unique_ptr<EcsScalingPolicy>>& ecs_policies;
};

class CloudWatchService {
  public:
    CloudWatchService(CloudWatchSources sources, RunObserver& observer);
    CloudWatchService(const CloudWatchService&) = delete;
    CloudWatchService& operator=(const CloudWatchService&) = delete;

    // Wiring, once the policies exist: the scenario's alarms, and the tracking of every
    // alarm's metric. `request_bytes` and `response_bytes`: the workloads' mean message sizes
    // (NetworkIn, NetworkOut).
    void build_alarms(const std::vector<scenario::CloudWatchMetricAlarmSpec>& specs,
                      std::int64_t start_epoch_s);
    void set_message_bytes(double request_bytes, double response_bytes);
    // Fluid mode: the model counts the requests routed to each instance, and the request
    // counts CloudWatch publishes are drawn around them (stream `fluid/count-noise`).
    void set_fluid(const FluidModel* fluid, std::uint64_t seed) {
        fluid_ = fluid;
        count_noise_ = RandomStream(seed, "fluid/count-noise");
    }
    // Tracks an alarm's metric created during the run (a policy changed by an action).
    void track(const MetricAlarm& alarm) { alarm.track_metric(metrics_); }

    // Publishes the slice [slice_start, slice_end): every metric somebody tracks, and the
    // load balancers' slice counts (lb_slices). `live` must have been refreshed to
    // slice_start.
    void publish(SimTime slice_start, SimTime slice_end);
    // Evaluates the alarms due at `now` and invokes their actions.
    void evaluate_alarms(SimTime now);
    // The metrics period's AWS/ECS means (ecs_cpu_percent, ecs_memory_percent) into `g`;
    // starts the next period's.
    void close_period(Gauges& g);

    const std::vector<LbSlice>& lb_slices() const { return lb_slices_; }
    // Every alarm: the scenario's, then those target tracking manages.
    std::vector<const MetricAlarm*> alarms() const;
    int alarm_transitions() const { return alarm_transitions_; }
    const MetricStore& store() const { return metrics_; }

  private:
    // The slice's requests taken and routed per live instance (accepted_, routed_).
    void count_instance_requests();
    void publish_ec2(SimTime slice_start, SimTime slice_end);
    // The EC2 launch type: the vCPU-seconds each container instance's tasks used in the slice
    // (hosted_vcpu_s_, by fleet index; the instances touched in hosts_), from their compute
    // units' busy time since busy_at_slice_start_ (before publish_ec2 moves it on).
    void add_hosted_task_work(SimTime slice_start);
    void publish_autoscaling(SimTime slice_start, std::uint64_t samples);
    void publish_load_balancer(std::size_t b, SimTime slice_start, std::uint64_t samples);
    // Adds target group `tg`'s slice to `out` and publishes its metrics (alone and by `lb`).
    void publish_target_group(std::size_t b, const TargetGroup& tg, SimTime slice_start,
                              std::uint64_t samples, LbSlice& out);
    // AWS/ECS CPUUtilization and MemoryUtilization, ECS/ContainerInsights RunningTaskCount.
    void publish_ecs(SimTime slice_start, SimTime slice_end);
    // AWS/ECS/ManagedScaling CapacityProviderReservation by CapacityProviderName and
    // ClusterName: once a minute, the value managed scaling computed at that minute.
    void publish_capacity_providers(SimTime slice_start);
    // Hands the alarm's actions to the scaling policies it names, or to `ecs` (the policy
    // that manages it) when given.
    void evaluate(MetricAlarm& alarm, SimTime now, EcsScalingPolicy* ecs = nullptr);

    // Performance: a metric's series looked up on its first sample (what is tracked is fixed
    // once the World is built), not a key (strings and a map) built every slice.
    struct LazySeries {
        bool resolved = false;
        std::optional<MetricStore::SeriesId> id;
    };
    // An instance's series, looked up on its first sample.
    struct InstanceSeries {
        bool resolved = false;
        std::optional<MetricStore::SeriesId> cpu, credit, group_cpu, group_network_in,
            group_network_out, group_credit;
    };
    const InstanceSeries& instance_series(std::uint32_t instance);
    struct GroupSeries {
        LazySeries desired, in_service, pending;
    };
    struct LbSeries {
        LazySeries request_count, response_time, elb_5xx, target_2xx, target_5xx;
    };
    // Per (load balancer, target group): a listener may be switched to another group. [0]:
    // by TargetGroup alone, [1]: by TargetGroup and LoadBalancer. `before`: the group's
    // answers at the slice's start (LoadBalancer::group_responses).
    struct TgSeries {
        LazySeries healthy[2], unhealthy[2], request_count[2], per_target[2];
        LazySeries response_time[2], target_2xx[2], target_5xx[2];
        ResponseCounts before;
    };
    struct EcsSeries {
        bool resolved = false;
        std::optional<MetricStore::SeriesId> cpu, memory, running;
        // The minute's points so far, one per slice with a task running (ECS publishes one
        // 1-minute datapoint aggregating its points); reused from minute to minute.
        std::vector<double> cpu_points, memory_points;
    };
    // Performance: per target group, the targets that may still add to its sums.
    struct TargetScan {
        std::vector<std::uint32_t> targets;
        std::uint32_t known = 0;  // targets() size at the last slice
    };
    template <class MakeKey>
    void put(LazySeries& s, SimTime t, double value, std::uint64_t samples,
             const MakeKey& make_key);
    // A slice's request count as CloudWatch counts it: `expected` in request mode (a count of
    // requests); in fluid mode a Poisson draw around the model's expected count.
    std::uint64_t sampled_count(std::uint64_t expected);

    CloudWatchSources src_;
    RunObserver& observer_;
    const FluidModel* fluid_ = nullptr;
    RandomStream count_noise_;
    MetricStore metrics_;
    std::vector<std::unique_ptr<MetricAlarm>> alarms_;  // the scenario's own
    int alarm_transitions_ = 0;
    double request_bytes_ = 0, response_bytes_ = 0;

    std::vector<double> busy_at_slice_start_;       // per instance, worker-seconds
    std::vector<double> hosted_vcpu_s_;             // per instance, zero between slices
    std::vector<std::uint32_t> hosts_;              // where hosted_vcpu_s_ is not zero
    std::vector<std::uint64_t> accepted_at_start_;  // per instance, Instance::accepted()
    std::vector<std::uint64_t> routed_at_start_;    // per instance, routed (fluid: the model's)
    // Per instance, the slice's counts; kept between slices (zero outside the live ones), not
    // allocated every slice.
    std::vector<std::uint64_t> accepted_, routed_;
    std::vector<InstanceSeries> instance_series_;
    std::vector<GroupSeries> group_series_;
    std::vector<LbSeries> lb_series_;
    std::vector<TgSeries> tg_series_;  // per load balancer x target groups + target group
    std::vector<TargetScan> target_scan_;
    std::vector<ResponseCounts> lb_responses_at_start_;  // per load balancer
    std::vector<LbSlice> lb_slices_;
    // The target groups published for the load balancer at hand (each once per slice).
    std::vector<std::uint16_t> published_groups_;
    std::vector<EcsSeries> ecs_series_;
    std::vector<std::vector<LazySeries>> reservation_series_;  // per capacity, per provider
    // The metrics period's AWS/ECS samples of every service together, for the time series.
    double ecs_cpu_sum_ = 0, ecs_memory_sum_ = 0;
    int ecs_samples_ = 0;
};

}  // namespace stratus::cloud
