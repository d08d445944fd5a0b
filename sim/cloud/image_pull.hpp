#pragma once
// How an image pull reaches its registry (docs/model.md, "Image pulls and VPC endpoints"): a
// pure judgement of the Spec, as network.hpp's flows are.
//
// An Amazon ECR image is pulled in three legs, each over HTTPS (443):
//   auth      the ECR API (api.ecr.<region>.amazonaws.com): the registry authorization token;
//   manifest  the registry (<account>.dkr.ecr.<region>.amazonaws.com): the image manifest;
//   layers    Amazon S3, where ECR keeps the image layers.
// Each leg goes, in this order of preference:
//   - through an interface endpoint for its service (ecr.api, ecr.dkr; s3 for the layers) with
//     private DNS: the service's default name then resolves to the endpoint's addresses for the
//     whole VPC, so the leg goes there whether or not the subnet has a route out; it is open
//     when the endpoint lists no security group or one of them allows 443 from the caller's
//     security groups or from a block holding its subnet (a closed one times out: a NAT does
//     not help, the name no longer leads to it);
//   - the layers only: through the S3 gateway endpoint on the subnet's route table (free);
//   - through the caller's own way to the internet (an internet gateway with a public IP, a NAT
//     gateway, a NAT instance), as network.hpp judges it.
// An image of another registry (Docker Hub, ...) has one leg, the manifest and layers
// together, through the internet: no endpoint takes it.
#include <string>
#include <vector>

#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

enum class PullWay {
    InterfaceEndpoint,  // an interface endpoint with private DNS (billed per GB)
    GatewayEndpoint,    // the S3 gateway endpoint on the subnet's route table (free)
    Internet,           // the caller's route out (a NAT gateway bills its GB)
    Blocked
};

struct PullPath {
    bool ecr = false;  // an Amazon ECR image (three legs); else only `manifest` counts
    PullWay auth = PullWay::Internet;
    PullWay manifest = PullWay::Internet;
    PullWay layers = PullWay::Internet;
    // Where the layers' bytes are billed: the NAT gateway (an index of the Spec's
    // [[nat_gateway]]) of an Internet leg through one, or the interface endpoint (an index of
    // [[vpc_endpoint]]) of an InterfaceEndpoint leg; -1 otherwise.
    int layers_nat = -1;
    int layers_endpoint = -1;
    // The first leg that cannot go (its stoppedReason), and why every blocked leg is blocked,
    // in English; None and empty: the pull goes through.
    enum Failure { None, Auth, Manifest, Layers };
    Failure failure = None;
    std::string why;
    bool blocked() const { return failure != None; }
};

// Whether `image` is an Amazon ECR image ("<account>.dkr.ecr.<region>.amazonaws.com/...").
bool is_ecr_image(const std::string& image);

// The path of a pull of `image` from `subnet` by a caller with `source_sgs`. `internet_why`:
// why the caller's own way out cannot reach the internet (empty: it can); `nat`: the NAT
// gateway that way goes through (-1: none). Without a [vpc] every pull goes through.
PullPath image_pull_path(const scenario::Spec& spec, const std::string& image,
                         const scenario::SubnetSpec& subnet,
                         const std::vector<std::string>& source_sgs,
                         const std::string& internet_why, int nat);

// The ECS agent of a container instance (EC2 launch type) registers the instance with its
// cluster and takes its tasks over HTTPS from three services, the ECS Developer Guide's three
// interface endpoints: ecs (the API: RegisterContainerInstance), ecs-agent (the agent's
// communication service, which hands it tasks) and ecs-telemetry (its metrics). Each is a leg
// judged as an ECR pull's legs above: through the service's interface endpoint with private
// DNS when the VPC has one, else the instance's own way out. The model needs all three for the
// instance to be registered (the guide lists all three as required). Returns why every blocked
// leg is blocked, in English ("" when the agent reaches all three; always without a [vpc]).
// Fargate needs none of them: AWS runs the agent.
std::string ecs_agent_blocked(const scenario::Spec& spec, const scenario::SubnetSpec& subnet,
                              const std::vector<std::string>& source_sgs,
                              const std::string& internet_why);

// The same three legs one by one (ecs, ecs-agent, ecs-telemetry, in that order): each leg's way
// and its interface endpoint (an index of [[vpc_endpoint]]; -1: none), for the viewer.
struct AgentLegs {
    PullWay way[3] = {PullWay::Internet, PullWay::Internet, PullWay::Internet};
    int endpoint[3] = {-1, -1, -1};
    bool blocked() const;
};
AgentLegs ecs_agent_legs(const scenario::Spec& spec, const scenario::SubnetSpec& subnet,
                         const std::vector<std::string>& source_sgs,
                         const std::string& internet_why);

// The stoppedReason ECS gives a task whose pull of `image` fails at `failure` (platform
// version 1.4.0 and later, and the EC2 agent alike): the authorization (ResourceInitialization
// Error on the ECR API), the manifest (CannotPullContainerError on the registry), or the layers
// (CannotPullContainerError on ECR's S3 layer bucket).
std::string pull_stopped_reason(const std::string& image, PullPath::Failure failure);

// The first image of a task definition's containers ("" without one).
std::string first_image(const scenario::EcsTaskDefinitionSpec& td);

// The interface endpoints' billed AZs: for each [[vpc_endpoint]] of type Interface, the number
// of distinct AZs of its subnets (0 for a gateway endpoint).
std::vector<int> interface_endpoint_zones(const scenario::Spec& spec);

}  // namespace stratus::cloud
