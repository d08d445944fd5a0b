#include "sim/cloud/events.hpp"

#include <type_traits>

namespace stratus::cloud {
namespace {

// Each kind names the alternative of EventData at its position.
template <EventKind K, class E>
constexpr bool at =
    std::is_same_v<std::variant_alternative_t<static_cast<std::size_t>(K), EventData>, E>;

static_assert(at<EventKind::RunStarted, event::RunStarted>);
static_assert(at<EventKind::RunEnded, event::RunEnded>);
static_assert(at<EventKind::NetworkFlowClosed, event::NetworkFlowClosed>);
static_assert(at<EventKind::AlarmStateChanged, event::AlarmStateChanged>);
static_assert(at<EventKind::ScheduledAction, event::ScheduledAction>);
static_assert(at<EventKind::SettingChanged, event::SettingChanged>);
static_assert(at<EventKind::CommandIgnored, event::CommandIgnored>);
static_assert(at<EventKind::AzOutageStarted, event::AzOutageStarted>);
static_assert(at<EventKind::AzOutageEnded, event::AzOutageEnded>);
static_assert(at<EventKind::InstanceFailure, event::InstanceFailure>);
static_assert(at<EventKind::DbFailoverInjected, event::DbFailoverInjected>);
static_assert(at<EventKind::LatencyStarted, event::LatencyStarted>);
static_assert(at<EventKind::LatencyEnded, event::LatencyEnded>);
static_assert(at<EventKind::DesiredCapacityChanged, event::DesiredCapacityChanged>);
static_assert(at<EventKind::LaunchTemplateChanged, event::LaunchTemplateChanged>);
static_assert(at<EventKind::LaunchFailed, event::LaunchFailed>);
static_assert(at<EventKind::AutoScalingActivity, event::AutoScalingActivity>);
static_assert(at<EventKind::InstanceInService, event::InstanceInService>);
static_assert(at<EventKind::ApplicationStarted, event::ApplicationStarted>);
static_assert(at<EventKind::InstanceUnhealthy, event::InstanceUnhealthy>);
static_assert(at<EventKind::InstanceTerminated, event::InstanceTerminated>);
static_assert(at<EventKind::ScaleInBlocked, event::ScaleInBlocked>);
static_assert(at<EventKind::SpotRebalanceRecommendation, event::SpotRebalanceRecommendation>);
static_assert(at<EventKind::SpotInterruptionNotice, event::SpotInterruptionNotice>);
static_assert(at<EventKind::SpotInterruption, event::SpotInterruption>);
static_assert(at<EventKind::TargetRegistered, event::TargetRegistered>);
static_assert(at<EventKind::TargetHealthChanged, event::TargetHealthChanged>);
static_assert(at<EventKind::DbFailoverStarted, event::DbFailoverStarted>);
static_assert(at<EventKind::DbUnavailable, event::DbUnavailable>);
static_assert(at<EventKind::DbAvailable, event::DbAvailable>);
static_assert(at<EventKind::DbFailoverCompleted, event::DbFailoverCompleted>);
static_assert(at<EventKind::FluidLimit, event::FluidLimit>);
static_assert(at<EventKind::AutoScalingActivityFailed, event::AutoScalingActivityFailed>);
static_assert(at<EventKind::EcsTaskStateChange, event::EcsTaskStateChange>);
static_assert(at<EventKind::AwsCallDenied, event::AwsCallDenied>);
static_assert(at<EventKind::S3RequestDenied, event::S3RequestDenied>);
static_assert(at<EventKind::EcsDeploymentStateChange, event::EcsDeploymentStateChange>);
static_assert(at<EventKind::EcsDeploymentStep, event::EcsDeploymentStep>);
static_assert(at<EventKind::EcsServiceDesiredCountChanged, event::EcsServiceDesiredCountChanged>);
static_assert(at<EventKind::EcsSpotInterruptionWarning, event::EcsSpotInterruptionWarning>);
static_assert(at<EventKind::AppScheduledAction, event::AppScheduledAction>);
static_assert(at<EventKind::EcsServiceEvent, event::EcsServiceEvent>);
static_assert(
    at<EventKind::EcsContainerInstanceStateChange, event::EcsContainerInstanceStateChange>);
static_assert(at<EventKind::EcsContainerHealthChanged, event::EcsContainerHealthChanged>);

}  // namespace

// A case per event type, two lines each: long by nature (one switch keeps the names in one
// place).
const char* to_string(EventKind kind) {
    switch (kind) {
        case EventKind::RunStarted:
            return "run_started";
        case EventKind::RunEnded:
            return "run_ended";
        case EventKind::NetworkFlowClosed:
            return "network_flow_closed";
        case EventKind::AlarmStateChanged:
            return "alarm_state_changed";
        case EventKind::ScheduledAction:
            return "scheduled_action";
        case EventKind::SettingChanged:
            return "setting_changed";
        case EventKind::CommandIgnored:
            return "command_ignored";
        case EventKind::AzOutageStarted:
            return "az_outage_started";
        case EventKind::AzOutageEnded:
            return "az_outage_ended";
        case EventKind::InstanceFailure:
            return "instance_failure";
        case EventKind::DbFailoverInjected:
            return "db_failover_injected";
        case EventKind::LatencyStarted:
            return "latency_started";
        case EventKind::LatencyEnded:
            return "latency_ended";
        case EventKind::DesiredCapacityChanged:
            return "desired_capacity_changed";
        case EventKind::LaunchTemplateChanged:
            return "launch_template_changed";
        case EventKind::LaunchFailed:
            return "launch_failed";
        case EventKind::AutoScalingActivity:
            return "autoscaling_activity";
        case EventKind::InstanceInService:
            return "instance_in_service";
        case EventKind::ApplicationStarted:
            return "application_started";
        case EventKind::InstanceUnhealthy:
            return "instance_unhealthy";
        case EventKind::InstanceTerminated:
            return "instance_terminated";
        case EventKind::ScaleInBlocked:
            return "scale_in_blocked";
        case EventKind::SpotRebalanceRecommendation:
            return "spot_rebalance_recommendation";
        case EventKind::SpotInterruptionNotice:
            return "spot_interruption_notice";
        case EventKind::SpotInterruption:
            return "spot_interruption";
        case EventKind::TargetRegistered:
            return "target_registered";
        case EventKind::TargetHealthChanged:
            return "target_health_changed";
        case EventKind::DbFailoverStarted:
            return "db_failover_started";
        case EventKind::DbUnavailable:
            return "db_unavailable";
        case EventKind::DbAvailable:
            return "db_available";
        case EventKind::DbFailoverCompleted:
            return "db_failover_completed";
        case EventKind::FluidLimit:
            return "fluid_limit";
        case EventKind::AutoScalingActivityFailed:
            return "autoscaling_activity_failed";
        case EventKind::EcsTaskStateChange:
            return "ecs_task_state_change";
        case EventKind::AwsCallDenied:
            return "aws_call_denied";
        case EventKind::S3RequestDenied:
            return "s3_request_denied";
        case EventKind::EcsDeploymentStateChange:
            return "ecs_deployment_state_change";
        case EventKind::EcsDeploymentStep:
            return "ecs_deployment_step";
        case EventKind::EcsServiceDesiredCountChanged:
            return "ecs_service_desired_count_changed";
        case EventKind::EcsSpotInterruptionWarning:
            return "ecs_spot_interruption_warning";
        case EventKind::AppScheduledAction:
            return "appautoscaling_scheduled_action";
        case EventKind::EcsServiceEvent:
            return "ecs_service_event";
        case EventKind::EcsContainerInstanceStateChange:
            return "ecs_container_instance_state_change";
        case EventKind::EcsContainerHealthChanged:
            return "ecs_container_health_changed";
    }
    return "?";
}

}  // namespace stratus::cloud
