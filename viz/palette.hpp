#pragma once
// The ink both diagrams write with, declared once so that the region and the network views
// read alike on a projector.
#include <imgui.h>

namespace stratus::viz {

inline const ImU32 kInk = IM_COL32(30, 30, 30, 255);      // text and outlines
inline const ImU32 kGrey = IM_COL32(110, 110, 110, 255);  // secondary text, idle parts

}  // namespace stratus::viz
