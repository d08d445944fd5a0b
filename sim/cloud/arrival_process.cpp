#include "sim/cloud/arrival_process.hpp"

#include <algorithm>
#include <cmath>

namespace stratus::cloud {

namespace {

// floor(y) for the candidate position y >= 0 (it starts at after + 1 >= 0 and only grows):
// the conversion truncates, which is the floor there. Performance: std::floor is a library
// call without SSE4.1.
SimTime floor_of(double y) {
    return static_cast<SimTime>(y);
}

}  // namespace

ArrivalProcess::ArrivalProcess(const RateFunction& rate, RandomStream stream, SimTime window)
    : rate_(&rate), stream_(stream), window_(window > 0 ? window : 60 * kSecond) {}

SimTime ArrivalProcess::next(SimTime after, SimTime horizon) {
    // y is the candidate process's position in continuous microseconds; an event at y
    // happens in the microsecond floor(y).
    double y = (has_last_ && after == last_arrival_)
                   ? std::max(position_, static_cast<double>(after))
                   : static_cast<double>(after) + 1.0;
    has_last_ = false;
    for (;;) {
        const SimTime a = floor_of(y);
        if (a > horizon) return kNever;
        // Past the last change the rate is constant: if it is 0, nothing ever arrives.
        if (a >= rate_->settles_at() && !(rate_->rate_at(a) > 0)) return kNever;

        SimTime w_end;
        double bound;
        if (bound_ >= 0 && bound_from_ <= a && a < bound_to_) {
            // Still in the window the bound was taken for, at or after where it was taken (a
            // window is [bound_to_ - window_, bound_to_), and bound_from_ lies in it): the bound
            // over a larger part of this window still holds. Performance: no division.
            w_end = bound_to_;
            bound = bound_;
        } else {
            // Windows are aligned to multiples of window_, so bounds do not depend on `after`.
            SimTime r = a % window_;
            if (r < 0) r += window_;
            w_end = (a - r > kNever - window_) ? kNever : a - r + window_;
            bound = rate_->max_rate(a, w_end);
            bound_from_ = a;
            bound_to_ = w_end;
            bound_ = bound;
        }
        if (!(bound > 0)) {
            y = static_cast<double>(w_end);  // a silent window: skip it without a draw
            continue;
        }

        y += stream_.exponential(static_cast<double>(kSecond) / bound);
        if (y >= static_cast<double>(w_end)) {
            y = static_cast<double>(w_end);  // memoryless: restart at the next window's bound
            continue;
        }
        SimTime t = floor_of(y);
        if (t > horizon) return kNever;
        if (stream_.uniform01() * bound < rate_->rate_at(t)) {
            if (t <= after) t = after + 1;  // two events in one microsecond: keep order strict
            if (t > horizon) return kNever;
            position_ = y;
            last_arrival_ = t;
            has_last_ = true;
            return t;
        }
    }
}

}  // namespace stratus::cloud
