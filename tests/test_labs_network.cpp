// Labs 13 and 14: the course's two security group incidents. Each test runs the lab as
// written (a flow closed: every request fails) and with the `--set` its description suggests
// (the missing rule added: every request succeeds).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "sim/cloud/world.hpp"
#include "sim/report/outputs.hpp"
#include "sim/scenario/loader.hpp"

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
    cloud::World world(spec);
    world.run();
    report::RunTiming t;
    t.include = false;
    NetRun r{report::make_summary(world, t), {}};
    for (const auto& e : world.recorder().log().records()) {
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

TEST_CASE("lab 13: db-sg without web-sg fails every request with 500; the rule fixes it",
          "[labs_network]") {
    const std::string file = kLabs + "/13-db-security-group.toml";
    const auto broken = run_lab(file);
    const double total = broken.summary["requests"]["total"].get<double>();
    // 20/s from minute 2 to minute 20: about 21,600 requests, every one a 500.
    CHECK(total == Approx(21600).epsilon(0.05));
    CHECK(count(broken, "http_500") == total);
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

TEST_CASE("lab 14: alb-sg without port 80 times every client out (504); the rule fixes it",
          "[labs_network]") {
    const std::string file = kLabs + "/14-lb-security-group.toml";
    const auto broken = run_lab(file);
    const double total = broken.summary["requests"]["total"].get<double>();
    CHECK(total == Approx(21600).epsilon(0.05));
    CHECK(broken.summary["requests"]["ok"] == 0);
    // Counted at the 30 s timeout: the last 30 s of requests (about 600) are still waiting.
    const double in_flight = broken.summary["requests"]["in_flight_at_end"].get<double>();
    CHECK(in_flight == Approx(600).margin(100));
    CHECK(count(broken, "http_504") == total - in_flight);
    CHECK(count(broken, "total") == count(broken, "http_504"));
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
