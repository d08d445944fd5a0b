#pragma once
// An ELB target group: its registered targets, their health as the load balancer sees it
// (AWS's target states and health-check thresholds), deregistration with its delay (draining),
// slow start, and the routing algorithm that picks a target for each request (round robin or
// least outstanding requests).
#include <cstdint>
#include <string>
#include <vector>

#include "sim/cloud/fleet.hpp"
#include "sim/cloud/routing_observer.hpp"
#include "sim/cloud/run_observer.hpp"
#include "sim/cloud/target_health.hpp"
#include "sim/core/random.hpp"
#include "sim/core/simulation.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

// Told when a deregistered target has left its target group (drained, or its delay expired).
struct DeregistrationListener {
    virtual void on_deregistered(std::uint32_t instance) = 0;

  protected:
    ~DeregistrationListener() = default;
};

struct Target {
    std::uint32_t instance = 0;
    int availability_zone = 0;
    TargetHealthState state = TargetHealthState::Initial;
    int consecutive_ok = 0;
    int consecutive_failed = 0;
    // The reason of the last failed check (unhealthy), or Target.InvalidState (unused: its
    // instance left running while registered).
    const char* last_failure = "Target.FailedHealthChecks";
    TimerHandle next_check;
    // Fluid mode: while a healthy target's instance passes and nothing it is checked on
    // changes, its checks are skipped (no events); this is when the next one would be.
    SimTime dormant_next = kNever;
    bool removed = false;      // deregistered and drained: out of the group for good
    bool first_batch = false;  // registered while no target was healthy: no slow start
    // Slow start: kNever when not in it; else when it began. The target earns w(t) of a
    // request per turn (w rising linearly from 0 to 1 over the duration), saves up at most
    // one, and is picked only with a whole one.
    SimTime slow_start_since = kNever;
    double credit = 0;
    // Draining
    TimerHandle drain_poll;
    SimTime drain_deadline = kNever;
    DeregistrationListener* listener = nullptr;
};

class TargetGroup final : public EventHandler {
  public:
    // `index`: its place among the run's target groups (Request::target_group).
    TargetGroup(std::uint16_t index, const scenario::TargetGroupSpec& spec, int zone_count,
                std::uint64_t seed, Simulation& sim, Fleet& fleet, RunObserver& observer);

    std::uint16_t index() const { return index_; }
    const std::string& name() const { return spec_.name; }
    const scenario::TargetGroupSpec& spec() const { return spec_; }
    // The clock the group runs on (the load balancer reads the time through it).
    const Simulation& simulation() const { return sim_; }

    // Registers an instance (the group does this when it goes InService). The target starts
    // `initial` and must pass one health check to become healthy. An instance already
    // registered (or draining) is left as it is.
    void register_target(std::uint32_t instance);

    // Starts deregistering an instance: its target goes `draining` (reason
    // Target.DeregistrationInProgress) and gets no new request. It leaves the group when it
    // has no outstanding request (checked once a second) or when `deregistration_delay`
    // expires, whichever comes first; then `listener` is called (may be null). A target whose
    // instance is not running leaves at once. An instance that is not registered (or already
    // left) calls the listener at once. A second call while draining is ignored (the first
    // listener is kept).
    void deregister_target(std::uint32_t instance, DeregistrationListener* listener);

    // The instance left `running` (its AZ lost power, it failed, EC2 took it back) while
    // registered: the load balancer stops routing to it at once and reports the target
    // `unused` with Target.InvalidState ("the target is in the stopped or terminated state")
    // until it is deregistered. No health check runs meanwhile. Draining targets are left as
    // they are.
    void instance_not_running(std::uint32_t instance);

    // Which AZs' targets the load balancers use (1: some load balancer whose listener forwards
    // to the group is enabled there); every AZ until told. A target in an AZ not in use is
    // `unused` with Target.NotInUse, as DescribeTargetHealth reports it: no load balancer node
    // checks it (each node checks the targets of the groups its listeners use), so it counts
    // in neither HealthyHostCount nor UnHealthyHostCount. When its AZ comes into use, it is
    // `initial` again (Elb.RegistrationInProgress) and its checks start; when its AZ goes out
    // of use, its checks stop. Draining targets are left as they are.
    void set_zones_in_use(const std::vector<char>& in_use);
    bool zone_in_use(int zone) const { return in_use_[static_cast<std::size_t>(zone)] != 0; }

    // The state of the instance's target; Unused when it is not registered.
    TargetHealthState state_of(std::uint32_t instance) const;
    // True while the instance's target is in slow start (its share still ramping up).
    bool in_slow_start(std::uint32_t instance) const;
    // True while the instance's target is registered, `initial` and not yet checked once.
    bool awaiting_first_check(std::uint32_t instance) const;

    // Picks a target for a request entering the load balancer node of AZ `node_zone`; -1 when
    // none can take it. `zone_enabled` says which AZs the load balancer is enabled in.
    int route(int node_zone, bool cross_zone, const std::vector<char>& zone_enabled);

    int healthy_count() const { return healthy_total_; }
    int unhealthy_count() const { return unhealthy_total_; }
    int draining_count() const { return draining_total_; }
    int healthy_in_zone(int zone) const { return healthy_in_zone_[zone]; }
    // Every target ever registered, in registration order (removed ones included, state
    // Unused), so indices stay stable.
    const std::vector<Target>& targets() const { return targets_; }
    // Indices (into targets()) of the targets not removed, in order (the fluid mode routes
    // over these).
    const std::vector<std::uint32_t>& active_targets() const { return active_; }
    void set_routing_observer(RoutingObserver* observer) { routing_observer_ = observer; }
    // Fluid mode: something the instance's checks read changed; a skipped check schedule
    // resumes at its own phase (the checks skipped meanwhile passed).
    void wake_health_check(std::uint32_t instance);
    // Whether the instance's target here is healthy and its checks skipped (fluid mode).
    bool health_check_dormant(std::uint32_t instance) const {
        return instance < dormant_.size() && dormant_[instance] != 0;
    }

    void on_event(const Event& e) override;

  private:
    enum Kind : std::uint32_t { kHealthCheck = 1, kDrainPoll = 2 };
    void set_state(std::uint32_t index, TargetHealthState s, const char* reason);
    void health_check(std::uint32_t index);
    void clear_dormant(std::uint32_t index);
    void drain_poll(std::uint32_t index);
    void finish_drain(std::uint32_t index);
    void rebuild_active();
    int find_active(std::uint32_t instance) const;
    // The share weight of a target now: 1 outside slow start, else elapsed / duration.
    double weight(Target& t);
    bool eligible(const Target& t, int node_zone, bool cross_zone,
                  const std::vector<char>& zone_enabled, bool fail_open) const;

    std::uint16_t index_;
    scenario::TargetGroupSpec spec_;
    Simulation& sim_;
    Fleet& fleet_;
    RunObserver& observer_;
    RandomStream phase_stream_;  // the phase of each new target's first health check
    // Fluid mode: whether a check of a loaded target times out (a draw against the queue's
    // distribution, Instance::fluid_check_timeout_probability). Request mode never draws.
    RandomStream fluid_check_stream_;

    std::vector<Target> targets_;
    std::vector<std::uint32_t> active_;  // indices of the targets not removed, in order
    // By fleet index: the instance's target among the active ones, -1 if none (a lookup per
    // registration or health event: a scan of active_ was quadratic in the fleet).
    std::vector<int> active_target_of_;
    std::vector<int> healthy_in_zone_, unhealthy_in_zone_;
    std::vector<char> in_use_;  // per AZ: set_zones_in_use
    int healthy_total_ = 0, unhealthy_total_ = 0, draining_total_ = 0;
    int slow_starting_ = 0;              // targets in slow start (fast path when 0)
    std::vector<std::uint32_t> cursor_;  // round-robin position in active_ per node (AZ)

    RoutingObserver* routing_observer_ = nullptr;  // fluid mode only
    std::vector<std::uint32_t> dormant_;           // per instance: 1 + its dormant target, 0: none
};

}  // namespace stratus::cloud
