// Spot through whole runs: a mixed instances policy splits a group between On-Demand and Spot
// and picks Spot pools by its allocation strategy; spot_interruption faults send 2-minute
// notices; Capacity Rebalancing launches before terminating; Spot lines are billed at the pool's
// price, and not at all when EC2 interrupts an instance in its first hour. Every figure is worked
// out by hand in the comment beside it, after the EC2 Auto Scaling User Guide
// (InstancesDistribution, Capacity Rebalancing) and the EC2 Spot Instances guide.
//
// The pools are listed with `monthly_rate = 0` unless a test wants EC2's own interruptions, so
// that the only interruptions are the faults' and every time is exact.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "sim/cloud/billing.hpp"
#include "sim/cloud/spot_market.hpp"
#include "sim/cloud/world.hpp"
#include "sim/report/outputs.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/loader.hpp"
#include "support.hpp"

namespace test_spot_run {

using namespace stratus;
using cloud::ChargeLine;
using cloud::LineItem;
namespace fs = std::filesystem;

namespace {

// Sums of cents accrued slice by slice: a relative 1e-9 is far below a cent.
Approx usd(double v) {
    return Approx(v).epsilon(1e-9).margin(1e-12);
}

struct Ev {
    double t = 0;  // seconds
    nlohmann::ordered_json e;
    std::string str(const char* k) const { return e.contains(k) ? e[k].get<std::string>() : ""; }
};

struct Run {
    std::unique_ptr<report::Run> run;
    cloud::World* world = nullptr;  // run's
    nlohmann::ordered_json summary;
    std::vector<Ev> events;
    const cloud::BillingLedger& ledger() const { return world->cost().ledger(); }
    cloud::AutoScalingGroup& group() const { return *world->groups()[0]; }

    // Events of a type, optionally about one instance only.
    std::vector<Ev> of(const std::string& type, const std::string& instance = "") const {
        std::vector<Ev> out;
        for (const Ev& e : events)
            if (e.e["type"] == type && (instance.empty() || e.str("instance") == instance))
                out.push_back(e);
        return out;
    }
    std::vector<Ev> launches() const {
        std::vector<Ev> out;
        for (const Ev& e : of("autoscaling_activity"))
            if (e.str("description").rfind("Launching", 0) == 0) out.push_back(e);
        return out;
    }
    std::vector<Ev> terminations() const {
        std::vector<Ev> out;
        for (const Ev& e : of("autoscaling_activity"))
            if (e.str("description").rfind("Terminating", 0) == 0) out.push_back(e);
        return out;
    }
    const cloud::Instance* instance(const std::string& name) const {
        for (std::uint32_t i = 0; i < world->fleet().size(); ++i)
            if (world->fleet()[i].name() == name) return &world->fleet()[i];
        return nullptr;
    }
};

std::unique_ptr<Run> start(const scenario::Spec& spec) {
    REQUIRE(scenario::unsupported_features(spec).empty());
    auto r = std::make_unique<Run>();
    r->run = std::make_unique<report::Run>(spec);
    r->world = &r->run->world();
    return r;
}

void finish(Run& r) {
    r.world->run();
    r.summary = report::make_summary(*r.run);
    for (const auto& rec : r.run->recorder().log().records()) {
        nlohmann::ordered_json j = report::event_subjects(rec);
        j["type"] = cloud::to_string(rec.kind());
        r.events.push_back({to_seconds(rec.t), j});
    }
}

std::unique_ptr<Run> run_spec(const scenario::Spec& spec) {
    auto r = start(spec);
    finish(*r);
    return r;
}

// The EC2 line of an instance (BoxUsage or SpotUsage); fails the test when there is none.
const ChargeLine& ec2_line(const Run& r, const std::string& instance) {
    for (const ChargeLine& l : r.ledger().lines())
        if (l.spec.resource_id == instance &&
            (l.spec.line_item == LineItem::Ec2Spot || l.spec.line_item == LineItem::Ec2OnDemand))
            return l;
    FAIL("no EC2 bill line for " << instance);
    throw;  // not reached
}

scenario::SpotPoolSpec pool(const std::string& type, double price, double monthly_rate,
                            const std::string& az = "us-east-1a") {
    scenario::SpotPoolSpec p;
    p.instance_type = type;
    p.availability_zone = az;
    p.price_model = scenario::SpotPriceModel::Constant;
    p.price_params["price"] = price;
    p.monthly_rate = monthly_rate;
    return p;
}

// basic_spec's group, in us-east-1a only, no traffic, with a mixed instances policy of the given
// base and percentage over m5.large; its Spot pool costs $0.03/h and is never interrupted by EC2.
scenario::Spec spot_spec(int desired, int base = 0, double percentage = 0) {
    auto s = testing::basic_spec(desired, 0);
    s.autoscaling_group[0].availability_zones = {"us-east-1a"};
    scenario::MixedInstancesPolicySpec mip;
    mip.on_demand_base_capacity = base;
    mip.on_demand_percentage_above_base_capacity = percentage;
    mip.instance_types = {"m5.large"};
    s.autoscaling_group[0].mixed_instances_policy = mip;
    s.spot.present = true;
    s.spot.pool.push_back(pool("m5.large", 0.03, 0));
    return s;
}

scenario::FaultSpec wave(SimTime at, double fraction) {
    scenario::FaultSpec f;
    f.type = scenario::FaultType::SpotInterruption;
    f.target = "web";
    f.at = at;
    f.fraction = fraction;
    return f;
}

int count_at(const std::vector<Ev>& evs, double t) {
    return static_cast<int>(
        std::count_if(evs.begin(), evs.end(), [&](const Ev& e) { return e.t == t; }));
}

}  // namespace

TEST_CASE("spot run: a wave gives ceil(fraction x N) notices, each instance goes 120 s later",
          "[spot_run]") {
    // 5 Spot Instances (base 0, 0 % On-Demand) from t = 0; a wave takes half at 600 s:
    // ceil(0.5 x 5) = ceil(2.5) = 3 notices at 600 s, 3 interruptions at 600 + 120 = 720 s, 3
    // replacements launched at 720 s (boot 0: in service at once), back to 5 in service.
    auto spec = spot_spec(5);
    spec.simulation.duration = 1200 * kSecond;
    spec.fault.push_back(wave(600 * kSecond, 0.5));
    auto r = start(spec);
    r->world->run_until(700 * kSecond);
    // During the notice the instances still serve.
    CHECK(r->group().in_service_count() == 5);
    finish(*r);

    const auto notices = r->of("spot_interruption_notice");
    REQUIRE(notices.size() == 3);
    for (const Ev& n : notices) {
        INFO(n.e.dump());
        CHECK(n.t == 600);
        CHECK(n.e["interruption_at_s"].get<double>() == 720);
        const auto gone = r->of("spot_interruption", n.str("instance"));
        REQUIRE(gone.size() == 1);
        CHECK(gone[0].t == 720);
        const auto term = r->of("instance_terminated", n.str("instance"));
        REQUIRE(term.size() == 1);
        CHECK(term[0].t == 720);
        const cloud::Instance* inst = r->instance(n.str("instance"));
        REQUIRE(inst);
        CHECK(inst->terminated_at() == 720 * kSecond);
        CHECK(inst->spot_interrupted());
    }
    // Three distinct instances.
    CHECK(notices[0].str("instance") != notices[1].str("instance"));
    CHECK(notices[0].str("instance") != notices[2].str("instance"));
    CHECK(notices[1].str("instance") != notices[2].str("instance"));
    CHECK(r->of("spot_interruption").size() == 3);

    // 5 launches at 0, then 3 replacements at 720 s, all Spot, each naming a lost instance.
    const auto launches = r->launches();
    REQUIRE(launches.size() == 8);
    CHECK(count_at(launches, 0) == 5);
    CHECK(count_at(launches, 720) == 3);
    for (const Ev& l : launches)
        CHECK(l.str("market") == "spot");
    for (const Ev& l : launches)
        if (l.t == 720) CHECK_THAT(l.str("cause"), Catch::Contains("Spot interruption"));
    CHECK(count_at(r->of("instance_in_service"), 720) == 3);
    CHECK(r->group().in_service_count() == 5);
    CHECK(r->summary["instances"]["spot_interruptions"] == 3);
    CHECK(r->summary["instances"]["launched"] == 8);

    // A second wave with fraction 0.1 of 5 takes ceil(0.5) = 1.
    auto small = spot_spec(5);
    small.simulation.duration = 900 * kSecond;
    small.fault.push_back(wave(300 * kSecond, 0.1));
    const auto s = run_spec(small);
    CHECK(s->of("spot_interruption_notice").size() == 1);
    CHECK(s->summary["instances"]["spot_interruptions"] == 1);
}

TEST_CASE("spot run: EC2 interrupting in the first hour charges nothing, after it per second",
          "[spot_run]") {
    // One Spot m5.large at $0.03/h. Wave 1 at 1680 s: i-0001 (launched at 0) goes at 1800 s,
    // 30 min after launch: no charge. Its replacement i-0002 starts at 1800 s; wave 2 at
    // 1800 + 7200 - 120 = 8880 s takes it at 9000 s, 2 h after launch: 2 x 0.03 = $0.06.
    // i-0003 runs from 9000 s to the end at 10800 s: 0.5 h x 0.03 = $0.015.
    auto spec = spot_spec(1);
    spec.simulation.duration = 10800 * kSecond;
    spec.fault.push_back(wave(1680 * kSecond, 1.0));
    spec.fault.push_back(wave(8880 * kSecond, 1.0));
    const auto r = run_spec(spec);
    REQUIRE(r->summary["instances"]["launched"] == 3);
    REQUIRE(r->of("spot_interruption").size() == 2);
    CHECK(r->of("spot_interruption", "i-0001").at(0).t == 1800);
    CHECK(r->of("spot_interruption", "i-0002").at(0).t == 9000);

    const ChargeLine& first = ec2_line(*r, "i-0001");
    CHECK(first.spec.line_item == LineItem::Ec2Spot);
    CHECK(first.spec.usage_type == "SpotUsage:m5.large");
    CHECK(first.cost == 0);
    CHECK(first.usage_quantity == usd(0.5));  // the usage stays on the bill, at no cost
    const ChargeLine& second = ec2_line(*r, "i-0002");
    CHECK(second.usage_quantity == usd(2.0));
    CHECK(second.cost == usd(0.06));
    CHECK(ec2_line(*r, "i-0003").cost == usd(0.015));
    CHECK(r->ledger().total(LineItem::Ec2Spot) == usd(0.075));
    CHECK(r->ledger().total(LineItem::Ec2OnDemand) == 0);
    CHECK(r->summary["cost_usd"]["by_line_item"]["ec2_spot"].get<double>() ==
          Approx(0.075).margin(1e-6));
}

TEST_CASE("spot run: a Spot Instance the group terminates in its first hour pays per second",
          "[spot_run]") {
    // Two Spot m5.large at $0.03/h from 0; at 1200 s desired drops from 2 to 1 and, with no
    // deregistration delay, one instance is terminated at once: the group, not EC2, ended it,
    // so it pays 1200 s x 0.03 / 3600 = $0.01. The other runs the hour: $0.03. Total $0.04.
    auto spec = spot_spec(2);
    spec.simulation.duration = 3600 * kSecond;
    spec.autoscaling_group[0].min_size = 1;
    spec.target_group[0].deregistration_delay = 0;
    auto r = start(spec);
    r->world->run_until(1200 * kSecond);
    r->group().set_desired_capacity(1, "a test scales in");
    finish(*r);
    REQUIRE(r->terminations().size() == 1);
    const std::string gone = r->terminations()[0].str("instance");
    const std::string kept = gone == "i-0001" ? "i-0002" : "i-0001";
    REQUIRE(r->instance(gone));
    CHECK(r->instance(gone)->terminated_at() == 1200 * kSecond);
    CHECK_FALSE(r->instance(gone)->spot_interrupted());
    CHECK(r->of("spot_interruption").empty());
    CHECK(ec2_line(*r, gone).spec.line_item == LineItem::Ec2Spot);
    CHECK(ec2_line(*r, gone).usage_quantity == usd(1200.0 / 3600));
    CHECK(ec2_line(*r, gone).cost == usd(0.01));
    CHECK(ec2_line(*r, kept).cost == usd(0.03));
    CHECK(r->ledger().total(LineItem::Ec2Spot) == usd(0.04));
}

TEST_CASE("spot run: a constant-price pool bills exactly hours x price", "[spot_run]") {
    // Three Spot m5.large at $0.03/h for 2 h: 3 x 2 x 0.03 = $0.18; each line 2 h at $0.03.
    auto spec = spot_spec(3);
    spec.simulation.duration = 2 * kHour;
    const auto r = run_spec(spec);
    for (const char* name : {"i-0001", "i-0002", "i-0003"}) {
        INFO(name);
        const ChargeLine& l = ec2_line(*r, name);
        CHECK(l.spec.line_item == LineItem::Ec2Spot);
        CHECK(l.spec.rate == 0.03);
        CHECK(l.usage_quantity == usd(2.0));
        CHECK(l.cost == usd(0.06));
    }
    CHECK(r->ledger().total(LineItem::Ec2Spot) == usd(0.18));
    CHECK(r->summary["instances"]["instance_hours"]["spot"].get<double>() == Approx(6.0));
    CHECK(r->summary["instances"]["instance_hours"]["on_demand"].get<double>() == 0);
    // The human summary counts Spot hours too.
    const std::string human = report::human_summary(*r->run, r->summary, "out");
    CHECK(human.find("6.00 instance-hours (0.00 On-Demand, 6.00 Spot)") != std::string::npos);
}

namespace {

// A scenario of 2 Spot m5.large for 2 h whose only pool follows a price trace, written with the
// trace's CSV into a fresh temporary folder and loaded from the file (the trace's path is
// relative to the scenario's folder).
std::unique_ptr<Run> run_trace(const std::string& tag, const std::string& csv) {
    // A folder of its own (mkdtemp): another run of the suite on the machine may be here too.
    const fs::path dir = testing::make_temp_dir("stratus-spot-run-" + tag);
    testing::write_file((dir / "m5-1a.csv").string(), csv);
    testing::write_file((dir / "trace.toml").string(), R"(
[simulation]
name = "spot-trace"
duration = "2h"

[region]
name = "us-east-1"
availability_zones = ["us-east-1a"]

[[launch_template]]
name = "web"
instance_type = "m5.large"
boot_time = "0s"
app_start_time = "0s"

[[autoscaling_group]]
name = "web"
launch_template = "web"
min_size = 2
max_size = 2
mixed_instances_policy = { on_demand_base_capacity = 0, on_demand_percentage_above_base_capacity = 0, instance_types = ["m5.large"] }

[[spot.pool]]
instance_type = "m5.large"
availability_zone = "us-east-1a"
price = { model = "trace", file = "m5-1a.csv" }
interruption = { monthly_rate = 0 }
)");
    const auto spec = scenario::load_file((dir / "trace.toml").string());
    auto r = run_spec(spec);
    fs::remove_all(dir);
    return r;
}

}  // namespace

TEST_CASE("spot run: a trace pool bills the time-weighted price", "[spot_run]") {
    // $0.02 on [0, 30 min), $0.04 on [30 min, 90 min), $0.01 on [90 min, 2 h): per instance
    // 0.5 x 0.02 + 1 x 0.04 + 0.5 x 0.01 = 0.01 + 0.04 + 0.005 = $0.055, a blended $0.0275/h;
    // two instances: $0.11.
    const auto r = run_trace("aligned", "time,price\n0,0.02\n1800,0.04\n5400,0.01\n");
    REQUIRE(r->summary["instances"]["launched"] == 2);
    for (const char* name : {"i-0001", "i-0002"}) {
        INFO(name);
        const ChargeLine& l = ec2_line(*r, name);
        CHECK(l.spec.line_item == LineItem::Ec2Spot);
        CHECK(l.usage_quantity == usd(2.0));
        CHECK(l.cost == usd(0.055));
        CHECK(l.effective_rate() == usd(0.0275));
    }
    CHECK(r->ledger().total(LineItem::Ec2Spot) == usd(0.11));
}

TEST_CASE("spot run: a trace price changing between 10 s slices is billed from its second",
          "[spot_run]") {
    const auto r = run_trace("unaligned", "time,price\n0,0.02\n1805,0.04\n5405,0.01\n");
    const double expected = 198.05 / 3600;
    const auto trace =
        cloud::SpotPrice::trace({{0, 0.02}, {1805 * kSecond, 0.04}, {5405 * kSecond, 0.01}});
    CHECK(cloud::spot_run_cost(trace, 0, 2 * kHour, false) == usd(expected));
    CHECK(ec2_line(*r, "i-0001").cost == usd(expected));
    CHECK(ec2_line(*r, "i-0002").cost == usd(expected));
}

TEST_CASE("spot run: base 1 and 50 % above base of 5 is 3 On-Demand and 2 Spot", "[spot_run]") {
    // split: base 1 On-Demand; 50 % of the 4 above it is 2 On-Demand (rounded up in favour of
    // On-Demand, here exact); the remaining 2 are Spot. 1 + 2 = 3 On-Demand, 2 Spot.
    auto spec = spot_spec(5, 1, 50);
    spec.simulation.duration = 1 * kHour;
    // A wave at 1200 s takes both Spot Instances; their replacements are Spot again (the
    // On-Demand share is already met), so the split holds.
    spec.fault.push_back(wave(1200 * kSecond, 1.0));
    auto r = start(spec);
    r->world->run_until(1000 * kSecond);
    int od = 0, spot = 0;
    for (std::uint32_t i = 0; i < r->world->fleet().size(); ++i)
        (r->world->fleet()[i].config().spot ? spot : od)++;
    CHECK(od == 3);
    CHECK(spot == 2);
    finish(*r);

    int od_at_0 = 0, spot_at_0 = 0, spot_later = 0, od_later = 0;
    for (const Ev& l : r->launches()) {
        const bool is_spot = l.str("market") == "spot";
        CHECK((is_spot || l.str("market") == "on-demand"));
        if (l.t == 0) {
            (is_spot ? spot_at_0 : od_at_0)++;
        } else {
            CHECK(l.t == 1320);
            (is_spot ? spot_later : od_later)++;
        }
    }
    CHECK(od_at_0 == 3);
    CHECK(spot_at_0 == 2);
    CHECK(spot_later == 2);
    CHECK(od_later == 0);
    // Notices only for the Spot Instances.
    for (const Ev& n : r->of("spot_interruption_notice")) {
        REQUIRE(r->instance(n.str("instance")));
        CHECK(r->instance(n.str("instance"))->config().spot);
    }
    CHECK(r->summary["instances"]["spot_interruptions"] == 2);
    // 3 On-Demand for 1 h at $0.096; Spot: 2 x 1320 s interrupted after 22 min (free), then 2 x
    // 2280 s at $0.03: 2 x 2280 / 3600 x 0.03 = $0.038.
    CHECK(r->ledger().total(LineItem::Ec2OnDemand) == usd(3 * 0.096));
    CHECK(r->ledger().total(LineItem::Ec2Spot) == usd(2 * 2280.0 / 3600 * 0.03));
    CHECK(r->summary["instances"]["instance_hours"]["on_demand"].get<double>() == Approx(3.0));
}

namespace {

// 4 Spot Instances in us-east-1a over three pools: m5.large $0.04/h and 0.001
// interruptions/month, c5.large $0.02/h and 0.003, m6i.large $0.03/h and 0.002 (rates far too
// small to interrupt anything in 10 minutes). Returns the count of Spot launches per type.
std::map<std::string, int> spot_types(scenario::SpotAllocationStrategy strategy, int pools = 2) {
    auto spec = spot_spec(4);
    auto& mip = *spec.autoscaling_group[0].mixed_instances_policy;
    mip.instance_types = {"m5.large", "c5.large", "m6i.large"};
    mip.spot_allocation_strategy = strategy;
    mip.spot_instance_pools = pools;
    spec.spot.pool = {pool("m5.large", 0.04, 0.001), pool("c5.large", 0.02, 0.003),
                      pool("m6i.large", 0.03, 0.002)};
    const auto r = run_spec(spec);
    std::map<std::string, int> out;
    for (const Ev& l : r->launches()) {
        CHECK(l.str("market") == "spot");
        ++out[l.str("instance_type")];
    }
    for (std::uint32_t i = 0; i < r->world->fleet().size(); ++i) {
        const auto& cfg = r->world->fleet()[i].config();
        CHECK(cfg.spot);
        // Billed at its own pool's price.
        const double price = cfg.instance_type == "m5.large"   ? 0.04
                             : cfg.instance_type == "c5.large" ? 0.02
                                                               : 0.03;
        CHECK(ec2_line(*r, r->world->fleet()[i].name()).spec.rate == price);
    }
    return out;
}

}  // namespace

TEST_CASE("spot run: allocation strategies choose the pools as documented", "[spot_run]") {
    using S = scenario::SpotAllocationStrategy;
    // lowest-price, 2 pools: the 2 cheapest are c5 ($0.02) and m6i ($0.03); launches spread to
    // the least-used, the cheaper on a tie: c5, m6i, c5, m6i.
    CHECK(spot_types(S::LowestPrice, 2) ==
          std::map<std::string, int>{{"c5.large", 2}, {"m6i.large", 2}});
    // lowest-price, 1 pool: all 4 in c5.
    CHECK(spot_types(S::LowestPrice, 1) == std::map<std::string, int>{{"c5.large", 4}});
    // lowest-price, 3 pools: c5, m6i, m5, then c5 again (all at 1, c5 is cheapest).
    CHECK(spot_types(S::LowestPrice, 3) ==
          std::map<std::string, int>{{"c5.large", 2}, {"m5.large", 1}, {"m6i.large", 1}});
    // capacity-optimized: the lowest interruption rate, m5 (0.001), for all 4.
    CHECK(spot_types(S::CapacityOptimized) == std::map<std::string, int>{{"m5.large", 4}});
    // price-capacity-optimized: the cheaper half of 3 rounded up = c5 and m6i, then the lowest
    // rate among them: m6i (0.002 < 0.003), for all 4.
    CHECK(spot_types(S::PriceCapacityOptimized) == std::map<std::string, int>{{"m6i.large", 4}});
}

TEST_CASE("spot run: Capacity Rebalancing launches at the recommendation, then terminates",
          "[spot_run]") {
    // 2 Spot m5.large whose pool is interrupted 730 times a month: once an hour per instance,
    // so a 4 h run sees several. Boot takes 60 s; no deregistration delay. Each rebalance
    // recommendation comes in [notice - 10 min, notice]; the group launches a replacement at
    // once, the replacement is in service 60 s later, and the old instance is terminated then,
    // before its interruption (notice + 120 s >= recommendation + 120 s).
    auto spec = spot_spec(2);
    spec.simulation.duration = 4 * kHour;
    spec.launch_template[0].boot_time = scenario::DurationDist::constant(60 * kSecond);
    spec.target_group[0].deregistration_delay = 0;
    spec.autoscaling_group[0].capacity_rebalance = true;
    spec.spot.pool = {pool("m5.large", 0.03, 730)};
    const auto r = run_spec(spec);

    const auto recs = r->of("spot_rebalance_recommendation");
    REQUIRE(recs.size() >= 1);
    for (const Ev& rec : recs) {
        const std::string old = rec.str("instance");
        INFO(rec.e.dump());
        // The replacement: launched at the recommendation, naming the old instance.
        std::string repl;
        for (const Ev& l : r->launches()) {
            if (l.t == rec.t && l.str("cause").find("Capacity Rebalancing") != std::string::npos &&
                l.str("cause").find(old) != std::string::npos) {
                CHECK(repl.empty());
                repl = l.str("instance");
                CHECK(l.str("market") == "spot");
            }
        }
        REQUIRE_FALSE(repl.empty());
        // Before the notice, when the notice came at all (an instance already terminating gets
        // none).
        for (const Ev& n : r->of("spot_interruption_notice", old)) {
            CHECK(n.t >= rec.t);
            CHECK(n.t - rec.t <= 600);
        }
        // The replacement is in service 60 s later (unless the run ended first) ...
        if (rec.t + 60 > 4 * 3600) continue;
        const auto in_service = r->of("instance_in_service", repl);
        REQUIRE(in_service.size() == 1);
        CHECK(in_service[0].t == rec.t + 60);
        // ... and only then is the old one terminated, by the group, not by EC2.
        bool terminated_by_group = false;
        for (const Ev& t : r->terminations()) {
            if (t.str("instance") != old) continue;
            CHECK(t.t == rec.t + 60);
            CHECK_THAT(t.str("cause"), Catch::Contains("Capacity Rebalancing"));
            terminated_by_group = true;
        }
        CHECK(terminated_by_group);
        const auto term = r->of("instance_terminated", old);
        REQUIRE(term.size() == 1);
        CHECK(term[0].t == rec.t + 60);
        CHECK(r->of("spot_interruption", old).empty());
        REQUIRE(r->instance(old));
        CHECK_FALSE(r->instance(old)->spot_interrupted());
        // The group ended it, so its seconds are charged even within the first hour: the run
        // rounded up to whole seconds (the recommendation falls between seconds), at least 60 s.
        const SimTime ran = r->instance(old)->terminated_at() - r->instance(old)->launched_at();
        const SimTime billed = std::max<SimTime>((ran + kSecond - 1) / kSecond, 60);
        CHECK(ec2_line(*r, old).cost == usd(static_cast<double>(billed) / 3600 * 0.03));
    }
    // Two in service at the end, whatever happened.
    CHECK(r->group().in_service_count() == 2);

    // Without Capacity Rebalancing there is no recommendation and every loss is an
    // interruption replaced afterwards.
    spec.autoscaling_group[0].capacity_rebalance = false;
    const auto off = run_spec(spec);
    CHECK(off->of("spot_rebalance_recommendation").empty());
    REQUIRE(off->of("spot_interruption").size() >= 1);
    for (const Ev& g : off->of("spot_interruption")) {
        const auto n = off->of("spot_interruption_notice", g.str("instance"));
        REQUIRE(n.size() == 1);
        CHECK(g.t == n[0].t + 120);
        int replacements = 0;
        for (const Ev& l : off->launches())
            if (l.t == g.t && l.str("cause").find(g.str("instance")) != std::string::npos)
                ++replacements;
        CHECK(replacements == 1);
    }
}

TEST_CASE("spot run: scale-in of a mixed group keeps the On-Demand / Spot split", "[spot_run]") {
    auto spec = spot_spec(4, 0, 50);
    spec.simulation.duration = 1800 * kSecond;
    spec.autoscaling_group[0].min_size = 1;
    spec.target_group[0].deregistration_delay = 0;
    spec.fault.push_back(wave(600 * kSecond, 1.0));
    auto r = start(spec);
    r->world->run_until(1200 * kSecond);
    r->group().set_desired_capacity(2, "a test scales in");
    finish(*r);
    REQUIRE(r->terminations().size() == 2);
    int od = 0, spot = 0;
    for (std::uint32_t i = 0; i < r->world->fleet().size(); ++i) {
        const auto& inst = r->world->fleet()[i];
        if (inst.state() == scenario::InstanceState::Terminated) continue;
        (inst.config().spot ? spot : od)++;
    }
    CHECK(od == 1);
    CHECK(spot == 1);
}

}  // namespace test_spot_run
