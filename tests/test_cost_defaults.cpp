// What a bill rests on that the scenario does not set (issue 14): `stratus explain` lists every
// default the bill depends on, with its basis, and the prices with their sources.
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sim/scenario/catalog.hpp"
#include "sim/scenario/cost_defaults.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/settings.hpp"

namespace test_cost_defaults {

using namespace stratus;

namespace {

const std::string kLabs = std::string(STRATUS_SOURCE_DIR) + "/scenarios/labs/";

bool listed(const std::vector<scenario::CostDefault>& defaults, const std::string& path) {
    for (const auto& d : defaults)
        if (d.path == path) return true;
    return false;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("cost defaults: every key whose default the bill depends on is listed per resource",
          "[scenario][billing]") {
    // Lab 13 has a DB instance, lab 11 a standalone instance (the NAT box); both have a launch
    // template, a listener and a workload: every section with a `.bills(...)` row. The two
    // keys they give of those rows are taken out, so that every row must show.
    const std::vector<std::pair<std::string, std::string>> labs = {
        {"13-db-security-group.toml", "allocated_storage = 20\n"},
        {"11-nat-gateway-vs-nat-instance.toml", "associate_public_ip_address = true\n"}};
    std::vector<scenario::CostDefault> all;
    for (const auto& [lab, line] : labs) {
        std::string text = scenario::read_scenario_text(kLabs + lab);
        const auto at = text.find(line);
        REQUIRE(at != std::string::npos);
        text.erase(at, line.size());
        for (auto& d : scenario::cost_defaults(scenario::load_text(text, lab, {}, kLabs)))
            all.push_back(d);
    }
    std::set<std::string> sections;
    for (const scenario::KeyDef& k : scenario::keys()) {
        if (*k.bills == '\0') continue;
        REQUIRE(*k.basis != '\0');
        sections.insert(k.section);
        if (std::string(k.section) == "instance_type") continue;
        bool found = false;
        for (const auto& d : all)
            found = found || (d.path.rfind(std::string(k.section) + ".", 0) == 0 &&
                              d.path.size() > std::string(k.path).size() &&
                              d.path.compare(d.path.size() - std::string(k.path).size() - 1,
                                             std::string::npos, "." + std::string(k.path)) == 0);
        INFO(k.section << "." << k.path);
        CHECK(found);
    }
    CHECK(sections == std::set<std::string>{"workload", "launch_template", "instance",
                                            "lb_listener", "db_instance", "instance_type"});
}

TEST_CASE("cost defaults: what the file or --set gives is not a default, even at its value",
          "[scenario][billing]") {
    const auto lab11 = scenario::load_file(kLabs + "11-nat-gateway-vs-nat-instance.toml");
    REQUIRE(lab11.instance.size() == 1);
    const std::string box = lab11.instance[0].name;
    const auto d11 = scenario::cost_defaults(lab11);
    CHECK(listed(d11, "instance." + box + ".ebs_gb"));
    // The NAT box asks for its public address: not a default.
    CHECK_FALSE(listed(d11, "instance." + box + ".associate_public_ip_address"));

    const std::string file = kLabs + "01-two-az-web-tier.toml";
    const auto plain = scenario::load_file(file);
    REQUIRE(plain.workload.size() == 1);
    const std::string key = "workload." + plain.workload[0].name + ".response_bytes";
    CHECK(listed(scenario::cost_defaults(plain), key));
    // Set to the default's own value, it is the user's figure now.
    const auto set = scenario::load_file(file, {key + "=16384"});
    CHECK_FALSE(listed(scenario::cost_defaults(set), key));
    for (const auto& d : scenario::cost_defaults(plain)) {
        if (d.path != key) continue;
        CHECK(d.value == "16384");
        CHECK(contains(d.charges, "data transfer out"));
    }
}

TEST_CASE("cost defaults: each launched type's speed, unless an [[instance_type]] gives it",
          "[scenario][billing]") {
    const auto lab01 = scenario::load_file(kLabs + "01-two-az-web-tier.toml");
    REQUIRE(lab01.launch_template.size() == 1);
    const std::string type = lab01.launch_template[0].instance_type;
    const std::string speed = fmt::format("[[instance_type]] name = \"{}\", speed", type);
    CHECK(listed(scenario::cost_defaults(lab01), speed));
    scenario::Spec measured = lab01;
    scenario::InstanceTypeSpec own;
    own.name = type;
    own.speed = 1.25;
    measured.instance_type.push_back(own);
    CHECK_FALSE(listed(scenario::cost_defaults(measured), speed));
}

TEST_CASE("cost defaults: explain's comment block names the prices' sources and loads back",
          "[scenario][billing]") {
    const auto lab01 = scenario::load_file(kLabs + "01-two-az-web-tier.toml");
    const std::string type = lab01.launch_template.at(0).instance_type;
    const auto catalog = scenario::InstanceCatalog::builtin(lab01.region.name);
    const scenario::InstanceTypeInfo* info = catalog.find(type);
    REQUIRE(info != nullptr);
    REQUIRE(!info->price_source.empty());
    const std::string text = scenario::cost_defaults_text(lab01);
    CHECK(
        contains(text, fmt::format("{}: {} USD/h On-Demand in {} (Linux; {})", type,
                                   info->on_demand_hourly, lab01.region.name, info->price_source)));
    CHECK(contains(text, "built-in price list of " + lab01.region.name));
    // Every line is a TOML comment: the explained scenario with the block loads as before.
    const std::string explained = scenario::explain(lab01);
    const auto again = scenario::load_text(explained + text, "explained.toml", {}, kLabs);
    CHECK(scenario::explain(again) == explained);
    // A [pricing] price of its own is the user's: the catalog's line goes.
    scenario::Spec priced = lab01;
    priced.pricing.present = true;
    priced.pricing.on_demand[type] = 0.1;
    CHECK_FALSE(contains(scenario::cost_defaults_text(priced), type + ": "));
    CHECK(contains(scenario::cost_defaults_text(priced), "except what [pricing] sets"));
}

}  // namespace test_cost_defaults
