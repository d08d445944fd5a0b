#include "sim/cloud/world.hpp"

#include <algorithm>
#include <stdexcept>

namespace stratus::cloud {
namespace {

int zone_index(const std::vector<std::string>& zones, const std::string& name) {
    auto it = std::find(zones.begin(), zones.end(), name);
    if (it == zones.end()) throw std::logic_error("unknown availability zone " + name);
    return static_cast<int>(it - zones.begin());
}

InstanceCatalog make_catalog(const scenario::Spec& spec) {
    InstanceCatalog catalog = InstanceCatalog::builtin(spec.region.name);
    for (const auto& t : spec.instance_type) {
        InstanceTypeInfo info;
        if (const InstanceTypeInfo* base = catalog.find(t.name)) info = *base;
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
        catalog.add(std::move(info));
    }
    return catalog;
}

const scenario::LaunchTemplateSpec& find_launch_template(const scenario::Spec& spec,
                                                         const std::string& name, int version) {
    const scenario::LaunchTemplateSpec* best = nullptr;
    for (const auto& lt : spec.launch_template) {
        if (lt.name != name) continue;
        if (version > 0 ? lt.version == version : (!best || lt.version > best->version)) {
            best = &lt;
        }
    }
    if (!best) throw std::logic_error("unknown launch template " + name);
    return *best;
}

}  // namespace

World::World(const scenario::Spec& spec)
    : spec_(spec),
      catalog_(make_catalog(spec_)),
      fleet_(spec_.region.availability_zones, sim_, requests_, recorder_) {
    recorder_.set_warmup(spec_.simulation.warmup);
    const auto& zones = spec_.region.availability_zones;
    const int zone_count = static_cast<int>(zones.size());
    const std::uint64_t seed = spec_.simulation.seed;

    for (const auto& tg : spec_.target_group) {
        target_groups_.push_back(
            std::make_unique<TargetGroup>(tg, zone_count, seed, sim_, fleet_, recorder_));
    }
    auto find_tg = [&](const std::string& name) -> TargetGroup* {
        for (auto& tg : target_groups_)
            if (tg->name() == name) return tg.get();
        throw std::logic_error("unknown target group " + name);
    };

    for (const auto& lb : spec_.load_balancer) {
        std::vector<int> node_zones;
        for (const auto& z : lb.availability_zones)
            node_zones.push_back(zone_index(zones, z));
        // The first listener of the load balancer takes the workloads' traffic.
        TargetGroup* tg = nullptr;
        for (const auto& l : spec_.lb_listener) {
            if (l.load_balancer == lb.name) {
                tg = find_tg(l.target_group);
                break;
            }
        }
        load_balancers_.push_back(
            std::make_unique<LoadBalancer>(lb, std::move(node_zones), zone_count, tg, fleet_));
    }

    for (std::size_t i = 0; i < spec_.autoscaling_group.size(); ++i) {
        const auto& g = spec_.autoscaling_group[i];
        GroupLaunchSettings launch;
        launch.launch_template =
            &find_launch_template(spec_, g.launch_template, g.launch_template_version);
        const InstanceTypeInfo* type = catalog_.find(launch.launch_template->instance_type);
        if (!type) {
            throw std::logic_error("unknown instance type " +
                                   launch.launch_template->instance_type);
        }
        launch.instance_type = *type;
        std::vector<int> group_zones;
        for (const auto& z : g.availability_zones)
            group_zones.push_back(zone_index(zones, z));
        std::vector<TargetGroup*> tgs;
        for (const auto& name : g.target_groups)
            tgs.push_back(find_tg(name));
        groups_.push_back(std::make_unique<AutoScalingGroup>(
            static_cast<int>(i), g, std::move(launch), std::move(group_zones), std::move(tgs), seed,
            sim_, fleet_, recorder_));
    }

    for (std::size_t i = 0; i < spec_.workload.size(); ++i) {
        const auto& w = spec_.workload[i];
        LoadBalancer* lb = nullptr;
        for (auto& l : load_balancers_)
            if (l->name() == w.load_balancer) lb = l.get();
        if (!lb) throw std::logic_error("unknown load balancer " + w.load_balancer);
        workloads_.push_back(
            std::make_unique<Workload>(static_cast<int>(i), w, spec_.simulation.start_epoch_s, seed,
                                       horizon(), *lb, sim_, fleet_, requests_, recorder_));
    }
}

void World::start() {
    if (started_) return;
    started_ = true;
    recorder_.log().add(0, "run_started",
                        {{"scenario", spec_.simulation.name},
                         {"seed", spec_.simulation.seed},
                         {"region", spec_.region.name}});
    for (auto& g : groups_)
        g->start();
    for (auto& w : workloads_)
        w->start();
    const SimTime first_tick = std::min(spec_.simulation.metrics_period, horizon());
    sim_.schedule_at(first_tick, this, kMetricsTick);
}

void World::run_until(SimTime t) {
    if (!started_) start();
    if (finished_) return;
    sim_.run_until(std::min(t, horizon()));
    events_processed_ = sim_.events_processed();
    if (sim_.now() >= horizon() && !finished_) {
        finished_ = true;
        recorder_.log().add(horizon(), "run_ended", {{"scenario", spec_.simulation.name}});
    }
}

void World::on_event(const Event& e) {
    if (e.kind != kMetricsTick) return;
    close_period(sim_.now());
    const SimTime next = sim_.now() + spec_.simulation.metrics_period;
    if (sim_.now() < horizon()) sim_.schedule_at(std::min(next, horizon()), this, kMetricsTick);
}

report::Gauges World::sample_gauges(SimTime period_start, SimTime period_end) {
    report::Gauges g;
    g.in_service_by_az.assign(zone_names().size(), 0);
    busy_at_period_start_.resize(fleet_.size(), 0.0);
    double cpu_sum = 0;
    int cpu_n = 0;
    for (std::uint32_t i = 0; i < fleet_.size(); ++i) {
        Instance& inst = fleet_[i];
        const double busy = inst.busy_worker_seconds();
        const double busy_in_period = busy - busy_at_period_start_[i];
        busy_at_period_start_[i] = busy;
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
        }
    }
    if (cpu_n > 0) g.cpu_percent = cpu_sum / cpu_n;
    for (const auto& tg : target_groups_) {
        g.healthy += tg->healthy_count();
        g.unhealthy += tg->unhealthy_count();
    }
    g.has_groups = !groups_.empty();
    for (const auto& grp : groups_)
        g.desired += grp->desired_capacity();
    return g;
}

void World::close_period(SimTime end) {
    if (end <= period_start_) return;
    recorder_.close_period(period_start_, end - period_start_, sample_gauges(period_start_, end));
    period_start_ = end;
}

std::uint64_t World::requests_in_flight() const {
    return recorder_.arrivals() - recorder_.count(Outcome::Ok) - recorder_.errors();
}

double World::instance_hours() const {
    double hours = 0;
    const SimTime end = sim_.now();
    for (std::uint32_t i = 0; i < fleet_.size(); ++i) {
        const Instance& inst = fleet_[i];
        const SimTime stop = inst.terminated_at() != kNever ? inst.terminated_at() : end;
        hours += to_seconds(stop - inst.launched_at()) / 3600.0;
    }
    return hours;
}

}  // namespace stratus::cloud
