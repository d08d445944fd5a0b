#pragma once
// Amazon CloudWatch, the part that Auto Scaling needs: a store of raw metric samples that
// answers datapoint queries (one statistic over one aligned period), and metric alarms that
// evaluate those datapoints the way CloudWatch does (M out of N, an evaluation range wider
// than N, the four TreatMissingData behaviours, actions on transitions and, for Auto Scaling
// actions, once a minute while in ALARM). See docs/model.md, section CloudWatch, for the rules
// and the choices made where AWS documents nothing.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/sim_time.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

// A metric's identity, as CloudWatch has it: namespace, name and dimensions. A std::map keeps
// the dimensions sorted by name, so two keys with the same dimensions compare equal whatever
// order they were written in.
struct MetricKey {
    std::string namespace_;  // "AWS/EC2", "AWS/ApplicationELB", ...
    std::string metric_name;
    std::map<std::string, std::string> dimensions;

    friend bool operator==(const MetricKey& a, const MetricKey& b) {
        return a.namespace_ == b.namespace_ && a.metric_name == b.metric_name &&
               a.dimensions == b.dimensions;
    }
    friend bool operator!=(const MetricKey& a, const MetricKey& b) { return !(a == b); }
    friend bool operator<(const MetricKey& a, const MetricKey& b);
};
// "AWS/EC2 CPUUtilization {AutoScalingGroupName=web}", for messages.
std::string to_string(const MetricKey& key);

// What a datapoint reports, as the Stat field of CloudWatch's MetricStat: one of the five
// simple statistics, or a percentile (pNN, pNN.N).
struct Stat {
    std::optional<scenario::Statistic> statistic;  // empty for a percentile
    double percentile = 0;                         // in [0, 100], when statistic is empty

    static Stat of(scenario::Statistic s) { return Stat{s, 0}; }
    static Stat p(double percentile) { return Stat{std::nullopt, percentile}; }
    bool is_percentile() const { return !statistic; }
};
// "Average", "SampleCount", "p99", "p99.9".
std::string to_string(const Stat& stat);
// The inverse of to_string; empty for anything else (pNN must lie in [0, 100]).
std::optional<Stat> parse_stat(std::string_view text);

// The periods CloudWatch accepts for metrics published at 1-minute resolution or finer:
// 10 s, 30 s or a multiple of 60 s.
bool is_valid_period(SimTime period);

// Raw samples of the metrics somebody watches, kept in 10-second slices (the finest period
// served) for a bounded time: every datapoint of a 10 s, 30 s or k x 60 s period aligned to a
// multiple of the period from time 0 is the aggregate of whole slices.
//
// Only tracked metrics are stored: put() on a metric nobody tracks does nothing, so the
// simulation can publish every metric it has while memory follows the alarms. A tracked
// metric keeps its slices in a fixed ring sized from its retention window; a slice is reused
// (its sample vector keeps its capacity) when time wraps round, so steady-state put() does not
// allocate. Percentiles need the samples themselves, so only a metric tracked with
// `percentiles` keeps them; its memory grows with samples per retention window.
class MetricStore {
  public:
    using SeriesId = std::size_t;
    static constexpr SimTime kSlice = 10 * kSecond;

    // Starts (or widens) the tracking of a metric: datapoints whose period starts no more than
    // `retention` before the newest sample stay readable. Calling again with a longer
    // retention, or with percentiles, widens what is kept; it never narrows it. The id stays
    // valid for the life of the store.
    SeriesId track(const MetricKey& key, SimTime retention, bool percentiles = false);
    std::optional<SeriesId> find(const MetricKey& key) const;
    bool tracked(const MetricKey& key) const { return find(key).has_value(); }
    // No alarm watches anything: publishing can skip building keys.
    bool empty() const { return series_.empty(); }

    // Records one raw sample at time t (>= 0). Returns false when it was dropped: the metric
    // is not tracked, t < 0, or t is older than the retention window.
    bool put(const MetricKey& key, SimTime t, double value);
    bool put(SeriesId id, SimTime t, double value);
    // `samples` equal samples of `value` at once (CloudWatch's statistic sets): a publisher
    // that measures once a minute stands in for six 10 s samples (SampleCount and the
    // weights of Average stay those of 10 s sampling).
    bool put(SeriesId id, SimTime t, double value, std::uint64_t samples);

    // The statistic of the samples with period_start <= t < period_start + period; empty when
    // there are none (CloudWatch has no datapoint then: ELB metrics are missing, not zero,
    // while no requests flow) and when the period is no longer wholly retained. `period` must
    // be valid and `period_start` a non-negative multiple of it; a percentile needs a metric
    // tracked with percentiles. Both are programming errors (std::invalid_argument).
    std::optional<double> datapoint(const MetricKey& key, SimTime period, SimTime period_start,
                                    const Stat& stat) const;
    std::optional<double> datapoint(SeriesId id, SimTime period, SimTime period_start,
                                    const Stat& stat) const;

    // Slices held for the metric (memory check in tests).
    std::size_t slice_count(SeriesId id) const { return series_.at(id).slices.size(); }

  private:
    struct Slice {
        SimTime start = -1;  // start of the 10 s slice held; -1 while never written
        std::uint64_t count = 0;
        double sum = 0;
        double min = 0;
        double max = 0;
        std::vector<double> samples;  // percentile metrics only
    };
    struct Series {
        SimTime retention = 0;
        bool percentiles = false;
        SimTime newest = -1;        // start of the newest slice written
        SimTime held_from = 0;      // no whole period before this (the ring was widened)
        std::vector<Slice> slices;  // ring: slice of start s lives at (s / kSlice) % size
        // The time of the last kept put and its slot (put's shortcut); -1: none.
        SimTime memo_t = -1;
        std::size_t memo_slot = 0;
    };
    static void resize(Series& s, std::size_t slice_count);

    std::map<MetricKey, SeriesId> index_;
    std::vector<Series> series_;
    mutable std::vector<double> scratch_;  // percentile selection; reused between queries
};

// The states and their names as the CloudWatch API spells them.
enum class AlarmState { OK, ALARM, INSUFFICIENT_DATA };
const char* to_string(AlarmState s);

// An alarm's comparison as a symbol (">=", ">", "<", "<="), as the scaling activities' causes
// print it.
const char* comparison_symbol(scenario::ComparisonOperator op);

// Choices the scenario file does not carry.
struct AlarmOptions {
    // A period's datapoint is complete, and may be evaluated, once publication_delay has
    // passed after the period's end. AWS does not document the delay of EC2 and ELB metrics
    // (1-3 minutes is seen in practice); 0 keeps the model's response times pure.
    SimTime publication_delay = 0;
    // Datapoints retrieved per evaluation; 0 means N + 2 (5 for N = 3, as AWS documents; AWS
    // does not say what it uses for other N).
    int evaluation_range = 0;
    // Unix time of simulated time 0, to stamp datapoints in state reasons (UTC).
    std::int64_t start_epoch_s = 0;
};

// The outcome of one evaluation.
struct AlarmEvaluation {
    SimTime time = 0;
    AlarmState previous_state = AlarmState::INSUFFICIENT_DATA;
    AlarmState state = AlarmState::INSUFFICIENT_DATA;
    bool changed = false;
    // How many of the N datapoints evaluated were missing and filled by TreatMissingData (the
    // second column of AWS's tables): N - real datapoints when the range holds fewer than N
    // real ones, else 0.
    int filled = 0;
    // Why the alarm is in `state`, like CloudWatch's StateReason ("Threshold Crossed: ...").
    std::string reason;
    // Scaling policies to invoke now, in the order the alarm lists them: alarm_actions on a
    // transition into ALARM and once a minute while it stays there; ok_actions on a
    // transition into OK.
    std::vector<std::string> actions;
};

// One CloudWatch metric alarm on a single metric. It holds its state; the caller asks it to
// evaluate at each tick of evaluation_interval() and invokes the returned actions.
class MetricAlarm {
  public:
    explicit MetricAlarm(const scenario::CloudWatchMetricAlarmSpec& spec,
                         AlarmOptions options = {});

    const std::string& alarm_name() const { return spec_.alarm_name; }
    const scenario::CloudWatchMetricAlarmSpec& spec() const { return spec_; }
    const AlarmOptions& options() const { return options_; }
    const MetricKey& metric() const { return metric_; }
    const Stat& stat() const { return stat_; }
    SimTime period() const { return period_; }
    int evaluation_periods() const { return n_; }
    int datapoints_to_alarm() const { return m_; }
    int evaluation_range() const { return range_; }
    // Every minute for periods of 60 s or more, every 10 s for 10 s and 30 s periods.
    SimTime evaluation_interval() const;
    // The first evaluation tick strictly after t (ticks are multiples of the interval).
    SimTime next_evaluation_after(SimTime t) const;
    // How far back the store must keep this alarm's metric.
    SimTime required_retention() const;
    // Tracks this alarm's metric in the store, with the retention (and percentiles) it needs.
    MetricStore::SeriesId track_metric(MetricStore& store) const;

    AlarmState state() const { return state_; }
    // The newest real datapoint of the last evaluation (step and target-tracking policies
    // size their adjustment from it); empty when the range held no data.
    std::optional<double> last_value() const;
    // The start of that datapoint's period (a step scaling policy aggregates the same period
    // its own way: step_metric.hpp); empty with it.
    std::optional<SimTime> last_period_start() const;
    // The reason of the last state change (CloudWatch updates StateReason on transitions).
    const std::string& state_reason() const { return state_reason_; }

    // Evaluates the alarm at `now` against the complete datapoints of the store. The reason is
    // written on every evaluation, or (describe_always = false) only on a state change: it is
    // empty otherwise.
    AlarmEvaluation evaluate(SimTime now, const MetricStore& store, bool describe_always = true);

  private:
    struct Point {
        SimTime start = 0;
        std::optional<double> value;
        bool breaching = false;
    };
    bool breaches(double value) const;
    // The state the points of the range decide, and (describing) the reason why.
    AlarmState decide(int real_in_range, bool describing, std::string& reason);
    // decide's cases: enough real datapoints, then each TreatMissingData with fewer.
    AlarmState decide_on_recent(bool describing, std::string& reason);
    AlarmState decide_filled(int real, bool describing, std::string& reason);
    AlarmState decide_ignoring(int real, bool describing, std::string& reason);
    AlarmState decide_missing(int real, bool describing, std::string& reason);
    std::string crossed(bool alarm, bool describing, bool& flipped);
    int breaching_used() const;  // how many of used_ breach
    std::string describe(const std::vector<const Point*>& listed, int total, bool breaching) const;
    std::string point_text(const Point& p) const;

    scenario::CloudWatchMetricAlarmSpec spec_;
    AlarmOptions options_;
    MetricKey metric_;
    Stat stat_;
    SimTime period_;
    int n_;
    int m_;
    int range_;
    scenario::TreatMissingData treat_missing_data_;

    AlarmState state_ = AlarmState::INSUFFICIENT_DATA;
    std::string state_reason_ = "Unchecked: Initial alarm creation";
    SimTime last_alarm_actions_ = 0;
    int filled_ = 0;                    // of the last decision
    std::vector<Point> points_;         // the evaluation range, oldest first; reused
    std::vector<const Point*> used_;    // the points a decision rests on; reused
    std::vector<const Point*> listed_;  // the points a reason lists; reused
};

}  // namespace stratus::cloud
