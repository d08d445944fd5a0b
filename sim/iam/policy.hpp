#pragma once
// An IAM JSON policy document as AWS's "IAM JSON policy elements reference" defines it:
// Version, Id, Statement (one object or an array), and per statement Sid, Effect,
// Action/NotAction, Resource/NotResource, Principal/NotPrincipal and Condition. parse_policy
// reads the JSON text and refuses what IAM would refuse (docs/iam.md, "Policy documents").
// Plain values, no state; evaluation is in evaluate.hpp.
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace stratus::iam {

enum class Effect { Allow, Deny };

// Which elements a document must or must not have depends on where it is attached.
enum class PolicyKind {
    Identity,       // identity-based, permissions boundary, SCP: Resource, no Principal
    ResourceBased,  // a bucket policy: Principal and Resource
    Trust,          // a role's assume_role_policy: Principal, no Resource
    // an RCP (AWS Organizations "RCP syntax"): Version "2012-10-17", Deny statements only
    // (Allow is for RCPFullAWSAccess alone), Principal "*" only, no NotPrincipal, no NotAction
    ResourceControl,
};

// The condition operators of "IAM JSON policy elements: Condition operators".
enum class ConditionOp {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
};

enum class SetQualifier { None, ForAllValues, ForAnyValue };

// One key of one operator: "StringEquals": { "aws:username": ["a", "b"] }.
struct Condition {
    std::string op_text;  // as written: "ForAnyValue:StringLikeIfExists"
    ConditionOp op = ConditionOp::StringEquals;
    SetQualifier set = SetQualifier::None;
    bool if_exists = false;
    std::string key;                  // as written ("aws:PrincipalTag/team")
    std::vector<std::string> values;  // numbers and booleans as their JSON text
};

// One entry of Principal / NotPrincipal: "*" (type "*"), or { "AWS": "arn:..." },
// { "Service": "ec2.amazonaws.com" }, "Federated", "CanonicalUser".
struct PrincipalEntry {
    std::string type;
    std::string value;
};

struct Statement {
    std::size_t index = 0;  // 0-based position in the document
    std::string sid;
    Effect effect = Effect::Allow;
    bool not_action = false;
    std::vector<std::string> actions;
    bool has_resource = false;  // a trust policy has none: every resource matches
    bool not_resource = false;
    std::vector<std::string> resources;
    bool has_principal = false;
    bool not_principal = false;
    std::vector<PrincipalEntry> principals;
    std::vector<Condition> conditions;  // all must hold
    // "Sid \"AllowRead\"" or "statement 2" (1-based), as the decision names it.
    std::string label() const;
};

struct PolicyDocument {
    std::string version;  // "2012-10-17", "2008-10-17" or "" (not given)
    std::string id;
    std::vector<Statement> statements;
    // Policy variables (${aws:username}) are replaced only under Version 2012-10-17; in older
    // documents they are literal text.
    bool substitutes_variables() const { return version == "2012-10-17"; }
};

// A document IAM would refuse. `element` is the path inside the document
// ("Statement[1].Condition.StringEquals"), empty for the JSON syntax itself.
class PolicyError : public std::invalid_argument {
  public:
    PolicyError(std::string element, const std::string& message)
        : std::invalid_argument(element.empty() ? message : element + ": " + message),
          element_(std::move(element)) {}
    const std::string& element() const { return element_; }

  private:
    std::string element_;
};

// Throws PolicyError.
PolicyDocument parse_policy(std::string_view json, PolicyKind kind);

// The canonical name of an operator ("StringLike").
const char* to_string(ConditionOp op);
const char* to_string(Effect effect);

}  // namespace stratus::iam
