#pragma once
// The network view: the internet, the VPC and its CIDR block, each AZ's subnets (public in
// green, private in blue, a "public" one without its internet gateway route outlined in red)
// with their route tables, the resources in them inside their security groups' boxes, and the
// flows client -> load balancer -> application -> database as arrows: green when traffic
// passes, red and broken at the closed hop with the missing rule written beside it.
#include <imgui.h>

#include "sim/view/network_view.hpp"
#include "sim/view/view_model.hpp"
#include "viz/ui_text.hpp"

namespace stratus::viz {

class LayoutLog;

// Draws the view into [min, max] of the current window; `region` gives the live request
// rates written on the arrows.
// `layout` records the texts and chips drawn (--layout), or is null.
void draw_network(const view::NetworkView& net, const view::RegionView& region, ImVec2 min,
                  ImVec2 max, Lang lang = Lang::English, LayoutLog* layout = nullptr);

}  // namespace stratus::viz
