// IAM resources (docs/terraform.md, docs/iam.md): users, groups and their memberships, roles,
// customer managed and inline policies, their attachments, instance profiles. Policy
// documents are copied as Terraform states them (JSON text); a policy ARN that names no
// imported aws_iam_policy (an AWS managed policy) is kept as the ARN.
#include <fmt/format.h>

#include "sim/iam/policy.hpp"
#include "sim/import/importer.hpp"

namespace stratus::tfimport::detail {
namespace {

const std::vector<std::string> kUser{"aws_iam_user"};
const std::vector<std::string> kGroup{"aws_iam_group"};
const std::vector<std::string> kRole{"aws_iam_role"};
const std::vector<std::string> kManaged{"aws_iam_policy"};

}  // namespace

// The policy document at `key`, or nothing (with the instance skipped) when IAM would refuse
// it: the scenario would not load.
std::optional<std::string> Importer::iam_document(const TfInstance& inst, const char* key,
                                                  iam::PolicyKind kind) {
    const auto text = str(inst.at({key}));
    if (!text || text->empty()) {
        skip(inst, fmt::format("its {} is not known (IAM needs a policy document)", key));
        return std::nullopt;
    }
    try {
        iam::parse_policy(*text, kind);
    } catch (const iam::PolicyError& e) {
        skip(inst, fmt::format("its {} is a policy document IAM would refuse: {}", key, e.what()));
        return std::nullopt;
    }
    return text;
}

// The imported user, group or role `path` names, or nullptr (with the instance skipped).
const TfInstance* Importer::iam_owner(const TfInstance& inst, const char* key,
                                      const std::vector<std::string>& types, const char* what) {
    const TfInstance* owner = refer_one(inst, {key}, types, {"name", "id", "arn"});
    if (emitted(owner)) return owner;
    skip(inst, fmt::format("its {} is not imported", what));
    return nullptr;
}

// A managed policy as the scenario names it: the imported [[iam_policy]], or the ARN.
std::string Importer::iam_policy_ref(const TfInstance& inst, const Path& path) {
    std::vector<std::string> unmatched;
    const TfInstance* p = refer_one(inst, path, kManaged, {"arn", "id"}, &unmatched);
    if (emitted(p)) return name_of(*p);
    return unmatched.empty() ? str(inst.at(path)).value_or("") : unmatched.front();
}

void Importer::identity_and_access() {
    for (const TfInstance* p : of_type(kManaged)) {
        const auto document = iam_document(*p, "policy", iam::PolicyKind::Identity);
        if (!document) continue;
        TomlSection& s = add(Section::IamPolicy, *p);
        s.set("name", toml_string(name_of(*p)));
        s.set("policy", toml_string(*document));
        set_tags(s, *p);
    }
    for (const TfInstance* u : of_type(kUser)) {
        TomlSection& s = add(Section::IamUser, *u);
        s.set("name", toml_string(name_of(*u)));
        if (auto b = str(u->at({"permissions_boundary"})); b && !b->empty())
            s.set("permissions_boundary",
                  toml_string(iam_policy_ref(*u, {"permissions_boundary"})));
        set_tags(s, *u);
    }
    for (const TfInstance* g : of_type(kGroup)) {
        TomlSection& s = add(Section::IamGroup, *g);
        s.set("name", toml_string(name_of(*g)));
    }
    for (const TfInstance* r : of_type(kRole)) {
        const auto trust = iam_document(*r, "assume_role_policy", iam::PolicyKind::Trust);
        if (!trust) continue;
        TomlSection& s = add(Section::IamRole, *r);
        s.set("name", toml_string(name_of(*r)));
        s.set("assume_role_policy", toml_string(*trust));
        if (auto b = str(r->at({"permissions_boundary"})); b && !b->empty())
            s.set("permissions_boundary",
                  toml_string(iam_policy_ref(*r, {"permissions_boundary"})));
        set_tags(s, *r);
    }
    iam_memberships_and_profiles();
    iam_policies_of("aws_iam_user_policy", Section::IamUserPolicy, "user", kUser);
    iam_policies_of("aws_iam_group_policy", Section::IamGroupPolicy, "group", kGroup);
    iam_policies_of("aws_iam_role_policy", Section::IamRolePolicy, "role", kRole);
    iam_attachments_of("aws_iam_user_policy_attachment", Section::IamUserPolicyAttachment, "user",
                       kUser);
    iam_attachments_of("aws_iam_group_policy_attachment", Section::IamGroupPolicyAttachment,
                       "group", kGroup);
    iam_attachments_of("aws_iam_role_policy_attachment", Section::IamRolePolicyAttachment, "role",
                       kRole);
}

void Importer::iam_memberships_and_profiles() {
    for (const TfInstance* m : of_type({"aws_iam_group_membership"})) {
        const TfInstance* g = iam_owner(*m, "group", kGroup, "group");
        if (!g) continue;
        TomlSection& s = add(Section::IamGroupMembership, *m);
        s.set("name", toml_string(name_of(*m)));
        s.set("group", toml_string(name_of(*g)));
        s.set("users", toml_strings(emitted_names(refer(*m, {"users"}, kUser, {"name", "id"}))));
    }
    for (const TfInstance* m : of_type({"aws_iam_user_group_membership"})) {
        const TfInstance* u = iam_owner(*m, "user", kUser, "user");
        if (!u) continue;
        TomlSection& s = add(Section::IamUserGroupMembership, *m);
        s.set("user", toml_string(name_of(*u)));
        s.set("groups", toml_strings(emitted_names(refer(*m, {"groups"}, kGroup, {"name", "id"}))));
    }
    for (const TfInstance* p : of_type({"aws_iam_instance_profile"})) {
        const TfInstance* r = iam_owner(*p, "role", kRole, "role");
        if (!r) continue;
        TomlSection& s = add(Section::IamInstanceProfile, *p);
        s.set("name", toml_string(name_of(*p)));
        s.set("role", toml_string(name_of(*r)));
    }
    for (const TfInstance* a : of_type({"aws_iam_policy_attachment"})) {
        TomlSection& s = add(Section::IamPolicyAttachment, *a);
        s.set("name", toml_string(name_of(*a)));
        s.set("policy_arn", toml_string(iam_policy_ref(*a, {"policy_arn"})));
        s.set("users", toml_strings(emitted_names(refer(*a, {"users"}, kUser, {"name", "id"}))));
        s.set("groups", toml_strings(emitted_names(refer(*a, {"groups"}, kGroup, {"name", "id"}))));
        s.set("roles", toml_strings(emitted_names(refer(*a, {"roles"}, kRole, {"name", "id"}))));
    }
}

void Importer::iam_policies_of(const char* type, Section section, const char* owner_key,
                               const std::vector<std::string>& owners) {
    for (const TfInstance* p : of_type({type})) {
        const TfInstance* owner = iam_owner(*p, owner_key, owners, owner_key);
        if (!owner) continue;
        const auto document = iam_document(*p, "policy", iam::PolicyKind::Identity);
        if (!document) continue;
        TomlSection& s = add(section, *p);
        s.set("name", toml_string(str(p->at({"name"})).value_or(p->name)));
        s.set(owner_key, toml_string(name_of(*owner)));
        s.set("policy", toml_string(*document));
    }
}

void Importer::iam_attachments_of(const char* type, Section section, const char* owner_key,
                                  const std::vector<std::string>& owners) {
    for (const TfInstance* a : of_type({type})) {
        const TfInstance* owner = iam_owner(*a, owner_key, owners, owner_key);
        if (!owner) continue;
        TomlSection& s = add(section, *a);
        s.set(owner_key, toml_string(name_of(*owner)));
        s.set("policy_arn", toml_string(iam_policy_ref(*a, {"policy_arn"})));
    }
}

}  // namespace stratus::tfimport::detail
