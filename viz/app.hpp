#pragma once
// stratus-viz's application state: the scenario, the World it runs, the view model, the
// instructor's command session, and the playback clock. The simulation advances in slices of
// at most one simulated second, within a wall-clock budget per frame, so a frame never
// blocks however heavy the run.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "sim/cloud/world.hpp"
#include "sim/report/run.hpp"
#include "sim/view/commands.hpp"
#include "sim/view/network_view.hpp"
#include "sim/view/view_model.hpp"
#include "viz/ui_text.hpp"

struct ImFont;

namespace stratus::viz {

class LayoutLog;

enum class Panel { Activity, Alarms, Log, Lesson, Commands, Inspector, Labs, Targets };

// The Lesson panel's challenge check: what `stratus lab check` says, for the run as loaded.
struct GoalCheckView {
    bool done = false;
    bool has_goal = false;
    bool met = false;
    std::vector<std::string> lines;
    std::string hint;
};

struct Fonts {
    ImFont* body = nullptr;
    ImFont* big = nullptr;
};

class App {
  public:
    // `compare`: --set overrides of a second variant run in lockstep (same seed, same
    // commands), drawn under the first with its series overlaid dashed on the charts; empty
    // for one run.
    App(std::string file, std::vector<std::string> sets, std::string labs_dir,
        std::vector<std::string> compare = {});

    // (Re)loads the scenario from its file; throws ScenarioError on a bad one.
    void load();
    void restart();
    // Runs the simulation to `t` at once (headless mode, "run until").
    void run_to(SimTime t);
    // Advances by the speed and the wall time since the last frame, within `budget_ms`.
    void advance(double wall_dt_s, double budget_ms);
    // Runs until the event log grows (the next notable event), at most 10 minutes ahead.
    void step_to_next_event();
    void issue(view::Command command);
    void end_early(std::size_t command);  // "recover now" of an issued outage
    std::string export_session(const std::string& path);
    // Inspects the instance named `id`; false when there is none.
    bool select_instance(const std::string& id);

    // Draws the whole window.
    void draw(const Fonts& fonts);

    bool playing = false;
    double speed = 60;  // simulated seconds per wall second
    double achieved_speed = 0;
    Panel panel = Panel::Activity;
    bool network = false;         // the network view instead of the AZ columns (button, key V)
    Lang lang = Lang::English;    // the UI's strings and the lesson's language first
    int selected = -1;            // fleet index of the inspected instance
    std::string status;           // the last message for the status line
    LayoutLog* layout = nullptr;  // records what was drawn where (--layout), or null

  private:
    void observe();
    void draw_top_bar(const Fonts& fonts, float width);
    bool toolbar_button(const char* label, float right);
    void note_toolbar_item(const char* name);
    int draw_maps(float top, float left_w, float region_h);
    void draw_charts(float cx, float top, float cw, float h);
    void draw_panels(float x, float y, float w, float h);
    void draw_activity();
    void draw_activity_of(const std::vector<view::ActivityView>& acts);
    void draw_targets();
    void draw_target_table(const std::vector<view::TargetRow>& rows);
    void draw_alarms();
    void draw_log();
    void draw_lesson();
    GoalCheckView goal_check_;  // the last "Check the goal" of the Lesson panel
    void draw_commands();
    void draw_fault_commands();
    void draw_group_commands();
    void draw_policy_commands();
    void draw_issued();
    void draw_inspector();
    void draw_labs();
    void refresh_snapshot();

    // Compare mode: the second variant.
    struct Variant {
        scenario::Spec spec;
        std::unique_ptr<report::Run> run;
        cloud::World* world = nullptr;  // run's
        std::unique_ptr<view::ViewModel> model;
        view::CommandSession session;
        view::RegionView region;
        view::Charts charts;
        view::NetworkView net;
    };
    void sync_variant();  // runs the variant to the first run's time

    std::vector<std::string> compare_;
    std::unique_ptr<Variant> b_;
    std::string file_;
    std::vector<std::string> sets_;
    std::string labs_dir_;
    scenario::Spec spec_;
    std::unique_ptr<report::Run> run_;
    cloud::World* world_ = nullptr;  // run_'s
    std::unique_ptr<view::ViewModel> model_;
    view::CommandSession session_;

    // The snapshot drawn this frame.
    view::RegionView region_;
    view::Charts charts_;
    view::NetworkView net_;
    bool snapshot_dirty_ = true;

    double sim_debt_s_ = 0;  // simulated time owed by the speed, not yet run
    double speed_window_wall_ = 0, speed_window_sim_ = 0;
    float hover_t_ = -1;
    char log_filter_[128] = "";
    char export_path_[256] = "stratus-viz-session.toml";
    char until_text_[32] = "30m";
    int fail_minutes_ = 15;
    float spot_fraction_ = 0.5f;
    float spike_factor_ = 3.0f;
    std::vector<std::pair<std::string, std::string>> labs_;  // path, lesson text
};

}  // namespace stratus::viz
