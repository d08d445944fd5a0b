// A scenario written with the Terraform AWS provider's names and shapes loads as the same
// scenario written with stratus's flat keys; keys that configure what stratus does not model
// load and are listed (never ignored silently).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "sim/cloud/network.hpp"
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

namespace {

// A second scenario pasted from Terraform, not the one the names were first built for: a VPC
// with security groups in Terraform's rule shape (from_port/to_port/protocol, a list of source
// groups, egress blocks), Terraform's group block launch_template { id, version }, the
// policies' and schedule's autoscaling_group_name, the listener's load_balancer_arn, an alarm
// notifying an SNS topic, and a DB instance with the arguments every aws_db_instance carries.
const std::string kThreeTierTerraform = R"(
[simulation]
duration = "30m"
[region]
name = "ap-northeast-2"
[vpc]
cidr_block = "10.10.0.0/16"
enable_dns_hostnames = true
[[subnet]]
name = "pub_a"
vpc_id = "main"
cidr_block = "10.10.1.0/24"
availability_zone = "ap-northeast-2a"
route = "igw"
[[subnet]]
name = "pub_c"
cidr_block = "10.10.2.0/24"
availability_zone = "ap-northeast-2c"
route = "igw"
[[security_group]]
name = "alb_sg"
description = "ALB"
[[security_group.ingress]]
from_port = 80
to_port = 80
protocol = "tcp"
cidr_blocks = ["0.0.0.0/0"]
description = "HTTP"
[[security_group.egress]]
from_port = 0
to_port = 0
protocol = "-1"
cidr_blocks = ["0.0.0.0/0"]
[[security_group]]
name = "web_sg"
[[security_group.ingress]]
from_port = 8000
to_port = 8100
protocol = "tcp"
security_groups = ["alb_sg"]
cidr_blocks = ["10.10.0.0/16"]
[[security_group]]
name = "db_sg"
[[security_group.ingress]]
from_port = 0
to_port = 0
protocol = "-1"
security_groups = ["web_sg"]
[[launch_template]]
name = "web"
instance_type = "c6i.large"
vpc_security_group_ids = ["web_sg"]
[[load_balancer]]
name = "web-alb"
security_groups = ["alb_sg"]
subnets = ["pub_a", "pub_c"]
[[target_group]]
name = "web-tg"
port = 8080
[[lb_listener]]
load_balancer_arn = "web-alb"
port = 80
[[lb_listener.default_action]]
type = "forward"
target_group_arn = "web-tg"
[[autoscaling_group]]
name = "web-asg"
min_size = 2
max_size = 10
vpc_zone_identifier = ["pub_a", "pub_c"]
target_group_arns = ["web-tg"]
[autoscaling_group.launch_template]
id = "web"
version = "$Latest"
[[autoscaling_policy]]
name = "scale-out"
autoscaling_group_name = "web-asg"
scaling_adjustment = 2
[[cloudwatch_metric_alarm]]
alarm_name = "cpu-high"
alarm_description = "CPU high"
namespace = "AWS/EC2"
metric_name = "CPUUtilization"
dimensions = { AutoScalingGroupName = "web-asg" }
comparison_operator = "GreaterThanOrEqualToThreshold"
threshold = 80
period = 120
alarm_actions = ["scale-out", "arn:aws:sns:ap-northeast-2:123456789012:ops"]
[[autoscaling_schedule]]
scheduled_action_name = "morning"
autoscaling_group_name = "web-asg"
desired_capacity = 4
recurrence = "0 0 * * *"
[[db_instance]]
identifier = "appdb"
engine = "mysql"
engine_version = "8.0"
instance_class = "db.t3.micro"
username = "admin"
password = "secret"
skip_final_snapshot = true
vpc_security_group_ids = ["db_sg"]
[[workload]]
name = "web"
load_balancer = "web-alb"
rate = 100
service_time = "20ms"
database = "appdb"
)";

// The same in stratus's own keys: each Terraform rule is one rule with its port range.
const std::string kThreeTierFlat = R"(
[simulation]
duration = "30m"
[region]
name = "ap-northeast-2"
[vpc]
cidr_block = "10.10.0.0/16"
[[subnet]]
name = "pub_a"
cidr_block = "10.10.1.0/24"
availability_zone = "ap-northeast-2a"
route = "igw"
[[subnet]]
name = "pub_c"
cidr_block = "10.10.2.0/24"
availability_zone = "ap-northeast-2c"
route = "igw"
[[security_group]]
name = "alb_sg"
ingress = [{ port = 80, cidr_blocks = ["0.0.0.0/0"] }]
[[security_group]]
name = "web_sg"
ingress = [{ port = 8000, to_port = 8100, cidr_blocks = ["10.10.0.0/16"], source_security_group = "alb_sg" }]
[[security_group]]
name = "db_sg"
ingress = [{ port = 0, to_port = 65535, source_security_group = "web_sg" }]
[[launch_template]]
name = "web"
instance_type = "c6i.large"
security_groups = ["web_sg"]
[[load_balancer]]
name = "web-alb"
security_groups = ["alb_sg"]
subnets = ["pub_a", "pub_c"]
[[target_group]]
name = "web-tg"
port = 8080
[[lb_listener]]
load_balancer = "web-alb"
port = 80
target_group = "web-tg"
[[autoscaling_group]]
name = "web-asg"
launch_template = "web"
min_size = 2
max_size = 10
subnets = ["pub_a", "pub_c"]
target_groups = ["web-tg"]
[[autoscaling_policy]]
name = "scale-out"
autoscaling_group = "web-asg"
scaling_adjustment = 2
[[cloudwatch_metric_alarm]]
alarm_name = "cpu-high"
namespace = "AWS/EC2"
metric_name = "CPUUtilization"
dimensions = { AutoScalingGroupName = "web-asg" }
comparison_operator = "GreaterThanOrEqualToThreshold"
threshold = 80
period = 120
alarm_actions = ["scale-out"]
[[autoscaling_schedule]]
scheduled_action_name = "morning"
autoscaling_group = "web-asg"
desired_capacity = 4
recurrence = "0 0 * * *"
[[db_instance]]
identifier = "appdb"
engine = "mysql"
instance_class = "db.t3.micro"
security_groups = ["db_sg"]
[[workload]]
name = "web"
load_balancer = "web-alb"
rate = 100
service_time = "20ms"
database = "appdb"
)";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

const stratus::cloud::Flow& flow(const std::vector<stratus::cloud::Flow>& flows,
                                 stratus::cloud::Flow::Kind kind) {
    const auto it = std::find_if(flows.begin(), flows.end(),
                                 [&](const stratus::cloud::Flow& f) { return f.kind == kind; });
    REQUIRE(it != flows.end());
    return *it;
}

}  // namespace

TEST_CASE(
    "A second Terraform-shaped scenario: security group rules, the group's launch_template "
    "block, autoscaling_group_name, load_balancer_arn, an RDS instance's arguments",
    "[loader][terraform_names]") {
    const Spec tf = load_text(kThreeTierTerraform, "tf.toml");
    const Spec flat = load_text(kThreeTierFlat, "tf.toml");
    CHECK(explain(tf) == explain(flat));
    REQUIRE(tf.autoscaling_group.size() == 1);
    CHECK(tf.autoscaling_group[0].launch_template == "web");
    CHECK(tf.autoscaling_policy.at(0).autoscaling_group == "web-asg");
    CHECK(tf.autoscaling_schedule.at(0).autoscaling_group == "web-asg");
    CHECK(tf.lb_listener.at(0).load_balancer == "web-alb");
    CHECK(tf.db_instance.at(0).security_groups == std::vector<std::string>{"db_sg"});
    // The SNS notification is not a scaling policy: the alarm runs the policy alone.
    CHECK(tf.cloudwatch_metric_alarm.at(0).alarm_actions == std::vector<std::string>{"scale-out"});
    REQUIRE(tf.security_group.size() == 3);
    const IngressRuleSpec& web = tf.security_group[1].ingress.at(0);
    CHECK(web.port == 8000);
    CHECK(web.last_port() == 8100);
    CHECK(web.source_security_groups == std::vector<std::string>{"alb_sg"});
    CHECK(web.cidr_blocks == std::vector<std::string>{"10.10.0.0/16"});
    // protocol "-1": every port, whatever from_port and to_port say (Terraform writes 0, 0).
    CHECK(tf.security_group[2].ingress.at(0).covers(3306));
    // An egress block is an outbound rule (protocol "-1": every port to 0.0.0.0/0); a group
    // without one keeps AWS's default rule, which is the same.
    REQUIRE(tf.security_group[0].egress.size() == 1);
    CHECK(tf.security_group[0].egress[0].covers(0));
    CHECK(tf.security_group[0].egress[0].covers(65535));
    CHECK(tf.security_group[0].egress[0].cidr_blocks == std::vector<std::string>{"0.0.0.0/0"});
    REQUIRE(tf.security_group[1].egress.size() == 1);
    CHECK(tf.security_group[1].egress[0].covers(3306));
    for (const char* k :
         {"vpc.enable_dns_hostnames", "subnet[pub_a].vpc_id", "security_group[alb_sg].description",
          "security_group[alb_sg].ingress[0].description",
          "cloudwatch_metric_alarm[cpu-high].alarm_description",
          "cloudwatch_metric_alarm[cpu-high].alarm_actions", "db_instance[appdb].engine_version",
          "db_instance[appdb].username", "db_instance[appdb].password",
          "db_instance[appdb].skip_final_snapshot"}) {
        INFO(k);
        CHECK(listed(tf, k));
    }
    CHECK(flat.not_modelled.empty());

    // The rules decide the flows: the load balancer reaches 8080 inside 8000-8100 from alb_sg,
    // and the database takes every port from web_sg.
    const auto flows = stratus::cloud::analyse_flows(tf);
    using K = stratus::cloud::Flow::Kind;
    CHECK(flow(flows, K::LoadBalancerToTargets).open);
    CHECK(flow(flows, K::AppToDatabase).open);
    // A range that stops below the target group's port closes the hop, named with that port.
    const Spec below =
        load_text(replaced(kThreeTierTerraform, "to_port = 8100", "to_port = 8079"), "tf.toml");
    const auto below_flows = stratus::cloud::analyse_flows(below);
    const auto& closed = flow(below_flows, K::LoadBalancerToTargets);
    CHECK_FALSE(closed.open);
    CHECK(closed.port == 8080);
    // UDP passes none of the modelled (TCP) flows, and the loader says so at the rule.
    const Spec udp = load_text(replaced(kThreeTierTerraform, "protocol = \"-1\"\nsecurity_groups",
                                        "protocol = \"udp\"\nsecurity_groups"),
                               "tf.toml");
    CHECK_FALSE(flow(stratus::cloud::analyse_flows(udp), K::AppToDatabase).open);
    CHECK(listed(udp, "security_group[db_sg].ingress[0].protocol"));
    // self = true: the members of the group itself (here: not the application's group).
    const Spec self = load_text(
        replaced(kThreeTierTerraform, "security_groups = [\"web_sg\"]", "self = true"), "tf.toml");
    CHECK(self.security_group[2].ingress.at(0).source_security_groups ==
          std::vector<std::string>{"db_sg"});
    CHECK_FALSE(flow(stratus::cloud::analyse_flows(self), K::AppToDatabase).open);
}

TEST_CASE("Terraform's second shapes: their errors name the line and the key",
          "[loader][terraform_names]") {
    auto error = [](const std::string& from, const std::string& to) {
        return error_of(replaced(kThreeTierTerraform, from, to));
    };
    CHECK_THAT(error("to_port = 8100", "to_port = 7000"),
               Catch::Contains("security_group[web_sg].ingress[0].to_port: to_port 7000 is below "
                               "the first port 8000"));
    CHECK_THAT(error("version = \"$Latest\"", "version = \"newest\""),
               Catch::Contains("autoscaling_group[web-asg].launch_template.version: expected "
                               "\"$Latest\", \"$Default\" or a version number"));
    CHECK_THAT(error("id = \"web\"", "id = \"web\"\nlaunch_template_name = \"web\""),
               Catch::Contains("unknown key `launch_template_name` of Terraform's "
                               "launch_template block"));
    CHECK_THAT(error("id = \"web\"", "version2 = 1"),
               Catch::Contains("the launch_template block needs `id` or `name`"));
    CHECK_THAT(error("id = \"web\"", "id = \"web\"\nname = \"web\""),
               Catch::Contains("give one of `id` and `name`"));
    CHECK_THAT(error("security_groups = [\"alb_sg\"]\ncidr_blocks = [\"10.10.0.0/16\"]\n", ""),
               Catch::Contains("security_group[web_sg].ingress[0]: expected a source"));
    CHECK_THAT(error("security_groups = [\"web_sg\"]", "security_groups = [\"app_sg\"]"),
               Catch::Contains("tf.toml:"));
    CHECK_THAT(error("security_groups = [\"web_sg\"]", "security_groups = [\"app_sg\"]"),
               Catch::Contains("security_group[db_sg].ingress[0].security_groups: unknown security "
                               "group `app_sg`"));
    CHECK_THAT(error("[[subnet]]\nname = \"pub_a\"",
                     "[[security_group_rule]]\ntype = \"ingress\"\n[[subnet]]\nname = \"pub_a\""),
               Catch::Contains("unknown section [security_group_rule]; write a rule as an "
                               "`ingress` or `egress` table of its [[security_group]]"));
}

TEST_CASE(
    "Terraform's aws_s3_bucket names its bucket `bucket`: it loads, and --set finds the "
    "bucket by it",
    "[loader][terraform_names]") {
    const std::string text = R"(
[simulation]
duration = "1d"
[[s3_bucket]]
bucket = "logs"
force_destroy = true
[[s3_bucket_lifecycle_configuration]]
bucket = "logs"
[[s3_bucket_lifecycle_configuration.rule]]
id = "ia"
status = "Enabled"
[[s3_bucket_lifecycle_configuration.rule.transition]]
days = 30
storage_class = "STANDARD_IA"
)";
    const Spec spec = load_text(text, "s3.toml", {"s3_bucket.logs.storage_gb=250"});
    REQUIRE(spec.s3_bucket.size() == 1);
    CHECK(spec.s3_bucket[0].name == "logs");
    CHECK(spec.s3_bucket[0].storage_gb == 250);
    CHECK(listed(spec, "s3_bucket[logs].force_destroy"));
    // Both spellings at once are one setting given twice.
    std::string both = text;
    both.replace(both.find("bucket = \"logs\"\nforce"), 0, "name = \"logs\"\n");
    CHECK_THAT(error_of(both), Catch::Contains("are the same setting"));
}

TEST_CASE(
    "Terraform's volume and network interface blocks of aws_launch_template and "
    "aws_instance load as ebs_gb, associate_public_ip_address and security_groups",
    "[loader][terraform_names]") {
    // A block that appears once is written as HCL writes it, a table
    // ([launch_template.network_interfaces]); repeated ones as an array of tables.
    const std::string tf = R"(
[simulation]
duration = "1h"
[vpc]
cidr_block = "10.0.0.0/16"
[[subnet]]
name = "public"
cidr_block = "10.0.1.0/24"
availability_zone = "us-east-1a"
route = "igw"
[[security_group]]
name = "web"
[[launch_template]]
name = "web"
instance_type = "t3.micro"
[[launch_template.block_device_mappings]]
device_name = "/dev/xvda"
[launch_template.block_device_mappings.ebs]
volume_size = 30
volume_type = "gp3"
[[launch_template.block_device_mappings]]
device_name = "/dev/xvdb"
[launch_template.block_device_mappings.ebs]
volume_size = 100
[launch_template.network_interfaces]
associate_public_ip_address = true
security_groups = ["web"]
device_index = 0
[[instance]]
name = "bastion"
instance_type = "t3.micro"
subnet_id = "public"
[instance.root_block_device]
volume_size = 30
encrypted = true
[[instance.ebs_block_device]]
device_name = "/dev/sdh"
volume_size = 50
[[instance]]
name = "worker"
instance_type = "t3.micro"
subnet_id = "public"
[[instance.ebs_block_device]]
device_name = "/dev/sdh"
volume_size = 50
)";
    const std::string flat = R"(
[simulation]
duration = "1h"
[vpc]
cidr_block = "10.0.0.0/16"
[[subnet]]
name = "public"
cidr_block = "10.0.1.0/24"
availability_zone = "us-east-1a"
route = "igw"
[[security_group]]
name = "web"
[[launch_template]]
name = "web"
instance_type = "t3.micro"
ebs_gb = 130
associate_public_ip_address = true
security_groups = ["web"]
[[instance]]
name = "bastion"
instance_type = "t3.micro"
subnet = "public"
ebs_gb = 80
[[instance]]
name = "worker"
instance_type = "t3.micro"
subnet = "public"
ebs_gb = 58
)";
    const Spec a = load_text(tf, "tf.toml");
    const Spec b = load_text(flat, "tf.toml");
    REQUIRE(a.launch_template.size() == 1);
    CHECK(a.launch_template[0].ebs_gb == 130);  // 30 + 100: both volumes are billed
    CHECK(a.launch_template[0].associate_public_ip_address);
    CHECK(a.launch_template[0].security_groups == std::vector<std::string>{"web"});
    REQUIRE(a.instance.size() == 2);
    CHECK(a.instance[0].ebs_gb == 80);  // root 30 + 50
    CHECK(a.instance[1].ebs_gb == 58);  // the 8 GB root volume + 50
    CHECK(explain(a) == explain(b));
    for (const char* k : {"launch_template[web].block_device_mappings[0].device_name",
                          "launch_template[web].block_device_mappings[0].ebs.volume_type",
                          "launch_template[web].network_interfaces[0].device_index",
                          "instance[bastion].root_block_device.encrypted",
                          "instance[bastion].ebs_block_device[0].device_name"}) {
        INFO(k);
        CHECK(listed(a, k));
    }
    // Given in the block, the sizes are the file's own: not among the defaults a bill rests on.
    CHECK_THAT(explain(a), !Catch::Contains("instance.bastion.ebs_gb = 8"));
    CHECK_THAT(explain(a), !Catch::Contains("launch_template.web.ebs_gb"));
    // Each setting in one form or the other.
    std::string twice = tf;
    twice.replace(twice.find("instance_type = \"t3.micro\"\n[[launch_template.block"), 0,
                  "ebs_gb = 8\n");
    CHECK_THAT(error_of(twice), Catch::Contains("launch_template[web].ebs_gb: `ebs_gb` is given "
                                                "twice (also in block_device_mappings)"));
}

namespace {

// Terraform's VPC: an internet gateway, a public route table associated with the public
// subnets, a private one routing to a NAT gateway, a main route table (no default route) for
// the subnet without an association, and a route table through a NAT instance.
const std::string kRouteTables = R"(
[simulation]
duration = "1h"
[vpc]
cidr_block = "10.0.0.0/16"
[[subnet]]
name = "public-a"
cidr_block = "10.0.1.0/24"
availability_zone = "us-east-1a"
[[subnet]]
name = "app-a"
cidr_block = "10.0.11.0/24"
availability_zone = "us-east-1a"
[[subnet]]
name = "db-a"
cidr_block = "10.0.21.0/24"
availability_zone = "us-east-1a"
[[subnet]]
name = "batch-a"
cidr_block = "10.0.31.0/24"
availability_zone = "us-east-1a"
[[internet_gateway]]
name = "gw"
vpc_id = "main"
[[nat_gateway]]
name = "nat-a"
subnet_id = "public-a"
[[instance]]
name = "nat-box"
instance_type = "t3.micro"
subnet_id = "public-a"
source_dest_check = false
[[route_table]]
name = "public"
[[route_table.route]]
cidr_block = "0.0.0.0/0"
gateway_id = "gw"
[[route_table]]
name = "private"
[[route_table.route]]
cidr_block = "10.1.0.0/16"
vpc_peering_connection_id = "pcx-1"
[[route_table.route]]
cidr_block = "0.0.0.0/0"
nat_gateway_id = "nat-a"
[[route_table]]
name = "batch"
[[route_table.route]]
cidr_block = "0.0.0.0/0"
instance_id = "nat-box"
[[route_table]]
name = "isolated"
[[route_table_association]]
subnet_id = "public-a"
route_table_id = "public"
[[route_table_association]]
subnet_id = "app-a"
route_table_id = "private"
[[route_table_association]]
subnet_id = "batch-a"
route_table_id = "batch"
[[main_route_table_association]]
vpc_id = "main"
route_table_id = "isolated"
)";

std::string route_of(const Spec& spec, const std::string& subnet) {
    for (const auto& s : spec.subnet)
        if (s.name == subnet) return s.route;
    FAIL("no subnet " << subnet);
    return "";
}

}  // namespace

TEST_CASE("Terraform's route tables, associations and main route table set each subnet's route",
          "[loader][terraform_names]") {
    const Spec spec = load_text(kRouteTables, "vpc.toml");
    REQUIRE(spec.subnet.size() == 4);
    CHECK(route_of(spec, "public-a") == "igw");
    CHECK(route_of(spec, "app-a") == "nat:nat-a");
    CHECK(route_of(spec, "batch-a") == "instance:nat-box");
    CHECK(route_of(spec, "db-a") == "local");  // the main table has no default route
    // The peering route is not modelled, and says so at its line.
    CHECK(listed(spec, "route_table[private].route[0]"));
    // Without the main route table association, the unassociated subnet is still "local"; with
    // the main table routing to the gateway, it is public.
    const std::string main_public =
        replaced(kRouteTables, "route_table_id = \"isolated\"", "route_table_id = \"public\"");
    CHECK(route_of(load_text(main_public, "vpc.toml"), "db-a") == "igw");
    // The same scenario written with stratus's own route keys: the same scenario.
    std::string flat = kRouteTables.substr(0, kRouteTables.find("[[internet_gateway]]"));
    flat += R"(
[[nat_gateway]]
name = "nat-a"
subnet = "public-a"
[[instance]]
name = "nat-box"
instance_type = "t3.micro"
subnet = "public-a"
source_dest_check = false
)";
    for (const auto& [subnet, route] : std::vector<std::pair<std::string, std::string>>{
             {"public-a", "igw"}, {"app-a", "nat:nat-a"}, {"batch-a", "instance:nat-box"}}) {
        const std::string header = "name = \"" + subnet + "\"\n";
        flat.insert(flat.find(header) + header.size(), "route = \"" + route + "\"\n");
    }
    CHECK(explain(spec) == explain(load_text(flat, "vpc.toml")));
}

TEST_CASE("Terraform's route tables: errors name the line and the key",
          "[loader][terraform_names]") {
    auto error = [](const std::string& from, const std::string& to) {
        return error_of(replaced(kRouteTables, from, to));
    };
    CHECK_THAT(error("gateway_id = \"gw\"", "gateway_id = \"igw\""),
               Catch::Contains("route_table[public].route[0].gateway_id: unknown internet gateway "
                               "`igw`; known: `gw`"));
    CHECK_THAT(error("route_table_id = \"private\"", "route_table_id = \"privat\""),
               Catch::Contains("route_table_association[1].route_table_id: unknown route table "
                               "`privat`"));
    CHECK_THAT(error("subnet_id = \"app-a\"", "subnet_id = \"app-b\""),
               Catch::Contains("route_table_association[1].subnet_id: unknown subnet `app-b`"));
    CHECK_THAT(
        error("nat_gateway_id = \"nat-a\"", "nat_gateway_id = \"nat-a\"\ngateway_id = \"gw\""),
        Catch::Contains("expected one target"));
    CHECK_THAT(error("subnet_id = \"batch-a\"", "subnet_id = \"app-a\""),
               Catch::Contains("subnet \"app-a\" is associated with a second route table"));
    CHECK_THAT(error("name = \"public-a\"\n", "name = \"public-a\"\nroute = \"igw\"\n"),
               Catch::Contains("the subnet's route is given twice (also by route table "
                               "\"public\")"));
    CHECK_THAT(error("[[main_route_table_association]]",
                     "[[main_route_table_association]]\n"
                     "route_table_id = \"public\"\n"
                     "[[main_route_table_association]]"),
               Catch::Contains("the VPC has one main route table"));
    CHECK(error_of(kRouteTables) == "no error");  // the file itself loads
}

}  // namespace test_terraform_names
