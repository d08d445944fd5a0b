#pragma once
// The request rate of one workload as a function of simulated time: a base shape (constant,
// diurnal, steps, ramp, trace) times the spikes active at that instant. Used by the arrival
// process (thinning needs rate_at and an upper bound per window) and by the fluid mode.
//
// Times are SimTime (integer microseconds from the start of the run); rates are requests/s.
// Rates are assumed non-negative (the loader validates them).
#include <cstdint>
#include <utility>
#include <vector>

#include "sim/core/sim_time.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

class RateFunction {
  public:
    // start_epoch_s: wall-clock start of the run (Unix seconds, UTC); only the diurnal shape
    // uses it, to place the peak at the right time of day.
    //
    // Shapes:
    //  - Constant: `value`.
    //  - Diurnal: min + (max - min) * (1 + cos(2 pi (tod - peak) / 24 h)) / 2, where tod is the
    //    UTC time of day of start_epoch_s + t.
    //  - Steps: `steps` (from time, rate) pairs; each rate holds until the next step, the last
    //    one forever. Before the first step the rate is 0 (write a step at 0 to avoid that).
    //    Rows with equal times: the later row wins.
    //  - Ramp: `from` at t <= 0, linear to `to` at t = `over`, then `to`.
    //  - Trace: as steps, each value multiplied by `scale`.
    // Spikes multiply the rate by `multiplier` on [at, at + duration); overlapping spikes
    // multiply together. Spikes with duration <= 0 are ignored.
    RateFunction(const scenario::RateSpec& rate, const std::vector<scenario::SpikeSpec>& spikes,
                 std::int64_t start_epoch_s);

    // Requests/s at time t. No allocation. Performance: past settles_at() the rate is one
    // number, kept (the arrival process asks twice per request).
    double rate_at(SimTime t) const { return t >= settles_at_ ? settled_rate_ : computed_at(t); }

    // The supremum of rate_at(t) over the integer times t in [from, to): exact for constant,
    // steps, trace and ramp (up to the spikes' products, which are evaluated the same way),
    // and for diurnal up to libm rounding of cos. 0 when the interval is empty. No allocation.
    double max_rate(SimTime from, SimTime to) const;

    // A time after which the rate never changes again (kNever if it keeps changing, e.g. a
    // diurnal shape with min != max). Lets callers stop early when the rate settles at 0.
    SimTime settles_at() const { return settles_at_; }

    // The times the spikes' product changes, sorted (a bound over a stretch is exact within
    // the stretches these cut).
    const std::vector<SimTime>& spike_times() const { return mult_times_; }

    // A scheduled change (`[[action]] workload.<name>.rate_multiplier`, the viewer's traffic
    // spike): every rate from now on is multiplied by `scale` (1 by default). The caller
    // restarts its arrival process at the change, so no earlier bound is reused.
    void set_scale(double scale) {
        scale_ = scale;
        settled_rate_ = computed_at(settles_at_);
    }
    double scale() const { return scale_; }

  private:
    // rate_at, computed: the base shape times the spikes' product times the scale.
    double computed_at(SimTime t) const;
    double base_at(SimTime t) const;
    // Supremum of base_at over the integer times in [a, b), a < b.
    double base_max(SimTime a, SimTime b) const;
    double diurnal_at(SimTime t) const;
    double ramp_at(SimTime t) const;
    // Index of the piecewise segment containing t in times, or -1 when t is before the first.
    static std::ptrdiff_t segment_of(const std::vector<SimTime>& times, SimTime t);

    double scale_ = 1.0;
    scenario::RateShape shape_;
    double value_ = 0;                 // constant
    double min_ = 0, max_ = 0;         // diurnal
    SimTime peak_ = 0;                 // diurnal: time of day of the maximum, in [0, 24 h)
    SimTime start_tod_ = 0;            // diurnal: time of day of the run's start, in [0, 24 h)
    double from_ = 0, to_ = 0;         // ramp
    SimTime over_ = 0;                 // ramp
    std::vector<SimTime> step_times_;  // steps and trace, sorted
    std::vector<double> step_values_;  // already scaled for a trace
    // Spikes flattened into a piecewise-constant multiplier: mult_values_[i] holds on
    // [mult_times_[i], mult_times_[i + 1]); 1 before the first time and after the last.
    std::vector<SimTime> mult_times_;
    std::vector<double> mult_values_;
    SimTime settles_at_ = 0;
    // computed_at(settles_at_): the same number, bit for bit, as computed_at(t) for any
    // t >= settles_at_ (every factor is the same from then on).
    double settled_rate_ = 0;
};

}  // namespace stratus::cloud
