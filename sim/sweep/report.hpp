#pragma once
// The end-of-sweep report, computed from the results rows (so `merge` can print it too): per
// point, the mean and 95 % confidence interval of key figures over its replications, whether
// it met the scenario's SLO in every replication, and the Pareto front of two figures among
// the points that did.
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

// The figures summarised by default, when the results have them.
std::vector<std::string> default_figures(const std::vector<std::string>& header);

struct PointSummary {
    std::uint64_t point = 0;
    std::vector<std::string> labels;  // the varied values
    int replications = 0;
    std::vector<MeanCi> figures;  // one per SweepReport::figures
    std::optional<bool> slo_met;  // every replication met every SLO; none without an SLO
    bool pareto = false;
};

struct SweepReport {
    std::vector<std::string> paths;    // varied paths
    std::vector<std::string> figures;  // summarised columns
    std::vector<ParetoAxis> pareto;    // empty or two
    std::vector<PointSummary> points;
};

SweepReport make_report(const Results& results, std::vector<std::string> figures,
                        const std::vector<ParetoAxis>& pareto);
// The table for a terminal: one line per point, "mean ± half-width" per figure.
std::string report_table(const SweepReport& report);
// The same as CSV: point, the varied values, replications, <figure>.mean, <figure>.ci95 (the
// half-width), slo_met, pareto.
std::string report_csv(const SweepReport& report);

}  // namespace stratus::sweep
