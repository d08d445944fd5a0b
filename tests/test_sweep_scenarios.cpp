// The planning scenarios answer their questions: each runs (shortened where it says so) and
// its headline figures are checked against hand calculation; the sweeps their headers show
// compare points under common random numbers.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "sim/cloud/world.hpp"
#include "sim/report/outputs.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/sweep/csv.hpp"
#include "sim/sweep/plan.hpp"
#include "world_support.hpp"

namespace test_sweep_scenarios {

using namespace stratus;

namespace {

const std::string kPlanning = std::string(STRATUS_SOURCE_DIR) + "/scenarios/planning";

// Every row of a sweep plan, as column -> cell maps.
std::vector<std::map<std::string, std::string>> sweep_rows(const sweep::Plan& plan) {
    std::vector<std::map<std::string, std::string>> out;
    for (std::uint64_t run = 0; run < plan.run_count(); ++run) {
        int incomplete = 0;
        const auto fields = sweep::parse_csv(plan.run_row(run), &incomplete).at(0).fields;
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < fields.size(); ++i)
            row[plan.header()[i]] = fields[i];
        out.push_back(row);
    }
    return out;
}

double num(const std::map<std::string, std::string>& row, const std::string& key) {
    return std::stod(row.at(key));
}

}  // namespace

TEST_CASE("planning: the retail peak day's AZ outage costs one DNS TTL of a third of the clients",
          "[scenarios][planning]") {
    // The window around the peak the file's header describes, at half the traffic: from
    // 13:50, diurnal 15..150 requests/s peaking at 14:00, doubled by the flash sale from 14:00.
    const std::vector<std::string> window = {
        "simulation.start_time=2026-11-27T13:50:00Z", "simulation.duration=1h",
        "workload.shoppers.rate.max=150", "workload.shoppers.rate.min=15",
        "autoscaling_group.shop.desired_capacity=6"};
    const auto s = testing::run_file_summary(kPlanning + "/retail-peak-day.toml", window);
    // At 14:10 the rate is ~2 x 150 = 300 requests/s; the failed AZ's load balancer node keeps
    // a third of the clients for one 60 s DNS TTL and their requests time out (504):
    // 300 / 3 x 60 = 6,000, give or take the curve and the requests in flight there.
    const double timeouts = s["requests"]["errors"]["http_504"].get<double>();
    CHECK(timeouts > 0.85 * 6000);
    CHECK(timeouts < 1.15 * 6000);
    CHECK(s["requests"]["errors"]["http_503"] == 0);
    // c5.large: 2 vCPU / 20 ms = 100 requests/s each: the surviving AZs carry the sale well
    // under the 300 ms p99 target.
    CHECK(s["latency_ms"]["p99"].get<double>() < 300);
    // Per minute, the window of the TTL (14:10, 1,200 s in) is missed: its 504s waited the
    // 10 s timeout; the whole hour's p99 (every answer) hides it, as the planner saw.
    CHECK(s["slo"]["latency_p99"]["met"] == false);
    CHECK(s["slo"]["latency_p99"]["worst_start_s"] == 1200.0);
    CHECK(s["slo"]["latency_p99"]["worst_ms"].get<double>() == Approx(10000).epsilon(0.002));
    CHECK(s["slo"]["latency_p99"]["whole_run_met"] == true);
    CHECK(s["cost_usd"]["by_line_item"]["ec2_spot"].get<double>() > 0);
    CHECK(s["cost_usd"]["by_line_item"]["ec2_on_demand"].get<double>() > 0);

    // The sweep the notebook runs: all On-Demand above the base costs more and buys no Spot,
    // with the same arrivals at both points (common random numbers).
    sweep::PlanInput in;
    in.scenario_file = kPlanning + "/retail-peak-day.toml";
    in.sets = window;
    in.grids = {
        "autoscaling_group.shop.mixed_instances_policy."
        "on_demand_percentage_above_base_capacity=0,100"};
    const auto rows = sweep_rows(sweep::Plan::make(in));
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].at("requests.total") == rows[1].at("requests.total"));
    CHECK(num(rows[1], "cost_usd.by_line_item.ec2_spot") == 0);
    CHECK(num(rows[0], "cost_usd.by_line_item.ec2_spot") > 0);
    CHECK(num(rows[0], "cost_usd.total") < num(rows[1], "cost_usd.total"));
}

TEST_CASE("planning: a steady SaaS day costs its floor: two instances, Multi-AZ RDS, the ALB",
          "[scenarios][planning]") {
    const auto s = testing::run_file_summary(kPlanning + "/saas-steady-month.toml",
                                             {"simulation.duration=1d"});
    // Diurnal 4..16 requests/s averages 10 over whole days; the first 5 minutes are warm-up:
    // 10 x (86,400 - 300) = 861,000 requests, Poisson sd ~930.
    CHECK(std::abs(s["requests"]["total"].get<double>() - 861000) < 4 * 930);
    CHECK(s["availability_percent"].get<double>() > 99.99);
    // 16 requests/s x 60 ms = ~1 vCPU of 4: never near the 40 % target, so no scale-out.
    CHECK(s["autoscaling"]["scale_out"] == 0);
    CHECK(s["instances"]["peak_in_service"] == 2);
    // Two m5.large all day: 2 x $0.096 x 24 h.
    CHECK(s["cost_usd"]["by_line_item"]["ec2_on_demand"].get<double>() == Approx(2 * 0.096 * 24));
    // db.m5.large Multi-AZ: 2 x $0.171 x 24 h, and 100 GB of gp2 at 2 x $0.115 per GB-month
    // for 24 of March's 744 hours.
    CHECK(s["cost_usd"]["by_line_item"]["rds"].get<double>() ==
          Approx(2 * 0.171 * 24 + 100 * 2 * 0.115 * 24 / 744.0).epsilon(1e-4));
    // The floor (EC2, RDS, the load balancer and its nodes' public IPv4 addresses) is nearly
    // all of the bill.
    const auto& items = s["cost_usd"]["by_line_item"];
    const double floor = items["ec2_on_demand"].get<double>() + items["rds"].get<double>() +
                         items["load_balancer"].get<double>() + items["ebs"].get<double>() +
                         items["public_ipv4"].get<double>();
    CHECK(floor / s["cost_usd"]["total"].get<double>() > 0.99);

    // A third always-on instance adds one m5.large-day to the bill and nothing else to EC2.
    sweep::PlanInput in;
    in.scenario_file = kPlanning + "/saas-steady-month.toml";
    in.sets = {"simulation.duration=6h"};
    in.grids = {"autoscaling_group.app.min_size=2,3"};
    const auto rows = sweep_rows(sweep::Plan::make(in));
    REQUIRE(rows.size() == 2);
    CHECK(num(rows[1], "cost_usd.by_line_item.ec2_on_demand") -
              num(rows[0], "cost_usd.by_line_item.ec2_on_demand") ==
          Approx(0.096 * 6));
}

TEST_CASE("planning: the spot-heavy batch fleet saves most of its EC2 bill on Spot",
          "[scenarios][planning]") {
    sweep::PlanInput in;
    in.scenario_file = kPlanning + "/spot-heavy-batch.toml";
    in.grids = {
        "autoscaling_group.workers.mixed_instances_policy."
        "on_demand_percentage_above_base_capacity=10,100"};
    const auto rows = sweep_rows(sweep::Plan::make(in));
    REQUIRE(rows.size() == 2);
    const auto& spot = rows[0];
    const auto& od = rows[1];
    // All On-Demand: twelve c5.xlarge for 12 h at $0.17; no Spot, no interruption.
    CHECK(num(od, "cost_usd.by_line_item.ec2_on_demand") == Approx(12 * 0.17 * 12));
    CHECK(num(od, "cost_usd.by_line_item.ec2_spot") == 0);
    CHECK(num(od, "instances.spot_interruptions") == 0);
    // 10 % On-Demand above a base of 0: ceil(1.2) = 2 On-Demand workers, 10 on Spot.
    CHECK(num(spot, "cost_usd.by_line_item.ec2_on_demand") == Approx(2 * 0.17 * 12));
    // The wave at 6 h takes a third of the Spot workers (at least 3 of 10), pools more.
    CHECK(num(spot, "instances.spot_interruptions") >= 3);
    CHECK(num(spot, "cost_usd.total") < 0.6 * num(od, "cost_usd.total"));
    // Jobs lost with the interrupted workers are few: the SLO (99 %) holds either way.
    CHECK(num(spot, "availability_percent") >= 99.0);
    CHECK(num(spot, "availability_percent") <= num(od, "availability_percent"));
    CHECK(spot.at("requests.total") == od.at("requests.total"));  // same arrivals
}

}  // namespace test_sweep_scenarios
