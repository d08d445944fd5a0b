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

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"stratus-viz: watch a stratus scenario run, and break things while it does"};
    std::string file, at_text, screenshot, size_text = "1600x900", panel_text = "activity";
    std::vector<std::string> sets;
    std::string select;
    std::vector<std::string> compare;
    double play_seconds = 0;
    double speed = 60;
    float font_size = 18;
    std::string view_text = "region";
    std::string lang_text = "en";
    cli.add_option("FILE", file, "scenario file (TOML)")->required();
    cli.add_option("--set", sets, "override a setting: PATH=VALUE (repeatable)")
        ->type_name("PATH=VALUE")
        ->allow_extra_args(false);
    cli.add_option("--at", at_text, "run to this time first (e.g. 25m, 1h)");
    cli.add_option("--screenshot", screenshot, "write a PNG of the window and exit (headless)");
    cli.add_option("--size", size_text, "window size WxH (default 1600x900)");
    cli.add_option("--panel", panel_text,
                   "panel shown: activity, alarms, log, lesson, instructor, inspector, targets, "
                   "labs");
    cli.add_option("--select", select, "inspect this instance (e.g. i-0003)");
    cli.add_option("--compare", compare,
                   "compare mode: a second variant with this override too, in lockstep "
                   "(repeatable)")
        ->type_name("PATH=VALUE")
        ->allow_extra_args(false);
    cli.add_option("--play", play_seconds,
                   "with --screenshot: play this many wall-clock seconds first (at --speed)");
    cli.add_option("--speed", speed, "simulated seconds per second, 1 to 100000 (default 60)");
    cli.add_option("--font-size", font_size, "font size in pixels (default 18)");
    cli.add_option("--view", view_text,
                   "what the upper left shows: region (AZ columns and instances) or network "
                   "(VPC, subnets, route tables, security groups, flows)")
        ->check(CLI::IsMember({"region", "network"}));
    cli.add_option("--lang", lang_text, "the UI's language: en or ko (the Korean button too)")
        ->check(CLI::IsMember({"en", "ko"}));
    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e) == 0 ? 0 : kExitUsage;
    }
    int width = 1600, height = 900;
    if (std::sscanf(size_text.c_str(), "%dx%d", &width, &height) != 2 || width < 320 ||
        height < 240) {
        std::cerr << "stratus-viz: --size: expected WxH such as 1600x900, found " << size_text
                  << '\n';
        return kExitUsage;
    }
    std::optional<stratus::SimTime> at;
    if (!at_text.empty()) {
        at = stratus::scenario::detail::parse_duration(at_text);
        if (!at) {
            std::cerr << "stratus-viz: --at: expected a duration such as 25m or 1h, found "
                      << at_text << '\n';
            return kExitUsage;
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
    Panel panel = Panel::Activity;
    bool panel_ok = false;
    for (const auto& [name, p] : panels) {
        if (panel_text == name) {
            panel = p;
            panel_ok = true;
        }
    }
    if (!panel_ok) {
        std::cerr << "stratus-viz: --panel: unknown panel " << panel_text << '\n';
        return kExitUsage;
    }

    const std::string labs_dir = std::filesystem::is_directory("scenarios/labs")
                                     ? "scenarios/labs"
                                     : std::string(STRATUS_LABS_DIR);
    stratus::viz::App app(file, sets, labs_dir, compare);
    try {
        app.load();
        if (at) app.run_to(*at);
    } catch (const stratus::scenario::ScenarioError& e) {
        for (const auto& d : e.diagnostics())
            std::cerr << d.format() << '\n';
        return kExitUsage;
    } catch (const std::exception& e) {
        std::cerr << "stratus-viz: error: " << e.what() << '\n';
        return kExitFailure;
    }
    app.panel = panel;
    app.network = view_text == "network";
    app.lang = lang_text == "ko" ? stratus::viz::Lang::Korean : stratus::viz::Lang::English;
    app.speed = std::clamp(speed, 1.0, 100000.0);
    if (!select.empty() && !app.select_instance(select)) {
        std::cerr << "stratus-viz: --select: no instance " << select << " at that time\n";
        return kExitUsage;
    }

    const bool headless = !screenshot.empty();
    if (!glfwInit()) {
        std::cerr << "stratus-viz: cannot open a display (GLFW); under no display use "
                     "xvfb-run -a stratus-viz ...\n";
        return kExitFailure;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    if (headless) glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
    GLFWwindow* window = glfwCreateWindow(width, height, "stratus-viz", nullptr, nullptr);
    if (!window) {
        std::cerr << "stratus-viz: cannot create an OpenGL 3 window\n";
        glfwTerminate();
        return kExitFailure;
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(headless ? 0 : 1);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;  // no imgui.ini written next to the user's files
    style_light();
    const stratus::viz::Fonts fonts = load_fonts(font_size);
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 130");

    int status = 0;
    double last = glfwGetTime();
    const double start = last;
    // Headless: a few frames so that the layout settles, then the picture.
    for (int frame = 0; !glfwWindowShouldClose(window); ++frame) {
        glfwPollEvents();
        const double now = glfwGetTime();
        // Headless with --play: the same budgeted playback as the window, for that long.
        const bool playing_headless = headless && now - start < play_seconds;
        if (headless) app.playing = playing_headless;
        if (!headless || playing_headless) app.advance(now - last, 12.0);
        last = now;
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        app.draw(fonts);
        ImGui::Render();
        int fw = 0, fh = 0;
        glfwGetFramebufferSize(window, &fw, &fh);
        glViewport(0, 0, fw, fh);
        glClearColor(0.96f, 0.96f, 0.97f, 1);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        if (headless && frame >= 3 && now - start >= play_seconds) {
            if (!write_png(screenshot, fw, fh)) {
                std::cerr << "stratus-viz: cannot write " << screenshot << '\n';
                status = kExitFailure;
            }
            break;
        }
        glfwSwapBuffers(window);
    }

    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return status;
}
