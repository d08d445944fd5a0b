#pragma once
// The built-in price list of a region for everything that is not an EC2 instance-hour: EBS,
// snapshots, public IPv4, load balancers, NAT gateways, data transfer, S3, RDS and Fargate, read
// from data/catalog/service_prices.csv (one row per region and figure, with its source; rows not
// checked against AWS say "unconfirmed"). On-demand instance prices stay in the
// InstanceCatalog (catalog.hpp); a scenario's [pricing] table overrides both through
// apply_overrides().
#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/spec.hpp"

namespace stratus::scenario {

class InstanceCatalog;

// One tier of internet egress: GB transferred this month beyond the previous tier's bound and
// up to `up_to_gb` cost `usd_per_gb`. AWS states the bounds in TB; 1 TB = 1024 GB as in the AWS
// Pricing Calculator. The last tier has no bound (up_to_gb = infinity).
struct EgressTier {
    double up_to_gb = 0;
    double usd_per_gb = 0;
};

// An RDS DB instance class, Single-AZ, On-Demand, MySQL/PostgreSQL (same list price for the
// classes kept here). Multi-AZ bills the standby too: about twice (the RDS pricing page).
struct RdsInstancePrice {
    std::string db_instance_class;  // "db.m5.large"
    double single_az_hourly = 0;    // USD per instance-hour
};

struct PriceList {
    std::string region;           // empty when the region has no built-in price list
    std::string price_list_date;  // "2026-01": list prices of that month

    // EBS (per GB-month, a month being kHoursPerMonth hours; billed per second, 60 s minimum).
    double ebs_gp3_gb_month = 0;
    double ebs_gp3_iops_month = 0;         // each provisioned IOPS above the free baseline
    double ebs_gp3_throughput_month = 0;   // each MiB/s above the free baseline
    double ebs_gp3_free_iops = 3000;       // included in the GB price
    double ebs_gp3_free_throughput = 125;  // MiB/s included in the GB price
    double snapshot_gb_month = 0;          // standard tier, incremental
    double snapshot_archive_gb_month = 0;  // archive tier, full copy, 90-day minimum
    // Public IPv4 (since 2024-02-01): every address, attached or idle, per IP-hour.
    double public_ipv4_hour = 0;
    // Elastic Load Balancing: hour (partial hours billed as full hours) plus capacity units.
    double alb_hour = 0;
    double alb_lcu_hour = 0;
    double nlb_hour = 0;
    double nlb_nlcu_hour = 0;
    double clb_hour = 0;
    double clb_gb = 0;
    // NAT gateway: per hour plus per GB processed (both directions).
    double nat_gateway_hour = 0;
    double nat_gateway_gb = 0;
    // Interface VPC endpoints (AWS PrivateLink): per endpoint per AZ-hour (a partial hour billed
    // as a full one) plus per GB processed, either direction (the first tier: 1 PB a month
    // across the region's interface endpoints). Gateway endpoints are free.
    double vpc_endpoint_hour = 0;
    double vpc_endpoint_gb = 0;
    // Data transfer: between AZs, charged on each side (so twice per GB crossing); internet
    // egress in monthly tiers after a free allowance aggregated across services. Ingress free.
    double inter_az_gb = 0;
    double internet_egress_free_gb_month = 0;
    std::vector<EgressTier> internet_egress_tiers;
    // S3 Standard storage per GB-month: the first 50 TB of the month's GB-months (in the
    // Region, over every bucket), then the next 450 TB, then over 500 TB (S3 pricing page).
    double s3_standard_gb_month = 0;
    double s3_standard_next_450tb_gb_month = 0;
    double s3_standard_over_500tb_gb_month = 0;
    // Fargate, Linux/x86: per vCPU-hour and per GB-hour of the task's size, billed per second
    // from the image pull to the task's stop, one minute at least.
    double fargate_vcpu_hour = 0;
    double fargate_gb_hour = 0;
    // Fargate Spot (FARGATE_SPOT tasks): the same units at AWS's current Spot rate, which
    // varies; the catalog holds 30 % of the On-Demand rate (AWS's "up to 70 %" discount).
    double fargate_spot_vcpu_hour = 0;
    double fargate_spot_gb_hour = 0;
    // Fargate Linux/ARM (runtime_platform.cpu_architecture = ARM64): the same units at the
    // ARM rates; ephemeral storage above the free 20 GB per GB-hour (either architecture).
    double fargate_arm_vcpu_hour = 0;
    double fargate_arm_gb_hour = 0;
    double fargate_spot_arm_vcpu_hour = 0;  // FARGATE_SPOT on ARM64: 30 % of the ARM rates
    double fargate_spot_arm_gb_hour = 0;
    double fargate_ephemeral_storage_gb_hour = 0;
    // Fargate Windows (runtime_platform.operating_system_family WINDOWS_SERVER_...): vCPUs and
    // memory at their own rates, plus an OS license fee per vCPU-hour (no Spot, x86 only).
    double fargate_windows_vcpu_hour = 0;
    double fargate_windows_gb_hour = 0;
    double fargate_windows_os_vcpu_hour = 0;
    // Amazon ECR: private repositories' images per GB-month; data transfer out of the region
    // to another region, per GB (a pull from another region's repository; within the region
    // it is free, and a NAT gateway on the way bills its processing as usual).
    double ecr_storage_gb_month = 0;
    double ecr_inter_region_gb = 0;
    // CloudWatch: a custom metric per month (the first 10,000 metrics' tier), prorated by the
    // hour, and CloudWatch Logs data ingested per GB (Container Insights' metrics and
    // performance log events).
    double cloudwatch_metric_month = 0;
    double cloudwatch_logs_gb = 0;
    double cloudwatch_logs_storage_gb_month = 0;  // CloudWatch Logs storage (archival)
    // S3 by storage class (S3StorageClass order): storage (the other classes; STANDARD's is
    // s3_standard_gb_month), requests, retrieval, lifecycle transitions into the class.
    struct S3ClassPrices {
        double gb_month = 0;         // storage per GB-month (first tier)
        double put_1000 = 0;         // PUT, COPY, POST, LIST requests per 1,000
        double get_1000 = 0;         // GET, SELECT and other requests per 1,000
        double retrieval_gb = 0;     // data a GET retrieves (IA, One Zone-IA, Glacier IR)
        double transition_1000 = 0;  // lifecycle transitions into the class per 1,000
        // Restores (GLACIER, DEEP_ARCHIVE), by retrieval tier: RestoreObject requests per
        // 1,000 and the data they retrieve per GB (Expedited: GLACIER only).
        double restore_expedited_1000 = 0, restore_standard_1000 = 0, restore_bulk_1000 = 0;
        double retrieval_expedited_gb = 0, retrieval_standard_gb = 0, retrieval_bulk_gb = 0;
    };
    std::array<S3ClassPrices, kS3StorageClassCount> s3{};
    double s3_intelligent_tiering_monitoring_1000 = 0;  // per 1,000 objects a month
    double s3_object_tags_10000 = 0;                    // per 10,000 object tags a month
    // INTELLIGENT_TIERING's infrequent access and archive instant access tiers, per GB-month
    // (its frequent access tier is s3[INTELLIGENT_TIERING].gb_month).
    double s3_intelligent_tiering_ia_gb_month = 0;
    double s3_intelligent_tiering_aia_gb_month = 0;
    // Its frequent access tier has STANDARD's volume tiers: the next 450 TB and over 500 TB of
    // the month's frequent access GB-months (the first 50 TB: s3[INTELLIGENT_TIERING].gb_month).
    double s3_intelligent_tiering_next_450tb_gb_month = 0;
    double s3_intelligent_tiering_over_500tb_gb_month = 0;
    // Storage per GB-month of a class.
    double s3_storage_gb_month(S3StorageClass c) const {
        return c == S3StorageClass::STANDARD ? s3_standard_gb_month
                                             : s3[static_cast<int>(c)].gb_month;
    }
    // The volume tiers of a class's storage (STANDARD and INTELLIGENT_TIERING's frequent access;
    // the other classes have one tier): the rate of each tier and the month's GB-months it
    // ends at, 50 TB and 500 TB (1 TB = 1,024 GB, as the S3 FAQ's example counts), the last
    // unbounded. A tier without a rate (0) keeps the tier below's.
    struct S3StorageTier {
        double up_to_gb_months = 0;
        double usd_per_gb_month = 0;
    };
    std::array<S3StorageTier, 3> s3_storage_tiers(S3StorageClass c) const;
    // T3/T3a/T4g unlimited mode: surplus credits, Linux, per vCPU-hour.
    double t_unlimited_surplus_vcpu_hour = 0;
    // RDS: instance-hours per class and gp2 storage (Single-AZ; Multi-AZ doubles both).
    std::vector<RdsInstancePrice> rds_instances;
    double rds_gp2_gb_month = 0;

    // [pricing] on_demand = { type = price }: kept here so the catalog keeps its own figures.
    std::map<std::string, double, std::less<>> on_demand_overrides;

    // The price list of a region with a built-in one; `region` stays empty otherwise.
    static PriceList builtin(std::string_view region);
    bool known() const { return !region.empty(); }

    // Replaces every figure the scenario's [pricing] table sets, and nothing else.
    void apply_overrides(const scenario::PricingSpec& pricing);

    // The on-demand hourly price of an instance type: a [pricing] override first, then the
    // catalog; empty for a type neither knows.
    std::optional<double> on_demand_hourly(const InstanceCatalog& catalog,
                                           std::string_view instance_type) const;
    // The Single-AZ hourly price of a DB instance class; empty for an unknown class.
    std::optional<double> rds_hourly(std::string_view db_instance_class) const;
};

// The figures a region's rows in data/catalog/service_prices.csv set (besides "rds:<class>").
const std::vector<std::string>& price_list_items();
bool is_price_list_item(std::string_view item);
// The S3 figures among them ("s3_standard_gb_month", "s3_glacier_put_1000", ...): what
// [pricing] s3 = { ... } may set.
const std::vector<std::string>& s3_price_items();
bool is_s3_price_item(std::string_view item);

// Hours in the month that GB-month prices are pro-rated over: 730 (= 8760 / 12), as the AWS
// Pricing Calculator uses. AWS's own bills divide by the hours of the calendar month; a
// simulation has no calendar, so the average month is the honest choice.
constexpr double kHoursPerMonth = 730.0;

}  // namespace stratus::scenario
