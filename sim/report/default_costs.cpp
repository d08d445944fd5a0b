#include "sim/report/default_costs.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace stratus::report {
namespace {

// Which defaults of a workload a usage type's cost comes from: declared once, here.
struct CostDefault {
    const char* usage_type;           // as bill.csv names it
    const char* charge;               // as the note names the charge, with its verb
    std::array<const char*, 2> keys;  // the workload keys that set it (nullptr: none)
    bool needs_database;              // only workloads with a database pay it
};
constexpr CostDefault kCostDefaults[] = {
    {"DataTransfer-Out-Bytes", "data transfer out to the internet is", {"response_bytes"}, false},
    {"DataTransfer-Regional-Bytes",
     "data transfer between availability zones is",
     {"database_bytes"},
     true},
    // Billed on the largest of new connections, active connections and bytes processed.
    {"LCUUsage",
     "load balancer capacity units (LCUs) are",
     {"requests_per_connection", "response_bytes"},
     false},
};

// The default as the note words it, from WorkloadSpec's own default values.
std::string default_wording(const std::string& key) {
    const scenario::WorkloadSpec d;
    if (key == "response_bytes")
        return fmt::format("a response of {} bytes ({} KiB)", d.response_bytes,
                           d.response_bytes / 1024);
    if (key == "database_bytes")
        return fmt::format("{} bytes exchanged with the database per request", d.database_bytes);
    return fmt::format("{} request per client connection (no keep-alive)",
                       d.requests_per_connection);
}

// The file or --set gave the key (even at the default's value): the loader records its position.
bool given(const scenario::WorkloadSpec& w, const std::string& key) {
    return w.pos.count(key) != 0;
}

}  // namespace

std::vector<std::string> default_cost_notes(const scenario::Spec& spec,
                                            const std::vector<BillRow>& bill) {
    double total = 0;
    for (const BillRow& row : bill)
        total += row.cost_usd;
    std::vector<std::string> notes;
    if (total <= 0) return notes;
    for (const CostDefault& d : kCostDefaults) {
        double cost = 0;
        for (const BillRow& row : bill)
            if (row.usage_type == d.usage_type) cost += row.cost_usd;
        const double share = cost / total;
        if (share <= kDefaultCostShare) continue;
        std::vector<std::string> names, keys, defaults;
        for (const scenario::WorkloadSpec& w : spec.workload) {
            if (d.needs_database && w.database.empty()) continue;
            bool defaulted = false;
            for (const char* key : d.keys) {
                if (key == nullptr || given(w, key)) continue;
                defaulted = true;
                keys.push_back(fmt::format("workload.{}.{}", w.name, key));
                const std::string wording = default_wording(key);
                if (std::find(defaults.begin(), defaults.end(), wording) == defaults.end())
                    defaults.push_back(wording);
            }
            if (defaulted) names.push_back(w.name);
        }
        if (names.empty()) continue;
        notes.push_back(fmt::format(
            "{} {:.0f} % of this bill, with the default{} of {} "
            "(workload {}); set {}",
            d.charge, 100.0 * share, defaults.size() > 1 ? "s" : "", fmt::join(defaults, " and "),
            fmt::join(names, ", "), fmt::join(keys, ", ")));
    }
    return notes;
}

}  // namespace stratus::report
