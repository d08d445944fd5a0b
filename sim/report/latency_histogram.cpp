#include "sim/report/latency_histogram.hpp"

#include <algorithm>
#include <cmath>

namespace stratus {

namespace {

// The rank (1 to count) whose value is percentile p of count values, as both percentile walks
// read it; 0 when no walk is needed, with the answer in out: 0 when nothing was recorded, the
// minimum for p <= 0 (or NaN), the maximum for p >= 100.
std::uint64_t percentile_rank(double p, std::uint64_t count, SimTime min, SimTime max,
                              SimTime& out) {
    if (count == 0) {
        out = 0;
        return 0;
    }
    if (!(p > 0)) {  // also NaN
        out = min;
        return 0;
    }
    if (p >= 100) {
        out = max;
        return 0;
    }
    // p * N first: for integer-ish p this is exact, so ceil does not round 990.0000001 up.
    const long double exact = static_cast<long double>(p) * count / 100.0L;
    const auto rank = static_cast<std::uint64_t>(std::ceil(exact));
    return std::clamp<std::uint64_t>(rank, 1, count);
}

}  // namespace

LatencyHistogram::LatencyHistogram()
    : counts_(kBuckets, 0), block_counts_((kBuckets >> kBlockShift) + 1, 0) {
    touched_.reserve(kBuckets);
}

SimTime LatencyHistogram::bucket_low(std::size_t index) {
    const auto group = static_cast<std::int64_t>(index) / kSubBuckets;
    const auto sub = static_cast<std::int64_t>(index) % kSubBuckets;
    if (group == 0) return sub;
    return (kSubBuckets + sub) << (group - 1);
}

SimTime LatencyHistogram::bucket_width(std::size_t index) {
    const auto group = static_cast<std::int64_t>(index) / kSubBuckets;
    return group == 0 ? 1 : SimTime{1} << (group - 1);
}

SimTime LatencyHistogram::bucket_mid(std::size_t index) {
    return bucket_low(index) + (bucket_width(index) - 1) / 2;
}

void LatencyHistogram::record_n(SimTime v, std::uint64_t n) {
    if (n == 0) return;
    if (v < 0) v = 0;
    record_in(bucket_index(v), v, n);
}

double LatencyHistogram::mean() const {
    return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0;
}

void LatencyHistogram::record_weighted(SimTime v, double weight) {
    if (!(weight > 0)) return;
    if (v < 0) v = 0;
    if (cells_.empty()) cells_.assign((kBuckets >> kCellShift) + 1, Cell{});
    record_weighted_in(bucket_index(v) >> kCellShift, v, weight);
}

template <typename Take, typename TakeAlso>
void WeightedLatencies::flush_to(LatencyHistogram& h, Take&& take, LatencyHistogram* also,
                                 TakeAlso&& take_also) {
    if (cells_.empty()) return;  // nothing was added
    for (LatencyHistogram* to : {&h, also})
        if (to && to->cells_.empty()) to->cells_.assign(kCells, LatencyHistogram::Cell{});
    for (std::size_t word = 0; word < used_.size(); ++word) {
        for (std::uint64_t bits = used_[word]; bits != 0; bits &= bits - 1) {
            const std::size_t c = word * 64 + static_cast<std::size_t>(__builtin_ctzll(bits));
            // The weighted mean of durations in one cell lies in that cell (record_weighted's
            // cell of it is c), and add() took only weights > 0.
            LatencyHistogram::Cell& cell = cells_[c];
            const auto mean = static_cast<SimTime>(cell.sum / cell.weight + 0.5);
            h.weighted_in(c, mean, cell.weight, take);
            if (also) also->weighted_in(c, mean, cell.weight, take_also);
            cell = LatencyHistogram::Cell{};
        }
        used_[word] = 0;
    }
}

void WeightedLatencies::flush_into(LatencyHistogram& h, LatencyHistogram* also) {
    // As record_weighted_in.
    flush_to(
        h,
        [&h](SimTime value, std::uint64_t n) {
            h.record_in(LatencyHistogram::bucket_index(value), value, n);
        },
        also,
        [also](SimTime value, std::uint64_t n) {
            also->record_in(LatencyHistogram::bucket_index(value), value, n);
        });
}

void WeightedLatencies::flush_into(LatencyHistogram& h, LatencyRecords& records,
                                   LatencyHistogram& also, LatencyRecords& also_records) {
    flush_to(
        h, [&records](SimTime value, std::uint64_t n) { records.add(value, n); }, &also,
        [&also_records](SimTime value, std::uint64_t n) { also_records.add(value, n); });
}

void WeightedLatencies::flush_into(LatencyHistogram& h, LatencyRecords& records) {
    const auto take = [&records](SimTime value, std::uint64_t n) { records.add(value, n); };
    flush_to(h, take, nullptr, take);
}

template <typename Take>
void WeightedLatencies::flush_copying_to(LatencyHistogram& h, WeightedLatencies& other,
                                         Take&& take) {
    if (cells_.empty()) return;  // nothing was added
    if (h.cells_.empty()) h.cells_.assign(kCells, LatencyHistogram::Cell{});
    if (other.cells_.empty()) {
        other.cells_.assign(kCells, LatencyHistogram::Cell{});
        other.used_.assign(used_.size(), 0);
    }
    for (std::size_t word = 0; word < used_.size(); ++word) {
        other.used_[word] |= used_[word];
        for (std::uint64_t bits = used_[word]; bits != 0; bits &= bits - 1) {
            const std::size_t c = word * 64 + static_cast<std::size_t>(__builtin_ctzll(bits));
            LatencyHistogram::Cell& cell = cells_[c];
            // As copy_into: add(c, 0, weight) adds weight x 0 = +0 to the sum, then the sum.
            LatencyHistogram::Cell& to = other.cells_[c];
            to.weight += cell.weight;
            to.sum += cell.sum;
            // As flush_into.
            const auto mean = static_cast<SimTime>(cell.sum / cell.weight + 0.5);
            h.weighted_in(c, mean, cell.weight, take);
            cell = LatencyHistogram::Cell{};
        }
        used_[word] = 0;
    }
}

void WeightedLatencies::flush_copying(LatencyHistogram& h, WeightedLatencies& other) {
    flush_copying_to(h, other, [&h](SimTime value, std::uint64_t n) {
        h.record_in(LatencyHistogram::bucket_index(value), value, n);
    });
}

void WeightedLatencies::flush_copying(LatencyHistogram& h, WeightedLatencies& other,
                                      LatencyRecords& records) {
    flush_copying_to(h, other,
                     [&records](SimTime value, std::uint64_t n) { records.add(value, n); });
}

double LatencyRecords::mean() const {
    return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0;
}

void LatencyRecords::percentiles(const double* p, std::size_t n, SimTime* out) const {
    // LatencyHistogram::percentiles' ranks; the values ascend, so the cumulative count first
    // reaches a rank in the record whose bucket is where the histogram's would.
    std::uint64_t seen = 0;  // the counts of the records before j
    std::size_t j = 0;
    std::uint64_t last_rank = 0;
    for (std::size_t k = 0; k < n; ++k) {
        const std::uint64_t rank = percentile_rank(p[k], count_, min_, max_, out[k]);
        if (rank == 0) continue;
        if (rank < last_rank) {
            seen = 0;
            j = 0;
        }
        last_rank = rank;
        while (j + 1 < size_ && seen + list_[j].n < rank)
            seen += list_[j++].n;
        out[k] = std::clamp(
            LatencyHistogram::bucket_mid(LatencyHistogram::bucket_index(list_[j].v)), min_, max_);
    }
}

void LatencyRecords::record_into(LatencyHistogram& h) {
    // record_n of each record, in order. The records are whole samples (n >= 1, v >= 0:
    // weighted_in's), so the list's own count, sum, minimum and maximum (add keeps them) are
    // what record_n would add; only the buckets are walked. Performance: the touched span is
    // kept in locals and stored once (a store to the counts may alias it), and a fluid month
    // records ~300 records a minute into the run's total.
    if (size_ == 0) return;
    std::size_t lo = h.lo_, hi = h.hi_;
    for (std::size_t k = 0; k < size_; ++k) {
        const std::uint64_t n = list_[k].n;
        const std::size_t i = LatencyHistogram::bucket_index(list_[k].v);
        if (h.counts_[i] == 0) h.touched_.push_back(static_cast<std::uint32_t>(i));
        h.counts_[i] += n;
        h.block_counts_[i >> LatencyHistogram::kBlockShift] += n;
        lo = std::min(lo, i);
        hi = std::max(hi, i);
    }
    h.lo_ = lo;
    h.hi_ = hi;
    h.min_ = h.count_ == 0 ? min_ : std::min(h.min_, min_);
    h.max_ = h.count_ == 0 ? max_ : std::max(h.max_, max_);
    h.count_ += count_;
    h.sum_ += sum_;
    clear();
}

void LatencyRecords::grow() {
    list_.resize(2 * list_.size() + 256);
}

void LatencyRecords::clear() {
    size_ = 0;
    ascending_ = true;
    count_ = 0;
    sum_ = min_ = max_ = 0;
}

void WeightedLatencies::copy_into(WeightedLatencies& other) const {
    for (std::size_t word = 0; word < used_.size(); ++word) {
        for (std::uint64_t bits = used_[word]; bits != 0; bits &= bits - 1) {
            const std::size_t c = word * 64 + static_cast<std::size_t>(__builtin_ctzll(bits));
            other.add(c, 0, cells_[c].weight);  // marks the cell and sizes other on first use
            other.cells_[c].sum += cells_[c].sum;
        }
    }
}

SimTime LatencyHistogram::percentile(double p) const {
    SimTime v = 0;
    percentiles(&p, 1, &v);
    return v;
}

void LatencyHistogram::percentiles(const double* p, std::size_t n, SimTime* out) const {
    // Performance: one walk over the blocks for every percentile asked (a fluid-mode period
    // asks for six: the period's p50 and p99, its SLO window's four), each where percentile()
    // alone would find it. The blocks are walked forward while the ranks ascend.
    std::uint64_t seen = 0;  // the counts of the blocks before b
    std::size_t b = lo_ >> kBlockShift;
    std::uint64_t last_rank = 0;
    for (std::size_t k = 0; k < n; ++k) {
        const std::uint64_t rank = percentile_rank(p[k], count_, min_, max_, out[k]);
        if (rank == 0) continue;
        if (rank < last_rank) {  // not ascending: walk from the start again
            seen = 0;
            b = lo_ >> kBlockShift;
        }
        last_rank = rank;
        // Whole blocks first, then the buckets of the block the rank falls in.
        while (b < (hi_ >> kBlockShift) && seen + block_counts_[b] < rank)
            seen += block_counts_[b++];
        out[k] = max_;  // not kept: the counts add up to count_
        std::uint64_t in_block = seen;
        const std::size_t end = std::min(hi_, ((b + 1) << kBlockShift) - 1);
        for (std::size_t i = std::max(lo_, b << kBlockShift); i <= end; ++i) {
            in_block += counts_[i];
            if (in_block >= rank) {
                out[k] = std::clamp(bucket_mid(i), min_, max_);
                break;
            }
        }
    }
}

void LatencyHistogram::reset() {
    for (const std::uint32_t i : touched_) {
        counts_[i] = 0;
        block_counts_[i >> kBlockShift] = 0;
    }
    touched_.clear();
    lo_ = kBuckets;
    hi_ = 0;
    count_ = 0;
    sum_ = 0;
    min_ = max_ = 0;
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
    if (other.count_ == 0) return;
    for (const std::uint32_t i : other.touched_) {
        const std::uint64_t n = other.counts_[i];  // read first: other may be this
        if (counts_[i] == 0) touched_.push_back(i);
        counts_[i] += n;
        block_counts_[i >> kBlockShift] += n;
    }
    if (count_ == 0) {
        min_ = other.min_;
        max_ = other.max_;
    } else {
        min_ = std::min(min_, other.min_);
        max_ = std::max(max_, other.max_);
    }
    lo_ = std::min(lo_, other.lo_);
    hi_ = std::max(hi_, other.hi_);
    count_ += other.count_;
    sum_ += other.sum_;
}

}  // namespace stratus
