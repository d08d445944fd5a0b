#pragma once
// A log-linear (HDR-style) histogram of durations in microseconds, for latency percentiles.
// Values below 1024 us are counted exactly; above, each power of two [2^k, 2^(k+1)) is cut
// into 1024 equal sub-buckets, so a bucket's width is at most 1/1024 of its values and the
// midpoint reported by percentile() is within 1/2048 (< 0.1%) of any value in it. Values
// from 0 to 2^40 - 1 us (about 12.7 days) are resolved; larger ones land in the top bucket
// (count, sum, min and max stay exact). Memory is fixed (31744 counters, ~250 KiB) and
// allocated once; record() never allocates. Everything is integer arithmetic: deterministic.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/core/sim_time.hpp"

namespace stratus {

class LatencyHistogram {
  public:
    static constexpr int kSubBucketBits = 10;
    static constexpr std::int64_t kSubBuckets = std::int64_t{1} << kSubBucketBits;  // 1024
    static constexpr int kMaxBits = 40;  // values < 2^40 us are resolved
    static constexpr SimTime kMaxResolved = (SimTime{1} << kMaxBits) - 1;
    static constexpr std::size_t kBuckets =
        static_cast<std::size_t>(kSubBuckets * (kMaxBits - kSubBucketBits + 1));

    LatencyHistogram();

    // Records one duration; negative values count as 0. Performance: inline, as record_n
    // with n = 1 (a request-mode run records each request's latency twice: period and total).
    void record(SimTime v) {
        if (v < 0) v = 0;
        record_in(bucket_index(v), v);
    }
    // The same for n >= 1 values v >= 0 whose bucket_index is i (computed once for several
    // histograms).
    void record_in(std::size_t i, SimTime v, std::uint64_t n = 1) {
        if (counts_[i] == 0 && n > 0) touched_.push_back(static_cast<std::uint32_t>(i));
        counts_[i] += n;
        block_counts_[i >> kBlockShift] += n;
        lo_ = std::min(lo_, i);
        hi_ = std::max(hi_, i);
        if (count_ == 0) {
            min_ = max_ = v;
        } else {
            min_ = std::min(min_, v);
            max_ = std::max(max_, v);
        }
        count_ += n;
        sum_ += v * static_cast<SimTime>(n);
    }
    // Records n equal durations.
    void record_n(SimTime v, std::uint64_t n);
    // Records a fractional weight of duration v (the fluid mode feeds each step's latency
    // distribution as weighted points). Weights gather in cells of 1/64 octave (16 buckets),
    // each keeping its weight and weighted mean; whenever a cell holds whole samples they are
    // recorded at its mean. So counts stay integers, the total weight is kept to within one
    // sample per cell, and values are placed within ~1 %. Pending fractions survive reset()
    // (they go on into the next period). The cells (32 KiB) are allocated on first use.
    void record_weighted(SimTime v, double weight);

    std::uint64_t count() const { return count_; }
    SimTime sum() const { return sum_; }  // exact (int64 us: overflows past ~292,000 years)
    double mean() const;                  // sum / count; 0 when empty
    SimTime min() const { return count_ ? min_ : 0; }  // exact; 0 when empty
    SimTime max() const { return count_ ? max_ : 0; }  // exact; 0 when empty

    // Nearest-rank percentile, p in [0, 100]: the midpoint of the lowest bucket whose
    // cumulative count reaches ceil(p / 100 * N), clamped to [min, max]. p <= 0 gives min,
    // p >= 100 gives max, an empty histogram 0.
    SimTime percentile(double p) const;
    // percentile(p[k]) into out[k] for k < n, in one walk when the p ascend.
    void percentiles(const double* p, std::size_t n, SimTime* out) const;

    // Clears the counts; costs the buckets touched since the last reset.
    void reset();
    // Adds other's samples to this one; costs other's non-empty buckets.
    void merge(const LatencyHistogram& other);

    // Bucket layout, public for tests and for exporters.
    static std::size_t bucket_index(SimTime v) {
        if (v < 0) v = 0;
        if (v > kMaxResolved) v = kMaxResolved;
        if (v < kSubBuckets) return static_cast<std::size_t>(v);
        const auto u = static_cast<std::uint64_t>(v);
        const int k = 63 - __builtin_clzll(u);  // the highest bit: 10 .. 39
        const int shift = k - kSubBucketBits;   // 0 .. 29
        const auto group = static_cast<std::uint64_t>(shift + 1);
        return static_cast<std::size_t>(group * kSubBuckets + ((u >> shift) - kSubBuckets));
    }
    static SimTime bucket_low(std::size_t index);    // smallest value in the bucket
    static SimTime bucket_width(std::size_t index);  // number of integer values in it
    static SimTime bucket_mid(std::size_t index);

  private:
    std::vector<std::uint64_t> counts_;
    // Performance: the counts of blocks of 64 buckets, so that percentile() steps over empty
    // stretches and reset() clears only the blocks used. A fluid-mode period spreads a few
    // hundred weighted points from under a millisecond to the client's timeout: its buckets
    // span most of the 31,744, and scanning and clearing all of them every minute was a
    // fifth of a month's run.
    static constexpr int kBlockShift = 6;
    std::vector<std::uint64_t> block_counts_;
    // Performance: the buckets with a count, each once (reserved for all of them, so
    // recording never allocates). A fluid-mode minute fills about a hundred buckets spread
    // over thousands: merging it into the SLO window's histogram and clearing it went through
    // the whole span, a seventh of a month's run.
    std::vector<std::uint32_t> touched_;
    std::uint64_t count_ = 0;
    SimTime sum_ = 0;
    SimTime min_ = 0;
    SimTime max_ = 0;
    // Touched buckets lie in [lo_, hi_]; lo_ > hi_ when none are.
    std::size_t lo_ = kBuckets;
    std::size_t hi_ = 0;
    static constexpr int kCellShift = 4;  // record_weighted's cells: 16 buckets each
    static constexpr double kWhole = 4503599627370496.0;  // 2^52
    // Pending fractional samples per cell and their weighted sum of values. Performance: side
    // by side, so a cell costs one cache line, not two (a fluid month at 10 s periods records
    // ~115 cells into two histograms every period).
    struct Cell {
        double weight = 0;
        double sum = 0;
    };
    std::vector<Cell> cells_;
    // record_weighted(v, weight) for v >= 0 whose cell is `cell`, weight > 0 and cells_ sized.
    // Performance: WeightedLatencies' flush knows each cell, its mean and its weight (a fluid
    // month at 10 s periods flushes ~115 cells every period).
    void record_weighted_in(std::size_t cell, SimTime v, double weight) {
        weighted_in(cell, v, weight, [this](SimTime value, std::uint64_t n) {
            record_in(bucket_index(value), value, n);
        });
    }
    // record_weighted_in's arithmetic on the cell, handing the whole samples (value, n >= 1)
    // to `take` instead of recording them.
    template <typename Take>
    void weighted_in(std::size_t cell, SimTime v, double weight, Take&& take) {
        Cell& c = cells_[cell];
        c.weight += weight;
        c.sum += weight * static_cast<double>(v);
        if (c.weight < 1.0) return;
        // whole = floor(c.weight): below 2^52 by a conversion (truncation is floor for weights
        // >= 1, and exact); above it every double is whole. Performance: not std::floor's
        // generic sequence (a fluid month at 10 s periods records ~1,000 cells a minute).
        double whole = c.weight;
        std::uint64_t n;
        if (c.weight < kWhole) {
            const auto t = static_cast<std::int64_t>(c.weight);
            n = static_cast<std::uint64_t>(t);
            whole = static_cast<double>(t);
        } else {
            n = static_cast<std::uint64_t>(whole);
        }
        const double mean = c.sum / c.weight;
        // mean >= 0 and whole >= 1: record_n's checks hold.
        const auto value = static_cast<SimTime>(mean + 0.5);
        take(value, n);
        c.weight -= whole;
        c.sum -= whole * mean;
    }

    friend class WeightedLatencies;
    friend class LatencyRecords;
};

// Performance (fluid mode, 10 s and 30 s periods): the whole samples one flush of a period's
// cells gives, in the order given, with the count, sum, minimum and maximum a histogram that
// recorded them (and nothing else) would have. While the values ascend (as a flush's cells
// do), the percentiles are that histogram's, read from the list: a month at 10 s periods
// recorded ~145 cells into the period's histogram, cleared it and walked it every period.
class LatencyRecords {
  public:
    void add(SimTime v, std::uint64_t n) {
        if (size_ > 0 && v < list_[size_ - 1].v) ascending_ = false;
        // Performance: written in place, field by field. push_back({v, n}) built the record
        // on the stack and copied it in with one 16-byte read of two 8-byte writes, which the
        // processor cannot forward: a stall per record (a fluid month at 10 s periods adds
        // ~130 a period), a twentieth of the month's run.
        if (size_ == list_.size()) grow();
        Record& r = list_[size_++];
        r.v = v;
        r.n = n;
        if (count_ == 0) {
            min_ = max_ = v;
        } else {
            min_ = std::min(min_, v);
            max_ = std::max(max_, v);
        }
        count_ += n;
        sum_ += v * static_cast<SimTime>(n);
    }
    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }  // the records (not the samples: count())
    bool ascending() const { return ascending_; }
    std::uint64_t count() const { return count_; }
    double mean() const;  // as LatencyHistogram::mean
    // As LatencyHistogram::percentiles of the histogram that recorded the list; needs
    // ascending().
    void percentiles(const double* p, std::size_t n, SimTime* out) const;
    // Records the list into h (record_n of each, in order), and clears.
    void record_into(LatencyHistogram& h);
    void clear();

  private:
    struct Record {
        SimTime v;
        std::uint64_t n;
    };
    std::vector<Record> list_;  // the first size_ are the records
    std::size_t size_ = 0;
    void grow();
    bool ascending_ = true;
    std::uint64_t count_ = 0;
    SimTime sum_ = 0, min_ = 0, max_ = 0;
};

// Performance (fluid mode): gathers weighted durations in record_weighted's cells (1/64
// octave) with two additions each, and hands each cell's total weight at its weighted mean to
// a histogram's record_weighted only when flushed (once per metrics period), instead of one
// record_weighted per point (a month's steps feed tens of millions of points).
class WeightedLatencies {
  public:
    // The cell of a duration (the same for every WeightedLatencies).
    static std::size_t cell_of(SimTime v) {
        return LatencyHistogram::bucket_index(v < 0 ? 0 : v) >> LatencyHistogram::kCellShift;
    }
    // Adds a weight of duration v; `cell` is cell_of(v).
    void add(std::size_t cell, SimTime v, double weight) {
        if (!(weight > 0)) return;
        if (cells_.empty()) {
            cells_.assign(kCells, LatencyHistogram::Cell{});
            used_.assign((kCells + 63) / 64, 0);
        }
        LatencyHistogram::Cell& c = cells_[cell];
        c.weight += weight;
        c.sum += weight * static_cast<double>(v < 0 ? 0 : v);
        used_[cell >> 6] |= std::uint64_t{1} << (cell & 63);
    }
    // add(p.bin, p.latency, scale x p.weight) for each of the n points, in order (p.bin is
    // cell_of(p.latency)). Performance: the cells' bits are set a word at a time, not read and
    // written back for each point (a fluid month at 10 s periods adds a few hundred points at
    // every step and period's end, mostly to neighbouring cells).
    template <typename Point>
    void add_points(const Point* points, std::size_t n, double scale) {
        add_each(points, n, scale, [](const Point& p, double weight) {
            return weight * static_cast<double>(p.latency < 0 ? 0 : p.latency);
        });
    }
    // For each of the n cells c: its cell (c.bin) takes scale x c.weight at a weighted sum of
    // scale x c.sum (the points of a fluid step gathered by cell beforehand).
    template <typename Cell>
    void add_cells(const Cell* cells, std::size_t n, double scale) {
        add_each(cells, n, scale, [scale](const Cell& c, double) { return scale * c.sum; });
    }
    // Records every cell's weight into h, and into also when not null (record_weighted, at the
    // cell's weighted mean, cells in ascending order), and clears.
    void flush_into(LatencyHistogram& h, LatencyHistogram* also = nullptr);
    // flush_into(h, &also), h's whole samples going to `records` and also's to
    // `also_records` instead of into the histograms (which keep the cells' fractions, as
    // flush_into leaves them). Performance: a fluid month at one-minute periods recorded
    // ~300 cells a minute into two histograms of 31,744 buckets, each record a cache miss.
    void flush_into(LatencyHistogram& h, LatencyRecords& records, LatencyHistogram& also,
                    LatencyRecords& also_records);
    // flush_into(h), the whole samples going to `records` instead.
    void flush_into(LatencyHistogram& h, LatencyRecords& records);
    // copy_into(other), then flush_into(h), in one walk over the cells (the same cells, the
    // same arithmetic). Performance: a fluid month at 10 s periods does both every period
    // (the period's cells kept for the run's total, recorded once a minute).
    void flush_copying(LatencyHistogram& h, WeightedLatencies& other);
    // The same, the whole samples going to `records` instead of into h (h keeps the cells'
    // fractions, as flush_copying leaves them).
    void flush_copying(LatencyHistogram& h, WeightedLatencies& other, LatencyRecords& records);
    // Adds the pending cells to other's (which then holds what it would have had, had it been
    // given every add() since this one's last flush).
    void copy_into(WeightedLatencies& other) const;

  private:
    static constexpr std::size_t kCells =
        (LatencyHistogram::kBuckets >> LatencyHistogram::kCellShift) + 1;
    std::vector<LatencyHistogram::Cell> cells_;  // each cell's weight and weighted sum
    // Performance: the cells added to since the last flush, one bit each, so a flush visits
    // those (about a hundred a minute) instead of the span between the lowest and highest.
    std::vector<std::uint64_t> used_;
    // flush_into(h, also), h's whole samples handed to take(value, n) and also's to
    // take_also(value, n).
    template <typename Take, typename TakeAlso>
    void flush_to(LatencyHistogram& h, Take&& take, LatencyHistogram* also, TakeAlso&& take_also);
    // flush_copying, each cell's whole samples handed to take(value, n).
    template <typename Take>
    void flush_copying_to(LatencyHistogram& h, WeightedLatencies& other, Take&& take);
    // add_points and add_cells: item k's cell (item.bin) takes scale x item.weight and
    // sum_of(item, that weight) of weighted latency. The cells' bits are set a word at a time.
    template <typename Item, typename SumOf>
    void add_each(const Item* items, std::size_t n, double scale, SumOf sum_of) {
        std::size_t word = 0;
        std::uint64_t bits = 0;
        for (std::size_t k = 0; k < n; ++k) {
            const Item& item = items[k];
            const double weight = scale * item.weight;
            if (!(weight > 0)) continue;
            if (cells_.empty()) {
                cells_.assign(kCells, LatencyHistogram::Cell{});
                used_.assign((kCells + 63) / 64, 0);
            }
            const std::size_t cell = item.bin;
            LatencyHistogram::Cell& c = cells_[cell];
            c.weight += weight;
            c.sum += sum_of(item, weight);
            if ((cell >> 6) != word) {
                used_[word] |= bits;
                word = cell >> 6;
                bits = 0;
            }
            bits |= std::uint64_t{1} << (cell & 63);
        }
        if (bits != 0) used_[word] |= bits;
    }
};

}  // namespace stratus
