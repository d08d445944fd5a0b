#pragma once
// The end-of-sweep report, computed from the results rows (so `merge` and `stratus report`
// can give it too): per point, the mean and 95 % interval of key figures over its
// replications, how many replications met the scenario's SLO (the windowed verdict,
// `slo.met`), paired differences against a reference point, the Pareto front of two figures
// among the points that met the SLO, and one sentence that answers the sweep's question: the
// cheapest point that met the SLO, or the one that came closest.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/sweep/results.hpp"
#include "sim/sweep/stats.hpp"

namespace stratus::sweep {

struct ParetoAxis {
    std::string column;
    bool maximize = false;  // "availability_percent:max"
};

// Parses `--pareto A,B` (each optionally `:max`, default `:min`) against the header's
// columns; throws UsageError naming an unknown column.
std::vector<ParetoAxis> parse_pareto(const std::string& text,
                                     const std::vector<std::string>& header);

// The figures summarised by default, when the results have them: cost_usd.total, the
// windowed p99 (slo.latency_p99.worst_ms), slo.windows_missed, latency_ms.p99 (whole run),
// availability_percent.
std::vector<std::string> default_figures(const std::vector<std::string>& header);
// The cost figure and the latency figure the answer and the paired differences use:
// cost_usd.total, and slo.latency_p99.worst_ms when the SLO has a p99, else latency_ms.p99.
std::string cost_figure();
std::string latency_figure(const std::vector<std::string>& header);

// How the answer is chosen.
struct AnswerOptions {
    // A point qualifies when at least this share of its replications met the SLO (1: every
    // one).
    double confidence = 1.0;
    // `--baseline PATH=V,...`: the reference of the paired differences (default: the chosen
    // point, else point 0).
    std::string baseline;
};

// How far a point that missed the SLO was from it, per objective (means over replications).
struct ObjectiveGap {
    std::string key;   // "latency_p99"
    std::string unit;  // "ms" or "percent"
    bool at_least = false;
    double target = 0;
    double worst = 0;           // mean of the worst window's figure
    double windows_missed = 0;  // mean per run
};

struct PointSummary {
    std::uint64_t point = 0;
    std::vector<std::string> labels;  // the varied values
    int replications = 0;
    std::vector<MeanCi> figures;              // one per SweepReport::figures
    std::vector<std::vector<double>> values;  // per figure, by replication (NaN: none)
    std::optional<bool> slo_met;              // every replication met the SLO; none without one
    int slo_met_replications = 0;
    bool qualifies = false;  // met in at least the confidence's share of replications
    double windows = 0, windows_missed = 0, budget = 0;  // means per run (slo.*)
    std::vector<ObjectiveGap> gaps;
    std::vector<MeanCi> differences;  // per SweepReport::difference_figures, against baseline
    bool pareto = false;
};

struct SweepReport {
    std::vector<std::string> paths;    // varied paths
    std::vector<std::string> figures;  // summarised columns
    std::vector<ParetoAxis> pareto;    // empty or two
    std::vector<PointSummary> points;
    bool has_slo = false;
    double confidence = 1.0;
    std::optional<std::size_t> chosen;     // the cheapest point that qualifies
    std::optional<std::size_t> runner_up;  // the next cheapest
    std::optional<std::size_t> closest;    // when none qualifies
    std::optional<std::size_t> baseline;   // the paired differences' reference
    std::vector<std::string> difference_figures;
    std::string answer;  // the sentence; empty without an SLO
};

// Throws UsageError for a --baseline that names no point.
SweepReport make_report(const Results& results, std::vector<std::string> figures,
                        const std::vector<ParetoAxis>& pareto, const AnswerOptions& options = {});
// The table for a terminal: one line per point, "mean ± half-width" (or "mean [low, high]")
// per figure; then the paired differences and the answer.
std::string report_table(const SweepReport& report);
// The same as CSV: point, the varied values, replications, <figure>.mean, <figure>.ci95 (the
// half-width; empty for a bootstrap interval), <figure>.ci95_low, <figure>.ci95_high,
// slo_met, slo_met_replications, pareto, and <figure>.difference (+ _low, _high) against the
// baseline.
std::string report_csv(const SweepReport& report);
// The point whose varied values are `PATH=V,...` (--baseline); throws UsageError naming what
// does not match.
std::size_t find_point(const SweepReport& report, const std::string& values);
// "point 3 (min_size=6, target_value=50)".
std::string point_name(const SweepReport& report, std::size_t index);

}  // namespace stratus::sweep
