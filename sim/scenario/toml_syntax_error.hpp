#pragma once
// The words of a TOML syntax error, shared by every loader of a TOML file (scenarios, sweep
// designs): the key path being read at the error, and a message that names a duplicate key or
// table as the file writes it (TOML++'s own words re-escape the key, garbling quoted ones).
#include <string>
#include <string_view>

namespace stratus::scenario {

struct TomlSyntaxError {
    std::string key;      // "simulation.duration", "workload[1].rate"; "" before any key
    std::string message;  // starts "TOML syntax error: "
};

// The error TOML++ reported as `description` at `line`:`column` (1-based) of `text`.
TomlSyntaxError describe_toml_syntax_error(std::string_view text, int line, int column,
                                           const std::string& description);

}  // namespace stratus::scenario
