// Defaults that drive the bill (issue 14): when a charge that comes from a default the
// scenario never set is more than a quarter of the bill, the run's summary names the key.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "sim/report/default_costs.hpp"
#include "sim/scenario/loader.hpp"

namespace test_default_costs {

using namespace stratus;

namespace {

scenario::Spec spec_with(const std::vector<std::string>& given, const std::string& database = "") {
    scenario::Spec spec;
    scenario::WorkloadSpec w;
    w.name = "web";
    for (const std::string& key : given)
        w.pos[key] = {};
    w.database = database;
    spec.workload.push_back(w);
    return spec;
}

// A bill of $10: $6 of data transfer out, $1.50 of LCUs, $2.50 of instances.
std::vector<report::BillRow> bill() {
    return {{"ec2_on_demand", "BoxUsage:m5.large", 2.5},
            {"data_transfer", "DataTransfer-Out-Bytes", 6.0},
            {"load_balancer", "LCUUsage", 1.5}};
}

}  // namespace

TEST_CASE("default costs: a default response size behind most of the bill is pointed out",
          "[report][billing]") {
    const auto notes = report::default_cost_notes(spec_with({"name", "rate"}), bill());
    REQUIRE(notes.size() == 1);  // LCUs are 15 %, under the quarter
    CHECK(notes[0] ==
          "data transfer out to the internet is 60 % of this bill, with the default of a "
          "response of 16384 bytes (16 KiB) (workload web); set workload.web.response_bytes");
}

TEST_CASE("default costs: nothing is said of a key the scenario set, or of a small share",
          "[report][billing]") {
    CHECK(report::default_cost_notes(spec_with({"name", "response_bytes"}), bill()).empty());
    // $2.50 of $10 is exactly a quarter: not more than it.
    const std::vector<report::BillRow> quarter = {{"ec2_on_demand", "BoxUsage:m5.large", 7.5},
                                                  {"data_transfer", "DataTransfer-Out-Bytes", 2.5}};
    CHECK(report::default_cost_notes(spec_with({"name"}), quarter).empty());
    CHECK(report::default_cost_notes(spec_with({"name"}), {}).empty());
}

TEST_CASE("default costs: LCUs name both defaults, inter-AZ transfer only with a database",
          "[report][billing]") {
    const std::vector<report::BillRow> lcus = {
        {"load_balancer", "LCUUsage", 3.0},
        {"data_transfer", "DataTransfer-Regional-Bytes", 3.0},
        {"ec2_on_demand", "BoxUsage:m5.large", 4.0}};
    const auto without_db = report::default_cost_notes(spec_with({"name", "response_bytes"}), lcus);
    REQUIRE(without_db.size() == 1);
    CHECK(without_db[0] ==
          "load balancer capacity units (LCUs) are 30 % of this bill, with the default of 1 "
          "request per client connection (no keep-alive) (workload web); set "
          "workload.web.requests_per_connection");
    const auto with_db = report::default_cost_notes(spec_with({"name"}, "db"), lcus);
    REQUIRE(with_db.size() == 2);
    CHECK(with_db[0].rfind("data transfer between availability zones is 30 %", 0) == 0);
    CHECK(with_db[0].find("set workload.web.database_bytes") != std::string::npos);
    CHECK(with_db[1].find("the defaults of 1 request per client connection (no keep-alive) and "
                          "a response of 16384 bytes (16 KiB)") != std::string::npos);
}

TEST_CASE("default costs: the loader records the keys a workload was given, --set included",
          "[report][scenario]") {
    const std::string file =
        std::string(STRATUS_SOURCE_DIR) + "/scenarios/labs/04-target-tracking.toml";
    const scenario::Spec plain = scenario::load_file(file);
    REQUIRE(plain.workload.size() == 1);
    const auto& keys = plain.workload[0].pos;  // the position of each key read
    REQUIRE(!keys.empty());
    CHECK(keys.count("name") == 1);
    CHECK(keys.count("response_bytes") == 0);
    const scenario::Spec set =
        scenario::load_file(file, {"workload." + plain.workload[0].name + ".response_bytes=2048"});
    CHECK(set.workload[0].pos.count("response_bytes") == 1);
}

}  // namespace test_default_costs
