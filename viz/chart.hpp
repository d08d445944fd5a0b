#pragma once
// A small time-series chart drawn on an ImDrawList (ImPlot is not in Debian). Every pixel
// column draws the min..max of the points that fall in it, so a one-period spike is never
// lost however long the run; thresholds are dashed lines, markers vertical lines.
#include <imgui.h>

#include "sim/view/view_model.hpp"

namespace stratus::viz {

class LayoutLog;

struct ChartStyle {
    float horizon_s = 3600;  // shared time axis: 0 .. horizon
    float now_s = 0;
    bool marker_labels = false;   // write each marker's label (the first chart only)
    bool time_labels = false;     // times under the axis (the last chart only)
    bool compare = false;         // the second half of the series is the variant's: drawn dashed
    LayoutLog* layout = nullptr;  // records the header and axis labels (--layout), or null
};

// Draws `chart` in [min, max] of the current window's draw list; `hover_t` (seconds, < 0 none)
// draws a cursor and the values there. Returns the time under the mouse, or -1.
float draw_chart(const view::Chart& chart, const std::vector<view::Marker>& markers, ImVec2 min,
                 ImVec2 max, const ChartStyle& style, float hover_t);

// Colours shared by the charts, region view and legend.
ImU32 series_colour(int index);
ImU32 marker_colour(view::MarkerKind kind);
// A dashed line, as AWS diagrams draw AZ boundaries.
void dashed_line(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float dash, float thickness);
void dashed_rect(ImDrawList* dl, ImVec2 min, ImVec2 max, ImU32 col, float dash, float thickness);
std::string clock_text(double seconds);  // "1:05:30" or "5:30"

}  // namespace stratus::viz
