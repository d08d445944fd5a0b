#pragma once
// An ELB target group: its registered targets, their health as the load balancer sees it
// (AWS's target states and health-check thresholds), and the routing algorithm that picks a
// target for each request (round robin or least outstanding requests).
#include <cstdint>
#include <string>
#include <vector>

#include "sim/cloud/fleet.hpp"
#include "sim/core/random.hpp"
#include "sim/core/simulation.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::report {
class Recorder;
}

namespace stratus::cloud {

enum class TargetHealthState { Initial, Healthy, Unhealthy, Unused, Draining, Unavailable };
const char* to_string(TargetHealthState s);

struct Target {
    std::uint32_t instance = 0;
    int availability_zone = 0;
    TargetHealthState state = TargetHealthState::Initial;
    int consecutive_ok = 0;
    int consecutive_failed = 0;
    TimerHandle next_check;
};

class TargetGroup final : public EventHandler {
  public:
    TargetGroup(const scenario::TargetGroupSpec& spec, int zone_count, std::uint64_t seed,
                Simulation& sim, Fleet& fleet, report::Recorder& recorder);

    const std::string& name() const { return spec_.name; }
    const scenario::TargetGroupSpec& spec() const { return spec_; }

    // Registers an instance (the group does this when it goes InService). The target starts
    // `initial` and must pass one health check to become healthy.
    void register_target(std::uint32_t instance);

    // Picks a target for a request entering the load balancer node of AZ `node_zone`; -1 when
    // none can take it. `zone_enabled` says which AZs the load balancer is enabled in.
    int route(int node_zone, bool cross_zone, const std::vector<char>& zone_enabled);

    int healthy_count() const { return healthy_total_; }
    int unhealthy_count() const { return unhealthy_total_; }
    const std::vector<Target>& targets() const { return targets_; }

    void on_event(const Event& e) override;

  private:
    enum Kind : std::uint32_t { kHealthCheck = 1 };
    void set_state(Target& t, TargetHealthState s, const char* reason);
    bool eligible(const Target& t, int node_zone, bool cross_zone,
                  const std::vector<char>& zone_enabled, bool fail_open) const;

    scenario::TargetGroupSpec spec_;
    Simulation& sim_;
    Fleet& fleet_;
    report::Recorder& recorder_;
    RandomStream phase_stream_;  // the phase of each new target's first health check

    std::vector<Target> targets_;
    std::vector<int> healthy_in_zone_, unhealthy_in_zone_;
    int healthy_total_ = 0, unhealthy_total_ = 0;
    std::vector<std::uint32_t> cursor_;  // round-robin position per load balancer node (AZ)
};

}  // namespace stratus::cloud
