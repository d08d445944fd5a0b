// IAM in a run (docs/iam.md, "IAM in a run" and "S3 access"): an application's AWS calls are
// decided by its instance profile's or task role's policies, with the resource's policy, as
// AWS's evaluation logic says (explicit deny wins, an allow is needed, a permissions boundary
// caps); a denied call is the request's 500, counted and logged with the statement that
// decided. A bucket's requests from a named requester are decided by the bucket policy, the
// canned ACLs and the requester's policies; a denied one is a 403, counted and not billed.
// Every count is worked out by hand beside it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "sim/cloud/iam_account.hpp"
#include "sim/cloud/world.hpp"
#include "sim/report/outputs.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/loader.hpp"
#include "world_support.hpp"

namespace test_iam_run {

using namespace stratus;
using scenario::Diagnostic;

namespace {

// One m5.large behind an ALB, healthy by minute 5 (boot, start, 5 checks 30 s apart). Requests
// arrive from minute 5 to minute 11 at 10/s, each takes 10 ms: every request reaches the
// instance and is answered before the end (12 minutes).
const std::string kWeb = R"([simulation]
name = "iam-run"
duration = "12m"
seed = 7
[[iam_role]]
name = "app"
assume_role_policy = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}'
[[iam_role_policy]]
name = "logs"
role = "app"
policy = '{"Version": "2012-10-17", "Statement": [{"Sid": "ReadAssets", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::assets/*"}]}'
[[iam_instance_profile]]
name = "app-profile"
role = "app"
[[s3_bucket]]
name = "app-logs"
[[launch_template]]
name = "web"
instance_type = "m5.large"
app_start_time = "10s"
iam_instance_profile = { name = "app-profile" }
[[target_group]]
name = "tg"
[[load_balancer]]
name = "alb"
[[lb_listener]]
load_balancer = "alb"
target_group = "tg"
[[autoscaling_group]]
name = "web"
launch_template = "web"
min_size = 1
max_size = 1
desired_capacity = 1
target_groups = ["tg"]
[[workload]]
name = "shop"
load_balancer = "alb"
rate = { shape = "steps", steps = [["0s", 0], ["5m", 10], ["11m", 0]] }
service_time = "10ms"
timeout = "10s"
[[workload.aws_call]]
action = "s3:PutObject"
resource = "arn:aws:s3:::app-logs/logs/app.log"
fraction = 0.25
)";

std::string with(std::string text, const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

struct Ran {
    std::unique_ptr<report::Run> run;
    nlohmann::ordered_json summary;
    std::vector<testing::JsonEvent> denied;  // the aws_call_denied events
};

Ran run_text(const std::string& toml) {
    const scenario::Spec spec = scenario::load_text(toml, "iam-run.toml");
    REQUIRE(scenario::unsupported_features(spec).empty());
    Ran r;
    r.run = std::make_unique<report::Run>(spec);
    r.run->world().run();
    r.summary = report::make_summary(*r.run);
    for (const auto& e : testing::json_events(*r.run))
        if (e.type == "aws_call_denied") r.denied.push_back(e);
    return r;
}

std::uint64_t count(const nlohmann::ordered_json& s, const char* a, const char* b = nullptr,
                    const char* c = nullptr) {
    const auto* at = &s[a];
    if (b) at = &(*at)[b];
    if (c) at = &(*at)[c];
    return at->get<std::uint64_t>();
}

std::vector<Diagnostic> errors_of(const std::string& text) {
    try {
        scenario::load_text(text, "iam-run.toml");
    } catch (const scenario::ScenarioError& e) {
        return e.diagnostics();
    }
    FAIL("the scenario loaded, but errors were expected");
    return {};
}

Diagnostic about(const std::vector<Diagnostic>& ds, const std::string& key_path) {
    std::string all;
    for (const auto& d : ds) {
        if (d.key_path == key_path) return d;
        all += d.format() + "\n";
    }
    INFO("diagnostics:\n" << all);
    FAIL("no diagnostic about " << key_path);
    return {};
}

int line_of(const std::string& text, const std::string& needle) {
    const std::size_t at = text.find(needle);
    REQUIRE(at != std::string::npos);
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
}

}  // namespace

TEST_CASE("iam run: an instance role without s3:PutObject fails every fourth request with 500",
          "[iam][iam_run]") {
    const Ran r = run_text(kWeb);
    const std::uint64_t arrivals = count(r.summary, "requests", "total");
    // About 10/s for 6 minutes: 3,600 Poisson arrivals, all taken by the instance.
    REQUIRE(arrivals > 3000);
    REQUIRE(count(r.summary, "requests", "in_flight_at_end") == 0);
    REQUIRE(count(r.summary, "requests", "errors", "total") ==
            count(r.summary, "requests", "errors", "http_500"));
    // One request in four makes the call (a counter, not a draw): floor(arrivals / 4) calls,
    // all denied: the role's only statement allows s3:GetObject on another bucket.
    const auto& call = r.summary["aws_calls"][0];
    CHECK(call["action"] == "s3:PutObject");
    CHECK(call["calls"].get<std::uint64_t>() == arrivals / 4);
    CHECK(call["denied"].get<std::uint64_t>() == arrivals / 4);
    CHECK(count(r.summary, "requests", "errors", "http_500") == arrivals / 4);
    CHECK(count(r.summary, "requests", "ok") == arrivals - arrivals / 4);
    const auto& verdict = call["principals"]["instance-profile/app-profile"];
    CHECK(verdict["decision"] == "implicit deny");
    CHECK(verdict["statement"] == "implicit deny: no statement allows");
    // Logged once, with the principal, its role and why.
    REQUIRE(r.denied.size() == 1);
    const auto& e = r.denied[0].subjects;
    CHECK(e["workload"] == "shop");
    CHECK(e["principal"] == "instance-profile/app-profile");
    CHECK(e["role_arn"] == "arn:aws:iam::123456789012:role/app");
    CHECK(e["resource"] == "arn:aws:s3:::app-logs/logs/app.log");
    CHECK(e["decision"] == "implicit deny");
    CHECK(e["statement"] == "implicit deny: no statement allows");
    CHECK(e["http_status"] == 500);
    CHECK(e["instance"] == "i-0001");
    // The 500s are the application's 5xx, in the SLO's error rate like any other.
    CHECK(r.summary["availability_percent"].get<double>() ==
          Approx(100.0 * (arrivals - arrivals / 4) / arrivals));
}

TEST_CASE("iam run: an allowed call fails nothing, the bucket policy's Deny wins over it",
          "[iam][iam_run]") {
    const std::string allowed = with(
        kWeb, R"("Resource": "arn:aws:s3:::assets/*"}]})",
        R"("Resource": "arn:aws:s3:::assets/*"}, {"Sid": "WriteLogs", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::app-logs/logs/*"}]})");
    {
        const Ran r = run_text(allowed);
        REQUIRE(count(r.summary, "requests", "total") > 3000);
        const auto& call = r.summary["aws_calls"][0];
        CHECK(call["calls"].get<std::uint64_t>() == count(r.summary, "requests", "total") / 4);
        CHECK(call["denied"] == 0);
        CHECK(call["principals"]["instance-profile/app-profile"]["decision"] == "allowed");
        CHECK(count(r.summary, "requests", "errors", "http_500") == 0);
        CHECK(r.denied.empty());
    }
    // The bucket's policy denies PutObject without server-side encryption: the identity
    // policy's Allow does not matter, explicit deny wins (the key is absent: Null is true).
    const std::string denied = with(allowed, "[[launch_template]]", R"([[s3_bucket_policy]]
bucket = "app-logs"
policy = '{"Version": "2012-10-17", "Statement": [{"Sid": "DenyUnencrypted", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::app-logs/*", "Condition": {"Null": {"s3:x-amz-server-side-encryption": "true"}}}]}'
[[launch_template]])");
    const Ran r = run_text(denied);
    const std::uint64_t arrivals = count(r.summary, "requests", "total");
    REQUIRE(arrivals > 3000);
    CHECK(count(r.summary, "requests", "errors", "http_500") == arrivals / 4);
    REQUIRE(r.denied.size() == 1);
    CHECK(r.denied[0].subjects["decision"] == "explicit deny");
    CHECK(r.denied[0].subjects["statement"] ==
          "Deny Sid \"DenyUnencrypted\" of bucket policy of app-logs on arn:aws:s3:::app-logs "
          "(resource-based policy)");
}

TEST_CASE("iam run: an instance without a profile has no credentials, every call fails",
          "[iam][iam_run]") {
    const Ran r = run_text(with(kWeb, "iam_instance_profile = { name = \"app-profile\" }", ""));
    const std::uint64_t arrivals = count(r.summary, "requests", "total");
    REQUIRE(arrivals > 3000);
    CHECK(count(r.summary, "requests", "errors", "http_500") == arrivals / 4);
    REQUIRE(r.denied.size() == 1);
    CHECK(r.denied[0].subjects["principal"] == "none");
    CHECK(r.denied[0].subjects["decision"] == "no credentials");
}

TEST_CASE("iam run: two calls, a permissions boundary caps the role, fractions add up exactly",
          "[iam][iam_run]") {
    // The role's policy allows s3:* and dynamodb:*, its boundary only s3:*: PutItem is an
    // implicit deny by the boundary. A request fails when either of its calls fails: with
    // fractions 1/2 and 1/5 the requests n (1-based) with n % 2 == 0 call S3, n % 5 == 0
    // DynamoDB; the PutItems fail: floor(N / 5) 500s.
    std::string text =
        with(kWeb, R"("Action": "s3:GetObject", "Resource": "arn:aws:s3:::assets/*")",
             R"("Action": ["s3:*", "dynamodb:*"], "Resource": "*")");
    text = with(text, "[[iam_role_policy]]", R"([[iam_policy]]
name = "s3-only"
policy = '{"Version": "2012-10-17", "Statement": [{"Sid": "S3Only", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}'
[[iam_role_policy]])");
    text = with(text, "name = \"app\"\n", "name = \"app\"\npermissions_boundary = \"s3-only\"\n");
    text = with(text, "fraction = 0.25", R"(fraction = 0.5
[[workload.aws_call]]
action = "dynamodb:PutItem"
resource = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
fraction = 0.2)");
    const Ran r = run_text(text);
    const std::uint64_t n = count(r.summary, "requests", "total");
    REQUIRE(n > 3000);
    REQUIRE(r.summary["aws_calls"].size() == 2);
    CHECK(r.summary["aws_calls"][0]["calls"].get<std::uint64_t>() == n / 2);
    CHECK(r.summary["aws_calls"][0]["denied"] == 0);
    CHECK(r.summary["aws_calls"][1]["calls"].get<std::uint64_t>() == n / 5);
    CHECK(r.summary["aws_calls"][1]["denied"].get<std::uint64_t>() == n / 5);
    CHECK(count(r.summary, "requests", "errors", "http_500") == n / 5);
    REQUIRE(r.denied.size() == 1);
    CHECK(r.denied[0].subjects["action"] == "dynamodb:PutItem");
    CHECK(r.denied[0].subjects["statement"] ==
          "implicit deny: the permissions boundary does not allow it");
}

TEST_CASE("iam run: the same scenario and seed give the same outputs", "[iam][iam_run]") {
    const Ran a = run_text(kWeb);
    const Ran b = run_text(kWeb);
    CHECK(a.summary.dump() == b.summary.dump());
}

TEST_CASE("iam run: bad aws_call, profile and bucket keys point at file, line, column and key",
          "[iam][iam_run]") {
    {
        const std::string text =
            with(kWeb, "action = \"s3:PutObject\"", "action = \"s3PutObject\"");
        const auto d = about(errors_of(text), "workload[shop].aws_call[0].action");
        CHECK(d.pos.file == "iam-run.toml");
        CHECK(d.pos.line == line_of(text, "s3PutObject"));
        CHECK(d.message.find("not an API action") != std::string::npos);
    }
    {
        const std::string text = with(kWeb, "fraction = 0.25", "fraction = 1.5");
        const auto d = about(errors_of(text), "workload[shop].aws_call[0].fraction");
        CHECK(d.pos.line == line_of(text, "fraction = 1.5"));
    }
    {
        const std::string text =
            with(kWeb, "{ name = \"app-profile\" }", "{ name = \"app-profil\" }");
        const auto d = about(errors_of(text), "launch_template[web].iam_instance_profile");
        CHECK(d.pos.line == line_of(text, "app-profil\""));
        CHECK(d.message.find("unknown instance profile `app-profil`") != std::string::npos);
    }
    {
        const std::string text = with(kWeb, "[[launch_template]]", R"([[s3_bucket_policy]]
bucket = "app-logs"
policy = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::other/*"}]}'
[[launch_template]])");
        const auto d = about(errors_of(text), "s3_bucket_policy[app-logs].policy");
        CHECK(d.pos.line == line_of(text, "[[s3_bucket_policy]]") + 2);
        CHECK(d.message.find("not in the bucket") != std::string::npos);
    }
    {
        const std::string text = with(kWeb, "name = \"app-logs\"\n",
                                      "name = \"app-logs\"\nget_requests_from = \"group/dev\"\n");
        const auto d = about(errors_of(text), "s3_bucket[app-logs].get_requests_from");
        CHECK(d.message.find("not a principal") != std::string::npos);
    }
    {
        const std::string text = with(kWeb, "[[launch_template]]", R"([[s3_bucket_acl]]
bucket = "app-logs"
acl = "public"
[[launch_template]])");
        const auto d = about(errors_of(text), "s3_bucket_acl[app-logs].acl");
        CHECK(d.pos.line == line_of(text, "acl = \"public\""));
    }
}

TEST_CASE("iam run: AWS calls are refused in fluid mode rather than ignored", "[iam][iam_run]") {
    const auto spec = scenario::load_text(with(kWeb, "seed = 7", "seed = 7\nfidelity = \"fluid\""),
                                          "iam-run.toml");
    const auto d = scenario::unsupported_features(spec);
    REQUIRE(d.size() == 1);
    CHECK(d[0].key_path == "workload[shop].aws_call");
}

// ---- S3 access -------------------------------------------------------------------------------

namespace {

// A day of anonymous GETs of 1 MB objects under public/ (86,400 a day: one a second), and a
// role's PUTs of 1 MB objects (8,640 a day). us-east-1: GET $0.0004 per 1,000, PUT $0.005.
std::string bucket_text(const std::string& extra, const std::string& prefix = "public/") {
    return R"([simulation]
name = "s3-access"
start_time = "2026-01-01T00:00:00Z"
duration = "1d"
[region]
name = "us-east-1"
[[iam_role]]
name = "uploader"
assume_role_policy = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}'
[[s3_bucket]]
name = "site"
object_size_kb = 1024
key_prefix = ")" +
           prefix + R"("
get_requests_per_day = 86400
get_requests_from = "anonymous"
objects_per_day = 8640
put_requests_from = "role/uploader"
)" + extra;
}

const std::string kPublicRead = R"([[s3_bucket_policy]]
bucket = "site"
policy = '{"Version": "2012-10-17", "Statement": [{"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/public/*"}]}'
)";

const std::string kUploaderPut = R"([[iam_role_policy]]
name = "put"
role = "uploader"
policy = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::site/*"}]}'
)";

struct Bucket {
    std::unique_ptr<report::Run> run;
    const cloud::S3Bucket* bucket = nullptr;
    nlohmann::ordered_json summary;
    double usage(const std::string& usage_type) const {
        for (const auto& l : run->world().cost().ledger().lines())
            if (l.spec.resource_id == "site" && l.spec.usage_type == usage_type)
                return l.usage_quantity;
        return -1;  // no such line
    }
};

Bucket run_bucket(const std::string& toml) {
    const scenario::Spec spec = scenario::load_text(toml, "s3-access.toml");
    REQUIRE(scenario::unsupported_features(spec).empty());
    Bucket b;
    b.run = std::make_unique<report::Run>(spec);
    b.run->world().run();
    REQUIRE(b.run->world().s3_buckets().size() == 1);
    b.bucket = &b.run->world().s3_buckets()[0];
    b.summary = report::make_summary(*b.run);
    return b;
}

}  // namespace

TEST_CASE("s3 access: a bucket policy's public read on a prefix, and 403s that are not billed",
          "[iam][s3_access]") {
    using cloud::S3Request;
    // Allowed: the policy grants "*" GetObject under public/; the role may PutObject.
    const Bucket ok = run_bucket(bucket_text(kPublicRead + kUploaderPut));
    CHECK(ok.bucket->allowed(S3Request::GetObject));
    CHECK(ok.bucket->requests(S3Request::GetObject) == Approx(86400));
    CHECK(ok.bucket->denied(S3Request::GetObject) == 0);
    CHECK(ok.usage("Requests-Tier2") == Approx(86400));  // $0.03456
    CHECK(ok.usage("Requests-Tier1") == Approx(8640));
    CHECK(ok.summary["s3_access"]["site"]["get_object"]["decision"] == "allowed");

    // The objects under private/: no statement allows the anonymous GETs: 403, not billed.
    const Bucket no = run_bucket(bucket_text(kPublicRead + kUploaderPut, "private/"));
    CHECK_FALSE(no.bucket->allowed(S3Request::GetObject));
    CHECK(no.bucket->denied(S3Request::GetObject) == Approx(86400));
    CHECK(no.bucket->requests(S3Request::GetObject) == 0);
    CHECK(no.usage("Requests-Tier2") == -1);  // no GET line at all
    CHECK(no.usage("Requests-Tier1") == Approx(8640));
    const auto& get = no.summary["s3_access"]["site"]["get_object"];
    CHECK(get["decision"] == "implicit deny");
    CHECK(get["resource"] == "arn:aws:s3:::site/private/object");
    CHECK(get["denied_403"].get<double>() == Approx(86400));
    // The GETs' bill is the only difference: 86,400 x $0.0004 / 1,000.
    CHECK(ok.run->world().cost().ledger().total(cloud::LineItem::S3) -
              no.run->world().cost().ledger().total(cloud::LineItem::S3) ==
          Approx(0.03456));
}

TEST_CASE("s3 access: denied PUTs write nothing and bill nothing", "[iam][s3_access]") {
    using cloud::S3Request;
    const Bucket ok = run_bucket(bucket_text(kPublicRead + kUploaderPut));
    const Bucket no = run_bucket(bucket_text(kPublicRead));  // the role has no policy
    CHECK(no.bucket->denied(S3Request::PutObject) == Approx(8640));
    CHECK(no.usage("Requests-Tier1") == -1);
    // 8,640 objects of 1 MB a day: 8.4375 GB written over the day; none when denied.
    CHECK(ok.bucket->gb_per_day() == Approx(8.4375));
    CHECK(no.bucket->gb_per_day() == 0);
    CHECK(no.summary["s3_access"]["site"]["put_object"]["statement"] ==
          "implicit deny: no statement allows");
}

TEST_CASE("s3 access: canned ACLs grant to anyone, an explicit deny still wins",
          "[iam][s3_access]") {
    using cloud::S3Request;
    // Objects written public-read: anonymous GETs allowed without any bucket policy.
    const Bucket acl = run_bucket(bucket_text(kUploaderPut, "private/"));
    CHECK_FALSE(acl.bucket->allowed(S3Request::GetObject));
    std::string text = bucket_text(kUploaderPut, "private/");
    text = with(text, "get_requests_from = \"anonymous\"",
                "get_requests_from = \"anonymous\"\nobject_acl = \"public-read\"");
    const Bucket pub = run_bucket(text);
    CHECK(pub.bucket->allowed(S3Request::GetObject));
    CHECK(pub.summary["s3_access"]["site"]["get_object"]["statement"].get<std::string>().find(
              "object ACL public-read") != std::string::npos);
    // authenticated-read: anonymous requests are not authenticated.
    const Bucket auth = run_bucket(
        with(text, "object_acl = \"public-read\"", "object_acl = \"authenticated-read\""));
    CHECK_FALSE(auth.bucket->allowed(S3Request::GetObject));
    // A bucket policy's Deny beats the ACL's grant. (An anonymous request has no
    // aws:PrincipalArn; its aws:PrincipalAccount is "anonymous", "AWS global condition context
    // keys".)
    const Bucket deny = run_bucket(text + R"([[s3_bucket_policy]]
bucket = "site"
policy = '{"Version": "2012-10-17", "Statement": [{"Sid": "NoAnonymous", "Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*", "Condition": {"Null": {"aws:PrincipalArn": "true"}}}]}'
)");
    CHECK_FALSE(deny.bucket->allowed(S3Request::GetObject));
    CHECK(deny.summary["s3_access"]["site"]["get_object"]["decision"] == "explicit deny");
}

TEST_CASE("iam check: anonymous callers, bucket policies and ACLs", "[iam][s3_access]") {
    const auto spec =
        scenario::load_text(bucket_text(kPublicRead + kUploaderPut + R"([[s3_bucket_acl]]
bucket = "site"
acl = "public-read"
)"),
                            "s3-access.toml");
    const cloud::IamAccount account(spec);
    auto decide = [&](const std::string& who, const std::string& action,
                      const std::string& resource) {
        iam::Request r;
        r.caller = account.caller(who);
        r.action = action;
        r.resource = resource;
        r.context = account.context(r.caller);
        return account.check(r);
    };
    using iam::DecisionKind;
    CHECK(decide("anonymous", "s3:GetObject", "arn:aws:s3:::site/public/a.png").kind ==
          DecisionKind::Allowed);
    CHECK(decide("anonymous", "s3:GetObject", "arn:aws:s3:::site/secret/a.png").kind ==
          DecisionKind::ImplicitDeny);
    // The bucket ACL public-read lists the bucket for anyone, and writes nothing.
    CHECK(decide("anonymous", "s3:ListBucket", "arn:aws:s3:::site").kind == DecisionKind::Allowed);
    CHECK(decide("anonymous", "s3:PutObject", "arn:aws:s3:::site/public/a.png").kind ==
          DecisionKind::ImplicitDeny);
    // An anonymous caller has no identity-based policies: nothing of the role's reaches it.
    CHECK(decide("role/uploader", "s3:PutObject", "arn:aws:s3:::site/x").kind ==
          DecisionKind::Allowed);
}

TEST_CASE("s3 access: Block Public Access and Object Ownership take the public grants away",
          "[iam][s3_access]") {
    using cloud::S3Request;
    // S3 User Guide, "Blocking public access to your Amazon S3 storage": RestrictPublicBuckets
    // limits a bucket with a public policy to principals of its own account, so the anonymous
    // GETs the policy grants (kPublicRead) fail: 86,400 403s, no GET line.
    const std::string restrict = R"([[s3_bucket_public_access_block]]
bucket = "site"
restrict_public_buckets = true
)";
    const Bucket restricted = run_bucket(bucket_text(kPublicRead + kUploaderPut + restrict));
    CHECK_FALSE(restricted.bucket->allowed(S3Request::GetObject));
    CHECK(restricted.bucket->denied(S3Request::GetObject) == Approx(86400));
    CHECK(restricted.usage("Requests-Tier2") == -1);
    CHECK(restricted.bucket->allowed(S3Request::PutObject));  // the role's own policy
    // IgnorePublicAcls: objects written public-read grant nothing.
    std::string acl = bucket_text(kUploaderPut, "private/");
    acl = with(acl, "get_requests_from = \"anonymous\"",
               "get_requests_from = \"anonymous\"\nobject_acl = \"public-read\"");
    REQUIRE(run_bucket(acl).bucket->allowed(S3Request::GetObject));
    const Bucket ignored = run_bucket(acl + R"([[s3_bucket_public_access_block]]
bucket = "site"
ignore_public_acls = true
)");
    CHECK_FALSE(ignored.bucket->allowed(S3Request::GetObject));
    CHECK(ignored.bucket->denied(S3Request::GetObject) == Approx(86400));
    // "Controlling ownership of objects and disabling ACLs": BucketOwnerEnforced, ACLs no
    // longer affect permissions.
    const Bucket enforced = run_bucket(acl + R"([[s3_bucket_ownership_controls]]
bucket = "site"
rule = { object_ownership = "BucketOwnerEnforced" }
)");
    CHECK_FALSE(enforced.bucket->allowed(S3Request::GetObject));
    CHECK(enforced.summary["s3_access"]["site"]["get_object"]["decision"] == "implicit deny");
    // ObjectWriter keeps ACLs enabled.
    CHECK(run_bucket(acl + R"([[s3_bucket_ownership_controls]]
bucket = "site"
rule = { object_ownership = "ObjectWriter" }
)")
              .bucket->allowed(S3Request::GetObject));
}

TEST_CASE("iam check: RestrictPublicBuckets applies to public policies only, keeps their Denies",
          "[iam][s3_access]") {
    // "The meaning of public": a grant to "*" whose condition fixes aws:SourceIp to CIDR blocks
    // (or aws:SourceVpce, aws:SourceArn, ... to values without wildcards) is not public, so
    // RestrictPublicBuckets leaves it; a Deny of a restricted public policy still applies.
    const std::string text = bucket_text(kUploaderPut + R"([[s3_bucket_policy]]
bucket = "site"
policy = '{"Version": "2012-10-17", "Statement": [{"Sid": "Office", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*", "Condition": {"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}}}, {"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::site/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}'
[[s3_bucket_public_access_block]]
bucket = "site"
restrict_public_buckets = true
)");
    const auto spec = scenario::load_text(text, "s3-access.toml");
    const cloud::IamAccount account(spec);
    auto decide = [&](const std::string& who, const std::string& ip, const std::string& tls) {
        iam::Request r;
        r.caller = account.caller(who);
        r.action = "s3:GetObject";
        r.resource = "arn:aws:s3:::site/public/a.png";
        r.context = account.context(r.caller, r.action);
        r.context.set("aws:SourceIp", {ip});
        r.context.set("aws:SecureTransport", {tls});
        return account.check(r);
    };
    using iam::DecisionKind;
    CHECK(decide("anonymous", "192.0.2.7", "true").kind == DecisionKind::Allowed);
    CHECK(decide("anonymous", "198.51.100.7", "true").kind == DecisionKind::ImplicitDeny);
    // Made public (the IP condition removed): the anonymous GET is restricted away, the
    // role of the account keeps the grant, and the Deny still applies to both.
    const auto open = scenario::load_text(
        with(text, R"(, "Condition": {"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}})", ""),
        "s3-access.toml");
    const cloud::IamAccount open_account(open);
    auto decide_open = [&](const std::string& who, const std::string& tls) {
        iam::Request r;
        r.caller = open_account.caller(who);
        r.action = "s3:GetObject";
        r.resource = "arn:aws:s3:::site/public/a.png";
        r.context = open_account.context(r.caller, r.action);
        r.context.set("aws:SecureTransport", {tls});
        return open_account.check(r);
    };
    CHECK(decide_open("anonymous", "true").kind == DecisionKind::ImplicitDeny);
    CHECK(decide_open("role/uploader", "true").kind == DecisionKind::Allowed);
    const auto anon_http = decide_open("anonymous", "false");
    CHECK(anon_http.kind == DecisionKind::ExplicitDeny);
    REQUIRE(anon_http.statements.size() == 1);
    CHECK(anon_http.statements[0].sid == "TlsOnly");
    CHECK(decide_open("role/uploader", "false").kind == DecisionKind::ExplicitDeny);
}

TEST_CASE("s3 access: ACLs disabled refuse a public bucket ACL at its key", "[iam][s3_access]") {
    const std::string text = bucket_text(kPublicRead + R"([[s3_bucket_acl]]
bucket = "site"
acl = "public-read"
[[s3_bucket_ownership_controls]]
bucket = "site"
rule = { object_ownership = "BucketOwnerEnforced" }
)");
    const auto ds = errors_of(text);
    REQUIRE(ds.size() == 1);
    const Diagnostic d = about(ds, "s3_bucket_acl[site].acl");
    CHECK(d.pos.line == line_of(text, "acl = \"public-read\""));
    CHECK(d.pos.column > 0);
    CHECK_THAT(d.message, Catch::Contains("AccessControlListNotSupported"));
    CHECK_NOTHROW(scenario::load_text(with(text, "acl = \"public-read\"", "acl = \"private\""),
                                      "s3-access.toml"));
}

TEST_CASE("iam run: a Fargate task's role decides its calls (task_role_arn)", "[iam][iam_run]") {
    // Two 0.25 vCPU tasks behind an ALB; their role may read but not write the bucket, and
    // every request writes (fraction 1): every request the tasks take is a 500.
    const std::string text = R"([simulation]
name = "task-role"
duration = "10m"
[vpc]
cidr_block = "10.0.0.0/16"
[[subnet]]
name = "public-a"
cidr_block = "10.0.1.0/24"
availability_zone = "us-east-1a"
route = "igw"
[[subnet]]
name = "public-b"
cidr_block = "10.0.2.0/24"
availability_zone = "us-east-1b"
route = "igw"
[[iam_role]]
name = "api-task"
assume_role_policy = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}'
managed_policy_arns = ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]
[[load_balancer]]
name = "alb"
subnets = ["public-a", "public-b"]
[[target_group]]
name = "api-tg"
port = 80
target_type = "ip"
[[lb_listener]]
load_balancer = "alb"
port = 80
target_group = "api-tg"
[[ecs_cluster]]
name = "shop"
[[ecs_task_definition]]
family = "api"
cpu = 256
memory = 512
requires_compatibilities = ["FARGATE"]
network_mode = "awsvpc"
container_definitions = '[{"name": "api", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1", "essential": true, "portMappings": [{"containerPort": 8080, "protocol": "tcp"}]}]'
task_role_arn = "arn:aws:iam::123456789012:role/api-task"
[[ecs_service]]
name = "api"
cluster = "shop"
task_definition = "api"
desired_count = 2
launch_type = "FARGATE"
network_configuration = { subnets = ["public-a", "public-b"], assign_public_ip = true }
load_balancer = [{ target_group_arn = "api-tg", container_name = "api", container_port = 8080 }]
health_check_grace_period_seconds = 300
[[workload]]
name = "clients"
load_balancer = "alb"
rate = { shape = "steps", steps = [["0s", 0], ["5m", 5], ["9m", 0]] }
service_time = "10ms"
[[workload.aws_call]]
action = "s3:PutObject"
resource = "arn:aws:s3:::orders/2026/order.json"
)";
    const Ran r = run_text(text);
    const std::uint64_t n = count(r.summary, "requests", "total");
    REQUIRE(n > 900);  // 5/s for 4 minutes: about 1,200
    REQUIRE(count(r.summary, "requests", "errors", "total") ==
            count(r.summary, "requests", "errors", "http_500"));
    const auto& call = r.summary["aws_calls"][0];
    // The tasks took every request that was not refused before them: each made the call.
    CHECK(call["calls"].get<std::uint64_t>() == count(r.summary, "requests", "errors", "http_500"));
    CHECK(call["calls"].get<std::uint64_t>() ==
          n - count(r.summary, "requests", "in_flight_at_end"));
    CHECK(count(r.summary, "requests", "ok") == 0);
    const auto& verdict = call["principals"]["role/api-task"];
    CHECK(verdict["decision"] == "implicit deny");
    // AmazonS3ReadOnlyAccess allows s3:Get*, s3:List*: not PutObject.
    CHECK(verdict["statement"] == "implicit deny: no statement allows");
    REQUIRE(r.denied.size() == 1);
    CHECK(r.denied[0].subjects["principal"] == "role/api-task");
    CHECK(r.denied[0].subjects["instance"].get<std::string>().rfind("api-task-", 0) == 0);
}

TEST_CASE("s3 access: a key prefix with $, *, ? and quotes is matched literally by its ACL",
          "[iam][s3_access]") {
    using cloud::S3Request;
    // The object ACL's grant covers arn:aws:s3:::site/<prefix>*, the prefix's own *, ? and $
    // as characters: a GET of a key under it is allowed, one of a key the * would have
    // matched as a wildcard is not.
    std::string text = bucket_text(kUploaderPut, R"(a${x}*?\"b/)");
    text = with(text, "get_requests_from = \"anonymous\"",
                "get_requests_from = \"anonymous\"\nobject_acl = \"public-read\"");
    const Bucket b = run_bucket(text);
    CHECK(b.bucket->allowed(S3Request::GetObject));
    const auto spec = scenario::load_text(text, "s3-access.toml");
    const cloud::IamAccount account(spec);
    iam::Request r;
    r.caller = account.caller("anonymous");
    r.action = "s3:GetObject";
    r.resource = "arn:aws:s3:::site/a${x}ZZ?\"b/k";
    CHECK(account.check(r).kind == iam::DecisionKind::ImplicitDeny);
    r.resource = "arn:aws:s3:::site/a${x}*?\"b/k";
    CHECK(account.check(r).kind == iam::DecisionKind::Allowed);
}

// A presigned URL (S3 User Guide, "Sharing objects with presigned URLs"): the site's GETs,
// 1/s over the day (86,400), go through a URL user/alice (or role/uploader) signed; each is
// decided as the signer's request with s3:authType REST-QUERY-STRING and s3:signatureAge.
std::string presigned_text(const std::string& signer, long at, long expires_in,
                           const std::string& extra) {
    const std::string alice = R"([[iam_user]]
name = "alice"
[[iam_user_policy]]
name = "read"
user = "alice"
policy = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*"}]}'
[[iam_role_policy]]
name = "read"
role = "uploader"
policy = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*"}]}'
)";
    return with(bucket_text(kUploaderPut + alice + extra, "private/"),
                "get_requests_from = \"anonymous\"",
                "presigned_by = \"" + signer + "\"\npresigned_at = " + std::to_string(at) +
                    "\npresigned_expires_in = " + std::to_string(expires_in));
}

TEST_CASE("s3 access: a presigned URL works as its signer until it expires, then 403s",
          "[iam][s3_access]") {
    using cloud::S3Request;
    // Signed at the start for 6 h: 21,600 GETs answered (billed), 64,800 denied.
    const Bucket six = run_bucket(presigned_text("user/alice", 0, 21600, ""));
    CHECK(six.bucket->requests(S3Request::GetObject) == Approx(21600));
    CHECK(six.bucket->denied(S3Request::GetObject) == Approx(64800));
    CHECK(six.usage("Requests-Tier2") == Approx(21600));
    const auto& get = six.summary["s3_access"]["site"]["get_object"];
    CHECK(get["requester"] == "user/alice");
    CHECK(get["decision"] == "allowed");
    CHECK(get["valid_s"].get<double>() == Approx(21600));
    CHECK(get["expiry"] == "expired: X-Amz-Expires 21600 s after signing");

    // Signed 30 min before the run for 1 h: 1,800 s of it left.
    const Bucket before = run_bucket(presigned_text("user/alice", -1800, 3600, ""));
    CHECK(before.bucket->requests(S3Request::GetObject) == Approx(1800));
    CHECK(before.bucket->denied(S3Request::GetObject) == Approx(84600));

    // A role session signs with temporary credentials: the URL dies with them (1 h), though
    // X-Amz-Expires says 6 h.
    const Bucket role = run_bucket(presigned_text("role/uploader", 0, 21600, ""));
    CHECK(role.bucket->requests(S3Request::GetObject) == Approx(3600));
    CHECK(role.bucket->denied(S3Request::GetObject) == Approx(82800));
    CHECK(role.summary["s3_access"]["site"]["get_object"]["expiry"] ==
          "expired: the signer's role session credentials ended 1 h after signing");

    // The signer without the permission: every request through the URL is a 403.
    std::string no_policy = presigned_text("user/alice", 0, 21600, "");
    no_policy = with(no_policy,
                     "\"Action\": \"s3:GetObject\", \"Resource\": "
                     "\"arn:aws:s3:::site/*\"}]}'\n[[iam_role_policy]]",
                     "\"Action\": \"s3:ListBucket\", \"Resource\": "
                     "\"arn:aws:s3:::site\"}]}'\n[[iam_role_policy]]");
    const Bucket denied = run_bucket(no_policy);
    CHECK(denied.bucket->requests(S3Request::GetObject) == 0);
    CHECK(denied.bucket->denied(S3Request::GetObject) == Approx(86400));
    CHECK(denied.usage("Requests-Tier2") == -1);
    CHECK(denied.summary["s3_access"]["site"]["get_object"]["decision"] == "implicit deny");
}

TEST_CASE("s3 access: a bucket policy limits presigned URLs by s3:signatureAge and s3:authType",
          "[iam][s3_access]") {
    using cloud::S3Request;
    // "Deny when s3:signatureAge > 600000" (10 minutes, in ms): 600 of the 6 h URL's GETs.
    const Bucket ten = run_bucket(presigned_text("user/alice", 0, 21600, R"([[s3_bucket_policy]]
bucket = "site"
policy = '{"Version": "2012-10-17", "Statement": [{"Sid": "TenMinutes", "Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*", "Condition": {"NumericGreaterThan": {"s3:signatureAge": "600000"}}}]}'
)"));
    CHECK(ten.bucket->requests(S3Request::GetObject) == Approx(600));
    CHECK(ten.bucket->denied(S3Request::GetObject) == Approx(85800));
    const auto& get = ten.summary["s3_access"]["site"]["get_object"];
    CHECK(get["decision"] == "explicit deny");
    CHECK_THAT(get["statement"].get<std::string>(),
               Catch::Contains("TenMinutes") && Catch::Contains("from 600 s after signing"));
    // "Deny when s3:authType is REST-QUERY-STRING": no presigned URL works on this bucket.
    const Bucket none = run_bucket(presigned_text("user/alice", 0, 21600, R"([[s3_bucket_policy]]
bucket = "site"
policy = '{"Version": "2012-10-17", "Statement": [{"Sid": "NoPresigned", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::site/*", "Condition": {"StringEquals": {"s3:authType": "REST-QUERY-STRING"}}}]}'
)"));
    CHECK(none.bucket->denied(S3Request::GetObject) == Approx(86400));
    CHECK(none.summary["s3_access"]["site"]["get_object"]["decision"] == "explicit deny");
}

// The s3_request_denied events of a run: (time in s, request, decision, statement).
std::vector<testing::JsonEvent> s3_denials(const Bucket& b) {
    std::vector<testing::JsonEvent> out;
    for (const auto& e : testing::json_events(*b.run))
        if (e.type == "s3_request_denied") out.push_back(e);
    return out;
}

TEST_CASE("s3 access: the event log names a presigned URL's expiry, its age bound, a denial",
          "[iam][s3_access]") {
    // Signed at the start for 6 h: one event at 21,600 s, "expired", the PUTs allowed.
    const Bucket six = run_bucket(presigned_text("user/alice", 0, 21600, ""));
    auto ev = s3_denials(six);
    REQUIRE(ev.size() == 1);
    CHECK(to_seconds(ev[0].t) == Approx(21600));
    CHECK(ev[0].subjects["bucket"] == "site");
    CHECK(ev[0].subjects["request"] == "GetObject");
    CHECK(ev[0].subjects["requester"] == "user/alice");
    CHECK(ev[0].subjects["presigned"] == true);
    CHECK(ev[0].subjects["decision"] == "expired");
    CHECK(ev[0].subjects["statement"] == "expired: X-Amz-Expires 21600 s after signing");
    CHECK(ev[0].subjects["http_status"] == 403);

    // A role's URL dies with the session, at 1 h.
    ev = s3_denials(run_bucket(presigned_text("role/uploader", 0, 21600, "")));
    REQUIRE(ev.size() == 1);
    CHECK(to_seconds(ev[0].t) == Approx(3600));
    CHECK(ev[0].subjects["statement"] ==
          "expired: the signer's role session credentials ended 1 h after signing");

    // Expired 1,800 s before the run: denied from the start.
    ev = s3_denials(run_bucket(presigned_text("user/alice", -5400, 3600, "")));
    REQUIRE(ev.size() == 1);
    CHECK(ev[0].t == 0);
    CHECK(ev[0].subjects["decision"] == "expired");

    // "Deny when s3:signatureAge > 600000": the policy's Deny from 600 s, named.
    ev = s3_denials(run_bucket(presigned_text("user/alice", 0, 21600, R"([[s3_bucket_policy]]
bucket = "site"
policy = '{"Version": "2012-10-17", "Statement": [{"Sid": "TenMinutes", "Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*", "Condition": {"NumericGreaterThan": {"s3:signatureAge": "600000"}}}]}'
)")));
    REQUIRE(ev.size() == 1);
    CHECK(to_seconds(ev[0].t) == Approx(600));
    CHECK(ev[0].subjects["decision"] == "explicit deny");
    CHECK_THAT(ev[0].subjects["statement"].get<std::string>(),
               Catch::Contains("Sid \"TenMinutes\"") && Catch::Contains("from 600 s"));

    // Not presigned: the anonymous GETs under private/ and the role's PUTs without a policy
    // are denied from the start, one event per kind, in the order GET, PUT.
    ev = s3_denials(run_bucket(bucket_text(kPublicRead, "private/")));
    REQUIRE(ev.size() == 2);
    CHECK(ev[0].t == 0);
    CHECK(ev[0].subjects["request"] == "GetObject");
    CHECK(ev[0].subjects["requester"] == "anonymous");
    CHECK(ev[0].subjects["presigned"] == false);
    CHECK(ev[0].subjects["decision"] == "implicit deny");
    CHECK(ev[0].subjects["statement"] == "implicit deny: no statement allows");
    CHECK(ev[1].subjects["request"] == "PutObject");
    CHECK(ev[1].subjects["requester"] == "role/uploader");

    // Everything allowed: no event.
    CHECK(s3_denials(run_bucket(bucket_text(kPublicRead + kUploaderPut))).empty());
}

TEST_CASE("s3 access: a presigned URL over 7 days, or signed by nobody, is an error at its key",
          "[iam][s3_access]") {
    {
        const std::string text = presigned_text("user/alice", 0, 604801, "");
        const auto d = about(errors_of(text), "s3_bucket[site].presigned_expires_in");
        CHECK(d.pos.line == line_of(text, "presigned_expires_in"));
        CHECK(d.pos.column == 24);  // the value, after "presigned_expires_in = "
        CHECK(d.pos.file == "iam-run.toml");
    }
    {
        const std::string text = presigned_text("user/nobody", 0, 3600, "");
        const auto d = about(errors_of(text), "s3_bucket[site].presigned_by");
        CHECK(d.pos.line == line_of(text, "presigned_by"));
        CHECK(d.message.find("nobody") != std::string::npos);
    }
    {
        const std::string text = presigned_text("anonymous", 0, 3600, "");
        const auto d = about(errors_of(text), "s3_bucket[site].presigned_by");
        CHECK(d.message.find("no credentials to sign") != std::string::npos);
    }
}

}  // namespace test_iam_run
