#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/cloud/billing.hpp"
#include "sim/scenario/catalog.hpp"
#include "sim/scenario/price_list.hpp"

namespace test_billing {

using namespace stratus;
using namespace stratus::cloud;
using namespace stratus::scenario;

// Every expected figure below is worked out by hand in the comment beside it, from the
// us-east-1 list prices of docs/pricing.md (m5.large $0.096/h, gp3 $0.08/GB-month, public
// IPv4 $0.005/h, ALB $0.0225/h and $0.008/LCU-hour).
namespace {

Approx usd(double v) {
    return Approx(v).margin(1e-12);
}

SimTime s(double seconds) {
    return from_seconds(seconds);
}

// Splits one CSV line without quoted commas (the tests only quote where they check it).
std::vector<std::string> fields(const std::string& line) {
    std::vector<std::string> out;
    std::stringstream in(line);
    std::string f;
    while (std::getline(in, f, ','))
        out.push_back(f);
    return out;
}

}  // namespace

TEST_CASE("an m5.large running 90 s costs 90/3600 x 0.096", "[billing]") {
    REQUIRE(ec2_billable_seconds({{0, s(90)}}) == 90);

    BillingLedger ledger;
    auto id = ledger.add(ec2_instance_charge("i-1", "m5.large", 0.096, false));
    ledger.start(id, 0);
    ledger.stop(id, s(90));
    CHECK(ledger.line(id).usage_quantity == Approx(0.025));  // 90 / 3600 hours
    CHECK(ledger.total() == usd(0.0024));                    // 0.025 x 0.096
    CHECK(ledger.total(LineItem::Ec2OnDemand) == usd(0.0024));
    CHECK(ledger.line(id).spec.usage_type == "BoxUsage:m5.large");
}

TEST_CASE("an m5.large running 20 s costs the 60 s minimum", "[billing]") {
    REQUIRE(ec2_billable_seconds({{0, s(20)}}) == 60);

    BillingLedger ledger;
    auto id = ledger.add(ec2_instance_charge("i-1", "m5.large", 0.096, false));
    ledger.start(id, s(100));
    ledger.stop(id, s(120));
    CHECK(ledger.total() == usd(0.0016));  // 60 / 3600 x 0.096
}

TEST_CASE("stopping and starting twice bills two minimums, a reboot bills none", "[billing]") {
    // Runs of 20 s and 30 s: 60 + 60 = 120 s, 120 / 3600 x 0.096 = 0.0032.
    CHECK(ec2_billable_seconds({{0, s(20)}, {s(100), s(130)}}) == 120);
    // A short run and a long one: 60 + 100 = 160 s.
    CHECK(ec2_billable_seconds({{0, s(20)}, {s(50), s(150)}}) == 160);

    BillingLedger ledger;
    auto id = ledger.add(ec2_instance_charge("i-1", "m5.large", 0.096, false));
    ledger.start(id, 0);
    ledger.stop(id, s(20));
    ledger.start(id, s(100));
    ledger.stop(id, s(130));
    CHECK(ledger.total() == usd(0.0032));

    // A reboot keeps the instance running: one run of 40 s, one minimum, 60 s.
    BillingLedger reboot;
    auto r = reboot.add(ec2_instance_charge("i-2", "m5.large", 0.096, false));
    reboot.start(r, 0);
    reboot.advance_to(s(20));  // the reboot: nothing to tell the ledger
    reboot.stop(r, s(40));
    CHECK(reboot.total() == usd(0.0016));
}

TEST_CASE("the running rate gives the cost not yet accrued as advance_to would accrue it",
          "[billing]") {
    // Two m5.large at $0.096/h: 0.096 x 60 / 3600 = $0.0016 a minute.
    BillingLedger ledger;
    auto a = ledger.add(ec2_instance_charge("i-a", "m5.large", 0.096, false));
    auto b = ledger.add(ec2_instance_charge("i-b", "m5.large", 0.096, false));
    ledger.start(a, 0);
    ledger.advance_to(s(60));
    REQUIRE(ledger.accrued_total() == usd(0.0016));
    CHECK(ledger.unaccrued_cost(s(60)) == 0.0);  // exactly, right after an accrual
    // b starts at 90 s: at 120 s a has run 60 s and b 30 s since they accrued.
    ledger.start(b, s(90));
    CHECK(ledger.unaccrued_cost(s(120)) == usd(0.0016 + 0.0008));
    // a stops at 150 s (150 s billed, over its minimum): its run accrues; b runs on.
    ledger.stop(a, s(150));
    CHECK(ledger.accrued_total() == usd(0.004));
    CHECK(ledger.unaccrued_cost(s(180)) == usd(0.0024));  // b's 90 s
    // b's rate doubles at 180 s (a Spot price change): 60 s more at $0.192/h is $0.0032.
    ledger.set_rate(b, 0.192, s(180));
    CHECK(ledger.unaccrued_cost(s(240)) == usd(0.0032));
    CHECK(ledger.unaccrued_cost(b, s(240)) == usd(0.0032));
    CHECK(ledger.unaccrued_cost(a, s(240)) == 0.0);  // stopped
    const double read = ledger.accrued_total() + ledger.unaccrued_cost(s(240));
    ledger.advance_to(s(240));
    CHECK(ledger.accrued_total() == usd(0.004 + 0.0024 + 0.0032));
    CHECK(read == usd(ledger.accrued_total()));
    CHECK(ledger.unaccrued_cost(s(240)) == 0.0);
    ledger.finish(s(300));
    CHECK(ledger.unaccrued_cost(s(300)) == 0.0);  // nothing runs
}

TEST_CASE("EC2 usage is per second: a partial second is billed as a whole one", "[billing]") {
    CHECK(ec2_billable_seconds({{0, s(90.2)}}) == 91);
    CHECK(ec2_billable_seconds({}) == 0);
    CHECK_THROWS_AS(ec2_billable_seconds({{s(10), s(5)}}), std::invalid_argument);
}

TEST_CASE("an 8 GB gp3 volume for a 730-hour month costs 0.64", "[billing]") {
    CHECK(gb_months(8, 730 * kHour) == Approx(8));

    const PriceList prices = PriceList::builtin("us-east-1");
    BillingLedger ledger;
    auto id = ledger.add(ebs_gp3_charge("vol-1", 8, prices));
    ledger.start(id, 0);
    ledger.stop(id, 730 * kHour);
    CHECK(ledger.line(id).usage_quantity == Approx(8));  // GB-months
    CHECK(ledger.total() == usd(0.64));                  // 8 x 0.08
    CHECK(ledger.total(LineItem::Ebs) == usd(0.64));
    // Half a month, 365 h: 4 GB-months, 0.32.
    CHECK(gb_months(8, 365 * kHour) == Approx(4));
}

// AWS re:Post, "How are charges for Amazon EBS volumes calculated on my bill?"
// (https://repost.aws/knowledge-center/ebs-volume-charges): in a 30-day month a 30-GB volume
// for 24 hours, or a 1-GB volume for 720 hours, is one GB-month; in a 31-day month (the page's
// earlier version), 31 GB for 24 hours or 1 GB for 744 hours.
TEST_CASE("GB-months are pro-rated by the hours of the calendar month", "[billing][calendar]") {
    const std::int64_t april_1 = 1775001600;  // 2026-04-01T00:00:00Z, a 30-day month
    const std::int64_t jan_5 = 1767571200;    // 2026-01-05T00:00:00Z, in a 31-day month
    REQUIRE(calendar_month_at(april_1, 0).hours() == 720);
    REQUIRE(calendar_month_at(april_1, 0).begin == 0);
    REQUIRE(calendar_month_at(jan_5, 0).hours() == 744);
    REQUIRE(calendar_month_at(jan_5, 0).begin == -4 * 24 * kHour);
    CHECK(calendar_gb_months(30, april_1, 0, 24 * kHour) == Approx(1.0));
    CHECK(calendar_gb_months(1, april_1, 0, 720 * kHour) == Approx(1.0));
    CHECK(calendar_gb_months(31, jan_5, 0, 24 * kHour) == Approx(1.0));
    // January runs from 4 days before the start to 27 days after it.
    CHECK(calendar_month_at(jan_5, 0).end == 27 * 24 * kHour);
    CHECK(calendar_gb_months(1, jan_5, -4 * 24 * kHour, 27 * 24 * kHour) == Approx(1.0));
    double hour_a_day = 0;  // 24 GB for one hour on each of January's 31 days: 744 GB-hours
    for (int d = -4; d < 27; ++d)
        hour_a_day += calendar_gb_months(24, jan_5, d * 24 * kHour, (d * 24 + 1) * kHour);
    CHECK(hour_a_day == Approx(1.0));
    // Across a boundary: 2026-01-31T12:00Z for 24 h is 12 h of January (744 h) and 12 h of
    // February 2026 (28 days, 672 h): 30 x (12 / 744 + 12 / 672) = 0.48387 + 0.53571.
    const std::int64_t jan_31_noon = 1769860800;
    CHECK(calendar_month_at(jan_31_noon, 12 * kHour).hours() == 672);
    CHECK(calendar_gb_months(30, jan_31_noon, 0, 24 * kHour) ==
          Approx(30.0 * 12 / 744 + 30.0 * 12 / 672));

    // The ledger: a 30-GB gp3 volume for 24 hours of April bills 1 GB-month ($0.08).
    const PriceList prices = PriceList::builtin("us-east-1");
    BillingLedger ledger;
    ledger.set_calendar(april_1);
    auto id = ledger.add(ebs_gp3_charge("vol-1", 30, prices));
    ledger.start(id, 0);
    ledger.advance_to(10 * kHour);  // accrual in steps changes nothing
    ledger.stop(id, 24 * kHour);
    CHECK(ledger.line(id).usage_quantity == Approx(1.0));
    CHECK(ledger.total() == usd(0.08));
    // The same volume across the January/February boundary, accrued every 10 s.
    BillingLedger across;
    across.set_calendar(jan_31_noon);
    auto v = across.add(ebs_gp3_charge("vol-2", 30, prices));
    across.start(v, 0);
    for (SimTime t = 0; t <= 24 * kHour; t += 10 * kSecond)
        across.advance_to(t);
    across.stop(v, 24 * kHour);
    CHECK(across.line(v).usage_quantity == Approx(30.0 * 12 / 744 + 30.0 * 12 / 672));
    // A run that starts in April: the whole month is 30 GB-months whatever the day count.
    BillingLedger month;
    month.set_calendar(april_1);
    auto m = month.add(snapshot_charge("snap-1", 30, prices));
    month.start(m, 0);
    month.stop(m, 720 * kHour);
    CHECK(month.line(m).usage_quantity == Approx(30.0));
    CHECK(month.total() == usd(30 * prices.snapshot_gb_month));
}

TEST_CASE("an idle Elastic IP for 24 h costs 0.12", "[billing]") {
    CHECK(public_ipv4_hours(1, 24 * kHour) == Approx(24));

    const PriceList prices = PriceList::builtin("us-east-1");
    BillingLedger ledger;
    auto id = ledger.add(public_ipv4_charge("eipalloc-1", true, prices));
    ledger.start(id, 0);
    ledger.stop(id, 24 * kHour);
    CHECK(ledger.total() == usd(0.12));  // 24 x 0.005
    CHECK(ledger.total(LineItem::PublicIpv4) == usd(0.12));
    CHECK(ledger.line(id).spec.usage_type == "PublicIPv4:IdleAddress");
}

TEST_CASE("LCUs are the largest of the four dimensions", "[billing]") {
    CHECK(alb_lcus(30, 0, 0, 0) == Approx(1.2));          // 30 / 25
    CHECK(alb_lcus(30, 6000, 0, 0) == Approx(2));         // 6000 / 3000 beats 1.2
    CHECK(alb_lcus(0, 0, 2.5, 0) == Approx(2.5));         // 2.5 GB/h / 1 GB
    CHECK(alb_lcus(0, 0, 0.5, 0, true) == Approx(1.25));  // Lambda targets: 0.5 / 0.4
    CHECK(alb_lcus(10, 300, 0.1, 1500) == Approx(1.5));   // 1500 / 1000 rule evaluations
    // NLB, TCP: 800 new connections/s, 100,000 active connections or 1 GB/h is one NLCU, and
    // no rules: 1,600 new/s = 2; 250,000 active = 2.5; 0.5 GB/h = 0.5.
    CHECK(nlb_tcp_nlcus(800, 0, 0) == Approx(1));
    CHECK(nlb_tcp_nlcus(1600, 1000, 0.1) == Approx(2));
    CHECK(nlb_tcp_nlcus(100, 250000, 0.1) == Approx(2.5));
    CHECK(nlb_tcp_nlcus(0, 0, 0.5) == Approx(0.5));
    // The first 10 rules are free: 100 requests/s checked against 15 rules = 500 evaluations/s.
    CHECK(alb_rule_evaluations_per_s(100, 15) == Approx(500));
    CHECK(alb_rule_evaluations_per_s(100, 4) == 0);
}

TEST_CASE("LCUs are billed on the largest of the hour's averages, not of each slice",
          "[billing][lcu]") {
    // Elastic Load Balancing pricing: each hour is billed on the one dimension with the highest
    // usage in that hour. An ALB whose 10 s slices alternate for one hour (360 slices):
    //   odd slices:  50 new connections/s = 2 LCU, 0.5 GB/h processed = 0.5 LCU;
    //   even slices:  5 new connections/s = 0.2 LCU, 3 GB/h processed = 3 LCU.
    // The largest dimension of each slice, accrued slice by slice (the old rule): half the hour
    // at 2 and half at 3 = 2.5 LCU-hours, $0.020.
    // The hour's averages: new connections (50 + 5) / 2 = 27.5/s = 1.1 LCU; processed bytes
    // 180 slices x 10 s x (0.5 + 3) GB/h / 3600 = 1.75 GB in the hour = 1.75 LCU. The hour
    // bills the larger, 1.75 LCU-hours: $0.014.
    const auto connections = alb_lcu_dimensions(50, 0, 0.5, 0);
    const auto bytes = alb_lcu_dimensions(5, 0, 3, 0);
    REQUIRE(alb_lcus(50, 0, 0.5, 0) == Approx(2));  // each slice's largest
    REQUIRE(alb_lcus(5, 0, 3, 0) == Approx(3));
    HourlyCapacityUnits hours;
    double billed = 0, per_slice = 0;
    for (int k = 0; k < 360; ++k) {
        const auto& units = k % 2 == 0 ? connections : bytes;
        billed += hours.add(k * 10 * kSecond, (k + 1) * 10 * kSecond, units);
        per_slice += *std::max_element(units.begin(), units.end()) * 10 / 3600;
        CHECK(billed == Approx(hours.billed()));  // the bill grows with the hour's largest sum
    }
    CHECK(per_slice == Approx(2.5));
    CHECK(hours.sums()[0] == Approx(1.1));   // new connections
    CHECK(hours.sums()[2] == Approx(1.75));  // processed bytes
    CHECK(billed == Approx(1.75));
    const PriceList prices = PriceList::builtin("us-east-1");
    CHECK(billed * prices.alb_lcu_hour == Approx(0.014));
    // The next clock hour starts from nothing: 30 minutes of the connections' slices alone,
    // 2 LCU for half an hour, bill 1 LCU-hour (a partial hour: its usage over 3,600 s).
    const double next = hours.add(kHour, kHour + 30 * kMinute, connections);
    CHECK(hours.hour() == 1);
    CHECK(next == Approx(1.0));
}

TEST_CASE("LCU hours are clock hours: a slice across one is split, NLCUs alike", "[billing][lcu]") {
    // A run that starts 30 minutes into its UTC hour: its first clock hour ends at 30:00 of
    // the run. An NLB at 1,600 new connections/s (2 NLCU) and 0.5 GB/h (0.5 NLCU).
    HourlyCapacityUnits hours(30 * kMinute);
    const auto units = nlb_tcp_nlcu_dimensions(1600, 0, 0.5);
    CHECK(units[0] == Approx(2));
    CHECK(units[2] == Approx(0.5));
    CHECK(units[3] == 0);  // an NLB evaluates no rules
    // The slice [29:00, 29:30): 2 x 30 / 3600 = 1/60 NLCU-hour.
    double billed = hours.add(29 * kMinute, 29 * kMinute + 30 * kSecond, units);
    CHECK(billed == Approx(1.0 / 60));
    // The 1-minute slice [29:30, 30:30) is split: 30 s more in the first clock hour (which
    // closes at 2 x 60 / 3600 = 1/30) and 30 s in the next (1/60 so far).
    billed += hours.add(29 * kMinute + 30 * kSecond, 30 * kMinute + 30 * kSecond, units);
    CHECK(hours.hour() == 1);
    CHECK(hours.billed() == Approx(1.0 / 60));
    CHECK(billed == Approx(1.0 / 30 + 1.0 / 60));
    // The rest of the second clock hour, [30:30, 90:00), at 0.5 GB/h alone: its bytes come to
    // 0.5 GB (0.5 GB/h for the whole hour), against the connections' 1/60; the hour bills 0.5.
    const HourlyCapacityUnits::Units gb_only{0, 0, 0.5, 0};
    billed += hours.add(30 * kMinute + 30 * kSecond, 90 * kMinute, gb_only);
    CHECK(hours.sums()[0] == Approx(1.0 / 60));
    CHECK(hours.sums()[2] == Approx(0.5));
    CHECK(hours.billed() == Approx(0.5));
    CHECK(billed == Approx(1.0 / 30 + 0.5));
}

TEST_CASE("the ELB pricing page's ALB example: 1.08 LCUs, the processed bytes billed",
          "[billing]") {
    // Elastic Load Balancing pricing, Application Load Balancer example (us-east-1): 1 new
    // connection/s, each lasting 2 minutes; 5 requests/s; 300 KB/s processed; 60 rules.
    // Connections: 5 requests/s on connections of 5 requests held 120 s (a request every
    // 24 s, under the 60 s idle timeout).
    const LbConnections c = lb_client_connections(5, 5, 120, 60, 0);
    CHECK(c.new_per_s == Approx(1));                          // 0.04 LCU (1 / 25)
    CHECK(c.active == Approx(120));                           // 0.04 LCU (120 / 3,000)
    const double processed_gb_per_hour = 300e3 * 3600 / 1e9;  // 1.08 LCU
    CHECK(processed_gb_per_hour == Approx(1.08));
    const double rules = alb_rule_evaluations_per_s(5, 60);  // (60 - 10) x 5
    CHECK(rules == Approx(250));                             // 0.25 LCU
    CHECK(c.new_per_s / kLcuNewConnectionsPerS == Approx(0.04));
    CHECK(c.active / kLcuActiveConnectionsPerMin == Approx(0.04));
    CHECK(rules / kLcuRuleEvaluationsPerS == Approx(0.25));
    // The largest dimension is billed: 1.08 LCUs, $0.00864 an hour.
    const double lcus = alb_lcus(c.new_per_s, c.active, processed_gb_per_hour, rules);
    CHECK(lcus == Approx(1.08));
    const PriceList prices = PriceList::builtin("us-east-1");
    CHECK(lcus * prices.alb_lcu_hour == Approx(0.00864));
    // A 730-hour month: LCUs 0.00864 x 730 = $6.3072, the hours 0.0225 x 730 = $16.425.
    BillingLedger ledger;
    auto hour = ledger.add(alb_hour_charge("alb/example", prices));
    auto lcu = ledger.add(alb_lcu_charge("alb/example", prices));
    ledger.set_size(lcu, lcus, 0);
    ledger.start(hour, 0);
    ledger.start(lcu, 0);
    ledger.finish(730 * kHour);
    CHECK(ledger.line(lcu).cost == usd(6.3072));
    CHECK(ledger.line(hour).cost == usd(16.425));
    CHECK(ledger.total() == usd(22.7322));
}

TEST_CASE("connections: keep-alive, the idle timeout, and in-flight requests", "[billing]") {
    // Without keep-alive every request is a new connection, open while it is in flight.
    LbConnections c = lb_client_connections(100, 1, 0, 60, 7.5);
    CHECK(c.new_per_s == Approx(100));
    CHECK(c.active == Approx(7.5));
    // 10 requests per connection held 30 s: 10 new/s, 300 open (a request every 3 s).
    c = lb_client_connections(100, 10, 30, 60, 7.5);
    CHECK(c.new_per_s == Approx(10));
    CHECK(c.active == Approx(300));
    // Requests 120 s apart on a connection: the load balancer closes it after 60 s idle, so
    // each request opens one, open for the 60 s: 100 new/s, 6,000 open.
    c = lb_client_connections(100, 5, 600, 60, 7.5);
    CHECK(c.new_per_s == Approx(100));
    CHECK(c.active == Approx(6000));
    // A duration shorter than the requests themselves: never fewer than those in flight.
    c = lb_client_connections(100, 1, 0.01, 60, 7.5);
    CHECK(c.active == Approx(7.5));
}

TEST_CASE("an ALB for 1 h at 30 new connections/s costs 0.0225 + 1.2 x 0.008", "[billing]") {
    const PriceList prices = PriceList::builtin("us-east-1");
    BillingLedger ledger;
    auto hour = ledger.add(alb_hour_charge("alb/web", prices));
    auto lcu = ledger.add(alb_lcu_charge("alb/web", prices));
    ledger.set_size(lcu, alb_lcus(30, 0, 0, 0), 0);
    ledger.start(hour, 0);
    ledger.start(lcu, 0);
    ledger.finish(kHour);
    CHECK(ledger.line(lcu).usage_quantity == Approx(1.2));  // LCU-hours
    CHECK(ledger.total() == usd(0.0321));                   // 0.0225 + 0.0096
    CHECK(ledger.total(LineItem::LoadBalancer) == usd(0.0321));
}

TEST_CASE("a partial ALB-hour is billed as a full hour", "[billing]") {
    const PriceList prices = PriceList::builtin("us-east-1");
    BillingLedger ledger;
    auto hour = ledger.add(alb_hour_charge("alb/web", prices));
    ledger.start(hour, 0);
    ledger.stop(hour, 61 * kMinute);
    CHECK(ledger.line(hour).usage_quantity == Approx(2));  // 61 min -> 2 h
    CHECK(ledger.total() == usd(0.045));                   // 2 x 0.0225
}

TEST_CASE("RDS for 5 minutes bills the 10-minute minimum", "[billing]") {
    CHECK(rds_billable_seconds({{0, 5 * kMinute}}, false) == 600);
    CHECK(rds_billable_seconds({{0, 15 * kMinute}}, false) == 900);

    BillingLedger ledger;
    auto id = ledger.add(rds_instance_charge("db-1", "db.m5.large", 0.171, false));
    ledger.start(id, 0);
    ledger.stop(id, 5 * kMinute);
    CHECK(ledger.total() == usd(0.0285));  // 600 / 3600 x 0.171
    CHECK(ledger.total(LineItem::Rds) == usd(0.0285));
}

TEST_CASE("RDS Multi-AZ doubles the bill", "[billing]") {
    CHECK(rds_billable_seconds({{0, 5 * kMinute}}, true) == 1200);
    CHECK(rds_billable_seconds({{0, kHour}}, true) == 7200);

    BillingLedger ledger;
    auto id = ledger.add(rds_instance_charge("db-1", "db.m5.large", 0.171, true));
    ledger.start(id, 0);
    ledger.stop(id, 5 * kMinute);
    CHECK(ledger.total() == usd(0.057));  // 600 / 3600 x 0.342
    CHECK(ledger.line(id).spec.usage_type == "Multi-AZUsage:db.m5.large");
}

TEST_CASE("a Spot price change bills each stretch at its own price", "[billing]") {
    BillingLedger ledger;
    auto id = ledger.add(ec2_instance_charge("i-s", "m5.large", 0.03, true));
    ledger.start(id, 0);
    ledger.set_rate(id, 0.04, kHour);
    ledger.stop(id, 2 * kHour);
    CHECK(ledger.total(LineItem::Ec2Spot) == usd(0.07));       // 0.03 + 0.04
    CHECK(ledger.line(id).effective_rate() == Approx(0.035));  // blended
    CHECK_FALSE(ledger.line(id).uniform_rate);
}

TEST_CASE("costs accrue as simulated time passes", "[billing]") {
    const PriceList prices = PriceList::builtin("us-east-1");
    BillingLedger ledger;
    auto vm = ledger.add(ec2_instance_charge("i-1", "m5.large", 0.096, false));
    auto vol = ledger.add(ebs_gp3_charge("vol-1", 73, prices));
    ledger.start(vm, 0);
    ledger.start(vol, 0);
    // 0.096 + 73 GB x 0.08 / 730 h = 0.096 + 0.008 = 0.104 USD per hour.
    CHECK(ledger.cost_rate_per_hour() == usd(0.104));
    ledger.advance_to(30 * kMinute);
    CHECK(ledger.total() == usd(0.052));  // half an hour of both
    ledger.advance_to(kHour);
    CHECK(ledger.total() == usd(0.104));
    ledger.stop(vm, kHour);
    CHECK(ledger.cost_rate_per_hour() == usd(0.008));  // the volume stays while stopped
    ledger.finish(2 * kHour);
    CHECK(ledger.total() == usd(0.112));
    CHECK_FALSE(ledger.line(vol).running);
}

TEST_CASE("the ledger refuses misuse", "[billing]") {
    const PriceList prices = PriceList::builtin("us-east-1");
    BillingLedger ledger;
    auto vm = ledger.add(ec2_instance_charge("i-1", "m5.large", 0.096, false));
    auto nat_gb = ledger.add(nat_gateway_gb_charge("nat-1", prices));
    ledger.start(vm, s(10));
    CHECK_THROWS_AS(ledger.start(vm, s(20)), std::logic_error);
    CHECK_THROWS_AS(ledger.advance_to(s(5)), std::logic_error);
    CHECK_THROWS_AS(ledger.start(nat_gb, 0), std::logic_error);
    ledger.stop(nat_gb, s(20));  // not running: nothing happens
    CHECK(ledger.line(nat_gb).cost == 0);
}

TEST_CASE("unlimited T surplus credits cost 0.05 per vCPU-hour", "[billing]") {
    CHECK(surplus_credit_vcpu_hours(30) == Approx(0.5));  // 30 vCPU-minutes

    const PriceList prices = PriceList::builtin("us-east-1");
    BillingLedger ledger;
    auto id = ledger.add(t_unlimited_surplus_charge("i-t", "t3", prices));
    ledger.accrue(id, surplus_credit_vcpu_hours(30));
    CHECK(ledger.total(LineItem::Ec2OnDemand) == usd(0.025));  // 0.5 x 0.05
    CHECK(ledger.line(id).spec.usage_type == "CPUCredits:t3");
}

TEST_CASE("data transfer: inter-AZ both ways, internet egress in tiers", "[billing]") {
    const PriceList prices = PriceList::builtin("us-east-1");
    CHECK(inter_az_transfer_cost(prices, 10) == usd(0.2));  // 10 GB x 0.01 x 2 sides
    CHECK(internet_egress_cost(prices, 0, 50) == 0);        // inside the free 100 GB
    CHECK(internet_egress_cost(prices, 0, 200) == usd(9));  // 100 free, 100 x 0.09
    CHECK(internet_egress_cost(prices, 150, 10) == usd(0.9));
    // 10 GB either side of the 10 TB (10,240 GB) step: 10 x 0.09 + 10 x 0.085.
    CHECK(internet_egress_cost(prices, 10230, 20) == usd(1.75));
    // Above 150 TB: 0.05.
    CHECK(internet_egress_cost(prices, 200000, 100) == usd(5));

    BillingLedger ledger;
    auto out = ledger.add(internet_egress_charge("alb/web", prices));
    auto cross = ledger.add(inter_az_transfer_charge("alb/web", prices));
    auto nat = ledger.add(nat_gateway_gb_charge("nat-1", prices));
    ledger.accrue_priced(out, 200, internet_egress_cost(prices, 0, 200));
    ledger.accrue(cross, 2 * 10);  // 10 GB crossing, counted on each side
    ledger.accrue(nat, 10);        // 10 x 0.045
    CHECK(ledger.total(LineItem::DataTransfer) == usd(9.2));
    CHECK(ledger.total(LineItem::NatGateway) == usd(0.45));
    CHECK(ledger.line(out).effective_rate() == Approx(0.045));  // 9 / 200, blended
}

TEST_CASE("the built-in price lists", "[billing]") {
    const PriceList us = PriceList::builtin("us-east-1");
    CHECK(us.known());
    CHECK(us.price_list_date == "2026-01");
    CHECK(us.ebs_gp3_gb_month == 0.08);
    CHECK(us.snapshot_gb_month == 0.05);
    CHECK(us.public_ipv4_hour == 0.005);
    CHECK(us.alb_hour == 0.0225);
    CHECK(us.alb_lcu_hour == 0.008);
    CHECK(us.nat_gateway_hour == 0.045);
    CHECK(us.nat_gateway_gb == 0.045);
    CHECK(us.inter_az_gb == 0.01);
    CHECK(us.internet_egress_free_gb_month == 100);
    REQUIRE(us.internet_egress_tiers.size() == 4);
    CHECK(us.internet_egress_tiers[0].up_to_gb == 10240);
    CHECK(std::isinf(us.internet_egress_tiers.back().up_to_gb));
    CHECK(us.t_unlimited_surplus_vcpu_hour == 0.05);
    CHECK(us.rds_hourly("db.m5.large").has_value());
    CHECK_FALSE(us.rds_hourly("db.x99.huge").has_value());

    const PriceList seoul = PriceList::builtin("ap-northeast-2");
    CHECK(seoul.known());
    CHECK(seoul.ebs_gp3_gb_month == 0.0912);
    CHECK(seoul.nat_gateway_hour == 0.059);
    CHECK(seoul.internet_egress_tiers[0].usd_per_gb == 0.126);

    CHECK_FALSE(PriceList::builtin("eu-west-9").known());
}

TEST_CASE("[pricing] overrides replace figures and nothing else", "[billing]") {
    const InstanceCatalog catalog = InstanceCatalog::builtin("us-east-1");
    PriceList prices = PriceList::builtin("us-east-1");

    scenario::PricingSpec unset;  // no [pricing] table: nothing changes
    unset.ebs_gp3_gb_month = 1.0;
    prices.apply_overrides(unset);
    CHECK(prices.ebs_gp3_gb_month == 0.08);

    scenario::PricingSpec pricing;
    pricing.present = true;
    pricing.on_demand = {{"m5.large", 0.118}};
    pricing.ebs_gp3_gb_month = 0.1;
    pricing.public_ipv4_hour = 0.0;
    pricing.alb_hour = 0.03;
    pricing.alb_lcu_hour = 0.01;
    pricing.nat_gateway_hour = 0.05;
    pricing.nat_gateway_gb = 0.06;
    pricing.inter_az_gb = 0.02;
    pricing.snapshot_gb_month = 0.04;
    pricing.s3_standard_gb_month = 0.02;
    prices.apply_overrides(pricing);

    CHECK(prices.on_demand_hourly(catalog, "m5.large") == 0.118);
    CHECK(prices.on_demand_hourly(catalog, "c5.large") == 0.085);  // from the catalog
    CHECK(catalog.find("m5.large")->on_demand_hourly == 0.096);    // the catalog is untouched
    CHECK_FALSE(prices.on_demand_hourly(catalog, "x9.nope").has_value());
    CHECK(prices.ebs_gp3_gb_month == 0.1);
    CHECK(prices.public_ipv4_hour == 0.0);
    CHECK(prices.alb_hour == 0.03);
    CHECK(prices.alb_lcu_hour == 0.01);
    CHECK(prices.nat_gateway_hour == 0.05);
    CHECK(prices.nat_gateway_gb == 0.06);
    CHECK(prices.inter_az_gb == 0.02);
    CHECK(prices.snapshot_gb_month == 0.04);
    CHECK(prices.s3_standard_gb_month == 0.02);
    CHECK(prices.internet_egress_free_gb_month == 100);  // not overridable: unchanged

    // Charges built from the overridden list use the new figures: 8 GB x 0.1 for a month.
    BillingLedger ledger;
    auto vol = ledger.add(ebs_gp3_charge("vol-1", 8, prices));
    ledger.start(vol, 0);
    ledger.stop(vol, 730 * kHour);
    CHECK(ledger.total() == usd(0.8));
}

namespace {

// AWS's Fargate pricing examples: `tasks` tasks of `vcpu` vCPUs, `gb` GB and `storage_gib` of
// ephemeral storage, each running `seconds` a day for `days` days, through the ledger's
// Fargate lines; the dollars of each line by usage type, rounded to the cent as the
// examples round each line.
struct FargateMonth {
    double vcpu = 0, memory = 0, storage = 0, license = 0;
};

double cents(double usd) {
    return std::round(usd * 100) / 100;
}

FargateMonth fargate_month(const PriceList& prices, FargatePlatform platform, int tasks,
                           double vcpu, double gb, int storage_gib, double seconds, int days) {
    BillingLedger ledger;
    std::vector<BillingLedger::ChargeId> ids;
    for (int t = 0; t < tasks; ++t) {
        const std::string id = "task/" + std::to_string(t);
        ids.push_back(ledger.add(fargate_vcpu_charge(id, vcpu, prices, {}, false, platform)));
        ids.push_back(ledger.add(fargate_memory_charge(id, gb, prices, {}, false, platform)));
        if (storage_gib > kFargateFreeEphemeralGb)
            ids.push_back(ledger.add(fargate_storage_charge(
                id, storage_gib - kFargateFreeEphemeralGb, prices, {}, platform)));
        if (platform == FargatePlatform::Windows)
            ids.push_back(ledger.add(fargate_windows_license_charge(id, vcpu, prices)));
    }
    for (int d = 0; d < days; ++d)
        for (auto id : ids) {
            ledger.start(id, d * 24 * kHour);
            ledger.stop(id, d * 24 * kHour + s(seconds));
        }
    FargateMonth m;
    for (const ChargeLine& l : ledger.lines()) {
        const std::string& u = l.spec.usage_type;
        if (u.find("vCPU-Hours") != std::string::npos && u.find("-OS-") == std::string::npos)
            m.vcpu += l.cost;
        else if (u.find("-OS-") != std::string::npos)
            m.license += l.cost;
        else if (u.find("EphemeralStorage") != std::string::npos)
            m.storage += l.cost;
        else
            m.memory += l.cost;
    }
    return m;
}

}  // namespace

TEST_CASE("the Fargate pricing page's examples, to the cent", "[billing][fargate]") {
    // aws.amazon.com/fargate/pricing, "Pricing Examples", US East (N. Virginia), as the page
    // stood on 2026-12-07. Its per-second rates are the catalog's hourly ones / 3600:
    // 0.04048 / 3600 = 0.000011244, 0.004445 / 3600 = 0.000001235, 0.000111 / 3600 =
    // 0.0000000308, ARM 0.03238 / 3600 = 0.0000089944, 0.00356 / 3600 = 0.0000009889.
    const PriceList us = PriceList::builtin("us-east-1");
    REQUIRE(us.fargate_vcpu_hour == 0.04048);
    REQUIRE(us.fargate_gb_hour == 0.004445);
    REQUIRE(us.fargate_ephemeral_storage_gb_hour == 0.000111);
    REQUIRE(us.fargate_arm_vcpu_hour == 0.03238);
    REQUIRE(us.fargate_arm_gb_hour == 0.00356);

    // Example 1: 5 tasks of 1 vCPU, 2 GB and 30 GB of ephemeral storage, 600 s a day for 30
    // days, Linux/x86: 5 x 1 x 0.000011244 x 600 x 30 = $1.01; 5 x 2 x 0.000001235 x 600 x 30
    // = $0.22; 5 x (30 - 20) x 0.0000000308 x 600 x 30 = $0.03; $1.26 a month.
    const FargateMonth x86 = fargate_month(us, FargatePlatform::LinuxX86, 5, 1, 2, 30, 600, 30);
    CHECK(cents(x86.vcpu) == 1.01);
    CHECK(cents(x86.memory) == 0.22);
    CHECK(cents(x86.storage) == 0.03);
    CHECK(cents(x86.vcpu) + cents(x86.memory) + cents(x86.storage) == Approx(1.26));
    CHECK(cents(x86.vcpu + x86.memory + x86.storage) == 1.26);

    // Example 2: the same on Linux/ARM (Graviton2): $0.81 + $0.18 + $0.03 = $1.02.
    const FargateMonth arm = fargate_month(us, FargatePlatform::LinuxArm, 5, 1, 2, 30, 600, 30);
    CHECK(cents(arm.vcpu) == 0.81);
    CHECK(cents(arm.memory) == 0.18);
    CHECK(cents(arm.storage) == 0.03);
    CHECK(cents(arm.vcpu + arm.memory + arm.storage) == 1.02);

    // Example 3 (written for EKS pods, billed alike): 10 tasks of 0.25 vCPU and 1 GB, 1 hour
    // a day for 30 days: 10 x 0.25 x 0.000011244 x 3600 x 30 = $3.04; 10 x 1 x 0.000001235 x
    // 3600 x 30 = $1.33; $4.37.
    const FargateMonth small =
        fargate_month(us, FargatePlatform::LinuxX86, 10, 0.25, 1, 20, 3600, 30);
    CHECK(cents(small.vcpu) == 3.04);
    CHECK(cents(small.memory) == 1.33);
    CHECK(small.storage == 0);
    CHECK(cents(small.vcpu + small.memory) == 4.37);

    // Example 4: 10 Windows tasks of 1 vCPU and 2 GB, 1 hour a day for 30 days. The example
    // writes its rates per second as 0.0000254167 (vCPU), 0.0000127778 (OS license) and
    // 0.0000027778 (GB): $0.0915, $0.046 and $0.01 an hour. With those: 10 x 1 x 0.0000254167
    // x 3600 x 30 = $27.45, 10 x 1 x 0.0000127778 x 3600 x 30 = $13.80, 10 x 2 x 0.0000027778
    // x 3600 x 30 = $6.00; $47.25.
    PriceList example = us;
    example.fargate_windows_vcpu_hour = 0.0915;
    example.fargate_windows_gb_hour = 0.01;
    example.fargate_windows_os_vcpu_hour = 0.046;
    const FargateMonth win =
        fargate_month(example, FargatePlatform::Windows, 10, 1, 2, 20, 3600, 30);
    CHECK(cents(win.vcpu) == 27.45);
    CHECK(cents(win.license) == 13.80);
    CHECK(cents(win.memory) == 6.00);
    CHECK(cents(win.vcpu + win.license + win.memory) == 47.25);
    // The page's rate table (third-party copies of it) says $0.09148 per vCPU-hour and
    // $0.01005 per GB-hour, the catalog's figures: 300 vCPU-hours x 0.09148 = $27.44, 300 x
    // 0.046 = $13.80 and 600 GB-hours x 0.01005 = $6.03, $47.27: two cents above the example,
    // whose rates are rounded.
    REQUIRE(us.fargate_windows_vcpu_hour == 0.09148);
    REQUIRE(us.fargate_windows_gb_hour == 0.01005);
    REQUIRE(us.fargate_windows_os_vcpu_hour == 0.046);
    const FargateMonth table = fargate_month(us, FargatePlatform::Windows, 10, 1, 2, 20, 3600, 30);
    CHECK(cents(table.vcpu) == 27.44);
    CHECK(cents(table.license) == 13.80);
    CHECK(cents(table.memory) == 6.03);
}

TEST_CASE("Fargate minimums: a minute on Linux, five minutes on Windows", "[billing][fargate]") {
    // The pricing page: "per second with a 1-minute minimum"; "For Windows containers, billing
    // is calculated per second with a 5-minute minimum". A 1 vCPU, 2 GB task that runs 40 s.
    const PriceList us = PriceList::builtin("us-east-1");
    const FargateMonth linux_task =
        fargate_month(us, FargatePlatform::LinuxX86, 1, 1, 2, 20, 40, 1);
    CHECK(linux_task.vcpu == usd(60 * 0.04048 / 3600));
    CHECK(linux_task.memory == usd(2 * 60 * 0.004445 / 3600));
    // Windows for 40 s: 300 s of vCPU, license and memory: 300 / 3600 x (0.09148 + 0.046 +
    // 2 x 0.01005) = $0.0131317.
    const FargateMonth windows_task =
        fargate_month(us, FargatePlatform::Windows, 1, 1, 2, 20, 40, 1);
    CHECK(windows_task.vcpu == usd(300 * 0.09148 / 3600));
    CHECK(windows_task.license == usd(300 * 0.046 / 3600));
    CHECK(windows_task.memory == usd(2 * 300 * 0.01005 / 3600));
    CHECK(windows_task.vcpu + windows_task.license + windows_task.memory == usd(0.0131316667));
    // Past the minimum, per second: 400.2 s bills 401 s.
    const FargateMonth longer = fargate_month(us, FargatePlatform::Windows, 1, 2, 4, 20, 400.2, 1);
    CHECK(longer.vcpu == usd(2 * 401 * 0.09148 / 3600));
    CHECK(longer.license == usd(2 * 401 * 0.046 / 3600));
    // Their usage types, as the Cost and Usage Report names them.
    CHECK(fargate_vcpu_charge("t", 1, us, {}, false, FargatePlatform::Windows).usage_type ==
          "Fargate-Windows-vCPU-Hours:perCPU");
    CHECK(fargate_memory_charge("t", 1, us, {}, false, FargatePlatform::Windows).usage_type ==
          "Fargate-Windows-GB-Hours");
    CHECK(fargate_windows_license_charge("t", 1, us).usage_type ==
          "Fargate-Windows-OS-Hours:perCPU");
}

TEST_CASE("the S3 storage example: 52,900 GB-months in March", "[billing][calendar]") {
    // The S3 FAQ and the S3 User Guide ("Understanding your AWS billing and usage reports for
    // Amazon S3"): 100 GB in S3 Standard for the first 15 days of March, 100 TB for the last
    // 16: (100 x 15 x 24 + 102,400 x 16 x 24) GB-hours / 744 h = 52,900 GB-months. AWS prices
    // it $1,215.00: 51,200 GB at $0.023 (first 50 TB) and 1,700 GB at $0.022 (next 450 TB).
    // A ledger line bills one rate: 52,900 x 0.023 = $1,216.70. The cost meter moves the
    // STANDARD lines to the next tier's rate when the month reaches it (tests/test_s3.cpp,
    // "the S3 FAQ's storage example": $1,215.00).
    BillingLedger ledger;
    ledger.set_calendar(1772323200);  // 2026-03-01 00:00 UTC
    const PriceList us = PriceList::builtin("us-east-1");
    auto id = ledger.add(s3_standard_charge("bucket", 100, us));
    ledger.start(id, 0);
    ledger.set_size(id, 102400, 15 * 24 * kHour);
    ledger.stop(id, 31 * 24 * kHour);
    CHECK(ledger.line(id).usage_quantity == Approx(52900).epsilon(1e-12));
    CHECK(cents(ledger.line(id).cost) == 1216.70);
}

TEST_CASE("bill.csv rows sum to the totals by line item and by tag", "[billing]") {
    const PriceList prices = PriceList::builtin("us-east-1");
    BillingLedger ledger;
    const Tags web{{"app", "web"}, {"env", "prod"}};
    const Tags db{{"app", "db"}, {"env", "prod"}};
    auto a = ledger.add(ec2_instance_charge("i-1", "m5.large", 0.096, false, web));
    auto b = ledger.add(ec2_instance_charge("i-2", "m5.large", 0.096, false, web));
    auto v = ledger.add(ebs_gp3_charge("vol-1", 8, prices, web));
    auto ip = ledger.add(public_ipv4_charge("eipalloc-1", true, prices));
    auto rds = ledger.add(rds_instance_charge("db-1", "db.m5.large", 0.171, true, db));
    auto snap = ledger.add(snapshot_charge("snap-1", 20, prices, db));
    auto s3 = ledger.add(s3_standard_charge("logs", 100, prices));
    for (auto id : {a, b, v, ip, rds, snap, s3})
        ledger.start(id, 0);
    ledger.stop(b, s(20));  // a minimum
    ledger.finish(3 * kHour);

    // By hand: i-1 3 h x 0.096 = 0.288; i-2 60 s = 0.0016; vol 8 x 0.08 x 3/730;
    // EIP 3 x 0.005 = 0.015; RDS 3 h x 0.342 = 1.026; snapshot 20 x 0.05 x 3/730;
    // S3 100 x 0.023 x 3/730.
    const double vol_cost = 8 * 0.08 * 3 / 730;
    const double snap_cost = 20 * 0.05 * 3 / 730;
    const double s3_cost = 100 * 0.023 * 3 / 730;
    CHECK(ledger.total(LineItem::Ec2OnDemand) == usd(0.2896));
    CHECK(ledger.total(LineItem::Ebs) == usd(vol_cost));
    CHECK(ledger.total(LineItem::PublicIpv4) == usd(0.015));
    CHECK(ledger.total(LineItem::Rds) == usd(1.026));
    CHECK(ledger.total(LineItem::Snapshots) == usd(snap_cost));
    CHECK(ledger.total(LineItem::S3) == usd(s3_cost));
    CHECK(ledger.total() == usd(0.2896 + vol_cost + 0.015 + 1.026 + snap_cost + s3_cost));

    const auto tags = ledger.by_tag();
    CHECK(tags.at("app=web") == usd(0.2896 + vol_cost));
    CHECK(tags.at("app=db") == usd(1.026 + snap_cost));
    CHECK(tags.at("env=prod") == usd(0.2896 + vol_cost + 1.026 + snap_cost));
    CHECK(tags.size() == 3);  // untagged lines appear under no tag

    // The CSV: a header, one row per line, and its cost column sums back to the totals.
    std::stringstream csv(ledger.bill_csv());
    std::string line;
    REQUIRE(std::getline(csv, line));
    CHECK(line ==
          "resource_id,line_item,line_item_type,usage_type,usage_quantity,unit,rate_usd,cost_usd,"
          "tags");
    double sum = 0;
    std::array<double, kLineItemCount> by_item{};
    std::size_t rows = 0;
    while (std::getline(csv, line)) {
        const auto f = fields(line);
        REQUIRE(f.size() >= 8);
        CHECK(f[2] == "Usage");  // no commitments
        const double quantity = std::stod(f[4]);
        const double rate = std::stod(f[6]);
        const double cost = std::stod(f[7]);
        CHECK(cost == usd(quantity * rate));  // every row is quantity x rate
        sum += cost;
        for (LineItem item : kLineItems)
            if (f[1] == to_string(item)) by_item[static_cast<std::size_t>(item)] += cost;
        ++rows;
    }
    CHECK(rows == ledger.size());
    CHECK(sum == ledger.total());  // shortest exact numbers: the same doubles, the same sum
    const auto totals = ledger.by_line_item();
    for (std::size_t i = 0; i < kLineItemCount; ++i)
        CHECK(by_item[i] == totals[i]);

    // Two rows spelled out.
    const std::string text = ledger.bill_csv();
    CHECK(text.find("\ni-1,ec2_on_demand,Usage,BoxUsage:m5.large,3,Hrs,0.096,") !=
          std::string::npos);
    CHECK(text.find("\neipalloc-1,public_ipv4,Usage,PublicIPv4:IdleAddress,3,Hrs,0.005,0.015,\n") !=
          std::string::npos);
}

TEST_CASE("bill.csv quotes fields that need it", "[billing]") {
    BillingLedger ledger;
    ledger.add(ec2_instance_charge("i-1", "m5.large", 0.096, false,
                                   {{"Name", "web, blue"}, {"team", "a\"b"}}));
    const std::string text = ledger.bill_csv();
    CHECK(text.find(",\"Name=web, blue;team=a\"\"b\"\n") != std::string::npos);
}

// ECR storage and Container Insights (docs/pricing.md, "ECR and Container Insights"), from
// the us-east-1 list: ECR $0.10 per GB-month, a custom metric $0.30 per metric-month, log
// ingestion $0.50 per GB, inter-region transfer out $0.02 per GB; November 2026 has 720 hours.
TEST_CASE("ECR storage and Container Insights lines, by hand", "[billing][calendar]") {
    const std::int64_t nov_1 = 1793491200;  // 2026-11-01T00:00:00Z
    const PriceList prices = PriceList::builtin("us-east-1");
    REQUIRE(prices.ecr_storage_gb_month == 0.10);
    REQUIRE(prices.cloudwatch_metric_month == 0.30);
    REQUIRE(prices.cloudwatch_logs_gb == 0.50);
    REQUIRE(prices.ecr_inter_region_gb == 0.02);
    REQUIRE(calendar_month_at(nov_1, 0).hours() == 720);
    BillingLedger ledger;
    ledger.set_calendar(nov_1);
    // A 2,300 MB image kept 10 days: 2.3 x 240 / 720 = 0.7667 GB-months, $0.0767.
    const auto image = ledger.add(ecr_storage_charge("ecr/shop:v1", 2.3, prices));
    CHECK(ledger.line(image).spec.line_item == LineItem::Ecr);
    CHECK(ledger.line(image).spec.usage_type == "TimedStorage-ByteHrs");
    ledger.start(image, 0);
    // 73 metrics (a cluster, 3 services, 3 families: 10 + 39 + 24) for 10 days: 24.333
    // metric-months, $7.30.
    const auto metrics =
        ledger.add(container_insights_metrics_charge("containerinsights/shop", 73, prices));
    CHECK(ledger.line(metrics).spec.line_item == LineItem::CloudWatch);
    CHECK(ledger.line(metrics).spec.unit == PricingUnit::MetricMonth);
    ledger.start(metrics, 0);
    // 16 events of 1,000 bytes a minute for 14,400 minutes: 0.2304 GB, $0.1152.
    const auto logs = ledger.add(container_insights_logs_charge("containerinsights/shop", prices));
    ledger.accrue(logs, 16 * 1000.0 * 14400 / 1e9);
    // 400 pulls of 2.3 GB from another region's repository: 920 GB x 0.02 = $18.40.
    const auto transfer = ledger.add(ecr_cross_region_charge("ecr/shop:v1", 0.02));
    CHECK(ledger.line(transfer).spec.line_item == LineItem::DataTransfer);
    ledger.accrue(transfer, 400 * 2.3);
    ledger.finish(240 * kHour);
    CHECK(ledger.line(image).usage_quantity == Approx(2.3 * 240 / 720));
    CHECK(ledger.total(LineItem::Ecr) == Approx(0.0766667).epsilon(1e-5));
    CHECK(ledger.line(metrics).usage_quantity == Approx(73.0 * 240 / 720));
    CHECK(ledger.line(metrics).cost == Approx(7.30).epsilon(1e-9));
    CHECK(ledger.line(logs).cost == Approx(0.1152).epsilon(1e-9));
    CHECK(ledger.total(LineItem::CloudWatch) == Approx(7.30 + 0.1152).epsilon(1e-9));
    CHECK(ledger.total(LineItem::DataTransfer) == Approx(18.40).epsilon(1e-9));

    // CloudWatch prorates a metric by the hour: 90 minutes of 10 metrics bill 2 hours,
    // 10 x 2 / 720 metric-months.
    BillingLedger partial;
    partial.set_calendar(nov_1);
    const auto m =
        partial.add(container_insights_metrics_charge("containerinsights/a", 10, prices));
    partial.start(m, 0);
    partial.finish(90 * kMinute);
    CHECK(partial.line(m).usage_quantity == Approx(10.0 * 2 / 720));
    CHECK(partial.total() == Approx(10.0 * 2 / 720 * 0.30).epsilon(1e-12));
}

TEST_CASE("line item names are the summary's keys", "[billing]") {
    std::vector<std::string> names;
    for (LineItem item : kLineItems)
        names.emplace_back(to_string(item));
    CHECK(names == std::vector<std::string>{"ec2_on_demand", "ec2_spot", "ebs", "public_ipv4",
                                            "load_balancer", "nat_gateway", "data_transfer", "rds",
                                            "snapshots", "s3", "fargate", "vpc_endpoint", "ecr",
                                            "cloudwatch"});
    CHECK(to_string(PricingUnit::MetricMonth) == "Metrics");
    CHECK(is_monthly(PricingUnit::MetricMonth));
    CHECK(to_string(PricingUnit::GbMonth) == "GB-Mo");
    CHECK(to_string(PricingUnit::LcuHrs) == "LCU-Hrs");
}

}  // namespace test_billing
