#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <vector>

#include "sim/cloud/run_observer.hpp"
#include "sim/core/random.hpp"
#include "sim/report/latency_histogram.hpp"
#include "sim/report/recorder.hpp"

namespace test_latency_histogram {

using namespace stratus;

namespace {

// Nearest-rank percentile of a sorted sample, with the histogram's rank rule.
SimTime exact_percentile(const std::vector<SimTime>& sorted, double p) {
    if (p <= 0) return sorted.front();
    if (p >= 100) return sorted.back();
    const auto n = sorted.size();
    auto rank = static_cast<std::size_t>(std::ceil(static_cast<long double>(p) * n / 100.0L));
    rank = std::clamp<std::size_t>(rank, 1, n);
    return sorted[rank - 1];
}

void check_against_sorted(std::vector<SimTime> values) {
    LatencyHistogram h;
    long double sum = 0;
    for (SimTime v : values) {
        h.record(v);
        sum += v;
    }
    std::sort(values.begin(), values.end());
    REQUIRE(h.count() == values.size());
    CHECK(h.sum() == static_cast<SimTime>(sum));
    CHECK(h.mean() == Approx(static_cast<double>(sum / values.size())).epsilon(1e-12));
    CHECK(h.min() == values.front());
    CHECK(h.max() == values.back());
    for (double p : {0.0, 0.1, 1.0, 10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.9, 99.99, 100.0}) {
        const SimTime exact = exact_percentile(values, p);
        const SimTime got = h.percentile(p);
        INFO("p=" << p << " exact=" << exact << " got=" << got);
        CHECK(std::llabs(got - exact) <= static_cast<SimTime>(0.001 * static_cast<double>(exact)));
    }
}

}  // namespace

TEST_CASE("histogram bucket layout keeps relative error under 0.1%", "[histogram]") {
    RandomStream rng(7, "histogram/layout");
    std::vector<SimTime> probes{
        0, 1, 1023, 1024, 1025, 2047, 2048, 4095, 4096, 1000000, LatencyHistogram::kMaxResolved};
    for (int i = 0; i < 100000; ++i) {
        probes.push_back(static_cast<SimTime>(std::exp(rng.uniform01() * 27.7)));  // up to ~1e12
    }
    std::size_t prev_index = 0;
    SimTime prev_value = 0;
    std::sort(probes.begin(), probes.end());
    for (SimTime v : probes) {
        const std::size_t i = LatencyHistogram::bucket_index(v);
        REQUIRE(i < LatencyHistogram::kBuckets);
        const SimTime low = LatencyHistogram::bucket_low(i);
        const SimTime width = LatencyHistogram::bucket_width(i);
        REQUIRE(low <= v);
        REQUIRE(v < low + width);
        REQUIRE(std::llabs(LatencyHistogram::bucket_mid(i) - v) * 1000 <= std::max<SimTime>(v, 1));
        if (v >= prev_value) REQUIRE(i >= prev_index);  // monotone
        prev_index = i;
        prev_value = v;
    }
    CHECK(LatencyHistogram::bucket_index(LatencyHistogram::kMaxResolved) ==
          LatencyHistogram::kBuckets - 1);
    // Values below 1024 us are exact.
    for (SimTime v = 0; v < 1024; ++v) {
        CHECK(LatencyHistogram::bucket_mid(LatencyHistogram::bucket_index(v)) == v);
    }
}

TEST_CASE("histogram count, sum, mean, min and max are exact", "[histogram]") {
    LatencyHistogram h;
    CHECK(h.count() == 0);
    CHECK(h.mean() == 0.0);
    CHECK(h.percentile(50) == 0);
    for (SimTime v : {5, 1500, 123456789, 42, 999999})
        h.record(v);
    CHECK(h.count() == 5);
    CHECK(h.sum() == 5 + 1500 + 123456789 + 42 + 999999);
    CHECK(h.mean() == Approx((5 + 1500 + 123456789 + 42 + 999999) / 5.0));
    CHECK(h.min() == 5);
    CHECK(h.max() == 123456789);
    CHECK(h.percentile(0) == 5);
    CHECK(h.percentile(100) == 123456789);
    CHECK(h.percentile(20) == 5);   // rank 1
    CHECK(h.percentile(40) == 42);  // rank 2
    CHECK(h.percentile(60) == 1500);
    // A single value: every percentile is that value (the clamp to [min, max]).
    LatencyHistogram one;
    one.record(987654);
    for (double p : {0.0, 1.0, 50.0, 99.0, 100.0})
        CHECK(one.percentile(p) == 987654);
    // Out-of-range values: clamped into the buckets, exact in the summaries.
    LatencyHistogram wide;
    const SimTime huge = SimTime{1} << 45;
    wide.record(-3);
    wide.record(huge);
    CHECK(wide.min() == 0);
    CHECK(wide.max() == huge);
    CHECK(wide.sum() == huge);
    CHECK(wide.percentile(100) == huge);
}

TEST_CASE("histogram percentiles are within 0.1% of the sorted sample", "[histogram]") {
    RandomStream rng(11, "histogram/percentiles");
    const int n = 200000;
    SECTION("uniform 0..1 s") {
        std::vector<SimTime> v;
        for (int i = 0; i < n; ++i)
            v.push_back(static_cast<SimTime>(rng.uniform01() * 1e6));
        check_against_sorted(v);
    }
    SECTION("exponential, mean 50 ms") {
        std::vector<SimTime> v;
        for (int i = 0; i < n; ++i)
            v.push_back(static_cast<SimTime>(rng.exponential(50000.0)));
        check_against_sorted(v);
    }
    SECTION("lognormal, heavy tail") {
        std::vector<SimTime> v;
        for (int i = 0; i < n; ++i) {
            v.push_back(static_cast<SimTime>(std::exp(rng.normal(std::log(20000.0), 1.5))));
        }
        check_against_sorted(v);
    }
    SECTION("small values, exact buckets") {
        std::vector<SimTime> v;
        for (int i = 0; i < n; ++i)
            v.push_back(static_cast<SimTime>(rng.below(900)));
        check_against_sorted(v);
    }
    SECTION("bimodal: fast hits and slow timeouts") {
        std::vector<SimTime> v;
        for (int i = 0; i < n; ++i) {
            v.push_back(rng.uniform01() < 0.97 ? static_cast<SimTime>(rng.exponential(3000.0))
                                               : 30 * kSecond + static_cast<SimTime>(rng.below(5)));
        }
        check_against_sorted(v);
    }
}

TEST_CASE("histogram merge equals recording everything in one", "[histogram]") {
    RandomStream rng(3, "histogram/merge");
    LatencyHistogram a, b, all;
    for (int i = 0; i < 50000; ++i) {
        const auto x = static_cast<SimTime>(rng.exponential(2000.0));
        const auto y = static_cast<SimTime>(rng.exponential(90000.0)) + 500;
        a.record(x);
        b.record(y);
        all.record(x);
        all.record(y);
    }
    LatencyHistogram empty;
    a.merge(empty);  // no-op
    a.merge(b);
    CHECK(a.count() == all.count());
    CHECK(a.sum() == all.sum());
    CHECK(a.min() == all.min());
    CHECK(a.max() == all.max());
    for (double p : {0.0, 1.0, 50.0, 90.0, 99.0, 99.9, 100.0})
        CHECK(a.percentile(p) == all.percentile(p));
    // Merging into an empty histogram copies.
    LatencyHistogram c;
    c.merge(all);
    CHECK(c.count() == all.count());
    CHECK(c.min() == all.min());
    CHECK(c.percentile(99) == all.percentile(99));
}

TEST_CASE("histogram reset forgets everything", "[histogram]") {
    LatencyHistogram h;
    for (SimTime v = 1; v < 100000; v += 7)
        h.record(v * 13);
    h.reset();
    CHECK(h.count() == 0);
    CHECK(h.sum() == 0);
    CHECK(h.min() == 0);
    CHECK(h.max() == 0);
    CHECK(h.percentile(50) == 0);
    // After a reset it behaves like a new histogram.
    LatencyHistogram fresh;
    for (SimTime v : {70, 7000, 700000}) {
        h.record(v);
        fresh.record(v);
    }
    CHECK(h.min() == 70);
    CHECK(h.max() == 700000);
    for (double p : {10.0, 50.0, 90.0})
        CHECK(h.percentile(p) == fresh.percentile(p));
}

// The recorder's pattern: a period's histogram is merged into the SLO window's and reset,
// minute after minute; merge and reset cost only the buckets with a count. The window must
// equal one histogram that recorded everything, and a reset bucket must not come back.
TEST_CASE("histogram periods merged into a window and reset equal one histogram", "[histogram]") {
    RandomStream rng(5, "histogram/periods");
    LatencyHistogram period, window, all;
    std::uint64_t recorded = 0;
    for (int minute = 0; minute < 40; ++minute) {
        // Sparse and far apart (a fluid period: a few values from 1 ms to the timeout), with
        // whole batches (record_n) and the same bucket twice.
        for (int k = 0; k < 25; ++k) {
            const auto v = static_cast<SimTime>(rng.exponential(20000.0)) + 1000;
            const std::uint64_t n = 1 + rng.below(4);
            period.record_n(v, n);
            all.record_n(v, n);
            recorded += n;
        }
        if (minute % 3 == 0) {
            period.record(10 * kSecond);
            all.record(10 * kSecond);
            ++recorded;
        }
        window.merge(period);
        period.reset();
        REQUIRE(period.count() == 0);
        REQUIRE(period.percentile(99) == 0);
    }
    REQUIRE(recorded > 1000);
    CHECK(window.count() == recorded);
    CHECK(window.count() == all.count());
    CHECK(window.sum() == all.sum());
    CHECK(window.min() == all.min());
    CHECK(window.max() == all.max());
    for (double p : {0.5, 10.0, 50.0, 90.0, 99.0, 99.9})
        CHECK(window.percentile(p) == all.percentile(p));
    // A histogram merged with itself doubles every count.
    LatencyHistogram twice = all;
    twice.merge(twice);
    CHECK(twice.count() == 2 * all.count());
    CHECK(twice.percentile(50) == all.percentile(50));
    // After the last reset, one value is the whole distribution: nothing earlier lingers.
    period.record(3000);
    CHECK(period.count() == 1);
    CHECK(period.percentile(1) == period.percentile(99));
}

TEST_CASE("Weighted latencies flushed into two histograms at once, or copied, equal two gatherers",
          "[latency]") {
    // The recorder gathers a period's weighted points once and flushes them into the period's
    // and the run's histograms; when a point must not count for the run (the warm-up), the
    // gathered cells are copied to the run's own gatherer first. Both must give what two
    // gatherers fed separately give.
    const SimTime values[] = {800, 1'500, 14'000, 14'050, 99'000, 2'000'000};
    const double weights[] = {0.4, 2.25, 7.5, 0.8, 1.6, 3.3};
    WeightedLatencies one, period, total;
    LatencyHistogram a, b, expect_a, expect_b;
    for (int k = 0; k < 6; ++k) {
        const std::size_t cell = WeightedLatencies::cell_of(values[k]);
        one.add(cell, values[k], weights[k]);
        period.add(cell, values[k], weights[k]);
        total.add(cell, values[k], weights[k]);
    }
    REQUIRE(WeightedLatencies::cell_of(14'000) == WeightedLatencies::cell_of(14'050));
    one.flush_into(a, &b);
    period.flush_into(expect_a);
    total.flush_into(expect_b);
    REQUIRE(expect_a.count() == 14);  // floor per cell: 0 + 2 + 8 + 1 + 3
    CHECK(a.count() == expect_a.count());
    CHECK(b.count() == expect_b.count());
    CHECK(a.sum() == expect_a.sum());
    CHECK(b.sum() == expect_b.sum());
    CHECK(a.percentile(50) == expect_a.percentile(50));
    CHECK(b.percentile(99) == expect_b.percentile(99));
    // Flushed: nothing is left to flush.
    LatencyHistogram empty;
    one.flush_into(empty);
    CHECK(empty.count() == 0);

    // copy_into: the copy holds the same cells, and both go on independently.
    WeightedLatencies src, copy;
    src.add(WeightedLatencies::cell_of(5'000), 5'000, 2.5);
    src.copy_into(copy);
    src.add(WeightedLatencies::cell_of(9'000), 9'000, 1.0);
    LatencyHistogram from_src, from_copy;
    src.flush_into(from_src);
    copy.flush_into(from_copy);
    CHECK(from_src.count() == 3);
    CHECK(from_copy.count() == 2);
    CHECK(from_copy.sum() == 10'000);

    // flush_copying: copy_into then flush_into, in one walk. Two periods, each copied into a
    // gatherer that already holds cells (the second adds to the first's), fractions carried
    // over in the period's histogram; the weights are not exact in binary.
    WeightedLatencies fused, apart, fused_total, apart_total;
    LatencyHistogram fused_period, apart_period;
    for (int round = 0; round < 2; ++round) {
        for (int k = 0; k < 6; ++k) {
            const std::size_t cell = WeightedLatencies::cell_of(values[k] + round * 7);
            const double w = weights[k] * (1.1 + 0.37 * round);
            fused.add(cell, values[k] + round * 7, w);
            apart.add(cell, values[k] + round * 7, w);
        }
        fused.flush_copying(fused_period, fused_total);
        apart.copy_into(apart_total);
        apart.flush_into(apart_period);
        REQUIRE(apart_period.count() > 0);
        CHECK(fused_period.count() == apart_period.count());
        CHECK(fused_period.sum() == apart_period.sum());
        CHECK(fused_period.percentile(50) == apart_period.percentile(50));
        CHECK(fused_period.percentile(99) == apart_period.percentile(99));
        fused_period.reset();
        apart_period.reset();
    }
    LatencyHistogram fused_run, apart_run;
    fused_total.flush_into(fused_run);
    apart_total.flush_into(apart_run);
    REQUIRE(apart_run.count() > 0);
    CHECK(fused_run.count() == apart_run.count());
    CHECK(fused_run.sum() == apart_run.sum());
    CHECK(fused_run.percentile(90) == apart_run.percentile(90));
}

TEST_CASE(
    "Fluid mode at 10 s periods: the run's latencies are recorded as a one-minute period "
    "records them",
    "[latency]") {
    // Two minutes of weighted points: one recorder closes a period every 10 s, the other
    // every minute. The weights and values are exact in binary, so the cells' sums do not
    // depend on the order they are added in.
    report::Recorder by_10s, by_minute;
    by_10s.set_windows(kMinute, 2 * kMinute);
    by_minute.set_windows(kMinute, 2 * kMinute);
    const cloud::WeightedLatency points[] = {
        {WeightedLatencies::cell_of(2'000), 2'000, 0.75},
        {WeightedLatencies::cell_of(50'000), 50'000, 1.25},
        {WeightedLatencies::cell_of(50'016), 50'016, 1.25},
    };
    REQUIRE(points[1].bin == points[2].bin);  // one cell, its mean moving from period to period
    for (int k = 0; k < 12; ++k) {
        const SimTime t = k * 10 * kSecond;
        // The first cell's point, and one of the second's: 50,000 us, then 50,016 us.
        const cloud::WeightedLatency now[] = {points[0], points[1 + k % 2]};
        by_10s.requests_ok_weighted(t, now, 2, 1.0);
        by_minute.requests_ok_weighted(t, now, 2, 1.0);
        by_10s.period_closed(t, 10 * kSecond, cloud::Gauges{});
        if (k % 6 == 5) by_minute.period_closed(t - 50 * kSecond, kMinute, cloud::Gauges{});
    }
    REQUIRE(by_10s.periods_closed() == 12);
    REQUIRE(by_minute.periods_closed() == 2);
    // Each minute: 4.5 samples of 2,000 us, 7.5 at the second cell's mean of 50,008 us; the
    // halves carry on, so the second minute records 5 and 8: 24 in all. Recorded every 10 s,
    // the second cell's samples would be placed at each 10 s mean (50,000, 50,013, ...).
    const LatencyHistogram& a = by_10s.latency();
    const LatencyHistogram& b = by_minute.latency();
    CHECK(b.count() == 24);
    CHECK(b.sum() == 9 * 2'000 + 15 * 50'008);
    CHECK(a.count() == b.count());
    CHECK(a.sum() == b.sum());
    CHECK(a.min() == b.min());
    CHECK(a.max() == b.max());
    CHECK(a.percentile(50) == b.percentile(50));
    CHECK(a.percentile(99) == b.percentile(99));
    // Each 10 s period still has its own percentiles.
    REQUIRE(by_10s.rows().size() == 12);
    CHECK(by_10s.rows()[1].p50_ms > 0);
}

TEST_CASE("A flush records each cell as record_weighted of the cell's weighted mean does",
          "[latency]") {
    // flush_into hands each cell's weight at its rounded weighted mean straight to the cell
    // (record_weighted_in); record_weighted finds the same cell from the mean. Ten flushes of
    // cells over five octaves, with fractions carried from flush to flush, give the same
    // histogram both ways.
    RandomStream rng(19, "histogram/flush");
    WeightedLatencies gather;
    LatencyHistogram flushed, by_hand;
    std::vector<double> cell_weight(LatencyHistogram::kBuckets, 0.0), cell_sum(cell_weight);
    std::vector<std::size_t> cells;
    for (int flush = 0; flush < 10; ++flush) {
        for (int k = 0; k < 300; ++k) {
            const auto v = static_cast<SimTime>(1'000 * std::pow(2.0, 5 * rng.uniform01()));
            const double w = 0.05 + 2 * rng.uniform01();
            const std::size_t c = WeightedLatencies::cell_of(v);
            gather.add(c, v, w);
            if (cell_weight[c] == 0) cells.push_back(c);
            cell_weight[c] += w;
            cell_sum[c] += w * static_cast<double>(v);
        }
        gather.flush_into(flushed);
        std::sort(cells.begin(), cells.end());  // the flush goes in ascending cells
        for (const std::size_t c : cells) {
            const auto mean = static_cast<SimTime>(cell_sum[c] / cell_weight[c] + 0.5);
            REQUIRE(WeightedLatencies::cell_of(mean) == c);  // the mean lies in its cell
            by_hand.record_weighted(mean, cell_weight[c]);
            cell_weight[c] = cell_sum[c] = 0;
        }
        cells.clear();
        REQUIRE(by_hand.count() > 0);
        CHECK(flushed.count() == by_hand.count());
        CHECK(flushed.sum() == by_hand.sum());
        CHECK(flushed.min() == by_hand.min());
        CHECK(flushed.max() == by_hand.max());
        for (const double p : {1.0, 25.0, 50.0, 90.0, 99.0, 99.9})
            CHECK(flushed.percentile(p) == by_hand.percentile(p));
    }
}

TEST_CASE("A period's flush kept as records reads as the histogram it would have filled",
          "[latency]") {
    // Fluid mode at 10 s and 30 s periods: the period's whole samples stay a list
    // (LatencyRecords) instead of being recorded into the period's histogram. Ten periods of
    // cells over five octaves, fractions carried in the period's histogram's cells from one
    // to the next: the list's count, mean and percentiles (ascending and not) are those of a
    // histogram given the same flushes, and recording the list gives that histogram.
    RandomStream rng(23, "histogram/records");
    WeightedLatencies listed, recorded, listed_total, recorded_total;
    LatencyHistogram listed_cells, histogram;
    LatencyRecords records;
    for (int period = 0; period < 10; ++period) {
        for (int k = 0; k < 300; ++k) {
            const auto v = static_cast<SimTime>(900 * std::pow(2.0, 5 * rng.uniform01()));
            const double w = 0.05 + 2 * rng.uniform01();
            const std::size_t c = WeightedLatencies::cell_of(v);
            listed.add(c, v, w);
            recorded.add(c, v, w);
        }
        listed.flush_copying(listed_cells, listed_total, records);
        recorded.flush_copying(histogram, recorded_total);
        REQUIRE(histogram.count() > 0);
        REQUIRE(records.ascending());  // a flush's cells ascend, and so do their means
        CHECK(listed_cells.count() == 0);
        CHECK(records.count() == histogram.count());
        CHECK(records.mean() == histogram.mean());
        const double p[] = {0, 1, 25, 50, 90, 99, 99.9, 100, 50, 99.99};
        SimTime from_records[10], from_histogram[10];
        records.percentiles(p, 10, from_records);
        histogram.percentiles(p, 10, from_histogram);
        for (int k = 0; k < 10; ++k)
            CHECK(from_records[k] == from_histogram[k]);
        LatencyHistogram again;
        records.record_into(again);
        CHECK(records.empty());
        CHECK(again.count() == histogram.count());
        CHECK(again.sum() == histogram.sum());
        CHECK(again.min() == histogram.min());
        CHECK(again.max() == histogram.max());
        CHECK(again.percentile(75) == histogram.percentile(75));
        histogram.reset();
    }
    LatencyHistogram listed_run, recorded_run;
    listed_total.flush_into(listed_run);
    recorded_total.flush_into(recorded_run);
    CHECK(listed_run.count() == recorded_run.count());
    CHECK(listed_run.sum() == recorded_run.sum());
}

TEST_CASE("Weighted points added at once gather as one add per point", "[latency]") {
    // The recorder adds a step's points with add_points (the cells' bits set a word at a
    // time): the cells must be those of add() called for each point in order, zero and
    // negative weights left out. Points over nine octaves (many 64-cell words), back and forth,
    // with repeats; two rounds, then each gatherer flushed into a histogram, fractions carried.
    RandomStream rng(29, "histogram/add-points");
    std::vector<cloud::WeightedLatency> points;
    for (int k = 0; k < 400; ++k) {
        const auto v = static_cast<SimTime>(300 * std::pow(2.0, 9 * rng.uniform01()));
        const double w = k % 17 == 0 ? 0.0 : (k % 23 == 0 ? -1.0 : 0.01 + 3 * rng.uniform01());
        points.push_back({WeightedLatencies::cell_of(v), v, w});
    }
    points.push_back(points[5]);  // the same cell again, after others
    WeightedLatencies at_once, one_by_one;
    LatencyHistogram a, b;
    for (const double scale : {3.7, 25.0}) {
        at_once.add_points(points.data(), points.size(), scale);
        for (const auto& p : points)
            one_by_one.add(p.bin, p.latency, scale * p.weight);
        at_once.flush_into(a);
        one_by_one.flush_into(b);
        REQUIRE(b.count() > 1000);
        CHECK(a.count() == b.count());
        CHECK(a.sum() == b.sum());
        CHECK(a.min() == b.min());
        CHECK(a.max() == b.max());
        for (const double p : {1.0, 50.0, 90.0, 99.0, 99.9})
            CHECK(a.percentile(p) == b.percentile(p));
    }
    // Nothing at all (every weight 0 at scale 0) leaves the gatherer empty.
    WeightedLatencies none;
    LatencyHistogram empty;
    none.add_points(points.data(), points.size(), 0.0);
    none.flush_into(empty);
    CHECK(empty.count() == 0);
}

TEST_CASE("Weighted points gathered by cell beforehand add up as the points do", "[latency]") {
    // Fluid mode gathers a step's points by cell (their weights and weight x latency summed,
    // FluidModel::profile) and adds each cell once (add_cells). With weights in eighths and a
    // scale of 4 every product and sum is exact in binary, so the order of the additions cannot
    // show: the histograms must be equal, not close. Points over nine octaves with repeats.
    RandomStream rng(31, "histogram/add-cells");
    std::vector<cloud::WeightedLatency> points;
    for (int k = 0; k < 300; ++k) {
        const auto v = static_cast<SimTime>(300 * std::pow(2.0, 9 * rng.uniform01()));
        const double w = std::floor(1 + 24 * rng.uniform01()) / 8.0;
        points.push_back({WeightedLatencies::cell_of(v), v, w});
    }
    points.push_back(points[7]);
    std::map<std::size_t, cloud::WeightedCell> by_cell;
    for (const auto& p : points) {
        cloud::WeightedCell& c = by_cell[p.bin];
        c.bin = p.bin;
        c.weight += p.weight;
        c.sum += p.weight * static_cast<double>(p.latency);
    }
    std::vector<cloud::WeightedCell> cells;
    for (const auto& [bin, c] : by_cell)
        cells.push_back(c);
    REQUIRE(cells.size() < points.size());  // some cells hold several points
    WeightedLatencies by_points, by_cells;
    by_points.add_points(points.data(), points.size(), 4.0);
    by_cells.add_cells(cells.data(), cells.size(), 4.0);
    LatencyHistogram a, b;
    by_points.flush_into(a);
    by_cells.flush_into(b);
    REQUIRE(a.count() > 1000);
    CHECK(a.count() == b.count());
    CHECK(a.sum() == b.sum());
    CHECK(a.min() == b.min());
    CHECK(a.max() == b.max());
    for (const double p : {1.0, 50.0, 90.0, 99.0, 99.9})
        CHECK(a.percentile(p) == b.percentile(p));
}

TEST_CASE("A window that is its period has the period's percentiles, errors included",
          "[latency]") {
    // The SLO window defaults to the metrics period: with no error in the period, the window's
    // four percentiles come from the period's own histogram; with errors, from the period's
    // and the errors' latencies merged. Against histograms recorded by hand.
    report::Recorder rec;
    rec.set_windows(10 * kSecond, 30 * kSecond);
    const cloud::WeightedLatency points[] = {
        {WeightedLatencies::cell_of(2'000), 2'000, 40.0},
        {WeightedLatencies::cell_of(9'000), 9'000, 9.5},
        {WeightedLatencies::cell_of(700'000), 700'000, 0.5},
    };
    LatencyHistogram ok;  // each period's successful latencies: 40 x 2 ms, 9 or 10 x 9 ms
    // Periods 1 and 3 without errors, period 2 with two 504s that waited 5 s.
    for (int k = 0; k < 3; ++k) {
        const SimTime t = k * 10 * kSecond;
        rec.requests_ok_weighted(t, points, 3, 1.0);
        if (k == 1) rec.requests_ended(cloud::Outcome::Http504, t, 2, 5 * kSecond);
        rec.period_closed(t, 10 * kSecond, cloud::Gauges{});
    }
    REQUIRE(rec.windows().size() == 3);
    REQUIRE(rec.rows().size() == 3);
    for (int k = 0; k < 3; ++k) {
        // 0.5 + 0.5 of the 700 ms cell is recorded in the second period (carried fraction).
        LatencyHistogram expect;
        expect.record_n(2'000, 40);
        expect.record_n(9'000, k == 0 ? 9 : k == 1 ? 10 : 9);
        if (k == 1) expect.record_n(700'000, 1);
        INFO("period " << k);
        CHECK(rec.rows()[k].p50_ms == to_millis(expect.percentile(50)));
        CHECK(rec.rows()[k].p99_ms == to_millis(expect.percentile(99)));
        if (k == 1) expect.record_n(5 * kSecond, 2);
        for (std::size_t i = 0; i < report::kWindowPercentiles.size(); ++i)
            CHECK(rec.windows()[k].latency[i] == expect.percentile(report::kWindowPercentiles[i]));
    }
    // By hand. The second period's row: p99 is its 700 ms sample (rank 51 of 51; the
    // bucket's midpoint 700,159 us clamped to the maximum). Its window: p99 and p99.9 are the
    // errors' 5 s (rank 53 of 53, the bucket's midpoint), p50 is 2 ms (rank 27). The first
    // window's p99 is 9 ms (rank 49 of 49, clamped to the maximum).
    CHECK(rec.rows()[1].p99_ms == 700.0);
    const SimTime five_s =
        LatencyHistogram::bucket_mid(LatencyHistogram::bucket_index(5 * kSecond));
    REQUIRE(five_s == 4'999'167);
    CHECK(rec.windows()[1].latency[2] == five_s);
    CHECK(rec.windows()[1].latency[3] == five_s);
    CHECK(rec.windows()[1].latency[0] == 2'000);
    CHECK(rec.windows()[0].latency[2] == 9'000);
}

TEST_CASE("The run's totals count no more ended requests than arrived ones after the warm-up",
          "[latency]") {
    // Fluid mode carries fractions of requests from step to step: 3 of the 10 requests that
    // arrived in the warm-up are whole only in the first step after it. Before, they counted
    // as answered and in_flight_at_end wrapped below 0 (a month with a 30-minute warm-up
    // reported 12,052,106,130 ok of 12,052,106,129).
    report::Recorder rec(kMinute);
    rec.requests_arrived(0, 10);
    rec.requests_arrived(kMinute, 100);
    REQUIRE(rec.arrivals() == 100);
    rec.requests_ended(cloud::Outcome::Ok, kMinute, 103, 0);
    rec.requests_ended(cloud::Outcome::Http503, kMinute, 2, 0);
    CHECK(rec.count(cloud::Outcome::Ok) == 100);
    CHECK(rec.errors() == 0);
    CHECK(rec.in_flight() == 0);
    CHECK(rec.error_latency().count() == 0);
    // Request mode ends each request it counted as arrived: unchanged.
    rec.request_arrived(kMinute + kSecond, kSecond);
    rec.request_arrived(kMinute + kSecond, kSecond);
    rec.request_ended(cloud::Outcome::Ok, kMinute + kSecond, kMinute + 2 * kSecond, 0);
    CHECK(rec.arrivals() == 102);
    CHECK(rec.count(cloud::Outcome::Ok) == 101);
    CHECK(rec.in_flight() == 1);
    // Later bulk ends count again while arrivals are open.
    rec.requests_arrived(2 * kMinute, 5);
    rec.requests_ended(cloud::Outcome::Http504, 2 * kMinute, 4, kSecond);
    CHECK(rec.errors() == 4);
    CHECK(rec.error_latency().count() == 4);
    CHECK(rec.in_flight() == 2);
}

TEST_CASE("A one-minute flush kept as records in two lists fills what two histograms would",
          "[latency]") {
    // Fluid mode at one-minute periods: the period's whole samples go to a list and the run's
    // total's to another, recorded into the total's histogram later in the same order. Eight
    // periods of cells over five octaves, the fractions carried in both histograms' cells:
    // each period's list reads as the period's histogram, and the total's lists recorded give
    // the total's histogram.
    RandomStream rng(29, "histogram/two-records");
    WeightedLatencies listed, recorded;
    LatencyHistogram listed_period, listed_total, period, total;
    LatencyRecords records, total_records;
    for (int round = 0; round < 8; ++round) {
        for (int k = 0; k < 200; ++k) {
            const auto v = static_cast<SimTime>(1'100 * std::pow(2.0, 5 * rng.uniform01()));
            const double w = 0.03 + 1.7 * rng.uniform01();
            const std::size_t c = WeightedLatencies::cell_of(v);
            listed.add(c, v, w);
            recorded.add(c, v, w);
        }
        const std::uint64_t batched = listed_total.count();  // the batches recorded so far
        listed.flush_into(listed_period, records, listed_total, total_records);
        recorded.flush_into(period, &total);
        REQUIRE(period.count() > 0);
        REQUIRE(records.ascending());
        CHECK(listed_period.count() == 0);  // the histograms keep the fractions only
        CHECK(listed_total.count() == batched);
        CHECK(records.count() == period.count());
        CHECK(records.mean() == period.mean());
        const double p[] = {1, 50, 90, 99, 99.9};
        SimTime from_records[5], from_histogram[5];
        records.percentiles(p, 5, from_records);
        period.percentiles(p, 5, from_histogram);
        for (int k = 0; k < 5; ++k)
            CHECK(from_records[k] == from_histogram[k]);
        records.clear();
        period.reset();
        if (round % 3 == 2) total_records.record_into(listed_total);  // a batch now and then
    }
    total_records.record_into(listed_total);
    REQUIRE(total.count() > 0);
    CHECK(listed_total.count() == total.count());
    CHECK(listed_total.sum() == total.sum());
    CHECK(listed_total.min() == total.min());
    CHECK(listed_total.max() == total.max());
    for (const double q : {1.0, 25.0, 50.0, 90.0, 99.0, 99.9})
        CHECK(listed_total.percentile(q) == total.percentile(q));
}

}  // namespace test_latency_histogram
