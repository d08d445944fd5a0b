// Property test: random but valid scenarios built in code from a seed, each run briefly, and
// invariants that must hold for every run whatever the scenario (request accounting, the bill,
// capacity limits, alarm states, event order, billing after termination, determinism).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sim/cloud/billing.hpp"
#include "sim/cloud/world.hpp"
#include "sim/report/outputs.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/internal.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/spec.hpp"
#include "world_support.hpp"

namespace test_invariants {

using namespace stratus;
using namespace stratus::scenario;

namespace {

// Explicit arithmetic on mt19937_64's raw output: std distributions differ between libraries.
struct Gen {
    std::mt19937_64 rng;
    explicit Gen(std::uint64_t seed) : rng(seed) {}
    int i(int lo, int hi) {  // inclusive
        return lo + static_cast<int>(rng() % static_cast<std::uint64_t>(hi - lo + 1));
    }
    double u(double lo, double hi) {
        return lo + (hi - lo) * (static_cast<double>(rng() >> 11) * 0x1.0p-53);
    }
    bool p(double prob) { return u(0, 1) < prob; }
    template <class T>
    const T& pick(const std::vector<T>& v) {
        return v[static_cast<std::size_t>(i(0, static_cast<int>(v.size()) - 1))];
    }
};

// What the generator knows about each group, for the checks.
struct GroupInfo {
    std::string name;
    int min_size = 0, max_size = 0;
    int max_max = 0;  // the largest max_size any schedule or action can set
    bool spot = false, capacity_rebalance = false;
    int on_demand_base = 0;
};

struct Generated {
    Spec spec;
    std::vector<GroupInfo> groups;
};

const std::vector<std::string> kTypes{"t3.micro",  "t3.small", "t3.medium", "m5.large",
                                      "m5.xlarge", "c5.large", "c5.xlarge"};

DurationDist random_duration(Gen& g, SimTime lo, SimTime hi) {
    DurationDist d;
    switch (g.i(0, 2)) {
        case 0:
            d = DurationDist::constant(static_cast<SimTime>(g.u(lo, hi)));
            break;
        case 1:
            d.kind = DistKind::Uniform;
            d.min = lo;
            d.max = hi;
            break;
        default:
            d.kind = DistKind::Exponential;
            d.mean = static_cast<SimTime>(g.u(lo, hi));
            break;
    }
    return d;
}

CloudWatchMetricAlarmSpec cpu_alarm(Gen& g, const std::string& name, const std::string& group,
                                    bool high, const std::string& policy) {
    CloudWatchMetricAlarmSpec a;
    a.alarm_name = name;
    a.namespace_ = "AWS/EC2";
    a.metric_name = "CPUUtilization";
    a.dimensions = {{"AutoScalingGroupName", group}};
    a.statistic = Statistic::Average;
    a.period = g.pick(std::vector<int>{60, 60, 120});
    a.evaluation_periods = g.i(1, 3);
    a.datapoints_to_alarm = g.i(1, a.evaluation_periods);
    a.comparison_operator =
        high ? ComparisonOperator::GreaterThanThreshold : ComparisonOperator::LessThanThreshold;
    a.threshold = high ? g.u(50, 80) : g.u(10, 35);
    a.treat_missing_data = g.pick(
        std::vector<TreatMissingData>{TreatMissingData::Missing, TreatMissingData::NotBreaching,
                                      TreatMissingData::Breaching, TreatMissingData::Ignore});
    a.alarm_actions = {policy};
    return a;
}

Generated generate(std::uint64_t seed) {
    Gen g(seed * 0x9E3779B97F4A7C15ull + 17);
    Generated out;
    Spec& s = out.spec;
    s.source_file = "<invariants>";
    s.simulation.name = "invariants";
    s.simulation.seed = seed;
    s.simulation.duration = g.i(10, 45) * 60 * kSecond;
    s.simulation.metrics_period =
        g.pick(std::vector<SimTime>{10 * kSecond, 30 * kSecond, 60 * kSecond, 60 * kSecond});
    const SimTime dur = s.simulation.duration;
    s.region.name = "us-east-1";
    // An ALB needs two AZs: the region has 2 or 3, each group uses 1 to 3 of them.
    const int n_az = g.i(2, 3);
    for (int k = 0; k < n_az; ++k)
        s.region.availability_zones.push_back(std::string("us-east-1") + char('a' + k));
    const auto& azs = s.region.availability_zones;

    TargetGroupSpec tg;
    tg.name = "tg";
    tg.health_check.interval = g.pick(std::vector<int>{5, 10, 15, 30});
    tg.health_check.timeout = g.i(2, std::min(10, tg.health_check.interval - 1));
    tg.health_check.healthy_threshold = g.i(2, 10);
    tg.health_check.unhealthy_threshold = g.i(2, 10);
    tg.deregistration_delay = g.i(0, 60);
    tg.load_balancing_algorithm_type = g.p(0.5) ? LoadBalancingAlgorithm::RoundRobin
                                                : LoadBalancingAlgorithm::LeastOutstandingRequests;
    // Slow start cannot be combined with least outstanding requests.
    if (tg.load_balancing_algorithm_type == LoadBalancingAlgorithm::RoundRobin && g.p(0.2))
        tg.slow_start = g.i(30, 120);
    s.target_group.push_back(tg);

    LoadBalancerSpec lb;
    lb.name = "alb";
    lb.availability_zones = azs;
    s.load_balancer.push_back(lb);
    LbListenerSpec l;
    l.load_balancer = "alb";
    l.target_group = "tg";
    s.lb_listener.push_back(l);

    const int n_groups = g.i(1, 2);
    bool any_spot = false;
    std::set<std::pair<std::string, std::string>> pools;
    for (int gi = 0; gi < n_groups; ++gi) {
        const std::string name = "g" + std::to_string(gi);
        LaunchTemplateSpec lt;
        lt.name = name;
        // A t3 type in the first group's template half the time, any type otherwise.
        lt.instance_type =
            (gi == 0 && g.p(0.5))
                ? g.pick(std::vector<std::string>{"t3.micro", "t3.small", "t3.medium"})
                : g.pick(kTypes);
        lt.boot_time = random_duration(g, 0, 60 * kSecond);
        lt.app_start_time = random_duration(g, 0, 40 * kSecond);
        lt.workers_per_vcpu = g.i(1, 4);
        lt.max_queue = g.pick(std::vector<int>{10, 50, 200, 1000});
        s.launch_template.push_back(lt);

        AutoScalingGroupSpec a;
        a.name = name;
        a.launch_template = name;
        a.min_size = g.i(0, 3);
        a.max_size = a.min_size + g.i(0, 6);
        if (a.max_size == 0) a.max_size = 1;
        a.desired_capacity = g.i(a.min_size, a.max_size);
        // A random non-empty subset of the region's AZs, in the region's order.
        for (const auto& z : azs)
            if (g.p(0.7)) a.availability_zones.push_back(z);
        if (a.availability_zones.empty()) a.availability_zones.push_back(g.pick(azs));
        a.target_groups = {"tg"};
        a.health_check_type = g.p(0.5) ? HealthCheckType::EC2 : HealthCheckType::ELB;
        a.health_check_grace_period = g.pick(std::vector<int>{0, 60, 120, 300});
        a.default_cooldown = g.pick(std::vector<int>{60, 120, 300});
        if (g.p(0.3)) a.default_instance_warmup = g.i(0, 180);
        a.termination_policies = {g.pick(std::vector<TerminationPolicy>{
            TerminationPolicy::Default, TerminationPolicy::OldestInstance,
            TerminationPolicy::NewestInstance, TerminationPolicy::OldestLaunchTemplate,
            TerminationPolicy::ClosestToNextInstanceHour})};
        GroupInfo info;
        info.name = name;
        info.min_size = a.min_size;
        info.max_size = a.max_size;
        info.max_max = a.max_size;
        if (g.p(0.3)) {
            MixedInstancesPolicySpec m;
            m.on_demand_base_capacity = g.i(0, 2);
            m.on_demand_percentage_above_base_capacity = g.pick(std::vector<double>{0, 0, 25, 50});
            m.spot_allocation_strategy = g.pick(std::vector<SpotAllocationStrategy>{
                SpotAllocationStrategy::LowestPrice, SpotAllocationStrategy::CapacityOptimized,
                SpotAllocationStrategy::PriceCapacityOptimized});
            m.instance_types = {lt.instance_type};
            const std::string other = g.pick(kTypes);
            if (other != lt.instance_type && g.p(0.5)) m.instance_types.push_back(other);
            for (const auto& t : m.instance_types)
                for (const auto& z : a.availability_zones)
                    pools.insert({t, z});
            a.mixed_instances_policy = m;
            a.capacity_rebalance = g.p(0.5);
            info.spot = true;
            info.capacity_rebalance = a.capacity_rebalance;
            info.on_demand_base = m.on_demand_base_capacity;
            any_spot = true;
        }
        s.autoscaling_group.push_back(a);

        // Policies and alarms.
        const int kind = g.i(0, 4);
        if (kind == 1) {
            AutoScalingPolicySpec p;
            p.name = name + "-tt";
            p.autoscaling_group = name;
            p.policy_type = PolicyType::TargetTrackingScaling;
            p.target_tracking_configuration = TargetTrackingSpec{
                PredefinedMetricType::ASGAverageCPUUtilization, g.u(30, 70), g.p(0.2)};
            if (g.p(0.5)) p.estimated_instance_warmup = g.i(30, 180);
            s.autoscaling_policy.push_back(p);
        } else if (kind == 2) {
            AutoScalingPolicySpec up, down;
            up.name = name + "-up";
            up.autoscaling_group = name;
            up.policy_type = PolicyType::SimpleScaling;
            up.adjustment_type = g.p(0.7) ? AdjustmentType::ChangeInCapacity
                                          : AdjustmentType::PercentChangeInCapacity;
            up.scaling_adjustment =
                up.adjustment_type == AdjustmentType::ChangeInCapacity ? g.i(1, 3) : g.i(10, 100);
            if (up.adjustment_type == AdjustmentType::PercentChangeInCapacity)
                up.min_adjustment_magnitude = 1;
            if (g.p(0.5)) up.cooldown = g.i(30, 300);
            down = up;
            down.name = name + "-down";
            down.adjustment_type = AdjustmentType::ChangeInCapacity;
            down.min_adjustment_magnitude.reset();
            down.scaling_adjustment = -g.i(1, 2);
            s.autoscaling_policy.push_back(up);
            s.autoscaling_policy.push_back(down);
            s.cloudwatch_metric_alarm.push_back(cpu_alarm(g, name + "-high", name, true, up.name));
            s.cloudwatch_metric_alarm.push_back(
                cpu_alarm(g, name + "-low", name, false, down.name));
        } else if (kind == 3) {
            AutoScalingPolicySpec up, down;
            up.name = name + "-step-up";
            up.autoscaling_group = name;
            up.policy_type = PolicyType::StepScaling;
            up.adjustment_type = AdjustmentType::ChangeInCapacity;
            const double split = g.u(5, 20);
            up.step_adjustment = {StepAdjustmentSpec{0.0, split, g.i(1, 2)},
                                  StepAdjustmentSpec{split, std::nullopt, g.i(2, 4)}};
            if (g.p(0.5)) up.estimated_instance_warmup = g.i(30, 180);
            down.name = name + "-step-down";
            down.autoscaling_group = name;
            down.policy_type = PolicyType::StepScaling;
            down.adjustment_type =
                g.p(0.5) ? AdjustmentType::ChangeInCapacity : AdjustmentType::ExactCapacity;
            down.step_adjustment = {StepAdjustmentSpec{
                std::nullopt, 0.0,
                down.adjustment_type == AdjustmentType::ExactCapacity ? a.min_size : -1}};
            s.autoscaling_policy.push_back(up);
            s.autoscaling_policy.push_back(down);
            s.cloudwatch_metric_alarm.push_back(cpu_alarm(g, name + "-high", name, true, up.name));
            s.cloudwatch_metric_alarm.push_back(
                cpu_alarm(g, name + "-low", name, false, down.name));
        }

        // Scheduled actions: min never above the group's min, max never below its max, so
        // that every combination stays consistent; desired between them.
        if (g.p(0.3)) {
            const int n = g.i(1, 2);
            for (int k = 0; k < n; ++k) {
                AutoScalingScheduleSpec sa;
                sa.scheduled_action_name = name + "-sched" + std::to_string(k);
                sa.autoscaling_group = name;
                const int mn = g.i(0, a.min_size), mx = a.max_size + g.i(0, 3);
                if (g.p(0.5)) sa.min_size = mn;
                if (g.p(0.5)) {
                    sa.max_size = mx;
                    info.max_max = std::max(info.max_max, mx);
                }
                sa.desired_capacity =
                    g.i(sa.min_size ? mn : a.min_size, sa.max_size ? mx : a.max_size);
                if (g.p(0.5)) {
                    sa.recurrence = g.pick(std::vector<std::string>{"*/5 * * * *", "*/10 * * * *",
                                                                    "*/15 * * * *", "7 * * * *"});
                } else {
                    sa.start_time = static_cast<SimTime>(g.u(0, to_seconds(dur))) * kSecond;
                }
                s.autoscaling_schedule.push_back(sa);
            }
        }
        // [[action]] changes of desired (and sometimes max) within the limits.
        if (g.p(0.3)) {
            const int n = g.i(1, 3);
            for (int k = 0; k < n; ++k) {
                ActionSpec act;
                act.at = static_cast<SimTime>(g.u(0, to_seconds(dur))) * kSecond;
                if (g.p(0.3)) {
                    const int mx = a.max_size + g.i(0, 3);
                    info.max_max = std::max(info.max_max, mx);
                    act.set.push_back(
                        {"autoscaling_group." + name + ".max_size", std::int64_t{mx}});
                }
                act.set.push_back({"autoscaling_group." + name + ".desired_capacity",
                                   std::int64_t{g.i(a.min_size, a.max_size)}});
                s.action.push_back(act);
            }
            std::stable_sort(s.action.begin(), s.action.end(),
                             [](const ActionSpec& x, const ActionSpec& y) { return x.at < y.at; });
        }
        out.groups.push_back(info);
    }
    if (any_spot) {
        s.spot.present = true;
        for (const auto& [type, az] : pools) {
            SpotPoolSpec p;
            p.instance_type = type;
            p.availability_zone = az;
            p.price_model = SpotPriceModel::Constant;
            p.price_params["price"] = g.u(0.005, 0.05);
            p.monthly_rate = g.pick(std::vector<double>{0, 0.05, 5, 50});
            s.spot.pool.push_back(p);
        }
    }

    // Database.
    const bool db = g.p(0.25);
    if (db) {
        DbInstanceSpec d;
        d.identifier = "db";
        d.instance_class =
            g.pick(std::vector<std::string>{"db.t3.micro", "db.t3.medium", "db.m5.large"});
        d.multi_az = g.p(0.5);
        d.availability_zone = azs[0];
        d.failover_time.kind = DistKind::Uniform;
        d.failover_time.min = 60 * kSecond;
        d.failover_time.max = 120 * kSecond;
        s.db_instance.push_back(d);
    }

    // Workload.
    WorkloadSpec w;
    w.name = "clients";
    w.load_balancer = "alb";
    const double base = g.u(2, 30);
    switch (g.i(0, 3)) {
        case 0:
            w.rate.shape = RateShape::Constant;
            w.rate.value = base;
            break;
        case 1: {
            w.rate.shape = RateShape::Steps;
            SimTime t = 0;
            const int n = g.i(1, 4);
            for (int k = 0; k < n; ++k) {
                w.rate.steps.push_back({t, g.u(0, base)});
                t += static_cast<SimTime>(g.u(60, to_seconds(dur) / 2)) * kSecond;
            }
            break;
        }
        case 2:
            w.rate.shape = RateShape::Diurnal;
            w.rate.min = g.u(0, base / 2);
            w.rate.max = base;
            w.rate.peak = g.i(0, 23) * kHour;
            break;
        default:
            w.rate.shape = RateShape::Ramp;
            w.rate.from = g.u(0, base);
            w.rate.to = g.u(0, base);
            w.rate.over = static_cast<SimTime>(g.u(60, to_seconds(dur))) * kSecond;
            break;
    }
    for (int k = g.i(0, 2); k > 0; --k)
        w.spike.push_back(SpikeSpec{static_cast<SimTime>(g.u(0, to_seconds(dur))) * kSecond,
                                    g.i(30, 300) * kSecond, g.u(1.5, 4)});
    w.service_time = random_duration(g, 10 * kMillisecond, 150 * kMillisecond);
    w.timeout = g.i(1, 30) * kSecond;
    if (db) w.database = "db";
    s.workload.push_back(w);

    // Faults.
    auto at = [&] { return static_cast<SimTime>(g.u(0, to_seconds(dur))) * kSecond; };
    if (g.p(0.2)) {
        FaultSpec f;
        f.type = FaultType::AzOutage;
        f.target = g.pick(azs);
        f.at = at();
        f.duration = g.i(60, 900) * kSecond;
        s.fault.push_back(f);
    }
    if (g.p(0.2)) {
        FaultSpec f;
        f.type = FaultType::InstanceFailure;
        f.target = g.pick(out.groups).name;
        if (g.p(0.7)) {
            f.at = at();
        } else {
            DurationDist mtbf, mttr;
            mtbf.kind = mttr.kind = DistKind::Exponential;
            mtbf.mean = g.i(300, 1800) * kSecond;
            mttr.mean = g.i(30, 300) * kSecond;
            f.mtbf = mtbf;
            f.mttr = mttr;
        }
        f.fraction = g.u(0.1, 1.0);
        s.fault.push_back(f);
    }
    if (g.p(0.2)) {
        FaultSpec f;
        f.type = FaultType::Latency;
        f.target = g.p(0.5) ? g.pick(azs) : g.pick(out.groups).name;
        f.at = at();
        f.duration = g.i(60, 600) * kSecond;
        f.extra = DurationDist::constant(g.i(5, 500) * kMillisecond);
        s.fault.push_back(f);
    }
    for (const auto& gr : out.groups)
        if (gr.spot && g.p(0.5)) {
            FaultSpec f;
            f.type = FaultType::SpotInterruption;
            f.target = gr.name;
            f.at = at();
            f.fraction = g.u(0.1, 1.0);
            s.fault.push_back(f);
        }
    if (db && g.p(0.3)) {
        FaultSpec f;
        f.type = FaultType::DbFailover;
        f.target = "db";
        f.at = at();
        s.fault.push_back(f);
    }
    return out;
}

std::string errors_of(Spec& s) {
    detail::Diagnostics d;
    detail::validate(s, d);
    std::ostringstream os;
    for (const auto& e : d.errors())
        os << e.key_path << ": " << e.message << "\n";
    return os.str();
}

// Parses "min 1 max 5 desired 3" (a scheduled_action event's `set`).
void apply_set_text(const std::string& text, int& mn, int& mx) {
    std::istringstream in(text);
    std::string key;
    int v = 0;
    while (in >> key >> v) {
        if (key == "min") mn = v;
        if (key == "max") mx = v;
    }
}

void check_run(std::uint64_t seed, const Generated& gen, const report::Run& w_run) {
    INFO("seed " << seed);
    const cloud::World& w = w_run.world();
    const auto& rec = w_run.recorder();
    const auto summary = report::make_summary(w_run);
    const auto events = testing::json_events(w_run);

    // 1. Every request accounted exactly once.
    {
        const auto& r = summary["requests"];
        const auto& e = r["errors"];
        const std::uint64_t total = r["total"].get<std::uint64_t>();
        const std::uint64_t sum =
            r["ok"].get<std::uint64_t>() + e["http_500"].get<std::uint64_t>() +
            e["http_502"].get<std::uint64_t>() + e["http_503"].get<std::uint64_t>() +
            e["http_504"].get<std::uint64_t>() + e["connect_timeout"].get<std::uint64_t>() +
            r["in_flight_at_end"].get<std::uint64_t>();
        CHECK(total == sum);
        CHECK(e["total"].get<std::uint64_t>() ==
              e["http_500"].get<std::uint64_t>() + e["http_502"].get<std::uint64_t>() +
                  e["http_503"].get<std::uint64_t>() + e["http_504"].get<std::uint64_t>() +
                  e["connect_timeout"].get<std::uint64_t>());
        std::uint64_t outcomes = 0;
        for (int o = 0; o < cloud::kOutcomeCount; ++o)
            outcomes += rec.count(static_cast<cloud::Outcome>(o));
        CHECK(rec.arrivals() == outcomes + w_run.recorder().in_flight());
        // The rows hold every arrival and outcome too (no warm-up here).
        std::uint64_t row_arrivals = 0, row_outcomes = 0;
        for (const auto& row : rec.rows()) {
            row_arrivals += row.arrivals;
            for (auto c : row.outcomes)
                row_outcomes += c;
        }
        CHECK(row_arrivals == rec.arrivals());
        CHECK(row_outcomes == outcomes);
    }

    // 2. (cumulative cost never decreasing: check_cost_monotone.) The summary's total covers
    // the last row; the bill's lines sum to the total.
    {
        const double prev = rec.rows().empty() ? 0.0 : rec.rows().back().gauges.cost_usd;
        const double total = summary["cost_usd"]["total"].get<double>();
        CHECK(total >= prev - 1e-6);
        const auto& ledger = w.cost().ledger();
        double lines = 0;
        for (const auto& line : ledger.lines())
            lines += line.cost;
        CHECK(lines == Approx(ledger.total()).margin(1e-9));
        double items = 0;
        for (const auto& [k, v] : summary["cost_usd"]["by_line_item"].items())
            items += v.get<double>();
        CHECK(items == Approx(total).margin(1e-5));
    }

    // 3. Desired capacity within the group's min and max in force, tracked through schedules
    // and actions.
    {
        std::map<std::string, std::pair<int, int>> limits;
        for (const auto& gr : gen.groups)
            limits[gr.name] = {gr.min_size, gr.max_size};
        bool ok = true;
        std::string bad;
        for (const auto& e : events) {
            if (e.type == "scheduled_action") {
                auto& lim = limits[e.subjects["autoscaling_group"].get<std::string>()];
                apply_set_text(e.subjects["set"].get<std::string>(), lim.first, lim.second);
            } else if (e.type == "setting_changed") {
                const std::string path = e.subjects["path"].get<std::string>();
                const auto dot = path.rfind('.');
                const std::string group = path.substr(18, dot - 18);  // "autoscaling_group."
                const std::string field = path.substr(dot + 1);
                if (field == "min_size") limits[group].first = e.subjects["value"].get<int>();
                if (field == "max_size") limits[group].second = e.subjects["value"].get<int>();
            } else if (e.type == "desired_capacity_changed") {
                const auto& lim = limits[e.subjects["autoscaling_group"].get<std::string>()];
                const int to = e.subjects["to"].get<int>();
                if (to < lim.first || to > lim.second) {
                    ok = false;
                    bad = e.subjects.dump();
                }
            }
        }
        INFO("desired out of limits: " << bad);
        CHECK(ok);
    }

    // 4. In service per row within the limits. Allowed: each group's largest max_size, plus
    // the rebalancing overshoot max(1, 10 % of max_size) (AWS's documented bound, docs/model.md),
    // plus, with Spot Capacity Rebalancing, one replacement per Spot Instance that can be
    // in service beside the instance it replaces (the old one stays until the new one is
    // InService): at most max_size - on_demand_base_capacity of them.
    {
        int bound = 0;
        for (const auto& gr : gen.groups) {
            bound += gr.max_max + std::max(1, gr.max_max / 10);
            if (gr.spot && gr.capacity_rebalance)
                bound += std::max(0, gr.max_max - gr.on_demand_base);
        }
        int peak = 0;
        for (const auto& row : rec.rows())
            peak = std::max(peak, row.gauges.in_service);
        INFO("peak in service " << peak << ", bound " << bound);
        CHECK(peak <= bound);
    }

    // 5. Alarm states, and 6. events in time order.
    {
        bool states_ok = true, ordered = true;
        SimTime last = 0;
        for (const auto& e : events) {
            if (e.t < last) ordered = false;
            last = e.t;
            if (e.type == "alarm_state_changed") {
                for (const char* key : {"from", "to"}) {
                    if (!e.subjects.contains(key)) continue;
                    const std::string st = e.subjects[key].get<std::string>();
                    if (st != "OK" && st != "ALARM" && st != "INSUFFICIENT_DATA") states_ok = false;
                }
            }
        }
        CHECK(states_ok);
        CHECK(ordered);
    }

    // 7. No instance billed after it terminates: its EC2 line's hours are at most its life
    // plus the 60 s minimum.
    {
        std::map<std::string, const cloud::ChargeLine*> ec2;
        for (const auto& line : w.cost().ledger().lines())
            if (line.spec.line_item == cloud::LineItem::Ec2OnDemand ||
                line.spec.line_item == cloud::LineItem::Ec2Spot)
                ec2[line.spec.resource_id] = &line;
        std::map<std::string, std::uint32_t> index;
        for (std::uint32_t k = 0; k < w.fleet().size(); ++k)
            index[w.fleet()[k].name()] = k;
        for (const auto& e : events) {
            if (e.type != "instance_terminated") continue;
            const std::string name = e.subjects["instance"].get<std::string>();
            const auto it = index.find(name);
            REQUIRE(it != index.end());
            const auto& inst = w.fleet()[it->second];
            CHECK(inst.terminated_at() == e.t);
            const auto line = ec2.find(name);
            if (line == ec2.end()) continue;
            const double life_h = to_seconds(e.t - inst.launched_at()) / 3600.0;
            INFO("instance " << name << " hours " << line->second->usage_quantity << " life "
                             << life_h);
            CHECK(line->second->usage_quantity <= life_h + 60.0 / 3600.0 + 1e-9);
        }
    }
}

// 2a. Cumulative cost (each row's gauges.cost_usd) never decreases.
void check_cost_monotone(std::uint64_t seed, const report::Run& w_run) {
    INFO("seed " << seed);
    const auto& rec = w_run.recorder();
    double prev = 0;
    bool monotone = true;
    for (const auto& row : rec.rows()) {
        if (row.gauges.cost_usd < prev - 1e-9) {
            monotone = false;
            UNSCOPED_INFO("cost falls from " << prev << " to " << row.gauges.cost_usd
                                             << " in the row at " << to_seconds(row.start) << " s");
        }
        prev = row.gauges.cost_usd;
    }
    CHECK(monotone);
}

constexpr int kRuns = 200;

// What the checks need to know about a scenario written by hand: each group's limits, the
// largest max_size a schedule or an action can set, and its Spot settings.
Generated from_file(const Spec& spec) {
    Generated gen;
    gen.spec = spec;
    for (const auto& a : spec.autoscaling_group) {
        GroupInfo info;
        info.name = a.name;
        info.min_size = a.min_size;
        info.max_size = a.max_size;
        info.max_max = a.max_size;
        for (const auto& sch : spec.autoscaling_schedule)
            if (sch.autoscaling_group == a.name && sch.max_size)
                info.max_max = std::max(info.max_max, *sch.max_size);
        for (const auto& act : spec.action)
            for (const auto& [path, value] : act.set)
                if (path == "autoscaling_group." + a.name + ".max_size" &&
                    std::holds_alternative<std::int64_t>(value))
                    info.max_max =
                        std::max(info.max_max, static_cast<int>(std::get<std::int64_t>(value)));
        if (a.mixed_instances_policy) {
            info.spot = true;
            info.capacity_rebalance = a.capacity_rebalance;
            info.on_demand_base = a.mixed_instances_policy->on_demand_base_capacity;
        }
        gen.groups.push_back(info);
    }
    // An ECS service's Fargate tasks are in service like a group's instances: the scheduler
    // keeps desired_count of them, and may run up to desired_count x
    // deployment_maximum_percent / 100 (rounded down) RUNNING or PENDING: in a rolling update
    // (an [[action]] giving the service a task definition), and when it replaces an unhealthy
    // task, whose replacement it starts first (docs/model.md). Service Auto Scaling moves
    // desired_count up to its scalable target's max_capacity.
    for (const auto& svc : spec.ecs_service) {
        GroupInfo info;
        info.name = svc.name;
        info.min_size = info.max_size = svc.desired_count;
        int desired_max = svc.desired_count;
        for (const auto& t : spec.appautoscaling_target)
            if (t.service == svc.name && t.cluster == svc.cluster)
                desired_max = std::max(desired_max, t.max_capacity);
        info.max_max = std::max(desired_max, desired_max * svc.deployment_maximum_percent / 100);
        gen.groups.push_back(info);
    }
    return gen;
}

}  // namespace

TEST_CASE("invariants hold on random scenarios", "[invariants]") {
    for (std::uint64_t seed = 1; seed <= kRuns; ++seed) {
        Generated gen = generate(seed);
        const std::string errors = errors_of(gen.spec);
        INFO("seed " << seed << "\n" << errors);
        REQUIRE(errors.empty());
        report::Run w_run(gen.spec);
        cloud::World& w = w_run.world();
        w.run();
        check_run(seed, gen, w_run);
    }
}

TEST_CASE("the same seed gives byte-identical events", "[invariants]") {
    for (std::uint64_t seed = 1; seed <= kRuns; seed += 20) {
        INFO("seed " << seed);
        Generated a = generate(seed), b = generate(seed);
        REQUIRE(errors_of(a.spec).empty());
        REQUIRE(errors_of(b.spec).empty());
        report::Run wa_run(a.spec);
        report::Run wb_run(b.spec);
        cloud::World& wa = wa_run.world();
        cloud::World& wb = wb_run.world();
        wa.run();
        wb.run();
        CHECK(report::events_jsonl(wa_run) == report::events_jsonl(wb_run));
    }
}

TEST_CASE("cumulative cost never decreases on random scenarios", "[invariants]") {
    for (std::uint64_t seed = 1; seed <= kRuns; ++seed) {
        Generated gen = generate(seed);
        REQUIRE(errors_of(gen.spec).empty());
        report::Run w_run(gen.spec);
        cloud::World& w = w_run.world();
        w.run();
        check_cost_monotone(seed, w_run);
    }
}

TEST_CASE("invariants hold on every scenario shipped in scenarios/", "[invariants][scenarios]") {
    namespace fs = std::filesystem;
    std::vector<fs::path> files;
    for (const auto& e :
         fs::recursive_directory_iterator(fs::path(STRATUS_SOURCE_DIR) / "scenarios"))
        if (e.path().extension() == ".toml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 10);
    std::uint64_t n = 0;
    for (const auto& f : files) {
        INFO(f.filename().string());
        // The first hour of each (the labs' lessons take up to a day), without warm-up (the
        // checks compare the rows with the totals). What the scenario times after the first
        // hour would never happen in it (the loader refuses such a time): it is left out.
        Spec spec = load_file(f.string(), {"simulation.warmup=0"});
        if (spec.simulation.duration > kHour) {
            spec.simulation.duration = kHour;
            auto after = [](SimTime t) { return t >= kHour; };
            spec.fault.erase(std::remove_if(spec.fault.begin(), spec.fault.end(),
                                            [&](const auto& x) { return x.at && after(*x.at); }),
                             spec.fault.end());
            spec.action.erase(std::remove_if(spec.action.begin(), spec.action.end(),
                                             [&](const auto& x) { return after(x.at); }),
                              spec.action.end());
            spec.autoscaling_schedule.erase(
                std::remove_if(spec.autoscaling_schedule.begin(), spec.autoscaling_schedule.end(),
                               [&](const auto& x) { return x.start_time && after(*x.start_time); }),
                spec.autoscaling_schedule.end());
            for (auto& w : spec.workload)
                w.spike.erase(std::remove_if(w.spike.begin(), w.spike.end(),
                                             [&](const auto& x) { return after(x.at); }),
                              w.spike.end());
        }
        if (!unsupported_features(spec).empty()) continue;
        report::Run w_run(spec);
        cloud::World& w = w_run.world();
        w.run();
        check_run(++n, from_file(spec), w_run);
        check_cost_monotone(n, w_run);
    }
    // The files the run cannot run yet are skipped: the labs and planning scenarios are not.
    CHECK(n >= 20u);
}

}  // namespace test_invariants
