#include "sim/sweep/design.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "sim/core/files.hpp"
#include "sim/core/random.hpp"
#include "sim/scenario/toml_syntax_error.hpp"

namespace stratus::sweep {

using scenario::Diagnostic;
using scenario::ScenarioError;
using scenario::Severity;
using scenario::SourcePos;

namespace {

constexpr std::uint64_t kMaxLevels = 100000;
constexpr std::uint64_t kMaxPoints = 10000000;
constexpr std::uint64_t kMaxDesignBytes = 16u << 20;

[[noreturn]] void fail(const SourcePos& pos, const std::string& key, const std::string& message) {
    throw ScenarioError({Diagnostic{Severity::Error, pos, key, message}});
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    const auto e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

// Splits on commas that are not inside quotes, brackets or braces.
std::vector<std::string> split_items(const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    int depth = 0;
    char quote = 0;
    for (char c : s) {
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '[' || c == '{') {
            ++depth;
        } else if (c == ']' || c == '}') {
            --depth;
        } else if (c == ',' && depth == 0) {
            out.push_back(trim(cur));
            cur.clear();
            continue;
        }
        cur += c;
    }
    out.push_back(trim(cur));
    return out;
}

bool is_integer_text(const std::string& s) {
    return s.find('.') == std::string::npos;
}

std::string toml_quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

SourcePos at(const toml::node& n, const std::string& file) {
    return SourcePos{file, static_cast<int>(n.source().begin.line),
                     static_cast<int>(n.source().begin.column)};
}

}  // namespace

std::string number_text(double v) {
    if (v == 0) return "0";  // no "-0"
    return fmt::format("{}", v);
}

std::vector<std::string> Design::paths() const {
    std::vector<std::string> out;
    for (const auto& f : factors)
        out.insert(out.end(), f.paths.begin(), f.paths.end());
    return out;
}

std::uint64_t Design::point_count() const {
    std::uint64_t n = 1;
    for (const auto& f : factors)
        n *= f.levels.size();
    return n;
}

std::vector<Value> Design::point(std::uint64_t index) const {
    // Mixed-radix digits, the last factor the fastest.
    std::vector<std::size_t> level(factors.size());
    for (std::size_t k = factors.size(); k-- > 0;) {
        const std::uint64_t n = factors[k].levels.size();
        level[k] = static_cast<std::size_t>(index % n);
        index /= n;
    }
    std::vector<Value> out;
    for (std::size_t k = 0; k < factors.size(); ++k) {
        const auto& row = factors[k].levels[level[k]];
        out.insert(out.end(), row.begin(), row.end());
    }
    return out;
}

namespace {

std::vector<std::string> integer_range(const std::string& item, const std::string& unit,
                                       long long a, long long b, long long s) {
    if (s <= 0) throw std::invalid_argument(fmt::format("range `{}`: STEP must be > 0", item));
    if (b < a) throw std::invalid_argument(fmt::format("range `{}`: TO is below FROM", item));
    // Unsigned, because TO - FROM overflows a long long when they lie far apart on either side
    // of zero.
    const auto span = static_cast<std::uint64_t>(b) - static_cast<std::uint64_t>(a);
    if (span / static_cast<std::uint64_t>(s) >= kMaxLevels)  // values = span / s + 1
        throw std::invalid_argument(
            fmt::format("range `{}` has more than {} values", item, kMaxLevels));
    std::vector<std::string> out;
    for (std::uint64_t i = 0; i <= span / static_cast<std::uint64_t>(s); ++i) {
        // a + i*s lies in [a, b]; summed unsigned because i*s alone may exceed a long long.
        const auto v = static_cast<long long>(static_cast<std::uint64_t>(a) +
                                              i * static_cast<std::uint64_t>(s));
        out.push_back(std::to_string(v) + unit);
    }
    return out;
}

std::vector<std::string> decimal_range(const std::string& item, const std::string& unit, double a,
                                       double b, double s) {
    std::vector<std::string> out;
    if (!(s > 0)) throw std::invalid_argument(fmt::format("range `{}`: STEP must be > 0", item));
    if (b < a) throw std::invalid_argument(fmt::format("range `{}`: TO is below FROM", item));
    const double count = std::floor((b - a) / s + 1e-9) + 1;
    if (count > static_cast<double>(kMaxLevels))
        throw std::invalid_argument(
            fmt::format("range `{}` has more than {} values", item, kMaxLevels));
    for (long long i = 0; i < static_cast<long long>(count); ++i) {
        // Rounded to 12 significant digits so that 0.1 steps print as 0.3, not 0.30000000000000004.
        const double v = std::stod(fmt::format("{:.12g}", a + static_cast<double>(i) * s));
        out.push_back(number_text(v) + unit);
    }
    return out;
}

}  // namespace

std::vector<std::string> expand_range(const std::string& item, bool* is_range) {
    static const std::regex looks_like("^-?[0-9].*\\.\\..*$");
    static const std::regex range(
        "^(-?[0-9]+(?:\\.[0-9]+)?)([a-z]*)\\.\\.(-?[0-9]+(?:\\.[0-9]+)?)([a-z]*)"
        "(?::([0-9]+(?:\\.[0-9]+)?)([a-z]*))?$");
    *is_range = std::regex_match(item, looks_like);
    if (!*is_range) return {};
    std::smatch m;
    if (!std::regex_match(item, m, range))
        throw std::invalid_argument(fmt::format(
            "malformed range `{}`: expected FROM..TO or FROM..TO:STEP, such as 2..10:2 or "
            "60s..300s:60s",
            item));
    const std::string lo = m[1], unit = m[2], hi = m[3], hi_unit = m[4];
    const std::string step = m[5].matched ? std::string(m[5]) : "1";
    const std::string step_unit = m[6].matched ? std::string(m[6]) : unit;
    if (hi_unit != unit || (!step_unit.empty() && step_unit != unit))
        throw std::invalid_argument(
            fmt::format("range `{}` mixes units: FROM, TO and STEP must share one unit", item));
    try {
        return is_integer_text(lo) && is_integer_text(hi) && is_integer_text(step)
                   ? integer_range(item, unit, std::stoll(lo), std::stoll(hi), std::stoll(step))
                   : decimal_range(item, unit, std::stod(lo), std::stod(hi), std::stod(step));
    } catch (const std::out_of_range&) {
        throw std::invalid_argument(
            fmt::format("range `{}`: a number is too large (or too small) to hold", item));
    }
}

Factor parse_grid(const std::string& arg) {
    const SourcePos pos{"--grid " + arg, 0, 0};
    const auto eq = arg.find('=');
    if (eq == std::string::npos || trim(arg.substr(0, eq)).empty())
        fail(pos, "",
             "malformed grid: expected PATH=V1,V2,... or PATH=FROM..TO:STEP, such as "
             "autoscaling_group.web.min_size=2,4,6");
    Factor f;
    f.paths.push_back(trim(arg.substr(0, eq)));
    const std::string& path = f.paths[0];
    if (path == "simulation.seed")
        fail(pos, path,
             "the seed is not a grid axis: replications vary it (--replications R uses seeds "
             "seed, seed+1, ..., seed+R-1 at every point)");
    for (const auto& item : split_items(arg.substr(eq + 1))) {
        if (item.empty()) fail(pos, path, "empty value in the grid's list");
        bool is_range = false;
        std::vector<std::string> values;
        try {
            values = expand_range(item, &is_range);
        } catch (const std::invalid_argument& e) {
            fail(pos, path, e.what());
        }
        if (!is_range) values.push_back(item);
        for (auto& v : values)
            f.levels.push_back({Value{v, v, pos}});
        if (f.levels.size() > kMaxLevels)
            fail(pos, path, fmt::format("more than {} values", kMaxLevels));
    }
    return f;
}

std::vector<std::vector<double>> latin_hypercube(int n, const std::vector<LhsRange>& ranges,
                                                 std::uint64_t seed) {
    std::vector<std::vector<double>> out(static_cast<std::size_t>(std::max(n, 0)),
                                         std::vector<double>(ranges.size()));
    for (std::size_t d = 0; d < ranges.size(); ++d) {
        // One stream per dimension: adding a dimension does not move the others' points.
        RandomStream rng(seed, fmt::format("lhs/{}", d));
        std::vector<int> stratum(out.size());
        for (std::size_t i = 0; i < stratum.size(); ++i)
            stratum[i] = static_cast<int>(i);
        for (std::size_t i = stratum.size(); i > 1; --i)  // Fisher-Yates
            std::swap(stratum[i - 1], stratum[rng.below(i)]);
        const auto& r = ranges[d];
        for (std::size_t i = 0; i < out.size(); ++i) {
            const double x = (stratum[i] + rng.uniform01()) / n;
            if (r.integer) {
                out[i][d] = std::min(r.max, std::floor(r.min + x * (r.max - r.min + 1)));
            } else {
                out[i][d] = r.min + x * (r.max - r.min);
            }
        }
    }
    return out;
}

namespace {

// A TOML value as a design value: the text the loader re-reads, and the cell shown.
Value value_of(const toml::node& n, const std::string& file) {
    Value v;
    v.pos = at(n, file);
    if (auto s = n.as_string()) {
        v.label = s->get();
        v.text = toml_quoted(s->get());
    } else if (auto i = n.as_integer()) {
        v.text = v.label = std::to_string(i->get());
    } else if (auto d = n.as_floating_point()) {
        v.text = v.label = number_text(d->get());
    } else if (auto b = n.as_boolean()) {
        v.text = v.label = b->get() ? "true" : "false";
    } else {
        std::ostringstream os;
        n.visit([&](auto&& x) { os << x; });
        v.text = v.label = os.str();
    }
    return v;
}

class DesignReader {
  public:
    explicit DesignReader(std::string file) : file_(std::move(file)) {}

    Design read(const toml::table& root) {
        Design d;
        check_keys(root, {"replications", "axis", "zip", "lhs"}, "");
        if (auto* r = root.get("replications")) {
            auto v = r->as_integer();
            if (!v || v->get() < 1 || v->get() > 1000000)
                fail(at(*r, file_), "replications", "expected an integer from 1 to 1000000");
            d.replications = static_cast<int>(v->get());
        }
        if (auto* a = root.get("axis")) {
            for (const auto* t : tables(*a, "axis"))
                d.factors.push_back(axis(*t));
        }
        if (auto* z = root.get("zip")) {
            for (const auto* t : tables(*z, "zip"))
                d.factors.push_back(zip(*t));
        }
        if (auto* l = root.get("lhs")) {
            if (!l->is_table()) fail(at(*l, file_), "lhs", "expected a table [lhs]");
            d.factors.push_back(lhs(*l->as_table()));
        }
        if (d.factors.empty())
            fail(SourcePos{file_, 0, 0}, "",
                 "the design varies nothing: add an [[axis]], a [[zip]] or an [lhs]");
        std::set<std::string> seen;
        for (const auto& f : d.factors)
            for (std::size_t j = 0; j < f.paths.size(); ++j)
                if (!seen.insert(f.paths[j]).second)
                    fail(f.levels.empty() ? SourcePos{file_, 0, 0} : f.levels[0][j].pos, f.paths[j],
                         "this path is varied twice in the design");
        return d;
    }

  private:
    std::string file_;

    void check_keys(const toml::table& t, const std::vector<std::string>& known,
                    const std::string& where) {
        for (const auto& [k, v] : t) {
            const std::string key(k.str());
            if (std::find(known.begin(), known.end(), key) != known.end()) continue;
            std::string list;
            for (const auto& s : known)
                list += (list.empty() ? "`" : ", `") + s + "`";
            fail(at(v, file_), where.empty() ? key : where + "." + key,
                 fmt::format("unknown key `{}`; expected one of {}", key, list));
        }
    }

    std::vector<const toml::table*> tables(const toml::node& n, const std::string& key) {
        std::vector<const toml::table*> out;
        const auto* a = n.as_array();
        if (!a) fail(at(n, file_), key, fmt::format("expected [[{}]] tables", key));
        for (const auto& e : *a) {
            if (!e.is_table()) fail(at(e, file_), key, fmt::format("expected [[{}]] tables", key));
            out.push_back(e.as_table());
        }
        return out;
    }

    std::string path_of(const toml::table& t, const std::string& where) {
        const auto* p = t.get("path");
        if (!p) fail(at(t, file_), where, "missing `path` (a setting's path, as with --set)");
        if (!p->is_string() || p->as_string()->get().empty())
            fail(at(*p, file_), where + ".path", "expected a setting's path as a string");
        const std::string path = p->as_string()->get();
        if (path == "simulation.seed")
            fail(at(*p, file_), where + ".path",
                 "the seed is not a design axis: replications vary it");
        return path;
    }

    Factor axis(const toml::table& t) {
        check_keys(t, {"path", "values", "range"}, "axis");
        Factor f;
        f.paths.push_back(path_of(t, "axis"));
        const std::string where = "axis[" + f.paths[0] + "]";
        const auto* values = t.get("values");
        const auto* range = t.get("range");
        if ((values != nullptr) == (range != nullptr))
            fail(at(t, file_), where, "expected exactly one of `values` (a list) or `range`");
        if (values) {
            const auto* a = values->as_array();
            if (!a || a->empty())
                fail(at(*values, file_), where + ".values", "expected a non-empty list");
            for (const auto& e : *a)
                f.levels.push_back({value_of(e, file_)});
        } else {
            const auto* s = range->as_string();
            if (!s) fail(at(*range, file_), where + ".range", "expected a string FROM..TO:STEP");
            bool is_range = false;
            std::vector<std::string> texts;
            try {
                texts = expand_range(s->get(), &is_range);
            } catch (const std::invalid_argument& e) {
                fail(at(*range, file_), where + ".range", e.what());
            }
            if (!is_range)
                fail(at(*range, file_), where + ".range",
                     fmt::format("`{}` is not a range FROM..TO:STEP", s->get()));
            for (const auto& v : texts)
                f.levels.push_back({Value{v, v, at(*range, file_)}});
        }
        return f;
    }

    Factor zip(const toml::table& t) {
        check_keys(t, {"paths", "values"}, "zip");
        Factor f;
        const auto* p = t.get("paths");
        if (!p || !p->is_array() || p->as_array()->empty())
            fail(p ? at(*p, file_) : at(t, file_), "zip.paths",
                 "expected a non-empty list of paths");
        for (const auto& e : *p->as_array()) {
            if (!e.is_string()) fail(at(e, file_), "zip.paths", "expected paths as strings");
            f.paths.push_back(e.as_string()->get());
            if (f.paths.back() == "simulation.seed")
                fail(at(e, file_), "zip.paths",
                     "the seed is not a design axis: replications vary it");
        }
        const auto* v = t.get("values");
        if (!v || !v->is_array() || v->as_array()->empty())
            fail(v ? at(*v, file_) : at(t, file_), "zip.values",
                 "expected a non-empty list of rows, one value per path");
        for (const auto& row : *v->as_array()) {
            const auto* r = row.as_array();
            if (!r || r->size() != f.paths.size())
                fail(at(row, file_), "zip.values",
                     fmt::format("expected a row of {} values (one per path)", f.paths.size()));
            std::vector<Value> level;
            for (const auto& e : *r)
                level.push_back(value_of(e, file_));
            f.levels.push_back(std::move(level));
        }
        return f;
    }

    double number(const toml::table& t, const char* key, const std::string& where) {
        const auto* n = t.get(key);
        if (!n) fail(at(t, file_), where, fmt::format("missing `{}`", key));
        if (auto i = n->as_integer()) return static_cast<double>(i->get());
        if (auto d = n->as_floating_point()) return d->get();
        fail(at(*n, file_), where + "." + key, "expected a number");
    }

    Factor lhs(const toml::table& t) {
        check_keys(t, {"points", "seed", "axis"}, "lhs");
        const auto* pts = t.get("points");
        if (!pts || !pts->as_integer() || pts->as_integer()->get() < 1 ||
            pts->as_integer()->get() > static_cast<std::int64_t>(kMaxLevels))
            fail(pts ? at(*pts, file_) : at(t, file_), "lhs.points",
                 fmt::format("expected the number of points, 1 to {}", kMaxLevels));
        const int n = static_cast<int>(pts->as_integer()->get());
        std::uint64_t seed = 1;
        if (const auto* s = t.get("seed")) {
            if (!s->as_integer() || s->as_integer()->get() < 0)
                fail(at(*s, file_), "lhs.seed", "expected a non-negative integer");
            seed = static_cast<std::uint64_t>(s->as_integer()->get());
        }
        const auto* ax = t.get("axis");
        if (!ax) fail(at(t, file_), "lhs", "missing [[lhs.axis]] (path, min, max)");
        Factor f;
        std::vector<LhsRange> ranges;
        std::vector<SourcePos> where_pos;
        for (const auto* a : tables(*ax, "lhs.axis")) {
            check_keys(*a, {"path", "min", "max", "integer"}, "lhs.axis");
            f.paths.push_back(path_of(*a, "lhs.axis"));
            const std::string where = "lhs.axis[" + f.paths.back() + "]";
            LhsRange r;
            r.min = number(*a, "min", where);
            r.max = number(*a, "max", where);
            if (!(r.min < r.max)) fail(at(*a, file_), where, "expected min < max");
            if (const auto* i = a->get("integer")) {
                if (!i->is_boolean())
                    fail(at(*i, file_), where + ".integer", "expected true/false");
                r.integer = i->as_boolean()->get();
            }
            ranges.push_back(r);
            where_pos.push_back(at(*a, file_));
        }
        for (const auto& point : latin_hypercube(n, ranges, seed)) {
            std::vector<Value> level;
            for (std::size_t d = 0; d < point.size(); ++d) {
                const std::string text =
                    ranges[d].integer ? number_text(point[d])
                                      : number_text(std::stod(fmt::format("{:.6g}", point[d])));
                level.push_back(Value{text, text, where_pos[d]});
            }
            f.levels.push_back(std::move(level));
        }
        return f;
    }
};

}  // namespace

Design load_design_text(const std::string& text, const std::string& file_name) {
    toml::table root;
    try {
        root = toml::parse(text, file_name);
    } catch (const toml::parse_error& e) {
        const int line = static_cast<int>(e.source().begin.line);
        const int column = static_cast<int>(e.source().begin.column);
        const scenario::TomlSyntaxError error =
            scenario::describe_toml_syntax_error(text, line, column, std::string(e.description()));
        fail(SourcePos{file_name, line, column}, error.key, error.message);
    }
    Design d = DesignReader(file_name).read(root);
    if (d.point_count() > kMaxPoints)
        fail(SourcePos{file_name, 0, 0}, "",
             fmt::format("the design has more than {} points", kMaxPoints));
    return d;
}

Design load_design_file(const std::string& path) {
    std::string text;
    try {
        text = files::read_regular_file(path, kMaxDesignBytes, "design files");
    } catch (const files::FileError& e) {
        fail(SourcePos{path, 0, 0}, "", "cannot read the design file: " + e.reason());
    }
    return load_design_text(text, path);
}

}  // namespace stratus::sweep
