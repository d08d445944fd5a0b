#pragma once
// What the fuzzer does with one input, shared with tests/test_fuzz_regressions.cpp so that
// every input it ever crashed on is replayed by the normal test suite: load the text as a
// scenario, explain it and load the explanation again, then run it for a few capped
// simulated minutes and render every report in memory. Nothing is written to disk.
//
// The contract: a scenario either loads or throws ScenarioError; anything else escaping
// (another exception, a crash, undefined behaviour, a hang, unbounded memory) is a bug.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/cloud/network.hpp"
#include "sim/cloud/rate_function.hpp"
#include "sim/cloud/run_limits.hpp"
#include "sim/cloud/world.hpp"
#include "sim/report/outputs.hpp"
#include "sim/scenario/loader.hpp"

namespace stratus::fuzz {

// Bounds that keep one input in the milliseconds: the run stops at 30 simulated minutes, and
// inputs whose traffic or fleet would make even that long are loaded and validated only.
constexpr SimTime kRunCap = 30 * kMinute;
constexpr double kMaxRequests = 20000;
constexpr long long kMaxInstances = 64;
constexpr std::size_t kMaxInputBytes = 64 * 1024;

// Files a scenario names are looked up here, which does not exist: the fuzzer reads nothing
// from disk except what an absolute path names.
constexpr const char* kBaseDir = "/nonexistent/stratus-fuzz";

inline bool small_enough_to_run(const scenario::Spec& spec, SimTime horizon) {
    long long instances = static_cast<long long>(spec.instance.size());
    for (const auto& g : spec.autoscaling_group)
        instances += std::max(g.max_size, g.desired_capacity);
    if (instances > kMaxInstances) return false;
    double requests = 0;
    for (const auto& w : spec.workload) {
        const cloud::RateFunction rate(w.rate, w.spike, spec.simulation.start_epoch_s);
        requests += rate.max_rate(0, horizon) * to_seconds(horizon);
    }
    return requests <= kMaxRequests;
}

inline void capped_run(const scenario::Spec& spec) {
    if (!scenario::unsupported_features(spec).empty()) return;
    (void)cloud::closed_flow_warnings(spec);
    if (!cloud::check_run_limits(spec).empty()) return;
    const SimTime horizon = std::min(spec.simulation.duration, kRunCap);
    if (!small_enough_to_run(spec, horizon)) return;
    cloud::World world(spec);
    world.run_until(horizon);
    report::RunTiming timing;
    timing.include = false;
    const auto summary = report::make_summary(world, timing);
    (void)report::human_summary(world, summary, "");
    (void)report::timeseries_csv(world);
    (void)report::events_jsonl(world);
    (void)world.cost().ledger().bill_csv();
}

// Returns true when the text loaded as a scenario (and was run), false when it was refused
// with a ScenarioError. Anything else is the bug the fuzzer looks for.
inline bool exercise_scenario(std::string_view text) {
    scenario::Spec spec;
    std::vector<scenario::Diagnostic> warnings;
    try {
        spec = scenario::load_text(text, "fuzz.toml", {}, kBaseDir, &warnings);
    } catch (const scenario::ScenarioError&) {
        return false;  // a clear error: what the user should see
    }
    for (const auto& w : warnings)
        (void)w.format();
    // explain's output is a scenario; loading it again must not crash either.
    const std::string resolved = scenario::explain(spec);
    try {
        (void)scenario::load_text(resolved, "fuzz-explain.toml", {}, kBaseDir);
    } catch (const scenario::ScenarioError&) {
    }
    capped_run(spec);
    return true;
}

}  // namespace stratus::fuzz
