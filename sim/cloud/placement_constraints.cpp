#include "sim/cloud/placement_constraints.hpp"

#include <cctype>

namespace stratus::cloud {

PlacementConstraints PlacementConstraints::of(
    const scenario::EcsServiceSpec& service,
    const scenario::EcsTaskDefinitionSpec& task_definition) {
    PlacementConstraints out;
    for (const auto* list :
         {&service.placement_constraints, &task_definition.placement_constraints})
        for (const auto& c : *list) {
            if (c.type == scenario::PlacementConstraintType::DistinctInstance)
                out.distinct_instance = true;
            else
                out.member_of.push_back(scenario::ClusterQuery::parse(c.expression));
        }
    return out;
}

bool PlacementConstraints::member(const scenario::ContainerInstanceFacts& facts) const {
    for (const auto& q : member_of)
        if (!q.matches(facts)) return false;
    return true;
}

std::string_view cpu_architecture_of(std::string_view instance_type) {
    const std::string_view family = instance_type.substr(0, instance_type.find('.'));
    std::size_t i = 0;
    while (i < family.size() && !std::isdigit(static_cast<unsigned char>(family[i])))
        ++i;
    while (i < family.size() && std::isdigit(static_cast<unsigned char>(family[i])))
        ++i;
    return i > 0 && family.find('g', i) != std::string_view::npos ? "arm64" : "x86_64";
}

}  // namespace stratus::cloud
