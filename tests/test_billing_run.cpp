// Billing of whole runs: a World's activity (a fixed fleet with traffic, standalone resources
// with schedules, failures and replacements) becomes ledger lines, summary.json cost_usd,
// timeseries cost columns and bill.csv. Every expected figure is worked out by hand in the
// comment beside it from the list prices of docs/pricing.md (us-east-1:
// m5.large $0.096/h, gp3 $0.08/GB-month, snapshot $0.05/GB-month, public IPv4 $0.005/h, ALB
// $0.0225/h + $0.008/LCU-hour, internet egress 100 GB/month free then $0.09/GB, S3 Standard
// $0.023/GB-month; ap-northeast-2: m5.large $0.118/h, gp3 $0.0912/GB-month). The runs start
// on 2026-01-05 (the default start_time): a GB-month is pro-rated over January's 744 hours.
#include <catch2/catch.hpp>

#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "sim/cloud/billing.hpp"
#include "sim/cloud/world.hpp"
#include "sim/report/outputs.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/loader.hpp"
#include "support.hpp"

namespace test_billing_run {

using namespace stratus;
using cloud::ChargeLine;
using cloud::LineItem;

namespace {

const std::string kLab10 =
    std::string(STRATUS_SOURCE_DIR) + "/scenarios/labs/10-stop-terminate-snapshots-eip.toml";

// Sums of a few dollars accrued slice by slice: a relative 1e-9 is far below a cent and far
// above the rounding of the sums.
Approx usd(double v) {
    return Approx(v).epsilon(1e-9).margin(1e-12);
}

struct Run {
    std::unique_ptr<report::Run> run;
    cloud::World* world = nullptr;  // run's
    nlohmann::ordered_json summary;
    const cloud::BillingLedger& ledger() const { return world->cost().ledger(); }
};

Run run_spec(const scenario::Spec& spec) {
    REQUIRE(scenario::unsupported_features(spec).empty());
    Run r;
    r.run = std::make_unique<report::Run>(spec);
    r.world = &r.run->world();
    r.world->run();
    r.summary = report::make_summary(*r.run);
    return r;
}

Run run_text(const std::string& toml, const std::vector<std::string>& sets = {}) {
    return run_spec(scenario::load_text(toml, "billing_run.toml", sets));
}

// The line of a resource and usage type; fails the test when there is none.
const ChargeLine& line_of(const Run& r, const std::string& resource,
                          const std::string& usage_type) {
    for (const ChargeLine& l : r.ledger().lines())
        if (l.spec.resource_id == resource && l.spec.usage_type == usage_type) return l;
    FAIL("no bill line " << resource << " " << usage_type);
    throw;  // not reached
}

double item(const Run& r, const char* key) {
    return r.summary["cost_usd"]["by_line_item"][key].get<double>();
}

// bill.csv: the sum of the cost_usd column (the 8th field; the tests' ids have no commas).
double bill_csv_sum(const std::string& csv) {
    std::stringstream in(csv);
    std::string row;
    std::getline(in, row);
    REQUIRE(row ==
            "resource_id,line_item,line_item_type,usage_type,usage_quantity,unit,rate_usd,"
            "cost_usd,tags");
    double sum = 0;
    while (std::getline(in, row)) {
        std::stringstream f(row);
        std::string field;
        for (int i = 0; i < 8; ++i)
            std::getline(f, field, ',');
        sum += std::stod(field);
    }
    return sum;
}

// The fixed fleet of test 1: 4 m5.large behind an ALB for 1 h, clients from 10 s on at 50
// requests/s downloading 1 MB each (so that egress passes the free 100 GB within the hour).
scenario::Spec fleet_spec(double rate) {
    auto spec = testing::basic_spec(4, rate);
    spec.simulation.duration = 3600 * kSecond;
    spec.workload[0].response_bytes = 1000000;
    return spec;
}

const char* kStandalone = R"(
[simulation]
name = "standalone"
duration = "6h"
[region]
name = "us-east-1"
[[instance]]
name = "web"
availability_zone = "us-east-1a"
instance_type = "m5.large"
associate_public_ip_address = true
schedule = [["0h", "running"], ["2h", "stopped"], ["5h", "terminated"]]
tags = { Team = "shop" }
[[eip]]
name = "spare"
[[ebs_snapshot]]
name = "snap-web"
size_gb = 50
[[s3_bucket]]
name = "logs"
storage_gb = 100
growth_gb_per_day = 24
)";

}  // namespace

TEST_CASE("billing run: a fixed fleet of 4 m5.large for 1 h bills EC2, EBS, ALB and egress",
          "[billing_run]") {
    const Run r = run_spec(fleet_spec(50));
    const auto& s = r.summary;
    REQUIRE(s["requests"]["errors"]["total"] == 0);
    // Every request reached a target: the load balancer's count is the arrivals.
    const double requests = s["requests"]["total"].get<double>();
    REQUIRE(requests == Approx(50.0 * 3590).epsilon(0.02));  // 50/s from 10 s to 3600 s

    // EC2: 4 instances x 1 h x 0.096 = 0.384, each line 0.096.
    for (const char* i : {"i-0001", "i-0002", "i-0003", "i-0004"}) {
        CHECK(line_of(r, i, "BoxUsage:m5.large").usage_quantity == usd(1.0));
        CHECK(line_of(r, i, "BoxUsage:m5.large").cost == usd(0.096));
    }
    CHECK(r.ledger().total(LineItem::Ec2OnDemand) == usd(0.384));
    // EBS: the run starts on 2026-01-05, in January (744 hours): 4 x 8 GB x 1 h / 744 x 0.08
    // = 0.0034408602.
    CHECK(r.ledger().total(LineItem::Ebs) == usd(4 * 8 * 0.08 / 744));
    CHECK(line_of(r, "vol-0001", "EBS:VolumeUsage.gp3").usage_quantity == usd(8.0 / 744));
    // The internet-facing ALB holds a public IPv4 per AZ node: 2 x 1 h x 0.005 = 0.01.
    for (const char* az : {"us-east-1a", "us-east-1b"}) {
        const ChargeLine& ip =
            line_of(r, std::string("ipv4/loadbalancer/app/alb/") + az, "PublicIPv4:InUseAddress");
        CHECK(ip.usage_quantity == usd(1.0));
        CHECK(ip.cost == usd(0.005));
    }
    CHECK(r.ledger().total(LineItem::PublicIpv4) == usd(0.01));
    // ALB hours: 1 whole hour x 0.0225.
    CHECK(line_of(r, "loadbalancer/app/alb", "LoadBalancerUsage").usage_quantity == usd(1.0));
    CHECK(line_of(r, "loadbalancer/app/alb", "LoadBalancerUsage").cost == usd(0.0225));
    // Data transfer out: each response is 1,000,000 bytes to the internet, so
    // requests x 1e6 / 1e9 GB (about 179.5 GB); the first 100 GB of the month are free, the
    // rest cost 0.09/GB (about 79.5 x 0.09 = 7.16).
    const double out_gb = requests * 1e6 / 1e9;
    REQUIRE(out_gb > 100);
    const ChargeLine& egress = line_of(r, "internet", "DataTransfer-Out-Bytes");
    CHECK(egress.usage_quantity == usd(out_gb));
    CHECK(egress.cost == usd((out_gb - 100) * 0.09));
    CHECK(r.ledger().total(LineItem::DataTransfer) == usd((out_gb - 100) * 0.09));
    // Nothing else is used.
    for (LineItem none : {LineItem::Ec2Spot, LineItem::NatGateway, LineItem::Rds,
                          LineItem::Snapshots, LineItem::S3})
        CHECK(r.ledger().total(none) == 0);

    // summary.json: the total is the sum of the line items (each rounded to 1e-6), and the
    // items are the ledger's.
    double items = 0;
    for (const auto& [k, v] : s["cost_usd"]["by_line_item"].items())
        items += v.get<double>();
    CHECK(s["cost_usd"]["total"].get<double>() == Approx(items).margin(1e-5));
    CHECK(s["cost_usd"]["total"].get<double>() == Approx(r.ledger().total()).margin(1e-6));
    CHECK(item(r, "ec2_on_demand") == Approx(0.384).margin(1e-6));
    CHECK(item(r, "data_transfer") == Approx((out_gb - 100) * 0.09).margin(1e-6));
    // bill.csv rows sum back to cost_usd.total.
    CHECK(bill_csv_sum(r.ledger().bill_csv()) == usd(r.ledger().total()));
    // timeseries: cost_usd grows period by period.
    const auto& rows = r.run->recorder().rows();
    REQUIRE(rows.size() == 60);
    for (std::size_t i = 1; i < rows.size(); ++i)
        CHECK(rows[i].gauges.cost_usd >= rows[i - 1].gauges.cost_usd);
}

TEST_CASE("billing run: timeseries cost_usd ends at the run's total", "[billing_run]") {
    // With nothing to top up at the end (whole hours, no minimum pending), the last row's
    // cost_usd is the bill: EC2 0.384 + EBS 0.0035068 + ALB + LCUs + egress.
    const Run r = run_spec(fleet_spec(50));
    const auto& rows = r.run->recorder().rows();
    REQUIRE(rows.size() == 60);
    CHECK(rows.back().gauges.cost_usd == usd(r.ledger().total()));
}

TEST_CASE("billing run: LCU-hours of a fixed fleet are the GB processed", "[billing_run]") {
    // LCU dimensions per second of traffic at r requests/s (documented assumptions in
    // cost_meter.cpp: each request a new connection; processed bytes = requests x
    // (request_bytes + response_bytes) = r x 1,001,024 bytes):
    //   new connections r / 25 = 0.04 r; processed r x 1,001,024 x 3600 / 1e9 GB/h = 3.6 r;
    //   active connections (a few in flight) / 3000 ~ 0; no rules.
    // The run is one clock hour (it starts on the hour), billed on the largest of the hour's
    // averages (Elastic Load Balancing pricing): new connections 50 x 3590 / 3600 / 25 ~ 2 LCU,
    // processed bytes the hour's GB = requests x 1,001,024 / 1e9 (about 179.7) LCU, so the
    // LCU-hours are the GB processed, at 0.008 each (about 1.44).
    const Run r = run_spec(fleet_spec(50));
    REQUIRE(r.summary["requests"]["errors"]["total"] == 0);
    const double requests = r.summary["requests"]["total"].get<double>();
    const double processed_gb = requests * (1024 + 1000000) / 1e9;
    const ChargeLine& lcu = line_of(r, "loadbalancer/app/alb", "LCUUsage");
    CHECK(lcu.usage_quantity == usd(processed_gb));
    CHECK(lcu.cost == usd(processed_gb * 0.008));
    CHECK(r.ledger().total(LineItem::LoadBalancer) == usd(0.0225 + processed_gb * 0.008));
}

TEST_CASE("billing run: the ELB pricing page's ALB example, run for an hour",
          "[billing_run][lcu]") {
    // AWS's example as a scenario: 5 requests/s on connections of 5 requests held 2 minutes
    // (1 new connection/s, 120 active), 60,000 bytes a request (300 KB/s), 60 listener rules.
    // The run is one clock hour, billed on the largest of the hour's averages. For the N
    // requests of the hour the averages in LCUs are: new connections N / 5 / 3600 / 25 =
    // N x 2.2e-6; active (N / 5 / 3600) x 120 / 3,000 = N x 2.2e-6; processed N x 60,000 / 1e9 =
    // N x 6e-5 (the hour's GB); rules (N / 3600) x 50 / 1,000 = N x 1.4e-5. Processed bytes are
    // the largest, so the LCU-hours are N x 6e-5 (about 18,000 x 6e-5 = 1.08, the example's
    // 1.08 LCUs for an hour).
    auto spec = fleet_spec(5);
    spec.workload[0].request_bytes = 10000;
    spec.workload[0].response_bytes = 50000;
    spec.workload[0].requests_per_connection = 5;
    spec.workload[0].connection_duration = 120 * kSecond;
    spec.lb_listener[0].rules = 60;
    const Run r = run_spec(spec);
    REQUIRE(r.summary["requests"]["errors"]["total"] == 0);
    const double requests = r.summary["requests"]["total"].get<double>();
    REQUIRE(requests == Approx(5.0 * 3590).epsilon(0.05));
    const ChargeLine& lcu = line_of(r, "loadbalancer/app/alb", "LCUUsage");
    CHECK(lcu.usage_quantity == usd(requests * 6e-5));
    CHECK(lcu.usage_quantity == Approx(1.08).epsilon(0.05));
    CHECK(lcu.cost == usd(requests * 6e-5 * 0.008));
}

TEST_CASE("billing run: keep-alive cuts the LCUs of a load balancer billed on new connections",
          "[billing_run][lcu]") {
    // 100 requests/s of 200 bytes each way, no rules, for one clock hour billed on the
    // largest of the hour's averages. For the hour's N requests: processed N x 400 / 1e9 GB
    // (about 0.144 LCU). Without keep-alive every request is a new connection: N / 3600 / 25
    // LCU (about 4), the largest, so the LCU-hours are N / 25 / 3600. With 10 requests per
    // connection held 30 s: N / 10 / 3600 / 25 (about 0.4) new, about 300 active = 0.1 LCU:
    // N / 10 / 25 / 3600, ten times fewer.
    auto spec = fleet_spec(100);
    spec.workload[0].request_bytes = 200;
    spec.workload[0].response_bytes = 200;
    const Run each = run_spec(spec);
    spec.workload[0].requests_per_connection = 10;
    spec.workload[0].connection_duration = 30 * kSecond;
    const Run reused = run_spec(spec);
    for (const Run* r : {&each, &reused})
        REQUIRE(r->summary["requests"]["errors"]["total"] == 0);
    const double n_each = each.summary["requests"]["total"].get<double>();
    const double n_reused = reused.summary["requests"]["total"].get<double>();
    REQUIRE(n_each == Approx(100.0 * 3590).epsilon(0.02));
    CHECK(n_reused == n_each);  // the same arrivals: keep-alive changes the bill only
    CHECK(line_of(each, "loadbalancer/app/alb", "LCUUsage").usage_quantity ==
          usd(n_each / 25 / 3600));
    CHECK(line_of(reused, "loadbalancer/app/alb", "LCUUsage").usage_quantity ==
          usd(n_reused / 10 / 25 / 3600));
}

TEST_CASE("billing run: an NLB bills NLCUs on TCP's dimensions, a Classic LB the GB it processes",
          "[billing_run][lcu]") {
    // Elastic Load Balancing pricing (us-east-1): an NLB $0.0225 an hour and $0.006 an NLCU-hour,
    // an NLCU for TCP being 800 new connections/s, 100,000 active connections or 1 GB/h
    // processed, whichever is largest (no rule evaluations); a Classic Load Balancer $0.025 an
    // hour and $0.008 per GB of data it processes.
    // 100 requests/s of 200 bytes each way, each on a connection of its own (the default), for
    // one clock hour billed on the largest of the hour's averages: for its N requests, new
    // connections N / 3600 / 800 NLCU and processed bytes N x 400 / 1e9 NLCU (3.47e-7 N against
    // 4e-7 N): the bytes are the largest, so the NLCU-hours are the GB processed, N x 400 / 1e9
    // (about 0.1436 for 359,000). Measured with an ALB's LCU (25 new connections/s) it was 4 an
    // hour, N / 25 / 3600: 28 times more.
    auto spec = fleet_spec(100);
    spec.workload[0].request_bytes = 200;
    spec.workload[0].response_bytes = 200;
    spec.load_balancer[0].load_balancer_type = scenario::LoadBalancerType::Network;
    const Run nlb = run_spec(spec);
    REQUIRE(nlb.summary["requests"]["errors"]["total"] == 0);
    const double n = nlb.summary["requests"]["total"].get<double>();
    REQUIRE(n == Approx(100.0 * 3590).epsilon(0.02));
    // Billed under the NLB's own resource id, as its ARN has it: loadbalancer/net/NAME.
    const ChargeLine& nlcu = line_of(nlb, "loadbalancer/net/alb", "LCUUsage");
    CHECK(nlcu.usage_quantity == usd(n * 400 / 1e9));
    CHECK(nlcu.cost == usd(n * 400 / 1e9 * 0.006));
    CHECK(line_of(nlb, "loadbalancer/net/alb", "LoadBalancerUsage").cost == usd(0.0225));
    // Internet-facing, it holds a public IPv4 address per AZ node as an ALB does: 2 x $0.005.
    for (const char* az : {"us-east-1a", "us-east-1b"})
        CHECK(
            line_of(nlb, std::string("ipv4/loadbalancer/net/alb/") + az, "PublicIPv4:InUseAddress")
                .cost == usd(0.005));
    // The same traffic through a Classic Load Balancer: N x 400 / 1e9 GB at $0.008, and the
    // hour at $0.025; no LCUs. Its ARN has no type: loadbalancer/NAME.
    spec.load_balancer[0].load_balancer_type = scenario::LoadBalancerType::Classic;
    const Run clb = run_spec(spec);
    REQUIRE(clb.summary["requests"]["errors"]["total"] == 0);
    CHECK(clb.summary["requests"]["total"].get<double>() == n);  // the same arrivals
    const ChargeLine& gb = line_of(clb, "loadbalancer/alb", "DataProcessing-Bytes");
    CHECK(gb.usage_quantity == usd(n * 400 / 1e9));
    CHECK(gb.cost == usd(n * 400 / 1e9 * 0.008));
    CHECK(line_of(clb, "loadbalancer/alb", "LoadBalancerUsage").cost == usd(0.025));
    for (const ChargeLine& l : clb.ledger().lines())
        CHECK(l.spec.usage_type != "LCUUsage");
    CHECK(clb.ledger().total(LineItem::LoadBalancer) == usd(0.025 + n * 400 / 1e9 * 0.008));
}

TEST_CASE("billing run: a fleet without traffic bills at a constant rate per hour",
          "[billing_run]") {
    const Run r = run_spec(fleet_spec(0));
    // 4 x 0.096 + 4 x 8 x 0.08 / 744 + 0.0225 + the ALB's 2 public IPv4 x 0.005 =
    // 0.4199408602 per hour; no LCU, no egress.
    const double per_hour = 4 * 0.096 + 4 * 8 * 0.08 / 744 + 0.0225 + 2 * 0.005;
    for (const auto& row : r.run->recorder().rows())
        CHECK(row.gauges.cost_rate_usd_per_hour == usd(per_hour));
    CHECK(r.ledger().total() == usd(per_hour));
    CHECK(r.ledger().total(LineItem::DataTransfer) == 0);
    CHECK(line_of(r, "loadbalancer/app/alb", "LCUUsage").cost == 0);
}

TEST_CASE(
    "billing run: stop bills EBS but no EC2, terminate bills nothing, EIP and snapshot "
    "bill the whole run",
    "[billing_run]") {
    const Run r = run_text(kStandalone);
    // EC2 only while running (0-2 h): 2 h x 0.096 = 0.192.
    CHECK(line_of(r, "web", "BoxUsage:m5.large").usage_quantity == usd(2.0));
    CHECK(line_of(r, "web", "BoxUsage:m5.large").cost == usd(0.192));
    // EBS (8 GB root) until terminated, stopped included (0-5 h): 8 x 5 / 744 x 0.08 =
    // 0.0043010753.
    CHECK(line_of(r, "vol-web", "EBS:VolumeUsage.gp3").usage_quantity == usd(8.0 * 5 / 744));
    CHECK(line_of(r, "vol-web", "EBS:VolumeUsage.gp3").cost == usd(8.0 * 5 / 744 * 0.08));
    // The auto-assigned public IPv4 only while running (released at the stop): 2 h x 0.005.
    CHECK(line_of(r, "ipv4/web", "PublicIPv4:InUseAddress").usage_quantity == usd(2.0));
    CHECK(line_of(r, "ipv4/web", "PublicIPv4:InUseAddress").cost == usd(0.01));
    // The idle Elastic IP the whole run: 6 h x 0.005 = 0.03.
    CHECK(line_of(r, "eipalloc/spare", "PublicIPv4:IdleAddress").cost == usd(0.03));
    CHECK(r.ledger().total(LineItem::PublicIpv4) == usd(0.04));
    // The snapshot the whole run: 50 GB x 6 h / 744 x 0.05 = 0.0201612903.
    CHECK(line_of(r, "snap-web", "EBS:SnapshotUsage").usage_quantity == usd(50.0 * 6 / 744));
    CHECK(r.ledger().total(LineItem::Snapshots) == usd(50.0 * 6 / 744 * 0.05));
    // Only the instance carries a tag: EC2 + EBS + its IPv4.
    CHECK(r.ledger().by_tag().at("Team=shop") == usd(0.192 + 8.0 * 5 / 744 * 0.08 + 0.01));
    CHECK(r.ledger().by_tag().size() == 1);
    // The rate per hour after the termination: the EIP, the snapshot and the bucket only.
    const auto& rows = r.run->recorder().rows();
    REQUIRE(!rows.empty());
    const double s3_end_gb = 100 + 24.0 * 6 / 24;
    CHECK(rows.back().gauges.cost_rate_usd_per_hour ==
          Approx(0.005 + 50 * 0.05 / 744 + s3_end_gb * 0.023 / 744).margin(0.023 / 744 * 0.02));
    CHECK(bill_csv_sum(r.ledger().bill_csv()) == usd(r.ledger().total()));
}

TEST_CASE("billing run: an S3 bucket growing linearly bills the GB-months of its average size",
          "[billing_run]") {
    const Run r = run_text(kStandalone);
    // 100 GB growing 24 GB/day for 6 h: 100 -> 106 GB, average 103 GB;
    // 103 x 6 / 744 = 0.8306451613 GB-month x 0.023 = 0.0191048387.
    const ChargeLine& bucket = line_of(r, "logs", "TimedStorage-ByteHrs");
    CHECK(bucket.usage_quantity == usd(103.0 * 6 / 744));
    CHECK(bucket.cost == usd(103.0 * 6 / 744 * 0.023));
}

// A run of two days across the January/February boundary: storage only, nothing else.
constexpr const char* kMonthBoundary = R"(
[simulation]
name = "month-boundary"
start_time = "2026-01-30T12:00:00Z"
duration = "48h"
[region]
name = "us-east-1"
[[s3_bucket]]
name = "logs"
storage_gb = 100
growth_gb_per_day = 24
[[db_instance]]
identifier = "orders"
instance_class = "db.t3.micro"
allocated_storage = 100
[[db_instance]]
identifier = "ledger"
instance_class = "db.t3.micro"
multi_az = true
allocated_storage = 50
[[ebs_volume]]
name = "data"
size_gb = 30
)";

TEST_CASE("billing run: S3 and RDS storage across a month boundary are pro-rated by each month",
          "[billing_run][calendar]") {
    // AWS prorates a GB-month by the hours of the calendar month the usage falls in (AWS
    // re:Post, "How are charges for Amazon EBS volumes calculated on my bill?"; S3 and RDS
    // storage are billed in GB-months the same way). The run goes from 30 Jan 12:00 to 1 Feb
    // 12:00 UTC: 36 h of January (31 days, 744 h), then 12 h of February (28 days in 2026,
    // 672 h; 29 days in 2028, 696 h). Each part is GB x hours / hours of its month.
    for (const auto& [year, feb_hours] : {std::pair{2026, 672.0}, std::pair{2028, 696.0}}) {
        CAPTURE(year);
        const Run r = run_text(
            kMonthBoundary, {"simulation.start_time=" + std::to_string(year) + "-01-30T12:00:00Z"});
        // S3 Standard at $0.023: 100 GB growing 24 GB a day, 100 + t GB at hour t. January:
        // the integral of (100 + t) over [0, 36] h = 3,600 + 36^2 / 2 = 4,248 GB-hours, over
        // 744 h = 5.7096774 GB-months; February: over [36, 48] h = 1,200 + (48^2 - 36^2) / 2
        // = 1,704 GB-hours, over 672 h = 2.5357143 (2026) or 696 h = 2.4482759 (2028). A
        // 730-hour month would give 5,952 / 730 = 8.1534247 either year.
        const double s3 = 4248.0 / 744 + 1704.0 / feb_hours;
        const ChargeLine& bucket = line_of(r, "logs", "TimedStorage-ByteHrs");
        CHECK(bucket.usage_quantity == usd(s3));
        CHECK(bucket.cost == usd(s3 * 0.023));
        // RDS gp2 at $0.115 a GB-month: 100 GB Single-AZ, 100 x 36 / 744 + 100 x 12 / 672 =
        // 4.8387097 + 1.7857143 = 6.6244240 GB-months in 2026 ($0.7618088); 50 GB Multi-AZ,
        // billed at twice the rate ($0.23): 50 x 36 / 744 + 50 x 12 / 672 = 3.3122120
        // GB-months ($0.7618088, the same cost).
        const double rds_single = 100 * (36.0 / 744 + 12.0 / feb_hours);
        const ChargeLine& single = line_of(r, "db:orders", "RDS:GP2-Storage");
        CHECK(single.usage_quantity == usd(rds_single));
        CHECK(single.cost == usd(rds_single * 0.115));
        const double rds_multi = 50 * (36.0 / 744 + 12.0 / feb_hours);
        const ChargeLine& multi = line_of(r, "db:ledger", "RDS:Multi-AZ-GP2-Storage");
        CHECK(multi.usage_quantity == usd(rds_multi));
        CHECK(multi.cost == usd(rds_multi * 2 * 0.115));
        // The instance hours are per second, not per month: 48 h x $0.017 (db.t3.micro), and
        // twice that for Multi-AZ.
        CHECK(line_of(r, "db:orders", "InstanceUsage:db.t3.micro").cost == usd(48 * 0.017));
        CHECK(line_of(r, "db:ledger", "Multi-AZUsage:db.t3.micro").cost == usd(48 * 2 * 0.017));
        // EBS gp3 at $0.08: 30 GB x (36 / 744 + 12 / 672) = 1.9873272 GB-months in 2026.
        const double ebs = 30 * (36.0 / 744 + 12.0 / feb_hours);
        CHECK(line_of(r, "data", "EBS:VolumeUsage.gp3").usage_quantity == usd(ebs));
        CHECK(r.ledger().total(LineItem::S3) == usd(s3 * 0.023));
        CHECK(r.ledger().total(LineItem::Rds) ==
              usd(rds_single * 0.115 + rds_multi * 0.23 + 48 * 3 * 0.017));
    }
}

namespace {

// A small fleet with GB-month lines for the rows at a month's end: web (m5.large, 100 GB root,
// public IPv4) the whole run, a 500 GB gp3 volume and a 200 GB snapshot; job (m5.large, 8 GB
// root, no address) from `job_start` to `job_end`, its root volume deleted with it.
std::string boundary_fleet(const std::string& start, const std::string& duration,
                           const std::string& period, const std::string& job_start,
                           const std::string& job_end) {
    return "[simulation]\nname = \"boundary\"\nstart_time = \"" + start + "\"\nduration = \"" +
           duration + "\"\nmetrics_period = \"" + period +
           "\"\n[region]\nname = \"us-east-1\"\n"
           "[[instance]]\nname = \"web\"\navailability_zone = \"us-east-1a\"\n"
           "instance_type = \"m5.large\"\nebs_gb = 100\nassociate_public_ip_address = true\n"
           "[[instance]]\nname = \"job\"\navailability_zone = \"us-east-1b\"\n"
           "instance_type = \"m5.large\"\nebs_gb = 8\nschedule = [[\"" +
           job_start + "\", \"running\"], [\"" + job_end +
           "\", \"terminated\"]]\n"
           "[[ebs_volume]]\nname = \"data\"\nsize_gb = 500\navailability_zone = \"us-east-1a\"\n"
           "[[ebs_snapshot]]\nname = \"snap\"\nsize_gb = 200\n";
}

// boundary_fleet's USD per hour in a month of `month_hours`: web and its address $0.101, the
// GB-months of web's root, the volume and the snapshot (100 x 0.08 + 500 x 0.08 + 200 x 0.05
// = $58 a month) over the month's hours, and while job runs $0.096 + 8 x 0.08 = $0.64 a
// month over them.
double boundary_fleet_rate(double month_hours, bool job) {
    return 0.101 + 58 / month_hours + (job ? 0.096 + 0.64 / month_hours : 0);
}

// Each row's cost rate against boundary_fleet_rate (`month_hours_at` the row's start), and the
// rows (rate x length) against the bill.
void check_boundary_rows(const Run& r, SimTime period,
                         const std::function<double(SimTime)>& month_hours_at, SimTime job_start,
                         SimTime job_end) {
    const auto& rows = r.run->recorder().rows();
    REQUIRE(rows.size() == static_cast<std::size_t>(r.world->horizon() / period));
    double sum = 0;
    for (const auto& row : rows) {
        CAPTURE(to_seconds(row.start));
        REQUIRE(row.length == period);
        const bool job = row.start >= job_start && row.start < job_end;
        CHECK(row.gauges.cost_rate_usd_per_hour ==
              usd(boundary_fleet_rate(month_hours_at(row.start), job)));
        sum += row.gauges.cost_rate_usd_per_hour * to_seconds(row.length) / 3600;
    }
    CHECK(sum == usd(r.ledger().total()));
    CHECK(rows.back().gauges.cost_usd == usd(r.ledger().total()));
    CHECK(bill_csv_sum(r.ledger().bill_csv()) == usd(r.ledger().total()));
}

}  // namespace

TEST_CASE("billing run: each cost rate row across a month's end is at its own month's hours",
          "[billing_run][calendar]") {
    // A GB-month line's hourly cost is its monthly cost over the hours of the month the time
    // falls in. The fluid mode accrues the bill at its one-minute slices and reads the rows
    // between them from the running rate: before, that rate took the month of the last accrual,
    // so the rows of the first minute after 00:00 on the 1st read the old month's hours and the
    // row at 00:01 made up for them (at 10 s, 00:00:00-00:00:50 at $0.275817/h and 00:00:50 at
    // $0.291581/h in June instead of $0.278444/h each). Runs from 23:00 on a month's last day
    // for 2 h: 31 -> 30 days (May, June 2026), 30 -> 31 (April, May 2026), 31 -> 28 (January,
    // February 2027), 28 -> 31 (February, March 2027); job from 0:30 to 1:30.
    struct Boundary {
        const char* start;
        double before, after;  // the months' hours
    };
    for (const Boundary& b :
         {Boundary{"2026-05-31T23:00:00Z", 744, 720}, Boundary{"2026-04-30T23:00:00Z", 720, 744},
          Boundary{"2027-01-31T23:00:00Z", 744, 672}, Boundary{"2027-02-28T23:00:00Z", 672, 744}}) {
        // The bill by hand: 2 h of web, 1 h of job, $58 a month for an hour of each month,
        // $0.64 a month for half an hour of each (May/June: $0.4573871).
        const double bill = 2 * 0.101 + 0.096 + 58 / b.before + 58 / b.after +
                            0.64 * (0.5 / b.before + 0.5 / b.after);
        for (const char* period : {"10s", "60s", "300s"}) {
            for (const char* fidelity : {"request", "fluid"}) {
                CAPTURE(b.start, period, fidelity);
                const Run r = run_text(boundary_fleet(b.start, "2h", period, "30m", "90m"),
                                       {std::string("simulation.fidelity=") + fidelity});
                CHECK(r.ledger().total() == usd(bill));
                check_boundary_rows(
                    r, r.world->spec().simulation.metrics_period,
                    [&](SimTime t) { return t < kHour ? b.before : b.after; }, 30 * kMinute,
                    90 * kMinute);
            }
        }
    }
    const double may_june = 0.202 + 0.096 + 58.0 / 744 + 58.0 / 720 + 0.32 / 744 + 0.32 / 720;
    REQUIRE(may_june == Approx(0.4573871));
}

TEST_CASE("billing run: a volume deleted mid-month after a month's end, rows and bill",
          "[billing_run][calendar]") {
    // From 31 January 2027 12:00 UTC for 16 days; job runs from 18:00 that day to 15 February
    // 00:00, when its instance and root volume go. web, the volume and the snapshot: 384 h x
    // $0.101 + $58 x (12 / 744 + 372 / 672); job: 342 h x $0.096 + $0.64 x (6 / 744 + 336 /
    // 672): $104.9837880.
    const double bill = 384 * 0.101 + 58 * (12.0 / 744 + 372.0 / 672) + 342 * 0.096 +
                        0.64 * (6.0 / 744 + 336.0 / 672);
    REQUIRE(bill == Approx(104.983788));
    for (const char* period : {"60s", "300s"}) {
        for (const char* fidelity : {"request", "fluid"}) {
            CAPTURE(period, fidelity);
            const Run r =
                run_text(boundary_fleet("2027-01-31T12:00:00Z", "16d", period, "6h", "14d12h"),
                         {std::string("simulation.fidelity=") + fidelity});
            CHECK(r.ledger().total() == usd(bill));
            CHECK(line_of(r, "vol-job", "EBS:VolumeUsage.gp3").usage_quantity ==
                  usd(8 * (6.0 / 744 + 336.0 / 672)));
            check_boundary_rows(
                r, r.world->spec().simulation.metrics_period,
                [](SimTime t) { return t < 12 * kHour ? 744.0 : 672.0; }, 6 * kHour,
                14 * 24 * kHour + 12 * kHour);
        }
    }
}

TEST_CASE("billing run: [pricing] overrides change exactly the figures they name",
          "[billing_run]") {
    const Run base = run_text(kStandalone);
    const Run priced = run_text(std::string(kStandalone) + R"(
[pricing]
on_demand = { "m5.large" = 0.2 }
public_ipv4_hour = 0.01
snapshot_gb_month = 0.1
)");
    // Named: EC2 2 h x 0.2 = 0.4; IPv4 (2 h + 6 h) x 0.01 = 0.08; snapshot 50 x 6 / 744 x 0.1.
    CHECK(line_of(priced, "web", "BoxUsage:m5.large").cost == usd(0.4));
    CHECK(line_of(priced, "web", "BoxUsage:m5.large").spec.rate == 0.2);
    CHECK(priced.ledger().total(LineItem::PublicIpv4) == usd(0.08));
    CHECK(priced.ledger().total(LineItem::Snapshots) == usd(50.0 * 6 / 744 * 0.1));
    // Not named: EBS and S3 are the same to the last bit.
    CHECK(priced.ledger().total(LineItem::Ebs) == base.ledger().total(LineItem::Ebs));
    CHECK(priced.ledger().total(LineItem::S3) == base.ledger().total(LineItem::S3));
    // The same usage everywhere: only prices moved.
    REQUIRE(priced.ledger().size() == base.ledger().size());
    for (std::size_t i = 0; i < base.ledger().size(); ++i)
        CHECK(priced.ledger().line(i).usage_quantity == base.ledger().line(i).usage_quantity);

    // Load balancer figures, on the idle fleet: ALB hour 0.03 instead of 0.0225; EC2 and EBS
    // unchanged.
    auto spec = fleet_spec(0);
    spec.pricing.present = true;
    spec.pricing.alb_hour = 0.03;
    spec.pricing.ebs_gp3_gb_month = 0.1;
    const Run lb = run_spec(spec);
    CHECK(line_of(lb, "loadbalancer/app/alb", "LoadBalancerUsage").cost == usd(0.03));
    CHECK(lb.ledger().total(LineItem::Ebs) == usd(4 * 8 * 0.1 / 744));
    CHECK(lb.ledger().total(LineItem::Ec2OnDemand) == usd(0.384));
    CHECK(line_of(lb, "loadbalancer/app/alb", "LCUUsage").spec.rate == 0.008);
}

TEST_CASE("billing run: an instance that fails after 20 s pays the 60 s minimum", "[billing_run]") {
    // One m5.large (boot 0) in service at 0; powered off by a fault at 20 s; the EC2 health
    // check terminates it at once and the group launches i-0002 at 20 s, which runs to 600 s.
    auto spec = testing::basic_spec(1, 0);
    spec.autoscaling_group[0].availability_zones = {"us-east-1a"};
    scenario::FaultSpec f;
    f.type = scenario::FaultType::InstanceFailure;
    f.target = "web";
    f.at = 20 * kSecond;
    spec.fault.push_back(f);
    const Run r = run_spec(spec);
    REQUIRE(r.summary["instances"]["launched"] == 2);
    // i-0001: 20 s running, billed 60 s: 60 / 3600 x 0.096 = 0.0016.
    CHECK(line_of(r, "i-0001", "BoxUsage:m5.large").usage_quantity == usd(60.0 / 3600));
    CHECK(line_of(r, "i-0001", "BoxUsage:m5.large").cost == usd(0.0016));
    // Its volume, deleted at 20 s, also bills EBS's 60 s minimum: 8 x 60 / 3600 / 744 x 0.08.
    CHECK(line_of(r, "vol-0001", "EBS:VolumeUsage.gp3").cost == usd(8 * 60.0 / 3600 / 744 * 0.08));
    // i-0002: 580 s x 0.096 / 3600 = 0.0154666667.
    CHECK(line_of(r, "i-0002", "BoxUsage:m5.large").cost == usd(580 * 0.096 / 3600));
    CHECK(r.ledger().total(LineItem::Ec2OnDemand) == usd(0.0016 + 580 * 0.096 / 3600));

    // A standalone instance terminated after 20 s: the same minimum.
    const Run s = run_text(R"(
[simulation]
duration = "10m"
[[instance]]
name = "brief"
instance_type = "m5.large"
schedule = [["0s", "running"], ["20s", "terminated"]]
)");
    CHECK(line_of(s, "brief", "BoxUsage:m5.large").cost == usd(0.0016));
}

TEST_CASE("billing run: cost by tag, group tags propagating to instances", "[billing_run]") {
    // The launch template says Name=web, Team=platform; the group says Team=shop and wins; the
    // load balancer says Team=shop. Idle fleet of 4 for 1 h.
    auto spec = fleet_spec(0);
    spec.launch_template[0].tags = {{"Name", "web"}, {"Team", "platform"}};
    spec.autoscaling_group[0].tags = {{"Team", "shop"}};
    spec.load_balancer[0].tags = {{"Team", "shop"}};
    const Run r = run_spec(spec);
    const auto tags = r.ledger().by_tag();
    // Instances: 4 x 0.096 + 4 x 8 x 0.08 / 744 = 0.3874408602.
    const double instances = 0.384 + 4 * 8 * 0.08 / 744;
    CHECK(tags.at("Name=web") == usd(instances));
    // Team=shop: the instances, the ALB hour and its two nodes' public IPv4 (2 x 0.005):
    // 0.4199408602.
    CHECK(tags.at("Team=shop") == usd(instances + 0.0225 + 0.01));
    CHECK(tags.count("Team=platform") == 0);
    CHECK(r.summary["cost_usd"]["by_tag"]["Team=shop"].get<double>() ==
          Approx(instances + 0.0225 + 0.01).margin(1e-6));
    // Every instance line carries both tags.
    CHECK(line_of(r, "i-0003", "BoxUsage:m5.large").spec.tags ==
          cloud::Tags{{"Name", "web"}, {"Team", "shop"}});
    CHECK(line_of(r, "vol-0003", "EBS:VolumeUsage.gp3").spec.tags ==
          cloud::Tags{{"Name", "web"}, {"Team", "shop"}});
}

TEST_CASE("billing run: bill.csv is identical on two runs", "[billing_run]") {
    auto spec = fleet_spec(50);
    spec.simulation.duration = 600 * kSecond;
    const Run a = run_spec(spec);
    const Run b = run_spec(spec);
    CHECK(a.ledger().bill_csv() == b.ledger().bill_csv());
    CHECK(a.summary["cost_usd"] == b.summary["cost_usd"]);
    const Run c = run_text(kStandalone);
    const Run d = run_text(kStandalone);
    CHECK(c.ledger().bill_csv() == d.ledger().bill_csv());
}

TEST_CASE("lab 10: stopped, terminated, snapshot and Elastic IPs bill as worked out by hand",
          "[billing_run][scenarios][labs]") {
    const Run r = run_spec(scenario::load_file(kLab10));
    // Seoul prices: m5.large 0.118/h, gp3 0.0912/GB-month, IPv4 0.005/h, snapshot 0.05. The run
    // starts on 2026-01-05: a GB-month is pro-rated over January's 744 hours.
    // web: running 0-12 h, stopped 12-24 h; 20 GB; Elastic IP web-ip attached.
    CHECK(line_of(r, "web", "BoxUsage:m5.large").cost == usd(12 * 0.118));  // 1.416
    CHECK(line_of(r, "vol-web", "EBS:VolumeUsage.gp3").cost ==
          usd(20.0 * 24 / 744 * 0.0912));  // 0.0588387097, stopped or not
    CHECK(line_of(r, "eipalloc/web-ip", "PublicIPv4:InUseAddress").cost == usd(0.12));
    // old-app: running 0-6 h then terminated; 8 GB; auto-assigned IPv4.
    CHECK(line_of(r, "old-app", "BoxUsage:m5.large").cost == usd(6 * 0.118));  // 0.708
    CHECK(line_of(r, "vol-old-app", "EBS:VolumeUsage.gp3").cost ==
          usd(8.0 * 6 / 744 * 0.0912));  // 0.0058838710
    CHECK(line_of(r, "ipv4/old-app", "PublicIPv4:InUseAddress").cost == usd(0.03));
    // The snapshot kept after the termination: 30 GB x 24 h / 744 x 0.05 = 0.0483870968.
    CHECK(line_of(r, "old-app-final", "EBS:SnapshotUsage").cost == usd(30.0 * 24 / 744 * 0.05));
    // The AMI's root-volume snapshot: 8 GB x 24 h / 744 x 0.05 = 0.0129032258.
    CHECK(line_of(r, "ami-old-app", "EBS:SnapshotUsage").cost == usd(8.0 * 24 / 744 * 0.05));
    // The idle Elastic IP: 24 h x 0.005 = 0.12.
    CHECK(line_of(r, "eipalloc/forgotten-ip", "PublicIPv4:IdleAddress").cost == usd(0.12));
    // summary.json by_line_item and the total: 2.124 + 0.0647225806 + 0.27 + 0.0612903226 =
    // 2.5200129032.
    CHECK(item(r, "ec2_on_demand") == Approx(2.124).margin(1e-6));
    CHECK(item(r, "ebs") == Approx((20.0 * 24 + 8.0 * 6) / 744 * 0.0912).margin(1e-6));
    CHECK(item(r, "public_ipv4") == Approx(0.27).margin(1e-6));
    CHECK(item(r, "snapshots") == Approx((30.0 + 8.0) * 24 / 744 * 0.05).margin(1e-6));
    const double total =
        2.124 + (20.0 * 24 + 8.0 * 6) / 744 * 0.0912 + 0.27 + (30.0 + 8.0) * 24 / 744 * 0.05;
    CHECK(r.ledger().total() == usd(total));
    CHECK(r.summary["cost_usd"]["total"].get<double>() == Approx(total).margin(1e-6));
    // Each night web costs 12 h of EBS and Elastic IP: 20 x 12 / 744 x 0.0912 + 12 x 0.005 =
    // 0.0894193548; the rate per hour once both instances are down: 20 x 0.0912 / 744 +
    // 2 x 0.005 + (30 + 8) x 0.05 / 744 = 0.0150053763.
    const auto& rows = r.run->recorder().rows();
    REQUIRE(!rows.empty());
    CHECK(rows.back().gauges.cost_rate_usd_per_hour ==
          usd(20 * 0.0912 / 744 + 2 * 0.005 + (30 + 8) * 0.05 / 744));
    // Terminating web at 12 h instead: its EBS stops at 12 h, the Elastic IP stays billed.
    const Run t = run_spec(scenario::load_file(
        kLab10, {R"(instance.web.schedule=[["0h","running"],["12h","terminated"]])"}));
    CHECK(line_of(t, "vol-web", "EBS:VolumeUsage.gp3").cost == usd(20.0 * 12 / 744 * 0.0912));
    CHECK(line_of(t, "eipalloc/web-ip", "PublicIPv4:InUseAddress").cost == usd(0.12));
}

namespace {

// A mixed fleet of standalone instances for 2 h from 00:00 UTC (us-east-1 On-Demand:
// m5.large 0.096, c5.xlarge 0.17, m6g.large 0.077 USD/h).
const std::string kMixedFleet = R"(
[simulation]
name = "commitments"
duration = "2h"
start_time = "2026-01-05T00:00:00Z"
[region]
name = "us-east-1"
[[instance]]
name = "web-1"
instance_type = "m5.large"
tags = { Team = "web" }
[[instance]]
name = "web-2"
instance_type = "m5.large"
[[instance]]
name = "api"
instance_type = "c5.xlarge"
[[instance]]
name = "arm"
instance_type = "m6g.large"
)";

// The cost of a resource's lines of one CUR line item type (0 when it has none).
double cost_of(const Run& r, const std::string& resource, const char* type) {
    double sum = 0;
    for (const ChargeLine& l : r.ledger().lines())
        if (l.spec.resource_id == resource && cloud::to_string(l.spec.type) == type) sum += l.cost;
    return sum;
}
double hours_of(const Run& r, const std::string& resource, const char* type) {
    double sum = 0;
    for (const ChargeLine& l : r.ledger().lines())
        if (l.spec.resource_id == resource && cloud::to_string(l.spec.type) == type)
            sum += l.usage_quantity;
    return sum;
}

}  // namespace

TEST_CASE("billing run: a 1-year no-upfront Compute Savings Plan covers part of a mixed fleet",
          "[billing_run][commitments]") {
    // The plan: 0.10 USD/h at its rates m5.large 0.069 (28.125 % off), m6g.large 0.0557
    // (27.66 %), c5.xlarge 0.124 (27.06 %). Each hour it covers the highest savings first: the
    // two m5.large (equal: in the order of the usage), web-1 whole (0.069), then
    // 0.031 / 0.069 = 0.449275 hours of web-2; nothing is left for the others.
    // Over 2 h: web-1 2 h covered; web-2 0.898551 h covered, 1.101449 h On-Demand = 0.105739;
    // api 2 x 0.17 = 0.34; arm 2 x 0.077 = 0.154; the fee 2 x 0.10 = 0.20.
    // EC2: 0.799739 (0.878 without the plan).
    const Run without = run_text(kMixedFleet);
    REQUIRE(without.ledger().total(LineItem::Ec2OnDemand) == usd(2 * (0.096 * 2 + 0.17 + 0.077)));
    const Run r = run_text(kMixedFleet + R"(
[[savings_plan]]
name = "sp-compute"
savings_plan_type = "Compute"
commitment = 0.10
rates = { "m5.large" = 0.069, "m6g.large" = 0.0557, "c5.xlarge" = 0.124 }
)");
    const double covered = 0.031 / 0.069;
    CHECK(hours_of(r, "web-1", "SavingsPlanCoveredUsage") == usd(2));
    CHECK(cost_of(r, "web-1", "SavingsPlanCoveredUsage") == usd(2 * 0.096));
    CHECK(cost_of(r, "web-1", "SavingsPlanNegation") == usd(-2 * 0.096));
    CHECK(cost_of(r, "web-1", "Usage") == usd(0));
    CHECK(hours_of(r, "web-2", "SavingsPlanCoveredUsage") == usd(2 * covered));
    CHECK(hours_of(r, "web-2", "Usage") == usd(2 - 2 * covered));
    CHECK(cost_of(r, "web-2", "Usage") == usd((2 - 2 * covered) * 0.096));
    CHECK(cost_of(r, "api", "Usage") == usd(0.34));
    CHECK(cost_of(r, "arm", "Usage") == usd(0.154));
    CHECK(cost_of(r, "sp-compute", "SavingsPlanRecurringFee") == usd(0.20));
    CHECK(r.ledger().total(LineItem::Ec2OnDemand) ==
          usd((2 - 2 * covered) * 0.096 + 0.34 + 0.154 + 0.20));
    // The rest of the bill (EBS) is untouched; bill.csv sums to the total and keeps the tags.
    CHECK(r.ledger().total() - r.ledger().total(LineItem::Ec2OnDemand) ==
          usd(without.ledger().total() - without.ledger().total(LineItem::Ec2OnDemand)));
    const std::string csv = r.ledger().bill_csv();
    CHECK(bill_csv_sum(csv) == usd(r.ledger().total()));
    CHECK(csv.find("web-1,ec2_on_demand,SavingsPlanCoveredUsage,BoxUsage:m5.large,2,Hrs,0.096,"
                   "0.192,Team=web\n") != std::string::npos);
    CHECK(csv.find("sp-compute,ec2_on_demand,SavingsPlanRecurringFee,ComputeSP:Hourly,2,Hrs,0.1,"
                   "0.2,\n") != std::string::npos);
    CHECK(r.summary["cost_usd"]["total"].get<double>() == Approx(r.ledger().total()).margin(1e-6));
}

TEST_CASE("billing run: a Reserved Instance, then an EC2 Instance Savings Plan, then On-Demand",
          "[billing_run][commitments]") {
    // Two c5.large RIs (2 x 4 = 8 units an hour, RIFee 0.054 each) cover the c5.xlarge
    // (factor 8) whole: DiscountedUsage, no cost. The m5 EC2 Instance plan (0.05 USD/h, 31 %
    // off: 0.06624 an m5.large hour) covers 0.05 / 0.06624 = 0.754831 hours of web-1 each hour;
    // the rest of the m5 and the m6g (another family) stay On-Demand.
    // EC2 over 2 h: web-1 (2 - 1.509662) x 0.096 = 0.047072; web-2 0.192; arm 0.154;
    // RIFee 2 x 2 x 0.054 = 0.216; plan 0.10. Total 0.709072.
    const Run r = run_text(kMixedFleet + R"(
[[reserved_instance]]
name = "ri-c5"
instance_type = "c5.large"
instance_count = 2
recurring_charge = 0.054
[[savings_plan]]
name = "sp-m5"
savings_plan_type = "EC2Instance"
instance_family = "m5"
commitment = 0.05
discount = 31
)");
    const double covered = 0.05 / (0.096 * 0.69);
    CHECK(hours_of(r, "api", "DiscountedUsage") == usd(2));
    CHECK(cost_of(r, "api", "DiscountedUsage") == 0);
    CHECK(hours_of(r, "api", "Usage") == usd(0));
    CHECK(cost_of(r, "ri-c5", "RIFee") == usd(0.216));
    CHECK(hours_of(r, "ri-c5", "RIFee") == usd(4));
    CHECK(hours_of(r, "web-1", "SavingsPlanCoveredUsage") == usd(2 * covered));
    CHECK(cost_of(r, "web-1", "Usage") == usd((2 - 2 * covered) * 0.096));
    CHECK(cost_of(r, "web-2", "Usage") == usd(0.192));
    CHECK(cost_of(r, "arm", "Usage") == usd(0.154));
    CHECK(r.ledger().total(LineItem::Ec2OnDemand) ==
          usd((2 - 2 * covered) * 0.096 + 0.192 + 0.154 + 0.216 + 0.10));
}

TEST_CASE("billing run: commitments are checked against the catalog",
          "[billing_run][commitments]") {
    auto error_of = [](const std::string& extra) {
        try {
            scenario::load_text(kMixedFleet + extra, "c.toml");
        } catch (const scenario::ScenarioError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK_THAT(error_of("[[savings_plan]]\nname = \"s\"\nsavings_plan_type = \"EC2Instance\"\n"
                        "commitment = 1\n"),
               Catch::Contains("needs `instance_family`"));
    CHECK_THAT(
        error_of("[[savings_plan]]\nname = \"s\"\nsavings_plan_type = \"EC2Instance\"\n"
                 "commitment = 1\ninstance_family = \"m5\"\nrates = { \"c5.large\" = 0.05 }\n"),
        Catch::Contains("not of the plan's family"));
    CHECK_THAT(error_of("[[reserved_instance]]\nname = \"r\"\ninstance_type = \"m5.metal\"\n"
                        "recurring_charge = 1\n"),
               Catch::Contains("normalization factor"));
    CHECK_THAT(error_of("[[savings_plan]]\nname = \"s\"\nsavings_plan_type = \"Compute\"\n"
                        "commitment = 0\n"),
               Catch::Contains("commitment"));
}

TEST_CASE("billing run: a 1-year No Upfront Reserved Instance covers one of three instances",
          "[billing_run][commitments]") {
    // Three m5.large (0.096 USD/h) for 3 h from 00:00 UTC; one m5.large Standard RI, 1 year, No
    // Upfront, at 0.060 USD an hour. Each hour the RI's 4 normalized units cover one m5.large
    // (factor 4) whole, the first of the equal sizes: web-1's 3 hours are DiscountedUsage at
    // no cost; web-2 and web-3 stay On-Demand: 2 x 3 x 0.096 = 0.576. RIFee 3 x 0.060 = 0.18.
    // EC2 0.756 against 0.864 On-Demand: 0.108 saved, the RI's 0.036 an hour (0.096 - 0.060).
    const std::string fleet = R"(
[simulation]
name = "one-ri"
duration = "3h"
start_time = "2026-01-05T00:00:00Z"
[region]
name = "us-east-1"
[[instance]]
name = "web-1"
instance_type = "m5.large"
[[instance]]
name = "web-2"
instance_type = "m5.large"
[[instance]]
name = "web-3"
instance_type = "m5.large"
)";
    const Run without = run_text(fleet);
    REQUIRE(without.ledger().total(LineItem::Ec2OnDemand) == usd(0.864));
    const Run r = run_text(fleet + R"(
[[reserved_instance]]
name = "ri-m5"
instance_type = "m5.large"
recurring_charge = 0.060
)");
    CHECK(hours_of(r, "web-1", "DiscountedUsage") == usd(3));
    CHECK(cost_of(r, "web-1", "DiscountedUsage") == 0);
    CHECK(hours_of(r, "web-1", "Usage") == usd(0));
    for (const char* id : {"web-2", "web-3"}) {
        CHECK(hours_of(r, id, "Usage") == usd(3));
        CHECK(cost_of(r, id, "Usage") == usd(0.288));
        CHECK(hours_of(r, id, "DiscountedUsage") == 0);
    }
    CHECK(hours_of(r, "ri-m5", "RIFee") == usd(3));
    CHECK(cost_of(r, "ri-m5", "RIFee") == usd(0.18));
    CHECK(r.ledger().total(LineItem::Ec2OnDemand) == usd(0.756));
    CHECK(without.ledger().total() - r.ledger().total() == usd(0.108));
    CHECK(bill_csv_sum(r.ledger().bill_csv()) == usd(r.ledger().total()));
}

TEST_CASE("billing run: a zonal Reserved Instance covers its AZ only, a regional one any AZ",
          "[billing_run][commitments]") {
    // Two m5.xlarge (0.192 USD/h) for 2 h from 00:00 UTC, web-a in us-east-1a, web-b in
    // us-east-1b. A zonal m5.xlarge RI of us-east-1a (0.121/h) covers web-a: 2 hours of
    // DiscountedUsage; web-b runs in another AZ and stays On-Demand, 2 x 0.192 = 0.384. RIFee
    // 2 x 0.121 = 0.242. The same RI regional covers the first of the two (web-a) all the same;
    // moved to us-east-1b it covers web-b instead.
    const std::string fleet = R"(
[simulation]
name = "zonal"
duration = "2h"
start_time = "2026-01-05T00:00:00Z"
[region]
name = "us-east-1"
[[instance]]
name = "web-a"
instance_type = "m5.xlarge"
availability_zone = "us-east-1a"
[[instance]]
name = "web-b"
instance_type = "m5.xlarge"
availability_zone = "us-east-1b"
[[reserved_instance]]
name = "ri"
instance_type = "m5.xlarge"
recurring_charge = 0.121
)";
    for (const char* az : {"us-east-1a", "us-east-1b"}) {
        CAPTURE(az);
        const Run r =
            run_text(fleet, {std::string("reserved_instance.ri.availability_zone=") + az});
        REQUIRE(r.world->spec().reserved_instance.at(0).availability_zone == az);
        const bool a = std::string(az) == "us-east-1a";
        CHECK(hours_of(r, a ? "web-a" : "web-b", "DiscountedUsage") == usd(2));
        CHECK(hours_of(r, a ? "web-b" : "web-a", "DiscountedUsage") == 0);
        CHECK(cost_of(r, a ? "web-b" : "web-a", "Usage") == usd(0.384));
        CHECK(cost_of(r, "ri", "RIFee") == usd(0.242));
        CHECK(r.ledger().total(LineItem::Ec2OnDemand) == usd(0.384 + 0.242));
        CHECK(bill_csv_sum(r.ledger().bill_csv()) == usd(r.ledger().total()));
    }
    const Run regional = run_text(fleet);
    CHECK(hours_of(regional, "web-a", "DiscountedUsage") == usd(2));
    CHECK(cost_of(regional, "web-b", "Usage") == usd(0.384));
}

TEST_CASE("billing run: an RDS reserved DB instance covers a Multi-AZ DB instance by its units",
          "[billing_run][commitments]") {
    // A Multi-AZ db.m5.large MySQL (us-east-1: 0.171 USD/h Single-AZ, 0.342 Multi-AZ) for 3 h
    // from 00:00 UTC. A Single-AZ db.m5.large reserved DB instance (4 normalized units) covers
    // half of each hour of the Multi-AZ instance (8 units): 1.5 hours of DiscountedUsage, 1.5
    // hours On-Demand at 0.342 = 0.513; RIFee 3 x 0.11 = 0.33. RDS instance cost 0.843
    // against 1.026 On-Demand. Two of them (instance_count = 2) cover it whole: 0 + 0.66.
    const std::string db = R"(
[simulation]
name = "rds-ri"
duration = "3h"
start_time = "2026-01-05T00:00:00Z"
[region]
name = "us-east-1"
[[db_instance]]
identifier = "orders"
instance_class = "db.m5.large"
multi_az = true
[[reserved_db_instance]]
name = "ri-db"
offering_id = "438012d3-4052-4cc7-b2e3-8d3372e0e706"
db_instance_class = "db.m5.large"
product_description = "mysql"
recurring_charge = 0.11
)";
    const Run r = run_text(db);
    REQUIRE(r.world->spec().db_instance.at(0).multi_az);
    const ChargeLine& usage = line_of(r, "db:orders", "Multi-AZUsage:db.m5.large");
    CHECK(usage.usage_quantity == usd(1.5));
    CHECK(usage.cost == usd(0.513));
    CHECK(hours_of(r, "db:orders", "DiscountedUsage") == usd(1.5));
    CHECK(cost_of(r, "ri-db", "RIFee") == usd(0.33));
    const double storage = line_of(r, "db:orders", "RDS:Multi-AZ-GP2-Storage").cost;
    CHECK(r.ledger().total(LineItem::Rds) == usd(0.513 + 0.33 + storage));
    CHECK(r.ledger().total(LineItem::Ec2OnDemand) == 0);
    CHECK(bill_csv_sum(r.ledger().bill_csv()) == usd(r.ledger().total()));
    const Run two = run_text(db, {"reserved_db_instance.ri-db.instance_count=2"});
    CHECK(line_of(two, "db:orders", "Multi-AZUsage:db.m5.large").cost == usd(0));
    CHECK(cost_of(two, "ri-db", "RIFee") == usd(0.66));
    // A PostgreSQL reservation does not apply to a MySQL DB instance.
    const Run pg = run_text(db, {"reserved_db_instance.ri-db.product_description=\"postgresql\""});
    CHECK(line_of(pg, "db:orders", "Multi-AZUsage:db.m5.large").cost == usd(1.026));
}

TEST_CASE("billing run: zonal RIs and reserved DB instances are checked",
          "[billing_run][commitments]") {
    auto error_of = [](const std::string& extra) {
        try {
            scenario::load_text(kMixedFleet + extra, "c.toml");
        } catch (const scenario::ScenarioError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const std::string ri =
        "[[reserved_instance]]\nname = \"r\"\ninstance_type = \"m5.large\"\n"
        "recurring_charge = 0.06\n";
    CHECK_THAT(error_of(ri + "availability_zone = \"us-west-2a\"\n"),
               Catch::Contains("availability_zone"));
    CHECK(error_of(ri + "availability_zone = \"us-east-1b\"\n") == "no error");
    const std::string db = "[[reserved_db_instance]]\nname = \"d\"\nrecurring_charge = 0.1\n";
    CHECK_THAT(error_of(db + "db_instance_class = \"db.m5.huge\"\n"),
               Catch::Contains("db_instance_class"));
    CHECK_THAT(error_of(db + "db_instance_class = \"db.m5.large\"\nproduct_description = "
                             "\"oracle\"\n"),
               Catch::Contains("product_description"));
    CHECK_THAT(error_of(db + "db_instance_class = \"db.m5.large\"\nduration = 1\n"),
               Catch::Contains("duration"));
    CHECK_THAT(error_of("[[reserved_db_instance]]\nname = \"d\"\ndb_instance_class = "
                        "\"db.m5.large\"\n"),
               Catch::Contains("needs its hourly `recurring_charge`"));
    CHECK(error_of(db + "db_instance_class = \"db.m5.large\"\nmulti_az = true\n") == "no error");
}

TEST_CASE("billing run: commitments over a scaling group (lab 05), within one clock hour",
          "[billing_run][commitments]") {
    // A case the commitments were not written for: lab 05's m5.large group (ap-northeast-2,
    // 0.118 USD/h) scales out from 4 during its 50 minutes, all inside the clock hour from
    // 00:00 UTC. An m5.xlarge RI (8 units: two m5.large) and a Compute Savings Plan of 0.20
    // USD/h at 20 % off (0.0944 an m5.large hour) hold for 50/60 of the hour: the RI covers
    // 2 x 50/60 = 1.666667 m5.large hours, the plan 0.20 x 50/60 / 0.0944 = 1.765537 hours, as
    // long as the group ran that much; the fees are 0.143 x 50/60 and 0.20 x 50/60.
    std::ifstream in(std::string(STRATUS_SOURCE_DIR) +
                     "/scenarios/labs/05-simple-vs-step-scaling.toml");
    REQUIRE(in);
    std::stringstream text;
    text << in.rdbuf();
    const Run without = run_text(text.str());
    const Run r = run_text(text.str() + R"(
[[reserved_instance]]
name = "ri-m5"
instance_type = "m5.xlarge"
recurring_charge = 0.143
[[savings_plan]]
name = "sp"
savings_plan_type = "Compute"
commitment = 0.20
discount = 20
)");
    const double part = 50.0 / 60.0;
    // Each instance's hours, On-Demand without the commitments.
    std::map<std::string, double> hours;
    for (const ChargeLine& l : without.ledger().lines())
        if (l.spec.usage_type == "BoxUsage:m5.large") hours[l.spec.resource_id] += l.usage_quantity;
    double fleet_hours = 0;
    for (const auto& [id, h] : hours)
        fleet_hours += h;
    REQUIRE(hours.size() > 4);  // the group scaled out
    REQUIRE(fleet_hours > 2 * part + 0.20 * part / 0.0944);
    // Every instance-hour is still billed once: On-Demand, RI-covered or plan-covered.
    double reserved = 0, planned = 0;
    for (const auto& [id, h] : hours) {
        INFO(id);
        CHECK(hours_of(r, id, "Usage") + hours_of(r, id, "DiscountedUsage") +
                  hours_of(r, id, "SavingsPlanCoveredUsage") ==
              usd(h));
        CHECK(cost_of(r, id, "SavingsPlanCoveredUsage") ==
              usd(hours_of(r, id, "SavingsPlanCoveredUsage") * 0.118));
        CHECK(cost_of(r, id, "SavingsPlanNegation") ==
              usd(-hours_of(r, id, "SavingsPlanCoveredUsage") * 0.118));
        reserved += hours_of(r, id, "DiscountedUsage");
        planned += hours_of(r, id, "SavingsPlanCoveredUsage");
    }
    CHECK(reserved == usd(2 * part));
    CHECK(planned == usd(0.20 * part / 0.0944));
    CHECK(cost_of(r, "ri-m5", "RIFee") == usd(0.143 * part));
    CHECK(cost_of(r, "sp", "SavingsPlanRecurringFee") == usd(0.20 * part));
    CHECK(r.ledger().total() == usd(without.ledger().total() - (reserved + planned) * 0.118 +
                                    0.143 * part + 0.20 * part));
}

TEST_CASE("billing run: Partial Upfront and All Upfront commitments",
          "[billing_run][commitments]") {
    // The RI + EC2 Instance plan case above, paid otherwise; coverage is unchanged.
    // - Two c5.large RIs, Partial Upfront: 227.76 each over 1 year (8,760 h) = 0.026 an hour,
    //   plus 0.022 recurring: RIFee 2 x 2 x 0.022 = 0.088, Fee 2 x 2 x 0.026 = 0.104.
    // - The m5 plan (0.05/h) All Upfront: 0.05 x 8,760 = 438 upfront, derived when left out:
    //   SavingsPlanRecurringFee 0, SavingsPlanUpfrontFee 2 x 0.05 = 0.10.
    // EC2 over 2 h: web-1 0.047072, web-2 0.192, arm 0.154, fees 0.088 + 0.104 + 0.10.
    const Run r = run_text(kMixedFleet + R"(
[[reserved_instance]]
name = "ri-c5"
instance_type = "c5.large"
instance_count = 2
offering_type = "Partial Upfront"
fixed_price = 227.76
recurring_charge = 0.022
duration = 31536000
[[savings_plan]]
name = "sp-m5"
savings_plan_type = "EC2Instance"
instance_family = "m5"
commitment = 0.05
discount = 31
payment_option = "All Upfront"
)");
    const double covered = 0.05 / (0.096 * 0.69);
    CHECK(hours_of(r, "api", "DiscountedUsage") == usd(2));
    CHECK(cost_of(r, "ri-c5", "RIFee") == usd(0.088));
    CHECK(cost_of(r, "ri-c5", "Fee") == usd(0.104));
    CHECK(hours_of(r, "ri-c5", "Fee") == usd(4));
    CHECK(cost_of(r, "sp-m5", "SavingsPlanRecurringFee") == usd(0));
    CHECK(cost_of(r, "sp-m5", "SavingsPlanUpfrontFee") == usd(0.10));
    CHECK(hours_of(r, "web-1", "SavingsPlanCoveredUsage") == usd(2 * covered));
    CHECK(r.ledger().total(LineItem::Ec2OnDemand) ==
          usd((2 - 2 * covered) * 0.096 + 0.192 + 0.154 + 0.088 + 0.104 + 0.10));
    CHECK(bill_csv_sum(r.ledger().bill_csv()) == usd(r.ledger().total()));
}

TEST_CASE("billing run: a payment option asks for what it pays", "[billing_run][commitments]") {
    auto error_of = [](const std::string& extra) {
        try {
            scenario::load_text(kMixedFleet + extra, "c.toml");
        } catch (const scenario::ScenarioError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const std::string ri = "[[reserved_instance]]\nname = \"r\"\ninstance_type = \"m5.large\"\n";
    const std::string sp =
        "[[savings_plan]]\nname = \"s\"\nsavings_plan_type = \"Compute\"\ncommitment = 0.05\n";
    CHECK_THAT(error_of(ri), Catch::Contains("needs its hourly `recurring_charge`"));
    CHECK_THAT(error_of(ri + "recurring_charge = 0.06\nfixed_price = 100\n"),
               Catch::Contains("No Upfront Reserved Instance has no `fixed_price`"));
    CHECK_THAT(error_of(ri + "offering_type = \"All Upfront\"\nfixed_price = 500\n"
                             "recurring_charge = 0.01\n"),
               Catch::Contains("All Upfront Reserved Instance has no `recurring_charge`"));
    CHECK_THAT(error_of(ri + "offering_type = \"Partial Upfront\"\nrecurring_charge = 0.03\n"),
               Catch::Contains("needs its upfront `fixed_price`"));
    CHECK_THAT(error_of(ri + "recurring_charge = 0.06\nduration = 40000000\n"),
               Catch::Contains("expected 31536000 (1 year) or 94608000 (3 years)"));
    CHECK(error_of(ri + "offering_type = \"All Upfront\"\nfixed_price = 500\n") == "no error");
    // 0.05 x 8,760 h = 438 USD is the whole commitment of a 1-year plan.
    CHECK_THAT(
        error_of(sp + "payment_option = \"Partial Upfront\"\nupfront_payment_amount = 438\n"),
        Catch::Contains("less than commitment x term = 438 USD"));
    CHECK_THAT(error_of(sp + "payment_option = \"All Upfront\"\nupfront_payment_amount = 400\n"),
               Catch::Contains("commitment x term = 438 USD"));
    CHECK_THAT(error_of(sp + "upfront_payment_amount = 100\n"),
               Catch::Contains("No Upfront Savings Plan has no `upfront_payment_amount`"));
    CHECK(error_of(sp + "payment_option = \"Partial Upfront\"\nupfront_payment_amount = 219\n") ==
          "no error");
    CHECK(error_of(sp + "payment_option = \"All Upfront\"\nterm_duration_in_seconds = 94608000\n"
                        "upfront_payment_amount = 1314\n") == "no error");
}

}  // namespace test_billing_run
