#pragma once
// [[action]]: the settings a run changes, checked as the file's own values are, against the
// state each change will meet. A run applies an action's settings at its time, in the
// order the World does: scheduled actions and actions at one instant as they were scheduled
// (docs/scenario-format.md, "Scheduled changes"); the capacity settings of one group in one
// action together, as UpdateAutoScalingGroup does. So `validate` refuses what the run would
// otherwise do silently wrong: min_size above the max_size in force, a desired capacity
// outside the sizes in force, a version the group's template does not have. The run limits
// (cloud::check_run_limits) take the largest sizes and multipliers from here.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "sim/scenario/diagnostic.hpp"
#include "sim/scenario/settings.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::scenario {

// Every problem of the scenario's [[action]]s: a path that names no key of an existing
// element, a value of the wrong type or outside the key's range, a reference to nothing, a
// capacity that breaks min <= desired <= max in the state it meets. The Spec must otherwise
// be valid (names unique, references resolved).
std::vector<Diagnostic> check_actions(const Spec& spec);

// The largest size group `group` may reach during the run: the largest max_size (or
// min_size) the file, an action or a scheduled action gives it.
int largest_size(const Spec& spec, std::size_t group);

// A workload's rate multiplier over the run: (from, multiplier) steps in time order, the
// first (0, 1).
std::vector<std::pair<SimTime, double>> rate_multipliers(const Spec& spec,
                                                         const std::string& workload);

}  // namespace stratus::scenario
