// explain(): the resolved scenario as TOML with every default written out, and
// unsupported_features(): what a scenario asks for that the runnable core does
// not model yet.
#include <algorithm>

#include <fmt/format.h>

#include "sim/scenario/internal.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/settings.hpp"

namespace stratus::scenario {
namespace {

using namespace detail;

std::string q(std::string_view s) {
    return toml_basic_string(s);
}

// Multi-line text (lesson descriptions) stays readable as a TOML multi-line
// string.
std::string text(std::string_view s) {
    if (s.find('\n') == std::string_view::npos) return q(s);
    std::string out = "\"\"\"\n";
    for (char ch : s) {
        auto u = static_cast<unsigned char>(ch);
        if (ch == '"' || ch == '\\') {
            out += '\\';
            out += ch;
        } else if (ch != '\n' && (u < 0x20 || u == 0x7F)) {
            out += fmt::format("\\u{:04X}", u);
        } else {
            out += ch;
        }
    }
    return out + "\"\"\"";
}

std::string dur(SimTime t) {
    return q(format_duration(t));
}

std::string num(double v) {
    return fmt::format("{}", v);
}

std::string list(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i ? ", " : "") + q(items[i]);
    return out + "]";
}

std::string map(const std::map<std::string, std::string>& m) {
    std::string out = "{";
    bool first = true;
    for (const auto& [k, v] : m) {
        out += fmt::format("{} {} = {}", first ? "" : ",", q(k), q(v));
        first = false;
    }
    return out + (m.empty() ? "}" : " }");
}

std::string dist(const DurationDist& d) {
    std::string kind = name_of(kDistKind, d.kind);
    switch (d.kind) {
        case DistKind::Constant:
            return fmt::format("{{ dist = {}, value = {} }}", q(kind), dur(d.mean));
        case DistKind::Exponential:
            return fmt::format("{{ dist = {}, mean = {} }}", q(kind), dur(d.mean));
        case DistKind::Normal:
            return fmt::format("{{ dist = {}, mean = {}, sd = {} }}", q(kind), dur(d.mean),
                               dur(d.sd));
        case DistKind::Lognormal:
            return fmt::format("{{ dist = {}, mean = {}, cv = {} }}", q(kind), dur(d.mean),
                               num(d.cv));
        case DistKind::Uniform:
            return fmt::format("{{ dist = {}, min = {}, max = {} }}", q(kind), dur(d.min),
                               dur(d.max));
        case DistKind::Empirical:
            return fmt::format("{{ dist = {}, file = {} }}", q(kind), q(d.file));
    }
    return "";
}

std::string rate(const RateSpec& r) {
    std::string shape = q(name_of(kRateShape, r.shape));
    switch (r.shape) {
        case RateShape::Constant:
            return fmt::format("{{ shape = {}, value = {} }}", shape, num(r.value));
        case RateShape::Diurnal: {
            SimTime minutes = r.peak / kMinute;
            return fmt::format("{{ shape = {}, min = {}, max = {}, peak = \"{:02}:{:02}\" }}",
                               shape, num(r.min), num(r.max), minutes / 60, minutes % 60);
        }
        case RateShape::Steps: {
            std::string steps;
            for (const auto& [at, v] : r.steps)
                steps += fmt::format("{}[{}, {}]", steps.empty() ? "" : ", ", dur(at), num(v));
            return fmt::format("{{ shape = {}, steps = [{}] }}", shape, steps);
        }
        case RateShape::Ramp:
            return fmt::format("{{ shape = {}, from = {}, to = {}, over = {} }}", shape,
                               num(r.from), num(r.to), dur(r.over));
        case RateShape::Trace: {
            std::string extra;
            if (r.format != "csv") extra += fmt::format(", format = {}", q(r.format));
            if (!r.metric.empty()) extra += fmt::format(", metric = {}", q(r.metric));
            if (r.period > 0) extra += fmt::format(", period = {}", r.period);
            return fmt::format("{{ shape = {}, file = {}, scale = {}{} }}", shape, q(r.file),
                               num(r.scale), extra);
        }
    }
    return "";
}

std::string setting(const SettingValue& v) {
    if (auto b = std::get_if<bool>(&v)) return *b ? "true" : "false";
    if (auto i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
    if (auto d = std::get_if<double>(&v)) {
        std::string s = num(*d);
        // Keep a float a float, so the value reads back with the same type.
        if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
        return s;
    }
    return q(std::get<std::string>(v));
}

class Writer {
  public:
    void header(const std::string& h) { out_ += (out_.empty() ? "" : "\n") + h + "\n"; }
    void kv(const std::string& key, const std::string& value) {
        out_ += key + " = " + value + "\n";
    }
    template <class T>
    void opt_num(const std::string& key, const std::optional<T>& v) {
        if (v) kv(key, num(static_cast<double>(*v)));
    }
    void tags(const Tags& t) {
        if (!t.empty()) kv("tags", map(t));
    }
    std::string str() const { return out_; }

  private:
    std::string out_;
};

// Writes the run, the Region, prices and instance types.
void write_run(Writer& w, const Spec& spec) {
    const auto& sim = spec.simulation;
    w.header("[simulation]");
    w.kv("name", q(sim.name));
    w.kv("description", text(sim.description));
    w.kv("duration", dur(sim.duration));
    w.kv("seed", std::to_string(sim.seed));
    w.kv("start_time", q(sim.start_time));
    w.kv("metrics_period", dur(sim.metrics_period));
    w.kv("fidelity", q(name_of(kFidelity, sim.fidelity)));
    w.kv("warmup", dur(sim.warmup));

    w.header("[region]");
    w.kv("name", q(spec.region.name));
    w.kv("availability_zones", list(spec.region.availability_zones));

    if (spec.pricing.present) {
        const auto& p = spec.pricing;
        w.header("[pricing]");
        std::string od = "{";
        for (const auto& [k, v] : p.on_demand)
            od += fmt::format("{} {} = {}", od == "{" ? "" : ",", q(k), num(v));
        w.kv("on_demand", od + (p.on_demand.empty() ? "}" : " }"));
        w.opt_num("ebs_gp3_gb_month", p.ebs_gp3_gb_month);
        w.opt_num("public_ipv4_hour", p.public_ipv4_hour);
        w.opt_num("alb_hour", p.alb_hour);
        w.opt_num("alb_lcu_hour", p.alb_lcu_hour);
        w.opt_num("nat_gateway_hour", p.nat_gateway_hour);
        w.opt_num("nat_gateway_gb", p.nat_gateway_gb);
        w.opt_num("vpc_endpoint_hour", p.vpc_endpoint_hour);
        w.opt_num("vpc_endpoint_gb", p.vpc_endpoint_gb);
        w.opt_num("inter_az_gb", p.inter_az_gb);
        w.opt_num("fargate_vcpu_hour", p.fargate_vcpu_hour);
        w.opt_num("fargate_gb_hour", p.fargate_gb_hour);
        w.opt_num("fargate_spot_vcpu_hour", p.fargate_spot_vcpu_hour);
        w.opt_num("fargate_spot_gb_hour", p.fargate_spot_gb_hour);
        w.opt_num("ecr_storage_gb_month", p.ecr_storage_gb_month);
        w.opt_num("ecr_inter_region_gb", p.ecr_inter_region_gb);
        w.opt_num("cloudwatch_metric_month", p.cloudwatch_metric_month);
        w.opt_num("cloudwatch_logs_gb", p.cloudwatch_logs_gb);
        w.opt_num("cloudwatch_logs_storage_gb_month", p.cloudwatch_logs_storage_gb_month);
        w.opt_num("snapshot_gb_month", p.snapshot_gb_month);
        w.opt_num("s3_standard_gb_month", p.s3_standard_gb_month);
        if (!p.s3.empty()) {
            std::string t = "{ ";
            for (const auto& [item, price] : p.s3)
                t += (t.size() > 2 ? ", " : "") + q(item) + " = " + num(price);
            w.kv("s3", t + " }");
        }
    }
    for (const auto& t : spec.instance_type) {
        w.header("[[instance_type]]");
        w.kv("name", q(t.name));
        w.opt_num("vcpu", t.vcpu);
        w.opt_num("memory_gib", t.memory_gib);
        w.opt_num("on_demand_hourly", t.on_demand_hourly);
        w.opt_num("speed", t.speed);
        w.opt_num("baseline_percent", t.baseline_percent);
        w.opt_num("credits_per_hour", t.credits_per_hour);
        w.opt_num("max_credits", t.max_credits);
        if (t.credit_specification)
            w.kv("credit_specification", q(name_of(kCreditSpecification, *t.credit_specification)));
    }
}

// Writes launch templates, load balancers and their listeners.
void write_compute(Writer& w, const Spec& spec) {
    for (const auto& t : spec.launch_template) {
        w.header("[[launch_template]]");
        w.kv("name", q(t.name));
        w.kv("version", std::to_string(t.version));
        w.kv("instance_type", q(t.instance_type));
        w.kv("boot_time", dist(t.boot_time));
        w.kv("app_start_time", dist(t.app_start_time));
        w.kv("workers_per_vcpu", std::to_string(t.workers_per_vcpu));
        w.kv("max_queue", std::to_string(t.max_queue));
        w.kv("ebs_gb", num(t.ebs_gb));
        w.kv("associate_public_ip_address", t.associate_public_ip_address ? "true" : "false");
        if (!t.security_groups.empty()) w.kv("security_groups", list(t.security_groups));
        if (!t.iam_instance_profile.empty())
            w.kv("iam_instance_profile", fmt::format("{{ name = {} }}", q(t.iam_instance_profile)));
        w.tags(t.tags);
    }
    for (const auto& lb : spec.load_balancer) {
        w.header("[[load_balancer]]");
        w.kv("name", q(lb.name));
        w.kv("load_balancer_type", q(name_of(kLoadBalancerType, lb.load_balancer_type)));
        w.kv("availability_zones", list(lb.availability_zones));
        w.kv("enable_cross_zone_load_balancing",
             lb.enable_cross_zone_load_balancing ? "true" : "false");
        w.kv("idle_timeout", std::to_string(lb.idle_timeout));
        w.kv("internal", lb.internal ? "true" : "false");
        if (!lb.security_groups.empty()) w.kv("security_groups", list(lb.security_groups));
        if (!lb.subnets.empty()) w.kv("subnets", list(lb.subnets));
        w.tags(lb.tags);
    }
    for (const auto& l : spec.lb_listener) {
        w.header("[[lb_listener]]");
        w.kv("load_balancer", q(l.load_balancer));
        w.kv("port", std::to_string(l.port));
        if (l.forward.empty()) {
            w.kv("target_group", q(l.target_group));
        } else {
            std::string groups;
            for (const auto& f : l.forward)
                groups += fmt::format("{}{{ arn = {}, weight = {} }}", groups.empty() ? "" : ", ",
                                      q(f.arn), f.weight);
            w.kv("default_action",
                 fmt::format("[{{ type = \"forward\", forward = {{ target_group = [{}] }} }}]",
                             groups));
        }
        w.kv("rules", std::to_string(l.rules));
        w.tags(l.tags);
    }
}

// Writes target groups and Auto Scaling groups.
void write_groups(Writer& w, const Spec& spec) {
    for (const auto& tg : spec.target_group) {
        w.header("[[target_group]]");
        w.kv("name", q(tg.name));
        w.kv("port", std::to_string(tg.port));
        if (tg.target_type != TargetType::Instance)
            w.kv("target_type", q(name_of(kTargetType, tg.target_type)));
        w.kv("load_balancing_algorithm_type",
             q(name_of(kLoadBalancingAlgorithm, tg.load_balancing_algorithm_type)));
        w.kv("deregistration_delay", std::to_string(tg.deregistration_delay));
        w.kv("slow_start", std::to_string(tg.slow_start));
        const auto& h = tg.health_check;
        w.kv("health_check",
             fmt::format("{{ interval = {}, timeout = {}, healthy_threshold = {}, "
                         "unhealthy_threshold = {} }}",
                         h.interval, h.timeout, h.healthy_threshold, h.unhealthy_threshold));
        w.tags(tg.tags);
    }
    for (const auto& g : spec.autoscaling_group) {
        w.header("[[autoscaling_group]]");
        w.kv("name", q(g.name));
        w.kv("launch_template", q(g.launch_template));
        if (g.launch_template_version > 0)
            w.kv("launch_template_version", std::to_string(g.launch_template_version));
        w.kv("min_size", std::to_string(g.min_size));
        w.kv("max_size", std::to_string(g.max_size));
        w.kv("desired_capacity", std::to_string(g.desired_capacity));
        w.kv("availability_zones", list(g.availability_zones));
        if (!g.subnets.empty()) w.kv("subnets", list(g.subnets));
        w.kv("target_groups", list(g.target_groups));
        w.kv("health_check_type", q(name_of(kHealthCheckType, g.health_check_type)));
        w.kv("health_check_grace_period", std::to_string(g.health_check_grace_period));
        w.kv("default_cooldown", std::to_string(g.default_cooldown));
        w.opt_num("default_instance_warmup", g.default_instance_warmup);
        std::vector<std::string> policies;
        for (auto p : g.termination_policies)
            policies.push_back(name_of(kTerminationPolicy, p));
        w.kv("termination_policies", list(policies));
        w.kv("protect_from_scale_in", g.protect_from_scale_in ? "true" : "false");
        w.kv("capacity_rebalance", g.capacity_rebalance ? "true" : "false");
        if (const auto& m = g.mixed_instances_policy)
            w.kv("mixed_instances_policy",
                 fmt::format("{{ on_demand_base_capacity = {}, "
                             "on_demand_percentage_above_base_capacity = {}, "
                             "spot_allocation_strategy = {}, spot_instance_pools = {}, "
                             "instance_types = {} }}",
                             m->on_demand_base_capacity,
                             num(m->on_demand_percentage_above_base_capacity),
                             q(name_of(kSpotAllocationStrategy, m->spot_allocation_strategy)),
                             m->spot_instance_pools, list(m->instance_types)));
        w.tags(g.tags);
    }
}

// Writes scaling policies, alarms and scheduled actions.
void write_scaling(Writer& w, const Spec& spec) {
    for (const auto& p : spec.autoscaling_policy) {
        w.header("[[autoscaling_policy]]");
        w.kv("name", q(p.name));
        w.kv("autoscaling_group", q(p.autoscaling_group));
        w.kv("policy_type", q(name_of(kPolicyType, p.policy_type)));
        w.kv("adjustment_type", q(name_of(kAdjustmentType, p.adjustment_type)));
        w.opt_num("scaling_adjustment", p.scaling_adjustment);
        w.opt_num("cooldown", p.cooldown);
        w.opt_num("min_adjustment_magnitude", p.min_adjustment_magnitude);
        w.opt_num("estimated_instance_warmup", p.estimated_instance_warmup);
        if (p.metric_aggregation_type != MetricAggregationType::Average)
            w.kv("metric_aggregation_type",
                 q(name_of(kMetricAggregationType, p.metric_aggregation_type)));
        if (!p.step_adjustment.empty()) {
            std::string steps = "[";
            for (std::size_t i = 0; i < p.step_adjustment.size(); ++i) {
                const auto& s = p.step_adjustment[i];
                std::string t = "{ ";
                if (s.metric_interval_lower_bound)
                    t += fmt::format("metric_interval_lower_bound = {}, ",
                                     num(*s.metric_interval_lower_bound));
                if (s.metric_interval_upper_bound)
                    t += fmt::format("metric_interval_upper_bound = {}, ",
                                     num(*s.metric_interval_upper_bound));
                t += fmt::format("scaling_adjustment = {} }}", s.scaling_adjustment);
                steps += (i ? ", " : "") + t;
            }
            w.kv("step_adjustment", steps + "]");
        }
        if (const auto& t = p.target_tracking_configuration)
            w.kv("target_tracking_configuration",
                 fmt::format("{{ predefined_metric_type = {}, target_value = {}, "
                             "disable_scale_in = {} }}",
                             q(name_of(kPredefinedMetricType, t->predefined_metric_type)),
                             num(t->target_value), t->disable_scale_in ? "true" : "false"));
    }
    for (const auto& a : spec.cloudwatch_metric_alarm) {
        w.header("[[cloudwatch_metric_alarm]]");
        w.kv("alarm_name", q(a.alarm_name));
        w.kv("namespace", q(a.namespace_));
        w.kv("metric_name", q(a.metric_name));
        w.kv("dimensions", map(a.dimensions));
        if (a.statistic) w.kv("statistic", q(name_of(kStatistic, *a.statistic)));
        if (a.extended_statistic) w.kv("extended_statistic", q(a.extended_statistic_text));
        w.kv("period", std::to_string(a.period));
        w.kv("evaluation_periods", std::to_string(a.evaluation_periods));
        w.kv("datapoints_to_alarm", std::to_string(a.datapoints_to_alarm));
        w.kv("comparison_operator", q(name_of(kComparisonOperator, a.comparison_operator)));
        w.kv("threshold", num(a.threshold));
        w.kv("treat_missing_data", q(name_of(kTreatMissingData, a.treat_missing_data)));
        w.kv("alarm_actions", list(a.alarm_actions));
        w.kv("ok_actions", list(a.ok_actions));
        w.tags(a.tags);
    }
    for (const auto& s : spec.autoscaling_schedule) {
        w.header("[[autoscaling_schedule]]");
        w.kv("scheduled_action_name", q(s.scheduled_action_name));
        w.kv("autoscaling_group", q(s.autoscaling_group));
        w.opt_num("min_size", s.min_size);
        w.opt_num("max_size", s.max_size);
        w.opt_num("desired_capacity", s.desired_capacity);
        if (!s.recurrence.empty()) w.kv("recurrence", q(s.recurrence));
        if (s.start_time) w.kv("start_time", dur(*s.start_time));
        if (s.end_time) w.kv("end_time", dur(*s.end_time));
        if (!s.time_zone.empty()) w.kv("time_zone", q(s.time_zone));
    }
}

// Writes workloads, databases and faults.
void write_ecs(Writer& w, const Spec& spec);
void write_ecs_capacity(Writer& w, const Spec& spec);
void write_appautoscaling(Writer& w, const Spec& spec);
std::string steps(const AppStepScalingSpec& s);

void write_traffic(Writer& w, const Spec& spec) {
    for (const auto& wl : spec.workload) {
        w.header("[[workload]]");
        w.kv("name", q(wl.name));
        w.kv("load_balancer", q(wl.load_balancer));
        w.kv("rate", rate(wl.rate));
        std::string spikes = "[";
        for (std::size_t i = 0; i < wl.spike.size(); ++i)
            spikes += fmt::format("{}{{ at = {}, duration = {}, multiplier = {} }}", i ? ", " : "",
                                  dur(wl.spike[i].at), dur(wl.spike[i].duration),
                                  num(wl.spike[i].multiplier));
        w.kv("spike", spikes + "]");
        w.kv("service_time", dist(wl.service_time));
        w.kv("timeout", dur(wl.timeout));
        if (!wl.database.empty()) w.kv("database", q(wl.database));
        w.kv("request_bytes", std::to_string(wl.request_bytes));
        w.kv("database_bytes", std::to_string(wl.database_bytes));
        w.kv("outbound_bytes", std::to_string(wl.outbound_bytes));
        w.kv("s3_bytes", std::to_string(wl.s3_bytes));
        w.kv("dynamodb_bytes", std::to_string(wl.dynamodb_bytes));
        w.kv("response_bytes", std::to_string(wl.response_bytes));
        w.kv("requests_per_connection", num(wl.requests_per_connection));
        w.kv("connection_duration", dur(wl.connection_duration));
        if (wl.listener_port != 0) w.kv("listener_port", std::to_string(wl.listener_port));
        if (wl.client_cidr != "0.0.0.0/0") w.kv("client_cidr", q(wl.client_cidr));
        if (!wl.aws_call.empty()) {
            std::string calls;
            for (const auto& c : wl.aws_call)
                calls += fmt::format("{}{{ action = {}, resource = {}, fraction = {} }}",
                                     calls.empty() ? "" : ", ", q(c.action), q(c.resource),
                                     num(c.fraction));
            w.kv("aws_call", "[" + calls + "]");
        }
    }
    for (const auto& db : spec.db_instance) {
        w.header("[[db_instance]]");
        w.kv("identifier", q(db.identifier));
        w.kv("instance_class", q(db.instance_class));
        w.kv("engine", q(name_of(kDbEngine, db.engine)));
        w.kv("port", std::to_string(db.port));
        w.kv("multi_az", db.multi_az ? "true" : "false");
        w.kv("availability_zone", q(db.availability_zone));
        w.kv("allocated_storage", std::to_string(db.allocated_storage));
        w.kv("failover_time", dist(db.failover_time));
        if (!db.subnets.empty()) w.kv("subnets", list(db.subnets));
        if (!db.security_groups.empty()) w.kv("security_groups", list(db.security_groups));
        w.tags(db.tags);
    }
    write_ecs(w, spec);
    write_ecs_capacity(w, spec);
    for (const auto& f : spec.fault) {
        w.header("[[fault]]");
        w.kv("type", q(name_of(kFaultType, f.type)));
        w.kv("target", q(f.target));
        if (f.at) w.kv("at", dur(*f.at));
        if (f.duration) w.kv("duration", dur(*f.duration));
        if (f.mtbf) w.kv("mtbf", dist(*f.mtbf));
        if (f.mttr) w.kv("mttr", dist(*f.mttr));
        w.opt_num("fraction", f.fraction);
        if (f.extra) w.kv("extra", dist(*f.extra));
    }
}

// A capacity provider strategy as TOML: [{ capacity_provider = "...", weight = 1, base = 0 }].
std::string strategy_text(const std::vector<EcsCapacityProviderStrategySpec>& strategy) {
    std::string out;
    for (const auto& c : strategy)
        out += fmt::format("{}{{ capacity_provider = {}, weight = {}, base = {} }}",
                           out.empty() ? "" : ", ",
                           q(c.auto_scaling_group_provider.empty()
                                 ? std::string(name_of(kEcsCapacityProvider, c.capacity_provider))
                                 : c.auto_scaling_group_provider),
                           c.weight, c.base);
    return out.empty() ? out : "[" + out + "]";
}

// placement_constraints as TOML: [{ type = "memberOf", expression = "..." }].
std::string constraints_text(const std::vector<EcsPlacementConstraintSpec>& list) {
    std::string out;
    for (const auto& c : list)
        out += fmt::format("{}{{ type = {}{} }}", out.empty() ? "" : ", ",
                           q(name_of(kPlacementConstraintType, c.type)),
                           c.expression.empty() ? "" : ", expression = " + q(c.expression));
    return "[" + out + "]";
}

// Writes the Auto Scaling group capacity providers and the clusters' providers.
void write_ecs_capacity(Writer& w, const Spec& spec) {
    for (const auto& p : spec.ecs_capacity_provider) {
        w.header("[[ecs_capacity_provider]]");
        w.kv("name", q(p.name));
        const auto& m = p.managed_scaling;
        w.kv(
            "auto_scaling_group_provider",
            fmt::format("{{ auto_scaling_group_arn = {}, managed_termination_protection = {}, "
                        "managed_draining = {}, "
                        "managed_scaling = {{ status = {}, target_capacity = {}, "
                        "minimum_scaling_step_size = {}, maximum_scaling_step_size = {}, "
                        "instance_warmup_period = {} }} }}",
                        q(p.auto_scaling_group),
                        q(name_of(kManagedTerminationProtection, p.managed_termination_protection)),
                        q(name_of(kManagedDraining, p.managed_draining)),
                        q(name_of(kManagedScalingStatus, m.status)), m.target_capacity,
                        m.minimum_scaling_step_size, m.maximum_scaling_step_size,
                        m.instance_warmup_period));
        w.tags(p.tags);
    }
    for (const auto& c : spec.ecs_cluster_capacity_providers) {
        w.header("[[ecs_cluster_capacity_providers]]");
        w.kv("cluster_name", q(c.cluster_name));
        w.kv("capacity_providers", list(c.capacity_providers));
        const std::string strategy = strategy_text(c.default_capacity_provider_strategy);
        if (!strategy.empty()) w.kv("default_capacity_provider_strategy", strategy);
    }
}

// A cluster's `setting` blocks as an array of inline tables.
std::string cluster_settings(const EcsClusterSpec& c) {
    std::vector<std::string> settings;
    for (const auto& [name, value] : c.settings)
        settings.push_back(fmt::format("{{ name = {}, value = {} }}", q(name), q(value)));
    return fmt::format("[{}]", fmt::join(settings, ", "));
}

// Writes the ECS task definitions.
void write_ecs_task_definitions(Writer& w, const Spec& spec) {
    for (const auto& td : spec.ecs_task_definition) {
        w.header("[[ecs_task_definition]]");
        w.kv("family", q(td.family));
        if (td.cpu > 0) w.kv("cpu", std::to_string(td.cpu));
        if (td.memory > 0) w.kv("memory", std::to_string(td.memory));
        std::vector<std::string> compat;
        for (auto c : td.requires_compatibilities)
            compat.push_back(name_of(kEcsLaunchType, c));
        w.kv("requires_compatibilities", list(compat));
        w.kv("network_mode", q(name_of(kNetworkMode, td.network_mode)));
        w.kv("container_definitions", text(td.container_definitions));
        w.kv("provisioning_time", dist(td.provisioning_time));
        if (td.image_size_mb) {
            w.kv("image_size_mb", num(*td.image_size_mb));
            w.kv("image_pull_throughput", num(td.image_pull_throughput));
        } else {
            w.kv("image_pull_time", dist(td.image_pull_time));
        }
        w.kv("app_start_time", dist(td.app_start_time));
        if (td.app_port) w.kv("app_port", std::to_string(*td.app_port));
        w.kv("workers_per_vcpu", std::to_string(td.workers_per_vcpu));
        w.kv("max_queue", std::to_string(td.max_queue));
        if (!td.task_role_arn.empty()) w.kv("task_role_arn", q(td.task_role_arn));
        w.kv("app_healthy", td.app_healthy ? "true" : "false");
        if (td.essential_container_exits_after)
            w.kv("essential_container_exits_after", dist(*td.essential_container_exits_after));
        std::vector<std::string> exits;
        for (const auto& c : td.containers)
            if (c.exits_after)
                exits.push_back(
                    fmt::format("{} = {}", q(c.name), q(format_duration(*c.exits_after))));
        if (!exits.empty())
            w.kv("container_exits_after", fmt::format("{{ {} }}", fmt::join(exits, ", ")));
        w.kv("app_memory", num(td.app_memory));
        w.kv("request_memory", num(td.request_memory));
        w.kv("runtime_platform",
             fmt::format("{{ cpu_architecture = {}, operating_system_family = {} }}",
                         q(name_of(kCpuArchitecture, td.cpu_architecture)),
                         q(td.operating_system_family)));
        if (td.ephemeral_storage_gib > 20)
            w.kv("ephemeral_storage",
                 fmt::format("{{ size_in_gib = {} }}", td.ephemeral_storage_gib));
        if (!td.placement_constraints.empty())
            w.kv("placement_constraints", constraints_text(td.placement_constraints));
        w.tags(td.tags);
    }
}

// Writes the ECS clusters, task definitions and services.
void write_ecs(Writer& w, const Spec& spec) {
    for (const auto& c : spec.ecs_cluster) {
        w.header("[[ecs_cluster]]");
        w.kv("name", q(c.name));
        if (!c.settings.empty()) w.kv("setting", cluster_settings(c));
        w.tags(c.tags);
    }
    write_ecs_task_definitions(w, spec);
    for (const auto& s : spec.ecs_service) {
        w.header("[[ecs_service]]");
        w.kv("name", q(s.name));
        w.kv("cluster", q(s.cluster));
        w.kv("task_definition", q(s.task_definition));
        if (s.scheduling_strategy == EcsSchedulingStrategy::Daemon)
            w.kv("scheduling_strategy", q("DAEMON"));
        else
            w.kv("desired_count", std::to_string(s.desired_count));
        // A service has a launch type or a capacity provider strategy, never both.
        if (s.capacity_provider_strategy.empty())
            w.kv("launch_type", q(name_of(kEcsLaunchType, s.launch_type)));
        const std::string strategy = strategy_text(s.capacity_provider_strategy);
        if (!strategy.empty()) {
            w.kv("capacity_provider_strategy", strategy);
            w.kv("spot_interruption_monthly_rate", num(s.spot_interruption_monthly_rate));
        }
        std::string placement;
        for (const auto& p : s.ordered_placement_strategy)
            placement += fmt::format("{}{{ type = {}, field = {} }}", placement.empty() ? "" : ", ",
                                     q(name_of(kPlacementStrategyType, p.type)), q(p.field));
        if (!placement.empty()) w.kv("ordered_placement_strategy", "[" + placement + "]");
        if (!s.placement_constraints.empty())
            w.kv("placement_constraints", constraints_text(s.placement_constraints));
        if (s.network_configuration)
            w.kv("network_configuration",
                 fmt::format("{{ subnets = {}, security_groups = {}, assign_public_ip = {} }}",
                             list(s.subnets), list(s.security_groups),
                             s.assign_public_ip ? "true" : "false"));
        std::string lbs;
        for (const auto& lb : s.load_balancer)
            lbs += fmt::format(
                "{}{{ target_group_arn = {}, container_name = {}, container_port "
                "= {} }}",
                lbs.empty() ? "" : ", ", q(lb.target_group), q(lb.container_name),
                lb.container_port);
        if (!lbs.empty()) w.kv("load_balancer", "[" + lbs + "]");
        w.kv("health_check_grace_period_seconds",
             std::to_string(s.health_check_grace_period_seconds));
        w.kv("deployment_minimum_healthy_percent",
             std::to_string(s.deployment_minimum_healthy_percent));
        w.kv("deployment_maximum_percent", std::to_string(s.deployment_maximum_percent));
        if (s.deployment_circuit_breaker_enable || s.deployment_circuit_breaker_rollback)
            w.kv("deployment_circuit_breaker",
                 fmt::format("{{ enable = {}, rollback = {} }}",
                             s.deployment_circuit_breaker_enable ? "true" : "false",
                             s.deployment_circuit_breaker_rollback ? "true" : "false"));
        w.tags(s.tags);
    }
    write_appautoscaling(w, spec);
}

// Writes Application Auto Scaling's targets and policies.
void write_appautoscaling(Writer& w, const Spec& spec) {
    for (const auto& t : spec.appautoscaling_target) {
        w.header("[[appautoscaling_target]]");
        w.kv("resource_id", q(t.resource_id));
        w.kv("service_namespace", q(t.service_namespace));
        w.kv("scalable_dimension", q(t.scalable_dimension));
        w.kv("min_capacity", std::to_string(t.min_capacity));
        w.kv("max_capacity", std::to_string(t.max_capacity));
    }
    for (const auto& p : spec.appautoscaling_policy) {
        w.header("[[appautoscaling_policy]]");
        w.kv("name", q(p.name));
        w.kv("resource_id", q(p.resource_id));
        w.kv("service_namespace", q(p.service_namespace));
        w.kv("scalable_dimension", q(p.scalable_dimension));
        w.kv("policy_type", q(name_of(kAppPolicyType, p.policy_type)));
        if (const auto& t = p.target_tracking)
            w.kv("target_tracking_scaling_policy_configuration",
                 fmt::format("{{ predefined_metric_specification = {{ predefined_metric_type = {} "
                             "}}, target_value = {}, scale_in_cooldown = {}, scale_out_cooldown "
                             "= {}, disable_scale_in = {} }}",
                             q(name_of(kAppPredefinedMetricType, t->predefined_metric_type)),
                             num(t->target_value), t->scale_in_cooldown, t->scale_out_cooldown,
                             t->disable_scale_in ? "true" : "false"));
        if (const auto& s = p.step_scaling) w.kv("step_scaling_policy_configuration", steps(*s));
    }
    for (const auto& a : spec.appautoscaling_scheduled_action) {
        w.header("[[appautoscaling_scheduled_action]]");
        w.kv("name", q(a.name));
        w.kv("resource_id", q(a.resource_id));
        w.kv("service_namespace", q(a.service_namespace));
        w.kv("scalable_dimension", q(a.scalable_dimension));
        w.kv("schedule", q(a.schedule));
        w.kv("timezone", q(a.timezone));
        if (a.start_time) w.kv("start_time", dur(*a.start_time));
        if (a.end_time) w.kv("end_time", dur(*a.end_time));
        std::string set;
        if (a.min_capacity) set += fmt::format("min_capacity = {}", *a.min_capacity);
        if (a.max_capacity)
            set += fmt::format("{}max_capacity = {}", set.empty() ? "" : ", ", *a.max_capacity);
        w.kv("scalable_target_action", "{ " + set + " }");
    }
}

// A step scaling configuration as one inline table.
std::string steps(const AppStepScalingSpec& s) {
    std::string list;
    for (const auto& a : s.step_adjustment) {
        std::string bounds;
        if (a.metric_interval_lower_bound)
            bounds += fmt::format("metric_interval_lower_bound = {}, ",
                                  num(*a.metric_interval_lower_bound));
        if (a.metric_interval_upper_bound)
            bounds += fmt::format("metric_interval_upper_bound = {}, ",
                                  num(*a.metric_interval_upper_bound));
        list += fmt::format("{}{{ {}scaling_adjustment = {} }}", list.empty() ? "" : ", ", bounds,
                            a.scaling_adjustment);
    }
    return fmt::format(
        "{{ adjustment_type = {}, cooldown = {}, metric_aggregation_type = {}{}, "
        "step_adjustment = [{}] }}",
        q(name_of(kAdjustmentType, s.adjustment_type)), s.cooldown,
        q(name_of(kMetricAggregationType, s.metric_aggregation_type)),
        s.min_adjustment_magnitude
            ? fmt::format(", min_adjustment_magnitude = {}", *s.min_adjustment_magnitude)
            : "",
        list);
}

// Writes the Spot market and the network.
// A security group's rules as an inline array; `group_key`: the key of a rule's one group
// (source_security_group inbound, destination_security_group outbound).
std::string rules_text(const std::vector<IngressRuleSpec>& rules, const char* group_key) {
    std::string out = "[";
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const auto& r = rules[i];
        out += fmt::format("{}{{ port = {}", i ? ", " : "", r.port);
        if (r.last_port() != r.port) out += fmt::format(", to_port = {}", r.last_port());
        if (!r.tcp) out += ", protocol = \"udp\"";
        if (!r.cidr_blocks.empty()) out += fmt::format(", cidr_blocks = {}", list(r.cidr_blocks));
        if (r.source_security_groups.size() == 1)
            out += fmt::format(", {} = {}", group_key, q(r.source_security_groups.front()));
        else if (!r.source_security_groups.empty())
            out += fmt::format(", security_groups = {}", list(r.source_security_groups));
        if (!r.prefix_lists.empty())
            out += fmt::format(", prefix_list_ids = {}", list(r.prefix_lists));
        out += " }";
    }
    return out + "]";
}

void write_network(Writer& w, const Spec& spec) {
    if (spec.spot.present) {
        w.header("[spot]");
        for (const auto& p : spec.spot.pool) {
            w.header("[[spot.pool]]");
            w.kv("instance_type", q(p.instance_type));
            w.kv("availability_zone", q(p.availability_zone));
            std::string price =
                fmt::format("{{ model = {}", q(name_of(kSpotPriceModel, p.price_model)));
            if (!p.price_file.empty()) price += fmt::format(", file = {}", q(p.price_file));
            for (const auto& [k, v] : p.price_params)
                price += fmt::format(", {} = {}", q(k), num(v));
            w.kv("price", price + " }");
            if (p.monthly_rate)
                w.kv("interruption", fmt::format("{{ monthly_rate = {} }}", num(*p.monthly_rate)));
            if (p.capacity) w.kv("capacity", std::to_string(*p.capacity));
        }
    }
    for (const auto& p : spec.capacity_pool) {
        w.header("[[capacity_pool]]");
        w.kv("instance_type", q(p.instance_type));
        w.kv("availability_zone", q(p.availability_zone));
        w.kv("capacity", std::to_string(p.capacity));
    }
    if (spec.vpc.present) {
        w.header("[vpc]");
        w.kv("cidr_block", q(spec.vpc.cidr_block));
        w.tags(spec.vpc.tags);
    }
    for (const auto& s : spec.subnet) {
        w.header("[[subnet]]");
        w.kv("name", q(s.name));
        w.kv("cidr_block", q(s.cidr_block));
        w.kv("availability_zone", q(s.availability_zone));
        w.kv("map_public_ip_on_launch", s.map_public_ip_on_launch ? "true" : "false");
        w.kv("route", q(s.route));
        w.tags(s.tags);
    }
    for (const auto& g : spec.security_group) {
        w.header("[[security_group]]");
        w.kv("name", q(g.name));
        w.kv("ingress", rules_text(g.ingress, "source_security_group"));
        w.kv("egress", rules_text(g.egress, "destination_security_group"));
        w.tags(g.tags);
    }
    for (const auto& n : spec.nat_gateway) {
        w.header("[[nat_gateway]]");
        w.kv("name", q(n.name));
        w.kv("subnet", q(n.subnet));
        w.tags(n.tags);
    }
    for (const auto& e : spec.vpc_endpoint) {
        w.header("[[vpc_endpoint]]");
        w.kv("name", q(e.name));
        w.kv("service_name", q(name_of(kEndpointService, e.service_name)));
        w.kv("vpc_endpoint_type", q(name_of(kEndpointType, e.vpc_endpoint_type)));
        w.kv("subnets", list(e.subnets));
        if (e.vpc_endpoint_type == EndpointType::Interface) {
            w.kv("security_groups", list(e.security_groups));
            w.kv("private_dns_enabled", e.private_dns_enabled ? "true" : "false");
        }
        w.tags(e.tags);
    }
}

// [[reserved_instance]] and [[savings_plan]].
// A policy document as a TOML literal string, which keeps the JSON readable (nothing
// escaped), unless the text holds ''' , ends with ' or holds a control character other than
// a line break; then a basic string.
std::string json_text(std::string_view s) {
    bool literal = s.find("'''") == std::string_view::npos && (s.empty() || s.back() != '\'');
    for (char ch : s) {
        const auto u = static_cast<unsigned char>(ch);
        if ((u < 0x20 && ch != '\n') || u == 0x7F) literal = false;
    }
    if (!literal) return text(s);
    // A line break right after the opening ''' is not part of the string: keep the text's own.
    return (s.find('\n') == std::string_view::npos ? "'''" : "'''\n") + std::string(s) + "'''";
}

// Inline policies, attachments, instance profiles and SCPs.
void write_iam_policies(Writer& w, const Spec& spec) {
    const std::pair<const char*, const std::vector<IamInlinePolicySpec>*> inline_sections[] = {
        {"user", &spec.iam_user_policy},
        {"group", &spec.iam_group_policy},
        {"role", &spec.iam_role_policy}};
    for (const auto& [owner, list_of] : inline_sections)
        for (const auto& p : *list_of) {
            w.header(fmt::format("[[iam_{}_policy]]", owner));
            w.kv("name", q(p.name));
            w.kv(owner, q(p.owner));
            w.kv("policy", json_text(p.policy));
        }
    const std::pair<const char*, const std::vector<IamPolicyAttachmentSpec>*> attached[] = {
        {"user", &spec.iam_user_policy_attachment},
        {"group", &spec.iam_group_policy_attachment},
        {"role", &spec.iam_role_policy_attachment}};
    for (const auto& [owner, list_of] : attached)
        for (const auto& a : *list_of) {
            w.header(fmt::format("[[iam_{}_policy_attachment]]", owner));
            w.kv(owner, q(a.owner));
            w.kv("policy_arn", q(a.policy_arn));
        }
    for (const auto& a : spec.iam_policy_attachment) {
        w.header("[[iam_policy_attachment]]");
        w.kv("name", q(a.name));
        w.kv("policy_arn", q(a.policy_arn));
        w.kv("users", list(a.users));
        w.kv("groups", list(a.groups));
        w.kv("roles", list(a.roles));
    }
    for (const auto& p : spec.iam_instance_profile) {
        w.header("[[iam_instance_profile]]");
        w.kv("name", q(p.name));
        w.kv("role", q(p.role));
    }
    for (const auto& p : spec.organizations_policy) {
        w.header("[[organizations_policy]]");
        w.kv("name", q(p.name));
        w.kv("content", json_text(p.content));
        w.kv("type", q(p.type));
    }
    for (const auto& a : spec.organizations_policy_attachment) {
        w.header("[[organizations_policy_attachment]]");
        w.kv("policy_id", q(a.policy_id));
        w.kv("target_id", q(a.target_id));
    }
    if (const auto& o = spec.organizations_organization; o.present) {
        w.header("[organizations_organization]");
        if (!o.id.empty()) w.kv("id", q(o.id));
        if (!o.master_account_id.empty()) w.kv("master_account_id", q(o.master_account_id));
        if (!o.accounts.empty()) w.kv("accounts", list(o.accounts));
    }
}

// The IAM sections, policy documents as written.
void write_iam(Writer& w, const Spec& spec) {
    for (const auto& p : spec.iam_policy) {
        w.header("[[iam_policy]]");
        w.kv("name", q(p.name));
        w.kv("policy", json_text(p.policy));
        w.tags(p.tags);
    }
    for (const auto& u : spec.iam_user) {
        w.header("[[iam_user]]");
        w.kv("name", q(u.name));
        if (!u.permissions_boundary.empty())
            w.kv("permissions_boundary", q(u.permissions_boundary));
        if (!u.account_id.empty()) w.kv("account_id", q(u.account_id));
        if (!u.unique_id.empty()) w.kv("unique_id", q(u.unique_id));
        w.tags(u.tags);
    }
    for (const auto& g : spec.iam_group) {
        w.header("[[iam_group]]");
        w.kv("name", q(g.name));
    }
    for (const auto& m : spec.iam_group_membership) {
        w.header("[[iam_group_membership]]");
        w.kv("name", q(m.name));
        w.kv("group", q(m.group));
        w.kv("users", list(m.users));
    }
    for (const auto& m : spec.iam_user_group_membership) {
        w.header("[[iam_user_group_membership]]");
        w.kv("user", q(m.user));
        w.kv("groups", list(m.groups));
    }
    for (const auto& r : spec.iam_role) {
        w.header("[[iam_role]]");
        w.kv("name", q(r.name));
        w.kv("assume_role_policy", json_text(r.assume_role_policy));
        if (!r.permissions_boundary.empty())
            w.kv("permissions_boundary", q(r.permissions_boundary));
        if (!r.account_id.empty()) w.kv("account_id", q(r.account_id));
        if (r.path != "/") w.kv("path", q(r.path));
        if (!r.unique_id.empty()) w.kv("unique_id", q(r.unique_id));
        w.kv("managed_policy_arns", list(r.managed_policy_arns));
        w.tags(r.tags);
    }
    write_iam_policies(w, spec);
}

// A rule's filter conditions, all inside `and` (which takes every one of them).
std::string lifecycle_conditions(const S3LifecycleRuleSpec& r) {
    std::string out = "prefix = " + q(r.prefix);
    if (!r.tags.empty()) out += ", tags = " + map(r.tags);
    if (r.object_size_greater_than)
        out += fmt::format(", object_size_greater_than = {}", *r.object_size_greater_than);
    if (r.object_size_less_than)
        out += fmt::format(", object_size_less_than = {}", *r.object_size_less_than);
    return out;
}

// Buckets, and lifecycle rules as one inline array (TOML's inline tables are one line each).

// One lifecycle rule as an inline table, every action with its settings.
std::string lifecycle_rule_text(const S3LifecycleRuleSpec& r) {
    std::string transitions;
    for (const auto& t : r.transition)
        transitions +=
            fmt::format("{}{{ days = {}, storage_class = {} }}", transitions.empty() ? "" : ", ",
                        t.days, q(name_of(kS3StorageClass, t.storage_class)));
    auto newer = [](int n) {
        return n > 0 ? fmt::format(", newer_noncurrent_versions = {}", n) : std::string();
    };
    std::string noncurrent;
    for (const auto& t : r.noncurrent_transition)
        noncurrent += fmt::format("{}{{ noncurrent_days = {}, storage_class = {}{} }}",
                                  noncurrent.empty() ? "" : ", ", t.days,
                                  q(name_of(kS3StorageClass, t.storage_class)),
                                  newer(t.newer_noncurrent_versions));
    if (!noncurrent.empty()) noncurrent = ", noncurrent_version_transition = [" + noncurrent + "]";
    if (r.noncurrent_expiration_days)
        noncurrent +=
            fmt::format(", noncurrent_version_expiration = {{ noncurrent_days = {}{} }}",
                        *r.noncurrent_expiration_days, newer(r.noncurrent_expiration_newer));
    std::string expiration;
    if (r.expiration_days)
        expiration = fmt::format(", expiration = {{ days = {} }}", *r.expiration_days);
    else if (r.expired_object_delete_marker)
        expiration = ", expiration = { expired_object_delete_marker = true }";
    if (r.abort_incomplete_days)
        noncurrent +=
            fmt::format(", abort_incomplete_multipart_upload = {{ days_after_initiation = {} }}",
                        *r.abort_incomplete_days);
    return fmt::format(
        "{{ id = {}, status = {}, filter = {{ and = {{ {} }} }}, transition = [{}]{}{} }}", q(r.id),
        q(r.enabled ? "Enabled" : "Disabled"), lifecycle_conditions(r), transitions, expiration,
        noncurrent);
}

void write_s3(Writer& w, const Spec& spec) {
    for (const auto& b : spec.s3_bucket) {
        w.header("[[s3_bucket]]");
        w.kv("name", q(b.name));
        w.kv("storage_gb", num(b.storage_gb));
        w.kv("growth_gb_per_day", num(b.growth_gb_per_day));
        w.kv("storage_class", q(name_of(kS3StorageClass, b.storage_class)));
        w.kv("object_size_kb", num(b.object_size_kb));
        w.kv("objects_per_day", num(b.objects_per_day));
        w.kv("key_prefix", q(b.key_prefix));
        w.kv("get_requests_per_day", num(b.get_requests_per_day));
        w.kv("list_requests_per_day", num(b.list_requests_per_day));
        w.kv("gets_from_internet", b.gets_from_internet ? "true" : "false");
        if (!b.get_requests_from.empty()) w.kv("get_requests_from", q(b.get_requests_from));
        if (!b.put_requests_from.empty()) w.kv("put_requests_from", q(b.put_requests_from));
        if (!b.presigned_by.empty()) {
            w.kv("presigned_by", q(b.presigned_by));
            w.kv("presigned_at", std::to_string(b.presigned_at));
            w.kv("presigned_expires_in", std::to_string(b.presigned_expires_in));
        }
        if (!b.presigned_put_by.empty()) {
            w.kv("presigned_put_by", q(b.presigned_put_by));
            w.kv("presigned_put_at", std::to_string(b.presigned_put_at));
            w.kv("presigned_put_expires_in", std::to_string(b.presigned_put_expires_in));
        }
        if (b.multipart_part_size_mb > 0)
            w.kv("multipart_part_size_mb", num(b.multipart_part_size_mb));
        if (b.object_acl != "private") w.kv("object_acl", q(b.object_acl));
        if (!b.object_tags.empty()) w.kv("object_tags", map(b.object_tags));
        w.kv("versioning", q(b.versioning));
        w.kv("overwrite_percent", num(b.overwrite_percent));
        if (b.key_name_bytes > 0) w.kv("key_name_bytes", std::to_string(b.key_name_bytes));
        if (b.incomplete_upload_percent > 0)
            w.kv("incomplete_upload_percent", num(b.incomplete_upload_percent));
        if (b.restore_requests_per_day > 0) {
            w.kv("restore_requests_per_day", num(b.restore_requests_per_day));
            w.kv("restore_tier", q(b.restore_tier));
            w.kv("restore_days", std::to_string(b.restore_days));
        }
        w.tags(b.tags);
    }
    for (const auto& p : spec.s3_bucket_policy) {
        w.header("[[s3_bucket_policy]]");
        w.kv("bucket", q(p.bucket));
        w.kv("policy", json_text(p.policy));
    }
    for (const auto& a : spec.s3_bucket_acl) {
        w.header("[[s3_bucket_acl]]");
        w.kv("bucket", q(a.bucket));
        w.kv("acl", q(a.acl));
    }
    for (const auto& b : spec.s3_bucket_public_access_block) {
        w.header("[[s3_bucket_public_access_block]]");
        w.kv("bucket", q(b.bucket));
        for (const auto& [k, v] : {std::pair{"block_public_acls", b.block_public_acls},
                                   std::pair{"block_public_policy", b.block_public_policy},
                                   std::pair{"ignore_public_acls", b.ignore_public_acls},
                                   std::pair{"restrict_public_buckets", b.restrict_public_buckets}})
            w.kv(k, v ? "true" : "false");
    }
    for (const auto& o : spec.s3_bucket_ownership_controls) {
        w.header("[[s3_bucket_ownership_controls]]");
        w.kv("bucket", q(o.bucket));
        w.kv("rule", fmt::format("{{ object_ownership = {} }}", q(o.object_ownership)));
    }
    for (const auto& c : spec.s3_bucket_lifecycle_configuration) {
        w.header("[[s3_bucket_lifecycle_configuration]]");
        w.kv("bucket", q(c.bucket));
        w.kv("transition_default_minimum_object_size", q(c.transition_default_minimum_object_size));
        std::string rules;
        for (const auto& r : c.rule)
            rules += (rules.empty() ? "" : ", ") + lifecycle_rule_text(r);
        w.kv("rule", "[" + rules + "]");
    }
}

void write_commitments(Writer& w, const Spec& spec) {
    for (const auto& ri : spec.reserved_instance) {
        w.header("[[reserved_instance]]");
        w.kv("name", q(ri.name));
        w.kv("instance_type", q(ri.instance_type));
        if (!ri.availability_zone.empty()) w.kv("availability_zone", q(ri.availability_zone));
        w.kv("instance_count", std::to_string(ri.instance_count));
        w.kv("recurring_charge", num(ri.recurring_charge));
        w.kv("offering_class", q(ri.offering_class));
        w.kv("offering_type", q(ri.offering_type));
        if (ri.fixed_price > 0) w.kv("fixed_price", num(ri.fixed_price));
        w.kv("duration", std::to_string(ri.duration));
        w.tags(ri.tags);
    }
    for (const auto& ri : spec.reserved_db_instance) {
        w.header("[[reserved_db_instance]]");
        w.kv("name", q(ri.name));
        w.kv("db_instance_class", q(ri.db_instance_class));
        w.kv("instance_count", std::to_string(ri.instance_count));
        w.kv("multi_az", ri.multi_az ? "true" : "false");
        w.kv("product_description", q(ri.product_description));
        w.kv("recurring_charge", num(ri.recurring_charge));
        w.kv("offering_type", q(ri.offering_type));
        if (ri.fixed_price > 0) w.kv("fixed_price", num(ri.fixed_price));
        w.kv("duration", std::to_string(ri.duration));
        w.tags(ri.tags);
    }
    for (const auto& sp : spec.savings_plan) {
        w.header("[[savings_plan]]");
        w.kv("name", q(sp.name));
        w.kv("savings_plan_type", q(sp.savings_plan_type));
        w.kv("commitment", num(sp.commitment));
        if (!sp.instance_family.empty()) w.kv("instance_family", q(sp.instance_family));
        w.kv("discount", num(sp.discount));
        if (!sp.rates.empty()) {
            std::string rates = "{";
            for (const auto& entry : sp.rates)
                rates += fmt::format("{} {} = {}", rates.size() > 1 ? "," : "", q(entry.first),
                                     num(entry.second));
            w.kv("rates", rates + " }");
        }
        w.kv("payment_option", q(sp.payment_option));
        if (sp.upfront_payment_amount > 0)
            w.kv("upfront_payment_amount", num(sp.upfront_payment_amount));
        w.kv("term_duration_in_seconds", std::to_string(sp.term_duration_in_seconds));
        w.tags(sp.tags);
    }
}

// Writes standalone resources, the SLO and the actions.
void write_standalone(Writer& w, const Spec& spec) {
    for (const auto& in : spec.instance) {
        w.header("[[instance]]");
        w.kv("name", q(in.name));
        w.kv("availability_zone", q(in.availability_zone));
        if (!in.launch_template.empty()) w.kv("launch_template", q(in.launch_template));
        if (!in.instance_type.empty()) w.kv("instance_type", q(in.instance_type));
        w.kv("ebs_gb", num(in.ebs_gb));
        w.kv("associate_public_ip_address", in.associate_public_ip_address ? "true" : "false");
        if (!in.source_dest_check) w.kv("source_dest_check", "false");
        if (!in.subnet.empty()) w.kv("subnet", q(in.subnet));
        if (!in.security_groups.empty()) w.kv("security_groups", list(in.security_groups));
        std::string sched = "[";
        for (std::size_t i = 0; i < in.schedule.size(); ++i)
            sched += fmt::format("{}[{}, {}]", i ? ", " : "", dur(in.schedule[i].first),
                                 q(name_of(kScheduleState, in.schedule[i].second)));
        w.kv("schedule", sched + "]");
        w.tags(in.tags);
    }
    for (const auto& e : spec.eip) {
        w.header("[[eip]]");
        w.kv("name", q(e.name));
        if (!e.instance.empty()) w.kv("instance", q(e.instance));
        w.tags(e.tags);
    }
    for (const auto& v : spec.ebs_volume) {
        w.header("[[ebs_volume]]");
        w.kv("name", q(v.name));
        w.kv("size_gb", num(v.size_gb));
        w.kv("availability_zone", q(v.availability_zone));
        w.tags(v.tags);
    }
    for (const auto& s : spec.ebs_snapshot) {
        w.header("[[ebs_snapshot]]");
        w.kv("name", q(s.name));
        w.kv("size_gb", num(s.size_gb));
        w.tags(s.tags);
    }
    write_s3(w, spec);
    write_iam(w, spec);
    write_commitments(w, spec);
    if (spec.slo.present) {
        w.header("[slo]");
        const auto& slo = spec.slo;
        if (slo.latency_p50) w.kv("latency_p50", dur(*slo.latency_p50));
        if (slo.latency_p90) w.kv("latency_p90", dur(*slo.latency_p90));
        if (slo.latency_p99) w.kv("latency_p99", dur(*slo.latency_p99));
        if (slo.latency_p999) w.kv("latency_p999", dur(*slo.latency_p999));
        w.opt_num("availability", slo.availability);
        w.opt_num("error_rate", slo.error_rate);
        w.kv("window", dur(slo.window ? *slo.window : spec.simulation.metrics_period));
        w.kv("budget", num(slo.budget));
    }
    for (const auto& a : spec.action) {
        w.header("[[action]]");
        w.kv("at", dur(a.at));
        std::string set = "{";
        for (std::size_t i = 0; i < a.set.size(); ++i)
            set += fmt::format("{} {} = {}", i ? "," : "", q(a.set[i].first),
                               setting(a.set[i].second));
        w.kv("set", set + " }");
    }
}

}  // namespace

std::string explain(const Spec& spec) {
    Writer w;
    write_run(w, spec);
    write_compute(w, spec);
    write_groups(w, spec);
    write_scaling(w, spec);
    write_traffic(w, spec);
    write_network(w, spec);
    write_standalone(w, spec);
    return w.str();
}

std::vector<Diagnostic> unsupported_features(const Spec& spec) {
    std::vector<Diagnostic> out;
    auto at = [&](const KeyPositions& pos, const std::string& key) {
        return position_of(spec, pos, key);
    };
    auto add = [&](const KeyPositions& pos, const std::string& key, const std::string& path,
                   const std::string& why) {
        out.push_back({Severity::Error, at(pos, key), path, "not supported yet (" + why + ")"});
    };
    auto named = [](const char* section, const std::string& name, std::size_t i) {
        return name.empty() ? fmt::format("{}[{}]", section, i)
                            : fmt::format("{}[{}]", section, name);
    };
    for (std::size_t i = 0; i < spec.ecs_service.size(); ++i) {
        const EcsServiceSpec& s = spec.ecs_service[i];
        const std::string path = named("ecs_service", s.name, i);
        const auto strategy = strategy_of(spec, s);
        bool container_instances = false;
        for (const auto& c : spec.ecs_cluster_capacity_providers)
            if (c.cluster_name == s.cluster)
                for (const auto& p : spec.ecs_capacity_provider)
                    container_instances =
                        container_instances ||
                        std::find(c.capacity_providers.begin(), c.capacity_providers.end(),
                                  p.name) != c.capacity_providers.end();
        if (strategy.empty() && s.launch_type == EcsLaunchType::External)
            add(s.pos, "launch_type", path + ".launch_type",
                "the EXTERNAL launch type (ECS Anywhere) is not modelled");
        else if (runs_on_ec2(spec, s) && !container_instances)
            add(s.pos, s.pos.count("launch_type") ? "launch_type" : "", path + ".launch_type",
                fmt::format("a run places EC2 tasks on the instances of the cluster's Auto "
                            "Scaling group capacity providers, and cluster `{}` has none: add an "
                            "[[ecs_capacity_provider]] and [[ecs_cluster_capacity_providers]]",
                            s.cluster));
    }
    for (std::size_t i = 0; i < spec.workload.size(); ++i)
        if (!spec.workload[i].aws_call.empty() && spec.simulation.fidelity == Fidelity::Fluid)
            add(spec.workload[i].pos, "aws_call",
                named("workload", spec.workload[i].name, i) + ".aws_call",
                "AWS calls are made in request mode only (fidelity = \"request\")");
    // Scheduled changes the World can apply now: the grammar's keys a run
    // changes.
    std::string supported;
    for (const auto& section : sections())
        for (const KeyDef* k : settable_keys(section.name))
            supported += fmt::format("{}{}.<{}>.{}", supported.empty() ? "" : ", ", section.name,
                                     *section.name_key ? section.name_key : "index", k->path);
    for (std::size_t i = 0; i < spec.action.size(); ++i) {
        for (const auto& [path, value] : spec.action[i].set) {
            (void)value;
            auto setting = parse_setting_path(path, nullptr);
            if (setting && !setting->key->by_action())
                add(spec.action[i].pos, "set", named("action", "", i) + ".set." + path,
                    "a scheduled change of this setting arrives later; supported "
                    "now: " +
                        supported);
        }
    }
    return out;
}

}  // namespace stratus::scenario
