#include "sim/sweep/report.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "sim/report/slo.hpp"
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

std::string cost_figure() {
    return "cost_usd.total";
}

std::string latency_figure(const std::vector<std::string>& header) {
    return column(header, "slo.latency_p99.worst_ms") >= 0 ? "slo.latency_p99.worst_ms"
                                                           : "latency_ms.p99";
}

std::vector<std::string> default_figures(const std::vector<std::string>& header) {
    std::vector<std::string> out;
    for (const char* f : {"cost_usd.total", "slo.latency_p99.worst_ms", "slo.windows_missed",
                          "latency_ms.p99", "availability_percent"})
        if (column(header, f) >= 0) out.push_back(f);
    return out;
}

namespace {

// The columns of the SLO verdict in a results file: `slo.met` (the windowed verdict), or the
// whole-run verdicts of files written before windows existed.
std::vector<std::ptrdiff_t> slo_columns(const std::vector<std::string>& h) {
    std::vector<std::ptrdiff_t> cols;
    if (column(h, "slo.met") >= 0) return {column(h, "slo.met")};
    for (const char* s : {"slo.latency_p99_met", "slo.availability_met"})
        if (column(h, s) >= 0) cols.push_back(column(h, s));
    return cols;
}

double cell_number(const ResultRow& row, std::ptrdiff_t c) {
    double v;
    if (c >= 0 && parse_number(row.fields[c], &v)) return v;
    return std::numeric_limits<double>::quiet_NaN();
}

double mean_of(const std::vector<const ResultRow*>& rows, std::ptrdiff_t c) {
    std::vector<double> v;
    for (const auto* r : rows)
        if (!std::isnan(cell_number(*r, c))) v.push_back(cell_number(*r, c));
    return mean_ci95(v).mean;
}

// The objectives' gaps at one point: the mean worst window against the target.
std::vector<ObjectiveGap> objective_gaps(const std::vector<std::string>& h,
                                         const std::vector<const ResultRow*>& rows) {
    std::vector<ObjectiveGap> gaps;
    for (const auto& o : report::slo_objectives()) {
        const std::string prefix = std::string("slo.") + o.key + ".";
        if (column(h, prefix + "met") < 0) continue;
        ObjectiveGap g;
        g.key = o.key;
        g.unit = o.percentile >= 0 ? "ms" : "percent";
        g.at_least = o.at_least;
        g.target = mean_of(rows, column(h, prefix + "target_" + g.unit));
        g.worst = mean_of(rows, column(h, prefix + "worst_" + g.unit));
        g.windows_missed = mean_of(rows, column(h, prefix + "windows_missed"));
        gaps.push_back(g);
    }
    return gaps;
}

PointSummary summarize_point(const Results& results, const std::vector<std::string>& figures,
                             std::uint64_t point, const std::vector<const ResultRow*>& rows,
                             const std::vector<std::uint64_t>& reps, std::uint64_t max_reps) {
    const auto& h = results.header;
    const auto seed_col = column(h, "seed");
    PointSummary ps;
    ps.point = point;
    ps.labels.assign(rows[0]->fields.begin() + 2, rows[0]->fields.begin() + seed_col);
    ps.replications = static_cast<int>(rows.size());
    for (const auto& f : figures) {
        const auto c = column(h, f);
        std::vector<double> by_rep(max_reps, std::numeric_limits<double>::quiet_NaN());
        std::vector<double> present;
        for (std::size_t k = 0; k < rows.size(); ++k) {
            by_rep[reps[k]] = cell_number(*rows[k], c);
            if (!std::isnan(by_rep[reps[k]])) present.push_back(by_rep[reps[k]]);
        }
        ps.figures.push_back(bounded_percent(f) ? mean_bootstrap95(present) : mean_ci95(present));
        ps.values.push_back(std::move(by_rep));
    }
    const auto slo_cols = slo_columns(h);
    if (!slo_cols.empty()) {
        for (const auto* r : rows) {
            bool met = true;
            for (auto c : slo_cols)
                met = met && r->fields[c] == "true";
            ps.slo_met_replications += met ? 1 : 0;
        }
        ps.slo_met = ps.slo_met_replications == ps.replications;
        ps.windows = mean_of(rows, column(h, "slo.windows"));
        ps.windows_missed = mean_of(rows, column(h, "slo.windows_missed"));
        ps.budget = mean_of(rows, column(h, "slo.budget"));
        ps.gaps = objective_gaps(h, rows);
    }
    return ps;
}

// The cheapest qualifying point and the next; or the point that came closest.
void choose(SweepReport& rep, std::size_t cost_index) {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < rep.points.size(); ++i)
        if (rep.points[i].qualifies && !std::isnan(rep.points[i].figures[cost_index].mean))
            order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return rep.points[a].figures[cost_index].mean < rep.points[b].figures[cost_index].mean;
    });
    if (!order.empty()) rep.chosen = order[0];
    if (order.size() > 1) rep.runner_up = order[1];
    if (rep.chosen || rep.points.empty()) return;
    // Closest: the most replications that met, then the fewest windows missed, then cheapest.
    std::size_t best = 0;
    auto key = [&](std::size_t i) {
        const auto& p = rep.points[i];
        const double share = p.replications ? double(p.slo_met_replications) / p.replications : 0;
        const double missed = std::isnan(p.windows_missed) ? 1e300 : p.windows_missed;
        const double cost = p.figures[cost_index].mean;
        return std::make_tuple(-share, missed, std::isnan(cost) ? 1e300 : cost);
    };
    for (std::size_t i = 1; i < rep.points.size(); ++i)
        if (key(i) < key(best)) best = i;
    rep.closest = best;
}

void mark_pareto(SweepReport& rep) {
    const auto& figs = rep.figures;
    const std::size_t ia = std::find(figs.begin(), figs.end(), rep.pareto[0].column) - figs.begin();
    const std::size_t ib = std::find(figs.begin(), figs.end(), rep.pareto[1].column) - figs.begin();
    std::vector<std::pair<double, double>> candidates;
    std::vector<std::size_t> index;
    for (std::size_t i = 0; i < rep.points.size(); ++i) {
        const auto& ps = rep.points[i];
        if (ps.slo_met && !ps.qualifies) continue;  // the SLO filter (windowed verdict)
        const double a = ps.figures[ia].mean, b = ps.figures[ib].mean;
        if (std::isnan(a) || std::isnan(b)) continue;
        candidates.emplace_back(a, b);
        index.push_back(i);
    }
    // Points closer than the interval of their paired difference are ties.
    auto tolerance = [&](std::size_t i, std::size_t j, int axis) {
        const std::size_t f = axis == 0 ? ia : ib;
        return paired_difference(rep.points[index[i]].values[f], rep.points[index[j]].values[f])
            .half_width;
    };
    for (auto k : pareto_front_beyond_noise(candidates, rep.pareto[0].maximize,
                                            rep.pareto[1].maximize, tolerance))
        rep.points[index[k]].pareto = true;
}

}  // namespace

// `--baseline PATH=V,...`: the point whose varied values are these.
std::size_t find_point(const SweepReport& rep, const std::string& text) {
    std::vector<std::pair<std::string, std::string>> wanted;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto comma = text.find(',', start);
        const std::string item =
            text.substr(start, comma == std::string::npos ? comma : comma - start);
        const auto eq = item.find('=');
        if (eq == std::string::npos)
            throw UsageError(fmt::format("--baseline {}: `{}`: expected PATH=VALUE", text, item));
        const std::string path = item.substr(0, eq);
        if (std::find(rep.paths.begin(), rep.paths.end(), path) == rep.paths.end())
            throw UsageError(
                fmt::format("--baseline {}: `{}` is not varied in this sweep; "
                            "varied: {}",
                            text, path, fmt::join(rep.paths, ", ")));
        wanted.emplace_back(path, item.substr(eq + 1));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    for (std::size_t i = 0; i < rep.points.size(); ++i) {
        bool all = true;
        for (const auto& [path, value] : wanted) {
            const auto k = std::find(rep.paths.begin(), rep.paths.end(), path) - rep.paths.begin();
            all = all && rep.points[i].labels[k] == value;
        }
        if (all) return i;
    }
    throw UsageError(fmt::format("--baseline {}: no point of the sweep has these values", text));
}

std::string point_name(const SweepReport& rep, std::size_t index) {
    const auto& p = rep.points[index];
    std::string values;
    for (std::size_t k = 0; k < rep.paths.size() && k < p.labels.size(); ++k)
        values += fmt::format("{}{}={}", k ? ", " : "", rep.paths[k], p.labels[k]);
    return values.empty() ? fmt::format("point {}", p.point)
                          : fmt::format("point {} ({})", p.point, values);
}

namespace {

// Dollars with cents, or with 4 decimals under $100 (a short run's bill).
std::string usd(double v) {
    return fmt::format(std::fabs(v) >= 100 ? "{:.2f}" : "{:.4f}", v);
}

std::string money(const MeanCi& m) {
    if (std::isnan(m.low)) return "$" + usd(m.mean);
    return fmt::format("${} (95 % CI {} to {})", usd(m.mean), usd(m.low), usd(m.high));
}

std::string figure_text(double v, const std::string& unit) {
    return unit == "ms" ? fmt::format("{:.1f} ms", v) : fmt::format("{:.3f} %", v);
}

// "met the SLO in every replication" or "in at least 90 % of the replications".
std::string qualification(double confidence) {
    return confidence >= 1.0
               ? "in every replication"
               : fmt::format("in at least {:g} % of its replications", 100 * confidence);
}

std::string answer_sentence(const SweepReport& rep, std::size_t cost_index) {
    if (!rep.has_slo || rep.points.empty()) return "";
    const std::string how = qualification(rep.confidence);
    if (rep.chosen) {
        const auto& c = rep.points[*rep.chosen];
        std::string out = fmt::format(
            "Answer: the cheapest point that met the SLO {} is {}: {} per run, the SLO met in {} "
            "of {} replications.",
            how, point_name(rep, *rep.chosen), money(c.figures[cost_index]), c.slo_met_replications,
            c.replications);
        if (rep.runner_up) {
            const auto& r = rep.points[*rep.runner_up];
            const MeanCi d = paired_difference(r.values[cost_index], c.values[cost_index]);
            out += fmt::format(" Runner-up: {}, {}, ${} more{}.", point_name(rep, *rep.runner_up),
                               money(r.figures[cost_index]), usd(d.mean),
                               std::isnan(d.low) ? ""
                                                 : fmt::format(" (paired difference, 95 % CI "
                                                               "{} to {})",
                                                               usd(d.low), usd(d.high)));
        } else {
            out += " No other point met it.";
        }
        return out;
    }
    const auto& p = rep.points[*rep.closest];
    std::string out = fmt::format(
        "Answer: no point met the SLO {}. Closest: {}, met in {} of {} replications; {:.1f} of "
        "{:.0f} windows missed per run on average (the budget allows {:.1f})",
        how, point_name(rep, *rep.closest), p.slo_met_replications, p.replications,
        p.windows_missed, p.windows, p.budget * p.windows);
    for (const ObjectiveGap& g : p.gaps) {
        if (!(g.windows_missed > 0) || std::isnan(g.worst)) continue;
        const double excess = g.at_least ? g.target - g.worst : g.worst - g.target;
        out += fmt::format("; worst-window {} {} against {} ({} {})", g.key,
                           figure_text(g.worst, g.unit), figure_text(g.target, g.unit),
                           g.at_least ? "short by" : "over by", figure_text(excess, g.unit));
    }
    return out + fmt::format("; cost {}.", money(p.figures[cost_index]));
}

}  // namespace

SweepReport make_report(const Results& results, std::vector<std::string> figures,
                        const std::vector<ParetoAxis>& pareto, const AnswerOptions& options) {
    SweepReport rep;
    const auto& h = results.header;
    const auto seed_col = column(h, "seed");
    if (seed_col < 2) return rep;
    rep.paths.assign(h.begin() + 2, h.begin() + seed_col);
    rep.confidence = options.confidence;
    rep.has_slo = !slo_columns(h).empty();
    // The answer and the differences need the cost and latency figures.
    for (const auto& extra : {cost_figure(), latency_figure(h)})
        if (column(h, extra) >= 0 &&
            std::find(figures.begin(), figures.end(), extra) == figures.end())
            figures.push_back(extra);
    for (const auto& a : pareto)
        if (std::find(figures.begin(), figures.end(), a.column) == figures.end())
            figures.push_back(a.column);
    rep.figures = figures;
    rep.pareto = pareto;

    // Rows are in (point, replication) order: group them by point.
    std::map<std::uint64_t, std::vector<const ResultRow*>> by_point;
    std::map<std::uint64_t, std::vector<std::uint64_t>> reps;
    std::uint64_t max_reps = 0;
    for (const auto& [key, row] : results.rows) {
        by_point[key.first].push_back(&row);
        reps[key.first].push_back(key.second);
        max_reps = std::max(max_reps, key.second + 1);
    }
    for (const auto& [point, rows] : by_point) {
        PointSummary ps = summarize_point(results, figures, point, rows, reps[point], max_reps);
        ps.qualifies =
            ps.slo_met.has_value() && ps.replications > 0 &&
            ps.slo_met_replications >= std::ceil(rep.confidence * ps.replications - 1e-9);
        rep.points.push_back(std::move(ps));
    }
    const std::size_t cost_index =
        std::find(figures.begin(), figures.end(), cost_figure()) - figures.begin();
    if (cost_index < figures.size()) {
        if (rep.has_slo) choose(rep, cost_index);
        rep.answer = answer_sentence(rep, cost_index);
    }
    // Paired differences against --baseline, else the chosen point, else point 0.
    if (!options.baseline.empty()) {
        rep.baseline = find_point(rep, options.baseline);
    } else if (!rep.points.empty()) {
        rep.baseline = rep.chosen ? *rep.chosen : 0;
    }
    for (std::size_t f = 0; f < figures.size(); ++f)
        if (figures[f] == cost_figure() || figures[f] == latency_figure(h))
            rep.difference_figures.push_back(figures[f]);
    if (rep.baseline) {
        for (auto& ps : rep.points)
            for (const auto& df : rep.difference_figures) {
                const std::size_t f =
                    std::find(figures.begin(), figures.end(), df) - figures.begin();
                ps.differences.push_back(
                    paired_difference(ps.values[f], rep.points[*rep.baseline].values[f]));
            }
    }
    if (pareto.size() == 2) mark_pareto(rep);
    return rep;
}

namespace {

std::string interval_text(const MeanCi& m) {
    if (std::isnan(m.mean)) return "-";
    if (std::isnan(m.low)) return fmt::format("{:.6g}", m.mean);
    if (std::isnan(m.half_width))
        return fmt::format("{:.6g} [{:.6g}, {:.6g}]", m.mean, m.low, m.high);
    return fmt::format("{:.6g} ± {:.3g}", m.mean, m.half_width);
}

// Columns padded to their width in characters ("±" is one character, two bytes).
std::string aligned(const std::vector<std::vector<std::string>>& rows) {
    auto width = [](const std::string& s) {
        std::size_t n = 0;
        for (unsigned char c : s)
            n += (c & 0xC0) != 0x80;
        return n;
    };
    std::vector<std::size_t> w;
    for (const auto& r : rows) {
        w.resize(std::max(w.size(), r.size()), 0);
        for (std::size_t i = 0; i < r.size(); ++i)
            w[i] = std::max(w[i], width(r[i]));
    }
    std::string out;
    for (const auto& r : rows) {
        std::string line;
        for (std::size_t i = 0; i < r.size(); ++i) {
            line += r[i];
            if (i + 1 < r.size()) line += std::string(w[i] - width(r[i]) + 2, ' ');
        }
        out += line + '\n';
    }
    return out;
}

std::string differences_table(const SweepReport& rep) {
    if (!rep.baseline || rep.difference_figures.empty() || rep.points.size() < 2) return "";
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> head = {"point"};
    head.insert(head.end(), rep.paths.begin(), rep.paths.end());
    for (const auto& f : rep.difference_figures)
        head.push_back("Δ " + f + " (paired, 95% CI)");
    rows.push_back(head);
    for (std::size_t i = 0; i < rep.points.size(); ++i) {
        const auto& p = rep.points[i];
        std::vector<std::string> r = {std::to_string(p.point)};
        r.insert(r.end(), p.labels.begin(), p.labels.end());
        for (const auto& d : p.differences)
            r.push_back(i == *rep.baseline ? "(baseline)" : interval_text(d));
        rows.push_back(r);
    }
    return fmt::format(
               "Differences against {}, paired by replication (replication r of "
               "every point ran with the same seed: common random numbers):\n",
               point_name(rep, *rep.baseline)) +
           aligned(rows);
}

}  // namespace

std::string report_table(const SweepReport& rep) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> head = {"point"};
    head.insert(head.end(), rep.paths.begin(), rep.paths.end());
    head.push_back("n");
    for (const auto& f : rep.figures)
        head.push_back(f + (bounded_percent(f) ? " (mean [95% CI])" : " (mean ± 95% CI)"));
    if (rep.has_slo) head.push_back("SLO met");
    if (!rep.pareto.empty()) head.push_back("Pareto");
    rows.push_back(head);
    for (const auto& p : rep.points) {
        std::vector<std::string> r = {std::to_string(p.point)};
        r.insert(r.end(), p.labels.begin(), p.labels.end());
        r.push_back(std::to_string(p.replications));
        for (const auto& m : p.figures)
            r.push_back(interval_text(m));
        if (rep.has_slo) r.push_back(fmt::format("{}/{}", p.slo_met_replications, p.replications));
        if (!rep.pareto.empty()) r.push_back(p.pareto ? "*" : "");
        rows.push_back(r);
    }
    std::string out = aligned(rows);
    if (!rep.pareto.empty()) {
        out += fmt::format("Pareto front of {} ({}) and {} ({}): the points marked *",
                           rep.pareto[0].column, rep.pareto[0].maximize ? "max" : "min",
                           rep.pareto[1].column, rep.pareto[1].maximize ? "max" : "min");
        out += rep.has_slo
                   ? fmt::format(", among those that met the SLO {}", qualification(rep.confidence))
                   : std::string();
        out += "; points closer than the interval of their paired difference count as one.\n";
    }
    out += differences_table(rep);
    if (!rep.answer.empty()) out += rep.answer + '\n';
    return out;
}

std::string report_csv(const SweepReport& rep) {
    std::vector<std::string> head = {"point"};
    head.insert(head.end(), rep.paths.begin(), rep.paths.end());
    head.push_back("replications");
    for (const auto& f : rep.figures)
        for (const char* part : {".mean", ".ci95", ".ci95_low", ".ci95_high"})
            head.push_back(f + part);
    for (const char* c : {"slo_met", "slo_met_replications", "pareto"})
        head.push_back(c);
    for (const auto& f : rep.difference_figures)
        for (const char* part : {".difference", ".difference_low", ".difference_high"})
            head.push_back(f + part);
    std::string out = csv_line(head);
    for (const auto& p : rep.points) {
        std::vector<std::string> r = {std::to_string(p.point)};
        r.insert(r.end(), p.labels.begin(), p.labels.end());
        r.push_back(std::to_string(p.replications));
        for (const auto& m : p.figures)
            for (double v : {m.mean, m.half_width, m.low, m.high})
                r.push_back(number_cell(v));
        r.push_back(p.slo_met ? (*p.slo_met ? "true" : "false") : "");
        r.push_back(p.slo_met ? std::to_string(p.slo_met_replications) : "");
        r.push_back(rep.pareto.empty() ? "" : (p.pareto ? "true" : "false"));
        for (std::size_t k = 0; k < rep.difference_figures.size(); ++k)
            for (double v : {p.differences.empty() ? std::nan("") : p.differences[k].mean,
                             p.differences.empty() ? std::nan("") : p.differences[k].low,
                             p.differences.empty() ? std::nan("") : p.differences[k].high})
                r.push_back(number_cell(v));
        out += csv_line(r);
    }
    return out;
}

}  // namespace stratus::sweep
