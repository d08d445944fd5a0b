#pragma once
// Simulated time: an integer count of microseconds since the start of the run. Never a double,
// so event ordering is exact and runs are reproducible bit for bit.
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

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

// A time into the run as people write it: "14h10m", "5m", "1d2h", "45s", "1m 250ms".
inline std::string elapsed_text(SimTime t) {
    if (t <= 0) return "0s";
    std::string out;
    const std::pair<SimTime, const char*> units[] = {
        {kDay, "d"}, {kHour, "h"}, {kMinute, "m"}, {kSecond, "s"}};
    for (const auto& [scale, name] : units) {
        if (t >= scale) out += std::to_string(t / scale) + name;
        t %= scale;
    }
    if (t > 0) out += (out.empty() ? "" : " ") + std::to_string(t / kMillisecond) + "ms";
    return out;
}

}  // namespace stratus
