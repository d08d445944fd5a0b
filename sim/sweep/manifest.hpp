#pragma once
// A sweep's manifest, RESULTS.csv.sweep.json beside its results file: what the rows cannot
// say about the sweep that wrote them. The rows carry each run's varied values and seed; the
// manifest adds a fingerprint of the scenario text and the --set values applied to every run,
// the sweep's size and the shard. `--resume` refuses a file whose manifest is another
// sweep's, and `stratus merge` knows from the shards' manifests how many shards and runs
// there are, so a missing shard is found even when it held the last runs.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/sweep/plan.hpp"

namespace stratus::sweep {

// FNV-1a 64 over the identifying cells of runs (point, replication, varied values, seed) in
// run order: the design's fingerprint, which a results file's rows must reproduce.
class RunFingerprint {
  public:
    void add_run(const std::vector<std::string>& key_cells);
    std::string hex() const;  // 16 hex digits

  private:
    void add(unsigned char c) {
        hash_ ^= c;
        hash_ *= 1099511628211ull;
    }
    std::uint64_t hash_ = 14695981039346656037ull;
};

struct SweepManifest {
    std::string scenario_file;     // as given on the command line
    std::string scenario_hash;     // FNV-1a 64 of the scenario text, 16 hex digits
    std::string design_hash;       // RunFingerprint of every run; empty in older manifests
    std::string shard_hash;        // RunFingerprint of this shard's runs (all runs: 1 shard)
    std::vector<std::string> set;  // --set PATH=VALUE, in order
    std::uint64_t points = 0;
    std::uint64_t replications = 0;
    Shard shard;

    std::uint64_t runs() const { return points * replications; }
    std::string json() const;  // one JSON object, with '\n'
};

std::string manifest_path(const std::string& results_path);  // results_path + ".sweep.json"
SweepManifest manifest_of(const Plan& plan, const PlanInput& input);
// The manifest beside `results_path`; none when there is no such file (results written before
// manifests existed, or by hand). Throws UsageError for one that cannot be read.
std::optional<SweepManifest> read_manifest(const std::string& results_path);
// The same from its text (`path` names it in messages); the sizes are checked against the
// largest sweep (kMaxRuns). Throws UsageError.
SweepManifest parse_manifest(const std::string& text, const std::string& path);
// What makes `b` another sweep than `a` ("the scenario file's text", "the --set values", ...),
// empty when they are one sweep. The shard is not compared.
std::string other_sweep(const SweepManifest& a, const SweepManifest& b);

}  // namespace stratus::sweep
