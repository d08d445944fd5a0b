// The viewer's network view (sim/view/network_view.hpp): each flow's reasons as phrases, worded
// as the console would fix them, and a Korean wording in the viewer's table for every phrase the
// view can hold (the network view under --lang ko showed its flows in English).
#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/cloud/network.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/view/network_view.hpp"
#include "support.hpp"

namespace test_network_view {

using namespace stratus;

namespace {

const std::string kLabs = std::string(STRATUS_SOURCE_DIR) + "/scenarios/labs";

const view::FlowView& flow(const view::NetworkView& v, const std::string& hop) {
    for (const auto& f : v.flows)
        if (f.hop == hop) return f;
    FAIL("no flow on hop " << hop);
    return v.flows.front();
}

std::vector<std::string> placeholders(const std::string& s) {
    std::vector<std::string> out;
    for (auto a = s.find('{'); a != std::string::npos; a = s.find('{', a + 1))
        out.push_back(s.substr(a, s.find('}', a) - a + 1));
    return out;
}

}  // namespace

TEST_CASE("Lab 13's closed hop names the inbound rule db-sg lacks, as data and in English",
          "[network_view]") {
    const auto v = view::network_view(scenario::load_file(kLabs + "/13-db-security-group.toml"));
    REQUIRE(v.modelled);
    const auto& db = flow(v, "application -> database");
    CHECK_FALSE(db.open);
    REQUIRE(db.why.size() == 1);
    CHECK(std::string(db.why[0].text) == "{} has no inbound rule for {} from {}");
    CHECK(db.why[0].args == std::vector<std::string>{"db-sg", "3306", "web-sg"});
    CHECK(view::english(db.why) == "db-sg has no inbound rule for 3306 from web-sg");
    // The open hops say which rule lets them through.
    const auto& in = flow(v, "client -> load balancer");
    CHECK(in.open);
    CHECK(view::english(in.why) == "security group alb-sg allows 80 from 0.0.0.0/0");
}

TEST_CASE("Lab 14's clients are blocked at alb-sg: the rule from 0.0.0.0/0 on 80 is missing",
          "[network_view]") {
    const auto v = view::network_view(scenario::load_file(kLabs + "/14-lb-security-group.toml"));
    const auto& in = flow(v, "client -> load balancer");
    CHECK_FALSE(in.open);
    CHECK(view::english(in.why) == "alb-sg has no inbound rule for 80 from 0.0.0.0/0");
}

TEST_CASE("A NAT instance with two problems: one phrase each, and the event's sentence unchanged",
          "[network_view]") {
    const std::string file = kLabs + "/11-nat-gateway-vs-nat-instance.toml";
    const auto spec = scenario::load_file(file, {"instance.nat-box.source_dest_check=true",
                                                 "instance.nat-box.associate_public_ip_address="
                                                 "false"});
    REQUIRE(spec.eip.empty());  // else the address would come from an Elastic IP
    const auto v = view::network_view(spec);
    const view::FlowView* out = nullptr;
    for (const auto& f : v.flows)
        if (f.hop == "instances -> internet" && f.from == "app-inst") out = &f;
    REQUIRE(out);
    CHECK_FALSE(out->open);
    // Two subnets (inst-a, inst-c) route to the NAT instance, two problems each.
    REQUIRE(out->why.size() == 4);
    CHECK(out->why[0].args == std::vector<std::string>{"inst-a", "nat-box"});
    CHECK(view::english(out->why).rfind(
              "subnet inst-a routes to NAT instance nat-box, but its source/"
              "destination check is on (set source_dest_check = false); subnet "
              "inst-a routes to NAT instance nat-box, but it has no public IPv4 "
              "address",
              0) == 0);
    // The analysis's own sentence (events, warnings) continues the first problem's.
    const auto flows = cloud::analyse_flows(spec);
    const cloud::Flow* analysed = nullptr;
    for (const auto& f : flows)
        if (f.kind == cloud::Flow::PrivateToInternet && f.from == "app-inst") analysed = &f;
    REQUIRE(analysed);
    CHECK(analysed->why.rfind("subnet inst-a routes to NAT instance nat-box, but its source/"
                              "destination check is on, so EC2 drops the traffic it would "
                              "forward (set source_dest_check = false); it has no public IPv4 "
                              "address (associate_public_ip_address = true or an [[eip]]); "
                              "subnet inst-c routes to NAT instance nat-box, but",
                              0) == 0);
}

TEST_CASE("Every phrase of the network view has a Korean wording with the same placeholders",
          "[network_view][glossary]") {
    const auto pairs = testing::viewer_ui_text();
    REQUIRE(pairs.size() > 100);
    const auto& templates = view::phrase_templates();
    REQUIRE(templates.size() >= 20);
    for (const char* t : templates) {
        INFO(t);
        const auto it =
            std::find_if(pairs.begin(), pairs.end(), [&](const auto& p) { return p.first == t; });
        REQUIRE(it != pairs.end());
        CHECK(placeholders(it->second) == placeholders(t));
        CHECK(it->second != t);
    }
    // Every phrase the shipped scenarios produce is one of those templates (a phrase written
    // elsewhere would show in English under --lang ko).
    int phrases = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(
             std::string(STRATUS_SOURCE_DIR) + "/scenarios")) {
        if (entry.path().extension() != ".toml") continue;
        const auto v = view::network_view(scenario::load_file(entry.path().string()));
        for (const auto& f : v.flows) {
            INFO(entry.path().filename().string() << ": " << view::english(f.why));
            CHECK(std::find(templates.begin(), templates.end(), f.hop) != templates.end());
            for (const auto& p : f.why) {
                ++phrases;
                CHECK(std::find_if(templates.begin(), templates.end(), [&](const char* t) {
                          return std::strcmp(t, p.text) == 0;
                      }) != templates.end());
            }
        }
    }
    CHECK(phrases >= 20);
}

TEST_CASE("Lab 25's Fargate tasks sit in the app subnets in task-sg, counted while RUNNING",
          "[network_view][ecs]") {
    // The ECS version of lab 13: the flows start at the service `api`; its tasks (awsvpc) must
    // be in the picture for the arrows to reach them (they were left out: no chip, no arrow).
    const auto spec = scenario::load_file(kLabs + "/25-fargate-db-security-group.toml");
    const auto from_spec = view::network_view(spec);
    const auto& db = flow(from_spec, "application -> database");
    CHECK_FALSE(db.open);
    CHECK(db.from == "api");
    report::Run run(spec);
    // Provisioning 20 s, image pull, the application: both tasks RUNNING well before 10 min.
    run.world().start();
    run.world().run_until(10 * kMinute);
    const auto v = view::network_view(run.world());
    int subnets_with_tasks = 0, running = 0;
    for (const auto& s : v.subnets)
        for (const auto& r : s.resources) {
            if (r.kind != view::NetResource::Kind::Tasks) continue;
            INFO(s.name);
            CHECK(r.name == "api");
            CHECK(r.security_groups == std::vector<std::string>{"task-sg"});
            CHECK((s.name == "app-a" || s.name == "app-c"));
            CHECK(r.count == 1);  // desired_count 2, one per AZ
            ++subnets_with_tasks;
            running += r.count;
        }
    CHECK(subnets_with_tasks == 2);
    int world_running = 0;
    for (const auto& t : run.world().ecs_services()[0]->tasks())
        world_running += t.status == cloud::TaskStatus::Running;
    CHECK(running == world_running);
    CHECK(world_running == 2);
}

TEST_CASE("Lab 31: the load balancer's chip names its listeners and what they forward to now",
          "[network_view][ecs]") {
    // Blue/green through a temporary port: the picture must show both listeners and their
    // target groups, and the swap at 20 minutes.
    const auto spec = scenario::load_file(kLabs + "/31-fargate-blue-green.toml");
    const auto notes = [](const view::NetworkView& v) {
        std::vector<std::string> out;
        for (const auto& s : v.subnets)
            for (const auto& r : s.resources)
                if (r.kind == view::NetResource::Kind::LoadBalancer) out.push_back(r.note);
        return out;
    };
    const std::vector<std::string> before(2, "80 -> blue-tg, 999 -> green-tg");
    CHECK(notes(view::network_view(spec)) == before);  // one chip per public subnet
    report::Run run(spec);
    run.world().start();
    run.world().run_until(19 * kMinute);
    CHECK(notes(view::network_view(run.world())) == before);
    run.world().run_until(21 * kMinute);
    CHECK(notes(view::network_view(run.world())) ==
          std::vector<std::string>(2, "80 -> green-tg, 999 -> green-tg"));
    // The internet's flows: the shoppers on 80 from anywhere, the team on 999 from the office.
    std::vector<std::pair<int, bool>> internet;
    for (const auto& f : view::network_view(spec).flows)
        if (f.from == "internet") internet.emplace_back(f.port, f.open);
    CHECK(internet == std::vector<std::pair<int, bool>>{{80, true}, {999, true}});
}

TEST_CASE("Each private subnet's way out to the internet: open, or where it stops",
          "[network_view]") {
    using Stop = view::FlowView::Outbound::Stop;
    auto outbound = [](const view::NetworkView& v, const std::string& from) {
        for (const auto& f : v.flows)
            if (f.hop == "instances -> internet" && f.from == from) return f.outbound;
        FAIL("no flow to the internet from " << from);
        return std::vector<view::FlowView::Outbound>{};
    };
    auto stop_of = [](const std::vector<view::FlowView::Outbound>& o, const std::string& subnet) {
        for (const auto& x : o)
            if (x.subnet == subnet) return x;
        FAIL("no subnet " << subnet);
        return view::FlowView::Outbound{};
    };
    const std::string nat_lab = kLabs + "/11-nat-gateway-vs-nat-instance.toml";
    // Lab 11 as written: both tiers out, each through its own NAT device.
    auto v = view::network_view(scenario::load_file(nat_lab));
    auto gw = outbound(v, "app-gw"), inst = outbound(v, "app-inst");
    REQUIRE(gw.size() == 2);
    REQUIRE(inst.size() == 2);
    CHECK(stop_of(gw, "gw-a").stop == Stop::Open);
    CHECK(stop_of(gw, "gw-c").nat == "nat-gw");
    CHECK(stop_of(inst, "inst-c").stop == Stop::Open);
    CHECK(stop_of(inst, "inst-c").nat == "nat-box");
    // Its Try without a public address: past the NAT instance, with this subnet's reason only.
    v = view::network_view(
        scenario::load_file(nat_lab, {"instance.nat-box.associate_public_ip_address=false"}));
    const auto after = stop_of(outbound(v, "app-inst"), "inst-a");
    CHECK(after.stop == Stop::AfterNat);
    CHECK(after.nat == "nat-box");
    CHECK(view::english(after.why) ==
          "subnet inst-a routes to NAT instance nat-box, but it has no public IPv4 address");
    CHECK(stop_of(outbound(v, "app-gw"), "gw-a").stop == Stop::Open);
    // The NAT instance's security group without the app tier's 443: before it. With the public
    // address gone too, the first stop on the way out.
    v = view::network_view(scenario::load_file(
        nat_lab, {"security_group.nat-sg.ingress=[{ port = 443, cidr_blocks = [\"10.9.0.0/16\"] }]",
                  "instance.nat-box.associate_public_ip_address=false"}));
    CHECK(stop_of(outbound(v, "app-inst"), "inst-c").stop == Stop::BeforeNat);
    // Lab 28: the app subnets route only within the VPC: at the subnet.
    v = view::network_view(scenario::load_file(kLabs + "/28-fargate-private-subnet-no-nat.toml"));
    const auto local = stop_of(outbound(v, "api"), "app-c");
    CHECK(local.stop == Stop::Subnet);
    CHECK(local.nat.empty());
}

TEST_CASE("Lab 28: a Fargate service's closed way out costs every request (its image pulls)",
          "[network_view][ecs]") {
    // The tasks pull their image through their subnets: with no route out none starts, and
    // the load balancer answers 503 to every request. The closed flow said "the model sends no
    // updates or external calls, so no request is lost", and its event's effect spoke of 500s.
    const auto spec = scenario::load_file(kLabs + "/28-fargate-private-subnet-no-nat.toml");
    const cloud::Flow* out = nullptr;
    const auto flows = cloud::analyse_flows(spec);
    for (const auto& f : flows)
        if (f.kind == cloud::Flow::PrivateToInternet && f.from == "api") out = &f;
    REQUIRE(out);
    CHECK_FALSE(out->open);
    CHECK_FALSE(out->carries_requests);  // the workload makes no call out of the VPC
    CHECK(out->image_pulls);
    CHECK(out->why ==
          "subnet app-a routes only within the VPC (no internet gateway, no NAT gateway); subnet "
          "app-c routes only within the VPC (no internet gateway, no NAT gateway)");
    CHECK(std::string(cloud::closed_flow_effect(*out)) ==
          "the tasks cannot pull their image: they stop before RUNNING (TaskFailedToStart), none "
          "is registered, and the load balancer answers 503");
    // A group of instances whose workload calls nothing out keeps the note (lab 13's web tier
    // behind a local route only).
    const auto web =
        scenario::load_file(kLabs + "/13-db-security-group.toml",
                            {"subnet.app-a.route=\"local\"", "subnet.app-c.route=\"local\""});
    for (const auto& f : cloud::analyse_flows(web))
        if (f.kind == cloud::Flow::PrivateToInternet) {
            CHECK_FALSE(f.image_pulls);
            CHECK(f.why.find("no request is lost") != std::string::npos);
        }
}

TEST_CASE(
    "Lab 29's VPC endpoints are drawn: interface endpoints in their subnets, the gateway's route",
    "[network_view][ecs]") {
    // Shipped as Terraform leaves them: private DNS off, the S3 gateway endpoint on no route
    // table of the app subnets. The view drew neither, so the picture said only "no NAT".
    const std::string file = kLabs + "/29-fargate-vpc-endpoints.toml";
    auto endpoints_in = [](const view::SubnetView& s) {
        std::vector<const view::NetResource*> out;
        for (const auto& r : s.resources)
            if (r.kind == view::NetResource::Kind::VpcEndpoint) out.push_back(&r);
        return out;
    };
    auto subnet = [](const view::NetworkView& v, const std::string& name) {
        for (const auto& s : v.subnets)
            if (s.name == name) return s;
        FAIL("no subnet " << name);
        return v.subnets.front();
    };
    const auto shipped = view::network_view(scenario::load_file(file));
    for (const char* name : {"app-a", "app-c"}) {
        INFO(name);
        const auto s = subnet(shipped, name);
        const auto eps = endpoints_in(s);
        REQUIRE(eps.size() == 2);
        CHECK(eps[0]->name == "ecr-api");
        CHECK(eps[1]->name == "ecr-dkr");
        CHECK(eps[0]->security_groups == std::vector<std::string>{"endpoint-sg"});
        CHECK(eps[0]->note == "private DNS off");
        CHECK(s.route_table == std::vector<std::string>{"10.0.0.0/16 -> local"});
    }
    CHECK(endpoints_in(subnet(shipped, "public-a")).empty());
    const auto fixed = view::network_view(
        scenario::load_file(file, {"vpc_endpoint.ecr-api.private_dns_enabled=true",
                                   "vpc_endpoint.ecr-dkr.private_dns_enabled=true",
                                   "vpc_endpoint.s3.subnets=[\"app-a\", \"app-c\"]"}));
    const auto app_c = subnet(fixed, "app-c");
    REQUIRE(endpoints_in(app_c).size() == 2);
    CHECK(endpoints_in(app_c)[0]->note.empty());
    CHECK(app_c.route_table ==
          std::vector<std::string>{"10.0.0.0/16 -> local", "pl-s3 -> s3 (gateway endpoint)"});
    // The viewer says each of these in Korean.
    const auto pairs = testing::viewer_ui_text();
    for (const char* english : {"endpoint", "private DNS off", "(gateway endpoint)"}) {
        INFO(english);
        const auto it = std::find_if(pairs.begin(), pairs.end(),
                                     [&](const auto& p) { return p.first == english; });
        REQUIRE(it != pairs.end());
        CHECK(it->second != english);
    }
}

TEST_CASE("Lab 33: the container instances' agent and image legs, each subnet's way",
          "[network_view][ecs]") {
    // The ECS agent calls ecs, ecs-agent and ecs-telemetry on 443: their endpoints have private
    // DNS off and the app subnets route only within the VPC, so it cannot register the
    // instances. The image's registry legs go through the ECR endpoints (private DNS), its
    // layers through the S3 gateway endpoint on the app subnets' route table.
    const auto spec = scenario::load_file(kLabs + "/33-ec2-private-no-ecs-endpoints.toml");
    const auto v = view::network_view(spec);
    using Way = view::FlowView::Call::Way;
    const auto& agent = flow(v, "container instances -> Amazon ECS (agent registration)");
    CHECK_FALSE(agent.open);
    CHECK_FALSE(agent.carries_requests);
    CHECK(agent.from == "ecs-nodes");
    CHECK(agent.port == 443);
    REQUIRE(agent.calls.size() == 2);
    CHECK(agent.calls[0].subnet == "app-a");
    CHECK(agent.calls[0].way == Way::Blocked);
    CHECK(agent.calls[1].way == Way::Blocked);
    CHECK(view::english(agent.why) ==
          "the ECS agent cannot register the instances with cluster shop; private DNS off on "
          "interface endpoints ecs, ecs-agent, ecs-telemetry; subnet app-a routes only within the "
          "VPC (no internet gateway, no NAT gateway); subnet app-c routes only within the VPC (no "
          "internet gateway, no NAT gateway)");
    const auto& registry = flow(v, "container instances -> Amazon ECR (image pull)");
    CHECK(registry.open);
    REQUIRE(registry.calls.size() == 2);
    CHECK(registry.calls[1].way == Way::InterfaceEndpoint);
    CHECK(registry.calls[1].endpoints == std::vector<std::string>{"ecr-api", "ecr-dkr"});
    const auto& layers = flow(v, "container instances -> Amazon S3 (image layers)");
    CHECK(layers.open);
    REQUIRE(layers.calls.size() == 2);
    CHECK(layers.calls[0].way == Way::GatewayEndpoint);
    CHECK(view::english(layers.why) == "through gateway endpoint s3 (route table)");
    // The instances' way out is closed too, and no longer says that nothing is lost by it.
    const auto& out = flow(v, "instances -> internet");
    CHECK_FALSE(out.open);
    CHECK(view::english(out.why).find("no request is lost") == std::string::npos);

    // The fix of private DNS: the agent goes through the three endpoints.
    const auto fixed = view::network_view(
        scenario::load_file(kLabs + "/33-ec2-private-no-ecs-endpoints.toml",
                            {"vpc_endpoint.ecs.private_dns_enabled=true",
                             "vpc_endpoint.ecs-agent.private_dns_enabled=true",
                             "vpc_endpoint.ecs-telemetry.private_dns_enabled=true"}));
    const auto& through = flow(fixed, "container instances -> Amazon ECS (agent registration)");
    CHECK(through.open);
    CHECK(through.calls[0].way == Way::InterfaceEndpoint);
    CHECK(view::english(through.why) ==
          "through interface endpoints ecs, ecs-agent, ecs-telemetry (private DNS)");
    // The instances' outbound rules without 443 to S3: the layers' leg breaks at the rule.
    auto sg = scenario::load_file(kLabs + "/33-ec2-private-no-ecs-endpoints.toml");
    for (auto& g : sg.security_group)
        if (g.name == "ecs-node-sg") g.egress = {};
    const auto closed = view::network_view(sg);
    const auto& no_s3 = flow(closed, "container instances -> Amazon S3 (image layers)");
    CHECK_FALSE(no_s3.open);
    CHECK(view::english(no_s3.why) ==
          "ecs-node-sg has no outbound rule for 443 to 0.0.0.0/0 or to the prefix list of gateway "
          "endpoint s3");
}

}  // namespace test_network_view
