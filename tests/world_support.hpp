#pragma once
// Helpers for tests that run a World or read what it did: its summary, events and rows.
#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/cloud/world.hpp"
#include "sim/report/outputs.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/loader.hpp"

namespace stratus::testing {

// Loads a scenario file with --set overrides (it must use nothing unsupported), runs it to
// its end and returns its summary.json without the wall-clock figures.
inline nlohmann::ordered_json run_file_summary(const std::string& file,
                                               const std::vector<std::string>& sets = {}) {
    auto spec = scenario::load_file(file, sets);
    REQUIRE(scenario::unsupported_features(spec).empty());
    report::Run run(spec);
    run.world().run();
    return report::make_summary(run);
}

// An event as events.jsonl writes it: its type and its fields as JSON.
struct JsonEvent {
    SimTime t = 0;
    std::string type;
    nlohmann::ordered_json subjects;
};
inline JsonEvent json_event(const cloud::EventRecord& e) {
    return {e.t, cloud::to_string(e.kind()), report::event_subjects(e)};
}
inline std::vector<JsonEvent> json_events(const report::Run& run) {
    std::vector<JsonEvent> out;
    for (const cloud::EventRecord& e : run.recorder().log().records())
        out.push_back(json_event(e));
    return out;
}

// Times (s) of the events of one type whose subject `key` equals `value` (any when empty).
inline std::vector<double> times_of(const report::Run& run, const std::string& type,
                                    const std::string& key = "", const std::string& value = "") {
    std::vector<double> out;
    for (const auto& e : json_events(run)) {
        if (e.type != type) continue;
        if (!key.empty() && (!e.subjects.contains(key) || e.subjects[key] != value)) continue;
        out.push_back(to_seconds(e.t));
    }
    return out;
}

// The desired capacity changes of the run, in order: (time s, new desired).
inline std::vector<std::pair<double, int>> desired_changes(const report::Run& run) {
    std::vector<std::pair<double, int>> out;
    for (const auto& e : json_events(run))
        if (e.type == "desired_capacity_changed")
            out.emplace_back(to_seconds(e.t), e.subjects["to"].get<int>());
    return out;
}

}  // namespace stratus::testing
