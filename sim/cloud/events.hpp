#pragma once
// The notable events of a run (launches, health transitions, alarms, faults, changes), as
// typed records: one struct per kind, with the fields AWS's APIs and consoles name. The model
// emits them through its RunObserver (run_observer.hpp); the Recorder keeps them; events.jsonl
// is rendered from them in sim/report/outputs.cpp and the viewer reads them as they are.
//
// Each struct lists its fields once, in fields(f): f(name, value) for each, in the order
// events.jsonl writes them. Values are strings, integers, doubles, booleans, an optional string
// (written null when empty) or a scenario::SettingValue; a field that does not apply is not
// listed. Renderers visit them (report::event_line, view::event_text).
//
// [SECTION] the run   [SECTION] CloudWatch and changes   [SECTION] faults
// [SECTION] Auto Scaling   [SECTION] Elastic Load Balancing   [SECTION] RDS   [SECTION] ECS
// [SECTION] IAM   [SECTION] the fluid mode   [SECTION] the record
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "sim/cloud/cloudwatch.hpp"
#include "sim/cloud/target_health.hpp"
#include "sim/core/sim_time.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud::event {

// ---------------------------------------------------------------------------------------------
// [SECTION] the run

struct RunStarted {
    std::string scenario;
    std::uint64_t seed = 0;
    std::string region;
    template <class F>
    void fields(F&& f) const {
        f("scenario", scenario);
        f("seed", seed);
        f("region", region);
    }
};

struct RunEnded {
    std::string scenario;
    template <class F>
    void fields(F&& f) const {
        f("scenario", scenario);
    }
};

// A flow the networking model found closed at the start (no security group or route allows
// it): its requests time out or fail.
struct NetworkFlowClosed {
    const char* flow = "";  // network.hpp's Flow::Kind, as to_string names it
    std::string from, to;
    int port = 0;
    std::string why;
    const char* effect = "";  // what the clients see (closed_flow_effect)
    template <class F>
    void fields(F&& f) const {
        f("flow", flow);
        f("from", from);
        f("to", to);
        f("port", port);
        f("why", why);
        f("effect", effect);
    }
};

// ---------------------------------------------------------------------------------------------
// [SECTION] CloudWatch and changes

struct AlarmStateChanged {
    std::string alarm;
    AlarmState from = AlarmState::INSUFFICIENT_DATA;
    AlarmState to = AlarmState::INSUFFICIENT_DATA;
    std::string reason;  // CloudWatch's StateReason
    template <class F>
    void fields(F&& f) const {
        f("alarm", alarm);
        f("from", to_string(from));
        f("to", to_string(to));
        f("reason", reason);
    }
};

// A scheduled action (PutScheduledUpdateGroupAction) ran.
struct ScheduledAction {
    std::string autoscaling_group, scheduled_action_name, recurrence;
    std::string set;  // "min 2 max 8 desired 4": what it sets
    template <class F>
    void fields(F&& f) const {
        f("autoscaling_group", autoscaling_group);
        f("scheduled_action_name", scheduled_action_name);
        f("recurrence", recurrence);
        f("set", set);
    }
};

// An [[action]] path, a --set path or a viewer command took effect.
struct SettingChanged {
    std::string path;
    scenario::SettingValue value;
    std::string cause;
    template <class F>
    void fields(F&& f) const {
        f("path", path);
        f("value", value);
        f("cause", cause);
    }
};

// A viewer command that found nothing to act on.
struct CommandIgnored {
    std::string path, why;
    template <class F>
    void fields(F&& f) const {
        f("path", path);
        f("why", why);
    }
};

// ---------------------------------------------------------------------------------------------
// [SECTION] faults

struct AzOutageStarted {
    std::string availability_zone, fault;
    template <class F>
    void fields(F&& f) const {
        f("availability_zone", availability_zone);
        f("fault", fault);
    }
};

struct AzOutageEnded {
    std::string availability_zone, fault;
    template <class F>
    void fields(F&& f) const {
        f("availability_zone", availability_zone);
        f("fault", fault);
    }
};

struct InstanceFailure {
    std::string instance, autoscaling_group, fault;
    template <class F>
    void fields(F&& f) const {
        f("instance", instance);
        f("autoscaling_group", autoscaling_group);
        f("fault", fault);
    }
};

struct DbFailoverInjected {
    std::string db_instance, fault;
    template <class F>
    void fields(F&& f) const {
        f("db_instance", db_instance);
        f("fault", fault);
    }
};

struct LatencyStarted {
    std::string target;  // the AZ or the Auto Scaling group
    double extra_ms = 0;
    std::string fault;
    template <class F>
    void fields(F&& f) const {
        f("target", target);
        f("extra_ms", extra_ms);
        f("fault", fault);
    }
};

struct LatencyEnded {
    std::string target, fault;
    template <class F>
    void fields(F&& f) const {
        f("target", target);
        f("fault", fault);
    }
};

// ---------------------------------------------------------------------------------------------
// [SECTION] Auto Scaling

struct DesiredCapacityChanged {
    std::string autoscaling_group;
    int from = 0, to = 0;
    std::string cause;
    template <class F>
    void fields(F&& f) const {
        f("autoscaling_group", autoscaling_group);
        f("from", from);
        f("to", to);
        f("cause", cause);
    }
};

struct LaunchTemplateChanged {
    std::string autoscaling_group, launch_template;
    int version = 0;
    std::string instance_type;
    template <class F>
    void fields(F&& f) const {
        f("autoscaling_group", autoscaling_group);
        f("launch_template", launch_template);
        f("version", version);
        f("instance_type", instance_type);
    }
};

struct LaunchFailed {
    std::string autoscaling_group, cause;
    template <class F>
    void fields(F&& f) const {
        f("autoscaling_group", autoscaling_group);
        f("cause", cause);
    }
};

// An Auto Scaling activity (DescribeScalingActivities): a launch or a termination.
struct AutoScalingActivity {
    std::string autoscaling_group;
    std::string description;  // "Launching a new EC2 instance: i-0005"
    std::string cause;
    std::string instance, availability_zone;
    // A termination: the termination policy's rule that chose the instance (empty when none
    // did, and for launches).
    std::string termination_rule;
    struct Launch {
        std::string instance_type;
        bool spot = false;  // the market: Spot or On-Demand
        std::string launch_template;
        int launch_template_version = 0;
    };
    std::optional<Launch> launch;  // a launch's details; empty for a termination
    template <class F>
    void fields(F&& f) const {
        f("autoscaling_group", autoscaling_group);
        f("description", description);
        f("cause", cause);
        f("instance", instance);
        f("availability_zone", availability_zone);
        if (!termination_rule.empty()) f("termination_rule", termination_rule);
        if (!launch) return;
        f("instance_type", launch->instance_type);
        f("market", launch->spot ? "spot" : "on-demand");
        f("launch_template", launch->launch_template);
        f("launch_template_version", launch->launch_template_version);
    }
};

// A launch activity that failed because no pool the group may use had room: its status Failed,
// the status message EC2 gives for InsufficientInstanceCapacity, and when the group tries again.
struct AutoScalingActivityFailed {
    std::string autoscaling_group;
    std::string description;  // "Launching a new EC2 instance.  Status Reason: ..."
    std::string cause;
    std::string status_message;                    // EC2's message
    std::string instance_type, availability_zone;  // the launch the group tried first
    bool spot = false;
    int attempt = 0;            // consecutive failed launch attempts, this one included
    double next_attempt_s = 0;  // when the group tries again
    template <class F>
    void fields(F&& f) const {
        f("autoscaling_group", autoscaling_group);
        f("description", description);
        f("cause", cause);
        f("status_code", "Failed");
        f("error_code", "InsufficientInstanceCapacity");
        f("status_message", status_message);
        f("instance_type", instance_type);
        f("availability_zone", availability_zone);
        f("market", spot ? "spot" : "on-demand");
        f("attempt", attempt);
        f("next_attempt_s", next_attempt_s);
    }
};

struct InstanceInService {
    std::string instance, autoscaling_group;
    template <class F>
    void fields(F&& f) const {
        f("instance", instance);
        f("autoscaling_group", autoscaling_group);
    }
};

struct ApplicationStarted {
    std::string instance, autoscaling_group;
    template <class F>
    void fields(F&& f) const {
        f("instance", instance);
        f("autoscaling_group", autoscaling_group);
    }
};

struct InstanceUnhealthy {
    std::string autoscaling_group, instance;
    scenario::HealthCheckType health_check = scenario::HealthCheckType::EC2;
    std::string reason;
    template <class F>
    void fields(F&& f) const {
        f("autoscaling_group", autoscaling_group);
        f("instance", instance);
        f("health_check", health_check == scenario::HealthCheckType::EC2 ? "EC2" : "ELB");
        f("reason", reason);
    }
};

struct InstanceTerminated {
    std::string autoscaling_group, instance;
    template <class F>
    void fields(F&& f) const {
        f("autoscaling_group", autoscaling_group);
        f("instance", instance);
    }
};

// Scale-in found only instances protected from it.
struct ScaleInBlocked {
    std::string autoscaling_group, cause;
    template <class F>
    void fields(F&& f) const {
        f("autoscaling_group", autoscaling_group);
        f("cause", cause);
    }
};

// EC2's rebalance recommendation: a Spot Instance is at elevated risk of interruption.
struct SpotRebalanceRecommendation {
    std::string autoscaling_group, instance;
    // A spot_interruption wave with a lead: when EC2 will interrupt it, whether the group
    // replaces it first (Capacity Rebalancing), and the wave.
    struct Wave {
        double interruption_at_s = 0;
        bool capacity_rebalance = false;
        std::string cause;
    };
    std::optional<Wave> wave;
    template <class F>
    void fields(F&& f) const {
        f("autoscaling_group", autoscaling_group);
        f("instance", instance);
        if (!wave) return;
        f("interruption_at_s", wave->interruption_at_s);
        f("capacity_rebalance", wave->capacity_rebalance);
        f("cause", wave->cause);
    }
};

// EC2's two-minute Spot Instance interruption notice.
struct SpotInterruptionNotice {
    std::string autoscaling_group, instance, instance_type, availability_zone;
    double interruption_at_s = 0;  // when EC2 takes the instance back
    std::string cause;
    template <class F>
    void fields(F&& f) const {
        f("autoscaling_group", autoscaling_group);
        f("instance", instance);
        f("instance_type", instance_type);
        f("availability_zone", availability_zone);
        f("interruption_at_s", interruption_at_s);
        f("cause", cause);
    }
};

struct SpotInterruption {
    std::string autoscaling_group, instance, instance_type, availability_zone;
    template <class F>
    void fields(F&& f) const {
        f("autoscaling_group", autoscaling_group);
        f("instance", instance);
        f("instance_type", instance_type);
        f("availability_zone", availability_zone);
    }
};

// ---------------------------------------------------------------------------------------------
// [SECTION] Elastic Load Balancing

struct TargetRegistered {
    std::string target_group, instance;
    template <class F>
    void fields(F&& f) const {
        f("target_group", target_group);
        f("instance", instance);
        f("state", to_string(TargetHealthState::Initial));
        f("reason", "Elb.RegistrationInProgress");
    }
};

struct TargetHealthChanged {
    std::string target_group, instance;
    TargetHealthState from = TargetHealthState::Initial;
    TargetHealthState to = TargetHealthState::Initial;
    const char* reason = "";  // the TargetHealth reason code ("Target.FailedHealthChecks")
    template <class F>
    void fields(F&& f) const {
        f("target_group", target_group);
        f("instance", instance);
        f("from", to_string(from));
        f("to", to_string(to));
        f("reason", reason);
    }
};

// ---------------------------------------------------------------------------------------------
// [SECTION] RDS

struct DbFailoverStarted {
    std::string db_instance, from_availability_zone, to_availability_zone;
    bool in_place = false;  // a Single-AZ instance recovers in its own AZ
    double expected_duration_s = 0;
    std::string cause;
    template <class F>
    void fields(F&& f) const {
        f("db_instance", db_instance);
        f("from_availability_zone", from_availability_zone);
        f("to_availability_zone", to_availability_zone);
        f("in_place", in_place);
        f("expected_duration_s", expected_duration_s);
        f("cause", cause);
    }
};

struct DbUnavailable {
    std::string db_instance, availability_zone, cause;
    template <class F>
    void fields(F&& f) const {
        f("db_instance", db_instance);
        f("availability_zone", availability_zone);
        f("cause", cause);
    }
};

struct DbAvailable {
    std::string db_instance, availability_zone;
    bool multi_az = false;
    std::optional<std::string> standby_availability_zone;  // Multi-AZ: empty while it has none
    std::string cause;
    template <class F>
    void fields(F&& f) const {
        f("db_instance", db_instance);
        f("availability_zone", availability_zone);
        if (multi_az) f("standby_availability_zone", standby_availability_zone);
        f("cause", cause);
    }
};

struct DbFailoverCompleted {
    std::string db_instance, from_availability_zone, availability_zone;
    bool multi_az = false;
    std::optional<std::string> standby_availability_zone;  // Multi-AZ: empty while it has none
    template <class F>
    void fields(F&& f) const {
        f("db_instance", db_instance);
        f("from_availability_zone", from_availability_zone);
        f("availability_zone", availability_zone);
        if (multi_az) f("standby_availability_zone", standby_availability_zone);
    }
};

// ---------------------------------------------------------------------------------------------
// [SECTION] ECS

// A task's status changed (after EventBridge's "ECS Task State Change"): its lastStatus, the
// desiredStatus the scheduler wants, and once it is stopping the stoppedReason.
// On the EC2 launch type, `container_instance` names the EC2 instance the task was placed on
// (not listed for a Fargate task or one not placed yet).
struct EcsTaskStateChange {
    std::string cluster, service, task, availability_zone;
    const char* last_status = "";
    const char* desired_status = "";
    std::optional<std::string> stopped_reason;
    std::string container_instance;
    std::string stop_code;  // ECS's stopCode; only TaskFailedToStart is reported so far
    template <class F>
    void fields(F&& f) const {
        f("cluster", cluster);
        f("service", service);
        f("task", task);
        f("availability_zone", availability_zone);
        f("last_status", last_status);
        f("desired_status", desired_status);
        f("stopped_reason", stopped_reason);
        if (!container_instance.empty()) f("container_instance", container_instance);
        if (!stop_code.empty()) f("stop_code", stop_code);
    }
};

// A container's health status changed (its healthCheck; ecs_container_health.hpp), with the
// task's healthStatus after it, as DescribeTasks shows both, and why the last check failed
// ("" when it passed).
struct EcsContainerHealthChanged {
    std::string cluster, service, task, container;
    const char* health_status = "";
    const char* task_health_status = "";
    std::string reason;
    template <class F>
    void fields(F&& f) const {
        f("cluster", cluster);
        f("service", service);
        f("task", task);
        f("container", container);
        f("health_status", health_status);
        f("task_health_status", task_health_status);
        f("reason", reason);
    }
};

// A service event as the ECS console's Events tab shows it (DescribeServices' events), such
// as "(service api) was unable to place a task because no container instance met all of its
// requirements."
struct EcsServiceEvent {
    std::string cluster, service, message;
    template <class F>
    void fields(F&& f) const {
        f("cluster", cluster);
        f("service", service);
        f("message", message);
    }
};

// A container instance's status changed (EventBridge's "ECS Container Instance State
// Change"): DRAINING by UpdateContainerInstancesState or by managed draining when its Auto
// Scaling group terminates it; `reason` says which.
struct EcsContainerInstanceStateChange {
    std::string cluster, container_instance, status, reason;
    template <class F>
    void fields(F&& f) const {
        f("cluster", cluster);
        f("container_instance", container_instance);
        f("status", status);
        f("reason", reason);
    }
};

// Fargate Spot's two-minute warning to a FARGATE_SPOT task (EventBridge's task state change
// with stopCode SpotInterruption): ECS stops the task now; its capacity goes at
// `interruption_at` (s). `cause` names the fault that sent it, empty for Spot's own.
struct EcsSpotInterruptionWarning {
    std::string cluster, service, task, availability_zone;
    double interruption_at = 0;
    std::string cause;
    template <class F>
    void fields(F&& f) const {
        f("cluster", cluster);
        f("service", service);
        f("task", task);
        f("availability_zone", availability_zone);
        f("interruption_at", interruption_at);
        f("cause", cause);
    }
};

// A scheduled action of Application Auto Scaling ran (aws_appautoscaling_scheduled_action):
// the bounds it set on its scalable target ("min_capacity 3 max_capacity 8").
struct AppScheduledAction {
    std::string resource_id, scheduled_action_name, schedule, set;
    template <class F>
    void fields(F&& f) const {
        f("resource_id", resource_id);
        f("scheduled_action_name", scheduled_action_name);
        f("schedule", schedule);
        f("set", set);
    }
};

// A deployment of a service changed state (after EventBridge's "ECS Deployment State
// Change"): eventName SERVICE_DEPLOYMENT_IN_PROGRESS, _COMPLETED or _FAILED, the deployment's
// id and task definition, and why.
struct EcsDeploymentStateChange {
    std::string cluster, service, deployment_id, task_definition;
    const char* event_name = "";
    std::string reason;
    template <class F>
    void fields(F&& f) const {
        f("cluster", cluster);
        f("service", service);
        f("deployment_id", deployment_id);
        f("task_definition", task_definition);
        f("event_name", event_name);
        f("reason", reason);
    }
};

// One step of a rolling update: the scheduler started and began stopping tasks within the
// bounds (minimum healthy and maximum tasks, from the percents and desired_count), leaving
// `tasks` RUNNING or PENDING of which `healthy` healthy, `new_tasks` of the deployment.
struct EcsDeploymentStep {
    std::string cluster, service, deployment_id;
    int started = 0, stopped = 0;
    int minimum_healthy = 0, maximum = 0;
    int tasks = 0, healthy = 0, new_tasks = 0;
    template <class F>
    void fields(F&& f) const {
        f("cluster", cluster);
        f("service", service);
        f("deployment_id", deployment_id);
        f("started", started);
        f("stopped", stopped);
        f("minimum_healthy", minimum_healthy);
        f("maximum", maximum);
        f("tasks", tasks);
        f("healthy", healthy);
        f("new_tasks", new_tasks);
    }
};

// Application Auto Scaling changed a service's desired count (its scaling activity:
// "Setting desired count to N."), with the alarm and policy that caused it.
struct EcsServiceDesiredCountChanged {
    std::string cluster, service;
    int from = 0, to = 0;
    std::string cause;
    template <class F>
    void fields(F&& f) const {
        f("cluster", cluster);
        f("service", service);
        f("from", from);
        f("to", to);
        f("cause", cause);
    }
};

// ---------------------------------------------------------------------------------------------
// [SECTION] IAM

// An AWS call of a workload's application denied (aws_calls.hpp): logged once per workload,
// call and principal, when the first request that makes it reaches the application; that
// request and the others that make it fail with 500.
struct AwsCallDenied {
    std::string workload;
    std::string principal;  // "instance-profile/NAME", "role/NAME" (a task role) or "none"
    std::string role_arn;   // the role whose session made the call; "" without one
    std::string action, resource;
    const char* decision = "";  // "explicit deny", "implicit deny", "no credentials"
    std::string statement;      // the statements that denied it, or why nothing allowed it
    std::string instance;       // the instance or task that made the first call
    int http_status = 500;      // what the application answered
    template <class F>
    void fields(F&& f) const {
        f("workload", workload);
        f("principal", principal);
        f("role_arn", role_arn);
        f("action", action);
        f("resource", resource);
        f("decision", decision);
        f("statement", statement);
        f("instance", instance);
        f("http_status", http_status);
    }
};

// A bucket's requests of one kind denied with 403 (get_requests_from, put_requests_from,
// presigned_by, presigned_put_by; aws_calls.hpp): logged once per bucket and kind, at the
// first moment they are denied (the run's start, or the moment a presigned URL expires or
// its age is refused); the requests after it are counted in denied_403.
struct S3RequestDenied {
    std::string bucket;
    std::string request;    // "GetObject", "PutObject", "ListBucket"
    std::string requester;  // "anonymous", "user/NAME", ...; a presigned URL's signer
    bool presigned = false;
    std::string resource;   // the ARN decided
    std::string decision;   // "explicit deny", "implicit deny", "expired"
    std::string statement;  // the statements that denied it, why nothing allowed it, or the expiry
    int http_status = 403;  // AccessDenied
    template <class F>
    void fields(F&& f) const {
        f("bucket", bucket);
        f("request", request);
        f("requester", requester);
        f("presigned", presigned);
        f("resource", resource);
        f("decision", decision);
        f("statement", statement);
        f("http_status", http_status);
    }
};

// ---------------------------------------------------------------------------------------------
// [SECTION] the fluid mode

// Where the fluid mode cannot follow request mode (docs/fluid.md): the step and the reason.
struct FluidLimit {
    std::uint64_t step = 0;
    std::string reason;
    template <class F>
    void fields(F&& f) const {
        f("step", step);
        f("reason", reason);
    }
};

}  // namespace stratus::cloud::event

namespace stratus::cloud {

// ---------------------------------------------------------------------------------------------
// [SECTION] the record

// The kinds, in the order of EventData's alternatives.
enum class EventKind : std::uint8_t {
    RunStarted,
    RunEnded,
    NetworkFlowClosed,
    AlarmStateChanged,
    ScheduledAction,
    SettingChanged,
    CommandIgnored,
    AzOutageStarted,
    AzOutageEnded,
    InstanceFailure,
    DbFailoverInjected,
    LatencyStarted,
    LatencyEnded,
    DesiredCapacityChanged,
    LaunchTemplateChanged,
    LaunchFailed,
    AutoScalingActivity,
    InstanceInService,
    ApplicationStarted,
    InstanceUnhealthy,
    InstanceTerminated,
    ScaleInBlocked,
    SpotRebalanceRecommendation,
    SpotInterruptionNotice,
    SpotInterruption,
    TargetRegistered,
    TargetHealthChanged,
    DbFailoverStarted,
    DbUnavailable,
    DbAvailable,
    DbFailoverCompleted,
    FluidLimit,
    AutoScalingActivityFailed,
    EcsTaskStateChange,
    AwsCallDenied,
    S3RequestDenied,
    EcsDeploymentStateChange,
    EcsDeploymentStep,
    EcsServiceDesiredCountChanged,
    EcsSpotInterruptionWarning,
    AppScheduledAction,
    EcsServiceEvent,
    EcsContainerInstanceStateChange,
    EcsContainerHealthChanged,
};
// The `type` of events.jsonl: "autoscaling_activity", "target_health_changed", ...
const char* to_string(EventKind kind);

using EventData = std::variant<
    event::RunStarted, event::RunEnded, event::NetworkFlowClosed, event::AlarmStateChanged,
    event::ScheduledAction, event::SettingChanged, event::CommandIgnored, event::AzOutageStarted,
    event::AzOutageEnded, event::InstanceFailure, event::DbFailoverInjected, event::LatencyStarted,
    event::LatencyEnded, event::DesiredCapacityChanged, event::LaunchTemplateChanged,
    event::LaunchFailed, event::AutoScalingActivity, event::InstanceInService,
    event::ApplicationStarted, event::InstanceUnhealthy, event::InstanceTerminated,
    event::ScaleInBlocked, event::SpotRebalanceRecommendation, event::SpotInterruptionNotice,
    event::SpotInterruption, event::TargetRegistered, event::TargetHealthChanged,
    event::DbFailoverStarted, event::DbUnavailable, event::DbAvailable, event::DbFailoverCompleted,
    event::FluidLimit, event::AutoScalingActivityFailed, event::EcsTaskStateChange,
    event::AwsCallDenied, event::S3RequestDenied, event::EcsDeploymentStateChange,
    event::EcsDeploymentStep, event::EcsServiceDesiredCountChanged,
    event::EcsSpotInterruptionWarning, event::AppScheduledAction, event::EcsServiceEvent,
    event::EcsContainerInstanceStateChange, event::EcsContainerHealthChanged>;
static_assert(std::variant_size_v<EventData> ==
                  static_cast<std::size_t>(EventKind::EcsContainerHealthChanged) + 1,
              "EventKind lists EventData's alternatives in order");

struct EventRecord {
    SimTime t = 0;
    EventData data;

    EventKind kind() const { return static_cast<EventKind>(data.index()); }
    // The event as its struct, or null when it is of another kind.
    template <class E>
    const E* as() const {
        return std::get_if<E>(&data);
    }
};

}  // namespace stratus::cloud
