#include "sim/view/network_view.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/args.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "sim/cloud/image_pull.hpp"
#include "sim/cloud/network.hpp"
#include "sim/core/ascii.hpp"
#include "sim/scenario/cidr.hpp"

namespace stratus::view {
namespace {

using scenario::Spec;

using cloud::FlowReason;

// The network view's sentences, each declared once; the viewer's table words them in Korean.
constexpr const char* kHopClient = "client -> load balancer";
constexpr const char* kHopTargets = "load balancer -> targets";
constexpr const char* kHopDatabase = "application -> database";
constexpr const char* kHopInternet = "instances -> internet";
constexpr const char* kNoSgOnLoadBalancer = "no security group listed on {} (not modelled)";
constexpr const char* kNoSgOnLaunchTemplate =
    "no security group listed on launch template {} (not modelled)";
constexpr const char* kNoSgOnDb = "no security group listed on db_instance {} (not modelled)";
constexpr const char* kRuleAllows = "security group {} allows {} from {}";
constexpr const char* kNoRule = "{} has no inbound rule for {} from {}";
constexpr const char* kNoRulePlural = "{} have no inbound rule for {} from {}";
constexpr const char* kNoRuleBlock = "{} has no inbound rule for {} from a block holding {}";
constexpr const char* kNoRuleBlockPlural = "{} have no inbound rule for {} from a block holding {}";
constexpr const char* kNoOutRule = "{} has no outbound rule for {} to {}";
constexpr const char* kNoOutRulePlural = "{} have no outbound rule for {} to {}";
constexpr const char* kNoOutRuleBlock = "{} has no outbound rule for {} to a block holding {}";
constexpr const char* kNoOutRuleBlockPlural =
    "{} have no outbound rule for {} to a block holding {}";
constexpr const char* kNoInternetRoute = "subnet {}'s route table has no 0.0.0.0/0 -> igw";
constexpr const char* kRoutesOnlyLocal =
    "subnet {} routes only within the VPC (no internet gateway, no NAT gateway)";
constexpr const char* kNatGatewayUnrouted =
    "subnet {} routes to NAT gateway {}, but subnet {}'s route table has no 0.0.0.0/0 -> igw";
constexpr const char* kThroughNatGateway = "subnet {} through NAT gateway {}";
constexpr const char* kThroughNatInstance = "subnet {} through NAT instance {}";
constexpr const char* kNatSourceDestCheck =
    "subnet {} routes to NAT instance {}, but its source/destination check is on (set "
    "source_dest_check = false)";
constexpr const char* kNatInstanceUnrouted =
    "subnet {} routes to NAT instance {}, but subnet {}'s route table has no 0.0.0.0/0 -> igw";
constexpr const char* kNatNoPublicIp =
    "subnet {} routes to NAT instance {}, but it has no public IPv4 address";
constexpr const char* kNatNoRule =
    "subnet {} routes to NAT instance {}, but {} has no inbound rule for 443 from {}";
constexpr const char* kNoTrafficModelled =
    "the model sends no updates or external calls, so no request is lost";
// A container instance's own calls (EC2 launch type): its ECS agent, its tasks' image pulls.
constexpr const char* kHopAgent = "container instances -> Amazon ECS (agent registration)";
constexpr const char* kHopRegistry = "container instances -> Amazon ECR (image pull)";
constexpr const char* kHopLayers = "container instances -> Amazon S3 (image layers)";
constexpr const char* kAgentCannotRegister =
    "the ECS agent cannot register the instances with cluster {}";
constexpr const char* kNoPrivateDnsEndpoint = "no interface endpoint with private DNS for {}";
constexpr const char* kPrivateDnsOff = "private DNS off on interface endpoints {}";
constexpr const char* kEndpointRefuses =
    "interface endpoint {} (private DNS) is not reachable on 443 from {}";
constexpr const char* kNoS3Gateway = "no S3 gateway endpoint on subnet {}'s route table";
constexpr const char* kNoOutRulePrefixList =
    "{} has no outbound rule for 443 to 0.0.0.0/0 or to the prefix list of gateway endpoint {}";
constexpr const char* kThroughEndpoints = "through interface endpoints {} (private DNS)";
constexpr const char* kThroughGatewayEndpoint = "through gateway endpoint {} (route table)";
constexpr const char* kThroughWayOut = "through the subnets' way out to the internet";

const char* hop_of(cloud::Flow::Kind kind) {
    switch (kind) {
        case cloud::Flow::InternetToLoadBalancer:
            return kHopClient;
        case cloud::Flow::LoadBalancerToTargets:
            return kHopTargets;
        case cloud::Flow::AppToDatabase:
            return kHopDatabase;
        case cloud::Flow::PrivateToInternet:
            return kHopInternet;
    }
    return "?";
}

std::string join(const std::vector<std::string>& items) {
    return fmt::format("{}", fmt::join(items, ", "));
}

// The rule to add names a source security group where the flow has one (the subnet blocks
// that would also do are in the event and the warning), else the block a rule must hold.
Phrase missing_rule(const FlowReason& r) {
    const bool many = r.security_groups.size() > 1;
    const std::string sgs = join(r.security_groups), port = cloud::port_text(r.port, r.to_port);
    if (r.from_anywhere) return {many ? kNoRulePlural : kNoRule, {sgs, port, "0.0.0.0/0"}};
    if (!r.source_sgs.empty())
        return {many ? kNoRulePlural : kNoRule, {sgs, port, join(r.source_sgs)}};
    return {many ? kNoRuleBlockPlural : kNoRuleBlock, {sgs, port, join(r.source_blocks)}};
}

// The outbound rule to add: to the destination's security group where it has one, else to the
// block a rule must hold.
Phrase missing_outbound_rule(const FlowReason& r) {
    const bool many = r.security_groups.size() > 1;
    const std::string sgs = join(r.security_groups), port = cloud::port_text(r.port, r.to_port);
    if (!r.source_sgs.empty())
        return {many ? kNoOutRulePlural : kNoOutRule, {sgs, port, join(r.source_sgs)}};
    return {many ? kNoOutRuleBlockPlural : kNoOutRuleBlock, {sgs, port, join(r.source_blocks)}};
}

Phrase phrase_of(const FlowReason& r) {
    switch (r.kind) {
        case FlowReason::NotModelled:
            return {r.owner_kind == FlowReason::LaunchTemplate ? kNoSgOnLaunchTemplate
                    : r.owner_kind == FlowReason::DbInstance   ? kNoSgOnDb
                                                               : kNoSgOnLoadBalancer,
                    {r.owner}};
        case FlowReason::RuleAllows:
            return {kRuleAllows,
                    {r.security_groups.at(0), cloud::port_text(r.port, r.to_port), r.source}};
        case FlowReason::NoInboundRule:
            return missing_rule(r);
        case FlowReason::NoOutboundRule:
            return missing_outbound_rule(r);
        case FlowReason::NoInternetRoute:
            return {kNoInternetRoute, {r.subnet}};
        case FlowReason::RoutesOnlyLocal:
            return {kRoutesOnlyLocal, {r.subnet}};
        case FlowReason::NatGatewayUnrouted:
            return {kNatGatewayUnrouted, {r.subnet, r.gateway, r.home}};
        case FlowReason::ThroughNatGateway:
            return {kThroughNatGateway, {r.subnet, r.gateway}};
        case FlowReason::ThroughNatInstance:
            return {kThroughNatInstance, {r.subnet, r.gateway}};
        case FlowReason::NatSourceDestCheck:
            return {kNatSourceDestCheck, {r.subnet, r.gateway}};
        case FlowReason::NatInstanceUnrouted:
            return {kNatInstanceUnrouted, {r.subnet, r.gateway, r.home}};
        case FlowReason::NatNoPublicIp:
            return {kNatNoPublicIp, {r.subnet, r.gateway}};
        case FlowReason::NatNoInboundRule: {
            const Phrase rule = missing_rule(r);
            return {kNatNoRule, {r.subnet, r.gateway, rule.args[0], rule.args[2]}};
        }
        case FlowReason::NoTrafficModelled:
            return {kNoTrafficModelled, {}};
    }
    return {};
}

// Where each subnet's way out stops, from a private -> internet flow's reasons (the first stop
// on the way when a subnet has several reasons).
std::vector<FlowView::Outbound> outbound_of(const cloud::Flow& f) {
    using Stop = FlowView::Outbound::Stop;
    std::vector<FlowView::Outbound> out;
    for (const auto& r : f.reasons) {
        if (r.subnet.empty()) continue;
        Stop stop = Stop::Open;
        switch (r.kind) {
            case FlowReason::NoInternetRoute:
            case FlowReason::RoutesOnlyLocal:
                stop = Stop::Subnet;
                break;
            case FlowReason::NatNoInboundRule:
                stop = Stop::BeforeNat;
                break;
            case FlowReason::NatGatewayUnrouted:
            case FlowReason::NatSourceDestCheck:
            case FlowReason::NatInstanceUnrouted:
            case FlowReason::NatNoPublicIp:
                stop = Stop::AfterNat;
                break;
            default:
                break;
        }
        auto it = std::find_if(out.begin(), out.end(),
                               [&](const FlowView::Outbound& o) { return o.subnet == r.subnet; });
        if (it == out.end()) {
            out.push_back({r.subnet, stop, r.gateway, {}});
            it = out.end() - 1;
        } else if (it->stop == Stop::Open || (stop != Stop::Open && stop < it->stop)) {
            it->stop = stop;  // Subnet < BeforeNat < AfterNat: the first on the way out
        }
        it->why.push_back(phrase_of(r));
    }
    return out;
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

// The route table of a subnet as the console lists it: local first, then 0.0.0.0/0.
SubnetView subnet_of(const Spec& spec, const scenario::SubnetSpec& s) {
    SubnetView v;
    v.name = s.name;
    v.cidr = s.cidr_block;
    v.availability_zone = s.availability_zone;
    const auto& zones = spec.region.availability_zones;
    v.zone = static_cast<int>(std::find(zones.begin(), zones.end(), s.availability_zone) -
                              zones.begin());
    if (v.zone >= static_cast<int>(zones.size())) v.zone = -1;
    v.named_public = ascii_lower(s.name).find("public") != std::string::npos;
    v.route_table.push_back(spec.vpc.cidr_block + " -> local");
    if (s.route == "igw") {
        v.is_public = true;
        v.route_target = "igw";
        v.route_table.push_back("0.0.0.0/0 -> igw");
    } else if (s.route.rfind("nat:", 0) == 0) {
        v.route_target = s.route.substr(4) + " (NAT gateway)";
        v.route_table.push_back("0.0.0.0/0 -> " + v.route_target);
    } else if (s.route.rfind("instance:", 0) == 0) {
        v.route_target = s.route.substr(9) + " (NAT instance)";
        v.route_table.push_back("0.0.0.0/0 -> " + v.route_target);
    }
    try {
        const auto c = scenario::Cidr::parse(s.cidr_block);
        const auto size = c.size();
        v.addresses = size > 5 ? fmt::format("{} usable (5 reserved)", size - 5)
                               : fmt::format("{} addresses", size);
    } catch (const scenario::CidrError&) {
        v.addresses = "";
    }
    return v;
}

SubnetView* find_subnet(NetworkView& v, const std::string& name) {
    for (auto& s : v.subnets)
        if (s.name == name) return &s;
    return nullptr;
}

const char* service_of(scenario::EndpointService s) {
    switch (s) {
        case scenario::EndpointService::S3:
            return "s3";
        case scenario::EndpointService::DynamoDB:
            return "dynamodb";
        case scenario::EndpointService::EcrApi:
            return "ecr.api";
        case scenario::EndpointService::EcrDkr:
            return "ecr.dkr";
        case scenario::EndpointService::Logs:
            return "logs";
        case scenario::EndpointService::Ecs:
            return "ecs";
        case scenario::EndpointService::EcsAgent:
            return "ecs-agent";
        case scenario::EndpointService::EcsTelemetry:
            return "ecs-telemetry";
    }
    return "";
}

// VPC endpoints as the console shows them: an interface endpoint's network interface in each
// of its subnets (with its security groups, and whether private DNS sends the service's name
// to it), a gateway endpoint's route (the service's prefix list) in its subnets' route tables.
void place_endpoints(const Spec& spec, NetworkView& v) {
    for (const auto& e : spec.vpc_endpoint)
        for (const auto& name : e.subnets) {
            auto* s = find_subnet(v, name);
            if (!s) continue;
            const std::string service = service_of(e.service_name);
            if (e.vpc_endpoint_type == scenario::EndpointType::Gateway) {
                s->route_table.push_back(
                    fmt::format("pl-{} -> {} (gateway endpoint)", service, e.name));
                continue;
            }
            s->resources.push_back({NetResource::Kind::VpcEndpoint, e.name, e.security_groups, 0,
                                    e.private_dns_enabled ? "" : "private DNS off"});
        }
}

// A load balancer's listeners as its chip's note, each port and the target groups its
// default action forwards to: "80 -> blue-tg, 999 -> green-tg" (a weighted forward: "80 ->
// blue-tg 90 / green-tg 10"; none: "80 -> 503"). `groups(i)`: the (name, weight) pairs of
// its i-th listener, from the scenario or from the running load balancer.
template <class Groups>
std::string listeners_note(const Spec& spec, const std::string& lb, Groups groups) {
    std::string out;
    std::size_t i = 0;
    for (const auto& l : spec.lb_listener) {
        if (l.load_balancer != lb) continue;
        const std::vector<std::pair<std::string, int>> forward = groups(i++, l);
        std::string to;
        for (const auto& [name, weight] : forward)
            to += (to.empty() ? "" : " / ") +
                  (forward.size() > 1 ? fmt::format("{} {}", name, weight) : name);
        out += fmt::format("{}{} -> {}", out.empty() ? "" : ", ", l.port, to.empty() ? "503" : to);
    }
    return out;
}

std::vector<std::pair<std::string, int>> spec_groups(std::size_t,
                                                     const scenario::LbListenerSpec& l) {
    std::vector<std::pair<std::string, int>> out;
    for (const auto& f : scenario::forwards_of(l))
        out.emplace_back(f.arn, f.weight);
    return out;
}

// Everything the scenario places in its subnets.
void place_resources(const Spec& spec, NetworkView& v) {
    for (const auto& lb : spec.load_balancer)
        for (const auto& name : lb.subnets)
            if (auto* s = find_subnet(v, name))
                s->resources.push_back({NetResource::Kind::LoadBalancer, lb.name,
                                        lb.security_groups, 0,
                                        listeners_note(spec, lb.name, spec_groups)});
    for (const auto& g : spec.autoscaling_group) {
        const auto sgs = cloud::launch_security_groups(spec, g);
        for (const auto& name : g.subnets)
            if (auto* s = find_subnet(v, name))
                s->resources.push_back({NetResource::Kind::Instances, g.name, sgs, 0, ""});
    }
    // An ECS service whose tasks have network interfaces of their own (awsvpc: its subnets
    // and security groups), as the flows that start or end at it see them.
    for (const auto& svc : spec.ecs_service)
        for (const auto& name : svc.subnets)
            if (auto* s = find_subnet(v, name))
                s->resources.push_back(
                    {NetResource::Kind::Tasks, svc.name, svc.security_groups, 0, ""});
    for (const auto& n : spec.nat_gateway)
        if (auto* s = find_subnet(v, n.subnet))
            s->resources.push_back({NetResource::Kind::NatGateway, n.name, {}, 0, ""});
    place_endpoints(spec, v);
    for (const auto& i : spec.instance) {
        if (i.subnet.empty()) continue;
        bool nat = false;
        for (const auto& sub : spec.subnet)
            nat = nat || sub.route == "instance:" + i.name;
        if (auto* s = find_subnet(v, i.subnet))
            s->resources.push_back(
                {nat ? NetResource::Kind::NatInstance : NetResource::Kind::Instances, i.name,
                 i.security_groups, 1, ""});
    }
    for (const auto& db : spec.db_instance) {
        for (const auto& name : db.subnets)
            if (auto* s = find_subnet(v, name)) s->for_database = true;
        // The primary sits in the subnet of its AZ; a Multi-AZ standby in another.
        bool primary_placed = false, standby_placed = false;
        for (const auto& name : db.subnets) {
            auto* s = find_subnet(v, name);
            if (!s) continue;
            if (!primary_placed && s->availability_zone == db.availability_zone) {
                s->resources.push_back(
                    {NetResource::Kind::Database, db.identifier, db.security_groups, 0, "primary"});
                primary_placed = true;
            } else if (db.multi_az && !standby_placed &&
                       s->availability_zone != db.availability_zone) {
                s->resources.push_back(
                    {NetResource::Kind::Database, db.identifier, db.security_groups, 0, "standby"});
                standby_placed = true;
            }
        }
    }
}

// ---- a container instance's own calls (EC2 launch type) ----------------------------------

using Call = FlowView::Call;

// The cluster whose capacity provider `group` is ("": none).
std::string cluster_of(const Spec& spec, const std::string& group) {
    for (const auto& c : spec.ecs_cluster_capacity_providers)
        for (const auto& name : c.capacity_providers)
            for (const auto& p : spec.ecs_capacity_provider)
                if (p.name == name && p.auto_scaling_group == group) return c.cluster_name;
    return {};
}

// The image the cluster's first service on EC2 pulls ("": none).
std::string ec2_image(const Spec& spec, const std::string& cluster) {
    for (const auto& s : spec.ecs_service) {
        if (s.cluster != cluster || !scenario::runs_on_ec2(spec, s)) continue;
        for (const auto& td : spec.ecs_task_definition)
            if (td.family == s.task_definition) return cloud::first_image(td);
    }
    return {};
}

// The interface endpoints of `service`: those with private DNS (the one the name leads to
// first) or those without it.
std::vector<std::string> interface_endpoints(const Spec& spec, scenario::EndpointService service,
                                             bool private_dns) {
    std::vector<std::string> out;
    for (const auto& e : spec.vpc_endpoint)
        if (e.service_name == service && e.vpc_endpoint_type == scenario::EndpointType::Interface &&
            e.private_dns_enabled == private_dns)
            out.push_back(e.name);
    return out;
}

// Why the instances' own way out fails from `subnet`: the instances -> internet flow's reasons
// there, and its missing outbound rule.
std::vector<Phrase> way_out_why(const NetworkView& v, const std::string& group,
                                const std::string& subnet) {
    std::vector<Phrase> out;
    for (const auto& f : v.flows) {
        if (f.hop != kHopInternet || f.from != group) continue;
        for (const auto& p : f.why)
            if (p.text == kNoOutRule || p.text == kNoOutRulePlural || p.text == kNoOutRuleBlock ||
                p.text == kNoOutRuleBlockPlural)
                out.push_back(p);
        for (const auto& o : f.outbound)
            if (o.subnet == subnet && o.stop != FlowView::Outbound::Stop::Open)
                out.insert(out.end(), o.why.begin(), o.why.end());
    }
    return out;
}

// Legs to `services` that no private-DNS endpoint takes and that cannot go out: say which, the
// endpoints there with private DNS off, then why the way out fails.
std::vector<Phrase> unserved_why(const Spec& spec, const NetworkView& v, const std::string& group,
                                 const std::string& subnet,
                                 const std::vector<scenario::EndpointService>& services) {
    // A service with an endpoint whose private DNS is off: that endpoint is the fix to name.
    std::vector<std::string> names, off;
    for (const auto s : services) {
        const auto endpoints = interface_endpoints(spec, s, false);
        if (endpoints.empty()) names.push_back(service_of(s));
        off.insert(off.end(), endpoints.begin(), endpoints.end());
    }
    std::vector<Phrase> out;
    if (!names.empty()) out.push_back({kNoPrivateDnsEndpoint, {join(names)}});
    if (!off.empty()) out.push_back({kPrivateDnsOff, {join(off)}});
    for (auto& p : way_out_why(v, group, subnet))
        out.push_back(std::move(p));
    return out;
}

// Legs through interface endpoints (way InterfaceEndpoint), through the way out, or blocked:
// one call. `legs`: each service's way and its endpoint's name.
Call legs_call(
    const Spec& spec, const NetworkView& v, const scenario::AutoScalingGroupSpec& g,
    const std::string& subnet,
    const std::vector<std::tuple<scenario::EndpointService, cloud::PullWay, std::string>>& legs) {
    Call c;
    c.subnet = subnet;
    bool out = false;
    std::vector<scenario::EndpointService> unserved;
    for (const auto& [service, way, endpoint] : legs) {
        if (way == cloud::PullWay::Blocked && !endpoint.empty())
            c.why.push_back(
                {kEndpointRefuses, {endpoint, join(cloud::launch_security_groups(spec, g))}});
        else if (way == cloud::PullWay::Blocked)
            unserved.push_back(service);
        else if (way == cloud::PullWay::Internet)
            out = true;
        else if (!endpoint.empty() && !contains(c.endpoints, endpoint))
            c.endpoints.push_back(endpoint);
    }
    if (!unserved.empty())
        for (auto& p : unserved_why(spec, v, g.name, subnet, unserved))
            c.why.push_back(std::move(p));
    c.way = !c.why.empty() ? Call::Way::Blocked
            : out          ? Call::Way::Out
                           : Call::Way::InterfaceEndpoint;
    return c;
}

std::string endpoint_name(const Spec& spec, int index) {
    return index >= 0 ? spec.vpc_endpoint[static_cast<std::size_t>(index)].name : std::string();
}

std::string first_or_empty(const std::vector<std::string>& v) {
    return v.empty() ? std::string() : v.front();
}

// The layers of an ECR image from `subnet`: S3 through the gateway endpoint on its route table,
// an S3 interface endpoint, or the way out.
Call layers_call(const Spec& spec, const NetworkView& v, const scenario::AutoScalingGroupSpec& g,
                 const scenario::SubnetSpec& sn, const cloud::PullPath& p) {
    using scenario::EndpointService;
    std::string gateway;
    for (const auto& e : spec.vpc_endpoint)
        if (e.vpc_endpoint_type == scenario::EndpointType::Gateway &&
            e.service_name == EndpointService::S3 && contains(e.subnets, sn.name) &&
            gateway.empty())
            gateway = e.name;
    if (p.layers == cloud::PullWay::GatewayEndpoint)
        return {sn.name, Call::Way::GatewayEndpoint, {gateway}, {}};
    if (p.layers == cloud::PullWay::Blocked && !gateway.empty())
        return {sn.name,
                Call::Way::Blocked,
                {gateway},
                {{kNoOutRulePrefixList, {join(cloud::launch_security_groups(spec, g)), gateway}}}};
    Call c = legs_call(spec, v, g, sn.name,
                       {{EndpointService::S3, p.layers, endpoint_name(spec, p.layers_endpoint)}});
    if (c.way == Call::Way::Blocked && p.layers_endpoint < 0)
        c.why.insert(c.why.begin(), {kNoS3Gateway, {sn.name}});
    return c;
}

// A hop of the instances' own calls, judged from its subnets' calls: open when none is
// blocked; its reasons each blocked subnet's (each once), or how it goes.
FlowView calls_flow(const char* hop, const std::string& from, const std::string& to,
                    std::vector<Call> calls) {
    FlowView f;
    f.hop = hop;
    f.from = from;
    f.to = to;
    f.port = 443;
    f.carries_requests = false;
    f.calls = std::move(calls);
    std::vector<std::string> endpoints;
    bool out = false;
    for (const auto& c : f.calls) {
        f.open = f.open && c.way != Call::Way::Blocked;
        out = out || c.way == Call::Way::Out;
        for (const auto& e : c.endpoints)
            if (!contains(endpoints, e)) endpoints.push_back(e);
        for (const auto& p : c.why) {
            const bool said = std::any_of(f.why.begin(), f.why.end(), [&](const Phrase& q) {
                return q.text == p.text && q.args == p.args;
            });
            if (!said) f.why.push_back(p);
        }
    }
    if (!f.open) return f;
    if (out)
        f.why.push_back({kThroughWayOut, {}});
    else if (!f.calls.empty() && f.calls.front().way == Call::Way::GatewayEndpoint)
        f.why.push_back({kThroughGatewayEndpoint, {join(endpoints)}});
    else if (!endpoints.empty())
        f.why.push_back({kThroughEndpoints, {join(endpoints)}});
    return f;
}

// The calls each group of an ECS capacity provider's instances make for themselves: the ECS
// agent registering the instance with the cluster (ecs, ecs-agent, ecs-telemetry), and the
// pull of its tasks' image (the registry, then for Amazon ECR the layers in S3).
void add_instance_calls(const Spec& spec, NetworkView& v) {
    using S = scenario::EndpointService;
    auto dns = [&](S service) { return first_or_empty(interface_endpoints(spec, service, true)); };
    for (const auto& g : spec.autoscaling_group) {
        const std::string cluster = cluster_of(spec, g.name);
        if (cluster.empty()) continue;
        const std::string image = ec2_image(spec, cluster);
        std::vector<Call> agent, registry, layers;
        bool ecr = false;
        for (const auto& name : g.subnets) {
            const auto it =
                std::find_if(spec.subnet.begin(), spec.subnet.end(),
                             [&](const scenario::SubnetSpec& s) { return s.name == name; });
            if (it == spec.subnet.end()) continue;
            const auto a = cloud::agent_registration_legs(spec, g, *it);
            agent.push_back(
                legs_call(spec, v, g, name,
                          {{S::Ecs, a.way[0], endpoint_name(spec, a.endpoint[0])},
                           {S::EcsAgent, a.way[1], endpoint_name(spec, a.endpoint[1])},
                           {S::EcsTelemetry, a.way[2], endpoint_name(spec, a.endpoint[2])}}));
            if (image.empty()) continue;
            const auto p = cloud::instance_pull_path(spec, g, *it, image);
            ecr = p.ecr;
            if (!p.ecr) {
                const bool blocked = p.manifest == cloud::PullWay::Blocked;
                registry.push_back(
                    {name,
                     blocked ? Call::Way::Blocked : Call::Way::Out,
                     {},
                     blocked ? way_out_why(v, g.name, name) : std::vector<Phrase>{}});
                continue;
            }
            registry.push_back(legs_call(
                spec, v, g, name,
                {{S::EcrApi, p.auth, dns(S::EcrApi)}, {S::EcrDkr, p.manifest, dns(S::EcrDkr)}}));
            layers.push_back(layers_call(spec, v, g, *it, p));
        }
        FlowView a = calls_flow(kHopAgent, g.name, "ecs, ecs-agent, ecs-telemetry", agent);
        if (!a.open) a.why.insert(a.why.begin(), {kAgentCannotRegister, {cluster}});
        v.flows.push_back(std::move(a));
        if (!registry.empty())
            v.flows.push_back(
                calls_flow(kHopRegistry, g.name, ecr ? "ecr.api, ecr.dkr" : image, registry));
        if (!layers.empty()) v.flows.push_back(calls_flow(kHopLayers, g.name, "s3", layers));
    }
    // An instances -> internet flow that says no request is lost, from instances whose own
    // calls are blocked (or their tasks): those calls are lost (the agent, the image), so it
    // does not say so.
    for (auto& f : v.flows) {
        if (f.hop != kHopInternet) continue;
        // From the group, or from a service on EC2 whose tasks (bridge or host mode) send from
        // the group's instances.
        std::string cluster;
        for (const auto& svc : spec.ecs_service)
            if (svc.name == f.from && scenario::runs_on_ec2(spec, svc)) cluster = svc.cluster;
        const bool blocked = std::any_of(v.flows.begin(), v.flows.end(), [&](const FlowView& c) {
            return !c.calls.empty() && !c.open &&
                   (c.from == f.from || (!cluster.empty() && cluster_of(spec, c.from) == cluster));
        });
        if (blocked)
            f.why.erase(
                std::remove_if(f.why.begin(), f.why.end(),
                               [](const Phrase& p) { return p.text == kNoTrafficModelled; }),
                f.why.end());
    }
}

NetworkView build(const Spec& spec) {
    NetworkView v;
    v.zones = spec.region.availability_zones;
    if (!spec.vpc.present) return v;
    v.modelled = true;
    v.vpc_cidr = spec.vpc.cidr_block;
    for (const auto& s : spec.subnet)
        v.subnets.push_back(subnet_of(spec, s));
    place_resources(spec, v);
    for (const auto& sg : spec.security_group) {
        SecurityGroupView g;
        g.name = sg.name;
        for (const auto& r : sg.ingress) {
            std::vector<std::string> from = r.cidr_blocks;
            from.insert(from.end(), r.source_security_groups.begin(),
                        r.source_security_groups.end());
            std::string sources;
            for (const auto& f : from)
                sources += (sources.empty() ? "" : ", ") + f;
            std::string ports = r.port == r.last_port()
                                    ? std::to_string(r.port)
                                    : fmt::format("{}-{}", r.port, r.last_port());
            if (!r.tcp) ports += " (not TCP)";
            g.inbound.push_back(fmt::format("{} from {}", ports, sources));
        }
        v.security_groups.push_back(std::move(g));
    }
    for (const auto& f : cloud::analyse_flows(spec)) {
        FlowView fv;
        fv.hop = hop_of(f.kind);
        fv.from = f.from;
        fv.to = f.to;
        fv.port = f.port;
        fv.to_port = f.to_port;
        fv.open = f.open;
        fv.why = flow_phrases(f);
        fv.carries_requests = f.carries_requests;
        if (f.kind == cloud::Flow::PrivateToInternet) fv.outbound = outbound_of(f);
        v.flows.push_back(std::move(fv));
    }
    add_instance_calls(spec, v);
    return v;
}

}  // namespace

std::string format(const char* text, const Phrase& phrase) {
    fmt::dynamic_format_arg_store<fmt::format_context> args;
    for (const auto& a : phrase.args)
        args.push_back(a);
    return fmt::vformat(text, args);
}

std::string english(const Phrase& phrase) {
    return format(phrase.text, phrase);
}

std::string english(const std::vector<Phrase>& phrases) {
    std::string out;
    for (const auto& p : phrases)
        out += (out.empty() ? "" : "; ") + english(p);
    return out;
}

const std::vector<const char*>& phrase_templates() {
    static const std::vector<const char*> all = {kHopClient,
                                                 kHopTargets,
                                                 kHopDatabase,
                                                 kHopInternet,
                                                 kNoSgOnLoadBalancer,
                                                 kNoSgOnLaunchTemplate,
                                                 kNoSgOnDb,
                                                 kRuleAllows,
                                                 kNoRule,
                                                 kNoRulePlural,
                                                 kNoRuleBlock,
                                                 kNoRuleBlockPlural,
                                                 kNoOutRule,
                                                 kNoOutRulePlural,
                                                 kNoOutRuleBlock,
                                                 kNoOutRuleBlockPlural,
                                                 kNoInternetRoute,
                                                 kRoutesOnlyLocal,
                                                 kNatGatewayUnrouted,
                                                 kThroughNatGateway,
                                                 kThroughNatInstance,
                                                 kNatSourceDestCheck,
                                                 kNatInstanceUnrouted,
                                                 kNatNoPublicIp,
                                                 kNatNoRule,
                                                 kNoTrafficModelled,
                                                 kHopAgent,
                                                 kHopRegistry,
                                                 kHopLayers,
                                                 kAgentCannotRegister,
                                                 kNoPrivateDnsEndpoint,
                                                 kPrivateDnsOff,
                                                 kEndpointRefuses,
                                                 kNoS3Gateway,
                                                 kNoOutRulePrefixList,
                                                 kThroughEndpoints,
                                                 kThroughGatewayEndpoint,
                                                 kThroughWayOut};
    return all;
}

std::vector<Phrase> flow_phrases(const cloud::Flow& flow) {
    std::vector<Phrase> out;
    for (const auto& r : flow.reasons)
        out.push_back(phrase_of(r));
    return out;
}

NetworkView network_view(const scenario::Spec& spec) {
    return build(spec);
}

namespace {

// The tasks of each ECS service RUNNING now, in the service's subnet of their AZ.
void count_running_tasks(const cloud::World& world, NetworkView& v) {
    for (const auto& svc : world.ecs_services())
        for (const cloud::EcsTask& task : svc->tasks()) {
            if (task.status != cloud::TaskStatus::Running || task.availability_zone < 0) continue;
            const std::string& zone =
                world.zone_names()[static_cast<std::size_t>(task.availability_zone)];
            for (auto& s : v.subnets) {
                if (s.availability_zone != zone || !contains(svc->spec().subnets, s.name)) continue;
                for (auto& r : s.resources)
                    if (r.kind == NetResource::Kind::Tasks && r.name == svc->name()) ++r.count;
                break;  // one subnet per AZ takes the task
            }
        }
}

}  // namespace

NetworkView network_view(const cloud::World& world) {
    NetworkView v = build(world.spec());
    if (!v.modelled) return v;
    // Live counts: the instances in service in each subnet (a group's instances in an AZ are in
    // its subnet of that AZ).
    const auto& spec = world.spec();
    const auto& fleet = world.fleet();
    for (std::uint32_t i = 0; i < fleet.size(); ++i) {
        const auto& inst = fleet[i];
        if (inst.lifecycle() != cloud::LifecycleState::InService) continue;
        const int g = inst.config().group;
        if (g < 0) continue;
        const auto& group = spec.autoscaling_group[static_cast<std::size_t>(g)];
        const std::string& zone = world.zone_names()[inst.config().availability_zone];
        for (auto& s : v.subnets) {
            if (s.availability_zone != zone || !contains(group.subnets, s.name)) continue;
            for (auto& r : s.resources)
                if (r.kind == NetResource::Kind::Instances && r.name == group.name) ++r.count;
        }
    }
    count_running_tasks(world, v);
    // What each listener forwards to now (a blue/green swap changes it during the run).
    for (const auto& lb : world.load_balancers()) {
        const std::string note =
            listeners_note(spec, lb->name(), [&](std::size_t i, const scenario::LbListenerSpec&) {
                std::vector<std::pair<std::string, int>> out;
                if (i < lb->listener_count())
                    for (const auto& f : lb->forwards(i))
                        out.emplace_back(f.group->name(), f.weight);
                return out;
            });
        for (auto& s : v.subnets)
            for (auto& r : s.resources)
                if (r.kind == NetResource::Kind::LoadBalancer && r.name == lb->name())
                    r.note = note;
    }
    for (const auto& db : world.databases()) {
        for (auto& s : v.subnets)
            for (auto& r : s.resources)
                if (r.kind == NetResource::Kind::Database && r.name == db->identifier() &&
                    r.note == "primary" && !db->reachable())
                    r.note = "primary (unreachable)";
    }
    return v;
}

}  // namespace stratus::view
