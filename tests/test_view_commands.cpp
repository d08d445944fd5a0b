// The instructor's commands: each enters the run as an [[action]] or [[fault]], and the
// exported entries, appended to the scenario, replay the session exactly.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "sim/cloud/world.hpp"
#include "sim/report/outputs.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/view/commands.hpp"
#include "support.hpp"
#include "world_support.hpp"

namespace test_view_commands {

using namespace stratus;

namespace {

const std::string kLabs = std::string(STRATUS_SOURCE_DIR) + "/scenarios/labs/";

std::string read(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

int count(const report::Run& run, const std::string& type) {
    int n = 0;
    for (const auto& e : run.recorder().log().records())
        n += cloud::to_string(e.kind()) == type;
    return n;
}

}  // namespace

TEST_CASE("a command takes effect at the next whole second off the 10 s grid, after the last",
          "[view][commands]") {
    view::CommandSession s;
    // The first command's offset is 1 ms.
    CHECK(s.effective_time(0) == 1 * kSecond + kMillisecond);
    CHECK(s.effective_time(1500 * kMillisecond) == 2 * kSecond + kMillisecond);
    CHECK(s.effective_time(9 * kSecond) == 11 * kSecond + kMillisecond);  // 10 s is a tick
    CHECK(s.effective_time(3 * kSecond) == 4 * kSecond + kMillisecond);
}

TEST_CASE("commands round-trip: live session and the exported scenario give the same run",
          "[view][commands]") {
    const std::string file = kLabs + "04-target-tracking.toml";
    const std::vector<std::string> sets = {"simulation.duration=3h"};
    auto spec = scenario::load_file(file, sets);
    report::Run live_run(spec);
    cloud::World& live = live_run.world();
    view::CommandSession session;
    live.start();

    live.run_until(20 * kMinute + 300 * kMillisecond);
    session.issue(live, view::set_setting("autoscaling_group.web.min_size", std::int64_t{4}));
    session.issue(live, view::set_setting("autoscaling_policy.cpu50.target_value", 30.0));
    // A traffic spike: three times the rate from 30 to 40 minutes.
    live.run_until(30 * kMinute);
    session.issue(live, view::traffic_spike("shop", 3.0));
    live.run_until(40 * kMinute);
    session.issue(live, view::traffic_spike("shop", 1.0));
    live.run_until(50 * kMinute);
    session.issue(live, view::az_outage("ap-northeast-2a", 30 * kMinute));
    live.run_until(60 * kMinute);
    CHECK(session.in_force(4, live.now()));
    // Recovered early: it lasted 10 minutes and 1 ms (50:01.005, the fifth command, to
    // 60:01.006), which the export says.
    CHECK(session.end_early(live, 4) == 60 * kMinute + kSecond + 6 * kMillisecond);
    CHECK_FALSE(session.in_force(4, 60 * kMinute + kSecond + 6 * kMillisecond));
    CHECK_THROWS_AS(session.end_early(live, 0), std::invalid_argument);
    live.run_until(70 * kMinute + 5 * kSecond);
    session.issue(live,
                  view::terminate_instance("web", live.fleet()[live.fleet().size() - 1].name()));
    session.issue(live, view::instance_failure("web"));
    live.run_until(100 * kMinute);
    session.issue(live, view::set_setting("autoscaling_policy.cpu50.enabled", false));
    session.issue(live,
                  view::set_setting("autoscaling_group.web.desired_capacity", std::int64_t{5}));
    live.run();

    // What each command did shows in the live run's log.
    CHECK(count(live_run, "setting_changed") == 7);
    CHECK(count(live_run, "az_outage_started") == 1);
    CHECK(count(live_run, "az_outage_ended") == 1);
    for (const auto& e : testing::json_events(live_run))
        if (e.type == "az_outage_ended") CHECK(e.t == 60 * kMinute + kSecond + 6 * kMillisecond);
    CHECK(count(live_run, "instance_failure") == 1);
    CHECK(live.groups()[0]->min_size() == 4);
    CHECK_FALSE(live.policies()[0]->enabled());
    CHECK(live.policies()[0]->spec().target_tracking_configuration->target_value == 30);
    CHECK(live.groups()[0]->desired_capacity() == 5);  // no policy moves it any more

    const std::string exported = session.export_toml();
    CHECK(exported.find("[[fault]]\ntype = \"az_outage\"\ntarget = \"ap-northeast-2a\"\n"
                        "at = \"50m1s5ms\"\nduration = \"10m1ms\"") != std::string::npos);
    CHECK(exported.find("set = { \"autoscaling_policy.cpu50.target_value\" = 30.0 }") !=
          std::string::npos);

    auto replay_spec =
        scenario::load_text(read(file) + exported, file, sets, kLabs.substr(0, kLabs.size() - 1));
    CHECK(scenario::unsupported_features(replay_spec).empty());
    CHECK(exported.find("set = { \"workload.shop.rate_multiplier\" = 3.0 }") != std::string::npos);
    REQUIRE(replay_spec.action.size() == 7);
    REQUIRE(replay_spec.fault.size() == 2);
    report::Run replay_run(replay_spec);
    cloud::World& replay = replay_run.world();
    replay.run();
    CHECK(report::events_jsonl(replay_run) == report::events_jsonl(live_run));
    CHECK(report::timeseries_csv(replay_run) == report::timeseries_csv(live_run));
}

TEST_CASE("the new [[action]] paths are validated like the others", "[view][commands]") {
    const std::string file = kLabs + "04-target-tracking.toml";
    const std::string base = read(file);
    CHECK_NOTHROW(scenario::load_text(
        base +
            "\n[[action]]\nat = \"1h\"\nset = { \"autoscaling_policy.cpu50.enabled\" = false }\n",
        file));
    CHECK_THROWS_AS(scenario::load_text(base + "\n[[action]]\nat = \"1h\"\nset = { "
                                               "\"autoscaling_policy.cpu99.enabled\" = false }\n",
                                        file),
                    scenario::ScenarioError);
    CHECK_THROWS_AS(scenario::load_text(base + "\n[[action]]\nat = \"1h\"\nset = { "
                                               "\"autoscaling_policy.cpu50.enable\" = false }\n",
                                        file),
                    scenario::ScenarioError);
}

TEST_CASE("a traffic spike multiplies the arrivals while it lasts and nothing before it",
          "[view][commands]") {
    // basic_spec: 4 instances, 100 requests/s from 10 s to 600 s. A spike of x3 from 200 to
    // 300 s adds 2 x 100 x 100 = 20,000 requests to the 59,000; the arrivals before 200 s are
    // the same draws as without it (common random numbers).
    scenario::Spec plain = stratus::testing::basic_spec(4, 100.0);
    scenario::Spec spiked = plain;
    scenario::ActionSpec up, down;
    up.at = 200 * kSecond;
    up.set = {{"workload.clients.rate_multiplier", 3.0}};
    down.at = 300 * kSecond;
    down.set = {{"workload.clients.rate_multiplier", std::int64_t{1}}};
    spiked.action = {up, down};
    REQUIRE(scenario::unsupported_features(spiked).empty());
    report::Run a_run(plain);
    report::Run b_run(spiked);
    cloud::World& a = a_run.world();
    cloud::World& b = b_run.world();
    a.run_until(200 * kSecond);
    b.run_until(200 * kSecond);
    CHECK(a_run.recorder().arrivals() == b_run.recorder().arrivals());
    CHECK(a_run.recorder().arrival_fingerprint() == b_run.recorder().arrival_fingerprint());
    a.run();
    b.run();
    const double extra = static_cast<double>(b_run.recorder().arrivals()) -
                         static_cast<double>(a_run.recorder().arrivals());
    // Poisson: the spike's 30,000 arrivals have a standard deviation of about 173.
    CHECK(extra == Approx(20000).margin(1000));
}

}  // namespace test_view_commands
