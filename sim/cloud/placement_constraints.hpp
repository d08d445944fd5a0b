#pragma once
// A task's placement constraints (docs/model.md, "Placement constraints"): its service's
// placement_constraints with its task definition's, parsed once per deployment. ECS applies
// them after the resources: an instance with room for the task takes it only when every
// memberOf expression selects it and, with distinctInstance, it runs no other active task of
// the service (ECS looks at the tasks' desired status: a task being stopped no longer counts).
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/cluster_query.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

struct PlacementConstraints {
    bool distinct_instance = false;
    std::vector<scenario::ClusterQuery> member_of;

    // The service's and the task definition's (validated: their expressions parse).
    static PlacementConstraints of(const scenario::EcsServiceSpec& service,
                                   const scenario::EcsTaskDefinitionSpec& task_definition);
    bool empty() const { return !distinct_instance && member_of.empty(); }
    // Every memberOf expression selects the instance.
    bool member(const scenario::ContainerInstanceFacts& facts) const;
};

// attribute:ecs.cpu-architecture of an instance type: arm64 for the Graviton families (a g
// after the generation digit: t4g, m6gd, c7gn, x2gd), else x86_64.
std::string_view cpu_architecture_of(std::string_view instance_type);

}  // namespace stratus::cloud
