#pragma once
// Random streams. Each purpose has its own stream ("arrivals/web", "boot/web-asg"), seeded
// from the master seed and the stream's stable name, never from creation order: adding a
// component does not reshuffle the others, and two runs that differ only in a policy see the
// same arrivals and service times (common random numbers).
#include <cmath>
#include <cstdint>
#include <string_view>

#include <boost/random/mersenne_twister.hpp>

#include "sim/core/duration_dist.hpp"
#include "sim/core/sim_time.hpp"

namespace stratus {

// A stable 64-bit seed for (master seed, stream name): FNV-1a of the name mixed with the
// master seed through splitmix64. Independent of platform and standard library.
std::uint64_t stream_seed(std::uint64_t master_seed, std::string_view name);

class RandomStream {
  public:
    RandomStream() : RandomStream(1, "default") {}
    RandomStream(std::uint64_t master_seed, std::string_view name)
        : engine_(stream_seed(master_seed, name)) {}

    // Uniform on [0, 1), 53 bits.
    double uniform01();
    // Uniform on (0, 1]: safe for log().
    double uniform01_open_low() { return 1.0 - uniform01(); }
    double exponential(double mean) { return -mean * std::log(uniform01_open_low()); }
    double normal(double mean, double sd);
    std::uint64_t below(std::uint64_t n);  // uniform integer in [0, n)

    // One draw of a duration distribution, in microseconds, never negative.
    SimTime sample(const DurationDist& dist);

  private:
    boost::random::mt19937_64 engine_;
};

}  // namespace stratus
