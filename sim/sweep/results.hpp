#pragma once
// A sweep's results file (RESULTS.csv): a header, then one row per (point, replication),
// keyed by the first two columns. Read back for --resume and `stratus merge`; written in
// (point, replication) order, so the same runs give the same bytes however they were run.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

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
Results read_results(const std::string& path);

// Header and rows in (point, replication) order.
std::string results_text(const Results& results);

// `stratus merge OUT SHARD...`: the shards' rows in one file, byte-identical to what a single
// run of the whole sweep writes. Headers must match; a (point, replication) in two shards, or
// missing between the first and the last, is an error. Returns a line saying what was merged.
// Throws UsageError.
std::string merge_results(const std::string& out, const std::vector<std::string>& shards,
                          bool force);

}  // namespace stratus::sweep
