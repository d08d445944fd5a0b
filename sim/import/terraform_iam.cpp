// IAM resources (docs/terraform.md, docs/iam.md): users, groups and their memberships, roles,
// customer managed and inline policies, their attachments, instance profiles. Policy
// documents are copied as Terraform states them (JSON text); a policy ARN that names no
// imported aws_iam_policy (an AWS managed policy) is kept as the ARN.
#include <fmt/format.h>

#include <algorithm>

#include "sim/iam/managed_policies.hpp"
#include "sim/iam/policy.hpp"
#include "sim/import/importer.hpp"

namespace stratus::tfimport::detail {
namespace {

const std::vector<std::string> kUser{"aws_iam_user"};
const std::vector<std::string> kGroup{"aws_iam_group"};
const std::vector<std::string> kManaged{"aws_iam_policy"};
const std::vector<std::string> kProfile{"aws_iam_instance_profile"};

// The name of the AWS managed policy `arn` names when stratus has no document for it; "" when
// `arn` is not an AWS managed policy's ARN or names a built-in one.
std::string unknown_aws_policy(const std::string& arn) {
    if (arn.rfind("arn:aws:iam::aws:policy/", 0) != 0) return "";
    const std::string name = arn.substr(arn.rfind('/') + 1);
    return iam::aws_managed_policy(name) ? "" : name;
}

std::string not_built_in(const std::string& name) {
    return fmt::format(
        "the AWS managed policy `{}` is not built in: copy its document into an "
        "[[iam_policy]] (or an aws_iam_policy) to keep it",
        name);
}

// Whether the plan marks anything in `unknown` (an after_unknown value) as unknown.
bool any_unknown(const Json& unknown) {
    if (unknown.is_boolean()) return unknown.get<bool>();
    if (unknown.is_array() || unknown.is_object())
        for (const auto& e : unknown)
            if (any_unknown(e)) return true;
    return false;
}

// The references of an expression, without the bare resource Terraform lists beside each of
// its attributes ("aws_s3_bucket.b" beside "aws_s3_bucket.b.arn"), each once, joined.
std::string references_text(const Json& expression) {
    std::vector<std::string> refs;
    auto collect = [&](const Json& e, auto&& self) -> void {
        if (e.is_array() || (e.is_object() && !e.contains("references")))
            for (const auto& x : e)
                self(x, self);
        for (const std::string& r : strings(field(e, "references")))
            if (std::find(refs.begin(), refs.end(), r) == refs.end()) refs.push_back(r);
    };
    collect(expression, collect);
    std::string out;
    for (const std::string& r : refs) {
        const bool prefix = std::any_of(refs.begin(), refs.end(), [&](const std::string& o) {
            return o.size() > r.size() && o.compare(0, r.size() + 1, r + ".") == 0;
        });
        if (!prefix) out += (out.empty() ? "" : ", ") + r;
    }
    return out;
}

}  // namespace

// Terraform's plan keeps an expression's references but not the text around them (the "/*" of
// "${aws_s3_bucket.b.arn}/*"), so a document with a value unknown until apply cannot be
// rebuilt without guessing: this says what it is built from. For an aws_iam_policy_document
// data source, which statements and keys are unknown, from what, and how many are known.
std::string Importer::unknown_document(const TfInstance& inst, const char* key) const {
    const Json& expr = inst.expression({key});
    const std::vector<std::string> refs = strings(field(expr, "references"));
    const TfInstance* d = nullptr;
    for (const std::string& r : refs)
        if (r.rfind("data.aws_iam_policy_document.", 0) == 0) {
            const std::string address = r.substr(0, r.rfind('.'));
            d = doc_.data_source(inst.module.empty() ? address : inst.module + "." + address);
            if (d) break;
        }
    const std::string tail =
        "; a plan keeps the references, not the text around them, so it is not rebuilt";
    if (!d) {
        const std::string from = references_text(expr);
        if (from.empty()) return "its " + std::string(key) + " is unknown until apply";
        if (from.rfind("data.", 0) == 0)  // a data source read at apply, not in the file
            return fmt::format("its {} is unknown until apply (it comes from {}){}", key, from,
                               tail);
        return fmt::format("its {} is unknown until apply: it is built from {}{}", key, from, tail);
    }
    std::string parts;
    std::size_t known = 0;
    const Json& statements = d->at({"statement"});
    for (std::size_t i = 0; statements.is_array() && i < statements.size(); ++i) {
        std::string keys;
        const Json& unknown = field(d->unknown, "statement");
        if (!unknown.is_array() || i >= unknown.size() || !unknown[i].is_object()) continue;
        for (const auto& [k, u] : unknown[i].items())
            if (any_unknown(u)) {
                const std::string from = references_text(d->expression({"statement", i, k}));
                keys += fmt::format("{}{}{}", keys.empty() ? "" : ", ", k,
                                    from.empty() ? "" : " (from " + from + ")");
            }
        if (keys.empty()) {
            ++known;
            continue;
        }
        const std::string sid = as_text(field(statements[i], "sid"), "");
        parts += fmt::format("{}statement {}{}'s {}", parts.empty() ? "" : ", ", i + 1,
                             sid.empty() ? "" : " " + sid, keys);
    }
    for (const char* k : {"source_policy_documents", "override_policy_documents"})
        if (any_unknown(field(d->unknown, k)))
            parts += fmt::format("{}{} (from {})", parts.empty() ? "" : ", ", k,
                                 references_text(d->expression({k})));
    return fmt::format(
        "its {} is unknown until apply: it comes from {}, whose {} {}{}{}", key, d->address,
        parts.empty() ? "arguments are" : parts, parts.empty() ? "unknown" : "are unknown",
        known ? fmt::format(" ({} other statement{} known)", known, known == 1 ? "" : "s") : "",
        tail);
}

// The policy document at `key`, or nothing (with the instance skipped) when IAM would refuse
// it: the scenario would not load.
std::optional<std::string> Importer::iam_document(const TfInstance& inst, const char* key,
                                                  iam::PolicyKind kind) {
    const auto text = str(inst.at({key}));
    if (inst.is_unknown({key})) {
        skip(inst, unknown_document(inst, key) +
                       ": import the state after apply, or write the policy by hand");
        return std::nullopt;
    }
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

// Whether a policy reference as iam_policy_ref writes it loads in the scenario: an imported
// aws_iam_policy's name (or its ARN), or a built-in AWS managed policy's ARN.
bool Importer::policy_loads(const std::string& policy) const {
    if (policy.rfind("arn:aws:iam::aws:policy/", 0) == 0) return unknown_aws_policy(policy).empty();
    const std::string name = policy.substr(policy.rfind('/') + 1);
    for (const TfInstance* p : of_type(kManaged))
        if (emitted(p) && name_of(*p) == name) return true;
    return false;
}

// The policy an attachment's policy_arn names, as the scenario writes it. Any other policy (an
// AWS managed one stratus has no document for, a customer managed one that is not in the file)
// would not load: the attachment is skipped, saying how to keep it.
std::optional<std::string> Importer::attached_policy(const TfInstance& attachment) {
    const std::string policy = iam_policy_ref(attachment, {"policy_arn"});
    if (policy_loads(policy)) return policy;
    if (const auto n = unknown_aws_policy(policy); !n.empty()) {
        skip(attachment, not_built_in(n));
        return std::nullopt;
    }
    skip(attachment, fmt::format("the policy `{}` is not in the file (no aws_iam_policy has that "
                                 "ARN): add its aws_iam_policy, or an [[iam_policy]] named `{}`, "
                                 "to keep the attachment",
                                 policy, policy.substr(policy.rfind('/') + 1)));
    return std::nullopt;
}

// A user's or role's permissions boundary, named as attached_policy names it. One that would
// not load is left out with a note: the identity is then allowed more than in AWS.
std::optional<std::string> Importer::boundary_policy(const TfInstance& identity) {
    const auto arn = str(identity.at({"permissions_boundary"}));
    if (!arn || arn->empty()) return std::nullopt;
    const std::string policy = iam_policy_ref(identity, {"permissions_boundary"});
    if (policy_loads(policy)) return policy;
    note(identity, fmt::format("permissions_boundary `{}` left out ({}): the scenario allows "
                               "this identity more than AWS does",
                               policy,
                               unknown_aws_policy(policy).empty() ? "no aws_iam_policy of the file"
                                                                  : "not built in"));
    return std::nullopt;
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
        if (const auto b = boundary_policy(*u)) s.set("permissions_boundary", toml_string(*b));
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
        if (const auto b = boundary_policy(*r)) s.set("permissions_boundary", toml_string(*b));
        // Part of the role's ARN; /aws-service-role/ makes it a service-linked role.
        if (const auto p = str(r->at({"path"})); p && !p->empty() && *p != "/")
            s.set("path", toml_string(*p));
        role_managed_policies(s, *r);
        set_tags(s, *r);
    }
    iam_memberships_and_profiles();
    iam_policies_of("aws_iam_user_policy", Section::IamUserPolicy, "user", kUser);
    iam_policies_of("aws_iam_group_policy", Section::IamGroupPolicy, "group", kGroup);
    iam_policies_of("aws_iam_role_policy", Section::IamRolePolicy, "role", kRole);
    role_inline_policies();
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
        const auto policy = attached_policy(*a);
        if (!policy) continue;
        TomlSection& s = add(Section::IamPolicyAttachment, *a);
        s.set("name", toml_string(name_of(*a)));
        s.set("policy_arn", toml_string(*policy));
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

// A role's managed_policy_arns. A state lists every policy attached to the role there (the
// attribute is computed), those of attachment resources in the file too: those are written as
// the attachments. A policy that is neither an imported aws_iam_policy nor a built-in AWS
// managed policy is left out with a note (the scenario would not load).
void Importer::role_managed_policies(TomlSection& s, const TfInstance& role) {
    std::set<std::string> attached;  // by the file's attachment resources
    for (const TfInstance* a : of_type({"aws_iam_role_policy_attachment"}))
        if (refer_one(*a, {"role"}, kRole, {"name", "id", "arn"}) == &role)
            attached.insert(str(a->at({"policy_arn"})).value_or(""));
    for (const TfInstance* a : of_type({"aws_iam_policy_attachment"}))
        for (const TfInstance* r : refer(*a, {"roles"}, kRole, {"name", "id", "arn"}))
            if (r == &role) attached.insert(str(a->at({"policy_arn"})).value_or(""));
    const Json& arns = role.at({"managed_policy_arns"});
    std::vector<std::string> kept;
    for (std::size_t i = 0; arns.is_array() && i < arns.size(); ++i) {
        const std::string arn = str(arns[i]).value_or("");
        if (arn.empty() || attached.count(arn)) continue;
        const TfInstance* p =
            refer_one(role, {"managed_policy_arns", i}, kManaged, {"arn", "id"}, nullptr);
        const bool aws = arn.rfind("arn:aws:iam::aws:policy/", 0) == 0;
        if (emitted(p))
            kept.push_back(name_of(*p));
        else if (aws && unknown_aws_policy(arn).empty())
            kept.push_back(arn);
        else if (aws)
            note(role, "managed_policy_arns: " + not_built_in(unknown_aws_policy(arn)));
        else
            note(role, fmt::format("managed_policy_arns: `{}` left out: no aws_iam_policy of the "
                                   "file has that ARN",
                                   arn));
    }
    // In a plan the ARNs of the file's policies are unknown until apply: the configuration's
    // references name them (an ARN written as text next to them is not in the plan's JSON).
    if (role.is_unknown({"managed_policy_arns"}) &&
        !role.expression({"managed_policy_arns"}).is_null()) {
        std::set<const TfInstance*> by_attachment;
        for (const TfInstance* a : of_type({"aws_iam_role_policy_attachment"}))
            if (refer_one(*a, {"role"}, kRole, {"name", "id", "arn"}) == &role)
                by_attachment.insert(refer_one(*a, {"policy_arn"}, kManaged, {"arn", "id"}));
        for (const TfInstance* p : refer(role, {"managed_policy_arns"}, kManaged, {"arn", "id"}))
            if (emitted(p) && !by_attachment.count(p)) kept.push_back(name_of(*p));
        note(role, fmt::format("managed_policy_arns is unknown until apply: {} kept through the "
                               "configuration's references (an ARN written as text among them "
                               "is not in the plan: import the state to keep it)",
                               kept.empty() ? "no imported aws_iam_policy"
                                            : "the imported " +
                                                  fmt::format("`{}`", fmt::join(kept, "`, `"))));
    }
    if (!kept.empty()) s.set("managed_policy_arns", toml_strings(kept));
}

// A role's inline_policy blocks -> [[iam_role_policy]]. A state lists the aws_iam_role_policy
// resources' policies there too (computed): those are written once, from their resource.
void Importer::role_inline_policies() {
    for (const TfInstance* r : of_type(kRole)) {
        if (!emitted(r)) continue;
        const Json& blocks = r->at({"inline_policy"});
        for (std::size_t i = 0; blocks.is_array() && i < blocks.size(); ++i) {
            const std::string name = str(field(blocks[i], "name")).value_or("");
            const std::string policy = str(field(blocks[i], "policy")).value_or("");
            if (name.empty() && policy.empty()) continue;  // the provider's empty block
            bool written = false;
            for (const TomlSection& t : sections_[static_cast<int>(Section::IamRolePolicy)]) {
                const TomlValue *role = t.value("role"), *n = t.value("name");
                written = written || (role && n && role->text == toml_string(name_of(*r)).text &&
                                      n->text == toml_string(name).text);
            }
            if (written) continue;
            try {
                iam::parse_policy(policy, iam::PolicyKind::Identity);
            } catch (const iam::PolicyError& e) {
                note(*r, fmt::format("inline policy `{}` left out: IAM would refuse it: {}", name,
                                     e.what()));
                continue;
            }
            TomlSection t("iam_role_policy", true);
            t.comment(r->address + " (inline_policy)");
            t.set("name", toml_string(name));
            t.set("role", toml_string(name_of(*r)));
            t.set("policy", toml_string(policy));
            add_plain(Section::IamRolePolicy, std::move(t));
        }
    }
}

void Importer::iam_attachments_of(const char* type, Section section, const char* owner_key,
                                  const std::vector<std::string>& owners) {
    for (const TfInstance* a : of_type({type})) {
        const TfInstance* owner = iam_owner(*a, owner_key, owners, owner_key);
        if (!owner) continue;
        const auto policy = attached_policy(*a);
        if (!policy) continue;
        TomlSection& s = add(section, *a);
        s.set(owner_key, toml_string(name_of(*owner)));
        s.set("policy_arn", toml_string(*policy));
    }
}

// The section imported from `inst` (its first comment names the address), or nullptr.
TomlSection* Importer::section_of(Section section, const TfInstance& inst) {
    for (TomlSection& s : sections_[static_cast<int>(section)]) {
        const auto& c = s.comments();
        if (!c.empty() &&
            (c.front() == inst.address || c.front().rfind(inst.address + " (", 0) == 0))
            return &s;
    }
    return nullptr;
}

// The imported [[iam_instance_profile]] that `path` names (by name, ARN or id), or nothing with
// a note saying what the applications lose.
std::optional<std::string> Importer::profile_of(const TfInstance& inst, const Path& path) {
    std::vector<std::string> unmatched;
    const TfInstance* p = refer_one(inst, path, kProfile, {"name", "arn", "id"}, &unmatched);
    if (emitted(p)) return name_of(*p);
    const std::string given =
        unmatched.empty() ? str(inst.at(path)).value_or("") : unmatched.front();
    if (given.empty()) return std::nullopt;
    note(inst, fmt::format("its instance profile `{}` is not imported (no aws_iam_instance_profile "
                           "with its role in the file): its applications get no AWS credentials",
                           given));
    return std::nullopt;
}

// After IAM: the instance profiles that launch templates, launch configurations and instances
// name, as the scenario's `iam_instance_profile` (the runtime decides the applications' AWS
// calls with the profile's role; docs/iam.md, "IAM in a run").
void Importer::profiles_in_use() {
    for (const TfInstance* lt : of_type({"aws_launch_template"})) {
        TomlSection* s = section_of(Section::LaunchTemplate, *lt);
        const Json& block = lt->at({"iam_instance_profile"});
        if (!s || !block.is_array() || block.empty()) continue;
        auto name = profile_of(*lt, {"iam_instance_profile", 0, "arn"});
        if (!name) name = profile_of(*lt, {"iam_instance_profile", 0, "name"});
        if (name) s->set("iam_instance_profile", toml_inline({{"name", toml_string(*name)}}));
    }
    for (const TfInstance* lc : of_type({"aws_launch_configuration"})) {
        TomlSection* s = section_of(Section::LaunchTemplate, *lc);
        if (!s) continue;
        if (auto name = profile_of(*lc, {"iam_instance_profile"}))
            s->set("iam_instance_profile", toml_inline({{"name", toml_string(*name)}}));
    }
    // A standalone instance serves no traffic in stratus: its profile is carried (validate
    // lists it as accepted, not modelled).
    for (const TfInstance* in : of_type({"aws_instance"})) {
        TomlSection* s = section_of(Section::Instance, *in);
        const auto given = str(in->at({"iam_instance_profile"}));
        if (!s || !given || given->empty()) continue;
        std::vector<std::string> unmatched;
        const TfInstance* p =
            refer_one(*in, {"iam_instance_profile"}, kProfile, {"name", "arn", "id"}, &unmatched);
        s->set("iam_instance_profile", toml_string(emitted(p) ? name_of(*p) : *given));
    }
}

}  // namespace stratus::tfimport::detail
