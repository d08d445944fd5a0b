#include "viz/layout.hpp"

#include <cstdio>

namespace stratus::viz {

bool LayoutLog::write(const std::string& path) const {
    std::FILE* f = std::fopen(path.c_str(), "w");
    if (!f) return false;
    for (const auto& b : boxes_)
        std::fprintf(f, "%s\t%s\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\n", b.group.c_str(),
                     b.name.c_str(), b.min.x, b.min.y, b.max.x, b.max.y, b.bound_min.x,
                     b.bound_min.y, b.bound_max.x, b.bound_max.y);
    return std::fclose(f) == 0;
}

void same_line_if_fits(float width, float right) {
    const float end = ImGui::GetItemRectMax().x;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    if (end + spacing + width <= right) ImGui::SameLine();
}

float button_width(const char* label) {
    return ImGui::CalcTextSize(label, nullptr, true).x + 2 * ImGui::GetStyle().FramePadding.x;
}

}  // namespace stratus::viz
