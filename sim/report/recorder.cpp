#include "sim/report/recorder.hpp"

namespace stratus::report {

void Recorder::period_closed(SimTime start, SimTime length, const Gauges& gauges) {
    period_.start = start;
    period_.length = length;
    flush_weighted();
    if (period_latency_.count() > 0) {
        period_.mean_ms = period_latency_.mean() / kMillisecond;
        period_.p50_ms = to_millis(period_latency_.percentile(50));
        period_.p99_ms = to_millis(period_latency_.percentile(99));
    }
    period_.gauges = gauges;
    ++periods_closed_;
    if (row_sink_)
        row_sink_->period_closed(period_);
    else
        rows_.push_back(std::move(period_));
    period_ = PeriodRow{};
    period_latency_.reset();
}

std::uint64_t Recorder::errors() const {
    std::uint64_t n = 0;
    for (int i = 1; i < cloud::kOutcomeCount; ++i)
        n += outcomes_[i];
    return n;
}

}  // namespace stratus::report
