// The SLO judged per window (docs/slo.md): the rules on hand-made windows, then runs whose
// breaches are known by construction (a latency fault of known length inside a long run, a
// cold start of 503s, an AZ outage's 504s), in request and fluid mode, and times outside the
// run refused.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "sim/cloud/world.hpp"
#include "sim/report/outputs.hpp"
#include "sim/report/run.hpp"
#include "sim/report/slo.hpp"
#include "sim/scenario/diagnostic.hpp"
#include "sim/scenario/loader.hpp"
#include "support.hpp"

namespace test_slo_windows {

using namespace stratus;
using report::SloObjective;
using report::SloWindow;

namespace {

SloWindow window(SimTime start, std::uint64_t ok, std::uint64_t http503, std::uint64_t http504,
                 double p99_ms) {
    SloWindow w;
    w.start = start;
    w.length = 60 * kSecond;
    w.outcomes[static_cast<int>(cloud::Outcome::Ok)] = ok;
    w.outcomes[static_cast<int>(cloud::Outcome::Http503)] = http503;
    w.outcomes[static_cast<int>(cloud::Outcome::Http504)] = http504;
    const auto p99 = static_cast<SimTime>(p99_ms * kMillisecond);
    w.latency = {p99 / 2, p99 / 2, p99, p99};
    return w;
}

nlohmann::ordered_json run(const scenario::Spec& spec, report::Run** keep = nullptr) {
    static std::unique_ptr<report::Run> last;
    last = std::make_unique<report::Run>(spec);
    last->world().run();
    if (keep) *keep = last.get();
    return report::make_summary(*last);
}

// A fixed fleet of ten m5.large (20 workers) at 20 requests/s for 3 hours, p99 <= 300 ms
// over 5-minute windows; 50 ms exponential service at rho = 0.05: p99 about 230 ms.
scenario::Spec long_run() {
    auto spec = testing::basic_spec(10, 20);
    spec.simulation.duration = 3 * kHour;
    spec.simulation.metrics_period = 60 * kSecond;
    spec.slo.present = true;
    spec.slo.latency_p99 = 300 * kMillisecond;
    spec.slo.availability = 99.0;
    spec.slo.window = 5 * kMinute;
    return spec;
}

}  // namespace

TEST_CASE("judging windows: misses, the worst and the first, warm-up, budget", "[slo]") {
    scenario::SloSpec slo;
    slo.present = true;
    slo.latency_p99 = 300 * kMillisecond;
    slo.availability = 99.5;
    const std::vector<SloWindow> windows = {
        window(0, 100, 0, 0, 200),             // before the warm-up: not judged
        window(60 * kSecond, 100, 0, 0, 900),  // p99 missed
        window(120 * kSecond, 0, 50, 0, 0),    // 503s only, fast: misses everything
        window(180 * kSecond, 99, 0, 1, 250),  // availability 99 % < 99.5 %
        window(240 * kSecond, 200, 0, 0, 100),
    };
    const SloWindow whole = window(60 * kSecond, 399, 50, 1, 280);
    auto v = report::judge_slo(slo, 60 * kSecond, 60 * kSecond, windows, whole);
    CHECK(v.judged == 4);
    CHECK(v.excluded == 1);
    CHECK(v.missed == 3);
    CHECK(v.without_success == 1);
    CHECK(v.first_miss == 1u);
    CHECK_FALSE(v.met);
    REQUIRE(v.objectives.size() == 2);
    const auto& p99 = v.objectives[0];
    CHECK(p99.kind == SloObjective::LatencyP99);
    CHECK(p99.missed == 2);  // the 900 ms window and the window without success
    CHECK(p99.worst == 1u);  // 900 ms; the 503 window's 0 ms is not "worse"
    CHECK(p99.first_miss == 1u);
    CHECK(p99.whole_run == Approx(280));
    CHECK(p99.whole_run_met);  // the whole run's figure is met; the windows are not
    const auto& avail = v.objectives[1];
    CHECK(avail.missed == 2);  // the 503 window (0 %) and 99 %
    CHECK(avail.worst == 2u);  // 0 %
    CHECK(avail.first_miss == 2u);
    CHECK(avail.whole_run == Approx(100.0 * 399 / 450));
    CHECK_FALSE(avail.whole_run_met);

    // A budget of half the judged windows (2 of 4) lets two misses per objective pass.
    slo.budget = 0.5;
    v = report::judge_slo(slo, 60 * kSecond, 60 * kSecond, windows, whole);
    CHECK(v.met);
    slo.budget = 0.49;
    CHECK_FALSE(report::judge_slo(slo, 60 * kSecond, 60 * kSecond, windows, whole).met);
    // No window to judge: nothing was shown to be met.
    CHECK_FALSE(report::judge_slo(slo, 60 * kSecond, 10 * kMinute, windows, whole).met);
}

TEST_CASE(
    "a 40-second latency breach inside a 3-hour run misses one 5-minute window, the "
    "whole run's p99 hides it",
    "[slo]") {
    auto spec = long_run();
    // +500 ms on every request served from 5m10s to 5m50s: inside the window [5m, 10m).
    spec.fault.push_back(
        testing::latency_fault("web", 310 * kSecond, 40 * kSecond, 500 * kMillisecond));
    report::Run* done = nullptr;
    const auto s = run(spec, &done);
    // 3 h / 5 min = 36 windows, exactly their periods.
    REQUIRE(done->recorder().windows().size() == 36);
    for (const auto& w : done->recorder().windows())
        CHECK(w.length == 5 * kMinute);
    const auto& slo = s["slo"];
    CHECK(slo["windows"] == 36);
    CHECK(slo["windows_missed"] == 1);
    CHECK(slo["met"] == false);
    CHECK(slo["first_miss_s"] == 300.0);
    const auto& p99 = slo["latency_p99"];
    CHECK(p99["windows_missed"] == 1);
    CHECK(p99["worst_start_s"] == 300.0);
    // The fault holds each worker 550 ms a request: rho = 20 x 0.55 / 20 = 0.55, little
    // queueing. 40 s of 300 s at +500 ms is 13 % of the window: its p99 is a slowed request,
    // 500 ms plus a service time of the slowest 8 % (exponential, 50 ms mean: about 125 ms).
    CHECK(p99["worst_ms"].get<double>() > 500);
    CHECK(p99["worst_ms"].get<double>() < 800);
    // 40 s of 3 h is 0.37 % of the requests: the whole run's p99 is an unslowed request.
    CHECK(p99["whole_run_met"] == true);
    CHECK(p99["whole_run_ms"].get<double>() < 300);
    CHECK(slo["availability"]["met"] == true);
    // Every other window met both objectives.
    for (const auto& w : done->recorder().windows())
        if (w.start != 300 * kSecond) CHECK_FALSE(report::misses(w, SloObjective::LatencyP99, 300));
    // The human summary says it first, then the whole run, labelled.
    const auto text = report::human_summary(*done, s, "");
    const auto slo_at = text.find("slo        MISSED: 1 of 36 windows of 5m missed");
    CHECK(slo_at != std::string::npos);
    CHECK(slo_at < text.find("requests"));
    CHECK(text.find("whole run, not the verdict: p99") != std::string::npos);
}

TEST_CASE(
    "a cold start of 503s is a miss unless the scenario sets a warm-up, named in the "
    "verdict",
    "[slo]") {
    auto spec = long_run();
    spec.simulation.duration = 30 * kMinute;
    spec.slo.window.reset();  // the metrics period, 60 s
    // The instances boot in 150 s and the clients start at once: no target, 503.
    spec.launch_template[0].boot_time = scenario::DurationDist::constant(150 * kSecond);
    spec.workload[0].rate.steps = {{0, 20.0}};
    report::Run* done = nullptr;
    auto s = run(spec, &done);
    // The first two minutes are all 503s: windows without a successful request.
    REQUIRE(done->recorder().windows().size() == 30);
    const auto& first = done->recorder().windows()[0];
    CHECK(first.ok() == 0);
    CHECK(first.outcomes[static_cast<int>(cloud::Outcome::Http503)] > 1000);
    CHECK(s["slo"]["met"] == false);
    CHECK(s["slo"]["first_miss_s"] == 0.0);
    CHECK(s["slo"]["windows_without_success"].get<int>() >= 2);
    CHECK(s["slo"]["windows_excluded"] == 0);
    CHECK(report::human_summary(*done, s, "").find("slo        MISSED") != std::string::npos);

    // With a 5-minute warm-up the start is left out, and the verdict says so.
    spec.simulation.warmup = 5 * kMinute;
    s = run(spec, &done);
    CHECK(s["slo"]["met"] == true);
    CHECK(s["slo"]["windows_excluded"] == 5);
    CHECK(s["slo"]["windows"] == 25);
    CHECK(s["slo"]["warmup_s"] == 300.0);
    const auto text = report::human_summary(*done, s, "");
    CHECK(text.find("slo        met: 0 of 25 windows of 1m missed") != std::string::npos);
    CHECK(text.find("not judged: 5 window(s) before the warm-up ends (simulation.warmup = 5m)") !=
          std::string::npos);
}

TEST_CASE("a 504 counts with the client's timeout in the SLO's percentiles", "[slo]") {
    auto spec = long_run();
    spec.simulation.duration = 20 * kMinute;
    spec.slo.window.reset();
    spec.workload[0].timeout = 4 * kSecond;
    // us-east-1a loses power at 10 min: its load balancer node is down, and DNS keeps sending
    // half the clients there for one 60 s TTL. They wait their 4 s timeout for a 504.
    scenario::FaultSpec f;
    f.type = scenario::FaultType::AzOutage;
    f.target = "us-east-1a";
    f.at = 10 * kMinute;
    f.duration = 5 * kMinute;
    spec.fault.push_back(f);
    report::Run* done = nullptr;
    const auto s = run(spec, &done);
    const auto& w = done->recorder().windows()[10];
    REQUIRE(w.start == 10 * kMinute);
    const auto n504 = w.outcomes[static_cast<int>(cloud::Outcome::Http504)];
    CHECK(n504 > 0.3 * w.answered());  // about half of a TTL that is the whole window
    // The 504s are beyond the 99th percentile of the window's answers: it is their latency.
    CHECK(to_millis(w.latency[2]) == Approx(4000).epsilon(0.002));
    CHECK(s["slo"]["latency_p99"]["worst_start_s"] == 600.0);
    CHECK(s["slo"]["latency_p99"]["worst_ms"].get<double>() == Approx(4000).epsilon(0.002));
    // The successful requests' figures do not count them.
    CHECK(s["latency_ms"]["max"].get<double>() < 4000);
    CHECK(s["client_latency_ms"]["p999"].get<double>() == Approx(4000).epsilon(0.002));
}

TEST_CASE("fluid mode gives the same verdict structure and catches the same breach", "[slo]") {
    auto spec = long_run();
    spec.fault.push_back(
        testing::latency_fault("web", 310 * kSecond, 40 * kSecond, 500 * kMillisecond));
    const auto request = run(spec);
    spec.simulation.fidelity = scenario::Fidelity::Fluid;
    report::Run* done = nullptr;
    const auto fluid = run(spec, &done);
    auto keys = [](const nlohmann::ordered_json& j) {
        std::set<std::string> out;
        for (auto it = j.begin(); it != j.end(); ++it) {
            out.insert(it.key());
            if (it.value().is_object())
                for (auto jt = it.value().begin(); jt != it.value().end(); ++jt)
                    out.insert(it.key() + "." + jt.key());
        }
        return out;
    };
    CHECK(keys(fluid["slo"]) == keys(request["slo"]));
    CHECK(done->recorder().windows().size() == 36);
    CHECK(fluid["slo"]["windows_missed"] == 1);
    CHECK(fluid["slo"]["latency_p99"]["worst_start_s"] == 300.0);
    CHECK(fluid["slo"]["met"] == false);
}

TEST_CASE("an [slo] window that is not whole metrics periods is an error naming slo.window",
          "[slo]") {
    const std::string text = R"(
[simulation]
duration = "1h"
metrics_period = "60s"
[slo]
latency_p99 = "300ms"
window = "90s"
)";
    try {
        scenario::load_text(text, "w.toml");
        FAIL("expected an error");
    } catch (const scenario::ScenarioError& e) {
        bool named = false;
        for (const auto& d : e.diagnostics())
            named = named ||
                    (d.key_path == "slo.window" && d.pos.line == 7 &&
                     d.message.find("multiple of simulation.metrics_period") != std::string::npos);
        CHECK(named);
    }
    CHECK_NOTHROW(scenario::load_text(text, "w.toml", {"slo.window=3m"}));
}

}  // namespace test_slo_windows
