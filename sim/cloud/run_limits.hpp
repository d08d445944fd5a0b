#pragma once
// Limits of a run, checked before it starts (sim/scenario/limits.hpp has the figures):
// inputs whose run would take days or more memory than the machine has are refused with what
// to do instead.
#include <vector>

#include "sim/scenario/diagnostic.hpp"
#include "sim/scenario/limits.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

std::vector<scenario::Diagnostic> check_run_limits(const scenario::Spec& spec);

}  // namespace stratus::cloud
