#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sim/cloud/billing.hpp"
#include "sim/cloud/database.hpp"
#include "sim/core/random.hpp"
#include "sim/core/simulation.hpp"
#include "sim/report/recorder.hpp"
#include "sim/scenario/price_list.hpp"
#include "world_support.hpp"

namespace test_database {

using namespace stratus;
using namespace stratus::cloud;
using namespace stratus::scenario;

// Zones 0, 1, 2 stand for us-east-1a, b, c; a Multi-AZ standby sits in the next zone (1).
namespace {

const std::vector<std::string> kZones = {"us-east-1a", "us-east-1b", "us-east-1c"};

scenario::DbInstanceSpec db_spec(bool multi_az, scenario::DurationDist failover) {
    scenario::DbInstanceSpec d;
    d.identifier = "orders";
    d.instance_class = "db.m5.large";
    d.multi_az = multi_az;
    d.availability_zone = "us-east-1a";
    d.allocated_storage = 100;
    d.failover_time = failover;
    return d;
}

scenario::DbInstanceSpec db_spec(bool multi_az, SimTime failover = 90 * kSecond) {
    return db_spec(multi_az, scenario::DurationDist::constant(failover));
}

struct Rig {
    Simulation sim;
    report::Recorder recorder;
    DbInstance db;

    explicit Rig(scenario::DbInstanceSpec spec, std::uint64_t seed = 7)
        : db(spec, 0, 1, RandomStream(seed, "rds/" + spec.identifier), sim, recorder, kZones) {}

    // Runs to `t`, then does `f` at t.
    template <class F>
    void at(SimTime t, F f) {
        sim.run_until(t);
        f();
    }
    std::vector<std::string> types() const {
        std::vector<std::string> out;
        for (const auto& r : recorder.log().records())
            out.push_back(to_string(r.kind()));
        return out;
    }
    // The i-th event as events.jsonl writes it.
    testing::JsonEvent event(std::size_t i) const {
        return testing::json_event(recorder.log().records().at(i));
    }
};

// The time in [0, end) the instance answers, sampled each second.
SimTime reachable_seconds(Rig& rig, SimTime end) {
    SimTime up = 0;
    for (SimTime t = 0; t < end; t += kSecond) {
        rig.sim.run_until(t);
        if (rig.db.reachable()) up += kSecond;
    }
    return up;
}

}  // namespace

TEST_CASE("Single-AZ: down for exactly the AZ outage", "[database]") {
    Rig rig(db_spec(false));
    REQUIRE(rig.db.reachable());
    REQUIRE(rig.db.standby_zone() == -1);
    REQUIRE_FALSE(rig.db.has_standby());
    rig.at(100 * kSecond, [&] { rig.db.zone_failed(0); });
    CHECK(rig.db.state() == DbState::Unavailable);
    CHECK_FALSE(rig.db.reachable());
    rig.at(1000 * kSecond, [&] { CHECK_FALSE(rig.db.reachable()); });
    rig.at(1900 * kSecond, [&] { rig.db.zone_recovered(0); });
    CHECK(rig.db.reachable());
    CHECK(rig.db.primary_zone() == 0);
    CHECK(rig.db.downtime() == 1800 * kSecond);
    CHECK(rig.types() == std::vector<std::string>{"db_unavailable", "db_available"});
    const auto first = rig.event(0);
    CHECK(first.t == 100 * kSecond);
    CHECK(first.subjects["db_instance"] == "orders");
    CHECK(first.subjects["availability_zone"] == "us-east-1a");
    CHECK(first.subjects["cause"] == "az_outage");
    CHECK(rig.event(1).t == 1900 * kSecond);
}

TEST_CASE("Single-AZ: an outage of another AZ has no effect", "[database]") {
    Rig rig(db_spec(false));
    rig.at(10 * kSecond, [&] { rig.db.zone_failed(1); });
    CHECK(rig.db.reachable());
    rig.at(20 * kSecond, [&] { rig.db.zone_recovered(1); });
    CHECK(rig.db.reachable());
    CHECK(rig.recorder.log().records().empty());
}

TEST_CASE("Multi-AZ: unreachable for exactly the failover time, then in the other AZ",
          "[database]") {
    Rig rig(db_spec(true, 90 * kSecond));
    REQUIRE(rig.db.has_standby());
    REQUIRE(rig.db.standby_zone() == 1);
    rig.at(100 * kSecond, [&] { rig.db.zone_failed(0); });
    CHECK(rig.db.state() == DbState::FailingOver);
    rig.sim.run_until(190 * kSecond - 1);
    CHECK_FALSE(rig.db.reachable());
    rig.sim.run_until(190 * kSecond);
    CHECK(rig.db.reachable());
    CHECK(rig.db.primary_zone() == 1);
    // The old primary's zone will hold the standby, but it is down: no standby for now.
    CHECK(rig.db.standby_zone() == 0);
    CHECK_FALSE(rig.db.has_standby());
    CHECK(rig.db.downtime() == 90 * kSecond);
    CHECK(rig.types() == std::vector<std::string>{"db_failover_started", "db_failover_completed"});
    const auto started = rig.event(0);
    CHECK(started.subjects["from_availability_zone"] == "us-east-1a");
    CHECK(started.subjects["to_availability_zone"] == "us-east-1b");
    CHECK(started.subjects["cause"] == "az_outage");
    const auto done = rig.event(1);
    CHECK(done.t == 190 * kSecond);
    CHECK(done.subjects["availability_zone"] == "us-east-1b");
    CHECK(done.subjects["standby_availability_zone"].is_null());
    // The old AZ recovers: it hosts the standby, and service never noticed.
    rig.at(2000 * kSecond, [&] { rig.db.zone_recovered(0); });
    CHECK(rig.db.reachable());
    CHECK(rig.db.has_standby());
    CHECK(rig.db.primary_zone() == 1);
    CHECK(rig.types().size() == 2);
    CHECK(rig.db.failovers_completed() == 1);
}

TEST_CASE("Multi-AZ: a standby-AZ outage does not interrupt service", "[database]") {
    Rig rig(db_spec(true));
    rig.at(100 * kSecond, [&] { rig.db.zone_failed(1); });
    CHECK(rig.db.reachable());
    CHECK(rig.db.primary_zone() == 0);
    CHECK_FALSE(rig.db.has_standby());
    CHECK(reachable_seconds(rig, 3600 * kSecond) == 3600 * kSecond);
    rig.db.zone_recovered(1);
    CHECK(rig.db.has_standby());
    CHECK(rig.recorder.log().records().empty());
    CHECK(rig.db.downtime() == 0);
}

TEST_CASE("Multi-AZ: both AZs down, the instance is unavailable until one comes back",
          "[database]") {
    Rig rig(db_spec(true, 90 * kSecond));
    rig.at(10 * kSecond, [&] { rig.db.zone_failed(1); });
    rig.at(20 * kSecond, [&] { rig.db.zone_failed(0); });
    CHECK(rig.db.state() == DbState::Unavailable);
    // The standby's zone comes back first: the instance fails over to it.
    rig.at(500 * kSecond, [&] { rig.db.zone_recovered(1); });
    CHECK(rig.db.state() == DbState::FailingOver);
    rig.sim.run_until(590 * kSecond);
    CHECK(rig.db.reachable());
    CHECK(rig.db.primary_zone() == 1);
    CHECK(rig.db.downtime() == 570 * kSecond);
    CHECK(rig.types() == std::vector<std::string>{"db_unavailable", "db_failover_started",
                                                  "db_failover_completed"});
}

TEST_CASE("db_failover fault: Multi-AZ switches AZ, Single-AZ reboots in place", "[database]") {
    SECTION("Multi-AZ") {
        Rig rig(db_spec(true, 60 * kSecond));
        rig.at(50 * kSecond, [&] { rig.db.force_failover(); });
        CHECK_FALSE(rig.db.reachable());
        rig.db.force_failover();  // ignored while failing over
        rig.sim.run_until(110 * kSecond);
        CHECK(rig.db.reachable());
        CHECK(rig.db.primary_zone() == 1);
        CHECK(rig.db.standby_zone() == 0);
        CHECK(rig.db.has_standby());  // zone 0 never failed
        CHECK(rig.db.failovers_started() == 1);
        CHECK(rig.event(0).subjects["cause"] == "db_failover");
        CHECK(rig.event(0).subjects["in_place"] == false);
    }
    SECTION("Single-AZ") {
        Rig rig(db_spec(false, 60 * kSecond));
        rig.at(50 * kSecond, [&] { rig.db.force_failover(); });
        CHECK(rig.db.state() == DbState::FailingOver);
        rig.sim.run_until(110 * kSecond - 1);
        CHECK_FALSE(rig.db.reachable());
        rig.sim.run_until(110 * kSecond);
        CHECK(rig.db.reachable());
        CHECK(rig.db.primary_zone() == 0);
        CHECK(rig.db.downtime() == 60 * kSecond);
        CHECK(rig.event(0).subjects["in_place"] == true);
        CHECK(rig.types() ==
              std::vector<std::string>{"db_failover_started", "db_failover_completed"});
    }
    SECTION("Single-AZ: its AZ fails during the reboot") {
        Rig rig(db_spec(false, 60 * kSecond));
        rig.at(50 * kSecond, [&] { rig.db.force_failover(); });
        rig.at(70 * kSecond, [&] { rig.db.zone_failed(0); });
        CHECK(rig.db.state() == DbState::Unavailable);
        rig.sim.run_until(500 * kSecond);  // the cancelled reboot does not bring it back
        CHECK_FALSE(rig.db.reachable());
        rig.db.zone_recovered(0);
        CHECK(rig.db.reachable());
        CHECK(rig.db.downtime() == 450 * kSecond);
    }
}

TEST_CASE("Multi-AZ: a second outage, of the new primary's AZ, fails back", "[database]") {
    Rig rig(db_spec(true, 90 * kSecond));
    rig.at(100 * kSecond, [&] { rig.db.zone_failed(0); });
    rig.at(1000 * kSecond, [&] { rig.db.zone_recovered(0); });
    REQUIRE(rig.db.primary_zone() == 1);
    REQUIRE(rig.db.has_standby());
    rig.at(2000 * kSecond, [&] { rig.db.zone_failed(1); });
    CHECK(rig.db.state() == DbState::FailingOver);
    rig.sim.run_until(2090 * kSecond);
    CHECK(rig.db.reachable());
    CHECK(rig.db.primary_zone() == 0);
    CHECK(rig.db.standby_zone() == 1);
    CHECK_FALSE(rig.db.has_standby());
    CHECK(rig.db.failovers_completed() == 2);
    CHECK(rig.db.downtime() == 180 * kSecond);
    const auto back = rig.event(2);
    CHECK(back.subjects["from_availability_zone"] == "us-east-1b");
    CHECK(back.subjects["to_availability_zone"] == "us-east-1a");
}

TEST_CASE("Failover times are drawn from the instance's own stream: deterministic", "[database]") {
    scenario::DurationDist uniform;
    uniform.kind = scenario::DistKind::Uniform;
    uniform.min = 60 * kSecond;
    uniform.max = 120 * kSecond;
    auto run = [&](std::uint64_t seed) {
        Rig rig(db_spec(true, uniform), seed);
        std::vector<SimTime> downs;
        for (int k = 0; k < 5; ++k) {
            const SimTime t = (k + 1) * 1000 * kSecond;
            rig.at(t, [&] { rig.db.force_failover(); });
            rig.sim.run_until(t + 500 * kSecond);
            downs.push_back(rig.db.downtime());
        }
        return downs;
    };
    const auto a = run(42);
    CHECK(a == run(42));
    CHECK(a != run(43));
    SimTime prev = 0;
    for (SimTime d : a) {
        CHECK(d - prev >= 60 * kSecond);
        CHECK(d - prev <= 120 * kSecond);
        prev = d;
    }
}

TEST_CASE("Billing line: Multi-AZ at twice the class price, 10-minute minimum", "[database]") {
    const PriceList prices = PriceList::builtin("us-east-1");
    const double hourly = *prices.rds_hourly("db.m5.large");
    Simulation sim;
    report::Recorder recorder;
    DbInstance single(db_spec(false), 0, 1, RandomStream(1, "rds/orders"), sim, recorder);
    DbInstance multi(db_spec(true), 0, 1, RandomStream(1, "rds/orders"), sim, recorder);

    const ChargeSpec s = single.billing_line(prices);
    const ChargeSpec m = multi.billing_line(prices);
    CHECK(s.line_item == LineItem::Rds);
    CHECK(s.rate == Approx(hourly));
    CHECK(m.rate == Approx(2 * hourly));
    CHECK(m.usage_type == "Multi-AZUsage:db.m5.large");
    CHECK(m.resource_id == "db:orders");
    CHECK(m.minimum == 10 * kMinute);

    // A 5-minute run bills 10 minutes; Multi-AZ counts the standby's too.
    const std::vector<RunInterval> short_run = {{0, 5 * kMinute}};
    CHECK(rds_billable_seconds(short_run, false) == Approx(600));
    CHECK(rds_billable_seconds(short_run, true) == Approx(1200));
    // The ledger applies the same minimum to the line.
    BillingLedger ledger;
    const auto id = ledger.add(m);
    ledger.start(id, 0);
    ledger.stop(id, 5 * kMinute);
    CHECK(ledger.line(id).cost == Approx(2 * hourly * 600.0 / 3600.0));

    const ChargeSpec st = multi.storage_billing_line(prices);
    CHECK(st.unit == PricingUnit::GbMonth);
    CHECK(st.size == 100);
    CHECK(st.rate == Approx(2 * prices.rds_gp2_gb_month));

    scenario::DbInstanceSpec unknown = db_spec(false);
    unknown.instance_class = "db.x99.huge";
    DbInstance odd(unknown, 0, 1, RandomStream(1, "rds/orders"), sim, recorder);
    CHECK_THROWS_AS(odd.billing_line(prices), std::invalid_argument);
}

}  // namespace test_database
