// CloudWatch exports as traffic traces (sim/scenario/cloudwatch_trace.*): get-metric-data and
// get-metric-statistics JSON and the console's CSV, per-period sums as rates, missing periods,
// the run's start taken from the export, and a run whose requests per period follow the sums.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <sstream>
#include <string>

#include "cli_support.hpp"
#include "sim/scenario/cloudwatch_trace.hpp"
#include "sim/scenario/loader.hpp"
#include "support.hpp"

namespace test_cloudwatch_trace {

namespace {

using stratus::scenario::cloudwatch_rates;
using stratus::scenario::CloudWatchFormat;
using stratus::scenario::CloudWatchTrace;
using stratus::scenario::parse_cloudwatch_export;
using stratus::scenario::TraceError;

// Three 60 s sums, newest first as get-metric-data lists them, one minute missing.
const char* kMetricData = R"({
  "MetricDataResults": [
    {"Id": "m1", "Label": "RequestCount",
     "Timestamps": ["2026-01-05T10:04:00+00:00", "2026-01-05T10:01:00+00:00",
                    "2026-01-05T10:00:00+00:00"],
     "Values": [600.0, 1200.0, 3000.0], "StatusCode": "Complete"}],
  "Messages": []})";

std::string source(const std::string& rel) {
    return std::string(STRATUS_SOURCE_DIR) + "/" + rel;
}

}  // namespace

TEST_CASE("cloudwatch trace: get-metric-data sums become rates per period", "[cloudwatch-trace]") {
    const CloudWatchTrace t = parse_cloudwatch_export(kMetricData);
    CHECK(t.format == CloudWatchFormat::GetMetricData);
    CHECK(t.label == "RequestCount");
    CHECK(t.period_s == 60);
    REQUIRE(t.sums.size() == 3);
    CHECK(t.sums.front().second == 3000.0);  // sorted oldest first
    CHECK(t.missing_periods == 2);           // 10:02 and 10:03
    const std::int64_t start = t.sums.front().first;
    const auto rates = cloudwatch_rates(t, start);
    // 3000 / 60 = 50/s from 0, 20/s from 60, nothing from 120 to 240, 10/s, then nothing.
    const std::vector<std::pair<std::int64_t, double>> expected = {
        {0, 50.0}, {60, 20.0}, {120, 0.0}, {240, 10.0}, {300, 0.0}};
    CHECK(rates == expected);
    // A later start leaves the earlier datapoints out.
    std::int64_t dropped = 0;
    const auto later = cloudwatch_rates(t, start + 60, &dropped);
    CHECK(dropped == 1);
    REQUIRE(!later.empty());
    CHECK(later.front() == std::make_pair(std::int64_t{0}, 20.0));
}

TEST_CASE("cloudwatch trace: get-metric-statistics, unordered, Sum or Average x SampleCount",
          "[cloudwatch-trace]") {
    const CloudWatchTrace t = parse_cloudwatch_export(R"({"Label": "Orders", "Datapoints": [
        {"Timestamp": "2026-01-05T10:10:00Z", "Sum": 900.0, "Unit": "Count"},
        {"Timestamp": "2026-01-05T10:00:00Z", "Average": 3.0, "SampleCount": 100.0},
        {"Timestamp": "2026-01-05T10:05:00Z", "Sum": 600.0, "Unit": "Count"}]})");
    CHECK(t.format == CloudWatchFormat::GetMetricStatistics);
    CHECK(t.period_s == 300);
    CHECK(t.missing_periods == 0);
    const auto rates = cloudwatch_rates(t, t.sums.front().first);
    REQUIRE(rates.size() == 4);
    CHECK(rates[0].second == Approx(1.0));  // 3 x 100 / 300
    CHECK(rates[1].second == Approx(2.0));
    CHECK(rates[2].second == Approx(3.0));
    // A second export: two hours of a custom count metric, 1-minute sums in the CLI's order.
    const auto checkout = parse_cloudwatch_export(
        stratus::testing::read_file(source("tests/traces/checkout-statistics.json")));
    CHECK(checkout.label == "CheckoutRequests");
    CHECK(checkout.period_s == 60);
    REQUIRE(checkout.sums.size() == 120);
    CHECK(checkout.missing_periods == 0);
    const auto ramp = cloudwatch_rates(checkout, checkout.sums.front().first);
    CHECK(ramp[0].second == Approx(40.0));    // 2400 per minute
    CHECK(ramp[45].second == Approx(100.0));  // the ramp: 40 + 15 x 4
    CHECK(ramp[60].second == Approx(160.0));
    CHECK(ramp[119].second == Approx(60.0));
    CHECK(ramp[120] == std::make_pair(std::int64_t{7200}, 0.0));  // after the last period
    CHECK_THROWS_WITH(parse_cloudwatch_export(R"({"Datapoints": [{"Timestamp":
        "2026-01-05T10:00:00Z", "Average": 2.0}]})",
                                              "", 60),
                      Catch::Contains("no Sum"));
}

TEST_CASE("cloudwatch trace: the console's CSV, columns by name, empty cells missing",
          "[cloudwatch-trace]") {
    const std::string csv =
        "\"Time\",\"RequestCount (Sum)\",\"HTTPCode_ELB_5XX_Count (Sum)\"\n"
        "\"2026-01-05 10:00:00\",120,1\n"
        "\"2026-01-05 10:01:00\",,\n"
        "\"2026-01-05 10:02:00\",240,0\n";
    CHECK_THROWS_WITH(parse_cloudwatch_export(csv), Catch::Contains("name one with `metric`"));
    const CloudWatchTrace t = parse_cloudwatch_export(csv, "RequestCount (Sum)");
    CHECK(t.format == CloudWatchFormat::ConsoleCsv);
    CHECK(t.period_s == 60);
    CHECK(t.missing_periods == 1);
    std::int64_t epoch = 0;
    REQUIRE(stratus::scenario::parse_cloudwatch_time("2026-01-05T10:00:00Z", &epoch));
    CHECK(t.sums.front().first == epoch);  // a time without an offset is UTC
    CHECK(cloudwatch_rates(t, epoch)[0].second == Approx(2.0));
    // The example's CSV and JSON are the same graph: the same sums.
    const auto json = parse_cloudwatch_export(
        stratus::testing::read_file(source("scenarios/planning/traces/shop-requestcount.json")));
    const auto console = parse_cloudwatch_export(
        stratus::testing::read_file(source("scenarios/planning/traces/shop-requestcount.csv")));
    CHECK(json.sums == console.sums);
    CHECK(json.missing_periods == 2);
}

TEST_CASE("cloudwatch trace: what cannot be a trace is said", "[cloudwatch-trace]") {
    CHECK_THROWS_WITH(parse_cloudwatch_export(R"({"MetricDataResults": [{"Id": "a",
        "Timestamps": ["2026-01-05T10:00:00Z"], "Values": [1.0]}], "NextToken": "abc"})"),
                      Catch::Contains("NextToken"));
    CHECK_THROWS_WITH(parse_cloudwatch_export(R"({"MetricDataResults": [
        {"Id": "a", "Timestamps": [], "Values": []}, {"Id": "b", "Timestamps": [], "Values": []}]})"),
                      Catch::Contains("`a`, `b`"));
    CHECK_THROWS_WITH(parse_cloudwatch_export(R"({"MetricDataResults": [{"Id": "a",
        "Timestamps": ["2026-01-05T10:00:00Z"], "Values": [1.0]}]})"),
                      Catch::Contains("give `period`"));
    CHECK_THROWS_WITH(parse_cloudwatch_export(R"({"Datapoints": [
        {"Timestamp": "2026-01-05T10:00:00Z", "Sum": 1}, {"Timestamp": "2026-01-05T10:00:00Z",
        "Sum": 2}]})"),
                      Catch::Contains("two datapoints at 2026-01-05T10:00:00Z"));
    CHECK_THROWS_WITH(parse_cloudwatch_export(R"({"Datapoints": [
        {"Timestamp": "2026-01-05T10:00:00Z", "Sum": 1}, {"Timestamp": "2026-01-05T10:01:30Z",
        "Sum": 2}]})",
                                              "", 60),
                      Catch::Contains("do not fit a period of 60 s"));
    CHECK_THROWS_WITH(parse_cloudwatch_export(R"({"Datapoints": [{"Timestamp": "yesterday",
        "Sum": 1}]})"),
                      Catch::Contains("Datapoints[0].Timestamp"));
    CHECK_THROWS_WITH(parse_cloudwatch_export(R"({"Datapoints": [{"Timestamp":
        "2026-01-05T10:00:00Z", "Sum": -3}]})",
                                              "", 60),
                      Catch::Contains("Datapoints[0].Sum: expected a count between 0 and"));
    // A count no run could simulate (over 2^53) would overflow once scaled.
    CHECK_THROWS_WITH(parse_cloudwatch_export(R"({"Datapoints": [{"Timestamp":
        "2026-01-05T10:00:00Z", "Sum": 1e308}]})",
                                              "", 60),
                      Catch::Contains("Datapoints[0].Sum: expected a count between 0 and "
                                      "9007199254740992 (2^53"));
    CHECK_THROWS_AS(parse_cloudwatch_export("{\"Values\": []}"), TraceError);
}

TEST_CASE("cloudwatch trace in a scenario: the run starts at the export, gaps warn",
          "[cloudwatch-trace][loader]") {
    const auto dir = stratus::testing::make_temp_dir("stratus-cw");
    stratus::testing::write_file((dir / "trace.json").string(), kMetricData);
    const std::string scenario = R"(
[simulation]
duration = "10m"
[[launch_template]]
name = "web"
instance_type = "m5.large"
[[target_group]]
name = "tg"
[[load_balancer]]
name = "alb"
[[lb_listener]]
load_balancer = "alb"
target_group = "tg"
[[autoscaling_group]]
name = "web"
launch_template = "web"
min_size = 1
max_size = 1
target_groups = ["tg"]
[[workload]]
name = "w"
load_balancer = "alb"
rate = { shape = "trace", file = "trace.json", format = "cloudwatch" }
)";
    std::vector<stratus::scenario::Diagnostic> warnings;
    const auto spec =
        stratus::scenario::load_text(scenario, "cw.toml", {}, dir.string(), &warnings);
    CHECK(spec.simulation.start_time == "2026-01-05T10:00:00Z");
    const auto& steps = spec.workload.at(0).rate.steps;
    REQUIRE(steps.size() == 5);
    CHECK(steps[0] == std::make_pair(stratus::SimTime{0}, 50.0));
    CHECK(steps[3] == std::make_pair(240 * stratus::kSecond, 10.0));
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].message.find("2 period(s) of 60 s without a datapoint") != std::string::npos);
    // An explicit start_time wins; the datapoints before it are left out, with a warning.
    warnings.clear();
    const auto later = stratus::scenario::load_text(scenario, "cw.toml",
                                                    {"simulation.start_time=2026-01-05T10:01:00Z"},
                                                    dir.string(), &warnings);
    REQUIRE(!later.workload.at(0).rate.steps.empty());
    CHECK(later.workload.at(0).rate.steps.front().second == 20.0);
    CHECK(warnings.size() == 2);
    // explain writes the format back, and its output loads to the same steps.
    const std::string text = stratus::scenario::explain(spec);
    CHECK(text.find("format = \"cloudwatch\"") != std::string::npos);
    const auto again = stratus::scenario::load_text(text, "again.toml", {}, dir.string());
    CHECK(again.workload.at(0).rate.steps == steps);
    // A bad format and a bad export are errors at the key, naming the file.
    CHECK_THROWS_WITH(stratus::scenario::load_text(
                          scenario, "cw.toml", {"workload.w.rate.format=cloudwatc"}, dir.string()),
                      Catch::Contains("expected one of `csv`, `cloudwatch`, found \"cloudwatc\"; "
                                      "did you mean `cloudwatch`?"));
    stratus::testing::write_file((dir / "trace.json").string(), "{\"Datapoints\": 3}");
    CHECK_THROWS_WITH(stratus::scenario::load_text(scenario, "cw.toml", {}, dir.string()),
                      Catch::Contains("trace.json\": Datapoints must be an array"));
    std::filesystem::remove_all(dir);
}

TEST_CASE("cloudwatch-replay: each five-minute row's requests follow the export's sums",
          "[cloudwatch-trace][scenarios]") {
    const auto trace = parse_cloudwatch_export(
        stratus::testing::read_file(source("scenarios/planning/traces/shop-requestcount.json")));
    REQUIRE(trace.period_s == 300);
    const auto dir = stratus::testing::make_temp_dir("stratus-cw-run");
    const auto run = stratus::testing::run_stratus(
        "run '" + source("scenarios/planning/cloudwatch-replay.toml") +
            "' --out out --quiet --reproducible",
        dir);
    REQUIRE(run.status == 0);
    std::istringstream rows(stratus::testing::read_file((dir / "out/timeseries.csv").string()));
    std::string line;
    std::getline(rows, line);
    std::vector<std::string> header;
    for (std::stringstream h(line); std::getline(h, line, ',');)
        header.push_back(line);
    const auto col = std::find(header.begin(), header.end(), "requests") - header.begin();
    REQUIRE(col < static_cast<long>(header.size()));
    std::map<std::int64_t, double> sums(trace.sums.begin(), trace.sums.end());
    const std::int64_t start = trace.sums.front().first;
    int compared = 0, empty = 0;
    while (std::getline(rows, line)) {
        std::vector<std::string> cells;
        for (std::stringstream c(line); std::getline(c, line, ',');)
            cells.push_back(line);
        const std::int64_t at = start + std::stoll(cells[0]);
        const double requests = std::stod(cells[static_cast<std::size_t>(col)]);
        auto it = sums.find(at);
        if (it == sums.end()) {
            CHECK(requests == 0);  // a period the export has no datapoint for
            ++empty;
            continue;
        }
        // Poisson arrivals at sum / 300 per second: within 5 standard deviations of the sum.
        CHECK(std::fabs(requests - it->second) <= 5 * std::sqrt(it->second) + 1);
        ++compared;
    }
    CHECK(compared == 286);
    CHECK(empty == 2);
    std::filesystem::remove_all(dir);
}

}  // namespace test_cloudwatch_trace
