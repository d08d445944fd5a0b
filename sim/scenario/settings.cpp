// The grammar's rows: every section and key of the scenario format (settings.hpp says who
// reads them). One row per key, in the order `explain` writes them:
//   key(section, path, type)  then, as needed,
//   .req()                    the file must give it
//   .def("300")               the default as users read it
//   .unit("s") .range(...)    the loader refuses values outside the range
//   .names(aws, terraform)    AWS's name for it, the Terraform AWS provider's
//   .run(kByAction | ..., id) a run can change it ([[action]], the viewer)
//   .doc("...")               what it means, in one line
//   .bills(charges, basis)    the bill depends on its default: which charges, and its basis
// A key a run can change but a file cannot hold (terminate_instance) has no kInFile.
#include <algorithm>
#include <deque>
#include <limits>
#include <string>
#include <string_view>

#include "sim/scenario/internal.hpp"
#include "sim/scenario/limits.hpp"
#include "sim/scenario/settings.hpp"

namespace stratus::scenario {
namespace {

using T = KeyType;
using S = SettingId;
constexpr double kInf = std::numeric_limits<double>::infinity();

// Builds one row.
struct Key {
    KeyDef d;
    Key(const char* section, const char* path, KeyType type) {
        d.section = section;
        d.path = path;
        d.type = type;
    }
    Key& req() {
        d.required = true;
        return *this;
    }
    Key& def(const char* text) {
        d.default_text = text;
        return *this;
    }
    Key& unit(const char* u) {
        d.unit = u;
        return *this;
    }
    Key& range(double min, double max = kInf) {
        d.range.min = min;
        d.range.max = max;
        return *this;
    }
    Key& above(double min, double max = kInf) {  // min excluded
        range(min, max);
        d.range.min_open = true;
        return *this;
    }
    Key& below(double max) {  // max excluded
        d.range.max = max;
        d.range.max_open = true;
        return *this;
    }
    Key& names(const char* aws, const char* terraform) {
        d.aws = aws;
        d.terraform = terraform;
        return *this;
    }
    Key& run(unsigned change, SettingId id) {
        d.change |= change;
        d.id = id;
        return *this;
    }
    Key& only_run(unsigned change, SettingId id) {  // not a key of the file
        d.change = change;
        d.id = id;
        return *this;
    }
    Key& when(const char* variants) {
        d.variants = variants;
        return *this;
    }
    Key& chooses() {
        d.discriminator = true;
        return *this;
    }
    template <class E, std::size_t N>
    Key& of(const detail::Named<E> (&table)[N]) {
        d.choices = detail::names_of(table);
        return *this;
    }
    Key& of(std::vector<std::string> names) {
        d.choices = std::move(names);
        return *this;
    }
    Key& doc(const char* meaning) {
        d.meaning = meaning;
        return *this;
    }
    Key& bills(const char* charges, const char* basis) {
        d.bills = charges;
        d.basis = basis;
        return *this;
    }
    Key& not_modelled() {
        d.modelled = false;
        return *this;
    }
    operator KeyDef() const { return d; }  // NOLINT: rows convert into the table
};

Key key(const char* section, const char* path, KeyType type) {
    return Key(section, path, type);
}

// What a volume's type does in the model: every volume is billed at gp3's price per GB-month.
constexpr const char* kVolumeTypeNote = "the volume type (every volume is billed as gp3)";

// A Terraform argument that configures something outside the model: accepted, listed by
// `validate` as not modelled.
Key outside(const char* section, const char* path, KeyType type, const char* terraform,
            const char* meaning) {
    return key(section, path, type).names("", terraform).not_modelled().doc(meaning);
}

// Every resource may carry tags; costs are reported per tag.
Key tags(const char* section) {
    return key(section, "tags", T::StringTable)
        .names("Tags", "tags")
        .doc("labels such as { Team = \"shop\" }; the bill is broken down by tag");
}

// What differs between a security group's inbound and outbound rules: rule_keys declares the
// keys of one rule once, for both.
struct RuleSide {
    const char* rules;            // the rules' table: "ingress"
    const char* peer;             // "from" (the source) or "to" (the destination)
    const char* group;            // the one-group key: "source_security_group"
    const char* group_aws;        // its CloudFormation name
    const char* groups_aws;       // `security_groups`' AWS name ("" if none)
    const char* other_protocols;  // examples of protocols no modelled flow uses
    const char* ipv6_peers;       // "IPv6 sources"
};

constexpr RuleSide kInbound = {"ingress",
                               "from",
                               "source_security_group",
                               "SourceSecurityGroupId",
                               "UserIdGroupPairs",
                               " (\"udp\", \"icmp\")",
                               "IPv6 sources"};
constexpr RuleSide kOutbound = {
    "egress", "to", "destination_security_group", "DestinationSecurityGroupId",
    "",       "",   "IPv6 destinations"};

// A text made of parts, kept for the program's life like the table's literals (KeyDef holds
// const char*): the rule keys' paths ("ingress" "[]." "port") and meanings. Only the one
// initialisation of keys()'s table calls it.
const char* kept(std::string text) {
    static std::deque<std::string> texts;  // a deque never moves its elements
    return texts.emplace_back(std::move(text)).c_str();
}

// The keys of one security group rule, in the order explain and the reference list them.
std::vector<KeyDef> rule_keys(const RuleSide& s) {
    const std::string at = std::string(s.rules) + "[].", peer = std::string(s.peer) + " ";
    auto path = [&](const char* name) { return kept(at + name); };
    return {
        key("security_group", path("port"), T::Integer)
            .req()
            .range(0, 65535)
            .names("FromPort", "from_port")
            .doc("the port allowed, or the first of a range"),
        key("security_group", path("to_port"), T::Integer)
            .def("port")
            .range(0, 65535)
            .names("ToPort", "to_port")
            .doc("the last port of the range (>= port)"),
        key("security_group", path("protocol"), T::Text)
            .def("\"tcp\"")
            .names("IpProtocol", "protocol")
            .doc(kept(std::string("\"tcp\" or \"6\"; \"-1\" or \"all\": every port; another "
                                  "protocol") +
                      s.other_protocols + " passes none of the modelled flows, which are TCP")),
        key("security_group", path("cidr_blocks"), T::Strings)
            .names("CidrIp", "cidr_blocks")
            .doc(kept(peer + "these blocks")),
        key("security_group", path(s.group), T::Reference)
            .names(s.group_aws, "")
            .doc(kept(peer + "members of this group")),
        key("security_group", path("security_groups"), T::References)
            .names(s.groups_aws, "security_groups")
            .doc(kept(peer + "members of these groups")),
        key("security_group", path("self"), T::Boolean)
            .def("false")
            .names("", "self")
            .doc(kept(peer + "members of this group itself")),
        outside("security_group", path("description"), T::Text, "description", "free text"),
        outside("security_group", path("ipv6_cidr_blocks"), T::Strings, "ipv6_cidr_blocks",
                kept(std::string(s.ipv6_peers) + " (the model's addresses are IPv4)")),
    };
}

// The table with each security group rule's keys after its rules' table key (`ingress`,
// `egress`), where keys() marks them.
std::vector<KeyDef> with_rules(std::vector<KeyDef> rows) {
    for (const RuleSide* side : {&kInbound, &kOutbound}) {
        auto at = std::find_if(rows.begin(), rows.end(), [&](const KeyDef& k) {
            return std::string_view(k.section) == "security_group" &&
                   std::string_view(k.path) == side->rules;
        });
        const auto rule = rule_keys(*side);
        rows.insert(at + 1, rule.begin(), rule.end());
    }
    return rows;
}

}  // namespace

// sections() is over 80 lines on purpose, like keys() below: it is the table of the scenario's
// sections, one row each in the order the reference lists them, read as one table.
const std::vector<SectionDef>& sections() {
    using K = SectionKind;
    static const std::vector<SectionDef> kSections = {
        {"simulation", K::Singleton, "", "", true, "the run: its length, seed and clock"},
        {"region", K::Singleton, "", "", false, "the AWS Region and its Availability Zones"},
        {"pricing", K::Singleton, "", "", false, "overrides of the built-in price list"},
        {"instance_type", K::Array, "name", "", false,
         "adds an instance type to the built-in catalog, or overrides one"},
        {"launch_template", K::Array, "name", "aws_launch_template", false,
         "what a group launches: the instance type, boot times, the application's capacity"},
        {"load_balancer", K::Array, "name", "aws_lb", false,
         "an Elastic Load Balancing load balancer: a node per AZ behind DNS"},
        {"lb_listener", K::Array, "", "aws_lb_listener", false,
         "a listener: the port of a load balancer and the target group it forwards to"},
        {"target_group", K::Array, "name", "aws_lb_target_group", false,
         "the targets of a listener, their routing and their health checks"},
        {"autoscaling_group", K::Array, "name", "aws_autoscaling_group", false,
         "an EC2 Auto Scaling group"},
        {"autoscaling_policy", K::Array, "name", "aws_autoscaling_policy", false,
         "a scaling policy of a group: simple, step or target tracking"},
        {"cloudwatch_metric_alarm", K::Array, "alarm_name", "aws_cloudwatch_metric_alarm", false,
         "a CloudWatch alarm on one of the modelled metrics"},
        {"autoscaling_schedule", K::Array, "scheduled_action_name", "aws_autoscaling_schedule",
         false, "a scheduled action of a group: new sizes once, or on a cron recurrence"},
        {"workload", K::Array, "name", "", false,
         "the traffic: Poisson arrivals at a load balancer, their CPU time and timeout"},
        {"db_instance", K::Array, "identifier", "aws_db_instance", false,
         "an RDS DB instance, Single-AZ or Multi-AZ"},
        {"ecs_cluster", K::Array, "name", "aws_ecs_cluster", false,
         "an ECS cluster: the namespace its services run their tasks in"},
        {"ecs_task_definition", K::Array, "family", "aws_ecs_task_definition", false,
         "an ECS task definition: the task's size and its containers"},
        {"ecs_service", K::Array, "name", "aws_ecs_service", false,
         "an ECS service: keeps desired_count tasks running, registered in target groups"},
        {"ecs_capacity_provider", K::Array, "name", "aws_ecs_capacity_provider", false,
         "an Auto Scaling group capacity provider: the group whose instances run EC2 tasks"},
        {"ecs_cluster_capacity_providers", K::Array, "cluster_name",
         "aws_ecs_cluster_capacity_providers", false,
         "the capacity providers of a cluster, and its default capacity provider strategy"},
        {"appautoscaling_target", K::Array, "resource_id", "aws_appautoscaling_target", false,
         "Application Auto Scaling: an ECS service's desired count between min and max"},
        {"appautoscaling_policy", K::Array, "name", "aws_appautoscaling_policy", false,
         "Application Auto Scaling: a target tracking or step scaling policy of an ECS service"},
        {"appautoscaling_scheduled_action", K::Array, "name", "aws_appautoscaling_scheduled_action",
         false, "Application Auto Scaling: new min and max capacity at scheduled times"},
        {"fault", K::Array, "", "", false,
         "a fault injected at a time or at random (AZ outage, failures, latency)"},
        {"spot", K::Singleton, "", "", false, "the Spot market: price and interruptions per pool"},
        {"capacity_pool", K::Array, "", "", false,
         "On-Demand capacity of an instance type in one AZ (default: no limit)"},
        {"vpc", K::Singleton, "", "aws_vpc", false,
         "the VPC; with it, routes and security groups decide which flows pass"},
        {"subnet", K::Array, "name", "aws_subnet", false, "a subnet of the VPC in one AZ"},
        {"internet_gateway", K::Array, "name", "aws_internet_gateway", false,
         "the VPC's internet gateway, named by route tables"},
        {"route_table", K::Array, "name", "aws_route_table", false,
         "a route table: its default route (0.0.0.0/0) becomes the route of its subnets"},
        {"route_table_association", K::Array, "", "aws_route_table_association", false,
         "a subnet's route table"},
        {"main_route_table_association", K::Array, "", "aws_main_route_table_association", false,
         "the VPC's main route table: the route table of every subnet not associated with one"},
        {"security_group", K::Array, "name", "aws_security_group", false,
         "a security group: stateful, allow-only inbound and outbound rules"},
        {"nat_gateway", K::Array, "name", "aws_nat_gateway", false,
         "a NAT gateway in a public subnet"},
        {"vpc_endpoint", K::Array, "name", "aws_vpc_endpoint", false,
         "a VPC endpoint: a gateway endpoint (S3, DynamoDB) on its subnets' route tables, or an "
         "interface endpoint (ECR, CloudWatch Logs, ...) with network interfaces in its subnets"},
        {"instance", K::Array, "name", "aws_instance", false,
         "an EC2 instance outside any group, with a schedule of states"},
        {"eip", K::Array, "name", "aws_eip", false, "an Elastic IP address"},
        {"ebs_volume", K::Array, "name", "aws_ebs_volume", false, "an EBS volume (gp3)"},
        {"ebs_snapshot", K::Array, "name", "aws_ebs_snapshot", false, "an EBS snapshot"},
        {"s3_bucket", K::Array, "name", "aws_s3_bucket", false,
         "an S3 bucket: its objects, their storage class, and the requests they get"},
        {"s3_bucket_lifecycle_configuration", K::Array, "bucket",
         "aws_s3_bucket_lifecycle_configuration", false,
         "a bucket's lifecycle rules: transitions between storage classes and expiration by age"},
        {"s3_bucket_policy", K::Array, "bucket", "aws_s3_bucket_policy", false,
         "a bucket policy: the bucket's resource-based policy (docs/iam.md)"},
        {"s3_bucket_acl", K::Array, "bucket", "aws_s3_bucket_acl", false, "a bucket's canned ACL"},
        {"s3_bucket_public_access_block", K::Array, "bucket", "aws_s3_bucket_public_access_block",
         false, "a bucket's S3 Block Public Access settings (docs/iam.md, \"S3 access\")"},
        {"s3_bucket_ownership_controls", K::Array, "bucket", "aws_s3_bucket_ownership_controls",
         false, "a bucket's S3 Object Ownership: BucketOwnerEnforced disables its ACLs"},
        {"iam_policy", K::Array, "name", "aws_iam_policy", false,
         "an IAM customer managed policy: a JSON policy document (docs/iam.md)"},
        {"iam_user", K::Array, "name", "aws_iam_user", false, "an IAM user"},
        {"iam_group", K::Array, "name", "aws_iam_group", false, "an IAM user group"},
        {"iam_group_membership", K::Array, "name", "aws_iam_group_membership", false,
         "the users of a group"},
        {"iam_user_group_membership", K::Array, "", "aws_iam_user_group_membership", false,
         "the groups of a user"},
        {"iam_role", K::Array, "name", "aws_iam_role", false,
         "an IAM role with its trust policy (who may assume it)"},
        {"iam_user_policy", K::Array, "", "aws_iam_user_policy", false,
         "an inline policy of a user"},
        {"iam_group_policy", K::Array, "", "aws_iam_group_policy", false,
         "an inline policy of a group"},
        {"iam_role_policy", K::Array, "", "aws_iam_role_policy", false,
         "an inline policy of a role"},
        {"iam_user_policy_attachment", K::Array, "", "aws_iam_user_policy_attachment", false,
         "a managed policy attached to a user"},
        {"iam_group_policy_attachment", K::Array, "", "aws_iam_group_policy_attachment", false,
         "a managed policy attached to a group"},
        {"iam_role_policy_attachment", K::Array, "", "aws_iam_role_policy_attachment", false,
         "a managed policy attached to a role"},
        {"iam_policy_attachment", K::Array, "name", "aws_iam_policy_attachment", false,
         "a managed policy attached to users, groups and roles"},
        {"iam_instance_profile", K::Array, "name", "aws_iam_instance_profile", false,
         "an instance profile: the role an EC2 instance's applications act as"},
        {"organizations_policy", K::Array, "name", "aws_organizations_policy", false,
         "an AWS Organizations service control policy (SCP)"},
        {"organizations_policy_attachment", K::Array, "", "aws_organizations_policy_attachment",
         false, "an SCP attached to the root, an OU or the account (docs/iam.md)"},
        {"organizations_organization", K::Singleton, "", "aws_organizations_organization", false,
         "the organization of the account: its id and management account (docs/iam.md)"},
        {"reserved_instance", K::Array, "name", "", false,
         "a Reserved Instance (Linux, default tenancy): regional and size-flexible in its "
         "family, or zonal"},
        {"reserved_db_instance", K::Array, "name", "aws_rds_reserved_instance", false,
         "an RDS reserved DB instance, size-flexible in its class family"},
        {"savings_plan", K::Array, "name", "", false,
         "a Savings Plan (Compute or EC2 Instance): an hourly commitment at discounted rates"},
        {"slo", K::Singleton, "", "", false, "service level objectives the report judges"},
        {"action", K::Array, "", "", false,
         "a scheduled change: settings changed at a time during the run"},
        {"distribution", K::Value, "", "", false,
         "a distribution of durations: a duration (constant) or { dist = ... }"},
        {"rate", K::Value, "", "", false,
         "a request rate over time: a number (requests/s) or { shape = ... }"},
    };
    return kSections;
}

const std::vector<AliasDef>& aliases() {
    // section, alias, canonical: one row per alternative spelling.
    static const std::vector<AliasDef> kAliases = {
        {"autoscaling_group", "vpc_zone_identifier", "subnets"},                  // Terraform's
        {"autoscaling_group", "target_group_arns", "target_groups"},              // Terraform's
        {"launch_template", "vpc_security_group_ids", "security_groups"},         // Terraform's
        {"instance", "vpc_security_group_ids", "security_groups"},                // Terraform's
        {"instance", "subnet_id", "subnet"},                                      // Terraform's
        {"db_instance", "vpc_security_group_ids", "security_groups"},             // Terraform's
        {"lb_listener", "load_balancer_arn", "load_balancer"},                    // Terraform's
        {"autoscaling_policy", "autoscaling_group_name", "autoscaling_group"},    // Terraform's
        {"autoscaling_schedule", "autoscaling_group_name", "autoscaling_group"},  // Terraform's
        {"nat_gateway", "subnet_id", "subnet"},                                   // Terraform's
        {"vpc_endpoint", "subnet_ids", "subnets"},                                // Terraform's
        {"vpc_endpoint", "security_group_ids", "security_groups"},                // Terraform's
        {"ebs_volume", "size", "size_gb"},                                        // Terraform's
        {"security_group", "ingress[].from_port", "ingress[].port"},              // Terraform's
        {"security_group", "egress[].from_port", "egress[].port"},                // Terraform's
        {"s3_bucket", "bucket", "name"},                                          // Terraform's
    };
    return kAliases;
}

// keys() is far over 80 lines on purpose: it is the grammar's table, one row per key in the
// order explain writes them, read and edited as one table (adding a key is adding a row here).
// Split by section it would scatter the one place the project declares the format.
const std::vector<KeyDef>& keys() {
    using namespace detail;
    static const std::vector<KeyDef> kKeys = with_rules({
        // [simulation]
        key("simulation", "name", T::Text)
            .def("the file's name without .toml")
            .doc("shown in reports and the viewer"),
        key("simulation", "description", T::Text)
            .def("\"\"")
            .doc("free text; the viewer shows it as the lesson's text"),
        key("simulation", "duration", T::Duration).req().above(0).doc("the simulated horizon"),
        key("simulation", "seed", T::Integer)
            .def("1")
            .range(0)
            .doc("master seed; every random stream derives from it and a stable name"),
        key("simulation", "start_time", T::DateTime)
            .def("\"2026-01-05T00:00:00Z\"")
            .doc("wall-clock time of the start: anchors cron schedules and diurnal rates"),
        key("simulation", "metrics_period", T::Duration)
            .def("\"60s\"")
            .above(0)
            .doc("period of the time series' rows: 10s, 30s or a multiple of 60s"),
        key("simulation", "fidelity", T::Choice)
            .of(kFidelity)
            .def("\"request\"")
            .doc("request: every request is an event; fluid: traffic as rates (long runs)"),
        key("simulation", "warmup", T::Duration)
            .def("\"0s\"")
            .range(0)
            .doc("requests arriving before it are left out of the totals; < duration"),

        // [region]
        key("region", "name", T::Text)
            .def("\"us-east-1\"")
            .names("", "region")
            .doc("selects the built-in instance catalog and price list"),
        key("region", "availability_zones", T::Strings)
            .def("the catalog's first three (ap-northeast-1: a, c, d)")
            .doc("the AZs that exist (at least one), each a zone the region has"),

        // [pricing]
        key("pricing", "on_demand", T::NumberTable)
            .unit("USD/h")
            .range(0, kMaxPrice)
            .def("the catalog's")
            .doc("{ \"m5.large\" = 0.1 }: On-Demand price per instance type"),
        key("pricing", "ebs_gp3_gb_month", T::Number)
            .unit("USD/GB-month")
            .range(0, kMaxPrice)
            .def("the region's")
            .doc("EBS gp3 storage"),
        key("pricing", "public_ipv4_hour", T::Number)
            .unit("USD/h")
            .range(0, kMaxPrice)
            .def("the region's")
            .doc("a public IPv4 address, attached or idle"),
        key("pricing", "alb_hour", T::Number)
            .unit("USD/h")
            .range(0, kMaxPrice)
            .def("the region's")
            .doc("an Application Load Balancer's hour"),
        key("pricing", "alb_lcu_hour", T::Number)
            .unit("USD/LCU-h")
            .range(0, kMaxPrice)
            .def("the region's")
            .doc("an ALB load balancer capacity unit"),
        key("pricing", "nat_gateway_hour", T::Number)
            .unit("USD/h")
            .range(0, kMaxPrice)
            .def("the region's")
            .doc("a NAT gateway's hour"),
        key("pricing", "nat_gateway_gb", T::Number)
            .unit("USD/GB")
            .range(0, kMaxPrice)
            .def("the region's")
            .doc("data a NAT gateway processes"),
        key("pricing", "vpc_endpoint_hour", T::Number)
            .unit("USD/h")
            .range(0, kMaxPrice)
            .def("the region's")
            .doc("an interface VPC endpoint's hour in one AZ"),
        key("pricing", "vpc_endpoint_gb", T::Number)
            .unit("USD/GB")
            .range(0, kMaxPrice)
            .def("the region's")
            .doc("data an interface VPC endpoint processes (first tier)"),
        key("pricing", "inter_az_gb", T::Number)
            .unit("USD/GB")
            .range(0, kMaxPrice)
            .def("the region's")
            .doc("data crossing AZs, each direction"),
        key("pricing", "snapshot_gb_month", T::Number)
            .unit("USD/GB-month")
            .range(0, kMaxPrice)
            .def("the region's")
            .doc("EBS snapshot storage"),
        key("pricing", "s3_standard_gb_month", T::Number)
            .unit("USD/GB-month")
            .range(0, kMaxPrice)
            .def("the region's")
            .doc("S3 Standard storage"),
        key("pricing", "fargate_vcpu_hour", T::Number)
            .unit("USD/vCPU-hour")
            .range(0, kMaxPrice)
            .def("the region's")
            .doc("Fargate (Linux/x86) per vCPU-hour, billed per second"),
        key("pricing", "fargate_gb_hour", T::Number)
            .unit("USD/GB-hour")
            .range(0, kMaxPrice)
            .def("the region's")
            .doc("Fargate (Linux/x86) per GB of memory per hour, billed per second"),
        key("pricing", "fargate_spot_vcpu_hour", T::Number)
            .unit("USD/vCPU-hour")
            .range(0, kMaxPrice)
            .def("the region's")
            .doc("Fargate Spot per vCPU-hour (AWS's rate varies; the catalog: 30 % of Fargate's)"),
        key("pricing", "fargate_spot_gb_hour", T::Number)
            .unit("USD/GB-hour")
            .range(0, kMaxPrice)
            .def("the region's")
            .doc("Fargate Spot per GB of memory per hour (varies; the catalog: 30 % of Fargate's)"),
        key("pricing", "ecr_storage_gb_month", T::Number)
            .unit("USD/GB-month")
            .range(0, kMaxPrice)
            .def("the region's")
            .doc("Amazon ECR: a private repository's images per GB-month"),
        key("pricing", "ecr_inter_region_gb", T::Number)
            .unit("USD/GB")
            .range(0, kMaxPrice)
            .def("the repository region's")
            .doc("an ECR image pulled from a repository of another region: data transfer out of "
                 "that region (a pull within the region is free)"),
        key("pricing", "cloudwatch_metric_month", T::Number)
            .unit("USD/metric-month")
            .range(0, kMaxPrice)
            .def("the region's")
            .doc("a CloudWatch custom metric (Container Insights) per month, prorated by the hour "
                 "(first 10,000 metrics)"),
        key("pricing", "cloudwatch_logs_gb", T::Number)
            .unit("USD/GB")
            .range(0, kMaxPrice)
            .def("the region's")
            .doc("CloudWatch Logs data ingested (Container Insights' performance log events)"),
        key("pricing", "cloudwatch_logs_storage_gb_month", T::Number)
            .unit("USD/GB-month")
            .range(0, kMaxPrice)
            .def("the region's")
            .doc("CloudWatch Logs data stored (archived), per GB-month of what was ingested"),
        key("pricing", "s3", T::NumberTable)
            .unit("USD")
            .range(0, kMaxPrice)
            .def("the region's")
            .doc("{ s3_glacier_gb_month = 0.0036 }: S3 figures by their price-list names "
                 "(docs/pricing.md)"),

        // [[instance_type]]
        key("instance_type", "name", T::Name).req().doc("the type's name, such as \"c6i.large\""),
        key("instance_type", "vcpu", T::Integer)
            .range(1, kMaxVcpu)
            .def("the catalog's")
            .doc("vCPUs; required for a type the catalog does not have"),
        key("instance_type", "memory_gib", T::Number).above(0).unit("GiB").doc("memory"),
        key("instance_type", "on_demand_hourly", T::Number)
            .range(0, kMaxPrice)
            .unit("USD/h")
            .def("the catalog's (0 for a new type)")
            .doc("On-Demand price, Linux"),
        key("instance_type", "speed", T::Number)
            .range(kMinSpeed, kMaxSpeed)
            .def("1.0")
            .doc("relative per-vCPU speed: service times are divided by it")
            .bills("EC2 instance hours (how many instances a load needs)",
                   "1.0: every type's vCPU is as fast as any other's; measure yours (a newer "
                   "generation is faster)"),
        key("instance_type", "baseline_percent", T::Number)
            .range(0, 100)
            .unit("%")
            .doc("burstable: baseline CPU per vCPU"),
        key("instance_type", "credits_per_hour", T::Number)
            .range(0)
            .unit("credits/h")
            .doc("burstable: CPU credits earned per hour"),
        key("instance_type", "max_credits", T::Number)
            .range(0)
            .unit("credits")
            .doc("burstable: the most credits it can hold"),
        key("instance_type", "credit_specification", T::Choice)
            .of(kCreditSpecification)
            .names("CreditSpecification", "credit_specification")
            .doc("burstable: standard throttles at the baseline, unlimited bills the surplus"),

        // [[launch_template]]
        key("launch_template", "name", T::Name)
            .req()
            .names("LaunchTemplateName", "name")
            .doc("the template's name; a repeated name with a new version is a new version"),
        key("launch_template", "version", T::Integer)
            .range(1)
            .def("1")
            .names("VersionNumber", "latest_version")
            .doc("the version this entry defines"),
        key("launch_template", "instance_type", T::Reference)
            .req()
            .names("InstanceType", "instance_type")
            .doc("a type of the catalog or of [[instance_type]]"),
        key("launch_template", "boot_time", T::Distribution)
            .def("{ dist = \"normal\", mean = \"45s\", sd = \"10s\" }")
            .doc("launch until the OS runs (EC2 status checks pass)"),
        key("launch_template", "app_start_time", T::Distribution)
            .def("\"30s\"")
            .doc("OS running until the application answers health checks"),
        key("launch_template", "workers_per_vcpu", T::Integer)
            .range(1, kMaxWorkersPerInstance)
            .def("1")
            .doc("requests served at once per vCPU; the rest queue"),
        key("launch_template", "max_queue", T::Integer)
            .range(0)
            .def("1000")
            .unit("requests")
            .doc("queued requests per instance beyond which it answers 503"),
        key("launch_template", "ebs_gb", T::Number)
            .range(0, kMaxVolumeGb)
            .def("8")
            .unit("GB")
            .names("VolumeSize", "block_device_mappings.ebs.volume_size")
            .doc("root volume, billed while the instance exists")
            .bills("EBS volume storage (GB-months)",
                   "8 GB: the root volume of an Amazon Linux AMI"),
        key("launch_template", "associate_public_ip_address", T::Boolean)
            .def("false")
            .names("AssociatePublicIpAddress", "network_interfaces.associate_public_ip_address")
            .doc("a public IPv4 address, billed per hour")
            .bills("public IPv4 addresses (per hour)",
                   "false: instances in private subnets behind a load balancer"),
        key("launch_template", "security_groups", T::References)
            .names("SecurityGroupIds", "vpc_security_group_ids")
            .doc("security groups of its instances"),
        key("launch_template", "block_device_mappings", T::Tables)
            .names("BlockDeviceMappings", "block_device_mappings")
            .doc("Terraform's form of ebs_gb: the volumes' sizes, summed"),
        outside("launch_template", "block_device_mappings[].device_name", T::Text, "device_name",
                "the device name"),
        key("launch_template", "block_device_mappings[].ebs", T::Table)
            .names("Ebs", "ebs")
            .doc("the volume"),
        key("launch_template", "block_device_mappings[].ebs.volume_size", T::Number)
            .range(0, kMaxVolumeGb)
            .unit("GB")
            .names("VolumeSize", "volume_size")
            .doc("its size"),
        outside("launch_template", "block_device_mappings[].ebs.volume_type", T::Text,
                "volume_type", kVolumeTypeNote),
        outside("launch_template", "block_device_mappings[].ebs.delete_on_termination", T::Boolean,
                "delete_on_termination", "volumes are deleted with the instance"),
        outside("launch_template", "block_device_mappings[].ebs.encrypted", T::Boolean, "encrypted",
                "encryption (free)"),
        outside("launch_template", "block_device_mappings[].ebs.iops", T::Integer, "iops",
                "provisioned IOPS (gp3's 3,000 included)"),
        outside("launch_template", "block_device_mappings[].ebs.throughput", T::Integer,
                "throughput", "provisioned throughput (gp3's 125 MB/s included)"),
        outside("launch_template", "block_device_mappings[].ebs.kms_key_id", T::Text, "kms_key_id",
                "the encryption key"),
        outside("launch_template", "block_device_mappings[].ebs.snapshot_id", T::Text,
                "snapshot_id", "the snapshot it starts from"),
        key("launch_template", "network_interfaces", T::Tables)
            .names("NetworkInterfaces", "network_interfaces")
            .doc("Terraform's form of associate_public_ip_address and security_groups"),
        key("launch_template", "network_interfaces[].associate_public_ip_address", T::Boolean)
            .names("AssociatePublicIpAddress", "associate_public_ip_address")
            .doc("a public IPv4 address"),
        key("launch_template", "network_interfaces[].security_groups", T::References)
            .names("Groups", "security_groups")
            .doc("security groups of its instances"),
        outside("launch_template", "network_interfaces[].device_index", T::Integer, "device_index",
                "the interface's index"),
        outside("launch_template", "network_interfaces[].delete_on_termination", T::Boolean,
                "delete_on_termination", "the interface is deleted with the instance"),
        outside("launch_template", "network_interfaces[].description", T::Text, "description",
                "free text"),
        outside("launch_template", "network_interfaces[].subnet_id", T::Text, "subnet_id",
                "a subnet (the group's subnets place its instances)"),
        outside("launch_template", "image_id", T::Text, "image_id", "the AMI"),
        outside("launch_template", "user_data", T::Text, "user_data", "the boot script"),
        outside("launch_template", "key_name", T::Text, "key_name", "the SSH key pair"),
        outside("launch_template", "description", T::Text, "description", "free text"),
        outside("launch_template", "update_default_version", T::Boolean, "update_default_version",
                "which version is the default"),
        key("launch_template", "iam_instance_profile", T::Table)
            .names("IamInstanceProfile", "iam_instance_profile")
            .doc("the instance profile its instances' applications act as (docs/iam.md); "
                 "none: they have no AWS credentials"),
        key("launch_template", "iam_instance_profile.name", T::Reference)
            .names("IamInstanceProfile.Name", "iam_instance_profile.name")
            .doc("an [[iam_instance_profile]]"),
        key("launch_template", "iam_instance_profile.arn", T::Text)
            .names("IamInstanceProfile.Arn", "iam_instance_profile.arn")
            .doc("or its ARN: arn:aws:iam::123456789012:instance-profile/NAME"),
        outside("launch_template", "monitoring", T::Table, "monitoring",
                "detailed CloudWatch monitoring"),
        outside("launch_template", "metadata_options", T::Table, "metadata_options",
                "the instance metadata service (IMDSv2)"),
        outside("launch_template", "tag_specifications", T::Tables, "tag_specifications",
                "tags of launched resources (the group's tags are the ones billed)"),
        tags("launch_template"),

        // [[load_balancer]]
        key("load_balancer", "name", T::Name).req().names("Name", "name").doc("its name"),
        key("load_balancer", "load_balancer_type", T::Choice)
            .of(kLoadBalancerType)
            .def("\"application\"")
            .names("Type", "load_balancer_type")
            .doc("application, network or classic"),
        key("load_balancer", "availability_zones", T::Strings)
            .def("the region's, or its subnets' AZs")
            .doc("AZs with a node (an application load balancer needs 2)"),
        key("load_balancer", "enable_cross_zone_load_balancing", T::Boolean)
            .def("true for application, false otherwise")
            .names("load_balancing.cross_zone.enabled", "enable_cross_zone_load_balancing")
            .doc("a node spreads its requests over the targets of every AZ"),
        key("load_balancer", "idle_timeout", T::Seconds)
            .range(1, 4000)
            .def("60; 350 for network (TCP)")
            .unit("s")
            .names("idle_timeout.timeout_seconds", "idle_timeout")
            .doc("connection idle timeout"),
        key("load_balancer", "internal", T::Boolean)
            .def("false")
            .names("Scheme", "internal")
            .doc("reachable from inside the VPC only"),
        key("load_balancer", "security_groups", T::References)
            .names("SecurityGroups", "security_groups")
            .doc("its security groups"),
        key("load_balancer", "subnets", T::References)
            .names("Subnets", "subnets")
            .doc("its subnets; its AZs follow from them"),
        outside("load_balancer", "enable_deletion_protection", T::Boolean,
                "enable_deletion_protection", "deletion protection"),
        outside("load_balancer", "ip_address_type", T::Text, "ip_address_type",
                "IPv4 or dualstack"),
        outside("load_balancer", "drop_invalid_header_fields", T::Boolean,
                "drop_invalid_header_fields", "HTTP header validation"),
        outside("load_balancer", "access_logs", T::Table, "access_logs", "access logs to S3"),
        tags("load_balancer"),

        // [[lb_listener]]
        key("lb_listener", "load_balancer", T::Reference)
            .req()
            .names("LoadBalancerArn", "load_balancer_arn")
            .doc("the load balancer it listens on"),
        key("lb_listener", "port", T::Integer)
            .range(1, 65535)
            .def("80")
            .names("Port", "port")
            .doc("the port clients connect to"),
        key("lb_listener", "target_group", T::Reference)
            .def("required, or default_action")
            .names("DefaultActions.TargetGroupArn", "default_action.target_group_arn")
            .run(kByAction, S::ListenerTargetGroup)
            .doc("the default forward action's target group (a switch is a blue/green cut)"),
        key("lb_listener", "rules", T::Integer)
            .range(0, 100)
            .def("0")
            .doc("listener rules each request is evaluated against (LCUs; 10 free)")
            .bills("load balancer LCUs (rule evaluations beyond the 10 free)",
                   "0: the default action only"),
        key("lb_listener", "default_action", T::Tables)
            .names("DefaultActions", "default_action")
            .doc("Terraform's form: [{ type = \"forward\", target_group_arn }], or a weighted "
                 "forward = { target_group = [{ arn, weight }, ...] }"),
        key("lb_listener", "default_action[].type", T::Choice)
            .req()
            .of({"forward"})
            .names("Type", "type")
            .doc("forward (redirect and fixed-response are not modelled)"),
        key("lb_listener", "default_action[].target_group_arn", T::Reference)
            .def("required, or forward")
            .names("TargetGroupArn", "target_group_arn")
            .doc("the target group it forwards to"),
        key("lb_listener", "default_action[].forward", T::Table)
            .names("ForwardConfig", "forward")
            .doc("a weighted forward: target groups that share the requests by weight"),
        key("lb_listener", "default_action[].forward.target_group", T::Tables)
            .req()
            .names("TargetGroups", "target_group")
            .doc("1 to 5 target groups, each with its weight"),
        key("lb_listener", "default_action[].forward.target_group[].arn", T::Reference)
            .req()
            .names("TargetGroupArn", "arn")
            .doc("the target group"),
        key("lb_listener", "default_action[].forward.target_group[].weight", T::Integer)
            .range(0, 999)
            .def("1")
            .names("Weight", "weight")
            .doc("its share is weight / the sum of the weights (0: no requests)"),
        outside("lb_listener", "default_action[].forward.stickiness", T::Table, "stickiness",
                "target group stickiness (each request is routed by weight on its own)"),
        key("lb_listener", "weight", T::Integer)
            .range(0, 999)
            .only_run(kByAction, S::ListenerWeight)
            .names("ForwardConfig.TargetGroups.Weight", "")
            .doc("lb_listener.<index>.<target group>.weight: that group's weight in the "
                 "listener's forward (blue/green shifting)"),
        outside("lb_listener", "protocol", T::Text, "protocol",
                "HTTP or HTTPS (TLS is not modelled)"),
        outside("lb_listener", "certificate_arn", T::Text, "certificate_arn",
                "the TLS certificate"),
        outside("lb_listener", "ssl_policy", T::Text, "ssl_policy", "the TLS policy"),
        tags("lb_listener"),

        // [[target_group]]
        key("target_group", "name", T::Name).req().names("Name", "name").doc("its name"),
        key("target_group", "port", T::Integer)
            .range(1, 65535)
            .def("80")
            .names("Port", "port")
            .doc("the port of its targets"),
        key("target_group", "load_balancing_algorithm_type", T::Choice)
            .of(kLoadBalancingAlgorithm)
            .def("\"round_robin\"")
            .names("load_balancing.algorithm.type", "load_balancing_algorithm_type")
            .doc("how a node picks a target"),
        key("target_group", "deregistration_delay", T::Seconds)
            .range(0, 3600)
            .def("300")
            .unit("s")
            .names("deregistration_delay.timeout_seconds", "deregistration_delay")
            .doc("a deregistered target drains its requests this long"),
        key("target_group", "slow_start", T::Seconds)
            .range(0, 900)
            .def("0")
            .unit("s")
            .names("slow_start.duration_seconds", "slow_start")
            .doc("0 (off) or 30-900: a new target's share ramps up over it"),
        key("target_group", "health_check", T::Table)
            .names("HealthCheck*", "health_check")
            .doc("the target health check"),
        key("target_group", "health_check.interval", T::Seconds)
            .range(5, 300)
            .def("30")
            .unit("s")
            .names("HealthCheckIntervalSeconds", "health_check.interval")
            .doc("time between checks of a target"),
        key("target_group", "health_check.timeout", T::Seconds)
            .range(2, 120)
            .def("5")
            .unit("s")
            .names("HealthCheckTimeoutSeconds", "health_check.timeout")
            .doc("no answer within it fails the check; shorter than the interval"),
        key("target_group", "health_check.healthy_threshold", T::Integer)
            .range(2, 10)
            .def("5")
            .names("HealthyThresholdCount", "health_check.healthy_threshold")
            .doc("passes in a row before a target is healthy"),
        key("target_group", "health_check.unhealthy_threshold", T::Integer)
            .range(2, 10)
            .def("2")
            .names("UnhealthyThresholdCount", "health_check.unhealthy_threshold")
            .doc("failures in a row before a target is unhealthy"),
        outside("target_group", "health_check.path", T::Text, "health_check.path",
                "the URL checked (a target passes when it answers)"),
        outside("target_group", "health_check.protocol", T::Text, "health_check.protocol",
                "HTTP or HTTPS"),
        outside("target_group", "health_check.port", T::Text, "health_check.port",
                "the port checked"),
        outside("target_group", "health_check.matcher", T::Text, "health_check.matcher",
                "the status codes that pass"),
        outside("target_group", "health_check.enabled", T::Boolean, "health_check.enabled",
                "checks are always on for instance targets"),
        outside("target_group", "protocol", T::Text, "protocol", "HTTP or HTTPS"),
        outside("target_group", "protocol_version", T::Text, "protocol_version",
                "HTTP1, HTTP2 or gRPC"),
        outside("target_group", "vpc_id", T::Text, "vpc_id", "the VPC ([vpc] is the one VPC)"),
        key("target_group", "target_type", T::Choice)
            .of(kTargetType)
            .def("\"instance\"")
            .names("TargetType", "target_type")
            .doc("instance: instances by ID (Auto Scaling groups); ip: ECS tasks (awsvpc)"),
        tags("target_group"),

        // [[autoscaling_group]]
        key("autoscaling_group", "name", T::Name)
            .req()
            .names("AutoScalingGroupName", "name")
            .doc("its name"),
        key("autoscaling_group", "launch_template", T::Reference)
            .def("required, or mixed_instances_policy.launch_template")
            .names("LaunchTemplate.LaunchTemplateName", "launch_template.name")
            .run(kByAction, S::GroupLaunchTemplate)
            .doc("what it launches (a change applies to new launches); Terraform's block "
                 "{ id or name, version } loads too"),
        key("autoscaling_group", "launch_template_version", T::Integer)
            .range(1)
            .def("the highest version defined")
            .names("LaunchTemplate.Version", "launch_template.version")
            .run(kByAction, S::GroupLaunchTemplateVersion)
            .doc("the template's version it launches"),
        key("autoscaling_group", "min_size", T::Integer)
            .req()
            .range(0, kMaxInstances)
            .unit("instances")
            .names("MinSize", "min_size")
            .run(kByAction | kByViewer, S::GroupMinSize)
            .doc("the group never has fewer"),
        key("autoscaling_group", "max_size", T::Integer)
            .req()
            .range(1, kMaxInstances)
            .unit("instances")
            .names("MaxSize", "max_size")
            .run(kByAction | kByViewer, S::GroupMaxSize)
            .doc("the group never has more"),
        key("autoscaling_group", "desired_capacity", T::Integer)
            .range(0, kMaxInstances)
            .def("min_size")
            .unit("instances")
            .names("DesiredCapacity", "desired_capacity")
            .run(kByAction | kByViewer, S::GroupDesiredCapacity)
            .doc("the instances it keeps; policies change it within min..max"),
        key("autoscaling_group", "availability_zones", T::Strings)
            .def("the region's, or its subnets' AZs")
            .names("AvailabilityZones", "availability_zones")
            .doc("AZs it launches into, balanced"),
        key("autoscaling_group", "subnets", T::References)
            .names("VPCZoneIdentifier", "vpc_zone_identifier")
            .doc("its subnets; its AZs follow from them"),
        key("autoscaling_group", "target_groups", T::References)
            .def("[]")
            .names("TargetGroupARNs", "target_group_arns")
            .doc("registered on InService, deregistered (with the delay) on termination"),
        key("autoscaling_group", "health_check_type", T::Choice)
            .of(kHealthCheckType)
            .def("\"EC2\"")
            .names("HealthCheckType", "health_check_type")
            .doc("ELB also replaces instances the target group calls unhealthy"),
        key("autoscaling_group", "health_check_grace_period", T::Seconds)
            .range(0)
            .def("300")
            .unit("s")
            .names("HealthCheckGracePeriod", "health_check_grace_period")
            .run(kByAction | kByViewer, S::GroupHealthCheckGracePeriod)
            .doc("after launch, health is not judged for this long"),
        key("autoscaling_group", "default_cooldown", T::Seconds)
            .range(0)
            .def("300")
            .unit("s")
            .names("DefaultCooldown", "default_cooldown")
            .doc("simple scaling waits this long after an activity"),
        key("autoscaling_group", "default_instance_warmup", T::Seconds)
            .range(0)
            .unit("s")
            .names("DefaultInstanceWarmup", "default_instance_warmup")
            .doc("a new instance's metrics count toward scaling after this long"),
        key("autoscaling_group", "termination_policies", T::Choices)
            .of(kTerminationPolicy)
            .def("[\"Default\"]")
            .names("TerminationPolicies", "termination_policies")
            .doc("which instance a scale-in terminates, in order"),
        key("autoscaling_group", "protect_from_scale_in", T::Boolean)
            .def("false")
            .names("NewInstancesProtectedFromScaleIn", "protect_from_scale_in")
            .doc("new instances are protected from scale-in"),
        key("autoscaling_group", "capacity_rebalance", T::Boolean)
            .def("false")
            .names("CapacityRebalance", "capacity_rebalance")
            .doc("launch a replacement on a Spot rebalance recommendation"),
        key("autoscaling_group", "mixed_instances_policy", T::Table)
            .names("MixedInstancesPolicy", "mixed_instances_policy")
            .doc("On-Demand and Spot Instances of several types"),
        key("autoscaling_group", "mixed_instances_policy.on_demand_base_capacity", T::Integer)
            .range(0)
            .def("0")
            .unit("instances")
            .names("OnDemandBaseCapacity", "instances_distribution.on_demand_base_capacity")
            .doc("the first instances are On-Demand"),
        key("autoscaling_group", "mixed_instances_policy.on_demand_percentage_above_base_capacity",
            T::Number)
            .range(0, 100)
            .def("100")
            .unit("%")
            .names("OnDemandPercentageAboveBaseCapacity",
                   "instances_distribution.on_demand_percentage_above_base_capacity")
            .doc("On-Demand share of the instances above the base"),
        key("autoscaling_group", "mixed_instances_policy.spot_allocation_strategy", T::Choice)
            .of(kSpotAllocationStrategy)
            .def("\"lowest-price\"")
            .names("SpotAllocationStrategy", "instances_distribution.spot_allocation_strategy")
            .doc("how Spot Instances are spread over the pools"),
        key("autoscaling_group", "mixed_instances_policy.spot_instance_pools", T::Integer)
            .range(1, 20)
            .def("2")
            .names("SpotInstancePools", "instances_distribution.spot_instance_pools")
            .doc("lowest-price: the cheapest pools used"),
        key("autoscaling_group", "mixed_instances_policy.instance_types", T::References)
            .names("Overrides.InstanceType", "launch_template.override.instance_type")
            .doc("the types it may launch"),
        key("autoscaling_group", "mixed_instances_policy.instances_distribution", T::Table)
            .names("InstancesDistribution", "instances_distribution")
            .doc("Terraform's form of the four keys above, under their own names"),
        key("autoscaling_group",
            "mixed_instances_policy.instances_distribution.on_demand_base_capacity", T::Integer)
            .range(0)
            .def("0")
            .names("OnDemandBaseCapacity", "on_demand_base_capacity")
            .doc("as mixed_instances_policy.on_demand_base_capacity"),
        key("autoscaling_group",
            "mixed_instances_policy.instances_distribution.on_demand_percentage_above_base_"
            "capacity",
            T::Number)
            .range(0, 100)
            .def("100")
            .unit("%")
            .names("OnDemandPercentageAboveBaseCapacity",
                   "on_demand_percentage_above_base_capacity")
            .doc("as mixed_instances_policy.on_demand_percentage_above_base_capacity"),
        key("autoscaling_group",
            "mixed_instances_policy.instances_distribution.spot_allocation_strategy", T::Choice)
            .of(kSpotAllocationStrategy)
            .def("\"lowest-price\"")
            .names("SpotAllocationStrategy", "spot_allocation_strategy")
            .doc("as mixed_instances_policy.spot_allocation_strategy"),
        key("autoscaling_group",
            "mixed_instances_policy.instances_distribution.spot_instance_pools", T::Integer)
            .range(1, 20)
            .def("2")
            .names("SpotInstancePools", "spot_instance_pools")
            .doc("as mixed_instances_policy.spot_instance_pools"),
        outside("autoscaling_group",
                "mixed_instances_policy.instances_distribution.on_demand_allocation_strategy",
                T::Text, "on_demand_allocation_strategy",
                "On-Demand types are taken in the order given"),
        outside("autoscaling_group", "mixed_instances_policy.instances_distribution.spot_max_price",
                T::Text, "spot_max_price", "Spot is paid at its market price"),
        key("autoscaling_group", "mixed_instances_policy.launch_template", T::Table)
            .names("LaunchTemplate", "launch_template")
            .doc("Terraform's form: launch_template_specification and override"),
        key("autoscaling_group",
            "mixed_instances_policy.launch_template.launch_template_specification", T::Table)
            .names("LaunchTemplateSpecification", "launch_template_specification")
            .doc("the template: as the group's launch_template"),
        key("autoscaling_group",
            "mixed_instances_policy.launch_template.launch_template_specification."
            "launch_template_name",
            T::Reference)
            .names("LaunchTemplateName", "launch_template_name")
            .doc("the group's launch template (a name of [[launch_template]])"),
        key("autoscaling_group",
            "mixed_instances_policy.launch_template.launch_template_specification.version", T::Text)
            .def("\"$Default\"")
            .names("Version", "version")
            .doc("\"$Latest\", \"$Default\" or a version number"),
        outside("autoscaling_group",
                "mixed_instances_policy.launch_template.launch_template_specification."
                "launch_template_id",
                T::Text, "launch_template_id", "templates are named by launch_template_name"),
        key("autoscaling_group", "mixed_instances_policy.launch_template.override", T::Tables)
            .names("Overrides", "override")
            .doc("the types it may launch, one table each"),
        key("autoscaling_group", "mixed_instances_policy.launch_template.override[].instance_type",
            T::Reference)
            .req()
            .names("InstanceType", "instance_type")
            .doc("a type it may launch"),
        outside("autoscaling_group",
                "mixed_instances_policy.launch_template.override[].weighted_capacity", T::Text,
                "weighted_capacity", "every instance counts as one unit"),
        key("autoscaling_group", "tag", T::Tables)
            .names("Tags", "tag")
            .doc("Terraform's tag blocks: { key, value, propagate_at_launch }"),
        key("autoscaling_group", "tag[].key", T::Text)
            .req()
            .names("Key", "key")
            .doc("the tag's key"),
        key("autoscaling_group", "tag[].value", T::Text)
            .req()
            .names("Value", "value")
            .doc("the tag's value"),
        key("autoscaling_group", "tag[].propagate_at_launch", T::Boolean)
            .req()
            .names("PropagateAtLaunch", "propagate_at_launch")
            .doc("true: the group's instances carry it (and the bill shows it)"),
        outside("autoscaling_group", "wait_for_capacity_timeout", T::Text,
                "wait_for_capacity_timeout", "how long Terraform waits"),
        outside("autoscaling_group", "force_delete", T::Boolean, "force_delete",
                "how Terraform deletes the group"),
        outside("autoscaling_group", "enabled_metrics", T::Strings, "enabled_metrics",
                "group metrics are always published"),
        outside("autoscaling_group", "metrics_granularity", T::Text, "metrics_granularity",
                "group metrics are always published"),
        outside("autoscaling_group", "max_instance_lifetime", T::Integer, "max_instance_lifetime",
                "instance refresh by age"),
        outside("autoscaling_group", "service_linked_role_arn", T::Text, "service_linked_role_arn",
                "the group's IAM role"),
        key("autoscaling_group", "terminate_instance", T::Text)
            .only_run(kByAction | kByViewer, S::GroupTerminateInstance)
            .names("TerminateInstanceInAutoScalingGroup", "")
            .doc("terminates this instance (\"i-0003\") without lowering the desired capacity"),
        tags("autoscaling_group"),

        // [[autoscaling_policy]]
        key("autoscaling_policy", "name", T::Name)
            .req()
            .names("PolicyName", "name")
            .doc("its name"),
        key("autoscaling_policy", "autoscaling_group", T::Reference)
            .req()
            .names("AutoScalingGroupName", "autoscaling_group_name")
            .doc("the group it scales"),
        key("autoscaling_policy", "policy_type", T::Choice)
            .of(kPolicyType)
            .def("\"SimpleScaling\"")
            .names("PolicyType", "policy_type")
            .doc("simple, step or target tracking"),
        key("autoscaling_policy", "adjustment_type", T::Choice)
            .of(kAdjustmentType)
            .def("\"ChangeInCapacity\"")
            .names("AdjustmentType", "adjustment_type")
            .doc("how scaling_adjustment reads"),
        key("autoscaling_policy", "scaling_adjustment", T::Integer)
            .names("ScalingAdjustment", "scaling_adjustment")
            .doc("simple scaling: the change (required for SimpleScaling)"),
        key("autoscaling_policy", "cooldown", T::Seconds)
            .range(0)
            .def("the group's default_cooldown")
            .unit("s")
            .names("Cooldown", "cooldown")
            .doc("simple scaling: wait after an activity"),
        key("autoscaling_policy", "min_adjustment_magnitude", T::Integer)
            .range(1)
            .names("MinAdjustmentMagnitude", "min_adjustment_magnitude")
            .doc("PercentChangeInCapacity: change at least this many instances"),
        key("autoscaling_policy", "estimated_instance_warmup", T::Seconds)
            .range(0)
            .unit("s")
            .names("EstimatedInstanceWarmup", "estimated_instance_warmup")
            .doc("step and target tracking: a new instance counts after this long"),
        key("autoscaling_policy", "metric_aggregation_type", T::Choice)
            .of(kMetricAggregationType)
            .def("\"Average\"")
            .names("MetricAggregationType", "metric_aggregation_type")
            .doc("step scaling: the step is chosen by the alarm's newest period aggregated so"),
        key("autoscaling_policy", "step_adjustment", T::Tables)
            .names("StepAdjustments", "step_adjustment")
            .doc("step scaling: the steps, by the metric's distance from the threshold"),
        key("autoscaling_policy", "step_adjustment[].metric_interval_lower_bound", T::Number)
            .def("-infinity")
            .names("MetricIntervalLowerBound", "metric_interval_lower_bound")
            .doc("the step applies from threshold + this"),
        key("autoscaling_policy", "step_adjustment[].metric_interval_upper_bound", T::Number)
            .def("+infinity")
            .names("MetricIntervalUpperBound", "metric_interval_upper_bound")
            .doc("up to threshold + this"),
        key("autoscaling_policy", "step_adjustment[].scaling_adjustment", T::Integer)
            .req()
            .names("ScalingAdjustment", "scaling_adjustment")
            .doc("the change in this step"),
        key("autoscaling_policy", "target_tracking_configuration", T::Table)
            .names("TargetTrackingConfiguration", "target_tracking_configuration")
            .doc("target tracking: the metric and its target (required for it)"),
        key("autoscaling_policy", "target_tracking_configuration.predefined_metric_type", T::Choice)
            .def("required, or predefined_metric_specification")
            .of(kPredefinedMetricType)
            .names("PredefinedMetricType", "predefined_metric_specification.predefined_metric_type")
            .doc("the metric kept at the target"),
        key("autoscaling_policy", "target_tracking_configuration.predefined_metric_specification",
            T::Table)
            .names("PredefinedMetricSpecification", "predefined_metric_specification")
            .doc("Terraform's form of predefined_metric_type"),
        key("autoscaling_policy",
            "target_tracking_configuration.predefined_metric_specification.predefined_metric_type",
            T::Choice)
            .req()
            .of(kPredefinedMetricType)
            .names("PredefinedMetricType", "predefined_metric_type")
            .doc("the metric kept at the target"),
        outside("autoscaling_policy",
                "target_tracking_configuration.predefined_metric_specification.resource_label",
                T::Text, "resource_label",
                "ALBRequestCountPerTarget is of the group's target group"),
        key("autoscaling_policy", "target_tracking_configuration.target_value", T::Number)
            .req()
            .above(0)
            .names("TargetValue", "target_value")
            .doc("the value to keep the metric at"),
        key("autoscaling_policy", "target_tracking_configuration.disable_scale_in", T::Boolean)
            .def("false")
            .names("DisableScaleIn", "disable_scale_in")
            .doc("the policy only scales out"),
        key("autoscaling_policy", "enabled", T::Boolean)
            .only_run(kByAction | kByViewer, S::PolicyEnabled)
            .names("Enabled", "enabled")
            .doc("false switches the policy off: its alarms evaluate, it does not act"),
        key("autoscaling_policy", "target_value", T::Number)
            .above(0)
            .only_run(kByAction | kByViewer, S::PolicyTargetValue)
            .names("TargetValue", "")
            .doc("a new target for a target tracking policy (its alarms start again)"),

        // [[cloudwatch_metric_alarm]]
        key("cloudwatch_metric_alarm", "alarm_name", T::Name)
            .req()
            .names("AlarmName", "alarm_name")
            .doc("its name"),
        key("cloudwatch_metric_alarm", "namespace", T::Text)
            .req()
            .names("Namespace", "namespace")
            .doc("AWS/EC2, AWS/ApplicationELB, AWS/AutoScaling, AWS/ECS, "
                 "ECS/ContainerInsights or AWS/ECS/ManagedScaling"),
        key("cloudwatch_metric_alarm", "metric_name", T::Text)
            .req()
            .names("MetricName", "metric_name")
            .doc("a metric of the namespace that stratus publishes"),
        key("cloudwatch_metric_alarm", "dimensions", T::StringTable)
            .names("Dimensions", "dimensions")
            .doc("{ AutoScalingGroupName = \"web\" }, LoadBalancer, TargetGroup, ClusterName, "
                 "ServiceName, CapacityProviderName"),
        key("cloudwatch_metric_alarm", "statistic", T::Choice)
            .of(kStatistic)
            .def("\"Average\" (without extended_statistic)")
            .names("Statistic", "statistic")
            .doc("the statistic of each period"),
        key("cloudwatch_metric_alarm", "extended_statistic", T::Percentile)
            .names("ExtendedStatistic", "extended_statistic")
            .doc("a percentile instead: \"p99\", \"p99.9\""),
        key("cloudwatch_metric_alarm", "period", T::Seconds)
            .range(1)
            .def("60")
            .unit("s")
            .names("Period", "period")
            .doc("10, 30 or a multiple of 60"),
        key("cloudwatch_metric_alarm", "evaluation_periods", T::Integer)
            .range(1)
            .def("1")
            .names("EvaluationPeriods", "evaluation_periods")
            .doc("the periods looked at (their span is at most a day)"),
        key("cloudwatch_metric_alarm", "datapoints_to_alarm", T::Integer)
            .range(1)
            .def("evaluation_periods")
            .names("DatapointsToAlarm", "datapoints_to_alarm")
            .doc("breaching periods among them that set ALARM"),
        key("cloudwatch_metric_alarm", "comparison_operator", T::Choice)
            .req()
            .of(kComparisonOperator)
            .names("ComparisonOperator", "comparison_operator")
            .doc("how the statistic compares to the threshold"),
        key("cloudwatch_metric_alarm", "threshold", T::Number)
            .req()
            .names("Threshold", "threshold")
            .doc("the threshold"),
        key("cloudwatch_metric_alarm", "treat_missing_data", T::Choice)
            .of(kTreatMissingData)
            .def("\"missing\"")
            .names("TreatMissingData", "treat_missing_data")
            .doc("how a period without data counts"),
        key("cloudwatch_metric_alarm", "alarm_actions", T::References)
            .def("[]")
            .names("AlarmActions", "alarm_actions")
            .doc("scaling policies run on ALARM (and every minute in it); an SNS topic's ARN "
                 "(a notification) is accepted, not modelled"),
        key("cloudwatch_metric_alarm", "ok_actions", T::References)
            .def("[]")
            .names("OKActions", "ok_actions")
            .doc("scaling policies run on OK"),
        key("cloudwatch_metric_alarm", "actions_enabled", T::Boolean)
            .def("true")
            .names("ActionsEnabled", "actions_enabled")
            .doc("false: the alarm changes state and runs none of its actions"),
        outside("cloudwatch_metric_alarm", "alarm_description", T::Text, "alarm_description",
                "free text"),
        outside("cloudwatch_metric_alarm", "insufficient_data_actions", T::Strings,
                "insufficient_data_actions", "actions on INSUFFICIENT_DATA (notifications)"),
        outside("cloudwatch_metric_alarm", "unit", T::Text, "unit",
                "the unit asked for (the metric's own is used)"),
        tags("cloudwatch_metric_alarm"),

        // [[autoscaling_schedule]]
        key("autoscaling_schedule", "scheduled_action_name", T::Name)
            .req()
            .names("ScheduledActionName", "scheduled_action_name")
            .doc("its name"),
        key("autoscaling_schedule", "autoscaling_group", T::Reference)
            .req()
            .names("AutoScalingGroupName", "autoscaling_group_name")
            .doc("the group it sets"),
        key("autoscaling_schedule", "min_size", T::Integer)
            .range(0, kMaxInstances)
            .unit("instances")
            .names("MinSize", "min_size")
            .doc("the new minimum (at least one size is needed)"),
        key("autoscaling_schedule", "max_size", T::Integer)
            .range(0, kMaxInstances)
            .unit("instances")
            .names("MaxSize", "max_size")
            .doc("the new maximum"),
        key("autoscaling_schedule", "desired_capacity", T::Integer)
            .range(0, kMaxInstances)
            .unit("instances")
            .names("DesiredCapacity", "desired_capacity")
            .doc("the new desired capacity"),
        key("autoscaling_schedule", "recurrence", T::Text)
            .names("Recurrence", "recurrence")
            .doc("a 5-field cron expression (\"0 9 * * 1-5\"); without it, once at start_time"),
        key("autoscaling_schedule", "start_time", T::TimePoint)
            .names("StartTime", "start_time")
            .doc("the one time it runs, or when the recurrence begins"),
        key("autoscaling_schedule", "end_time", T::TimePoint)
            .names("EndTime", "end_time")
            .doc("the recurrence stops then"),
        key("autoscaling_schedule", "time_zone", T::Text)
            .def("UTC")
            .names("TimeZone", "time_zone")
            .doc("IANA time zone of the recurrence (\"Asia/Seoul\")"),

        // [[workload]]
        key("workload", "name", T::Name).req().doc("its name"),
        key("workload", "load_balancer", T::Reference)
            .req()
            .doc("where its requests arrive (the first listener's target group serves them, "
                 "or listener_port's)"),
        key("workload", "rate", T::Rate).req().unit("requests/s").doc("the arrival rate over time"),
        key("workload", "spike", T::Tables)
            .def("[]")
            .doc("spikes: the rate multiplied for a while"),
        key("workload", "spike[].at", T::TimePoint).req().doc("when the spike starts"),
        key("workload", "spike[].duration", T::Duration).req().above(0).doc("how long it lasts"),
        key("workload", "spike[].multiplier", T::Number)
            .req()
            .range(0)
            .doc("the rate is multiplied by it"),
        key("workload", "aws_call", T::Tables)
            .def("[]")
            .doc("extension: AWS API calls the application makes while serving a request; "
                 "its instance profile or task role must allow them, else the request "
                 "fails with 500 (docs/iam.md)"),
        key("workload", "aws_call[].action", T::Text)
            .req()
            .doc("the API action, as IAM names it: \"s3:PutObject\""),
        key("workload", "aws_call[].resource", T::Text)
            .req()
            .doc("the resource's ARN: \"arn:aws:s3:::app-logs/logs/app.log\""),
        key("workload", "aws_call[].fraction", T::Number)
            .above(0, 1)
            .def("1")
            .doc("of the requests the application serves, spread evenly (0.1: every tenth)"),
        key("workload", "service_time", T::Distribution)
            .def("\"50ms\"")
            .doc("a request's CPU time on a speed-1.0 vCPU"),
        key("workload", "timeout", T::Duration)
            .above(0)
            .def("\"30s\"")
            .doc("the client gives up (504)"),
        key("workload", "database", T::Reference)
            .doc("a db_instance every request needs (500 while it is unreachable)"),
        key("workload", "database_connect_timeout", T::Seconds)
            .range(1, kMaxDatabaseConnectTimeout)
            .def("10")
            .unit("s")
            .doc("how long the application waits for a database connection that never opens "
                 "before it answers 500 (its driver's connect timeout)"),
        key("workload", "request_bytes", T::Integer)
            .range(0)
            .def("1024")
            .unit("bytes")
            .doc("request size: load balancer capacity units, data transfer")
            .bills("load balancer LCUs (processed bytes)",
                   "1 KiB: a request line and its headers, no body"),
        key("workload", "database_bytes", T::Integer)
            .range(0)
            .def("4096")
            .unit("bytes")
            .doc("exchanged with the database per request (inter-AZ transfer)")
            .bills("data transfer between AZs (a database in another AZ)",
                   "4 KiB per request: a query and a small result set"),
        key("workload", "outbound_bytes", T::Integer)
            .range(0)
            .def("0")
            .unit("bytes")
            .doc("sent to the internet by the instance per request (NAT, egress)")
            .bills("NAT gateway processing, data transfer out to the internet",
                   "0: the application calls nothing outside the VPC"),
        key("workload", "s3_bytes", T::Integer)
            .range(0)
            .def("0")
            .unit("bytes")
            .doc("exchanged with S3 in the region per request (NAT or gateway endpoint)")
            .bills("NAT gateway processing (none through a gateway endpoint)",
                   "0: the application reads and writes nothing in S3"),
        key("workload", "dynamodb_bytes", T::Integer)
            .range(0)
            .def("0")
            .unit("bytes")
            .doc("exchanged with DynamoDB in the region per request (NAT or endpoint)")
            .bills("NAT gateway processing (none through a gateway endpoint)",
                   "0: the application uses no DynamoDB table"),
        key("workload", "response_bytes", T::Integer)
            .range(0)
            .def("16384")
            .unit("bytes")
            .doc("response size: capacity units, data transfer out")
            .bills("data transfer out to the internet, load balancer LCUs (processed bytes)",
                   "16 KiB: between a JSON API answer (a few KiB) and a web page's HTML (tens of "
                   "KiB)"),
        key("workload", "requests_per_connection", T::Number)
            .range(1, 1e9)
            .def("1")
            .doc("requests a client sends on one connection (HTTP keep-alive): LCUs")
            .bills("load balancer LCUs (new connections)",
                   "1: no keep-alive, a new connection per request, the most LCUs (browsers and "
                   "SDKs reuse connections)"),
        key("workload", "connection_duration", T::Duration)
            .range(0, 7 * 24 * 3600)
            .def("\"0s\"")
            .doc("how long a client holds a connection (0s: while a request is in flight)")
            .bills("load balancer LCUs (active connections)",
                   "0 s: a connection is open only while its request is in flight"),
        key("workload", "listener_port", T::Integer)
            .range(1, 65535)
            .def("the first listener's")
            .doc("extension: the port of the listener of its load balancer its clients connect "
                 "to (a temporary listener checked before a blue/green swap)"),
        key("workload", "client_cidr", T::Text)
            .def("\"0.0.0.0/0\"")
            .doc("extension: where its clients connect from; the load balancer's security "
                 "groups must allow the listener's port from a block holding it (an office's "
                 "block: \"203.0.113.0/24\")"),
        key("workload", "rate_multiplier", T::Number)
            .range(0)
            .only_run(kByAction | kByViewer, S::WorkloadRateMultiplier)
            .doc("multiplies the rate from then on (a traffic spike; 1 ends it)"),

        // [[db_instance]]
        key("db_instance", "identifier", T::Name)
            .req()
            .names("DBInstanceIdentifier", "identifier")
            .doc("its name"),
        key("db_instance", "instance_class", T::Text)
            .req()
            .names("DBInstanceClass", "instance_class")
            .doc("a class of the region's price list (\"db.m5.large\")"),
        key("db_instance", "engine", T::Choice)
            .of(kDbEngine)
            .def("\"mysql\"")
            .names("Engine", "engine")
            .doc("the engine: sets the default port"),
        key("db_instance", "port", T::Integer)
            .range(1, 65535)
            .def("3306 (mysql), 5432 (postgres)")
            .names("Port", "port")
            .doc("the port applications connect to"),
        key("db_instance", "multi_az", T::Boolean)
            .def("false")
            .names("MultiAZ", "multi_az")
            .doc("a standby in another AZ takes over when the primary's AZ fails")
            .bills("RDS instance hours and storage (Multi-AZ bills the standby too)",
                   "false: a Single-AZ DB instance, as the RDS console creates for dev/test"),
        key("db_instance", "availability_zone", T::Text)
            .def("its first subnet's AZ, or the region's first")
            .names("AvailabilityZone", "availability_zone")
            .doc("the primary's AZ"),
        key("db_instance", "allocated_storage", T::Integer)
            .range(1)
            .def("20")
            .unit("GB")
            .names("AllocatedStorage", "allocated_storage")
            .doc("storage, billed per GB-month")
            .bills("RDS storage (GB-months)", "20 GB: the RDS console's default allocated storage"),
        key("db_instance", "failover_time", T::Distribution)
            .def("{ dist = \"uniform\", min = \"60s\", max = \"120s\" }")
            .doc("Multi-AZ: how long a failover takes"),
        key("db_instance", "subnets", T::References)
            .names("DBSubnetGroupName", "db_subnet_group_name")
            .doc("its subnets"),
        key("db_instance", "security_groups", T::References)
            .names("VPCSecurityGroups", "vpc_security_group_ids")
            .doc("its security groups"),
        outside("db_instance", "engine_version", T::Text, "engine_version",
                "the engine's version (prices do not depend on it)"),
        outside("db_instance", "storage_type", T::Text, "storage_type",
                "the storage type (billed at the General Purpose SSD rate)"),
        outside("db_instance", "username", T::Text, "username", "the master user"),
        outside("db_instance", "password", T::Text, "password", "the master password"),
        outside("db_instance", "db_name", T::Text, "db_name", "the database created"),
        outside("db_instance", "parameter_group_name", T::Text, "parameter_group_name",
                "the parameter group"),
        outside("db_instance", "skip_final_snapshot", T::Boolean, "skip_final_snapshot",
                "what Terraform does on destroy"),
        outside("db_instance", "final_snapshot_identifier", T::Text, "final_snapshot_identifier",
                "what Terraform does on destroy"),
        outside("db_instance", "deletion_protection", T::Boolean, "deletion_protection",
                "deletion protection"),
        outside("db_instance", "backup_retention_period", T::Integer, "backup_retention_period",
                "automated backups (their storage is not billed)"),
        outside("db_instance", "publicly_accessible", T::Boolean, "publicly_accessible",
                "a public DNS name (reachability follows routes and security groups)"),
        outside("db_instance", "storage_encrypted", T::Boolean, "storage_encrypted",
                "encryption at rest"),
        outside("db_instance", "apply_immediately", T::Boolean, "apply_immediately",
                "when changes apply"),
        tags("db_instance"),

        // [[ecs_cluster]]
        key("ecs_cluster", "name", T::Name).req().names("ClusterName", "name").doc("its name"),
        key("ecs_cluster", "setting", T::Tables)
            .def("[]")
            .names("Settings", "setting")
            .doc("cluster settings; containerInsights is the one ECS has"),
        key("ecs_cluster", "setting[].name", T::Text)
            .req()
            .names("Name", "name")
            .doc("containerInsights"),
        key("ecs_cluster", "setting[].value", T::Text)
            .req()
            .names("Value", "value")
            .doc("enabled or enhanced: ECS/ContainerInsights metrics (RunningTaskCount) are "
                 "published; disabled (AWS's default): they are not"),
        key("ecs_cluster", "drain_container_instance", T::Text)
            .only_run(kByAction, S::EcsDrainContainerInstance)
            .names("UpdateContainerInstancesState", "")
            .doc("sets this container instance (\"i-0003\") DRAINING: its service tasks are "
                 "replaced elsewhere"),
        outside("ecs_cluster", "configuration", T::Table, "configuration",
                "ECS Exec and managed storage"),
        tags("ecs_cluster"),

        // [[ecs_task_definition]]
        key("ecs_task_definition", "family", T::Name)
            .req()
            .names("Family", "family")
            .doc("its name; a service names its family"),
        key("ecs_task_definition", "cpu", T::Integer)
            .range(128, 196608)
            .def("required for Fargate; EC2: the containers' cpu")
            .unit("CPU units")
            .names("Cpu", "cpu")
            .doc("the task's size, 1024 units = 1 vCPU; Fargate: 256, 512, 1024, ..., 16384"),
        key("ecs_task_definition", "memory", T::Integer)
            .range(128, 1048576)
            .def("required for Fargate; EC2: the containers' memory")
            .unit("MiB")
            .names("Memory", "memory")
            .doc("the task's memory; Fargate accepts set amounts for each cpu"),
        key("ecs_task_definition", "requires_compatibilities", T::Choices)
            .of(kEcsLaunchType)
            .def("[]")
            .names("RequiresCompatibilities", "requires_compatibilities")
            .doc("the launch types the definition is checked for (FARGATE checks cpu/memory)"),
        key("ecs_task_definition", "network_mode", T::Choice)
            .of(kNetworkMode)
            .def("\"bridge\"")
            .names("NetworkMode", "network_mode")
            .doc("awsvpc (required by Fargate): each task has its own network interface"),
        key("ecs_task_definition", "container_definitions", T::Text)
            .req()
            .names("ContainerDefinitions", "container_definitions")
            .doc("JSON text: the containers (name, image, essential, portMappings[]."
                 "containerPort and hostPort, cpu, memory, memoryReservation, dependsOn[]: "
                 "containerName and condition START, COMPLETE, SUCCESS or HEALTHY, healthCheck: "
                 "command starting CMD or CMD-SHELL, interval 5-300 s (30), timeout 2-60 s (5), "
                 "retries 1-10 (3), startPeriod 0-300 s (off)); at most 10 containers"),
        key("ecs_task_definition", "provisioning_time", T::Distribution)
            .def("\"20s\"")
            .doc("PROVISIONING: Fargate capacity and the task's network interface"),
        key("ecs_task_definition", "image_pull_time", T::Distribution)
            .def("\"15s\"")
            .doc("PENDING: the image pulled from the registry (billing starts with it)"),
        key("ecs_task_definition", "image_size_mb", T::Number)
            .range(0, 1e6)
            .unit("MB")
            .doc("extension: the compressed size of the task's images (as ECR shows it): the "
                 "pull takes image_size_mb / image_pull_throughput instead of image_pull_time, "
                 "and its bytes count for a NAT gateway or an interface endpoint on the way"),
        key("ecs_task_definition", "image_pull_throughput", T::Number)
            .range(0.1, 1e4)
            .def("25")
            .unit("MB/s")
            .doc("extension: how fast an image_size_mb pull goes, download and extraction"),
        key("ecs_task_definition", "app_start_time", T::Distribution)
            .def("\"10s\"")
            .doc("RUNNING until the application answers requests and health checks"),
        key("ecs_task_definition", "app_port", T::Integer)
            .range(1, 65535)
            .def("the load_balancer's container_port")
            .doc("extension: the port the application listens on in its container; another "
                 "port gets no answer (the load balancer's health checks fail)"),
        key("ecs_task_definition", "workers_per_vcpu", T::Integer)
            .range(1, kMaxWorkersPerInstance)
            .def("1")
            .doc("requests served at once per vCPU; the rest queue"),
        key("ecs_task_definition", "max_queue", T::Integer)
            .range(0)
            .def("1000")
            .unit("requests")
            .doc("queued requests per task beyond which it answers 503"),
        key("ecs_task_definition", "app_healthy", T::Boolean)
            .def("true")
            .doc("false: a bad image whose application never answers: its health checks fail"),
        key("ecs_task_definition", "essential_container_exits_after", T::Distribution)
            .doc("a crashing image: the essential container exits this long after RUNNING and "
                 "ECS stops the task"),
        key("ecs_task_definition", "container_exits_after", T::StringTable)
            .doc("extension: { container = \"30s\" }: the container exits (code 0) this long "
                 "after it starts: an init container another one waits for (dependsOn COMPLETE "
                 "or SUCCESS); an essential container's exit stops the task, a non-essential "
                 "one's does not"),
        key("ecs_task_definition", "app_memory", T::Number)
            .range(0)
            .def("0")
            .unit("MiB")
            .doc("memory the application holds while the task runs (AWS/ECS MemoryUtilization)"),
        key("ecs_task_definition", "request_memory", T::Number)
            .range(0)
            .def("0")
            .unit("MiB")
            .doc("memory each request holds while a worker serves it"),
        key("ecs_task_definition", "runtime_platform", T::Table)
            .names("RuntimePlatform", "runtime_platform")
            .doc("the platform its containers run on"),
        key("ecs_task_definition", "runtime_platform.cpu_architecture", T::Choice)
            .of(kCpuArchitecture)
            .def("\"X86_64\"")
            .names("CpuArchitecture", "cpu_architecture")
            .doc("ARM64: Graviton; Fargate bills it at its Linux/ARM rates"),
        key("ecs_task_definition", "runtime_platform.operating_system_family", T::Text)
            .def("\"LINUX\"")
            .names("OperatingSystemFamily", "operating_system_family")
            .doc("LINUX, or WINDOWS_SERVER_2019_FULL, _2019_CORE, _2022_FULL, _2022_CORE: "
                 "Windows containers on Fargate (X86_64, 1 to 4 vCPU, no Fargate Spot), billed "
                 "at the Windows rates plus an OS license fee per vCPU, 5 minutes at least"),
        key("ecs_task_definition", "ephemeral_storage", T::Table)
            .names("EphemeralStorage", "ephemeral_storage")
            .doc("Fargate: the task's ephemeral storage beyond the free 20 GiB"),
        key("ecs_task_definition", "ephemeral_storage.size_in_gib", T::Integer)
            .req()
            .range(21, 200)
            .unit("GiB")
            .names("SizeInGiB", "size_in_gib")
            .doc("the task's ephemeral storage; Fargate bills the GiB above 20 per second"),
        outside("ecs_task_definition", "execution_role_arn", T::Text, "execution_role_arn",
                "the role ECS pulls images and writes logs with"),
        key("ecs_task_definition", "task_role_arn", T::Text)
            .names("taskRoleArn", "task_role_arn")
            .doc("the [[iam_role]] its application acts as (its name or "
                 "arn:aws:iam::123456789012:role/NAME); none: no AWS credentials"),
        key("ecs_task_definition", "placement_constraints", T::Tables)
            .names("PlacementConstraints", "placement_constraints")
            .doc("EC2 launch type: memberOf rules every task of it must meet (at most 10; "
                 "distinctInstance is refused here, as ECS does)"),
        key("ecs_task_definition", "placement_constraints[].type", T::Choice)
            .req()
            .of(kPlacementConstraintType)
            .names("Type", "type")
            .doc("memberOf: only the instances `expression` selects"),
        key("ecs_task_definition", "placement_constraints[].expression", T::Text)
            .names("Expression", "expression")
            .doc("a cluster query language expression, e.g. attribute:ecs.instance-type =~ "
                 "t3.*"),
        tags("ecs_task_definition"),

        // [[ecs_service]]
        key("ecs_service", "name", T::Name).req().names("ServiceName", "name").doc("its name"),
        key("ecs_service", "cluster", T::Reference)
            .req()
            .names("Cluster", "cluster")
            .doc("an [[ecs_cluster]]"),
        key("ecs_service", "task_definition", T::Reference)
            .req()
            .names("TaskDefinition", "task_definition")
            .run(kByAction, S::EcsServiceTaskDefinition)
            .doc("the family of an [[ecs_task_definition]]; an [[action]] changing it starts a "
                 "rolling update"),
        key("ecs_service", "desired_count", T::Integer)
            .range(0, kMaxInstances)
            .def("0")
            .unit("tasks")
            .names("DesiredCount", "desired_count")
            .run(kByAction, S::EcsServiceDesiredCount)
            .doc("tasks the service scheduler keeps running (none with DAEMON); an [[action]] "
                 "changing it is an UpdateService"),
        key("ecs_service", "scheduling_strategy", T::Choice)
            .of(kEcsSchedulingStrategy)
            .def("\"REPLICA\"")
            .names("SchedulingStrategy", "scheduling_strategy")
            .doc("REPLICA: desired_count tasks; DAEMON: one task on each registered container "
                 "instance that has room (EC2 launch type only; no desired_count, placement "
                 "strategy, capacity provider strategy or Service Auto Scaling; deployments "
                 "default to 0 and 100 %)"),
        key("ecs_service", "launch_type", T::Choice)
            .of(kEcsLaunchType)
            .def("\"EC2\"")
            .names("LaunchType", "launch_type")
            .doc("FARGATE: AWS runs each task on capacity of its own size; EC2: on the "
                 "cluster's container instances"),
        key("ecs_service", "network_configuration", T::Table)
            .names("NetworkConfiguration.AwsvpcConfiguration", "network_configuration")
            .doc("awsvpc: the tasks' subnets and security groups (required for awsvpc)"),
        key("ecs_service", "network_configuration.subnets", T::References)
            .req()
            .names("Subnets", "subnets")
            .doc("the tasks are spread across these subnets' AZs"),
        key("ecs_service", "network_configuration.security_groups", T::References)
            .def("[]")
            .names("SecurityGroups", "security_groups")
            .doc("security groups of the tasks' network interfaces"),
        key("ecs_service", "network_configuration.assign_public_ip", T::Boolean)
            .def("false")
            .names("AssignPublicIp", "assign_public_ip")
            .doc("a public IPv4 address per task (billed per hour); a task in a public subnet "
                 "needs one to pull its image"),
        key("ecs_service", "load_balancer", T::Tables)
            .def("[]")
            .names("LoadBalancers", "load_balancer")
            .doc("target groups the tasks are registered in"),
        key("ecs_service", "load_balancer[].target_group_arn", T::Reference)
            .req()
            .names("TargetGroupArn", "target_group_arn")
            .doc("a [[target_group]] (target_type = \"ip\" for awsvpc)"),
        key("ecs_service", "load_balancer[].container_name", T::Text)
            .req()
            .names("ContainerName", "container_name")
            .doc("the container registered: a name in the task definition"),
        key("ecs_service", "load_balancer[].container_port", T::Integer)
            .req()
            .range(1, 65535)
            .names("ContainerPort", "container_port")
            .doc("its port: one of the container's portMappings"),
        key("ecs_service", "health_check_grace_period_seconds", T::Seconds)
            .range(0, 2147483647)
            .def("0")
            .unit("s")
            .names("HealthCheckGracePeriodSeconds", "health_check_grace_period_seconds")
            .doc("the scheduler ignores failed ELB health checks this long after a task starts"),
        key("ecs_service", "deployment_minimum_healthy_percent", T::Integer)
            .range(0, 100)
            .def("100")
            .unit("%")
            .names("DeploymentConfiguration.MinimumHealthyPercent",
                   "deployment_minimum_healthy_percent")
            .doc("a rolling update keeps this share of desired_count healthy (rounded up)"),
        key("ecs_service", "deployment_maximum_percent", T::Integer)
            .range(100, 2147483647)
            .def("200")
            .unit("%")
            .names("DeploymentConfiguration.MaximumPercent", "deployment_maximum_percent")
            .doc("a rolling update runs at most this share of desired_count RUNNING or PENDING "
                 "(rounded down)"),
        key("ecs_service", "deployment_circuit_breaker", T::Table)
            .names("DeploymentConfiguration.DeploymentCircuitBreaker", "deployment_circuit_breaker")
            .doc("fails a rolling update whose tasks keep failing"),
        key("ecs_service", "deployment_circuit_breaker.enable", T::Boolean)
            .req()
            .names("Enable", "enable")
            .doc("fail the deployment after 0.5 x desired_count failed tasks in a row (3 to 200)"),
        key("ecs_service", "deployment_circuit_breaker.rollback", T::Boolean)
            .req()
            .names("Rollback", "rollback")
            .doc("roll a failed deployment back to the last completed one"),
        key("ecs_service", "capacity_provider_strategy", T::Tables)
            .def("[]")
            .names("CapacityProviderStrategy", "capacity_provider_strategy")
            .doc("FARGATE / FARGATE_SPOT split of the tasks, or an Auto Scaling group capacity "
                 "provider, instead of launch_type"),
        // The choices are the Fargate providers; any other name is an [[ecs_capacity_provider]].
        key("ecs_service", "capacity_provider_strategy[].capacity_provider", T::Reference)
            .req()
            .of(kEcsCapacityProvider)
            .names("CapacityProvider", "capacity_provider")
            .doc("FARGATE, FARGATE_SPOT (discounted, interrupted with a two-minute warning) or "
                 "an [[ecs_capacity_provider]] of the cluster"),
        key("ecs_service", "capacity_provider_strategy[].weight", T::Integer)
            .range(0, 1000)
            .def("0")
            .names("Weight", "weight")
            .doc("its share of the tasks above the base (0: none)"),
        key("ecs_service", "capacity_provider_strategy[].base", T::Integer)
            .range(0, 100000)
            .def("0")
            .unit("tasks")
            .names("Base", "base")
            .doc("tasks placed on it before the weights apply (one provider at most)"),
        key("ecs_service", "spot_interruption_monthly_rate", T::Number)
            .range(0)
            .def("0.05")
            .doc("extension: interruptions per FARGATE_SPOT task-month (730 h); AWS publishes "
                 "none"),
        key("ecs_service", "ordered_placement_strategy", T::Tables)
            .def("spread by AZ, then binpack on memory")
            .names("PlacementStrategy", "ordered_placement_strategy")
            .doc("EC2 launch type: how a container instance is picked, each block breaking the "
                 "ties of the one before"),
        key("ecs_service", "ordered_placement_strategy[].type", T::Choice)
            .req()
            .of(kPlacementStrategyType)
            .names("Type", "type")
            .doc("spread: evenly over `field`; binpack: the least `field` left; random"),
        key("ecs_service", "ordered_placement_strategy[].field", T::Text)
            .def("\"\"")
            .names("Field", "field")
            .doc("spread: attribute:ecs.availability-zone, instanceId or host; binpack: cpu or "
                 "memory; random: none"),
        key("ecs_service", "placement_constraints", T::Tables)
            .names("PlacementConstraints", "placement_constraints")
            .doc("EC2 launch type: rules an instance must meet to take a task, with the task "
                 "definition's (at most 10)"),
        key("ecs_service", "placement_constraints[].type", T::Choice)
            .req()
            .of(kPlacementConstraintType)
            .names("Type", "type")
            .doc("distinctInstance: one task of the service per instance; memberOf: only the "
                 "instances `expression` selects"),
        key("ecs_service", "placement_constraints[].expression", T::Text)
            .names("Expression", "expression")
            .doc("memberOf: a cluster query language expression, e.g. "
                 "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]"),
        outside("ecs_service", "propagate_tags", T::Text, "propagate_tags",
                "tags copied to tasks (the service's tags are the ones billed)"),
        outside("ecs_service", "enable_ecs_managed_tags", T::Boolean, "enable_ecs_managed_tags",
                "tags ECS adds to tasks"),
        outside("ecs_service", "wait_for_steady_state", T::Boolean, "wait_for_steady_state",
                "how Terraform waits"),
        outside("ecs_service", "force_new_deployment", T::Boolean, "force_new_deployment",
                "how Terraform deploys"),
        outside("ecs_service", "enable_execute_command", T::Boolean, "enable_execute_command",
                "ECS Exec"),
        tags("ecs_service"),

        // [[ecs_capacity_provider]]
        key("ecs_capacity_provider", "name", T::Name).req().names("Name", "name").doc("its name"),
        key("ecs_capacity_provider", "auto_scaling_group_provider", T::Table)
            .req()
            .names("AutoScalingGroupProvider", "auto_scaling_group_provider")
            .doc("the group and how ECS scales it"),
        key("ecs_capacity_provider", "auto_scaling_group_provider.auto_scaling_group_arn",
            T::Reference)
            .req()
            .names("AutoScalingGroupArn", "auto_scaling_group_arn")
            .doc("an [[autoscaling_group]]: its instances are the container instances"),
        key("ecs_capacity_provider", "auto_scaling_group_provider.managed_termination_protection",
            T::Choice)
            .of(kManagedTerminationProtection)
            .def("\"DISABLED\"")
            .names("ManagedTerminationProtection", "managed_termination_protection")
            .doc("ENABLED: a scale-in spares the instances that run tasks (the group needs "
                 "protect_from_scale_in)"),
        key("ecs_capacity_provider", "auto_scaling_group_provider.managed_scaling", T::Table)
            .names("ManagedScaling", "managed_scaling")
            .doc("ECS scales the group to keep CapacityProviderReservation at target_capacity"),
        key("ecs_capacity_provider", "auto_scaling_group_provider.managed_scaling.status",
            T::Choice)
            .of(kManagedScalingStatus)
            .def("\"DISABLED\"")
            .names("Status", "status")
            .doc("ENABLED: ECS's target tracking policy sets the group's desired capacity"),
        key("ecs_capacity_provider", "auto_scaling_group_provider.managed_scaling.target_capacity",
            T::Integer)
            .range(1, 100)
            .def("100")
            .unit("%")
            .names("TargetCapacity", "target_capacity")
            .doc("CapacityProviderReservation kept: 100 = no spare instance"),
        key("ecs_capacity_provider",
            "auto_scaling_group_provider.managed_scaling.minimum_scaling_step_size", T::Integer)
            .range(1, 10000)
            .def("1")
            .unit("instances")
            .names("MinimumScalingStepSize", "minimum_scaling_step_size")
            .doc("the fewest instances a scale-out for waiting tasks adds"),
        key("ecs_capacity_provider",
            "auto_scaling_group_provider.managed_scaling.maximum_scaling_step_size", T::Integer)
            .range(1, 10000)
            .def("10000")
            .unit("instances")
            .names("MaximumScalingStepSize", "maximum_scaling_step_size")
            .doc("the most instances a scale-out adds at once"),
        key("ecs_capacity_provider",
            "auto_scaling_group_provider.managed_scaling.instance_warmup_period", T::Seconds)
            .range(0, 10000)
            .def("300")
            .unit("s")
            .names("InstanceWarmupPeriod", "instance_warmup_period")
            .doc("managed scaling does not scale in while an instance of the group launched "
                 "less than this ago"),
        key("ecs_capacity_provider", "auto_scaling_group_provider.managed_draining", T::Choice)
            .of(kManagedDraining)
            .def(kManagedDrainingDefault == ManagedDraining::Enabled ? "\"ENABLED\""
                                                                     : "\"DISABLED\"")
            .names("ManagedDraining", "managed_draining")
            .doc("ENABLED: an instance the group terminates is DRAINING first; it goes when its "
                 "tasks have been replaced"),
        tags("ecs_capacity_provider"),

        // [[ecs_cluster_capacity_providers]]
        key("ecs_cluster_capacity_providers", "cluster_name", T::Name)
            .req()
            .names("Cluster", "cluster_name")
            .doc("an [[ecs_cluster]] (one block per cluster)"),
        key("ecs_cluster_capacity_providers", "capacity_providers", T::Strings)
            .def("[]")
            .names("CapacityProviders", "capacity_providers")
            .doc("FARGATE, FARGATE_SPOT and [[ecs_capacity_provider]] names the cluster's "
                 "services may use"),
        key("ecs_cluster_capacity_providers", "default_capacity_provider_strategy", T::Tables)
            .def("[]")
            .names("DefaultCapacityProviderStrategy", "default_capacity_provider_strategy")
            .doc("the strategy of a service that gives neither launch_type nor a strategy"),
        key("ecs_cluster_capacity_providers",
            "default_capacity_provider_strategy[].capacity_provider", T::Reference)
            .req()
            .names("CapacityProvider", "capacity_provider")
            .doc("one of capacity_providers"),
        key("ecs_cluster_capacity_providers", "default_capacity_provider_strategy[].weight",
            T::Integer)
            .range(0, 1000)
            .def("0")
            .names("Weight", "weight")
            .doc("its share of the tasks above the base"),
        key("ecs_cluster_capacity_providers", "default_capacity_provider_strategy[].base",
            T::Integer)
            .range(0, 100000)
            .def("0")
            .unit("tasks")
            .names("Base", "base")
            .doc("tasks placed on it before the weights apply"),

        // [[appautoscaling_target]]
        key("appautoscaling_target", "resource_id", T::Name)
            .req()
            .names("ResourceId", "resource_id")
            .doc("\"service/<cluster>/<service>\": the [[ecs_service]] it scales"),
        key("appautoscaling_target", "service_namespace", T::Text)
            .def("\"ecs\"")
            .names("ServiceNamespace", "service_namespace")
            .doc("ecs, the only namespace modelled"),
        key("appautoscaling_target", "scalable_dimension", T::Text)
            .def("\"ecs:service:DesiredCount\"")
            .names("ScalableDimension", "scalable_dimension")
            .doc("ecs:service:DesiredCount, the service's desired_count"),
        key("appautoscaling_target", "min_capacity", T::Integer)
            .req()
            .range(0, kMaxInstances)
            .unit("tasks")
            .names("MinCapacity", "min_capacity")
            .doc("scaling never sets desired_count below this"),
        key("appautoscaling_target", "max_capacity", T::Integer)
            .req()
            .range(0, kMaxInstances)
            .unit("tasks")
            .names("MaxCapacity", "max_capacity")
            .doc("scaling never sets desired_count above this"),
        outside("appautoscaling_target", "role_arn", T::Text, "role_arn",
                "the service-linked role Application Auto Scaling acts with"),

        // [[appautoscaling_policy]]
        key("appautoscaling_policy", "name", T::Name)
            .req()
            .names("PolicyName", "name")
            .doc("its name"),
        key("appautoscaling_policy", "resource_id", T::Reference)
            .req()
            .names("ResourceId", "resource_id")
            .doc("the resource_id of an [[appautoscaling_target]]"),
        key("appautoscaling_policy", "service_namespace", T::Text)
            .def("\"ecs\"")
            .names("ServiceNamespace", "service_namespace")
            .doc("its target's"),
        key("appautoscaling_policy", "scalable_dimension", T::Text)
            .def("\"ecs:service:DesiredCount\"")
            .names("ScalableDimension", "scalable_dimension")
            .doc("its target's"),
        key("appautoscaling_policy", "policy_type", T::Choice)
            .of(kAppPolicyType)
            .def("\"StepScaling\"")
            .names("PolicyType", "policy_type")
            .doc("TargetTrackingScaling, or StepScaling driven by a [[cloudwatch_metric_alarm]]"),
        key("appautoscaling_policy", "target_tracking_scaling_policy_configuration", T::Table)
            .names("TargetTrackingScalingPolicyConfiguration",
                   "target_tracking_scaling_policy_configuration")
            .doc("the metric, its target and the cooldowns (required for target tracking)"),
        key("appautoscaling_policy",
            "target_tracking_scaling_policy_configuration.predefined_metric_specification",
            T::Table)
            .req()
            .names("PredefinedMetricSpecification", "predefined_metric_specification")
            .doc("the metric kept at the target"),
        key("appautoscaling_policy",
            "target_tracking_scaling_policy_configuration.predefined_metric_specification."
            "predefined_metric_type",
            T::Choice)
            .req()
            .of(kAppPredefinedMetricType)
            .names("PredefinedMetricType", "predefined_metric_type")
            .doc("the service's average CPU or memory utilization, or requests per target"),
        outside("appautoscaling_policy",
                "target_tracking_scaling_policy_configuration.predefined_metric_specification."
                "resource_label",
                T::Text, "resource_label",
                "ALBRequestCountPerTarget is of the service's first target group"),
        key("appautoscaling_policy", "target_tracking_scaling_policy_configuration.target_value",
            T::Number)
            .req()
            .above(0)
            .names("TargetValue", "target_value")
            .doc("the value to keep the metric at"),
        key("appautoscaling_policy",
            "target_tracking_scaling_policy_configuration.scale_in_cooldown", T::Seconds)
            .range(0, 2147483647)
            .def("300")
            .unit("s")
            .names("ScaleInCooldown", "scale_in_cooldown")
            .doc("after a scale-in, no other scale-in for this long"),
        key("appautoscaling_policy",
            "target_tracking_scaling_policy_configuration.scale_out_cooldown", T::Seconds)
            .range(0, 2147483647)
            .def("300")
            .unit("s")
            .names("ScaleOutCooldown", "scale_out_cooldown")
            .doc("after a scale-out, a further one adds only beyond what it added"),
        key("appautoscaling_policy",
            "target_tracking_scaling_policy_configuration.disable_scale_in", T::Boolean)
            .def("false")
            .names("DisableScaleIn", "disable_scale_in")
            .doc("the policy only scales out"),
        key("appautoscaling_policy", "step_scaling_policy_configuration", T::Table)
            .names("StepScalingPolicyConfiguration", "step_scaling_policy_configuration")
            .doc("the steps and their cooldown (required for step scaling); a "
                 "[[cloudwatch_metric_alarm]] names the policy in alarm_actions"),
        key("appautoscaling_policy", "step_scaling_policy_configuration.adjustment_type", T::Choice)
            .req()
            .of(kAdjustmentType)
            .names("AdjustmentType", "adjustment_type")
            .doc("how each step's scaling_adjustment reads"),
        key("appautoscaling_policy", "step_scaling_policy_configuration.cooldown", T::Seconds)
            .range(0, 2147483647)
            .def("300")
            .unit("s")
            .names("Cooldown", "cooldown")
            .doc("after a scale-out, a further one adds only beyond it; after a scale-in, no "
                 "other scale-in"),
        key("appautoscaling_policy", "step_scaling_policy_configuration.metric_aggregation_type",
            T::Choice)
            .of(kMetricAggregationType)
            .def("\"Average\"")
            .names("MetricAggregationType", "metric_aggregation_type")
            .doc("the step is chosen by the alarm's newest period aggregated so"),
        key("appautoscaling_policy", "step_scaling_policy_configuration.min_adjustment_magnitude",
            T::Integer)
            .range(1)
            .names("MinAdjustmentMagnitude", "min_adjustment_magnitude")
            .doc("PercentChangeInCapacity: change at least this many tasks"),
        key("appautoscaling_policy", "step_scaling_policy_configuration.step_adjustment", T::Tables)
            .req()
            .names("StepAdjustments", "step_adjustment")
            .doc("the steps, by the metric's distance from the alarm's threshold"),
        key("appautoscaling_policy",
            "step_scaling_policy_configuration.step_adjustment[].metric_interval_lower_bound",
            T::Number)
            .def("-infinity")
            .names("MetricIntervalLowerBound", "metric_interval_lower_bound")
            .doc("the step applies from threshold + this"),
        key("appautoscaling_policy",
            "step_scaling_policy_configuration.step_adjustment[].metric_interval_upper_bound",
            T::Number)
            .def("+infinity")
            .names("MetricIntervalUpperBound", "metric_interval_upper_bound")
            .doc("up to threshold + this"),
        key("appautoscaling_policy",
            "step_scaling_policy_configuration.step_adjustment[].scaling_adjustment", T::Integer)
            .req()
            .names("ScalingAdjustment", "scaling_adjustment")
            .doc("the change in this step"),

        // [[appautoscaling_scheduled_action]]
        key("appautoscaling_scheduled_action", "name", T::Name)
            .req()
            .names("ScheduledActionName", "name")
            .doc("its name"),
        key("appautoscaling_scheduled_action", "resource_id", T::Reference)
            .req()
            .names("ResourceId", "resource_id")
            .doc("the resource_id of an [[appautoscaling_target]]"),
        key("appautoscaling_scheduled_action", "service_namespace", T::Text)
            .def("\"ecs\"")
            .names("ServiceNamespace", "service_namespace")
            .doc("its target's"),
        key("appautoscaling_scheduled_action", "scalable_dimension", T::Text)
            .def("\"ecs:service:DesiredCount\"")
            .names("ScalableDimension", "scalable_dimension")
            .doc("its target's"),
        key("appautoscaling_scheduled_action", "schedule", T::Text)
            .req()
            .names("Schedule", "schedule")
            .doc("at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(6 fields, year *)"),
        key("appautoscaling_scheduled_action", "timezone", T::Text)
            .def("\"UTC\"")
            .names("Timezone", "timezone")
            .doc("IANA time zone of at() and cron()"),
        key("appautoscaling_scheduled_action", "start_time", T::TimePoint)
            .names("StartTime", "start_time")
            .doc("no run before this"),
        key("appautoscaling_scheduled_action", "end_time", T::TimePoint)
            .names("EndTime", "end_time")
            .doc("no run after this"),
        key("appautoscaling_scheduled_action", "scalable_target_action", T::Table)
            .req()
            .names("ScalableTargetAction", "scalable_target_action")
            .doc("the bounds it sets (at least one)"),
        key("appautoscaling_scheduled_action", "scalable_target_action.min_capacity", T::Integer)
            .range(0, kMaxInstances)
            .unit("tasks")
            .names("MinCapacity", "min_capacity")
            .doc("the new min_capacity; a lower desired count scales out to it"),
        key("appautoscaling_scheduled_action", "scalable_target_action.max_capacity", T::Integer)
            .range(0, kMaxInstances)
            .unit("tasks")
            .names("MaxCapacity", "max_capacity")
            .doc("the new max_capacity; a higher desired count scales in to it"),

        // [[fault]]
        key("fault", "type", T::Choice).req().of(kFaultType).doc("what fails"),
        key("fault", "target", T::Text)
            .req()
            .doc("an AZ, a group (instance_failure, spot_interruption), an ECS service "
                 "(spot_interruption: its FARGATE_SPOT tasks) or a db (db_failover)"),
        key("fault", "at", T::TimePoint).doc("when it strikes (or mtbf + mttr)"),
        key("fault", "duration", T::Duration)
            .above(0)
            .doc("az_outage, latency: how long; spot_interruption: wave to interruption, 2m-15m"),
        key("fault", "mtbf", T::Distribution).doc("random faults: time between failures"),
        key("fault", "mttr", T::Distribution).doc("random faults: time to repair"),
        key("fault", "fraction", T::Number)
            .above(0, 1)
            .doc("group faults: the share of instances hit (default one instance)"),
        key("fault", "extra", T::Distribution).doc("latency: the extra latency of each request"),

        // [spot]
        key("spot", "pool", T::Tables).doc("[[spot.pool]]: one Spot pool, a type in one AZ"),
        key("spot", "pool[].instance_type", T::Reference).req().doc("the pool's instance type"),
        key("spot", "pool[].availability_zone", T::Text).req().doc("the pool's AZ"),
        key("spot", "pool[].price", T::Table)
            .def("the region's default discount")
            .doc("the price model and its parameters"),
        key("spot", "pool[].price.model", T::Choice)
            .req()
            .chooses()
            .of(kSpotPriceModel)
            .doc("constant, mean_reverting or trace"),
        key("spot", "pool[].price.price", T::Number)
            .when("constant")
            .range(0, kMaxPrice)
            .unit("USD/h")
            .doc("the price (or discount)"),
        key("spot", "pool[].price.discount", T::Number)
            .when("constant")
            .range(0)
            .below(1)
            .doc("a fraction off On-Demand (or price)"),
        key("spot", "pool[].price.mean", T::Number)
            .when("mean_reverting")
            .range(0, kMaxPrice)
            .unit("USD/h")
            .def("On-Demand x (1 - the family's discount)")
            .doc("long-run average price"),
        key("spot", "pool[].price.volatility", T::Number)
            .when("mean_reverting")
            .range(0)
            .def("0.05")
            .doc("sd of the log-price shock per step"),
        key("spot", "pool[].price.reversion", T::Number)
            .when("mean_reverting")
            .above(0, 1)
            .def("0.1")
            .doc("share of the log distance to the mean closed per step"),
        key("spot", "pool[].price.update_interval", T::Number)
            .when("mean_reverting")
            .above(0)
            .def("3600")
            .unit("s")
            .doc("the price may change this often"),
        key("spot", "pool[].price.floor", T::Number)
            .when("mean_reverting")
            .range(0, kMaxPrice)
            .def("0.1 x On-Demand")
            .unit("USD/h")
            .doc("lowest price"),
        key("spot", "pool[].price.cap", T::Number)
            .when("mean_reverting")
            .range(0, kMaxPrice)
            .def("On-Demand")
            .unit("USD/h")
            .doc("highest price"),
        key("spot", "pool[].price.initial", T::Number)
            .when("mean_reverting")
            .range(0, kMaxPrice)
            .def("mean")
            .unit("USD/h")
            .doc("the price until the first step"),
        key("spot", "pool[].price.file", T::Text)
            .when("trace")
            .req()
            .doc("CSV of time,price rows (seconds, USD/h)"),
        key("spot", "pool[].interruption", T::Table).doc("the pool's interruptions"),
        key("spot", "pool[].interruption.monthly_rate", T::Number)
            .range(0)
            .def("the family's Spot Instance Advisor band")
            .doc("interruptions per instance-month"),
        key("spot", "pool[].capacity", T::Integer)
            .range(0, kMaxInstances)
            .unit("instances")
            .def("no limit")
            .doc("Spot Instances the pool holds at once, every group's (full: another pool, "
                 "then AZ)"),

        // [[capacity_pool]]
        key("capacity_pool", "instance_type", T::Text)
            .req()
            .names("InstanceType", "instance_type")
            .doc("the pool's instance type"),
        key("capacity_pool", "availability_zone", T::Text)
            .req()
            .names("AvailabilityZone", "availability_zone")
            .doc("the pool's AZ"),
        key("capacity_pool", "capacity", T::Integer)
            .req()
            .range(0, kMaxInstances)
            .unit("instances")
            .doc("On-Demand instances EC2 can run in the pool at once, every group's and "
                 "standalone; a launch beyond it fails with InsufficientInstanceCapacity"),

        // [vpc] and networking
        key("vpc", "cidr_block", T::Text)
            .req()
            .names("CidrBlock", "cidr_block")
            .doc("the VPC's block, /16 to /28"),
        outside("vpc", "enable_dns_hostnames", T::Boolean, "enable_dns_hostnames", "DNS names"),
        outside("vpc", "enable_dns_support", T::Boolean, "enable_dns_support", "the VPC's DNS"),
        outside("vpc", "instance_tenancy", T::Text, "instance_tenancy",
                "tenancy (instances are billed at shared-tenancy prices)"),
        tags("vpc"),
        key("subnet", "name", T::Name).req().doc("its name"),
        key("subnet", "cidr_block", T::Text)
            .req()
            .names("CidrBlock", "cidr_block")
            .doc("inside the VPC's, /16 to /28, not overlapping another"),
        key("subnet", "availability_zone", T::Text)
            .req()
            .names("AvailabilityZone", "availability_zone")
            .doc("its AZ"),
        key("subnet", "map_public_ip_on_launch", T::Boolean)
            .def("false")
            .names("MapPublicIpOnLaunch", "map_public_ip_on_launch")
            .doc("instances launched in it get a public IPv4"),
        key("subnet", "route", T::Text)
            .def("\"local\"")
            .doc("default route: \"igw\", \"local\", \"nat:<nat gateway>\", \"instance:<name>\""),
        outside("subnet", "vpc_id", T::Text, "vpc_id", "the VPC ([vpc] is the one VPC)"),
        tags("subnet"),
        key("internet_gateway", "name", T::Name).req().doc("its name"),
        outside("internet_gateway", "vpc_id", T::Text, "vpc_id", "the VPC ([vpc] is the one VPC)"),
        tags("internet_gateway"),
        key("route_table", "name", T::Name).req().doc("its name"),
        outside("route_table", "vpc_id", T::Text, "vpc_id", "the VPC ([vpc] is the one VPC)"),
        key("route_table", "route", T::Tables)
            .def("[]")
            .names("Routes", "route")
            .doc("its routes; the default route (0.0.0.0/0) decides where its subnets' traffic "
                 "to the internet goes, and none means \"local\""),
        key("route_table", "route[].cidr_block", T::Text)
            .req()
            .names("DestinationCidrBlock", "cidr_block")
            .doc("the destination; routes other than 0.0.0.0/0 are accepted, not modelled"),
        key("route_table", "route[].gateway_id", T::Reference)
            .names("GatewayId", "gateway_id")
            .doc("an [[internet_gateway]] (the subnets are public)"),
        key("route_table", "route[].nat_gateway_id", T::Reference)
            .names("NatGatewayId", "nat_gateway_id")
            .doc("a [[nat_gateway]]"),
        key("route_table", "route[].instance_id", T::Reference)
            .names("InstanceId", "instance_id")
            .doc("an [[instance]] acting as a NAT instance"),
        outside("route_table", "route[].network_interface_id", T::Text, "network_interface_id",
                "a network interface (name a NAT instance with instance_id)"),
        outside("route_table", "route[].vpc_endpoint_id", T::Text, "vpc_endpoint_id",
                "a Gateway Load Balancer endpoint"),
        outside("route_table", "route[].transit_gateway_id", T::Text, "transit_gateway_id",
                "a transit gateway"),
        outside("route_table", "route[].vpc_peering_connection_id", T::Text,
                "vpc_peering_connection_id", "a peered VPC"),
        outside("route_table", "route[].egress_only_gateway_id", T::Text, "egress_only_gateway_id",
                "IPv6 egress"),
        outside("route_table", "route[].ipv6_cidr_block", T::Text, "ipv6_cidr_block",
                "an IPv6 destination"),
        outside("route_table", "propagating_vgws", T::Strings, "propagating_vgws",
                "routes propagated from a VPN gateway"),
        tags("route_table"),
        key("route_table_association", "subnet_id", T::Reference)
            .req()
            .names("SubnetId", "subnet_id")
            .doc("the [[subnet]]"),
        key("route_table_association", "route_table_id", T::Reference)
            .req()
            .names("RouteTableId", "route_table_id")
            .doc("its [[route_table]]"),
        outside("route_table_association", "gateway_id", T::Text, "gateway_id",
                "an edge association with a gateway"),
        key("main_route_table_association", "route_table_id", T::Reference)
            .req()
            .names("RouteTableId", "route_table_id")
            .doc("the [[route_table]] of every subnet without an association"),
        outside("main_route_table_association", "vpc_id", T::Text, "vpc_id",
                "the VPC ([vpc] is the one VPC)"),
        key("security_group", "name", T::Name).req().names("GroupName", "name").doc("its name"),
        outside("security_group", "description", T::Text, "description", "free text"),
        outside("security_group", "vpc_id", T::Text, "vpc_id", "the VPC ([vpc] is the one VPC)"),
        outside("security_group", "revoke_rules_on_delete", T::Boolean, "revoke_rules_on_delete",
                "what Terraform does on destroy"),
        key("security_group", "ingress", T::Tables)
            .def("[]")
            .names("SecurityGroupIngress", "ingress")
            .doc("the inbound rules"),
        // ingress[].port ... ingress[].ipv6_cidr_blocks: rule_keys(kInbound), with_rules
        outside("security_group", "ingress[].prefix_list_ids", T::Strings, "prefix_list_ids",
                "prefix list sources"),
        key("security_group", "egress", T::Tables)
            .def(
                "[{ port = 0, to_port = 65535, protocol = \"-1\", cidr_blocks = [\"0.0.0.0/0\"] }]")
            .names("SecurityGroupEgress", "egress")
            .doc("the outbound rules; without the key AWS's default rule, all traffic to "
                 "0.0.0.0/0 (Terraform's aws_security_group removes it: `egress = []` sends "
                 "nothing out). A flow passes when the source's outbound rules and the "
                 "destination's inbound rules allow it"),
        // egress[].port ... egress[].ipv6_cidr_blocks: rule_keys(kOutbound), with_rules
        key("security_group", "egress[].prefix_list_ids", T::References)
            .names("DestinationPrefixListId", "prefix_list_ids")
            .doc("to the AWS-managed prefix list (com.amazonaws.<region>.s3 or .dynamodb) of "
                 "these gateway [[vpc_endpoint]]s, named as the endpoint: the service's "
                 "addresses, which a flow to S3 or DynamoDB through a gateway endpoint goes to"),
        tags("security_group"),
        key("nat_gateway", "name", T::Name).req().doc("its name"),
        key("nat_gateway", "subnet", T::Reference)
            .req()
            .names("SubnetId", "subnet_id")
            .doc("its (public) subnet"),
        outside("nat_gateway", "allocation_id", T::Text, "allocation_id",
                "its Elastic IP (the gateway's address)"),
        outside("nat_gateway", "connectivity_type", T::Text, "connectivity_type",
                "public (the only kind modelled) or private"),
        tags("nat_gateway"),
        key("vpc_endpoint", "name", T::Name).req().doc("its name"),
        key("vpc_endpoint", "service_name", T::Choice)
            .of(kEndpointService)
            .req()
            .names("ServiceName", "service_name")
            .doc("s3, dynamodb, ecr.api, ecr.dkr, logs, ecs, ecs-agent or ecs-telemetry "
                 "(com.amazonaws.<region>.<service> on AWS)"),
        key("vpc_endpoint", "vpc_endpoint_type", T::Choice)
            .of(kEndpointType)
            .def("\"Gateway\"")
            .names("VpcEndpointType", "vpc_endpoint_type")
            .doc("Gateway (s3, dynamodb: free) or Interface (AWS PrivateLink: billed per AZ-hour "
                 "and per GB processed)"),
        key("vpc_endpoint", "subnets", T::References)
            .names("RouteTableIds / SubnetIds", "route_table_ids / subnet_ids")
            .doc("Gateway: the subnets whose route table routes the service to it; Interface: "
                 "the subnets it has a network interface in (one per AZ, each AZ billed)"),
        key("vpc_endpoint", "security_groups", T::References)
            .names("SecurityGroupIds", "security_group_ids")
            .doc("Interface: the security groups of its network interfaces (443 must be allowed "
                 "from the callers); none listed: not modelled, open"),
        key("vpc_endpoint", "private_dns_enabled", T::Boolean)
            .def("false")
            .names("PrivateDnsEnabled", "private_dns_enabled")
            .doc("Interface: the service's default name resolves to the endpoint in the VPC; "
                 "without it callers use the public name (their route out), as Terraform's "
                 "default"),
        tags("vpc_endpoint"),

        // [[instance]]
        key("instance", "name", T::Name).req().doc("its name"),
        key("instance", "availability_zone", T::Text)
            .def("its subnet's AZ, or the region's first")
            .names("AvailabilityZone", "availability_zone")
            .doc("its AZ"),
        key("instance", "launch_template", T::Reference)
            .names("LaunchTemplate", "launch_template")
            .doc("its template (or instance_type)"),
        key("instance", "instance_type", T::Reference)
            .names("InstanceType", "instance_type")
            .doc("its type (or launch_template)"),
        key("instance", "ebs_gb", T::Number)
            .range(0, kMaxVolumeGb)
            .def("8")
            .unit("GB")
            .names("VolumeSize", "root_block_device.volume_size")
            .doc("root volume")
            .bills("EBS volume storage (GB-months)",
                   "8 GB: the root volume of an Amazon Linux AMI"),
        key("instance", "root_block_device", T::Table)
            .names("BlockDeviceMappings", "root_block_device")
            .doc("Terraform's form of ebs_gb (with ebs_block_device: the sizes, summed)"),
        key("instance", "root_block_device.volume_size", T::Number)
            .range(0, kMaxVolumeGb)
            .unit("GB")
            .names("VolumeSize", "volume_size")
            .doc("its size"),
        outside("instance", "root_block_device.volume_type", T::Text, "volume_type",
                kVolumeTypeNote),
        outside("instance", "root_block_device.delete_on_termination", T::Boolean,
                "delete_on_termination", "the volume is deleted with the instance"),
        outside("instance", "root_block_device.encrypted", T::Boolean, "encrypted",
                "encryption (free)"),
        key("instance", "ebs_block_device", T::Tables)
            .names("BlockDeviceMappings", "ebs_block_device")
            .doc("more volumes attached at launch"),
        outside("instance", "ebs_block_device[].device_name", T::Text, "device_name",
                "the device name"),
        key("instance", "ebs_block_device[].volume_size", T::Number)
            .range(0, kMaxVolumeGb)
            .unit("GB")
            .names("VolumeSize", "volume_size")
            .doc("its size"),
        outside("instance", "ebs_block_device[].volume_type", T::Text, "volume_type",
                kVolumeTypeNote),
        outside("instance", "ebs_block_device[].delete_on_termination", T::Boolean,
                "delete_on_termination", "the volume is deleted with the instance"),
        outside("instance", "ebs_block_device[].encrypted", T::Boolean, "encrypted",
                "encryption (free)"),
        key("instance", "associate_public_ip_address", T::Boolean)
            .def("false")
            .names("AssociatePublicIpAddress", "associate_public_ip_address")
            .doc("an auto-assigned public IPv4 (released while stopped)")
            .bills("public IPv4 addresses (per hour)", "false: no public address unless asked for"),
        key("instance", "source_dest_check", T::Boolean)
            .def("true")
            .names("SourceDestCheck", "source_dest_check")
            .doc("false lets it forward traffic (a NAT instance)"),
        key("instance", "subnet", T::Reference).names("SubnetId", "subnet_id").doc("its subnet"),
        key("instance", "security_groups", T::References)
            .names("SecurityGroupIds", "vpc_security_group_ids")
            .doc("its security groups"),
        key("instance", "schedule", T::Pairs)
            .def("[[\"0s\", \"running\"]]")
            .doc("[[time, state], ...]: running, stopped or terminated from each time"),
        outside("instance", "ami", T::Text, "ami", "the AMI"),
        outside("instance", "user_data", T::Text, "user_data", "the boot script"),
        outside("instance", "key_name", T::Text, "key_name", "the SSH key pair"),
        outside("instance", "iam_instance_profile", T::Text, "iam_instance_profile",
                "the instance's IAM role"),
        outside("instance", "monitoring", T::Boolean, "monitoring",
                "detailed CloudWatch monitoring"),
        tags("instance"),
        key("eip", "name", T::Name).req().doc("its name"),
        key("eip", "instance", T::Reference)
            .names("InstanceId", "instance")
            .doc("the instance it is attached to (none: idle, still billed)"),
        outside("eip", "domain", T::Text, "domain", "\"vpc\" (every address is a VPC one)"),
        tags("eip"),
        key("ebs_volume", "name", T::Name).req().doc("its name"),
        key("ebs_volume", "size_gb", T::Number)
            .req()
            .above(0, kMaxVolumeGb)
            .unit("GB")
            .names("Size", "size")
            .doc("its size"),
        outside("ebs_volume", "type", T::Text, "type", kVolumeTypeNote),
        outside("ebs_volume", "encrypted", T::Boolean, "encrypted", "encryption (free)"),
        outside("ebs_volume", "iops", T::Integer, "iops",
                "provisioned IOPS (gp3's 3,000 included)"),
        outside("ebs_volume", "throughput", T::Integer, "throughput",
                "provisioned throughput (gp3's 125 MB/s included)"),
        key("ebs_volume", "availability_zone", T::Text)
            .def("the region's first AZ")
            .names("AvailabilityZone", "availability_zone")
            .doc("its AZ"),
        tags("ebs_volume"),
        key("ebs_snapshot", "name", T::Name).req().doc("its name"),
        key("ebs_snapshot", "size_gb", T::Number)
            .req()
            .above(0, kMaxVolumeGb)
            .unit("GB")
            .doc("data stored, billed until the end of the run"),
        tags("ebs_snapshot"),
        key("s3_bucket", "name", T::Name).req().names("BucketName", "bucket").doc("its name"),
        outside("s3_bucket", "force_destroy", T::Boolean, "force_destroy",
                "what Terraform does on destroy"),
        outside("s3_bucket", "object_lock_enabled", T::Boolean, "object_lock_enabled",
                "Object Lock"),
        key("s3_bucket", "storage_gb", T::Number)
            .range(0, kMaxStorageGb)
            .def("0")
            .unit("GB")
            .doc("stored at the start: objects created then"),
        key("s3_bucket", "growth_gb_per_day", T::Number)
            .range(-kMaxStorageGb, kMaxStorageGb)
            .def("0")
            .unit("GB/day")
            .doc("written per day in the storage class (negative: a bucket that shrinks, "
                 "without objects or lifecycle)"),
        key("s3_bucket", "storage_class", T::Choice)
            .of(kS3StorageClass)
            .def("\"STANDARD\"")
            .names("StorageClass", "storage_class")
            .doc("the storage class objects are written in (GLACIER: Flexible Retrieval)"),
        key("s3_bucket", "object_size_kb", T::Number)
            .range(0, kMaxStorageGb)
            .def("0")
            .unit("KB")
            .names("Size", "")
            .doc("the size of each object (1 KB = 1,024 bytes); 0: the bucket is billed by "
                 "size alone, without per-object minimums, overheads or requests"),
        key("s3_bucket", "objects_per_day", T::Number)
            .range(0, kMaxStorageGb)
            .def("0")
            .unit("objects/day")
            .doc("objects written per day (one PUT each), on top of growth_gb_per_day; needs "
                 "object_size_kb"),
        key("s3_bucket", "key_prefix", T::Text)
            .def("\"\"")
            .names("Prefix", "")
            .doc("the objects' keys begin with it (\"logs/\"): lifecycle rules filter on it"),
        key("s3_bucket", "get_requests_per_day", T::Number)
            .range(0, kMaxStorageGb)
            .def("0")
            .unit("requests/day")
            .doc("GETs, each reading one current object picked at random; one of a GLACIER "
                 "or DEEP_ARCHIVE object without a restored copy fails with 403 "
                 "InvalidObjectState, unbilled (restore_requests_per_day); needs object_size_kb"),
        key("s3_bucket", "list_requests_per_day", T::Number)
            .range(0, kMaxStorageGb)
            .def("0")
            .unit("requests/day")
            .doc("LIST requests"),
        key("s3_bucket", "gets_from_internet", T::Boolean)
            .def("false")
            .doc("the GETs come from the internet: the bytes they return are data transfer out "
                 "(false: from the bucket's Region, free)"),
        key("s3_bucket", "get_requests_from", T::Text)
            .def("\"\"")
            .doc("extension: who sends the GETs: anonymous, user/NAME, role/NAME or "
                 "instance-profile/NAME; \"\": the bucket owner (not checked). Denied: 403, "
                 "not billed (docs/iam.md)"),
        key("s3_bucket", "put_requests_from", T::Text)
            .def("\"\"")
            .doc("extension: who sends the PUTs, as get_requests_from"),
        key("s3_bucket", "presigned_by", T::Text)
            .def("\"\"")
            .doc("extension: the GETs go through a presigned URL (query-string SigV4) this "
                 "principal signed: user/NAME, role/NAME or instance-profile/NAME. Each GET is "
                 "authorized as the signer, with s3:authType REST-QUERY-STRING and "
                 "s3:signatureAge; after expiry: 403, not billed (docs/iam.md)"),
        key("s3_bucket", "presigned_at", T::Integer)
            .range(-604800, 0)
            .def("0")
            .unit("s")
            .names("X-Amz-Date", "")
            .doc("extension: when the URL was signed, seconds from the run's start (at most 0: "
                 "signed before the GETs begin)"),
        key("s3_bucket", "presigned_expires_in", T::Integer)
            .range(1, 604800)
            .def("3600")
            .unit("s")
            .names("X-Amz-Expires", "")
            .doc("extension: the URL's lifetime after signing, at most 7 days; a role or "
                 "instance-profile session's URL also stops when its credentials do (1 h)"),
        key("s3_bucket", "presigned_put_by", T::Text)
            .def("\"\"")
            .doc("extension: the PUTs go through a presigned URL this principal signed, "
                 "authorized as presigned_by's GETs (s3:PutObject); objects are written only "
                 "while it is valid, and the PUTs after expiry fail with 403, not billed"),
        key("s3_bucket", "presigned_put_at", T::Integer)
            .range(-604800, 0)
            .def("0")
            .unit("s")
            .names("X-Amz-Date", "")
            .doc("extension: when the PUT URL was signed, seconds from the run's start"),
        key("s3_bucket", "presigned_put_expires_in", T::Integer)
            .range(1, 604800)
            .def("3600")
            .unit("s")
            .names("X-Amz-Expires", "")
            .doc("extension: the PUT URL's lifetime after signing, at most 7 days"),
        key("s3_bucket", "multipart_part_size_mb", T::Number)
            .range(0, 5120)
            .def("0")
            .unit("MB")
            .doc("extension: the writer's multipart part size and threshold (the AWS CLI's "
                 "multipart_chunksize, 8 MB by default there): an object larger is written by "
                 "CreateMultipartUpload, ceil(size / part) UploadPart and "
                 "CompleteMultipartUpload, each billed as a PUT; at least 5 MB, at most "
                 "10,000 parts an object; 0: one PutObject an object"),
        key("s3_bucket", "object_tags", T::StringTable)
            .names("x-amz-tagging", "aws_s3_object.tags")
            .doc("the tags every object is written with (at most 10; needs object_size_kb): "
                 "lifecycle filters on tags match them; billed per tag-month"),
        key("s3_bucket", "object_acl", T::Choice)
            .of({"private", "public-read", "public-read-write", "authenticated-read"})
            .def("\"private\"")
            .names("x-amz-acl", "aws_s3_object.acl")
            .doc("the canned ACL its objects are written with: public-read lets anyone GET "
                 "them"),
        key("s3_bucket", "versioning", T::Choice)
            .of({"Disabled", "Enabled", "Suspended"})
            .def("\"Disabled\"")
            .names("VersioningConfiguration.Status",
                   "aws_s3_bucket_versioning.versioning_configuration.status")
            .doc("Enabled: an overwritten object, or one a lifecycle expiration deletes (a "
                 "delete marker), stays as a noncurrent version, billed in its class until a "
                 "noncurrent_version_expiration; Suspended, Disabled: it is replaced"),
        key("s3_bucket", "overwrite_percent", T::Number)
            .range(0, 100)
            .def("0")
            .unit("%")
            .doc("the share of the writes (growth_gb_per_day and objects_per_day) that "
                 "overwrite an existing key, the one written longest ago, instead of adding one"),
        key("s3_bucket", "key_name_bytes", T::Integer)
            .range(0, 1024)
            .def("0")
            .unit("bytes")
            .doc("extension: the length of each object's key name in UTF-8 bytes: a delete "
                 "marker is billed at this size in STANDARD (0: delete markers cost nothing)"),
        key("s3_bucket", "incomplete_upload_percent", T::Number)
            .range(0, 100)
            .def("0")
            .unit("%")
            .doc("extension: the share of the bytes written that goes into multipart uploads "
                 "never completed (the writer retried them): their parts are billed in the "
                 "bucket's storage_class until abort_incomplete_multipart_upload removes them"),
        key("s3_bucket", "restore_requests_per_day", T::Number)
            .range(0, kMaxStorageGb)
            .def("0")
            .unit("requests/day")
            .names("RestoreObject", "")
            .doc("extension (Terraform has no restores): RestoreObject requests a day, each on "
                 "an archived object (GLACIER or DEEP_ARCHIVE, current version) picked at "
                 "random; billed per request and per GB retrieved at restore_tier's rates, and "
                 "the temporary copy at STANDARD's storage rate for restore_days; a restore "
                 "with no archived object to take fails, unbilled (needs object_size_kb)"),
        key("s3_bucket", "restore_tier", T::Choice)
            .of({"Standard", "Bulk", "Expedited"})
            .def("\"Standard\"")
            .names("GlacierJobParameters.Tier", "")
            .doc("extension: the restores' retrieval tier; ready after 5 h (GLACIER) or 12 h "
                 "(DEEP_ARCHIVE) at Standard, 12 h or 48 h at Bulk, 5 min at Expedited "
                 "(GLACIER only: an Expedited restore of a DEEP_ARCHIVE object fails, unbilled)"),
        key("s3_bucket", "restore_days", T::Integer)
            .range(1, 36500)
            .def("1")
            .unit("days")
            .names("RestoreRequest.Days", "")
            .doc("extension: how long each restored copy is kept: it expires at the first "
                 "midnight UTC at least this many days after the restore completed"),
        tags("s3_bucket"),
        key("s3_bucket_policy", "bucket", T::Reference)
            .req()
            .names("Bucket", "bucket")
            .doc("the [[s3_bucket]] it applies to (one policy per bucket)"),
        key("s3_bucket_policy", "policy", T::Text)
            .req()
            .names("Policy", "policy")
            .doc("the bucket policy, JSON, with Principal (docs/iam.md)"),
        key("s3_bucket_acl", "bucket", T::Reference)
            .req()
            .names("Bucket", "bucket")
            .doc("the [[s3_bucket]] it applies to"),
        key("s3_bucket_acl", "acl", T::Choice)
            .of({"private", "public-read", "public-read-write", "authenticated-read"})
            .def("\"private\"")
            .names("x-amz-acl", "acl")
            .doc("the bucket's canned ACL: public-read lets anyone list it (its objects have "
                 "their own, object_acl)"),
        outside("s3_bucket_acl", "access_control_policy", T::Table, "access_control_policy",
                "grants one by one"),
        outside("s3_bucket_acl", "expected_bucket_owner", T::Text, "expected_bucket_owner",
                "the owner's account check"),
        key("s3_bucket_public_access_block", "bucket", T::Reference)
            .req()
            .names("Bucket", "bucket")
            .doc("the [[s3_bucket]] it applies to (one per bucket)"),
        key("s3_bucket_public_access_block", "block_public_acls", T::Boolean)
            .def("false")
            .names("BlockPublicAcls", "block_public_acls")
            .doc("S3 refuses new public ACLs; the scenario's ACLs are taken as set before it "
                 "(S3: existing ACLs stay)"),
        key("s3_bucket_public_access_block", "block_public_policy", T::Boolean)
            .def("false")
            .names("BlockPublicPolicy", "block_public_policy")
            .doc("S3 refuses a new public bucket policy; the scenario's policy is taken as set "
                 "before it (S3: an existing policy stays)"),
        key("s3_bucket_public_access_block", "ignore_public_acls", T::Boolean)
            .def("false")
            .names("IgnorePublicAcls", "ignore_public_acls")
            .doc("the bucket's and its objects' public ACLs grant nothing"),
        key("s3_bucket_public_access_block", "restrict_public_buckets", T::Boolean)
            .def("false")
            .names("RestrictPublicBuckets", "restrict_public_buckets")
            .doc("a public bucket policy grants only principals of the bucket's account: "
                 "anonymous requests get nothing from it"),
        outside("s3_bucket_public_access_block", "skip_destroy", T::Boolean, "skip_destroy",
                "what Terraform does on destroy"),
        key("s3_bucket_ownership_controls", "bucket", T::Reference)
            .req()
            .names("Bucket", "bucket")
            .doc("the [[s3_bucket]] it applies to (one per bucket)"),
        key("s3_bucket_ownership_controls", "rule", T::Table)
            .req()
            .names("OwnershipControls", "rule")
            .doc("the Object Ownership rule"),
        key("s3_bucket_ownership_controls", "rule.object_ownership", T::Choice)
            .of({"BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"})
            .req()
            .names("ObjectOwnership", "object_ownership")
            .doc("BucketOwnerEnforced: ACLs are disabled and grant nothing, and a bucket ACL "
                 "other than private is refused (S3: AccessControlListNotSupported); the "
                 "others keep ACLs enabled"),
        key("s3_bucket_lifecycle_configuration", "bucket", T::Reference)
            .req()
            .names("Bucket", "bucket")
            .doc("the [[s3_bucket]] it applies to (one configuration per bucket)"),
        key("s3_bucket_lifecycle_configuration", "rule", T::Tables)
            .req()
            .names("Rules", "rule")
            .doc("the rules; an object follows every enabled rule whose filter it matches"),
        key("s3_bucket_lifecycle_configuration", "rule[].id", T::Text)
            .req()
            .names("ID", "id")
            .doc("the rule's name"),
        key("s3_bucket_lifecycle_configuration", "rule[].status", T::Choice)
            .req()
            .of({"Enabled", "Disabled"})
            .names("Status", "status")
            .doc("a Disabled rule does nothing"),
        key("s3_bucket_lifecycle_configuration", "rule[].filter", T::Table)
            .names("Filter", "filter")
            .doc("which objects the rule applies to (absent: all)"),
        key("s3_bucket_lifecycle_configuration", "rule[].filter.prefix", T::Text)
            .def("\"\"")
            .names("Prefix", "prefix")
            .doc("the rule applies to objects whose key begins with it (the bucket's "
                 "key_prefix)"),
        key("s3_bucket_lifecycle_configuration", "rule[].filter.tag", T::Table)
            .names("Tag", "tag")
            .doc("the rule applies to objects carrying this tag (the bucket's object_tags)"),
        key("s3_bucket_lifecycle_configuration", "rule[].filter.tag.key", T::Text)
            .req()
            .names("Key", "key")
            .doc("the tag's key"),
        key("s3_bucket_lifecycle_configuration", "rule[].filter.tag.value", T::Text)
            .def("\"\"")
            .names("Value", "value")
            .doc("its value, matched exactly (\"\": objects whose tag has no value)"),
        key("s3_bucket_lifecycle_configuration", "rule[].filter.and", T::Table)
            .names("And", "and")
            .doc("several conditions an object must all meet, as S3 wants them when a filter "
                 "has more than one; alone in its filter"),
        key("s3_bucket_lifecycle_configuration", "rule[].filter.and.prefix", T::Text)
            .def("\"\"")
            .names("Prefix", "prefix")
            .doc("as filter.prefix"),
        key("s3_bucket_lifecycle_configuration", "rule[].filter.and.tags", T::StringTable)
            .names("Tag", "tags")
            .doc("tags the objects must all carry, with these values (the bucket's "
                 "object_tags; other tags do not matter)"),
        key("s3_bucket_lifecycle_configuration", "rule[].filter.and.object_size_greater_than",
            T::Integer)
            .range(0, 5497558138880.0)
            .unit("bytes")
            .names("ObjectSizeGreaterThan", "object_size_greater_than")
            .doc("as filter.object_size_greater_than"),
        key("s3_bucket_lifecycle_configuration", "rule[].filter.and.object_size_less_than",
            T::Integer)
            .range(1, 5497558138880.0)
            .unit("bytes")
            .names("ObjectSizeLessThan", "object_size_less_than")
            .doc("as filter.object_size_less_than"),
        key("s3_bucket_lifecycle_configuration", "rule[].filter.object_size_greater_than",
            T::Integer)
            .range(0, 5497558138880.0)
            .unit("bytes")
            .names("ObjectSizeGreaterThan", "object_size_greater_than")
            .doc("the rule applies to objects larger than this (the bucket's object_size_kb x "
                 "1,024); it then moves objects under 128 KB too"),
        key("s3_bucket_lifecycle_configuration", "rule[].filter.object_size_less_than", T::Integer)
            .range(1, 5497558138880.0)
            .unit("bytes")
            .names("ObjectSizeLessThan", "object_size_less_than")
            .doc("the rule applies to objects smaller than this (the bucket's object_size_kb x "
                 "1,024); it then moves objects under 128 KB too"),
        key("s3_bucket_lifecycle_configuration", "rule[].transition", T::Tables)
            .names("Transitions", "transition")
            .doc("moves to a cheaper storage class by age"),
        key("s3_bucket_lifecycle_configuration", "rule[].transition[].days", T::Integer)
            .req()
            .range(0, 36500)
            .unit("days")
            .names("Days", "days")
            .doc("age at which objects move (at the next midnight UTC); STANDARD_IA and "
                 "ONEZONE_IA: at least 30"),
        key("s3_bucket_lifecycle_configuration", "rule[].transition[].storage_class", T::Choice)
            .req()
            .of(kS3StorageClass)
            .names("StorageClass", "storage_class")
            .doc("the class they move to (not STANDARD)"),
        outside("s3_bucket_lifecycle_configuration", "rule[].transition[].date", T::Text, "date",
                "a transition on a calendar date"),
        key("s3_bucket_lifecycle_configuration", "rule[].expiration", T::Table)
            .names("Expiration", "expiration")
            .doc("deletes objects by age"),
        key("s3_bucket_lifecycle_configuration", "rule[].expiration.days", T::Integer)
            .range(1, 36500)
            .unit("days")
            .names("Days", "days")
            .doc("age at which objects are deleted (at the next midnight UTC); more than every "
                 "transition's days of the rule; days or expired_object_delete_marker"),
        key("s3_bucket_lifecycle_configuration", "rule[].expiration.expired_object_delete_marker",
            T::Boolean)
            .def("false")
            .names("ExpiredObjectDeleteMarker", "expired_object_delete_marker")
            .doc("true: a delete marker whose key has no version left is removed (not beside "
                 "days; a rule that expires current versions does it anyway)"),
        outside("s3_bucket_lifecycle_configuration", "rule[].expiration.date", T::Text, "date",
                "an expiration on a calendar date"),
        key("s3_bucket_lifecycle_configuration", "rule[].abort_incomplete_multipart_upload",
            T::Table)
            .names("AbortIncompleteMultipartUpload", "abort_incomplete_multipart_upload")
            .doc("removes the parts of multipart uploads left incomplete (the bucket's "
                 "incomplete_upload_percent); not with a tag filter"),
        key("s3_bucket_lifecycle_configuration",
            "rule[].abort_incomplete_multipart_upload.days_after_initiation", T::Integer)
            .req()
            .range(1, 36500)
            .unit("days")
            .names("DaysAfterInitiation", "days_after_initiation")
            .doc("days after the upload began (at the next midnight UTC)"),
        key("s3_bucket_lifecycle_configuration", "rule[].noncurrent_version_transition", T::Tables)
            .names("NoncurrentVersionTransitions", "noncurrent_version_transition")
            .doc("moves noncurrent versions (a versioned bucket's overwritten or expired "
                 "objects) to a cheaper storage class by the days they have been noncurrent"),
        key("s3_bucket_lifecycle_configuration",
            "rule[].noncurrent_version_transition[].noncurrent_days", T::Integer)
            .req()
            .range(0, 36500)
            .unit("days")
            .names("NoncurrentDays", "noncurrent_days")
            .doc("days since the version became noncurrent (at the next midnight UTC); "
                 "STANDARD_IA and ONEZONE_IA: at least 30"),
        key("s3_bucket_lifecycle_configuration",
            "rule[].noncurrent_version_transition[].storage_class", T::Choice)
            .req()
            .of(kS3StorageClass)
            .names("StorageClass", "storage_class")
            .doc("the class they move to (not STANDARD)"),
        key("s3_bucket_lifecycle_configuration",
            "rule[].noncurrent_version_transition[].newer_noncurrent_versions", T::Integer)
            .range(1, 100)
            .unit("versions")
            .names("NewerNoncurrentVersions", "newer_noncurrent_versions")
            .doc("a noncurrent version moves only once its key has this many newer noncurrent "
                 "versions (and its noncurrent_days are up); absent: the days alone"),
        key("s3_bucket_lifecycle_configuration", "rule[].noncurrent_version_expiration", T::Table)
            .names("NoncurrentVersionExpiration", "noncurrent_version_expiration")
            .doc("deletes noncurrent versions by the days they have been noncurrent"),
        key("s3_bucket_lifecycle_configuration",
            "rule[].noncurrent_version_expiration.noncurrent_days", T::Integer)
            .req()
            .range(1, 36500)
            .unit("days")
            .names("NoncurrentDays", "noncurrent_days")
            .doc("days since the version became noncurrent (at the next midnight UTC); more "
                 "than every noncurrent transition's of the rule"),
        key("s3_bucket_lifecycle_configuration",
            "rule[].noncurrent_version_expiration.newer_noncurrent_versions", T::Integer)
            .range(1, 100)
            .unit("versions")
            .names("NewerNoncurrentVersions", "newer_noncurrent_versions")
            .doc("the newest this many noncurrent versions of each key are kept: an older one is "
                 "deleted once its noncurrent_days are up; absent: the days alone"),
        outside("s3_bucket_lifecycle_configuration", "expected_bucket_owner", T::Text,
                "expected_bucket_owner", "the owning account"),
        key("s3_bucket_lifecycle_configuration", "transition_default_minimum_object_size",
            T::Choice)
            .of({"all_storage_classes_128K", "varies_by_storage_class"})
            .def("\"all_storage_classes_128K\"")
            .names("TransitionDefaultMinimumObjectSize", "transition_default_minimum_object_size")
            .doc("objects under 128 KB move to no class (all_storage_classes_128K), or to GLACIER "
                 "and DEEP_ARCHIVE only (varies_by_storage_class); a rule with an object size "
                 "filter is not held by it"),

        // IAM (docs/iam.md): Terraform's aws_iam_* resources; policies are JSON text
        key("iam_policy", "name", T::Name).req().names("PolicyName", "name").doc("its name"),
        key("iam_policy", "policy", T::Text)
            .req()
            .names("PolicyDocument", "policy")
            .doc("the policy document, JSON (an identity-based policy: no Principal)"),
        outside("iam_policy", "path", T::Text, "path", "the policy's path"),
        outside("iam_policy", "description", T::Text, "description", "its description"),
        tags("iam_policy"),
        key("iam_user", "name", T::Name).req().names("UserName", "name").doc("its name"),
        key("iam_user", "permissions_boundary", T::Text)
            .names("PermissionsBoundary", "permissions_boundary")
            .doc("the managed policy that caps its permissions: a policy's name or ARN"),
        key("iam_user", "account_id", T::Text)
            .def("\"\" (the scenario's account)")
            .doc("extension: the AWS account (12 digits) the user is in; another account's user "
                 "calls the scenario's resources across accounts (Terraform: a provider alias)"),
        key("iam_user", "unique_id", T::Text)
            .def("\"\" (not known)")
            .names("UserId", "unique_id")
            .doc("its unique ID (AIDA...): the value of aws:userid in its requests"),
        outside("iam_user", "path", T::Text, "path", "the user's path"),
        outside("iam_user", "force_destroy", T::Boolean, "force_destroy",
                "delete its keys and profile with it"),
        tags("iam_user"),
        key("iam_group", "name", T::Name).req().names("GroupName", "name").doc("its name"),
        outside("iam_group", "path", T::Text, "path", "the group's path"),
        key("iam_group_membership", "name", T::Name).req().doc("its name"),
        key("iam_group_membership", "group", T::Reference)
            .req()
            .names("GroupName", "group")
            .doc("the group"),
        key("iam_group_membership", "users", T::References)
            .req()
            .names("", "users")
            .doc("its users"),
        key("iam_user_group_membership", "user", T::Reference)
            .req()
            .names("UserName", "user")
            .doc("the user"),
        key("iam_user_group_membership", "groups", T::References)
            .req()
            .names("", "groups")
            .doc("the groups it joins"),
        key("iam_role", "name", T::Name).req().names("RoleName", "name").doc("its name"),
        key("iam_role", "assume_role_policy", T::Text)
            .req()
            .names("AssumeRolePolicyDocument", "assume_role_policy")
            .doc("the trust policy, JSON: who may assume the role (sts:AssumeRole)"),
        key("iam_role", "permissions_boundary", T::Text)
            .names("PermissionsBoundary", "permissions_boundary")
            .doc("the managed policy that caps its permissions: a policy's name or ARN"),
        key("iam_role", "account_id", T::Text)
            .def("\"\" (the scenario's account)")
            .doc("extension: the AWS account (12 digits) the role is in; its ARN and sessions "
                 "are of that account (cross-account role assumption)"),
        key("iam_role", "managed_policy_arns", T::Strings)
            .def("[]")
            .names("ManagedPolicyArns", "managed_policy_arns")
            .doc("managed policies attached to it: names or ARNs"),
        key("iam_role", "path", T::Text)
            .def("\"/\"")
            .names("Path", "path")
            .doc("its path, part of its ARN; under /aws-service-role/ it is a service-linked "
                 "role, which SCPs and RCPs do not limit"),
        key("iam_role", "unique_id", T::Text)
            .def("\"\" (not known)")
            .names("RoleId", "unique_id")
            .doc("its unique ID (AROA...): aws:userid is ID:SESSION in its sessions' requests"),
        outside("iam_role", "description", T::Text, "description", "its description"),
        outside("iam_role", "max_session_duration", T::Integer, "max_session_duration",
                "the longest session, in seconds"),
        tags("iam_role"),
        key("iam_user_policy", "name", T::Text).req().names("PolicyName", "name").doc("its name"),
        key("iam_user_policy", "user", T::Reference)
            .req()
            .names("UserName", "user")
            .doc("the user"),
        key("iam_user_policy", "policy", T::Text)
            .req()
            .names("PolicyDocument", "policy")
            .doc("the policy document, JSON"),
        key("iam_group_policy", "name", T::Text).req().names("PolicyName", "name").doc("its name"),
        key("iam_group_policy", "group", T::Reference)
            .req()
            .names("GroupName", "group")
            .doc("the group"),
        key("iam_group_policy", "policy", T::Text)
            .req()
            .names("PolicyDocument", "policy")
            .doc("the policy document, JSON"),
        key("iam_role_policy", "name", T::Text).req().names("PolicyName", "name").doc("its name"),
        key("iam_role_policy", "role", T::Reference)
            .req()
            .names("RoleName", "role")
            .doc("the role"),
        key("iam_role_policy", "policy", T::Text)
            .req()
            .names("PolicyDocument", "policy")
            .doc("the policy document, JSON"),
        key("iam_user_policy_attachment", "user", T::Reference)
            .req()
            .names("UserName", "user")
            .doc("the user"),
        key("iam_user_policy_attachment", "policy_arn", T::Text)
            .req()
            .names("PolicyArn", "policy_arn")
            .doc("the managed policy: an [[iam_policy]]'s name or ARN, or an AWS managed ARN"),
        key("iam_group_policy_attachment", "group", T::Reference)
            .req()
            .names("GroupName", "group")
            .doc("the group"),
        key("iam_group_policy_attachment", "policy_arn", T::Text)
            .req()
            .names("PolicyArn", "policy_arn")
            .doc("the managed policy: an [[iam_policy]]'s name or ARN, or an AWS managed ARN"),
        key("iam_role_policy_attachment", "role", T::Reference)
            .req()
            .names("RoleName", "role")
            .doc("the role"),
        key("iam_role_policy_attachment", "policy_arn", T::Text)
            .req()
            .names("PolicyArn", "policy_arn")
            .doc("the managed policy: an [[iam_policy]]'s name or ARN, or an AWS managed ARN"),
        key("iam_policy_attachment", "name", T::Name).req().doc("its name"),
        key("iam_policy_attachment", "policy_arn", T::Text)
            .req()
            .names("PolicyArn", "policy_arn")
            .doc("the managed policy: an [[iam_policy]]'s name or ARN, or an AWS managed ARN"),
        key("iam_policy_attachment", "users", T::References)
            .def("[]")
            .names("", "users")
            .doc("users it is attached to"),
        key("iam_policy_attachment", "groups", T::References)
            .def("[]")
            .names("", "groups")
            .doc("groups it is attached to"),
        key("iam_policy_attachment", "roles", T::References)
            .def("[]")
            .names("", "roles")
            .doc("roles it is attached to"),
        key("iam_instance_profile", "name", T::Name)
            .req()
            .names("InstanceProfileName", "name")
            .doc("its name"),
        key("iam_instance_profile", "role", T::Reference)
            .req()
            .names("Roles", "role")
            .doc("the role its instances act as"),
        outside("iam_instance_profile", "path", T::Text, "path", "the profile's path"),
        key("organizations_policy", "name", T::Name).req().names("Name", "name").doc("its name"),
        key("organizations_policy", "content", T::Text)
            .req()
            .names("Content", "content")
            .doc("the policy document, JSON (an SCP: no Principal; an RCP: Deny statements "
                 "with Principal \"*\")"),
        key("organizations_policy", "type", T::Choice)
            .of({"SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"})
            .def("\"SERVICE_CONTROL_POLICY\"")
            .names("Type", "type")
            .doc("an SCP (limits the account's principals) or an RCP (limits access to the "
                 "account's resources); docs/iam.md"),
        outside("organizations_policy", "description", T::Text, "description", "its description"),
        key("organizations_policy_attachment", "policy_id", T::Text)
            .req()
            .names("PolicyId", "policy_id")
            .doc("the SCP or RCP: an [[organizations_policy]]'s name, \"p-FullAWSAccess\" or "
                 "\"p-RCPFullAWSAccess\""),
        key("organizations_policy_attachment", "target_id", T::Text)
            .req()
            .names("TargetId", "target_id")
            .doc("where it is attached: the root, an OU or the account; each a level to pass"),
        key("organizations_organization", "id", T::Text)
            .def("\"\" (not known)")
            .names("Id", "id")
            .doc("the organization's id (o-...): aws:PrincipalOrgID and aws:ResourceOrgID of its "
                 "accounts' principals and resources"),
        key("organizations_organization", "master_account_id", T::Text)
            .def("\"\" (another account)")
            .names("MasterAccountId", "master_account_id")
            .doc("the management account; when it is the scenario's account, SCPs and RCPs do not "
                 "apply to it"),
        key("organizations_organization", "accounts", T::Strings)
            .def("[]")
            .doc("extension: the other member accounts' ids, whose principals are of the "
                 "organization (aws:PrincipalOrgID)"),

        // [[reserved_instance]], [[savings_plan]]: commitments on the bill (docs/pricing.md)
        key("reserved_instance", "name", T::Name).req().doc("its name (the bill's resource id)"),
        key("reserved_instance", "instance_type", T::Text)
            .req()
            .names("InstanceType", "")
            .doc("the type bought; regional: covers any size of its family by normalization "
                 "factor"),
        key("reserved_instance", "availability_zone", T::Text)
            .def("\"\" (regional)")
            .names("AvailabilityZone", "")
            .doc("a zonal RI: only this exact type in this AZ, no size flexibility; it also "
                 "reserves capacity there"),
        key("reserved_instance", "instance_count", T::Integer)
            .range(1)
            .def("1")
            .names("InstanceCount", "")
            .doc("how many"),
        key("reserved_instance", "recurring_charge", T::Number)
            .range(0)
            .def("0")
            .unit("USD/h")
            .names("RecurringCharges", "")
            .doc("the RIFee per instance and hour, used or not (All Upfront: none)"),
        key("reserved_instance", "offering_class", T::Choice)
            .of({"standard", "convertible"})
            .def("\"standard\"")
            .names("OfferingClass", "")
            .doc("both apply alike to usage; accepted, not modelled otherwise"),
        key("reserved_instance", "offering_type", T::Choice)
            .of({"No Upfront", "Partial Upfront", "All Upfront"})
            .def("\"No Upfront\"")
            .names("OfferingType", "")
            .doc("the payment option: what is paid upfront (fixed_price), what by the hour"),
        key("reserved_instance", "fixed_price", T::Number)
            .range(0)
            .def("0")
            .unit("USD")
            .names("FixedPrice", "")
            .doc("the upfront payment per instance; the run bills its share of the term"),
        key("reserved_instance", "duration", T::Seconds)
            .range(31536000, 94608000)
            .def("31536000")
            .unit("s")
            .names("Duration", "")
            .doc("the term: 31536000 (1 year) or 94608000 (3 years)"),
        tags("reserved_instance"),
        key("reserved_db_instance", "name", T::Name).req().doc("its name (the bill's resource id)"),
        outside("reserved_db_instance", "offering_id", T::Text, "offering_id",
                "the offering bought; its terms are the keys below"),
        key("reserved_db_instance", "db_instance_class", T::Text)
            .req()
            .names("DBInstanceClass", "db_instance_class")
            .doc("the class bought; covers any size of its class family by normalized units"),
        key("reserved_db_instance", "instance_count", T::Integer)
            .range(1)
            .def("1")
            .names("DBInstanceCount", "instance_count")
            .doc("how many"),
        key("reserved_db_instance", "multi_az", T::Boolean)
            .def("false")
            .names("MultiAZ", "multi_az")
            .doc("a Multi-AZ reservation: twice the normalized units of a Single-AZ one"),
        key("reserved_db_instance", "product_description", T::Choice)
            .of({"mysql", "postgresql"})
            .def("\"mysql\"")
            .names("ProductDescription", "product_description")
            .doc("the engine it applies to (the DB instances' `engine`)"),
        key("reserved_db_instance", "recurring_charge", T::Number)
            .range(0)
            .def("0")
            .unit("USD/h")
            .names("RecurringCharges", "")
            .doc("the RIFee per DB instance and hour, used or not (All Upfront: none)"),
        key("reserved_db_instance", "offering_type", T::Choice)
            .of({"No Upfront", "Partial Upfront", "All Upfront"})
            .def("\"No Upfront\"")
            .names("OfferingType", "offering_type")
            .doc("the payment option: what is paid upfront (fixed_price), what by the hour"),
        key("reserved_db_instance", "fixed_price", T::Number)
            .range(0)
            .def("0")
            .unit("USD")
            .names("FixedPrice", "fixed_price")
            .doc("the upfront payment per DB instance; the run bills its share of the term"),
        key("reserved_db_instance", "duration", T::Seconds)
            .range(31536000, 94608000)
            .def("31536000")
            .unit("s")
            .names("Duration", "duration")
            .doc("the term: 31536000 (1 year) or 94608000 (3 years)"),
        tags("reserved_db_instance"),
        key("savings_plan", "name", T::Name).req().doc("its name (the bill's resource id)"),
        key("savings_plan", "savings_plan_type", T::Choice)
            .of({"Compute", "EC2Instance"})
            .req()
            .names("SavingsPlanType", "")
            .doc("Compute: any family; EC2Instance: one family (instance_family)"),
        key("savings_plan", "commitment", T::Number)
            .req()
            .above(0)
            .unit("USD/h")
            .names("Commitment", "")
            .doc("the hourly commitment, paid every hour, used or not"),
        key("savings_plan", "instance_family", T::Text)
            .def("required for EC2Instance")
            .names("Ec2InstanceFamily", "")
            .doc("the family an EC2 Instance plan covers (\"m5\")"),
        key("savings_plan", "discount", T::Number)
            .range(0)
            .below(100)
            .def("0")
            .unit("%")
            .doc("the plan's rate as a share off On-Demand, for types without a rate"),
        key("savings_plan", "rates", T::NumberTable)
            .range(0)
            .unit("USD/h")
            .def("{} (On-Demand less discount)")
            .names("SavingsPlanRate", "")
            .doc("{ \"m5.large\" = 0.062 }: the plan's rate per instance type"),
        key("savings_plan", "payment_option", T::Choice)
            .of({"No Upfront", "Partial Upfront", "All Upfront"})
            .def("\"No Upfront\"")
            .names("PaymentOption", "")
            .doc("what of the commitment is paid upfront; the rest is paid by the hour"),
        key("savings_plan", "upfront_payment_amount", T::Number)
            .range(0)
            .def("0 (All Upfront: commitment x term)")
            .unit("USD")
            .names("UpfrontPaymentAmount", "")
            .doc("the upfront payment; the run bills its share of the term"),
        key("savings_plan", "term_duration_in_seconds", T::Seconds)
            .range(31536000, 94608000)
            .def("31536000")
            .unit("s")
            .names("TermDurationInSeconds", "")
            .doc("the term: 31536000 (1 year) or 94608000 (3 years)"),
        tags("savings_plan"),

        // [slo]
        // Judged per window (docs/slo.md); latencies count every answer, errors included.
        key("slo", "latency_p50", T::Duration)
            .above(0)
            .doc("p50 of every answer's latency in a window, at most"),
        key("slo", "latency_p90", T::Duration)
            .above(0)
            .doc("p90 of every answer's latency in a window, at most"),
        key("slo", "latency_p99", T::Duration)
            .above(0)
            .doc("p99 of every answer's latency in a window, at most"),
        key("slo", "latency_p999", T::Duration)
            .above(0)
            .doc("p99.9 of every answer's latency in a window, at most"),
        key("slo", "availability", T::Number)
            .range(0, 100)
            .unit("%")
            .doc("successful answers / all answers in a window, at least"),
        key("slo", "error_rate", T::Number)
            .range(0, 100)
            .unit("%")
            .doc("error answers (5xx, timeouts) / all answers in a window, at most"),
        key("slo", "window", T::Duration)
            .def("simulation.metrics_period")
            .above(0)
            .doc("length of the windows judged; a whole number of metrics periods"),
        key("slo", "budget", T::Number)
            .def("0")
            .range(0, 1)
            .doc("share of the judged windows allowed to miss an objective"),

        // [[action]]
        key("action", "at", T::TimePoint).req().doc("when the settings change"),
        key("action", "set", T::Settings)
            .req()
            .doc("{ \"autoscaling_group.web.desired_capacity\" = 4 }: paths and new values"),

        // Value tables: distribution = { dist = ... }
        key("distribution", "dist", T::Choice).req().chooses().of(kDistKind).doc("its kind"),
        key("distribution", "value", T::Duration).when("constant").range(0).doc("the value"),
        key("distribution", "mean", T::Duration)
            .when("constant")
            .range(0)
            .doc("the value (as `value`)"),
        key("distribution", "mean", T::Duration).when("normal").req().range(0).doc("the mean"),
        key("distribution", "mean", T::Duration)
            .when("exponential lognormal")
            .req()
            .above(0)
            .doc("the mean"),
        key("distribution", "sd", T::Duration)
            .when("normal")
            .req()
            .range(0)
            .doc("standard deviation (truncated at 0)"),
        key("distribution", "cv", T::Number)
            .when("lognormal")
            .req()
            .range(0)
            .doc("coefficient of variation"),
        key("distribution", "min", T::Duration).when("uniform").req().range(0).doc("lowest"),
        key("distribution", "max", T::Duration).when("uniform").req().range(0).doc("highest"),
        key("distribution", "file", T::Text)
            .when("empirical")
            .req()
            .doc("CSV of samples, one per row (durations or seconds)"),

        // Value tables: rate = { shape = ... }
        key("rate", "shape", T::Choice).req().chooses().of(kRateShape).doc("its shape"),
        key("rate", "value", T::Number)
            .when("constant")
            .req()
            .range(0)
            .unit("requests/s")
            .doc("the rate"),
        key("rate", "min", T::Number)
            .when("diurnal")
            .req()
            .range(0)
            .unit("requests/s")
            .doc("the night's rate"),
        key("rate", "max", T::Number)
            .when("diurnal")
            .req()
            .range(0)
            .unit("requests/s")
            .doc("the peak's rate"),
        key("rate", "peak", T::Text)
            .when("diurnal")
            .def("\"14:00\"")
            .doc("time of day of the peak, UTC"),
        key("rate", "steps", T::Pairs)
            .when("steps")
            .req()
            .doc("[[time, rate], ...]: each rate from its time (0 before the first)"),
        key("rate", "from", T::Number)
            .when("ramp")
            .req()
            .range(0)
            .unit("requests/s")
            .doc("rate at the start"),
        key("rate", "to", T::Number)
            .when("ramp")
            .req()
            .range(0)
            .unit("requests/s")
            .doc("rate at the end of the ramp"),
        key("rate", "over", T::Duration).when("ramp").req().above(0).doc("the ramp's length"),
        key("rate", "file", T::Text)
            .when("trace")
            .req()
            .doc(
                "CSV of time,rate rows (durations or seconds, requests/s), or a CloudWatch export"),
        key("rate", "scale", T::Number).when("trace").range(0).def("1.0").doc("multiplies it"),
        key("rate", "format", T::Choice)
            .when("trace")
            .of({"csv", "cloudwatch"})
            .def("\"csv\"")
            .doc("csv: time,rate rows; cloudwatch: a CloudWatch export of per-period sums "
                 "(get-metric-data or get-metric-statistics JSON, or the console's CSV)"),
        key("rate", "metric", T::Text)
            .when("trace")
            .def("the only metric")
            .doc("cloudwatch: the metric of an export with several (its Id, Label or column)"),
        key("rate", "period", T::Seconds)
            .when("trace")
            .range(1)
            .unit("s")
            .def("the timestamps' spacing")
            .names("Period", "")
            .doc("cloudwatch: the export's period, needed when it has one datapoint"),
    });
    return kKeys;
}

}  // namespace stratus::scenario
