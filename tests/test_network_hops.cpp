// Requests fail where they really fail. Lab 13's three-tier VPC (client -> ALB -> web
// instances -> MySQL) with one hop closed at a time, in request and fluid mode: the failure
// appears at that hop and nowhere else, with counts worked out from the traffic (20
// requests/s from minute 2 to minute 20, the warm-up of 2 minutes left out of the totals).
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/cloud/world.hpp"
#include "sim/report/outputs.hpp"
#include "sim/scenario/loader.hpp"
#include "world_support.hpp"

namespace test_network_hops {

using namespace stratus;

namespace {

const std::string kLab =
    std::string(STRATUS_SOURCE_DIR) + "/scenarios/labs/13-db-security-group.toml";

// The rule each variant changes; the lab as shipped closes the database hop.
const char* kDbOpen =
    R"(security_group.db-sg.ingress=[{ port = 3306, source_security_group = "web-sg" }])";
const char* kClientClosed =
    R"(security_group.alb-sg.ingress=[{ port = 443, cidr_blocks = ["0.0.0.0/0"] }])";
const char* kTargetsClosed =
    R"(security_group.web-sg.ingress=[{ port = 8080, source_security_group = "alb-sg" }])";

struct HopRun {
    nlohmann::ordered_json summary;
    double lcu = 0;                              // LCU-hours billed
    double taken = 0;                            // requests the web instances took
    std::vector<nlohmann::ordered_json> closed;  // network_flow_closed events
    double total() const { return summary["requests"]["total"].get<double>(); }
    double in_flight() const { return summary["requests"]["in_flight_at_end"].get<double>(); }
    double errors(const char* key) const {
        return summary["requests"]["errors"][key].get<double>();
    }
};

// `rules`: the listener's rules (lb_listener.rules), when >= 0.
HopRun run(std::vector<std::string> sets, const char* fidelity, int rules = -1) {
    sets.push_back(std::string("simulation.fidelity=") + fidelity);
    auto spec = scenario::load_file(kLab, sets);
    REQUIRE(spec.lb_listener.size() == 1);
    if (rules >= 0) spec.lb_listener[0].rules = rules;
    REQUIRE(scenario::unsupported_features(spec).empty());
    report::Run recorded(spec);
    recorded.world().run();
    HopRun r;
    r.summary = report::make_summary(recorded);
    for (const auto& l : recorded.world().cost().ledger().lines())
        if (l.spec.usage_type == "LCUUsage") r.lcu += l.usage_quantity;
    r.taken = r.summary["target_groups"]["web-tg"]["requests"].get<double>();
    for (const auto& e : testing::json_events(recorded))
        if (e.type == "network_flow_closed") r.closed.push_back(e.subjects);
    return r;
}

}  // namespace

TEST_CASE("Each closed hop fails its requests at that hop, in both fidelity modes",
          "[network][hops]") {
    // GENERATE, not a loop: Catch enters each SECTION once per run of the test case, so
    // sections inside a loop over the modes would see only the first one.
    const char* fidelity = GENERATE("request", "fluid");
    {
        INFO("fidelity " << fidelity);
        const bool fluid = std::string(fidelity) == "fluid";
        // 20/s over 18 minutes after the warm-up: about 21,600 requests in the totals; the
        // instances took also the 2 minutes of warm-up traffic (which starts at minute 2:
        // none), so they take about 21,600 too.
        const double expected = 20.0 * 18 * 60;

        SECTION("all open: every request succeeds") {
            const auto r = run({kDbOpen}, fidelity);
            CHECK(r.total() == Approx(expected).epsilon(0.03));
            CHECK(r.summary["requests"]["errors"]["total"] == 0);
            CHECK(r.closed.empty());
            CHECK(r.taken == Approx(expected).epsilon(0.03));
            // Bytes are the largest LCU dimension when the targets answer: (1 KB + 16 KB) x
            // 3600 / 1e9 = 0.063 LCU per request/s against 0.04 for new connections, so
            // LCU-hours = requests x 17,408 bytes / 1e9, about 0.376.
            CHECK(r.lcu == Approx(r.total() * 17408 / 1e9).epsilon(0.02));
        }
        SECTION("client -> load balancer closed: the clients' connections time out, unseen") {
            const auto r = run({kDbOpen, kClientClosed}, fidelity);
            REQUIRE(r.closed.size() == 1);
            CHECK(r.closed[0]["flow"] == "internet_to_load_balancer");
            CHECK(r.closed[0]["why"].get<std::string>().find("alb-sg allows nothing on 80") !=
                  std::string::npos);
            // Counted at the client's 30 s timeout: the last 30 s (about 600) still wait in
            // request mode.
            CHECK(r.errors("connect_timeout") + r.in_flight() == Approx(r.total()).margin(2));
            if (!fluid) CHECK(r.in_flight() == Approx(600).margin(100));
            CHECK(r.errors("http_500") + r.errors("http_502") + r.errors("http_503") +
                      r.errors("http_504") ==
                  0);
            CHECK(r.taken == 0);  // nothing reached the instances
            CHECK(r.lcu == 0);    // the load balancer saw nothing and bills no LCU
        }
        SECTION("load balancer -> targets closed: the load balancer answers 504 (or 503)") {
            const auto r = run({kDbOpen, kTargetsClosed}, fidelity);
            REQUIRE(r.closed.size() == 1);
            CHECK(r.closed[0]["flow"] == "load_balancer_to_targets");
            CHECK(r.closed[0]["why"].get<std::string>().find("web-sg allows nothing on 80") !=
                  std::string::npos);
            CHECK(r.errors("connect_timeout") == 0);
            CHECK(r.errors("http_500") == 0);
            // Unhealthy targets, fail-open routes to them, and nothing answers: 504 from the
            // load balancer (503 while the group replaces them and none is registered).
            CHECK(r.errors("http_504") + r.errors("http_503") + r.in_flight() ==
                  Approx(r.total()).margin(2));
            CHECK(r.errors("http_504") > 0.5 * r.total());
            CHECK(r.taken == 0);
            // The load balancer routed them, so their clients waited its 10 s connect timeout
            // for the 504 (ELB troubleshooting guide), not their own 30 s: more than half the
            // answers are such 504s, the rest 503s answered at once, so the median answer
            // took 10 s, and nothing took 30 s.
            const auto& client = r.summary["client_latency_ms"];
            CHECK(client["p50"].get<double>() == Approx(10000).epsilon(0.002));
            CHECK(client["p999"].get<double>() == Approx(10000).epsilon(0.002));
            // Yet every request reached a node that is up, which answered it: each one a new
            // connection, and new connections are the largest LCU dimension here (1/25 LCU
            // per request/s against 1 KB x 3600 / 1e9 = 0.0037 LCU of bytes, no target
            // holding any): LCU-hours = requests / 25 / 3600, about 0.24.
            CHECK(r.lcu == Approx(r.total() / 25.0 / 3600.0).epsilon(0.02));
        }
        SECTION(
            "targets closed, keep-alive clients: the load balancer's own answers count as "
            "requests on the clients' connections") {
            // 5 requests per connection, held while a request is in flight: 20 requests/s of
            // answers the load balancer gives at once are 4 new connections/s = 4 / 25 =
            // 0.16 LCU, against 20 x 1,024 bytes x 3600 / 1e9 = 0.074 of bytes and no active
            // connection (nothing in flight): LCU-hours = requests / 5 / 25 / 3600, a fifth
            // of the connection-per-request bill above.
            const auto r =
                run({kDbOpen, kTargetsClosed, "workload.shop.requests_per_connection=5"}, fidelity);
            REQUIRE(r.taken == 0);
            REQUIRE(r.errors("http_504") > 0.5 * r.total());
            CHECK(r.lcu == Approx(r.total() / 125.0 / 3600.0).epsilon(0.02));
            // 60 listener rules: (60 - 10) x 20 = 1,000 evaluations/s = 1 LCU, the largest
            // dimension (connections 2 minutes long: 4 x 120 = 480 active = 0.16):
            // LCU-hours = requests x 50 / 1000 / 3600 = requests / 72,000.
            const auto ruled =
                run({kDbOpen, kTargetsClosed, "workload.shop.requests_per_connection=5",
                     "workload.shop.connection_duration=\"2m\""},
                    fidelity, 60);
            REQUIRE(ruled.taken == 0);
            CHECK(ruled.lcu == Approx(ruled.total() / 72000.0).epsilon(0.02));
        }
        SECTION("application -> database closed: 500 from behind the targets, billed") {
            const auto r = run({}, fidelity);
            REQUIRE(r.closed.size() == 1);
            CHECK(r.closed[0]["flow"] == "app_to_database");
            CHECK(r.closed[0]["why"].get<std::string>().find("db-sg allows nothing on 3306") !=
                  std::string::npos);
            CHECK(r.closed[0]["effect"].get<std::string>().find("500") != std::string::npos);
            CHECK(r.errors("connect_timeout") == 0);
            CHECK(r.errors("http_504") == 0);
            // Every request reached an instance and failed there, 10 s after it arrived: in
            // request mode the last 10 s (about 200) are still waiting for the database.
            CHECK(r.errors("http_500") + r.in_flight() == Approx(r.total()).margin(2));
            if (!fluid) CHECK(r.in_flight() == Approx(200).margin(60));
            CHECK(r.taken == Approx(expected).epsilon(0.03));
            CHECK(r.lcu > 0);  // the load balancer handled them: their LCUs are billed
        }
        SECTION("application -> database closed, a 3 s connect timeout: 500s sooner") {
            const auto r = run({"workload.shop.database_connect_timeout=3"}, fidelity);
            CHECK(r.errors("http_504") == 0);
            CHECK(r.errors("http_500") + r.in_flight() == Approx(r.total()).margin(2));
            // Little's law: 20/s each held 3 s: about 60 still waiting at the end.
            if (!fluid) CHECK(r.in_flight() == Approx(60).margin(25));
            CHECK(r.taken == Approx(expected).epsilon(0.03));
        }
        SECTION("application -> database closed, a connect timeout past the client's: 504s") {
            // The clients give up at their 30 s timeout while the application still waits
            // 40 s: every client gets its 504, none a 500.
            const auto r = run({"workload.shop.database_connect_timeout=40"}, fidelity);
            CHECK(r.errors("http_500") == 0);
            CHECK(r.errors("http_504") + r.in_flight() == Approx(r.total()).margin(2));
            if (!fluid) CHECK(r.in_flight() == Approx(600).margin(100));
            CHECK(r.taken == Approx(expected).epsilon(0.03));
        }
    }
}

namespace {

const std::string kNatLab =
    std::string(STRATUS_SOURCE_DIR) + "/scenarios/labs/11-nat-gateway-vs-nat-instance.toml";

struct EgressRun {
    nlohmann::ordered_json summary;
    double nat_gateway_gb = 0;                   // NatGateway-Bytes billed
    std::vector<nlohmann::ordered_json> closed;  // network_flow_closed events
    double errors(const char* key) const {
        return summary["requests"]["errors"][key].get<double>();
    }
};

// Lab 11 cut to 12 minutes: 40 requests/s from minute 2, round robin over four targets, two of
// app-gw (behind the NAT gateway) and two of app-inst (behind the NAT instance nat-box).
EgressRun run_nat_lab(std::vector<std::string> sets, const char* fidelity,
                      bool s3_endpoint = false) {
    sets.push_back(std::string("simulation.fidelity=") + fidelity);
    sets.push_back("simulation.duration=\"12m\"");
    auto spec = scenario::load_file(kNatLab, sets);
    if (s3_endpoint) {
        scenario::VpcEndpointSpec e;
        e.name = "s3";
        e.service_name = scenario::EndpointService::S3;
        e.subnets = {"inst-a", "inst-c"};
        spec.vpc_endpoint.push_back(e);
    }
    REQUIRE(scenario::unsupported_features(spec).empty());
    report::Run recorded(spec);
    recorded.world().run();
    EgressRun r;
    r.summary = report::make_summary(recorded);
    for (const auto& l : recorded.world().cost().ledger().lines())
        if (l.spec.usage_type == "NatGateway-Bytes") r.nat_gateway_gb += l.usage_quantity;
    for (const auto& e : testing::json_events(recorded))
        if (e.type == "network_flow_closed") r.closed.push_back(e.subjects);
    return r;
}

}  // namespace

TEST_CASE("A closed way out of the VPC fails the requests that call out, behind the target",
          "[network][hops]") {
    // Plain blocks, not SECTIONs: Catch runs a section once per test case, so sections in
    // this loop would see only the first fidelity.
    for (const char* fidelity : {"request", "fluid"}) {
        INFO("fidelity " << fidelity);
        const bool fluid = std::string(fidelity) == "fluid";
        // 40/s for the 10 minutes from minute 2: about 24,000 requests, half to each group.
        const double expected = 40.0 * 600;
        const auto open = run_nat_lab({}, fidelity);
        REQUIRE(open.closed.empty());
        REQUIRE(open.summary["requests"]["errors"]["total"] == 0);
        const double total = open.summary["requests"]["total"].get<double>();
        CHECK(total == Approx(expected).epsilon(0.03));
        // Every request's 100 KB call: app-gw's half through the NAT gateway.
        CHECK(open.nat_gateway_gb == Approx(total / 2 * 1e5 / 1e9).epsilon(0.03));

        {
            INFO("the NAT instance without a public IPv4 address: app-inst's half fails, 500");
            const auto r =
                run_nat_lab({"instance.nat-box.associate_public_ip_address=false"}, fidelity);
            REQUIRE(r.closed.size() == 1);
            CHECK(r.closed[0]["flow"] == "private_to_internet");
            CHECK(r.closed[0]["from"] == "app-inst");
            CHECK(r.closed[0]["why"].get<std::string>().find("no public IPv4 address") !=
                  std::string::npos);
            CHECK(r.closed[0]["effect"].get<std::string>().find("500") != std::string::npos);
            const double in_flight = r.summary["requests"]["in_flight_at_end"].get<double>();
            const double ok = r.summary["requests"]["ok"].get<double>();
            CHECK(r.summary["requests"]["total"].get<double>() == Approx(total).epsilon(0.001));
            CHECK(r.errors("connect_timeout") + r.errors("http_504") + r.errors("http_503") == 0);
            // The load balancer routed every request; app-inst's waited the application's 10 s
            // connect timeout (database_connect_timeout) and answered 500: in request mode the
            // last 10 s of its 20/s (about 200) are still waiting at the end.
            CHECK(ok == Approx(total / 2).epsilon(0.03));
            CHECK(r.errors("http_500") + in_flight + ok == Approx(total).margin(2));
            if (!fluid) CHECK(in_flight == Approx(200).margin(60));
            // app-gw's calls went out through the NAT gateway as before, one per OK request.
            CHECK(r.nat_gateway_gb == Approx(ok * 1e5 / 1e9).epsilon(fluid ? 0.03 : 1e-9));
        }
        {
            INFO("subnets routed only locally: the same half fails, the reason says why");
            const auto r = run_nat_lab(
                {"subnet.inst-a.route=\"local\"", "subnet.inst-c.route=\"local\""}, fidelity);
            REQUIRE(r.closed.size() == 1);
            const auto why = r.closed[0]["why"].get<std::string>();
            CHECK(why.find("routes only within the VPC") != std::string::npos);
            // Requests do travel this flow: no "no request is lost" reason.
            CHECK(why.find("no request is lost") == std::string::npos);
            const double ok = r.summary["requests"]["ok"].get<double>();
            CHECK(ok == Approx(total / 2).epsilon(0.03));
            CHECK(r.errors("http_500") > 0.45 * total);
        }
        {
            INFO("S3 calls from a subnet without a way out: they fail unless an endpoint");
            const std::vector<std::string> sets = {
                "workload.api.outbound_bytes=0", "workload.api.s3_bytes=50000",
                "subnet.inst-a.route=\"local\"", "subnet.inst-c.route=\"local\""};
            const auto r = run_nat_lab(sets, fidelity);
            REQUIRE(r.closed.size() == 1);
            CHECK(r.summary["requests"]["ok"].get<double>() == Approx(total / 2).epsilon(0.03));
            // A gateway endpoint for S3 in those subnets' route table: the calls stay in the
            // region, nothing fails, and the flow to the internet carries no request.
            const auto e = run_nat_lab(sets, fidelity, true);
            CHECK(e.summary["requests"]["errors"]["total"] == 0);
            REQUIRE(e.closed.size() == 1);
            CHECK(e.closed[0]["why"].get<std::string>().find("no request is lost") !=
                  std::string::npos);
        }
    }
}

namespace {

const std::string kFargateLab =
    std::string(STRATUS_SOURCE_DIR) + "/scenarios/labs/25-fargate-db-security-group.toml";

std::string file_text(const std::string& path) {
    std::ifstream in(path);
    REQUIRE(in);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

struct PlacedRun {
    nlohmann::ordered_json summary;
    std::vector<nlohmann::ordered_json> closed;  // network_flow_closed events
    double nat_gateway_gb = 0;
    double total() const { return summary["requests"]["total"].get<double>(); }
    double in_flight() const { return summary["requests"]["in_flight_at_end"].get<double>(); }
    double ok() const { return summary["requests"]["ok"].get<double>(); }
    double errors(const char* key) const {
        return summary["requests"]["errors"][key].get<double>();
    }
};

// `extra` appended to the lab file's text, then `sets` applied.
PlacedRun run_placed(const std::string& lab, const std::string& extra,
                     const std::vector<std::string>& sets) {
    const auto spec = scenario::load_text(file_text(lab) + extra, lab, sets);
    REQUIRE(scenario::unsupported_features(spec).empty());
    report::Run recorded(spec);
    recorded.world().run();
    PlacedRun r;
    r.summary = report::make_summary(recorded);
    for (const auto& l : recorded.world().cost().ledger().lines())
        if (l.spec.usage_type == "NatGateway-Bytes") r.nat_gateway_gb += l.usage_quantity;
    for (const auto& e : testing::json_events(recorded))
        if (e.type == "network_flow_closed") r.closed.push_back(e.subjects);
    return r;
}

// Lab 25 with an Auto Scaling group that has the ECS service's name, `api`, in the same app
// subnets, behind its own load balancer and serving its own workload `web` (20/s, like the
// service's `shop`), with the database too; its instances carry web-sg.
const char* kGroupNamedLikeTheService = R"(
[[security_group]]
name = "web-sg"
ingress = [{ port = 80, source_security_group = "alb-sg" }]

[[launch_template]]
name = "api"
instance_type = "m5.large"
security_groups = ["web-sg"]
app_start_time = "15s"

[[target_group]]
name = "web-tg"
health_check = { interval = 10, timeout = 5, healthy_threshold = 3, unhealthy_threshold = 2 }

[[load_balancer]]
name = "web-alb"
subnets = ["public-a", "public-c"]
security_groups = ["alb-sg"]

[[lb_listener]]
load_balancer = "web-alb"
port = 80
target_group = "web-tg"

[[autoscaling_group]]
name = "api"
launch_template = "api"
min_size = 2
max_size = 2
subnets = ["app-a", "app-c"]
target_groups = ["web-tg"]

[[workload]]
name = "web"
load_balancer = "web-alb"
rate = { shape = "steps", steps = [["0s", 0], ["2m", 20]] }
service_time = { dist = "exponential", mean = "30ms" }
database = "shop-db"
)";

}  // namespace

TEST_CASE("A closed flow blocks the group or the ECS service it names, not one of the same name",
          "[network][hops][ecs]") {
    // Two workloads of 20/s for 18 minutes after the warm-up: about 21,600 requests each.
    const double each = 20.0 * 18 * 60;
    SECTION("the database allows the tasks, not the group's instances") {
        const auto r = run_placed(kFargateLab, kGroupNamedLikeTheService,
                                  {R"(security_group.db-sg.ingress=[{ port = 3306, )"
                                   R"(source_security_group = "task-sg" }])"});
        REQUIRE(r.closed.size() == 1);
        CHECK(r.closed[0]["flow"] == "app_to_database");
        CHECK(r.closed[0]["from"] == "api");
        CHECK(r.closed[0]["why"].get<std::string>().find("from web-sg") != std::string::npos);
        CHECK(r.total() == Approx(2 * each).epsilon(0.03));
        // The group's requests fail behind its instances (10 s later: about 200 still
        // waiting at the end), the tasks' succeed.
        CHECK(r.errors("http_500") + r.in_flight() == Approx(each).epsilon(0.03));
        CHECK(r.ok() == Approx(each).epsilon(0.03));
    }
    SECTION("the database allows the group's instances, not the tasks") {
        const auto r = run_placed(kFargateLab, kGroupNamedLikeTheService,
                                  {R"(security_group.db-sg.ingress=[{ port = 3306, )"
                                   R"(source_security_group = "web-sg" }])"});
        REQUIRE(r.closed.size() == 1);
        CHECK(r.closed[0]["flow"] == "app_to_database");
        CHECK(r.closed[0]["why"].get<std::string>().find("from task-sg") != std::string::npos);
        CHECK(r.errors("http_500") + r.in_flight() == Approx(each).epsilon(0.03));
        CHECK(r.ok() == Approx(each).epsilon(0.03));
    }
    SECTION("no rule lets the load balancer reach the group: the tasks still answer") {
        const auto r = run_placed(
            kFargateLab, kGroupNamedLikeTheService,
            {R"(security_group.db-sg.ingress=[{ port = 3306, source_security_group = "task-sg" },)"
             R"( { port = 3306, source_security_group = "web-sg" }])",
             R"(security_group.web-sg.ingress=[{ port = 22, cidr_blocks = ["0.0.0.0/0"] }])"});
        REQUIRE(r.closed.size() == 1);
        CHECK(r.closed[0]["flow"] == "load_balancer_to_targets");
        CHECK(r.closed[0]["to"] == "api");
        CHECK(r.ok() == Approx(each).epsilon(0.03));
        CHECK(r.errors("http_500") == 0);
        CHECK(r.errors("http_504") + r.errors("http_503") + r.in_flight() ==
              Approx(each).epsilon(0.03));
    }
}

TEST_CASE("Two groups behind one load balancer: only the one the database refuses fails",
          "[network][hops]") {
    // Lab 13 with a second group `green` (two m5.large, green-sg) registered with web-tg:
    // the load balancer spreads the requests over four instances, and db-sg allows web-sg
    // only. Half the requests land on green's instances and fail there with 500.
    const char* green = R"(
[[security_group]]
name = "green-sg"
ingress = [{ port = 80, source_security_group = "alb-sg" }]

[[launch_template]]
name = "green"
instance_type = "m5.large"
security_groups = ["green-sg"]
app_start_time = "15s"

[[autoscaling_group]]
name = "green"
launch_template = "green"
min_size = 2
max_size = 2
subnets = ["app-a", "app-c"]
target_groups = ["web-tg"]
)";
    const char* fidelity = GENERATE("request", "fluid");
    INFO("fidelity " << fidelity);
    const auto r =
        run_placed(kLab, green, {kDbOpen, std::string("simulation.fidelity=") + fidelity});
    REQUIRE(r.closed.size() == 1);
    CHECK(r.closed[0]["flow"] == "app_to_database");
    CHECK(r.closed[0]["from"] == "green");
    const double total = r.total();
    CHECK(total == Approx(20.0 * 18 * 60).epsilon(0.03));
    CHECK(r.ok() == Approx(total / 2).epsilon(0.04));
    CHECK(r.errors("http_500") + r.in_flight() == Approx(total / 2).epsilon(0.04));
    CHECK(r.errors("http_504") + r.errors("connect_timeout") == 0);
}

TEST_CASE("ECS tasks call out of the VPC through their own subnets' routes",
          "[network][hops][ecs]") {
    // Lab 25 with its database reachable and each request calling out with 100 KB.
    const std::vector<std::string> fixed = {
        R"(security_group.db-sg.ingress=[{ port = 3306, source_security_group = "task-sg" }])",
        "workload.shop.outbound_bytes=100000"};
    const double each = 20.0 * 18 * 60;
    SECTION("through the NAT gateway: every request succeeds and its bytes are billed") {
        const auto r = run_placed(kFargateLab, "", fixed);
        REQUIRE(r.closed.empty());
        CHECK(r.ok() == Approx(each).epsilon(0.03));
        // The NAT gateway processes what the tasks sent, requests after the warm-up
        // included and those during it (none: the traffic starts at minute 2): 100 KB each.
        CHECK(r.nat_gateway_gb == Approx(r.ok() * 1e5 / 1e9).epsilon(0.02));
    }
    SECTION("app subnets routed only within the VPC: no task can even pull its image, 503") {
        // A Fargate task pulls its image from ECR through its own subnet (docs/model.md, "Image
        // pulls"): without a way out no task reaches RUNNING, so no request reaches a task to
        // call out; the load balancer has no target and answers 503.
        auto sets = fixed;
        sets.push_back("subnet.app-a.route=\"local\"");
        sets.push_back("subnet.app-c.route=\"local\"");
        const auto r = run_placed(kFargateLab, "", sets);
        REQUIRE(r.closed.size() == 1);
        CHECK(r.closed[0]["flow"] == "private_to_internet");
        CHECK(r.closed[0]["from"] == "api");
        CHECK(r.ok() == 0);
        CHECK(r.errors("http_500") == 0);
        CHECK(r.errors("http_503") == Approx(each).epsilon(0.03));
        CHECK(r.nat_gateway_gb == 0);
    }
}
}  // namespace test_network_hops
