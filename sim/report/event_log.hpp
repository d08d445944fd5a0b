#pragma once
// The notable events of a run (cloud::EventRecord: launches, health transitions, later outages
// and scaling), in time order. Written as events.jsonl (report::event_line); the viewer reads
// the same list.
#include <cstddef>
#include <utility>
#include <vector>

#include "sim/cloud/events.hpp"

namespace stratus::report {

// Receives each record as it is added, instead of the log keeping it (report::OutputSpool
// streams them to disk, so a long run does not keep every event in memory).
class EventSink {
  public:
    virtual ~EventSink() = default;
    virtual void event_added(const cloud::EventRecord& record) = 0;
};

class EventLog {
  public:
    void add(cloud::EventRecord record) {
        if (sink_) {
            sink_->event_added(record);
            ++streamed_;
        } else {
            records_.push_back(std::move(record));
        }
    }
    // The records kept in memory: all of them unless a sink takes them.
    const std::vector<cloud::EventRecord>& records() const { return records_; }
    std::size_t size() const { return records_.size() + streamed_; }
    void stream_to(EventSink* sink) { sink_ = sink; }

  private:
    std::vector<cloud::EventRecord> records_;
    EventSink* sink_ = nullptr;
    std::size_t streamed_ = 0;
};

}  // namespace stratus::report
