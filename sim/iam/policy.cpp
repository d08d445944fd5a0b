// Reading a policy document: the elements of "IAM JSON policy elements reference", each
// checked as IAM checks it when a policy is created (docs/iam.md, "Policy documents").
#include "sim/iam/policy.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace stratus::iam {
namespace {

using nlohmann::json;

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

constexpr std::array<std::pair<ConditionOp, const char*>, 27> kOperators = {{
    {ConditionOp::StringEquals, "StringEquals"},
    {ConditionOp::StringNotEquals, "StringNotEquals"},
    {ConditionOp::StringEqualsIgnoreCase, "StringEqualsIgnoreCase"},
    {ConditionOp::StringNotEqualsIgnoreCase, "StringNotEqualsIgnoreCase"},
    {ConditionOp::StringLike, "StringLike"},
    {ConditionOp::StringNotLike, "StringNotLike"},
    {ConditionOp::NumericEquals, "NumericEquals"},
    {ConditionOp::NumericNotEquals, "NumericNotEquals"},
    {ConditionOp::NumericLessThan, "NumericLessThan"},
    {ConditionOp::NumericLessThanEquals, "NumericLessThanEquals"},
    {ConditionOp::NumericGreaterThan, "NumericGreaterThan"},
    {ConditionOp::NumericGreaterThanEquals, "NumericGreaterThanEquals"},
    {ConditionOp::DateEquals, "DateEquals"},
    {ConditionOp::DateNotEquals, "DateNotEquals"},
    {ConditionOp::DateLessThan, "DateLessThan"},
    {ConditionOp::DateLessThanEquals, "DateLessThanEquals"},
    {ConditionOp::DateGreaterThan, "DateGreaterThan"},
    {ConditionOp::DateGreaterThanEquals, "DateGreaterThanEquals"},
    {ConditionOp::Bool, "Bool"},
    {ConditionOp::BinaryEquals, "BinaryEquals"},
    {ConditionOp::IpAddress, "IpAddress"},
    {ConditionOp::NotIpAddress, "NotIpAddress"},
    {ConditionOp::ArnEquals, "ArnEquals"},
    {ConditionOp::ArnLike, "ArnLike"},
    {ConditionOp::ArnNotEquals, "ArnNotEquals"},
    {ConditionOp::ArnNotLike, "ArnNotLike"},
    {ConditionOp::Null, "Null"},
}};

// An element name that is not one of `known`: the error, with the known name it resembles.
[[noreturn]] void unknown_element(const std::string& where, const std::string& name,
                                  std::initializer_list<const char*> known) {
    std::string list, close;
    for (const char* k : known) {
        list += (list.empty() ? "" : ", ") + std::string(k);
        if (iequals(k, name)) close = k;
    }
    throw PolicyError(where,
                      close.empty()
                          ? fmt::format("unknown element \"{}\" (expected one of {})", name, list)
                          : fmt::format("unknown element \"{}\" (did you mean \"{}\"? "
                                        "element names are case-sensitive)",
                                        name, close));
}

std::string scalar_text(const json& v, const std::string& where) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_number()) return v.dump();
    throw PolicyError(where, fmt::format("expected a string, found {}", v.type_name()));
}

// A string or an array of strings (an empty array is refused, as IAM does).
std::vector<std::string> strings_of(const json& v, const std::string& where, bool scalars) {
    std::vector<std::string> out;
    if (v.is_array()) {
        if (v.empty()) throw PolicyError(where, "expected at least one value, found []");
        for (std::size_t i = 0; i < v.size(); ++i) {
            const std::string at = fmt::format("{}[{}]", where, i);
            if (!scalars && !v[i].is_string())
                throw PolicyError(at, fmt::format("expected a string, found {}", v[i].type_name()));
            out.push_back(scalar_text(v[i], at));
        }
        return out;
    }
    if (!scalars && !v.is_string())
        throw PolicyError(where, fmt::format("expected a string or an array of strings, found {}",
                                             v.type_name()));
    out.push_back(scalar_text(v, where));
    return out;
}

void check_actions(const std::vector<std::string>& actions, const std::string& where) {
    for (const auto& a : actions)
        if (a != "*" && (a.find(':') == std::string::npos || a.front() == ':'))
            throw PolicyError(where, fmt::format("action \"{}\" is not \"*\" or "
                                                 "\"service:action\" (s3:GetObject)",
                                                 a));
}

void check_resources(const std::vector<std::string>& resources, const std::string& where) {
    for (const auto& r : resources)
        if (r != "*" && r.rfind("arn:", 0) != 0)
            throw PolicyError(where, fmt::format("resource \"{}\" must be \"*\" or an ARN "
                                                 "(arn:aws:s3:::bucket/*)",
                                                 r));
}

std::vector<PrincipalEntry> principals_of(const json& v, const std::string& where) {
    if (v.is_string()) {
        if (v.get<std::string>() != "*")
            throw PolicyError(where,
                              "a principal written as a string must be \"*\" "
                              "(otherwise { \"AWS\": \"arn:...\" })");
        return {{"*", "*"}};
    }
    if (!v.is_object() || v.empty())
        throw PolicyError(where, "expected \"*\" or an object such as { \"AWS\": \"arn:...\" }");
    std::vector<PrincipalEntry> out;
    for (const auto& [type, values] : v.items()) {
        const std::string at = where + "." + type;
        if (type != "AWS" && type != "Service" && type != "Federated" && type != "CanonicalUser")
            unknown_element(where, type, {"AWS", "Service", "Federated", "CanonicalUser"});
        for (auto& s : strings_of(values, at, false)) {
            // "IAM JSON policy elements: Principal": no wildcard in part of a principal's name
            // or ARN, only "*" alone (S3 and IAM refuse the policy: "Invalid principal").
            if (type == "AWS" && s != "*" && s.find_first_of("*?") != std::string::npos)
                throw PolicyError(at, "a wildcard cannot match part of a principal (\"" + s +
                                          "\"): name it, or use \"*\" with a Condition on "
                                          "aws:PrincipalArn");
            out.push_back({type, std::move(s)});
        }
    }
    return out;
}

// "ForAnyValue:StringLikeIfExists" -> op, qualifier, IfExists.
Condition operator_of(const std::string& text, const std::string& where) {
    Condition c;
    c.op_text = text;
    std::string_view rest = text;
    if (auto colon = rest.find(':'); colon != std::string_view::npos) {
        const auto q = rest.substr(0, colon);
        if (iequals(q, "ForAllValues"))
            c.set = SetQualifier::ForAllValues;
        else if (iequals(q, "ForAnyValue"))
            c.set = SetQualifier::ForAnyValue;
        else
            throw PolicyError(where, fmt::format("unknown set operator \"{}\" (ForAllValues or "
                                                 "ForAnyValue)",
                                                 q));
        rest.remove_prefix(colon + 1);
    }
    constexpr std::string_view kIfExists = "IfExists";
    if (rest.size() > kIfExists.size() &&
        iequals(rest.substr(rest.size() - kIfExists.size()), kIfExists)) {
        c.if_exists = true;
        rest.remove_suffix(kIfExists.size());
    }
    for (const auto& [op, name] : kOperators)
        if (iequals(rest, name)) {
            c.op = op;
            if (op == ConditionOp::Null && c.if_exists)
                throw PolicyError(where, "Null has no IfExists form");
            return c;
        }
    throw PolicyError(where, fmt::format("unknown condition operator \"{}\"", text));
}

std::vector<Condition> conditions_of(const json& v, const std::string& where) {
    if (!v.is_object())
        throw PolicyError(where,
                          fmt::format("expected an object of operators, found {}", v.type_name()));
    std::vector<Condition> out;
    for (const auto& [op_text, block] : v.items()) {
        const std::string at = where + "." + op_text;
        const Condition op = operator_of(op_text, at);
        if (!block.is_object() || block.empty())
            throw PolicyError(at, "expected an object of condition keys and values");
        for (const auto& [key, values] : block.items()) {
            Condition c = op;
            c.key = key;
            c.values = strings_of(values, at + "." + key, true);
            out.push_back(std::move(c));
        }
    }
    return out;
}

void read_action_and_resource(Statement& s, const json& v, const std::string& where) {
    const bool action = v.contains("Action"), not_action = v.contains("NotAction");
    if (action == not_action)
        throw PolicyError(where,
                          action ? "has both Action and NotAction" : "needs Action or NotAction");
    s.not_action = not_action;
    const std::string a = where + (action ? ".Action" : ".NotAction");
    s.actions = strings_of(v.at(action ? "Action" : "NotAction"), a, false);
    check_actions(s.actions, a);
    const bool resource = v.contains("Resource"), not_resource = v.contains("NotResource");
    if (resource && not_resource) throw PolicyError(where, "has both Resource and NotResource");
    s.has_resource = resource || not_resource;
    s.not_resource = not_resource;
    if (s.has_resource) {
        const std::string r = where + (resource ? ".Resource" : ".NotResource");
        s.resources = strings_of(v.at(resource ? "Resource" : "NotResource"), r, false);
        check_resources(s.resources, r);
    }
}

// What "RCP syntax" allows in a statement: Deny (the Allow effect is for RCPFullAWSAccess
// alone), Principal "*" (conditions such as aws:PrincipalOrgID narrow it), Action (not
// NotAction).
void rcp_statement(const Statement& s, const json& v, const std::string& where) {
    if (s.effect == Effect::Allow)
        throw PolicyError(where + ".Effect",
                          "an RCP's statements are Deny (Allow is for RCPFullAWSAccess alone)");
    if (v.contains("NotPrincipal"))
        throw PolicyError(where,
                          "an RCP cannot use NotPrincipal (Principal \"*\" with a Condition)");
    if (v.contains("NotAction")) throw PolicyError(where, "an RCP cannot use NotAction");
    const bool anyone = s.principals.size() == 1 &&
                        (s.principals[0].type == "*" ||
                         (s.principals[0].type == "AWS" && s.principals[0].value == "*"));
    if (!anyone)
        throw PolicyError(where + ".Principal",
                          "an RCP's Principal is \"*\" (narrow it with a Condition on "
                          "aws:PrincipalArn, aws:PrincipalOrgID, ...)");
}

Statement statement_of(const json& v, std::size_t index, const std::string& where,
                       PolicyKind kind) {
    if (!v.is_object())
        throw PolicyError(where, fmt::format("expected an object, found {}", v.type_name()));
    for (const auto& item : v.items())
        if (item.key() != "Sid" && item.key() != "Effect" && item.key() != "Action" &&
            item.key() != "NotAction" && item.key() != "Resource" && item.key() != "NotResource" &&
            item.key() != "Principal" && item.key() != "NotPrincipal" && item.key() != "Condition")
            unknown_element(where, item.key(),
                            {"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
                             "Resource", "NotResource", "Condition"});
    Statement s;
    s.index = index;
    if (v.contains("Sid")) s.sid = scalar_text(v.at("Sid"), where + ".Sid");
    if (!v.contains("Effect")) throw PolicyError(where, "needs Effect (\"Allow\" or \"Deny\")");
    const json& effect = v.at("Effect");
    if (effect == "Allow")
        s.effect = Effect::Allow;
    else if (effect == "Deny")
        s.effect = Effect::Deny;
    else
        throw PolicyError(where + ".Effect",
                          fmt::format("expected \"Allow\" or \"Deny\", found {}", effect.dump()));
    read_action_and_resource(s, v, where);
    const bool principal = v.contains("Principal"), not_principal = v.contains("NotPrincipal");
    if (principal && not_principal) throw PolicyError(where, "has both Principal and NotPrincipal");
    s.has_principal = principal || not_principal;
    s.not_principal = not_principal;
    if (s.has_principal)
        s.principals = principals_of(v.at(principal ? "Principal" : "NotPrincipal"),
                                     where + (principal ? ".Principal" : ".NotPrincipal"));
    if (kind == PolicyKind::Identity && s.has_principal)
        throw PolicyError(where, "an identity-based policy cannot name a Principal");
    if (kind != PolicyKind::Identity && !s.has_principal)
        throw PolicyError(where, "a resource-based or trust policy needs a Principal");
    if (kind != PolicyKind::Trust && !s.has_resource)
        throw PolicyError(where, "needs Resource or NotResource");
    if (kind == PolicyKind::Trust && s.has_resource)
        throw PolicyError(where, "a trust policy has no Resource (the role is the resource)");
    if (kind == PolicyKind::ResourceControl) rcp_statement(s, v, where);
    if (v.contains("Condition"))
        s.conditions = conditions_of(v.at("Condition"), where + ".Condition");
    return s;
}

}  // namespace

std::string Statement::label() const {
    return sid.empty() ? fmt::format("statement {}", index + 1) : fmt::format("Sid \"{}\"", sid);
}

PolicyDocument parse_policy(std::string_view text, PolicyKind kind) {
    json doc;
    try {
        doc = json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
        std::string what = e.what();
        if (auto at = what.find("] "); at != std::string::npos) what = what.substr(at + 2);
        throw PolicyError("", "not valid JSON: " + what);
    }
    if (!doc.is_object())
        throw PolicyError("", fmt::format("expected a JSON object, found {}", doc.type_name()));
    PolicyDocument p;
    for (const auto& item : doc.items())
        if (item.key() != "Version" && item.key() != "Id" && item.key() != "Statement")
            unknown_element("", item.key(), {"Version", "Id", "Statement"});
    if (doc.contains("Version")) {
        const json& v = doc.at("Version");
        if (v != "2012-10-17" && v != "2008-10-17")
            throw PolicyError("Version", fmt::format("expected \"2012-10-17\" (or the older "
                                                     "\"2008-10-17\"), found {}",
                                                     v.dump()));
        p.version = v.get<std::string>();
    }
    if (kind == PolicyKind::ResourceControl && p.version != "2012-10-17")
        throw PolicyError("Version", "an RCP needs \"Version\": \"2012-10-17\"");
    if (doc.contains("Id")) p.id = scalar_text(doc.at("Id"), "Id");
    if (!doc.contains("Statement")) throw PolicyError("", "needs a Statement");
    const json& st = doc.at("Statement");
    if (st.is_array()) {
        if (st.empty()) throw PolicyError("Statement", "expected at least one statement");
        for (std::size_t i = 0; i < st.size(); ++i)
            p.statements.push_back(statement_of(st[i], i, fmt::format("Statement[{}]", i), kind));
    } else {
        p.statements.push_back(statement_of(st, 0, "Statement", kind));
    }
    return p;
}

const char* to_string(ConditionOp op) {
    for (const auto& [o, name] : kOperators)
        if (o == op) return name;
    return "?";
}

const char* to_string(Effect effect) {
    return effect == Effect::Allow ? "Allow" : "Deny";
}

}  // namespace stratus::iam
