#include "viz/network_view.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "viz/chart.hpp"
#include "viz/palette.hpp"

namespace stratus::viz {
namespace {

using view::NetResource;

const ImU32 kOpen = IM_COL32(30, 150, 60, 255);
const ImU32 kClosed = IM_COL32(210, 30, 30, 255);
const ImU32 kVpc = IM_COL32(0, 110, 180, 255);
const ImU32 kSg = IM_COL32(200, 120, 0, 255);

// A flow's reasons in the UI's language: each template looked up in the table (the same
// placeholders in the same order), its arguments (names, ports, blocks) formatted in.
std::string say(Lang lang, const std::vector<view::Phrase>& phrases) {
    std::string out;
    for (const auto& p : phrases)
        out += (out.empty() ? "" : "; ") + view::format(ui(lang, p.text), p);
    return out;
}

// A route as the view writes it ("0.0.0.0/0 -> nat-a (NAT gateway)"), its target's kind in
// the UI's language.
std::string route_text(Lang lang, const std::string& route) {
    for (const char* kind : {"(NAT gateway)", "(NAT instance)"}) {
        const std::string tail = kind;
        if (route.size() > tail.size() &&
            route.compare(route.size() - tail.size(), tail.size(), tail) == 0)
            return route.substr(0, route.size() - tail.size()) + ui(lang, kind);
    }
    return route;
}

struct Chip {
    int zone = -1;
    ImVec2 min, max;
    NetResource::Kind kind = NetResource::Kind::Instances;
    std::string note;
};

const char* kind_label(NetResource::Kind k) {
    switch (k) {
        case NetResource::Kind::LoadBalancer:
            return "ALB";
        case NetResource::Kind::Instances:
            return "EC2";
        case NetResource::Kind::NatGateway:
            return "NAT gw";
        case NetResource::Kind::NatInstance:
            return "NAT inst";
        case NetResource::Kind::Database:
            return "RDS";
    }
    return "";
}

// 0: public (or meant to be), 1: application, 2: database.
int tier_of(const view::SubnetView& s) {
    if (s.is_public || s.named_public) return 0;
    if (s.for_database) return 2;
    for (const auto& r : s.resources)
        if (r.kind == NetResource::Kind::Database) return 2;
    return 1;
}

void arrow(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thick, bool broken) {
    const float dx = b.x - a.x, dy = b.y - a.y;
    const float len = std::max(1.0f, std::sqrt(dx * dx + dy * dy));
    const ImVec2 u(dx / len, dy / len);
    if (!broken) {
        const ImVec2 tip_base(b.x - u.x * 12, b.y - u.y * 12);
        dl->AddLine(a, tip_base, col, thick);
        dl->AddTriangleFilled(b, ImVec2(tip_base.x - u.y * 7, tip_base.y + u.x * 7),
                              ImVec2(tip_base.x + u.y * 7, tip_base.y - u.x * 7), col);
        return;
    }
    // Broken: dashes up to a gap before the target, and a cross where it stops.
    const float stop = len * 0.72f;
    for (float d = 0; d < stop; d += 14) {
        const float e = std::min(d + 8, stop);
        dl->AddLine(ImVec2(a.x + u.x * d, a.y + u.y * d), ImVec2(a.x + u.x * e, a.y + u.y * e), col,
                    thick);
    }
    const ImVec2 c(a.x + u.x * (stop + 10), a.y + u.y * (stop + 10));
    const float r = 9;
    dl->AddLine(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), col, thick + 1);
    dl->AddLine(ImVec2(c.x + r, c.y - r), ImVec2(c.x - r, c.y + r), col, thick + 1);
}

// Text in a box with a white background, wrapped to `width`.
void label_box(ImDrawList* dl, ImVec2 at, const std::string& text, ImU32 col, float width) {
    ImFont* font = ImGui::GetFont();
    const float fs = ImGui::GetFontSize();
    const ImVec2 size = font->CalcTextSizeA(fs, FLT_MAX, width, text.c_str());
    dl->AddRectFilled(ImVec2(at.x - 4, at.y - 2), ImVec2(at.x + size.x + 4, at.y + size.y + 2),
                      IM_COL32(255, 255, 255, 235), 4);
    dl->AddRect(ImVec2(at.x - 4, at.y - 2), ImVec2(at.x + size.x + 4, at.y + size.y + 2), col, 4, 0,
                1.5f);
    dl->AddText(font, fs, at, col, text.c_str(), nullptr, width);
}

const Chip* nearest(const std::vector<Chip>& chips, int zone) {
    const Chip* best = nullptr;
    for (const auto& c : chips) {
        if (!best || (c.zone == zone && best->zone != zone)) best = &c;
    }
    return best;
}

}  // namespace

// One function: the layout's rows and columns share many measures; split, they would pass a
// dozen values around.
void draw_network(const view::NetworkView& net, const view::RegionView& region, ImVec2 min,
                  ImVec2 max, Lang lang) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImFont* font = ImGui::GetFont();
    const float fs = ImGui::GetFontSize();
    dl->AddRectFilled(min, max, IM_COL32(252, 252, 250, 255));
    dl->AddRect(min, max, IM_COL32(180, 180, 180, 255));
    if (!net.modelled) {
        dl->AddText(ImVec2(min.x + 12, min.y + 12), kGrey,
                    "This scenario has no [vpc]: the network is not modelled (every flow open).");
        return;
    }
    // The flows listed at the bottom: one line each (two when wrapped).
    std::vector<const view::FlowView*> flows;
    for (const auto& f : net.flows)
        flows.push_back(&f);
    const float line_h = fs * 0.95f;
    const float list_h = static_cast<float>(flows.size()) * line_h + fs * 0.5f;

    // The internet at the top.
    const float band = fs * 1.9f;
    const ImVec2 inet_min((min.x + max.x) / 2 - fs * 9, min.y + 6);
    const ImVec2 inet_max((min.x + max.x) / 2 + fs * 9, min.y + 6 + band);
    dl->AddRectFilled(inet_min, inet_max, IM_COL32(230, 240, 250, 255), band / 2);
    dl->AddRect(inet_min, inet_max, kVpc, band / 2, 0, 2);
    const std::string inet = ui(lang, "Internet (clients)");
    const ImVec2 isz = ImGui::CalcTextSize(inet.c_str());
    dl->AddText(ImVec2((inet_min.x + inet_max.x - isz.x) / 2, inet_min.y + (band - isz.y) / 2),
                kVpc, inet.c_str());

    // The VPC.
    const ImVec2 vmin(min.x + 8, inet_max.y + fs * 1.3f);
    const ImVec2 vmax(max.x - 8, max.y - list_h - 4);
    dl->AddRect(vmin, vmax, kVpc, 6, 0, 2.5f);
    dl->AddText(font, fs * 1.05f, ImVec2(vmin.x + 8, vmin.y + 4), kVpc,
                fmt::format("VPC {}", net.vpc_cidr).c_str());
    bool any_igw = false;
    for (const auto& s : net.subnets)
        any_igw = any_igw || s.is_public;
    // The internet gateway on the VPC's edge.
    const ImVec2 igw_c((vmin.x + vmax.x) / 2, vmin.y);
    if (any_igw) {
        dl->AddRectFilled(ImVec2(igw_c.x - fs * 2.2f, igw_c.y - fs * 0.7f),
                          ImVec2(igw_c.x + fs * 2.2f, igw_c.y + fs * 0.7f), kVpc, 4);
        const ImVec2 tsz = ImGui::CalcTextSize("IGW");
        dl->AddText(ImVec2(igw_c.x - tsz.x / 2, igw_c.y - tsz.y / 2), IM_COL32(255, 255, 255, 255),
                    "IGW");
    } else {
        dl->AddText(ImVec2(igw_c.x + fs * 2.5f, igw_c.y - fs * 1.3f), kClosed,
                    ui(lang, "no internet gateway route"));
    }

    // AZ columns and subnet rows by tier.
    const std::size_t nz = std::max<std::size_t>(1, net.zones.size());
    const float gap = 10;
    const float top = vmin.y + fs * 1.3f;
    const float col_w = (vmax.x - vmin.x - gap * (nz + 1)) / nz;
    int rows[3] = {0, 0, 0};
    std::map<std::pair<int, int>, int> per_zone_tier;
    for (const auto& s : net.subnets) {
        const int t = tier_of(s);
        rows[t] = std::max(rows[t], ++per_zone_tier[{s.zone, t}]);
    }
    const int total_rows = std::max(1, rows[0] + rows[1] + rows[2]);
    const float row_h = (vmax.y - 6 - top - fs * 1.2f) / static_cast<float>(total_rows);
    for (std::size_t z = 0; z < nz; ++z) {
        const ImVec2 zmin(vmin.x + gap + z * (col_w + gap), top);
        const ImVec2 zmax(zmin.x + col_w, vmax.y - 6);
        const bool up = z < region.zones.size() ? region.zones[z].available : true;
        dashed_rect(dl, zmin, zmax, up ? IM_COL32(0, 120, 200, 255) : kClosed, 8, 2);
        if (z < net.zones.size())
            dl->AddText(
                ImVec2(zmin.x + 8, zmin.y + 3), up ? IM_COL32(0, 120, 200, 255) : kClosed,
                (net.zones[z] + (up ? "" : std::string("  ") + ui(lang, "POWER OUTAGE"))).c_str());
    }
    std::map<std::string, std::vector<Chip>> chips;  // by resource name
    std::map<std::pair<int, int>, int> placed;
    for (const auto& s : net.subnets) {
        if (s.zone < 0) continue;
        const int t = tier_of(s);
        const int k = placed[{s.zone, t}]++;
        const int row = (t > 0 ? rows[0] : 0) + (t > 1 ? rows[1] : 0) + k;
        const ImVec2 smin(vmin.x + gap + s.zone * (col_w + gap) + 8,
                          top + fs * 1.2f + row * row_h + 3);
        const ImVec2 smax(smin.x + col_w - 16, smin.y + row_h - 5);
        const bool trap = s.named_public && !s.is_public;
        dl->AddRectFilled(smin, smax,
                          s.is_public ? IM_COL32(232, 246, 232, 255) : IM_COL32(232, 240, 252, 255),
                          6);
        dl->AddRect(smin, smax, trap ? kClosed : (s.is_public ? kOpen : kVpc), 6, 0,
                    trap ? 3.0f : 1.5f);
        // Three lines: name and block, the route table, the resources in their security groups.
        dl->PushClipRect(smin, smax, true);
        float y = smin.y + 2;
        const std::string head =
            trap ? fmt::format("{}  {}  ({})", s.name, s.cidr,
                               ui(lang, "named public, no route to the internet gateway"))
                 : fmt::format("{}  {}  ({} {})", s.name, s.cidr,
                               ui(lang, s.is_public ? "Public" : "Private"), ui(lang, "subnet"));
        dl->AddText(font, fs * 0.9f, ImVec2(smin.x + 6, y), kInk, head.c_str());
        y += fs * 0.95f;
        std::string routes = std::string(ui(lang, "route table:")) + " ";
        for (std::size_t i = 0; i < s.route_table.size(); ++i)
            routes += (i ? ", " : "") + route_text(lang, s.route_table[i]);
        if (s.route_table.size() == 1)
            routes += std::string(" ") + ui(lang, "(no 0.0.0.0/0 route)");
        dl->AddText(font, fs * 0.8f, ImVec2(smin.x + 6, y), trap ? kClosed : kGrey, routes.c_str());
        y += fs * 0.9f;
        // Resources: a chip each, inside a dashed box naming its security groups.
        float x = smin.x + 8;
        const float chip_h = fs * 1.15f;
        const float chip_y = std::min(y + 4, smax.y - chip_h - 3);
        for (const auto& r : s.resources) {
            std::string text = fmt::format("{} {}", kind_label(r.kind), r.name);
            if (r.kind == NetResource::Kind::Instances && r.count > 0) {
                text += fmt::format(" x{}", r.count);
                // The requests/s this AZ's instances take.
                if (s.zone < static_cast<int>(region.zones.size()))
                    text += fmt::format("  {:.0f} req/s", region.zones[s.zone].requests_per_s);
            }
            if (!r.note.empty()) text += std::string(" ") + ui(lang, r.note.c_str());
            std::string sgs;
            for (const auto& g : r.security_groups)
                sgs += (sgs.empty() ? "" : ", ") + g;
            const float sg_w =
                sgs.empty() ? 0 : font->CalcTextSizeA(fs * 0.8f, FLT_MAX, 0, sgs.c_str()).x + 8;
            const float w = font->CalcTextSizeA(fs * 0.9f, FLT_MAX, 0, text.c_str()).x + 12;
            const ImVec2 cmin(x + sg_w + 4, chip_y), cmax(x + sg_w + 4 + w, chip_y + chip_h);
            const ImU32 fill =
                r.kind == NetResource::Kind::LoadBalancer ? IM_COL32(140, 80, 200, 255)
                : r.kind == NetResource::Kind::Database   ? IM_COL32(40, 90, 200, 255)
                : r.kind == NetResource::Kind::Instances  ? IM_COL32(30, 140, 70, 255)
                                                          : IM_COL32(120, 120, 120, 255);
            if (!sgs.empty()) {
                dashed_rect(dl, ImVec2(x, chip_y - 2), ImVec2(cmax.x + 3, cmax.y + 2), kSg, 4,
                            1.5f);
                dl->AddText(font, fs * 0.8f, ImVec2(x + 4, chip_y + (chip_h - fs * 0.8f) / 2), kSg,
                            sgs.c_str());
            }
            dl->AddRectFilled(cmin, cmax, fill, 4);
            dl->AddText(font, fs * 0.9f, ImVec2(cmin.x + 6, cmin.y + (chip_h - fs * 0.9f) / 2),
                        IM_COL32(255, 255, 255, 255), text.c_str());
            chips[r.name].push_back({s.zone, cmin, cmax, r.kind, r.note});
            x = cmax.x + 14;
        }
        dl->PopClipRect();
    }

    // The flows as arrows; a closed one breaks at its hop, with its missing rule beside it.
    const float inet_y = inet_max.y;
    std::vector<std::pair<ImVec2, std::string>> closed_labels;
    auto rate_in_zone = [&](int z) {
        return z >= 0 && z < static_cast<int>(region.zones.size()) ? region.zones[z].requests_per_s
                                                                   : 0.0;
    };
    for (const auto* f : flows) {
        if (!f->carries_requests) continue;
        const ImU32 col = f->open ? kOpen : kClosed;
        // An open hop nothing flows through (its upstream is closed) is drawn grey.
        const ImU32 idle = IM_COL32(160, 160, 160, 255);
        bool labelled = false;
        auto note = [&](ImVec2 a, ImVec2 b) {
            if (f->open || labelled) return;
            // Beside the cross where the arrow stops; the clients' beside the internet.
            const ImVec2 at =
                f->hop == "client -> load balancer"
                    ? ImVec2(inet_max.x + 12, inet_min.y)
                    : ImVec2(a.x + (b.x - a.x) * 0.8f + 16, a.y + (b.y - a.y) * 0.8f - fs * 0.6f);
            closed_labels.push_back({at, say(lang, f->why)});
            labelled = true;
        };
        if (f->hop == "client -> load balancer") {
            for (const auto& c : chips[f->to]) {
                const ImVec2 a((inet_min.x + inet_max.x) / 2, inet_y);
                const ImVec2 b((c.min.x + c.max.x) / 2, c.min.y - 2);
                arrow(dl, a, b, col, 3, !f->open);
                note(a, b);
            }
        } else if (f->hop == "load balancer -> targets") {
            for (const auto& c : chips[f->from]) {
                const Chip* t = nearest(chips[f->to], c.zone);
                if (!t) continue;
                const ImVec2 a((c.min.x + c.max.x) / 2, c.max.y);
                const ImVec2 b((t->min.x + t->max.x) / 2, t->min.y - 2);
                const bool flowing = rate_in_zone(t->zone) > 0.05;
                arrow(dl, a, b, f->open && !flowing ? idle : col, 3, !f->open);
                note(a, b);
            }
        } else if (f->hop == "application -> database") {
            const Chip* db = nullptr;
            for (const auto& c : chips[f->to])
                if (c.note.rfind("primary", 0) == 0) db = &c;
            if (!db) continue;
            for (const auto& c : chips[f->from]) {
                const ImVec2 a((c.min.x + c.max.x) / 2, c.max.y);
                const ImVec2 b((db->min.x + db->max.x) / 2, db->min.y - 2);
                const bool flowing = rate_in_zone(c.zone) > 0.05;
                arrow(dl, a, b, f->open && !flowing ? idle : col, 3, !f->open);
                note(a, b);
            }
        }
    }
    for (const auto& [at, text] : closed_labels) {
        const float w = std::min(fs * 17, max.x - min.x - 24);
        label_box(dl, ImVec2(std::max(min.x + 8, std::min(at.x, max.x - w - 12)), at.y), text,
                  kClosed, w);
    }

    // The list of flows under the VPC: which hop, open or blocked, and why.
    float y = max.y - list_h + fs * 0.2f;
    for (const auto* f : flows) {
        const std::string state = ui(lang, f->open ? "open   " : "BLOCKED");
        const std::string text =
            fmt::format("{}  {} ({} -> {}:{})  {}", state, ui(lang, f->hop.c_str()), f->from, f->to,
                        f->port, say(lang, f->why));
        dl->PushClipRect(ImVec2(min.x, y), ImVec2(max.x - 4, y + line_h), true);
        dl->AddText(font, fs * 0.85f, ImVec2(min.x + 10, y), f->open ? kOpen : kClosed,
                    text.c_str());
        dl->PopClipRect();
        y += line_h;
    }
}

}  // namespace stratus::viz
