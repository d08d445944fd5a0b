#include "sim/view/view_model.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <map>

#include <fmt/format.h>

#include "sim/cloud/ecs_draining.hpp"
#include "sim/cloud/fluid_model.hpp"
#include "sim/core/ascii.hpp"

namespace stratus::view {
namespace {

using cloud::InstanceState;
using cloud::LifecycleState;
using cloud::TargetHealthState;

constexpr SimTime kTerminatedShown = 3 * kMinute;  // a terminated tile fades out over this
constexpr SimTime kTrafficWindow = 30 * kSecond;   // per-AZ requests/s average over this
constexpr std::size_t kAlarmPoints = 10;

double seconds(SimTime t) {
    return to_seconds(t);
}

// A field's value as the log shows it: numbers shortest (10 significant digits at most),
// text as it is, an empty optional as null.
std::string value_text(const std::string& v) {
    return v;
}
std::string value_text(const char* v) {
    return v;
}
std::string value_text(int v) {
    return std::to_string(v);
}
std::string value_text(std::uint64_t v) {
    return std::to_string(v);
}
std::string value_text(double v) {
    return fmt::format("{:.10g}", v);
}
std::string value_text(bool v) {
    return v ? "true" : "false";
}
std::string value_text(const std::optional<std::string>& v) {
    return v ? *v : "null";
}
std::string value_text(std::int64_t v) {
    return std::to_string(v);
}
std::string value_text(const scenario::SettingValue& v) {
    return std::visit([](const auto& x) { return value_text(x); }, v);
}

// Calls f(name, text) for each field of the record.
template <class F>
void for_each_field(const cloud::EventRecord& record, F&& f) {
    std::visit(
        [&f](const auto& event) {
            event.fields([&f](const char* name, const auto& v) { f(name, value_text(v)); });
        },
        record.data);
}

// A target's state as the model keeps it; for an unused target the load balancer does not use
// (Target.NotInUse), why: no load balancer uses its group, or not in its AZ.
TargetHealthState shown_state(const cloud::World& world, const cloud::TargetGroup& tg,
                              const cloud::Target& t, TargetUse& why) {
    why = TargetUse::InUse;
    if (t.state == TargetHealthState::Unused &&
        std::strcmp(t.last_failure, "Target.NotInUse") == 0) {
        bool any = false;
        for (std::size_t z = 0; z < world.zone_names().size(); ++z)
            any = any || tg.zone_in_use(static_cast<int>(z));
        why = any ? TargetUse::ZoneNotEnabled : TargetUse::GroupNotInUse;
    }
    return t.state;
}

// The target health of every instance, from the first target group that has it registered
// (Unused and not registered when none).
struct Health {
    TargetHealthState state = TargetHealthState::Unused;
    bool registered = false;
    bool not_in_use = false;  // registered, but the load balancer does not use the target
};
std::vector<Health> target_health(const cloud::World& world) {
    std::vector<Health> out(world.fleet().size());
    for (const auto& tg : world.target_groups()) {
        for (const cloud::Target& t : tg->targets()) {
            if (t.removed || t.instance >= out.size() || out[t.instance].registered) continue;
            TargetUse why = TargetUse::InUse;
            const TargetHealthState state = shown_state(world, *tg, t, why);
            out[t.instance] = Health{state, true, why != TargetUse::InUse};
        }
    }
    return out;
}

// The standalone [[instance]] entries as tiles in their AZ, in their scheduled EC2 state at
// `now` (the state their bill follows): not yet started ones are left out, a terminated one
// fades out like a group instance.
void add_standalone_tiles(const cloud::World& world, SimTime now, RegionView& out) {
    using S = scenario::InstanceState;
    const auto& zones = world.zone_names();
    const auto& spec = world.spec();
    for (std::size_t k = 0; k < spec.instance.size(); ++k) {
        const auto& in = spec.instance[k];
        const auto z = std::find(zones.begin(), zones.end(), in.availability_zone);
        if (z == zones.end() || in.schedule.empty() || in.schedule.front().first > now) continue;
        auto step = in.schedule.begin();
        for (auto it = in.schedule.begin(); it != in.schedule.end() && it->first <= now; ++it)
            step = it;
        InstanceTile t;
        t.index = static_cast<std::uint32_t>(k);
        t.standalone = true;
        t.id = in.name;
        t.zone = static_cast<int>(z - zones.begin());
        t.instance_type = in.instance_type;
        for (const auto& lt : spec.launch_template)
            if (in.instance_type.empty() && lt.name == in.launch_template)
                t.instance_type = lt.instance_type;
        t.ec2_state = cloud::to_string(step->second);
        switch (step->second) {
            case S::Pending:
                t.state = TileState::Pending;
                break;
            case S::Running:
                t.state = TileState::InService;
                break;
            case S::Stopping:
            case S::Stopped:
                t.state = TileState::Stopped;
                break;
            case S::ShuttingDown:
                t.state = TileState::Terminating;
                break;
            case S::Terminated:
                if (now - step->first >= kTerminatedShown) continue;
                t.state = TileState::Terminated;
                t.fade = 1.0 - static_cast<double>(now - step->first) / kTerminatedShown;
                break;
        }
        out.zones[t.zone].tiles.push_back(out.tiles.size());
        out.tiles.push_back(std::move(t));
    }
}

// The AZ columns, each with the load balancer nodes it holds (no traffic or tiles yet).
std::vector<ZoneView> zone_views(const cloud::World& world) {
    std::vector<ZoneView> out;
    const auto& zones = world.zone_names();
    for (std::size_t z = 0; z < zones.size(); ++z) {
        ZoneView zv;
        zv.name = zones[z];
        zv.available = world.zone_available(static_cast<int>(z));
        for (const auto& lb : world.load_balancers()) {
            const auto& nz = lb->node_zones();
            for (std::size_t n = 0; n < nz.size(); ++n)
                if (nz[n] == static_cast<int>(z))
                    zv.lb_nodes.push_back({lb->name(), lb->node_up(n)});
        }
        out.push_back(std::move(zv));
    }
    return out;
}

// Requests/s per fleet instance in fluid mode: the model's arrival rates of the running
// instances (its counters move once a step, up to a minute apart, too coarse to difference).
std::vector<double> fluid_rates(const cloud::World& world, const cloud::FluidModel& fluid) {
    const cloud::Fleet& fleet = world.fleet();
    std::vector<double> out(fleet.size(), 0.0);
    for (std::uint32_t i = 0; i < fleet.size(); ++i)
        if (fleet[i].state() == cloud::InstanceState::Running) out[i] = fluid.arrival_rate(i);
    return out;
}

// Requests/s per fleet instance in request mode: those routed to it between two samples, dt
// apart (an instance launched after the first has 0 there).
std::vector<double> sampled_rates(const std::vector<std::uint64_t>& first,
                                  const std::vector<std::uint64_t>& last, double dt) {
    std::vector<double> out(last.size(), 0.0);
    if (dt <= 0) return out;
    for (std::size_t i = 0; i < last.size(); ++i)
        out[i] = static_cast<double>(last[i] - (i < first.size() ? first[i] : 0)) / dt;
    return out;
}

// The tile state of an Auto Scaling instance that is still there (not Terminated): its EC2
// power first, then its lifecycle and target health, as the consoles would show them.
TileState fleet_tile_state(const cloud::Instance& inst, const Health& h) {
    if (inst.state() == InstanceState::Stopped || inst.state() == InstanceState::Stopping ||
        inst.state() == InstanceState::ShuttingDown)
        return TileState::Stopped;
    const TargetHealthState health = h.state;
    switch (inst.lifecycle()) {
        case LifecycleState::Pending:
            return TileState::Pending;
        case LifecycleState::InService:
            if (!h.registered || health == TargetHealthState::Healthy) return TileState::InService;
            if (h.not_in_use) return TileState::Unused;
            if (health == TargetHealthState::Initial ||
                (health == TargetHealthState::Unhealthy && inst.state() == InstanceState::Running &&
                 !inst.answers_health_check())) {
                // A fresh instance whose application is still starting is not broken:
                // it shows as initial (the target table keeps AWS's state and reason).
                return TileState::Initial;
            }
            if (health == TargetHealthState::Draining) return TileState::Draining;
            return TileState::Unhealthy;
        case LifecycleState::Terminating:
            return health == TargetHealthState::Draining ? TileState::Draining
                                                         : TileState::Terminating;
        case LifecycleState::Terminated:
            return TileState::Terminated;
    }
    return TileState::Pending;
}

// Fleet instance i as a tile, or false when it was terminated long enough ago to be gone.
bool fleet_tile(const cloud::World& world, std::uint32_t i, const Health& health,
                const std::map<std::string, double>& notice_until, InstanceTile& t) {
    const SimTime now = world.now();
    const cloud::Instance& inst = world.fleet()[i];
    t.index = i;
    t.id = inst.name();
    t.zone = inst.config().availability_zone;
    t.group = inst.config().group >= 0 ? world.groups()[inst.config().group]->name() : "";
    t.instance_type = inst.config().instance_type;
    t.spot = inst.config().spot;
    t.outstanding = inst.outstanding();
    t.queued = inst.queued();
    if (health.registered) t.target_health = cloud::to_string(health.state);
    if (inst.state() == InstanceState::Terminated) {
        if (now - inst.terminated_at() >= kTerminatedShown) return false;
        t.state = TileState::Terminated;
        t.fade = 1.0 - static_cast<double>(now - inst.terminated_at()) / kTerminatedShown;
    } else {
        t.state = fleet_tile_state(inst, health);
    }
    auto n = notice_until.find(t.id);
    if (n != notice_until.end() && t.state != TileState::Terminated)
        t.notice_left_s = std::max(0.0, n->second - seconds(now));
    return true;
}

// The tile state of an ECS task: its lastStatus first, then, while RUNNING, its target's
// health as the target group's console shows it: initial only until the first
// unhealthy_threshold checks have failed, unhealthy after that, whether the application is
// still starting or will never answer (a wrong port, a bad image). ECS's grace period keeps
// the scheduler from acting on it, not the target group from saying so.
TileState task_tile_state(cloud::TaskStatus status, const Health& h) {
    using cloud::TaskStatus;
    switch (status) {
        case TaskStatus::Provisioning:
        case TaskStatus::Pending:
            return TileState::Pending;
        case TaskStatus::Activating:
            return TileState::Initial;
        case TaskStatus::Running:
            if (!h.registered || h.state == TargetHealthState::Healthy) return TileState::InService;
            if (h.not_in_use) return TileState::Unused;
            if (h.state == TargetHealthState::Initial) return TileState::Initial;
            if (h.state == TargetHealthState::Draining) return TileState::Draining;
            return TileState::Unhealthy;
        case TaskStatus::Deactivating:
            return TileState::Draining;
        case TaskStatus::Stopping:
        case TaskStatus::Deprovisioning:
            return TileState::Terminating;
        case TaskStatus::Stopped:
            return TileState::Terminated;
    }
    return TileState::Pending;
}

// An ECS task as a tile in its AZ, or false when it stopped long enough ago to be gone.
bool task_tile(const cloud::World& world, const cloud::EcsService& service,
               const cloud::EcsTask& task, const Health& health, InstanceTile& t) {
    const SimTime now = world.now();
    if (task.status == cloud::TaskStatus::Stopped && now - task.stopped_at >= kTerminatedShown)
        return false;
    const cloud::Instance& compute = world.fleet()[task.instance];
    t.index = task.instance;
    t.task = true;
    t.id = task.id;
    t.group = service.name();
    t.zone = task.availability_zone;
    t.instance_type = fmt::format("{:g} vCPU {:g} GB", task.vcpu, task.memory_gb);
    t.spot = task.capacity_provider == scenario::EcsCapacityProvider::FargateSpot;
    t.on_ec2 = task.host >= 0;
    t.outstanding = compute.outstanding();
    t.queued = compute.queued();
    if (health.registered) t.target_health = cloud::to_string(health.state);
    t.task_status = cloud::to_string(task.status);
    t.stopped_reason = task.stopped_reason;
    t.task_definition =
        service.deployments()[static_cast<std::size_t>(task.deployment)].task_definition.family;
    if (cloud::has_container_health_checks(
            service.deployments()[static_cast<std::size_t>(task.deployment)].task_definition))
        t.task_health = cloud::to_string(task.health);
    t.state = task_tile_state(task.status, health);
    if (task.status == cloud::TaskStatus::Stopped)
        t.fade = 1.0 - static_cast<double>(now - task.stopped_at) / kTerminatedShown;
    return true;
}

// A task of the EC2 launch type that no container instance has room for yet: PROVISIONING,
// in no AZ; false when it stopped (the service stopped it before it was placed) long enough
// ago to be gone.
bool unplaced_task_tile(const cloud::World& world, const cloud::EcsService& service,
                        const cloud::EcsTask& task, InstanceTile& t) {
    const SimTime now = world.now();
    if (task.status == cloud::TaskStatus::Stopped && now - task.stopped_at >= kTerminatedShown)
        return false;
    t.index = cloud::kNoCompute;  // no fleet instance: the inspector never matches it
    t.task = true;
    t.waiting_for_instance = true;
    t.id = task.id;
    t.group = service.name();
    t.zone = -1;
    t.instance_type = fmt::format("{:g} vCPU {:g} GB", task.vcpu, task.memory_gb);
    t.task_status = cloud::to_string(task.status);
    t.stopped_reason = task.stopped_reason;
    t.task_definition =
        service.deployments()[static_cast<std::size_t>(task.deployment)].task_definition.family;
    t.state =
        task.status == cloud::TaskStatus::Stopped ? TileState::Terminated : TileState::Pending;
    if (task.status == cloud::TaskStatus::Stopped)
        t.fade = 1.0 - static_cast<double>(now - task.stopped_at) / kTerminatedShown;
    return true;
}

// The cluster's container instances (EcsCapacity) of the service, or null on Fargate.
cloud::EcsCapacity* cluster_of(const cloud::World& world, const cloud::EcsService& service) {
    if (!service.on_ec2()) return nullptr;
    for (const auto& c : world.ecs_capacity())
        if (c->cluster() == service.spec().cluster) return c.get();
    return nullptr;
}

// The fleet index of the container instance a task of the EC2 launch type was placed on; -1
// on Fargate or while it waits for one.
std::int64_t host_of(const cloud::World& world, const cloud::EcsService& service,
                     const cloud::EcsTask& task) {
    cloud::EcsCapacity* cluster = cluster_of(world, service);
    if (!cluster || !task.ec2 || task.host < 0) return -1;
    return cluster->instances()[static_cast<std::size_t>(task.host)].instance;
}

// The tile of fleet instance i (not a task's, not a standalone one), or null.
InstanceTile* fleet_tile_of(RegionView& out, std::int64_t i) {
    for (InstanceTile& t : out.tiles)
        if (!t.task && !t.standalone && static_cast<std::int64_t>(t.index) == i) return &t;
    return nullptr;
}

// Marks the tiles of the clusters' container instances, with what they registered and what
// their tasks reserve (CPU units, MiB).
void mark_container_instances(const cloud::World& world, RegionView& out) {
    for (const auto& cluster : world.ecs_capacity())
        for (const cloud::ContainerInstance& ci : cluster->instances())
            if (InstanceTile* t = fleet_tile_of(out, ci.instance)) {
                t->container_instance = true;
                t->container_status = cloud::container_instance_status(ci);
                t->cpu_registered = ci.cpu;
                t->cpu_reserved = ci.cpu_reserved;
                t->memory_registered = ci.memory;
                t->memory_reserved = ci.memory_reserved;
            }
}

// Puts a task's tile inside the tile of its container instance, `host`.
void place_on_host(RegionView& out, InstanceTile& host, InstanceTile&& t) {
    host.hosted.push_back(out.tiles.size());  // before the push: `host` may move
    out.tiles.push_back(std::move(t));
}

// A Fargate task's count in its AZ, by its lastStatus (ZoneView).
void count_task_tile(ZoneView& zv, const InstanceTile& t) {
    const std::string& s = t.task_status;
    if (s == "RUNNING") {
        ++zv.in_service;
        if (t.target_health == "unhealthy") ++zv.running_unhealthy;
    } else if (s == "PROVISIONING" || s == "PENDING" || s == "ACTIVATING") {
        ++zv.pending;
    } else if (s != "STOPPED") {
        ++zv.draining;
    }
}

// The AZ's Auto Scaling counts, as the column's header line groups them (Initial is in
// service, a Stopped instance unhealthy, Draining and Terminating leaving).
void count_tile(ZoneView& zv, TileState state) {
    switch (state) {
        case TileState::InService:
        case TileState::Initial:
        case TileState::Unused:  // InService for Auto Scaling; the load balancer ignores it
            ++zv.in_service;
            break;
        case TileState::Pending:
            ++zv.pending;
            break;
        case TileState::Unhealthy:
        case TileState::Stopped:
            ++zv.unhealthy;
            break;
        case TileState::Draining:
        case TileState::Terminating:
            ++zv.draining;
            break;
        default:
            break;
    }
}

DbView db_view(const cloud::DbInstance& db) {
    DbView d;
    d.identifier = db.identifier();
    d.state = std::string(cloud::to_string(db.state()));
    d.primary_zone = db.primary_zone();
    d.standby_zone = db.standby_zone();
    return d;
}

// A group's sizes and the cooldown and warm-up still to run at `now` (the Targets panel).
GroupView group_view(const cloud::AutoScalingGroup& g, SimTime now) {
    GroupView gv;
    gv.name = g.name();
    gv.desired = g.desired_capacity();
    gv.min_size = g.min_size();
    gv.max_size = g.max_size();
    gv.in_service = g.in_service_count();
    gv.health_check_grace_period = g.spec().health_check_grace_period;
    if (g.simple_cooldown_until() > now)
        gv.cooldown_left_s = seconds(g.simple_cooldown_until() - now);
    gv.cooldown_waiting = g.simple_cooldown_waiting();
    const SimTime warm = g.warmup_ends(g.default_warmup());
    if (warm != kNever) gv.warmup_left_s = seconds(warm - now);
    return gv;
}

Chart make_chart(const char* title, const char* unit, std::vector<const char*> names) {
    Chart c;
    c.title = title;
    c.unit = unit;
    for (const char* n : names)
        c.series.push_back(Series{n, {}, {}});
    return c;
}

// Every chart the viewer can show, before it is decided which are shown.
struct ChartSet {
    Chart requests, latency, errors, cpu, instances, health, credits, cost_rate, cost;
};

}  // namespace

bool tasks_serve(const cloud::World& world) {
    return !world.spec().ecs_service.empty() && world.spec().autoscaling_group.empty();
}

namespace {

ChartSet empty_charts(const cloud::World& world) {
    ChartSet c;
    c.requests = make_chart("Requests/s", "/s", {"requests/s"});
    c.latency = make_chart("Latency", "ms", {"p50", "p99"});
    c.errors =
        make_chart("Errors/s by code", "/s", {"500", "502", "503", "504", "connect timeout"});
    c.cpu = make_chart("CPU utilization", "%", {"CPU"});
    // A Fargate service's tasks count as in service while RUNNING: its chart says so.
    c.instances = tasks_serve(world)
                      ? make_chart("Tasks", "", {"running", "desired", "pending"})
                      : make_chart("Instances", "", {"in service", "desired", "pending"});
    // In service per AZ: the story of an outage (one AZ to 0, the others up) at a glance.
    for (const auto& z : world.zone_names())
        c.instances.series.push_back(Series{z.size() > 2 ? z.substr(z.size() - 2) : z, {}, {}});
    // The target groups' HealthyHostCount and UnHealthyHostCount (summed over groups).
    c.health = make_chart("Target health", "", {"healthy", "unhealthy"});
    // CPUCreditBalance, averaged over the running burstable instances (when there are some).
    c.credits = make_chart("CPU credit balance", "credits", {"CPUCreditBalance"});
    c.cost_rate = make_chart("Cost rate", "$/h", {"$/h"});
    c.cost = make_chart("Cost so far", "$", {"$"});
    return c;
}

// One closed metrics period: a point on every series that has a value for it.
void add_period(ChartSet& c, const report::PeriodRow& r) {
    const double t = seconds(r.start + r.length);
    const double len = seconds(r.length);
    auto put = [t](Series& s, double v) {
        s.t_s.push_back(t);
        s.v.push_back(v);
    };
    put(c.requests.series[0], static_cast<double>(r.arrivals) / len);
    if (r.p50_ms >= 0) put(c.latency.series[0], r.p50_ms);
    if (r.p99_ms >= 0) put(c.latency.series[1], r.p99_ms);
    for (int code = 1; code < cloud::kOutcomeCount; ++code)
        put(c.errors.series[code - 1], static_cast<double>(r.outcomes[code]) / len);
    if (r.gauges.cpu_percent >= 0) put(c.cpu.series[0], r.gauges.cpu_percent);
    put(c.instances.series[0], r.gauges.in_service);
    if (r.gauges.has_groups) put(c.instances.series[1], r.gauges.desired);
    put(c.instances.series[2], r.gauges.pending);
    for (std::size_t z = 0;
         z < r.gauges.in_service_by_az.size() && z + 3 < c.instances.series.size(); ++z)
        put(c.instances.series[z + 3], r.gauges.in_service_by_az[z]);
    put(c.health.series[0], r.gauges.healthy);
    put(c.health.series[1], r.gauges.unhealthy);
    if (r.gauges.cpu_credit_balance >= 0) put(c.credits.series[0], r.gauges.cpu_credit_balance);
    put(c.cost_rate.series[0], r.gauges.cost_rate_usd_per_hour);
    put(c.cost.series[0], r.gauges.cost_usd);
}

// The gauges at the playhead too (the period in progress has not closed): the headers
// then agree with the tiles.
void add_playhead(ChartSet& c, const cloud::World& world, double now_s) {
    if (world.groups().empty() ||
        (!c.instances.series[0].t_s.empty() && c.instances.series[0].t_s.back() >= now_s))
        return;
    int in_service = 0, desired = 0, pending = 0;
    for (const auto& g : world.groups()) {
        in_service += g->in_service_count();
        desired += g->desired_capacity();
        pending += g->pending_count();
    }
    auto live = [now_s](Series& s, double v) {
        s.t_s.push_back(now_s);
        s.v.push_back(v);
    };
    live(c.instances.series[0], in_service);
    live(c.instances.series[1], desired);
    live(c.instances.series[2], pending);
    int healthy = 0, unhealthy = 0;
    for (const auto& tg : world.target_groups()) {
        healthy += tg->healthy_count();
        unhealthy += tg->unhealthy_count();
    }
    live(c.health.series[0], healthy);
    live(c.health.series[1], unhealthy);
}

// The chart an alarm's metric is drawn on, and its threshold in that chart's unit (ms for
// TargetResponseTime, per second for the counts); null when no chart shows the metric.
Chart* alarm_chart(ChartSet& c, const scenario::CloudWatchMetricAlarmSpec& s, double& value) {
    const double period = s.period > 0 ? s.period : 60;
    value = s.threshold;
    if (s.metric_name == "CPUUtilization") return &c.cpu;
    if (s.metric_name == "TargetResponseTime") {
        value = s.threshold * 1000.0;
        return &c.latency;
    }
    if (s.metric_name == "RequestCount" &&
        (!s.statistic || *s.statistic == scenario::Statistic::Sum)) {
        value = s.threshold / period;
        return &c.requests;
    }
    if (s.metric_name.rfind("HTTPCode_", 0) == 0) {
        value = s.threshold / period;
        return &c.errors;
    }
    return nullptr;
}

}  // namespace

const char* to_string(TileState s) {
    switch (s) {
        case TileState::Pending:
            return "Pending";
        case TileState::InService:
            return "InService";
        case TileState::Initial:
            return "InService (initial)";
        case TileState::Unhealthy:
            return "Unhealthy";
        case TileState::Draining:
            return "Draining";
        case TileState::Terminating:
            return "Terminating";
        case TileState::Stopped:
            return "Stopped";
        case TileState::Terminated:
            return "Terminated";
        case TileState::Unused:
            return "Unused";
    }
    return "?";
}

std::string event_text(const cloud::EventRecord& record) {
    std::string out;
    for_each_field(record, [&out](const char* name, const std::string& text) {
        if (!out.empty()) out += ' ';
        out += name;
        out += '=';
        out += text;
    });
    return out;
}

std::string event_field(const cloud::EventRecord& record, const char* name) {
    std::string out;
    std::visit(
        [&](const auto& event) {
            event.fields([&](const char* field, const auto& v) {
                if (std::strcmp(field, name) == 0) out = value_text(v);
            });
        },
        record.data);
    return out;
}

ViewModel::ViewModel(const report::Run& run) {
    alarm_points_.resize(run.world().alarms().size());
    alarm_last_eval_.assign(run.world().alarms().size(), -1);
}

void ViewModel::observe(const report::Run& run) {
    const cloud::World& world = run.world();
    const SimTime now = world.now();
    if (!samples_.empty() && samples_.back().t == now) return;
    Sample s;
    s.t = now;
    const cloud::Fleet& fleet = world.fleet();
    s.routed.resize(fleet.size());
    for (std::uint32_t i = 0; i < fleet.size(); ++i)
        s.routed[i] = fleet[i].routed();
    samples_.push_back(std::move(s));
    read_new_records(run.recorder());
    while (samples_.size() > 2 && samples_[1].t <= now - 2 * kTrafficWindow)
        samples_.erase(samples_.begin());

    // Alarm datapoints: the value each evaluation rested on, once per evaluation.
    const auto alarms = world.alarms();
    alarm_points_.resize(alarms.size());
    alarm_last_eval_.resize(alarms.size(), -1);
    for (std::size_t a = 0; a < alarms.size(); ++a) {
        const SimTime interval = alarms[a]->evaluation_interval();
        const SimTime eval = now / interval * interval;
        if (eval == alarm_last_eval_[a] || eval == 0) continue;
        alarm_last_eval_[a] = eval;
        if (const auto v = alarms[a]->last_value()) {
            auto& pts = alarm_points_[a];
            pts.push_back(*v);
            if (pts.size() > kAlarmPoints) pts.erase(pts.begin());
        }
    }
}

std::vector<double> ViewModel::instance_rates(const cloud::World& world) const {
    if (const cloud::FluidModel* fluid = world.fluid()) return fluid_rates(world, *fluid);
    if (samples_.size() < 2) return std::vector<double>(world.fleet().size(), 0.0);
    // Over the last 30 s of samples (at least the last two).
    const Sample& last = samples_.back();
    const Sample* first = &samples_.front();
    for (const Sample& s : samples_) {
        if (s.t >= last.t - kTrafficWindow) {
            first = &s;
            break;
        }
    }
    if (first == &last) first = &samples_[samples_.size() - 2];
    std::vector<double> out = sampled_rates(first->routed, last.routed, seconds(last.t - first->t));
    out.resize(world.fleet().size(), 0.0);
    return out;
}

RegionView ViewModel::region(const report::Run& run) const {
    const cloud::World& world = run.world();
    RegionView out;
    const SimTime now = world.now();
    out.region = world.spec().region.name;
    out.tasks_serve = tasks_serve(world);
    out.zones = zone_views(world);
    // Requests/s per target, per AZ and in all: what the load balancers sent.
    const std::vector<double> rate = instance_rates(world);
    for (std::uint32_t i = 0; i < world.fleet().size(); ++i) {
        out.zones[world.fleet()[i].config().availability_zone].requests_per_s += rate[i];
        out.requests_per_s += rate[i];
    }
    const std::vector<Health> health_of = target_health(world);
    auto add = [&out](InstanceTile&& t) {
        ZoneView& zv = out.zones[static_cast<std::size_t>(t.zone)];
        if (t.task)
            count_task_tile(zv, t);
        else
            count_tile(zv, t.state);
        zv.tiles.push_back(out.tiles.size());
        out.tiles.push_back(std::move(t));
    };
    for (std::uint32_t i = 0; i < world.fleet().size(); ++i) {
        InstanceTile t;
        // A task's compute unit is drawn as its task, below.
        if (world.fleet()[i].config().ecs_task) continue;
        if (fleet_tile(world, i, health_of[i], notice_until_s_, t)) {
            t.requests_per_s = rate[i];
            add(std::move(t));
        }
    }
    mark_container_instances(world, out);
    // ECS tasks, in launch order, with their lastStatus: a Fargate task in its AZ, a task of
    // the EC2 launch type inside its container instance's tile (in its AZ when that is gone).
    for (const auto& service : world.ecs_services())
        for (const cloud::EcsTask& task : service->tasks()) {
            InstanceTile t;
            if (task.instance == cloud::kNoCompute) {
                if (!unplaced_task_tile(world, *service, task, t)) continue;
                out.unplaced.push_back(out.tiles.size());
                out.tiles.push_back(std::move(t));
                continue;
            }
            if (!task_tile(world, *service, task, health_of[task.instance], t)) continue;
            t.requests_per_s = rate[task.instance];
            t.host = host_of(world, *service, task);
            if (InstanceTile* host = t.host >= 0 ? fleet_tile_of(out, t.host) : nullptr)
                place_on_host(out, *host, std::move(t));
            else
                add(std::move(t));
        }
    add_standalone_tiles(world, now, out);

    for (const auto& db : world.db_instances())
        out.databases.push_back(db_view(*db));
    for (const auto& g : world.groups())
        out.groups.push_back(group_view(*g, now));
    return out;
}

double axis_top(const Chart& chart, double horizon_s) {
    if (chart.unit == "%") return 100.0;
    const double startup = std::min(600.0, 0.05 * horizon_s);
    double ymax = 0, ymax_all = 0;
    for (const auto& s : chart.series)
        for (std::size_t i = 0; i < s.v.size(); ++i) {
            ymax_all = std::max(ymax_all, s.v[i]);
            if (s.t_s[i] > startup && s.t_s[i] < horizon_s) ymax = std::max(ymax, s.v[i]);
        }
    if (ymax <= 0) ymax = ymax_all;
    for (const auto& th : chart.thresholds)
        ymax = std::max(ymax, th.value);
    if (ymax <= 0) ymax = 1;
    ymax *= 1.12;
    const double mag = std::pow(10.0, std::floor(std::log10(ymax)));
    return ymax <= mag ? mag : ymax <= 2 * mag ? 2 * mag : ymax <= 5 * mag ? 5 * mag : 10 * mag;
}

Charts ViewModel::charts(const report::Run& run) const {
    const cloud::World& world = run.world();
    Charts out;
    out.horizon_s = seconds(world.horizon());
    ChartSet c = empty_charts(world);
    for (const auto& r : run.recorder().rows())
        add_period(c, r);
    const double now_s = seconds(world.now());
    add_playhead(c, world, now_s);
    // Alarm thresholds on the chart of their metric, with the times the alarm was in ALARM.
    for (const cloud::MetricAlarm* a : world.alarms()) {
        double value = 0;
        Chart* on = alarm_chart(c, a->spec(), value);
        if (!on) continue;
        on->thresholds.push_back({a->alarm_name(), value});
        if (auto it = alarm_spans_.find(a->alarm_name()); it != alarm_spans_.end())
            on->alarm_spans.insert(on->alarm_spans.end(), it->second.begin(), it->second.end());
        if (auto it = alarm_since_.find(a->alarm_name()); it != alarm_since_.end())
            on->alarm_spans.push_back({it->second, now_s});
    }
    if (world.spec().slo.latency_p99)
        c.latency.thresholds.push_back({"SLO p99", to_millis(*world.spec().slo.latency_p99)});
    // Health only with target groups, credits only with burstable instances.
    out.charts = {c.requests, c.latency, c.errors, c.cpu, c.instances};
    if (!world.target_groups().empty()) out.charts.push_back(c.health);
    if (!c.credits.series[0].v.empty()) out.charts.push_back(c.credits);
    out.charts.push_back(c.cost_rate);
    out.charts.push_back(c.cost);

    out.markers = markers_;
    return out;
}

void ViewModel::read_new_records(const report::Recorder& recorder) {
    namespace event = cloud::event;
    const auto& records = recorder.log().records();
    // A marker for each injected fault and each change; waves of the same kind at the same
    // instant (a Spot wave's notices) make one marker.
    for (; records_read_ < records.size(); ++records_read_) {
        const cloud::EventRecord& r = records[records_read_];
        if (const auto* e = r.as<event::SpotInterruptionNotice>()) {
            notice_until_s_[e->instance] = e->interruption_at_s;
        } else if (const auto* e = r.as<event::AlarmStateChanged>()) {
            if (e->from == cloud::AlarmState::ALARM && alarm_since_.count(e->alarm)) {
                alarm_spans_[e->alarm].push_back({alarm_since_[e->alarm], seconds(r.t)});
                alarm_since_.erase(e->alarm);
            }
            if (e->to == cloud::AlarmState::ALARM) alarm_since_[e->alarm] = seconds(r.t);
        } else if (const auto* a = r.as<event::AutoScalingActivity>()) {
            activities_.push_back(ActivityView{seconds(r.t), a->autoscaling_group, a->description,
                                               a->cause, a->termination_rule});
        } else if (const auto* f = r.as<event::AutoScalingActivityFailed>()) {
            // The console's activity history lists a failed launch with its status reason.
            activities_.push_back(
                ActivityView{seconds(r.t), f->autoscaling_group, f->description, f->cause, ""});
        }
        Marker m;
        m.t_s = seconds(r.t);
        if (const auto* e = r.as<event::AzOutageStarted>()) {
            m.kind = MarkerKind::Fault;
            m.label = "AZ " + e->availability_zone + " down";
        } else if (const auto* e = r.as<event::AzOutageEnded>()) {
            m.kind = MarkerKind::Recovery;
            m.label = "AZ " + e->availability_zone + " back";
        } else if (r.as<event::InstanceFailure>()) {
            m.kind = MarkerKind::Fault;
            m.label = "instance failure";
        } else if (r.as<event::SpotInterruptionNotice>()) {
            m.kind = MarkerKind::Fault;
            m.label = "Spot notices";
        } else if (r.as<event::SpotRebalanceRecommendation>()) {
            m.kind = MarkerKind::Fault;
            m.label = "Spot rebalance recommendations";
        } else if (const auto* e = r.as<event::LatencyStarted>()) {
            m.kind = MarkerKind::Fault;
            m.label = "latency +" + value_text(e->extra_ms) + " ms";
        } else if (r.as<event::LatencyEnded>()) {
            m.kind = MarkerKind::Recovery;
            m.label = "latency over";
        } else if (r.as<event::DbFailoverInjected>()) {
            m.kind = MarkerKind::Fault;
            m.label = "DB failover";
        } else if (const auto* e = r.as<event::SettingChanged>()) {
            m.kind = MarkerKind::Change;
            const std::string weight = ".weight";
            if (e->path.rfind("lb_listener.", 0) == 0 && e->path.size() > weight.size() &&
                e->path.compare(e->path.size() - weight.size(), weight.size(), weight) == 0) {
                // lb_listener.<index>.<target group>.weight: a weighted forward shifts.
                const std::string element = e->path.substr(12, e->path.size() - 12 - weight.size());
                m.label = element.substr(element.find('.') + 1) + " weight " + value_text(e->value);
            } else if (e->path.rfind("lb_listener.", 0) == 0) {
                m.label = "listener -> " + value_text(e->value);  // blue/green swap
            } else {
                m.label = e->path.substr(e->path.find('.') + 1) + " = " + value_text(e->value);
            }
        } else if (const auto* e = r.as<event::ScheduledAction>()) {
            m.kind = MarkerKind::Change;
            m.label = e->scheduled_action_name + ": " + e->set;
        } else {
            continue;
        }
        if (!markers_.empty() && markers_.back().t_s == m.t_s && markers_.back().label == m.label)
            continue;
        markers_.push_back(std::move(m));
    }
}

std::vector<AlarmView> ViewModel::alarms(const report::Run& run) const {
    std::vector<AlarmView> out;
    const auto alarms = run.world().alarms();
    for (std::size_t i = 0; i < alarms.size(); ++i) {
        const cloud::MetricAlarm& a = *alarms[i];
        AlarmView v;
        v.name = a.alarm_name();
        v.state = cloud::to_string(a.state());
        v.metric = a.spec().metric_name + " (" + a.spec().namespace_ + ")";
        const char* op = ">=";
        switch (a.spec().comparison_operator) {
            case scenario::ComparisonOperator::GreaterThanOrEqualToThreshold:
                op = ">=";
                break;
            case scenario::ComparisonOperator::GreaterThanThreshold:
                op = ">";
                break;
            case scenario::ComparisonOperator::LessThanThreshold:
                op = "<";
                break;
            case scenario::ComparisonOperator::LessThanOrEqualToThreshold:
                op = "<=";
                break;
        }
        v.threshold = a.spec().threshold;
        v.condition =
            fmt::format("{} {:.4g} for {} of {} x {} s", op, v.threshold, a.datapoints_to_alarm(),
                        a.evaluation_periods(), to_seconds(a.period()));
        if (i < alarm_points_.size()) v.recent = alarm_points_[i];
        v.reason = a.state_reason();
        out.push_back(std::move(v));
    }
    return out;
}

std::vector<ActivityView> ViewModel::activities(const report::Run&) const {
    return activities_;
}

std::vector<LogLine> ViewModel::log(const report::Run& run, const std::string& filter,
                                    std::size_t limit) const {
    std::vector<LogLine> out;
    const std::string f = ascii_lower(filter);
    const auto& records = run.recorder().log().records();
    for (auto it = records.rbegin(); it != records.rend() && out.size() < limit; ++it) {
        LogLine line{seconds(it->t), cloud::to_string(it->kind()), event_text(*it)};
        if (!f.empty() && ascii_lower(line.type).find(f) == std::string::npos &&
            ascii_lower(line.text).find(f) == std::string::npos)
            continue;
        out.push_back(std::move(line));
    }
    std::reverse(out.begin(), out.end());
    return out;
}

InstanceDetail ViewModel::inspect(const report::Run& run, std::uint32_t instance) const {
    const cloud::World& world = run.world();
    InstanceDetail d;
    const RegionView rv = region(run);
    for (const auto& t : rv.tiles)
        if (t.index == instance) d.tile = t;
    const cloud::Instance& inst = world.fleet()[instance];
    if (d.tile.id.empty()) {
        d.tile.index = instance;
        d.tile.id = inst.name();
        d.tile.state = TileState::Terminated;
        d.tile.fade = 0;
    }
    d.ec2_state = cloud::to_string(inst.state());
    d.lifecycle = cloud::to_string(inst.lifecycle());
    d.launched_at_s = seconds(inst.launched_at());
    d.terminated_at_s = inst.terminated_at() == kNever ? -1 : seconds(inst.terminated_at());
    d.busy = inst.busy();
    d.queued = inst.queued();
    d.accepted = inst.accepted();
    // Its own lines of the bill (EC2 On-Demand or Spot at the pool's price, with the first-hour
    // waiver; CPU credits), as accrued at the last 10 s tick or at its termination.
    d.cost_so_far_usd = 0;
    for (const auto& l : world.cost().ledger().lines())
        if (l.spec.resource_id == inst.name()) d.cost_so_far_usd += l.cost;
    for (const auto& r : run.recorder().log().records()) {
        if (event_field(r, "instance") != inst.name()) continue;
        LogLine line{seconds(r.t), cloud::to_string(r.kind()), event_text(r)};
        if (const auto* h = r.as<cloud::event::TargetHealthChanged>()) {
            line.text = std::string(cloud::to_string(h->from)) + " -> " + cloud::to_string(h->to) +
                        " (" + h->reason + ")";
            d.health_checks.push_back(std::move(line));
        } else {
            if (const auto* a = r.as<cloud::event::AutoScalingActivity>())
                line.text = a->description + ": " + a->cause;
            d.lifecycle_events.push_back(std::move(line));
        }
    }
    return d;
}

std::pair<std::string, std::string> target_reason(cloud::TargetHealthState state,
                                                  const std::string& last_failure, bool checked,
                                                  TargetUse use) {
    using cloud::TargetHealthState;
    switch (state) {
        case TargetHealthState::Initial:
            if (!checked)
                return {"Elb.RegistrationInProgress", "Target registration is in progress"};
            return {"Elb.InitialHealthChecking", "Initial health checks in progress"};
        case TargetHealthState::Healthy:
            return {"", ""};
        case TargetHealthState::Unhealthy:
            if (last_failure == "Target.Timeout") return {last_failure, "Request timed out"};
            if (last_failure == "Target.ResponseCodeMismatch")
                return {last_failure, "Health checks failed with these codes: [502]"};
            return {last_failure.empty() ? "Target.FailedHealthChecks" : last_failure,
                    "Health checks failed"};
        case TargetHealthState::Draining:
            return {"Target.DeregistrationInProgress", "Target deregistration is in progress"};
        case TargetHealthState::Unused:
            if (last_failure == "Target.InvalidState")
                return {last_failure, "Target is in the stopped or terminated state"};
            if (use == TargetUse::GroupNotInUse)
                return {"Target.NotInUse",
                        "Target group is not configured to receive traffic from the load "
                        "balancer"};
            if (use == TargetUse::ZoneNotEnabled)
                return {"Target.NotInUse",
                        "Target is in an Availability Zone that is not enabled for the load "
                        "balancer"};
            return {"Target.NotRegistered", "Target is not registered to the target group"};
        case TargetHealthState::Unavailable:
            return {"Elb.InternalError", "Health checks failed due to an internal error"};
    }
    return {"", ""};
}

std::vector<TargetRow> ViewModel::targets(const report::Run& run) const {
    const cloud::World& world = run.world();
    std::vector<TargetRow> out;
    const auto& fleet = world.fleet();
    for (const auto& tg : world.target_groups()) {
        for (const cloud::Target& t : tg->targets()) {
            if (t.removed) continue;
            TargetRow row;
            row.target_group = tg->name();
            row.instance = fleet[t.instance].name();
            row.availability_zone = world.zone_names()[t.availability_zone];
            TargetUse why = TargetUse::InUse;
            const TargetHealthState state = shown_state(world, *tg, t, why);
            row.state = cloud::to_string(state);
            const bool checked = t.consecutive_ok > 0 || t.consecutive_failed > 0;
            auto [reason, description] = target_reason(state, t.last_failure, checked, why);
            row.reason = std::move(reason);
            row.description = std::move(description);
            out.push_back(std::move(row));
        }
    }
    return out;
}

}  // namespace stratus::view
