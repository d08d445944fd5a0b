// `stratus iam check` (iam_cli.hpp): the decision and the statements that made it, in
// English or in Korean with the AWS Korea console's terms (docs/glossary.md).
#include "sim/cli/iam_cli.hpp"
#include "sim/cli/exit_status.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>

#include <fmt/format.h>

#include "sim/cloud/iam_account.hpp"
#include "sim/scenario/diagnostic.hpp"
#include "sim/scenario/loader.hpp"

namespace stratus::cli {
namespace {

using iam::DecisionKind;
using iam::DecisionReason;
using iam::PolicyType;

struct Words {
    bool ko;
    const char* kind(DecisionKind k) const {
        switch (k) {
            case DecisionKind::Allowed:
                return ko ? "허용됨" : "allowed";
            case DecisionKind::ImplicitDeny:
                return ko ? "암시적 거부" : "implicit deny";
            case DecisionKind::ExplicitDeny:
                return ko ? "명시적 거부" : "explicit deny";
        }
        return "?";
    }
    const char* type(PolicyType t) const {
        switch (t) {
            case PolicyType::ServiceControl:
                return ko ? "서비스 제어 정책(SCP)" : "SCP";
            case PolicyType::ResourceControl:
                return ko ? "리소스 제어 정책(RCP)" : "RCP";
            case PolicyType::ResourceBased:
                return ko ? "리소스 기반 정책" : "resource-based policy";
            case PolicyType::PermissionsBoundary:
                return ko ? "권한 경계" : "permissions boundary";
            case PolicyType::Session:
                return ko ? "세션 정책" : "session policy";
            case PolicyType::Identity:
                return ko ? "자격 증명 기반 정책" : "identity-based policy";
        }
        return "?";
    }
    std::string where(const iam::StatementRef& s) const {
        switch (s.attachment) {
            case iam::Attachment::Inline:
                return ko ? fmt::format("{}의 인라인 정책", s.owner)
                          : fmt::format("inline policy of {}", s.owner);
            case iam::Attachment::Managed:
                return ko ? fmt::format("{}에 연결된 고객 관리형 정책", s.owner)
                          : fmt::format("customer managed policy attached to {}", s.owner);
            case iam::Attachment::AwsManaged:
                return ko ? fmt::format("{}에 연결된 AWS 관리형 정책", s.owner)
                          : fmt::format("AWS managed policy attached to {}", s.owner);
            case iam::Attachment::Resource:
                return ko ? fmt::format("리소스 {}", s.owner) : fmt::format("on {}", s.owner);
            case iam::Attachment::Organization:
                return ko ? fmt::format("{}에 연결됨", s.owner)
                          : fmt::format("attached to {}", s.owner);
        }
        return "";
    }
    std::string statement(const iam::StatementRef& s) const {
        const std::string label = s.sid.empty()
                                      ? fmt::format(ko ? "문 {}" : "statement {}", s.index + 1)
                                      : fmt::format("Sid \"{}\"", s.sid);
        return fmt::format("{} \"{}\" ({}), {} ({})", type(s.type), s.policy, where(s), label,
                           iam::to_string(s.effect));
    }
};

// Why an implicit deny has no statement to show.
std::string implicit_reason(const iam::Decision& d, const Words& w, const std::string& who) {
    switch (d.reason) {
        case DecisionReason::NoScpAllows:
            return w.ko ? fmt::format("{}에 연결된 SCP 중 이 요청을 허용하는 문이 없습니다",
                                      d.scp_target)
                        : fmt::format("no SCP attached to {} allows it", d.scp_target);
        case DecisionReason::NoRcpAllows:
            return w.ko ? fmt::format("{}에 연결된 RCP 중 이 요청을 허용하는 문이 없습니다",
                                      d.scp_target)
                        : fmt::format("no RCP attached to {} allows it", d.scp_target);
        case DecisionReason::CrossAccountResourceDoesNotAllow:
            return w.ko ? "교차 계정 요청: 리소스 기반 정책이 이 보안 주체나 그 계정을 허용하지 "
                          "않습니다"
                        : "a cross-account request: no resource-based policy of the resource's "
                          "account allows this principal or its account";
        case DecisionReason::CrossAccountIdentityDoesNotAllow:
            return w.ko ? "교차 계정 요청: 리소스 기반 정책은 허용하지만 보안 주체 계정의 자격 "
                          "증명 기반 정책이 허용하지 않습니다"
                        : "a cross-account request: the resource-based policy allows it, but no "
                          "identity-based policy of the principal's account does";
        case DecisionReason::BoundaryDoesNotAllow:
            return w.ko ? fmt::format("{}의 권한 경계에 이 요청을 허용하는 문이 없습니다", who)
                        : fmt::format("the permissions boundary of {} does not allow it", who);
        case DecisionReason::TrustPolicyDoesNotAllow:
            return w.ko ? "역할의 신뢰 정책이 이 보안 주체의 역할 수임을 허용하지 않습니다"
                        : "the role's trust policy does not let this principal assume it";
        case DecisionReason::RootCannotAssumeRole:
            return w.ko ? "루트 사용자 자격 증명으로는 역할을 수임할 수 없습니다(STS AssumeRole)"
                        : "the root user cannot call sts:AssumeRole: STS refuses its credentials";
        case DecisionReason::SessionDoesNotAllow:
            return w.ko ? "세션 정책에 이 요청을 허용하는 문이 없습니다"
                        : "no session policy allows it";
        default:
            return w.ko ? "이 요청을 허용하는 문이 없습니다" : "no statement allows it";
    }
}

std::string now_iso8601(std::chrono::system_clock::time_point now) {
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// A request a service makes with the caller's credentials (--context aws:CalledVia=SERVICE,
// in the order the services called): AWS sets aws:ViaAWSService to true and
// aws:CalledViaFirst / aws:CalledViaLast to the chain's ends, unless given.
void called_via(iam::RequestContext& context, const std::vector<std::string>& given) {
    const auto* chain = context.find("aws:CalledVia");
    if (!chain || chain->empty()) return;
    const auto unset = [&](const char* key) {
        return std::find(given.begin(), given.end(), iam::to_lower(key)) == given.end();
    };
    const std::string first = chain->front(), last = chain->back();
    if (unset("aws:ViaAWSService")) context.set("aws:ViaAWSService", {"true"});
    if (unset("aws:CalledViaFirst")) context.set("aws:CalledViaFirst", {first});
    if (unset("aws:CalledViaLast")) context.set("aws:CalledViaLast", {last});
}

// The request: the caller's context from the scenario, then --context (a key given replaces
// the scenario's values; given twice, it holds both values).
iam::Request build_request(const cloud::IamAccount& account, const IamCheckOptions& o) {
    iam::Request r;
    r.caller = account.caller(o.principal);
    r.action = o.action;
    r.resource = o.resource;
    r.context = account.context(r.caller, r.action);
    const auto now = std::chrono::system_clock::now();
    r.context.set("aws:CurrentTime", {now_iso8601(now)});
    // A role session signs with temporary credentials: aws:TokenIssueTime is in its context
    // (a session issued now), and never in an IAM user's (long-term access keys).
    if (r.caller.kind == iam::Caller::Kind::RoleSession)
        r.context.set("aws:TokenIssueTime", {now_iso8601(now)});
    r.context.set(
        "aws:EpochTime",
        {std::to_string(
            std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count())});
    std::vector<std::string> given;
    if (o.expires_in >= 0 || o.signature_age >= 0) {
        r.context.set("s3:authType", {"REST-QUERY-STRING"});
        r.context.set("s3:signatureAge", {std::to_string(std::max(0LL, o.signature_age) * 1000)});
    }
    for (const auto& kv : o.context) {
        const auto eq = kv.find('=');
        if (eq == std::string::npos || eq == 0)
            throw std::invalid_argument(
                fmt::format("--context {}: expected KEY=VALUE (aws:SourceIp=203.0.113.7)", kv));
        const std::string key = kv.substr(0, eq);
        if (std::find(given.begin(), given.end(), iam::to_lower(key)) == given.end()) {
            r.context.erase(key);
            given.push_back(iam::to_lower(key));
        }
        r.context.add(key, kv.substr(eq + 1));
    }
    called_via(r.context, given);
    return r;
}

// A presigned URL's request after its expiry: S3 answers 403 AccessDenied ("Request has
// expired") before it evaluates a policy. It expires X-Amz-Expires after signing, or when the
// credentials that signed it do: a role session's last 1 h (AssumeRole's default).
bool presigned_expired(const iam::Request& r, const IamCheckOptions& o, const Words& w) {
    if (o.expires_in < 0 && o.signature_age < 0) return false;
    const long long expires = o.expires_in < 0 ? 3600 : o.expires_in;
    const long long age = std::max(0LL, o.signature_age);
    const bool session = r.caller.kind == iam::Caller::Kind::RoleSession;
    const long long end = session ? std::min(expires, 3600LL) : expires;
    if (age < end) return false;
    std::cout << fmt::format(w.ko ? "만료됨: {}의 {} 요청, 리소스 {}\n" : "expired: {} {} on {}\n",
                             o.principal, o.action, o.resource);
    const std::string why =
        end < expires ? fmt::format(w.ko ? "서명한 역할 세션의 자격 증명이 {}초 후 만료됨"
                                         : "the signing role session's credentials ended {} s "
                                           "after signing",
                                    end)
                      : fmt::format("X-Amz-Expires {} s", expires);
    std::cout << fmt::format(w.ko ? "  서명 후 {}초: {} (403 AccessDenied, Request has expired)\n"
                                  : "  {} s after signing: {} (403 AccessDenied, Request has "
                                    "expired)\n",
                             age, why);
    return true;
}

// --session-policy: JSON text or file://PATH, each parsed as IAM parses AssumeRole's Policy
// (an identity-based document). Only a role session has session policies here (AssumeRole,
// AssumeRoleWithWebIdentity and AssumeRoleWithSAML take them; GetFederationToken's federated
// users are not modelled).
std::vector<iam::PolicyDocument> session_policies(const iam::Request& r, const IamCheckOptions& o) {
    std::vector<iam::PolicyDocument> out;
    if (o.session_policies.empty()) return out;
    if (r.caller.kind != iam::Caller::Kind::RoleSession)
        throw std::invalid_argument(fmt::format(
            "--session-policy: {} is not a role session; session policies are passed when a "
            "role is assumed (--principal role/NAME or instance-profile/NAME)",
            o.principal));
    for (std::size_t i = 0; i < o.session_policies.size(); ++i) {
        std::string text = o.session_policies[i];
        if (text.rfind("file://", 0) == 0) {
            std::ifstream in(text.substr(7));
            if (!in)
                throw std::invalid_argument(
                    fmt::format("--session-policy {}: cannot read {}", i + 1, text.substr(7)));
            text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        }
        try {
            out.push_back(iam::parse_policy(text, iam::PolicyKind::Identity));
        } catch (const iam::PolicyError& e) {
            throw std::invalid_argument(fmt::format("--session-policy {}: {}", i + 1, e.what()));
        }
    }
    return out;
}

}  // namespace

CLI::App* add_iam_command(CLI::App& app, IamCheckOptions& o) {
    auto* iam_cmd = app.add_subcommand("iam", "IAM policy evaluation (docs/iam.md)");
    iam_cmd->require_subcommand(1);
    o.check = iam_cmd->add_subcommand(
        "check",
        "allowed, implicit deny or explicit deny for one request, and the statement "
        "that decided (exit 0 allowed, 1 denied)");
    o.check->add_option("FILE", o.file, "scenario file (TOML)")->required();
    o.check->add_option("--set", o.sets, "override a setting: PATH=VALUE (repeatable)")
        ->type_name("PATH=VALUE")
        ->allow_extra_args(false);
    o.check
        ->add_option("--principal", o.principal,
                     "user/NAME, role/NAME, instance-profile/NAME, anonymous, root, "
                     "root/ACCOUNT, service/NAME or federated/PROVIDER")
        ->required();
    o.check->add_option("--action", o.action, "the action, e.g. s3:GetObject")->required();
    o.check->add_option("--resource", o.resource, "the resource's ARN (default: *)");
    o.check
        ->add_option("--context", o.context,
                     "a condition key's value: KEY=VALUE, e.g. aws:MultiFactorAuthPresent=true "
                     "(repeatable; a key twice holds both values)")
        ->type_name("KEY=VALUE")
        ->allow_extra_args(false);
    o.check
        ->add_option("--expires-in", o.expires_in,
                     "a presigned URL's request: its X-Amz-Expires in seconds (1 to 604800; "
                     "default 3600)")
        ->check(CLI::Range(1LL, 604800LL));
    o.check
        ->add_option("--signature-age", o.signature_age,
                     "a presigned URL's request made this many seconds after signing "
                     "(s3:signatureAge; default 0)")
        ->check(CLI::Range(0LL, 100LL * 365 * 86400));
    o.check
        ->add_option("--session-policy", o.session_policies,
                     "a session policy of the role session, as AssumeRole's --policy: JSON or "
                     "file://PATH (repeatable); the session gets what both it and the role's "
                     "policies allow")
        ->type_name("JSON")
        ->allow_extra_args(false);
    o.check->add_option("--account", o.account,
                        "the account id in the ARNs of the scenario's users and roles "
                        "(default: 123456789012)");
    o.check->add_option("--lang", o.lang, "en or ko")->check(CLI::IsMember({"en", "ko"}));
    return o.check;
}

int run_iam_check(const IamCheckOptions& o) {
    std::vector<scenario::Diagnostic> warnings;
    const auto spec = scenario::load_file(o.file, o.sets, &warnings);
    for (const auto& d : warnings)
        std::cerr << d.format() << '\n';
    const cloud::IamAccount account(
        spec, o.account.empty() ? cloud::IamAccount::kDefaultAccountId : o.account);
    iam::Request request;
    std::vector<iam::PolicyDocument> session;
    try {
        request = build_request(account, o);
        session = session_policies(request, o);
    } catch (const std::invalid_argument& e) {
        std::cerr << "stratus iam check: error: " << e.what() << '\n';
        return kExitUsage;
    }
    const Words w{o.lang == "ko"};
    if (presigned_expired(request, o, w)) return kExitFailure;
    const iam::Decision d = account.check(request, session);
    std::cout << fmt::format(w.ko ? "{}: {}의 {} 요청, 리소스 {}\n" : "{}: {} {} on {}\n",
                             w.kind(d.kind), o.principal, o.action, o.resource);
    const char* lead = d.kind == DecisionKind::Allowed ? (w.ko ? "허용한 문" : "allowed by")
                                                       : (w.ko ? "거부한 문" : "denied by");
    for (std::size_t i = 0; i < d.statements.size(); ++i) {
        // The boundary's, session policies', SCPs' and RCPs' Allows let the grant through; a
        // cross-account grant is the resource-based and the identity-based policy's both.
        const PolicyType t = d.statements[i].type;
        const bool limit = d.kind == DecisionKind::Allowed && i > 0 &&
                           (t == PolicyType::PermissionsBoundary || t == PolicyType::Session ||
                            t == PolicyType::ServiceControl || t == PolicyType::ResourceControl);
        std::cout << fmt::format("  {}: {}\n", limit ? (w.ko ? "범위 안에서" : "within") : lead,
                                 w.statement(d.statements[i]));
    }
    if (d.statements.empty()) std::cout << "  " << implicit_reason(d, w, o.principal) << '\n';
    return d.kind == DecisionKind::Allowed ? kExitOk : kExitFailure;
}

}  // namespace stratus::cli
