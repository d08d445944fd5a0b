#pragma once
// The World: every modelled component of one run, wired from a validated Spec, plus the
// simulation loop that drives them and the recorder that observes them. The CLI runs one
// World; a sweep runs many; the viewer holds one and steps it.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/cloud/autoscaling.hpp"
#include "sim/cloud/catalog.hpp"
#include "sim/cloud/fleet.hpp"
#include "sim/cloud/load_balancer.hpp"
#include "sim/cloud/request.hpp"
#include "sim/cloud/target_group.hpp"
#include "sim/cloud/workload.hpp"
#include "sim/core/simulation.hpp"
#include "sim/report/recorder.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

class World final : public EventHandler {
  public:
    // Builds the components; the Spec must have passed validation.
    explicit World(const scenario::Spec& spec);
    World(const World&) = delete;
    World& operator=(const World&) = delete;

    // Schedules the initial launches, the first arrivals and the metrics periods.
    void start();
    // Runs to `t` (at most the horizon). The last partial metrics period is closed when the
    // horizon is reached.
    void run_until(SimTime t);
    void run() { run_until(horizon()); }
    bool finished() const { return finished_; }

    SimTime horizon() const { return spec_.simulation.duration; }
    const scenario::Spec& spec() const { return spec_; }
    Simulation& sim() { return sim_; }
    const report::Recorder& recorder() const { return recorder_; }
    const Fleet& fleet() const { return fleet_; }
    const std::vector<std::string>& zone_names() const { return fleet_.zone_names(); }
    const std::vector<std::unique_ptr<AutoScalingGroup>>& groups() const { return groups_; }
    const std::vector<std::unique_ptr<TargetGroup>>& target_groups() const {
        return target_groups_;
    }
    const std::vector<std::unique_ptr<LoadBalancer>>& load_balancers() const {
        return load_balancers_;
    }
    std::uint64_t requests_in_flight() const;
    std::uint64_t kernel_events() const { return events_processed_; }
    // Hours each instance existed (from launch to termination or the end of the run).
    double instance_hours() const;

    void on_event(const Event& e) override;

  private:
    enum Kind : std::uint32_t { kMetricsTick = 1 };
    void close_period(SimTime end);
    report::Gauges sample_gauges(SimTime period_start, SimTime period_end);

    scenario::Spec spec_;
    Simulation sim_;
    report::Recorder recorder_;
    RequestPool requests_;
    InstanceCatalog catalog_;
    Fleet fleet_;
    std::vector<std::unique_ptr<TargetGroup>> target_groups_;
    std::vector<std::unique_ptr<LoadBalancer>> load_balancers_;
    std::vector<std::unique_ptr<AutoScalingGroup>> groups_;
    std::vector<std::unique_ptr<Workload>> workloads_;

    SimTime period_start_ = 0;
    std::vector<double> busy_at_period_start_;  // per instance, worker-seconds
    std::uint64_t events_processed_ = 0;  // kernel events, copied from the loop after each run
    bool started_ = false;
    bool finished_ = false;
};

}  // namespace stratus::cloud
