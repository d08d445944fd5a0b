#include "viz/app.hpp"

#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <imgui.h>

#include "sim/report/lab.hpp"
#include "sim/report/outputs.hpp"
#include "sim/scenario/internal.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/settings.hpp"
#include "viz/chart.hpp"
#include "viz/layout.hpp"
#include "viz/network_view.hpp"
#include "viz/region_view.hpp"
#include "viz/ui_text.hpp"

namespace stratus::viz {
namespace fs = std::filesystem;

namespace {

constexpr SimTime kSlice = kSecond;  // the simulation advances at most this much per call

// A lab's lesson in the UI's language, as `stratus labs` lists it (the first line of its text
// when it names no lesson or does not parse).
std::string lesson_line(const std::string& description, Lang lang) {
    try {
        const report::LabText text = report::parse_lab_text(description);
        const report::LabSection& mine =
            lang == Lang::Korean && text.korean.present ? text.korean : text.english;
        if (!mine.lesson.empty()) return mine.lesson;
    } catch (const std::invalid_argument&) {
    }
    return description.substr(0, description.find('\n', 1));
}

// The lesson text of one language ("EN:" / "KO:" paragraphs), or all of it.
std::string lesson_part(const std::string& text, const char* tag) {
    const auto at = text.find(tag);
    if (at == std::string::npos) return "";
    auto end = text.find("\nKO:", at + 3);
    if (std::string(tag) == "KO:") end = std::string::npos;
    return text.substr(at + 3, end == std::string::npos ? end : end - at - 3);
}

}  // namespace

App::App(std::string file, std::vector<std::string> sets, std::string labs_dir,
         std::vector<std::string> compare)
    : compare_(std::move(compare)),
      file_(std::move(file)),
      sets_(std::move(sets)),
      labs_dir_(std::move(labs_dir)) {
    if (!labs_dir_.empty() && fs::is_directory(labs_dir_)) {
        for (const auto& e : fs::directory_iterator(labs_dir_))
            if (e.path().extension() == ".toml") {
                try {
                    labs_.emplace_back(
                        e.path().string(),
                        scenario::load_file(e.path().string()).simulation.description);
                } catch (const std::exception&) {
                    // A lab that does not load is left out of the picker.
                }
            }
        std::sort(labs_.begin(), labs_.end());
    }
}

void App::load() {
    // Both specs load before anything changes, so a bad file leaves the current run alone.
    scenario::Spec spec = scenario::load_file(file_, sets_);
    std::unique_ptr<Variant> b;
    if (!compare_.empty()) {
        std::vector<std::string> sets = sets_;
        sets.insert(sets.end(), compare_.begin(), compare_.end());
        b = std::make_unique<Variant>();
        b->spec = scenario::load_file(file_, sets);
    }
    spec_ = std::move(spec);
    b_ = std::move(b);
    restart();
}

void App::restart() {
    model_.reset();
    run_ = std::make_unique<report::Run>(spec_);
    world_ = &run_->world();
    world_->start();
    model_ = std::make_unique<view::ViewModel>(*run_);
    session_ = view::CommandSession{};
    if (b_) {
        b_->model.reset();
        b_->run = std::make_unique<report::Run>(b_->spec);
        b_->world = &b_->run->world();
        b_->world->start();
        b_->model = std::make_unique<view::ViewModel>(*b_->run);
        b_->session = view::CommandSession{};
    }
    selected = -1;
    sim_debt_s_ = 0;
    observe();
}

void App::observe() {
    model_->observe(*run_);
    sync_variant();
    snapshot_dirty_ = true;
}

void App::sync_variant() {
    if (!b_) return;
    const SimTime t = world_->sim().now();
    while (b_->world->sim().now() < t && !b_->world->finished()) {
        b_->world->run_until(std::min(t, b_->world->sim().now() + kSlice));
        b_->model->observe(*b_->run);
    }
}

void App::run_to(SimTime t) {
    t = std::min(t, world_->horizon());
    while (world_->sim().now() < t && !world_->finished()) {
        world_->run_until(std::min(t, world_->sim().now() + kSlice));
        observe();
    }
}

void App::advance(double wall_dt_s, double budget_ms) {
    const auto begin = std::chrono::steady_clock::now();
    const SimTime start = world_->sim().now();
    if (playing && !world_->finished()) {
        sim_debt_s_ = std::min(sim_debt_s_ + wall_dt_s * speed, speed * 0.5);
        while (sim_debt_s_ > 1e-6 && !world_->finished()) {
            const SimTime step =
                std::min<SimTime>(kSlice, static_cast<SimTime>(std::ceil(sim_debt_s_ * kSecond)));
            world_->run_until(world_->sim().now() + step);
            sim_debt_s_ -= to_seconds(step);
            observe();
            const double spent =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin)
                    .count();
            if (spent > budget_ms) break;  // the rest waits for the next frame
        }
        if (world_->finished()) playing = false;
    }
    // Achieved speed over about half a second of wall time.
    speed_window_wall_ += wall_dt_s;
    speed_window_sim_ += to_seconds(world_->sim().now() - start);
    if (speed_window_wall_ > 0.5) {
        achieved_speed = speed_window_sim_ / speed_window_wall_;
        speed_window_wall_ = speed_window_sim_ = 0;
    }
}

void App::step_to_next_event() {
    const std::size_t n = run_->recorder().log().records().size();
    const SimTime limit = world_->sim().now() + 10 * kMinute;
    while (run_->recorder().log().records().size() == n && world_->sim().now() < limit &&
           !world_->finished()) {
        world_->run_until(world_->sim().now() + kSlice);
        observe();
    }
}

void App::issue(view::Command command) {
    try {
        const SimTime at = session_.issue(*world_, command);
        // The variant gets the same command at the same time (both are in lockstep).
        if (b_) b_->session.issue(*b_->world, command);
        status = fmt::format("at {}: {}", clock_text(to_seconds(at)), view::describe(command));
    } catch (const std::exception& e) {
        status = std::string("refused: ") + e.what();
    }
}

void App::end_early(std::size_t command) {
    try {
        const SimTime at = session_.end_early(*world_, command);
        if (b_) b_->session.end_early(*b_->world, command);
        status = fmt::format("at {}: {} ends", clock_text(to_seconds(at)),
                             view::describe(session_.issued()[command]));
    } catch (const std::exception& e) {
        status = std::string("refused: ") + e.what();
    }
}

std::string App::export_session(const std::string& path_in) {
    // Never overwrite a file: a taken name gets a number.
    std::string path = path_in;
    for (int i = 2; fs::exists(fs::symlink_status(path)); ++i) {
        const fs::path p(path_in);
        path = (p.parent_path() /
                (p.stem().string() + "-" + std::to_string(i) + p.extension().string()))
                   .string();
    }
    std::string out = scenario::read_scenario_text(file_);
    if (!sets_.empty()) {
        out += "\n# The session ran with:";
        for (const auto& s : sets_)
            out += " --set " + s;
        out += "\n";
    }
    out += session_.export_toml();
    report::write_file_atomically(path, out);
    return path;
}

bool App::select_instance(const std::string& id) {
    for (std::uint32_t i = 0; i < world_->fleet().size(); ++i) {
        if (world_->fleet()[i].name() == id) {
            selected = static_cast<int>(i);
            return true;
        }
    }
    return false;
}

void App::refresh_snapshot() {
    if (!snapshot_dirty_) return;
    region_ = model_->region(*run_);
    charts_ = model_->charts(*run_);
    if (network) net_ = view::network_view(*world_);
    if (b_) {
        b_->region = b_->model->region(*b_->run);
        b_->charts = b_->model->charts(*b_->run);
        if (network) b_->net = view::network_view(*b_->world);
        // Overlay: per chart, the key series of each run (A solid, B dashed): requests/s,
        // p99, all errors, CPU, in service, cost rate, cost.
        for (std::size_t i = 0; i < charts_.charts.size() && i < b_->charts.charts.size(); ++i) {
            auto key = [&](const view::Chart& c, const char* run) {
                view::Series s;
                if (c.title == "Errors/s by code") {
                    // The sum of the codes, period by period (all codes share the times).
                    s = c.series.at(0);
                    for (std::size_t k = 1; k < c.series.size(); ++k)
                        for (std::size_t j = 0; j < s.v.size() && j < c.series[k].v.size(); ++j)
                            s.v[j] += c.series[k].v[j];
                    s.name = "errors";
                } else {
                    s = c.series.at(c.title == "Latency" ? 1 : 0);
                }
                s.name = std::string(run) + " " + s.name;
                return s;
            };
            view::Chart& a = charts_.charts[i];
            const view::Series sa = key(a, "A"), sb = key(b_->charts.charts[i], "B");
            a.series = {sa, sb};
        }
    }
    snapshot_dirty_ = false;
}

// ---------------------------------------------------------------------------------------------
// Drawing

void App::draw(const Fonts& fonts) {
    refresh_snapshot();
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->Pos);
    ImGui::SetNextWindowSize(vp->Size);
    ImGui::Begin("stratus-viz", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollbar |
                     ImGuiWindowFlags_NoScrollWithMouse);
    const float W = vp->Size.x, H = vp->Size.y;
    draw_top_bar(fonts, W);
    const float top = ImGui::GetCursorScreenPos().y + 2;
    const float left_w = std::floor(W * 0.56f);
    // The network view has more to write (subnets, route tables, flows): a little more room.
    const float region_h = std::floor((H - top) * (network ? 0.66f : 0.60f));

    const int clicked = draw_maps(top, left_w, region_h);
    if (clicked >= 0) {
        selected = clicked;
        panel = Panel::Inspector;
    }
    const float legend_h = draw_legend(ImVec2(4, top + region_h + 2), left_w - 8, lang, layout) + 4;
    draw_panels(4, top + region_h + legend_h, left_w - 8, H - (top + region_h + legend_h) - 4);

    draw_charts(left_w + 4, top, W - left_w - 8, H - top - 4);
    ImGui::End();
}

// The region (or network) view of the run, and in compare mode the variant's below it; the
// index of the instance tile clicked, or -1.
int App::draw_maps(float top, float left_w, float region_h) {
    RegionStyle rs;
    rs.selected = selected;
    rs.lang = lang;
    rs.layout = layout;
    // Tiles grow with the font, so that a projector's --font-size 26 still fits their text.
    rs.tile_w = std::max(rs.tile_w, ImGui::GetFontSize() * 5.2f);
    rs.tile_h = std::max(rs.tile_h, ImGui::GetFontSize() * 3.4f);
    int clicked = -1;
    if (network && !b_) {
        draw_network(net_, region_, ImVec2(4, top), ImVec2(left_w - 4, top + region_h), lang,
                     layout);
    } else if (!b_) {
        clicked = draw_region(region_, ImVec2(4, top), ImVec2(left_w - 4, top + region_h), rs);
    } else {
        // Compare: the first run above, the variant below, each captioned.
        const float half = std::floor(region_h / 2);
        const float cap = ImGui::GetFontSize() + 4;
        ImDrawList* dl = ImGui::GetWindowDrawList();
        std::string a =
            "A (solid on the charts): " + (sets_.empty() ? std::string("as written") : "");
        for (const auto& s : sets_)
            a += s + " ";
        std::string b = "B (dashed on the charts):";
        for (const auto& s : compare_)
            b += " " + s;
        dl->AddText(ImVec2(8, top), IM_COL32(20, 20, 20, 255), a.c_str());
        if (network)
            draw_network(net_, region_, ImVec2(4, top + cap), ImVec2(left_w - 4, top + half - 2),
                         lang);
        else
            clicked =
                draw_region(region_, ImVec2(4, top + cap), ImVec2(left_w - 4, top + half - 2), rs);
        dl->AddText(ImVec2(8, top + half), IM_COL32(20, 20, 20, 255), b.c_str());
        RegionStyle rb = rs;
        rb.selected = -1;
        if (network)
            draw_network(b_->net, b_->region, ImVec2(4, top + half + cap),
                         ImVec2(left_w - 4, top + region_h), lang);
        else
            draw_region(b_->region, ImVec2(4, top + half + cap), ImVec2(left_w - 4, top + region_h),
                        rb);
    }
    return clicked;
}

// The charts in the box from (cx, top), cw wide and h high, one above the other on a shared
// time axis (0 .. the end of the lesson); the hovered time for the next frame.
void App::draw_charts(float cx, float top, float cw, float h) {
    const std::size_t n = charts_.charts.size();
    const float ch = h / static_cast<float>(std::max<std::size_t>(1, n));
    ChartStyle cs;
    cs.horizon_s = static_cast<float>(charts_.horizon_s);
    cs.now_s = static_cast<float>(to_seconds(world_->sim().now()));
    cs.compare = b_ != nullptr;
    cs.layout = layout;
    float hover = -1;
    std::vector<view::Marker> markers = charts_.markers;
    for (auto& m : markers)
        m.label = marker_text(lang, m.label);
    for (std::size_t i = 0; i < n; ++i) {
        cs.marker_labels = i == 0;
        cs.time_labels = i + 1 == n;
        const ImVec2 a(cx, top + i * ch), b(cx + cw, top + (i + 1) * ch - 4);
        view::Chart shown = charts_.charts[i];
        shown.title = ui(lang, shown.title.c_str());
        for (auto& series : shown.series)
            series.name = ui(lang, series.name.c_str());
        const float t = draw_chart(shown, markers, a, b, cs, hover_t_);
        if (t >= 0) hover = t;
    }
    hover_t_ = hover;
}

void App::draw_top_bar(const Fonts& fonts, float width) {
    // Keys for the instructor at the projector: Space plays or pauses, N runs to the next
    // event, R restarts (not while typing in a field).
    if (!ImGui::GetIO().WantTextInput) {
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space))) playing = !playing;
        if (ImGui::IsKeyPressed('N')) step_to_next_event();
        if (ImGui::IsKeyPressed('R')) restart();
        if (ImGui::IsKeyPressed('V')) {
            network = !network;
            snapshot_dirty_ = true;
        }
    }
    width -= ImGui::GetStyle().WindowPadding.x;  // the right edge of the window's content
    if (fonts.big) ImGui::PushFont(fonts.big);
    ImGui::TextUnformatted(spec_.simulation.name.c_str());
    note_toolbar_item("title");
    const double now = to_seconds(world_->sim().now());
    const std::string clock =
        fmt::format("   {} / {}", clock_text(now), clock_text(to_seconds(world_->horizon())));
    same_line_if_fits(ImGui::CalcTextSize(clock.c_str()).x, width);
    ImGui::TextUnformatted(clock.c_str());
    note_toolbar_item("clock");
    // The buttons start after the title, however long the lab's name or large the font, and
    // wrap to a second row when the window is too narrow for them (a projector's font).
    const float title_end = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x;
    if (fonts.big) ImGui::PopFont();
    const char* play = ui(lang, playing ? "Pause" : "Play");
    const float first_x = std::max(width * 0.36f, title_end + 16);
    if (first_x + button_width(play) <= width) ImGui::SameLine(first_x);
    if (ImGui::Button(play)) playing = !playing;
    note_toolbar_item(play);
    if (toolbar_button(ui(lang, "Next event"), width)) step_to_next_event();
    same_line_if_fits(70, width);
    ImGui::SetNextItemWidth(70);
    ImGui::InputText("##until", until_text_, sizeof until_text_);
    note_toolbar_item("until");
    if (toolbar_button(ui(lang, "Run until"), width)) {
        if (auto t = scenario::detail::parse_duration(until_text_))
            run_to(*t);
        else
            status = std::string("not a duration: ") + until_text_;
    }
    if (toolbar_button(ui(lang, "Restart"), width)) restart();
    // Logarithmic speed: 10^0 .. 10^5.
    float exponent = static_cast<float>(std::log10(speed));
    same_line_if_fits(160, width);
    ImGui::SetNextItemWidth(160);
    if (ImGui::SliderFloat("##speed", &exponent, 0.0f, 5.0f, "")) speed = std::pow(10.0, exponent);
    note_toolbar_item("speed slider");
    const std::string speed_text = fmt::format(
        fmt::runtime(ui(lang, "speed {:.0f}x (achieved {:.0f}x)")), speed, achieved_speed);
    same_line_if_fits(ImGui::CalcTextSize(speed_text.c_str()).x, width);
    ImGui::TextUnformatted(speed_text.c_str());
    note_toolbar_item("speed");
    if (toolbar_button(ui(lang, "Labs"), width)) panel = Panel::Labs;
    if (toolbar_button(ui(lang, network ? "AZ view" : "Network view"), width)) {
        network = !network;
        snapshot_dirty_ = true;
    }
    // The other language's name, in that language.
    if (toolbar_button(lang == Lang::Korean ? "English" : "한국어", width))
        lang = lang == Lang::Korean ? Lang::English : Lang::Korean;
    if (!status.empty()) {
        same_line_if_fits(ImGui::CalcTextSize(status.c_str()).x, width);
        ImGui::PushTextWrapPos(width);
        ImGui::TextColored(ImVec4(0.1f, 0.3f, 0.7f, 1), "%s", status.c_str());
        ImGui::PopTextWrapPos();
    }
}

// A button of the top bar, on the current row when it fits, else on the next; true when
// clicked.
bool App::toolbar_button(const char* label, float width) {
    same_line_if_fits(button_width(label), width);
    const bool clicked = ImGui::Button(label);
    note_toolbar_item(label);
    return clicked;
}

// The last item of the top bar, for the layout test: inside the window, overlapping no other.
void App::note_toolbar_item(const char* name) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    record(layout, "toolbar", name, ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), vp->Pos,
           ImVec2(vp->Pos.x + vp->Size.x, vp->Pos.y + vp->Size.y));
}

void App::draw_panels(float x, float y, float w, float h) {
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    ImGui::BeginChild("panels", ImVec2(w, h), true);
    struct Tab {
        Panel p;
        const char* name;
    };
    const Tab tabs[] = {{Panel::Activity, "Auto Scaling activity"},
                        {Panel::Alarms, "Alarms"},
                        {Panel::Log, "Event log"},
                        {Panel::Lesson, "Lesson"},
                        {Panel::Commands, "Instructor"},
                        {Panel::Inspector, "Inspector"},
                        {Panel::Targets, "Targets"},
                        {Panel::Labs, "Labs"}};
    // The tabs wrap to a second row when they do not fit (a large font, Korean).
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    bool first = true;
    for (const Tab& t : tabs) {
        const bool on = panel == t.p;
        const char* name = ui(lang, t.name);
        if (!first) same_line_if_fits(button_width(name), right);
        first = false;
        if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.15f, 0.45f, 0.85f, 1));
        if (ImGui::Button(name)) panel = t.p;
        if (on) ImGui::PopStyleColor();
        record(layout, "panel tabs", name, ImGui::GetItemRectMin(), ImGui::GetItemRectMax(),
               ImGui::GetWindowPos(),
               ImVec2(right, ImGui::GetWindowPos().y + ImGui::GetWindowSize().y));
    }
    ImGui::Separator();
    ImGui::BeginChild("panel-body");
    switch (panel) {
        case Panel::Activity:
            draw_activity();
            break;
        case Panel::Alarms:
            draw_alarms();
            break;
        case Panel::Log:
            draw_log();
            break;
        case Panel::Lesson:
            draw_lesson();
            break;
        case Panel::Commands:
            draw_commands();
            break;
        case Panel::Inspector:
            draw_inspector();
            break;
        case Panel::Labs:
            draw_labs();
            break;
        case Panel::Targets:
            draw_targets();
            break;
    }
    ImGui::EndChild();
    ImGui::EndChild();
}

void App::draw_activity() {
    if (!b_) {
        draw_activity_of(model_->activities(*run_));
        return;
    }
    // Compare mode: both runs' activity side by side.
    if (ImGui::BeginTable("activity-ab", 2, ImGuiTableFlags_BordersInnerV)) {
        ImGui::TableNextColumn();
        ImGui::TextUnformatted("A");
        ImGui::TableNextColumn();
        ImGui::TextUnformatted("B");
        ImGui::TableNextColumn();
        ImGui::PushID("A");
        draw_activity_of(model_->activities(*run_));
        ImGui::PopID();
        ImGui::TableNextColumn();
        ImGui::PushID("B");
        draw_activity_of(b_->model->activities(*b_->run));
        ImGui::PopID();
        ImGui::EndTable();
    }
}

void App::draw_activity_of(const std::vector<view::ActivityView>& acts) {
    // Newest first, as the console lists them.
    if (acts.empty()) ImGui::TextDisabled("%s", ui(lang, "No scaling activity yet."));
    ImGui::PushTextWrapPos(0);
    for (auto it = acts.rbegin(); it != acts.rend(); ++it) {
        const bool launch = it->description.rfind("Launching", 0) == 0;
        ImGui::TextColored(launch ? ImVec4(0.1f, 0.5f, 0.2f, 1) : ImVec4(0.75f, 0.35f, 0.0f, 1),
                           "%s  %s", clock_text(it->t_s).c_str(), it->description.c_str());
        ImGui::Indent(20);
        if (!it->termination_rule.empty())
            ImGui::TextColored(ImVec4(0.6f, 0.3f, 0.0f, 1), "%s %s", ui(lang, "picked by:"),
                               it->termination_rule.c_str());
        ImGui::TextDisabled("%s", it->cause.c_str());
        ImGui::Unindent(20);
    }
    ImGui::PopTextWrapPos();
}

void App::draw_targets() {
    // The groups: capacity, and what holds the next scaling back.
    for (const auto& g : region_.groups) {
        std::string line =
            fmt::format(fmt::runtime(ui(lang, "{}: desired {} (min {}, max {}), {} in service")),
                        g.name, g.desired, g.min_size, g.max_size, g.in_service);
        if (g.cooldown_waiting)
            line += ui(lang, "; cooldown starts when the scaling activity ends");
        else if (g.cooldown_left_s > 0)
            line += fmt::format(fmt::runtime(ui(lang, "; cooldown {} left")),
                                clock_text(g.cooldown_left_s));
        if (g.warmup_left_s > 0)
            line += fmt::format(fmt::runtime(ui(lang, "; instance warm-up {} left")),
                                clock_text(g.warmup_left_s));
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(line.c_str());
        ImGui::PopTextWrapPos();
    }
    const auto rows = model_->targets(*run_);
    if (rows.empty()) {
        ImGui::TextDisabled("%s", ui(lang, "No target is registered."));
        return;
    }
    draw_target_table(rows);
}

// The Targets table, as the console's Targets tab: the first four columns as wide as their
// widest text (header included), so that an AZ's name is never cut at a projector's font
// size; the Reason column takes the rest and wraps. Each header and cell is recorded for the
// layout test: inside its column and the panel, overlapping no other.
void App::draw_target_table(const std::vector<view::TargetRow>& rows) {
    constexpr int kColumns = 5;
    const char* headers[kColumns] = {ui(lang, "Target group"), ui(lang, "Instance"),
                                     ui(lang, "Zone"), ui(lang, "Health status"),
                                     ui(lang, "Reason")};
    std::vector<std::array<std::string, kColumns>> cells;
    for (const auto& r : rows)
        cells.push_back({r.target_group, r.instance, r.availability_zone, ui(lang, r.state.c_str()),
                         r.reason.empty() ? std::string() : r.reason + ": " + r.description});
    float widths[kColumns - 1];
    for (int c = 0; c + 1 < kColumns; ++c) {
        widths[c] = ImGui::CalcTextSize(headers[c]).x;
        for (const auto& row : cells)
            widths[c] = std::max(widths[c], ImGui::CalcTextSize(row[c].c_str()).x);
    }
    if (!ImGui::BeginTable("targets", kColumns,
                           ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                               ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit))
        return;
    for (int c = 0; c + 1 < kColumns; ++c)
        ImGui::TableSetupColumn(headers[c], ImGuiTableColumnFlags_WidthFixed, widths[c]);
    ImGui::TableSetupColumn(headers[kColumns - 1], ImGuiTableColumnFlags_WidthStretch);
    // Where a cell's text must stay: its column, within the panel's visible width.
    const float panel_right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    auto note = [&](const std::string& name, ImVec2 min, ImVec2 max, ImVec2 cell) {
        const float right = std::min(panel_right, cell.x + ImGui::GetContentRegionAvail().x);
        record(layout, "targets", name, min, max, cell, ImVec2(right, FLT_MAX));
    };
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    for (int c = 0; c < kColumns; ++c) {
        ImGui::TableSetColumnIndex(c);
        const ImVec2 at = ImGui::GetCursorScreenPos();
        ImGui::TableHeader(headers[c]);
        const ImVec2 size = ImGui::CalcTextSize(headers[c]);
        note(std::string("header ") + headers[c], at, ImVec2(at.x + size.x, at.y + size.y), at);
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& r = rows[i];
        for (int c = 0; c < kColumns; ++c) {
            ImGui::TableNextColumn();
            const std::string& text = cells[i][static_cast<std::size_t>(c)];
            if (text.empty()) continue;
            const ImVec2 at = ImGui::GetCursorScreenPos();
            if (c == 3) {
                const ImVec4 col = r.state == "healthy"     ? ImVec4(0.1f, 0.55f, 0.2f, 1)
                                   : r.state == "unhealthy" ? ImVec4(0.85f, 0.1f, 0.1f, 1)
                                                            : ImVec4(0.4f, 0.4f, 0.4f, 1);
                ImGui::TextColored(col, "%s", text.c_str());
            } else {
                ImGui::PushTextWrapPos(0);
                ImGui::TextUnformatted(text.c_str());
                ImGui::PopTextWrapPos();
            }
            note(fmt::format("{} {}", r.instance, text), ImGui::GetItemRectMin(),
                 ImGui::GetItemRectMax(), at);
        }
    }
    ImGui::EndTable();
}

void App::draw_alarms() {
    const auto alarms = model_->alarms(*run_);
    if (alarms.empty()) ImGui::TextDisabled("%s", ui(lang, "This scenario has no alarms."));
    for (const auto& a : alarms) {
        const ImVec4 col = a.state == "ALARM" ? ImVec4(0.85f, 0.1f, 0.1f, 1)
                           : a.state == "OK"  ? ImVec4(0.1f, 0.55f, 0.2f, 1)
                                              : ImVec4(0.5f, 0.5f, 0.5f, 1);
        ImGui::TextColored(col, "%-17s", a.state.c_str());
        ImGui::SameLine();
        ImGui::Text("%s  %s %s", a.name.c_str(), a.metric.c_str(), a.condition.c_str());
        std::string pts;
        for (double v : a.recent)
            pts += fmt::format("{:.3g}  ", v);
        ImGui::Indent(20);
        ImGui::TextDisabled("%s %s", ui(lang, "recent datapoints:"),
                            pts.empty() ? "-" : pts.c_str());
        ImGui::Unindent(20);
    }
}

void App::draw_log() {
    ImGui::SetNextItemWidth(300);
    ImGui::InputTextWithHint("##filter", ui(lang, "filter (type, instance, AZ...)"), log_filter_,
                             sizeof log_filter_);
    const auto lines = model_->log(*run_, log_filter_, 400);
    ImGui::BeginChild("log-lines");
    // Long lines wrap (a cause or a closed flow's rule can be longer than the panel).
    ImGui::PushTextWrapPos(0);
    for (const auto& l : lines) {
        ImGui::Text("%s  %-24s", clock_text(l.t_s).c_str(), l.type.c_str());
        ImGui::SameLine();
        ImGui::TextDisabled("%s", l.text.c_str());
    }
    ImGui::PopTextWrapPos();
    if (ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 5) ImGui::SetScrollHereY(1.0f);
    ImGui::EndChild();
}

void App::draw_lesson() {
    const std::string& d = spec_.simulation.description;
    const std::string en = lesson_part(d, "EN:"), ko = lesson_part(d, "KO:");
    // The challenge: run the scenario as loaded (the student's edits) and check its goal.
    if (ImGui::Button(ui(lang, "Check the goal"))) {
        goal_check_ = GoalCheckView{};
        goal_check_.done = true;
        try {
            const auto r =
                report::check_goal(spec_, lang == Lang::Korean ? report::LabLanguage::Korean
                                                               : report::LabLanguage::English);
            goal_check_.has_goal = r.has_goal;
            goal_check_.met = r.met;
            goal_check_.lines = r.lines;
            goal_check_.hint = r.hint;
        } catch (const std::exception& e) {
            goal_check_.lines = {e.what()};
        }
    }
    if (goal_check_.done) {
        ImGui::PushTextWrapPos(0);
        if (!goal_check_.has_goal) {
            ImGui::TextDisabled("%s", ui(lang, "This lab names no goal."));
        } else {
            ImGui::TextColored(
                goal_check_.met ? ImVec4(0.1f, 0.55f, 0.2f, 1) : ImVec4(0.85f, 0.1f, 0.1f, 1), "%s",
                ui(lang, goal_check_.met ? "Goal met." : "Goal not met yet."));
            for (const auto& l : goal_check_.lines)
                ImGui::TextUnformatted(l.c_str());
            if (!goal_check_.met && !goal_check_.hint.empty())
                ImGui::Text("%s %s", ui(lang, "Hint:"), goal_check_.hint.c_str());
        }
        ImGui::PopTextWrapPos();
        ImGui::Separator();
    }
    ImGui::PushTextWrapPos(0);
    if (en.empty() && ko.empty())
        ImGui::TextUnformatted(d.empty() ? "(no lesson text)" : d.c_str());
    // The language chosen first, the other under it.
    const std::string& first = lang == Lang::Korean ? ko : en;
    const std::string& second = lang == Lang::Korean ? en : ko;
    if (!first.empty()) ImGui::TextUnformatted(first.c_str());
    if (!second.empty()) {
        ImGui::Separator();
        ImGui::TextUnformatted(second.c_str());
    }
    ImGui::PopTextWrapPos();
}

// The Commands panel: faults and traffic spikes, each group's and policy's settings, and what
// was issued (with the session's export as a scenario).
void App::draw_commands() {
    draw_fault_commands();
    draw_group_commands();
    draw_policy_commands();
    draw_issued();
}

// AZ outages and traffic spikes.
void App::draw_fault_commands() {
    ImGui::TextDisabled("%s", ui(lang,
                                 "Each command takes effect just after the next whole second, as "
                                 "an [[action]] or [[fault]] of the scenario would."));
    ImGui::SetNextItemWidth(100);
    ImGui::InputInt(ui(lang, "outage minutes"), &fail_minutes_);
    fail_minutes_ = std::clamp(fail_minutes_, 1, 24 * 60);
    for (const auto& z : region_.zones) {
        ImGui::SameLine();
        if (ImGui::Button(fmt::format(fmt::runtime(ui(lang, "Fail {}")), z.name).c_str()))
            issue(view::az_outage(z.name, fail_minutes_ * kMinute));
    }
    // Traffic spikes: the workload's rate times the factor from the next second on; "normal"
    // sets it back to 1 (each is an [[action]] workload.<name>.rate_multiplier).
    ImGui::SetNextItemWidth(100);
    ImGui::SliderFloat(ui(lang, "spike factor"), &spike_factor_, 1.5f, 10.0f, "x%.1f");
    for (const auto& w : world_->spec().workload) {
        ImGui::PushID(w.name.c_str());
        ImGui::SameLine();
        if (ImGui::Button(fmt::format(fmt::runtime(ui(lang, "Spike {}")), w.name).c_str()))
            issue(view::traffic_spike(w.name, std::round(spike_factor_ * 10.0) / 10.0));
        ImGui::SameLine();
        if (ImGui::Button(fmt::format(fmt::runtime(ui(lang, "{} normal")), w.name).c_str()))
            issue(view::traffic_spike(w.name, 1.0));
        ImGui::PopID();
    }
}

// Each Auto Scaling group's settable numbers, a Spot interruption wave and an instance failure.
void App::draw_group_commands() {
    for (const auto& g : region_.groups) {
        ImGui::PushID(g.name.c_str());
        ImGui::Separator();
        ImGui::Text("%s %s", ui(lang, "Auto Scaling group"), g.name.c_str());
        // The group's numbers a viewer command can change (the grammar says which).
        int shown = 0;
        for (const scenario::KeyDef* key : scenario::settable_keys("autoscaling_group", true)) {
            int value = 0;
            switch (key->id) {
                case scenario::SettingId::GroupDesiredCapacity:
                    value = g.desired;
                    break;
                case scenario::SettingId::GroupMinSize:
                    value = g.min_size;
                    break;
                case scenario::SettingId::GroupMaxSize:
                    value = g.max_size;
                    break;
                case scenario::SettingId::GroupHealthCheckGracePeriod:
                    value = g.health_check_grace_period;
                    break;
                default:
                    continue;  // not a number shown here (terminate_instance: the inspector)
            }
            const std::string name(key->name());
            ImGui::SetNextItemWidth(110);
            if (ImGui::InputInt(name.c_str(), &value, 1, 10, ImGuiInputTextFlags_EnterReturnsTrue))
                issue(view::set_setting(scenario::setting_path("autoscaling_group", g.name, name),
                                        std::int64_t{value}));
            if (shown++ % 2 == 0) ImGui::SameLine();
        }
        ImGui::SetNextItemWidth(110);
        ImGui::SliderFloat(ui(lang, "of its Spot Instances"), &spot_fraction_, 0.1f, 1.0f, "%.1f");
        ImGui::SameLine();
        if (ImGui::Button(ui(lang, "Spot interruption wave")))
            issue(view::spot_interruption(g.name, spot_fraction_));
        ImGui::SameLine();
        if (ImGui::Button(ui(lang, "Fail one instance"))) issue(view::instance_failure(g.name));
        ImGui::PopID();
    }
}

// Each scaling policy on or off, and a target tracking policy's target value.
void App::draw_policy_commands() {
    for (const auto& p : world_->policies()) {
        ImGui::PushID(p->name().c_str());
        bool on = p->enabled();
        if (ImGui::Checkbox(
                fmt::format(fmt::runtime(ui(lang, "policy {} enabled")), p->name()).c_str(), &on))
            issue(view::set_setting(
                scenario::setting_path("autoscaling_policy", p->name(), "enabled"), on));
        if (p->spec().target_tracking_configuration) {
            ImGui::SameLine();
            double target = p->spec().target_tracking_configuration->target_value;
            ImGui::SetNextItemWidth(120);
            if (ImGui::InputDouble(ui(lang, "target value"), &target, 5, 10, "%.1f",
                                   ImGuiInputTextFlags_EnterReturnsTrue))
                issue(view::set_setting(
                    scenario::setting_path("autoscaling_policy", p->name(), "target_value"),
                    target));
        }
        ImGui::PopID();
    }
}

// The commands issued so far (each recoverable early while in force) and the export.
void App::draw_issued() {
    ImGui::Separator();
    ImGui::Text("%s %zu", ui(lang, "Issued:"), session_.issued().size());
    for (std::size_t k = 0; k < session_.issued().size(); ++k) {
        ImGui::PushID(static_cast<int>(k));
        ImGui::BulletText("%s", view::describe(session_.issued()[k]).c_str());
        if (session_.in_force(k, world_->now())) {
            ImGui::SameLine();
            if (ImGui::Button(ui(lang, "Recover now"))) end_early(k);
        }
        ImGui::PopID();
    }
    ImGui::SetNextItemWidth(300);
    ImGui::InputText("##export", export_path_, sizeof export_path_);
    ImGui::SameLine();
    if (ImGui::Button(ui(lang, "Export as scenario"))) {
        try {
            status = "wrote " + export_session(export_path_);
        } catch (const std::exception& e) {
            status = std::string("export failed: ") + e.what();
        }
    }
}

void App::draw_inspector() {
    if (selected < 0 || selected >= static_cast<int>(world_->fleet().size())) {
        ImGui::TextDisabled("%s", ui(lang, "Click an instance tile to inspect it."));
        return;
    }
    const auto d = model_->inspect(*run_, static_cast<std::uint32_t>(selected));
    ImGui::TextUnformatted(fmt::format(fmt::runtime(ui(lang, "{}  {}  {}  EC2 {}, lifecycle {}")),
                                       d.tile.id, d.tile.instance_type,
                                       d.tile.spot ? "Spot" : "On-Demand",
                                       ui(lang, d.ec2_state.c_str()), ui(lang, d.lifecycle.c_str()))
                               .c_str());
    const std::string terminated =
        d.terminated_at_s >= 0
            ? fmt::format(fmt::runtime(ui(lang, ", terminated {}")), clock_text(d.terminated_at_s))
            : "";
    ImGui::TextUnformatted(
        fmt::format(fmt::runtime(ui(lang,
                                    "launched {}{}   busy {}  queued {}  requests taken {}   "
                                    "cost so far ${:.4f}")),
                    clock_text(d.launched_at_s), terminated, d.busy, d.queued, d.accepted,
                    d.cost_so_far_usd)
            .c_str());
    if (!d.tile.group.empty() && d.lifecycle == "InService") {
        if (ImGui::Button(ui(lang, "Terminate this instance")))
            issue(view::terminate_instance(d.tile.group, d.tile.id));
    }
    ImGui::Separator();
    ImGui::TextUnformatted(ui(lang, "Lifecycle"));
    for (const auto& l : d.lifecycle_events)
        ImGui::BulletText("%s  %s  %s", clock_text(l.t_s).c_str(), l.type.c_str(), l.text.c_str());
    ImGui::TextUnformatted(ui(lang, "Health checks"));
    for (const auto& l : d.health_checks)
        ImGui::BulletText("%s  %s", clock_text(l.t_s).c_str(), l.text.c_str());
}

void App::draw_labs() {
    if (labs_.empty()) ImGui::TextDisabled("%s", ui(lang, "No labs folder found."));
    for (const auto& [path, desc] : labs_) {
        const std::string name = fs::path(path).stem().string();
        if (ImGui::Button(name.c_str())) {
            // Another lab: its own settings, no comparison.
            const std::string old_file = file_;
            const auto old_sets = sets_, old_compare = compare_;
            file_ = path;
            sets_.clear();
            compare_.clear();
            try {
                load();
                panel = Panel::Lesson;
                status = "opened " + name;
            } catch (const std::exception& e) {
                file_ = old_file;
                sets_ = old_sets;
                compare_ = old_compare;
                status = std::string("cannot open: ") + e.what();
            }
        }
        ImGui::PushTextWrapPos(0);
        ImGui::TextDisabled("%s", lesson_line(desc, lang).c_str());
        ImGui::PopTextWrapPos();
    }
}

}  // namespace stratus::viz
