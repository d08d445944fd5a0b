// Every scenario in scenarios/ loads, runs, and has its headline figures asserted.
#include <catch2/catch.hpp>
#include <filesystem>

#include "sim/cloud/world.hpp"
#include "sim/core/queueing.hpp"
#include "sim/report/outputs.hpp"
#include "sim/scenario/loader.hpp"

using namespace stratus;
namespace fs = std::filesystem;

namespace {

const std::string kScenarios = std::string(STRATUS_SOURCE_DIR) + "/scenarios";

nlohmann::ordered_json run_file(const std::string& file,
                                const std::vector<std::string>& sets = {}) {
    auto spec = scenario::load_file(file, sets);
    REQUIRE(scenario::unsupported_features(spec).empty());
    cloud::World world(spec);
    world.run();
    report::RunTiming t;
    t.include = false;
    return report::make_summary(world, t);
}

}  // namespace

TEST_CASE("every scenario in scenarios/ loads and validates", "[scenarios]") {
    int n = 0;
    for (const auto& e : fs::recursive_directory_iterator(kScenarios)) {
        if (e.path().extension() != ".toml") continue;
        INFO(e.path().string());
        CHECK_NOTHROW(scenario::load_file(e.path().string()));
        ++n;
    }
    CHECK(n >= 2);
}

TEST_CASE("lab 1: four instances over two AZs serve 120 requests/s within the SLO",
          "[scenarios][labs]") {
    const auto s = run_file(kScenarios + "/labs/01-two-az-web-tier.toml");
    // 120/s from minute 3 to minute 60: about 410,400 requests.
    const double expected = 120.0 * 57 * 60;
    CHECK(s["requests"]["total"].get<double>() == Approx(expected).epsilon(0.01));
    CHECK(s["requests"]["errors"]["total"] == 0);
    CHECK(s["availability_percent"] == 100.0);
    // Each instance is an M/M/2-like queue at 30 requests/s with 40 ms service (rho = 0.6).
    // Round robin makes each instance's arrivals more regular than Poisson, so the mean
    // response lies between the bare service time and the M/M/2 figure.
    const double mm2_ms = 1000 * mmc_mean_response(2, 30.0, 25.0);
    const double mean = s["latency_ms"]["mean"].get<double>();
    CHECK(mean > 40.0);
    CHECK(mean < mm2_ms);
    CHECK(s["slo"]["latency_p99_met"] == true);
    CHECK(s["slo"]["availability_met"] == true);
    CHECK(s["instances"]["launched"] == 4);
    CHECK(s["instances"]["peak_in_service"] == 4);
    CHECK(s["instances"]["instance_hours"]["on_demand"].get<double>() == Approx(4.0));
}

TEST_CASE("lab 1: at 190 requests/s the fleet is at 95 % and p99 breaks the SLO",
          "[scenarios][labs]") {
    const auto s =
        run_file(kScenarios + "/labs/01-two-az-web-tier.toml", {"workload.shop.rate=190"});
    CHECK(s["slo"]["latency_p99_met"] == false);
}

TEST_CASE("planning: eight c5.large carry the Black Friday flash sale, six do not",
          "[scenarios][planning]") {
    const std::string file = kScenarios + "/planning/black-friday-fixed-fleet.toml";
    const auto eight = run_file(file);
    CHECK(eight["slo"]["latency_p99_met"] == true);
    CHECK(eight["slo"]["availability_met"] == true);
    CHECK(eight["instances"]["peak_in_service"] == 8);
    // Six give 12 workers of 100 requests/s each: the 1,200 requests/s of the sale saturate them.
    const auto six =
        run_file(file, {"autoscaling_group.shop.min_size=6", "autoscaling_group.shop.max_size=6"});
    CHECK(six["slo"]["latency_p99_met"] == false);
    CHECK(six["latency_ms"]["p99"].get<double>() > 10 * eight["latency_ms"]["p99"].get<double>());
}
