#pragma once
// Request state lives in a pool of slots reused in place: no allocation per request once the
// pool has grown to the number of requests in flight. A slot's generation changes each time it
// is released, so a late reference (a client timeout after completion) can tell it is stale.
#include <cstdint>
#include <vector>

#include "sim/core/sim_time.hpp"

namespace stratus::cloud {

enum class RequestState : std::uint8_t {
    Free,
    Queued,     // waiting for a worker on its instance
    InService,  // held by a worker
    Abandoned,  // the client gave up (504); the instance drops or finishes it without a reply
    Lost,       // its instance stopped while holding it: nobody will answer; the client gets
                // 504 when its timeout passes, and the workload then frees the slot
};

// What the client saw. Codes are the HTTP status the client received.
enum class Outcome : std::uint8_t { Ok, Http500, Http502, Http503, Http504 };
constexpr int kOutcomeCount = 5;

struct Request {
    SimTime arrival = 0;
    SimTime service = 0;  // time a worker needs for it on this instance, drawn at arrival
    std::uint32_t generation = 0;
    std::uint32_t instance = 0;  // index in the World's instances
    std::uint16_t workload = 0;
    std::uint16_t lb_node = 0;
    RequestState state = RequestState::Free;
    std::uint16_t worker = 0;  // while in service: its place in the instance's worker list
};

class RequestPool {
  public:
    std::uint32_t acquire() {
        std::uint32_t slot;
        if (!free_.empty()) {
            slot = free_.back();
            free_.pop_back();
        } else {
            slot = static_cast<std::uint32_t>(slots_.size());
            slots_.emplace_back();
        }
        ++in_use_;
        return slot;
    }
    void release(std::uint32_t slot) {
        Request& r = slots_[slot];
        r.state = RequestState::Free;
        ++r.generation;
        free_.push_back(slot);
        --in_use_;
    }
    Request& operator[](std::uint32_t slot) { return slots_[slot]; }
    const Request& operator[](std::uint32_t slot) const { return slots_[slot]; }
    std::size_t in_use() const { return in_use_; }
    std::size_t capacity() const { return slots_.size(); }

  private:
    std::vector<Request> slots_;
    std::vector<std::uint32_t> free_;
    std::size_t in_use_ = 0;
};

}  // namespace stratus::cloud
