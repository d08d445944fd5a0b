#pragma once
// Defaults that drive the bill. A scenario that never says how large its responses are, how
// much it exchanges with its database or whether its clients reuse connections still pays for
// them, at the defaults. When the charges that come from such a default make up more than a
// quarter of the bill, `run` says so and names the key to set (docs/pricing.md, "Defaults
// that drive the bill").
#include <string>
#include <vector>

#include "sim/report/bill_summary.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::report {

// Share of the bill above which a default is pointed out.
constexpr double kDefaultCostShare = 0.25;

// One line per usage type whose cost is more than kDefaultCostShare of the bill and comes
// from defaults that a workload did not set, e.g. "data transfer out to the internet is 49 %
// of this bill, with the default of a response of 16384 bytes (16 KiB) (workload shop); set
// workload.shop.response_bytes". Empty when the bill is 0.
std::vector<std::string> default_cost_notes(const scenario::Spec& spec,
                                            const std::vector<BillRow>& bill);

}  // namespace stratus::report
