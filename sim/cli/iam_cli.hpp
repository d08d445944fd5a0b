#pragma once
// `stratus iam check SCENARIO --principal user/NAME --action s3:GetObject --resource ARN
// [--context KEY=VALUE]... [--expires-in S] [--signature-age S] [--session-policy JSON]...
// [--account ID] [--lang ko]`: AWS's
// policy evaluation for one request, like the IAM policy simulator: allowed, implicit deny or
// explicit deny, with the statements that decided (docs/iam.md).
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace stratus::cli {

struct IamCheckOptions {
    CLI::App* check = nullptr;
    std::string file;
    std::vector<std::string> sets;
    std::string principal, action, resource = "*", account, lang = "en";
    std::vector<std::string> context;
    // A presigned URL's request (either given): its X-Amz-Expires (default 3600) and how long
    // after signing it is made (s3:signatureAge; default 0), in seconds; -1: not given.
    long long expires_in = -1, signature_age = -1;
    // A role session's session policies, as AssumeRole's Policy passes them: JSON text, or
    // file://PATH (repeatable).
    std::vector<std::string> session_policies;
};

CLI::App* add_iam_command(CLI::App& app, IamCheckOptions& options);
// Exit status: 0 allowed, 1 denied (implicit or explicit), 2 a usage error or a scenario that
// does not load (ScenarioError is left to the caller, which prints it).
int run_iam_check(const IamCheckOptions& options);

}  // namespace stratus::cli
