#include "sim/cloud/world.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/cloud/iam_account.hpp"
#include "sim/cloud/run_limits.hpp"
#include "sim/cloud/settings_applier.hpp"
#include "sim/core/files.hpp"
#include "sim/scenario/actions.hpp"
#include "sim/scenario/loader.hpp"

namespace stratus::cloud {
namespace {

int zone_index(const std::vector<std::string>& zones, const std::string& name) {
    auto it = std::find(zones.begin(), zones.end(), name);
    if (it == zones.end()) throw std::logic_error("unknown availability zone " + name);
    return static_cast<int>(it - zones.begin());
}

scenario::InstanceCatalog make_catalog(const scenario::Spec& spec) {
    scenario::InstanceCatalog catalog = scenario::InstanceCatalog::builtin(spec.region.name);
    for (const auto& t : spec.instance_type) {
        scenario::InstanceTypeInfo info;
        if (const scenario::InstanceTypeInfo* base = catalog.find(t.name)) info = *base;
        info.name = t.name;
        if (t.vcpu) info.vcpu = *t.vcpu;
        if (t.memory_gib) info.memory_gib = *t.memory_gib;
        if (t.on_demand_hourly) info.on_demand_hourly = *t.on_demand_hourly;
        if (t.speed) info.speed = *t.speed;
        if (t.baseline_percent) {
            info.burstable = true;
            info.baseline_percent = *t.baseline_percent;
        }
        if (t.credits_per_hour) info.credits_per_hour = *t.credits_per_hour;
        if (t.max_credits) info.max_credits = *t.max_credits;
        if (t.credit_specification)
            info.unlimited = *t.credit_specification == scenario::CreditSpecification::Unlimited;
        catalog.add(std::move(info));
    }
    return catalog;
}

// The price traces the scenario's Spot pools name, read relative to the scenario's folder.
std::map<std::string, std::vector<scenario::PricePoint>> read_spot_traces(
    const scenario::Spec& spec) {
    std::map<std::string, std::vector<scenario::PricePoint>> out;
    for (const auto& p : spec.spot.pool) {
        if (p.price_model != scenario::SpotPriceModel::Trace || out.count(p.price_file)) continue;
        const std::string path = p.price_file.empty() || p.price_file[0] == '/'
                                     ? p.price_file
                                     : spec.base_dir + "/" + p.price_file;
        // The loader read it already; read the same way again (only a regular file, capped).
        out[p.price_file] = scenario::parse_spot_price_trace(
            files::read_regular_file(path, scenario::kMaxDataFileBytes, "data files"));
    }
    return out;
}

}  // namespace

GroupLaunchSettings World::launch_settings(const std::string& template_name, int version) const {
    const scenario::LaunchTemplateSpec* best = nullptr;
    for (const auto& lt : spec_.launch_template) {
        if (lt.name != template_name) continue;
        if (version > 0 ? lt.version == version : (!best || lt.version > best->version)) {
            best = &lt;
        }
    }
    if (!best) {
        throw std::invalid_argument(
            fmt::format("no launch template {} version {}", template_name, version));
    }
    const scenario::InstanceTypeInfo* type = catalog_.find(best->instance_type);
    if (!type) throw std::logic_error("unknown instance type " + best->instance_type);
    return GroupLaunchSettings{best, *type, &catalog_};
}

World::World(const scenario::Spec& spec, RunObserver& observer)
    : spec_(spec),
      observer_(observer),
      accounting_(observer, load_balancers_),
      catalog_(make_catalog(spec_)),
      fleet_(spec_.region.availability_zones, sim_, requests_, accounting_),
      spot_market_(spec_.spot, catalog_, spec_.simulation.seed, read_spot_traces(spec_)),
      capacity_pools_(spec_, spec_.region.availability_zones),
      cost_(spec_, catalog_, sim_),
      cloudwatch_({fleet_, live_, groups_, target_groups_, load_balancers_, ecs_services_,
                   policies_, ecs_policies_},
                  observer) {
    cost_.set_spot_market(&spot_market_);
    fleet_.set_state_observer(this);  // forwards to cost_
    const int zone_count = static_cast<int>(spec_.region.availability_zones.size());
    zone_down_.assign(zone_count, 0);
    zone_latency_.assign(zone_count, 0);
    // In dependency order: what a component is handed must exist before it.
    build_load_balancing();
    build_groups();
    build_databases();
    build_ecs_services();
    build_workloads();
    build_scaling_policies();
    build_ecs_policies();
    cloudwatch_.build_alarms(spec_.cloudwatch_metric_alarm, spec_.simulation.start_epoch_s);
    for (const auto& s : spec_.autoscaling_schedule) {
        schedules_.push_back(s.recurrence.empty() ? scenario::CronSchedule{}
                                                  : scenario::CronSchedule::parse(s.recurrence));
    }
    build_faults();
    cost_.set_databases(&dbs_);
    build_s3_buckets();
    cost_.set_s3_buckets(&s3_buckets_);
    build_routes();
    close_flows();
    if (spec_.simulation.fidelity == scenario::Fidelity::Fluid) build_fluid();
}

TargetGroup* World::find_target_group(const std::string& name) {
    for (auto& tg : target_groups_)
        if (tg->name() == name) return tg.get();
    throw std::logic_error("unknown target group " + name);
}

// The target groups, then the load balancers that forward to them.
void World::build_load_balancing() {
    const auto& zones = spec_.region.availability_zones;
    const int zone_count = static_cast<int>(zones.size());
    const std::uint64_t seed = spec_.simulation.seed;
    for (const auto& tg : spec_.target_group) {
        target_groups_.push_back(
            std::make_unique<TargetGroup>(static_cast<std::uint16_t>(target_groups_.size()), tg,
                                          zone_count, seed, sim_, fleet_, observer_));
    }
    for (const auto& lb : spec_.load_balancer) {
        std::vector<int> node_zones;
        for (const auto& z : lb.availability_zones)
            node_zones.push_back(zone_index(zones, z));
        // The first listener of the load balancer takes the workloads' traffic.
        std::vector<LoadBalancer::Forward> forwards;
        for (const auto& l : spec_.lb_listener) {
            if (l.load_balancer != lb.name) continue;
            for (const auto& f : scenario::forwards_of(l))
                forwards.push_back({find_target_group(f.arn), f.weight});
            break;
        }
        load_balancers_.push_back(std::make_unique<LoadBalancer>(
            static_cast<std::uint16_t>(load_balancers_.size()), lb, std::move(node_zones),
            zone_count, std::move(forwards), seed, fleet_));
    }
}

void World::build_groups() {
    const auto& zones = spec_.region.availability_zones;
    const std::uint64_t seed = spec_.simulation.seed;
    for (std::size_t i = 0; i < spec_.autoscaling_group.size(); ++i) {
        const auto& g = spec_.autoscaling_group[i];
        std::vector<int> group_zones;
        for (const auto& z : g.availability_zones)
            group_zones.push_back(zone_index(zones, z));
        std::vector<TargetGroup*> tgs;
        for (const auto& name : g.target_groups)
            tgs.push_back(find_target_group(name));
        groups_.push_back(std::make_unique<AutoScalingGroup>(
            static_cast<int>(i), g, launch_settings(g.launch_template, g.launch_template_version),
            std::move(group_zones), std::move(tgs), seed, sim_, fleet_, observer_));
    }
    group_latency_.assign(groups_.size(), 0);
    for (auto& g : groups_) {
        g->set_spot_market(&spot_market_);
        g->set_capacity_pools(&capacity_pools_);
    }
}

void World::build_databases() {
    const auto& zones = spec_.region.availability_zones;
    const int zone_count = static_cast<int>(zones.size());
    const std::uint64_t seed = spec_.simulation.seed;
    // Databases: the standby of a Multi-AZ instance is in the region's next AZ.
    for (const auto& d : spec_.db_instance) {
        const int primary =
            d.availability_zone.empty() ? 0 : zone_index(zones, d.availability_zone);
        const int standby = d.multi_az && zone_count > 1 ? (primary + 1) % zone_count : -1;
        dbs_.push_back(std::make_unique<DbInstance>(d, primary, standby,
                                                    RandomStream(seed, "rds/" + d.identifier), sim_,
                                                    observer_, zones));
    }
}

// The workloads, the AWS calls their applications make, and what their clients do to each
// load balancer's connections.
void World::build_workloads() {
    const std::uint64_t seed = spec_.simulation.seed;
    for (std::size_t i = 0; i < spec_.workload.size(); ++i) {
        const auto& w = spec_.workload[i];
        LoadBalancer* lb = nullptr;
        for (auto& l : load_balancers_)
            if (l->name() == w.load_balancer) lb = l.get();
        if (!lb) throw std::logic_error("unknown load balancer " + w.load_balancer);
        workloads_.push_back(std::make_unique<Workload>(w, spec_.simulation.start_epoch_s, seed,
                                                        horizon(), *lb, sim_, fleet_, requests_,
                                                        accounting_));
        for (auto& db : dbs_)
            if (db->identifier() == w.database) workloads_.back()->set_database(db.get());
        mean_request_bytes_ += static_cast<double>(w.request_bytes) / spec_.workload.size();
        mean_response_bytes_ += static_cast<double>(w.response_bytes) / spec_.workload.size();
    }
    cloudwatch_.set_message_bytes(mean_request_bytes_, mean_response_bytes_);
    // The applications' AWS calls, decided once here by the scenario's IAM.
    if (std::any_of(spec_.workload.begin(), spec_.workload.end(),
                    [](const scenario::WorkloadSpec& w) { return !w.aws_call.empty(); })) {
        aws_calls_ = std::make_unique<AwsCalls>(spec_, observer_);
        for (std::size_t i = 0; i < workloads_.size(); ++i)
            if (!spec_.workload[i].aws_call.empty())
                workloads_[i]->set_aws_calls(aws_calls_.get(), i);
    }
    lb_clients_.resize(load_balancers_.size());
    for (std::size_t b = 0; b < load_balancers_.size(); ++b) {
        LbClients& c = lb_clients_[b];
        const std::string& name = load_balancers_[b]->name();
        int n = 0;
        double per_connection = 0, duration = 0;
        for (const auto& w : spec_.workload) {
            if (w.load_balancer != name) continue;
            per_connection += w.requests_per_connection;
            duration += to_seconds(w.connection_duration);
            ++n;
        }
        if (n > 0) {
            c.requests_per_connection = per_connection / n;
            c.connection_duration_s = duration / n;
        }
        for (const auto& l : spec_.lb_listener) {
            if (l.load_balancer == name) {
                c.rules = l.rules;  // the first listener takes the traffic (above)
                break;
            }
        }
    }
}

// The EC2 Auto Scaling policies (and the alarms target tracking manages), and each group's
// metrics warm-up.
void World::build_scaling_policies() {
    tracking_policies_.resize(groups_.size());
    for (const auto& p : spec_.autoscaling_policy) {
        AutoScalingGroup* g = find_group(p.autoscaling_group);
        if (!g) throw std::logic_error("unknown group " + p.autoscaling_group);
        const std::string tg = g->target_groups().empty() ? "" : g->target_groups()[0]->name();
        policies_.push_back(
            std::make_unique<ScalingPolicy>(p, *g, tg, spec_.simulation.start_epoch_s));
    }
    for (auto& p : policies_) {
        if (!p->high_alarm()) continue;
        for (std::size_t gi = 0; gi < groups_.size(); ++gi)
            if (groups_[gi].get() == &p->group()) tracking_policies_[gi].push_back(p.get());
    }
    for (auto& p : policies_) {
        for (std::size_t gi = 0; gi < groups_.size(); ++gi)
            if (groups_[gi].get() == &p->group()) p->set_siblings(&tracking_policies_[gi]);
    }
    // How long a new instance stays out of its group's aggregated EC2 metrics: the warm-up of
    // the group's step and target tracking policies (the longest when they differ: the model
    // does not remember which policy launched an instance), else default_instance_warmup when
    // set, else none (AWS applies no warm-up without one of them).
    for (auto& g : groups_) {
        SimTime warmup =
            g->spec().default_instance_warmup ? *g->spec().default_instance_warmup * kSecond : 0;
        bool dynamic = false;
        for (const auto& p : policies_) {
            if (&p->group() != g.get() ||
                p->spec().policy_type == scenario::PolicyType::SimpleScaling)
                continue;
            warmup = dynamic ? std::max(warmup, p->warmup()) : p->warmup();
            dynamic = true;
        }
        g->set_metrics_warmup(warmup);
    }
}

void World::build_faults() {
    const std::uint64_t seed = spec_.simulation.seed;
    std::vector<std::string> group_names, db_names;
    for (const auto& g : groups_)
        group_names.push_back(g->name());
    // A spot_interruption fault may also name an ECS service (its FARGATE_SPOT tasks): the
    // services follow the groups in the names a fault's target resolves against.
    for (const auto& s : ecs_services_)
        group_names.push_back(s->name());
    for (const auto& d : dbs_)
        db_names.push_back(d->identifier());
    faults_ = std::make_unique<FaultInjector>(spec_.fault, spec_.region.availability_zones,
                                              group_names, db_names, seed, sim_, *this);
}

void World::build_s3_buckets() {
    const IamAccount account(spec_);
    for (const auto& b : spec_.s3_bucket) {
        const scenario::S3BucketLifecycleConfigurationSpec* lifecycle = nullptr;
        for (const auto& c : spec_.s3_bucket_lifecycle_configuration)
            if (c.bucket == b.name) lifecycle = &c;
        s3_buckets_.emplace_back(b, lifecycle, spec_.simulation.start_epoch_s,
                                 decide_s3_access(account, b));
    }
}

// Fluid mode: rates and queueing approximations instead of one event per request.
void World::build_fluid() {
    // Metrics once a minute when nothing needs finer ones: EC2 detailed monitoring and ALB
    // metrics are 1-minute metrics on AWS; the 10 s slice serves high-resolution alarms.
    bool sub_minute = spec_.simulation.metrics_period % kMinute != 0;
    for (const MetricAlarm* a : alarms())
        sub_minute = sub_minute || a->period() < kMinute;
    if (!sub_minute) metric_slice_ = kMinute;
    fluid_ =
        std::make_unique<FluidModel>(spec_, sim_, fleet_, accounting_, workloads_, metric_slice_);
    cloudwatch_.set_fluid(fluid_.get());
    for (auto& tg : target_groups_)
        tg->set_routing_observer(fluid_.get());
    for (auto& lb : load_balancers_)
        lb->set_routing_observer(fluid_.get());
    for (auto& db : dbs_)
        db->set_routing_observer(fluid_.get());
}

// A request whose application calls out of the VPC from a subnet that cannot reach the
// internet (no route out, a NAT gateway or NAT instance that cannot forward) fails behind its
// target: the connection is never made, the application waits its connect timeout and
// answers 500. Decided per (placement x zones + zone), as the routes of the bytes are.
void World::close_calls_out() {
    const auto& zones = spec_.region.availability_zones;
    const auto placements = placements_of_instances();
    for (std::size_t i = 0; i < workloads_.size(); ++i) {
        std::vector<std::uint8_t> closed(placements.size() * zones.size(), 0);
        bool any = false;
        for (std::size_t p = 0; p < placements.size() && spec_.vpc.present; ++p) {
            for (const auto* subnet : subnets_of(*placements[p].subnets)) {
                const scenario::SubnetSpec& sn = *subnet;
                if (!calls_out(spec_.workload[i], gateway_endpoints_of(spec_, sn.name))) continue;
                if (reaches_internet(spec_, sn, placements[p].security_groups)) continue;
                closed[p * zones.size() + zone_index(zones, sn.availability_zone)] = 1;
                any = true;
            }
        }
        if (any) workloads_[i]->set_calls_out_closed(std::move(closed));
    }
}

// Instances' own internet traffic goes through their subnet's route: a NAT gateway (its
// index), an internet gateway or a working NAT instance (-1), or nowhere (-2: a private
// subnet without NAT). Per (placement x zones + zone): the groups', then the ECS services'.
void World::build_routes() {
    const auto& zones = spec_.region.availability_zones;
    const auto placements = placements_of_instances();
    route_.assign(placements.size() * zones.size(), -1);
    service_route_.assign(route_.size() * 2, -1);
    for (std::size_t p = 0; p < placements.size(); ++p) {
        for (const auto* subnet : subnets_of(*placements[p].subnets)) {
            const scenario::SubnetSpec& sn = *subnet;
            int route = sn.route == "igw" ? -1 : -2;
            // A NAT instance that forwards sends the bytes out as its own data transfer out
            // (no NAT gateway charge); one that cannot forward sends nothing.
            if (sn.route.rfind("instance:", 0) == 0 &&
                nat_instance_problems(spec_, sn, placements[p].security_groups).empty())
                route = -1;
            if (sn.route.rfind("nat:", 0) == 0) {
                for (std::size_t n = 0; n < spec_.nat_gateway.size(); ++n)
                    if (spec_.nat_gateway[n].name == sn.route.substr(4))
                        route = static_cast<int>(n);
            }
            const std::size_t k = p * zones.size() + zone_index(zones, sn.availability_zone);
            route_[k] = route;
            // S3 and DynamoDB: a gateway endpoint in the subnet's route table takes the
            // traffic (free), else the subnet's route (a NAT gateway processes it; the
            // transfer to a service of the region is free).
            for (int s = 0; s < 2; ++s) {
                const auto service =
                    s == 0 ? scenario::EndpointService::S3 : scenario::EndpointService::DynamoDB;
                int via = route;
                for (const auto& e : spec_.vpc_endpoint)
                    if (e.service_name == service &&
                        std::find(e.subnets.begin(), e.subnets.end(), sn.name) != e.subnets.end())
                        via = -1;
                service_route_[2 * k + static_cast<std::size_t>(s)] = via;
            }
        }
    }
    for (auto& w : workloads_)
        w->track_outbound(static_cast<int>(groups_.size()), static_cast<int>(ecs_services_.size()),
                          static_cast<int>(zones.size()));
    close_calls_out();
}

// The subnets these names name, in their order (a name twice, twice).
std::vector<const scenario::SubnetSpec*> World::subnets_of(
    const std::vector<std::string>& names) const {
    std::vector<const scenario::SubnetSpec*> out;
    for (const auto& name : names)
        for (const auto& sn : spec_.subnet)
            if (sn.name == name) out.push_back(&sn);
    return out;
}

std::vector<World::Placement> World::placements_of_instances() const {
    std::vector<Placement> out;
    for (std::size_t g = 0; g < groups_.size(); ++g)
        out.push_back({&spec_.autoscaling_group[g].subnets,
                       launch_security_groups(spec_, spec_.autoscaling_group[g])});
    for (const auto& s : ecs_services_)
        out.push_back({&s->spec().subnets, s->spec().security_groups});
    return out;
}

// Networking: a flow no security group or route allows times out, as on AWS; a closed flow to
// the database or out of the VPC fails the requests behind their targets (500).
void World::close_flows() {
    for (const Flow& f : analyse_flows(spec_)) {
        if (f.open) continue;
        closed_flows_.push_back(f);
        if (f.kind == Flow::InternetToLoadBalancer) {
            for (std::size_t i = 0; i < workloads_.size(); ++i)
                if (spec_.workload[i].load_balancer == f.to)
                    workloads_[i]->set_load_balancer_unreachable(true);
        } else if (f.kind == Flow::LoadBalancerToTargets) {
            if (f.to_kind == Flow::AutoScalingGroup) {
                if (AutoScalingGroup* g = find_group(f.to))
                    g->set_unreachable_from_load_balancer(true);
            } else {
                for (auto& s : ecs_services_)
                    if (s->name() == f.to) s->set_unreachable_from_load_balancer(true);
            }
        } else if (f.kind == Flow::AppToDatabase) {
            const int placement = placement_named(f.from_kind, f.from);
            for (std::size_t i = 0; i < workloads_.size(); ++i)
                if (spec_.workload[i].database == f.to && placement >= 0)
                    workloads_[i]->set_database_flow_closed(placement);
        }
    }
}

// The placement index (Workload::placement_of) of a group or an ECS service, -1 for none.
int World::placement_named(Flow::Endpoint kind, const std::string& name) const {
    if (kind == Flow::AutoScalingGroup) {
        for (std::size_t g = 0; g < groups_.size(); ++g)
            if (groups_[g]->name() == name) return static_cast<int>(g);
    } else if (kind == Flow::EcsService) {
        for (std::size_t s = 0; s < ecs_services_.size(); ++s)
            if (ecs_services_[s]->name() == name) return static_cast<int>(groups_.size() + s);
    }
    return -1;
}

AutoScalingGroup* World::find_group(const std::string& name) {
    for (auto& g : groups_)
        if (g->name() == name) return g.get();
    return nullptr;
}

// One scalable target per [[appautoscaling_target]] (with its scheduled actions), then its
// policies, which it knows (several combine).
void World::build_ecs_policies() {
    for (const auto& t : spec_.appautoscaling_target) {
        EcsService* service = nullptr;
        for (auto& s : ecs_services_)
            if (s->name() == t.service && s->spec().cluster == t.cluster) service = s.get();
        if (!service) continue;  // not on Fargate: a run refuses it (unsupported_features)
        std::vector<scenario::AppAutoscalingScheduledActionSpec> actions;
        for (const auto& a : spec_.appautoscaling_scheduled_action)
            if (a.resource_id == t.resource_id) actions.push_back(a);
        ecs_targets_.push_back(std::make_unique<EcsScalableTarget>(
            t, std::move(actions), *service, sim_, observer_, spec_.simulation.start_epoch_s));
    }
    for (const auto& p : spec_.appautoscaling_policy) {
        if (!p.target_tracking && !p.step_scaling) continue;  // validate refuses such a policy
        EcsScalableTarget* target = nullptr;
        for (auto& t : ecs_targets_)
            if (t->resource_id() == p.resource_id) target = t.get();
        if (!target) continue;
        std::string tg;
        if (!target->service().spec().load_balancer.empty())
            tg = target->service().spec().load_balancer.front().target_group;
        ecs_policies_.push_back(
            std::make_unique<EcsScalingPolicy>(p, *target, tg, spec_.simulation.start_epoch_s));
        target->add_policy(ecs_policies_.back().get());
    }
}

void World::build_ecs_capacity() {
    for (const auto& cluster : spec_.ecs_cluster) {
        std::vector<EcsCapacity::Provider> providers;
        for (const auto& c : spec_.ecs_cluster_capacity_providers) {
            if (c.cluster_name != cluster.name) continue;
            for (const auto& name : c.capacity_providers)
                for (const auto& p : spec_.ecs_capacity_provider) {
                    if (p.name != name) continue;
                    EcsCapacity::Provider pr;
                    pr.spec = p;
                    pr.group = find_group(p.auto_scaling_group);
                    if (!pr.group) throw std::logic_error("unknown group " + p.auto_scaling_group);
                    const auto& type = pr.group->launch_settings().instance_type;
                    pr.cpu = type.vcpu * 1024;
                    pr.memory = static_cast<int>(type.memory_gib * 1024 + 0.5);
                    providers.push_back(std::move(pr));
                }
        }
        if (providers.empty()) continue;
        ecs_capacity_.push_back(std::make_unique<EcsCapacity>(cluster.name, std::move(providers),
                                                              spec_.simulation.seed, sim_, fleet_));
    }
}

void World::build_ecs_services() {
    build_ecs_capacity();
    const auto& zones = spec_.region.availability_zones;
    for (scenario::EcsServiceSpec s : spec_.ecs_service) {
        const bool ec2 = scenario::runs_on_ec2(spec_, s);
        s.capacity_provider_strategy = scenario::strategy_of(spec_, s);
        EcsCapacity* capacity = nullptr;
        for (auto& c : ecs_capacity_)
            if (c->cluster() == s.cluster) capacity = c.get();
        if (ec2 && !capacity) continue;  // a run refuses it (unsupported_features)
        if (!ec2 && s.launch_type != scenario::EcsLaunchType::Fargate &&
            s.capacity_provider_strategy.empty())
            continue;
        const scenario::EcsTaskDefinitionSpec* td = nullptr;
        for (const auto& t : spec_.ecs_task_definition)
            if (t.family == s.task_definition) td = &t;
        if (!td) throw std::logic_error("unknown task definition " + s.task_definition);
        std::vector<int> task_zones;
        for (const auto& subnet : s.subnets)
            for (const auto& sn : spec_.subnet)
                if (sn.name == subnet) {
                    const int z = zone_index(zones, sn.availability_zone);
                    if (std::find(task_zones.begin(), task_zones.end(), z) == task_zones.end())
                        task_zones.push_back(z);
                }
        if (ec2 && task_zones.empty())
            for (int z = 0; z < static_cast<int>(zones.size()); ++z)
                task_zones.push_back(z);
        std::vector<TargetGroup*> tgs;
        for (const auto& lb : s.load_balancer)
            for (auto& tg : target_groups_)
                if (tg->name() == lb.target_group) tgs.push_back(tg.get());
        ecs_services_.push_back(std::make_unique<EcsService>(s, *td, std::move(task_zones),
                                                             std::move(tgs), spec_.simulation.seed,
                                                             sim_, fleet_, observer_));
        ecs_services_.back()->set_task_observer(this);
        ecs_services_.back()->set_index(static_cast<int>(ecs_services_.size() - 1));
        if (!ec2) continue;
        const int provider =
            s.capacity_provider_strategy.empty()
                ? -1
                : capacity->provider_index(
                      s.capacity_provider_strategy.front().auto_scaling_group_provider);
        ecs_services_.back()->set_capacity(capacity, provider);
        capacity->add_service(ecs_services_.back().get());
    }
}

void World::on_task_status(const EcsService& service, const EcsTask& task, TaskStatus from) {
    cost_.on_task_status(service, task, from);
}

void World::start() {
    if (started_) return;
    started_ = true;
    observer_.log(
        0, event::RunStarted{spec_.simulation.name, spec_.simulation.seed, spec_.region.name});
    cost_.start();
    for (const Flow& f : closed_flows_)
        observer_.log(0, event::NetworkFlowClosed{to_string(f.kind), f.from, f.to, f.port, f.why,
                                                  closed_flow_effect(f.kind)});
    for (auto& g : groups_)
        g->start();
    // RegisterScalableTarget brings a service's desired count within [min, max] at once.
    for (auto& t : ecs_targets_)
        t->start();
    for (auto& c : ecs_capacity_)
        c->start();
    for (auto& s : ecs_services_)
        s->start();
    if (fluid_) {
        fluid_->start();  // fluid mode: no per-request arrivals
    } else {
        for (auto& w : workloads_)
            w->start();
    }
    // One tick every 10 s (and at the horizon): CloudWatch metrics, alarms, the bill, and at
    // period boundaries the time-series row, in that order.
    sim_.schedule_first_at(std::min(metric_slice_, horizon()), this, kTick);
    for (std::uint32_t i = 0; i < spec_.autoscaling_schedule.size(); ++i) {
        const auto& s = spec_.autoscaling_schedule[i];
        if (s.recurrence.empty()) {
            sim_.schedule_at(s.start_time ? *s.start_time : 0, this, kSchedule, i);
        } else {
            schedule_next(i, (s.start_time ? *s.start_time : 0) - 1);
        }
    }
    for (std::uint32_t i = 0; i < spec_.action.size(); ++i)
        sim_.schedule_at(spec_.action[i].at, this, kAction, i);
    faults_->start();
}

void World::run_until(SimTime t) {
    if (!started_) start();
    if (finished_) return;
    sim_.run_until(std::min(t, horizon()));
    observer_.run_paused(sim_.now());
    events_processed_ = sim_.events_processed();
    if (sim_.now() >= horizon() && !finished_) {
        finished_ = true;
        cost_.finish(horizon());
        // The last period closes after everything at the horizon, with the bill's closing
        // charges (minimums, hours rounded up), so its cost is the bill's total.
        close_period(horizon());
        observer_.log(horizon(), event::RunEnded{spec_.simulation.name});
    }
}

void World::on_event(const Event& e) {
    switch (e.kind) {
        case kTick: {
            const SimTime now = sim_.now();
            if (fluid_) fluid_->advance_to(now);  // fluid mode: the slice's traffic first
            live_.refresh(fleet_, slice_start_);
            cloudwatch_.publish(slice_start_, now);
            bill_slice(slice_start_, now);
            slice_start_ = now;
            cloudwatch_.evaluate_alarms(now);
            apply_latency();
            if (now < horizon() && now - period_start_ >= spec_.simulation.metrics_period)
                close_period(now);
            if (now < horizon())
                sim_.schedule_first_at(std::min(now + metric_slice_, horizon()), this, kTick);
            break;
        }
        case kSchedule:
            run_schedule(e.arg);
            break;
        case kAction: {
            const auto& a = spec_.action[e.arg];
            SettingsApplier(*this).apply(a, fmt::format("scheduled change action[{}]", e.arg));
            break;
        }
        default:
            break;
    }
}

// ---------------------------------------------------------------------------------------------
// The slice's bill

void World::bill_slice(SimTime slice_start, SimTime slice_end) {
    // Burstable instances' surplus credits (CloudWatch's publication brought their accounts
    // up to now). live_ was refreshed to slice_start for the publication.
    if (burstable_) {
        for (std::uint32_t i : live_.ids()) {
            const Instance& inst = fleet_[i];
            if (inst.burstable() && inst.state() == InstanceState::Running &&
                slice_end > std::max(slice_start, inst.running_since()))
                cost_.credit_surplus(inst);
        }
    }
    // Billed as AWS bills them: every request a node received came on a client's connection
    // and had its bytes processed and its listener rules evaluated, a target's answer or the
    // load balancer's own (502/503/504, whose small error page is left out). The clients'
    // keep-alive (lb_client_connections) applies to both alike: an answer of the load
    // balancer's own does not make its client open a connection of its own.
    const double seconds = to_seconds(slice_end - slice_start);
    const std::vector<LbSlice>& slices = cloudwatch_.lb_slices();
    lb_answered_at_slice_start_.resize(load_balancers_.size(), 0.0);
    lb_traffic_.clear();
    for (std::size_t b = 0; b < load_balancers_.size(); ++b) {
        const LoadBalancer& lb = *load_balancers_[b];
        const LbSlice& slice = slices[b];
        const double answered = lb.answered_itself() - lb_answered_at_slice_start_[b];
        lb_answered_at_slice_start_[b] = lb.answered_itself();
        LoadBalancerTraffic lt;
        lt.mean_in_flight = slice.outstanding;
        lt.requests = static_cast<double>(slice.accepted) + answered;
        lt.processed_bytes =
            static_cast<double>(slice.accepted) * (mean_request_bytes_ + mean_response_bytes_) +
            answered * mean_request_bytes_;
        const LbClients& clients = lb_clients_[b];
        const LbConnections connections = lb_client_connections(
            lt.requests / seconds, clients.requests_per_connection, clients.connection_duration_s,
            lb.spec().idle_timeout, lt.mean_in_flight);
        lt.new_connections_per_s = connections.new_per_s;
        lt.active_connections = connections.active;
        lt.rule_evaluations_per_s =
            alb_rule_evaluations_per_s(lt.requests / seconds, clients.rules);
        lt.internet_out_bytes =
            lb.spec().internal ? 0 : static_cast<double>(slice.accepted) * mean_response_bytes_;
        lb_traffic_.push_back(lt);
    }
    cost_.on_slice(slice_end - slice_start, lb_traffic_);
    double cross_az = 0;
    for (const auto& w : workloads_)
        cross_az += w->cross_az_database_bytes();
    cost_.set_inter_az_bytes(cross_az);
    bill_instance_traffic();
}

void World::bill_instance_traffic() {
    // Outbound internet traffic of the slice, through each (group, zone)'s route.
    outbound_billed_.resize(route_.size(), 0.0);
    for (std::size_t k = 0; k < route_.size(); ++k) {
        double total = 0;
        for (const auto& w : workloads_)
            total += w->outbound_bytes()[k];
        const double gb = (total - outbound_billed_[k]) / 1e9;
        outbound_billed_[k] = total;
        if (route_[k] >= -1) cost_.add_outbound(route_[k], gb);
    }
    // S3 and DynamoDB traffic: NAT processing only when no gateway endpoint takes it.
    service_billed_.resize(service_route_.size(), 0.0);
    for (std::size_t k = 0; k < service_route_.size(); ++k) {
        double total = 0;
        for (const auto& w : workloads_)
            total += w->service_bytes()[k];
        const double gb = (total - service_billed_[k]) / 1e9;
        service_billed_[k] = total;
        if (service_route_[k] >= 0) cost_.add_nat_processing(service_route_[k], gb);
    }
}

// ---------------------------------------------------------------------------------------------
// Scheduled actions and scheduled changes

void World::schedule_next(std::uint32_t i, SimTime after) {
    const auto& s = spec_.autoscaling_schedule[i];
    const std::int64_t epoch = spec_.simulation.start_epoch_s;
    // Cron fires on whole minutes: the next one strictly after `after`.
    const std::int64_t after_s = epoch + (after < 0 ? -1 : after / kSecond);
    const auto next = schedules_[i].next_fire(after_s, s.time_zone.empty() ? "UTC" : s.time_zone);
    if (!next) return;
    const SimTime at = (*next - epoch) * kSecond;
    if (at >= horizon() || (s.end_time && at > *s.end_time)) return;
    sim_.schedule_at(at, this, kSchedule, i);
}

void World::run_schedule(std::uint32_t i) {
    const auto& s = spec_.autoscaling_schedule[i];
    if (AutoScalingGroup* g = find_group(s.autoscaling_group)) {
        std::string what;
        if (s.min_size) what += fmt::format(" min {}", *s.min_size);
        if (s.max_size) what += fmt::format(" max {}", *s.max_size);
        if (s.desired_capacity) what += fmt::format(" desired {}", *s.desired_capacity);
        observer_.log(sim_.now(),
                      event::ScheduledAction{g->name(), s.scheduled_action_name, s.recurrence,
                                             what.empty() ? what : what.substr(1)});
        g->update_capacity(s.min_size, s.max_size, s.desired_capacity,
                           fmt::format("scheduled action {} ({})", s.scheduled_action_name,
                                       s.recurrence.empty() ? "once" : s.recurrence));
    }
    if (!s.recurrence.empty()) schedule_next(i, sim_.now());
}

// ---------------------------------------------------------------------------------------------
// Faults

void World::begin_az_outage(int zone, const std::string& fault) {
    if (zone < 0) return;
    if (zone_down_[zone]++ > 0) return;
    observer_.log(sim_.now(), event::AzOutageStarted{zone_names()[zone], fault});
    // AZ power interruption: instances stop, launches into the AZ fail, its load balancer
    // nodes are gone.
    for (std::uint32_t i = 0; i < fleet_.size(); ++i) {
        Instance& inst = fleet_[i];
        if (inst.config().availability_zone == zone &&
            (inst.state() == InstanceState::Running || inst.state() == InstanceState::Pending)) {
            inst.power_off();
        }
    }
    for (auto& lb : load_balancers_)
        lb->set_zone_available(zone, false);
    for (auto& db : dbs_)
        db->zone_failed(zone);
    for (auto& g : groups_)
        g->set_zone_available(zone, false);
    for (auto& s : ecs_services_)
        s->set_zone_available(zone, false, fault);
}

void World::end_az_outage(int zone, const std::string& fault) {
    if (zone < 0 || zone_down_[zone] == 0) return;
    if (--zone_down_[zone] > 0) return;
    observer_.log(sim_.now(), event::AzOutageEnded{zone_names()[zone], fault});
    for (auto& lb : load_balancers_)
        lb->set_zone_available(zone, true);
    for (auto& db : dbs_)
        db->zone_recovered(zone);
    for (auto& g : groups_)
        g->set_zone_available(zone, true);
    for (auto& s : ecs_services_)
        s->set_zone_available(zone, true, fault);
}

void World::fail_instances(int group, double fraction, RandomStream& rng,
                           const std::string& fault) {
    if (group < 0) return;
    std::vector<std::uint32_t> running;
    for (std::uint32_t i = 0; i < fleet_.size(); ++i) {
        const Instance& inst = fleet_[i];
        if (inst.config().group == group && inst.state() == InstanceState::Running &&
            inst.lifecycle() == LifecycleState::InService) {
            running.push_back(i);
        }
    }
    if (running.empty()) return;
    const int count =
        fraction > 0 ? static_cast<int>(std::ceil(fraction * running.size() - 1e-9)) : 1;
    for (int k = 0; k < count && !running.empty(); ++k) {
        const std::size_t pick = rng.below(running.size());
        Instance& inst = fleet_[running[pick]];
        running.erase(running.begin() + static_cast<std::ptrdiff_t>(pick));
        observer_.log(sim_.now(),
                      event::InstanceFailure{inst.name(), groups_[group]->name(), fault});
        inst.power_off();
    }
}

void World::spot_interruption(int group, double fraction, RandomStream& rng,
                              const std::string& fault, SimTime lead) {
    if (group < 0) return;
    const auto ecs = static_cast<std::size_t>(group) - groups_.size();
    if (static_cast<std::size_t>(group) >= groups_.size()) {
        // Fargate Spot gives no rebalance recommendation: the warning comes now.
        if (ecs < ecs_services_.size())
            ecs_services_[ecs]->interrupt_spot(fraction, rng,
                                               "a spot_interruption fault (" + fault + ")");
        return;
    }
    groups_[group]->interrupt_spot(fraction, rng, "a spot_interruption fault (" + fault + ")",
                                   lead);
}

void World::db_failover(int db, const std::string& fault) {
    if (db < 0) return;
    observer_.log(sim_.now(), event::DbFailoverInjected{dbs_[db]->identifier(), fault});
    dbs_[db]->force_failover();
}

void World::begin_latency(int zone, int group, SimTime extra, const std::string& fault) {
    if (group >= static_cast<int>(groups_.size())) return;  // an ECS service: not a latency target
    if (zone >= 0) zone_latency_[zone] = extra;
    if (group >= 0) group_latency_[group] = extra;
    observer_.log(sim_.now(),
                  event::LatencyStarted{zone >= 0 ? zone_names()[zone] : groups_[group]->name(),
                                        to_millis(extra), fault});
    apply_latency();
}

void World::end_latency(int zone, int group, const std::string& fault) {
    if (group >= static_cast<int>(groups_.size())) return;
    if (zone >= 0) zone_latency_[zone] = 0;
    if (group >= 0) group_latency_[group] = 0;
    observer_.log(sim_.now(), event::LatencyEnded{
                                  zone >= 0 ? zone_names()[zone] : groups_[group]->name(), fault});
    apply_latency();
}

void World::on_instance_launched(const Instance& instance) {
    burstable_ = burstable_ || instance.burstable();
    cost_.on_instance_launched(instance);
    const InstanceConfig& c = instance.config();
    if (!c.ecs_task) capacity_pools_.acquire(c.instance_type, c.availability_zone, c.spot);
    if (!fluid_) return;  // request mode: the next 10 s tick applies it (apply_latency)
    fleet_[instance.index()].set_extra_latency(latency_fault_on(instance.config()));
}

SimTime World::latency_fault_on(const InstanceConfig& config) const {
    SimTime extra = zone_latency_[config.availability_zone];
    if (config.group >= 0) extra += group_latency_[config.group];
    return extra;
}

void World::on_instance_state(const Instance& instance, InstanceState from, InstanceState to) {
    cost_.on_instance_state(instance, from, to);
    if (to == InstanceState::Terminated && from != InstanceState::Terminated &&
        !instance.config().ecs_task) {
        const InstanceConfig& c = instance.config();
        capacity_pools_.release(c.instance_type, c.availability_zone, c.spot);
    }
    // A container instance that stops or terminates takes its ECS tasks with it.
    if (from == InstanceState::Running && to != InstanceState::Running &&
        !instance.config().ecs_task && instance.config().group >= 0)
        for (auto& c : ecs_capacity_)
            c->instance_lost(instance.index());
    // ELB sees the EC2 state: a registered target whose instance stops or terminates is unused
    // (Target.InvalidState) at once, before any health check or deregistration.
    if (from == InstanceState::Running &&
        (to == InstanceState::Stopped || to == InstanceState::Terminated)) {
        for (auto& tg : target_groups_)
            tg->instance_not_running(instance.index());
    }
}

void World::on_serving_changed(const Instance& instance) {
    if (!fluid_) return;  // request mode: every request meets the instance as it is
    // A coarse step assumed the instances as they were when it was solved.
    fluid_->instance_changed(instance.index());
    on_health_inputs_changed(instance);
}

void World::on_health_inputs_changed(const Instance& instance) {
    for (auto& tg : target_groups_)
        tg->wake_health_check(instance.index());
}

bool World::health_checks_dormant(const Instance& instance) const {
    for (const auto& tg : target_groups_)
        if (tg->health_check_dormant(instance.index())) return true;
    return false;
}

void World::apply_latency() {
    // Re-applied every 10 s as well, so instances launched during the fault get it too.
    // Performance: terminated instances are skipped. Only those terminated before the current
    // slice are dropped: the next CloudWatch publication still counts the others' last seconds.
    for (std::uint32_t i : live_.refresh(fleet_, slice_start_)) {
        Instance& inst = fleet_[i];
        if (inst.state() != InstanceState::Running && inst.state() != InstanceState::Pending)
            continue;
        inst.set_extra_latency(latency_fault_on(inst.config()));
    }
}

// ---------------------------------------------------------------------------------------------
// Metrics periods

namespace {

// The EC2 launch type's tasks in a metrics period: a placed task's compute unit is not an
// EC2 instance (it is neither counted nor averaged as one); the vCPU-seconds it used are its
// container instance's (`hosted_vcpu_s`, by fleet index), as the host's CPUUtilization shows
// them on AWS. A task of c CPU units whose workers were busy a fraction f used f x c / 1024
// vCPUs. `is_task` flags the compute units (by fleet index); `busy_at` moves on for them.
void hosted_task_work(const std::vector<std::unique_ptr<EcsService>>& services,
                      const std::vector<std::unique_ptr<EcsCapacity>>& clusters, Fleet& fleet,
                      SimTime period_start, std::vector<double>& busy_at,
                      std::vector<double>& hosted_vcpu_s, std::vector<char>& is_task) {
    for (const auto& service : services) {
        EcsCapacity* capacity = nullptr;
        for (const auto& c : clusters)
            if (c->cluster() == service->spec().cluster) capacity = c.get();
        if (!capacity || !service->on_ec2()) continue;
        for (const EcsTask& t : service->tasks()) {
            if (!t.ec2 || t.host < 0 || t.instance == kNoCompute) continue;
            is_task[t.instance] = 1;
            if (t.status == TaskStatus::Stopped && t.stopped_at < period_start) continue;
            Instance& compute = fleet[t.instance];
            const double busy = compute.busy_worker_seconds();
            const double used = busy - busy_at[t.instance];
            busy_at[t.instance] = busy;
            const double units = t.need.cpu > 0 ? t.need.cpu : 1024.0;
            const std::uint32_t host =
                capacity->instances()[static_cast<std::size_t>(t.host)].instance;
            hosted_vcpu_s[host] += used / compute.config().workers * units / 1024.0;
        }
    }
}

}  // namespace

Gauges World::sample_gauges(SimTime period_start, SimTime period_end) {
    Gauges g;
    g.in_service_by_az.assign(zone_names().size(), 0);
    busy_at_period_start_.resize(fleet_.size(), 0.0);
    double cpu_sum = 0, credit_sum = 0;
    int cpu_n = 0, credit_n = 0;
    std::vector<double> hosted_vcpu_s;
    std::vector<char> is_task;
    if (!ecs_capacity_.empty()) {
        hosted_vcpu_s.assign(fleet_.size(), 0.0);
        is_task.assign(fleet_.size(), 0);
        hosted_task_work(ecs_services_, ecs_capacity_, fleet_, period_start, busy_at_period_start_,
                         hosted_vcpu_s, is_task);
    }
    // Performance: the live instances only (ascending, as the fleet); one terminated before
    // the period's end is neither pending, in service nor running: it adds nothing.
    for (std::uint32_t i : live_.refresh(fleet_, period_end)) {
        if (!is_task.empty() && is_task[i]) continue;
        Instance& inst = fleet_[i];
        const double busy = inst.busy_worker_seconds();
        double busy_in_period = busy - busy_at_period_start_[i];
        busy_at_period_start_[i] = busy;
        // A container instance's own workers serve nothing: its tasks' vCPUs are its load.
        if (!hosted_vcpu_s.empty())
            busy_in_period += hosted_vcpu_s[i] / inst.config().vcpu * inst.config().workers;
        switch (inst.lifecycle()) {
            case LifecycleState::Pending:
                ++g.pending;
                break;
            case LifecycleState::InService:
                ++g.in_service;
                ++g.in_service_by_az[inst.config().availability_zone];
                break;
            default:
                break;
        }
        if (inst.state() == InstanceState::Running) {
            // CPUUtilization: the share of the workers' time spent on requests in the period.
            const SimTime from = std::max(period_start, inst.running_since());
            const double seconds = to_seconds(period_end - from);
            if (seconds > 0) {
                cpu_sum += 100.0 * busy_in_period / (seconds * inst.config().workers);
                ++cpu_n;
            }
            if (inst.burstable()) {  // its account was brought to now by busy_worker_seconds
                credit_sum += inst.cpu_credit_balance();
                ++credit_n;
            }
        }
    }
    if (cpu_n > 0) g.cpu_percent = cpu_sum / cpu_n;
    g.has_ecs = !ecs_services_.empty();
    cloudwatch_.close_period(g);
    for (const auto& s : ecs_services_)
        g.ecs_running_tasks += s->count(TaskStatus::Running);
    if (credit_n > 0) g.cpu_credit_balance = credit_sum / credit_n;
    for (const auto& tg : target_groups_) {
        g.healthy += tg->healthy_count();
        g.unhealthy += tg->unhealthy_count();
    }
    g.has_groups = !groups_.empty();
    cost_.advance_to(period_end);
    g.cost_usd = cost_.total();
    g.accrued_usd = cost_.ledger().accrued_total();  // total() adds up the run's every line
    for (const auto& grp : groups_)
        g.desired += grp->desired_capacity();
    return g;
}

void World::close_period(SimTime end) {
    if (end <= period_start_) return;
    observer_.period_closed(period_start_, end - period_start_, sample_gauges(period_start_, end));
    period_start_ = end;
}

double World::instance_hours(bool spot) const {
    double hours = 0;
    const SimTime end = sim_.now();
    for (std::uint32_t i = 0; i < fleet_.size(); ++i) {
        const Instance& inst = fleet_[i];
        if (inst.config().spot != spot || inst.config().ecs_task) continue;
        const SimTime stop = inst.terminated_at() != kNever ? inst.terminated_at() : end;
        hours += to_seconds(stop - inst.launched_at()) / 3600.0;
    }
    return hours;
}

double World::fargate_task_hours() const {
    double hours = 0;
    const SimTime end = sim_.now();
    for (const auto& service : ecs_services_)
        for (const EcsTask& t : service->tasks()) {
            if (t.pull_started_at == kNever || t.ec2) continue;  // not billed as Fargate
            const SimTime stop = t.stopped_at != kNever ? t.stopped_at : end;
            hours += to_seconds(stop - t.pull_started_at) / 3600.0;
        }
    return hours;
}

// ---------------------------------------------------------------------------------------------
// Viewer support

std::size_t World::schedule_action(scenario::ActionSpec action) {
    if (action.at < sim_.now()) throw std::invalid_argument("an action cannot be in the past");
    // A command meets the checks of the scenario's own actions: the grammar's types and
    // ranges, the sizes in force when it applies, and the run's limits.
    scenario::Spec probe = spec_;
    probe.action.push_back(action);
    const std::string own = fmt::format("action[{}].", probe.action.size() - 1);
    for (const auto& d : scenario::check_actions(probe))
        if (d.key_path.rfind(own, 0) == 0) throw std::invalid_argument(d.message);
    const auto limits_before = check_run_limits(spec_);
    for (const auto& d : check_run_limits(probe))
        if (std::none_of(limits_before.begin(), limits_before.end(),
                         [&](const scenario::Diagnostic& b) { return b.message == d.message; }))
            throw std::invalid_argument(d.message);
    spec_.action.push_back(std::move(action));
    const auto index = static_cast<std::uint32_t>(spec_.action.size() - 1);
    // Before start() the loop of start() schedules it with the others.
    if (started_) sim_.schedule_at(spec_.action[index].at, this, kAction, index);
    return index;
}

std::size_t World::schedule_fault(scenario::FaultSpec fault) {
    if (!fault.at || *fault.at < sim_.now())
        throw std::invalid_argument("a fault needs an `at` that is not in the past");
    spec_.fault.push_back(fault);
    return faults_->add(fault, started_);
}

void World::end_fault_at(std::size_t fault, SimTime at) {
    if (fault >= spec_.fault.size() || !spec_.fault[fault].at || !spec_.fault[fault].duration)
        throw std::invalid_argument("only a fault with `at` and `duration` can end early");
    scenario::FaultSpec& f = spec_.fault[fault];
    if (at <= *f.at || at >= *f.at + *f.duration || at < sim_.now())
        throw std::invalid_argument("the fault is not in force then");
    f.duration = at - *f.at;
    faults_->end_early(fault, at);
}

}  // namespace stratus::cloud
