#pragma once
// The built-in EC2 instance catalog and On-Demand price lists, per region, read from the data
// files data/catalog/instance_types.csv and ec2_prices.csv (catalog_data.hpp; every row names
// its source, data/catalog/README.md describes them). A scenario's [[instance_type]] and
// [pricing] override them.
#include <cstddef>
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
    std::string network_performance;  // as AWS writes it ("Up to 12.5 Gigabit")
    double ebs_bandwidth_mbps = 0;
    std::string price_source;  // the price row's source ("aws-price-list/...", "unconfirmed:...")
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
// A known region's zones: all of them, and the ones a scenario gets when it names none.
std::vector<std::string> region_availability_zones(std::string_view region);
std::vector<std::string> region_default_zones(std::string_view region);
// "m5.xlarge" -> "m5" and "xlarge".
std::string_view instance_family(std::string_view instance_type);
std::string_view instance_size(std::string_view instance_type);
// AWS's normalization factor of a size (Reserved Instance size flexibility): nano 0.25,
// micro 0.5, small 1, medium 2, large 4, xlarge 8, Nxlarge 8 x N; 0 for any other word
// (metal, an unknown size).
double normalization_factor(std::string_view size);
// An RDS DB instance class's family and normalized units (reserved DB instance size
// flexibility): "db.m5.large" -> "db.m5" and 4, twice that for a Multi-AZ deployment (its
// standby counts too); 0 for a size without a factor.
std::string_view db_class_family(std::string_view db_instance_class);
double db_class_units(std::string_view db_instance_class, bool multi_az);

// Every instance type of the built-in catalog (any region).
std::vector<std::string> builtin_instance_types();
// Up to `limit` names of `candidates` closest to `name`: same family first, then by spelling.
std::vector<std::string> close_instance_types(std::string_view name,
                                              const std::vector<std::string>& candidates,
                                              std::size_t limit = 5);

}  // namespace stratus::scenario
