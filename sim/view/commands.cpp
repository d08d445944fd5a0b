#include "sim/view/commands.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "sim/cloud/faults.hpp"
#include "sim/scenario/internal.hpp"
#include "sim/scenario/settings.hpp"

namespace stratus::view {
namespace {

std::string toml_value(const scenario::SettingValue& v) {
    if (const bool* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
    if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
    if (const double* d = std::get_if<double>(&v)) {
        std::string s = fmt::format("{}", *d);
        if (s.find_first_of(".eE") == std::string::npos) s += ".0";  // stays a TOML float
        return s;
    }
    return scenario::detail::toml_basic_string(std::get<std::string>(v));
}

// "1h2m5s" for whole seconds (what a reader writes), the loader's exact form otherwise.
std::string duration(SimTime t) {
    if (t <= 0 || t % kMillisecond != 0) return scenario::detail::format_duration(t);
    const std::int64_t s = t / kSecond;
    const std::int64_t ms = t % kSecond / kMillisecond;
    std::string out;
    if (s >= 3600) out += fmt::format("{}h", s / 3600);
    if (s % 3600 >= 60) out += fmt::format("{}m", s % 3600 / 60);
    if (s % 60 != 0) out += fmt::format("{}s", s % 60);
    if (ms != 0) out += fmt::format("{}ms", ms);
    return out;
}

}  // namespace

Command set_setting(const std::string& path, scenario::SettingValue value) {
    scenario::ActionSpec a;
    a.set.emplace_back(path, std::move(value));
    return a;
}

Command az_outage(const std::string& zone, SimTime length) {
    scenario::FaultSpec f;
    f.type = scenario::FaultType::AzOutage;
    f.target = zone;
    f.duration = length;
    return f;
}

Command spot_interruption(const std::string& group, double fraction) {
    scenario::FaultSpec f;
    f.type = scenario::FaultType::SpotInterruption;
    f.target = group;
    f.fraction = fraction;
    return f;
}

Command instance_failure(const std::string& group) {
    scenario::FaultSpec f;
    f.type = scenario::FaultType::InstanceFailure;
    f.target = group;
    return f;
}

Command terminate_instance(const std::string& group, const std::string& instance) {
    return set_setting(scenario::setting_path("autoscaling_group", group, "terminate_instance"),
                       instance);
}

Command traffic_spike(const std::string& workload, double multiplier) {
    return set_setting(scenario::setting_path("workload", workload, "rate_multiplier"), multiplier);
}

std::string describe(const Command& command) {
    if (const auto* a = std::get_if<scenario::ActionSpec>(&command)) {
        std::string out;
        for (const auto& [path, value] : a->set)
            out += (out.empty() ? "" : ", ") + path + " = " + toml_value(value);
        return out;
    }
    const auto& f = std::get<scenario::FaultSpec>(command);
    std::string out = fmt::format("{} {}", cloud::to_string(f.type), f.target);
    if (f.duration) out += " for " + duration(*f.duration);
    if (f.fraction) out += fmt::format(" ({:.0f} %)", *f.fraction * 100);
    return out;
}

SimTime CommandSession::effective_time(SimTime now) const {
    SimTime t = (now / kSecond + 1) * kSecond;
    if (t <= last_) t = (last_ / kSecond + 1) * kSecond;
    if (t % (10 * kSecond) == 0) t += kSecond;
    // Plus (k + 1) ms for the k-th command: the timers an earlier command set going (a
    // deregistration delay, a health check interval, all whole seconds after it) keep that
    // command's own offset, so they never share an instant with this one, whose order
    // against them would differ between the live run and the replay.
    return t + static_cast<SimTime>(issued_.size() % 999 + 1) * kMillisecond;
}

SimTime CommandSession::issue(cloud::World& world, Command command) {
    const SimTime at = effective_time(world.sim().now());
    if (auto* a = std::get_if<scenario::ActionSpec>(&command)) {
        a->at = at;
        world.schedule_action(*a);
    } else {
        auto& f = std::get<scenario::FaultSpec>(command);
        f.at = at;
        fault_index_.resize(issued_.size() + 1, 0);
        fault_index_[issued_.size()] = world.schedule_fault(f);
    }
    last_ = at;
    issued_.push_back(std::move(command));
    fault_index_.resize(issued_.size(), 0);
    return at;
}

bool CommandSession::in_force(std::size_t command, SimTime now) const {
    if (command >= issued_.size()) return false;
    const auto* f = std::get_if<scenario::FaultSpec>(&issued_[command]);
    return f && f->at && f->duration && *f->at <= now && now < *f->at + *f->duration &&
           (f->type == scenario::FaultType::AzOutage || f->type == scenario::FaultType::Latency);
}

SimTime CommandSession::end_early(cloud::World& world, std::size_t command) {
    const SimTime at = effective_time(world.now());
    if (!in_force(command, at))
        throw std::invalid_argument("that command is not an outage in force");
    auto& f = std::get<scenario::FaultSpec>(issued_[command]);
    world.end_fault_at(fault_index_[command], at);
    f.duration = at - *f.at;
    last_ = at;
    return at;
}

std::string CommandSession::export_toml() const {
    std::string out =
        "\n# Commands issued in stratus-viz. Appended to the scenario they replay the session.\n";
    for (const Command& c : issued_) {
        if (const auto* a = std::get_if<scenario::ActionSpec>(&c)) {
            out += fmt::format("\n[[action]]\nat = \"{}\"\nset = {{ ", duration(a->at));
            for (std::size_t i = 0; i < a->set.size(); ++i)
                out += fmt::format("{}{} = {}", i ? ", " : "",
                                   scenario::detail::toml_basic_string(a->set[i].first),
                                   toml_value(a->set[i].second));
            out += " }\n";
        } else {
            const auto& f = std::get<scenario::FaultSpec>(c);
            out += fmt::format("\n[[fault]]\ntype = \"{}\"\ntarget = {}\nat = \"{}\"\n",
                               cloud::to_string(f.type),
                               scenario::detail::toml_basic_string(f.target), duration(*f.at));
            if (f.duration) out += fmt::format("duration = \"{}\"\n", duration(*f.duration));
            if (f.fraction) out += fmt::format("fraction = {}\n", *f.fraction);
        }
    }
    return out;
}

}  // namespace stratus::view
