#pragma once
// Applies the settings of an [[action]] (a viewer command is one) to a running World: a
// group's capacity, grace period or launch template, a listener's target group or weights, a
// scaling policy switched off or given a new target, a workload's traffic multiplier, one instance
// terminated. Which keys a run can change, and the path syntax, come from the grammar
// (scenario::parse_setting_path); this is each key's behaviour. Each change is logged as
// `setting_changed` with its cause before it acts.
#include <optional>
#include <string>

#include "sim/scenario/settings.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

class World;
class LoadBalancer;
class TargetGroup;

class SettingsApplier {
  public:
    explicit SettingsApplier(World& world) : world_(world) {}

    // Applies every setting of `action` now, in its order, except that a group's capacity
    // settings (min_size, max_size, desired_capacity) apply together, as one
    // UpdateAutoScalingGroup, where the first of them stands. Throws std::invalid_argument
    // for a path or value the grammar refuses (validate refuses them first).
    void apply(const scenario::ActionSpec& action, const std::string& cause);

  private:
    void apply_one(const scenario::SettingPath& path, const scenario::SettingValue& value,
                   const std::string& cause);
    void group_capacity(const scenario::ActionSpec& action, const std::string& group,
                        const std::string& cause);
    std::size_t listener_index(const std::string& element) const;
    LoadBalancer* listener_of(std::size_t index, std::size_t& position) const;
    TargetGroup* target_group(const std::string& name) const;
    void listener_weight(const scenario::SettingPath& path, const scenario::SettingValue& value,
                         const std::string& cause);
    void listener_target_group(const scenario::SettingPath& path,
                               const scenario::SettingValue& value, const std::string& cause);
    void policy_setting(const scenario::SettingPath& path, const scenario::SettingValue& value,
                        const std::string& cause);
    void ecs_task_definition(const scenario::SettingPath& path, const scenario::SettingValue& value,
                             const std::string& cause);
    void ecs_desired_count(const scenario::SettingPath& path, const scenario::SettingValue& value,
                           const std::string& cause);
    void ecs_drain(const scenario::SettingPath& path, const scenario::SettingValue& value,
                   const std::string& cause);
    void workload_multiplier(const scenario::SettingPath& path, const scenario::SettingValue& value,
                             const std::string& cause);
    void group_setting(const scenario::SettingPath& path, const scenario::SettingValue& value,
                       const std::string& cause);
    void log_change(const std::string& path, const scenario::SettingValue& value,
                    const std::string& cause);

    World& world_;
};

}  // namespace stratus::cloud
