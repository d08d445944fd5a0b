#include "viz/chart.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "viz/layout.hpp"

namespace stratus::viz {

ImU32 series_colour(int index) {
    static const ImU32 kColours[] = {IM_COL32(40, 110, 210, 255), IM_COL32(220, 70, 40, 255),
                                     IM_COL32(40, 160, 70, 255),  IM_COL32(150, 60, 190, 255),
                                     IM_COL32(230, 150, 20, 255), IM_COL32(20, 160, 170, 255),
                                     IM_COL32(140, 90, 40, 255),  IM_COL32(230, 80, 160, 255)};
    return kColours[index % 8];
}

ImU32 marker_colour(view::MarkerKind kind) {
    switch (kind) {
        case view::MarkerKind::Fault:
            return IM_COL32(210, 30, 30, 220);
        case view::MarkerKind::Recovery:
            return IM_COL32(20, 150, 60, 220);
        case view::MarkerKind::Change:
            return IM_COL32(60, 90, 220, 220);
    }
    return IM_COL32(0, 0, 0, 255);
}

void dashed_line(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float dash, float thickness) {
    const float dx = b.x - a.x, dy = b.y - a.y;
    const float len = std::sqrt(dx * dx + dy * dy);
    if (len <= 0) return;
    for (float s = 0; s < len; s += 2 * dash) {
        const float e = std::min(s + dash, len);
        dl->AddLine(ImVec2(a.x + dx * s / len, a.y + dy * s / len),
                    ImVec2(a.x + dx * e / len, a.y + dy * e / len), col, thickness);
    }
}

void dashed_rect(ImDrawList* dl, ImVec2 min, ImVec2 max, ImU32 col, float dash, float thickness) {
    dashed_line(dl, min, ImVec2(max.x, min.y), col, dash, thickness);
    dashed_line(dl, ImVec2(max.x, min.y), max, col, dash, thickness);
    dashed_line(dl, max, ImVec2(min.x, max.y), col, dash, thickness);
    dashed_line(dl, ImVec2(min.x, max.y), min, col, dash, thickness);
}

std::string clock_text(double seconds) {
    const long s = static_cast<long>(seconds + 0.5);
    if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60);
    return fmt::format("{}:{:02}", s / 60, s % 60);
}

namespace {

std::string value_text(double v, const std::string& unit) {
    if (unit == "$" || unit == "$/h") return fmt::format("${:.2f}", v);
    if (std::fabs(v) >= 100) return fmt::format("{:.0f}", v);
    return fmt::format("{:.3g}", v);
}

// The value of a series at time t (the period that ends at or after t), or NaN.
double value_at(const view::Series& s, double t) {
    auto it = std::lower_bound(s.t_s.begin(), s.t_s.end(), t);
    if (it == s.t_s.end()) return std::nan("");
    return s.v[static_cast<std::size_t>(it - s.t_s.begin())];
}

// The title with the values at the playhead, coloured like their lines, on one row: written
// smaller (down to 70 %) when the row is too narrow for them (a large font, many series), and
// clipped to the chart only beyond that, so that it never runs into its neighbour.
void draw_chart_header(const view::Chart& chart, ImVec2 min, ImVec2 max, const ChartStyle& style,
                       const std::string& group) {
    std::vector<std::pair<std::string, ImU32>> parts{{chart.title, IM_COL32(30, 30, 30, 255)}};
    for (std::size_t i = 0; i < chart.series.size(); ++i) {
        const auto& s = chart.series[i];
        if (s.v.empty() && chart.series.size() > 1) continue;
        const std::string t =
            chart.series.size() > 1 || chart.unit.empty()
                ? fmt::format("{} {}", s.name,
                              s.v.empty() ? "-" : value_text(s.v.back(), chart.unit))
                : (s.v.empty()
                       ? std::string("-")
                       : value_text(s.v.back(), chart.unit) +
                             (chart.unit.rfind('$', 0) == 0 ? (chart.unit == "$/h" ? "/h" : "")
                                                            : " " + chart.unit));
        parts.emplace_back(t, style.compare ? (i > 0 ? IM_COL32(60, 60, 60, 255) : series_colour(0))
                                            : series_colour(static_cast<int>(i)));
    }
    ImFont* font = ImGui::GetFont();
    const float fs = ImGui::GetFontSize();
    float needed = 0;
    for (std::size_t i = 0; i < parts.size(); ++i)
        needed += font->CalcTextSizeA(fs, FLT_MAX, 0, parts[i].first.c_str()).x + (i ? 12 : 14);
    const float size = fs * std::clamp((max.x - min.x - 8) / needed, 0.7f, 1.0f);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 row_max(max.x, min.y + fs + 4);
    dl->PushClipRect(min, row_max, true);
    float x = min.x + 6;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const ImVec2 at(x, min.y + 1 + (fs - size) / 2);
        dl->AddText(font, size, at, parts[i].second, parts[i].first.c_str());
        const ImVec2 sz = font->CalcTextSizeA(size, FLT_MAX, 0, parts[i].first.c_str());
        record(style.layout, group, parts[i].first, at, ImVec2(at.x + sz.x, at.y + sz.y), min,
               row_max);
        x += sz.x + (i ? 12 : 14) * size / fs;
    }
    dl->PopClipRect();
}

}  // namespace

// draw_chart is over 80 lines on purpose: it is one immediate-mode pass over a chart, in the
// order the pixels are laid (header, axes and their labels, the SLO line, the series, the
// markers, the playhead and the hover read-out), each block placed by the positions the blocks
// above it measured; split, every part would take the same dozen positions and sizes.
float draw_chart(const view::Chart& chart, const std::vector<view::Marker>& markers, ImVec2 min,
                 ImVec2 max, const ChartStyle& style, float hover_t) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float title_h = ImGui::GetFontSize() + 4;
    dl->AddRectFilled(min, max, IM_COL32(255, 255, 255, 255));
    // The value axis's labels ("2000", "$1.00") fit left of the plot at any font size.
    const float left = std::max(52.0f, ImGui::CalcTextSize("$0.00").x + 10);
    const ImVec2 pmin(min.x + left, min.y + title_h);
    const ImVec2 pmax(max.x - 8, max.y - (style.time_labels ? ImGui::GetFontSize() + 2 : 4));
    const float w = pmax.x - pmin.x, h = pmax.y - pmin.y;
    if (w < 10 || h < 10) return -1;
    const std::string group = "chart " + chart.title;
    draw_chart_header(chart, min, max, style, group);

    // The axis: one rule for every chart, declared in the view model (the run's two ends,
    // start-up and final round-ups, do not set the scale; a spike there is drawn clipped).
    const double top = view::axis_top(chart, style.horizon_s);
    auto X = [&](double t) { return pmin.x + static_cast<float>(t / style.horizon_s) * w; };
    auto Y = [&](double v) { return pmax.y - static_cast<float>(v / top) * h; };

    dl->AddRect(pmin, pmax, IM_COL32(190, 190, 190, 255));
    for (int k = 1; k < 4; ++k) {
        const float y = pmin.y + h * k / 4.0f;
        dl->AddLine(ImVec2(pmin.x, y), ImVec2(pmax.x, y), IM_COL32(235, 235, 235, 255));
    }
    // Time grid: a line every 10 minutes (every hour past 3 h, every day past 3 days); labels
    // on as many lines as fit.
    const double step = style.horizon_s > 3 * 86400  ? 86400
                        : style.horizon_s > 3 * 3600 ? 3600
                                                     : 600;
    const float label_w = ImGui::CalcTextSize("00:00").x + 16;
    const int every =
        std::max(1, static_cast<int>(std::ceil(label_w / (w * step / style.horizon_s))));
    int line = 0;
    for (double t = step; t < style.horizon_s; t += step) {
        dl->AddLine(ImVec2(X(t), pmin.y), ImVec2(X(t), pmax.y), IM_COL32(235, 235, 235, 255));
        if (style.time_labels && ++line % every == 0) {
            const std::string label = step >= 86400  ? fmt::format("{}d", t / 86400)
                                      : step >= 3600 ? fmt::format("{}h", t / 3600)
                                                     : fmt::format("{}m", t / 60);
            const ImVec2 sz = ImGui::CalcTextSize(label.c_str());
            dl->AddText(ImVec2(X(t) - sz.x / 2, pmax.y + 1), IM_COL32(110, 110, 110, 255),
                        label.c_str());
        }
    }
    const std::string top_text = value_text(top, chart.unit);
    const float fs = ImGui::GetFontSize();
    auto axis_label = [&](ImVec2 at, const std::string& t) {
        dl->AddText(at, IM_COL32(110, 110, 110, 255), t.c_str());
        const ImVec2 sz = ImGui::CalcTextSize(t.c_str());
        record(style.layout, group, t, at, ImVec2(at.x + sz.x, at.y + sz.y), min,
               ImVec2(pmin.x, max.y));
    };
    axis_label(ImVec2(min.x + 4, pmin.y - 2), top_text);
    // The 0 only where it does not run into the top's label (a short chart, a large font).
    if (pmax.y - fs >= pmin.y - 2 + fs) axis_label(ImVec2(min.x + 4, pmax.y - fs), "0");
    // The future is shaded: the whole lesson's time axis is always shown.
    if (style.now_s < style.horizon_s)
        dl->AddRectFilled(ImVec2(X(style.now_s), pmin.y), pmax, IM_COL32(245, 245, 245, 255));
    // The times an alarm on this chart was in ALARM, tinted as the CloudWatch console does.
    for (const auto& [from, to] : chart.alarm_spans)
        dl->AddRectFilled(ImVec2(X(from), pmin.y), ImVec2(std::max(X(to), X(from) + 2), pmax.y),
                          IM_COL32(255, 215, 215, 160));

    for (const auto& th : chart.thresholds) {
        const float y = Y(th.value);
        dashed_line(dl, ImVec2(pmin.x, y), ImVec2(pmax.x, y), IM_COL32(200, 40, 40, 200), 6, 1.5f);
        // Target tracking's alarms are long: "TargetTracking-web-AlarmHigh-cpu50" -> "AlarmHigh".
        std::string label = th.label;
        if (label.rfind("TargetTracking-", 0) == 0) {
            const auto high = label.find("-AlarmHigh"), low = label.find("-AlarmLow");
            if (high != std::string::npos) label = "AlarmHigh (scale out)";
            if (low != std::string::npos) label = "AlarmLow (scale in)";
        }
        const ImVec2 sz = ImGui::CalcTextSize(label.c_str());
        dl->AddText(ImGui::GetFont(), ImGui::GetFontSize() * 0.8f,
                    ImVec2(pmax.x - sz.x * 0.8f - 4, y - ImGui::GetFontSize() * 0.8f - 1),
                    IM_COL32(200, 40, 40, 255), label.c_str());
    }
    for (const auto& m : markers) {
        const float mx = X(m.t_s);
        dashed_line(dl, ImVec2(mx, pmin.y), ImVec2(mx, pmax.y), marker_colour(m.kind), 4, 2.0f);
    }

    // Lines: min..max per pixel column, joined column to column.
    dl->PushClipRect(pmin, ImVec2(pmax.x + 1, pmax.y + 1), true);
    // The first series drawn thick underneath, so that one equal to it (desired capacity
    // over in-service) still shows as a thin line on top.
    // Compare mode: series 0 is the first run's (solid), series 1 the variant's (dashed).
    const std::size_t per_run = style.compare ? 1 : chart.series.size();
    for (std::size_t si = 0; si < chart.series.size(); ++si) {
        const auto& s = chart.series[si];
        const bool variant = si >= per_run;
        const float thick = si == 0 && chart.series.size() > 1 && !style.compare ? 4.5f : 2.5f;
        // Compare mode: the variant in dark grey, never in a colour that reads as an alarm.
        const ImU32 col = style.compare ? (variant ? IM_COL32(60, 60, 60, 255) : series_colour(0))
                                        : series_colour(static_cast<int>(si));
        std::size_t i = 0;
        bool have_prev = false;
        ImVec2 prev;
        while (i < s.t_s.size()) {
            const int column = static_cast<int>(X(s.t_s[i]));
            double lo = s.v[i], hi = s.v[i], first = s.v[i], last = s.v[i];
            std::size_t j = i + 1;
            while (j < s.t_s.size() && static_cast<int>(X(s.t_s[j])) == column) {
                lo = std::min(lo, s.v[j]);
                hi = std::max(hi, s.v[j]);
                last = s.v[j];
                ++j;
            }
            const float cx = static_cast<float>(column);
            // The variant's lines are dashed.
            if (have_prev) {
                if (variant) {
                    dashed_line(dl, prev, ImVec2(cx, Y(first)), col, 4, thick);
                } else {
                    dl->AddLine(prev, ImVec2(cx, Y(first)), col, thick);
                }
            }
            if (hi > lo) {
                if (variant) {
                    dashed_line(dl, ImVec2(cx, Y(lo)), ImVec2(cx, Y(hi)), col, 4, thick);
                } else {
                    dl->AddLine(ImVec2(cx, Y(lo)), ImVec2(cx, Y(hi)), col, thick);
                }
            }
            if (s.t_s.size() == 1) dl->AddCircleFilled(ImVec2(cx, Y(first)), 2.5f, col);
            prev = ImVec2(cx, Y(last));
            have_prev = true;
            i = j;
        }
    }
    dl->PopClipRect();
    // Now.
    dl->AddLine(ImVec2(X(style.now_s), pmin.y), ImVec2(X(style.now_s), pmax.y),
                IM_COL32(60, 60, 60, 255), 1.0f);

    if (style.marker_labels) {
        float last_end = -1e9f;
        int row = 0;
        for (const auto& m : markers) {
            const float mx = X(m.t_s);
            const ImVec2 sz = ImGui::CalcTextSize(m.label.c_str());
            row = mx < last_end ? row + 1 : 0;
            if (row > 2) continue;
            const ImVec2 p(std::min(mx + 3, pmax.x - sz.x), pmin.y + 2 + row * (sz.y + 1));
            dl->AddRectFilled(p, ImVec2(p.x + sz.x + 4, p.y + sz.y), IM_COL32(255, 255, 255, 230));
            dl->AddText(ImVec2(p.x + 2, p.y), marker_colour(m.kind), m.label.c_str());
            last_end = std::max(last_end, p.x + sz.x + 6);
        }
    }

    if (hover_t >= 0 && hover_t <= style.horizon_s) {
        const float hx = X(hover_t);
        dl->AddLine(ImVec2(hx, pmin.y), ImVec2(hx, pmax.y), IM_COL32(0, 0, 0, 120), 1.0f);
        std::string text = clock_text(hover_t);
        for (const auto& s : chart.series) {
            const double v = value_at(s, hover_t);
            if (!std::isnan(v)) text += fmt::format("  {} {}", s.name, value_text(v, chart.unit));
        }
        const ImVec2 sz = ImGui::CalcTextSize(text.c_str());
        const float tx = std::min(hx + 6, pmax.x - sz.x - 4);
        dl->AddRectFilled(ImVec2(tx - 2, pmax.y - sz.y - 4), ImVec2(tx + sz.x + 2, pmax.y - 2),
                          IM_COL32(255, 255, 225, 240));
        dl->AddText(ImVec2(tx, pmax.y - sz.y - 3), IM_COL32(0, 0, 0, 255), text.c_str());
    }

    const ImVec2 mouse = ImGui::GetIO().MousePos;
    if (mouse.x >= pmin.x && mouse.x <= pmax.x && mouse.y >= min.y && mouse.y <= max.y)
        return (mouse.x - pmin.x) / w * style.horizon_s;
    return -1;
}

}  // namespace stratus::viz
