// CloudWatch's RequestCount as the ALB guide defines it: "only incremented for requests where
// the load balancer node was able to choose a target". A target's own refusal (a full queue:
// 503, nothing answering: 504, connection refused: 502) was chosen and counts; a 503 for want
// of a healthy target was not and does not. Before, only the requests a target took counted,
// so an overloaded fleet's RequestCount (and ALBRequestCountPerTarget scaling) saw less
// traffic than AWS reports.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "sim/cloud/cloudwatch.hpp"
#include "sim/cloud/world.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/loader.hpp"

namespace test_request_count {

using namespace stratus;

namespace {

// Two c5.large (two workers each, queues of 10) against 200 requests/s of 50 ms: about 80
// served per second, the rest refused by the targets' full queues (503). Health checks every
// 5 s with a 4 s timeout; alarms on RequestCount by LoadBalancer and by TargetGroup, one
// minute, Sum, that never act.
const char* const kOverloaded = R"(
[simulation]
name = "request-count"
duration = "10m"
seed = 5
metrics_period = "60s"

[region]
name = "us-east-1"
availability_zones = ["us-east-1a", "us-east-1b"]

[[launch_template]]
name = "web"
instance_type = "c5.large"
max_queue = 10

[[target_group]]
name = "tg"
health_check = { interval = 5, timeout = 4, healthy_threshold = 2, unhealthy_threshold = 10 }

[[load_balancer]]
name = "alb"

[[lb_listener]]
load_balancer = "alb"
port = 80
target_group = "tg"

[[autoscaling_group]]
name = "web"
launch_template = "web"
min_size = 2
max_size = 2
desired_capacity = 2
target_groups = ["tg"]

[[cloudwatch_metric_alarm]]
alarm_name = "lb-requests"
namespace = "AWS/ApplicationELB"
metric_name = "RequestCount"
dimensions = { LoadBalancer = "alb" }
statistic = "Sum"
period = 60
evaluation_periods = 1
comparison_operator = "GreaterThanThreshold"
threshold = 1e9

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
rate = 200
service_time = { dist = "constant", value = "50ms" }
timeout = "60s"
)";

double last_value(const cloud::World& world, const std::string& name) {
    for (const cloud::MetricAlarm* a : world.alarms())
        if (a->alarm_name() == name && a->last_value()) return *a->last_value();
    return -1;
}

}  // namespace

TEST_CASE("RequestCount counts the requests a target refused, not those no target could take",
          "[world][cloudwatch]") {
    for (auto fidelity : {scenario::Fidelity::Request, scenario::Fidelity::Fluid}) {
        scenario::Spec spec = scenario::load_text(kOverloaded, "request-count.toml");
        spec.simulation.fidelity = fidelity;
        report::Run run(spec);
        cloud::World& world = run.world();
        world.run();
        const auto& rows = run.recorder().rows();
        REQUIRE(rows.size() == 10);
        // The last minute (9:00-10:00), the one the alarms evaluated last.
        const report::PeriodRow& last = rows.back();
        const auto count = [&](cloud::Outcome o) {
            return static_cast<double>(last.outcomes[static_cast<int>(o)]);
        };
        // Preconditions: both targets healthy and overloaded, the refusals theirs.
        REQUIRE(world.target_groups().front()->healthy_count() == 2);
        REQUIRE(count(cloud::Outcome::Http503) > 5000);
        const double answered = count(cloud::Outcome::Ok) + count(cloud::Outcome::Http503);
        REQUIRE(answered > 11000);  // 200/s for a minute, less what is still in flight
        const double lb = last_value(world, "lb-requests");
        const double tg = last_value(world, "tg-requests");
        // Every request of the minute was routed to a target: the arrivals, not the answers
        // the targets gave (about 80/s: what the count was before).
        // The fluid mode's count is a Poisson draw around the model's (CloudWatchService::
        // sampled_count: request mode's arrivals are Poisson): within 4 standard deviations,
        // sqrt(12,000) = 110 requests, where request mode's is the arrivals' own count.
        const double arrivals = static_cast<double>(last.arrivals);
        if (fidelity == scenario::Fidelity::Fluid)
            CHECK(std::abs(lb - arrivals) < 0.002 * arrivals + 4.0 * std::sqrt(arrivals));
        else
            CHECK(lb == Approx(arrivals).epsilon(0.002));
        CHECK(tg == Approx(lb));
        CHECK(lb > 2.0 * count(cloud::Outcome::Ok));
    }
}

}  // namespace test_request_count
