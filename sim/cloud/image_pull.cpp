#include "sim/cloud/image_pull.hpp"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "sim/cloud/network.hpp"

namespace stratus::cloud {

namespace {

using scenario::EndpointService;
using scenario::EndpointType;

const char* service_word(EndpointService s) {
    switch (s) {
        case EndpointService::S3:
            return "s3";
        case EndpointService::DynamoDB:
            return "dynamodb";
        case EndpointService::EcrApi:
            return "ecr.api";
        case EndpointService::EcrDkr:
            return "ecr.dkr";
        case EndpointService::Logs:
            return "logs";
        case EndpointService::Ecs:
            return "ecs";
        case EndpointService::EcsAgent:
            return "ecs-agent";
        case EndpointService::EcsTelemetry:
            return "ecs-telemetry";
    }
    return "?";
}

// The interface endpoint that takes the service's default name in the VPC: the first one for
// it with private DNS (AWS allows one per VPC); -1 when none does.
int private_dns_endpoint(const scenario::Spec& spec, EndpointService service) {
    for (std::size_t i = 0; i < spec.vpc_endpoint.size(); ++i) {
        const auto& e = spec.vpc_endpoint[i];
        if (e.service_name == service && e.vpc_endpoint_type == EndpointType::Interface &&
            e.private_dns_enabled)
            return static_cast<int>(i);
    }
    return -1;
}

struct Leg {
    PullWay way = PullWay::Internet;
    int endpoint = -1;
    std::string why;  // Blocked: why
};

// One leg to `service`: its private-DNS interface endpoint when there is one, else the way out.
Leg leg_to(const scenario::Spec& spec, EndpointService service, const scenario::SubnetSpec& subnet,
           const std::vector<std::string>& source_sgs, const std::string& internet_why) {
    Leg leg;
    leg.endpoint = private_dns_endpoint(spec, service);
    if (leg.endpoint >= 0) {
        const auto& e = spec.vpc_endpoint[static_cast<std::size_t>(leg.endpoint)];
        // Out of the caller's security groups to the endpoint's network interfaces first.
        std::vector<std::string> blocks;
        for (const auto& name : e.subnets)
            for (const auto& sn : spec.subnet)
                if (sn.name == name) blocks.push_back(sn.cidr_block);
        if (auto out = egress_blocked(spec, source_sgs, 443, e.security_groups, blocks);
            !out.empty()) {
            leg.way = PullWay::Blocked;
            leg.why = fmt::format("{} resolves to interface endpoint {} (private DNS), but {}",
                                  service_word(service), e.name, out);
            return leg;
        }
        if (e.security_groups.empty() ||
            security_groups_allow(spec, e.security_groups, 443, source_sgs, {subnet.cidr_block})) {
            leg.way = PullWay::InterfaceEndpoint;
            return leg;
        }
        leg.way = PullWay::Blocked;
        leg.why = fmt::format(
            "{} resolves to interface endpoint {} (private DNS), whose security group{} {} "
            "allow{} nothing on 443 from {}{}",
            service_word(service), e.name, e.security_groups.size() > 1 ? "s" : "",
            fmt::join(e.security_groups, ", "), e.security_groups.size() > 1 ? "" : "s",
            source_sgs.empty() ? "" : fmt::format("{} or from ", fmt::join(source_sgs, ", ")),
            "a block holding " + subnet.cidr_block);
        return leg;
    }
    leg.endpoint = -1;
    if (!internet_why.empty()) {
        leg.way = PullWay::Blocked;
        leg.why = fmt::format("{}: no interface endpoint for {} with private DNS, and {}",
                              service_word(service), service_word(service), internet_why);
    }
    return leg;
}

}  // namespace

bool is_ecr_image(const std::string& image) {
    return image.find(".dkr.ecr.") != std::string::npos;
}

std::string first_image(const scenario::EcsTaskDefinitionSpec& td) {
    for (const auto& c : td.containers)
        if (!c.image.empty()) return c.image;
    return {};
}

PullPath image_pull_path(const scenario::Spec& spec, const std::string& image,
                         const scenario::SubnetSpec& subnet,
                         const std::vector<std::string>& source_sgs,
                         const std::string& internet_why, int nat) {
    PullPath p;
    if (!spec.vpc.present) return p;
    p.ecr = is_ecr_image(image);
    std::vector<std::string> why;
    if (!p.ecr) {
        // Another registry: the internet only.
        if (!internet_why.empty()) {
            p.manifest = p.layers = PullWay::Blocked;
            p.failure = PullPath::Manifest;
            p.why = internet_why;
        } else {
            p.layers_nat = nat;
        }
        return p;
    }
    const Leg auth = leg_to(spec, EndpointService::EcrApi, subnet, source_sgs, internet_why);
    const Leg manifest = leg_to(spec, EndpointService::EcrDkr, subnet, source_sgs, internet_why);
    Leg layers;
    // Through the S3 gateway endpoint the layers still go to S3's public addresses: the
    // caller's outbound rules must let 443 out to them (to 0.0.0.0/0, or to S3's prefix list).
    const bool gateway = gateway_endpoints_of(spec, subnet.name).s3;
    const std::string layers_out =
        gateway ? gateway_egress_blocked(spec, source_sgs, 443, EndpointService::S3)
                : std::string();
    if (gateway && layers_out.empty()) {
        layers.way = PullWay::GatewayEndpoint;
    } else if (gateway) {
        layers.way = PullWay::Blocked;
        layers.why = "the layers in Amazon S3 through its gateway endpoint: " + layers_out;
    } else {
        layers = leg_to(spec, EndpointService::S3, subnet, source_sgs, internet_why);
    }
    if (!gateway && layers.way == PullWay::Blocked &&
        private_dns_endpoint(spec, EndpointService::S3) < 0)
        layers.why = "the layers in Amazon S3: no S3 gateway endpoint on subnet " + subnet.name +
                     "'s route table, and " + internet_why;
    p.auth = auth.way;
    p.manifest = manifest.way;
    p.layers = layers.way;
    if (layers.way == PullWay::Internet) p.layers_nat = nat;
    if (layers.way == PullWay::InterfaceEndpoint) p.layers_endpoint = layers.endpoint;
    const Leg* legs[] = {&auth, &manifest, &layers};
    for (const Leg* leg : legs)
        if (leg->way == PullWay::Blocked) why.push_back(leg->why);
    if (auth.way == PullWay::Blocked)
        p.failure = PullPath::Auth;
    else if (manifest.way == PullWay::Blocked)
        p.failure = PullPath::Manifest;
    else if (layers.way == PullWay::Blocked)
        p.failure = PullPath::Layers;
    // No endpoint on any leg: the one reason, as for another registry.
    const bool any_endpoint = auth.endpoint >= 0 || manifest.endpoint >= 0 ||
                              layers.endpoint >= 0 || layers.way == PullWay::GatewayEndpoint;
    p.why = p.blocked() && !any_endpoint ? internet_why : fmt::format("{}", fmt::join(why, "; "));
    return p;
}

std::string ecs_agent_blocked(const scenario::Spec& spec, const scenario::SubnetSpec& subnet,
                              const std::vector<std::string>& source_sgs,
                              const std::string& internet_why) {
    if (!spec.vpc.present) return {};
    std::vector<std::string> why;
    std::vector<const char*> unserved;  // no endpoint and no way out
    for (const EndpointService s :
         {EndpointService::Ecs, EndpointService::EcsAgent, EndpointService::EcsTelemetry}) {
        const Leg leg = leg_to(spec, s, subnet, source_sgs, internet_why);
        if (leg.way != PullWay::Blocked) continue;
        if (leg.endpoint >= 0)
            why.push_back(leg.why);
        else
            unserved.push_back(service_word(s));
    }
    // The legs without an endpoint share one reason: say it once.
    if (!unserved.empty())
        why.push_back(fmt::format("no interface endpoint with private DNS for {}, and {}",
                                  fmt::join(unserved, ", "), internet_why));
    return fmt::format("{}", fmt::join(why, "; "));
}

bool AgentLegs::blocked() const {
    return std::find(std::begin(way), std::end(way), PullWay::Blocked) != std::end(way);
}

AgentLegs ecs_agent_legs(const scenario::Spec& spec, const scenario::SubnetSpec& subnet,
                         const std::vector<std::string>& source_sgs,
                         const std::string& internet_why) {
    AgentLegs out;
    if (!spec.vpc.present) return out;
    const EndpointService services[3] = {EndpointService::Ecs, EndpointService::EcsAgent,
                                         EndpointService::EcsTelemetry};
    for (int i = 0; i < 3; ++i) {
        const Leg leg = leg_to(spec, services[i], subnet, source_sgs, internet_why);
        out.way[i] = leg.way;
        out.endpoint[i] = leg.endpoint;
    }
    return out;
}

// Amazon ECR: "<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag]"; else a Docker
// reference: a first component with a dot or a colon (or "localhost") names the registry,
// none means Docker Hub (with "library/" for an official image), no tag means "latest".
std::string pull_stopped_reason(const std::string& image, PullPath::Failure failure) {
    const std::size_t ecr = image.find(".dkr.ecr.");
    std::string region;
    if (ecr != std::string::npos) {
        const std::size_t from = ecr + 9;
        const std::size_t to = image.find(".amazonaws.com", from);
        region = to == std::string::npos ? std::string() : image.substr(from, to - from);
    }
    if (ecr != std::string::npos && failure == PullPath::Auth)
        return fmt::format(
            "ResourceInitializationError: unable to pull secrets or registry auth: execution "
            "resource retrieval failed: unable to retrieve ecr registry auth: service call has "
            "been retried 3 time(s): RequestError: send request failed caused by: Post "
            "\"https://api.ecr.{}.amazonaws.com/\": dial tcp: i/o timeout",
            region);
    std::string registry = "docker.io", path = image;
    const std::size_t slash = image.find('/');
    if (slash != std::string::npos) {
        const std::string first = image.substr(0, slash);
        if (first.find_first_of(".:") != std::string::npos || first == "localhost") {
            registry = first;
            path = image.substr(slash + 1);
        }
    }
    if (registry == "docker.io" && path.find('/') == std::string::npos) path = "library/" + path;
    std::string tag = "latest";
    const std::size_t colon = path.rfind(':');
    if (colon != std::string::npos) {
        tag = path.substr(colon + 1);
        path = path.substr(0, colon);
    }
    if (ecr != std::string::npos && failure == PullPath::Layers)
        return fmt::format(
            "CannotPullContainerError: ref pull has been retried 5 time(s): failed to copy: "
            "httpReadSeeker: failed open: failed to do request: Get "
            "\"https://prod-{}-starport-layer-bucket.s3.{}.amazonaws.com/\": dial tcp: i/o "
            "timeout (image {}/{}:{})",
            region, region, registry, path, tag);
    const std::string host = registry == "docker.io" ? "registry-1.docker.io" : registry;
    return fmt::format(
        "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to "
        "resolve ref {}/{}:{}: failed to do request: Head \"https://{}/v2/{}/manifests/{}\": "
        "dial tcp: i/o timeout",
        registry, path, tag, host, path, tag);
}

std::vector<int> interface_endpoint_zones(const scenario::Spec& spec) {
    std::vector<int> out;
    for (const auto& e : spec.vpc_endpoint) {
        std::vector<std::string> zones;
        if (e.vpc_endpoint_type == EndpointType::Interface)
            for (const auto& name : e.subnets)
                for (const auto& sn : spec.subnet)
                    if (sn.name == name &&
                        std::find(zones.begin(), zones.end(), sn.availability_zone) == zones.end())
                        zones.push_back(sn.availability_zone);
        out.push_back(static_cast<int>(zones.size()));
    }
    return out;
}

}  // namespace stratus::cloud
