#pragma once
// Helpers for tests that read what a World did: its events and its metrics rows.
#include <string>
#include <utility>
#include <vector>

#include "sim/cloud/world.hpp"

namespace stratus::testing {

// Times (s) of the events of one type whose subject `key` equals `value` (any when empty).
inline std::vector<double> times_of(const cloud::World& w, const std::string& type,
                                    const std::string& key = "", const std::string& value = "") {
    std::vector<double> out;
    for (const auto& e : w.recorder().log().records()) {
        if (e.type != type) continue;
        if (!key.empty() && (!e.subjects.contains(key) || e.subjects[key] != value)) continue;
        out.push_back(to_seconds(e.t));
    }
    return out;
}

// The desired capacity changes of the run, in order: (time s, new desired).
inline std::vector<std::pair<double, int>> desired_changes(const cloud::World& w) {
    std::vector<std::pair<double, int>> out;
    for (const auto& e : w.recorder().log().records())
        if (e.type == "desired_capacity_changed")
            out.emplace_back(to_seconds(e.t), e.subjects["to"].get<int>());
    return out;
}

}  // namespace stratus::testing
