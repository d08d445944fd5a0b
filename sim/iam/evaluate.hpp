#pragma once
// AWS's policy evaluation logic ("Policy evaluation logic", "Policy evaluation for requests
// within a single account", "Cross-account policy evaluation logic"; docs/iam.md,
// "Evaluation"):
//   1. an explicit Deny in any applicable policy decides: explicit deny;
//   2. SCPs: at every level of the organization some SCP must allow (else implicit deny);
//   3. RCPs: the same, for the resource's organization;
//   4. within one account, a resource-based policy that allows the caller itself (its user
//      ARN, its role session ARN, or "*") decides: allowed; one that allows the caller's role
//      ARN still needs the permissions boundary and session policies below, but no
//      identity-based policy; across accounts the resource-based policy must allow the caller
//      (or its account) AND the caller's identity-based policy must allow, within 5 and 6;
//   5. a permissions boundary must allow;
//   6. a session policy, if any, must allow;
//   7. an identity-based policy must allow (the account's root user needs none); otherwise
//      implicit deny.
// The decision names the statements that decided it.
#include <cstddef>
#include <string>
#include <vector>

#include "sim/iam/match.hpp"
#include "sim/iam/policy.hpp"

namespace stratus::iam {

enum class PolicyType {
    ServiceControl,       // an AWS Organizations SCP
    ResourceControl,      // an AWS Organizations RCP (resource control policy)
    ResourceBased,        // the resource's policy (a bucket policy, a role's trust policy)
    PermissionsBoundary,  // the user's or role's permissions boundary
    Session,              // a session policy passed when the role was assumed
    Identity,             // inline or managed, of the user, its groups, or the role
};

// How a policy reaches the request (for the decision's words).
enum class Attachment {
    Inline,        // an inline policy of `owner`
    Managed,       // a customer managed policy attached to `owner`
    AwsManaged,    // an AWS managed policy attached to `owner`
    Resource,      // the policy of the resource `owner`
    Organization,  // an SCP or RCP attached to the organization level `owner`
};

// A policy that applies to the request.
struct AppliedPolicy {
    PolicyType type = PolicyType::Identity;
    std::string name;  // "s3-read"
    Attachment attachment = Attachment::Managed;
    // "user/mj", "group/dev", "role/app", the resource's ARN; for an SCP the organization
    // level it is attached to (the root, an OU, the account): each level needs an Allow.
    std::string owner;
    const PolicyDocument* document = nullptr;
};

// Who makes the request.
struct Caller {
    // Anonymous: a request without credentials (an S3 GET from the internet); only a
    // resource-based policy or an ACL that grants "*" can allow it. Root: the account's root
    // user, allowed everything in its account unless a policy denies it (no identity-based
    // policy attaches to it). Federated: a web identity or SAML provider's user asking for
    // sts:AssumeRoleWithWebIdentity / AssumeRoleWithSAML, named by its provider.
    enum class Kind { User, RoleSession, Service, Anonymous, Root, Federated };
    Kind kind = Kind::User;
    // user ARN, role session ARN, arn:aws:iam::ACCOUNT:root, the service
    // ("ec2.amazonaws.com") or the identity provider ("cognito-identity.amazonaws.com",
    // "arn:aws:iam::ACCOUNT:saml-provider/NAME")
    std::string arn;
    std::string role_arn;  // role sessions: the role
    std::string account;   // 12 digits
    bool has_permissions_boundary = false;
};

struct Request {
    Caller caller;
    std::string action;    // "s3:GetObject"
    std::string resource;  // an ARN, or "*"
    // The account that owns the resource: "" or the caller's account for a request within one
    // account; another account's id makes it a cross-account request.
    std::string resource_account;
    RequestContext context;
};

enum class DecisionKind { Allowed, ImplicitDeny, ExplicitDeny };

// Why: the rule of the evaluation logic that decided.
enum class DecisionReason {
    DenyStatement,                     // explicit deny: a Deny statement matched
    NoScpAllows,                       // implicit deny: an SCP level has no Allow
    NoRcpAllows,                       // implicit deny: an RCP level has no Allow
    CrossAccountResourceDoesNotAllow,  // implicit deny: across accounts, the resource-based
                                       // policy does not allow the caller or its account
    CrossAccountIdentityDoesNotAllow,  // implicit deny: across accounts, the resource-based
                                       // policy allows, the caller's identity-based does not
    ResourcePolicyAllows,              // allowed by the resource-based policy
    BoundaryDoesNotAllow,              // implicit deny: the permissions boundary has no Allow
    SessionDoesNotAllow,               // implicit deny: the session policies have no Allow
    IdentityAllows,                    // allowed by an identity-based policy (within the boundary)
    NoStatementAllows,                 // implicit deny: nothing allows
    TrustPolicyDoesNotAllow,           // implicit deny: sts:AssumeRole that the role's trust policy
                                       // does not allow (cloud::IamAccount)
    RootCannotAssumeRole,              // implicit deny: STS refuses AssumeRole signed by an
                                       // account's root user, whatever the policies say
};

struct StatementRef {
    PolicyType type = PolicyType::Identity;
    std::string policy;
    Attachment attachment = Attachment::Managed;
    std::string owner;
    std::size_t index = 0;  // 0-based
    std::string sid;
    Effect effect = Effect::Allow;
    std::string label() const;  // Sid "X" or statement N
};

struct Decision {
    DecisionKind kind = DecisionKind::ImplicitDeny;
    DecisionReason reason = DecisionReason::NoStatementAllows;
    // The statements that decided: the Deny statements; the Allow statements that granted
    // (with the boundary's and SCPs' Allows that let it through). Empty for an implicit deny
    // that no statement matched; for NoScpAllows and NoRcpAllows, `scp_target` names the
    // level.
    std::vector<StatementRef> statements;
    std::string scp_target;
};

Decision evaluate(const Request& request, const std::vector<AppliedPolicy>& policies);

// Does this statement apply to the request (action, resource, principal, conditions)?
bool statement_applies(const Statement& statement, const PolicyDocument& document,
                       const Request& request);

// A request from a principal of one account to a resource of another.
bool cross_account(const Request& request);

const char* to_string(DecisionKind kind);
const char* to_string(PolicyType type);

}  // namespace stratus::iam
