// The IAM policy language and AWS's evaluation logic within one account (sim/iam/,
// docs/iam.md): each rule with a case from AWS's documentation ("Policy evaluation logic",
// "Condition operators", "Permissions boundaries for IAM entities", "IAM JSON policy
// elements"), the course's NotAction administrator policy, MFA conditions, a boundary capping
// an administrator, and documents IAM refuses.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sim/iam/condition.hpp"
#include "sim/iam/evaluate.hpp"
#include "sim/iam/policy.hpp"

namespace test_iam_policy {

using namespace stratus::iam;

namespace {

constexpr const char* kAccount = "111122223333";

PolicyDocument identity(const std::string& json) {
    return parse_policy(json, PolicyKind::Identity);
}

Caller user(const std::string& name, bool boundary = false) {
    Caller c;
    c.kind = Caller::Kind::User;
    c.arn = std::string("arn:aws:iam::") + kAccount + ":user/" + name;
    c.account = kAccount;
    c.has_permissions_boundary = boundary;
    return c;
}

Caller role_session(const std::string& role, bool boundary = false) {
    Caller c;
    c.kind = Caller::Kind::RoleSession;
    c.role_arn = std::string("arn:aws:iam::") + kAccount + ":role/" + role;
    c.arn = std::string("arn:aws:sts::") + kAccount + ":assumed-role/" + role + "/session";
    c.account = kAccount;
    c.has_permissions_boundary = boundary;
    return c;
}

Request request(const Caller& caller, const std::string& action, const std::string& resource) {
    Request r;
    r.caller = caller;
    r.action = action;
    r.resource = resource;
    if (caller.kind == Caller::Kind::User)
        r.context.set("aws:username", {caller.arn.substr(caller.arn.rfind('/') + 1)});
    return r;
}

AppliedPolicy applied(PolicyType type, const std::string& name, const PolicyDocument& d) {
    AppliedPolicy p;
    p.type = type;
    p.name = name;
    p.owner = "test";
    p.document = &d;
    return p;
}

// The course's administrator policy: everything but IAM, Organizations and Account, plus a
// few listed IAM, Organizations and Account actions (AWS's PowerUserAccess has this form).
const char* kNotActionAdmin = R"({
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow",
     "NotAction": ["iam:*", "organizations:*", "account:*"],
     "Resource": "*"},
    {"Effect": "Allow",
     "Action": ["iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole", "iam:ListRoles",
                "organizations:DescribeOrganization", "account:ListRegions"],
     "Resource": "*"}
  ]
})";

const char* kAdmin =
    R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}})";

}  // namespace

TEST_CASE("By default a request is implicitly denied", "[iam]") {
    const auto r = request(user("mj"), "s3:GetObject", "arn:aws:s3:::b/k");
    const Decision d = evaluate(r, {});
    CHECK(d.kind == DecisionKind::ImplicitDeny);
    CHECK(d.reason == DecisionReason::NoStatementAllows);
    CHECK(d.statements.empty());
}

TEST_CASE("The course's NotAction admin policy: S3 yes, iam:CreateUser no, iam:ListRoles yes",
          "[iam]") {
    const auto p = identity(kNotActionAdmin);
    REQUIRE(p.statements.size() == 2);
    const std::vector<AppliedPolicy> ps = {applied(PolicyType::Identity, "PowerUser", p)};
    const auto get = evaluate(request(user("mj"), "s3:GetObject", "arn:aws:s3:::bucket/key"), ps);
    CHECK(get.kind == DecisionKind::Allowed);
    REQUIRE(get.statements.size() == 1);
    CHECK(get.statements[0].index == 0);
    CHECK(get.statements[0].label() == "statement 1");

    const auto create = evaluate(request(user("mj"), "iam:CreateUser", "*"), ps);
    CHECK(create.kind == DecisionKind::ImplicitDeny);
    CHECK(create.statements.empty());

    const auto list = evaluate(request(user("mj"), "iam:ListRoles", "*"), ps);
    CHECK(list.kind == DecisionKind::Allowed);
    REQUIRE(list.statements.size() == 1);
    CHECK(list.statements[0].index == 1);
    // Actions compare case-insensitively.
    CHECK(evaluate(request(user("mj"), "IAM:listroles", "*"), ps).kind == DecisionKind::Allowed);
    CHECK(evaluate(request(user("mj"), "organizations:DescribeOrganization", "*"), ps).kind ==
          DecisionKind::Allowed);
    CHECK(evaluate(request(user("mj"), "organizations:CreateAccount", "*"), ps).kind ==
          DecisionKind::ImplicitDeny);
    CHECK(evaluate(request(user("mj"), "account:ListRegions", "*"), ps).kind ==
          DecisionKind::Allowed);
}

TEST_CASE("An explicit deny in any policy overrides every allow", "[iam]") {
    const auto admin = identity(kAdmin);
    const auto deny = identity(R"({"Version": "2012-10-17", "Statement": [
        {"Sid": "NoDeletes", "Effect": "Deny", "Action": "s3:Delete*",
         "Resource": "arn:aws:s3:::prod-*"}]})");
    const std::vector<AppliedPolicy> ps = {applied(PolicyType::Identity, "Admin", admin),
                                           applied(PolicyType::Identity, "Guard", deny)};
    const auto d = evaluate(request(user("mj"), "s3:DeleteObject", "arn:aws:s3:::prod-logs/a"), ps);
    CHECK(d.kind == DecisionKind::ExplicitDeny);
    REQUIRE(d.statements.size() == 1);
    CHECK(d.statements[0].policy == "Guard");
    CHECK(d.statements[0].label() == "Sid \"NoDeletes\"");
    CHECK(evaluate(request(user("mj"), "s3:DeleteObject", "arn:aws:s3:::dev-logs/a"), ps).kind ==
          DecisionKind::Allowed);
}

TEST_CASE("Carlos and his logs bucket: an identity Deny beats the bucket policy's Allow", "[iam]") {
    // "Policy evaluation for requests within a single account": carlossalazar may list and
    // use his own bucket, his identity policy denies every *log* bucket, and the logs
    // bucket's policy allows him PutObject. The explicit deny wins.
    const auto mine = identity(R"({"Version": "2012-10-17", "Statement": [
      {"Sid": "AllowS3ListRead", "Effect": "Allow",
       "Action": ["s3:GetBucketLocation", "s3:ListAllMyBuckets"], "Resource": "*"},
      {"Sid": "AllowS3Self", "Effect": "Allow", "Action": "s3:*",
       "Resource": ["arn:aws:s3:::carlossalazar/*", "arn:aws:s3:::carlossalazar"]},
      {"Sid": "DenyS3Logs", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::*log*"}
    ]})");
    const auto bucket = parse_policy(R"({"Version": "2012-10-17", "Statement": [
      {"Sid": "AllowCarlosPut", "Effect": "Allow",
       "Principal": {"AWS": "arn:aws:iam::111122223333:user/carlossalazar"},
       "Action": "s3:PutObject", "Resource": "arn:aws:s3:::carlossalazar-logs/*"}]})",
                                     PolicyKind::ResourceBased);
    const std::vector<AppliedPolicy> ps = {applied(PolicyType::Identity, "carlos", mine),
                                           applied(PolicyType::ResourceBased, "logs", bucket)};
    const auto put = evaluate(
        request(user("carlossalazar"), "s3:PutObject", "arn:aws:s3:::carlossalazar-logs/x"), ps);
    CHECK(put.kind == DecisionKind::ExplicitDeny);
    REQUIRE(put.statements.size() == 1);
    CHECK(put.statements[0].sid == "DenyS3Logs");
    CHECK(
        evaluate(request(user("carlossalazar"), "s3:PutObject", "arn:aws:s3:::carlossalazar/x"), ps)
            .kind == DecisionKind::Allowed);
}

TEST_CASE("A resource-based policy alone allows, and is the union with identity policies",
          "[iam]") {
    const auto bucket = parse_policy(R"({"Version": "2012-10-17", "Statement": [
      {"Sid": "ReadForMj", "Effect": "Allow",
       "Principal": {"AWS": ["arn:aws:iam::111122223333:user/mj"]},
       "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared/*"}]})",
                                     PolicyKind::ResourceBased);
    const std::vector<AppliedPolicy> ps = {applied(PolicyType::ResourceBased, "shared", bucket)};
    const auto d = evaluate(request(user("mj"), "s3:GetObject", "arn:aws:s3:::shared/a.txt"), ps);
    CHECK(d.kind == DecisionKind::Allowed);
    CHECK(d.reason == DecisionReason::ResourcePolicyAllows);
    CHECK(evaluate(request(user("kim"), "s3:GetObject", "arn:aws:s3:::shared/a.txt"), ps).kind ==
          DecisionKind::ImplicitDeny);
}

TEST_CASE("A resource-based policy naming the account delegates to identity policies", "[iam]") {
    const auto bucket = parse_policy(R"({"Statement": [{"Effect": "Allow",
       "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
       "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared/*"}]})",
                                     PolicyKind::ResourceBased);
    const std::vector<AppliedPolicy> ps = {applied(PolicyType::ResourceBased, "shared", bucket)};
    CHECK(evaluate(request(user("mj"), "s3:GetObject", "arn:aws:s3:::shared/a"), ps).kind ==
          DecisionKind::ImplicitDeny);
}

TEST_CASE("A permissions boundary caps an administrator", "[iam]") {
    const auto admin = identity(kAdmin);
    const auto boundary = identity(R"({"Version": "2012-10-17", "Statement": [
      {"Sid": "S3AndCloudWatch", "Effect": "Allow", "Action": ["s3:*", "cloudwatch:*"],
       "Resource": "*"}]})");
    const std::vector<AppliedPolicy> ps = {
        applied(PolicyType::Identity, "AdministratorAccess", admin),
        applied(PolicyType::PermissionsBoundary, "S3Only", boundary)};
    const auto s3 = evaluate(request(user("mj", true), "s3:GetObject", "arn:aws:s3:::b/k"), ps);
    CHECK(s3.kind == DecisionKind::Allowed);
    CHECK(s3.reason == DecisionReason::IdentityAllows);
    REQUIRE(s3.statements.size() == 2);  // the identity Allow, then the boundary's
    CHECK(s3.statements[0].policy == "AdministratorAccess");
    CHECK(s3.statements[1].type == PolicyType::PermissionsBoundary);
    const auto ec2 = evaluate(request(user("mj", true), "ec2:RunInstances", "*"), ps);
    CHECK(ec2.kind == DecisionKind::ImplicitDeny);
    CHECK(ec2.reason == DecisionReason::BoundaryDoesNotAllow);
    // The boundary grants nothing by itself (ShirleyRodriguez's example).
    const std::vector<AppliedPolicy> only_boundary = {ps[1]};
    CHECK(evaluate(request(user("mj", true), "s3:GetObject", "arn:aws:s3:::b/k"), only_boundary)
              .kind == DecisionKind::ImplicitDeny);
}

TEST_CASE("A boundary limits a resource policy's grant to a role, not to a user or a session",
          "[iam]") {
    const auto boundary = identity(
        R"({"Statement": {"Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"}})");
    const auto bucket = parse_policy(R"({"Statement": [{"Effect": "Allow",
       "Principal": {"AWS": ["arn:aws:iam::111122223333:role/app",
                             "arn:aws:iam::111122223333:user/mj"]},
       "Action": "s3:*", "Resource": "arn:aws:s3:::data/*"}]})",
                                     PolicyKind::ResourceBased);
    const std::vector<AppliedPolicy> ps = {applied(PolicyType::PermissionsBoundary, "b", boundary),
                                           applied(PolicyType::ResourceBased, "data", bucket)};
    CHECK(evaluate(request(user("mj", true), "s3:GetObject", "arn:aws:s3:::data/k"), ps).kind ==
          DecisionKind::Allowed);
    const auto role =
        evaluate(request(role_session("app", true), "s3:GetObject", "arn:aws:s3:::data/k"), ps);
    CHECK(role.kind == DecisionKind::ImplicitDeny);
    CHECK(role.reason == DecisionReason::BoundaryDoesNotAllow);
    // Without the boundary the role ARN's grant needs no identity-based policy.
    CHECK(evaluate(request(role_session("app"), "s3:GetObject", "arn:aws:s3:::data/k"), {ps[1]})
              .kind == DecisionKind::Allowed);
    // A grant to the session's own ARN is not limited by the boundary.
    const auto session_grant = parse_policy(R"({"Statement": [{"Effect": "Allow",
       "Principal": {"AWS": "arn:aws:sts::111122223333:assumed-role/app/session"},
       "Action": "s3:*", "Resource": "arn:aws:s3:::data/*"}]})",
                                            PolicyKind::ResourceBased);
    CHECK(evaluate(request(role_session("app", true), "s3:GetObject", "arn:aws:s3:::data/k"),
                   {ps[0], applied(PolicyType::ResourceBased, "data", session_grant)})
              .kind == DecisionKind::Allowed);
}

TEST_CASE("SCPs: every level of the organization must allow", "[iam]") {
    const auto admin = identity(kAdmin);
    const auto full = identity(kAdmin);  // FullAWSAccess
    const auto s3_only = identity(
        R"({"Statement": {"Sid": "OnlyS3", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}})");
    std::vector<AppliedPolicy> ps = {applied(PolicyType::Identity, "Admin", admin),
                                     applied(PolicyType::ServiceControl, "FullAWSAccess", full),
                                     applied(PolicyType::ServiceControl, "S3Only", s3_only)};
    ps[1].owner = "root";
    ps[2].owner = "ou-dev";
    const auto ec2 = evaluate(request(user("mj"), "ec2:RunInstances", "*"), ps);
    CHECK(ec2.kind == DecisionKind::ImplicitDeny);
    CHECK(ec2.reason == DecisionReason::NoScpAllows);
    CHECK(ec2.scp_target == "ou-dev");
    CHECK(evaluate(request(user("mj"), "s3:PutObject", "arn:aws:s3:::b/k"), ps).kind ==
          DecisionKind::Allowed);
    // An SCP grants nothing: without the identity policy S3 is denied too.
    CHECK(evaluate(request(user("mj"), "s3:PutObject", "arn:aws:s3:::b/k"), {ps[1], ps[2]}).kind ==
          DecisionKind::ImplicitDeny);
}

TEST_CASE("MFA: BoolIfExists denies long-term keys too, Bool alone lets them through", "[iam]") {
    // AWS's "DenyAllExceptListedIfNoMFA" pattern.
    const auto admin = identity(kAdmin);
    auto mfa_policy = [](const char* op) {
        return identity(std::string(R"({"Version": "2012-10-17", "Statement": [{
          "Sid": "DenyAllExceptListedIfNoMFA", "Effect": "Deny",
          "NotAction": ["iam:ChangePassword", "iam:GetUser", "sts:GetSessionToken"],
          "Resource": "*",
          "Condition": {")") +
                        op + R"(": {"aws:MultiFactorAuthPresent": "false"}}}]})");
    };
    const auto if_exists = mfa_policy("BoolIfExists"), plain = mfa_policy("Bool");
    auto decide = [&](const PolicyDocument& mfa, const char* present) {
        auto r = request(user("mj"), "ec2:StopInstances", "*");
        if (present) r.context.set("aws:MultiFactorAuthPresent", {present});
        return evaluate(r, {applied(PolicyType::Identity, "Admin", admin),
                            applied(PolicyType::Identity, "RequireMFA", mfa)})
            .kind;
    };
    CHECK(decide(if_exists, "true") == DecisionKind::Allowed);
    CHECK(decide(if_exists, "false") == DecisionKind::ExplicitDeny);
    CHECK(decide(if_exists, nullptr) == DecisionKind::ExplicitDeny);  // access keys: no key
    CHECK(decide(plain, "false") == DecisionKind::ExplicitDeny);
    CHECK(decide(plain, nullptr) == DecisionKind::Allowed);  // the documented pitfall
    // The listed actions stay allowed without MFA.
    auto r = request(user("mj"), "iam:ChangePassword", "*");
    CHECK(evaluate(r, {applied(PolicyType::Identity, "Admin", admin),
                       applied(PolicyType::Identity, "RequireMFA", if_exists)})
              .kind == DecisionKind::Allowed);
}

TEST_CASE("A bucket prefix per user: a wildcard resource and s3:prefix with ${aws:username}",
          "[iam]") {
    const auto home = identity(R"({"Version": "2012-10-17", "Statement": [
      {"Sid": "ListOwnPrefix", "Effect": "Allow", "Action": "s3:ListBucket",
       "Resource": "arn:aws:s3:::home-bucket",
       "Condition": {"StringLike": {"s3:prefix": ["", "home/", "home/${aws:username}/*"]}}},
      {"Sid": "OwnObjects", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
       "Resource": "arn:aws:s3:::home-bucket/home/${aws:username}/*"}]})");
    const std::vector<AppliedPolicy> ps = {applied(PolicyType::Identity, "Home", home)};
    auto get = [&](const std::string& who, const std::string& key) {
        return evaluate(request(user(who), "s3:GetObject", "arn:aws:s3:::home-bucket/" + key), ps)
            .kind;
    };
    CHECK(get("mj", "home/mj/notes.txt") == DecisionKind::Allowed);
    CHECK(get("mj", "home/mj/deep/er/file") == DecisionKind::Allowed);
    CHECK(get("mj", "home/kim/notes.txt") == DecisionKind::ImplicitDeny);
    CHECK(get("mj", "home/mj") == DecisionKind::ImplicitDeny);
    auto list = [&](const char* prefix) {
        auto r = request(user("mj"), "s3:ListBucket", "arn:aws:s3:::home-bucket");
        if (prefix) r.context.set("s3:prefix", {prefix});
        return evaluate(r, ps).kind;
    };
    CHECK(list("home/mj/") == DecisionKind::Allowed);
    CHECK(list("") == DecisionKind::Allowed);
    CHECK(list("home/kim/") == DecisionKind::ImplicitDeny);
    CHECK(list(nullptr) == DecisionKind::ImplicitDeny);  // no key: StringLike is false
    // A role session has no aws:username: the variable matches nothing.
    CHECK(
        evaluate(
            request(role_session("app"), "s3:GetObject", "arn:aws:s3:::home-bucket/home/app/x"), ps)
            .kind == DecisionKind::ImplicitDeny);
}

TEST_CASE("Policy variables only under Version 2012-10-17", "[iam]") {
    const auto old = identity(R"({"Version": "2008-10-17", "Statement": {"Effect": "Allow",
       "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}/*"}})");
    const std::vector<AppliedPolicy> ps = {applied(PolicyType::Identity, "Old", old)};
    CHECK(evaluate(request(user("mj"), "s3:GetObject", "arn:aws:s3:::b/mj/x"), ps).kind ==
          DecisionKind::ImplicitDeny);
    CHECK(evaluate(request(user("mj"), "s3:GetObject", "arn:aws:s3:::b/${aws:username}/x"), ps)
              .kind == DecisionKind::Allowed);
}

namespace {

// One condition block against a context given as key=value pairs (a key twice: two values).
bool holds(const std::string& condition,
           const std::vector<std::pair<std::string, std::string>>& context) {
    const auto d = identity(R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow",
        "Action": "*", "Resource": "*", "Condition": )" +
                            condition + "}}");
    RequestContext c;
    for (const auto& [k, v] : context)
        c.add(k, v);
    return conditions_hold(d.statements[0].conditions, c, true);
}

}  // namespace

TEST_CASE("Condition operators: strings, numbers, dates, Bool, IP addresses, ARNs, Null", "[iam]") {
    CHECK(holds(R"({"StringEquals": {"aws:PrincipalTag/team": "web"}})",
                {{"aws:principaltag/TEAM", "web"}}));  // key names are case-insensitive
    CHECK_FALSE(holds(R"({"StringEquals": {"aws:PrincipalTag/team": "web"}})",
                      {{"aws:PrincipalTag/team", "Web"}}));
    CHECK(holds(R"({"StringEqualsIgnoreCase": {"aws:PrincipalTag/team": "web"}})",
                {{"aws:PrincipalTag/team", "WEB"}}));
    CHECK(holds(R"({"StringNotEquals": {"aws:PrincipalTag/team": ["db", "ops"]}})",
                {{"aws:PrincipalTag/team", "web"}}));
    CHECK(holds(R"({"StringLike": {"s3:prefix": "logs/20??/*"}})", {{"s3:prefix", "logs/2026/x"}}));
    CHECK_FALSE(
        holds(R"({"StringLike": {"s3:prefix": "logs/20??/*"}})", {{"s3:prefix", "logs/202/x"}}));
    CHECK(holds(R"({"StringNotLike": {"s3:prefix": "secret/*"}})", {{"s3:prefix", "public/a"}}));
    // A missing key: a positive operator is false, a negated one true, IfExists true.
    CHECK_FALSE(holds(R"({"StringEquals": {"aws:PrincipalTag/team": "web"}})", {}));
    CHECK(holds(R"({"StringNotEquals": {"aws:PrincipalTag/team": "web"}})", {}));
    CHECK(holds(R"({"StringEqualsIfExists": {"aws:PrincipalTag/team": "web"}})", {}));
    CHECK_FALSE(holds(R"({"StringEqualsIfExists": {"aws:PrincipalTag/team": "web"}})",
                      {{"aws:PrincipalTag/team", "db"}}));
    CHECK(holds(R"({"NumericLessThanEquals": {"s3:max-keys": "10"}})", {{"s3:max-keys", "10"}}));
    CHECK_FALSE(holds(R"({"NumericLessThan": {"s3:max-keys": 10}})", {{"s3:max-keys", "10"}}));
    CHECK(holds(R"({"NumericGreaterThan": {"aws:MultiFactorAuthAge": "3600"}})",
                {{"aws:MultiFactorAuthAge", "3601"}}));
    CHECK(holds(R"({"DateLessThan": {"aws:CurrentTime": "2026-12-31T23:59:59Z"}})",
                {{"aws:CurrentTime", "2026-12-05T14:00:00Z"}}));
    CHECK(holds(R"({"DateGreaterThan": {"aws:CurrentTime": "2026-12-05T13:00:00Z"}})",
                {{"aws:CurrentTime", "2026-12-05T22:30:00+09:00"}}));  // 13:30Z
    CHECK(holds(R"({"DateGreaterThanEquals": {"aws:EpochTime": "2026-01-01"}})",
                {{"aws:EpochTime", "1767225600"}}));  // 2026-01-01T00:00:00Z
    CHECK(holds(R"({"Bool": {"aws:SecureTransport": "true"}})", {{"aws:SecureTransport", "TRUE"}}));
    CHECK(holds(R"({"IpAddress": {"aws:SourceIp": ["192.0.2.0/24", "203.0.113.7"]}})",
                {{"aws:SourceIp", "203.0.113.7"}}));
    CHECK_FALSE(holds(R"({"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}})",
                      {{"aws:SourceIp", "192.0.3.1"}}));
    CHECK(holds(R"({"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}})",
                {{"aws:SourceIp", "11.0.0.1"}}));
    CHECK(holds(R"({"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:111122223333:alerts-*"}})",
                {{"aws:SourceArn", "arn:aws:sns:us-east-1:111122223333:alerts-web"}}));
    CHECK_FALSE(holds(R"({"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:111122223333:*"}})",
                      {{"aws:SourceArn", "arn:aws:sns:us-east-1:444455556666:x"}}));
    CHECK(holds(R"({"ArnNotEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/admin"}})",
                {{"aws:PrincipalArn", "arn:aws:iam::111122223333:role/app"}}));
    CHECK(holds(R"({"Null": {"aws:TokenIssueTime": "true"}})", {}));
    CHECK_FALSE(holds(R"({"Null": {"aws:TokenIssueTime": "true"}})",
                      {{"aws:TokenIssueTime", "2026-12-05T14:00:00Z"}}));
    CHECK(holds(R"({"Null": {"aws:TokenIssueTime": "false"}})",
                {{"aws:TokenIssueTime", "2026-12-05T14:00:00Z"}}));
}

TEST_CASE("Conditions: values OR, keys and operators AND, set operators on multivalued keys",
          "[iam]") {
    const std::string both = R"({"StringEquals": {"aws:PrincipalTag/team": ["web", "db"],
                                                  "aws:RequestedRegion": "ap-northeast-2"},
                                 "Bool": {"aws:SecureTransport": "true"}})";
    CHECK(holds(both, {{"aws:PrincipalTag/team", "db"},
                       {"aws:RequestedRegion", "ap-northeast-2"},
                       {"aws:SecureTransport", "true"}}));
    CHECK_FALSE(holds(both, {{"aws:PrincipalTag/team", "db"},
                             {"aws:RequestedRegion", "us-east-1"},
                             {"aws:SecureTransport", "true"}}));
    CHECK_FALSE(
        holds(both, {{"aws:PrincipalTag/team", "db"}, {"aws:RequestedRegion", "ap-northeast-2"}}));
    // ForAllValues: every tag key the request sends is in the list (none sent: true).
    const std::string all = R"({"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]}})";
    CHECK(holds(all, {{"aws:TagKeys", "env"}, {"aws:TagKeys", "team"}}));
    CHECK_FALSE(holds(all, {{"aws:TagKeys", "env"}, {"aws:TagKeys", "cost"}}));
    CHECK(holds(all, {}));
    // ForAnyValue: at least one of them (none sent: false).
    const std::string any = R"({"ForAnyValue:StringLike": {"aws:TagKeys": "cost*"}})";
    CHECK(holds(any, {{"aws:TagKeys", "env"}, {"aws:TagKeys", "costcenter"}}));
    CHECK_FALSE(holds(any, {{"aws:TagKeys", "env"}}));
    CHECK_FALSE(holds(any, {}));
    CHECK(holds(R"({"ForAllValues:StringNotEquals": {"aws:TagKeys": "owner"}})",
                {{"aws:TagKeys", "env"}, {"aws:TagKeys", "team"}}));
    // A policy variable in a condition value.
    CHECK(holds(R"({"StringEquals": {"aws:PrincipalTag/owner": "${aws:username}"}})",
                {{"aws:username", "mj"}, {"aws:PrincipalTag/owner", "mj"}}));
    CHECK(holds(R"({"StringEquals": {"s3:prefix": "${aws:username, 'nobody'}/"}})",
                {{"s3:prefix", "nobody/"}}));
}

TEST_CASE("Wildcards: * and ? in actions and ARNs, a literal ${*}", "[iam]") {
    CHECK(action_matches("s3:Get*", "s3:GetObjectVersion"));
    CHECK(action_matches("ec2:*Instances", "ec2:DescribeInstances"));
    CHECK(action_matches("iam:?etUser", "iam:GetUser"));
    CHECK_FALSE(action_matches("s3:Get*", "s3:PutObject"));
    CHECK(arn_matches("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b/c.txt"));
    CHECK_FALSE(arn_matches("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket"));
    CHECK_FALSE(arn_matches("arn:aws:s3:::bucket*", "arn:aws:s3:::other"));
    CHECK(arn_matches("arn:aws:ec2:*:111122223333:instance/*",
                      "arn:aws:ec2:ap-northeast-2:111122223333:instance/i-0123"));
    // A wildcard of one part does not reach into the next.
    CHECK_FALSE(arn_matches("arn:aws:s3:::*", "arn:aws:s3:us-east-1::x"));
    CHECK_FALSE(arn_matches("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/a"));  // case-sensitive
    RequestContext c;
    const auto star = substitute("arn:aws:s3:::b/${*}", c, true);
    REQUIRE(star);
    CHECK(arn_matches(*star, "arn:aws:s3:::b/*"));
    CHECK_FALSE(arn_matches(*star, "arn:aws:s3:::b/x"));
}

TEST_CASE("Documents IAM refuses are errors naming the element", "[iam]") {
    auto error = [](const std::string& json, PolicyKind kind = PolicyKind::Identity) {
        try {
            parse_policy(json, kind);
        } catch (const PolicyError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    CHECK(error(R"({"Statement": [)").rfind("not valid JSON", 0) == 0);
    CHECK(error(R"({"Version": "2012-10-17", "Statment": []})") ==
          "unknown element \"Statment\" (expected one of Version, Id, Statement)");
    CHECK(error(R"({"Statement": {"effect": "Allow", "Action": "*", "Resource": "*"}})") ==
          "Statement: unknown element \"effect\" (did you mean \"Effect\"? element names are "
          "case-sensitive)");
    CHECK(error(R"({"Statement": [{"Effect": "allow", "Action": "*", "Resource": "*"}]})") ==
          "Statement[0].Effect: expected \"Allow\" or \"Deny\", found \"allow\"");
    CHECK(error(R"({"Statement": {"Effect": "Allow", "Action": "*", "NotAction": "iam:*",
                   "Resource": "*"}})") == "Statement: has both Action and NotAction");
    CHECK(error(R"({"Statement": {"Effect": "Allow", "Action": "s3GetObject", "Resource": "*"}})")
              .find("is not \"*\" or \"service:action\"") != std::string::npos);
    CHECK(error(R"({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "bucket"}})")
              .find("must be \"*\" or an ARN") != std::string::npos);
    CHECK(error(R"({"Statement": {"Effect": "Allow", "Principal": "*", "Action": "*",
                   "Resource": "*"}})") ==
          "Statement: an identity-based policy cannot name a Principal");
    CHECK(error(R"({"Statement": {"Effect": "Allow", "Action": "sts:AssumeRole"}})",
                PolicyKind::Trust) ==
          "Statement: a resource-based or trust policy needs a Principal");
    CHECK(error(R"({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",
                   "Condition": {"StringEqualz": {"aws:username": "mj"}}}})") ==
          "Statement.Condition.StringEqualz: unknown condition operator \"StringEqualz\"");
    CHECK(error(R"({"Version": "2012-10-18", "Statement": []})").rfind("Version:", 0) == 0);
    // "IAM JSON policy elements: Principal": a wildcard cannot stand for part of a principal's
    // ARN (S3: "Invalid principal in policy"); "*" alone, in the AWS element too, is accepted.
    CHECK(error(R"({"Statement": {"Effect": "Allow", "Action": "s3:GetObject",
                   "Resource": "arn:aws:s3:::b/*",
                   "Principal": {"AWS": "arn:aws:iam::123456789012:user/*"}}})",
                PolicyKind::ResourceBased)
              .rfind("Statement.Principal.AWS: a wildcard cannot match part of a principal", 0) ==
          0);
    CHECK(error(R"({"Statement": {"Effect": "Allow", "Action": "s3:GetObject",
                   "Resource": "arn:aws:s3:::b/*", "Principal": {"AWS": ["*"]}}})",
                PolicyKind::ResourceBased)
              .empty());
    // What IAM accepts: a single statement object, Version omitted, numbers as values.
    CHECK(error(R"({"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*",
                   "Condition": {"NumericGreaterThan": {"s3:max-keys": 100}}}})")
              .empty());
}

TEST_CASE("IpAddress takes IPv6 blocks too: the guide's mixed IPv4 and IPv6 example", "[iam]") {
    // "IP address condition operators": 203.0.113.0/24 and 2001:DB8:1234:5678::/64 cover the
    // organization's addresses; an IPv6 source inside the /64 matches, in any letter case.
    const std::string mixed =
        R"({"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:DB8:1234:5678::/64"]}})";
    REQUIRE(holds(mixed, {{"aws:SourceIp", "203.0.113.77"}}));
    CHECK(holds(mixed, {{"aws:SourceIp", "2001:db8:1234:5678::1"}}));
    CHECK(holds(mixed, {{"aws:SourceIp", "2001:0db8:1234:5678:ffff:ffff:ffff:ffff"}}));
    CHECK_FALSE(holds(mixed, {{"aws:SourceIp", "2001:db8:1234:5679::1"}}));
    CHECK_FALSE(holds(mixed, {{"aws:SourceIp", "198.51.100.1"}}));
    // An address without a prefix is a block of one (/128); families never match each other.
    CHECK(holds(R"({"IpAddress": {"aws:SourceIp": "2001:db8::7"}})",
                {{"aws:SourceIp", "2001:DB8:0:0:0:0:0:7"}}));
    CHECK_FALSE(holds(R"({"IpAddress": {"aws:SourceIp": "2001:db8::7"}})",
                      {{"aws:SourceIp", "2001:db8::8"}}));
    CHECK(holds(R"({"IpAddress": {"aws:SourceIp": "::ffff:192.0.2.0/120"}})",
                {{"aws:SourceIp", "::ffff:192.0.2.44"}}));
    CHECK_FALSE(holds(R"({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}})",
                      {{"aws:SourceIp", "2001:db8::1"}}));
    // NotIpAddress with IPv4 blocks only: an IPv6 source is outside them (a Deny applies).
    CHECK(holds(R"({"NotIpAddress": {"aws:SourceIp": ["192.0.2.0/24"]}})",
                {{"aws:SourceIp", "2001:db8::1"}}));
    CHECK_FALSE(holds(R"({"NotIpAddress": {"aws:SourceIp": ["2001:db8::/32"]}})",
                      {{"aws:SourceIp", "2001:db8:ffff::1"}}));
}

TEST_CASE("Set operators on a key that resolves to an empty set (an empty string)", "[iam]") {
    // "Set operators": when the request's values resolve to an empty data set, for example an
    // empty string, ForAllValues is true and ForAnyValue false.
    const std::string all = R"({"ForAllValues:StringLike": {"dynamodb:requestedAttributes":
                                  ["PostDateTime", "Message", "Tags"]}})";
    REQUIRE_FALSE(holds(all, {{"dynamodb:requestedAttributes", "PostDateTime"},
                              {"dynamodb:requestedAttributes", "UserName"}}));
    CHECK(holds(all, {{"dynamodb:requestedAttributes", ""}}));
    CHECK_FALSE(holds(R"({"ForAnyValue:StringLike": {"dynamodb:requestedAttributes": "*"}})",
                      {{"dynamodb:requestedAttributes", ""}}));
    // Without a set operator an empty string is a value like any other (s3:prefix "").
    CHECK(holds(R"({"StringLike": {"s3:prefix": ["", "home/"]}})", {{"s3:prefix", ""}}));
}

TEST_CASE("Bool takes a policy variable, as the guide allows", "[iam]") {
    CHECK(holds(R"({"Bool": {"aws:SecureTransport": "${aws:PrincipalTag/tls}"}})",
                {{"aws:SecureTransport", "true"}, {"aws:PrincipalTag/tls", "true"}}));
    CHECK_FALSE(holds(R"({"Bool": {"aws:SecureTransport": "${aws:PrincipalTag/tls}"}})",
                      {{"aws:SecureTransport", "false"}, {"aws:PrincipalTag/tls", "true"}}));
}

TEST_CASE("NotPrincipal with Deny: a caller is left out only when it and its parents are listed",
          "[iam]") {
    // "NotPrincipal": list the user and its account; for a role, the session, the role and
    // the account (AWS may check the account, then the role, then the session).
    auto deny_all_but = [](const std::string& principals) {
        return parse_policy(R"({"Version": "2012-10-17", "Statement": [{"Effect": "Deny",
            "NotPrincipal": {"AWS": [)" +
                                principals +
                                R"(]}, "Action": "s3:*", "Resource": "arn:aws:s3:::audit/*"}]})",
                            PolicyKind::ResourceBased);
    };
    const auto allow = identity(
        R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}})");
    auto decide = [&](const PolicyDocument& bucket, const Caller& c) {
        const std::vector<AppliedPolicy> ps = {applied(PolicyType::ResourceBased, "audit", bucket),
                                               applied(PolicyType::Identity, "s3", allow)};
        return evaluate(request(c, "s3:GetObject", "arn:aws:s3:::audit/a"), ps).kind;
    };
    const auto bob =
        deny_all_but(R"("arn:aws:iam::111122223333:user/bob", "arn:aws:iam::111122223333:root")");
    CHECK(decide(bob, user("bob")) == DecisionKind::Allowed);
    CHECK(decide(bob, user("kim")) == DecisionKind::ExplicitDeny);
    CHECK(decide(deny_all_but(R"("arn:aws:iam::111122223333:user/bob")"), user("bob")) ==
          DecisionKind::ExplicitDeny);
    const auto role_only =
        deny_all_but(R"("arn:aws:iam::111122223333:role/audit", "arn:aws:iam::111122223333:root")");
    CHECK(decide(role_only, role_session("audit")) == DecisionKind::ExplicitDeny);
    const auto session = deny_all_but(R"("arn:aws:sts::111122223333:assumed-role/audit/session",
        "arn:aws:iam::111122223333:role/audit", "arn:aws:iam::111122223333:root")");
    CHECK(decide(session, role_session("audit")) == DecisionKind::Allowed);
    CHECK(decide(session, role_session("other")) == DecisionKind::ExplicitDeny);
}

TEST_CASE(
    "Null treats an empty value as null, as the multivalued examples pair it with ForAllValues",
    "[iam]") {
    // "Multivalued context key examples": ForAllValues is true for a missing key and for one
    // that resolves to a null data set such as an empty string; Null "false" (the key exists
    // and its value is not null) keeps both out.
    const std::string deny = R"({"Null": {"aws:TagKeys": "false"},
                                 "ForAllValues:StringLike": {"aws:TagKeys": ["key1*", "key2*"]}})";
    REQUIRE(
        holds(R"({"ForAllValues:StringLike": {"aws:TagKeys": "key1*"}})", {{"aws:TagKeys", ""}}));
    CHECK(holds(deny, {{"aws:TagKeys", "key1:legal"}}));
    CHECK_FALSE(holds(deny, {}));
    CHECK_FALSE(holds(deny, {{"aws:TagKeys", ""}}));
    CHECK(holds(R"({"Null": {"aws:TagKeys": "true"}})", {{"aws:TagKeys", ""}}));
    CHECK_FALSE(holds(R"({"Null": {"aws:TagKeys": "true"}})", {{"aws:TagKeys", "a"}}));
}

TEST_CASE("A variable that cannot be resolved: negated operators and NotResource do not apply",
          "[iam]") {
    // "Variables and tags": "If AWS cannot resolve a variable this might cause the entire
    // statement to be invalid." A caller without the principal tag is not caught by a Deny
    // that compares the resource's tag against it with StringNotEquals.
    const std::string ne = R"({"StringNotEquals": {"aws:ResourceTag/project":
                                                    "${aws:PrincipalTag/project}"}})";
    REQUIRE(holds(ne, {{"aws:ResourceTag/project", "red"}, {"aws:PrincipalTag/project", "blue"}}));
    CHECK_FALSE(
        holds(ne, {{"aws:ResourceTag/project", "blue"}, {"aws:PrincipalTag/project", "blue"}}));
    CHECK_FALSE(holds(ne, {{"aws:ResourceTag/project", "red"}}));
    CHECK_FALSE(holds(ne, {}));
    CHECK(holds(R"({"StringNotEqualsIfExists": {"aws:ResourceTag/project":
                                                "${aws:PrincipalTag/project}"}})",
                {}));
    // A default resolves it.
    CHECK(holds(R"({"StringNotEquals": {"aws:ResourceTag/project":
                                        "${aws:PrincipalTag/project, 'none'}"}})",
                {{"aws:ResourceTag/project", "red"}}));
    CHECK_FALSE(holds(R"({"ArnNotLike": {"aws:SourceArn": "arn:aws:s3:::${aws:username}"}})",
                      {{"aws:SourceArn", "arn:aws:s3:::other"}}));
    // Positive operators find no match in such a value; the others still count.
    CHECK(holds(R"({"StringEquals": {"aws:ResourceTag/project":
                                     ["${aws:PrincipalTag/project}", "shared"]}})",
                {{"aws:ResourceTag/project", "shared"}}));
    // NotResource with such a variable: the statement does not apply (not "every resource").
    const auto doc = identity(R"({"Version": "2012-10-17", "Statement": {"Effect": "Deny",
        "Action": "s3:*", "NotResource": "arn:aws:s3:::home/${aws:PrincipalTag/home}/*"}})");
    const auto allow = identity(R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow",
        "Action": "s3:*", "Resource": "*"}})");
    std::vector<AppliedPolicy> ps = {
        {PolicyType::Identity, "deny", Attachment::Inline, "user/u", &doc},
        {PolicyType::Identity, "allow", Attachment::Inline, "user/u", &allow}};
    Request r;
    r.caller.kind = Caller::Kind::User;
    r.caller.account = "123456789012";
    r.caller.arn = "arn:aws:iam::123456789012:user/u";
    r.action = "s3:GetObject";
    r.resource = "arn:aws:s3:::home/other/a.txt";
    CHECK(evaluate(r, ps).kind == DecisionKind::Allowed);
    r.context.set("aws:PrincipalTag/home", {"mine"});
    CHECK(evaluate(r, ps).kind == DecisionKind::ExplicitDeny);
    r.resource = "arn:aws:s3:::home/mine/a.txt";
    CHECK(evaluate(r, ps).kind == DecisionKind::Allowed);
}

}  // namespace test_iam_policy
