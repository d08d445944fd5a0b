// A second set of IAM cases, written apart from the engine (sim/iam/): AWS's example policies
// of the IAM User Guide ("Example IAM identity-based policies"), each with the requests the
// example says it allows and denies.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sim/iam/evaluate.hpp"
#include "sim/iam/policy.hpp"

namespace test_iam_policy_examples {

using namespace stratus::iam;

namespace {

struct Case {
    std::string action, resource;
    std::vector<std::pair<std::string, std::string>> context;
};

DecisionKind decide(const std::vector<const char*>& identity_policies, const Case& c,
                    const std::string& user = "alice") {
    std::vector<PolicyDocument> docs;
    for (const char* p : identity_policies)
        docs.push_back(parse_policy(p, PolicyKind::Identity));
    std::vector<AppliedPolicy> ps;
    for (std::size_t i = 0; i < docs.size(); ++i)
        ps.push_back({PolicyType::Identity, "p" + std::to_string(i), Attachment::Inline,
                      "user/alice", &docs[i]});
    Request r;
    r.caller.kind = Caller::Kind::User;
    r.caller.account = "123456789012";
    r.caller.arn = "arn:aws:iam::123456789012:user/" + user;
    r.action = c.action;
    r.resource = c.resource;
    r.context.set("aws:username", {user});
    for (const auto& [k, v] : c.context)
        r.context.add(k, v);
    return evaluate(r, ps).kind;
}

constexpr auto kAllow = DecisionKind::Allowed;
constexpr auto kImplicit = DecisionKind::ImplicitDeny;
constexpr auto kExplicit = DecisionKind::ExplicitDeny;

}  // namespace

TEST_CASE("Example: access within a date range (aws:CurrentTime)", "[iam][iam-examples]") {
    const char* p = R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
      "Action": "service-prefix:action-name", "Resource": "*",
      "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2020-04-01T00:00:00Z"},
                    "DateLessThan": {"aws:CurrentTime": "2020-06-30T23:59:59Z"}}}]})";
    CHECK(decide({p}, {"service-prefix:action-name",
                       "*",
                       {{"aws:CurrentTime", "2020-05-15T12:00:00Z"}}}) == kAllow);
    CHECK(decide({p}, {"service-prefix:action-name",
                       "*",
                       {{"aws:CurrentTime", "2020-07-01T00:00:00Z"}}}) == kImplicit);
    CHECK(decide({p}, {"service-prefix:action-name", "*", {}}) == kImplicit);
}

TEST_CASE("Example: EC2 start/stop only on instances whose Owner tag is the user",
          "[iam][iam-examples]") {
    const char* p = R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": ["ec2:StartInstances", "ec2:StopInstances"],
       "Resource": "arn:aws:ec2:*:*:instance/*",
       "Condition": {"StringEquals": {"aws:ResourceTag/Owner": "${aws:username}"}}},
      {"Effect": "Allow", "Action": "ec2:DescribeInstances", "Resource": "*"}]})";
    const std::string i = "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc";
    CHECK(decide({p}, {"ec2:StopInstances", i, {{"aws:ResourceTag/Owner", "alice"}}}) == kAllow);
    CHECK(decide({p}, {"ec2:StopInstances", i, {{"aws:ResourceTag/Owner", "bob"}}}) == kImplicit);
    CHECK(decide({p}, {"ec2:StopInstances", i, {}}) == kImplicit);
    CHECK(decide({p}, {"ec2:TerminateInstances", i, {{"aws:ResourceTag/Owner", "alice"}}}) ==
          kImplicit);
    CHECK(decide({p}, {"ec2:DescribeInstances", "*", {}}) == kAllow);
    CHECK(decide({p}, {"ec2:StopInstances",
                       "arn:aws:ec2:us-east-1:123456789012:volume/v-1",
                       {{"aws:ResourceTag/Owner", "alice"}}}) == kImplicit);
}

TEST_CASE("Example: deny everything outside two Regions except global services",
          "[iam][iam-examples]") {
    const char* admin = R"({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}})";
    const char* regions = R"({"Version": "2012-10-17", "Statement": [{
      "Sid": "DenyAllOutsideRequestedRegions", "Effect": "Deny",
      "NotAction": ["cloudfront:*", "iam:*", "route53:*", "support:*"], "Resource": "*",
      "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-central-1", "eu-west-1"]}}}]})";
    CHECK(decide({admin, regions},
                 {"ec2:RunInstances", "*", {{"aws:RequestedRegion", "eu-west-1"}}}) == kAllow);
    CHECK(decide({admin, regions},
                 {"ec2:RunInstances", "*", {{"aws:RequestedRegion", "us-east-1"}}}) == kExplicit);
    CHECK(decide({admin, regions},
                 {"iam:CreateRole", "*", {{"aws:RequestedRegion", "us-east-1"}}}) == kAllow);
    CHECK(decide({admin, regions}, {"Route53:ChangeResourceRecordSets",
                                    "*",
                                    {{"aws:RequestedRegion", "us-east-1"}}}) == kAllow);
}

TEST_CASE("Example: deny requests from outside the corporate address ranges",
          "[iam][iam-examples]") {
    const char* admin = R"({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}})";
    const char* ip = R"({"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "*",
      "Resource": "*",
      "Condition": {"NotIpAddress": {"aws:SourceIp": ["192.0.2.0/24", "203.0.113.0/24"]},
                    "Bool": {"aws:ViaAWSService": "false"}}}})";
    CHECK(decide({admin, ip},
                 {"s3:ListBucket",
                  "arn:aws:s3:::b",
                  {{"aws:SourceIp", "203.0.113.45"}, {"aws:ViaAWSService", "false"}}}) == kAllow);
    CHECK(decide({admin, ip}, {"s3:ListBucket",
                               "arn:aws:s3:::b",
                               {{"aws:SourceIp", "198.51.100.7"},
                                {"aws:ViaAWSService", "false"}}}) == kExplicit);
    // A call a service makes on the user's behalf (CloudFormation) is not denied.
    CHECK(decide({admin, ip},
                 {"s3:ListBucket",
                  "arn:aws:s3:::b",
                  {{"aws:SourceIp", "198.51.100.7"}, {"aws:ViaAWSService", "true"}}}) == kAllow);
}

TEST_CASE("Example: NotResource keeps the payroll folder out of an S3 grant",
          "[iam][iam-examples]") {
    const char* p = R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*",
      "NotResource": ["arn:aws:s3:::HRBucket/Payroll", "arn:aws:s3:::HRBucket/Payroll/*"]}})";
    CHECK(decide({p}, {"s3:GetObject", "arn:aws:s3:::HRBucket/Reviews/a.pdf", {}}) == kAllow);
    CHECK(decide({p}, {"s3:GetObject", "arn:aws:s3:::HRBucket/Payroll/march.csv", {}}) ==
          kImplicit);
    CHECK(decide({p}, {"s3:ListBucket", "arn:aws:s3:::HRBucket/Payroll", {}}) == kImplicit);
    CHECK(decide({p}, {"ec2:RunInstances", "*", {}}) == kImplicit);
}

TEST_CASE("Example: tags on create limited to a set (aws:TagKeys, aws:RequestTag)",
          "[iam][iam-examples]") {
    const char* p = R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow",
      "Action": "iam:CreateUser", "Resource": "*",
      "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["Department", "JobFunction"]},
                    "StringEqualsIfExists": {"aws:RequestTag/Department": ["Development", "QualityAssurance"]}}}})";
    CHECK(decide({p}, {"iam:CreateUser",
                       "*",
                       {{"aws:TagKeys", "Department"},
                        {"aws:RequestTag/Department", "Development"}}}) == kAllow);
    CHECK(decide({p}, {"iam:CreateUser", "*", {}}) == kAllow);  // no tags: both vacuous
    CHECK(decide({p}, {"iam:CreateUser",
                       "*",
                       {{"aws:TagKeys", "Department"}, {"aws:TagKeys", "Budget"}}}) == kImplicit);
    CHECK(decide({p}, {"iam:CreateUser",
                       "*",
                       {{"aws:TagKeys", "Department"}, {"aws:RequestTag/Department", "Sales"}}}) ==
          kImplicit);
}

TEST_CASE("Example: DynamoDB items keyed by the user (ForAllValues with a variable)",
          "[iam][iam-examples]") {
    const char* p = R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow",
      "Action": ["dynamodb:GetItem", "dynamodb:Query"],
      "Resource": "arn:aws:dynamodb:*:*:table/MyTable",
      "Condition": {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["${aws:username}"]}}}})";
    const std::string t = "arn:aws:dynamodb:us-west-2:123456789012:table/MyTable";
    CHECK(decide({p}, {"dynamodb:Query", t, {{"dynamodb:LeadingKeys", "alice"}}}) == kAllow);
    CHECK(decide({p}, {"dynamodb:Query",
                       t,
                       {{"dynamodb:LeadingKeys", "alice"}, {"dynamodb:LeadingKeys", "bob"}}}) ==
          kImplicit);
    CHECK(decide({p}, {"dynamodb:Query", t + "/index/x", {{"dynamodb:LeadingKeys", "alice"}}}) ==
          kImplicit);
}

// ---- Held out, session 10: more of AWS's documented examples -------------------------------

namespace {

// A request by a user (with aws:username) or, when `role` is given, by a session of that
// role (no aws:username, as for any role), against identity-based `policies` plus, when
// given, a resource-based policy and a permissions boundary.
struct Setup {
    Setup(std::vector<const char*> identity_policies = {}, const char* resource = nullptr,
          const char* permissions_boundary = nullptr)
        : identity(std::move(identity_policies)),
          resource_policy(resource),
          boundary(permissions_boundary) {}
    std::vector<const char*> identity;
    const char* resource_policy = nullptr;
    const char* boundary = nullptr;
    std::string user = "alice";
    std::string role;  // a role session instead of the user
};

Decision decide_full(const Setup& s, const Case& c, Caller::Kind kind = Caller::Kind::User) {
    std::vector<PolicyDocument> docs;
    std::vector<AppliedPolicy> ps;
    docs.reserve(s.identity.size() + 2);
    for (const char* p : s.identity) {
        docs.push_back(parse_policy(p, PolicyKind::Identity));
        ps.push_back({PolicyType::Identity, "p", Attachment::Inline, "owner", &docs.back()});
    }
    if (s.resource_policy) {
        docs.push_back(parse_policy(s.resource_policy, PolicyKind::ResourceBased));
        ps.push_back({PolicyType::ResourceBased, "bucket policy", Attachment::Resource, "bucket",
                      &docs.back()});
    }
    if (s.boundary) {
        docs.push_back(parse_policy(s.boundary, PolicyKind::Identity));
        ps.push_back(
            {PolicyType::PermissionsBoundary, "b", Attachment::Managed, "owner", &docs.back()});
    }
    Request r;
    r.caller.account = "123456789012";
    r.caller.has_permissions_boundary = s.boundary != nullptr;
    if (s.role.empty() && kind == Caller::Kind::User) {
        r.caller.kind = Caller::Kind::User;
        r.caller.arn = "arn:aws:iam::123456789012:user/" + s.user;
        r.context.set("aws:username", {s.user});
    } else if (kind == Caller::Kind::Anonymous) {
        r.caller.kind = Caller::Kind::Anonymous;
        r.caller.account.clear();
        r.caller.arn = "anonymous";
    } else {
        r.caller.kind = Caller::Kind::RoleSession;
        r.caller.role_arn = "arn:aws:iam::123456789012:role/" + s.role;
        r.caller.arn = "arn:aws:sts::123456789012:assumed-role/" + s.role + "/session";
    }
    r.action = c.action;
    r.resource = c.resource;
    for (const auto& [k, v] : c.context)
        r.context.add(k, v);
    return evaluate(r, ps);
}

DecisionKind kind_of(const Setup& s, const Case& c, Caller::Kind kind = Caller::Kind::User) {
    return decide_full(s, c, kind).kind;
}

}  // namespace

TEST_CASE("Example: MFA-authenticated users manage their own credentials", "[iam][iam-examples]") {
    // IAM User Guide, "AWS: Allows MFA-authenticated IAM users to manage their own credentials
    // on the Security credentials page": own access keys only with MFA; the MFA set-up
    // actions (in the Deny's NotAction) without it; nothing on another user.
    const char* p = R"({"Version": "2012-10-17", "Statement": [
      {"Sid": "AllowManageOwnPasswords", "Effect": "Allow",
       "Action": ["iam:ChangePassword", "iam:GetUser"],
       "Resource": "arn:aws:iam::*:user/${aws:username}"},
      {"Sid": "AllowManageOwnAccessKeys", "Effect": "Allow",
       "Action": ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:ListAccessKeys"],
       "Resource": "arn:aws:iam::*:user/${aws:username}"},
      {"Sid": "AllowManageOwnUserMFA", "Effect": "Allow",
       "Action": ["iam:EnableMFADevice", "iam:ListMFADevices"],
       "Resource": "arn:aws:iam::*:user/${aws:username}"},
      {"Sid": "DenyAllExceptListedIfNoMFA", "Effect": "Deny",
       "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser",
                     "iam:ListMFADevices", "iam:ListVirtualMFADevices", "sts:GetSessionToken"],
       "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]})";
    const std::string me = "arn:aws:iam::123456789012:user/alice";
    const std::pair<std::string, std::string> mfa{"aws:MultiFactorAuthPresent", "true"};
    const auto keys = decide_full({{p}}, {"iam:CreateAccessKey", me, {}});
    CHECK(keys.kind == kExplicit);  // long-term keys: the key is absent, IfExists holds
    REQUIRE(keys.statements.size() == 1);
    CHECK(keys.statements[0].sid == "DenyAllExceptListedIfNoMFA");
    CHECK(kind_of({{p}}, {"iam:CreateAccessKey", me, {mfa}}) == kAllow);
    CHECK(kind_of({{p}}, {"iam:CreateAccessKey", "arn:aws:iam::123456789012:user/bob", {mfa}}) ==
          kImplicit);
    CHECK(kind_of({{p}}, {"iam:EnableMFADevice", me, {}}) == kAllow);
    CHECK(kind_of({{p}}, {"iam:GetUser", me, {{"aws:MultiFactorAuthPresent", "false"}}}) == kAllow);
    CHECK(kind_of({{p}}, {"iam:ChangePassword", me, {{"aws:MultiFactorAuthPresent", "false"}}}) ==
          kExplicit);
}

TEST_CASE("Example: S3 everywhere, the production bucket only with MFA in the last 30 minutes",
          "[iam][iam-examples]") {
    // IAM User Guide, "Amazon S3: Allows S3 bucket access, but production bucket denied without
    // recent MFA": NumericGreaterThanIfExists on aws:MultiFactorAuthAge is true when the key is
    // absent (long-term keys) or older than 1800 s.
    const char* p = R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
      {"Sid": "NoProdWithoutRecentMfa", "Effect": "Deny", "Action": "s3:*",
       "Resource": ["arn:aws:s3:::example-production", "arn:aws:s3:::example-production/*"],
       "Condition": {"NumericGreaterThanIfExists": {"aws:MultiFactorAuthAge": "1800"}}}]})";
    const std::string prod = "arn:aws:s3:::example-production/report.csv";
    CHECK(kind_of({{p}}, {"s3:GetObject", prod, {}}) == kExplicit);
    CHECK(kind_of({{p}}, {"s3:GetObject", prod, {{"aws:MultiFactorAuthAge", "600"}}}) == kAllow);
    CHECK(kind_of({{p}}, {"s3:GetObject", prod, {{"aws:MultiFactorAuthAge", "1800"}}}) == kAllow);
    CHECK(kind_of({{p}}, {"s3:DeleteObject", prod, {{"aws:MultiFactorAuthAge", "3600"}}}) ==
          kExplicit);
    CHECK(kind_of({{p}}, {"s3:GetObject", "arn:aws:s3:::example-test/report.csv", {}}) == kAllow);
}

TEST_CASE("Example: MFA within dates, with JSON true as the Bool's value", "[iam][iam-examples]") {
    // IAM User Guide, "AWS: Allows specific access using MFA within specific dates": three
    // conditions ANDed; the policy writes the Bool's value as the JSON literal true.
    const char* p = R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow",
      "Action": ["dynamodb:*", "sqs:SendMessage"], "Resource": "*",
      "Condition": {"Bool": {"aws:MultiFactorAuthPresent": true},
                    "DateGreaterThan": {"aws:CurrentTime": "2017-07-01T00:00:00Z"},
                    "DateLessThan": {"aws:CurrentTime": "2017-12-31T23:59:59Z"}}}})";
    const std::pair<std::string, std::string> mfa{"aws:MultiFactorAuthPresent", "true"};
    CHECK(kind_of({{p}}, {"sqs:SendMessage", "*", {mfa, {"aws:CurrentTime", "2017-09-01"}}}) ==
          kAllow);
    CHECK(kind_of({{p}},
                  {"sqs:SendMessage", "*", {mfa, {"aws:CurrentTime", "2018-01-01T00:00:00Z"}}}) ==
          kImplicit);
    CHECK(kind_of({{p}}, {"sqs:SendMessage", "*", {{"aws:CurrentTime", "2017-09-01"}}}) ==
          kImplicit);
    CHECK(kind_of({{p}}, {"sqs:DeleteQueue", "*", {mfa, {"aws:CurrentTime", "2017-09-01"}}}) ==
          kImplicit);
}

TEST_CASE("Example: S3 home directories by ${aws:username}, and why roles get nothing",
          "[iam][iam-examples]") {
    // IAM User Guide, "Amazon S3: Allows IAM users access to their S3 home directory,
    // programmatically and in the console": ListBucket only for the user's own prefix
    // (s3:prefix), object actions under home/USER/. The page warns the policy does not work
    // for roles: aws:username is not in a role session's context, the variable matches nothing.
    const char* p = R"({"Version": "2012-10-17", "Statement": [
      {"Sid": "ListYourObjects", "Effect": "Allow", "Action": "s3:ListBucket",
       "Resource": "arn:aws:s3:::example-home",
       "Condition": {"StringLike": {"s3:prefix": ["home/${aws:username}/*"]}}},
      {"Sid": "ObjectActionsInHome", "Effect": "Allow",
       "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
       "Resource": "arn:aws:s3:::example-home/home/${aws:username}/*"}]})";
    const std::string home = "arn:aws:s3:::example-home/home/";
    CHECK(kind_of({{p}}, {"s3:PutObject", home + "alice/notes.txt", {}}) == kAllow);
    CHECK(kind_of({{p}}, {"s3:GetObject", home + "bob/notes.txt", {}}) == kImplicit);
    CHECK(kind_of({{p}}, {"s3:ListBucket",
                          "arn:aws:s3:::example-home",
                          {{"s3:prefix", "home/alice/docs/"}}}) == kAllow);
    CHECK(
        kind_of({{p}}, {"s3:ListBucket", "arn:aws:s3:::example-home", {{"s3:prefix", "home/"}}}) ==
        kImplicit);
    CHECK(kind_of({{p}}, {"s3:ListBucket", "arn:aws:s3:::example-home", {}}) == kImplicit);
    Setup role{{p}};
    role.role = "alice";  // even a role named like the user: no aws:username
    CHECK(kind_of(role, {"s3:GetObject", home + "alice/notes.txt", {}}) == kImplicit);
}

TEST_CASE("Example: a policy variable's default value (${aws:PrincipalTag/team, 'x'})",
          "[iam][iam-examples]") {
    // IAM User Guide, "IAM policy elements: Variables and tags", default values: without the
    // tag the variable takes the default.
    const char* p = R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-teams/${aws:PrincipalTag/team, 'company-wide'}/*"}]})";
    const std::string b = "arn:aws:s3:::example-teams/";
    const std::pair<std::string, std::string> eng{"aws:PrincipalTag/team", "eng"};
    CHECK(kind_of({{p}}, {"s3:GetObject", b + "eng/plan.txt", {eng}}) == kAllow);
    CHECK(kind_of({{p}}, {"s3:GetObject", b + "company-wide/plan.txt", {eng}}) == kImplicit);
    CHECK(kind_of({{p}}, {"s3:GetObject", b + "company-wide/plan.txt", {}}) == kAllow);
    CHECK(kind_of({{p}}, {"s3:GetObject", b + "eng/plan.txt", {}}) == kImplicit);
}

TEST_CASE("Example bucket policies: public read, TLS only (JSON false), NotPrincipal deny",
          "[iam][iam-examples]") {
    // S3 User Guide, "Examples of Amazon S3 bucket policies": read-only for anonymous users on
    // the objects, every request over plain HTTP denied (the value written as JSON false), and
    // a Deny with NotPrincipal that leaves one user (and its account) out.
    const char* site = R"({"Version": "2012-10-17", "Statement": [
      {"Sid": "PublicRead", "Effect": "Allow", "Principal": "*",
       "Action": ["s3:GetObject", "s3:GetObjectVersion"], "Resource": "arn:aws:s3:::site/*"},
      {"Sid": "RestrictToTLSRequestsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
       "Resource": ["arn:aws:s3:::site", "arn:aws:s3:::site/*"],
       "Condition": {"Bool": {"aws:SecureTransport": false}}}]})";
    const auto anon = Caller::Kind::Anonymous;
    const std::pair<std::string, std::string> https{"aws:SecureTransport", "true"};
    Setup s{{}, site};
    CHECK(kind_of(s, {"s3:GetObject", "arn:aws:s3:::site/index.html", {https}}, anon) == kAllow);
    const auto http = decide_full(
        s, {"s3:GetObject", "arn:aws:s3:::site/index.html", {{"aws:SecureTransport", "false"}}},
        anon);
    CHECK(http.kind == kExplicit);
    REQUIRE(http.statements.size() == 1);
    CHECK(http.statements[0].sid == "RestrictToTLSRequestsOnly");
    CHECK(kind_of(s, {"s3:PutObject", "arn:aws:s3:::site/index.html", {https}}, anon) == kImplicit);
    // A user of the account without any policy of its own: the grant to "*" is enough.
    CHECK(kind_of(s, {"s3:GetObject", "arn:aws:s3:::site/index.html", {https}}) == kAllow);

    const char* vault = R"({"Version": "2012-10-17", "Statement": [{"Effect": "Deny",
      "NotPrincipal": {"AWS": ["arn:aws:iam::123456789012:user/alice",
                               "arn:aws:iam::123456789012:root"]},
      "Action": "s3:*", "Resource": ["arn:aws:s3:::vault", "arn:aws:s3:::vault/*"]}]})";
    const char* all_s3 = R"({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}})";
    Setup v{{all_s3}, vault};
    CHECK(kind_of(v, {"s3:GetObject", "arn:aws:s3:::vault/x", {}}) == kAllow);
    v.user = "bob";
    CHECK(kind_of(v, {"s3:GetObject", "arn:aws:s3:::vault/x", {}}) == kExplicit);
}

TEST_CASE("Example: a bucket policy naming the role, the session, the user or the account",
          "[iam][iam-examples]") {
    // IAM User Guide, "Policy evaluation for requests within a single account": a resource-based
    // policy naming the role's ARN is limited by the role's permissions boundary; one naming
    // the role session's ARN, or the IAM user's ARN, is not; one naming the account delegates
    // to the caller's identity-based policies.
    const char* dynamo = R"({"Statement": {"Effect": "Allow", "Action": "dynamodb:*",
      "Resource": "*"}})";
    const char* to_role = R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::123456789012:role/bounded"},
      "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared/*"}})";
    const char* to_session = R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow",
      "Principal": {"AWS": "arn:aws:sts::123456789012:assumed-role/bounded/session"},
      "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared/*"}})";
    const char* to_user = R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::123456789012:user/bob"},
      "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared/*"}})";
    const char* to_account = R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow",
      "Principal": {"AWS": "123456789012"}, "Action": "s3:PutObject",
      "Resource": "arn:aws:s3:::shared/*"}})";
    const Case get{"s3:GetObject", "arn:aws:s3:::shared/x", {}};
    Setup role{{}, to_role, dynamo};
    role.role = "bounded";
    CHECK(kind_of(role, get) == kImplicit);
    Setup session{{}, to_session, dynamo};
    session.role = "bounded";
    CHECK(kind_of(session, get) == kAllow);
    Setup user{{}, to_user, dynamo};
    user.user = "bob";
    CHECK(kind_of(user, get) == kAllow);
    const Case put{"s3:PutObject", "arn:aws:s3:::shared/x", {}};
    CHECK(kind_of({{}, to_account}, put) == kImplicit);
    const char* all_s3 = R"({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}})";
    CHECK(kind_of({{all_s3}, to_account}, put) == kAllow);
}

}  // namespace test_iam_policy_examples
