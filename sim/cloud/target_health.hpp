#pragma once
// The health states of an ELB target, as the DescribeTargetHealth API names them (their text
// is the API's lower-case value: "initial", "healthy", ...).

namespace stratus::cloud {

enum class TargetHealthState { Initial, Healthy, Unhealthy, Unused, Draining, Unavailable };
const char* to_string(TargetHealthState s);

}  // namespace stratus::cloud
