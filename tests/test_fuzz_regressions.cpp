// Every input the fuzzer (fuzz/scenario_fuzzer.cpp) ever crashed on, replayed through the same
// pipeline under the normal build: each must now load or be refused with a ScenarioError, and
// run without crashing. The inputs live in tests/fuzz_regressions/, one file each, named after
// what went wrong.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "fuzz/scenario_pipeline.hpp"
#include "support.hpp"

namespace test_fuzz_regressions {

namespace fs = std::filesystem;

TEST_CASE("every input the fuzzer crashed on now loads or is refused cleanly", "[fuzz]") {
    const fs::path dir = fs::path(STRATUS_SOURCE_DIR) / "tests/fuzz_regressions";
    std::vector<fs::path> inputs;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file() && e.path().filename() != "README.md") inputs.push_back(e.path());
    std::sort(inputs.begin(), inputs.end());
    REQUIRE_FALSE(inputs.empty());
    for (const auto& input : inputs) {
        INFO(input.filename().string());
        const std::string text = stratus::testing::read_file(input.string());
        CHECK_NOTHROW(stratus::fuzz::exercise_input(text));
    }
}

TEST_CASE("a Spot price trace that does not exist is an error at its key, not a failed run",
          "[fuzz][loader]") {
    const std::string text = stratus::testing::read_file(
        std::string(STRATUS_SOURCE_DIR) + "/tests/fuzz_regressions/spot-trace-file-missing.toml");
    try {
        stratus::scenario::load_text(text, "spot.toml", {}, "/nonexistent");
        FAIL("expected a ScenarioError");
    } catch (const stratus::scenario::ScenarioError& e) {
        const std::string what = e.what();
        CHECK(what.find("spot.toml:") != std::string::npos);
        CHECK(what.find("spot.pool[0].price.file") != std::string::npos);
        CHECK(what.find("m5-1a.csv") != std::string::npos);
    }
}

TEST_CASE("a DB instance class the region has no price for is an error at its key",
          "[fuzz][loader]") {
    const std::string text =
        stratus::testing::read_file(std::string(STRATUS_SOURCE_DIR) +
                                    "/tests/fuzz_regressions/db-instance-class-without-price.toml");
    try {
        stratus::scenario::load_text(text, "db.toml");
        FAIL("expected a ScenarioError");
    } catch (const stratus::scenario::ScenarioError& e) {
        const std::string what = e.what();
        CHECK(what.find("db.toml:") != std::string::npos);
        CHECK(what.find(".instance_class") != std::string::npos);
        CHECK(what.find("db.m4.large") != std::string::npos);
    }
}

}  // namespace test_fuzz_regressions
