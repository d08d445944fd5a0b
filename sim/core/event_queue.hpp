#pragma once
// The pending-event set: a binary heap of small event values ordered by (time, insertion
// sequence), so ties resolve in insertion order, always. Cancellation is lazy and O(1): a
// cancellable event carries a timer slot and generation; cancelling bumps the slot's
// generation and the stale event is dropped when it reaches the top. No allocation per event
// once the heap and the timer table have grown to their working size.
#include <cstdint>
#include <vector>

#include "sim/core/sim_time.hpp"

namespace stratus {

class EventHandler;

struct Event {
    SimTime time = 0;
    std::uint64_t seq = 0;           // insertion order, unique per queue
    EventHandler* target = nullptr;  // who handles it
    std::uint32_t kind = 0;          // the handler's own event kind
    std::uint32_t arg = 0;           // the handler's own argument (an index, usually)
    std::uint32_t timer_slot = kNoTimer;
    std::uint32_t timer_generation = 0;

    static constexpr std::uint32_t kNoTimer = 0xffffffffu;
};

// A handle to a cancellable event. A default-constructed one refers to nothing.
struct TimerHandle {
    std::uint32_t slot = Event::kNoTimer;
    std::uint32_t generation = 0;
    bool armed() const { return slot != Event::kNoTimer; }
};

class EventQueue {
  public:
    void push(SimTime time, EventHandler* target, std::uint32_t kind, std::uint32_t arg);
    // Like push, but the event runs before every ordinary event of the same instant (among
    // such events, in insertion order). Observers use it to see an instant's state before the
    // instant's changes: a metrics period [t - p, t) closes before what happens at t.
    void push_first(SimTime time, EventHandler* target, std::uint32_t kind, std::uint32_t arg);
    TimerHandle push_timer(SimTime time, EventHandler* target, std::uint32_t kind,
                           std::uint32_t arg);
    // Cancels a pending timer; a handle whose event already fired or was cancelled is ignored.
    void cancel(TimerHandle& handle);
    bool is_pending(const TimerHandle& handle) const;

    // Removes and returns the earliest live event into *out; false when none is left.
    bool pop(Event* out);
    // Time of the earliest live event, or kNever. Drops cancelled events from the top.
    SimTime next_time();
    bool empty() { return next_time() == kNever; }
    std::size_t size() const { return heap_.size(); }  // including cancelled, not yet dropped
    void clear();

  private:
    static bool earlier(const Event& a, const Event& b) {
        return a.time < b.time || (a.time == b.time && a.seq < b.seq);
    }
    void push_event(const Event& e, bool first = false);
    // Ordinary events carry this bit in their sequence number, so that `first` ones (without
    // it) sort ahead of them at equal times.
    static constexpr std::uint64_t kOrdinary = std::uint64_t{1} << 63;
    void pop_top();
    bool is_live(const Event& e) const {
        return e.timer_slot == Event::kNoTimer ||
               timer_generation_[e.timer_slot] == e.timer_generation;
    }
    void release_slot(std::uint32_t slot);

    std::vector<Event> heap_;
    std::uint64_t next_seq_ = 0;
    std::vector<std::uint32_t> timer_generation_;  // per slot; odd = pending
    std::vector<std::uint32_t> free_slots_;
};

}  // namespace stratus
