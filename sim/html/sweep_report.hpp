#pragma once
// The report to hand over for a sweep: one self-contained HTML file with the answer sentence,
// cost against the latency figure (the windowed p99 when the SLO has one) with each point's
// 95 % intervals on both axes and the Pareto front, the paired differences against the
// baseline, and the per-point table. Made from the results file alone (and its report), so it
// can be written long after the sweep. Each point's figures carry data attributes (the test
// compares them with a reading of the CSV).
#include <string>

#include "sim/sweep/report.hpp"
#include "sim/sweep/results.hpp"

namespace stratus::html {

std::string sweep_report_html(const std::string& title, const sweep::Results& results,
                              const sweep::SweepReport& report);

}  // namespace stratus::html
