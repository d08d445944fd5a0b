#include "sim/html/sweep_report.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "sim/html/page.hpp"
#include "sim/html/svg_chart.hpp"

namespace stratus::html {

namespace {

// The mean, and its interval on a line of its own in small type: the table stays narrow.
std::string interval_cell(const sweep::MeanCi& m) {
    if (std::isnan(m.mean)) return "-";
    if (std::isnan(m.low)) return fmt::format("{:.6g}", m.mean);
    return fmt::format("{:.6g}<br><span class=\"ci\">[{:.6g}, {:.6g}]</span>", m.mean, m.low,
                       m.high);
}

// A setting's or a figure's path as a column heading: it may break after a dot or an
// underscore (autoscaling_group.web.desired_capacity is wider than its values).
std::string heading(const std::string& path) {
    std::string out;
    for (char ch : escape(path)) {
        out += ch;
        if (ch == '.' || ch == '_') out += "<wbr>";
    }
    return out;
}

// The cells every row of both tables starts with: the point and its settings.
std::string point_cells(const sweep::PointSummary& p) {
    std::string out = fmt::format("<td>{}</td>", p.point);
    for (const auto& l : p.labels)
        out += "<td>" + escape(l) + "</td>";
    return out;
}

std::string point_headings(const sweep::SweepReport& rep) {
    std::string out = "<tr><th>point</th>";
    for (const auto& p : rep.paths)
        out += "<th>" + heading(p) + "</th>";
    return out;
}

std::string number_attr(double v) {
    return std::isnan(v) ? std::string() : fmt::format("{}", v);
}

std::string optional_index(const sweep::SweepReport& rep, const std::optional<std::size_t>& i) {
    return i ? std::to_string(rep.points[*i].point) : std::string();
}

// The mean of a column over every row (the SLO's target is the same in every run).
std::optional<double> column_mean(const sweep::Results& results, const std::string& name) {
    const auto& h = results.header;
    const auto it = std::find(h.begin(), h.end(), name);
    if (it == h.end()) return std::nullopt;
    const auto c = it - h.begin();
    double sum = 0;
    int n = 0;
    for (const auto& [key, row] : results.rows) {
        char* end = nullptr;
        const double v = std::strtod(row.fields[c].c_str(), &end);
        if (!row.fields[c].empty() && end && *end == '\0') {
            sum += v;
            ++n;
        }
    }
    if (n == 0) return std::nullopt;
    return sum / n;
}

std::string scatter(const sweep::Results& results, const sweep::SweepReport& rep) {
    const std::string cost = sweep::cost_figure(), latency = sweep::latency_figure(results.header);
    const auto& f = rep.figures;
    const std::size_t ic = std::find(f.begin(), f.end(), cost) - f.begin();
    const std::size_t il = std::find(f.begin(), f.end(), latency) - f.begin();
    if (ic >= f.size() || il >= f.size()) return "";
    ScatterChart ch;
    ch.id = "chart-cost-latency";
    ch.title = "Cost against " + latency + " (mean and 95 % interval per point)";
    ch.x_label = cost + " (USD per run)";
    ch.y_label = latency;
    std::vector<std::pair<double, std::size_t>> front;
    for (std::size_t i = 0; i < rep.points.size(); ++i) {
        const auto& p = rep.points[i];
        ScatterPoint sp;
        sp.label = sweep::point_name(rep, i);
        sp.label = std::to_string(p.point) + " " + sp.label;
        sp.x = p.figures[ic].mean;
        sp.y = p.figures[il].mean;
        sp.x_low = p.figures[ic].low;
        sp.x_high = p.figures[ic].high;
        sp.y_low = p.figures[il].low;
        sp.y_high = p.figures[il].high;
        sp.highlighted = p.qualifies || !p.slo_met.has_value();
        if (std::isnan(sp.x) || std::isnan(sp.y)) continue;
        if (p.pareto) front.emplace_back(sp.x, ch.points.size());
        ch.points.push_back(sp);
    }
    std::sort(front.begin(), front.end());
    for (const auto& [x, k] : front)
        ch.line.push_back(k);
    ch.y_threshold = column_mean(results, "slo.latency_p99.target_ms");
    ch.threshold_label = "SLO p99 target";
    return render_scatter_chart(ch) + "<p class=\"legend-note\">Filled green: met the SLO " +
           std::string(rep.confidence >= 1 ? "in every replication"
                                           : "at the requested confidence") +
           "; hollow grey: did not. The red line joins the Pareto front" +
           (rep.pareto.empty() ? " (none asked: --pareto)" : "") + ".</p>\n";
}

std::string points_table(const sweep::SweepReport& rep) {
    std::string out = "<div class=\"wide\"><table id=\"points\">" + point_headings(rep);
    out += "<th class=\"num\">n</th>";
    for (const auto& f : rep.figures)
        out += "<th class=\"num\">" + heading(f) + "</th>";
    out += "<th>SLO met</th><th>Pareto</th></tr>\n";
    const auto cost = static_cast<std::size_t>(
        std::find(rep.figures.begin(), rep.figures.end(), sweep::cost_figure()) -
        rep.figures.begin());
    for (const auto& p : rep.points) {
        out += fmt::format(
            "<tr class=\"point\" data-point=\"{}\" data-replications=\"{}\" "
            "data-slo-met-replications=\"{}\" data-qualifies=\"{}\" data-pareto=\"{}\" "
            "data-cost-mean=\"{}\">",
            p.point, p.replications, p.slo_met_replications, p.qualifies ? "true" : "false",
            p.pareto ? "true" : "false",
            cost < p.figures.size() ? number_attr(p.figures[cost].mean) : "");
        out += point_cells(p) + fmt::format("<td class=\"num\">{}</td>", p.replications);
        for (const auto& m : p.figures)
            out += "<td class=\"num\">" + interval_cell(m) + "</td>";
        out += fmt::format(
            "<td>{}</td><td>{}</td></tr>\n",
            p.slo_met ? fmt::format("{}/{}", p.slo_met_replications, p.replications) : "",
            p.pareto ? "*" : "");
    }
    return out + "</table></div>\n";
}

// Paired differences against the chosen point (or --baseline), in a table of their own.
std::string differences_table(const sweep::SweepReport& rep) {
    if (rep.difference_figures.empty()) return "";
    std::string out = "<div class=\"wide\"><table id=\"differences\">" + point_headings(rep);
    for (const auto& f : rep.difference_figures)
        out += "<th class=\"num\">&Delta; " + heading(f) + "</th>";
    out += "</tr>\n";
    for (std::size_t i = 0; i < rep.points.size(); ++i) {
        const auto& p = rep.points[i];
        out += "<tr>" + point_cells(p);
        for (const auto& d : p.differences)
            out +=
                "<td class=\"num\">" +
                (rep.baseline && *rep.baseline == i ? std::string("baseline") : interval_cell(d)) +
                "</td>";
        out += "</tr>\n";
    }
    return out + "</table></div>\n";
}

}  // namespace

std::string sweep_report_html(const std::string& title, const sweep::Results& results,
                              const sweep::SweepReport& rep) {
    // Wider than a run's page: the table has a column per setting and per figure; at 1230 px
    // it fits a 1280-pixel window.
    std::string out = page_begin("stratus sweep report: " + title, 1230);
    out += fmt::format("<h1>Sweep: {}</h1>\n<p class=\"meta\">{} points, {} runs; varied: {}</p>\n",
                       escape(title), rep.points.size(), results.rows.size(),
                       escape(fmt::format("{}", fmt::join(rep.paths, ", "))));
    out += fmt::format(
        "<h2>The answer</h2>\n<p class=\"answer\" id=\"answer\" data-chosen=\"{}\" "
        "data-runner-up=\"{}\" data-closest=\"{}\" data-confidence=\"{}\">{}</p>\n",
        optional_index(rep, rep.chosen), optional_index(rep, rep.runner_up),
        optional_index(rep, rep.closest), rep.confidence,
        rep.answer.empty() ? "The scenario has no [slo]: no point was judged."
                           : escape(rep.answer));
    out += "<h2>Cost against latency</h2>\n" + scatter(results, rep);
    out +=
        "<h2>Every point</h2>\n<p class=\"legend-note\">Mean over the replications, with its "
        "95 % interval below it: Student t, or a bootstrap for percentages (so it stays within "
        "0-100 %).</p>\n";
    out += points_table(rep);
    if (!rep.difference_figures.empty())
        out +=
            "<h2>Paired differences</h2>\n<p class=\"legend-note\">&Delta;: each point "
            "less " +
            (rep.baseline ? escape(sweep::point_name(rep, *rep.baseline))
                          : std::string("the chosen point")) +
            ", replication by replication (replication r of every point ran with the same "
            "seed: common random numbers), with the interval of the mean difference.</p>\n" +
            differences_table(rep);
    return out + page_end();
}

}  // namespace stratus::html
