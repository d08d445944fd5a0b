#pragma once
// The recorder observes a run: it tallies every request's outcome and latency, closes one row
// per metrics period from the gauges the World hands it, and keeps the event log. Models call
// it; it never reaches into them.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/cloud/request.hpp"
#include "sim/core/sim_time.hpp"
#include "sim/report/event_log.hpp"
#include "sim/report/latency_histogram.hpp"

namespace stratus::report {

// Instantaneous state sampled at the end of a metrics period.
struct Gauges {
    int in_service = 0;
    int pending = 0;
    int healthy = 0;
    int unhealthy = 0;
    int desired = 0;
    bool has_groups = false;            // desired is meaningful only when there is a group
    double cpu_percent = -1;            // average over instances running in the period; < 0: none
    double cost_rate_usd_per_hour = 0;  // the bill's rate at the end of the period
    double cost_usd = 0;                // cumulative
    // CloudWatch CPUCreditBalance at the period's end, averaged over the running burstable
    // instances; < 0: none.
    double cpu_credit_balance = -1;
    std::vector<int> in_service_by_az;
};

struct PeriodRow {
    SimTime start = 0;
    SimTime length = 0;
    std::uint64_t arrivals = 0;
    std::array<std::uint64_t, cloud::kOutcomeCount> outcomes{};
    double mean_ms = -1, p50_ms = -1, p99_ms = -1;  // < 0: no successful request in the period
    Gauges gauges;
};

// Receives each metrics period's row as it closes, instead of the recorder keeping it
// (report::OutputSpool streams them to disk, so memory stays flat however long the run).
class PeriodRowSink {
  public:
    virtual ~PeriodRowSink() = default;
    virtual void period_closed(const PeriodRow& row) = 0;
};

class Recorder {
  public:
    // Requests that arrive before the warm-up ends show in the time series but not in the
    // run's totals (the usual warm-up deletion of steady-state simulation).
    void set_warmup(SimTime warmup) { warmup_ = warmup; }
    SimTime warmup() const { return warmup_; }

    void arrival(SimTime t, SimTime service) {
        ++period_.arrivals;
        if (t >= warmup_) ++arrivals_;
        // A fingerprint of the arrival sequence (times and drawn service times), so tests can
        // check that settings outside the traffic never change what the clients send.
        arrival_fingerprint_ = (arrival_fingerprint_ ^ static_cast<std::uint64_t>(t)) * kFnvPrime;
        arrival_fingerprint_ =
            (arrival_fingerprint_ ^ static_cast<std::uint64_t>(service)) * kFnvPrime;
    }
    std::uint64_t arrival_fingerprint() const { return arrival_fingerprint_; }
    // A request's end as the client saw it, at `now`; the latency of successful requests is
    // now - arrival.
    void outcome(cloud::Outcome o, SimTime arrival, SimTime now) {
        ++period_.outcomes[static_cast<int>(o)];
        ++all_outcomes_[static_cast<int>(o)];
        if (o == cloud::Outcome::Ok) all_latency_sum_s_ += to_seconds(now - arrival);
        const bool counted = arrival >= warmup_;
        if (counted) ++outcomes_[static_cast<int>(o)];
        if (o == cloud::Outcome::Ok) {
            period_latency_.record(now - arrival);
            if (counted) total_latency_.record(now - arrival);
        }
    }
    void close_period(SimTime start, SimTime length, Gauges gauges);

    // --- fluid mode: many requests at once (no arrival fingerprint).
    void arrivals_n(SimTime t, std::uint64_t n) {
        period_.arrivals += n;
        if (t >= warmup_) arrivals_ += n;
    }
    // n requests that arrived at `arrival` ended with `o` (their latency, for Ok, goes in
    // through ok_weighted).
    void outcomes_n(cloud::Outcome o, SimTime arrival, std::uint64_t n) {
        period_.outcomes[static_cast<int>(o)] += n;
        all_outcomes_[static_cast<int>(o)] += n;
        if (arrival >= warmup_) outcomes_[static_cast<int>(o)] += n;
    }
    // A weight (fractional requests) of successful requests with this latency.
    void ok_weighted(SimTime arrival, SimTime latency, double weight) {
        ok_weighted_in_cell(arrival, WeightedLatencies::cell_of(latency), latency, weight);
    }
    // The same, `cell` being WeightedLatencies::cell_of(latency). Gathered by cell, recorded
    // into the histograms at the period's close (or a flush).
    void ok_weighted_in_cell(SimTime arrival, std::size_t cell, SimTime latency, double weight) {
        all_latency_sum_s_ += weight * to_seconds(latency);
        period_weighted_.add(cell, latency, weight);
        if (arrival >= warmup_) total_weighted_.add(cell, latency, weight);
    }
    // Records the gathered weighted latencies into the histograms (close_period does it; the
    // World does it when a run stops, so latency() is complete).
    void flush_weighted() {
        period_weighted_.flush_into(period_latency_);
        total_weighted_.flush_into(total_latency_);
    }

    void instance_launched() { ++instances_launched_; }
    void instance_terminated() { ++instances_terminated_; }
    void spot_interrupted() { ++spot_interruptions_; }
    int spot_interruptions() const { return spot_interruptions_; }
    void instance_in_service(int delta) {
        in_service_ += delta;
        if (in_service_ > peak_in_service_) peak_in_service_ = in_service_;
    }
    int instances_launched() const { return instances_launched_; }
    int instances_terminated() const { return instances_terminated_; }
    int peak_in_service() const { return peak_in_service_; }

    EventLog& log() { return log_; }
    const EventLog& log() const { return log_; }

    std::uint64_t arrivals() const { return arrivals_; }
    std::uint64_t count(cloud::Outcome o) const { return outcomes_[static_cast<int>(o)]; }
    std::uint64_t errors() const;
    // Since the start, warm-up included (CloudWatch metrics are published from these).
    std::uint64_t all_count(cloud::Outcome o) const { return all_outcomes_[static_cast<int>(o)]; }
    // The HTTP errors (a load balancer saw them), not the clients' connect timeouts.
    std::uint64_t all_errors() const;
    double all_latency_sum_s() const { return all_latency_sum_s_; }
    const LatencyHistogram& latency() const { return total_latency_; }
    // The rows kept in memory: all of them unless a sink takes them.
    const std::vector<PeriodRow>& rows() const { return rows_; }
    std::size_t periods_closed() const { return periods_closed_; }
    void stream_rows_to(PeriodRowSink* sink) { row_sink_ = sink; }

  private:
    static constexpr std::uint64_t kFnvPrime = 0x100000001b3ull;
    SimTime warmup_ = 0;
    std::uint64_t arrivals_ = 0;
    std::uint64_t arrival_fingerprint_ = 0xcbf29ce484222325ull;
    std::array<std::uint64_t, cloud::kOutcomeCount> outcomes_{};
    std::array<std::uint64_t, cloud::kOutcomeCount> all_outcomes_{};
    double all_latency_sum_s_ = 0;
    LatencyHistogram total_latency_;
    LatencyHistogram period_latency_;
    WeightedLatencies period_weighted_, total_weighted_;  // fluid mode, see ok_weighted
    PeriodRow period_;
    std::vector<PeriodRow> rows_;
    PeriodRowSink* row_sink_ = nullptr;
    std::size_t periods_closed_ = 0;
    EventLog log_;
    int instances_launched_ = 0, instances_terminated_ = 0, spot_interruptions_ = 0;
    int in_service_ = 0, peak_in_service_ = 0;
};

}  // namespace stratus::report
