#include "sim/cloud/rate_function.hpp"

#include <algorithm>
#include <cmath>

namespace stratus::cloud {

namespace {

constexpr double kTwoPi = 6.283185307179586476925286766559;

// Non-negative remainder, for times of day.
SimTime pos_mod(SimTime x, SimTime m) {
    SimTime r = x % m;
    return r < 0 ? r + m : r;
}

SimTime saturating_add(SimTime a, SimTime b) {
    return (b > kNever - a) ? kNever : a + b;
}

}  // namespace

RateFunction::RateFunction(const scenario::RateSpec& rate,
                           const std::vector<scenario::SpikeSpec>& spikes,
                           std::int64_t start_epoch_s)
    : shape_(rate.shape) {
    using scenario::RateShape;
    switch (shape_) {
        case RateShape::Constant:
            value_ = rate.value;
            settles_at_ = 0;
            break;
        case RateShape::Diurnal:
            min_ = rate.min;
            max_ = rate.max;
            peak_ = pos_mod(rate.peak, kDay);
            start_tod_ = pos_mod(start_epoch_s, 86400) * kSecond;
            settles_at_ = (min_ == max_) ? 0 : kNever;
            break;
        case RateShape::Steps:
        case RateShape::Trace: {
            // Stable sort: rows with equal times keep their order, so the later one wins.
            std::vector<std::pair<SimTime, double>> rows = rate.steps;
            std::stable_sort(rows.begin(), rows.end(),
                             [](const auto& x, const auto& y) { return x.first < y.first; });
            const double scale = (shape_ == RateShape::Trace) ? rate.scale : 1.0;
            step_times_.reserve(rows.size());
            step_values_.reserve(rows.size());
            for (const auto& [t, v] : rows) {
                step_times_.push_back(t);
                step_values_.push_back(v * scale);
            }
            settles_at_ = step_times_.empty() ? 0 : std::max<SimTime>(0, step_times_.back());
            break;
        }
        case RateShape::Ramp:
            from_ = rate.from;
            to_ = rate.to;
            over_ = std::max<SimTime>(0, rate.over);
            settles_at_ = over_;
            break;
    }

    // Flatten the spikes into a piecewise-constant multiplier over their start/end times.
    for (const auto& s : spikes) {
        if (s.duration <= 0) continue;
        mult_times_.push_back(s.at);
        mult_times_.push_back(saturating_add(s.at, s.duration));
    }
    std::sort(mult_times_.begin(), mult_times_.end());
    mult_times_.erase(std::unique(mult_times_.begin(), mult_times_.end()), mult_times_.end());
    mult_values_.reserve(mult_times_.size());
    for (SimTime t : mult_times_) {
        double m = 1.0;
        for (const auto& s : spikes) {  // in spec order, so the product is reproducible
            if (s.duration > 0 && s.at <= t && t < saturating_add(s.at, s.duration)) {
                m *= s.multiplier;
            }
        }
        mult_values_.push_back(m);
    }
    if (!mult_times_.empty()) settles_at_ = std::max(settles_at_, mult_times_.back());
    settled_rate_ = computed_at(settles_at_);
}

std::ptrdiff_t RateFunction::segment_of(const std::vector<SimTime>& times, SimTime t) {
    return std::upper_bound(times.begin(), times.end(), t) - times.begin() - 1;
}

double RateFunction::diurnal_at(SimTime t) const {
    const SimTime tod = pos_mod(start_tod_ + pos_mod(t, kDay), kDay);
    const double phase = kTwoPi * static_cast<double>(tod - peak_) / static_cast<double>(kDay);
    return min_ + (max_ - min_) * (1.0 + std::cos(phase)) / 2.0;
}

double RateFunction::ramp_at(SimTime t) const {
    if (t >= over_) return to_;
    if (t <= 0) return from_;
    return from_ + (to_ - from_) * (static_cast<double>(t) / static_cast<double>(over_));
}

double RateFunction::base_at(SimTime t) const {
    using scenario::RateShape;
    switch (shape_) {
        case RateShape::Constant:
            return value_;
        case RateShape::Diurnal:
            return diurnal_at(t);
        case RateShape::Steps:
        case RateShape::Trace: {
            const auto k = segment_of(step_times_, t);
            return k < 0 ? 0.0 : step_values_[static_cast<std::size_t>(k)];
        }
        case RateShape::Ramp:
            return ramp_at(t);
    }
    return 0.0;
}

double RateFunction::computed_at(SimTime t) const {
    const auto k = segment_of(mult_times_, t);
    const double m = k < 0 ? 1.0 : mult_values_[static_cast<std::size_t>(k)];
    return base_at(t) * m * scale_;
}

double RateFunction::base_max(SimTime a, SimTime b) const {
    using scenario::RateShape;
    const SimTime last = b - 1;  // integer times: the supremum over [a, b) is over [a, b - 1]
    switch (shape_) {
        case RateShape::Constant:
            return value_;
        case RateShape::Diurnal: {
            // Between two highs the curve falls then rises, so without a high inside the
            // interval the maximum is at an end.
            const SimTime high = (max_ >= min_) ? peak_ : pos_mod(peak_ + kDay / 2, kDay);
            const SimTime tod_a = pos_mod(start_tod_ + pos_mod(a, kDay), kDay);
            const SimTime to_high = pos_mod(high - tod_a, kDay);
            if (to_high <= last - a) {
                return std::max({diurnal_at(a + to_high), max_, min_});
            }
            return std::max(diurnal_at(a), diurnal_at(last));
        }
        case RateShape::Steps:
        case RateShape::Trace: {
            auto k = segment_of(step_times_, a);
            double best = k < 0 ? 0.0 : step_values_[static_cast<std::size_t>(k)];
            for (auto i = static_cast<std::size_t>(k + 1);
                 i < step_times_.size() && step_times_[i] <= last; ++i) {
                best = std::max(best, step_values_[i]);
            }
            return best;
        }
        case RateShape::Ramp: {
            // Monotone on (-inf, over - 1] and constant after; checked piecewise so that the
            // rounding of the linear formula next to `over` cannot make the bound miss.
            double best = ramp_at(a);
            if (a < over_) best = std::max(best, ramp_at(std::min(last, over_ - 1)));
            if (last >= over_) best = std::max(best, to_);
            return best;
        }
    }
    return 0.0;
}

double RateFunction::max_rate(SimTime from, SimTime to) const {
    if (to <= from) return 0.0;
    double best = 0.0;
    bool first = true;
    auto k = segment_of(mult_times_, from);
    SimTime t = from;
    while (t < to) {
        const auto next = static_cast<std::size_t>(k + 1);
        const SimTime seg_end = next < mult_times_.size() ? mult_times_[next] : kNever;
        const SimTime e = std::min(seg_end, to);
        const double m = k < 0 ? 1.0 : mult_values_[static_cast<std::size_t>(k)];
        const double v = base_max(t, e) * m * scale_;
        best = first ? v : std::max(best, v);
        first = false;
        t = e;
        ++k;
    }
    return best;
}

}  // namespace stratus::cloud
