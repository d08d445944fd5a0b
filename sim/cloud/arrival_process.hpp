#pragma once
// Non-homogeneous Poisson arrivals by thinning (Lewis and Shedler), one window at a time:
// within a window the candidate process runs at the window's bound lambda* = max_rate, and
// a candidate at t is kept with probability rate(t) / lambda*. A candidate that passes the
// window's end is dropped and the next window starts afresh at its start, which is exact
// because the exponential is memoryless. A window of zero rate costs no draws.
//
// The process draws only from its own stream, so the arrivals of a workload are the same
// whatever the rest of the simulation does (common random numbers), provided the caller
// chains calls: next(previous arrival, horizon) with a fixed horizon.
#include "sim/cloud/rate_function.hpp"
#include "sim/core/random.hpp"
#include "sim/core/sim_time.hpp"

namespace stratus::cloud {

class ArrivalProcess {
  public:
    // `rate` must outlive the process. `window` > 0: shorter windows give tighter bounds
    // (fewer rejected candidates) for fast-changing rates at the cost of more max_rate calls.
    ArrivalProcess(const RateFunction& rate, RandomStream stream, SimTime window = 60 * kSecond);

    // The next arrival strictly after `after`, at most `horizon`, or kNever when there is none.
    // When `after` is the arrival returned last, the process continues from its exact
    // (sub-microsecond) position, so rounding to microseconds adds no bias; otherwise it
    // starts afresh at after + 1 us. Two candidates in the same microsecond are spread to
    // consecutive microseconds so that times strictly increase. No allocation.
    SimTime next(SimTime after, SimTime horizon);

    // The rate function changed (a scheduled change): forget the window's bound and the
    // position, so the next call starts afresh after its `after` (exact: memoryless).
    void restart() {
        has_last_ = false;
        bound_ = -1.0;
        bound_from_ = bound_to_ = 0;
    }

  private:
    const RateFunction* rate_;
    RandomStream stream_;
    SimTime window_;
    // Where the candidate process stands (microseconds, continuous) after the last arrival.
    double position_ = 0.0;
    SimTime last_arrival_ = -1;
    bool has_last_ = false;
    // lambda* of the window [bound_from_, bound_to_): reused while the search stays inside it.
    SimTime bound_from_ = 0;
    SimTime bound_to_ = 0;
    double bound_ = -1.0;
};

}  // namespace stratus::cloud
