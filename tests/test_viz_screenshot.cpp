// stratus-viz's headless mode: screenshots of two labs under xvfb-run are real pictures (many
// colours, mostly not background), and a bad scenario exits 2 like the CLI. Skipped when
// stratus-viz is not built or xvfb-run is not installed.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#ifdef STRATUS_VIZ_BINARY
#include <stb/stb_image.h>
#endif

#include "cli_support.hpp"

namespace test_viz_screenshot {

namespace fs = std::filesystem;

namespace {

#ifdef STRATUS_VIZ_BINARY
bool have_xvfb() {
    return std::system("command -v xvfb-run > /dev/null 2>&1") == 0;
}

int run(const std::string& args) {
    // Under ASan (tools/dev sanitize) leak detection is off for the viewer's process only: the
    // OpenGL driver (Mesa, loaded with dlopen) keeps a few allocations to the end, reported
    // from an unknown module that no suppression can name. ASan's other checks stay on.
    const char* asan = std::getenv("ASAN_OPTIONS");
    const std::string env = "ASAN_OPTIONS='" + std::string(asan ? asan : "") +
                            (asan && *asan ? ":" : "") + "detect_leaks=0' ";
    const std::string cmd = env + "xvfb-run -a -s '-screen 0 1920x1080x24' " +
                            std::string(STRATUS_VIZ_BINARY) + " " + args + " > /dev/null 2>&1";
    const int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct Picture {
    int width = 0, height = 0;
    std::size_t colours = 0;
    double non_background = 0;  // share of pixels not the window background
};

Picture look_at(const std::string& png) {
    Picture p;
    int channels = 0;
    unsigned char* data = stbi_load(png.c_str(), &p.width, &p.height, &channels, 3);
    REQUIRE(data);
    std::set<unsigned> colours;
    std::size_t other = 0;
    const std::size_t n = static_cast<std::size_t>(p.width) * p.height;
    const unsigned bg = (data[0] << 16) | (data[1] << 8) | data[2];  // the top-left corner
    for (std::size_t i = 0; i < n; ++i) {
        const unsigned c = (data[3 * i] << 16) | (data[3 * i + 1] << 8) | data[3 * i + 2];
        colours.insert(c);
        other += c != bg;
    }
    stbi_image_free(data);
    p.colours = colours.size();
    p.non_background = static_cast<double>(other) / n;
    return p;
}
#endif

}  // namespace

TEST_CASE("stratus-viz writes non-blank screenshots of labs headless (two labs, compare mode)",
          "[viz][long]") {
#ifndef STRATUS_VIZ_BINARY
    WARN("stratus-viz is not built (no imgui/glfw/OpenGL): skipped");
#else
    if (!have_xvfb()) {
        WARN("xvfb-run is not installed: headless screenshots skipped");
        return;
    }
    const std::string labs = std::string(STRATUS_SOURCE_DIR) + "/scenarios/labs/";
    const fs::path dir = stratus::testing::make_temp_dir("stratus-viz-test");
    const struct {
        const char* lab;
        const char* options;
    } cases[] = {{"02-az-outage.toml", "--at 12m"},
                 {"09-spot-mixed-instances.toml", "--at 12h1m --panel alarms"},
                 // Compare mode, and the budgeted playback of the window for one second.
                 {"03-grace-period.toml",
                  "--at 20m --compare autoscaling_group.web.health_check_grace_period=300 "
                  "--play 1 --speed 600"}};
    for (const auto& c : cases) {
        INFO(c.lab);
        const fs::path png = dir / (std::string(c.lab) + ".png");
        fs::remove(png);
        REQUIRE(run(labs + c.lab + " " + c.options + " --screenshot " + png.string() +
                    " --size 1280x720") == 0);
        const Picture p = look_at(png.string());
        CHECK(p.width == 1280);
        CHECK(p.height == 720);
        // Text, tiles, charts: thousands of colours once anti-aliased; a blank or
        // single-colour window has one or two.
        CHECK(p.colours > 200);
        CHECK(p.non_background > 0.2);
    }
    fs::remove_all(dir);
#endif
}

TEST_CASE("stratus-viz exits 2 on a bad scenario, writing no picture", "[viz]") {
#ifdef STRATUS_VIZ_BINARY
    const fs::path dir = stratus::testing::make_temp_dir("stratus-viz-test");
    const fs::path bad = dir / "bad.toml";
    {
        std::FILE* f = std::fopen(bad.string().c_str(), "w");
        std::fputs("[simulation]\nduration = \"soon\"\n", f);
        std::fclose(f);
    }
    const fs::path png = dir / "bad.png";
    fs::remove(png);
    // No display needed: the scenario is read before any window opens.
    const std::string cmd = std::string(STRATUS_VIZ_BINARY) + " " + bad.string() +
                            " --at 1m --screenshot " + png.string() + " > /dev/null 2>&1";
    const int status = std::system(cmd.c_str());
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 2);
    CHECK_FALSE(fs::exists(png));
    fs::remove_all(dir);
#endif
}

#ifdef STRATUS_VIZ_BINARY
namespace {

// Red (a closed flow, its arrow, cross and rule) and green (open flows, public subnets'
// borders) pixels in a band of the network view's area, the upper left 56 % x 60 % of the
// window under the top bar.
struct Ink {
    std::size_t red = 0, green = 0;
};

std::vector<Ink> ink_by_band(const std::string& png, int bands) {
    int w = 0, h = 0, channels = 0;
    unsigned char* data = stbi_load(png.c_str(), &w, &h, &channels, 3);
    REQUIRE(data);
    std::vector<Ink> out(static_cast<std::size_t>(bands));
    const int x1 = static_cast<int>(w * 0.56), y0 = 40, y1 = static_cast<int>(h * 0.62);
    for (int y = y0; y < y1; ++y) {
        const auto band = static_cast<std::size_t>((y - y0) * bands / (y1 - y0));
        for (int x = 0; x < x1; ++x) {
            const unsigned char* p = data + 3 * (static_cast<std::size_t>(y) * w + x);
            if (p[0] > 180 && p[1] < 80 && p[2] < 80) ++out[band].red;
            if (p[0] < 90 && p[1] > 120 && p[2] < 110) ++out[band].green;
        }
    }
    stbi_image_free(data);
    return out;
}

}  // namespace
#endif

TEST_CASE("The network view tells labs 11, 13 and 14 apart at a glance", "[viz][network]") {
#ifndef STRATUS_VIZ_BINARY
    WARN("stratus-viz is not built: skipped");
#else
    if (!have_xvfb()) {
        WARN("xvfb-run is not installed: headless screenshots skipped");
        return;
    }
    const std::string labs = std::string(STRATUS_SOURCE_DIR) + "/scenarios/labs/";
    const fs::path dir = stratus::testing::make_temp_dir("stratus-viz-network-test");
    auto shoot = [&](const std::string& lab) {
        const fs::path png = dir / (lab + ".png");
        fs::remove(png);
        REQUIRE(run(labs + lab + " --at 10m --view network --screenshot " + png.string() +
                    " --size 1600x900") == 0);
        return ink_by_band(png.string(), 3);
    };
    const auto nat = shoot("11-nat-gateway-vs-nat-instance.toml");
    const auto db = shoot("13-db-security-group.toml");
    const auto lb = shoot("14-lb-security-group.toml");
    auto red = [](const std::vector<Ink>& v) { return v[0].red + v[1].red + v[2].red; };
    INFO("red by band (top, middle, bottom): 11: "
         << nat[0].red << " " << nat[1].red << " " << nat[2].red << "; 13: " << db[0].red << " "
         << db[1].red << " " << db[2].red << "; 14: " << lb[0].red << " " << lb[1].red << " "
         << lb[2].red);
    // Lab 11: every flow open, green arrows and no broken one.
    CHECK(red(nat) < 300);
    CHECK(nat[0].green + nat[1].green + nat[2].green > 2000);
    // Lab 13: broken between the application and the database, low in the picture.
    CHECK(red(db) > 1000);
    CHECK(db[1].red + db[2].red > 2 * db[0].red);
    // Lab 14: broken between the internet and the load balancer, high in the picture.
    CHECK(red(lb) > 1000);
    CHECK(lb[0].red > lb[2].red);
    fs::remove_all(dir);
#endif
}

}  // namespace test_viz_screenshot
