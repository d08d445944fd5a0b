#pragma once
// What a scenario's bill rests on that the scenario does not say: the defaults of keys whose
// charges depend on them (the grammar's `.bills(...)` rows, settings.cpp), each instance type's
// relative speed, and the built-in prices with their sources. `stratus explain` prints it after
// the resolved scenario, so a planner sees which figures are ours and not theirs.
#include <string>
#include <vector>

#include "sim/scenario/spec.hpp"

namespace stratus::scenario {

struct CostDefault {
    // As --set names it ("workload.shop.response_bytes"); an instance type's speed, which has
    // no [[instance_type]] to set yet: `[[instance_type]] name = "m5.large", speed`.
    std::string path;
    std::string value;    // the default as users read it: "16384"
    std::string charges;  // what it drives: "data transfer out to the internet, ..."
    std::string basis;    // where the default comes from
};

// Every key of the scenario's resources that the bill depends on and the scenario leaves at its
// default (a key given in the file or with --set counts as set), in the grammar's order; then
// the speed of every instance type the scenario launches without an [[instance_type]] speed.
std::vector<CostDefault> cost_defaults(const Spec& spec);

// cost_defaults() and the prices the bill uses (the instance types' On-Demand prices and the
// region's price list, with their sources), as TOML comment lines: a file holding the resolved
// scenario followed by them loads as before. Empty when there is nothing to say.
std::string cost_defaults_text(const Spec& spec);

}  // namespace stratus::scenario
