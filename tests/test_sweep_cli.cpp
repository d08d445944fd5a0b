// `stratus sweep` and `stratus merge` as a user meets them: the same bytes whatever -j or
// sharding, --resume after an interrupted write, refusing to overwrite, exit 2 on bad input.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "cli_support.hpp"
#include "support.hpp"

namespace test_sweep_cli {

namespace fs = std::filesystem;
using stratus::testing::read_file;
using stratus::testing::write_file;

namespace {

using Result = stratus::testing::CliResult;

fs::path temp_dir() {
    return stratus::testing::make_temp_dir("stratus-sweep");
}

Result run_cli(const std::string& args, const fs::path& cwd) {
    return stratus::testing::run_stratus(args, cwd);
}

const std::string kLab =
    std::string(STRATUS_SOURCE_DIR) + "/scenarios/labs/01-two-az-web-tier.toml";
// 2 x 2 points x 3 replications of four simulated minutes: 12 small runs.
const std::string kSweep =
    "sweep '" + kLab +
    "' --set simulation.duration=4m --grid launch_template.web.max_queue=20,200 "
    "--grid target_group.web-tg.load_balancing_algorithm_type=round_robin,"
    "least_outstanding_requests --replications 3";

std::size_t lines(const std::string& s) {
    return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

}  // namespace

TEST_CASE("sweep: -j1, -j2 and three shards merged give the same bytes", "[sweep][cli]") {
    const fs::path dir = temp_dir();
    auto one = run_cli(kSweep + " -j 1 --out one.csv --pareto cost_usd.total,latency_ms.p99", dir);
    INFO(one.err);
    REQUIRE(one.status == 0);
    const std::string bytes = read_file((dir / "one.csv").string());
    CHECK(lines(bytes) == 1 + 12);
    CHECK(bytes.rfind("point,replication,launch_template.web.max_queue,"
                      "target_group.web-tg.load_balancing_algorithm_type,seed,",
                      0) == 0);
    CHECK_THAT(bytes, Catch::Contains("\n3,2,200,least_outstanding_requests,"));
    // The table: one line per point with mean ± CI, and the Pareto marks.
    CHECK_THAT(one.out, Catch::Contains("±") && Catch::Contains("Pareto front"));
    // Not a terminal: plain progress lines, the last one at 100 %.
    CHECK_THAT(one.err, Catch::Contains("sweep: 12/12 runs (100%)"));

    auto two = run_cli(kSweep + " -j 2 --quiet --out two.csv", dir);
    REQUIRE(two.status == 0);
    CHECK(two.out.empty());
    CHECK(read_file((dir / "two.csv").string()) == bytes);

    for (int k = 1; k <= 3; ++k) {
        auto s = run_cli(kSweep + " --quiet --shard " + std::to_string(k) + "/3 --out s" +
                             std::to_string(k) + ".csv",
                         dir);
        REQUIRE(s.status == 0);
        CHECK(lines(read_file((dir / ("s" + std::to_string(k) + ".csv")).string())) == 1 + 4);
    }
    auto merged = run_cli("merge merged.csv s3.csv s1.csv s2.csv", dir);
    INFO(merged.err);
    REQUIRE(merged.status == 0);
    CHECK_THAT(merged.err, Catch::Contains("4 points x 3 replications = 12 rows"));
    CHECK(read_file((dir / "merged.csv").string()) == bytes);
    // Each results file has its manifest: the sweep's size, the shard, the scenario's
    // fingerprint and the --set values.
    const std::string manifest = read_file((dir / "s2.csv.sweep.json").string());
    CHECK_THAT(manifest,
               Catch::Contains("\"points\": 4") && Catch::Contains("\"replications\": 3") &&
                   Catch::Contains("\"runs\": 12") && Catch::Contains("\"shard\": \"2/3\"") &&
                   Catch::Contains("\"simulation.duration=4m\""));
    CHECK_THAT(read_file((dir / "merged.csv.sweep.json").string()),
               Catch::Contains("\"shard\": \"1/1\""));
    CHECK(read_file((dir / "merged.csv.sweep.json").string()) ==
          read_file((dir / "one.csv.sweep.json").string()));

    // Merge refuses duplicates, gaps and foreign files, and writes nothing.
    auto dup = run_cli("merge dup.csv s1.csv s1.csv s2.csv s3.csv", dir);
    CHECK(dup.status == 2);
    CHECK_THAT(dup.err, Catch::Contains("in both s1.csv and s1.csv"));
    auto gap = run_cli("merge gap.csv s1.csv s3.csv", dir);
    CHECK(gap.status == 2);
    CHECK_THAT(gap.err,
               Catch::Contains("shard 2/3 of the sweep of") && Catch::Contains("is not given"));
    // Shard 3 held every run of replication 2: the other two look like a whole sweep of two
    // replications, but their manifests say there are three shards.
    auto trailing = run_cli("merge trailing.csv s1.csv s2.csv", dir);
    CHECK(trailing.status == 2);
    CHECK_THAT(trailing.err, Catch::Contains("shard 3/3"));
    CHECK_FALSE(fs::exists(dir / "trailing.csv"));
    // Without manifests (files copied without them) merge still finds the gaps it can see.
    fs::create_directory(dir / "bare");
    for (const char* f : {"s1.csv", "s3.csv"})
        fs::copy_file(dir / f, dir / "bare" / f);
    auto bare = run_cli("merge bare/gap.csv bare/s1.csv bare/s3.csv", dir);
    CHECK(bare.status == 2);
    CHECK_THAT(bare.err, Catch::Contains("4 run(s) missing"));
    write_file((dir / "other.csv").string(), "point,replication,seed,x\n");
    auto other = run_cli("merge other-merged.csv s1.csv other.csv", dir);
    CHECK(other.status == 2);
    CHECK_THAT(other.err, Catch::Contains("other columns"));
    CHECK_FALSE(fs::exists(dir / "dup.csv"));
    CHECK_FALSE(fs::exists(dir / "gap.csv"));
    CHECK_FALSE(fs::exists(dir / "other-merged.csv"));
    auto again = run_cli("merge merged.csv s1.csv s2.csv s3.csv", dir);
    CHECK(again.status == 2);
    CHECK_THAT(again.err, Catch::Contains("--force"));
    fs::remove_all(dir);
}

TEST_CASE("sweep --resume after a write cut short runs only what is missing", "[sweep][cli]") {
    const fs::path dir = temp_dir();
    auto full = run_cli(kSweep + " --quiet --out full.csv", dir);
    REQUIRE(full.status == 0);
    const std::string bytes = read_file((dir / "full.csv").string());
    // An interrupted sweep: the header, five rows, and half of the sixth.
    std::size_t cut = 0;
    for (int i = 0; i < 6; ++i)
        cut = bytes.find('\n', cut) + 1;
    const std::string partial = bytes.substr(0, cut + (bytes.find('\n', cut) - cut) / 2);
    write_file((dir / "part.csv").string(), partial);

    auto refused = run_cli(kSweep + " --quiet --out part.csv", dir);
    CHECK(refused.status == 2);
    CHECK_THAT(refused.err, Catch::Contains("--resume") && Catch::Contains("--force"));
    CHECK(read_file((dir / "part.csv").string()) == partial);

    auto resumed = run_cli(kSweep + " --resume --out part.csv", dir);
    INFO(resumed.err);
    REQUIRE(resumed.status == 0);
    CHECK_THAT(resumed.err, Catch::Contains("5 of 12 runs already in part.csv"));
    CHECK_THAT(resumed.err, Catch::Contains("part.csv:7: a line cut short is dropped"));
    CHECK(read_file((dir / "part.csv").string()) == bytes);

    // A file from another sweep is not resumed: other --set values (its manifest says)...
    auto other = run_cli(kSweep + " --resume --set workload.shop.rate=100 --out part.csv", dir);
    CHECK(other.status == 2);
    CHECK_THAT(other.err, Catch::Contains("the --set values changed") &&
                              Catch::Contains("part.csv.sweep.json"));
    auto wrong = run_cli("sweep '" + kLab +
                             "' --set simulation.duration=4m --grid launch_template.web.max_queue="
                             "20,300 --grid target_group.web-tg.load_balancing_algorithm_type="
                             "round_robin,least_outstanding_requests --replications 3 --resume "
                             "--quiet --out part.csv",
                         dir);
    CHECK(wrong.status == 2);
    CHECK_THAT(wrong.err, Catch::Contains("is `200` where this sweep has `300`"));
    CHECK(read_file((dir / "part.csv").string()) == bytes);

    auto forced = run_cli(kSweep + " --quiet --force --out part.csv", dir);
    CHECK(forced.status == 0);
    CHECK(read_file((dir / "part.csv").string()) == bytes);

    // ... or a scenario file edited since (even by a comment).
    fs::copy_file(kLab, dir / "lab.toml");
    const std::string copy =
        "sweep lab.toml --set simulation.duration=4m --grid "
        "launch_template.web.max_queue=20,200 --quiet --out copy.csv";
    REQUIRE(run_cli(copy, dir).status == 0);
    write_file((dir / "lab.toml").string(), read_file((dir / "lab.toml").string()) + "# edited\n");
    const std::string before = read_file((dir / "copy.csv").string());
    auto edited = run_cli(copy + " --resume", dir);
    CHECK(edited.status == 2);
    CHECK_THAT(edited.err, Catch::Contains("the scenario file's text changed"));
    CHECK(read_file((dir / "copy.csv").string()) == before);
    fs::remove_all(dir);
}

TEST_CASE("sweep: bad grids, designs and options exit 2 and write nothing", "[sweep][cli]") {
    const fs::path dir = temp_dir();
    const std::string base = "sweep '" + kLab + "' --set simulation.duration=4m ";
    auto path = run_cli(base + "--grid autoscaling_group.web.min_sise=1,2 --out r.csv", dir);
    CHECK(path.status == 2);
    CHECK_THAT(path.err, Catch::Contains("--grid autoscaling_group.web.min_sise=1,2") &&
                             Catch::Contains("unknown key `min_sise`"));
    auto value = run_cli(base + "--grid workload.shop.timeout=10s,soon --out r.csv", dir);
    CHECK(value.status == 2);
    CHECK_THAT(value.err, Catch::Contains("workload[shop].timeout") && Catch::Contains("soon"));
    auto range = run_cli(base + "--grid launch_template.web.max_queue=9..1 --out r.csv", dir);
    CHECK(range.status == 2);
    CHECK_THAT(range.err, Catch::Contains("TO is below FROM"));
    auto shard =
        run_cli(base + "--grid launch_template.web.max_queue=1,2 --shard 4/3 --out r.csv", dir);
    CHECK(shard.status == 2);
    CHECK_THAT(shard.err, Catch::Contains("--shard 4/3"));
    auto pareto = run_cli(base +
                              "--grid launch_template.web.max_queue=1,2 --pareto "
                              "cost_usd.total,latency_ms.p42 --out r.csv",
                          dir);
    CHECK(pareto.status == 2);
    CHECK_THAT(pareto.err, Catch::Contains("latency_ms.p42"));
    write_file((dir / "design.toml").string(),
               "[[axis]]\npath = \"launch_template.web.max_queue\"\nvalues = [10, \"many\"]\n");
    auto design = run_cli(base + "--design design.toml --out r.csv", dir);
    CHECK(design.status == 2);
    CHECK_THAT(design.err, Catch::Contains("design.toml:3:") && Catch::Contains("max_queue"));
    auto missing = run_cli("sweep no-such.toml --grid a.b.c=1 --out r.csv", dir);
    CHECK(missing.status == 2);
    CHECK_FALSE(fs::exists(dir / "r.csv"));
    fs::remove_all(dir);
}

TEST_CASE("sweep: a design file with a zip and an LHS, crossed with a --grid", "[sweep][cli]") {
    const fs::path dir = temp_dir();
    write_file((dir / "design.toml").string(), R"(replications = 2
[[zip]]
paths = ["launch_template.web.max_queue", "target_group.web-tg.deregistration_delay"]
values = [[20, 10], [200, 60]]
[lhs]
points = 3
seed = 5
[[lhs.axis]]
path = "workload.shop.timeout"
min = 2
max = 20
integer = true
)");
    auto r = run_cli("sweep '" + kLab +
                         "' --set simulation.duration=4m --design design.toml --grid "
                         "target_group.web-tg.slow_start=0,30 --quiet --stats-out stats.csv "
                         "--out r.csv",
                     dir);
    INFO(r.err);
    REQUIRE(r.status == 0);
    const std::string csv = read_file((dir / "r.csv").string());
    CHECK(csv.rfind("point,replication,launch_template.web.max_queue,target_group.web-tg."
                    "deregistration_delay,workload.shop.timeout,target_group.web-tg."
                    "slow_start,seed,",
                    0) == 0);
    CHECK(lines(csv) == 1 + 2 * 3 * 2 * 2);
    const std::string stats = read_file((dir / "stats.csv").string());
    CHECK(lines(stats) == 1 + 12);
    CHECK_THAT(stats, Catch::Contains("cost_usd.total.mean,cost_usd.total.ci95"));
    // The stats file is not replaced without --force (or --resume) either.
    auto again = run_cli("sweep '" + kLab +
                             "' --set simulation.duration=4m --design design.toml --grid "
                             "target_group.web-tg.slow_start=0,30 --quiet --stats-out stats.csv "
                             "--out r2.csv",
                         dir);
    CHECK(again.status == 2);
    CHECK_THAT(again.err, Catch::Contains("--stats-out stats.csv exists"));
    CHECK_FALSE(fs::exists(dir / "r2.csv"));
    CHECK(read_file((dir / "stats.csv").string()) == stats);
    fs::remove_all(dir);
}

TEST_CASE("sweep progress: a bar redrawn in place with ETA on a terminal", "[sweep][cli]") {
    // script(1) (bsdutils, essential in Debian) gives the sweep a pseudo-terminal as stderr.
    const fs::path dir = temp_dir();
    const std::string inner = "'" + std::string(STRATUS_BINARY) + "' sweep '" + kLab +
                              "' --set simulation.duration=4m -r 6 --out tty.csv >/dev/null";
    const std::string cmd = "cd '" + dir.string() + "' && script -qec \"" + inner +
                            "\" /dev/null > '" + (dir / "tty.txt").string() + "'";
    REQUIRE(std::system(cmd.c_str()) == 0);
    const std::string tty = read_file((dir / "tty.txt").string());
    CHECK_THAT(
        tty, Catch::Contains("\rsweep [") && Catch::Contains("6/6 runs") && Catch::Contains("ETA"));
    CHECK(lines(read_file((dir / "tty.csv").string())) == 1 + 6);
    fs::remove_all(dir);
}

}  // namespace test_sweep_cli
