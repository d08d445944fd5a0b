#include "viz/region_view.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "viz/chart.hpp"
#include "viz/palette.hpp"

namespace stratus::viz {
namespace {

using view::TileState;

ImU32 with_alpha(ImU32 c, float a) {
    const auto alpha = static_cast<ImU32>(((c >> IM_COL32_A_SHIFT) & 0xFF) * a);
    return (c & ~IM_COL32_A_MASK) | (alpha << IM_COL32_A_SHIFT);
}

}  // namespace

ImU32 state_colour(TileState s) {
    switch (s) {
        case TileState::Pending:
            return IM_COL32(70, 140, 230, 255);  // blue
        case TileState::InService:
            return IM_COL32(30, 160, 70, 255);  // green
        case TileState::Initial:
            return IM_COL32(120, 190, 90, 255);  // light green
        case TileState::Unhealthy:
            return IM_COL32(215, 40, 40, 255);  // red
        case TileState::Draining:
            return IM_COL32(235, 140, 20, 255);  // orange
        case TileState::Terminating:
            return IM_COL32(190, 110, 30, 255);
        case TileState::Stopped:
            return IM_COL32(90, 90, 90, 255);  // dark grey
        case TileState::Terminated:
            return IM_COL32(170, 170, 170, 255);
        case TileState::Unused:
            return IM_COL32(140, 140, 140, 255);  // grey, as the console writes "Unused"
    }
    return kInk;
}

// Shapes: InService a filled square, Initial a square with a hollow centre, Pending a hollow
// circle, Unhealthy a filled triangle with "!", Draining a diamond, Terminating a hollow
// diamond, Stopped a square with a cross, Terminated a hollow square with a cross, Unused a
// hollow grey square with a bar.
void draw_state_shape(ImDrawList* dl, TileState s, ImVec2 c, float r, float alpha) {
    const ImU32 col = with_alpha(state_colour(s), alpha);
    const ImVec2 a(c.x - r, c.y - r), b(c.x + r, c.y + r);
    switch (s) {
        case TileState::InService:
            dl->AddRectFilled(a, b, col, 3);
            break;
        case TileState::Initial:
            dl->AddRectFilled(a, b, col, 3);
            dl->AddRectFilled(ImVec2(c.x - r / 2, c.y - r / 2), ImVec2(c.x + r / 2, c.y + r / 2),
                              IM_COL32(255, 255, 255, 255), 2);
            break;
        case TileState::Pending:
            dl->AddCircle(c, r, col, 20, 3);
            dl->AddLine(c, ImVec2(c.x, c.y - r * 0.6f), col, 2);
            dl->AddLine(c, ImVec2(c.x + r * 0.5f, c.y), col, 2);
            break;
        case TileState::Unhealthy:
            dl->AddTriangleFilled(ImVec2(c.x, c.y - r), ImVec2(c.x + r, c.y + r),
                                  ImVec2(c.x - r, c.y + r), col);
            dl->AddLine(ImVec2(c.x, c.y - r * 0.4f), ImVec2(c.x, c.y + r * 0.4f),
                        IM_COL32(255, 255, 255, 255), 2.5f);
            dl->AddCircleFilled(ImVec2(c.x, c.y + r * 0.7f), 1.6f, IM_COL32(255, 255, 255, 255));
            break;
        case TileState::Draining:
            dl->AddQuadFilled(ImVec2(c.x, c.y - r), ImVec2(c.x + r, c.y), ImVec2(c.x, c.y + r),
                              ImVec2(c.x - r, c.y), col);
            break;
        case TileState::Terminating:
            dl->AddQuad(ImVec2(c.x, c.y - r), ImVec2(c.x + r, c.y), ImVec2(c.x, c.y + r),
                        ImVec2(c.x - r, c.y), col, 3);
            break;
        case TileState::Stopped:
            dl->AddRectFilled(a, b, col, 3);
            dl->AddLine(ImVec2(a.x + 3, a.y + 3), ImVec2(b.x - 3, b.y - 3),
                        IM_COL32(255, 255, 255, 255), 2.5f);
            dl->AddLine(ImVec2(b.x - 3, a.y + 3), ImVec2(a.x + 3, b.y - 3),
                        IM_COL32(255, 255, 255, 255), 2.5f);
            break;
        case TileState::Terminated:
            dl->AddRect(a, b, col, 3, 0, 2);
            dl->AddLine(a, b, col, 2);
            dl->AddLine(ImVec2(b.x, a.y), ImVec2(a.x, b.y), col, 2);
            break;
        case TileState::Unused:
            // A hollow grey square with a bar: running, but no traffic is sent to it.
            dl->AddRect(a, b, col, 3, 0, 2.5f);
            dl->AddLine(ImVec2(a.x + r * 0.5f, c.y), ImVec2(b.x - r * 0.5f, c.y), col, 2.5f);
            break;
    }
}

namespace {

using view::InstanceTile;
using view::RegionView;
using view::ZoneView;

// What every part of the region's drawing writes with: one draw list, one font and size, the
// caller's style (tile size, the inspected instance, the language).
struct Pen {
    ImDrawList* dl;
    ImFont* font;
    float fs;
    const RegionStyle& st;
    // Where the texts drawn with text() must stay, and the group they must not overlap in
    // (the layout test): the region, an AZ's column, a tile.
    std::string group = "region";
    ImVec2 bmin{}, bmax{};
    // The region's task tiles, measured once (task_labels): the widest id and the widest
    // "service #n" at `fs`, and whether they are one service's, so that every task's name is
    // written in the same form and size.
    float widest_task_id = 0, widest_task_label = 0;
    bool one_task_service = true;
    // Fargate tasks serve, not instances (RegionView::tasks_serve): the texts say tasks.
    bool tasks = false;
};

// "#<n>" of a task id "<service>-task-<n>".
std::string task_number(const InstanceTile& t) {
    const auto dash = t.id.rfind('-');
    return "#" + t.id.substr(dash == std::string::npos ? 0 : dash + 1);
}

void task_labels(Pen& p, const RegionView& region) {
    const std::string* first_group = nullptr;
    for (const InstanceTile& t : region.tiles) {
        if (!t.task) continue;
        const std::string label = t.group + " " + task_number(t);
        p.widest_task_id =
            std::max(p.widest_task_id, p.font->CalcTextSizeA(p.fs, FLT_MAX, 0, t.id.c_str()).x);
        p.widest_task_label =
            std::max(p.widest_task_label, p.font->CalcTextSizeA(p.fs, FLT_MAX, 0, label.c_str()).x);
        if (!first_group) first_group = &t.group;
        if (*first_group != t.group) p.one_task_service = false;
    }
}

// A text in `size` pixels (the pen's by default), recorded in the pen's group and bounds.
void text(const Pen& p, ImVec2 at, ImU32 col, const std::string& t, float size = 0) {
    if (size <= 0) size = p.fs;
    p.dl->AddText(p.font, size, at, col, t.c_str());
    if (!p.st.layout) return;
    const ImVec2 sz = p.font->CalcTextSizeA(size, FLT_MAX, 0, t.c_str());
    p.st.layout->add(p.group, t, at, ImVec2(at.x + sz.x, at.y + sz.y), p.bmin, p.bmax);
}

// Records a text drawn at `at` in `size` pixels for the layout test: it must lie in
// [bmin, bmax] and overlap nothing else of `group`.
void note_text(const Pen& p, const std::string& group, const std::string& text, ImVec2 at,
               float size, ImVec2 bmin, ImVec2 bmax) {
    if (!p.st.layout) return;
    const ImVec2 sz = p.font->CalcTextSizeA(size, FLT_MAX, 0, text.c_str());
    p.st.layout->add(group, text, at, ImVec2(at.x + sz.x, at.y + sz.y), bmin, bmax);
}

std::string zone_group(const ZoneView& z) {
    return "zone " + z.name;
}

// Where the AZ columns and the database row go: the columns share the width, the database row
// (when there is a database) takes the bottom.
struct Columns {
    ImVec2 min, max;
    std::size_t count;  // at least 1, so that an empty region still divides
    float gap, top, db_h, col_w;
    float wait_h = 0;  // the row of tasks waiting for a container instance, above the databases
};

// The region: a solid border, its name at the top left, what its instances take at the right.
void draw_region_header(const Pen& p, const RegionView& region, ImVec2 min, ImVec2 max) {
    p.dl->AddRectFilled(min, max, IM_COL32(250, 251, 253, 255));
    p.dl->AddRect(min, max, IM_COL32(0, 110, 180, 255), 0, 0, 2);
    const std::string name = fmt::format("{} {}", ui(p.st.lang, "Region"), region.region);
    p.dl->AddText(p.font, p.fs * 1.1f, ImVec2(min.x + 8, min.y + 4), IM_COL32(0, 110, 180, 255),
                  name.c_str());
    note_text(p, "region", name, ImVec2(min.x + 8, min.y + 4), p.fs * 1.1f, min, max);
    if (region.requests_per_s > 0) {
        const std::string t = fmt::format(
            fmt::runtime(ui(p.st.lang, region.tasks_serve ? "tasks take {:.0f} req/s"
                                                          : "instances take {:.0f} req/s")),
            region.requests_per_s);
        const ImVec2 sz = ImGui::CalcTextSize(t.c_str());
        const ImVec2 at(max.x - sz.x * 1.1f - 10, min.y + 4);
        p.dl->AddText(p.font, p.fs * 1.1f, at, kInk, t.c_str());
        note_text(p, "region", t, at, p.fs * 1.1f, min, max);
    }
}

// One AZ's frame: hatched red when the AZ has no power, a dashed border, its name. Returns the
// y below the header, where the column's contents start.
float draw_zone_frame(const Pen& p, const ZoneView& z, ImVec2 zmin, ImVec2 zmax, float col_w) {
    if (!z.available) {
        p.dl->AddRectFilled(zmin, zmax, IM_COL32(255, 228, 228, 255));
        // Hatching: the AZ has no power.
        for (float d = 0; d < (zmax.x - zmin.x) + (zmax.y - zmin.y); d += 22) {
            ImVec2 p1(zmin.x + d, zmin.y), p2(zmin.x, zmin.y + d);
            p.dl->PushClipRect(zmin, zmax, true);
            p.dl->AddLine(p1, p2, IM_COL32(240, 190, 190, 255), 2);
            p.dl->PopClipRect();
        }
    }
    const ImU32 border = z.available ? IM_COL32(0, 120, 200, 255) : IM_COL32(210, 30, 30, 255);
    dashed_rect(p.dl, zmin, zmax, border, 8, 2.5f);
    float y = zmin.y + 6;
    // The AZ's name: in full when it fits the column, else the name alone (large fonts).
    std::string header = fmt::format("{} {}", ui(p.st.lang, "Availability Zone"), z.name);
    if (p.font->CalcTextSizeA(p.fs * 1.15f, FLT_MAX, 0, header.c_str()).x > col_w - 20)
        header = z.name;
    p.dl->PushClipRect(zmin, zmax, true);
    p.dl->AddText(p.font, p.fs * 1.15f, ImVec2(zmin.x + 10, y), border, header.c_str());
    p.dl->PopClipRect();
    note_text(p, zone_group(z), header, ImVec2(zmin.x + 10, y), p.fs * 1.15f, zmin, zmax);
    y += p.fs * 1.3f;
    if (!z.available) {
        const char* outage = ui(p.st.lang, "POWER OUTAGE");
        p.dl->AddText(p.font, p.fs * 1.15f, ImVec2(zmin.x + 10, y), IM_COL32(200, 20, 20, 255),
                      outage);
        note_text(p, zone_group(z), outage, ImVec2(zmin.x + 10, y), p.fs * 1.15f, zmin, zmax);
        y += p.fs * 1.3f;
    }
    return y;
}

// Load balancer nodes: a circle, green when up, red with a cross when down. Returns the y below.
float draw_lb_nodes(const Pen& p, const ZoneView& z, float x, float y) {
    for (const auto& node : z.lb_nodes) {
        const ImVec2 c(x + 22, y + p.fs * 0.6f);
        const ImU32 col = node.up ? IM_COL32(140, 80, 200, 255) : IM_COL32(210, 30, 30, 255);
        p.dl->AddCircleFilled(c, p.fs * 0.6f, col);
        if (!node.up) {
            p.dl->AddLine(ImVec2(c.x - 6, c.y - 6), ImVec2(c.x + 6, c.y + 6),
                          IM_COL32(255, 255, 255, 255), 2.5f);
            p.dl->AddLine(ImVec2(c.x + 6, c.y - 6), ImVec2(c.x - 6, c.y + 6),
                          IM_COL32(255, 255, 255, 255), 2.5f);
        }
        text(p, ImVec2(c.x + p.fs, y), kInk,
             fmt::format(fmt::runtime(ui(p.st.lang, node.up ? "{} node up" : "{} node DOWN")),
                         node.load_balancer));
        y += p.fs * 1.35f;
    }
    return y;
}

// Traffic into the AZ: an arrow whose width follows the rate (relative to the busiest AZ, so
// that the columns compare at a glance). Returns the y below.
float draw_traffic_arrow(const Pen& p, const ZoneView& z, float x, float y, double max_rate) {
    const float fs = p.fs;
    const float thick = 2.0f + 10.0f * static_cast<float>(z.requests_per_s / max_rate);
    const float ax = x + 22;
    const ImU32 col =
        z.requests_per_s > 0.5 ? IM_COL32(40, 110, 210, 255) : IM_COL32(180, 180, 180, 255);
    if (z.requests_per_s > 0.5) {
        p.dl->AddLine(ImVec2(ax, y), ImVec2(ax, y + fs * 1.2f), col, thick);
        p.dl->AddTriangleFilled(ImVec2(ax - thick / 2 - 5, y + fs * 1.2f),
                                ImVec2(ax + thick / 2 + 5, y + fs * 1.2f),
                                ImVec2(ax, y + fs * 1.7f), col);
    }
    text(p, ImVec2(ax + 18, y + fs * 0.3f), col,
         fmt::format(fmt::runtime(ui(p.st.lang, p.tasks ? "{:.0f} req/s to its tasks"
                                                        : "{:.0f} req/s to its instances")),
                     z.requests_per_s));
    return y + fs * 2.0f;
}

// The Auto Scaling counts of the AZ: one line, or two in a narrow column. Returns the y below.
float draw_zone_counts(const Pen& p, const ZoneView& z, float x, float y, float col_w) {
    const Lang lang = p.st.lang;
    // Tasks: RUNNING ones (ECS's runningCount), with those whose target is unhealthy among
    // them, as the Tasks and Target health charts count them.
    const int bad = p.tasks ? z.running_unhealthy : z.unhealthy;
    const std::string counts = fmt::format(
        fmt::runtime(ui(lang, p.tasks ? "{} running ({} unhealthy)  {} pending  {} leaving"
                                      : "{} in service  {} pending  {} unhealthy  {} leaving")),
        z.in_service, bad, z.pending, z.draining);
    if (ImGui::CalcTextSize(counts.c_str()).x <= col_w - 20) {
        text(p, ImVec2(x + 10, y), kGrey, counts);
        return y + p.fs * 1.4f;
    }
    const std::string first =
        p.tasks
            ? fmt::format(fmt::runtime(ui(lang, "{} running ({} unhealthy)")), z.in_service, bad)
            : fmt::format(fmt::runtime(ui(lang, "{} in service  {} pending")), z.in_service,
                          z.pending);
    text(p, ImVec2(x + 10, y), kGrey, first);
    y += p.fs * 1.2f;
    text(p, ImVec2(x + 10, y), kGrey,
         p.tasks
             ? fmt::format(fmt::runtime(ui(lang, "{} pending  {} leaving")), z.pending, z.draining)
             : fmt::format(fmt::runtime(ui(lang, "{} unhealthy  {} leaving")), z.unhealthy,
                           z.draining));
    return y + p.fs * 1.4f;
}

void tile_tooltip(const InstanceTile& t, Lang lang);

// Compact tiles, for when hundreds of instances do not fit as full tiles: the state's shape
// and the Spot corner only, in square cells sized so that all of them fit the space left.
// Returns the fleet index of a clicked tile, or -1.
int draw_compact_tiles(const Pen& p, const RegionView& region, const ZoneView& z, ImVec2 zmin,
                       ImVec2 zmax, float y, float col_w) {
    int clicked = -1;
    // A container instance's tasks follow it.
    std::vector<std::size_t> order;
    for (std::size_t ti : z.tiles) {
        order.push_back(ti);
        order.insert(order.end(), region.tiles[ti].hosted.begin(), region.tiles[ti].hosted.end());
    }
    const float avail_h = zmax.y - 2 - y;
    const float area = (col_w - 16) * avail_h;
    float cell = std::floor(std::sqrt(area / static_cast<float>(order.size())));
    cell = std::clamp(cell, 8.0f, 40.0f);
    const int cols = std::max(1, static_cast<int>((col_w - 16) / cell));
    int k = 0;
    for (std::size_t ti : order) {
        const auto& t = region.tiles[ti];
        const ImVec2 c(zmin.x + 8 + (k % cols) * cell + cell / 2, y + (k / cols) * cell + cell / 2);
        ++k;
        if (c.y + cell / 2 > zmax.y - 2) continue;
        const float a = static_cast<float>(std::max(0.25, t.fade));
        draw_state_shape(p.dl, t.state, c, cell * 0.38f, a);
        if (t.spot)
            p.dl->AddTriangleFilled(
                ImVec2(c.x + cell * 0.15f, c.y - cell / 2), ImVec2(c.x + cell / 2, c.y - cell / 2),
                ImVec2(c.x + cell / 2, c.y - cell * 0.15f), IM_COL32(150, 60, 190, 255));
        if (!t.standalone && !t.task && static_cast<int>(t.index) == p.st.selected)
            p.dl->AddRect(ImVec2(c.x - cell / 2, c.y - cell / 2),
                          ImVec2(c.x + cell / 2, c.y + cell / 2), kInk, 2, 0, 2);
        const ImVec2 half(cell / 2, cell / 2);
        if (ImGui::IsMouseHoveringRect(ImVec2(c.x - half.x, c.y - half.y),
                                       ImVec2(c.x + half.x, c.y + half.y))) {
            tile_tooltip(t, p.st.lang);
            if (!t.standalone && !t.task && ImGui::IsMouseClicked(0))
                clicked = static_cast<int>(t.index);
        }
    }
    return clicked;
}

// The first of `candidates` that fits `width` at `size` pixels (the last when none does).
std::string fitting(const Pen& p, std::initializer_list<std::string> candidates, float size,
                    float width) {
    for (const auto& c : candidates)
        if (p.font->CalcTextSizeA(size, FLT_MAX, 0, c.c_str()).x <= width) return c;
    return *(candidates.end() - 1);
}

// `t` when it fits `width` at `size` pixels, else `t` cut (at a UTF-8 character) with "..."
// after it.
std::string fit_or_cut(const Pen& p, const std::string& t, float size, float width) {
    auto fits = [&](const std::string& s) {
        return p.font->CalcTextSizeA(size, FLT_MAX, 0, s.c_str()).x <= width;
    };
    if (fits(t)) return t;
    std::string cut = t;
    while (!cut.empty() && !fits(cut + "...")) {
        cut.pop_back();
        while (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0x80)
            cut.pop_back();  // a continuation byte: the rest of the character goes too
        if (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0xC0)
            cut.pop_back();  // its lead byte
    }
    return cut + "...";
}

// A tile's bottom line in `width`: "InService (initial)" as "Initial" when it does not fit; a
// long word (a task's PROVISIONING) in a smaller size, down to 70 % of the font; cut when even
// that is too wide. Returns the text and its size.
std::pair<std::string, float> bottom_fit(const Pen& p, const InstanceTile& t, std::string text,
                                         float width) {
    float size = p.fs * 0.85f;
    auto w = [&](const std::string& s) {
        return p.font->CalcTextSizeA(size, FLT_MAX, 0, s.c_str()).x;
    };
    if (w(text) > width && t.state == TileState::Initial && !t.task)
        text = ui(p.st.lang, "Initial");
    if (w(text) > width) size = std::max(p.fs * 0.7f, 0.98f * size * width / w(text));
    return {fit_or_cut(p, text, size, width), size};
}

// A tile's name line and its size: the instance's id; for a task, one form for all the
// region's tasks, the first their widest fits: its id ("blue-task-1"), else its service and
// number ("blue #1"), else its number alone ("#1") when the region shows one service's tasks
// only, else the service and number in the size the widest of them fits (down to 70 % of the
// font), the service's name cut before the number when even that is too wide ("gre... #1"):
// two services' tasks never share a label (lab 31's blue and green services each have a task
// 1), and "green #1" is not written smaller than "blue #1".
std::pair<std::string, float> tile_name(const Pen& p, const InstanceTile& t, float width) {
    if (!t.task) return {t.id, p.fs};
    const std::string number = task_number(t);
    const std::string service_number = t.group + " " + number;
    if (p.widest_task_id <= width) return {t.id, p.fs};
    if (p.widest_task_label <= width) return {service_number, p.fs};
    if (p.one_task_service) return {number, p.fs};
    const float size =
        std::max(p.fs * 0.7f, 0.98f * p.fs * width / std::max(1.0f, p.widest_task_label));
    if (p.font->CalcTextSizeA(size, FLT_MAX, 0, service_number.c_str()).x <= width)
        return {service_number, size};
    const float number_w = p.font->CalcTextSizeA(size, FLT_MAX, 0, (" " + number).c_str()).x;
    return {fit_or_cut(p, t.group, size, std::max(0.0f, width - number_w)) + " " + number, size};
}

// A task's badge: its market, and the family of its task definition when that is not the
// service's name (the name line has the service's), so that a rolling update's old and new
// tasks differ ("Fargate api-v2"); a family too wide for the tile keeps its end
// ("...shop-api-v2" cut as "...api-v2"), where revisions' names differ.
std::string task_badge(const Pen& p, const InstanceTile& t, const std::string& market,
                       float width) {
    const std::string& family = t.task_definition;
    if (family.empty() || family == t.group) return market;
    const float size = p.fs * 0.85f;
    auto fits = [&](const std::string& s) {
        return p.font->CalcTextSizeA(size, FLT_MAX, 0, s.c_str()).x <= width;
    };
    if (fits(market + " " + family)) return market + " " + family;
    for (std::size_t cut = 0; cut < family.size(); ++cut) {
        if ((static_cast<unsigned char>(family[cut]) & 0xC0) == 0x80) continue;  // UTF-8
        const std::string s = cut == 0 ? family : "..." + family.substr(cut);
        if (fits(s)) return s;
    }
    return market;
}

// The badge under the name: the market (Spot, OD; Fargate, Spot or EC2 for a task), a standalone
// instance's type; with several groups, the group's name after it when it fits; for a task, its
// task definition's family when it is not the service's name (task_badge).
std::string tile_badge(const Pen& p, const RegionView& region, const InstanceTile& t, float width) {
    if (t.standalone) return t.instance_type;
    // A task inside its container instance: what the load balancer sends it (its host says
    // EC2 already).
    if (t.task && t.host >= 0 && t.requests_per_s >= 0)
        return fmt::format(fmt::runtime(ui(p.st.lang, "{:.0f} req/s")), t.requests_per_s);
    const std::string market = t.task ? (t.on_ec2 || t.waiting_for_instance ? "EC2"
                                         : t.spot                           ? "Spot"
                                                                            : "Fargate")
                                      : (t.spot ? "Spot" : "OD");
    if (t.task) return task_badge(p, t, market, width);
    if (region.groups.size() <= 1) return market;
    return fitting(p, {market + " " + t.group, market}, p.fs * 0.85f, width);
}

// The bottom line: the countdown of a Spot notice; a task's lastStatus; a standalone
// instance's EC2 state; else the state, or the requests held while in service.
std::pair<std::string, ImU32> tile_bottom(const InstanceTile& t, Lang lang, float alpha) {
    if (t.notice_left_s >= 0)
        return {fmt::format("notice {:.0f}s", t.notice_left_s), IM_COL32(200, 60, 0, 255)};
    const ImU32 col = with_alpha(state_colour(t.state), alpha);
    if (t.task) return {t.task_status, col};
    if (t.standalone) return {ui(lang, t.ec2_state.c_str()), col};
    if (t.state == TileState::InService && t.outstanding > 0)
        return {fmt::format(fmt::runtime(ui(lang, "busy {}")), t.outstanding), col};
    return {ui(lang, to_string(t.state)), col};
}

// "requests/s from the load balancer: 10" (empty when not sampled).
std::string rate_line(const InstanceTile& t, Lang lang) {
    if (t.requests_per_s < 0) return "";
    return fmt::format("{} {:.1f}", ui(lang, "requests/s from the load balancer:"),
                       t.requests_per_s);
}

void tile_tooltip(const InstanceTile& t, Lang lang) {
    if (t.standalone) {
        ImGui::SetTooltip("%s  %s  On-Demand\n%s\n%s", t.id.c_str(), t.instance_type.c_str(),
                          ui(lang, t.ec2_state.c_str()),
                          ui(lang, "standalone instance (no Auto Scaling group)"));
    } else if (t.task) {
        // The task's lastStatus, and why it stopped (ECS's stoppedReason) once it is stopping.
        const std::string reason =
            t.waiting_for_instance && t.stopped_reason.empty()
                ? fmt::format("\n{}", ui(lang, "waiting for a container instance with room for it"))
            : t.stopped_reason.empty()
                ? ""
                : fmt::format("\n{} {}", ui(lang, "stopped reason:"), t.stopped_reason);
        // Its healthStatus, when its containers have health checks.
        const std::string task_health =
            t.task_health.empty()
                ? ""
                : fmt::format("\n{} {}", ui(lang, "health status:"), t.task_health);
        ImGui::SetTooltip("%s  %s  %s  %s  %s%s\n%s\n%s %s\n%s %d\n%s%s", t.id.c_str(),
                          t.on_ec2 || t.waiting_for_instance ? "EC2"
                          : t.spot                           ? "FARGATE_SPOT"
                                                             : "FARGATE",
                          t.instance_type.c_str(), t.group.c_str(), t.task_definition.c_str(),
                          t.task_status.c_str(), task_health.c_str(), ui(lang, "target health:"),
                          t.target_health.empty() ? "-" : t.target_health.c_str(),
                          ui(lang, "requests held:"), t.outstanding, rate_line(t, lang).c_str(),
                          reason.c_str());
    } else {
        const std::string ecs =
            t.container_instance
                ? fmt::format(fmt::runtime(ui(lang,
                                              "\ncontainer instance ({}): {} tasks, CPU {} of {} "
                                              "units, memory {} of {} MiB reserved")),
                              t.container_status, t.hosted.size(), t.cpu_reserved, t.cpu_registered,
                              t.memory_reserved, t.memory_registered)
                : "";
        ImGui::SetTooltip(
            "%s  %s  %s  %s\n%s\n%s %s\n%s %d\n%s%s", t.id.c_str(), t.instance_type.c_str(),
            t.spot ? "Spot" : "On-Demand", t.group.c_str(), ui(lang, to_string(t.state)),
            ui(lang, "target health:"), t.target_health.empty() ? "-" : t.target_health.c_str(),
            ui(lang, "requests held:"), t.outstanding, rate_line(t, lang).c_str(), ecs.c_str());
    }
}

// One full tile in [tmin, tmax]: the state's shape and colour, the name, the badge, the
// bottom line, the tooltip. Returns its fleet index when clicked (an Auto Scaling instance),
// else -1.
int draw_full_tile(const Pen& zone_pen, const RegionView& region, const InstanceTile& t,
                   ImVec2 tmin, ImVec2 tmax) {
    if (zone_pen.st.layout)
        zone_pen.st.layout->add(zone_pen.group, "tile " + t.id, tmin, tmax, zone_pen.bmin,
                                zone_pen.bmax);
    Pen p = zone_pen;  // the tile's texts stay inside the tile
    p.group = "tile " + t.id;
    p.bmin = tmin;
    p.bmax = tmax;
    const RegionStyle& st = p.st;
    const float fs = p.fs;
    const float a = static_cast<float>(std::max(0.25, t.fade));
    const bool inspectable = !t.standalone && !t.task;
    p.dl->AddRectFilled(tmin, tmax, with_alpha(IM_COL32(255, 255, 255, 255), a), 4);
    const bool selected = inspectable && static_cast<int>(t.index) == st.selected;
    p.dl->AddRect(tmin, tmax,
                  selected ? IM_COL32(0, 0, 0, 255) : with_alpha(state_colour(t.state), a), 4, 0,
                  selected ? 3.0f : 2.0f);
    const float r = st.tile_h * 0.17f;
    draw_state_shape(p.dl, t.state, ImVec2(tmin.x + r + 6, tmin.y + r + 6), r, a);
    const float text_x = tmin.x + 2 * r + 12, text_w = tmax.x - 3 - text_x;
    const auto [name, name_size] = tile_name(p, t, text_w);
    text(p, ImVec2(text_x, tmin.y + 3), with_alpha(kInk, a), name, name_size);
    const ImU32 mcol = t.spot ? IM_COL32(150, 60, 190, 255) : IM_COL32(90, 90, 90, 255);
    text(p, ImVec2(text_x, tmin.y + fs + 4), with_alpha(mcol, a), tile_badge(p, region, t, text_w),
         fs * 0.85f);
    if (t.spot) {
        p.dl->AddTriangleFilled(ImVec2(tmax.x - 14, tmin.y), ImVec2(tmax.x, tmin.y),
                                ImVec2(tmax.x, tmin.y + 14), with_alpha(mcol, a));
    }
    const auto [bottom, bcol] = tile_bottom(t, st.lang, a);
    const auto [line, size] = bottom_fit(p, t, bottom, tmax.x - 3 - (tmin.x + 5));
    text(p, ImVec2(tmin.x + 5, tmax.y - size - 3), bcol, line, size);
    if (ImGui::IsMouseHoveringRect(tmin, tmax)) {
        tile_tooltip(t, st.lang);
        if (inspectable && ImGui::IsMouseClicked(0)) return static_cast<int>(t.index);
    }
    return -1;
}

// The cells a tile takes in its AZ's grid: one, or for a container instance one more per task
// it runs (drawn inside it).
int span_of(const InstanceTile& t) {
    return 1 + static_cast<int>(t.hosted.size());
}

// The first grid cell of each of the AZ's tiles, in order: a container instance starts a row
// and the tile after it another, so that its frame is a rectangle.
std::vector<int> first_cells(const RegionView& region, const ZoneView& z, int per_row) {
    std::vector<int> out;
    int k = 0;
    for (std::size_t ti : z.tiles) {
        const int span = span_of(region.tiles[ti]);
        if (span > 1 && k % per_row != 0) k += per_row - k % per_row;
        out.push_back(k);
        k += span;
        if (span > 1 && k % per_row != 0) k += per_row - k % per_row;
    }
    return out;
}

// A container instance with the tasks it runs: a frame in the instance's colour around its
// own tile (the first cell) and its tasks' tiles (the next cells, in launch order), as the
// ECS console lists a container instance's tasks. Returns its fleet index when clicked.
int draw_container_instance(const Pen& zone_pen, const RegionView& region, const InstanceTile& t,
                            const std::vector<ImVec2>& cells) {
    const RegionStyle& st = zone_pen.st;
    ImVec2 fmin(FLT_MAX, FLT_MAX), fmax(-FLT_MAX, -FLT_MAX);
    for (const ImVec2& c : cells) {
        fmin = ImVec2(std::min(fmin.x, c.x - 3), std::min(fmin.y, c.y - 3));
        fmax = ImVec2(std::max(fmax.x, c.x + st.tile_w + 3), std::max(fmax.y, c.y + st.tile_h + 3));
    }
    const float a = static_cast<float>(std::max(0.25, t.fade));
    zone_pen.dl->AddRectFilled(fmin, fmax, with_alpha(IM_COL32(232, 240, 250, 255), a), 6);
    zone_pen.dl->AddRect(fmin, fmax, with_alpha(state_colour(t.state), a), 6, 0, 2.0f);
    if (zone_pen.st.layout)
        zone_pen.st.layout->add(zone_pen.group, "container instance " + t.id, fmin, fmax,
                                zone_pen.bmin, zone_pen.bmax);
    Pen inner = zone_pen;  // its tiles stay in its frame and overlap none of each other
    inner.group = "container instance " + t.id;
    inner.bmin = fmin;
    inner.bmax = fmax;
    int clicked = draw_full_tile(inner, region, t, cells[0],
                                 ImVec2(cells[0].x + st.tile_w, cells[0].y + st.tile_h));
    for (std::size_t k = 0; k < t.hosted.size() && k + 1 < cells.size(); ++k) {
        const ImVec2 tmin = cells[k + 1];
        draw_full_tile(inner, region, region.tiles[t.hosted[k]], tmin,
                       ImVec2(tmin.x + st.tile_w, tmin.y + st.tile_h));
    }
    return clicked;
}

// One AZ's column, top to bottom: frame and name, load balancer nodes, traffic, counts, then
// the tiles in launch order, wrapping. Returns the fleet index of a clicked tile, or -1.
int draw_zone(const Pen& p, const RegionView& region, std::size_t zi, const Columns& cols,
              double max_rate) {
    const auto& z = region.zones[zi];
    const RegionStyle& st = p.st;
    const float col_w = cols.col_w;
    const ImVec2 zmin(cols.min.x + cols.gap + zi * (col_w + cols.gap), cols.top);
    const ImVec2 zmax(zmin.x + col_w, cols.max.y - cols.gap - cols.db_h - cols.wait_h);
    Pen zp = p;  // what the column draws stays in it
    zp.group = zone_group(z);
    zp.bmin = zmin;
    zp.bmax = zmax;
    float y = draw_zone_frame(zp, z, zmin, zmax, col_w);
    y = draw_lb_nodes(zp, z, zmin.x, y);
    y = draw_traffic_arrow(zp, z, zmin.x, y, max_rate);
    y = draw_zone_counts(zp, z, zmin.x, y, col_w);

    // When the full tiles do not all fit (hundreds of instances), compact ones.
    const int per_row = std::max(1, static_cast<int>((col_w - 12) / (st.tile_w + 6)));
    const float avail_h = zmax.y - 2 - y;
    const int rows_fit = std::max(1, static_cast<int>((avail_h + 6) / (st.tile_h + 6)));
    const std::vector<int> cell = first_cells(region, z, per_row);
    if (z.tiles.empty() ||
        (cell.back() + span_of(region.tiles[z.tiles.back()]) + per_row - 1) / per_row > rows_fit)
        return draw_compact_tiles(zp, region, z, zmin, zmax, y, col_w);
    int clicked = -1;
    auto cell_min = [&](int k) {
        return ImVec2(zmin.x + 8 + (k % per_row) * (st.tile_w + 6),
                      y + (k / per_row) * (st.tile_h + 6));
    };
    for (std::size_t n = 0; n < z.tiles.size(); ++n) {
        const InstanceTile& t = region.tiles[z.tiles[n]];
        const ImVec2 tmin = cell_min(cell[n]);
        const ImVec2 tmax(tmin.x + st.tile_w, tmin.y + st.tile_h);
        if (tmax.y > zmax.y - 2) continue;  // more than fit: the counts say how many
        int c = -1;
        if (t.hosted.empty()) {
            c = draw_full_tile(zp, region, t, tmin, tmax);
        } else {
            std::vector<ImVec2> cells;
            for (int k = cell[n]; k < cell[n] + span_of(t); ++k)
                cells.push_back(cell_min(k));
            c = draw_container_instance(zp, region, t, cells);
        }
        if (c >= 0) clicked = c;
    }
    return clicked;
}

// One database box under its AZ column: the primary (red when not available) or the standby.
void draw_database_box(const Pen& p, const view::DbView& db, const Columns& cols, int zone,
                       bool primary) {
    if (zone < 0 || zone >= static_cast<int>(cols.count)) return;
    const float y = cols.max.y - cols.gap - cols.db_h + 6;
    const ImVec2 bmin(cols.min.x + cols.gap + zone * (cols.col_w + cols.gap) + 8, y);
    const ImVec2 bmax(bmin.x + cols.col_w - 16, y + cols.db_h - 10);
    const bool ok = db.state == "available";
    const ImU32 col = primary ? (ok ? IM_COL32(40, 90, 200, 255) : IM_COL32(210, 30, 30, 255))
                              : IM_COL32(120, 140, 190, 255);
    p.dl->AddRectFilled(bmin, bmax,
                        primary ? IM_COL32(230, 238, 255, 255) : IM_COL32(245, 245, 250, 255), 6);
    p.dl->AddRect(bmin, bmax, col, 6, 0, 2);
    const std::string t =
        primary ? fmt::format(fmt::runtime(ui(p.st.lang, "RDS {} primary ({})")), db.identifier,
                              ui(p.st.lang, db.state.c_str()))
                : fmt::format(fmt::runtime(ui(p.st.lang, "RDS {} standby")), db.identifier);
    Pen bp = p;  // the box's text stays in it
    bp.group = primary ? "database primary" : "database standby";
    bp.bmin = bmin;
    bp.bmax = bmax;
    text(bp, ImVec2(bmin.x + 8, bmin.y + 5), col, t);
}

// The tasks of the EC2 launch type that wait in PROVISIONING for a container instance with
// room: in no AZ yet, so in a row of their own across the columns, in launch order, with
// "+N" for those that do not fit.
void draw_unplaced(const Pen& p, const RegionView& region, const Columns& cols) {
    const RegionStyle& st = p.st;
    const ImVec2 fmin(cols.min.x + cols.gap, cols.max.y - cols.gap - cols.db_h - cols.wait_h + 4);
    const ImVec2 fmax(cols.max.x - cols.gap, fmin.y + cols.wait_h - 6);
    dashed_rect(p.dl, fmin, fmax, IM_COL32(70, 140, 230, 255), 6, 2.0f);
    Pen rp = p;  // what the row draws stays in it
    rp.group = "waiting tasks";
    rp.bmin = fmin;
    rp.bmax = fmax;
    const std::string title =
        fmt::format(fmt::runtime(ui(st.lang, "{} tasks waiting for a container instance")),
                    region.unplaced.size());
    text(rp, ImVec2(fmin.x + 8, fmin.y + 3), IM_COL32(40, 100, 190, 255),
         fit_or_cut(rp, title, rp.fs, fmax.x - fmin.x - 16));
    const float y = fmin.y + p.fs * 1.3f + 4;
    const std::string more_w = "+" + std::to_string(region.unplaced.size());
    const float reserve = p.font->CalcTextSizeA(p.fs, FLT_MAX, 0, more_w.c_str()).x + 12;
    std::size_t k = 0;
    for (; k < region.unplaced.size(); ++k) {
        const float x = fmin.x + 8 + k * (st.tile_w + 6);
        const bool last = k + 1 == region.unplaced.size();
        if (x + st.tile_w + (last ? 0 : reserve) > fmax.x - 4) break;
        draw_full_tile(rp, region, region.tiles[region.unplaced[k]], ImVec2(x, y),
                       ImVec2(x + st.tile_w, y + st.tile_h));
    }
    if (k < region.unplaced.size())
        text(rp, ImVec2(fmin.x + 8 + k * (st.tile_w + 6), y + st.tile_h / 2 - p.fs / 2), kGrey,
             "+" + std::to_string(region.unplaced.size() - k));
}

}  // namespace

int draw_region(const view::RegionView& region, ImVec2 min, ImVec2 max, const RegionStyle& st) {
    Pen p{ImGui::GetWindowDrawList(), ImGui::GetFont(), ImGui::GetFontSize(), st};
    task_labels(p, region);
    p.tasks = region.tasks_serve;
    draw_region_header(p, region, min, max);

    Columns cols{min, max, std::max<std::size_t>(1, region.zones.size()), 12, 0, 0, 0};
    cols.top = min.y + p.fs * 1.6f + 8;
    cols.db_h = region.databases.empty() ? 0 : p.fs * 2.6f;
    if (!region.unplaced.empty()) cols.wait_h = st.tile_h + p.fs * 1.3f + 14;
    cols.col_w = (max.x - min.x - cols.gap * (cols.count + 1)) / cols.count;
    double max_rate = 1;
    for (const auto& z : region.zones)
        max_rate = std::max(max_rate, z.requests_per_s);

    int clicked = -1;
    for (std::size_t zi = 0; zi < region.zones.size(); ++zi) {
        const int c = draw_zone(p, region, zi, cols, max_rate);
        if (c >= 0) clicked = c;
    }
    if (!region.unplaced.empty()) draw_unplaced(p, region, cols);
    // Databases: primary and standby under their AZ columns; one database row (the first).
    if (!region.databases.empty()) {
        const auto& db = region.databases.front();
        draw_database_box(p, db, cols, db.primary_zone, true);
        draw_database_box(p, db, cols, db.standby_zone, false);
    }
    return clicked;
}

float draw_legend(ImVec2 min, float width, Lang lang, LayoutLog* layout) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float fs = ImGui::GetFontSize();
    const float row_h = fs + 6;
    float x = min.x + 6, y = min.y + 4;
    const ImVec2 bound_max(min.x + width, FLT_MAX);
    // Each entry on the row while it fits, else on the next: a large font wraps the legend
    // instead of dropping its last entries.
    auto place = [&](float w, const char* name) {
        if (x > min.x + 6 && x + w > min.x + width) {
            x = min.x + 6;
            y += row_h;
        }
        record(layout, "legend", name, ImVec2(x, y), ImVec2(x + w - 10, y + fs), min, bound_max);
    };
    const TileState states[] = {TileState::Pending,   TileState::Initial,    TileState::InService,
                                TileState::Unhealthy, TileState::Draining,   TileState::Terminating,
                                TileState::Stopped,   TileState::Terminated, TileState::Unused};
    for (TileState s : states) {
        const char* name = ui(lang, s == TileState::Initial ? "Initial" : to_string(s));
        const float w = fs * 1.1f + ImGui::CalcTextSize(name).x + 10;
        place(w, name);
        draw_state_shape(dl, s, ImVec2(x + fs * 0.5f, y + fs * 0.5f), fs * 0.45f, 1.0f);
        dl->AddText(ImVec2(x + fs * 1.1f, y), kInk, name);
        x += w;
    }
    const char* spot = ui(lang, "Spot");
    const float w = fs * 1.1f + ImGui::CalcTextSize(spot).x + 10;
    place(w, spot);
    dl->AddTriangleFilled(ImVec2(x, y), ImVec2(x + fs * 0.8f, y),
                          ImVec2(x + fs * 0.8f, y + fs * 0.8f), IM_COL32(150, 60, 190, 255));
    dl->AddText(ImVec2(x + fs * 1.1f, y), IM_COL32(150, 60, 190, 255), spot);
    return y + row_h - min.y;
}

}  // namespace stratus::viz
