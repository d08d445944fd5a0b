#pragma once
// The scenario's IAM as one AWS account (docs/iam.md): who a principal is, which policies
// apply to a request it makes, the request context AWS fills in for it, and the decision of
// AWS's evaluation logic (sim/iam/evaluate.hpp). Reads the Spec; its only state is the
// buckets' canned ACLs written as policy documents, and the Deny statements of the public
// bucket policies that Block Public Access restricts. `stratus iam check` asks it, and so do a
// run's AWS calls (aws_calls.hpp) and the S3 buckets' requests.
#include <string>
#include <string_view>
#include <vector>

#include "sim/iam/evaluate.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

class IamAccount {
  public:
    // The account id in the ARNs of the scenario's users and roles.
    static constexpr const char* kDefaultAccountId = "123456789012";

    explicit IamAccount(const scenario::Spec& spec, std::string account_id = kDefaultAccountId);

    // "user/NAME", "role/NAME" (a session of the role), "instance-profile/NAME" (a session
    // of its role), "anonymous" (no credentials), "root" (the account's root user),
    // "root/ACCOUNT" (another account's), "service/NAME" (an AWS service principal:
    // service/ec2.amazonaws.com) or "federated/PROVIDER" (a web identity or SAML provider's
    // user). A user or role with an account_id is of that account. Throws
    // std::invalid_argument naming the known principals.
    iam::Caller caller(std::string_view principal) const;

    // Every policy that applies to `caller` asking for `action` on `resource`: SCPs, the
    // resource's policy (a scenario role's trust policy for sts:AssumeRole on it; a bucket's
    // policy and its canned ACLs, as policies granting "*", for S3 ARNs), the
    // permissions boundary, and the identity-based policies of the user and its groups, or
    // of the role. The documents live in the Spec (or are built in).
    std::vector<iam::AppliedPolicy> policies(const iam::Caller& caller, std::string_view action,
                                             std::string_view resource) const;

    // What AWS puts in the request context for this caller: aws:username (users),
    // aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType,
    // aws:PrincipalTag/KEY for the user's or role's tags, aws:userid (the root user's account,
    // a user's or role's unique_id when given) and aws:PrincipalOrgID (a principal of the
    // organization's accounts, when its id is given); for every request, anonymous ones
    // too, aws:SecureTransport ("true": SDKs, the CLI and the console use HTTPS),
    // aws:RequestedRegion (the scenario's region; us-east-1 for the global services' actions)
    // and aws:ViaAWSService (false); for signed ones aws:PrincipalIsAWSService (false); for
    // anonymous ones aws:PrincipalType "Anonymous", aws:userid and aws:PrincipalAccount
    // "anonymous", and no other principal key.
    iam::RequestContext context(const iam::Caller& caller, std::string_view action = {}) const;

    // AWS's evaluation logic over policies(); for sts:AssumeRole on a role of the scenario,
    // the role's trust policy must also allow the caller or its account. The resource's
    // account (request.resource_account, when not given) is the account in its ARN, the
    // scenario's for S3: another account than the caller's makes the request cross-account.
    // For a resource named by its ARN, the context gets aws:ResourceAccount and, in the
    // organization, aws:ResourceOrgID, unless the request already holds them. A role
    // session's session policies (AssumeRole's Policy) are evaluated as AWS does: they must
    // allow too, and limit what a resource-based policy naming the role grants.
    iam::Decision check(const iam::Request& request,
                        const std::vector<iam::PolicyDocument>& session_policies = {}) const;

    const std::string& account_id() const { return account_; }

  private:
    void identity_policies(const iam::Caller& caller, std::vector<iam::AppliedPolicy>& out) const;
    void user_policies(const std::string& user, std::vector<iam::AppliedPolicy>& out) const;
    void role_policies(const std::string& role, std::vector<iam::AppliedPolicy>& out) const;
    void org_policies(bool rcp, std::vector<iam::AppliedPolicy>& out) const;
    std::string role_arn(const scenario::IamRoleSpec& role) const;
    // The scenario's account is the organization's management account: no SCP or RCP applies.
    bool management_account() const;
    bool service_linked(const iam::Caller& caller) const;
    bool in_organization(const std::string& account) const;
    void org_keys(const iam::Caller& caller, iam::RequestContext& context) const;
    std::string resource_account(std::string_view resource, const iam::Caller& caller) const;
    void bucket_policies(const iam::Caller& caller, std::string_view resource,
                         std::vector<iam::AppliedPolicy>& out) const;
    // Object Ownership BucketOwnerEnforced, or Block Public Access's IgnorePublicAcls.
    bool acls_disabled(const std::string& bucket) const;
    void restricted_policies();

    // What a canned ACL grants, as an Allow to "*" (docs/iam.md, "S3 access").
    struct AclGrant {
        std::string bucket;
        std::string name;   // "bucket ACL public-read", "object ACL public-read"
        std::string owner;  // the ARN it is on: the bucket, or its objects under the prefix
        iam::PolicyDocument document;
    };
    const scenario::Spec& spec_;
    std::string account_;
    std::vector<AclGrant> acls_;
    // A public bucket policy under RestrictPublicBuckets: its Deny statements alone, for the
    // callers outside the bucket's account.
    struct Restricted {
        std::string bucket;
        iam::PolicyDocument denies;
    };
    std::vector<Restricted> restricted_;
};

// The Region a request for `action` is sent to: us-east-1 for the global services whose one
// endpoint is there (IAM, Organizations, Route 53, CloudFront), else `region`.
std::string requested_region(std::string_view action, const std::string& region);

// The name in a caller's ARN: the user's, or the role's for a role session.
std::string caller_name(const iam::Caller& caller);

}  // namespace stratus::cloud
