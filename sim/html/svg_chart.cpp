#include "sim/html/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "sim/core/sim_time.hpp"

namespace stratus::html {

namespace {

constexpr int kLeft = 64, kRight = 16, kTop = 28, kBottom = 30;

struct Axis {
    double lo = 0, hi = 1;
    std::vector<double> ticks;
};

// A "nice" step (1, 2 or 5 times a power of ten) giving about `count` ticks over the span.
double nice_step(double span, int count) {
    if (!(span > 0)) return 1;
    const double raw = span / count;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (raw <= m * mag) return m * mag;
    return 10 * mag;
}

Axis value_axis(double lo, double hi, bool from_zero) {
    if (from_zero) lo = std::min(lo, 0.0);
    if (!(hi > lo)) hi = lo + 1;
    Axis a;
    const double step = nice_step(hi - lo, 4);
    a.lo = std::floor(lo / step) * step;
    a.hi = std::ceil(hi / step) * step;
    for (double v = a.lo; v <= a.hi + step / 2; v += step)
        a.ticks.push_back(std::fabs(v) < step * 1e-9 ? 0 : v);
    return a;
}

// Time ticks at a round number of minutes, hours or days.
std::vector<double> time_ticks(double t0, double t1) {
    const double span = t1 - t0;
    static const double steps[] = {10,   30,    60,    300,   600,   1800,   3600,
                                   7200, 10800, 21600, 43200, 86400, 172800, 604800};
    double step = steps[0];
    for (double s : steps)
        if (span / s <= 8) {
            step = s;
            break;
        } else {
            step = s;
        }
    std::vector<double> out;
    for (double t = std::ceil(t0 / step) * step; t <= t1 + 1e-9; t += step)
        out.push_back(t);
    return out;
}

std::string value_label(double v) {
    const double a = std::fabs(v);
    if (a >= 1e6) return fmt::format("{:g}M", v / 1e6);
    if (a >= 1e4) return fmt::format("{:g}k", v / 1e3);
    return fmt::format("{:g}", v);
}

// The time of a tick as the run's clock shows it: "14:00", or "Nov 27" at midnight of a
// multi-day run.
std::string clock_label(std::int64_t epoch, double t, double span) {
    const std::int64_t s = epoch + static_cast<std::int64_t>(std::llround(t));
    const std::int64_t day = ((s % 86400) + 86400) % 86400;
    if (span > 2 * 86400 && day == 0) return "+" + elapsed_text(from_seconds(t));
    if (span <= 600) return fmt::format("{:02}:{:02}:{:02}", day / 3600, day / 60 % 60, day % 60);
    return fmt::format("{:02}:{:02}", day / 3600, day / 60 % 60);
}

std::string num(double v) {
    return fmt::format("{:.1f}", v);
}

// The points of a series reduced to at most the minimum and maximum per pixel column, split
// at gaps (NaN values); a step series first becomes its corners. Performance: a month at 10 s
// is 267,840 points; the SVG gets about two per column.
std::vector<std::vector<std::pair<double, double>>> reduce(const Series& s, double t0, double t1,
                                                           int columns) {
    std::vector<std::pair<double, double>> pts;
    if (s.steps) {
        for (std::size_t i = 0; i < s.points.size(); ++i) {
            const auto [t, v] = s.points[i];
            const double next = i + 1 < s.points.size() ? s.points[i + 1].first : t1;
            pts.emplace_back(t, v);
            if (!std::isnan(v)) pts.emplace_back(next, v);
        }
    } else {
        pts = s.points;
    }
    std::vector<std::vector<std::pair<double, double>>> runs(1);
    long bucket = std::numeric_limits<long>::min();
    std::pair<double, double> lo, hi;
    bool open = false;
    auto flush = [&]() {
        if (!open) return;
        const auto& first = lo.first <= hi.first ? lo : hi;
        const auto& second = lo.first <= hi.first ? hi : lo;
        runs.back().push_back(first);
        if (second != first) runs.back().push_back(second);
        open = false;
    };
    const double scale = columns / std::max(t1 - t0, 1e-9);
    for (const auto& [t, v] : pts) {
        if (std::isnan(v)) {
            flush();
            if (!runs.back().empty()) runs.emplace_back();
            continue;
        }
        const long b = static_cast<long>(std::floor((t - t0) * scale));
        if (b != bucket) {
            flush();
            bucket = b;
        }
        if (!open) {
            lo = hi = {t, v};
            open = true;
        } else {
            if (v < lo.second) lo = {t, v};
            if (v > hi.second) hi = {t, v};
        }
    }
    flush();
    return runs;
}

const char* marker_color(MarkerKind k) {
    switch (k) {
        case MarkerKind::Fault:
            return "#d62728";
        case MarkerKind::Alarm:
            return "#ff7f0e";
        case MarkerKind::Scaling:
            return "#7f7f7f";
    }
    return "#000";
}

}  // namespace

const char* palette(std::size_t i) {
    static const char* colors[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                   "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    return colors[i % 10];
}

std::string escape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

// The frame, axes, shaded ranges, threshold, series, markers and legend of one time chart.
// Long because it writes one SVG element in order; each part is a few lines.
namespace {

// The value axis of a time chart: from the lowest to the highest value drawn (the threshold
// included, so that its line is always inside), 0 to 1 when there is none.
Axis time_chart_axis(const TimeChart& c) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const auto& s : c.series)
        for (const auto& [t, v] : s.points)
            if (!std::isnan(v)) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
    if (c.threshold) {
        lo = std::min(lo, *c.threshold);
        hi = std::max(hi, *c.threshold);
    }
    if (!std::isfinite(lo)) lo = 0, hi = 1;
    return value_axis(lo, hi, c.y_from_zero);
}

// The plot area of a time chart and how times and values map to its pixels.
struct TimePlot {
    int pw, ph;     // plot width and height inside the margins
    double t0, t1;  // the time span, t1 > t0
    Axis y;
    double X(double t) const { return kLeft + (t - t0) / (t1 - t0) * pw; }
    double Y(double v) const { return kTop + ph - (v - y.lo) / (y.hi - y.lo) * ph; }
};

// The title, the shaded spans, the grid with its ticks, the frame and the threshold line:
// everything drawn under the series.
void append_time_grid(std::string& out, const TimeChart& c, const TimePlot& p) {
    const int pw = p.pw, ph = p.ph;
    out += fmt::format("<text x=\"{}\" y=\"16\" class=\"ctitle\">{}{}</text>\n", kLeft,
                       escape(c.title), c.unit.empty() ? "" : " (" + escape(c.unit) + ")");
    for (const auto& [a, b] : c.shaded)
        out += fmt::format(
            "<rect class=\"missed\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" "
            "fill=\"#d62728\" fill-opacity=\"0.15\"/>\n",
            num(p.X(a)), kTop, num(std::max(1.0, p.X(b) - p.X(a))), ph);
    for (double v : p.y.ticks)
        out += fmt::format(
            "<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#e5e5e5\"/>"
            "<text x=\"{}\" y=\"{}\" class=\"ytick\">{}</text>\n",
            kLeft, kLeft + pw, num(p.Y(v)), num(p.Y(v)), kLeft - 6, num(p.Y(v) + 4),
            value_label(v));
    for (double t : time_ticks(p.t0, p.t1))
        out += fmt::format(
            "<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#999\"/>"
            "<text x=\"{0}\" y=\"{3}\" class=\"xtick\">{4}</text>\n",
            num(p.X(t)), kTop + ph, kTop + ph + 4, kTop + ph + 16,
            clock_label(c.start_epoch_s, t, p.t1 - p.t0));
    out += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" "
        "stroke=\"#999\"/>\n",
        kLeft, kTop, pw, ph);
    if (c.threshold)
        out += fmt::format(
            "<line class=\"threshold\" x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" "
            "stroke=\"#000\" stroke-dasharray=\"6 4\"><title>{3}</title></line>\n",
            kLeft, kLeft + pw, num(p.Y(*c.threshold)), escape(c.threshold_label));
}

// Each series as polylines, one per run of points without a gap (reduced to the pixels).
void append_time_series(std::string& out, const TimeChart& c, const TimePlot& p) {
    for (const auto& s : c.series) {
        for (const auto& run : reduce(s, p.t0, p.t1, p.pw)) {
            if (run.empty()) continue;
            std::string pts;
            for (const auto& [t, v] : run)
                pts += num(p.X(t)) + "," + num(p.Y(v)) + " ";
            if (run.size() == 1) pts += num(p.X(run[0].first) + 1) + "," + num(p.Y(run[0].second));
            out += fmt::format(
                "<polyline class=\"series\" points=\"{}\" fill=\"none\" "
                "stroke=\"{}\" stroke-width=\"1.6\"{}/>\n",
                pts, s.color, s.dashed ? " stroke-dasharray=\"5 3\"" : "");
        }
    }
}

// Markers, gathered per pixel column so a month of scaling activities stays readable: one
// line per kind and column, its tooltip the first 12 texts and how many in all.
void append_time_markers(std::string& out, const TimeChart& c, const TimePlot& p) {
    const int ph = p.ph;
    std::map<std::pair<int, int>, std::vector<std::string>> columns;
    for (const Marker& m : c.markers) {
        if (m.t_s < p.t0 || m.t_s > p.t1) continue;
        columns[{static_cast<int>(m.kind), static_cast<int>(p.X(m.t_s))}].push_back(m.text);
    }
    for (const auto& [key, texts] : columns) {
        const auto kind = static_cast<MarkerKind>(key.first);
        const int x = key.second;
        std::string title;
        for (std::size_t i = 0; i < texts.size() && i < 12; ++i)
            title += (i ? "\n" : "") + texts[i];
        if (texts.size() > 12) title += fmt::format("\n... {} in all", texts.size());
        const int y1 = kind == MarkerKind::Fault   ? kTop
                       : kind == MarkerKind::Alarm ? kTop
                                                   : kTop + ph - 8;
        const int y2 = kind == MarkerKind::Fault   ? kTop + ph
                       : kind == MarkerKind::Alarm ? kTop + 8
                                                   : kTop + ph;
        out += fmt::format(
            "<line class=\"marker marker-{}\" x1=\"{}\" x2=\"{}\" y1=\"{}\" "
            "y2=\"{}\" stroke=\"{}\" stroke-width=\"{}\"{}><title>{}</title>"
            "</line>\n",
            key.first, x, x, y1, y2, marker_color(kind), kind == MarkerKind::Scaling ? 1 : 1.5,
            kind == MarkerKind::Fault ? " stroke-dasharray=\"4 3\"" : "", escape(title));
    }
}

// The legend, right of the title.
void append_time_legend(std::string& out, const TimeChart& c) {
    int lx = kLeft + 8 + 8 * static_cast<int>(c.title.size() + c.unit.size() + 3);
    for (const auto& s : c.series) {
        out += fmt::format(
            "<rect x=\"{}\" y=\"8\" width=\"12\" height=\"4\" fill=\"{}\"/>"
            "<text x=\"{}\" y=\"16\" class=\"legend\">{}</text>\n",
            lx, s.color, lx + 16, escape(s.name));
        lx += 24 + 7 * static_cast<int>(s.name.size());
    }
}

}  // namespace

std::string render_time_chart(const TimeChart& c, int width, int height) {
    const double t1 = c.t1 > c.t0 ? c.t1 : c.t0 + 1;
    const TimePlot plot{width - kLeft - kRight, height - kTop - kBottom, c.t0, t1,
                        time_chart_axis(c)};
    std::string out = fmt::format(
        "<svg id=\"{}\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" "
        "height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\"><title>{}</title>\n",
        escape(c.id), width, height, width, height, escape(c.title));
    append_time_grid(out, c, plot);
    append_time_series(out, c, plot);
    append_time_markers(out, c, plot);
    append_time_legend(out, c);
    return out + "</svg>\n";
}

namespace {

// The number drawn beside each point (its label's first word). Points drawn within a few
// pixels of an earlier one share its number ("2, 3") and draw none, so that numbers of points
// with the same figures do not print over each other.
template <class ToX, class ToY>
std::vector<std::string> scatter_labels(const std::vector<ScatterPoint>& points, ToX X, ToY Y) {
    constexpr double kNear = 6;  // pixels
    std::vector<std::string> labels(points.size());
    std::vector<std::size_t> owner(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        const std::string number = points[i].label.substr(0, points[i].label.find(' '));
        owner[i] = i;
        for (std::size_t k = 0; k < i; ++k) {
            if (owner[k] != k) continue;
            if (std::abs(X(points[k].x) - X(points[i].x)) <= kNear &&
                std::abs(Y(points[k].y) - Y(points[i].y)) <= kNear) {
                owner[i] = k;
                break;
            }
        }
        std::string& to = labels[owner[i]];
        to += (to.empty() ? "" : ", ") + number;
    }
    return labels;
}

}  // namespace

std::string render_scatter_chart(const ScatterChart& c, int width, int height) {
    const int pw = width - kLeft - kRight, ph = height - kTop - kBottom - 12;
    double xlo = std::numeric_limits<double>::infinity(), xhi = -xlo, ylo = xlo, yhi = -xlo;
    auto take = [](double v, double& lo, double& hi) {
        if (std::isnan(v)) return;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    };
    for (const auto& p : c.points) {
        for (double v : {p.x, p.x_low, p.x_high})
            take(v, xlo, xhi);
        for (double v : {p.y, p.y_low, p.y_high})
            take(v, ylo, yhi);
    }
    if (c.y_threshold) take(*c.y_threshold, ylo, yhi);
    if (!std::isfinite(xlo)) xlo = 0, xhi = 1;
    if (!std::isfinite(ylo)) ylo = 0, yhi = 1;
    const double xpad = (xhi - xlo) * 0.05 + 1e-9;
    const Axis xa = value_axis(xlo - xpad, xhi + xpad, false);
    const Axis ya = value_axis(ylo, yhi, true);
    auto X = [&](double v) { return kLeft + (v - xa.lo) / (xa.hi - xa.lo) * pw; };
    auto Y = [&](double v) { return kTop + ph - (v - ya.lo) / (ya.hi - ya.lo) * ph; };
    std::string out = fmt::format(
        "<svg id=\"{}\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" "
        "height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\"><title>{}</title>\n"
        "<text x=\"{}\" y=\"16\" class=\"ctitle\">{}</text>\n",
        escape(c.id), width, height, width, height, escape(c.title), kLeft, escape(c.title));
    for (double v : ya.ticks)
        out += fmt::format(
            "<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#e5e5e5\"/>"
            "<text x=\"{}\" y=\"{}\" class=\"ytick\">{}</text>\n",
            kLeft, kLeft + pw, num(Y(v)), num(Y(v)), kLeft - 6, num(Y(v) + 4), value_label(v));
    for (double v : xa.ticks)
        out += fmt::format(
            "<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#999\"/>"
            "<text x=\"{0}\" y=\"{3}\" class=\"xtick\">{4}</text>\n",
            num(X(v)), kTop + ph, kTop + ph + 4, kTop + ph + 16, value_label(v));
    out += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" "
        "stroke=\"#999\"/>\n<text x=\"{}\" y=\"{}\" class=\"xlabel\">{}</text>"
        "<text x=\"14\" y=\"{}\" class=\"ylabel\" transform=\"rotate(-90 14 {})\">"
        "{}</text>\n",
        kLeft, kTop, pw, ph, kLeft + pw / 2, height - 4, escape(c.x_label), kTop + ph / 2,
        kTop + ph / 2, escape(c.y_label));
    if (c.y_threshold)
        out += fmt::format(
            "<line class=\"threshold\" x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" "
            "stroke=\"#000\" stroke-dasharray=\"6 4\"><title>{3}</title></line>\n",
            kLeft, kLeft + pw, num(Y(*c.y_threshold)), escape(c.threshold_label));
    if (c.line.size() > 1) {
        std::string pts;
        for (auto i : c.line)
            pts += num(X(c.points[i].x)) + "," + num(Y(c.points[i].y)) + " ";
        out += fmt::format(
            "<polyline class=\"front\" points=\"{}\" fill=\"none\" "
            "stroke=\"#d62728\" stroke-width=\"2\"/>\n",
            pts);
    }
    const std::vector<std::string> labels = scatter_labels(c.points, X, Y);
    for (std::size_t i = 0; i < c.points.size(); ++i) {
        const ScatterPoint& p = c.points[i];
        const char* color = p.highlighted ? "#2ca02c" : "#7f7f7f";
        if (!std::isnan(p.x_low))
            out += fmt::format("<line x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" stroke=\"{3}\"/>",
                               num(X(p.x_low)), num(X(p.x_high)), num(Y(p.y)), color);
        if (!std::isnan(p.y_low))
            out += fmt::format("<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"{3}\"/>",
                               num(X(p.x)), num(Y(p.y_low)), num(Y(p.y_high)), color);
        out += fmt::format(
            "<circle class=\"point\" cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{}\" "
            "stroke=\"{}\" stroke-width=\"1.5\"><title>{}</title></circle>"
            "<text x=\"{}\" y=\"{}\" class=\"plabel\">{}</text>\n",
            num(X(p.x)), num(Y(p.y)), p.highlighted ? color : "#fff", color, escape(p.label),
            num(X(p.x) + 7), num(Y(p.y) - 6), escape(labels[i]));
    }
    return out + "</svg>\n";
}

}  // namespace stratus::html
