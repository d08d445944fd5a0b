// ECS on Fargate (docs/model.md, "ECS on Fargate"): the sections as Terraform writes them,
// the checks CreateService and RegisterTaskDefinition make (Fargate's task sizes, awsvpc,
// the container and port a target group forwards to), each error at its file, line, column
// and key.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "sim/cloud/ecs_draining.hpp"
#include "sim/cloud/ecs_service.hpp"
#include "sim/cloud/network.hpp"
#include "sim/cloud/placement_constraints.hpp"
#include "sim/scenario/cluster_query.hpp"
#include "sim/scenario/loader.hpp"
#include "world_support.hpp"

namespace test_ecs {

using namespace stratus;
using namespace stratus::scenario;
using stratus::cloud::TaskStatus;

namespace {

// A Fargate service of two 0.25 vCPU / 0.5 GB tasks behind an ALB, in two public subnets.
// Line numbers matter: the tests below point at them.
const std::string kFargate = R"([simulation]
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
cpu = 256
memory = 512
requires_compatibilities = ["FARGATE"]
network_mode = "awsvpc"
container_definitions = '[{"name": "api", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1", "essential": true, "portMappings": [{"containerPort": 8080, "protocol": "tcp"}]}]'
[[ecs_service]]
name = "api"
cluster = "shop"
task_definition = "api"
desired_count = 2
launch_type = "FARGATE"
network_configuration = { subnets = ["public-a", "public-b"], assign_public_ip = true }
load_balancer = [{ target_group_arn = "api-tg", container_name = "api", container_port = 8080 }]
health_check_grace_period_seconds = 150
[[workload]]
name = "clients"
load_balancer = "alb"
rate = 10
)";

// The line of the first occurrence of `needle` in kFargate (1-based).
int line_of(const std::string& needle) {
    const std::size_t at = kFargate.find(needle);
    REQUIRE(at != std::string::npos);
    return 1 + static_cast<int>(std::count(kFargate.begin(), kFargate.begin() + at, '\n'));
}

std::string with(std::string text, const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
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

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("a Fargate service loads as Terraform writes it, with ECS's defaults", "[ecs]") {
    const Spec spec = load_text(kFargate, "ecs.toml", {}, ".");
    REQUIRE(spec.ecs_cluster.size() == 1);
    REQUIRE(spec.ecs_task_definition.size() == 1);
    REQUIRE(spec.ecs_service.size() == 1);
    const auto& td = spec.ecs_task_definition[0];
    CHECK(td.cpu == 256);
    CHECK(td.memory == 512);
    REQUIRE(td.requires_compatibilities.size() == 1);
    CHECK(td.requires_compatibilities[0] == EcsLaunchType::Fargate);
    CHECK(td.network_mode == NetworkMode::Awsvpc);
    REQUIRE(td.containers.size() == 1);
    CHECK(td.containers[0].name == "api");
    CHECK(td.containers[0].essential);
    REQUIRE(td.containers[0].port_mappings.size() == 1);
    CHECK(td.containers[0].port_mappings[0].container_port == 8080);
    // The extension keys' defaults (docs/reference.md).
    CHECK(td.provisioning_time.mean == 20 * kSecond);
    CHECK(td.image_pull_time.mean == 15 * kSecond);
    CHECK(td.app_start_time.mean == 10 * kSecond);
    const auto& s = spec.ecs_service[0];
    CHECK(s.desired_count == 2);
    CHECK(s.launch_type == EcsLaunchType::Fargate);
    CHECK(s.subnets == std::vector<std::string>{"public-a", "public-b"});
    CHECK(s.assign_public_ip);  // kFargate sets it; the default (false) is tested with the pulls
    REQUIRE(s.load_balancer.size() == 1);
    CHECK(s.load_balancer[0].target_group == "api-tg");
    CHECK(s.load_balancer[0].container_port == 8080);
    CHECK(s.health_check_grace_period_seconds == 150);
    CHECK(spec.target_group[0].target_type == TargetType::Ip);

    // explain writes what loads back to the same scenario.
    const std::string once = explain(spec);
    CHECK(contains(once, "[[ecs_service]]"));
    CHECK(contains(once, "target_type = \"ip\""));
    CHECK(explain(load_text(once, "explained.toml", {}, ".")) == once);
}

TEST_CASE("ECS sections: a misspelt key is refused at its line with a suggestion", "[ecs]") {
    const auto ds = errors_of(with(kFargate, "desired_count = 2", "desired_cont = 2"));
    const Diagnostic d = about(ds, "ecs_service[api].desired_cont");
    CHECK(d.pos.file == "ecs.toml");
    CHECK(d.pos.line == line_of("desired_count = 2"));
    CHECK(d.pos.column == 1);
    CHECK(contains(d.message, "unknown key `desired_cont`"));
    CHECK(contains(d.message, "did you mean `desired_count`?"));
}

TEST_CASE("Fargate's task sizes: a cpu/memory pair it does not offer is refused", "[ecs]") {
    SECTION("256 CPU units take 512, 1024 or 2048 MiB") {
        const auto ds = errors_of(with(kFargate, "memory = 512", "memory = 4096"));
        const Diagnostic d = about(ds, "ecs_task_definition[api].memory");
        CHECK(d.pos.file == "ecs.toml");
        CHECK(d.pos.line == line_of("memory = 512"));
        CHECK(d.pos.column == 10);  // the value
        CHECK(contains(d.message, "Fargate does not run cpu = 256 with memory = 4096"));
        CHECK(contains(d.message, "512, 1024 or 2048 MiB"));
    }
    SECTION("1024 CPU units take 2 to 8 GB in 1 GB steps") {
        std::string t = with(kFargate, "cpu = 256", "cpu = 1024");
        CHECK(about(errors_of(with(t, "memory = 512", "memory = 2500")),
                    "ecs_task_definition[api].memory")
                  .message.find("2048 to 8192 MiB in steps of 1024") != std::string::npos);
        // Both ends of the range load.
        CHECK_NOTHROW(load_text(with(t, "memory = 512", "memory = 2048"), "ecs.toml", {}, "."));
        CHECK_NOTHROW(load_text(with(t, "memory = 512", "memory = 8192"), "ecs.toml", {}, "."));
    }
    SECTION("a cpu Fargate does not offer") {
        const auto ds = errors_of(with(kFargate, "cpu = 256", "cpu = 384"));
        CHECK(contains(about(ds, "ecs_task_definition[api].cpu").message,
                       "Fargate offers cpu = 256, 512, 1024"));
    }
    SECTION("16 vCPU with 120 GB (8 GB steps) loads; 100 GB does not") {
        std::string t = with(kFargate, "cpu = 256", "cpu = 16384");
        CHECK_NOTHROW(load_text(with(t, "memory = 512", "memory = 122880"), "ecs.toml", {}, "."));
        CHECK(contains(about(errors_of(with(t, "memory = 512", "memory = 102400")),
                             "ecs_task_definition[api].memory")
                           .message,
                       "32768 to 122880 MiB in steps of 8192"));
    }
    SECTION("Fargate needs awsvpc") {
        const auto ds =
            errors_of(with(kFargate, "network_mode = \"awsvpc\"", "network_mode = \"bridge\""));
        const Diagnostic d = about(ds, "ecs_task_definition[api].network_mode");
        CHECK(d.pos.line == line_of("network_mode = \"awsvpc\""));
        CHECK(contains(d.message, "Fargate requires network_mode = \"awsvpc\""));
    }
}

TEST_CASE("ECS references: cluster, task definition, target group, container and port", "[ecs]") {
    SECTION("an unknown cluster lists the known ones") {
        const auto ds = errors_of(with(kFargate, "cluster = \"shop\"", "cluster = \"shpo\""));
        const Diagnostic d = about(ds, "ecs_service[api].cluster");
        CHECK(d.pos.file == "ecs.toml");
        CHECK(d.pos.line == line_of("cluster = \"shop\""));
        CHECK(d.pos.column == 11);
        CHECK(contains(d.message, "unknown ECS cluster `shpo`; known: `shop`"));
        CHECK(contains(d.message, "did you mean `shop`?"));
    }
    SECTION("the course's incident: the target group sends port 80 to a container on 8080") {
        const auto ds = errors_of(with(kFargate, "container_port = 8080", "container_port = 80"));
        const Diagnostic d = about(ds, "ecs_service[api].load_balancer[0].container_port");
        CHECK(d.pos.line == line_of("container_port = 8080"));
        CHECK(contains(d.message, "container `api` of task definition `api` maps no port 80"));
        CHECK(contains(d.message, "containerPort: 8080"));
    }
    SECTION("a container the task definition does not have") {
        const auto ds =
            errors_of(with(kFargate, "container_name = \"api\"", "container_name = \"web\""));
        CHECK(contains(about(ds, "ecs_service[api].load_balancer[0].container_name").message,
                       "task definition `api` has no container `web`; its containers: `api`"));
    }
    SECTION("awsvpc tasks need a target group of ip targets") {
        const auto ds = errors_of(with(kFargate, "target_type = \"ip\"\n", ""));
        const Diagnostic d = about(ds, "ecs_service[api].load_balancer[0].target_group_arn");
        CHECK(contains(d.message, "target group `api-tg` has target_type = \"instance\""));
        CHECK(contains(d.message, "use target_type = \"ip\""));
    }
    SECTION("a FARGATE service of a task definition not compatible with Fargate") {
        std::string t = with(kFargate, "requires_compatibilities = [\"FARGATE\"]",
                             "requires_compatibilities = [\"EC2\"]");
        const auto ds = errors_of(t);
        CHECK(contains(about(ds, "ecs_service[api].launch_type").message,
                       "does not list FARGATE in requires_compatibilities"));
    }
    SECTION("awsvpc tasks need the service's network_configuration") {
        const auto ds = errors_of(with(kFargate,
                                       "network_configuration = { subnets = [\"public-a\", "
                                       "\"public-b\"], assign_public_ip = true }\n",
                                       ""));
        CHECK(contains(about(ds, "ecs_service[api]").message,
                       "needs network_configuration = { subnets = [...] }"));
    }
    SECTION("an unknown subnet") {
        const auto ds = errors_of(
            with(kFargate, "subnets = [\"public-a\", \"public-b\"], assign_public_ip = true }",
                 "subnets = [\"public-a\", \"public-z\"], assign_public_ip = true }"));
        CHECK(contains(about(ds, "ecs_service[api].network_configuration.subnets").message,
                       "unknown subnet `public-z`"));
    }
}

TEST_CASE("container_definitions: JSON errors name the container and the field", "[ecs]") {
    SECTION("not JSON") {
        const auto ds = errors_of(
            with(kFargate, "container_definitions = '[{", "container_definitions = '[{{"));
        const Diagnostic d = about(ds, "ecs_task_definition[api].container_definitions");
        CHECK(d.pos.line == line_of("container_definitions"));
        CHECK(contains(d.message, "expected JSON text"));
    }
    SECTION("a port that is a string") {
        const auto ds =
            errors_of(with(kFargate, "\"containerPort\": 8080", "\"containerPort\": \"8080\""));
        CHECK(contains(about(ds, "ecs_task_definition[api].container_definitions").message,
                       "[0].portMappings[0].containerPort: expected an integer between 1 and "
                       "65535, found \"8080\""));
    }
    SECTION("a container without a name") {
        const auto ds = errors_of(with(kFargate, "\"name\": \"api\", ", ""));
        CHECK(contains(about(ds, "ecs_task_definition[api].container_definitions").message,
                       "[0].name: expected a non-empty string"));
    }
}

TEST_CASE("a group cannot register its instances in a target group of ip targets", "[ecs]") {
    std::string t = kFargate +
                    "[[launch_template]]\nname = \"web\"\ninstance_type = \"m5.large\"\n"
                    "[[autoscaling_group]]\nname = \"web\"\nlaunch_template = \"web\"\n"
                    "min_size = 1\nmax_size = 1\nsubnets = [\"public-a\"]\n"
                    "target_groups = [\"api-tg\"]\n";
    const auto ds = errors_of(t);
    CHECK(contains(about(ds, "autoscaling_group[web].target_groups").message,
                   "target group `api-tg` has target_type = \"ip\""));
}

// ---- The service scheduler and the tasks (sim/cloud/ecs_service.*) ----------------------------

namespace {

// kFargate with constant start times (the defaults: provisioning 20 s, image pull 15 s,
// application 10 s), checks every 10 s that need 2 failures or 2 passes, no draining, no
// traffic, and the given application start and grace period.
std::string scheduler_scenario(const std::string& app_start, int grace) {
    std::string t = with(kFargate, "target_type = \"ip\"\n",
                         "target_type = \"ip\"\nderegistration_delay = 0\nhealth_check = { "
                         "interval = 10, timeout = 5, healthy_threshold = 2, "
                         "unhealthy_threshold = 2 }\n");
    t = with(t, "network_mode = \"awsvpc\"\n",
             "network_mode = \"awsvpc\"\napp_start_time = \"" + app_start + "\"\n");
    t = with(t, "health_check_grace_period_seconds = 150",
             "health_check_grace_period_seconds = " + std::to_string(grace));
    return with(t, "rate = 10", "rate = 0");
}

struct TaskEvent {
    double t;
    std::string status, reason;
};

// The status changes of one task, in order.
std::vector<TaskEvent> task_events(const report::Run& run, const std::string& task) {
    std::vector<TaskEvent> out;
    for (const auto& e : testing::json_events(run)) {
        if (e.type != "ecs_task_state_change" || e.subjects["task"] != task) continue;
        const auto& r = e.subjects["stopped_reason"];
        out.push_back({to_seconds(e.t), e.subjects["last_status"].get<std::string>(),
                       r.is_null() ? "" : r.get<std::string>()});
    }
    return out;
}

double time_of(const std::vector<TaskEvent>& events, const std::string& status) {
    for (const auto& e : events)
        if (e.status == status) return e.t;
    return -1;
}

std::unique_ptr<report::Run> run_scenario(const std::string& text) {
    Spec spec = load_text(text, "ecs.toml", {}, ".");
    REQUIRE(unsupported_features(spec).empty());
    auto run = std::make_unique<report::Run>(spec);
    run->world().run();
    return run;
}

}  // namespace

TEST_CASE("a Fargate task starts as ECS starts it: provisioning, image pull, registration",
          "[ecs]") {
    auto run = run_scenario(scheduler_scenario("10s", 150));
    REQUIRE(run->world().ecs_services().size() == 1);
    const auto& service = *run->world().ecs_services()[0];
    // desired_count = 2, one task per subnet's AZ.
    REQUIRE(service.tasks().size() == 2);
    CHECK(service.tasks()[0].availability_zone == 0);  // us-east-1a
    CHECK(service.tasks()[1].availability_zone == 1);  // us-east-1b
    for (const std::string task : {"api-task-1", "api-task-2"}) {
        INFO(task);
        const auto events = task_events(*run, task);
        REQUIRE(events.size() == 4);
        // PROVISIONING at 0; PENDING after provisioning_time (20 s); ACTIVATING and RUNNING
        // after the image pull (15 s more).
        CHECK(events[0].status == "PROVISIONING");
        CHECK(events[0].t == 0);
        CHECK(events[1].status == "PENDING");
        CHECK(events[1].t == 20);
        CHECK(events[2].status == "ACTIVATING");
        CHECK(events[2].t == 35);
        CHECK(events[3].status == "RUNNING");
        CHECK(events[3].t == 35);
        // Registered as a target while ACTIVATING.
        const auto registered = testing::times_of(*run, "target_registered", "instance", task);
        REQUIRE(registered.size() == 1);
        CHECK(registered[0] == 35);
        // The application answers at 35 + 10 = 45 s; the target passes its first check after
        // that (the checks' phase is drawn in (0, 10) s): healthy in (45, 55) s. One failed
        // check before 45 s leaves it initial (2 are needed for unhealthy).
        const auto healthy = testing::times_of(*run, "target_health_changed", "instance", task);
        REQUIRE(healthy.size() == 1);
        CHECK(healthy[0] > 45);
        CHECK(healthy[0] < 55);
    }
    CHECK(service.count(TaskStatus::Running) == 2);
    CHECK(service.counts().stopped == 0);
    // The tasks are not EC2 launches.
    CHECK(run->world().fleet().counts().launched == 0);
}

TEST_CASE("the grace period: failed health checks are ignored during it, acted on after it",
          "[ecs]") {
    // The application needs 120 s: each task's target fails its checks from 35 s on and is
    // unhealthy after two failures, before 55 s; it would pass from 155 s.
    SECTION("grace 150 s covers the start: no task is replaced") {
        auto run = run_scenario(scheduler_scenario("120s", 150));
        const auto& service = *run->world().ecs_services()[0];
        const auto unhealthy =
            testing::times_of(*run, "target_health_changed", "instance", "api-task-1");
        REQUIRE(unhealthy.size() == 2);  // unhealthy, then healthy once the app answers
        CHECK(unhealthy[0] < 55);
        CHECK(unhealthy[1] > 165);  // two passes from 155 s on
        CHECK(unhealthy[1] < 185);  // before the grace period (35 + 150 s) ends
        CHECK(service.tasks().size() == 2);
        CHECK(service.counts().unhealthy_replacements == 0);
        CHECK(service.count(TaskStatus::Running) == 2);
    }
    SECTION("grace 60 s: the replacements start first, the unhealthy tasks wait for them") {
        // ECS replaces an unhealthy task by starting its replacement first, within the
        // maximum percent (200 % of 2: 4 tasks), and stops it once a replacement is HEALTHY
        // (the Developer Guide, "Amazon ECS services").
        auto run = run_scenario(scheduler_scenario("120s", 60));
        const auto& service = *run->world().ecs_services()[0];
        const auto events = task_events(*run, "api-task-1");
        REQUIRE(time_of(events, "RUNNING") == 35);
        // Unhealthy before 55 s, within the grace period: nothing happens until it ends at
        // 95 s; the scheduler's polls come every 10 s (10, 20, ...): the one at 100 s marks
        // both first tasks for replacement and starts two replacements, in the AZs of the
        // tasks they replace (one each, the fewest tasks first).
        REQUIRE(service.tasks().size() >= 4);
        for (std::size_t i : {2u, 3u}) {
            const auto& replacement = service.tasks()[i];
            INFO(replacement.id);
            CHECK(replacement.created_at == 100 * kSecond);  // the first tasks still run
            CHECK(replacement.availability_zone == service.tasks()[i - 2].availability_zone);
            const auto r = task_events(*run, replacement.id);
            REQUIRE(r.size() >= 4);
            CHECK(r[1].t == 120);  // PENDING
            CHECK(r[3].t == 135);  // RUNNING
            // Its own grace period ends at 135 + 60 = 195 s; its application answers only at
            // 135 + 120 = 255 s: unhealthy at the poll at 200 s, it is marked in turn. Four
            // tasks being replaced for a desired count of 2: the two unhealthy ones (the
            // replacements; the first tasks are healthy by then) stop at once.
            CHECK(time_of(r, "DEACTIVATING") == 200);
            CHECK(r.back().status == "STOPPED");
            CHECK(r.back().reason == "Task failed ELB health checks in (target-group api-tg)");
        }
        // The first tasks' application answers at 155 s; two passes 10 s apart: healthy in
        // (165, 175] s. No replacement ever is, so they are never stopped: they serve.
        const auto h = testing::times_of(*run, "target_health_changed", "instance", "api-task-1");
        REQUIRE(h.size() == 2);
        CHECK(h[1] > 165);
        CHECK(h[1] <= 175);
        CHECK(time_of(events, "DEACTIVATING") == -1);
        CHECK(service.tasks()[0].status == TaskStatus::Running);
        CHECK(service.tasks()[1].status == TaskStatus::Running);
        // Two replacements start at 100 s, then two at each poll from 200 s to 1800 s (the
        // run's end), 100 s apart (35 s to RUNNING, 60 s of grace, the next poll): 2 x 18
        // tasks after the first two. Marked for replacement: the first two at 100 s and the
        // two replacements stopped at each poll from 200 s to 1800 s, 2 + 2 x 17.
        CHECK(service.tasks().size() == 2 + 2 * 18);
        CHECK(to_seconds(service.tasks().back().created_at) == 1800);
        CHECK(service.counts().unhealthy_replacements == 2 + 2 * 17);
        // At the end the first two run; the last two are PROVISIONING (launched at 1800 s).
        CHECK(service.count(TaskStatus::Running) == 2);
        CHECK(service.count(TaskStatus::Provisioning) == 2);
    }
}

namespace {

// scheduler_scenario with a healthCheck on the container ("api", containerPort 8080).
std::string with_health_check(std::string text, const std::string& check) {
    return with(text, R"("essential": true, )",
                R"("essential": true, "healthCheck": )" + check + ", ");
}

// The ecs_container_health_changed events of one task: (time s, health_status, reason).
std::vector<std::tuple<double, std::string, std::string>> health_events(const report::Run& run,
                                                                        const std::string& task) {
    std::vector<std::tuple<double, std::string, std::string>> out;
    for (const auto& e : testing::json_events(run))
        if (e.type == "ecs_container_health_changed" && e.subjects["task"] == task)
            out.emplace_back(to_seconds(e.t), e.subjects["health_status"].get<std::string>(),
                             e.subjects["reason"].get<std::string>());
    return out;
}

}  // namespace

namespace {

// scheduler_scenario (RUNNING 35 s after launch without dependsOn, the application answering
// 10 s after its container starts) with four containers: the application "api" waits for the
// init container "migrate" to succeed and for the proxy "envoy" to be healthy (its check
// every 5 s); a log router waits for nothing.
std::string sidecar_scenario(const std::string& exits) {
    const std::string containers =
        R"([{"name": "api", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1", )"
        R"("essential": true, "portMappings": [{"containerPort": 8080}], "dependsOn": [)"
        R"({"containerName": "migrate", "condition": "SUCCESS"}, )"
        R"({"containerName": "envoy", "condition": "HEALTHY"}]}, )"
        R"({"name": "migrate", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/migrate:1", )"
        R"("essential": false}, )"
        R"({"name": "envoy", "image": "public.ecr.aws/appmesh/aws-appmesh-envoy:v1", )"
        R"("essential": true, "portMappings": [{"containerPort": 9901}], "healthCheck": )"
        R"({"command": ["CMD-SHELL", "curl -s http://localhost:9901/ready || exit 1"], )"
        R"("interval": 5}}, )"
        R"({"name": "log-router", "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:3", )"
        R"("essential": false}])";
    std::string t = scheduler_scenario("10s", 150);
    const std::size_t from = t.find("container_definitions = '");
    const std::size_t to = t.find("'\n", from + 25);
    t.replace(from, to + 2 - from, "container_definitions = '" + containers + "'\n" + exits);
    return t;
}

}  // namespace

TEST_CASE("sidecar containers: dependsOn delays the task's start, essential decides its stop",
          "[ecs]") {
    SECTION("an init container (SUCCESS) and a proxy (HEALTHY) hold the task in PENDING") {
        // The image pull ends at 35 s. migrate, envoy and log-router start then; envoy's first
        // check, 5 s later, passes (a sidecar answers its own check): HEALTHY at 40 s; migrate
        // exits with code 0 30 s after its start: 65 s. api starts at max(65, 40) = 65 s, and
        // the task is RUNNING when its last essential container (api) has started: 65 s, 30 s
        // later than without dependsOn. The application answers 10 s after its container
        // starts: 75 s. migrate's exit (non-essential) does not stop the task.
        auto run =
            run_scenario(sidecar_scenario("container_exits_after = { migrate = \"30s\" }\n"));
        const auto& td = run->world().spec().ecs_task_definition[0];
        REQUIRE(td.containers.size() == 4);
        REQUIRE(td.containers[0].depends_on.size() == 2);
        CHECK(td.containers[0].depends_on[0].condition == scenario::ContainerCondition::Success);
        CHECK(td.containers[0].depends_on[1].condition == scenario::ContainerCondition::Healthy);
        REQUIRE(td.containers[1].exits_after);
        CHECK(*td.containers[1].exits_after == 30 * kSecond);
        for (const std::string task : {"api-task-1", "api-task-2"}) {
            INFO(task);
            const auto events = task_events(*run, task);
            CHECK(time_of(events, "PENDING") == 20);
            CHECK(time_of(events, "RUNNING") == 65);
            CHECK(time_of(events, "DEACTIVATING") == -1);
            const auto registered = testing::times_of(*run, "target_registered", "instance", task);
            REQUIRE(registered.size() == 1);
            CHECK(registered[0] == 65);
            // The target turns healthy at a check after 75 s (checks every 10 s).
            const auto healthy = testing::times_of(*run, "target_health_changed", "instance", task);
            REQUIRE_FALSE(healthy.empty());
            CHECK(healthy.front() > 75);
            CHECK(healthy.front() <= 95);
        }
        const auto& service = *run->world().ecs_services()[0];
        CHECK(service.tasks().size() == 2);
        CHECK(service.count(TaskStatus::Running) == 2);
        // Billed from PENDING (20 s) to the end (1800 s), the wait included: 2 x 1780 s.
        CHECK(run->world().cost().ledger().total(cloud::LineItem::Fargate) ==
              Approx(2 * 1780 / 3600.0 * 0.0123425).epsilon(1e-9));
    }
    SECTION("a proxy checked every 20 s: the application starts at its first passed check") {
        std::string t = sidecar_scenario("container_exits_after = { migrate = \"1s\" }\n");
        t = with(t, R"("interval": 5)", R"("interval": 20)");
        auto run = run_scenario(t);
        // envoy HEALTHY at 35 + 20 = 55 s; migrate done at 36 s: api and RUNNING at 55 s.
        CHECK(time_of(task_events(*run, "api-task-1"), "RUNNING") == 55);
    }
    SECTION("an essential container that exits stops the task; a non-essential one does not") {
        // envoy (essential) exits 100 s after its start (35 s): the task stops at 135 s with
        // ECS's reason; log-router (non-essential) exiting at 45 s changes nothing.
        auto run = run_scenario(
            sidecar_scenario("container_exits_after = { migrate = \"30s\", envoy = \"100s\", "
                             "\"log-router\" = \"10s\" }\n"));
        const auto events = task_events(*run, "api-task-1");
        CHECK(time_of(events, "RUNNING") == 65);
        CHECK(time_of(events, "DEACTIVATING") == 135);
        bool reason = false;
        for (const auto& e : events)
            reason = reason || e.reason == "Essential container in task exited";
        CHECK(reason);
        CHECK(run->world().ecs_services()[0]->counts().container_exits >= 2);
        // Only log-router exits: nothing stops.
        auto quiet = run_scenario(sidecar_scenario(
            "container_exits_after = { migrate = \"30s\", \"log-router\" = \"10s\" }\n"));
        CHECK(time_of(task_events(*quiet, "api-task-1"), "DEACTIVATING") == -1);
        CHECK(quiet->world().ecs_services()[0]->counts().container_exits == 0);
    }
}

TEST_CASE("sidecar containers: what ECS refuses in dependsOn, at the key", "[ecs]") {
    const std::string key = "ecs_task_definition[api].container_definitions";
    const std::string exits = "container_exits_after = { migrate = \"30s\" }\n";
    auto refused = [&](const std::string& text, const std::string& path, const std::string& words) {
        INFO(words);
        const Diagnostic d = about(errors_of(text), path);
        CHECK(d.message.find(words) != std::string::npos);
        CHECK(d.pos.line > 0);
        CHECK(d.pos.column > 0);
    };
    refused(
        with(sidecar_scenario(exits), R"("containerName": "envoy")", R"("containerName": "envoi")"),
        key, "[0].dependsOn[1].containerName: no container \"envoi\" in this task definition");
    refused(with(sidecar_scenario(exits), R"("essential": false}, {"name": "envoy")",
                 R"("essential": false, "dependsOn": [{"containerName": "api", )"
                 R"("condition": "START"}]}, {"name": "envoy")"),
            key, "the containers wait for each other in a cycle (api -> migrate -> api)");
    refused(with(sidecar_scenario(exits), R"("containerName": "migrate", "condition": "SUCCESS")",
                 R"("containerName": "envoy", "condition": "COMPLETE")"),
            key,
            "[0].dependsOn[0].condition: COMPLETE cannot be set on the essential container "
            "\"envoy\"");
    refused(with(sidecar_scenario(exits), R"("containerName": "migrate", "condition": "SUCCESS")",
                 R"("containerName": "log-router", "condition": "HEALTHY")"),
            key, "[0].dependsOn[0].condition: HEALTHY needs a healthCheck on \"log-router\"");
    refused(with(sidecar_scenario(exits), R"("condition": "SUCCESS")", R"("condition": "DONE")"),
            key, "expected START, COMPLETE, SUCCESS or HEALTHY, found \"DONE\"");
    refused(sidecar_scenario(""), key,
            "container \"api\" waits for \"migrate\" to exit, which never exits in the model");
    refused(sidecar_scenario("container_exits_after = { migrat = \"30s\" }\n"),
            "ecs_task_definition[api].container_exits_after.migrat",
            "no container \"migrat\" in container_definitions");
}

TEST_CASE("container health checks: the ranges and defaults ECS gives healthCheck", "[ecs]") {
    const std::string key = "ecs_task_definition[api].container_definitions";
    SECTION("defaults: interval 30, timeout 5, retries 3, no start period; the probed port") {
        const Spec spec = load_text(
            with_health_check(
                kFargate, R"({"command": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]})"),
            "ecs.toml", {}, ".");
        const auto& hc = spec.ecs_task_definition[0].containers[0].health_check;
        REQUIRE(hc);
        CHECK(hc->interval == 30);
        CHECK(hc->timeout == 5);
        CHECK(hc->retries == 3);
        CHECK(hc->start_period == 0);
        CHECK(hc->port == 80);  // curl's default for http://
    }
    SECTION("the port a command probes") {
        using V = std::vector<std::string>;
        CHECK(probed_port(V{"CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"}) ==
              8080);
        CHECK(probed_port(V{"CMD", "wget", "-qO-", "https://127.0.0.1/ping"}) == 443);
        CHECK(probed_port(V{"CMD", "nc", "-z", "localhost", "5432"}) == 5432);
        CHECK(probed_port(V{"CMD-SHELL", "pgrep nginx"}) == 0);
    }
    SECTION("out of range, each at the container_definitions key") {
        const std::vector<std::pair<std::string, std::string>> cases{
            {R"({"command": ["CMD-SHELL", "exit 0"], "interval": 2})",
             "[0].healthCheck.interval: expected an integer between 5 and 300 (seconds), found 2"},
            {R"({"command": ["CMD-SHELL", "exit 0"], "timeout": 61})",
             "[0].healthCheck.timeout: expected an integer between 2 and 60 (seconds), found 61"},
            {R"({"command": ["CMD-SHELL", "exit 0"], "retries": 0})",
             "[0].healthCheck.retries: expected an integer between 1 and 10 (failed checks), "
             "found 0"},
            {R"({"command": ["CMD-SHELL", "exit 0"], "startPeriod": 301})",
             "[0].healthCheck.startPeriod: expected an integer between 0 and 300 (seconds), "
             "found 301"},
            {R"({"command": ["RUN", "exit 0"]})",
             "[0].healthCheck.command[0]: expected \"CMD\" or \"CMD-SHELL\", found \"RUN\""},
            {R"({"interval": 30})", "[0].healthCheck.command: expected an array"}};
        for (const auto& [check, message] : cases) {
            INFO(check);
            const Diagnostic d = about(errors_of(with_health_check(kFargate, check)), key);
            CHECK(d.pos.line == line_of("container_definitions"));
            CHECK(contains(d.message, message));
        }
    }
}

TEST_CASE("container health checks: the checks of a task, timed by hand", "[ecs]") {
    // scheduler_scenario: RUNNING at 35 s (20 s provisioning, 15 s image pull).
    SECTION("a check of port 80 while the application listens on 8080: replaced") {
        // The course's incident in a container check: curl http://localhost/ probes 80; the
        // application listens on 8080 (the load balancer's container_port), so the load
        // balancer finds the tasks healthy and the container check is refused. Checks at
        // 35 + 30, + 60, + 90 = 65, 95, 125 s: UNHEALTHY at 125 s (3 retries). Grace 0: the
        // poll at 130 s marks both tasks and starts two replacements (200 % of 2).
        auto run = run_scenario(with_health_check(
            scheduler_scenario("10s", 0),
            R"({"command": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]})"));
        const auto& service = *run->world().ecs_services()[0];
        const auto h = health_events(*run, "api-task-1");
        REQUIRE(!h.empty());
        CHECK(std::get<0>(h[0]) == 125);
        CHECK(std::get<1>(h[0]) == "UNHEALTHY");
        CHECK(std::get<2>(h[0]) ==
              "3 failed check(s) in a row: nothing listens on localhost:80 "
              "(the application listens on 8080)");
        // The load balancer's checks pass (8080): the target is healthy by then (and its
        // next change is its deregistration when the task stops).
        const auto tg = testing::times_of(*run, "target_health_changed", "instance", "api-task-1");
        REQUIRE(tg.size() >= 2);
        CHECK(tg[0] < 125);
        CHECK(tg[1] >= 260);
        REQUIRE(service.tasks().size() >= 6);
        CHECK(service.tasks()[2].created_at == 130 * kSecond);
        CHECK(service.tasks()[3].created_at == 130 * kSecond);
        // The replacements: RUNNING at 165 s, UNHEALTHY at 165 + 90 = 255 s, marked at the
        // poll at 260 s: four tasks being replaced for a desired count of 2, none healthy:
        // the first two (in launch order) stop, two more start.
        const auto events = task_events(*run, "api-task-1");
        CHECK(time_of(events, "DEACTIVATING") == 260);
        CHECK(events.back().reason == "Task failed container health checks");
        CHECK(std::get<0>(health_events(*run, "api-task-3").at(0)) == 255);
        CHECK(service.tasks()[4].created_at == 260 * kSecond);
        // Every 130 s two more: launches at 130, 260, ..., 1690 s (13 x 130), the 1800 s run.
        CHECK(service.tasks().size() == 2 + 2 * 13);
        CHECK(service.counts().container_health_replacements == 2 * 13);
        CHECK(service.counts().unhealthy_replacements == 0);
    }
    // Without a load balancer: only the container check decides.
    auto no_lb = [](const std::string& app_start, const std::string& check) {
        std::string t = with_health_check(scheduler_scenario(app_start, 0), check);
        return with(t,
                    "load_balancer = [{ target_group_arn = \"api-tg\", container_name = \"api\", "
                    "container_port = 8080 }]\n",
                    "");
    };
    SECTION("startPeriod 150 s covers an application that answers at 160 s") {
        // Checks every 10 s from 45 s fail until the application answers at 35 + 125 =
        // 160 s; all began within the start period (before 35 + 150 = 185 s), none counts.
        // The check at 165 s passes: HEALTHY.
        auto run =
            run_scenario(no_lb("125s", R"({"command": ["CMD-SHELL", "curl -f )"
                                       R"(http://localhost:8080/ || exit 1"], "interval": 10, )"
                                       R"("retries": 2, "startPeriod": 150})"));
        const auto& service = *run->world().ecs_services()[0];
        const auto h = health_events(*run, "api-task-1");
        REQUIRE(h.size() == 1);
        CHECK(std::get<0>(h[0]) == 165);
        CHECK(std::get<1>(h[0]) == "HEALTHY");
        CHECK(service.tasks().size() == 2);
        CHECK(service.counts().container_health_replacements == 0);
    }
    SECTION("startPeriod 60 s does not: failures count from the check at 95 s") {
        // Checks at 45, 55, ..., 85 s began less than 60 s after RUNNING: not counted; those
        // at 95 and 105 s are: UNHEALTHY at 105 s (2 retries); the poll at 110 s starts the
        // replacements. The application answers at 160 s: the check at 165 s passes and the
        // task is HEALTHY again (it stays marked: it stops once a replacement is healthy).
        auto run =
            run_scenario(no_lb("125s", R"({"command": ["CMD-SHELL", "curl -f )"
                                       R"(http://localhost:8080/ || exit 1"], "interval": 10, )"
                                       R"("retries": 2, "startPeriod": 60})"));
        const auto& service = *run->world().ecs_services()[0];
        const auto h = health_events(*run, "api-task-1");
        REQUIRE(h.size() >= 2);
        CHECK(std::get<0>(h[0]) == 105);
        CHECK(std::get<1>(h[0]) == "UNHEALTHY");
        CHECK(std::get<2>(h[0]) ==
              "2 failed check(s) in a row: the application does not answer (not started)");
        CHECK(std::get<0>(h[1]) == 165);
        CHECK(std::get<1>(h[1]) == "HEALTHY");
        REQUIRE(service.tasks().size() >= 3);
        CHECK(service.tasks()[2].created_at == 110 * kSecond);
    }
    SECTION("a check that waits in a full queue times out") {
        // 0.25 vCPU tasks, 1 s of CPU per request (4 s on a quarter vCPU), 5 requests/s each:
        // the queue fills from the first request; the check (timeout 5 s) waits behind it.
        // interval 40: the first check begins at 75 s (the target is healthy by 65 s and a
        // request has finished by 69 s), times out at 80 s; the next begin 40 s after each
        // end: 120 s (ends 125 s) and 165 s (ends 170 s): UNHEALTHY at 170 s.
        std::string t = with_health_check(
            scheduler_scenario("10s", 150),
            R"({"command": ["CMD-SHELL", "curl -f http://localhost:8080/ || exit 1"], )"
            R"("interval": 40})");
        t = with(t, "\nrate = 0", "\nrate = 10\nservice_time = \"1s\"");
        auto run = run_scenario(t);
        const auto h = health_events(*run, "api-task-1");
        REQUIRE(!h.empty());
        CHECK(std::get<0>(h[0]) == 170);
        CHECK(std::get<1>(h[0]) == "UNHEALTHY");
        CHECK(std::get<2>(h[0]) ==
              "3 failed check(s) in a row: no answer within the 5 s "
              "timeout (requests queue in the task)");
    }
}

namespace {

// The RUNNING tasks of the service after each task state change from `from` on (the count
// before the first change, then after each).
std::vector<int> running_after(const report::Run& run, double from) {
    std::map<std::string, std::string> status;
    std::vector<int> out;
    auto running = [&] {
        int n = 0;
        for (const auto& [task, s] : status)
            n += s == "RUNNING" ? 1 : 0;
        return n;
    };
    bool first = true;
    for (const auto& e : testing::json_events(run)) {
        if (e.type != "ecs_task_state_change") continue;
        if (to_seconds(e.t) >= from && first) {
            out.push_back(running());
            first = false;
        }
        status[e.subjects["task"].get<std::string>()] =
            e.subjects["last_status"].get<std::string>();
        if (to_seconds(e.t) >= from) out.push_back(running());
    }
    return out;
}

}  // namespace

TEST_CASE("an AZ outage stops the zone's tasks and the scheduler starts them in another AZ",
          "[ecs]") {
    std::string t = scheduler_scenario("10s", 150) +
                    "[[fault]]\ntype = \"az_outage\"\ntarget = \"us-east-1a\"\nat = \"30s\"\n"
                    "duration = \"10m\"\n";
    auto run = run_scenario(t);
    const auto& service = *run->world().ecs_services()[0];
    REQUIRE(service.tasks().size() == 3);
    const auto events = task_events(*run, "api-task-1");
    REQUIRE(events.size() >= 3);
    // PENDING (pulling its image) since 20 s when the AZ fails at 30 s: stopped at once.
    CHECK(time_of(events, "PENDING") == 20);
    CHECK(time_of(events, "STOPPED") == 30);
    CHECK(time_of(events, "ACTIVATING") == -1);
    CHECK(events.back().reason.find("Availability Zone us-east-1a failed") != std::string::npos);
    // The replacement goes to us-east-1b, the only AZ of the service left.
    const auto& replacement = service.tasks()[2];
    CHECK(replacement.created_at == 30 * kSecond);
    CHECK(replacement.availability_zone == 1);
    CHECK(service.count(TaskStatus::Running) == 2);
}

namespace {

// The Fargate pricing page's worked examples as a run: a service of `tasks` Fargate tasks
// (`cpu` units, `memory` MiB, `extra` task definition keys) in us-east-1, started by an
// Application Auto Scaling scheduled action at 01:00 UTC every day and stopped at 01:MM
// (`minutes` later, 60 for 02:00), for `days` days. Provisioning takes no time, so each task
// is billed from 01:00 (PENDING) to its stop, no load balancer delaying it.
// clang-format off
std::string fargate_days(int tasks, int cpu, int memory, const std::string& extra, int minutes,
                         int days) {
    const std::string stop =
        minutes == 60 ? "cron(0 2 * * ? *)" : fmt::format("cron({} 1 * * ? *)", minutes);
    return fmt::format(R"toml([simulation]
duration = "{}d"
[region]
name = "us-east-1"
availability_zones = ["us-east-1a", "us-east-1b"]
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
[[ecs_cluster]]
name = "batch"
[[ecs_task_definition]]
family = "job"
cpu = {}
memory = {}
requires_compatibilities = ["FARGATE"]
network_mode = "awsvpc"
container_definitions = '[{{"name": "job", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/job:1", "essential": true}}]'
provisioning_time = "0s"
{}
[[ecs_service]]
name = "job"
cluster = "batch"
task_definition = "job"
desired_count = 0
launch_type = "FARGATE"
network_configuration = {{ subnets = ["public-a", "public-b"], assign_public_ip = true }}
[[appautoscaling_target]]
resource_id = "service/batch/job"
scalable_dimension = "ecs:service:DesiredCount"
service_namespace = "ecs"
min_capacity = 0
max_capacity = {}
[[appautoscaling_scheduled_action]]
name = "start"
resource_id = "service/batch/job"
schedule = "cron(0 1 * * ? *)"
scalable_target_action = {{ min_capacity = {}, max_capacity = {} }}
[[appautoscaling_scheduled_action]]
name = "stop"
resource_id = "service/batch/job"
schedule = "{}"
scalable_target_action = {{ min_capacity = 0, max_capacity = 0 }}
)toml",
                       days, cpu, memory, extra, tasks, tasks, tasks, stop);
}
// clang-format on

// The run's Fargate charges by usage type: (quantity, USD).
std::map<std::string, std::pair<double, double>> fargate_usage(const report::Run& run) {
    std::map<std::string, std::pair<double, double>> out;
    for (const auto& l : run.world().cost().ledger().lines()) {
        if (l.spec.line_item != cloud::LineItem::Fargate) continue;
        out[l.spec.usage_type].first += l.usage_quantity;
        out[l.spec.usage_type].second += l.cost;
    }
    return out;
}

double to_cents(double usd) {
    return std::round(usd * 100) / 100;
}

}  // namespace

TEST_CASE("the Fargate pricing page's examples, run for 30 days, to the cent", "[ecs][billing]") {
    // aws.amazon.com/fargate/pricing, "Pricing Examples" (US East (N. Virginia)); the per-
    // second rates are the catalog's hourly ones / 3600 (docs/pricing.md).
    SECTION("example 1: 5 tasks, 1 vCPU, 2 GB, 30 GB of storage, 10 minutes a day, Linux/x86") {
        auto run = run_scenario(
            fargate_days(5, 1024, 2048, "ephemeral_storage = { size_in_gib = 30 }", 10, 30));
        auto u = fargate_usage(*run);
        REQUIRE(u.size() == 3);
        // 5 tasks x 600 s x 30 days = 25 task-hours: 25 vCPU-hours, 50 GB-hours, 250 GB-hours
        // of storage above the free 20 GB.
        CHECK(u["Fargate-vCPU-Hours:perCPU"].first == Approx(25));
        CHECK(u["Fargate-GB-Hours"].first == Approx(50));
        CHECK(u["Fargate-EphemeralStorage-GB-Hours"].first == Approx(250));
        // 5 x 1 x 0.000011244 x 600 x 30 = $1.01; 5 x 2 x 0.000001235 x 600 x 30 = $0.22;
        // 5 x 10 x 0.0000000308 x 600 x 30 = $0.03; total $1.26.
        CHECK(to_cents(u["Fargate-vCPU-Hours:perCPU"].second) == 1.01);
        CHECK(to_cents(u["Fargate-GB-Hours"].second) == 0.22);
        CHECK(to_cents(u["Fargate-EphemeralStorage-GB-Hours"].second) == 0.03);
        CHECK(to_cents(run->world().cost().ledger().total(cloud::LineItem::Fargate)) == 1.26);
    }
    SECTION("example 2: the same on Linux/ARM") {
        auto run = run_scenario(fargate_days(
            5, 1024, 2048,
            "ephemeral_storage = { size_in_gib = 30 }\nruntime_platform = { cpu_architecture = "
            "\"ARM64\", operating_system_family = \"LINUX\" }",
            10, 30));
        auto u = fargate_usage(*run);
        REQUIRE(u.size() == 3);
        // 5 x 1 x 0.0000089944 x 600 x 30 = $0.81; 5 x 2 x 0.0000009889 x 600 x 30 = $0.18;
        // storage $0.03; total $1.02.
        CHECK(to_cents(u["Fargate-ARM-vCPU-Hours:perCPU"].second) == 0.81);
        CHECK(to_cents(u["Fargate-ARM-GB-Hours"].second) == 0.18);
        CHECK(to_cents(u["Fargate-EphemeralStorage-GB-Hours"].second) == 0.03);
        CHECK(to_cents(run->world().cost().ledger().total(cloud::LineItem::Fargate)) == 1.02);
    }
    SECTION("example 3: 10 tasks (pods) of 0.25 vCPU and 1 GB, 1 hour a day") {
        auto run = run_scenario(fargate_days(10, 256, 1024, "", 60, 30));
        auto u = fargate_usage(*run);
        REQUIRE(u.size() == 2);
        // 10 x 0.25 x 0.000011244 x 3600 x 30 = $3.04; 10 x 1 x 0.000001235 x 3600 x 30 =
        // $1.33; total $4.37.
        CHECK(u["Fargate-vCPU-Hours:perCPU"].first == Approx(75));
        CHECK(to_cents(u["Fargate-vCPU-Hours:perCPU"].second) == 3.04);
        CHECK(to_cents(u["Fargate-GB-Hours"].second) == 1.33);
        CHECK(to_cents(run->world().cost().ledger().total(cloud::LineItem::Fargate)) == 4.37);
    }
    SECTION("example 4: 10 Windows tasks of 1 vCPU and 2 GB, 1 hour a day") {
        const std::string windows =
            "runtime_platform = { cpu_architecture = \"X86_64\", "
            "operating_system_family = \"WINDOWS_SERVER_2022_CORE\" }";
        auto run = run_scenario(fargate_days(10, 1024, 2048, windows, 60, 30));
        auto u = fargate_usage(*run);
        REQUIRE(u.size() == 3);
        // 300 vCPU-hours, 300 OS license vCPU-hours, 600 GB-hours. The page: $27.45 + $13.80
        // + $6.00 = $47.25 with its rounded per-second rates ($0.0915 and $0.01 an hour); at
        // its rate table's $0.09148 and $0.01005 (the catalog's): 300 x 0.09148 = $27.44,
        // 300 x 0.046 = $13.80, 600 x 0.01005 = $6.03: $47.27 (docs/pricing.md).
        CHECK(u["Fargate-Windows-vCPU-Hours:perCPU"].first == Approx(300));
        CHECK(u["Fargate-Windows-OS-Hours:perCPU"].first == Approx(300));
        CHECK(u["Fargate-Windows-GB-Hours"].first == Approx(600));
        CHECK(to_cents(u["Fargate-Windows-OS-Hours:perCPU"].second) == 13.80);
        CHECK(to_cents(u["Fargate-Windows-vCPU-Hours:perCPU"].second) == 27.44);
        CHECK(to_cents(u["Fargate-Windows-GB-Hours"].second) == 6.03);
        CHECK(to_cents(run->world().cost().ledger().total(cloud::LineItem::Fargate)) == 47.27);
    }
    SECTION("example 1's tasks on FARGATE_SPOT: the Spot rates, storage at Fargate's") {
        // The page prices Fargate Spot "at up to a 70% discount" without an example; the
        // catalog's us-east-1 Spot rates are 30 % of Fargate's ($0.012144 per vCPU-hour,
        // $0.0013335 per GB-hour, docs/pricing.md), ephemeral storage is not discounted. No
        // interruption (rate 0): 25 vCPU-hours x 0.012144 = $0.30, 50 GB-hours x 0.0013335 =
        // $0.07, 250 GB-hours x 0.000111 = $0.03; $0.40 (0.3036 + 0.066675 + 0.02775 =
        // 0.398025) against example 1's $1.26.
        std::string text =
            fargate_days(5, 1024, 2048, "ephemeral_storage = { size_in_gib = 30 }", 10, 30);
        text = with(text, "launch_type = \"FARGATE\"",
                    "capacity_provider_strategy = [{ capacity_provider = \"FARGATE_SPOT\", "
                    "weight = 1 }]\nspot_interruption_monthly_rate = 0");
        auto run = run_scenario(text);
        auto u = fargate_usage(*run);
        REQUIRE(u.size() == 3);
        CHECK(u["SpotUsage-Fargate-vCPU-Hours:perCPU"].first == Approx(25));
        CHECK(u["SpotUsage-Fargate-GB-Hours"].first == Approx(50));
        CHECK(u["Fargate-EphemeralStorage-GB-Hours"].first == Approx(250));
        CHECK(to_cents(u["SpotUsage-Fargate-vCPU-Hours:perCPU"].second) == 0.30);
        CHECK(to_cents(u["SpotUsage-Fargate-GB-Hours"].second) == 0.07);
        CHECK(to_cents(u["Fargate-EphemeralStorage-GB-Hours"].second) == 0.03);
        CHECK(run->world().cost().ledger().total(cloud::LineItem::Fargate) ==
              Approx(0.398025).epsilon(1e-9));
        // Today's Spot rates set in [pricing] (a third-party quote of us-east-1: $0.01246741
        // and $0.00136896): 25 x 0.01246741 + 50 x 0.00136896 + 0.02775 = 0.31168525 +
        // 0.068448 + 0.02775 = $0.40788325.
        auto priced = run_scenario(text +
                                   "[pricing]\nfargate_spot_vcpu_hour = 0.01246741\n"
                                   "fargate_spot_gb_hour = 0.00136896\n");
        CHECK(priced->world().cost().ledger().total(cloud::LineItem::Fargate) ==
              Approx(0.40788325).epsilon(1e-9));
    }
    SECTION("Windows bills 5 minutes at least: 2 tasks stopped after 2 minutes, one day") {
        // "For Windows containers, billing is calculated per second with a 5-minute minimum":
        // each task runs 120 s and bills 300 s: 2 x 300 / 3600 = 1/6 vCPU-hour (and OS
        // license), 1/3 GB-hour. The same tasks on Linux bill their 120 s (over the minute).
        const std::string windows =
            "runtime_platform = { cpu_architecture = \"X86_64\", "
            "operating_system_family = \"WINDOWS_SERVER_2019_FULL\" }";
        auto win = fargate_usage(*run_scenario(fargate_days(2, 1024, 2048, windows, 2, 1)));
        CHECK(win["Fargate-Windows-vCPU-Hours:perCPU"].first == Approx(600.0 / 3600));
        CHECK(win["Fargate-Windows-OS-Hours:perCPU"].first == Approx(600.0 / 3600));
        CHECK(win["Fargate-Windows-GB-Hours"].first == Approx(1200.0 / 3600));
        auto linux_tasks = fargate_usage(*run_scenario(fargate_days(2, 1024, 2048, "", 2, 1)));
        CHECK(linux_tasks["Fargate-vCPU-Hours:perCPU"].first == Approx(240.0 / 3600));
    }
}

TEST_CASE("Fargate bills vCPU and GB per second from the image pull, one minute at least",
          "[ecs]") {
    SECTION("two 0.25 vCPU / 0.5 GB tasks for a 30-minute run") {
        auto run = run_scenario(scheduler_scenario("10s", 150));
        const auto& ledger = run->world().cost().ledger();
        // Each task bills from PENDING (20 s) to the end of the run (1800 s): 1780 s at
        // 0.25 x $0.04048 + 0.5 x $0.004445 = $0.0123425 an hour (us-east-1, Linux/x86).
        // 2 x 1780 / 3600 x 0.0123425 = $0.0122053611.
        CHECK(ledger.total(cloud::LineItem::Fargate) == Approx(0.0122053611).epsilon(1e-9));
        int vcpu_lines = 0, gb_lines = 0;
        for (const auto& l : ledger.lines()) {
            if (l.spec.line_item != cloud::LineItem::Fargate) continue;
            if (l.spec.usage_type == "Fargate-vCPU-Hours:perCPU") {
                ++vcpu_lines;
                CHECK(l.usage_quantity == Approx(0.25 * 1780 / 3600.0));
            } else {
                ++gb_lines;
                CHECK(l.spec.usage_type == "Fargate-GB-Hours");
                CHECK(l.usage_quantity == Approx(0.5 * 1780 / 3600.0));
            }
        }
        CHECK(vcpu_lines == 2);
        CHECK(gb_lines == 2);
        // No EC2 for the tasks' compute.
        CHECK(ledger.total(cloud::LineItem::Ec2OnDemand) == 0);
    }
    SECTION("a task stopped 10 s into its image pull bills one minute") {
        std::string t = scheduler_scenario("10s", 150) +
                        "[[fault]]\ntype = \"az_outage\"\ntarget = \"us-east-1a\"\nat = \"30s\"\n"
                        "duration = \"10m\"\n";
        auto run = run_scenario(t);
        const auto& ledger = run->world().cost().ledger();
        double first = 0;
        for (const auto& l : ledger.lines())
            if (l.spec.resource_id == "task/shop/api-task-1") first += l.cost;
        // 60 s x (0.25 x 0.04048 + 0.5 x 0.004445) / 3600 = 60 x 0.0123425 / 3600
        // = $0.00020570833...
        CHECK(first == Approx(60 * 0.0123425 / 3600).epsilon(1e-9));
        CHECK(first == Approx(0.000205708333).epsilon(1e-8));
        // The other two run from 20 s (api-task-2) and 50 s (the replacement) to 1800 s.
        const double expected = (60 + 1780 + 1750) / 3600.0 * 0.0123425;
        CHECK(ledger.total(cloud::LineItem::Fargate) == Approx(expected).epsilon(1e-9));
    }
    SECTION("Linux/ARM rates and ephemeral storage above the free 20 GB") {
        // The Fargate pricing page's us-east-1 figures: Linux/ARM $0.03238 per vCPU-hour and
        // $0.00356 per GB-hour; ephemeral storage above 20 GB $0.000111 per GB-hour.
        std::string t = with(scheduler_scenario("10s", 150), "network_mode = \"awsvpc\"\n",
                             "network_mode = \"awsvpc\"\nruntime_platform = { cpu_architecture = "
                             "\"ARM64\", operating_system_family = \"LINUX\" }\n"
                             "ephemeral_storage = { size_in_gib = 30 }\n");
        auto run = run_scenario(t);
        const auto& ledger = run->world().cost().ledger();
        std::map<std::string, double> quantity, cost;
        for (const auto& l : ledger.lines()) {
            if (l.spec.line_item != cloud::LineItem::Fargate) continue;
            quantity[l.spec.usage_type] += l.usage_quantity;
            cost[l.spec.usage_type] += l.cost;
        }
        // Two tasks, each 1780 s (PENDING at 20 s to the end at 1800 s).
        REQUIRE(quantity.size() == 3);
        CHECK(quantity["Fargate-ARM-vCPU-Hours:perCPU"] == Approx(2 * 0.25 * 1780 / 3600.0));
        CHECK(quantity["Fargate-ARM-GB-Hours"] == Approx(2 * 0.5 * 1780 / 3600.0));
        CHECK(quantity["Fargate-EphemeralStorage-GB-Hours"] == Approx(2 * 10 * 1780 / 3600.0));
        // 2 x 1780 / 3600 x (0.25 x 0.03238 + 0.5 x 0.00356 + 10 x 0.000111)
        // = 0.98888... x 0.010985 = $0.010862944444...
        CHECK(ledger.total(cloud::LineItem::Fargate) == Approx(0.01086294444).epsilon(1e-9));
        CHECK(cost["Fargate-EphemeralStorage-GB-Hours"] ==
              Approx(2 * 10 * 1780 / 3600.0 * 0.000111).epsilon(1e-9));
    }
    SECTION("Windows: its own rates, the OS license fee, five minutes at least") {
        // Two tasks of 1 vCPU / 2 GB on WINDOWS_SERVER_2022_CORE, each 1780 s (PENDING at 20 s
        // to the end at 1800 s), at the us-east-1 catalog's Windows rates: vCPU $0.09148, OS
        // license $0.046 per vCPU-hour, memory $0.01005 per GB-hour: 2 x 1780 / 3600 x
        // (0.09148 + 0.046 + 2 x 0.01005) = 0.988889 x 0.15758 = $0.155829111.
        std::string t = with(scheduler_scenario("10s", 150), "network_mode = \"awsvpc\"\n",
                             "network_mode = \"awsvpc\"\nruntime_platform = { "
                             "operating_system_family = \"WINDOWS_SERVER_2022_CORE\" }\n");
        t = with(with(t, "cpu = 256", "cpu = 1024"), "memory = 512", "memory = 2048");
        {
            auto run = run_scenario(t);
            const auto& ledger = run->world().cost().ledger();
            std::map<std::string, double> quantity;
            for (const auto& l : ledger.lines())
                if (l.spec.line_item == cloud::LineItem::Fargate)
                    quantity[l.spec.usage_type] += l.usage_quantity;
            REQUIRE(quantity.size() == 3);
            CHECK(quantity["Fargate-Windows-vCPU-Hours:perCPU"] == Approx(2 * 1780 / 3600.0));
            CHECK(quantity["Fargate-Windows-OS-Hours:perCPU"] == Approx(2 * 1780 / 3600.0));
            CHECK(quantity["Fargate-Windows-GB-Hours"] == Approx(2 * 2 * 1780 / 3600.0));
            CHECK(ledger.total(cloud::LineItem::Fargate) == Approx(0.155829111).epsilon(1e-8));
        }
        // api-task-1 stopped 10 s into its image pull (its AZ fails at 30 s) bills 300 s, not
        // 60: (300 + 1780 + 1750) / 3600 x 0.15758 = $0.167647611.
        auto run = run_scenario(t +
                                "[[fault]]\ntype = \"az_outage\"\ntarget = \"us-east-1a\"\n"
                                "at = \"30s\"\nduration = \"10m\"\n");
        const auto& ledger = run->world().cost().ledger();
        double first = 0;
        for (const auto& l : ledger.lines())
            if (l.spec.resource_id == "task/shop/api-task-1") first += l.cost;
        CHECK(first == Approx(300 * 0.15758 / 3600).epsilon(1e-9));
        CHECK(ledger.total(cloud::LineItem::Fargate) == Approx(0.167647611).epsilon(1e-8));
    }
    SECTION("what ECS refuses for Windows, each at its key") {
        const std::string platform =
            "network_mode = \"awsvpc\"\nruntime_platform = { "
            "operating_system_family = \"WINDOWS_SERVER_2019_FULL\"";
        const std::string base =
            with(with(with(scheduler_scenario("10s", 150), "cpu = 256", "cpu = 1024"),
                      "memory = 512", "memory = 2048"),
                 "network_mode = \"awsvpc\"\n", platform + " }\n");
        REQUIRE_NOTHROW(load_text(base, "ecs.toml", {}, "."));
        // A family Fargate does not run.
        const auto wrong =
            about(errors_of(with(base, "WINDOWS_SERVER_2019_FULL", "WINDOWS_SERVER_2016_FULL")),
                  "ecs_task_definition[api].runtime_platform.operating_system_family");
        CHECK(contains(wrong.message, "found \"WINDOWS_SERVER_2016_FULL\""));
        CHECK(contains(wrong.message, "WINDOWS_SERVER_2022_CORE"));
        // ARM64: Windows containers are X86_64 only.
        const auto arm =
            about(errors_of(with(base, platform, platform + ", cpu_architecture = \"ARM64\"")),
                  "ecs_task_definition[api].runtime_platform.cpu_architecture");
        CHECK(contains(arm.message, "X86_64 only"));
        // Half a vCPU: Windows starts at 1 vCPU.
        const auto half = about(errors_of(with(with(base, "cpu = 1024", "cpu = 512"),
                                               "memory = 2048", "memory = 1024")),
                                "ecs_task_definition[api].cpu");
        CHECK(contains(half.message, "1024, 2048 or 4096"));
        CHECK(contains(half.message, "found 512"));
        CHECK(half.pos.line > 0);
        // Fargate Spot runs Linux only.
        const auto spot = about(
            errors_of(with(base, "launch_type = \"FARGATE\"",
                           "capacity_provider_strategy = [{ capacity_provider = \"FARGATE\", "
                           "weight = 1 }, { capacity_provider = \"FARGATE_SPOT\", weight = 1 }]")),
            "ecs_service[api].capacity_provider_strategy");
        CHECK(contains(spot.message, "Fargate Spot runs Linux tasks only"));
        // Windows on EC2 container instances is not modelled.
        const auto ec2 = about(errors_of(with(base, "requires_compatibilities = [\"FARGATE\"]",
                                              "requires_compatibilities = [\"EC2\"]")),
                               "ecs_task_definition[api].runtime_platform.operating_system_family");
        CHECK(contains(ec2.message, "on Fargate only"));
    }
}

// ---- Image pulls: the way from the task's subnet to the registry ------------------------------

namespace {

// scheduler_scenario with the tasks in two subnets routed within the VPC only (no NAT), or
// through a NAT gateway in public-a (`nat`), without public IPs.
std::string private_scenario(bool nat) {
    std::string t = scheduler_scenario("10s", 150);
    t = with(t, "[[load_balancer]]",
             std::string(nat ? "[[nat_gateway]]\nname = \"nat-a\"\nsubnet = \"public-a\"\n" : "") +
                 "[[subnet]]\nname = \"app-a\"\ncidr_block = \"10.0.11.0/24\"\n"
                 "availability_zone = \"us-east-1a\"\nroute = \"" +
                 (nat ? "nat:nat-a" : "local") +
                 "\"\n[[subnet]]\nname = \"app-b\"\ncidr_block = \"10.0.12.0/24\"\n"
                 "availability_zone = \"us-east-1b\"\nroute = \"" +
                 (nat ? "nat:nat-a" : "local") + "\"\n[[load_balancer]]");
    return with(t, "subnets = [\"public-a\", \"public-b\"], assign_public_ip = true }",
                "subnets = [\"app-a\", \"app-b\"] }");
}

std::string stop_code_of(const report::Run& run, const std::string& task) {
    for (const auto& e : testing::json_events(run))
        if (e.type == "ecs_task_state_change" && e.subjects["task"] == task &&
            e.subjects["last_status"] == "STOPPED")
            return e.subjects.contains("stop_code") ? e.subjects["stop_code"].get<std::string>()
                                                    : std::string("(none)");
    return "(not stopped)";
}

}  // namespace

TEST_CASE("the stopped reason of a task that cannot reach its image's registry", "[ecs]") {
    using cloud::EcsService;
    // Amazon ECR: the registry authorization is fetched first (Fargate 1.4.0+), from the
    // registry's region.
    const std::string ecr = EcsService::image_pull_stopped_reason(
        "123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/api:1");
    CHECK(ecr.rfind("ResourceInitializationError: unable to pull secrets or registry auth: ", 0) ==
          0);
    CHECK(
        contains(ecr, "\"https://api.ecr.ap-northeast-2.amazonaws.com/\": dial tcp: i/o timeout"));
    // Docker Hub: an official image is library/<name>, the tag latest by default.
    CHECK(EcsService::image_pull_stopped_reason("nginx") ==
          "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to "
          "resolve ref docker.io/library/nginx:latest: failed to do request: Head "
          "\"https://registry-1.docker.io/v2/library/nginx/manifests/latest\": dial tcp: i/o "
          "timeout");
    CHECK(contains(EcsService::image_pull_stopped_reason("shop/api:1"),
                   "ref docker.io/shop/api:1: failed to do request: Head "
                   "\"https://registry-1.docker.io/v2/shop/api/manifests/1\""));
    // Another registry names itself in the first component.
    CHECK(contains(EcsService::image_pull_stopped_reason("public.ecr.aws/nginx/nginx:1.25"),
                   "ref public.ecr.aws/nginx/nginx:1.25: failed to do request: Head "
                   "\"https://public.ecr.aws/v2/nginx/nginx/manifests/1.25\""));
    // The throttle: 15 s doubled at each failure in a row, 27 minutes at most.
    CHECK(EcsService::throttle_delay(0) == 0);
    CHECK(EcsService::throttle_delay(1) == 15 * kSecond);
    CHECK(EcsService::throttle_delay(2) == 30 * kSecond);
    CHECK(EcsService::throttle_delay(4) == 120 * kSecond);
    CHECK(EcsService::throttle_delay(7) == 960 * kSecond);
    CHECK(EcsService::throttle_delay(8) == 27 * kMinute);  // 1,920 s capped
    CHECK(EcsService::throttle_delay(1000) == 27 * kMinute);
}

TEST_CASE("image pulls: a Fargate task with no way to the registry stops before RUNNING", "[ecs]") {
    SECTION("private subnets without a NAT gateway: ResourceInitializationError, throttled") {
        const std::string text = private_scenario(false);
        const Spec spec = load_text(text, "ecs.toml", {}, ".");
        REQUIRE_FALSE(spec.ecs_service[0].assign_public_ip);  // the default
        // validate warns at the service.
        const auto warnings = cloud::closed_flow_warnings(spec);
        const auto pull = std::count_if(warnings.begin(), warnings.end(), [](const Diagnostic& d) {
            return d.key_path == "network.image_pull" &&
                   contains(d.message, "subnet app-a routes only within the VPC");
        });
        CHECK(pull == 1);
        auto run = run_scenario(text);
        const auto& service = *run->world().ecs_services()[0];
        // Each task: PROVISIONING at its launch, PENDING 20 s later, STOPPED one minute
        // (kPullTimeout) into its pull. The throttle after the n-th failure in a row:
        // 15 s x 2^(n-1). Tasks 1-2 fail at 80 s (hold 30 s: to 110 s); 3-4 start at 110,
        // fail at 190 (hold 2 min: to 310); 5-6 fail at 390 (hold 8 min: to 870); 7-8 fail
        // at 950 (hold 27 min, past the 30-minute run).
        REQUIRE(service.tasks().size() == 8);
        const double launch[] = {0, 0, 110, 110, 310, 310, 870, 870};
        for (int i = 0; i < 8; ++i) {
            const std::string id = "api-task-" + std::to_string(i + 1);
            INFO(id);
            const auto events = task_events(*run, id);
            CHECK(time_of(events, "PROVISIONING") == launch[i]);
            CHECK(time_of(events, "PENDING") == launch[i] + 20);
            CHECK(time_of(events, "RUNNING") == -1);
            CHECK(time_of(events, "STOPPED") == launch[i] + 80);
            REQUIRE_FALSE(events.empty());
            CHECK(events.back().reason ==
                  cloud::EcsService::image_pull_stopped_reason(
                      "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1"));
            CHECK(stop_code_of(*run, id) == "TaskFailedToStart");
        }
        CHECK(service.count(TaskStatus::Running) == 0);
        // ECS's service event, once, at the second failure in a row.
        const auto throttled = testing::times_of(*run, "ecs_service_event");
        REQUIRE(throttled.size() == 1);
        CHECK(throttled[0] == 80);
        // Fargate bills each failed task its one-minute minimum (60 s of pull).
        const double expected = 8 * 60 / 3600.0 * 0.0123425;
        CHECK(run->world().cost().ledger().total(cloud::LineItem::Fargate) ==
              Approx(expected).epsilon(1e-9));
    }
    SECTION("public subnets without a public IP: a Docker Hub image, CannotPullContainerError") {
        std::string text =
            with(scheduler_scenario("10s", 150), ", assign_public_ip = true }", " }");
        text = with(text, "\"image\": \"123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1\"",
                    "\"image\": \"shop/api:1\"");
        const auto warnings = cloud::closed_flow_warnings(load_text(text, "ecs.toml", {}, "."));
        REQUIRE(warnings.size() == 1);
        CHECK(contains(warnings[0].message,
                       "subnet public-a routes to the internet gateway, but "
                       "the tasks get no public IP"));
        auto run = run_scenario(text);
        const auto events = task_events(*run, "api-task-1");
        REQUIRE(events.size() >= 2);
        CHECK(time_of(events, "STOPPED") == 80);
        CHECK(contains(events.back().reason,
                       "CannotPullContainerError: pull image manifest has "
                       "been retried 5 time(s): failed to resolve ref "
                       "docker.io/shop/api:1"));
        CHECK(run->world().ecs_services()[0]->count(TaskStatus::Running) == 0);
    }
    SECTION("private subnets through a NAT gateway: the tasks start as usual") {
        const std::string text = private_scenario(true);
        CHECK(cloud::closed_flow_warnings(load_text(text, "ecs.toml", {}, ".")).empty());
        auto run = run_scenario(text);
        const auto& service = *run->world().ecs_services()[0];
        REQUIRE(service.tasks().size() == 2);
        CHECK(time_of(task_events(*run, "api-task-1"), "RUNNING") == 35);
        CHECK(service.count(TaskStatus::Running) == 2);
        CHECK(testing::times_of(*run, "ecs_service_event").empty());
    }
    SECTION("public subnets with assign_public_ip: each task's address is billed") {
        auto run = run_scenario(scheduler_scenario("10s", 150));
        CHECK(run->world().ecs_services()[0]->count(TaskStatus::Running) == 2);
        // Two addresses from PENDING (20 s) to the end (1800 s), $0.005 per IP-hour:
        // 2 x 1780 / 3600 x 0.005 = $0.0049444.
        double ipv4 = 0;
        int lines = 0;
        for (const auto& l : run->world().cost().ledger().lines())
            if (l.spec.resource_id.rfind("ipv4/task/shop/", 0) == 0) {
                ++lines;
                ipv4 += l.cost;
                CHECK(l.spec.usage_type == "PublicIPv4:InUseAddress");
            }
        CHECK(lines == 2);
        CHECK(ipv4 == Approx(2 * 1780 / 3600.0 * 0.005).epsilon(1e-9));
    }
}

TEST_CASE("image pulls: a new task definition ends the throttle at once", "[ecs]") {
    // At 100 s (held until 110 s after two failures at 80 s) the service moves to a new
    // revision: its tasks launch at once, and fail again at 180 s.
    const std::string text =
        private_scenario(false) +
        "[[ecs_task_definition]]\nfamily = \"api-v2\"\ncpu = 256\nmemory = 512\n"
        "requires_compatibilities = [\"FARGATE\"]\nnetwork_mode = \"awsvpc\"\n"
        "container_definitions = '[{\"name\": \"api\", \"image\": "
        "\"123456789012.dkr.ecr.us-east-1.amazonaws.com/api:2\", \"portMappings\": "
        "[{\"containerPort\": 8080}]}]'\n"
        "[[action]]\nat = \"100s\"\nset = { \"ecs_service.api.task_definition\" = \"api-v2\" }\n";
    auto run = run_scenario(text);
    const auto& service = *run->world().ecs_services()[0];
    REQUIRE(service.tasks().size() >= 4);
    CHECK(time_of(task_events(*run, "api-task-3"), "PROVISIONING") == 100);
    CHECK(time_of(task_events(*run, "api-task-3"), "STOPPED") == 180);
}

TEST_CASE("a run refuses what the ECS model does not run yet, at its key", "[ecs]") {
    auto refused = [](const std::string& text) {
        std::vector<std::string> keys;
        for (const auto& d : unsupported_features(load_text(text, "ecs.toml", {}, ".")))
            keys.push_back(d.key_path);
        return keys;
    };
    REQUIRE(refused(kFargate).empty());
    // The EC2 launch type in a cluster without container instances (its task definition
    // made compatible, so that it loads); EXTERNAL (ECS Anywhere).
    std::string ec2 = with(kFargate, "launch_type = \"FARGATE\"", "launch_type = \"EC2\"");
    ec2 = with(ec2, "[\"FARGATE\"]", "[\"FARGATE\", \"EC2\"]");
    CHECK(refused(ec2) == std::vector<std::string>{"ecs_service[api].launch_type"});
    std::string external =
        with(kFargate, "launch_type = \"FARGATE\"", "launch_type = \"EXTERNAL\"");
    external = with(external, "[\"FARGATE\"]", "[\"FARGATE\", \"EXTERNAL\"]");
    CHECK(refused(external) == std::vector<std::string>{"ecs_service[api].launch_type"});
    // kFargate gives its tasks public IPs (assign_public_ip = true): a run bills them.
    const std::string sg = with(kFargate + "[[security_group]]\nname = \"api\"\n",
                                "subnets = [\"public-a\", \"public-b\"], assign_public_ip = true }",
                                "subnets = [\"public-a\", \"public-b\"], assign_public_ip = true, "
                                "security_groups = [\"api\"] }");
    // The tasks' security groups decide the flows from the load balancer and to the database
    // (network.hpp): a run takes them.
    CHECK(refused(sg).empty());
    // Fluid mode runs ECS services (tests/test_fluid.cpp compares every ECS lab with request
    // mode).
    CHECK(refused(with(kFargate, "duration = \"30m\"", "duration = \"30m\"\nfidelity = \"fluid\""))
              .empty());
}

// ---- Fargate Spot (capacity_provider_strategy) -------------------------------------------------

TEST_CASE("capacity provider strategy: the base first, then the rest by weight", "[ecs]") {
    using P = EcsCapacityProvider;
    auto split = [](int desired, std::vector<EcsCapacityProviderStrategySpec> s) {
        return cloud::split_by_strategy(desired, s);
    };
    auto item = [](P provider, int weight, int base) {
        EcsCapacityProviderStrategySpec s;
        s.capacity_provider = provider;
        s.weight = weight;
        s.base = base;
        return s;
    };
    // AWS's example (CapacityProviderStrategyItem): weight 1 on A and 4 on B, one task on A
    // for every four on B.
    CHECK(split(5, {item(P::Fargate, 1, 0), item(P::FargateSpot, 4, 0)}) ==
          std::array<int, 2>{1, 4});
    CHECK(split(10, {item(P::Fargate, 1, 0), item(P::FargateSpot, 4, 0)}) ==
          std::array<int, 2>{2, 8});
    // Equal weights split evenly.
    CHECK(split(4, {item(P::Fargate, 1, 0), item(P::FargateSpot, 1, 0)}) ==
          std::array<int, 2>{2, 2});
    // Base 1 on FARGATE, then 1:3 for the 6 left: 1.5 : 4.5, the half to the provider listed
    // first (FARGATE) -> 1 + 1 FARGATE, 5 FARGATE_SPOT.
    CHECK(split(7, {item(P::Fargate, 1, 1), item(P::FargateSpot, 3, 0)}) ==
          std::array<int, 2>{2, 5});
    // The Spot workshop's strategy: base 2 on On-Demand, then 1:3: 10 tasks -> 2 + 2, 6.
    CHECK(split(10, {item(P::Fargate, 1, 2), item(P::FargateSpot, 3, 0)}) ==
          std::array<int, 2>{4, 6});
    // Fewer tasks than the base: all on the base's provider.
    CHECK(split(1, {item(P::Fargate, 1, 2), item(P::FargateSpot, 3, 0)}) ==
          std::array<int, 2>{1, 0});
    // A provider of weight 0 gets only its base.
    CHECK(split(6, {item(P::Fargate, 0, 2), item(P::FargateSpot, 1, 0)}) ==
          std::array<int, 2>{2, 4});
    // No strategy: every task on FARGATE.
    CHECK(split(3, {}) == std::array<int, 2>{3, 0});
}

namespace {

// scheduler_scenario with 7 tasks under base 1 FARGATE + weights 1 / 3, no random Spot
// interruption, `extra` appended.
std::string spot_scenario(const std::string& extra) {
    std::string t = with(scheduler_scenario("10s", 150), "desired_count = 2", "desired_count = 7");
    t = with(t, "launch_type = \"FARGATE\"\n",
             "capacity_provider_strategy = [{ capacity_provider = \"FARGATE\", weight = 1, base = "
             "1 }, { capacity_provider = \"FARGATE_SPOT\", weight = 3 }]\n"
             "spot_interruption_monthly_rate = 0\n");
    return t + extra;
}

std::array<int, 2> active_providers(const cloud::EcsService& service) {
    std::array<int, 2> n{0, 0};
    for (const auto& t : service.tasks())
        if (t.status <= TaskStatus::Running) ++n[static_cast<std::size_t>(t.capacity_provider)];
    return n;
}

}  // namespace

TEST_CASE("Fargate Spot: the tasks follow the strategy and bill at the Spot rates", "[ecs]") {
    auto run = run_scenario(spot_scenario(""));
    const auto& service = *run->world().ecs_services()[0];
    REQUIRE(service.tasks().size() == 7);
    REQUIRE(service.count(TaskStatus::Running) == 7);
    CHECK(active_providers(service) == std::array<int, 2>{2, 5});
    CHECK(service.counts().spot_interruptions == 0);
    // Each task bills from PENDING (20 s) to the end (1800 s), 1780 s. 0.25 vCPU / 0.5 GB an
    // hour: FARGATE 0.25 x 0.04048 + 0.5 x 0.004445 = $0.0123425; FARGATE_SPOT at the
    // catalog's 30 %: 0.25 x 0.012144 + 0.5 x 0.0013335 = $0.00370275.
    const auto& ledger = run->world().cost().ledger();
    const double expected = 1780 / 3600.0 * (2 * 0.0123425 + 5 * 0.00370275);
    CHECK(ledger.total(cloud::LineItem::Fargate) == Approx(expected).epsilon(1e-9));
    CHECK(ledger.total(cloud::LineItem::Fargate) == Approx(0.0213593819).epsilon(1e-8));
    int spot_lines = 0;
    for (const auto& l : ledger.lines())
        if (l.spec.usage_type == "SpotUsage-Fargate-vCPU-Hours:perCPU" ||
            l.spec.usage_type == "SpotUsage-Fargate-GB-Hours")
            ++spot_lines;
    CHECK(spot_lines == 10);
}

TEST_CASE("Fargate Spot: the two-minute warning stops the task, the scheduler replaces it",
          "[ecs]") {
    auto run = run_scenario(
        spot_scenario("[[fault]]\ntype = \"spot_interruption\"\ntarget = \"api\"\nat = \"300s\"\n"
                      "fraction = 1\n"));
    const auto& service = *run->world().ecs_services()[0];
    // Every FARGATE_SPOT task (5) got the warning at 300 s; none of the FARGATE ones.
    REQUIRE(service.counts().spot_interruptions == 5);
    const auto warnings = testing::times_of(*run, "ecs_spot_interruption_warning", "", "");
    REQUIRE(warnings.size() == 5);
    int interrupted = 0;
    for (const auto& t : service.tasks()) {
        if (!t.spot_interrupted) continue;
        ++interrupted;
        INFO(t.id);
        CHECK(t.capacity_provider == EcsCapacityProvider::FargateSpot);
        const auto events = task_events(*run, t.id);
        // Deregistered at once (no delay, no request in flight) and stopped at 300 s, with
        // ECS's stopped reason.
        CHECK(time_of(events, "DEACTIVATING") == 300);
        CHECK(time_of(events, "STOPPED") == 300);
        CHECK(events.back().reason == "Your Spot Task was interrupted.");
    }
    CHECK(interrupted == 5);
    // The replacements started at 300 s on FARGATE_SPOT: the split holds.
    REQUIRE(service.tasks().size() == 12);
    for (std::size_t i = 7; i < 12; ++i) {
        CHECK(service.tasks()[i].created_at == 300 * kSecond);
        CHECK(service.tasks()[i].capacity_provider == EcsCapacityProvider::FargateSpot);
    }
    CHECK(active_providers(service) == std::array<int, 2>{2, 5});
    CHECK(service.count(TaskStatus::Running) == 7);
    // Bills: 2 FARGATE tasks 20 -> 1800 s; 5 Spot tasks 20 -> 300 s and 5 from 320 -> 1800 s.
    const double expected = 2 * 1780 / 3600.0 * 0.0123425 + 5 * (280 + 1480) / 3600.0 * 0.00370275;
    CHECK(run->world().cost().ledger().total(cloud::LineItem::Fargate) ==
          Approx(expected).epsilon(1e-9));
}

TEST_CASE("Fargate Spot: a task still draining stops when its two minutes end", "[ecs]") {
    // Requests of 60 s keep every task busy, so a deregistering target still holds requests
    // when its deregistration delay would let it go. The warning at 300 s deregisters the five
    // FARGATE_SPOT tasks; Fargate Spot reclaims their capacity at 300 + 120 = 420 s (AWS: a
    // deregistration delay above 120 s is cut short). With a 60 s delay they stop at 360 s.
    auto stopped_at = [](int delay) {
        std::string t = spot_scenario(
            "[[fault]]\ntype = \"spot_interruption\"\ntarget = \"api\"\n"
            "at = \"300s\"\nfraction = 1\n");
        t = with(t, "deregistration_delay = 0", "deregistration_delay = " + std::to_string(delay));
        t = with(t, "\nrate = 0", "\nrate = 2\nservice_time = \"60s\"\ntimeout = \"600s\"");
        auto run = run_scenario(t);
        const auto& service = *run->world().ecs_services()[0];
        REQUIRE(run->world().spec().target_group[0].deregistration_delay == delay);
        REQUIRE(service.counts().spot_interruptions == 5);
        std::vector<double> out;
        for (const auto& task : service.tasks()) {
            if (!task.spot_interrupted) continue;
            const auto events = task_events(*run, task.id);
            INFO(task.id);
            CHECK(time_of(events, "DEACTIVATING") == 300);
            CHECK(events.back().reason == "Your Spot Task was interrupted.");
            out.push_back(time_of(events, "STOPPED"));
        }
        return out;
    };
    CHECK(stopped_at(300) == std::vector<double>(5, 420));
    CHECK(stopped_at(60) == std::vector<double>(5, 360));
}

TEST_CASE("Fargate Spot: a lower desired count keeps the strategy's split", "[ecs]") {
    auto run = run_scenario(spot_scenario(""));
    auto& service = *run->world().ecs_services()[0];
    REQUIRE(active_providers(service) == std::array<int, 2>{2, 5});
    // 3 tasks: base 1 FARGATE, then 2 at 1:3 -> both FARGATE_SPOT.
    service.set_desired_count(3, "test");
    CHECK(active_providers(service) == std::array<int, 2>{1, 2});
}

TEST_CASE("capacity_provider_strategy: what ECS refuses, at its key", "[ecs]") {
    const std::string two =
        "capacity_provider_strategy = [{ capacity_provider = \"FARGATE\", "
        "weight = 1, base = 1 }, { capacity_provider = \"FARGATE_SPOT\", "
        "weight = 3 }]\n";
    SECTION("with launch_type") {
        const auto ds = errors_of(
            with(kFargate, "launch_type = \"FARGATE\"\n", "launch_type = \"FARGATE\"\n" + two));
        const Diagnostic d = about(ds, "ecs_service[api].launch_type");
        CHECK(d.pos.line == line_of("launch_type = \"FARGATE\""));
        CHECK(contains(d.message, "not both"));
    }
    SECTION("a base on two providers") {
        std::string s = with(two, "weight = 3 }", "weight = 3, base = 2 }");
        const auto ds = errors_of(with(kFargate, "launch_type = \"FARGATE\"\n", s));
        CHECK(contains(about(ds, "ecs_service[api].capacity_provider_strategy[1].base").message,
                       "only one capacity provider"));
    }
    SECTION("no weight") {
        std::string s = with(with(two, "weight = 3", "weight = 0"), "weight = 1", "weight = 0");
        const auto ds = errors_of(with(kFargate, "launch_type = \"FARGATE\"\n", s));
        CHECK(contains(about(ds, "ecs_service[api].capacity_provider_strategy").message,
                       "weight > 0"));
    }
    SECTION("a provider twice, an unknown one") {
        std::string s = with(two, "\"FARGATE_SPOT\"", "\"FARGATE\"");
        CHECK(contains(about(errors_of(with(kFargate, "launch_type = \"FARGATE\"\n", s)),
                             "ecs_service[api].capacity_provider_strategy[1].capacity_provider")
                           .message,
                       "listed twice"));
        s = with(two, "\"FARGATE_SPOT\"", "\"FARGATE_SPOTS\"");
        const Diagnostic d =
            about(errors_of(with(kFargate, "launch_type = \"FARGATE\"\n", s)),
                  "ecs_service[api].capacity_provider_strategy[1].capacity_provider");
        CHECK(d.pos.line == line_of("launch_type = \"FARGATE\""));
    }
    SECTION("a spot_interruption of an ECS service has no duration to choose") {
        const auto ds = errors_of(spot_scenario(
            "[[fault]]\ntype = \"spot_interruption\"\ntarget = \"api\"\nat = \"300s\"\n"
            "duration = \"5m\"\n"));
        CHECK(contains(about(ds, "fault[0].duration").message, "always two minutes"));
    }
    SECTION("it loads, and explains back") {
        const Spec spec =
            load_text(with(kFargate, "launch_type = \"FARGATE\"\n", two), "ecs.toml", {}, ".");
        REQUIRE(spec.ecs_service[0].capacity_provider_strategy.size() == 2);
        CHECK(spec.ecs_service[0].capacity_provider_strategy[0].base == 1);
        CHECK(unsupported_features(spec).empty());
        const std::string once = explain(spec);
        CHECK(explain(load_text(once, "explained.toml", {}, ".")) == once);
    }
}

TEST_CASE("target_groups.<tg>.requests counts the requests the Fargate tasks took", "[ecs]") {
    // The scheduler's scenario (tasks healthy from 55 s at the latest, as the start-up test
    // shows) with clients from 2 minutes on: every request is sent to a healthy task. 2
    // requests/s are well below the two quarter-vCPU tasks' capacity, so none is refused.
    const std::string text = with(scheduler_scenario("10s", 150), "rate = 0",
                                  R"(rate = { shape = "steps", steps = [["0s", 0], ["2m", 2]] })");
    auto run = run_scenario(text);
    const auto summary = report::make_summary(*run);
    const auto& service = *run->world().ecs_services().at(0);
    REQUIRE(service.tasks().size() == 2);  // none replaced
    REQUIRE(service.count(TaskStatus::Running) == 2);
    const auto& fleet = run->world().fleet();
    const std::uint64_t first = fleet[service.tasks()[0].instance].accepted();
    const std::uint64_t second = fleet[service.tasks()[1].instance].accepted();
    const std::uint64_t total = summary["requests"]["total"].get<std::uint64_t>();
    REQUIRE(summary["requests"]["errors"]["total"] == 0);
    // By hand: every request arrived reached a task, so the target group took them all; about
    // 2/s for 28 minutes, 3,360 (Poisson: within 4 standard deviations, 4 x 58).
    CHECK(summary["target_groups"]["api-tg"]["requests"].get<std::uint64_t>() == total);
    CHECK(first + second == total);
    CHECK(total > 3360 - 232);
    CHECK(total < 3360 + 232);
    // Round robin over the two tasks: half each, to within a request per load balancer node.
    CHECK(first + 2 >= second);
    CHECK(second + 2 >= first);
}

namespace {

// Blue/green through a temporary port (lab 31): a second service ("green") in its own target
// group behind a listener on 999, which only the team's checks use; at 10 minutes an action
// points the port-80 listener at green-tg, at 15 minutes another scales the blue service to 0.
std::string blue_green_scenario() {
    std::string t = scheduler_scenario("10s", 150);
    t = with(t, "[[ecs_cluster]]", R"([[target_group]]
name = "green-tg"
port = 80
target_type = "ip"
deregistration_delay = 0
health_check = { interval = 10, timeout = 5, healthy_threshold = 2, unhealthy_threshold = 2 }
[[lb_listener]]
load_balancer = "alb"
port = 999
target_group = "green-tg"
[[ecs_cluster]])");
    t = with(t, "[[workload]]", R"([[ecs_service]]
name = "green"
cluster = "shop"
task_definition = "api"
desired_count = 2
launch_type = "FARGATE"
network_configuration = { subnets = ["public-a", "public-b"], assign_public_ip = true }
load_balancer = [{ target_group_arn = "green-tg", container_name = "api", container_port = 8080 }]
[[workload]]
name = "qa"
load_balancer = "alb"
listener_port = 999
client_cidr = "203.0.113.0/24"
rate = { shape = "steps", steps = [["0s", 0], ["2m", 1], ["8m", 0]] }
[[workload]])");
    t = with(t, "rate = 0", R"(rate = { shape = "steps", steps = [["0s", 0], ["2m", 2]] })");
    return t + R"([[action]]
at = "10m"
set = { "lb_listener.0.target_group" = "green-tg" }
[[action]]
at = "15m"
set = { "ecs_service.api.desired_count" = 0 }
)";
}

}  // namespace

TEST_CASE(
    "blue/green on Fargate: a workload on a second listener, the swap, the old service "
    "scaled to 0",
    "[ecs]") {
    auto run = run_scenario(blue_green_scenario());
    const auto summary = report::make_summary(*run);
    REQUIRE(summary["requests"]["errors"]["total"] == 0);
    // By hand (Poisson, within 4 standard deviations): api-tg takes the clients' 2/s from 2 to
    // 10 minutes, 960 (sd 31); green-tg the checks' 1/s from 2 to 8 minutes, 360, then the
    // clients' 2/s for the last 20 minutes, 2,400: 2,760 (sd 53).
    const auto api = summary["target_groups"]["api-tg"]["requests"].get<double>();
    const auto green = summary["target_groups"]["green-tg"]["requests"].get<double>();
    CHECK(std::abs(api - 960) < 4 * 31);
    CHECK(std::abs(green - 2760) < 4 * 53);
    CHECK(api + green == summary["requests"]["total"].get<double>());
    // UpdateService at 900 s: the event, and blue's two tasks stop then (no request is in
    // flight on a target group no listener forwards to: deregistration ends at once).
    CHECK(testing::times_of(*run, "ecs_service_desired_count_changed") == std::vector<double>{900});
    const auto& blue = *run->world().ecs_services().at(0);
    REQUIRE(blue.name() == "api");
    CHECK(blue.count(TaskStatus::Running) == 0);
    REQUIRE(blue.tasks().size() == 2);
    for (const auto& task : blue.tasks()) {
        const double stopped = time_of(task_events(*run, task.id), "STOPPED");
        CHECK(stopped >= 900);
        CHECK(stopped <= 901);
    }
    CHECK(run->world().ecs_services().at(1)->count(TaskStatus::Running) == 2);
}

TEST_CASE(
    "blue/green on Fargate: the checks from outside the office time out at the load "
    "balancer",
    "[ecs]") {
    // 999 allows only the office's block; the checks come from a home address.
    std::string t = with(blue_green_scenario(), "[[load_balancer]]", R"([[security_group]]
name = "alb-sg"
ingress = [{ port = 80, cidr_blocks = ["0.0.0.0/0"] }, { port = 999, cidr_blocks = ["203.0.113.0/24"] }]
[[load_balancer]])");
    t = with(
        t, "subnets = [\"public-a\", \"public-b\"]\n[[target_group]]",
        "subnets = [\"public-a\", \"public-b\"]\nsecurity_groups = [\"alb-sg\"]\n[[target_group]]");
    const auto office = report::make_summary(*run_scenario(t));
    CHECK(office["requests"]["errors"]["total"] == 0);
    const auto home = report::make_summary(
        *run_scenario(with(t, "203.0.113.0/24\"\nrate", "198.51.100.23/32\"\nrate")));
    // Only the checks' 360 requests (sd 19) fail, at the clients' 30 s timeout; the shoppers
    // on 80 are served as before.
    const auto timeouts = home["requests"]["errors"]["connect_timeout"].get<double>();
    CHECK(std::abs(timeouts - 360) < 4 * 19);
    CHECK(home["requests"]["errors"]["total"].get<double>() == timeouts);
    CHECK(home["target_groups"]["api-tg"]["requests"] ==
          office["target_groups"]["api-tg"]["requests"]);
}

TEST_CASE("listener_port, client_cidr and an ECS desired count by action: refused where wrong",
          "[ecs]") {
    const std::string t = blue_green_scenario();
    const Diagnostic port = about(errors_of(with(t, "listener_port = 999", "listener_port = 998")),
                                  "workload[qa].listener_port");
    CHECK(contains(port.message,
                   "load balancer `alb` has no listener on port 998; its "
                   "listeners: 80, 999"));
    const Diagnostic block =
        about(errors_of(with(t, "203.0.113.0/24", "203.0.113.0/33")), "workload[qa].client_cidr");
    CHECK(contains(block.message, "expected a CIDR block"));
    const Diagnostic count = about(errors_of(with(t, "\"ecs_service.api.desired_count\" = 0",
                                                  "\"ecs_service.api.desired_count\" = -1")),
                                   "action[1].set.ecs_service.api.desired_count");
    CHECK(contains(count.message, "expected an integer"));
}

// ---- The EC2 launch type (sim/cloud/ecs_capacity.*) -------------------------------------------

namespace {

// Three m5.large container instances (2 vCPU = 2048 CPU units, 8 GiB = 8192 MiB each), one
// per AZ, booting in 35 s; a bridge-mode service of tasks of 1024 CPU units and 2048 MiB
// whose container's port 8080 gets a dynamic host port; target_type instance.
const std::string kEc2 = R"([simulation]
duration = "10m"
[region]
name = "us-east-1"
availability_zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
[[launch_template]]
name = "ecs-node"
instance_type = "m5.large"
boot_time = "35s"
[[autoscaling_group]]
name = "ecs-nodes"
launch_template = "ecs-node"
min_size = 3
max_size = 6
desired_capacity = 3
availability_zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
[[load_balancer]]
name = "alb"
availability_zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
[[target_group]]
name = "api-tg"
port = 80
target_type = "instance"
deregistration_delay = 0
health_check = { interval = 10, timeout = 5, healthy_threshold = 2, unhealthy_threshold = 2 }
[[lb_listener]]
load_balancer = "alb"
port = 80
target_group = "api-tg"
[[ecs_cluster]]
name = "shop"
[[ecs_capacity_provider]]
name = "nodes"
auto_scaling_group_provider = { auto_scaling_group_arn = "ecs-nodes" }
[[ecs_cluster_capacity_providers]]
cluster_name = "shop"
capacity_providers = ["nodes"]
[[ecs_task_definition]]
family = "api"
cpu = 1024
memory = 2048
requires_compatibilities = ["EC2"]
network_mode = "bridge"
container_definitions = '[{"name": "api", "image": "api:1", "portMappings": [{"containerPort": 8080, "hostPort": 0}]}]'
[[ecs_service]]
name = "api"
cluster = "shop"
task_definition = "api"
desired_count = 7
launch_type = "EC2"
load_balancer = [{ target_group_arn = "api-tg", container_name = "api", container_port = 8080 }]
[[workload]]
name = "clients"
load_balancer = "alb"
rate = 0
)";

// The container instance of each task state change, by task: the last one named.
std::string host_of(const report::Run& run, const std::string& task) {
    std::string host;
    for (const auto& e : testing::json_events(run))
        if (e.type == "ecs_task_state_change" && e.subjects["task"] == task &&
            e.subjects.contains("container_instance"))
            host = e.subjects["container_instance"].get<std::string>();
    return host;
}

}  // namespace

namespace {

// kEc2 with 3 tasks (one per instance: spread over the AZs), min_size 2, and `extra` added.
std::string drain_scenario(const std::string& extra) {
    std::string t = with(kEc2, "desired_count = 7", "desired_count = 3");
    t = with(t, "min_size = 3", "min_size = 2");
    return t + extra;
}

// The container instance a task ran on, and the times of its instance's DRAINING and
// termination events.
double event_time(const report::Run& run, const std::string& type, const std::string& key,
                  const std::string& value) {
    const auto t = testing::times_of(run, type, key, value);
    return t.empty() ? -1 : t[0];
}

}  // namespace

TEST_CASE("EC2 launch type: a DRAINING container instance's tasks are replaced first",
          "[ecs][ec2][draining]") {
    SECTION("UpdateContainerInstancesState: replacement first at 100 % / 200 %") {
        auto run = run_scenario(drain_scenario(
            "[[action]]\nat = \"300s\"\nset = { \"ecs_cluster.shop.drain_container_instance\" = "
            "\"i-0001\" }\n"));
        const auto& service = *run->world().ecs_services()[0];
        REQUIRE(host_of(*run, "api-task-1") == "i-0001");
        CHECK(event_time(*run, "ecs_container_instance_state_change", "container_instance",
                         "i-0001") == 300);
        // The replacement is started at 300 s on another instance (bridge: PENDING at once,
        // RUNNING at once from the instance's image cache); api-task-1 stops only once it is
        // healthy: its target passes two checks 10 s apart, in (310, 320] s, and the next
        // poll (a multiple of 10 s) stops api-task-1.
        REQUIRE(service.tasks().size() == 4);
        const auto& replacement = service.tasks()[3];
        CHECK(replacement.created_at == 300 * kSecond);
        CHECK(host_of(*run, replacement.id) != "i-0001");
        const auto r = task_events(*run, replacement.id);
        CHECK(time_of(r, "RUNNING") == 300);  // the instance holds the image: no pull
        const auto old = task_events(*run, "api-task-1");
        const double deactivating = time_of(old, "DEACTIVATING");
        CHECK(deactivating > 310);
        CHECK(deactivating <= 330);
        CHECK(old.back().reason == "Container instance i-0001 is DRAINING");
        for (int n : running_after(*run, 300))
            CHECK(n >= 3);
        // Nothing is placed on it again: it stays in the cluster, DRAINING, with no task.
        const auto& ci = run->world().ecs_capacity()[0]->instances();
        REQUIRE(ci.size() == 3);
        CHECK(ci[0].draining);
        CHECK(ci[0].tasks == 0);
        CHECK(std::string(cloud::container_instance_status(ci[0])) == "DRAINING");
        CHECK(std::string(cloud::container_instance_status(ci[1])) == "ACTIVE");
        CHECK(service.count(TaskStatus::Running) == 3);
    }
    SECTION("minimum 0 %: the task stops first, its replacement starts with it") {
        auto zero = run_scenario(with(drain_scenario("[[action]]\nat = \"300s\"\nset = { "
                                                     "\"ecs_cluster.shop.drain_container_"
                                                     "instance\" = \"i-0001\" }\n"),
                                      "launch_type = \"EC2\"",
                                      "launch_type = \"EC2\"\ndeployment_minimum_healthy_percent "
                                      "= 0"));
        const auto old = task_events(*zero, "api-task-1");
        CHECK(time_of(old, "DEACTIVATING") == 300);
        CHECK(to_seconds(zero->world().ecs_services()[0]->tasks()[3].created_at) == 300);
    }
    SECTION("managed draining: a scale-in holds the instance until its task is replaced") {
        auto run = run_scenario(
            with(drain_scenario("[[action]]\nat = \"300s\"\nset = { "
                                "\"autoscaling_group.ecs-nodes.desired_capacity\" = 2 }\n"),
                 "auto_scaling_group_arn = \"ecs-nodes\" }",
                 "auto_scaling_group_arn = \"ecs-nodes\", managed_draining = \"ENABLED\" }"));
        const auto& service = *run->world().ecs_services()[0];
        // The group picks one instance; ECS sets it DRAINING at once and holds it.
        std::string drained;
        for (const auto& e : testing::json_events(*run))
            if (e.type == "ecs_container_instance_state_change")
                drained = e.subjects["container_instance"].get<std::string>();
        REQUIRE(!drained.empty());
        CHECK(event_time(*run, "ecs_container_instance_state_change", "container_instance",
                         drained) == 300);
        std::string task;
        for (int i = 1; i <= 3; ++i)
            if (host_of(*run, fmt::format("api-task-{}", i)) == drained)
                task = fmt::format("api-task-{}", i);
        REQUIRE(!task.empty());
        const auto old = task_events(*run, task);
        const double stopped = time_of(old, "STOPPED");
        CHECK(stopped > 310);
        CHECK(stopped <= 330);
        // Terminated only once that task is gone; 3 tasks RUNNING throughout.
        const double terminated = event_time(*run, "instance_terminated", "instance", drained);
        CHECK(terminated >= stopped);
        CHECK(terminated <= stopped + 1);
        for (int n : running_after(*run, 300))
            CHECK(n >= 3);
        CHECK(service.count(TaskStatus::Running) == 3);
    }
    SECTION("managed_draining DISABLED: the tasks stop with it") {
        auto run = run_scenario(
            with(drain_scenario("[[action]]\nat = \"300s\"\nset = { "
                                "\"autoscaling_group.ecs-nodes.desired_capacity\" = 2 }\n"),
                 "auto_scaling_group_arn = \"ecs-nodes\" }",
                 "auto_scaling_group_arn = \"ecs-nodes\", managed_draining = \"DISABLED\" }"));
        CHECK(testing::times_of(*run, "ecs_container_instance_state_change").empty());
        const auto counts = running_after(*run, 300);
        CHECK(*std::min_element(counts.begin(), counts.end()) == 2);
    }
}

TEST_CASE("EC2 launch type: the capacity provider sections load as Terraform writes them",
          "[ecs][ec2]") {
    std::string t = with(kEc2, "auto_scaling_group_arn = \"ecs-nodes\" }",
                         "auto_scaling_group_arn = \"ecs-nodes\", managed_scaling = { status = "
                         "\"ENABLED\", target_capacity = 90, maximum_scaling_step_size = 2 } }");
    t = with(t, "\"hostPort\": 0}]", "\"hostPort\": 0}], \"cpu\": 256, \"memoryReservation\": 300");
    const Spec spec = load_text(t, "ecs.toml", {}, ".");
    REQUIRE(spec.ecs_capacity_provider.size() == 1);
    const auto& p = spec.ecs_capacity_provider[0];
    CHECK(p.auto_scaling_group == "ecs-nodes");
    CHECK(p.managed_scaling.status == ManagedScalingStatus::Enabled);
    CHECK(p.managed_scaling.target_capacity == 90);
    CHECK(p.managed_scaling.minimum_scaling_step_size == 1);  // ECS's defaults
    CHECK(p.managed_scaling.maximum_scaling_step_size == 2);
    CHECK(p.managed_scaling.instance_warmup_period == 300);
    CHECK(p.managed_termination_protection == ManagedTerminationProtection::Disabled);
    // Not written: ENABLED, as AWS creates a capacity provider ("managed instance draining is
    // on by default when you create a capacity provider").
    CHECK(p.managed_draining == ManagedDraining::Enabled);
    REQUIRE(spec.ecs_cluster_capacity_providers.size() == 1);
    CHECK(spec.ecs_cluster_capacity_providers[0].capacity_providers ==
          std::vector<std::string>{"nodes"});
    const auto& c = spec.ecs_task_definition[0].containers.at(0);
    CHECK(c.cpu == 256);
    CHECK(c.memory_reservation == 300);
    CHECK(c.port_mappings.at(0).host_port == 0);  // hostPort 0: dynamic
    CHECK(runs_on_ec2(spec, spec.ecs_service[0]));
    // The task-level size wins over the containers'; without it, their sum.
    CHECK(cloud::EcsService::reservation_of(spec.ecs_task_definition[0]).cpu == 1024);
    auto td = spec.ecs_task_definition[0];
    td.cpu = 0;
    td.memory = 0;
    const auto r = cloud::EcsService::reservation_of(td);
    CHECK(r.cpu == 256);
    CHECK(r.memory == 300);
    CHECK(r.dynamic_ports == 1);
    CHECK(r.host_ports.empty());
    // The ECS Developer Guide's memory example: a container with memory 1024 and
    // memoryReservation 512 and one with memory 512 reserve 512 + 512 = 1024 MiB (the soft
    // limit is what the instance gives up when given; the hard limit otherwise).
    td.containers.resize(2);
    td.containers[0].memory = 1024;
    td.containers[0].memory_reservation = 512;
    td.containers[1].memory = 512;
    td.containers[1].memory_reservation = 0;
    td.containers[1].cpu = 0;
    td.containers[1].port_mappings.clear();
    CHECK(cloud::EcsService::reservation_of(td).memory == 1024);
    // explain writes what loads back to the same scenario.
    const std::string once = explain(spec);
    CHECK(contains(once, "[[ecs_capacity_provider]]"));
    CHECK(contains(once, "[[ecs_cluster_capacity_providers]]"));
    CHECK(explain(load_text(once, "explained.toml", {}, ".")) == once);
}

TEST_CASE("EC2 launch type: tasks fill the container instances, spread by AZ", "[ecs][ec2]") {
    auto run = run_scenario(kEc2);
    const auto& world = run->world();
    REQUIRE(world.ecs_services().size() == 1);
    REQUIRE(world.ecs_capacity().size() == 1);
    const auto& service = *world.ecs_services()[0];
    REQUIRE(service.on_ec2());
    REQUIRE(service.tasks().size() == 7);
    // Each m5.large offers 2048 CPU units: two tasks of 1024 each (their 2 x 2048 MiB fit in
    // 8192). Three instances hold six tasks; the seventh fits nowhere and waits.
    const auto& hosts = run->world().ecs_capacity()[0]->providers();
    REQUIRE(hosts.size() == 1);
    int placed = 0;
    std::map<std::string, int> per_host;
    std::map<int, int> per_zone;
    for (const auto& t : service.tasks()) {
        if (t.host < 0) continue;
        ++placed;
        ++per_host[host_of(*run, t.id)];
        ++per_zone[t.availability_zone];
    }
    CHECK(placed == 6);
    CHECK(per_host == std::map<std::string, int>{{"i-0001", 2}, {"i-0002", 2}, {"i-0003", 2}});
    // Spread over AZs first: two per AZ, the first three tasks in a, b and c.
    CHECK(per_zone == std::map<int, int>{{0, 2}, {1, 2}, {2, 2}});
    CHECK(service.tasks()[0].availability_zone == 0);
    CHECK(service.tasks()[1].availability_zone == 1);
    CHECK(service.tasks()[2].availability_zone == 2);
    CHECK(service.tasks()[6].host == -1);
    CHECK(service.tasks()[6].status == TaskStatus::Provisioning);
    CHECK(service.count(TaskStatus::Running) == 6);
    // ECS's service event: at the start, before any instance registered, then with the
    // closest-matching instance's reason once they have (the poll at 40 s); the same text is
    // not repeated within 6 hours (the Developer Guide, "Service event messages").
    const auto unable = testing::times_of(*run, "ecs_service_event");
    REQUIRE(unable.size() == 2);
    CHECK(unable[0] == 0);
    CHECK(unable[1] == 40);
    // Bridge mode, no provisioning step: PENDING when placed at 40 s, RUNNING after the
    // 15 s image pull.
    const auto events = task_events(*run, "api-task-1");
    CHECK(time_of(events, "PENDING") == 40);
    CHECK(time_of(events, "RUNNING") == 55);
}

TEST_CASE("EC2 launch type: dynamic host ports, registered as instance:port targets",
          "[ecs][ec2]") {
    auto run = run_scenario(kEc2);
    const auto& service = *run->world().ecs_services()[0];
    REQUIRE(service.tasks().size() == 7);
    // The two tasks of each instance get the first two ports of the ephemeral range.
    std::map<std::string, std::vector<int>> ports;
    for (const auto& t : service.tasks()) {
        if (t.host < 0) continue;
        REQUIRE(t.host_ports.size() == 1);
        ports[host_of(*run, t.id)].push_back(t.host_ports[0]);
    }
    REQUIRE(ports.size() == 3);
    for (const auto& [host, p] : ports) {
        INFO(host);
        CHECK(p == std::vector<int>{32768, 32769});
    }
    // The targets are instance:port; both of i-0001's are healthy (the app answers 10 s after
    // RUNNING at 55 s: two passing checks within 20 s more).
    for (const std::string target : {"i-0001:32768", "i-0001:32769"}) {
        INFO(target);
        CHECK(testing::times_of(*run, "target_registered", "instance", target).size() == 1);
        const auto healthy = testing::times_of(*run, "target_health_changed", "instance", target);
        REQUIRE(healthy.size() == 1);
        CHECK(healthy[0] > 65);
        CHECK(healthy[0] <= 85);
    }
}

TEST_CASE("EC2 launch type: fixed host ports conflict, a task too big fits nowhere", "[ecs][ec2]") {
    SECTION("hostPort 80 in bridge mode: one task per instance") {
        std::string t = with(kEc2, "\"hostPort\": 0", "\"hostPort\": 80");
        t = with(t, "desired_count = 7", "desired_count = 4");
        auto run = run_scenario(t);
        const auto& service = *run->world().ecs_services()[0];
        REQUIRE(service.tasks().size() == 4);
        // CPU would take two per instance; the port takes one: three placed, one waiting.
        CHECK(service.count(TaskStatus::Running) == 3);
        CHECK(service.tasks()[3].host == -1);
        for (int i = 0; i < 3; ++i)
            CHECK(service.tasks()[static_cast<std::size_t>(i)].host_ports == std::vector<int>{80});
        CHECK(testing::times_of(*run, "target_registered", "instance", "i-0002:80").size() == 1);
    }
    SECTION("host mode: the container port itself is the host port") {
        std::string t = with(kEc2, "network_mode = \"bridge\"", "network_mode = \"host\"");
        t = with(t, ", \"hostPort\": 0", "");
        t = with(t, "desired_count = 7", "desired_count = 3");
        auto run = run_scenario(t);
        const auto& service = *run->world().ecs_services()[0];
        CHECK(service.count(TaskStatus::Running) == 3);
        CHECK(testing::times_of(*run, "target_registered", "instance", "i-0003:8080").size() == 1);
    }
    SECTION("a task of 4096 CPU units is bigger than any m5.large") {
        std::string t = with(kEc2, "cpu = 1024", "cpu = 4096");
        t = with(t, "desired_count = 7", "desired_count = 1");
        auto run = run_scenario(t);
        const auto& service = *run->world().ecs_services()[0];
        REQUIRE(service.tasks().size() == 1);
        CHECK(service.tasks()[0].status == TaskStatus::Provisioning);
        CHECK(service.tasks()[0].host == -1);
        // No instance at 0 s, then the closest-matching one's reason at 40 s.
        CHECK(testing::times_of(*run, "ecs_service_event") == std::vector<double>{0, 40});
    }
}

TEST_CASE("EC2 launch type: a rolling update waits for room, with ECS's service event",
          "[ecs][ec2]") {
    // kEc2 with 4 tasks (2 per m5.large of 2048 CPU units: 6 places, 4 taken) and api:2 deployed
    // at 200 s, at the default 100/200 %: minimum 4 healthy, maximum 8. The 4 new tasks start
    // at 200 s: the 2 free places take 2, the other 2 wait in PROVISIONING (no managed
    // scaling) and the service logs ECS's "unable to place a task" event. No old task stops
    // before a new one is healthy (4 + 2 healthy: 2 old may stop); the places they leave take
    // the 2 waiting tasks, and once those are healthy the last 2 old stop: COMPLETED.
    std::string t = with(kEc2, "desired_count = 7", "desired_count = 4");
    t = with(t, "[[ecs_service]]",
             "[[ecs_task_definition]]\nfamily = \"api-v2\"\ncpu = 1024\nmemory = 2048\n"
             "requires_compatibilities = [\"EC2\"]\nnetwork_mode = \"bridge\"\n"
             "container_definitions = '[{\"name\": \"api\", \"image\": \"api:2\", "
             "\"portMappings\": [{\"containerPort\": 8080, \"hostPort\": 0}]}]'\n"
             "[[ecs_service]]");
    t += "[[action]]\nat = \"200s\"\nset = { \"ecs_service.api.task_definition\" = \"api-v2\" }\n";
    auto run = run_scenario(t);
    const auto& service = *run->world().ecs_services()[0];
    REQUIRE(service.tasks().size() == 8);
    // Preconditions: the 4 first tasks placed and RUNNING before the update.
    for (std::size_t i = 0; i < 4; ++i) {
        REQUIRE(service.tasks()[i].deployment == 0);
        REQUIRE(service.tasks()[i].started_at < 200 * kSecond);
    }
    // The event at 200 s, with the closest matching instance's reason.
    bool unable = false;
    for (const auto& e : testing::json_events(*run))
        if (e.type == "ecs_service_event" && to_seconds(e.t) == 200) {
            const std::string m = e.subjects["message"].get<std::string>();
            unable = m.find("was unable to place a task") != std::string::npos &&
                     m.find("has insufficient CPU units available") != std::string::npos;
        }
    CHECK(unable);
    // Tasks 5 and 6 placed at 200 s; 7 and 8 only once old tasks stopped.
    double first_old_stop = 1e9, last_old_stop = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        const auto& old = service.tasks()[i];
        CHECK(old.status == TaskStatus::Stopped);
        CHECK(old.stopped_reason == "Scaling activity initiated by (deployment ecs-svc/2)");
        first_old_stop = std::min(first_old_stop, to_seconds(old.stopped_at));
        last_old_stop = std::max(last_old_stop, to_seconds(old.stopped_at));
    }
    for (std::size_t i = 4; i < 8; ++i) {
        const auto& task = service.tasks()[i];
        INFO(task.id);
        CHECK(task.deployment == 1);
        CHECK(task.status == TaskStatus::Running);
        double pending = -1;  // placed: PENDING
        for (const auto& e : testing::json_events(*run))
            if (pending < 0 && e.type == "ecs_task_state_change" && e.subjects["task"] == task.id &&
                e.subjects["last_status"] == "PENDING")
                pending = to_seconds(e.t);
        if (i < 6)
            CHECK(pending == 200);
        else
            CHECK(pending >= first_old_stop);
    }
    // The minimum held: every step left at least 4 healthy tasks.
    int steps = 0;
    for (const auto& e : testing::json_events(*run))
        if (e.type == "ecs_deployment_step") {
            ++steps;
            CHECK(e.subjects["healthy"].get<int>() >= 4);
            CHECK(e.subjects["tasks"].get<int>() <= 8);
        }
    CHECK(steps >= 3);  // the starts at 200 s, and two rounds of 2 old tasks stopping
    CHECK(first_old_stop > 200);
    CHECK(last_old_stop > first_old_stop);
    CHECK(service.primary().rollout_state == cloud::RolloutState::Completed);
    CHECK(service.count(TaskStatus::Running) == 4);
}

TEST_CASE("EC2 launch type: placement strategies as Terraform writes them", "[ecs][ec2]") {
    SECTION("binpack on memory alone fills the first instance first") {
        std::string t = with(kEc2, "desired_count = 7",
                             "desired_count = 2\nordered_placement_strategy = [{ type = "
                             "\"binpack\", field = \"memory\" }]");
        auto run = run_scenario(t);
        const auto& service = *run->world().ecs_services()[0];
        REQUIRE(service.count(TaskStatus::Running) == 2);
        // Equal room everywhere for the first: the instance launched first; the second goes
        // where the least memory is left, the same instance.
        CHECK(host_of(*run, "api-task-1") == "i-0001");
        CHECK(host_of(*run, "api-task-2") == "i-0001");
    }
    SECTION("spread over instanceId: one per instance") {
        std::string t = with(kEc2, "desired_count = 7",
                             "desired_count = 3\nordered_placement_strategy = [{ type = "
                             "\"spread\", field = \"instanceId\" }]");
        auto run = run_scenario(t);
        CHECK(host_of(*run, "api-task-1") == "i-0001");
        CHECK(host_of(*run, "api-task-2") == "i-0002");
        CHECK(host_of(*run, "api-task-3") == "i-0003");
    }
}

TEST_CASE("EC2 launch type: the tasks of a lost instance stop and are replaced", "[ecs][ec2]") {
    // Six tasks fill the three instances; one instance fails at 5 min. The group replaces it
    // (its EC2 health check), and the two tasks follow onto the new instance.
    std::string t = with(kEc2, "desired_count = 7", "desired_count = 6");
    t += "[[fault]]\ntype = \"instance_failure\"\ntarget = \"ecs-nodes\"\nat = \"5m\"\n";
    auto run = run_scenario(t);
    const auto& service = *run->world().ecs_services()[0];
    std::string failed;
    for (const auto& e : testing::json_events(*run))
        if (e.type == "instance_failure") failed = e.subjects["instance"].get<std::string>();
    REQUIRE(!failed.empty());
    int stopped = 0;
    for (const auto& task : service.tasks()) {
        if (task.status != TaskStatus::Stopped) continue;
        ++stopped;
        CHECK(task.stopped_reason == "Host EC2 (instance " + failed + ") stopped/terminated.");
        CHECK(task.stopped_at == 300 * kSecond);
    }
    CHECK(stopped == 2);
    REQUIRE(service.tasks().size() == 8);
    // The replacements wait for room: the other instances are full.
    CHECK(service.tasks()[6].created_at == 300 * kSecond);
    CHECK(service.tasks()[7].created_at == 300 * kSecond);
    CHECK(host_of(*run, service.tasks()[6].id) == "i-0004");
    CHECK(host_of(*run, service.tasks()[7].id) == "i-0004");
    CHECK(service.count(TaskStatus::Running) == 6);
}

TEST_CASE("EC2 launch type: managed scaling grows the group for the waiting task", "[ecs][ec2]") {
    std::string t = with(kEc2, "auto_scaling_group_arn = \"ecs-nodes\" }",
                         "auto_scaling_group_arn = \"ecs-nodes\", managed_scaling = { status = "
                         "\"ENABLED\", target_capacity = 100 } }");
    t = with(t, "launch_type = \"EC2\"",
             "capacity_provider_strategy = [{ capacity_provider = \"nodes\", weight = 1 }]");
    auto run = run_scenario(t);
    const auto& world = run->world();
    const auto& service = *world.ecs_services()[0];
    // At 60 s: N = 3 instances, one task waiting needs one more: M = 4,
    // CapacityProviderReservation = 4 / 3 x 100 = 133 > 100: desired ceil(4 x 100 / 100) = 4.
    const auto changes = testing::desired_changes(*run);
    REQUIRE(!changes.empty());
    CHECK(changes[0] == std::pair<double, int>{60, 4});
    CHECK(changes.size() == 1);  // then M = N = 4: 100 %, no change
    // i-0004 boots by 95 s; the poll at 100 s places the task; RUNNING 15 s later.
    CHECK(host_of(*run, "api-task-7") == "i-0004");
    CHECK(time_of(task_events(*run, "api-task-7"), "RUNNING") == 115);
    CHECK(service.count(TaskStatus::Running) == 7);
    CHECK(world.ecs_capacity()[0]->providers()[0].reservation == Approx(100));
    SECTION("target_capacity 50: the group keeps twice the instances the tasks need") {
        auto half = run_scenario(with(t, "target_capacity = 100", "target_capacity = 50"));
        // At 60 s M = 4: desired ceil(4 x 100 / 50) = 8, clamped to max_size 6.
        const auto c = testing::desired_changes(*half);
        REQUIRE(!c.empty());
        CHECK(c[0] == std::pair<double, int>{60, 6});
    }
}

TEST_CASE("EC2 launch type: a strategy of two Auto Scaling group providers, base and weight",
          "[ecs][ec2]") {
    using cloud::split_by_items;
    auto item = [](const std::string& name, int weight, int base) {
        EcsCapacityProviderStrategySpec s;
        s.auto_scaling_group_provider = name;
        s.weight = weight;
        s.base = base;
        return s;
    };
    // The split of split_by_strategy, by item: base 1 on the first, then 1:3 for the rest.
    CHECK(split_by_items(7, {item("a", 1, 1), item("b", 3, 0)}) == std::vector<int>{2, 5});
    CHECK(split_by_items(5, {item("a", 1, 1), item("b", 3, 0)}) == std::vector<int>{2, 3});
    CHECK(split_by_items(3, {item("a", 1, 0), item("b", 1, 0), item("c", 1, 0)}) ==
          std::vector<int>{1, 1, 1});
    CHECK(split_by_items(4, {item("a", 0, 0), item("b", 2, 0)}) == std::vector<int>{0, 4});

    // kEc2 with a second group of m5.large (`ecs-nodes-b`, capacity provider `nodes-b`): five
    // tasks of 1024 CPU units / 2048 MiB (two per instance) under base 1 on `nodes`, then 1:3.
    auto scenario = [](int b_instances) {
        std::string t = with(kEc2, "[[load_balancer]]",
                             "[[autoscaling_group]]\nname = \"ecs-nodes-b\"\nlaunch_template = "
                             "\"ecs-node\"\nmin_size = " +
                                 std::to_string(b_instances) +
                                 "\nmax_size = 4\n"
                                 "availability_zones = [\"us-east-1a\", \"us-east-1b\"]\n"
                                 "[[load_balancer]]");
        t = with(t, "[[ecs_cluster_capacity_providers]]",
                 "[[ecs_capacity_provider]]\nname = \"nodes-b\"\nauto_scaling_group_provider = "
                 "{ auto_scaling_group_arn = \"ecs-nodes-b\" }\n"
                 "[[ecs_cluster_capacity_providers]]");
        t = with(t, "capacity_providers = [\"nodes\"]",
                 "capacity_providers = [\"nodes\", \"nodes-b\"]");
        t = with(t, "launch_type = \"EC2\"",
                 "capacity_provider_strategy = [{ capacity_provider = \"nodes\", weight = 1, base "
                 "= 1 }, { capacity_provider = \"nodes-b\", weight = 3 }]");
        return with(t, "desired_count = 7", "desired_count = 5");
    };
    auto per_provider = [](const report::Run& run, int& waiting) {
        auto& capacity = *run.world().ecs_capacity()[0];
        std::vector<int> placed(capacity.providers().size(), 0);
        waiting = 0;
        for (const auto& t : run.world().ecs_services()[0]->tasks()) {
            if (t.status == TaskStatus::Stopped) continue;
            if (t.host < 0) {
                CHECK(capacity.providers()[static_cast<std::size_t>(t.provider)].spec.name ==
                      "nodes-b");
                ++waiting;
                continue;
            }
            // Each task sits on an instance of the provider it was given.
            const int on = capacity.instances()[static_cast<std::size_t>(t.host)].provider;
            CHECK(on == t.provider);
            ++placed[static_cast<std::size_t>(on)];
        }
        return placed;
    };
    SECTION("room on both: 2 tasks on nodes' instances, 3 on nodes-b's") {
        const Spec spec = load_text(scenario(2), "ecs.toml", {}, ".");
        REQUIRE(unsupported_features(spec).empty());
        auto run = run_scenario(scenario(2));
        int waiting = 0;
        CHECK(per_provider(*run, waiting) == std::vector<int>{2, 3});
        CHECK(waiting == 0);
        CHECK(run->world().ecs_services()[0]->count(TaskStatus::Running) == 5);
    }
    SECTION("nodes-b has one instance: its third task waits, though nodes has room") {
        auto run = run_scenario(scenario(1));
        int waiting = 0;
        CHECK(per_provider(*run, waiting) == std::vector<int>{2, 2});
        CHECK(waiting == 1);
        CHECK(testing::times_of(*run, "ecs_service_event") == std::vector<double>{0, 40});
    }
}

TEST_CASE("EC2 launch type: an older revision's lost task is replaced in its own group",
          "[ecs][ec2]") {
    // Two Auto Scaling group providers, base 1 on nodes, then 1:3: 5 tasks, 2 on nodes' and 3
    // on nodes-b's instances. api-v2 (never healthy) is deployed at 200 s, so the old revision
    // keeps its 5 tasks (100 %); an instance of ecs-nodes-b fails at 300 s. November 2025: a
    // lost task of the running revision is replaced by a task of that revision, and by that
    // revision's split (the strategy, over the 5 tasks it keeps): its replacements go to
    // nodes-b, where the lost tasks were, whatever the new revision's tasks are doing.
    std::string t = with(kEc2, "[[load_balancer]]",
                         "[[autoscaling_group]]\nname = \"ecs-nodes-b\"\nlaunch_template = "
                         "\"ecs-node\"\nmin_size = 2\nmax_size = 4\n"
                         "availability_zones = [\"us-east-1a\", \"us-east-1b\"]\n"
                         "[[load_balancer]]");
    t = with(t, "[[ecs_cluster_capacity_providers]]",
             "[[ecs_capacity_provider]]\nname = \"nodes-b\"\nauto_scaling_group_provider = "
             "{ auto_scaling_group_arn = \"ecs-nodes-b\" }\n"
             "[[ecs_cluster_capacity_providers]]");
    t = with(t, "capacity_providers = [\"nodes\"]",
             "capacity_providers = [\"nodes\", \"nodes-b\"]");
    t = with(t, "launch_type = \"EC2\"",
             "capacity_provider_strategy = [{ capacity_provider = \"nodes\", weight = 1, base "
             "= 1 }, { capacity_provider = \"nodes-b\", weight = 3 }]");
    t = with(t, "desired_count = 7", "desired_count = 5");
    t = with(
        t, "[[ecs_service]]",
        "[[ecs_task_definition]]\nfamily = \"api-v2\"\ncpu = 1024\nmemory = 2048\n"
        "requires_compatibilities = [\"EC2\"]\nnetwork_mode = \"bridge\"\napp_healthy = false\n"
        "container_definitions = '[{\"name\": \"api\", \"image\": \"api:2\", "
        "\"portMappings\": [{\"containerPort\": 8080, \"hostPort\": 0}]}]'\n"
        "[[ecs_service]]");
    t += "[[action]]\nat = \"200s\"\nset = { \"ecs_service.api.task_definition\" = \"api-v2\" }\n"
         "[[fault]]\ntype = \"instance_failure\"\ntarget = \"ecs-nodes-b\"\nat = \"300s\"\n";
    auto run = run_scenario(t);
    const auto& service = *run->world().ecs_services()[0];
    const auto& capacity = *run->world().ecs_capacity()[0];
    auto provider_name = [&](int p) {
        return p < 0 ? std::string("?")
                     : capacity.providers()[static_cast<std::size_t>(p)].spec.name;
    };
    int lost_old = 0, old_replacements = 0;
    for (const auto& task : service.tasks()) {
        if (task.deployment != 0) continue;
        INFO(task.id);
        if (to_seconds(task.stopped_at) == 300 &&
            task.stopped_reason.find("Host EC2") != std::string::npos) {
            ++lost_old;
            CHECK(provider_name(task.provider) == "nodes-b");
        }
        if (task.created_at > 0) {
            ++old_replacements;
            CHECK(provider_name(task.provider) == "nodes-b");
        }
    }
    REQUIRE(lost_old >= 1);  // the case this test is about
    CHECK(old_replacements == lost_old);
    // The old revision keeps its split, 2 on nodes and 3 on nodes-b, running or (on nodes-b,
    // whose places the new revision's tasks take too) waiting for room at the end.
    std::map<std::string, int> kept;
    for (const auto& task : service.tasks())
        if (task.deployment == 0 && task.status != TaskStatus::Stopped)
            ++kept[provider_name(task.provider)];
    INFO("nodes " << kept["nodes"] << ", nodes-b " << kept["nodes-b"]);
    CHECK(kept == std::map<std::string, int>{{"nodes", 2}, {"nodes-b", 3}});
}

TEST_CASE("EC2 launch type: CapacityProviderReservation in CloudWatch, for alarms", "[ecs][ec2]") {
    // The managed scaling case above: at 60 s M = 4, N = 3 (133 %), from 120 s M = N = 4
    // (100 %). One datapoint a minute in AWS/ECS/ManagedScaling.
    std::string t = with(kEc2, "auto_scaling_group_arn = \"ecs-nodes\" }",
                         "auto_scaling_group_arn = \"ecs-nodes\", managed_scaling = { status = "
                         "\"ENABLED\", target_capacity = 100 } }");
    t = with(t, "launch_type = \"EC2\"",
             "capacity_provider_strategy = [{ capacity_provider = \"nodes\", weight = 1 }]");
    for (const char* alarm : {"above-100", "at-least-100"})
        t += std::string("[[cloudwatch_metric_alarm]]\nalarm_name = \"") + alarm +
             "\"\nnamespace = \"AWS/ECS/ManagedScaling\"\n"
             "metric_name = \"CapacityProviderReservation\"\n"
             "dimensions = { CapacityProviderName = \"nodes\", ClusterName = \"shop\" }\n"
             "statistic = \"Maximum\"\nperiod = 60\nevaluation_periods = 1\ncomparison_operator = "
             "\"" +
             (std::string(alarm) == "above-100" ? "GreaterThanThreshold"
                                                : "GreaterThanOrEqualToThreshold") +
             "\"\nthreshold = 100\n";
    auto run = run_scenario(t);
    // Each alarm's datapoints: 133.3 for the minute from 60 s, then 100.
    std::vector<std::pair<double, std::string>> above;
    for (const auto& e : testing::json_events(*run))
        if (e.type == "alarm_state_changed" && e.subjects["alarm"] == "above-100")
            above.emplace_back(to_seconds(e.t), e.subjects["to"].get<std::string>());
    REQUIRE(above.size() >= 2);
    CHECK(above[0].second == "ALARM");
    CHECK(above[1].second == "OK");
    CHECK(above[1].first - above[0].first == 60);  // one minute above 100
    const auto summary = report::make_summary(*run);
    CHECK(summary["alarms"]["final_state"]["above-100"] == "OK");
    CHECK(summary["alarms"]["final_state"]["at-least-100"] == "ALARM");
    // An unknown provider in the dimensions is refused at the alarm.
    const auto ds = errors_of(with(t,
                                   "CapacityProviderName = \"nodes\", ClusterName = \"shop\" }\n"
                                   "statistic = \"Maximum\"\nperiod = 60\nevaluation_periods = 1\n"
                                   "comparison_operator = \"GreaterThanThreshold\"",
                                   "CapacityProviderName = \"nodez\", ClusterName = \"shop\" }\n"
                                   "statistic = \"Maximum\"\nperiod = 60\nevaluation_periods = 1\n"
                                   "comparison_operator = \"GreaterThanThreshold\""));
    CHECK(contains(about(ds, "cloudwatch_metric_alarm[above-100].dimensions").message, "nodez"));
}

TEST_CASE("EC2 launch type: a container instance's CPUUtilization is its tasks' work",
          "[ecs][ec2]") {
    // Six tasks of 1024 CPU units on three m5.large (two each, 2048 of 2048 units reserved);
    // 36 requests/s of 50 ms: 6 a second per task, 0.3 of its vCPU. Each instance runs two
    // such tasks on its 2 vCPUs: (0.3 + 0.3) / 2 = 30 %, by InstanceId and as the group's
    // average (what target tracking on ASGAverageCPUUtilization reads). The instance's own
    // workers serve nothing: without its tasks' work it would show 0 %.
    std::string t = with(kEc2, "desired_count = 7", "desired_count = 6");
    t = with(t, "rate = 0", "rate = 36\nservice_time = \"50ms\"");
    auto alarm = [](const std::string& name, const std::string& dims, int threshold) {
        return "[[cloudwatch_metric_alarm]]\nalarm_name = \"" + name +
               "\"\nnamespace = \"AWS/EC2\"\nmetric_name = \"CPUUtilization\"\ndimensions = { " +
               dims +
               " }\nperiod = 60\nevaluation_periods = 3\ncomparison_operator = "
               "\"GreaterThanThreshold\"\nthreshold = " +
               std::to_string(threshold) + "\n";
    };
    t += alarm("i1-above-20", "InstanceId = \"i-0001\"", 20);
    t += alarm("i1-above-40", "InstanceId = \"i-0001\"", 40);
    t += alarm("group-above-20", "AutoScalingGroupName = \"ecs-nodes\"", 20);
    t += alarm("group-above-40", "AutoScalingGroupName = \"ecs-nodes\"", 40);
    auto run = run_scenario(t);
    const auto& service = *run->world().ecs_services()[0];
    REQUIRE(service.count(TaskStatus::Running) == 6);
    REQUIRE(host_of(*run, "api-task-1") == "i-0001");
    const auto summary = report::make_summary(*run);
    const auto& states = summary["alarms"]["final_state"];
    CHECK(states["i1-above-20"] == "ALARM");
    CHECK(states["i1-above-40"] == "OK");
    CHECK(states["group-above-20"] == "ALARM");
    CHECK(states["group-above-40"] == "OK");
    // The last whole minute's datapoints: 2,160 requests of an exponential 50 ms (a relative
    // standard deviation of sqrt(2 / 2160) = 3 % for the group, 5.3 % for one instance's 720):
    // 30 % within 5 points.
    const auto& store = run->world().cloudwatch().store();
    const auto avg = cloud::Stat::of(Statistic::Average);
    const auto one =
        store.datapoint(cloud::MetricKey{"AWS/EC2", "CPUUtilization", {{"InstanceId", "i-0001"}}},
                        kMinute, 9 * kMinute, avg);
    const auto group = store.datapoint(
        cloud::MetricKey{"AWS/EC2", "CPUUtilization", {{"AutoScalingGroupName", "ecs-nodes"}}},
        kMinute, 9 * kMinute, avg);
    REQUIRE(one);
    REQUIRE(group);
    CHECK(*one == Approx(30.0).margin(5.0));
    CHECK(*group == Approx(30.0).margin(3.0));
    // The time series' cpu_percent counts the same work for the same minute.
    const auto& rows = run->recorder().rows();
    REQUIRE(rows.size() == 10);
    CHECK(rows.back().gauges.cpu_percent == Approx(*group).margin(1e-6));
}

namespace {

// Two m5.large container instances in private subnets (app-a, app-b: no route out of the
// VPC), a bridge-mode service of two tasks whose image is in Amazon ECR.
const std::string kEc2Private = R"([simulation]
duration = "10m"
[region]
name = "us-east-1"
availability_zones = ["us-east-1a", "us-east-1b"]
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
[[subnet]]
name = "app-a"
cidr_block = "10.0.11.0/24"
availability_zone = "us-east-1a"
[[subnet]]
name = "app-b"
cidr_block = "10.0.12.0/24"
availability_zone = "us-east-1b"
[[launch_template]]
name = "ecs-node"
instance_type = "m5.large"
boot_time = "35s"
[[autoscaling_group]]
name = "ecs-nodes"
launch_template = "ecs-node"
min_size = 2
max_size = 2
desired_capacity = 2
subnets = ["app-a", "app-b"]
[[load_balancer]]
name = "alb"
subnets = ["public-a", "public-b"]
[[target_group]]
name = "tg"
port = 80
target_type = "instance"
[[lb_listener]]
load_balancer = "alb"
port = 80
target_group = "tg"
[[ecs_cluster]]
name = "shop"
[[ecs_capacity_provider]]
name = "nodes"
auto_scaling_group_provider = { auto_scaling_group_arn = "ecs-nodes" }
[[ecs_cluster_capacity_providers]]
cluster_name = "shop"
capacity_providers = ["nodes"]
[[ecs_task_definition]]
family = "api"
cpu = 1024
memory = 2048
requires_compatibilities = ["EC2"]
network_mode = "bridge"
container_definitions = '[{"name": "api", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1", "portMappings": [{"containerPort": 8080, "hostPort": 0}]}]'
[[ecs_service]]
name = "api"
cluster = "shop"
task_definition = "api"
desired_count = 2
launch_type = "EC2"
load_balancer = [{ target_group_arn = "tg", container_name = "api", container_port = 8080 }]
[[workload]]
name = "clients"
load_balancer = "alb"
rate = 0
)";

// The three interface endpoints the ECS agent of a container instance needs without a way out
// (the ECS Developer Guide: ecs, ecs-agent, ecs-telemetry), private DNS, in app-a and app-b,
// their group open to the VPC on 443 unless `port` says otherwise; `skip`: one left out.
std::string ecs_endpoints(int port = 443, const std::string& skip = "") {
    std::string t = "[[security_group]]\nname = \"ecs-endpoint-sg\"\ningress = [{ port = " +
                    std::to_string(port) + ", cidr_blocks = [\"10.0.0.0/16\"] }]\n";
    for (const char* service : {"ecs", "ecs-agent", "ecs-telemetry"})
        if (service != skip)
            t += std::string("[[vpc_endpoint]]\nname = \"") + service + "\"\nservice_name = \"" +
                 service +
                 "\"\nvpc_endpoint_type = \"Interface\"\nsubnets = [\"app-a\", \"app-b\"]\n"
                 "security_groups = [\"ecs-endpoint-sg\"]\nprivate_dns_enabled = true\n";
    return t;
}

// kEc2Private whose container instances register through the ECS endpoints (no way out).
const std::string kEc2PrivateRegistered =
    kEc2Private.substr(0, kEc2Private.find("[[load_balancer]]")) + ecs_endpoints() +
    kEc2Private.substr(kEc2Private.find("[[load_balancer]]"));

}  // namespace

TEST_CASE("image pulls: an EC2 task's container instance needs its own way to the registry",
          "[ecs][ec2]") {
    SECTION("private subnets without NAT: ResourceInitializationError, throttled as on Fargate") {
        // The instances register through the ECS endpoints (else no task is placed at all:
        // "container instances register with ECS ..." below); ECR has none.
        const Spec spec = load_text(kEc2PrivateRegistered, "ecs.toml", {}, ".");
        const auto warnings = cloud::closed_flow_warnings(spec);
        REQUIRE(warnings.size() == 1);
        CHECK(warnings[0].key_path == "network.image_pull");
        CHECK(contains(warnings[0].message, "subnet app-a routes only within the VPC"));
        auto run = run_scenario(kEc2PrivateRegistered);
        const auto& service = *run->world().ecs_services()[0];
        // Placed when the instances register (35 s boot, the 40 s poll): PENDING at once (no
        // provisioning step in bridge mode), STOPPED one minute (kPullTimeout) into the pull.
        // The throttle after the n-th failure in a row, 15 s x 2^(n-1): tasks 1-2 fail at
        // 100 s (hold 30 s: to 130); 3-4 start at 130, fail at 190 (hold 2 min: to 310); 5-6
        // fail at 370 (hold 8 min, past the 10-minute run).
        REQUIRE(service.tasks().size() == 6);
        const double pending[] = {40, 40, 130, 130, 310, 310};
        for (int i = 0; i < 6; ++i) {
            const std::string id = "api-task-" + std::to_string(i + 1);
            INFO(id);
            const auto events = task_events(*run, id);
            CHECK(time_of(events, "PENDING") == pending[i]);
            CHECK(time_of(events, "RUNNING") == -1);
            CHECK(time_of(events, "STOPPED") == pending[i] + 60);
            REQUIRE_FALSE(events.empty());
            CHECK(events.back().reason ==
                  cloud::EcsService::image_pull_stopped_reason(
                      "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1"));
            CHECK(stop_code_of(*run, id) == "TaskFailedToStart");
        }
        CHECK(testing::times_of(*run, "ecs_service_event")[1] == 100);  // the throttle's
    }
    SECTION("through a NAT gateway: placed at 40 s, RUNNING after the 15 s pull") {
        std::string t = with(kEc2Private, "[[launch_template]]",
                             "[[nat_gateway]]\nname = \"nat-a\"\nsubnet = \"public-a\"\n"
                             "[[launch_template]]");
        t = with(t, "availability_zone = \"us-east-1a\"\n[[subnet]]\nname = \"app-b\"",
                 "availability_zone = \"us-east-1a\"\nroute = \"nat:nat-a\"\n[[subnet]]\n"
                 "name = \"app-b\"");
        t = with(t, "availability_zone = \"us-east-1b\"\n[[nat_gateway]]",
                 "availability_zone = \"us-east-1b\"\nroute = \"nat:nat-a\"\n[[nat_gateway]]");
        CHECK(cloud::closed_flow_warnings(load_text(t, "ecs.toml", {}, ".")).empty());
        auto run = run_scenario(t);
        CHECK(time_of(task_events(*run, "api-task-1"), "RUNNING") == 55);
        CHECK(run->world().ecs_services()[0]->count(TaskStatus::Running) == 2);
    }
    SECTION("public subnets: the instances need a public IP; a Docker Hub image") {
        // Without a public IP the agent reaches ECS through the ECS endpoints only.
        std::string t = with(kEc2PrivateRegistered, "subnets = [\"app-a\", \"app-b\"]\n[[",
                             "subnets = [\"public-a\", \"public-b\"]\n[[");
        t = with(t, "\"image\": \"123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1\"",
                 "\"image\": \"shop/api:1\"");
        auto run = run_scenario(t);
        const auto events = task_events(*run, "api-task-1");
        CHECK(time_of(events, "STOPPED") == 100);
        REQUIRE_FALSE(events.empty());
        CHECK(contains(events.back().reason, "CannotPullContainerError"));
        CHECK(contains(events.back().reason, "docker.io/shop/api:1"));
        // With a public IP from the launch template they pull and run.
        auto ok = run_scenario(with(t, "boot_time = \"35s\"",
                                    "boot_time = \"35s\"\nassociate_public_ip_address = true"));
        CHECK(ok->world().ecs_services()[0]->count(TaskStatus::Running) == 2);
    }
}

// ---- VPC endpoints and image sizes -------------------------------------------------------

namespace {

// The interface endpoints for ECR (private DNS, their group open to the VPC on 443, unless
// `port` says otherwise) in app-a and app-b, and the S3 endpoint: a gateway on their route
// table, or (s3_interface) an interface endpoint with private DNS.
std::string endpoints(int port = 443, bool s3_interface = false) {
    std::string t =
        "[[security_group]]\nname = \"endpoint-sg\"\ningress = [{ port = " + std::to_string(port) +
        ", cidr_blocks = [\"10.0.0.0/16\"] }]\n";
    for (const char* service : {"ecr.api", "ecr.dkr"})
        t += std::string("[[vpc_endpoint]]\nname = \"") + service + "\"\nservice_name = \"" +
             service +
             "\"\nvpc_endpoint_type = \"Interface\"\nsubnets = [\"app-a\", \"app-b\"]\n"
             "security_groups = [\"endpoint-sg\"]\nprivate_dns_enabled = true\n";
    if (s3_interface)
        return t +
               "[[vpc_endpoint]]\nname = \"s3\"\nservice_name = \"s3\"\nvpc_endpoint_type = "
               "\"Interface\"\nsubnets = [\"app-a\", \"app-b\"]\nprivate_dns_enabled = true\n";
    return t +
           "[[vpc_endpoint]]\nname = \"s3\"\nservice_name = \"s3\"\nsubnets = [\"app-a\", "
           "\"app-b\"]\n";
}

std::string with_endpoints(const std::string& text, int port = 443, bool s3_interface = false) {
    return with(text, "[[load_balancer]]", endpoints(port, s3_interface) + "[[load_balancer]]");
}

std::string sized_image(const std::string& text, const std::string& mb) {
    return with(text, "network_mode = \"awsvpc\"\n",
                "network_mode = \"awsvpc\"\nimage_size_mb = " + mb + "\n");
}

double line_total(const report::Run& run, cloud::LineItem item) {
    return run.world().cost().ledger().total(item);
}

}  // namespace

TEST_CASE("VPC endpoints: Fargate in private subnets without NAT pulls from ECR through them",
          "[ecs][network]") {
    SECTION("a month of two interface endpoints in two AZs, layers through the S3 gateway") {
        std::string t = with_endpoints(private_scenario(false));
        t = with(t, "duration = \"30m\"", "duration = \"730h\"");
        const Spec spec = load_text(t, "ecs.toml", {}, ".");
        REQUIRE(spec.vpc_endpoint.size() == 3);
        REQUIRE(spec.vpc_endpoint[0].vpc_endpoint_type == EndpointType::Interface);
        REQUIRE(spec.region.name == "us-east-1");
        CHECK(cloud::closed_flow_warnings(spec).empty());
        auto run = run_scenario(t);
        // PENDING at 20 s, the default 15 s pull: RUNNING at 35 s, both tasks.
        CHECK(time_of(task_events(*run, "api-task-1"), "RUNNING") == 35);
        CHECK(run->world().ecs_services()[0]->count(TaskStatus::Running) == 2);
        // By hand: 2 endpoints x 2 AZs x 730 h x 0.01 USD = 29.20 USD; the gateway endpoint is
        // free and the layers pass there (no GB through the interface endpoints).
        CHECK(line_total(*run, cloud::LineItem::VpcEndpoint) == Approx(29.2).epsilon(1e-9));
        CHECK(line_total(*run, cloud::LineItem::NatGateway) == 0);
    }
    SECTION("the layers through an S3 interface endpoint: its GB billed") {
        const std::string t =
            sized_image(with_endpoints(private_scenario(false), 443, true), "2000");
        auto run = run_scenario(t);
        // 2,000 MB at the default 25 MB/s: an 80 s pull, RUNNING at 20 + 80 s.
        CHECK(time_of(task_events(*run, "api-task-1"), "RUNNING") == 100);
        // 3 endpoints x 2 AZs x 1 h (30 minutes, a started hour) x 0.01 + 2 pulls x 2 GB x
        // 0.01 USD.
        CHECK(line_total(*run, cloud::LineItem::VpcEndpoint) ==
              Approx(3 * 2 * 0.01 + 2 * 2 * 0.01).epsilon(1e-9));
    }
    SECTION("pulls through a NAT gateway: each image's GB is NAT processing") {
        const std::string t = sized_image(private_scenario(true), "2000");
        REQUIRE(load_text(t, "ecs.toml", {}, ".").ecs_task_definition[0].image_pull_throughput ==
                25);
        auto run = run_scenario(t);
        CHECK(time_of(task_events(*run, "api-task-1"), "RUNNING") == 100);
        // One started hour (0.045) + 2 pulls x 2 GB x 0.045 USD.
        CHECK(line_total(*run, cloud::LineItem::NatGateway) ==
              Approx(0.045 + 2 * 2 * 0.045).epsilon(1e-9));
        CHECK(line_total(*run, cloud::LineItem::VpcEndpoint) == 0);
    }
    SECTION("the endpoints' group without 443: the names lead there, a NAT does not help") {
        const std::string t = with_endpoints(private_scenario(true), 80);
        const auto warnings = cloud::closed_flow_warnings(load_text(t, "ecs.toml", {}, "."));
        REQUIRE(warnings.size() == 1);
        CHECK(contains(warnings[0].message, "security group endpoint-sg allows nothing on 443"));
        auto run = run_scenario(t);
        const auto events = task_events(*run, "api-task-1");
        CHECK(time_of(events, "STOPPED") == 80);
        REQUIRE_FALSE(events.empty());
        CHECK(events.back().reason ==
              cloud::pull_stopped_reason("123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1",
                                         cloud::PullPath::Auth));
    }
    SECTION("no S3 gateway endpoint: the layers fail, CannotPullContainerError") {
        std::string t = with_endpoints(private_scenario(false));
        t = with(t, "service_name = \"s3\"\nsubnets = [\"app-a\", \"app-b\"]",
                 "service_name = \"s3\"\nsubnets = []");
        auto run = run_scenario(t);
        const auto events = task_events(*run, "api-task-1");
        CHECK(time_of(events, "STOPPED") == 80);
        REQUIRE_FALSE(events.empty());
        CHECK(contains(events.back().reason,
                       "CannotPullContainerError: ref pull has been retried 5 time(s): failed to "
                       "copy"));
        CHECK(contains(events.back().reason, "prod-us-east-1-starport-layer-bucket.s3.us-east-1"));
    }
}

TEST_CASE("VPC endpoints and image pulls: what loads and what is refused", "[ecs][loader]") {
    const std::string base = with_endpoints(private_scenario(false));
    auto refused = [&](const std::string& text, const std::string& key, const std::string& says) {
        INFO(key);
        bool found = false;
        for (const auto& d : errors_of(text))
            found = found ||
                    (d.key_path.size() >= key.size() &&
                     d.key_path.compare(d.key_path.size() - key.size(), key.size(), key) == 0 &&
                     contains(d.message, says));
        CHECK(found);
    };
    refused(with(base, "service_name = \"ecr.api\"\nvpc_endpoint_type = \"Interface\"",
                 "service_name = \"ecr.api\"\nvpc_endpoint_type = \"Gateway\""),
            "vpc_endpoint_type", "ecr.api has no gateway endpoint");
    refused(with(base, "service_name = \"s3\"\nsubnets",
                 "service_name = \"s3\"\nprivate_dns_enabled = true\nsubnets"),
            "private_dns_enabled", "belongs to an interface endpoint");
    refused(with(sized_image(base, "100"), "network_mode = \"awsvpc\"\n",
                 "network_mode = \"awsvpc\"\nimage_pull_time = \"5s\"\n"),
            "image_pull_time", "image_pull_time and image_size_mb both set");
    const Spec spec = load_text(sized_image(base, "100"), "ecs.toml", {}, ".");
    const std::string once = explain(spec);
    CHECK(contains(once, "image_size_mb = 100"));
    CHECK(contains(once, "private_dns_enabled = true"));
    CHECK(explain(load_text(once, "explained.toml", {}, ".")) == once);
    CHECK(cloud::interface_endpoint_zones(spec) == std::vector<int>{2, 2, 0});
    // The ECS agent's three endpoints: interface only; without private DNS, a warning.
    const std::string ecs = with(base, "[[load_balancer]]", ecs_endpoints() + "[[load_balancer]]");
    const Spec with_ecs = load_text(ecs, "ecs.toml", {}, ".");
    REQUIRE(with_ecs.vpc_endpoint.size() == 6);
    CHECK(with_ecs.vpc_endpoint[4].service_name == EndpointService::EcsAgent);
    CHECK(with_ecs.vpc_endpoint[5].service_name == EndpointService::EcsTelemetry);
    CHECK(explain(load_text(explain(with_ecs), "explained.toml", {}, ".")) == explain(with_ecs));
    refused(with(ecs, "service_name = \"ecs-agent\"\nvpc_endpoint_type = \"Interface\"",
                 "service_name = \"ecs-agent\"\nvpc_endpoint_type = \"Gateway\""),
            "vpc_endpoint_type", "ecs-agent has no gateway endpoint");
    std::vector<Diagnostic> warnings;
    load_text(with(ecs, "private_dns_enabled = true\n[[vpc_endpoint]]\nname = \"ecs-telemetry\"",
                   "private_dns_enabled = false\n[[vpc_endpoint]]\nname = \"ecs-telemetry\""),
              "ecs.toml", {}, ".", &warnings);
    bool warned = false;
    for (const auto& d : warnings)
        warned = warned || contains(d.message,
                                    "the ECS agent of container instances resolves the "
                                    "ecs-agent service's name");
    CHECK(warned);
}

TEST_CASE("image pulls on EC2: endpoints for container instances, and the image cache",
          "[ecs][ec2][network]") {
    std::string t =
        with(kEc2PrivateRegistered, "[[load_balancer]]", endpoints() + "[[load_balancer]]");
    SECTION("private subnets without NAT, with the endpoints: the tasks run") {
        CHECK(cloud::closed_flow_warnings(load_text(t, "ecs.toml", {}, ".")).empty());
        auto run = run_scenario(t);
        CHECK(run->world().ecs_services()[0]->count(TaskStatus::Running) == 2);
        // By hand: 5 interface endpoints (ecr.api, ecr.dkr, ecs, ecs-agent, ecs-telemetry) x 2
        // AZs x 1 started hour x 0.01 USD; the S3 gateway endpoint is free.
        CHECK(line_total(*run, cloud::LineItem::VpcEndpoint) == Approx(5 * 2 * 0.01).epsilon(1e-9));
    }
    SECTION("a second task of the same image on an instance does not pull it again") {
        // Through a NAT gateway, 1,000 MB images (40 s). A new task definition of the same
        // image at 300 s: its tasks go to the instances that hold it and start at once.
        std::string n = with(kEc2Private, "[[launch_template]]",
                             "[[nat_gateway]]\nname = \"nat-a\"\nsubnet = \"public-a\"\n"
                             "[[launch_template]]");
        n = with(n, "availability_zone = \"us-east-1a\"\n[[subnet]]\nname = \"app-b\"",
                 "availability_zone = \"us-east-1a\"\nroute = \"nat:nat-a\"\n[[subnet]]\n"
                 "name = \"app-b\"");
        n = with(n, "availability_zone = \"us-east-1b\"\n[[nat_gateway]]",
                 "availability_zone = \"us-east-1b\"\nroute = \"nat:nat-a\"\n[[nat_gateway]]");
        n = with(n, "network_mode = \"bridge\"\n",
                 "network_mode = \"bridge\"\nimage_size_mb = 1000\n");
        const std::string td =
            n.substr(n.find("[[ecs_task_definition]]"),
                     n.find("[[ecs_service]]") - n.find("[[ecs_task_definition]]"));
        n = with(n, "[[ecs_service]]",
                 with(td, "family = \"api\"", "family = \"api-v2\"") + "[[ecs_service]]");
        n += "[[action]]\nat = \"300s\"\nset = { \"ecs_service.api.task_definition\" = \"api-v2\" "
             "}\n";
        auto run = run_scenario(n);
        const auto first = task_events(*run, "api-task-1");
        CHECK(time_of(first, "RUNNING") - time_of(first, "PENDING") == 40);
        const auto again = task_events(*run, "api-task-3");
        REQUIRE(time_of(again, "PENDING") >= 300);
        CHECK(time_of(again, "RUNNING") == time_of(again, "PENDING"));
        // Two pulls of 1 GB through the NAT gateway, one started hour: 0.045 + 2 x 0.045.
        CHECK(line_total(*run, cloud::LineItem::NatGateway) ==
              Approx(0.045 + 2 * 0.045).epsilon(1e-9));
    }
}

namespace {

// The network_flow_closed events of a run with `flow`.
std::vector<nlohmann::ordered_json> closed_flows(const report::Run& run, const std::string& flow) {
    std::vector<nlohmann::ordered_json> out;
    for (const auto& e : testing::json_events(run))
        if (e.type == "network_flow_closed" && e.subjects["flow"] == flow)
            out.push_back(e.subjects);
    return out;
}

// Requests the tasks of a run's first service took (their compute units' count).
double taken_by_tasks(const report::Run& run) {
    double n = 0;
    for (const auto& t : run.world().ecs_services()[0]->tasks())
        if (t.instance != cloud::kNoCompute) n += run.world().fleet()[t.instance].accepted();
    return n;
}

}  // namespace

TEST_CASE("container instances register with ECS through the ECS endpoints or a way out",
          "[ecs][ec2][network]") {
    // kEc2Private's app subnets route only within the VPC; the ECR endpoints let the image
    // through. The ECS Developer Guide: the agent needs ecs, ecs-agent and ecs-telemetry.
    const std::string ecr =
        with(kEc2Private, "[[load_balancer]]", endpoints() + "[[load_balancer]]");
    SECTION("without the ECS endpoints: no instance registers, no task is placed") {
        const auto warnings = cloud::closed_flow_warnings(load_text(ecr, "ecs.toml", {}, "."));
        REQUIRE(warnings.size() == 1);
        CHECK(warnings[0].key_path == "network.ecs_agent");
        CHECK(contains(warnings[0].message,
                       "from subnet app-a: no interface endpoint with private DNS for ecs, "
                       "ecs-agent, ecs-telemetry, and subnet app-a routes only within the VPC"));
        CHECK(contains(warnings[0].message, "No Container Instances were found in your cluster"));
        auto run = run_scenario(ecr);
        const auto& service = *run->world().ecs_services()[0];
        // Both instances boot and stay InService (and billed), but neither registers.
        REQUIRE(service.tasks().size() == 2);
        CHECK(service.count(TaskStatus::Running) == 0);
        CHECK(service.count(TaskStatus::Provisioning) == 2);
        const auto flows = closed_flows(*run, "container_instance_to_ecs");
        REQUIRE(flows.size() == 2);  // one per AZ: app-a, app-b
        CHECK(flows[0]["from"] == "ecs-nodes");
        CHECK(flows[0]["to"] == "ecs");
        CHECK(flows[0]["port"] == 443);
        CHECK(contains(flows[1]["why"].get<std::string>(), "from subnet app-b"));
        bool why_said = false;
        for (const auto& e : testing::json_events(*run))
            if (e.type == "ecs_service_event" &&
                contains(e.subjects["message"].get<std::string>(),
                         "Reason: No Container Instances were found in your cluster."))
                why_said = true;
        CHECK(why_said);
    }
    SECTION("with the three: both tasks run; with two of them, the third is missing") {
        auto run =
            run_scenario(with(ecr, "[[load_balancer]]", ecs_endpoints() + "[[load_balancer]]"));
        CHECK(run->world().ecs_services()[0]->count(TaskStatus::Running) == 2);
        const std::string two = with(ecr, "[[load_balancer]]",
                                     ecs_endpoints(443, "ecs-telemetry") + "[[load_balancer]]");
        const auto warnings = cloud::closed_flow_warnings(load_text(two, "ecs.toml", {}, "."));
        REQUIRE(warnings.size() == 1);
        CHECK(contains(warnings[0].message,
                       "no interface endpoint with private DNS for ecs-telemetry, and subnet"));
        CHECK(run_scenario(two)->world().ecs_services()[0]->count(TaskStatus::Running) == 0);
    }
    SECTION("the endpoints' group without 443: the names lead there, so nothing registers") {
        const std::string t =
            with(ecr, "[[load_balancer]]", ecs_endpoints(80) + "[[load_balancer]]");
        const auto warnings = cloud::closed_flow_warnings(load_text(t, "ecs.toml", {}, "."));
        REQUIRE(warnings.size() == 1);
        CHECK(contains(warnings[0].message,
                       "ecs resolves to interface endpoint ecs (private DNS), whose security "
                       "group ecs-endpoint-sg allows nothing on 443"));
        CHECK(run_scenario(t)->world().ecs_services()[0]->count(TaskStatus::Running) == 0);
    }
    SECTION("the instances' outbound rules: 443 to the internet, to the VPC, or nothing") {
        // Registered through the ECS endpoints, pulling through the ECR ones and the S3
        // gateway endpoint, whose layers still go to S3's public addresses.
        const std::string base =
            with(ecr, "[[load_balancer]]", ecs_endpoints() + "[[load_balancer]]");
        auto egress = [&](const std::string& rules) {
            std::string t = with(base, "[[launch_template]]",
                                 "[[security_group]]\nname = \"node-sg\"\n"
                                 "ingress = [{ port = 32768, to_port = 60999, cidr_blocks = "
                                 "[\"10.0.0.0/16\"] }]\negress = " +
                                     rules + "\n[[launch_template]]");
            return with(t, "name = \"ecs-node\"\n",
                        "name = \"ecs-node\"\nsecurity_groups = [\"node-sg\"]\n");
        };
        const std::string internet = egress("[{ port = 443, cidr_blocks = [\"0.0.0.0/0\"] }]");
        CHECK(cloud::closed_flow_warnings(load_text(internet, "ecs.toml", {}, ".")).empty());
        CHECK(run_scenario(internet)->world().ecs_services()[0]->count(TaskStatus::Running) == 2);
        const auto vpc = cloud::closed_flow_warnings(load_text(
            egress("[{ port = 443, cidr_blocks = [\"10.0.0.0/16\"] }]"), "ecs.toml", {}, "."));
        REQUIRE(vpc.size() == 1);  // the agent registers; the layers cannot come
        CHECK(vpc[0].key_path == "network.image_pull");
        CHECK(contains(vpc[0].message,
                       "the layers in Amazon S3 through its gateway endpoint: security group "
                       "node-sg allows nothing out on 443 to 0.0.0.0/0 (the internet)"));
        const auto none = cloud::closed_flow_warnings(load_text(egress("[]"), "ecs.toml", {}, "."));
        REQUIRE(none.size() == 2);
        CHECK(none[1].key_path == "network.ecs_agent");
        CHECK(contains(none[1].message,
                       "ecs resolves to interface endpoint ecs (private DNS), but security group "
                       "node-sg allows nothing out on 443 to ecs-endpoint-sg or to a block "
                       "holding"));
    }
    SECTION("a NAT gateway is a way out: no ECS endpoint needed") {
        std::string t = with(kEc2Private, "[[launch_template]]",
                             "[[nat_gateway]]\nname = \"nat-a\"\nsubnet = \"public-a\"\n"
                             "[[launch_template]]");
        t = with(t, "availability_zone = \"us-east-1a\"\n[[subnet]]\nname = \"app-b\"",
                 "availability_zone = \"us-east-1a\"\nroute = \"nat:nat-a\"\n[[subnet]]\n"
                 "name = \"app-b\"");
        t = with(t, "availability_zone = \"us-east-1b\"\n[[nat_gateway]]",
                 "availability_zone = \"us-east-1b\"\nroute = \"nat:nat-a\"\n[[nat_gateway]]");
        CHECK(cloud::closed_flow_warnings(load_text(t, "ecs.toml", {}, ".")).empty());
        CHECK(run_scenario(t)->world().ecs_services()[0]->count(TaskStatus::Running) == 2);
    }
}

TEST_CASE("bridge mode: the tasks call out through their container instances' subnets",
          "[ecs][ec2][network]") {
    // 2 requests/s, each making its task send 100 KB to the internet. Bridge mode: the tasks
    // have no network interface of their own; the instances' subnets decide.
    const std::string calls = "rate = 2\noutbound_bytes = 100000\n";
    SECTION("private subnets without NAT (registered, pulling through the endpoints): 500") {
        std::string t =
            with(kEc2PrivateRegistered, "[[load_balancer]]", endpoints() + "[[load_balancer]]");
        t = with(t, "rate = 0\n", calls);
        const auto warnings = cloud::closed_flow_warnings(load_text(t, "ecs.toml", {}, "."));
        REQUIRE(warnings.size() == 1);
        CHECK(warnings[0].key_path == "network.private_to_internet");
        CHECK(contains(warnings[0].message,
                       "api -> internet on port 443 is closed: subnet app-a "
                       "routes only within the VPC"));
        auto run = run_scenario(t);
        REQUIRE(run->world().ecs_services()[0]->count(TaskStatus::Running) == 2);
        const auto summary = report::make_summary(*run);
        const double taken = taken_by_tasks(*run);
        REQUIRE(taken > 100);
        // Every request a task took waited for its call out and answered 500, but those
        // still waiting at the end.
        CHECK(summary["requests"]["errors"]["http_500"].get<double>() +
                  summary["requests"]["in_flight_at_end"].get<double>() ==
              taken);
        int from_service = 0;  // the group's own flow is closed too (no request travels it)
        for (const auto& f : closed_flows(*run, "private_to_internet"))
            if (f["from"] == "api") {
                ++from_service;
                CHECK(contains(f["why"].get<std::string>(), "subnet app-b routes only within"));
            }
        CHECK(from_service == 1);
    }
    SECTION("through a NAT gateway: no error, the bytes are NAT data processing") {
        std::string t = with(kEc2Private, "[[launch_template]]",
                             "[[nat_gateway]]\nname = \"nat-a\"\nsubnet = \"public-a\"\n"
                             "[[launch_template]]");
        t = with(t, "availability_zone = \"us-east-1a\"\n[[subnet]]\nname = \"app-b\"",
                 "availability_zone = \"us-east-1a\"\nroute = \"nat:nat-a\"\n[[subnet]]\n"
                 "name = \"app-b\"");
        t = with(t, "availability_zone = \"us-east-1b\"\n[[nat_gateway]]",
                 "availability_zone = \"us-east-1b\"\nroute = \"nat:nat-a\"\n[[nat_gateway]]");
        t = with(t, "rate = 0\n", calls);
        CHECK(cloud::closed_flow_warnings(load_text(t, "ecs.toml", {}, ".")).empty());
        auto run = run_scenario(t);
        const auto summary = report::make_summary(*run);
        const double taken = taken_by_tasks(*run);
        REQUIRE(taken > 100);
        CHECK(summary["requests"]["errors"]["http_500"] == 0);
        // By hand: one started hour of the gateway (0.045 USD) + taken x 100 KB x 0.045 USD/GB
        // (before, the tasks' bytes went out free of any NAT charge).
        CHECK(line_total(*run, cloud::LineItem::NatGateway) ==
              Approx(0.045 + taken * 1e5 / 1e9 * 0.045).epsilon(1e-6));
    }
}

namespace {

// kEc2 cut to one t3.medium container instance (2 vCPUs, 4 GiB; 24 credits an hour, a 20 %
// baseline, at most 576 credits; no launch credits: it starts at 0) running two tasks of 1024
// CPU units and 2048 MiB. Idle for the first hour, then 100 requests/s of constant 100 ms:
// each task's one worker serves 10/s at full speed, so both are always busy and the instance
// runs at (1 + 1) / 2 = 100 %: it spends 120 credits an hour and earns 24.
std::string burstable_cluster(const char* credits) {
    std::string t = with(kEc2, "instance_type = \"m5.large\"", "instance_type = \"t3.medium\"");
    t = with(t, "min_size = 3", "min_size = 1");
    t = with(t, "desired_capacity = 3", "desired_capacity = 1");
    t = with(t, "desired_count = 7", "desired_count = 2");
    t = with(t, "duration = \"10m\"", "duration = \"2h\"");
    // A short queue: throttled, a health check waits (2 + 1) x 500 ms, within its 5 s.
    t = with(t, "network_mode = \"bridge\"", "network_mode = \"bridge\"\nmax_queue = 2");
    t = with(t, "rate = 0",
             "rate = { shape = \"steps\", steps = [[\"0s\", 0], [\"60m\", 100]] }\n"
             "service_time = { dist = \"constant\", mean = \"100ms\" }\ntimeout = \"60s\"");
    return t + "[[instance_type]]\nname = \"t3.medium\"\ncredit_specification = \"" + credits +
           "\"\n";
}

}  // namespace

TEST_CASE("burstable container instances: the tasks' work spends the instance's credits",
          "[ecs][ec2][burstable]") {
    constexpr SimTime kLoad = 60 * kMinute;
    SECTION("standard: the 24 credits of the idle hour last 15 minutes, then the baseline") {
        auto run = std::make_unique<report::Run>(
            load_text(burstable_cluster("standard"), "ecs.toml", {}, "."));
        cloud::World& world = run->world();
        world.run_until(kLoad);
        auto& host = world.fleet()[0];
        REQUIRE(host.burstable());
        REQUIRE(world.ecs_services()[0]->count(TaskStatus::Running) == 2);
        // By hand: 24 credits an hour from the launch, nothing spent by idle tasks.
        CHECK(host.cpu_credit_balance() == Approx(24.0).margin(0.01));
        // 10 minutes at 100 %: 24 - (120 - 24) x 10 / 60 = 8 credits (the first requests take
        // a fraction of a second to fill the workers).
        world.run_until(kLoad + 10 * kMinute);
        CHECK(host.cpu_credit_balance() == Approx(8.0).margin(0.05));
        CHECK_FALSE(host.cpu_throttled());
        // 24 / 96 h = 15 minutes in: out of credits, throttled to the 20 % baseline.
        world.run_until(kLoad + 15 * kMinute - 5 * kSecond);
        CHECK_FALSE(host.cpu_throttled());
        world.run_until(kLoad + 15 * kMinute + 5 * kSecond);
        CHECK(host.cpu_throttled());
        CHECK(host.throttled_since() >= kLoad + 15 * kMinute);
        CHECK(host.throttled_since() <= kLoad + 15 * kMinute + kSecond);
        // The tasks' requests then take 100 ms / 0.2 = 500 ms: 2 a second per task, the
        // instance spends what it earns and the balance stays at 0.
        world.run_until(kLoad + 45 * kMinute);
        CHECK(host.cpu_credit_balance() == Approx(0.0).margin(0.01));
        const auto& service = *world.ecs_services()[0];
        REQUIRE(service.tasks().size() == 2);  // slow, but healthy: none replaced
        const auto before = world.fleet()[service.tasks()[0].instance].accepted() +
                            world.fleet()[service.tasks()[1].instance].accepted();
        world.run_until(kLoad + 55 * kMinute);
        const auto after = world.fleet()[service.tasks()[0].instance].accepted() +
                           world.fleet()[service.tasks()[1].instance].accepted();
        // Taken in 10 minutes: 2 tasks x 2/s x 600 s = 2,400 (+ what the queue takes back).
        CHECK(after - before == Approx(2400).margin(25));
        CHECK(host.cpu_surplus_credit_balance() == 0);
    }
    SECTION("unlimited: full speed, 72 surplus credits after the hour of load") {
        auto run = std::make_unique<report::Run>(
            load_text(burstable_cluster("unlimited"), "ecs.toml", {}, "."));
        cloud::World& world = run->world();
        world.run_until(kLoad + 60 * kMinute);
        auto& host = world.fleet()[0];
        REQUIRE(host.burstable());
        CHECK_FALSE(host.cpu_throttled());
        // By hand: the 24 earned credits go in the first 15 minutes, then 96 surplus credits
        // an hour for 45 minutes: 72, below the 576 cap, so none is charged while running.
        CHECK(host.cpu_credit_balance() == Approx(0.0).margin(0.01));
        CHECK(host.cpu_surplus_credit_balance() == Approx(72.0).margin(0.1));
        CHECK(host.surplus_vcpu_hours_charged() == 0);
    }
}

// ---- DAEMON services ----------------------------------------------------------------------

namespace {

// With kEc2: a log agent of 256 CPU units and 512 MiB on every container instance.
const std::string kDaemon = R"([[ecs_task_definition]]
family = "agent"
cpu = 256
memory = 512
requires_compatibilities = ["EC2"]
network_mode = "bridge"
container_definitions = '[{"name": "agent", "image": "fluent-bit:2"}]'
[[ecs_task_definition]]
family = "agent-v2"
cpu = 256
memory = 512
requires_compatibilities = ["EC2"]
network_mode = "bridge"
container_definitions = '[{"name": "agent", "image": "fluent-bit:3"}]'
[[ecs_service]]
name = "agent"
cluster = "shop"
task_definition = "agent"
scheduling_strategy = "DAEMON"
launch_type = "EC2"
)";

// Tasks of `service` RUNNING at the run's end, by container instance.
std::map<std::string, int> running_by_host(const report::Run& run, const std::string& service) {
    std::map<std::string, int> out;
    for (const auto& s : run.world().ecs_services())
        if (s->name() == service)
            for (const auto& t : s->tasks())
                if (t.status == TaskStatus::Running) ++out[host_of(run, t.id)];
    return out;
}

const cloud::EcsService& service_named(const report::Run& run, const std::string& name) {
    for (const auto& s : run.world().ecs_services())
        if (s->name() == name) return *s;
    FAIL("no service " << name);
    return *run.world().ecs_services().front();
}

}  // namespace

TEST_CASE("DAEMON services: what loads, and what ECS refuses, at its key", "[ecs][ec2]") {
    const Spec spec = load_text(kEc2 + kDaemon, "ecs.toml", {}, ".");
    REQUIRE(spec.ecs_service.size() == 2);
    const auto& agent = spec.ecs_service[1];
    CHECK(agent.scheduling_strategy == EcsSchedulingStrategy::Daemon);
    CHECK(spec.ecs_service[0].scheduling_strategy == EcsSchedulingStrategy::Replica);
    // A DAEMON service's deployments default to 0 % and 100 % (the ECS API Reference).
    CHECK(agent.deployment_minimum_healthy_percent == 0);
    CHECK(agent.deployment_maximum_percent == 100);
    CHECK(spec.ecs_service[0].deployment_maximum_percent == 200);
    const std::string once = explain(spec);
    CHECK(contains(once, "scheduling_strategy = \"DAEMON\""));
    CHECK(explain(load_text(once, "explained.toml", {}, ".")) == once);
    const std::string path = "ecs_service[agent].";
    auto refused = [&](const std::string& text, const std::string& key, const std::string& says) {
        INFO(key);
        CHECK(contains(about(errors_of(text), path + key).message, says));
    };
    const std::string daemon = kEc2 + kDaemon;
    const std::string sched = "scheduling_strategy = \"DAEMON\"\nlaunch_type = \"EC2\"";
    refused(with(daemon, sched, "scheduling_strategy = \"DAEMON\"\nlaunch_type = \"FARGATE\""),
            "launch_type", "does not support the DAEMON");
    refused(with(daemon, sched,
                 "scheduling_strategy = \"DAEMON\"\ncapacity_provider_strategy = [{ "
                 "capacity_provider = \"nodes\", weight = 1 }]"),
            "capacity_provider_strategy", "not supported");
    // The cluster's default strategy is refused too: ECS needs launch_type EC2 then.
    refused(with(with(daemon, sched, "scheduling_strategy = \"DAEMON\""),
                 "capacity_providers = [\"nodes\"]",
                 "capacity_providers = [\"nodes\"]\ndefault_capacity_provider_strategy = [{ "
                 "capacity_provider = \"nodes\", weight = 1 }]"),
            "scheduling_strategy", "launch_type = \"EC2\"");
    refused(with(daemon, sched,
                 sched + "\nordered_placement_strategy = [{ type = \"binpack\", "
                         "field = \"memory\" }]"),
            "ordered_placement_strategy", "does not support placement strategies");
    refused(with(daemon, sched, sched + "\ndeployment_maximum_percent = 200"),
            "deployment_maximum_percent", "above 100");
    refused(with(daemon, sched, sched + "\ndesired_count = 3"), "desired_count", "found 3");
    // Service Auto Scaling has no desired count to scale.
    const auto ds = errors_of(daemon +
                              "[[appautoscaling_target]]\nresource_id = \"service/shop/agent\"\n"
                              "min_capacity = 1\nmax_capacity = 4\n");
    CHECK(contains(about(ds, "appautoscaling_target[service/shop/agent].resource_id").message,
                   "DAEMON"));
}

TEST_CASE("DAEMON services: one task per instance, placed before the replica tasks", "[ecs][ec2]") {
    // Each m5.large offers 2048 CPU units. The agent takes 256 first; 1792 are left: one api
    // task of 1024 fits, a second does not. Three instances: 3 agents, 3 api tasks, 4 api
    // tasks waiting. (Were the api tasks placed first, 2 per instance would leave no room for
    // any agent.)
    auto run = run_scenario(kEc2 + kDaemon);
    const auto& agent = service_named(*run, "agent");
    REQUIRE(agent.daemon());
    CHECK(agent.desired_count() == 3);  // ECS's desiredCount: the instances
    CHECK(running_by_host(*run, "agent") ==
          std::map<std::string, int>{{"i-0001", 1}, {"i-0002", 1}, {"i-0003", 1}});
    CHECK(running_by_host(*run, "api") ==
          std::map<std::string, int>{{"i-0001", 1}, {"i-0002", 1}, {"i-0003", 1}});
    CHECK(service_named(*run, "api").count(TaskStatus::Provisioning) == 4);
    CHECK(agent.tasks().size() == 3);  // never a task without an instance
    // Placed at the first poll after the instances registered (35 s): PENDING at 40 s,
    // RUNNING after the 15 s pull, like a replica task.
    const auto events = task_events(*run, "agent-task-1");
    CHECK(time_of(events, "PENDING") == 40);
    CHECK(time_of(events, "RUNNING") == 55);
    // Every instance has its agent: no "unable to place" event from the agent.
    CHECK(testing::times_of(*run, "ecs_service_event", "service", "agent").empty());
}

TEST_CASE("DAEMON services follow the group: new instances get one, lost ones take theirs",
          "[ecs][ec2]") {
    // kEc2 and the agent; at 5 minutes the group grows from 3 to 6 (one more per AZ), at 8
    // minutes back to 3. From 5 minutes: 6 agents and 6 api tasks (one per instance, the 7th
    // waits). At 8 minutes the three instances that go take their agent and api task; the
    // api tasks' replacements wait; 3 agents and 3 api tasks run at the end. Managed draining
    // off: with it (the default) the group would hold each instance until its api task's
    // replacement is placed elsewhere, and none fits, so none would go.
    std::string t =
        with(kEc2, "auto_scaling_group_arn = \"ecs-nodes\" }",
             "auto_scaling_group_arn = \"ecs-nodes\", managed_draining = \"DISABLED\" }") +
        kDaemon +
        "[[action]]\nat = \"5m\"\nset = { "
        "\"autoscaling_group.ecs-nodes.desired_capacity\" = 6 }\n"
        "[[action]]\nat = \"8m\"\nset = { "
        "\"autoscaling_group.ecs-nodes.desired_capacity\" = 3 }\n";
    auto run = run_scenario(t);
    const auto& agent = service_named(*run, "agent");
    CHECK(agent.tasks().size() == 6);
    CHECK(agent.count(TaskStatus::Running) == 3);
    CHECK(agent.count(TaskStatus::Stopped) == 3);
    CHECK(agent.desired_count() == 3);
    CHECK(service_named(*run, "api").count(TaskStatus::Running) == 3);
    // The three new instances' agents started at 5 minutes + 35 s boot + the next poll.
    for (const char* task : {"agent-task-4", "agent-task-5", "agent-task-6"}) {
        INFO(task);
        CHECK(time_of(task_events(*run, task), "PENDING") == 340);
    }
    // An agent stops with its instance, after the instance's api task (the daemon task is
    // the last to stop).
    for (const auto& task : agent.tasks()) {
        if (task.status != TaskStatus::Stopped) continue;
        INFO(task.id);
        CHECK(task.stopped_at == 480 * kSecond);
        CHECK(contains(task.stopped_reason, "stopped/terminated"));
        const std::string host = host_of(*run, task.id);
        std::vector<std::string> order;
        for (const auto& e : testing::json_events(*run))
            if (e.type == "ecs_task_state_change" && e.subjects["last_status"] == "STOPPED" &&
                e.subjects.contains("container_instance") &&
                e.subjects["container_instance"] == host)
                order.push_back(e.subjects["service"].get<std::string>());
        CHECK(order == std::vector<std::string>{"api", "agent"});
    }
}

TEST_CASE("DAEMON services: a new task definition replaces every agent at once (0 %, 100 %)",
          "[ecs][ec2]") {
    // minimum 0 %, maximum 100 % of 3: the three old agents stop at 5 minutes (none needs to
    // stay healthy), the three new ones start on the room they leave at the same instant.
    auto run = run_scenario(kEc2 + kDaemon +
                            "[[action]]\nat = \"5m\"\nset = { "
                            "\"ecs_service.agent.task_definition\" = \"agent-v2\" }\n");
    const auto& agent = service_named(*run, "agent");
    REQUIRE(agent.tasks().size() == 6);
    for (int i = 0; i < 3; ++i) {
        CHECK(agent.tasks()[i].stopped_at == 300 * kSecond);
        CHECK(agent.tasks()[i + 3].deployment == 1);
        CHECK(agent.tasks()[i + 3].status == TaskStatus::Running);
        CHECK(agent.tasks()[i + 3].started_at == 315 * kSecond);
    }
    CHECK(agent.primary().rollout_state == cloud::RolloutState::Completed);
}

TEST_CASE("DAEMON services: managed scaling and termination protection ignore daemon tasks",
          "[ecs][ec2]") {
    // Three instances, one api task (on i-0001) and an agent on each. M counts the instances
    // that run a task other than a daemon task: M = 1, N = 3, 33 % < 100; after 15 minutes
    // below the target the group goes to ceil(1 x 100 / 100) = 1. Managed termination
    // protection spares i-0001 (its api task) and not the two that run only an agent.
    std::string t = with(kEc2 + kDaemon, "auto_scaling_group_arn = \"ecs-nodes\" }",
                         "auto_scaling_group_arn = \"ecs-nodes\", managed_scaling = { status = "
                         "\"ENABLED\", target_capacity = 100 }, managed_termination_protection "
                         "= \"ENABLED\" }");
    t = with(t, "desired_capacity = 3", "desired_capacity = 3\nprotect_from_scale_in = true");
    t = with(t, "min_size = 3", "min_size = 1");
    t = with(t, "desired_count = 7\nlaunch_type = \"EC2\"",
             "desired_count = 1\ncapacity_provider_strategy = [{ capacity_provider = \"nodes\", "
             "weight = 1 }]");
    t = with(t, "duration = \"10m\"", "duration = \"20m\"");
    auto run = run_scenario(t);
    const auto changes = testing::desired_changes(*run);
    REQUIRE(changes.size() == 1);
    CHECK(changes[0] == std::pair<double, int>{900, 1});
    CHECK(running_by_host(*run, "agent") == std::map<std::string, int>{{"i-0001", 1}});
    CHECK(running_by_host(*run, "api") == std::map<std::string, int>{{"i-0001", 1}});
    CHECK(service_named(*run, "agent").count(TaskStatus::Stopped) == 2);
}

TEST_CASE("EC2 launch type: managed scaling's scale-in waits for instance_warmup_period",
          "[ecs][ec2]") {
    // Six m5.large for two tasks (spread over two AZs: two busy instances). From 60 s M = 2,
    // N = 6: CapacityProviderReservation 33 % < 100; the policy wants ceil(2 x 100 / 100) = 2,
    // clamped to min_size 3, after 15 minutes below the target.
    std::string t = with(kEc2, "auto_scaling_group_arn = \"ecs-nodes\" }",
                         "auto_scaling_group_arn = \"ecs-nodes\", managed_scaling = { status = "
                         "\"ENABLED\", target_capacity = 100 } }");
    t = with(t, "launch_type = \"EC2\"",
             "capacity_provider_strategy = [{ capacity_provider = \"nodes\", weight = 1 }]");
    t = with(t, "desired_capacity = 3", "desired_capacity = 6");
    t = with(t, "desired_count = 7", "desired_count = 2");
    t = with(t, "duration = \"10m\"", "duration = \"30m\"");
    SECTION("the default warm-up (300 s) is over long before: the 15th minute below, 900 s") {
        auto run = run_scenario(t);
        CHECK(run->world()
                  .ecs_capacity()[0]
                  ->providers()[0]
                  .spec.managed_scaling.instance_warmup_period == 300);
        const auto changes = testing::desired_changes(*run);
        REQUIRE(changes.size() == 1);
        CHECK(changes[0] == std::pair<double, int>{900, 3});
    }
    SECTION("instance_warmup_period 1200: the instances launched at 0 warm up until 1200 s") {
        auto run = run_scenario(with(t, "target_capacity = 100 }",
                                     "target_capacity = 100, instance_warmup_period = 1200 }"));
        const auto changes = testing::desired_changes(*run);
        REQUIRE(changes.size() == 1);
        CHECK(changes[0] == std::pair<double, int>{1200, 3});
    }
    // ECS's range is 0 to 10000 (CreateCapacityProvider): 0 is no warm-up, not the default.
    // Five instances, and a sixth launched at 700 s (an action): with the default 300 s it
    // warms up until 1000 s, so the scale-in due at the 15th minute below (900 s) waits for
    // the first minute after, 1020 s; with 0 it happens at 900 s.
    const std::string with_sixth =
        with(t, "desired_capacity = 6", "desired_capacity = 5") +
        "[[action]]\nat = \"700s\"\nset = { \"autoscaling_group.ecs-nodes.desired_capacity\" = "
        "6 }\n";
    SECTION(
        "a sixth instance launched at 700 s: the default warm-up holds the scale-in to 1020 s") {
        auto run = run_scenario(with_sixth);
        const auto changes = testing::desired_changes(*run);
        REQUIRE(changes.size() == 2);
        CHECK(changes[0] == std::pair<double, int>{700, 6});
        CHECK(changes[1] == std::pair<double, int>{1020, 3});
    }
    SECTION("instance_warmup_period 0: the sixth instance holds nothing, 900 s") {
        const Spec spec = load_text(with(with_sixth, "target_capacity = 100 }",
                                         "target_capacity = 100, instance_warmup_period = 0 }"),
                                    "ecs.toml", {}, ".");
        REQUIRE(spec.ecs_capacity_provider.at(0).managed_scaling.instance_warmup_period == 0);
        auto run = run_scenario(with(with_sixth, "target_capacity = 100 }",
                                     "target_capacity = 100, instance_warmup_period = 0 }"));
        const auto changes = testing::desired_changes(*run);
        REQUIRE(changes.size() == 2);
        CHECK(changes[0] == std::pair<double, int>{700, 6});
        CHECK(changes[1] == std::pair<double, int>{900, 3});
    }
}

TEST_CASE("EC2 launch type bills the container instances, not Fargate", "[ecs][ec2]") {
    auto run = run_scenario(kEc2);
    const auto& ledger = run->world().cost().ledger();
    // Three m5.large On-Demand (us-east-1 $0.096 an hour) for the 600 s run:
    // 3 x 600 / 3600 x 0.096 = $0.048.
    CHECK(ledger.total(cloud::LineItem::Ec2OnDemand) == Approx(0.048).epsilon(1e-9));
    CHECK(ledger.total(cloud::LineItem::Fargate) == 0);
    CHECK(run->world().fargate_task_hours() == 0);
}

TEST_CASE("EC2 launch type: what ECS refuses, at its key", "[ecs][ec2]") {
    SECTION("a strategy naming a provider the cluster does not have") {
        std::string t = with(kEc2, "capacity_providers = [\"nodes\"]", "capacity_providers = []");
        t = with(t, "launch_type = \"EC2\"",
                 "capacity_provider_strategy = [{ capacity_provider = \"nodes\", weight = 1 }]");
        CHECK(contains(about(errors_of(t), "ecs_service[api].capacity_provider_strategy").message,
                       "not associated with cluster `shop`"));
    }
    SECTION("bridge-mode tasks in a target group of ip targets") {
        const auto ds = errors_of(with(kEc2, "target_type = \"instance\"", "target_type = \"ip\""));
        CHECK(contains(about(ds, "ecs_service[api].load_balancer[0].target_group_arn").message,
                       "use target_type = \"instance\""));
    }
    SECTION("a binpack strategy on a field it does not take") {
        const auto ds = errors_of(with(kEc2, "launch_type = \"EC2\"",
                                       "launch_type = \"EC2\"\nordered_placement_strategy = [{ "
                                       "type = \"binpack\", field = \"instanceId\" }]"));
        CHECK(contains(about(ds, "ecs_service[api].ordered_placement_strategy[0].field").message,
                       "binpack takes cpu or memory"));
    }
    SECTION("managed termination protection without the group's scale-in protection") {
        const auto ds = errors_of(
            with(kEc2, "auto_scaling_group_arn = \"ecs-nodes\" }",
                 "auto_scaling_group_arn = \"ecs-nodes\", managed_termination_protection = "
                 "\"ENABLED\", managed_scaling = { status = \"ENABLED\" } }"));
        CHECK(contains(about(ds,
                             "ecs_capacity_provider[nodes].auto_scaling_group_provider."
                             "managed_termination_protection")
                           .message,
                       "protect_from_scale_in = true"));
    }
    SECTION("a cluster without container instances: a run refuses the EC2 service") {
        std::string t = with(kEc2, "capacity_providers = [\"nodes\"]", "capacity_providers = []");
        const auto ds = unsupported_features(load_text(t, "ecs.toml", {}, "."));
        REQUIRE(ds.size() == 1);
        CHECK(ds[0].key_path == "ecs_service[api].launch_type");
    }
}

// ---- Placement constraints (docs/model.md, "Placement constraints") -------------------------

// The message of the run's service events, in order.
std::vector<std::string> service_events(const report::Run& run) {
    std::vector<std::string> out;
    for (const auto& e : testing::json_events(run))
        if (e.type == "ecs_service_event") out.push_back(e.subjects["message"].get<std::string>());
    return out;
}

TEST_CASE("Cluster query language: the guide's expressions", "[ecs][placement]") {
    using scenario::ClusterQuery;
    scenario::ContainerInstanceFacts m5a;
    m5a.availability_zone = "us-east-1a";
    m5a.instance_type = "m5.large";
    m5a.subnet_id = "private-a";
    m5a.ec2_instance_id = "i-0001";
    m5a.running_tasks = 2;
    scenario::ContainerInstanceFacts t3b = m5a;
    t3b.availability_zone = "us-east-1b";
    t3b.instance_type = "t3.medium";
    t3b.running_tasks = 0;
    const auto q = [](const char* text) { return ClusterQuery::parse(text); };
    CHECK(q("attribute:ecs.instance-type == t3.medium").matches(t3b));
    CHECK_FALSE(q("attribute:ecs.instance-type == t3.medium").matches(m5a));
    CHECK(q("attribute:ecs.instance-type =~ t3.*").matches(t3b));
    CHECK_FALSE(q("attribute:ecs.instance-type =~ t3.*").matches(m5a));
    // The whole value must match: "t3" alone does not select t3.medium.
    CHECK_FALSE(q("attribute:ecs.instance-type =~ t3").matches(t3b));
    CHECK(q("attribute:ecs.availability-zone in [us-east-1a, us-east-1b]").matches(m5a));
    CHECK(q("attribute:ecs.availability-zone not_in [us-east-1a]").matches(t3b));
    CHECK_FALSE(q("attribute:ecs.availability-zone !in [us-east-1a]").matches(m5a));
    CHECK(q("attribute:ecs.instance-type =~ t3.* and attribute:ecs.availability-zone != "
            "us-east-1d")
              .matches(t3b));
    CHECK(q("attribute:ecs.instance-type =~ t3.* or attribute:ecs.availability-zone == "
            "us-east-1a")
              .matches(m5a));
    CHECK(q("not(attribute:ecs.availability-zone == us-east-1a)").matches(t3b));
    CHECK_FALSE(q("!(attribute:ecs.availability-zone == us-east-1a)").matches(m5a));
    // and binds tighter than or.
    CHECK(q("attribute:ecs.availability-zone == us-east-1a or attribute:ecs.instance-type == "
            "x && runningTasksCount > 5")
              .matches(m5a));
    CHECK(q("runningTasksCount == 0").matches(t3b));
    CHECK(q("runningTasksCount >= 2").matches(m5a));
    CHECK(q("ec2InstanceId in ['i-0001', 'i-0009']").matches(m5a));
    CHECK(q("attribute:ecs.subnet-id == private-a").matches(m5a));
    CHECK(q("attribute:ecs.os-type == linux").matches(m5a));
    CHECK(q("attribute:ecs.cpu-architecture == x86_64").matches(m5a));
    // A custom attribute no instance has: exists is false, !exists true.
    CHECK_FALSE(q("attribute:stack exists").matches(m5a));
    CHECK(q("attribute:stack !exists").matches(m5a));
    CHECK_FALSE(q("attribute:stack == prod").matches(m5a));
    CHECK(cloud::cpu_architecture_of("t4g.small") == "arm64");
    CHECK(cloud::cpu_architecture_of("m6gd.large") == "arm64");
    CHECK(cloud::cpu_architecture_of("g5.xlarge") == "x86_64");
    CHECK(cloud::cpu_architecture_of("m7i-flex.large") == "x86_64");
    for (const char* bad :
         {"attribute:ecs.instance-type", "attribute:ecs.instance-typo == t3.micro",
          "task:group == service:agent", "attribute:ecs.availability-zone in us-east-1a",
          "attribute:ecs.availability-zone == us-east-1a and", "(runningTasksCount == 0",
          "runningTasksCount == many", "attribute:ecs.instance-type > 3",
          "attribute:ecs.instance-type =~ t3.[", "attribute:ecs.instance-type ~= t3.*"}) {
        INFO(bad);
        CHECK_THROWS_AS(q(bad), scenario::ClusterQueryError);
    }
}

TEST_CASE("EC2 launch type: memberOf keeps tasks off the instances it does not select",
          "[ecs][ec2][placement]") {
    // m5.large: 2048 CPU units, two tasks of 1024 each. Only us-east-1a and us-east-1b: four
    // tasks fit (i-0001, i-0002), the fifth waits although i-0003 (us-east-1c) has room.
    std::string t = with(kEc2, "desired_count = 7",
                         "desired_count = 5\nplacement_constraints = [{ type = \"memberOf\", "
                         "expression = \"attribute:ecs.availability-zone in [us-east-1a, "
                         "us-east-1b]\" }]");
    auto run = run_scenario(t);
    const auto& service = *run->world().ecs_services()[0];
    REQUIRE(service.tasks().size() == 5);
    CHECK(service.count(TaskStatus::Running) == 4);
    std::map<std::string, int> per_host;
    for (int i = 1; i <= 5; ++i)
        ++per_host[host_of(*run, fmt::format("api-task-{}", i))];
    CHECK(per_host == std::map<std::string, int>{{"", 1}, {"i-0001", 2}, {"i-0002", 2}});
    // The event is logged when the service is created at 0 s: no instance is registered yet
    // (they boot for 35 s); again with the closest-matching instance's reason once they are.
    const auto events = service_events(*run);
    REQUIRE(events.size() == 2);
    // i-0003 (us-east-1c) has room but memberOf rules it out: it passed the most checks.
    CHECK(contains(events[1],
                   "The closest matching container-instance i-0003 encountered error "
                   "\"MemberOf placement constraint unsatisfied.\""));
    CHECK(events[0] ==
          "(service api) was unable to place a task because no container instance met all of "
          "its requirements. Reason: No Container Instances were found in your cluster.");
}

TEST_CASE("EC2 launch type: distinctInstance, one task of the service per instance",
          "[ecs][ec2][placement]") {
    SECTION("four tasks, three instances: the fourth waits with ECS's event") {
        std::string t = with(kEc2, "desired_count = 7",
                             "desired_count = 4\nplacement_constraints = [{ type = "
                             "\"distinctInstance\" }]");
        auto run = run_scenario(t);
        const auto& service = *run->world().ecs_services()[0];
        CHECK(service.count(TaskStatus::Running) == 3);
        std::set<std::string> hosts;
        for (int i = 1; i <= 3; ++i)
            hosts.insert(host_of(*run, fmt::format("api-task-{}", i)));
        CHECK(hosts == std::set<std::string>{"i-0001", "i-0002", "i-0003"});
        const auto events = service_events(*run);
        REQUIRE(events.size() == 2);
        CHECK(contains(events[0], "No Container Instances were found in your cluster."));
        CHECK(contains(events[1], "The closest matching container-instance i-000"));
    }
    SECTION("with the task definition's memberOf: both apply") {
        std::string t = with(kEc2, "desired_count = 7",
                             "desired_count = 3\nplacement_constraints = [{ type = "
                             "\"distinctInstance\" }]");
        t = with(t, "network_mode = \"bridge\"",
                 "network_mode = \"bridge\"\nplacement_constraints = [{ type = \"memberOf\", "
                 "expression = \"not(attribute:ecs.availability-zone == us-east-1c)\" }]");
        auto run = run_scenario(t);
        const auto& service = *run->world().ecs_services()[0];
        CHECK(service.count(TaskStatus::Running) == 2);
        CHECK(host_of(*run, "api-task-3").empty());
    }
    SECTION("managed scaling launches an instance for the task distinctInstance holds back") {
        // M counts one new instance per waiting task of the service: 4 tasks need 4
        // instances, target 100 %: desired 3 -> 4, and the fourth task runs there.
        std::string t = with(kEc2, "desired_count = 7",
                             "desired_count = 4\nplacement_constraints = [{ type = "
                             "\"distinctInstance\" }]");
        t = with(t, "auto_scaling_group_arn = \"ecs-nodes\" }",
                 "auto_scaling_group_arn = \"ecs-nodes\", managed_scaling = { status = "
                 "\"ENABLED\", target_capacity = 100 } }");
        t = with(t, "launch_type = \"EC2\"",
                 "capacity_provider_strategy = [{ capacity_provider = \"nodes\", weight = 1 }]");
        auto run = run_scenario(t);
        const auto& service = *run->world().ecs_services()[0];
        const auto changes = testing::desired_changes(*run);
        REQUIRE_FALSE(changes.empty());
        CHECK(changes[0].second == 4);
        CHECK(service.count(TaskStatus::Running) == 4);
        CHECK(host_of(*run, "api-task-4") == "i-0004");
    }
}

TEST_CASE("Placement constraints: what ECS refuses, at its key", "[ecs][placement]") {
    SECTION("Fargate takes none") {
        const auto ds = errors_of(with(kFargate, "health_check_grace_period_seconds = 150",
                                       "placement_constraints = [{ type = \"distinctInstance\" "
                                       "}]"));
        CHECK(contains(about(ds, "ecs_service[api].placement_constraints").message,
                       "aren't supported on Fargate"));
    }
    SECTION("distinctInstance in a task definition") {
        const auto ds = errors_of(with(kEc2, "network_mode = \"bridge\"",
                                       "network_mode = \"bridge\"\nplacement_constraints = [{ "
                                       "type = \"distinctInstance\" }]"));
        CHECK(contains(about(ds, "ecs_task_definition[api].placement_constraints[0].type").message,
                       "not supported in a task definition"));
    }
    SECTION("an expression on distinctInstance, none on memberOf, a malformed one") {
        const auto ds = errors_of(
            with(kEc2, "launch_type = \"EC2\"",
                 "launch_type = \"EC2\"\nplacement_constraints = [{ type = \"distinctInstance\", "
                 "expression = \"runningTasksCount == 0\" }, { type = \"memberOf\" }, { type = "
                 "\"memberOf\", expression = \"attribute:ecs.instance-type =~\" }]"));
        CHECK(contains(about(ds, "ecs_service[api].placement_constraints[0].expression").message,
                       "can't specify an expression"));
        CHECK(contains(about(ds, "ecs_service[api].placement_constraints[1].expression").message,
                       "memberOf needs an expression"));
        CHECK(contains(about(ds, "ecs_service[api].placement_constraints[2].expression").message,
                       "expected a value at the end"));
    }
    SECTION("more than 10 with the task definition's") {
        std::string many;
        for (int i = 0; i < 11; ++i)
            many += std::string(i ? ", " : "") +
                    "{ type = \"memberOf\", expression = \"runningTasksCount >= 0\" }";
        const auto ds =
            errors_of(with(kEc2, "launch_type = \"EC2\"",
                           "launch_type = \"EC2\"\nplacement_constraints = [" + many + "]"));
        CHECK(contains(about(ds, "ecs_service[api].placement_constraints").message, "at most 10"));
    }
}

namespace {
// A held-out case for docs/pricing.md's "ECR and Container Insights": a cluster with Container
// Insights and three Fargate services of two tasks (one family each, one container), their
// image of 2,300 MB in an ECR repository of us-west-2, run in us-east-1 for 10 days of
// November 2026 (720 hours) with no traffic.
std::string insights_cluster(const std::string& setting) {
    std::string t = R"([simulation]
duration = "240h"
start_time = "2026-11-01T00:00:00Z"
[vpc]
cidr_block = "10.0.0.0/16"
[[subnet]]
name = "public-a"
cidr_block = "10.0.1.0/24"
availability_zone = "us-east-1a"
route = "igw"
[[ecs_cluster]]
name = "shop"
SETTING
)";
    t = with(t, "SETTING", setting);
    for (const char* name : {"api", "web", "worker"})
        t += fmt::format(R"([[ecs_task_definition]]
family = "{0}"
cpu = 256
memory = 512
requires_compatibilities = ["FARGATE"]
network_mode = "awsvpc"
image_size_mb = 2300
container_definitions = '[{{"name": "{0}", "image": "123456789012.dkr.ecr.us-west-2.amazonaws.com/shop:v1", "essential": true}}]'
[[ecs_service]]
name = "{0}"
cluster = "shop"
task_definition = "{0}"
desired_count = 2
launch_type = "FARGATE"
network_configuration = {{ subnets = ["public-a"], assign_public_ip = true }}
)",
                         name);
    return t;
}

}  // namespace

TEST_CASE("ECR storage and Container Insights: a held-out cluster, by hand", "[ecs][billing]") {
    const std::string on = R"(setting = [{ name = "containerInsights", value = "enabled" }])";
    const Spec spec = load_text(insights_cluster(on), "ecs.toml", {}, ".");
    REQUIRE(spec.region.name == "us-east-1");
    REQUIRE(spec.ecs_service.size() == 3);
    REQUIRE(container_insights(spec.ecs_cluster[0]));
    auto run = run_scenario(insights_cluster(on));
    const auto& ledger = run->world().cost().ledger();
    // PENDING at 20 s, 2,300 MB at 25 MB/s: RUNNING at 112 s, each of the six tasks.
    const double running = time_of(task_events(*run, "api-task-1"), "RUNNING");
    CHECK(running == 112);
    CHECK(run->world().ecs_services()[2]->count(TaskStatus::Running) == 2);
    // One image (three task definitions name it): 2.3 GB x 240 / 720 h x 0.10 = $0.0767.
    CHECK(line_total(*run, cloud::LineItem::Ecr) == Approx(2.3 * 240 / 720 * 0.10).epsilon(1e-9));
    // Six pulls from us-west-2's repository: 6 x 2.3 GB x 0.02 = $0.276 of data transfer
    // (no NAT: public subnets).
    CHECK(line_total(*run, cloud::LineItem::DataTransfer) == Approx(6 * 2.3 * 0.02).epsilon(1e-9));
    CHECK(line_total(*run, cloud::LineItem::NatGateway) == 0);
    // Metrics: 10 + 3 x 13 + 3 x 8 = 73 for 240 of 720 hours x 0.30 = $7.30. Log events: the
    // cluster's and the services' 4 a minute for 14,400 minutes, the six tasks' 2 a minute
    // from 112 s, 1,000 bytes each, x 0.50 per GB: about $0.1152.
    double metrics = 0, logs = 0, stored = 0, stored_gb_months = 0;
    for (const auto& l : ledger.lines()) {
        if (l.spec.line_item != cloud::LineItem::CloudWatch) continue;
        CHECK(l.spec.resource_id == "containerinsights/shop");
        if (l.spec.usage_type == "TimedStorage-ByteHrs") {
            stored += l.cost;
            stored_gb_months += l.usage_quantity;
        } else {
            (l.spec.usage_type == "CW:MetricMonitorUsage" ? metrics : logs) += l.cost;
        }
    }
    CHECK(metrics == Approx(73.0 * 240 / 720 * 0.30).epsilon(1e-9));
    const double events = 4 * 14400 + 6 * 2 * (14400 - running / 60);
    CHECK(logs == Approx(events * 1000 / 1e9 * 0.50).epsilon(1e-9));
    CHECK(logs == Approx(0.1152).epsilon(1e-3));
    // Log storage: the events are kept (no retention), 1e-6 GB each. In GB-minutes, the 4 a
    // minute from 0 give 1e-6 x 4 T^2 / 2 and the 12 a minute from a = 112 s give
    // 1e-6 x 12 (T - a)^2 / 2, T = 14,400 minutes: 1,658.56 GB-minutes = 0.038393 GB-months
    // of the 720-hour month, x 0.03 = $0.0011518.
    const double a = running / 60;
    const double gb_minutes = 1e-6 * (2 * 14400.0 * 14400 + 6 * (14400 - a) * (14400 - a));
    CHECK(stored_gb_months == Approx(gb_minutes / 60 / 720).epsilon(1e-9));
    CHECK(stored_gb_months == Approx(0.038393).epsilon(1e-4));
    CHECK(stored == Approx(0.0011518).epsilon(1e-3));

    SECTION("on EC2 container instances: ContainerInstanceCount is one metric more") {
        // kEc2's cluster (a capacity provider of an Auto Scaling group, one EC2 service of one
        // family) for its first hour of November: 11 + 13 + 8 = 32 metrics for 1 of 720 hours.
        std::string t = with(kEc2, "name = \"shop\"\n[[ecs_capacity_provider]]",
                             "name = \"shop\"\n" + on + "\n[[ecs_capacity_provider]]");
        t = with(t, "duration = \"10m\"",
                 "duration = \"10m\"\nstart_time = \"2026-11-01T00:00:00Z\"");
        auto ec2 = run_scenario(t);
        double ec2_metrics = 0;
        for (const auto& l : ec2->world().cost().ledger().lines())
            if (l.spec.usage_type == "CW:MetricMonitorUsage") ec2_metrics += l.usage_quantity;
        CHECK(ec2_metrics == Approx(32.0 / 720).epsilon(1e-9));
    }
    SECTION("without Container Insights: no CloudWatch line, the same ECR storage") {
        auto off = run_scenario(insights_cluster(""));
        CHECK(line_total(*off, cloud::LineItem::CloudWatch) == 0);
        CHECK(line_total(*off, cloud::LineItem::Ecr) == line_total(*run, cloud::LineItem::Ecr));
        for (const auto& l : off->world().cost().ledger().lines())
            CHECK(l.spec.line_item != cloud::LineItem::CloudWatch);
    }
}

}  // namespace test_ecs
