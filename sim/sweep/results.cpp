#include "sim/sweep/results.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "sim/core/files.hpp"
#include "sim/sweep/csv.hpp"
#include "sim/sweep/manifest.hpp"
#include "sim/sweep/plan.hpp"

namespace stratus::sweep {

namespace {

bool parse_index(const std::string& s, std::uint64_t* out) {
    if (s.empty() || s.size() > 18) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    *out = std::stoull(s);
    return true;
}

// The fingerprint of the rows' identifying cells (up to the seed column), in run order.
std::string design_fingerprint(const Results& results) {
    const auto seed = std::find(results.header.begin(), results.header.end(), "seed");
    const std::size_t key_columns =
        seed == results.header.end() ? 2
                                     : static_cast<std::size_t>(seed - results.header.begin()) + 1;
    RunFingerprint fingerprint;
    for (const auto& [key, row] : results.rows)
        fingerprint.add_run(
            std::vector<std::string>(row.fields.begin(), row.fields.begin() + key_columns));
    return fingerprint.hex();
}

}  // namespace

Results parse_results(const std::string& text, const std::string& file_name) {
    Results r;
    bool first = true;
    for_each_csv_record(text, &r.incomplete_line, [&](CsvRecord& rec) {
        if (first) {
            first = false;
            r.header = std::move(rec.fields);
            if (r.header.size() < 3 || r.header[0] != "point" || r.header[1] != "replication")
                throw UsageError(
                    fmt::format("{}:1: not a sweep results file (its header does "
                                "not start with point,replication)",
                                file_name));
            return;
        }
        if (rec.fields.size() != r.header.size())
            throw UsageError(fmt::format("{}:{}: the row has {} fields, the header {}", file_name,
                                         rec.line, rec.fields.size(), r.header.size()));
        RunKey key;
        if (!parse_index(rec.fields[0], &key.first) || !parse_index(rec.fields[1], &key.second))
            throw UsageError(fmt::format(
                "{}:{}: point and replication must be whole numbers, found `{}` and `{}`",
                file_name, rec.line, rec.fields[0], rec.fields[1]));
        auto [it, inserted] =
            r.rows.emplace(key, ResultRow{std::move(rec.fields), std::move(rec.text), rec.line});
        if (!inserted)
            throw UsageError(fmt::format("{}:{}: point {} replication {} again (first at line {})",
                                         file_name, rec.line, key.first, key.second,
                                         it->second.line));
    });
    return r;
}

Results read_results(const std::string& path) {
    std::string text;
    try {
        text = files::read_regular_file(path, kMaxResultsBytes, "results files");
    } catch (const files::FileError& e) {
        throw UsageError(fmt::format("cannot read {}: {}", path, e.reason()));
    }
    return parse_results(text, path);
}

std::string results_text(const Results& results) {
    std::string out = csv_line(results.header);
    for (const auto& [key, row] : results.rows)
        out += row.text;
    return out;
}

std::string MergedShards::summary(const std::string& out) const {
    return fmt::format("merged {} shard file(s): {} points x {} replications = {} rows into {}",
                       shard_files, points, replications, results.rows.size(), out);
}

MergedShards merge_shards(const std::vector<std::string>& shards) {
    if (shards.empty()) throw UsageError("merge: no shard file given");
    // Every manifest first (small: a shard of another sweep is found before reading rows).
    std::vector<ShardInput> inputs;
    for (const auto& path : shards)
        inputs.push_back(ShardInput{path, read_manifest(path), Results{}});
    for (auto& in : inputs)
        in.results = read_results(in.path);
    return merge_loaded(std::move(inputs));
}

namespace {

// The shards' manifests (when they have them) say how many shards and runs the sweep has: a
// shard not given is found even when it held the last runs. Returns the sweep's manifest.
std::optional<SweepManifest> check_manifests(const std::vector<ShardInput>& shards) {
    std::optional<SweepManifest> sweep;
    std::string sweep_file;  // the first shard with a manifest
    std::map<std::uint64_t, std::string> shard_files;
    bool every_manifest = true;
    for (const auto& in : shards) {
        if (!in.manifest) {
            every_manifest = false;
            continue;
        }
        const SweepManifest& m = *in.manifest;
        if (!sweep) {
            sweep = m;
            sweep_file = in.path;
        } else if (const std::string what = other_sweep(*sweep, m); !what.empty()) {
            throw UsageError(
                fmt::format("merge: {} and {} are shards of different sweeps: {} "
                            "differ ({}); nothing was written",
                            sweep_file, in.path, what, manifest_path(in.path)));
        }
        auto [it, inserted] = shard_files.emplace(m.shard.index, in.path);
        if (!inserted && it->second != in.path)
            throw UsageError(
                fmt::format("merge: {} and {} are both shard {}/{}; nothing was "
                            "written",
                            it->second, in.path, m.shard.index, m.shard.count));
    }
    if (sweep && every_manifest && shard_files.size() != sweep->shard.count) {
        // The first shard not given (the given ones are in order in the map).
        std::uint64_t k = 1;
        for (auto it = shard_files.begin(); it != shard_files.end() && it->first == k; ++it)
            ++k;
        throw UsageError(
            fmt::format("merge: shard {}/{} of the sweep of {} is not "
                        "given; nothing was written",
                        k, sweep->shard.count, sweep->scenario_file));
    }
    return sweep;
}

}  // namespace

namespace {

// A shard file must be whole, and its rows the runs its manifest fingerprints.
void check_shard(const ShardInput& in) {
    const std::string& path = in.path;
    const Results& r = in.results;
    if (r.header.empty())
        throw UsageError(fmt::format("merge: {} is empty (no header, no rows)", path));
    if (r.incomplete_line)
        throw UsageError(
            fmt::format("merge: {}:{}: the last line is cut short (an "
                        "interrupted shard: finish it with --resume)",
                        path, r.incomplete_line));
    // Its manifest fingerprints the identifying cells of its runs: an edited grid value,
    // replication or seed is found here, and the shard named.
    if (in.manifest && !in.manifest->shard_hash.empty() &&
        design_fingerprint(r) != in.manifest->shard_hash)
        throw UsageError(fmt::format(
            "merge: {}: its rows are not the runs its manifest describes: a varied "
            "value, a replication or a seed was changed since the sweep wrote them ({}); "
            "nothing was written",
            path, manifest_path(path)));
}

// Moves a shard's rows into `merged` (same columns as the first shard, `first`); `from`
// remembers which file gave each run, to name both files of a run given twice.
void add_rows(ShardInput& in, const std::string& first, Results& merged,
              std::map<RunKey, std::string>& from) {
    const std::string& path = in.path;
    Results& r = in.results;
    if (merged.header.empty()) {
        merged.header = r.header;
    } else if (r.header != merged.header) {
        throw UsageError(
            fmt::format("merge: {} has other columns than {}: not shards of one "
                        "sweep",
                        path, first));
    }
    for (auto& [key, row] : r.rows) {
        if (key.first >= kMaxRuns || key.second >= kMaxReplications)
            throw UsageError(
                fmt::format("merge: {}:{}: point {} replication {} is beyond any sweep (at most {} "
                            "runs)",
                            path, row.line, key.first, key.second, kMaxRuns));
        auto [it, inserted] = from.emplace(key, path);
        if (!inserted)
            throw UsageError(
                fmt::format("merge: point {} replication {} is in both {} and "
                            "{}:{}",
                            key.first, key.second, it->second, path, row.line));
        merged.rows.emplace(key, std::move(row));
    }
}

// The sweep's points and replications: as its manifest says, else every (point,
// replication) up to the largest of each.
std::pair<std::uint64_t, std::uint64_t> sweep_size(const Results& merged,
                                                   const std::optional<SweepManifest>& sweep) {
    std::uint64_t points = 0, reps = 0;
    for (const auto& [key, row] : merged.rows) {
        points = std::max(points, key.first + 1);
        reps = std::max(reps, key.second + 1);
    }
    if (sweep) {
        if (points > sweep->points || reps > sweep->replications)
            throw UsageError(fmt::format(
                "merge: the shards hold point {} or replication {}, beyond the {} points x {} "
                "replications their manifests give; nothing was written",
                points - 1, reps - 1, sweep->points, sweep->replications));
        points = sweep->points;
        reps = sweep->replications;
    }
    if (points > kMaxRuns / std::max<std::uint64_t>(reps, 1))
        throw UsageError(fmt::format(
            "merge: the shards hold point {} and replication {}: more than the {} runs of the "
            "largest sweep; nothing was written",
            points - 1, reps - 1, kMaxRuns));
    return {points, reps};
}

// Every run of the sweep must be there.
void check_complete(const Results& merged, std::uint64_t points, std::uint64_t reps) {
    if (merged.rows.size() == points * reps) return;
    // The rows are in (point, replication) order: walk the expected runs beside them.
    std::vector<std::string> missing;
    auto it = merged.rows.begin();
    for (std::uint64_t p = 0; p < points && missing.size() < 10; ++p)
        for (std::uint64_t r = 0; r < reps && missing.size() < 10; ++r) {
            if (it != merged.rows.end() && it->first == RunKey{p, r})
                ++it;
            else
                missing.push_back(fmt::format("{}/{}", p, r));
        }
    const std::uint64_t missing_count = points * reps - merged.rows.size();
    throw UsageError(fmt::format(
        "merge: {} run(s) missing (point/replication: {}{}): a shard "
        "not given or not finished; nothing was written",
        missing_count, fmt::join(missing, ", "), missing_count > missing.size() ? ", ..." : ""));
}

}  // namespace

MergedShards merge_loaded(std::vector<ShardInput> shards) {
    if (shards.empty()) throw UsageError("merge: no shard file given");
    const std::optional<SweepManifest> sweep = check_manifests(shards);
    Results merged;
    std::map<RunKey, std::string> from;
    for (auto& in : shards) {
        check_shard(in);
        add_rows(in, shards[0].path, merged, from);
    }
    const auto [points, reps] = sweep_size(merged, sweep);
    check_complete(merged, points, reps);
    // The manifests fingerprint every run's identifying cells (point, replication, varied
    // values, seed): rows that were edited are not this sweep's.
    if (sweep && !sweep->design_hash.empty()) {
        const std::string found = design_fingerprint(merged);
        if (found != sweep->design_hash)
            throw UsageError(fmt::format(
                "merge: the shards' rows do not match their sweep: a point's varied value, "
                "replication or seed was changed since the sweep wrote them (the manifests "
                "fingerprint {} against {} in the rows); nothing was written",
                sweep->design_hash, found));
    }
    MergedShards m;
    m.results = std::move(merged);
    if (sweep) {
        m.manifest = *sweep;
        m.manifest->shard = Shard{};
        m.manifest->shard_hash = m.manifest->design_hash;
    }
    m.points = points;
    m.replications = reps;
    m.shard_files = shards.size();
    return m;
}

}  // namespace stratus::sweep
