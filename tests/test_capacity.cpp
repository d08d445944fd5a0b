// Capacity pools: a launch into a full pool fails with InsufficientInstanceCapacity, the group
// tries its other AZs (balanced-best-effort) and its other instance types in priority order
// first, and retries with back-off (10 s, doubling to 5 minutes: docs/model.md, "Capacity
// pools"). Every count and time is worked out by hand beside the check.
#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/cloud/capacity_pools.hpp"
#include "sim/cloud/world.hpp"
#include "sim/report/outputs.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/loader.hpp"
#include "support.hpp"

namespace test_capacity {

using namespace stratus;

namespace {

struct Ev {
    double t = 0;  // seconds
    nlohmann::ordered_json e;
    std::string str(const char* k) const { return e.contains(k) ? e[k].get<std::string>() : ""; }
};

struct Done {
    std::unique_ptr<report::Run> run;
    nlohmann::ordered_json summary;
    std::vector<Ev> events;
    std::string jsonl;

    std::vector<Ev> of(const std::string& type) const {
        std::vector<Ev> out;
        for (const Ev& e : events)
            if (e.e["type"] == type) out.push_back(e);
        return out;
    }
    std::vector<Ev> launches(const std::string& group = "") const {
        std::vector<Ev> out;
        for (const Ev& e : of("autoscaling_activity"))
            if (e.str("description").rfind("Launching", 0) == 0 &&
                (group.empty() || e.str("autoscaling_group") == group))
                out.push_back(e);
        return out;
    }
    std::vector<double> failure_times() const {
        std::vector<double> t;
        for (const Ev& e : of("autoscaling_activity_failed"))
            t.push_back(e.t);
        return t;
    }
};

Done run_spec(const scenario::Spec& spec) {
    REQUIRE(scenario::unsupported_features(spec).empty());
    Done d;
    d.run = std::make_unique<report::Run>(spec);
    d.run->world().run();
    d.summary = report::make_summary(*d.run);
    for (const auto& rec : d.run->recorder().log().records()) {
        nlohmann::ordered_json j = report::event_subjects(rec);
        j["type"] = cloud::to_string(rec.kind());
        d.events.push_back({to_seconds(rec.t), j});
    }
    d.jsonl = report::events_jsonl(*d.run);
    return d;
}

scenario::CapacityPoolSpec pool(const std::string& type, const std::string& az, int capacity) {
    scenario::CapacityPoolSpec p;
    p.instance_type = type;
    p.availability_zone = az;
    p.capacity = capacity;
    return p;
}

// basic_spec's group over us-east-1a and us-east-1b, no traffic, with an AZ outage of
// us-east-1a from 60 s to the end.
scenario::Spec outage_spec(int desired) {
    auto s = testing::basic_spec(desired, 0);
    scenario::FaultSpec f;
    f.type = scenario::FaultType::AzOutage;
    f.target = "us-east-1a";
    f.at = 60 * kSecond;
    f.duration = 3600 * kSecond;
    s.fault.push_back(f);
    return s;
}

}  // namespace

TEST_CASE(
    "capacity: a full pool fails the launch with InsufficientInstanceCapacity and retries "
    "at 10, 20, 40, 80, 160 s and then every 300 s",
    "[capacity]") {
    // Pools of one m5.large in each AZ, a group of desired 3 over both: launches at 0 s go to
    // 1a, 1b (fewest first, ties to the AZ listed first); the third finds both full and fails.
    // Back-off 10, 20, 40, 80, 160, 300 s: attempts at 0, 10, 30, 70, 150, 310 (and 610, after
    // the 600 s run).
    auto s = testing::basic_spec(3, 0);
    s.capacity_pool = {pool("m5.large", "us-east-1a", 1), pool("m5.large", "us-east-1b", 1)};
    for (const auto fidelity : {scenario::Fidelity::Request, scenario::Fidelity::Fluid}) {
        s.simulation.fidelity = fidelity;
        CAPTURE(fidelity == scenario::Fidelity::Fluid);
        const Done d = run_spec(s);
        const auto launches = d.launches();
        REQUIRE(launches.size() == 2);
        CHECK(launches[0].str("availability_zone") == "us-east-1a");
        CHECK(launches[1].str("availability_zone") == "us-east-1b");
        CHECK(d.failure_times() == std::vector<double>{0, 10, 30, 70, 150, 310});
        const auto failed = d.of("autoscaling_activity_failed");
        REQUIRE(failed.size() == 6);
        for (std::size_t i = 0; i < failed.size(); ++i) {
            CHECK(failed[i].e["attempt"] == static_cast<int>(i + 1));
            CHECK(failed[i].str("error_code") == "InsufficientInstanceCapacity");
            CHECK(failed[i].str("status_code") == "Failed");
            CHECK(failed[i].str("market") == "on-demand");
        }
        CHECK(failed[5].e["next_attempt_s"].get<double>() == 610);
        // The AZ tried first is 1a (1 + 1 instances: the tie goes to the AZ listed first); 1b
        // is full too, so EC2 names no other AZ.
        CHECK(failed[0].str("availability_zone") == "us-east-1a");
        CHECK(failed[0].str("status_message") ==
              "We currently do not have sufficient m5.large capacity in the Availability Zone "
              "you requested (us-east-1a). Our system will be working on provisioning "
              "additional capacity.");
        CHECK(failed[0].str("description") ==
              "Launching a new EC2 instance.  Status Reason: " + failed[0].str("status_message") +
                  " Launching EC2 instance failed.");
        CHECK(d.summary["autoscaling"]["insufficient_capacity_failures"] == 6);
        CHECK(d.summary["instances"]["launched"] == 2);
        CHECK(d.run->world().groups()[0]->next_launch_attempt() == 610 * kSecond);
        const std::string printed = report::human_summary(*d.run, d.summary, "");
        CHECK(printed.find("capacity   6 launch attempts failed: InsufficientInstanceCapacity") !=
              std::string::npos);
    }
}

TEST_CASE("capacity: a pool without a limit changes nothing", "[capacity]") {
    // A pool of another type: the run's summary has no insufficient_capacity_failures only when
    // no pool is limited; with one limited but never reached, the count is 0 and every launch
    // is where it was.
    auto s = testing::basic_spec(4, 0);
    const Done plain = run_spec(s);
    CHECK_FALSE(plain.summary["autoscaling"].contains("insufficient_capacity_failures"));
    s.capacity_pool = {pool("c5.large", "us-east-1a", 0)};
    const Done limited = run_spec(s);
    CHECK(limited.summary["autoscaling"]["insufficient_capacity_failures"] == 0);
    REQUIRE(plain.launches().size() == 4);
    REQUIRE(limited.launches().size() == 4);
    for (std::size_t i = 0; i < 4; ++i)
        CHECK(plain.launches()[i].str("availability_zone") ==
              limited.launches()[i].str("availability_zone"));
}

TEST_CASE("capacity: On-Demand falls back to the next instance type in priority order",
          "[capacity]") {
    // One AZ; m5.large holds 1, c5.large 2, m6i.large no limit; desired 5, all On-Demand
    // (prioritized): m5, c5, c5, m6i, m6i, and no failure.
    auto s = testing::basic_spec(5, 0);
    s.autoscaling_group[0].availability_zones = {"us-east-1a"};
    scenario::MixedInstancesPolicySpec mip;
    mip.on_demand_percentage_above_base_capacity = 100;
    mip.instance_types = {"m5.large", "c5.large", "m6i.large"};
    s.autoscaling_group[0].mixed_instances_policy = mip;
    s.capacity_pool = {pool("m5.large", "us-east-1a", 1), pool("c5.large", "us-east-1a", 2)};
    const Done d = run_spec(s);
    const auto launches = d.launches();
    REQUIRE(launches.size() == 5);
    std::vector<std::string> types;
    for (const auto& l : launches)
        types.push_back(l.str("instance_type"));
    CHECK(types ==
          std::vector<std::string>{"m5.large", "c5.large", "c5.large", "m6i.large", "m6i.large"});
    CHECK(d.of("autoscaling_activity_failed").empty());
    CHECK(d.summary["autoscaling"]["insufficient_capacity_failures"] == 0);
}

TEST_CASE("capacity: a full AZ sends the launch to another AZ (balanced-best-effort)",
          "[capacity]") {
    // m5.large holds 1 in 1a: desired 4 -> 1a (0/0, tie to 1a), 1b (1/0), then 1a is full
    // twice: 1b, 1b. The group ends 1 + 3, with no failure.
    auto s = testing::basic_spec(4, 0);
    s.capacity_pool = {pool("m5.large", "us-east-1a", 1)};
    const Done d = run_spec(s);
    const auto launches = d.launches();
    REQUIRE(launches.size() == 4);
    std::vector<std::string> azs;
    for (const auto& l : launches)
        azs.push_back(l.str("availability_zone"));
    CHECK(azs == std::vector<std::string>{"us-east-1a", "us-east-1b", "us-east-1b", "us-east-1b"});
    CHECK(d.of("autoscaling_activity_failed").empty());
}

TEST_CASE(
    "capacity: an AZ outage with a full surviving AZ leaves the group short, and a second "
    "instance type replaces the capacity",
    "[capacity]") {
    // 2 + 2 m5.large; 1b's pool holds 3. 1a fails at 60 s: the group's EC2 check finds the two
    // stopped instances at its next check (time T), terminates them and launches two: one fits
    // in 1b (3 of 3), the other fails (1a takes no launches, 1b is full), then retries at
    // T + 10, T + 30, T + 70, ... until the run ends at 600 s.
    auto s = outage_spec(4);
    s.capacity_pool = {pool("m5.large", "us-east-1b", 3)};
    const Done d = run_spec(s);
    const auto unhealthy = d.of("instance_unhealthy");
    REQUIRE(unhealthy.size() == 2);
    const double t = unhealthy[0].t;
    CHECK(t >= 60);
    CHECK(t <= 70);
    const auto launches = d.launches();
    REQUIRE(launches.size() == 5);
    CHECK(launches[4].t == t);
    CHECK(launches[4].str("availability_zone") == "us-east-1b");
    std::vector<double> expected;
    for (double next = t, wait = 10; next < 600; next += wait, wait = std::min(2 * wait, 300.0))
        expected.push_back(next);
    CHECK(d.failure_times() == expected);  // T, T+10, T+30, T+70, T+150, T+310
    const auto failed = d.of("autoscaling_activity_failed");
    REQUIRE_FALSE(failed.empty());
    CHECK(failed[0].str("availability_zone") == "us-east-1b");
    CHECK(failed[0].str("cause").find("unhealthy instance needing replacement") !=
          std::string::npos);

    SECTION("with m6i.large second in a mixed instances policy, 1b runs 3 m5 + 1 m6i") {
        scenario::MixedInstancesPolicySpec mip;
        mip.on_demand_percentage_above_base_capacity = 100;
        mip.instance_types = {"m5.large", "m6i.large"};
        s.autoscaling_group[0].mixed_instances_policy = mip;
        const Done m = run_spec(s);
        CHECK(m.of("autoscaling_activity_failed").empty());
        const auto ls = m.launches();
        REQUIRE(ls.size() == 6);
        CHECK(ls[4].str("instance_type") == "m5.large");
        CHECK(ls[5].str("instance_type") == "m6i.large");
        CHECK(ls[5].str("availability_zone") == "us-east-1b");
    }
    SECTION("the same run twice gives the same events, byte for byte") {
        const Done again = run_spec(s);
        CHECK(again.jsonl == d.jsonl);
    }
}

TEST_CASE("capacity: a Spot pool's capacity counts every group's Spot Instances", "[capacity]") {
    // Two all-Spot groups of 2 over one AZ share the m5.large Spot pool of 3: the first group
    // (started first) takes 2, the second 1, and its second launch fails with EC2's Spot
    // message.
    auto s = testing::basic_spec(2, 0);
    s.autoscaling_group[0].availability_zones = {"us-east-1a"};
    scenario::MixedInstancesPolicySpec mip;
    mip.on_demand_percentage_above_base_capacity = 0;
    mip.instance_types = {"m5.large"};
    s.autoscaling_group[0].mixed_instances_policy = mip;
    auto second = s.autoscaling_group[0];
    second.name = "batch";
    s.autoscaling_group.push_back(second);
    s.spot.present = true;
    scenario::SpotPoolSpec p;
    p.instance_type = "m5.large";
    p.availability_zone = "us-east-1a";
    p.price_params["price"] = 0.03;
    p.monthly_rate = 0;
    p.capacity = 3;
    s.spot.pool.push_back(p);
    const Done d = run_spec(s);
    CHECK(d.launches("web").size() == 2);
    CHECK(d.launches("batch").size() == 1);
    const auto failed = d.of("autoscaling_activity_failed");
    REQUIRE_FALSE(failed.empty());
    CHECK(failed[0].str("autoscaling_group") == "batch");
    CHECK(failed[0].str("market") == "spot");
    CHECK(failed[0].str("status_message") ==
          "There is no Spot capacity available that matches your request.");
    CHECK(failed[0].t == 0);
}

TEST_CASE("capacity: [[capacity_pool]] keys are checked with file, line and column",
          "[capacity][loader]") {
    const std::string head = R"([simulation]
duration = "1h"
[[launch_template]]
name = "web"
instance_type = "m5.large"
[[autoscaling_group]]
name = "web"
launch_template = "web"
min_size = 2
max_size = 4
)";
    auto errors = [](const std::string& text) {
        try {
            scenario::load_text(text, "cap.toml", {}, ".");
        } catch (const scenario::ScenarioError& e) {
            return e.diagnostics();
        }
        FAIL("the scenario loaded, but errors were expected");
        return std::vector<scenario::Diagnostic>{};
    };
    SECTION("a good pool loads and explains back") {
        const auto spec = scenario::load_text(head + R"([[capacity_pool]]
instance_type = "m5.large"
availability_zone = "us-east-1b"
capacity = 2
)",
                                              "cap.toml", {}, ".");
        REQUIRE(spec.capacity_pool.size() == 1);
        CHECK(spec.capacity_pool[0].capacity == 2);
        const auto again = scenario::load_text(scenario::explain(spec), "again.toml", {}, ".");
        REQUIRE(again.capacity_pool.size() == 1);
        CHECK(again.capacity_pool[0].availability_zone == "us-east-1b");
    }
    SECTION("a negative capacity and one past the instance limit: the key's line") {
        const auto ds = errors(head + R"([[capacity_pool]]
instance_type = "m5.large"
availability_zone = "us-east-1b"
capacity = -1
[[capacity_pool]]
instance_type = "m5.large"
availability_zone = "us-east-1c"
capacity = 100001
)");
        std::map<std::string, scenario::Diagnostic> by;
        for (const auto& d : ds)
            by[d.key_path] = d;
        REQUIRE(by.count("capacity_pool[0].capacity"));
        CHECK(by["capacity_pool[0].capacity"].pos.file == "cap.toml");
        CHECK(by["capacity_pool[0].capacity"].pos.line == 14);
        REQUIRE(by.count("capacity_pool[1].capacity"));
        CHECK(by["capacity_pool[1].capacity"].pos.line == 18);
    }
    SECTION("an AZ the Region does not have, and a pool given twice") {
        const auto ds = errors(head + R"([[capacity_pool]]
instance_type = "m5.large"
availability_zone = "us-east-1z"
capacity = 1
[[capacity_pool]]
instance_type = "m5.large"
availability_zone = "us-east-1b"
capacity = 1
[[capacity_pool]]
instance_type = "m5.large"
availability_zone = "us-east-1b"
capacity = 2
)");
        std::map<std::string, scenario::Diagnostic> by;
        for (const auto& d : ds)
            by[d.key_path] = d;
        REQUIRE(by.count("capacity_pool[0].availability_zone"));
        CHECK(by["capacity_pool[0].availability_zone"].pos.line == 13);
        REQUIRE(by.count("capacity_pool[2].instance_type"));
        CHECK(by["capacity_pool[2].instance_type"].pos.line == 20);
        CHECK(by["capacity_pool[2].instance_type"].message.find("already") != std::string::npos);
    }
}

TEST_CASE("capacity: a zonal Reserved Instance reserves capacity in its AZ", "[capacity]") {
    // A pool of m5.large in us-east-1a holding 1 of the run's instances; three zonal m5.large
    // RIs of us-east-1a reserve 3 there: the pool holds 3. A zonal RI of us-east-1b and a
    // regional RI (no capacity reserved: the EC2 User Guide) leave the pools as they are.
    scenario::Spec spec;
    spec.capacity_pool = {pool("m5.large", "us-east-1a", 1), pool("m5.large", "us-east-1b", 1)};
    scenario::ReservedInstanceSpec zonal;
    zonal.name = "z";
    zonal.instance_type = "m5.large";
    zonal.availability_zone = "us-east-1a";
    zonal.instance_count = 3;
    scenario::ReservedInstanceSpec regional = zonal;
    regional.name = "r";
    regional.availability_zone = "";
    const std::vector<std::string> zones = {"us-east-1a", "us-east-1b"};
    REQUIRE(cloud::CapacityPools(spec, zones).capacity("m5.large", 0, false) == 1);
    spec.reserved_instance = {zonal, regional};
    const cloud::CapacityPools pools(spec, zones);
    CHECK(pools.capacity("m5.large", 0, false) == 3);
    CHECK(pools.capacity("m5.large", 1, false) == 1);
    CHECK(!pools.capacity("m5.large", 0, true));  // Spot: no pool, no reservation
    spec.reserved_instance[0].availability_zone = "us-east-1b";
    spec.reserved_instance.pop_back();
    const cloud::CapacityPools other(spec, zones);
    CHECK(other.capacity("m5.large", 0, false) == 1);
    CHECK(other.capacity("m5.large", 1, false) == 3);
}

}  // namespace test_capacity
