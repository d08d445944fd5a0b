// The command line as a user meets it: exit statuses, messages, and what is (not) written.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "cli_support.hpp"
#include "sim/report/lab.hpp"
#include "sim/scenario/loader.hpp"
#include "support.hpp"

namespace test_cli {

namespace fs = std::filesystem;
using stratus::testing::read_file;
using stratus::testing::write_file;

namespace {

using Result = stratus::testing::CliResult;

fs::path temp_dir() {
    return stratus::testing::make_temp_dir("stratus-cli");
}

Result run_cli(const std::string& args, const fs::path& cwd) {
    return stratus::testing::run_stratus(args, cwd);
}

const std::string kLab =
    std::string(STRATUS_SOURCE_DIR) + "/scenarios/labs/01-two-az-web-tier.toml";

}  // namespace

TEST_CASE("run writes the three outputs and a human summary", "[cli]") {
    const fs::path dir = temp_dir();
    auto r = run_cli("run '" + kLab + "' --set simulation.duration=10m --out result", dir);
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(r.out.find("requests") != std::string::npos);
    CHECK(r.out.find("p99") != std::string::npos);
    CHECK(fs::exists(dir / "result/summary.json"));
    CHECK(fs::exists(dir / "result/timeseries.csv"));
    CHECK(fs::exists(dir / "result/events.jsonl"));
    // No temporary file is left behind.
    for (const auto& e : fs::directory_iterator(dir / "result"))
        CHECK(e.path().filename().string().find(".tmp") == std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("run defaults to out/<scenario name>/ and keeps files it did not write", "[cli]") {
    const fs::path dir = temp_dir();
    fs::create_directories(dir / "out/01-two-az-web-tier");
    write_file((dir / "out/01-two-az-web-tier/notes.txt").string(), "mine");
    auto r = run_cli("run '" + kLab + "' --quiet --set simulation.duration=5m", dir);
    REQUIRE(r.status == 0);
    CHECK(r.out.empty());
    CHECK(fs::exists(dir / "out/01-two-az-web-tier/summary.json"));
    CHECK(read_file((dir / "out/01-two-az-web-tier/notes.txt").string()) == "mine");
    fs::remove_all(dir);
}

TEST_CASE("a scenario with an error exits 2, names file, line, column and key, writes nothing",
          "[cli]") {
    const fs::path dir = temp_dir();
    std::string text = read_file(kLab);
    const std::string from = "min_size = 4";
    text.replace(text.find(from), from.size(), "min_size = 5");
    write_file((dir / "bad.toml").string(), text);
    auto r = run_cli("run bad.toml --out result", dir);
    CHECK(r.status == 2);
    CHECK(r.err.find("bad.toml:") != std::string::npos);
    CHECK(r.err.find("autoscaling_group[web]") != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "result"));
    CHECK_FALSE(fs::exists(dir / "out"));
    fs::remove_all(dir);
}

TEST_CASE("a bad --set exits 2 and names the override", "[cli]") {
    const fs::path dir = temp_dir();
    auto r = run_cli("run '" + kLab + "' --set autoscaling_group.web.min_size=many", dir);
    CHECK(r.status == 2);
    CHECK(r.err.find("--set") != std::string::npos);
    CHECK(r.err.find("min_size") != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "out"));
    fs::remove_all(dir);
}

TEST_CASE("a missing file, an unknown option and no subcommand exit 2", "[cli]") {
    const fs::path dir = temp_dir();
    CHECK(run_cli("run nowhere.toml", dir).status == 2);
    CHECK(run_cli("run '" + kLab + "' --frobnicate", dir).status == 2);
    CHECK(run_cli("", dir).status == 2);
    CHECK_FALSE(fs::exists(dir / "out"));
    fs::remove_all(dir);
}

TEST_CASE("help works on every command and exits 0", "[cli]") {
    const fs::path dir = temp_dir();
    for (const char* cmd : {"--help", "run --help", "validate --help", "explain --help"}) {
        auto r = run_cli(cmd, dir);
        INFO(cmd);
        CHECK(r.status == 0);
        CHECK(r.out.find("Usage") != std::string::npos);
    }
    fs::remove_all(dir);
}

TEST_CASE("validate accepts the lab and explain prints a scenario that loads again", "[cli]") {
    const fs::path dir = temp_dir();
    auto v = run_cli("validate '" + kLab + "'", dir);
    CHECK(v.status == 0);
    CHECK(v.out.find("valid") != std::string::npos);
    auto e = run_cli("explain '" + kLab + "' --set simulation.seed=7", dir);
    REQUIRE(e.status == 0);
    CHECK(e.out.find("seed = 7") != std::string::npos);
    CHECK(e.out.find("health_check_grace_period = 300") != std::string::npos);
    write_file((dir / "explained.toml").string(), e.out);
    CHECK(run_cli("validate explained.toml", dir).status == 0);
    fs::remove_all(dir);
}

TEST_CASE("run refuses what arrives later with 'not supported yet' and writes nothing", "[cli]") {
    const fs::path dir = temp_dir();
    std::string text = read_file(kLab);
    text += "\n[[action]]\nat = \"1m\"\nset = { \"target_group.web-tg.slow_start\" = 60 }\n";
    write_file((dir / "later.toml").string(), text);
    CHECK(run_cli("validate later.toml", dir).status == 0);
    auto r = run_cli("run later.toml", dir);
    CHECK(r.status == 2);
    CHECK(r.err.find("not supported yet") != std::string::npos);
    CHECK(r.err.find("action[0]") != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "out"));
    fs::remove_all(dir);
}

TEST_CASE("two runs with --reproducible write byte-identical folders", "[cli][determinism]") {
    const fs::path dir = temp_dir();
    const std::string args =
        "run '" + kLab + "' --quiet --reproducible --set simulation.duration=15m";
    REQUIRE(run_cli(args + " --out a", dir).status == 0);
    REQUIRE(run_cli(args + " --out b", dir).status == 0);
    for (const char* f : {"summary.json", "timeseries.csv", "events.jsonl"}) {
        INFO(f);
        CHECK(read_file((dir / "a" / f).string()) == read_file((dir / "b" / f).string()));
    }
    CHECK(read_file((dir / "a/summary.json").string()).find("wall_s") == std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("labs lists every lab with its lesson, in English or Korean", "[cli][labs]") {
    const fs::path dir = temp_dir();
    const std::string labs = std::string(STRATUS_SOURCE_DIR) + "/scenarios/labs";
    const auto lab = stratus::report::parse_lab_text(
        stratus::scenario::load_file(labs + "/01-two-az-web-tier.toml").simulation.description);
    REQUIRE(lab.english.lesson.size() > 20);
    REQUIRE(lab.korean.lesson.size() > 20);
    auto r = run_cli("labs '" + labs + "'", dir);
    CHECK(r.status == 0);
    CHECK(r.out.find("01-two-az-web-tier.toml") != std::string::npos);
    CHECK(r.out.find(lab.english.lesson) != std::string::npos);
    CHECK(r.out.find("A web shop in Seoul") == std::string::npos);  // the set-up, not the lesson
    auto ko = run_cli("labs --lang ko '" + labs + "'", dir);
    CHECK(ko.status == 0);
    CHECK(ko.out.find(lab.korean.lesson) != std::string::npos);
    CHECK(ko.out.find(lab.english.lesson) == std::string::npos);
    CHECK(run_cli("labs /nowhere", dir).status == 2);
    CHECK(run_cli("labs --lang fr '" + labs + "'", dir).status == 2);
    fs::remove_all(dir);
}

TEST_CASE("absurd runs are refused up front with what to do instead", "[cli][limits]") {
    const fs::path dir = temp_dir();
    const std::string lab = "'" + kLab + "'";
    // A hundred years in request mode.
    auto years = run_cli("run " + lab + " --set simulation.duration=\"36500d\"", dir);
    CHECK(years.status == 2);
    CHECK(years.err.find("simulation.duration") != std::string::npos);
    CHECK(years.err.find("fluid") != std::string::npos);
    // A hundred years in fluid mode: beyond its ten-year limit, with its own message.
    auto fluid_years =
        run_cli("run " + lab + " --fidelity fluid --set simulation.duration=\"36500d\"", dir);
    CHECK(fluid_years.status == 2);
    CHECK(fluid_years.err.find("a fluid-mode run of 36500 days is refused") != std::string::npos);
    CHECK(fluid_years.err.find("request-mode") == std::string::npos);
    // 120/s for 400 days is 4e9 requests.
    auto many = run_cli("run " + lab + " --set simulation.duration=\"399d\"", dir);
    CHECK(many.status == 2);
    CHECK(many.err.find("workload[shop].rate") != std::string::npos);
    // A million instances.
    auto huge = run_cli("run " + lab + " --set autoscaling_group.web.max_size=1000000", dir);
    CHECK(huge.status == 2);
    CHECK(huge.err.find("autoscaling_group[web].max_size") != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "out"));
    fs::remove_all(dir);
}

}  // namespace test_cli
