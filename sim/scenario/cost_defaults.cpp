#include "sim/scenario/cost_defaults.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/scenario/catalog.hpp"
#include "sim/scenario/price_list.hpp"
#include "sim/scenario/settings.hpp"

namespace stratus::scenario {
namespace {

// One resource of a section: the name --set uses for it (its name, or its index) and the keys
// its table gave.
struct Resource {
    std::string name;
    const KeyPositions* given;
};

template <class T, class Name>
std::vector<Resource> resources(const std::vector<T>& items, Name name_of) {
    std::vector<Resource> out;
    for (std::size_t i = 0; i < items.size(); ++i)
        out.push_back({name_of(items[i], i), &items[i].pos});
    return out;
}

// The resources of the sections whose keys have `.bills(...)` rows. A section with such rows
// that is missing here is caught by tests/test_cost_defaults.cpp.
std::vector<Resource> resources_of(const Spec& spec, const std::string& section) {
    auto by_index = [](const auto&, std::size_t i) { return std::to_string(i); };
    if (section == "workload")
        return resources(spec.workload, [](const WorkloadSpec& w, std::size_t) { return w.name; });
    if (section == "launch_template")
        return resources(spec.launch_template,
                         [](const LaunchTemplateSpec& t, std::size_t) { return t.name; });
    if (section == "instance") {  // one launched from a template has the template's values
        std::vector<Resource> out;
        for (const StandaloneInstanceSpec& s : spec.instance)
            if (s.launch_template.empty()) out.push_back({s.name, &s.pos});
        return out;
    }
    if (section == "lb_listener") return resources(spec.lb_listener, by_index);
    if (section == "db_instance")
        return resources(spec.db_instance,
                         [](const DbInstanceSpec& d, std::size_t) { return d.identifier; });
    return {};
}

// The instance types the scenario launches, each once, in the order it names them.
std::vector<std::string> launched_types(const Spec& spec) {
    std::vector<std::string> out;
    auto add = [&](const std::string& t) {
        if (!t.empty() && std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
    };
    for (const auto& t : spec.launch_template)
        add(t.instance_type);
    for (const auto& g : spec.autoscaling_group)
        if (g.mixed_instances_policy)
            for (const auto& t : g.mixed_instances_policy->instance_types)
                add(t);
    for (const auto& s : spec.instance)
        add(s.instance_type);
    return out;
}

const InstanceTypeSpec* own_type(const Spec& spec, const std::string& name) {
    for (const auto& t : spec.instance_type)
        if (t.name == name) return &t;
    return nullptr;
}

void add_speeds(const Spec& spec, std::vector<CostDefault>& out) {
    const KeyDef* speed = find_key("instance_type", "speed");
    for (const std::string& type : launched_types(spec)) {
        const InstanceTypeSpec* own = own_type(spec, type);
        if (own && own->speed) continue;
        out.push_back({fmt::format("[[instance_type]] name = \"{}\", speed", type),
                       speed->default_text, speed->bills, speed->basis});
    }
}

// The prices the bill reads that the scenario does not set, with where they come from.
std::vector<std::string> price_lines(const Spec& spec) {
    std::vector<std::string> lines;
    const std::string& region = spec.region.name;
    const InstanceCatalog catalog = InstanceCatalog::builtin(region);
    for (const std::string& type : launched_types(spec)) {
        const InstanceTypeSpec* own = own_type(spec, type);
        if ((own && own->on_demand_hourly) || spec.pricing.on_demand.count(type)) continue;
        const InstanceTypeInfo* info = catalog.find(type);
        if (!info) continue;
        lines.push_back(fmt::format("{}: {} USD/h On-Demand in {} (Linux; {})", type,
                                    info->on_demand_hourly, region, info->price_source));
    }
    const PriceList prices = PriceList::builtin(region);
    if (prices.known())
        lines.push_back(fmt::format(
            "EBS, IPv4, load balancers, NAT, data transfer, S3, RDS: the built-in price list of "
            "{} ({} list prices; data/catalog/service_prices.csv names each figure's source){}",
            region, prices.price_list_date,
            spec.pricing.present ? ", except what [pricing] sets" : ""));
    return lines;
}

}  // namespace

std::vector<CostDefault> cost_defaults(const Spec& spec) {
    std::vector<CostDefault> out;
    for (const KeyDef& k : keys()) {
        if (*k.bills == '\0' || std::string(k.section) == "instance_type") continue;
        for (const Resource& r : resources_of(spec, k.section))
            if (r.given->count(k.path) == 0)
                out.push_back({fmt::format("{}.{}.{}", k.section, r.name, k.path), k.default_text,
                               k.bills, k.basis});
    }
    add_speeds(spec, out);
    return out;
}

std::string cost_defaults_text(const Spec& spec) {
    const std::vector<CostDefault> defaults = cost_defaults(spec);
    const std::vector<std::string> prices = price_lines(spec);
    if (defaults.empty() && prices.empty()) return "";
    std::string out =
        "\n# What this bill rests on that the scenario does not set. Set your own figures in "
        "the\n# file or with --set when the cost matters (docs/pricing.md).\n";
    if (!defaults.empty()) out += "#\n# Defaults:\n";
    for (const CostDefault& d : defaults)
        out += fmt::format("#   {} = {}\n#     drives: {}\n#     basis: {}\n", d.path, d.value,
                           d.charges, d.basis);
    if (!prices.empty()) out += "#\n# Prices:\n";
    for (const std::string& line : prices)
        out += fmt::format("#   {}\n", line);
    return out;
}

}  // namespace stratus::scenario
