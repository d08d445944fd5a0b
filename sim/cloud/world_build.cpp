// The World's wiring: the constructor builds every component of the run from the validated
// Spec, in dependency order (what a component is handed exists before it), and works out the
// network's routes and closed flows once. The running World is in world.cpp.
//
// Sections:
//   The constructor            the catalog, Spot traces and launch templates it reads
//   EC2, ELB, RDS, workloads   target groups and load balancers, groups, databases, traffic
//   Policies, faults, S3, fluid
//   The network                routes of the instances' traffic, closed flows
//   ECS                        capacity providers, services, Service Auto Scaling
#include "sim/cloud/world.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/cloud/fluid_model.hpp"
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

// A Fargate task goes to the first of the service's subnets in its AZ: that subnet's way to
// its image's registry decides its pull (by AZ index of the region).
std::vector<PullPath> image_pull_by_zone(const scenario::Spec& spec,
                                         const scenario::EcsServiceSpec& s) {
    const auto& zones = spec.region.availability_zones;
    std::vector<PullPath> why(zones.size());
    std::vector<char> seen(zones.size(), 0);
    for (const auto& name : s.subnets)
        for (const auto& sn : spec.subnet) {
            if (sn.name != name) continue;
            const auto z = static_cast<std::size_t>(zone_index(zones, sn.availability_zone));
            if (z >= zones.size() || seen[z]) continue;
            seen[z] = 1;
            why[z] = fargate_pull_path(spec, s, sn);
        }
    return why;
}

// The EC2 launch type: a group's instances in an AZ are in the first of its subnets there;
// that subnet's way to the registry decides their tasks' pulls of `image` (by group, then AZ
// index).
std::vector<std::vector<PullPath>> instance_pull_by_group_zone(const scenario::Spec& spec,
                                                               const std::string& image) {
    const auto& zones = spec.region.availability_zones;
    std::vector<std::vector<PullPath>> out;
    for (const auto& g : spec.autoscaling_group) {
        std::vector<PullPath> why(zones.size());
        std::vector<char> seen(zones.size(), 0);
        for (const auto& name : g.subnets)
            for (const auto& sn : spec.subnet) {
                if (sn.name != name) continue;
                const auto z = static_cast<std::size_t>(zone_index(zones, sn.availability_zone));
                if (z >= zones.size() || seen[z]) continue;
                seen[z] = 1;
                why[z] = instance_pull_path(spec, g, sn, image);
            }
        out.push_back(std::move(why));
    }
    return out;
}

// A group's instances in an AZ are in the first of its subnets there (by AZ index; empty:
// none there): attribute:ecs.subnet-id of its container instances.
std::vector<std::string> subnet_by_zone(const scenario::Spec& spec, const std::string& group) {
    const auto& zones = spec.region.availability_zones;
    std::vector<std::string> out(zones.size());
    for (const auto& g : spec.autoscaling_group) {
        if (g.name != group) continue;
        for (const auto& name : g.subnets)
            for (const auto& sn : spec.subnet) {
                if (sn.name != name) continue;
                const auto z = static_cast<std::size_t>(zone_index(zones, sn.availability_zone));
                if (z < out.size() && out[z].empty()) out[z] = sn.name;
            }
    }
    return out;
}

// Why the ECS agent of a group's instance in each AZ (in subnet_by_zone's subnet there) cannot
// register it (network.hpp, agent_registration_blocked); empty: it can, or none is there.
std::vector<std::string> agent_blocked_by_zone(const scenario::Spec& spec,
                                               const scenario::AutoScalingGroupSpec& group,
                                               const std::vector<std::string>& subnet_by_zone) {
    std::vector<std::string> out(subnet_by_zone.size());
    for (std::size_t z = 0; z < out.size(); ++z)
        for (const auto& sn : spec.subnet)
            if (!subnet_by_zone[z].empty() && sn.name == subnet_by_zone[z])
                out[z] = agent_registration_blocked(spec, group, sn);
    return out;
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

World::~World() = default;

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
                   ecs_capacity_, policies_, ecs_policies_},
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
    traffic_ =
        std::make_unique<TrafficBilling>(spec_, load_balancers_, workloads_, build_routes(), cost_);
    close_flows();
    if (spec_.simulation.fidelity == scenario::Fidelity::Fluid) build_fluid();
}

// ---------------------------------------------------------------------------------------------
// EC2, ELB, RDS and the workloads

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
        // Its listeners in the scenario's order: the first takes the workloads that name no
        // listener_port, the others those that name theirs.
        std::vector<std::vector<LoadBalancer::Forward>> listeners;
        for (const auto& l : spec_.lb_listener) {
            if (l.load_balancer != lb.name) continue;
            listeners.emplace_back();
            for (const auto& f : scenario::forwards_of(l))
                listeners.back().push_back({find_target_group(f.arn), f.weight});
        }
        if (listeners.empty()) listeners.emplace_back();
        load_balancers_.push_back(std::make_unique<LoadBalancer>(
            static_cast<std::uint16_t>(load_balancers_.size()), lb, std::move(node_zones),
            zone_count, std::move(listeners.front()), seed, fleet_));
        for (std::size_t i = 1; i < listeners.size(); ++i)
            load_balancers_.back()->add_listener(std::move(listeners[i]));
    }
    mark_zones_in_use(load_balancers_, target_groups_);
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
        workloads_.back()->set_listener(scenario::listener_of(spec_, w));
        for (auto& db : dbs_)
            if (db->identifier() == w.database) workloads_.back()->set_database(db.get());
    }
    const MessageBytes bytes = mean_message_bytes(spec_);
    cloudwatch_.set_message_bytes(bytes.request, bytes.response);
    // The applications' AWS calls, decided once here by the scenario's IAM.
    if (std::any_of(spec_.workload.begin(), spec_.workload.end(),
                    [](const scenario::WorkloadSpec& w) { return !w.aws_call.empty(); })) {
        aws_calls_ = std::make_unique<AwsCalls>(spec_, observer_);
        for (std::size_t i = 0; i < workloads_.size(); ++i)
            if (!spec_.workload[i].aws_call.empty())
                workloads_[i]->set_aws_calls(aws_calls_.get(), i);
    }
}

// ---------------------------------------------------------------------------------------------
// Policies, faults, S3 and fluid mode

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
    // metrics are 1-minute metrics on AWS; the 10 s slice serves high-resolution alarms. A
    // 10 s or 30 s metrics period is an output's resolution: its rows close at ticks between
    // the slices (FluidModel::checkpoint), the fluid steps, CPU noise, CloudWatch, alarms and
    // bill keep the minute, as at a one-minute period. ECS services' CPU and memory gauges
    // are sampled at each slice's publication: with them a short period keeps 10 s slices.
    const SimTime period = spec_.simulation.metrics_period;
    bool sub_minute = period % kMinute != 0 && !ecs_services_.empty();
    for (const MetricAlarm* a : alarms())
        sub_minute = sub_minute || a->period() < kMinute;
    if (!sub_minute) metric_slice_ = kMinute;
    tick_ = std::gcd(metric_slice_, period);
    fluid_ =
        std::make_unique<FluidModel>(spec_, sim_, fleet_, accounting_, workloads_, metric_slice_);
    cloudwatch_.set_fluid(fluid_.get(), spec_.simulation.seed);
    for (auto& tg : target_groups_)
        tg->set_routing_observer(fluid_.get());
    for (auto& lb : load_balancers_)
        lb->set_routing_observer(fluid_.get());
    for (auto& db : dbs_)
        db->set_routing_observer(fluid_.get());
}

// ---------------------------------------------------------------------------------------------
// The network

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
            for (const auto* subnet : subnets_of(placements[p].subnets)) {
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
TrafficRoutes World::build_routes() {
    const auto& zones = spec_.region.availability_zones;
    const auto placements = placements_of_instances();
    TrafficRoutes out;
    out.internet.assign(placements.size() * zones.size(), -1);
    out.services.assign(out.internet.size() * 2, -1);
    for (std::size_t p = 0; p < placements.size(); ++p) {
        for (const auto* subnet : subnets_of(placements[p].subnets)) {
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
            out.internet[k] = route;
            // S3 and DynamoDB: a gateway endpoint in the subnet's route table takes the
            // traffic (free), else the subnet's route (a NAT gateway processes it; the
            // transfer to a service of the region is free).
            for (int s = 0; s < 2; ++s) {
                const auto service =
                    s == 0 ? scenario::EndpointService::S3 : scenario::EndpointService::DynamoDB;
                int via = route;
                for (const auto& e : spec_.vpc_endpoint)
                    if (e.service_name == service &&
                        e.vpc_endpoint_type == scenario::EndpointType::Gateway &&
                        std::find(e.subnets.begin(), e.subnets.end(), sn.name) != e.subnets.end())
                        via = -1;
                out.services[2 * k + static_cast<std::size_t>(s)] = via;
            }
        }
    }
    for (auto& w : workloads_)
        w->track_outbound(static_cast<int>(groups_.size()), static_cast<int>(ecs_services_.size()),
                          static_cast<int>(zones.size()));
    close_calls_out();
    return out;
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
        out.push_back({spec_.autoscaling_group[g].subnets,
                       launch_security_groups(spec_, spec_.autoscaling_group[g])});
    for (const auto& s : ecs_services_) {
        Placement p;
        ecs_task_network(spec_, s->spec(), p.security_groups, p.subnets);
        out.push_back(std::move(p));
    }
    return out;
}

// Networking: a flow no security group or route allows times out, as on AWS; a closed flow to
// the database or out of the VPC fails the requests behind their targets (500).
void World::close_flows() {
    for (const Flow& f : analyse_flows(spec_)) {
        if (f.open) continue;
        closed_flows_.push_back(f);
        if (f.kind == Flow::InternetToLoadBalancer) {
            // Only the clients of that listener, from that block, time out.
            for (std::size_t i = 0; i < workloads_.size(); ++i) {
                const auto& w = spec_.workload[i];
                if (w.load_balancer == f.to && scenario::listener_port_of(spec_, w) == f.port &&
                    w.client_cidr == f.client_cidr)
                    workloads_[i]->set_load_balancer_unreachable(true);
            }
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

// ---------------------------------------------------------------------------------------------
// ECS (and the group lookup it shares with the policies)

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
                    pr.subnet_by_zone = subnet_by_zone(spec_, p.auto_scaling_group);
                    for (const auto& g : spec_.autoscaling_group)
                        if (g.name == p.auto_scaling_group)
                            pr.agent_blocked = agent_blocked_by_zone(spec_, g, pr.subnet_by_zone);
                    providers.push_back(std::move(pr));
                }
        }
        if (providers.empty()) continue;
        ecs_capacity_.push_back(std::make_unique<EcsCapacity>(cluster.name, std::move(providers),
                                                              spec_.simulation.seed, sim_, fleet_));
        ecs_capacity_.back()->set_observer(&observer_);
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
        for (const auto& c : spec_.ecs_cluster)
            if (c.name == s.cluster)
                ecs_services_.back()->set_container_insights(scenario::container_insights(c));
        ecs_services_.back()->set_index(static_cast<int>(ecs_services_.size() - 1));
        if (!ec2) {
            ecs_services_.back()->set_image_pull_paths(image_pull_by_zone(spec_, s));
            continue;
        }
        std::vector<int> providers;
        for (const auto& item : s.capacity_provider_strategy)
            providers.push_back(capacity->provider_index(item.auto_scaling_group_provider));
        ecs_services_.back()->set_capacity(capacity, std::move(providers));
        ecs_services_.back()->set_instance_pull_paths(
            instance_pull_by_group_zone(spec_, first_image(*td)));
        ecs_services_.back()->set_image_cache(&image_cache_);
        capacity->add_service(ecs_services_.back().get());
    }
}

}  // namespace stratus::cloud
