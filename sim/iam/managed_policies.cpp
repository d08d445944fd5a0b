// The built-in AWS managed policies (managed_policies.hpp), parsed once.
#include "sim/iam/managed_policies.hpp"

#include <utility>

namespace stratus::iam {
namespace {

struct Builtin {
    const char* name;
    const char* json;
};

constexpr Builtin kBuiltins[] = {
    {"AdministratorAccess",
     R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*",
         "Resource": "*"}]})"},
    {"PowerUserAccess",
     R"({"Version": "2012-10-17", "Statement": [
         {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"],
          "Resource": "*"},
         {"Effect": "Allow",
          "Action": ["account:GetAccountInformation", "account:GetPrimaryEmail",
                     "account:ListRegions", "iam:CreateServiceLinkedRole",
                     "iam:DeleteServiceLinkedRole", "iam:ListRoles",
                     "organizations:DescribeOrganization"],
          "Resource": "*"}]})"},
    {"AmazonS3FullAccess",
     R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
         "Action": ["s3:*", "s3-object-lambda:*"], "Resource": "*"}]})"},
    {"AmazonS3ReadOnlyAccess",
     R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
         "Action": ["s3:Get*", "s3:List*", "s3:Describe*", "s3-object-lambda:Get*",
                    "s3-object-lambda:List*"],
         "Resource": "*"}]})"},
};

const std::vector<std::pair<std::string, PolicyDocument>>& parsed() {
    static const auto kParsed = [] {
        std::vector<std::pair<std::string, PolicyDocument>> out;
        for (const auto& b : kBuiltins)
            out.emplace_back(b.name, parse_policy(b.json, PolicyKind::Identity));
        return out;
    }();
    return kParsed;
}

}  // namespace

const PolicyDocument* aws_managed_policy(std::string_view name) {
    for (const auto& [n, doc] : parsed())
        if (n == name) return &doc;
    return nullptr;
}

std::vector<std::string> aws_managed_policy_names() {
    std::vector<std::string> out;
    for (const auto& b : kBuiltins)
        out.push_back(b.name);
    return out;
}

const PolicyDocument& full_aws_access() {
    return *aws_managed_policy("AdministratorAccess");
}

const PolicyDocument& rcp_full_aws_access() {
    static const PolicyDocument kDoc = parse_policy(
        R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
            "Action": "*", "Resource": "*"}]})",
        PolicyKind::ResourceBased);
    return kDoc;
}

}  // namespace stratus::iam
