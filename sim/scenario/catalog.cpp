#include "sim/scenario/catalog.hpp"

#include <algorithm>
#include <string_view>

namespace stratus::scenario {
namespace {

struct Row {
    const char* name;
    int vcpu;
    double memory_gib;
    double us_east_1;         // USD per hour
    double ap_northeast_2;    // USD per hour (approximate where the reference says so)
    double baseline_percent;  // burstable only, else 0
    double credits_per_hour;
    double max_credits;
};

// List prices of January 2026 as gathered in aws-semantics.md 4.3/4.4 and docs/pricing.md.
constexpr Row kRows[] = {
    {"t2.micro", 1, 1, 0.0116, 0.0144, 10, 6, 144},
    {"t2.medium", 2, 4, 0.0464, 0.0576, 20, 24, 576},
    {"t3.nano", 2, 0.5, 0.0052, 0.0065, 5, 6, 144},
    {"t3.micro", 2, 1, 0.0104, 0.013, 10, 12, 288},
    {"t3.small", 2, 2, 0.0208, 0.026, 20, 24, 576},
    {"t3.medium", 2, 4, 0.0416, 0.052, 20, 24, 576},
    {"t3.large", 2, 8, 0.0832, 0.104, 30, 36, 864},
    {"t3.xlarge", 4, 16, 0.1664, 0.208, 40, 96, 2304},
    {"t3.2xlarge", 8, 32, 0.3328, 0.416, 40, 192, 4608},
    {"m5.large", 2, 8, 0.096, 0.118, 0, 0, 0},
    {"m5.xlarge", 4, 16, 0.192, 0.236, 0, 0, 0},
    {"m5.2xlarge", 8, 32, 0.384, 0.472, 0, 0, 0},
    {"m5.4xlarge", 16, 64, 0.768, 0.944, 0, 0, 0},
    {"c5.large", 2, 4, 0.085, 0.096, 0, 0, 0},
    {"c5.xlarge", 4, 8, 0.17, 0.192, 0, 0, 0},
    {"c5.2xlarge", 8, 16, 0.34, 0.384, 0, 0, 0},
    {"r5.large", 2, 16, 0.126, 0.152, 0, 0, 0},
    {"r5.xlarge", 4, 32, 0.252, 0.304, 0, 0, 0},
    {"m6i.large", 2, 8, 0.096, 0.118, 0, 0, 0},
    {"m6i.xlarge", 4, 16, 0.192, 0.236, 0, 0, 0},
    {"m7g.large", 2, 8, 0.0816, 0.10, 0, 0, 0},
    {"m7g.xlarge", 4, 16, 0.1632, 0.20, 0, 0, 0},
};

}  // namespace

std::vector<std::string> known_regions() {
    return {"us-east-1", "ap-northeast-2"};
}

bool is_known_region(std::string_view region) {
    return region == "us-east-1" || region == "ap-northeast-2";
}

InstanceCatalog InstanceCatalog::builtin(std::string_view region) {
    InstanceCatalog catalog;
    if (!is_known_region(region)) return catalog;
    catalog.price_list_date_ = "2026-01";
    const bool seoul = region == "ap-northeast-2";
    for (const Row& r : kRows) {
        InstanceTypeInfo info;
        info.name = r.name;
        info.vcpu = r.vcpu;
        info.memory_gib = r.memory_gib;
        info.on_demand_hourly = seoul ? r.ap_northeast_2 : r.us_east_1;
        info.burstable = r.baseline_percent > 0;
        info.baseline_percent = r.baseline_percent;
        info.credits_per_hour = r.credits_per_hour;
        info.max_credits = r.max_credits;
        info.unlimited = std::string_view(r.name).rfind("t2.", 0) != 0;
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
