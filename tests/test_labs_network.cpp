// Labs 13 and 14: the course's two security group incidents. Each test runs the lab as
// written (a flow closed: every request fails) and with the `--set` its description suggests
// (the missing rule added: every request succeeds).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "sim/cloud/network.hpp"
#include "sim/cloud/world.hpp"
#include "sim/report/outputs.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/loader.hpp"
#include "world_support.hpp"

namespace test_labs_network {

using namespace stratus;

namespace {

const std::string kLabs = std::string(STRATUS_SOURCE_DIR) + "/scenarios/labs";

struct NetRun {
    nlohmann::ordered_json summary;
    std::vector<nlohmann::ordered_json> closed;  // the network_flow_closed events
};

NetRun run_lab(const std::string& file, const std::vector<std::string>& sets = {}) {
    auto spec = scenario::load_file(file, sets);
    REQUIRE(scenario::unsupported_features(spec).empty());
    report::Run run(spec);
    cloud::World& world = run.world();
    world.run();
    NetRun r{report::make_summary(run), {}};
    for (const auto& e : testing::json_events(run)) {
        if (e.type != "network_flow_closed") continue;
        nlohmann::ordered_json j = e.subjects;
        j["t"] = to_seconds(e.t);
        r.closed.push_back(j);
    }
    return r;
}

double count(const NetRun& r, const char* key) {
    return r.summary["requests"]["errors"][key].get<double>();
}

}  // namespace

TEST_CASE("lab 13: db-sg without web-sg fails every request with 500, the rule fixes it",
          "[labs_network]") {
    const std::string file = kLabs + "/13-db-security-group.toml";
    const auto broken = run_lab(file);
    const double total = broken.summary["requests"]["total"].get<double>();
    // 20/s from minute 2 to minute 20: about 21,600 requests, every one a 500 from the
    // application 10 s after it arrived (the last 10 s, about 200, still wait at the end).
    CHECK(total == Approx(21600).epsilon(0.05));
    const double in_flight = broken.summary["requests"]["in_flight_at_end"].get<double>();
    CHECK(in_flight == Approx(200).margin(60));
    CHECK(count(broken, "http_500") == total - in_flight);
    // They reached the instances (the load balancer routed them).
    CHECK(broken.summary["target_groups"]["web-tg"]["requests"].get<double>() >= total);
    CHECK(broken.summary["requests"]["ok"] == 0);
    REQUIRE(broken.closed.size() == 1);
    const auto& f = broken.closed[0];
    CHECK(f["t"] == 0.0);
    CHECK(f["flow"] == "app_to_database");
    CHECK(f["from"] == "web");
    CHECK(f["to"] == "shop-db");
    CHECK(f["port"] == 3306);
    CHECK_THAT(f["why"].get<std::string>(),
               Catch::Contains("security group db-sg allows nothing on 3306 from web-sg"));

    const auto fixed = run_lab(
        file,
        {R"(security_group.db-sg.ingress=[{ port = 3306, source_security_group = "web-sg" }])"});
    CHECK(fixed.closed.empty());
    CHECK(fixed.summary["requests"]["errors"]["total"] == 0);
    CHECK(fixed.summary["availability_percent"].get<double>() > 99.9);
}

TEST_CASE("lab 14: alb-sg without port 80 times every client's connection out, the rule fixes it",
          "[labs_network]") {
    const std::string file = kLabs + "/14-lb-security-group.toml";
    const auto broken = run_lab(file);
    const double total = broken.summary["requests"]["total"].get<double>();
    CHECK(total == Approx(21600).epsilon(0.05));
    CHECK(broken.summary["requests"]["ok"] == 0);
    // Counted at the 30 s timeout: the last 30 s of requests (about 600) are still waiting.
    const double in_flight = broken.summary["requests"]["in_flight_at_end"].get<double>();
    CHECK(in_flight == Approx(600).margin(100));
    // The client's own connect timeout, not an HTTP code: the load balancer never saw them.
    CHECK(count(broken, "connect_timeout") == total - in_flight);
    CHECK(count(broken, "total") == count(broken, "connect_timeout"));
    CHECK(count(broken, "http_504") == 0);
    CHECK(broken.summary["target_groups"]["web-tg"]["requests"] == 0);
    CHECK(broken.summary["availability_percent"].get<double>() < 0.1);
    REQUIRE(broken.closed.size() == 1);
    const auto& f = broken.closed[0];
    CHECK(f["flow"] == "internet_to_load_balancer");
    CHECK(f["to"] == "web-alb");
    CHECK(f["port"] == 80);
    CHECK_THAT(f["why"].get<std::string>(),
               Catch::Contains("security group alb-sg allows nothing on 80"));

    const auto fixed = run_lab(
        file,
        {R"(security_group.alb-sg.ingress=[{ port = 80, cidr_blocks = ["0.0.0.0/0"] }, { port = 443, cidr_blocks = ["0.0.0.0/0"] }])"});
    CHECK(fixed.closed.empty());
    CHECK(fixed.summary["requests"]["errors"]["total"] == 0);
    CHECK(fixed.summary["availability_percent"].get<double>() > 99.9);
}

namespace {

double bill_usd(const cloud::World& world, const std::string& resource,
                const std::string& usage_type) {
    double usd = 0;
    for (const auto& l : world.cost().ledger().lines())
        if (l.spec.resource_id == resource && l.spec.usage_type == usage_type) usd += l.cost;
    return usd;
}

double quantity(const cloud::World& world, const std::string& resource,
                const std::string& usage_type) {
    double q = 0;
    for (const auto& l : world.cost().ledger().lines())
        if (l.spec.resource_id == resource && l.spec.usage_type == usage_type)
            q += l.usage_quantity;
    return q;
}

}  // namespace

TEST_CASE("lab 11: the NAT gateway bills hours and every GB, the NAT instance only its hours",
          "[labs_network][nat]") {
    const std::string file = kLabs + "/11-nat-gateway-vs-nat-instance.toml";
    auto spec = scenario::load_file(file);
    REQUIRE(scenario::unsupported_features(spec).empty());
    CHECK(cloud::closed_flow_warnings(spec).empty());
    report::Run run(spec);
    cloud::World& world = run.world();
    world.run();

    // Bytes through the gateway: 100 KB for every request app-gw's instances accepted.
    std::uint64_t gw_requests = 0, inst_requests = 0;
    for (std::uint32_t i = 0; i < world.fleet().size(); ++i) {
        const auto& in = world.fleet()[i];
        (in.config().group == 0 ? gw_requests : inst_requests) += in.accepted();
    }
    // 40/s from minute 2 for the rest of the day, about half to each group.
    CHECK(gw_requests + inst_requests == Approx(40.0 * 86280).epsilon(0.01));
    CHECK(gw_requests == Approx(20.0 * 86280).epsilon(0.02));
    const double gb = quantity(world, "nat-gw", "NatGateway-Bytes");
    CHECK(gb == Approx(gw_requests * 100000 / 1e9).epsilon(1e-9));
    // Seoul: $0.059 an hour and $0.059 per GB processed.
    CHECK(bill_usd(world, "nat-gw", "NatGateway-Hours") == Approx(24 * 0.059).epsilon(1e-9));
    CHECK(bill_usd(world, "nat-gw", "NatGateway-Bytes") == Approx(gb * 0.059).epsilon(1e-9));
    // The NAT instance: t3.nano 24 h x $0.0065, 8 GB gp3 for a day of January (744 h), a
    // public IPv4 24 h.
    CHECK(bill_usd(world, "nat-box", "BoxUsage:t3.nano") == Approx(24 * 0.0065).epsilon(1e-9));
    CHECK(bill_usd(world, "vol-nat-box", "EBS:VolumeUsage.gp3") ==
          Approx(8 * 24 / 744.0 * 0.0912).epsilon(1e-6));
    CHECK(bill_usd(world, "ipv4/nat-box", "PublicIPv4:InUseAddress") ==
          Approx(24 * 0.005).epsilon(1e-9));
    const auto summary = report::make_summary(run);
    const double by_gateway = summary["cost_usd"]["by_tag"]["Setup=nat-gateway"].get<double>();
    const double by_instance = summary["cost_usd"]["by_tag"]["Setup=nat-instance"].get<double>();
    // The gateway's own Elastic IP: 24 h x $0.005.
    CHECK(bill_usd(world, "ipv4/natgateway/nat-gw", "PublicIPv4:InUseAddress") ==
          Approx(24 * 0.005).epsilon(1e-9));
    CHECK(by_gateway == Approx(24 * 0.059 + gb * 0.059 + 24 * 0.005).epsilon(1e-6));
    CHECK(by_instance == Approx(24 * 0.0065 + 8 * 24 / 744.0 * 0.0912 + 24 * 0.005).margin(1e-6));
    CHECK(by_gateway > 30 * by_instance);
}

TEST_CASE("lab 11: a NAT instance with its source/destination check on forwards nothing",
          "[labs_network][nat]") {
    const std::string file = kLabs + "/11-nat-gateway-vs-nat-instance.toml";
    const auto working = run_lab(file);
    const auto broken = run_lab(file, {"instance.nat-box.source_dest_check=true"});
    auto spec = scenario::load_file(file, {"instance.nat-box.source_dest_check=true"});
    const auto warnings = cloud::closed_flow_warnings(spec);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].message.find("app-inst -> internet on port 443 is closed") !=
          std::string::npos);
    CHECK(warnings[0].message.find("source/destination check is on") != std::string::npos);
    // The calls through nat-box go nowhere: about half the bytes leave the data transfer bill;
    // the gateway side is unchanged.
    const double dto_working =
        working.summary["cost_usd"]["by_line_item"]["data_transfer"].get<double>();
    const double dto_broken =
        broken.summary["cost_usd"]["by_line_item"]["data_transfer"].get<double>();
    CHECK(dto_broken < 0.6 * dto_working);
    CHECK(broken.summary["cost_usd"]["by_line_item"]["nat_gateway"].get<double>() ==
          Approx(working.summary["cost_usd"]["by_line_item"]["nat_gateway"].get<double>()));
    // Every request makes an external call: the half served by app-inst (behind nat-box)
    // waits the 10 s connect timeout and answers 500, the half behind the NAT gateway
    // succeeds (20 requests/s x 86,280 s = 1,725,600 each).
    const double total = working.summary["requests"]["ok"].get<double>();
    REQUIRE(total == Approx(2 * 1725600).epsilon(0.01));
    const auto& requests = broken.summary["requests"];
    CHECK(requests["ok"].get<double>() == Approx(total / 2).epsilon(0.01));
    CHECK(requests["errors"]["http_500"].get<double>() +
              requests["in_flight_at_end"].get<double>() + requests["ok"].get<double>() ==
          Approx(total).margin(2));
}

TEST_CASE("lab 11: the NAT instance needs a public address, an internet route and its SG",
          "[labs_network][nat]") {
    const std::string file = kLabs + "/11-nat-gateway-vs-nat-instance.toml";
    auto message_of = [&](const std::vector<std::string>& sets) {
        auto spec = scenario::load_file(file, sets);
        const auto w = cloud::closed_flow_warnings(spec);
        REQUIRE(w.size() == 1);
        return w[0].message;
    };
    CHECK(message_of({"instance.nat-box.associate_public_ip_address=false"})
              .find("no public IPv4 address") != std::string::npos);
    CHECK(message_of({"instance.nat-box.subnet=gw-a"}).find("no route to an internet gateway") !=
          std::string::npos);
    CHECK(message_of({"security_group.nat-sg.ingress=[{ port = 22, cidr_blocks = "
                      "[\"0.0.0.0/0\"] }]"})
              .find("security group nat-sg allows nothing on 443 from app-sg") !=
          std::string::npos);
}

TEST_CASE("lab 30: dynamic host ports need the ephemeral range from the ALB's security group",
          "[labs_network][ecs]") {
    const std::string file = kLabs + "/30-ec2-dynamic-port-security-group.toml";
    // The flow as analysed: the load balancer reaches the bridge-mode tasks on their container
    // instances' security group, on the whole range the agent takes dynamic ports from.
    const auto flow_of = [&](const std::vector<std::string>& sets) {
        for (const auto& f : cloud::analyse_flows(scenario::load_file(file, sets)))
            if (f.kind == cloud::Flow::LoadBalancerToTargets && f.to == "api") return f;
        FAIL("no flow to api");
        return cloud::Flow{};
    };
    const auto broken = flow_of({});
    CHECK_FALSE(broken.open);
    CHECK(broken.port == 32768);
    CHECK(broken.to_port == 60999);
    CHECK(broken.to_kind == cloud::Flow::EcsService);
    CHECK(broken.why ==
          "security group ecs-node-sg allows nothing on 32768-60999 from alb-sg or "
          "from a block holding 10.0.1.0/24, 10.0.2.0/24");
    const auto fixed =
        flow_of({"security_group.ecs-node-sg.ingress=[{ port = 32768, to_port = "
                 "65535, source_security_group = \"alb-sg\" }]"});
    CHECK(fixed.open);
    CHECK(fixed.why == "security group ecs-node-sg allows 32768-60999 from alb-sg");
    CHECK_FALSE(flow_of({"security_group.ecs-node-sg.ingress=[{ port = 49153, to_port = 65535, "
                         "source_security_group = \"alb-sg\" }]"})
                    .open);
    // A fixed hostPort: that one port.
    const auto fixed_port = flow_of(
        {"ecs_task_definition.api.container_definitions='[{\"name\": \"api\", \"image\": "
         "\"123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/api:1\", \"portMappings\": "
         "[{\"containerPort\": 8080, \"hostPort\": 80}]}]'",
         "security_group.ecs-node-sg.ingress=[{ port = 80, source_security_group = \"alb-sg\" }]"});
    CHECK(fixed_port.open);
    CHECK(fixed_port.port == 80);
    CHECK(fixed_port.to_port == 0);

    // The run: every health check fails, ECS replaces the tasks in a loop; with the range, none.
    const auto run = run_lab(file);
    REQUIRE(run.closed.size() == 1);
    CHECK(run.summary["requests"]["errors"]["total"].get<double>() > 1000);
    const auto ok = run_lab(file, {"security_group.ecs-node-sg.ingress=[{ port = 32768, to_port "
                                   "= 65535, source_security_group = \"alb-sg\" }]"});
    CHECK(ok.closed.empty());
    CHECK(ok.summary["requests"]["errors"]["total"].get<double>() == 0);
}

}  // namespace test_labs_network
