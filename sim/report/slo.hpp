#pragma once
// Service level objectives judged over windows (docs/slo.md). The run is cut into windows of
// `[slo] window` from its start (a multiple of the metrics period, so each window is exactly
// the union of its periods); each window keeps what the clients got in it: the answers by
// HTTP code and the latency percentiles of every answer, errors included with their own
// latency (a 504 took the client's timeout, a 503 from the load balancer almost nothing).
// Each objective is judged in every window after the warm-up; a window without a successful
// request misses every objective. An objective is met when the share of windows that missed
// it is within the budget; the SLO is met when every objective is.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/cloud/request.hpp"
#include "sim/core/sim_time.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::report {

enum class SloObjective {
    LatencyP50,
    LatencyP90,
    LatencyP99,
    LatencyP999,
    Availability,
    ErrorRate
};
constexpr std::size_t kSloObjectiveCount = 6;

// The objectives, declared once: the [slo] key, the summary's unit, and how a window is read.
struct SloObjectiveInfo {
    SloObjective kind;
    const char* key;    // "latency_p99": the [slo] key and the summary's name
    int percentile;     // index into SloWindow::latency for a latency; -1 otherwise
    bool at_least;      // the target is a floor (availability) rather than a ceiling
    const char* unit;   // "ms" or "%"
    const char* label;  // "p99", "availability", "error rate"
};
const std::array<SloObjectiveInfo, kSloObjectiveCount>& slo_objectives();
const SloObjectiveInfo& info(SloObjective kind);

// The latency percentiles every window records: p50, p90, p99, p99.9.
constexpr std::array<double, 4> kWindowPercentiles = {50, 90, 99, 99.9};

// What the clients got in one window (or in the whole run after the warm-up).
struct SloWindow {
    SimTime start = 0;
    SimTime length = 0;
    std::array<std::uint64_t, cloud::kOutcomeCount> outcomes{};  // answers, by outcome
    // Percentiles (kWindowPercentiles) of every answer's latency, errors included; -1: none.
    std::array<SimTime, kWindowPercentiles.size()> latency{{-1, -1, -1, -1}};

    std::uint64_t ok() const { return outcomes[static_cast<int>(cloud::Outcome::Ok)]; }
    std::uint64_t answered() const;
    std::uint64_t errors() const { return answered() - ok(); }
    // The objective's figure in this window (ms or percent); none without an answer.
    std::optional<double> value(SloObjective kind) const;
};

// The window the SLO is judged over: [slo] window, else the metrics period.
SimTime slo_window(const scenario::Spec& spec);
// The objectives the [slo] section sets, in slo_objectives() order, with their targets (ms or
// percent).
std::vector<std::pair<SloObjective, double>> slo_targets(const scenario::SloSpec& slo);
// Whether figure `value` keeps objective `kind` at `target`.
bool within(SloObjective kind, double value, double target);
// Whether window `w` misses the objective: no successful request in it, or its figure is not
// within the target.
bool misses(const SloWindow& w, SloObjective kind, double target);

struct ObjectiveVerdict {
    SloObjective kind = SloObjective::LatencyP99;
    double target = 0;  // ms or percent
    bool met = false;
    std::size_t missed = 0;                 // judged windows that missed this objective
    std::optional<std::size_t> worst;       // index in the windows of the worst figure
    std::optional<std::size_t> first_miss;  // index of the first window that missed
    std::optional<double> whole_run;        // the figure over the whole run after the warm-up
    bool whole_run_met = false;
};

struct SloVerdict {
    SimTime window = 0;
    double budget = 0;
    SimTime warmup = 0;               // windows starting before it are not judged
    std::size_t judged = 0;           // windows judged
    std::size_t excluded = 0;         // windows before the end of the warm-up
    std::size_t missed = 0;           // judged windows that missed at least one objective
    std::size_t without_success = 0;  // judged windows without a successful request
    std::optional<std::size_t> first_miss;
    bool met = false;
    std::vector<ObjectiveVerdict> objectives;
};

// The clock time of `t` into a run that started at `start_epoch_s`: "2026-11-27T14:10:00Z".
std::string clock_time(std::int64_t start_epoch_s, SimTime t);
// The Unix seconds of a clock_time text ("2026-11-27T14:10:00Z"); 0 when it is not one.
std::int64_t epoch_of(const std::string& clock_time_text);

// Judges every objective of `slo` over `windows` (in time order) and the whole run.
SloVerdict judge_slo(const scenario::SloSpec& slo, SimTime window, SimTime warmup,
                     const std::vector<SloWindow>& windows, const SloWindow& whole_run);

}  // namespace stratus::report
