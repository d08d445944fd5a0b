#pragma once
// The outputs of a run, as the contract defines them: summary.json, timeseries.csv and
// events.jsonl, plus the short human summary printed on stdout. Files are written to a
// temporary name and renamed into place, so an interrupted run never leaves half a file.
#include <string>

#include <nlohmann/json.hpp>

#include "sim/cloud/world.hpp"

namespace stratus::report {

struct RunTiming {
    double wall_s = 0;
    bool include = true;  // false: leave the wall-clock figures out (byte-identical reruns)
};

nlohmann::ordered_json make_summary(const cloud::World& world, const RunTiming& timing);
std::string timeseries_csv(const cloud::World& world);
std::string events_jsonl(const cloud::World& world);
std::string human_summary(const cloud::World& world, const nlohmann::ordered_json& summary,
                          const std::string& out_dir);

// Writes `content` to `path` through a temporary file in the same folder and a rename.
void write_file_atomically(const std::string& path, const std::string& content);

// Creates `dir` if needed and writes the three output files into it.
void write_outputs(const std::string& dir, const cloud::World& world,
                   const nlohmann::ordered_json& summary);

}  // namespace stratus::report
