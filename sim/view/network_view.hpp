#pragma once
// The viewer's network view: what the course draws on the whiteboard, as plain values. The
// internet, the VPC and its CIDR block, each AZ's subnets with their CIDR blocks and route
// tables, what sits in each subnet (load balancer nodes, instances, NAT devices, databases)
// and the security groups around them, and the flows client -> load balancer -> application
// -> database, each open or closed at the hop where no rule allows it. Built from the Spec's
// flows (cloud::analyse_flows) and, when a World is given, its live counts; no window needed.
#include <string>
#include <vector>

#include "sim/cloud/world.hpp"

namespace stratus::view {

struct NetResource {
    // Tasks: an ECS service's tasks with their own network interfaces in its subnets (awsvpc);
    // tasks in bridge or host mode are inside their container instances (an Instances chip).
    // VpcEndpoint: an interface endpoint's network interface in the subnet; a gateway endpoint
    // is a route in the subnets' route table instead.
    enum class Kind {
        LoadBalancer,
        Instances,
        NatGateway,
        NatInstance,
        Database,
        Tasks,
        VpcEndpoint
    };
    Kind kind = Kind::Instances;
    std::string name;  // web-alb, the group's or service's name, nat-gw, shop-db
    std::vector<std::string> security_groups;  // the boxes drawn around it
    int count = 0;  // Instances: in service in this subnet now; Tasks: RUNNING in it now
    // "primary", "standby", "private DNS off", ...; a load balancer: its listeners and what
    // they forward to now ("80 -> blue-tg, 999 -> green-tg")
    std::string note;
};

struct SubnetView {
    std::string name;
    std::string cidr;
    std::string availability_zone;
    int zone = -1;              // index in the region's AZs
    bool is_public = false;     // its route table sends 0.0.0.0/0 to the internet gateway
    bool named_public = false;  // its name says "public" (a lab's trap when !is_public)
    bool for_database = false;  // a db_instance lists it (its DB subnet group)
    std::string route_target;   // "igw", "nat-gw (NAT gateway)", "nat-box (NAT instance)", ""
    // "10.0.0.0/16 -> local", "0.0.0.0/0 -> igw", "pl-s3 -> s3 (gateway endpoint)"
    std::vector<std::string> route_table;
    std::string addresses;  // "251 usable (5 reserved)"
    std::vector<NetResource> resources;
};

struct SecurityGroupView {
    std::string name;
    std::vector<std::string> inbound;  // "80 from 0.0.0.0/0", "3306 from web-sg"
};

// A sentence of the network view as a template and its arguments ("{} has no inbound rule for
// {} from {}", {"db-sg", "3306", "web-sg"}): the viewer looks the template up in its language
// (the same placeholders in the same order) and formats the arguments into it.
struct Phrase {
    const char* text = "";
    std::vector<std::string> args;
};

// The phrase's arguments formatted into `text`: its own template, or a translation of it with
// the same placeholders in the same order.
std::string format(const char* text, const Phrase& phrase);
std::string english(const Phrase& phrase);
std::string english(const std::vector<Phrase>& phrases);  // joined with "; "

// Every template a Phrase of the network view can hold (hops included), for the viewer's
// translation table and its test.
const std::vector<const char*>& phrase_templates();

struct FlowView {
    std::string hop;   // "client -> load balancer", "load balancer -> targets", ... (a template)
    std::string from;  // "internet", web-alb, web
    std::string to;
    int port = 0;
    int to_port = 0;  // a range port-to_port (dynamic host ports); 0: the one port
    bool open = true;
    // Closed: the missing rule, as the console would fix it ("db-sg has no inbound rule for
    // 3306 from web-sg"); open: what allows it.
    std::vector<Phrase> why;
    bool carries_requests = true;  // false: reported only (private -> internet)
    // instances -> internet: for each of the source's subnets the flow names, where its way
    // out stops, and the NAT device its route table sends 0.0.0.0/0 to (empty: none).
    struct Outbound {
        enum class Stop {
            Open,       // out through `nat` (or the internet gateway)
            Subnet,     // its route table has no way out (no 0.0.0.0/0, or not to an IGW)
            BeforeNat,  // the NAT instance's security group drops it
            AfterNat    // the NAT device cannot forward it (no route, no public IP, check on)
        };
        std::string subnet;
        Stop stop = Stop::Open;
        std::string nat;
        std::vector<Phrase> why;  // this subnet's part of the flow's reasons
    };
    std::vector<Outbound> outbound;
    // A container instance's own calls (the hops "container instances -> Amazon ECS / ECR /
    // S3"): for each of the group's subnets, the way its calls go from there.
    struct Call {
        enum class Way {
            InterfaceEndpoint,  // to `endpoints` (chips in the subnets), private DNS on
            GatewayEndpoint,    // to S3 through gateway endpoint `endpoints[0]` (route table)
            Out,                // through the subnet's way out (the instances -> internet arrows)
            Blocked             // nowhere: `why`
        };
        std::string subnet;
        Way way = Way::Out;
        std::vector<std::string> endpoints;
        std::vector<Phrase> why;  // Blocked: this subnet's reasons
    };
    std::vector<Call> calls;
};

struct NetworkView {
    bool modelled = false;  // the scenario has a [vpc]
    std::string vpc_cidr;
    std::vector<std::string> zones;
    std::vector<SubnetView> subnets;  // in the scenario's order
    std::vector<SecurityGroupView> security_groups;
    std::vector<FlowView> flows;
};

// The network of `world`'s scenario, with its live counts.
NetworkView network_view(const cloud::World& world);
// The same from a Spec alone (no counts): for tests and the lab picker.
NetworkView network_view(const scenario::Spec& spec);

// A flow's reasons in the console's words: a closed flow's fix ("db-sg has no inbound rule for
// 3306 from web-sg"), an open flow's rule ("security group alb-sg allows 80 from 0.0.0.0/0").
std::vector<Phrase> flow_phrases(const cloud::Flow& flow);

}  // namespace stratus::view
