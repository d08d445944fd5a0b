// Checks that involve more than one key: references between resources, AZ names, ranges that
// compare two values, and the defaults that depend on other sections (AZs from the region or
// from subnets). Runs only when every value converted cleanly, so it can trust the Spec.
#include <algorithm>
#include <cmath>
#include <optional>
#include <regex>
#include <set>
#include <variant>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "sim/scenario/actions.hpp"
#include "sim/scenario/catalog.hpp"
#include "sim/scenario/cidr.hpp"
#include "sim/scenario/cluster_query.hpp"
#include "sim/scenario/cron.hpp"
#include "sim/scenario/internal.hpp"
#include "sim/scenario/limits.hpp"
#include "sim/scenario/price_list.hpp"
#include "sim/scenario/settings.hpp"
#include "sim/scenario/size_limits.hpp"
#include "sim/scenario/spot_params.hpp"

namespace stratus::scenario::detail {
namespace {

using Names = std::vector<std::string>;

struct Checker {
    Checker(Spec& s, Diagnostics& diagnostics) : spec(s), d(diagnostics) {}

    Spec& spec;
    Diagnostics& d;

    SourcePos at(const KeyPositions& pos, const std::string& key = "") const {
        return position_of(spec, pos, key);
    }
    void error(const KeyPositions& pos, const std::string& path, const std::string& key,
               std::string message) {
        d.error(at(pos, key), key.empty() ? path : path + "." + key, std::move(message));
    }
    // A key inside an inline table or array ("a.b[1]") has no position of its own: the loader
    // records the top-level key's, where the value begins.
    SourcePos at_nearest(const KeyPositions& pos, std::string key) const {
        while (!key.empty() && pos.find(key) == pos.end()) {
            const auto cut = key.find_last_of(".[");
            key = cut == std::string::npos ? "" : key.substr(0, cut);
        }
        return at(pos, key);
    }
    void warning(const KeyPositions& pos, const std::string& path, const std::string& key,
                 std::string message) {
        d.warning(at(pos, key), key.empty() ? path : path + "." + key, std::move(message));
    }

    // A time point at or after the end of the run: what it names would never happen, and a
    // run (or a sweep's point) that silently leaves out its fault or its sale answers a
    // question nobody asked. An error, naming the run's start and length (often set by --set).
    void check_inside_run(const KeyPositions& pos, const std::string& path, const std::string& key,
                          SimTime t, const char* what) {
        const auto& sim = spec.simulation;
        if (t < sim.duration) return;
        error(pos, path, key,
              fmt::format("{} at +{} is not inside the run, which starts at {} "
                          "(simulation.start_time) and lasts {} (simulation.duration): it would "
                          "never happen; move it inside the run or change the run's window",
                          what, elapsed_text(t), sim.start_time, elapsed_text(sim.duration)));
    }

    static bool contains(const Names& names, const std::string& n) {
        return std::find(names.begin(), names.end(), n) != names.end();
    }

    // The key of a rule that named a group: Terraform's list or stratus's one (an inbound
    // rule's source_security_group, an outbound one's destination_security_group).
    static std::string source_key(const KeyPositions& pos, std::size_t rule,
                                  const char* rules = "ingress") {
        const std::string list = fmt::format("{}[{}].security_groups", rules, rule);
        if (pos.count(list)) return list;
        return fmt::format("{}[{}].{}_security_group", rules, rule,
                           std::string(rules) == "egress" ? "destination" : "source");
    }

    // "unknown target group `x`; known: `a`, `b`; did you mean `a`?"
    void check_ref(const KeyPositions& pos, const std::string& path, const std::string& key,
                   const std::string& what, const std::string& name, const Names& known) {
        if (contains(known, name)) return;
        std::string hint = d.full() ? "" : did_you_mean(name, known);
        error(pos, path, key,
              fmt::format("unknown {} `{}`; known: {}{}", what, shortened(name), quoted_list(known),
                          hint.empty() ? "" : "; " + hint));
    }
    void check_refs(const KeyPositions& pos, const std::string& path, const std::string& key,
                    const std::string& what, const Names& names, const Names& known) {
        for (const auto& n : names)
            check_ref(pos, path, key, what, n, known);
    }

    template <class T, class NameOf>
    Names names(const std::vector<T>& items, const char* section, NameOf name_of) {
        Names out;
        for (const auto& item : items) {
            const std::string& n = name_of(item);
            if (contains(out, n))
                error(item.pos, fmt::format("{}[{}]", section, n), "",
                      fmt::format("duplicate {} name `{}`", section, n));
            else
                out.push_back(n);
        }
        return out;
    }

    Names azs() const { return spec.region.availability_zones; }

    void check_azs(const KeyPositions& pos, const std::string& path, const std::string& key,
                   const Names& list) {
        std::set<std::string> seen;
        for (const auto& az : list) {
            check_ref(pos, path, key, "availability zone", az, azs());
            if (!seen.insert(az).second)
                error(pos, path, key, fmt::format("availability zone `{}` is listed twice", az));
        }
    }

    // A VPC or subnet block: it parses (no host bits set) and AWS accepts its size (/16 to
    // /28). Reports at `key` and returns nothing otherwise.
    std::optional<Cidr> check_block(const KeyPositions& pos, const std::string& path,
                                    const std::string& key, const std::string& text,
                                    const char* example) {
        Cidr block;
        try {
            block = Cidr::parse(text);
        } catch (const CidrError& e) {
            // "CIDR \"<text>\": <problem>" -> "<problem>"
            std::string problem = e.what();
            std::size_t colon = problem.find("\": ");
            if (colon != std::string::npos) problem = problem.substr(colon + 3);
            error(pos, path, key,
                  fmt::format("expected a CIDR block such as \"{}\", found \"{}\" ({})", example,
                              text, problem));
            return std::nullopt;
        }
        if (aws_size_error(block)) {
            error(pos, path, key,
                  fmt::format("expected a CIDR block between /{} and /{} such as \"{}\", found "
                              "\"{}\" ({} addresses; AWS accepts 16 to 65536)",
                              kAwsMinPrefix, kAwsMaxPrefix, example, text, block.size()));
            return std::nullopt;
        }
        return block;
    }

    static std::string fmt_path(const char* section, const std::string& name, std::size_t i) {
        return name.empty() ? fmt::format("{}[{}]", section, i)
                            : fmt::format("{}[{}]", section, name);
    }

    // An instance type of the region's catalog or of [[instance_type]].
    void check_type(const KeyPositions& pos, const std::string& path, const std::string& key,
                    const std::string& type) {
        if (!region_known || contains(all_types, type)) return;
        Names close = close_instance_types(type, all_types);
        error(pos, path, key,
              fmt::format("unknown instance type `{}` in {}{}; declare it with [[instance_type]] "
                          "name = \"{}\", vcpu = ..., on_demand_hourly = ... (`stratus catalog "
                          "list --region {}` lists the built-in ones)",
                          shortened(type), spec.region.name,
                          close.empty() ? "" : fmt::format("; close: {}", quoted_list(close)),
                          shortened(type), spec.region.name));
    }
    std::string subnet_az(const std::string& name) const {
        for (const auto& s : spec.subnet)
            if (s.name == name) return s.availability_zone;
        return "";
    }
    // AZs of a list of subnets, in order, without repeats.
    Names subnets_azs(const Names& subnets) const {
        Names out;
        for (const auto& s : subnets) {
            std::string az = subnet_az(s);
            if (!az.empty() && !contains(out, az)) out.push_back(az);
        }
        return out;
    }

    // vCPUs of a type of the catalog or of [[instance_type]] (which overrides it); 0 if unknown.
    int vcpu_of(const std::string& type) const {
        for (const auto& t : spec.instance_type)
            if (t.name == type && t.vcpu) return *t.vcpu;
        const InstanceTypeInfo* info = catalog.find(type);
        return info ? info->vcpu : 0;
    }
    // An instance of `type` launched from a template with `workers_per_vcpu` has vCPUs x
    // workers_per_vcpu workers, which must fit the model's 16-bit worker slot.
    void check_workers(const KeyPositions& pos, const std::string& path, const std::string& key,
                       const std::string& type, int workers_per_vcpu, const std::string& from) {
        const long long workers = static_cast<long long>(vcpu_of(type)) * workers_per_vcpu;
        if (workers <= kMaxWorkersPerInstance) return;
        error(pos, path, key,
              fmt::format("`{}` has {} vCPUs: with workers_per_vcpu = {} ({}) an instance would "
                          "have {} workers, more than the {} an instance can hold; lower "
                          "workers_per_vcpu",
                          shortened(type), vcpu_of(type), workers_per_vcpu, from, workers,
                          kMaxWorkersPerInstance));
    }
    void check_group_workers(const AutoScalingGroupSpec& g, const std::string& path);

    // One pass per section, in this order: later sections refer to earlier ones' names.
    void run();
    void check_region();
    void check_network();
    void check_launch_templates();
    void check_load_balancing();
    void check_groups();
    void check_policies();
    void check_alarms();
    void check_schedules();
    void check_databases();
    void check_ecs_task_definitions();
    void check_vpc_endpoint(const VpcEndpointSpec& e, const std::string& path);
    void check_prefix_lists(const SecurityGroupSpec& g, const std::string& path);
    const SubnetSpec* find_subnet(const std::string& name) const {
        for (const auto& sn : spec.subnet)
            if (sn.name == name) return &sn;
        return nullptr;
    }
    void check_task_memory(const EcsTaskDefinitionSpec& td, const std::string& path);
    bool fargate_text_ok(const EcsTaskDefinitionSpec& td, const std::string& path);
    void check_operating_system(const EcsTaskDefinitionSpec& td, const std::string& path);
    void check_windows_service(const EcsServiceSpec& s, const EcsTaskDefinitionSpec* td,
                               const std::string& path, bool ec2);
    void check_ecs_capacity_providers();
    void check_cluster_capacity_providers();
    void check_ecs_services();
    void check_capacity_provider_strategy(const EcsServiceSpec& s, const std::string& path);
    void check_daemon_service(const EcsServiceSpec& s, const std::string& path);
    // The EC2 launch type: the task definition's compatibility and reservations, the
    // strategy's providers of the cluster, the placement strategies.
    void check_ec2_service(const EcsServiceSpec& s, const EcsTaskDefinitionSpec* td,
                           const std::string& path);
    void check_placement_strategy(const EcsServiceSpec& s, const std::string& path, bool ec2);
    // placement_constraints of a service (with its task definition's) or a task definition.
    void check_placement_constraints(const KeyPositions& pos, const std::string& path,
                                     const std::vector<EcsPlacementConstraintSpec>& list,
                                     bool task_definition);
    void check_service_constraints(const EcsServiceSpec& s, const EcsTaskDefinitionSpec* td,
                                   const std::string& path, bool fargate);
    void check_ecs_load_balancers(const EcsServiceSpec& s, const EcsTaskDefinitionSpec* td,
                                  const std::string& path);
    void check_appautoscaling();
    void check_app_policy(const AppAutoscalingPolicySpec& p, const Names& targets);
    void check_app_scheduled_actions(const Names& targets);
    void check_steps(const KeyPositions& pos, const std::string& path, const std::string& at,
                     const std::vector<StepAdjustmentSpec>& steps);
    void check_workloads();
    void check_listener_port(const WorkloadSpec& w, const std::string& path);
    void check_served(const WorkloadSpec& w, const std::string& path);
    void check_faults();
    void check_spot();
    void check_standalone();
    void check_commitments();
    void check_s3();
    void check_lifecycle_tag_filter(const S3BucketLifecycleConfigurationSpec& c,
                                    const std::string& path, const S3LifecycleRuleSpec& rule,
                                    const std::string& at);
    void check_lifecycle_size_filter(const S3BucketLifecycleConfigurationSpec& c,
                                     const std::string& path, const S3LifecycleRuleSpec& rule,
                                     const std::string& at);
    void check_s3_uploads(const S3BucketSpec& b, const std::string& path);
    void check_lifecycle_rule(const S3BucketLifecycleConfigurationSpec& c, const std::string& path,
                              std::size_t index);
    void check_lifecycle_from_class(const S3BucketLifecycleConfigurationSpec& c,
                                    const std::string& path, const S3LifecycleRuleSpec& rule,
                                    const std::string& at);
    void check_lifecycle_cleanup(const S3BucketLifecycleConfigurationSpec& c,
                                 const std::string& path, const S3LifecycleRuleSpec& rule,
                                 const std::string& at);
    void check_lifecycle_noncurrent(const S3BucketLifecycleConfigurationSpec& c,
                                    const std::string& path, const S3LifecycleRuleSpec& rule,
                                    const std::string& at);
    // An RI's payment option against its fixed price, recurring charge and term (EC2 and RDS).
    template <class RiSpec>
    void check_ri_payment(const RiSpec& ri, const std::string& path);
    void check_reserved_db_instances();
    void check_plan_payment(SavingsPlanSpec& sp, const std::string& path);
    void check_actions();

    // The names of each section, gathered (and checked for duplicates) as its pass runs.
    bool region_known = false;
    InstanceCatalog catalog;
    Names all_types;
    std::optional<Cidr> vpc_cidr;
    Names nat_names, subnet_names, sg_names, lt_names, tg_names, lb_names, asg_names, policy_names,
        alarm_names, db_names, workload_names, instance_names, cluster_names, family_names,
        capacity_provider_names;
};

void Checker::run() {
    check_region();
    check_network();
    check_launch_templates();
    check_load_balancing();
    check_groups();
    check_policies();
    check_alarms();
    check_schedules();
    check_databases();
    check_ecs_task_definitions();
    check_ecs_capacity_providers();
    check_cluster_capacity_providers();
    check_ecs_services();
    check_appautoscaling();
    check_workloads();
    check_faults();
    check_spot();
    check_standalone();
    check_actions();
}

// The region, its AZs, the instance types of its catalog and of [[instance_type]].
void Checker::check_region() {
    auto& region = spec.region;
    region_known = is_known_region(region.name);
    if (!region_known) {
        // A well-formed region code ("sa-east-1") is another Region, not a typo of a known one:
        // "did you mean us-east-1?" would send its prices to the wrong place.
        static const std::regex kRegionCode("[a-z]{2}(-gov)?-[a-z]+-[0-9]+");
        std::string hint = std::regex_match(region.name, kRegionCode)
                               ? ""
                               : did_you_mean(region.name, known_regions());
        error(region.pos, "region", "name",
              fmt::format("no built-in catalog for region `{}`{}; built in: {}. A region is added "
                          "with its rows in data/catalog (regions.csv, ec2_prices.csv, "
                          "service_prices.csv; `stratus catalog check` checks them); or model a "
                          "built-in region and set its prices with [[instance_type]] "
                          "on_demand_hourly and [pricing] (docs/pricing.md)",
                          shortened(region.name), hint.empty() ? "" : " (" + hint + ")",
                          quoted_list(known_regions(), 20)));
    }
    {
        std::set<std::string> seen;
        const Names zones = region_availability_zones(region.name);
        for (const auto& az : region.availability_zones) {
            if (!seen.insert(az).second)
                error(region.pos, "region", "availability_zones",
                      fmt::format("availability zone `{}` is listed twice", az));
            if (region_known && !contains(zones, az))
                check_ref(region.pos, "region", "availability_zones",
                          fmt::format("availability zone of {}", region.name), az, zones);
        }
    }
    catalog = InstanceCatalog::builtin(region.name);
    Names builtin_types = catalog.names();
    Names type_names =
        names(spec.instance_type, "instance_type",
              [](const InstanceTypeSpec& s) -> const std::string& { return s.name; });
    for (const auto& t : spec.instance_type) {
        std::string path = fmt_path("instance_type", t.name, 0);
        if (!contains(builtin_types, t.name)) {
            if (!t.vcpu) {
                Names close = close_instance_types(t.name, builtin_types);
                error(t.pos, path, "",
                      fmt::format("`{}` is not in the built-in catalog of {}, so it needs `vcpu`{}",
                                  shortened(t.name), region.name,
                                  close.empty() ? ""
                                                : fmt::format(" (close built-in types: {})",
                                                              quoted_list(close))));
            }
            if (!t.on_demand_hourly)
                warning(t.pos, path, "",
                        fmt::format("`{}` is not in the built-in catalog and has no "
                                    "`on_demand_hourly`: it costs nothing",
                                    shortened(t.name)));
        }
    }
    all_types = builtin_types;
    for (const auto& n : type_names)
        if (!contains(all_types, n)) all_types.push_back(n);
}

// Networking first: other sections refer to subnets and security groups.
void Checker::check_network() {
    if (spec.vpc.present)
        vpc_cidr =
            check_block(spec.vpc.pos, "vpc", "cidr_block", spec.vpc.cidr_block, "10.0.0.0/16");
    nat_names = names(spec.nat_gateway, "nat_gateway",
                      [](const NatGatewaySpec& s) -> const std::string& { return s.name; });
    subnet_names = names(spec.subnet, "subnet",
                         [](const SubnetSpec& s) -> const std::string& { return s.name; });
    std::vector<std::pair<std::string, Cidr>> subnet_cidrs;
    for (std::size_t i = 0; i < spec.subnet.size(); ++i) {
        const auto& s = spec.subnet[i];
        std::string path = fmt_path("subnet", s.name, i);
        if (!spec.vpc.present)
            error(s.pos, path, "",
                  "a subnet needs a [vpc] section with its cidr_block, such as [vpc] cidr_block = "
                  "\"10.0.0.0/16\"");
        check_ref(s.pos, path, "availability_zone", "availability zone", s.availability_zone,
                  azs());
        auto cidr = check_block(s.pos, path, "cidr_block", s.cidr_block, "10.0.1.0/24");
        if (cidr) {
            if (vpc_cidr && !vpc_cidr->contains(*cidr))
                error(s.pos, path, "cidr_block",
                      fmt::format("expected a CIDR block inside the VPC's {}, found {}",
                                  vpc_cidr->to_string(), cidr->to_string()));
            for (const auto& [other, oc] : subnet_cidrs)
                if (oc.overlaps(*cidr))
                    error(s.pos, path, "cidr_block",
                          fmt::format("subnet `{}` ({}) overlaps subnet `{}` ({}); subnets in a "
                                      "VPC cannot overlap",
                                      s.name, cidr->to_string(), other, oc.to_string()));
            subnet_cidrs.emplace_back(s.name, *cidr);
        }
        if (s.route.rfind("nat:", 0) == 0)
            check_ref(s.pos, path, "route", "nat gateway", s.route.substr(4), nat_names);
        if (s.route.rfind("instance:", 0) == 0) {
            // A NAT instance: one of the scenario's [[instance]]s (names are checked for
            // duplicates with the standalone resources below).
            Names nat_instances;
            for (const auto& in : spec.instance)
                nat_instances.push_back(in.name);
            check_ref(s.pos, path, "route", "instance", s.route.substr(9), nat_instances);
        }
    }
    for (const auto& n : spec.nat_gateway) {
        std::string path = fmt_path("nat_gateway", n.name, 0);
        check_ref(n.pos, path, "subnet", "subnet", n.subnet, subnet_names);
    }
    names(spec.vpc_endpoint, "vpc_endpoint",
          [](const VpcEndpointSpec& s) -> const std::string& { return s.name; });
    for (const auto& e : spec.vpc_endpoint) {
        std::string path = fmt_path("vpc_endpoint", e.name, 0);
        if (!spec.vpc.present) error(e.pos, path, "", "a VPC endpoint needs a [vpc] section");
        check_refs(e.pos, path, "subnets", "subnet", e.subnets, subnet_names);
        check_vpc_endpoint(e, path);
    }
    sg_names = names(spec.security_group, "security_group",
                     [](const SecurityGroupSpec& s) -> const std::string& { return s.name; });
    for (const auto& e : spec.vpc_endpoint)
        check_refs(e.pos, fmt_path("vpc_endpoint", e.name, 0), "security_groups", "security group",
                   e.security_groups, sg_names);
    for (const auto& g : spec.security_group) {
        std::string path = fmt_path("security_group", g.name, 0);
        if (!spec.vpc.present) error(g.pos, path, "", "a security group needs a [vpc] section");
        for (std::size_t i = 0; i < g.ingress.size(); ++i)
            for (const auto& from : g.ingress[i].source_security_groups)
                check_ref(g.pos, path, source_key(g.pos, i), "security group", from, sg_names);
        for (std::size_t i = 0; i < g.egress.size(); ++i)
            for (const auto& to : g.egress[i].source_security_groups)
                check_ref(g.pos, path, source_key(g.pos, i, "egress"), "security group", to,
                          sg_names);
        check_prefix_lists(g, path);
    }
}

// Launch templates: a name may repeat with a new version.
void Checker::check_launch_templates() {
    for (std::size_t i = 0; i < spec.launch_template.size(); ++i) {
        const auto& lt = spec.launch_template[i];
        std::string path = fmt_path("launch_template", lt.name, i);
        for (std::size_t j = 0; j < i; ++j)
            if (spec.launch_template[j].name == lt.name &&
                spec.launch_template[j].version == lt.version)
                error(lt.pos, path, "version",
                      fmt::format("launch template `{}` version {} is defined twice; give the new "
                                  "one a higher `version`",
                                  lt.name, lt.version));
        if (!contains(lt_names, lt.name)) lt_names.push_back(lt.name);
        check_type(lt.pos, path, "instance_type", lt.instance_type);
        check_workers(lt.pos, path, "workers_per_vcpu", lt.instance_type, lt.workers_per_vcpu,
                      "this template's");
        check_refs(lt.pos, path, "security_groups", "security group", lt.security_groups, sg_names);
    }
}

// Load balancers, target groups, listeners.
void Checker::check_load_balancing() {
    tg_names = names(spec.target_group, "target_group",
                     [](const TargetGroupSpec& s) -> const std::string& { return s.name; });
    for (const auto& tg : spec.target_group) {
        std::string path = fmt_path("target_group", tg.name, 0);
        if (tg.health_check.timeout >= tg.health_check.interval)
            error(tg.pos, path, "health_check.timeout",
                  fmt::format("expected a timeout shorter than the interval ({}s), found {}",
                              tg.health_check.interval, tg.health_check.timeout));
        if (tg.slow_start > 0 &&
            tg.load_balancing_algorithm_type == LoadBalancingAlgorithm::LeastOutstandingRequests)
            error(tg.pos, path, "slow_start",
                  "slow start cannot be combined with least_outstanding_requests (as on AWS)");
    }
    lb_names = names(spec.load_balancer, "load_balancer",
                     [](const LoadBalancerSpec& s) -> const std::string& { return s.name; });
    for (auto& lb : spec.load_balancer) {
        std::string path = fmt_path("load_balancer", lb.name, 0);
        check_refs(lb.pos, path, "subnets", "subnet", lb.subnets, subnet_names);
        check_refs(lb.pos, path, "security_groups", "security group", lb.security_groups, sg_names);
        if (lb.availability_zones.empty())
            lb.availability_zones = lb.subnets.empty() ? azs() : subnets_azs(lb.subnets);
        else
            check_azs(lb.pos, path, "availability_zones", lb.availability_zones);
        if (lb.load_balancer_type == LoadBalancerType::Application &&
            lb.availability_zones.size() < 2)
            error(lb.pos, path, lb.pos.count("availability_zones") ? "availability_zones" : "",
                  fmt::format("an application load balancer needs at least 2 availability "
                              "zones, found {}",
                              lb.availability_zones.size()));
    }
    std::set<std::pair<std::string, int>> listener_ports;
    for (std::size_t i = 0; i < spec.lb_listener.size(); ++i) {
        const auto& l = spec.lb_listener[i];
        std::string path = fmt::format("lb_listener[{}]", i);
        check_ref(l.pos, path, "load_balancer", "load balancer", l.load_balancer, lb_names);
        if (l.forward.empty())
            check_ref(l.pos, path, "target_group", "target group", l.target_group, tg_names);
        int weights = 0;
        for (std::size_t k = 0; k < l.forward.size(); ++k) {
            check_ref(l.pos, path, fmt::format("default_action[0].forward.target_group[{}].arn", k),
                      "target group", l.forward[k].arn, tg_names);
            weights += l.forward[k].weight;
        }
        if (!l.forward.empty() && weights == 0)
            warning(l.pos, path, "default_action",
                    "every target group of the forward has weight 0: the load balancer answers "
                    "every request with 503 until an [[action]] gives one a weight");
        if (!listener_ports.insert({l.load_balancer, l.port}).second)
            error(l.pos, path, "port",
                  fmt::format("load balancer `{}` already has a listener on port {}",
                              l.load_balancer, l.port));
    }
}

// The types of a mixed instances policy launch with the workers_per_vcpu of the template in
// force: any version of the group's template, or of one an [[action]] switches it to.
void Checker::check_group_workers(const AutoScalingGroupSpec& g, const std::string& path) {
    if (!g.mixed_instances_policy) return;
    std::set<std::string> templates{g.launch_template};
    for (const auto& a : spec.action)
        for (const auto& [key, value] : a.set) {
            std::string why;
            const auto p = parse_setting_path(key, &why);
            if (p && p->key->id == SettingId::GroupLaunchTemplate && p->element == g.name &&
                std::holds_alternative<std::string>(value))
                templates.insert(std::get<std::string>(value));
        }
    for (const auto& lt : spec.launch_template) {
        if (!templates.count(lt.name)) continue;
        for (const auto& t : g.mixed_instances_policy->instance_types)
            check_workers(
                g.pos, path, "mixed_instances_policy.instance_types", t, lt.workers_per_vcpu,
                fmt::format("launch template `{}` version {}", shortened(lt.name), lt.version));
    }
}

// Auto Scaling groups.
void Checker::check_groups() {
    asg_names = names(spec.autoscaling_group, "autoscaling_group",
                      [](const AutoScalingGroupSpec& s) -> const std::string& { return s.name; });
    for (auto& g : spec.autoscaling_group) {
        std::string path = fmt_path("autoscaling_group", g.name, 0);
        check_ref(g.pos, path, "launch_template", "launch template", g.launch_template, lt_names);
        if (g.launch_template_version > 0 && contains(lt_names, g.launch_template)) {
            Names versions;
            for (const auto& lt : spec.launch_template)
                if (lt.name == g.launch_template) versions.push_back(std::to_string(lt.version));
            if (!contains(versions, std::to_string(g.launch_template_version)))
                error(g.pos, path, "launch_template_version",
                      fmt::format("launch template `{}` has no version {}; known: {}",
                                  g.launch_template, g.launch_template_version,
                                  quoted_list(versions)));
        }
        if (g.min_size > g.max_size)
            error(g.pos, path, "min_size",
                  fmt::format("expected min_size <= max_size ({}), found {}", g.max_size,
                              g.min_size));
        else if (g.desired_capacity < g.min_size)
            error(g.pos, path, "desired_capacity",
                  fmt::format("expected desired_capacity >= min_size ({}), found {}", g.min_size,
                              g.desired_capacity));
        else if (g.desired_capacity > g.max_size)
            error(g.pos, path, "desired_capacity",
                  fmt::format("expected desired_capacity <= max_size ({}), found {}", g.max_size,
                              g.desired_capacity));
        check_refs(g.pos, path, "subnets", "subnet", g.subnets, subnet_names);
        if (g.availability_zones.empty()) {
            g.availability_zones = g.subnets.empty() ? azs() : subnets_azs(g.subnets);
        } else {
            check_azs(g.pos, path, "availability_zones", g.availability_zones);
            for (const auto& az : subnets_azs(g.subnets))
                if (!contains(g.availability_zones, az))
                    error(g.pos, path, "subnets",
                          fmt::format("a subnet is in `{}`, which is not in the group's "
                                      "availability_zones",
                                      az));
        }
        check_refs(g.pos, path, "target_groups", "target group", g.target_groups, tg_names);
        for (const auto& tg : spec.target_group)
            if (tg.target_type == TargetType::Ip && contains(g.target_groups, tg.name))
                error(g.pos, path, "target_groups",
                      fmt::format("target group `{}` has target_type = \"ip\": a group "
                                  "registers its instances by ID, in a target group of "
                                  "target_type = \"instance\"",
                                  tg.name));
        if (g.mixed_instances_policy)
            for (const auto& t : g.mixed_instances_policy->instance_types)
                check_type(g.pos, path, "mixed_instances_policy.instance_types", t);
        check_group_workers(g, path);
        // Targets in AZs that the load balancer does not enable get no traffic (AWS 3.1).
        for (const auto& tg : g.target_groups)
            for (const auto& l : spec.lb_listener) {
                const auto forwards = forwards_of(l);
                if (std::none_of(forwards.begin(), forwards.end(),
                                 [&](const ForwardTargetGroupSpec& f) { return f.arn == tg; }))
                    continue;
                for (const auto& lb : spec.load_balancer) {
                    if (lb.name != l.load_balancer) continue;
                    for (const auto& az : g.availability_zones)
                        if (!contains(lb.availability_zones, az))
                            warning(g.pos, path, "availability_zones",
                                    fmt::format("instances in `{}` get no traffic: load balancer "
                                                "`{}` is not enabled there",
                                                az, lb.name));
                }
            }
    }
}

// Scaling policies.
void Checker::check_policies() {
    policy_names =
        names(spec.autoscaling_policy, "autoscaling_policy",
              [](const AutoScalingPolicySpec& s) -> const std::string& { return s.name; });
    // An alarm may also invoke a step scaling policy of Application Auto Scaling (target
    // tracking policies have their own alarms).
    for (const auto& p : spec.appautoscaling_policy)
        if (p.policy_type == AppPolicyType::StepScaling) policy_names.push_back(p.name);
    for (const auto& p : spec.autoscaling_policy) {
        std::string path = fmt_path("autoscaling_policy", p.name, 0);
        check_ref(p.pos, path, "autoscaling_group", "autoscaling group", p.autoscaling_group,
                  asg_names);
        switch (p.policy_type) {
            case PolicyType::SimpleScaling:
                if (!p.scaling_adjustment)
                    error(p.pos, path, "", "a SimpleScaling policy needs `scaling_adjustment`");
                break;
            case PolicyType::StepScaling: {
                if (p.step_adjustment.empty()) {
                    error(p.pos, path, "", "a StepScaling policy needs `step_adjustment`");
                    break;
                }
                check_steps(p.pos, path, "step_adjustment", p.step_adjustment);
                break;
            }
            case PolicyType::TargetTrackingScaling:
                if (!p.target_tracking_configuration)
                    error(p.pos, path, "",
                          "a TargetTrackingScaling policy needs `target_tracking_configuration`");
                break;
        }
        if (p.policy_type != PolicyType::TargetTrackingScaling && p.target_tracking_configuration)
            error(p.pos, path, "target_tracking_configuration",
                  "only a TargetTrackingScaling policy takes target_tracking_configuration");
        if (p.policy_type != PolicyType::StepScaling && !p.step_adjustment.empty())
            error(p.pos, path, "step_adjustment",
                  "only a StepScaling policy takes step_adjustment");
    }
}

// Step intervals, relative to the threshold (a missing bound is infinite): no step without
// both bounds beside others, lower < upper, no overlap. EC2's and Application Auto Scaling's
// step policies alike; `at` is the key of the steps ("step_adjustment").
void Checker::check_steps(const KeyPositions& pos, const std::string& path, const std::string& at,
                          const std::vector<StepAdjustmentSpec>& steps) {
    std::vector<std::pair<double, double>> spans;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const auto& s = steps[i];
        double lo = s.metric_interval_lower_bound.value_or(-1e300);
        double hi = s.metric_interval_upper_bound.value_or(1e300);
        const std::string key = fmt::format("{}[{}]", at, i);
        const SourcePos where = at_nearest(pos, key);
        const std::string key_path = path + "." + key;
        if (!s.metric_interval_lower_bound && !s.metric_interval_upper_bound && steps.size() > 1)
            d.error(where, key_path, "a step without both bounds covers everything");
        if (lo >= hi) {
            d.error(where, key_path,
                    fmt::format("expected metric_interval_lower_bound < "
                                "metric_interval_upper_bound, found {} >= {}",
                                lo, hi));
            continue;
        }
        for (std::size_t j = 0; j < spans.size(); ++j)
            if (lo < spans[j].second && spans[j].first < hi)
                d.error(where, key_path,
                        fmt::format("overlaps {}[{}]; step intervals must not overlap", at, j));
        spans.emplace_back(lo, hi);
    }
}

// Alarms: the metrics stratus publishes, periods, actions, dimensions.
void Checker::check_alarms() {
    static const std::vector<std::pair<std::string, Names>> kMetrics = {
        {"AWS/EC2", {"CPUUtilization"}},
        {"AWS/ApplicationELB",
         {"RequestCount", "RequestCountPerTarget", "TargetResponseTime", "HealthyHostCount",
          "UnHealthyHostCount", "HTTPCode_ELB_5XX_Count", "HTTPCode_Target_2XX_Count",
          "HTTPCode_Target_4XX_Count", "HTTPCode_Target_5XX_Count"}},
        {"AWS/AutoScaling",
         {"GroupDesiredCapacity", "GroupInServiceInstances", "GroupPendingInstances"}},
        {"AWS/ECS", {"CPUUtilization", "MemoryUtilization"}},
        {"ECS/ContainerInsights", {"RunningTaskCount"}},
        {"AWS/ECS/ManagedScaling", {"CapacityProviderReservation"}}};
    Names ecs_clusters, ecs_services, capacity_providers;
    for (const auto& p : spec.ecs_capacity_provider)
        capacity_providers.push_back(p.name);
    for (const auto& c : spec.ecs_cluster)
        ecs_clusters.push_back(c.name);
    for (const auto& e : spec.ecs_service)
        ecs_services.push_back(e.name);
    alarm_names = names(
        spec.cloudwatch_metric_alarm, "cloudwatch_metric_alarm",
        [](const CloudWatchMetricAlarmSpec& s) -> const std::string& { return s.alarm_name; });
    for (auto& a : spec.cloudwatch_metric_alarm) {
        std::string path = fmt_path("cloudwatch_metric_alarm", a.alarm_name, 0);
        Names namespaces;
        const Names* metrics = nullptr;
        for (const auto& [ns, m] : kMetrics) {
            namespaces.push_back(ns);
            if (ns == a.namespace_) metrics = &m;
        }
        if (!metrics)
            check_ref(a.pos, path, "namespace", "namespace", a.namespace_, namespaces);
        else
            check_ref(a.pos, path, "metric_name", fmt::format("{} metric", a.namespace_),
                      a.metric_name, *metrics);
        if (a.statistic && a.extended_statistic)
            error(a.pos, path, "extended_statistic",
                  "give either `statistic` or `extended_statistic`, not both");
        if (!a.statistic && !a.extended_statistic) a.statistic = Statistic::Average;
        if (!(a.period == 10 || a.period == 30 || a.period % 60 == 0))
            error(a.pos, path, "period",
                  fmt::format("expected 10, 30 or a multiple of 60 seconds, found {}", a.period));
        if (static_cast<long long>(a.period) * a.evaluation_periods > 86400)
            error(a.pos, path, "evaluation_periods",
                  fmt::format("expected evaluation_periods x period <= 1 day (86400 s), found "
                              "{} x {} s",
                              a.evaluation_periods, a.period));
        if (a.datapoints_to_alarm > a.evaluation_periods)
            error(a.pos, path, "datapoints_to_alarm",
                  fmt::format("expected datapoints_to_alarm between 1 and evaluation_periods "
                              "({}), found {}",
                              a.evaluation_periods, a.datapoints_to_alarm));
        check_refs(a.pos, path, "alarm_actions", "scaling policy", a.alarm_actions, policy_names);
        check_refs(a.pos, path, "ok_actions", "scaling policy", a.ok_actions, policy_names);
        for (const auto& [dim, value] : a.dimensions) {
            if (dim == "AutoScalingGroupName")
                check_ref(a.pos, path, "dimensions", "autoscaling group", value, asg_names);
            else if (dim == "LoadBalancer")
                check_ref(a.pos, path, "dimensions", "load balancer", value, lb_names);
            else if (dim == "TargetGroup")
                check_ref(a.pos, path, "dimensions", "target group", value, tg_names);
            else if (dim == "ClusterName")
                check_ref(a.pos, path, "dimensions", "ECS cluster", value, ecs_clusters);
            else if (dim == "ServiceName")
                check_ref(a.pos, path, "dimensions", "ECS service", value, ecs_services);
            else if (dim == "CapacityProviderName")
                check_ref(a.pos, path, "dimensions", "ECS capacity provider", value,
                          capacity_providers);
        }
    }
}

// Scheduled actions.
void Checker::check_schedules() {
    for (const auto& s : spec.autoscaling_schedule) {
        std::string path = fmt_path("autoscaling_schedule", s.scheduled_action_name, 0);
        check_ref(s.pos, path, "autoscaling_group", "autoscaling group", s.autoscaling_group,
                  asg_names);
        if (!s.min_size && !s.max_size && !s.desired_capacity)
            error(s.pos, path, "",
                  "a scheduled action needs at least one of min_size, max_size, desired_capacity");
        if (s.min_size && s.max_size && *s.min_size > *s.max_size)
            error(s.pos, path, "min_size",
                  fmt::format("expected min_size <= max_size ({}), found {}", *s.max_size,
                              *s.min_size));
        if (s.desired_capacity && s.max_size && *s.desired_capacity > *s.max_size)
            error(s.pos, path, "desired_capacity",
                  fmt::format("expected desired_capacity <= max_size ({}), found {}", *s.max_size,
                              *s.desired_capacity));
        if (s.desired_capacity && s.min_size && *s.desired_capacity < *s.min_size)
            error(s.pos, path, "desired_capacity",
                  fmt::format("expected desired_capacity >= min_size ({}), found {}", *s.min_size,
                              *s.desired_capacity));
        if (!s.recurrence.empty()) {
            std::size_t fields = 0;
            bool in_field = false;
            for (char ch : s.recurrence) {
                bool space = ch == ' ' || ch == '\t';
                if (!space && !in_field) ++fields;
                in_field = !space;
            }
            if (fields != 5) {
                error(s.pos, path, "recurrence",
                      fmt::format("expected a cron expression of 5 fields such as \"0 9 * * "
                                  "1-5\", found \"{}\" ({} fields)",
                                  s.recurrence, fields));
            } else {
                try {
                    CronSchedule::parse(s.recurrence);
                } catch (const CronError& e) {
                    error(s.pos, path, "recurrence", e.what());
                }
            }
        } else if (!s.start_time) {
            error(s.pos, path, "", "a scheduled action needs `recurrence` or `start_time`");
        }
        if (!s.time_zone.empty()) {
            if (auto why = check_time_zone(s.time_zone)) error(s.pos, path, "time_zone", *why);
        }
        if (s.start_time && s.end_time && *s.end_time < *s.start_time)
            error(s.pos, path, "end_time", "expected end_time at or after start_time");
        if (s.start_time)
            check_inside_run(s.pos, path, "start_time", *s.start_time, "the scheduled action");
    }
}

// Databases.
void Checker::check_databases() {
    db_names = names(spec.db_instance, "db_instance",
                     [](const DbInstanceSpec& s) -> const std::string& { return s.identifier; });
    std::optional<PriceList> db_prices;  // the region's list, built once if needed
    for (auto& db : spec.db_instance) {
        std::string path = fmt_path("db_instance", db.identifier, 0);
        check_refs(db.pos, path, "subnets", "subnet", db.subnets, subnet_names);
        check_refs(db.pos, path, "security_groups", "security group", db.security_groups, sg_names);
        if (db.availability_zone.empty()) {
            Names from_subnets = subnets_azs(db.subnets);
            db.availability_zone = from_subnets.empty() ? azs().front() : from_subnets.front();
        } else {
            check_ref(db.pos, path, "availability_zone", "availability zone", db.availability_zone,
                      azs());
        }
        if (db.multi_az && azs().size() < 2)
            error(db.pos, path, "multi_az", "a Multi-AZ instance needs a region with 2 AZs");
        // The class must have a price in the region's list (the bill needs it; found by
        // fuzzing: db.m4.large loaded, then the run failed).
        if (is_known_region(spec.region.name)) {
            if (!db_prices) db_prices = PriceList::builtin(spec.region.name);
            const PriceList& prices = *db_prices;
            if (!prices.rds_hourly(db.instance_class)) {
                Names classes;
                for (const auto& r : prices.rds_instances)
                    classes.push_back(r.db_instance_class);
                check_ref(db.pos, path, "instance_class", "DB instance class", db.instance_class,
                          classes);
            }
        }
    }
}

// The memory Fargate accepts for a task's cpu (Linux), in MiB: the ECS Developer Guide's
// table of task sizes. Empty for a cpu Fargate does not offer.
struct FargateMemory {
    int cpu;
    int min, max, step;  // MiB
};
constexpr FargateMemory kFargateSizes[] = {
    {256, 512, 2048, 0},  // 512, 1024 or 2048 (the only size without a regular step)
    {512, 1024, 4096, 1024},   {1024, 2048, 8192, 1024},   {2048, 4096, 16384, 1024},
    {4096, 8192, 30720, 1024}, {8192, 16384, 61440, 4096}, {16384, 32768, 122880, 8192},
};

bool fargate_accepts(int cpu, int memory) {
    for (const FargateMemory& f : kFargateSizes) {
        if (f.cpu != cpu) continue;
        if (f.step == 0) return memory == 512 || memory == 1024 || memory == 2048;
        return memory >= f.min && memory <= f.max && (memory - f.min) % f.step == 0;
    }
    return false;
}

// "512, 1024 or 2048 MiB" / "from 2048 to 8192 MiB in steps of 1024".
std::string fargate_memory_text(int cpu) {
    for (const FargateMemory& f : kFargateSizes)
        if (f.cpu == cpu)
            return f.step == 0 ? "512, 1024 or 2048 MiB"
                               : fmt::format("{} to {} MiB in steps of {}", f.min, f.max, f.step);
    return "";
}

// Task definitions: Fargate's task sizes and network mode, the containers' names and ports.
// A VPC endpoint's type against its service (AWS offers gateway endpoints for S3 and DynamoDB
// only), and the keys that belong to the other type.
// An outbound rule's prefix lists name gateway endpoints: the AWS-managed prefix list of S3 or
// DynamoDB is the one a gateway endpoint routes to (an interface endpoint has none).
void Checker::check_prefix_lists(const SecurityGroupSpec& g, const std::string& path) {
    Names gateways;
    for (const auto& e : spec.vpc_endpoint)
        if (e.vpc_endpoint_type == EndpointType::Gateway) gateways.push_back(e.name);
    for (std::size_t i = 0; i < g.egress.size(); ++i)
        for (const auto& name : g.egress[i].prefix_lists) {
            const std::string key = fmt::format("egress[{}].prefix_list_ids", i);
            const auto e = std::find_if(spec.vpc_endpoint.begin(), spec.vpc_endpoint.end(),
                                        [&](const VpcEndpointSpec& v) { return v.name == name; });
            if (e != spec.vpc_endpoint.end() && e->vpc_endpoint_type == EndpointType::Interface)
                error(g.pos, path, key,
                      fmt::format("`{}` is an interface endpoint, which has no prefix list: name "
                                  "the gateway endpoint (s3 or dynamodb) whose prefix list the "
                                  "rule allows; known: {}",
                                  name, quoted_list(gateways)));
            else
                check_ref(g.pos, path, key, "gateway endpoint (prefix list)", name, gateways);
        }
}

void Checker::check_vpc_endpoint(const VpcEndpointSpec& e, const std::string& path) {
    const bool gateway_service =
        e.service_name == EndpointService::S3 || e.service_name == EndpointService::DynamoDB;
    if (e.vpc_endpoint_type == EndpointType::Gateway) {
        if (!gateway_service)
            error(e.pos, path,
                  e.pos.count("vpc_endpoint_type") ? "vpc_endpoint_type" : "service_name",
                  fmt::format("{} has no gateway endpoint: set vpc_endpoint_type = \"Interface\"",
                              name_of(kEndpointService, e.service_name)));
        for (const char* key : {"security_groups", "private_dns_enabled"})
            if (e.pos.count(key))
                error(e.pos, path, key,
                      fmt::format("`{}` belongs to an interface endpoint; this one is a gateway "
                                  "endpoint (vpc_endpoint_type = \"Gateway\")",
                                  key));
        return;
    }
    if (e.subnets.empty())
        error(e.pos, path, "subnets",
              "an interface endpoint needs at least one subnet (its network interfaces)");
    // One network interface per AZ: AWS refuses two subnets of the same AZ.
    for (std::size_t i = 0; i < e.subnets.size(); ++i)
        for (std::size_t j = 0; j < i; ++j) {
            const SubnetSpec* a = find_subnet(e.subnets[i]);
            const SubnetSpec* b = find_subnet(e.subnets[j]);
            if (a && b && a->availability_zone == b->availability_zone)
                error(e.pos, path, "subnets",
                      fmt::format("subnets {} and {} are both in {}: an interface endpoint has "
                                  "one network interface per Availability Zone",
                                  b->name, a->name, a->availability_zone));
        }
    if (!e.private_dns_enabled &&
        (e.service_name == EndpointService::EcrApi || e.service_name == EndpointService::EcrDkr))
        warning(e.pos, path, e.pos.count("private_dns_enabled") ? "private_dns_enabled" : "",
                fmt::format("private_dns_enabled is false: tasks and instances resolve {} to its "
                            "public address and pull through their route out, not through this "
                            "endpoint (which is billed all the same)",
                            e.service_name == EndpointService::EcrApi
                                ? "api.ecr.<region>.amazonaws.com"
                                : "<account>.dkr.ecr.<region>.amazonaws.com"));
    const bool ecs = e.service_name == EndpointService::Ecs ||
                     e.service_name == EndpointService::EcsAgent ||
                     e.service_name == EndpointService::EcsTelemetry;
    if (!e.private_dns_enabled && ecs)
        warning(e.pos, path, e.pos.count("private_dns_enabled") ? "private_dns_enabled" : "",
                fmt::format("private_dns_enabled is false: the ECS agent of container instances "
                            "resolves the {} service's name to its public address and calls it "
                            "through their route out, not through this endpoint (which is "
                            "billed all the same)",
                            name_of(kEndpointService, e.service_name)));
}

void Checker::check_ecs_task_definitions() {
    cluster_names = names(spec.ecs_cluster, "ecs_cluster",
                          [](const EcsClusterSpec& s) -> const std::string& { return s.name; });
    family_names =
        names(spec.ecs_task_definition, "ecs_task_definition",
              [](const EcsTaskDefinitionSpec& s) -> const std::string& { return s.family; });
    for (const auto& c : spec.ecs_cluster)
        for (std::size_t i = 0; i < c.settings.size(); ++i) {
            const auto& [name, value] = c.settings[i];
            const std::string at = fmt::format("setting[{}]", i);
            if (name != "containerInsights")
                error(c.pos, fmt_path("ecs_cluster", c.name, 0), at + ".name",
                      fmt::format("expected \"containerInsights\", found \"{}\"", name));
            else if (value != "enabled" && value != "enhanced" && value != "disabled")
                error(c.pos, fmt_path("ecs_cluster", c.name, 0), at + ".value",
                      fmt::format("expected \"enabled\", \"enhanced\" or \"disabled\", found "
                                  "\"{}\"",
                                  value));
        }
    for (const auto& td : spec.ecs_task_definition) {
        std::string path = fmt_path("ecs_task_definition", td.family, 0);
        check_task_memory(td, path);
        check_operating_system(td, path);
        if (td.image_size_mb && td.pos.count("image_pull_time"))
            error(td.pos, path, "image_pull_time",
                  "image_pull_time and image_size_mb both set: with image_size_mb the pull takes "
                  "image_size_mb / image_pull_throughput; set one of them");
        check_placement_constraints(td.pos, path, td.placement_constraints, true);
        const auto& compat = td.requires_compatibilities;
        if (std::find(compat.begin(), compat.end(), EcsLaunchType::Fargate) == compat.end())
            continue;
        if (td.cpu == 0 || td.memory == 0) {
            error(td.pos, path, td.cpu == 0 ? "cpu" : "memory",
                  fmt::format("Fargate requires the task's `{}` (requires_compatibilities lists "
                              "FARGATE)",
                              td.cpu == 0 ? "cpu" : "memory"));
            continue;
        }
        if (!fargate_text_ok(td, path)) continue;
        if (td.network_mode != NetworkMode::Awsvpc)
            error(td.pos, path, td.pos.count("network_mode") ? "network_mode" : "",
                  fmt::format("Fargate requires network_mode = \"awsvpc\", found \"{}\"",
                              name_of(kNetworkMode, td.network_mode)));
        for (const auto& c : td.containers)
            for (const auto& m : c.port_mappings)
                if (td.network_mode == NetworkMode::Awsvpc && m.host_port != 0 &&
                    m.host_port != m.container_port)
                    error(td.pos, path, "container_definitions",
                          fmt::format("container `{}`: in awsvpc mode hostPort must equal "
                                      "containerPort ({}), found {}",
                                      c.name, m.container_port, m.host_port));
    }
}

// The application's own memory fits in the task's (a Fargate task's container is stopped
// when it exceeds it; the model has no out-of-memory kill, so it refuses the file instead).
void Checker::check_task_memory(const EcsTaskDefinitionSpec& td, const std::string& path) {
    if (td.app_memory > td.memory)
        error(td.pos, path, "app_memory",
              fmt::format("expected app_memory <= the task's memory ({} MiB), found {}", td.memory,
                          td.app_memory));
}

// runtime_platform.operating_system_family: LINUX or a Windows Server family Fargate runs.
// Windows containers (the Amazon ECS Developer Guide, "Windows containers on AWS Fargate" and
// the task CPU and memory table): X86_64 only, 1, 2 or 4 vCPU, and on Fargate only in this
// model (EC2 container instances with a Windows AMI are not modelled).
void Checker::check_operating_system(const EcsTaskDefinitionSpec& td, const std::string& path) {
    const std::string& os = td.operating_system_family;
    if (os == "LINUX") return;
    const auto& families = kWindowsOperatingSystemFamilies;
    if (std::find(std::begin(families), std::end(families), os) == std::end(families)) {
        error(td.pos, path, "runtime_platform.operating_system_family",
              fmt::format("expected \"LINUX\", \"WINDOWS_SERVER_2019_FULL\", "
                          "\"WINDOWS_SERVER_2019_CORE\", \"WINDOWS_SERVER_2022_FULL\" or "
                          "\"WINDOWS_SERVER_2022_CORE\" (the families Fargate runs), found \"{}\"",
                          os));
        return;
    }
    const auto& compat = td.requires_compatibilities;
    if (std::find(compat.begin(), compat.end(), EcsLaunchType::Fargate) == compat.end()) {
        error(td.pos, path, "runtime_platform.operating_system_family",
              fmt::format("{}: Windows containers are modelled on Fargate only (add FARGATE to "
                          "requires_compatibilities; EC2 container instances with a Windows AMI "
                          "are not modelled)",
                          os));
        return;
    }
    if (td.cpu_architecture != CpuArchitecture::X86_64)
        error(td.pos, path, "runtime_platform.cpu_architecture",
              fmt::format("{} runs on X86_64 only: Fargate has no ARM64 Windows containers", os));
    if (td.cpu != 0 && td.cpu != 1024 && td.cpu != 2048 && td.cpu != 4096)
        error(td.pos, path, "cpu",
              fmt::format("Windows containers on Fargate take cpu = 1024, 2048 or 4096 (1, 2 or "
                          "4 vCPU; the smallest Windows task is 1 vCPU), found {}",
                          td.cpu));
}

// A service of Windows tasks: not on FARGATE_SPOT (Fargate Spot runs Linux tasks only) and not
// on EC2 container instances (not modelled; the task definition says so already when it
// lists no FARGATE).
void Checker::check_windows_service(const EcsServiceSpec& s, const EcsTaskDefinitionSpec* td,
                                    const std::string& path, bool ec2) {
    if (!td || !is_windows(*td) || ec2) return;
    for (const auto& item : strategy_of(spec, s))
        if (item.auto_scaling_group_provider.empty() &&
            item.capacity_provider == EcsCapacityProvider::FargateSpot) {
            error(s.pos, path,
                  s.capacity_provider_strategy.empty() ? "cluster" : "capacity_provider_strategy",
                  fmt::format("task definition `{}` runs Windows containers ({}): Fargate Spot "
                              "runs Linux tasks only; use FARGATE",
                              td->family, td->operating_system_family));
            return;
        }
}

// Fargate's task sizes: a cpu it offers, and a memory amount that cpu accepts.
bool Checker::fargate_text_ok(const EcsTaskDefinitionSpec& td, const std::string& path) {
    if (fargate_memory_text(td.cpu).empty()) {
        error(td.pos, path, "cpu",
              fmt::format("Fargate offers cpu = 256, 512, 1024, 2048, 4096, 8192 or 16384 CPU "
                          "units (1024 = 1 vCPU), found {}",
                          td.cpu));
        return false;
    }
    if (!fargate_accepts(td.cpu, td.memory)) {
        error(td.pos, path, "memory",
              fmt::format("Fargate does not run cpu = {} with memory = {}: with {} CPU units it "
                          "takes {}",
                          td.cpu, td.memory, td.cpu, fargate_memory_text(td.cpu)));
        return false;
    }
    return true;
}

// Services: their cluster, task definition, launch type, network and load balancers.
void Checker::check_ecs_services() {
    names(spec.ecs_service, "ecs_service",
          [](const EcsServiceSpec& s) -> const std::string& { return s.name; });
    for (const auto& s : spec.ecs_service) {
        std::string path = fmt_path("ecs_service", s.name, 0);
        check_ref(s.pos, path, "cluster", "ECS cluster", s.cluster, cluster_names);
        check_ref(s.pos, path, "task_definition", "task definition family", s.task_definition,
                  family_names);
        check_refs(s.pos, path, "network_configuration.subnets", "subnet", s.subnets, subnet_names);
        check_refs(s.pos, path, "network_configuration.security_groups", "security group",
                   s.security_groups, sg_names);
        const EcsTaskDefinitionSpec* td = nullptr;
        for (const auto& t : spec.ecs_task_definition)
            if (t.family == s.task_definition) td = &t;
        check_capacity_provider_strategy(s, path);
        check_daemon_service(s, path);
        const bool ec2 = runs_on_ec2(spec, s);
        const bool fargate =
            !ec2 && (s.launch_type == EcsLaunchType::Fargate || !strategy_of(spec, s).empty());
        check_placement_strategy(s, path, ec2);
        check_service_constraints(s, td, path, fargate);
        if (ec2) check_ec2_service(s, td, path);
        check_windows_service(s, td, path, ec2);
        if (td && fargate) {
            const auto& compat = td->requires_compatibilities;
            if (std::find(compat.begin(), compat.end(), EcsLaunchType::Fargate) == compat.end())
                error(s.pos, path,
                      s.capacity_provider_strategy.empty() ? "launch_type"
                                                           : "capacity_provider_strategy",
                      fmt::format("task definition `{}` does not list FARGATE in "
                                  "requires_compatibilities: ECS refuses to run it on Fargate",
                                  td->family));
        }
        if (td && td->network_mode == NetworkMode::Awsvpc && !s.network_configuration)
            error(s.pos, path, "",
                  fmt::format("task definition `{}` uses network_mode = \"awsvpc\": the service "
                              "needs network_configuration = {{ subnets = [...] }}",
                              td->family));
        if (s.network_configuration && s.subnets.empty())
            error(s.pos, path, "network_configuration.subnets",
                  "expected at least one subnet for the tasks");
        check_ecs_load_balancers(s, td, path);
    }
}

// A DAEMON service, as CreateService checks it (its messages): the EC2 launch type only, no
// capacity provider strategy (the cluster's default neither: launch_type = "EC2" is needed
// then), no placement strategy, a maximum percent of at most 100; the model also refuses a
// desired_count, which the daemon scheduler sets itself.
void Checker::check_daemon_service(const EcsServiceSpec& s, const std::string& path) {
    if (s.scheduling_strategy != EcsSchedulingStrategy::Daemon) return;
    if (s.pos.count("launch_type") && s.launch_type != EcsLaunchType::EC2)
        error(s.pos, path, "launch_type",
              fmt::format("launch_type \"{}\" does not support the DAEMON scheduling strategy "
                          "(ECS runs daemon tasks on container instances: use \"EC2\")",
                          name_of(kEcsLaunchType, s.launch_type)));
    if (!s.capacity_provider_strategy.empty())
        error(s.pos, path, "capacity_provider_strategy",
              "Specifying a capacity provider strategy is not supported when you create a "
              "service using the DAEMON scheduling strategy (ECS's error): use launch_type = "
              "\"EC2\"");
    else if (!strategy_of(spec, s).empty())
        error(s.pos, path, "scheduling_strategy",
              fmt::format("cluster `{}` has a default_capacity_provider_strategy, which ECS "
                          "refuses for a DAEMON service: give launch_type = \"EC2\"",
                          shortened(s.cluster)));
    if (!s.ordered_placement_strategy.empty())
        error(s.pos, path, "ordered_placement_strategy",
              "The daemon scheduling strategy does not support placement strategies (ECS's "
              "error): remove ordered_placement_strategy");
    if (s.deployment_maximum_percent > 100)
        error(s.pos, path, "deployment_maximum_percent",
              fmt::format("The daemon scheduling strategy does not support values above 100 for "
                          "maximumPercent (ECS's error), found {}",
                          s.deployment_maximum_percent));
    if (s.pos.count("desired_count") && s.desired_count != 0)
        error(s.pos, path, "desired_count",
              fmt::format("a DAEMON service runs one task on each container instance: it takes "
                          "no desired_count, found {}",
                          s.desired_count));
}

// A capacity provider strategy, as CreateService checks it: no launch_type beside it, each
// provider once, a base on one provider at most, and some provider with a weight.
void Checker::check_capacity_provider_strategy(const EcsServiceSpec& s, const std::string& path) {
    const auto& strategy = s.capacity_provider_strategy;
    if (strategy.empty()) return;
    if (s.pos.count("launch_type"))
        error(s.pos, path, "launch_type",
              "give either launch_type or capacity_provider_strategy, not both (ECS refuses "
              "a service with both)");
    int with_base = 0, with_weight = 0;
    for (std::size_t i = 0; i < strategy.size(); ++i) {
        const std::string at = fmt::format("capacity_provider_strategy[{}]", i);
        with_base += strategy[i].base > 0 ? 1 : 0;
        with_weight += strategy[i].weight > 0 ? 1 : 0;
        const auto name = [](const EcsCapacityProviderStrategySpec& c) -> std::string {
            return c.auto_scaling_group_provider.empty()
                       ? name_of(kEcsCapacityProvider, c.capacity_provider)
                       : c.auto_scaling_group_provider;
        };
        Names known = capacity_provider_names;
        known.push_back("FARGATE");
        known.push_back("FARGATE_SPOT");
        if (!contains(known, name(strategy[i]))) {
            check_ref(s.pos, path, at + ".capacity_provider", "capacity provider",
                      name(strategy[i]), known);
            continue;
        }
        for (std::size_t j = 0; j < i; ++j)
            if (name(strategy[j]) == name(strategy[i]))
                error(s.pos, path, at + ".capacity_provider",
                      fmt::format("{} is listed twice in the strategy",
                                  shortened(name(strategy[i]))));
        if (strategy[i].auto_scaling_group_provider.empty() !=
            strategy.front().auto_scaling_group_provider.empty())
            error(s.pos, path, at + ".capacity_provider",
                  "a strategy holds either Fargate capacity providers or Auto Scaling group "
                  "capacity providers, not both (ECS refuses the mix)");
        if (strategy[i].base > 0 && with_base > 1)
            error(s.pos, path, at + ".base",
                  "only one capacity provider of a strategy may have a base");
    }
    if (with_weight == 0)
        error(s.pos, path, "capacity_provider_strategy",
              "expected a capacity provider with weight > 0: ECS places no task on a provider "
              "of weight 0");
}

// Auto Scaling group capacity providers: their group, each group in one provider, and what
// managed termination protection needs (CreateCapacityProvider's checks).
void Checker::check_ecs_capacity_providers() {
    capacity_provider_names =
        names(spec.ecs_capacity_provider, "ecs_capacity_provider",
              [](const EcsCapacityProviderSpec& s) -> const std::string& { return s.name; });
    for (std::size_t i = 0; i < spec.ecs_capacity_provider.size(); ++i) {
        const auto& p = spec.ecs_capacity_provider[i];
        const std::string path = fmt_path("ecs_capacity_provider", p.name, 0);
        const std::string key = "auto_scaling_group_provider.auto_scaling_group_arn";
        if (p.name == "FARGATE" || p.name == "FARGATE_SPOT")
            error(
                p.pos, path, "name",
                fmt::format("{} is the name of a Fargate capacity provider ECS reserves", p.name));
        check_ref(p.pos, path, key, "Auto Scaling group", p.auto_scaling_group, asg_names);
        for (std::size_t j = 0; j < i; ++j)
            if (spec.ecs_capacity_provider[j].auto_scaling_group == p.auto_scaling_group)
                error(p.pos, path, key,
                      fmt::format("group `{}` is already the group of capacity provider `{}`: a "
                                  "group belongs to one capacity provider",
                                  shortened(p.auto_scaling_group),
                                  spec.ecs_capacity_provider[j].name));
        if (p.managed_termination_protection != ManagedTerminationProtection::Enabled) continue;
        const std::string mtp = "auto_scaling_group_provider.managed_termination_protection";
        if (p.managed_scaling.status != ManagedScalingStatus::Enabled)
            error(p.pos, path, mtp,
                  "managed termination protection needs managed_scaling { status = \"ENABLED\" "
                  "} (ECS refuses it without managed scaling)");
        for (const auto& g : spec.autoscaling_group)
            if (g.name == p.auto_scaling_group && !g.protect_from_scale_in)
                error(p.pos, path, mtp,
                      fmt::format("managed termination protection needs the group's instances "
                                  "protected from scale-in: set protect_from_scale_in = true on "
                                  "[[autoscaling_group]] `{}`",
                                  g.name));
    }
}

// A cluster's providers: FARGATE, FARGATE_SPOT or an [[ecs_capacity_provider]], a group's
// provider in one cluster only, and a default strategy among them.
void Checker::check_cluster_capacity_providers() {
    names(spec.ecs_cluster_capacity_providers, "ecs_cluster_capacity_providers",
          [](const EcsClusterCapacityProvidersSpec& s) -> const std::string& {
              return s.cluster_name;
          });
    Names taken;
    for (const auto& c : spec.ecs_cluster_capacity_providers) {
        const std::string path = fmt_path("ecs_cluster_capacity_providers", c.cluster_name, 0);
        check_ref(c.pos, path, "cluster_name", "ECS cluster", c.cluster_name, cluster_names);
        for (const auto& name : c.capacity_providers) {
            if (name == "FARGATE" || name == "FARGATE_SPOT") continue;
            check_ref(c.pos, path, "capacity_providers", "capacity provider", name,
                      capacity_provider_names);
            if (contains(taken, name))
                error(c.pos, path, "capacity_providers",
                      fmt::format("capacity provider `{}` is already associated with another "
                                  "cluster: an Auto Scaling group capacity provider belongs to "
                                  "one cluster",
                                  shortened(name)));
            taken.push_back(name);
        }
        const auto& strategy = c.default_capacity_provider_strategy;
        for (std::size_t i = 0; i < strategy.size(); ++i) {
            const std::string name =
                strategy[i].auto_scaling_group_provider.empty()
                    ? name_of(kEcsCapacityProvider, strategy[i].capacity_provider)
                    : strategy[i].auto_scaling_group_provider;
            if (!contains(c.capacity_providers, name))
                error(c.pos, path,
                      fmt::format("default_capacity_provider_strategy[{}].capacity_provider", i),
                      fmt::format("`{}` is not one of the cluster's capacity_providers",
                                  shortened(name)));
        }
    }
}

// The EC2 launch type: ECS refuses a task definition that is not EC2-compatible or that
// reserves no memory, a strategy provider not associated with the cluster, and network modes
// whose targets the target group cannot hold.
void Checker::check_ec2_service(const EcsServiceSpec& s, const EcsTaskDefinitionSpec* td,
                                const std::string& path) {
    const auto strategy = strategy_of(spec, s);
    const std::string key = s.capacity_provider_strategy.empty()
                                ? (s.pos.count("launch_type") ? "launch_type" : "")
                                : "capacity_provider_strategy";
    const EcsClusterCapacityProvidersSpec* cluster = nullptr;
    for (const auto& c : spec.ecs_cluster_capacity_providers)
        if (c.cluster_name == s.cluster) cluster = &c;
    for (const auto& item : strategy)
        if (contains(capacity_provider_names, item.auto_scaling_group_provider) &&
            (!cluster || !contains(cluster->capacity_providers, item.auto_scaling_group_provider)))
            error(s.pos, path, key,
                  fmt::format("capacity provider `{}` is not associated with cluster `{}` (add it "
                              "to the cluster's [[ecs_cluster_capacity_providers]])",
                              shortened(item.auto_scaling_group_provider), shortened(s.cluster)));
    if (!td) return;
    const auto& compat = td->requires_compatibilities;
    if (!compat.empty() &&
        std::find(compat.begin(), compat.end(), EcsLaunchType::EC2) == compat.end())
        error(s.pos, path, key,
              fmt::format("task definition `{}` does not list EC2 in requires_compatibilities: "
                          "ECS refuses to run it on container instances",
                          td->family));
    bool memory = td->memory > 0;
    for (const auto& c : td->containers)
        memory = memory || c.memory > 0 || c.memory_reservation > 0;
    if (!memory)
        error(td->pos, fmt_path("ecs_task_definition", td->family, 0), "memory",
              "on EC2 a task reserves memory: give the task's memory, or memory or "
              "memoryReservation on its containers");
    for (std::size_t i = 0; i < s.load_balancer.size(); ++i)
        for (const auto& tg : spec.target_group)
            if (tg.name == s.load_balancer[i].target_group &&
                (td->network_mode == NetworkMode::Bridge ||
                 td->network_mode == NetworkMode::Host) &&
                tg.target_type != TargetType::Instance)
                error(s.pos, path, fmt::format("load_balancer[{}].target_group_arn", i),
                      fmt::format("target group `{}` has target_type = \"{}\": tasks of "
                                  "network_mode = \"{}\" are registered as instance:port; use "
                                  "target_type = \"instance\"",
                                  tg.name, name_of(kTargetType, tg.target_type),
                                  name_of(kNetworkMode, td->network_mode)));
}

// ordered_placement_strategy: EC2 only, at most 5 blocks, each type with the fields it takes.
void Checker::check_placement_strategy(const EcsServiceSpec& s, const std::string& path, bool ec2) {
    const auto& list = s.ordered_placement_strategy;
    if (list.empty()) return;
    if (!ec2)
        error(s.pos, path, "ordered_placement_strategy",
              "placement strategies apply to the EC2 launch type; Fargate places tasks itself");
    if (list.size() > 5)
        error(s.pos, path, "ordered_placement_strategy",
              fmt::format("expected at most 5 placement strategies, found {}", list.size()));
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& p = list[i];
        const std::string at = fmt::format("ordered_placement_strategy[{}].field", i);
        if (p.type == PlacementStrategyType::Spread &&
            p.field != "attribute:ecs.availability-zone" && p.field != "instanceId" &&
            p.field != "host")
            error(s.pos, path, at,
                  fmt::format("spread takes attribute:ecs.availability-zone, instanceId or host, "
                              "found \"{}\"",
                              shortened(p.field)));
        if (p.type == PlacementStrategyType::Binpack && p.field != "cpu" && p.field != "memory")
            error(s.pos, path, at,
                  fmt::format("binpack takes cpu or memory, found \"{}\"", shortened(p.field)));
        if (p.type == PlacementStrategyType::Random && !p.field.empty())
            error(s.pos, path, at, "random takes no field");
    }
}

// placement_constraints (the ECS API Reference, PlacementConstraint): distinctInstance takes no
// expression and only a service has it; memberOf takes an expression of at most 2000
// characters in the cluster query language.
void Checker::check_placement_constraints(const KeyPositions& pos, const std::string& path,
                                          const std::vector<EcsPlacementConstraintSpec>& list,
                                          bool task_definition) {
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& c = list[i];
        const std::string at = fmt::format("placement_constraints[{}].expression", i);
        if (c.type == PlacementConstraintType::DistinctInstance) {
            if (task_definition)
                error(pos, path, fmt::format("placement_constraints[{}].type", i),
                      "distinctInstance is not supported in a task definition (ECS's "
                      "RegisterTaskDefinition refuses it): put it on the service");
            if (!c.expression.empty())
                error(pos, path, at,
                      "You can't specify an expression if the constraint type is "
                      "distinctInstance (the ECS API Reference)");
            continue;
        }
        if (c.expression.empty()) {
            error(pos, path, at,
                  "memberOf needs an expression, e.g. attribute:ecs.instance-type "
                  "=~ t3.*");
            continue;
        }
        if (c.expression.size() > 2000) {
            error(pos, path, at,
                  fmt::format("an expression has at most 2000 characters, found {}",
                              c.expression.size()));
            continue;
        }
        try {
            ClusterQuery::parse(c.expression);
        } catch (const ClusterQueryError& e) {
            error(pos, path, at, fmt::format("\"{}\": {}", shortened(c.expression), e.what()));
        }
    }
}

// A service's constraints with its task definition's: at most 10 (the limit includes both),
// and none on Fargate.
void Checker::check_service_constraints(const EcsServiceSpec& s, const EcsTaskDefinitionSpec* td,
                                        const std::string& path, bool fargate) {
    check_placement_constraints(s.pos, path, s.placement_constraints, false);
    const std::size_t n =
        s.placement_constraints.size() + (td ? td->placement_constraints.size() : 0);
    if (n > 10)
        error(s.pos, path, "placement_constraints",
              fmt::format("a task takes at most 10 placement constraints, its service's and its "
                          "task definition's together; found {}",
                          n));
    if (fargate && n > 0)
        error(s.pos, path,
              s.placement_constraints.empty() ? "task_definition" : "placement_constraints",
              fmt::format("task placement constraints aren't supported on Fargate (the ECS API "
                          "Reference, PlacementConstraint){}: remove them or use the EC2 launch "
                          "type",
                          s.placement_constraints.empty()
                              ? fmt::format(" (task definition `{}` has some)",
                                            shortened(s.task_definition))
                              : ""));
}

// Application Auto Scaling: a target names an ECS service as service/<cluster>/<service>; a
// policy names its target by resource_id, with the target's namespace and dimension.
void Checker::check_appautoscaling() {
    const Names targets = names(
        spec.appautoscaling_target, "appautoscaling_target",
        [](const AppAutoscalingTargetSpec& s) -> const std::string& { return s.resource_id; });
    for (auto& t : spec.appautoscaling_target) {
        const std::string path = fmt_path("appautoscaling_target", t.resource_id, 0);
        if (t.service_namespace != "ecs")
            error(t.pos, path, "service_namespace",
                  fmt::format("only \"ecs\" is modelled, found \"{}\"", t.service_namespace));
        if (t.scalable_dimension != "ecs:service:DesiredCount")
            error(t.pos, path, "scalable_dimension",
                  fmt::format("expected \"ecs:service:DesiredCount\", found \"{}\"",
                              t.scalable_dimension));
        if (t.min_capacity > t.max_capacity)
            error(t.pos, path, "min_capacity",
                  fmt::format("expected min_capacity <= max_capacity ({}), found {}",
                              t.max_capacity, t.min_capacity));
        const auto first = t.resource_id.find('/');
        const auto second = t.resource_id.find('/', first == std::string::npos ? 0 : first + 1);
        if (t.resource_id.rfind("service/", 0) != 0 || second == std::string::npos ||
            t.resource_id.find('/', second + 1) != std::string::npos) {
            error(t.pos, path, "resource_id",
                  fmt::format("expected \"service/<cluster>/<service>\", found \"{}\"",
                              shortened(t.resource_id)));
            continue;
        }
        t.cluster = t.resource_id.substr(first + 1, second - first - 1);
        t.service = t.resource_id.substr(second + 1);
        const auto svc = std::find_if(spec.ecs_service.begin(), spec.ecs_service.end(),
                                      [&](const EcsServiceSpec& e) { return e.name == t.service; });
        Names services;
        for (const auto& e : spec.ecs_service)
            services.push_back(e.name);
        check_ref(t.pos, path, "resource_id", "ECS service", t.service, services);
        if (svc != spec.ecs_service.end() && svc->cluster != t.cluster)
            error(t.pos, path, "resource_id",
                  fmt::format("ECS service `{}` runs in cluster `{}`, not `{}`", t.service,
                              svc->cluster, shortened(t.cluster)));
        if (svc != spec.ecs_service.end() &&
            svc->scheduling_strategy == EcsSchedulingStrategy::Daemon)
            error(t.pos, path, "resource_id",
                  fmt::format("ECS service `{}` uses the DAEMON scheduling strategy: it has no "
                              "desired count for Service Auto Scaling to scale",
                              t.service));
    }
    names(spec.appautoscaling_policy, "appautoscaling_policy",
          [](const AppAutoscalingPolicySpec& s) -> const std::string& { return s.name; });
    for (const auto& p : spec.appautoscaling_policy)
        check_app_policy(p, targets);
    check_app_scheduled_actions(targets);
}

// Scheduled actions: a target named by resource_id with its namespace and dimension, a
// schedule Application Auto Scaling accepts, a known time zone, bounds to set.
void Checker::check_app_scheduled_actions(const Names& targets) {
    names(spec.appautoscaling_scheduled_action, "appautoscaling_scheduled_action",
          [](const AppAutoscalingScheduledActionSpec& s) -> const std::string& { return s.name; });
    for (const auto& a : spec.appautoscaling_scheduled_action) {
        const std::string path = fmt_path("appautoscaling_scheduled_action", a.name, 0);
        check_ref(a.pos, path, "resource_id", "scalable target (appautoscaling_target resource_id)",
                  a.resource_id, targets);
        for (const auto& t : spec.appautoscaling_target) {
            if (t.resource_id != a.resource_id) continue;
            if (a.service_namespace != t.service_namespace)
                error(a.pos, path, "service_namespace",
                      fmt::format("expected its target's \"{}\", found \"{}\"", t.service_namespace,
                                  a.service_namespace));
            if (a.scalable_dimension != t.scalable_dimension)
                error(a.pos, path, "scalable_dimension",
                      fmt::format("expected its target's \"{}\", found \"{}\"",
                                  t.scalable_dimension, a.scalable_dimension));
        }
        try {
            parse_app_schedule(a.schedule);
        } catch (const CronError& e) {
            error(a.pos, path, "schedule", e.what());
        }
        if (auto why = check_time_zone(a.timezone)) error(a.pos, path, "timezone", *why);
        if (!a.min_capacity && !a.max_capacity)
            error(a.pos, path, "scalable_target_action",
                  "expected min_capacity or max_capacity (or both)");
        if (a.min_capacity && a.max_capacity && *a.min_capacity > *a.max_capacity)
            error(a.pos, path, "scalable_target_action.min_capacity",
                  fmt::format("expected min_capacity <= max_capacity ({}), found {}",
                              *a.max_capacity, *a.min_capacity));
        if (a.start_time && a.end_time && *a.end_time < *a.start_time)
            error(a.pos, path, "end_time", "expected end_time after start_time");
    }
}

void Checker::check_app_policy(const AppAutoscalingPolicySpec& p, const Names& targets) {
    const std::string path = fmt_path("appautoscaling_policy", p.name, 0);
    check_ref(p.pos, path, "resource_id", "scalable target (appautoscaling_target resource_id)",
              p.resource_id, targets);
    for (const auto& t : spec.appautoscaling_target) {
        if (t.resource_id != p.resource_id) continue;
        if (p.service_namespace != t.service_namespace)
            error(p.pos, path, "service_namespace",
                  fmt::format("expected its target's \"{}\", found \"{}\"", t.service_namespace,
                              p.service_namespace));
        if (p.scalable_dimension != t.scalable_dimension)
            error(p.pos, path, "scalable_dimension",
                  fmt::format("expected its target's \"{}\", found \"{}\"", t.scalable_dimension,
                              p.scalable_dimension));
        const auto svc = std::find_if(spec.ecs_service.begin(), spec.ecs_service.end(),
                                      [&](const EcsServiceSpec& e) { return e.name == t.service; });
        if (p.target_tracking && svc != spec.ecs_service.end() && svc->load_balancer.empty() &&
            p.target_tracking->predefined_metric_type ==
                AppPredefinedMetricType::ALBRequestCountPerTarget)
            error(p.pos, path,
                  "target_tracking_scaling_policy_configuration.predefined_metric_specification",
                  fmt::format("ALBRequestCountPerTarget needs a service with a load_balancer "
                              "block; ECS service `{}` has none",
                              t.service));
    }
    if (p.policy_type == AppPolicyType::TargetTrackingScaling && !p.target_tracking)
        error(
            p.pos, path, "",
            "a TargetTrackingScaling policy needs `target_tracking_scaling_policy_configuration`");
    if (p.policy_type != AppPolicyType::TargetTrackingScaling && p.target_tracking)
        error(p.pos, path, "target_tracking_scaling_policy_configuration",
              "only a TargetTrackingScaling policy takes "
              "target_tracking_scaling_policy_configuration");
    if (p.policy_type == AppPolicyType::StepScaling && !p.step_scaling)
        error(p.pos, path, "",
              "a StepScaling policy needs `step_scaling_policy_configuration` (and a "
              "[[cloudwatch_metric_alarm]] naming it in alarm_actions)");
    if (p.policy_type != AppPolicyType::StepScaling && p.step_scaling)
        error(p.pos, path, "step_scaling_policy_configuration",
              "only a StepScaling policy takes step_scaling_policy_configuration");
    if (p.step_scaling) {
        const std::string at = "step_scaling_policy_configuration.step_adjustment";
        if (p.step_scaling->step_adjustment.empty())
            error(p.pos, path, at, "expected at least one step");
        check_steps(p.pos, path, at, p.step_scaling->step_adjustment);
    }
}

// A service's load_balancer blocks: the target group exists and takes IP targets when the
// tasks have their own interfaces; the container and port are the task definition's (a
// listener forwarding to port 80 of a container listening on 8080 is refused here, as
// CreateService refuses it).
void Checker::check_ecs_load_balancers(const EcsServiceSpec& s, const EcsTaskDefinitionSpec* td,
                                       const std::string& path) {
    for (std::size_t i = 0; i < s.load_balancer.size(); ++i) {
        const auto& lb = s.load_balancer[i];
        const std::string at = fmt::format("load_balancer[{}]", i);
        check_ref(s.pos, path, at + ".target_group_arn", "target group", lb.target_group, tg_names);
        for (const auto& tg : spec.target_group)
            if (tg.name == lb.target_group && td && td->network_mode == NetworkMode::Awsvpc &&
                tg.target_type != TargetType::Ip)
                error(s.pos, path, at + ".target_group_arn",
                      fmt::format("target group `{}` has target_type = \"{}\", which cannot hold "
                                  "tasks of network_mode = \"awsvpc\"; use target_type = \"ip\"",
                                  tg.name, name_of(kTargetType, tg.target_type)));
        if (!td) continue;
        const ContainerDefinitionSpec* container = nullptr;
        Names container_names;
        for (const auto& c : td->containers) {
            container_names.push_back(c.name);
            if (c.name == lb.container_name) container = &c;
        }
        if (!container) {
            std::string hint = d.full() ? "" : did_you_mean(lb.container_name, container_names);
            error(s.pos, path, at + ".container_name",
                  fmt::format("task definition `{}` has no container `{}`; its containers: {}{}",
                              td->family, shortened(lb.container_name),
                              quoted_list(container_names), hint.empty() ? "" : "; " + hint));
            continue;
        }
        std::vector<std::string> ports;
        bool mapped = false;
        for (const auto& m : container->port_mappings) {
            ports.push_back(std::to_string(m.container_port));
            mapped = mapped || m.container_port == lb.container_port;
        }
        if (!mapped)
            error(s.pos, path, at + ".container_port",
                  fmt::format("container `{}` of task definition `{}` maps no port {} (its "
                              "containerPort: {}); the load balancer would send its traffic "
                              "to a port nothing listens on",
                              container->name, td->family, lb.container_port,
                              ports.empty() ? "none" : fmt::format("{}", fmt::join(ports, ", "))));
    }
}

// A workload's load balancer whose listeners forward only to target groups that no Auto
// Scaling group or ECS service registers targets in: every request gets a 503. Legal (a lab
// may add the group by --set), so a warning naming the groups.
void Checker::check_served(const WorkloadSpec& w, const std::string& path) {
    std::vector<std::string> forwarded;
    for (const auto& l : spec.lb_listener)
        if (l.load_balancer == w.load_balancer)
            for (const auto& f : forwards_of(l))
                if (!contains(forwarded, f.arn)) forwarded.push_back(f.arn);
    const auto served = [&](const std::string& tg) {
        for (const auto& g : spec.autoscaling_group)
            if (contains(g.target_groups, tg)) return true;
        for (const auto& s : spec.ecs_service)
            for (const auto& lb : s.load_balancer)
                if (lb.target_group == tg) return true;
        return false;
    };
    if (forwarded.empty() || std::any_of(forwarded.begin(), forwarded.end(), served)) return;
    warning(w.pos, path, "load_balancer",
            fmt::format("no Auto Scaling group or ECS service registers targets in the target "
                        "group{} that load balancer `{}` forwards to ({}): every request will get "
                        "a 503",
                        forwarded.size() == 1 ? "" : "s", w.load_balancer, quoted_list(forwarded)));
}

// A workload's listener_port names a listener of its load balancer.
void Checker::check_listener_port(const WorkloadSpec& w, const std::string& path) {
    std::vector<std::string> ports;
    for (const auto& l : spec.lb_listener)
        if (l.load_balancer == w.load_balancer) {
            if (l.port == w.listener_port) return;
            ports.push_back(std::to_string(l.port));
        }
    error(w.pos, path, "listener_port",
          fmt::format("load balancer `{}` has no listener on port {}; its listeners: {}",
                      w.load_balancer, w.listener_port, fmt::join(ports, ", ")));
}

// Workloads.
void Checker::check_workloads() {
    workload_names = names(spec.workload, "workload",
                           [](const WorkloadSpec& s) -> const std::string& { return s.name; });
    for (const auto& w : spec.workload) {
        std::string path = fmt_path("workload", w.name, 0);
        check_ref(w.pos, path, "load_balancer", "load balancer", w.load_balancer, lb_names);
        bool has_listener = std::any_of(
            spec.lb_listener.begin(), spec.lb_listener.end(),
            [&](const LbListenerSpec& l) { return l.load_balancer == w.load_balancer; });
        if (contains(lb_names, w.load_balancer) && !has_listener)
            warning(w.pos, path, "load_balancer",
                    fmt::format("load balancer `{}` has no [[lb_listener]]: every request will "
                                "fail",
                                w.load_balancer));
        else if (contains(lb_names, w.load_balancer))
            check_served(w, path);
        if (w.listener_port != 0 && has_listener) check_listener_port(w, path);
        if (!w.database.empty())
            check_ref(w.pos, path, "database", "db_instance", w.database, db_names);
        for (std::size_t i = 0; i < w.spike.size(); ++i)
            check_inside_run(w.pos, path, fmt::format("spike[{}].at", i), w.spike[i].at,
                             "the spike");
        if (w.rate.shape == RateShape::Steps && !w.rate.steps.empty() &&
            w.rate.steps.front().first > 0)
            warning(w.pos, path, "rate.steps",
                    fmt::format("the first step starts at {}: the rate is 0 before it",
                                format_duration(w.rate.steps.front().first)));
    }
}

// Faults.
void Checker::check_faults() {
    for (std::size_t i = 0; i < spec.fault.size(); ++i) {
        auto& f = spec.fault[i];
        std::string path = fmt::format("fault[{}]", i);
        switch (f.type) {
            case FaultType::AzOutage:
                check_ref(f.pos, path, "target", "availability zone", f.target, azs());
                break;
            case FaultType::InstanceFailure:
                check_ref(f.pos, path, "target", "autoscaling group", f.target, asg_names);
                break;
            case FaultType::SpotInterruption: {
                // A group's Spot Instances, or an ECS service's FARGATE_SPOT tasks.
                Names both = asg_names;
                for (const auto& s : spec.ecs_service)
                    both.push_back(s.name);
                check_ref(f.pos, path, "target", "autoscaling group or ECS service", f.target,
                          both);
                const bool ecs =
                    std::find(asg_names.begin(), asg_names.end(), f.target) == asg_names.end() &&
                    std::find(both.begin(), both.end(), f.target) != both.end();
                if (ecs && f.duration && *f.duration != 2 * kMinute)
                    error(f.pos, path, "duration",
                          "Fargate Spot's warning is always two minutes: leave `duration` out "
                          "for an ECS service");
                break;
            }
            case FaultType::DbFailover:
                check_ref(f.pos, path, "target", "db_instance", f.target, db_names);
                break;
            case FaultType::Latency: {
                Names both = azs();
                both.insert(both.end(), asg_names.begin(), asg_names.end());
                check_ref(f.pos, path, "target", "availability zone or autoscaling group", f.target,
                          both);
                if (!f.extra) error(f.pos, path, "", "a latency fault needs `extra`");
                break;
            }
        }
        bool lasting = f.type == FaultType::AzOutage || f.type == FaultType::Latency;
        if (f.at && (f.mtbf || f.mttr))
            error(f.pos, path, "at", "give either `at` or `mtbf` + `mttr`, not both");
        else if (!f.at && !(f.mtbf && f.mttr))
            error(f.pos, path,
                  f.mtbf   ? "mtbf"
                  : f.mttr ? "mttr"
                           : "",
                  "a fault needs either `at` (a time) or both `mtbf` and `mttr` (distributions)");
        // A time between failures near zero fails over and over at one instant (the run
        // never ends); a second is already absurd, but finite.
        if (f.mtbf && mean_duration(*f.mtbf) < kSecond)
            error(f.pos, path, "mtbf",
                  fmt::format("expected a mean time between failures of at least 1s, found {}",
                              format_duration(mean_duration(*f.mtbf))));
        if (f.at && lasting && !f.duration)
            error(f.pos, path, "",
                  fmt::format("a {} fault at a fixed time needs `duration`",
                              name_of(kFaultType, f.type)));
        // A Spot interruption wave's duration is AWS FIS's durationBeforeInterruption: 2 to
        // 15 minutes from the wave to the interruption.
        if (f.duration && f.type == FaultType::SpotInterruption &&
            (*f.duration < 2 * kMinute || *f.duration > 15 * kMinute))
            error(f.pos, path, "duration",
                  fmt::format("a spot_interruption's duration is the time before the "
                              "interruption, 2m to 15m (found {})",
                              format_duration(*f.duration)));
        else if (f.duration && !lasting && f.type != FaultType::SpotInterruption)
            error(f.pos, path, "duration",
                  fmt::format("a {} fault happens at an instant; `duration` applies to az_outage, "
                              "latency and spot_interruption",
                              name_of(kFaultType, f.type)));
        if (f.fraction && f.type != FaultType::InstanceFailure &&
            f.type != FaultType::SpotInterruption && f.type != FaultType::Latency)
            error(f.pos, path, "fraction", "`fraction` applies to faults that hit part of a group");
        if (f.extra && f.type != FaultType::Latency)
            error(f.pos, path, "extra", "`extra` applies to latency faults");
        if (f.at) check_inside_run(f.pos, path, "at", *f.at, "the fault");
    }
}

// Spot pools.
void Checker::check_spot() {
    for (std::size_t i = 0; i < spec.spot.pool.size(); ++i) {
        const auto& p = spec.spot.pool[i];
        std::string path = fmt::format("spot.pool[{}]", i);
        check_type(p.pos, path, "instance_type", p.instance_type);
        check_ref(p.pos, path, "availability_zone", "availability zone", p.availability_zone,
                  azs());
        // The price model's parameters, judged against the type's On-Demand price as the run
        // will see it (an [[instance_type]] may override the catalog's).
        double on_demand = 0;
        if (const auto* info = catalog.find(p.instance_type)) on_demand = info->on_demand_hourly;
        for (const auto& t : spec.instance_type)
            if (t.name == p.instance_type && t.on_demand_hourly) on_demand = *t.on_demand_hourly;
        for (const auto& problem : spot_price_param_errors(p, on_demand))
            error(p.pos, path, "price", problem);
        for (std::size_t j = 0; j < i; ++j)
            if (spec.spot.pool[j].instance_type == p.instance_type &&
                spec.spot.pool[j].availability_zone == p.availability_zone)
                error(p.pos, path, "instance_type",
                      fmt::format("spot.pool[{}] describes the pool of {} in {} already", j,
                                  p.instance_type, p.availability_zone));
    }
    // On-Demand capacity pools: one row per instance type and AZ.
    for (std::size_t i = 0; i < spec.capacity_pool.size(); ++i) {
        const auto& p = spec.capacity_pool[i];
        std::string path = fmt::format("capacity_pool[{}]", i);
        check_type(p.pos, path, "instance_type", p.instance_type);
        check_ref(p.pos, path, "availability_zone", "availability zone", p.availability_zone,
                  azs());
        for (std::size_t j = 0; j < i; ++j)
            if (spec.capacity_pool[j].instance_type == p.instance_type &&
                spec.capacity_pool[j].availability_zone == p.availability_zone)
                error(p.pos, path, "instance_type",
                      fmt::format("capacity_pool[{}] gives the capacity of {} in {} already", j,
                                  p.instance_type, p.availability_zone));
    }
}

// Standalone resources.
void Checker::check_standalone() {
    instance_names =
        names(spec.instance, "instance",
              [](const StandaloneInstanceSpec& s) -> const std::string& { return s.name; });
    for (auto& in : spec.instance) {
        std::string path = fmt_path("instance", in.name, 0);
        if (in.launch_template.empty() == in.instance_type.empty())
            error(in.pos, path, in.launch_template.empty() ? "" : "instance_type",
                  "give either `launch_template` or `instance_type`");
        if (!in.launch_template.empty())
            check_ref(in.pos, path, "launch_template", "launch template", in.launch_template,
                      lt_names);
        if (!in.instance_type.empty()) check_type(in.pos, path, "instance_type", in.instance_type);
        if (!in.subnet.empty())
            check_ref(in.pos, path, "subnet", "subnet", in.subnet, subnet_names);
        check_refs(in.pos, path, "security_groups", "security group", in.security_groups, sg_names);
        if (in.availability_zone.empty()) {
            std::string az = in.subnet.empty() ? "" : subnet_az(in.subnet);
            in.availability_zone = az.empty() ? azs().front() : az;
        } else {
            check_ref(in.pos, path, "availability_zone", "availability zone", in.availability_zone,
                      azs());
        }
        if (in.schedule.empty()) in.schedule.emplace_back(0, InstanceState::Running);
    }
    names(spec.eip, "eip", [](const EipSpec& s) -> const std::string& { return s.name; });
    for (const auto& e : spec.eip)
        if (!e.instance.empty())
            check_ref(e.pos, fmt_path("eip", e.name, 0), "instance", "instance", e.instance,
                      instance_names);
    names(spec.ebs_volume, "ebs_volume",
          [](const EbsVolumeSpec& s) -> const std::string& { return s.name; });
    for (auto& v : spec.ebs_volume) {
        if (v.availability_zone.empty())
            v.availability_zone = azs().front();
        else
            check_ref(v.pos, fmt_path("ebs_volume", v.name, 0), "availability_zone",
                      "availability zone", v.availability_zone, azs());
    }
    names(spec.ebs_snapshot, "ebs_snapshot",
          [](const EbsSnapshotSpec& s) -> const std::string& { return s.name; });
    check_s3();
    check_commitments();
}

// Buckets: what needs objects has a size; a bucket that shrinks has no objects or lifecycle.
// Lifecycle configurations: one per bucket, rules as S3 accepts them (PutBucketLifecycle
// refuses the others with InvalidArgument).
void Checker::check_s3() {
    const Names buckets = names(spec.s3_bucket, "s3_bucket",
                                [](const S3BucketSpec& s) -> const std::string& { return s.name; });
    for (const auto& [item, price] : spec.pricing.s3) {
        if (is_s3_price_item(item)) continue;
        const std::string hint = d.full() ? "" : did_you_mean(item, s3_price_items());
        error(spec.pricing.pos, "pricing", "s3",
              fmt::format("unknown S3 price `{}`; known: {}{}", shortened(item),
                          quoted_list(s3_price_items()), hint.empty() ? "" : "; " + hint));
    }
    Names configured;
    for (std::size_t i = 0; i < spec.s3_bucket_lifecycle_configuration.size(); ++i) {
        const auto& c = spec.s3_bucket_lifecycle_configuration[i];
        const std::string path = fmt_path("s3_bucket_lifecycle_configuration", c.bucket, i);
        check_ref(c.pos, path, "bucket", "bucket", c.bucket, buckets);
        if (contains(configured, c.bucket))
            error(c.pos, path, "bucket",
                  fmt::format("bucket `{}` already has a lifecycle configuration: a bucket has "
                              "one, with all its rules",
                              c.bucket));
        configured.push_back(c.bucket);
        for (std::size_t r = 0; r < c.rule.size(); ++r)
            check_lifecycle_rule(c, path, r);
    }
    for (const auto& b : spec.s3_bucket) {
        const std::string path = fmt_path("s3_bucket", b.name, 0);
        if (b.object_size_kb <= 0) {
            if (b.objects_per_day > 0)
                error(b.pos, path, "objects_per_day",
                      "objects written need their size: set object_size_kb");
            if (b.get_requests_per_day > 0)
                error(b.pos, path, "get_requests_per_day",
                      "GETs read objects of a size: set object_size_kb");
            if (b.restore_requests_per_day > 0)
                error(b.pos, path, "restore_requests_per_day",
                      "a restore retrieves an object of a size: set object_size_kb");
        }
        if (!b.object_tags.empty() && b.object_size_kb <= 0)
            error(b.pos, path, "object_tags", "tags are per object: set object_size_kb");
        if (b.object_tags.size() > kS3ObjectTagsMax)
            error(b.pos, path, "object_tags",
                  fmt::format("an object carries at most {} tags, not {}", kS3ObjectTagsMax,
                              b.object_tags.size()));
        if (b.growth_gb_per_day < 0 && (b.object_size_kb > 0 || contains(configured, b.name)))
            error(b.pos, path, "growth_gb_per_day",
                  "a bucket that shrinks is a size, not objects: it cannot have object_size_kb "
                  "or a lifecycle configuration");
        check_s3_uploads(b, path);
    }
}

// How the writer uploads: multipart parts as S3 takes them (5 MiB to 5 GiB, at most 10,000
// parts an upload: S3 User Guide, "Amazon S3 multipart upload limits"), and the PUTs from one
// requester.
void Checker::check_s3_uploads(const S3BucketSpec& b, const std::string& path) {
    const double part = b.multipart_part_size_mb;
    if (part > 0 && b.object_size_kb <= 0)
        error(b.pos, path, "multipart_part_size_mb",
              "parts are counted per object: set object_size_kb");
    if (part > 0 && part < 5)
        error(b.pos, path, "multipart_part_size_mb",
              fmt::format("a part is at least 5 MB (all but the last), not {}", part));
    if (part >= 5 && b.object_size_kb > 0 && std::ceil(b.object_size_kb / 1024 / part) > 10000)
        error(b.pos, path, "multipart_part_size_mb",
              fmt::format("an upload has at most 10,000 parts: {} MB objects need parts of at "
                          "least {} MB",
                          b.object_size_kb / 1024, std::ceil(b.object_size_kb / 1024 / 10000)));
    if (!b.presigned_put_by.empty() && !b.put_requests_from.empty())
        error(b.pos, path, "presigned_put_by",
              "the PUTs come through the presigned URL, signed by presigned_put_by: leave "
              "put_requests_from out");
}

// An object size filter needs a bucket whose objects have a size (object_size_kb), and S3
// refuses a greater-than that is not below the less-than.
void Checker::check_lifecycle_size_filter(const S3BucketLifecycleConfigurationSpec& c,
                                          const std::string& path, const S3LifecycleRuleSpec& rule,
                                          const std::string& at) {
    const auto& gt = rule.object_size_greater_than;
    const auto& lt = rule.object_size_less_than;
    if (!gt && !lt) return;
    const std::string filter = at + (c.pos.count(at + ".filter.and") ? ".filter.and." : ".filter.");
    const std::string key = filter + (gt ? "object_size_greater_than" : "object_size_less_than");
    for (const auto& b : spec.s3_bucket)
        if (b.name == c.bucket && b.object_size_kb <= 0)
            error(c.pos, path, key,
                  fmt::format("bucket `{}` has no object size: an object size filter needs its "
                              "object_size_kb",
                              c.bucket));
    if (gt && lt && *gt >= *lt)
        error(c.pos, path, key,
              fmt::format("object_size_greater_than ({}) must be less than "
                          "object_size_less_than ({})",
                          *gt, *lt));
}

// A tag filter takes the objects whose tags (the bucket's object_tags) include its own: one
// that takes none is what S3 would do, but is worth a word.
void Checker::check_lifecycle_tag_filter(const S3BucketLifecycleConfigurationSpec& c,
                                         const std::string& path, const S3LifecycleRuleSpec& rule,
                                         const std::string& at) {
    if (rule.tags.empty() || !rule.enabled) return;
    for (const auto& b : spec.s3_bucket) {
        if (b.name != c.bucket || s3_tag_filter_matches(rule, b.object_tags)) continue;
        const std::string key =
            at + (c.pos.count(at + ".filter.and") ? ".filter.and.tags" : ".filter.tag");
        warning(c.pos, path, key,
                fmt::format("rule `{}` applies to no object: bucket `{}`'s objects do not carry "
                            "its tags (set the bucket's object_tags to the tags they are "
                            "written with)",
                            rule.id, c.bucket));
    }
}

// expiration's days or expired_object_delete_marker, not both (S3 refuses the pair), and
// neither expired_object_delete_marker nor abort_incomplete_multipart_upload beside a tag
// filter (S3 refuses them on tagged objects).
void Checker::check_lifecycle_cleanup(const S3BucketLifecycleConfigurationSpec& c,
                                      const std::string& path, const S3LifecycleRuleSpec& rule,
                                      const std::string& at) {
    const std::string expiration = at + ".expiration";
    if (rule.expiration_days && rule.expired_object_delete_marker)
        error(c.pos, path, expiration + ".expired_object_delete_marker",
              "expired_object_delete_marker cannot stand beside days in one expiration (S3 "
              "refuses it): give it its own rule");
    if (c.pos.count(expiration) && !rule.expiration_days && !rule.expired_object_delete_marker)
        error(c.pos, path, expiration,
              "an expiration needs days or expired_object_delete_marker = true");
    if (rule.tags.empty()) return;
    if (rule.expired_object_delete_marker)
        error(c.pos, path, expiration + ".expired_object_delete_marker",
              "expired_object_delete_marker cannot be used with a tag filter (S3 refuses it)");
    if (rule.abort_incomplete_days)
        error(c.pos, path, at + ".abort_incomplete_multipart_upload",
              "abort_incomplete_multipart_upload cannot be used with a tag filter (S3 refuses "
              "it: an upload in progress has no tags)");
}

// Noncurrent version actions: the same limits as the current version's, on noncurrent_days;
// on a bucket whose versioning is not Enabled they find no noncurrent version (a warning).
void Checker::check_lifecycle_noncurrent(const S3BucketLifecycleConfigurationSpec& c,
                                         const std::string& path, const S3LifecycleRuleSpec& rule,
                                         const std::string& at) {
    for (std::size_t j = 0; j < rule.noncurrent_transition.size(); ++j) {
        const auto& t = rule.noncurrent_transition[j];
        const std::string key = fmt::format("{}.noncurrent_version_transition[{}]", at, j);
        const char* name = name_of(kS3StorageClass, t.storage_class);
        if (t.storage_class == S3StorageClass::STANDARD)
            error(c.pos, path, key + ".storage_class",
                  "lifecycle transitions go to a cheaper class, never to STANDARD");
        if ((t.storage_class == S3StorageClass::STANDARD_IA ||
             t.storage_class == S3StorageClass::ONEZONE_IA) &&
            t.days < 30)
            error(c.pos, path, key + ".noncurrent_days",
                  fmt::format("noncurrent versions move to {} 30 days or more after they "
                              "became noncurrent, found {}",
                              name, t.days));
        if (rule.noncurrent_expiration_days && *rule.noncurrent_expiration_days <= t.days)
            error(c.pos, path, at + ".noncurrent_version_expiration.noncurrent_days",
                  fmt::format("noncurrent expiration after {} days must come after the "
                              "noncurrent transition to {} after {} days",
                              *rule.noncurrent_expiration_days, name, t.days));
    }
    if (rule.noncurrent_transition.empty() && !rule.noncurrent_expiration_days) return;
    for (const auto& b : spec.s3_bucket)
        if (b.name == c.bucket && b.versioning != "Enabled")
            warning(c.pos, path,
                    at + (rule.noncurrent_expiration_days ? ".noncurrent_version_expiration"
                                                          : ".noncurrent_version_transition"),
                    fmt::format("bucket `{}` keeps no noncurrent versions (versioning = \"{}\"): "
                                "the rule's noncurrent actions find nothing to act on",
                                c.bucket, b.versioning));
}

// A transition S3 Lifecycle does not make from the class the bucket's objects are written in
// (up the waterfall, or ONEZONE_IA to GLACIER_IR): S3 accepts the rule, the objects stay.
void Checker::check_lifecycle_from_class(const S3BucketLifecycleConfigurationSpec& c,
                                         const std::string& path, const S3LifecycleRuleSpec& rule,
                                         const std::string& at) {
    if (!rule.enabled) return;
    for (const auto& b : spec.s3_bucket) {
        if (b.name != c.bucket) continue;
        for (std::size_t j = 0; j < rule.transition.size(); ++j) {
            const S3StorageClass to = rule.transition[j].storage_class;
            if (to == S3StorageClass::STANDARD || s3_transition_supported(b.storage_class, to))
                continue;
            warning(c.pos, path, fmt::format("{}.transition[{}].storage_class", at, j),
                    fmt::format("rule `{}` moves no object to {}: bucket `{}` writes its objects "
                                "in {}, and S3 Lifecycle does not move {} objects to {}",
                                rule.id, name_of(kS3StorageClass, to), c.bucket,
                                name_of(kS3StorageClass, b.storage_class),
                                name_of(kS3StorageClass, b.storage_class),
                                name_of(kS3StorageClass, to)));
        }
    }
}

void Checker::check_lifecycle_rule(const S3BucketLifecycleConfigurationSpec& c,
                                   const std::string& path, std::size_t index) {
    const S3LifecycleRuleSpec& rule = c.rule[index];
    const std::string at = fmt::format("rule[{}]", index);
    for (std::size_t j = 0; j < index; ++j)
        if (c.rule[j].id == rule.id)
            error(c.pos, path, at + ".id", fmt::format("rule id `{}` is given twice", rule.id));
    if (rule.transition.empty() && !rule.expiration_days && rule.noncurrent_transition.empty() &&
        !rule.noncurrent_expiration_days && !rule.expired_object_delete_marker &&
        !rule.abort_incomplete_days && !c.pos.count(at + ".expiration"))
        error(c.pos, path, at,
              "a rule needs an action: a transition, an expiration, a noncurrent version "
              "transition, a noncurrent version expiration or an abort of incomplete "
              "multipart uploads");
    check_lifecycle_cleanup(c, path, rule, at);
    check_lifecycle_noncurrent(c, path, rule, at);
    check_lifecycle_size_filter(c, path, rule, at);
    check_lifecycle_tag_filter(c, path, rule, at);
    check_lifecycle_from_class(c, path, rule, at);
    auto sorted = rule.transition;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.days < b.days; });
    for (std::size_t j = 0; j < rule.transition.size(); ++j) {
        const auto& t = rule.transition[j];
        const std::string key = fmt::format("{}.transition[{}]", at, j);
        const char* name = name_of(kS3StorageClass, t.storage_class);
        const bool ia = t.storage_class == S3StorageClass::STANDARD_IA ||
                        t.storage_class == S3StorageClass::ONEZONE_IA;
        if (t.storage_class == S3StorageClass::STANDARD)
            error(c.pos, path, key + ".storage_class",
                  "lifecycle transitions go to a cheaper class, never to STANDARD");
        if (ia && t.days < 30)
            error(c.pos, path, key + ".days",
                  fmt::format("objects move to {} at 30 days of age or later, found {}", name,
                              t.days));
        if (rule.expiration_days && *rule.expiration_days <= t.days)
            error(c.pos, path, at + ".expiration.days",
                  fmt::format("expiration after {} days must come after the transition to {} "
                              "after {} days",
                              *rule.expiration_days, name, t.days));
    }
    for (std::size_t j = 1; j < sorted.size(); ++j) {
        const auto& before = sorted[j - 1];
        const auto& t = sorted[j];
        if (s3_class_rank(t.storage_class) > s3_class_rank(before.storage_class) &&
            !s3_transition_supported(before.storage_class, t.storage_class))
            error(c.pos, path, at + ".transition",
                  fmt::format("the transition to {} after {} days cannot follow the one to {} "
                              "after {} days: S3 Lifecycle does not move objects from {} to {} "
                              "(to GLACIER or DEEP_ARCHIVE instead)",
                              name_of(kS3StorageClass, t.storage_class), t.days,
                              name_of(kS3StorageClass, before.storage_class), before.days,
                              name_of(kS3StorageClass, before.storage_class),
                              name_of(kS3StorageClass, t.storage_class)));
        const bool after_ia = before.storage_class == S3StorageClass::STANDARD_IA ||
                              before.storage_class == S3StorageClass::ONEZONE_IA;
        if (s3_class_rank(t.storage_class) <= s3_class_rank(before.storage_class) ||
            t.days == before.days || (after_ia && t.days < before.days + 30))
            error(c.pos, path, at + ".transition",
                  fmt::format("the transition to {} after {} days cannot follow the one to {} "
                              "after {} days: each goes to a class further down STANDARD_IA, "
                              "INTELLIGENT_TIERING, ONEZONE_IA, GLACIER_IR, GLACIER, "
                              "DEEP_ARCHIVE, later, and 30 days or more after one to "
                              "STANDARD_IA or ONEZONE_IA",
                              name_of(kS3StorageClass, t.storage_class), t.days,
                              name_of(kS3StorageClass, before.storage_class), before.days));
    }
}

// Reserved Instances and Savings Plans name instance types and families the catalog has; an
// RI of a size without a normalization factor (metal) cannot be size-flexible.
void Checker::check_commitments() {
    names(spec.reserved_instance, "reserved_instance",
          [](const ReservedInstanceSpec& s) -> const std::string& { return s.name; });
    for (const auto& ri : spec.reserved_instance) {
        const std::string path = fmt_path("reserved_instance", ri.name, 0);
        check_type(ri.pos, path, "instance_type", ri.instance_type);
        // A zonal RI is not size-flexible: any size AWS sells (metal too) may be reserved.
        if (!ri.availability_zone.empty())
            check_ref(ri.pos, path, "availability_zone", "availability zone", ri.availability_zone,
                      azs());
        else if (normalization_factor(instance_size(ri.instance_type)) <= 0)
            error(ri.pos, path, "instance_type",
                  fmt::format("`{}` has no normalization factor (a regional Reserved Instance "
                              "covers sizes nano to 32xlarge)",
                              ri.instance_type));
        check_ri_payment(ri, path);
    }
    check_reserved_db_instances();
    names(spec.savings_plan, "savings_plan",
          [](const SavingsPlanSpec& s) -> const std::string& { return s.name; });
    for (auto& sp : spec.savings_plan) {
        const std::string path = fmt_path("savings_plan", sp.name, 0);
        const bool ec2 = sp.savings_plan_type == "EC2Instance";
        if (ec2 && sp.instance_family.empty())
            error(sp.pos, path, "savings_plan_type",
                  "an EC2Instance Savings Plan needs `instance_family` (\"m5\")");
        if (!ec2 && !sp.instance_family.empty())
            error(sp.pos, path, "instance_family",
                  "a Compute Savings Plan covers every family; `instance_family` is for "
                  "savings_plan_type = \"EC2Instance\"");
        if (ec2 && !sp.instance_family.empty() && region_known) {
            bool known = false;
            for (const auto& t : all_types)
                known = known || instance_family(t) == sp.instance_family;
            if (!known)
                error(sp.pos, path, "instance_family",
                      fmt::format("no instance type of family `{}` in {}", sp.instance_family,
                                  spec.region.name));
        }
        for (const auto& entry : sp.rates) {
            const std::string& type = entry.first;
            check_type(sp.pos, path, "rates", type);
            if (ec2 && instance_family(type) != sp.instance_family)
                error(
                    sp.pos, path, "rates",
                    fmt::format("`{}` is not of the plan's family `{}`", type, sp.instance_family));
        }
        check_plan_payment(sp, path);
    }
}

// RDS reserved DB instances name a DB instance class the region's price list has, of a size
// with normalized units (size flexibility works by them).
void Checker::check_reserved_db_instances() {
    std::optional<PriceList> db_prices;  // the region's list, built once if needed
    names(spec.reserved_db_instance, "reserved_db_instance",
          [](const ReservedDbInstanceSpec& s) -> const std::string& { return s.name; });
    for (const auto& ri : spec.reserved_db_instance) {
        const std::string path = fmt_path("reserved_db_instance", ri.name, 0);
        bool known = true;
        if (is_known_region(spec.region.name)) {
            if (!db_prices) db_prices = PriceList::builtin(spec.region.name);
            if (!db_prices->rds_hourly(ri.db_instance_class)) {
                Names classes;
                for (const auto& r : db_prices->rds_instances)
                    classes.push_back(r.db_instance_class);
                check_ref(ri.pos, path, "db_instance_class", "DB instance class",
                          ri.db_instance_class, classes);
                known = false;
            }
        }
        if (known && db_class_units(ri.db_instance_class, false) <= 0)
            error(ri.pos, path, "db_instance_class",
                  fmt::format("`{}` has no normalized units (a reserved DB instance covers "
                              "sizes micro to 32xlarge of a class such as db.m5)",
                              ri.db_instance_class));
        check_ri_payment(ri, path);
    }
}

// A term is one or three years (AWS sells no other): 365 and 1,095 days.
constexpr int kYearSeconds = 31536000;
bool is_term(int seconds) {
    return seconds == kYearSeconds || seconds == 3 * kYearSeconds;
}

// What an RI's payment option says is paid upfront and by the hour (EC2's OfferingType): No
// Upfront has no fixed price, All Upfront no recurring charge, Partial Upfront both.
template <class RiSpec>
void Checker::check_ri_payment(const RiSpec& ri, const std::string& path) {
    if (!is_term(ri.duration))
        error(ri.pos, path, "duration",
              fmt::format("a term of {} s: expected 31536000 (1 year) or 94608000 (3 years)",
                          ri.duration));
    const bool upfront = ri.offering_type != "No Upfront";
    const bool hourly = ri.offering_type != "All Upfront";
    if (upfront && ri.fixed_price <= 0)
        error(ri.pos, path, "fixed_price",
              fmt::format("a {} Reserved Instance needs its upfront `fixed_price` (USD)",
                          ri.offering_type));
    if (!upfront && ri.fixed_price > 0)
        error(ri.pos, path, "fixed_price",
              "a No Upfront Reserved Instance has no `fixed_price`; with one, it is "
              "offering_type = \"Partial Upfront\" or \"All Upfront\"");
    if (hourly && ri.recurring_charge <= 0)
        error(ri.pos, path, "recurring_charge",
              fmt::format("a {} Reserved Instance needs its hourly `recurring_charge` (USD/h)",
                          ri.offering_type));
    if (!hourly && ri.recurring_charge > 0)
        error(ri.pos, path, "recurring_charge",
              "an All Upfront Reserved Instance has no `recurring_charge`; with one, it is "
              "offering_type = \"Partial Upfront\"");
}

// A plan's upfront payment buys part (Partial Upfront) or all (All Upfront) of the commitment
// over the term; the rest is paid by the hour.
void Checker::check_plan_payment(SavingsPlanSpec& sp, const std::string& path) {
    if (!is_term(sp.term_duration_in_seconds))
        error(sp.pos, path, "term_duration_in_seconds",
              fmt::format("a term of {} s: expected 31536000 (1 year) or 94608000 (3 years)",
                          sp.term_duration_in_seconds));
    const double whole = sp.commitment * sp.term_duration_in_seconds / 3600.0;
    if (sp.payment_option == "No Upfront" && sp.upfront_payment_amount > 0)
        error(sp.pos, path, "upfront_payment_amount",
              "a No Upfront Savings Plan has no `upfront_payment_amount`; with one, it is "
              "payment_option = \"Partial Upfront\" or \"All Upfront\"");
    if (sp.payment_option == "Partial Upfront" &&
        (sp.upfront_payment_amount <= 0 || sp.upfront_payment_amount >= whole))
        error(sp.pos, path, "upfront_payment_amount",
              fmt::format("a Partial Upfront Savings Plan pays part of its commitment upfront: "
                          "expected more than 0 and less than commitment x term = {} USD",
                          whole));
    if (sp.payment_option == "All Upfront") {
        if (sp.upfront_payment_amount == 0) sp.upfront_payment_amount = whole;
        if (std::abs(sp.upfront_payment_amount - whole) > 0.01)
            error(sp.pos, path, "upfront_payment_amount",
                  fmt::format("an All Upfront Savings Plan pays its whole commitment upfront: "
                              "commitment x term = {} USD (or leave it out)",
                              whole));
    }
}

// Scheduled changes: each setting's path, value and the state it meets (actions.cpp).
void Checker::check_actions() {
    for (std::size_t i = 0; i < spec.action.size(); ++i)
        check_inside_run(spec.action[i].pos, fmt::format("action[{}]", i), "at", spec.action[i].at,
                         "the action");
    for (auto& problem : scenario::check_actions(spec))
        d.error(std::move(problem.pos), std::move(problem.key_path), std::move(problem.message));
}
}  // namespace

void validate(Spec& spec, Diagnostics& diags) {
    // Sizes first: the checks below compare entries with each other (size_limits.hpp).
    if (!check_sizes(spec, diags)) return;
    Checker(spec, diags).run();
    validate_iam(spec, diags);
}

}  // namespace stratus::scenario::detail
