#include "sim/cloud/run_limits.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/cloud/rate_function.hpp"
#include "sim/scenario/actions.hpp"
#include "sim/scenario/internal.hpp"
#include "sim/scenario/settings.hpp"

namespace stratus::cloud {
namespace {

scenario::SourcePos at(const scenario::Spec& spec, const scenario::KeyPositions& pos,
                       const char* key) {
    return scenario::position_of(spec, pos, key);
}

// The [[action]] setting of this kind with the largest value, as (position, key path), of
// one element when `element` is given; for a group's size, min_size counts too, and so do the
// scheduled actions.
std::pair<scenario::SourcePos, std::string> largest_setting(const scenario::Spec& spec,
                                                            scenario::SettingId id,
                                                            const std::string& element = "") {
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
            if (!match || v <= largest || (!element.empty() && path->element != element)) continue;
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

// The run's horizon: request mode's 10 s tick alone makes long horizons costly; fluid mode
// allows ten years.
void check_horizon(const scenario::Spec& spec, bool fluid, std::vector<scenario::Diagnostic>& out) {
    const SimTime horizon = spec.simulation.duration;
    if (!fluid && horizon > scenario::kMaxRequestModeHorizon)
        out.push_back(
            {scenario::Severity::Error, at(spec, spec.simulation.pos, "duration"),
             "simulation.duration",
             fmt::format("a request-mode run of {:.0f} days is refused (the limit is "
                         "{} days): simulate a representative stretch, or use "
                         "fidelity = \"fluid\" for long horizons",
                         to_seconds(horizon) / 86400.0, scenario::kMaxRequestModeHorizon / kDay)});
    if (fluid && horizon > scenario::kMaxFluidModeHorizon)
        out.push_back(
            {scenario::Severity::Error, at(spec, spec.simulation.pos, "duration"),
             "simulation.duration",
             fmt::format("a fluid-mode run of {:.0f} days is refused (the limit is {} "
                         "days, ten years): simulate a representative year and scale "
                         "the bill",
                         to_seconds(horizon) / 86400.0, scenario::kMaxFluidModeHorizon / kDay)});
}

// An upper bound of the requests `rate` makes over [from, to): each piece's highest rate held
// for all of the piece, the pieces cut at every change of the spikes' product and at least
// every hour (at most about 4,096 pieces). A one-minute spike so counts for its minute, not
// for the run, and a daily curve for its hours, not its peak times the run.
double requests_bound(const RateFunction& rate, SimTime from, SimTime to) {
    const SimTime piece = std::max<SimTime>(kHour, (to - from) / 4096 + 1);
    const auto& cuts = rate.spike_times();
    auto cut = std::upper_bound(cuts.begin(), cuts.end(), from);
    double requests = 0;
    for (SimTime t = from; t < to;) {
        SimTime next = std::min(to, t + piece);
        if (cut != cuts.end() && *cut < next) next = *cut++;
        requests += rate.max_rate(t, next) * to_seconds(next - t);
        t = next;
    }
    return requests;
}

// Upper bounds of one workload's traffic over the run: as written, without its spikes, and
// with the [[action]]s' rate multipliers (each stretch between two changes of the multiplier
// bounded as above).
struct TrafficBound {
    double requests = 0, requests_as_written = 0, requests_without_spikes = 0;
    double peak = 0, peak_as_written = 0, peak_without_spikes = 0;  // requests/s
};

TrafficBound traffic_bound(const scenario::Spec& spec, const scenario::WorkloadSpec& w) {
    const SimTime horizon = spec.simulation.duration;
    const RateFunction rate(w.rate, w.spike, spec.simulation.start_epoch_s);
    const RateFunction plain(w.rate, {}, spec.simulation.start_epoch_s);
    TrafficBound b;
    b.peak_as_written = rate.max_rate(0, horizon);
    b.requests_as_written = requests_bound(rate, 0, horizon);
    b.peak_without_spikes = plain.max_rate(0, horizon);
    b.requests_without_spikes = requests_bound(plain, 0, horizon);
    const auto steps = scenario::rate_multipliers(spec, w.name);
    for (std::size_t k = 0; k < steps.size() && steps[k].first < horizon; ++k) {
        const SimTime from = steps[k].first;
        const SimTime to = k + 1 < steps.size() ? std::min(steps[k + 1].first, horizon) : horizon;
        if (to <= from) continue;
        b.peak = std::max(b.peak, rate.max_rate(from, to) * steps[k].second);
        b.requests += requests_bound(rate, from, to) * steps[k].second;
    }
    return b;
}

// What takes a bound over its limit: the actions' multipliers, the file's spikes, or the
// workload's rate itself.
enum class Cause { Actions, Spikes, Rate };

// A bound over its limit is refused at the largest multiplier when the actions take it over
// (the message then reads "with this multiplier <what>; <action_fix>"), at the largest spike
// when the spikes do ("with this spike <what>; <spike_fix>"), at the workload's rate otherwise
// ("<what>; <file_fix>").
struct Refusal {
    std::string what, action_fix, file_fix;
};

void refuse_traffic(const scenario::Spec& spec, const scenario::WorkloadSpec& w, Cause cause,
                    const Refusal& r, std::vector<scenario::Diagnostic>& out) {
    if (cause == Cause::Actions) {
        auto [pos, path] =
            largest_setting(spec, scenario::SettingId::WorkloadRateMultiplier, w.name);
        out.push_back({scenario::Severity::Error, pos, path,
                       fmt::format("with this multiplier {}; {}", r.what, r.action_fix)});
        return;
    }
    if (cause == Cause::Spikes && !w.spike.empty()) {
        std::size_t largest = 0;
        for (std::size_t i = 1; i < w.spike.size(); ++i)
            if (w.spike[i].multiplier > w.spike[largest].multiplier) largest = i;
        const std::string key = fmt::format("spike[{}].multiplier", largest);
        out.push_back({scenario::Severity::Error, at(spec, w.pos, key.c_str()),
                       fmt::format("workload[{}].{}", w.name, key),
                       fmt::format("with this spike {}; {}", r.what, r.action_fix)});
        return;
    }
    out.push_back({scenario::Severity::Error, at(spec, w.pos, "rate"),
                   fmt::format("workload[{}].rate", w.name),
                   fmt::format("{}; {}", r.what, r.file_fix)});
}

// Which of the three takes `bound` over `limit`: the least that does, in the order the run
// adds them (the rate, then its spikes, then the actions).
Cause cause_of(double without_spikes, double as_written, double limit) {
    if (as_written <= limit) return Cause::Actions;
    return without_spikes <= limit ? Cause::Spikes : Cause::Rate;
}

// The requests a run could simulate (request mode makes an event of each; fluid mode counts
// them in doubles, exact up to 2^53), and in request mode each workload's peak rate. When the
// count is over its limit that is the one error: a peak over its own would be the same cause.
void check_traffic(const scenario::Spec& spec, bool fluid, std::vector<scenario::Diagnostic>& out) {
    const double limit = fluid ? scenario::kMaxFluidRequestsPerRun : scenario::kMaxRequestsPerRun;
    double requests = 0, requests_as_written = 0, requests_without_spikes = 0, most = -1;
    const scenario::WorkloadSpec* busiest = nullptr;
    std::vector<scenario::Diagnostic> peaks;
    for (const auto& w : spec.workload) {
        const TrafficBound b = traffic_bound(spec, w);
        requests += b.requests;
        requests_as_written += b.requests_as_written;
        requests_without_spikes += b.requests_without_spikes;
        if (b.requests > most) {
            most = b.requests;
            busiest = &w;
        }
        if (fluid || b.peak <= scenario::kMaxRequestRate) continue;
        refuse_traffic(
            spec, w, cause_of(b.peak_without_spikes, b.peak_as_written, scenario::kMaxRequestRate),
            {fmt::format("workload {} could reach {:.3g} requests/s (the limit of "
                         "request mode is {:.0f} a workload: arrivals are timed to "
                         "the microsecond)",
                         w.name, b.peak, scenario::kMaxRequestRate),
             "lower it, or use fidelity = \"fluid\"",
             "lower the rate, or use fidelity = \"fluid\""},
            peaks);
    }
    if (requests <= limit || !busiest) {
        out.insert(out.end(), peaks.begin(), peaks.end());
        return;
    }
    const std::string what =
        fmt::format("the run could simulate up to {:.2g} requests (the limit of {} mode is {:.2g})",
                    requests, fluid ? "fluid" : "request", limit);
    const Refusal r =
        fluid
            ? Refusal{what, "lower it or shorten the spike",
                      "shorten simulation.duration or lower the rates"}
            : Refusal{what, "lower it, shorten the spike, or use fidelity = \"fluid\"",
                      "shorten simulation.duration, lower the rates, or use fidelity = \"fluid\""};
    refuse_traffic(spec, *busiest, cause_of(requests_without_spikes, requests_as_written, limit), r,
                   out);
}

// The fleet over the horizon: `instances` (the largest fleet, actions included) x hours.
void check_instance_hours(const scenario::Spec& spec, long long instances,
                          long long instances_as_written, std::vector<scenario::Diagnostic>& out) {
    const bool fluid = spec.simulation.fidelity == scenario::Fidelity::Fluid;
    const double limit =
        fluid ? scenario::kMaxFluidModeInstanceHours : scenario::kMaxRequestModeInstanceHours;
    const double hours = to_seconds(spec.simulation.duration) / 3600.0;
    const double instance_hours = static_cast<double>(instances) * hours;
    if (instance_hours <= limit) return;
    const std::string what = fmt::format(
        "up to {} instances for {:.4g} hours is {:.3g} instance-hours (the limit of {} mode is "
        "{:.0e}); ",
        instances, hours, instance_hours, fluid ? "fluid" : "request", limit);
    const char* instead = fluid ? "shorten simulation.duration or lower the groups' max_size"
                                : "shorten simulation.duration, lower the groups' max_size, or "
                                  "use fidelity = \"fluid\"";
    if (static_cast<double>(instances_as_written) * hours <= limit) {
        // An action or a scheduled action makes a group larger than the file's max_size.
        auto [pos, path] = largest_setting(spec, scenario::SettingId::GroupMaxSize);
        out.push_back({scenario::Severity::Error, pos, path,
                       what + "with the sizes the actions set: lower them, or " + instead});
        return;
    }
    // Named at the group that contributes most (or the simulation's duration, without groups).
    const scenario::AutoScalingGroupSpec* biggest = nullptr;
    for (const auto& g : spec.autoscaling_group)
        if (!biggest || g.max_size > biggest->max_size) biggest = &g;
    if (biggest && biggest->max_size > 0)
        out.push_back({scenario::Severity::Error, at(spec, biggest->pos, "max_size"),
                       fmt::format("autoscaling_group[{}].max_size", biggest->name),
                       what + instead});
    else
        out.push_back({scenario::Severity::Error, at(spec, spec.simulation.pos, "duration"),
                       "simulation.duration", what + instead});
}

// Request mode above its fleet limit (below the limit of both modes): named at the action that
// makes the groups that large, or at the largest group.
void refuse_request_mode_fleet(const scenario::Spec& spec, long long instances,
                               long long instances_as_written,
                               std::vector<scenario::Diagnostic>& out) {
    const std::string what = fmt::format(
        "the groups could run up to {} instances (the limit of request mode is {}, which "
        "simulates every request and health check): ",
        instances, scenario::kMaxRequestModeInstances);
    if (instances_as_written <= scenario::kMaxRequestModeInstances) {
        auto [pos, path] = largest_setting(spec, scenario::SettingId::GroupMaxSize);
        out.push_back({scenario::Severity::Error, pos, path,
                       what + "with the sizes the actions set: lower them, or use "
                              "fidelity = \"fluid\""});
        return;
    }
    const scenario::AutoScalingGroupSpec* biggest = nullptr;
    for (const auto& g : spec.autoscaling_group)
        if (!biggest || g.max_size > biggest->max_size) biggest = &g;
    const std::string fix = "lower max_size, or use fidelity = \"fluid\"";
    if (biggest && biggest->max_size > 0)
        out.push_back({scenario::Severity::Error, at(spec, biggest->pos, "max_size"),
                       fmt::format("autoscaling_group[{}].max_size", biggest->name), what + fix});
    else
        out.push_back({scenario::Severity::Error, at(spec, spec.simulation.pos, "fidelity"),
                       "simulation.fidelity", what + "use fidelity = \"fluid\""});
}

// The largest size each group can reach: its max_size, or a larger one an [[action]] or a
// scheduled action gives it.
void check_instances(const scenario::Spec& spec, std::vector<scenario::Diagnostic>& out) {
    long long instances = static_cast<long long>(spec.instance.size());
    long long instances_as_written = instances;
    for (std::size_t g = 0; g < spec.autoscaling_group.size(); ++g) {
        instances += scenario::largest_size(spec, g);
        instances_as_written += spec.autoscaling_group[g].max_size;
    }
    const bool fluid = spec.simulation.fidelity == scenario::Fidelity::Fluid;
    if (!fluid && instances > scenario::kMaxRequestModeInstances &&
        instances <= scenario::kMaxInstances) {
        refuse_request_mode_fleet(spec, instances, instances_as_written, out);
        return;
    }
    if (instances <= scenario::kMaxInstances) {
        check_instance_hours(spec, instances, instances_as_written, out);
        return;
    }
    if (instances_as_written <= scenario::kMaxInstances) {
        // An action or a scheduled action makes a group larger than the file's max_size.
        auto [pos, path] = largest_setting(spec, scenario::SettingId::GroupMaxSize);
        out.push_back({scenario::Severity::Error, pos, path,
                       fmt::format("with the sizes the actions and scheduled actions set, the "
                                   "groups could run up to {} instances (the limit is {})",
                                   instances, scenario::kMaxInstances)});
        return;
    }
    const auto& g = spec.autoscaling_group.front();
    out.push_back({scenario::Severity::Error, at(spec, g.pos, "max_size"),
                   fmt::format("autoscaling_group[{}].max_size", g.name),
                   fmt::format("the groups could run up to {} instances (the limit is {}); "
                               "model larger fleets with bigger instance types",
                               instances, scenario::kMaxInstances)});
}

// Stochastic faults: each cycle costs events on every instance or node it strikes.
void check_faults(const scenario::Spec& spec, std::vector<scenario::Diagnostic>& out) {
    for (std::size_t i = 0; i < spec.fault.size(); ++i) {
        const auto& f = spec.fault[i];
        if (!f.mtbf) continue;
        SimTime cycle = scenario::detail::mean_duration(*f.mtbf);
        if (f.mttr) cycle += scenario::detail::mean_duration(*f.mttr);
        const double cycles =
            cycle > 0 ? to_seconds(spec.simulation.duration) / to_seconds(cycle) : 1e300;
        if (cycles > scenario::kMaxFaultCycles)
            out.push_back({scenario::Severity::Error, at(spec, f.pos, "mtbf"),
                           fmt::format("fault[{}].mtbf", i),
                           fmt::format("this fault would strike about {:.2g} times in the run "
                                       "(the limit is {:.0g}); use a longer mtbf or a shorter "
                                       "simulation.duration",
                                       cycles, scenario::kMaxFaultCycles)});
    }
}

}  // namespace

std::vector<scenario::Diagnostic> check_run_limits(const scenario::Spec& spec) {
    std::vector<scenario::Diagnostic> out;
    const bool fluid = spec.simulation.fidelity == scenario::Fidelity::Fluid;
    check_horizon(spec, fluid, out);
    check_traffic(spec, fluid, out);
    check_instances(spec, out);
    check_faults(spec, out);
    return out;
}

}  // namespace stratus::cloud
