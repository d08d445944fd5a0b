#pragma once
// scenario.toml -> Spec: TOML++ parsing, the grammar's defaults (settings.hpp), --set overrides
// (applied to the TOML tree first, so they are type-checked exactly like the file), then
// validation.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/diagnostic.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::scenario {

// Loads and validates a scenario file. `overrides` are the raw "PATH=VALUE" strings of --set.
// Throws ScenarioError with every error found; warnings are returned in *warnings if given.
Spec load_file(const std::string& path, const std::vector<std::string>& overrides = {},
               std::vector<Diagnostic>* warnings = nullptr);

// The largest files read (docs/hardening.md): a scenario file, and a data file it names
// (traces, empirical samples, Spot price traces). Only regular files are read.
constexpr std::uint64_t kMaxScenarioBytes = 16u << 20;
constexpr std::uint64_t kMaxDataFileBytes = 32u << 20;

// A scenario file's text (throws ScenarioError naming the file when it cannot be read: missing,
// not a regular file, larger than kMaxScenarioBytes), and the folder the files it names are
// found in (its own, or ".").
std::string read_scenario_text(const std::string& path);
// The port a container health check's command probes on the container's own address: the
// first `localhost` or `127.0.0.1` in it, with its `:PORT`, or the port after it (`nc -z
// localhost 8080`), else its URL scheme's (https: 443, otherwise 80, curl's default); 0 when
// it names neither host (a process check such as `pgrep nginx`). `command[0]` is CMD or
// CMD-SHELL and is skipped.
int probed_port(const std::vector<std::string>& command);
std::string scenario_base_dir(const std::string& path);

// How errors name the override `raw` ("PATH=VALUE") in place of a file: "--set PATH=VALUE",
// control characters escaped, a very long one cut.
std::string override_origin(const std::string& raw);

// The same from text in memory; `file_name` is used in messages and for the default
// simulation.name, `base_dir` to find the files the scenario names.
Spec load_text(std::string_view text, const std::string& file_name,
               const std::vector<std::string>& overrides = {}, const std::string& base_dir = ".",
               std::vector<Diagnostic>* warnings = nullptr);

// Errors for what the scenario uses whose behaviour arrives with a later version: `run`
// refuses these ("not supported yet"), `validate` accepts them.
std::vector<Diagnostic> unsupported_features(const Spec& spec);

// The resolved scenario as TOML, every default filled in (for `stratus explain`).
std::string explain(const Spec& spec);

}  // namespace stratus::scenario
