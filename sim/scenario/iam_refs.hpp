#pragma once
// How the IAM sections name managed policies (docs/iam.md, "Scenario sections"): a policy
// attachment's policy_arn, a permissions boundary, a role's managed_policy_arns, an SCP
// attachment's policy_id. Read here once, for validate and for the IAM model.
#include <optional>
#include <string>
#include <string_view>

#include "sim/iam/policy.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::scenario {

struct ManagedPolicyRef {
    std::string name;
    const iam::PolicyDocument* document = nullptr;
    bool aws_managed = false;  // built in (AdministratorAccess, ...), not an [[iam_policy]]
    bool rcp = false;          // an organization policy of type RESOURCE_CONTROL_POLICY
};

// "NAME" or "arn:aws:iam::ACCOUNT:policy/PATH/NAME" -> the [[iam_policy]] NAME;
// "arn:aws:iam::aws:policy/PATH/NAME" -> the built-in AWS managed policy NAME. Nothing if
// neither, with the reason in *error.
std::optional<ManagedPolicyRef> resolve_managed_policy(const Spec& spec, std::string_view ref,
                                                       std::string* error);

// An organization policy attachment's policy_id: an [[organizations_policy]]'s name (an SCP
// or an RCP by its type), "p-FullAWSAccess" (an SCP) or "p-RCPFullAWSAccess" (an RCP).
std::optional<ManagedPolicyRef> resolve_scp(const Spec& spec, std::string_view policy_id,
                                            std::string* error);

}  // namespace stratus::scenario
