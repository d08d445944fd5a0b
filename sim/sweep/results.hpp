#pragma once
// A sweep's results file (RESULTS.csv): a header, then one row per (point, replication),
// keyed by the first two columns. Read back for --resume and `stratus merge`; written in
// (point, replication) order, so the same runs give the same bytes however they were run.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/sweep/manifest.hpp"

namespace stratus::sweep {

struct ResultRow {
    std::vector<std::string> fields;
    std::string text;  // the line as written, with '\n'
    int line = 0;
};

using RunKey = std::pair<std::uint64_t, std::uint64_t>;  // (point, replication)

struct Results {
    std::vector<std::string> header;
    std::map<RunKey, ResultRow> rows;
    int incomplete_line = 0;  // a last line cut short (an interrupted write), 0 when none
};

// Parses a results file. Throws UsageError naming the file and line for a malformed row,
// a row whose width differs from the header, or a (point, replication) seen twice. A last
// line without its '\n' is not a row (incomplete_line says where it was).
Results parse_results(const std::string& text, const std::string& file_name);
// Reads a results file: only a regular file of at most kMaxResultsBytes (UsageError else).
constexpr std::uint64_t kMaxResultsBytes = 64u << 20;
Results read_results(const std::string& path);

// Header and rows in (point, replication) order.
std::string results_text(const Results& results);

// `stratus merge OUT SHARD...`: the shards' rows in one set, byte-identical to what a single
// run of the whole sweep writes. Headers must match; a (point, replication) in two shards, or
// missing between the first and the last (or from the sweep's size, when the shards have
// manifests), is an error, and so are rows whose identifying cells differ from what the
// manifests fingerprinted. Reads only; throws UsageError.
struct MergedShards {
    Results results;
    std::optional<SweepManifest> manifest;  // the whole sweep's, when the shards had theirs
    std::uint64_t points = 0, replications = 0;
    std::size_t shard_files = 0;
    std::string summary(const std::string& out) const;  // "merged 3 shard file(s): ..."
};
MergedShards merge_shards(const std::vector<std::string>& shards);
// The same from shards already read (the fuzzer's way in).
struct ShardInput {
    std::string path;
    std::optional<SweepManifest> manifest;
    Results results;
};
MergedShards merge_loaded(std::vector<ShardInput> shards);

}  // namespace stratus::sweep
