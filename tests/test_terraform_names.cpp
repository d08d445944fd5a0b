// A scenario written with the Terraform AWS provider's names and shapes loads as the same
// scenario written with stratus's flat keys; keys that configure what stratus does not model
// load and are listed (never ignored silently).
#include <catch2/catch.hpp>

#include <string>
#include <utility>

#include "sim/scenario/loader.hpp"

namespace test_terraform_names {

using namespace stratus::scenario;

namespace {

// As a platform engineer pastes it from Terraform (arguments of aws_launch_template,
// aws_lb_target_group, aws_lb_listener, aws_autoscaling_group, aws_autoscaling_policy).
const std::string kTerraformShaped = R"(
[simulation]
duration = "30m"
[region]
name = "eu-west-1"

[[launch_template]]
name = "web"
image_id = "ami-0abcdef1234567890"
instance_type = "c6i.large"
key_name = "ops"
user_data = "IyEvYmluL2Jhc2g="
vpc_security_group_ids = []
[launch_template.metadata_options]
http_tokens = "required"

[[load_balancer]]
name = "web"
enable_deletion_protection = false

[[target_group]]
name = "web"
port = 8080
protocol = "HTTP"
vpc_id = "vpc-1234"
[target_group.health_check]
path = "/healthz"
protocol = "HTTP"
port = "traffic-port"
matcher = "200-299"
interval = 15
healthy_threshold = 3

[[lb_listener]]
load_balancer = "web"
port = 80
protocol = "HTTP"
[[lb_listener.default_action]]
type = "forward"
target_group_arn = "web"

[[autoscaling_group]]
name = "web"
min_size = 2
max_size = 6
vpc_zone_identifier = []
availability_zones = ["eu-west-1a", "eu-west-1b"]
target_group_arns = ["web"]
wait_for_capacity_timeout = "0"
[autoscaling_group.mixed_instances_policy.instances_distribution]
on_demand_base_capacity = 1
on_demand_percentage_above_base_capacity = 50
spot_allocation_strategy = "capacity-optimized"
[autoscaling_group.mixed_instances_policy.launch_template.launch_template_specification]
launch_template_name = "web"
version = "$Latest"
[[autoscaling_group.mixed_instances_policy.launch_template.override]]
instance_type = "c6i.large"
[[autoscaling_group.mixed_instances_policy.launch_template.override]]
instance_type = "m6i.large"
weighted_capacity = "1"
[[autoscaling_group.tag]]
key = "Team"
value = "shop"
propagate_at_launch = true
[[autoscaling_group.tag]]
key = "Owner"
value = "platform"
propagate_at_launch = false

[[autoscaling_policy]]
name = "cpu"
autoscaling_group = "web"
policy_type = "TargetTrackingScaling"
[autoscaling_policy.target_tracking_configuration]
target_value = 50
[autoscaling_policy.target_tracking_configuration.predefined_metric_specification]
predefined_metric_type = "ASGAverageCPUUtilization"
)";

// The same, in stratus's own keys.
const std::string kFlat = R"(
[simulation]
duration = "30m"
[region]
name = "eu-west-1"
[[launch_template]]
name = "web"
instance_type = "c6i.large"
security_groups = []
[[load_balancer]]
name = "web"
[[target_group]]
name = "web"
port = 8080
health_check = { interval = 15, healthy_threshold = 3 }
[[lb_listener]]
load_balancer = "web"
port = 80
target_group = "web"
[[autoscaling_group]]
name = "web"
launch_template = "web"
min_size = 2
max_size = 6
subnets = []
availability_zones = ["eu-west-1a", "eu-west-1b"]
target_groups = ["web"]
tags = { Team = "shop" }
[autoscaling_group.mixed_instances_policy]
on_demand_base_capacity = 1
on_demand_percentage_above_base_capacity = 50
spot_allocation_strategy = "capacity-optimized"
instance_types = ["c6i.large", "m6i.large"]
[[autoscaling_policy]]
name = "cpu"
autoscaling_group = "web"
policy_type = "TargetTrackingScaling"
target_tracking_configuration = { predefined_metric_type = "ASGAverageCPUUtilization", target_value = 50 }
)";

bool listed(const Spec& spec, const std::string& key_path) {
    for (const auto& k : spec.not_modelled)
        if (k.key_path == key_path) return true;
    return false;
}

std::string error_of(const std::string& text) {
    try {
        load_text(text, "tf.toml");
    } catch (const ScenarioError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("Terraform's names and shapes load as the flat keys do", "[loader][terraform_names]") {
    const Spec tf = load_text(kTerraformShaped, "tf.toml");
    const Spec flat = load_text(kFlat, "tf.toml");
    REQUIRE(tf.autoscaling_group.size() == 1);
    const auto& g = tf.autoscaling_group[0];
    CHECK(g.launch_template == "web");
    CHECK(g.target_groups == std::vector<std::string>{"web"});
    REQUIRE(g.mixed_instances_policy);
    CHECK(g.mixed_instances_policy->on_demand_base_capacity == 1);
    CHECK(g.mixed_instances_policy->on_demand_percentage_above_base_capacity == 50);
    CHECK(g.mixed_instances_policy->instance_types ==
          std::vector<std::string>{"c6i.large", "m6i.large"});
    CHECK(g.tags == Tags{{"Team", "shop"}});
    REQUIRE(tf.lb_listener.size() == 1);
    CHECK(tf.lb_listener[0].target_group == "web");
    REQUIRE(tf.autoscaling_policy.size() == 1);
    REQUIRE(tf.autoscaling_policy[0].target_tracking_configuration);
    CHECK(tf.autoscaling_policy[0].target_tracking_configuration->target_value == 50);
    CHECK(tf.target_group[0].health_check.interval == 15);
    // The resolved scenarios are the same scenario.
    CHECK(explain(tf) == explain(flat));
    // What is not modelled is listed, at its key.
    for (const char* k :
         {"launch_template[web].image_id", "launch_template[web].key_name",
          "launch_template[web].user_data", "launch_template[web].metadata_options",
          "load_balancer[web].enable_deletion_protection", "target_group[web].protocol",
          "target_group[web].vpc_id", "target_group[web].health_check.path",
          "target_group[web].health_check.protocol", "target_group[web].health_check.port",
          "target_group[web].health_check.matcher", "lb_listener[0].protocol",
          "autoscaling_group[web].wait_for_capacity_timeout",
          "autoscaling_group[web].mixed_instances_policy.launch_template.override[1]."
          "weighted_capacity",
          "autoscaling_group[web].tag[1]"}) {
        INFO(k);
        CHECK(listed(tf, k));
    }
    CHECK(flat.not_modelled.empty());
    for (const auto& k : tf.not_modelled)
        CHECK(k.pos.line > 0);
}

TEST_CASE("Terraform's predefined_metric_type: the four predefined metrics of EC2 Auto Scaling",
          "[loader][terraform_names]") {
    // EC2 Auto Scaling's predefined metrics for target tracking (API reference,
    // PredefinedMetricSpecification): ASGAverageCPUUtilization, ASGAverageNetworkIn,
    // ASGAverageNetworkOut, ALBRequestCountPerTarget. Each loads from Terraform's
    // predefined_metric_specification block; another name is refused at its line and key.
    const std::string from = "predefined_metric_type = \"ASGAverageCPUUtilization\"";
    const std::pair<const char*, PredefinedMetricType> metrics[] = {
        {"ASGAverageCPUUtilization", PredefinedMetricType::ASGAverageCPUUtilization},
        {"ASGAverageNetworkIn", PredefinedMetricType::ASGAverageNetworkIn},
        {"ASGAverageNetworkOut", PredefinedMetricType::ASGAverageNetworkOut},
        {"ALBRequestCountPerTarget", PredefinedMetricType::ALBRequestCountPerTarget}};
    for (const auto& [name, type] : metrics) {
        INFO(name);
        std::string t = kTerraformShaped;
        const auto at = t.find(from);
        REQUIRE(at != std::string::npos);
        t.replace(at, from.size(), std::string("predefined_metric_type = \"") + name + "\"");
        const Spec spec = load_text(t, "tf.toml");
        REQUIRE(spec.autoscaling_policy.size() == 1);
        REQUIRE(spec.autoscaling_policy[0].target_tracking_configuration);
        CHECK(spec.autoscaling_policy[0].target_tracking_configuration->predefined_metric_type ==
              type);
        CHECK_THAT(explain(spec),
                   Catch::Contains(std::string("predefined_metric_type = \"") + name + "\""));
    }
    std::string bad = kTerraformShaped;
    bad.replace(bad.find(from), from.size(), "predefined_metric_type = \"ASGAverageNetworkBytes\"");
    const std::string error = error_of(bad);
    CHECK_THAT(error, Catch::Contains("predefined_metric_type"));
    CHECK_THAT(error, Catch::Contains("ASGAverageNetworkOut"));
}

TEST_CASE("Terraform's shapes: giving both forms, or a shape stratus cannot model, is an error",
          "[loader][terraform_names]") {
    auto with = [](const std::string& from, const std::string& to) {
        std::string t = kTerraformShaped;
        const auto at = t.find(from);
        REQUIRE(at != std::string::npos);
        return t.replace(at, from.size(), to);
    };
    CHECK_THAT(error_of(with("protocol = \"HTTP\"\n[[lb_listener.default_action]]",
                             "target_group = \"web\"\n[[lb_listener.default_action]]")),
               Catch::Contains("either `target_group` or `default_action`"));
    CHECK_THAT(error_of(with("type = \"forward\"", "type = \"redirect\"")),
               Catch::Contains("forward"));
    CHECK_THAT(error_of(with("[autoscaling_policy.target_tracking_configuration]\n",
                             "[autoscaling_policy.target_tracking_configuration]\n"
                             "predefined_metric_type = \"ASGAverageCPUUtilization\"\n")),
               Catch::Contains("not both"));
    CHECK_THAT(error_of(with("version = \"$Latest\"", "version = \"latest\"")),
               Catch::Contains("a version number"));
    CHECK_THAT(error_of(with("launch_template_name = \"web\"", "launch_template_name = \"\"")),
               Catch::Contains("launch_template"));
    CHECK_THAT(error_of(with("[[lb_listener.default_action]]\ntype = \"forward\"\n"
                             "target_group_arn = \"web\"\n",
                             "")),
               Catch::Contains("target_group"));
}

}  // namespace test_terraform_names
