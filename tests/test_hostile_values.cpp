// Hostile values within a well-formed file (issue 21, docs/hardening.md): every number the
// model multiplies has an upper bound in the grammar (sim/scenario/settings.cpp, the figures in
// sim/scenario/limits.hpp), data files are held to the same, an instance's workers fit the
// model, the fleet over time is bounded, and messages stay short and complete. Each case ends
// with exit 2 and an error at file:line:col naming the key, or with a correct result.
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>
#include <string>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"

namespace test_hostile_values {

namespace fs = std::filesystem;
using stratus::testing::CliResult;
using stratus::testing::make_temp_dir;
using stratus::testing::read_file;
using stratus::testing::run_stratus_limited;
using stratus::testing::with;
using stratus::testing::write_file;

namespace {

std::string fleet(const std::string& extra = "") {
    return stratus::testing::small_fixed_fleet("values", extra);
}

// `stratus validate` (or `run` with args) on `text` written as s.toml in a fresh folder.
CliResult stratus_on(const std::string& text, const std::string& command = "validate s.toml",
                     const std::string& data_name = "", const std::string& data = "") {
    const fs::path dir = make_temp_dir("stratus-values");
    write_file((dir / "s.toml").string(), text);
    if (!data_name.empty()) write_file((dir / data_name).string(), data);
    CliResult r = run_stratus_limited(command, dir);
    fs::remove_all(dir);
    return r;
}

// Exit 2, an error at s.toml:LINE:COL (or at `file`) naming `key`, saying `says`, no crash.
void expect_refused_at(const CliResult& r, const std::string& key, const std::string& says,
                       const std::string& file = "s\\.toml") {
    INFO("stderr: " << r.err.substr(0, 3000));
    CHECK(r.status == 2);
    CHECK(std::regex_search(r.err, std::regex(file + ":[0-9]+:[0-9]+: error: ")));
    CHECK(r.err.find(key + ": ") != std::string::npos);
    CHECK(r.err.find(says) != std::string::npos);
    for (const char* crash : {"terminate called", "runtime error:", "Sanitizer", "bad_alloc"})
        CHECK(r.err.find(crash) == std::string::npos);
}

void expect_valid(const CliResult& r) {
    INFO("stderr: " << r.err.substr(0, 3000));
    CHECK(r.status == 0);
}

}  // namespace

TEST_CASE("a type's speed is bounded: 1e-20 and 1e300 no longer give 0 ms latency",
          "[hostile][values][cli]") {
    for (const char* speed : {"1e-20", "1e300", "0.001", "1000", "0"}) {
        INFO("speed = " << speed);
        expect_refused_at(stratus_on(fleet(std::string("[[instance_type]]\nname = \"c5.large\"\n"
                                                       "speed = ") +
                                           speed + "\n")),
                          "instance_type[c5.large].speed", "between 0.01 and 100");
    }
    // The bounds themselves are accepted, and a speed divides the service time: at 0.5 a 20 ms
    // request takes 40 ms, at 2 it takes 10 ms (light traffic: no queueing).
    for (const auto& [speed, ms] : {std::pair<const char*, double>{"0.5", 40.0}, {"2", 10.0}}) {
        const fs::path dir = make_temp_dir("stratus-values");
        write_file(
            (dir / "s.toml").string(),
            fleet(std::string("[[instance_type]]\nname = \"c5.large\"\nspeed = ") + speed + "\n"));
        const CliResult r = run_stratus_limited("run s.toml --quiet --out out", dir);
        INFO("stderr: " << r.err);
        REQUIRE(r.status == 0);
        const auto summary = nlohmann::json::parse(read_file((dir / "out/summary.json").string()));
        REQUIRE(summary["requests"]["ok"].get<double>() > 100);
        CHECK(summary["latency_ms"]["p50"].get<double>() == Approx(ms).epsilon(0.01));
        fs::remove_all(dir);
    }
    expect_valid(stratus_on(fleet("[[instance_type]]\nname = \"c5.large\"\nspeed = 0.01\n")));
    expect_valid(stratus_on(fleet("[[instance_type]]\nname = \"c5.large\"\nspeed = 100\n")));
}

TEST_CASE("prices and sizes have upper bounds: no inf in a bill", "[hostile][values][cli]") {
    struct Case {
        std::string extra, key, says;
    };
    const Case cases[] = {
        {"[[instance_type]]\nname = \"c5.large\"\non_demand_hourly = 1e308\n",
         "instance_type[c5.large].on_demand_hourly", "between 0 and 1000000"},
        {"[pricing]\nalb_hour = 1e308\n", "pricing.alb_hour", "between 0 and 1000000"},
        {"[pricing]\nnat_gateway_gb = 2e6\n", "pricing.nat_gateway_gb", "between 0 and 1000000"},
        {"[pricing]\non_demand = { \"c5.large\" = 1e308 }\n", "pricing.on_demand.c5.large",
         "between 0 and 1000000"},
        {"[[spot.pool]]\ninstance_type = \"c5.large\"\navailability_zone = \"us-east-1a\"\n"
         "price = { model = \"mean_reverting\", mean = 1e308 }\n",
         "spot.pool[0].price.mean", "between 0 and 1000000"},
        {"[[s3_bucket]]\nname = \"b\"\nstorage_gb = 1e300\n", "s3_bucket[b].storage_gb",
         "between 0 and 1000000000"},
        {"[[s3_bucket]]\nname = \"b\"\ngrowth_gb_per_day = -1e300\n",
         "s3_bucket[b].growth_gb_per_day", "between -1000000000 and 1000000000"},
        {"[[ebs_volume]]\nname = \"v\"\nsize_gb = 1e300\n", "ebs_volume[v].size_gb",
         "> 0 and <= 65536"},
        {"[[ebs_snapshot]]\nname = \"s\"\nsize_gb = 70000\n", "ebs_snapshot[s].size_gb",
         "> 0 and <= 65536"},
    };
    for (const auto& c : cases) {
        INFO(c.extra);
        expect_refused_at(stratus_on(fleet(c.extra)), c.key, c.says);
    }
    expect_refused_at(stratus_on(with(fleet(), "app_start_time = \"5s\"",
                                      "app_start_time = \"5s\"\nebs_gb = 1e300")),
                      "launch_template[app].ebs_gb", "between 0 and 65536");

    // At the bounds the bill is large and finite: 2 instances x 3 minutes at 1e6 USD/h.
    const fs::path dir = make_temp_dir("stratus-values");
    write_file((dir / "s.toml").string(),
               fleet("[[instance_type]]\nname = \"c5.large\"\non_demand_hourly = 1e6\n"));
    const CliResult r = run_stratus_limited("run s.toml --quiet --out out", dir);
    INFO("stderr: " << r.err);
    REQUIRE(r.status == 0);
    const auto summary = nlohmann::json::parse(read_file((dir / "out/summary.json").string()));
    REQUIRE(summary["cost_usd"]["by_line_item"]["ec2_on_demand"].is_number());
    // Both instances exist from the start (min 2), billed per second: 2 x 180 s x 1e6 / 3600.
    CHECK(summary["cost_usd"]["by_line_item"]["ec2_on_demand"].get<double>() ==
          Approx(2 * 180 * 1e6 / 3600).epsilon(0.001));
    fs::remove_all(dir);
}

TEST_CASE("data files are held to the same bounds at read, at their row",
          "[hostile][values][cli]") {
    const std::string cw_rate =
        "rate = { shape = \"trace\", file = \"cw.json\", format = \"cloudwatch\" }";
    for (const char* sum : {"1e308", "1e16"}) {
        INFO("Sum = " << sum);
        const std::string cw = std::string(R"({"Label":"RequestCount","Datapoints":[)") +
                               R"({"Timestamp":"2026-01-05T00:00:00Z","Sum":10},)" +
                               R"({"Timestamp":"2026-01-05T00:05:00Z","Sum":)" + sum + "}]}";
        expect_refused_at(
            stratus_on(with(fleet(), "rate = 5", cw_rate), "validate s.toml", "cw.json", cw),
            "workload[api].rate.file", "2^53");
    }
    // A rate or a time too large for any run, in a CSV trace: refused at the file's row.
    const std::string csv_rate = "rate = { shape = \"trace\", file = \"rate.csv\" }";
    CliResult r = stratus_on(with(fleet(), "rate = 5", csv_rate), "validate s.toml", "rate.csv",
                             "time,rate\n0,5\n60,1e300\n");
    expect_refused_at(r, "workload[api].rate.file", "more than any run can simulate", "rate\\.csv");
    CHECK(r.err.find("rate.csv:3:1") != std::string::npos);
    r = stratus_on(with(fleet(), "rate = 5", csv_rate), "validate s.toml", "rate.csv",
                   "time,rate\n0,5\n1e300,6\n");
    expect_refused_at(r, "workload[api].rate.file", "expected rows of `time,rate`", "rate\\.csv");
    // A Spot price trace: a price beyond the grammar's bound.
    r = stratus_on(fleet("[[spot.pool]]\ninstance_type = \"c5.large\"\n"
                         "availability_zone = \"us-east-1a\"\n"
                         "price = { model = \"trace\", file = \"spot.csv\" }\n"),
                   "validate s.toml", "spot.csv", "time,price\n0,0.03\n3600,1e308\n");
    expect_refused_at(r, "spot.pool[0].price.file", "between 0 and 1000000");
}

TEST_CASE(
    "an instance's workers fit the model: vcpu and workers_per_vcpu are checked at "
    "validate time",
    "[hostile][values][cli]") {
    expect_refused_at(stratus_on(fleet("[[instance_type]]\nname = \"c5.large\"\nvcpu = 70000\n")),
                      "instance_type[c5.large].vcpu", "between 1 and 4096");
    expect_refused_at(stratus_on(with(fleet(), "app_start_time = \"5s\"",
                                      "app_start_time = \"5s\"\nworkers_per_vcpu = 2000000000")),
                      "launch_template[app].workers_per_vcpu", "between 1 and 65535");
    // Each within its own range, the product is not: 2 vCPUs x 40,000.
    const std::string many = with(fleet(), "app_start_time = \"5s\"",
                                  "app_start_time = \"5s\"\nworkers_per_vcpu = 40000");
    expect_refused_at(stratus_on(many), "launch_template[app].workers_per_vcpu",
                      "80000 workers, more than the 65535");
    expect_refused_at(stratus_on(many, "run s.toml --quiet --out out"),
                      "launch_template[app].workers_per_vcpu", "80000 workers");
    // A type of the group's mixed instances policy launches with the template's
    // workers_per_vcpu: 96 vCPUs x 1,000.
    const std::string mixed =
        with(with(fleet("[[instance_type]]\nname = \"x9.huge\"\nvcpu = 96\n"
                        "on_demand_hourly = 4\n"),
                  "app_start_time = \"5s\"", "app_start_time = \"5s\"\nworkers_per_vcpu = 1000"),
             "target_groups = [\"app-tg\"]",
             "target_groups = [\"app-tg\"]\nmixed_instances_policy = { instance_types = "
             "[\"c5.large\", \"x9.huge\"] }");
    expect_refused_at(stratus_on(mixed),
                      "autoscaling_group[app].mixed_instances_policy.instance_types",
                      "`x9.huge` has 96 vCPUs");
    // At the limit: 2 vCPUs x 32,767 = 65,534 workers.
    expect_valid(stratus_on(with(fleet(), "app_start_time = \"5s\"",
                                 "app_start_time = \"5s\"\nworkers_per_vcpu = 32767")));
}

TEST_CASE("the fleet over time is bounded: instance-hours by mode", "[hostile][values][cli]") {
    // 2,000 instances for 30 days: 1.44 million instance-hours, over request mode's 100,000.
    const std::string month = with(with(fleet(), "max_size = 2", "max_size = 2000"),
                                   "duration = \"3m\"", "duration = \"30d\"");
    expect_refused_at(stratus_on(month), "autoscaling_group[app].max_size",
                      "1.44e+06 instance-hours (the limit of request mode is 1e+05)");
    // At the limit (2,000 x 50 hours) it is valid; an hour more is not.
    expect_valid(stratus_on(with(month, "duration = \"30d\"", "duration = \"50h\"")));
    expect_refused_at(stratus_on(with(month, "duration = \"30d\"", "duration = \"51h\"")),
                      "autoscaling_group[app].max_size", "1.02e+05 instance-hours");
    expect_refused_at(stratus_on(month, "run s.toml --quiet --out out"),
                      "autoscaling_group[app].max_size", "instance-hours");
    // Fluid mode takes twenty times more (2,000 instances for a month), not for ten years.
    const std::string fluid_month =
        with(month, "duration = \"30d\"", "duration = \"30d\"\nfidelity = \"fluid\"");
    expect_valid(stratus_on(fluid_month));
    expect_refused_at(stratus_on(with(fluid_month, "duration = \"30d\"", "duration = \"3650d\"")),
                      "autoscaling_group[app].max_size", "the limit of fluid mode is 2e+06");
    // An action that raises the size is where the error is.
    const std::string action =
        with(fleet("[[action]]\nat = \"1h\"\nset = { \"autoscaling_group.app.max_size\" = 5000, "
                   "\"autoscaling_group.app.desired_capacity\" = 5000 }\n"),
             "duration = \"3m\"", "duration = \"10d\"");
    expect_refused_at(stratus_on(action), "action[0].set.autoscaling_group.app.max_size",
                      "with the sizes the actions set");
}

TEST_CASE("request mode's fleet is bounded: larger fleets are for fluid mode",
          "[hostile][values][cli]") {
    // 20,000 instances for 3 minutes is request mode's largest fleet; 20,001 is refused at the
    // group, and is valid in fluid mode (whose limit is 100,000).
    const std::string at_limit =
        with(with(fleet(), "max_size = 2", "max_size = 20000"), "min_size = 2", "min_size = 0");
    REQUIRE(at_limit.find("max_size = 20000") != std::string::npos);
    expect_valid(stratus_on(at_limit));
    const std::string over = with(at_limit, "max_size = 20000", "max_size = 20001");
    expect_refused_at(stratus_on(over), "autoscaling_group[app].max_size",
                      "up to 20001 instances (the limit of request mode is 20000");
    expect_valid(
        stratus_on(with(over, "duration = \"3m\"", "duration = \"3m\"\nfidelity = \"fluid\"")));
    // An action that takes the group over it is where the error is.
    const std::string action =
        fleet("[[action]]\nat = \"1m\"\nset = { \"autoscaling_group.app.max_size\" = 30000 }\n");
    expect_refused_at(stratus_on(action), "action[0].set.autoscaling_group.app.max_size",
                      "with the sizes the actions set");
}

TEST_CASE("errors of a file are reported together: a bad value hides no unknown reference",
          "[hostile][values][cli]") {
    const std::string text =
        with(with(fleet(), "rate = 5", "rate = \"x\""), "name = \"api\"\nload_balancer = \"front\"",
             "name = \"api\"\nload_balancer = \"nope\"");
    const CliResult r = stratus_on(text);
    expect_refused_at(r, "workload[api].rate", "expected a number");
    CHECK(r.err.find("workload[api].load_balancer: unknown load balancer `nope`") !=
          std::string::npos);
}

TEST_CASE("a TOML syntax error names the table and key being read", "[hostile][values][cli]") {
    expect_refused_at(stratus_on(with(fleet(), "duration = \"3m\"", "duration = \"3m")),
                      "simulation.duration", "TOML syntax error");
    expect_refused_at(stratus_on(with(fleet(), "rate = 5", "rate = 5 5")), "workload[0].rate",
                      "TOML syntax error");
    expect_refused_at(stratus_on(fleet("[[workload]]\nname = \"b\"\nload_balancer = \"front\"\n"
                                       "rate = { shape = \"ramp\", from = 1 to = 2 }\n")),
                      "workload[1].rate", "TOML syntax error");
    // A value spanning lines, whose lines start like a header: the key is still `rate`.
    expect_refused_at(
        stratus_on(with(fleet(), "rate = 5",
                        "rate = { shape = \"steps\", steps = [\n  [\"0s\", 5],\n  [\"1m\" 6]] }")),
        "workload[0].rate", "TOML syntax error");
}

TEST_CASE("a duplicate quoted key is refused at its position, named as written",
          "[hostile][values][cli]") {
    const CliResult r =
        stratus_on(with(fleet(), "duration = \"3m\"", "duration = \"3m\"\n\"duration\" = \"4m\""));
    expect_refused_at(r, "simulation.\"duration\"", "duplicate key `\"duration\"`");
    CHECK(r.out.empty());  // nothing written before the error
}

TEST_CASE("a name of 100 KB makes a message of a line, not of 100 KB", "[hostile][values][cli]") {
    const std::string huge(100000, 'z');
    auto short_and_named = [](const CliResult& r, const std::string& names) {
        INFO("stderr (first 600 bytes): " << r.err.substr(0, 600));
        CHECK(r.status == 2);
        CHECK(r.err.size() < 2000);
        CHECK(r.err.find("(100000 bytes)") != std::string::npos);
        CHECK(r.err.find(names) != std::string::npos);
    };
    short_and_named(stratus_on(with(fleet(), "name = \"api\"\nload_balancer = \"front\"",
                                    "name = \"api\"\nload_balancer = \"" + huge + "\"")),
                    "workload[api].load_balancer: unknown load balancer");
    short_and_named(stratus_on(fleet("[[action]]\nat = \"1m\"\nset = { \"autoscaling_group." +
                                     huge + ".min_size\" = 1 }\n")),
                    "unknown autoscaling_group");
    short_and_named(stratus_on(fleet("[[action]]\nat = \"1m\"\nset = { "
                                     "\"autoscaling_group.app.launch_template\" = \"" +
                                     huge + "\" }\n")),
                    "unknown launch template");
    short_and_named(
        stratus_on(fleet(), "validate s.toml --set 'autoscaling_group." + huge + ".min_size=1'"),
        "no autoscaling_group named");
    short_and_named(stratus_on(fleet(), "validate s.toml --set 'simulation." + huge + "=1'"),
                    "unknown key");
    short_and_named(
        stratus_on(fleet(), "validate s.toml --set 'workload.api.load_balancer=\"" + huge + "\"'"),
        "unknown load balancer");
}

TEST_CASE("with no request finished, latency is null, never 0", "[hostile][values][cli]") {
    // No traffic at all, and traffic whose every request times out.
    for (const auto& [what, from, to] :
         {std::tuple<const char*, const char*, const char*>{"no traffic", "rate = 5", "rate = 0"},
          {"all time out", "service_time = \"20ms\"", "service_time = \"1h\"\ntimeout = \"1s\""}}) {
        INFO(what);
        const fs::path dir = make_temp_dir("stratus-values");
        write_file((dir / "s.toml").string(),
                   with(fleet("[slo]\nlatency_p99 = \"1s\"\n"), from, to));
        const CliResult r = run_stratus_limited("run s.toml --out out", dir);
        INFO("stderr: " << r.err);
        REQUIRE(r.status == 0);
        const auto summary = nlohmann::json::parse(read_file((dir / "out/summary.json").string()));
        REQUIRE(summary["requests"]["ok"].get<double>() == 0);
        for (const char* k : {"mean", "p50", "p90", "p99", "max"})
            CHECK(summary["latency_ms"][k].is_null());
        // An SLO is met only by requests that met it: a window without a successful request
        // is a miss.
        CHECK(summary["slo"]["latency_p99"]["met"].get<bool>() == false);
        CHECK(summary["slo"]["met"].get<bool>() == false);
        CHECK(summary["slo"]["windows_without_success"].get<int>() > 0);
        // The time series leaves the cells empty: "0,2," is rps 0 then p50_ms empty.
        const std::string series = read_file((dir / "out/timeseries.csv").string());
        REQUIRE(series.find("\n0,") != std::string::npos);
        const std::string row = series.substr(series.find("\n0,") + 1);
        CHECK(std::regex_search(row, std::regex("^0,[0-9.]+,,,")));
        CHECK(r.out.find("p99 - ms") != std::string::npos);
        fs::remove_all(dir);
    }
}

}  // namespace test_hostile_values
