// ECS: aws_ecs_cluster -> [[ecs_cluster]]; aws_ecs_capacity_provider (an Auto Scaling group
// provider) -> [[ecs_capacity_provider]]; aws_ecs_cluster_capacity_providers ->
// [[ecs_cluster_capacity_providers]]; aws_ecs_task_definition -> [[ecs_task_definition]]
// with its size, launch types, network mode, containers (the JSON text Terraform holds) and
// task role (the imported [[iam_role]] its application acts as: docs/iam.md, "IAM in a run");
// aws_ecs_service -> [[ecs_service]]; Service Auto Scaling: aws_appautoscaling_target,
// aws_appautoscaling_policy and aws_appautoscaling_scheduled_action -> their sections
// (docs/terraform.md).
#include <algorithm>

#include <fmt/format.h>

#include "sim/import/importer.hpp"
#include "sim/scenario/cluster_query.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/settings.hpp"

namespace stratus::tfimport::detail {
namespace {

const std::vector<std::string> kTaskDefinition{"aws_ecs_task_definition"};
const std::vector<std::string> kClusterProviders{"aws_ecs_cluster_capacity_providers"};
const std::vector<std::string> kTarget{"aws_appautoscaling_target"};
const std::vector<std::string> kAppPolicy{"aws_appautoscaling_policy"};
const std::vector<std::string> kAppScheduledAction{"aws_appautoscaling_scheduled_action"};

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

// "arn:aws:ecs:REGION:ACCOUNT:cluster/NAME" or "NAME" -> NAME; a task definition's
// ".../FAMILY:3" or "FAMILY:3" -> FAMILY.
std::string last_name(const std::string& text, bool drop_revision) {
    std::string out = text.substr(text.rfind('/') == std::string::npos ? 0 : text.rfind('/') + 1);
    const auto colon = out.rfind(':');
    if (drop_revision && colon != std::string::npos && colon + 1 < out.size() &&
        out.find_first_not_of("0123456789", colon + 1) == std::string::npos)
        out = out.substr(0, colon);
    return out;
}

bool listed(const std::vector<std::string>& list, const std::string& s) {
    return std::find(list.begin(), list.end(), s) != list.end();
}

// The choices the scenario grammar gives a key, declared once in settings.cpp.
const std::vector<std::string>& grammar_choices(const char* section, const char* key) {
    static const std::vector<std::string> kNone;
    const scenario::KeyDef* k = scenario::find_key(section, key);
    return k ? k->choices : kNone;
}

// The attributes of `inst` that differ from the value AWS gives them when they are not set
// (a state holds those defaults).
std::vector<std::string> set_apart_from_defaults(
    const TfInstance& inst, const std::vector<std::pair<const char*, const char*>>& defaults) {
    std::vector<std::string> out;
    for (const auto& [key, def] : defaults) {
        const Json& v = inst.at({key});
        if (v.is_null() || v == "" || v == false || (v.is_array() && v.empty())) continue;
        if (v.is_string() && v.get<std::string>() == def) continue;
        if (v.is_array() && v.size() == 1 && v[0].is_object() &&
            str(field(v[0], "type")).value_or("") == def)
            continue;
        out.push_back(key);
    }
    return out;
}

}  // namespace

// The task role: the imported role its ARN (or name) names; a role not in the file is noted
// and left out (the scenario names roles it defines).
// runtime_platform and ephemeral_storage (each a block of one): the architecture and operating
// system Fargate bills by, and the ephemeral storage it bills above the free 20 GiB.
void Importer::task_platform(TomlSection& s, const TfInstance& td) {
    std::vector<std::pair<std::string, TomlValue>> platform;
    for (const char* k : {"cpu_architecture", "operating_system_family"})
        if (auto v = str(td.at({"runtime_platform", std::size_t{0}, k})); v && !v->empty())
            platform.emplace_back(k, toml_string(*v));
    if (!platform.empty()) s.set("runtime_platform", toml_inline(platform));
    if (auto gib = integer(td.at({"ephemeral_storage", std::size_t{0}, "size_in_gib"})))
        s.set("ephemeral_storage", toml_inline({{"size_in_gib", toml_int(*gib)}}));
}

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

void Importer::ecs() {
    ecs_clusters();
    ecs_capacity_providers();
    ecs_cluster_capacity_providers();
    ecs_task_definitions();
    ecs_services();
    app_targets();
    app_policies();
    app_scheduled_actions();
}

void Importer::ecs_clusters() {
    for (const TfInstance* c : of_type(kEcsCluster)) {
        TomlSection& s = add(Section::EcsCluster, *c);
        s.set("name", toml_string(name_of(*c)));
        set_tags(s, *c);
        unmodelled(*c, {"configuration", "service_connect_defaults"});
        std::vector<TomlValue> settings;
        for (const auto& setting : c->at({"setting"})) {
            const auto name = str(field(setting, "name"));
            const auto value = str(field(setting, "value"));
            if (name && value && *name == "containerInsights")
                settings.push_back(
                    toml_inline({{"name", toml_string(*name)}, {"value", toml_string(*value)}}));
        }
        if (!settings.empty()) s.set("setting", toml_array(settings));
    }
}

// An Auto Scaling group capacity provider: its group (an imported aws_autoscaling_group, by
// ARN or name), managed termination protection and managed scaling as the state holds them
// (ECS's defaults otherwise: DISABLED, and target 100 %, steps 1 to 10,000, warm-up 300 s).
void Importer::ecs_capacity_providers() {
    for (const TfInstance* cp : of_type(kEcsCapacityProvider)) {
        if (!is_empty(cp->at({"managed_instances_provider"}))) {
            skip(*cp, "an ECS Managed Instances capacity provider is not modelled");
            continue;
        }
        std::vector<std::string> lost;
        const TfInstance* group =
            refer_one(*cp, {"auto_scaling_group_provider", 0, "auto_scaling_group_arn"}, kAsg,
                      {"arn", "name", "id"}, &lost);
        if (!emitted(group)) {
            skip(*cp, fmt::format("its Auto Scaling group {} is not imported",
                                  lost.empty() ? "(unknown until apply)" : "`" + lost[0] + "`"));
            continue;
        }
        TomlSection& s = add(Section::EcsCapacityProvider, *cp);
        s.set("name", toml_string(name_of(*cp)));
        std::vector<std::pair<std::string, TomlValue>> asg{
            {"auto_scaling_group_arn", toml_string(name_of(*group))}};
        if (auto m =
                str(cp->at({"auto_scaling_group_provider", 0, "managed_termination_protection"}));
            m && (*m == "ENABLED" || *m == "DISABLED"))
            asg.emplace_back("managed_termination_protection", toml_string(*m));
        if (auto d = str(cp->at({"auto_scaling_group_provider", 0, "managed_draining"}));
            d && (*d == "ENABLED" || *d == "DISABLED"))
            asg.emplace_back("managed_draining", toml_string(*d));
        ecs_capacity_provider_scaling(asg, *cp);
        s.set("auto_scaling_group_provider", toml_inline(asg));
        set_tags(s, *cp);
    }
}

void Importer::ecs_capacity_provider_scaling(std::vector<std::pair<std::string, TomlValue>>& asg,
                                             const TfInstance& cp) {
    const Json& ms = first_block(cp.at({"auto_scaling_group_provider", 0, "managed_scaling"}));
    if (!ms.is_object()) return;
    std::vector<std::pair<std::string, TomlValue>> out;
    if (auto st = str(field(ms, "status")); st && (*st == "ENABLED" || *st == "DISABLED"))
        out.emplace_back("status", toml_string(*st));
    for (const char* key :
         {"target_capacity", "minimum_scaling_step_size", "maximum_scaling_step_size"})
        if (auto v = integer(field(ms, key)); v && *v > 0) out.emplace_back(key, toml_int(*v));
    // The provider sends instance_warmup_period as written, 0 included (ECS's range is 0 to
    // 10000; omitted, ECS takes 300): a 0 is no warm-up, not the default.
    if (auto v = integer(field(ms, "instance_warmup_period")); v && *v >= 0)
        out.emplace_back("instance_warmup_period", toml_int(*v));
    if (!out.empty()) asg.emplace_back("managed_scaling", toml_inline(out));
}

std::string Importer::ecs_provider_name(const TfInstance& from, const Path& path) {
    const std::string literal = str(from.at(path)).value_or("");
    if (literal == "FARGATE" || literal == "FARGATE_SPOT") return literal;
    const TfInstance* cp = refer_one(from, path, kEcsCapacityProvider, {"name", "arn", "id"});
    return emitted(cp) ? name_of(*cp) : std::string();
}

// A cluster's capacity providers and default strategy, for a cluster that is imported: the
// providers not imported are left out, with a note (a strategy naming one is left out whole:
// its split would change).
void Importer::ecs_cluster_capacity_providers() {
    for (const TfInstance* cp : of_type(kClusterProviders)) {
        const TfInstance* cluster =
            refer_one(*cp, {"cluster_name"}, kEcsCluster, {"name", "arn", "id"});
        if (!emitted(cluster)) {
            skip(*cp, "its cluster is not imported");
            continue;
        }
        std::vector<std::string> providers, lost;
        const Json& listed_providers = cp->at({"capacity_providers"});
        for (std::size_t i = 0; listed_providers.is_array() && i < listed_providers.size(); ++i) {
            const std::string name = ecs_provider_name(*cp, {"capacity_providers", i});
            if (name.empty())
                lost.push_back(str(listed_providers[i]).value_or("(unknown until apply)"));
            else if (!listed(providers, name))
                providers.push_back(name);
        }
        std::vector<TomlValue> strategy;
        const Json& items = cp->at({"default_capacity_provider_strategy"});
        for (std::size_t i = 0; items.is_array() && i < items.size(); ++i) {
            const std::string name = ecs_provider_name(
                *cp, {"default_capacity_provider_strategy", i, "capacity_provider"});
            if (name.empty()) {
                strategy.clear();
                lost.push_back("the default strategy's " +
                               str(field(items[i], "capacity_provider")).value_or("(unknown)"));
                break;
            }
            std::vector<std::pair<std::string, TomlValue>> e{
                {"capacity_provider", toml_string(name)}};
            if (auto w = integer(field(items[i], "weight"))) e.emplace_back("weight", toml_int(*w));
            if (auto b = integer(field(items[i], "base")); b && *b > 0)
                e.emplace_back("base", toml_int(*b));
            strategy.push_back(toml_inline(e));
        }
        TomlSection& s = add(Section::EcsClusterCapacityProviders, *cp);
        s.set("cluster_name", toml_string(name_of(*cluster)));
        s.set("capacity_providers", toml_strings(providers));
        if (!strategy.empty()) s.set("default_capacity_provider_strategy", toml_array(strategy));
        if (!lost.empty())
            note(*cp, fmt::format("capacity providers not imported are left out: {}",
                                  fmt::join(lost, ", ")));
    }
}

void Importer::ecs_task_definitions() {
    for (const TfInstance* td : of_type(kTaskDefinition)) {
        const auto cpu = integer(td->at({"cpu"}));
        const auto memory = integer(td->at({"memory"}));
        bool fargate = false;
        for (const auto& c : td->at({"requires_compatibilities"}))
            fargate = fargate || str(c).value_or("") == "FARGATE";
        // On EC2 the containers' own cpu and memory stand in for task-level sizes.
        if (fargate && (!cpu || !memory)) {
            skip(*td, "requires FARGATE without a task-level cpu and memory");
            continue;
        }
        auto containers = str(td->at({"container_definitions"}));
        const bool unknown = !containers && td->is_unknown({"container_definitions"});
        if (unknown) containers = containers_of_services(*td);
        if (!containers || !containers_ok(*containers)) {
            skip(*td,
                 "its container_definitions are unknown or not a JSON array of containers "
                 "with a name and an image");
            continue;
        }
        TomlSection& s = add(Section::EcsTaskDefinition, *td);
        s.set("family", toml_string(name_of(*td)));
        if (cpu) s.set("cpu", toml_int(*cpu));
        if (memory) s.set("memory", toml_int(*memory));
        std::vector<std::string> launch_types;
        const Json& compat = td->at({"requires_compatibilities"});
        for (std::size_t i = 0; compat.is_array() && i < compat.size(); ++i)
            if (auto t = str(compat[i]); t && (*t == "FARGATE" || *t == "EC2" || *t == "EXTERNAL"))
                launch_types.push_back(*t);
        if (!launch_types.empty()) s.set("requires_compatibilities", toml_strings(launch_types));
        if (auto mode = str(td->at({"network_mode"}));
            mode && (*mode == "awsvpc" || *mode == "bridge" || *mode == "host" || *mode == "none"))
            s.set("network_mode", toml_string(*mode));
        if (unknown)
            s.set("container_definitions", toml_string(*containers),
                  "unknown until apply: its services' load_balancer containers; REPLACE");
        else {
            s.set("container_definitions", toml_string(without_secrets(*td, *containers)));
            health_check_notes(*td, *containers);
            init_containers(s, *td, *containers);
        }
        task_role(s, *td);
        task_platform(s, *td);
        ecs_placement_constraints(s, *td);
        set_tags(s, *td);
        unmodelled(*td, {"execution_role_arn", "volume", "proxy_configuration",
                         "inference_accelerator", "ipc_mode", "pid_mode"});
    }
}

// Containers another one waits for to exit (dependsOn COMPLETE or SUCCESS: init containers):
// the model needs how long each runs (container_exits_after), which no Terraform attribute
// says; written as 10 s, with a note.
void Importer::init_containers(TomlSection& s, const TfInstance& td,
                               const std::string& containers) {
    const Json list = Json::parse(containers, nullptr, false);
    std::vector<std::string> waited;
    for (const Json& c : list) {
        const Json& deps = field(c, "dependsOn");
        for (std::size_t i = 0; deps.is_array() && i < deps.size(); ++i) {
            const std::string cond = str(field(deps[i], "condition")).value_or("");
            const std::string name = str(field(deps[i], "containerName")).value_or("");
            if ((cond == "COMPLETE" || cond == "SUCCESS") && !name.empty() &&
                std::find(waited.begin(), waited.end(), name) == waited.end())
                waited.push_back(name);
        }
    }
    if (waited.empty()) return;
    std::vector<std::pair<std::string, TomlValue>> entries;
    std::vector<std::string> names;
    for (const std::string& n : waited) {
        entries.emplace_back(n, toml_string("10s"));
        names.push_back("`" + n + "`");
    }
    s.set("container_exits_after", toml_inline(entries),
          "how long each init container runs: REPLACE");
    note(td, fmt::format("container(s) {} run to completion before others start (dependsOn "
                         "COMPLETE or SUCCESS): how long they run is not in Terraform; written "
                         "as container_exits_after = 10 s each",
                         fmt::join(names, ", ")));
}

void Importer::health_check_notes(const TfInstance& td, const std::string& containers) {
    const Json list = Json::parse(containers, nullptr, false);
    for (const Json& c : list) {
        const Json& command = field(field(c, "healthCheck"), "command");
        if (!command.is_array()) continue;
        std::vector<std::string> words;
        for (const Json& w : command)
            words.push_back(str(w).value_or(""));
        const int probed = scenario::probed_port(words);
        const std::string name = str(field(c, "name")).value_or("");
        for (const TfInstance* svc : of_type(kEcsService)) {
            if (ecs_task_definition_of(*svc) != &td) continue;
            for (const Json& b : svc->at({"load_balancer"})) {
                const auto port = integer(field(b, "container_port"));
                if (str(field(b, "container_name")).value_or("") != name || !port || probed == 0 ||
                    probed == *port)
                    continue;
                note(td,
                     fmt::format("container `{}`'s healthCheck probes localhost:{} while {}'s "
                                 "load balancer sends to port {}: the model's application listens "
                                 "on {} (set app_port = {} if it listens on {}), so the check "
                                 "fails and ECS replaces the tasks (Task failed container health "
                                 "checks)",
                                 name, probed, name_of(*svc), *port, *port, probed, probed));
                return;
            }
        }
    }
}

// Container definitions unknown until apply (an image from an aws_ecr_repository's
// repository_url, say): the containers the services that run `td` send load balancer traffic
// to, each with the ports their load_balancer blocks name, or one container named after the
// family when no service names one. The image is unknown too: "unknown-until-apply". A note
// says so; the state after apply has the real definitions.
std::optional<std::string> Importer::containers_of_services(const TfInstance& td) {
    Json containers = Json::array();
    auto container = [&](const std::string& name) -> Json& {
        for (Json& c : containers)
            if (c["name"] == name) return c;
        containers.push_back({{"name", name},
                              {"image", "unknown-until-apply"},
                              {"essential", true},
                              {"portMappings", Json::array()}});
        return containers.back();
    };
    for (const TfInstance* svc : of_type(kEcsService)) {
        if (ecs_task_definition_of(*svc) != &td) continue;
        for (const Json& b : svc->at({"load_balancer"})) {
            const auto name = str(field(b, "container_name"));
            const auto port = integer(field(b, "container_port"));
            if (!name || name->empty() || !port) continue;
            Json& ports = container(*name)["portMappings"];
            const Json mapping = {{"containerPort", *port}};
            if (std::find(ports.begin(), ports.end(), mapping) == ports.end())
                ports.push_back(mapping);
        }
    }
    if (containers.empty()) container(name_of(td));
    const std::vector<std::string> refs =
        strings(field(td.expression({"container_definitions"}), "references"));
    std::vector<std::string> names;
    for (const Json& c : containers)
        names.push_back("`" + c["name"].get<std::string>() + "`");
    note(td, fmt::format("its container_definitions are unknown until apply{}: written as the "
                         "container(s) {} with the ports its services' load_balancer blocks name "
                         "(image, cpu and memory of each unknown): import the state after apply "
                         "for the real definitions",
                         refs.empty() ? "" : " (they use " + refs.front() + ")",
                         fmt::join(names, ", ")));
    return containers.dump();
}

// The service's cluster: the imported aws_ecs_cluster its `cluster` names; a cluster the file
// names only by ARN or name (a data source, another state, the account's "default") is written
// as an [[ecs_cluster]] of that name, with a note. Null when it cannot be known.
const TfInstance* Importer::ecs_cluster_of(const TfInstance& svc, std::string* name) {
    std::vector<std::string> unmatched;
    const TfInstance* c =
        refer_one(svc, {"cluster"}, kEcsCluster, {"arn", "id", "name"}, &unmatched);
    if (emitted(c)) {
        *name = name_of(*c);
        return c;
    }
    std::string given = unmatched.empty() ? "" : unmatched.front();
    // Not set at all: ECS runs the service in the account's cluster named "default".
    if (given.empty() && svc.at({"cluster"}).is_null() && !svc.is_unknown({"cluster"}) &&
        (!svc.config || svc.expression({"cluster"}).is_null()))
        given = "default";
    *name = given.empty() ? "" : last_name(given, false);
    if (name->empty()) return nullptr;
    if (clusters_by_name_.insert(*name).second) {
        TomlSection s("ecs_cluster", true);
        s.comment(fmt::format("{} (its cluster, not in the file)", svc.address));
        s.set("name", toml_string(*name));
        add_plain(Section::EcsCluster, std::move(s));
        note(svc, fmt::format("its cluster `{}` is not in the file: an [[ecs_cluster]] of that "
                              "name is written",
                              given));
    }
    return nullptr;
}

// The task definition a service runs: matched by ARN (with or without its revision) or by
// family ("api", "api:3").
const TfInstance* Importer::ecs_task_definition_of(const TfInstance& svc) {
    std::vector<std::string> unmatched;
    const TfInstance* td = refer_one(svc, {"task_definition"}, kTaskDefinition,
                                     {"arn", "arn_without_revision", "family"}, &unmatched);
    if (td) return td;
    for (const std::string& literal : unmatched)
        for (const TfInstance* t : of_type(kTaskDefinition))
            if (str(t->at({"family"})).value_or("") == last_name(literal, true)) return t;
    return nullptr;
}

// network_configuration (awsvpc): the imported subnets and security groups. False when none
// of its subnets is imported (the service is skipped: the scenario places tasks in subnets).
bool Importer::ecs_service_network(TomlSection& s, const TfInstance& svc) {
    if (!first_block(svc.at({"network_configuration"})).is_object()) return true;
    std::vector<std::string> lost_subnets, lost_groups;
    const auto subnets = emitted_names(
        refer(svc, {"network_configuration", 0, "subnets"}, kSubnet, {"id"}, &lost_subnets));
    if (subnets.empty()) {
        skip(svc, "none of its network_configuration subnets is imported");
        return false;
    }
    const auto groups = emitted_names(refer(svc, {"network_configuration", 0, "security_groups"},
                                            kSg, {"id", "name"}, &lost_groups));
    if (!lost_subnets.empty())
        note(svc, fmt::format("subnets not in the file are left out of its tasks' subnets: {}",
                              fmt::join(lost_subnets, ", ")));
    if (!lost_groups.empty())
        note(svc, fmt::format("security groups not in the file are left out: {}",
                              fmt::join(lost_groups, ", ")));
    std::vector<std::pair<std::string, TomlValue>> entries{{"subnets", toml_strings(subnets)}};
    if (!groups.empty()) entries.emplace_back("security_groups", toml_strings(groups));
    if (boolean(svc.at({"network_configuration", 0, "assign_public_ip"})).value_or(false))
        entries.emplace_back("assign_public_ip", toml_bool(true));
    s.set("network_configuration", toml_inline(entries));
    return true;
}

// load_balancer blocks: the imported target group, the container and its port. A Classic Load
// Balancer (elb_name) or a target group not imported is left out, with a finding.
// placement_constraints blocks as the scenario writes them; a memberOf expression the model
// cannot read (task:group, agentVersion, ...) is left out with a note. distinctInstance on a
// task definition never reaches a state (ECS refuses it).
void Importer::ecs_placement_constraints(TomlSection& s, const TfInstance& r) {
    const Json& blocks = r.at({"placement_constraints"});
    std::vector<TomlValue> items;
    for (std::size_t i = 0; blocks.is_array() && i < blocks.size(); ++i) {
        const std::string type = str(field(blocks[i], "type")).value_or("");
        const std::string expression = str(field(blocks[i], "expression")).value_or("");
        if (type == "distinctInstance") {
            items.push_back(toml_inline({{"type", toml_string(type)}}));
            continue;
        }
        if (type != "memberOf") continue;
        try {
            scenario::ClusterQuery::parse(expression);
        } catch (const scenario::ClusterQueryError& e) {
            note(r, fmt::format("placement constraint memberOf `{}` left out: {}", expression,
                                e.what()));
            continue;
        }
        if (expression.find("attribute:ecs.subnet-id") != std::string::npos)
            note(r,
                 "a placement constraint on attribute:ecs.subnet-id compares the scenario's "
                 "subnet names: check the expression's subnet IDs");
        items.push_back(
            toml_inline({{"type", toml_string(type)}, {"expression", toml_string(expression)}}));
    }
    if (!items.empty()) s.set("placement_constraints", toml_array(items));
}

// ordered_placement_strategy blocks; a spread over an attribute the model does not place by
// (only the AZ, instanceId and host) leaves the whole strategy out, with a note.
void Importer::ecs_placement_strategy(TomlSection& s, const TfInstance& svc) {
    const Json& blocks = svc.at({"ordered_placement_strategy"});
    std::vector<TomlValue> items;
    for (std::size_t i = 0; blocks.is_array() && i < blocks.size(); ++i) {
        const std::string type = str(field(blocks[i], "type")).value_or("");
        std::string f = str(field(blocks[i], "field")).value_or("");
        const bool ok =
            (type == "random") || (type == "binpack" && (f == "cpu" || f == "memory")) ||
            (type == "spread" &&
             (f == "attribute:ecs.availability-zone" || f == "instanceId" || f == "host"));
        if (!ok) {
            note(svc, fmt::format("ordered_placement_strategy {} on `{}` is not modelled: the "
                                  "strategy is left out (ECS's default applies)",
                                  type, f));
            return;
        }
        std::vector<std::pair<std::string, TomlValue>> e{{"type", toml_string(type)}};
        if (type != "random") e.emplace_back("field", toml_string(f));
        items.push_back(toml_inline(e));
    }
    if (!items.empty()) s.set("ordered_placement_strategy", toml_array(items));
}

void Importer::ecs_service_load_balancers(TomlSection& s, const TfInstance& svc) {
    const Json& blocks = svc.at({"load_balancer"});
    std::vector<TomlValue> items;
    for (std::size_t i = 0; blocks.is_array() && i < blocks.size(); ++i) {
        const Json& b = blocks[i];
        if (!str(field(b, "elb_name")).value_or("").empty()) {
            skip(svc.address, fmt::format("load_balancer with elb_name `{}`: a Classic Load "
                                          "Balancer in front of ECS tasks is not modelled",
                                          str(field(b, "elb_name")).value_or("")));
            continue;
        }
        std::vector<std::string> lost;
        const TfInstance* tg =
            refer_one(svc, {"load_balancer", i, "target_group_arn"}, kTg, {"arn", "name"}, &lost);
        if (!emitted(tg)) {
            note(svc, fmt::format("its load_balancer target group {} is not imported: left out",
                                  lost.empty() ? "(unknown until apply)" : "`" + lost[0] + "`"));
            continue;
        }
        std::vector<std::pair<std::string, TomlValue>> e{
            {"target_group_arn", toml_string(name_of(*tg))},
            {"container_name", toml_string(str(field(b, "container_name")).value_or(""))}};
        if (auto port = integer(field(b, "container_port")))
            e.emplace_back("container_port", toml_int(*port));
        items.push_back(toml_inline(e));
    }
    if (!items.empty()) s.set("load_balancer", toml_array(items));
}

// capacity_provider_strategy, or launch_type. A service with neither takes its cluster's
// default capacity provider strategy, as ECS does (aws_ecs_cluster_capacity_providers, or the
// cluster's own default_capacity_provider_strategy in provider versions before 4.0).
void Importer::ecs_service_strategy(TomlSection& s, const TfInstance& svc,
                                    const TfInstance* cluster) {
    Json items = svc.at({"capacity_provider_strategy"});
    const TfInstance* owner = &svc;  // whose attribute the items are
    std::string key = "capacity_provider_strategy";
    const std::string launch_type = str(svc.at({"launch_type"})).value_or("");
    if (is_empty(items) && launch_type.empty() && cluster) {
        std::string from;
        for (const TfInstance* cp : of_type(kClusterProviders))
            if (refer_one(*cp, {"cluster_name"}, kEcsCluster, {"name", "arn", "id"}) == cluster &&
                !is_empty(cp->at({"default_capacity_provider_strategy"}))) {
                items = cp->at({"default_capacity_provider_strategy"});
                from = cp->address;
                owner = cp;
                key = "default_capacity_provider_strategy";
            }
        if (is_empty(items) && !is_empty(cluster->at({"default_capacity_provider_strategy"}))) {
            items = cluster->at({"default_capacity_provider_strategy"});
            from = cluster->address;
            owner = cluster;
            key = "default_capacity_provider_strategy";
        }
        if (!from.empty())
            note(svc, fmt::format("neither launch_type nor capacity_provider_strategy: the "
                                  "cluster's default strategy ({}) is written, as ECS applies it",
                                  from));
    }
    std::vector<TomlValue> out;
    for (std::size_t i = 0; items.is_array() && i < items.size(); ++i) {
        const std::string provider = ecs_provider_name(*owner, {key, i, "capacity_provider"});
        if (provider.empty()) {
            note(svc, fmt::format("its strategy names `{}`, a capacity provider not imported: "
                                  "no strategy is written",
                                  str(field(items[i], "capacity_provider")).value_or("")));
            out.clear();
            break;
        }
        std::vector<std::pair<std::string, TomlValue>> e{
            {"capacity_provider", toml_string(provider)}};
        if (auto w = integer(field(items[i], "weight"))) e.emplace_back("weight", toml_int(*w));
        if (auto b = integer(field(items[i], "base")); b && *b > 0)
            e.emplace_back("base", toml_int(*b));
        out.push_back(toml_inline(e));
    }
    if (!out.empty())
        s.set("capacity_provider_strategy", toml_array(out));
    else if (!launch_type.empty())
        s.set("launch_type", toml_string(launch_type));
}

// A DAEMON service: no desired count (ECS sets it), the EC2 launch type (ECS refuses a
// capacity provider strategy, the cluster's default too, for a DAEMON service), and a maximum
// percent above 100 (a plan's provider default) left to ECS's 100.
void Importer::ecs_daemon_service(TomlSection& s, const TfInstance& svc) {
    s.set("scheduling_strategy", toml_string("DAEMON"));
    s.set("launch_type", toml_string("EC2"));
    const std::string launch_type = str(svc.at({"launch_type"})).value_or("");
    if (launch_type.empty())
        note(svc,
             "a DAEMON service without launch_type: launch_type = \"EC2\" is written (ECS "
             "refuses a capacity provider strategy for it)");
    if (auto v = integer(svc.at({"deployment_maximum_percent"})); v && *v > 100)
        note(svc, fmt::format("deployment_maximum_percent {} is not written: ECS takes at most "
                              "100 for a DAEMON service (its default)",
                              *v));
}

// A DAEMON service runs on container instances: the model's come from the capacity providers
// associated with its cluster. Skipped (with the reason) when there is none, or when its task
// definition is not EC2-compatible (ECS would refuse it).
bool Importer::daemon_runs(const TfInstance& svc, const TfInstance& td, const TfInstance* cluster) {
    const Json& compat = td.at({"requires_compatibilities"});
    bool ec2 = !compat.is_array() || compat.empty();
    for (std::size_t i = 0; compat.is_array() && i < compat.size(); ++i)
        ec2 = ec2 || str(compat[i]).value_or("") == "EC2";
    if (!ec2) {
        skip(svc,
             "a DAEMON service runs on container instances, and its task definition does "
             "not list EC2 in requires_compatibilities");
        return false;
    }
    for (const TfInstance* cp : of_type(kClusterProviders)) {
        if (!cluster || !emitted(cp) ||
            refer_one(*cp, {"cluster_name"}, kEcsCluster, {"name", "arn", "id"}) != cluster)
            continue;
        const Json& list = cp->at({"capacity_providers"});
        for (std::size_t i = 0; list.is_array() && i < list.size(); ++i) {
            const std::string name = ecs_provider_name(*cp, {"capacity_providers", i});
            if (!name.empty() && name != "FARGATE" && name != "FARGATE_SPOT") return true;
        }
    }
    skip(svc,
         "a DAEMON service runs on container instances, and its cluster has no imported "
         "Auto Scaling group capacity provider (the model's container instances)");
    return false;
}

void Importer::ecs_services() {
    for (const TfInstance* svc : of_type(kEcsService)) {
        const bool daemon = str(svc->at({"scheduling_strategy"})).value_or("REPLICA") == "DAEMON";
        const Json& items = svc->at({"capacity_provider_strategy"});
        for (std::size_t i = 0; items.is_array() && i < items.size(); ++i)
            if (ecs_provider_name(*svc, {"capacity_provider_strategy", i, "capacity_provider"})
                    .empty()) {
                skip(*svc, fmt::format("its capacity provider `{}` is not imported (FARGATE, "
                                       "FARGATE_SPOT or an imported aws_ecs_capacity_provider)",
                                       str(field(items[i], "capacity_provider"))
                                           .value_or("(unknown until apply)")));
                break;
            }
        if (consumed_.count(svc)) continue;
        const TfInstance* td = ecs_task_definition_of(*svc);
        if (!emitted(td)) {
            skip(*svc, "its task definition is not imported");
            continue;
        }
        std::string cluster_name;
        const TfInstance* cluster = ecs_cluster_of(*svc, &cluster_name);
        if (cluster_name.empty()) {
            skip(*svc, "its cluster is unknown until apply and not in the file");
            continue;
        }
        if (daemon && !daemon_runs(*svc, *td, cluster)) continue;
        TomlSection s("ecs_service", true);
        s.set("name", toml_string(name_of(*svc)));
        s.set("cluster", toml_string(cluster_name));
        s.set("task_definition", toml_string(name_of(*td)));
        if (daemon)
            ecs_daemon_service(s, *svc);
        else if (auto n = integer(svc->at({"desired_count"})))
            s.set("desired_count", toml_int(*n));
        if (!daemon) ecs_service_strategy(s, *svc, cluster);
        if (!ecs_service_network(s, *svc)) continue;
        ecs_service_load_balancers(s, *svc);
        ecs_placement_constraints(s, *svc);
        if (!daemon) ecs_placement_strategy(s, *svc);
        if (auto g = integer(svc->at({"health_check_grace_period_seconds"})); g && *g > 0)
            s.set("health_check_grace_period_seconds", toml_int(*g));
        for (const char* k : {"deployment_minimum_healthy_percent", "deployment_maximum_percent"})
            if (auto v = integer(svc->at({k})); v && !(daemon && *v > 100)) s.set(k, toml_int(*v));
        const Json& breaker = first_block(svc->at({"deployment_circuit_breaker"}));
        if (breaker.is_object())
            s.set("deployment_circuit_breaker",
                  toml_inline(
                      {{"enable", toml_bool(boolean(field(breaker, "enable")).value_or(false))},
                       {"rollback",
                        toml_bool(boolean(field(breaker, "rollback")).value_or(false))}}));
        set_tags(s, *svc);
        service_cluster_[svc] = cluster_name;
        add(Section::EcsService, *svc, std::move(s));
        // iam_role: the state holds ECS's service-linked role when none is given.
        if (str(svc->at({"iam_role"})).value_or("").find("aws-service-role") == std::string::npos)
            unmodelled(*svc, {"iam_role"});
        unmodelled(*svc, {"service_registries", "service_connect_configuration", "alarms",
                          "triggers", "volume_configuration", "enable_execute_command",
                          "enable_ecs_managed_tags", "force_new_deployment"});
        const auto differ =
            set_apart_from_defaults(*svc, {{"platform_version", "LATEST"},
                                           {"propagate_tags", "NONE"},
                                           {"deployment_controller", "ECS"},
                                           {"availability_zone_rebalancing", "DISABLED"}});
        if (!differ.empty())
            skip(svc->address, fmt::format("not modelled, left out: {}", fmt::join(differ, ", ")));
    }
}

// ---- Service Auto Scaling ------------------------------------------------------------------

void Importer::app_targets() {
    std::set<std::string> written;
    for (const TfInstance* t : of_type(kTarget)) {
        const std::string ns = str(t->at({"service_namespace"})).value_or("");
        const std::string dim = str(t->at({"scalable_dimension"})).value_or("");
        if (ns != "ecs" || dim != "ecs:service:DesiredCount") {
            skip(*t, fmt::format("scaling {} of namespace `{}` is not modelled (an ECS "
                                 "service's ecs:service:DesiredCount is)",
                                 dim.empty() ? "(unknown)" : dim, ns));
            continue;
        }
        // "service/CLUSTER/SERVICE": the service of that name (in that cluster), or the
        // service the configuration's expression refers to when the text is unknown.
        const std::string rid = str(t->at({"resource_id"})).value_or("");
        const std::string wanted =
            rid.substr(rid.rfind('/') == std::string::npos ? 0 : rid.rfind('/') + 1);
        const TfInstance* svc = nullptr;
        for (const TfInstance* s : of_type(kEcsService))
            if (emitted(s) && !rid.empty() && str(s->at({"name"})).value_or("") == wanted &&
                (!svc || rid == "service/" + service_cluster_[s] + "/" + wanted))
                svc = s;
        if (!svc)
            for (const TfInstance* s : doc_.resolve(*t, {"resource_id"}, kEcsService).instances)
                if (emitted(s)) svc = s;
        if (!svc) {
            skip(*t, fmt::format("its ECS service {} is not imported",
                                 rid.empty() ? "(unknown until apply)" : "`" + rid + "`"));
            continue;
        }
        const std::string id = "service/" + service_cluster_[svc] + "/" + name_of(*svc);
        if (!written.insert(id).second) {
            skip(*t, fmt::format("a second scalable target of `{}`", id));
            continue;
        }
        target_resource_id_[t] = id;
        TomlSection& s = add(Section::AppautoscalingTarget, *t);
        s.set("resource_id", toml_string(id));
        for (const char* k : {"min_capacity", "max_capacity"})
            if (auto v = integer(t->at({k}))) s.set(k, toml_int(*v));
        // role_arn: a state holds Application Auto Scaling's service-linked role when none is
        // given; another role is the file's own choice, and not modelled.
        std::vector<std::string> left{"suspended_state"};
        if (str(t->at({"role_arn"})).value_or("").find("aws-service-role") == std::string::npos)
            left.emplace_back("role_arn");
        unmodelled(*t, left);
    }
}

// The resource_id of the imported scalable target a policy or scheduled action names, or null.
const std::string* Importer::app_target_of(const TfInstance& from) {
    const TfInstance* t = refer_one(from, {"resource_id"}, kTarget, {"resource_id", "id"});
    auto it = target_resource_id_.find(t);
    return it == target_resource_id_.end() ? nullptr : &it->second;
}

// target_tracking_scaling_policy_configuration on a predefined metric the model publishes.
// Cooldowns: the provider sends 0 for one the configuration leaves out (its expand function
// always sets the field), so AWS's 300 s default never applies: an omitted one is written 0.
void Importer::app_target_tracking(TomlSection& s, const TfInstance& p, const Json& tt) {
    const Json& pre = first_block(field(tt, "predefined_metric_specification"));
    const std::string metric = str(field(pre, "predefined_metric_type")).value_or("");
    const auto& metrics = grammar_choices("appautoscaling_policy",
                                          "target_tracking_scaling_policy_configuration."
                                          "predefined_metric_specification.predefined_metric_type");
    if (!pre.is_object() || !listed(metrics, metric)) {
        skip(p, metric.empty() ? "target tracking on a customized metric is not modelled"
                               : fmt::format("target tracking on {} is not modelled", metric));
        return;
    }
    std::vector<std::pair<std::string, TomlValue>> spec{
        {"predefined_metric_type", toml_string(metric)}};
    if (auto label = str(field(pre, "resource_label")); label && !label->empty())
        spec.emplace_back("resource_label", toml_string(*label));
    std::vector<std::pair<std::string, TomlValue>> e{
        {"predefined_metric_specification", toml_inline(spec)}};
    if (auto v = number(field(tt, "target_value"))) e.emplace_back("target_value", toml_number(*v));
    bool omitted = false;
    for (const char* k : {"scale_in_cooldown", "scale_out_cooldown"}) {
        const auto v = integer(field(tt, k));
        omitted = omitted || !v;
        e.emplace_back(k, toml_int(v.value_or(0)));
    }
    if (boolean(field(tt, "disable_scale_in")).value_or(false))
        e.emplace_back("disable_scale_in", toml_bool(true));
    s.set("target_tracking_scaling_policy_configuration", toml_inline(e),
          omitted ? "an omitted cooldown is 0: Terraform sends 0 for it" : "");
    add(Section::AppautoscalingPolicy, p, std::move(s));
}

// step_scaling_policy_configuration; an omitted cooldown is 0, as for target tracking.
void Importer::app_step_scaling(TomlSection& s, const Json& st) {
    std::vector<std::pair<std::string, TomlValue>> e;
    e.emplace_back("adjustment_type",
                   toml_string(str(field(st, "adjustment_type")).value_or("ChangeInCapacity")));
    const auto cooldown = integer(field(st, "cooldown"));
    e.emplace_back("cooldown", toml_int(cooldown.value_or(0)));
    if (auto a = str(field(st, "metric_aggregation_type")); a && !a->empty())
        e.emplace_back("metric_aggregation_type", toml_string(*a));
    if (auto m = integer(field(st, "min_adjustment_magnitude")); m && *m > 0)
        e.emplace_back("min_adjustment_magnitude", toml_int(*m));
    std::vector<TomlValue> steps;
    for (const auto& step : field(st, "step_adjustment")) {
        std::vector<std::pair<std::string, TomlValue>> one;
        for (const char* k : {"metric_interval_lower_bound", "metric_interval_upper_bound"})
            if (auto v = number(field(step, k))) one.emplace_back(k, toml_number(*v));
        if (auto v = integer(field(step, "scaling_adjustment")))
            one.emplace_back("scaling_adjustment", toml_int(*v));
        steps.push_back(toml_inline(one));
    }
    e.emplace_back("step_adjustment", toml_array(steps));
    s.set("step_scaling_policy_configuration", toml_inline(e),
          cooldown ? "" : "an omitted cooldown is 0: Terraform sends 0 for it");
}

void Importer::app_policies() {
    for (const TfInstance* p : of_type(kAppPolicy)) {
        const std::string* rid = app_target_of(*p);
        if (!rid) {
            skip(*p, "its scalable target (aws_appautoscaling_target) is not imported");
            continue;
        }
        std::string type = str(p->at({"policy_type"})).value_or("");
        if (type.empty()) type = "StepScaling";  // the provider's default
        TomlSection s("appautoscaling_policy", true);
        s.set("name", toml_string(name_of(*p)));
        s.set("resource_id", toml_string(*rid));
        s.set("policy_type", toml_string(type));
        if (type == "TargetTrackingScaling") {
            const Json& tt = first_block(p->at({"target_tracking_scaling_policy_configuration"}));
            if (!tt.is_object())
                skip(*p, "no target_tracking_scaling_policy_configuration");
            else
                app_target_tracking(s, *p, tt);
            continue;
        }
        const Json& st = first_block(p->at({"step_scaling_policy_configuration"}));
        if (type != "StepScaling") {
            skip(*p, fmt::format("policy_type {} is not modelled", type));
        } else if (!st.is_object() || is_empty(field(st, "step_adjustment"))) {
            skip(*p, "a StepScaling policy without step_scaling_policy_configuration steps");
        } else {
            app_step_scaling(s, st);
            add(Section::AppautoscalingPolicy, *p, std::move(s));
        }
    }
}

namespace {

// "at(2026-01-05T00:30:00)" -> "2026-01-05T00:30:00Z" (the time in UTC form), else "".
std::string at_time(const std::string& schedule, const std::string& timezone) {
    if (schedule.rfind("at(", 0) != 0 || schedule.back() != ')') return "";
    if (!(timezone.empty() || timezone == "UTC" || timezone == "Etc/UTC")) return "";
    return schedule.substr(3, schedule.size() - 4) + "Z";
}

}  // namespace

// Scheduled actions, kept to what can happen in the run as written (from kDefaultStart, for
// kDefaultDuration), as aws_autoscaling_schedule is.
void Importer::app_scheduled_actions() {
    for (const TfInstance* a : of_type(kAppScheduledAction)) {
        const std::string* rid = app_target_of(*a);
        if (!rid) {
            skip(*a, "its scalable target (aws_appautoscaling_target) is not imported");
            continue;
        }
        const std::string schedule = str(a->at({"schedule"})).value_or("");
        const std::string tz = str(a->at({"timezone"})).value_or("");
        const std::string at = at_time(schedule, tz);
        const std::string end = str(a->at({"end_time"})).value_or("");
        if ((!at.empty() && before_default_start(at)) ||
            (!end.empty() && before_default_start(end))) {
            skip(*a, fmt::format("{} is before the run's start ({})",
                                 at.empty() ? "its end_time" : schedule, kDefaultStart));
            continue;
        }
        const std::string start = str(a->at({"start_time"})).value_or("");
        if (after_default_end(at) || after_default_end(start)) {
            skip(*a, fmt::format("its first action is after the end of the run as written ({}, "
                                 "simulation.duration = \"{}\")",
                                 kDefaultEnd, kDefaultDuration));
            continue;
        }
        TomlSection s("appautoscaling_scheduled_action", true);
        s.set("name", toml_string(name_of(*a)));
        s.set("resource_id", toml_string(*rid));
        s.set("schedule", toml_string(schedule));
        if (!tz.empty() && tz != "UTC") s.set("timezone", toml_string(tz));
        if (!start.empty() && !before_default_start(start)) s.set("start_time", toml_string(start));
        if (!end.empty() && !after_default_end(end)) s.set("end_time", toml_string(end));
        const Json& action = first_block(a->at({"scalable_target_action"}));
        std::vector<std::pair<std::string, TomlValue>> bounds;
        for (const char* k : {"min_capacity", "max_capacity"})
            if (auto v = integer(field(action, k))) bounds.emplace_back(k, toml_int(*v));
        if (bounds.empty()) {
            skip(*a, "its scalable_target_action sets neither min_capacity nor max_capacity");
            continue;
        }
        s.set("scalable_target_action", toml_inline(bounds));
        add(Section::AppautoscalingScheduledAction, *a, std::move(s));
    }
}

}  // namespace stratus::tfimport::detail
