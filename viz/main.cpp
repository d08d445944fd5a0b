// stratus-viz: the interactive viewer (Dear ImGui, GLFW, OpenGL 3).
//   stratus-viz FILE [--set PATH=VALUE]...              an instructor's window
//   stratus-viz FILE --at 1h --screenshot out.png [--size 1600x900] [--panel activity]
// Headless mode runs to the time, draws one window, writes the PNG and exits 0. A bad
// scenario prints its errors and exits 2, like `stratus`.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <CLI/CLI.hpp>

#include <stb_image_write.h>

#include "sim/scenario/diagnostic.hpp"
#include "sim/scenario/internal.hpp"
#include "viz/app.hpp"
#include "viz/layout.hpp"

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

// DejaVu Sans at a projector-friendly size, with Noto Sans CJK merged in for Korean lesson
// text; ImGui's own font when the Debian fonts are not installed.
stratus::viz::Fonts load_fonts(float size) {
    ImGuiIO& io = ImGui::GetIO();
    stratus::viz::Fonts fonts;
    const char* dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    const char* dejavu_bold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
    const char* noto = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
    namespace fs = std::filesystem;
    if (fs::exists(dejavu)) {
        fonts.body = io.Fonts->AddFontFromFileTTF(dejavu, size);
        if (fs::exists(noto)) {
            ImFontConfig merge;
            merge.MergeMode = true;
            // Hangul looks small next to DejaVu at the same pixel size.
            merge.GlyphOffset.y = size * 0.05f;
            io.Fonts->AddFontFromFileTTF(noto, size * 1.12f, &merge,
                                         io.Fonts->GetGlyphRangesKorean());
        }
        fonts.big = io.Fonts->AddFontFromFileTTF(fs::exists(dejavu_bold) ? dejavu_bold : dejavu,
                                                 size * 1.35f);
    } else {
        ImFontConfig config;
        config.SizePixels = size;
        fonts.body = io.Fonts->AddFontDefault(&config);
        fonts.big = fonts.body;
    }
    return fonts;
}

void style_light() {
    ImGui::StyleColorsLight();
    ImGuiStyle& s = ImGui::GetStyle();
    s.FrameRounding = 4;
    s.WindowRounding = 0;
    s.ItemSpacing = ImVec2(8, 5);
    s.Colors[ImGuiCol_WindowBg] = ImVec4(0.96f, 0.96f, 0.97f, 1);
    s.Colors[ImGuiCol_ChildBg] = ImVec4(1, 1, 1, 1);
}

bool write_png(const std::string& path, int w, int h) {
    std::vector<unsigned char> pixels(static_cast<std::size_t>(w) * h * 3);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, w, h, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
    // OpenGL's rows start at the bottom; PNG's at the top.
    stbi_flip_vertically_on_write(1);
    return stbi_write_png(path.c_str(), w, h, 3, pixels.data(), w * 3) != 0;
}

// The command line as given: the viewer's options and their defaults.
struct Options {
    std::string file, at_text, screenshot, size_text = "1600x900", panel_text = "activity";
    std::vector<std::string> sets;
    std::string select;
    std::vector<std::string> compare;
    double play_seconds = 0;
    double speed = 60;
    float font_size = 18;
    std::string view_text = "region";
    std::string lang_text = "en";
    std::string layout;  // --layout: where the last frame's boxes go (the layout test)
};

void add_options(CLI::App& cli, Options& o) {
    cli.add_option("FILE", o.file, "scenario file (TOML)")->required();
    cli.add_option("--set", o.sets, "override a setting: PATH=VALUE (repeatable)")
        ->type_name("PATH=VALUE")
        ->allow_extra_args(false);
    cli.add_option("--at", o.at_text, "run to this time first (e.g. 25m, 1h)");
    cli.add_option("--screenshot", o.screenshot, "write a PNG of the window and exit (headless)");
    cli.add_option("--size", o.size_text, "window size WxH (default 1600x900)");
    cli.add_option("--panel", o.panel_text,
                   "panel shown: activity, alarms, log, lesson, instructor, inspector, targets, "
                   "labs");
    cli.add_option("--select", o.select, "inspect this instance (e.g. i-0003)");
    cli.add_option("--compare", o.compare,
                   "compare mode: a second variant with this override too, in lockstep "
                   "(repeatable)")
        ->type_name("PATH=VALUE")
        ->allow_extra_args(false);
    cli.add_option("--play", o.play_seconds,
                   "with --screenshot: play this many wall-clock seconds first (at --speed)");
    cli.add_option("--speed", o.speed, "simulated seconds per second, 1 to 100000 (default 60)");
    cli.add_option("--font-size", o.font_size, "font size in pixels (default 18)");
    cli.add_option("--view", o.view_text,
                   "what the upper left shows: region (AZ columns and instances) or network "
                   "(VPC, subnets, route tables, security groups, flows)")
        ->check(CLI::IsMember({"region", "network"}));
    cli.add_option("--lang", o.lang_text, "the UI's language: en or ko (the Korean button too)")
        ->check(CLI::IsMember({"en", "ko"}));
    cli.add_option("--layout", o.layout,
                   "with --screenshot: also write where each label, tile and button was drawn "
                   "(one box a line, for the layout test)");
}

// What the options' text means, checked before anything is loaded or a window opened.
struct Settings {
    int width = 1600, height = 900;
    std::optional<stratus::SimTime> at;
    stratus::viz::Panel panel = stratus::viz::Panel::Activity;
};

// Reads --size, --at and --panel; on a bad one says which and returns false (exit 2).
bool read_settings(const Options& o, Settings& out) {
    if (std::sscanf(o.size_text.c_str(), "%dx%d", &out.width, &out.height) != 2 ||
        out.width < 320 || out.height < 240) {
        std::cerr << "stratus-viz: --size: expected WxH such as 1600x900, found " << o.size_text
                  << '\n';
        return false;
    }
    if (!o.at_text.empty()) {
        out.at = stratus::scenario::detail::parse_duration(o.at_text);
        if (!out.at) {
            std::cerr << "stratus-viz: --at: expected a duration such as 25m or 1h, found "
                      << o.at_text << '\n';
            return false;
        }
    }
    using stratus::viz::Panel;
    const std::pair<const char*, Panel> panels[] = {{"activity", Panel::Activity},
                                                    {"alarms", Panel::Alarms},
                                                    {"log", Panel::Log},
                                                    {"lesson", Panel::Lesson},
                                                    {"instructor", Panel::Commands},
                                                    {"inspector", Panel::Inspector},
                                                    {"targets", Panel::Targets},
                                                    {"labs", Panel::Labs}};
    bool panel_ok = false;
    for (const auto& [name, p] : panels) {
        if (o.panel_text == name) {
            out.panel = p;
            panel_ok = true;
        }
    }
    if (!panel_ok) {
        std::cerr << "stratus-viz: --panel: unknown panel " << o.panel_text << '\n';
        return false;
    }
    return true;
}

// Loads the scenario, runs it to --at and applies the display options; 0, or the exit status
// (2 for a bad scenario or --select, as `stratus` exits for bad input).
int prepare_app(stratus::viz::App& app, const Options& o, const Settings& set) {
    try {
        app.load();
        if (set.at) app.run_to(*set.at);
    } catch (const stratus::scenario::ScenarioError& e) {
        for (const auto& d : e.diagnostics())
            std::cerr << d.format() << '\n';
        return kExitUsage;
    } catch (const std::exception& e) {
        std::cerr << "stratus-viz: error: " << e.what() << '\n';
        return kExitFailure;
    }
    app.panel = set.panel;
    app.network = o.view_text == "network";
    app.lang = o.lang_text == "ko" ? stratus::viz::Lang::Korean : stratus::viz::Lang::English;
    app.speed = std::clamp(o.speed, 1.0, 100000.0);
    if (!o.select.empty() && !app.select_instance(o.select)) {
        std::cerr << "stratus-viz: --select: no instance " << o.select << " at that time\n";
        return kExitUsage;
    }
    return 0;
}

// An OpenGL 3 window (hidden when headless), or null after saying why.
GLFWwindow* open_window(int width, int height, bool headless) {
    if (!glfwInit()) {
        std::cerr << "stratus-viz: cannot open a display (GLFW); under no display use "
                     "xvfb-run -a stratus-viz ...\n";
        return nullptr;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    if (headless) glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
    GLFWwindow* window = glfwCreateWindow(width, height, "stratus-viz", nullptr, nullptr);
    if (!window) {
        std::cerr << "stratus-viz: cannot create an OpenGL 3 window\n";
        glfwTerminate();
        return nullptr;
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(headless ? 0 : 1);
    return window;
}

// Draws frames until the window closes; headless, a few frames so that the layout settles
// (and --play's seconds), then the picture. Returns the exit status.
int run_frames(GLFWwindow* window, stratus::viz::App& app, const stratus::viz::Fonts& fonts,
               const Options& o) {
    const bool headless = !o.screenshot.empty();
    int status = 0;
    double last = glfwGetTime();
    const double start = last;
    for (int frame = 0; !glfwWindowShouldClose(window); ++frame) {
        glfwPollEvents();
        const double now = glfwGetTime();
        // Headless with --play: the same budgeted playback as the window, for that long.
        const bool playing_headless = headless && now - start < o.play_seconds;
        if (headless) app.playing = playing_headless;
        if (!headless || playing_headless) app.advance(now - last, 12.0);
        last = now;
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        if (app.layout) app.layout->clear();
        app.draw(fonts);
        ImGui::Render();
        int fw = 0, fh = 0;
        glfwGetFramebufferSize(window, &fw, &fh);
        glViewport(0, 0, fw, fh);
        glClearColor(0.96f, 0.96f, 0.97f, 1);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        if (headless && frame >= 3 && now - start >= o.play_seconds) {
            if (!write_png(o.screenshot, fw, fh)) {
                std::cerr << "stratus-viz: cannot write " << o.screenshot << '\n';
                status = kExitFailure;
            }
            if (app.layout && !app.layout->write(o.layout)) {
                std::cerr << "stratus-viz: cannot write " << o.layout << '\n';
                status = kExitFailure;
            }
            break;
        }
        glfwSwapBuffers(window);
    }
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"stratus-viz: watch a stratus scenario run, and break things while it does"};
    Options o;
    add_options(cli, o);
    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e) == 0 ? 0 : kExitUsage;
    }
    Settings set;
    if (!read_settings(o, set)) return kExitUsage;

    const std::string labs_dir = std::filesystem::is_directory("scenarios/labs")
                                     ? "scenarios/labs"
                                     : std::string(STRATUS_LABS_DIR);
    stratus::viz::App app(o.file, o.sets, labs_dir, o.compare);
    if (const int status = prepare_app(app, o, set); status != 0) return status;

    GLFWwindow* window = open_window(set.width, set.height, !o.screenshot.empty());
    if (!window) return kExitFailure;
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;  // no imgui.ini written next to the user's files
    style_light();
    const stratus::viz::Fonts fonts = load_fonts(o.font_size);
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 130");

    stratus::viz::LayoutLog layout;
    if (!o.layout.empty()) app.layout = &layout;
    const int status = run_frames(window, app, fonts, o);

    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return status;
}
