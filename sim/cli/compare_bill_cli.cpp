#include "sim/cli/compare_bill_cli.hpp"

#include <iostream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/cli/exit_status.hpp"
#include "sim/core/files.hpp"
#include "sim/report/compare_bill.hpp"

namespace stratus::cli {
namespace {

// A month of CUR lines for a large account runs to hundreds of MB; an extract is smaller.
constexpr std::uint64_t kMaxCurBytes = 1024 * files::kMiB;
constexpr std::uint64_t kMaxRunFileBytes = 256 * files::kMiB;

}  // namespace

CLI::App* add_compare_bill_command(CLI::App& app, CompareBillOptions& o) {
    auto* cmd = app.add_subcommand(
        "compare-bill",
        "put a run's bill beside a real Cost and Usage Report extract, by service and usage "
        "type, where they differ most first");
    cmd->add_option("RUN_DIR", o.run_dir, "a run's output folder (bill.csv, summary.json)")
        ->required();
    cmd->add_option("CUR", o.cur,
                    "a CUR extract (CSV with lineItem/ProductCode, lineItem/UsageType, "
                    "lineItem/UnblendedCost; CUR 2.0 names too)")
        ->required();
    cmd->add_option("--top", o.top, "rows to show (default 20)")->check(CLI::PositiveNumber);
    cmd->add_flag("--scale", o.scale,
                  "multiply the run's figures by the CUR's period over the run's length (needs "
                  "the CUR's usage dates)");
    return cmd;
}

int run_compare_bill(const CompareBillOptions& o) {
    std::string bill, summary, cur;
    const std::string bill_path = o.run_dir + "/bill.csv",
                      summary_path = o.run_dir + "/summary.json";
    try {
        bill = files::read_regular_file(bill_path, kMaxRunFileBytes, "bill files");
        summary = files::read_regular_file(summary_path, kMaxRunFileBytes, "summary files");
        cur = files::read_regular_file(o.cur, kMaxCurBytes, "Cost and Usage Report extracts");
    } catch (const files::FileError& e) {
        std::cerr << fmt::format("{}: error: cannot read it: {}\n", e.path(), e.reason());
        return kExitUsage;
    }
    double run_hours = 0;
    try {
        run_hours = nlohmann::json::parse(summary).at("duration_s").get<double>() / 3600.0;
    } catch (const nlohmann::json::exception& e) {
        std::cerr << fmt::format("{}: error: no duration_s in it ({})\n", summary_path, e.what());
        return kExitUsage;
    }
    try {
        const auto c = report::compare_bill(bill, run_hours, cur, o.cur, o.scale);
        std::cout << report::format_comparison(c, o.top);
    } catch (const std::runtime_error& e) {
        std::cerr << "stratus: compare-bill: " << e.what() << '\n';
        return kExitUsage;
    }
    return kExitOk;
}

}  // namespace stratus::cli
