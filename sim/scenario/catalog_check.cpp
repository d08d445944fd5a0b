#include "sim/scenario/catalog_check.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "sim/scenario/catalog.hpp"
#include "sim/scenario/price_list.hpp"

namespace stratus::scenario {
namespace {

enum File { kTypes, kPrices, kRegions, kServices };

// A derived price is its base price scaled by the sizes' normalization factors, rounded to five
// decimals; AWS's own rounding of a size differs from that by at most 0.0001 USD.
constexpr double kDerivedTolerance = 0.0001 + 1e-9;

bool valid_date(const std::string& s) {
    auto digits = [&](std::size_t from, std::size_t n) {
        for (std::size_t i = from; i < from + n; ++i)
            if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
        return true;
    };
    if (s.size() != 7 && s.size() != 10) return false;
    if (!digits(0, 4) || s[4] != '-' || !digits(5, 2)) return false;
    return s.size() == 7 || (s[7] == '-' && digits(8, 2));
}

// "aws-price-list/karpenter" -> "aws-price-list"; "derived:m5.large" -> "derived".
std::string source_kind(const std::string& source) {
    return source.substr(0, source.find_first_of("/:"));
}

struct Checker {
    const CatalogData& d;
    CatalogCheck& out;

    void add(CatalogProblem::Severity severity, File file, int line, std::string message) {
        out.problems.push_back({severity, kCatalogFiles[file], line, std::move(message)});
    }
    void error(File file, int line, std::string message) {
        add(CatalogProblem::Error, file, line, std::move(message));
    }

    void sourced(File file, int line, const std::string& source, const std::string& as_of) {
        if (source.empty()) error(file, line, "the row has no source");
        if (!valid_date(as_of))
            error(file, line,
                  fmt::format("as_of: expected a date such as 2026-01 or 2026-01-19, found \"{}\"",
                              as_of));
    }

    void check_types();
    void check_type_row(const CatalogInstanceType& t);
    void check_prices();
    void check_price_order();
    void check_derived(const CatalogEc2Price& p);
    void check_regions();
    void check_services();
};

void Checker::check_type_row(const CatalogInstanceType& t) {
    sourced(kTypes, t.line, t.source, t.as_of);
    const std::string_view family = instance_family(t.instance_type);
    const std::string_view size = instance_size(t.instance_type);
    if (family.empty() || size.empty() || normalization_factor(size) == 0)
        error(kTypes, t.line,
              fmt::format("`{}`: expected <family>.<size> with a size such as large or 2xlarge",
                          t.instance_type));
    if (t.vcpu <= 0 || t.memory_gib <= 0)
        error(kTypes, t.line,
              fmt::format("`{}`: vcpu and memory_gib must be > 0", t.instance_type));
    const bool t_family = !family.empty() && family[0] == 't';
    const bool has_credits = t.baseline_percent > 0 || t.credits_per_hour > 0 || t.max_credits > 0;
    if (has_credits != t_family) {
        error(kTypes, t.line,
              t_family ? fmt::format("`{}` is burstable: it needs its baseline and credits",
                                     t.instance_type)
                       : fmt::format("`{}`: baselines and CPU credits are for burstable (T) "
                                     "types only",
                                     t.instance_type));
        return;
    }
    if (!t_family) return;
    // The EC2 User Guide's rule: credits per hour = baseline per vCPU x vCPUs x 60 minutes, and
    // the balance holds at most 24 hours of them.
    const double earned = t.baseline_percent / 100 * t.vcpu * 60;
    if (std::abs(earned - t.credits_per_hour) > 1e-6)
        error(kTypes, t.line,
              fmt::format("`{}`: {} % of {} vCPUs earns {} credits per hour, not {}",
                          t.instance_type, t.baseline_percent, t.vcpu, earned, t.credits_per_hour));
    if (std::abs(24 * t.credits_per_hour - t.max_credits) > 1e-6)
        error(kTypes, t.line,
              fmt::format("`{}`: the maximum balance is 24 hours of credits ({}), not {}",
                          t.instance_type, 24 * t.credits_per_hour, t.max_credits));
}

void Checker::check_types() {
    std::set<std::string> seen, families_done;
    std::string family;
    const CatalogInstanceType* previous = nullptr;
    for (const auto& t : d.instance_types) {
        check_type_row(t);
        if (!seen.insert(t.instance_type).second)
            error(kTypes, t.line, fmt::format("`{}` is listed twice", t.instance_type));
        const std::string f(instance_family(t.instance_type));
        if (f != family) {
            if (!families_done.insert(f).second)
                error(kTypes, t.line,
                      fmt::format("the rows of family {} must be together, sizes in order", f));
            family = f;
            previous = nullptr;
        }
        if (previous) {
            const double before = normalization_factor(instance_size(previous->instance_type));
            const double now = normalization_factor(instance_size(t.instance_type));
            if (now <= before)
                error(kTypes, t.line,
                      fmt::format("`{}` comes after `{}`: sizes must be in increasing order",
                                  t.instance_type, previous->instance_type));
            if (t.vcpu < previous->vcpu || t.memory_gib <= previous->memory_gib ||
                t.ebs_bandwidth_mbps < previous->ebs_bandwidth_mbps)
                error(kTypes, t.line,
                      fmt::format("`{}` has fewer vCPUs, memory or EBS bandwidth than the "
                                  "smaller `{}`",
                                  t.instance_type, previous->instance_type));
        }
        previous = &t;
    }
}

void Checker::check_prices() {
    std::set<std::pair<std::string, std::string>> seen;
    // Families each region prices, and the types it prices.
    std::map<std::string, std::set<std::string>> families, types;
    for (const auto& p : d.ec2_prices) {
        sourced(kPrices, p.line, p.source, p.as_of);
        if (!d.find_type(p.instance_type))
            error(kPrices, p.line,
                  fmt::format("`{}` is not in instance_types.csv", p.instance_type));
        if (!d.find_region(p.region))
            error(kPrices, p.line, fmt::format("region `{}` is not in regions.csv", p.region));
        if (p.on_demand_hourly <= 0)
            error(kPrices, p.line,
                  fmt::format("`{}` in {}: the price must be > 0", p.instance_type, p.region));
        if (!seen.insert({p.instance_type, p.region}).second)
            error(kPrices, p.line,
                  fmt::format("`{}` in {} is priced twice", p.instance_type, p.region));
        families[p.region].insert(std::string(instance_family(p.instance_type)));
        types[p.region].insert(p.instance_type);
        if (p.source.rfind("derived:", 0) == 0) check_derived(p);
    }
    // A region that offers a family prices every size of it.
    for (const auto& r : d.regions)
        for (const auto& t : d.instance_types) {
            const std::string family(instance_family(t.instance_type));
            if (families[r.region].count(family) && !types[r.region].count(t.instance_type))
                error(kPrices, 0,
                      fmt::format("`{}` has no price in {}, which prices other {} sizes",
                                  t.instance_type, r.region, family));
        }
    check_price_order();
}

void Checker::check_price_order() {
    // Within a family and a region, a bigger size costs more.
    for (const auto& r : d.regions) {
        const CatalogEc2Price* previous = nullptr;
        for (const auto& t : d.instance_types) {
            const CatalogEc2Price* p = nullptr;
            for (const auto& row : d.ec2_prices)
                if (row.region == r.region && row.instance_type == t.instance_type) p = &row;
            if (!p) continue;
            if (previous &&
                instance_family(previous->instance_type) == instance_family(p->instance_type) &&
                p->on_demand_hourly <= previous->on_demand_hourly)
                error(kPrices, p->line,
                      fmt::format("`{}` costs {} in {}, no more than the smaller `{}` ({})",
                                  p->instance_type, p->on_demand_hourly, r.region,
                                  previous->instance_type, previous->on_demand_hourly));
            previous = p;
        }
    }
}

void Checker::check_derived(const CatalogEc2Price& p) {
    // "derived:<type>": the same region's <type> scaled by size; "derived:us-east-1 ...": the
    // us-east-1 price of the same type.
    const std::string base = p.source.substr(8, p.source.find(' ') - 8);
    const bool from_region = base == "us-east-1";
    const std::string base_type = from_region ? p.instance_type : base;
    const std::string base_region = from_region ? "us-east-1" : p.region;
    const CatalogEc2Price* b = nullptr;
    for (const auto& row : d.ec2_prices)
        if (row.instance_type == base_type && row.region == base_region) b = &row;
    if (!b || b->source.rfind("derived:", 0) == 0) {
        error(kPrices, p.line,
              fmt::format("`{}` in {} is derived from `{}` in {}, which is not a priced row of "
                          "its own",
                          p.instance_type, p.region, base_type, base_region));
        return;
    }
    const double expected = b->on_demand_hourly *
                            normalization_factor(instance_size(p.instance_type)) /
                            normalization_factor(instance_size(base_type));
    if (instance_family(base_type) != instance_family(p.instance_type) ||
        std::abs(expected - p.on_demand_hourly) > kDerivedTolerance)
        error(kPrices, p.line,
              fmt::format("`{}` in {} is {}, but derived from `{}` ({}) it is {:.5f}",
                          p.instance_type, p.region, p.on_demand_hourly, base_type,
                          b->on_demand_hourly, expected));
}

void Checker::check_regions() {
    std::set<std::string> seen;
    for (const auto& r : d.regions) {
        sourced(kRegions, r.line, r.source, r.as_of);
        if (!seen.insert(r.region).second)
            error(kRegions, r.line, fmt::format("region `{}` is listed twice", r.region));
        if (r.availability_zones.empty() || r.default_zones.empty())
            error(kRegions, r.line, fmt::format("`{}` needs its zones", r.region));
        for (const auto& az : r.availability_zones)
            if (az.size() != r.region.size() + 1 || az.rfind(r.region, 0) != 0 || az.back() < 'a' ||
                az.back() > 'z')
                error(kRegions, r.line,
                      fmt::format("zone `{}`: expected the region's name and a letter", az));
        for (const auto& az : r.default_zones)
            if (std::find(r.availability_zones.begin(), r.availability_zones.end(), az) ==
                r.availability_zones.end())
                error(kRegions, r.line,
                      fmt::format("default zone `{}` is not one of {}'s zones", az, r.region));
    }
}

void Checker::check_services() {
    std::map<std::string, std::set<std::string>> items;  // region -> items
    for (const auto& s : d.service_prices) {
        sourced(kServices, s.line, s.source, s.as_of);
        if (!d.find_region(s.region))
            error(kServices, s.line, fmt::format("region `{}` is not in regions.csv", s.region));
        if (!is_price_list_item(s.item))
            error(kServices, s.line,
                  fmt::format("unknown item `{}`; expected one of {} or rds:<class>", s.item,
                              fmt::join(price_list_items(), ", ")));
        if (!items[s.region].insert(s.item).second)
            error(kServices, s.line, fmt::format("`{}` is given twice for {}", s.item, s.region));
    }
    // Every region has every figure, and the same RDS classes as the first region.
    std::set<std::string> rds_classes;
    if (!d.regions.empty())
        for (const auto& i : items[d.regions.front().region])
            if (i.rfind("rds:", 0) == 0) rds_classes.insert(i);
    for (const auto& r : d.regions) {
        for (const auto& i : price_list_items())
            if (!items[r.region].count(i))
                error(kServices, 0, fmt::format("{} has no `{}`", r.region, i));
        for (const auto& c : rds_classes)
            if (!items[r.region].count(c))
                error(kServices, 0, fmt::format("{} has no `{}`", r.region, c));
    }
}

std::vector<std::pair<std::string, int>> count_sources(std::vector<std::string> sources) {
    std::map<std::string, int> counts;
    for (const auto& s : sources)
        ++counts[source_kind(s)];
    return {counts.begin(), counts.end()};
}

}  // namespace

std::size_t CatalogCheck::errors() const {
    return static_cast<std::size_t>(
        std::count_if(problems.begin(), problems.end(),
                      [](const CatalogProblem& p) { return p.severity == CatalogProblem::Error; }));
}

CatalogCheck check_catalog(const CatalogData& data) {
    CatalogCheck out;
    Checker c{data, out};
    c.check_types();
    c.check_regions();
    c.check_prices();
    c.check_services();
    std::vector<std::string> ec2, services;
    for (const auto& p : data.ec2_prices)
        ec2.push_back(p.source);
    for (const auto& s : data.service_prices)
        services.push_back(s.source);
    out.ec2_sources = count_sources(ec2);
    out.service_sources = count_sources(services);
    return out;
}

std::string format_catalog_check(const CatalogData& data, const CatalogCheck& check) {
    std::string out;
    for (const auto& p : check.problems)
        out += fmt::format("{}{}: {}: {}\n", p.file, p.line ? fmt::format(":{}", p.line) : "",
                           p.severity == CatalogProblem::Error ? "error" : "warning", p.message);
    auto sources = [](const std::vector<std::pair<std::string, int>>& counts) {
        std::vector<std::string> parts;
        for (const auto& [kind, n] : counts)
            parts.push_back(fmt::format("{} {}", n, kind));
        return fmt::format("{}", fmt::join(parts, ", "));
    };
    out += fmt::format(
        "catalog: {} instance types, {} regions, {} EC2 prices ({}), {} service prices ({}): "
        "{}\n",
        data.instance_types.size(), data.regions.size(), data.ec2_prices.size(),
        sources(check.ec2_sources), data.service_prices.size(), sources(check.service_sources),
        check.errors() ? fmt::format("{} errors", check.errors()) : std::string("consistent"));
    return out;
}

}  // namespace stratus::scenario
