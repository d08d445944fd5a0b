// AWS/ECS metrics and Service Auto Scaling (docs/model.md, "ECS on Fargate" and "Service Auto
// Scaling"): CPUUtilization and MemoryUtilization as ECS computes them for a service (used
// over reserved, in percent), checked against a hand calculation; Application Auto Scaling's
// target tracking on them, with its alarms, cooldowns, min and max; the checks on the two
// Terraform resources, each error at its line and key.
#include <cmath>
#include <string>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "sim/cloud/cloudwatch.hpp"
#include "sim/cloud/ecs_service.hpp"
#include "sim/cloud/scaling_math.hpp"
#include "sim/cloud/step_metric.hpp"
#include "sim/scenario/cron.hpp"
#include "sim/scenario/loader.hpp"
#include "world_support.hpp"

namespace test_ecs_scaling {

using namespace stratus;
using namespace stratus::scenario;
using stratus::cloud::TaskStatus;

namespace {

// Two 0.5 vCPU / 1 GB Fargate tasks behind an ALB; 8 requests/s of 50 ms of CPU each.
// Line numbers matter: the loader tests point at them.
const std::string kService = R"([simulation]
duration = "30m"
[vpc]
cidr_block = "10.0.0.0/16"
[[subnet]]
name = "public-a"
cidr_block = "10.0.1.0/24"
availability_zone = "us-east-1a"
route = "igw"
[[subnet]]
name = "public-b"
cidr_block = "10.0.2.0/24"
availability_zone = "us-east-1b"
route = "igw"
[[load_balancer]]
name = "alb"
subnets = ["public-a", "public-b"]
[[target_group]]
name = "api-tg"
port = 80
target_type = "ip"
[[lb_listener]]
load_balancer = "alb"
port = 80
target_group = "api-tg"
[[ecs_cluster]]
name = "shop"
[[ecs_task_definition]]
family = "api"
cpu = 512
memory = 1024
app_memory = 256
request_memory = 64
requires_compatibilities = ["FARGATE"]
network_mode = "awsvpc"
container_definitions = '[{"name": "api", "image": "api:1", "portMappings": [{"containerPort": 8080}]}]'
[[ecs_service]]
name = "api"
cluster = "shop"
task_definition = "api"
desired_count = 2
launch_type = "FARGATE"
network_configuration = { subnets = ["public-a", "public-b"], assign_public_ip = true }
load_balancer = [{ target_group_arn = "api-tg", container_name = "api", container_port = 8080 }]
[[workload]]
name = "clients"
load_balancer = "alb"
rate = 8
service_time = "50ms"
)";

const std::string kAlarms = R"(
[[cloudwatch_metric_alarm]]
alarm_name = "cpu-above-30"
namespace = "AWS/ECS"
metric_name = "CPUUtilization"
dimensions = { ClusterName = "shop", ServiceName = "api" }
period = 60
evaluation_periods = 3
comparison_operator = "GreaterThanThreshold"
threshold = 30
[[cloudwatch_metric_alarm]]
alarm_name = "cpu-above-50"
namespace = "AWS/ECS"
metric_name = "CPUUtilization"
dimensions = { ClusterName = "shop", ServiceName = "api" }
period = 60
evaluation_periods = 3
comparison_operator = "GreaterThanThreshold"
threshold = 50
[[cloudwatch_metric_alarm]]
alarm_name = "memory-above-25"
namespace = "AWS/ECS"
metric_name = "MemoryUtilization"
dimensions = { ClusterName = "shop", ServiceName = "api" }
period = 60
evaluation_periods = 3
comparison_operator = "GreaterThanThreshold"
threshold = 25
[[cloudwatch_metric_alarm]]
alarm_name = "memory-above-30"
namespace = "AWS/ECS"
metric_name = "MemoryUtilization"
dimensions = { ClusterName = "shop", ServiceName = "api" }
period = 60
evaluation_periods = 3
comparison_operator = "GreaterThanThreshold"
threshold = 30
[[cloudwatch_metric_alarm]]
alarm_name = "fewer-than-3-tasks"
namespace = "ECS/ContainerInsights"
metric_name = "RunningTaskCount"
dimensions = { ClusterName = "shop", ServiceName = "api" }
period = 60
evaluation_periods = 1
comparison_operator = "LessThanThreshold"
threshold = 3
[[cloudwatch_metric_alarm]]
alarm_name = "fewer-than-2-tasks"
namespace = "ECS/ContainerInsights"
metric_name = "RunningTaskCount"
dimensions = { ClusterName = "shop", ServiceName = "api" }
period = 60
evaluation_periods = 1
comparison_operator = "LessThanThreshold"
threshold = 2
)";

// With scaling_scenario(): one 0.25 vCPU task at 1 request/s (20 % CPU), 8 requests/s from 2
// to 17 minutes; a target tracking policy keeps CPU at 40 % with 1 to 4 tasks.
const std::string kScaling = R"(
[[appautoscaling_target]]
resource_id = "service/shop/api"
service_namespace = "ecs"
scalable_dimension = "ecs:service:DesiredCount"
min_capacity = 1
max_capacity = 4
[[appautoscaling_policy]]
name = "cpu40"
resource_id = "service/shop/api"
service_namespace = "ecs"
scalable_dimension = "ecs:service:DesiredCount"
policy_type = "TargetTrackingScaling"
target_tracking_scaling_policy_configuration = { predefined_metric_specification = { predefined_metric_type = "ECSServiceAverageCPUUtilization" }, target_value = 40 }
)";

std::string with(std::string text, const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

std::string scaling_scenario() {
    std::string t = with(kService, "duration = \"30m\"", "duration = \"40m\"");
    t = with(t, "cpu = 512\nmemory = 1024", "cpu = 256\nmemory = 512");
    // A short queue keeps a saturated task's health checks answered within their timeout
    // (11 x 0.2 s): it stays healthy and refuses the excess with 503.
    t = with(t, "app_memory = 256", "app_memory = 128\nmax_queue = 10");
    t = with(t, "desired_count = 2", "desired_count = 1");
    t = with(t, "rate = 8",
             "rate = 1\nspike = [{ at = \"2m\", duration = \"15m\", multiplier = 8 }]");
    return t + kScaling;
}

std::unique_ptr<report::Run> run_scenario(const std::string& text) {
    Spec spec = load_text(text, "ecs.toml", {}, ".");
    REQUIRE(unsupported_features(spec).empty());
    auto run = std::make_unique<report::Run>(spec);
    run->world().run();
    return run;
}

std::unique_ptr<report::Run> run_scenario_file(const std::string& file) {
    Spec spec = load_file(file);
    REQUIRE(unsupported_features(spec).empty());
    auto run = std::make_unique<report::Run>(spec);
    run->world().run();
    return run;
}

struct CountChange {
    double t;
    int from, to;
    std::string cause;
};

std::vector<CountChange> count_changes(const report::Run& run) {
    std::vector<CountChange> out;
    for (const auto& e : testing::json_events(run))
        if (e.type == "ecs_service_desired_count_changed")
            out.push_back({to_seconds(e.t), e.subjects["from"].get<int>(),
                           e.subjects["to"].get<int>(), e.subjects["cause"].get<std::string>()});
    return out;
}

std::vector<Diagnostic> errors_of(const std::string& text) {
    try {
        load_text(text, "ecs.toml", {}, ".");
    } catch (const ScenarioError& e) {
        return e.diagnostics();
    }
    FAIL("the scenario loaded, but errors were expected");
    return {};
}

Diagnostic about(const std::vector<Diagnostic>& ds, const std::string& key_path) {
    std::string all;
    for (const auto& d : ds) {
        if (d.key_path == key_path) return d;
        all += d.format() + "\n";
    }
    INFO("diagnostics:\n" << all);
    FAIL("no diagnostic about " << key_path);
    return {};
}

int line_in(const std::string& text, const std::string& needle) {
    const std::size_t at = text.find(needle);
    REQUIRE(at != std::string::npos);
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
}

}  // namespace

TEST_CASE("AWS/ECS CPUUtilization and MemoryUtilization: used over reserved, by hand", "[ecs]") {
    // RunningTaskCount is a Container Insights metric: the cluster turns it on.
    auto run = run_scenario(with(kService, "[[ecs_cluster]]\nname = \"shop\"\n",
                                 "[[ecs_cluster]]\nname = \"shop\"\nsetting = [{ name = "
                                 "\"containerInsights\", value = \"enabled\" }]\n") +
                            kAlarms);
    const cloud::World& world = run->world();
    REQUIRE(world.ecs_services().size() == 1);
    REQUIRE(world.ecs_services()[0]->count(TaskStatus::Running) == 2);
    // Each task takes half the 8 requests/s: 4 x 0.05 s of vCPU time a second on 0.5 vCPU is
    // 40 % of its CPU. Memory: 256 MiB of the application's plus 64 MiB for each request
    // being served (0.4 on average: the busy share of its one worker) over 1024 MiB:
    // (256 + 0.4 x 64) / 1024 = 27.5 %.
    const auto& rows = run->recorder().rows();
    REQUIRE(rows.size() == 30);
    double cpu = 0, memory = 0;
    int n = 0;
    for (const auto& r : rows) {
        if (r.start < 2 * kMinute) continue;  // the tasks start in the first minute
        REQUIRE(r.gauges.has_ecs);
        CHECK(r.gauges.ecs_running_tasks == 2);
        cpu += r.gauges.ecs_cpu_percent;
        memory += r.gauges.ecs_memory_percent;
        ++n;
    }
    REQUIRE(n == 28);
    // 13,440 Poisson arrivals: the mean is within 1 % of its expectation (3 standard
    // deviations); 2 points of CPU and 0.5 of memory leave room.
    CHECK(cpu / n == Approx(40.0).margin(2.0));
    CHECK(memory / n == Approx(27.5).margin(0.5));
    // The metrics are there for alarms: 40 % is above 30 and below 50, 27.5 % above 25 and
    // below 30, 2 tasks fewer than 3 and not fewer than 2.
    const auto summary = report::make_summary(*run);
    const auto& states = summary["alarms"]["final_state"];
    CHECK(states["cpu-above-30"] == "ALARM");
    CHECK(states["cpu-above-50"] == "OK");
    CHECK(states["memory-above-25"] == "ALARM");
    CHECK(states["memory-above-30"] == "OK");
    CHECK(states["fewer-than-3-tasks"] == "ALARM");
    CHECK(states["fewer-than-2-tasks"] == "OK");
    // The time series carries them after the columns every run has.
    const std::string header = report::timeseries_header(world);
    CHECK(header.find(",cpu_credit_balance,ecs_cpu_percent,ecs_memory_percent,"
                      "ecs_running_tasks\n") != std::string::npos);
    const std::string last = report::timeseries_row(rows.back());
    CHECK(last.substr(last.rfind(',')) == ",2\n");
}

TEST_CASE("RunningTaskCount only with Container Insights on: AWS's default is off", "[ecs]") {
    // The same service without the cluster setting: AWS/ECS metrics as before, no
    // ECS/ContainerInsights datapoint, so the alarms on RunningTaskCount have no data.
    REQUIRE(kService.find("setting") == std::string::npos);
    auto run = run_scenario(kService + kAlarms);
    REQUIRE(run->world().ecs_services()[0]->count(TaskStatus::Running) == 2);
    const auto summary = report::make_summary(*run);
    const auto& states = summary["alarms"]["final_state"];
    CHECK(states["cpu-above-30"] == "ALARM");
    CHECK(states["fewer-than-3-tasks"] == "INSUFFICIENT_DATA");
    CHECK(states["fewer-than-2-tasks"] == "INSUFFICIENT_DATA");
    // "disabled" is the same as no setting; a value ECS does not know is refused at its key.
    auto off = run_scenario(with(kService, "[[ecs_cluster]]\nname = \"shop\"\n",
                                 "[[ecs_cluster]]\nname = \"shop\"\nsetting = [{ name = "
                                 "\"containerInsights\", value = \"disabled\" }]\n") +
                            kAlarms);
    CHECK(report::make_summary(*off)["alarms"]["final_state"]["fewer-than-3-tasks"] ==
          "INSUFFICIENT_DATA");
    const std::string bad = with(kService, "[[ecs_cluster]]\nname = \"shop\"\n",
                                 "[[ecs_cluster]]\nname = \"shop\"\nsetting = [{ name = "
                                 "\"containerInsights\", value = \"on\" }]\n");
    const Diagnostic d = about(errors_of(bad), "ecs_cluster[shop].setting[0].value");
    CHECK(d.message.find("expected \"enabled\", \"enhanced\" or \"disabled\"") !=
          std::string::npos);
}

TEST_CASE(
    "Service Auto Scaling: target tracking on CPU scales out, waits out its cooldown, "
    "scales in",
    "[ecs]") {
    auto run = run_scenario(scaling_scenario());
    const auto changes = count_changes(*run);
    REQUIRE(changes.size() == 3);
    // One task at 8 requests/s x 50 ms on 0.25 vCPU needs 160 % of its CPU: it saturates at
    // 100 %. After 3 one-minute datapoints above 40 the high alarm asks for ceil(1 x 100 /
    // 40) = 3 tasks.
    CHECK(changes[0].from == 1);
    CHECK(changes[0].to == 3);
    CHECK(changes[0].cause.find("1 x 100 / 40") != std::string::npos);
    CHECK(changes[0].t >= 120 + 3 * 60);
    CHECK(changes[0].t <= 120 + 5 * 60);
    // 3 tasks at 53 % stay above 40, but during the 300 s scale-out cooldown the 2 tasks just
    // added count as part of the desired count (ceil(1 x 53 / 40) = 2 <= 3): only then does
    // it ask for ceil(3 x 53 / 40) = 4, which max_capacity also caps.
    CHECK(changes[1].from == 3);
    CHECK(changes[1].to == 4);
    CHECK(changes[1].t >= changes[0].t + 300);
    CHECK(changes[1].t <= changes[0].t + 300 + 60);
    // The spike ends at 17 min; 4 tasks at 1 request/s run at 5 %: after 15 one-minute
    // datapoints below 36 (90 % of the target) the low alarm asks for ceil(4 x 5 / 40) = 1.
    CHECK(changes[2].from == 4);
    CHECK(changes[2].to == 1);
    CHECK(changes[2].t >= 17 * 60 + 15 * 60);
    CHECK(changes[2].t <= 17 * 60 + 17 * 60);
    const auto& service = *run->world().ecs_services()[0];
    CHECK(service.desired_count() == 1);
    CHECK(service.count(TaskStatus::Running) == 1);
    CHECK(service.counts().started == 4);
    // The scale-in stopped 3 tasks for the service's deployment, as ECS words it.
    int scaled_in = 0;
    for (const auto& t : service.tasks())
        if (t.stopped_reason == "Scaling activity initiated by (deployment ecs-svc/1)") ++scaled_in;
    CHECK(scaled_in == 3);
    // The managed alarms are listed with the run's alarms.
    const auto summary = report::make_summary(*run);
    CHECK(summary["alarms"]["final_state"].contains(
        "TargetTracking-service/shop/api-AlarmHigh-cpu40"));
    CHECK(summary["alarms"]["final_state"].contains(
        "TargetTracking-service/shop/api-AlarmLow-cpu40"));
}

TEST_CASE(
    "Service Auto Scaling: target tracking sizes from the RUNNING tasks, not the desired "
    "count",
    "[ecs]") {
    // Tasks that take 315 s to reach RUNNING (provisioning 300 s, image pull 15 s), a 60 s
    // scale-out cooldown, up to 10 tasks; the spike (8 requests/s of 50 ms on one 0.25 vCPU
    // task: 160 % of its CPU, it runs at 100 %) from 10 minutes to the run's end at 35.
    std::string t = with(scaling_scenario(), "duration = \"40m\"", "duration = \"35m\"");
    t = with(t, "network_mode = \"awsvpc\"",
             "network_mode = \"awsvpc\"\nprovisioning_time = \"300s\"");
    t = with(t, "spike = [{ at = \"2m\", duration = \"15m\"",
             "spike = [{ at = \"10m\", duration = \"25m\"");
    t = with(t, "max_capacity = 4", "max_capacity = 10");
    t = with(t, "target_value = 40 }", "target_value = 40, scale_out_cooldown = 60 }");
    auto run = run_scenario(t);
    const auto changes = count_changes(*run);
    REQUIRE(changes.size() == 2);
    // Three one-minute datapoints at 100 % from 600 s: ceil(1 RUNNING x 100 / 40) = 3.
    CHECK(changes[0].from == 1);
    CHECK(changes[0].to == 3);
    CHECK(changes[0].cause.find("= 1 x 100 / 40") != std::string::npos);
    const double t1 = changes[0].t;
    CHECK(t1 >= 600 + 3 * 60);
    CHECK(t1 <= 600 + 5 * 60);
    // The two new tasks are RUNNING only at t1 + 315 s. Meanwhile the high alarm asks again
    // each minute, past the 60 s cooldown, with the one RUNNING task still at 100 %:
    // ceil(1 x 100 / 40) = 3, not above the desired 3: nothing. Sized from the desired count
    // it would have asked ceil(3 x 100 / 40) = 8 at t1 + 120 s.
    const auto running = testing::times_of(*run, "ecs_task_state_change", "last_status", "RUNNING");
    REQUIRE(running.size() >= 3);
    CHECK(running[1] == t1 + 315);
    CHECK(running[2] == t1 + 315);
    // The next change comes at an alarm action after they run, sized from the 3 RUNNING
    // tasks: ceil(3 x m / 40) for the datapoint m it names (the minute they started in mixes
    // one task at 100 % with three sharing the load).
    INFO(changes[1].cause);
    CHECK(changes[1].from == 3);
    CHECK(changes[1].t > t1 + 315);
    CHECK(changes[1].t <= t1 + 315 + 4 * 60);
    const auto at = changes[1].cause.find("= 3 x ");
    REQUIRE(at != std::string::npos);
    const double m = std::stod(changes[1].cause.substr(at + 6));
    CHECK(m > 40);
    CHECK(m < 100);
    CHECK(changes[1].to == static_cast<int>(std::ceil(3 * m / 40)));
    CHECK(changes[1].to < 8);
    // Its tasks run 315 s later; no other task started.
    REQUIRE(running.size() == static_cast<std::size_t>(changes[1].to));
    for (std::size_t k = 3; k < running.size(); ++k)
        CHECK(running[k] == changes[1].t + 315);
    CHECK(run->world().ecs_services()[0]->desired_count() == changes[1].to);
}

TEST_CASE("Service Auto Scaling: disable_scale_in keeps the tasks, max_capacity caps them",
          "[ecs]") {
    std::string t = with(scaling_scenario(), "target_value = 40 }",
                         "target_value = 40, disable_scale_in = true }");
    t = with(t, "max_capacity = 4", "max_capacity = 2");
    auto run = run_scenario(t);
    const auto changes = count_changes(*run);
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].from == 1);
    CHECK(changes[0].to == 2);  // ceil(1 x 100 / 40) = 3, capped at 2
    CHECK(run->world().ecs_services()[0]->count(TaskStatus::Running) == 2);
    const auto summary = report::make_summary(*run);
    CHECK_FALSE(summary["alarms"]["final_state"].contains(
        "TargetTracking-service/shop/api-AlarmLow-cpu40"));
}

TEST_CASE("Application Auto Scaling sections: bad references and values at their line and key",
          "[ecs]") {
    const std::string good = scaling_scenario();
    {
        const std::string t = with(good, "resource_id = \"service/shop/api\"\nservice_namespace",
                                   "resource_id = \"service/shop/web\"\nservice_namespace");
        const auto d = about(errors_of(t), "appautoscaling_target[service/shop/web].resource_id");
        CHECK(d.pos.line == line_in(t, "resource_id = \"service/shop/web\""));
        CHECK(d.message.find("unknown ECS service `web`") != std::string::npos);
    }
    {
        const std::string t = with(good, "resource_id = \"service/shop/api\"\nservice_namespace",
                                   "resource_id = \"shop/api\"\nservice_namespace");
        const auto d = about(errors_of(t), "appautoscaling_target[shop/api].resource_id");
        CHECK(d.message.find("service/<cluster>/<service>") != std::string::npos);
    }
    {
        const std::string t = with(good, "min_capacity = 1", "min_capacity = 5");
        const auto d = about(errors_of(t), "appautoscaling_target[service/shop/api].min_capacity");
        CHECK(d.pos.line == line_in(t, "min_capacity = 5"));
    }
    {
        const std::string t = with(good, "name = \"cpu40\"\nresource_id = \"service/shop/api\"",
                                   "name = \"cpu40\"\nresource_id = \"service/shop/apx\"");
        const auto d = about(errors_of(t), "appautoscaling_policy[cpu40].resource_id");
        CHECK(d.pos.line == line_in(t, "resource_id = \"service/shop/apx\""));
    }
    {
        const std::string t =
            with(good, "ECSServiceAverageCPUUtilization", "ECSServiceAverageCPUUtilisation");
        const auto d =
            about(errors_of(t),
                  "appautoscaling_policy[cpu40].target_tracking_scaling_policy_"
                  "configuration.predefined_metric_specification.predefined_metric_type");
        CHECK(d.message.find("ECSServiceAverageCPUUtilization") != std::string::npos);
    }
    {
        const std::string t = with(good, "app_memory = 128", "app_memory = 600");
        const auto d = about(errors_of(t), "ecs_task_definition[api].app_memory");
        CHECK(d.pos.line == line_in(t, "app_memory = 600"));
    }
    {
        // Step scaling (Terraform's default policy type) runs once it has its configuration.
        const std::string t = with(
            good,
            "policy_type = \"TargetTrackingScaling\"\ntarget_tracking_scaling_policy_configuration",
            "policy_type = \"StepScaling\"\nstep_scaling_policy_configuration = { "
            "adjustment_type = \"ChangeInCapacity\", step_adjustment = [{ "
            "metric_interval_lower_bound = 0, scaling_adjustment = 1 }] }\n#");
        const Spec spec = load_text(t, "ecs.toml", {}, ".");
        REQUIRE(spec.appautoscaling_policy.size() == 1);
        REQUIRE(spec.appautoscaling_policy[0].step_scaling);
        CHECK(spec.appautoscaling_policy[0].step_scaling->cooldown == 300);  // AWS's default
        CHECK(unsupported_features(spec).empty());
    }
}

TEST_CASE("a Fargate-only run counts task-hours, not EC2 instance-hours", "[ecs]") {
    auto run = run_scenario(kService);
    const auto summary = report::make_summary(*run);
    // No EC2 instance was launched: no instance-hours (the tasks' compute is no instance).
    REQUIRE(summary["instances"]["launched"] == 0);
    CHECK(summary["instances"]["instance_hours"]["on_demand"].get<double>() == 0);
    // Two tasks, each PENDING from 20 s (after provisioning) to the end at 1800 s:
    // 2 x 1780 / 3600 = 0.988889 task-hours, as Fargate bills them per second.
    const auto& tasks = summary["ecs_tasks"];
    CHECK(tasks["started"] == 2);
    CHECK(tasks["stopped"] == 0);
    CHECK(tasks["running_at_end"] == 2);
    // summary.json rounds to 6 decimals.
    CHECK(tasks["fargate_task_hours"].get<double>() == Approx(2 * 1780.0 / 3600).margin(1e-6));
    const std::string text = report::human_summary(*run, summary, "");
    CHECK(text.find("2 ECS tasks started, 0 stopped, 2 running at the end, 0.99 Fargate "
                    "task-hours") != std::string::npos);
    CHECK(text.find("instance-hours") == std::string::npos);
}

TEST_CASE("Service Auto Scaling: registering the target brings desired_count within its bounds",
          "[ecs]") {
    // desired_count 1 with min_capacity 3: RegisterScalableTarget sets 3 at once (at 0 s).
    const std::string t = with(scaling_scenario(), "min_capacity = 1", "min_capacity = 3");
    auto run = run_scenario(with(t, "duration = \"40m\"", "duration = \"3m\""));
    const auto changes = count_changes(*run);
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].t == 0);
    CHECK(changes[0].from == 1);
    CHECK(changes[0].to == 3);
    CHECK(changes[0].cause.find("RegisterScalableTarget service/shop/api") != std::string::npos);
    CHECK(run->world().ecs_services()[0]->counts().started == 3);
}

TEST_CASE("lab 23: Service Auto Scaling meets the flash sale three minutes late, then in steps",
          "[ecs][scenarios][labs]") {
    const std::string file =
        std::string(STRATUS_SOURCE_DIR) + "/scenarios/labs/23-fargate-service-auto-scaling.toml";
    // Preconditions: 2 tasks of 0.5 vCPU, 8 requests/s of 50 ms on average (40 % CPU), x 4
    // from 900 s to 2100 s; target 50 %, 2 to 10 tasks, cooldowns of 300 s.
    const Spec spec = load_file(file);
    REQUIRE(spec.ecs_service.size() == 1);
    REQUIRE(spec.ecs_service[0].desired_count == 2);
    REQUIRE(spec.ecs_task_definition[0].cpu == 512);
    REQUIRE(spec.appautoscaling_target.size() == 1);
    REQUIRE(spec.appautoscaling_target[0].min_capacity == 2);
    REQUIRE(spec.appautoscaling_target[0].max_capacity == 10);
    REQUIRE(spec.appautoscaling_policy.size() == 1);
    REQUIRE(spec.appautoscaling_policy[0].target_tracking->target_value == 50);
    REQUIRE(spec.appautoscaling_policy[0].target_tracking->scale_out_cooldown == 300);
    REQUIRE(spec.workload[0].spike.size() == 1);
    auto run = run_scenario_file(file);
    const auto changes = count_changes(*run);
    REQUIRE(changes.size() == 3);
    // Three datapoints above 50 % (minutes 15, 16, 17) put the alarm in ALARM at 18:00: two
    // saturated tasks ask for ceil(2 x 100 / 50) = 4.
    CHECK(changes[0].t == 18 * 60);
    CHECK(changes[0].to == 4);
    // 4 tasks at 32 / 4 = 8 requests/s (80 %): ceil(4 x 80 / 50) = 7, once the 300 s
    // cooldown has passed.
    CHECK(changes[1].t == 23 * 60);
    CHECK(changes[1].to == 7);
    // After the sale (35:00), 15 datapoints below 45 % take it back to min_capacity.
    CHECK(changes[2].to == 2);
    CHECK(changes[2].t >= 35 * 60 + 15 * 60 - 5 * 60);
    const auto summary = report::make_summary(*run);
    CHECK(summary["ecs_tasks"]["started"] == 7);
    // The 503s all come before the first scale-out's tasks serve (18:00 plus about a minute).
    CHECK(summary["requests"]["errors"]["http_503"].get<int>() > 1000);
    CHECK(summary["requests"]["errors"]["http_503"].get<int>() < 3000);
}

// ---- Step scaling, several policies, scheduled actions ----------------------------------------

namespace {

// kService with no traffic and a constant MemoryUtilization of 256 / 1024 MiB = 25 % (no
// memory per request), the scalable target [1, `max`], and `extra` appended.
std::string step_scenario(int desired, int max, const std::string& extra) {
    std::string t = with(kService, "request_memory = 64", "request_memory = 0");
    t = with(t, "desired_count = 2", "desired_count = " + std::to_string(desired));
    t = with(t, "rate = 8", "rate = 0");
    return t +
           "[[appautoscaling_target]]\nresource_id = \"service/shop/api\"\nmin_capacity = 1\n"
           "max_capacity = " +
           std::to_string(max) + "\n" + extra;
}

// A step scaling policy on service/shop/api and an alarm on MemoryUtilization naming it.
std::string step_policy(const std::string& name, const std::string& configuration,
                        const std::string& comparison, double threshold) {
    return fmt::format(
        "[[appautoscaling_policy]]\nname = \"{0}\"\nresource_id = \"service/shop/api\"\n"
        "policy_type = \"StepScaling\"\nstep_scaling_policy_configuration = {1}\n"
        "[[cloudwatch_metric_alarm]]\nalarm_name = \"{0}-alarm\"\nnamespace = \"AWS/ECS\"\n"
        "metric_name = \"MemoryUtilization\"\n"
        "dimensions = {{ ClusterName = \"shop\", ServiceName = \"api\" }}\nperiod = 60\n"
        "evaluation_periods = 1\ncomparison_operator = \"{2}\"\nthreshold = {3}\n"
        "alarm_actions = [\"{0}\"]\n",
        name, configuration, comparison, threshold);
}

std::vector<CountChange> by_policy(const report::Run& run, const std::string& policy) {
    std::vector<CountChange> out;
    for (const auto& c : count_changes(run))
        if (c.cause.find("policy " + policy) != std::string::npos) out.push_back(c);
    return out;
}

}  // namespace

TEST_CASE("step scaling: the step that holds the datapoint, and the cooldown", "[ecs]") {
    // MemoryUtilization 25 % against a threshold of 10: 15 above it, in the step [10, inf)
    // (+2). During the 300 s cooldown the 2 tasks it added count as part of the desired count
    // (2 + 2 = 4: nothing more); once it has passed, 4 + 2 = 6, capped at max_capacity 5.
    auto run = run_scenario(step_scenario(
        2, 5,
        step_policy("mem-step",
                    "{ adjustment_type = \"ChangeInCapacity\", cooldown = 300, step_adjustment = "
                    "[{ metric_interval_lower_bound = 0, metric_interval_upper_bound = 10, "
                    "scaling_adjustment = 1 }, { metric_interval_lower_bound = 10, "
                    "scaling_adjustment = 2 }] }",
                    "GreaterThanThreshold", 10)));
    const auto changes = by_policy(*run, "mem-step");
    REQUIRE(changes.size() == 2);
    CHECK(changes[0].from == 2);
    CHECK(changes[0].to == 4);
    CHECK(changes[0].t > 0);
    CHECK(changes[0].t <= 180);
    CHECK(changes[1].from == 4);
    CHECK(changes[1].to == 5);
    CHECK(changes[1].t == changes[0].t + 300);
    CHECK(changes[0].cause.find("step scaling: 2 +2 -> 4") != std::string::npos);
    CHECK(run->world().ecs_services()[0]->count(TaskStatus::Running) == 5);
}

TEST_CASE("step scaling: PercentChangeInCapacity with MinAdjustmentMagnitude, ExactCapacity",
          "[ecs]") {
    SECTION("AWS's example: 25 % of 4 tasks is 1, MinAdjustmentMagnitude 2 adds 2") {
        auto run = run_scenario(step_scenario(
            4, 10,
            step_policy("pct",
                        "{ adjustment_type = \"PercentChangeInCapacity\", "
                        "min_adjustment_magnitude = 2, step_adjustment = [{ "
                        "metric_interval_lower_bound = 0, scaling_adjustment = 25 }] }",
                        "GreaterThanThreshold", 10)));
        const auto changes = by_policy(*run, "pct");
        REQUIRE(!changes.empty());
        CHECK(changes[0].from == 4);
        CHECK(changes[0].to == 6);
        // 300 s later (the default cooldown): 25 % of 6 = 1.5 -> 1, raised to 2: 8.
        REQUIRE(changes.size() >= 2);
        CHECK(changes[1].to == 8);
        CHECK(changes[1].t == changes[0].t + 300);
    }
    SECTION("ExactCapacity sets the count") {
        auto run = run_scenario(step_scenario(
            2, 10,
            step_policy("exact",
                        "{ adjustment_type = \"ExactCapacity\", step_adjustment = [{ "
                        "metric_interval_lower_bound = 0, scaling_adjustment = 3 }] }",
                        "GreaterThanThreshold", 10)));
        const auto changes = by_policy(*run, "exact");
        REQUIRE(changes.size() == 1);
        CHECK(changes[0].from == 2);
        CHECK(changes[0].to == 3);
    }
}

TEST_CASE("step scaling: MetricAggregationType picks the step from the alarm's newest period",
          "[ecs]") {
    // AWS's API reference (StepAdjustment): a step's bounds are against the aggregated metric,
    // aggregated as the policy's MetricAggregationType says. The alarm: Average of CPU over
    // 60 s > 70. Minute [0, 60) holds samples 60 and 90: Average 75, ALARM at 60 s.
    cloud::MetricStore store;
    CloudWatchMetricAlarmSpec a;
    a.alarm_name = "cpu-high";
    a.namespace_ = "AWS/ECS";
    a.metric_name = "CPUUtilization";
    a.dimensions = {{"ClusterName", "shop"}, {"ServiceName", "api"}};
    a.statistic = Statistic::Average;
    a.period = 60;
    a.evaluation_periods = 1;
    a.comparison_operator = ComparisonOperator::GreaterThanThreshold;
    a.threshold = 70;
    cloud::MetricAlarm alarm(a);
    const auto id = alarm.track_metric(store);
    REQUIRE(store.put(id, 0, 60.0));
    REQUIRE(store.put(id, 30 * kSecond, 90.0));
    REQUIRE(alarm.evaluate(kMinute, store).state == cloud::AlarmState::ALARM);
    REQUIRE(alarm.last_value() == 75.0);
    REQUIRE(alarm.last_period_start() == SimTime{0});
    using A = MetricAggregationType;
    CHECK(cloud::step_metric_value(alarm, store, A::Average) == 75.0);
    CHECK(cloud::step_metric_value(alarm, store, A::Maximum) == 90.0);
    CHECK(cloud::step_metric_value(alarm, store, A::Minimum) == 60.0);
    // Steps [0, 10) +1, [10, inf) +3 above the threshold: Average 75 is 5 above (+1),
    // Maximum 90 is 20 above (+3), Minimum 60 is below the threshold: no step holds it.
    std::vector<StepAdjustmentSpec> steps(2);
    steps[0].metric_interval_lower_bound = 0;
    steps[0].metric_interval_upper_bound = 10;
    steps[0].scaling_adjustment = 1;
    steps[1].metric_interval_lower_bound = 10;
    steps[1].scaling_adjustment = 3;
    CHECK(cloud::select_step(steps, *cloud::step_metric_value(alarm, store, A::Average), 70) == 1);
    CHECK(cloud::select_step(steps, *cloud::step_metric_value(alarm, store, A::Maximum), 70) == 3);
    CHECK_FALSE(cloud::select_step(steps, *cloud::step_metric_value(alarm, store, A::Minimum), 70));
    CHECK(cloud::aggregation_text(A::Maximum, 90) == ", Maximum 90");
    CHECK(cloud::aggregation_text(A::Average, 75).empty());
    // An alarm on Maximum read with Maximum: its own datapoint.
    a.statistic = Statistic::Maximum;
    cloud::MetricAlarm max_alarm(a);
    REQUIRE(max_alarm.evaluate(kMinute, store).state == cloud::AlarmState::ALARM);
    CHECK(cloud::step_metric_value(max_alarm, store, A::Maximum) == 90.0);
    CHECK(cloud::step_metric_value(max_alarm, store, A::Average) == 75.0);
}

TEST_CASE("step scaling: metric_aggregation_type loads for EC2 and ECS policies, and is written",
          "[ecs]") {
    // EC2 Auto Scaling's PutScalingPolicy has the same MetricAggregationType (Average when
    // unset); both grammars take it.
    std::string t = step_scenario(
        2, 5,
        step_policy("mem-step",
                    "{ adjustment_type = \"ChangeInCapacity\", metric_aggregation_type = "
                    "\"Maximum\", step_adjustment = [{ metric_interval_lower_bound = 0, "
                    "scaling_adjustment = 1 }] }",
                    "GreaterThanThreshold", 10));
    const Spec spec = load_text(t, "step.toml");
    REQUIRE(spec.appautoscaling_policy.size() == 1);
    CHECK(spec.appautoscaling_policy[0].step_scaling->metric_aggregation_type ==
          MetricAggregationType::Maximum);
    const Spec lab = load_file(
        std::string(STRATUS_SOURCE_DIR) + "/scenarios/labs/05-simple-vs-step-scaling.toml",
        {"autoscaling_policy.step.metric_aggregation_type=\"Minimum\""});
    REQUIRE(lab.autoscaling_policy.size() == 2);
    CHECK(lab.autoscaling_policy[0].metric_aggregation_type == MetricAggregationType::Average);
    CHECK(lab.autoscaling_policy[1].metric_aggregation_type == MetricAggregationType::Minimum);
    // The run: memory is a constant 25 %, so Maximum = Average: the step is the same.
    auto run = run_scenario(t);
    const auto changes = by_policy(*run, "mem-step");
    REQUIRE(!changes.empty());
    CHECK(changes[0].to == 3);
    CHECK(changes[0].cause.find("(step scaling, Maximum 25: 2 +1 -> 3)") != std::string::npos);
}

namespace {

// A target tracking policy on service/shop/api; `extra` ends its configuration table.
std::string tracking(const std::string& name, const std::string& metric, double target,
                     const std::string& extra = "") {
    return fmt::format(
        "[[appautoscaling_policy]]\nname = \"{}\"\nresource_id = \"service/shop/api\"\n"
        "policy_type = \"TargetTrackingScaling\"\n"
        "target_tracking_scaling_policy_configuration = {{ predefined_metric_specification = {{ "
        "predefined_metric_type = \"{}\" }}, target_value = {}{} }}\n",
        name, metric, target, extra);
}

}  // namespace

TEST_CASE("several policies: a step scale-in does not wait for target tracking", "[ecs]") {
    // MemoryUtilization 25 % < 50: the step (-inf, 0] removes a task.
    const std::string step =
        step_policy("mem-in",
                    "{ adjustment_type = \"ChangeInCapacity\", step_adjustment = [{ "
                    "metric_interval_upper_bound = 0, scaling_adjustment = -1 }] }",
                    "LessThanThreshold", 50);
    SECTION("alone, it scales in at once, then after each cooldown (300 s by default)") {
        auto run = run_scenario(step_scenario(3, 4, step));
        const auto changes = by_policy(*run, "mem-in");
        REQUIRE(changes.size() == 2);
        CHECK(changes[0].to == 2);
        CHECK(changes[0].t <= 180);
        CHECK(changes[1].to == 1);  // min_capacity
        CHECK(changes[1].t == changes[0].t + 300);
    }
    SECTION("beside target tracking on CPU that is not ready to scale in: not blocked") {
        // No traffic: CPU 0 %, but the target tracking policy's low alarm needs 15 one-minute
        // datapoints below 0.9 x 40 before it is ready. AWS (PutScalingPolicy): a step
        // scale-in before then is not blocked.
        auto run = run_scenario(
            step_scenario(3, 4, step + tracking("cpu40", "ECSServiceAverageCPUUtilization", 40)));
        const auto changes = by_policy(*run, "mem-in");
        REQUIRE(changes.size() == 2);
        CHECK(changes[0].t <= 180);
        CHECK(changes[1].to == 1);
        CHECK(changes[1].t == changes[0].t + 300);
    }
}

TEST_CASE("several target tracking policies: a scale-in needs every one of them", "[ecs]") {
    // CPU 0 % against 40: the CPU policy's low alarm (15 of 15 datapoints below 36) is in
    // ALARM from 15 minutes on and asks for ceil(3 x 0 / 40) = 0, min_capacity 1. Memory 25 %
    // against 26: neither above 26 (no scale-out) nor below 0.9 x 26 = 23.4 (no scale-in).
    const std::string cpu = tracking("cpu40", "ECSServiceAverageCPUUtilization", 40);
    SECTION("the memory policy is not ready to scale in: 3 tasks for the whole 30 minutes") {
        auto run = run_scenario(
            step_scenario(3, 4, cpu + tracking("mem26", "ECSServiceAverageMemoryUtilization", 26)));
        CHECK(count_changes(*run).empty());
        CHECK(run->world().ecs_services()[0]->count(TaskStatus::Running) == 3);
    }
    SECTION("with the memory policy's scale-in disabled, the CPU policy scales in alone") {
        auto run =
            run_scenario(step_scenario(3, 4,
                                       cpu + tracking("mem26", "ECSServiceAverageMemoryUtilization",
                                                      26, ", disable_scale_in = true")));
        const auto changes = count_changes(*run);
        REQUIRE(changes.size() == 1);
        CHECK(changes[0].from == 3);
        CHECK(changes[0].to == 1);
        CHECK(changes[0].t >= 15 * 60);
        CHECK(changes[0].t <= 17 * 60);
    }
}

TEST_CASE("scheduled actions set min and max, and the desired count follows", "[ecs]") {
    // The run starts 2026-01-05T00:00:00Z. rate(10 minutes) from the start: 600 s and 1200 s
    // (its end_time 21 minutes), min 3; at 00:25 UTC, min 1 and max 2.
    const std::string actions =
        "[[appautoscaling_scheduled_action]]\nname = \"busy\"\n"
        "resource_id = \"service/shop/api\"\nschedule = \"rate(10 minutes)\"\nend_time = \"21m\"\n"
        "scalable_target_action = { min_capacity = 3 }\n"
        "[[appautoscaling_scheduled_action]]\nname = \"quiet\"\n"
        "resource_id = \"service/shop/api\"\nschedule = \"at(2026-01-05T00:25:00)\"\n"
        "scalable_target_action = { min_capacity = 1, max_capacity = 2 }\n";
    auto run = run_scenario(step_scenario(2, 5, actions));
    const auto changes = count_changes(*run);
    REQUIRE(changes.size() == 2);
    CHECK(changes[0].t == 600);
    CHECK(changes[0].to == 3);
    CHECK(changes[0].cause.find("scheduled action busy") != std::string::npos);
    CHECK(changes[1].t == 1500);
    CHECK(changes[1].to == 2);
    const auto runs = testing::times_of(*run, "appautoscaling_scheduled_action", "", "");
    CHECK(runs == std::vector<double>{600, 1200, 1500});
}

TEST_CASE("Application Auto Scaling schedules: at(), rate(), cron() with EventBridge's fields",
          "[ecs]") {
    CHECK(parse_app_schedule("cron(0 9 ? * MON-FRI *)").cron ==
          CronSchedule::parse("0 9 * * MON-FRI"));
    // Day-of-week 1-7 is SUN-SAT: 2-6 is Monday to Friday.
    CHECK(parse_app_schedule("cron(30 18 ? * 2-6 *)").cron == CronSchedule::parse("30 18 * * 1-5"));
    CHECK(parse_app_schedule("rate(5 minutes)").rate_s == 300);
    CHECK(parse_app_schedule("rate(1 hour)").rate_s == 3600);
    CHECK(parse_app_schedule("rate(2 days)").rate_s == 172800);
    const AppSchedule at = parse_app_schedule("at(2026-01-05T00:25:00)");
    CHECK(at.at_epoch("UTC") == 1767571200 + 1500);
    CHECK(at.at_epoch("Asia/Seoul") == 1767571200 + 1500 - 9 * 3600);  // UTC+9
    for (const char* bad :
         {"rate(0 minutes)", "rate(5 weeks)", "cron(0 9 * * ?)", "cron(0 9 ? * 8 *)",
          "cron(0 9 ? * * 2027)", "at(2026-02-30T00:00:00)", "every 5 minutes"}) {
        INFO(bad);
        CHECK_THROWS_AS(parse_app_schedule(bad), CronError);
    }
}

TEST_CASE("step scaling and scheduled actions: bad values at their line and key", "[ecs]") {
    SECTION("a StepScaling policy needs its configuration, and only it takes one") {
        const std::string t = step_scenario(
            2, 4,
            "[[appautoscaling_policy]]\nname = \"p\"\nresource_id = \"service/shop/api\"\n"
            "policy_type = \"StepScaling\"\n");
        CHECK(about(errors_of(t), "appautoscaling_policy[p]")
                  .message.find("step_scaling_policy_configuration") != std::string::npos);
    }
    SECTION("overlapping steps") {
        const std::string t = step_scenario(
            2, 4,
            step_policy("p",
                        "{ adjustment_type = \"ChangeInCapacity\", step_adjustment = [{ "
                        "metric_interval_lower_bound = 0, scaling_adjustment = 1 }, { "
                        "metric_interval_lower_bound = 5, scaling_adjustment = 2 }] }",
                        "GreaterThanThreshold", 10));
        const Diagnostic d = about(errors_of(t),
                                   "appautoscaling_policy[p].step_scaling_policy_configuration."
                                   "step_adjustment[1]");
        CHECK(d.message.find("overlaps") != std::string::npos);
        CHECK(d.pos.line == line_in(t, "step_scaling_policy_configuration = "));
    }
    SECTION("a schedule AWS refuses, an unknown time zone, no bounds") {
        const std::string t =
            step_scenario(2, 4,
                          "[[appautoscaling_scheduled_action]]\nname = \"a\"\n"
                          "resource_id = \"service/shop/api\"\nschedule = \"cron(0 9 * * *)\"\n"
                          "timezone = \"Asia/Seol\"\nscalable_target_action = {}\n");
        const auto ds = errors_of(t);
        const Diagnostic d = about(ds, "appautoscaling_scheduled_action[a].schedule");
        CHECK(d.pos.line == line_in(t, "schedule = \"cron"));
        CHECK(d.message.find("6 fields") != std::string::npos);
        CHECK(about(ds, "appautoscaling_scheduled_action[a].timezone").message.find("Asia/Seol") !=
              std::string::npos);
        CHECK(about(ds, "appautoscaling_scheduled_action[a].scalable_target_action")
                  .message.find("min_capacity or max_capacity") != std::string::npos);
    }
}

}  // namespace test_ecs_scaling
