#pragma once
// The exit statuses every stratus command returns, declared once (README, "Exit status").
namespace stratus::cli {

constexpr int kExitOk = 0;       // done, and any check asked for passed
constexpr int kExitFailure = 1;  // done, and the answer is no: an SLO missed, a call denied
constexpr int kExitUsage = 2;    // bad input, named by file, line, column and key; no output

}  // namespace stratus::cli
