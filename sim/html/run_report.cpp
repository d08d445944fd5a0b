#include "sim/html/run_report.hpp"

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/core/files.hpp"
#include "sim/core/sim_time.hpp"
#include "sim/html/page.hpp"
#include "sim/html/svg_chart.hpp"
#include "sim/report/bill_summary.hpp"
#include "sim/report/slo.hpp"
#include "sim/sweep/csv.hpp"

namespace stratus::html {

using nlohmann::ordered_json;

std::ptrdiff_t CsvTable::col(const std::string& name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == name) return static_cast<std::ptrdiff_t>(i);
    return -1;
}

double CsvTable::number(std::size_t row, std::ptrdiff_t c) const {
    if (c < 0 || row >= rows.size() || static_cast<std::size_t>(c) >= rows[row].size())
        return std::numeric_limits<double>::quiet_NaN();
    const std::string& s = rows[row][c];
    if (s.empty()) return std::numeric_limits<double>::quiet_NaN();
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    return end && *end == '\0' ? v : std::numeric_limits<double>::quiet_NaN();
}

CsvTable parse_table(const std::string& text, const std::string& file_name) {
    int incomplete = 0;
    auto records = sweep::parse_csv(text, &incomplete);
    if (incomplete)
        throw std::runtime_error(fmt::format("{}:{}: a line is cut short", file_name, incomplete));
    CsvTable t;
    if (records.empty()) throw std::runtime_error(file_name + ": empty (no header)");
    t.header = records[0].fields;
    for (std::size_t i = 1; i < records.size(); ++i)
        t.rows.push_back(std::move(records[i].fields));
    return t;
}

RunOutputs parse_run_outputs(const std::string& summary_json, const std::string& timeseries_csv,
                             const std::string& windows_csv, const std::string& events_jsonl,
                             const std::string& bill_csv) {
    RunOutputs r;
    try {
        r.summary = ordered_json::parse(summary_json);
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("summary.json: not JSON: ") + e.what());
    }
    r.timeseries = parse_table(timeseries_csv, "timeseries.csv");
    r.windows = parse_table(windows_csv, "windows.csv");
    r.bill = parse_table(bill_csv, "bill.csv");
    std::istringstream lines(events_jsonl);
    std::string line;
    int n = 0;
    while (std::getline(lines, line)) {
        ++n;
        if (line.empty()) continue;
        try {
            r.events.push_back(nlohmann::json::parse(line));
        } catch (const std::exception& e) {
            throw std::runtime_error(fmt::format("events.jsonl:{}: not JSON: {}", n, e.what()));
        }
    }
    return r;
}

RunOutputs read_run_outputs(const std::string& dir) {
    // Only regular files, capped, as the rest of the CLI reads (files::read_regular_file): a
    // FIFO or a device named summary.json is refused, never read forever.
    constexpr std::uint64_t kMaxRunOutputBytes = 256 * files::kMiB;
    auto read = [&](const char* name) {
        const std::string path = dir + "/" + name;
        try {
            return files::read_regular_file(path, kMaxRunOutputBytes, "run output files");
        } catch (const files::FileError& e) {
            throw std::runtime_error(
                fmt::format("cannot read {}: {}; not the output folder of `stratus run` (it has "
                            "summary.json, timeseries.csv, windows.csv, events.jsonl and bill.csv)",
                            path, e.reason()));
        }
    };
    return parse_run_outputs(read("summary.json"), read("timeseries.csv"), read("windows.csv"),
                             read("events.jsonl"), read("bill.csv"));
}

namespace {

struct Context {
    const RunOutputs& run;
    double duration = 0;
    std::int64_t epoch = 0;
    std::vector<Marker> markers;
};

// The summary's value at a dotted path ("requests.errors.http_503"), null when absent.
const ordered_json& value_at(const ordered_json& s, const std::vector<std::string>& path) {
    static const ordered_json null_value;
    const ordered_json* j = &s;
    for (const auto& k : path) {
        if (!j->is_object() || !j->contains(k)) return null_value;
        j = &(*j)[k];
    }
    return *j;
}

// A figure from summary.json, shown as `text` and carrying its key and exact JSON value.
std::string fig(const ordered_json& s, const std::vector<std::string>& path,
                const std::string& text) {
    std::string key;
    for (const auto& k : path)
        key += (key.empty() ? "" : ".") + k;
    return fmt::format("<span class=\"fig\" data-key=\"{}\" data-value=\"{}\">{}</span>",
                       escape(key), escape(value_at(s, path).dump()), escape(text));
}

std::string thousands(std::uint64_t v) {
    std::string digits = std::to_string(v), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string count_fig(const ordered_json& s, const std::vector<std::string>& path) {
    const auto& v = value_at(s, path);
    return fig(s, path, v.is_number() ? thousands(v.get<std::uint64_t>()) : "-");
}

std::string number_fig(const ordered_json& s, const std::vector<std::string>& path,
                       const char* format, const char* unit) {
    const auto& v = value_at(s, path);
    return fig(s, path,
               v.is_number() ? fmt::format(fmt::runtime(format), v.get<double>()) + unit : "-");
}

std::string when(const Context& c, double t_s) {
    return fmt::format("+{} ({})", elapsed_text(from_seconds(t_s)),
                       report::clock_time(c.epoch, from_seconds(t_s)));
}

std::vector<Marker> markers_of(const std::vector<nlohmann::json>& events) {
    std::vector<Marker> out;
    for (const auto& e : events) {
        const std::string type = e.value("type", "");
        const double t = e.value("t", 0.0);
        std::string text = type;
        for (const char* k : {"alarm", "from", "to", "availability_zone", "autoscaling_group",
                              "description", "fault", "cause"})
            if (e.contains(k) && e[k].is_string())
                text += std::string(" · ") + e[k].get<std::string>();
        if (e.contains("fault") || type.rfind("az_outage", 0) == 0 ||
            type.rfind("latency_", 0) == 0 || type == "instance_failure" ||
            type == "db_failover_injected")
            out.push_back({t, MarkerKind::Fault, text});
        else if (type == "alarm_state_changed")
            out.push_back({t, MarkerKind::Alarm, text});
        else if (type == "autoscaling_activity" || type == "scheduled_action" ||
                 type == "setting_changed")
            out.push_back({t, MarkerKind::Scaling, text});
    }
    return out;
}

TimeChart chart(const Context& c, const std::string& id, const std::string& title,
                const std::string& unit) {
    TimeChart ch;
    ch.id = id;
    ch.title = title;
    ch.unit = unit;
    ch.t0 = 0;
    ch.t1 = c.duration;
    ch.start_epoch_s = c.epoch;
    ch.markers = c.markers;
    return ch;
}

// A column of timeseries.csv (or windows.csv) as a series at the rows' start times.
Series column_series(const CsvTable& t, const std::string& time_col, const std::string& name,
                     const std::string& label, const char* color, bool steps = true) {
    Series s;
    s.name = label;
    s.color = color;
    s.steps = steps;
    const auto tc = t.col(time_col), vc = t.col(name);
    for (std::size_t r = 0; r < t.rows.size(); ++r)
        s.points.emplace_back(t.number(r, tc), t.number(r, vc));
    return s;
}

}  // namespace

namespace {

std::string header_section(const Context& c) {
    const auto& s = c.run.summary;
    std::string out = fmt::format(
        "<h1>{}</h1>\n<p class=\"meta\">seed {}, {} from {}, {} mode, "
        "region {}</p>\n",
        escape(s.value("scenario", std::string("run"))),
        fig(s, {"seed"}, value_at(s, {"seed"}).dump()), elapsed_text(from_seconds(c.duration)),
        fig(s, {"start_time"}, s.value("start_time", std::string())),
        fig(s, {"fidelity"}, s.value("fidelity", std::string())),
        fig(s, {"region"}, s.value("region", std::string())));
    const std::string description = s.value("description", std::string());
    if (!description.empty())
        out +=
            "<h2>The scenario</h2>\n<pre class=\"description\">" + escape(description) + "</pre>\n";
    return out;
}

// The per-window figure of one objective, its target, and the missed windows shaded.
std::string objective_chart(const Context& c, const report::SloObjectiveInfo& o, double target) {
    const CsvTable& w = c.run.windows;
    static const char* latency_columns[] = {"p50_ms", "p90_ms", "p99_ms", "p999_ms"};
    const std::string column = o.percentile >= 0 ? latency_columns[o.percentile]
                               : o.kind == report::SloObjective::Availability
                                   ? "availability_percent"
                                   : "error_rate_percent";
    TimeChart ch = chart(c, std::string("slo-") + o.key,
                         fmt::format("{} per window (every answer, errors included)", o.label),
                         o.percentile >= 0 ? "ms" : "%");
    ch.series.push_back(column_series(w, "start_s", column, o.label, palette(0)));
    ch.threshold = target;
    ch.threshold_label = fmt::format("target {:g}", target);
    ch.y_from_zero = o.percentile >= 0 || o.kind == report::SloObjective::ErrorRate;
    const auto start = w.col("start_s"), length = w.col("length_s"), missed = w.col("missed");
    for (std::size_t r = 0; r < w.rows.size(); ++r)
        if (missed >= 0 && (" " + w.rows[r][missed] + " ").find(std::string(" ") + o.key + " ") !=
                               std::string::npos)
            ch.shaded.emplace_back(w.number(r, start), w.number(r, start) + w.number(r, length));
    return render_time_chart(ch);
}

std::string verdict_section(const Context& c) {
    const auto& s = c.run.summary;
    if (!s.contains("slo"))
        return "<h2>Service level objectives</h2>\n<p>The scenario has no [slo] section: nothing "
               "was judged.</p>\n";
    const auto& slo = s["slo"];
    const bool met = slo.value("met", false);
    std::string out = fmt::format(
        "<h2>Service level objectives, judged per window</h2>\n<p><span class=\"badge {}\">{}"
        "</span> {} of {} windows of {} missed (budget: {} of the windows); ",
        met ? "met" : "missed", fig(s, {"slo", "met"}, met ? "SLO met" : "SLO MISSED"),
        count_fig(s, {"slo", "windows_missed"}), count_fig(s, {"slo", "windows"}),
        fig(s, {"slo", "window_s"}, elapsed_text(from_seconds(slo.value("window_s", 0.0)))),
        fig(s, {"slo", "budget"}, fmt::format("{:g} %", 100 * slo.value("budget", 0.0))));
    out += slo["first_miss_s"].is_null()
               ? "no window missed.</p>\n"
               : "first miss in the window at " +
                     fig(s, {"slo", "first_miss_s"}, when(c, slo["first_miss_s"].get<double>())) +
                     ".</p>\n";
    if (slo.value("windows_without_success", 0) > 0)
        out += "<p>" + count_fig(s, {"slo", "windows_without_success"}) +
               " window(s) had no successful request: each is a miss.</p>\n";
    if (slo.value("windows_excluded", 0) > 0)
        out += "<p>Not judged: " + count_fig(s, {"slo", "windows_excluded"}) +
               " window(s) before the warm-up ends (simulation.warmup = " +
               fig(s, {"slo", "warmup_s"}, elapsed_text(from_seconds(slo.value("warmup_s", 0.0)))) +
               ").</p>\n";
    out +=
        "<table><tr><th>objective</th><th>target</th><th>verdict</th><th class=\"num\">"
        "windows missed</th><th>worst window</th><th>first miss</th><th>whole run (not the "
        "verdict)</th></tr>\n";
    std::string charts;
    for (const auto& o : report::slo_objectives()) {
        if (!slo.contains(o.key)) continue;
        const auto& j = slo[o.key];
        const std::string unit = o.percentile >= 0 ? "ms" : "percent";
        const char* format = o.percentile >= 0 ? "{:.1f}" : "{:.3f}";
        const char* shown_unit = o.percentile >= 0 ? " ms" : " %";
        const std::vector<std::string> base = {"slo", o.key};
        auto p = [&](const std::string& k) {
            auto v = base;
            v.push_back(k);
            return v;
        };
        out += fmt::format(
            "<tr><td>{}</td><td>{} {}</td><td>{}</td><td class=\"num\">{}</td><td>{}{}</td>"
            "<td>{}</td><td>{} ({})</td></tr>\n",
            o.label, o.at_least ? "&ge;" : "&le;",
            number_fig(s, p("target_" + unit), "{:g}", shown_unit),
            fig(s, p("met"), j.value("met", false) ? "met" : "MISSED"),
            count_fig(s, p("windows_missed")),
            number_fig(s, p("worst_" + unit), format, shown_unit),
            j["worst_start_s"].is_null()
                ? std::string()
                : " at " + fig(s, p("worst_start_s"), when(c, j["worst_start_s"].get<double>())),
            j["first_miss_s"].is_null()
                ? std::string("-")
                : fig(s, p("first_miss_s"), when(c, j["first_miss_s"].get<double>())),
            number_fig(s, p("whole_run_" + unit), format, shown_unit),
            fig(s, p("whole_run_met"), j.value("whole_run_met", false) ? "met" : "missed"));
        charts += objective_chart(c, o, j["target_" + unit].get<double>());
    }
    out +=
        "</table>\n<p class=\"legend-note\">Latency percentiles here count every answer the "
        "clients got, errors with their own latency (a 504 after its timeout); a window "
        "misses an objective when its figure is beyond the target or it had no successful "
        "request. Missed windows are shaded red.</p>\n";
    return out + charts;
}

std::string traffic_section(const Context& c) {
    const auto& s = c.run.summary;
    std::string out = "<h2>What the clients got</h2>\n<table>\n";
    out += "<tr><td>requests</td><td class=\"num\">" + count_fig(s, {"requests", "total"}) +
           "</td><td>ok " + count_fig(s, {"requests", "ok"}) + ", errors " +
           count_fig(s, {"requests", "errors", "total"}) +
           " (500: " + count_fig(s, {"requests", "errors", "http_500"}) +
           ", 502: " + count_fig(s, {"requests", "errors", "http_502"}) +
           ", 503: " + count_fig(s, {"requests", "errors", "http_503"}) +
           ", 504: " + count_fig(s, {"requests", "errors", "http_504"}) + ")</td></tr>\n";
    out += "<tr><td>availability</td><td class=\"num\">" +
           number_fig(s, {"availability_percent"}, "{:.3f}", " %") +
           "</td><td>of the answers after the warm-up</td></tr>\n";
    out += "<tr><td>latency, successful requests</td><td class=\"num\">p99 " +
           number_fig(s, {"latency_ms", "p99"}, "{:.1f}", " ms") + "</td><td>mean " +
           number_fig(s, {"latency_ms", "mean"}, "{:.1f}", " ms") + ", p50 " +
           number_fig(s, {"latency_ms", "p50"}, "{:.1f}", " ms") + ", p90 " +
           number_fig(s, {"latency_ms", "p90"}, "{:.1f}", " ms") + ", max " +
           number_fig(s, {"latency_ms", "max"}, "{:.1f}", " ms") + "</td></tr>\n";
    out += "<tr><td>latency, every answer (errors included)</td><td class=\"num\">p99 " +
           number_fig(s, {"client_latency_ms", "p99"}, "{:.1f}", " ms") + "</td><td>p50 " +
           number_fig(s, {"client_latency_ms", "p50"}, "{:.1f}", " ms") + ", p90 " +
           number_fig(s, {"client_latency_ms", "p90"}, "{:.1f}", " ms") + ", p99.9 " +
           number_fig(s, {"client_latency_ms", "p999"}, "{:.1f}", " ms") + "</td></tr>\n";
    out += "<tr><td>instances</td><td class=\"num\">" + count_fig(s, {"instances", "launched"}) +
           " launched</td><td>" + count_fig(s, {"instances", "standalone"}) +
           " of them standalone; peak " + count_fig(s, {"instances", "peak_in_service"}) +
           " in service; instance-hours: " +
           number_fig(s, {"instances", "instance_hours", "on_demand"}, "{:.2f}", " On-Demand") +
           ", " + number_fig(s, {"instances", "instance_hours", "spot"}, "{:.2f}", " Spot") +
           "</td></tr>\n";
    if (s.contains("ecs_tasks"))
        out += "<tr><td>ECS tasks</td><td class=\"num\">" + count_fig(s, {"ecs_tasks", "started"}) +
               " started</td><td>" + count_fig(s, {"ecs_tasks", "stopped"}) + " stopped, " +
               count_fig(s, {"ecs_tasks", "running_at_end"}) + " running at the end; " +
               number_fig(s, {"ecs_tasks", "fargate_task_hours"}, "{:.2f}", " Fargate task-hours") +
               "</td></tr>\n";
    out += "</table>\n";
    return out;
}

std::string charts_section(const Context& c) {
    const CsvTable& ts = c.run.timeseries;
    std::string out =
        "<h2>Over time</h2>\n<p class=\"legend-note\">Markers: red dashed lines "
        "are faults, orange ticks at the top alarm transitions, grey ticks at the "
        "bottom scaling activities (hover for details). One point per metrics "
        "period.</p>\n";
    TimeChart req = chart(c, "chart-requests", "Requests", "per second");
    req.series.push_back(column_series(ts, "time_s", "rps", "arrivals/s", palette(0)));
    out += render_time_chart(req);

    TimeChart lat = chart(c, "chart-latency", "Latency percentiles", "ms");
    lat.series.push_back(column_series(ts, "time_s", "p50_ms", "p50 ok", palette(2)));
    lat.series.push_back(column_series(ts, "time_s", "p99_ms", "p99 ok", palette(0)));
    lat.series.push_back(
        column_series(c.run.windows, "start_s", "p99_ms", "p99 every answer", palette(3)));
    if (c.run.summary.contains("slo") && c.run.summary["slo"].contains("latency_p99")) {
        lat.threshold = c.run.summary["slo"]["latency_p99"]["target_ms"].get<double>();
        lat.threshold_label = "SLO p99 target";
    }
    out += render_time_chart(lat);

    TimeChart err = chart(c, "chart-errors", "Errors by code", "per period");
    const char* codes[] = {"http_500", "http_502", "http_503", "http_504"};
    for (int k = 0; k < 4; ++k)
        err.series.push_back(column_series(ts, "time_s", codes[k], codes[k] + 5, palette(3 + k)));
    out += render_time_chart(err);

    // A run whose requests Fargate tasks serve (ECS tasks and no EC2 instance): its in-service
    // counts are RUNNING tasks.
    const auto& summary = c.run.summary;
    const bool tasks = summary.contains("ecs_tasks") && summary.contains("instances") &&
                       summary["instances"].value("launched", 0) == 0;
    const char* unit = tasks ? "tasks" : "instances";
    TimeChart az =
        chart(c, "chart-in-service", tasks ? "Tasks running per AZ" : "In service per AZ", unit);
    std::size_t n = 0;
    for (const auto& h : ts.header)
        if (h.rfind("in_service_", 0) == 0)
            az.series.push_back(column_series(ts, "time_s", h, h.substr(11), palette(n++)));
    out += render_time_chart(az);

    TimeChart cap = chart(
        c, "chart-capacity",
        tasks ? "Desired count and tasks running" : "Desired capacity and instances in service",
        unit);
    cap.series.push_back(column_series(ts, "time_s", "desired", "desired", palette(1)));
    cap.series.push_back(
        column_series(ts, "time_s", "in_service", tasks ? "running" : "in service", palette(0)));
    out += render_time_chart(cap);

    TimeChart cost =
        chart(c, "chart-cost", "Cost rate (every charge; integrates to the bill)", "USD per hour");
    cost.series.push_back(column_series(ts, "time_s", "cost_rate_usd_per_hour", "$/h", palette(4)));
    out += render_time_chart(cost);
    TimeChart total = chart(c, "chart-cost-total", "Cost so far", "USD");
    total.series.push_back(column_series(ts, "time_s", "cost_usd", "$", palette(5), false));
    return out + render_time_chart(total);
}

std::string bill_section(const Context& c) {
    const auto& s = c.run.summary;
    const CsvTable& b = c.run.bill;
    std::vector<report::BillRow> rows;
    const auto item = b.col("line_item"), usage = b.col("usage_type"), cost = b.col("cost_usd");
    for (std::size_t r = 0; r < b.rows.size(); ++r)
        rows.push_back({b.rows[r][item], b.rows[r][usage], b.number(r, cost)});
    const report::BillSummary bill = report::summarize_bill(rows);
    std::string out =
        "<h2>The bill</h2>\n<table><tr><th>line item</th><th>usage type</th><th "
        "class=\"num\">USD</th></tr>\n";
    for (const auto& i : bill.items) {
        out += fmt::format(
            "<tr><td>{}</td><td></td><td class=\"num\">{}</td></tr>\n", escape(i.label),
            fig(s, {"cost_usd", "by_line_item", i.line_item}, fmt::format("${:.4f}", i.shown)));
        for (const auto& p : i.parts)
            out += fmt::format(
                "<tr class=\"sub\"><td></td><td>{}</td><td class=\"num\">${:.4f}"
                "</td></tr>\n",
                escape(p.usage_type), p.shown);
    }
    out += fmt::format(
        "<tr class=\"total\"><td>total</td><td></td><td class=\"num\">{}</td></tr>"
        "</table>\n<p class=\"legend-note\">Amounts rounded so they add up to the "
        "total shown; bill.csv has every line.</p>\n",
        fig(s, {"cost_usd", "total"}, fmt::format("${:.4f}", bill.shown_total)));
    const auto& tags = value_at(s, {"cost_usd", "by_tag"});
    if (tags.is_object() && !tags.empty()) {
        out += "<h3>By tag</h3>\n<table><tr><th>tag</th><th class=\"num\">USD</th></tr>\n";
        for (auto it = tags.begin(); it != tags.end(); ++it)
            out += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td></tr>\n", escape(it.key()),
                               fig(s, {"cost_usd", "by_tag", it.key()},
                                   fmt::format("${:.4f}", it.value().get<double>())));
        out +=
            "</table>\n<p class=\"legend-note\">A line with several tags counts under each, "
            "as Cost Explorer groups by one tag key at a time.</p>\n";
    }
    return out;
}

std::string events_section(const Context& c) {
    std::string faults, alarms;
    std::size_t scaling = 0;
    for (const Marker& m : c.markers) {
        const std::string row =
            fmt::format("<tr><td>{}</td><td>{}</td></tr>\n", when(c, m.t_s), escape(m.text));
        if (m.kind == MarkerKind::Fault) faults += row;
        if (m.kind == MarkerKind::Alarm) alarms += row;
        if (m.kind == MarkerKind::Scaling) ++scaling;
    }
    std::string out = "<h2>What happened</h2>\n";
    out +=
        faults.empty() ? "<p>No fault.</p>\n" : "<h3>Faults</h3>\n<table>" + faults + "</table>\n";
    out += alarms.empty() ? "<p>No alarm transition.</p>\n"
                          : "<h3>Alarm transitions</h3>\n<table>" + alarms + "</table>\n";
    out += fmt::format("<details><summary>{} scaling activities and changes</summary><table>\n",
                       scaling);
    for (const Marker& m : c.markers)
        if (m.kind == MarkerKind::Scaling)
            out += fmt::format("<tr><td>{}</td><td>{}</td></tr>\n", when(c, m.t_s), escape(m.text));
    return out + "</table></details>\n";
}

}  // namespace

std::string run_report_html(const RunOutputs& run) {
    Context c{run, 0, 0, {}};
    c.duration = run.summary.value("duration_s", 0.0);
    c.epoch = report::epoch_of(run.summary.value("start_time", std::string()));
    c.markers = markers_of(run.events);
    std::string out = page_begin("stratus report: " + run.summary.value("scenario", std::string()));
    out += header_section(c);
    out += verdict_section(c);
    out += traffic_section(c);
    out += bill_section(c);
    out += charts_section(c);
    out += events_section(c);
    return out + page_end();
}

}  // namespace stratus::html
