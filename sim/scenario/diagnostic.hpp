#pragma once
// Errors and warnings about a scenario, in the user's terms: where (file:line:column), which
// key (autoscaling_group[web].min_size), what was found and what was expected.
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/scenario/spec.hpp"

namespace stratus::scenario {

enum class Severity { Error, Warning };

struct Diagnostic {
    Severity severity = Severity::Error;
    SourcePos pos;         // file, line, column (line 0: no position, e.g. a missing section)
    std::string key_path;  // autoscaling_group[web].min_size; empty when about the whole file
    std::string message;   // what was found and what was expected, "did you mean" hints

    // "lab.toml:12:3: error: autoscaling_group[web].min_size: expected ..., found -1"
    std::string format() const;
};

// Where to point a diagnostic about `key` of an element whose key positions are `pos`: the
// key's own position, else the element's table header (""), else the scenario file alone.
SourcePos position_of(const Spec& spec, const KeyPositions& pos, const std::string& key = "");

// Thrown by the loader; holds every error found (not only the first).
class ScenarioError : public std::runtime_error {
  public:
    explicit ScenarioError(std::vector<Diagnostic> diagnostics);
    const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

  private:
    std::vector<Diagnostic> diagnostics_;
};

}  // namespace stratus::scenario
