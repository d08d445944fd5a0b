#include "sim/sweep/report.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "sim/sweep/csv.hpp"
#include "sim/sweep/plan.hpp"

namespace stratus::sweep {

namespace {

std::ptrdiff_t column(const std::vector<std::string>& header, const std::string& name) {
    auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? -1 : it - header.begin();
}

bool parse_number(const std::string& s, double* out) {
    if (s.empty()) return false;
    char* end = nullptr;
    *out = std::strtod(s.c_str(), &end);
    return end && *end == '\0' && std::isfinite(*out);
}

std::string number_cell(double v) {
    if (std::isnan(v)) return "";
    return fmt::format("{:.6g}", v);
}

}  // namespace

std::vector<ParetoAxis> parse_pareto(const std::string& text,
                                     const std::vector<std::string>& header) {
    std::vector<ParetoAxis> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto comma = text.find(',', start);
        std::string item = text.substr(start, comma == std::string::npos ? comma : comma - start);
        ParetoAxis a;
        const auto colon = item.rfind(':');
        if (colon != std::string::npos) {
            const std::string dir = item.substr(colon + 1);
            if (dir != "min" && dir != "max")
                throw UsageError(
                    fmt::format("--pareto {}: `{}`: expected :min or :max", text, item));
            a.maximize = dir == "max";
            item = item.substr(0, colon);
        }
        a.column = item;
        out.push_back(a);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    if (out.size() != 2)
        throw UsageError(fmt::format(
            "--pareto {}: expected two figures, such as cost_usd.total,latency_ms.p99", text));
    const auto seed_col = column(header, "seed");
    for (const auto& a : out) {
        const auto c = column(header, a.column);
        if (c < 0 || c <= seed_col) {
            // Results without a seed column (a hand-edited file) list every column: never
            // step an iterator before begin() (seed_col is -1 then).
            const auto first = std::max<std::ptrdiff_t>(seed_col + 1, 0);
            std::vector<std::string> figures(header.begin() + first, header.end());
            throw UsageError(fmt::format("--pareto: no figure `{}` in the results; figures: {}",
                                         a.column, fmt::join(figures, ", ")));
        }
    }
    return out;
}

std::vector<std::string> default_figures(const std::vector<std::string>& header) {
    std::vector<std::string> out;
    for (const char* f : {"cost_usd.total", "latency_ms.p99", "availability_percent"})
        if (column(header, f) >= 0) out.push_back(f);
    return out;
}

SweepReport make_report(const Results& results, std::vector<std::string> figures,
                        const std::vector<ParetoAxis>& pareto) {
    SweepReport rep;
    const auto& h = results.header;
    const auto seed_col = column(h, "seed");
    if (seed_col < 2) return rep;
    rep.paths.assign(h.begin() + 2, h.begin() + seed_col);
    for (const auto& a : pareto)
        if (std::find(figures.begin(), figures.end(), a.column) == figures.end())
            figures.push_back(a.column);
    rep.figures = figures;
    rep.pareto = pareto;
    std::vector<std::ptrdiff_t> fig_cols;
    for (const auto& f : figures)
        fig_cols.push_back(column(h, f));
    std::vector<std::ptrdiff_t> slo_cols;
    for (const char* s : {"slo.latency_p99_met", "slo.availability_met"})
        if (column(h, s) >= 0) slo_cols.push_back(column(h, s));

    // Rows are in (point, replication) order: group them by point.
    std::map<std::uint64_t, std::vector<const ResultRow*>> by_point;
    for (const auto& [key, row] : results.rows)
        by_point[key.first].push_back(&row);
    for (const auto& [point, rows] : by_point) {
        PointSummary ps;
        ps.point = point;
        ps.labels.assign(rows[0]->fields.begin() + 2, rows[0]->fields.begin() + seed_col);
        ps.replications = static_cast<int>(rows.size());
        for (auto c : fig_cols) {
            std::vector<double> values;
            for (const auto* r : rows) {
                double v;
                if (c >= 0 && parse_number(r->fields[c], &v)) values.push_back(v);
            }
            ps.figures.push_back(mean_ci95(values));
        }
        if (!slo_cols.empty()) {
            bool met = true;
            for (const auto* r : rows)
                for (auto c : slo_cols)
                    met = met && r->fields[c] == "true";
            ps.slo_met = met;
        }
        rep.points.push_back(std::move(ps));
    }
    if (pareto.size() == 2) {
        std::size_t ia =
            std::find(figures.begin(), figures.end(), pareto[0].column) - figures.begin();
        std::size_t ib =
            std::find(figures.begin(), figures.end(), pareto[1].column) - figures.begin();
        std::vector<std::pair<double, double>> candidates;
        std::vector<std::size_t> index;
        for (std::size_t i = 0; i < rep.points.size(); ++i) {
            const auto& ps = rep.points[i];
            if (ps.slo_met && !*ps.slo_met) continue;  // the SLO filter
            const double a = ps.figures[ia].mean, b = ps.figures[ib].mean;
            if (std::isnan(a) || std::isnan(b)) continue;
            candidates.emplace_back(a, b);
            index.push_back(i);
        }
        for (auto k : pareto_front(candidates, pareto[0].maximize, pareto[1].maximize))
            rep.points[index[k]].pareto = true;
    }
    return rep;
}

std::string report_table(const SweepReport& rep) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> head = {"point"};
    head.insert(head.end(), rep.paths.begin(), rep.paths.end());
    head.push_back("n");
    for (const auto& f : rep.figures)
        head.push_back(f + " (mean ± 95% CI)");
    const bool any_slo = std::any_of(rep.points.begin(), rep.points.end(),
                                     [](const PointSummary& p) { return p.slo_met.has_value(); });
    if (any_slo) head.push_back("SLO met");
    if (!rep.pareto.empty()) head.push_back("Pareto");
    rows.push_back(head);
    for (const auto& p : rep.points) {
        std::vector<std::string> r = {std::to_string(p.point)};
        r.insert(r.end(), p.labels.begin(), p.labels.end());
        r.push_back(std::to_string(p.replications));
        for (const auto& m : p.figures) {
            if (std::isnan(m.mean))
                r.push_back("-");
            else if (std::isnan(m.half_width))
                r.push_back(fmt::format("{:.6g}", m.mean));
            else
                r.push_back(fmt::format("{:.6g} ± {:.3g}", m.mean, m.half_width));
        }
        if (any_slo) r.push_back(p.slo_met ? (*p.slo_met ? "yes" : "no") : "");
        if (!rep.pareto.empty()) r.push_back(p.pareto ? "*" : "");
        rows.push_back(r);
    }
    // Column widths in characters ("±" is one character, two bytes).
    auto width = [](const std::string& s) {
        std::size_t n = 0;
        for (unsigned char c : s)
            n += (c & 0xC0) != 0x80;
        return n;
    };
    std::vector<std::size_t> w(head.size(), 0);
    for (const auto& r : rows)
        for (std::size_t i = 0; i < r.size(); ++i)
            w[i] = std::max(w[i], width(r[i]));
    std::string out;
    for (const auto& r : rows) {
        std::string line;
        for (std::size_t i = 0; i < r.size(); ++i) {
            line += r[i];
            if (i + 1 < r.size()) line += std::string(w[i] - width(r[i]) + 2, ' ');
        }
        out += line + '\n';
    }
    if (!rep.pareto.empty()) {
        out += fmt::format("Pareto front of {} ({}) and {} ({}): the points marked *",
                           rep.pareto[0].column, rep.pareto[0].maximize ? "max" : "min",
                           rep.pareto[1].column, rep.pareto[1].maximize ? "max" : "min");
        out += any_slo ? ", among those that met the SLO in every replication.\n" : ".\n";
    }
    return out;
}

std::string report_csv(const SweepReport& rep) {
    std::vector<std::string> head = {"point"};
    head.insert(head.end(), rep.paths.begin(), rep.paths.end());
    head.push_back("replications");
    for (const auto& f : rep.figures) {
        head.push_back(f + ".mean");
        head.push_back(f + ".ci95");
    }
    head.push_back("slo_met");
    head.push_back("pareto");
    std::string out = csv_line(head);
    for (const auto& p : rep.points) {
        std::vector<std::string> r = {std::to_string(p.point)};
        r.insert(r.end(), p.labels.begin(), p.labels.end());
        r.push_back(std::to_string(p.replications));
        for (const auto& m : p.figures) {
            r.push_back(number_cell(m.mean));
            r.push_back(number_cell(m.half_width));
        }
        r.push_back(p.slo_met ? (*p.slo_met ? "true" : "false") : "");
        r.push_back(rep.pareto.empty() ? "" : (p.pareto ? "true" : "false"));
        out += csv_line(r);
    }
    return out;
}

}  // namespace stratus::sweep
