// The importer's outline: names for every resource, references between them, the findings, and
// the scenario's frame (header, [simulation], [region], the [[workload]] placeholder). The
// resource types themselves are converted in terraform_network.cpp, terraform_lb.cpp and
// terraform_compute.cpp.
#include "sim/import/terraform.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iterator>
#include <set>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "sim/import/importer.hpp"
#include "sim/scenario/catalog.hpp"
#include "sim/scenario/loader.hpp"

namespace stratus::tfimport {

std::string Finding::text() const {
    const char* kind_text = kind == Skipped ? "skipped" : "note";
    if (address.empty()) return fmt::format("{}: {}", kind_text, message);
    return fmt::format("{}: {}: {}", kind_text, address, message);
}

ImportResult import_terraform(std::string_view json_text, const std::string& file) {
    try {
        const TfDocument doc = TfDocument::parse(json_text, file);
        detail::Importer importer(doc, file);
        return importer.run();
    } catch (const Json::exception& e) {
        // A value of an unexpected kind where the format has a fixed one.
        throw ImportError(
            fmt::format("{}: not the structure of Terraform's JSON output: {}", file, e.what()));
    }
}

namespace detail {

// ---- values --------------------------------------------------------------------------------

std::optional<std::string> str(const Json& v) {
    if (v.is_string()) return v.get<std::string>();
    return std::nullopt;
}

std::optional<long long> integer(const Json& v) {
    if (v.is_number_integer()) return v.get<long long>();
    if (v.is_number_float()) {
        const double d = v.get<double>();
        if (d == static_cast<double>(static_cast<long long>(d))) return static_cast<long long>(d);
    }
    if (v.is_string()) {
        const std::string s = v.get<std::string>();
        if (s.empty()) return std::nullopt;
        std::size_t used = 0;
        try {
            const long long n = std::stoll(s, &used);
            if (used == s.size()) return n;
        } catch (const std::exception&) {
        }
    }
    return std::nullopt;
}

std::optional<double> number(const Json& v) {
    if (v.is_number()) return v.get<double>();
    if (v.is_string()) {
        const std::string s = v.get<std::string>();
        if (s.empty()) return std::nullopt;
        std::size_t used = 0;
        try {
            const double d = std::stod(s, &used);
            if (used == s.size()) return d;
        } catch (const std::exception&) {
        }
    }
    return std::nullopt;
}

std::optional<bool> boolean(const Json& v) {
    if (v.is_boolean()) return v.get<bool>();
    if (v == "true") return true;
    if (v == "false") return false;
    return std::nullopt;
}

std::vector<std::string> strings(const Json& v) {
    std::vector<std::string> out;
    if (v.is_string()) out.push_back(v.get<std::string>());
    if (v.is_array())
        for (const auto& e : v)
            if (e.is_string()) out.push_back(e.get<std::string>());
    return out;
}

namespace {

// The scenario section each resource type becomes (types not listed are folded into others
// or skipped).
struct TypeSection {
    const char* type;
    Section section;
    const char* name_attribute;  // the AWS name, used as the scenario name when known
};
constexpr TypeSection kTypeSections[] = {
    {"aws_vpc", Section::Vpc, ""},
    {"aws_default_vpc", Section::Vpc, ""},
    {"aws_subnet", Section::Subnet, ""},
    {"aws_default_subnet", Section::Subnet, ""},
    {"aws_nat_gateway", Section::NatGateway, ""},
    {"aws_vpc_endpoint", Section::VpcEndpoint, ""},
    {"aws_security_group", Section::SecurityGroup, "name"},
    {"aws_default_security_group", Section::SecurityGroup, "name"},
    {"aws_launch_template", Section::LaunchTemplate, "name"},
    {"aws_launch_configuration", Section::LaunchTemplate, "name"},
    {"aws_lb_target_group", Section::TargetGroup, "name"},
    {"aws_alb_target_group", Section::TargetGroup, "name"},
    {"aws_lb", Section::LoadBalancer, "name"},
    {"aws_alb", Section::LoadBalancer, "name"},
    {"aws_elb", Section::LoadBalancer, "name"},
    {"aws_autoscaling_group", Section::AutoscalingGroup, "name"},
    {"aws_autoscaling_policy", Section::AutoscalingPolicy, "name"},
    {"aws_cloudwatch_metric_alarm", Section::CloudwatchMetricAlarm, "alarm_name"},
    {"aws_autoscaling_schedule", Section::AutoscalingSchedule, "scheduled_action_name"},
    {"aws_instance", Section::Instance, ""},
    {"aws_eip", Section::Eip, ""},
    {"aws_ebs_volume", Section::EbsVolume, ""},
    {"aws_db_instance", Section::DbInstance, "identifier"},
    {"aws_rds_reserved_instance", Section::ReservedDbInstance, "reservation_id"},
    {"aws_s3_bucket", Section::S3Bucket, "bucket"},
    {"aws_s3_bucket_lifecycle_configuration", Section::S3BucketLifecycleConfiguration, ""},
    {"aws_s3_bucket_policy", Section::S3BucketPolicy, ""},
    {"aws_s3_bucket_acl", Section::S3BucketAcl, ""},
    {"aws_s3_bucket_public_access_block", Section::S3BucketPublicAccessBlock, ""},
    {"aws_s3_bucket_ownership_controls", Section::S3BucketOwnershipControls, ""},
    {"aws_iam_policy", Section::IamPolicy, "name"},
    {"aws_iam_user", Section::IamUser, "name"},
    {"aws_iam_group", Section::IamGroup, "name"},
    {"aws_iam_group_membership", Section::IamGroupMembership, "name"},
    {"aws_iam_role", Section::IamRole, "name"},
    {"aws_iam_policy_attachment", Section::IamPolicyAttachment, "name"},
    {"aws_iam_instance_profile", Section::IamInstanceProfile, "name"},
    {"aws_ecs_cluster", Section::EcsCluster, "name"},
    {"aws_ecs_capacity_provider", Section::EcsCapacityProvider, "name"},
    {"aws_ecs_task_definition", Section::EcsTaskDefinition, "family"},
    {"aws_ecs_service", Section::EcsService, "name"},
    {"aws_appautoscaling_policy", Section::AppautoscalingPolicy, "name"},
    {"aws_appautoscaling_scheduled_action", Section::AppautoscalingScheduledAction, "name"},
};

// Words in an environment variable's name that say its value is a secret.
constexpr const char* kSecretWords[] = {"PASSWORD",    "PASSWD",     "SECRET", "TOKEN",
                                        "PRIVATE_KEY", "ACCESS_KEY", "API_KEY"};

// The scenario section of each Section: one case per section, so it is as long as the list
// (45 sections, over 90 lines) and stays a plain switch the compiler checks for completeness.
const char* section_name(Section s) {
    switch (s) {
        case Section::InstanceType:
            return "instance_type";
        case Section::Vpc:
            return "vpc";
        case Section::Subnet:
            return "subnet";
        case Section::NatGateway:
            return "nat_gateway";
        case Section::VpcEndpoint:
            return "vpc_endpoint";
        case Section::SecurityGroup:
            return "security_group";
        case Section::LaunchTemplate:
            return "launch_template";
        case Section::TargetGroup:
            return "target_group";
        case Section::LoadBalancer:
            return "load_balancer";
        case Section::LbListener:
            return "lb_listener";
        case Section::AutoscalingGroup:
            return "autoscaling_group";
        case Section::AutoscalingPolicy:
            return "autoscaling_policy";
        case Section::CloudwatchMetricAlarm:
            return "cloudwatch_metric_alarm";
        case Section::AutoscalingSchedule:
            return "autoscaling_schedule";
        case Section::Instance:
            return "instance";
        case Section::Eip:
            return "eip";
        case Section::EbsVolume:
            return "ebs_volume";
        case Section::DbInstance:
            return "db_instance";
        case Section::ReservedDbInstance:
            return "reserved_db_instance";
        case Section::S3Bucket:
            return "s3_bucket";
        case Section::S3BucketLifecycleConfiguration:
            return "s3_bucket_lifecycle_configuration";
        case Section::S3BucketPolicy:
            return "s3_bucket_policy";
        case Section::S3BucketAcl:
            return "s3_bucket_acl";
        case Section::S3BucketPublicAccessBlock:
            return "s3_bucket_public_access_block";
        case Section::S3BucketOwnershipControls:
            return "s3_bucket_ownership_controls";
        case Section::IamPolicy:
            return "iam_policy";
        case Section::IamUser:
            return "iam_user";
        case Section::IamGroup:
            return "iam_group";
        case Section::IamGroupMembership:
            return "iam_group_membership";
        case Section::IamUserGroupMembership:
            return "iam_user_group_membership";
        case Section::IamRole:
            return "iam_role";
        case Section::IamUserPolicy:
            return "iam_user_policy";
        case Section::IamGroupPolicy:
            return "iam_group_policy";
        case Section::IamRolePolicy:
            return "iam_role_policy";
        case Section::IamUserPolicyAttachment:
            return "iam_user_policy_attachment";
        case Section::IamGroupPolicyAttachment:
            return "iam_group_policy_attachment";
        case Section::IamRolePolicyAttachment:
            return "iam_role_policy_attachment";
        case Section::IamPolicyAttachment:
            return "iam_policy_attachment";
        case Section::IamInstanceProfile:
            return "iam_instance_profile";
        case Section::EcsCluster:
            return "ecs_cluster";
        case Section::EcsCapacityProvider:
            return "ecs_capacity_provider";
        case Section::EcsClusterCapacityProviders:
            return "ecs_cluster_capacity_providers";
        case Section::EcsTaskDefinition:
            return "ecs_task_definition";
        case Section::EcsService:
            return "ecs_service";
        case Section::AppautoscalingTarget:
            return "appautoscaling_target";
        case Section::AppautoscalingPolicy:
            return "appautoscaling_policy";
        case Section::AppautoscalingScheduledAction:
            return "appautoscaling_scheduled_action";
    }
    return "?";
}

// Standalone resources share one namespace in the scenario (an [[eip]] names its instance).
int name_space(Section s) {
    switch (s) {
        case Section::Instance:
        case Section::Eip:
        case Section::EbsVolume:
        case Section::S3Bucket:
            return static_cast<int>(Section::Instance);
        default:
            return static_cast<int>(s);
    }
}

// Candidate names inside an ARN or id: the whole text, the name of a target group or load
// balancer ARN ("...:targetgroup/NAME/hash", "...:loadbalancer/app/NAME/hash"), a scaling
// policy's "policyName/NAME", an Auto Scaling group's "autoScalingGroupName/NAME".
std::vector<std::string> names_in(const std::string& s) {
    std::vector<std::string> out{s};
    for (const char* marker : {"policyName/", "autoScalingGroupName/"}) {
        const auto p = s.find(marker);
        if (p != std::string::npos) {
            std::string rest = s.substr(p + std::string(marker).size());
            out.push_back(rest.substr(0, rest.find(':')));
        }
    }
    if (s.rfind("arn:", 0) == 0) {
        const auto last = s.rfind('/');
        if (last != std::string::npos && last > 0) {
            const auto before = s.rfind('/', last - 1);
            if (before != std::string::npos) out.push_back(s.substr(before + 1, last - before - 1));
            // ECS: "...:cluster/NAME", "...:service/CLUSTER/NAME", "...:task-definition/FAMILY:3".
            std::string tail = s.substr(last + 1);
            out.push_back(tail);
            const auto colon = tail.rfind(':');
            if (colon != std::string::npos && colon + 1 < tail.size() &&
                tail.find_first_not_of("0123456789", colon + 1) == std::string::npos)
                out.push_back(tail.substr(0, colon));
        }
    }
    return out;
}

// Resource types skipped with a reason more useful than "not modelled".
struct KnownSkip {
    const char* prefix;
    const char* why;
};
constexpr KnownSkip kKnownSkips[] = {
    {"aws_iam_",
     "this IAM resource is not imported (docs/terraform.md lists the IAM resources that are)"},
    {"aws_route53_", "DNS records are not modelled (clients reach the load balancer directly)"},
    {"aws_acm_", "certificates are not modelled (TLS costs nothing extra on a load balancer)"},
    {"aws_lb_listener_rule",
     "its listener is not imported (an imported listener counts its rules in `rules`)"},
    {"aws_alb_listener_rule",
     "its listener is not imported (an imported listener counts its rules in `rules`)"},
    {"aws_key_pair", "key pairs configure access, not modelled"},
    {"aws_cloudwatch_log_", "CloudWatch Logs is not modelled"},
    {"aws_kms_", "KMS is not modelled"},
    {"aws_sns_", "SNS is not modelled (alarm actions to topics are dropped)"},
    {"aws_vpc_endpoint",
     "this VPC endpoint resource is not modelled (gateway and interface "
     "endpoints and their associations are)"},
    {"aws_flow_log", "flow logs are not modelled"},
    {"aws_network_acl", "network ACLs are not modelled (security groups are)"},
    {"aws_default_network_acl", "network ACLs are not modelled (security groups are)"},
    {"aws_s3_bucket_",
     "S3 bucket settings are not modelled (the bucket's storage, lifecycle, versioning, policy "
     "and ACL are)"},
    {"aws_db_parameter_group", "DB parameter groups are not modelled"},
    {"aws_db_option_group", "DB option groups are not modelled"},
    {"aws_ssm_", "Systems Manager is not modelled"},
    {"aws_secretsmanager_", "Secrets Manager is not modelled"},
    {"aws_wafv2_", "WAF is not modelled"},
    {"aws_autoscaling_notification", "Auto Scaling notifications are not modelled"},
    {"aws_autoscaling_lifecycle_hook",
     "lifecycle hooks are not modelled (instances go InService without waiting)"},
    {"aws_appautoscaling_", "only ECS services' Application Auto Scaling is imported"},
    {"random_", "not an AWS resource"},
    {"null_resource", "not an AWS resource"},
    {"terraform_data", "not an AWS resource"},
    {"tls_", "not an AWS resource"},
    {"time_", "not an AWS resource"},
};

}  // namespace

// ---- names ---------------------------------------------------------------------------------

std::string Importer::base_name(const TfInstance& inst, Section section) const {
    for (const auto& ts : kTypeSections)
        if (inst.type == ts.type && *ts.name_attribute) {
            const Json& v = inst.at({ts.name_attribute});
            if (v.is_string() && !v.get<std::string>().empty()) return v.get<std::string>();
        }
    (void)section;
    // From the address: module names, the resource name, the instance key.
    std::vector<std::string> parts;
    std::string m = inst.module;
    while (m.rfind("module.", 0) == 0) {
        m = m.substr(7);
        std::size_t end = 0;
        while (end < m.size() && m[end] != '.' && m[end] != '[')
            ++end;
        parts.push_back(m.substr(0, end));
        m = m.substr(end);
        if (!m.empty() && m[0] == '[') {
            const auto close = m.find(']');
            std::string key =
                m.substr(1, close == std::string::npos ? std::string::npos : close - 1);
            key.erase(std::remove(key.begin(), key.end(), '"'), key.end());
            parts.push_back(key);
            m = close == std::string::npos ? "" : m.substr(close + 1);
        }
        if (!m.empty() && m[0] == '.') m = m.substr(1);
    }
    // terraform-aws-modules call their single resource "this": the module's name says more.
    if (!(inst.name == "this" && !parts.empty())) parts.push_back(inst.name);
    if (!inst.index.is_null()) {
        const bool only =
            std::count_if(
                doc_.instances().begin(), doc_.instances().end(), [&](const TfInstance& o) {
                    return o.type == inst.type && o.name == inst.name && o.module == inst.module;
                }) == 1;
        if (!(only && inst.index == 0))
            parts.push_back(inst.index.is_string() ? inst.index.get<std::string>()
                                                   : inst.index.dump());
    }
    std::string out;
    for (const auto& p : parts)
        out += (out.empty() ? "" : "-") + p;
    return out;
}

void Importer::assign_names() {
    std::map<int, std::set<std::string>> used;
    for (const TfInstance& inst : doc_.instances()) {
        for (const auto& ts : kTypeSections) {
            if (inst.type != ts.type) continue;
            section_of_[&inst] = ts.section;
            if (ts.section == Section::Vpc) break;
            std::string name = base_name(inst, ts.section);
            auto& taken = used[name_space(ts.section)];
            if (taken.count(name)) {
                std::string unique;
                for (int k = 2; unique.empty() || taken.count(unique); ++k)
                    unique = fmt::format("{}-{}", name, k);
                note(inst, fmt::format("named `{}` in the scenario: `{}` names another {} already",
                                       unique, name,
                                       name_space(ts.section) == static_cast<int>(Section::Instance)
                                           ? "instance, address, volume or bucket"
                                           : section_name(ts.section)));
                name = unique;
            }
            taken.insert(name);
            names_[&inst] = name;
            if (inst.type == "aws_elb") {
                // A Classic Load Balancer's instances and health check become a target group.
                auto& tgs = used[static_cast<int>(Section::TargetGroup)];
                std::string tg = name;
                for (int k = 2; tgs.count(tg); ++k)
                    tg = fmt::format("{}-{}", name, k);
                tgs.insert(tg);
                elb_target_group[name] = tg;
            }
            break;
        }
    }
}

const std::string& Importer::name_of(const TfInstance& inst) const {
    static const std::string kNone;
    auto it = names_.find(&inst);
    return it == names_.end() ? kNone : it->second;
}

std::vector<std::string> Importer::names(const std::vector<const TfInstance*>& list) const {
    std::vector<std::string> out;
    for (const TfInstance* i : list) {
        const std::string& n = name_of(*i);
        if (!n.empty() && std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
    }
    return out;
}

std::vector<std::string> Importer::emitted_names(const std::vector<const TfInstance*>& list) const {
    std::vector<const TfInstance*> kept;
    for (const TfInstance* i : list)
        if (emitted(i)) kept.push_back(i);
    return names(kept);
}

std::vector<const TfInstance*> Importer::of_type(const std::vector<std::string>& types) const {
    std::vector<const TfInstance*> out;
    for (const TfInstance& i : doc_.instances())
        if (std::find(types.begin(), types.end(), i.type) != types.end()) out.push_back(&i);
    return out;
}

// ---- references ----------------------------------------------------------------------------

std::string path_text(const Path& path) {
    std::string out;
    for (const PathStep& step : path) {
        if (step.key.empty()) continue;  // block indexes: the attribute names say enough
        out += (out.empty() ? "" : ".") + step.key;
    }
    return out;
}

std::vector<const TfInstance*> Importer::refer(const TfInstance& from, const Path& path,
                                               const std::vector<std::string>& types,
                                               const std::vector<std::string>& keys,
                                               std::vector<std::string>* unmatched) const {
    std::vector<const TfInstance*> out;
    auto add = [&](const TfInstance* i) {
        if (std::find(out.begin(), out.end(), i) == out.end()) out.push_back(i);
    };
    auto match_literal = [&](const std::string& literal) {
        for (const std::string& candidate : names_in(literal))
            for (const TfInstance* i : of_type(types))
                for (const std::string& key : keys)
                    if (i->at({key}) == candidate) {
                        add(i);
                        return;
                    }
        if (unmatched &&
            std::find(unmatched->begin(), unmatched->end(), literal) == unmatched->end())
            unmatched->push_back(literal);
    };
    const Json& value = from.at(path);
    bool partly_unknown = from.is_unknown(path) || value.is_null();
    if (value.is_array())
        for (const auto& e : value)
            if (e.is_null()) partly_unknown = true;
    for (const std::string& s : strings(value))
        if (!s.empty()) match_literal(s);
    if (partly_unknown) {
        const Resolved r = doc_.resolve(from, path, types);
        for (const TfInstance* i : r.instances)
            add(i);
        for (const std::string& s : r.literals)
            if (!s.empty()) match_literal(s);
        // Unknown until apply, and the configuration goes through a local value (which
        // Terraform's JSON leaves out) or a dynamic block (which it does not describe): the
        // only candidate in the same module instance is the one meant. A dynamic block makes
        // blocks only: a top-level argument absent from a resource's configuration is not set
        // (AWS chooses it, as the VPC's default security group for an ALB's security_groups).
        const bool in_block = path.size() > 1 || !from.config;
        const bool hidden = !r.unresolved.empty() || (in_block && from.expression(path).is_null());
        if (out.empty() && hidden && from.is_unknown(path)) {
            std::vector<const TfInstance*> near;
            for (const TfInstance* i : of_type(types))
                if (i->module == from.module) near.push_back(i);
            if (near.size() == 1) {
                add(near.front());
                inferred_.push_back(
                    {Finding::Note, from.address,
                     fmt::format("{} is unknown until apply and its configuration is not in the "
                                 "JSON ({}): {}, the only {} in {}, is taken",
                                 path_text(path),
                                 r.unresolved.empty() ? "a dynamic block?"
                                                      : "through " + r.unresolved.front(),
                                 near.front()->address, near.front()->type,
                                 from.module.empty() ? "the root module" : from.module)});
            }
        }
    }
    return out;
}

const TfInstance* Importer::refer_one(const TfInstance& from, const Path& path,
                                      const std::vector<std::string>& types,
                                      const std::vector<std::string>& keys,
                                      std::vector<std::string>* unmatched) const {
    const auto all = refer(from, path, types, keys, unmatched);
    return all.empty() ? nullptr : all.front();
}

// ---- findings and sections -----------------------------------------------------------------

void Importer::skip(const TfInstance& inst, std::string why) {
    consumed_.insert(&inst);
    skip(inst.address, std::move(why));
}

void Importer::skip(const std::string& address, std::string why) {
    findings_.push_back({Finding::Skipped, address, std::move(why)});
}

void Importer::note(const TfInstance& inst, std::string what) {
    note(inst.address, std::move(what));
}

void Importer::note(const std::string& address, std::string what) {
    findings_.push_back({Finding::Note, address, std::move(what)});
}

namespace {

// Whether a value says something: not null, "", false, 0, and not a block of such values.
bool meaningful(const Json& v) {
    if (v.is_null() || v == false || v == 0 || v == "") return false;
    if (v.is_array() || v.is_object()) {
        for (const auto& e : v)
            if (meaningful(e)) return true;
        return false;
    }
    return true;
}

}  // namespace

void Importer::unmodelled(const TfInstance& inst, const std::vector<std::string>& attributes) {
    // Values the provider plans when the configuration leaves them out, which are AWS's own
    // defaults: nothing is left out.
    static const std::map<std::string, std::string> kDefaults{
        {"desync_mitigation_mode", "defensive"},
        {"xff_header_processing_mode", "append"},
        {"ip_address_type", "ipv4"}};
    std::vector<std::string> set;
    for (const auto& a : attributes) {
        if (auto d = kDefaults.find(a); d != kDefaults.end() && inst.at({a}) == d->second) continue;
        // Written in the configuration, with a value that says something: `iam_role = null` or
        // `enable_execute_command = false` leaves nothing out.
        const Json& expr = inst.expression({a});
        const bool null_constant =
            expr.is_object() && expr.contains("constant_value") && expr["constant_value"].is_null();
        const bool written = inst.config && !expr.is_null() && !null_constant &&
                             (inst.is_unknown({a}) || meaningful(inst.at({a})));
        // A block a dynamic block makes, with values unknown until apply: the configuration
        // does not show it, the plan's after_unknown does.
        const bool made = inst.unknown.is_object() && inst.unknown.contains(a) &&
                          inst.unknown[a].is_array() && meaningful(inst.unknown[a]);
        if (written || made || meaningful(inst.at({a}))) set.push_back(a);
    }
    if (set.empty()) return;
    std::string list;
    for (const auto& a : set)
        list += (list.empty() ? "" : ", ") + a;
    skip(inst.address, fmt::format("not modelled, left out: {}", list));
}

TomlSection& Importer::add(Section s, const TfInstance& inst, const char* from_what) {
    consumed_.insert(&inst);
    emitted_.insert(&inst);
    TomlSection section(section_name(s), s != Section::Vpc);
    section.comment(from_what ? fmt::format("{} ({})", inst.address, from_what) : inst.address);
    auto& list = sections_[static_cast<int>(s)];
    list.push_back(std::move(section));
    return list.back();
}

TomlSection& Importer::add(Section s, const TfInstance& inst, TomlSection built) {
    consumed_.insert(&inst);
    emitted_.insert(&inst);
    built.comment_first(inst.address);
    return add_plain(s, std::move(built));
}

TomlSection& Importer::add_plain(Section s, TomlSection section) {
    auto& list = sections_[static_cast<int>(s)];
    list.push_back(std::move(section));
    return list.back();
}

std::string Importer::without_secrets(const TfInstance& td, const std::string& containers) {
    Json list = Json::parse(containers, nullptr, false);
    if (!list.is_array()) return containers;
    std::vector<std::string> hidden;
    for (Json& c : list) {
        Json* env = c.is_object() && c.contains("environment") ? &c["environment"] : nullptr;
        for (std::size_t i = 0; env && env->is_array() && i < env->size(); ++i) {
            Json& e = (*env)[i];
            std::string name = str(field(e, "name")).value_or("");
            std::string upper = name;
            std::transform(upper.begin(), upper.end(), upper.begin(),
                           [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
            const bool secret =
                std::any_of(std::begin(kSecretWords), std::end(kSecretWords),
                            [&](const char* w) { return upper.find(w) != std::string::npos; });
            if (!secret || !e.contains("value") || is_empty(e["value"])) continue;
            e["value"] = "REDACTED";
            hidden.push_back(name);
        }
    }
    if (hidden.empty()) return containers;
    std::string names;
    for (const auto& n : hidden)
        names += (names.empty() ? "" : ", ") + n;
    note(td, fmt::format("container_definitions: the value of {} is written as \"REDACTED\" (a "
                         "secret; stratus does not read environment values)",
                         names));
    return list.dump();
}

void Importer::set_tags(TomlSection& section, const TfInstance& inst) {
    const Json& tags = inst.at({"tags"});
    if (!tags.is_object() || tags.empty()) return;
    std::vector<std::pair<std::string, TomlValue>> entries;
    for (const auto& [k, v] : tags.items())
        if (v.is_string()) entries.emplace_back(k, toml_string(v.get<std::string>()));
    if (!entries.empty()) section.set("tags", toml_inline(entries));
}

void Importer::add_az(const std::string& az) {
    if (!az.empty()) azs_.insert(az);
}

// ---- the whole file ------------------------------------------------------------------------

ImportResult Importer::run() {
    std::string region_how;
    region_ = doc_.region(&region_how);
    assign_names();
    network();
    load_balancing();
    compute();
    storage_and_data();
    identity_and_access();
    profiles_in_use();
    ecs();
    alarms();
    report_leftovers();

    prune_unmodelled_alarms(region_how);
    // `skipped:` means not in the scenario: what is left out of a resource that is in it (an
    // attribute, a rule, an action) is a note.
    std::set<std::string> in_scenario;
    for (const TfInstance& inst : doc_.instances())
        if (emitted_.count(&inst)) in_scenario.insert(inst.address);
    for (Finding& f : findings_)
        if (f.kind == Finding::Skipped && in_scenario.count(f.address)) f.kind = Finding::Note;
    // A deposed object is not in the scenario, though the current object of its address is.
    for (const auto& [a, key] : doc_.deposed())
        skip(a, fmt::format("its deposed object `{}` (left by create_before_destroy; the next "
                            "apply destroys it) is left out; the current object is what is read",
                            key));
    std::string out;
    workload_and_header(out, region_, region_how);
    for (auto& f : inferred_)
        if (std::find_if(findings_.begin(), findings_.end(), [&](const Finding& g) {
                return g.address == f.address && g.message == f.message;
            }) == findings_.end())
            findings_.push_back(f);
    // Findings in the order of the file's resources, whole-file ones first.
    std::map<std::string, std::size_t> order;
    for (std::size_t i = 0; i < doc_.instances().size(); ++i)
        order.emplace(doc_.instances()[i].address, i + 1);
    std::stable_sort(findings_.begin(), findings_.end(), [&](const Finding& a, const Finding& b) {
        auto rank = [&](const Finding& f) {
            auto it = order.find(f.address);
            return it == order.end() ? (f.address.empty() ? 0 : order.size() + 1) : it->second;
        };
        return rank(a) < rank(b);
    });
    ImportResult result;
    result.scenario = std::move(out);
    result.findings = std::move(findings_);
    result.region = region_;
    return result;
}

// Alarms on metrics stratus does not publish cannot be written: the loader, which holds the
// list of modelled metrics, says which. They are taken out with its message.
void Importer::prune_unmodelled_alarms(const std::string& region_how) {
    auto& alarms = sections_[static_cast<int>(Section::CloudwatchMetricAlarm)];
    if (alarms.empty()) return;
    std::string text;
    const std::vector<Finding> saved = findings_;
    workload_and_header(text, region_, region_how);
    findings_ = saved;  // the header's notes are made again when the file is written
    try {
        scenario::load_text(text, "imported.toml");
        return;
    } catch (const scenario::ScenarioError& e) {
        for (const auto& d : e.diagnostics()) {
            const std::string prefix = "cloudwatch_metric_alarm[";
            if (d.key_path.rfind(prefix, 0) != 0) continue;
            const auto close = d.key_path.find("].");
            if (close == std::string::npos) continue;
            const std::string key = d.key_path.substr(close + 2);
            if (key != "namespace" && key != "metric_name") continue;
            const TomlValue name =
                toml_string(d.key_path.substr(prefix.size(), close - prefix.size()));
            for (auto it = alarms.begin(); it != alarms.end(); ++it) {
                const TomlValue* v = it->value("alarm_name");
                if (!v || v->text != name.text) continue;
                const std::string address = it->comments().empty() ? "" : it->comments().front();
                skip(address, "its metric is not one stratus publishes: " + d.message);
                for (const TfInstance& inst : doc_.instances())
                    if (inst.address == address) emitted_.erase(&inst);
                alarms.erase(it);
                break;
            }
        }
    }
}

void Importer::report_leftovers() {
    if (doc_.data_sources() > 0)
        note("", fmt::format("{} data source{} ignored: they read infrastructure that is not in "
                             "the file",
                             doc_.data_sources(), doc_.data_sources() == 1 ? "" : "s"));
    for (const auto& a : doc_.destroyed())
        skip(a, "the plan destroys it");
    for (const auto& a : doc_.without_instances())
        skip(a,
             doc_.kind() == TfKind::Plan
                 ? "declared with no instances (count = 0 or an empty for_each): nothing to import"
                 : "no instances in the state (count = 0, an empty for_each, or destroyed): "
                   "nothing to import");
    for (const TfInstance& inst : doc_.instances()) {
        if (consumed_.count(&inst)) continue;
        std::string why = fmt::format("resource type `{}` is not modelled by stratus", inst.type);
        for (const auto& k : kKnownSkips)
            if (inst.type.rfind(k.prefix, 0) == 0) {
                why = k.why;
                break;
            }
        skip(inst, why);
    }
}

namespace {

// The target groups a scenario's Auto Scaling groups and ECS services register targets in.
std::set<std::string> served_target_groups(const toml::table& scenario) {
    std::set<std::string> served;
    if (const auto* groups = scenario["autoscaling_group"].as_array())
        for (const auto& g : *groups)
            if (const auto* tgs =
                    g.as_table() ? (*g.as_table())["target_groups"].as_array() : nullptr)
                for (const auto& tg : *tgs)
                    served.insert(tg.value_or(std::string()));
    if (const auto* services = scenario["ecs_service"].as_array())
        for (const auto& s : *services)
            if (const auto* lbs =
                    s.as_table() ? (*s.as_table())["load_balancer"].as_array() : nullptr)
                for (const auto& lb : *lbs)
                    if (const auto* t = lb.as_table())
                        served.insert((*t)["target_group"].value_or(std::string()));
    return served;
}

}  // namespace

// Load balancers whose listeners forward to a target group that something serves go first:
// the [[workload]] placeholder's is then one whose requests get an answer.
void Importer::served_first(const std::string& scenario, std::vector<std::string>& lbs) const {
    toml::table t;
    try {
        t = toml::parse(scenario);
    } catch (const toml::parse_error&) {
        return;  // the file is checked after the import, with the positions
    }
    const std::set<std::string> served = served_target_groups(t);
    std::set<std::string> answering;
    if (const auto* listeners = t["lb_listener"].as_array())
        for (const auto& l : *listeners) {
            const auto* lt = l.as_table();
            if (!lt) continue;
            std::vector<std::string> groups{(*lt)["target_group"].value_or(std::string())};
            if (const auto* fwd = (*lt)["default_action"][0]["forward"]["target_group"].as_array())
                for (const auto& g : *fwd)
                    if (g.as_table()) groups.push_back((*g.as_table())["arn"].value_or(""));
            for (const auto& g : groups)
                if (served.count(g)) answering.insert((*lt)["load_balancer"].value_or(""));
        }
    std::stable_partition(lbs.begin(), lbs.end(),
                          [&](const std::string& lb) { return answering.count(lb) > 0; });
}

void Importer::workload_and_header(std::string& out, const std::string& region,
                                   const std::string& region_how) {
    const std::string stem = std::filesystem::path(file_).stem().string();
    out += fmt::format(
        "# Imported by `stratus import terraform` from {} ({}, format {}{}).\n",
        std::filesystem::path(file_).filename().string(), doc_.kind_text(), doc_.format_version(),
        doc_.terraform_version().empty() ? "" : ", Terraform " + doc_.terraform_version());
    out +=
        "# Each section names the Terraform address it came from; what was left out is listed\n"
        "# on stderr. Terraform does not know the traffic: fill in the [[workload]] at the\n"
        "# end, then `stratus validate` and `stratus run` this file.\n\n";
    TomlSection sim("simulation", false);
    sim.set("name", toml_string(stem.empty() ? "imported" : stem));
    sim.set("duration", toml_string(kDefaultDuration), "how long to simulate: choose");
    out += sim.render() + "\n";
    TomlSection reg("region", false);
    if (region.empty()) {
        reg.comment("No region found (no provider block, ARN or availability zone states one):");
        reg.comment("stratus's default region applies; set `name` to yours.");
    } else {
        reg.comment("From " + region_how + ".");
        reg.set("name", toml_string(region));
    }
    // A Multi-AZ DB instance needs a second zone for its standby; when the file names only
    // one (its subnet group's subnets are not in it), the region's next zone stands in.
    if (!multi_az_dbs_.empty() && azs_.size() == 1 && !region.empty())
        for (const auto& z : scenario::region_default_zones(region))
            if (azs_.insert(z).second) {
                note(multi_az_dbs_.front(),
                     fmt::format("Multi-AZ: the zone of its standby is not in the file (nor are "
                                 "its subnet group's subnets): `{}` is added to the region's "
                                 "zones for it",
                                 z));
                break;
            }
    if (!azs_.empty()) {
        reg.set("availability_zones",
                toml_strings(std::vector<std::string>(azs_.begin(), azs_.end())),
                "the zones the resources use");
        for (const auto& az : azs_)
            if (!region.empty() && az.rfind(region, 0) != 0)
                note("", fmt::format("availability zone `{}` is not in region `{}`", az, region));
    }
    out += reg.render();
    for (const auto& list : sections_)
        for (const auto& s : list)
            out += "\n" + s.render();

    // The traffic placeholder: the first load balancer with a listener, served first.
    served_first(out, lbs_with_listener);
    out +=
        "\n# The traffic: Terraform does not know it. Fill in the rate (requests per second, a\n"
        "# number or a shape such as { shape = \"diurnal\", min = 50, max = 400 }, or a\n"
        "# CloudWatch export) and the service time per request on your instances.\n";
    if (lbs_with_listener.empty()) {
        out +=
            "# No load balancer with a listener was imported, so the workload has nothing to\n"
            "# send requests to; add one, or name a load balancer you add by hand.\n"
            "# [[workload]]\n# name = \"traffic\"\n# load_balancer = \"...\"\n# rate = 0\n";
        note("", "no load balancer with a listener: the [[workload]] placeholder is commented out");
        return;
    }
    TomlSection w("workload", true);
    w.set("name", toml_string("traffic"));
    w.set("load_balancer", toml_string(lbs_with_listener.front()));
    w.set("rate", toml_number(0), "FILL IN: requests per second");
    w.set("service_time",
          toml_inline({{"dist", toml_string("exponential")}, {"mean", toml_string("50ms")}}),
          "FILL IN: CPU time per request");
    if (lbs_with_listener.size() > 1)
        w.comment(
            fmt::format("Other load balancers with listeners: {} (add a [[workload]] each)", [&] {
                std::string s;
                for (std::size_t i = 1; i < lbs_with_listener.size(); ++i)
                    s += (i > 1 ? ", " : "") + lbs_with_listener[i];
                return s;
            }()));
    out += w.render();
}

}  // namespace detail
}  // namespace stratus::tfimport
