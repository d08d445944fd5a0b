#pragma once
// Charts as inline SVG, drawn here so the report is one self-contained HTML file with no
// script and no network access. A time chart draws series over the run's time axis (long
// series are reduced to their minimum and maximum per pixel column, so a month at 10 s keeps
// its spikes), a threshold, shaded ranges (missed SLO windows) and markers for what happened
// (faults, alarm transitions, scaling activities). A scatter chart draws points with their
// intervals on both axes and a polyline through a subset (the Pareto front).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stratus::html {

// The chart palette (Tableau 10, a common default): one colour per series in order.
const char* palette(std::size_t i);

struct Series {
    std::string name;
    std::string color;
    std::vector<std::pair<double, double>> points;  // (time s, value); NaN value: a gap
    bool steps = false;  // each value holds until the next point (windows, periods)
    bool dashed = false;
};

enum class MarkerKind { Fault, Alarm, Scaling };

struct Marker {
    double t_s = 0;
    MarkerKind kind = MarkerKind::Fault;
    std::string text;  // shown as the marker's tooltip
};

struct TimeChart {
    std::string id;                  // the SVG element's id (tests find charts by it)
    std::string title;               // shown above the plot
    std::string unit;                // of the y axis
    double t0 = 0, t1 = 0;           // the run, seconds from its start
    std::int64_t start_epoch_s = 0;  // for clock-time labels
    std::vector<Series> series;
    std::vector<Marker> markers;
    std::optional<double> threshold;  // a horizontal line (an SLO target)
    std::string threshold_label;
    std::vector<std::pair<double, double>> shaded;  // time ranges shaded red
    bool y_from_zero = true;
};

// The chart as an <svg> element, `width` x `height` pixels.
std::string render_time_chart(const TimeChart& chart, int width = 960, int height = 230);

struct ScatterPoint {
    std::string label;  // tooltip and the number drawn beside it
    double x = 0, y = 0;
    double x_low = 0, x_high = 0, y_low = 0, y_high = 0;  // NaN: no interval
    bool highlighted = false;                             // drawn filled (met the SLO), else hollow
};

struct ScatterChart {
    std::string id, title, x_label, y_label;
    std::vector<ScatterPoint> points;
    std::vector<std::size_t> line;  // indices joined by a line, in order (the front)
    std::optional<double> y_threshold;
    std::string threshold_label;
};

std::string render_scatter_chart(const ScatterChart& chart, int width = 960, int height = 420);

// Text for HTML: & < > " escaped.
std::string escape(const std::string& text);

}  // namespace stratus::html
