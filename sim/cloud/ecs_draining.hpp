#pragma once
// Container instance draining (docs/model.md, "Container instance draining"), as the ECS
// Developer Guide ("Draining Amazon ECS container instances") and the API reference
// (UpdateContainerInstancesState) describe it:
//  - An instance set to DRAINING takes no new task. Its service tasks that are not RUNNING yet
//    stop at once; its RUNNING service tasks are replaced within each service's
//    deploymentConfiguration (ecs_replacement.hpp): with minimumHealthyPercent 100 % a task
//    stops only once a replacement is healthy, with 50 % half of them stop before their
//    replacements start; maximumPercent bounds the replacements started first. A stopped
//    task leaves its target group after the deregistration delay, as any stopped task.
//  - DAEMON services' tasks stay until the instance goes (ECS stops them last).
//  - It gets there by an [[action]] (ecs_cluster.<name>.drain_container_instance = "i-0003",
//    UpdateContainerInstancesState), or by managed draining: a capacity provider with
//    managed_draining ENABLED (AWS's default when one is created, and the model's:
//    kManagedDrainingDefault) holds an instance its Auto Scaling group terminates (its
//    lifecycle hook, Terminating:Wait), sets it DRAINING, and lets the group terminate it
//    once no task other than a daemon task is left on it.
// Each change is an `ecs_container_instance_state_change` event.
#include "sim/cloud/ecs_capacity.hpp"

namespace stratus::cloud {

// "ACTIVE" or "DRAINING", as DescribeContainerInstances reports its status.
const char* container_instance_status(const ContainerInstance& ci);

}  // namespace stratus::cloud
