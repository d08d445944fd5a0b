#pragma once
// The simulation loop: a clock and the pending events. Components implement EventHandler and
// schedule their own events; the loop pops them in (time, sequence) order and hands each back
// to its target. Nothing here knows about clouds.
#include <cstdint>

#include "sim/core/event_queue.hpp"
#include "sim/core/sim_time.hpp"

namespace stratus {

class EventHandler {
  public:
    virtual void on_event(const Event& event) = 0;

  protected:
    ~EventHandler() = default;
};

class Simulation {
  public:
    SimTime now() const { return now_; }
    std::uint64_t events_processed() const { return events_processed_; }

    void schedule_at(SimTime at, EventHandler* target, std::uint32_t kind, std::uint32_t arg = 0) {
        queue_.push(at < now_ ? now_ : at, target, kind, arg);
    }
    void schedule_in(SimTime delay, EventHandler* target, std::uint32_t kind,
                     std::uint32_t arg = 0) {
        schedule_at(now_ + delay, target, kind, arg);
    }
    // Runs before every ordinary event of the same instant (see EventQueue::push_first).
    void schedule_first_at(SimTime at, EventHandler* target, std::uint32_t kind,
                           std::uint32_t arg = 0) {
        queue_.push_first(at < now_ ? now_ : at, target, kind, arg);
    }
    TimerHandle timer_at(SimTime at, EventHandler* target, std::uint32_t kind,
                         std::uint32_t arg = 0) {
        return queue_.push_timer(at < now_ ? now_ : at, target, kind, arg);
    }
    TimerHandle timer_in(SimTime delay, EventHandler* target, std::uint32_t kind,
                         std::uint32_t arg = 0) {
        return timer_at(now_ + delay, target, kind, arg);
    }
    void cancel(TimerHandle& timer) { queue_.cancel(timer); }
    bool is_pending(const TimerHandle& timer) const { return queue_.is_pending(timer); }

    // Time of the next pending event, or kNever.
    SimTime next_event_time() { return queue_.next_time(); }

    // Processes the next event if it is at or before `limit`; false when there is none.
    bool step(SimTime limit = kNever);
    // Processes every event up to and including `end`, then sets the clock to `end`.
    void run_until(SimTime end);

  private:
    EventQueue queue_;
    SimTime now_ = 0;
    std::uint64_t events_processed_ = 0;
};

}  // namespace stratus
