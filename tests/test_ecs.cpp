// ECS on Fargate (docs/model.md, "ECS on Fargate"): the sections as Terraform writes them,
// the checks CreateService and RegisterTaskDefinition make (Fargate's task sizes, awsvpc,
// the container and port a target group forwards to), each error at its file, line, column
// and key.
#include <catch2/catch.hpp>

#include "sim/scenario/loader.hpp"

using namespace stratus;
using namespace stratus::scenario;

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
network_configuration = { subnets = ["public-a", "public-b"] }
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
    CHECK_FALSE(s.assign_public_ip);
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
        const auto ds = errors_of(with(
            kFargate, "network_configuration = { subnets = [\"public-a\", \"public-b\"] }\n", ""));
        CHECK(contains(about(ds, "ecs_service[api]").message,
                       "needs network_configuration = { subnets = [...] }"));
    }
    SECTION("an unknown subnet") {
        const auto ds = errors_of(with(kFargate, "subnets = [\"public-a\", \"public-b\"] }",
                                       "subnets = [\"public-a\", \"public-z\"] }"));
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
