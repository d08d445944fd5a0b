#pragma once
// The importer's internals, shared by terraform.cpp (names, references, the file's outline),
// terraform_network.cpp (VPC, subnets, routes, NAT, security groups), terraform_lb.cpp (load
// balancers, target groups, listeners, Classic Load Balancers) and terraform_compute.cpp
// (launch templates, groups, policies, alarms, schedules, instances, storage, databases).
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/iam/policy.hpp"
#include "sim/import/terraform.hpp"
#include "sim/import/terraform_json.hpp"
#include "sim/import/toml_writer.hpp"

namespace stratus::tfimport::detail {

// Resource types that more than one part of the importer reads (with the aws_alb_* aliases),
// declared once.
// aws_default_vpc, aws_default_subnet and aws_default_security_group adopt what AWS made with
// the account's default VPC: the same resources with the same attributes.
inline const std::vector<std::string> kVpc = {"aws_vpc", "aws_default_vpc"};
inline const std::vector<std::string> kSubnet = {"aws_subnet", "aws_default_subnet"};
inline const std::vector<std::string> kSg = {"aws_security_group", "aws_default_security_group"};
inline const std::vector<std::string> kInstance = {"aws_instance"};
inline const std::vector<std::string> kTg = {"aws_lb_target_group", "aws_alb_target_group"};
inline const std::vector<std::string> kAsg = {"aws_autoscaling_group"};
inline const std::vector<std::string> kRole = {"aws_iam_role"};
inline const std::vector<std::string> kEcsCluster = {"aws_ecs_cluster"};
inline const std::vector<std::string> kEcsCapacityProvider = {"aws_ecs_capacity_provider"};
inline const std::vector<std::string> kEcsService = {"aws_ecs_service"};

// The run the imported scenario is written with: the simulation's default start
// (docs/scenario-format.md) and the duration written in [simulation]. A one-time scheduled
// action outside it would never happen, and validation refuses such a time point.
constexpr const char* kDefaultStart = "2026-01-05T00:00:00Z";
constexpr const char* kDefaultDuration = "1h";
constexpr const char* kDefaultEnd = "2026-01-05T01:00:00Z";  // kDefaultStart + kDefaultDuration

// Output sections in the order the scenario is written.
enum class Section {
    InstanceType,
    Vpc,
    Subnet,
    NatGateway,
    VpcEndpoint,
    SecurityGroup,
    LaunchTemplate,
    TargetGroup,
    LoadBalancer,
    LbListener,
    AutoscalingGroup,
    AutoscalingPolicy,
    CloudwatchMetricAlarm,
    AutoscalingSchedule,
    Instance,
    Eip,
    EbsVolume,
    DbInstance,
    ReservedDbInstance,
    S3Bucket,
    S3BucketLifecycleConfiguration,
    S3BucketPolicy,
    S3BucketAcl,
    S3BucketPublicAccessBlock,
    S3BucketOwnershipControls,
    IamPolicy,
    IamUser,
    IamGroup,
    IamGroupMembership,
    IamUserGroupMembership,
    IamRole,
    IamUserPolicy,
    IamGroupPolicy,
    IamRolePolicy,
    IamUserPolicyAttachment,
    IamGroupPolicyAttachment,
    IamRolePolicyAttachment,
    IamPolicyAttachment,
    IamInstanceProfile,
    EcsCluster,
    EcsCapacityProvider,
    EcsClusterCapacityProviders,
    EcsTaskDefinition,
    EcsService,
    AppautoscalingTarget,
    AppautoscalingPolicy,
    AppautoscalingScheduledAction,
};
constexpr int kSectionCount = static_cast<int>(Section::AppautoscalingScheduledAction) + 1;

// One security group rule as Terraform states it, whichever of the three styles wrote it.
struct SgRule {
    std::string address;  // where it was written
    bool ingress = true;
    std::string protocol;  // "tcp", "udp", "icmp", "-1" (all), ...
    long long from_port = 0, to_port = 0;
    std::vector<std::string> cidr_blocks, ipv6_cidr_blocks, prefix_list_ids;
    std::vector<const TfInstance*> source_groups;
    std::vector<std::string> unmatched_groups;  // ids of groups not in the file
    // Its group is unknown until apply and the configuration does not say which one.
    bool unknown_group = false;
    // An egress rule's prefix lists: the aws_vpc_endpoint whose prefix_list_id each is (by
    // value, pl-..., or by reference), and the ones that are no endpoint's in the file.
    std::vector<const TfInstance*> prefix_endpoints;
    std::vector<std::string> unmatched_prefix_lists;
    bool self = false;
};

class Importer {
  public:
    Importer(const TfDocument& doc, std::string file) : doc_(doc), file_(std::move(file)) {}
    ImportResult run();

    // ---- shared helpers (terraform.cpp) ----
    // The scenario name given to an instance (assigned up front, unique per section).
    const std::string& name_of(const TfInstance& inst) const;
    bool has_name(const TfInstance* inst) const { return inst && names_.count(inst) > 0; }
    // Instances the value at `path` refers to: known ids/ARNs/names matched against the
    // `keys` attributes of instances of `types`, or (unknown at plan time) the configuration's
    // references. Literals that match nothing are returned in *unmatched.
    std::vector<const TfInstance*> refer(const TfInstance& from, const Path& path,
                                         const std::vector<std::string>& types,
                                         const std::vector<std::string>& keys,
                                         std::vector<std::string>* unmatched = nullptr) const;
    const TfInstance* refer_one(const TfInstance& from, const Path& path,
                                const std::vector<std::string>& types,
                                const std::vector<std::string>& keys,
                                std::vector<std::string>* unmatched = nullptr) const;
    std::vector<const TfInstance*> of_type(const std::vector<std::string>& types) const;
    // Names of the instances that have one, in order, without repeats.
    std::vector<std::string> names(const std::vector<const TfInstance*>& list) const;

    void skip(const TfInstance& inst, std::string why);
    void skip(const std::string& address, std::string why);
    void note(const TfInstance& inst, std::string what);
    void note(const std::string& address, std::string what);
    // Notes the attributes of `inst` that stratus does not model and that are set.
    void unmodelled(const TfInstance& inst, const std::vector<std::string>& attributes);
    // A new section, with a comment naming `inst`'s address.
    TomlSection& add(Section s, const TfInstance& inst, const char* from_what = nullptr);
    TomlSection& add_plain(Section s, TomlSection section);
    // A section built beforehand, with the comment naming `inst` put first.
    TomlSection& add(Section s, const TfInstance& inst, TomlSection built);
    void consumed(const TfInstance& inst) { consumed_.insert(&inst); }
    // Whether `inst` became a section of its own.
    bool emitted(const TfInstance* inst) const { return inst && emitted_.count(inst) > 0; }
    std::vector<std::string> emitted_names(const std::vector<const TfInstance*>& list) const;
    // tags = { ... } from the instance's `tags` (not tags_all, which adds the provider's).
    void set_tags(TomlSection& section, const TfInstance& inst);
    void add_az(const std::string& az);
    bool vpc_present() const { return vpc_ != nullptr; }

    // ---- per area ----
    void network();              // terraform_network.cpp
    void load_balancing();       // terraform_lb.cpp
    void compute();              // terraform_compute.cpp
    void storage_and_data();     // terraform_compute.cpp
    void identity_and_access();  // terraform_iam.cpp
    void profiles_in_use();
    void ecs();  // terraform_ecs.cpp: clusters, task definitions, services, Service Auto Scaling
    void ecs_task_definitions();
    void task_role(TomlSection& s, const TfInstance& td);
    void task_platform(TomlSection& s, const TfInstance& td);
    void alarms();  // after ecs(): alarms name ECS services and their step scaling policies
    TomlSection* section_of(Section section, const TfInstance& inst);
    std::optional<std::string> profile_of(const TfInstance& inst, const Path& path);

    // What the areas tell each other.
    std::map<const TfInstance*, std::vector<std::string>> group_target_groups;  // ASG -> TGs
    std::map<std::string, std::string> elb_target_group;  // CLB name -> its target group
    std::map<const TfInstance*, std::string> subnet_route;
    std::map<const TfInstance*, const TfInstance*> subnet_table;  // its route table, if known
    std::vector<std::string> lbs_with_listener;  // load balancer names, for the workload
    std::set<long long> flow_ports;  // ports the scenario's flows use (listeners, targets, DBs)
    std::map<const TfInstance*, std::string> subnet_az;  // every subnet's AZ, emitted or not

  private:
    void assign_names();
    std::string base_name(const TfInstance& inst, Section section) const;
    void workload_and_header(std::string& out, const std::string& region,
                             const std::string& region_how);
    void report_leftovers();
    void prune_unmodelled_alarms(const std::string& region_how);

    // network
    void vpc_and_subnets();
    void routes();
    std::string default_route_of(const TfInstance& table);
    void vpc_endpoints();
    void interface_endpoint(const TfInstance& e, const std::string& service);
    void security_groups();
    std::vector<SgRule> inline_rules(const TfInstance& sg, bool ingress);
    void emit_rules(TomlSection& section, const TfInstance& sg, const std::vector<SgRule>& rules);
    void emit_egress(TomlSection& section, const TfInstance& sg, const std::vector<SgRule>& rules);

    // load balancing
    void load_balancers();
    void target_groups();
    void listeners();
    std::vector<std::pair<std::string, std::int64_t>> forward_targets(
        const TfInstance& listener, std::string* other, const char* key = "default_action");
    const TfInstance* forwarding_rule(const TfInstance& listener,
                                      std::vector<std::pair<std::string, std::int64_t>>* targets);
    void write_forward(TomlSection& s,
                       const std::vector<std::pair<std::string, std::int64_t>>& targets);
    void classic_load_balancers();
    void attachments();

    // compute
    void launch_templates();
    void launch_configurations();
    void autoscaling_groups();
    void group_launch_template(TomlSection& s, const TfInstance& asg);
    const TfInstance* group_template(const TfInstance& asg, Json* version) const;
    void group_mixed_instances(TomlSection& s, const TfInstance& asg);
    void group_tags(TomlSection& s, const TfInstance& asg);
    std::vector<std::string> group_target_group_names(const TfInstance& asg, TomlSection& out);
    std::string template_type(const TfInstance& lt);
    std::string alarm_dimensions(const TfInstance& alarm,
                                 std::vector<std::pair<std::string, TomlValue>>& dims);
    void policies();
    void schedules();
    void instances();
    void addresses_and_volumes();
    void databases();
    void reserved_db_instances();
    const TfInstance* reservation_offering(const TfInstance& ri) const;
    void buckets();
    void bucket_lifecycles();
    std::optional<TomlValue> lifecycle_rule(const TfInstance& lc, const Json& rule);
    std::optional<TomlValue> noncurrent_transitions(const TfInstance& lc, const std::string& id,
                                                    const Json& rule);
    void bucket_versioning(const TfInstance& bucket, TomlSection& s);
    std::optional<TomlValue> lifecycle_filter(const TfInstance& lc, const std::string& id,
                                              const Json& rule);
    void bucket_inline_settings();
    static Json inline_lifecycle_rule(const Json& rule, std::size_t i);
    void bucket_policies();
    void bucket_acls();
    void bucket_access_settings();
    std::string canned_acl(const TfInstance& from, const std::string& canned);
    void credit_specification(const TfInstance& from, const std::string& instance_type,
                              const Json& credits);
    std::map<std::string, std::string> credit_choice_;  // instance type -> cpu_credits written

    // ECS (terraform_ecs.cpp)
    void ecs_clusters();
    void ecs_capacity_providers();
    void ecs_capacity_provider_scaling(std::vector<std::pair<std::string, TomlValue>>& asg,
                                       const TfInstance& cp);
    void ecs_cluster_capacity_providers();
    // A capacity provider a strategy or a cluster names: FARGATE and FARGATE_SPOT as they
    // are, an imported aws_ecs_capacity_provider by its scenario name; "" when not imported.
    std::string ecs_provider_name(const TfInstance& from, const Path& path);
    void ecs_services();
    bool ecs_service_network(TomlSection& s, const TfInstance& svc);
    void ecs_service_load_balancers(TomlSection& s, const TfInstance& svc);
    void ecs_placement_constraints(TomlSection& s, const TfInstance& r);
    void ecs_placement_strategy(TomlSection& s, const TfInstance& svc);
    void ecs_service_strategy(TomlSection& s, const TfInstance& svc, const TfInstance* cluster);
    void ecs_daemon_service(TomlSection& s, const TfInstance& svc);
    bool daemon_runs(const TfInstance& svc, const TfInstance& td, const TfInstance* cluster);
    const TfInstance* ecs_cluster_of(const TfInstance& svc, std::string* name);
    const TfInstance* ecs_task_definition_of(const TfInstance& svc);
    std::optional<std::string> containers_of_services(const TfInstance& td);
    // A note for each container whose healthCheck probes another port than the one its
    // services' load_balancer blocks send to (the model's application listens there unless
    // app_port says otherwise: the check fails).
    void health_check_notes(const TfInstance& td, const std::string& containers);
    void init_containers(TomlSection& s, const TfInstance& td, const std::string& containers);
    void app_targets();
    void app_policies();
    void app_target_tracking(TomlSection& s, const TfInstance& p, const Json& tt);
    void app_step_scaling(TomlSection& s, const Json& st);
    void app_scheduled_actions();
    const std::string* app_target_of(const TfInstance& from);
    std::map<const TfInstance*, std::string> service_cluster_;     // service -> cluster name
    std::map<const TfInstance*, std::string> target_resource_id_;  // target -> resource_id
    std::set<std::string> clusters_by_name_;  // [[ecs_cluster]] written for a name only

    // IAM
    std::optional<std::string> iam_document(const TfInstance& inst, const char* key,
                                            iam::PolicyKind kind);
    // Why the document at `key` is unknown until apply: what it is built from.
    std::string unknown_document(const TfInstance& inst, const char* key) const;
    void target_health_notes(const TfInstance& tg);
    const TfInstance* iam_owner(const TfInstance& inst, const char* key,
                                const std::vector<std::string>& types, const char* what);
    std::string iam_policy_ref(const TfInstance& inst, const Path& path);
    bool policy_loads(const std::string& policy) const;
    std::optional<std::string> attached_policy(const TfInstance& attachment);
    void served_first(const std::string& scenario, std::vector<std::string>& lbs) const;
    std::optional<std::string> boundary_policy(const TfInstance& identity);
    // A task definition's container_definitions with the values of environment variables
    // named as secrets (PASSWORD, SECRET, TOKEN, ...) replaced, with a note; else as given.
    std::string without_secrets(const TfInstance& td, const std::string& containers);
    void role_managed_policies(TomlSection& s, const TfInstance& role);
    // Notes the security groups `inst` names that the scenario does not have.
    void note_lost_groups(const TfInstance& inst, const std::vector<const TfInstance*>& groups,
                          const std::vector<std::string>& not_in_file);
    void role_inline_policies();
    void iam_memberships_and_profiles();
    void iam_policies_of(const char* type, Section section, const char* owner_key,
                         const std::vector<std::string>& owners);
    void iam_attachments_of(const char* type, Section section, const char* owner_key,
                            const std::vector<std::string>& owners);

  public:
    const TfDocument& doc_;
    std::string file_;
    std::string region_;
    const TfInstance* vpc_ = nullptr;
    std::vector<std::string> multi_az_dbs_;  // addresses of imported Multi-AZ DB instances
    std::map<const TfInstance*, std::string> names_;
    std::map<const TfInstance*, Section> section_of_;
    std::set<const TfInstance*> consumed_;
    std::set<const TfInstance*> emitted_;
    std::map<const TfInstance*, std::vector<std::string>> attached_by;  // ASG -> attachments
    std::vector<Finding> findings_;
    mutable std::vector<Finding> inferred_;  // references taken from context (refer)
    std::vector<std::vector<TomlSection>> sections_ =
        std::vector<std::vector<TomlSection>>(kSectionCount);
    std::set<std::string> azs_;
};

// "launch_template.id": an attribute path for messages.
std::string path_text(const Path& path);

// Times of the run the scenario is written with: RFC 3339 UTC times ("2026-01-05T00:00:00Z")
// before its start, and at or after its end (kDefaultEnd).
bool before_default_start(const std::string& t);
bool after_default_end(const std::string& t);
// The first value of a list of blocks (Terraform writes a single nested block as a list).
const Json& first_block(const Json& v);

// Helpers on values.
std::optional<std::string> str(const Json& v);
std::optional<long long> integer(const Json& v);  // numbers and numeric strings ("300")
std::optional<double> number(const Json& v);
std::optional<bool> boolean(const Json& v);  // also "true"/"false" (some provider strings)
std::vector<std::string> strings(const Json& v);

}  // namespace stratus::tfimport::detail
