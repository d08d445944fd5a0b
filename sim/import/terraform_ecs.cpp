// ECS task definitions: aws_ecs_task_definition -> [[ecs_task_definition]] with its size, launch
// types, network mode, containers (the JSON text Terraform holds) and task role (the imported
// [[iam_role]] its application acts as: docs/iam.md, "IAM in a run"). Clusters and services
// are not imported (docs/terraform.md).
#include <fmt/format.h>

#include "sim/import/importer.hpp"

namespace stratus::tfimport::detail {
namespace {

const std::vector<std::string> kTaskDefinition{"aws_ecs_task_definition"};
const std::vector<std::string> kRole{"aws_iam_role"};

// The containers as ECS needs them: a non-empty JSON array of objects, each with a name and
// an image (the scenario's loader refuses anything else).
bool containers_ok(const std::string& text) {
    const Json doc = Json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_array() || doc.empty()) return false;
    for (const Json& c : doc)
        if (str(field(c, "name")).value_or("").empty() ||
            str(field(c, "image")).value_or("").empty())
            return false;
    return true;
}

}  // namespace

// The task role: the imported role its ARN (or name) names; a role not in the file is noted
// and left out (the scenario names roles it defines).
void Importer::task_role(TomlSection& s, const TfInstance& td) {
    // In a plan the ARN is unknown until apply: the configuration's reference finds the role.
    std::vector<std::string> unmatched;
    const TfInstance* role =
        refer_one(td, {"task_role_arn"}, kRole, {"arn", "name", "id"}, &unmatched);
    if (emitted(role)) {
        s.set("task_role_arn", toml_string(name_of(*role)));
        return;
    }
    const auto given = str(td.at({"task_role_arn"}));
    if (!given || given->empty()) return;
    note(td, fmt::format("its task role `{}` is not imported (no aws_iam_role of that ARN in the "
                         "file): its application gets no AWS credentials",
                         unmatched.empty() ? *given : unmatched.front()));
}

void Importer::ecs_task_definitions() {
    for (const TfInstance* td : of_type(kTaskDefinition)) {
        const auto cpu = integer(td->at({"cpu"}));
        const auto memory = integer(td->at({"memory"}));
        if (!cpu || !memory) {
            skip(*td,
                 "no task-level cpu and memory (container-level sizes on EC2 are not "
                 "modelled)");
            continue;
        }
        const auto containers = str(td->at({"container_definitions"}));
        if (!containers || !containers_ok(*containers)) {
            skip(*td,
                 "its container_definitions are unknown or not a JSON array of containers "
                 "with a name and an image");
            continue;
        }
        TomlSection& s = add(Section::EcsTaskDefinition, *td);
        s.set("family", toml_string(name_of(*td)));
        s.set("cpu", toml_int(*cpu));
        s.set("memory", toml_int(*memory));
        std::vector<std::string> launch_types;
        const Json& compat = td->at({"requires_compatibilities"});
        for (std::size_t i = 0; compat.is_array() && i < compat.size(); ++i)
            if (auto t = str(compat[i]); t && (*t == "FARGATE" || *t == "EC2" || *t == "EXTERNAL"))
                launch_types.push_back(*t);
        if (!launch_types.empty()) s.set("requires_compatibilities", toml_strings(launch_types));
        if (auto mode = str(td->at({"network_mode"}));
            mode && (*mode == "awsvpc" || *mode == "bridge" || *mode == "host" || *mode == "none"))
            s.set("network_mode", toml_string(*mode));
        s.set("container_definitions", toml_string(*containers));
        task_role(s, *td);
        set_tags(s, *td);
        unmodelled(*td, {"execution_role_arn", "volume", "placement_constraints",
                         "proxy_configuration", "ephemeral_storage", "runtime_platform",
                         "inference_accelerator", "ipc_mode", "pid_mode"});
    }
}

}  // namespace stratus::tfimport::detail
