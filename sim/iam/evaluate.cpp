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
    using K = Caller::Kind;
    if (e.type == "*") return PrincipalMatch::Caller;
    if (e.type == "Service" || e.type == "Federated") {
        const K kind = e.type == "Service" ? K::Service : K::Federated;
        return c.kind == kind && e.value == c.arn ? PrincipalMatch::Caller : PrincipalMatch::None;
    }
    if (e.type != "AWS" || c.kind == K::Service || c.kind == K::Federated)
        return PrincipalMatch::None;
    if (c.kind == K::Anonymous)
        return e.value == "*" ? PrincipalMatch::Caller : PrincipalMatch::None;
    if (e.value == "*" || e.value == c.arn) return PrincipalMatch::Caller;
    if (c.kind == K::RoleSession && e.value == c.role_arn) return PrincipalMatch::RoleArn;
    if (e.value == c.account || e.value == "arn:aws:iam::" + c.account + ":root")
        return c.kind == K::Root ? PrincipalMatch::Caller : PrincipalMatch::Account;
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
    if (c.kind == Caller::Kind::Service || c.kind == Caller::Kind::Federated ||
        c.kind == Caller::Kind::Root)
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

// A Resource pattern whose variable cannot be resolved matches nothing; under NotResource it
// makes the statement not apply ("If AWS cannot resolve a variable this might cause the entire
// statement to be invalid", IAM User Guide, "Variables and tags"), rather than turning it into
// every resource.
bool resource_applies(const Statement& s, const PolicyDocument& d, const Request& r) {
    if (!s.has_resource) return true;
    bool unresolved = false;
    const bool any = std::any_of(s.resources.begin(), s.resources.end(), [&](const auto& p) {
        const auto pattern = substitute(p, r.context, d.substitutes_variables());
        unresolved = unresolved || !pattern;
        return pattern && arn_matches(*pattern, r.resource);
    });
    return s.not_resource ? !any && !unresolved : any;
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

// Rules 2 and 3: each organization level (an SCP's or RCP's target) needs an Allow of its own.
// Returns the first level without one, or "" with the Allows found.
std::string level_gap(const std::vector<AppliedPolicy>& policies, PolicyType type, const Request& r,
                      std::vector<Matched>& allows) {
    std::vector<std::string> targets;
    for (const auto& p : policies)
        if (p.type == type && std::find(targets.begin(), targets.end(), p.owner) == targets.end())
            targets.push_back(p.owner);
    for (const auto& t : targets) {
        const auto found = matching(policies, type, Effect::Allow, r, &t);
        if (found.empty()) return t.empty() ? "the account" : t;
        allows.insert(allows.end(), found.begin(), found.end());
    }
    return "";
}

// The resource-based policies' Allows, by how they name the caller.
struct ResourceAllows {
    std::vector<Matched> direct, via_role, via_account;
    bool any() const { return !direct.empty() || !via_role.empty() || !via_account.empty(); }
};

ResourceAllows resource_allows(const std::vector<AppliedPolicy>& policies, const Request& r) {
    ResourceAllows out;
    for (const auto& m : matching(policies, PolicyType::ResourceBased, Effect::Allow, r)) {
        if (m.principal == PrincipalMatch::Caller) out.direct.push_back(m);
        if (m.principal == PrincipalMatch::RoleArn) out.via_role.push_back(m);
        if (m.principal == PrincipalMatch::Account) out.via_account.push_back(m);
    }
    return out;
}

// Rules 4 to 7 once nothing denies and the organization's guardrails let the request through
// (`guardrails`: their Allows, named last in an allowed decision).
Decision grant(const std::vector<AppliedPolicy>& policies, const Request& r,
               const std::vector<Matched>& guardrails) {
    const ResourceAllows res = resource_allows(policies, r);
    const bool cross = cross_account(r);
    if (!cross && !res.direct.empty()) {
        Decision d = decided(DecisionKind::Allowed, DecisionReason::ResourcePolicyAllows);
        append(d.statements, res.direct);
        append(d.statements, guardrails);
        return d;
    }
    if (cross && !res.any())
        return decided(DecisionKind::ImplicitDeny,
                       DecisionReason::CrossAccountResourceDoesNotAllow);
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
    // The root user has every permission of its account without a policy.
    const bool identity_allows = !identity.empty() || r.caller.kind == Caller::Kind::Root;
    const bool by_role = !cross && !res.via_role.empty();
    if (cross && !identity_allows)
        return decided(DecisionKind::ImplicitDeny,
                       DecisionReason::CrossAccountIdentityDoesNotAllow);
    if (!by_role && !identity_allows)
        return decided(DecisionKind::ImplicitDeny, DecisionReason::NoStatementAllows);
    Decision d = decided(DecisionKind::Allowed, by_role ? DecisionReason::ResourcePolicyAllows
                                                        : DecisionReason::IdentityAllows);
    if (cross) {
        append(d.statements, res.direct);
        append(d.statements, res.via_role);
        append(d.statements, res.via_account);
    }
    append(d.statements, by_role ? res.via_role : identity);
    append(d.statements, limits);
    append(d.statements, guardrails);
    return d;
}

}  // namespace

bool statement_applies(const Statement& s, const PolicyDocument& d, const Request& r) {
    return action_applies(s, r.action) && resource_applies(s, d, r) &&
           principal_match(s, r.caller) != PrincipalMatch::None &&
           conditions_hold(s.conditions, r.context, d.substitutes_variables());
}

bool cross_account(const Request& r) {
    using K = Caller::Kind;
    const K k = r.caller.kind;
    const bool has_account = k == K::User || k == K::RoleSession || k == K::Root;
    return has_account && !r.resource_account.empty() && r.resource_account != r.caller.account;
}

// One rule after the other, as evaluate.hpp lists them.
Decision evaluate(const Request& r, const std::vector<AppliedPolicy>& policies) {
    std::vector<Matched> denies;
    for (auto type :
         {PolicyType::ServiceControl, PolicyType::ResourceControl, PolicyType::ResourceBased,
          PolicyType::PermissionsBoundary, PolicyType::Session, PolicyType::Identity}) {
        auto d = matching(policies, type, Effect::Deny, r);
        denies.insert(denies.end(), d.begin(), d.end());
    }
    if (!denies.empty()) {
        Decision d = decided(DecisionKind::ExplicitDeny, DecisionReason::DenyStatement);
        append(d.statements, denies);
        return d;
    }
    std::vector<Matched> guardrails;
    for (auto [type, reason] :
         {std::pair{PolicyType::ServiceControl, DecisionReason::NoScpAllows},
          std::pair{PolicyType::ResourceControl, DecisionReason::NoRcpAllows}}) {
        if (auto gap = level_gap(policies, type, r, guardrails); !gap.empty()) {
            Decision d = decided(DecisionKind::ImplicitDeny, reason);
            d.scp_target = gap;
            return d;
        }
    }
    return grant(policies, r, guardrails);
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
        case PolicyType::ResourceControl:
            return "resource control policy";
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
