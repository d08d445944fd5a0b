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

}  // namespace test_iam_policy_examples
