#include "sim/scenario/size_limits.hpp"

#include <string>

#include <fmt/format.h>

namespace stratus::scenario::detail {
namespace {

class SizeChecker {
  public:
    SizeChecker(const Spec& spec, Diagnostics& d) : spec_(spec), d_(d) {}
    bool ok() const { return ok_; }

    // The first entry beyond the limit is where the error is shown.
    template <class T>
    void section(const std::vector<T>& items, const char* name) {
        if (items.size() <= kMaxSectionEntries) return;
        report(items[kMaxSectionEntries].pos, fmt::format("{}[{}]", name, kMaxSectionEntries), "",
               fmt::format("a scenario holds at most {} [[{}]] entries; this file has {}",
                           kMaxSectionEntries, name, items.size()));
    }
    void list(const KeyPositions& pos, const std::string& path, const char* key, std::size_t n,
              std::size_t limit = kMaxListEntries) {
        if (n <= limit) return;
        report(pos, path, key, fmt::format("at most {} entries here; found {}", limit, n));
    }

  private:
    void report(const KeyPositions& pos, const std::string& path, const std::string& key,
                std::string message) {
        const SourcePos at = position_of(spec_, pos, key);
        d_.error(at, key.empty() ? path : path + "." + key,
                 message + " (docs/hardening.md: the limits on a scenario's size)");
        ok_ = false;
    }

    const Spec& spec_;
    Diagnostics& d_;
    bool ok_ = true;
};

std::string at_index(const char* section, std::size_t i) {
    return fmt::format("{}[{}]", section, i);
}

// The number of entries of each section (and of AZs in the region).
void section_counts(const Spec& spec, SizeChecker& c) {
    c.list(spec.region.pos, "region", "availability_zones", spec.region.availability_zones.size(),
           kMaxAvailabilityZones);
    c.section(spec.instance_type, "instance_type");
    c.section(spec.launch_template, "launch_template");
    c.section(spec.load_balancer, "load_balancer");
    c.section(spec.lb_listener, "lb_listener");
    c.section(spec.target_group, "target_group");
    c.section(spec.autoscaling_group, "autoscaling_group");
    c.section(spec.autoscaling_policy, "autoscaling_policy");
    c.section(spec.cloudwatch_metric_alarm, "cloudwatch_metric_alarm");
    c.section(spec.autoscaling_schedule, "autoscaling_schedule");
    c.section(spec.workload, "workload");
    c.section(spec.db_instance, "db_instance");
    c.section(spec.ecs_cluster, "ecs_cluster");
    c.section(spec.ecs_task_definition, "ecs_task_definition");
    c.section(spec.ecs_service, "ecs_service");
    c.section(spec.fault, "fault");
    c.section(spec.spot.pool, "spot.pool");
    c.section(spec.capacity_pool, "capacity_pool");
    c.section(spec.subnet, "subnet");
    c.section(spec.security_group, "security_group");
    c.section(spec.nat_gateway, "nat_gateway");
    c.section(spec.instance, "instance");
    c.section(spec.eip, "eip");
    c.section(spec.ebs_volume, "ebs_volume");
    c.section(spec.ebs_snapshot, "ebs_snapshot");
    c.section(spec.s3_bucket, "s3_bucket");
    c.section(spec.s3_bucket_lifecycle_configuration, "s3_bucket_lifecycle_configuration");
    c.section(spec.s3_bucket_policy, "s3_bucket_policy");
    c.section(spec.s3_bucket_acl, "s3_bucket_acl");
    c.section(spec.s3_bucket_public_access_block, "s3_bucket_public_access_block");
    c.section(spec.s3_bucket_ownership_controls, "s3_bucket_ownership_controls");
    c.section(spec.iam_policy, "iam_policy");
    c.section(spec.iam_user, "iam_user");
    c.section(spec.iam_group, "iam_group");
    c.section(spec.iam_group_membership, "iam_group_membership");
    c.section(spec.iam_user_group_membership, "iam_user_group_membership");
    c.section(spec.iam_role, "iam_role");
    c.section(spec.iam_user_policy, "iam_user_policy");
    c.section(spec.iam_group_policy, "iam_group_policy");
    c.section(spec.iam_role_policy, "iam_role_policy");
    c.section(spec.iam_user_policy_attachment, "iam_user_policy_attachment");
    c.section(spec.iam_group_policy_attachment, "iam_group_policy_attachment");
    c.section(spec.iam_role_policy_attachment, "iam_role_policy_attachment");
    c.section(spec.iam_policy_attachment, "iam_policy_attachment");
    c.section(spec.iam_instance_profile, "iam_instance_profile");
    c.section(spec.organizations_policy, "organizations_policy");
    c.section(spec.organizations_policy_attachment, "organizations_policy_attachment");
    c.section(spec.reserved_instance, "reserved_instance");
    c.section(spec.reserved_db_instance, "reserved_db_instance");
    c.section(spec.savings_plan, "savings_plan");
    c.section(spec.action, "action");
}

// The lists of the compute, load balancing, scaling and workload sections.
void compute_lists(const Spec& spec, SizeChecker& c) {
    for (std::size_t i = 0; i < spec.launch_template.size(); ++i) {
        const auto& lt = spec.launch_template[i];
        c.list(lt.pos, at_index("launch_template", i), "security_groups",
               lt.security_groups.size());
    }
    for (std::size_t i = 0; i < spec.load_balancer.size(); ++i) {
        const auto& lb = spec.load_balancer[i];
        const std::string path = at_index("load_balancer", i);
        c.list(lb.pos, path, "availability_zones", lb.availability_zones.size(),
               kMaxAvailabilityZones);
        c.list(lb.pos, path, "security_groups", lb.security_groups.size());
        c.list(lb.pos, path, "subnets", lb.subnets.size());
    }
    for (std::size_t i = 0; i < spec.autoscaling_group.size(); ++i) {
        const auto& g = spec.autoscaling_group[i];
        const std::string path = at_index("autoscaling_group", i);
        c.list(g.pos, path, "availability_zones", g.availability_zones.size(),
               kMaxAvailabilityZones);
        c.list(g.pos, path, "subnets", g.subnets.size());
        c.list(g.pos, path, "target_groups", g.target_groups.size());
        c.list(g.pos, path, "termination_policies", g.termination_policies.size());
        if (g.mixed_instances_policy)
            c.list(g.pos, path, "mixed_instances_policy",
                   g.mixed_instances_policy->instance_types.size());
    }

    for (std::size_t i = 0; i < spec.autoscaling_policy.size(); ++i) {
        const auto& p = spec.autoscaling_policy[i];
        c.list(p.pos, at_index("autoscaling_policy", i), "step_adjustment",
               p.step_adjustment.size());
    }
    for (std::size_t i = 0; i < spec.cloudwatch_metric_alarm.size(); ++i) {
        const auto& a = spec.cloudwatch_metric_alarm[i];
        const std::string path = at_index("cloudwatch_metric_alarm", i);
        c.list(a.pos, path, "alarm_actions", a.alarm_actions.size());
        c.list(a.pos, path, "ok_actions", a.ok_actions.size());
        c.list(a.pos, path, "dimensions", a.dimensions.size());
    }
    for (std::size_t i = 0; i < spec.workload.size(); ++i) {
        const auto& w = spec.workload[i];
        c.list(w.pos, at_index("workload", i), "spike", w.spike.size());
        c.list(w.pos, at_index("workload", i), "aws_call", w.aws_call.size());
    }
}

// The lists of the storage, container, database, network and action sections.
void service_lists(const Spec& spec, SizeChecker& c) {
    for (std::size_t i = 0; i < spec.s3_bucket_lifecycle_configuration.size(); ++i) {
        const auto& lc = spec.s3_bucket_lifecycle_configuration[i];
        const std::string path = at_index("s3_bucket_lifecycle_configuration", i);
        // S3 takes up to 1,000 rules in a bucket's lifecycle configuration.
        c.list(lc.pos, path, "rule", lc.rule.size(), 1000);
        for (std::size_t r = 0; r < lc.rule.size(); ++r)
            c.list(lc.pos, path, fmt::format("rule[{}].transition", r).c_str(),
                   lc.rule[r].transition.size());
    }
    for (std::size_t i = 0; i < spec.ecs_task_definition.size(); ++i) {
        const auto& td = spec.ecs_task_definition[i];
        c.list(td.pos, at_index("ecs_task_definition", i), "container_definitions",
               td.containers.size());
    }
    for (std::size_t i = 0; i < spec.ecs_service.size(); ++i) {
        const auto& s = spec.ecs_service[i];
        c.list(s.pos, at_index("ecs_service", i), "network_configuration.subnets",
               s.subnets.size());
        c.list(s.pos, at_index("ecs_service", i), "network_configuration.security_groups",
               s.security_groups.size());
        c.list(s.pos, at_index("ecs_service", i), "load_balancer", s.load_balancer.size());
    }
    for (std::size_t i = 0; i < spec.db_instance.size(); ++i) {
        const auto& db = spec.db_instance[i];
        c.list(db.pos, at_index("db_instance", i), "subnets", db.subnets.size());
        c.list(db.pos, at_index("db_instance", i), "security_groups", db.security_groups.size());
    }
    for (std::size_t i = 0; i < spec.security_group.size(); ++i) {
        const auto& sg = spec.security_group[i];
        c.list(sg.pos, at_index("security_group", i), "ingress", sg.ingress.size());
        for (const auto& rule : sg.ingress)
            c.list(sg.pos, at_index("security_group", i), "ingress", rule.cidr_blocks.size());
        c.list(sg.pos, at_index("security_group", i), "egress", sg.egress.size());
        for (const auto& rule : sg.egress)
            c.list(sg.pos, at_index("security_group", i), "egress", rule.cidr_blocks.size());
    }
    for (std::size_t i = 0; i < spec.instance.size(); ++i) {
        const auto& in = spec.instance[i];
        c.list(in.pos, at_index("instance", i), "security_groups", in.security_groups.size());
        c.list(in.pos, at_index("instance", i), "schedule", in.schedule.size());
    }
    for (std::size_t i = 0; i < spec.action.size(); ++i)
        c.list(spec.action[i].pos, at_index("action", i), "set", spec.action[i].set.size());
}

}  // namespace

bool check_sizes(const Spec& spec, Diagnostics& diags) {
    SizeChecker c(spec, diags);
    section_counts(spec, c);
    if (!c.ok()) return false;  // the lists of a section that is too large are not looked at
    compute_lists(spec, c);
    service_lists(spec, c);
    return c.ok();
}

}  // namespace stratus::scenario::detail
