#pragma once
// What the viewer drew where, for the layout test: every text or box that must neither leave
// its container nor overlap a neighbour is recorded with its container and a group (the items
// of one group must not overlap each other). `stratus-viz --layout FILE` writes the record of
// the last frame, one box a line, and tests/test_viz_screenshot.cpp checks it at a projector's
// font size: a clipped toolbar or a label over a tile fails there, not on the projector.
#include <string>
#include <vector>

#include <imgui.h>

namespace stratus::viz {

struct LayoutBox {
    std::string group;            // boxes of one group must not overlap ("toolbar", "zone ap-...")
    std::string name;             // what it is, for the failure message
    ImVec2 min, max;              // where it was drawn
    ImVec2 bound_min, bound_max;  // its container: the box must lie inside
};

class LayoutLog {
  public:
    void clear() { boxes_.clear(); }
    void add(std::string group, std::string name, ImVec2 min, ImVec2 max, ImVec2 bound_min,
             ImVec2 bound_max) {
        boxes_.push_back({std::move(group), std::move(name), min, max, bound_min, bound_max});
    }
    const std::vector<LayoutBox>& boxes() const { return boxes_; }
    // One box a line: group, name, min x y, max x y, bound min x y, bound max x y (tabs).
    bool write(const std::string& path) const;

  private:
    std::vector<LayoutBox> boxes_;
};

// Records into `log` when there is one (the window draws without).
inline void record(LayoutLog* log, const std::string& group, const std::string& name, ImVec2 min,
                   ImVec2 max, ImVec2 bound_min, ImVec2 bound_max) {
    if (log) log->add(group, name, min, max, bound_min, bound_max);
}

// Where a flow of items (buttons, tabs) goes next: on the same line when an item `width` wide
// still fits before `right` (screen x), else on a new line. Call it between items.
void same_line_if_fits(float width, float right);
// The width of a button labelled `label` in the current style.
float button_width(const char* label);

}  // namespace stratus::viz
