// The evaluation logic of evaluate.hpp, rule by rule (docs/iam.md, "Evaluation").
#include "sim/iam/evaluate.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/iam/condition.hpp"

namespace stratus::iam {
namespace {

// How a Principal entry names the caller. Within one account, naming the account (its
// 12 digits or arn:aws:iam::ACCOUNT:root) delegates to the account's identity-based policies
// and grants nothing by itself; naming the caller grants; naming a session's role grants
// within the role's permissions boundary.
enum class PrincipalMatch { None, Account, RoleArn, Caller };

PrincipalMatch entry_match(const PrincipalEntry& e, const Caller& c) {
    if (e.type == "*") return PrincipalMatch::Caller;
    if (e.type == "Service")
        return c.kind == Caller::Kind::Service && e.value == c.arn ? PrincipalMatch::Caller
                                                                   : PrincipalMatch::None;
    if (e.type != "AWS" || c.kind == Caller::Kind::Service) return PrincipalMatch::None;
    if (c.kind == Caller::Kind::Anonymous)
        return e.value == "*" ? PrincipalMatch::Caller : PrincipalMatch::None;
    if (e.value == "*" || e.value == c.arn) return PrincipalMatch::Caller;
    if (c.kind == Caller::Kind::RoleSession && e.value == c.role_arn)
        return PrincipalMatch::RoleArn;
    if (e.value == c.account || e.value == "arn:aws:iam::" + c.account + ":root")
        return PrincipalMatch::Account;
    return PrincipalMatch::None;
}

PrincipalMatch principal_match(const Statement& s, const Caller& c) {
    if (!s.has_principal) return PrincipalMatch::Caller;  // identity-based: the caller's own
    PrincipalMatch best = PrincipalMatch::None;
    bool names_self = false, names_role = false, names_account = false;
    for (const auto& e : s.principals) {
        const auto m = entry_match(e, c);
        best = std::max(best, m);
        if (e.type != "*" && e.value != "*") {
            names_self |= m == PrincipalMatch::Caller;
            names_role |= m == PrincipalMatch::RoleArn;
        }
        names_account |= m == PrincipalMatch::Account;
    }
    if (!s.not_principal) return best;
    // NotPrincipal: every principal but the ones listed. AWS may check the account, then the
    // role, then the session ("NotPrincipal"), so a caller is left out only when every one of
    // them is listed: a user's ARN and its account; a role session's ARN, its role's ARN and
    // the account (the role's ARN alone does not leave its sessions out). A Deny with
    // NotPrincipal always applies to a caller with a permissions boundary ("Permissions
    // boundaries for IAM entities").
    if (s.effect == Effect::Deny && c.has_permissions_boundary) return PrincipalMatch::Caller;
    if (c.kind == Caller::Kind::Service)
        return names_self ? PrincipalMatch::None : PrincipalMatch::Caller;
    const bool left_out =
        names_self && names_account && (c.kind != Caller::Kind::RoleSession || names_role);
    return left_out ? PrincipalMatch::None : PrincipalMatch::Caller;
}

bool action_applies(const Statement& s, const std::string& action) {
    const bool any = std::any_of(s.actions.begin(), s.actions.end(),
                                 [&](const std::string& p) { return action_matches(p, action); });
    return s.not_action ? !any : any;
}

bool resource_applies(const Statement& s, const PolicyDocument& d, const Request& r) {
    if (!s.has_resource) return true;
    const bool any = std::any_of(s.resources.begin(), s.resources.end(), [&](const auto& p) {
        const auto pattern = substitute(p, r.context, d.substitutes_variables());
        return pattern && arn_matches(*pattern, r.resource);
    });
    return s.not_resource ? !any : any;
}

StatementRef ref_of(const AppliedPolicy& p, const Statement& s) {
    return {p.type, p.name, p.attachment, p.owner, s.index, s.sid, s.effect};
}

struct Matched {
    const AppliedPolicy* policy;
    const Statement* statement;
    PrincipalMatch principal;
};

// Every statement of the given type and effect that applies.
// `scp_target`: only the SCPs attached there.
std::vector<Matched> matching(const std::vector<AppliedPolicy>& policies, PolicyType type,
                              Effect effect, const Request& r,
                              const std::string* scp_target = nullptr) {
    std::vector<Matched> out;
    for (const auto& p : policies) {
        if (p.type != type || !p.document || (scp_target && p.owner != *scp_target)) continue;
        for (const auto& s : p.document->statements) {
            if (s.effect != effect || !action_applies(s, r.action) ||
                !resource_applies(s, *p.document, r))
                continue;
            const auto who = principal_match(s, r.caller);
            if (who == PrincipalMatch::None) continue;
            if (!conditions_hold(s.conditions, r.context, p.document->substitutes_variables()))
                continue;
            out.push_back({&p, &s, who});
        }
    }
    return out;
}

bool has_type(const std::vector<AppliedPolicy>& policies, PolicyType type) {
    return std::any_of(policies.begin(), policies.end(),
                       [&](const AppliedPolicy& p) { return p.type == type; });
}

void append(std::vector<StatementRef>& out, const std::vector<Matched>& ms) {
    for (const auto& m : ms)
        out.push_back(ref_of(*m.policy, *m.statement));
}

Decision decided(DecisionKind kind, DecisionReason reason) {
    Decision d;
    d.kind = kind;
    d.reason = reason;
    return d;
}

// Rule 2: each organization level (SCP target) needs an Allow of its own. Returns the first
// level without one, or "" with the Allows found.
std::string scp_gap(const std::vector<AppliedPolicy>& policies, const Request& r,
                    std::vector<Matched>& allows) {
    std::vector<std::string> targets;
    for (const auto& p : policies)
        if (p.type == PolicyType::ServiceControl &&
            std::find(targets.begin(), targets.end(), p.owner) == targets.end())
            targets.push_back(p.owner);
    for (const auto& t : targets) {
        const auto found = matching(policies, PolicyType::ServiceControl, Effect::Allow, r, &t);
        if (found.empty()) return t.empty() ? "the account" : t;
        allows.insert(allows.end(), found.begin(), found.end());
    }
    return "";
}

}  // namespace

bool statement_applies(const Statement& s, const PolicyDocument& d, const Request& r) {
    return action_applies(s, r.action) && resource_applies(s, d, r) &&
           principal_match(s, r.caller) != PrincipalMatch::None &&
           conditions_hold(s.conditions, r.context, d.substitutes_variables());
}

// One rule after the other, as evaluate.hpp lists them.
Decision evaluate(const Request& r, const std::vector<AppliedPolicy>& policies) {
    std::vector<Matched> denies;
    for (auto type : {PolicyType::ServiceControl, PolicyType::ResourceBased,
                      PolicyType::PermissionsBoundary, PolicyType::Session, PolicyType::Identity}) {
        auto d = matching(policies, type, Effect::Deny, r);
        denies.insert(denies.end(), d.begin(), d.end());
    }
    if (!denies.empty()) {
        Decision d = decided(DecisionKind::ExplicitDeny, DecisionReason::DenyStatement);
        append(d.statements, denies);
        return d;
    }
    std::vector<Matched> scp_allows;
    if (auto gap = scp_gap(policies, r, scp_allows); !gap.empty()) {
        Decision d = decided(DecisionKind::ImplicitDeny, DecisionReason::NoScpAllows);
        d.scp_target = gap;
        return d;
    }
    std::vector<Matched> direct, via_role;
    for (const auto& m : matching(policies, PolicyType::ResourceBased, Effect::Allow, r)) {
        if (m.principal == PrincipalMatch::Caller) direct.push_back(m);
        if (m.principal == PrincipalMatch::RoleArn) via_role.push_back(m);
    }
    if (!direct.empty()) {
        Decision d = decided(DecisionKind::Allowed, DecisionReason::ResourcePolicyAllows);
        append(d.statements, direct);
        append(d.statements, scp_allows);
        return d;
    }
    std::vector<Matched> limits;  // the boundary's and session policies' Allows
    for (auto [type, reason] :
         {std::pair{PolicyType::PermissionsBoundary, DecisionReason::BoundaryDoesNotAllow},
          std::pair{PolicyType::Session, DecisionReason::SessionDoesNotAllow}}) {
        if (!has_type(policies, type)) continue;
        auto allows = matching(policies, type, Effect::Allow, r);
        if (allows.empty()) return decided(DecisionKind::ImplicitDeny, reason);
        limits.insert(limits.end(), allows.begin(), allows.end());
    }
    const auto identity = matching(policies, PolicyType::Identity, Effect::Allow, r);
    const bool by_role = !via_role.empty();
    if (!by_role && identity.empty())
        return decided(DecisionKind::ImplicitDeny, DecisionReason::NoStatementAllows);
    Decision d = decided(DecisionKind::Allowed, by_role ? DecisionReason::ResourcePolicyAllows
                                                        : DecisionReason::IdentityAllows);
    append(d.statements, by_role ? via_role : identity);
    append(d.statements, limits);
    append(d.statements, scp_allows);
    return d;
}

std::string StatementRef::label() const {
    return sid.empty() ? fmt::format("statement {}", index + 1) : fmt::format("Sid \"{}\"", sid);
}

const char* to_string(DecisionKind kind) {
    switch (kind) {
        case DecisionKind::Allowed:
            return "allowed";
        case DecisionKind::ImplicitDeny:
            return "implicit deny";
        case DecisionKind::ExplicitDeny:
            return "explicit deny";
    }
    return "?";
}

const char* to_string(PolicyType type) {
    switch (type) {
        case PolicyType::ServiceControl:
            return "service control policy";
        case PolicyType::ResourceBased:
            return "resource-based policy";
        case PolicyType::PermissionsBoundary:
            return "permissions boundary";
        case PolicyType::Session:
            return "session policy";
        case PolicyType::Identity:
            return "identity-based policy";
    }
    return "?";
}

}  // namespace stratus::iam
