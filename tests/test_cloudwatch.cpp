#include <catch2/catch.hpp>

#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "sim/cloud/cloudwatch.hpp"

namespace test_cloudwatch {

using namespace stratus;
using namespace stratus::cloud;
using scenario::ComparisonOperator;
using scenario::Statistic;
using scenario::TreatMissingData;

namespace {

const MetricKey kCpu{"AWS/EC2", "CPUUtilization", {{"AutoScalingGroupName", "web"}}};

// A CPU alarm on the group: threshold 70, scale-out on ALARM, scale-in on OK.
scenario::CloudWatchMetricAlarmSpec cpu_alarm(int m, int n, TreatMissingData missing,
                                              int period_s = 60) {
    scenario::CloudWatchMetricAlarmSpec a;
    a.alarm_name = "web-cpu-high";
    a.namespace_ = kCpu.namespace_;
    a.metric_name = kCpu.metric_name;
    a.dimensions = kCpu.dimensions;
    a.statistic = Statistic::Average;
    a.period = period_s;
    a.evaluation_periods = n;
    a.datapoints_to_alarm = m;
    a.comparison_operator = ComparisonOperator::GreaterThanThreshold;
    a.threshold = 70;
    a.treat_missing_data = missing;
    a.alarm_actions = {"scale-out"};
    a.ok_actions = {"scale-in"};
    return a;
}

// Writes one period per character from period index `first`: '0' a good sample (10),
// 'X' a breaching one (90), '-' nothing at all.
void feed(MetricStore& store, const std::string& pattern, int first, SimTime period = kMinute) {
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const SimTime mid = (first + static_cast<SimTime>(i)) * period + period / 2;
        if (pattern[i] == '0') store.put(kCpu, mid, 10.0);
        if (pattern[i] == 'X') store.put(kCpu, mid, 90.0);
    }
}

std::vector<std::string> actions_of(const AlarmEvaluation& e) {
    return e.actions;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// MetricStore

TEST_CASE("every statistic is computed over the samples of one period", "[cloudwatch]") {
    MetricStore store;
    const MetricKey trt{"AWS/ApplicationELB", "TargetResponseTime", {{"LoadBalancer", "alb"}}};
    store.track(trt, kHour, /*percentiles=*/true);
    const std::vector<double> values = {4, 8, 15, 16, 23, 42, 1, 2, 3, 100};
    for (std::size_t i = 0; i < values.size(); ++i)
        REQUIRE(store.put(trt, static_cast<SimTime>(i) * 5 * kSecond, values[i]));

    auto dp = [&](const Stat& s, SimTime period = kMinute, SimTime start = 0) {
        return store.datapoint(trt, period, start, s);
    };
    CHECK(dp(Stat::of(Statistic::SampleCount)) == 10.0);
    CHECK(dp(Stat::of(Statistic::Sum)) == 214.0);
    CHECK(*dp(Stat::of(Statistic::Average)) == Approx(21.4));
    CHECK(dp(Stat::of(Statistic::Minimum)) == 1.0);
    CHECK(dp(Stat::of(Statistic::Maximum)) == 100.0);
    // Nearest rank over the sorted samples 1 2 3 4 8 15 16 23 42 100.
    CHECK(dp(Stat::p(0)) == 1.0);
    CHECK(dp(Stat::p(10)) == 1.0);
    CHECK(dp(Stat::p(25)) == 3.0);
    CHECK(dp(Stat::p(50)) == 8.0);
    CHECK(dp(Stat::p(90)) == 42.0);
    CHECK(dp(Stat::p(90.5)) == 100.0);
    CHECK(dp(Stat::p(99)) == 100.0);
    CHECK(dp(Stat::p(100)) == 100.0);

    // The same samples in two 30 s periods: t = 0..25 s, then t = 30..45 s.
    CHECK(dp(Stat::of(Statistic::Sum), 30 * kSecond, 0) == 108.0);
    CHECK(dp(Stat::of(Statistic::Sum), 30 * kSecond, 30 * kSecond) == 106.0);
    CHECK(dp(Stat::of(Statistic::Maximum), 30 * kSecond, 0) == 42.0);
    CHECK(dp(Stat::p(50), 30 * kSecond, 30 * kSecond) == 2.0);
}

TEST_CASE("a statistic set of n equal samples counts as n samples", "[cloudwatch]") {
    // Fluid mode publishes once a minute what 10 s sampling would have given six times: an
    // instance up all minute stands for 6 samples, one up for 15 s of it for 2.
    MetricStore store;
    const auto id = store.track(kCpu, kHour);
    REQUIRE(store.put(id, 0, 50.0, 6));
    REQUIRE(store.put(id, 0, 20.0, 2));
    CHECK_FALSE(store.put(id, 0, 99.0, 0));  // no sample at all
    auto dp = [&](Statistic st) { return store.datapoint(id, kMinute, 0, Stat::of(st)); };
    CHECK(dp(Statistic::SampleCount) == 8.0);
    CHECK(dp(Statistic::Sum) == 340.0);
    CHECK(*dp(Statistic::Average) == Approx(340.0 / 8));  // not (50 + 20) / 2
    CHECK(dp(Statistic::Minimum) == 20.0);
    CHECK(dp(Statistic::Maximum) == 50.0);
    // Percentiles see every sample.
    const MetricKey trt{"AWS/ApplicationELB", "TargetResponseTime", {{"LoadBalancer", "alb"}}};
    const auto pid = store.track(trt, kHour, /*percentiles=*/true);
    store.put(pid, 0, 1.0, 3);
    store.put(pid, 0, 9.0, 1);
    CHECK(store.datapoint(pid, kMinute, 0, Stat::p(75)) == 1.0);
    CHECK(store.datapoint(pid, kMinute, 0, Stat::p(76)) == 9.0);
}

TEST_CASE("periods are aligned to multiples of the period from time 0", "[cloudwatch]") {
    MetricStore store;
    store.track(kCpu, kHour);
    store.put(kCpu, 60 * kSecond - 1, 10.0);  // the last microsecond of minute 0
    store.put(kCpu, 60 * kSecond, 20.0);      // the first of minute 1
    store.put(kCpu, 299 * kSecond, 30.0);
    store.put(kCpu, 300 * kSecond, 40.0);
    const Stat count = Stat::of(Statistic::SampleCount);

    CHECK(store.datapoint(kCpu, kMinute, 0, count) == 1.0);
    CHECK(store.datapoint(kCpu, kMinute, kMinute, count) == 1.0);
    CHECK(store.datapoint(kCpu, 10 * kSecond, 50 * kSecond, count) == 1.0);
    CHECK(store.datapoint(kCpu, 10 * kSecond, 60 * kSecond, count) == 1.0);
    CHECK(store.datapoint(kCpu, 30 * kSecond, 30 * kSecond, count) == 1.0);
    // A 5-minute period [0, 300) holds the first three samples, stamped with its start.
    CHECK(store.datapoint(kCpu, 5 * kMinute, 0, count) == 3.0);
    CHECK(store.datapoint(kCpu, 5 * kMinute, 5 * kMinute, count) == 1.0);

    // Unaligned starts and periods CloudWatch does not offer are programming errors.
    CHECK_THROWS_AS(store.datapoint(kCpu, kMinute, 30 * kSecond, count), std::invalid_argument);
    CHECK_THROWS_AS(store.datapoint(kCpu, 20 * kSecond, 0, count), std::invalid_argument);
    CHECK_THROWS_AS(store.datapoint(kCpu, 90 * kSecond, 0, count), std::invalid_argument);
    CHECK(is_valid_period(10 * kSecond));
    CHECK(is_valid_period(30 * kSecond));
    CHECK(is_valid_period(5 * kMinute));
    CHECK_FALSE(is_valid_period(5 * kSecond));
}

TEST_CASE("a period without samples has no datapoint, not a zero", "[cloudwatch]") {
    MetricStore store;
    store.track(kCpu, kHour);
    store.put(kCpu, 10 * kSecond, 50.0);
    store.put(kCpu, 130 * kSecond, 60.0);
    for (Statistic s : {Statistic::Average, Statistic::Sum, Statistic::Minimum, Statistic::Maximum,
                        Statistic::SampleCount}) {
        CAPTURE(to_string(Stat::of(s)));
        CHECK(store.datapoint(kCpu, kMinute, 0, Stat::of(s)).has_value());
        CHECK_FALSE(store.datapoint(kCpu, kMinute, kMinute, Stat::of(s)).has_value());
        CHECK(store.datapoint(kCpu, kMinute, 2 * kMinute, Stat::of(s)).has_value());
    }
    // A metric nobody tracks is not stored and has no datapoints.
    const MetricKey other{"AWS/EC2", "CPUUtilization", {{"InstanceId", "i-1"}}};
    CHECK_FALSE(store.put(other, 0, 1.0));
    CHECK_FALSE(store.datapoint(other, kMinute, 0, Stat::of(Statistic::Sum)).has_value());
}

TEST_CASE("the store keeps only its retention window", "[cloudwatch]") {
    MetricStore store;
    const auto id = store.track(kCpu, 5 * kMinute);
    CHECK(store.slice_count(id) == 31);  // 300 s of 10 s slices, plus the one being filled
    for (SimTime t = 0; t < 2 * kHour; t += kSecond)
        store.put(id, t, 1.0);
    CHECK(store.slice_count(id) == 31);
    const Stat count = Stat::of(Statistic::SampleCount);
    CHECK_FALSE(store.datapoint(id, kMinute, 0, count).has_value());
    CHECK(store.datapoint(id, kMinute, 2 * kHour - 5 * kMinute, count) == 60.0);
    CHECK(store.datapoint(id, kMinute, 2 * kHour - kMinute, count) == 60.0);
    // A sample older than what the ring holds is dropped rather than mixed in.
    CHECK_FALSE(store.put(id, 0, 1.0));
    // Tracking again with a longer window widens it and keeps what is held.
    store.track(kCpu, 10 * kMinute);
    CHECK(store.slice_count(id) == 61);
    CHECK(store.datapoint(id, kMinute, 2 * kHour - kMinute, count) == 60.0);
}

TEST_CASE("percentiles need a metric tracked with its samples", "[cloudwatch]") {
    MetricStore store;
    store.track(kCpu, kHour);
    store.put(kCpu, 0, 1.0);
    CHECK_THROWS_AS(store.datapoint(kCpu, kMinute, 0, Stat::p(99)), std::invalid_argument);
    store.track(kCpu, kHour, true);
    store.put(kCpu, 1, 2.0);
    CHECK(store.datapoint(kCpu, kMinute, 0, Stat::p(100)) == 2.0);
}

TEST_CASE("statistics read and print with their CloudWatch names", "[cloudwatch]") {
    CHECK(to_string(Stat::of(Statistic::SampleCount)) == "SampleCount");
    CHECK(to_string(Stat::p(99)) == "p99");
    CHECK(to_string(Stat::p(99.9)) == "p99.9");
    CHECK(parse_stat("Average")->statistic == Statistic::Average);
    CHECK(parse_stat("p99.9")->percentile == 99.9);
    CHECK(parse_stat("p50")->is_percentile());
    CHECK_FALSE(parse_stat("p101").has_value());
    CHECK_FALSE(parse_stat("p").has_value());
    CHECK_FALSE(parse_stat("average").has_value());
    CHECK(to_string(kCpu) == "AWS/EC2 CPUUtilization {AutoScalingGroupName=web}");
}

// ---------------------------------------------------------------------------------------------
// MetricAlarm

TEST_CASE("an alarm starts in INSUFFICIENT_DATA and stays there without data", "[cloudwatch]") {
    MetricStore store;
    MetricAlarm alarm(cpu_alarm(3, 3, TreatMissingData::Missing));
    alarm.track_metric(store);
    CHECK(alarm.state() == AlarmState::INSUFFICIENT_DATA);
    CHECK(std::string(to_string(alarm.state())) == "INSUFFICIENT_DATA");
    CHECK(std::string(to_string(AlarmState::OK)) == "OK");
    CHECK(std::string(to_string(AlarmState::ALARM)) == "ALARM");
    for (SimTime t = 0; t <= 5 * kMinute; t += kMinute) {
        const AlarmEvaluation e = alarm.evaluate(t, store);
        CHECK(e.state == AlarmState::INSUFFICIENT_DATA);
        CHECK_FALSE(e.changed);
        CHECK(e.actions.empty());
    }
    CHECK(alarm.evaluate(5 * kMinute, store).reason ==
          "Insufficient Data: 5 datapoints were unknown.");
}

TEST_CASE("the evaluation range is N + 2 datapoints unless set", "[cloudwatch]") {
    CHECK(MetricAlarm(cpu_alarm(3, 3, TreatMissingData::Missing)).evaluation_range() == 5);
    CHECK(MetricAlarm(cpu_alarm(1, 1, TreatMissingData::Missing)).evaluation_range() == 3);
    AlarmOptions o;
    o.evaluation_range = 10;
    CHECK(MetricAlarm(cpu_alarm(3, 3, TreatMissingData::Missing), o).evaluation_range() == 10);
    // datapoints_to_alarm 0 (not given) means N.
    CHECK(MetricAlarm(cpu_alarm(0, 4, TreatMissingData::Missing)).datapoints_to_alarm() == 4);
}

// AWS's two tables, "How alarm state is evaluated when data is missing" on "Configuring how
// CloudWatch alarms treat missing data" (Amazon CloudWatch User Guide,
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html),
// every printed row as printed: the five most recent datapoints (the evaluation range, oldest
// first: '0' good, 'X' breaching, '-' missing), how many of the 3 evaluated are filled, and the
// state for missing, ignore, breaching and notBreaching. The alarm has a 1-minute period here;
// AWS's second table says 5 minutes, which changes nothing but the clock.
namespace {
struct MissingDataRow {
    int m;
    const char* data;
    int filled;
    const char* missing;
    const char* ignore;
    const char* breaching;
    const char* not_breaching;
};
const MissingDataRow kAwsMissingDataRows[] = {
    // Datapoints to Alarm 3, Evaluation Periods 3.
    {3, "0-X-X", 0, "OK", "OK", "OK", "OK"},
    {3, "0----", 2, "OK", "OK", "OK", "OK"},
    {3, "-----", 3, "INSUFFICIENT_DATA", "retain", "ALARM", "OK"},
    {3, "0XX-X", 0, "ALARM", "ALARM", "ALARM", "ALARM"},
    {3, "--X--", 2, "ALARM", "retain", "ALARM", "OK"},  // the premature-alarm rule
    // Datapoints to Alarm 2, Evaluation Periods 3.
    {2, "0-X-X", 0, "ALARM", "ALARM", "ALARM", "ALARM"},
    {2, "00X0X", 0, "ALARM", "ALARM", "ALARM", "ALARM"},
    {2, "0-X--", 1, "OK", "OK", "ALARM", "OK"},
    {2, "----0", 2, "OK", "OK", "ALARM", "OK"},
    {2, "---X-", 2, "ALARM", "retain", "ALARM", "OK"},  // the premature-alarm rule
};
}  // namespace

TEST_CASE("TreatMissingData: every row of AWS's tables for 3 of 3 and 2 of 3", "[cloudwatch]") {
    REQUIRE(std::size(kAwsMissingDataRows) == 10);
    // "Retain current state" is checked from each state the alarm can be in: fresh
    // (INSUFFICIENT_DATA), and after five good or five breaching minutes (OK, ALARM).
    const char* priors[] = {"", "00000", "XXXXX"};
    for (const MissingDataRow& row : kAwsMissingDataRows) {
        DYNAMIC_SECTION(row.m << " of 3, " << row.data) {
            for (TreatMissingData setting :
                 {TreatMissingData::Missing, TreatMissingData::Ignore, TreatMissingData::Breaching,
                  TreatMissingData::NotBreaching}) {
                const char* expected = setting == TreatMissingData::Missing     ? row.missing
                                       : setting == TreatMissingData::Ignore    ? row.ignore
                                       : setting == TreatMissingData::Breaching ? row.breaching
                                                                                : row.not_breaching;
                for (const std::string prior : priors) {
                    CAPTURE(static_cast<int>(setting), prior);
                    MetricStore store;
                    MetricAlarm alarm(cpu_alarm(row.m, 3, setting));
                    alarm.track_metric(store);
                    REQUIRE(alarm.evaluation_range() == 5);
                    int first = 0;
                    std::string before = "INSUFFICIENT_DATA";
                    if (!prior.empty()) {
                        feed(store, prior, 0);
                        alarm.evaluate(5 * kMinute, store);
                        before = to_string(alarm.state());
                        REQUIRE(before == (prior[0] == 'X' ? "ALARM" : "OK"));
                        first = 5;
                    }
                    feed(store, row.data, first);
                    const AlarmEvaluation e = alarm.evaluate((first + 5) * kMinute, store);
                    const std::string want = std::string(expected) == "retain" ? before : expected;
                    CHECK(to_string(e.state) == want);
                    CHECK(e.filled == row.filled);
                    CHECK_FALSE(e.reason.empty());
                }
            }
        }
    }
}

TEST_CASE("ignore keeps the state only without a real good datapoint", "[cloudwatch]") {
    // Beyond the tables: M real breaching datapoints alarm whatever the setting; a good one
    // with fewer than M breaching is OK; breaching ones short of M keep the state.
    auto run = [](int m, const std::string& prior, const std::string& data) {
        MetricStore store;
        MetricAlarm alarm(cpu_alarm(m, 3, TreatMissingData::Ignore));
        alarm.track_metric(store);
        feed(store, prior, 0);
        alarm.evaluate(5 * kMinute, store);
        feed(store, data, 5);
        return alarm.evaluate(10 * kMinute, store);
    };
    CHECK(run(2, "00000", "X---X").state == AlarmState::ALARM);
    CHECK(run(3, "XXXXX", "X0---").state == AlarmState::OK);
    CHECK(run(3, "00000", "X-X--").state == AlarmState::OK);  // kept: only breaching, 2 < 3
    CHECK(run(3, "XXXXX", "X-X--").state == AlarmState::ALARM);
    CHECK(run(3, "XXXXX", "X-X--").reason ==
          "Missing data ignored: 2 of the last 5 datapoints were received, all breaching but "
          "fewer than the 3 needed; the state is kept.");
}

TEST_CASE("with missing, a good datapoint anywhere in the range stops the premature alarm",
          "[cloudwatch]") {
    // AWS's prose would alarm on "0 - X - -" for 2 of 3 (the breach is 3 periods old, every
    // newer one missing); its table says OK, and the table is followed.
    auto run = [](int m, const std::string& data) {
        MetricStore store;
        MetricAlarm alarm(cpu_alarm(m, 3, TreatMissingData::Missing));
        alarm.track_metric(store);
        feed(store, data, 0);
        return alarm.evaluate(5 * kMinute, store);
    };
    CHECK(run(2, "0-X--").state == AlarmState::OK);
    CHECK(run(2, "-X0--").state == AlarmState::OK);
    CHECK(run(2, "--X--").state == AlarmState::ALARM);
    CHECK(run(3, "X----").state == AlarmState::ALARM);  // the oldest in the range counts
    CHECK(run(3, "---XX").state == AlarmState::OK);     // 2 old: not yet
    const AlarmEvaluation e = run(3, "--X-X");
    CHECK(e.state == AlarmState::ALARM);
    CHECK(e.filled == 1);
}

TEST_CASE("with missing, a breaching point newer than M periods does not alarm early",
          "[cloudwatch]") {
    MetricStore store;
    MetricAlarm alarm(cpu_alarm(3, 3, TreatMissingData::Missing));
    alarm.track_metric(store);
    feed(store, "---X-", 0);
    CHECK(alarm.evaluate(5 * kMinute, store).state == AlarmState::OK);
    feed(store, "X--", 5);  // the range is now X-X--: the last 3 start with a breach 3 old
    CHECK(alarm.evaluate(8 * kMinute, store).state == AlarmState::ALARM);
}

TEST_CASE("M out of N alarms on breaching points that are not consecutive", "[cloudwatch]") {
    auto run = [](const std::string& pattern) {
        MetricStore store;
        MetricAlarm alarm(cpu_alarm(3, 5, TreatMissingData::Missing));
        alarm.track_metric(store);
        feed(store, pattern, 0);
        return alarm.evaluate(static_cast<SimTime>(pattern.size()) * kMinute, store).state;
    };
    CHECK(run("X0X0X") == AlarmState::ALARM);
    CHECK(run("XX00X") == AlarmState::ALARM);
    CHECK(run("X0X00") == AlarmState::OK);
    CHECK(run("00XX0") == AlarmState::OK);
    // Only the last N count: three breaches, the oldest out of the window.
    CHECK(run("X0X0X00") == AlarmState::OK);
}

TEST_CASE("each comparison operator compares the datapoint with the threshold", "[cloudwatch]") {
    auto state = [](ComparisonOperator op, double value) {
        MetricStore store;
        auto spec = cpu_alarm(1, 1, TreatMissingData::Missing);
        spec.comparison_operator = op;
        MetricAlarm alarm(spec);
        alarm.track_metric(store);
        store.put(kCpu, kSecond, value);
        return alarm.evaluate(kMinute, store).state;
    };
    using C = ComparisonOperator;
    CHECK(state(C::GreaterThanOrEqualToThreshold, 70) == AlarmState::ALARM);
    CHECK(state(C::GreaterThanOrEqualToThreshold, 69.9) == AlarmState::OK);
    CHECK(state(C::GreaterThanThreshold, 70) == AlarmState::OK);
    CHECK(state(C::GreaterThanThreshold, 70.1) == AlarmState::ALARM);
    CHECK(state(C::LessThanThreshold, 70) == AlarmState::OK);
    CHECK(state(C::LessThanThreshold, 69.9) == AlarmState::ALARM);
    CHECK(state(C::LessThanOrEqualToThreshold, 70) == AlarmState::ALARM);
    CHECK(state(C::LessThanOrEqualToThreshold, 70.1) == AlarmState::OK);
}

TEST_CASE("the period in progress is not evaluated", "[cloudwatch]") {
    MetricStore store;
    MetricAlarm alarm(cpu_alarm(1, 1, TreatMissingData::Missing));
    alarm.track_metric(store);
    store.put(kCpu, 61 * kSecond, 90.0);
    CHECK(alarm.evaluate(119 * kSecond, store).state == AlarmState::INSUFFICIENT_DATA);
    CHECK(alarm.evaluate(120 * kSecond, store).state == AlarmState::ALARM);
}

TEST_CASE("a publication delay holds a period back until it has passed", "[cloudwatch]") {
    MetricStore store;
    AlarmOptions o;
    o.publication_delay = 30 * kSecond;
    MetricAlarm alarm(cpu_alarm(1, 1, TreatMissingData::Missing), o);
    alarm.track_metric(store);
    store.put(kCpu, 61 * kSecond, 90.0);
    CHECK(alarm.evaluate(120 * kSecond, store).state == AlarmState::INSUFFICIENT_DATA);
    CHECK(alarm.evaluate(149 * kSecond, store).state == AlarmState::INSUFFICIENT_DATA);
    CHECK(alarm.evaluate(150 * kSecond, store).state == AlarmState::ALARM);
}

TEST_CASE("ALARM invokes alarm actions every minute, OK invokes ok actions once", "[cloudwatch]") {
    MetricStore store;
    MetricAlarm alarm(cpu_alarm(1, 1, TreatMissingData::Missing));
    alarm.track_metric(store);
    const std::string minutes = "XXX00";
    const std::vector<std::string> out = {"scale-out"}, in = {"scale-in"}, none;
    // Each minute's sample is published before the evaluation that closes the minute, as in
    // a run (the store keeps only the alarm's window behind the newest sample).
    auto minute = [&](int k) {
        feed(store, minutes.substr(static_cast<std::size_t>(k), 1), k);
        return alarm.evaluate((k + 1) * kMinute, store);
    };

    AlarmEvaluation e = minute(0);
    CHECK(e.state == AlarmState::ALARM);
    CHECK(e.previous_state == AlarmState::INSUFFICIENT_DATA);
    CHECK(e.changed);
    CHECK(actions_of(e) == out);
    e = minute(1);
    CHECK((e.state == AlarmState::ALARM && !e.changed));
    CHECK(actions_of(e) == out);  // Auto Scaling actions repeat while in ALARM
    e = minute(2);
    CHECK(actions_of(e) == out);
    e = minute(3);
    CHECK((e.state == AlarmState::OK && e.changed));
    CHECK(actions_of(e) == in);
    e = minute(4);
    CHECK((e.state == AlarmState::OK && !e.changed));
    CHECK(actions_of(e) == none);  // no repeat in OK
}

TEST_CASE("an alarm on a 10 s period is evaluated every 10 s, acts once a minute", "[cloudwatch]") {
    MetricStore store;
    MetricAlarm alarm(cpu_alarm(1, 1, TreatMissingData::Missing, 10));
    alarm.track_metric(store);
    CHECK(alarm.evaluation_interval() == 10 * kSecond);
    CHECK(alarm.next_evaluation_after(40 * kSecond) == 50 * kSecond);
    CHECK(alarm.next_evaluation_after(41 * kSecond) == 50 * kSecond);
    CHECK(MetricAlarm(cpu_alarm(1, 1, TreatMissingData::Missing, 30)).evaluation_interval() ==
          10 * kSecond);
    CHECK(MetricAlarm(cpu_alarm(1, 1, TreatMissingData::Missing, 300)).evaluation_interval() ==
          kMinute);

    // A sample every 5 s: good until 30 s, breaching from 30 s to 120 s, good after.
    SimTime next_sample = 0;
    std::vector<SimTime> acted_out, acted_in;
    SimTime alarm_at = -1;
    for (SimTime t = 10 * kSecond; t <= 200 * kSecond; t = alarm.next_evaluation_after(t)) {
        for (; next_sample < t; next_sample += 5 * kSecond)
            store.put(kCpu, next_sample,
                      next_sample >= 30 * kSecond && next_sample < 120 * kSecond ? 90.0 : 10.0);
        const AlarmEvaluation e = alarm.evaluate(t, store);
        if (e.changed && e.state == AlarmState::ALARM) alarm_at = t;
        for (const std::string& a : e.actions)
            (a == "scale-out" ? acted_out : acted_in).push_back(t);
    }
    CHECK(alarm_at == 40 * kSecond);  // the first breaching 10 s period [30, 40) is complete
    CHECK(acted_out == std::vector<SimTime>{40 * kSecond, 100 * kSecond});
    // OK actions fire on every transition into OK, the first one from INSUFFICIENT_DATA too.
    CHECK(acted_in == std::vector<SimTime>{10 * kSecond, 130 * kSecond});
}

TEST_CASE("an alarm asked for reasons of changes only writes the same reason on a change",
          "[cloudwatch]") {
    MetricStore store;
    AlarmOptions o;
    o.start_epoch_s = 1767571200 + 10 * 3600;  // 2026-01-05 10:00:00 UTC
    MetricAlarm lazy(cpu_alarm(3, 3, TreatMissingData::Missing), o);
    MetricAlarm full(cpu_alarm(3, 3, TreatMissingData::Missing), o);
    lazy.track_metric(store);
    feed(store, "0X0XXX000", 0);
    for (SimTime t = kMinute; t <= 9 * kMinute; t += kMinute) {
        INFO("t = " << t / kSecond << " s");
        const AlarmEvaluation a = lazy.evaluate(t, store, false);
        const AlarmEvaluation b = full.evaluate(t, store);
        CHECK(a.state == b.state);
        CHECK(a.changed == b.changed);
        CHECK(a.actions == b.actions);
        CHECK(a.reason == (b.changed ? b.reason : std::string()));
        CHECK(lazy.state_reason() == full.state_reason());
    }
    CHECK(lazy.state() == AlarmState::OK);
}

TEST_CASE("the state reason lists the datapoints as CloudWatch does", "[cloudwatch]") {
    MetricStore store;
    AlarmOptions o;
    o.start_epoch_s = 1767571200 + 10 * 3600;  // 2026-01-05 10:00:00 UTC
    MetricAlarm alarm(cpu_alarm(3, 3, TreatMissingData::Missing), o);
    alarm.track_metric(store);
    store.put(kCpu, 30 * kSecond, 75.0);
    store.put(kCpu, 90 * kSecond, 71.0);
    store.put(kCpu, 150 * kSecond, 72.5);
    const AlarmEvaluation e = alarm.evaluate(3 * kMinute, store);
    const std::string want =
        "Threshold Crossed: 3 out of the last 3 datapoints [72.5 (05/01/26 10:02:00), 71.0 "
        "(05/01/26 10:01:00), 75.0 (05/01/26 10:00:00)] were greater than the threshold (70.0).";
    CHECK(e.reason == want);
    CHECK(alarm.state_reason() == want);

    store.put(kCpu, 210 * kSecond, 12.0);
    const AlarmEvaluation ok = alarm.evaluate(4 * kMinute, store);
    CHECK(ok.state == AlarmState::OK);
    CHECK(ok.reason ==
          "Threshold Crossed: 1 out of the last 3 datapoints [12.0 (05/01/26 10:03:00)] was not "
          "greater than the threshold (70.0).");
}

TEST_CASE("a percentile alarm tracks the samples it needs", "[cloudwatch]") {
    MetricStore store;
    scenario::CloudWatchMetricAlarmSpec spec = cpu_alarm(1, 1, TreatMissingData::Missing);
    spec.namespace_ = "AWS/ApplicationELB";
    spec.metric_name = "TargetResponseTime";
    spec.dimensions = {{"LoadBalancer", "alb"}};
    spec.statistic.reset();
    spec.extended_statistic = 99;
    spec.threshold = 0.5;
    MetricAlarm alarm(spec);
    CHECK(to_string(alarm.stat()) == "p99");
    const auto id = alarm.track_metric(store);
    // 100 responses of 0.1 s and one of 2 s: the p99 (rank 100 of 101) is 0.1 s.
    for (int i = 0; i < 100; ++i)
        store.put(id, i * 100 * kMillisecond, 0.1);
    store.put(id, 59 * kSecond, 2.0);
    CHECK(alarm.evaluate(kMinute, store).state == AlarmState::OK);
    // Two slow responses out of 102: rank ceil(100.98) = 101 is slow.
    store.put(id, 70 * kSecond, 0.1);
    for (int i = 0; i < 99; ++i)
        store.put(id, 71 * kSecond, 0.1);
    store.put(id, 72 * kSecond, 2.0);
    store.put(id, 73 * kSecond, 2.0);
    CHECK(alarm.evaluate(2 * kMinute, store).state == AlarmState::ALARM);
}

TEST_CASE("alarms on AWS/DynamoDB metrics always ignore missing data", "[cloudwatch]") {
    MetricStore store;
    auto spec = cpu_alarm(3, 3, TreatMissingData::Breaching);
    spec.namespace_ = "AWS/DynamoDB";
    MetricAlarm alarm(spec);
    alarm.track_metric(store);
    CHECK(alarm.evaluate(5 * kMinute, store).state == AlarmState::INSUFFICIENT_DATA);
}

}  // namespace test_cloudwatch
