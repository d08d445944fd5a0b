#pragma once
// The options of `stratus sweep` and `stratus merge` (CLI11): a small library of their own
// (stratus_sweep_options), shared by the `stratus` command and the MPI build's `stratus-mpi`,
// so that neither front end includes the other.
#include <CLI/CLI.hpp>

#include "sim/sweep/sweep.hpp"

namespace stratus::sweep {

CLI::App* add_sweep_command(CLI::App& app, SweepOptions& o);
// --confidence and --baseline, shared by sweep, merge and report.
void add_answer_options(CLI::App* cmd, AnswerOptions& o);
CLI::App* add_merge_command(CLI::App& app, MergeOptions& o);

}  // namespace stratus::sweep
