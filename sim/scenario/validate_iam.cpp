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
        return position_of(spec, pos, key);
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
    void in_runs();
    void buckets();
    void bucket_access(const Names& known);
    // "anonymous", "user/NAME", "role/NAME", "instance-profile/NAME" of the scenario.
    void principal(const KeyPositions& pos, const std::string& path, const char* key,
                   const std::string& who);
    // An AWS account id: 12 digits ("" = the scenario's account).
    void account_id(const KeyPositions& pos, const std::string& path, const std::string& id,
                    const char* key = "account_id") {
        const bool digits =
            id.size() == 12 && id.find_first_not_of("0123456789") == std::string::npos;
        if (!id.empty() && !digits)
            error(
                pos, path, key,
                fmt::format("expected an AWS account id of 12 digits, found `{}`", shortened(id)));
    }
    // IAM's path: "/" or text between slashes, printable ASCII, at most 512 characters.
    void iam_path(const KeyPositions& pos, const std::string& path, const std::string& p) {
        const bool printable = std::all_of(p.begin(), p.end(), [](char ch) {
            return static_cast<unsigned char>(ch) >= 0x21 && static_cast<unsigned char>(ch) < 0x7f;
        });
        if (p.empty() || p.size() > 512 || p.front() != '/' || p.back() != '/' || !printable ||
            p.find("//") != std::string::npos)
            error(pos, path, "path",
                  fmt::format("expected \"/\" or a path that begins and ends with a slash "
                              "(\"/aws-service-role/elasticloadbalancing.amazonaws.com/\"), "
                              "found `{}`",
                              shortened(p)));
    }
    void organization();
};

void IamChecker::identities() {
    names(spec.iam_policy, "iam_policy");
    users = names(spec.iam_user, "iam_user");
    groups = names(spec.iam_group, "iam_group");
    roles = names(spec.iam_role, "iam_role");
    for (const auto& u : spec.iam_user) {
        if (!u.permissions_boundary.empty())
            policy_ref(u.pos, path_of("iam_user", u.name, 0), "permissions_boundary",
                       u.permissions_boundary);
        account_id(u.pos, path_of("iam_user", u.name, 0), u.account_id);
    }
    for (const auto& r : spec.iam_role) {
        const std::string path = path_of("iam_role", r.name, 0);
        account_id(r.pos, path, r.account_id);
        iam_path(r.pos, path, r.path);
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

// The organization: an id as AWS writes them (o- and 10 to 32 lowercase letters or digits),
// account ids of 12 digits.
void IamChecker::organization() {
    const auto& o = spec.organizations_organization;
    if (!o.present) return;
    const char* path = "organizations_organization";
    const std::string tail = o.id.size() > 2 ? o.id.substr(2) : "";
    if (!o.id.empty() &&
        (o.id.rfind("o-", 0) != 0 || tail.size() < 10 || tail.size() > 32 ||
         tail.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789") != std::string::npos))
        error(o.pos, path, "id",
              fmt::format("expected an organization id such as o-a1b2c3d4e5 (o- and 10 to 32 "
                          "lowercase letters or digits), found `{}`",
                          shortened(o.id)));
    account_id(o.pos, path, o.master_account_id, "master_account_id");
    for (const auto& a : o.accounts)
        account_id(o.pos, path, a.empty() ? "-" : a, "accounts");
}

void IamChecker::principal(const KeyPositions& pos, const std::string& path, const char* key,
                           const std::string& who) {
    if (who.empty() || who == "anonymous") return;
    const auto slash = who.find('/');
    const std::string kind = who.substr(0, slash == std::string::npos ? 0 : slash);
    const std::string name = slash == std::string::npos ? "" : who.substr(slash + 1);
    Names profiles;
    for (const auto& p : spec.iam_instance_profile)
        profiles.push_back(p.name);
    if (kind == "user")
        ref(pos, path, key, "user", name, users);
    else if (kind == "role")
        ref(pos, path, key, "role", name, roles);
    else if (kind == "instance-profile")
        ref(pos, path, key, "instance profile", name, profiles);
    else
        error(pos, path, key,
              fmt::format("`{}` is not a principal: anonymous, user/NAME, role/NAME or "
                          "instance-profile/NAME",
                          shortened(who)));
}

// What a run's applications act as, and the AWS calls they make (docs/iam.md, "IAM in a run").
void IamChecker::in_runs() {
    Names profiles;
    for (const auto& p : spec.iam_instance_profile)
        profiles.push_back(p.name);
    for (const auto& lt : spec.launch_template)
        if (!lt.iam_instance_profile.empty())
            ref(lt.pos, path_of("launch_template", lt.name, 0), "iam_instance_profile",
                "instance profile", lt.iam_instance_profile, profiles);
    for (const auto& td : spec.ecs_task_definition) {
        if (td.task_role_arn.empty()) continue;
        const std::string path = path_of("ecs_task_definition", td.family, 0);
        const std::string& arn = td.task_role_arn;
        if (arn.rfind("arn:", 0) == 0 &&
            (arn.rfind("arn:aws:iam::", 0) != 0 || arn.find(":role/") == std::string::npos)) {
            error(td.pos, path, "task_role_arn",
                  "expected a role's name or arn:aws:iam::ACCOUNT:role/NAME");
            continue;
        }
        ref(td.pos, path, "task_role_arn", "role", arn.substr(arn.rfind('/') + 1), roles);
    }
    for (std::size_t w = 0; w < spec.workload.size(); ++w) {
        const auto& wl = spec.workload[w];
        for (std::size_t i = 0; i < wl.aws_call.size(); ++i) {
            const auto& call = wl.aws_call[i];
            const std::string path = path_of("workload", wl.name, w);
            const std::string at = fmt::format("aws_call[{}]", i);
            const auto colon = call.action.find(':');
            if (colon == std::string::npos || colon == 0 || colon + 1 == call.action.size() ||
                call.action.find_first_of("*? ") != std::string::npos)
                error(wl.pos, path, at + ".action",
                      fmt::format("`{}` is not an API action: service:Action, such as "
                                  "s3:PutObject (no wildcards: one call)",
                                  shortened(call.action)));
            if (call.resource.rfind("arn:", 0) != 0 ||
                call.resource.find_first_of("*?") != std::string::npos)
                error(wl.pos, path, at + ".resource",
                      fmt::format("`{}` is not one resource's ARN, such as "
                                  "arn:aws:s3:::app-logs/logs/app.log",
                                  shortened(call.resource)));
        }
    }
}

// Bucket policies and ACLs: one per bucket, on a bucket of the scenario; a bucket policy's
// resources are in its bucket (S3 refuses the policy otherwise: "Policy has invalid
// resource"); the requesters of the buckets' GETs and PUTs exist.
void IamChecker::buckets() {
    Names known;
    for (const auto& b : spec.s3_bucket) {
        known.push_back(b.name);
        const std::string path = path_of("s3_bucket", b.name, 0);
        principal(b.pos, path, "get_requests_from", b.get_requests_from);
        principal(b.pos, path, "put_requests_from", b.put_requests_from);
        if (b.presigned_by == "anonymous")
            error(b.pos, path, "presigned_by",
                  "an anonymous caller has no credentials to sign a URL with: user/NAME, "
                  "role/NAME or instance-profile/NAME");
        principal(b.pos, path, "presigned_by", b.presigned_by);
        if (b.presigned_put_by == "anonymous")
            error(b.pos, path, "presigned_put_by",
                  "an anonymous caller has no credentials to sign a URL with: user/NAME, "
                  "role/NAME or instance-profile/NAME");
        principal(b.pos, path, "presigned_put_by", b.presigned_put_by);
    }
    Names with_policy, with_acl;
    for (std::size_t i = 0; i < spec.s3_bucket_policy.size(); ++i) {
        const auto& p = spec.s3_bucket_policy[i];
        const std::string path = path_of("s3_bucket_policy", p.bucket, i);
        ref(p.pos, path, "bucket", "bucket", p.bucket, known);
        if (std::count(with_policy.begin(), with_policy.end(), p.bucket))
            error(p.pos, path, "bucket",
                  fmt::format("bucket `{}` already has a policy: a bucket has one", p.bucket));
        with_policy.push_back(p.bucket);
        const std::string arn = "arn:aws:s3:::" + p.bucket;
        for (const auto& st : p.document.statements)
            for (const auto& r : st.resources)
                if (r != arn && r.rfind(arn + "/", 0) != 0)
                    error(p.pos, path, "policy",
                          fmt::format("the policy is refused: {}.Resource `{}` is not in the "
                                      "bucket (S3: Policy has invalid resource); expected {} "
                                      "or {}/KEY",
                                      st.label(), shortened(r), arn, arn));
    }
    for (std::size_t i = 0; i < spec.s3_bucket_acl.size(); ++i) {
        const auto& a = spec.s3_bucket_acl[i];
        const std::string path = path_of("s3_bucket_acl", a.bucket, i);
        ref(a.pos, path, "bucket", "bucket", a.bucket, known);
        if (std::count(with_acl.begin(), with_acl.end(), a.bucket))
            error(a.pos, path, "bucket",
                  fmt::format("bucket `{}` already has an ACL: a bucket has one", a.bucket));
        with_acl.push_back(a.bucket);
    }
    bucket_access(known);
}

// Block Public Access and Object Ownership: one of each per bucket, on a bucket of the
// scenario. With ACLs disabled (BucketOwnerEnforced) S3 refuses a bucket ACL that grants
// anyone but the owner (AccessControlListNotSupported; InvalidBucketAclWithObjectOwnership).
void IamChecker::bucket_access(const Names& known) {
    Names with_block, with_ownership;
    for (std::size_t i = 0; i < spec.s3_bucket_public_access_block.size(); ++i) {
        const auto& b = spec.s3_bucket_public_access_block[i];
        const std::string path = path_of("s3_bucket_public_access_block", b.bucket, i);
        ref(b.pos, path, "bucket", "bucket", b.bucket, known);
        if (std::count(with_block.begin(), with_block.end(), b.bucket))
            error(b.pos, path, "bucket",
                  fmt::format("bucket `{}` already has a public access block: a bucket has one",
                              b.bucket));
        with_block.push_back(b.bucket);
    }
    for (std::size_t i = 0; i < spec.s3_bucket_ownership_controls.size(); ++i) {
        const auto& o = spec.s3_bucket_ownership_controls[i];
        const std::string path = path_of("s3_bucket_ownership_controls", o.bucket, i);
        ref(o.pos, path, "bucket", "bucket", o.bucket, known);
        if (std::count(with_ownership.begin(), with_ownership.end(), o.bucket))
            error(o.pos, path, "bucket",
                  fmt::format("bucket `{}` already has ownership controls: a bucket has one",
                              o.bucket));
        with_ownership.push_back(o.bucket);
        if (o.object_ownership != "BucketOwnerEnforced") continue;
        for (std::size_t j = 0; j < spec.s3_bucket_acl.size(); ++j) {
            const auto& a = spec.s3_bucket_acl[j];
            if (a.bucket == o.bucket && a.acl != "private")
                error(a.pos, path_of("s3_bucket_acl", a.bucket, j), "acl",
                      fmt::format("bucket `{}` has ACLs disabled (s3_bucket_ownership_controls "
                                  "BucketOwnerEnforced): S3 refuses the ACL \"{}\" "
                                  "(AccessControlListNotSupported); use \"private\" or a "
                                  "bucket policy",
                                  a.bucket, a.acl));
        }
    }
}

}  // namespace

void validate_iam(Spec& spec, Diagnostics& diags) {
    IamChecker c{spec, diags, {}, {}, {}};
    c.identities();
    c.policies();
    c.in_runs();
    c.buckets();
    c.organization();
}

}  // namespace stratus::scenario::detail
