#pragma once
// The key reference, generated from the grammar (settings.hpp): every section and key with
// its type, default, range, unit, AWS and Terraform names, aliases, whether a run can change
// it, and its meaning. `stratus reference` prints it; docs/reference.md is a copy that a test
// keeps equal to it.
#include <string>

namespace stratus::scenario {

// The reference as Markdown.
std::string reference_markdown();

}  // namespace stratus::scenario
