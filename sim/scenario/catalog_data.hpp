#pragma once
// The catalog's data files as tables: data/catalog/instance_types.csv (what each type is),
// ec2_prices.csv (On-Demand Linux price per type and region), regions.csv (zones) and
// service_prices.csv (the non-EC2 figures the bill uses). Every row names its source and
// date; data/catalog/README.md says what each source is. The files are compiled into the
// binary (cmake/embed_catalog.cmake); `stratus catalog check` runs check_catalog on them.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace stratus::scenario {

struct CatalogInstanceType {
    std::string instance_type;  // "m6i.large"
    int vcpu = 0;
    double memory_gib = 0;
    std::string network_performance;  // as AWS writes it: "Up to 12.5 Gigabit", "Moderate"
    double ebs_bandwidth_mbps = 0;    // EBS-optimized bandwidth (the "up to" figure); 0: none
    double baseline_percent = 0;      // burstable only: baseline utilization per vCPU
    double credits_per_hour = 0;
    double max_credits = 0;
    std::string processor;
    std::string source, as_of;
    int line = 0;
};

struct CatalogEc2Price {
    std::string instance_type, region;
    double on_demand_hourly = 0;  // USD, Linux, shared tenancy
    std::string source, as_of;
    int line = 0;
};

struct CatalogRegion {
    std::string region;                           // "eu-west-1"
    std::string location;                         // the Price List's name: "EU (Ireland)"
    std::vector<std::string> availability_zones;  // every zone of the region
    std::vector<std::string> default_zones;       // a scenario's zones when it names none
    std::string source, as_of;
    int line = 0;
};

struct CatalogServicePrice {
    std::string region, item;  // item: a PriceList figure ("nat_gateway_hour"), "rds:<class>"
    double value = 0;
    std::string unit, source, as_of;
    int line = 0;
};

struct CatalogData {
    std::vector<CatalogInstanceType> instance_types;
    std::vector<CatalogEc2Price> ec2_prices;
    std::vector<CatalogRegion> regions;
    std::vector<CatalogServicePrice> service_prices;

    const CatalogInstanceType* find_type(std::string_view instance_type) const;
    const CatalogRegion* find_region(std::string_view region) const;
};

// The text of the four files, in the order above.
struct CatalogTexts {
    std::string instance_types, ec2_prices, regions, service_prices;
};

// A malformed data file: "data/catalog/ec2_prices.csv:12: expected a number ...".
class CatalogDataError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// The data files' names, relative to the repository root.
inline constexpr const char* kCatalogFiles[] = {
    "data/catalog/instance_types.csv", "data/catalog/ec2_prices.csv", "data/catalog/regions.csv",
    "data/catalog/service_prices.csv"};

// Parses the four files (header line first, then one row per line); throws CatalogDataError.
CatalogData parse_catalog(const CatalogTexts& texts);
// The files compiled into this binary, parsed once.
const CatalogData& builtin_catalog_data();
CatalogTexts builtin_catalog_texts();
// The files of a repository's data/catalog folder (for checking an edit before building).
CatalogTexts read_catalog_dir(const std::string& dir);

}  // namespace stratus::scenario
