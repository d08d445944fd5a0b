#include "sim/core/event_queue.hpp"

#include <algorithm>
#include <cstring>
#include <new>
#include <stdexcept>

namespace stratus {

namespace {
constexpr std::size_t kLine = 64;
constexpr std::size_t kPad = 3;  // entries before the root, so sibling groups align to lines
}  // namespace

EventQueue::EventQueue(std::uint64_t sequence_limit)
    : sequence_limit_(std::min(sequence_limit, kSequenceLimit)) {}

void EventQueue::AlignedFree::operator()(Entry* p) const {
    ::operator delete[](static_cast<void*>(p), std::align_val_t{kLine});
}

std::uint32_t EventQueue::grow_payload() {
    if (payload_.size() >= TimerHandle::kNone) {
        throw std::length_error("event queue: more than 4 billion pending events");
    }
    payload_.push_back(Payload{nullptr, 0, 0, 0});
    return static_cast<std::uint32_t>(payload_.size() - 1);
}

void EventQueue::grow_heap() {
    const std::size_t capacity = capacity_ == 0 ? 256 : capacity_ * 2;
    void* raw = ::operator new[]((capacity + kPad) * sizeof(Entry), std::align_val_t{kLine});
    std::unique_ptr<Entry[], AlignedFree> bigger(static_cast<Entry*>(raw));
    if (size_ > 0) std::memcpy(bigger.get() + kPad, heap_, size_ * sizeof(Entry));
    storage_ = std::move(bigger);
    heap_ = storage_.get() + kPad;
    capacity_ = capacity;
}

void EventQueue::remove_top() {
    const Entry last = heap_[--size_];
    if (size_ == 0) return;
    sift_down(last, 0);
}

void EventQueue::sift_down(Entry last, std::size_t i) {
    const std::size_t n = size_;
    // Sift the hole down, moving the earliest child up, until `last` fits.
    for (;;) {
        const std::size_t c = 4 * i + 1;
        std::size_t best;
        if (c + 3 < n) {
            // All four children: a small tournament written as arithmetic, so that it compiles
            // to flag moves rather than branches (the comparisons are coin flips).
            const std::size_t a = c + earlier(heap_[c + 1], heap_[c]);
            const std::size_t b = c + 2 + earlier(heap_[c + 3], heap_[c + 2]);
            best = earlier(heap_[b], heap_[a]) ? b : a;
        } else if (c < n) {
            best = c;
            for (std::size_t k = c + 1; k < n; ++k)
                if (earlier(heap_[k], heap_[best])) best = k;
        } else {
            break;
        }
        if (!earlier(heap_[best], last)) break;
        heap_[i] = heap_[best];
        i = best;
    }
    heap_[i] = last;
}

void EventQueue::renumber() {
    // Sorted by (time, order), the entries are a valid heap; give them sequence numbers
    // 0..n-1 in that order, keeping each one's first-ness and slot. Later pushes get higher
    // numbers than every pending event, as insertion order requires.
    std::sort(heap_, heap_ + size_, earlier);
    constexpr std::uint64_t kSlotMask = (std::uint64_t{1} << kSlotBits) - 1;
    for (std::size_t k = 0; k < size_; ++k) {
        Entry& e = heap_[k];
        e.order = (e.order & kOrdinary) | (std::uint64_t{k} << kSlotBits) | (e.order & kSlotMask);
    }
    next_seq_ = size_;
    if (next_seq_ >= sequence_limit_) {
        throw std::length_error("event queue: too many pending events to renumber");
    }
}

void EventQueue::clear() {
    settle();
    // Free every slot (its generation moves on, so old handles stay stale).
    for (std::size_t k = 0; k < size_; ++k)
        release(slot_of(heap_[k]));
    size_ = 0;
}

}  // namespace stratus
