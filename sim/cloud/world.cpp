#include "sim/cloud/world.hpp"

#include <algorithm>
#include <cmath>
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
                                                  closed_flow_effect(f)});
    // Container instances whose ECS agent cannot reach ECS from their subnet (by AZ).
    for (const auto& c : ecs_capacity_)
        for (const auto& p : c->providers())
            for (std::size_t z = 0; z < p.agent_blocked.size(); ++z)
                if (!p.agent_blocked[z].empty())
                    observer_.log(0,
                                  event::NetworkFlowClosed{
                                      "container_instance_to_ecs", p.group->name(), "ecs", 443,
                                      fmt::format("from subnet {}: {}", p.subnet_by_zone[z],
                                                  p.agent_blocked[z]),
                                      "the ECS agent cannot register the container instances there "
                                      "with the cluster: no task is placed on them"});
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
    sim_.schedule_first_at(std::min(tick_, horizon()), this, kTick);
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
    s3_denials_.start(sim_, observer_, s3_buckets_, horizon());
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
            if (now % metric_slice_ == 0 || now >= horizon()) {
                if (fluid_) fluid_->advance_to(now);  // fluid mode: the slice's traffic first
                live_.refresh(fleet_, slice_start_);
                cloudwatch_.publish(slice_start_, now);
                bill_slice(slice_start_, now);
                slice_start_ = now;
                cloudwatch_.evaluate_alarms(now);
                // Performance: with no latency fault so far every instance's extra latency is 0.
                if (latency_faults_seen_) apply_latency();
            } else if (fluid_) {
                fluid_->checkpoint(now);  // a period's end within the slice: its traffic
            }
            if (now < horizon() && now - period_start_ >= spec_.simulation.metrics_period)
                close_period(now);
            if (now < horizon())
                sim_.schedule_first_at(std::min(now + tick_, horizon()), this, kTick);
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
    traffic_->bill(slice_start, slice_end, cloudwatch_.lb_slices());
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
    latency_faults_seen_ = true;
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
    fleet_.note_state_change();
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
    // Performance: the last period's vector (close_period gives it back), not a new one (a
    // fluid month at 10 s periods closes 259,200 periods).
    g.in_service_by_az = std::move(in_service_by_az_);
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
    // Performance: the period's length in seconds once, for the instances running all of it
    // (the same division each made; a month at 10 s periods made ~30 million).
    const double period_seconds = to_seconds(period_end - period_start);
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
            const SimTime from = inst.running_since();
            const double seconds =
                from <= period_start ? period_seconds : to_seconds(period_end - from);
            if (seconds > 0) {
                cpu_sum += 100.0 * busy_in_period / (seconds * inst.config().workers);
                ++cpu_n;
            }
            if (inst.burstable()) {  // its account was brought to now by busy_worker_seconds
                credit_sum += inst.cpu_credit_balance_accounted();
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
    // Performance: the bill's lines accrue at the slices (and every period in request mode);
    // a period's end within a fluid slice reads the running rate instead (a month at 10 s
    // periods accrued every running line 259,200 times).
    if (!fluid_ || period_end == slice_start_) cost_.advance_to(period_end);
    g.cost_usd = cost_.total();
    g.accrued_usd = cost_.ledger().accrued_total() + cost_.ledger().unaccrued_cost(period_end);
    for (const auto& grp : groups_)
        g.desired += grp->desired_capacity();
    return g;
}

void World::close_period(SimTime end) {
    if (end <= period_start_) return;
    Gauges g = sample_gauges(period_start_, end);
    observer_.period_closed(period_start_, end - period_start_, g);
    in_service_by_az_ = std::move(g.in_service_by_az);
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
