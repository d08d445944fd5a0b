#include "sim/cloud/settings_applier.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/cloud/fluid_model.hpp"
#include "sim/cloud/world.hpp"

namespace stratus::cloud {
namespace {

using scenario::SettingId;

std::optional<std::int64_t> as_integer(const scenario::SettingValue& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
    if (const auto* d = std::get_if<double>(&v))
        if (std::isfinite(*d) && *d == std::floor(*d) && std::fabs(*d) < 1e15)
            return static_cast<std::int64_t>(*d);
    return std::nullopt;
}

std::optional<double> as_number(const scenario::SettingValue& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    if (const auto* d = std::get_if<double>(&v)) return *d;
    return std::nullopt;
}

bool is_capacity(SettingId id) {
    return id == SettingId::GroupMinSize || id == SettingId::GroupMaxSize ||
           id == SettingId::GroupDesiredCapacity;
}

scenario::SettingPath parse(const std::string& text) {
    std::string why;
    auto path = scenario::parse_setting_path(text, &why);
    if (!path) throw std::invalid_argument(text + ": " + why);
    if (!path->key->by_action()) throw std::invalid_argument(text + ": a run cannot change it");
    return *path;
}

// An integer value within the key's range (the grammar's), or std::invalid_argument.
int integer_in_range(const scenario::SettingPath& path, const scenario::SettingValue& value) {
    auto n = as_integer(value);
    if (!n || !path.key->range.contains(static_cast<double>(*n)))
        throw std::invalid_argument(
            fmt::format("{}: expected {}", path.text(), path.key->range.text("an integer")));
    return static_cast<int>(*n);
}

}  // namespace

void SettingsApplier::apply(const scenario::ActionSpec& action, const std::string& cause) {
    std::vector<std::string> groups_done;
    for (const auto& [text, value] : action.set) {
        const scenario::SettingPath path = parse(text);
        if (!is_capacity(path.key->id)) {
            apply_one(path, value, cause);
            continue;
        }
        if (std::find(groups_done.begin(), groups_done.end(), path.element) != groups_done.end())
            continue;
        groups_done.push_back(path.element);
        group_capacity(action, path.element, cause);
    }
}

void SettingsApplier::log_change(const std::string& path, const scenario::SettingValue& value,
                                 const std::string& cause) {
    World& w = world_;
    w.observer_.log(w.sim_.now(), event::SettingChanged{path, value, cause});
}

void SettingsApplier::apply_one(const scenario::SettingPath& path,
                                const scenario::SettingValue& value, const std::string& cause) {
    switch (path.key->id) {
        case SettingId::ListenerTargetGroup:
            return listener_target_group(path, value, cause);
        case SettingId::ListenerWeight:
            return listener_weight(path, value, cause);
        case SettingId::PolicyEnabled:
        case SettingId::PolicyTargetValue:
            return policy_setting(path, value, cause);
        case SettingId::WorkloadRateMultiplier:
            return workload_multiplier(path, value, cause);
        case SettingId::EcsServiceTaskDefinition:
            return ecs_task_definition(path, value, cause);
        case SettingId::EcsServiceDesiredCount:
            return ecs_desired_count(path, value, cause);
        case SettingId::EcsDrainContainerInstance:
            return ecs_drain(path, value, cause);
        default:
            return group_setting(path, value, cause);
    }
}

// UpdateService with a new task definition: the service starts a rolling update.
void SettingsApplier::ecs_task_definition(const scenario::SettingPath& path,
                                          const scenario::SettingValue& value,
                                          const std::string& cause) {
    World& w = world_;
    const auto* family = std::get_if<std::string>(&value);
    if (!family) throw std::invalid_argument(path.text() + ": expected a string");
    const scenario::EcsTaskDefinitionSpec* td = nullptr;
    for (const auto& t : w.spec_.ecs_task_definition)
        if (t.family == *family) td = &t;
    if (!td) throw std::invalid_argument(path.text() + ": no task definition " + *family);
    for (auto& s : w.ecs_services_)
        if (s->name() == path.element) {
            log_change(path.text(), value, cause);
            s->update_task_definition(*td, cause);
            return;
        }
    throw std::invalid_argument(path.text() + ": no ECS service " + path.element);
}

// UpdateService with a new desired count: the scheduler starts tasks up to it, or stops the
// surplus (each drains from its target groups first, as a scale-in by Service Auto Scaling).
void SettingsApplier::ecs_desired_count(const scenario::SettingPath& path,
                                        const scenario::SettingValue& value,
                                        const std::string& cause) {
    World& w = world_;
    const int count = integer_in_range(path, value);
    for (auto& s : w.ecs_services_)
        if (s->name() == path.element) {
            log_change(path.text(), value, cause);
            s->set_desired_count(count, cause);
            return;
        }
    throw std::invalid_argument(path.text() + ": no ECS service " + path.element);
}

// UpdateContainerInstancesState: the cluster's container instance goes DRAINING
// (ecs_draining.hpp); an instance the cluster does not have (yet) is logged as ignored.
void SettingsApplier::ecs_drain(const scenario::SettingPath& path,
                                const scenario::SettingValue& value, const std::string& cause) {
    World& w = world_;
    const auto* name = std::get_if<std::string>(&value);
    if (!name) throw std::invalid_argument(path.text() + ": expected an instance id");
    log_change(path.text(), value, cause);
    for (auto& c : w.ecs_capacity_)
        if (c->cluster() == path.element && c->drain(*name, cause)) return;
    w.observer_.log(w.sim_.now(),
                    event::CommandIgnored{path.text(), "no such registered container instance"});
}

// The capacity settings of one group in one action, together: new limits pull the desired
// capacity inside them, as AWS does. A combination AWS would refuse (min_size above max_size,
// a desired capacity outside them: possible only for a viewer command that met a state other
// than the one it was checked against) is logged as ignored and changes nothing.
void SettingsApplier::group_capacity(const scenario::ActionSpec& action, const std::string& group,
                                     const std::string& cause) {
    World& w = world_;
    AutoScalingGroup* g = w.find_group(group);
    if (!g) throw std::invalid_argument(fmt::format("autoscaling_group.{}: no such group", group));
    std::optional<int> min, max, desired;
    std::vector<std::pair<std::string, const scenario::SettingValue*>> changed;
    for (const auto& [text, value] : action.set) {
        const scenario::SettingPath path = parse(text);
        if (path.element != group || !is_capacity(path.key->id)) continue;
        const int v = integer_in_range(path, value);
        (path.key->id == SettingId::GroupMinSize   ? min
         : path.key->id == SettingId::GroupMaxSize ? max
                                                   : desired) = v;
        changed.emplace_back(path.text(), &value);
    }
    const int new_min = min.value_or(g->min_size()), new_max = max.value_or(g->max_size());
    if (new_min > new_max || (desired && (*desired < new_min || *desired > new_max))) {
        w.observer_.log(w.sim_.now(),
                        event::CommandIgnored{changed.front().first,
                                              fmt::format("min_size {} <= desired_capacity <= "
                                                          "max_size {} would not hold",
                                                          new_min, new_max)});
        return;
    }
    for (const auto& [text, value] : changed)
        log_change(text, *value, cause);
    g->update_capacity(min, max, desired, cause);
}

// The listener's index in a path's element ("0", or "0.green" for a weight), or the count of
// listeners when it names none.
std::size_t SettingsApplier::listener_index(const std::string& element) const {
    const std::string index = element.substr(0, element.find('.'));
    const std::size_t count = world_.spec_.lb_listener.size();
    if (index.empty() || index.size() >= 9 ||
        !std::all_of(index.begin(), index.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return count;
    return std::min<std::size_t>(std::stoul(index), count);
}

// The load balancer of the listener at `index` (in the scenario) and the listener's position
// among that load balancer's listeners (LoadBalancer::forwards).
LoadBalancer* SettingsApplier::listener_of(std::size_t index, std::size_t& position) const {
    World& w = world_;
    const auto& listener = w.spec_.lb_listener[index];
    position = 0;
    for (std::size_t i = 0; i < index; ++i)
        if (w.spec_.lb_listener[i].load_balancer == listener.load_balancer) ++position;
    for (auto& lb : w.load_balancers_)
        if (lb->name() == listener.load_balancer) return lb.get();
    return nullptr;
}

TargetGroup* SettingsApplier::target_group(const std::string& name) const {
    for (auto& t : world_.target_groups_)
        if (t->name() == name) return t.get();
    return nullptr;
}

void SettingsApplier::listener_target_group(const scenario::SettingPath& path,
                                            const scenario::SettingValue& value,
                                            const std::string& cause) {
    World& w = world_;
    // A listener's default action forwards to another target group (blue/green); a weighted
    // forward becomes a forward to that group alone.
    const auto* tg_name = std::get_if<std::string>(&value);
    const std::size_t index = listener_index(path.element);
    if (!tg_name || index >= w.spec_.lb_listener.size() ||
        path.element.find('.') != std::string::npos)
        throw std::invalid_argument(path.text() + ": expected a target group name");
    TargetGroup* tg = target_group(*tg_name);
    if (!tg) throw std::invalid_argument(path.text() + ": no target group " + *tg_name);
    w.observer_.log(w.sim_.now(), event::SettingChanged{path.text(), *tg_name, cause});
    std::size_t position = 0;
    if (LoadBalancer* lb = listener_of(index, position)) lb->set_target_group(tg, position);
    mark_zones_in_use(w.load_balancers_, w.target_groups_);
}

// lb_listener.<index>.<target group>.weight: the group's share of the listener's forward
// changes (blue/green shifting); a group not in the forward joins it.
void SettingsApplier::listener_weight(const scenario::SettingPath& path,
                                      const scenario::SettingValue& value,
                                      const std::string& cause) {
    World& w = world_;
    const std::size_t index = listener_index(path.element);
    const auto dot = path.element.find('.');
    TargetGroup* tg =
        dot == std::string::npos ? nullptr : target_group(path.element.substr(dot + 1));
    if (index >= w.spec_.lb_listener.size() || !tg)
        throw std::invalid_argument(path.text() +
                                    ": expected lb_listener.<index>.<target group>.weight");
    const int weight = integer_in_range(path, value);
    log_change(path.text(), value, cause);
    // Fluid mode: the step open now was solved with the old weights; the load balancer tells
    // the model, which re-solves at this instant (as for a target group switch).
    std::size_t position = 0;
    if (LoadBalancer* lb = listener_of(index, position)) lb->set_weight(tg, weight, position);
    mark_zones_in_use(w.load_balancers_, w.target_groups_);
}

void SettingsApplier::policy_setting(const scenario::SettingPath& path,
                                     const scenario::SettingValue& value,
                                     const std::string& cause) {
    World& w = world_;
    ScalingPolicy* policy = nullptr;
    for (auto& p : w.policies_)
        if (p->name() == path.element) policy = p.get();
    if (!policy) throw std::invalid_argument(path.text() + ": no scaling policy " + path.element);
    if (path.key->id == SettingId::PolicyEnabled) {
        const bool* on = std::get_if<bool>(&value);
        if (!on) throw std::invalid_argument(path.text() + ": expected true or false");
        log_change(path.text(), value, cause);
        policy->set_enabled(*on);
        return;
    }
    const auto target = as_number(value);
    if (!target) throw std::invalid_argument(path.text() + ": expected a number");
    if (!policy->high_alarm() || !path.key->range.contains(*target))
        throw std::invalid_argument(path.text() +
                                    ": expected a target tracking policy and a value > 0");
    log_change(path.text(), value, cause);
    policy->set_target_value(*target);
    // The re-created alarms watch the same metric, already tracked in the store.
    if (MetricAlarm* a = policy->high_alarm()) w.cloudwatch_.track(*a);
    if (MetricAlarm* a = policy->low_alarm()) w.cloudwatch_.track(*a);
}

void SettingsApplier::workload_multiplier(const scenario::SettingPath& path,
                                          const scenario::SettingValue& value,
                                          const std::string& cause) {
    World& w = world_;
    Workload* workload = nullptr;
    for (auto& wl : w.workloads_)
        if (wl->name() == path.element) workload = wl.get();
    const auto scale = as_number(value);
    if (!workload || !scale || !path.key->range.contains(*scale))
        throw std::invalid_argument(path.text() + ": expected a workload and a number >= 0");
    log_change(path.text(), value, cause);
    // Fluid mode: the traffic so far is accounted at the old rates (the multiplier applies
    // to the rate function as a whole), then the model re-solves at the new ones.
    if (w.fluid_) w.fluid_->advance_to(w.sim_.now());
    workload->set_rate_multiplier(*scale);
    if (w.fluid_) w.fluid_->routing_changed();
}

void SettingsApplier::group_setting(const scenario::SettingPath& path,
                                    const scenario::SettingValue& value, const std::string& cause) {
    World& w = world_;
    AutoScalingGroup* g = w.find_group(path.element);
    if (!g) throw std::invalid_argument(path.text() + ": no group " + path.element);
    const auto* text = std::get_if<std::string>(&value);
    switch (path.key->id) {
        case SettingId::GroupTerminateInstance:
            if (!text) throw std::invalid_argument(path.text() + ": expected an instance id");
            log_change(path.text(), value, cause);
            if (!g->terminate_instance(*text, cause))
                w.observer_.log(w.sim_.now(),
                                event::CommandIgnored{path.text(), "no such instance in service"});
            return;
        case SettingId::GroupHealthCheckGracePeriod: {
            const int seconds = integer_in_range(path, value);
            log_change(path.text(), value, cause);
            g->set_health_check_grace_period(seconds);
            return;
        }
        case SettingId::GroupLaunchTemplateVersion: {
            const int version = integer_in_range(path, value);
            log_change(path.text(), value, cause);
            g->set_launch_template(
                w.launch_settings(g->launch_settings().launch_template->name, version));
            return;
        }
        case SettingId::GroupLaunchTemplate:
            if (!text) throw std::invalid_argument(path.text() + ": expected a launch template");
            log_change(path.text(), value, cause);
            g->set_launch_template(w.launch_settings(*text, 0));
            return;
        default:
            throw std::invalid_argument(path.text() + ": a run cannot change it");
    }
}

}  // namespace stratus::cloud
