// "Nothing a user types can crash stratus": malformed and hostile scenario files, --set values
// and output folders fed to every command. Each must end with a clear error (the file, and the
// line, column and key when there is one), exit status 2 and nothing written; never a crash,
// a hang, or exit status 1 ("anything else").
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "cli_support.hpp"

namespace test_hostile_inputs {

namespace fs = std::filesystem;
using stratus::testing::read_file;
using stratus::testing::write_file;

namespace {

using stratus::testing::CliResult;

fs::path hostile_dir() {
    return stratus::testing::make_temp_dir("stratus-hostile");
}

// Runs `stratus ARGS` in `cwd` under a time and an address-space limit: a hang or a blow-up is
// a failure too, and cannot take the machine down.
CliResult stratus_cli(const std::string& args, const fs::path& cwd) {
    return stratus::testing::run_stratus_limited(args, cwd);
}

// Exit 2, an error naming `names` (the file, or the option), nothing that looks like a crash,
// and no output folder.
void expect_clear_error(const CliResult& r, const std::string& names, const fs::path& dir) {
    INFO("stderr: " << r.err.substr(0, 2000));
    CHECK(r.status == 2);
    CHECK(r.err.find("error") != std::string::npos);
    CHECK(r.err.find(names) != std::string::npos);
    for (const char* crash : {"terminate called", "runtime error:", "Sanitizer",
                              "stratus: error:", "Segmentation", "Aborted"})
        CHECK(r.err.find(crash) == std::string::npos);
    CHECK_FALSE(fs::exists(dir / "out"));
    CHECK_FALSE(fs::exists(dir / "result"));
}

// "name.toml:LINE:COL: error:"
bool names_position(const std::string& err, const std::string& file) {
    return std::regex_search(err, std::regex(file + ":[0-9]+:[0-9]+: error: "));
}

const std::string kLab01 =
    std::string(STRATUS_SOURCE_DIR) + "/scenarios/labs/01-two-az-web-tier.toml";

// A small valid scenario; `extra` is appended (TOML) and `replace` edits it.
std::string small_scenario(const std::string& extra = "") {
    return R"([simulation]
name = "hostile"
duration = "10m"

[[launch_template]]
name = "web"
instance_type = "m5.large"

[[target_group]]
name = "tg"

[[load_balancer]]
name = "alb"

[[lb_listener]]
load_balancer = "alb"
target_group = "tg"

[[autoscaling_group]]
name = "web"
launch_template = "web"
min_size = 2
max_size = 4
target_groups = ["tg"]

[[workload]]
name = "shop"
load_balancer = "alb"
rate = 20
service_time = { dist = "exponential", mean = "50ms" }
)" + extra;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
    return text;
}

struct Hostile {
    std::string file;
    std::string text;
    bool positioned;  // the error names a line and column
};

std::vector<Hostile> hostile_files() {
    std::vector<Hostile> h;
    h.push_back({"empty.toml", "", true});
    h.push_back({"blank.toml", "\n\n   \n# only a comment\n", true});
    std::string binary;
    std::uint32_t x = 12345;
    for (int i = 0; i < 4096; ++i) {
        x = x * 1664525u + 1013904223u;
        binary += static_cast<char>(x >> 24);
    }
    h.push_back({"binary.toml", binary, true});
    h.push_back({"nul.toml", std::string("[simulation]\nduration = \"1h\0\"\n", 29), true});
    h.push_back({"bad-utf8.toml", small_scenario("[[tag]]\nname = \"\xC3\x28\"\n"), true});
    h.push_back({"unicode.toml",
                 replaced(small_scenario("[été]\n\"🚀\" = \"시뮬레이션\"\n"), "name = \"hostile\"",
                          "name = \"시뮬레이션 🚀\""),
                 true});
    h.push_back({"nested-arrays.toml",
                 "x = " + std::string(100000, '[') + "1" + std::string(100000, ']') + "\n", true});
    std::string tables = "x = ";
    for (int i = 0; i < 20000; ++i)
        tables += "{a=";
    h.push_back({"nested-inline.toml", tables + "1" + std::string(20000, '}') + "\n", true});
    std::string dotted = "[a";
    for (int i = 0; i < 20000; ++i)
        dotted += ".a";
    h.push_back({"nested-dotted.toml", small_scenario(dotted + "]\nx = 1\n"), true});
    std::string huge_array = "[simulation.extra]\nx = [";
    for (int i = 0; i < 300000; ++i)
        huge_array += "1,";
    h.push_back({"huge-array.toml", small_scenario(huge_array + "1]\n"), true});
    h.push_back({"long-string.toml",
                 replaced(small_scenario(), "name = \"hostile\"",
                          "name = \"" + std::string(2 << 20, 'n') + "\"\nnope = 1"),
                 true});
    h.push_back(
        {"huge-int.toml",
         replaced(small_scenario(), "duration = \"10m\"", "duration = 99999999999999999999999"),
         true});
    h.push_back({"huge-float.toml",
                 replaced(small_scenario(), "duration = \"10m\"", "duration = 1e308"), true});
    h.push_back({"huge-size.toml",
                 replaced(small_scenario(), "max_size = 4", "max_size = 9223372036854775807"),
                 true});
    h.push_back({"nan-rate.toml", replaced(small_scenario(), "rate = 20", "rate = nan"), true});
    h.push_back({"inf-rate.toml", replaced(small_scenario(), "rate = 20", "rate = inf"), true});
    h.push_back({"neg-rate.toml", replaced(small_scenario(), "rate = 20", "rate = -inf"), true});
    h.push_back(
        {"inf-service.toml", replaced(small_scenario(), "mean = \"50ms\"", "mean = inf"), true});
    h.push_back({"neg-duration.toml",
                 replaced(small_scenario(), "duration = \"10m\"", "duration = \"-1h\""), true});
    h.push_back({"neg-timeout.toml", small_scenario() + "timeout = \"-5s\"\n", true});
    h.push_back({"zero-duration.toml",
                 replaced(small_scenario(), "duration = \"10m\"", "duration = 0"), true});
    h.push_back({"bad-time.toml",
                 replaced(small_scenario(), "duration = \"10m\"",
                          "duration = \"10m\"\nstart_time = \"9999-99-99T99:99:99Z\""),
                 true});
    h.push_back({"wrong-types.toml",
                 replaced(small_scenario(), "[[workload]]", "workload = 3\n[[workloadz]]"), true});
    h.push_back(
        {"duplicate-key.toml",
         replaced(small_scenario(), "duration = \"10m\"", "duration = \"10m\"\nduration = \"20m\""),
         true});
    h.push_back({"device-trace.toml",
                 replaced(small_scenario(), "rate = 20",
                          "rate = { shape = \"trace\", file = \"/dev/zero\" }"),
                 true});
    h.push_back({"missing-trace.toml",
                 replaced(small_scenario(), "rate = 20",
                          "rate = { shape = \"trace\", file = \"nowhere.csv\" }"),
                 true});
    h.push_back({"missing-spot-trace.toml",
                 small_scenario("[[spot.pool]]\ninstance_type = \"m5.large\"\n"
                                "availability_zone = \"us-east-1a\"\n"
                                "price = { model = \"trace\", file = \"nowhere.csv\" }\n"),
                 true});
    h.push_back({"bad-spot-params.toml",
                 small_scenario("[[spot.pool]]\ninstance_type = \"m5.large\"\n"
                                "availability_zone = \"us-east-1a\"\n"
                                "price = { model = \"mean_reverting\", reversion = 5 }\n"),
                 true});
    h.push_back({"zero-mtbf.toml",
                 small_scenario("[[fault]]\ntype = \"az_outage\"\ntarget = \"us-east-1a\"\n"
                                "mtbf = \"0s\"\nmttr = \"0s\"\n"),
                 true});
    return h;
}

}  // namespace

TEST_CASE("hostile scenario files get a clear error from run, validate and explain",
          "[hostile][cli]") {
    const fs::path dir = hostile_dir();
    for (const auto& h : hostile_files()) {
        write_file((dir / h.file).string(), h.text);
        for (const char* cmd : {"run", "validate", "explain"}) {
            INFO(cmd << " " << h.file);
            const std::string out = std::string(cmd) == "run" ? " --out result" : "";
            auto r = stratus_cli(std::string(cmd) + " " + h.file + out, dir);
            expect_clear_error(r, h.file, dir);
            if (h.positioned) CHECK(names_position(r.err, h.file));
            CHECK(r.out.empty());
        }
    }
    fs::remove_all(dir);
}

TEST_CASE("missing files, folders and unreadable paths are clear errors", "[hostile][cli]") {
    const fs::path dir = hostile_dir();
    write_file((dir / "plain.txt").string(), "not a folder");
    fs::create_directories(dir / "folder.toml");
    for (const std::string file : {"nowhere.toml", "folder.toml", "plain.txt/inside.toml", "''"}) {
        for (const char* cmd : {"run", "validate", "explain"}) {
            INFO(cmd << " " << file);
            auto r = stratus_cli(std::string(cmd) + " " + file, dir);
            expect_clear_error(r, file == "''" ? "error" : file, dir);
        }
    }
    // Permissions do not stop root, so this part runs only for other users.
    if (geteuid() != 0) {
        write_file((dir / "locked.toml").string(), small_scenario());
        chmod((dir / "locked.toml").c_str(), 0);
        auto r = stratus_cli("validate locked.toml", dir);
        expect_clear_error(r, "locked.toml", dir);
        CHECK(r.err.find("ermission") != std::string::npos);
    }
    fs::remove_all(dir);
}

TEST_CASE("garbage in --set is a clear error naming the override", "[hostile][cli]") {
    const fs::path dir = hostile_dir();
    write_file((dir / "ok.toml").string(), small_scenario());
    for (const std::string& set :
         std::vector<std::string>{"garbage",
                                  "=",
                                  "=3",
                                  "a..b=1",
                                  ".a=1",
                                  "simulation.duration=",
                                  "simulation.duration=[",
                                  "simulation.duration=\"1h",
                                  "simulation=3",
                                  "simulation.duration=nan",
                                  "simulation.duration=-inf",
                                  "simulation.duration=1e999",
                                  "simulation.seed=-1",
                                  "simulation.seed=99999999999999999999999",
                                  "autoscaling_group.nope.min_size=1",
                                  "autoscaling_group.web.min_size=1e300",
                                  "autoscaling_group.web.max_size=-5",
                                  "workload.shop.rate={ shape = \"nope\" }",
                                  "workload.shop.rate=nan",
                                  "autoscaling_group.web.min_size=\xff\xfe",
                                  "simulation.duration=\"\xe2\x82\"",
                                  "nested." + std::string(5000, 'a') + "=1"}) {
        INFO("--set " << set);
        auto r = stratus_cli("run ok.toml --out result --set '" + set + "'", dir);
        expect_clear_error(r, "--set", dir);
        CHECK(stratus_cli("validate ok.toml --set '" + set + "'", dir).status == 2);
    }
    fs::remove_all(dir);
}

TEST_CASE(
    "an --out at a file, inside a file, in a read-only place or over a folder is refused "
    "before the run",
    "[hostile][cli]") {
    const fs::path dir = hostile_dir();
    write_file((dir / "ok.toml").string(), small_scenario());
    write_file((dir / "a-file").string(), "mine");
    fs::create_directories(dir / "clash/summary.json");
    for (const std::string out : {"a-file", "a-file/sub", "/proc/stratus-out", "clash"}) {
        INFO("--out " << out);
        auto r = stratus_cli("run ok.toml --out " + out, dir);
        expect_clear_error(r, "--out " + out, dir);
        CHECK(r.err.find("nothing was written") != std::string::npos);
    }
    CHECK(read_file((dir / "a-file").string()) == "mine");
    CHECK(fs::is_directory(dir / "clash/summary.json"));
    CHECK_FALSE(fs::exists(dir / "clash/timeseries.csv"));
    fs::remove_all(dir);
}

TEST_CASE("sweep, labs and cidr survive hostile arguments", "[hostile][cli]") {
    const fs::path dir = hostile_dir();
    fs::create_directories(dir / "labs");
    for (const auto& h : hostile_files())
        write_file((dir / "labs" / h.file).string(), h.text);
    write_file((dir / "labs/good.toml").string(), small_scenario());
    // labs lists every file, the hostile ones as not loading.
    auto labs = stratus_cli("labs labs", dir);
    CHECK(labs.status == 0);
    CHECK(labs.out.find("good.toml") != std::string::npos);
    CHECK(labs.out.find("binary.toml") != std::string::npos);
    CHECK(labs.out.find("does not load") != std::string::npos);
    CHECK(stratus_cli("labs nowhere", dir).status == 2);
    CHECK(stratus_cli("labs labs/good.toml", dir).status == 2);
    // sweep: whatever this version does with it, a hostile file is a usage error, not a crash.
    for (const char* f : {"labs/binary.toml", "labs/nested-arrays.toml", "nowhere.toml", "labs"}) {
        INFO("sweep " << f);
        auto r = stratus_cli(std::string("sweep ") + f, dir);
        CHECK(r.status == 2);
        CHECK(r.err.find("terminate called") == std::string::npos);
    }
    // cidr: every malformed block exits 2 with a message naming it.
    for (const std::string& block : std::vector<std::string>{
             "", "10.0.0.0", "10.0.0.0/33", "10.0.0.0/-1", "300.1.1.1/8", "a.b.c.d/8", "1.2.3/8",
             "10.0.0.0/99999999999999999999", "10.0.0.0/8/8", "１０.0.0.0/8", "10.0.0.0/\xff",
             std::string(100000, '1') + "/8"}) {
        INFO("cidr " << block);
        auto r = stratus_cli("cidr '" + block + "'", dir);
        CHECK(r.status == 2);
        CHECK(r.err.find("stratus: cidr:") != std::string::npos);
        CHECK(r.err.find("terminate called") == std::string::npos);
    }
    fs::remove_all(dir);
}

TEST_CASE("faults so frequent that the run would never end are refused up front",
          "[hostile][cli][limits]") {
    const fs::path dir = hostile_dir();
    // An outage every second for 300 days: valid, but 26 million outages.
    write_file((dir / "storm.toml").string(),
               replaced(small_scenario("[[fault]]\ntype = \"az_outage\"\ntarget = \"us-east-1a\"\n"
                                       "mtbf = \"1s\"\nmttr = \"1s\"\n"),
                        "duration = \"10m\"", "duration = \"300d\""));
    // validate refuses it as run does: exit 2 at the fault's mtbf (file:line:col).
    auto v = stratus_cli("validate storm.toml", dir);
    CHECK(v.status == 2);
    CHECK(v.err.find("fault[0].mtbf") != std::string::npos);
    CHECK(names_position(v.err, "storm.toml"));
    auto r = stratus_cli("run storm.toml --out result", dir);
    expect_clear_error(r, "storm.toml", dir);
    CHECK(r.err.find("fault[0].mtbf") != std::string::npos);
    CHECK(names_position(r.err, "storm.toml"));
    fs::remove_all(dir);
}

}  // namespace test_hostile_inputs
