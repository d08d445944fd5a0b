#include "sim/cloud/settings_applier.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "sim/cloud/world.hpp"

namespace stratus::cloud {

void SettingsApplier::apply(const std::string& path, const scenario::SettingValue& value,
                            const std::string& cause) {
    if (path.rfind("lb_listener.", 0) == 0 && path.size() > 13 &&
        path.compare(path.size() - 13, 13, ".target_group") == 0) {
        listener_target_group(path, value, cause);
        return;
    }
    const auto first = path.find('.');
    const auto last = path.rfind('.');
    if (first != std::string::npos && last != first) {
        const std::string section = path.substr(0, first);
        const std::string name = path.substr(first + 1, last - first - 1);
        const std::string field = path.substr(last + 1);
        if (section == "autoscaling_policy" && policy_setting(path, name, field, value, cause))
            return;
        if (section == "workload" && field == "rate_multiplier") {
            workload_multiplier(path, name, value, cause);
            return;
        }
        if (section == "autoscaling_group" && field == "terminate_instance") {
            terminate_instance(path, name, value, cause);
            return;
        }
    }
    group_setting(path, value, cause);
}

void SettingsApplier::log_change(const std::string& path, const scenario::SettingValue& value,
                                 const std::string& cause) {
    World& w = world_;
    w.recorder_.log().add(
        w.sim_.now(), "setting_changed",
        {{"path", path},
         {"value", std::visit([](const auto& v) { return nlohmann::ordered_json(v); }, value)},
         {"cause", cause}});
}

void SettingsApplier::listener_target_group(const std::string& path,
                                            const scenario::SettingValue& value,
                                            const std::string& cause) {
    World& w = world_;
    // A listener's default action forwards to another target group (blue/green). Only the
    // first listener of a load balancer carries the workloads' traffic.
    const std::size_t index = std::stoul(path.substr(12, path.size() - 12 - 13));
    const auto* tg_name = std::get_if<std::string>(&value);
    if (!tg_name || index >= w.spec_.lb_listener.size())
        throw std::invalid_argument(path + ": expected a target group name");
    TargetGroup* tg = nullptr;
    for (auto& t : w.target_groups_)
        if (t->name() == *tg_name) tg = t.get();
    if (!tg) throw std::invalid_argument(path + ": no target group " + *tg_name);
    w.recorder_.log().add(w.sim_.now(), "setting_changed",
                          {{"path", path}, {"value", *tg_name}, {"cause", cause}});
    const auto& listener = w.spec_.lb_listener[index];
    std::size_t first = index;
    for (std::size_t i = 0; i < w.spec_.lb_listener.size(); ++i) {
        if (w.spec_.lb_listener[i].load_balancer == listener.load_balancer) {
            first = i;
            break;
        }
    }
    if (first == index) {
        for (auto& lb : w.load_balancers_)
            if (lb->name() == listener.load_balancer) lb->set_target_group(tg);
    }
}

bool SettingsApplier::policy_setting(const std::string& path, const std::string& name,
                                     const std::string& field, const scenario::SettingValue& value,
                                     const std::string& cause) {
    if (field != "enabled" && field != "target_value") return false;
    World& w = world_;
    ScalingPolicy* policy = nullptr;
    for (auto& p : w.policies_)
        if (p->name() == name) policy = p.get();
    if (!policy) throw std::invalid_argument(path + ": no scaling policy " + name);
    if (field == "enabled") {
        const bool* on = std::get_if<bool>(&value);
        if (!on) throw std::invalid_argument(path + ": expected true or false");
        log_change(path, value, cause);
        policy->set_enabled(*on);
        return true;
    }
    double target = 0;
    if (const auto* d = std::get_if<double>(&value)) {
        target = *d;
    } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
        target = static_cast<double>(*i);
    } else {
        throw std::invalid_argument(path + ": expected a number");
    }
    if (!policy->high_alarm() || !(target > 0))
        throw std::invalid_argument(path + ": expected a target tracking policy and a value > 0");
    log_change(path, value, cause);
    policy->set_target_value(target);
    // The re-created alarms watch the same metric, already tracked in the store.
    if (MetricAlarm* a = policy->high_alarm()) a->track_metric(w.metrics_);
    if (MetricAlarm* a = policy->low_alarm()) a->track_metric(w.metrics_);
    return true;
}

void SettingsApplier::workload_multiplier(const std::string& path, const std::string& name,
                                          const scenario::SettingValue& value,
                                          const std::string& cause) {
    World& w = world_;
    Workload* workload = nullptr;
    for (auto& wl : w.workloads_)
        if (wl->name() == name) workload = wl.get();
    double scale = -1;
    if (const auto* d = std::get_if<double>(&value)) scale = *d;
    if (const auto* i = std::get_if<std::int64_t>(&value)) scale = static_cast<double>(*i);
    if (!workload || !(scale >= 0))
        throw std::invalid_argument(path + ": expected a workload and a number >= 0");
    log_change(path, value, cause);
    // Fluid mode: the traffic so far is accounted at the old rates (the multiplier applies
    // to the rate function as a whole), then the model re-solves at the new ones.
    if (w.fluid_) w.fluid_->advance_to(w.sim_.now());
    workload->set_rate_multiplier(scale);
    if (w.fluid_) w.fluid_->routing_changed();
}

void SettingsApplier::terminate_instance(const std::string& path, const std::string& name,
                                         const scenario::SettingValue& value,
                                         const std::string& cause) {
    World& w = world_;
    AutoScalingGroup* g = w.find_group(name);
    const auto* id = std::get_if<std::string>(&value);
    if (!g || !id) throw std::invalid_argument(path + ": expected a group and an instance id");
    log_change(path, value, cause);
    if (!g->terminate_instance(*id, cause))
        w.recorder_.log().add(w.sim_.now(), "command_ignored",
                              {{"path", path}, {"why", "no such instance in service"}});
}

void SettingsApplier::group_setting(const std::string& path, const scenario::SettingValue& value,
                                    const std::string& cause) {
    World& w = world_;
    auto as_int = [&]() -> int {
        if (const auto* i = std::get_if<std::int64_t>(&value)) return static_cast<int>(*i);
        if (const auto* d = std::get_if<double>(&value)) return static_cast<int>(*d);
        throw std::invalid_argument(path + ": expected an integer");
    };
    const std::string prefix = "autoscaling_group.";
    if (path.rfind(prefix, 0) != 0) throw std::invalid_argument(path + ": not supported");
    const auto dot = path.rfind('.');
    const std::string name = path.substr(prefix.size(), dot - prefix.size());
    const std::string field = path.substr(dot + 1);
    AutoScalingGroup* g = w.find_group(name);
    if (!g) throw std::invalid_argument(path + ": no group " + name);
    log_change(path, value, cause);
    if (field == "desired_capacity") {
        g->update_capacity(std::nullopt, std::nullopt, as_int(), cause);
    } else if (field == "min_size") {
        g->update_capacity(as_int(), std::nullopt, std::nullopt, cause);
    } else if (field == "max_size") {
        g->update_capacity(std::nullopt, as_int(), std::nullopt, cause);
    } else if (field == "health_check_grace_period") {
        g->set_health_check_grace_period(as_int());
    } else if (field == "launch_template_version") {
        g->set_launch_template(
            w.launch_settings(g->launch_settings().launch_template->name, as_int()));
    } else if (field == "launch_template") {
        const auto* s = std::get_if<std::string>(&value);
        if (!s) throw std::invalid_argument(path + ": expected a launch template name");
        g->set_launch_template(w.launch_settings(*s, 0));
    } else {
        throw std::invalid_argument(path + ": not supported");
    }
}

}  // namespace stratus::cloud
