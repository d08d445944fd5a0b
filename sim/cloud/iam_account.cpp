// The scenario's IAM account (iam_account.hpp).
#include "sim/cloud/iam_account.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/iam/managed_policies.hpp"
#include "sim/scenario/iam_refs.hpp"

namespace stratus::cloud {
namespace {

using iam::AppliedPolicy;
using iam::Attachment;
using iam::PolicyType;

template <class T>
const T* named(const std::vector<T>& items, std::string_view name) {
    for (const auto& i : items)
        if (i.name == name) return &i;
    return nullptr;
}

template <class T>
std::string names_of(const std::vector<T>& items, const char* prefix) {
    std::string out;
    for (const auto& i : items)
        out += (out.empty() ? "" : ", ") + std::string(prefix) + i.name;
    return out.empty() ? "none" : out;
}

// A managed policy reference of the Spec, validated when the scenario loaded.
void add_managed(const scenario::Spec& spec, const std::string& ref, PolicyType type,
                 const std::string& owner, std::vector<AppliedPolicy>& out) {
    const auto m = scenario::resolve_managed_policy(spec, ref, nullptr);
    if (!m) return;
    for (const auto& p : out)  // attached twice (a group and the user): evaluated once
        if (p.type == type && p.document == m->document && p.owner == owner) return;
    out.push_back({type, m->name, m->aws_managed ? Attachment::AwsManaged : Attachment::Managed,
                   owner, m->document});
}

// The grants of a canned ACL ("Access control list (ACL) overview", "Canned ACL") as an Allow
// statement: READ on a bucket lists it, READ on an object reads it, WRITE on a bucket writes
// and deletes its objects. AllUsers is anyone, anonymous included ("*"); AuthenticatedUsers
// is any AWS account's signed request: a principal with an ARN (aws:PrincipalArn, which
// anonymous requests lack; their aws:PrincipalAccount is "anonymous").
// "" when it grants nobody but the owner.
// A key prefix is any text: its `$`, `*` and `?` matched literally (IAM's ${$}, ${*}, ${?}).
std::string literal_in_arn(const std::string& s) {
    std::string out;
    for (char ch : s) {
        if (ch == '$' || ch == '*' || ch == '?')
            out += std::string("${") + ch + "}";
        else
            out += ch;
    }
    return out;
}

// Any text, escaped as a JSON string's content.
std::string json_escaped(const std::string& s) {
    std::string out;
    for (char ch : s) {
        if (ch == '"' || ch == '\\') out += '\\';
        if (static_cast<unsigned char>(ch) < 0x20)
            out += fmt::format("\\u{:04x}", static_cast<int>(ch));
        else
            out += ch;
    }
    return out;
}

std::string acl_statement(const std::string& acl, const std::string& actions,
                          const std::string& resource) {
    if (acl == "private") return "";
    const std::string condition = acl == "authenticated-read"
                                      ? R"(, "Condition": {"Null": {"aws:PrincipalArn": "false"}})"
                                      : "";
    return fmt::format(R"({{"Version": "2012-10-17", "Statement": [{{"Effect": )"
                       R"("Allow", "Principal": "*", "Action": [{}], "Resource": "{}"{}}}]}})",
                       actions, json_escaped(resource), condition);
}

// S3's "The meaning of public" (Blocking public access): a statement whose condition fixes
// one of these keys to values without wildcards (or aws:SourceIp to CIDR blocks) grants no
// public access.
bool fixes_requester(const iam::Condition& c) {
    using Op = iam::ConditionOp;
    const std::string key = iam::to_lower(c.key);
    if (c.if_exists || c.values.empty()) return false;
    if (key == "aws:sourceip") return c.op == Op::IpAddress;
    static const char* const kFixed[] = {
        "aws:sourcearn",   "aws:sourcevpc",     "aws:sourcevpce",
        "aws:sourceowner", "aws:sourceaccount", "s3:x-amz-server-side-encryption-aws-kms-key-id",
        "aws:userid"};
    if (std::find(std::begin(kFixed), std::end(kFixed), key) == std::end(kFixed)) return false;
    if (c.op != Op::StringEquals && c.op != Op::StringEqualsIgnoreCase && c.op != Op::StringLike &&
        c.op != Op::ArnEquals && c.op != Op::ArnLike)
        return false;
    return std::none_of(c.values.begin(), c.values.end(), [](const std::string& v) {
        return v.find_first_of("*?") != std::string::npos;
    });
}

// Does an Allow statement grant one of S3's "bad actions" (s3:Get*, s3:List*, s3:Put*,
// s3:Delete*, s3:AbortMultipartUpload, s3:RestoreObject), which expose the data?
bool grants_bad_action(const iam::Statement& st) {
    static const char* const kBad[] = {
        "s3:GetObject",    "s3:ListBucket",           "s3:PutObject",
        "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:RestoreObject"};
    if (st.not_action) return true;
    for (const auto& a : st.actions)
        for (const char* bad : kBad)
            if (iam::action_matches(a, bad)) return true;
    return false;
}

// A bucket policy is public when an Allow grants a bad action to any principal ("*",
// {"AWS": "*"}, or NotPrincipal) without a condition that fixes the requester.
bool policy_is_public(const iam::PolicyDocument& d) {
    for (const auto& st : d.statements) {
        if (st.effect != iam::Effect::Allow || !grants_bad_action(st)) continue;
        const bool anyone =
            st.not_principal || std::any_of(st.principals.begin(), st.principals.end(),
                                            [](const iam::PrincipalEntry& e) {
                                                return e.type == "*" || e.value == "*";
                                            });
        if (anyone && std::none_of(st.conditions.begin(), st.conditions.end(), fixes_requester))
            return true;
    }
    return false;
}

}  // namespace

std::string caller_name(const iam::Caller& c) {
    if (c.kind == iam::Caller::Kind::RoleSession)
        return c.role_arn.substr(c.role_arn.rfind('/') + 1);
    return c.arn.substr(c.arn.rfind('/') + 1);
}

IamAccount::IamAccount(const scenario::Spec& spec, std::string account_id)
    : spec_(spec), account_(std::move(account_id)) {
    // Written once here: the decisions point at these documents.
    restricted_policies();
    for (const auto& b : spec_.s3_bucket) {
        // ACLs disabled (Object Ownership "BucketOwnerEnforced") or public ACLs ignored (Block
        // Public Access): every canned ACL but private is public, so none grants anything.
        if (acls_disabled(b.name)) continue;
        const std::string arn = "arn:aws:s3:::" + b.name;
        std::string acl = "private";
        for (const auto& a : spec_.s3_bucket_acl)
            if (a.bucket == b.name) acl = a.acl;
        const std::string read = R"("s3:ListBucket", "s3:ListBucketVersions")";
        const std::string write = R"("s3:PutObject", "s3:DeleteObject")";
        const std::pair<std::string, std::string> grants[] = {
            {"bucket ACL " + acl, acl_statement(acl, read, arn)},
            {"bucket ACL " + acl,
             acl == "public-read-write" ? acl_statement(acl, write, arn + "/*") : ""},
            {"object ACL " + b.object_acl,
             acl_statement(b.object_acl, R"("s3:GetObject", "s3:GetObjectVersion")",
                           arn + "/" + literal_in_arn(b.key_prefix) + "*")},
        };
        for (const auto& [name, text] : grants) {
            if (text.empty()) continue;
            try {
                acls_.push_back(
                    {b.name, name, arn, iam::parse_policy(text, iam::PolicyKind::ResourceBased)});
            } catch (const iam::PolicyError& e) {
                // Written here from checked names, escaped: a refusal is a bug of this file.
                throw std::logic_error(std::string("canned ACL document refused: ") + e.what());
            }
        }
    }
}

bool IamAccount::acls_disabled(const std::string& bucket) const {
    for (const auto& o : spec_.s3_bucket_ownership_controls)
        if (o.bucket == bucket && o.object_ownership == "BucketOwnerEnforced") return true;
    for (const auto& b : spec_.s3_bucket_public_access_block)
        if (b.bucket == bucket && b.ignore_public_acls) return true;
    return false;
}

// RestrictPublicBuckets on a bucket whose policy is public: only principals of the bucket's
// account (and AWS services) get anything from it; for the others, its Deny statements stay.
void IamAccount::restricted_policies() {
    for (const auto& block : spec_.s3_bucket_public_access_block) {
        if (!block.restrict_public_buckets) continue;
        for (const auto& p : spec_.s3_bucket_policy) {
            if (p.bucket != block.bucket || !policy_is_public(p.document)) continue;
            iam::PolicyDocument denies = p.document;
            denies.statements.erase(
                std::remove_if(
                    denies.statements.begin(), denies.statements.end(),
                    [](const iam::Statement& st) { return st.effect == iam::Effect::Allow; }),
                denies.statements.end());
            restricted_.push_back({p.bucket, std::move(denies)});
        }
    }
}

// The principals that are not the scenario's users and roles: "anonymous", "root" (the
// scenario account's root user), "root/ACCOUNT" (another account's), "service/NAME" (an AWS
// service principal, ec2.amazonaws.com), "federated/PROVIDER" (an identity provider's user).
// false when `principal` is none of them.
static bool special_caller(std::string_view principal, const std::string& account, iam::Caller& c) {
    using K = iam::Caller::Kind;
    const auto slash = principal.find('/');
    const std::string_view kind = principal.substr(0, slash);
    const std::string rest(slash == std::string_view::npos ? "" : principal.substr(slash + 1));
    if (principal == "anonymous") {
        c.kind = K::Anonymous;
        c.arn = "anonymous";
    } else if (kind == "root") {
        c.kind = K::Root;
        c.account = rest.empty() ? account : rest;
        if (c.account.size() != 12 ||
            c.account.find_first_not_of("0123456789") != std::string::npos)
            throw std::invalid_argument(fmt::format(
                "`{}`: root is the account's root user, root/ACCOUNT another account's (12 digits)",
                principal));
        c.arn = fmt::format("arn:aws:iam::{}:root", c.account);
    } else if ((kind == "service" || kind == "federated") && !rest.empty()) {
        c.kind = kind == "service" ? K::Service : K::Federated;
        c.arn = rest;
    } else {
        return false;
    }
    return true;
}

iam::Caller IamAccount::caller(std::string_view principal) const {
    iam::Caller c;
    if (special_caller(principal, account_, c)) return c;
    const auto slash = principal.find('/');
    const std::string kind(principal.substr(0, slash == std::string_view::npos ? 0 : slash));
    const std::string name(slash == std::string_view::npos ? "" : principal.substr(slash + 1));
    c.account = account_;
    std::string role = name;
    if (kind == "user") {
        const auto* u = named(spec_.iam_user, name);
        if (!u)
            throw std::invalid_argument(fmt::format("no IAM user `{}` in the scenario; users: {}",
                                                    name, names_of(spec_.iam_user, "user/")));
        c.kind = iam::Caller::Kind::User;
        c.account = u->account_id.empty() ? account_ : u->account_id;
        c.arn = fmt::format("arn:aws:iam::{}:user/{}", c.account, name);
        c.has_permissions_boundary = !u->permissions_boundary.empty();
        return c;
    }
    if (kind == "instance-profile") {
        const auto* p = named(spec_.iam_instance_profile, name);
        if (!p)
            throw std::invalid_argument(
                fmt::format("no instance profile `{}` in the scenario; profiles: {}", name,
                            names_of(spec_.iam_instance_profile, "instance-profile/")));
        role = p->role;
    } else if (kind != "role") {
        throw std::invalid_argument(fmt::format(
            "a principal is user/NAME, role/NAME, instance-profile/NAME, anonymous, root, "
            "root/ACCOUNT, service/NAME (ec2.amazonaws.com) or federated/PROVIDER, not `{}`",
            principal));
    }
    const auto* r = named(spec_.iam_role, role);
    if (!r)
        throw std::invalid_argument(fmt::format("no IAM role `{}` in the scenario; roles: {}", role,
                                                names_of(spec_.iam_role, "role/")));
    c.kind = iam::Caller::Kind::RoleSession;
    c.account = r->account_id.empty() ? account_ : r->account_id;
    c.role_arn = role_arn(*r);
    // The session name EC2 gives an instance profile's session is the instance id; "session"
    // stands for any.
    c.arn = fmt::format("arn:aws:sts::{}:assumed-role/{}/session", c.account, role);
    c.has_permissions_boundary = !r->permissions_boundary.empty();
    return c;
}

void IamAccount::user_policies(const std::string& user, std::vector<AppliedPolicy>& out) const {
    const std::string owner = "user/" + user;
    for (const auto& p : spec_.iam_user_policy)
        if (p.owner == user)
            out.push_back({PolicyType::Identity, p.name, Attachment::Inline, owner, &p.document});
    for (const auto& a : spec_.iam_user_policy_attachment)
        if (a.owner == user) add_managed(spec_, a.policy_arn, PolicyType::Identity, owner, out);
    for (const auto& a : spec_.iam_policy_attachment)
        if (std::count(a.users.begin(), a.users.end(), user))
            add_managed(spec_, a.policy_arn, PolicyType::Identity, owner, out);
    std::vector<std::string> groups;
    for (const auto& m : spec_.iam_group_membership)
        if (std::count(m.users.begin(), m.users.end(), user)) groups.push_back(m.group);
    for (const auto& m : spec_.iam_user_group_membership)
        if (m.user == user) groups.insert(groups.end(), m.groups.begin(), m.groups.end());
    std::sort(groups.begin(), groups.end());
    groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
    for (const auto& g : groups) {
        const std::string by = "group/" + g;
        for (const auto& p : spec_.iam_group_policy)
            if (p.owner == g)
                out.push_back({PolicyType::Identity, p.name, Attachment::Inline, by, &p.document});
        for (const auto& a : spec_.iam_group_policy_attachment)
            if (a.owner == g) add_managed(spec_, a.policy_arn, PolicyType::Identity, by, out);
        for (const auto& a : spec_.iam_policy_attachment)
            if (std::count(a.groups.begin(), a.groups.end(), g))
                add_managed(spec_, a.policy_arn, PolicyType::Identity, by, out);
    }
    if (const auto* u = named(spec_.iam_user, user); u && !u->permissions_boundary.empty())
        add_managed(spec_, u->permissions_boundary, PolicyType::PermissionsBoundary, owner, out);
}

void IamAccount::role_policies(const std::string& role, std::vector<AppliedPolicy>& out) const {
    const std::string owner = "role/" + role;
    for (const auto& p : spec_.iam_role_policy)
        if (p.owner == role)
            out.push_back({PolicyType::Identity, p.name, Attachment::Inline, owner, &p.document});
    for (const auto& a : spec_.iam_role_policy_attachment)
        if (a.owner == role) add_managed(spec_, a.policy_arn, PolicyType::Identity, owner, out);
    for (const auto& a : spec_.iam_policy_attachment)
        if (std::count(a.roles.begin(), a.roles.end(), role))
            add_managed(spec_, a.policy_arn, PolicyType::Identity, owner, out);
    const auto* r = named(spec_.iam_role, role);
    if (!r) return;
    for (const auto& arn : r->managed_policy_arns)
        add_managed(spec_, arn, PolicyType::Identity, owner, out);
    if (!r->permissions_boundary.empty())
        add_managed(spec_, r->permissions_boundary, PolicyType::PermissionsBoundary, owner, out);
}

// The organization's policies of one kind (SCPs or RCPs) at each level they are attached to.
// RCPFullAWSAccess is attached to every level once RCPs are in use and cannot be detached:
// stratus adds it at each level an RCP is attached to, once.
void IamAccount::org_policies(bool rcp, std::vector<AppliedPolicy>& out) const {
    const PolicyType type = rcp ? PolicyType::ResourceControl : PolicyType::ServiceControl;
    std::vector<std::string> levels;
    for (const auto& a : spec_.organizations_policy_attachment) {
        const auto m = scenario::resolve_scp(spec_, a.policy_id, nullptr);
        if (!m || m->rcp != rcp) continue;
        if (rcp && m->aws_managed) continue;  // p-RCPFullAWSAccess: added below, once
        out.push_back({type, m->name, Attachment::Organization, a.target_id, m->document});
        if (std::find(levels.begin(), levels.end(), a.target_id) == levels.end())
            levels.push_back(a.target_id);
    }
    for (const auto& level : levels)
        if (rcp)
            out.push_back({type, "RCPFullAWSAccess", Attachment::Organization, level,
                           &iam::rcp_full_aws_access()});
}

// RCPs apply to the resources of the services "List of AWS services that support RCPs" names
// (by their action prefix), by the action's service (sts:AssumeRole on a role), of the
// organization's member accounts, whoever asks (other accounts' principals, anonymous ones and
// AWS services included: the page's only exceptions are the management account's resources
// and service-linked roles).
static bool rcp_service(std::string_view action) {
    // The prefixes, each between spaces.
    static constexpr std::string_view kServices =
        " appstream dsql clouddirectory cloudfront cloudsearch logs networkmonitor "
        "cognito-identity cognito-idp comprehend comprehendmedical firehose dynamodb dax "
        "autoscaling ecr ecr-public gamelift inspector-scan kendra kinesisvideo memorydb "
        "aoss personalize polly s3 swf sqs textract timestream-influxdb transcribe "
        "translate workspaces appconfig autoscaling-plans budgets servicediscovery "
        "cloudtrail-data codeartifact codebuild codecommit codepipeline "
        "compute-optimizer cost-optimization-hub events fms fis health rolesanywhere kms "
        "opensearch pricing pca-connector-ad resource-groups secretsmanager sts signin "
        "support transfer notifications wafv2 xray ";
    const std::string service = " " + iam::to_lower(action.substr(0, action.find(':'))) + " ";
    return kServices.find(service) != std::string_view::npos;
}

// An S3 ARN's bucket policy and ACL grants: arn:aws:s3:::BUCKET or arn:aws:s3:::BUCKET/KEY.
// A public policy under RestrictPublicBuckets keeps only its Denies for a caller outside the
// bucket's account (anonymous included).
void IamAccount::bucket_policies(const iam::Caller& caller, std::string_view resource,
                                 std::vector<AppliedPolicy>& out) const {
    constexpr std::string_view kS3 = "arn:aws:s3:::";
    if (resource.substr(0, kS3.size()) != kS3) return;
    const std::string_view rest = resource.substr(kS3.size());
    const std::string bucket(rest.substr(0, rest.find('/')));
    const bool outsider = caller.kind == iam::Caller::Kind::Anonymous || caller.account != account_;
    for (const auto& p : spec_.s3_bucket_policy) {
        if (p.bucket != bucket) continue;
        const iam::PolicyDocument* doc = &p.document;
        std::string name = "bucket policy of " + bucket;
        for (const auto& r : restricted_)
            if (outsider && r.bucket == bucket) {
                doc = &r.denies;
                name += " (public, restricted by RestrictPublicBuckets)";
            }
        out.push_back({PolicyType::ResourceBased, name, Attachment::Resource,
                       std::string(kS3) + bucket, doc});
    }
    for (const auto& a : acls_)
        if (a.bucket == bucket)
            out.push_back(
                {PolicyType::ResourceBased, a.name, Attachment::Resource, a.owner, &a.document});
}

std::vector<AppliedPolicy> IamAccount::policies(const iam::Caller& caller, std::string_view action,
                                                std::string_view resource) const {
    using K = iam::Caller::Kind;
    std::vector<AppliedPolicy> out;
    // SCPs limit the principals of the scenario's account (its root user too), not AWS
    // services, federated users before they assume a role, or anonymous callers. Neither SCPs
    // nor RCPs apply in the organization's management account, nor to a service-linked role.
    const bool principal_here =
        (caller.kind == K::User || caller.kind == K::RoleSession || caller.kind == K::Root) &&
        caller.account == account_;
    const bool exempt = management_account() || service_linked(caller);
    if (principal_here && !exempt) org_policies(false, out);
    // "Resources and entities not restricted by RCPs": nor the trust policy of a
    // service-linked role (its service assuming it).
    const bool linked_role = resource.find(":role/aws-service-role/") != std::string_view::npos;
    if (resource_account(resource, caller) == account_ && rcp_service(action) && !exempt &&
        !linked_role)
        org_policies(true, out);
    // A role's trust policy is the resource-based policy of sts:AssumeRole (and of its web
    // identity and SAML forms) on the role.
    const bool assume = iam::action_matches("sts:AssumeRole", action) ||
                        iam::action_matches("sts:AssumeRoleWithWebIdentity", action) ||
                        iam::action_matches("sts:AssumeRoleWithSAML", action);
    for (const auto& r : spec_.iam_role)
        if (assume && resource == role_arn(r))
            out.push_back({PolicyType::ResourceBased, "trust policy of role/" + r.name,
                           Attachment::Resource, std::string(resource), &r.trust_policy});
    bucket_policies(caller, resource, out);
    if (caller.kind == iam::Caller::Kind::User) user_policies(caller_name(caller), out);
    if (caller.kind == iam::Caller::Kind::RoleSession) role_policies(caller_name(caller), out);
    return out;
}

std::string requested_region(std::string_view action, const std::string& region) {
    const auto colon = action.find(':');
    const std::string service = iam::to_lower(action.substr(0, colon));
    for (const char* global : {"iam", "organizations", "route53", "cloudfront"})
        if (service == global) return "us-east-1";
    return region;
}

iam::RequestContext IamAccount::context(const iam::Caller& caller, std::string_view action) const {
    iam::RequestContext c;
    c.set("aws:SecureTransport", {"true"});
    c.set("aws:RequestedRegion", {requested_region(action, spec_.region.name)});
    // Always in the context ("AWS global condition context keys"): false, as the caller
    // sends the request itself, not a service on its behalf (Forward Access Sessions).
    c.set("aws:ViaAWSService", {"false"});
    // An anonymous request (S3, SQS, SNS) has the three keys "for all requests, including
    // anonymous requests", with the values of the IAM User Guide's table of principal key
    // values and aws:PrincipalAccount's entry; none of the keys only signed requests have
    // (aws:PrincipalArn, aws:username, aws:PrincipalIsAWSService, aws:PrincipalOrgID, tags).
    if (caller.kind == iam::Caller::Kind::Anonymous) {
        c.set("aws:PrincipalType", {"Anonymous"});
        c.set("aws:userid", {"anonymous"});
        c.set("aws:PrincipalAccount", {"anonymous"});
        return c;
    }
    // In every signed request: true only for a service principal's own requests.
    c.set("aws:PrincipalIsAWSService",
          {caller.kind == iam::Caller::Kind::Service ? "true" : "false"});
    const std::string name = caller_name(caller);
    const scenario::Tags* tags = nullptr;
    if (caller.kind == iam::Caller::Kind::Service) {
        c.set("aws:PrincipalServiceName", {caller.arn});
        return c;
    }
    if (caller.kind == iam::Caller::Kind::Federated) return c;
    if (caller.kind == iam::Caller::Kind::Root) {
        c.set("aws:PrincipalType", {"Account"});
        c.set("aws:PrincipalArn", {caller.arn});
        c.set("aws:PrincipalAccount", {caller.account});
        c.set("aws:userid", {caller.account});  // the root user's id is its account's
        org_keys(caller, c);
        return c;
    }
    // aws:userid: the user's unique ID, a role session's role ID and session name (EC2 names
    // an instance profile's session after the instance; "session" stands for any).
    if (caller.kind == iam::Caller::Kind::User) {
        c.set("aws:username", {name});
        c.set("aws:PrincipalType", {"User"});
        c.set("aws:PrincipalArn", {caller.arn});
        if (const auto* u = named(spec_.iam_user, name)) {
            tags = &u->tags;
            if (!u->unique_id.empty()) c.set("aws:userid", {u->unique_id});
        }
    } else {
        c.set("aws:PrincipalType", {"AssumedRole"});
        c.set("aws:PrincipalArn", {caller.role_arn});  // a session's is its role's ARN
        if (const auto* r = named(spec_.iam_role, name)) {
            tags = &r->tags;
            if (!r->unique_id.empty()) c.set("aws:userid", {r->unique_id + ":session"});
        }
    }
    c.set("aws:PrincipalAccount", {caller.account});
    org_keys(caller, c);
    if (tags)
        for (const auto& [k, v] : *tags)
            c.set("aws:PrincipalTag/" + k, {v});
    return c;
}

// A role's ARN holds its path: arn:aws:iam::ACCOUNT:role/aws-service-role/SERVICE/NAME.
std::string IamAccount::role_arn(const scenario::IamRoleSpec& r) const {
    return fmt::format("arn:aws:iam::{}:role{}{}", r.account_id.empty() ? account_ : r.account_id,
                       r.path.empty() ? "/" : r.path, r.name);
}

bool IamAccount::management_account() const {
    const auto& o = spec_.organizations_organization;
    return o.present && o.master_account_id == account_;
}

// A service-linked role is created by its service under /aws-service-role/ ("Using
// service-linked roles"): SCPs and RCPs do not limit its sessions.
bool IamAccount::service_linked(const iam::Caller& caller) const {
    if (caller.kind != iam::Caller::Kind::RoleSession) return false;
    for (const auto& r : spec_.iam_role)
        if (role_arn(r) == caller.role_arn) return r.path.rfind("/aws-service-role/", 0) == 0;
    return false;
}

// The organization's accounts: the scenario's, the management account and those listed.
bool IamAccount::in_organization(const std::string& account) const {
    const auto& o = spec_.organizations_organization;
    if (!o.present || account.empty()) return false;
    return account == account_ || account == o.master_account_id ||
           std::find(o.accounts.begin(), o.accounts.end(), account) != o.accounts.end();
}

// aws:PrincipalOrgID for a principal of an account of the organization, when its id is given.
void IamAccount::org_keys(const iam::Caller& caller, iam::RequestContext& c) const {
    const auto& id = spec_.organizations_organization.id;
    if (!id.empty() && in_organization(caller.account)) c.set("aws:PrincipalOrgID", {id});
}

// The account that owns a resource: the account part of its ARN; the scenario's for S3 ARNs
// (its buckets are the scenario account's; choice for a bucket it does not declare); the
// caller's own for "*" and for ARNs without an account.
std::string IamAccount::resource_account(std::string_view resource,
                                         const iam::Caller& caller) const {
    if (resource.rfind("arn:aws:s3:::", 0) == 0) return account_;
    if (resource.rfind("arn:", 0) != 0) return caller.account;
    std::size_t at = 0;
    for (int i = 0; i < 4 && at != std::string_view::npos; ++i)
        at = resource.find(':', at + 1);
    if (at == std::string_view::npos) return caller.account;
    const auto end = resource.find(':', at + 1);
    const std::string account(
        resource.substr(at + 1, end == std::string_view::npos ? end : end - at - 1));
    return account.empty() ? caller.account : account;
}

iam::Decision IamAccount::check(const iam::Request& original,
                                const std::vector<iam::PolicyDocument>& session_policies) const {
    iam::Request request = original;
    if (request.resource_account.empty())
        request.resource_account = resource_account(request.resource, request.caller);
    // The resource's keys, for a resource named by its ARN (not "*"), unless given: the
    // account that owns it and, in the organization, the organization's id.
    if (request.resource.rfind("arn:", 0) == 0) {
        if (!request.context.find("aws:ResourceAccount"))
            request.context.set("aws:ResourceAccount", {request.resource_account});
        const auto& id = spec_.organizations_organization.id;
        if (!id.empty() && in_organization(request.resource_account) &&
            !request.context.find("aws:ResourceOrgID"))
            request.context.set("aws:ResourceOrgID", {id});
    }
    // A service acting for a resource (aws:SourceAccount, given with the request): AWS adds
    // the organization of that account as aws:SourceOrgID.
    const auto* source = request.context.find("aws:SourceAccount");
    const auto& id = spec_.organizations_organization.id;
    if (source && source->size() == 1 && !id.empty() && in_organization(source->front()) &&
        !request.context.find("aws:SourceOrgID"))
        request.context.set("aws:SourceOrgID", {id});
    auto applied = policies(request.caller, request.action, request.resource);
    for (std::size_t i = 0; i < session_policies.size(); ++i)
        applied.push_back({PolicyType::Session, fmt::format("session-policy-{}", i + 1),
                           Attachment::Inline, "role/" + caller_name(request.caller) + " session",
                           &session_policies[i]});
    iam::Decision d = iam::evaluate(request, applied);
    // The STS API reference: AssumeRole cannot be called with an account's root user
    // credentials ("access is denied"; only an IAM user or role can), even when the trust
    // policy names the account and no policy denies it. A Deny still answers first.
    if (request.caller.kind == iam::Caller::Kind::Root && d.kind == iam::DecisionKind::Allowed &&
        iam::action_matches("sts:AssumeRole", request.action)) {
        iam::Decision refused;
        refused.kind = iam::DecisionKind::ImplicitDeny;
        refused.reason = iam::DecisionReason::RootCannotAssumeRole;
        return refused;
    }
    // sts:AssumeRole needs the role's trust policy to allow the caller, or its account (then
    // the caller's own policies must allow it too): without that, nothing else can allow it.
    const auto trust = std::find_if(applied.begin(), applied.end(), [](const AppliedPolicy& p) {
        return p.type == PolicyType::ResourceBased && p.attachment == Attachment::Resource &&
               p.owner.find(":role/") != std::string::npos;
    });
    if (trust == applied.end() || d.kind != iam::DecisionKind::Allowed) return d;
    for (const auto& s : trust->document->statements)
        if (s.effect == iam::Effect::Allow && iam::statement_applies(s, *trust->document, request))
            return d;
    iam::Decision denied;
    denied.kind = iam::DecisionKind::ImplicitDeny;
    denied.reason = iam::DecisionReason::TrustPolicyDoesNotAllow;
    return denied;
}

}  // namespace stratus::cloud
