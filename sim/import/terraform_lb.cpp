// Load balancing: aws_lb/aws_alb -> [[load_balancer]]; aws_lb_target_group/aws_alb_target_group
// -> [[target_group]]; aws_lb_listener/aws_alb_listener -> [[lb_listener]] (forward and
// weighted forward default actions; the number of its aws_lb_listener_rule as `rules`); the
// Classic Load Balancer aws_elb -> a classic
// [[load_balancer]] with a [[target_group]] for its instances and health check, and a listener
// per listener block; aws_autoscaling_attachment adds target groups to a group.
#include <algorithm>

#include <fmt/format.h>

#include "sim/import/importer.hpp"

namespace stratus::tfimport::detail {
namespace {

const std::vector<std::string> kLb = {"aws_lb", "aws_alb"};
const std::vector<std::string> kListener = {"aws_lb_listener", "aws_alb_listener"};
const std::vector<std::string> kListenerRule = {"aws_lb_listener_rule", "aws_alb_listener_rule"};

}  // namespace

void Importer::load_balancing() {
    load_balancers();
    target_groups();
    classic_load_balancers();
    listeners();
    attachments();
}

void Importer::load_balancers() {
    for (const TfInstance* lb : of_type(kLb)) {
        const std::string type = str(lb->at({"load_balancer_type"})).value_or("application");
        if (type != "application" && type != "network") {
            skip(*lb, fmt::format("a {} load balancer is not modelled", type));
            continue;
        }
        auto subnets = refer(*lb, {"subnets"}, kSubnet, {"id"});
        const Json& mappings = lb->at({"subnet_mapping"});
        for (std::size_t i = 0; mappings.is_array() && i < mappings.size(); ++i)
            for (const TfInstance* s :
                 refer(*lb, {"subnet_mapping", i, "subnet_id"}, kSubnet, {"id"}))
                subnets.push_back(s);
        TomlSection& s = add(Section::LoadBalancer, *lb);
        s.set("name", toml_string(name_of(*lb)));
        s.set("load_balancer_type", toml_string(type));
        const auto subnet_names = emitted_names(subnets);
        if (!subnet_names.empty()) {
            s.set("subnets", toml_strings(subnet_names));
        } else {
            std::vector<std::string> zones;
            for (const TfInstance* sn : subnets)
                if (subnet_az.count(sn) &&
                    std::find(zones.begin(), zones.end(), subnet_az[sn]) == zones.end())
                    zones.push_back(subnet_az[sn]);
            if (!zones.empty()) s.set("availability_zones", toml_strings(zones));
            for (const auto& z : zones)
                add_az(z);
        }
        const auto sgs = emitted_names(refer(*lb, {"security_groups"}, kSg, {"id"}));
        if (!sgs.empty()) s.set("security_groups", toml_strings(sgs));
        if (boolean(lb->at({"internal"})).value_or(false)) s.set("internal", toml_bool(true));
        if (auto t = integer(lb->at({"idle_timeout"})); t && type == "application")
            s.set("idle_timeout", toml_int(*t));
        if (auto cz = boolean(lb->at({"enable_cross_zone_load_balancing"})))
            if (type == "network" || !*cz)
                s.set("enable_cross_zone_load_balancing", toml_bool(*cz));
        set_tags(s, *lb);
        unmodelled(*lb,
                   {"access_logs", "connection_logs", "enable_deletion_protection",
                    "drop_invalid_header_fields", "ip_address_type", "desync_mitigation_mode",
                    "preserve_host_header", "enable_waf_fail_open", "customer_owned_ipv4_pool",
                    "enable_tls_version_and_cipher_suite_headers", "xff_header_processing_mode"});
    }
}

void Importer::target_groups() {
    for (const TfInstance* tg : of_type(kTg)) {
        const std::string target_type = str(tg->at({"target_type"})).value_or("instance");
        if (target_type == "lambda" || target_type == "alb") {
            skip(*tg, fmt::format("a target group of {} targets is not modelled", target_type));
            continue;
        }
        TomlSection& s = add(Section::TargetGroup, *tg);
        s.set("name", toml_string(name_of(*tg)));
        if (auto p = integer(tg->at({"port"}))) s.set("port", toml_int(*p));
        // ip: ECS tasks of network_mode awsvpc register in it (Auto Scaling groups cannot).
        if (target_type == "ip") s.set("target_type", toml_string(target_type));
        const std::string algorithm =
            str(tg->at({"load_balancing_algorithm_type"})).value_or("round_robin");
        if (algorithm == "least_outstanding_requests")
            s.set("load_balancing_algorithm_type", toml_string(algorithm));
        else if (algorithm != "round_robin")
            skip(tg->address, fmt::format("load_balancing_algorithm_type `{}` is not modelled: "
                                          "round_robin is used",
                                          algorithm));
        if (auto d = integer(tg->at({"deregistration_delay"})))
            s.set("deregistration_delay", toml_int(*d));
        if (auto d = integer(tg->at({"slow_start"})); d && *d > 0)
            s.set("slow_start", toml_int(*d));
        const Json& hc = tg->at({"health_check", 0});
        if (hc.is_object()) {
            std::vector<std::pair<std::string, TomlValue>> entries;
            for (const char* k :
                 {"interval", "timeout", "healthy_threshold", "unhealthy_threshold"})
                if (auto v = integer(field(hc, k))) entries.emplace_back(k, toml_int(*v));
            if (!entries.empty()) s.set("health_check", toml_inline(entries));
            if (!boolean(field_or(hc, "enabled", Json(true))).value_or(true))
                note(*tg,
                     "its health check is disabled on AWS (every target counts as healthy); "
                     "stratus checks health with the figures above");
            std::vector<std::string> parts;
            for (const char* k : {"protocol", "path", "port", "matcher"})
                if (auto v = field(hc, k); v.is_string() && !v.get<std::string>().empty())
                    parts.push_back(fmt::format("{} {}", k, v.get<std::string>()));
            if (!parts.empty()) {
                std::string text;
                for (const auto& p : parts)
                    text += (text.empty() ? "" : ", ") + p;
                s.commented_key("health check " + text +
                                ": not modelled (a target passes when it can answer in time)");
            }
        }
        set_tags(s, *tg);
        if (const Json& st = tg->at({"stickiness", 0});
            st.is_object() && boolean(field(st, "enabled")).value_or(false))
            skip(tg->address, "stickiness is not modelled: requests are spread as without it");
        unmodelled(*tg, {"proxy_protocol_v2", "preserve_client_ip", "connection_termination",
                         "lambda_multi_value_headers_enabled", "target_failover", "ip_address_type",
                         "protocol_version"});
        target_health_notes(*tg);
    }
}

// An NLB group's target_health_state (AWS's default terminates connections to an unhealthy
// target: `false` keeps them) and target_group_health (DNS failover and unhealthy state
// routing thresholds; AWS's defaults: off, and 1 healthy target) are not modelled: said when
// they differ from AWS's defaults, since "false" and "1" are values a plan writes.
void Importer::target_health_notes(const TfInstance& tg) {
    const Json& hs = tg.at({"target_health_state", 0});
    if (field(hs, "enable_unhealthy_connection_termination") == false)
        note(tg,
             "target_health_state: enable_unhealthy_connection_termination = false is not "
             "modelled (connections to an unhealthy target are not kept open)");
    const Json& health = tg.at({"target_group_health", 0});
    std::vector<std::string> set;
    for (const char* block : {"dns_failover", "unhealthy_state_routing"}) {
        const Json& list = field(health, block);
        const Json& b = list.is_array() && !list.empty() ? list[0] : list;
        const std::string count_default = std::string(block) == "dns_failover" ? "off" : "1";
        const Json& c = field(b, "minimum_healthy_targets_count");  // a string or a number
        const std::string count =
            c.is_number_integer() ? std::to_string(c.get<long long>()) : as_text(c);
        const std::string pct = as_text(field(b, "minimum_healthy_targets_percentage"));
        if ((!count.empty() && count != count_default) || (!pct.empty() && pct != "off"))
            set.push_back(block);
    }
    if (!set.empty())
        note(tg, fmt::format("target_group_health {} is not modelled", fmt::join(set, ", ")));
}

// The target groups of the first forward among a listener's default actions (an authenticate
// action may come first; `other` gets the first action that is not a forward), with their
// weights: its target_group_arn (weight 1), or every group of a weighted forward. `key` is
// "action" for a listener rule's actions.
std::vector<std::pair<std::string, std::int64_t>> Importer::forward_targets(
    const TfInstance& listener, std::string* other, const char* key) {
    const TfInstance* l = &listener;
    const Json& actions = l->at({key});
    std::vector<std::pair<std::string, std::int64_t>> weighted;
    for (std::size_t a = 0; actions.is_array() && a < actions.size() && weighted.empty(); ++a) {
        const std::string type = str(field(actions[a], "type")).value_or("");
        if (type != "forward") {
            if (other->empty()) *other = type;
            continue;
        }
        if (const TfInstance* tg = refer_one(*l, {key, a, "target_group_arn"}, kTg, {"arn"});
            emitted(tg)) {
            return {{name_of(*tg), 1}};
        }
        // Weighted forward: the groups and their weights (Terraform's default weight is 1).
        const Json& groups = field(actions[a], "forward");
        const Json& list =
            groups.is_array() && !groups.empty() ? field(groups[0], "target_group") : Json::array();
        for (std::size_t k = 0; list.is_array() && k < list.size(); ++k) {
            const TfInstance* tg =
                refer_one(*l, {key, a, "forward", 0, "target_group", k, "arn"}, kTg, {"arn"});
            if (!emitted(tg)) continue;
            const std::int64_t w = integer(field_or(list[k], "weight", Json(1))).value_or(1);
            weighted.emplace_back(name_of(*tg), std::clamp<std::int64_t>(w, 0, 999));
            if (w < 0 || w > 999)
                note(*l, fmt::format("the weight {} of {} is outside 0..999: written as {}", w,
                                     name_of(*tg), weighted.back().second));
        }
        if (weighted.empty() && list.empty())
            for (const TfInstance* tg : refer(*l, {key, a}, kTg, {"arn"}))
                if (emitted(tg)) weighted.emplace_back(name_of(*tg), 1);
        if (weighted.size() > 5) {
            note(*l, fmt::format("a forward to {} target groups: AWS allows 5, the first 5 are "
                                 "written",
                                 weighted.size()));
            weighted.resize(5);
        }
        if (weighted.size() < static_cast<std::size_t>(list.is_array() ? list.size() : 0))
            note(*l,
                 "a target group of its weighted forward is not imported: the others share "
                 "the requests by their weights");
        const Json& sticky =
            groups.is_array() && !groups.empty() ? field(groups[0], "stickiness") : Json();
        if (sticky.is_array() && !sticky.empty() &&
            boolean(field(sticky[0], "enabled")).value_or(false))
            skip(l->address,
                 "its forward's target group stickiness is not modelled: each "
                 "request is routed by weight on its own");
    }
    return weighted;
}

// The listener's default action as the scenario writes it: `target_group` for one group,
// Terraform's default_action { forward { target_group { arn, weight } } } for several.
void Importer::write_forward(TomlSection& s,
                             const std::vector<std::pair<std::string, std::int64_t>>& targets) {
    if (targets.size() == 1) {
        s.set("target_group", toml_string(targets.front().first));
        return;
    }
    std::vector<TomlValue> groups;
    for (const auto& [name, weight] : targets)
        groups.push_back(toml_inline({{"arn", toml_string(name)}, {"weight", toml_int(weight)}}));
    s.set("default_action",
          toml_array(
              {toml_inline({{"type", toml_string("forward")},
                            {"forward", toml_inline({{"target_group", toml_array(groups)}})}})}));
}

// The listener's rule that forwards to an imported target group and is evaluated first (AWS
// goes from the lowest priority number), with its groups; null when no rule forwards.
const TfInstance* Importer::forwarding_rule(
    const TfInstance& listener, std::vector<std::pair<std::string, std::int64_t>>* targets) {
    const TfInstance* best = nullptr;
    std::int64_t best_priority = 0;
    for (const TfInstance* r : of_type(kListenerRule)) {
        if (refer_one(*r, {"listener_arn"}, kListener, {"arn", "id"}) != &listener) continue;
        std::string other;
        auto forward = forward_targets(*r, &other, "action");
        if (forward.empty()) continue;
        // A priority the plan does not know (AWS gives the next free one) comes after the rest.
        const std::int64_t priority = integer(r->at({"priority"})).value_or(50001);
        if (best && priority >= best_priority) continue;
        best = r;
        best_priority = priority;
        *targets = std::move(forward);
    }
    return best;
}

void Importer::listeners() {
    std::vector<std::string> internet_facing, internal;
    for (const TfInstance* l : of_type(kListener)) {
        const TfInstance* lb = refer_one(*l, {"load_balancer_arn"}, kLb, {"arn", "id"});
        if (!emitted(lb)) {
            skip(*l, "its load balancer is not imported");
            continue;
        }
        std::string other;
        auto targets = forward_targets(*l, &other);
        // A default action that answers by itself (a fixed response, a redirect) behind rules
        // that forward, as a host- or path-based ALB is written: the workload's requests are
        // taken to be those the first forwarding rule matches (its conditions are not
        // modelled; on AWS the others get the default action's answer).
        const TfInstance* by_rule =
            targets.empty() && !other.empty() ? forwarding_rule(*l, &targets) : nullptr;
        const std::string target = targets.empty() ? "" : targets.front().first;
        if (target.empty() && other.empty() && l->is_unknown({"default_action"}) == false &&
            l->expression({"default_action"}).is_null() && l->config) {
            skip(*l,
                 "its target groups are unknown until apply and chosen in a dynamic block, "
                 "which Terraform's JSON does not describe: import the state after apply");
            continue;
        }
        if (target.empty()) {
            skip(*l, other.empty() ? "no default action forwards to an imported target group"
                                   : fmt::format("its default action is `{}`: no target group "
                                                 "takes its requests",
                                                 other));
            continue;
        }
        if (by_rule)
            note(*l, fmt::format("its default action is `{}`: the forward of {} is written as "
                                 "its default, so the workload's requests are the ones that "
                                 "rule's conditions match (not modelled; on AWS the others get "
                                 "the `{}` answer)",
                                 other, by_rule->address, other));
        else if (!other.empty())
            skip(l->address,
                 fmt::format("the `{}` default action before the forward is not modelled", other));
        TomlSection& s = add(Section::LbListener, *l);
        s.set("load_balancer", toml_string(name_of(*lb)));
        if (auto p = integer(l->at({"port"}))) s.set("port", toml_int(*p));
        write_forward(s, targets);
        // Its listener rules: only their number is modelled (each request is evaluated
        // against them: LCU rule evaluations); the default action still takes every request.
        std::int64_t rules = 0;
        for (const TfInstance* r : of_type(kListenerRule)) {
            if (refer_one(*r, {"listener_arn"}, kListener, {"arn", "id"}) != l) continue;
            ++rules;
            if (r == by_rule) {
                consumed(*r);
                note(*r, fmt::format("its forward is the default action of the [[lb_listener]] "
                                     "of {}, and it is counted in its `rules`",
                                     l->address));
                continue;
            }
            skip(*r, fmt::format("counted in `rules` of the [[lb_listener]] of {} (LCU rule "
                                 "evaluations); its conditions and actions are not modelled",
                                 l->address));
        }
        if (rules > 0) s.set("rules", toml_int(std::min<std::int64_t>(rules, 100)));
        set_tags(s, *l);
        auto& list = boolean(lb->at({"internal"})).value_or(false) ? internal : internet_facing;
        if (std::find(list.begin(), list.end(), name_of(*lb)) == list.end())
            list.push_back(name_of(*lb));
    }
    for (const auto& n : internet_facing)
        lbs_with_listener.push_back(n);
    for (const auto& n : internal)
        if (std::find(lbs_with_listener.begin(), lbs_with_listener.end(), n) ==
            lbs_with_listener.end())
            lbs_with_listener.push_back(n);
}

void Importer::classic_load_balancers() {
    for (const TfInstance* elb : of_type({"aws_elb"})) {
        const std::string name = name_of(*elb);
        const std::string tg_name = elb_target_group[name];
        TomlSection& s = add(Section::LoadBalancer, *elb);
        s.set("name", toml_string(name));
        s.set("load_balancer_type", toml_string("classic"));
        const auto subnets = refer(*elb, {"subnets"}, kSubnet, {"id"});
        if (!emitted_names(subnets).empty()) {
            s.set("subnets", toml_strings(emitted_names(subnets)));
        } else {
            const auto zones = strings(elb->at({"availability_zones"}));
            if (!zones.empty()) s.set("availability_zones", toml_strings(zones));
            for (const auto& z : zones)
                add_az(z);
        }
        const auto sgs = emitted_names(refer(*elb, {"security_groups"}, kSg, {"id"}));
        if (!sgs.empty()) s.set("security_groups", toml_strings(sgs));
        if (boolean(elb->at({"internal"})).value_or(false)) s.set("internal", toml_bool(true));
        if (auto t = integer(elb->at({"idle_timeout"}))) s.set("idle_timeout", toml_int(*t));
        // Terraform's default is true (the API's is false): always written.
        s.set("enable_cross_zone_load_balancing",
              toml_bool(boolean(elb->at({"cross_zone_load_balancing"})).value_or(true)));
        set_tags(s, *elb);

        // Its registered instances and health check, as a target group.
        TomlSection tg("target_group", true);
        tg.comment(elb->address + " (the Classic Load Balancer's instances and health check)");
        tg.set("name", toml_string(tg_name));
        const Json& listeners = elb->at({"listener"});
        if (auto p = integer(listeners.is_array() && !listeners.empty()
                                 ? field(listeners[0], "instance_port")
                                 : Json()))
            tg.set("port", toml_int(*p));
        const bool draining = boolean(elb->at({"connection_draining"})).value_or(false);
        const auto drain_timeout = integer(elb->at({"connection_draining_timeout"})).value_or(300);
        tg.set("deregistration_delay", toml_int(draining ? drain_timeout : 0),
               draining ? "connection draining" : "no connection draining");
        const Json& hc = elb->at({"health_check", 0});
        if (hc.is_object()) {
            std::vector<std::pair<std::string, TomlValue>> entries;
            for (const char* k :
                 {"interval", "timeout", "healthy_threshold", "unhealthy_threshold"})
                if (auto v = integer(field(hc, k))) entries.emplace_back(k, toml_int(*v));
            if (!entries.empty()) tg.set("health_check", toml_inline(entries));
            if (auto target = str(field(hc, "target")))
                tg.commented_key("health check target " + *target +
                                 ": not modelled (a target passes when it can answer in time)");
        }
        add_plain(Section::TargetGroup, std::move(tg));
        for (std::size_t i = 0; listeners.is_array() && i < listeners.size(); ++i) {
            TomlSection l("lb_listener", true);
            l.comment(fmt::format("{} (listener {})", elb->address, i));
            l.set("load_balancer", toml_string(name));
            if (auto p = integer(field(listeners[i], "lb_port"))) l.set("port", toml_int(*p));
            l.set("target_group", toml_string(tg_name));
            add_plain(Section::LbListener, std::move(l));
            auto& list = lbs_with_listener;
            if (std::find(list.begin(), list.end(), name) == list.end()) list.push_back(name);
            if (i > 0 &&
                field(listeners[i], "instance_port") != field(listeners[0], "instance_port"))
                note(*elb, fmt::format("listener {} sends to instance port {}; the target group "
                                       "uses the first listener's",
                                       i, field(listeners[i], "instance_port").dump()));
        }
        if (!is_empty(elb->at({"instances"})))
            skip(elb->address,
                 "registered instances (`instances`) are not modelled: only Auto "
                 "Scaling groups serve traffic in stratus");
        unmodelled(*elb, {"access_logs", "desync_mitigation_mode"});
    }
}

void Importer::attachments() {
    const std::vector<std::string> asg = {"aws_autoscaling_group"};
    for (const TfInstance* a : of_type({"aws_autoscaling_attachment"})) {
        consumed(*a);
        const TfInstance* group = refer_one(*a, {"autoscaling_group_name"}, asg, {"name", "id"});
        if (!group) {
            skip(*a, "its Auto Scaling group is not in the file");
            continue;
        }
        bool any = false;
        for (const char* key : {"lb_target_group_arn", "alb_target_group_arn"})
            if (const TfInstance* tg = refer_one(*a, {key}, kTg, {"arn"}); emitted(tg)) {
                group_target_groups[group].push_back(name_of(*tg));
                any = true;
            }
        if (const TfInstance* elb = refer_one(*a, {"elb"}, {"aws_elb"}, {"name", "id"});
            emitted(elb)) {
            group_target_groups[group].push_back(elb_target_group[name_of(*elb)]);
            any = true;
        }
        if (any)
            attached_by[group].push_back(a->address);
        else
            skip(*a, "its target group or load balancer is not imported");
    }
    for (const char* type : {"aws_lb_target_group_attachment", "aws_alb_target_group_attachment",
                             "aws_elb_attachment"})
        for (const TfInstance* a : of_type({type}))
            skip(*a,
                 "a target registered by hand is not modelled: only Auto Scaling groups "
                 "serve traffic in stratus");
}

}  // namespace stratus::tfimport::detail
