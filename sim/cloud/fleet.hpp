#pragma once
// Every EC2 instance of a run, in launch order. Instances are never removed, so an index stays
// valid for the whole run (events, requests and reports refer to instances by index).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/cloud/instance.hpp"

namespace stratus::cloud {

// Counts for summary.json's instances section.
struct FleetCounts {
    int launched = 0;
    int terminated = 0;
    int spot_interruptions = 0;
    int in_service = 0;  // Auto Scaling lifecycle InService, now
    int peak_in_service = 0;
};

class Fleet {
  public:
    Fleet(std::vector<std::string> zone_names, Simulation& sim, RequestPool& requests,
          RequestAccounting& accounting)
        : zone_names_(std::move(zone_names)),
          sim_(sim),
          requests_(requests),
          accounting_(accounting) {}

    // The region's AZs; instances and load balancer nodes refer to them by index.
    const std::vector<std::string>& zone_names() const { return zone_names_; }
    const std::string& zone_name(int zone) const { return zone_names_[zone]; }

    // Every instance created from now on reports its state changes to `observer`.
    void set_state_observer(InstanceStateObserver* observer) { observer_ = observer; }

    // Creates (launches) an instance named i-0001, i-0002, ... in launch order; an ECS
    // task's compute (config.ecs_task) keeps the task's name and is not counted as launched.
    Instance& create(InstanceConfig config);

    // The groups tell the fleet what it counts: instances terminated, interrupted by EC2
    // (Spot) and entering or leaving InService.
    const FleetCounts& counts() const { return counts_; }
    void count_terminated() { ++counts_.terminated; }
    void count_spot_interruption() { ++counts_.spot_interruptions; }
    void count_in_service(int delta) {
        counts_.in_service += delta;
        if (counts_.in_service > counts_.peak_in_service)
            counts_.peak_in_service = counts_.in_service;
    }

    // Every change of an instance's EC2 state (and with it of a terminated one's lifecycle),
    // counted (World tells the fleet): AutoScalingGroup::quiet_poll's cue.
    void note_state_change() { ++state_changes_; }
    std::uint64_t state_changes() const { return state_changes_; }

    std::size_t size() const { return instances_.size(); }
    Instance& operator[](std::uint32_t i) { return *instances_[i]; }
    const Instance& operator[](std::uint32_t i) const { return *instances_[i]; }

  private:
    std::vector<std::string> zone_names_;
    Simulation& sim_;
    RequestPool& requests_;
    RequestAccounting& accounting_;
    InstanceStateObserver* observer_ = nullptr;
    FleetCounts counts_;
    std::uint64_t state_changes_ = 0;
    std::vector<std::unique_ptr<Instance>> instances_;  // stable addresses: events point at them
};

// Performance: the instances not terminated before a given time, in ascending order (so loops
// over them visit instances as loops over the fleet do). A terminated instance's counters no
// longer move and month-long runs launch thousands, so the per-slice loops skip them. The
// time passed to refresh must not decrease.
class LiveInstances {
  public:
    // Drops the instances terminated before `since`, adds those launched since the last call.
    const std::vector<std::uint32_t>& refresh(const Fleet& fleet, SimTime since);
    const std::vector<std::uint32_t>& ids() const { return live_; }

  private:
    std::vector<std::uint32_t> live_;
    std::uint32_t known_ = 0;                         // fleet size at the last refresh
    std::uint64_t seen_changes_ = ~std::uint64_t{0};  // Fleet::state_changes at the last check
    bool kept_terminated_ = false;                    // the last check kept a terminated instance
    bool added_ = false;                              // instances were added after the last check
};

}  // namespace stratus::cloud
