#pragma once
// The instructor's commands. Each one enters the run as the same scheduled change a scenario
// makes: an [[action]] (settings, policy on/off, target value, one instance terminated) or a
// [[fault]] (an AZ outage, a Spot interruption wave, an instance failure). The session keeps
// them in order and exports them as TOML entries: appended to the scenario file they replay
// the session exactly (the World gives them the same indices, labels and random streams).
#include <string>
#include <variant>
#include <vector>

#include "sim/cloud/world.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::view {

using Command = std::variant<scenario::ActionSpec, scenario::FaultSpec>;

// --- building commands (their `at` is set when issued)
// `path` as scenario::setting_path makes it ("autoscaling_group.web.min_size").
Command set_setting(const std::string& path, scenario::SettingValue value);
Command az_outage(const std::string& zone, SimTime duration);
Command spot_interruption(const std::string& group, double fraction);
Command instance_failure(const std::string& group);
Command terminate_instance(const std::string& group, const std::string& instance);
// The workload's rate times `multiplier` from now on (1 ends a spike): the [[action]]
// `workload.<name>.rate_multiplier`.
Command traffic_spike(const std::string& workload, double multiplier);

// A one-line description for the event log panel and the command list.
std::string describe(const Command& command);

class CommandSession {
  public:
    // When a command issued at `now` takes effect: the next whole second, off the 10 s grid
    // where metrics, polls and timers meet, and after the previous command, plus (k + 1) ms
    // for the k-th command, so that the replayed scenario orders it among the other events
    // exactly as the live run did.
    SimTime effective_time(SimTime now) const;
    // Schedules `command` in `world` at effective_time(now); returns that time. Throws
    // std::invalid_argument when the World refuses it.
    SimTime issue(cloud::World& world, Command command);
    // Ends the outage (or latency) that issued command `command` started, at
    // effective_time(now): the exported [[fault]]'s duration becomes what it lasted. Throws
    // std::invalid_argument when that command is not such a fault in force.
    SimTime end_early(cloud::World& world, std::size_t command);
    // Whether issued command `command` is an outage or latency in force at `now`.
    bool in_force(std::size_t command, SimTime now) const;
    const std::vector<Command>& issued() const { return issued_; }
    // The issued commands as [[fault]] and [[action]] TOML entries, in issue order.
    std::string export_toml() const;

  private:
    std::vector<Command> issued_;
    std::vector<std::size_t> fault_index_;  // per issued command: its index in the World's faults
    SimTime last_ = -1;
};

}  // namespace stratus::view
