// Network flows (sim/cloud/network.hpp): each flow a scenario implies, open and closed, with
// the reason given; the course's two incidents (a database security group without the
// application's traffic; a load balancer security group without port 80).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "sim/cloud/network.hpp"

namespace test_network_flows {

using stratus::cloud::analyse_flows;
using stratus::cloud::Flow;
using namespace stratus::scenario;

namespace {

IngressRuleSpec from_cidr(int port, std::string block) {
    IngressRuleSpec r;
    r.port = port;
    r.cidr_blocks = {std::move(block)};
    return r;
}

IngressRuleSpec from_sg(int port, std::string sg) {
    IngressRuleSpec r;
    r.port = port;
    r.source_security_groups = {std::move(sg)};
    return r;
}

SubnetSpec subnet(std::string name, std::string block, std::string route) {
    SubnetSpec s;
    s.name = std::move(name);
    s.cidr_block = std::move(block);
    s.availability_zone = "us-east-1a";
    s.route = std::move(route);
    return s;
}

SecurityGroupSpec sg(std::string name, std::vector<IngressRuleSpec> ingress) {
    SecurityGroupSpec s;
    s.name = std::move(name);
    s.ingress = std::move(ingress);
    return s;
}

// The course's three-tier lab, every flow open: web-alb (public subnet, alb-sg: 80 from
// anywhere) -> group web (app subnet through nat-a, web-sg: 80 from alb-sg) -> shopdb (db
// subnet, db-sg: 3306 from web-sg).
Spec three_tier() {
    Spec spec;
    spec.vpc.present = true;
    spec.vpc.cidr_block = "10.0.0.0/16";
    spec.subnet = {subnet("pub-a", "10.0.1.0/24", "igw"),
                   subnet("app-a", "10.0.11.0/24", "nat:nat-a"),
                   subnet("db-a", "10.0.21.0/24", "local")};
    spec.nat_gateway.push_back({"nat-a", "pub-a", {}, {}});
    spec.security_group = {sg("alb-sg", {from_cidr(80, "0.0.0.0/0")}),
                           sg("web-sg", {from_sg(80, "alb-sg")}),
                           sg("db-sg", {from_sg(3306, "web-sg")})};
    LoadBalancerSpec lb;
    lb.name = "web-alb";
    lb.subnets = {"pub-a"};
    lb.security_groups = {"alb-sg"};
    spec.load_balancer.push_back(lb);
    LbListenerSpec l;
    l.load_balancer = "web-alb";
    l.port = 80;
    l.target_group = "web-tg";
    spec.lb_listener.push_back(l);
    TargetGroupSpec tg;
    tg.name = "web-tg";
    tg.port = 80;
    spec.target_group.push_back(tg);
    LaunchTemplateSpec lt;
    lt.name = "web-lt";
    lt.instance_type = "t3.micro";
    lt.security_groups = {"web-sg"};
    spec.launch_template.push_back(lt);
    AutoScalingGroupSpec g;
    g.name = "web";
    g.launch_template = "web-lt";
    g.subnets = {"app-a"};
    g.target_groups = {"web-tg"};
    spec.autoscaling_group.push_back(g);
    WorkloadSpec w;
    w.name = "shop";
    w.load_balancer = "web-alb";
    w.database = "shopdb";
    spec.workload.push_back(w);
    DbInstanceSpec db;
    db.identifier = "shopdb";
    db.port = 3306;
    db.subnets = {"db-a"};
    db.security_groups = {"db-sg"};
    spec.db_instance.push_back(db);
    return spec;
}

Flow only(const std::vector<Flow>& flows, Flow::Kind kind) {
    const Flow* found = nullptr;
    for (const auto& f : flows)
        if (f.kind == kind) {
            REQUIRE(found == nullptr);
            found = &f;
        }
    REQUIRE(found != nullptr);
    return *found;
}

SecurityGroupSpec& group(Spec& spec, const std::string& name) {
    for (auto& s : spec.security_group)
        if (s.name == name) return s;
    FAIL("no security group " << name);
    throw 0;
}

}  // namespace

TEST_CASE("flows: without a [vpc] the network is not modelled", "[flows]") {
    Spec spec = three_tier();
    spec.vpc.present = false;
    CHECK(analyse_flows(spec).empty());
}

TEST_CASE("flows: the three-tier lab has every flow open", "[flows]") {
    const auto flows = analyse_flows(three_tier());
    REQUIRE(flows.size() == 4);

    const Flow in = only(flows, Flow::InternetToLoadBalancer);
    CHECK(in.from == "internet");
    CHECK(in.to == "web-alb");
    CHECK(in.port == 80);
    CHECK(in.open);
    CHECK(in.why == "security group alb-sg allows 80 from 0.0.0.0/0");

    const Flow targets = only(flows, Flow::LoadBalancerToTargets);
    CHECK(targets.from == "web-alb");
    CHECK(targets.to == "web");
    CHECK(targets.port == 80);
    CHECK(targets.open);
    CHECK(targets.why == "security group web-sg allows 80 from alb-sg");

    const Flow db = only(flows, Flow::AppToDatabase);
    CHECK(db.from == "web");
    CHECK(db.to == "shopdb");
    CHECK(db.port == 3306);
    CHECK(db.open);
    CHECK(db.why == "security group db-sg allows 3306 from web-sg");

    const Flow out = only(flows, Flow::PrivateToInternet);
    CHECK(out.from == "web");
    CHECK(out.to == "internet");
    CHECK(out.open);
    CHECK(out.why == "subnet app-a through NAT gateway nat-a");
}

TEST_CASE("flows: course incident 2, a load balancer security group without port 80", "[flows]") {
    Spec spec = three_tier();
    group(spec, "alb-sg").ingress = {from_cidr(22, "0.0.0.0/0"), from_cidr(443, "0.0.0.0/0")};
    const Flow in = only(analyse_flows(spec), Flow::InternetToLoadBalancer);
    CHECK_FALSE(in.open);
    CHECK(in.why == "security group alb-sg allows nothing on 80 from 0.0.0.0/0");
}

TEST_CASE("flows: port 80 open only to part of the internet is closed", "[flows]") {
    Spec spec = three_tier();
    group(spec, "alb-sg").ingress = {from_cidr(80, "203.0.113.0/24")};
    const Flow in = only(analyse_flows(spec), Flow::InternetToLoadBalancer);
    CHECK_FALSE(in.open);
    CHECK(in.why == "security group alb-sg allows nothing on 80 from 0.0.0.0/0");
}

TEST_CASE("flows: an internet-facing load balancer in a private subnet is unreachable", "[flows]") {
    Spec spec = three_tier();
    spec.load_balancer[0].subnets = {"pub-a", "db-a"};
    const Flow in = only(analyse_flows(spec), Flow::InternetToLoadBalancer);
    CHECK_FALSE(in.open);
    CHECK(in.why == "subnet db-a has no route to an internet gateway (route = \"local\")");

    group(spec, "alb-sg").ingress.clear();
    const Flow both = only(analyse_flows(spec), Flow::InternetToLoadBalancer);
    CHECK(both.why ==
          "security group alb-sg allows nothing on 80 from 0.0.0.0/0; subnet db-a has no route "
          "to an internet gateway (route = \"local\")");
}

TEST_CASE("flows: internal load balancers have no internet flow, each listener port has one",
          "[flows]") {
    Spec spec = three_tier();
    LbListenerSpec https = spec.lb_listener[0];
    https.port = 443;
    spec.lb_listener.push_back(https);
    std::vector<Flow> in;
    for (const auto& f : analyse_flows(spec))
        if (f.kind == Flow::InternetToLoadBalancer) in.push_back(f);
    REQUIRE(in.size() == 2);
    CHECK(in[0].port == 80);
    CHECK(in[0].open);
    CHECK(in[1].port == 443);
    CHECK_FALSE(in[1].open);
    CHECK(in[1].why == "security group alb-sg allows nothing on 443 from 0.0.0.0/0");
    // Both listeners forward to web-tg: one flow to the targets.
    CHECK(only(analyse_flows(spec), Flow::LoadBalancerToTargets).port == 80);

    spec.load_balancer[0].internal = true;
    for (const auto& f : analyse_flows(spec))
        CHECK(f.kind != Flow::InternetToLoadBalancer);
}

TEST_CASE("flows: a temporary listener open only to the office, judged from its clients' block",
          "[flows]") {
    // Blue/green through a temporary port (lab 31): 80 from anywhere, 999 only from the
    // office's block, where the team checking the new version connects from.
    Spec spec = three_tier();
    group(spec, "alb-sg").ingress = {from_cidr(80, "0.0.0.0/0"), from_cidr(999, "203.0.113.0/24")};
    LbListenerSpec temporary = spec.lb_listener[0];
    temporary.port = 999;
    spec.lb_listener.push_back(temporary);
    auto internet = [&] {
        std::vector<Flow> in;
        for (const auto& f : analyse_flows(spec))
            if (f.kind == Flow::InternetToLoadBalancer) in.push_back(f);
        return in;
    };
    // No workload on 999: its clients are the internet, which the rule leaves out.
    std::vector<Flow> in = internet();
    REQUIRE(in.size() == 2);
    CHECK(in[0].port == 80);
    CHECK(in[0].client_cidr == "0.0.0.0/0");
    CHECK(in[0].open);
    CHECK(in[1].port == 999);
    CHECK_FALSE(in[1].open);
    CHECK(in[1].why == "security group alb-sg allows nothing on 999 from 0.0.0.0/0");

    // The team's checks from one office address: a /32 inside the rule's /24 is allowed.
    WorkloadSpec qa = spec.workload[0];
    qa.name = "qa";
    qa.listener_port = 999;
    qa.client_cidr = "203.0.113.10/32";
    spec.workload.push_back(qa);
    in = internet();
    REQUIRE(in.size() == 2);
    CHECK(in[1].port == 999);
    CHECK(in[1].client_cidr == "203.0.113.10/32");
    CHECK(in[1].open);
    CHECK(in[1].why == "security group alb-sg allows 999 from 203.0.113.0/24");

    // From home (outside the office's block): closed, and the reason names the clients' block.
    spec.workload[1].client_cidr = "198.51.100.23/32";
    in = internet();
    REQUIRE(in.size() == 2);
    CHECK_FALSE(in[1].open);
    CHECK(in[1].why ==
          "security group alb-sg allows nothing on 999 from a block holding 198.51.100.23/32");
    // The shoppers on 80 are judged from the internet as before.
    CHECK(in[0].open);
    CHECK(in[0].client_cidr == "0.0.0.0/0");
}

TEST_CASE("flows: a load balancer without security groups listed is not modelled", "[flows]") {
    Spec spec = three_tier();
    spec.load_balancer[0].security_groups.clear();
    const auto flows = analyse_flows(spec);
    const Flow in = only(flows, Flow::InternetToLoadBalancer);
    CHECK(in.open);
    CHECK(in.why == "no security group listed on web-alb (not modelled)");
    // web-sg only trusts alb-sg, which the load balancer no longer has.
    const Flow targets = only(flows, Flow::LoadBalancerToTargets);
    CHECK_FALSE(targets.open);
    CHECK(targets.why ==
          "security group web-sg allows nothing on 80 from a block holding 10.0.1.0/24");
}

TEST_CASE("flows: load balancer to targets, by security group or by block", "[flows]") {
    Spec spec = three_tier();
    spec.target_group[0].port = 8080;
    Flow targets = only(analyse_flows(spec), Flow::LoadBalancerToTargets);
    CHECK(targets.port == 8080);
    CHECK_FALSE(targets.open);
    CHECK(targets.why ==
          "security group web-sg allows nothing on 8080 from alb-sg or from a block holding "
          "10.0.1.0/24");

    // A block holding the load balancer's subnet opens it; the VPC's block does.
    group(spec, "web-sg").ingress = {from_cidr(8080, "10.0.0.0/16")};
    targets = only(analyse_flows(spec), Flow::LoadBalancerToTargets);
    CHECK(targets.open);
    CHECK(targets.why == "security group web-sg allows 8080 from 10.0.0.0/16");

    // A block that misses one of its subnets does not.
    spec.subnet.push_back(subnet("pub-b", "10.0.2.0/24", "igw"));
    spec.load_balancer[0].subnets = {"pub-a", "pub-b"};
    group(spec, "web-sg").ingress = {from_cidr(8080, "10.0.1.0/24")};
    targets = only(analyse_flows(spec), Flow::LoadBalancerToTargets);
    CHECK_FALSE(targets.open);
    CHECK(targets.why ==
          "security group web-sg allows nothing on 8080 from alb-sg or from a block holding "
          "10.0.1.0/24, 10.0.2.0/24");

    // No security group on the launch template: not modelled.
    spec.launch_template[0].security_groups.clear();
    targets = only(analyse_flows(spec), Flow::LoadBalancerToTargets);
    CHECK(targets.open);
    CHECK(targets.why == "no security group listed on launch template web-lt (not modelled)");
}

TEST_CASE("flows: the group's launch template version decides its security groups", "[flows]") {
    Spec spec = three_tier();
    LaunchTemplateSpec v2 = spec.launch_template[0];
    v2.version = 2;
    v2.security_groups = {"db-sg"};
    spec.launch_template.push_back(v2);
    CHECK_FALSE(only(analyse_flows(spec), Flow::LoadBalancerToTargets).open);  // highest: v2
    spec.autoscaling_group[0].launch_template_version = 1;
    CHECK(only(analyse_flows(spec), Flow::LoadBalancerToTargets).open);
}

TEST_CASE("flows: course incident 1, a database security group without the app's traffic",
          "[flows]") {
    Spec spec = three_tier();
    // The students allowed 3306 from the load balancer's group instead of the app's.
    group(spec, "db-sg").ingress = {from_sg(3306, "alb-sg")};
    Flow db = only(analyse_flows(spec), Flow::AppToDatabase);
    CHECK_FALSE(db.open);
    CHECK(db.why ==
          "security group db-sg allows nothing on 3306 from web-sg or from a block holding "
          "10.0.11.0/24");

    // The course's alternative: the WAS subnet's block on 3306.
    group(spec, "db-sg").ingress = {from_cidr(3306, "10.0.11.0/24")};
    db = only(analyse_flows(spec), Flow::AppToDatabase);
    CHECK(db.open);
    CHECK(db.why == "security group db-sg allows 3306 from 10.0.11.0/24");

    // The right group, the wrong port (postgres' port on a mysql database).
    group(spec, "db-sg").ingress = {from_sg(5432, "web-sg")};
    db = only(analyse_flows(spec), Flow::AppToDatabase);
    CHECK_FALSE(db.open);

    // No security group on the database: not modelled.
    spec.db_instance[0].security_groups.clear();
    db = only(analyse_flows(spec), Flow::AppToDatabase);
    CHECK(db.open);
    CHECK(db.why == "no security group listed on db_instance shopdb (not modelled)");
}

TEST_CASE("flows: a workload without a database has no database flow", "[flows]") {
    Spec spec = three_tier();
    spec.workload[0].database.clear();
    for (const auto& f : analyse_flows(spec))
        CHECK(f.kind != Flow::AppToDatabase);
}

TEST_CASE("flows: instances in subnets routed only locally cannot reach the internet", "[flows]") {
    Spec spec = three_tier();
    spec.subnet.push_back(subnet("app-b", "10.0.12.0/24", "local"));
    spec.autoscaling_group[0].subnets = {"app-a", "app-b"};
    StandaloneInstanceSpec bastion;
    bastion.name = "bastion";
    bastion.subnet = "pub-a";
    spec.instance.push_back(bastion);
    StandaloneInstanceSpec batch;
    batch.name = "batch";
    batch.subnet = "db-a";
    spec.instance.push_back(batch);

    std::vector<Flow> out;
    for (const auto& f : analyse_flows(spec))
        if (f.kind == Flow::PrivateToInternet) out.push_back(f);
    REQUIRE(out.size() == 2);  // the bastion is in a public subnet
    CHECK(out[0].from == "web");
    CHECK_FALSE(out[0].open);
    CHECK(out[0].why ==
          "subnet app-b routes only within the VPC (no internet gateway, no NAT gateway); the "
          "model sends no updates or external calls, so no request is lost");
    CHECK(out[1].from == "batch");
    CHECK(out[1].to == "internet");
    CHECK(out[1].port == 443);
    CHECK_FALSE(out[1].open);
}

// ---- outbound rules --------------------------------------------------------------------------

namespace {

IngressRuleSpec to_cidr(int port, std::string block, int to_port = -1) {
    IngressRuleSpec r = from_cidr(port, std::move(block));
    r.to_port = to_port;
    return r;
}

}  // namespace

TEST_CASE("flows: AWS's default outbound rule lets every flow out", "[flows][egress]") {
    Spec spec = three_tier();
    REQUIRE(group(spec, "web-sg").egress.size() == 1);
    const auto& all = group(spec, "web-sg").egress[0];
    CHECK(all.port == 0);
    CHECK(all.last_port() == 65535);
    CHECK(all.cidr_blocks == std::vector<std::string>{"0.0.0.0/0"});
    for (const auto& f : analyse_flows(spec))
        CHECK(f.open);
}

TEST_CASE("flows: groups without outbound rules (Terraform's) send nothing out",
          "[flows][egress]") {
    Spec spec = three_tier();
    group(spec, "alb-sg").egress.clear();
    group(spec, "web-sg").egress.clear();
    const auto flows = analyse_flows(spec);
    REQUIRE(flows.size() == 4);
    // Into the load balancer: the internet is no security group; the answers are return
    // traffic, which a stateful group lets out.
    CHECK(only(flows, Flow::InternetToLoadBalancer).open);
    const Flow targets = only(flows, Flow::LoadBalancerToTargets);
    CHECK_FALSE(targets.open);
    CHECK(targets.why ==
          "security group alb-sg allows nothing out on 80 to web-sg or to a block holding "
          "10.0.11.0/24");
    const Flow db = only(flows, Flow::AppToDatabase);
    CHECK_FALSE(db.open);
    CHECK(db.why ==
          "security group web-sg allows nothing out on 3306 to db-sg or to a block holding "
          "10.0.21.0/24");
    const Flow out = only(flows, Flow::PrivateToInternet);
    CHECK_FALSE(out.open);
    CHECK(out.why == "security group web-sg allows nothing out on 443 to 0.0.0.0/0 (the internet)");
}

TEST_CASE("flows: outbound 443 only: the internet through the NAT, not the database",
          "[flows][egress]") {
    Spec spec = three_tier();
    group(spec, "web-sg").egress = {to_cidr(443, "0.0.0.0/0")};
    auto flows = analyse_flows(spec);
    CHECK(only(flows, Flow::LoadBalancerToTargets).open);
    CHECK(only(flows, Flow::PrivateToInternet).open);
    CHECK(only(flows, Flow::PrivateToInternet).why == "subnet app-a through NAT gateway nat-a");
    const Flow db = only(flows, Flow::AppToDatabase);
    CHECK_FALSE(db.open);
    REQUIRE(db.reasons.size() == 1);
    CHECK(db.reasons[0].kind == stratus::cloud::FlowReason::NoOutboundRule);
    SECTION("an outbound rule to the database's group opens it") {
        IngressRuleSpec to_db = from_sg(3306, "db-sg");
        group(spec, "web-sg").egress.push_back(to_db);
        flows = analyse_flows(spec);
        CHECK(only(flows, Flow::AppToDatabase).open);
        CHECK(only(flows, Flow::AppToDatabase).why ==
              "security group db-sg allows 3306 from web-sg");  // the inbound rule, as before
    }
    SECTION("so does one to a block holding the database's subnet, not to another block") {
        group(spec, "web-sg").egress.push_back(to_cidr(3306, "10.0.20.0/22"));
        CHECK(only(analyse_flows(spec), Flow::AppToDatabase).open);
        group(spec, "web-sg").egress.back() = to_cidr(3306, "10.0.22.0/24");
        CHECK_FALSE(only(analyse_flows(spec), Flow::AppToDatabase).open);
    }
    SECTION("a range must hold the port") {
        group(spec, "web-sg").egress.push_back(to_cidr(3300, "10.0.0.0/16", 3305));
        CHECK_FALSE(only(analyse_flows(spec), Flow::AppToDatabase).open);
        group(spec, "web-sg").egress.back() = to_cidr(3300, "10.0.0.0/16", 3310);
        CHECK(only(analyse_flows(spec), Flow::AppToDatabase).open);
    }
}

TEST_CASE("flows: both rules missing: the outbound one first, then the inbound one",
          "[flows][egress]") {
    Spec spec = three_tier();
    group(spec, "web-sg").egress = {to_cidr(443, "0.0.0.0/0")};
    group(spec, "db-sg").ingress = {from_sg(5432, "web-sg")};
    const Flow db = only(analyse_flows(spec), Flow::AppToDatabase);
    CHECK_FALSE(db.open);
    CHECK(db.why ==
          "security group web-sg allows nothing out on 3306 to db-sg or to a block holding "
          "10.0.21.0/24; security group db-sg allows nothing on 3306 from web-sg or from a "
          "block holding 10.0.11.0/24");
}

TEST_CASE("flows: outbound rules close the internet from a public subnet too", "[flows][egress]") {
    Spec spec = three_tier();
    spec.subnet[1].route = "igw";  // app-a public: no private flow while 443 may go out
    CHECK(analyse_flows(spec).size() == 3);
    group(spec, "web-sg").egress = {to_cidr(3306, "10.0.21.0/24")};
    const Flow out = only(analyse_flows(spec), Flow::PrivateToInternet);
    CHECK_FALSE(out.open);
    CHECK(out.why == "security group web-sg allows nothing out on 443 to 0.0.0.0/0 (the internet)");
    CHECK_FALSE(stratus::cloud::reaches_internet(spec, spec.subnet[1], {"web-sg"}));
    CHECK(stratus::cloud::reaches_internet(spec, spec.subnet[1], {}));  // not modelled
}

}  // namespace test_network_flows
