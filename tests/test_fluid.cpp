// The fluid mode (simulation.fidelity = "fluid"): a single instance against the M/M/c closed
// forms, the fluid backlog in overload, and every lab and planning scenario against request
// mode (mean latency within 10 %, cost within 1 %, instance-hours within 2 %, the same
// scaling decisions within one metrics period). docs/fluid.md has the measured table.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sim/cloud/fluid_model.hpp"
#include "sim/cloud/fluid_queue.hpp"
#include "sim/cloud/world.hpp"
#include "sim/core/queueing.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/loader.hpp"
#include "support.hpp"
#include "world_support.hpp"

namespace test_fluid {

using namespace stratus;
namespace fs = std::filesystem;

namespace {

const std::string kScenarios = std::string(STRATUS_SOURCE_DIR) + "/scenarios";

scenario::Spec fluid_spec(int instances, double rate) {
    scenario::Spec s = testing::basic_spec(instances, rate);
    s.simulation.fidelity = scenario::Fidelity::Fluid;
    s.simulation.warmup = 30 * kSecond;  // the first health check and the first arrivals
    return s;
}

struct Measures {
    double mean_ms = 0;
    double cost = 0;
    double instance_hours = 0;
    std::uint64_t ok = 0;
    std::uint64_t errors = 0;
    std::vector<std::pair<double, int>> desired;
    SimTime metrics_period = 0;
    std::size_t limits = 0;  // fluid_limits: where the run says the fluid mode is off
};

Measures run(const std::string& file, scenario::Fidelity fidelity) {
    scenario::Spec spec = scenario::load_file(file);
    spec.simulation.fidelity = fidelity;
    REQUIRE(scenario::unsupported_features(spec).empty());
    report::Run run(spec);
    cloud::World& world = run.world();
    world.run();
    Measures m;
    m.mean_ms = run.recorder().latency().mean() / kMillisecond;
    m.cost = world.cost().total();
    m.instance_hours = world.instance_hours(false) + world.instance_hours(true);
    m.ok = run.recorder().count(cloud::Outcome::Ok);
    m.errors = run.recorder().errors();
    m.desired = testing::desired_changes(run);
    m.metrics_period = spec.simulation.metrics_period;
    m.limits = world.fluid() ? world.fluid()->limits().size() : 0;
    return m;
}

// What an ECS run gave, for comparing the two modes: the answers, the Fargate bill (vCPU and
// GB lines), the tasks RUNNING at each minute's start (ecs_task_state_change), and each change
// of a service's desired count (Service Auto Scaling).
struct EcsMeasures {
    double total = 0, ok = 0, errors = 0, mean_ms = 0, fargate = 0;
    std::vector<int> running;
    std::vector<std::pair<double, int>> desired;
    SimTime metrics_period = 0;
};

EcsMeasures run_ecs(const std::string& file, scenario::Fidelity fidelity,
                    std::optional<std::uint64_t> seed = std::nullopt) {
    scenario::Spec spec = scenario::load_file(file);
    spec.simulation.fidelity = fidelity;
    if (seed) spec.simulation.seed = *seed;
    REQUIRE(scenario::unsupported_features(spec).empty());
    report::Run run(spec);
    run.world().run();
    REQUIRE(run.world().finished());
    EcsMeasures m;
    m.metrics_period = spec.simulation.metrics_period;
    m.ok = static_cast<double>(run.recorder().count(cloud::Outcome::Ok));
    m.errors = static_cast<double>(run.recorder().errors());
    m.total = m.ok + m.errors;
    m.mean_ms = run.recorder().latency().mean() / kMillisecond;
    for (const cloud::ChargeLine& l : run.world().cost().ledger().lines())
        if (l.spec.usage_type.find("Fargate") != std::string::npos) m.fargate += l.cost;
    std::map<std::string, std::string> last;
    const auto events = testing::json_events(run);
    std::size_t k = 0;
    for (SimTime t = 0; t <= spec.simulation.duration; t += kMinute) {
        for (; k < events.size() && events[k].t <= t; ++k)
            if (events[k].type == "ecs_task_state_change")
                last[events[k].subjects["task"].get<std::string>()] =
                    events[k].subjects["last_status"].get<std::string>();
        int n = 0;
        for (const auto& [task, status] : last)
            n += status == "RUNNING";
        m.running.push_back(n);
    }
    for (const auto& e : events)
        if (e.type == "ecs_service_desired_count_changed")
            m.desired.emplace_back(to_seconds(e.t), e.subjects["to"].get<int>());
    return m;
}
}  // namespace

TEST_CASE("fluid: one instance matches the M/M/c mean and p99", "[fluid]") {
    // m5.large: c = 2 workers, exponential 50 ms service (mu = 20/s). One target: its
    // arrivals are the whole Poisson stream, so M/M/2 holds exactly.
    for (double rate : {16.0, 32.0, 38.0}) {  // rho = 0.4, 0.8, 0.95
        INFO("rate " << rate);
        scenario::Spec spec = fluid_spec(1, rate);
        spec.simulation.duration = 3600 * kSecond;
        report::Run run(spec);
        cloud::World& world = run.world();
        world.run();
        const auto& h = run.recorder().latency();
        const double mean = mmc_mean_response(2, rate, 20.0);
        const double p99 = mmc_response_quantile(2, rate, 20.0, 0.99);
        // The mean is exact up to the service-time sample (20,000 draws: 0.7 % standard
        // error) and the histogram's cells (1 %).
        CHECK(to_seconds(static_cast<SimTime>(h.mean())) == Approx(mean).epsilon(0.02));
        // p99 comes from quantile bins of the service and waiting times (0.98-0.99,
        // 0.99-0.995, ... each at its conditional mean): within 6 %.
        CHECK(to_seconds(h.percentile(99)) == Approx(p99).epsilon(0.06));
        // CPUUtilization = busy workers / c = rho on average over the metric rows (each row
        // has the sampling noise of its requests: sd ~2.5 points per minute at rho = 0.8).
        const auto& rows = run.recorder().rows();
        REQUIRE(rows.size() > 50);
        double cpu = 0;
        for (std::size_t k = 1; k < rows.size(); ++k)
            cpu += rows[k].gauges.cpu_percent / static_cast<double>(rows.size() - 1);
        CHECK(cpu == Approx(100.0 * rate / 40.0).epsilon(0.01));
    }
}

TEST_CASE("fluid: in overload the backlog grows at lambda - c mu, then the queue overflows",
          "[fluid]") {
    // 50 requests/s against c mu = 2 x 20 = 40/s: the backlog grows 10 per second.
    scenario::Spec spec = fluid_spec(1, 50.0);
    spec.simulation.duration = 200 * kSecond;
    spec.launch_template[0].max_queue = 1000;
    report::Run run(spec);
    cloud::World& world = run.world();
    world.run_until(60 * kSecond);
    REQUIRE(world.fluid() != nullptr);
    // Traffic starts at 10 s: 50 s of overload.
    CHECK(world.fluid()->backlog(0) == Approx(10.0 * 50).epsilon(0.01));
    world.run_until(100 * kSecond);
    CHECK(world.fluid()->backlog(0) == Approx(10.0 * 90).epsilon(0.01));
    // Full at 1000 after 100 s of overload (t = 110 s); from then on 10/s get 503.
    world.run();
    CHECK(world.fluid()->backlog(0) == Approx(1000).epsilon(1e-9));
    const double http503 = static_cast<double>(run.recorder().count(cloud::Outcome::Http503));
    CHECK(http503 == Approx(10.0 * (200 - 110)).epsilon(0.02));
    // Every worker busy: CPUUtilization 100 % once the backlog exists.
    CHECK(run.recorder().rows().back().gauges.cpu_percent == Approx(100.0).epsilon(1e-6));
}

TEST_CASE("fluid: a backlog drains at c mu - lambda and waits beyond the timeout are 504",
          "[fluid]") {
    scenario::Spec spec = fluid_spec(1, 50.0);
    spec.simulation.duration = 120 * kSecond;
    spec.workload[0].timeout = 10 * kSecond;
    // Overload 10-40 s, then 20/s: the backlog (capped where waits reach the timeout:
    // c mu x 10 s = 400) drains at 20/s.
    spec.workload[0].rate.steps = {{0, 0.0}, {10 * kSecond, 50.0}, {40 * kSecond, 20.0}};
    report::Run run(spec);
    cloud::World& world = run.world();
    world.run_until(40 * kSecond);
    CHECK(world.fluid()->backlog(0) == Approx(300).epsilon(0.01));
    world.run_until(50 * kSecond);
    CHECK(world.fluid()->backlog(0) == Approx(300 - 20 * 10).epsilon(0.02));
    world.run();
    CHECK(world.fluid()->backlog(0) == 0);
    // Served requests waited (B0 + B1) / 2 / (c mu) at most 7.5 s + service: all but the
    // service tail beyond the 10 s timeout answer; no 503 (max_queue 100000).
    CHECK(run.recorder().count(cloud::Outcome::Http503) == 0);
}

namespace {

// Four c5.large at 50 requests/s (3,000 a minute, 31 % busy) and an alarm on the target
// group's RequestCount (Sum, one minute) that never acts: its minute datapoints, read as the
// run goes.
const char* const kCountedMinutes = R"(
[simulation]
name = "counted-minutes"
duration = "62m"
seed = 3
metrics_period = "60s"

[region]
name = "us-east-1"
availability_zones = ["us-east-1a", "us-east-1b"]

[[launch_template]]
name = "web"
instance_type = "c5.large"

[[target_group]]
name = "tg"

[[load_balancer]]
name = "alb"

[[lb_listener]]
load_balancer = "alb"
port = 80
target_group = "tg"

[[autoscaling_group]]
name = "web"
launch_template = "web"
min_size = 4
max_size = 4
desired_capacity = 4
target_groups = ["tg"]

[[cloudwatch_metric_alarm]]
alarm_name = "tg-requests"
namespace = "AWS/ApplicationELB"
metric_name = "RequestCount"
dimensions = { TargetGroup = "tg" }
statistic = "Sum"
period = 60
evaluation_periods = 1
comparison_operator = "GreaterThanThreshold"
threshold = 1e9

[[workload]]
name = "web"
load_balancer = "alb"
rate = 50
service_time = { dist = "exponential", mean = "25ms" }
timeout = "10s"
)";

std::vector<double> counted_minutes(scenario::Fidelity fidelity) {
    scenario::Spec spec = scenario::load_text(kCountedMinutes, "counted-minutes.toml");
    spec.simulation.fidelity = fidelity;
    report::Run run(spec);
    cloud::World& world = run.world();
    const cloud::MetricAlarm* alarm = nullptr;
    for (const cloud::MetricAlarm* a : world.alarms())
        if (a->alarm_name() == "tg-requests") alarm = a;
    REQUIRE(alarm != nullptr);
    std::vector<double> counts;
    // From minute 5 (the targets healthy since minute 1 or so) to minute 60.
    for (int minute = 5; minute <= 60; ++minute) {
        world.run_until(minute * kMinute + 30 * kSecond);
        REQUIRE(alarm->last_value());
        counts.push_back(*alarm->last_value());
    }
    return counts;
}

}  // namespace

TEST_CASE("fluid: RequestCount is a Poisson count around the model's, as request mode's is",
          "[fluid][cloudwatch]") {
    // Request mode's arrivals are a Poisson process, so a minute's RequestCount at 50
    // requests/s is Poisson(3,000): standard deviation sqrt(3,000) = 54.8. The fluid mode's
    // count was the expected one (3,000 every minute, give or take the carried fractions), so
    // target tracking on ALBRequestCountPerTarget decided on an exact value: 40 targets at
    // 1,350 each against 1,800 scaled in to 30.0 = 30 every time where request mode's noisy
    // count gives 30 or 31. Over 56 minutes the mean is 3,000 within 4 of its standard errors
    // (7.3) and the sample standard deviation 54.8 within 35 % (its own sd is 54.8 / sqrt(110),
    // 9 %), in both modes.
    for (auto fidelity : {scenario::Fidelity::Request, scenario::Fidelity::Fluid}) {
        const std::vector<double> counts = counted_minutes(fidelity);
        REQUIRE(counts.size() == 56);
        double sum = 0, sq = 0;
        for (double c : counts)
            sum += c;
        const double mean = sum / static_cast<double>(counts.size());
        for (double c : counts)
            sq += (c - mean) * (c - mean);
        const double sd = std::sqrt(sq / static_cast<double>(counts.size() - 1));
        const double poisson_sd = std::sqrt(3000.0);
        INFO("fidelity " << static_cast<int>(fidelity) << ": mean " << mean << ", sd " << sd);
        CHECK(std::abs(mean - 3000.0) < 4.0 * poisson_sd / std::sqrt(56.0));
        CHECK(sd > 0.65 * poisson_sd);
        CHECK(sd < 1.35 * poisson_sd);
    }
    // The draws are the seed's: the same run twice gives the same counts.
    CHECK(counted_minutes(scenario::Fidelity::Fluid) == counted_minutes(scenario::Fidelity::Fluid));
}

TEST_CASE("fluid: runs are deterministic and take a few events per second", "[fluid]") {
    scenario::Spec spec = fluid_spec(4, 120.0);
    spec.simulation.duration = 900 * kSecond;
    report::Run a_run(spec);
    report::Run b_run(spec);
    cloud::World& a = a_run.world();
    cloud::World& b = b_run.world();
    a.run();
    b.run();
    CHECK(a_run.recorder().count(cloud::Outcome::Ok) == b_run.recorder().count(cloud::Outcome::Ok));
    CHECK(a_run.recorder().latency().percentile(99) == b_run.recorder().latency().percentile(99));
    CHECK(a.cost().total() == b.cost().total());
    // A fluid run has no event per request: a few per second at most.
    CHECK(a.kernel_events() < 20 * 900);
}

TEST_CASE("fluid: metrics are published once a minute unless an alarm needs 10 s", "[fluid]") {
    scenario::Spec spec = fluid_spec(2, 40.0);
    CHECK(report::Run(spec).world().metric_slice() == kMinute);
    CHECK(report::Run(spec).world().tick() == kMinute);
    // A 30 s or 10 s row is the output's resolution: the slices stay a minute long, the rows
    // close at ticks between them.
    spec.simulation.metrics_period = 30 * kSecond;
    CHECK(report::Run(spec).world().metric_slice() == kMinute);
    CHECK(report::Run(spec).world().tick() == 30 * kSecond);
    spec.simulation.metrics_period = 10 * kSecond;
    CHECK(report::Run(spec).world().metric_slice() == kMinute);
    CHECK(report::Run(spec).world().tick() == 10 * kSecond);
    spec.simulation.metrics_period = kMinute;
    scenario::CloudWatchMetricAlarmSpec a;
    a.alarm_name = "fast";
    a.namespace_ = "AWS/EC2";
    a.metric_name = "CPUUtilization";
    a.dimensions = {{"AutoScalingGroupName", "web"}};
    a.period = 10;  // a high-resolution alarm
    spec.cloudwatch_metric_alarm.push_back(a);
    CHECK(report::Run(spec).world().metric_slice() == 10 * kSecond);
    spec.cloudwatch_metric_alarm.back().period = 60;
    CHECK(report::Run(spec).world().metric_slice() == kMinute);
    spec.simulation.fidelity = scenario::Fidelity::Request;  // request mode: always 10 s
    CHECK(report::Run(spec).world().metric_slice() == 10 * kSecond);
}

TEST_CASE("fluid: a 10 s or 30 s metrics period changes the rows, not the run", "[fluid]") {
    // Lab 04 (a day of target tracking at 50 %) in fluid mode at 60 s, 30 s and 10 s periods:
    // the slices stay a minute long, so the scaling is the same decision for decision; the
    // rows split each minute's arrivals (each period's at the rate in its middle: the
    // requests of a minute move by the rate's curvature, far under 1e-6 of the day).
    scenario::Spec base = scenario::load_file(kScenarios + "/labs/04-target-tracking.toml");
    base.simulation.fidelity = scenario::Fidelity::Fluid;
    REQUIRE(base.simulation.metrics_period == kMinute);
    report::Run minute(base);
    minute.world().run();
    const auto decisions = testing::desired_changes(minute);
    REQUIRE(decisions.size() > 10);  // it scales out and in during the day
    const double arrivals = static_cast<double>(minute.recorder().arrivals());
    REQUIRE(arrivals > 1e6);
    for (SimTime period : {30 * kSecond, 10 * kSecond}) {
        INFO("period " << to_seconds(period) << " s");
        scenario::Spec spec = base;
        spec.simulation.metrics_period = period;
        report::Run run(spec);
        run.world().run();
        CHECK(run.world().metric_slice() == kMinute);
        CHECK(testing::desired_changes(run) == decisions);
        CHECK(std::abs(static_cast<double>(run.recorder().arrivals()) - arrivals) <
              1e-6 * arrivals);
        CHECK(run.world().cost().total() == Approx(minute.world().cost().total()).epsilon(1e-6));
        // One row per period, and the rows hold every arrival of the run.
        const auto& rows = run.recorder().rows();
        CHECK(rows.size() == static_cast<std::size_t>(spec.simulation.duration / period));
        std::uint64_t in_rows = 0;
        for (const auto& r : rows)
            in_rows += r.arrivals;
        std::uint64_t minute_rows = 0;
        for (const auto& r : minute.recorder().rows())
            minute_rows += r.arrivals;
        CHECK(std::abs(static_cast<double>(in_rows) - static_cast<double>(minute_rows)) <
              1e-6 * static_cast<double>(minute_rows));
    }
}

TEST_CASE("fluid: health checks skipped while nothing changes resume on their phase", "[fluid]") {
    // One instance, checks every 30 s (timeout 5 s, 2 failures to unhealthy, 3 passes back).
    // A latency fault of 6 s from 300 s to 500 s makes every check time out. (0.1 requests/s:
    // even at 6.05 s a request the two workers build no backlog that would outlast it.)
    scenario::Spec spec = fluid_spec(1, 0.1);
    spec.simulation.duration = 900 * kSecond;
    auto& hc = spec.target_group[0].health_check;
    hc.interval = 30;
    hc.timeout = 5;
    hc.unhealthy_threshold = 2;
    hc.healthy_threshold = 3;
    spec.fault.push_back(testing::latency_fault("web", 300 * kSecond, 200 * kSecond, 6 * kSecond));
    report::Run run(spec);
    cloud::World& world = run.world();
    world.run();
    const auto healthy = testing::times_of(run, "target_health_changed", "to", "healthy");
    const auto unhealthy = testing::times_of(run, "target_health_changed", "to", "unhealthy");
    REQUIRE(healthy.size() == 2);
    REQUIRE(unhealthy.size() == 1);
    // The checks run at h0 + 30 k, h0 the first one (it made the target healthy).
    const double h0 = healthy[0];
    auto next_check = [&](double t) { return h0 + 30.0 * std::ceil((t - h0) / 30.0 - 1e-9); };
    // Unhealthy at the second check from 300 s on; healthy again at the third from 500 s on.
    CHECK(unhealthy[0] == Approx(next_check(300.0) + 30.0).margin(1e-6));
    CHECK(healthy[1] == Approx(next_check(500.0) + 60.0).margin(1e-6));
}

TEST_CASE(
    "fluid: a traffic multiplier set inside a step counts the traffic before it at the "
    "old rate",
    "[fluid]") {
    // 100 requests/s from 10 s; x2 at 90 s, x1 again at 135 s. Metrics rows of a minute:
    // [60, 120) has 30 s at 100 and 30 s at 200, [120, 180) 15 s at 200 and 45 s at 100.
    scenario::Spec spec = fluid_spec(4, 100.0);
    spec.simulation.duration = 180 * kSecond;
    spec.simulation.metrics_period = kMinute;
    auto multiply = [](SimTime at, double by) {
        scenario::ActionSpec a;
        a.at = at;
        a.set.emplace_back("workload.clients.rate_multiplier", scenario::SettingValue{by});
        return a;
    };
    spec.action = {multiply(90 * kSecond, 2.0), multiply(135 * kSecond, 1.0)};
    report::Run run(spec);
    cloud::World& world = run.world();
    world.run();
    const auto& rows = run.recorder().rows();
    REQUIRE(rows.size() == 3);
    CHECK(rows[1].arrivals == 30 * 100 + 30 * 200);
    CHECK(rows[2].arrivals == 15 * 200 + 45 * 100);
}

TEST_CASE("fluid: a calm fleet's health checks take no events", "[fluid]") {
    // 10 targets checked every 5 s for a day would be 172,800 events; while their instances
    // pass and nothing they are checked on changes, none is scheduled. What remains: the
    // metric ticks (1,440), the fluid steps (about as many) and the group's 10 s polls (8,640).
    scenario::Spec spec = fluid_spec(10, 200.0);
    spec.simulation.duration = 86400 * kSecond;
    report::Run run(spec);
    cloud::World& world = run.world();
    world.run();
    CHECK(run.recorder().count(cloud::Outcome::Ok) > 0.99 * 200.0 * (86400 - 10));
    CHECK(world.kernel_events() < 15000);
}

TEST_CASE(
    "fluid: every lab and planning scenario small enough for both modes agrees with "
    "request mode",
    "[fluid][accuracy][long]") {
    // Excluded from one measure, with the reason (docs/fluid.md has the numbers):
    // lab 04 (target tracking over a day): the decisions follow the noise of the CPU
    //   datapoints against M-of-N alarms; request mode itself, run with seeds 11, 12 and 13,
    //   makes different decisions at different times (at 900 s: 3, 3 and 4 instances; the
    //   next ones minutes apart). The decision sequence is not asserted; mean latency, cost
    //   and instance-hours are (the fluid mode adds the datapoints' sampling noise, so they
    //   agree within 0.3 %).
    // retail-peak-day (target tracking through a daily curve, a flash sale and an AZ outage):
    //   the same; request mode with seeds 1, 2 and 3 takes its third decision at 49,140,
    //   50,220 and 50,100 s and peaks at 17, 18 and 16 instances. Its mean latency, cost and
    //   instance-hours are asserted.
    // cloudwatch-replay (target tracking through a replayed day): the first scale-in needs 15
    //   one-minute datapoints in a row under 35 % as the evening falls through it; request
    //   mode with seeds 12 to 16 takes it at 68,580 s four times and at 67,980 s once, the
    //   fluid mode at 67,980 s; later decisions differ by a minute or more between seeds too.
    const std::map<std::string, std::string> no_decisions = {{"04-target-tracking", "seed noise"},
                                                             {"retail-peak-day", "seed noise"},
                                                             {"cloudwatch-replay", "seed noise"}};
    // Excluded from the mean latency, because the fluid run says its latency is off there
    // (fluid_limits) and in which direction: retail-peak-day's 2x sale meets 6 instances at
    // exactly their capacity (300 requests/s at 50 % CPU: 7 would be under the scale-in
    // alarm's 45 %, 5 over the target), where the fluid mode gives the bounded queue's settled
    // waits and request mode's queue, started empty, is still short (docs/fluid.md, "A fleet
    // at its capacity exactly"). Its mean must then be the higher one.
    const std::set<std::string> at_capacity = {"retail-peak-day"};
    // Lab 23 (Service Auto Scaling on CPU through a flash sale): its 7 tasks run at 45.7 % CPU
    // against the scale-in alarm's 45 % during the sale, so the scale-in comes at 2,880 or
    // 3,000 s by the datapoints' noise in either mode (request mode, seeds 23 and 1-4: 2,880 and
    // four times 3,000; fluid mode: 3,000, 2,880, 2,940, 2,880, 2,880). Two minutes of 5 more
    // tasks are 3.1 % of its cost and 4 % of its task-hours ("fluid: ECS services agree with
    // request mode" has the rest of the ECS comparison).
    const std::set<std::string> scale_in_noise = {"23-fargate-service-auto-scaling"};
    std::vector<std::string> files;
    for (const char* dir : {"/labs", "/planning"})
        for (const auto& e : fs::directory_iterator(kScenarios + dir))
            if (e.path().extension() == ".toml") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    int compared = 0;
    for (const auto& file : files) {
        const std::string stem = fs::path(file).stem().string();
        // Planning scenarios written for the fluid mode only (a month of 20,000 requests/s).
        if (stem.find("fluid") != std::string::npos) continue;
        // Scenarios the fluid mode refuses to run (a workload's AWS calls: request mode only).
        scenario::Spec fluid_check = scenario::load_file(file);
        fluid_check.simulation.fidelity = scenario::Fidelity::Fluid;
        if (!scenario::unsupported_features(fluid_check).empty()) continue;
        INFO(stem);
        const Measures r = run(file, scenario::Fidelity::Request);
        const Measures f = run(file, scenario::Fidelity::Fluid);
        ++compared;
        if (at_capacity.count(stem)) {
            CHECK(f.limits > 0);  // the run says so
            CHECK(f.mean_ms > r.mean_ms);
        } else if (r.ok > 0) {
            CHECK(f.mean_ms == Approx(r.mean_ms).epsilon(0.10));
        } else {
            CHECK(f.ok == 0);  // every request failed in both
        }
        const bool noisy = scale_in_noise.count(stem) > 0;
        CHECK(f.cost == Approx(r.cost).epsilon(noisy ? 0.035 : 0.01));
        if (r.instance_hours > 0) {
            CHECK(f.instance_hours == Approx(r.instance_hours).epsilon(noisy ? 0.05 : 0.02));
        } else {
            CHECK(f.instance_hours == 0);
        }
        if (!no_decisions.count(stem)) {
            REQUIRE(f.desired.size() == r.desired.size());
            for (std::size_t k = 0; k < r.desired.size(); ++k) {
                INFO("decision " << k << " at " << r.desired[k].first << " s");
                CHECK(f.desired[k].second == r.desired[k].second);
                CHECK(std::abs(f.desired[k].first - r.desired[k].first) <=
                      to_seconds(r.metrics_period));
            }
        }
    }
    CHECK(compared >= 15);
}

// ECS services in fluid mode (docs/fluid.md, "ECS services"): every shipped scenario with an
// [[ecs_service]] (labs 20 and 22-33) and a held-out one (bench/scenarios/fargate-rcpt-ramp.toml:
// target tracking on ALBRequestCountPerTarget through a ramp) against request mode. A task is a
// Fleet instance the fluid model routes to like any target; the tasks' lifecycle, the
// scheduler, health checks and Service Auto Scaling read it as in request mode. Asserted: the
// answers (errors within request mode's Poisson noise, availability within 0.5 points), mean
// latency within 10 %, the tasks RUNNING at every minute the same, the same desired-count
// changes within one metrics period, the Fargate bill within 1 %. Two exceptions, measured:
// lab 23's scale-in, whose CPU sits at its alarm's threshold during the sale (7 tasks at 45.7 %
// against 45 %): request mode with seeds 23 and 1-4 scales in at 2,880 and 3,000 s, fluid mode
// at 3,000, 2,880, 2,940, 2,880 and 2,880 s, so it and the tasks it stops may be 2 minutes
// apart (the Fargate bill then 4 %); and the ramp's step-by-step scale-out, whose
// RequestCountPerTarget crosses 600 with Poisson noise in both modes (fluid mode draws its
// request counts too; request mode's seeds 41, 1 and 2 add the 7th task at 1,620, 1,740 and
// 1,800 s): each step within one period of the span of those three seeds' times, and its
// mean latency, which follows how long each step's tasks ran busier, within 15 % (request mode's
// seeds 41, 1 and 2: 69.6, 80.3 and 78.9 ms; fluid mode 77.0).
TEST_CASE("fluid: ECS services agree with request mode", "[fluid][ecs][long]") {
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(kScenarios + "/labs"))
        if (e.path().extension() == ".toml" &&
            !scenario::load_file(e.path().string()).ecs_service.empty())
            files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 13);
    files.push_back(std::string(STRATUS_SOURCE_DIR) + "/bench/scenarios/fargate-rcpt-ramp.toml");
    for (const auto& file : files) {
        const std::string stem = fs::path(file).stem().string();
        INFO(stem);
        const EcsMeasures r = run_ecs(file, scenario::Fidelity::Request);
        const EcsMeasures f = run_ecs(file, scenario::Fidelity::Fluid);
        const bool lab23 = stem == "23-fargate-service-auto-scaling";
        const bool ramp = stem == "fargate-rcpt-ramp";
        CHECK(f.total == Approx(r.total).margin(3 * std::sqrt(r.total) + 1));
        CHECK(f.errors == Approx(r.errors).margin(3 * std::sqrt(r.errors) + 0.05 * r.errors + 1));
        if (r.total > 0) CHECK(std::abs(f.ok / f.total - r.ok / r.total) <= 0.005);
        if (r.ok > 0) CHECK(f.mean_ms == Approx(r.mean_ms).epsilon(ramp ? 0.15 : 0.10));
        CHECK(f.fargate == Approx(r.fargate).epsilon(lab23 ? 0.04 : 0.01));
        REQUIRE(f.running.size() == r.running.size());
        REQUIRE(f.desired.size() == r.desired.size());
        const double slack = to_seconds(r.metrics_period);
        // The ramp's steps: within one period of the span request mode's seeds 41, 1 and 2 give.
        std::vector<EcsMeasures> seeds{r};
        if (ramp)
            for (std::uint64_t seed : {1, 2})
                seeds.push_back(run_ecs(file, scenario::Fidelity::Request, seed));
        for (std::size_t k = 0; k < r.desired.size(); ++k) {
            INFO("desired count change " << k << " at " << r.desired[k].first << " s");
            CHECK(f.desired[k].second == r.desired[k].second);
            double lo = r.desired[k].first, hi = lo;
            for (const EcsMeasures& s : seeds) {
                REQUIRE(s.desired.size() == r.desired.size());
                CHECK(s.desired[k].second == r.desired[k].second);
                lo = std::min(lo, s.desired[k].first);
                hi = std::max(hi, s.desired[k].first);
            }
            const bool last_of_23 = lab23 && k + 1 == r.desired.size();
            const double margin = last_of_23 ? 2 * slack : slack;
            CHECK(f.desired[k].first >= lo - margin);
            CHECK(f.desired[k].first <= hi + margin);
        }
        // The tasks: the same count RUNNING at every minute, but where a decision came at
        // another minute (the ramp: one task fewer or more until the later one).
        int differ = 0;
        for (std::size_t m = 0; m < r.running.size(); ++m)
            differ += f.running[m] != r.running[m];
        CHECK(differ <= (lab23 ? 2 : ramp ? 8 : 0));
    }
}

TEST_CASE("planning: two days of the SaaS month in fluid mode size the fleet as the math says",
          "[fluid][scenarios]") {
    // scenarios/planning/saas-month-fluid.toml, shortened to two days (the bench runs the
    // month). At 60 % CPU target, c5.2xlarge (8 workers) and 40 ms per request, the peak of
    // 20,000/s needs 20,000 x 0.04 / (8 x 0.6) = 167 instances, the daily mean of 12,000/s
    // about 100: 2,400 instance-hours a day.
    auto spec = scenario::load_file(kScenarios + "/planning/saas-month-fluid.toml",
                                    {"simulation.duration=2d"});
    REQUIRE(spec.simulation.fidelity == scenario::Fidelity::Fluid);
    REQUIRE(scenario::unsupported_features(spec).empty());
    report::Run run(spec);
    cloud::World& world = run.world();
    world.run();
    const auto& r = run.recorder();
    CHECK(world.fleet().counts().peak_in_service >= 160);
    CHECK(world.fleet().counts().peak_in_service <= 185);
    CHECK(world.instance_hours() / 2 == Approx(2400).epsilon(0.10));
    CHECK(r.errors() == 0);
    CHECK(to_millis(r.latency().percentile(99)) < 250);
    // About 2 x 86,400 x 12,000 requests.
    CHECK(static_cast<double>(r.arrivals()) == Approx(2 * 86400.0 * 12000).epsilon(0.01));
}

TEST_CASE("stratus run --fidelity fluid runs a lab and says so in summary.json", "[fluid][cli]") {
    const fs::path dir = fs::temp_directory_path() / "stratus-fluid-cli";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string cmd = "'" + std::string(STRATUS_BINARY) + "' run '" + kScenarios +
                            "/labs/01-two-az-web-tier.toml' --fidelity fluid --quiet --out '" +
                            dir.string() + "' 2>/dev/null";
    REQUIRE(std::system(cmd.c_str()) == 0);
    const std::string summary = testing::read_file((dir / "summary.json").string());
    CHECK(summary.find("\"fidelity\": \"fluid\"") != std::string::npos);
    // 120/s from minute 3 to minute 60: 410,400 requests.
    CHECK(summary.find("\"total\": 410400,") != std::string::npos);
    fs::remove_all(dir);
}

namespace {

// n targets behind an ALB (round robin unless least_outstanding, cross-zone), lognormal
// service of the given mean; traffic from the start, while the targets turn healthy.
std::string gigc_scenario(int n, const std::string& type, double rate, double cv,
                          const std::string& duration, const std::string& mean = "40ms",
                          bool least_outstanding = false) {
    std::ostringstream t;
    t << "[simulation]\nname = \"gigc\"\nduration = \"" << duration
      << "\"\nseed = 1\nwarmup = \"2m\"\n\n[region]\nname = \"us-east-1\"\n"
         "availability_zones = [\"us-east-1a\", \"us-east-1b\"]\n\n[[launch_template]]\n"
         "name = \"api\"\ninstance_type = \""
      << type
      << "\"\nmax_queue = 1000\nboot_time = \"30s\"\napp_start_time = \"10s\"\n\n"
         "[[target_group]]\nname = \"tg\"\n"
      << (least_outstanding ? "load_balancing_algorithm_type = \"least_outstanding_requests\"\n"
                            : "")
      << "\n[[load_balancer]]\nname = \"alb\"\n\n"
         "[[lb_listener]]\nload_balancer = \"alb\"\nport = 80\ntarget_group = \"tg\"\n\n"
         "[[autoscaling_group]]\nname = \"api\"\nlaunch_template = \"api\"\nmin_size = "
      << n << "\nmax_size = " << n << "\ndesired_capacity = " << n
      << "\ntarget_groups = [\"tg\"]\n\n[[workload]]\nname = \"calls\"\nload_balancer = "
         "\"alb\"\nrate = "
      << rate << "\nservice_time = { dist = \"lognormal\", mean = \"" << mean << "\", cv = " << cv
      << " }\ntimeout = \"30s\"\n";
    return t.str();
}

// Mean and p50 (ms) of the successful requests, request mode over seeds 1-3 (averaged).
std::pair<double, double> gigc_latency(const std::string& text, scenario::Fidelity fidelity) {
    double mean = 0, p50 = 0;
    const int seeds = fidelity == scenario::Fidelity::Fluid ? 1 : 3;
    for (int seed = 1; seed <= seeds; ++seed) {
        scenario::Spec spec = scenario::load_text(text, "gigc.toml");
        spec.simulation.fidelity = fidelity;
        spec.simulation.seed = static_cast<std::uint64_t>(seed);
        report::Run run(spec);
        run.world().run();
        REQUIRE(run.recorder().errors() == 0);
        mean += run.recorder().latency().mean() / kMillisecond / seeds;
        p50 += to_seconds(run.recorder().latency().percentile(50)) * 1000.0 / seeds;
    }
    return {mean, p50};
}

}  // namespace

TEST_CASE("fluid: Whitt's GI/G/m factor: 1 for M/M/m, by hand elsewhere", "[fluid]") {
    // Whitt (1993), eqs. 2.19-2.25. M/M/m (ca^2 = cs^2 = 1): Erlang C exactly, any m, rho.
    for (int m : {1, 2, 4, 8})
        for (double rho : {0.3, 0.7, 0.95})
            CHECK(whitt_gigm_factor(m, rho, 1.0, 1.0) == Approx(1.0).epsilon(1e-12));
    // m = 4, rho = 0.7, round robin over 10 (ca^2 = 0.1), lognormal cv 1.4 (cs^2 = 1.96):
    // gamma = 0.3 x 3 x (sqrt(24) - 2) / (16 x 4 x 0.7) = 0.058239; phi3 = (1 - 4 gamma)
    // e^(-0.6 / 2.1) = 0.767045 x 0.751477 = 0.576416; z = 1.03, psi = 1; phi = (1.86 phi3 +
    // 2.26 psi) / 4.12 = 0.80877.
    CHECK(whitt_gigm_factor(4, 0.7, 0.1, 1.96) == Approx(0.80877).epsilon(1e-4));
    // Near-constant service, Poisson (ca^2 = 1, cs^2 = 0.09), m = 2, rho = 0.5: gamma =
    // 0.5 x (sqrt(14) - 2) / 16 = 0.054424, phi1 = 1.054424; phi3 = 0.782304 x e^(-2/3) =
    // 0.401643; phi4 = 0.728034, psi = phi4^0.91 = 0.749167; phi = (3.64 phi1 + 0.09 psi) /
    // 3.73 = 1.04706: more than Allen-Cunneen's wait (M/D/c waits more than half M/M/c's).
    CHECK(whitt_gigm_factor(2, 0.5, 1.0, 0.09) == Approx(1.04706).epsilon(1e-4));
}

TEST_CASE("fluid: constant service times under round robin wait as E/D/1 queues", "[fluid]") {
    // 10 c5.large (2 workers) in round robin, constant 25 ms, rho = 680 x 0.025 / 20 = 0.85.
    // Each worker takes every 20th request (FCFS with constant service: a Lindley recursion
    // over every 2nd arrival of a target that takes every 10th): E_20/D/1, 1.734 ms of wait.
    // Request mode, seeds 1-4: mean 26.678-26.776 ms (1.68-1.78 ms of wait), p99 39.9-40.8.
    // Before, Whitt's factor with Cosmetatos's M/D/m endpoint: 28.25 ms, p99 42.6.
    std::string text = gigc_scenario(10, "c5.large", 680, 0.5, "10m", "25ms");
    const std::string from = "{ dist = \"lognormal\", mean = \"25ms\", cv = 0.5 }";
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), "{ dist = \"constant\", mean = \"25ms\" }");
    // From a calm start (the traffic once the targets are healthy), as request mode's runs.
    for (const auto& [a, b] :
         {std::pair<std::string, std::string>{"rate = 680\n",
                                              "rate = { shape = \"steps\", steps = "
                                              "[[\"0s\", 0], [\"75s\", 680]] }\n"},
          {"warmup = \"2m\"", "warmup = \"3m\""}}) {
        const auto where = text.find(a);
        REQUIRE(where != std::string::npos);
        text.replace(where, a.size(), b);
    }
    const auto [fl_mean, fl_p50] = gigc_latency(text, scenario::Fidelity::Fluid);
    CHECK(fl_p50 == Approx(25.0).margin(0.01));  // most requests do not wait
    CHECK(fl_mean - 25.0 == Approx(1.73).margin(0.1));
}

TEST_CASE("fluid: waits with variable service times below saturation agree with request mode",
          "[fluid]") {
    // Held out (not among the points the model was checked on while it was written): six
    // c5.xlarge (4 workers) in round robin, lognormal 40 ms cv 1.8, rho = 450 x 0.04 / 24 =
    // 0.75. Request mode (seeds 1-3): mean 64.9 ms, p50 33.9 ms. Allen-Cunneen's factor on
    // Erlang C's share gave 74.7 ms (+15 %) and p50 44.5 ms (+31 %); Whitt's 69.3 / 38.2.
    {
        const std::string text = gigc_scenario(6, "c5.xlarge", 450, 1.8, "20m");
        const auto [req_mean, req_p50] = gigc_latency(text, scenario::Fidelity::Request);
        const auto [fl_mean, fl_p50] = gigc_latency(text, scenario::Fidelity::Fluid);
        REQUIRE(req_mean > 55.0);  // a queue: rho 0.75 waits
        CHECK(fl_mean == Approx(req_mean).epsilon(0.09));
        CHECK(fl_p50 == Approx(req_p50).epsilon(0.15));
    }
    // One c5.2xlarge (8 workers, Poisson arrivals), lognormal 40 ms cv 1.7, rho = 120 x
    // 0.04 / 8 = 0.6: request mode 42.3 ms (seeds 42.0-42.7); before 43.4, now 42.7.
    {
        const std::string text = gigc_scenario(1, "c5.2xlarge", 120, 1.7, "60m");
        const auto [req_mean, req_p50] = gigc_latency(text, scenario::Fidelity::Request);
        const auto [fl_mean, fl_p50] = gigc_latency(text, scenario::Fidelity::Fluid);
        REQUIRE(req_mean > 41.0);
        CHECK(fl_mean == Approx(req_mean).epsilon(0.025));
        CHECK(fl_p50 == Approx(req_p50).epsilon(0.10));
    }
}

TEST_CASE("fluid: a long-tailed wait's p99 when one long request overloads the other workers",
          "[fluid]") {
    // Held out (written after the model was built on 10 targets of 2, 4 and 8 workers at 25
    // ms): five c5.large (2 workers) in round robin, lognormal 30 ms cv 1.8, rho = 250 x 0.03
    // / 10 = 0.75 > 1 - 1/2: a long request on one worker leaves the other short of the
    // arrivals, so the wait given that it waits has M/G/1's spread (cv^2 = 1.5 + 0.25 x 4 x
    // 4.24 / 3 - 1 = 1.913, fluid_model.cpp wait_split), not the exponential's. Request mode
    // (seeds 1-3, 15 minutes): p99 581, 564, 692 ms; the exponential wait gave 464 (-24 %),
    // the two-phase one 641 (+5 %).
    const std::string text = gigc_scenario(5, "c5.large", 250, 1.8, "15m", "30ms");
    double req_p99 = 0;
    for (int seed = 1; seed <= 3; ++seed) {
        scenario::Spec spec = scenario::load_text(text, "gigc.toml");
        spec.simulation.fidelity = scenario::Fidelity::Request;
        spec.simulation.seed = static_cast<std::uint64_t>(seed);
        report::Run run(spec);
        run.world().run();
        REQUIRE(run.recorder().errors() == 0);
        req_p99 += to_seconds(run.recorder().latency().percentile(99)) * 1000.0 / 3;
    }
    scenario::Spec spec = scenario::load_text(text, "gigc.toml");
    spec.simulation.fidelity = scenario::Fidelity::Fluid;
    report::Run run(spec);
    run.world().run();
    REQUIRE(run.recorder().errors() == 0);
    const double fl_p99 = to_seconds(run.recorder().latency().percentile(99)) * 1000.0;
    REQUIRE(req_p99 > 450.0);  // the service time's own p99 is about 280 ms: it waits
    CHECK(fl_p99 == Approx(req_p99).epsilon(0.10));
}

TEST_CASE("fluid: a least-outstanding pool's queues drain as one for its health checks",
          "[fluid]") {
    // A draining backlog's queue is the fluid backlog give or take the walk's spread over the
    // time it takes to drain (fluid_queue.cpp). A pool of n balanced queues drains as one:
    // each queue is the pool's mean, whose walk has 1 / n of one queue's variance. By hand:
    // backlog 700 draining at 8/s (87.5 s), variance 792/s, 4 workers of 24 ms and a 5 s check
    // (833 requests, an exact EWMA: cv 0): P(queue >= 833) = Q((833 - 0.5 - 700) / sd), sd =
    // sqrt(792 / 20 x 87.5) = 58.86 for 20 pooled queues (0.01219), sqrt(792 x 87.5) = 263.25
    // for one (0.30737).
    cloud::FluidQueue q;
    q.backlog = 700;
    q.drift = -8;
    q.variance_rate = 792;
    q.cap = 1000;
    q.mean_service_s = 0.024;
    q.service_cv2 = 0;
    q.balanced = true;
    q.pooled = 20;
    CHECK(cloud::health_check_timeout_probability(q, 4, 0.0, 5.0) ==
          Approx(0.0121946).epsilon(1e-4));
    q.pooled = 1;
    CHECK(cloud::health_check_timeout_probability(q, 4, 0.0, 5.0) ==
          Approx(0.3073676).epsilon(1e-4));
}

TEST_CASE("fluid: a least-outstanding pool full at its start drains as request mode's does",
          "[fluid]") {
    // 20 c5.xlarge (4 workers) under least outstanding requests, lognormal 25 ms cv 2, 3,040
    // requests/s (rho 0.95) from the start: the first targets to pass their checks take it
    // all and fill their 1,000 places, and once all 20 serve, the pool drains at 8 requests/s
    // a target past the 5 s checks' 800. Request mode, seeds 1-8: every target passes, no
    // error after the 2-minute warmup, mean 106-143 ms. The fluid mode gave each queue one
    // unbalanced queue's spread while it drained: targets failed their checks one by one, each
    // failure overloaded the other 19, and seeds 2 and 5 of 8 ended in a death spiral (about
    // 5.8 s waits and 20 % of requests refused), 4 and 8 partly (0.93-0.97 s). Now 0 of 8 (seed
    // 5 keeps one target out for 3 minutes: 1.14 s), seeds 1-4 150, 158, 82 and 132 ms.
    const std::string text = gigc_scenario(20, "c5.xlarge", 3040, 2.0, "10m", "25ms", true);
    double req = 0, fl = 0;
    for (int seed = 1; seed <= 4; ++seed) {
        INFO("seed " << seed);
        for (scenario::Fidelity fidelity :
             {scenario::Fidelity::Request, scenario::Fidelity::Fluid}) {
            scenario::Spec spec = scenario::load_text(text, "lor-pool.toml");
            spec.simulation.fidelity = fidelity;
            spec.simulation.seed = static_cast<std::uint64_t>(seed);
            report::Run run(spec);
            run.world().run();
            CHECK(run.recorder().errors() == 0);
            const double mean = run.recorder().latency().mean() / kMillisecond;
            (fidelity == scenario::Fidelity::Fluid ? fl : req) += mean / 4;
        }
    }
    REQUIRE(req > 60.0);  // the pool waits at rho 0.95 (25 ms of service)
    CHECK(fl == Approx(req).epsilon(0.15));
}

}  // namespace test_fluid
