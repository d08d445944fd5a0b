#include "sim/core/simulation.hpp"

namespace stratus {

bool Simulation::step(SimTime limit) {
    const SimTime t = queue_.next_time();
    if (t == kNever || t > limit) return false;
    Event e;
    queue_.pop_live(&e);
    now_ = e.time;
    ++events_processed_;
    e.target->on_event(e);
    return true;
}

void Simulation::run_until(SimTime end) {
    Event e;
    for (;;) {
        const SimTime t = queue_.next_time();
        if (t == kNever || t > end) break;
        queue_.pop_live(&e);
        now_ = e.time;
        ++events_processed_;
        e.target->on_event(e);
    }
    if (end > now_) now_ = end;
}

}  // namespace stratus
