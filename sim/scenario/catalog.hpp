#pragma once
// The built-in EC2 instance catalog and on-demand price lists, per region. Figures come from
// AWS's public price list and the EC2 User Guide; docs/pricing.md lists each with its source and
// marks the approximate ones. A scenario's [[instance_type]] and [pricing] override them.
#include <string>
#include <string_view>
#include <vector>

namespace stratus::scenario {

struct InstanceTypeInfo {
    std::string name;
    int vcpu = 0;
    double memory_gib = 0;
    double on_demand_hourly = 0;  // USD, Linux, in this catalog's region
    double speed = 1.0;           // relative per-vCPU speed
    bool burstable = false;
    double baseline_percent = 0;  // per vCPU, burstable only
    double credits_per_hour = 0;
    double max_credits = 0;
    // Unlimited mode (T3, T3a, T4g launch in it) or standard (T2's default); burstable only.
    bool unlimited = true;
};

class InstanceCatalog {
  public:
    // The catalog of a region with a built-in price list; empty for an unknown region.
    static InstanceCatalog builtin(std::string_view region);

    const InstanceTypeInfo* find(std::string_view name) const;
    InstanceTypeInfo* find(std::string_view name);
    std::vector<std::string> names() const;
    void add(InstanceTypeInfo info);  // replaces an entry of the same name
    const std::string& price_list_date() const { return price_list_date_; }

  private:
    std::vector<InstanceTypeInfo> types_;
    std::string price_list_date_;
};

// Regions with a built-in price list and instance catalog.
std::vector<std::string> known_regions();
bool is_known_region(std::string_view region);

}  // namespace stratus::scenario
