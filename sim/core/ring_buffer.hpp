#pragma once
// A FIFO of small values in one contiguous buffer that grows by doubling and never shrinks:
// no allocation per push once it has reached its working size.
#include <cstddef>
#include <vector>

namespace stratus {

template <typename T>
class RingBuffer {
  public:
    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }
    T& front() { return buf_[head_]; }
    const T& front() const { return buf_[head_]; }

    void push_back(const T& v) {
        if (size_ == buf_.size()) grow();
        buf_[(head_ + size_) & (buf_.size() - 1)] = v;
        ++size_;
    }
    void pop_front() {
        head_ = (head_ + 1) & (buf_.size() - 1);
        --size_;
    }
    void clear() {
        head_ = 0;
        size_ = 0;
    }

  private:
    void grow() {
        std::vector<T> bigger(buf_.empty() ? 16 : buf_.size() * 2);
        for (std::size_t i = 0; i < size_; ++i)
            bigger[i] = buf_[(head_ + i) & (buf_.size() - 1)];
        buf_.swap(bigger);
        head_ = 0;
    }

    std::vector<T> buf_;  // capacity is a power of two
    std::size_t head_ = 0;
    std::size_t size_ = 0;
};

}  // namespace stratus
