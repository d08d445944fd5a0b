#pragma once
// Network flows: which of the flows a scenario implies its security groups and routes allow.
// A pure analysis of the Spec (no state, no time): the loader or the CLI can report it, and
// the World can time out the requests of a closed flow, as AWS does (a security group drops
// what no rule allows; the client sees a timeout, not a refusal).
// Rules: docs/scenario-format.md ("Networking") and the Amazon VPC User Guide (security
// groups, route tables, NAT), with the choices in docs/model.md.
//
// Choices (see the comments of analyse_flows for each flow):
// - No [vpc]: the network is not modelled and every flow is open; analyse_flows returns nothing.
// - A resource with no security_groups listed is "not modelled" on that side: a flow into it
//   is open. (On AWS every ENI has at least the VPC's default security group; a scenario that
//   lists none has not said what it holds, so nothing is blocked on its account.)
// - A resource with no subnets listed sits "somewhere in the VPC": its addresses are the VPC
//   block, and it counts as routed to the internet gateway.
// - Only rules that cover the flow's port count (or its whole range, for dynamic host ports).
// - Names that do not resolve are the validator's business; here they are skipped.
#include <string>
#include <vector>

#include "sim/cloud/image_pull.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

// One fact of a flow's verdict, as data: Flow::why words the reasons in English for the events
// and the warnings; the viewer words them as the console would fix them, in English or Korean.
struct FlowReason {
    enum Kind {
        NotModelled,          // `owner` (an `owner_kind`) lists no security group
        RuleAllows,           // security_groups[0] allows `port` from `source`
        NoInboundRule,        // security_groups allow nothing on `port` from the sources
        NoOutboundRule,       // the source's security_groups let nothing out on `port` to
                              // the destination's groups (source_sgs) or blocks (source_blocks)
        NoInternetRoute,      // `subnet` (with its `route`) has no 0.0.0.0/0 -> igw
        RoutesOnlyLocal,      // `subnet` routes only within the VPC
        NatGatewayUnrouted,   // `subnet` -> NAT gateway `gateway`, which sits in unrouted `home`
        ThroughNatGateway,    // `subnet` reaches the internet through NAT gateway `gateway`
        ThroughNatInstance,   // `subnet` reaches the internet through NAT instance `gateway`
        NatSourceDestCheck,   // `subnet` -> NAT instance `gateway`, its source/dest check on
        NatInstanceUnrouted,  // ... which sits in `home`, a subnet without an internet route
        NatNoPublicIp,        // ... which has no public IPv4 address
        NatNoInboundRule,     // ... whose security_groups allow nothing on 443 from the sources
        NoTrafficModelled,  // a closed private flow costs no request: none of its requests call out
    };
    enum Owner { LoadBalancer, LaunchTemplate, DbInstance, EcsService };
    Kind kind = NotModelled;
    Owner owner_kind = Owner::LoadBalancer;
    std::string owner;
    std::vector<std::string> security_groups;
    int port = 0;
    int to_port = 0;     // a range port-to_port (dynamic host ports); 0: the one port
    std::string source;  // RuleAllows: the rule's source group or block
    std::vector<std::string> source_sgs;     // *NoInboundRule: a rule naming one would do
    std::vector<std::string> source_blocks;  // ... or a rule whose block holds all of these
    bool from_anywhere = false;              // ... the internet: a rule from 0.0.0.0/0
    std::string subnet, route, gateway, home;
};

// "80", or "32768-60999" for a range.
std::string port_text(int port, int to_port);

// The English of a list of reasons, as Flow::why holds it.
std::string english_why(const std::vector<FlowReason>& reasons);

struct Flow {
    enum Kind { InternetToLoadBalancer, LoadBalancerToTargets, AppToDatabase, PrivateToInternet };
    // What `from` and `to` name: an Auto Scaling group and an ECS service may share a name (AWS
    // keeps them apart), so a name alone does not say which one a flow blocks.
    enum Endpoint { Internet, LoadBalancer, AutoScalingGroup, EcsService, Instance, DbInstance };
    Kind kind = InternetToLoadBalancer;
    std::string from;  // "internet", a load balancer, a group, an ECS service or an instance
    std::string to;    // a load balancer, a group, an ECS service, a db identifier or "internet"
    Endpoint from_kind = Internet;
    Endpoint to_kind = LoadBalancer;
    int port = 0;
    // LoadBalancerToTargets to a bridge-mode ECS service with hostPort 0: the range its tasks'
    // dynamic host ports come from (port-to_port), which the container instances' security
    // groups must allow whole. 0: the one port.
    int to_port = 0;
    // InternetToLoadBalancer: the block its clients connect from ("0.0.0.0/0": the internet;
    // a workload's client_cidr).
    std::string client_cidr = "0.0.0.0/0";
    bool open = true;
    // Closed: what is missing ("security group web-alb-sg allows nothing on 80 from
    // 0.0.0.0/0"). Open: what lets it through ("security group web-alb-sg allows 80 from
    // 0.0.0.0/0").
    std::string why;
    std::vector<FlowReason> reasons;    // `why` as data, in the same order
    bool through_nat_instance = false;  // PrivateToInternet: a subnet routes to a NAT instance
    // Requests travel this flow. PrivateToInternet: only when a workload served by the source
    // calls out of the VPC (calls_out); its requests then fail behind the target when closed.
    bool carries_requests = true;
    // PrivateToInternet from a Fargate service: its tasks pull their image this way, so when
    // it is closed they never start and the load balancer answers 503 (image_pull_blocked).
    bool image_pulls = false;
};

const char* to_string(Flow::Kind kind);
// What a closed flow of this kind does to the requests, at the hop it closes.
const char* closed_flow_effect(Flow::Kind kind);
// The same for a flow, which may say more than its kind (a Fargate service's image pulls).
const char* closed_flow_effect(const Flow& flow);

// The flows of a scenario, in this order:
// 1. InternetToLoadBalancer: "internet" -> each load balancer with internal = false, on each of
//    its listener ports, once per block its clients connect from (the client_cidr of each
//    workload on that listener; 0.0.0.0/0 when none connects to it). Open when the load
//    balancer lists no security group or one of them allows the port from a block holding
//    the clients', and every subnet it lists routes to "igw" (a load balancer node in a subnet
//    without an internet route cannot be reached; clients sent to it time out).
// 2. LoadBalancerToTargets: each load balancer -> each autoscaling group registered with a
//    target group one of its listeners forwards to, on the target group's port. Open when the
//    group's launch template lists no security group, or one of them allows the port from one
//    of the load balancer's security groups (source_security_group) or from a block holding
//    every subnet of the load balancer. Then each ECS service registered with such a target
//    group that lists security_groups (awsvpc: the load balancer reaches each task's own
//    network interface on the container_port), judged the same way. An ECS service on EC2 in
//    bridge or host mode (no security_groups of its own) is reached on its container
//    instances (the security groups of its cluster's capacity providers' groups) on the host
//    port: host mode the container port, bridge its hostPort, or with hostPort 0 the whole
//    range dynamic ports come from (32768-60999: one rule must cover it all, to_port set).
//    Otherwise a service that lists none has no flow (not modelled).
// 3. AppToDatabase: each autoscaling group, then each ECS service (awsvpc: its tasks carry
//    the service's security_groups, in its subnets), behind the load balancer of a workload
//    with a `database` -> that db_instance, on its port. Open when the db lists no security
//    group, or one of them allows the port from one of the group's (service's) security groups
//    or from a block holding every subnet of it (incident 1 of the course: the database's
//    security group without the application's traffic).
// 4. PrivateToInternet: each autoscaling group, ECS service (awsvpc: its tasks sit in its
//    subnets with its security groups) or [[instance]] in a subnet with route "local"
//    -> "internet" on 443: closed (no internet gateway, no NAT gateway); route "nat:<name>":
//    open, through that NAT gateway, when the gateway sits in a subnet routed to "igw" (closed
//    otherwise); route "instance:<name>" (a NAT instance): open when
//    nat_instance_problems finds nothing wrong with the instance. Requests travel this flow
//    when a workload served by the group calls out of the VPC (calls_out): closed, each such
//    request's application waits for its connect timeout and answers 500 (the World). Without
//    such a workload (package updates are not modelled) a closed one costs no requests.
// Returns nothing without a [vpc].
std::vector<Flow> analyse_flows(const scenario::Spec& spec);

// Why a subnet whose route is "instance:<name>" cannot reach the internet through that NAT
// instance, from sources with `source_sgs` in the subnet: its source/destination check is on,
// it sits in a subnet without an internet gateway route, it has no public IPv4 address, or
// its security groups allow nothing on 443 from the source. Empty: it forwards (or the route
// is not a NAT instance's).
std::vector<FlowReason> nat_instance_problems(const scenario::Spec& spec,
                                              const scenario::SubnetSpec& subnet,
                                              const std::vector<std::string>& source_sgs);

// Whether something in `subnet` with `source_sgs` reaches the internet: a subnet routed to the
// internet gateway does (or one whose route is unknown: the validator's business); a private
// subnet does through a NAT gateway in a subnet routed to the internet gateway, or through a
// NAT instance nat_instance_problems finds nothing wrong with.
bool reaches_internet(const scenario::Spec& spec, const scenario::SubnetSpec& subnet,
                      const std::vector<std::string>& source_sgs);

// Whether the requests of `workload` make its application call out of the VPC from a subnet
// with (`gateway_endpoints`) or without a gateway endpoint for S3 and DynamoDB: to the internet
// (outbound_bytes), or to S3 or DynamoDB (s3_bytes, dynamodb_bytes) without an endpoint, which
// then go through the subnet's route to the internet.
struct GatewayEndpoints {
    bool s3 = false, dynamodb = false;
};
bool calls_out(const scenario::WorkloadSpec& workload, GatewayEndpoints gateway_endpoints);
GatewayEndpoints gateway_endpoints_of(const scenario::Spec& spec, const std::string& subnet);

// Where an ECS service's tasks send from: awsvpc (Fargate, or EC2 with a
// network_configuration), their own network interfaces in the service's subnets with its
// security groups; bridge and host mode on EC2, their container instances' network interfaces:
// the subnets and launch template security groups of the Auto Scaling groups of the cluster's
// capacity providers (the instance's route table, security groups and NAT apply).
void ecs_task_network(const scenario::Spec& spec, const scenario::EcsServiceSpec& service,
                      std::vector<std::string>& security_groups, std::vector<std::string>& subnets);

// Whether a workload the ECS service's tasks serve makes its application call out of the VPC
// from one of the subnets its tasks send from (ecs_task_network).
bool service_calls_out(const scenario::Spec& spec, const scenario::EcsServiceSpec& service);

// Why a Fargate task of `service` in `subnet` cannot reach the registry of its image (Amazon
// ECR or a public registry such as Docker Hub, on 443) to pull it: empty when it can. Its
// network interface reaches the internet through the internet gateway only with a public IP
// (assign_public_ip), or through a NAT gateway or NAT instance that reaches the internet
// (reaches_internet); an ECR image's legs may go through VPC endpoints instead
// (image_pull.hpp). Without a [vpc], always.
std::string image_pull_blocked(const scenario::Spec& spec, const scenario::EcsServiceSpec& service,
                               const scenario::SubnetSpec& subnet);
// The whole path of that pull: each leg's way, where its bytes are billed, the first failure.
PullPath fargate_pull_path(const scenario::Spec& spec, const scenario::EcsServiceSpec& service,
                           const scenario::SubnetSpec& subnet);
// The same for the EC2 launch type, whose container instance pulls the image: why an instance
// of `group` in `subnet` cannot reach the registry. Through the internet gateway it needs a
// public IPv4 address (its launch template's associate_public_ip_address, or the subnet's
// map_public_ip_on_launch); else a NAT that reaches the internet, judged with its launch
// template's security groups. Empty when it can, and without a [vpc].
// `image`: the image pulled ("": judged as an image of a public registry, the internet only).
std::string instance_pull_blocked(const scenario::Spec& spec,
                                  const scenario::AutoScalingGroupSpec& group,
                                  const scenario::SubnetSpec& subnet,
                                  const std::string& image = "");
PullPath instance_pull_path(const scenario::Spec& spec, const scenario::AutoScalingGroupSpec& group,
                            const scenario::SubnetSpec& subnet, const std::string& image);

// Why the ECS agent of a container instance of `group` in `subnet` cannot register it with its
// cluster (image_pull.hpp, ecs_agent_blocked): the ecs, ecs-agent and ecs-telemetry services
// through their interface endpoints with private DNS, else the instance's own way out as
// instance_pull_blocked judges it (a public IP through the internet gateway, or a NAT). Empty
// when it can, and without a [vpc].
std::string agent_registration_blocked(const scenario::Spec& spec,
                                       const scenario::AutoScalingGroupSpec& group,
                                       const scenario::SubnetSpec& subnet);

// The same, leg by leg (image_pull.hpp, ecs_agent_legs).
AgentLegs agent_registration_legs(const scenario::Spec& spec,
                                  const scenario::AutoScalingGroupSpec& group,
                                  const scenario::SubnetSpec& subnet);

// Why the outbound rules of `source_sgs` let nothing out on TCP `port` (to `to_port`, a range)
// to one of `dest_sgs` or to a block holding every one of `dest_blocks` ("0.0.0.0/0": the
// internet), in English: empty when one rule does, or when `source_sgs` is empty (not
// modelled). Security groups are stateful: the answers come back whatever the rules say.
std::string egress_blocked(const scenario::Spec& spec, const std::vector<std::string>& source_sgs,
                           int port, const std::vector<std::string>& dest_sgs,
                           const std::vector<std::string>& dest_blocks, int to_port = 0);

// The same for a flow to S3 or DynamoDB (`service`) through a gateway endpoint, which goes to
// the service's public addresses: a rule to 0.0.0.0/0 lets it out, and so does a rule naming
// the service's AWS-managed prefix list (prefix_list_ids: a gateway endpoint of the service).
std::string gateway_egress_blocked(const scenario::Spec& spec,
                                   const std::vector<std::string>& source_sgs, int port,
                                   scenario::EndpointService service);

// Whether one of `sgs` allows TCP `port` from one of `source_sgs` or from a block holding
// every one of `source_blocks`.
bool security_groups_allow(const scenario::Spec& spec, const std::vector<std::string>& sgs,
                           int port, const std::vector<std::string>& source_sgs,
                           const std::vector<std::string>& source_blocks);
// The NAT gateway (an index of [[nat_gateway]]) a subnet's route goes through; -1: none.
int nat_gateway_of(const scenario::Spec& spec, const scenario::SubnetSpec& subnet);

// The security groups an autoscaling group's instances launch with (its launch template's).
std::vector<std::string> launch_security_groups(const scenario::Spec& spec,
                                                const scenario::AutoScalingGroupSpec& group);

}  // namespace stratus::cloud

#include "sim/scenario/diagnostic.hpp"

namespace stratus::cloud {

// The closed flows that carry traffic, as warnings at the resource they block (`stratus
// validate` and `run` print them; the run shows their effect), then each Fargate service
// whose tasks cannot pull their image (image_pull_blocked), at the service, then each Auto
// Scaling group of an ECS capacity provider whose instances' agent cannot register them
// (agent_registration_blocked), at the group.
std::vector<scenario::Diagnostic> closed_flow_warnings(const scenario::Spec& spec);

}  // namespace stratus::cloud
