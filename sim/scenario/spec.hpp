#pragma once
// Spec: what the user wrote, as plain data with the grammar's defaults applied (settings.hpp,
// docs/reference.md, docs/scenario-format.md). The loader fills it from TOML,
// validates it, and the World is built from it. Nothing here changes while a run goes on.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "sim/core/duration_dist.hpp"
#include "sim/core/sim_time.hpp"
#include "sim/iam/policy.hpp"

namespace stratus::scenario {

// Where something was written, so that errors found after loading can still point at it.
struct SourcePos {
    std::string file;  // the scenario file, or "--set PATH" for an override
    int line = 0;      // 1-based; 0 when unknown
    int column = 0;
};

// Positions of the keys of one resource ("min_size" -> 12:3), and of its table header ("").
using KeyPositions = std::map<std::string, SourcePos>;

// A key the file holds that stratus accepts but does not model (Terraform's image_id,
// user_data, a listener's protocol): `validate` lists them.
struct NotModelledKey {
    SourcePos pos;
    std::string key_path;  // autoscaling_group[web].tag... as written
    std::string meaning;   // what it configures
};

using Tags = std::map<std::string, std::string>;

// ---------------------------------------------------------------------------------------------
// Values

// Every distribution a scenario holds is of durations (sim/core/duration_dist.hpp).
using stratus::DistKind;
using stratus::DurationDist;

enum class Fidelity { Request, Fluid };

// ---------------------------------------------------------------------------------------------
// Sections

struct SimulationSpec {
    std::string name;         // default: the file stem
    std::string description;  // lesson text; may hold English and Korean
    SimTime duration = 0;     // required, > 0
    std::uint64_t seed = 1;
    std::string start_time = "2026-01-05T00:00:00Z";  // as written (RFC 3339)
    std::int64_t start_epoch_s = 1767571200;          // start_time as Unix seconds (UTC)
    SimTime metrics_period = 60 * kSecond;            // 10 s, 30 s or a multiple of 60 s
    Fidelity fidelity = Fidelity::Request;
    SimTime warmup = 0;  // extension: requests arriving before it are left out of the totals
    KeyPositions pos;
};

struct RegionSpec {
    std::string name = "us-east-1";
    std::vector<std::string> availability_zones;  // default: name + a, b, c
    KeyPositions pos;
};

struct PricingSpec {
    bool present = false;
    std::map<std::string, double> on_demand;  // instance type -> USD per hour
    std::optional<double> ebs_gp3_gb_month, public_ipv4_hour, alb_hour, alb_lcu_hour,
        nat_gateway_hour, nat_gateway_gb, vpc_endpoint_hour, vpc_endpoint_gb, inter_az_gb,
        snapshot_gb_month, s3_standard_gb_month, fargate_vcpu_hour, fargate_gb_hour,
        fargate_spot_vcpu_hour, fargate_spot_gb_hour, ecr_storage_gb_month, ecr_inter_region_gb,
        cloudwatch_metric_month, cloudwatch_logs_gb, cloudwatch_logs_storage_gb_month;
    std::map<std::string, double> s3;  // S3 price-list item (s3_glacier_gb_month) -> USD
    KeyPositions pos;
};

enum class CreditSpecification { Standard, Unlimited };

struct InstanceTypeSpec {
    std::string name;
    std::optional<int> vcpu;  // required for a new type; overrides otherwise
    std::optional<double> memory_gib;
    std::optional<double> on_demand_hourly;
    std::optional<double> speed;             // relative per-vCPU speed, default 1.0
    std::optional<double> baseline_percent;  // burstable
    std::optional<double> credits_per_hour;
    std::optional<double> max_credits;
    std::optional<CreditSpecification> credit_specification;
    KeyPositions pos;
};

struct LaunchTemplateSpec {
    std::string name;
    std::string instance_type;
    DurationDist boot_time;       // default normal(45 s, 10 s), truncated at 0
    DurationDist app_start_time;  // default constant 30 s
    int workers_per_vcpu = 1;
    int max_queue = 1000;
    double ebs_gb = 8;
    bool associate_public_ip_address = false;
    int version = 1;
    std::vector<std::string> security_groups;
    // iam_instance_profile { name = ... }: the profile whose role its applications act as
    // (docs/iam.md, "IAM in a run"); "" = none (the application has no AWS credentials).
    std::string iam_instance_profile;
    Tags tags;
    KeyPositions pos;
};

enum class LoadBalancerType { Application, Network, Classic };

struct LoadBalancerSpec {
    std::string name;
    LoadBalancerType load_balancer_type = LoadBalancerType::Application;
    std::vector<std::string> availability_zones;   // default: the region's
    bool enable_cross_zone_load_balancing = true;  // default per type: ALB on, NLB and CLB off
    int idle_timeout = 60;                         // seconds
    std::vector<std::string> security_groups;
    std::vector<std::string> subnets;
    bool internal = false;
    Tags tags;
    KeyPositions pos;
};

// One target group of a weighted forward (forward { target_group { arn, weight } }).
struct ForwardTargetGroupSpec {
    std::string arn;  // the target group's name
    // 0..999: its share of the requests is weight / the sum of the weights; 1 when left out,
    // the Terraform AWS provider's default.
    int weight = 1;
};

struct LbListenerSpec {
    std::string load_balancer;
    int port = 80;
    std::string target_group;  // the default forward action to one group; "" with `forward`
    // A weighted forward to several target groups (docs/model.md, "Weighted forward"); empty:
    // target_group takes every request.
    std::vector<ForwardTargetGroupSpec> forward;
    int rules = 0;  // listener rules each request is evaluated against (LCU)
    Tags tags;
    KeyPositions pos;
};

// The target groups a listener forwards to, with their weights: its weighted forward, or its
// one target group with weight 1 (as AWS describes a plain forward).
inline std::vector<ForwardTargetGroupSpec> forwards_of(const LbListenerSpec& l) {
    if (!l.forward.empty()) return l.forward;
    if (l.target_group.empty()) return {};
    return {{l.target_group, 1}};
}

enum class LoadBalancingAlgorithm { RoundRobin, LeastOutstandingRequests };

struct HealthCheckSpec {
    int interval = 30;            // seconds, 5..300
    int timeout = 5;              // seconds, 2..120, < interval
    int healthy_threshold = 5;    // 2..10
    int unhealthy_threshold = 2;  // 2..10
};

// How targets are registered: instances by ID (Auto Scaling groups), or IP addresses (ECS
// tasks in awsvpc network mode, each with its own elastic network interface).
enum class TargetType { Instance, Ip };

struct TargetGroupSpec {
    std::string name;
    int port = 80;
    TargetType target_type = TargetType::Instance;
    LoadBalancingAlgorithm load_balancing_algorithm_type = LoadBalancingAlgorithm::RoundRobin;
    int deregistration_delay = 300;  // seconds, 0..3600
    int slow_start = 0;              // seconds, 0 or 30..900
    HealthCheckSpec health_check;
    Tags tags;
    KeyPositions pos;
};

enum class HealthCheckType { EC2, ELB };

enum class TerminationPolicy {
    Default,
    OldestInstance,
    NewestInstance,
    OldestLaunchConfiguration,
    OldestLaunchTemplate,
    ClosestToNextInstanceHour,
    AllocationStrategy
};

enum class SpotAllocationStrategy { LowestPrice, CapacityOptimized, PriceCapacityOptimized };

struct MixedInstancesPolicySpec {
    int on_demand_base_capacity = 0;
    double on_demand_percentage_above_base_capacity = 100;
    SpotAllocationStrategy spot_allocation_strategy = SpotAllocationStrategy::LowestPrice;
    int spot_instance_pools = 2;
    std::vector<std::string> instance_types;
};

struct AutoScalingGroupSpec {
    std::string name;
    std::string launch_template;
    int launch_template_version = 0;  // extension; 0 = the highest version defined
    int min_size = 0;
    int max_size = 0;
    int desired_capacity = 0;                     // default: min_size
    std::vector<std::string> availability_zones;  // default: the region's, or the subnets' AZs
    std::vector<std::string> subnets;             // Terraform's vpc_zone_identifier
    std::vector<std::string> target_groups;
    HealthCheckType health_check_type = HealthCheckType::EC2;
    int health_check_grace_period = 300;  // seconds
    int default_cooldown = 300;           // seconds
    std::optional<int> default_instance_warmup;
    std::vector<TerminationPolicy> termination_policies{TerminationPolicy::Default};
    bool protect_from_scale_in = false;
    bool capacity_rebalance = false;
    std::optional<MixedInstancesPolicySpec> mixed_instances_policy;
    Tags tags;
    KeyPositions pos;
};

enum class PolicyType { SimpleScaling, StepScaling, TargetTrackingScaling };
enum class AdjustmentType { ChangeInCapacity, ExactCapacity, PercentChangeInCapacity };
enum class PredefinedMetricType {
    ASGAverageCPUUtilization,
    ALBRequestCountPerTarget,
    ASGAverageNetworkIn,
    ASGAverageNetworkOut
};

struct StepAdjustmentSpec {
    std::optional<double> metric_interval_lower_bound;  // relative to the alarm threshold
    std::optional<double> metric_interval_upper_bound;
    int scaling_adjustment = 0;
};

struct TargetTrackingSpec {
    PredefinedMetricType predefined_metric_type = PredefinedMetricType::ASGAverageCPUUtilization;
    double target_value = 0;
    bool disable_scale_in = false;
};

// How a step scaling policy aggregates its alarm's metric (EC2 Auto Scaling and Application
// Auto Scaling).
enum class MetricAggregationType { Average, Minimum, Maximum };

struct AutoScalingPolicySpec {
    std::string name;
    std::string autoscaling_group;
    PolicyType policy_type = PolicyType::SimpleScaling;
    AdjustmentType adjustment_type = AdjustmentType::ChangeInCapacity;
    std::optional<int> scaling_adjustment;
    std::optional<int> cooldown;
    std::optional<int> min_adjustment_magnitude;
    std::optional<int> estimated_instance_warmup;
    std::vector<StepAdjustmentSpec> step_adjustment;
    // Step scaling: how the policy aggregates its alarm's metric (step_metric.hpp).
    MetricAggregationType metric_aggregation_type = MetricAggregationType::Average;
    std::optional<TargetTrackingSpec> target_tracking_configuration;
    KeyPositions pos;
};

enum class Statistic { Average, Sum, Minimum, Maximum, SampleCount };
enum class ComparisonOperator {
    GreaterThanOrEqualToThreshold,
    GreaterThanThreshold,
    LessThanThreshold,
    LessThanOrEqualToThreshold
};
enum class TreatMissingData { Missing, NotBreaching, Breaching, Ignore };

struct CloudWatchMetricAlarmSpec {
    std::string alarm_name;
    std::string namespace_;  // "namespace" in the file
    std::string metric_name;
    std::map<std::string, std::string> dimensions;
    std::optional<Statistic> statistic;
    std::optional<double> extended_statistic;  // percentile, e.g. 99 for "p99"
    std::string extended_statistic_text;       // as written ("p99")
    int period = 60;                           // seconds: 10, 30 or k x 60
    int evaluation_periods = 1;
    int datapoints_to_alarm = 0;  // default: evaluation_periods
    ComparisonOperator comparison_operator = ComparisonOperator::GreaterThanOrEqualToThreshold;
    double threshold = 0;
    TreatMissingData treat_missing_data = TreatMissingData::Missing;
    std::vector<std::string> alarm_actions;  // policy names
    std::vector<std::string> ok_actions;
    Tags tags;
    KeyPositions pos;
};

struct AutoScalingScheduleSpec {
    std::string scheduled_action_name;
    std::string autoscaling_group;
    std::optional<int> min_size, max_size, desired_capacity;
    std::string recurrence;  // 5-field cron; empty = once, at start_time
    std::optional<SimTime> start_time, end_time;
    std::string time_zone;  // IANA name; empty = UTC
    KeyPositions pos;
};

enum class RateShape { Constant, Diurnal, Steps, Ramp, Trace };

struct RateSpec {
    RateShape shape = RateShape::Constant;
    double value = 0;                               // constant
    double min = 0, max = 0;                        // diurnal
    SimTime peak = 14 * kHour;                      // diurnal: time of day of the maximum (UTC)
    std::vector<std::pair<SimTime, double>> steps;  // steps and trace: (from time, rate)
    double from = 0, to = 0;                        // ramp
    SimTime over = 0;                               // ramp: length of the ramp, from the start
    std::string file;                               // trace: CSV as written
    double scale = 1.0;                             // trace
    // trace: "csv" (time,rate rows) or "cloudwatch" (an export of per-period sums; metric
    // chooses among several, period gives it when one datapoint cannot)
    std::string format = "csv";
    std::string metric;
    int period = 0;  // seconds; 0 = from the timestamps
};

struct SpikeSpec {
    SimTime at = 0;
    SimTime duration = 0;
    double multiplier = 1.0;
};

// extension: an AWS API call the application makes while serving a request (docs/iam.md,
// "IAM in a run"): its instance profile's or task role's permissions decide it; a denied call
// fails the request with 500.
struct AwsCallSpec {
    std::string action;    // "s3:PutObject"
    std::string resource;  // an ARN: "arn:aws:s3:::app-logs/logs/app.log"
    double fraction = 1;   // of the requests the application serves, spread evenly
};

struct WorkloadSpec {
    std::string name;
    std::string load_balancer;
    RateSpec rate;
    std::vector<SpikeSpec> spike;
    DurationDist service_time = DurationDist::constant(50 * kMillisecond);
    SimTime timeout = 30 * kSecond;
    std::string database;  // empty = none
    // The application's driver gives up on a database connection after this long (then 500).
    int database_connect_timeout = 10;  // s
    std::int64_t request_bytes = 1024;
    std::int64_t database_bytes = 4096;  // extension: query and result exchanged with `database`
    std::int64_t outbound_bytes = 0;     // extension: sent by the instance to the internet per
                                         // request (external APIs), through its subnet's route
    std::int64_t s3_bytes = 0;           // extension: exchanged with S3 in the region per request
    std::int64_t dynamodb_bytes = 0;     // extension: exchanged with DynamoDB in the region
    std::int64_t response_bytes = 16384;
    // extension: HTTP keep-alive. Requests a client sends on one connection, and how long it
    // holds the connection (0: only while a request is in flight). Load balancer LCUs.
    double requests_per_connection = 1;
    SimTime connection_duration = 0;
    std::vector<AwsCallSpec> aws_call;
    // extension: the listener its clients connect to, by port (0: the load balancer's first
    // listener), and where they connect from: the load balancer's security groups must allow
    // the port from this block ("0.0.0.0/0": the internet; an office's block for a team
    // checking a new version on a temporary listener before a blue/green swap).
    int listener_port = 0;
    std::string client_cidr = "0.0.0.0/0";
    KeyPositions pos;
};

enum class DbEngine { MySQL, Postgres };

struct DbInstanceSpec {
    std::string identifier;
    std::string instance_class;
    bool multi_az = false;
    std::string availability_zone;  // default: the region's first
    int allocated_storage = 20;     // GB
    DurationDist failover_time;     // default uniform(60 s, 120 s)
    DbEngine engine = DbEngine::MySQL;
    int port = 3306;  // default by engine
    std::vector<std::string> subnets;
    std::vector<std::string> security_groups;
    Tags tags;
    KeyPositions pos;
};

// ---- ECS (docs/model.md, "ECS on Fargate"): Terraform's aws_ecs_* resources --------------

// Where ECS runs tasks: the launch type of a service, the compatibilities of a task definition.
enum class EcsLaunchType { Fargate, EC2, External };
// REPLICA: desired_count tasks; DAEMON: one task on each active container instance.
enum class EcsSchedulingStrategy { Replica, Daemon };
// A task definition's network mode; Fargate accepts only awsvpc (a network interface per task).
enum class NetworkMode { Awsvpc, Bridge, Host, None };
// A task definition's runtime_platform.cpu_architecture: Fargate bills ARM64 at its own rates.
enum class CpuArchitecture { X86_64, Arm64 };

struct EcsClusterSpec {
    std::string name;
    // Its `setting` blocks (name, value): containerInsights "enabled" or "enhanced" publishes
    // the ECS/ContainerInsights metrics; "disabled", AWS's default, does not.
    std::vector<std::pair<std::string, std::string>> settings;
    Tags tags;
    KeyPositions pos;
};

// Whether a cluster publishes Container Insights metrics (its containerInsights setting).
inline bool container_insights(const EcsClusterSpec& c) {
    for (const auto& [name, value] : c.settings)
        if (name == "containerInsights") return value == "enabled" || value == "enhanced";
    return false;
}

// One container of a task definition, as read from container_definitions (JSON text).
struct PortMappingSpec {
    int container_port = 0;
    int host_port = 0;  // 0 = not given (awsvpc, host: the container port; bridge: dynamic)
};

// A container definition's healthCheck (the ECS API Reference, HealthCheck; docs/model.md,
// "Container health checks"): Docker's HEALTHCHECK, run by the ECS agent in the container.
struct ContainerHealthCheckSpec {
    std::vector<std::string> command;  // "CMD" or "CMD-SHELL" first, as written
    int interval = 30;                 // s between checks, 5-300
    int timeout = 5;                   // s a check may take, 2-60
    int retries = 3;                   // failed checks in a row that make it UNHEALTHY, 1-10
    int start_period = 0;              // s after the container starts when failures do not
                                       // count, 0-300 (0: off)
    // The port the command probes on the container's own address (localhost:PORT in a URL,
    // 80 for http://localhost/, 443 for https://); 0: it names none (a process check).
    int port = 0;
};

// A container definition's dependsOn entry (the ECS API Reference, ContainerDependency): the
// container waits to start until `container_name` has started (START), exited (COMPLETE), exited
// with code 0 (SUCCESS) or passed its health check (HEALTHY).
enum class ContainerCondition { Start, Complete, Success, Healthy };  // "START", ...

struct ContainerDependencySpec {
    std::string container_name;
    ContainerCondition condition = ContainerCondition::Start;
};

struct ContainerDefinitionSpec {
    std::string name;
    std::string image;
    bool essential = true;
    std::vector<ContainerDependencySpec> depends_on;
    // extension (the task definition's container_exits_after): the container exits with code
    // 0 this long after it starts (an init container); an essential one's exit stops the task.
    std::optional<SimTime> exits_after;
    std::vector<PortMappingSpec> port_mappings;
    // Its own reservations on a container instance (EC2 launch type): CPU units, and the hard
    // (memory) and soft (memoryReservation) limits in MiB; 0 = not given.
    int cpu = 0;
    int memory = 0;
    int memory_reservation = 0;
    std::optional<ContainerHealthCheckSpec> health_check;
};

// A placement_constraints block (EC2 launch type; docs/model.md, "Placement constraints"):
// distinctInstance puts each of the service's tasks on its own container instance, memberOf
// only on the instances its cluster query language expression selects (cluster_query.hpp).
enum class PlacementConstraintType { DistinctInstance, MemberOf };  // "distinctInstance", ...

struct EcsPlacementConstraintSpec {
    PlacementConstraintType type = PlacementConstraintType::MemberOf;
    std::string expression;  // memberOf only
};

struct EcsTaskDefinitionSpec {
    std::string family;
    int cpu = 0;     // CPU units, 1024 = 1 vCPU; 0 = not given (EC2: the containers' sum)
    int memory = 0;  // MiB; 0 = not given (EC2: the containers' sum)
    std::vector<EcsLaunchType> requires_compatibilities;
    NetworkMode network_mode = NetworkMode::Bridge;  // AWS's default on Linux
    std::string container_definitions;               // the JSON text as written
    std::vector<ContainerDefinitionSpec> containers;
    // extension: the task's start (docs/model.md): capacity and network interface, image pull,
    // then the application's own start once the container runs; and its capacity, as a
    // launch template's.
    DurationDist provisioning_time;  // default constant 20 s
    DurationDist image_pull_time;    // default constant 15 s
    // extension: the images' compressed size (MB, 10^6 bytes); given, the pull takes
    // image_size_mb / image_pull_throughput (MB/s) instead of image_pull_time, and its bytes
    // are billed where they pass (a NAT gateway, an interface endpoint).
    std::optional<double> image_size_mb;
    double image_pull_throughput = 25;
    DurationDist app_start_time;  // default constant 10 s
    int workers_per_vcpu = 1;
    int max_queue = 1000;
    // The role its application acts as: a [[iam_role]]'s name or ARN; "" = none.
    std::string task_role_arn;
    // extension: a bad image (docs/model.md, "Deployments"): an application that never answers
    // (its health checks fail), or an essential container that exits this long after the task
    // is RUNNING (ECS stops the task).
    bool app_healthy = true;
    std::optional<DurationDist> essential_container_exits_after;
    // extension: the port the application listens on in its container; none = the port the
    // service's load_balancer names. Traffic and health checks sent to another container port
    // find nothing listening (lab 27).
    std::optional<int> app_port;
    // extension: the memory the task uses (AWS/ECS MemoryUtilization): the application's own,
    // plus what each request holds while a worker serves it. MiB.
    double app_memory = 0;
    double request_memory = 0;
    // runtime_platform: the CPU architecture and the operating system family, LINUX or one of
    // kWindowsOperatingSystemFamilies (Fargate bills Windows at its own rates with a license
    // fee); ephemeral_storage.size_in_gib: Fargate bills what is above the free 20 GiB.
    CpuArchitecture cpu_architecture = CpuArchitecture::X86_64;
    std::string operating_system_family = "LINUX";
    int ephemeral_storage_gib = 20;
    // memberOf rules every task of it must meet (EC2 launch type; ECS refuses distinctInstance
    // in a task definition).
    std::vector<EcsPlacementConstraintSpec> placement_constraints;
    Tags tags;
    KeyPositions pos;
};

// The Windows operating system families Fargate runs (runtime_platform.operating_system_family;
// the Amazon ECS Developer Guide's Windows containers on Fargate).
inline constexpr const char* kWindowsOperatingSystemFamilies[] = {
    "WINDOWS_SERVER_2019_FULL", "WINDOWS_SERVER_2019_CORE", "WINDOWS_SERVER_2022_FULL",
    "WINDOWS_SERVER_2022_CORE"};
// Whether a task definition's containers are Windows containers.
inline bool is_windows(const EcsTaskDefinitionSpec& td) {
    return td.operating_system_family.rfind("WINDOWS_SERVER_", 0) == 0;
}

// The Fargate capacity providers a capacity_provider_strategy may name.
enum class EcsCapacityProvider { Fargate, FargateSpot };  // "FARGATE", "FARGATE_SPOT"

// One capacity_provider_strategy block: `base` tasks first go to the provider that has one,
// the rest are split in proportion to the weights.
struct EcsCapacityProviderStrategySpec {
    EcsCapacityProvider capacity_provider = EcsCapacityProvider::Fargate;
    int weight = 0;
    int base = 0;
    // An Auto Scaling group capacity provider (an [[ecs_capacity_provider]]'s name); empty for
    // FARGATE and FARGATE_SPOT.
    std::string auto_scaling_group_provider;
};

// aws_ecs_capacity_provider (docs/model.md, "ECS on EC2"): an Auto Scaling group whose
// instances are the cluster's container instances, and ECS's managed scaling of it.
enum class ManagedScalingStatus { Enabled, Disabled };          // "ENABLED", "DISABLED"
enum class ManagedTerminationProtection { Enabled, Disabled };  // "ENABLED", "DISABLED"
enum class ManagedDraining { Enabled, Disabled };               // "ENABLED", "DISABLED"
// managed_draining when a scenario does not write it: AWS's default when a capacity provider
// is created ("Configuring Amazon ECS capacity providers to safely shut down instances":
// managed instance draining is on by default). The grammar's default (settings.cpp) reads it.
inline constexpr ManagedDraining kManagedDrainingDefault = ManagedDraining::Enabled;

struct EcsManagedScalingSpec {
    ManagedScalingStatus status = ManagedScalingStatus::Disabled;
    int target_capacity = 100;  // %, 1..100
    int minimum_scaling_step_size = 1;
    int maximum_scaling_step_size = 10000;
    int instance_warmup_period = 300;  // s
};

struct EcsCapacityProviderSpec {
    std::string name;
    std::string auto_scaling_group;  // auto_scaling_group_arn: an [[autoscaling_group]]'s name
    EcsManagedScalingSpec managed_scaling;
    ManagedTerminationProtection managed_termination_protection =
        ManagedTerminationProtection::Disabled;
    // ENABLED unless written, as AWS creates a capacity provider (the importer writes the
    // state's value; ecs_draining.hpp).
    ManagedDraining managed_draining = kManagedDrainingDefault;
    Tags tags;
    KeyPositions pos;
};

// aws_ecs_cluster_capacity_providers: the providers a cluster's services may use, and the
// strategy of a service that names neither launch_type nor a strategy.
struct EcsClusterCapacityProvidersSpec {
    std::string cluster_name;
    std::vector<std::string> capacity_providers;
    std::vector<EcsCapacityProviderStrategySpec> default_capacity_provider_strategy;
    KeyPositions pos;
};

// An ordered_placement_strategy block (EC2 launch type): how ECS picks a container instance.
enum class PlacementStrategyType { Random, Spread, Binpack };  // "random", "spread", "binpack"

struct EcsPlacementStrategySpec {
    PlacementStrategyType type = PlacementStrategyType::Spread;
    // spread: "attribute:ecs.availability-zone" or "instanceId" (= "host"); binpack: "cpu" or
    // "memory"; random: none.
    std::string field;
};

// A service's load_balancer block: the container (and port) registered in a target group.
struct EcsLoadBalancerSpec {
    std::string target_group;  // Terraform's target_group_arn: a [[target_group]] name
    std::string container_name;
    int container_port = 0;
};

struct EcsServiceSpec {
    std::string name;
    std::string cluster;
    std::string task_definition;  // a family
    int desired_count = 0;
    EcsLaunchType launch_type = EcsLaunchType::EC2;  // AWS's default without a strategy
    EcsSchedulingStrategy scheduling_strategy = EcsSchedulingStrategy::Replica;
    bool network_configuration = false;  // the block is present
    std::vector<std::string> subnets;
    std::vector<std::string> security_groups;
    bool assign_public_ip = false;
    std::vector<EcsLoadBalancerSpec> load_balancer;
    int health_check_grace_period_seconds = 0;
    // Rolling updates (deployment_controller ECS): the bounds in percent of desired_count, and
    // the deployment circuit breaker.
    int deployment_minimum_healthy_percent = 100;
    int deployment_maximum_percent = 200;
    bool deployment_circuit_breaker_enable = false;
    bool deployment_circuit_breaker_rollback = false;
    // Fargate Spot (docs/model.md, "Fargate Spot"): empty = every task on FARGATE.
    std::vector<EcsCapacityProviderStrategySpec> capacity_provider_strategy;
    // extension: interruptions of a FARGATE_SPOT task per task-month (730 h).
    double spot_interruption_monthly_rate = 0.05;
    // EC2 launch type: empty = ECS's default for a service (spread across AZs, then binpack
    // on memory).
    std::vector<EcsPlacementStrategySpec> ordered_placement_strategy;
    // EC2 launch type: with the task definition's, the rules an instance must meet.
    std::vector<EcsPlacementConstraintSpec> placement_constraints;
    Tags tags;
    KeyPositions pos;
};

// Application Auto Scaling for an ECS service (aws_appautoscaling_target / _policy).
struct AppAutoscalingTargetSpec {
    std::string resource_id;  // "service/<cluster>/<service>"
    std::string service_namespace = "ecs";
    std::string scalable_dimension = "ecs:service:DesiredCount";
    int min_capacity = 0;
    int max_capacity = 0;
    std::string cluster, service;  // from resource_id
    KeyPositions pos;
};

enum class AppPolicyType { StepScaling, TargetTrackingScaling };
enum class AppPredefinedMetricType {
    ECSServiceAverageCPUUtilization,
    ECSServiceAverageMemoryUtilization,
    ALBRequestCountPerTarget
};

struct AppTargetTrackingSpec {
    AppPredefinedMetricType predefined_metric_type =
        AppPredefinedMetricType::ECSServiceAverageCPUUtilization;
    std::string resource_label;  // ALBRequestCountPerTarget: "app/<lb>/.../targetgroup/<tg>/..."
    double target_value = 0;
    int scale_in_cooldown = 300;  // s; Application Auto Scaling's default for ECS
    int scale_out_cooldown = 300;
    bool disable_scale_in = false;
};

// step_scaling_policy_configuration: the adjustment made when the policy's alarm fires.
struct AppStepScalingSpec {
    AdjustmentType adjustment_type = AdjustmentType::ChangeInCapacity;
    int cooldown = 0;  // s
    MetricAggregationType metric_aggregation_type = MetricAggregationType::Average;
    std::optional<int> min_adjustment_magnitude;
    std::vector<StepAdjustmentSpec> step_adjustment;
};

struct AppAutoscalingPolicySpec {
    std::string name;
    std::string resource_id;  // an [[appautoscaling_target]]'s
    std::string service_namespace = "ecs";
    std::string scalable_dimension = "ecs:service:DesiredCount";
    AppPolicyType policy_type = AppPolicyType::StepScaling;  // Terraform's default
    std::optional<AppTargetTrackingSpec> target_tracking;
    std::optional<AppStepScalingSpec> step_scaling;
    KeyPositions pos;
};

// aws_appautoscaling_scheduled_action: sets the scalable target's min and max capacity at the
// times its schedule says.
struct AppAutoscalingScheduledActionSpec {
    std::string name;
    std::string resource_id;  // an [[appautoscaling_target]]'s
    std::string service_namespace = "ecs";
    std::string scalable_dimension = "ecs:service:DesiredCount";
    std::string schedule;  // "at(yyyy-mm-ddThh:mm:ss)", "rate(n unit)" or "cron(6 fields)"
    std::string timezone = "UTC";
    std::optional<SimTime> start_time, end_time;
    std::optional<int> min_capacity, max_capacity;  // scalable_target_action
    KeyPositions pos;
};

enum class FaultType { AzOutage, InstanceFailure, SpotInterruption, DbFailover, Latency };

struct FaultSpec {
    FaultType type = FaultType::AzOutage;
    std::string target;  // an AZ, a group or a db identifier
    std::optional<SimTime> at;
    std::optional<SimTime> duration;
    std::optional<DurationDist> mtbf, mttr;
    std::optional<double> fraction;     // 0 < f <= 1
    std::optional<DurationDist> extra;  // latency
    KeyPositions pos;
};

enum class SpotPriceModel { Constant, MeanReverting, Trace };

struct SpotPoolSpec {
    std::string instance_type;
    std::string availability_zone;
    SpotPriceModel price_model = SpotPriceModel::Constant;
    std::map<std::string, double> price_params;  // model parameters as written (price, mean, ...)
    std::string price_file;                      // trace
    std::optional<double> monthly_rate;          // interruption rate per instance-month
    std::optional<int> capacity;  // extension: Spot Instances the pool can hold at once
    KeyPositions pos;
};

// [[capacity_pool]]: how many On-Demand instances of a type EC2 can run in one AZ for the
// run (every group's and the standalone ones). Pools not listed have no limit.
struct CapacityPoolSpec {
    std::string instance_type;
    std::string availability_zone;
    int capacity = 0;
    KeyPositions pos;
};

struct SpotSpec {
    bool present = false;
    std::vector<SpotPoolSpec> pool;
    KeyPositions pos;
};

struct VpcSpec {
    bool present = false;
    std::string cidr_block;
    Tags tags;
    KeyPositions pos;
};

struct SubnetSpec {
    std::string name;
    std::string cidr_block;
    std::string availability_zone;
    bool map_public_ip_on_launch = false;
    std::string route = "local";  // "igw", "nat:<name>", "instance:<name>" or "local"
    Tags tags;
    KeyPositions pos;
};

// A rule: TCP ports `port` to `to_port` (one port when equal) from (inbound) or to (outbound)
// the blocks or the members of the groups. A rule of another protocol (udp, icmp) passes none
// of the modelled flows, which are TCP.
struct IngressRuleSpec {
    int port = 0;
    int to_port = -1;  // -1: `port` alone
    bool tcp = true;
    std::vector<std::string> cidr_blocks;
    std::vector<std::string> source_security_groups;
    // An outbound rule's managed prefix lists, by the gateway [[vpc_endpoint]] whose service's
    // AWS-managed prefix list (com.amazonaws.<region>.s3 or .dynamodb) it names: traffic to
    // that service through a gateway endpoint.
    std::vector<std::string> prefix_lists;
    int last_port() const { return to_port < 0 ? port : to_port; }
    bool covers(int p) const { return tcp && p >= port && p <= last_port(); }
};

struct SecurityGroupSpec {
    std::string name;
    std::vector<IngressRuleSpec> ingress;
    // The outbound rules; `source_security_groups` are the destinations. Without an `egress`
    // key, AWS's default rule: all traffic to 0.0.0.0/0 (allow_all_egress). Terraform's
    // aws_security_group removes that rule, so an imported group without egress blocks has
    // `egress = []`: it sends nothing out.
    std::vector<IngressRuleSpec> egress = {allow_all_egress()};
    static IngressRuleSpec allow_all_egress() {
        IngressRuleSpec all;
        all.port = 0;
        all.to_port = 65535;
        all.cidr_blocks = {"0.0.0.0/0"};
        return all;
    }
    Tags tags;
    KeyPositions pos;
};

struct NatGatewaySpec {
    std::string name;
    std::string subnet;
    Tags tags;
    KeyPositions pos;
};

// A VPC endpoint. Gateway (S3, DynamoDB): traffic from its subnets to the service goes
// through it (free) instead of the subnets' default route (a NAT gateway's processing charge).
// Interface (AWS PrivateLink): a network interface in each of its subnets; with private DNS the
// service's default name resolves to it for the whole VPC, so callers reach the service on 443
// through it when its security groups let them (docs/model.md, "VPC endpoints").
// Ecs, EcsAgent, EcsTelemetry: the ECS API, the agent communication and telemetry services the
// ECS agent on a container instance calls to register it and take its tasks.
enum class EndpointService { S3, DynamoDB, EcrApi, EcrDkr, Logs, Ecs, EcsAgent, EcsTelemetry };
enum class EndpointType { Gateway, Interface };
struct VpcEndpointSpec {
    std::string name;
    EndpointService service_name = EndpointService::S3;
    EndpointType vpc_endpoint_type = EndpointType::Gateway;
    // Gateway: the subnets whose route table holds its route; Interface: the subnets it has a
    // network interface in (each AZ of them is billed).
    std::vector<std::string> subnets;
    std::vector<std::string> security_groups;  // Interface: its network interfaces' groups
    bool private_dns_enabled = false;          // Interface (Terraform's default)
    Tags tags;
    KeyPositions pos;
};

enum class InstanceState { Pending, Running, Stopping, Stopped, ShuttingDown, Terminated };

struct StandaloneInstanceSpec {
    std::string name;
    std::string availability_zone;
    std::string launch_template;  // or the keys below inline
    std::string instance_type;
    double ebs_gb = 8;
    bool associate_public_ip_address = false;
    // EC2 drops traffic not addressed to the instance unless this is off: a NAT instance
    // (a subnet's route "instance:<name>") forwards only with source_dest_check = false.
    bool source_dest_check = true;
    std::string subnet;
    std::vector<std::string> security_groups;
    std::vector<std::pair<SimTime, InstanceState>> schedule;  // default: running throughout
    Tags tags;
    KeyPositions pos;
};

// A Reserved Instance (docs/pricing.md, "Commitments"): regional, or zonal when it names an AZ.
struct ReservedInstanceSpec {
    std::string name;
    std::string instance_type;
    // "": regional (any AZ, size-flexible); an AZ: zonal (that AZ and exact type only, and it
    // reserves capacity there).
    std::string availability_zone;
    int instance_count = 1;
    double recurring_charge = 0;  // USD per instance-hour
    std::string offering_class = "standard";
    std::string offering_type = "No Upfront";  // "Partial Upfront", "All Upfront"
    double fixed_price = 0;                    // USD per instance, paid upfront
    int duration = 31536000;                   // seconds: 1 year (or 3 years, 94608000)
    Tags tags;
    KeyPositions pos;
};

// An RDS reserved DB instance (aws_rds_reserved_instance and its offering; docs/pricing.md,
// "Commitments").
struct ReservedDbInstanceSpec {
    std::string name;
    std::string db_instance_class;  // "db.m5.large"
    int instance_count = 1;
    bool multi_az = false;
    std::string product_description = "mysql";  // the engine (and license) it applies to
    double recurring_charge = 0;                // USD per DB instance-hour
    std::string offering_type = "No Upfront";   // "Partial Upfront", "All Upfront"
    double fixed_price = 0;                     // USD per DB instance, paid upfront
    int duration = 31536000;                    // seconds: 1 year (or 3 years, 94608000)
    Tags tags;
    KeyPositions pos;
};

struct SavingsPlanSpec {
    std::string name;
    std::string savings_plan_type;  // "Compute" or "EC2Instance"
    double commitment = 0;          // USD per hour
    std::string instance_family;    // EC2Instance plans
    double discount = 0;            // percent off On-Demand
    std::map<std::string, double> rates;
    std::string payment_option = "No Upfront";  // "Partial Upfront", "All Upfront"
    double upfront_payment_amount = 0;          // USD; All Upfront: 0 means commitment x term
    int term_duration_in_seconds = 31536000;    // 1 year (or 3 years, 94608000)
    Tags tags;
    KeyPositions pos;
};

struct EipSpec {
    std::string name;
    std::string instance;  // empty: an idle address
    Tags tags;
    KeyPositions pos;
};

struct EbsVolumeSpec {
    std::string name;
    double size_gb = 0;
    std::string availability_zone;
    Tags tags;
    KeyPositions pos;
};

struct EbsSnapshotSpec {
    std::string name;
    double size_gb = 0;
    Tags tags;
    KeyPositions pos;
};

// S3 storage classes, with AWS's names (x-amz-storage-class), in the order of AWS's pricing
// page; lifecycle transitions run down the order of s3_class_rank (sim/cloud/s3.hpp).
enum class S3StorageClass {
    STANDARD,
    STANDARD_IA,
    ONEZONE_IA,
    INTELLIGENT_TIERING,
    GLACIER_IR,
    GLACIER,  // S3 Glacier Flexible Retrieval
    DEEP_ARCHIVE,
};
constexpr int kS3StorageClassCount = 7;
// AWS's lifecycle waterfall: a transition only goes down STANDARD, STANDARD_IA,
// INTELLIGENT_TIERING, ONEZONE_IA, GLACIER_IR, GLACIER, DEEP_ARCHIVE.
constexpr int s3_class_rank(S3StorageClass c) {
    switch (c) {
        case S3StorageClass::STANDARD:
            return 0;
        case S3StorageClass::STANDARD_IA:
            return 1;
        case S3StorageClass::INTELLIGENT_TIERING:
            return 2;
        case S3StorageClass::ONEZONE_IA:
            return 3;
        case S3StorageClass::GLACIER_IR:
            return 4;
        case S3StorageClass::GLACIER:
            return 5;
        case S3StorageClass::DEEP_ARCHIVE:
            return 6;
    }
    return 0;
}
// Whether S3 Lifecycle moves objects of class `from` to class `to`: down the waterfall, except
// ONEZONE_IA to GLACIER_IR (the S3 User Guide's unsupported transitions: nothing goes back up,
// INTELLIGENT_TIERING does not go to STANDARD_IA, ONEZONE_IA not to INTELLIGENT_TIERING,
// STANDARD_IA or GLACIER_IR).
constexpr bool s3_transition_supported(S3StorageClass from, S3StorageClass to) {
    return s3_class_rank(to) > s3_class_rank(from) &&
           !(from == S3StorageClass::ONEZONE_IA && to == S3StorageClass::GLACIER_IR);
}

// A bucket whose objects are written at a rate (docs/model.md, "S3").
struct S3BucketSpec {
    std::string name;
    double storage_gb = 0;         // stored at the start: objects created then
    double growth_gb_per_day = 0;  // written per day (negative: a bucket that shrinks)
    S3StorageClass storage_class = S3StorageClass::STANDARD;  // of the objects written
    double object_size_kb = 0;   // 0: sizes only (no per-object charges, no requests)
    double objects_per_day = 0;  // PUTs per day, object_size_kb each
    std::string key_prefix;      // the objects' keys begin with it (lifecycle filters)
    double get_requests_per_day = 0;
    double list_requests_per_day = 0;
    bool gets_from_internet = false;  // GET responses leave AWS: data transfer out
    // extension: who sends the GETs and the PUTs ("anonymous", "user/NAME", "role/NAME",
    // "instance-profile/NAME"); "" = the bucket owner, not checked. A request the bucket
    // policy, the ACLs and the requester's policies deny fails with 403, unbilled.
    std::string get_requests_from, put_requests_from;
    // extension: the GETs go through a presigned URL this principal signed at presigned_at
    // (seconds from the run's start, <= 0) for presigned_expires_in seconds (X-Amz-Expires,
    // <= 604800); "" = no presigned URL.
    std::string presigned_by;
    std::int64_t presigned_at = 0;
    std::int64_t presigned_expires_in = 3600;
    // extension: the PUTs go through a presigned URL this principal signed, as the GETs through
    // presigned_by's: writes are made only while it is valid; "" = no presigned PUT URL.
    std::string presigned_put_by;
    std::int64_t presigned_put_at = 0;
    std::int64_t presigned_put_expires_in = 3600;
    // extension: the part size of the writer's multipart uploads (the AWS CLI's
    // multipart_chunksize, also its threshold): an object larger than it is written by
    // CreateMultipartUpload, ceil(size / part) UploadPart and CompleteMultipartUpload, each a
    // PUT-class request; 0 = every object by one PutObject.
    double multipart_part_size_mb = 0;
    // The canned ACL the objects are written with (aws_s3_object's acl).
    std::string object_acl = "private";
    // The tags every object is written with (x-amz-tagging): lifecycle tag filters match them.
    Tags object_tags;
    // aws_s3_bucket_versioning's status: "Enabled" keeps an overwritten or expired object as a
    // noncurrent version; "Suspended" and "Disabled" replace it (the run has no older versions).
    std::string versioning = "Disabled";
    // The share of the bucket's writes (growth and objects) that overwrite an existing key,
    // the one written longest ago, rather than add a new one.
    double overwrite_percent = 0;
    // The bytes of each object's key name (UTF-8): a delete marker is stored, in STANDARD,
    // at this size. 0: delete markers are billed nothing.
    int key_name_bytes = 0;
    // The share of the bytes written whose multipart upload is left incomplete: its parts
    // stay billed until completed or aborted (abort_incomplete_multipart_upload).
    double incomplete_upload_percent = 0;
    // extension: RestoreObject requests per day on the bucket's archived objects (GLACIER,
    // DEEP_ARCHIVE), each at the retrieval tier restore_tier ("Standard", "Bulk",
    // "Expedited"), its temporary copy kept restore_days days (Terraform has no restores).
    double restore_requests_per_day = 0;
    std::string restore_tier = "Standard";
    int restore_days = 1;
    Tags tags;
    KeyPositions pos;
};

// aws_s3_bucket_policy: the bucket's resource-based policy (docs/iam.md).
struct S3BucketPolicySpec {
    std::string bucket;
    std::string policy;
    iam::PolicyDocument document;
    KeyPositions pos;
};

// aws_s3_bucket_acl: the bucket's canned ACL.
struct S3BucketAclSpec {
    std::string bucket;
    std::string acl = "private";
    KeyPositions pos;
};

// aws_s3_bucket_public_access_block: the bucket's S3 Block Public Access settings
// (docs/iam.md, "S3 access"); false, Terraform's default, leaves the bucket as it is.
struct S3BucketPublicAccessBlockSpec {
    std::string bucket;
    bool block_public_acls = false;
    bool block_public_policy = false;
    bool ignore_public_acls = false;
    bool restrict_public_buckets = false;
    KeyPositions pos;
};

// aws_s3_bucket_ownership_controls: S3 Object Ownership; "BucketOwnerEnforced" disables ACLs.
struct S3BucketOwnershipControlsSpec {
    std::string bucket;
    std::string object_ownership;  // rule.object_ownership (required)
    KeyPositions pos;
};

// aws_s3_bucket_lifecycle_configuration: one per bucket, its rules as Terraform writes them.
struct S3LifecycleTransitionSpec {
    int days = 0;
    S3StorageClass storage_class = S3StorageClass::GLACIER;
    // noncurrent_version_transition's newer_noncurrent_versions: the versions of a key that
    // many newer noncurrent versions stay (0: none kept, the days alone decide).
    int newer_noncurrent_versions = 0;
};
struct S3LifecycleRuleSpec {
    std::string id;
    bool enabled = true;  // status = "Enabled"
    std::string prefix;   // filter.prefix: "" applies to every object
    // filter.object_size_greater_than / _less_than, bytes (strict); a rule with either is
    // not held by the configuration's default minimum object size for transitions.
    std::optional<std::int64_t> object_size_greater_than, object_size_less_than;
    // filter.tag and filter.and.tags: the tags an object must carry, each with its value.
    Tags tags;
    std::vector<S3LifecycleTransitionSpec> transition;
    std::optional<int> expiration_days;
    // noncurrent_version_transition[] (noncurrent_days, storage_class) and
    // noncurrent_version_expiration.noncurrent_days: days counted from when a version became
    // noncurrent (a versioned bucket).
    std::vector<S3LifecycleTransitionSpec> noncurrent_transition;
    std::optional<int> noncurrent_expiration_days;
    // noncurrent_version_expiration.newer_noncurrent_versions: the newest this many noncurrent
    // versions of each key are kept whatever their days (0: none kept).
    int noncurrent_expiration_newer = 0;
    // expiration.expired_object_delete_marker: removes a delete marker left with no versions.
    bool expired_object_delete_marker = false;
    // abort_incomplete_multipart_upload.days_after_initiation.
    std::optional<int> abort_incomplete_days;
};
// S3 keeps at most 10 tags on an object.
constexpr std::size_t kS3ObjectTagsMax = 10;
// Does a rule's tag filter take objects carrying these tags? Every tag of the filter, with its
// value exactly; the object's other tags do not matter.
inline bool s3_tag_filter_matches(const S3LifecycleRuleSpec& rule, const Tags& object_tags) {
    for (const auto& [key, value] : rule.tags) {
        const auto it = object_tags.find(key);
        if (it == object_tags.end() || it->second != value) return false;
    }
    return true;
}
struct S3BucketLifecycleConfigurationSpec {
    std::string bucket;
    // "all_storage_classes_128K" (S3's default since September 2024): objects under 128 KB
    // move to no class; "varies_by_storage_class": they move to GLACIER and DEEP_ARCHIVE only.
    std::string transition_default_minimum_object_size = "all_storage_classes_128K";
    std::vector<S3LifecycleRuleSpec> rule;
    KeyPositions pos;
};

// ---- IAM (docs/iam.md): Terraform's aws_iam_* and aws_organizations_* resources ----------
// Policy documents are JSON text, kept as written (explain writes it back) and parsed.

struct IamPolicySpec {  // a customer managed policy
    std::string name;
    std::string policy;
    iam::PolicyDocument document;
    Tags tags;
    KeyPositions pos;
};

struct IamUserSpec {
    std::string name;
    std::string permissions_boundary;  // a managed policy's name or ARN; "" = none
    // extension: the AWS account the user is in (12 digits); "" = the scenario's. A user of
    // another account calls the scenario's resources across accounts (docs/iam.md).
    std::string account_id;
    // Terraform's exported unique_id (AIDA...): the request context's aws:userid; "" = not
    // known, the key is then absent from the user's requests.
    std::string unique_id;
    Tags tags;
    KeyPositions pos;
};

struct IamGroupSpec {
    std::string name;
    KeyPositions pos;
};

struct IamGroupMembershipSpec {  // aws_iam_group_membership: the users of one group
    std::string name;
    std::string group;
    std::vector<std::string> users;
    KeyPositions pos;
};

struct IamUserGroupMembershipSpec {  // aws_iam_user_group_membership: the groups of one user
    std::string user;
    std::vector<std::string> groups;
    KeyPositions pos;
};

struct IamRoleSpec {
    std::string name;
    std::string assume_role_policy;
    iam::PolicyDocument trust_policy;
    std::string permissions_boundary;
    std::string account_id;  // extension, as IamUserSpec's
    // The role's path, part of its ARN (role/PATH/NAME without the outer slashes). A role
    // under /aws-service-role/ is a service-linked role: SCPs and RCPs do not limit it.
    std::string path = "/";
    std::string unique_id;  // Terraform's unique_id (AROA...): aws:userid is "ID:SESSION"
    std::vector<std::string> managed_policy_arns;
    Tags tags;
    KeyPositions pos;
};

// aws_iam_user_policy, aws_iam_group_policy, aws_iam_role_policy: `owner` is the user, group
// or role.
struct IamInlinePolicySpec {
    std::string name;
    std::string owner;
    std::string policy;
    iam::PolicyDocument document;
    KeyPositions pos;
};

// aws_iam_{user,group,role}_policy_attachment: `owner` is the user, group or role.
struct IamPolicyAttachmentSpec {
    std::string owner;
    std::string policy_arn;
    KeyPositions pos;
};

struct IamMultiPolicyAttachmentSpec {  // aws_iam_policy_attachment
    std::string name;
    std::string policy_arn;
    std::vector<std::string> users, groups, roles;
    KeyPositions pos;
};

struct IamInstanceProfileSpec {
    std::string name;
    std::string role;
    KeyPositions pos;
};

struct OrganizationsPolicySpec {  // an SCP
    std::string name;
    std::string content;
    iam::PolicyDocument document;
    std::string type = "SERVICE_CONTROL_POLICY";
    KeyPositions pos;
};

// aws_organizations_organization: the organization the scenario's account belongs to. Its
// management account is exempt from SCPs and RCPs; its id fills aws:PrincipalOrgID and
// aws:ResourceOrgID for the principals and resources of its accounts (docs/iam.md).
struct OrganizationsOrganizationSpec {
    bool present = false;
    std::string id;                 // "o-a1b2c3d4e5"; "" = not given (the keys stay absent)
    std::string master_account_id;  // the management account; "" = another account
    // extension: the other member accounts (the scenario's and the management account are in
    // it without being listed), whose principals get aws:PrincipalOrgID
    std::vector<std::string> accounts;
    KeyPositions pos;
};

struct OrganizationsPolicyAttachmentSpec {
    std::string policy_id;  // an [[organizations_policy]]'s name, or "p-FullAWSAccess"
    std::string target_id;  // the root, an OU or the account: one level each
    KeyPositions pos;
};

// Service level objectives, judged per window of `window` (docs/slo.md). Latency targets are
// percentiles of every answer the clients got, errors included with their own latency.
struct SloSpec {
    bool present = false;
    std::optional<SimTime> latency_p50, latency_p90, latency_p99, latency_p999;
    std::optional<double> availability;  // percent of answers that were 2xx, at least
    std::optional<double> error_rate;    // percent of answers that were 5xx, at most
    std::optional<SimTime> window;       // default: simulation.metrics_period (a multiple of it)
    double budget = 0;                   // share of judged windows allowed to miss, [0, 1)
    KeyPositions pos;
};

// One value an [[action]] or --set writes.
using SettingValue = std::variant<bool, std::int64_t, double, std::string>;

struct ActionSpec {
    SimTime at = 0;
    std::vector<std::pair<std::string, SettingValue>> set;  // "<resource>.<name>.<key>" = value
    KeyPositions pos;
};

// ---------------------------------------------------------------------------------------------

struct Spec {
    std::string source_file;  // as given on the command line
    std::string base_dir;     // for files the scenario names (traces, empirical samples)

    SimulationSpec simulation;
    RegionSpec region;
    PricingSpec pricing;
    std::vector<InstanceTypeSpec> instance_type;
    std::vector<LaunchTemplateSpec> launch_template;
    std::vector<LoadBalancerSpec> load_balancer;
    std::vector<LbListenerSpec> lb_listener;
    std::vector<TargetGroupSpec> target_group;
    std::vector<AutoScalingGroupSpec> autoscaling_group;
    std::vector<AutoScalingPolicySpec> autoscaling_policy;
    std::vector<CloudWatchMetricAlarmSpec> cloudwatch_metric_alarm;
    std::vector<AutoScalingScheduleSpec> autoscaling_schedule;
    std::vector<WorkloadSpec> workload;
    std::vector<DbInstanceSpec> db_instance;
    std::vector<EcsClusterSpec> ecs_cluster;
    std::vector<EcsTaskDefinitionSpec> ecs_task_definition;
    std::vector<EcsServiceSpec> ecs_service;
    std::vector<EcsCapacityProviderSpec> ecs_capacity_provider;
    std::vector<EcsClusterCapacityProvidersSpec> ecs_cluster_capacity_providers;
    std::vector<AppAutoscalingTargetSpec> appautoscaling_target;
    std::vector<AppAutoscalingPolicySpec> appautoscaling_policy;
    std::vector<AppAutoscalingScheduledActionSpec> appautoscaling_scheduled_action;
    std::vector<FaultSpec> fault;
    SpotSpec spot;
    std::vector<CapacityPoolSpec> capacity_pool;
    VpcSpec vpc;
    std::vector<SubnetSpec> subnet;
    std::vector<SecurityGroupSpec> security_group;
    std::vector<NatGatewaySpec> nat_gateway;
    std::vector<VpcEndpointSpec> vpc_endpoint;
    std::vector<StandaloneInstanceSpec> instance;
    std::vector<EipSpec> eip;
    std::vector<EbsVolumeSpec> ebs_volume;
    std::vector<EbsSnapshotSpec> ebs_snapshot;
    std::vector<S3BucketSpec> s3_bucket;
    std::vector<S3BucketLifecycleConfigurationSpec> s3_bucket_lifecycle_configuration;
    std::vector<S3BucketPolicySpec> s3_bucket_policy;
    std::vector<S3BucketAclSpec> s3_bucket_acl;
    std::vector<S3BucketPublicAccessBlockSpec> s3_bucket_public_access_block;
    std::vector<S3BucketOwnershipControlsSpec> s3_bucket_ownership_controls;
    std::vector<IamPolicySpec> iam_policy;
    std::vector<IamUserSpec> iam_user;
    std::vector<IamGroupSpec> iam_group;
    std::vector<IamGroupMembershipSpec> iam_group_membership;
    std::vector<IamUserGroupMembershipSpec> iam_user_group_membership;
    std::vector<IamRoleSpec> iam_role;
    std::vector<IamInlinePolicySpec> iam_user_policy, iam_group_policy, iam_role_policy;
    std::vector<IamPolicyAttachmentSpec> iam_user_policy_attachment, iam_group_policy_attachment,
        iam_role_policy_attachment;
    std::vector<IamMultiPolicyAttachmentSpec> iam_policy_attachment;
    std::vector<IamInstanceProfileSpec> iam_instance_profile;
    std::vector<OrganizationsPolicySpec> organizations_policy;
    std::vector<OrganizationsPolicyAttachmentSpec> organizations_policy_attachment;
    OrganizationsOrganizationSpec organizations_organization;
    std::vector<ReservedInstanceSpec> reserved_instance;
    std::vector<ReservedDbInstanceSpec> reserved_db_instance;
    std::vector<SavingsPlanSpec> savings_plan;
    SloSpec slo;
    std::vector<ActionSpec> action;
    std::vector<NotModelledKey> not_modelled;  // in the order of the file
};

// The capacity provider strategy an ECS service runs with: its own; without one (and without
// launch_type), its cluster's default_capacity_provider_strategy; else none.
inline std::vector<EcsCapacityProviderStrategySpec> strategy_of(const Spec& spec,
                                                                const EcsServiceSpec& s) {
    if (!s.capacity_provider_strategy.empty() || s.pos.count("launch_type"))
        return s.capacity_provider_strategy;
    for (const auto& c : spec.ecs_cluster_capacity_providers)
        if (c.cluster_name == s.cluster) return c.default_capacity_provider_strategy;
    return {};
}

// Whether the service's tasks run on container instances (EC2): launch_type EC2 without a
// strategy, or a strategy of Auto Scaling group capacity providers.
inline bool runs_on_ec2(const Spec& spec, const EcsServiceSpec& s) {
    const auto strategy = strategy_of(spec, s);
    if (strategy.empty()) return s.launch_type == EcsLaunchType::EC2;
    return !strategy.front().auto_scaling_group_provider.empty();
}

// The listener a workload's clients connect to, as its position among its load balancer's
// listeners (the scenario's order): the first on its listener_port, else 0 (the first
// listener, which takes the workloads that name no port).
inline std::size_t listener_of(const Spec& spec, const WorkloadSpec& w) {
    std::size_t position = 0;
    for (const auto& l : spec.lb_listener) {
        if (l.load_balancer != w.load_balancer) continue;
        if (l.port == w.listener_port) return position;
        ++position;
    }
    return 0;
}

// That listener's port: listener_port, or the first listener's (0 without a listener).
inline int listener_port_of(const Spec& spec, const WorkloadSpec& w) {
    if (w.listener_port != 0) return w.listener_port;
    for (const auto& l : spec.lb_listener)
        if (l.load_balancer == w.load_balancer) return l.port;
    return 0;
}

}  // namespace stratus::scenario
