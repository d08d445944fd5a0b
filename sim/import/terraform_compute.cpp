// Compute and the rest: aws_launch_template and aws_launch_configuration -> [[launch_template]];
// aws_autoscaling_group (launch template, mixed instances, subnets, target groups, Classic Load
// Balancers, tags) -> [[autoscaling_group]]; aws_autoscaling_policy (every type) ->
// [[autoscaling_policy]]; aws_cloudwatch_metric_alarm -> [[cloudwatch_metric_alarm]];
// aws_autoscaling_schedule -> [[autoscaling_schedule]]; aws_instance -> [[instance]]; aws_eip,
// aws_ebs_volume, aws_db_instance, aws_s3_bucket -> their sections.
#include <algorithm>

#include <fmt/format.h>

#include "sim/import/importer.hpp"
#include "sim/scenario/settings.hpp"

namespace stratus::tfimport::detail {
namespace {

const std::vector<std::string> kLt = {"aws_launch_template"};
const std::vector<std::string> kLc = {"aws_launch_configuration"};
const std::vector<std::string> kPolicy = {"aws_autoscaling_policy"};
// Alarms also invoke Application Auto Scaling step scaling policies and watch ECS services.
const std::vector<std::string> kAlarmActions = {"aws_autoscaling_policy",
                                                "aws_appautoscaling_policy"};

bool utc_form(const std::string& t) {
    return t.size() == 20 && t[4] == '-' && t[10] == 'T' && t.back() == 'Z';
}

std::string join(const std::vector<std::string>& list) {
    std::string out;
    for (const auto& s : list)
        out += (out.empty() ? "" : ", ") + s;
    return out;
}

const Json& first(const Json& v) {
    return first_block(v);
}

bool contains(const std::vector<std::string>& list, const std::string& s) {
    return std::find(list.begin(), list.end(), s) != list.end();
}

}  // namespace

// "2025-03-01T09:00:00Z" < "2026-01-05T00:00:00Z", for UTC times in that exact form: an RFC
// 3339 UTC time before the run's start cannot be written as a time point of the run.
bool before_default_start(const std::string& t) {
    return utc_form(t) && t < kDefaultStart;
}

bool after_default_end(const std::string& t) {
    return utc_form(t) && t >= kDefaultEnd;
}

const Json& first_block(const Json& v) {
    static const Json kNull;
    if (v.is_array()) return v.empty() ? kNull : v[0];
    return v.is_object() ? v : kNull;
}

void Importer::compute() {
    launch_templates();
    launch_configurations();
    autoscaling_groups();
    policies();
    schedules();
    instances();
}

void Importer::storage_and_data() {
    addresses_and_volumes();
    databases();
    reserved_db_instances();
    buckets();
    bucket_lifecycles();
    bucket_policies();
    bucket_acls();
    bucket_access_settings();
    bucket_inline_settings();
}

// T2 launches in standard mode, T3/T3a/T4g in unlimited: a launch template that says otherwise
// is written as the type's [[instance_type]] credit_specification.
void Importer::credit_specification(const TfInstance& from, const std::string& instance_type,
                                    const Json& credits) {
    const auto mode = str(credits);
    if (!mode || mode->empty()) return;
    const bool t2 = instance_type.rfind("t2.", 0) == 0;
    const std::string default_mode = t2 ? "standard" : "unlimited";
    if (*mode == default_mode || instance_type.empty() || instance_type[0] != 't') return;
    auto it = credit_choice_.find(instance_type);
    if (it != credit_choice_.end()) {
        if (it->second != *mode)
            note(from, fmt::format("cpu_credits \"{}\" conflicts with another template's \"{}\" "
                                   "for {}: stratus sets it per instance type, the first is kept",
                                   *mode, it->second, instance_type));
        return;
    }
    credit_choice_[instance_type] = *mode;
    TomlSection s("instance_type", true);
    s.comment(from.address + " (its credit_specification)");
    s.set("name", toml_string(instance_type));
    s.set("credit_specification", toml_string(*mode));
    add_plain(Section::InstanceType, std::move(s));
}

// A template's instance type, or the first override of a mixed instances group that uses a
// template without one (as AWS launches the overrides' types).
std::string Importer::template_type(const TfInstance& template_) {
    const TfInstance* lt = &template_;
    std::string type = str(lt->at({"instance_type"})).value_or("");
    if (type.empty()) {
        // Mixed instances groups may leave the type to their overrides.
        for (const TfInstance* g : of_type(kAsg)) {
            const Path spec = {"mixed_instances_policy",        0, "launch_template", 0,
                               "launch_template_specification", 0};
            Path id = spec, name = spec;
            id.emplace_back("launch_template_id");
            name.emplace_back("launch_template_name");
            if (refer_one(*g, id, kLt, {"id"}) != lt && refer_one(*g, name, kLt, {"name"}) != lt)
                continue;
            const Json& o = g->at({"mixed_instances_policy", 0, "launch_template", 0, "override", 0,
                                   "instance_type"});
            if (o.is_string() && !o.get<std::string>().empty()) {
                type = o.get<std::string>();
                note(*lt, fmt::format("no instance_type: the first override of {} ({}) is "
                                      "written, as AWS launches the overrides' types",
                                      g->address, type));
                return type;
            }
        }
    }
    return type;
}

void Importer::launch_templates() {
    for (const TfInstance* lt : of_type(kLt)) {
        const std::string type = template_type(*lt);
        if (type.empty()) {
            skip(*lt, "no instance_type (attribute-based selection is not modelled)");
            continue;
        }
        TomlSection& s = add(Section::LaunchTemplate, *lt);
        s.set("name", toml_string(name_of(*lt)));
        s.set("instance_type", toml_string(type));
        const Json& eni = first(lt->at({"network_interfaces"}));
        std::vector<const TfInstance*> sgs;
        std::vector<std::string> lost;
        if (eni.is_object() && !is_empty(field(eni, "security_groups")))
            sgs = refer(*lt, {"network_interfaces", 0, "security_groups"}, kSg, {"id"}, &lost);
        if (sgs.empty() && lost.empty())
            sgs = refer(*lt, {"vpc_security_group_ids"}, kSg, {"id"}, &lost);
        if (sgs.empty() && lost.empty())
            sgs = refer(*lt, {"security_group_names"}, kSg, {"name"}, &lost);
        if (!emitted_names(sgs).empty()) s.set("security_groups", toml_strings(emitted_names(sgs)));
        note_lost_groups(*lt, sgs, lost);
        if (eni.is_object())
            if (auto pub = boolean(field(eni, "associate_public_ip_address")); pub && *pub)
                s.set("associate_public_ip_address", toml_bool(true));
        // The root volume: the mapping of the AMI's root device, or the only one.
        const Json& maps = lt->at({"block_device_mappings"});
        std::optional<long long> root_gb;
        for (std::size_t i = 0; maps.is_array() && i < maps.size(); ++i) {
            const auto size = integer(field(first(field(maps[i], "ebs")), "volume_size"));
            const std::string dev = str(field(maps[i], "device_name")).value_or("");
            if (size && (dev == "/dev/xvda" || dev == "/dev/sda1" || maps.size() == 1))
                root_gb = size;
        }
        if (root_gb)
            s.set("ebs_gb", toml_int(*root_gb));
        else
            note(*lt,
                 "the root volume's size is the AMI's, which Terraform does not state: "
                 "stratus's default 8 GB is billed");
        if (auto v = integer(lt->at({"latest_version"})); v && *v > 1)
            s.set("version", toml_int(*v));
        // Instance tags come from the tag specifications, not from the template's own tags.
        std::vector<std::pair<std::string, TomlValue>> tags;
        for (const auto& spec : lt->at({"tag_specifications"}))
            if (str(field(spec, "resource_type")).value_or("") == "instance" &&
                spec.contains("tags") && spec["tags"].is_object())
                for (const auto& [k, v] : spec["tags"].items())
                    if (v.is_string()) tags.emplace_back(k, toml_string(v.get<std::string>()));
        if (!tags.empty()) s.set("tags", toml_inline(tags));
        credit_specification(*lt, type,
                             field(first(lt->at({"credit_specification"})), "cpu_credits"));
        if (!is_empty(field(first(lt->at({"instance_market_options"})), "market_type")))
            skip(lt->address,
                 "instance_market_options (Spot through the template) is not "
                 "modelled: the instances are On-Demand unless a group's "
                 "mixed_instances_policy asks for Spot");
        unmodelled(*lt, {"image_id", "user_data", "key_name", "monitoring", "metadata_options",
                         "ebs_optimized", "placement", "cpu_options", "disable_api_termination",
                         "instance_initiated_shutdown_behavior", "kernel_id", "ram_disk_id",
                         "license_specification", "enclave_options", "hibernation_options",
                         "capacity_reservation_specification", "maintenance_options",
                         "private_dns_name_options", "instance_requirements"});
    }
}

void Importer::launch_configurations() {
    for (const TfInstance* lc : of_type(kLc)) {
        const std::string type = str(lc->at({"instance_type"})).value_or("");
        if (type.empty()) {
            skip(*lc, "no instance_type");
            continue;
        }
        TomlSection& s = add(Section::LaunchTemplate, *lc,
                             "a launch configuration: stratus "
                             "models it as a launch template");
        s.set("name", toml_string(name_of(*lc)));
        s.set("instance_type", toml_string(type));
        std::vector<std::string> lost;
        const auto groups = refer(*lc, {"security_groups"}, kSg, {"id", "name"}, &lost);
        const auto sgs = emitted_names(groups);
        if (!sgs.empty()) s.set("security_groups", toml_strings(sgs));
        note_lost_groups(*lc, groups, lost);
        if (boolean(lc->at({"associate_public_ip_address"})).value_or(false))
            s.set("associate_public_ip_address", toml_bool(true));
        if (auto gb = integer(field(first(lc->at({"root_block_device"})), "volume_size")))
            s.set("ebs_gb", toml_int(*gb));
        else
            note(*lc,
                 "the root volume's size is the AMI's, which Terraform does not state: "
                 "stratus's default 8 GB is billed");
        if (!is_empty(lc->at({"spot_price"})))
            skip(lc->address,
                 "spot_price (Spot Instances from a launch configuration) is not "
                 "modelled: the group's instances are On-Demand");
        unmodelled(*lc, {"image_id", "user_data", "user_data_base64", "key_name", "ebs_optimized",
                         "placement_tenancy", "metadata_options", "ebs_block_device",
                         "ephemeral_block_device"});
    }
}

const TfInstance* Importer::group_template(const TfInstance& asg, Json* version) const {
    const Path direct = {"launch_template", 0};
    const Path mixed = {"mixed_instances_policy",        0, "launch_template", 0,
                        "launch_template_specification", 0};
    // A group has either; the provider marks the absent launch_template unknown in a plan
    // (computed), which must not make the direct block look like a dynamic one to resolve.
    const bool mixed_first = !is_empty(asg.at({"mixed_instances_policy"}));
    for (const Path& base :
         mixed_first ? std::vector<Path>{mixed} : std::vector<Path>{direct, mixed}) {
        const bool is_direct = base.size() == 2;
        Path id = base, name = base, ver = base;
        id.emplace_back(is_direct ? "id" : "launch_template_id");
        name.emplace_back(is_direct ? "name" : "launch_template_name");
        ver.emplace_back("version");
        const TfInstance* lt = refer_one(asg, id, kLt, {"id"});
        if (!lt) lt = refer_one(asg, name, kLt, {"name"});
        if (lt) {
            if (version) *version = asg.is_unknown(ver) ? Json() : asg.at(ver);
            return lt;
        }
    }
    return refer_one(asg, {"launch_configuration"}, kLc, {"name", "id"});
}

void Importer::group_launch_template(TomlSection& s, const TfInstance& asg) {
    Json version;
    const TfInstance* lt = group_template(asg, &version);
    if (!emitted(lt)) return;
    s.set("launch_template", toml_string(name_of(*lt)));
    if (lt->type != "aws_launch_template") return;
    const long long latest = integer(lt->at({"latest_version"})).value_or(1);
    const std::string v = version.is_string() ? version.get<std::string>() : version.dump();
    if (version.is_null() || v.empty() || v == "$Latest") return;
    if (v == "$Default") {
        const auto def = integer(lt->at({"default_version"}));
        if (def && *def != latest)
            note(asg, fmt::format("uses the template's $Default version ({}); only the latest "
                                  "version ({}) is imported",
                                  *def, latest));
        return;
    }
    if (integer(version) == latest) {
        if (latest > 1) s.set("launch_template_version", toml_int(latest));
    } else {
        note(asg, fmt::format("uses launch template version {}; only the latest version ({}) is "
                              "imported",
                              v, latest));
    }
}

void Importer::group_mixed_instances(TomlSection& s, const TfInstance& asg) {
    const Json& mip = first(asg.at({"mixed_instances_policy"}));
    if (!mip.is_object()) return;
    const Json& d = first(field(mip, "instances_distribution"));
    std::vector<std::pair<std::string, TomlValue>> entries;
    if (auto v = integer(field(d, "on_demand_base_capacity")))
        entries.emplace_back("on_demand_base_capacity", toml_int(*v));
    if (auto v = integer(field(d, "on_demand_percentage_above_base_capacity")))
        entries.emplace_back("on_demand_percentage_above_base_capacity", toml_int(*v));
    const std::string strategy =
        d.is_object() ? str(field(d, "spot_allocation_strategy")).value_or("") : "";
    if (strategy == "lowest-price" || strategy == "capacity-optimized" ||
        strategy == "price-capacity-optimized") {
        entries.emplace_back("spot_allocation_strategy", toml_string(strategy));
    } else if (strategy == "capacity-optimized-prioritized") {
        entries.emplace_back("spot_allocation_strategy", toml_string("capacity-optimized"));
        note(asg,
             "spot_allocation_strategy capacity-optimized-prioritized is written as "
             "capacity-optimized (the overrides' priority is not modelled)");
    } else if (!strategy.empty()) {
        skip(asg.address, fmt::format("spot_allocation_strategy `{}` is not modelled", strategy));
    }
    if (auto v = integer(field(d, "spot_instance_pools")); v && *v > 0)
        entries.emplace_back("spot_instance_pools", toml_int(*v));
    if (d.is_object() && !is_empty(field(d, "spot_max_price")))
        skip(asg.address, "spot_max_price is not modelled: Spot Instances pay the pool's price");
    if (d.is_object() &&
        str(field(d, "on_demand_allocation_strategy")).value_or("prioritized") != "prioritized")
        skip(asg.address,
             "on_demand_allocation_strategy lowest-price is not modelled: On-Demand "
             "Instances take the overrides in order");
    std::vector<std::string> types;
    const Json& overrides = field(first(field(mip, "launch_template")), "override");
    for (const auto& o : overrides) {
        const auto t = str(field(o, "instance_type"));
        if (t && !t->empty() && !contains(types, *t)) types.push_back(*t);
        const auto w = str(field(o, "weighted_capacity"));
        if (w && !w->empty() && *w != "1")
            skip(asg.address, fmt::format("weighted_capacity {} of {} is not modelled: each "
                                          "instance counts as 1",
                                          *w, t.value_or("an override")));
        if (!is_empty(field(o, "instance_requirements")))
            skip(asg.address,
                 "attribute-based instance type selection (instance_requirements) "
                 "is not modelled");
        if (!is_empty(field(o, "launch_template_specification")))
            skip(asg.address,
                 "an override's own launch template is not modelled: every type "
                 "launches from the group's template");
    }
    if (!types.empty()) entries.emplace_back("instance_types", toml_strings(types));
    s.set("mixed_instances_policy", toml_inline(entries));
}

void Importer::group_tags(TomlSection& s, const TfInstance& asg) {
    std::vector<std::pair<std::string, TomlValue>> tags;
    std::vector<std::string> kept_back;
    for (const char* attribute : {"tag", "tags"}) {
        const Json& list = asg.at({attribute});
        if (!list.is_array()) continue;
        for (const auto& t : list) {
            if (!t.is_object()) continue;
            const auto key = str(field(t, "key"));
            const auto value = str(field(t, "value"));
            if (!key || !value) continue;
            if (boolean(field_or(t, "propagate_at_launch", Json(true))).value_or(true))
                tags.emplace_back(*key, toml_string(*value));
            else
                kept_back.push_back(*key);
        }
    }
    if (!tags.empty()) s.set("tags", toml_inline(tags), "the tags propagated at launch");
    if (!kept_back.empty())
        skip(asg.address, fmt::format("tags not propagated at launch are left out (a group's tags "
                                      "label its instances in stratus): {}",
                                      join(kept_back)));
}

// Target groups: its own ARNs, Classic Load Balancers by name, traffic sources, attachments.
std::vector<std::string> Importer::group_target_group_names(const TfInstance& group,
                                                            TomlSection& out) {
    const TfInstance* g = &group;
    std::vector<std::string> tgs, how;
    std::vector<std::string> missing;
    for (const TfInstance* tg : refer(*g, {"target_group_arns"}, kTg, {"arn"}, &missing))
        if (emitted(tg) && !contains(tgs, name_of(*tg))) tgs.push_back(name_of(*tg));
    if (!tgs.empty()) how.push_back("target_group_arns");
    const std::size_t before_elb = tgs.size();
    for (const TfInstance* elb : refer(*g, {"load_balancers"}, {"aws_elb"}, {"name"}, &missing))
        if (emitted(elb)) tgs.push_back(elb_target_group[name_of(*elb)]);
    if (tgs.size() > before_elb) how.push_back("load_balancers (Classic)");
    const std::size_t before_sources = tgs.size();
    for (std::size_t i = 0; i < g->at({"traffic_source"}).size(); ++i)
        for (const TfInstance* tg :
             refer(*g, {"traffic_source", i, "identifier"}, kTg, {"arn"}, &missing))
            if (emitted(tg) && !contains(tgs, name_of(*tg))) tgs.push_back(name_of(*tg));
    if (tgs.size() > before_sources) how.push_back("traffic_source");
    for (const auto& tg : group_target_groups[g])
        if (!contains(tgs, tg)) tgs.push_back(tg);
    for (const auto& a : attached_by[g])
        how.push_back(a);
    for (const auto& m : missing)
        skip(g->address, fmt::format("load balancer or target group `{}` is not in the file", m));
    if (!tgs.empty()) out.set("target_groups", toml_strings(tgs), join(how));
    return tgs;
}

void Importer::autoscaling_groups() {
    for (const TfInstance* g : of_type(kAsg)) {
        if (!emitted(group_template(*g, nullptr))) {
            skip(*g, "its launch template or launch configuration is not imported");
            continue;
        }
        TomlSection& out = add(Section::AutoscalingGroup, *g);
        out.set("name", toml_string(name_of(*g)));
        group_launch_template(out, *g);
        for (const char* k : {"min_size", "max_size", "desired_capacity"})
            if (auto v = integer(g->at({k}))) out.set(k, toml_int(*v));
        std::vector<std::string> lost;
        const auto subnets = refer(*g, {"vpc_zone_identifier"}, kSubnet, {"id"}, &lost);
        if (!emitted_names(subnets).empty()) {
            out.set("subnets", toml_strings(emitted_names(subnets)), "vpc_zone_identifier");
        } else {
            std::vector<std::string> zones;
            for (const TfInstance* sn : subnets)
                if (subnet_az.count(sn) && !contains(zones, subnet_az[sn]))
                    zones.push_back(subnet_az[sn]);
            if (zones.empty()) zones = strings(g->at({"availability_zones"}));
            if (!zones.empty()) out.set("availability_zones", toml_strings(zones));
            for (const auto& z : zones)
                add_az(z);
        }
        for (const auto& id : lost)
            skip(g->address, fmt::format("subnet `{}` is not in the file", id));
        const std::vector<std::string> tgs = group_target_group_names(*g, out);
        const std::string hc = str(g->at({"health_check_type"})).value_or("EC2");
        if (hc == "ELB" || hc == "EC2") {
            if (hc == "ELB") out.set("health_check_type", toml_string(hc));
            if (hc == "ELB" && tgs.empty())
                note(*g,
                     "health_check_type is ELB without a load balancer, as written: AWS then "
                     "checks EC2 status only");
        } else {
            skip(g->address, fmt::format("health_check_type `{}` is not modelled", hc));
        }
        for (const char* k : {"health_check_grace_period", "default_cooldown"})
            if (auto v = integer(g->at({k}))) out.set(k, toml_int(*v));
        if (auto v = integer(g->at({"default_instance_warmup"})); v && *v > 0)
            out.set("default_instance_warmup", toml_int(*v));
        static const std::vector<std::string> kPolicies = {"Default",
                                                           "OldestInstance",
                                                           "NewestInstance",
                                                           "OldestLaunchConfiguration",
                                                           "OldestLaunchTemplate",
                                                           "ClosestToNextInstanceHour",
                                                           "AllocationStrategy"};
        std::vector<std::string> policies;
        for (const auto& p : strings(g->at({"termination_policies"})))
            if (contains(kPolicies, p))
                policies.push_back(p);
            else
                skip(g->address, fmt::format("termination policy `{}` is not modelled", p));
        if (!policies.empty()) out.set("termination_policies", toml_strings(policies));
        for (const char* k : {"protect_from_scale_in", "capacity_rebalance"})
            if (boolean(g->at({k})).value_or(false)) out.set(k, toml_bool(true));
        group_mixed_instances(out, *g);
        group_tags(out, *g);
        unmodelled(*g,
                   {"enabled_metrics", "max_instance_lifetime", "suspended_processes",
                    "placement_group", "service_linked_role_arn", "warm_pool", "instance_refresh",
                    "min_elb_capacity", "wait_for_elb_capacity", "initial_lifecycle_hook",
                    "instance_maintenance_policy", "desired_capacity_type", "context"});
    }
}

void Importer::policies() {
    for (const TfInstance* p : of_type(kPolicy)) {
        const TfInstance* g = refer_one(*p, {"autoscaling_group_name"}, kAsg, {"name", "id"});
        if (!emitted(g)) {
            skip(*p, "its Auto Scaling group is not imported");
            continue;
        }
        const std::string type = str(p->at({"policy_type"})).value_or("SimpleScaling");
        if (type == "PredictiveScaling") {
            skip(*p, "predictive scaling is not modelled");
            continue;
        }
        if (!boolean(p->at({"enabled"})).value_or(true)) {
            skip(*p, "the policy is disabled (enabled = false)");
            continue;
        }
        TomlSection s("autoscaling_policy", true);
        s.set("name", toml_string(name_of(*p)));
        s.set("autoscaling_group", toml_string(name_of(*g)));
        s.set("policy_type", toml_string(type));
        if (type == "TargetTrackingScaling") {
            const Json& tt = first(p->at({"target_tracking_configuration"}));
            const Json& pre = first(field(tt, "predefined_metric_specification"));
            const std::string metric =
                pre.is_object() ? str(field(pre, "predefined_metric_type")).value_or("") : "";
            // The predefined metrics the model tracks: the grammar's choices for the key.
            static const std::vector<std::string>& kMetrics =
                scenario::find_key("autoscaling_policy",
                                   "target_tracking_configuration.predefined_metric_type")
                    ->choices;
            if (!contains(kMetrics, metric)) {
                skip(*p, metric.empty()
                             ? "target tracking on a customized metric is not modelled"
                             : fmt::format("target tracking on {} is not modelled", metric));
                continue;
            }
            std::vector<std::pair<std::string, TomlValue>> entries{
                {"predefined_metric_type", toml_string(metric)}};
            if (auto v = number(field(tt, "target_value")))
                entries.emplace_back("target_value", toml_number(*v));
            if (boolean(tt.value("disable_scale_in", Json(false))).value_or(false))
                entries.emplace_back("disable_scale_in", toml_bool(true));
            s.set("target_tracking_configuration", toml_inline(entries));
        } else {
            if (auto a = str(p->at({"adjustment_type"})); a && !a->empty())
                s.set("adjustment_type", toml_string(*a));
            if (type == "SimpleScaling")
                if (auto v = integer(p->at({"scaling_adjustment"})))
                    s.set("scaling_adjustment", toml_int(*v));
            if (auto v = integer(p->at({"min_adjustment_magnitude"})); v && *v > 0)
                s.set("min_adjustment_magnitude", toml_int(*v));
        }
        const bool cooldown_written = p->config && !p->expression({"cooldown"}).is_null();
        if (auto v = integer(p->at({"cooldown"}));
            v && (*v > 0 || cooldown_written) && type == "SimpleScaling")
            s.set("cooldown", toml_int(*v));
        // The provider sends a written 0 (GetOkExists): a warm-up of 0, new instances count at
        // once; an omitted one reads back as 0 and is no warm-up of the policy's own.
        const bool warmup_written =
            p->config && !p->expression({"estimated_instance_warmup"}).is_null();
        if (auto v = integer(p->at({"estimated_instance_warmup"}));
            v && (*v > 0 || (*v == 0 && warmup_written)))
            s.set("estimated_instance_warmup", toml_int(*v));
        if (type == "StepScaling") {
            std::vector<TomlValue> steps;
            for (const auto& st : p->at({"step_adjustment"})) {
                std::vector<std::pair<std::string, TomlValue>> e;
                for (const char* k : {"metric_interval_lower_bound", "metric_interval_upper_bound"})
                    if (auto v = number(field(st, k))) e.emplace_back(k, toml_number(*v));
                if (auto v = integer(field(st, "scaling_adjustment")))
                    e.emplace_back("scaling_adjustment", toml_int(*v));
                steps.push_back(toml_inline(e));
            }
            if (!steps.empty()) s.set("step_adjustment", toml_array(steps));
            const std::string aggregation =
                str(p->at({"metric_aggregation_type"})).value_or("Average");
            if (!aggregation.empty() && aggregation != "Average")
                s.set("metric_aggregation_type", toml_string(aggregation));
        }
        add(Section::AutoscalingPolicy, *p, std::move(s));
    }
}

// Dimensions name the group, load balancer or target group as AWS does (a name, an ARN
// suffix); the scenario names them by their scenario names. Returns why they cannot be
// written, or "".
std::string Importer::alarm_dimensions(const TfInstance& alarm,
                                       std::vector<std::pair<std::string, TomlValue>>& dims) {
    const std::vector<std::string> lbs = {"aws_lb", "aws_alb"};
    const TfInstance* a = &alarm;
    const Json& given = a->at({"dimensions"});
    const Resolved refs =
        doc_.resolve(*a, {"dimensions"},
                     {"aws_autoscaling_group", "aws_lb", "aws_alb", "aws_lb_target_group",
                      "aws_alb_target_group", "aws_ecs_cluster", "aws_ecs_service",
                      "aws_ecs_capacity_provider"});
    // The keys: known ones, those unknown until apply, or (a map unknown as a whole) one
    // per resource the configuration refers to.
    Json all = given.is_object() ? given : Json::object();
    if (const Json& u = field(a->unknown, "dimensions"); u.is_object()) {
        for (const auto& [k, v] : u.items())
            if (!all.contains(k)) all[k] = nullptr;
    }
    if (all.empty())
        for (const TfInstance* i : refs.instances)
            all[i->type == "aws_autoscaling_group"       ? "AutoScalingGroupName"
                : i->type == "aws_ecs_cluster"           ? "ClusterName"
                : i->type == "aws_ecs_service"           ? "ServiceName"
                : i->type == "aws_ecs_capacity_provider" ? "CapacityProviderName"
                : contains(kTg, i->type)                 ? "TargetGroup"
                                                         : "LoadBalancer"] = nullptr;
    for (const auto& [key, value] : all.items()) {
        const std::vector<std::string>* types = nullptr;
        std::vector<std::string> keys;
        if (key == "AutoScalingGroupName") {
            types = &kAsg;
            keys = {"name"};
        } else if (key == "LoadBalancer") {
            types = &lbs;
            keys = {"arn_suffix", "name"};
        } else if (key == "TargetGroup") {
            types = &kTg;
            keys = {"arn_suffix", "name"};
        } else if (key == "ClusterName") {
            types = &kEcsCluster;
            keys = {"name"};
        } else if (key == "ServiceName") {
            types = &kEcsService;
            keys = {"name"};
        } else if (key == "CapacityProviderName") {
            types = &kEcsCapacityProvider;
            keys = {"name"};
        } else {
            return fmt::format("its dimension {} is not modelled", key);
        }
        const TfInstance* found = nullptr;
        for (const TfInstance* i : of_type(*types))
            for (const auto& k : keys)
                if (value.is_string() && i->at({k}) == value) found = i;
        if (!found)
            for (const TfInstance* i : refs.instances)
                if (contains(*types, i->type)) found = i;
        if (!emitted(found)) {
            return fmt::format("its dimension {} = {} is not an imported resource", key,
                               value.is_string() ? value.get<std::string>() : "(unknown)");
        }
        dims.emplace_back(key, toml_string(name_of(*found)));
    }
    return "";
}

void Importer::alarms() {
    for (const TfInstance* a : of_type({"aws_cloudwatch_metric_alarm"})) {
        if (!is_empty(a->at({"metric_query"}))) {
            skip(*a, "a metric math alarm (metric_query) is not modelled");
            continue;
        }
        if (!is_empty(a->at({"threshold_metric_id"}))) {
            skip(*a, "an anomaly detection alarm (threshold_metric_id) is not modelled");
            continue;
        }
        static const std::vector<std::string> kOperators = {
            "GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold",
            "LessThanOrEqualToThreshold"};
        const std::string op = str(a->at({"comparison_operator"})).value_or("");
        if (!contains(kOperators, op)) {
            skip(*a, fmt::format("comparison_operator `{}` is not modelled", op));
            continue;
        }
        std::vector<std::pair<std::string, TomlValue>> dims;
        const std::string lost = alarm_dimensions(*a, dims);
        if (!lost.empty()) {
            skip(*a, lost);
            continue;
        }
        TomlSection s("cloudwatch_metric_alarm", true);
        s.set("alarm_name", toml_string(name_of(*a)));
        s.set("namespace", toml_string(str(a->at({"namespace"})).value_or("")));
        s.set("metric_name", toml_string(str(a->at({"metric_name"})).value_or("")));
        if (!dims.empty()) s.set("dimensions", toml_inline(dims));
        if (auto st = str(a->at({"statistic"})); st && !st->empty())
            s.set("statistic", toml_string(*st));
        if (auto st = str(a->at({"extended_statistic"})); st && !st->empty())
            s.set("extended_statistic", toml_string(*st));
        for (const char* k : {"period", "evaluation_periods"})
            if (auto v = integer(a->at({k}))) s.set(k, toml_int(*v));
        if (auto v = integer(a->at({"datapoints_to_alarm"})); v && *v > 0)
            s.set("datapoints_to_alarm", toml_int(*v));
        s.set("comparison_operator", toml_string(op));
        if (auto v = number(a->at({"threshold"}))) s.set("threshold", toml_number(*v));
        if (auto t = str(a->at({"treat_missing_data"})); t && !t->empty() && *t != "missing")
            s.set("treat_missing_data", toml_string(*t));
        const bool enabled = boolean(a->at({"actions_enabled"})).value_or(true);
        for (const char* key : {"alarm_actions", "ok_actions"}) {
            std::vector<std::string> other;
            const auto policies = emitted_names(refer(*a, {key}, kAlarmActions, {"arn"}, &other));
            if (!enabled && (!policies.empty() || !other.empty())) {
                skip(a->address, fmt::format("{} are disabled (actions_enabled = false)", key));
                continue;
            }
            if (!policies.empty()) s.set(key, toml_strings(policies));
            if (!other.empty())
                skip(a->address, fmt::format("{} other than scaling policies are not modelled: {}",
                                             key, join(other)));
        }
        if (!is_empty(a->at({"insufficient_data_actions"})))
            skip(a->address, "insufficient_data_actions are not modelled");
        set_tags(s, *a);
        add(Section::CloudwatchMetricAlarm, *a, std::move(s));
    }
}

void Importer::schedules() {
    for (const TfInstance* sc : of_type({"aws_autoscaling_schedule"})) {
        const TfInstance* g = refer_one(*sc, {"autoscaling_group_name"}, kAsg, {"name", "id"});
        if (!emitted(g)) {
            skip(*sc, "its Auto Scaling group is not imported");
            continue;
        }
        const std::string recurrence = str(sc->at({"recurrence"})).value_or("");
        const std::string start = str(sc->at({"start_time"})).value_or("");
        if (recurrence.empty() && before_default_start(start)) {
            skip(*sc, fmt::format("a one-time action at {}, before the run's start ({})", start,
                                  kDefaultStart));
            continue;
        }
        if (after_default_end(start)) {
            // It would never happen in the run; validation refuses it. Lengthen the run
            // (simulation.duration) and write it back to have it.
            skip(*sc, fmt::format("{} at {}, after the end of the run as written ({}, "
                                  "simulation.duration = \"{}\")",
                                  recurrence.empty() ? "a one-time action" : "its first action",
                                  start, kDefaultEnd, kDefaultDuration));
            continue;
        }
        TomlSection s("autoscaling_schedule", true);
        s.set("scheduled_action_name", toml_string(name_of(*sc)));
        s.set("autoscaling_group", toml_string(name_of(*g)));
        // -1 is the provider's "not set".
        for (const char* k : {"min_size", "max_size", "desired_capacity"})
            if (auto v = integer(sc->at({k})); v && *v >= 0) s.set(k, toml_int(*v));
        if (!recurrence.empty()) s.set("recurrence", toml_string(recurrence));
        for (const char* k : {"start_time", "end_time"}) {
            const std::string t = str(sc->at({k})).value_or("");
            if (t.empty()) continue;
            if (before_default_start(t)) {
                if (!recurrence.empty() && std::string(k) == "start_time") continue;
                note(*sc, fmt::format("{} {} is before the run's start and is left out", k, t));
                continue;
            }
            s.set(k, toml_string(t));
        }
        if (auto tz = str(sc->at({"time_zone"})); tz && !tz->empty())
            s.set("time_zone", toml_string(*tz));
        add(Section::AutoscalingSchedule, *sc, std::move(s));
    }
}

void Importer::note_lost_groups(const TfInstance& inst,
                                const std::vector<const TfInstance*>& groups,
                                const std::vector<std::string>& not_in_file) {
    for (const TfInstance* g : groups)
        if (!emitted(g))
            note(inst, fmt::format("its security group {} is not imported (its own finding says "
                                   "why): left out",
                                   g->address));
    for (const auto& id : not_in_file)
        note(inst, fmt::format("its security group `{}` is not in the file: left out", id));
}

}  // namespace stratus::tfimport::detail
