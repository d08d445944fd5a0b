#include "sim/scenario/catalog.hpp"

#include <algorithm>
#include <string_view>

#include "sim/scenario/catalog_data.hpp"
#include "sim/scenario/internal.hpp"

namespace stratus::scenario {
namespace {

// The catalog's list date: the month of the oldest price source (the AWS Price List extract
// of January 2026); docs/pricing.md and data/catalog/README.md say so.
constexpr const char* kPriceListDate = "2026-01";

std::string_view family_of(std::string_view type) {
    return type.substr(0, type.find('.'));
}

}  // namespace

std::vector<std::string> known_regions() {
    std::vector<std::string> out;
    for (const auto& r : builtin_catalog_data().regions)
        out.push_back(r.region);
    return out;
}

bool is_known_region(std::string_view region) {
    return builtin_catalog_data().find_region(region) != nullptr;
}

std::vector<std::string> region_availability_zones(std::string_view region) {
    const CatalogRegion* r = builtin_catalog_data().find_region(region);
    return r ? r->availability_zones : std::vector<std::string>{};
}

std::vector<std::string> region_default_zones(std::string_view region) {
    const CatalogRegion* r = builtin_catalog_data().find_region(region);
    return r ? r->default_zones : std::vector<std::string>{};
}

std::string_view instance_family(std::string_view instance_type) {
    return family_of(instance_type);
}

std::string_view instance_size(std::string_view instance_type) {
    std::size_t dot = instance_type.find('.');
    return dot == std::string_view::npos ? std::string_view{} : instance_type.substr(dot + 1);
}

double normalization_factor(std::string_view size) {
    struct Named {
        const char* size;
        double factor;
    };
    static constexpr Named kNamed[] = {{"nano", 0.25}, {"micro", 0.5}, {"small", 1},
                                       {"medium", 2},  {"large", 4},   {"xlarge", 8}};
    for (const Named& n : kNamed)
        if (size == n.size) return n.factor;
    // "Nxlarge": N times an xlarge.
    constexpr std::string_view kXlarge = "xlarge";
    if (size.size() <= kXlarge.size() || size.substr(size.size() - kXlarge.size()) != kXlarge)
        return 0;
    double n = 0;
    for (char c : size.substr(0, size.size() - kXlarge.size())) {
        if (c < '0' || c > '9') return 0;
        n = n * 10 + (c - '0');
    }
    return 8 * n;
}

std::string_view db_class_family(std::string_view db_instance_class) {
    const std::size_t dot = db_instance_class.rfind('.');
    return dot == std::string_view::npos ? db_instance_class : db_instance_class.substr(0, dot);
}

double db_class_units(std::string_view db_instance_class, bool multi_az) {
    const std::size_t dot = db_instance_class.rfind('.');
    if (dot == std::string_view::npos) return 0;
    return normalization_factor(db_instance_class.substr(dot + 1)) * (multi_az ? 2 : 1);
}

std::vector<std::string> builtin_instance_types() {
    std::vector<std::string> out;
    for (const auto& t : builtin_catalog_data().instance_types)
        out.push_back(t.instance_type);
    return out;
}

std::vector<std::string> close_instance_types(std::string_view name,
                                              const std::vector<std::string>& candidates,
                                              std::size_t limit) {
    // Instance type names are short: a longer name gets no suggestion, so that a name of
    // megabytes costs nothing here (each distance costs its length times a candidate's).
    if (name.size() > detail::kMaxSuggestedWord) return {};
    std::vector<std::pair<std::size_t, std::string>> ranked;
    for (const auto& c : candidates) {
        std::size_t distance = detail::edit_distance(name, c);
        // A type of the same family is closer than any spelling neighbour of another family.
        if (family_of(c) != family_of(name)) distance += 100;
        ranked.emplace_back(distance, c);
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> out;
    for (const auto& [distance, c] : ranked) {
        // Another family counts only when its name is a near miss ("c6x" for "c6i").
        if (out.size() == limit || distance >= 100 + std::max<std::size_t>(3, name.size() / 3))
            break;
        out.push_back(c);
    }
    return out;
}

InstanceCatalog InstanceCatalog::builtin(std::string_view region) {
    InstanceCatalog catalog;
    if (!is_known_region(region)) return catalog;
    const CatalogData& data = builtin_catalog_data();
    catalog.price_list_date_ = kPriceListDate;
    for (const CatalogEc2Price& price : data.ec2_prices) {
        if (price.region != region) continue;
        const CatalogInstanceType* t = data.find_type(price.instance_type);
        if (!t) continue;  // check_catalog reports it; the test suite keeps the data clean
        InstanceTypeInfo info;
        info.name = t->instance_type;
        info.vcpu = t->vcpu;
        info.memory_gib = t->memory_gib;
        info.on_demand_hourly = price.on_demand_hourly;
        info.burstable = t->baseline_percent > 0;
        info.baseline_percent = t->baseline_percent;
        info.credits_per_hour = t->credits_per_hour;
        info.max_credits = t->max_credits;
        info.unlimited = family_of(info.name) != "t2";  // T2 launches in standard mode
        info.network_performance = t->network_performance;
        info.ebs_bandwidth_mbps = t->ebs_bandwidth_mbps;
        info.price_source = price.source;
        catalog.types_.push_back(std::move(info));
    }
    return catalog;
}

const InstanceTypeInfo* InstanceCatalog::find(std::string_view name) const {
    for (const auto& t : types_)
        if (t.name == name) return &t;
    return nullptr;
}

InstanceTypeInfo* InstanceCatalog::find(std::string_view name) {
    for (auto& t : types_)
        if (t.name == name) return &t;
    return nullptr;
}

std::vector<std::string> InstanceCatalog::names() const {
    std::vector<std::string> out;
    for (const auto& t : types_)
        out.push_back(t.name);
    return out;
}

void InstanceCatalog::add(InstanceTypeInfo info) {
    if (InstanceTypeInfo* existing = find(info.name)) {
        *existing = std::move(info);
    } else {
        types_.push_back(std::move(info));
    }
}

}  // namespace stratus::scenario
