#pragma once
// A few AWS managed policies, built in so that a scenario can attach them by ARN
// (arn:aws:iam::aws:policy/AdministratorAccess) as Terraform does. Their documents are
// stratus's copies of what AWS publishes (docs/iam.md lists them); any other AWS managed
// policy is copied into an [[iam_policy]].
#include <string>
#include <string_view>
#include <vector>

#include "sim/iam/policy.hpp"

namespace stratus::iam {

// The document of a built-in AWS managed policy by its name, or nullptr.
const PolicyDocument* aws_managed_policy(std::string_view name);
std::vector<std::string> aws_managed_policy_names();

// AWS Organizations' FullAWSAccess SCP (policy id p-FullAWSAccess): allows everything.
const PolicyDocument& full_aws_access();

// AWS Organizations' RCPFullAWSAccess RCP (policy id p-RCPFullAWSAccess): attached to the root,
// every OU and every account once RCPs are enabled, and not detachable; it lets every request
// through RCP evaluation and grants nothing.
const PolicyDocument& rcp_full_aws_access();

}  // namespace stratus::iam
