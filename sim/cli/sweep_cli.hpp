#pragma once
// The options of `stratus sweep` and `stratus merge` (CLI11), shared by the `stratus`
// command and the MPI build's `stratus-mpi`.
#include <CLI/CLI.hpp>

#include "sim/sweep/sweep.hpp"

namespace stratus::cli {

CLI::App* add_sweep_command(CLI::App& app, sweep::SweepOptions& o);
CLI::App* add_merge_command(CLI::App& app, sweep::MergeOptions& o);

}  // namespace stratus::cli
