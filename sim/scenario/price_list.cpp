#include "sim/scenario/price_list.hpp"

#include <algorithm>
#include <iterator>
#include <limits>

#include <fmt/format.h>

#include "sim/scenario/catalog.hpp"
#include "sim/scenario/catalog_data.hpp"

namespace stratus::scenario {
namespace {

constexpr double kGbPerTb = 1024;  // the AWS Pricing Calculator's TB for transfer tiers
constexpr double kUnbounded = std::numeric_limits<double>::infinity();

// The PriceList figure a data row sets (data/catalog/service_prices.csv, column `item`).
double* field(PriceList& p, std::string_view item) {
    struct Item {
        const char* name;
        double PriceList::*member;
    };
    static constexpr Item kItems[] = {
        {"ebs_gp3_gb_month", &PriceList::ebs_gp3_gb_month},
        {"ebs_gp3_iops_month", &PriceList::ebs_gp3_iops_month},
        {"ebs_gp3_throughput_month", &PriceList::ebs_gp3_throughput_month},
        {"snapshot_gb_month", &PriceList::snapshot_gb_month},
        {"snapshot_archive_gb_month", &PriceList::snapshot_archive_gb_month},
        {"public_ipv4_hour", &PriceList::public_ipv4_hour},
        {"alb_hour", &PriceList::alb_hour},
        {"alb_lcu_hour", &PriceList::alb_lcu_hour},
        {"nlb_hour", &PriceList::nlb_hour},
        {"nlb_nlcu_hour", &PriceList::nlb_nlcu_hour},
        {"clb_hour", &PriceList::clb_hour},
        {"clb_gb", &PriceList::clb_gb},
        {"nat_gateway_hour", &PriceList::nat_gateway_hour},
        {"nat_gateway_gb", &PriceList::nat_gateway_gb},
        {"vpc_endpoint_hour", &PriceList::vpc_endpoint_hour},
        {"vpc_endpoint_gb", &PriceList::vpc_endpoint_gb},
        {"inter_az_gb", &PriceList::inter_az_gb},
        {"internet_egress_free_gb_month", &PriceList::internet_egress_free_gb_month},
        {"s3_standard_gb_month", &PriceList::s3_standard_gb_month},
        {"t_unlimited_surplus_vcpu_hour", &PriceList::t_unlimited_surplus_vcpu_hour},
        {"rds_gp2_gb_month", &PriceList::rds_gp2_gb_month},
        {"fargate_vcpu_hour", &PriceList::fargate_vcpu_hour},
        {"fargate_gb_hour", &PriceList::fargate_gb_hour},
        {"fargate_spot_vcpu_hour", &PriceList::fargate_spot_vcpu_hour},
        {"fargate_spot_gb_hour", &PriceList::fargate_spot_gb_hour},
        {"fargate_arm_vcpu_hour", &PriceList::fargate_arm_vcpu_hour},
        {"fargate_arm_gb_hour", &PriceList::fargate_arm_gb_hour},
        {"fargate_spot_arm_vcpu_hour", &PriceList::fargate_spot_arm_vcpu_hour},
        {"fargate_spot_arm_gb_hour", &PriceList::fargate_spot_arm_gb_hour},
        {"fargate_ephemeral_storage_gb_hour", &PriceList::fargate_ephemeral_storage_gb_hour},
        {"fargate_windows_vcpu_hour", &PriceList::fargate_windows_vcpu_hour},
        {"fargate_windows_gb_hour", &PriceList::fargate_windows_gb_hour},
        {"fargate_windows_os_vcpu_hour", &PriceList::fargate_windows_os_vcpu_hour},
        {"ecr_storage_gb_month", &PriceList::ecr_storage_gb_month},
        {"ecr_inter_region_gb", &PriceList::ecr_inter_region_gb},
        {"cloudwatch_metric_month", &PriceList::cloudwatch_metric_month},
        {"cloudwatch_logs_gb", &PriceList::cloudwatch_logs_gb},
        {"cloudwatch_logs_storage_gb_month", &PriceList::cloudwatch_logs_storage_gb_month},
    };
    for (const Item& i : kItems)
        if (item == i.name) return &(p.*i.member);
    return nullptr;
}

// Internet egress tiers per month, in the order AWS lists them: the first 10 TB, the next 40,
// the next 100, everything over 150 TB.
struct EgressTierItem {
    const char* name;
    double up_to_gb;
};
constexpr EgressTierItem kEgressTiers[] = {
    {"internet_egress_first_10tb_gb", 10 * kGbPerTb},
    {"internet_egress_next_40tb_gb", 50 * kGbPerTb},
    {"internet_egress_next_100tb_gb", 150 * kGbPerTb},
    {"internet_egress_over_150tb_gb", kUnbounded},
};

// S3 figures: "s3_" + the class's name in lower case + "_" + the figure. Storage of STANDARD
// is the field above; retrieval is charged by the classes a GET pays it for.
struct S3Figure {
    const char* suffix;
    double PriceList::S3ClassPrices::*member;
};
constexpr S3Figure kS3Figures[] = {
    {"gb_month", &PriceList::S3ClassPrices::gb_month},
    {"put_1000", &PriceList::S3ClassPrices::put_1000},
    {"get_1000", &PriceList::S3ClassPrices::get_1000},
    {"retrieval_gb", &PriceList::S3ClassPrices::retrieval_gb},
    {"transition_1000", &PriceList::S3ClassPrices::transition_1000},
    {"restore_expedited_1000", &PriceList::S3ClassPrices::restore_expedited_1000},
    {"restore_standard_1000", &PriceList::S3ClassPrices::restore_standard_1000},
    {"restore_bulk_1000", &PriceList::S3ClassPrices::restore_bulk_1000},
    {"retrieval_expedited_gb", &PriceList::S3ClassPrices::retrieval_expedited_gb},
    {"retrieval_standard_gb", &PriceList::S3ClassPrices::retrieval_standard_gb},
    {"retrieval_bulk_gb", &PriceList::S3ClassPrices::retrieval_bulk_gb},
};
constexpr const char* kS3ClassNames[kS3StorageClassCount] = {
    "standard",   "standard_ia", "onezone_ia",  "intelligent_tiering",
    "glacier_ir", "glacier",     "deep_archive"};
constexpr const char* kS3Monitoring = "s3_intelligent_tiering_monitoring_1000";
constexpr const char* kS3TierIa = "s3_intelligent_tiering_ia_gb_month";
constexpr const char* kS3TierAia = "s3_intelligent_tiering_aia_gb_month";
constexpr const char* kS3Tags = "s3_object_tags_10000";
// The storage volume tiers above the first 50 TB (STANDARD's first is s3_standard_gb_month,
// INTELLIGENT_TIERING's s3_intelligent_tiering_gb_month).
struct S3TierItem {
    const char* name;
    double PriceList::*member;
};
constexpr S3TierItem kS3Tiers[] = {
    {"s3_standard_next_450tb_gb_month", &PriceList::s3_standard_next_450tb_gb_month},
    {"s3_standard_over_500tb_gb_month", &PriceList::s3_standard_over_500tb_gb_month},
    {"s3_intelligent_tiering_next_450tb_gb_month",
     &PriceList::s3_intelligent_tiering_next_450tb_gb_month},
    {"s3_intelligent_tiering_over_500tb_gb_month",
     &PriceList::s3_intelligent_tiering_over_500tb_gb_month},
};

bool s3_figure_exists(int c, std::string_view suffix) {
    const auto cls = static_cast<S3StorageClass>(c);
    if (suffix == "gb_month" || suffix == "transition_1000") return cls != S3StorageClass::STANDARD;
    if (suffix == "retrieval_gb")
        return cls == S3StorageClass::STANDARD_IA || cls == S3StorageClass::ONEZONE_IA ||
               cls == S3StorageClass::GLACIER_IR;
    // Restores: the archive classes; Expedited only from GLACIER.
    if (suffix.find("expedited") != std::string_view::npos) return cls == S3StorageClass::GLACIER;
    if (suffix.rfind("restore_", 0) == 0 || suffix.rfind("retrieval_", 0) == 0)
        return cls == S3StorageClass::GLACIER || cls == S3StorageClass::DEEP_ARCHIVE;
    return true;
}

double* s3_field(PriceList& p, std::string_view item) {
    if (item == kS3Monitoring) return &p.s3_intelligent_tiering_monitoring_1000;
    if (item == kS3TierIa) return &p.s3_intelligent_tiering_ia_gb_month;
    if (item == kS3TierAia) return &p.s3_intelligent_tiering_aia_gb_month;
    if (item == kS3Tags) return &p.s3_object_tags_10000;
    for (const S3TierItem& t : kS3Tiers)
        if (item == t.name) return &(p.*t.member);
    for (int c = 0; c < kS3StorageClassCount; ++c)
        for (const S3Figure& f : kS3Figures)
            if (s3_figure_exists(c, f.suffix) &&
                item == fmt::format("s3_{}_{}", kS3ClassNames[c], f.suffix))
                return &(p.s3[c].*f.member);
    return nullptr;
}

}  // namespace

const std::vector<std::string>& s3_price_items() {
    static const std::vector<std::string> kNames = [] {
        std::vector<std::string> out{"s3_standard_gb_month"};
        for (int c = 0; c < kS3StorageClassCount; ++c)
            for (const S3Figure& f : kS3Figures)
                if (s3_figure_exists(c, f.suffix))
                    out.push_back(fmt::format("s3_{}_{}", kS3ClassNames[c], f.suffix));
        out.emplace_back(kS3Monitoring);
        out.emplace_back(kS3TierIa);
        out.emplace_back(kS3TierAia);
        out.emplace_back(kS3Tags);
        for (const S3TierItem& t : kS3Tiers)
            out.emplace_back(t.name);
        return out;
    }();
    return kNames;
}

bool is_s3_price_item(std::string_view item) {
    const auto& names = s3_price_items();
    return std::find(names.begin(), names.end(), item) != names.end();
}

const std::vector<std::string>& price_list_items() {
    static const std::vector<std::string> kNames = [] {
        std::vector<std::string> out;
        PriceList p;
        for (const char* n : {"ebs_gp3_gb_month",
                              "ebs_gp3_iops_month",
                              "ebs_gp3_throughput_month",
                              "snapshot_gb_month",
                              "snapshot_archive_gb_month",
                              "public_ipv4_hour",
                              "alb_hour",
                              "alb_lcu_hour",
                              "nlb_hour",
                              "nlb_nlcu_hour",
                              "clb_hour",
                              "clb_gb",
                              "nat_gateway_hour",
                              "nat_gateway_gb",
                              "vpc_endpoint_hour",
                              "vpc_endpoint_gb",
                              "inter_az_gb",
                              "internet_egress_free_gb_month",
                              "s3_standard_gb_month",
                              "t_unlimited_surplus_vcpu_hour",
                              "rds_gp2_gb_month",
                              "fargate_vcpu_hour",
                              "fargate_gb_hour",
                              "fargate_spot_vcpu_hour",
                              "fargate_spot_gb_hour",
                              "fargate_arm_vcpu_hour",
                              "fargate_arm_gb_hour",
                              "fargate_spot_arm_vcpu_hour",
                              "fargate_spot_arm_gb_hour",
                              "fargate_ephemeral_storage_gb_hour",
                              "fargate_windows_vcpu_hour",
                              "fargate_windows_gb_hour",
                              "fargate_windows_os_vcpu_hour",
                              "ecr_storage_gb_month",
                              "ecr_inter_region_gb",
                              "cloudwatch_metric_month",
                              "cloudwatch_logs_gb",
                              "cloudwatch_logs_storage_gb_month"})
            if (field(p, n)) out.emplace_back(n);
        for (const EgressTierItem& t : kEgressTiers)
            out.emplace_back(t.name);
        for (const auto& item : s3_price_items())
            if (item != "s3_standard_gb_month") out.push_back(item);
        return out;
    }();
    return kNames;
}

bool is_price_list_item(std::string_view item) {
    if (item.rfind("rds:", 0) == 0) return true;
    const auto& names = price_list_items();
    return std::find(names.begin(), names.end(), item) != names.end();
}

PriceList PriceList::builtin(std::string_view region) {
    PriceList p;
    if (!is_known_region(region)) return p;
    p.region = std::string(region);
    p.price_list_date = "2026-01";  // the same list date as the instance catalog
    std::vector<double> tiers(std::size(kEgressTiers), 0);
    for (const CatalogServicePrice& row : builtin_catalog_data().service_prices) {
        if (row.region != region) continue;
        if (row.item.rfind("rds:", 0) == 0) {
            p.rds_instances.push_back({row.item.substr(4), row.value});
        } else if (double* f = field(p, row.item)) {
            *f = row.value;
        } else if (double* s3 = s3_field(p, row.item)) {
            *s3 = row.value;
        } else {
            for (std::size_t i = 0; i < std::size(kEgressTiers); ++i)
                if (row.item == kEgressTiers[i].name) tiers[i] = row.value;
        }
    }
    for (std::size_t i = 0; i < std::size(kEgressTiers); ++i)
        p.internet_egress_tiers.push_back({kEgressTiers[i].up_to_gb, tiers[i]});
    return p;
}

void PriceList::apply_overrides(const scenario::PricingSpec& pricing) {
    if (!pricing.present) return;
    for (const auto& [type, price] : pricing.on_demand)
        on_demand_overrides[type] = price;
    auto set = [](double& field, const std::optional<double>& v) {
        if (v) field = *v;
    };
    set(ebs_gp3_gb_month, pricing.ebs_gp3_gb_month);
    set(public_ipv4_hour, pricing.public_ipv4_hour);
    set(alb_hour, pricing.alb_hour);
    set(alb_lcu_hour, pricing.alb_lcu_hour);
    set(nat_gateway_hour, pricing.nat_gateway_hour);
    set(nat_gateway_gb, pricing.nat_gateway_gb);
    set(vpc_endpoint_hour, pricing.vpc_endpoint_hour);
    set(vpc_endpoint_gb, pricing.vpc_endpoint_gb);
    set(inter_az_gb, pricing.inter_az_gb);
    set(snapshot_gb_month, pricing.snapshot_gb_month);
    set(s3_standard_gb_month, pricing.s3_standard_gb_month);
    set(fargate_vcpu_hour, pricing.fargate_vcpu_hour);
    set(fargate_gb_hour, pricing.fargate_gb_hour);
    set(fargate_spot_vcpu_hour, pricing.fargate_spot_vcpu_hour);
    set(fargate_spot_gb_hour, pricing.fargate_spot_gb_hour);
    set(ecr_storage_gb_month, pricing.ecr_storage_gb_month);
    set(ecr_inter_region_gb, pricing.ecr_inter_region_gb);
    set(cloudwatch_metric_month, pricing.cloudwatch_metric_month);
    set(cloudwatch_logs_gb, pricing.cloudwatch_logs_gb);
    set(cloudwatch_logs_storage_gb_month, pricing.cloudwatch_logs_storage_gb_month);
    for (const auto& [item, price] : pricing.s3) {
        if (item == "s3_standard_gb_month") s3_standard_gb_month = price;
        if (double* f = s3_field(*this, item)) *f = price;
    }
}

std::array<PriceList::S3StorageTier, 3> PriceList::s3_storage_tiers(S3StorageClass c) const {
    const double first = s3_storage_gb_month(c);
    std::array<S3StorageTier, 3> out{
        {{50 * kGbPerTb, first}, {500 * kGbPerTb, first}, {kUnbounded, first}}};
    double next = 0, over = 0;
    if (c == S3StorageClass::STANDARD) {
        next = s3_standard_next_450tb_gb_month;
        over = s3_standard_over_500tb_gb_month;
    } else if (c == S3StorageClass::INTELLIGENT_TIERING) {
        next = s3_intelligent_tiering_next_450tb_gb_month;
        over = s3_intelligent_tiering_over_500tb_gb_month;
    }
    if (next > 0) out[1].usd_per_gb_month = out[2].usd_per_gb_month = next;
    if (over > 0) out[2].usd_per_gb_month = over;
    return out;
}

std::optional<double> PriceList::on_demand_hourly(const InstanceCatalog& catalog,
                                                  std::string_view instance_type) const {
    if (auto it = on_demand_overrides.find(instance_type); it != on_demand_overrides.end())
        return it->second;
    if (const InstanceTypeInfo* info = catalog.find(instance_type)) return info->on_demand_hourly;
    return std::nullopt;
}

std::optional<double> PriceList::rds_hourly(std::string_view db_instance_class) const {
    for (const RdsInstancePrice& r : rds_instances)
        if (r.db_instance_class == db_instance_class) return r.single_az_hourly;
    return std::nullopt;
}

}  // namespace stratus::scenario
