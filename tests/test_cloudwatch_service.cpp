// The CloudWatch service publishes each load balancer's metrics from its own traffic: two
// Application Load Balancers in one run, one overloaded and one not, and alarms on each that
// must fire independently (TargetResponseTime and HTTPCode_Target_5XX_Count by LoadBalancer:
// a full queue's 503 is the target's own), in request and fluid mode, with one-minute and with
// high-resolution (10 s) alarms.
#include <catch2/catch.hpp>

#include <array>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "sim/cloud/cloudwatch.hpp"
#include "sim/cloud/events.hpp"
#include "sim/cloud/fluid_model.hpp"
#include "sim/cloud/world.hpp"
#include "sim/core/queueing.hpp"
#include "sim/report/outputs.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/loader.hpp"

namespace test_cloudwatch_service {

using namespace stratus;

namespace {

// Two web tiers side by side, each its own ALB, target group and group of two m5.large (two
// workers each, 50 ms per request on average, exponential): 40 requests/s per group is half
// their capacity of 80/s. At 10 minutes the api's clients triple to 120/s: its queues (20
// requests each) fill within a second, the overflow gets the targets' own 503, and the
// requests it serves wait behind 20 others, about 0.55 s. The shop's stay at 40/s throughout.
constexpr const char* kTwoAlbs = R"(
[simulation]
name = "two-albs"
duration = "20m"
seed = 11
metrics_period = "1m"

[region]
name = "us-east-1"
availability_zones = ["us-east-1a", "us-east-1b"]

[[launch_template]]
name = "web"
instance_type = "m5.large"
max_queue = 20
boot_time = "0s"
app_start_time = "0s"

[[target_group]]
name = "shop-tg"
health_check = { interval = 5, timeout = 4, healthy_threshold = 2, unhealthy_threshold = 10 }

[[target_group]]
name = "api-tg"
health_check = { interval = 5, timeout = 4, healthy_threshold = 2, unhealthy_threshold = 10 }

[[load_balancer]]
name = "shop-alb"

[[load_balancer]]
name = "api-alb"

[[lb_listener]]
load_balancer = "shop-alb"
target_group = "shop-tg"

[[lb_listener]]
load_balancer = "api-alb"
target_group = "api-tg"

[[autoscaling_group]]
name = "shop"
launch_template = "web"
min_size = 2
max_size = 2
desired_capacity = 2
target_groups = ["shop-tg"]

[[autoscaling_group]]
name = "api"
launch_template = "web"
min_size = 2
max_size = 2
desired_capacity = 2
target_groups = ["api-tg"]

[[workload]]
name = "shoppers"
load_balancer = "shop-alb"
rate = { shape = "steps", steps = [["0s", 0], ["30s", 40]] }
service_time = { dist = "exponential", mean = "50ms" }
timeout = "60s"

[[workload]]
name = "api-clients"
load_balancer = "api-alb"
rate = { shape = "steps", steps = [["0s", 0], ["30s", 40], ["10m", 120]] }
service_time = { dist = "exponential", mean = "50ms" }
timeout = "60s"

[[cloudwatch_metric_alarm]]
alarm_name = "shop-slow"
namespace = "AWS/ApplicationELB"
metric_name = "TargetResponseTime"
dimensions = { LoadBalancer = "shop-alb" }
statistic = "Average"
period = 60
evaluation_periods = 2
comparison_operator = "GreaterThanThreshold"
threshold = 0.3

[[cloudwatch_metric_alarm]]
alarm_name = "api-slow"
namespace = "AWS/ApplicationELB"
metric_name = "TargetResponseTime"
dimensions = { LoadBalancer = "api-alb" }
statistic = "Average"
period = 60
evaluation_periods = 2
comparison_operator = "GreaterThanThreshold"
threshold = 0.3

[[cloudwatch_metric_alarm]]
alarm_name = "shop-5xx"
namespace = "AWS/ApplicationELB"
metric_name = "HTTPCode_Target_5XX_Count"
dimensions = { LoadBalancer = "shop-alb" }
statistic = "Sum"
period = 60
evaluation_periods = 1
comparison_operator = "GreaterThanThreshold"
threshold = 0
treat_missing_data = "notBreaching"

[[cloudwatch_metric_alarm]]
alarm_name = "api-5xx"
namespace = "AWS/ApplicationELB"
metric_name = "HTTPCode_Target_5XX_Count"
dimensions = { LoadBalancer = "api-alb" }
statistic = "Sum"
period = 60
evaluation_periods = 1
comparison_operator = "GreaterThanThreshold"
threshold = 0
treat_missing_data = "notBreaching"
)";

// The second variant: 10 s metrics periods and alarms on other periods (high-resolution 10 s
// on the api, 5 minutes on the shop, 30 s on the 5xx counts).
const std::vector<std::string> kOtherPeriods = {
    "simulation.metrics_period=10s",
    "cloudwatch_metric_alarm.api-slow.period=10",
    "cloudwatch_metric_alarm.api-slow.evaluation_periods=3",
    "cloudwatch_metric_alarm.shop-slow.period=300",
    "cloudwatch_metric_alarm.shop-slow.evaluation_periods=1",
    "cloudwatch_metric_alarm.shop-5xx.period=30",
    "cloudwatch_metric_alarm.api-5xx.period=30",
};

const cloud::MetricAlarm& alarm(const cloud::World& world, const std::string& name) {
    for (const cloud::MetricAlarm* a : world.alarms())
        if (a->alarm_name() == name) return *a;
    FAIL("no alarm " << name);
    throw;
}

// When each alarm went into ALARM (seconds), in order.
std::vector<double> alarm_times(const report::Run& run, const std::string& name) {
    std::vector<double> out;
    for (const auto& r : run.recorder().log().records())
        if (const auto* e = r.as<cloud::event::AlarmStateChanged>())
            if (e->alarm == name && e->to == cloud::AlarmState::ALARM)
                out.push_back(to_seconds(r.t));
    return out;
}

void check_independent(const report::Run& run, double api_alarm_from, double api_alarm_to) {
    const cloud::World& world = run.world();
    REQUIRE(world.finished());
    REQUIRE(world.alarms().size() == 4);
    // The shop's clients never waited: its alarms never fired, whatever the api's did.
    CHECK(alarm_times(run, "shop-slow").empty());
    CHECK(alarm_times(run, "shop-5xx").empty());
    CHECK(alarm(world, "shop-slow").state() == cloud::AlarmState::OK);
    CHECK(alarm(world, "shop-5xx").state() == cloud::AlarmState::OK);
    // The shop's response time is its own: M/M/2 at 20 requests/s per instance, 50 ms each,
    // 0.0667 s (Erlang C), not the mix of both load balancers (about 0.4 s).
    const auto shop_latency = alarm(world, "shop-slow").last_value();
    REQUIRE(shop_latency);
    CHECK(*shop_latency == Approx(mmc_mean_response(2, 20.0, 20.0)).epsilon(0.12));
    // The api's alarms fired once its traffic tripled at 600 s, and stayed.
    const auto slow = alarm_times(run, "api-slow");
    REQUIRE(slow.size() == 1);
    CHECK(slow[0] >= api_alarm_from);
    CHECK(slow[0] <= api_alarm_to);
    const auto errors = alarm_times(run, "api-5xx");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0] > 600);
    CHECK(errors[0] <= 660);
    CHECK(alarm(world, "api-slow").state() == cloud::AlarmState::ALARM);
    CHECK(alarm(world, "api-5xx").state() == cloud::AlarmState::ALARM);
    const auto api_latency = alarm(world, "api-slow").last_value();
    REQUIRE(api_latency);
    CHECK(*api_latency > 0.3);
}

}  // namespace

TEST_CASE("two load balancers publish their own metrics and their alarms fire independently",
          "[cloudwatch][world]") {
    SECTION("request mode, one-minute alarms") {
        report::Run run(scenario::load_text(kTwoAlbs, "two-albs.toml"));
        run.world().run();
        // Both one-minute periods from 600 s breach: ALARM at the 720 s evaluation.
        check_independent(run, 720, 720);
    }
    SECTION("fluid mode, one-minute alarms") {
        report::Run run(
            scenario::load_text(kTwoAlbs, "two-albs.toml", {"simulation.fidelity=fluid"}));
        run.world().run();
        check_independent(run, 720, 780);
    }
    SECTION("request mode, 10 s metrics periods and alarms of 10 s, 30 s and 5 minutes") {
        report::Run run(scenario::load_text(kTwoAlbs, "two-albs.toml", kOtherPeriods));
        run.world().run();
        // Three 10 s periods from 600 s breach: ALARM at 630 s, or one period later when the
        // first, the queues filling, averages under 0.3 s.
        check_independent(run, 630, 640);
    }
    SECTION("fluid mode, 10 s metrics periods and alarms of 10 s, 30 s and 5 minutes") {
        auto sets = kOtherPeriods;
        sets.push_back("simulation.fidelity=fluid");
        report::Run run(scenario::load_text(kTwoAlbs, "two-albs.toml", sets));
        run.world().run();
        check_independent(run, 630, 660);
    }
}

// Blue/green through a temporary port (lab 31's shape, on EC2 targets): the load balancer's
// first listener (80) forwards to blue-tg, a second one (999) to green-tg. ELB publishes
// AWS/ApplicationELB metrics for every target group a listener forwards to, by TargetGroup and
// by TargetGroup and LoadBalancer: green-tg's before any swap. Two m5.large in each group; the
// shoppers send 20 requests/s to port 80, the team 2 requests/s to port 999.
constexpr const char* kTwoListeners = R"(
[simulation]
name = "two-listeners"
duration = "10m"
seed = 5
metrics_period = "1m"

[region]
name = "us-east-1"
availability_zones = ["us-east-1a", "us-east-1b"]

[[launch_template]]
name = "web"
instance_type = "m5.large"
boot_time = "0s"
app_start_time = "0s"

[[target_group]]
name = "blue-tg"
health_check = { interval = 5, timeout = 4, healthy_threshold = 2, unhealthy_threshold = 2 }

[[target_group]]
name = "green-tg"
health_check = { interval = 5, timeout = 4, healthy_threshold = 2, unhealthy_threshold = 2 }

[[load_balancer]]
name = "shop-alb"

[[lb_listener]]
load_balancer = "shop-alb"
port = 80
target_group = "blue-tg"

[[lb_listener]]
load_balancer = "shop-alb"
port = 999
target_group = "green-tg"

[[autoscaling_group]]
name = "blue"
launch_template = "web"
min_size = 2
max_size = 2
desired_capacity = 2
target_groups = ["blue-tg"]

[[autoscaling_group]]
name = "green"
launch_template = "web"
min_size = 2
max_size = 2
desired_capacity = 2
target_groups = ["green-tg"]

[[workload]]
name = "shoppers"
load_balancer = "shop-alb"
rate = 20
service_time = { dist = "constant", mean = "20ms" }

[[workload]]
name = "qa"
load_balancer = "shop-alb"
listener_port = 999
rate = 2
service_time = { dist = "constant", mean = "20ms" }

[[cloudwatch_metric_alarm]]
alarm_name = "green-healthy"
namespace = "AWS/ApplicationELB"
metric_name = "HealthyHostCount"
dimensions = { TargetGroup = "green-tg", LoadBalancer = "shop-alb" }
statistic = "Minimum"
period = 60
evaluation_periods = 1
comparison_operator = "LessThanThreshold"
threshold = 1

[[cloudwatch_metric_alarm]]
alarm_name = "green-requests"
namespace = "AWS/ApplicationELB"
metric_name = "RequestCount"
dimensions = { TargetGroup = "green-tg" }
statistic = "Sum"
period = 60
evaluation_periods = 1
comparison_operator = "GreaterThanThreshold"
threshold = 1000

[[cloudwatch_metric_alarm]]
alarm_name = "blue-requests"
namespace = "AWS/ApplicationELB"
metric_name = "RequestCount"
dimensions = { TargetGroup = "blue-tg", LoadBalancer = "shop-alb" }
statistic = "Sum"
period = 60
evaluation_periods = 1
comparison_operator = "GreaterThanThreshold"
threshold = 10000
)";

TEST_CASE("a second listener's target group publishes its metrics, alone and by load balancer",
          "[cloudwatch][world]") {
    for (const char* fidelity : {"request", "fluid"}) {
        SECTION(fidelity) {
            report::Run run(scenario::load_text(kTwoListeners, "two-listeners.toml",
                                                {std::string("simulation.fidelity=") + fidelity}));
            run.world().run();
            const cloud::World& world = run.world();
            REQUIRE(world.finished());
            REQUIRE(world.alarms().size() == 3);
            // Both green targets healthy: HealthyHostCount 2 by TargetGroup and LoadBalancer
            // (before, green-tg had no datapoint: INSUFFICIENT_DATA).
            const auto& healthy = alarm(world, "green-healthy");
            REQUIRE(healthy.last_value());
            CHECK(*healthy.last_value() == 2);
            CHECK(healthy.state() == cloud::AlarmState::OK);
            // 2 requests/s on port 999: 120 a minute by TargetGroup (Poisson arrivals: within
            // about three standard deviations, sqrt(120) = 11).
            const auto& green = alarm(world, "green-requests");
            REQUIRE(green.last_value());
            CHECK(*green.last_value() == Approx(2 * 60).margin(35));
            CHECK(green.state() == cloud::AlarmState::OK);
            // The first listener's group as before: 20 requests/s, 1,200 a minute.
            const auto& blue = alarm(world, "blue-requests");
            REQUIRE(blue.last_value());
            CHECK(*blue.last_value() == Approx(20 * 60).margin(110));
        }
    }
}

// Both listeners' requests are the load balancer's: its RequestCount by LoadBalancer and its
// LCUs count port 999's too (before, only the first listener's target groups were counted).
TEST_CASE("a load balancer's RequestCount and LCUs count every listener's target groups",
          "[cloudwatch][world][lcu]") {
    const std::string text = std::string(kTwoListeners) + R"(
[[cloudwatch_metric_alarm]]
alarm_name = "alb-requests"
namespace = "AWS/ApplicationELB"
metric_name = "RequestCount"
dimensions = { LoadBalancer = "shop-alb" }
statistic = "Sum"
period = 60
evaluation_periods = 1
comparison_operator = "GreaterThanThreshold"
threshold = 100000
)";
    for (const char* fidelity : {"request", "fluid"}) {
        SECTION(fidelity) {
            report::Run run(scenario::load_text(text, "two-listeners.toml",
                                                {std::string("simulation.fidelity=") + fidelity}));
            run.world().run();
            const cloud::World& world = run.world();
            REQUIRE(world.finished());
            const auto summary = report::make_summary(run);
            // The only errors: the load balancer's own 503s before any target is healthy (two
            // 5 s checks), billed on their request bytes alone.
            const auto& errors = summary["requests"]["errors"];
            const double e = errors["total"].get<double>();
            REQUIRE(e == errors["http_503"].get<double>());
            REQUIRE(e < 22 * 15);
            // 20 + 2 requests/s: 1,320 a minute (Poisson: sqrt(1320) = 36, three of them).
            const auto& requests = alarm(world, "alb-requests");
            REQUIRE(requests.last_value());
            CHECK(*requests.last_value() == Approx(22 * 60).margin(110));
            // LCUs: every request of both listeners is a new connection (no keep-alive) and
            // 1,024 + 16,384 = 17,408 bytes processed, a 503 of the load balancer's own its
            // 1,024 request bytes. For the run's N requests, E of them 503s (10 minutes of one
            // clock hour): new connections N / 3600 / 25 = 1.1e-5 N LCU, processed bytes
            // ((N - E) x 17,408 + E x 1,024) / 1e9, about 1.74e-5 N LCU, the larger (about
            // 13,200 x 1.74e-5 = 0.23 LCU-hours). Counting port 80 alone gave 20/22 of it.
            const double n = summary["requests"]["total"].get<double>();
            REQUIRE(n == Approx(22.0 * 600).epsilon(0.03));
            double lcu_hours = -1;
            for (const cloud::ChargeLine& l : world.cost().ledger().lines())
                if (l.spec.resource_id == "loadbalancer/app/shop-alb" &&
                    l.spec.usage_type == "LCUUsage")
                    lcu_hours = l.usage_quantity;
            // Fluid mode bills the model's fractional requests; the summary counts whole ones.
            CHECK(lcu_hours == Approx(((n - e) * 17408 + e * 1024) / 1e9)
                                   .epsilon(fidelity[0] == 'r' ? 1e-9 : 1e-3));
        }
    }
}

// TargetResponseTime and HTTPCode_Target_2XX_Count by TargetGroup: each group's own answers.
// The qa team's requests on port 999 (green-tg) take 200 ms, the shoppers' on port 80
// (blue-tg) 20 ms, both constant. Per group, two m5.large of two workers each: green carries
// 2 requests/s, each worker busy 2 x 0.2 / 4 = 10 % of the time, blue 20 x 0.02 / 4 = 10 %;
// waits are rare and short, so each group's mean is about its service time: green 0.2 s,
// blue 0.02 s. The load balancer's TargetResponseTime mixes them, weighted by requests:
// (20 x 0.02 + 2 x 0.2) / 22 = 0.036 s. An alarm at 0.1 s on green-tg fires; the same alarm
// on blue-tg or on the load balancer cannot see green's slowness.
TEST_CASE("TargetResponseTime and HTTPCode_Target_2XX_Count by TargetGroup: an alarm per group",
          "[cloudwatch][world]") {
    std::string text = kTwoListeners;
    const std::string qa =
        "listener_port = 999\nrate = 2\nservice_time = { dist = \"constant\", mean = \"20ms\" }";
    const auto at = text.find(qa);
    REQUIRE(at != std::string::npos);
    text.replace(
        at, qa.size(),
        "listener_port = 999\nrate = 2\nservice_time = { dist = \"constant\", mean = \"200ms\" }");
    for (const char* name : {"green-slow", "blue-slow", "alb-slow"}) {
        const std::string dims = std::string(name) == "green-slow"
                                     ? "{ TargetGroup = \"green-tg\" }"
                                 : std::string(name) == "blue-slow"
                                     ? "{ TargetGroup = \"blue-tg\", LoadBalancer = \"shop-alb\" }"
                                     : "{ LoadBalancer = \"shop-alb\" }";
        text += std::string("\n[[cloudwatch_metric_alarm]]\nalarm_name = \"") + name +
                "\"\nnamespace = \"AWS/ApplicationELB\"\nmetric_name = \"TargetResponseTime\"\n"
                "dimensions = " +
                dims +
                "\nstatistic = \"Average\"\nperiod = 60\nevaluation_periods = 2\n"
                "comparison_operator = \"GreaterThanThreshold\"\nthreshold = 0.1\n";
    }
    text += R"(
[[cloudwatch_metric_alarm]]
alarm_name = "green-2xx"
namespace = "AWS/ApplicationELB"
metric_name = "HTTPCode_Target_2XX_Count"
dimensions = { TargetGroup = "green-tg", LoadBalancer = "shop-alb" }
statistic = "Sum"
period = 60
evaluation_periods = 1
comparison_operator = "LessThanThreshold"
threshold = 1

[[cloudwatch_metric_alarm]]
alarm_name = "green-5xx"
namespace = "AWS/ApplicationELB"
metric_name = "HTTPCode_Target_5XX_Count"
dimensions = { TargetGroup = "green-tg" }
statistic = "Sum"
period = 60
evaluation_periods = 1
comparison_operator = "GreaterThanThreshold"
threshold = 0
treat_missing_data = "notBreaching"
)";
    // Request mode counts each request for its target's group; fluid mode each workload's
    // answers for the group its listener forwards to (FluidModel::count_groups), here one
    // group per listener: the same alarms, the same states.
    for (const char* fidelity : {"request", "fluid"}) {
        SECTION(std::string("each listener's group its own answers: ") + fidelity) {
            const bool fluid = fidelity[0] == 'f';
            report::Run run(scenario::load_text(text, "two-listeners.toml",
                                                {std::string("simulation.fidelity=") + fidelity}));
            run.world().run();
            const cloud::World& world = run.world();
            REQUIRE(world.finished());
            const auto& green = alarm(world, "green-slow");
            const auto& blue = alarm(world, "blue-slow");
            const auto& alb = alarm(world, "alb-slow");
            REQUIRE(green.last_value());
            REQUIRE(blue.last_value());
            REQUIRE(alb.last_value());
            CHECK(*green.last_value() == Approx(0.2).epsilon(0.05));
            CHECK(*blue.last_value() == Approx(0.02).epsilon(0.05));
            CHECK(*alb.last_value() == Approx((20 * 0.02 + 2 * 0.2) / 22).epsilon(0.15));
            CHECK(green.state() == cloud::AlarmState::ALARM);
            CHECK(blue.state() == cloud::AlarmState::OK);
            CHECK(alb.state() == cloud::AlarmState::OK);
            // Both evaluations of the first two minutes with answers breach: ALARM at 120 s.
            CHECK(alarm_times(run, "green-slow") == std::vector<double>{120});
            CHECK(alarm_times(run, "blue-slow").empty());
            // 2 requests/s answered 200 by green's targets: about 120 a minute (the fluid
            // model's expected count: 120, whole requests carried to the next minute).
            const auto& ok = alarm(world, "green-2xx");
            REQUIRE(ok.last_value());
            CHECK(*ok.last_value() == Approx(2 * 60).margin(fluid ? 1 : 35));
            CHECK(ok.state() == cloud::AlarmState::OK);
            // No application errors: no 5xx datapoint at all (missing, not breaching).
            CHECK_FALSE(alarm(world, "green-5xx").last_value());
            CHECK(alarm(world, "green-5xx").state() == cloud::AlarmState::OK);
        }
    }
    SECTION("fluid mode: a load balancer that forwards to one target group") {
        // A load balancer that forwards to one target group (two-albs: api-alb to api-tg):
        // every answer is that group's, so the api's TargetResponseTime by TargetGroup is the
        // load balancer's, and its alarm fires with it.
        std::string albs = std::string(kTwoAlbs) + R"(
[[cloudwatch_metric_alarm]]
alarm_name = "api-tg-slow"
namespace = "AWS/ApplicationELB"
metric_name = "TargetResponseTime"
dimensions = { TargetGroup = "api-tg", LoadBalancer = "api-alb" }
statistic = "Average"
period = 60
evaluation_periods = 2
comparison_operator = "GreaterThanThreshold"
threshold = 0.3
)";
        report::Run run(scenario::load_text(albs, "two-albs.toml", {"simulation.fidelity=fluid"}));
        run.world().run();
        const cloud::World& world = run.world();
        REQUIRE(world.finished());
        const auto& by_group = alarm(world, "api-tg-slow");
        const auto& by_lb = alarm(world, "api-slow");
        REQUIRE(by_group.last_value());
        REQUIRE(by_lb.last_value());
        CHECK(*by_group.last_value() == Approx(*by_lb.last_value()));
        CHECK(alarm_times(run, "api-tg-slow") == alarm_times(run, "api-slow"));
        CHECK(by_group.state() == cloud::AlarmState::ALARM);
    }
}

// HTTPCode_ELB_5XX_Count counts the 5xx "that originate from the load balancer" and not "any
// response codes generated by the targets" (ELB guide): a target's own 500 is
// HTTPCode_Target_5XX_Count's. Two load balancers, each with two m5.large behind it from 0 s:
// web-alb's clients send 20 requests/s from 1 minute, every tenth of them making an s3:PutObject
// that the instance role does not allow (lab 21): the application answers 500, 2 a second,
// 120 a minute, all Target_5XX, none ELB_5XX. empty-alb's target group has no target (its group
// keeps none: 0 desired): each of its 5 requests/s gets the load balancer's 503 for want of a
// healthy target, 300 a minute, all ELB_5XX, none Target_5XX, and no RequestCount (no target
// chosen).
constexpr const char* kWhose5xx = R"(
[simulation]
name = "whose-5xx"
duration = "10m"
seed = 3
metrics_period = "1m"

[region]
name = "us-east-1"
availability_zones = ["us-east-1a", "us-east-1b"]

[[iam_role]]
name = "web-app"
assume_role_policy = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}'

[[iam_policy]]
name = "web-app-s3"
policy = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shop-assets/*"}]}'

[[iam_role_policy_attachment]]
role = "web-app"
policy_arn = "web-app-s3"

[[iam_instance_profile]]
name = "web-app"
role = "web-app"

[[s3_bucket]]
name = "shop-audit-logs"

[[launch_template]]
name = "web"
instance_type = "m5.large"
boot_time = "0s"
app_start_time = "0s"
iam_instance_profile = { name = "web-app" }

[[target_group]]
name = "web-tg"
health_check = { interval = 5, timeout = 4, healthy_threshold = 2, unhealthy_threshold = 2 }

[[target_group]]
name = "empty-tg"

[[load_balancer]]
name = "web-alb"

[[load_balancer]]
name = "empty-alb"

[[lb_listener]]
load_balancer = "web-alb"
target_group = "web-tg"

[[lb_listener]]
load_balancer = "empty-alb"
target_group = "empty-tg"

[[autoscaling_group]]
name = "web"
launch_template = "web"
min_size = 2
max_size = 2
desired_capacity = 2
target_groups = ["web-tg"]

[[autoscaling_group]]
name = "empty"
launch_template = "web"
min_size = 0
max_size = 1
desired_capacity = 0
target_groups = ["empty-tg"]

[[workload]]
name = "shop"
load_balancer = "web-alb"
rate = { shape = "steps", steps = [["0s", 0], ["1m", 20]] }
service_time = { dist = "constant", mean = "20ms" }

[[workload.aws_call]]
action = "s3:PutObject"
resource = "arn:aws:s3:::shop-audit-logs/app/audit.log"
fraction = 0.1

[[workload]]
name = "lost"
load_balancer = "empty-alb"
rate = { shape = "steps", steps = [["0s", 0], ["1m", 5]] }
service_time = { dist = "constant", mean = "20ms" }
)";

// Alarms on each load balancer's three counts, kept for the whole run (10 periods of a minute)
// so that every minute's Sum stays readable; one datapoint above 0 of the ten sets one off.
std::string whose_5xx_alarms() {
    std::string out;
    for (const char* lb : {"web-alb", "empty-alb"})
        for (const char* metric :
             {"HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count", "RequestCount"})
            out += std::string("\n[[cloudwatch_metric_alarm]]\nalarm_name = \"") + lb + "-" +
                   metric + "\"\nnamespace = \"AWS/ApplicationELB\"\nmetric_name = \"" + metric +
                   "\"\ndimensions = { LoadBalancer = \"" + lb +
                   "\" }\nstatistic = \"Sum\"\nperiod = 60\nevaluation_periods = 10\n"
                   "datapoints_to_alarm = 1\n"
                   "comparison_operator = \"GreaterThanThreshold\"\nthreshold = 0\n"
                   "treat_missing_data = \"notBreaching\"\n";
    return out;
}

// The run's datapoints of a load balancer's metric, summed (Sum by minute), and how many
// minutes had one.
std::pair<double, int> minute_sums(const report::Run& run, const std::string& lb,
                                   const std::string& metric) {
    const auto& store = run.world().cloudwatch().store();
    const cloud::MetricKey key{"AWS/ApplicationELB", metric, {{"LoadBalancer", lb}}};
    double sum = 0;
    int minutes = 0;
    for (int m = 0; m < 10; ++m)
        if (const auto v = store.datapoint(key, kMinute, m * kMinute,
                                           cloud::Stat::of(scenario::Statistic::Sum))) {
            sum += *v;
            ++minutes;
        }
    return {sum, minutes};
}

TEST_CASE("HTTPCode_ELB_5XX_Count is the load balancer's own 5xx, a target's 500 is Target_5XX",
          "[cloudwatch][world][iam]") {
    const std::string text = std::string(kWhose5xx) + whose_5xx_alarms();
    SECTION("request mode: an IAM-denied call's 500 and a 503 for want of a healthy target") {
        report::Run run(scenario::load_text(text, "whose-5xx.toml"));
        run.world().run();
        REQUIRE(run.world().finished());
        const auto summary = report::make_summary(run);
        const auto& errors = summary["requests"]["errors"];
        // Preconditions: the only errors are web-alb's 500s and empty-alb's 503s, 9 minutes
        // of each (Poisson arrivals: 10,800 +- 104 requests to web-alb, 2,700 +- 52 to
        // empty-alb; every tenth of web-alb's denied).
        const double http_500 = errors["http_500"].get<double>();
        const double http_503 = errors["http_503"].get<double>();
        REQUIRE(errors["total"].get<double>() == http_500 + http_503);
        REQUIRE(http_500 == Approx(20 * 540 / 10).margin(15));
        REQUIRE(http_503 == Approx(5 * 540).margin(160));
        // web-alb: every 500 is the target's, and none is the load balancer's.
        const auto web_target = minute_sums(run, "web-alb", "HTTPCode_Target_5XX_Count");
        CHECK(web_target.first == http_500);
        CHECK(web_target.second == 9);
        CHECK(minute_sums(run, "web-alb", "HTTPCode_ELB_5XX_Count").second == 0);
        CHECK(minute_sums(run, "web-alb", "RequestCount").first == Approx(20 * 540).margin(320));
        // empty-alb: every 503 is the load balancer's; no target chose, no target answered.
        const auto empty_elb = minute_sums(run, "empty-alb", "HTTPCode_ELB_5XX_Count");
        CHECK(empty_elb.first == http_503);
        CHECK(empty_elb.second == 9);
        CHECK(minute_sums(run, "empty-alb", "HTTPCode_Target_5XX_Count").second == 0);
        CHECK(minute_sums(run, "empty-alb", "RequestCount").second == 0);
        const auto states = summary["alarms"]["final_state"];
        CHECK(states["web-alb-HTTPCode_Target_5XX_Count"] == "ALARM");
        CHECK(states["web-alb-HTTPCode_ELB_5XX_Count"] == "OK");
        CHECK(states["empty-alb-HTTPCode_ELB_5XX_Count"] == "ALARM");
        CHECK(states["empty-alb-HTTPCode_Target_5XX_Count"] == "OK");
    }
    SECTION("fluid mode: a 503 for want of a healthy target is the load balancer's") {
        // The fluid model makes no AWS calls (request mode only): empty-alb's half.
        std::string fluid = text;
        const auto call = fluid.find("[[workload.aws_call]]");
        const auto next = fluid.find("[[workload]]", call);
        REQUIRE(call != std::string::npos);
        fluid.erase(call, next - call);
        report::Run run(
            scenario::load_text(fluid, "whose-5xx.toml", {"simulation.fidelity=fluid"}));
        run.world().run();
        REQUIRE(run.world().finished());
        const auto summary = report::make_summary(run);
        REQUIRE(summary["requests"]["errors"]["http_500"].get<double>() == 0);
        // 5 requests/s for 9 minutes, the fluid model's expected count: 2,700.
        const auto empty_elb = minute_sums(run, "empty-alb", "HTTPCode_ELB_5XX_Count");
        CHECK(empty_elb.first == Approx(5 * 540).epsilon(1e-6));
        CHECK(empty_elb.second == 9);
        CHECK(minute_sums(run, "empty-alb", "HTTPCode_Target_5XX_Count").second == 0);
        CHECK(minute_sums(run, "web-alb", "HTTPCode_ELB_5XX_Count").second == 0);
        CHECK(minute_sums(run, "web-alb", "HTTPCode_Target_5XX_Count").second == 0);
    }
}

namespace {

// A canary on a weighted forward (blue/green on one listener): blue-tg 75, green-tg 25, two
// m5.large (two workers) in each, 40 requests/s of 20 ms from 30 s. Version 2 on green is
// slow: a latency fault adds 180 ms to each of its requests (0.2 s per request). Until 5
// minutes green takes 10 requests/s, its workers busy 10 x 0.2 / 4 = 50 % (M/M/4's mean wait
// at a = 2 is 0.0174 s, an upper bound for these smoother arrivals and constant times): its
// TargetResponseTime 0.2 to 0.217 s, 600 2xx a minute; blue's 30 requests/s take 0.02 s,
// 1,800 2xx a minute. At 5 minutes an action shifts the forward to 0/100: green's 40
// requests/s meet a capacity of 4 / 0.2 = 20 a second, so its queues (max_queue 10) stay full:
// 1,200 answers a minute, each behind 9.5 queued on average for 2 workers of 0.2 s:
// 9.5 / 2 x 0.2 + 0.2 = 1.15 s; the other 1,200 a minute are refused by green's targets with
// their own 503 (HTTPCode_Target_5XX_Count by green-tg, none HTTPCode_ELB_5XX_Count).
constexpr const char* kCanary = R"(
[simulation]
name = "canary"
duration = "10m"
seed = 21
metrics_period = "1m"

[region]
name = "us-east-1"
availability_zones = ["us-east-1a", "us-east-1b"]

[[launch_template]]
name = "web"
instance_type = "m5.large"
max_queue = 10
boot_time = "0s"
app_start_time = "0s"

[[target_group]]
name = "blue-tg"
health_check = { interval = 5, timeout = 4, healthy_threshold = 2, unhealthy_threshold = 10 }

[[target_group]]
name = "green-tg"
health_check = { interval = 5, timeout = 4, healthy_threshold = 2, unhealthy_threshold = 10 }

[[load_balancer]]
name = "shop-alb"

[[lb_listener]]
load_balancer = "shop-alb"
default_action = [{ type = "forward", forward = { target_group = [
  { arn = "blue-tg", weight = 75 }, { arn = "green-tg", weight = 25 } ] } }]

[[autoscaling_group]]
name = "blue"
launch_template = "web"
min_size = 2
max_size = 2
desired_capacity = 2
target_groups = ["blue-tg"]

[[autoscaling_group]]
name = "green"
launch_template = "web"
min_size = 2
max_size = 2
desired_capacity = 2
target_groups = ["green-tg"]

[[workload]]
name = "shoppers"
load_balancer = "shop-alb"
rate = { shape = "steps", steps = [["0s", 0], ["30s", 40]] }
service_time = { dist = "constant", mean = "20ms" }
timeout = "60s"

[[fault]]
type = "latency"
target = "green"
at = "0s"
duration = "10m"
extra = "180ms"

[[action]]
at = "5m"
set = { "lb_listener.0.blue-tg.weight" = 0, "lb_listener.0.green-tg.weight" = 100 }
)";

// One alarm on an AWS/ApplicationELB metric, evaluated over `periods` minutes.
std::string elb_alarm(const std::string& name, const std::string& metric, const std::string& dims,
                      const std::string& statistic, const std::string& op, double threshold,
                      int periods) {
    return "\n[[cloudwatch_metric_alarm]]\nalarm_name = \"" + name +
           "\"\nnamespace = \"AWS/ApplicationELB\"\nmetric_name = \"" + metric +
           "\"\ndimensions = " + dims + "\nstatistic = \"" + statistic +
           "\"\nperiod = 60\nevaluation_periods = " + std::to_string(periods) +
           "\ncomparison_operator = \"" + op + "\"\nthreshold = " + std::to_string(threshold) +
           "\ntreat_missing_data = \"notBreaching\"\n";
}

// A metric's one-minute datapoints from minute `from` to minute `to` (inclusive): their sum
// and how many minutes had one (Sum), or their values (Average).
struct Minutes {
    double sum = 0;
    int count = 0;
    std::vector<double> values;
};
Minutes minutes_of(const report::Run& run, const std::string& metric,
                   const std::map<std::string, std::string>& dims, int from, int to,
                   scenario::Statistic statistic = scenario::Statistic::Sum) {
    const auto& store = run.world().cloudwatch().store();
    const cloud::MetricKey key{"AWS/ApplicationELB", metric, dims};
    Minutes out;
    for (int m = from; m <= to; ++m)
        if (const auto v = store.datapoint(key, kMinute, m * kMinute, cloud::Stat::of(statistic))) {
            out.sum += *v;
            ++out.count;
            out.values.push_back(*v);
        }
    return out;
}

// What one run of the canary measured, for comparing the two modes.
struct CanaryRun {
    double green_2xx_canary = 0, green_2xx_shifted = 0, green_5xx = 0, http_503 = 0;
    std::vector<double> slow_at, errors_at, alb_slow_at;
};

CanaryRun run_canary(const std::string& text, bool fluid) {
    report::Run run(
        scenario::load_text(text, "canary.toml",
                            {fluid ? "simulation.fidelity=fluid" : "simulation.fidelity=request"}));
    run.world().run();
    REQUIRE(run.world().finished());
    const auto summary = report::make_summary(run);
    const auto& errors = summary["requests"]["errors"];
    // Preconditions: every error is a 503 (green's full queues), none before the shift.
    REQUIRE(errors["total"].get<double>() == errors["http_503"].get<double>());
    const std::map<std::string, std::string> alb{{"LoadBalancer", "shop-alb"}};
    const std::map<std::string, std::string> green{{"TargetGroup", "green-tg"}};
    const std::map<std::string, std::string> green_alb{{"TargetGroup", "green-tg"},
                                                       {"LoadBalancer", "shop-alb"}};
    const std::map<std::string, std::string> blue_alb{{"TargetGroup", "blue-tg"},
                                                      {"LoadBalancer", "shop-alb"}};
    const auto avg = scenario::Statistic::Average;
    CanaryRun out;
    out.http_503 = errors["http_503"].get<double>();
    // The canary, minutes 1 to 4: each group's answers and response time (request mode:
    // Poisson arrivals split by the draw, 2,400 +- 49 green and 7,200 +- 85 blue in 4
    // minutes; fluid mode: the expected counts, to the request carried).
    const Minutes g2 = minutes_of(run, "HTTPCode_Target_2XX_Count", green_alb, 1, 4);
    const Minutes b2 = minutes_of(run, "HTTPCode_Target_2XX_Count", blue_alb, 1, 4);
    const Minutes gt = minutes_of(run, "TargetResponseTime", green, 1, 4, avg);
    const Minutes bt = minutes_of(run, "TargetResponseTime", blue_alb, 1, 4, avg);
    const Minutes lt = minutes_of(run, "TargetResponseTime", alb, 1, 4, avg);
    REQUIRE(g2.count == 4);
    REQUIRE(b2.count == 4);
    REQUIRE(gt.count == 4);
    REQUIRE(bt.count == 4);
    REQUIRE(lt.count == 4);
    out.green_2xx_canary = g2.sum;
    CHECK(g2.sum == Approx(4 * 600).margin(fluid ? 2 : 150));
    CHECK(b2.sum == Approx(4 * 1800).margin(fluid ? 2 : 260));
    for (int m = 0; m < 4; ++m) {
        CHECK(gt.values[m] >= 0.2 - 1e-9);
        CHECK(gt.values[m] <= 0.2175);
        CHECK(bt.values[m] >= 0.02 - 1e-9);
        CHECK(bt.values[m] <= 0.021);
        // The load balancer's mean is its groups', weighted by their answers: exactly in fluid
        // mode's one-minute slices; request mode's minute is the mean of six 10 s slices' means.
        const double g = g2.values[m], b = b2.values[m];
        CHECK(lt.values[m] ==
              Approx((g * gt.values[m] + b * bt.values[m]) / (g + b)).epsilon(fluid ? 1e-9 : 1e-3));
    }
    CHECK(minutes_of(run, "HTTPCode_Target_5XX_Count", green, 0, 4).count == 0);
    // Shifted to green, minutes 6 to 9: 20 answers a second (4 workers of 0.2 s: 4,800), each
    // taken by a queue that has just lost one of its 10 (K - 1/2 ahead on average, served 2 at a
    // time): 0.2 + 9.5 / 2 x 0.2 = 1.15 s; the other 20 requests/s are green's targets' own 503
    // (4,800; request mode: Poisson, 9,600 +- 98 arrivals).
    const Minutes g2s = minutes_of(run, "HTTPCode_Target_2XX_Count", green_alb, 6, 9);
    const Minutes gts = minutes_of(run, "TargetResponseTime", green, 6, 9, avg);
    const Minutes g5 = minutes_of(run, "HTTPCode_Target_5XX_Count", green, 6, 9);
    REQUIRE(g2s.count == 4);
    REQUIRE(gts.count == 4);
    REQUIRE(g5.count == 4);
    out.green_2xx_shifted = g2s.sum;
    CHECK(g2s.sum == Approx(4 * 1200).epsilon(0.01));
    for (double v : gts.values)
        CHECK(v == Approx(1.15).epsilon(0.01));
    CHECK(g5.sum == Approx(4 * 1200).margin(fluid ? 100 : 350));
    CHECK(minutes_of(run, "HTTPCode_Target_2XX_Count", blue_alb, 6, 9).count == 0);
    // Every 503 of the run is a target's: HTTPCode_Target_5XX_Count by the group, by the group
    // and load balancer and by the load balancer count them all, HTTPCode_ELB_5XX_Count none.
    const Minutes all_5xx = minutes_of(run, "HTTPCode_Target_5XX_Count", green, 0, 9);
    out.green_5xx = all_5xx.sum;
    CHECK(all_5xx.sum == out.http_503);
    CHECK(minutes_of(run, "HTTPCode_Target_5XX_Count", green_alb, 0, 9).sum == out.http_503);
    CHECK(minutes_of(run, "HTTPCode_Target_5XX_Count", alb, 0, 9).sum == out.http_503);
    CHECK(minutes_of(run, "HTTPCode_ELB_5XX_Count", alb, 0, 9).count == 0);
    out.slow_at = alarm_times(run, "green-slow");
    out.errors_at = alarm_times(run, "green-5xx");
    out.alb_slow_at = alarm_times(run, "alb-slow");
    CHECK(alarm_times(run, "blue-slow").empty());
    CHECK(alarm_times(run, "alb-elb-5xx").empty());
    return out;
}

}  // namespace

// Fluid mode counts a weighted forward's answers for the group of the target that gave them,
// as request mode counts each request: a canary's slow green group sets off its own alarms at
// the same evaluations in both modes, and after the shift its full queues' 503s are its
// targets' own 5xx, in both modes alike.
TEST_CASE("a weighted forward's groups publish their own answers in fluid mode as in request mode",
          "[cloudwatch][world][fluid]") {
    const std::string green = "{ TargetGroup = \"green-tg\" }";
    const std::string green_alb = "{ TargetGroup = \"green-tg\", LoadBalancer = \"shop-alb\" }";
    const std::string blue_alb = "{ TargetGroup = \"blue-tg\", LoadBalancer = \"shop-alb\" }";
    const std::string alb = "{ LoadBalancer = \"shop-alb\" }";
    const std::string gt = "GreaterThanThreshold", lt = "LessThanThreshold";
    std::string text = kCanary;
    text += elb_alarm("green-slow", "TargetResponseTime", green, "Average", gt, 0.1, 2);
    text += elb_alarm("blue-slow", "TargetResponseTime", blue_alb, "Average", gt, 0.1, 2);
    text += elb_alarm("alb-slow", "TargetResponseTime", alb, "Average", gt, 0.1, 2);
    text += elb_alarm("green-2xx", "HTTPCode_Target_2XX_Count", green_alb, "Sum", lt, 1, 1);
    text += elb_alarm("blue-2xx", "HTTPCode_Target_2XX_Count", blue_alb, "Sum", lt, 1, 1);
    text += elb_alarm("green-5xx", "HTTPCode_Target_5XX_Count", green, "Sum", gt, 0, 1);
    text += elb_alarm("green-alb-5xx", "HTTPCode_Target_5XX_Count", green_alb, "Sum", gt, 0, 1);
    text += elb_alarm("alb-target-5xx", "HTTPCode_Target_5XX_Count", alb, "Sum", gt, 0, 1);
    text += elb_alarm("alb-elb-5xx", "HTTPCode_ELB_5XX_Count", alb, "Sum", gt, 0, 1);
    // The store keeps what its alarms may read: one over the run's 10 minutes per metric read.
    int kept = 0;
    for (const auto& [metric, dims, statistic] :
         std::vector<std::array<std::string, 3>>{{"HTTPCode_Target_2XX_Count", green_alb, "Sum"},
                                                 {"HTTPCode_Target_2XX_Count", blue_alb, "Sum"},
                                                 {"TargetResponseTime", green, "Average"},
                                                 {"TargetResponseTime", blue_alb, "Average"},
                                                 {"TargetResponseTime", alb, "Average"},
                                                 {"HTTPCode_Target_5XX_Count", green, "Sum"},
                                                 {"HTTPCode_Target_5XX_Count", green_alb, "Sum"},
                                                 {"HTTPCode_Target_5XX_Count", alb, "Sum"},
                                                 {"HTTPCode_ELB_5XX_Count", alb, "Sum"}})
        text += elb_alarm("keep-" + std::to_string(++kept), metric, dims, statistic, gt, 1e9, 10);
    const CanaryRun request = run_canary(text, false);
    const CanaryRun fluid = run_canary(text, true);
    // The same alarms at the same evaluations: green's response time at 120 s (the first two
    // minutes with answers), its 5xx at 360 s (the minute after the shift), the load
    // balancer's response time at 420 s (two minutes of green alone).
    CHECK(request.slow_at == std::vector<double>{120});
    CHECK(fluid.slow_at == request.slow_at);
    CHECK(request.errors_at == std::vector<double>{360});
    CHECK(fluid.errors_at == request.errors_at);
    CHECK(request.alb_slow_at == std::vector<double>{420});
    CHECK(fluid.alb_slow_at == request.alb_slow_at);
    // The counts agree within request mode's Poisson noise (the fluid model's are expected).
    CHECK(fluid.green_2xx_canary == Approx(request.green_2xx_canary).margin(150));
    CHECK(fluid.green_2xx_shifted == Approx(request.green_2xx_shifted).epsilon(0.01));
    CHECK(fluid.green_5xx == Approx(request.green_5xx).epsilon(0.05));
}

// Lab 31 (blue/green on Fargate through a temporary port): the shoppers' 20 requests/s on port
// 80 go to blue-tg until the swap at 20 minutes, then to green-tg; the team's 2 requests/s on
// port 999 to green-tg from 8 to 18 minutes. Each group's HTTPCode_Target_2XX_Count by
// TargetGroup and LoadBalancer, in both modes: green 120 a minute while the team checks it
// (fluid mode: the expected count, to the request carried), 1,200 a minute after the swap,
// blue none; the two groups add up to the load balancer's count minute by minute.
TEST_CASE("lab 31: each target group's answers by minute in fluid mode as in request mode",
          "[cloudwatch][ecs][fluid][long]") {
    std::ifstream in(std::string(STRATUS_SOURCE_DIR) +
                     "/scenarios/labs/31-fargate-blue-green.toml");
    REQUIRE(in);
    std::stringstream file;
    file << in.rdbuf();
    const std::string blue = "{ TargetGroup = \"blue-tg\", LoadBalancer = \"shop-alb\" }";
    const std::string green = "{ TargetGroup = \"green-tg\", LoadBalancer = \"shop-alb\" }";
    const std::string alb = "{ LoadBalancer = \"shop-alb\" }";
    std::string text = file.str();
    const std::string gt = "GreaterThanThreshold";
    text += elb_alarm("blue-2xx", "HTTPCode_Target_2XX_Count", blue, "Sum", gt, 1e9, 30);
    text += elb_alarm("green-2xx", "HTTPCode_Target_2XX_Count", green, "Sum", gt, 1e9, 30);
    text += elb_alarm("alb-2xx", "HTTPCode_Target_2XX_Count", alb, "Sum", gt, 1e9, 30);
    const std::map<std::string, std::string> b{{"TargetGroup", "blue-tg"},
                                               {"LoadBalancer", "shop-alb"}};
    const std::map<std::string, std::string> g{{"TargetGroup", "green-tg"},
                                               {"LoadBalancer", "shop-alb"}};
    const std::map<std::string, std::string> a{{"LoadBalancer", "shop-alb"}};
    double green_total[2] = {0, 0};
    for (const bool fluid : {false, true}) {
        INFO((fluid ? "fluid" : "request"));
        report::Run run(scenario::load_text(
            text, "31-fargate-blue-green.toml",
            {fluid ? "simulation.fidelity=fluid" : "simulation.fidelity=request"}));
        run.world().run();
        REQUIRE(run.world().finished());
        REQUIRE(report::make_summary(run)["requests"]["errors"]["total"].get<double>() == 0);
        // Every minute with answers: blue's and green's make the load balancer's.
        for (int m = 0; m < 30; ++m) {
            const double lb = minutes_of(run, "HTTPCode_Target_2XX_Count", a, m, m).sum;
            CHECK(minutes_of(run, "HTTPCode_Target_2XX_Count", b, m, m).sum +
                      minutes_of(run, "HTTPCode_Target_2XX_Count", g, m, m).sum ==
                  lb);
        }
        CHECK(minutes_of(run, "HTTPCode_Target_2XX_Count", g, 0, 7).count == 0);
        const Minutes checks = minutes_of(run, "HTTPCode_Target_2XX_Count", g, 9, 16);
        REQUIRE(checks.count == 8);
        CHECK(checks.sum == Approx(8 * 120).margin(fluid ? 2 : 95));
        const Minutes swapped = minutes_of(run, "HTTPCode_Target_2XX_Count", g, 21, 29);
        REQUIRE(swapped.count == 9);
        CHECK(swapped.sum == Approx(9 * 1200).margin(fluid ? 2 : 320));
        CHECK(minutes_of(run, "HTTPCode_Target_2XX_Count", b, 21, 29).count == 0);
        const Minutes before = minutes_of(run, "HTTPCode_Target_2XX_Count", b, 3, 19);
        CHECK(before.sum == Approx(17 * 1200).margin(fluid ? 2 : 430));
        green_total[fluid] = minutes_of(run, "HTTPCode_Target_2XX_Count", g, 0, 29).sum;
    }
    CHECK(green_total[1] == Approx(green_total[0]).epsilon(0.03));
}

// A target registered in two target groups of one weighted forward: fluid mode counts its
// answers for one of them (the group that routed to it last in the step) and says so.
TEST_CASE("fluid mode says when a target of a weighted forward is in two of its target groups",
          "[cloudwatch][world][fluid]") {
    std::string text = kCanary;
    const std::string one = "target_groups = [\"blue-tg\"]";
    const auto at = text.find(one);
    REQUIRE(at != std::string::npos);
    text.replace(at, one.size(), "target_groups = [\"blue-tg\", \"green-tg\"]");
    for (const bool shared : {false, true}) {
        report::Run run(
            scenario::load_text(shared ? text : std::string(kCanary), "canary.toml",
                                {"simulation.fidelity=fluid", "simulation.duration=6m"}));
        run.world().run();
        REQUIRE(run.world().finished());
        REQUIRE(run.world().fluid());
        int noted = 0;
        for (const auto& limit : run.world().fluid()->limits())
            noted += limit.reason.find("two target groups of one listener's forward") !=
                     std::string::npos;
        CHECK(noted == (shared ? 1 : 0));
    }
}

}  // namespace test_cloudwatch_service
