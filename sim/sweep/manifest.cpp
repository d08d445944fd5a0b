#include "sim/sweep/manifest.hpp"

#include <sys/stat.h>

#include <cerrno>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/core/files.hpp"

namespace stratus::sweep {

namespace {

// A manifest is a few hundred bytes plus the --set values.
constexpr std::uint64_t kMaxManifestBytes = 16u << 20;

// Detects a changed file, not an adversary: FNV-1a is enough and needs no library.
std::string fnv1a_hex(const std::string& text) {
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return fmt::format("{:016x}", h);
}

}  // namespace

void RunFingerprint::add_run(const std::vector<std::string>& key_cells) {
    for (const auto& cell : key_cells) {
        for (unsigned char c : cell)
            add(c);
        add(0x1f);  // a unit separator: ("ab", "c") and ("a", "bc") differ
    }
    add('\n');
}

std::string RunFingerprint::hex() const {
    return fmt::format("{:016x}", hash_);
}

std::string SweepManifest::json() const {
    nlohmann::ordered_json j;
    j["scenario_file"] = scenario_file;
    j["scenario_fnv1a64"] = scenario_hash;
    j["design_fnv1a64"] = design_hash;
    j["shard_design_fnv1a64"] = shard_hash;
    j["set"] = set;
    j["points"] = points;
    j["replications"] = replications;
    j["runs"] = runs();
    j["shard"] = fmt::format("{}/{}", shard.index, shard.count);
    return j.dump(2) + "\n";
}

std::string manifest_path(const std::string& results_path) {
    return results_path + ".sweep.json";
}

SweepManifest manifest_of(const Plan& plan, const PlanInput& input) {
    SweepManifest m;
    m.scenario_file = input.scenario_file;
    m.scenario_hash = fnv1a_hex(plan.scenario_text());
    m.set = input.sets;
    if (!input.fidelity.empty()) m.set.push_back("simulation.fidelity=" + input.fidelity);
    RunFingerprint design, shard;
    for (std::uint64_t point = 0; point < plan.point_count(); ++point) {
        // The point's cells once; each replication changes only its number and seed.
        auto cells = plan.key_cells(point * plan.replications());
        for (std::uint64_t r = 0; r < plan.replications(); ++r) {
            cells[1] = std::to_string(r);
            cells.back() = std::to_string(plan.seed(r));
            design.add_run(cells);
            if (plan.in_shard(point * plan.replications() + r)) shard.add_run(cells);
        }
    }
    m.design_hash = design.hex();
    m.shard_hash = shard.hex();
    m.points = plan.point_count();
    m.replications = plan.replications();
    m.shard = plan.shard();
    return m;
}

std::optional<SweepManifest> read_manifest(const std::string& results_path) {
    const std::string path = manifest_path(results_path);
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0 && errno == ENOENT) return std::nullopt;
    std::string text;
    try {
        text = files::read_regular_file(path, kMaxManifestBytes, "manifests");
    } catch (const files::FileError& e) {
        throw UsageError(fmt::format("cannot read the sweep manifest {}: {}", path, e.reason()));
    }
    return parse_manifest(text, path);
}

SweepManifest parse_manifest(const std::string& text, const std::string& path) {
    try {
        const auto j = nlohmann::json::parse(text);
        SweepManifest m;
        m.scenario_file = j.at("scenario_file").get<std::string>();
        m.scenario_hash = j.at("scenario_fnv1a64").get<std::string>();
        m.design_hash = j.value("design_fnv1a64", std::string());
        m.shard_hash = j.value("shard_design_fnv1a64", std::string());
        m.set = j.at("set").get<std::vector<std::string>>();
        // Whole numbers only: a float or a negative number is not converted (UB, wraps).
        auto count = [&](const char* key) {
            const auto& v = j.at(key);
            if (!v.is_number_unsigned())
                throw UsageError(fmt::format("`{}` is not a whole number >= 0", key));
            return v.get<std::uint64_t>();
        };
        m.points = count("points");
        m.replications = count("replications");
        m.shard = parse_shard(j.at("shard").get<std::string>());
        if (m.points < 1 || m.replications < 1 || m.replications > kMaxReplications ||
            m.points > kMaxRuns / m.replications)
            throw UsageError(
                fmt::format("{} points x {} replications is not a sweep (at most {} "
                            "runs)",
                            m.points, m.replications, kMaxRuns));
        return m;
    } catch (const nlohmann::json::exception& e) {
        throw UsageError(
            fmt::format("{}: not a sweep manifest ({}); remove it to go on without "
                        "its checks",
                        path, e.what()));
    } catch (const UsageError& e) {
        throw UsageError(fmt::format("{}: {}", path, e.what()));
    }
}

std::string other_sweep(const SweepManifest& a, const SweepManifest& b) {
    if (a.scenario_hash != b.scenario_hash) return "the scenario file's text";
    if (a.set != b.set) return "the --set values";
    if (!a.design_hash.empty() && !b.design_hash.empty() && a.design_hash != b.design_hash)
        return "the grid or design (the varied values or seeds)";
    if (a.points != b.points || a.replications != b.replications)
        return fmt::format("the size ({} points x {} replications against {} x {})", a.points,
                           a.replications, b.points, b.replications);
    if (a.shard.count != b.shard.count)
        return fmt::format("the number of shards ({} against {})", a.shard.count, b.shard.count);
    return "";
}

}  // namespace stratus::sweep
