#include "sim/core/random.hpp"

#include <cmath>

namespace stratus {

std::uint64_t stream_seed(std::uint64_t master_seed, std::string_view name) {
    std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a offset basis
    for (unsigned char c : name) {
        h ^= c;
        h *= 0x100000001b3ull;
    }
    std::uint64_t z = h ^ (master_seed + 0x9e3779b97f4a7c15ull);
    // splitmix64 finaliser
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

double RandomStream::uniform01() {
    // 53 random bits -> [0, 1), identical on every platform (unlike std:: distributions).
    return static_cast<double>(engine_() >> 11) * 0x1.0p-53;
}

double RandomStream::normal(double mean, double sd) {
    // Box-Muller, one value per call: simple and platform-independent.
    double u1 = uniform01_open_low();
    double u2 = uniform01();
    double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
    return mean + sd * z;
}

std::uint64_t RandomStream::below(std::uint64_t n) {
    if (n <= 1) return 0;
    // Rejection sampling for an unbiased result.
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    std::uint64_t x;
    do {
        x = engine_();
    } while (x >= limit);
    return x % n;
}

namespace {

// std::llround(v) for v > 0 (half away from zero), without the library call: v - floor(v) is
// exact below 2^52, and above it v is a whole number.
SimTime round_positive(double v) {
    if (v >= 0x1p62) return static_cast<SimTime>(std::llround(v));  // out of range: as before
    auto r = static_cast<SimTime>(v);  // truncation: the floor for v > 0
    if (v - static_cast<double>(r) >= 0.5) ++r;
    return r;
}

}  // namespace

SimTime RandomStream::sample(const DurationDist& d) {
    double v = 0;
    switch (d.kind) {
        case DistKind::Constant:
            return d.mean;
        case DistKind::Exponential:
            v = exponential(static_cast<double>(d.mean));
            break;
        case DistKind::Normal: {
            // Truncated at 0 by resampling; a distribution mostly below zero is clamped after
            // a bounded number of tries so that a run always makes progress.
            for (int i = 0; i < 64; ++i) {
                v = normal(static_cast<double>(d.mean), static_cast<double>(d.sd));
                if (v >= 0) break;
            }
            break;
        }
        case DistKind::Lognormal: {
            const double s2 = std::log(1.0 + d.cv * d.cv);
            const double mu = std::log(static_cast<double>(d.mean)) - s2 / 2.0;
            v = std::exp(normal(mu, std::sqrt(s2)));
            break;
        }
        case DistKind::Uniform:
            v = static_cast<double>(d.min) + uniform01() * static_cast<double>(d.max - d.min);
            break;
        case DistKind::Empirical:
            if (d.samples.empty()) return 0;
            return d.samples[below(d.samples.size())];
    }
    if (!(v > 0)) return 0;
    return round_positive(v);
}

}  // namespace stratus
