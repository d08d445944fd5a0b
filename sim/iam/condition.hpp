#pragma once
// The Condition element: every operator of "IAM JSON policy elements: Condition operators"
// against the request context, with IfExists, the set qualifiers ForAllValues/ForAnyValue and
// policy variables (docs/iam.md, "Conditions").
#include <optional>
#include <string_view>
#include <vector>

#include "sim/iam/match.hpp"
#include "sim/iam/policy.hpp"

namespace stratus::iam {

// One operator-key pair. Several values of the policy are alternatives (OR).
bool condition_holds(const Condition& condition, const RequestContext& context, bool variables);

// A statement's whole Condition element: every operator and every key must hold (AND).
bool conditions_hold(const std::vector<Condition>& conditions, const RequestContext& context,
                     bool variables);

// An ISO 8601 date or date-time ("2026-12-05", "2026-12-05T14:00:00Z", "...+09:00") or epoch
// seconds, as seconds since 1970-01-01 UTC.
std::optional<double> parse_date(std::string_view text);

}  // namespace stratus::iam
