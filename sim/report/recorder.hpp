#pragma once
// The recorder observes a run through the interface the model defines (cloud::RunObserver): it
// tallies every request's outcome and latency, keeps one row per metrics period from the
// gauges the World hands it, and keeps the event log. It never reaches into the model, and the
// model never reads it.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/cloud/request.hpp"
#include "sim/cloud/run_observer.hpp"
#include "sim/core/sim_time.hpp"
#include "sim/report/event_log.hpp"
#include "sim/report/latency_histogram.hpp"
#include "sim/report/slo.hpp"

namespace stratus::report {

using Gauges = cloud::Gauges;

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

class Recorder final : public cloud::RunObserver {
  public:
    // Requests that arrive before the warm-up ends show in the time series but not in the
    // run's totals (the usual warm-up deletion of steady-state simulation).
    explicit Recorder(SimTime warmup = 0) : warmup_(warmup) {}
    SimTime warmup() const { return warmup_; }

    // --- cloud::RunObserver
    void request_arrived(SimTime t, SimTime service) override {
        ++period_.arrivals;
        if (t >= warmup_) ++arrivals_;
        // A fingerprint of the arrival sequence (times and drawn service times), so tests can
        // check that settings outside the traffic never change what the clients send.
        arrival_fingerprint_ = (arrival_fingerprint_ ^ static_cast<std::uint64_t>(t)) * kFnvPrime;
        arrival_fingerprint_ =
            (arrival_fingerprint_ ^ static_cast<std::uint64_t>(service)) * kFnvPrime;
    }
    void request_ended(cloud::Outcome o, SimTime arrival, SimTime now, SimTime waited) override {
        ++period_.outcomes[static_cast<int>(o)];
        const bool counted = arrival >= warmup_;
        if (counted) {
            ++outcomes_[static_cast<int>(o)];
            ++ended_;
        }
        if (o == cloud::Outcome::Ok) {
            const SimTime latency = std::max<SimTime>(0, now - arrival);
            const std::size_t bucket = LatencyHistogram::bucket_index(latency);
            if (!counted) {
                settle_total();  // the period now holds a latency the run's total must not
            } else if (!total_owed_) {
                settle_total();  // the batch of fluid samples first (none in request mode)
                total_latency_.record_in(bucket, latency);
            }
            period_latency_.record_in(bucket, latency);
        } else {
            // Errors' latencies count in the SLO's percentiles, not in the successful ones'.
            const SimTime latency = waited >= 0 ? waited : std::max<SimTime>(0, now - arrival);
            period_error_latency_.record(latency);
            if (counted) total_error_latency_.record(latency);
        }
    }
    void requests_arrived(SimTime t, std::uint64_t n) override {
        period_.arrivals += n;
        if (t >= warmup_) arrivals_ += n;
    }
    void requests_ended(cloud::Outcome o, SimTime arrival, std::uint64_t n,
                        SimTime error_latency) override {
        period_.outcomes[static_cast<int>(o)] += n;
        // Fluid mode carries fractions of requests from step to step, so a few that arrived
        // before the warm-up's end can end after it: the run's totals count no more ended
        // requests than arrived ones (else in_flight_at_end would wrap below 0).
        const std::uint64_t counted = arrival >= warmup_ ? std::min(n, arrivals_ - ended_) : 0;
        outcomes_[static_cast<int>(o)] += counted;
        ended_ += counted;
        if (o != cloud::Outcome::Ok) {
            period_error_latency_.record_n(error_latency, n);
            if (counted > 0) total_error_latency_.record_n(error_latency, counted);
        }
    }
    // Gathered by histogram cell (the bin), recorded into the histograms at the period's close
    // or when the run pauses.
    void requests_ok_weighted(SimTime arrival, const cloud::WeightedLatency* points,
                              std::size_t count, double scale) override {
        const bool counted = arrival >= warmup_;
        if (!counted && total_follows_) {
            // From here on the run's total differs from the period's: it gets its own cells.
            period_weighted_.copy_into(total_weighted_);
            total_follows_ = false;
        }
        period_weighted_.add_points(points, count, scale);
        if (counted && !total_follows_) total_weighted_.add_points(points, count, scale);
    }
    void requests_ok_cells(SimTime arrival, const cloud::WeightedCell* cells, std::size_t count,
                           double scale) override {
        const bool counted = arrival >= warmup_;
        if (!counted && total_follows_) {
            period_weighted_.copy_into(total_weighted_);
            total_follows_ = false;
        }
        period_weighted_.add_cells(cells, count, scale);
        if (counted && !total_follows_) total_weighted_.add_cells(cells, count, scale);
    }
    void latency_bins(cloud::WeightedLatency* points, std::size_t count) const override {
        for (std::size_t k = 0; k < count; ++k)
            points[k].bin = WeightedLatencies::cell_of(points[k].latency);
    }
    void run_paused(SimTime) override { flush_weighted(); }
    void period_closed(SimTime start, SimTime length, const Gauges& gauges) override;
    void event_logged(cloud::EventRecord record) override { log_.add(std::move(record)); }

    // SLO windows (report/slo.hpp): one every `window` from the start, the last one ending at
    // `horizon`; `window` is a multiple of the metrics period. Set before the run (report::Run
    // does it); without it no window is kept.
    void set_windows(SimTime window, SimTime horizon) {
        window_ = window;
        horizon_ = horizon;
        // Performance: room for every window at once (the last one may be short). Grown by
        // doubling, a fluid month at 10 s periods (259,200 windows of 96 bytes) copied the list
        // 19 times and touched twice its pages: a twentieth of the run.
        if (window > 0 && horizon > 0)
            windows_.reserve(static_cast<std::size_t>((horizon + window - 1) / window));
    }
    SimTime window() const { return window_; }
    const std::vector<SloWindow>& windows() const { return windows_; }
    // What the clients got over the whole run after the warm-up (errors with their latency).
    SloWindow whole_run() const;

    // --- what was recorded
    std::uint64_t arrival_fingerprint() const { return arrival_fingerprint_; }
    std::uint64_t arrivals() const { return arrivals_; }
    std::uint64_t count(cloud::Outcome o) const { return outcomes_[static_cast<int>(o)]; }
    std::uint64_t errors() const;
    // Arrived (after the warm-up) and not answered yet.
    std::uint64_t in_flight() const { return arrivals_ - count(cloud::Outcome::Ok) - errors(); }
    const LatencyHistogram& latency() const {
        settle_total();
        return total_latency_;
    }
    // The latencies of the errors after the warm-up (client_latency adds them to latency()).
    const LatencyHistogram& error_latency() const { return total_error_latency_; }
    // The rows kept in memory: all of them unless a sink takes them.
    const std::vector<PeriodRow>& rows() const { return rows_; }
    std::size_t periods_closed() const { return periods_closed_; }
    void stream_rows_to(PeriodRowSink* sink) { row_sink_ = sink; }
    EventLog& log() { return log_; }
    const EventLog& log() const { return log_; }

    // Records the gathered weighted latencies (fluid mode) into the histograms, so latency()
    // is complete. With total_now false, the run's total keeps its share in its own cells
    // (it is recorded at a later flush): see period_closed.
    // With records (period_closed only), the period's whole samples may go there instead of
    // into period_latency_ (then empty): see LatencyRecords.
    void flush_weighted(bool total_now = true, LatencyRecords* records = nullptr) {
        settle_owed();
        if (total_follows_ && (total_pending_ || !total_now)) {
            // copy_into(total_weighted_), then the period's flush below, in one walk.
            if (records) {
                period_weighted_.flush_copying(period_latency_, total_weighted_, *records);
                if (period_latency_.count() > 0 || !records->ascending())
                    records->record_into(period_latency_);
            } else {
                period_weighted_.flush_copying(period_latency_, total_weighted_);
            }
            if (total_now) total_weighted_.flush_into(total_latency_, total_records_);
            total_pending_ = !total_now;
            settle_batch();
            return;
        }
        if (total_follows_ && records) {
            period_weighted_.flush_into(period_latency_, *records, total_latency_, total_records_);
            if (period_latency_.count() > 0 || !records->ascending())
                records->record_into(period_latency_);
            settle_batch();
        } else if (total_follows_) {
            record_batch();
            period_weighted_.flush_into(period_latency_, &total_latency_);
        } else {
            record_batch();
            period_weighted_.flush_into(period_latency_);
            if (total_now) total_weighted_.flush_into(total_latency_);
        }
        total_pending_ = !total_now;
        total_follows_ = true;
    }

  private:
    static constexpr std::uint64_t kFnvPrime = 0x100000001b3ull;
    SimTime warmup_ = 0;
    std::uint64_t arrivals_ = 0;
    std::uint64_t arrival_fingerprint_ = 0xcbf29ce484222325ull;
    std::array<std::uint64_t, cloud::kOutcomeCount> outcomes_{};
    std::uint64_t ended_ = 0;                 // the sum of outcomes_
    mutable LatencyHistogram total_latency_;  // see settle_total
    LatencyHistogram period_latency_;
    // Within period_closed only: the period's samples, when they were not recorded into
    // period_latency_ (see flush_weighted).
    LatencyRecords period_records_;
    WeightedLatencies period_weighted_, total_weighted_;  // fluid mode
    // Performance: while every point since the last flush counted towards the run's total
    // (after the warm-up, nearly always), total_weighted_ would hold the same cells as
    // period_weighted_: it is left empty and the period's cells are flushed into both
    // histograms (they were a fifth of a fluid month's run, gathered and flushed twice).
    bool total_follows_ = true;
    // total_weighted_ holds cells a sub-minute period left for the run's total (period_closed).
    bool total_pending_ = false;
    // Performance: while every successful request that ended in the period counts towards
    // the run's total (after the warm-up, nearly always), its latency is recorded in the
    // period's histogram only, and the period's histogram is added to the run's total when
    // the period closes or the run pauses (the same counts, sum, minimum and maximum), instead
    // of recording every latency twice: a request-mode run's histograms are two large arrays
    // hit at random, and the second record was a twentieth of the queueing workload's time.
    // total_owed_: the run's total lacks exactly period_latency_'s samples.
    // Mutable: latency() and whole_run() settle the total first, so it is never read short.
    mutable bool total_owed_ = true;
    // Fluid mode: the run's total's whole samples from the flushes since the last
    // settle_total, in order, recorded into total_latency_ (the same record_in calls in the
    // same order) before anything else touches or reads it, at the latest every
    // kTotalBatch records. Performance: a fluid month's flush recorded ~300 samples a
    // minute into the total's 31,744 buckets, a cache miss each, between a minute's
    // other work; a batch of ~10 minutes finds the same buckets in cache.
    mutable LatencyRecords total_records_;
    static constexpr std::size_t kTotalBatch = 2048;
    void settle_batch() {
        if (total_records_.size() >= kTotalBatch) total_records_.record_into(total_latency_);
    }
    void record_batch() const {
        if (!total_records_.empty()) total_records_.record_into(total_latency_);
    }
    void settle_total() const {
        record_batch();
        settle_owed();
    }
    // The run's total takes the period's samples it lacks, after the batch (the order
    // of recording is kept) when there are any; the batch may wait otherwise.
    void settle_owed() const {
        if (!total_owed_) return;
        if (period_latency_.count() > 0) record_batch();
        total_latency_.merge(period_latency_);
        total_owed_ = false;
    }
    PeriodRow period_;
    LatencyHistogram period_error_latency_, total_error_latency_;
    double accrued_at_period_start_ = 0;
    SimTime window_ = 0, horizon_ = 0, window_start_ = 0;
    SloWindow window_figures_;
    LatencyHistogram window_latency_;
    std::vector<SloWindow> windows_;
    // latency: the window's percentiles (kWindowPercentiles) when known, else its histogram's.
    void close_window(SimTime end, const SimTime* latency = nullptr);
    std::vector<PeriodRow> rows_;
    PeriodRowSink* row_sink_ = nullptr;
    std::size_t periods_closed_ = 0;
    EventLog log_;
};

}  // namespace stratus::report
