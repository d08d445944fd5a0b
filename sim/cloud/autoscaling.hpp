#pragma once
// An EC2 Auto Scaling group. For now at a fixed desired capacity: it launches its instances at
// the start, spread evenly over its AZs (the AZ with the fewest instances first), takes each
// from Pending to InService when it has booted, and registers it with its target groups.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/cloud/catalog.hpp"
#include "sim/cloud/fleet.hpp"
#include "sim/cloud/target_group.hpp"
#include "sim/core/random.hpp"
#include "sim/core/simulation.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

struct GroupLaunchSettings {
    const scenario::LaunchTemplateSpec* launch_template = nullptr;
    InstanceTypeInfo instance_type;
};

class AutoScalingGroup final : public EventHandler {
  public:
    AutoScalingGroup(int index, const scenario::AutoScalingGroupSpec& spec,
                     GroupLaunchSettings launch, std::vector<int> zones,
                     std::vector<TargetGroup*> target_groups, std::uint64_t seed, Simulation& sim,
                     Fleet& fleet, report::Recorder& recorder);

    const std::string& name() const { return spec_.name; }
    int desired_capacity() const { return desired_; }
    int min_size() const { return spec_.min_size; }
    int max_size() const { return spec_.max_size; }
    const std::vector<int>& zones() const { return zones_; }
    const std::vector<std::uint32_t>& instances() const { return instances_; }

    // Launches the initial desired capacity.
    void start();

    void on_event(const Event& e) override;

  private:
    enum Kind : std::uint32_t { kBootDone = 1, kAppStarted = 2 };
    void launch_one();
    int zone_with_fewest_instances() const;

    int index_;
    scenario::AutoScalingGroupSpec spec_;
    GroupLaunchSettings launch_;
    std::vector<int> zones_;
    std::vector<TargetGroup*> target_groups_;
    Simulation& sim_;
    Fleet& fleet_;
    report::Recorder& recorder_;
    RandomStream boot_stream_;
    RandomStream app_start_stream_;

    int desired_ = 0;
    std::vector<std::uint32_t> instances_;  // fleet indices, in launch order
};

}  // namespace stratus::cloud
