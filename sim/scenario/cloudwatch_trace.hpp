#pragma once
// CloudWatch exports as traffic traces: the JSON `aws cloudwatch get-metric-data` prints
// (MetricDataResults with Timestamps and Values), the JSON of `get-metric-statistics`
// (Datapoints with Timestamp and Sum, or Average and SampleCount), and the CSV the CloudWatch
// console downloads from a graph (a header row, the time in the first column, one column per
// graphed metric). The values are per-period sums of a count metric (an ALB's RequestCount, a
// custom count metric); each becomes a rate: sum / period seconds, from its timestamp until the
// next period. docs/scenario-format.md, "CloudWatch traces", says how a scenario uses one.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stratus::scenario {

// The export is not one of the three forms, or holds something it cannot (message says what).
class TraceError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

enum class CloudWatchFormat { GetMetricData, GetMetricStatistics, ConsoleCsv };

struct CloudWatchTrace {
    CloudWatchFormat format = CloudWatchFormat::GetMetricData;
    std::string label;  // the metric's Id/Label or CSV column chosen
    // (Unix seconds UTC, per-period sum), ascending, one per period that has a datapoint.
    std::vector<std::pair<std::int64_t, double>> sums;
    std::int64_t period_s = 0;  // the smallest spacing of the timestamps, or the one given
    // Rows of the console's CSV with an empty cell: periods it lists without a datapoint.
    std::vector<std::int64_t> empty_rows;
    // Periods between the first and the last timestamp without a datapoint (CloudWatch omits
    // the periods of a count metric that counted nothing), and the first of them.
    std::int64_t missing_periods = 0;
    std::int64_t first_missing = 0;
};

// Parses an export. `metric` chooses among several metrics (an Id or Label of get-metric-data,
// a CSV column header); empty means the only one. `period_s` > 0 gives the period when the
// timestamps cannot tell it (a single datapoint) or to check it.
CloudWatchTrace parse_cloudwatch_export(std::string_view text, std::string_view metric = "",
                                        std::int64_t period_s = 0);

// The trace as rates: (seconds from `start_epoch_s`, requests/s), a rate of 0 for each missing
// period and after the last one. Datapoints before the start are left out (*dropped counts
// them). Sorted, strictly increasing times.
std::vector<std::pair<std::int64_t, double>> cloudwatch_rates(const CloudWatchTrace& trace,
                                                              std::int64_t start_epoch_s,
                                                              std::int64_t* dropped = nullptr);

// "2024-01-15T10:05:00Z", "2024-01-15T10:05:00+00:00", "2024-01-15T10:05:00.000Z",
// "2024-01-15 10:05:00" (UTC) and "2024/01/15 10:05" -> Unix seconds; false when it is none
// of them.
bool parse_cloudwatch_time(std::string_view text, std::int64_t* epoch_s);
// Unix seconds -> "2026-01-05T10:00:00Z".
std::string format_utc_time(std::int64_t epoch_s);

}  // namespace stratus::scenario
