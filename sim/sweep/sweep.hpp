#pragma once
// `stratus sweep` and `stratus merge` from their parsed options: plan, check the results
// file, run what is missing (streaming each row to the file as it finishes), write the file
// sorted, and print the per-point report. The command line (CLI11) only fills these options.
#include <string>
#include <vector>

#include "sim/sweep/executor.hpp"
#include "sim/sweep/plan.hpp"
#include "sim/sweep/report.hpp"

namespace stratus::sweep {

struct SweepOptions {
    PlanInput plan;
    int jobs = 1;
    std::string out;        // RESULTS.csv
    bool resume = false;    // keep the rows already in `out`, run the rest
    bool force = false;     // replace an existing `out`
    bool quiet = false;     // no progress, no report
    std::string pareto;     // "cost_usd.total,latency_ms.p99"
    std::string stats_out;  // per-point means and CIs as CSV
    AnswerOptions answer;   // --confidence, --baseline
};

// Exit status (docs/sweeps.md): 0, 2 (usage, scenario or results file error: nothing is
// written), 1 (a run failed; the rows finished so far stay in the file for --resume).
int run_sweep(const SweepOptions& options, Executor& executor);

struct MergeOptions {
    std::string out;
    std::vector<std::string> shards;
    bool force = false;
    bool quiet = false;
    std::string pareto;
    std::string stats_out;
    AnswerOptions answer;
};
int run_merge(const MergeOptions& options);

}  // namespace stratus::sweep
