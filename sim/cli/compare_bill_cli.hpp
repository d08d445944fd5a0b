#pragma once
// `stratus compare-bill RUN_DIR CUR.csv [--top N] [--scale]`: a run's bill.csv beside a real
// Cost and Usage Report extract (sim/report/compare_bill.hpp).
#include <cstddef>
#include <string>

#include <CLI/CLI.hpp>

namespace stratus::cli {

struct CompareBillOptions {
    std::string run_dir;  // holds bill.csv and summary.json
    std::string cur;      // the CUR extract (CSV)
    std::size_t top = 20;
    bool scale = false;  // scale the run to the CUR's period
};

CLI::App* add_compare_bill_command(CLI::App& app, CompareBillOptions& options);
// Exit status: 0 compared, 2 an unreadable or malformed input (nothing printed to stdout).
int run_compare_bill(const CompareBillOptions& options);

}  // namespace stratus::cli
