// Sweeps, piece by piece: grids and ranges, designs and Latin hypercubes, CSV, statistics
// (checked against hand calculation and Student's t tables), the Pareto front, and common
// random numbers across points.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/scenario/diagnostic.hpp"
#include "sim/sweep/csv.hpp"
#include "sim/sweep/design.hpp"
#include "sim/sweep/plan.hpp"
#include "sim/sweep/report.hpp"
#include "sim/sweep/results.hpp"
#include "sim/sweep/stats.hpp"

namespace test_sweep {

using namespace stratus::sweep;
using stratus::scenario::ScenarioError;

namespace {

std::vector<std::string> labels(const Factor& f) {
    std::vector<std::string> out;
    for (const auto& level : f.levels)
        out.push_back(level.at(0).label);
    return out;
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const ScenarioError& e) {
        return e.what();
    }
    return "";
}

const std::string kLab =
    std::string(STRATUS_SOURCE_DIR) + "/scenarios/labs/01-two-az-web-tier.toml";

}  // namespace

TEST_CASE("a grid lists values and expands integer, decimal and duration ranges", "[sweep]") {
    auto f = parse_grid("autoscaling_group.web.min_size=2..10:2");
    CHECK(f.paths == std::vector<std::string>{"autoscaling_group.web.min_size"});
    CHECK(labels(f) == std::vector<std::string>{"2", "4", "6", "8", "10"});
    CHECK(labels(parse_grid("a.b.c=1..3")) == std::vector<std::string>{"1", "2", "3"});
    CHECK(labels(parse_grid("a.b.c=0.1..0.5:0.1")) ==
          std::vector<std::string>{"0.1", "0.2", "0.3", "0.4", "0.5"});
    CHECK(labels(parse_grid("a.b.c=60s..180s:60s")) ==
          std::vector<std::string>{"60s", "120s", "180s"});
    // Lists mix values and ranges; commas inside brackets and quotes do not split.
    CHECK(labels(parse_grid("a.b.c=1, 5..7,c5.large")) ==
          std::vector<std::string>{"1", "5", "6", "7", "c5.large"});
    CHECK(labels(parse_grid("a.b.c=[1,2],\"x,y\"")) ==
          std::vector<std::string>{"[1,2]", "\"x,y\""});
    // A range that does not reach TO stops below it.
    CHECK(labels(parse_grid("a.b.c=0..5:2")) == std::vector<std::string>{"0", "2", "4"});
}

TEST_CASE("malformed grids are refused naming the --grid argument", "[sweep]") {
    CHECK_THAT(error_of([] { parse_grid("a.b.c=5..1"); }),
               Catch::Contains("--grid a.b.c=5..1") && Catch::Contains("TO is below FROM"));
    CHECK_THAT(error_of([] { parse_grid("a.b.c=1..5:0"); }), Catch::Contains("STEP must be > 0"));
    CHECK_THAT(error_of([] { parse_grid("a.b.c=1s..5m"); }), Catch::Contains("mixes units"));
    CHECK_THAT(error_of([] { parse_grid("a.b.c=1..x"); }), Catch::Contains("malformed range"));
    CHECK_THAT(error_of([] { parse_grid("min_size"); }), Catch::Contains("expected PATH=V1,V2"));
    CHECK_THAT(error_of([] { parse_grid("a.b.c=1,,2"); }), Catch::Contains("empty value"));
    CHECK_THAT(error_of([] { parse_grid("simulation.seed=1,2"); }),
               Catch::Contains("replications vary it"));
}

TEST_CASE("ranges with numbers beyond what a machine number holds are refused, not a crash",
          "[sweep][hostile]") {
    // Found by the fuzzer: a 25-digit FROM threw std::out_of_range out of the parser.
    CHECK_THAT(error_of([] { parse_grid("a.b.c=9999999999999999999999999..1"); }),
               Catch::Contains("--grid") && Catch::Contains("too large"));
    CHECK_THAT(error_of([] { parse_grid("a.b.c=1..2:99999999999999999999"); }),
               Catch::Contains("too large"));
    const std::string huge_decimal = std::string(400, '9') + ".5..1";
    CHECK_THAT(error_of([&] { parse_grid("a.b.c=" + huge_decimal); }),
               Catch::Contains("too large"));
    // FROM and TO at either end of the 64-bit range: TO - FROM does not fit a signed integer.
    CHECK_THAT(error_of([] { parse_grid("a.b.c=-9223372036854775808..9223372036854775807"); }),
               Catch::Contains("more than"));
    CHECK(labels(parse_grid("a.b.c=-9223372036854775808..9223372036854775807:"
                            "9223372036854775807")) ==
          std::vector<std::string>{"-9223372036854775808", "-1", "9223372036854775806"});
}

TEST_CASE("design points: the first factor varies slowest, zipped paths move together", "[sweep]") {
    const Design d = load_design_text(R"(
replications = 4
[[axis]]
path = "a.x.one"
values = [1, 2]
[[zip]]
paths = ["a.x.two", "a.x.three"]
values = [[10, "p"], [20, "q"], [30, "r"]]
)",
                                      "d.toml");
    CHECK(d.replications == 4);
    CHECK(d.paths() == std::vector<std::string>{"a.x.one", "a.x.two", "a.x.three"});
    REQUIRE(d.point_count() == 6);
    auto cells = [&](std::uint64_t i) {
        std::vector<std::string> out;
        for (const auto& v : d.point(i))
            out.push_back(v.label);
        return out;
    };
    CHECK(cells(0) == std::vector<std::string>{"1", "10", "p"});
    CHECK(cells(1) == std::vector<std::string>{"1", "20", "q"});
    CHECK(cells(2) == std::vector<std::string>{"1", "30", "r"});
    CHECK(cells(3) == std::vector<std::string>{"2", "10", "p"});
    CHECK(cells(5) == std::vector<std::string>{"2", "30", "r"});
    // A string goes to the loader quoted (so "10" stays a string), shown without quotes.
    CHECK(d.point(0)[2].text == "\"p\"");
}

TEST_CASE("design file mistakes name the file, line, column and key", "[sweep]") {
    CHECK_THAT(
        error_of([] { load_design_text("[[axis]]\npath = \"a.b.c\"\nvalues = []\n", "d.toml"); }),
        Catch::Contains("d.toml:3:10") && Catch::Contains("axis[a.b.c].values"));
    CHECK_THAT(error_of([] {
                   load_design_text("[[axis]]\npath = \"a.b.c\"\nrange = \"9..1\"\n", "d.toml");
               }),
               Catch::Contains("d.toml:3:9") && Catch::Contains("TO is below FROM"));
    CHECK_THAT(error_of([] {
                   load_design_text("[[zip]]\npaths = [\"a.b.c\", \"a.b.d\"]\nvalues = [[1]]\n",
                                    "d.toml");
               }),
               Catch::Contains("d.toml:3") && Catch::Contains("row of 2 values"));
    CHECK_THAT(error_of([] { load_design_text("[[axs]]\npath = \"a\"\n", "d.toml"); }),
               Catch::Contains("unknown key `axs`"));
    CHECK_THAT(error_of([] {
                   load_design_text(
                       "[[axis]]\npath = \"a.b.c\"\nvalues = [1]\n[[axis]]\npath = "
                       "\"a.b.c\"\nvalues = [2]\n",
                       "d.toml");
               }),
               Catch::Contains("varied twice"));
    CHECK_THAT(error_of([] { load_design_text("replications = 3\n", "d.toml"); }),
               Catch::Contains("varies nothing"));
}

TEST_CASE("a design file's duplicate key is named as the file writes it", "[sweep]") {
    // TOML++'s own words re-escape a quoted key; the design loader words it as the scenario
    // loader does (sim/scenario/toml_syntax_error.hpp), at the duplicate's line.
    const std::string e = error_of([] {
        load_design_text("[[axis]]\npath = \"a.b.c\"\n\"path\" = \"a.b.d\"\nvalues = [1]\n",
                         "d.toml");
    });
    REQUIRE_FALSE(e.empty());
    CHECK_THAT(e, Catch::Contains("d.toml:3:") &&
                      Catch::Contains("duplicate key `\"path\"`: this table already has it") &&
                      Catch::Contains("axis[0]."));
    CHECK_THAT(
        error_of([] { load_design_text("[options]\nreplications = 2\n[options]\n", "d.toml"); }),
        Catch::Contains("d.toml:3:") && Catch::Contains("duplicate table [options]"));
}

TEST_CASE("a Latin hypercube puts exactly one point in every stratum of every dimension",
          "[sweep]") {
    const int n = 17;
    const std::vector<LhsRange> ranges = {{0, 1, false}, {100, 300, false}, {-5, 5, false}};
    const auto pts = latin_hypercube(n, ranges, 42);
    REQUIRE(pts.size() == static_cast<std::size_t>(n));
    for (std::size_t d = 0; d < ranges.size(); ++d) {
        std::set<int> strata;
        for (const auto& p : pts) {
            const double x = (p[d] - ranges[d].min) / (ranges[d].max - ranges[d].min);
            REQUIRE(x >= 0);
            REQUIRE(x < 1);
            strata.insert(static_cast<int>(std::floor(x * n)));
        }
        CHECK(strata.size() == static_cast<std::size_t>(n));  // n distinct strata of n
    }
    // Deterministic for a seed, different for another.
    CHECK(latin_hypercube(n, ranges, 42) == pts);
    CHECK(latin_hypercube(n, ranges, 43) != pts);
    // Integer dimensions: as many points as integers gives each integer exactly once.
    const auto ints = latin_hypercube(5, {{2, 6, true}}, 7);
    std::multiset<double> seen;
    for (const auto& p : ints)
        seen.insert(p[0]);
    CHECK(seen == std::multiset<double>{2, 3, 4, 5, 6});
}

TEST_CASE("a design file's [lhs] gives N points over its ranges", "[sweep]") {
    const Design d = load_design_text(R"(
[lhs]
points = 8
seed = 3
[[lhs.axis]]
path = "a.b.c"
min = 10
max = 50
[[lhs.axis]]
path = "a.b.d"
min = 1
max = 8
integer = true
)",
                                      "d.toml");
    REQUIRE(d.point_count() == 8);
    std::set<std::string> ints;
    std::set<int> strata;
    for (std::uint64_t i = 0; i < 8; ++i) {
        const auto p = d.point(i);
        const double c = std::stod(p[0].text);
        strata.insert(static_cast<int>((c - 10) / 40 * 8));
        ints.insert(p[1].text);
    }
    CHECK(strata.size() == 8);
    CHECK(ints == std::set<std::string>{"1", "2", "3", "4", "5", "6", "7", "8"});
}

TEST_CASE("CSV fields are quoted when they must be, and read back", "[sweep]") {
    CHECK(csv_field("plain") == "plain");
    CHECK(csv_field("a,b") == "\"a,b\"");
    CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_field("two\nlines") == "\"two\nlines\"");
    CHECK(csv_field(" padded") == "\" padded\"");
    const std::vector<std::string> fields = {"1", "a,b", "say \"hi\"", "two\nlines", ""};
    const std::string text = csv_line({"h1", "h2", "h3", "h4", "h5"}) + csv_line(fields) + "3,x,";
    int incomplete = -1;
    const auto recs = parse_csv(text, &incomplete);
    REQUIRE(recs.size() == 2);
    CHECK(recs[1].fields == fields);
    CHECK(recs[1].text == csv_line(fields));
    CHECK(incomplete == 4);  // the cut-short line starts on line 4 (a field spans two lines)
}

TEST_CASE("results files: rows keyed by point and replication, duplicates refused", "[sweep]") {
    const auto r = parse_results("point,replication,x,seed,f\n1,0,a,5,2.5\n0,1,b,6,3\n", "r.csv");
    REQUIRE(r.rows.size() == 2);
    CHECK(results_text(r) == "point,replication,x,seed,f\n0,1,b,6,3\n1,0,a,5,2.5\n");
    CHECK_THROWS_WITH(parse_results("point,replication,seed\n0,0,1\n0,0,1\n", "r.csv"),
                      Catch::Contains("r.csv:3") && Catch::Contains("again"));
    CHECK_THROWS_WITH(parse_results("point,replication,seed\n0,0\n", "r.csv"),
                      Catch::Contains("r.csv:2") && Catch::Contains("2 fields"));
    CHECK_THROWS_AS(parse_results("a,b,c\n", "r.csv"), UsageError);
}

TEST_CASE("mean and 95 % confidence interval match the hand calculation", "[sweep]") {
    // Student t quantiles from the tables: t(0.975; 1) = 12.7062, t(0.975; 4) = 2.7764,
    // t(0.975; 29) = 2.0452.
    CHECK(student_t_975(1) == Approx(12.7062).epsilon(1e-5));
    CHECK(student_t_975(4) == Approx(2.7764).epsilon(1e-4));
    CHECK(student_t_975(29) == Approx(2.0452).epsilon(1e-4));
    // 1..5: mean 3, s^2 = 10/4 = 2.5, half-width = 2.7764 * sqrt(2.5) / sqrt(5) = 1.9632.
    const auto m = mean_ci95({1, 2, 3, 4, 5});
    CHECK(m.n == 5);
    CHECK(m.mean == Approx(3));
    CHECK(m.sd == Approx(std::sqrt(2.5)));
    CHECK(m.half_width == Approx(1.9632).epsilon(1e-4));
    // Two values 10 and 12: s = sqrt(2), half-width = 12.7062 * sqrt(2) / sqrt(2).
    CHECK(mean_ci95({10, 12}).half_width == Approx(12.7062).epsilon(1e-5));
    // One value: a mean, no interval.
    CHECK(std::isnan(mean_ci95({7}).half_width));
    CHECK(mean_ci95({7}).mean == 7);
}

TEST_CASE("the Pareto front of a hand-made set", "[sweep]") {
    // (cost, p99): B, C and E trade cost for latency; A is dominated by B, D by C, F ties E.
    const std::vector<std::pair<double, double>> pts = {
        {10, 300},  // A: dominated by B (cheaper and faster)
        {8, 250},   // B
        {12, 120},  // C
        {13, 130},  // D: dominated by C
        {20, 80},   // E
        {20, 80},   // F: equal to E, kept with it
        {30, 80},   // G: dominated by E (same latency, dearer)
    };
    CHECK(pareto_front(pts) == std::vector<std::size_t>{1, 2, 4, 5});
    // Maximising the second figure (availability, say) turns it around.
    const std::vector<std::pair<double, double>> avail = {{10, 99.0}, {12, 99.9}, {11, 98.0}};
    CHECK(pareto_front(avail, false, true) == std::vector<std::size_t>{0, 1});
}

TEST_CASE("the report: means and CIs per point, the SLO filter, the Pareto front", "[sweep]") {
    // Point 0 is cheapest but misses the SLO once: it is left off the front.
    const std::string text =
        "point,replication,x,seed,cost_usd.total,latency_ms.p99,slo.latency_p99_met\n"
        "0,0,a,1,5,400,false\n0,1,a,2,6,200,true\n"
        "1,0,b,1,9,100,true\n1,1,b,2,11,120,true\n"
        "2,0,c,1,12,150,true\n2,1,c,2,14,170,true\n"
        "3,0,d,1,20,50,true\n3,1,d,2,20,70,true\n";
    const auto results = parse_results(text, "r.csv");
    const auto axes = parse_pareto("cost_usd.total,latency_ms.p99", results.header);
    const auto rep = make_report(results, default_figures(results.header), axes);
    REQUIRE(rep.points.size() == 4);
    CHECK(rep.figures == std::vector<std::string>{"cost_usd.total", "latency_ms.p99"});
    CHECK(rep.points[1].figures[0].mean == Approx(10));
    // s = sqrt(2), n = 2: half-width = 12.7062 * sqrt(2) / sqrt(2).
    CHECK(rep.points[1].figures[0].half_width == Approx(12.7062).epsilon(1e-5));
    CHECK(rep.points[0].slo_met == false);
    CHECK(rep.points[1].slo_met == true);
    // Paired by replication, point 3 is 10 ± 12.7 dearer than point 1 (two replications:
    // within the noise) and 50 ± 0 ms faster: as cheap within the interval and faster, it
    // replaces point 1 on the front; point 2 is dearer than 1 and faster by 50 ± 0 ms, but not
    // than 3. Point 0 missed the SLO once: not a candidate.
    CHECK_FALSE(rep.points[0].pareto);
    CHECK_FALSE(rep.points[1].pareto);
    CHECK_FALSE(rep.points[2].pareto);
    CHECK(rep.points[3].pareto);
    CHECK_THAT(report_table(rep), Catch::Contains("10 ± 12.7"));
    CHECK_THAT(report_csv(rep),
               Catch::Contains("1,b,2,10,12.7062,-2.7062,22.7062,110,127.062,-17.062,237.062,"
                               "true,2,false,0,0,0,0,0,0\n"));
    // The cheapest point that met the SLO in both replications is point 1; point 2 is next.
    REQUIRE(rep.chosen);
    CHECK(rep.points[*rep.chosen].point == 1);
    CHECK(rep.points[*rep.runner_up].point == 2);
    CHECK_THAT(rep.answer, Catch::StartsWith("Answer: the cheapest point that met the SLO in "
                                             "every replication is point 1 (x=b): $10.0000"));
    CHECK_THROWS_WITH(parse_pareto("cost_usd.total,latency_ms.p95", results.header),
                      Catch::Contains("no figure `latency_ms.p95`"));
    CHECK_THROWS_WITH(parse_pareto("cost_usd.total", results.header),
                      Catch::Contains("two figures"));
}

TEST_CASE("summaries flatten to dotted columns without the wall clock or the seed", "[sweep]") {
    nlohmann::ordered_json s = {{"scenario", "x"},
                                {"seed", 3},
                                {"requests", {{"total", 10}, {"errors", {{"http_503", 2}}}}},
                                {"availability_percent", 99.5},
                                {"latency_ms", {{"p99", nullptr}}},
                                {"slo", {{"latency_p99_met", true}}},
                                {"cost_usd", {{"total", 0.1}, {"by_tag", {{"Team=a", 1}}}}},
                                {"kernel", {{"events", 7}, {"wall_s", 0.5}}}};
    const auto flat = flatten_summary(s);
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"requests.total", "10"},
        {"requests.errors.http_503", "2"},
        {"availability_percent", "99.5"},
        {"latency_ms.p99", ""},
        {"slo.latency_p99_met", "true"},
        {"cost_usd.total", "0.1"},
        {"kernel.events", "7"}};
    CHECK(flat == expected);
}

TEST_CASE("common random numbers: replication r has the same seed and arrivals at every point",
          "[sweep]") {
    PlanInput in;
    in.scenario_file = kLab;
    in.sets = {"simulation.duration=4m", "simulation.seed=40"};
    // Two policies that do not touch the traffic.
    in.grids = {
        "target_group.web-tg.load_balancing_algorithm_type=round_robin,"
        "least_outstanding_requests"};
    in.replications = 3;
    const Plan plan = Plan::make(in);
    REQUIRE(plan.point_count() == 2);
    REQUIRE(plan.run_count() == 6);
    const auto seed_col =
        std::find(plan.header().begin(), plan.header().end(), "seed") - plan.header().begin();
    const auto total_col = std::find(plan.header().begin(), plan.header().end(), "requests.total") -
                           plan.header().begin();
    std::vector<std::vector<std::string>> rows;
    for (std::uint64_t run = 0; run < plan.run_count(); ++run) {
        int incomplete = 0;
        rows.push_back(parse_csv(plan.run_row(run), &incomplete).at(0).fields);
    }
    for (int r = 0; r < 3; ++r) {
        // Run index = point * 3 + r.
        CHECK(rows[r][seed_col] == std::to_string(40 + r));
        CHECK(rows[3 + r][seed_col] == std::to_string(40 + r));
        CHECK(rows[r][total_col] == rows[3 + r][total_col]);  // same arrivals at both points
    }
    CHECK(rows[0][total_col] != rows[1][total_col]);  // replications differ
}

TEST_CASE("a plan refuses bad grid paths and values up front, naming them", "[sweep]") {
    PlanInput in;
    in.scenario_file = kLab;
    in.grids = {"autoscaling_group.web.min_sise=1,2"};
    CHECK_THAT(error_of([&] { Plan::make(in); }),
               Catch::Contains("min_sise") && Catch::Contains("--grid"));
    in.grids = {"autoscaling_group.web.max_size=4,-3"};
    const std::string e = error_of([&] { Plan::make(in); });
    CHECK_THAT(e, Catch::Contains("--grid autoscaling_group.web.max_size=4,-3") &&
                      Catch::Contains("sweep point 1"));
    in.grids = {"autoscaling_group.nope.max_size=4"};
    CHECK_THAT(error_of([&] { Plan::make(in); }), Catch::Contains("no autoscaling_group named"));
}

TEST_CASE("intervals of bounded figures stay in their bounds, Wilson, paired differences",
          "[sweep]") {
    // Availability of three replications: a t interval would pass 100 %.
    const std::vector<double> avail = {99.2, 100, 100};
    CHECK(mean_ci95(avail).high > 100);
    const auto b = mean_bootstrap95(avail);
    CHECK(b.mean == Approx(99.7333).epsilon(1e-4));
    CHECK(b.low >= 99.2);
    CHECK(b.high <= 100);
    CHECK(b.low < b.mean);
    CHECK(std::isnan(b.half_width));
    CHECK(mean_bootstrap95(avail).low == b.low);  // fixed seed: the same interval
    CHECK(bounded_percent("availability_percent"));
    CHECK(bounded_percent("slo.availability.worst_percent"));
    CHECK_FALSE(bounded_percent("cost_usd.total"));
    // Wilson score interval, 95 %: 3 of 3 is [0.4385, 1]; 0 of 10 is [0, 0.2775].
    auto w = wilson_ci95(3, 3);
    CHECK(w.first == Approx(0.4385).epsilon(1e-3));
    CHECK(w.second == 1.0);
    w = wilson_ci95(0, 10);
    CHECK(w.first == 0.0);
    CHECK(w.second == Approx(0.2775).epsilon(1e-3));
    // Common random numbers: each replication's difference is -1 exactly, so the paired
    // interval is a point, while each point's own interval is wide.
    const std::vector<double> a = {10, 14, 30}, c = {11, 15, 31};
    const auto d = paired_difference(a, c);
    CHECK(d.mean == Approx(-1));
    CHECK(d.half_width == Approx(0).margin(1e-12));
    CHECK(mean_ci95(a).half_width > 20);
}

TEST_CASE("the Pareto front drops points that differ by less than the interval", "[sweep]") {
    // (cost, p99): B is within 5 of A in both figures (a tie), C is much faster, D is within
    // the noise of C in cost and faster beyond it, so D replaces C.
    const std::vector<std::pair<double, double>> pts = {
        {100, 200},  // A
        {101, 199},  // B: a tie with A
        {150, 100},  // C
        {152, 60},   // D
    };
    auto five = [](std::size_t, std::size_t, int) { return 5.0; };
    CHECK(pareto_front(pts) == std::vector<std::size_t>{0, 1, 2, 3});  // exact: every point
    CHECK(pareto_front_beyond_noise(pts, false, false, five) == std::vector<std::size_t>{0, 3});
    // Without noise it is the exact front.
    CHECK(pareto_front_beyond_noise(pts, false, false, {}) == std::vector<std::size_t>{0, 1, 2, 3});
}

TEST_CASE("the answer agrees with a brute-force reading of the results", "[sweep]") {
    // Three points, three replications; slo.met is the windowed verdict.
    const std::string text =
        "point,replication,n,seed,cost_usd.total,slo.met,slo.windows,slo.windows_missed,"
        "slo.budget,slo.latency_p99.met,slo.latency_p99.target_ms,slo.latency_p99.worst_ms,"
        "slo.latency_p99.windows_missed\n"
        "0,0,2,1,10,true,100,0,0,true,300,250,0\n"
        "0,1,2,2,11,false,100,2,0,false,300,450,2\n"
        "0,2,2,3,10,true,100,0,0,true,300,280,0\n"
        "1,0,4,1,20,true,100,0,0,true,300,120,0\n"
        "1,1,4,2,21,true,100,0,0,true,300,130,0\n"
        "1,2,4,3,22,true,100,0,0,true,300,110,0\n"
        "2,0,6,1,30,true,100,0,0,true,300,90,0\n"
        "2,1,6,2,31,true,100,0,0,true,300,95,0\n"
        "2,2,6,3,32,true,100,0,0,true,300,85,0\n";
    const auto results = parse_results(text, "r.csv");
    // Brute force: per point, every replication met? the mean cost.
    std::map<std::string, std::pair<bool, double>> by_point;
    for (const auto& [key, row] : results.rows) {
        auto& p = by_point[row.fields[0]];
        if (key.second == 0) p.first = true;
        p.first = p.first && row.fields[5] == "true";
        p.second += std::stod(row.fields[4]) / 3;
    }
    std::string cheapest;
    for (const auto& [point, p] : by_point)
        if (p.first && (cheapest.empty() || p.second < by_point[cheapest].second)) cheapest = point;
    REQUIRE(cheapest == "1");
    auto rep = make_report(results, default_figures(results.header), {});
    REQUIRE(rep.chosen);
    CHECK(std::to_string(rep.points[*rep.chosen].point) == cheapest);
    CHECK(rep.points[*rep.runner_up].point == 2);
    CHECK_THAT(rep.answer,
               Catch::Contains("is point 1 (n=4): $21.0000 (95 % CI 18.5159 to 23.4841) "
                               "per run, the SLO met in 3 of 3 replications"));
    // The runner-up's paired difference: 10 in each replication, so exactly $10.00.
    CHECK_THAT(rep.answer, Catch::Contains("Runner-up: point 2 (n=6), $31.0000"));
    CHECK_THAT(rep.answer, Catch::Contains("$10.0000 more (paired difference, 95 % CI 10.0000 "
                                           "to 10.0000)"));
    // The differences are against the chosen point unless --baseline says otherwise.
    CHECK(rep.points[*rep.baseline].point == 1);
    rep = make_report(results, default_figures(results.header), {}, {1.0, "n=6"});
    CHECK(rep.points[*rep.baseline].point == 2);
    CHECK(rep.points[0].differences[0].mean == Approx(10.333 - 31).epsilon(1e-3));
    CHECK_THROWS_WITH(make_report(results, default_figures(results.header), {}, {1.0, "n=5"}),
                      Catch::Contains("no point of the sweep has these values"));
    CHECK_THROWS_WITH(make_report(results, default_figures(results.header), {}, {1.0, "m=4"}),
                      Catch::Contains("`m` is not varied"));
    // At a confidence of 2/3, point 0 (met in 2 of 3) qualifies and is cheapest.
    rep = make_report(results, default_figures(results.header), {}, {0.6, ""});
    CHECK(rep.points[*rep.chosen].point == 0);
    CHECK_THAT(rep.answer, Catch::Contains("in at least 60 % of its replications is point 0"));
}

TEST_CASE("when no point met the SLO the answer names the closest and by how much", "[sweep]") {
    const std::string text =
        "point,replication,n,seed,cost_usd.total,slo.met,slo.windows,slo.windows_missed,"
        "slo.budget,slo.latency_p99.met,slo.latency_p99.target_ms,slo.latency_p99.worst_ms,"
        "slo.latency_p99.windows_missed\n"
        "0,0,2,1,10,false,100,9,0,false,300,900,9\n"
        "0,1,2,2,10,false,100,7,0,false,300,700,7\n"
        "1,0,4,1,20,false,100,1,0,false,300,390,1\n"
        "1,1,4,2,20,true,100,0,0,true,300,290,0\n";
    const auto rep = make_report(parse_results(text, "r.csv"), {"cost_usd.total"}, {});
    CHECK_FALSE(rep.chosen);
    REQUIRE(rep.closest);
    CHECK(rep.points[*rep.closest].point == 1);
    CHECK_THAT(rep.answer, Catch::StartsWith("Answer: no point met the SLO in every replication. "
                                             "Closest: point 1 (n=4), met in 1 of 2 replications; "
                                             "0.5 of 100 windows missed per run on average (the "
                                             "budget allows 0.0); worst-window latency_p99 340.0 "
                                             "ms against 300.0 ms (over by 40.0 ms)"));
}

}  // namespace test_sweep
