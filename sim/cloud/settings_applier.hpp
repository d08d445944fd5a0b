#pragma once
// Applies one setting to a running World, as a scenario's [[action]] or a viewer command asks:
// a group's capacity, grace period or launch template, a listener's target group, a scaling
// policy switched off or given a new target, a workload's traffic multiplier, one instance
// terminated. Each change is logged as `setting_changed` with its cause before it acts.
#include <string>

#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

class World;
class AutoScalingGroup;

class SettingsApplier {
  public:
    explicit SettingsApplier(World& world) : world_(world) {}

    // Applies `value` at `path` ("autoscaling_group.web.min_size") now. Throws
    // std::invalid_argument when the path names nothing this World can change or the value
    // is not of the setting's type.
    void apply(const std::string& path, const scenario::SettingValue& value,
               const std::string& cause);

  private:
    void listener_target_group(const std::string& path, const scenario::SettingValue& value,
                               const std::string& cause);
    bool policy_setting(const std::string& path, const std::string& name, const std::string& field,
                        const scenario::SettingValue& value, const std::string& cause);
    void workload_multiplier(const std::string& path, const std::string& name,
                             const scenario::SettingValue& value, const std::string& cause);
    void terminate_instance(const std::string& path, const std::string& name,
                            const scenario::SettingValue& value, const std::string& cause);
    void group_setting(const std::string& path, const scenario::SettingValue& value,
                       const std::string& cause);
    void log_change(const std::string& path, const scenario::SettingValue& value,
                    const std::string& cause);

    World& world_;
};

}  // namespace stratus::cloud
