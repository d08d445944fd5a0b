#pragma once
// `stratus catalog check [--data DIR]` and `stratus catalog list [--region R]`: the built-in
// catalog's data files (data/catalog/*.csv) checked for consistency, or listed for a region.
#include <string>

#include <CLI/CLI.hpp>

namespace stratus::cli {

struct CatalogOptions {
    CLI::App* check = nullptr;
    CLI::App* list = nullptr;
    std::string data_dir;  // check these files instead of the ones compiled in
    std::string region = "us-east-1";
};

CLI::App* add_catalog_command(CLI::App& app, CatalogOptions& options);
// Exit status: 0 consistent (or listed), 2 errors in the data or an unknown region.
int run_catalog(const CatalogOptions& options);

}  // namespace stratus::cli
