#include "sim/scenario/cloudwatch_trace.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/scenario/internal.hpp"
#include "sim/scenario/limits.hpp"

namespace stratus::scenario {
namespace {

using Json = nlohmann::json;

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names)
        out += (out.empty() ? "`" : ", `") + n + "`";
    return out;
}

}  // namespace

std::string format_utc_time(std::int64_t epoch) {
    const std::int64_t days = epoch >= 0 ? epoch / 86400 : (epoch - 86399) / 86400;
    const std::int64_t secs = epoch - days * 86400;
    // civil_from_days (Howard Hinnant's algorithm), the inverse of days_from_civil.
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", y, m, d, secs / 3600, secs / 60 % 60,
                       secs % 60);
}

namespace {

std::int64_t time_of(const Json& v, const std::string& where) {
    std::int64_t t = 0;
    if (!v.is_string() || !parse_cloudwatch_time(v.get<std::string>(), &t))
        throw TraceError(
            fmt::format("{}: expected a timestamp such as \"2026-01-05T10:00:00Z\", "
                        "found {}",
                        where, v.dump()));
    return t;
}

// A period's count: finite, >= 0, and at most the most requests a run can simulate at all
// (the fluid mode's 2^53): a larger sum (1e308) would overflow once scaled or summed.
bool plausible_count(double v) {
    return std::isfinite(v) && v >= 0 && v <= kMaxFluidRequestsPerRun;
}

std::string count_expected() {
    return fmt::format(
        "a count between 0 and {:.0f} (2^53, the most requests any run can "
        "simulate)",
        kMaxFluidRequestsPerRun);
}

double number_of(const Json& v, const std::string& where) {
    if (!v.is_number() || !plausible_count(v.get<double>()))
        throw TraceError(fmt::format("{}: expected {}, found {}", where, count_expected(),
                                     detail::shortened(v.dump())));
    return v.get<double>();
}

// get-metric-data: {"MetricDataResults": [{"Id", "Label", "Timestamps", "Values"}], ...}
CloudWatchTrace from_get_metric_data(const Json& root, std::string_view metric) {
    const Json& results = root["MetricDataResults"];
    if (!results.is_array() || results.empty())
        throw TraceError("MetricDataResults holds no metric");
    if (root.contains("NextToken") && root["NextToken"].is_string() &&
        !root["NextToken"].get<std::string>().empty())
        throw TraceError(
            "the export has more pages (NextToken): export the whole period (the "
            "AWS CLI pages through it unless --no-paginate is given)");
    std::vector<std::string> names;
    const Json* chosen = nullptr;
    for (const auto& r : results) {
        const std::string id = r.value("Id", ""), label = r.value("Label", "");
        names.push_back(label.empty() ? id : label);
        if (metric.empty() ? results.size() == 1 : (id == metric || label == metric)) chosen = &r;
    }
    if (!chosen)
        throw TraceError(
            metric.empty()
                ? fmt::format("the export holds {} metrics ({}): name one with `metric`",
                              results.size(), join(names))
                : fmt::format("no metric `{}` in the export; it holds {}", metric, join(names)));
    const Json& ts = (*chosen)["Timestamps"];
    const Json& vs = (*chosen)["Values"];
    if (!ts.is_array() || !vs.is_array() || ts.size() != vs.size())
        throw TraceError("Timestamps and Values must be arrays of the same length");
    CloudWatchTrace trace;
    trace.format = CloudWatchFormat::GetMetricData;
    trace.label = chosen->value("Label", chosen->value("Id", ""));
    for (std::size_t i = 0; i < ts.size(); ++i)
        trace.sums.emplace_back(time_of(ts[i], fmt::format("Timestamps[{}]", i)),
                                number_of(vs[i], fmt::format("Values[{}]", i)));
    return trace;
}

// get-metric-statistics: {"Label", "Datapoints": [{"Timestamp", "Sum" | "Average" and
// "SampleCount", "Unit"}]}
CloudWatchTrace from_get_metric_statistics(const Json& root) {
    const Json& points = root["Datapoints"];
    if (!points.is_array()) throw TraceError("Datapoints must be an array");
    CloudWatchTrace trace;
    trace.format = CloudWatchFormat::GetMetricStatistics;
    trace.label = root.value("Label", "");
    for (std::size_t i = 0; i < points.size(); ++i) {
        const Json& p = points[i];
        const std::string where = fmt::format("Datapoints[{}]", i);
        if (!p.is_object()) throw TraceError(where + ": expected an object");
        const std::int64_t t = time_of(p.value("Timestamp", Json()), where + ".Timestamp");
        double sum = 0;
        if (p.contains("Sum")) {
            sum = number_of(p["Sum"], where + ".Sum");
        } else if (p.contains("Average") && p.contains("SampleCount")) {
            // A count metric's sum is its average times the number of samples.
            sum = number_of(p["Average"], where + ".Average") *
                  number_of(p["SampleCount"], where + ".SampleCount");
        } else {
            throw TraceError(where + ": no Sum (export the Sum statistic: --statistics Sum)");
        }
        trace.sums.emplace_back(t, sum);
    }
    return trace;
}

std::vector<std::string> csv_cells(std::string_view line) {
    std::vector<std::string> cells(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                cells.back() += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cells.back() += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            cells.emplace_back();
        } else if (c != '\r') {
            cells.back() += c;
        }
    }
    return cells;
}

// The console's download: a header row (the time column's header, then one per metric), then
// one row per period; an empty cell is a period without a datapoint.
CloudWatchTrace from_console_csv(std::string_view text, std::string_view metric) {
    std::vector<std::vector<std::string>> rows;
    std::vector<int> lines;
    int line_no = 0;
    for (std::size_t start = 0; start <= text.size();) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        ++line_no;
        std::string_view line = text.substr(start, end - start);
        start = end + 1;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos || line[0] == '#') continue;
        rows.push_back(csv_cells(line));
        lines.push_back(line_no);
    }
    if (rows.size() < 2) throw TraceError("expected a header row and at least one row of data");
    const auto& header = rows.front();
    std::vector<std::string> names(header.begin() + 1, header.end());
    std::size_t column = 0;
    for (std::size_t c = 1; c < header.size(); ++c)
        if (metric.empty() ? header.size() == 2 : header[c] == metric) column = c;
    if (column == 0)
        throw TraceError(
            metric.empty()
                ? fmt::format("the CSV has {} metric columns ({}): name one "
                              "with `metric`",
                              names.size(), join(names))
                : fmt::format("no column `{}` in the CSV; it has {}", metric, join(names)));
    CloudWatchTrace trace;
    trace.format = CloudWatchFormat::ConsoleCsv;
    trace.label = header[column];
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const auto& row = rows[r];
        const std::string where = fmt::format("line {}", lines[r]);
        std::int64_t t = 0;
        if (row.empty() || !parse_cloudwatch_time(row[0], &t))
            throw TraceError(
                fmt::format("{}: expected a time such as \"2026-01-05 10:00:00\" in "
                            "the first column, found \"{}\"",
                            where, row.empty() ? "" : row[0]));
        if (column >= row.size() || row[column].find_first_not_of(' ') == std::string::npos) {
            trace.empty_rows.push_back(t);  // no datapoint in this period
            continue;
        }
        char* end = nullptr;
        const double v = std::strtod(row[column].c_str(), &end);
        if (!end || *end != '\0' || !plausible_count(v))
            throw TraceError(fmt::format("{}: expected {}, found \"{}\"", where, count_expected(),
                                         detail::shortened(row[column])));
        trace.sums.emplace_back(t, v);
    }
    return trace;
}

// Sorts, checks the spacing against the period and counts the periods without a datapoint.
void settle(CloudWatchTrace& trace, std::int64_t period_s) {
    if (trace.sums.empty()) throw TraceError("the export holds no datapoint");
    std::sort(trace.sums.begin(), trace.sums.end());
    std::int64_t spacing = 0;
    for (std::size_t i = 1; i < trace.sums.size(); ++i) {
        const std::int64_t d = trace.sums[i].first - trace.sums[i - 1].first;
        if (d == 0)
            throw TraceError(
                fmt::format("two datapoints at {}", format_utc_time(trace.sums[i].first)));
        spacing = spacing == 0 ? d : std::gcd(spacing, d);
    }
    // The CSV's rows without a value are periods too: they tell the spacing as well.
    for (std::int64_t t : trace.empty_rows) {
        const std::int64_t d = t > trace.sums.front().first ? t - trace.sums.front().first
                                                            : trace.sums.front().first - t;
        if (d > 0) spacing = spacing == 0 ? d : std::gcd(spacing, d);
    }
    if (period_s > 0) {
        if (spacing % period_s != 0)
            throw TraceError(fmt::format("datapoints {} s apart do not fit a period of {} s",
                                         spacing, period_s));
        trace.period_s = period_s;
    } else if (spacing == 0) {
        throw TraceError("one datapoint cannot tell its period: give `period`");
    } else {
        trace.period_s = spacing;
    }
    const std::int64_t span = trace.sums.back().first - trace.sums.front().first;
    trace.missing_periods =
        span / trace.period_s + 1 - static_cast<std::int64_t>(trace.sums.size());
    for (std::size_t i = 1; i < trace.sums.size() && trace.first_missing == 0; ++i)
        if (trace.sums[i].first - trace.sums[i - 1].first > trace.period_s)
            trace.first_missing = trace.sums[i - 1].first + trace.period_s;
}

}  // namespace

bool parse_cloudwatch_time(std::string_view text, std::int64_t* epoch_s) {
    std::string s(text);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r'))
        s.pop_back();
    while (!s.empty() && s.front() == ' ')
        s.erase(s.begin());
    if (s.size() > 4 && s.compare(s.size() - 4, 4, " UTC") == 0) s.resize(s.size() - 4);
    if (s.size() >= 10 && s[4] == '/' && s[7] == '/') s[4] = s[7] = '-';
    if (s.size() == 16) s += ":00";  // "2026-01-05 10:00": no seconds
    auto t = detail::parse_rfc3339(s);
    if (!t) t = detail::parse_rfc3339(s + "Z");  // no offset: UTC
    if (!t) return false;
    *epoch_s = *t;
    return true;
}

CloudWatchTrace parse_cloudwatch_export(std::string_view text, std::string_view metric,
                                        std::int64_t period_s) {
    const std::size_t first = text.find_first_not_of(" \t\r\n");
    CloudWatchTrace trace;
    if (first != std::string_view::npos && text[first] == '{') {
        Json root;
        try {
            root = Json::parse(text.begin(), text.end());
        } catch (const Json::parse_error& e) {
            throw TraceError(fmt::format("not JSON: {}", e.what()));
        }
        if (root.contains("MetricDataResults"))
            trace = from_get_metric_data(root, metric);
        else if (root.contains("Datapoints"))
            trace = from_get_metric_statistics(root);
        else
            throw TraceError(
                "JSON without MetricDataResults (get-metric-data) or Datapoints "
                "(get-metric-statistics)");
    } else {
        trace = from_console_csv(text, metric);
    }
    settle(trace, period_s);
    return trace;
}

std::vector<std::pair<std::int64_t, double>> cloudwatch_rates(const CloudWatchTrace& trace,
                                                              std::int64_t start_epoch_s,
                                                              std::int64_t* dropped) {
    std::vector<std::pair<std::int64_t, double>> out;
    const double period = static_cast<double>(trace.period_s);
    std::int64_t left_out = 0;
    for (std::size_t i = 0; i < trace.sums.size(); ++i) {
        const auto [t, sum] = trace.sums[i];
        if (t < start_epoch_s) {
            ++left_out;
            continue;
        }
        const std::int64_t at = t - start_epoch_s;
        if (!out.empty() && out.back().first + trace.period_s < at)
            out.emplace_back(out.back().first + trace.period_s, 0.0);  // periods without data
        out.emplace_back(at, sum / period);
    }
    if (!out.empty()) out.emplace_back(out.back().first + trace.period_s, 0.0);  // the end
    if (dropped) *dropped = left_out;
    return out;
}

}  // namespace stratus::scenario
