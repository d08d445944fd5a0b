#include "sim/cloud/cloudwatch.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <tuple>

namespace stratus::cloud {

namespace {

using scenario::ComparisonOperator;
using scenario::Statistic;
using scenario::TreatMissingData;

// Floor division, so that times before 0 (an evaluation just after the start with a
// publication delay) fall in negative periods rather than in period 0.
SimTime floor_div(SimTime a, SimTime b) {
    SimTime q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

const char* statistic_name(Statistic s) {
    switch (s) {
        case Statistic::Average:
            return "Average";
        case Statistic::Sum:
            return "Sum";
        case Statistic::Minimum:
            return "Minimum";
        case Statistic::Maximum:
            return "Maximum";
        case Statistic::SampleCount:
            return "SampleCount";
    }
    return "?";
}

const char* comparison_phrase(ComparisonOperator op) {
    switch (op) {
        case ComparisonOperator::GreaterThanOrEqualToThreshold:
            return "greater than or equal to";
        case ComparisonOperator::GreaterThanThreshold:
            return "greater than";
        case ComparisonOperator::LessThanThreshold:
            return "less than";
        case ComparisonOperator::LessThanOrEqualToThreshold:
            return "less than or equal to";
    }
    return "?";
}

// Numbers the way CloudWatch's reasons print them: integral values keep one decimal ("70.0"),
// others the shortest text that reads back the same ("72.5", "0.125").
std::string number_text(double v) {
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15)
        return fmt::format("{:.1f}", v);
    return fmt::format("{}", v);
}

// Days since 1970-01-01 to a civil date (proleptic Gregorian), after Howard Hinnant's
// days_from_civil inverse; avoids gmtime and its shared buffer.
void civil_from_days(std::int64_t z, int& y, int& m, int& d) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
}

const char* plural_verb(std::size_t n) {
    return n == 1 ? "was" : "were";
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Keys, statistics, periods

bool operator<(const MetricKey& a, const MetricKey& b) {
    return std::tie(a.namespace_, a.metric_name, a.dimensions) <
           std::tie(b.namespace_, b.metric_name, b.dimensions);
}

std::string to_string(const MetricKey& key) {
    std::string s = key.namespace_ + " " + key.metric_name;
    if (!key.dimensions.empty()) {
        s += " {";
        bool first = true;
        for (const auto& [name, value] : key.dimensions) {
            if (!first) s += ", ";
            first = false;
            s += name + "=" + value;
        }
        s += "}";
    }
    return s;
}

std::string to_string(const Stat& stat) {
    if (stat.statistic) return statistic_name(*stat.statistic);
    return "p" + fmt::format("{}", stat.percentile);
}

std::optional<Stat> parse_stat(std::string_view text) {
    for (Statistic s : {Statistic::Average, Statistic::Sum, Statistic::Minimum, Statistic::Maximum,
                        Statistic::SampleCount})
        if (text == statistic_name(s)) return Stat::of(s);
    if (text.size() < 2 || text[0] != 'p') return std::nullopt;
    const std::string digits(text.substr(1));
    if (!std::isdigit(static_cast<unsigned char>(digits.front())) ||
        !std::isdigit(static_cast<unsigned char>(digits.back())))
        return std::nullopt;
    char* end = nullptr;
    const double p = std::strtod(digits.c_str(), &end);
    if (end != digits.c_str() + digits.size() || !(p >= 0 && p <= 100)) return std::nullopt;
    return Stat::p(p);
}

bool is_valid_period(SimTime period) {
    return period == 10 * kSecond || period == 30 * kSecond ||
           (period > 0 && period % kMinute == 0);
}

// ---------------------------------------------------------------------------------------------
// MetricStore

void MetricStore::resize(Series& s, std::size_t slice_count) {
    // Slices evicted before this call are gone for good: periods before the old ring's reach
    // stay unreadable rather than partly filled.
    if (s.newest >= 0 && !s.slices.empty())
        s.held_from = s.newest - static_cast<SimTime>(s.slices.size() - 1) * kSlice;
    s.memo_t = -1;  // the ring positions move
    // Re-seat every slice still held: its ring position depends on the ring's size.
    std::vector<Slice> old;
    old.swap(s.slices);
    s.slices.resize(slice_count);
    for (Slice& slice : old) {
        if (slice.start < 0) continue;
        Slice& to = s.slices[static_cast<std::size_t>(slice.start / kSlice) % slice_count];
        if (slice.start > to.start) to = std::move(slice);
    }
}

MetricStore::SeriesId MetricStore::track(const MetricKey& key, SimTime retention,
                                         bool percentiles) {
    auto [it, inserted] = index_.emplace(key, series_.size());
    if (inserted) series_.emplace_back();
    Series& s = series_[it->second];
    s.percentiles = s.percentiles || percentiles;
    s.retention = std::max(s.retention, std::max<SimTime>(retention, 0));
    // One slice more than the window holds, so the slice being filled never evicts one that
    // is still within the window.
    const auto needed = static_cast<std::size_t>((s.retention + kSlice - 1) / kSlice + 1);
    if (needed > s.slices.size()) resize(s, needed);
    return it->second;
}

std::optional<MetricStore::SeriesId> MetricStore::find(const MetricKey& key) const {
    auto it = index_.find(key);
    if (it == index_.end()) return std::nullopt;
    return it->second;
}

bool MetricStore::put(const MetricKey& key, SimTime t, double value) {
    auto it = index_.find(key);
    if (it == index_.end()) return false;
    return put(it->second, t, value);
}

bool MetricStore::put(SeriesId id, SimTime t, double value) {
    return put(id, t, value, 1);
}

bool MetricStore::put(SeriesId id, SimTime t, double value, std::uint64_t samples) {
    if (t < 0 || samples == 0) return false;
    Series& s = series_.at(id);
    if (t == s.memo_t) {
        // Performance: the series' last put was at this t and kept (one put per instance of a
        // group per slice): its slice, holding a sample already, takes this one too.
        Slice& slice = s.slices[s.memo_slot];
        slice.min = std::min(slice.min, value);
        slice.max = std::max(slice.max, value);
        slice.count += samples;
        slice.sum += value * static_cast<double>(samples);
        if (s.percentiles) slice.samples.insert(slice.samples.end(), samples, value);
        return true;
    }
    const SimTime start = t - t % kSlice;
    // Older than the ring reaches: its period can no longer be read whole.
    if (start < s.newest - static_cast<SimTime>(s.slices.size() - 1) * kSlice) return false;
    Slice& slice = s.slices[static_cast<std::size_t>(start / kSlice) % s.slices.size()];
    if (slice.start > start) return false;  // its slot already holds a newer slice
    if (slice.start < start) {
        slice.start = start;
        slice.count = 0;
        slice.sum = 0;
        slice.samples.clear();  // keeps its capacity: no allocation once warmed up
    }
    if (slice.count == 0) {
        slice.min = slice.max = value;
    } else {
        slice.min = std::min(slice.min, value);
        slice.max = std::max(slice.max, value);
    }
    slice.count += samples;
    slice.sum += value * static_cast<double>(samples);
    if (s.percentiles) slice.samples.insert(slice.samples.end(), samples, value);
    s.newest = std::max(s.newest, start);
    s.memo_t = t;
    s.memo_slot = static_cast<std::size_t>(&slice - s.slices.data());
    return true;
}

std::optional<double> MetricStore::datapoint(const MetricKey& key, SimTime period,
                                             SimTime period_start, const Stat& stat) const {
    auto id = find(key);
    if (!id) return std::nullopt;
    return datapoint(*id, period, period_start, stat);
}

std::optional<double> MetricStore::datapoint(SeriesId id, SimTime period, SimTime period_start,
                                             const Stat& stat) const {
    if (!is_valid_period(period))
        throw std::invalid_argument(fmt::format(
            "CloudWatch period must be 10 s, 30 s or a multiple of 60 s, not {} us", period));
    if (period_start < 0 || period_start % period != 0)
        throw std::invalid_argument(
            fmt::format("period start {} us is not a non-negative multiple of the period {} us",
                        period_start, period));
    const Series& s = series_.at(id);
    if (stat.is_percentile() && !s.percentiles)
        throw std::invalid_argument("a percentile needs a metric tracked with percentiles");
    if (s.newest < 0) return std::nullopt;
    // The ring holds the slices back to this one; an older period may be partly overwritten.
    const SimTime oldest_held = s.newest - static_cast<SimTime>(s.slices.size() - 1) * kSlice;
    if (period_start < std::max(oldest_held, s.held_from)) return std::nullopt;

    std::uint64_t count = 0;
    double sum = 0, min = 0, max = 0;
    if (stat.is_percentile()) scratch_.clear();
    for (SimTime b = period_start; b < period_start + period; b += kSlice) {
        const Slice& slice = s.slices[static_cast<std::size_t>(b / kSlice) % s.slices.size()];
        if (slice.start != b || slice.count == 0) continue;
        min = count == 0 ? slice.min : std::min(min, slice.min);
        max = count == 0 ? slice.max : std::max(max, slice.max);
        count += slice.count;
        sum += slice.sum;
        if (stat.is_percentile())
            scratch_.insert(scratch_.end(), slice.samples.begin(), slice.samples.end());
    }
    if (count == 0) return std::nullopt;

    if (stat.is_percentile()) {
        // Nearest rank, as LatencyHistogram: the smallest sample with at least p % of the
        // samples at or below it. CloudWatch does not document its rank rule.
        const std::size_t n = scratch_.size();
        auto rank = static_cast<std::size_t>(std::ceil(stat.percentile / 100.0 * n));
        rank = std::clamp<std::size_t>(rank, 1, n);
        auto nth = scratch_.begin() + static_cast<std::ptrdiff_t>(rank - 1);
        std::nth_element(scratch_.begin(), nth, scratch_.end());
        return *nth;
    }
    switch (*stat.statistic) {
        case Statistic::Average:
            return sum / static_cast<double>(count);
        case Statistic::Sum:
            return sum;
        case Statistic::Minimum:
            return min;
        case Statistic::Maximum:
            return max;
        case Statistic::SampleCount:
            return static_cast<double>(count);
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// MetricAlarm

const char* comparison_symbol(ComparisonOperator op) {
    switch (op) {
        case ComparisonOperator::GreaterThanOrEqualToThreshold:
            return ">=";
        case ComparisonOperator::GreaterThanThreshold:
            return ">";
        case ComparisonOperator::LessThanThreshold:
            return "<";
        case ComparisonOperator::LessThanOrEqualToThreshold:
            return "<=";
    }
    return "?";
}

const char* to_string(AlarmState s) {
    switch (s) {
        case AlarmState::OK:
            return "OK";
        case AlarmState::ALARM:
            return "ALARM";
        case AlarmState::INSUFFICIENT_DATA:
            return "INSUFFICIENT_DATA";
    }
    return "?";
}

MetricAlarm::MetricAlarm(const scenario::CloudWatchMetricAlarmSpec& spec, AlarmOptions options)
    : spec_(spec),
      options_(options),
      metric_{spec.namespace_, spec.metric_name, spec.dimensions},
      stat_(spec.extended_statistic ? Stat::p(*spec.extended_statistic)
                                    : Stat::of(spec.statistic.value_or(Statistic::Average))),
      period_(spec.period * kSecond),
      n_(std::max(spec.evaluation_periods, 1)),
      m_(spec.datapoints_to_alarm > 0 ? std::min(spec.datapoints_to_alarm, n_) : n_),
      range_(options.evaluation_range > 0 ? std::max(options.evaluation_range, n_) : n_ + 2),
      // AWS: alarms on AWS/DynamoDB metrics always ignore missing data.
      treat_missing_data_(spec.namespace_ == "AWS/DynamoDB" ? TreatMissingData::Ignore
                                                            : spec.treat_missing_data) {
    if (!is_valid_period(period_))
        throw std::invalid_argument(
            fmt::format("alarm {}: period must be 10, 30 or a multiple of 60 seconds, not {}",
                        spec.alarm_name, spec.period));
    points_.resize(static_cast<std::size_t>(range_));
    used_.reserve(points_.size());
    listed_.reserve(points_.size());
}

SimTime MetricAlarm::evaluation_interval() const {
    return period_ < kMinute ? 10 * kSecond : kMinute;
}

SimTime MetricAlarm::next_evaluation_after(SimTime t) const {
    const SimTime step = evaluation_interval();
    return (floor_div(t, step) + 1) * step;
}

SimTime MetricAlarm::required_retention() const {
    // The oldest period evaluated starts at most range x period + one period (the one not
    // complete yet) + the publication delay before now.
    return static_cast<SimTime>(range_ + 1) * period_ + options_.publication_delay;
}

MetricStore::SeriesId MetricAlarm::track_metric(MetricStore& store) const {
    return store.track(metric_, required_retention(), stat_.is_percentile());
}

bool MetricAlarm::breaches(double v) const {
    const double t = spec_.threshold;
    switch (spec_.comparison_operator) {
        case ComparisonOperator::GreaterThanOrEqualToThreshold:
            return v >= t;
        case ComparisonOperator::GreaterThanThreshold:
            return v > t;
        case ComparisonOperator::LessThanThreshold:
            return v < t;
        case ComparisonOperator::LessThanOrEqualToThreshold:
            return v <= t;
    }
    return false;
}

std::string MetricAlarm::point_text(const Point& p) const {
    // Datapoints are stamped with their period's start, shown as CloudWatch's reasons do:
    // dd/mm/yy HH:MM:SS, UTC.
    const std::int64_t epoch_s = options_.start_epoch_s + floor_div(p.start, kSecond);
    const std::int64_t days = floor_div(epoch_s, 86400);
    const std::int64_t secs = epoch_s - days * 86400;
    int y = 0, mo = 0, d = 0;
    civil_from_days(days, y, mo, d);
    return fmt::format("{} ({:02}/{:02}/{:02} {:02}:{:02}:{:02})", number_text(*p.value), d, mo,
                       y % 100, secs / 3600, secs / 60 % 60, secs % 60);
}

// "3 out of the last 3 datapoints [72.5 (05/01/26 10:03:00), ...] were greater than the
// threshold (70.0)", listing newest first as CloudWatch does.
std::string MetricAlarm::describe(const std::vector<const Point*>& listed, int total,
                                  bool breaching) const {
    std::string s = total == 1 && listed.size() == 1
                        ? std::string("1 datapoint [")
                        : fmt::format("{} out of the last {} datapoints [", listed.size(), total);
    for (std::size_t i = listed.size(); i-- > 0;) {
        s += point_text(*listed[i]);
        if (i > 0) s += ", ";
    }
    s += fmt::format("] {} {}{} the threshold ({})", plural_verb(listed.size()),
                     breaching ? "" : "not ", comparison_phrase(spec_.comparison_operator),
                     number_text(spec_.threshold));
    return s;
}

std::optional<double> MetricAlarm::last_value() const {
    for (auto it = points_.rbegin(); it != points_.rend(); ++it)
        if (it->value) return it->value;
    return std::nullopt;
}

std::optional<SimTime> MetricAlarm::last_period_start() const {
    for (auto it = points_.rbegin(); it != points_.rend(); ++it)
        if (it->value) return it->start;
    return std::nullopt;
}

AlarmEvaluation MetricAlarm::evaluate(SimTime now, const MetricStore& store, bool describe_always) {
    AlarmEvaluation out;
    out.time = now;
    out.previous_state = state_;

    // The range: the `range_` most recent complete periods, oldest first. A period is complete
    // once it has ended and the publication delay has passed; the one in progress is never
    // evaluated. Periods before time 0 have no data.
    const SimTime newest = (floor_div(now - options_.publication_delay, period_) - 1) * period_;
    const auto id = store.find(metric_);
    int real_in_range = 0;
    for (int i = 0; i < range_; ++i) {
        Point& p = points_[static_cast<std::size_t>(i)];
        p.start = newest - static_cast<SimTime>(range_ - 1 - i) * period_;
        p.value.reset();
        if (id && p.start >= 0) p.value = store.datapoint(*id, period_, p.start, stat_);
        p.breaching = p.value && breaches(*p.value);
        if (p.value) ++real_in_range;
    }
    // Performance: the reason text (dates and numbers formatted) is built only when asked
    // for, or when the state changes (the first decision is then made again, describing it).
    std::string reason;
    AlarmState next = decide(real_in_range, describe_always, reason);
    if (!describe_always) {
        if (next != state_) {
            decide(real_in_range, true, reason);
        } else {
            reason.clear();  // the partial text of the quick decision
        }
    }

    out.state = next;
    out.filled = filled_;
    out.changed = next != state_;
    out.reason = std::move(reason);
    if (out.changed) {
        state_ = next;
        state_reason_ = out.reason;
        if (next == AlarmState::ALARM) {
            out.actions = spec_.alarm_actions;
            last_alarm_actions_ = now;
        } else if (next == AlarmState::OK) {
            out.actions = spec_.ok_actions;
        }
    } else if (state_ == AlarmState::ALARM && now - last_alarm_actions_ >= kMinute) {
        // Auto Scaling actions repeat once a minute while the alarm stays in ALARM; with 10 s
        // evaluations that is every sixth one, not every one.
        out.actions = spec_.alarm_actions;
        last_alarm_actions_ = now;
    }
    return out;
}

// "Threshold Crossed: ..." listing the used points on the side of the decision (the breaching
// ones for ALARM, the others for OK), or the other side when it has none; `flipped` tells
// which.
std::string MetricAlarm::crossed(bool alarm, bool describing, bool& flipped) {
    for (int pass = 0; pass < 2; ++pass) {
        flipped = pass == 1;
        listed_.clear();
        for (const Point* p : used_)
            if (p->breaching == (alarm != flipped)) listed_.push_back(p);
        if (!listed_.empty()) break;
    }
    return describing ? "Threshold Crossed: " + describe(listed_, n_, alarm != flipped)
                      : std::string();
}

AlarmState MetricAlarm::decide(int real_in_range, bool describing, std::string& reason) {
    reason.clear();
    used_.clear();
    filled_ = 0;
    if (real_in_range >= n_) return decide_on_recent(describing, reason);
    // Rule 3: fewer than N real datapoints in the range. Every real one counts, and the
    // missing ones are filled as few times as possible (N - real) by the setting.
    for (const Point& p : points_)
        if (p.value) used_.push_back(&p);
    filled_ = n_ - real_in_range;
    switch (treat_missing_data_) {
        case TreatMissingData::Breaching:
        case TreatMissingData::NotBreaching:
            return decide_filled(real_in_range, describing, reason);
        case TreatMissingData::Ignore:
            return decide_ignoring(real_in_range, describing, reason);
        case TreatMissingData::Missing:
            return decide_missing(real_in_range, describing, reason);
    }
    return state_;
}

// Rules 1 and 2: the most recent N real datapoints decide; missing ones in between are skipped
// and TreatMissingData plays no part.
AlarmState MetricAlarm::decide_on_recent(bool describing, std::string& reason) {
    for (int i = range_; i-- > 0 && static_cast<int>(used_.size()) < n_;)
        if (points_[static_cast<std::size_t>(i)].value)
            used_.push_back(&points_[static_cast<std::size_t>(i)]);
    std::reverse(used_.begin(), used_.end());
    const bool alarm = breaching_used() >= m_;
    bool flipped = false;
    reason = crossed(alarm, describing, flipped) + ".";
    return alarm ? AlarmState::ALARM : AlarmState::OK;
}

int MetricAlarm::breaching_used() const {
    int breaching = 0;
    for (const Point* p : used_)
        breaching += p->breaching ? 1 : 0;
    return breaching;
}

namespace {
const char* datapoints_were(int k) {
    return k == 1 ? "datapoint was" : "datapoints were";
}
}  // namespace

// treat_missing_data = "breaching" or "notBreaching": the missing points count as that.
AlarmState MetricAlarm::decide_filled(int real, bool describing, std::string& reason) {
    const int fill = filled_;
    const bool fill_breaches = treat_missing_data_ == TreatMissingData::Breaching;
    const bool alarm = breaching_used() + (fill_breaches ? fill : 0) >= m_;
    const std::string filled =
        fmt::format("{} missing {} treated as [{}]", fill, datapoints_were(fill),
                    fill_breaches ? "Breaching" : "NotBreaching");
    if (real == 0) {
        reason = fmt::format(
            "Threshold Crossed: no datapoints were received for {} periods and {}.", n_, filled);
    } else {
        bool flipped = false;
        reason = crossed(alarm, describing, flipped) + " and " + filled + ".";
    }
    return alarm ? AlarmState::ALARM : AlarmState::OK;
}

// treat_missing_data = "ignore". AWS's tables (both of them) resolve it to OK whenever the
// range holds a real non-breaching datapoint and fewer than M breach (3 of 3: "0 - - - -";
// 2 of 3: "0 - X - -", "- - - - 0"), and keep the state only when the range holds no real
// datapoint or only breaching ones ("- - X - -", "- - - X -").
AlarmState MetricAlarm::decide_ignoring(int real, bool describing, std::string& reason) {
    const int breaching = breaching_used();
    bool flipped = false;
    if (real > 0 && breaching >= m_) {
        reason = crossed(true, describing, flipped) + ".";
        return AlarmState::ALARM;
    }
    if (breaching < real) {
        reason = crossed(false, describing, flipped) + ".";
        return AlarmState::OK;
    }
    if (real == 0) {
        reason = fmt::format(
            "Missing data ignored: none of the last {} datapoints was received; the state is "
            "kept.",
            range_);
    } else {
        reason = fmt::format(
            "Missing data ignored: {} of the last {} datapoints {} received, all breaching but "
            "fewer than the {} needed; the state is kept.",
            real, range_, real == 1 ? "was" : "were", m_);
    }
    return state_;
}

// treat_missing_data = "missing" (the default).
AlarmState MetricAlarm::decide_missing(int real, bool describing, std::string& reason) {
    if (real == 0) {
        reason = fmt::format("Insufficient Data: {} {} unknown.", range_, datapoints_were(range_));
        return AlarmState::INSUFFICIENT_DATA;
    }
    // The premature-alarm rule, as AWS's tables apply it: every real datapoint of the range
    // breaches and the oldest is at least M periods old (the newest period is 1 old); the
    // newer ones are missing or breach. Then ALARM, though fewer than M real datapoints breach
    // (3 of 3: "- - X - -"; 2 of 3: "- - - X -"). AWS's prose lets a non-breaching datapoint
    // older than the breaching one pass; its 2 of 3 table does not ("0 - X - -" is OK).
    const int breaching = breaching_used();
    int oldest_real = 0;
    while (!points_[static_cast<std::size_t>(oldest_real)].value)
        ++oldest_real;
    const bool premature = breaching == real && range_ - oldest_real >= m_;
    const bool alarm = breaching >= m_ || premature;
    bool flipped = false;
    reason = crossed(alarm, describing, flipped);
    if (alarm && breaching < m_)
        reason += ", and every newer datapoint breaches or is missing";
    else if (!alarm && flipped)
        reason += fmt::format(", fewer than the {} needed", m_);
    reason += fmt::format("; {} missing {} not counted.", filled_, datapoints_were(filled_));
    return alarm ? AlarmState::ALARM : AlarmState::OK;
}

}  // namespace stratus::cloud
