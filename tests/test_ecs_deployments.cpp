// ECS rolling updates and the deployment circuit breaker (docs/model.md, "Deployments"):
// timelines against a hand calculation from AWS's documented rules. DeploymentConfiguration
// (ECS API Reference): minimumHealthyPercent is a lower limit on the tasks that must stay
// RUNNING (healthy behind a load balancer) during a deployment, desired count x percent
// rounded up; maximumPercent an upper limit on the tasks RUNNING or PENDING, rounded down.
// ServiceDeploymentCircuitBreaker: the failure threshold is 0.5 x desired count, at least 3
// and at most 200; a failed deployment rolls back to the last COMPLETED one.
#include <catch2/catch.hpp>

#include <set>

#include "sim/cloud/ecs_service.hpp"
#include "sim/scenario/loader.hpp"
#include "world_support.hpp"

namespace test_ecs_deployments {

using namespace stratus;
using namespace stratus::scenario;
using stratus::cloud::EcsService;
using stratus::cloud::RolloutState;
using stratus::cloud::TaskStatus;

namespace {

// A Fargate service of `desired` tasks in two AZs; task definitions `api` (image :1) and
// `api-v2` (image :2, `v2_extra` keys added); an [[action]] at 10 min deploys api-v2. Starts
// take the defaults: provisioning 20 s, image pull 15 s (RUNNING 35 s after the launch).
// Without `with_lb` the service has no load balancer: a RUNNING task is healthy.
std::string deployment_scenario(int desired, int minimum, int maximum, bool with_lb,
                                const std::string& service_extra = "",
                                const std::string& v2_extra = "") {
    const std::string containers =
        R"('[{"name": "api", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:IMAGE", "essential": true, "portMappings": [{"containerPort": 8080, "protocol": "tcp"}]}]')";
    auto image = [&](const char* tag) {
        std::string c = containers;
        return c.replace(c.find("IMAGE"), 5, tag);
    };
    std::string t = R"([simulation]
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
deregistration_delay = 0
health_check = { interval = 10, timeout = 5, healthy_threshold = 2, unhealthy_threshold = 2 }
[[lb_listener]]
load_balancer = "alb"
port = 80
target_group = "api-tg"
[[ecs_cluster]]
name = "shop"
[[ecs_task_definition]]
family = "api"
cpu = 256
memory = 512
requires_compatibilities = ["FARGATE"]
network_mode = "awsvpc"
container_definitions = )" +
                    image("1") +
                    R"(
[[ecs_task_definition]]
family = "api-v2"
cpu = 256
memory = 512
requires_compatibilities = ["FARGATE"]
network_mode = "awsvpc"
container_definitions = )" +
                    image("2") + "\n" + v2_extra + R"(
[[ecs_service]]
name = "api"
cluster = "shop"
task_definition = "api"
launch_type = "FARGATE"
network_configuration = { subnets = ["public-a", "public-b"], assign_public_ip = true }
)";
    t += "desired_count = " + std::to_string(desired) + "\n";
    t += "deployment_minimum_healthy_percent = " + std::to_string(minimum) + "\n";
    t += "deployment_maximum_percent = " + std::to_string(maximum) + "\n";
    if (with_lb)
        t += "load_balancer = [{ target_group_arn = \"api-tg\", container_name = \"api\", "
             "container_port = 8080 }]\n";
    t += service_extra;
    t += R"([[workload]]
name = "clients"
load_balancer = "alb"
rate = 0
[[action]]
at = "10m"
set = { "ecs_service.api.task_definition" = "api-v2" }
)";
    return t;
}

std::unique_ptr<report::Run> run_scenario(const std::string& text) {
    Spec spec = load_text(text, "deploy.toml", {}, ".");
    REQUIRE(unsupported_features(spec).empty());
    auto run = std::make_unique<report::Run>(spec);
    run->world().run();
    return run;
}

// One ecs_deployment_step event.
struct Step {
    double t;
    int started, stopped, minimum, maximum, tasks, healthy, new_tasks;
    bool operator==(const Step& o) const {
        return t == o.t && started == o.started && stopped == o.stopped && minimum == o.minimum &&
               maximum == o.maximum && tasks == o.tasks && healthy == o.healthy &&
               new_tasks == o.new_tasks;
    }
};

std::ostream& operator<<(std::ostream& os, const Step& s) {
    return os << "{t " << s.t << ", started " << s.started << ", stopped " << s.stopped << ", min "
              << s.minimum << ", max " << s.maximum << ", tasks " << s.tasks << ", healthy "
              << s.healthy << ", new " << s.new_tasks << "}";
}

std::vector<Step> steps_of(const report::Run& run) {
    std::vector<Step> out;
    for (const auto& e : testing::json_events(run)) {
        if (e.type != "ecs_deployment_step") continue;
        const auto& s = e.subjects;
        out.push_back({to_seconds(e.t), s["started"].get<int>(), s["stopped"].get<int>(),
                       s["minimum_healthy"].get<int>(), s["maximum"].get<int>(),
                       s["tasks"].get<int>(), s["healthy"].get<int>(), s["new_tasks"].get<int>()});
    }
    return out;
}

// The ecs_deployment_state_change events: (time s, event_name, deployment_id).
struct StateChange {
    double t;
    std::string event_name, deployment_id, task_definition, reason;
};

std::vector<StateChange> state_changes(const report::Run& run) {
    std::vector<StateChange> out;
    for (const auto& e : testing::json_events(run))
        if (e.type == "ecs_deployment_state_change")
            out.push_back({to_seconds(e.t), e.subjects["event_name"].get<std::string>(),
                           e.subjects["deployment_id"].get<std::string>(),
                           e.subjects["task_definition"].get<std::string>(),
                           e.subjects["reason"].get<std::string>()});
    return out;
}

// When each task of a family reached a status (-1: never), by task id.
double status_time(const report::Run& run, const std::string& task, const std::string& status) {
    for (const auto& e : testing::json_events(run))
        if (e.type == "ecs_task_state_change" && e.subjects["task"] == task &&
            e.subjects["last_status"] == status)
            return to_seconds(e.t);
    return -1;
}

}  // namespace

TEST_CASE("the rolling update's bounds: minimum rounds up, maximum rounds down", "[ecs]") {
    // 4 x 100 % = 4 and 4 x 200 % = 8; 4 x 50 % = 2 and 4 x 100 % = 4.
    CHECK(EcsService::minimum_healthy_tasks(4, 100) == 4);
    CHECK(EcsService::maximum_tasks(4, 200) == 8);
    CHECK(EcsService::minimum_healthy_tasks(4, 50) == 2);
    CHECK(EcsService::maximum_tasks(4, 100) == 4);
    // 3 x 50 % = 1.5 -> 2 healthy; 3 x 150 % = 4.5 -> 4 tasks.
    CHECK(EcsService::minimum_healthy_tasks(3, 50) == 2);
    CHECK(EcsService::maximum_tasks(3, 150) == 4);
    // 3 x 0 % = 0; 10 x 50 % = 5; 10 x 150 % = 15; 1 x 1 % = 0.01 -> 1; 1 x 199 % -> 1.
    CHECK(EcsService::minimum_healthy_tasks(3, 0) == 0);
    CHECK(EcsService::minimum_healthy_tasks(10, 50) == 5);
    CHECK(EcsService::maximum_tasks(10, 150) == 15);
    CHECK(EcsService::minimum_healthy_tasks(1, 1) == 1);
    CHECK(EcsService::maximum_tasks(1, 199) == 1);
}

TEST_CASE("the circuit breaker's threshold: 0.5 x desired count rounded up, 3 to 200", "[ecs]") {
    CHECK(EcsService::failure_threshold(0) == 3);
    CHECK(EcsService::failure_threshold(1) == 3);  // 0.5 -> the minimum, 3
    CHECK(EcsService::failure_threshold(2) == 3);
    CHECK(EcsService::failure_threshold(6) == 3);
    CHECK(EcsService::failure_threshold(7) == 4);  // 3.5 rounded up
    CHECK(EcsService::failure_threshold(25) == 13);
    CHECK(EcsService::failure_threshold(400) == 200);
    CHECK(EcsService::failure_threshold(401) == 200);  // 200.5 -> the maximum, 200
    CHECK(EcsService::failure_threshold(100000) == 200);
}

// Without a load balancer a task is healthy once RUNNING: 35 s after its launch. The action
// applies at 600 s; the scheduler then acts at once and on its polls, every 10 s from 0 s:
// the new tasks launched at 600 s are RUNNING at 635 s and seen healthy at the poll at 640 s.
TEST_CASE("rolling update timelines against AWS's minimum and maximum percent", "[ecs]") {
    struct Case {
        int desired, minimum, maximum;
        std::vector<Step> steps;
        double completed;
    };
    // Without a load balancer ECS counts a new task towards the minimum healthy percent 40 s
    // after it is RUNNING (DeploymentConfiguration): the new tasks launched at 600 s are
    // RUNNING at 635 s and count from 675 s, so the first poll to act on them is at 680 s.
    const std::vector<Case> cases = {
        // 100/200: 4 new tasks start (8 <= 8) while the 4 old stay healthy (>= 4); once
        // the new count as healthy the 4 old stop.
        {4, 100, 200, {{600, 4, 0, 4, 8, 8, 4, 4}, {680, 0, 4, 4, 8, 4, 4, 4}}, 680},
        // 50/100 (AWS's own example): 2 old stop first (4 - 2 >= 2), 2 new start in the room
        // (2 + 2 <= 4); at 680 s the 2 new are healthy, the other 2 old stop and 2 more start
        // (RUNNING at 715 s, healthy from 755 s: completed at the 760 s poll).
        {4, 50, 100, {{600, 2, 2, 2, 4, 4, 2, 2}, {680, 2, 2, 2, 4, 4, 2, 4}}, 760},
        // 0/100: every old task may stop (>= 0 healthy) and 3 new start at once.
        {3, 0, 100, {{600, 3, 3, 0, 3, 3, 0, 3}}, 680},
        // 50/150 with 10: 5 old stop (10 - 5 >= 5), 10 new start (5 + 10 <= 15); at 680 s
        // the 5 old left stop.
        {10, 50, 150, {{600, 10, 5, 5, 15, 15, 5, 10}, {680, 0, 5, 5, 15, 10, 10, 10}}, 680},
        // 50/150 with 3: minimum 1.5 -> 2, maximum 4.5 -> 4. 1 old stops (3 - 1 >= 2), 2 new
        // start (2 + 2 <= 4); at 680 s 2 old stop (4 - 2 >= 2) and the last new one starts
        // (3 - 2 = 1 missing, 4 - 2 = 2 of room), healthy from 755 s.
        {3, 50, 150, {{600, 2, 1, 2, 4, 4, 2, 2}, {680, 1, 2, 2, 4, 3, 2, 3}}, 760},
        // 1 task, 100/200: the new one starts beside the old, which stops at 680 s.
        {1, 100, 200, {{600, 1, 0, 1, 2, 2, 1, 1}, {680, 0, 1, 1, 2, 1, 1, 1}}, 680},
        // The ECS Developer Guide's examples, 4 tasks. 50/200: minimum 2, maximum 8: 2 old
        // stop (4 - 2 >= 2) and 4 new start (2 + 4 <= 8) at once; at 680 s the 4 new count
        // and the last 2 old stop.
        {4, 50, 200, {{600, 4, 2, 2, 8, 6, 2, 4}, {680, 0, 2, 2, 8, 4, 4, 4}}, 680},
        // 0/200 and 0/100: no task need stay healthy: the 4 old stop and 4 new start at once
        // (the service serves nothing until 635 s).
        {4, 0, 200, {{600, 4, 4, 0, 8, 4, 0, 4}}, 680},
        {4, 0, 100, {{600, 4, 4, 0, 4, 4, 0, 4}}, 680},
        // 75/200 with 2 (the guide: 2 x 75 % = 1.5 rounds up to 2, "can't stop any tasks"):
        // 2 new start beside the 2 old (maximum 4); the old stop at 680 s.
        {2, 75, 200, {{600, 2, 0, 2, 4, 4, 2, 2}, {680, 0, 2, 2, 4, 2, 2, 2}}, 680},
        // 50/125 with 3 (the guide: 3 x 125 % = 3.75 rounds down to 3, "can't start any
        // tasks" beyond the 3): minimum 2, so one old stops and one new starts per step, each
        // 80 s (35 s to RUNNING, counted 40 s later, the next poll): 600, 680, 760 s; the
        // third new task counts at 835 s, seen at the poll at 840 s.
        {3,
         50,
         125,
         {{600, 1, 1, 2, 3, 3, 2, 1}, {680, 1, 1, 2, 3, 3, 2, 2}, {760, 1, 1, 2, 3, 3, 2, 3}},
         840},
        // Held out (session 14, computed by hand before running): neither bound a multiple
        // of the desired count. 60/140 with 5: minimum 3, maximum 7 (7.0); 2 old stop (5 - 2
        // >= 3) and 4 new start (3 + 4 <= 7); at 680 s the 4 new count, the last 3 old stop
        // and the fifth new one starts, counted at the 760 s poll.
        {5, 60, 140, {{600, 4, 2, 3, 7, 7, 3, 4}, {680, 1, 3, 3, 7, 5, 4, 5}}, 760},
        // 50/150 with 7: minimum 3.5 -> 4, maximum 10.5 -> 10; 3 old stop, 6 new start
        // (4 + 6 <= 10); at 680 s 4 old stop (6 new healthy >= 4) and the seventh starts.
        {7, 50, 150, {{600, 6, 3, 4, 10, 10, 4, 6}, {680, 1, 4, 4, 10, 7, 6, 7}}, 760},
    };
    for (const Case& c : cases) {
        INFO("desired " << c.desired << ", " << c.minimum << "/" << c.maximum);
        auto run = run_scenario(deployment_scenario(c.desired, c.minimum, c.maximum, false));
        const auto& service = *run->world().ecs_services()[0];
        // Preconditions: the first tasks all RUNNING at 35 s, before the deployment.
        for (int i = 1; i <= c.desired; ++i)
            REQUIRE(status_time(*run, "api-task-" + std::to_string(i), "RUNNING") == 35);
        CHECK(steps_of(*run) == c.steps);
        const auto changes = state_changes(*run);
        REQUIRE(changes.size() == 2);
        CHECK(changes[0].t == 600);
        CHECK(changes[0].event_name == "SERVICE_DEPLOYMENT_IN_PROGRESS");
        CHECK(changes[0].deployment_id == "ecs-svc/2");
        CHECK(changes[0].task_definition == "api-v2");
        CHECK(changes[1].t == c.completed);
        CHECK(changes[1].event_name == "SERVICE_DEPLOYMENT_COMPLETED");
        CHECK(changes[1].deployment_id == "ecs-svc/2");
        // The end: desired_count tasks of api-v2 RUNNING, every old one STOPPED, none of
        // them by a failure.
        REQUIRE(service.deployments().size() == 2);
        CHECK(service.primary().id == "ecs-svc/2");
        CHECK(service.primary().rollout_state == RolloutState::Completed);
        CHECK(service.primary().task_definition.family == "api-v2");
        int running_new = 0, stopped_old = 0;
        for (const auto& t : service.tasks()) {
            if (t.deployment == 1 && t.status == TaskStatus::Running) ++running_new;
            if (t.deployment == 0 && t.status == TaskStatus::Stopped) {
                ++stopped_old;
                CHECK(t.stopped_reason == "Scaling activity initiated by (deployment ecs-svc/2)");
            }
        }
        CHECK(running_new == c.desired);
        CHECK(stopped_old == c.desired);
        CHECK(service.tasks().size() == static_cast<std::size_t>(2 * c.desired));
        CHECK(service.counts().unhealthy_replacements == 0);
    }
}

TEST_CASE("behind a load balancer an old task stops only once a new target is healthy", "[ecs]") {
    // 2 tasks, 100/200: minimum 2, maximum 4. The 2 new tasks start at 600 s and are RUNNING
    // (registered) at 635 s; the application answers 10 s later (645 s) and a new target
    // turns healthy at its first passed check (checks every 10 s, phase drawn per target):
    // in (645, 655) s (as in test_ecs). Each old task stops at the first poll (a multiple of
    // 10 s) after a new target turned healthy: one per healthy new task.
    auto run = run_scenario(deployment_scenario(2, 100, 200, true));
    const auto& service = *run->world().ecs_services()[0];
    REQUIRE(service.tasks().size() == 4);
    std::vector<double> healthy_at;
    for (const std::string task : {"api-task-3", "api-task-4"}) {
        REQUIRE(status_time(*run, task, "RUNNING") == 635);
        const auto h = testing::times_of(*run, "target_health_changed", "instance", task);
        REQUIRE(h.size() == 1);
        CHECK(h[0] > 645);
        CHECK(h[0] < 655);
        REQUIRE(std::fmod(h[0], 10.0) != 0);  // no tie with a poll
        healthy_at.push_back(std::ceil(h[0] / 10) * 10);
    }
    std::sort(healthy_at.begin(), healthy_at.end());
    std::vector<double> stopped_at = {status_time(*run, "api-task-1", "DEACTIVATING"),
                                      status_time(*run, "api-task-2", "DEACTIVATING")};
    std::sort(stopped_at.begin(), stopped_at.end());
    CHECK(stopped_at == healthy_at);
    // Until then the old ones serve: the healthy tasks never fell below 2.
    for (const Step& s : steps_of(*run))
        CHECK(s.healthy >= 2);
    const auto changes = state_changes(*run);
    REQUIRE(changes.size() == 2);
    CHECK(changes[1].event_name == "SERVICE_DEPLOYMENT_COMPLETED");
    CHECK(changes[1].t == healthy_at[1]);
}

TEST_CASE("the circuit breaker fails a bad image's deployment and rolls back", "[ecs]") {
    // api-v2's application never answers: its targets turn unhealthy after 2 failed checks
    // and, with no grace period, the scheduler marks each for replacement at its next poll;
    // the old tasks being healthy and enough for the desired count, it stops at once ("failed
    // ELB health checks") and another starts. Desired 2: threshold max(3, 0.5 x 2) = 3.
    const std::string breaker =
        "deployment_circuit_breaker = { enable = true, rollback = ROLLBACK }\n";
    auto scenario = [&](bool rollback) {
        std::string b = breaker;
        b.replace(b.find("ROLLBACK"), 8, rollback ? "true" : "false");
        return deployment_scenario(2, 100, 200, true, b, "app_healthy = false\n");
    };
    SECTION("rollback = true: back to ecs-svc/1, whose tasks never stopped") {
        auto run = run_scenario(scenario(true));
        const auto& service = *run->world().ecs_services()[0];
        REQUIRE(EcsService::failure_threshold(2) == 3);
        // 2 new tasks (3 and 4), unhealthy at the same poll: each is marked and, the 2 old
        // tasks being healthy and enough for the desired count, stops at once (failures 1
        // and 2); a replacement starts for each (5 and 6). Both are unhealthy at one later
        // poll: marked, failure 3 (the threshold) and a fourth task marked after the
        // deployment FAILED (no longer counted as a failure, still stopped for its checks).
        REQUIRE(service.tasks().size() == 6);
        int failed = 0;
        for (std::size_t i = 2; i < 6; ++i) {
            const auto& t = service.tasks()[i];
            CHECK(t.deployment == 1);
            CHECK(t.status == TaskStatus::Stopped);
            if (t.stopped_reason == "Task failed ELB health checks in (target-group api-tg)")
                ++failed;
        }
        CHECK(failed == 4);
        CHECK(service.counts().unhealthy_replacements == 4);
        // The first two tasks (ecs-svc/1) run throughout.
        CHECK(service.tasks()[0].status == TaskStatus::Running);
        CHECK(service.tasks()[1].status == TaskStatus::Running);
        const auto changes = state_changes(*run);
        REQUIRE(changes.size() == 4);
        CHECK(changes[0].event_name == "SERVICE_DEPLOYMENT_IN_PROGRESS");
        CHECK(changes[1].event_name == "SERVICE_DEPLOYMENT_FAILED");
        CHECK(changes[1].deployment_id == "ecs-svc/2");
        CHECK(changes[1].reason == "ECS deployment circuit breaker: 3 tasks failed (threshold 3).");
        // The rollback is the last COMPLETED deployment, IN_PROGRESS again, completed at once
        // (its 2 tasks are healthy, the failed deployment's last task stops with it).
        CHECK(changes[2].event_name == "SERVICE_DEPLOYMENT_IN_PROGRESS");
        CHECK(changes[2].deployment_id == "ecs-svc/1");
        CHECK(changes[2].task_definition == "api");
        CHECK(changes[3].event_name == "SERVICE_DEPLOYMENT_COMPLETED");
        CHECK(changes[3].deployment_id == "ecs-svc/1");
        CHECK(changes[1].t == changes[2].t);
        CHECK(changes[3].t == changes[2].t);
        // The third failure is the last task stopped for its health checks, at the failure.
        double third = 0;
        for (std::size_t i = 2; i < 6; ++i)
            if (service.tasks()[i].stopped_reason.find("ELB") != std::string::npos)
                third = std::max(third, to_seconds(service.tasks()[i].stopped_at));
        CHECK(changes[1].t == third);
        CHECK(service.primary().id == "ecs-svc/1");
        CHECK(service.primary().rollout_state == RolloutState::Completed);
        CHECK(service.deployments()[1].rollout_state == RolloutState::Failed);
        CHECK(service.count(TaskStatus::Running) == 2);
    }
    SECTION("rollback = false: the deployment fails and launches nothing more") {
        auto run = run_scenario(scenario(false));
        const auto& service = *run->world().ecs_services()[0];
        REQUIRE(service.tasks().size() == 6);
        const auto changes = state_changes(*run);
        REQUIRE(changes.size() == 2);
        CHECK(changes[1].event_name == "SERVICE_DEPLOYMENT_FAILED");
        CHECK(service.primary().id == "ecs-svc/2");
        CHECK(service.primary().rollout_state == RolloutState::Failed);
        // The old tasks keep serving: the minimum (2 healthy) never let them stop.
        CHECK(service.tasks()[0].status == TaskStatus::Running);
        CHECK(service.tasks()[1].status == TaskStatus::Running);
        CHECK(service.counts().unhealthy_replacements == 4);  // the last one fails too
    }
    SECTION("without the circuit breaker the scheduler keeps replacing the bad tasks") {
        auto run =
            run_scenario(deployment_scenario(2, 100, 200, true, "", "app_healthy = false\n"));
        const auto& service = *run->world().ecs_services()[0];
        CHECK(state_changes(*run).size() == 1);  // IN_PROGRESS, never completed or failed
        CHECK(service.counts().unhealthy_replacements > 10);
        CHECK(service.tasks()[0].status == TaskStatus::Running);
        CHECK(service.tasks()[1].status == TaskStatus::Running);
    }
}

TEST_CASE("a crashing image: the essential container exits and the breaker counts it", "[ecs]") {
    // No load balancer; api-v2's container exits 2 s after RUNNING. 0/100 with 4 tasks:
    // threshold max(3, 0.5 x 4) = 3. At 600 s the 4 old tasks stop and 4 new start (tasks
    // 5-8), RUNNING at 635 s; at 637 s, before the poll at 640 s sees them healthy, their
    // containers exit in launch order: task 5 (1 failure; task 9 replaces it), task 6 (2; task
    // 10), task 7 (3: FAILED). The rollback makes ecs-svc/1 PRIMARY again: the failed
    // deployment's tasks left (8 RUNNING, 9 and 10 PROVISIONING) stop and 4 api tasks start,
    // RUNNING at 672 s, counted 40 s later (no load balancer), seen at the poll at 720 s.
    auto run = run_scenario(deployment_scenario(
        4, 0, 100, false, "deployment_circuit_breaker = { enable = true, rollback = true }\n",
        "essential_container_exits_after = \"2s\"\n"));
    const auto& service = *run->world().ecs_services()[0];
    REQUIRE(service.tasks().size() == 14);
    const std::string scaling = "Scaling activity initiated by (deployment ecs-svc/1)";
    for (std::size_t i = 4; i < 10; ++i) {
        const auto& t = service.tasks()[i];
        INFO(t.id);
        REQUIRE(t.deployment == 1);
        CHECK(t.status == TaskStatus::Stopped);
        CHECK(to_seconds(t.stopped_at) == 637);
        CHECK(t.stopped_reason == (i < 7 ? "Essential container in task exited" : scaling));
    }
    CHECK(to_seconds(service.tasks()[8].created_at) == 637);
    CHECK(service.tasks()[8].pull_started_at == kNever);  // never left PROVISIONING
    CHECK(service.counts().container_exits == 3);
    const auto changes = state_changes(*run);
    REQUIRE(changes.size() == 4);
    CHECK(changes[1].event_name == "SERVICE_DEPLOYMENT_FAILED");
    CHECK(changes[1].t == 637);
    CHECK(changes[2].event_name == "SERVICE_DEPLOYMENT_IN_PROGRESS");
    CHECK(changes[2].deployment_id == "ecs-svc/1");
    CHECK(changes[2].t == 637);
    CHECK(changes[3].event_name == "SERVICE_DEPLOYMENT_COMPLETED");
    CHECK(changes[3].t == 720);
    for (std::size_t i = 10; i < 14; ++i) {
        CHECK(service.tasks()[i].deployment == 0);
        CHECK(to_seconds(service.tasks()[i].created_at) == 637);
        CHECK(service.tasks()[i].status == TaskStatus::Running);
    }
    // Without the breaker the scheduler keeps replacing the tasks that exit: 4 every 37 s
    // from 637 s to the end (1800 s), about 125.
    auto plain = run_scenario(
        deployment_scenario(4, 0, 100, false, "", "essential_container_exits_after = \"2s\"\n"));
    CHECK(plain->world().ecs_services()[0]->counts().container_exits > 100);
}

TEST_CASE("a deployment's [[action]] is checked: family, Fargate, container and port", "[ecs]") {
    auto errors = [](const std::string& text) {
        try {
            load_text(text, "deploy.toml", {}, ".");
        } catch (const ScenarioError& e) {
            return e.diagnostics();
        }
        FAIL("the scenario loaded, but errors were expected");
        return std::vector<Diagnostic>{};
    };
    const std::string ok = deployment_scenario(2, 100, 200, true);
    REQUIRE_NOTHROW(load_text(ok, "deploy.toml", {}, "."));
    const int action_line = [&] {
        const auto at = ok.find("set = { \"ecs_service");
        REQUIRE(at != std::string::npos);
        return 1 + static_cast<int>(std::count(ok.begin(), ok.begin() + at, '\n'));
    }();
    SECTION("an unknown family") {
        std::string t = ok;
        t.replace(t.find("= \"api-v2\" }"), 12, "= \"api-v3\" }");
        const auto ds = errors(t);
        REQUIRE(ds.size() == 1);
        CHECK(ds[0].key_path == "action[0].set.ecs_service.api.task_definition");
        CHECK(ds[0].pos.line == action_line);
        CHECK(ds[0].pos.column > 1);
        CHECK(ds[0].message.find("unknown task definition family `api-v3`") != std::string::npos);
        CHECK(ds[0].message.find("did you mean") != std::string::npos);
    }
    SECTION("a task definition without the container port the target group forwards to") {
        std::string t = ok;
        const auto v2 = t.find("api:2");
        REQUIRE(v2 != std::string::npos);
        t.replace(t.find("8080", v2), 4, "9090");
        const auto ds = errors(t);
        REQUIRE(ds.size() == 1);
        CHECK(ds[0].key_path == "action[0].set.ecs_service.api.task_definition");
        CHECK(ds[0].pos.line == action_line);
        CHECK(ds[0].message.find("no container `api` mapping port 8080") != std::string::npos);
    }
    SECTION("a percent out of range is refused at its line") {
        std::string t = ok;
        t.replace(t.find("deployment_maximum_percent = 200"), 32,
                  "deployment_maximum_percent = 50");
        const auto ds = errors(t);
        REQUIRE(ds.size() == 1);
        CHECK(ds[0].key_path == "ecs_service[api].deployment_maximum_percent");
        CHECK(ds[0].pos.line > 1);
    }
    SECTION("the circuit breaker block needs enable and rollback") {
        std::string t = ok;
        t.replace(t.find("[[workload]]"), 12,
                  "deployment_circuit_breaker = { enable = true }\n[[workload]]");
        const auto ds = errors(t);
        REQUIRE(ds.size() == 1);
        CHECK(ds[0].key_path == "ecs_service[api].deployment_circuit_breaker.rollback");
    }
}

TEST_CASE("lab 22: a bad image's deployment loops without the breaker, rolls back with it",
          "[ecs][scenarios][labs]") {
    const std::string file =
        std::string(STRATUS_SOURCE_DIR) + "/scenarios/labs/22-fargate-bad-deployment.toml";
    auto lab = [&](const std::vector<std::string>& sets) {
        Spec spec = load_file(file, sets);
        REQUIRE(unsupported_features(spec).empty());
        auto run = std::make_unique<report::Run>(spec);
        run->world().run();
        return run;
    };
    // Preconditions: 4 tasks at 100/200, grace 60 s, checks every 15 s (2 failures make a
    // target unhealthy), a task RUNNING 35 s after its launch; the update at 600 s.
    {
        const Spec spec = load_file(file);
        REQUIRE(spec.ecs_service.size() == 1);
        REQUIRE(spec.ecs_service[0].desired_count == 4);
        REQUIRE(spec.ecs_service[0].health_check_grace_period_seconds == 60);
        REQUIRE(spec.target_group[0].health_check.interval == 15);
        REQUIRE(spec.target_group[0].health_check.unhealthy_threshold == 2);
        REQUIRE(spec.action.size() == 1);
        REQUIRE(spec.action[0].at == 600 * kSecond);
    }
    SECTION("as shipped: the old tasks serve, the new ones are replaced for the whole hour") {
        auto run = lab({});
        const auto& service = *run->world().ecs_services()[0];
        CHECK(service.primary().id == "ecs-svc/2");
        CHECK(service.primary().rollout_state == RolloutState::InProgress);
        for (int i = 0; i < 4; ++i)
            CHECK(service.tasks()[static_cast<std::size_t>(i)].status == TaskStatus::Running);
        // A new task fails every ~100 s (launch, 35 s to RUNNING, 60 s of grace, the next
        // poll), 4 at a time, from 700 s to 3600 s: about 4 x 29.
        CHECK(service.counts().unhealthy_replacements > 100);
        CHECK(report::make_summary(*run)["availability_percent"].get<double>() == Approx(100));
    }
    SECTION("with the circuit breaker: FAILED at 700 s and rolled back at once") {
        auto run =
            lab({"ecs_service.shop-api.deployment_circuit_breaker={ enable = true, "
                 "rollback = true }"});
        const auto& service = *run->world().ecs_services()[0];
        // The 4 new tasks are RUNNING at 635 s and unhealthy by 665 s (two checks 15 s
        // apart); the grace period ends at 695 s, the poll at 700 s marks the 4 for
        // replacement in launch order: the third is the threshold (max(3, 0.5 x 4)). The
        // rollback comes in the same poll, before any replacement starts: the 4 stop with
        // ecs-svc/2, each for its health checks.
        const auto changes = state_changes(*run);
        REQUIRE(changes.size() == 4);
        CHECK(changes[1].event_name == "SERVICE_DEPLOYMENT_FAILED");
        CHECK(changes[1].t == 700);
        CHECK(changes[3].event_name == "SERVICE_DEPLOYMENT_COMPLETED");
        CHECK(changes[3].deployment_id == "ecs-svc/1");
        CHECK(changes[3].t == 700);
        CHECK(service.counts().unhealthy_replacements == 4);
        // 4 old + 4 new; no replacement was started for the new ones.
        CHECK(service.tasks().size() == 8);
        for (std::size_t i = 4; i < 8; ++i) {
            INFO(service.tasks()[i].id);
            CHECK(service.tasks()[i].status == TaskStatus::Stopped);
            // DEACTIVATING at 700 s, drained (no request in flight) by 701 s.
            CHECK(to_seconds(service.tasks()[i].stopped_at) >= 700);
            CHECK(to_seconds(service.tasks()[i].stopped_at) <= 701);
            CHECK(service.tasks()[i].stopped_reason ==
                  "Task failed ELB health checks in (target-group shop-api-tg)");
        }
        CHECK(service.count(TaskStatus::Running) == 4);
    }
}

TEST_CASE("an AZ outage during a rolling update: the zone's tasks stop for the outage", "[ecs]") {
    // 4 tasks at 100/200 without a load balancer; tasks alternate between us-east-1a and
    // us-east-1b (old 1-4, new 5-8 launched at 600 s). us-east-1a fails at 620 s: tasks 1 and
    // 3 (old, RUNNING) and 5 and 7 (new, still PROVISIONING) stop for it. AWS's What's New of
    // November 2025 ("Amazon ECS improves Service Availability during Rolling deployments"):
    // a terminated task is replaced by a task of the service revision it belongs to. The old
    // deployment still keeps 4 tasks (4 healthy at least, none of the new healthy): tasks 9
    // and 10 are api tasks, 11 and 12 api-v2 (4 - 2 new missing), all in us-east-1b (8 tasks,
    // the maximum). Without a load balancer a task counts 40 s after RUNNING: at 680 s tasks
    // 6 and 8 (RUNNING at 635 s) are healthy, so the old deployment keeps 4 - 2 = 2: tasks 9
    // and 10 (RUNNING at 655 s, not counted yet) stop first, costing no healthy task; at
    // 700 s tasks 11 and 12 are healthy too: tasks 2 and 4 stop, and the deployment is done.
    // (Before November 2025 ECS replaced the old tasks with new ones: 2 api-v2 tasks at 620 s
    // and nothing else, the same end at 700 s.)
    std::string t = deployment_scenario(4, 100, 200, false) +
                    "[[fault]]\ntype = \"az_outage\"\ntarget = \"us-east-1a\"\nat = \"620s\"\n"
                    "duration = \"10m\"\n";
    auto run = run_scenario(t);
    const auto& service = *run->world().ecs_services()[0];
    REQUIRE(service.tasks().size() == 12);
    for (std::size_t i : {0u, 2u, 4u, 6u}) {
        const auto& task = service.tasks()[i];
        INFO(task.id);
        REQUIRE(task.availability_zone == 0);
        CHECK(to_seconds(task.stopped_at) == 620);
        CHECK(task.stopped_reason.find("Availability Zone us-east-1a failed") == 0);
    }
    CHECK(steps_of(*run) == std::vector<Step>{{600, 4, 0, 4, 8, 8, 4, 4},
                                              {620, 4, 0, 4, 8, 8, 2, 4},
                                              {680, 0, 2, 4, 8, 6, 4, 4},
                                              {700, 0, 2, 4, 8, 4, 4, 4}});
    for (std::size_t i : {8u, 9u, 10u, 11u}) {
        INFO(service.tasks()[i].id);
        CHECK(service.tasks()[i].availability_zone == 1);
        CHECK(to_seconds(service.tasks()[i].created_at) == 620);
        CHECK(service.tasks()[i].deployment == (i < 10 ? 0 : 1));
        if (i < 10)
            CHECK(to_seconds(service.tasks()[i].stopped_at) == 680);
        else
            CHECK(service.tasks()[i].status == TaskStatus::Running);
    }
    const auto changes = state_changes(*run);
    REQUIRE(changes.size() == 2);
    CHECK(changes[1].event_name == "SERVICE_DEPLOYMENT_COMPLETED");
    CHECK(changes[1].t == 700);
}

TEST_CASE("bounds that let a deployment neither stop nor start a task: ECS's service event",
          "[ecs]") {
    // The ECS Developer Guide (rolling update): "if the minimum healthy percent is 75% and the
    // desired task count is two, then the scheduler can't stop any tasks" (2 x 0.75 = 1.5,
    // rounded up to 2), and "if the maximum percent is 125 and the desired task count is
    // three, the scheduler can't start any tasks" (3 x 1.25 = 3.75, rounded down to 3). With
    // both limits at the desired count nothing can move: the deployment is stuck and ECS logs
    // "(service api) was unable to stop or start tasks during a deployment because of the
    // service deployment configuration. Update the minimumHealthyPercent or maximumPercent
    // value and try again." (Developer Guide, "Service event messages"), once.
    struct Case {
        int desired, minimum, maximum;
    };
    for (const Case c : {Case{2, 75, 100}, Case{3, 100, 125}}) {
        INFO("desired " << c.desired << ", " << c.minimum << "/" << c.maximum);
        REQUIRE(EcsService::minimum_healthy_tasks(c.desired, c.minimum) == c.desired);
        REQUIRE(EcsService::maximum_tasks(c.desired, c.maximum) == c.desired);
        auto run = run_scenario(deployment_scenario(c.desired, c.minimum, c.maximum, false));
        const auto& service = *run->world().ecs_services()[0];
        CHECK(steps_of(*run).empty());
        const auto said = testing::times_of(*run, "ecs_service_event", "service", "api");
        REQUIRE(said.size() == 1);
        CHECK(said[0] == 600);
        for (const auto& e : testing::json_events(*run))
            if (e.type == "ecs_service_event")
                CHECK(e.subjects["message"] ==
                      "(service api) was unable to stop or start tasks during a deployment "
                      "because of the service deployment configuration. Update the "
                      "minimumHealthyPercent or maximumPercent value and try again.");
        CHECK(service.primary().rollout_state == RolloutState::InProgress);
        CHECK(static_cast<int>(service.tasks().size()) == c.desired);
        CHECK(service.count(TaskStatus::Running) == c.desired);
    }
    // 50/125 with 3 moves (one task at a time, above): no event.
    auto moving = run_scenario(deployment_scenario(3, 50, 125, false));
    CHECK(testing::times_of(*moving, "ecs_service_event", "service", "api").empty());
}

TEST_CASE("November 2025: a lost task of the running revision is replaced by that revision",
          "[ecs]") {
    // AWS's What's New of November 2025 ("Amazon ECS improves Service Availability during
    // Rolling deployments"): "ECS now replaces unhealthy or terminated tasks using the same
    // service revision they belong to ... independent of the new version's status", within
    // maximumPercent and minimumHealthyPercent. 4 tasks at 100/200 behind the load balancer;
    // api-v2 never answers its health checks. At 600 s the 4 new tasks (5-8) start beside the
    // 4 old (8 = the maximum). us-east-1a fails at 620 s: old tasks 1 and 3 and new 5 and 7
    // stop. The old revision still keeps 4 tasks (none of the new is healthy): tasks 9 and 10
    // are api tasks (before November 2025 they were api-v2 tasks, and only 2 old tasks were
    // left serving); 11 and 12 api-v2. The new ones fail their checks and are replaced one
    // after another; tasks 2, 4, 9 and 10 serve to the end.
    std::string t = deployment_scenario(4, 100, 200, true, "", "app_healthy = false\n") +
                    "[[fault]]\ntype = \"az_outage\"\ntarget = \"us-east-1a\"\nat = \"620s\"\n"
                    "duration = \"10m\"\n";
    auto run = run_scenario(t);
    const auto& service = *run->world().ecs_services()[0];
    REQUIRE(service.tasks().size() > 12);
    for (std::size_t i : {0u, 2u, 4u, 6u})
        REQUIRE(to_seconds(service.tasks()[i].stopped_at) == 620);
    for (std::size_t i : {8u, 9u, 10u, 11u}) {
        const auto& task = service.tasks()[i];
        INFO(task.id);
        CHECK(to_seconds(task.created_at) == 620);
        CHECK(task.deployment == (i < 10 ? 0 : 1));
    }
    const auto steps = steps_of(*run);
    REQUIRE(steps.size() >= 3);
    CHECK(steps[1] == Step{620, 4, 0, 4, 8, 8, 2, 4});
    // Tasks 9 and 10 are RUNNING at 655 s and healthy before the poll at 670 s: from then on
    // 4 tasks are healthy at each step, and only new tasks stop.
    for (const Step& s : steps)
        if (s.t >= 670) CHECK(s.healthy == 4);
    int old_running = 0;
    for (const auto& task : service.tasks()) {
        if (task.deployment == 0 && task.status == TaskStatus::Running) ++old_running;
        if (task.deployment == 0 && task.status == TaskStatus::Stopped)
            CHECK(task.stopped_reason.find("Availability Zone us-east-1a failed") == 0);
    }
    CHECK(old_running == 4);
    CHECK(service.tasks()[1].status == TaskStatus::Running);
    CHECK(service.tasks()[3].status == TaskStatus::Running);
    CHECK(state_changes(*run).size() == 1);  // IN_PROGRESS: api-v2 never completes
}

TEST_CASE(
    "November 2025: an interrupted Fargate Spot task is replaced by its own revision, on Spot",
    "[ecs]") {
    // The same rule for a task Fargate Spot reclaims during a deployment: 4 tasks (base 1 on
    // FARGATE, weights 1 and 3: 1 FARGATE and 3 FARGATE_SPOT, as test_ecs works out) at
    // 100/200, api-v2 never healthy; a spot_interruption fault at 620 s warns half the Spot
    // tasks. Each interrupted task stops at once and its replacement, started at 620 s, is a
    // task of the interrupted task's deployment on FARGATE_SPOT (the deployment's own split).
    std::string t = deployment_scenario(4, 100, 200, true, "spot_interruption_monthly_rate = 0\n",
                                        "app_healthy = false\n") +
                    "[[fault]]\ntype = \"spot_interruption\"\ntarget = \"api\"\nat = \"620s\"\n"
                    "fraction = 0.5\n";
    const std::string fargate = "launch_type = \"FARGATE\"\n";
    t.replace(t.find(fargate), fargate.size(),
              "capacity_provider_strategy = [{ capacity_provider = \"FARGATE\", weight = 1, base "
              "= 1 }, { capacity_provider = \"FARGATE_SPOT\", weight = 3 }]\n");
    auto run = run_scenario(t);
    const auto& service = *run->world().ecs_services()[0];
    std::multiset<int> interrupted, replacements;
    bool old_interrupted = false;
    for (const auto& task : service.tasks()) {
        if (task.stopped_reason == "Your Spot Task was interrupted.") {
            REQUIRE(to_seconds(task.stopped_at) == 620);
            interrupted.insert(task.deployment);
            old_interrupted = old_interrupted || task.deployment == 0;
        }
        if (to_seconds(task.created_at) == 620) {
            replacements.insert(task.deployment);
            CHECK(task.capacity_provider == scenario::EcsCapacityProvider::FargateSpot);
        }
    }
    REQUIRE(old_interrupted);  // the case this test is about
    CHECK(interrupted == replacements);
    int old_running = 0;
    for (const auto& task : service.tasks())
        old_running += task.deployment == 0 && task.status == TaskStatus::Running ? 1 : 0;
    CHECK(old_running == 4);
}

// ---- Service Auto Scaling during a rolling deployment ------------------------------------------

namespace {

// The scalable target of the deployment scenario's service, [min, max].
std::string scalable_target(int min, int max) {
    return "[[appautoscaling_target]]\nresource_id = \"service/shop/api\"\n"
           "service_namespace = \"ecs\"\nscalable_dimension = \"ecs:service:DesiredCount\"\n"
           "min_capacity = " +
           std::to_string(min) + "\nmax_capacity = " + std::to_string(max) + "\n";
}

// A scheduled action raising min_capacity to `min` at 00:10:20 (620 s: the run starts
// 2026-01-05T00:00:00Z), 20 s into the deployment of api-v2.
std::string scale_out_at_620(int min) {
    return "[[appautoscaling_scheduled_action]]\nname = \"more\"\n"
           "resource_id = \"service/shop/api\"\nschedule = \"at(2026-01-05T00:10:20)\"\n"
           "scalable_target_action = { min_capacity = " +
           std::to_string(min) + " }\n";
}

struct CountChange {
    double t;
    int from, to;
};

std::vector<CountChange> count_changes(const report::Run& run) {
    std::vector<CountChange> out;
    for (const auto& e : testing::json_events(run))
        if (e.type == "ecs_service_desired_count_changed")
            out.push_back(
                {to_seconds(e.t), e.subjects["from"].get<int>(), e.subjects["to"].get<int>()});
    return out;
}

}  // namespace

TEST_CASE("a scale-out during a rolling deployment applies to both revisions", "[ecs]") {
    // 4 tasks at 100/200, no load balancer; api-v2 deployed at 600 s and the desired count
    // raised to 6 at 620 s (a scheduled action). AWS (What's New, November 2025): ECS applies
    // a scale-out during a rolling deployment to both service revisions, within the minimum
    // and maximum percent, which follow the new desired count: 6 x 100 % = 6, 6 x 200 % = 12.
    // AWS does not say how it is shared; the model grows the old revision's kept tasks in
    // proportion: 4 x 6 / 4 = 6.
    //  600 s: minimum 4, maximum 8: 4 new start beside the 4 old (as without a scale-out).
    //  620 s: the old revision keeps 6 (6 healthy needed, none of them new): 2 old-revision
    //         tasks start, then 2 new (6 - 4 new, 12 - 10 of room): 12 tasks, 4 healthy.
    //  680 s: the 4 new launched at 600 s count (RUNNING 635 s + 40 s): the old revision
    //         keeps 6 - 4 = 2; its 2 not yet counted (RUNNING 655 s) stop first, then 2
    //         healthy ones (8 healthy - 2 = 6, the minimum).
    //  700 s: the 2 new launched at 620 s count: the old revision keeps none: its last 2
    //         stop (8 - 2 = 6); COMPLETED.
    auto run = run_scenario(
        deployment_scenario(4, 100, 200, false, scalable_target(1, 10) + scale_out_at_620(6)));
    const auto changes = count_changes(*run);
    REQUIRE(changes.size() == 1);
    REQUIRE(changes[0].t == 620);
    REQUIRE(changes[0].from == 4);
    REQUIRE(changes[0].to == 6);
    CHECK(steps_of(*run) == std::vector<Step>{{600, 4, 0, 4, 8, 8, 4, 4},
                                              {620, 4, 0, 6, 12, 12, 4, 6},
                                              {680, 0, 4, 6, 12, 8, 6, 6},
                                              {700, 0, 2, 6, 12, 6, 6, 6}});
    const auto states = state_changes(*run);
    REQUIRE(states.size() == 2);
    CHECK(states[1].event_name == "SERVICE_DEPLOYMENT_COMPLETED");
    CHECK(states[1].t == 700);
    const auto& service = *run->world().ecs_services()[0];
    int old_revision = 0, old_at_620 = 0, new_running = 0;
    for (const auto& t : service.tasks()) {
        old_revision += t.deployment == 0 ? 1 : 0;
        old_at_620 += t.deployment == 0 && to_seconds(t.created_at) == 620 ? 1 : 0;
        new_running += t.deployment == 1 && t.status == TaskStatus::Running ? 1 : 0;
        if (t.deployment == 0) CHECK(t.status == TaskStatus::Stopped);
    }
    CHECK(old_revision == 6);
    CHECK(old_at_620 == 2);
    CHECK(new_running == 6);
    CHECK(service.tasks().size() == 12);
}

TEST_CASE("no dynamic scale-in while a deployment is in progress, and it resumes after", "[ecs]") {
    // 3 tasks at 50/125 (completed at 840 s, as in the timelines above), no traffic: CPU 0 %.
    // A step scaling policy sets 1 task (ExactCapacity) when the alarm CPUUtilization < 10 over
    // 11 one-minute periods is in ALARM, which it enters during the deployment. The ECS
    // Developer Guide ("Troubleshooting service auto scaling"): Application Auto Scaling turns
    // off scale-in while a deployment is in progress and resumes it once the deployment has
    // completed. The alarm asks again each minute it stays in ALARM: the scale-in is the first
    // of those after the deployment completes.
    const std::string policy =
        "[[appautoscaling_policy]]\nname = \"idle\"\nresource_id = \"service/shop/api\"\n"
        "policy_type = \"StepScaling\"\nstep_scaling_policy_configuration = { adjustment_type = "
        "\"ExactCapacity\", cooldown = 60, step_adjustment = [{ metric_interval_upper_bound = 0, "
        "scaling_adjustment = 1 }] }\n"
        "[[cloudwatch_metric_alarm]]\nalarm_name = \"idle-alarm\"\nnamespace = \"AWS/ECS\"\n"
        "metric_name = \"CPUUtilization\"\n"
        "dimensions = { ClusterName = \"shop\", ServiceName = \"api\" }\nperiod = 60\n"
        "evaluation_periods = 11\ncomparison_operator = \"LessThanThreshold\"\nthreshold = 10\n"
        "alarm_actions = [\"idle\"]\n";
    auto run =
        run_scenario(deployment_scenario(3, 50, 125, false, scalable_target(1, 10) + policy));
    const auto alarm = testing::times_of(*run, "alarm_state_changed", "to", "ALARM");
    REQUIRE(alarm.size() == 1);
    REQUIRE(alarm[0] > 600);  // the case this test is about: in ALARM during the deployment
    REQUIRE(alarm[0] < 840);
    const auto states = state_changes(*run);
    REQUIRE(states.size() == 2);
    REQUIRE(states[1].event_name == "SERVICE_DEPLOYMENT_COMPLETED");
    CHECK(states[1].t == 840);  // the deployment's own timeline is unchanged
    const auto changes = count_changes(*run);
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].from == 3);
    CHECK(changes[0].to == 1);
    // The alarm asks each minute from when it entered ALARM; its request at 840 s comes
    // before the poll that completes the deployment: the scale-in is its next one, at 900 s.
    CHECK(static_cast<int>(900 - alarm[0]) % 60 == 0);
    CHECK(changes[0].t == 900);
    const auto& service = *run->world().ecs_services()[0];
    CHECK(service.count(TaskStatus::Running) == 1);
    // A scale-out is not held back: the same alarm's opposite (CPU >= 0 over 11 periods, step
    // to 5 tasks) scales out in the deployment, at the minute it enters ALARM.
    std::string out = policy;
    out.replace(out.find("LessThanThreshold"), 17, "GreaterThanOrEqualToThreshold");
    out.replace(out.find("threshold = 10"), 14, "threshold = 0");
    out.replace(out.find("metric_interval_upper_bound"), 27, "metric_interval_lower_bound");
    out.replace(out.find("scaling_adjustment = 1"), 22, "scaling_adjustment = 5");
    auto up = run_scenario(deployment_scenario(3, 50, 125, false, scalable_target(1, 10) + out));
    const auto up_alarm = testing::times_of(*up, "alarm_state_changed", "to", "ALARM");
    REQUIRE(up_alarm.size() == 1);
    REQUIRE(up_alarm[0] > 600);
    const auto up_changes = count_changes(*up);
    REQUIRE(up_changes.size() == 1);
    CHECK(up_changes[0].t == up_alarm[0]);
    CHECK(up_changes[0].to == 5);
}

TEST_CASE("the circuit breaker trips at 0.5 x desired count, at least 3, at most 200", "[ecs]") {
    // ServiceDeploymentCircuitBreaker (the ECS API Reference): threshold 0.5 x the desired
    // count, at least 3 and at most 200; ThresholdConfiguration: the latest desired count.
    // Even counts, so that AWS's unstated rounding plays no part. As in the crashing-image test
    // above (0/100, no load balancer, the container exits 2 s after RUNNING): at 600 s the old
    // tasks stop and D new start, RUNNING at 635 s; their containers exit at 637 s in launch
    // order, one failure each, and the deployment FAILS at the threshold's exit (rolled back:
    // the rest stop as the rollback's scaling activity, not as failures). With D below the
    // threshold, each failure's replacement starts at once and fails 37 s later.
    struct Case {
        int desired, threshold;
        double failed_at;
    };
    const std::vector<Case> cases = {
        {2, 3, 674},      // 0.5 x 2 = 1 -> the minimum, 3: two fail at 637 s, a third at 674 s
        {6, 3, 637},      // 0.5 x 6 = 3
        {8, 4, 637},      // 0.5 x 8 = 4
        {398, 199, 637},  // 0.5 x 398 = 199
        {400, 200, 637},  // 0.5 x 400 = 200
        {402, 200, 637},  // 0.5 x 402 = 201 -> the maximum, 200
    };
    for (const Case& c : cases) {
        INFO("desired " << c.desired);
        REQUIRE(EcsService::failure_threshold(c.desired) == c.threshold);
        auto run = run_scenario(
            deployment_scenario(c.desired, 0, 100, false,
                                "deployment_circuit_breaker = { enable = true, rollback = true }\n",
                                "essential_container_exits_after = \"2s\"\n"));
        const auto changes = state_changes(*run);
        REQUIRE(changes.size() == 4);
        CHECK(changes[1].event_name == "SERVICE_DEPLOYMENT_FAILED");
        CHECK(changes[1].t == c.failed_at);
        CHECK(changes[1].reason ==
              "ECS deployment circuit breaker: " + std::to_string(c.threshold) +
                  " tasks failed (threshold " + std::to_string(c.threshold) + ").");
        CHECK(changes[2].deployment_id == "ecs-svc/1");  // rolled back
        CHECK(changes[3].event_name == "SERVICE_DEPLOYMENT_COMPLETED");
        const auto& service = *run->world().ecs_services()[0];
        CHECK(service.counts().container_exits == c.threshold);
        CHECK(service.count(TaskStatus::Running) == c.desired);
    }
}

TEST_CASE("the circuit breaker's threshold follows a scale-out during the deployment", "[ecs]") {
    // 6 tasks (threshold 3); at 620 s the desired count goes to 8 (threshold 4). The old
    // revision keeps none at 0/100, so the 2 more tasks are new ones (RUNNING 655 s). At
    // 637 s the 6 new tasks' containers exit: the fourth exit fails the deployment.
    auto run = run_scenario(
        deployment_scenario(6, 0, 100, false,
                            "deployment_circuit_breaker = { enable = true, rollback = true }\n" +
                                scalable_target(1, 10) + scale_out_at_620(8),
                            "essential_container_exits_after = \"2s\"\n"));
    REQUIRE(count_changes(*run).size() == 1);
    REQUIRE(count_changes(*run)[0].to == 8);
    const auto changes = state_changes(*run);
    REQUIRE(changes.size() == 4);
    CHECK(changes[1].event_name == "SERVICE_DEPLOYMENT_FAILED");
    CHECK(changes[1].t == 637);
    CHECK(changes[1].reason == "ECS deployment circuit breaker: 4 tasks failed (threshold 4).");
    CHECK(run->world().ecs_services()[0]->counts().container_exits == 4);
}

}  // namespace test_ecs_deployments
