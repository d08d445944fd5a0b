// The grammar (sim/scenario/settings.*): complete against the loader in both directions,
// aliases end to end, the one parser of settable paths, [[action]] values held to the file's
// ranges and to the state they meet, --set as exactly one value naming its override, and the
// generated reference equal to docs/reference.md.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "cli_support.hpp"
#include "sim/cloud/run_limits.hpp"
#include "sim/cloud/world.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/actions.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/reference.hpp"
#include "sim/scenario/settings.hpp"
#include "sim/view/commands.hpp"

namespace test_settings {

using namespace stratus;
using namespace stratus::scenario;

namespace {

const std::string kMinimal = R"([simulation]
duration = "1h"
[[launch_template]]
name = "web"
instance_type = "m5.large"
[[launch_template]]
name = "web"
version = 2
instance_type = "c5.large"
[[target_group]]
name = "web-tg"
[[load_balancer]]
name = "web-alb"
[[lb_listener]]
load_balancer = "web-alb"
target_group = "web-tg"
[[autoscaling_group]]
name = "web"
launch_template = "web"
min_size = 2
max_size = 4
target_groups = ["web-tg"]
[[autoscaling_policy]]
name = "add"
autoscaling_group = "web"
scaling_adjustment = 1
[[workload]]
name = "shop"
load_balancer = "web-alb"
rate = 20
)";

std::vector<Diagnostic> errors_of(const std::string& text,
                                  const std::vector<std::string>& overrides = {}) {
    try {
        load_text(text, "lab.toml", overrides);
    } catch (const ScenarioError& e) {
        return e.diagnostics();
    }
    return {};
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
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

std::string action(const std::string& at, const std::string& set) {
    return "[[action]]\nat = \"" + at + "\"\nset = { " + set + " }\n";
}

// ---- A scenario that sets every key of the grammar ------------------------------------------

// A value of the key's type inside its range (names and references need not resolve: only the
// keys are under test).
std::string sample(const KeyDef& k, const std::string& section) {
    auto number = [&]() {
        double v = std::isfinite(k.range.min) ? k.range.min : 1;
        if (k.range.min_open) v += std::isfinite(k.range.max) ? (k.range.max - v) / 2 : 1;
        return fmt::format("{}", v);
    };
    switch (k.type) {
        case KeyType::Text:
        case KeyType::Name:
        case KeyType::Reference:
            return "\"x\"";
        case KeyType::References:
        case KeyType::Strings:
            return "[\"x\"]";
        case KeyType::Integer:
        case KeyType::Seconds:
        case KeyType::Number:
            return number();
        case KeyType::Boolean:
            return "true";
        case KeyType::Duration:
        case KeyType::TimePoint:
        case KeyType::Distribution:
            return "\"1s\"";
        case KeyType::DateTime:
            return "\"2026-01-05T00:00:00Z\"";
        case KeyType::Choice:
            return "\"" + k.choices.front() + "\"";
        case KeyType::Choices:
            return "[\"" + k.choices.front() + "\"]";
        case KeyType::Rate:
            return "1";
        case KeyType::Percentile:
            return "\"p99\"";
        case KeyType::StringTable:
            return "{ k = \"v\" }";
        case KeyType::NumberTable:
            return "{ k = 1 }";
        case KeyType::Pairs:
            return section == "instance" ? "[[\"0s\", \"running\"]]" : "[[\"0s\", 1]]";
        case KeyType::Settings:
            return "{ \"autoscaling_group.web.desired_capacity\" = 1 }";
        case KeyType::Table:
        case KeyType::Tables:
            return "";  // written from the child table
    }
    return "";
}

// An inline table with every file key of `table` that applies to `variant`; a nested table
// with a variant of its own takes `child_variant` (or its first); `used` collects
// "<section>:<path>" of each key written.
std::string inline_table(const TableDef& table, const std::string& variant,
                         std::set<std::string>& used, const std::string& child_variant = "") {
    std::string out;
    for (const KeyDef* k : table.keys()) {
        if (!k->in_file() || !k->applies_to(variant)) continue;
        std::string value = k->discriminator ? "\"" + variant + "\"" : sample(*k, k->section);
        if (k->type == KeyType::Table || k->type == KeyType::Tables) {
            const TableDef& child = *table.child(k->name());
            const std::string v = child.discriminator().empty() ? ""
                                  : child_variant.empty()
                                      ? child.find(child.discriminator())->choices[0]
                                      : child_variant;
            value = inline_table(child, v, used, child_variant);
            if (k->type == KeyType::Tables) value = "[" + value + "]";
        }
        out += fmt::format("{}{} = {}", out.empty() ? "" : ", ", k->name(), value);
        used.insert(std::string(k->section) + ":" + k->path);
    }
    return "{ " + out + " }";
}

// The problems that say a key is not accepted.
std::vector<std::string> refused_keys(const std::vector<Diagnostic>& ds) {
    std::vector<std::string> out;
    for (const auto& d : ds)
        if (contains(d.message, "unknown key") || contains(d.message, "unknown section") ||
            contains(d.message, "unknown top-level") || contains(d.message, "does not apply") ||
            contains(d.message, "not a key of the file") || contains(d.message, "same setting"))
            out.push_back(d.format());
    return out;
}

}  // namespace

TEST_CASE("a scenario setting every key of the grammar loads without a refused key", "[settings]") {
    // Each section as one element with every key (nested tables included), then one element
    // per Spot price model, distribution kind and rate shape with that variant's keys.
    std::set<std::string> used;
    std::string text;
    for (const auto& s : sections()) {
        if (s.kind == SectionKind::Value) continue;
        if (s.name == std::string("spot")) {
            // One pool per price model (an inline array cannot be extended by [[spot.pool]]).
            const TableDef& pool = *table_of("spot")->child("pool");
            std::string pools;
            for (const auto& model : pool.child("price")->find("model")->choices)
                pools += (pools.empty() ? "" : ", ") + inline_table(pool, "", used, model);
            text += "[spot]\npool = [" + pools + "]\n";
            used.insert("spot:pool");
            continue;
        }
        std::string body = inline_table(table_of(s), "", used);
        body = body.substr(2, body.size() - 4);  // the keys, as lines of a table
        std::string lines;
        std::size_t start = 0;
        int depth = 0;
        for (std::size_t i = 0; i < body.size(); ++i) {
            if (body[i] == '{' || body[i] == '[') ++depth;
            if (body[i] == '}' || body[i] == ']') --depth;
            if (depth == 0 && body.compare(i, 2, ", ") == 0) {
                lines += body.substr(start, i - start) + "\n";
                start = i + 2;
            }
        }
        lines += body.substr(start) + "\n";
        text += (s.is_array() ? fmt::format("[[{}]]\n", s.name) : fmt::format("[{}]\n", s.name)) +
                lines;
    }
    for (const auto& dist : table_of("distribution")->find("dist")->choices)
        text += fmt::format(
            "[[launch_template]]\nname = \"d-{}\"\ninstance_type = "
            "\"m5.large\"\nboot_time = {}\n",
            dist, inline_table(*table_of("distribution"), dist, used));
    for (const auto& shape : table_of("rate")->find("shape")->choices)
        text += fmt::format("[[workload]]\nname = \"r-{}\"\nload_balancer = \"x\"\nrate = {}\n",
                            shape, inline_table(*table_of("rate"), shape, used));
    INFO(text);

    // Every row a file can hold was written at least once.
    std::size_t file_rows = 0;
    for (const KeyDef& k : keys()) {
        if (!k.in_file()) continue;
        ++file_rows;
        CHECK(used.count(std::string(k.section) + ":" + k.path) == 1);
    }
    REQUIRE(file_rows > 200);

    // A reader asking for a key the grammar lacks, or a grammar key no reader takes, throws
    // std::logic_error; a key the grammar refuses is a diagnostic.
    std::vector<Diagnostic> ds;
    REQUIRE_NOTHROW(ds = errors_of(text));
    CHECK(refused_keys(ds).empty());
    for (const auto& r : refused_keys(ds))
        UNSCOPED_INFO(r);
    // Other errors there are (the names do not resolve): the check ran to the end.
    CHECK_FALSE(ds.empty());
}

TEST_CASE("a key outside the grammar is refused in every table, with a suggestion", "[settings]") {
    for (const auto& s : sections()) {
        if (s.kind == SectionKind::Value) continue;
        const std::string header =
            s.is_array() ? fmt::format("[[{}]]", s.name) : fmt::format("[{}]", s.name);
        const std::string text =
            (s.name == std::string("simulation") ? "" : "[simulation]\nduration = \"1h\"\n") +
            header + "\nnot_a_key = 1\n" +
            (s.name == std::string("simulation") ? "duration = \"1h\"\n" : "");
        auto ds = errors_of(text);
        bool refused = false;
        for (const auto& d : ds)
            refused = refused || (contains(d.message, "unknown key `not_a_key`") && d.pos.line > 0);
        INFO(s.name);
        CHECK(refused);
    }
    // In nested tables and value tables too.
    std::string t = kMinimal;
    t.replace(t.find("name = \"web-tg\""), 15,
              "name = \"web-tg\"\nhealth_check = { intervl = 10 }");
    CHECK(contains(about(errors_of(t), "target_group[web-tg].health_check.intervl").message,
                   "did you mean `interval`?"));
    std::string t2 = kMinimal;
    t2.replace(t2.find("rate = 20"), 9,
               "rate = { shape = \"ramp\", from = 1, to = 2, over = \"1m\", "
               "value = 3 }");
    CHECK(contains(about(errors_of(t2), "workload[shop].rate.value").message,
                   "`value` does not apply when shape = \"ramp\""));
    // A key only a run can change is not a key of the file.
    std::string t3 = kMinimal;
    t3.replace(t3.find("max_size = 4"), 12, "max_size = 4\nterminate_instance = \"i-0001\"");
    CHECK(contains(about(errors_of(t3), "autoscaling_group[web].terminate_instance").message,
                   "not a key of the file"));
}

TEST_CASE("an alias loads exactly like its key and explain writes the canonical key",
          "[settings]") {
    // Terraform's vpc_zone_identifier and target_group_arns for subnets and target_groups.
    const std::string networked = kMinimal +
                                  "[vpc]\ncidr_block = \"10.0.0.0/16\"\n[[subnet]]\nname = "
                                  "\"a\"\ncidr_block = \"10.0.1.0/24\"\navailability_zone = "
                                  "\"us-east-1a\"\n";
    std::string canonical = networked, aliased = networked;
    canonical.replace(canonical.find("target_groups = [\"web-tg\"]"), 26,
                      "target_groups = [\"web-tg\"]\nsubnets = [\"a\"]");
    aliased.replace(aliased.find("target_groups = [\"web-tg\"]"), 26,
                    "target_group_arns = [\"web-tg\"]\nvpc_zone_identifier = [\"a\"]");
    const Spec a = load_text(canonical, "lab.toml");
    const Spec b = load_text(aliased, "lab.toml");
    REQUIRE(b.autoscaling_group.at(0).subnets == std::vector<std::string>{"a"});
    REQUIRE(b.autoscaling_group.at(0).target_groups == std::vector<std::string>{"web-tg"});
    CHECK(b.autoscaling_group.at(0).availability_zones == std::vector<std::string>{"us-east-1a"});
    CHECK(explain(a) == explain(b));
    CHECK(contains(explain(b), "subnets = [\"a\"]"));
    CHECK_FALSE(contains(explain(b), "vpc_zone_identifier"));
    // Its errors name the spelling the file used, at its position.
    std::string bad = aliased;
    bad.replace(bad.find("vpc_zone_identifier = [\"a\"]"), 27, "vpc_zone_identifier = [\"b\"]");
    CHECK(contains(about(errors_of(bad), "autoscaling_group[web].subnets").message,
                   "unknown subnet `b`"));
    std::string wrong_type = aliased;
    wrong_type.replace(wrong_type.find("vpc_zone_identifier = [\"a\"]"), 27,
                       "vpc_zone_identifier = 3");
    const auto d = about(errors_of(wrong_type), "autoscaling_group[web].vpc_zone_identifier");
    CHECK(d.pos.line == 23);
    // Both spellings at once are one setting given twice.
    std::string both = canonical;
    both.replace(both.find("subnets = [\"a\"]"), 15,
                 "subnets = [\"a\"]\nvpc_zone_identifier = [\"a\"]");
    CHECK(contains(about(errors_of(both), "autoscaling_group[web].vpc_zone_identifier").message,
                   "are the same setting"));
    // --set takes the alias and replaces whichever spelling the file used.
    const Spec c = load_text(canonical, "lab.toml", {"autoscaling_group.web.target_group_arns=[]"});
    CHECK(c.autoscaling_group.at(0).target_groups.empty());
}

TEST_CASE("one parser turns a settable path into a section, an element and a key", "[settings]") {
    std::string why;
    auto p = parse_setting_path("autoscaling_group.web.v2.min_size", &why);
    REQUIRE(p);
    CHECK(std::string(p->section->name) == "autoscaling_group");
    CHECK(p->element == "web.v2");  // names may hold dots
    CHECK(p->key->id == SettingId::GroupMinSize);
    CHECK(p->text() == "autoscaling_group.web.v2.min_size");
    auto alias = parse_setting_path("autoscaling_group.web.vpc_zone_identifier", &why);
    REQUIRE(alias);
    CHECK(alias->text() == "autoscaling_group.web.subnets");
    auto nested = parse_setting_path("target_group.tg.health_check.interval", &why);
    REQUIRE(nested);
    CHECK(nested->element == "tg");
    CHECK(std::string(nested->key->path) == "health_check.interval");
    CHECK_FALSE(nested->key->by_action());

    CHECK_FALSE(parse_setting_path("autoscaling_group.web.min_sise", &why));
    CHECK(contains(why, "did you mean `min_size`?"));
    CHECK_FALSE(parse_setting_path("simulation.x.seed", &why));
    CHECK(contains(why, "cannot change `simulation` during a run"));
    CHECK_FALSE(parse_setting_path("autoscaling_group.min_size", &why));
    CHECK(contains(why, "expected \"<resource>.<name>.<key>\""));

    // The viewer's paths come from the same grammar.
    CHECK(setting_path("workload", "shop", "rate_multiplier") == "workload.shop.rate_multiplier");
    CHECK_THROWS_AS(setting_path("workload", "shop", "request_bytes"), std::invalid_argument);
    std::vector<std::string> viewer;
    for (const KeyDef* k : settable_keys("autoscaling_group", true))
        viewer.emplace_back(k->name());
    CHECK(viewer == std::vector<std::string>{"min_size", "max_size", "desired_capacity",
                                             "health_check_grace_period", "terminate_instance"});
}

TEST_CASE("an action's values are held to the grammar's types and ranges", "[settings][actions]") {
    auto ds =
        errors_of(kMinimal + action("10m", "\"autoscaling_group.web.max_size\" = 1000000000") +
                  action("11m", "\"autoscaling_group.web.min_size\" = \"two\"") +
                  action("12m", "\"workload.shop.rate_multiplier\" = -1.0") +
                  action("13m", "\"autoscaling_group.web.health_check_grace_period\" = 1.5") +
                  action("14m", "\"autoscaling_policy.add.enabled\" = 1"));
    auto big = about(ds, "action[0].set.autoscaling_group.web.max_size");
    CHECK(big.pos.file == "lab.toml");
    CHECK(big.pos.line == 33);
    CHECK(big.pos.column == 44);
    CHECK(big.message == "max_size: expected an integer between 1 and 100000, found 1000000000");
    CHECK(contains(about(ds, "action[1].set.autoscaling_group.web.min_size").message,
                   "expected an integer between 0 and 100000, found \"two\""));
    CHECK(contains(about(ds, "action[2].set.workload.shop.rate_multiplier").message,
                   "expected a number >= 0, found -1"));
    CHECK(
        contains(about(ds, "action[3].set.autoscaling_group.web.health_check_grace_period").message,
                 "expected an integer >= 0, found 1.5"));
    CHECK(contains(about(ds, "action[4].set.autoscaling_policy.add.enabled").message,
                   "expected true or false, found 1"));

    // References: a template, a version of the template the group has then, a target group,
    // a target value of a target tracking policy.
    auto refs = errors_of(kMinimal +
                          action("10m", "\"autoscaling_group.web.launch_template_version\" = 3") +
                          action("11m", "\"lb_listener.0.target_group\" = \"green\"") +
                          action("12m", "\"autoscaling_group.web.launch_template\" = \"api\"") +
                          action("13m", "\"autoscaling_policy.add.target_value\" = 40"));
    CHECK(
        contains(about(refs, "action[0].set.autoscaling_group.web.launch_template_version").message,
                 "launch template `web` (the group's when this action applies) has no version "
                 "3; known: `1`, `2`"));
    CHECK(contains(about(refs, "action[1].set.lb_listener.0.target_group").message,
                   "unknown target group `green`"));
    CHECK(contains(about(refs, "action[2].set.autoscaling_group.web.launch_template").message,
                   "unknown launch template `api`"));
    CHECK(contains(about(refs, "action[3].set.autoscaling_policy.add.target_value").message,
                   "only a TargetTrackingScaling policy has a target value"));
    // Version 2 exists: fine.
    CHECK(
        errors_of(kMinimal + action("10m", "\"autoscaling_group.web.launch_template_version\" = 2"))
            .empty());
}

TEST_CASE("an action's sizes must hold in the state it meets", "[settings][actions]") {
    // min_size = 100 with max_size 4: refused (the group used to lift max_size silently).
    auto ds = errors_of(kMinimal + action("10m", "\"autoscaling_group.web.min_size\" = 100"));
    auto d = about(ds, "action[0].set.autoscaling_group.web.min_size");
    CHECK(d.pos.line == 33);
    CHECK(d.message == "expected min_size <= max_size (4) when the action applies, found 100");

    // Earlier actions and scheduled actions set the state a later one meets, in time order
    // whatever the order in the file.
    CHECK(errors_of(kMinimal + action("20m", "\"autoscaling_group.web.desired_capacity\" = 8") +
                    action("10m", "\"autoscaling_group.web.max_size\" = 10"))
              .empty());
    auto late =
        errors_of(kMinimal + action("10m", "\"autoscaling_group.web.desired_capacity\" = 8") +
                  action("20m", "\"autoscaling_group.web.max_size\" = 10"));
    CHECK(about(late, "action[0].set.autoscaling_group.web.desired_capacity").message ==
          "expected desired_capacity between min_size (2) and max_size (4) when the action "
          "applies, found 8");
    const std::string once =
        "[[autoscaling_schedule]]\nscheduled_action_name = \"big\"\nautoscaling_group = "
        "\"web\"\nmax_size = 12\nstart_time = \"5m\"\n";
    CHECK(
        errors_of(kMinimal + once + action("10m", "\"autoscaling_group.web.desired_capacity\" = 8"))
            .empty());
    // A recurrence: every hour at :30 the maximum drops to 3; an action at 1h40m meets it.
    const std::string hourly =
        "[[autoscaling_schedule]]\nscheduled_action_name = \"small\"\nautoscaling_group = "
        "\"web\"\nmin_size = 1\nmax_size = 3\nrecurrence = \"30 * * * *\"\n";
    const std::string longer = [&] {
        std::string t = kMinimal;
        t.replace(t.find("duration = \"1h\""), 15, "duration = \"3h\"");
        return t;
    }();
    CHECK(
        errors_of(longer + hourly + action("20m", "\"autoscaling_group.web.desired_capacity\" = 4"))
            .empty());
    auto after = errors_of(longer + hourly +
                           action("100m", "\"autoscaling_group.web.desired_capacity\" = 4"));
    CHECK(contains(about(after, "action[0].set.autoscaling_group.web.desired_capacity").message,
                   "between min_size (1) and max_size (3)"));

    // One action's sizes apply together: raising max_size and desired_capacity at once holds.
    const std::string together =
        kMinimal + action("10m",
                          "\"autoscaling_group.web.desired_capacity\" = 8, "
                          "\"autoscaling_group.web.max_size\" = 10");
    REQUIRE(errors_of(together).empty());
    Spec spec = load_text(together, "lab.toml");
    spec.simulation.duration = 11 * kMinute;
    report::Run run(spec);
    cloud::World& world = run.world();
    world.run();
    REQUIRE(world.groups().size() == 1);
    CHECK(world.groups()[0]->max_size() == 10);
    CHECK(world.groups()[0]->desired_capacity() == 8);
}

TEST_CASE("run limits count what actions set, and run refuses up front", "[settings][actions]") {
    // 1e12 times 20 requests/s for 50 minutes: far beyond request mode's limit.
    const std::string spike = kMinimal + action("10m", "\"workload.shop.rate_multiplier\" = 1e12");
    Spec s = load_text(spike, "lab.toml");
    auto limits = cloud::check_run_limits(s);
    REQUIRE(limits.size() == 1);
    CHECK(limits[0].key_path == "action[0].set.workload.shop.rate_multiplier");
    CHECK(limits[0].pos.line == 33);
    CHECK(contains(limits[0].message, "with this multiplier the run could simulate up to 6e+16"));
    // Within the limit: 3x for the rest of the run.
    CHECK(cloud::check_run_limits(load_text(kMinimal + action("10m",
                                                              "\"workload.shop.rate_multiplier\" "
                                                              "= 3.0"),
                                            "lab.toml"))
              .empty());

    // Two groups whose max_size an action raises past 100,000 instances together.
    std::string two = kMinimal + R"([[autoscaling_group]]
name = "api"
launch_template = "web"
min_size = 1
max_size = 60000
)";
    two += action("10m", "\"autoscaling_group.web.max_size\" = 50000");
    auto big = cloud::check_run_limits(load_text(two, "lab.toml"));
    REQUIRE(big.size() == 1);
    CHECK(big[0].key_path == "action[0].set.autoscaling_group.web.max_size");
    CHECK(contains(big[0].message, "up to 110000 instances (the limit is 100000)"));

    // The command line: validate and run both exit 2 naming file:line:col and the action's
    // key; run writes nothing.
    const auto dir = testing::make_temp_dir("stratus-actions");
    std::ofstream(dir / "spike.toml") << spike;
    auto validate = testing::run_stratus("validate spike.toml", dir);
    CHECK(validate.status == 2);
    CHECK(contains(validate.err, "spike.toml:33:"));
    CHECK(contains(validate.err, "error: action[0].set.workload.shop.rate_multiplier"));
    CHECK(contains(validate.err, "spike.toml is too large to run"));
    CHECK_FALSE(contains(validate.out, "valid"));
    auto run = testing::run_stratus("run spike.toml --out out --quiet", dir);
    CHECK(run.status == 2);
    CHECK(contains(run.err, "spike.toml:33:"));
    CHECK_FALSE(std::filesystem::exists(dir / "out"));
    std::ofstream(dir / "min.toml")
        << kMinimal << action("10m", "\"autoscaling_group.web.min_size\" = 100");
    auto min = testing::run_stratus("run min.toml --out out --quiet", dir);
    CHECK(min.status == 2);
    CHECK(contains(min.err, "min.toml:33:"));
    CHECK(contains(min.err,
                   "action[0].set.autoscaling_group.web.min_size: expected min_size <= "
                   "max_size (4)"));
    std::filesystem::remove_all(dir);
}

TEST_CASE("run limits: a workload's peak rate in request mode, the requests of a fluid run",
          "[settings][actions]") {
    // kMinimal's workload: 20 requests/s. x10,000 from 10m to 11m is 200,000 requests/s for
    // a minute: 1.2e7 requests, far within the count, but twice the peak rate request mode
    // times to the microsecond (1e5/s a workload). Refused at the action.
    std::string burst = kMinimal + action("10m", "\"workload.shop.rate_multiplier\" = 1e4") +
                        action("11m", "\"workload.shop.rate_multiplier\" = 1");
    auto peak = cloud::check_run_limits(load_text(burst, "lab.toml"));
    REQUIRE(peak.size() == 1);
    CHECK(peak[0].key_path == "action[0].set.workload.shop.rate_multiplier");
    CHECK(peak[0].pos.line == 33);
    CHECK(contains(peak[0].message,
                   "with this multiplier workload shop could reach 2e+05 "
                   "requests/s (the limit of request mode is 100000 a workload"));
    // x5,000 is 100,000/s: at the limit, accepted.
    std::string at_limit = kMinimal + action("10m", "\"workload.shop.rate_multiplier\" = 5e3") +
                           action("11m", "\"workload.shop.rate_multiplier\" = 1");
    CHECK(cloud::check_run_limits(load_text(at_limit, "lab.toml")).empty());
    // The same peak written in the file is refused at the rate.
    std::string fast = kMinimal;
    fast.replace(fast.find("rate = 20"), 9, "rate = 150000");
    REQUIRE(fast != kMinimal);
    auto written = cloud::check_run_limits(load_text(fast, "lab.toml"));
    REQUIRE(written.size() == 1);
    CHECK(written[0].key_path == "workload[shop].rate");
    CHECK(contains(written[0].message, "could reach 1.5e+05 requests/s"));
    // Fluid mode has no per-request event, but its counts are doubles: 1e12 x 20/s for 50
    // minutes is 6e16 requests, over 2^53 (about 9.0e15).
    const std::string spike = kMinimal + action("10m", "\"workload.shop.rate_multiplier\" = 1e12");
    auto fluid =
        cloud::check_run_limits(load_text(spike, "lab.toml", {"simulation.fidelity=fluid"}));
    REQUIRE(fluid.size() == 1);
    CHECK(fluid[0].key_path == "action[0].set.workload.shop.rate_multiplier");
    CHECK(contains(fluid[0].message, "up to 6e+16 requests (the limit of fluid mode is 9e+15)"));
    CHECK(cloud::check_run_limits(load_text(fast, "lab.toml", {"simulation.fidelity=fluid"}))
              .empty());
}

TEST_CASE("run limits: a spike counts for its own minutes, a daily curve for its hours",
          "[settings][actions]") {
    // 1,000 requests/s for 3 days with a one-minute 10x spike: 1,000 x 259,200 s + 9,000 x 60 s
    // = 2.6e8 requests, within request mode's 2e9. (Holding the spike's rate for the whole run
    // bounded it at 2.6e9 and refused it.)
    auto with_rate = [](std::string text, const std::string& rate) {
        text.replace(text.find("rate = 20"), 9, rate);
        return text;
    };
    std::string long_run = with_rate(kMinimal,
                                     "rate = 1000\nspike = [{ at = \"1m\", duration = \"1m\", "
                                     "multiplier = 10 }]");
    long_run.replace(long_run.find("duration = \"1h\""), 15, "duration = \"3d\"");
    REQUIRE(errors_of(long_run).empty());
    CHECK(cloud::check_run_limits(load_text(long_run, "lab.toml")).empty());
    // A daily curve from 100 to 10,000 requests/s for 84 hours: 5,050/s on average, 1.53e9
    // requests; its peak held for the run would be 3.0e9, over the limit.
    std::string daily = with_rate(
        kMinimal, "rate = { shape = \"diurnal\", min = 100, max = 10000, peak = \"14:00\" }");
    daily.replace(daily.find("duration = \"1h\""), 15, "duration = \"84h\"");
    CHECK(cloud::check_run_limits(load_text(daily, "lab.toml")).empty());
    // Refused when it is over: 20/s x 1e9 for a minute is 1.2e12 requests. The error names the
    // spike that takes the run over, not the workload's rate.
    const std::string huge =
        with_rate(kMinimal,
                  "rate = 20\nspike = [{ at = \"5m\", duration = \"1m\", multiplier = 2 }, "
                  "{ at = \"10m\", duration = \"1m\", multiplier = 1e9 }]");
    auto refused = cloud::check_run_limits(load_text(huge, "lab.toml"));
    REQUIRE(refused.size() == 1);
    CHECK(refused[0].key_path == "workload[shop].spike[1].multiplier");
    CHECK(refused[0].pos.line == 31);
    CHECK(contains(refused[0].message, "with this spike the run could simulate up to 1.2e+12"));
    // A spike past request mode's peak rate (100,000/s a workload) within the count is named
    // too: 20/s x 10,000 for ten seconds.
    const std::string burst = with_rate(
        kMinimal, "rate = 20\nspike = [{ at = \"10m\", duration = \"10s\", multiplier = 1e4 }]");
    auto peak = cloud::check_run_limits(load_text(burst, "lab.toml"));
    REQUIRE(peak.size() == 1);
    CHECK(peak[0].key_path == "workload[shop].spike[0].multiplier");
    CHECK(contains(peak[0].message, "with this spike workload shop could reach 2e+05 requests/s"));
}

TEST_CASE("a viewer command meets the checks of the scenario's actions", "[settings][actions]") {
    Spec spec = load_text(kMinimal, "lab.toml");
    report::Run run(spec);
    cloud::World& world = run.world();
    view::CommandSession session;
    world.start();
    world.run_until(5 * kMinute);
    CHECK_THROWS_WITH(
        session.issue(world, view::set_setting(setting_path("autoscaling_group", "web", "min_size"),
                                               std::int64_t{100})),
        Catch::Contains("expected min_size <= max_size (4)"));
    CHECK_THROWS_WITH(session.issue(world, view::traffic_spike("shop", 1e12)),
                      Catch::Contains("with this multiplier"));
    CHECK_THROWS_WITH(
        session.issue(world, view::set_setting(setting_path("autoscaling_group", "web", "max_size"),
                                               std::int64_t{1000000})),
        Catch::Contains("between 1 and 100000"));
    // Refused commands are not issued; a good one is.
    CHECK(session.issued().empty());
    session.issue(world, view::set_setting(setting_path("autoscaling_group", "web", "max_size"),
                                           std::int64_t{10}));
    session.issue(world, view::set_setting(setting_path("autoscaling_group", "web", "min_size"),
                                           std::int64_t{6}));
    world.run_until(10 * kMinute);
    CHECK(world.groups()[0]->min_size() == 6);
    CHECK(world.groups()[0]->desired_capacity() == 6);
}

TEST_CASE("An override (--set) takes exactly one TOML value and its errors name the override",
          "[settings]") {
    // A line break smuggling a second key (or a table) is refused, not half applied.
    // The message names the override with its line break escaped, on one line.
    const std::pair<std::string, std::string> smuggled[] = {
        {"simulation.seed=3\nduration=\"1m\"", "--set simulation.seed=3\\nduration=\"1m\""},
        {"simulation.seed=3\n[evil]\nx=1", "--set simulation.seed=3\\n[evil]\\nx=1"},
        {"region.name=eu-west-1\n[evil]", "--set region.name=eu-west-1\\n[evil]"},
        {"simulation.seed=3\r\n[evil]", "--set simulation.seed=3\\r\\n[evil]"}};
    for (const auto& [set, shown] : smuggled) {
        auto ds = errors_of(kMinimal, {set});
        REQUIRE(ds.size() == 1);
        CHECK(ds[0].pos.file == shown);
        CHECK(ds[0].format().find('\n') == std::string::npos);
        CHECK(contains(ds[0].message, "expected one TOML value"));
    }
    // A refused override fails the load: nothing of it is half applied.
    CHECK_THROWS_AS(load_text(kMinimal, "lab.toml", {"simulation.seed=3\nduration=\"1m\""}),
                    ScenarioError);
    // A control character in a bare string is refused and shown as an escape.
    auto bell = errors_of(kMinimal, {"simulation.description=a\x07"
                                     "b"});
    REQUIRE(bell.size() == 1);
    CHECK(bell[0].pos.file == "--set simulation.description=a\\x07b");
    CHECK(contains(bell[0].message, "a line break or a control character"));
    // A bare word is still a string; a quoted string may hold a line break.
    CHECK(load_text(kMinimal, "lab.toml", {"region.name=ap-northeast-2"}).region.name ==
          "ap-northeast-2");
    CHECK(load_text(kMinimal, "lab.toml", {"simulation.description=\"a\\nb\""})
              .simulation.description == "a\nb");

    // A tag's key may hold dots; a value that is not a string is an error at the override.
    Spec tagged = load_text(kMinimal, "lab.toml", {"autoscaling_group.web.tags.x.y=\"z\""});
    CHECK(tagged.autoscaling_group.at(0).tags.at("x.y") == "z");
    auto ds = errors_of(kMinimal, {"autoscaling_group.web.tags.x.y=1"});
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].pos.file == "--set autoscaling_group.web.tags.x.y=1");
    CHECK(ds[0].key_path == "autoscaling_group[web].tags.x.y");
    CHECK(contains(ds[0].message, "expected a string, found 1"));
    // Prices by instance type, whose names hold dots.
    Spec priced = load_text(kMinimal, "lab.toml", {"pricing.on_demand.m5.large=0.2"});
    CHECK(priced.pricing.on_demand.at("m5.large") == 0.2);

    // A key the grammar lacks, nested or not, is refused at the override with a suggestion;
    // so is a key only a run can change.
    auto nested = errors_of(kMinimal, {"target_group.web-tg.health_check.intervall=10"});
    REQUIRE(nested.size() == 1);
    CHECK(nested[0].pos.file == "--set target_group.web-tg.health_check.intervall=10");
    CHECK(nested[0].key_path == "target_group[web-tg].health_check.intervall");
    CHECK(contains(nested[0].message, "did you mean `interval`?"));
    auto run_only = errors_of(kMinimal, {"workload.shop.rate_multiplier=2"});
    REQUIRE(run_only.size() == 1);
    CHECK(contains(run_only[0].message, "not a key of the file"));
    // A table --set makes holds the override as its source: errors inside it name it.
    auto inside = errors_of(
        kMinimal, {"autoscaling_group.web.mixed_instances_policy.spot_instance_pools=50"});
    REQUIRE(inside.size() == 1);
    CHECK(inside[0].pos.file ==
          "--set autoscaling_group.web.mixed_instances_policy.spot_instance_pools=50");
    // Step adjustments by index.
    std::string steps = kMinimal;
    steps.replace(steps.find("scaling_adjustment = 1"), 22,
                  "policy_type = \"StepScaling\"\nstep_adjustment = [{ "
                  "metric_interval_lower_bound = 0, scaling_adjustment = 1 }]");
    Spec stepped = load_text(steps, "lab.toml",
                             {"autoscaling_policy.add.step_adjustment.0.scaling_adjustment=3"});
    CHECK(stepped.autoscaling_policy.at(0).step_adjustment.at(0).scaling_adjustment == 3);
}

TEST_CASE("docs/reference.md is the reference the grammar generates", "[settings]") {
    const std::string path = std::string(STRATUS_SOURCE_DIR) + "/docs/reference.md";
    std::ifstream in(path);
    REQUIRE(in);
    std::stringstream text;
    text << in.rdbuf();
    const std::string generated = reference_markdown();
    if (text.str() != generated)
        FAIL(
            "docs/reference.md differs from the grammar's reference: regenerate it with "
            "`build/stratus reference > docs/reference.md` and commit it");
    // Every key of the grammar is in it, with its section.
    for (const KeyDef& k : keys())
        CHECK(contains(generated, fmt::format("| `{}`", k.path)));
    for (const auto& s : sections())
        CHECK(contains(generated, s.name));
}

}  // namespace test_settings
