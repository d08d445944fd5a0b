#pragma once
// Request state lives in a pool of slots reused in place: no allocation per request once the
// pool has grown to the number of requests in flight. A slot's generation changes each time it
// is released, so a late reference (a client timeout after completion) can tell it is stale.
#include <array>
#include <cstdint>
#include <vector>

#include "sim/core/sim_time.hpp"

namespace stratus::cloud {

enum class RequestState : std::uint8_t {
    Free,
    Queued,       // waiting for a worker on its instance
    InService,    // held by a worker
    Abandoned,    // the client gave up (504); the instance drops or finishes it without a reply
    Lost,         // its instance stopped while holding it: nobody will answer; the client gets
                  // 504 when its timeout passes, and the workload then frees the slot
    Unconnected,  // the client's SYN was dropped (the load balancer's security group): it
                  // gives up at its timeout, and the load balancer never saw it
    AwaitingDatabase,  // served, its application waits for a database connection that times
                       // out (500 then); no worker held
};

// What the client saw. Codes are the HTTP status the client received; ConnectTimeout is the
// client's own: its connection to the load balancer never opened, so no HTTP code came back
// (and the load balancer counted and billed nothing).
enum class Outcome : std::uint8_t { Ok, Http500, Http502, Http503, Http504, ConnectTimeout };
constexpr int kOutcomeCount = 6;
// The outcomes a load balancer saw (HTTP codes): all but the client's connect timeouts.
constexpr int kHttpOutcomeCount = 5;

// What the clients got back through a load balancer since the start of the run: the HTTP
// codes it saw (a connect timeout never reached it). CloudWatch publishes each metric slice's
// change (TargetResponseTime, HTTPCode_ELB_5XX_Count).
struct ResponseCounts {
    std::array<std::uint64_t, kHttpOutcomeCount> by_outcome{};
    double response_time_sum_s = 0;  // of the successful requests (fluid mode: weighted)
    // Of by_outcome[Http503], those a target answered itself: its queue was full (max_queue),
    // so the application refused the request with its own 503, which the load balancer passes
    // on (HTTPCode_Target_5XX_Count; docs/model.md, "What a full queue answers"). The others
    // are the load balancer's (no target to choose).
    std::uint64_t target_503 = 0;

    void add(Outcome o, SimTime latency) {
        ++by_outcome[static_cast<int>(o)];
        if (o == Outcome::Ok) response_time_sum_s += to_seconds(latency);
    }
    std::uint64_t ok() const { return by_outcome[static_cast<int>(Outcome::Ok)]; }
    // Every 5xx the clients got.
    std::uint64_t errors() const {
        std::uint64_t n = 0;
        for (int i = 1; i < kHttpOutcomeCount; ++i)
            n += by_outcome[i];
        return n;
    }
    // The 5xx a target sent: the application's 500 (an IAM-denied call, a database timeout) and
    // its 503 when its queue is full. The rest (502, 504, the 503 for want of a target) are
    // the load balancer's own (HTTPCode_ELB_5XX_Count).
    std::uint64_t target_errors() const {
        return by_outcome[static_cast<int>(Outcome::Http500)] + target_503;
    }
};

constexpr std::uint16_t kNoTargetGroup = 0xffff;

struct Request {
    SimTime arrival = 0;
    SimTime service = 0;  // time a worker needs for it on this instance, drawn at arrival
    std::uint32_t generation = 0;
    std::uint32_t instance = 0;       // index in the World's instances
    std::uint16_t load_balancer = 0;  // the load balancer that carries it (its counters)
    std::uint16_t target_group = kNoTargetGroup;  // the one its target is in, once routed
    RequestState state = RequestState::Free;
    // Decided at arrival: 0 when its database is reachable (or it needs none) and its calls out
    // of the VPC leave, else how long its application will wait for a connection that never
    // opens (the workload's database_connect_timeout, whole seconds) before it answers 500.
    std::uint8_t database_wait_s = 0;
    // Decided at arrival: an AWS call its application makes for it is denied (500 when
    // served; aws_calls.hpp).
    bool aws_denied = false;
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
