#pragma once
// Simulated time: an integer count of microseconds since the start of the run. Never a double,
// so event ordering is exact and runs are reproducible bit for bit.
#include <cstdint>
#include <limits>

namespace stratus {

using SimTime = std::int64_t;

constexpr SimTime kMicrosecond = 1;
constexpr SimTime kMillisecond = 1000;
constexpr SimTime kSecond = 1000 * kMillisecond;
constexpr SimTime kMinute = 60 * kSecond;
constexpr SimTime kHour = 60 * kMinute;
constexpr SimTime kDay = 24 * kHour;
constexpr SimTime kNever = std::numeric_limits<SimTime>::max();

constexpr SimTime from_seconds(double s) {
    return static_cast<SimTime>(s * kSecond + (s >= 0 ? 0.5 : -0.5));
}
constexpr double to_seconds(SimTime t) {
    return static_cast<double>(t) / kSecond;
}
constexpr double to_millis(SimTime t) {
    return static_cast<double>(t) / kMillisecond;
}

}  // namespace stratus
