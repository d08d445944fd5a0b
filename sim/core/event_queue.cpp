#include "sim/core/event_queue.hpp"

namespace stratus {

void EventQueue::push(SimTime time, EventHandler* target, std::uint32_t kind, std::uint32_t arg) {
    Event e;
    e.time = time;
    e.target = target;
    e.kind = kind;
    e.arg = arg;
    push_event(e);
}

void EventQueue::push_first(SimTime time, EventHandler* target, std::uint32_t kind,
                            std::uint32_t arg) {
    Event e;
    e.time = time;
    e.target = target;
    e.kind = kind;
    e.arg = arg;
    push_event(e, true);
}

TimerHandle EventQueue::push_timer(SimTime time, EventHandler* target, std::uint32_t kind,
                                   std::uint32_t arg) {
    std::uint32_t slot;
    if (!free_slots_.empty()) {
        slot = free_slots_.back();
        free_slots_.pop_back();
    } else {
        slot = static_cast<std::uint32_t>(timer_generation_.size());
        timer_generation_.push_back(0);
    }
    ++timer_generation_[slot];  // odd: pending
    Event e;
    e.time = time;
    e.target = target;
    e.kind = kind;
    e.arg = arg;
    e.timer_slot = slot;
    e.timer_generation = timer_generation_[slot];
    push_event(e);
    return TimerHandle{slot, timer_generation_[slot]};
}

bool EventQueue::is_pending(const TimerHandle& handle) const {
    return handle.armed() && handle.slot < timer_generation_.size() &&
           timer_generation_[handle.slot] == handle.generation;
}

void EventQueue::cancel(TimerHandle& handle) {
    if (is_pending(handle)) {
        // The stale event stays in the heap until it reaches the top; the slot can only be
        // reused after that, so that its generation cannot come back to the stale value.
        ++timer_generation_[handle.slot];  // even: cancelled, not yet dropped
    }
    handle = TimerHandle{};
}

void EventQueue::release_slot(std::uint32_t slot) {
    if (timer_generation_[slot] % 2 == 1) ++timer_generation_[slot];
    free_slots_.push_back(slot);
}

void EventQueue::push_event(const Event& e_in, bool first) {
    Event e = e_in;
    e.seq = next_seq_++ | (first ? 0 : kOrdinary);
    // Sift up with a hole instead of repeated swaps.
    std::size_t i = heap_.size();
    heap_.push_back(e);
    while (i > 0) {
        std::size_t parent = (i - 1) / 2;
        if (!earlier(e, heap_[parent])) break;
        heap_[i] = heap_[parent];
        i = parent;
    }
    heap_[i] = e;
}

void EventQueue::pop_top() {
    Event last = heap_.back();
    heap_.pop_back();
    const std::size_t n = heap_.size();
    if (n == 0) return;
    std::size_t i = 0;
    for (;;) {
        std::size_t child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && earlier(heap_[child + 1], heap_[child])) ++child;
        if (!earlier(heap_[child], last)) break;
        heap_[i] = heap_[child];
        i = child;
    }
    heap_[i] = last;
}

SimTime EventQueue::next_time() {
    while (!heap_.empty()) {
        const Event& top = heap_.front();
        if (is_live(top)) return top.time;
        std::uint32_t slot = top.timer_slot;
        pop_top();
        free_slots_.push_back(slot);  // the cancelled event is gone: its slot may be reused
    }
    return kNever;
}

bool EventQueue::pop(Event* out) {
    if (next_time() == kNever) return false;
    *out = heap_.front();
    pop_top();
    if (out->timer_slot != Event::kNoTimer) release_slot(out->timer_slot);
    return true;
}

void EventQueue::clear() {
    heap_.clear();
    timer_generation_.clear();
    free_slots_.clear();
}

}  // namespace stratus
