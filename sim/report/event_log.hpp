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

// Receives each record as it is added, instead of the log keeping it (report::OutputSpool
// streams them to disk, so a long run does not keep every event in memory).
class EventSink {
  public:
    virtual ~EventSink() = default;
    virtual void event_added(const EventRecord& record) = 0;
};

class EventLog {
  public:
    void add(SimTime t, std::string type, nlohmann::ordered_json subjects) {
        EventRecord record{t, std::move(type), std::move(subjects)};
        if (sink_) {
            sink_->event_added(record);
            ++streamed_;
        } else {
            records_.push_back(std::move(record));
        }
    }
    // The records kept in memory: all of them unless a sink takes them.
    const std::vector<EventRecord>& records() const { return records_; }
    std::size_t size() const { return records_.size() + streamed_; }
    void stream_to(EventSink* sink) { sink_ = sink; }

  private:
    std::vector<EventRecord> records_;
    EventSink* sink_ = nullptr;
    std::size_t streamed_ = 0;
};

}  // namespace stratus::report
