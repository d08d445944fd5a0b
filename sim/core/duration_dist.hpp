#pragma once
// A distribution of durations (boot and start times, service times, failover times, the
// time between failures): the scenario declares them, RandomStream draws from them. It lives in
// the kernel so that drawing needs nothing from the scenario layer; scenario::DurationDist
// names the same type.
#include <string>
#include <vector>

#include "sim/core/sim_time.hpp"

namespace stratus {

enum class DistKind { Constant, Exponential, Normal, Lognormal, Uniform, Empirical };

struct DurationDist {
    DistKind kind = DistKind::Constant;
    SimTime mean = 0;              // constant value, or the mean (exponential, normal, lognormal)
    SimTime sd = 0;                // normal
    double cv = 0.0;               // lognormal: coefficient of variation
    SimTime min = 0;               // uniform
    SimTime max = 0;               // uniform
    std::string file;              // empirical: the CSV as written (relative to the scenario file)
    std::vector<SimTime> samples;  // empirical: the samples read from it

    static DurationDist constant(SimTime v) {
        DurationDist d;
        d.mean = v;
        return d;
    }
};

}  // namespace stratus
