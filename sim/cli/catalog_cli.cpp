#include "sim/cli/catalog_cli.hpp"

#include <iostream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "sim/cli/exit_status.hpp"
#include "sim/scenario/catalog.hpp"
#include "sim/scenario/catalog_check.hpp"
#include "sim/scenario/catalog_data.hpp"

namespace stratus::cli {
namespace {

int check(const CatalogOptions& o) {
    scenario::CatalogData data;
    try {
        data = o.data_dir.empty() ? scenario::builtin_catalog_data()
                                  : scenario::parse_catalog(scenario::read_catalog_dir(o.data_dir));
    } catch (const scenario::CatalogDataError& e) {
        std::cerr << e.what() << '\n';
        return kExitUsage;
    }
    const scenario::CatalogCheck result = scenario::check_catalog(data);
    const std::string report = scenario::format_catalog_check(data, result);
    (result.errors() ? std::cerr : std::cout) << report;
    return result.errors() ? kExitUsage : kExitOk;
}

int list(const CatalogOptions& o) {
    if (!scenario::is_known_region(o.region)) {
        std::cerr << fmt::format(
            "stratus: error: no built-in catalog for region `{}`; built in: "
            "{}\n",
            o.region, fmt::join(scenario::known_regions(), ", "));
        return kExitUsage;
    }
    const auto catalog = scenario::InstanceCatalog::builtin(o.region);
    std::cout << fmt::format("{:<12} {:>4} {:>7} {:>9}  {:<20} {}\n", "type", "vCPU", "GiB",
                             "USD/hour", "network", "price source");
    for (const auto& name : catalog.names()) {
        const auto* t = catalog.find(name);
        std::cout << fmt::format("{:<12} {:>4} {:>7} {:>9}  {:<20} {}\n", t->name, t->vcpu,
                                 t->memory_gib, t->on_demand_hourly, t->network_performance,
                                 t->price_source);
    }
    std::cout << fmt::format("zones: {}\n",
                             fmt::join(scenario::region_availability_zones(o.region), " "));
    return kExitOk;
}

}  // namespace

CLI::App* add_catalog_command(CLI::App& app, CatalogOptions& o) {
    auto* catalog = app.add_subcommand(
        "catalog", "the built-in instance types and price lists (data/catalog/*.csv)");
    catalog->require_subcommand(1);
    o.check = catalog->add_subcommand(
        "check", "check the catalog's data files for consistency (exit 2 on an error)");
    o.check->add_option("--data", o.data_dir,
                        "a data/catalog folder to check instead of the files compiled in");
    o.list = catalog->add_subcommand("list", "list a region's instance types and prices");
    o.list->add_option("--region", o.region, "a region (default us-east-1)");
    return catalog;
}

int run_catalog(const CatalogOptions& o) {
    return o.check->parsed() ? check(o) : list(o);
}

}  // namespace stratus::cli
