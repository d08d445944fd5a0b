// The workloads' AWS calls (aws_calls.hpp).
#include "sim/cloud/aws_calls.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/cloud/events.hpp"
#include "sim/cloud/iam_account.hpp"

namespace stratus::cloud {
namespace {

std::string where(const iam::StatementRef& s) {
    switch (s.attachment) {
        case iam::Attachment::Inline:
            return fmt::format("inline policy \"{}\" of {}", s.policy, s.owner);
        case iam::Attachment::Managed:
            return fmt::format("customer managed policy \"{}\" attached to {}", s.policy, s.owner);
        case iam::Attachment::AwsManaged:
            return fmt::format("AWS managed policy \"{}\" attached to {}", s.policy, s.owner);
        case iam::Attachment::Resource:
            return fmt::format("{} on {}", s.policy, s.owner);
        case iam::Attachment::Organization:
            return fmt::format("{} \"{}\" attached to {}",
                               s.type == iam::PolicyType::ResourceControl ? "RCP" : "SCP", s.policy,
                               s.owner);
    }
    return s.policy;
}

// The statements that decided, or, for an implicit deny without one, the rule that did.
std::string decided_by(const iam::Decision& d) {
    std::string out;
    for (const auto& s : d.statements)
        out += fmt::format("{}{} {} of {} ({})", out.empty() ? "" : "; ", iam::to_string(s.effect),
                           s.label(), where(s), iam::to_string(s.type));
    if (!out.empty()) return out;
    switch (d.reason) {
        case iam::DecisionReason::NoScpAllows:
            return fmt::format("implicit deny: no SCP attached to {} allows it", d.scp_target);
        case iam::DecisionReason::NoRcpAllows:
            return fmt::format("implicit deny: no RCP attached to {} allows it", d.scp_target);
        case iam::DecisionReason::CrossAccountResourceDoesNotAllow:
            return "implicit deny: cross-account, no resource-based policy allows the caller";
        case iam::DecisionReason::CrossAccountIdentityDoesNotAllow:
            return "implicit deny: cross-account, no identity-based policy of the caller allows it";
        case iam::DecisionReason::BoundaryDoesNotAllow:
            return "implicit deny: the permissions boundary does not allow it";
        case iam::DecisionReason::SessionDoesNotAllow:
            return "implicit deny: the session policies do not allow it";
        case iam::DecisionReason::RootCannotAssumeRole:
            return "implicit deny: the root user cannot call sts:AssumeRole";
        default:
            return "implicit deny: no statement allows";
    }
}

// The principal of an instance profile or task role as IamAccount names it.
std::string task_role(const std::string& arn) {
    return "role/" + arn.substr(arn.rfind('/') + 1);
}

}  // namespace

AwsCalls::AwsCalls(const scenario::Spec& spec, RunObserver& observer)
    : spec_(spec), observer_(observer) {
    principals_.push_back("");
    for (const auto& lt : spec_.launch_template)
        none_possible_ = none_possible_ || lt.iam_instance_profile.empty();
    for (const auto& td : spec_.ecs_task_definition)
        none_possible_ = none_possible_ || td.task_role_arn.empty();
    auto add = [&](std::string p) {
        if (std::find(principals_.begin(), principals_.end(), p) == principals_.end())
            principals_.push_back(std::move(p));
    };
    for (const auto& lt : spec_.launch_template)
        if (!lt.iam_instance_profile.empty()) add("instance-profile/" + lt.iam_instance_profile);
    for (const auto& td : spec_.ecs_task_definition)
        if (!td.task_role_arn.empty()) add(task_role(td.task_role_arn));

    const IamAccount account(spec_);
    calls_.resize(spec_.workload.size());
    for (std::size_t w = 0; w < spec_.workload.size(); ++w) {
        for (const auto& c : spec_.workload[w].aws_call) {
            any_ = true;
            Call call;
            call.spec = &c;
            call.step = static_cast<std::uint64_t>(std::llround(c.fraction * kOne));
            call.logged.assign(principals_.size(), false);
            for (const auto& p : principals_) {
                AwsCallVerdict v;
                if (p.empty()) {
                    v.decision = "no credentials";
                    v.statement =
                        "the application has no instance profile or task role: its AWS SDK "
                        "finds no credentials and makes no call";
                    call.verdicts.push_back(std::move(v));
                    continue;
                }
                iam::Request r;
                r.caller = account.caller(p);
                r.action = c.action;
                r.resource = c.resource;
                r.context = account.context(r.caller, r.action);
                const iam::Decision d = account.check(r);
                v.allowed = d.kind == iam::DecisionKind::Allowed;
                v.decision = iam::to_string(d.kind);
                v.role_arn = r.caller.role_arn;
                v.statement = decided_by(d);
                call.verdicts.push_back(std::move(v));
            }
            calls_[w].push_back(std::move(call));
        }
    }
}

namespace {

// A presigned URL of the bucket: its signer, when it was signed (seconds from the run's start)
// and its X-Amz-Expires.
struct PresignedUrl {
    const std::string& by;
    std::int64_t at, expires_in;
    const char* action;
};

// When the URL's requests are first denied, and why: at its expiry, at the first minute the
// policies refuse, or from the start.
void first_denial(SimTime end, bool expired_before, S3RequestAccess& a) {
    if (expired_before) {
        a.denied_from = 0;
        a.denied_decision = "expired";
        a.denied_statement = a.expiry;
        return;
    }
    const bool at_start = a.valid.empty() || a.valid.front().first > 0;
    a.denied_from = at_start ? 0 : a.valid.front().second;
    if (!at_start && a.denied_from == end) {
        a.denied_decision = "expired";
        a.denied_statement = a.expiry;
        return;
    }
    a.denied_decision = a.decision;
    a.denied_statement = a.statement;
}

// The requests through one of the bucket's presigned URLs: the signer's request with
// s3:authType REST-QUERY-STRING and s3:signatureAge, decided for each minute from the run's
// start until the URL expires (X-Amz-Expires after signing, or when a role session's
// credentials end, 1 h), merged into the spans it is allowed in. At most 7 days: 10,080
// decisions, once per run.
void decide_presigned(const IamAccount& account, const PresignedUrl& u, const std::string& key,
                      S3RequestAccess& a) {
    iam::Request r;
    r.caller = account.caller(u.by);
    r.action = u.action;
    r.resource = key;
    r.context = account.context(r.caller, r.action);
    r.context.set("s3:authType", {"REST-QUERY-STRING"});
    const SimTime signed_at = from_seconds(static_cast<double>(u.at));
    SimTime end = signed_at + from_seconds(static_cast<double>(u.expires_in));
    a.expiry = fmt::format("expired: X-Amz-Expires {} s after signing", u.expires_in);
    const bool session = r.caller.kind == iam::Caller::Kind::RoleSession;
    if (session && signed_at + kPresignedSessionDuration < end) {
        end = signed_at + kPresignedSessionDuration;
        a.expiry = "expired: the signer's role session credentials ended 1 h after signing";
    }
    a.presigned = true;
    a.checked = true;
    a.requester = u.by;
    a.action = r.action;
    a.resource = key;
    bool first = true;
    for (SimTime t = 0; t < end; t = std::min(end, t + kMinute)) {
        // Each minute by its middle: a condition's bound on whole minutes falls between two.
        const SimTime to = std::min(end, t + kMinute), mid = t + (to - t) / 2;
        r.context.set("s3:signatureAge", {std::to_string((mid - signed_at) / kMillisecond)});
        const iam::Decision d = account.check(r);
        const bool allowed = d.kind == iam::DecisionKind::Allowed;
        if (allowed && !a.valid.empty() && a.valid.back().second == t)
            a.valid.back().second = to;
        else if (allowed)
            a.valid.emplace_back(t, to);
        if (first || (!allowed && a.allowed)) {
            a.allowed = allowed;  // at the start, or the first denial
            a.decision = iam::to_string(d.kind);
            a.statement = decided_by(d);
            if (!first)
                a.statement += fmt::format(" (from {} s after signing)", to_seconds(t - signed_at));
        }
        first = false;
    }
    if (first) {  // expired before the run began
        a.allowed = false;
        a.decision = "expired";
        a.statement = a.expiry;
    }
    first_denial(end, first, a);
}

}  // namespace

S3Access decide_s3_access(const IamAccount& account, const scenario::S3BucketSpec& b) {
    S3Access out;
    const std::string arn = "arn:aws:s3:::" + b.name;
    const std::string key = arn + "/" + b.key_prefix + "object";
    const struct {
        S3Request kind;
        const std::string& from;
        bool sent;  // the bucket has requests of this kind
        const char* action;
        const std::string& resource;
    } kinds[] = {
        {S3Request::GetObject, b.get_requests_from, b.get_requests_per_day > 0, "s3:GetObject",
         key},
        {S3Request::PutObject, b.put_requests_from,
         b.objects_per_day > 0 || b.growth_gb_per_day > 0, "s3:PutObject", key},
        {S3Request::ListBucket, b.get_requests_from, b.list_requests_per_day > 0, "s3:ListBucket",
         arn},
    };
    for (const auto& k : kinds) {
        S3RequestAccess& a = out[static_cast<int>(k.kind)];
        // The GETs through presigned_by's URL, the PUTs through presigned_put_by's.
        if (k.kind == S3Request::GetObject && !b.presigned_by.empty()) {
            const PresignedUrl url{b.presigned_by, b.presigned_at, b.presigned_expires_in,
                                   "s3:GetObject"};
            if (k.sent) decide_presigned(account, url, key, a);
            continue;
        }
        if (k.kind == S3Request::PutObject && !b.presigned_put_by.empty()) {
            const PresignedUrl url{b.presigned_put_by, b.presigned_put_at,
                                   b.presigned_put_expires_in, "s3:PutObject"};
            if (k.sent) decide_presigned(account, url, key, a);
            continue;
        }
        if (k.from.empty() || !k.sent) continue;
        iam::Request r;
        r.caller = account.caller(k.from);
        r.action = k.action;
        r.resource = k.resource;
        r.context = account.context(r.caller, r.action);
        const iam::Decision d = account.check(r);
        a.checked = true;
        a.allowed = d.kind == iam::DecisionKind::Allowed;
        a.requester = k.from;
        a.action = k.action;
        a.resource = k.resource;
        a.decision = iam::to_string(d.kind);
        a.statement = decided_by(d);
        if (!a.allowed) {
            a.denied_from = 0;
            a.denied_decision = a.decision;
            a.denied_statement = a.statement;
        }
    }
    return out;
}

void S3DenialLog::start(Simulation& sim, RunObserver& observer,
                        const std::vector<S3Bucket>& buckets, SimTime horizon) {
    observer_ = &observer;
    buckets_ = &buckets;
    for (std::size_t i = 0; i < buckets.size(); ++i)
        for (int k = 0; k < kS3RequestKinds; ++k) {
            const S3RequestAccess& a = buckets[i].access(static_cast<S3Request>(k));
            if (a.checked && a.denied_from >= 0 && a.denied_from < horizon)
                sim.schedule_at(a.denied_from, this, 0,
                                static_cast<std::uint32_t>(i * kS3RequestKinds + k));
        }
}

void S3DenialLog::on_event(const Event& e) {
    const S3Bucket& b = (*buckets_)[e.arg / kS3RequestKinds];
    const auto kind = static_cast<S3Request>(e.arg % kS3RequestKinds);
    const S3RequestAccess& a = b.access(kind);
    static const char* const kNames[] = {"GetObject", "PutObject", "ListBucket"};
    observer_->log(e.time, event::S3RequestDenied{b.name(), kNames[static_cast<int>(kind)],
                                                  a.requester, a.presigned, a.resource,
                                                  a.denied_decision, a.denied_statement, 403});
}

int AwsCalls::principal_index(const std::string& principal) const {
    const auto it = std::find(principals_.begin(), principals_.end(), principal);
    return it == principals_.end() ? -1 : static_cast<int>(it - principals_.begin());
}

bool AwsCalls::serve(std::size_t w, int principal, const std::string& instance, SimTime now) {
    bool denied = false;
    for (Call& c : calls_[w]) {
        c.owed += c.step;
        if (c.owed < kOne) continue;
        c.owed -= kOne;
        ++c.counts.calls;
        const auto p = static_cast<std::size_t>(principal);
        if (c.verdicts[p].allowed) continue;
        ++c.counts.denied;
        denied = true;
        if (c.logged[p]) continue;
        c.logged[p] = true;
        const AwsCallVerdict& v = c.verdicts[p];
        observer_.log(now, event::AwsCallDenied{spec_.workload[w].name,
                                                principals_[p].empty() ? "none" : principals_[p],
                                                v.role_arn, c.spec->action, c.spec->resource,
                                                v.decision, v.statement, instance, 500});
    }
    return denied;
}

}  // namespace stratus::cloud
