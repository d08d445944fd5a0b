#include "sim/report/recorder.hpp"

#include <algorithm>
#include <array>

namespace stratus::report {

void Recorder::period_closed(SimTime start, SimTime length, const Gauges& gauges) {
    period_.start = start;
    period_.length = length;
    // Fluid mode: a period shorter than a minute (10 s, 30 s) records its weighted latencies
    // into the run's total histogram only at the end of each minute, as a one-minute period
    // does (docs/fluid.md, "Latencies"): the same cells, six times fewer recordings at 10 s.
    const SimTime end = start + length;
    flush_weighted(length >= kMinute || end % kMinute == 0 || horizon_ == 0 || end >= horizon_,
                   &period_records_);
    // Performance: an SLO window that is this period (the window is the metrics period unless
    // set) holds exactly the period's latencies when no error ended in it: one walk over the
    // period's histogram gives the row's p50 and p99 and the window's four, and the window's
    // histogram is neither filled nor cleared (a fluid month at 10 s closes 259,200 of them).
    const bool closes_window = window_ > 0 && (end % window_ == 0 || end >= horizon_);
    const bool window_is_period =
        closes_window && window_start_ == start && period_error_latency_.count() == 0;
    // The window's histogram takes the period's: it needs them recorded.
    if (window_ > 0 && !window_is_period) period_records_.record_into(period_latency_);
    std::array<SimTime, kWindowPercentiles.size()> shared{};
    static_assert(kWindowPercentiles[0] == 50 && kWindowPercentiles[2] == 99);
    // The period's latencies: in period_records_ or in period_latency_ (the other is empty).
    const auto figures = [&](const auto& latencies) {
        if (latencies.count() == 0) return false;
        period_.mean_ms = latencies.mean() / kMillisecond;
        static constexpr double kPeriodPercentiles[] = {50, 99};
        SimTime p[2];
        if (window_is_period) {
            latencies.percentiles(kWindowPercentiles.data(), shared.size(), shared.data());
            p[0] = shared[0];
            p[1] = shared[2];
        } else {
            latencies.percentiles(kPeriodPercentiles, 2, p);
        }
        period_.p50_ms = to_millis(p[0]);
        period_.p99_ms = to_millis(p[1]);
        return true;
    };
    const bool any_latency =
        period_records_.empty() ? figures(period_latency_) : figures(period_records_);
    period_.gauges = gauges;
    // The row's cost rate is the average rate over the period: every charge that accrued in it
    // (hours, LCUs, data transfer, NAT GB, minimums and round-ups at the end), so the rates
    // times the lengths sum to the bill.
    const double hours = to_seconds(length) / 3600.0;
    period_.gauges.cost_rate_usd_per_hour =
        hours > 0 ? (period_.gauges.accrued_usd - accrued_at_period_start_) / hours : 0.0;
    accrued_at_period_start_ = period_.gauges.accrued_usd;
    if (window_ > 0) {
        if (!window_is_period) {
            window_latency_.merge(period_latency_);
            window_latency_.merge(period_error_latency_);
        }
        for (int i = 0; i < cloud::kOutcomeCount; ++i)
            window_figures_.outcomes[i] += period_.outcomes[i];
        if (closes_window)
            close_window(end, window_is_period && any_latency ? shared.data() : nullptr);
    }
    period_error_latency_.reset();
    ++periods_closed_;
    if (row_sink_)
        row_sink_->period_closed(period_);
    else
        rows_.push_back(std::move(period_));
    // Performance: the row's in_service_by_az keeps its memory for the next period's copy
    // (each period's assignment above sets all of it).
    std::vector<int> by_az = std::move(period_.gauges.in_service_by_az);
    period_ = PeriodRow{};
    period_.gauges.in_service_by_az = std::move(by_az);
    period_latency_.reset();
    period_records_.clear();
    total_owed_ = true;  // the run's total has every sample the (now empty) period had
}

void Recorder::close_window(SimTime end, const SimTime* latency) {
    window_figures_.start = window_start_;
    window_figures_.length = end - window_start_;
    if (latency)
        std::copy(latency, latency + kWindowPercentiles.size(), window_figures_.latency.begin());
    else if (window_latency_.count() > 0)
        window_latency_.percentiles(kWindowPercentiles.data(), kWindowPercentiles.size(),
                                    window_figures_.latency.data());
    windows_.push_back(window_figures_);
    window_figures_ = SloWindow{};
    window_latency_.reset();
    window_start_ = end;
}

SloWindow Recorder::whole_run() const {
    SloWindow w;
    w.start = warmup_;
    w.length = horizon_ > warmup_ ? horizon_ - warmup_ : 0;
    w.outcomes = outcomes_;
    settle_total();
    LatencyHistogram all = total_latency_;
    all.merge(total_error_latency_);
    if (all.count() > 0)
        for (std::size_t k = 0; k < kWindowPercentiles.size(); ++k)
            w.latency[k] = all.percentile(kWindowPercentiles[k]);
    return w;
}

std::uint64_t Recorder::errors() const {
    std::uint64_t n = 0;
    for (int i = 1; i < cloud::kOutcomeCount; ++i)
        n += outcomes_[i];
    return n;
}

}  // namespace stratus::report
