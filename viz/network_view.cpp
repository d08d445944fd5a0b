#include "viz/network_view.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sim/cloud/network.hpp"
#include "viz/chart.hpp"
#include "viz/layout.hpp"
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
    for (const char* kind : {"(NAT gateway)", "(NAT instance)", "(gateway endpoint)"}) {
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
    std::string subnet;    // the subnet it sits in
    float subnet_top = 0;  // that subnet's top edge
    bool to_igw = false;   // that subnet's route table sends 0.0.0.0/0 to the IGW
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
        case NetResource::Kind::Tasks:
            return "ECS";
        case NetResource::Kind::VpcEndpoint:
            return "endpoint";  // in the UI's language (chip_text)
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

// A resource in its subnet: the security groups' dashed box with their names, and the chip.
struct PlacedChip {
    const NetResource* r = nullptr;
    std::string text, sgs;
    ImVec2 box_min, box_max;  // the security groups' box (the chip alone when none)
    ImVec2 chip_min, chip_max;
};

// A subnet's contents laid out at `k` times the view's text size: its name line and route
// table wrapped to the subnet's width, then its resources as chips, in rows that wrap.
struct SubnetLayout {
    std::string head, routes;
    float head_h = 0, routes_h = 0;
    std::vector<PlacedChip> chips;  // positions relative to the subnet's top left
    float height = 0;               // what it needs
};

// The requests/s the chip's own instances (or tasks) in the subnet's AZ take: two services in
// one subnet (blue/green) each show theirs, not the AZ's sum. A task on a container instance
// (EC2 launch type) counts for the instance's group, whose chip it is drawn in.
double chip_rate(const NetResource& r, const view::SubnetView& s, const view::RegionView& region) {
    const bool tasks = r.kind == NetResource::Kind::Tasks;
    double rate = 0;
    for (const auto& t : region.tiles) {
        if (t.zone != s.zone || t.requests_per_s <= 0) continue;
        const std::string* owner = &t.group;
        bool as_task = t.task;
        if (t.task && t.host >= 0) {
            for (const auto& h : region.tiles)
                if (!h.task && static_cast<std::int64_t>(h.index) == t.host) owner = &h.group;
            as_task = false;
        }
        if (as_task == tasks && *owner == r.name) rate += t.requests_per_s;
    }
    return rate;
}

std::string chip_text(const NetResource& r, const view::SubnetView& s,
                      const view::RegionView& region, Lang lang) {
    std::string text = fmt::format("{} {}", ui(lang, kind_label(r.kind)), r.name);
    const bool compute =
        r.kind == NetResource::Kind::Instances || r.kind == NetResource::Kind::Tasks;
    if (compute && r.count > 0) {
        text += fmt::format(" x{}", r.count);
        if (s.zone < static_cast<int>(region.zones.size()))
            text += fmt::format("  {:.0f} req/s", chip_rate(r, s, region));
    }
    if (!r.note.empty()) text += std::string(" ") + ui(lang, r.note.c_str());
    return text;
}

SubnetLayout layout_subnet(const view::SubnetView& s, const view::RegionView& region, Lang lang,
                           float fs, float width) {
    ImFont* font = ImGui::GetFont();
    SubnetLayout out;
    const bool trap = s.named_public && !s.is_public;
    out.head = trap ? fmt::format("{}  {}  ({})", s.name, s.cidr,
                                  ui(lang, "named public, no route to the internet gateway"))
                    : fmt::format("{}  {}  ({} {})", s.name, s.cidr,
                                  ui(lang, s.is_public ? "Public" : "Private"), ui(lang, "subnet"));
    out.routes = std::string(ui(lang, "route table:")) + " ";
    for (std::size_t i = 0; i < s.route_table.size(); ++i)
        out.routes += (i ? ", " : "") + route_text(lang, s.route_table[i]);
    if (std::none_of(s.route_table.begin(), s.route_table.end(),
                     [](const std::string& r) { return r.rfind("0.0.0.0/0", 0) == 0; }))
        out.routes += std::string(" ") + ui(lang, "(no 0.0.0.0/0 route)");
    const float wrap = width - 12;
    out.head_h = font->CalcTextSizeA(fs * 0.9f, FLT_MAX, wrap, out.head.c_str()).y;
    out.routes_h = font->CalcTextSizeA(fs * 0.8f, FLT_MAX, wrap, out.routes.c_str()).y;
    const float chip_h = fs * 1.15f, row_h = chip_h + 8;
    float y = 2 + out.head_h + 1 + out.routes_h + 5;
    float x = 8;
    bool row_used = false;
    for (const auto& r : s.resources) {
        PlacedChip c;
        c.r = &r;
        c.text = chip_text(r, s, region, lang);
        for (const auto& g : r.security_groups)
            c.sgs += (c.sgs.empty() ? "" : ", ") + g;
        const float sg_w =
            c.sgs.empty() ? 0 : font->CalcTextSizeA(fs * 0.8f, FLT_MAX, 0, c.sgs.c_str()).x + 8;
        const float w = font->CalcTextSizeA(fs * 0.9f, FLT_MAX, 0, c.text.c_str()).x + 12;
        const float box_w = sg_w + 4 + w + 3;
        // The next row when this one is full (a NAT instance beside a NAT gateway and the ALB).
        if (row_used && x + box_w > width - 6) {
            x = 8;
            y += row_h;
        }
        c.box_min = ImVec2(x, y);
        c.box_max = ImVec2(x + box_w, y + chip_h + 4);
        c.chip_min = ImVec2(x + sg_w + 4, y + 2);
        c.chip_max = ImVec2(x + sg_w + 4 + w, y + 2 + chip_h);
        out.chips.push_back(std::move(c));
        x += box_w + 11;
        row_used = true;
    }
    out.height = y + (row_used ? row_h : 0) + 2;
    return out;
}

// Where a closed flow's rule goes: beside the cross at `at` when nothing is there, else the
// nearest place, right or left of it, above or below, that covers no chip, no subnet's text
// and no other rule, inside [min, max]; when none is free, the one that covers least. Returns
// the place and the area it covers.
std::pair<ImVec2, float> free_place(ImVec2 at, ImVec2 size,
                                    const std::vector<std::pair<ImVec2, ImVec2>>& taken, ImVec2 min,
                                    ImVec2 max, float step) {
    const float xs[] = {at.x, at.x - size.x - 40, (min.x + max.x - size.x) / 2};
    ImVec2 best(std::clamp(at.x, min.x + 8, max.x - size.x - 8), at.y);
    float best_cover = -1;
    for (int k = 0; k < 60; ++k) {
        const float dy = static_cast<float>((k + 1) / 2) * step * (k % 2 ? 1.0f : -1.0f);
        for (float x : xs) {
            const ImVec2 p(std::clamp(x, min.x + 8, max.x - size.x - 8), at.y + dy);
            const ImVec2 q(p.x + size.x, p.y + size.y);
            if (p.y < min.y + 4 || q.y > max.y - 4) continue;
            float cover = 0;
            for (const auto& [t0, t1] : taken) {
                const float w = std::min(q.x + 6, t1.x) - std::max(p.x - 6, t0.x);
                const float h = std::min(q.y + 4, t1.y) - std::max(p.y - 4, t0.y);
                if (w > 0 && h > 0) cover += w * h;
            }
            if (cover == 0) return {p, 0.0f};
            if (best_cover < 0 || cover < best_cover) {
                best = p;
                best_cover = cover;
            }
        }
    }
    return {best, best_cover};
}

const Chip* nearest(const std::vector<Chip>& chips, int zone) {
    const Chip* best = nullptr;
    for (const auto& c : chips) {
        if (!best || (c.zone == zone && best->zone != zone)) best = &c;
    }
    return best;
}

}  // namespace

namespace {

// What the parts of the network view share: the draw list, the font and its size, the
// language, the layout record, and every box drawn so far that a rule must not cover.
struct NetPen {
    ImDrawList* dl;
    ImFont* font;
    float fs;
    Lang lang;
    LayoutLog* layout;
    std::vector<std::pair<ImVec2, ImVec2>> taken;
    float list_top = FLT_MAX;  // where the list of flows starts (written after the rules)
};

// A text drawn (wrapped to `wrap` when > 0) and recorded: it must lie in [bmin, bmax] and
// overlap no other of the view's texts and chips.
void net_text(NetPen& p, ImVec2 at, ImU32 col, const std::string& t, float size, float wrap,
              ImVec2 bmin, ImVec2 bmax) {
    p.dl->AddText(p.font, size, at, col, t.c_str(), nullptr, wrap);
    const ImVec2 sz = p.font->CalcTextSizeA(size, FLT_MAX, wrap, t.c_str());
    const ImVec2 end(at.x + sz.x, at.y + sz.y);
    p.taken.push_back({at, end});
    record(p.layout, "network", t, at, end, bmin, bmax);
}

// Grid rows of subnets (public, application, database tiers, each as many rows as its most
// crowded AZ has subnets) and each subnet's row.
struct Grid {
    int rows[3] = {0, 0, 0};
    std::vector<int> row_of;  // by subnet
    int total = 1;
};

Grid subnet_grid(const view::NetworkView& net) {
    Grid g;
    std::map<std::pair<int, int>, int> per_zone_tier, placed;
    for (const auto& s : net.subnets) {
        const int t = tier_of(s);
        g.rows[t] = std::max(g.rows[t], ++per_zone_tier[{s.zone, t}]);
    }
    for (const auto& s : net.subnets) {
        const int t = tier_of(s);
        const int k = placed[{s.zone, t}]++;
        g.row_of.push_back((t > 0 ? g.rows[0] : 0) + (t > 1 ? g.rows[1] : 0) + k);
    }
    g.total = std::max(1, g.rows[0] + g.rows[1] + g.rows[2]);
    return g;
}

// The subnets' rows: each as high as its fullest subnet needs, the space left shared; when
// they need more than there is, the subnets' text is written smaller (at least 60 %) until
// they fit. Returns the rows' tops (and the bottom) and sets `k`, the text's scale.
std::vector<float> subnet_rows(const view::NetworkView& net, const view::RegionView& region,
                               const Grid& g, Lang lang, float fs, float width, float top,
                               float bottom, float& k) {
    std::vector<float> need(static_cast<std::size_t>(g.total));
    k = 1;
    for (int pass = 0; pass < 4; ++pass) {
        std::fill(need.begin(), need.end(), fs * k);
        for (std::size_t i = 0; i < net.subnets.size(); ++i) {
            if (net.subnets[i].zone < 0) continue;
            const float h = layout_subnet(net.subnets[i], region, lang, fs * k, width).height;
            auto& n = need[static_cast<std::size_t>(g.row_of[i])];
            n = std::max(n, h + 6);
        }
        float sum = 0;
        for (float n : need)
            sum += n;
        if (sum <= bottom - top || k <= 0.6f) break;
        k = std::max(0.6f, k * (bottom - top) / sum * 0.98f);
    }
    float sum = 0;
    for (float n : need)
        sum += n;
    // The space left shared evenly; when short even at the smallest text, each row shrinks
    // in proportion (never past the VPC: what does not fit is clipped to its subnet).
    const float extra = std::max(0.0f, (bottom - top - sum) / static_cast<float>(need.size()));
    const float shrink = sum > bottom - top ? (bottom - top) / sum : 1.0f;
    std::vector<float> tops{top};
    for (float n : need)
        tops.push_back(tops.back() + n * shrink + extra);
    return tops;
}

// One subnet: its box, name line, route table and resources in their security groups' boxes.
void draw_subnet(NetPen& p, const view::SubnetView& s, const view::RegionView& region, ImVec2 smin,
                 ImVec2 smax, float k, std::map<std::string, std::vector<Chip>>& chips) {
    const float fs = p.fs * k;
    const bool trap = s.named_public && !s.is_public;
    p.dl->AddRectFilled(
        smin, smax, s.is_public ? IM_COL32(232, 246, 232, 255) : IM_COL32(232, 240, 252, 255), 6);
    p.dl->AddRect(smin, smax, trap ? kClosed : (s.is_public ? kOpen : kVpc), 6, 0,
                  trap ? 3.0f : 1.5f);
    const SubnetLayout l = layout_subnet(s, region, p.lang, fs, smax.x - smin.x);
    const float wrap = smax.x - smin.x - 12;
    float y = smin.y + 2;
    net_text(p, ImVec2(smin.x + 6, y), kInk, l.head, fs * 0.9f, wrap, smin, smax);
    y += l.head_h + 1;
    net_text(p, ImVec2(smin.x + 6, y), trap ? kClosed : kGrey, l.routes, fs * 0.8f, wrap, smin,
             smax);
    const float chip_h = fs * 1.15f;
    for (const auto& c : l.chips) {
        const ImVec2 off = smin;
        const ImVec2 bmin(off.x + c.box_min.x, off.y + c.box_min.y);
        const ImVec2 bmax(off.x + c.box_max.x, off.y + c.box_max.y);
        const ImVec2 cmin(off.x + c.chip_min.x, off.y + c.chip_min.y);
        const ImVec2 cmax(off.x + c.chip_max.x, off.y + c.chip_max.y);
        const NetResource& r = *c.r;
        const ImU32 fill = r.kind == NetResource::Kind::LoadBalancer ? IM_COL32(140, 80, 200, 255)
                           : r.kind == NetResource::Kind::Database   ? IM_COL32(40, 90, 200, 255)
                           : r.kind == NetResource::Kind::Instances  ? IM_COL32(30, 140, 70, 255)
                           : r.kind == NetResource::Kind::Tasks      ? IM_COL32(200, 100, 20, 255)
                           : r.kind == NetResource::Kind::VpcEndpoint
                               ? IM_COL32(0, 125, 135, 255)
                               : IM_COL32(120, 120, 120, 255);
        if (!c.sgs.empty()) {
            dashed_rect(p.dl, bmin, bmax, kSg, 4, 1.5f);
            net_text(p, ImVec2(bmin.x + 4, cmin.y + (chip_h - fs * 0.8f) / 2), kSg, c.sgs,
                     fs * 0.8f, 0, smin, smax);
        }
        p.dl->AddRectFilled(cmin, cmax, fill, 4);
        p.dl->AddText(p.font, fs * 0.9f, ImVec2(cmin.x + 6, cmin.y + (chip_h - fs * 0.9f) / 2),
                      IM_COL32(255, 255, 255, 255), c.text.c_str());
        p.taken.push_back({cmin, cmax});
        record(p.layout, "network", r.name, cmin, cmax, smin, smax);
        chips[r.name].push_back({s.zone, cmin, cmax, r.kind, r.note, s.name, smin.y, s.is_public});
    }
}

// A closed flow's rule in a box near `at`, where it covers nothing already written; a wider,
// flatter box when that finds a free place. An `optional` rule with no free place is left out.
void place_rule(NetPen& p, ImVec2 at, const std::string& text, ImVec2 min, ImVec2 max,
                bool optional) {
    const float fs = p.fs;
    if (optional) max.y = std::min(max.y, p.list_top);  // and not over the list of flows
    float w = std::min(fs * 17, max.x - min.x - 24);
    ImVec2 size = p.font->CalcTextSizeA(fs, FLT_MAX, w, text.c_str());
    auto [place, cover] = free_place(at, size, p.taken, min, max, fs * 0.5f);
    const float wide = std::min(fs * 30, max.x - min.x - 24);
    if (cover > 0 && wide > w) {
        const ImVec2 wide_size = p.font->CalcTextSizeA(fs, FLT_MAX, wide, text.c_str());
        const auto [wide_place, wide_cover] =
            free_place(at, wide_size, p.taken, min, max, fs * 0.5f);
        if (wide_cover < cover) {
            w = wide;
            size = wide_size;
            place = wide_place;
            cover = wide_cover;
        }
    }
    if (optional && cover > 0) return;
    label_box(p.dl, place, text, kClosed, w);
    const ImVec2 end(place.x + size.x, place.y + size.y);
    p.taken.push_back({ImVec2(place.x - 4, place.y - 2), ImVec2(end.x + 4, end.y + 2)});
    record(p.layout, "network", text, place, end, min, max);
}

// Where the arrows of instances -> internet go: the internet gateway on the VPC's edge, and
// the labels of the closed ways out, for draw_flow_arrows to place.
struct Egress {
    ImVec2 igw;  // the bottom of the IGW's box (where it would be when there is none)
    std::vector<std::pair<ImVec2, std::string>>* labels;
};

// A private -> internet flow: from each of the source's chips, an arrow to the NAT device its
// subnet routes to and from there to the internet gateway (or straight to the gateway from a
// public subnet), thinner than the requests' arrows. Green while requests call out through it
// (grey when none do); where the way out stops, a red broken arrow with a cross: at the
// subnet's edge (no route), before the NAT instance (its security group) or after the NAT
// device (it cannot forward), with the reason beside it.
void draw_outbound_arrows(NetPen& p, const view::FlowView& f,
                          std::map<std::string, std::vector<Chip>>& chips,
                          const view::RegionView& region, const Egress& e) {
    using Stop = view::FlowView::Outbound::Stop;
    const ImU32 idle = IM_COL32(160, 160, 160, 255);
    std::vector<std::string> nat_drawn;
    bool labelled = false;  // one rule per flow, as for the other hops: the list has them all
    for (const auto& c : chips[f.from]) {
        const auto it = std::find_if(f.outbound.begin(), f.outbound.end(),
                                     [&](const auto& o) { return o.subnet == c.subnet; });
        const bool flowing = f.carries_requests && c.zone >= 0 &&
                             c.zone < static_cast<int>(region.zones.size()) &&
                             region.zones[static_cast<std::size_t>(c.zone)].requests_per_s > 0.05;
        const ImU32 ok = flowing ? kOpen : idle;
        const ImVec2 a(c.max.x - p.fs * 0.8f, c.min.y);
        auto broken = [&](ImVec2 from, ImVec2 to) {
            arrow(p.dl, from, to, kClosed, 3, true);
            if (labelled) return;
            e.labels->push_back({ImVec2(from.x + (to.x - from.x) * 0.8f + 16,
                                        from.y + (to.y - from.y) * 0.8f - p.fs * 0.6f),
                                 say(p.lang, it->why)});
            labelled = true;
        };
        if (it == f.outbound.end()) {
            if (c.to_igw) arrow(p.dl, a, e.igw, ok, 2, false);
            continue;
        }
        if (it->stop == Stop::Subnet) {
            // The cross (72 % of the way and 10 px more) on the subnet's top edge.
            const float h = std::max(p.fs, a.y - c.subnet_top);
            broken(a, ImVec2(a.x + p.fs, a.y - (h - 10) / 0.72f));
            continue;
        }
        const Chip* nat = it->nat.empty() ? nullptr : nearest(chips[it->nat], c.zone);
        if (!nat) continue;
        const ImVec2 n((nat->min.x + nat->max.x) / 2, nat->max.y + 2);
        if (it->stop == Stop::BeforeNat) {
            broken(a, n);
            continue;
        }
        arrow(p.dl, a, n, ok, 2, false);
        if (std::find(nat_drawn.begin(), nat_drawn.end(), it->nat) != nat_drawn.end()) continue;
        nat_drawn.push_back(it->nat);
        const ImVec2 top((nat->min.x + nat->max.x) / 2, nat->min.y);
        if (it->stop == Stop::AfterNat)
            broken(top, e.igw);
        else
            arrow(p.dl, top, e.igw, ok, 2, false);
    }
}

// A hop of a container instance's own calls (its ECS agent, its image's registry and layers):
// from each of the group's chips, thin arrows to the interface endpoints' chips the calls go to
// (private DNS) or up to the subnet's edge for S3 through the gateway endpoint; green. A call
// that goes out through the subnet's way out is the instances -> internet arrows' business.
// A blocked one: a red broken arrow up to the subnet's edge, the hop and its reasons beside it.
// Each hop starts from its own place along the chip's top (agent, registry, layers).
void draw_call_arrows(NetPen& p, const view::FlowView& f,
                      std::map<std::string, std::vector<Chip>>& chips,
                      std::vector<std::pair<ImVec2, std::string>>& labels) {
    using Way = view::FlowView::Call::Way;
    const float at = f.hop.find("ECS") != std::string::npos   ? 0.15f
                     : f.hop.find("ECR") != std::string::npos ? 0.35f
                                                              : 0.55f;
    bool labelled = false;
    for (const auto& c : chips[f.from]) {
        const auto it = std::find_if(f.calls.begin(), f.calls.end(),
                                     [&](const auto& call) { return call.subnet == c.subnet; });
        if (it == f.calls.end() || it->way == Way::Out) continue;
        const ImVec2 a(c.min.x + (c.max.x - c.min.x) * at, c.min.y);
        const float h = std::max(p.fs, a.y - c.subnet_top);
        const ImVec2 edge(a.x - p.fs * 0.5f, a.y - (h - 10) / 0.72f);
        if (it->way == Way::Blocked) {
            arrow(p.dl, a, edge, kClosed, 3, true);
            if (labelled) continue;
            // The subnets' ways out are the instances -> internet arrows' (and the list's).
            std::vector<view::Phrase> own;
            for (const auto& ph : f.why)
                if (std::string(ph.text).rfind("subnet ", 0) != 0) own.push_back(ph);
            labels.push_back({ImVec2(edge.x + 16, a.y - h - p.fs * 1.2f),
                              std::string(ui(p.lang, f.hop.c_str())) + ": " + say(p.lang, own)});
            labelled = true;
            continue;
        }
        if (it->way == Way::GatewayEndpoint) {
            arrow(p.dl, a, ImVec2(edge.x, c.subnet_top + 2), kOpen, 2, false);
            continue;
        }
        for (const auto& name : it->endpoints) {
            const Chip* e = nearest(chips[name], c.zone);
            if (!e || e->subnet != c.subnet) continue;
            arrow(p.dl, ImVec2(a.x, c.max.y), ImVec2((e->min.x + e->max.x) / 2, e->min.y - 2),
                  kOpen, 2, false);
        }
    }
}

// The flows that carry requests as arrows between the chips; a closed one breaks at its hop,
// with its missing rule beside it, where it covers no chip or text.
void draw_flow_arrows(NetPen& p, const std::vector<const view::FlowView*>& flows,
                      std::map<std::string, std::vector<Chip>>& chips,
                      const view::RegionView& region, ImVec2 inet_min, ImVec2 inet_max, ImVec2 min,
                      ImVec2 max, ImVec2 igw) {
    ImDrawList* dl = p.dl;
    const float fs = p.fs;
    std::vector<std::pair<ImVec2, std::string>> closed_labels, outbound_labels;
    for (const auto* f : flows)
        if (!f->outbound.empty())
            draw_outbound_arrows(p, *f, chips, region, {igw, &outbound_labels});
    std::vector<std::pair<ImVec2, std::string>> call_labels;
    for (const auto* f : flows)
        if (!f->calls.empty()) draw_call_arrows(p, *f, chips, call_labels);
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
            closed_labels.push_back({at, say(p.lang, f->why)});
            labelled = true;
        };
        if (f->hop == "client -> load balancer") {
            for (const auto& c : chips[f->to]) {
                const ImVec2 a((inet_min.x + inet_max.x) / 2, inet_max.y);
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
    // The rules last, on top of the arrows, each where it covers nothing already written; the
    // ways out to the internet after the requests' hops, and only where they cover nothing
    // (the list of flows under the VPC has them all).
    for (const auto& [at, text] : closed_labels)
        place_rule(p, at, text, min, max, false);
    // A container instance's blocked call: only where it covers nothing (the list has it).
    for (const auto& [at, text] : call_labels)
        place_rule(p, at, text, min, max, true);
    for (const auto& [at, text] : outbound_labels)
        place_rule(p, at, text, min, max, true);
}

}  // namespace

// The internet, the VPC and its gateway, the AZ columns and their subnets, the flows' arrows
// with each closed one's rule, and the list of every flow under the VPC. It is over 80 lines
// on purpose: one immediate-mode pass from the top of the view down, each band placed below
// the one drawn before it (the subnets, the arrows and the list are functions of their own).
void draw_network(const view::NetworkView& net, const view::RegionView& region, ImVec2 min,
                  ImVec2 max, Lang lang, LayoutLog* layout) {
    NetPen p{ImGui::GetWindowDrawList(), ImGui::GetFont(), ImGui::GetFontSize(), lang, layout, {}};
    ImDrawList* dl = p.dl;
    const float fs = p.fs;
    dl->AddRectFilled(min, max, IM_COL32(252, 252, 250, 255));
    dl->AddRect(min, max, IM_COL32(180, 180, 180, 255));
    if (!net.modelled) {
        dl->AddText(
            ImVec2(min.x + 12, min.y + 12), kGrey,
            ui(lang, "This scenario has no [vpc]: the network is not modelled (every flow open)."));
        return;
    }
    // The flows listed at the bottom, each wrapped to the view's width.
    // Written smaller (down to 65 %) when they would take more than a quarter of the view.
    std::vector<const view::FlowView*> flows;
    std::vector<std::string> flow_lines;
    for (const auto& f : net.flows) {
        flows.push_back(&f);
        flow_lines.push_back(fmt::format("{}  {} ({} -> {}:{})  {}",
                                         ui(lang, f.open ? "open   " : "BLOCKED"),
                                         ui(lang, f.hop.c_str()), f.from, f.to,
                                         cloud::port_text(f.port, f.to_port), say(lang, f.why)));
    }
    const float list_wrap = max.x - min.x - 20;
    float list_size = fs * 0.85f, list_h = 0;
    for (; list_size >= fs * 0.65f; list_size -= fs * 0.05f) {
        list_h = fs * 0.5f;
        for (const auto& line : flow_lines)
            list_h += p.font->CalcTextSizeA(list_size, FLT_MAX, list_wrap, line.c_str()).y + 1;
        if (list_h <= (max.y - min.y) / 4) break;
    }

    // The internet at the top.
    const float band = fs * 1.6f;
    const ImVec2 inet_min((min.x + max.x) / 2 - fs * 9, min.y + 6);
    const ImVec2 inet_max((min.x + max.x) / 2 + fs * 9, min.y + 6 + band);
    dl->AddRectFilled(inet_min, inet_max, IM_COL32(230, 240, 250, 255), band / 2);
    dl->AddRect(inet_min, inet_max, kVpc, band / 2, 0, 2);
    p.taken.push_back({inet_min, inet_max});
    const std::string inet = ui(lang, "Internet (clients)");
    const ImVec2 isz = ImGui::CalcTextSize(inet.c_str());
    dl->AddText(ImVec2((inet_min.x + inet_max.x - isz.x) / 2, inet_min.y + (band - isz.y) / 2),
                kVpc, inet.c_str());

    // The VPC.
    const ImVec2 vmin(min.x + 8, inet_max.y + fs * 1.1f);
    const ImVec2 vmax(max.x - 8, max.y - list_h - 4);
    dl->AddRect(vmin, vmax, kVpc, 6, 0, 2.5f);
    net_text(p, ImVec2(vmin.x + 8, vmin.y + 4), kVpc, fmt::format("VPC {}", net.vpc_cidr),
             fs * 1.05f, 0, vmin, vmax);
    bool any_igw = false;
    for (const auto& s : net.subnets)
        any_igw = any_igw || s.is_public;
    // The internet gateway on the VPC's edge.
    const ImVec2 igw_c((vmin.x + vmax.x) / 2, vmin.y);
    if (any_igw) {
        dl->AddRectFilled(ImVec2(igw_c.x - fs * 2.2f, igw_c.y - fs * 0.7f),
                          ImVec2(igw_c.x + fs * 2.2f, igw_c.y + fs * 0.7f), kVpc, 4);
        p.taken.push_back({ImVec2(igw_c.x - fs * 2.2f, igw_c.y - fs * 0.7f),
                           ImVec2(igw_c.x + fs * 2.2f, igw_c.y + fs * 0.7f)});
        const ImVec2 tsz = ImGui::CalcTextSize("IGW");
        dl->AddText(ImVec2(igw_c.x - tsz.x / 2, igw_c.y - tsz.y / 2), IM_COL32(255, 255, 255, 255),
                    "IGW");
    } else {
        net_text(p, ImVec2(igw_c.x + fs * 2.5f, igw_c.y - fs * 1.3f), kClosed,
                 ui(lang, "no internet gateway route"), fs, 0, min, max);
    }

    // AZ columns and subnet rows by tier.
    const std::size_t nz = std::max<std::size_t>(1, net.zones.size());
    const float gap = 10;
    const float top = vmin.y + fs * 1.3f;
    const float col_w = (vmax.x - vmin.x - gap * (nz + 1)) / nz;
    for (std::size_t z = 0; z < nz; ++z) {
        const ImVec2 zmin(vmin.x + gap + z * (col_w + gap), top);
        const ImVec2 zmax(zmin.x + col_w, vmax.y - 6);
        const bool up = z < region.zones.size() ? region.zones[z].available : true;
        dashed_rect(dl, zmin, zmax, up ? IM_COL32(0, 120, 200, 255) : kClosed, 8, 2);
        if (z < net.zones.size())
            net_text(p, ImVec2(zmin.x + 8, zmin.y + 3), up ? IM_COL32(0, 120, 200, 255) : kClosed,
                     net.zones[z] + (up ? "" : std::string("  ") + ui(lang, "POWER OUTAGE")), fs, 0,
                     zmin, zmax);
    }
    const Grid grid = subnet_grid(net);
    float k = 1;
    const std::vector<float> tops =
        subnet_rows(net, region, grid, lang, fs, col_w - 16, top + fs * 1.2f, vmax.y - 6, k);
    std::map<std::string, std::vector<Chip>> chips;  // by resource name
    for (std::size_t i = 0; i < net.subnets.size(); ++i) {
        const auto& s = net.subnets[i];
        if (s.zone < 0) continue;
        const auto row = static_cast<std::size_t>(grid.row_of[i]);
        const ImVec2 smin(vmin.x + gap + s.zone * (col_w + gap) + 8, tops[row] + 3);
        const ImVec2 smax(smin.x + col_w - 16, tops[row + 1] - 3);
        draw_subnet(p, s, region, smin, smax, k, chips);
        record(layout, "subnets", s.name, smin, smax,
               ImVec2(vmin.x + gap + s.zone * (col_w + gap), top), ImVec2(vmax.x, vmax.y - 6));
    }
    p.list_top = max.y - list_h;
    draw_flow_arrows(p, flows, chips, region, inet_min, inet_max, min, max,
                     ImVec2(igw_c.x, igw_c.y + fs * 0.7f));

    // The list of flows under the VPC: which hop, open or blocked, and why.
    float y = max.y - list_h + fs * 0.2f;
    dl->PushClipRect(ImVec2(min.x, y), ImVec2(max.x - 4, max.y), true);
    for (std::size_t i = 0; i < flows.size(); ++i) {
        const ImVec2 at(min.x + 10, y);
        dl->AddText(p.font, list_size, at, flows[i]->open ? kOpen : kClosed, flow_lines[i].c_str(),
                    nullptr, list_wrap);
        const ImVec2 sz =
            p.font->CalcTextSizeA(list_size, FLT_MAX, list_wrap, flow_lines[i].c_str());
        record(layout, "network flows", flow_lines[i], at, ImVec2(at.x + sz.x, at.y + sz.y), min,
               max);
        y += sz.y + 1;
    }
    dl->PopClipRect();
}

}  // namespace stratus::viz
