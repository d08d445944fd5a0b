#pragma once
// What the fuzzer does with one input, shared with tests/test_fuzz_regressions.cpp so that
// every input it ever crashed on is replayed by the normal test suite: load the text as a
// scenario with its --set overrides, explain it and load the explanation again, then run it
// for a few capped simulated minutes (its [[action]]s included) and render every report in
// memory; parse the sweep inputs it carries (results, manifest, design, grids) and merge
// them. Nothing is written to disk.
//
// The rule: a scenario either loads or throws ScenarioError; anything else escaping
// (another exception, a crash, undefined behaviour, a hang, unbounded memory) is a bug.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/cloud/network.hpp"
#include "sim/cloud/rate_function.hpp"
#include "sim/cloud/run_limits.hpp"
#include "sim/cloud/world.hpp"
#include "sim/report/outputs.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/sweep/design.hpp"
#include "sim/sweep/manifest.hpp"
#include "sim/sweep/report.hpp"
#include "sim/sweep/results.hpp"

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
    report::Run run(spec);
    run.world().run_until(horizon);
    report::RunTiming timing;
    timing.include = false;
    const auto summary = report::make_summary(run, timing);
    (void)report::human_summary(run, summary, "");
    (void)report::timeseries_csv(run);
    (void)report::events_jsonl(run);
    (void)run.world().cost().ledger().bill_csv();
}

// Returns true when the text loaded as a scenario (and was run), false when it was refused
// with a ScenarioError. `sets` are --set overrides (PATH=VALUE). Anything else is the bug the
// fuzzer looks for.
inline bool exercise_scenario(std::string_view text, const std::vector<std::string>& sets = {}) {
    scenario::Spec spec;
    std::vector<scenario::Diagnostic> warnings;
    try {
        spec = scenario::load_text(text, "fuzz.toml", sets, kBaseDir, &warnings);
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

// A sweep's inputs from a user's disk: a results file (read by --resume and merge), its
// manifest, a design file, and --grid arguments. Each either parses or throws UsageError or
// ScenarioError; the results are then summarised and merged as `stratus merge` would.
inline void exercise_sweep_inputs(std::string_view results, std::string_view manifest,
                                  std::string_view design, const std::vector<std::string>& grids) {
    std::optional<sweep::SweepManifest> m;
    if (!manifest.empty()) {
        try {
            m = sweep::parse_manifest(std::string(manifest), "fuzz.csv.sweep.json");
            (void)m->json();
        } catch (const sweep::UsageError&) {
        }
    }
    if (!results.empty()) {
        try {
            sweep::Results r = sweep::parse_results(std::string(results), "fuzz.csv");
            (void)sweep::results_text(r);
            std::vector<sweep::ParetoAxis> pareto;
            try {
                pareto = sweep::parse_pareto("cost_usd.total,latency_ms.p99", r.header);
            } catch (const sweep::UsageError&) {
            }
            const auto report = sweep::make_report(r, sweep::default_figures(r.header), pareto);
            (void)sweep::report_table(report);
            (void)sweep::report_csv(report);
            // One shard with the manifest, as merge sees it.
            std::vector<sweep::ShardInput> shards;
            shards.push_back(sweep::ShardInput{"fuzz.csv", m, std::move(r)});
            (void)sweep::merge_loaded(std::move(shards)).summary("merged.csv");
        } catch (const sweep::UsageError&) {
        }
    }
    if (!design.empty()) {
        try {
            (void)sweep::load_design_text(std::string(design), "fuzz-design.toml");
        } catch (const scenario::ScenarioError&) {
        }
    }
    for (const auto& g : grids) {
        try {
            (void)sweep::parse_grid(g);
        } catch (const scenario::ScenarioError&) {
        }
    }
}

// One fuzzing input: a scenario, then optional parts, each after a marker line of its own:
//   #%set       one --set PATH=VALUE per line (also tried as --grid arguments)
//   #%results   a sweep results file (CSV)
//   #%manifest  a sweep manifest (JSON)
//   #%design    a sweep design file (TOML)
// (fuzz/toml.dict has the markers, so mutations move text between the parts.)
struct FuzzInput {
    std::string_view scenario, results, manifest, design;
    std::vector<std::string> sets;
};

inline FuzzInput split_input(std::string_view text) {
    FuzzInput in;
    std::string_view* part = &in.scenario;
    std::string_view sets;
    std::size_t start = 0;
    auto close = [&](std::size_t end) { *part = text.substr(start, end - start); };
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t eol = std::min(text.find('\n', at), text.size());
        const std::string_view line = text.substr(at, eol - at);
        std::string_view* next = nullptr;
        if (line == "#%set") next = &sets;
        if (line == "#%results") next = &in.results;
        if (line == "#%manifest") next = &in.manifest;
        if (line == "#%design") next = &in.design;
        if (next) {
            close(at);
            part = next;
            start = std::min(eol + 1, text.size());
        }
        at = eol + 1;
    }
    close(text.size());
    for (std::size_t at = 0; at < sets.size();) {
        const std::size_t eol = std::min(sets.find('\n', at), sets.size());
        if (eol > at) in.sets.emplace_back(sets.substr(at, eol - at));
        at = eol + 1;
    }
    return in;
}

inline bool exercise_input(std::string_view text) {
    const FuzzInput in = split_input(text);
    exercise_sweep_inputs(in.results, in.manifest, in.design, in.sets);
    return exercise_scenario(in.scenario, in.sets);
}

}  // namespace stratus::fuzz
