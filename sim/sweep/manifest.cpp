#include "sim/sweep/manifest.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/report/outputs.hpp"

namespace stratus::sweep {

namespace {

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

std::string SweepManifest::json() const {
    nlohmann::ordered_json j;
    j["scenario_file"] = scenario_file;
    j["scenario_fnv1a64"] = scenario_hash;
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
    m.points = plan.point_count();
    m.replications = plan.replications();
    m.shard = plan.shard();
    return m;
}

std::optional<SweepManifest> read_manifest(const std::string& results_path) {
    const std::string path = manifest_path(results_path);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    try {
        const auto j = nlohmann::json::parse(text.str());
        SweepManifest m;
        m.scenario_file = j.at("scenario_file").get<std::string>();
        m.scenario_hash = j.at("scenario_fnv1a64").get<std::string>();
        m.set = j.at("set").get<std::vector<std::string>>();
        m.points = j.at("points").get<std::uint64_t>();
        m.replications = j.at("replications").get<std::uint64_t>();
        m.shard = parse_shard(j.at("shard").get<std::string>());
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

void write_manifest(const std::string& results_path, const SweepManifest& manifest) {
    report::write_file_atomically(manifest_path(results_path), manifest.json());
}

std::string other_sweep(const SweepManifest& a, const SweepManifest& b) {
    if (a.scenario_hash != b.scenario_hash) return "the scenario file's text";
    if (a.set != b.set) return "the --set values";
    if (a.points != b.points || a.replications != b.replications)
        return fmt::format("the size ({} points x {} replications against {} x {})", a.points,
                           a.replications, b.points, b.replications);
    if (a.shard.count != b.shard.count)
        return fmt::format("the number of shards ({} against {})", a.shard.count, b.shard.count);
    return "";
}

}  // namespace stratus::sweep
