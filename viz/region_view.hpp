#pragma once
// The region drawn as on an AWS architecture diagram: one dashed column per Availability
// Zone, the load balancer's node in each, instance tiles whose colour and shape both tell the
// state (and a corner badge the market), the database primary and standby, the traffic each
// AZ takes. A legend explains the shapes.
#include <imgui.h>

#include "sim/view/view_model.hpp"
#include "viz/layout.hpp"
#include "viz/ui_text.hpp"

namespace stratus::viz {

struct RegionStyle {
    float tile_w = 92, tile_h = 60;
    int selected = -1;  // fleet index of the inspected instance
    Lang lang = Lang::English;
    LayoutLog* layout = nullptr;  // records the zones' texts and tiles (--layout), or null
};

// Draws the region in [min, max]; returns the fleet index of a clicked tile, or -1.
int draw_region(const view::RegionView& region, ImVec2 min, ImVec2 max, const RegionStyle& style);
// The legend: the shapes of the states and the market badges, on as many rows as the width
// needs; returns the height drawn.
float draw_legend(ImVec2 min, float width, Lang lang = Lang::English, LayoutLog* layout = nullptr);
// The colour and shape of a state (also for the inspector).
ImU32 state_colour(view::TileState s);
void draw_state_shape(ImDrawList* dl, view::TileState s, ImVec2 centre, float r, float alpha);

}  // namespace stratus::viz
