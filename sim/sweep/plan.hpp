#pragma once
// A sweep, checked and ready to run: the scenario text, the design's points, the replications
// and their seeds, the shard this invocation runs, and the results' columns. Every point is
// loaded and validated when the plan is made, so a bad path or value stops the sweep before
// anything is written. `run_row` is const and touches no shared state: any number of threads
// (or MPI ranks) may call it at once, each building its own World.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/scenario/diagnostic.hpp"
#include "sim/sweep/design.hpp"

namespace stratus::sweep {

// The largest sweep (docs/hardening.md): its rows stay in memory until the final sorted file
// is written, and a results file is read whole for --resume and merge.
constexpr std::uint64_t kMaxRuns = 100000;
constexpr std::uint64_t kMaxReplications = 1000000;

// A mistake on the command line or in a results file (exit status 2).
class UsageError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// `--shard K/N`: this invocation runs the runs whose index i has i % N == K - 1.
struct Shard {
    std::uint64_t index = 1;  // K, 1-based
    std::uint64_t count = 1;  // N
};
Shard parse_shard(const std::string& text);  // throws UsageError

struct PlanInput {
    std::string scenario_file;
    std::vector<std::string> sets;   // --set PATH=VALUE, applied to every run
    std::vector<std::string> grids;  // --grid PATH=..., crossed after the design file's factors
    std::string design_file;         // --design FILE (TOML), optional
    int replications = 0;            // --replications; 0: the design file's, else 1
    std::string shard;               // --shard K/N, optional
    std::string fidelity;            // --fidelity request|fluid: simulation.fidelity for all
};

// The summary's figures flattened to (column, cell) pairs in summary order: nested keys joined
// with '.', numbers as JSON writes them, booleans true/false, null empty. Left out: what does
// not vary between runs of one scenario (scenario, fidelity, region, price list), the seed
// (its own column), costs by tag (keys depend on what was billed) and wall-clock figures.
std::vector<std::pair<std::string, std::string>> flatten_summary(const nlohmann::ordered_json& s);

class Plan {
  public:
    static Plan make(const PlanInput& input);  // throws ScenarioError, UsageError

    const std::vector<std::string>& header() const { return header_; }
    const std::string& scenario_text() const { return text_; }
    const std::vector<std::string>& paths() const { return paths_; }
    const std::vector<scenario::Diagnostic>& warnings() const { return warnings_; }
    std::uint64_t point_count() const { return points_; }
    std::uint64_t replications() const { return replications_; }
    std::uint64_t run_count() const { return points_ * replications_; }
    const Shard& shard() const { return shard_; }
    bool in_shard(std::uint64_t run) const { return run % shard_.count == shard_.index - 1; }
    std::vector<std::uint64_t> shard_runs() const;

    // Replication r of every point runs with seed base + r (common random numbers).
    std::uint64_t seed(std::uint64_t replication) const { return base_seed_ + replication; }
    // The cells that identify run `run`: point, replication, the varied values, the seed.
    std::vector<std::string> key_cells(std::uint64_t run) const;
    // Runs one simulation and returns its results line (CSV, with '\n').
    std::string run_row(std::uint64_t run) const;

  private:
    std::vector<std::string> overrides(std::uint64_t point) const;

    std::string text_, file_, base_dir_;
    std::vector<std::string> sets_;
    Design design_;
    std::vector<std::string> paths_;
    std::uint64_t points_ = 1, replications_ = 1, base_seed_ = 1;
    Shard shard_;
    std::vector<std::string> figures_;
    std::vector<std::string> header_;
    std::vector<scenario::Diagnostic> warnings_;
};

}  // namespace stratus::sweep
