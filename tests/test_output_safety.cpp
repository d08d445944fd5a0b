// Output safety: outputs appear whole or not at all (temporary file + rename), an interrupted
// run writes nothing, files stratus did not write are never touched, and streaming the time
// series and events through report::OutputSpool gives the same bytes as rendering them.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "sim/cloud/world.hpp"
#include "sim/report/number_text.hpp"
#include "sim/report/outputs.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/loader.hpp"
#include "support.hpp"
#include "world_support.hpp"

namespace test_output_safety {

namespace fs = std::filesystem;
using stratus::testing::read_file;
using stratus::testing::write_file;

namespace {

fs::path safety_dir() {
    std::string tmpl = (fs::temp_directory_path() / "stratus-outputs-XXXXXX").string();
    char* made = mkdtemp(tmpl.data());
    REQUIRE(made != nullptr);
    return fs::path(made);
}

const std::string kLab02 = std::string(STRATUS_SOURCE_DIR) + "/scenarios/labs/02-az-outage.toml";

bool has_temporary_files(const fs::path& dir) {
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.path().filename().string().find(".tmp-") != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("streaming the outputs through the spool writes the same bytes as rendering them",
          "[outputs]") {
    using namespace stratus;
    // Lab 2 has an AZ outage: events of many kinds, and rows with every gauge.
    auto spec = scenario::load_file(kLab02, {"simulation.duration=40m"});
    const fs::path dir = safety_dir();

    report::Run rendered_run(spec);
    cloud::World& rendered = rendered_run.world();
    rendered.run();
    report::write_outputs((dir / "rendered").string(), rendered_run,
                          report::make_summary(rendered_run));

    report::Run streamed_run(spec);
    cloud::World& streamed = streamed_run.world();
    {
        report::OutputSpool spool(streamed_run);
        streamed.run();
        // Nothing is kept in memory while the spool takes the rows and events.
        CHECK(streamed_run.recorder().rows().empty());
        CHECK(testing::json_events(streamed_run).empty());
        CHECK(streamed_run.recorder().periods_closed() == rendered_run.recorder().rows().size());
        CHECK(streamed_run.recorder().log().size() == testing::json_events(rendered_run).size());
        report::write_outputs((dir / "streamed").string(), streamed_run,
                              report::make_summary(streamed_run), &spool);
    }
    for (const auto& name : report::output_file_names()) {
        INFO(name);
        const std::string a = read_file((dir / "rendered" / name).string());
        CHECK(a.size() > 100);
        CHECK(a == read_file((dir / "streamed" / name).string()));
    }
    CHECK(read_file((dir / "rendered/timeseries.csv").string()) ==
          stratus::report::timeseries_csv(rendered_run));
    fs::remove_all(dir);
}

TEST_CASE("a failed atomic write leaves what was there and no temporary file", "[outputs]") {
    const fs::path dir = safety_dir();
    // A folder where the file should go: the rename fails, the folder and its content stay.
    fs::create_directories(dir / "summary.json");
    write_file((dir / "summary.json/mine.txt").string(), "mine");
    CHECK_THROWS(stratus::report::write_file_atomically((dir / "summary.json").string(), "new"));
    CHECK(read_file((dir / "summary.json/mine.txt").string()) == "mine");
    CHECK_FALSE(has_temporary_files(dir));
    // A writer that fails half-way: the old file is whole, the temporary file is gone.
    write_file((dir / "timeseries.csv").string(), "old,complete\n");
    CHECK_THROWS(stratus::report::write_file_atomically((dir / "timeseries.csv").string(),
                                                        [](std::ostream& out) {
                                                            out << "half,of,a";
                                                            throw std::runtime_error("interrupted");
                                                        }));
    CHECK(read_file((dir / "timeseries.csv").string()) == "old,complete\n");
    CHECK_FALSE(has_temporary_files(dir));
    // A success replaces the file whole.
    stratus::report::write_file_atomically((dir / "timeseries.csv").string(), "new\n");
    CHECK(read_file((dir / "timeseries.csv").string()) == "new\n");
    CHECK_FALSE(has_temporary_files(dir));
    fs::remove_all(dir);
}

TEST_CASE("an interrupted run writes nothing and leaves the folder's files alone",
          "[outputs][cli]") {
    const fs::path dir = safety_dir();
    // The user's files, including an old summary and one named like a temporary file.
    fs::create_directories(dir / "result/notes");
    write_file((dir / "result/summary.json").string(), "{\"old\": true}\n");
    write_file((dir / "result/notes/todo.txt").string(), "mine");
    write_file((dir / "result/.summary.json.tmp-1").string(), "also mine");
    // Thirty days of lab 2 take far longer than the second before the interrupt.
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        if (chdir(dir.c_str()) != 0) _exit(99);
        execl(STRATUS_BINARY, STRATUS_BINARY, "run", kLab02.c_str(), "--quiet", "--out", "result",
              "--set", "simulation.duration=30d", static_cast<char*>(nullptr));
        _exit(98);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    kill(pid, SIGINT);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status));
    CHECK(read_file((dir / "result/summary.json").string()) == "{\"old\": true}\n");
    CHECK(read_file((dir / "result/notes/todo.txt").string()) == "mine");
    CHECK(read_file((dir / "result/.summary.json.tmp-1").string()) == "also mine");
    for (const char* name : {"timeseries.csv", "events.jsonl", "bill.csv"})
        CHECK_FALSE(fs::exists(dir / "result" / name));
    fs::remove_all(dir);
}

TEST_CASE("a finished run replaces only its own five files", "[outputs][cli]") {
    const fs::path dir = safety_dir();
    fs::create_directories(dir / "result/plots");
    write_file((dir / "result/summary.json").string(), "{\"old\": true}\n");
    write_file((dir / "result/plots/p99.png").string(), "png");
    write_file((dir / "result/README").string(), "my notes");
    const std::string cmd = "cd '" + dir.string() + "' && '" + STRATUS_BINARY + "' run '" + kLab02 +
                            "' --quiet --out result --set simulation.duration=11m";
    REQUIRE(std::system(cmd.c_str()) == 0);
    CHECK(read_file((dir / "result/summary.json").string()).find("\"requests\"") !=
          std::string::npos);
    CHECK(read_file((dir / "result/plots/p99.png").string()) == "png");
    CHECK(read_file((dir / "result/README").string()) == "my notes");
    std::size_t entries = 0;
    for (const auto& e : fs::directory_iterator(dir / "result")) {
        (void)e;
        ++entries;
    }
    CHECK(entries == 7);  // plots/, README and the five outputs
    CHECK_FALSE(has_temporary_files(dir));
    fs::remove_all(dir);
}

TEST_CASE("a rounded figure's text is fmt's shortest text of the rounded double", "[outputs]") {
    using stratus::report::append_rounded;
    using stratus::report::round_to;
    auto text = [](double x, int d) {
        fmt::memory_buffer b;
        append_rounded(b, x, d);
        return fmt::to_string(b);
    };
    // By hand: rounded half away from zero, trailing zeros dropped, no point for a whole.
    CHECK(text(1234.5678, 3) == "1234.568");
    CHECK(text(0.1 + 0.2, 6) == "0.3");
    CHECK(text(2.5, 0) == "3");
    CHECK(text(-2.5, 0) == "-3");
    CHECK(text(86390, 6) == "86390");
    CHECK(text(0.0001, 6) == "0.0001");
    CHECK(text(-0.0000004, 6) == "-0");          // fmt's text of -0.0
    CHECK(text(0.00005, 6) == "5e-05");          // fmt writes below 1e-4 with an exponent
    CHECK(text(1e15, 3) == "1000000000000000");  // fmt: no exponent below 1e16
    CHECK(text(1e16, 0) == "1e+16");
    // Against fmt on the edges and on figures spread over every magnitude the rows hold.
    std::vector<double> xs = {
        0.0,    -0.0, 1e-4,  9.9995e-5,           0.000999,  1e14,      1e15 - 1,
        1e15,   1e16, -1e14, 123456789.123456789, 0.0000005, 0.0000015, 999999.9999995,
        4.35e-5};
    std::mt19937_64 gen(19);
    std::uniform_real_distribution<double> mantissa(-10.0, 10.0);
    std::uniform_int_distribution<int> exponent(-8, 16);
    for (int i = 0; i < 200000; ++i)
        xs.push_back(mantissa(gen) * std::pow(10.0, exponent(gen)));
    REQUIRE(xs.size() == 200015);
    int fast = 0;
    for (const double x : xs) {
        for (const int d : {0, 3, 6}) {
            const std::string want = fmt::format("{}", round_to(x, d));
            INFO("x = " << fmt::format("{}", x) << ", decimals " << d);
            REQUIRE(text(x, d) == want);
            fast += want.find('e') == std::string::npos;
        }
    }
    CHECK(fast > 300000);  // the sample is mostly texts without an exponent (k / 10^d)
}

TEST_CASE("an event's line is the text nlohmann's dump writes for it", "[outputs]") {
    using namespace stratus;
    // event_line writes most lines field by field: each must read back as JSON and dump to the
    // same text (the keys in their order, nlohmann's number text); strings JSON escapes,
    // strings beyond ASCII and figures that are not finite take the JSON tree instead.
    std::vector<cloud::EventRecord> records;
    records.push_back({0, cloud::event::RunStarted{"m", 19, "us-east-1"}});
    records.push_back({61'682'975, cloud::event::RunStarted{"a \"quoted\" name\\", 1, "x\ny"}});
    records.push_back(
        {1, cloud::event::RunStarted{"\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4", 0, "\x7f"}});
    records.push_back({3'000'000'000'123, cloud::event::TargetHealthChanged{
                                              "tg", "i-0001", cloud::TargetHealthState::Initial,
                                              cloud::TargetHealthState::Healthy, "Target.X"}});
    for (double v : {0.0, -0.0, 1e-7, 0.1, 2.5, 1e15, 1e17, 123456789.123456}) {
        cloud::event::SettingChanged e;
        e.value = v;
        records.push_back({7, e});
    }
    cloud::event::SettingChanged text;
    text.value = std::string("\"on\"");
    records.push_back({8, text});
    cloud::event::SettingChanged flag;
    flag.value = true;
    records.push_back({9, flag});
    cloud::event::SettingChanged count;
    count.value = std::int64_t{-42};
    records.push_back({10, count});
    for (const auto& r : records) {
        const std::string line = report::event_line(r);
        REQUIRE(!line.empty());
        CHECK(line.back() == '\n');
        const auto j = nlohmann::ordered_json::parse(line);
        CHECK(j.dump() + "\n" == line);
        CHECK(j.begin().key() == "t");
    }
    cloud::event::SettingChanged nan;
    nan.value = std::nan("");
    CHECK_THROWS(report::event_line({11, nan}));
}

}  // namespace test_output_safety
