// The HTML reports (docs/slo.md, "The report to hand over"), rendered in headless Chromium:
// the screenshot is a real picture with the charts' colours in it, every chart drew its
// series, and every figure on the page equals summary.json's (for a run) or a brute-force
// reading of the results file (for a sweep). Skipped with a warning when chromium is not
// installed (tools/dev setup installs it).
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <sys/stat.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#ifdef STRATUS_HAVE_STB
#include <stb/stb_image.h>
#endif

#include "cli_support.hpp"

namespace test_report_html {

using namespace stratus;
namespace fs = std::filesystem;

namespace {

const std::string kScenarios = std::string(STRATUS_SOURCE_DIR) + "/scenarios";

bool have_chromium() {
#ifdef STRATUS_HAVE_STB
    return std::system("command -v chromium > /dev/null 2>&1") == 0;
#else
    return false;  // no stb_image to read the screenshots back
#endif
}

// Chromium as the tests run it: headless, as root without its sandbox, no network services,
// a fresh profile each time.
std::string chromium(const std::string& args) {
    const auto profile = testing::make_temp_dir("stratus-chromium");
    return "timeout 180 chromium --headless --no-sandbox --disable-gpu --disable-quic "
           "--no-first-run --disable-background-networking --disable-component-update "
           "--disable-sync --user-data-dir='" +
           profile.string() + "' " + args;
}

std::string dump_dom(const fs::path& html) {
    const fs::path out = html.parent_path() / "dom.html";
    const std::string cmd =
        chromium("--dump-dom 'file://" + html.string() + "' > '" + out.string() + "' 2>/dev/null");
    REQUIRE(std::system(cmd.c_str()) == 0);
    return testing::read_file(out.string());
}

struct Picture {
    int width = 0, height = 0;
    std::size_t colours = 0;
    double non_white = 0;
    std::set<unsigned> seen;
};

Picture screenshot(const fs::path& html, int width, int height) {
    const fs::path png = html.parent_path() / "shot.png";
    const std::string cmd =
        chromium(fmt::format("--screenshot='{}' --window-size={},{} 'file://{}' "
                             "> /dev/null 2>&1",
                             png.string(), width, height, html.string()));
    REQUIRE(std::system(cmd.c_str()) == 0);
    Picture p;
#ifdef STRATUS_HAVE_STB
    int channels = 0;
    unsigned char* data = stbi_load(png.string().c_str(), &p.width, &p.height, &channels, 3);
#else
    unsigned char* data = nullptr;
#endif
    REQUIRE(data);
    std::size_t other = 0;
    const std::size_t n = static_cast<std::size_t>(p.width) * p.height;
    for (std::size_t i = 0; i < n; ++i) {
        const unsigned c = (data[3 * i] << 16) | (data[3 * i + 1] << 8) | data[3 * i + 2];
        p.seen.insert(c);
        other += c != 0xffffff;
    }
#ifdef STRATUS_HAVE_STB
    stbi_image_free(data);
#endif
    p.colours = p.seen.size();
    p.non_white = static_cast<double>(other) / n;
    return p;
}

void flatten(const nlohmann::ordered_json& j, const std::string& prefix,
             std::map<std::string, std::string>& out) {
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it)
            flatten(it.value(), prefix.empty() ? it.key() : prefix + "." + it.key(), out);
        return;
    }
    out[prefix] = j.dump();
}

std::string unescape(std::string s) {
    for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
             {"&quot;", "\""}, {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}}) {
        for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + 1))
            s.replace(at, from.size(), to);
    }
    return s;
}

// Every (data-key, data-value) pair in the rendered DOM.
std::vector<std::pair<std::string, std::string>> figures(const std::string& dom) {
    std::vector<std::pair<std::string, std::string>> out;
    static const std::regex pair("data-key=\"([^\"]*)\" data-value=\"([^\"]*)\"");
    for (std::sregex_iterator it(dom.begin(), dom.end(), pair), end; it != end; ++it)
        out.emplace_back(unescape((*it)[1]), unescape((*it)[2]));
    return out;
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
        ++n;
    return n;
}

// The text between `<svg id="ID"` and its `</svg>`.
std::string svg(const std::string& dom, const std::string& id) {
    const auto start = dom.find("<svg id=\"" + id + "\"");
    if (start == std::string::npos) return "";
    return dom.substr(start, dom.find("</svg>", start) - start);
}

void check_run_report(const fs::path& out_dir, const std::vector<std::string>& charts,
                      bool has_fault) {
    const fs::path html = out_dir / "report.html";
    REQUIRE(fs::exists(html));
    const std::string page = testing::read_file(html.string());
    // Self-contained: no script, nothing fetched.
    CHECK(page.find("<script") == std::string::npos);
    CHECK(page.find("src=") == std::string::npos);
    CHECK(page.find("href=") == std::string::npos);
    CHECK(page.find("@import") == std::string::npos);

    const std::string dom = dump_dom(html);
    std::map<std::string, std::string> summary;
    flatten(nlohmann::ordered_json::parse(testing::read_file((out_dir / "summary.json").string())),
            "", summary);
    const auto shown = figures(dom);
    CHECK(shown.size() >= 30);
    std::set<std::string> keys;
    for (const auto& [key, value] : shown) {
        INFO(key);
        REQUIRE(summary.count(key));
        CHECK(value == summary[key]);
        keys.insert(key);
    }
    for (const char* k : {"cost_usd.total", "requests.total", "availability_percent", "slo.met",
                          "slo.windows", "slo.windows_missed", "slo.latency_p99.worst_ms",
                          "slo.latency_p99.worst_start_s", "latency_ms.p99"})
        CHECK(keys.count(k));
    // Every line item the bill has is on the page with summary.json's amount.
    for (const auto& [key, value] : summary)
        if (key.rfind("cost_usd.by_line_item.", 0) == 0 && value != "0.0" && value != "0")
            CHECK(keys.count(key));
    // Each chart drew at least one series, and the charts have their markers.
    for (const auto& id : charts) {
        INFO(id);
        const std::string s = svg(dom, id);
        REQUIRE(!s.empty());
        CHECK(count(s, "class=\"series\"") >= 1);
    }
    if (has_fault) CHECK(count(dom, "class=\"marker marker-0\"") >= 1);

    const Picture p = screenshot(html, 1100, 4000);
    CHECK(p.width == 1100);
    CHECK(p.colours > 40);
    CHECK(p.non_white > 0.03);
    // The charts' colours are in the picture: the first series blue and the fault red.
    auto near = [&](unsigned rgb) {
        for (unsigned c : p.seen) {
            const int dr = int(c >> 16) - int(rgb >> 16),
                      dg = int((c >> 8) & 255) - int((rgb >> 8) & 255),
                      db = int(c & 255) - int(rgb & 255);
            if (dr * dr + dg * dg + db * db < 30) return true;
        }
        return false;
    };
    CHECK(near(0x1f77b4));
    if (has_fault) CHECK(near(0xd62728));
}

}  // namespace

TEST_CASE(
    "run --report and stratus report write one self-contained page whose figures are "
    "summary.json's, drawn in Chromium",
    "[report][html][long]") {
    if (!have_chromium()) {
        WARN("chromium is not installed (tools/dev setup installs it): HTML rendering skipped");
        return;
    }
    const auto dir = testing::make_temp_dir("stratus-report");
    const std::vector<std::string> charts = {
        "slo-latency_p99", "slo-availability", "chart-requests", "chart-latency",
        "chart-errors",    "chart-in-service", "chart-capacity", "chart-cost"};
    // A lab with an AZ outage (a fault, 504s, replacements) and its SLO.
    auto r = testing::run_stratus("run " + kScenarios +
                                      "/labs/02-az-outage.toml --reproducible --quiet --report "
                                      "--out lab2",
                                  dir);
    REQUIRE(r.status == 0);
    check_run_report(dir / "lab2", charts, true);
    // `stratus report OUT_DIR` gives the same page from the files.
    const std::string first = testing::read_file((dir / "lab2" / "report.html").string());
    r = testing::run_stratus("report lab2 --out again.html", dir);
    REQUIRE(r.status == 0);
    CHECK(testing::read_file((dir / "again.html").string()) == first);
    // A page named with --out is not replaced without --force.
    r = testing::run_stratus("report lab2 --out again.html", dir);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("exists"));
    // Not an output folder: exit 2.
    fs::create_directories(dir / "empty");
    r = testing::run_stratus("report empty", dir);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("summary.json"));
    CHECK_FALSE(fs::exists(dir / "empty" / "report.html"));

    // A planning scenario in fluid mode, whose windows miss during a flash sale.
    r = testing::run_stratus("run " + kScenarios +
                                 "/planning/flash-sale-short-breach.toml --fidelity fluid "
                                 "--reproducible --quiet --report --out sale",
                             dir);
    REQUIRE(r.status == 0);
    check_run_report(dir / "sale", charts, false);
    const std::string sale = testing::read_file((dir / "sale" / "report.html").string());
    CHECK_THAT(sale, Catch::Contains("SLO MISSED"));
    CHECK(count(sale, "class=\"missed\"") >= 1);  // a missed window shaded
}

TEST_CASE("run --report: a Fargate lab's capacity charts count tasks, an EC2 lab's instances",
          "[report][html]") {
    const auto dir = testing::make_temp_dir("stratus-report-tasks");
    auto r = testing::run_stratus("run " + kScenarios +
                                      "/labs/20-fargate-grace-period.toml --reproducible --quiet "
                                      "--report --out lab20",
                                  dir);
    REQUIRE(r.status == 0);
    const std::string fargate = testing::read_file((dir / "lab20" / "report.html").string());
    CHECK_THAT(fargate, Catch::Contains("Tasks running per AZ"));
    CHECK_THAT(fargate, Catch::Contains("Desired count and tasks running"));
    CHECK(fargate.find("Desired capacity and instances in service") == std::string::npos);
    r = testing::run_stratus("run " + kScenarios +
                                 "/labs/27-ec2-container-port.toml --reproducible --quiet "
                                 "--report --out lab27",
                             dir);
    REQUIRE(r.status == 0);
    const std::string ec2 = testing::read_file((dir / "lab27" / "report.html").string());
    CHECK_THAT(ec2, Catch::Contains("Desired capacity and instances in service"));
    CHECK(ec2.find("Tasks running per AZ") == std::string::npos);
}

TEST_CASE("stratus report RESULTS.csv: the answer and the points agree with the CSV",
          "[report][html]") {
    if (!have_chromium()) {
        WARN("chromium is not installed (tools/dev setup installs it): HTML rendering skipped");
        return;
    }
    const auto dir = testing::make_temp_dir("stratus-sweep-report");
    auto r = testing::run_stratus(
        "sweep " + kScenarios +
            "/labs/01-two-az-web-tier.toml --grid autoscaling_group.web.desired_capacity=2,3,4 "
            "--set autoscaling_group.web.min_size=1 "
            "--set simulation.duration=20m --set simulation.warmup=4m --replications 2 -j 2 "
            "--quiet --out r.csv",
        dir);
    REQUIRE(r.status == 0);
    r = testing::run_stratus("report r.csv", dir);
    REQUIRE(r.status == 0);
    const fs::path html = dir / "r.html";
    const std::string dom = dump_dom(html);
    // Brute force over the CSV: per point, did every replication meet the SLO, mean cost.
    const auto csv = testing::read_file((dir / "r.csv").string());
    std::istringstream lines(csv);
    std::string line;
    std::getline(lines, line);
    std::vector<std::string> header;
    for (std::size_t a = 0, b; a <= line.size(); a = b + 1) {
        b = line.find(',', a);
        if (b == std::string::npos) b = line.size();
        header.push_back(line.substr(a, b - a));
    }
    const auto col = [&](const std::string& n) {
        return std::find(header.begin(), header.end(), n) - header.begin();
    };
    std::map<int, std::pair<bool, std::vector<double>>> points;
    while (std::getline(lines, line)) {
        std::vector<std::string> f;
        for (std::size_t a = 0, b; a <= line.size(); a = b + 1) {
            b = line.find(',', a);
            if (b == std::string::npos) b = line.size();
            f.push_back(line.substr(a, b - a));
        }
        auto& p = points[std::stoi(f[0])];
        if (p.second.empty()) p.first = true;
        p.first = p.first && f[col("slo.met")] == "true";
        p.second.push_back(std::stod(f[col("cost_usd.total")]));
    }
    REQUIRE(points.size() == 3);
    int cheapest = -1;
    double cheapest_cost = 0;
    for (const auto& [point, p] : points) {
        const double mean = (p.second[0] + p.second[1]) / 2;
        // The page's row for this point says the same.
        std::smatch m;
        const std::regex row("data-point=\"" + std::to_string(point) +
                             "\" data-replications=\"2\" data-slo-met-replications=\"([0-9]+)\" "
                             "data-qualifies=\"(true|false)\" data-pareto=\"(true|false)\" "
                             "data-cost-mean=\"([^\"]*)\"");
        REQUIRE(std::regex_search(dom, m, row));
        CHECK((m[2] == "true") == p.first);
        CHECK(std::stod(m[4]) == Approx(mean).epsilon(1e-12));
        if (p.first && (cheapest < 0 || mean < cheapest_cost)) {
            cheapest = point;
            cheapest_cost = mean;
        }
    }
    std::smatch m;
    REQUIRE(std::regex_search(dom, m, std::regex("id=\"answer\" data-chosen=\"([0-9]*)\"")));
    CHECK(m[1] == (cheapest < 0 ? std::string() : std::to_string(cheapest)));
    CHECK(!svg(dom, "chart-cost-latency").empty());
    CHECK(count(svg(dom, "chart-cost-latency"), "class=\"point\"") == 3);
    const Picture p = screenshot(html, 1100, 1400);
    CHECK(p.colours > 20);
    CHECK(p.non_white > 0.02);
    // In a 1280-pixel window the page needs no sideways scrolling, and neither does the table
    // of points inside its box: a copy of the page with a script that writes the widths
    // Chromium laid out into the document.
    std::string page = testing::read_file(html.string());
    const auto body_end = page.rfind("</body>");
    REQUIRE(body_end != std::string::npos);
    page.insert(body_end,
                "<script>const t = document.getElementById('points');"
                "document.body.setAttribute('data-widths', [document.documentElement.scrollWidth,"
                "document.documentElement.clientWidth, t.scrollWidth, t.parentNode.clientWidth]"
                ".join(' '));</script>");
    const fs::path measured = dir / "measured.html";
    testing::write_file(measured.string(), page);
    const std::string out = (dir / "measured-dom.html").string();
    const std::string cmd = chromium("--window-size=1280,900 --dump-dom 'file://" +
                                     measured.string() + "' > '" + out + "' 2>/dev/null");
    REQUIRE(std::system(cmd.c_str()) == 0);
    const std::string measured_dom = testing::read_file(out);
    REQUIRE(std::regex_search(measured_dom, m,
                              std::regex("data-widths=\"([0-9]+) ([0-9]+) ([0-9]+) ([0-9]+)\"")));
    INFO("page scroll width " << m[1] << ", window " << m[2] << ", table " << m[3] << ", box "
                              << m[4]);
    CHECK(std::stoi(m[2]) > 1200);  // the window is the one asked for
    CHECK(std::stoi(m[1]) <= std::stoi(m[2]));
    CHECK(std::stoi(m[3]) <= std::stoi(m[4]));
}

TEST_CASE("stratus report reads and replaces regular files only, as the rest of the CLI",
          "[report][hostile]") {
    const auto dir = testing::make_temp_dir("stratus-report-files");
    // A FIFO named summary.json is refused at once (never read forever): exit 2.
    fs::create_directories(dir / "fake");
    for (const char* name : {"timeseries.csv", "windows.csv", "events.jsonl", "bill.csv"})
        testing::write_file((dir / "fake" / name).string(), "");
    REQUIRE(::mkfifo((dir / "fake" / "summary.json").c_str(), 0644) == 0);
    auto r = testing::run_stratus_limited("report fake --out page.html", dir);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("FIFO"));
    CHECK_FALSE(fs::exists(dir / "page.html"));
    // A real run's folder whose summary.json is JSON of another shape (a string, a figure of
    // the wrong type): exit 2 naming the folder and the file, not an internal error (exit 1).
    testing::write_file((dir / "small.toml").string(), testing::small_fixed_fleet("small"));
    r = testing::run_stratus_limited("run small.toml --quiet --out edited", dir);
    REQUIRE(r.status == 0);
    for (const char* summary : {"\"x\"", "{\"duration_s\": \"a\"}"}) {
        INFO(summary);
        testing::write_file((dir / "edited" / "summary.json").string(), summary);
        r = testing::run_stratus_limited("report edited --out page.html", dir);
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Catch::Contains("edited: its summary.json"));
        CHECK_FALSE(fs::exists(dir / "page.html"));
    }
    // --out naming a folder is refused, --force or not, and the folder is left as it was.
    fs::create_directories(dir / "page-folder");
    for (const char* force : {"", " --force"}) {
        r = testing::run_stratus_limited(std::string("report fake --out page-folder") + force, dir);
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Catch::Contains("nothing was written"));
        CHECK(fs::is_directory(dir / "page-folder"));
    }
    fs::remove_all(dir);
}

}  // namespace test_report_html
