// The scenario loader: the grammar's defaults, one test per class of error (each asserting
// the file, line:column, key path and the key parts of the message), --set overrides,
// not-supported-yet features and the explain round trip.
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cli_support.hpp"
#include "sim/scenario/loader.hpp"

namespace test_loader {

using namespace stratus;
using namespace stratus::scenario;
namespace fs = std::filesystem;

namespace {

const std::string kMinimal = R"([simulation]
duration = "1h"
[[launch_template]]
name = "web"
instance_type = "m5.large"
[[target_group]]
name = "web-tg"
[[load_balancer]]
name = "web-alb"
[[lb_listener]]
load_balancer = "web-alb"
port = 80
target_group = "web-tg"
[[autoscaling_group]]
name = "web"
launch_template = "web"
min_size = 2
max_size = 4
target_groups = ["web-tg"]
[[workload]]
name = "shop"
load_balancer = "web-alb"
rate = 200
)";

// The errors of a scenario that must not load.
std::vector<Diagnostic> errors_of(const std::string& text,
                                  const std::vector<std::string>& overrides = {},
                                  const std::string& base_dir = ".") {
    try {
        load_text(text, "lab.toml", overrides, base_dir);
    } catch (const ScenarioError& e) {
        return e.diagnostics();
    }
    FAIL("the scenario loaded, but errors were expected");
    return {};
}

// The one diagnostic about `key_path`; fails the test if there is none.
Diagnostic about(const std::vector<Diagnostic>& ds, const std::string& key_path) {
    for (const auto& d : ds)
        if (d.key_path == key_path) return d;
    std::string all;
    for (const auto& d : ds)
        all += d.format() + "\n";
    INFO("diagnostics:\n" << all);
    FAIL("no diagnostic about " << key_path);
    return {};
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// A temporary directory removed at the end of the test.
struct TempDir {
    fs::path path;
    // mkdtemp: unique among parallel tests and other runs of the suite on the machine (an
    // address and an unseeded rand() are the same in two processes without ASLR).
    TempDir() : path(stratus::testing::make_temp_dir("stratus-loader")) {}
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name, std::ios::binary) << text;
        return (path / name).string();
    }
};

}  // namespace

TEST_CASE("a minimal scenario resolves to the documented defaults", "[loader]") {
    std::vector<Diagnostic> warnings;
    Spec s = load_text(kMinimal, "scenarios/lab.toml", {}, ".", &warnings);
    CHECK(warnings.empty());
    CHECK(s.simulation.name == "lab");
    CHECK(s.simulation.duration == kHour);
    CHECK(s.simulation.seed == 1);
    CHECK(s.simulation.start_epoch_s == 1767571200);
    CHECK(s.simulation.metrics_period == 60 * kSecond);
    CHECK(s.simulation.fidelity == Fidelity::Request);
    CHECK(s.simulation.warmup == 0);
    CHECK(s.region.name == "us-east-1");
    CHECK(s.region.availability_zones ==
          std::vector<std::string>{"us-east-1a", "us-east-1b", "us-east-1c"});

    const auto& lt = s.launch_template.at(0);
    CHECK(lt.boot_time.kind == DistKind::Normal);
    CHECK(lt.boot_time.mean == 45 * kSecond);
    CHECK(lt.boot_time.sd == 10 * kSecond);
    CHECK(lt.app_start_time.kind == DistKind::Constant);
    CHECK(lt.app_start_time.mean == 30 * kSecond);
    CHECK(lt.workers_per_vcpu == 1);
    CHECK(lt.max_queue == 1000);
    CHECK(lt.ebs_gb == 8);
    CHECK(lt.version == 1);

    const auto& lb = s.load_balancer.at(0);
    CHECK(lb.load_balancer_type == LoadBalancerType::Application);
    CHECK(lb.enable_cross_zone_load_balancing);
    CHECK(lb.idle_timeout == 60);
    CHECK(lb.availability_zones == s.region.availability_zones);

    const auto& tg = s.target_group.at(0);
    CHECK(tg.port == 80);
    CHECK(tg.deregistration_delay == 300);
    CHECK(tg.slow_start == 0);
    CHECK(tg.health_check.interval == 30);
    CHECK(tg.health_check.timeout == 5);
    CHECK(tg.health_check.healthy_threshold == 5);
    CHECK(tg.health_check.unhealthy_threshold == 2);

    const auto& g = s.autoscaling_group.at(0);
    CHECK(g.desired_capacity == 2);
    CHECK(g.availability_zones == s.region.availability_zones);
    CHECK(g.health_check_type == HealthCheckType::EC2);
    CHECK(g.health_check_grace_period == 300);
    CHECK(g.default_cooldown == 300);
    CHECK(g.termination_policies == std::vector<TerminationPolicy>{TerminationPolicy::Default});

    const auto& w = s.workload.at(0);
    CHECK(w.rate.shape == RateShape::Constant);
    CHECK(w.rate.value == 200);
    CHECK(w.service_time.mean == 50 * kMillisecond);
    CHECK(w.timeout == 30 * kSecond);
    CHECK(w.request_bytes == 1024);
    CHECK(w.response_bytes == 16384);

    // Positions: the table header and each key.
    CHECK(g.pos.at("").line == 14);
    CHECK(g.pos.at("min_size").line == 17);
    CHECK(g.pos.at("min_size").column == 12);
    CHECK(unsupported_features(s).empty());
}

TEST_CASE("a workload whose load balancer forwards to target groups nothing serves is warned of",
          "[loader]") {
    // The import's [[workload]] placeholder, or a hand-written one, may name a load balancer
    // whose target group no group or service registers targets in: every request is a 503.
    auto warnings_of = [](const std::string& text) {
        std::vector<Diagnostic> warnings;
        load_text(text, "lab.toml", {}, ".", &warnings);
        return warnings;
    };
    REQUIRE(warnings_of(kMinimal).empty());
    const std::vector<std::string> no_group = {"autoscaling_group.web.target_groups=[]"};
    std::vector<Diagnostic> warnings;
    load_text(kMinimal, "lab.toml", no_group, ".", &warnings);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].key_path == "workload[shop].load_balancer");
    CHECK_THAT(warnings[0].message,
               Catch::Contains("registers targets in the target group that load balancer "
                               "`web-alb` forwards to (`web-tg`): every request will get a 503"));
    CHECK(warnings[0].pos.line == 22);
    // A weighted forward with one of its two groups served: no warning.
    std::string two = kMinimal;
    const std::string plain = "target_group = \"web-tg\"\n[[autoscaling_group]]";
    REQUIRE(two.find(plain) != std::string::npos);
    two.replace(two.find(plain), plain.size() - 21,
                "default_action = [{ type = \"forward\", forward = { target_group = [{ arn = "
                "\"web-tg\" }, { arn = \"new-tg\" }] } }]\n");
    const std::string served = "target_groups = [\"web-tg\"]";
    two.replace(two.find(served), served.size(), "target_groups = [\"new-tg\"]");
    two += "[[target_group]]\nname = \"new-tg\"\n";
    REQUIRE(two.find("target_groups = [\"new-tg\"]") != std::string::npos);
    REQUIRE(two.find("arn = \"new-tg\"") != std::string::npos);
    CHECK(warnings_of(two).empty());
}

TEST_CASE("defaults that depend on the type or engine follow AWS", "[loader]") {
    Spec s = load_text(kMinimal + R"(
[[load_balancer]]
name = "nlb"
load_balancer_type = "network"
[[db_instance]]
identifier = "pg"
instance_class = "db.m5.large"
engine = "postgres"
[[db_instance]]
identifier = "my"
instance_class = "db.m5.large"
[[cloudwatch_metric_alarm]]
alarm_name = "high"
namespace = "AWS/EC2"
metric_name = "CPUUtilization"
comparison_operator = "GreaterThanThreshold"
threshold = 70
evaluation_periods = 3
extended_statistic = "p99.9"
)",
                       "lab.toml");
    CHECK_FALSE(s.load_balancer.at(1).enable_cross_zone_load_balancing);
    // Idle timeouts: 60 s for an ALB, 350 s for an NLB's TCP connections.
    CHECK(s.load_balancer.at(0).idle_timeout == 60);
    CHECK(s.load_balancer.at(1).idle_timeout == 350);
    CHECK(s.db_instance.at(0).port == 5432);
    CHECK(s.db_instance.at(1).port == 3306);
    CHECK(s.db_instance.at(1).availability_zone == "us-east-1a");
    CHECK(s.db_instance.at(1).failover_time.kind == DistKind::Uniform);
    CHECK(s.db_instance.at(1).failover_time.min == 60 * kSecond);
    CHECK(s.db_instance.at(1).failover_time.max == 120 * kSecond);
    CHECK(s.cloudwatch_metric_alarm.at(0).datapoints_to_alarm == 3);
    CHECK(s.cloudwatch_metric_alarm.at(0).extended_statistic == Approx(99.9));
}

TEST_CASE("values accept every documented form", "[loader]") {
    TempDir dir;
    dir.write("samples.csv", "service_time\n40ms\n0.06\n\"80ms\"\n");
    dir.write("trace.csv", "time,rate\n0,100\n1h,300\n7200,50\n");
    Spec s = load_text(R"([simulation]
duration = 5400
start_time = "2026-03-01T09:00:00+09:00"
metrics_period = "30s"
[[launch_template]]
name = "web"
instance_type = "m5.large"
boot_time = { dist = "uniform", min = "500us", max = "1.5s" }
app_start_time = { dist = "empirical", file = "samples.csv" }
[[target_group]]
name = "tg"
deregistration_delay = "30s"
health_check = { interval = 10, timeout = "5s" }
[[load_balancer]]
name = "alb"
[[lb_listener]]
load_balancer = "alb"
target_group = "tg"
[[autoscaling_group]]
name = "web"
launch_template = "web"
min_size = 1
max_size = 3
desired_capacity = 2
[[workload]]
name = "a"
load_balancer = "alb"
rate = { shape = "trace", file = "trace.csv", scale = 2.0 }
spike = [{ at = 2026-03-01T01:00:00Z, duration = "5m", multiplier = 3 }]
service_time = { dist = "lognormal", mean = "40ms", cv = 0.5 }
[[workload]]
name = "b"
load_balancer = "alb"
rate = { shape = "steps", steps = [["0h", 200], ["2h", 800.5]] }
[[workload]]
name = "c"
load_balancer = "alb"
rate = { shape = "diurnal", min = 10, max = 90, peak = "15:30" }
service_time = 0.25
)",
                       "lab.toml", {}, dir.path.string());
    // 2026-03-01T09:00:00+09:00 is 2026-03-01T00:00:00Z.
    CHECK(s.simulation.start_epoch_s == 1772323200);
    CHECK(s.simulation.duration == 90 * kMinute);
    CHECK(s.simulation.metrics_period == 30 * kSecond);
    const auto& lt = s.launch_template.at(0);
    CHECK(lt.boot_time.min == 500);
    CHECK(lt.boot_time.max == 1500 * kMillisecond);
    CHECK(lt.app_start_time.samples ==
          std::vector<SimTime>{40 * kMillisecond, 60 * kMillisecond, 80 * kMillisecond});
    CHECK(s.target_group.at(0).deregistration_delay == 30);
    CHECK(s.target_group.at(0).health_check.timeout == 5);
    const auto& a = s.workload.at(0);
    CHECK(a.rate.shape == RateShape::Trace);
    CHECK(a.rate.scale == 2.0);
    REQUIRE(a.rate.steps.size() == 3);
    CHECK(a.rate.steps[1] == std::make_pair(kHour, 300.0));
    CHECK(a.spike.at(0).at == kHour);
    CHECK(a.service_time.kind == DistKind::Lognormal);
    CHECK(a.service_time.cv == 0.5);
    CHECK(s.workload.at(1).rate.steps.at(1) == std::make_pair(2 * kHour, 800.5));
    CHECK(s.workload.at(2).rate.peak == 15 * kHour + 30 * kMinute);
    CHECK(s.workload.at(2).service_time.mean == 250 * kMillisecond);
}

TEST_CASE("a diagnostic formats as file:line:column: error: key: message", "[loader]") {
    Diagnostic d{Severity::Error, SourcePos{"lab.toml", 12, 3}, "autoscaling_group[web].min_size",
                 "expected an integer >= 0, found -1"};
    CHECK(d.format() ==
          "lab.toml:12:3: error: autoscaling_group[web].min_size: expected an integer >= 0, "
          "found -1");
    Diagnostic w{Severity::Warning, SourcePos{"lab.toml", 0, 0}, "", "something odd"};
    CHECK(w.format() == "lab.toml: warning: something odd");
}

TEST_CASE("a TOML syntax error gives the parser's message, line and column", "[loader]") {
    auto ds = errors_of("[simulation]\nduration = \"1h\"\nseed = = 3\n");
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].pos.file == "lab.toml");
    CHECK(ds[0].pos.line == 3);
    CHECK(ds[0].pos.column > 0);
    CHECK(contains(ds[0].message, "TOML syntax error"));
    CHECK(contains(ds[0].format(), "lab.toml:3:"));
}

// A duplicate key's error names the key as the file writes it (TOML++'s own words garbled a
// quoted one as '"seseed" '), at the line and column of the second definition.
Diagnostic duplicate_error(const std::string& text) {
    const auto ds = errors_of(text);
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].pos.file == "lab.toml");
    CHECK(contains(ds[0].message, "TOML syntax error: duplicate "));
    CHECK_FALSE(contains(ds[0].message, "cannot redefine"));
    return ds[0];
}

TEST_CASE("a duplicate key is named as written, with its line and column", "[loader]") {
    // A quoted key that repeats a bare one: the same key.
    auto d = duplicate_error("[simulation]\nseed = 1\n\t\"seed\"   =  2 # again\n");
    CHECK(d.pos.line == 3);
    CHECK(d.pos.column == 14);  // the second value, where the parser stops
    CHECK(d.key_path == "simulation.\"seed\"");
    CHECK(contains(d.message, "duplicate key `\"seed\"`"));
    CHECK_FALSE(contains(d.message, "seseed"));
    // A quoted key with a space, written twice.
    d = duplicate_error("[simulation]\n\"seed \" = 1\n\"seed \" = 2\n");
    CHECK(d.pos.line == 3);
    CHECK(d.key_path == "simulation.\"seed \"");
    CHECK(contains(d.message, "duplicate key `\"seed \"`"));
    // A dotted key written twice.
    d = duplicate_error("[simulation]\nsim.a = 1\nsim.a = 2\n");
    CHECK(d.pos.line == 3);
    CHECK(d.pos.column == 9);
    CHECK(contains(d.message, "duplicate key `sim.a`"));
    // A key repeated further down its table.
    d = duplicate_error("[simulation]\nseed = 1\nname = \"x\"\nseed = 2\n");
    CHECK(d.pos.line == 4);
    CHECK(d.key_path == "simulation.seed");
    CHECK(contains(d.message, "duplicate key `seed`"));
    // Within an inline table: the key inside it, not the table's.
    d = duplicate_error("[simulation]\nt = { a = 1, \"a\" = 2 }\n");
    CHECK(d.pos.line == 2);
    CHECK(d.key_path == "simulation.t.\"a\"");
    CHECK(contains(d.message, "duplicate key `\"a\"`"));
    // An `=` inside a quoted key does not cut it.
    d = duplicate_error("[simulation]\n\"a=b\" = 1\n\"a=b\" = 2\n");
    CHECK(contains(d.message, "duplicate key `\"a=b\"`"));
}

TEST_CASE("a table defined twice, by headers or by a header and dotted keys, is named",
          "[loader]") {
    auto d = duplicate_error("[simulation]\nseed = 1\n[simulation]\nname = \"x\"\n");
    CHECK(d.pos.line == 3);
    CHECK(d.pos.column == 1);
    CHECK(contains(d.message, "duplicate table [simulation]"));
    // Dotted keys at the top define [simulation]; a header after them redefines it.
    d = duplicate_error("simulation.seed = 1\n[simulation]\nname = \"x\"\n");
    CHECK(d.pos.line == 2);
    CHECK(contains(d.message, "duplicate table [simulation]"));
    // A header first, then dotted keys under the parent table.
    d = duplicate_error("[simulation]\nname = \"x\"\n[a.b]\nc = 1\n[a]\nb.c = 2\n");
    CHECK(d.pos.line == 6);
    CHECK(contains(d.message, "the dotted key `b.c` redefines a table"));
    // Dotted keys first, then a header for the table they made.
    d = duplicate_error("[simulation]\nname = \"x\"\n[a]\nb.c = 1\n[a.b]\nd = 2\n");
    CHECK(d.pos.line == 5);
    CHECK(contains(d.message, "duplicate table [a.b]"));
}

TEST_CASE("an empty file says the [simulation] section is missing", "[loader]") {
    auto ds = errors_of("");
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].pos.line == 1);
    CHECK(ds[0].pos.column == 1);
    CHECK(contains(ds[0].message, "required section [simulation] is missing"));
    CHECK(contains(ds[0].format(), "lab.toml:1:1: error:"));
}

TEST_CASE("binary data is reported as not a text TOML file at the first bad byte", "[loader]") {
    SECTION("a NUL byte") {
        auto ds = errors_of(std::string("[simulation]\nduration = \"1h\"\nab\0cd", 33));
        REQUIRE(ds.size() == 1);
        CHECK(contains(ds[0].message, "not a text TOML file"));
        CHECK(contains(ds[0].message, "NUL"));
        CHECK(ds[0].pos.line == 3);
        CHECK(ds[0].pos.column == 3);
    }
    SECTION("invalid UTF-8") {
        auto ds = errors_of("[simulation]\n# caf\xE9\nduration = \"1h\"\n");
        REQUIRE(ds.size() == 1);
        CHECK(contains(ds[0].message, "not a text TOML file"));
        CHECK(contains(ds[0].message, "0xE9"));
        CHECK(ds[0].pos.line == 2);
        CHECK(ds[0].pos.column == 6);
    }
    SECTION("random bytes") {
        std::string garbage;
        for (int i = 0; i < 256; ++i)
            garbage += static_cast<char>((i * 37 + 11) & 0xFF);
        auto ds = errors_of(garbage);
        REQUIRE(ds.size() == 1);
        CHECK(contains(ds[0].message, "not a text TOML file"));
    }
}

TEST_CASE("a missing or unreadable file is an error naming the file", "[loader]") {
    try {
        load_file("/nonexistent/dir/lab.toml");
        FAIL("expected an error");
    } catch (const ScenarioError& e) {
        REQUIRE(e.diagnostics().size() == 1);
        CHECK(e.diagnostics()[0].pos.file == "/nonexistent/dir/lab.toml");
        CHECK(contains(e.diagnostics()[0].message, "cannot read"));
        CHECK(contains(e.diagnostics()[0].message, "No such file"));
    }
    TempDir dir;
    CHECK_THROWS_AS(load_file(dir.path.string()), ScenarioError);
}

TEST_CASE("a file loads from disk with its stem as the name and its directory as base",
          "[loader]") {
    TempDir dir;
    dir.write("samples.csv", "10ms\n20ms\n");
    std::string file = dir.write("my-lab.toml", kMinimal + R"(
[[launch_template]]
name = "api"
instance_type = "c5.large"
boot_time = { dist = "empirical", file = "samples.csv" }
)");
    Spec s = load_file(file);
    CHECK(s.simulation.name == "my-lab");
    CHECK(s.launch_template.at(1).boot_time.samples.size() == 2);
}

TEST_CASE("an unknown key suggests the closest known key", "[loader]") {
    std::string text = kMinimal;
    text.replace(text.find("max_size = 4"), 12, "max_size = 4\nhealth_check_grace_perod = 60");
    auto ds = errors_of(text);
    auto d = about(ds, "autoscaling_group[web].health_check_grace_perod");
    CHECK(d.pos.file == "lab.toml");
    CHECK(d.pos.line == 19);
    CHECK(d.pos.column == 1);
    CHECK(contains(d.message, "unknown key `health_check_grace_perod`"));
    CHECK(contains(d.message, "did you mean `health_check_grace_period`?"));

    SECTION("case slips are caught") {
        auto ds2 = errors_of("[simulation]\nDuration = \"1h\"\n");
        CHECK(contains(about(ds2, "simulation.Duration").message, "did you mean `duration`?"));
    }
    SECTION("in nested tables too") {
        std::string t2 = kMinimal;
        t2.replace(t2.find("name = \"web-tg\""), 15,
                   "name = \"web-tg\"\nhealth_check = { intervall = 10 }");
        auto d2 = about(errors_of(t2), "target_group[web-tg].health_check.intervall");
        CHECK(d2.pos.line == 8);
        CHECK(contains(d2.message, "did you mean `interval`?"));
    }
    SECTION("a key of another section says where it belongs") {
        std::string t3 = kMinimal;
        t3.replace(t3.find("rate = 200"), 10, "rate = 200\nderegistration_delay = 10");
        auto d3 = about(errors_of(t3), "workload[shop].deregistration_delay");
        CHECK(contains(d3.message, "is a key of [[target_group]]"));
    }
}

TEST_CASE("an unknown section suggests the closest section", "[loader]") {
    auto ds = errors_of(kMinimal + "[[autoscaling_grup]]\nname = \"x\"\n");
    auto d = about(ds, "autoscaling_grup");
    CHECK(d.pos.line == 24);
    CHECK(contains(d.message, "unknown section [autoscaling_grup]"));
    CHECK(contains(d.message, "did you mean [autoscaling_group]?"));

    auto ds2 = errors_of("duration = \"1h\"\n[simulation]\nseed = 1\n");
    CHECK(contains(about(ds2, "duration").message, "is a key of [simulation]"));
    // The section written with the wrong brackets.
    auto ds3 = errors_of(kMinimal + "[spot]\n[[simulation]]\n");
    CHECK_FALSE(ds3.empty());
}

TEST_CASE("a value of the wrong type says what was expected and what was found", "[loader]") {
    auto ds = errors_of("[simulation]\nduration = true\nseed = \"seven\"\n");
    auto d = about(ds, "simulation.duration");
    CHECK(d.pos.line == 2);
    CHECK(d.pos.column == 12);
    CHECK(d.message ==
          "expected a duration such as \"90s\" or an integer number of seconds, found a boolean");
    CHECK(contains(about(ds, "simulation.seed").message,
                   "expected an integer >= 0, found \"seven\""));

    std::string text = kMinimal;
    text.replace(text.find("min_size = 2"), 12, "min_size = -1");
    auto d2 = about(errors_of(text), "autoscaling_group[web].min_size");
    CHECK(d2.format() ==
          "lab.toml:17:12: error: autoscaling_group[web].min_size: expected an integer between 0 "
          "and 100000, found -1");

    std::string t3 = kMinimal;
    t3.replace(t3.find("max_size = 4"), 12, "max_size = 4\nhealth_check_grace_period = 1.5");
    CHECK(contains(about(errors_of(t3), "autoscaling_group[web].health_check_grace_period").message,
                   "expected an integer number of seconds >= 0, found 1.5"));

    auto d4 = about(errors_of("[simulation]\nduration = \"90 parsecs\"\n"), "simulation.duration");
    CHECK(contains(d4.message, "found \"90 parsecs\""));
}

TEST_CASE("a bad enum value lists the allowed values", "[loader]") {
    std::string text = kMinimal;
    text.replace(text.find("name = \"web-tg\""), 15,
                 "name = \"web-tg\"\nload_balancing_algorithm_type = \"round-robin\"");
    text.replace(text.find("max_size = 4"), 12,
                 "max_size = 4\nhealth_check_type = \"ec2\"\ntermination_policies = "
                 "[\"OldestInstance\", \"Newest\"]");
    text += "[[fault]]\ntype = \"meteor\"\ntarget = \"us-east-1a\"\nat = \"1m\"\n";
    auto ds = errors_of(text);
    auto d = about(ds, "target_group[web-tg].load_balancing_algorithm_type");
    CHECK(d.pos.line == 8);
    CHECK(contains(d.message, "expected one of `round_robin`, `least_outstanding_requests`"));
    CHECK(contains(d.message, "found \"round-robin\""));
    CHECK(contains(d.message, "did you mean `round_robin`?"));
    CHECK(contains(about(ds, "autoscaling_group[web].health_check_type").message,
                   "expected one of `EC2`, `ELB`"));
    CHECK(contains(about(ds, "autoscaling_group[web].termination_policies[1]").message,
                   "`OldestLaunchTemplate`"));
    auto f = about(ds, "fault[0].type");
    CHECK(contains(f.message,
                   "`az_outage`, `instance_failure`, `spot_interruption`, "
                   "`db_failover`, `latency`"));

    auto ds2 = errors_of(
        "[simulation]\nduration = \"1h\"\nfidelity = \"exact\"\n[[launch_template]]\nname = "
        "\"x\"\ninstance_type = \"m5.large\"\nboot_time = { dist = \"gamma\", mean = \"1s\" }\n");
    CHECK(contains(about(ds2, "simulation.fidelity").message, "`request`, `fluid`"));
    CHECK(contains(about(ds2, "launch_template[x].boot_time.dist").message,
                   "`constant`, `exponential`, `normal`, `lognormal`, `uniform`, `empirical`"));
}

TEST_CASE("an unknown reference lists the known names", "[loader]") {
    std::string text = kMinimal;
    text.replace(text.find("instance_type = \"m5.large\""), 26, "instance_type = \"m5.lrage\"");
    text.replace(text.find("target_groups = [\"web-tg\"]"), 26, "target_groups = [\"web-gt\"]");
    text.replace(text.find("load_balancer = \"web-alb\"\nrate"), 25, "load_balancer = \"alb\"");
    text +=
        "[[fault]]\ntype = \"az_outage\"\ntarget = \"us-east-1z\"\nat = \"10m\"\n"
        "duration = \"5m\"\n";
    auto ds = errors_of(text);
    auto lt = about(ds, "launch_template[web].instance_type");
    CHECK(lt.pos.line == 5);
    CHECK(contains(lt.message, "unknown instance type `m5.lrage`"));
    CHECK(contains(lt.message, "close: `m5.large`"));  // the same family first
    CHECK(contains(lt.message, "[[instance_type]]"));  // and how to declare one
    auto g = about(ds, "autoscaling_group[web].target_groups");
    CHECK(contains(g.message, "unknown target group `web-gt`; known: `web-tg`"));
    auto w = about(ds, "workload[shop].load_balancer");
    CHECK(contains(w.message, "unknown load balancer `alb`; known: `web-alb`"));
    auto f = about(ds, "fault[0].target");
    CHECK(contains(f.message, "unknown availability zone `us-east-1z`"));
    CHECK(contains(f.message, "`us-east-1a`, `us-east-1b`, `us-east-1c`"));

    SECTION("[[instance_type]] adds to the catalog") {
        std::string t2 = kMinimal +
                         "[[instance_type]]\nname = \"x9.huge\"\nvcpu = 96\n"
                         "on_demand_hourly = 9.5\n";
        t2.replace(t2.find("instance_type = \"m5.large\""), 26, "instance_type = \"x9.huge\"");
        CHECK_NOTHROW(load_text(t2, "lab.toml"));
    }
    SECTION("region names and AZs") {
        // A mistyped code gets the close name; a well-formed code of a Region the catalog lacks
        // (sa-east-1) is another Region, not a typo: no "did you mean us-east-1".
        CHECK(contains(
            about(errors_of(kMinimal + "[region]\nname = \"us-east1\"\n"), "region.name").message,
            "did you mean `us-east-1`?"));
        auto d = about(errors_of(kMinimal + "[region]\nname = \"sa-east-1\"\n"), "region.name");
        CHECK(contains(d.message, "no built-in catalog for region `sa-east-1`; built in"));
        CHECK_FALSE(contains(d.message, "did you mean"));
        CHECK(contains(d.message, "built in: `us-east-1`, `us-east-2`, `us-west-2`"));
        CHECK(contains(d.message, "`ap-northeast-2`"));
        CHECK(contains(d.message, "data/catalog"));  // how to add one
        std::string t3 = kMinimal;
        t3.replace(t3.find("name = \"web-alb\""), 16,
                   "name = \"web-alb\"\navailability_zones = [\"us-east-1a\", \"eu-west-1a\"]");
        CHECK(contains(about(errors_of(t3), "load_balancer[web-alb].availability_zones").message,
                       "unknown availability zone `eu-west-1a`"));
    }
}

TEST_CASE("capacity limits say which bound is broken", "[loader]") {
    std::string text = kMinimal;
    text.replace(text.find("max_size = 4"), 12, "max_size = 4\ndesired_capacity = 5");
    auto d = about(errors_of(text), "autoscaling_group[web].desired_capacity");
    CHECK(d.pos.line == 19);
    CHECK(d.message == "expected desired_capacity <= max_size (4), found 5");

    std::string t2 = kMinimal;
    t2.replace(t2.find("min_size = 2"), 12, "min_size = 5");
    CHECK(about(errors_of(t2), "autoscaling_group[web].min_size").message ==
          "expected min_size <= max_size (4), found 5");

    std::string t3 = kMinimal;
    t3.replace(t3.find("max_size = 4"), 12, "max_size = 0");
    CHECK(contains(about(errors_of(t3), "autoscaling_group[web].max_size").message,
                   "expected an integer between 1 and 100000, found 0"));
}

TEST_CASE("ranges from the AWS reference are enforced", "[loader]") {
    std::string text = kMinimal;
    text.replace(text.find("name = \"web-tg\""), 15,
                 "name = \"web-tg\"\nhealth_check = { interval = 400, healthy_threshold = 11 }\n"
                 "deregistration_delay = 4000\nslow_start = 10");
    text.replace(text.find("name = \"web-alb\""), 16,
                 "name = \"web-alb\"\navailability_zones = [\"us-east-1a\"]\nidle_timeout = 0");
    text.replace(text.find("duration = \"1h\""), 15, "duration = \"1h\"\nmetrics_period = \"45s\"");
    auto ds = errors_of(text);
    CHECK(contains(about(ds, "target_group[web-tg].health_check.interval").message,
                   "between 5 and 300, found 400"));
    CHECK(contains(about(ds, "target_group[web-tg].health_check.healthy_threshold").message,
                   "between 2 and 10, found 11"));
    CHECK(contains(about(ds, "target_group[web-tg].deregistration_delay").message,
                   "between 0 and 3600"));
    CHECK(contains(about(ds, "target_group[web-tg].slow_start").message,
                   "0 (off) or an integer number of seconds between 30 and 900"));
    CHECK(contains(about(ds, "load_balancer[web-alb].idle_timeout").message, "between 1 and 4000"));
    CHECK(
        contains(about(ds, "simulation.metrics_period").message, "10s, 30s or a multiple of 60s"));

    SECTION("cross-key ranges run once values are clean") {
        std::string t2 = kMinimal;
        t2.replace(t2.find("name = \"web-tg\""), 15,
                   "name = \"web-tg\"\nhealth_check = { interval = 10, timeout = 10 }");
        t2.replace(t2.find("name = \"web-alb\""), 16,
                   "name = \"web-alb\"\navailability_zones = [\"us-east-1a\"]");
        auto ds2 = errors_of(t2);
        CHECK(contains(about(ds2, "target_group[web-tg].health_check.timeout").message,
                       "shorter than the interval"));
        CHECK(contains(about(ds2, "load_balancer[web-alb].availability_zones").message,
                       "at least 2 availability zones"));
    }
    SECTION("zero and negative durations and rates") {
        auto ds3 = errors_of(
            "[simulation]\nduration = \"0s\"\n[slo]\navailability = 101\nlatency_p99 = \"-5ms\"\n");
        CHECK(contains(about(ds3, "simulation.duration").message, "expected a duration > 0"));
        CHECK(contains(about(ds3, "slo.availability").message, "between 0 and 100, found 101"));
        CHECK(contains(about(ds3, "slo.latency_p99").message, "found \"-5ms\""));
        std::string t4 = kMinimal;
        t4.replace(t4.find("rate = 200"), 10, "rate = -3");
        CHECK(contains(about(errors_of(t4), "workload[shop].rate").message,
                       "expected a number >= 0, found -3"));
    }
}

TEST_CASE("a fault needs a time or a failure process", "[loader]") {
    auto ds = errors_of(kMinimal + R"(
[[fault]]
type = "instance_failure"
target = "web"
fraction = 1.5
[[fault]]
type = "az_outage"
target = "us-east-1a"
at = "10m"
[[fault]]
type = "instance_failure"
target = "web"
)");
    CHECK(contains(about(ds, "fault[0].fraction").message, "expected a number > 0 and <= 1"));
    // Values clean in a second file: the cross-key checks.
    auto ds2 = errors_of(kMinimal + R"(
[[fault]]
type = "az_outage"
target = "us-east-1a"
at = "10m"
[[fault]]
type = "instance_failure"
target = "web"
mtbf = { dist = "exponential", mean = "2h" }
)");
    auto a = about(ds2, "fault[0]");
    CHECK(a.pos.line == 25);
    CHECK(contains(a.message, "needs `duration`"));
    CHECK(contains(about(ds2, "fault[1].mtbf").message, "either `at`"));
}

TEST_CASE("step adjustments must not overlap", "[loader]") {
    auto ds = errors_of(kMinimal + R"(
[[autoscaling_policy]]
name = "steps"
autoscaling_group = "web"
policy_type = "StepScaling"
step_adjustment = [
  { metric_interval_lower_bound = 0, metric_interval_upper_bound = 20, scaling_adjustment = 1 },
  { metric_interval_lower_bound = 10, scaling_adjustment = 2 },
]
)");
    auto d = about(ds, "autoscaling_policy[steps].step_adjustment[1]");
    CHECK(contains(d.message, "overlaps step_adjustment[0]"));
}

TEST_CASE("alarms check periods, datapoints and their actions", "[loader]") {
    auto ds = errors_of(kMinimal + R"(
[[autoscaling_policy]]
name = "out"
autoscaling_group = "web"
scaling_adjustment = 1
[[cloudwatch_metric_alarm]]
alarm_name = "cpu-high"
namespace = "AWS/EC2"
metric_name = "CPUUtilization"
period = 45
evaluation_periods = 2
datapoints_to_alarm = 3
comparison_operator = "GreaterThanThreshold"
threshold = 70
alarm_actions = ["outt"]
)");
    CHECK(contains(about(ds, "cloudwatch_metric_alarm[cpu-high].period").message,
                   "10, 30 or a multiple of 60"));
    CHECK(contains(about(ds, "cloudwatch_metric_alarm[cpu-high].datapoints_to_alarm").message,
                   "between 1 and evaluation_periods (2), found 3"));
    CHECK(contains(about(ds, "cloudwatch_metric_alarm[cpu-high].alarm_actions").message,
                   "unknown scaling policy `outt`; known: `out`"));
}

TEST_CASE("duplicate names are errors, except new launch template versions", "[loader]") {
    auto ds = errors_of(kMinimal + "[[target_group]]\nname = \"web-tg\"\n");
    auto d = about(ds, "target_group[web-tg]");
    CHECK(d.pos.line == 24);
    CHECK(contains(d.message, "duplicate target_group name `web-tg`"));

    Spec s = load_text(kMinimal +
                           "[[launch_template]]\nname = \"web\"\nversion = 2\ninstance_type = "
                           "\"c5.large\"\n",
                       "lab.toml");
    CHECK(s.launch_template.size() == 2);
    auto ds2 = errors_of(kMinimal +
                         "[[launch_template]]\nname = \"web\"\ninstance_type = "
                         "\"c5.large\"\n");
    CHECK(contains(about(ds2, "launch_template[web].version").message, "defined twice"));
}

TEST_CASE("a date-time before the start is an error", "[loader]") {
    auto ds = errors_of(kMinimal + R"(
[[fault]]
type = "az_outage"
target = "us-east-1a"
at = "2026-01-04T23:00:00Z"
duration = "10m"
)");
    CHECK(contains(about(ds, "fault[0].at").message, "before simulation.start_time"));
}

TEST_CASE("every error of a file is reported at once, in file order", "[loader]") {
    std::string text = kMinimal;
    text.replace(text.find("min_size = 2"), 12, "min_size = \"two\"");
    text.replace(text.find("port = 80"), 9, "port = 0");
    text.replace(text.find("rate = 200"), 10, "rate = 200\nratee = 1");
    auto ds = errors_of(text);
    REQUIRE(ds.size() == 3);
    CHECK(ds[0].key_path == "lb_listener[0].port");
    CHECK(ds[1].key_path == "autoscaling_group[web].min_size");
    CHECK(ds[2].key_path == "workload[shop].ratee");

    // Cross-key errors come in the same report as bad values elsewhere.
    std::string t2 = kMinimal;
    t2.replace(t2.find("min_size = 2"), 12, "min_size = 5");
    t2.replace(t2.find("port = 80"), 9, "port = \"http\"");
    auto ds2 = errors_of(t2);
    REQUIRE(ds2.size() == 2);
    CHECK(ds2[0].key_path == "lb_listener[0].port");
    CHECK(ds2[1].key_path == "autoscaling_group[web].min_size");
}

TEST_CASE("a --set override changes any setting by its path before validation", "[loader]") {
    Spec s = load_text(kMinimal, "lab.toml",
                       {"simulation.seed=7", "region.name=ap-northeast-2",
                        "autoscaling_group.web.health_check_grace_period=150",
                        "target_group.web-tg.health_check.interval=10", "lb_listener.0.port=8080",
                        "workload.shop.service_time={ dist = \"exponential\", mean = \"40ms\" }",
                        "simulation.description=a lab about AZs"});
    CHECK(s.simulation.seed == 7);
    CHECK(s.region.name == "ap-northeast-2");
    CHECK(s.region.availability_zones.front() == "ap-northeast-2a");
    CHECK(s.autoscaling_group.at(0).health_check_grace_period == 150);
    CHECK(s.target_group.at(0).health_check.interval == 10);
    CHECK(s.lb_listener.at(0).port == 8080);
    CHECK(s.workload.at(0).service_time.kind == DistKind::Exponential);
    CHECK(s.simulation.description == "a lab about AZs");
    CHECK(s.autoscaling_group.at(0).pos.at("health_check_grace_period").file ==
          "--set autoscaling_group.web.health_check_grace_period=150");
}

TEST_CASE("a bad --set names the override and lists what exists", "[loader]") {
    SECTION("a value of the wrong type") {
        auto ds = errors_of(kMinimal, {"autoscaling_group.web.min_size=two"});
        auto d = about(ds, "autoscaling_group[web].min_size");
        CHECK(d.pos.file == "--set autoscaling_group.web.min_size=two");
        CHECK(d.pos.line == 0);
        CHECK(d.format() ==
              "--set autoscaling_group.web.min_size=two: error: autoscaling_group[web].min_size: "
              "expected an integer between 0 and 100000, found \"two\"");
    }
    SECTION("an unknown resource name") {
        auto ds = errors_of(kMinimal, {"autoscaling_group.webb.min_size=3"});
        REQUIRE(ds.size() == 1);
        CHECK(ds[0].pos.file == "--set autoscaling_group.webb.min_size=3");
        CHECK(contains(ds[0].message, "no autoscaling_group named `webb`; known: `web`"));
    }
    SECTION("an unknown key") {
        auto ds = errors_of(kMinimal, {"autoscaling_group.web.grace_period=3"});
        auto d = about(ds, "autoscaling_group[web].grace_period");
        CHECK(d.pos.file == "--set autoscaling_group.web.grace_period=3");
        CHECK(contains(d.message, "did you mean `health_check_grace_period`?"));
    }
    SECTION("an unknown section") {
        auto ds = errors_of(kMinimal, {"simulaton.seed=3"});
        REQUIRE(ds.size() == 1);
        CHECK(contains(ds[0].message, "unknown section `simulaton`; did you mean `simulation`?"));
    }
    SECTION("no equals sign") {
        auto ds = errors_of(kMinimal, {"simulation.seed"});
        REQUIRE(ds.size() == 1);
        CHECK(ds[0].pos.file == "--set simulation.seed");
        CHECK(contains(ds[0].message, "expected PATH=VALUE"));
    }
    SECTION("a listener index out of range") {
        auto ds = errors_of(kMinimal, {"lb_listener.3.port=81"});
        CHECK(contains(ds.at(0).message, "no lb_listener named `3`; known: `0`"));
    }
}

TEST_CASE("features beyond what runs now are listed as not supported yet", "[loader]") {
    std::string text = kMinimal;
    text.replace(text.find("max_size = 4"), 12, "max_size = 4\nhealth_check_type = \"ELB\"");
    text += R"(
[[autoscaling_policy]]
name = "cpu"
autoscaling_group = "web"
policy_type = "TargetTrackingScaling"
target_tracking_configuration = { predefined_metric_type = "ASGAverageCPUUtilization", target_value = 50 }
[pricing]
alb_hour = 0.03
[vpc]
cidr_block = "10.0.0.0/16"
[[db_instance]]
identifier = "main"
instance_class = "db.t3.micro"
[[fault]]
type = "db_failover"
target = "main"
at = "10m"
[[fault]]
type = "az_outage"
target = "us-east-1a"
at = "10m"
duration = "20m"
[[action]]
at = "5m"
set = { "autoscaling_group.web.desired_capacity" = 3, "target_group.web-tg.slow_start" = 60 }
)";
    Spec s = load_text(text, "lab.toml");  // loads and validates fine
    auto ds = unsupported_features(s);
    // The control plane, billing, RDS and networking run: ELB health checks, policies, AZ
    // outages, group changes, prices, databases and their failovers, the VPC.
    REQUIRE(ds.size() == 1);
    CHECK(contains(about(ds, "action[0].set.target_group.web-tg.slow_start").message,
                   "not supported yet"));
}

TEST_CASE("explain writes every default and loads back to the same scenario", "[loader]") {
    TempDir dir;
    dir.write("samples.csv", "5ms\n7ms\n");
    dir.write("trace.csv", "0,10\n60,20\n");
    std::string rich = kMinimal + R"(
[region]
name = "ap-northeast-2"
availability_zones = ["ap-northeast-2a", "ap-northeast-2c"]
[pricing]
on_demand = { "m5.large" = 0.12 }
alb_hour = 0.0252
[[instance_type]]
name = "t3.micro"
credit_specification = "unlimited"
[[launch_template]]
name = "web"
version = 2
instance_type = "t3.micro"
boot_time = { dist = "empirical", file = "samples.csv" }
tags = { Name = "web", Team = "shop" }
[[autoscaling_group]]
name = "api"
launch_template = "web"
launch_template_version = 1
min_size = 0
max_size = 2
mixed_instances_policy = { on_demand_base_capacity = 1, instance_types = ["m5.large", "c5.large"] }
[[autoscaling_policy]]
name = "steps"
autoscaling_group = "web"
policy_type = "StepScaling"
adjustment_type = "PercentChangeInCapacity"
step_adjustment = [{ metric_interval_upper_bound = 0, scaling_adjustment = -1 }, { metric_interval_lower_bound = 0, scaling_adjustment = 2 }]
[[cloudwatch_metric_alarm]]
alarm_name = "p99"
namespace = "AWS/ApplicationELB"
metric_name = "TargetResponseTime"
dimensions = { LoadBalancer = "web-alb" }
extended_statistic = "p99"
comparison_operator = "GreaterThanThreshold"
threshold = 0.5
alarm_actions = ["steps"]
[[autoscaling_schedule]]
scheduled_action_name = "morning"
autoscaling_group = "web"
desired_capacity = 3
recurrence = "0 9 * * 1-5"
[[workload]]
name = "trace"
load_balancer = "web-alb"
rate = { shape = "trace", file = "trace.csv" }
database = "db"
spike = [{ at = "10m", duration = "1m", multiplier = 2.5 }]
[[workload]]
name = "ramp"
load_balancer = "web-alb"
rate = { shape = "ramp", from = 0, to = 100, over = "30m" }
[[db_instance]]
identifier = "db"
instance_class = "db.r5.large"
multi_az = true
subnets = ["a"]
[[fault]]
type = "latency"
target = "web"
mtbf = { dist = "exponential", mean = "6h" }
mttr = "5m"
extra = { dist = "normal", mean = "20ms", sd = "5ms" }
fraction = 0.5
[spot]
[[spot.pool]]
instance_type = "m5.large"
availability_zone = "ap-northeast-2a"
price = { model = "mean_reverting", mean = 0.04, volatility = 0.1 }
interruption = { monthly_rate = 0.05 }
[vpc]
cidr_block = "10.0.0.0/16"
[[subnet]]
name = "a"
cidr_block = "10.0.1.0/24"
availability_zone = "ap-northeast-2a"
route = "nat:nat"
[[subnet]]
name = "pub"
cidr_block = "10.0.2.0/24"
availability_zone = "ap-northeast-2c"
route = "igw"
[[security_group]]
name = "alb"
ingress = [{ port = 80, cidr_blocks = ["0.0.0.0/0"] }]
[[security_group]]
name = "app"
ingress = [{ port = 80, source_security_group = "alb" }]
[[nat_gateway]]
name = "nat"
subnet = "pub"
[[instance]]
name = "bastion"
instance_type = "t3.nano"
schedule = [["0h", "running"], ["2h", "stopped"]]
[[eip]]
name = "ip"
instance = "bastion"
[[ebs_volume]]
name = "data"
size_gb = 100
[[ebs_snapshot]]
name = "snap"
size_gb = 50
[[s3_bucket]]
name = "logs"
storage_gb = 10
growth_gb_per_day = 1.5
[slo]
latency_p99 = "500ms"
availability = 99.9
[[action]]
at = "30m"
set = { "autoscaling_group.web.desired_capacity" = 3, "lb_listener.0.target_group" = "web-tg", "workload.shop.timeout" = 2.5 }
)";
    rich.replace(rich.find("duration = \"1h\""), 15,
                 "duration = \"1h\"\nwarmup = \"5m\"\ndescription = \"\"\"\nEN: \"quoted\" \\\\ "
                 "back\\tslash\n한국어 설명\n\"\"\"");
    Spec first = load_text(rich, "rich.toml", {}, dir.path.string());
    CHECK(first.simulation.warmup == 5 * kMinute);
    std::string text = explain(first);
    INFO(text);
    Spec second = load_text(text, "explained.toml", {}, dir.path.string());
    CHECK(explain(second) == text);
    CHECK(second.simulation.name == "rich");
    CHECK(second.simulation.description == first.simulation.description);
    CHECK(contains(first.simulation.description, "한국어"));
    CHECK(second.launch_template.at(1).boot_time.samples.size() == 2);
    CHECK(second.autoscaling_group.at(1).mixed_instances_policy->on_demand_base_capacity == 1);
    CHECK(second.workload.at(1).rate.steps.size() == 2);
    CHECK(second.db_instance.at(0).availability_zone == "ap-northeast-2a");
    CHECK(second.instance.at(0).availability_zone == "ap-northeast-2a");
    CHECK(second.action.at(0).set.size() == 3);
    CHECK(contains(text, "boot_time = { dist = \"normal\", mean = \"45s\", sd = \"10s\" }"));
    CHECK(contains(text, "health_check = { interval = 30, timeout = 5"));
    CHECK(contains(text, "enable_cross_zone_load_balancing = true"));
}

}  // namespace test_loader
