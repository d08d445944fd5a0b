#pragma once
// How many entries a scenario's sections and lists may hold (docs/hardening.md). Checks that
// relate entries to each other (names, references, overlaps) and the World's wiring are not all
// linear; these limits keep their worst case within a second, and are far above any real
// scenario. Checked before validation, so that a file of a million sections is refused at
// once instead of being compared pair by pair.
#include <cstddef>

#include "sim/scenario/internal.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::scenario::detail {

constexpr std::size_t kMaxSectionEntries = 10000;  // [[autoscaling_group]], [[ebs_snapshot]], ...
constexpr std::size_t kMaxListEntries = 10000;     // spikes, step adjustments, ingress rules, ...
constexpr std::size_t kMaxAvailabilityZones = 32;  // region.availability_zones

// Reports every section and list over its limit; false when there was one.
bool check_sizes(const Spec& spec, Diagnostics& diags);

}  // namespace stratus::scenario::detail
