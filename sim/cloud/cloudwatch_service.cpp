#include "sim/cloud/cloudwatch_service.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "sim/cloud/events.hpp"
#include "sim/cloud/fluid_model.hpp"

namespace stratus::cloud {
namespace {

MetricKey key(const char* ns, const char* metric, std::map<std::string, std::string> dimensions) {
    return MetricKey{ns, metric, std::move(dimensions)};
}

// The 10 s samples a span of time stands for (at least one): 1 in request mode's 10 s
// slices, up to 6 in fluid mode's 60 s ones.
std::uint64_t tenths(SimTime span) {
    return static_cast<std::uint64_t>(
        std::max<SimTime>(1, (span + MetricStore::kSlice - 1) / MetricStore::kSlice));
}

}  // namespace

CloudWatchService::CloudWatchService(CloudWatchSources sources, RunObserver& observer)
    : src_(sources), observer_(observer) {}

void CloudWatchService::build_alarms(const std::vector<scenario::CloudWatchMetricAlarmSpec>& specs,
                                     std::int64_t start_epoch_s) {
    for (const auto& a : specs) {
        AlarmOptions options;
        options.start_epoch_s = start_epoch_s;
        alarms_.push_back(std::make_unique<MetricAlarm>(a, options));
    }
    for (const MetricAlarm* a : alarms())
        a->track_metric(metrics_);
}

// Request mode counts requests that arrive as a Poisson process (ArrivalProcess), so a
// slice's RequestCount is a Poisson count: at 54,000 requests a minute it is 54,000 give or
// take 232. The fluid mode's count is the expected one, exactly. Where a decision is a
// ceiling of the count (target tracking on ALBRequestCountPerTarget: 40 targets x 1,350 /
// 1,800 = 30.0 scales in to 30; request mode's noisy 1,357 gives 31, as likely as 30) the
// exact mean sits on the ceiling's edge and decides one way every time. So CloudWatch's
// request counts are drawn: Poisson by inversion below a mean of 64, else the normal
// approximation rounded (its error there is under 1 % of a standard deviation). Only the
// metrics read it: the bill, the rows and the run's counts keep the model's requests.
std::uint64_t CloudWatchService::sampled_count(std::uint64_t expected) {
    if (!fluid_ || expected == 0) return expected;
    const double mean = static_cast<double>(expected);
    if (mean < 64) {
        double u = count_noise_.uniform01();
        double p = std::exp(-mean);
        std::uint64_t k = 0;
        while (u >= p && k < 1000) {
            u -= p;
            ++k;
            p *= mean / static_cast<double>(k);
        }
        return k;
    }
    const double draw = std::round(count_noise_.normal(mean, std::sqrt(mean)));
    return static_cast<std::uint64_t>(std::max(0.0, draw));
}

void CloudWatchService::set_message_bytes(double request_bytes, double response_bytes) {
    request_bytes_ = request_bytes;
    response_bytes_ = response_bytes;
}

std::vector<const MetricAlarm*> CloudWatchService::alarms() const {
    std::vector<const MetricAlarm*> out;
    for (const auto& a : alarms_)
        out.push_back(a.get());
    for (const auto& p : src_.policies) {
        if (auto* a = p->high_alarm()) out.push_back(a);
        if (auto* a = p->low_alarm()) out.push_back(a);
    }
    for (const auto& p : src_.ecs_policies) {
        if (auto* a = p->high_alarm()) out.push_back(a);
        if (auto* a = p->low_alarm()) out.push_back(a);
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Publication

template <class MakeKey>
void CloudWatchService::put(LazySeries& s, SimTime t, double value, std::uint64_t samples,
                            const MakeKey& make_key) {
    if (!s.resolved) {
        s.id = metrics_.find(make_key());
        s.resolved = true;
    }
    if (s.id) metrics_.put(*s.id, t, value, samples);
}

void CloudWatchService::publish(SimTime slice_start, SimTime slice_end) {
    count_instance_requests();
    // Before publish_ec2 moves busy_at_slice_start_ on.
    publish_ecs(slice_start, slice_end);
    publish_capacity_providers(slice_start);
    publish_ec2(slice_start, slice_end);
    // Gauges are sampled (one sample per 10 s), counts are the slice's total (one sample).
    const std::uint64_t gauge_samples = tenths(slice_end - slice_start);
    publish_autoscaling(slice_start, gauge_samples);
    lb_responses_at_start_.resize(src_.load_balancers.size());
    lb_slices_.resize(src_.load_balancers.size());
    for (std::size_t b = 0; b < src_.load_balancers.size(); ++b)
        publish_load_balancer(b, slice_start, gauge_samples);
    for (std::uint32_t i : src_.live.ids())
        accepted_[i] = routed_[i] = 0;  // zero outside the live instances for the next slice
}

void CloudWatchService::count_instance_requests() {
    const Fleet& fleet = src_.fleet;
    busy_at_slice_start_.resize(fleet.size(), 0.0);
    accepted_at_start_.resize(fleet.size(), 0);
    routed_at_start_.resize(fleet.size(), 0);
    accepted_.resize(fleet.size(), 0);
    routed_.resize(fleet.size(), 0);
    for (std::uint32_t i : src_.live.ids()) {
        accepted_[i] = fleet[i].accepted() - accepted_at_start_[i];
        accepted_at_start_[i] = fleet[i].accepted();
        const std::uint64_t routed_total = fluid_ ? fluid_->routed(i) : fleet[i].routed();
        routed_[i] = routed_total - routed_at_start_[i];
        routed_at_start_[i] = routed_total;
    }
}

// A task of c CPU units whose workers were busy a fraction f used f x c / 1024 of its
// container instance's vCPUs: on AWS the instance's CPUUtilization shows its tasks' work.
void CloudWatchService::add_hosted_task_work(SimTime slice_start) {
    hosted_vcpu_s_.resize(src_.fleet.size(), 0.0);
    for (const auto& service : src_.ecs_services) {
        if (!service->on_ec2()) continue;
        for (const EcsTask& t : service->tasks()) {
            if (t.status == TaskStatus::Stopped && t.stopped_at < slice_start) continue;
            const std::uint32_t host = service->host_instance(t);
            if (host == kNoCompute || t.instance == kNoCompute) continue;
            Instance& compute = src_.fleet[t.instance];
            const double used = compute.busy_worker_seconds() - busy_at_slice_start_[t.instance];
            if (used <= 0) continue;
            const double units = t.need.cpu > 0 ? t.need.cpu : 1024.0;
            if (hosted_vcpu_s_[host] == 0) hosts_.push_back(host);
            hosted_vcpu_s_[host] += used / compute.config().workers * units / 1024.0;
        }
    }
}

// AWS/EC2 per instance, and aggregated by group (CloudWatch's AutoScalingGroupName). A
// container instance's own workers serve nothing: its tasks' vCPUs are its load.
void CloudWatchService::publish_ec2(SimTime slice_start, SimTime slice_end) {
    const double seconds = to_seconds(slice_end - slice_start);
    const double per_minute = 60.0 / seconds;  // NetworkIn and NetworkOut: bytes per minute
    if (!src_.ecs_capacity.empty() && !metrics_.empty()) add_hosted_task_work(slice_start);
    for (std::uint32_t i : src_.live.ids()) {
        Instance& inst = src_.fleet[i];
        const double busy = inst.busy_worker_seconds();
        double delta = busy - busy_at_slice_start_[i];
        busy_at_slice_start_[i] = busy;
        if (i < hosted_vcpu_s_.size() && hosted_vcpu_s_[i] > 0)
            delta += hosted_vcpu_s_[i] / inst.config().vcpu * inst.config().workers;
        // Building a metric's key costs allocations: skip it when no alarm watches anything.
        if (inst.state() != InstanceState::Running || metrics_.empty()) continue;
        const SimTime from = std::max(slice_start, inst.running_since());
        const double up = to_seconds(slice_end - from);
        if (up <= 0) continue;
        // Fluid mode's 60 s slice stands for the 10 s samples the instance would have given.
        const std::uint64_t samples = tenths(slice_end - from);
        const double cpu = std::min(100.0, 100.0 * delta / (up * inst.config().workers));
        // Performance: the resolved series without a call (every instance, every slice).
        const InstanceSeries& ids = i < instance_series_.size() && instance_series_[i].resolved
                                        ? instance_series_[i]
                                        : instance_series(i);
        if (ids.cpu) metrics_.put(*ids.cpu, slice_start, cpu, samples);
        if (inst.burstable()) {
            // Its account was brought to now by busy_worker_seconds above.
            const double balance = inst.cpu_credit_balance_accounted();
            if (ids.credit) metrics_.put(*ids.credit, slice_start, balance, samples);
            if (ids.group_credit) metrics_.put(*ids.group_credit, slice_start, balance, samples);
        }
        // The group's aggregate leaves out instances still warming up (AWS: an instance
        // contributes to the group's aggregated metrics once its warm-up has passed).
        const SimTime warmed_from = std::max(from, inst.group_metrics_from());
        if (inst.config().group < 0 || inst.lifecycle() != LifecycleState::InService ||
            warmed_from >= slice_end)
            continue;
        const std::uint64_t warmed_samples = tenths(slice_end - warmed_from);
        // A fluid minute the warm-up ends in stands for its warmed 10 s samples only: their
        // CPU is the warmed part's (request mode's samples before it are left out, and a new
        // target's first seconds are idle ones).
        double group_cpu = cpu;
        if (inst.fluid() && warmed_from > from)
            group_cpu =
                std::min(100.0, 100.0 * inst.busy_worker_seconds_warmed() /
                                    (to_seconds(slice_end - warmed_from) * inst.config().workers));
        if (ids.group_cpu) metrics_.put(*ids.group_cpu, slice_start, group_cpu, warmed_samples);
        // NetworkIn and NetworkOut: bytes per minute (detailed monitoring), from the requests
        // it took and the responses to them (counted when it takes them, as the bill's data
        // transfer out is).
        const double network_in = accepted_[i] * request_bytes_ * per_minute;
        const double network_out = accepted_[i] * response_bytes_ * per_minute;
        if (ids.group_network_in)
            metrics_.put(*ids.group_network_in, slice_start, network_in, warmed_samples);
        if (ids.group_network_out)
            metrics_.put(*ids.group_network_out, slice_start, network_out, warmed_samples);
    }
    for (std::uint32_t h : hosts_)
        hosted_vcpu_s_[h] = 0;
    hosts_.clear();
}

const CloudWatchService::InstanceSeries& CloudWatchService::instance_series(std::uint32_t i) {
    const Fleet& fleet = src_.fleet;
    if (instance_series_.size() <= i) instance_series_.resize(fleet.size());
    InstanceSeries& ids = instance_series_[i];
    if (ids.resolved) return ids;
    ids.resolved = true;
    const Instance& inst = fleet[i];
    ids.cpu = metrics_.find(key("AWS/EC2", "CPUUtilization", {{"InstanceId", inst.name()}}));
    ids.credit = metrics_.find(key("AWS/EC2", "CPUCreditBalance", {{"InstanceId", inst.name()}}));
    if (inst.config().group >= 0) {
        const std::string& g = src_.groups[inst.config().group]->name();
        ids.group_cpu =
            metrics_.find(key("AWS/EC2", "CPUUtilization", {{"AutoScalingGroupName", g}}));
        ids.group_network_in =
            metrics_.find(key("AWS/EC2", "NetworkIn", {{"AutoScalingGroupName", g}}));
        ids.group_network_out =
            metrics_.find(key("AWS/EC2", "NetworkOut", {{"AutoScalingGroupName", g}}));
        ids.group_credit =
            metrics_.find(key("AWS/EC2", "CPUCreditBalance", {{"AutoScalingGroupName", g}}));
    }
    return ids;
}

void CloudWatchService::publish_autoscaling(SimTime slice_start, std::uint64_t samples) {
    group_series_.resize(src_.groups.size());
    for (std::size_t k = 0; k < src_.groups.size(); ++k) {
        const AutoScalingGroup& g = *src_.groups[k];
        GroupSeries& s = group_series_[k];
        auto asg = [&g](const char* name) {
            return [&g, name] {
                return key("AWS/AutoScaling", name, {{"AutoScalingGroupName", g.name()}});
            };
        };
        put(s.desired, slice_start, g.desired_capacity(), samples, asg("GroupDesiredCapacity"));
        put(s.in_service, slice_start, g.in_service_count(), samples,
            asg("GroupInServiceInstances"));
        put(s.pending, slice_start, g.pending_count(), samples, asg("GroupPendingInstances"));
    }
}

// AWS/ApplicationELB by LoadBalancer, from what this load balancer's clients got back:
// published only when requests flow, as ELB does. HTTPCode_Target_5XX_Count: the 5xx targets
// sent (the application's 500, a full queue's 503: ResponseCounts::target_errors); the rest
// of the 5xx (502, 504, the 503 for want of a target) are the load balancer's own,
// HTTPCode_ELB_5XX_Count: "originate from the load balancer", not including "any response
// codes generated by the targets" (ELB guide).
void CloudWatchService::publish_load_balancer(std::size_t b, SimTime slice_start,
                                              std::uint64_t samples) {
    const LoadBalancer& lb = *src_.load_balancers[b];
    const ResponseCounts& responses = lb.responses();
    ResponseCounts& before = lb_responses_at_start_[b];
    const std::uint64_t ok = responses.ok() - before.ok();
    const std::uint64_t errors = responses.errors() - before.errors();
    const std::uint64_t target_5xx = responses.target_errors() - before.target_errors();
    const std::uint64_t elb_5xx = errors - target_5xx;
    const double latency = responses.response_time_sum_s - before.response_time_sum_s;
    before = responses;
    // Each target group of the first listener's forward (a weighted forward has several): its
    // metrics, and its targets' counts into the load balancer's slice; then the other
    // listeners'.
    LbSlice& slice = lb_slices_[b];
    slice = LbSlice{};
    published_groups_.clear();
    for (const LoadBalancer::Forward& forward : lb.forwards()) {
        publish_target_group(b, *forward.group, slice_start, samples, slice);
        published_groups_.push_back(forward.group->index());
    }
    // The other listeners' target groups (a second port's, as blue/green's temporary port has):
    // ELB publishes a target group's metrics by TargetGroup and by TargetGroup and LoadBalancer
    // for every target group a listener of the load balancer forwards to, once per pair. Their
    // requests are the load balancer's too: its RequestCount and the LCU bill (lb_slices) count
    // every listener's target groups, each once.
    for (std::size_t l = 1; l < lb.listener_count(); ++l)
        for (const LoadBalancer::Forward& forward : lb.forwards(l)) {
            const std::uint16_t g = forward.group->index();
            if (std::find(published_groups_.begin(), published_groups_.end(), g) !=
                published_groups_.end())
                continue;
            published_groups_.push_back(g);
            publish_target_group(b, *forward.group, slice_start, samples, slice);
        }
    lb_series_.resize(src_.load_balancers.size());
    LbSeries& s = lb_series_[b];
    auto lb_key = [&lb](const char* name) {
        return [&lb, name] {
            return key("AWS/ApplicationELB", name, {{"LoadBalancer", lb.name()}});
        };
    };
    // CloudWatch's RequestCount: "only incremented for requests where the load balancer node
    // was able to choose a target"; a target's 502, 503 or 504 counts, a 503 for want of a
    // healthy target does not.
    if (slice.routed > 0)
        put(s.request_count, slice_start, static_cast<double>(slice.routed_sampled), 1,
            lb_key("RequestCount"));
    if (ok > 0)
        put(s.response_time, slice_start, latency / ok, samples, lb_key("TargetResponseTime"));
    if (elb_5xx > 0)
        put(s.elb_5xx, slice_start, static_cast<double>(elb_5xx), 1,
            lb_key("HTTPCode_ELB_5XX_Count"));
    if (ok > 0)
        put(s.target_2xx, slice_start, static_cast<double>(ok), 1,
            lb_key("HTTPCode_Target_2XX_Count"));
    if (target_5xx > 0)
        put(s.target_5xx, slice_start, static_cast<double>(target_5xx), 1,
            lb_key("HTTPCode_Target_5XX_Count"));
}

void CloudWatchService::publish_target_group(std::size_t b, const TargetGroup& tg,
                                             SimTime slice_start, std::uint64_t samples,
                                             LbSlice& out) {
    // Performance: the targets that may still add something, a compact list kept per target
    // group. A target removed from the group whose instance was terminated before this slice
    // adds nothing (no request taken in the slice, none outstanding), so it leaves the list
    // for good; the sums are of whole numbers, so their order does not matter.
    const Fleet& fleet = src_.fleet;
    const auto& targets = tg.targets();
    target_scan_.resize(src_.target_groups.size());
    TargetScan& scan = target_scan_[tg.index()];
    for (; scan.known < targets.size(); ++scan.known)
        scan.targets.push_back(scan.known);
    scan.targets.erase(std::remove_if(scan.targets.begin(), scan.targets.end(),
                                      [&](std::uint32_t k) {
                                          const Target& t = targets[k];
                                          const Instance& inst = fleet[t.instance];
                                          return t.removed &&
                                                 inst.state() == InstanceState::Terminated &&
                                                 inst.terminated_at() < slice_start;
                                      }),
                       scan.targets.end());
    std::uint64_t requests = 0, chosen = 0;
    for (std::uint32_t k : scan.targets) {
        const Target& t = targets[k];
        requests += accepted_[t.instance];
        chosen += routed_[t.instance];
        out.outstanding += fleet[t.instance].outstanding();
    }
    out.accepted += requests;
    out.routed += chosen;
    const std::uint64_t counted = sampled_count(chosen);
    out.routed_sampled += counted;
    const std::size_t groups = src_.target_groups.size();
    tg_series_.resize(src_.load_balancers.size() * groups);
    TgSeries& s = tg_series_[b * groups + tg.index()];
    const LoadBalancer& lb = *src_.load_balancers[b];
    const ResponseCounts& now = lb.group_responses(tg.index());
    const std::uint64_t ok = now.ok() - s.before.ok();
    const std::uint64_t errors = now.target_errors() - s.before.target_errors();
    const double latency = now.response_time_sum_s - s.before.response_time_sum_s;
    s.before = now;
    for (int both = 0; both < 2; ++both) {
        auto tg_key = [&](const char* name) {
            return [&, name] {
                std::map<std::string, std::string> dims{{"TargetGroup", tg.name()}};
                if (both) dims.emplace("LoadBalancer", lb.name());
                return key("AWS/ApplicationELB", name, dims);
            };
        };
        put(s.healthy[both], slice_start, tg.healthy_count(), samples, tg_key("HealthyHostCount"));
        put(s.unhealthy[both], slice_start, tg.unhealthy_count(), samples,
            tg_key("UnHealthyHostCount"));
        // What the group's targets answered in the slice, published when there is some, as ELB
        // does: their 2xx (the model's successes) with their mean response time, and their 5xx
        // (the application's 500, a full queue's 503). The model's targets answer no 4xx.
        if (ok > 0) {
            put(s.response_time[both], slice_start, latency / ok, samples,
                tg_key("TargetResponseTime"));
            put(s.target_2xx[both], slice_start, static_cast<double>(ok), 1,
                tg_key("HTTPCode_Target_2XX_Count"));
        }
        if (errors > 0)
            put(s.target_5xx[both], slice_start, static_cast<double>(errors), 1,
                tg_key("HTTPCode_Target_5XX_Count"));
        if (chosen == 0) continue;
        put(s.request_count[both], slice_start, static_cast<double>(counted), 1,
            tg_key("RequestCount"));
        put(s.per_target[both], slice_start,
            static_cast<double>(counted) / std::max(1, tg.healthy_count()), 1,
            tg_key("RequestCountPerTarget"));
    }
}

// AWS/ECS by ClusterName and ServiceName, as ECS computes them for a service: CPU units used
// by its tasks over the CPU units their task definitions reserve, and memory used over memory
// reserved, in percent. A task counts while its containers run (RUNNING, DEACTIVATING) for
// the part of the slice it ran. Used memory: the task definition's app_memory, plus
// request_memory for each request a worker serves (the slice's mean). No task running: no
// datapoint. RunningTaskCount (Container Insights, only for a cluster that has it on): the
// tasks RUNNING at the minute's end.
// ECS sends these to CloudWatch once a minute (the ECS Developer Guide, "Monitor Amazon ECS
// using CloudWatch": several points collected in the minute, aggregated into one datapoint):
// each slice's value is a point, and the minute's points are put when it ends, all stamped at
// its start, as a statistic set (Average, Minimum, Maximum, SampleCount over the minute's
// points; nothing in a 10 s or 30 s period after the minute's first). The run's time series
// (ecs_cpu_percent, ...) keep the slices' values: the simulator's view, not CloudWatch's.
void CloudWatchService::publish_ecs(SimTime slice_start, SimTime slice_end) {
    const auto& services = src_.ecs_services;
    if (services.empty()) return;
    ecs_series_.resize(services.size());
    double cpu_used = 0, cpu_reserved = 0, memory_used = 0, memory_reserved = 0;
    for (std::size_t k = 0; k < services.size(); ++k) {
        const EcsService& service = *services[k];
        double used = 0, reserved = 0, mem_used = 0, mem_reserved = 0;
        int running = 0;
        for (const EcsTask& t : service.tasks()) {
            running += t.status == TaskStatus::Running ? 1 : 0;
            if (t.status != TaskStatus::Running && t.status != TaskStatus::Deactivating) continue;
            Instance& inst = src_.fleet[t.instance];
            if (inst.state() != InstanceState::Running) continue;
            const double up = to_seconds(slice_end - std::max(slice_start, inst.running_since()));
            if (up <= 0) continue;
            const double busy = inst.busy_worker_seconds() - busy_at_slice_start_[t.instance];
            const auto& td = service.deployments()[t.deployment].task_definition;
            used += busy;
            reserved += up * inst.config().workers;
            mem_used += up * td.app_memory + busy * td.request_memory;
            mem_reserved += up * t.memory_gb * 1024;  // its reservation (EC2: containers too)
        }
        cpu_used += used;
        cpu_reserved += reserved;
        memory_used += mem_used;
        memory_reserved += mem_reserved;
        EcsSeries& ids = ecs_series_[k];
        if (!ids.resolved) {
            ids.resolved = true;
            const std::map<std::string, std::string> dims{{"ClusterName", service.spec().cluster},
                                                          {"ServiceName", service.name()}};
            ids.cpu = metrics_.find(key("AWS/ECS", "CPUUtilization", dims));
            ids.memory = metrics_.find(key("AWS/ECS", "MemoryUtilization", dims));
            ids.running = metrics_.find(key("ECS/ContainerInsights", "RunningTaskCount", dims));
        }
        if (reserved > 0 && ids.cpu)
            ids.cpu_points.push_back(std::min(100.0, 100.0 * used / reserved));
        if (reserved > 0 && ids.memory)
            ids.memory_points.push_back(std::min(100.0, 100.0 * mem_used / mem_reserved));
        if (slice_end % kMinute != 0) continue;
        const SimTime minute = slice_end - kMinute;
        if (ids.running && service.container_insights())
            metrics_.put(*ids.running, minute, running);
        for (double v : ids.cpu_points)
            metrics_.put(*ids.cpu, minute, v);
        for (double v : ids.memory_points)
            metrics_.put(*ids.memory, minute, v);
        ids.cpu_points.clear();
        ids.memory_points.clear();
    }
    if (cpu_reserved <= 0) return;
    ecs_cpu_sum_ += std::min(100.0, 100.0 * cpu_used / cpu_reserved);
    ecs_memory_sum_ += std::min(100.0, 100.0 * memory_used / memory_reserved);
    ++ecs_samples_;
}

// A 1-minute metric, as ECS publishes it: one datapoint at each minute, from the first minute
// managed scaling computed it (the World's tick publishes a minute's first slice after the
// computation at that minute).
void CloudWatchService::publish_capacity_providers(SimTime slice_start) {
    if (slice_start < EcsCapacity::kMetricPeriod || slice_start % EcsCapacity::kMetricPeriod != 0)
        return;
    reservation_series_.resize(src_.ecs_capacity.size());
    for (std::size_t c = 0; c < src_.ecs_capacity.size(); ++c) {
        const EcsCapacity& capacity = *src_.ecs_capacity[c];
        reservation_series_[c].resize(capacity.providers().size());
        for (std::size_t p = 0; p < capacity.providers().size(); ++p) {
            const EcsCapacity::Provider& pr = capacity.providers()[p];
            if (pr.spec.managed_scaling.status != scenario::ManagedScalingStatus::Enabled) continue;
            put(reservation_series_[c][p], slice_start, pr.reservation, 1, [&] {
                return key(
                    "AWS/ECS/ManagedScaling", "CapacityProviderReservation",
                    {{"CapacityProviderName", pr.spec.name}, {"ClusterName", capacity.cluster()}});
            });
        }
    }
}

void CloudWatchService::close_period(Gauges& g) {
    if (ecs_samples_ > 0) {
        g.ecs_cpu_percent = ecs_cpu_sum_ / ecs_samples_;
        g.ecs_memory_percent = ecs_memory_sum_ / ecs_samples_;
    }
    ecs_cpu_sum_ = ecs_memory_sum_ = 0;
    ecs_samples_ = 0;
}

// ---------------------------------------------------------------------------------------------
// Alarms

void CloudWatchService::evaluate(MetricAlarm& alarm, SimTime now, EcsScalingPolicy* ecs) {
    if (now % alarm.evaluation_interval() != 0) return;
    const AlarmEvaluation ev = alarm.evaluate(now, metrics_, false);  // reasons of changes
    if (ev.changed) {
        ++alarm_transitions_;
        observer_.log(now, event::AlarmStateChanged{alarm.alarm_name(), ev.previous_state, ev.state,
                                                    ev.reason});
    }
    for (const std::string& action : ev.actions) {
        if (ecs) {
            ecs->on_alarm_action(alarm, now, metrics_);
            continue;
        }
        for (auto& p : src_.policies)
            if (p->name() == action) p->on_alarm_action(alarm, now, metrics_);
        // A step scaling policy of Service Auto Scaling named by the scenario's alarm.
        for (auto& p : src_.ecs_policies)
            if (p->step_scaling() && p->name() == action) p->on_alarm_action(alarm, now, metrics_);
    }
}

void CloudWatchService::evaluate_alarms(SimTime now) {
    for (auto& a : alarms_)
        evaluate(*a, now);
    for (auto& p : src_.policies) {
        if (MetricAlarm* a = p->high_alarm()) evaluate(*a, now);
        if (MetricAlarm* a = p->low_alarm()) evaluate(*a, now);
    }
    for (auto& p : src_.ecs_policies) {
        if (MetricAlarm* a = p->high_alarm()) evaluate(*a, now, p.get());
        if (MetricAlarm* a = p->low_alarm()) evaluate(*a, now, p.get());
    }
}

}  // namespace stratus::cloud
