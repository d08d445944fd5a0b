// Spelling suggestions ("did you mean `health_check_grace_period`?") and the list of sections
// with their top-level keys, which --set, [[action]] and the unknown-key hints share.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "sim/scenario/internal.hpp"

namespace stratus::scenario::detail {

const std::vector<SectionInfo>& sections() {
    static const std::vector<SectionInfo> kSections = {
        {"simulation",
         false,
         "",
         {"name", "description", "duration", "seed", "start_time", "metrics_period", "fidelity",
          "warmup"}},
        {"region", false, "", {"name", "availability_zones"}},
        {"pricing",
         false,
         "",
         {"on_demand", "ebs_gp3_gb_month", "public_ipv4_hour", "alb_hour", "alb_lcu_hour",
          "nat_gateway_hour", "nat_gateway_gb", "inter_az_gb", "snapshot_gb_month",
          "s3_standard_gb_month"}},
        {"instance_type",
         true,
         "name",
         {"name", "vcpu", "memory_gib", "on_demand_hourly", "speed", "baseline_percent",
          "credits_per_hour", "max_credits", "credit_specification"}},
        {"launch_template",
         true,
         "name",
         {"name", "instance_type", "boot_time", "app_start_time", "workers_per_vcpu", "max_queue",
          "ebs_gb", "associate_public_ip_address", "version", "security_groups", "tags"}},
        {"load_balancer",
         true,
         "name",
         {"name", "load_balancer_type", "availability_zones", "enable_cross_zone_load_balancing",
          "idle_timeout", "security_groups", "subnets", "internal", "tags"}},
        {"lb_listener", true, "", {"load_balancer", "port", "target_group", "tags"}},
        {"target_group",
         true,
         "name",
         {"name", "port", "load_balancing_algorithm_type", "deregistration_delay", "slow_start",
          "health_check", "tags"}},
        {"autoscaling_group",
         true,
         "name",
         {"name", "launch_template", "launch_template_version", "min_size", "max_size",
          "desired_capacity", "availability_zones", "subnets", "target_groups", "health_check_type",
          "health_check_grace_period", "default_cooldown", "default_instance_warmup",
          "termination_policies", "protect_from_scale_in", "capacity_rebalance",
          "mixed_instances_policy", "tags"}},
        {"autoscaling_policy",
         true,
         "name",
         {"name", "autoscaling_group", "policy_type", "adjustment_type", "scaling_adjustment",
          "cooldown", "min_adjustment_magnitude", "estimated_instance_warmup", "step_adjustment",
          "target_tracking_configuration"}},
        {"cloudwatch_metric_alarm",
         true,
         "alarm_name",
         {"alarm_name", "namespace", "metric_name", "dimensions", "statistic", "extended_statistic",
          "period", "evaluation_periods", "datapoints_to_alarm", "comparison_operator", "threshold",
          "treat_missing_data", "alarm_actions", "ok_actions", "tags"}},
        {"autoscaling_schedule",
         true,
         "scheduled_action_name",
         {"scheduled_action_name", "autoscaling_group", "min_size", "max_size", "desired_capacity",
          "recurrence", "start_time", "end_time", "time_zone"}},
        {"workload",
         true,
         "name",
         {"name", "load_balancer", "rate", "spike", "service_time", "timeout", "database",
          "request_bytes", "response_bytes"}},
        {"db_instance",
         true,
         "identifier",
         {"identifier", "instance_class", "multi_az", "availability_zone", "allocated_storage",
          "failover_time", "engine", "port", "subnets", "security_groups", "tags"}},
        {"fault",
         true,
         "",
         {"type", "target", "at", "duration", "mtbf", "mttr", "fraction", "extra"}},
        {"spot", false, "", {"pool"}},
        {"vpc", false, "", {"cidr_block", "tags"}},
        {"subnet",
         true,
         "name",
         {"name", "cidr_block", "availability_zone", "map_public_ip_on_launch", "route", "tags"}},
        {"security_group", true, "name", {"name", "ingress", "tags"}},
        {"nat_gateway", true, "name", {"name", "subnet", "tags"}},
        {"instance",
         true,
         "name",
         {"name", "availability_zone", "launch_template", "instance_type", "ebs_gb",
          "associate_public_ip_address", "source_dest_check", "subnet", "security_groups",
          "schedule", "tags"}},
        {"eip", true, "name", {"name", "instance", "tags"}},
        {"ebs_volume", true, "name", {"name", "size_gb", "availability_zone", "tags"}},
        {"ebs_snapshot", true, "name", {"name", "size_gb", "tags"}},
        {"s3_bucket",
         true,
         "name",
         {"name", "storage_gb", "growth_gb_per_day", "storage_class", "tags"}},
        {"slo", false, "", {"latency_p99", "availability"}},
        {"action", true, "", {"at", "set"}},
    };
    return kSections;
}

const SectionInfo* find_section(std::string_view name) {
    for (const auto& s : sections())
        if (name == s.name) return &s;
    return nullptr;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    // Optimal string alignment distance: a swap of two neighbours counts as one edit.
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
    for (std::size_t i = 0; i <= n; ++i)
        d[i][0] = i;
    for (std::size_t j = 0; j <= m; ++j)
        d[0][j] = j;
    auto lower = [](char c) {
        return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    };
    for (std::size_t i = 1; i <= n; ++i) {
        for (std::size_t j = 1; j <= m; ++j) {
            std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
                lower(a[i - 2]) == lower(b[j - 1]))
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[n][m];
}

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_distance = 0;
    // Allow about one edit per three characters, at least two: catches typos and case slips
    // without proposing unrelated names.
    const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
    for (const auto& c : candidates) {
        std::size_t dist = edit_distance(word, c);
        // A word that is a prefix or suffix of a known one (grace_period) is also close.
        bool affix = word.size() >= 4 && c.size() > word.size() &&
                     (c.find(std::string(word)) != std::string::npos);
        if (affix) dist = std::min(dist, limit);
        if (dist <= limit && (best.empty() || dist < best_distance)) {
            best = c;
            best_distance = dist;
        }
    }
    return best;
}

std::string quoted_list(const std::vector<std::string>& names, std::size_t limit) {
    if (names.empty()) return "(none)";
    std::string out;
    for (std::size_t i = 0; i < names.size() && i < limit; ++i) {
        if (i > 0) out += ", ";
        out += fmt::format("`{}`", names[i]);
    }
    if (names.size() > limit) out += fmt::format(" and {} more", names.size() - limit);
    return out;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    std::string c = closest(word, candidates);
    return c.empty() ? std::string() : fmt::format("did you mean `{}`?", c);
}

}  // namespace stratus::scenario::detail
