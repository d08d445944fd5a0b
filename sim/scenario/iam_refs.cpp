// Managed policy references of the IAM sections (iam_refs.hpp).
#include "sim/scenario/iam_refs.hpp"

#include <fmt/format.h>

#include "sim/iam/managed_policies.hpp"
#include "sim/scenario/internal.hpp"

namespace stratus::scenario {

std::optional<ManagedPolicyRef> resolve_managed_policy(const Spec& spec, std::string_view ref,
                                                       std::string* error) {
    std::string_view name = ref;
    bool aws = false;
    if (ref.rfind("arn:", 0) == 0) {
        const auto policy = ref.find(":policy/");
        if (policy == std::string_view::npos) {
            if (error)
                *error = fmt::format("`{}` is not a policy ARN (arn:aws:iam::ACCOUNT:policy/NAME)",
                                     detail::shortened(ref));
            return std::nullopt;
        }
        // arn:PARTITION:iam::ACCOUNT:policy/PATH/NAME; AWS's own policies have "aws" as the
        // account.
        const auto account = ref.rfind(':', policy - 1) + 1;
        aws = ref.substr(account, policy - account) == "aws";
        name = ref.substr(ref.rfind('/') + 1);
    }
    if (aws) {
        if (const auto* doc = iam::aws_managed_policy(name))
            return ManagedPolicyRef{std::string(name), doc, true};
        if (error)
            *error = fmt::format(
                "the AWS managed policy `{}` is not built in (built in: {}); copy "
                "its document into an [[iam_policy]]",
                detail::shortened(name), detail::quoted_list(iam::aws_managed_policy_names()));
        return std::nullopt;
    }
    std::vector<std::string> known;
    for (const auto& p : spec.iam_policy) {
        if (p.name == name) return ManagedPolicyRef{p.name, &p.document, false};
        known.push_back(p.name);
    }
    if (error) {
        const std::string hint = detail::did_you_mean(name, known);
        *error = fmt::format("unknown policy `{}`; known: {}{}", detail::shortened(name),
                             known.empty() ? "none ([[iam_policy]])" : detail::quoted_list(known),
                             hint.empty() ? "" : "; " + hint);
    }
    return std::nullopt;
}

std::optional<ManagedPolicyRef> resolve_scp(const Spec& spec, std::string_view policy_id,
                                            std::string* error) {
    if (policy_id == "p-FullAWSAccess")
        return ManagedPolicyRef{"FullAWSAccess", &iam::full_aws_access(), true};
    if (policy_id == "p-RCPFullAWSAccess")
        return ManagedPolicyRef{"RCPFullAWSAccess", &iam::rcp_full_aws_access(), true, true};
    std::vector<std::string> known;
    for (const auto& p : spec.organizations_policy) {
        if (p.name == policy_id)
            return ManagedPolicyRef{p.name, &p.document, false,
                                    p.type == "RESOURCE_CONTROL_POLICY"};
        known.push_back(p.name);
    }
    if (error) {
        const std::string hint = detail::did_you_mean(policy_id, known);
        *error = fmt::format("unknown SCP or RCP `{}`; known: {}{}", detail::shortened(policy_id),
                             known.empty() ? "`p-FullAWSAccess`, `p-RCPFullAWSAccess`"
                                           : detail::quoted_list(known) +
                                                 ", `p-FullAWSAccess`, `p-RCPFullAWSAccess`",
                             hint.empty() ? "" : "; " + hint);
    }
    return std::nullopt;
}

}  // namespace stratus::scenario
