#pragma once
// The pending-event set, ordered by (time, insertion sequence) so that ties resolve in
// insertion order, always.
//
// Layout, for speed (docs/performance.md): a 4-ary heap of 16-byte entries (the time, and one
// word holding the sequence number and a payload slot), whose groups of four siblings share
// one 64-byte cache line; the payload (target, kind, argument) sits in a slab indexed by the
// slot and is read once, when the event fires. Sifting moves 16 bytes per level and touches
// one cache line per level, half as many levels as a binary heap.
//
// Cancellation is lazy and O(1): cancelling clears the payload's target, and the stale entry
// is dropped when it reaches the top; the slot's generation changes whenever the slot is
// freed, so a handle to an event that fired or was dropped is recognised as stale. No
// allocation per event once the heap and the slab have grown to their working size.
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/core/sim_time.hpp"

namespace stratus {

class EventHandler;

// What a handler receives.
struct Event {
    SimTime time = 0;
    EventHandler* target = nullptr;  // who handles it
    std::uint32_t kind = 0;          // the handler's own event kind
    std::uint32_t arg = 0;           // the handler's own argument (an index, usually)
};

// A handle to a cancellable event. A default-constructed one refers to nothing.
struct TimerHandle {
    static constexpr std::uint32_t kNone = 0xffffffffu;
    std::uint32_t slot = kNone;
    std::uint32_t generation = 0;
    bool armed() const { return slot != kNone; }
};

class EventQueue {
  public:
    // Sequence numbers have 31 bits; when they run out the pending events are renumbered in
    // order (O(n log n), once every two billion pushes). Tests pass a small limit.
    static constexpr std::uint64_t kSequenceLimit = std::uint64_t{1} << 31;
    explicit EventQueue(std::uint64_t sequence_limit = kSequenceLimit);
    EventQueue(const EventQueue&) = delete;
    EventQueue& operator=(const EventQueue&) = delete;

    void push(SimTime time, EventHandler* target, std::uint32_t kind, std::uint32_t arg) {
        insert(time, kOrdinary, alloc(target, kind, arg));
    }
    // Like push, but the event runs before every ordinary event of the same instant (among
    // such events, in insertion order). Observers use it to see an instant's state before the
    // instant's changes: a metrics period [t - p, t) closes before what happens at t.
    void push_first(SimTime time, EventHandler* target, std::uint32_t kind, std::uint32_t arg) {
        insert(time, 0, alloc(target, kind, arg));
    }
    TimerHandle push_timer(SimTime time, EventHandler* target, std::uint32_t kind,
                           std::uint32_t arg) {
        const std::uint32_t slot = alloc(target, kind, arg);
        insert(time, kOrdinary, slot);
        return TimerHandle{slot, payload_[slot].generation};
    }
    // Cancels a pending timer; a handle whose event already fired or was cancelled is ignored.
    void cancel(TimerHandle& handle) {
        if (is_pending(handle)) payload_[handle.slot].target = nullptr;
        handle = TimerHandle{};
    }
    bool is_pending(const TimerHandle& handle) const {
        return handle.slot < payload_.size() &&
               payload_[handle.slot].generation == handle.generation &&
               payload_[handle.slot].target != nullptr;
    }

    // Time of the earliest live event, or kNever. Drops cancelled events from the top.
    SimTime next_time() {
        settle();
        while (size_ > 0) {
            const std::uint32_t slot = slot_of(heap_[0]);
            if (payload_[slot].target != nullptr) return heap_[0].time;
            remove_top();
            release(slot);
        }
        return kNever;
    }
    // Removes the earliest live event into *out; false when none is left.
    bool pop(Event* out) {
        if (next_time() == kNever) return false;
        pop_live(out);
        return true;
    }
    // pop() right after next_time() returned a time other than kNever: the top is live.
    // Performance: the popped entry stays at the root, marked taken, until the next push or
    // look. An event's handler usually schedules one event (the next arrival, the next
    // request's completion): that push takes the root's place and sifts down once, instead of
    // a sift-down to remove the root and a sift-up to insert. The order is the same: it is
    // fixed by the (time, order) keys, not by the heap's shape.
    void pop_live(Event* out) {
        const Entry top = heap_[0];
        top_taken_ = true;
        // The next event is one of the root's children or the handler's own new event: start
        // loading the children's payloads (random slots) while this event's handler runs (a
        // cache miss saved per event when the slab outgrows the cache).
        const std::size_t children = size_ < 5 ? size_ : 5;
        for (std::size_t c = 1; c < children; ++c)
            __builtin_prefetch(&payload_[slot_of(heap_[c])]);
        const std::uint32_t slot = slot_of(top);
        const Payload& p = payload_[slot];
        out->time = top.time;
        out->target = p.target;
        out->kind = p.kind;
        out->arg = p.arg;
        release(slot);
    }
    bool empty() { return next_time() == kNever; }
    // Including cancelled events not yet dropped.
    std::size_t size() const { return size_ - (top_taken_ ? 1 : 0) + (has_held_ ? 1 : 0); }
    void clear();

  private:
    // 16 bytes: the time, then the order word: bit 63 set for ordinary events (so that
    // push_first ones sort ahead of them at equal times), bits 62..32 the sequence number,
    // bits 31..0 the payload slot. Sequence numbers are unique among pending events, so
    // comparing (time, order) compares (time, first-ness, sequence); the slot never decides.
    struct alignas(16) Entry {
        SimTime time;
        std::uint64_t order;
    };
    struct Payload {
        EventHandler* target;  // null: cancelled (or free)
        std::uint32_t kind;
        std::uint32_t arg;
        std::uint32_t generation;  // changes whenever the slot is freed
    };
    static constexpr std::uint64_t kOrdinary = std::uint64_t{1} << 63;
    static constexpr int kSlotBits = 32;

    static bool earlier(const Entry& a, const Entry& b) {
        // One 128-bit comparison, no branch on the tie (times are never negative).
        using u128 = unsigned __int128;
        return ((u128(static_cast<std::uint64_t>(a.time)) << 64) | a.order) <
               ((u128(static_cast<std::uint64_t>(b.time)) << 64) | b.order);
    }
    static std::uint32_t slot_of(const Entry& e) { return static_cast<std::uint32_t>(e.order); }

    std::uint32_t alloc(EventHandler* target, std::uint32_t kind, std::uint32_t arg) {
        std::uint32_t slot;
        if (!free_slots_.empty()) {
            slot = free_slots_.back();
            free_slots_.pop_back();
        } else {
            slot = grow_payload();
        }
        Payload& p = payload_[slot];
        p.target = target;
        p.kind = kind;
        p.arg = arg;
        return slot;
    }
    void release(std::uint32_t slot) {
        ++payload_[slot].generation;
        free_slots_.push_back(slot);
    }
    std::uint32_t grow_payload();

    void insert(SimTime time, std::uint64_t first_bit, std::uint32_t slot) {
        if (next_seq_ == sequence_limit_) {
            settle();
            renumber();
        }
        const Entry e{time, first_bit | (next_seq_++ << kSlotBits) | slot};
        if (top_taken_) {
            // The popped root's place is free. The handler's first push waits for it; with a
            // second, the earlier of the two fills it and the later goes in at the bottom
            // (an arrival's handler schedules its request's completion, then the next,
            // earlier, arrival: neither travels the whole heap).
            if (!has_held_) {
                held_ = e;
                has_held_ = true;
                return;
            }
            has_held_ = false;
            top_taken_ = false;
            const Entry held = held_;
            if (earlier(e, held)) {
                sift_down(e, 0);
                sift_up(held);
            } else {
                sift_down(held, 0);
                sift_up(e);
            }
            return;
        }
        sift_up(e);
    }
    // Entries go by value (two registers): a 16-byte load of an entry just written to memory
    // in two halves cannot be forwarded from the stores and stalls.
    void sift_up(Entry e) {
        if (size_ == capacity_) grow_heap();
        // Sift up with a hole instead of repeated swaps.
        std::size_t i = size_++;
        while (i > 0) {
            const std::size_t parent = (i - 1) / 4;
            if (!earlier(e, heap_[parent])) break;
            heap_[i] = heap_[parent];
            i = parent;
        }
        heap_[i] = e;
    }
    // Removes the popped root, if it is still there.
    void settle() {
        if (!top_taken_) return;
        top_taken_ = false;
        if (has_held_) {
            has_held_ = false;
            sift_down(held_, 0);
        } else {
            remove_top();
        }
    }
    void remove_top();
    // Fills the hole at i with e or with the earliest of its descendants, down the heap.
    void sift_down(Entry e, std::size_t i);
    void grow_heap();
    void renumber();

    struct AlignedFree {
        void operator()(Entry* p) const;
    };
    // heap_ points 3 entries into an allocation aligned to 64 bytes, so that the children of
    // node i, 4i+1 .. 4i+4, fill exactly one cache line.
    std::unique_ptr<Entry[], AlignedFree> storage_;
    Entry* heap_ = nullptr;
    std::size_t size_ = 0;  // including a taken root
    std::size_t capacity_ = 0;
    bool top_taken_ = false;  // heap_[0] was popped and awaits its replacement or removal
    bool has_held_ = false;   // held_ waits to fill the taken root
    Entry held_{};
    std::uint64_t next_seq_ = 0;
    std::uint64_t sequence_limit_;
    std::vector<Payload> payload_;
    std::vector<std::uint32_t> free_slots_;
};

}  // namespace stratus
