#include "sim/cloud/run_limits.hpp"

#include <fmt/format.h>

#include "sim/cloud/rate_function.hpp"
#include "sim/scenario/internal.hpp"

namespace stratus::cloud {
namespace {

scenario::SourcePos at(const scenario::Spec& spec, const scenario::KeyPositions& pos,
                       const char* key) {
    auto it = pos.find(key);
    if (it == pos.end()) it = pos.find("");
    return it == pos.end() ? scenario::SourcePos{spec.source_file, 0, 0} : it->second;
}

}  // namespace

std::vector<scenario::Diagnostic> check_run_limits(const scenario::Spec& spec) {
    std::vector<scenario::Diagnostic> out;
    const SimTime horizon = spec.simulation.duration;
    // The fluid mode has no event per request: only request mode is limited by the count.
    const bool fluid = spec.simulation.fidelity == scenario::Fidelity::Fluid;
    if (!fluid && horizon > kMaxRequestModeHorizon) {
        out.push_back({scenario::Severity::Error, at(spec, spec.simulation.pos, "duration"),
                       "simulation.duration",
                       fmt::format("a request-mode run of {:.0f} days is refused (the limit is "
                                   "{} days): simulate a representative stretch, or use "
                                   "fidelity = \"fluid\" for long horizons",
                                   to_seconds(horizon) / 86400.0, kMaxRequestModeHorizon / kDay)});
    }
    if (fluid && horizon > kMaxFluidModeHorizon) {
        out.push_back({scenario::Severity::Error, at(spec, spec.simulation.pos, "duration"),
                       "simulation.duration",
                       fmt::format("a fluid-mode run of {:.0f} days is refused (the limit is {} "
                                   "days, ten years): simulate a representative year and scale "
                                   "the bill",
                                   to_seconds(horizon) / 86400.0, kMaxFluidModeHorizon / kDay)});
    }
    double requests = 0;
    for (const auto& w : spec.workload) {
        if (fluid) break;
        // An upper bound: the highest rate over the run, held for the whole run.
        const RateFunction rate(w.rate, w.spike, spec.simulation.start_epoch_s);
        requests += rate.max_rate(0, horizon) * to_seconds(horizon);
    }
    if (requests > kMaxRequestsPerRun) {
        const auto& w = spec.workload.front();
        out.push_back({scenario::Severity::Error, at(spec, w.pos, "rate"),
                       fmt::format("workload[{}].rate", w.name),
                       fmt::format("this run could simulate up to {:.2g} requests (the limit of "
                                   "request mode is {:.0g}); shorten simulation.duration, lower "
                                   "the rates, or use fidelity = \"fluid\"",
                                   requests, kMaxRequestsPerRun)});
    }
    long long instances = static_cast<long long>(spec.instance.size());
    for (const auto& g : spec.autoscaling_group)
        instances += g.max_size;
    if (instances > kMaxInstances) {
        const auto& g = spec.autoscaling_group.front();
        out.push_back({scenario::Severity::Error, at(spec, g.pos, "max_size"),
                       fmt::format("autoscaling_group[{}].max_size", g.name),
                       fmt::format("the groups could run up to {} instances (the limit is {}); "
                                   "model larger fleets with bigger instance types",
                                   instances, kMaxInstances)});
    }
    for (std::size_t i = 0; i < spec.fault.size(); ++i) {
        const auto& f = spec.fault[i];
        if (!f.mtbf) continue;
        SimTime cycle = scenario::detail::mean_duration(*f.mtbf);
        if (f.mttr) cycle += scenario::detail::mean_duration(*f.mttr);
        const double cycles = cycle > 0 ? to_seconds(horizon) / to_seconds(cycle) : 1e300;
        if (cycles > kMaxFaultCycles)
            out.push_back({scenario::Severity::Error, at(spec, f.pos, "mtbf"),
                           fmt::format("fault[{}].mtbf", i),
                           fmt::format("this fault would strike about {:.2g} times in the run "
                                       "(the limit is {:.0g}); use a longer mtbf or a shorter "
                                       "simulation.duration",
                                       cycles, kMaxFaultCycles)});
    }
    return out;
}

}  // namespace stratus::cloud
