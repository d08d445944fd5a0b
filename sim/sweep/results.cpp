#include "sim/sweep/results.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "sim/report/outputs.hpp"
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

}  // namespace

Results parse_results(const std::string& text, const std::string& file_name) {
    Results r;
    auto records = parse_csv(text, &r.incomplete_line);
    if (records.empty()) return r;
    r.header = records[0].fields;
    if (r.header.size() < 3 || r.header[0] != "point" || r.header[1] != "replication")
        throw UsageError(fmt::format(
            "{}:1: not a sweep results file (its header does not start with point,replication)",
            file_name));
    for (std::size_t i = 1; i < records.size(); ++i) {
        auto& rec = records[i];
        if (rec.fields.size() != r.header.size())
            throw UsageError(fmt::format("{}:{}: the row has {} fields, the header {}", file_name,
                                         rec.line, rec.fields.size(), r.header.size()));
        RunKey key;
        if (!parse_index(rec.fields[0], &key.first) || !parse_index(rec.fields[1], &key.second))
            throw UsageError(fmt::format(
                "{}:{}: point and replication must be whole numbers, found `{}` and `{}`",
                file_name, rec.line, rec.fields[0], rec.fields[1]));
        auto [it, inserted] = r.rows.emplace(key, ResultRow{rec.fields, rec.text, rec.line});
        if (!inserted)
            throw UsageError(fmt::format("{}:{}: point {} replication {} again (first at line {})",
                                         file_name, rec.line, key.first, key.second,
                                         it->second.line));
    }
    return r;
}

Results read_results(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UsageError(fmt::format("cannot read {}", path));
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse_results(ss.str(), path);
}

std::string results_text(const Results& results) {
    std::string out = csv_line(results.header);
    for (const auto& [key, row] : results.rows)
        out += row.text;
    return out;
}

std::string merge_results(const std::string& out, const std::vector<std::string>& shards,
                          bool force) {
    if (shards.empty()) throw UsageError("merge: no shard file given");
    std::error_code ec;
    if (std::filesystem::exists(out, ec) && !force)
        throw UsageError(
            fmt::format("merge: {} exists; nothing was written (pass --force to replace it)", out));
    // The shards' manifests (when they have them) say how many shards and runs the sweep
    // has: a shard not given is found even when it held the last runs.
    std::optional<SweepManifest> sweep;
    std::string sweep_file;  // the first shard with a manifest
    std::map<std::uint64_t, std::string> shard_files;
    bool every_manifest = true;
    for (const auto& path : shards) {
        const auto m = read_manifest(path);
        if (!m) {
            every_manifest = false;
            continue;
        }
        if (!sweep) {
            sweep = m;
            sweep_file = path;
        } else if (const std::string what = other_sweep(*sweep, *m); !what.empty()) {
            throw UsageError(
                fmt::format("merge: {} and {} are shards of different sweeps: {} "
                            "differ ({}); nothing was written",
                            sweep_file, path, what, manifest_path(path)));
        }
        auto [it, inserted] = shard_files.emplace(m->shard.index, path);
        if (!inserted && it->second != path)
            throw UsageError(
                fmt::format("merge: {} and {} are both shard {}/{}; nothing was "
                            "written",
                            it->second, path, m->shard.index, m->shard.count));
    }
    if (sweep && every_manifest) {
        for (std::uint64_t k = 1; k <= sweep->shard.count; ++k)
            if (!shard_files.count(k))
                throw UsageError(
                    fmt::format("merge: shard {}/{} of the sweep of {} is not "
                                "given; nothing was written",
                                k, sweep->shard.count, sweep->scenario_file));
    }
    Results merged;
    std::map<RunKey, std::string> from;
    for (const auto& path : shards) {
        Results r = read_results(path);
        if (r.header.empty()) throw UsageError(fmt::format("merge: {} is empty (no header)", path));
        if (r.incomplete_line)
            throw UsageError(
                fmt::format("merge: {}:{}: the last line is cut short (an "
                            "interrupted shard: finish it with --resume)",
                            path, r.incomplete_line));
        if (merged.header.empty()) {
            merged.header = r.header;
        } else if (r.header != merged.header) {
            throw UsageError(
                fmt::format("merge: {} has other columns than {}: not shards of one "
                            "sweep",
                            path, shards[0]));
        }
        for (auto& [key, row] : r.rows) {
            auto [it, inserted] = from.emplace(key, path);
            if (!inserted)
                throw UsageError(
                    fmt::format("merge: point {} replication {} is in both {} and "
                                "{}:{}",
                                key.first, key.second, it->second, path, row.line));
            merged.rows.emplace(key, std::move(row));
        }
    }
    // Every run of the sweep must be there: as its manifest says, else every (point,
    // replication) up to the largest of each.
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
    std::vector<std::string> missing;
    std::uint64_t missing_count = 0;
    for (std::uint64_t p = 0; p < points; ++p)
        for (std::uint64_t r = 0; r < reps; ++r)
            if (!merged.rows.count({p, r})) {
                ++missing_count;
                if (missing.size() < 10) missing.push_back(fmt::format("{}/{}", p, r));
            }
    if (missing_count)
        throw UsageError(
            fmt::format("merge: {} run(s) missing (point/replication: {}{}): a shard "
                        "not given or not finished; nothing was written",
                        missing_count, fmt::join(missing, ", "),
                        missing_count > missing.size() ? ", ..." : ""));
    report::write_file_atomically(out, results_text(merged));
    if (sweep) {
        SweepManifest whole = *sweep;
        whole.shard = Shard{};
        write_manifest(out, whole);
    }
    return fmt::format("merged {} shard file(s): {} points x {} replications = {} rows into {}",
                       shards.size(), points, reps, merged.rows.size(), out);
}

}  // namespace stratus::sweep
