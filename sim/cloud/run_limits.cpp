#include "sim/cloud/run_limits.hpp"

#include <fmt/format.h>

#include "sim/cloud/rate_function.hpp"
#include "sim/scenario/actions.hpp"
#include "sim/scenario/internal.hpp"
#include "sim/scenario/settings.hpp"

namespace stratus::cloud {
namespace {

scenario::SourcePos at(const scenario::Spec& spec, const scenario::KeyPositions& pos,
                       const char* key) {
    auto it = pos.find(key);
    if (it == pos.end()) it = pos.find("");
    return it == pos.end() ? scenario::SourcePos{spec.source_file, 0, 0} : it->second;
}

// The [[action]] setting of this kind with the largest value, as (position, key path); for
// a group's size, min_size counts too, and so do the scheduled actions.
std::pair<scenario::SourcePos, std::string> largest_setting(const scenario::Spec& spec,
                                                            scenario::SettingId id) {
    double largest = -1;
    std::pair<scenario::SourcePos, std::string> found{scenario::SourcePos{spec.source_file, 0, 0},
                                                      ""};
    for (std::size_t i = 0; i < spec.action.size(); ++i)
        for (const auto& [text, value] : spec.action[i].set) {
            auto path = scenario::parse_setting_path(text, nullptr);
            if (!path) continue;
            const auto key = path->key->id;
            const bool match = key == id || (id == scenario::SettingId::GroupMaxSize &&
                                             key == scenario::SettingId::GroupMinSize);
            const double* d = std::get_if<double>(&value);
            const std::int64_t* n = std::get_if<std::int64_t>(&value);
            const double v = d ? *d : n ? static_cast<double>(*n) : -1;
            if (!match || v <= largest) continue;
            largest = v;
            found = {at(spec, spec.action[i].pos, ("set." + text).c_str()),
                     fmt::format("action[{}].set.{}", i, text)};
        }
    if (id != scenario::SettingId::GroupMaxSize) return found;
    for (const auto& s : spec.autoscaling_schedule) {
        const char* key =
            s.max_size.value_or(0) >= s.min_size.value_or(0) ? "max_size" : "min_size";
        const double v = std::max(s.max_size.value_or(0), s.min_size.value_or(0));
        if (v <= largest) continue;
        largest = v;
        found = {at(spec, s.pos, key),
                 fmt::format("autoscaling_schedule[{}].{}", s.scheduled_action_name, key)};
    }
    return found;
}

}  // namespace

std::vector<scenario::Diagnostic> check_run_limits(const scenario::Spec& spec) {
    std::vector<scenario::Diagnostic> out;
    const SimTime horizon = spec.simulation.duration;
    // The fluid mode has no event per request: only request mode is limited by the count.
    const bool fluid = spec.simulation.fidelity == scenario::Fidelity::Fluid;
    if (!fluid && horizon > scenario::kMaxRequestModeHorizon) {
        out.push_back(
            {scenario::Severity::Error, at(spec, spec.simulation.pos, "duration"),
             "simulation.duration",
             fmt::format("a request-mode run of {:.0f} days is refused (the limit is "
                         "{} days): simulate a representative stretch, or use "
                         "fidelity = \"fluid\" for long horizons",
                         to_seconds(horizon) / 86400.0, scenario::kMaxRequestModeHorizon / kDay)});
    }
    if (fluid && horizon > scenario::kMaxFluidModeHorizon) {
        out.push_back(
            {scenario::Severity::Error, at(spec, spec.simulation.pos, "duration"),
             "simulation.duration",
             fmt::format("a fluid-mode run of {:.0f} days is refused (the limit is {} "
                         "days, ten years): simulate a representative year and scale "
                         "the bill",
                         to_seconds(horizon) / 86400.0, scenario::kMaxFluidModeHorizon / kDay)});
    }
    double requests = 0, requests_as_written = 0;
    for (const auto& w : spec.workload) {
        if (fluid) break;
        requests_as_written +=
            RateFunction(w.rate, w.spike, spec.simulation.start_epoch_s).max_rate(0, horizon) *
            to_seconds(horizon);
        // An upper bound: between two changes of the workload's multiplier ([[action]]), the
        // highest rate of that stretch held for all of it.
        const RateFunction rate(w.rate, w.spike, spec.simulation.start_epoch_s);
        const auto steps = scenario::rate_multipliers(spec, w.name);
        for (std::size_t k = 0; k < steps.size() && steps[k].first < horizon; ++k) {
            const SimTime from = steps[k].first;
            const SimTime to =
                k + 1 < steps.size() ? std::min(steps[k + 1].first, horizon) : horizon;
            if (to > from)
                requests += rate.max_rate(from, to) * steps[k].second * to_seconds(to - from);
        }
    }
    if (requests > scenario::kMaxRequestsPerRun &&
        requests_as_written <= scenario::kMaxRequestsPerRun) {
        // The actions' multipliers take it over the limit: the largest one is named.
        auto [pos, path] = largest_setting(spec, scenario::SettingId::WorkloadRateMultiplier);
        out.push_back({scenario::Severity::Error, pos, path,
                       fmt::format("with this multiplier the run could simulate up to {:.2g} "
                                   "requests (the limit of request mode is {:.0g}); lower it, "
                                   "shorten the spike, or use fidelity = \"fluid\"",
                                   requests, scenario::kMaxRequestsPerRun)});
    } else if (requests > scenario::kMaxRequestsPerRun) {
        const auto& w = spec.workload.front();
        out.push_back({scenario::Severity::Error, at(spec, w.pos, "rate"),
                       fmt::format("workload[{}].rate", w.name),
                       fmt::format("this run could simulate up to {:.2g} requests (the limit of "
                                   "request mode is {:.0g}); shorten simulation.duration, lower "
                                   "the rates, or use fidelity = \"fluid\"",
                                   requests, scenario::kMaxRequestsPerRun)});
    }
    // The largest size each group can reach: its max_size, or a larger one an [[action]] or a
    // scheduled action gives it.
    long long instances = static_cast<long long>(spec.instance.size());
    long long instances_as_written = instances;
    for (std::size_t g = 0; g < spec.autoscaling_group.size(); ++g) {
        instances += scenario::largest_size(spec, g);
        instances_as_written += spec.autoscaling_group[g].max_size;
    }
    if (instances > scenario::kMaxInstances && instances_as_written <= scenario::kMaxInstances) {
        // An action or a scheduled action makes a group larger than the file's max_size.
        auto [pos, path] = largest_setting(spec, scenario::SettingId::GroupMaxSize);
        out.push_back({scenario::Severity::Error, pos, path,
                       fmt::format("with the sizes the actions and scheduled actions set, the "
                                   "groups could run up to {} instances (the limit is {})",
                                   instances, scenario::kMaxInstances)});
    } else if (instances > scenario::kMaxInstances) {
        const auto& g = spec.autoscaling_group.front();
        out.push_back({scenario::Severity::Error, at(spec, g.pos, "max_size"),
                       fmt::format("autoscaling_group[{}].max_size", g.name),
                       fmt::format("the groups could run up to {} instances (the limit is {}); "
                                   "model larger fleets with bigger instance types",
                                   instances, scenario::kMaxInstances)});
    }
    for (std::size_t i = 0; i < spec.fault.size(); ++i) {
        const auto& f = spec.fault[i];
        if (!f.mtbf) continue;
        SimTime cycle = scenario::detail::mean_duration(*f.mtbf);
        if (f.mttr) cycle += scenario::detail::mean_duration(*f.mttr);
        const double cycles = cycle > 0 ? to_seconds(horizon) / to_seconds(cycle) : 1e300;
        if (cycles > scenario::kMaxFaultCycles)
            out.push_back({scenario::Severity::Error, at(spec, f.pos, "mtbf"),
                           fmt::format("fault[{}].mtbf", i),
                           fmt::format("this fault would strike about {:.2g} times in the run "
                                       "(the limit is {:.0g}); use a longer mtbf or a shorter "
                                       "simulation.duration",
                                       cycles, scenario::kMaxFaultCycles)});
    }
    return out;
}

}  // namespace stratus::cloud
