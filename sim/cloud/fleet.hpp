#pragma once
// Every EC2 instance of a run, in launch order. Instances are never removed, so an index stays
// valid for the whole run (events, requests and reports refer to instances by index).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/cloud/instance.hpp"

namespace stratus::cloud {

class Fleet {
  public:
    Fleet(std::vector<std::string> zone_names, Simulation& sim, RequestPool& requests,
          report::Recorder& recorder)
        : zone_names_(std::move(zone_names)), sim_(sim), requests_(requests), recorder_(recorder) {}

    // The region's AZs; instances and load balancer nodes refer to them by index.
    const std::vector<std::string>& zone_names() const { return zone_names_; }
    const std::string& zone_name(int zone) const { return zone_names_[zone]; }

    // Every instance created from now on reports its state changes to `observer`.
    void set_state_observer(InstanceStateObserver* observer) { observer_ = observer; }

    // Creates an instance named i-0001, i-0002, ... in launch order.
    Instance& create(InstanceConfig config);

    std::size_t size() const { return instances_.size(); }
    Instance& operator[](std::uint32_t i) { return *instances_[i]; }
    const Instance& operator[](std::uint32_t i) const { return *instances_[i]; }

  private:
    std::vector<std::string> zone_names_;
    Simulation& sim_;
    RequestPool& requests_;
    report::Recorder& recorder_;
    InstanceStateObserver* observer_ = nullptr;
    std::vector<std::unique_ptr<Instance>> instances_;  // stable addresses: events point at them
};

}  // namespace stratus::cloud
