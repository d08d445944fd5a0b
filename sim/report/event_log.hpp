#pragma once
// The notable events of a run (launches, health transitions, later outages and scaling), one
// JSON object each, in time order. Written as events.jsonl; the viewer reads the same list.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/core/sim_time.hpp"

namespace stratus::report {

struct EventRecord {
    SimTime t = 0;
    std::string type;
    nlohmann::ordered_json subjects;  // object: the event's subjects, in a stable key order
};

class EventLog {
  public:
    void add(SimTime t, std::string type, nlohmann::ordered_json subjects) {
        records_.push_back(EventRecord{t, std::move(type), std::move(subjects)});
    }
    const std::vector<EventRecord>& records() const { return records_; }

  private:
    std::vector<EventRecord> records_;
};

}  // namespace stratus::report
