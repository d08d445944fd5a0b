#include "sim/scenario/actions.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <tuple>

#include <fmt/format.h>

#include "sim/scenario/cron.hpp"
#include "sim/scenario/internal.hpp"

namespace stratus::scenario {
namespace {

using Names = std::vector<std::string>;

std::optional<std::int64_t> as_integer(const SettingValue& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
    if (const auto* d = std::get_if<double>(&v))
        if (std::isfinite(*d) && *d == std::floor(*d) && std::fabs(*d) < 1e15)
            return static_cast<std::int64_t>(*d);
    return std::nullopt;
}

std::optional<double> as_number(const SettingValue& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    if (const auto* d = std::get_if<double>(&v)) return *d;
    return std::nullopt;
}

std::string describe(const SettingValue& v) {
    if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
    if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
    if (const auto* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
    return fmt::format("\"{}\"", std::get<std::string>(v));
}

// The names of the elements of a section, as an [[action]] path names them.
Names element_names(const Spec& spec, std::string_view section) {
    Names out;
    auto add = [&](const auto& items, auto name) {
        for (const auto& item : items)
            out.push_back(name(item));
    };
    auto by_name = [](const auto& item) { return item.name; };
    if (section == "instance_type") add(spec.instance_type, by_name);
    if (section == "launch_template") add(spec.launch_template, by_name);
    if (section == "load_balancer") add(spec.load_balancer, by_name);
    if (section == "target_group") add(spec.target_group, by_name);
    if (section == "autoscaling_group") add(spec.autoscaling_group, by_name);
    if (section == "autoscaling_policy") add(spec.autoscaling_policy, by_name);
    if (section == "cloudwatch_metric_alarm")
        add(spec.cloudwatch_metric_alarm, [](const auto& a) { return a.alarm_name; });
    if (section == "autoscaling_schedule")
        add(spec.autoscaling_schedule, [](const auto& s) { return s.scheduled_action_name; });
    if (section == "workload") add(spec.workload, by_name);
    if (section == "db_instance") add(spec.db_instance, [](const auto& d) { return d.identifier; });
    if (section == "subnet") add(spec.subnet, by_name);
    if (section == "security_group") add(spec.security_group, by_name);
    if (section == "nat_gateway") add(spec.nat_gateway, by_name);
    if (section == "instance") add(spec.instance, by_name);
    if (section == "eip") add(spec.eip, by_name);
    if (section == "ebs_volume") add(spec.ebs_volume, by_name);
    if (section == "ebs_snapshot") add(spec.ebs_snapshot, by_name);
    if (section == "s3_bucket") add(spec.s3_bucket, by_name);
    if (section == "ecs_cluster") add(spec.ecs_cluster, by_name);
    if (section == "ecs_service") add(spec.ecs_service, by_name);
    if (section == "ecs_task_definition")
        add(spec.ecs_task_definition, [](const auto& t) { return t.family; });
    if (section == "reserved_instance") add(spec.reserved_instance, by_name);
    if (section == "reserved_db_instance") add(spec.reserved_db_instance, by_name);
    if (section == "savings_plan") add(spec.savings_plan, by_name);
    if (section == "lb_listener")
        for (std::size_t i = 0; i < spec.lb_listener.size(); ++i)
            out.push_back(std::to_string(i));
    return out;
}

// The settings of an action that parse, with their grammar rows.
struct Setting {
    SettingPath path;
    const SettingValue* value;
    std::string key;  // "set.<path>": where its position is
};

std::vector<Setting> settings_of(const ActionSpec& a) {
    std::vector<Setting> out;
    for (const auto& [text, value] : a.set)
        if (auto p = parse_setting_path(text, nullptr)) out.push_back({*p, &value, "set." + text});
    return out;
}

// An action's capacity settings for one group, together (UpdateAutoScalingGroup).
struct CapacityChange {
    std::optional<int> min_size, max_size, desired_capacity;
};

CapacityChange capacity_change(const ActionSpec& a, const std::string& group) {
    CapacityChange c;
    for (const auto& s : settings_of(a)) {
        if (s.path.element != group) continue;
        auto n = as_integer(*s.value);
        if (!n || !s.path.key->range.contains(static_cast<double>(*n))) continue;
        const int v = static_cast<int>(*n);
        if (s.path.key->id == SettingId::GroupMinSize) c.min_size = v;
        if (s.path.key->id == SettingId::GroupMaxSize) c.max_size = v;
        if (s.path.key->id == SettingId::GroupDesiredCapacity) c.desired_capacity = v;
    }
    return c;
}

// The last firing of a recurring scheduled action before an action at `t` runs. The first
// firing was scheduled before the actions, so one at `t` itself runs before it; later firings
// at `t` run after it.
std::optional<SimTime> last_firing_before(const Spec& spec, const AutoScalingScheduleSpec& s,
                                          SimTime t) {
    std::optional<CronSchedule> cron;
    try {
        cron = CronSchedule::parse(s.recurrence);
    } catch (const CronError&) {
        return std::nullopt;
    }
    const std::string zone = s.time_zone.empty() ? "UTC" : s.time_zone;
    const std::int64_t epoch = spec.simulation.start_epoch_s;
    const SimTime begin = s.start_time.value_or(0);
    SimTime limit = std::min(t, spec.simulation.duration);
    if (s.end_time) limit = std::min(limit, *s.end_time + 1);
    std::optional<std::int64_t> first;
    try {
        first = cron->next_fire(epoch + (begin - 1 < 0 ? -1 : (begin - 1) / kSecond), zone);
    } catch (const CronError&) {
        return std::nullopt;
    }
    if (!first) return std::nullopt;
    const SimTime first_at = (*first - epoch) * kSecond;
    if (first_at == t && first_at < spec.simulation.duration) return first_at;
    if (first_at >= limit) return std::nullopt;
    // The firings before `limit`: the last one, found in windows growing backwards from it.
    const std::int64_t until = epoch + (limit + kSecond - 1) / kSecond;
    std::int64_t last = *first;
    for (std::int64_t window = 3600;; window *= 8) {
        const std::int64_t after = std::max(last, until - window);
        auto f = cron->next_fire(after, zone);
        if (f && *f < until) {
            last = *f;
            for (auto n = cron->next_fire(last, zone); n && *n < until;
                 n = cron->next_fire(last, zone))
                last = *n;
            break;
        }
        if (after == last) break;
    }
    return (last - epoch) * kSecond;
}

// ---- Checks ------------------------------------------------------------------------------------

// The value a size has and who set it last. At one instant the first firing of a recurrence
// and a one-off scheduled action run before the actions (they were scheduled first), later
// firings of a recurrence after them.
struct Setter {
    SimTime at = -1;
    int rank = -1;
    std::size_t order = 0;
    int value = 0;
    bool later_than(const Setter& o) const {
        return std::tie(at, rank, order) > std::tie(o.at, o.rank, o.order);
    }
};

// A group as the sweep through the actions meets it.
struct GroupTimeline {
    Setter min_size, max_size;                    // the file's, then the actions'
    std::string launch_template;                  // the one it launches now
    std::vector<std::size_t> one_off, recurring;  // its scheduled actions that change sizes
    std::size_t one_off_done = 0;
};

// Checks every action in the order a run applies them (by time, then as written), keeping
// the state of each group as it goes.
struct ActionChecker {
    const Spec& spec;
    std::vector<Diagnostic> out;
    std::vector<std::vector<Setting>> parsed;  // per action: its settings that check out
    std::map<std::string, GroupTimeline> groups;

    void error(const ActionSpec& a, std::size_t i, const std::string& key, std::string message) {
        out.push_back({Severity::Error, position_of(spec, a.pos, key),
                       fmt::format("action[{}].{}", i, key), message});
    }

    void start_groups() {
        for (const auto& g : spec.autoscaling_group) {
            GroupTimeline& t = groups[g.name];
            t.min_size.value = g.min_size;
            t.max_size.value = g.max_size;
            t.launch_template = g.launch_template;
        }
        for (std::size_t i = 0; i < spec.autoscaling_schedule.size(); ++i) {
            const auto& s = spec.autoscaling_schedule[i];
            auto it = groups.find(s.autoscaling_group);
            if (it == groups.end() || (!s.min_size && !s.max_size)) continue;
            (s.recurrence.empty() ? it->second.one_off : it->second.recurring).push_back(i);
        }
        for (auto& entry : groups) {
            auto& one_off = entry.second.one_off;
            std::stable_sort(one_off.begin(), one_off.end(), [&](std::size_t x, std::size_t y) {
                return spec.autoscaling_schedule[x].start_time.value_or(0) <
                       spec.autoscaling_schedule[y].start_time.value_or(0);
            });
        }
    }

    void run() {
        start_groups();
        parsed.resize(spec.action.size());
        std::vector<std::size_t> order(spec.action.size());
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
            return spec.action[x].at < spec.action[y].at;
        });
        for (std::size_t i : order) {
            const ActionSpec& a = spec.action[i];
            for (const auto& [text, value] : a.set)
                setting(a, i, text, value);
            capacity(a, i);
        }
    }

    // One "<section>.<element>.<key>" = value.
    void setting(const ActionSpec& a, std::size_t i, const std::string& text,
                 const SettingValue& value) {
        const std::string key = "set." + text;
        std::string why;
        auto path = parse_setting_path(text, &why);
        if (!path) return error(a, i, key, why);
        if (path->key->id == SettingId::ListenerWeight) {
            if (!value_fits(a, i, key, *path->key, value)) return;
            if (listener_weight(a, i, key, path->element))
                parsed[i].push_back({*path, &value, key});
            return;
        }
        const Names known = element_names(spec, path->section->name);
        if (std::find(known.begin(), known.end(), path->element) == known.end()) {
            std::string hint = detail::did_you_mean(path->element, known);
            return error(a, i, key,
                         fmt::format("unknown {} `{}`; known: {}{}", path->section->name,
                                     detail::shortened(path->element), detail::quoted_list(known),
                                     hint.empty() ? "" : "; " + hint));
        }
        if (!value_fits(a, i, key, *path->key, value)) return;
        parsed[i].push_back({*path, &value, key});
        reference(a, i, key, *path, value);
    }

    // lb_listener.<index>.<target group>.weight: the listener and the target group exist.
    bool listener_weight(const ActionSpec& a, std::size_t i, const std::string& key,
                         const std::string& element) {
        const auto dot = element.find('.');
        const std::string index = element.substr(0, dot);
        const Names listeners = element_names(spec, "lb_listener");
        if (dot == std::string::npos ||
            std::find(listeners.begin(), listeners.end(), index) == listeners.end()) {
            error(a, i, key,
                  fmt::format("expected lb_listener.<index>.<target group>.weight with an index "
                              "among {}, found `{}`",
                              detail::quoted_list(listeners), detail::shortened(element)));
            return false;
        }
        const std::string group = element.substr(dot + 1);
        const Names groups = element_names(spec, "target_group");
        if (std::find(groups.begin(), groups.end(), group) != groups.end()) return true;
        std::string hint = detail::did_you_mean(group, groups);
        error(a, i, key,
              fmt::format("unknown target group `{}`; known: {}{}", detail::shortened(group),
                          detail::quoted_list(groups), hint.empty() ? "" : "; " + hint));
        return false;
    }

    // The value has the key's type and is in its range.
    bool value_fits(const ActionSpec& a, std::size_t i, const std::string& key, const KeyDef& k,
                    const SettingValue& value) {
        std::string expected;
        switch (k.type) {
            case KeyType::Integer:
            case KeyType::Seconds: {
                auto n = as_integer(value);
                if (n && k.range.contains(static_cast<double>(*n))) return true;
                expected = k.range.text("an integer");
                break;
            }
            case KeyType::Number: {
                auto n = as_number(value);
                if (n && k.range.contains(*n)) return true;
                expected = k.range.text("a number");
                break;
            }
            case KeyType::Boolean:
                if (std::holds_alternative<bool>(value)) return true;
                expected = "true or false";
                break;
            case KeyType::Choice: {
                const auto* s = std::get_if<std::string>(&value);
                if (s && std::find(k.choices.begin(), k.choices.end(), *s) != k.choices.end())
                    return true;
                expected = "one of " + detail::quoted_list(k.choices, 20);
                break;
            }
            case KeyType::Text:
            case KeyType::Name:
            case KeyType::Reference:
                if (std::holds_alternative<std::string>(value)) return true;
                expected = "a string";
                break;
            default:
                return true;  // a run cannot change it: unsupported_features says so
        }
        error(a, i, key,
              fmt::format("{}: expected {}, found {}", k.name(), expected, describe(value)));
        return false;
    }

    // What the value names exists (a template, a target group, a version, a policy's target).
    void reference(const ActionSpec& a, std::size_t i, const std::string& key,
                   const SettingPath& path, const SettingValue& value) {
        auto must_name = [&](const char* what, std::string_view section) {
            const auto& name = std::get<std::string>(value);
            const Names known = element_names(spec, section);
            if (std::find(known.begin(), known.end(), name) != known.end()) return true;
            std::string hint = detail::did_you_mean(name, known);
            error(a, i, key,
                  fmt::format("unknown {} `{}`; known: {}{}", what, detail::shortened(name),
                              detail::quoted_list(known), hint.empty() ? "" : "; " + hint));
            return false;
        };
        switch (path.key->id) {
            case SettingId::GroupLaunchTemplate:
                // From here on the group launches it (its versions are checked against it).
                if (must_name("launch template", "launch_template"))
                    groups[path.element].launch_template = std::get<std::string>(value);
                return;
            case SettingId::ListenerTargetGroup:
                must_name("target group", "target_group");
                return;
            case SettingId::EcsServiceTaskDefinition:
                if (must_name("task definition family", "ecs_task_definition"))
                    task_definition(a, i, key, path.element, std::get<std::string>(value));
                return;
            case SettingId::EcsServiceDesiredCount:
                for (const auto& x : spec.ecs_service)
                    if (x.name == path.element &&
                        x.scheduling_strategy == EcsSchedulingStrategy::Daemon)
                        error(a, i, key,
                              fmt::format("service `{}` is a DAEMON service: it runs one task on "
                                          "each container instance and has no desired count",
                                          x.name));
                return;
            case SettingId::GroupLaunchTemplateVersion:
                return version(a, i, key, path.element, *as_integer(value));
            case SettingId::PolicyTargetValue:
                for (const auto& p : spec.autoscaling_policy)
                    if (p.name == path.element && !p.target_tracking_configuration)
                        error(a, i, key,
                              fmt::format("policy `{}` is a {}: only a TargetTrackingScaling "
                                          "policy has a target value",
                                          p.name,
                                          detail::name_of(detail::kPolicyType, p.policy_type)));
                return;
            default:
                return;
        }
    }

    // The service can run the new task definition as it runs the old one: on Fargate, and with
    // the container and port its load balancers forward to (UpdateService refuses otherwise).
    void task_definition(const ActionSpec& a, std::size_t i, const std::string& key,
                         const std::string& service, const std::string& family) {
        const EcsServiceSpec* s = nullptr;
        for (const auto& x : spec.ecs_service)
            if (x.name == service) s = &x;
        const EcsTaskDefinitionSpec* td = nullptr;
        for (const auto& t : spec.ecs_task_definition)
            if (t.family == family) td = &t;
        if (!s || !td) return;
        const auto& compat = td->requires_compatibilities;
        // On Fargate as validate.cpp judges it: a strategy of Auto Scaling group providers is
        // EC2 (runs_on_ec2), not Fargate.
        const bool fargate = !runs_on_ec2(spec, *s) && (s->launch_type == EcsLaunchType::Fargate ||
                                                        !strategy_of(spec, *s).empty());
        if (fargate &&
            std::find(compat.begin(), compat.end(), EcsLaunchType::Fargate) == compat.end())
            return error(a, i, key,
                         fmt::format("task definition `{}` does not list FARGATE in "
                                     "requires_compatibilities: service `{}` runs on Fargate",
                                     family, service));
        for (const auto& lb : s->load_balancer) {
            bool mapped = false;
            for (const auto& c : td->containers)
                for (const auto& m : c.port_mappings)
                    mapped = mapped ||
                             (c.name == lb.container_name && m.container_port == lb.container_port);
            if (!mapped)
                return error(a, i, key,
                             fmt::format("task definition `{}` has no container `{}` mapping "
                                         "port {}, which service `{}` registers in target group "
                                         "`{}`",
                                         family, detail::shortened(lb.container_name),
                                         lb.container_port, service, lb.target_group));
        }
    }

    // The version exists for the template the group launches when the action applies (an
    // action's launch_template, written before its launch_template_version, applies first).
    void version(const ActionSpec& a, std::size_t i, const std::string& key,
                 const std::string& group, std::int64_t v) {
        const std::string& lt = groups[group].launch_template;
        Names versions;
        for (const auto& t : spec.launch_template)
            if (t.name == lt) {
                if (t.version == v) return;
                versions.push_back(std::to_string(t.version));
            }
        error(a, i, key,
              fmt::format("launch template `{}` (the group's when this action applies) has no "
                          "version {}; known: {}",
                          lt, v, detail::quoted_list(versions)));
    }

    // The group's sizes when an action at `t` applies: the latest setter of each among the
    // actions so far and the scheduled actions that fired before it.
    std::pair<int, int> sizes_at(GroupTimeline& g, SimTime t) {
        for (; g.one_off_done < g.one_off.size(); ++g.one_off_done) {
            const std::size_t s = g.one_off[g.one_off_done];
            const auto& sched = spec.autoscaling_schedule[s];
            const Setter setter{sched.start_time.value_or(0), 0, s, 0};
            if (setter.at > t) break;
            if (sched.min_size && setter.later_than(g.min_size))
                g.min_size = {setter.at, 0, s, *sched.min_size};
            if (sched.max_size && setter.later_than(g.max_size))
                g.max_size = {setter.at, 0, s, *sched.max_size};
        }
        Setter min = g.min_size, max = g.max_size;
        for (std::size_t s : g.recurring) {
            const auto& sched = spec.autoscaling_schedule[s];
            auto at = last_firing_before(spec, sched, t);
            if (!at) continue;
            const Setter setter{*at, *at == t ? 0 : 2, s, 0};
            if (sched.min_size && setter.later_than(min))
                min = {setter.at, setter.rank, s, *sched.min_size};
            if (sched.max_size && setter.later_than(max))
                max = {setter.at, setter.rank, s, *sched.max_size};
        }
        // As the group does: a minimum above the maximum lifts the maximum.
        return {min.value, std::max(max.value, min.value)};
    }

    // min_size <= desired_capacity <= max_size once the action's capacity settings of each
    // group apply, together, to the sizes in force.
    void capacity(const ActionSpec& a, std::size_t i) {
        std::map<std::string, CapacityChange> changes;
        for (const Setting& s : parsed[i]) {
            const auto id = s.path.key->id;
            const int v = static_cast<int>(as_integer(*s.value).value_or(0));
            if (id == SettingId::GroupMinSize) changes[s.path.element].min_size = v;
            if (id == SettingId::GroupMaxSize) changes[s.path.element].max_size = v;
            if (id == SettingId::GroupDesiredCapacity) changes[s.path.element].desired_capacity = v;
        }
        for (const auto& [name, change] : changes) {
            GroupTimeline& g = groups[name];
            const auto [min_before, max_before] = sizes_at(g, a.at);
            const int min = change.min_size.value_or(min_before);
            const int max = change.max_size.value_or(max_before);
            // A structured binding cannot be captured by a lambda in C++17 (clang refuses).
            const std::string& group_name = name;
            auto key = [&](const char* k) {
                return fmt::format("set.autoscaling_group.{}.{}", group_name, k);
            };
            const auto d = change.desired_capacity;
            if (min > max && change.min_size)
                error(a, i, key("min_size"),
                      fmt::format("expected min_size <= max_size ({}) when the action applies, "
                                  "found {}",
                                  max, min));
            else if (min > max)
                error(a, i, key("max_size"),
                      fmt::format("expected max_size >= min_size ({}) when the action applies, "
                                  "found {}",
                                  min, max));
            else if (d && (*d < min || *d > max))
                error(a, i, key("desired_capacity"),
                      fmt::format("expected desired_capacity between min_size ({}) and max_size "
                                  "({}) when the action applies, found {}",
                                  min, max, *d));
            // From here on these are the sizes in force.
            if (change.min_size) g.min_size = {a.at, 1, i, *change.min_size};
            if (change.max_size) g.max_size = {a.at, 1, i, *change.max_size};
        }
    }
};

}  // namespace

std::vector<Diagnostic> check_actions(const Spec& spec) {
    ActionChecker checker{spec, {}, {}, {}};
    checker.run();
    return std::move(checker.out);
}

int largest_size(const Spec& spec, std::size_t group) {
    const AutoScalingGroupSpec& g = spec.autoscaling_group[group];
    int largest = std::max(g.max_size, g.min_size);
    for (const auto& s : spec.autoscaling_schedule)
        if (s.autoscaling_group == g.name)
            largest = std::max({largest, s.max_size.value_or(0), s.min_size.value_or(0)});
    for (const auto& a : spec.action) {
        const CapacityChange c = capacity_change(a, g.name);
        largest = std::max({largest, c.max_size.value_or(0), c.min_size.value_or(0)});
    }
    return largest;
}

std::vector<std::pair<SimTime, double>> rate_multipliers(const Spec& spec,
                                                         const std::string& workload) {
    std::vector<std::size_t> order(spec.action.size());
    for (std::size_t j = 0; j < order.size(); ++j)
        order[j] = j;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        return spec.action[x].at < spec.action[y].at;
    });
    std::vector<std::pair<SimTime, double>> steps{{0, 1.0}};
    for (std::size_t j : order)
        for (const auto& s : settings_of(spec.action[j])) {
            if (s.path.element != workload || s.path.key->id != SettingId::WorkloadRateMultiplier)
                continue;
            auto m = as_number(*s.value);
            if (!m) continue;
            const SimTime at = spec.action[j].at;
            if (steps.back().first == at)
                steps.back().second = *m;
            else
                steps.emplace_back(at, *m);
        }
    return steps;
}

}  // namespace stratus::scenario
