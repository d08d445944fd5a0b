#include "sim/cloud/network.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "sim/cloud/ecs_capacity.hpp"
#include "sim/scenario/cidr.hpp"

namespace stratus::cloud {
namespace {

using scenario::Spec;

std::string join(const std::vector<std::string>& items, const char* sep = ", ") {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += sep;
        out += item;
    }
    return out;
}

void add_unique(std::vector<std::string>& items, const std::string& item) {
    if (std::find(items.begin(), items.end(), item) == items.end()) items.push_back(item);
}

std::optional<scenario::Cidr> parse_cidr(const std::string& text) {
    try {
        return scenario::Cidr::parse(text);
    } catch (const scenario::CidrError&) {
        return std::nullopt;
    }
}

const scenario::SecurityGroupSpec* find_sg(const Spec& spec, const std::string& name) {
    for (const auto& sg : spec.security_group)
        if (sg.name == name) return &sg;
    return nullptr;
}

const scenario::SubnetSpec* find_subnet(const Spec& spec, const std::string& name) {
    for (const auto& s : spec.subnet)
        if (s.name == name) return &s;
    return nullptr;
}

// The launch template a group launches from: the version it names, or the highest one.
const scenario::LaunchTemplateSpec* find_template(const Spec& spec, const std::string& name,
                                                  int version) {
    const scenario::LaunchTemplateSpec* best = nullptr;
    for (const auto& lt : spec.launch_template) {
        if (lt.name != name) continue;
        if (version > 0 && lt.version == version) return &lt;
        if (!best || lt.version > best->version) best = &lt;
    }
    return best;
}

std::vector<std::string> group_sgs(const Spec& spec, const scenario::AutoScalingGroupSpec& g) {
    const auto* lt = find_template(spec, g.launch_template, g.launch_template_version);
    return lt ? lt->security_groups : std::vector<std::string>{};
}

// The blocks of the subnets named, or the VPC's block when none is named.
std::vector<std::string> blocks_of(const Spec& spec, const std::vector<std::string>& subnets) {
    std::vector<std::string> out;
    for (const auto& name : subnets)
        if (const auto* s = find_subnet(spec, name)) add_unique(out, s->cidr_block);
    if (out.empty() && !spec.vpc.cidr_block.empty()) out.push_back(spec.vpc.cidr_block);
    return out;
}

// "security group a allows" / "security groups a, b allow"
std::string sg_subject(const std::vector<std::string>& sgs, bool plural_verb_form) {
    const bool many = sgs.size() > 1;
    std::string s = many ? "security groups " : "security group ";
    s += join(sgs);
    if (plural_verb_form) s += many ? " allow" : " allows";
    return s;
}

FlowReason rule_allows(const std::string& sg, int port, const std::string& source,
                       int to_port = 0) {
    FlowReason r;
    r.kind = FlowReason::RuleAllows;
    r.security_groups = {sg};
    r.port = port;
    r.to_port = to_port;
    r.source = source;
    return r;
}

FlowReason no_inbound_rule(FlowReason::Kind kind, const std::vector<std::string>& sgs, int port,
                           const std::vector<std::string>& source_sgs,
                           const std::vector<std::string>& source_blocks) {
    FlowReason r;
    r.kind = kind;
    r.security_groups = sgs;
    r.port = port;
    r.source_sgs = source_sgs;
    r.source_blocks = source_blocks;
    return r;
}

FlowReason about_subnet(FlowReason::Kind kind, const scenario::SubnetSpec& subnet,
                        const std::string& gateway = "", const std::string& home = "") {
    FlowReason r;
    r.kind = kind;
    r.subnet = subnet.name;
    r.route = subnet.route;
    r.gateway = gateway;
    r.home = home;
    return r;
}

FlowReason not_modelled(FlowReason::Owner kind, const std::string& owner) {
    FlowReason r;
    r.kind = FlowReason::NotModelled;
    r.owner_kind = kind;
    r.owner = owner;
    return r;
}

// What allowed traffic on `port` from a source: the first matching rule (RuleAllows), if any.
// A rule matches by source_security_group (one of source_sgs) or by a cidr block holding every
// one of source_blocks. `outbound`: the same over the groups' outbound rules, whose groups and
// blocks are the destination's.
std::optional<FlowReason> allowed_from(const Spec& spec, const std::vector<std::string>& sgs,
                                       int port, const std::vector<std::string>& source_sgs,
                                       const std::vector<std::string>& source_blocks,
                                       int to_port = 0, bool outbound = false) {
    std::vector<scenario::Cidr> sources;
    for (const auto& b : source_blocks)
        if (auto c = parse_cidr(b)) sources.push_back(*c);
    for (const auto& name : sgs) {
        const auto* sg = find_sg(spec, name);
        if (!sg) continue;
        for (const auto& rule : outbound ? sg->egress : sg->ingress) {
            // A range: one rule covers it whole (a rule's ports are contiguous).
            if (!rule.covers(port) || (to_port > 0 && !rule.covers(to_port))) continue;
            for (const auto& from : rule.source_security_groups)
                if (std::find(source_sgs.begin(), source_sgs.end(), from) != source_sgs.end())
                    return rule_allows(name, port, from, to_port);
            if (sources.empty()) continue;
            for (const auto& text : rule.cidr_blocks) {
                const auto block = parse_cidr(text);
                if (!block) continue;
                const bool holds_all =
                    std::all_of(sources.begin(), sources.end(),
                                [&](const scenario::Cidr& c) { return block->contains(c); });
                if (holds_all) return rule_allows(name, port, text, to_port);
            }
        }
    }
    return std::nullopt;
}

// The outbound rule a flow from `source_sgs` lacks (NoOutboundRule), if it lacks one: none is
// lacking when the source lists no security group (not modelled).
std::optional<FlowReason> outbound_missing(const Spec& spec,
                                           const std::vector<std::string>& source_sgs, int port,
                                           int to_port, const std::vector<std::string>& dest_sgs,
                                           const std::vector<std::string>& dest_blocks) {
    if (source_sgs.empty() ||
        allowed_from(spec, source_sgs, port, dest_sgs, dest_blocks, to_port, true))
        return std::nullopt;
    FlowReason r =
        no_inbound_rule(FlowReason::NoOutboundRule, source_sgs, port, dest_sgs, dest_blocks);
    r.to_port = to_port;
    return r;
}

// "db-sg or to a block holding 10.0.21.0/24", "0.0.0.0/0 (the internet)"
std::string describe_destinations(const std::vector<std::string>& dest_sgs,
                                  const std::vector<std::string>& dest_blocks) {
    if (dest_sgs.empty() && dest_blocks == std::vector<std::string>{"0.0.0.0/0"})
        return "0.0.0.0/0 (the internet)";
    std::vector<std::string> parts;
    if (!dest_sgs.empty()) parts.push_back(join(dest_sgs));
    if (!dest_blocks.empty()) parts.push_back("a block holding " + join(dest_blocks));
    return join(parts, " or to ");
}

// "web-sg or from a block holding 10.0.1.0/24, 10.0.2.0/24"
std::string describe_sources(const std::vector<std::string>& source_sgs,
                             const std::vector<std::string>& source_blocks) {
    std::vector<std::string> parts;
    if (!source_sgs.empty()) parts.push_back(join(source_sgs));
    if (!source_blocks.empty()) parts.push_back("a block holding " + join(source_blocks));
    return join(parts, " or from ");
}

const char* owner_word(FlowReason::Owner owner) {
    switch (owner) {
        case FlowReason::LoadBalancer:
            return "";
        case FlowReason::LaunchTemplate:
            return "launch template ";
        case FlowReason::DbInstance:
            return "db_instance ";
        case FlowReason::EcsService:
            return "ECS service ";
    }
    return "";
}

// A NAT instance's problem, after "subnet <s> routes to NAT instance <n>, but ".
std::string nat_problem(const FlowReason& r) {
    switch (r.kind) {
        case FlowReason::NatSourceDestCheck:
            return "its source/destination check is on, so EC2 drops the traffic it would forward "
                   "(set source_dest_check = false)";
        case FlowReason::NatInstanceUnrouted:
            return "it sits in subnet " + r.home + ", which has no route to an internet gateway";
        case FlowReason::NatNoPublicIp:
            return "it has no public IPv4 address (associate_public_ip_address = true or an "
                   "[[eip]])";
        default:
            return sg_subject(r.security_groups, true) + " nothing on 443 from " +
                   describe_sources(r.source_sgs, r.source_blocks);
    }
}

bool is_nat_problem(FlowReason::Kind kind) {
    return kind == FlowReason::NatSourceDestCheck || kind == FlowReason::NatInstanceUnrouted ||
           kind == FlowReason::NatNoPublicIp || kind == FlowReason::NatNoInboundRule;
}

std::string english(const FlowReason& r) {
    const std::string subnet = "subnet " + r.subnet;
    switch (r.kind) {
        case FlowReason::NotModelled:
            return "no security group listed on " + std::string(owner_word(r.owner_kind)) +
                   r.owner + " (not modelled)";
        case FlowReason::RuleAllows:
            return "security group " + r.security_groups.at(0) + " allows " +
                   port_text(r.port, r.to_port) + " from " + r.source;
        case FlowReason::NoInboundRule:
            return sg_subject(r.security_groups, true) + " nothing on " +
                   port_text(r.port, r.to_port) + " from " +
                   (r.from_anywhere ? std::string("0.0.0.0/0")
                                    : describe_sources(r.source_sgs, r.source_blocks));
        case FlowReason::NoOutboundRule:
            return sg_subject(r.security_groups, true) + " nothing out on " +
                   port_text(r.port, r.to_port) + " to " +
                   describe_destinations(r.source_sgs, r.source_blocks);
        case FlowReason::NoInternetRoute:
            return subnet + " has no route to an internet gateway (route = \"" + r.route + "\")";
        case FlowReason::RoutesOnlyLocal:
            return subnet + " routes only within the VPC (no internet gateway, no NAT gateway)";
        case FlowReason::NatGatewayUnrouted:
            return subnet + " routes to NAT gateway " + r.gateway + ", but it sits in subnet " +
                   r.home + ", which has no route to an internet gateway";
        case FlowReason::ThroughNatGateway:
            return subnet + " through NAT gateway " + r.gateway;
        case FlowReason::ThroughNatInstance:
            return subnet + " through NAT instance " + r.gateway;
        case FlowReason::NoTrafficModelled:
            return "the model sends no updates or external calls, so no request is lost";
        default:
            return subnet + " routes to NAT instance " + r.gateway + ", but " + nat_problem(r);
    }
}

// A flow from something with `source_sgs` in `source_blocks` into something protected by
// `sgs` in `dest_blocks`: open when the source's outbound rules let it out (or it lists no
// group) and the destination's inbound rules let it in (or it lists none: not modelled).
// Security groups are stateful: the answers need no rule. An open flow's reason is the
// inbound one; a closed flow's, what is missing, the outbound rule first.
void judge(Flow& f, const Spec& spec, const std::vector<std::string>& sgs,
           const std::vector<std::string>& source_sgs,
           const std::vector<std::string>& source_blocks,
           const std::vector<std::string>& dest_blocks, FlowReason::Owner owner_kind,
           const std::string& owner) {
    std::vector<FlowReason> missing;
    if (auto out = outbound_missing(spec, source_sgs, f.port, f.to_port, sgs, dest_blocks))
        missing.push_back(*out);
    if (sgs.empty()) {
        f.reasons = {not_modelled(owner_kind, owner)};
    } else if (auto how = allowed_from(spec, sgs, f.port, source_sgs, source_blocks, f.to_port)) {
        f.reasons = {*how};
    } else {
        missing.push_back(
            no_inbound_rule(FlowReason::NoInboundRule, sgs, f.port, source_sgs, source_blocks));
        missing.back().to_port = f.to_port;
    }
    f.open = missing.empty();
    if (!f.open) f.reasons = std::move(missing);
}

// The groups registered with a target group.
std::vector<const scenario::AutoScalingGroupSpec*> groups_of(const Spec& spec,
                                                             const std::string& tg) {
    std::vector<const scenario::AutoScalingGroupSpec*> out;
    for (const auto& g : spec.autoscaling_group)
        if (std::find(g.target_groups.begin(), g.target_groups.end(), tg) != g.target_groups.end())
            out.push_back(&g);
    return out;
}

// The target groups a load balancer's listeners forward to, each once, in listener order.
std::vector<std::string> target_groups_of(const Spec& spec, const std::string& lb) {
    std::vector<std::string> out;
    for (const auto& l : spec.lb_listener)
        if (l.load_balancer == lb)
            for (const auto& f : scenario::forwards_of(l))
                add_unique(out, f.arn);
    return out;
}

const scenario::TargetGroupSpec* find_tg(const Spec& spec, const std::string& name) {
    for (const auto& tg : spec.target_group)
        if (tg.name == name) return &tg;
    return nullptr;
}

// The blocks the clients of a load balancer's listener on `port` connect from: those of the
// workloads that connect to it (client_cidr), in the workloads' order; none: the internet.
std::vector<std::string> client_blocks(const Spec& spec, const std::string& lb, int port) {
    std::vector<std::string> blocks;
    for (const auto& w : spec.workload)
        if (w.load_balancer == lb && scenario::listener_port_of(spec, w) == port &&
            std::find(blocks.begin(), blocks.end(), w.client_cidr) == blocks.end())
            blocks.push_back(w.client_cidr);
    if (blocks.empty()) blocks.push_back("0.0.0.0/0");
    return blocks;
}

void internet_to_load_balancers(const Spec& spec, std::vector<Flow>& out) {
    for (const auto& lb : spec.load_balancer) {
        if (lb.internal) continue;
        std::vector<int> ports;
        for (const auto& l : spec.lb_listener)
            if (l.load_balancer == lb.name &&
                std::find(ports.begin(), ports.end(), l.port) == ports.end())
                ports.push_back(l.port);
        std::vector<FlowReason> unrouted;
        for (const auto& name : lb.subnets)
            if (const auto* s = find_subnet(spec, name); s && s->route != "igw")
                unrouted.push_back(about_subnet(FlowReason::NoInternetRoute, *s));
        for (int port : ports)
            for (const std::string& block : client_blocks(spec, lb.name, port)) {
                Flow f;
                f.kind = Flow::InternetToLoadBalancer;
                f.from = "internet";
                f.to = lb.name;
                f.from_kind = Flow::Internet;
                f.to_kind = Flow::LoadBalancer;
                f.port = port;
                f.client_cidr = block;
                std::vector<FlowReason> missing;
                if (lb.security_groups.empty()) {
                    f.reasons = {not_modelled(FlowReason::LoadBalancer, lb.name)};
                } else if (auto how = allowed_from(spec, lb.security_groups, port, {}, {block})) {
                    f.reasons = {*how};
                } else {
                    missing.push_back(no_inbound_rule(FlowReason::NoInboundRule, lb.security_groups,
                                                      port, {}, {block}));
                    missing.back().from_anywhere = block == "0.0.0.0/0";
                }
                missing.insert(missing.end(), unrouted.begin(), unrouted.end());
                if (!missing.empty()) {
                    f.open = false;
                    f.reasons = std::move(missing);
                }
                out.push_back(std::move(f));
            }
    }
}

void task_network(const Spec& spec, const scenario::EcsServiceSpec& svc,
                  std::vector<std::string>& sgs, std::vector<std::string>& subnets);

// The host port the load balancer reaches a bridge- or host-mode task on: host mode, the
// container port; bridge, its hostPort, or with hostPort 0 the range of dynamic ports
// (`to_port` set). 0: the container has no such mapping.
int host_port_of(const scenario::EcsTaskDefinitionSpec& td, const scenario::EcsLoadBalancerSpec& l,
                 int& to_port) {
    to_port = 0;
    for (const auto& c : td.containers)
        for (const auto& m : c.port_mappings) {
            if (c.name != l.container_name || m.container_port != l.container_port) continue;
            if (td.network_mode == scenario::NetworkMode::Host) return m.container_port;
            if (m.host_port > 0) return m.host_port;
            to_port = EcsCapacity::kLastDynamicPort;
            return EcsCapacity::kFirstDynamicPort;
        }
    return 0;
}

// An ECS service on EC2 in bridge or host mode: the load balancer reaches its tasks on their
// container instances (the security groups of the capacity providers' groups' launch
// templates) on the host port: a rule must allow it, or with dynamic ports the whole range
// (a real incident: a rule for the container port only, and every target fails its checks).
void container_instances_flow(const Spec& spec, const scenario::LoadBalancerSpec& lb,
                              const std::string& tg_name, const scenario::EcsServiceSpec& svc,
                              std::vector<Flow>& out) {
    if (svc.network_configuration || !scenario::runs_on_ec2(spec, svc)) return;
    const scenario::EcsTaskDefinitionSpec* td = nullptr;
    for (const auto& t : spec.ecs_task_definition)
        if (t.family == svc.task_definition) td = &t;
    if (!td || (td->network_mode != scenario::NetworkMode::Bridge &&
                td->network_mode != scenario::NetworkMode::Host))
        return;
    std::vector<std::string> sgs, subnets;
    task_network(spec, svc, sgs, subnets);
    if (sgs.empty()) return;  // not modelled
    for (const auto& l : svc.load_balancer) {
        if (l.target_group != tg_name) continue;
        Flow f;
        f.kind = Flow::LoadBalancerToTargets;
        f.from = lb.name;
        f.to = svc.name;
        f.from_kind = Flow::LoadBalancer;
        f.to_kind = Flow::EcsService;
        f.port = host_port_of(*td, l, f.to_port);
        if (f.port == 0) continue;  // the validator's business
        judge(f, spec, sgs, lb.security_groups, blocks_of(spec, lb.subnets),
              blocks_of(spec, subnets), FlowReason::EcsService, svc.name);
        out.push_back(std::move(f));
    }
}

void load_balancers_to_targets(const Spec& spec, std::vector<Flow>& out) {
    for (const auto& lb : spec.load_balancer) {
        const auto lb_blocks = blocks_of(spec, lb.subnets);
        for (const auto& tg_name : target_groups_of(spec, lb.name)) {
            const auto* tg = find_tg(spec, tg_name);
            if (!tg) continue;
            for (const auto* g : groups_of(spec, tg_name)) {
                Flow f;
                f.kind = Flow::LoadBalancerToTargets;
                f.from = lb.name;
                f.to = g->name;
                f.from_kind = Flow::LoadBalancer;
                f.to_kind = Flow::AutoScalingGroup;
                f.port = tg->port;
                judge(f, spec, group_sgs(spec, *g), lb.security_groups, lb_blocks,
                      blocks_of(spec, g->subnets), FlowReason::LaunchTemplate, g->launch_template);
                out.push_back(std::move(f));
            }
            for (const auto& svc : spec.ecs_service) {
                if (svc.security_groups.empty()) {
                    container_instances_flow(spec, lb, tg_name, svc, out);
                    continue;
                }
                for (const auto& l : svc.load_balancer) {
                    if (l.target_group != tg_name) continue;
                    Flow f;
                    f.kind = Flow::LoadBalancerToTargets;
                    f.from = lb.name;
                    f.to = svc.name;
                    f.from_kind = Flow::LoadBalancer;
                    f.to_kind = Flow::EcsService;
                    f.port = l.container_port;
                    judge(f, spec, svc.security_groups, lb.security_groups, lb_blocks,
                          blocks_of(spec, svc.subnets), FlowReason::EcsService, svc.name);
                    out.push_back(std::move(f));
                }
            }
        }
    }
}

// Where an ECS service's tasks send from: awsvpc, their own network interfaces (the service's
// security groups and subnets); bridge and host mode on EC2, their container instances' (the
// groups of the cluster's capacity providers).
void task_network(const Spec& spec, const scenario::EcsServiceSpec& svc,
                  std::vector<std::string>& sgs, std::vector<std::string>& subnets) {
    sgs = svc.security_groups;
    subnets = svc.subnets;
    if (svc.network_configuration) return;
    for (const auto& c : spec.ecs_cluster_capacity_providers) {
        if (c.cluster_name != svc.cluster) continue;
        for (const auto& p : spec.ecs_capacity_provider) {
            if (std::find(c.capacity_providers.begin(), c.capacity_providers.end(), p.name) ==
                c.capacity_providers.end())
                continue;
            for (const auto& g : spec.autoscaling_group) {
                if (g.name != p.auto_scaling_group) continue;
                for (const auto& sg : group_sgs(spec, g))
                    sgs.push_back(sg);
                subnets.insert(subnets.end(), g.subnets.begin(), g.subnets.end());
            }
        }
    }
}

void apps_to_databases(const Spec& spec, std::vector<Flow>& out) {
    for (const auto& w : spec.workload) {
        if (w.database.empty()) continue;
        const scenario::DbInstanceSpec* db = nullptr;
        for (const auto& d : spec.db_instance)
            if (d.identifier == w.database) db = &d;
        if (!db) continue;
        for (const auto& tg_name : target_groups_of(spec, w.load_balancer)) {
            for (const auto* g : groups_of(spec, tg_name)) {
                const bool seen = std::any_of(out.begin(), out.end(), [&](const Flow& f) {
                    return f.kind == Flow::AppToDatabase && f.from_kind == Flow::AutoScalingGroup &&
                           f.from == g->name && f.to == db->identifier;
                });
                if (seen) continue;
                Flow f;
                f.kind = Flow::AppToDatabase;
                f.from = g->name;
                f.to = db->identifier;
                f.from_kind = Flow::AutoScalingGroup;
                f.to_kind = Flow::DbInstance;
                f.port = db->port;
                judge(f, spec, db->security_groups, group_sgs(spec, *g),
                      blocks_of(spec, g->subnets), blocks_of(spec, db->subnets),
                      FlowReason::DbInstance, db->identifier);
                out.push_back(std::move(f));
            }
            // ECS services (awsvpc: each task has its own network interface with the
            // service's security groups, in the service's subnets) registered with the target
            // group.
            for (const auto& svc : spec.ecs_service) {
                const bool registered =
                    std::any_of(svc.load_balancer.begin(), svc.load_balancer.end(),
                                [&](const scenario::EcsLoadBalancerSpec& l) {
                                    return l.target_group == tg_name;
                                });
                const bool seen = std::any_of(out.begin(), out.end(), [&](const Flow& f) {
                    return f.kind == Flow::AppToDatabase && f.from_kind == Flow::EcsService &&
                           f.from == svc.name && f.to == db->identifier;
                });
                if (!registered || seen) continue;
                Flow f;
                f.kind = Flow::AppToDatabase;
                f.from = svc.name;
                f.to = db->identifier;
                f.from_kind = Flow::EcsService;
                f.to_kind = Flow::DbInstance;
                f.port = db->port;
                std::vector<std::string> sgs, subnets;
                task_network(spec, svc, sgs, subnets);
                judge(f, spec, db->security_groups, sgs, blocks_of(spec, subnets),
                      blocks_of(spec, db->subnets), FlowReason::DbInstance, db->identifier);
                out.push_back(std::move(f));
            }
        }
    }
}

// A flow to the internet from something placed in `subnets` (with `source_sgs`), or nothing
// when none of them is private (all route to the internet gateway) and its security groups
// let 443 out to the internet. Outbound rules without 443 to 0.0.0.0/0 close it from every
// subnet, public ones too.
std::optional<Flow> private_to_internet(const Spec& spec, Flow::Endpoint from_kind,
                                        const std::string& from,
                                        const std::vector<std::string>& subnets,
                                        const std::vector<std::string>& source_sgs,
                                        bool carries_requests) {
    std::vector<FlowReason> closed, open;
    bool local = false, nat_instance = false;
    for (const auto& name : subnets) {
        const auto* s = find_subnet(spec, name);
        if (!s) continue;
        if (s->route == "local") {
            local = true;
            closed.push_back(about_subnet(FlowReason::RoutesOnlyLocal, *s));
        } else if (s->route.rfind("nat:", 0) == 0) {
            // A NAT gateway reaches the internet only from a subnet routed to the internet
            // gateway (a "public" subnet left on the main route table is not).
            const std::string nat = s->route.substr(4);
            const scenario::SubnetSpec* home = nullptr;
            for (const auto& n : spec.nat_gateway)
                if (n.name == nat) home = find_subnet(spec, n.subnet);
            if (home && home->route != "igw")
                closed.push_back(about_subnet(FlowReason::NatGatewayUnrouted, *s, nat, home->name));
            else
                open.push_back(about_subnet(FlowReason::ThroughNatGateway, *s, nat));
        } else if (s->route.rfind("instance:", 0) == 0) {
            nat_instance = true;
            const std::string nat = s->route.substr(9);
            auto problems = nat_instance_problems(spec, *s, source_sgs);
            if (problems.empty())
                open.push_back(about_subnet(FlowReason::ThroughNatInstance, *s, nat));
            else
                closed.insert(closed.end(), problems.begin(), problems.end());
        }
    }
    if (auto out = outbound_missing(spec, source_sgs, 443, 0, {}, {"0.0.0.0/0"}))
        closed.insert(closed.begin(), *out);
    if (closed.empty() && open.empty()) return std::nullopt;
    Flow f;
    f.kind = Flow::PrivateToInternet;
    f.from = from;
    f.to = "internet";
    f.from_kind = from_kind;
    f.to_kind = Flow::Internet;
    f.port = 443;
    f.through_nat_instance = nat_instance;
    f.carries_requests = carries_requests;
    if (!closed.empty()) {
        f.open = false;
        f.reasons = std::move(closed);
        if (local && !carries_requests) {
            f.reasons.emplace_back();
            f.reasons.back().kind = FlowReason::NoTrafficModelled;
        }
    } else {
        f.reasons = std::move(open);
    }
    return f;
}

// Whether a workload the group serves makes its application call out of the VPC from one of
// the group's subnets.
bool group_calls_out(const Spec& spec, const scenario::AutoScalingGroupSpec& g) {
    for (const auto& w : spec.workload)
        for (const auto& tg : target_groups_of(spec, w.load_balancer))
            for (const auto* served : groups_of(spec, tg))
                if (served == &g)
                    for (const auto& subnet : g.subnets)
                        if (calls_out(w, gateway_endpoints_of(spec, subnet))) return true;
    return false;
}

void privates_to_internet(const Spec& spec, std::vector<Flow>& out) {
    for (const auto& g : spec.autoscaling_group)
        if (auto f = private_to_internet(spec, Flow::AutoScalingGroup, g.name, g.subnets,
                                         group_sgs(spec, g), group_calls_out(spec, g)))
            out.push_back(std::move(*f));
    // Bridge and host mode: the tasks' traffic leaves through their container instances'
    // network interfaces (task_network), judged as those instances' own.
    for (const auto& svc : spec.ecs_service) {
        std::vector<std::string> sgs, subnets;
        task_network(spec, svc, sgs, subnets);
        if (auto f = private_to_internet(spec, Flow::EcsService, svc.name, subnets, sgs,
                                         service_calls_out(spec, svc))) {
            // Fargate: the tasks pull their image through their subnets; closed, that costs
            // every request (no task starts), so the note that none is lost does not hold.
            if (!scenario::runs_on_ec2(spec, svc)) {
                f->image_pulls = true;
                auto& r = f->reasons;
                r.erase(std::remove_if(r.begin(), r.end(),
                                       [](const FlowReason& x) {
                                           return x.kind == FlowReason::NoTrafficModelled;
                                       }),
                        r.end());
            }
            out.push_back(std::move(*f));
        }
    }
    // A standalone instance is no target of a workload: no request travels its flow.
    for (const auto& i : spec.instance)
        if (!i.subnet.empty())
            if (auto f = private_to_internet(spec, Flow::Instance, i.name, {i.subnet},
                                             i.security_groups, false))
                out.push_back(std::move(*f));
}

}  // namespace

void ecs_task_network(const Spec& spec, const scenario::EcsServiceSpec& service,
                      std::vector<std::string>& security_groups,
                      std::vector<std::string>& subnets) {
    task_network(spec, service, security_groups, subnets);
}

bool service_calls_out(const Spec& spec, const scenario::EcsServiceSpec& service) {
    std::vector<std::string> sgs, subnets;
    task_network(spec, service, sgs, subnets);
    for (const auto& w : spec.workload)
        for (const auto& tg : target_groups_of(spec, w.load_balancer))
            for (const auto& l : service.load_balancer)
                if (l.target_group == tg)
                    for (const auto& subnet : subnets)
                        if (calls_out(w, gateway_endpoints_of(spec, subnet))) return true;
    return false;
}

std::vector<FlowReason> nat_instance_problems(const Spec& spec, const scenario::SubnetSpec& subnet,
                                              const std::vector<std::string>& source_sgs) {
    std::vector<FlowReason> problems;
    if (subnet.route.rfind("instance:", 0) != 0) return problems;
    const std::string name = subnet.route.substr(9);
    const scenario::StandaloneInstanceSpec* nat = nullptr;
    for (const auto& in : spec.instance)
        if (in.name == name) nat = &in;
    if (!nat) return problems;  // the validator reports the unknown name
    if (nat->source_dest_check)
        problems.push_back(about_subnet(FlowReason::NatSourceDestCheck, subnet, name));
    if (!nat->subnet.empty())
        if (const auto* home = find_subnet(spec, nat->subnet); home && home->route != "igw")
            problems.push_back(
                about_subnet(FlowReason::NatInstanceUnrouted, subnet, name, home->name));
    const bool has_eip =
        std::any_of(spec.eip.begin(), spec.eip.end(),
                    [&](const scenario::EipSpec& e) { return e.instance == name; });
    if (!nat->associate_public_ip_address && !has_eip)
        problems.push_back(about_subnet(FlowReason::NatNoPublicIp, subnet, name));
    if (!nat->security_groups.empty() &&
        !allowed_from(spec, nat->security_groups, 443, source_sgs, {subnet.cidr_block})) {
        FlowReason r = no_inbound_rule(FlowReason::NatNoInboundRule, nat->security_groups, 443,
                                       source_sgs, {subnet.cidr_block});
        r.subnet = subnet.name;
        r.route = subnet.route;
        r.gateway = name;
        problems.push_back(std::move(r));
    }
    return problems;
}

bool reaches_internet(const Spec& spec, const scenario::SubnetSpec& subnet,
                      const std::vector<std::string>& source_sgs) {
    const auto f = private_to_internet(spec, Flow::Instance, "", {subnet.name}, source_sgs, false);
    return !f || f->open;
}

namespace {

// Why a Fargate task's own way out (its subnet's route, its public IP) cannot reach the
// internet; empty: it can.
std::string fargate_internet_why(const Spec& spec, const scenario::EcsServiceSpec& service,
                                 const scenario::SubnetSpec& subnet) {
    if (auto out = egress_blocked(spec, service.security_groups, 443, {}, {"0.0.0.0/0"});
        !out.empty())
        return out;
    if (subnet.route == "igw")
        return service.assign_public_ip
                   ? std::string()
                   : fmt::format(
                         "subnet {} routes to the internet gateway, but the tasks get no "
                         "public IP (assign_public_ip = false)",
                         subnet.name);
    // carries_requests: the reasons without the note that no request is lost.
    const auto f = private_to_internet(spec, Flow::EcsService, service.name, {subnet.name},
                                       service.security_groups, true);
    return !f || f->open ? std::string() : english_why(f->reasons);
}

std::string instance_internet_why(const Spec& spec, const scenario::AutoScalingGroupSpec& group,
                                  const scenario::SubnetSpec& subnet) {
    if (auto out = egress_blocked(spec, group_sgs(spec, group), 443, {}, {"0.0.0.0/0"});
        !out.empty())
        return out;
    if (subnet.route == "igw") {
        const auto* lt = find_template(spec, group.launch_template, group.launch_template_version);
        const bool public_ip =
            subnet.map_public_ip_on_launch || (lt && lt->associate_public_ip_address);
        return public_ip ? std::string()
                         : fmt::format(
                               "subnet {} routes to the internet gateway, but the "
                               "container instances of {} get no public IP "
                               "(associate_public_ip_address = false)",
                               subnet.name, group.name);
    }
    const auto f = private_to_internet(spec, Flow::AutoScalingGroup, group.name, {subnet.name},
                                       group_sgs(spec, group), true);
    return !f || f->open ? std::string() : english_why(f->reasons);
}

std::string service_image(const Spec& spec, const scenario::EcsServiceSpec& service) {
    for (const auto& td : spec.ecs_task_definition)
        if (td.family == service.task_definition) return first_image(td);
    return {};
}

}  // namespace

PullPath fargate_pull_path(const Spec& spec, const scenario::EcsServiceSpec& service,
                           const scenario::SubnetSpec& subnet) {
    if (!spec.vpc.present) return {};
    return image_pull_path(spec, service_image(spec, service), subnet, service.security_groups,
                           fargate_internet_why(spec, service, subnet),
                           nat_gateway_of(spec, subnet));
}

std::string image_pull_blocked(const Spec& spec, const scenario::EcsServiceSpec& service,
                               const scenario::SubnetSpec& subnet) {
    return fargate_pull_path(spec, service, subnet).why;
}

PullPath instance_pull_path(const Spec& spec, const scenario::AutoScalingGroupSpec& group,
                            const scenario::SubnetSpec& subnet, const std::string& image) {
    if (!spec.vpc.present) return {};
    return image_pull_path(spec, image, subnet, group_sgs(spec, group),
                           instance_internet_why(spec, group, subnet),
                           nat_gateway_of(spec, subnet));
}

std::string instance_pull_blocked(const Spec& spec, const scenario::AutoScalingGroupSpec& group,
                                  const scenario::SubnetSpec& subnet, const std::string& image) {
    return instance_pull_path(spec, group, subnet, image).why;
}

std::string agent_registration_blocked(const Spec& spec,
                                       const scenario::AutoScalingGroupSpec& group,
                                       const scenario::SubnetSpec& subnet) {
    if (!spec.vpc.present) return {};
    return ecs_agent_blocked(spec, subnet, group_sgs(spec, group),
                             instance_internet_why(spec, group, subnet));
}

AgentLegs agent_registration_legs(const Spec& spec, const scenario::AutoScalingGroupSpec& group,
                                  const scenario::SubnetSpec& subnet) {
    if (!spec.vpc.present) return {};
    return ecs_agent_legs(spec, subnet, group_sgs(spec, group),
                          instance_internet_why(spec, group, subnet));
}

std::string egress_blocked(const Spec& spec, const std::vector<std::string>& source_sgs, int port,
                           const std::vector<std::string>& dest_sgs,
                           const std::vector<std::string>& dest_blocks, int to_port) {
    const auto r = outbound_missing(spec, source_sgs, port, to_port, dest_sgs, dest_blocks);
    return r ? english(*r) : std::string();
}

std::string gateway_egress_blocked(const Spec& spec, const std::vector<std::string>& source_sgs,
                                   int port, scenario::EndpointService service) {
    std::vector<std::string> endpoints;  // the service's gateway endpoints: its prefix list
    for (const auto& e : spec.vpc_endpoint)
        if (e.vpc_endpoint_type == scenario::EndpointType::Gateway && e.service_name == service)
            endpoints.push_back(e.name);
    for (const auto& name : source_sgs)
        if (const auto* sg = find_sg(spec, name))
            for (const auto& rule : sg->egress)
                for (const auto& list : rule.prefix_lists)
                    if (rule.covers(port) &&
                        std::find(endpoints.begin(), endpoints.end(), list) != endpoints.end())
                        return {};
    std::string out = egress_blocked(spec, source_sgs, port, {}, {"0.0.0.0/0"});
    if (!out.empty() && !endpoints.empty())
        out += " or to the prefix list of gateway endpoint " + join(endpoints);
    return out;
}

bool security_groups_allow(const Spec& spec, const std::vector<std::string>& sgs, int port,
                           const std::vector<std::string>& source_sgs,
                           const std::vector<std::string>& source_blocks) {
    return allowed_from(spec, sgs, port, source_sgs, source_blocks).has_value();
}

int nat_gateway_of(const Spec& spec, const scenario::SubnetSpec& subnet) {
    if (subnet.route.rfind("nat:", 0) != 0) return -1;
    for (std::size_t n = 0; n < spec.nat_gateway.size(); ++n)
        if (spec.nat_gateway[n].name == subnet.route.substr(4)) return static_cast<int>(n);
    return -1;
}

bool calls_out(const scenario::WorkloadSpec& workload, GatewayEndpoints gateway_endpoints) {
    return workload.outbound_bytes > 0 || (workload.s3_bytes > 0 && !gateway_endpoints.s3) ||
           (workload.dynamodb_bytes > 0 && !gateway_endpoints.dynamodb);
}

GatewayEndpoints gateway_endpoints_of(const Spec& spec, const std::string& subnet) {
    GatewayEndpoints out;
    for (const auto& e : spec.vpc_endpoint) {
        // An interface endpoint's subnets hold its network interfaces, not its route.
        if (e.vpc_endpoint_type != scenario::EndpointType::Gateway) continue;
        if (std::find(e.subnets.begin(), e.subnets.end(), subnet) == e.subnets.end()) continue;
        if (e.service_name == scenario::EndpointService::S3) out.s3 = true;
        if (e.service_name == scenario::EndpointService::DynamoDB) out.dynamodb = true;
    }
    return out;
}

std::vector<std::string> launch_security_groups(const Spec& spec,
                                                const scenario::AutoScalingGroupSpec& group) {
    return group_sgs(spec, group);
}

std::string english_why(const std::vector<FlowReason>& reasons) {
    std::string out;
    for (std::size_t i = 0; i < reasons.size(); ++i) {
        const FlowReason& r = reasons[i];
        if (i > 0) out += "; ";
        // A NAT instance's further problems continue the sentence its first one began.
        const bool continues = i > 0 && is_nat_problem(r.kind) &&
                               is_nat_problem(reasons[i - 1].kind) &&
                               reasons[i - 1].subnet == r.subnet;
        out += continues ? nat_problem(r) : english(r);
    }
    return out;
}

const char* closed_flow_effect(Flow::Kind kind) {
    switch (kind) {
        case Flow::InternetToLoadBalancer:
            return "the clients' connections time out; the load balancer never sees the requests";
        case Flow::LoadBalancerToTargets:
            return "the load balancer cannot connect to the targets: health checks fail, requests "
                   "get 504 from the load balancer";
        case Flow::AppToDatabase:
            return "the targets serve the requests, wait for the database connection to time out "
                   "and answer 500";
        case Flow::PrivateToInternet:
            return "the instances cannot reach the internet: requests whose application calls "
                   "out of the VPC wait for its connect timeout and answer 500";
    }
    return "?";
}

const char* closed_flow_effect(const Flow& flow) {
    if (flow.kind == Flow::PrivateToInternet && flow.image_pulls)
        return "the tasks cannot pull their image: they stop before RUNNING "
               "(TaskFailedToStart), none is registered, and the load balancer answers 503";
    return closed_flow_effect(flow.kind);
}

const char* to_string(Flow::Kind kind) {
    switch (kind) {
        case Flow::InternetToLoadBalancer:
            return "internet_to_load_balancer";
        case Flow::LoadBalancerToTargets:
            return "load_balancer_to_targets";
        case Flow::AppToDatabase:
            return "app_to_database";
        case Flow::PrivateToInternet:
            return "private_to_internet";
    }
    return "?";
}

std::string port_text(int port, int to_port) {
    return to_port > port ? fmt::format("{}-{}", port, to_port) : std::to_string(port);
}

std::vector<Flow> analyse_flows(const Spec& spec) {
    std::vector<Flow> out;
    if (!spec.vpc.present) return out;
    internet_to_load_balancers(spec, out);
    load_balancers_to_targets(spec, out);
    apps_to_databases(spec, out);
    privates_to_internet(spec, out);
    for (auto& f : out)
        f.why = english_why(f.reasons);
    return out;
}

}  // namespace stratus::cloud

namespace stratus::cloud {

namespace {

// A warning about a whole element: at its table's position, or the file's when it has none
// (an element built by a test or the importer, not read from a file).
scenario::Diagnostic element_warning(const scenario::Spec& spec, const scenario::KeyPositions& pos,
                                     const char* key, std::string message) {
    return {scenario::Severity::Warning, scenario::position_of(spec, pos), key, std::move(message)};
}

// The subnets of the Auto Scaling groups of the capacity providers of `cluster`: where its
// container instances pull the images of its EC2 tasks from (instance_pull_blocked).
void container_instance_pulls(const scenario::Spec& spec, const std::string& cluster,
                              const std::string& image, std::vector<std::string>& why) {
    for (const auto& c : spec.ecs_cluster_capacity_providers) {
        if (c.cluster_name != cluster) continue;
        for (const auto& name : c.capacity_providers)
            for (const auto& p : spec.ecs_capacity_provider) {
                if (p.name != name) continue;
                for (const auto& g : spec.autoscaling_group) {
                    if (g.name != p.auto_scaling_group) continue;
                    for (const auto& subnet : g.subnets)
                        if (const auto* sn = find_subnet(spec, subnet))
                            if (auto w = instance_pull_blocked(spec, g, *sn, image); !w.empty())
                                why.push_back(w);
                }
            }
    }
}

// A service whose tasks cannot reach their image's registry from some of its subnets (on EC2:
// from some of its container instances' subnets).
void image_pull_warnings(const scenario::Spec& spec, std::vector<scenario::Diagnostic>& out) {
    for (const auto& svc : spec.ecs_service) {
        std::vector<std::string> why;
        if (scenario::runs_on_ec2(spec, svc))
            container_instance_pulls(spec, svc.cluster, service_image(spec, svc), why);
        else
            for (const auto& name : svc.subnets)
                for (const auto& sn : spec.subnet)
                    if (sn.name == name)
                        if (auto w = image_pull_blocked(spec, svc, sn); !w.empty())
                            why.push_back(w);
        if (why.empty()) continue;
        out.push_back(element_warning(
            spec, svc.pos, "network.image_pull",
            fmt::format("{} -> image registry on port 443 is closed: {}; its tasks there cannot "
                        "pull their image, stop before RUNNING (TaskFailedToStart) and the "
                        "service keeps launching them, throttled",
                        svc.name, join(why, "; "))));
    }
}

// The groups of the clusters' capacity providers whose instances' ECS agent cannot register
// them from some of their subnets: the cluster gets no container instance there.
void agent_registration_warnings(const scenario::Spec& spec,
                                 std::vector<scenario::Diagnostic>& out) {
    for (const auto& g : spec.autoscaling_group) {
        std::string cluster;
        for (const auto& c : spec.ecs_cluster_capacity_providers)
            for (const auto& name : c.capacity_providers)
                for (const auto& p : spec.ecs_capacity_provider)
                    if (p.name == name && p.auto_scaling_group == g.name) cluster = c.cluster_name;
        if (cluster.empty()) continue;
        std::vector<std::string> why;
        for (const auto& subnet : g.subnets)
            if (const auto* sn = find_subnet(spec, subnet))
                if (auto w = agent_registration_blocked(spec, g, *sn); !w.empty())
                    why.push_back(fmt::format("from subnet {}: {}", subnet, w));
        if (why.empty()) continue;
        out.push_back(element_warning(
            spec, g.pos, "network.ecs_agent",
            fmt::format("{} -> ECS on port 443 is closed: {}; the ECS agent cannot register "
                        "these container instances with cluster {}, so no task is placed on "
                        "them (\"No Container Instances were found in your cluster\")",
                        g.name, join(why, "; "), cluster)));
    }
}

}  // namespace

std::vector<scenario::Diagnostic> closed_flow_warnings(const scenario::Spec& spec) {
    std::vector<scenario::Diagnostic> out;
    auto pos_of = [&](Flow::Endpoint kind, const std::string& name) -> scenario::SourcePos {
        auto find = [&](const auto& items, auto name_of) -> const scenario::KeyPositions* {
            for (const auto& item : items)
                if (name_of(item) == name && item.pos.count("")) return &item.pos;
            return nullptr;
        };
        const scenario::KeyPositions* pos = nullptr;
        switch (kind) {
            case Flow::LoadBalancer:
                pos = find(spec.load_balancer, [](const auto& x) { return x.name; });
                break;
            case Flow::AutoScalingGroup:
                pos = find(spec.autoscaling_group, [](const auto& x) { return x.name; });
                break;
            case Flow::EcsService:
                pos = find(spec.ecs_service, [](const auto& x) { return x.name; });
                break;
            case Flow::Instance:
                pos = find(spec.instance, [](const auto& x) { return x.name; });
                break;
            case Flow::DbInstance:
                pos = find(spec.db_instance, [](const auto& x) { return x.identifier; });
                break;
            case Flow::Internet:
                break;
        }
        return pos ? scenario::position_of(spec, *pos)
                   : scenario::SourcePos{spec.source_file, 0, 0};
    };
    // A flow its source's outbound rules close: at the `egress` key of the source's first
    // security group (its table's header when the key is not written), which is what to fix.
    auto outbound_at = [&](const Flow& f, scenario::SourcePos& pos, std::string& key) {
        if (f.reasons.empty() || f.reasons.front().kind != FlowReason::NoOutboundRule) return;
        const auto* sg = find_sg(spec, f.reasons.front().security_groups.at(0));
        if (!sg) return;
        pos = scenario::position_of(spec, sg->pos, "egress");
        key = fmt::format("security_group[{}].egress", sg->name);
    };
    for (const Flow& f : analyse_flows(spec)) {
        if (f.open) continue;
        if (f.kind == Flow::PrivateToInternet) {
            // A broken NAT instance, or requests that call out, are worth a warning: a private
            // subnet without any route out is otherwise a deliberate design the lessons show.
            if (!f.through_nat_instance && !f.carries_requests) continue;
            scenario::SourcePos pos = pos_of(f.from_kind, f.from);
            std::string key = fmt::format("network.{}", to_string(f.kind));
            outbound_at(f, pos, key);
            out.push_back(
                {scenario::Severity::Warning, pos, key,
                 fmt::format("{} -> internet on port 443 is closed: {}; {}", f.from, f.why,
                             f.carries_requests
                                 ? "requests that call out of the VPC will fail with 500"
                                 : "its outbound traffic (updates, external APIs) goes "
                                   "nowhere")});
            continue;
        }
        scenario::SourcePos pos = pos_of(f.to_kind, f.to);
        std::string key = fmt::format("network.{}", to_string(f.kind));
        outbound_at(f, pos, key);
        out.push_back({scenario::Severity::Warning, pos, key,
                       fmt::format("{} -> {} on port {} is closed: {}; {}", f.from, f.to,
                                   port_text(f.port, f.to_port), f.why,
                                   f.kind == Flow::AppToDatabase
                                       ? "requests that need the database will fail with 500"
                                       : "its requests will time out")});
    }
    image_pull_warnings(spec, out);
    agent_registration_warnings(spec, out);
    return out;
}

}  // namespace stratus::cloud
