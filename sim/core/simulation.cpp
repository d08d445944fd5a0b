#include "sim/core/simulation.hpp"

namespace stratus {

bool Simulation::step(SimTime limit) {
    if (queue_.next_time() > limit) return false;
    Event e;
    if (!queue_.pop(&e)) return false;
    now_ = e.time;
    ++events_processed_;
    e.target->on_event(e);
    return true;
}

void Simulation::run_until(SimTime end) {
    Event e;
    while (queue_.next_time() <= end) {
        queue_.pop(&e);
        now_ = e.time;
        ++events_processed_;
        e.target->on_event(e);
    }
    if (end > now_) now_ = end;
}

}  // namespace stratus
