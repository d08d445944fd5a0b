#pragma once
// The design of a sweep: which settings vary and over which values. A design is a list of
// factors crossed with each other (cartesian product, the first factor varying slowest). A
// factor is one path (`--grid PATH=...`, a `[[axis]]`), several paths moving together
// (`[[zip]]`), or a Latin hypercube sample of several paths (`[lhs]`).
#include <cstdint>
#include <string>
#include <vector>

#include "sim/scenario/diagnostic.hpp"

namespace stratus::sweep {

// One value of a varied path: the text handed to the loader as PATH=TEXT (type-checked there
// like the scenario file's own value), the text shown in the results, and where it came from.
struct Value {
    std::string text;   // TOML value text, e.g. 4, 0.5, "c5.large", 60s
    std::string label;  // results cell, e.g. 4, 0.5, c5.large, 60s
    scenario::SourcePos pos;
};

struct Factor {
    std::vector<std::string> paths;
    std::vector<std::vector<Value>> levels;  // levels[i][j]: the value of paths[j] at level i
};

struct Design {
    std::vector<Factor> factors;
    int replications = 0;  // from a design file; 0 when it does not say

    // The varied paths in column order.
    std::vector<std::string> paths() const;
    // The number of points (product of the factors' levels; 1 with no factor).
    std::uint64_t point_count() const;
    // Point `index`'s values, one per path (column order); the first factor varies slowest.
    std::vector<Value> point(std::uint64_t index) const;
};

// Expands one --grid argument: PATH=ITEM,ITEM,... where an item is a value or a range
// `FROM..TO[:STEP]` (integers, decimals, or durations with one unit: 60s..300s:60s). Commas
// inside quotes, brackets or braces do not split. Throws ScenarioError naming the argument.
Factor parse_grid(const std::string& arg);

// The values of a range `FROM..TO[:STEP]` (STEP defaults to 1 in the unit of the ends), or
// nothing when `item` is not a range. Throws std::invalid_argument with the reason when it
// looks like a range but is malformed (step <= 0, TO < FROM, mixed units, too many values).
std::vector<std::string> expand_range(const std::string& item, bool* is_range);

// Latin hypercube sample of `n` points over `ranges` (min, max per dimension): each
// dimension's [min, max) is cut into n equal strata and every stratum holds exactly one
// point. Deterministic for a seed (the project's RandomStream, independent of the standard
// library). result[i][d] is point i's coordinate in dimension d.
struct LhsRange {
    double min = 0;
    double max = 1;
    bool integer = false;  // values are floor()ed over [min, max + 1), then capped at max
};
std::vector<std::vector<double>> latin_hypercube(int n, const std::vector<LhsRange>& ranges,
                                                 std::uint64_t seed);

// Reads a design file (TOML):
//   replications = 3
//   [[axis]]  path = "...", values = [...]  or  range = "2..10:2"
//   [[zip]]   paths = ["a", "b"], values = [[1, 10], [2, 20]]
//   [lhs]     points = 16, seed = 1, [[lhs.axis]] path, min, max, integer = false
// Factor order: the axes, then the zips, then the Latin hypercube. Throws ScenarioError with
// file, line, column and key for every mistake.
Design load_design_file(const std::string& path);
Design load_design_text(const std::string& text, const std::string& file_name);

// A number as the shortest text that reads back as the same double ("0.5", "4", "1e-05").
std::string number_text(double v);

}  // namespace stratus::sweep
