#pragma once
// Matching of actions, resource ARNs and condition values with IAM's wildcards, the request
// context's keys, and policy variables (docs/iam.md, "Matching").
//
// Patterns here are "escaped": '*' and '?' are wildcards and a backslash makes the next
// character literal. substitute() turns a policy's text into that form, so a '*' that came
// from a variable (${*}) or a context value is matched literally, as AWS does.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stratus::iam {

// The request context: condition keys and their values. Key names are case-insensitive
// (aws:username and AWS:UserName are one key); values are kept as given. A key may hold
// several values (aws:TagKeys, a repeated --context).
class RequestContext {
  public:
    void set(std::string_view key, std::vector<std::string> values);
    void add(std::string_view key, std::string value);
    void erase(std::string_view key);
    // nullptr when the key is not in the context.
    const std::vector<std::string>* find(std::string_view key) const;
    // Keys as first written, with their values, in insertion order.
    const std::vector<std::pair<std::string, std::vector<std::string>>>& entries() const {
        return entries_;
    }

  private:
    std::vector<std::pair<std::string, std::vector<std::string>>> entries_;
};

// '*' matches any run of characters (also none), '?' any one character; backslash escapes.
bool wildcard_match(std::string_view pattern, std::string_view text, bool ignore_case);

// An action pattern of a policy ("s3:Get*", "*", "IAM:ListRoles") against a request's action:
// case-insensitive, wildcards, no escapes.
bool action_matches(std::string_view pattern, std::string_view action);

// An escaped ARN pattern against an ARN: each of the six colon-separated parts
// (arn:partition:service:region:account:resource) matched on its own, case-sensitively, so a
// wildcard never spans a colon of the first five; the resource part keeps its colons and
// slashes. A pattern or ARN without six parts is matched as a whole. "*" matches anything.
bool arn_matches(std::string_view pattern, std::string_view arn);

// The policy's text with its variables replaced (when `variables`), escaped as above:
// ${aws:username}, ${aws:PrincipalTag/team}, ${key, 'default'}, ${*}, ${?}, ${$}. Nothing when
// a variable's key is not in the context and has no default (the value then matches nothing).
std::optional<std::string> substitute(std::string_view text, const RequestContext& context,
                                      bool variables);

// An escaped pattern read as plain text (for the operators without wildcards).
std::string unescape(std::string_view pattern);

std::string to_lower(std::string_view text);

}  // namespace stratus::iam
