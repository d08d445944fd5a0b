// Checks across the IAM sections (docs/iam.md, "Scenario sections"): names unique in their
// section, the users, groups, roles and managed policies they name exist, inline policy names
// unique per identity (as IAM keeps them), SCP attachments name an SCP.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "sim/scenario/iam_refs.hpp"
#include "sim/scenario/internal.hpp"

namespace stratus::scenario::detail {
namespace {

using Names = std::vector<std::string>;

struct IamChecker {
    Spec& spec;
    Diagnostics& d;
    Names users, groups, roles;

    SourcePos at(const KeyPositions& pos, const std::string& key) const {
        auto it = pos.find(key);
        if (it == pos.end()) it = pos.find("");
        return it == pos.end() ? SourcePos{spec.source_file, 0, 0} : it->second;
    }
    void error(const KeyPositions& pos, const std::string& path, const std::string& key,
               std::string message) {
        d.error(at(pos, key), key.empty() ? path : path + "." + key, std::move(message));
    }
    static std::string path_of(const char* section, const std::string& name, std::size_t i) {
        return name.empty() ? fmt::format("{}[{}]", section, i)
                            : fmt::format("{}[{}]", section, name);
    }

    template <class T>
    Names names(const std::vector<T>& items, const char* section) {
        Names out;
        for (const auto& item : items) {
            if (std::find(out.begin(), out.end(), item.name) != out.end())
                error(item.pos, path_of(section, item.name, 0), "",
                      fmt::format("duplicate {} name `{}`", section, item.name));
            else
                out.push_back(item.name);
        }
        return out;
    }
    void ref(const KeyPositions& pos, const std::string& path, const std::string& key,
             const char* what, const std::string& name, const Names& known) {
        if (std::find(known.begin(), known.end(), name) != known.end()) return;
        const std::string hint = d.full() ? "" : did_you_mean(name, known);
        error(pos, path, key,
              fmt::format("unknown {} `{}`; known: {}{}", what, shortened(name),
                          known.empty() ? "none" : quoted_list(known),
                          hint.empty() ? "" : "; " + hint));
    }
    void policy_ref(const KeyPositions& pos, const std::string& path, const std::string& key,
                    const std::string& text) {
        std::string why;
        if (!resolve_managed_policy(spec, text, &why)) error(pos, path, key, why);
    }

    // Inline policies: the owner exists, and names one policy once.
    void inline_policies(const std::vector<IamInlinePolicySpec>& list, const char* section,
                         const char* owner_key, const char* what, const Names& owners) {
        std::set<std::pair<std::string, std::string>> seen;
        for (std::size_t i = 0; i < list.size(); ++i) {
            const auto& p = list[i];
            const std::string path = path_of(section, "", i);
            ref(p.pos, path, owner_key, what, p.owner, owners);
            if (!seen.insert({p.owner, p.name}).second)
                error(p.pos, path, "name",
                      fmt::format("the {} `{}` already has an inline policy `{}`", what, p.owner,
                                  p.name));
        }
    }
    void attachments(const std::vector<IamPolicyAttachmentSpec>& list, const char* section,
                     const char* owner_key, const char* what, const Names& owners) {
        for (std::size_t i = 0; i < list.size(); ++i) {
            const std::string path = path_of(section, "", i);
            ref(list[i].pos, path, owner_key, what, list[i].owner, owners);
            policy_ref(list[i].pos, path, "policy_arn", list[i].policy_arn);
        }
    }
    void identities();
    void policies();
};

void IamChecker::identities() {
    names(spec.iam_policy, "iam_policy");
    users = names(spec.iam_user, "iam_user");
    groups = names(spec.iam_group, "iam_group");
    roles = names(spec.iam_role, "iam_role");
    for (const auto& u : spec.iam_user)
        if (!u.permissions_boundary.empty())
            policy_ref(u.pos, path_of("iam_user", u.name, 0), "permissions_boundary",
                       u.permissions_boundary);
    for (const auto& r : spec.iam_role) {
        const std::string path = path_of("iam_role", r.name, 0);
        if (!r.permissions_boundary.empty())
            policy_ref(r.pos, path, "permissions_boundary", r.permissions_boundary);
        for (const auto& arn : r.managed_policy_arns)
            policy_ref(r.pos, path, "managed_policy_arns", arn);
    }
    names(spec.iam_group_membership, "iam_group_membership");
    for (const auto& m : spec.iam_group_membership) {
        const std::string path = path_of("iam_group_membership", m.name, 0);
        ref(m.pos, path, "group", "group", m.group, groups);
        for (const auto& u : m.users)
            ref(m.pos, path, "users", "user", u, users);
    }
    for (std::size_t i = 0; i < spec.iam_user_group_membership.size(); ++i) {
        const auto& m = spec.iam_user_group_membership[i];
        const std::string path = path_of("iam_user_group_membership", "", i);
        ref(m.pos, path, "user", "user", m.user, users);
        for (const auto& g : m.groups)
            ref(m.pos, path, "groups", "group", g, groups);
    }
    names(spec.iam_instance_profile, "iam_instance_profile");
    for (const auto& p : spec.iam_instance_profile)
        ref(p.pos, path_of("iam_instance_profile", p.name, 0), "role", "role", p.role, roles);
}

void IamChecker::policies() {
    inline_policies(spec.iam_user_policy, "iam_user_policy", "user", "user", users);
    inline_policies(spec.iam_group_policy, "iam_group_policy", "group", "group", groups);
    inline_policies(spec.iam_role_policy, "iam_role_policy", "role", "role", roles);
    attachments(spec.iam_user_policy_attachment, "iam_user_policy_attachment", "user", "user",
                users);
    attachments(spec.iam_group_policy_attachment, "iam_group_policy_attachment", "group", "group",
                groups);
    attachments(spec.iam_role_policy_attachment, "iam_role_policy_attachment", "role", "role",
                roles);
    names(spec.iam_policy_attachment, "iam_policy_attachment");
    for (const auto& a : spec.iam_policy_attachment) {
        const std::string path = path_of("iam_policy_attachment", a.name, 0);
        policy_ref(a.pos, path, "policy_arn", a.policy_arn);
        for (const auto& u : a.users)
            ref(a.pos, path, "users", "user", u, users);
        for (const auto& g : a.groups)
            ref(a.pos, path, "groups", "group", g, groups);
        for (const auto& r : a.roles)
            ref(a.pos, path, "roles", "role", r, roles);
        if (a.users.empty() && a.groups.empty() && a.roles.empty())
            error(a.pos, path, "", "attaches the policy to nothing: give users, groups or roles");
    }
    names(spec.organizations_policy, "organizations_policy");
    for (std::size_t i = 0; i < spec.organizations_policy_attachment.size(); ++i) {
        const auto& a = spec.organizations_policy_attachment[i];
        std::string why;
        if (!resolve_scp(spec, a.policy_id, &why))
            error(a.pos, path_of("organizations_policy_attachment", "", i), "policy_id", why);
    }
}

}  // namespace

void validate_iam(Spec& spec, Diagnostics& diags) {
    IamChecker c{spec, diags, {}, {}, {}};
    c.identities();
    c.policies();
}

}  // namespace stratus::scenario::detail
