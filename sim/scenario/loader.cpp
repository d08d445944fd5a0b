// TOML -> Spec. Every value goes through a converter that reports what it found and what it
// expected at the value's own line and column, and every table ends with an unknown-key check
// against the keys its reader asked for, so the list of known keys cannot drift from the code.
#include "sim/scenario/loader.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include <toml++/toml.h>

#include "sim/scenario/cidr.hpp"
#include "sim/scenario/cloudwatch_trace.hpp"
#include "sim/scenario/internal.hpp"
#include "sim/scenario/spot_params.hpp"

namespace stratus::scenario {
namespace {

using namespace detail;

constexpr std::int64_t kIntMin = std::numeric_limits<int>::min();
constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();
constexpr double kInf = std::numeric_limits<double>::infinity();

struct Ctx {
    std::string file;
    std::string base_dir;
    Diagnostics diags;
    std::int64_t start_epoch_s = SimulationSpec{}.start_epoch_s;

    SourcePos at(const toml::source_region& r) const {
        if (r.path && r.path->rfind("--set ", 0) == 0) return SourcePos{*r.path, 0, 0};
        return SourcePos{file, static_cast<int>(r.begin.line), static_cast<int>(r.begin.column)};
    }
    SourcePos at(const toml::node& n) const { return at(n.source()); }
    void error(const toml::node& n, const std::string& path, std::string message) {
        diags.error(at(n), path, std::move(message));
    }
};

std::string quote(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

// What a value is, for "found ...": the value itself for scalars, its kind otherwise.
std::string describe(const toml::node& n) {
    if (auto s = n.as_string()) return quote(s->get());
    if (auto i = n.as_integer()) return fmt::format("{}", i->get());
    if (auto f = n.as_floating_point()) return fmt::format("{}", f->get());
    if (n.is_boolean()) return "a boolean";
    if (n.is_table()) return "a table";
    if (n.is_array()) return "an array";
    if (n.is_date_time()) return "a date-time";
    if (n.is_date()) return "a date";
    if (n.is_time()) return "a time of day";
    return "a value";
}

std::string int_expectation(std::int64_t min, std::int64_t max) {
    if (min <= kIntMin && max >= kIntMax) return "an integer";
    if (max >= kIntMax) return fmt::format("an integer >= {}", min);
    if (min <= kIntMin) return fmt::format("an integer <= {}", max);
    return fmt::format("an integer between {} and {}", min, max);
}

struct NumRange {
    double min = -kInf;
    double max = kInf;
    bool min_open = false;  // min itself excluded
    std::string text() const {
        std::string lo = fmt::format("{} {}", min_open ? ">" : ">=", min);
        if (min == -kInf && max == kInf) return "a number";
        if (max == kInf) return "a number " + lo;
        if (min == -kInf) return fmt::format("a number <= {}", max);
        if (min_open) return fmt::format("a number > {} and <= {}", min, max);
        return fmt::format("a number between {} and {}", min, max);
    }
    bool contains(double v) const {
        // Never NaN or an infinity: no setting means "unbounded" by writing inf.
        return (min_open ? v > min : v >= min) && v <= max && std::isfinite(v);
    }
};
const NumRange kAny{};
const NumRange kNonNegative{0};
const NumRange kPositive{0, kInf, true};
const NumRange kPercent{0, 100};

enum class Sign { NonNegative, Positive };

const char* kDurationForm = "a duration such as \"90s\" or an integer number of seconds";

// ---------------------------------------------------------------------------------------------
// Converters of one node. Each reports its own error and returns nullopt on failure.

std::optional<std::int64_t> to_integer(Ctx& c, const toml::node& n, const std::string& path,
                                       std::int64_t min = kIntMin, std::int64_t max = kIntMax) {
    std::optional<std::int64_t> v;
    if (auto i = n.as_integer()) v = i->get();
    if (auto f = n.as_floating_point())  // 2.0 is an integer someone wrote with a point
        if (std::isfinite(f->get()) && f->get() == std::floor(f->get()) &&
            std::fabs(f->get()) < 1e15)
            v = static_cast<std::int64_t>(f->get());
    if (!v) {
        c.error(n, path,
                fmt::format("expected {}, found {}", int_expectation(min, max), describe(n)));
        return std::nullopt;
    }
    if (*v < min || *v > max) {
        c.error(n, path, fmt::format("expected {}, found {}", int_expectation(min, max), *v));
        return std::nullopt;
    }
    return v;
}

std::optional<double> to_number(Ctx& c, const toml::node& n, const std::string& path,
                                const NumRange& range = kAny) {
    std::optional<double> v;
    if (auto i = n.as_integer()) v = static_cast<double>(i->get());
    if (auto f = n.as_floating_point()) v = f->get();
    if (!v) {
        c.error(n, path, fmt::format("expected {}, found {}", range.text(), describe(n)));
        return std::nullopt;
    }
    if (!range.contains(*v)) {
        c.error(n, path, fmt::format("expected {}, found {}", range.text(), describe(n)));
        return std::nullopt;
    }
    return v;
}

std::optional<bool> to_bool(Ctx& c, const toml::node& n, const std::string& path) {
    if (auto b = n.as_boolean()) return b->get();
    c.error(n, path, fmt::format("expected true or false, found {}", describe(n)));
    return std::nullopt;
}

std::optional<std::string> to_string(Ctx& c, const toml::node& n, const std::string& path) {
    if (auto s = n.as_string()) return s->get();
    c.error(n, path, fmt::format("expected a string, found {}", describe(n)));
    return std::nullopt;
}

std::optional<std::vector<std::string>> to_string_list(Ctx& c, const toml::node& n,
                                                       const std::string& path) {
    const toml::array* a = n.as_array();
    if (!a) {
        c.error(n, path, fmt::format("expected an array of strings, found {}", describe(n)));
        return std::nullopt;
    }
    std::vector<std::string> out;
    bool ok = true;
    for (std::size_t i = 0; i < a->size(); ++i) {
        const toml::node& e = *a->get(i);
        if (auto s = e.as_string()) {
            out.push_back(s->get());
        } else {
            c.error(e, fmt::format("{}[{}]", path, i),
                    fmt::format("expected a string, found {}", describe(e)));
            ok = false;
        }
    }
    if (!ok) return std::nullopt;
    return out;
}

std::optional<std::map<std::string, std::string>> to_string_map(Ctx& c, const toml::node& n,
                                                                const std::string& path) {
    const toml::table* t = n.as_table();
    if (!t) {
        c.error(n, path,
                fmt::format("expected a table of strings such as {{ Name = \"web\" }}, found {}",
                            describe(n)));
        return std::nullopt;
    }
    std::map<std::string, std::string> out;
    for (const auto& [k, v] : *t) {
        if (auto s = v.as_string()) {
            out[std::string(k.str())] = s->get();
        } else {
            c.error(v, fmt::format("{}.{}", path, k.str()),
                    fmt::format("expected a string, found {}", describe(v)));
        }
    }
    return out;
}

template <class E, std::size_t N>
std::optional<E> to_enum(Ctx& c, const toml::node& n, const std::string& path,
                         const Named<E> (&table)[N]) {
    auto names = names_of(table);
    std::string expected = fmt::format("one of {}", quoted_list(names, 20));
    const auto* s = n.as_string();
    if (!s) {
        c.error(n, path, fmt::format("expected {}, found {}", expected, describe(n)));
        return std::nullopt;
    }
    for (const auto& e : table)
        if (s->get() == e.name) return e.value;
    std::string hint = did_you_mean(s->get(), names);
    c.error(n, path,
            fmt::format("expected {}, found {}{}", expected, quote(s->get()),
                        hint.empty() ? "" : "; " + hint));
    return std::nullopt;
}

std::optional<SimTime> duration_value(const toml::node& n) {
    if (auto i = n.as_integer()) {
        if (std::abs(i->get()) > kNever / kSecond / 2) return std::nullopt;
        return i->get() * kSecond;
    }
    if (auto f = n.as_floating_point()) {
        if (!std::isfinite(f->get()) || std::fabs(f->get()) > 1e12) return std::nullopt;
        return from_seconds(f->get());
    }
    if (auto s = n.as_string()) return parse_duration(s->get());
    return std::nullopt;
}

std::optional<SimTime> to_duration(Ctx& c, const toml::node& n, const std::string& path,
                                   Sign sign = Sign::NonNegative) {
    auto v = duration_value(n);
    if (!v) {
        c.error(n, path, fmt::format("expected {}, found {}", kDurationForm, describe(n)));
        return std::nullopt;
    }
    if (*v < 0 || (sign == Sign::Positive && *v == 0)) {
        c.error(n, path,
                fmt::format("expected a duration {} 0, found {}",
                            sign == Sign::Positive ? ">" : ">=", describe(n)));
        return std::nullopt;
    }
    return v;
}

// Terraform-style keys that are integer seconds; a whole-second duration string also works.
std::optional<int> to_seconds(Ctx& c, const toml::node& n, const std::string& path,
                              std::int64_t min = 0, std::int64_t max = kIntMax) {
    std::string expected =
        min <= 0 && max >= kIntMax ? std::string("an integer number of seconds >= 0")
        : max >= kIntMax           ? fmt::format("an integer number of seconds >= {}", min)
                         : fmt::format("an integer number of seconds between {} and {}", min, max);
    std::optional<std::int64_t> v;
    if (auto i = n.as_integer()) v = i->get();
    if (auto s = n.as_string()) {
        auto d = parse_duration(s->get());
        if (d && *d % kSecond == 0) v = *d / kSecond;
    }
    if (!v) {
        c.error(n, path, fmt::format("expected {}, found {}", expected, describe(n)));
        return std::nullopt;
    }
    if (*v < min || *v > max) {
        c.error(n, path, fmt::format("expected {}, found {}", expected, describe(n)));
        return std::nullopt;
    }
    return static_cast<int>(*v);
}

std::optional<std::int64_t> toml_date_time_epoch(const toml::date_time& dt) {
    if (!dt.offset) return std::nullopt;
    std::int64_t days = days_from_civil(dt.date.year, dt.date.month, dt.date.day);
    return days * 86400 + dt.time.hour * 3600 + dt.time.minute * 60 + dt.time.second -
           dt.offset->minutes * 60;
}

// A time point: a duration from the start, or an RFC 3339 date-time (string or TOML literal).
std::optional<SimTime> to_time_point(Ctx& c, const toml::node& n, const std::string& path) {
    std::optional<std::int64_t> epoch;
    bool is_date = false;
    if (auto dt = n.as_date_time()) {
        is_date = true;
        epoch = toml_date_time_epoch(dt->get());
    } else if (auto s = n.as_string(); s && s->get().find('-', 1) != std::string::npos &&
                                       s->get().size() >= 10 && !parse_duration(s->get())) {
        is_date = true;
        epoch = parse_rfc3339(s->get());
    }
    if (is_date) {
        if (!epoch) {
            c.error(n, path,
                    fmt::format("expected an RFC 3339 date-time with a UTC offset such as "
                                "\"2026-01-05T14:00:00Z\", found {}",
                                describe(n)));
            return std::nullopt;
        }
        if (*epoch < c.start_epoch_s) {
            c.error(n, path,
                    fmt::format("is before simulation.start_time; expected a time at or after the "
                                "start, found {}",
                                describe(n)));
            return std::nullopt;
        }
        return (*epoch - c.start_epoch_s) * kSecond;
    }
    auto v = duration_value(n);
    if (!v) {
        c.error(n, path,
                fmt::format("expected a time such as \"2h\" (from the start) or an RFC 3339 "
                            "date-time, found {}",
                            describe(n)));
        return std::nullopt;
    }
    if (*v < 0) {
        c.error(n, path, fmt::format("expected a time >= 0 from the start, found {}", describe(n)));
        return std::nullopt;
    }
    return v;
}

// A block such as "0.0.0.0/0" (any prefix; host bits must be clear).
bool is_cidr(std::string_view text) {
    try {
        Cidr::parse(text);
        return true;
    } catch (const CidrError&) {
        return false;
    }
}

std::string resolve_file(const Ctx& c, const std::string& file) {
    std::filesystem::path p(file);
    if (p.is_absolute()) return file;
    return (std::filesystem::path(c.base_dir) / p).string();
}

// Reads a data file named by the scenario; reports a missing file at the key that names it.
constexpr std::uintmax_t kMaxDataFileBytes = 256u << 20;

std::optional<std::string> read_data_file(Ctx& c, const toml::node& n, const std::string& path,
                                          const std::string& file) {
    std::string full = resolve_file(c, file);
    std::ifstream in(full, std::ios::binary);
    if (!in || std::filesystem::is_directory(full)) {
        c.error(
            n, path,
            fmt::format("cannot read {}: {}", quote(full), std::strerror(errno ? errno : ENOENT)));
        return std::nullopt;
    }
    // Only regular files of a sane size: a device such as /dev/zero or /dev/stdin would be
    // read forever.
    std::error_code ec;
    if (!std::filesystem::is_regular_file(full, ec)) {
        c.error(n, path, fmt::format("cannot read {}: not a regular file", quote(full)));
        return std::nullopt;
    }
    if (std::filesystem::file_size(full, ec) > kMaxDataFileBytes) {
        c.error(n, path,
                fmt::format("{} is larger than {} MiB; data files are traces and samples, "
                            "keep them smaller",
                            quote(full), kMaxDataFileBytes >> 20));
        return std::nullopt;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// ---------------------------------------------------------------------------------------------
// One table being read: records the keys asked for, their positions, and at the end reports
// the keys nobody asked for.

class Tab {
  public:
    Tab(Ctx& c, const toml::table& t, std::string path, KeyPositions* pos = nullptr,
        std::string pos_prefix = "", bool top_level = false)
        : c_(c),
          t_(t),
          path_(std::move(path)),
          pos_(pos),
          prefix_(std::move(pos_prefix)),
          top_level_(top_level) {
        if (pos_ && prefix_.empty()) (*pos_)[""] = c_.at(t_);
    }

    Ctx& ctx() { return c_; }
    const std::string& path() const { return path_; }
    void set_path(std::string p) { path_ = std::move(p); }
    std::string key_path(std::string_view key) const { return path_ + "." + std::string(key); }
    SourcePos table_pos() const { return c_.at(t_); }

    const toml::node* get(std::string_view key) {
        known_.emplace_back(key);
        const toml::node* n = t_.get(key);
        if (n && pos_) (*pos_)[prefix_ + std::string(key)] = c_.at(*n);
        return n;
    }
    bool has(std::string_view key) const { return t_.get(key) != nullptr; }

    void missing(std::string_view key, const std::string& what = "") {
        c_.diags.error(table_pos(), key_path(key),
                       fmt::format("required key `{}` is missing{}", key, what));
    }

    // Reads `key` with `convert` into `out` when present; reports it when required and absent.
    template <class T, class Convert>
    bool read(std::string_view key, T& out, bool required, Convert convert) {
        const toml::node* n = get(key);
        if (!n) {
            if (required) missing(key);
            return false;
        }
        auto v = convert(*n, key_path(key));
        if (!v) return false;
        out = std::move(*v);
        return true;
    }

    bool str(std::string_view key, std::string& out, bool required = false) {
        return read(key, out, required,
                    [&](const toml::node& n, const std::string& p) { return to_string(c_, n, p); });
    }
    bool name(std::string_view key, std::string& out) {
        bool ok = str(key, out, true);
        if (ok && out.empty()) {
            c_.diags.error(c_.at(*t_.get(key)), key_path(key), "expected a non-empty name");
            return false;
        }
        return ok;
    }
    template <class T>
    bool integer(std::string_view key, T& out, std::int64_t min = kIntMin,
                 std::int64_t max = kIntMax, bool required = false) {
        return read(key, out, required, [&](const toml::node& n, const std::string& p) {
            auto v = to_integer(c_, n, p, min, max);
            return v ? std::optional<T>(static_cast<T>(*v)) : std::nullopt;
        });
    }
    template <class T>
    bool number(std::string_view key, T& out, const NumRange& range = kAny, bool required = false) {
        return read(key, out, required, [&](const toml::node& n, const std::string& p) {
            return to_number(c_, n, p, range);
        });
    }
    bool boolean(std::string_view key, bool& out) {
        return read(key, out, false,
                    [&](const toml::node& n, const std::string& p) { return to_bool(c_, n, p); });
    }
    template <class T>
    bool duration(std::string_view key, T& out, Sign sign = Sign::NonNegative,
                  bool required = false) {
        return read(key, out, required, [&](const toml::node& n, const std::string& p) {
            return to_duration(c_, n, p, sign);
        });
    }
    template <class T>
    bool seconds(std::string_view key, T& out, std::int64_t min = 0, std::int64_t max = kIntMax) {
        return read(key, out, false, [&](const toml::node& n, const std::string& p) {
            return to_seconds(c_, n, p, min, max);
        });
    }
    template <class T>
    bool time_point(std::string_view key, T& out, bool required = false) {
        return read(key, out, required, [&](const toml::node& n, const std::string& p) {
            return to_time_point(c_, n, p);
        });
    }
    bool strings(std::string_view key, std::vector<std::string>& out) {
        return read(key, out, false, [&](const toml::node& n, const std::string& p) {
            return to_string_list(c_, n, p);
        });
    }
    bool string_map(std::string_view key, std::map<std::string, std::string>& out) {
        return read(key, out, false, [&](const toml::node& n, const std::string& p) {
            return to_string_map(c_, n, p);
        });
    }
    template <class T, class E, std::size_t N>
    bool enumeration(std::string_view key, T& out, const Named<E> (&table)[N],
                     bool required = false) {
        return read(key, out, required, [&](const toml::node& n, const std::string& p) {
            auto v = to_enum(c_, n, p, table);
            return v ? std::optional<T>(*v) : std::nullopt;
        });
    }

    // A nested table (health_check = { ... }); nullptr and an error if it is something else.
    const toml::table* table(std::string_view key) {
        const toml::node* n = get(key);
        if (!n) return nullptr;
        if (!n->is_table()) {
            c_.error(*n, key_path(key), fmt::format("expected a table, found {}", describe(*n)));
            return nullptr;
        }
        return n->as_table();
    }
    // A nested array of tables (step_adjustment = [{ ... }]).
    std::vector<const toml::table*> tables(std::string_view key) {
        std::vector<const toml::table*> out;
        const toml::node* n = get(key);
        if (!n) return out;
        const toml::array* a = n->as_array();
        if (!a) {
            c_.error(*n, key_path(key),
                     fmt::format("expected an array of tables, found {}", describe(*n)));
            return out;
        }
        for (std::size_t i = 0; i < a->size(); ++i) {
            if (const auto* t = a->get(i)->as_table()) {
                out.push_back(t);
            } else {
                c_.error(*a->get(i), fmt::format("{}[{}]", key_path(key), i),
                         fmt::format("expected a table, found {}", describe(*a->get(i))));
            }
        }
        return out;
    }

    KeyPositions* positions() { return pos_; }
    const std::string& pos_prefix() const { return prefix_; }

    // Reports every key that no reader asked for.
    void done() {
        for (const auto& [k, v] : t_) {
            std::string key(k.str());
            if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
            std::string message = fmt::format("unknown key `{}`", key);
            std::string hint = did_you_mean(key, known_);
            if (hint.empty() && top_level_) hint = other_section_hint(key);
            if (!hint.empty()) message += "; " + hint;
            SourcePos pos =
                k.source().path && k.source().begin.line > 0 ? c_.at(k.source()) : c_.at(v);
            c_.diags.error(pos, key_path(key), message);
        }
    }

  private:
    std::string other_section_hint(const std::string& key) const {
        std::string own = path_.substr(0, path_.find('['));
        for (const auto& s : sections()) {
            if (own == s.name) continue;
            for (const char* k : s.keys)
                if (key == k)
                    return fmt::format(s.is_array ? "`{}` is a key of [[{}]], not of this section"
                                                  : "`{}` is a key of [{}], not of this section",
                                       key, s.name);
        }
        return "";
    }

    Ctx& c_;
    const toml::table& t_;
    std::string path_;
    KeyPositions* pos_;
    std::string prefix_;
    bool top_level_;
    std::vector<std::string> known_;
};

// A sub-table's reader: paths continue the parent's, positions go into the parent's map.
Tab sub(Tab& parent, const toml::table& t, std::string_view key) {
    return Tab(parent.ctx(), t, parent.key_path(key), parent.positions(),
               parent.pos_prefix() + std::string(key) + ".");
}
Tab sub_item(Tab& parent, const toml::table& t, std::string_view key, std::size_t index) {
    return Tab(parent.ctx(), t, fmt::format("{}[{}]", parent.key_path(key), index),
               parent.positions(), fmt::format("{}{}[{}].", parent.pos_prefix(), key, index));
}

// ---------------------------------------------------------------------------------------------
// Distributions and rates

std::optional<DurationDist> to_dist(Ctx& c, const toml::node& n, const std::string& path,
                                    KeyPositions* pos, const std::string& prefix) {
    if (!n.is_table()) {
        auto v = duration_value(n);
        if (!v) {
            c.error(n, path,
                    fmt::format("expected a duration such as \"50ms\" or a distribution table "
                                "such as {{ dist = \"exponential\", mean = \"40ms\" }}, found {}",
                                describe(n)));
            return std::nullopt;
        }
        if (*v < 0) {
            c.error(n, path, fmt::format("expected a duration >= 0, found {}", describe(n)));
            return std::nullopt;
        }
        return DurationDist::constant(*v);
    }
    Tab t(c, *n.as_table(), path, pos, prefix);
    DurationDist d;
    if (!t.enumeration("dist", d.kind, kDistKind, true)) {
        t.done();
        return std::nullopt;
    }
    std::size_t errors_before = c.diags.errors().size();
    switch (d.kind) {
        case DistKind::Constant:
            if (t.has("value"))
                t.duration("value", d.mean);
            else
                t.duration("mean", d.mean, Sign::NonNegative, true);
            break;
        case DistKind::Exponential:
            t.duration("mean", d.mean, Sign::Positive, true);
            break;
        case DistKind::Normal:
            t.duration("mean", d.mean, Sign::NonNegative, true);
            t.duration("sd", d.sd, Sign::NonNegative, true);
            break;
        case DistKind::Lognormal:
            t.duration("mean", d.mean, Sign::Positive, true);
            t.number("cv", d.cv, kNonNegative, true);
            break;
        case DistKind::Uniform:
            t.duration("min", d.min, Sign::NonNegative, true);
            if (t.duration("max", d.max, Sign::NonNegative, true) && d.max < d.min)
                c.diags.error(c.at(*n.as_table()->get("max")), t.key_path("max"),
                              fmt::format("expected max >= min ({}), found {}",
                                          format_duration(d.min), format_duration(d.max)));
            break;
        case DistKind::Empirical: {
            if (!t.str("file", d.file, true)) break;
            const toml::node& fn = *n.as_table()->get("file");
            auto text = read_data_file(c, fn, t.key_path("file"), d.file);
            if (!text) break;
            std::string full = resolve_file(c, d.file);
            bool first = true;
            for (const auto& row : read_csv(*text)) {
                auto v = parse_duration(row.cells[0]);
                if (!v) {
                    char* end = nullptr;
                    double secs = std::strtod(row.cells[0].c_str(), &end);
                    if (end && *end == '\0' && !row.cells[0].empty() && std::isfinite(secs))
                        v = from_seconds(secs);
                }
                if (!v || *v < 0) {
                    if (first && !v) {  // a header row
                        first = false;
                        continue;
                    }
                    c.diags.error(SourcePos{full, row.line, 1}, t.key_path("file"),
                                  fmt::format("expected a duration >= 0 per row (such as "
                                              "\"40ms\" or seconds), found {}",
                                              quote(row.cells[0])));
                    break;
                }
                first = false;
                d.samples.push_back(*v);
            }
            if (d.samples.empty() && c.diags.errors().size() == errors_before)
                c.error(fn, t.key_path("file"),
                        fmt::format("expected at least one sample in {}", quote(full)));
            break;
        }
    }
    t.done();
    if (c.diags.errors().size() != errors_before) return std::nullopt;
    return d;
}

bool read_dist(Tab& t, std::string_view key, DurationDist& out, bool required = false) {
    const toml::node* n = t.get(key);
    if (!n) {
        if (required) t.missing(key);
        return false;
    }
    auto d = to_dist(t.ctx(), *n, t.key_path(key), t.positions(),
                     t.pos_prefix() + std::string(key) + ".");
    if (d) out = std::move(*d);
    return d.has_value();
}

bool read_dist(Tab& t, std::string_view key, std::optional<DurationDist>& out) {
    DurationDist d;
    if (!read_dist(t, key, d)) return false;
    out = std::move(d);
    return true;
}

// A CloudWatch export as the trace's steps (cloudwatch_trace.hpp): per-period sums as rates
// from the run's start; periods without a datapoint and datapoints before the start are said.
void read_cloudwatch_trace(Ctx& c, const toml::node& file_node, const std::string& path,
                           const std::string& text, RateSpec& r) {
    const std::string full = quote(resolve_file(c, r.file));
    CloudWatchTrace trace;
    try {
        trace = parse_cloudwatch_export(text, r.metric, r.period);
    } catch (const TraceError& e) {
        c.error(file_node, path, fmt::format("{}: {}", full, e.what()));
        return;
    }
    std::int64_t dropped = 0;
    for (const auto& [at, rate] : cloudwatch_rates(trace, c.start_epoch_s, &dropped))
        r.steps.emplace_back(at * kSecond, rate);
    const SourcePos pos = c.at(file_node);
    if (trace.missing_periods > 0)
        c.diags.warning(
            pos, path,
            fmt::format("{}: {} period(s) of {} s without a datapoint (the first at "
                        "+{}): counted as no requests, as CloudWatch leaves out the "
                        "periods of a count metric that counted nothing",
                        full, trace.missing_periods, trace.period_s,
                        format_duration((trace.first_missing - c.start_epoch_s) * kSecond)));
    if (dropped > 0)
        c.diags.warning(pos, path,
                        fmt::format("{}: {} datapoint(s) before simulation.start_time are left out",
                                    full, dropped));
    if (r.steps.empty())
        c.error(file_node, path,
                fmt::format("{}: every datapoint is before simulation.start_time", full));
}

std::optional<RateSpec> to_rate(Ctx& c, const toml::node& n, const std::string& path,
                                KeyPositions* pos, const std::string& prefix) {
    RateSpec r;
    if (!n.is_table()) {
        auto v = to_number(c, n, path, kNonNegative);
        if (!v) return std::nullopt;
        r.value = *v;
        return r;
    }
    Tab t(c, *n.as_table(), path, pos, prefix);
    std::size_t errors_before = c.diags.errors().size();
    if (!t.enumeration("shape", r.shape, kRateShape, true)) {
        t.done();
        return std::nullopt;
    }
    switch (r.shape) {
        case RateShape::Constant:
            t.number("value", r.value, kNonNegative, true);
            break;
        case RateShape::Diurnal: {
            t.number("min", r.min, kNonNegative, true);
            if (t.number("max", r.max, kNonNegative, true) && r.max < r.min)
                c.diags.error(c.at(*n.as_table()->get("max")), t.key_path("max"),
                              fmt::format("expected max >= min ({}), found {}", r.min, r.max));
            const toml::node* peak = t.get("peak");
            if (peak) {
                auto s = peak->as_string();
                auto v = s ? parse_time_of_day(s->get()) : std::nullopt;
                if (!v)
                    c.error(*peak, t.key_path("peak"),
                            fmt::format("expected a time of day such as \"14:00\", found {}",
                                        describe(*peak)));
                else
                    r.peak = *v;
            }
            break;
        }
        case RateShape::Steps: {
            const toml::node* steps = t.get("steps");
            if (!steps) {
                t.missing("steps");
                break;
            }
            const toml::array* a = steps->as_array();
            std::string form =
                "expected an array of [time, rate] pairs such as [[\"0h\", 200], "
                "[\"2h\", 800]]";
            if (!a || a->empty()) {
                c.error(*steps, t.key_path("steps"),
                        fmt::format("{}, found {}", form, describe(*steps)));
                break;
            }
            for (std::size_t i = 0; i < a->size(); ++i) {
                const toml::node& e = *a->get(i);
                std::string p = fmt::format("{}[{}]", t.key_path("steps"), i);
                const toml::array* pair = e.as_array();
                if (!pair || pair->size() != 2) {
                    c.error(e, p, fmt::format("{}, found {}", form, describe(e)));
                    continue;
                }
                auto at = to_time_point(c, *pair->get(0), p + "[0]");
                auto rate = to_number(c, *pair->get(1), p + "[1]", kNonNegative);
                if (!at || !rate) continue;
                if (!r.steps.empty() && *at <= r.steps.back().first)
                    c.error(
                        e, p,
                        fmt::format("expected times in increasing order, found {} after {}",
                                    format_duration(*at), format_duration(r.steps.back().first)));
                r.steps.emplace_back(*at, *rate);
            }
            break;
        }
        case RateShape::Ramp:
            t.number("from", r.from, kNonNegative, true);
            t.number("to", r.to, kNonNegative, true);
            t.duration("over", r.over, Sign::Positive, true);
            break;
        case RateShape::Trace: {
            t.number("scale", r.scale, kNonNegative);
            if (t.str("format", r.format) && r.format != "csv" && r.format != "cloudwatch")
                c.error(*n.as_table()->get("format"), t.key_path("format"),
                        fmt::format("expected \"csv\" (time,rate rows) or \"cloudwatch\" (a "
                                    "CloudWatch export), found {}",
                                    quote(r.format)));
            t.str("metric", r.metric);
            t.seconds("period", r.period, 1);
            if (!t.str("file", r.file, true)) break;
            const toml::node& fn = *n.as_table()->get("file");
            auto text = read_data_file(c, fn, t.key_path("file"), r.file);
            if (!text) break;
            std::string full = resolve_file(c, r.file);
            if (r.format == "cloudwatch") {
                read_cloudwatch_trace(c, fn, t.key_path("file"), *text, r);
                break;
            }
            bool first = true;
            for (const auto& row : read_csv(*text)) {
                auto at = parse_duration(row.cells[0]);
                if (!at) {
                    char* end = nullptr;
                    double secs = std::strtod(row.cells[0].c_str(), &end);
                    if (end && *end == '\0' && !row.cells[0].empty() && std::isfinite(secs))
                        at = from_seconds(secs);
                }
                std::optional<double> rate;
                if (row.cells.size() >= 2) {
                    char* end = nullptr;
                    double v = std::strtod(row.cells[1].c_str(), &end);
                    if (end && *end == '\0' && !row.cells[1].empty() && std::isfinite(v)) rate = v;
                }
                if (!at || !rate) {
                    if (first) {  // a header row
                        first = false;
                        continue;
                    }
                    c.diags.error(SourcePos{full, row.line, 1}, t.key_path("file"),
                                  "expected rows of `time,rate` (time as a duration or seconds, "
                                  "rate as requests/s)");
                    break;
                }
                first = false;
                if (*at < 0 || *rate < 0 || (!r.steps.empty() && *at <= r.steps.back().first)) {
                    c.diags.error(SourcePos{full, row.line, 1}, t.key_path("file"),
                                  "expected times >= 0 in increasing order and rates >= 0");
                    break;
                }
                r.steps.emplace_back(*at, *rate);
            }
            if (r.steps.empty() && c.diags.errors().size() == errors_before)
                c.error(fn, t.key_path("file"),
                        fmt::format("expected at least one `time,rate` row in {}", quote(full)));
            break;
        }
    }
    t.done();
    if (c.diags.errors().size() != errors_before) return std::nullopt;
    return r;
}

bool read_tags(Tab& t, Tags& tags) {
    return t.string_map("tags", tags);
}

// ---------------------------------------------------------------------------------------------
// Sections

struct Loader {
    Ctx& c;
    const toml::table& root;
    Spec& spec;

    // A singleton section: [name]. nullptr if absent or not a table.
    const toml::table* section(const char* name) {
        const toml::node* n = root.get(name);
        if (!n) return nullptr;
        if (!n->is_table()) {
            c.error(*n, name,
                    fmt::format("expected a table [{}], found {}{}", name, describe(*n),
                                n->is_array_of_tables() ? fmt::format(" [[{}]]", name) : ""));
            return nullptr;
        }
        return n->as_table();
    }

    // Calls fn(Tab&, index) for each element of [[name]], with the path named after the
    // element's name key when it has one.
    template <class Fn>
    void each(const char* name, Fn fn) {
        const toml::node* n = root.get(name);
        if (!n) return;
        const SectionInfo* info = find_section(name);
        const toml::array* a = n->as_array();
        if (!a || !n->is_array_of_tables()) {
            c.error(*n, name,
                    fmt::format("expected [[{}]] (an array of tables), found {}{}", name,
                                describe(*n), n->is_table() ? fmt::format(" [{}]", name) : ""));
            return;
        }
        for (std::size_t i = 0; i < a->size(); ++i) {
            const toml::table& t = *a->get(i)->as_table();
            std::string path = fmt::format("{}[{}]", name, i);
            if (info && *info->name_key) {
                if (auto s = t.get_as<std::string>(info->name_key); s && !s->get().empty())
                    path = fmt::format("{}[{}]", name, s->get());
            }
            fn(t, path, i);
        }
    }

    // The earliest first datapoint of the workloads' CloudWatch traces, if any can be read
    // (an unreadable one is reported where the workload reads it).
    std::optional<std::int64_t> cloudwatch_start() {
        std::optional<std::int64_t> first;
        const toml::array* workloads = root["workload"].as_array();
        if (!workloads) return first;
        for (const auto& w : *workloads) {
            const toml::node_view<const toml::node> rate =
                w.as_table() ? (*w.as_table())["rate"] : toml::node_view<const toml::node>();
            if (rate["shape"].value_or(std::string()) != "trace" ||
                rate["format"].value_or(std::string()) != "cloudwatch")
                continue;
            const auto file = rate["file"].value<std::string>();
            if (!file) continue;
            // The same limits as read_data_file: a regular file of a sane size.
            const std::string full = resolve_file(c, *file);
            std::error_code ec;
            if (!std::filesystem::is_regular_file(full, ec) ||
                std::filesystem::file_size(full, ec) > kMaxDataFileBytes || ec)
                continue;
            std::ifstream in(full, std::ios::binary);
            std::ostringstream text;
            text << in.rdbuf();
            try {
                const auto period = rate["period"].value<std::int64_t>();
                const CloudWatchTrace trace = parse_cloudwatch_export(
                    text.str(), rate["metric"].value_or(std::string()), period.value_or(0));
                if (!first || trace.sums.front().first < *first) first = trace.sums.front().first;
            } catch (const TraceError&) {
            }
        }
        return first;
    }

    void simulation() {
        auto& s = spec.simulation;
        const toml::table* t = section("simulation");
        if (!t) {
            if (!root.get("simulation"))
                c.diags.error(SourcePos{c.file, 1, 1}, "",
                              "required section [simulation] is missing (it needs at least "
                              "`duration`, such as duration = \"1h\")");
            return;
        }
        Tab r(c, *t, "simulation", &s.pos, "", true);
        r.str("name", s.name);
        r.str("description", s.description);
        r.duration("duration", s.duration, Sign::Positive, true);
        if (const toml::node* seed = r.get("seed")) {
            auto v = to_integer(c, *seed, "simulation.seed", 0,
                                std::numeric_limits<std::int64_t>::max());
            if (v) s.seed = static_cast<std::uint64_t>(*v);
        }
        if (const toml::node* st = r.get("start_time")) {
            std::optional<std::int64_t> epoch;
            if (auto dt = st->as_date_time()) epoch = toml_date_time_epoch(dt->get());
            if (auto str = st->as_string()) epoch = parse_rfc3339(str->get());
            if (!epoch) {
                c.error(*st, "simulation.start_time",
                        fmt::format("expected an RFC 3339 date-time with a UTC offset such as "
                                    "\"2026-01-05T00:00:00Z\", found {}",
                                    describe(*st)));
            } else {
                s.start_epoch_s = *epoch;
                if (auto str = st->as_string()) {
                    s.start_time = str->get();
                } else {
                    std::ostringstream os;
                    os << *st->as_date_time();
                    s.start_time = os.str();
                }
                c.start_epoch_s = *epoch;
            }
        }
        if (!t->get("start_time")) {
            // A CloudWatch trace states when its traffic happened: the run starts there.
            if (auto first = cloudwatch_start()) {
                s.start_epoch_s = c.start_epoch_s = *first;
                s.start_time = format_utc_time(*first);
            }
        }
        if (r.duration("metrics_period", s.metrics_period, Sign::Positive)) {
            SimTime p = s.metrics_period;
            if (!(p == 10 * kSecond || p == 30 * kSecond || p % kMinute == 0))
                c.diags.error(s.pos["metrics_period"], "simulation.metrics_period",
                              fmt::format("expected 10s, 30s or a multiple of 60s (CloudWatch "
                                          "periods), found {}",
                                          quote(format_duration(p))));
        }
        r.enumeration("fidelity", s.fidelity, kFidelity);
        // Extension: warm-up deletion; requests arriving before it stay out of the totals.
        if (r.duration("warmup", s.warmup) && s.duration > 0 && s.warmup >= s.duration)
            c.diags.error(
                s.pos["warmup"], "simulation.warmup",
                fmt::format("expected a warm-up shorter than the duration ({}), found {}",
                            quote(format_duration(s.duration)), quote(format_duration(s.warmup))));
        r.done();
    }

    void region() {
        auto& s = spec.region;
        if (const toml::table* t = section("region")) {
            Tab r(c, *t, "region", &s.pos, "", true);
            r.str("name", s.name);
            if (r.strings("availability_zones", s.availability_zones) &&
                s.availability_zones.empty())
                c.diags.error(s.pos["availability_zones"], "region.availability_zones",
                              "expected at least one availability zone, found an empty array");
            r.done();
        }
        if (s.availability_zones.empty())
            for (const char* suffix : {"a", "b", "c"})
                s.availability_zones.push_back(s.name + suffix);
    }

    void pricing() {
        auto& s = spec.pricing;
        const toml::table* t = section("pricing");
        if (!t) return;
        s.present = true;
        Tab r(c, *t, "pricing", &s.pos, "", true);
        if (const toml::table* od = r.table("on_demand")) {
            for (const auto& [k, v] : *od) {
                auto price =
                    to_number(c, v, fmt::format("pricing.on_demand.{}", k.str()), kNonNegative);
                if (price) s.on_demand[std::string(k.str())] = *price;
            }
        }
        r.number("ebs_gp3_gb_month", s.ebs_gp3_gb_month, kNonNegative);
        r.number("public_ipv4_hour", s.public_ipv4_hour, kNonNegative);
        r.number("alb_hour", s.alb_hour, kNonNegative);
        r.number("alb_lcu_hour", s.alb_lcu_hour, kNonNegative);
        r.number("nat_gateway_hour", s.nat_gateway_hour, kNonNegative);
        r.number("nat_gateway_gb", s.nat_gateway_gb, kNonNegative);
        r.number("inter_az_gb", s.inter_az_gb, kNonNegative);
        r.number("snapshot_gb_month", s.snapshot_gb_month, kNonNegative);
        r.number("s3_standard_gb_month", s.s3_standard_gb_month, kNonNegative);
        r.done();
    }

    void instance_types() {
        each("instance_type", [&](const toml::table& t, const std::string& path, std::size_t) {
            InstanceTypeSpec s;
            Tab r(c, t, path, &s.pos, "", true);
            r.name("name", s.name);
            r.integer("vcpu", s.vcpu, 1);
            r.number("memory_gib", s.memory_gib, kPositive);
            r.number("on_demand_hourly", s.on_demand_hourly, kNonNegative);
            r.number("speed", s.speed, kPositive);
            r.number("baseline_percent", s.baseline_percent, kPercent);
            r.number("credits_per_hour", s.credits_per_hour, kNonNegative);
            r.number("max_credits", s.max_credits, kNonNegative);
            r.enumeration("credit_specification", s.credit_specification, kCreditSpecification);
            r.done();
            spec.instance_type.push_back(std::move(s));
        });
    }

    void launch_templates() {
        each("launch_template", [&](const toml::table& t, const std::string& path, std::size_t) {
            LaunchTemplateSpec s;
            s.boot_time.kind = DistKind::Normal;
            s.boot_time.mean = 45 * kSecond;
            s.boot_time.sd = 10 * kSecond;
            s.app_start_time = DurationDist::constant(30 * kSecond);
            Tab r(c, t, path, &s.pos, "", true);
            r.name("name", s.name);
            r.str("instance_type", s.instance_type, true);
            read_dist(r, "boot_time", s.boot_time);
            read_dist(r, "app_start_time", s.app_start_time);
            r.integer("workers_per_vcpu", s.workers_per_vcpu, 1);
            r.integer("max_queue", s.max_queue, 0);
            r.number("ebs_gb", s.ebs_gb, kNonNegative);
            r.boolean("associate_public_ip_address", s.associate_public_ip_address);
            r.integer("version", s.version, 1);
            r.strings("security_groups", s.security_groups);
            read_tags(r, s.tags);
            r.done();
            spec.launch_template.push_back(std::move(s));
        });
    }

    void load_balancers() {
        each("load_balancer", [&](const toml::table& t, const std::string& path, std::size_t) {
            LoadBalancerSpec s;
            Tab r(c, t, path, &s.pos, "", true);
            r.name("name", s.name);
            r.enumeration("load_balancer_type", s.load_balancer_type, kLoadBalancerType);
            // AWS defaults: cross-zone always on for ALB, off for NLB and CLB (API default).
            s.enable_cross_zone_load_balancing =
                s.load_balancer_type == LoadBalancerType::Application;
            if (r.strings("availability_zones", s.availability_zones) &&
                s.availability_zones.empty())
                c.diags.error(s.pos["availability_zones"], r.key_path("availability_zones"),
                              "expected at least one availability zone, found an empty array");
            r.boolean("enable_cross_zone_load_balancing", s.enable_cross_zone_load_balancing);
            r.seconds("idle_timeout", s.idle_timeout, 1, 4000);
            r.strings("security_groups", s.security_groups);
            r.strings("subnets", s.subnets);
            r.boolean("internal", s.internal);
            read_tags(r, s.tags);
            r.done();
            spec.load_balancer.push_back(std::move(s));
        });
    }

    void lb_listeners() {
        each("lb_listener", [&](const toml::table& t, const std::string& path, std::size_t) {
            LbListenerSpec s;
            Tab r(c, t, path, &s.pos, "", true);
            r.str("load_balancer", s.load_balancer, true);
            r.integer("port", s.port, 1, 65535);
            r.str("target_group", s.target_group, true);
            read_tags(r, s.tags);
            r.done();
            spec.lb_listener.push_back(std::move(s));
        });
    }

    void target_groups() {
        each("target_group", [&](const toml::table& t, const std::string& path, std::size_t) {
            TargetGroupSpec s;
            Tab r(c, t, path, &s.pos, "", true);
            r.name("name", s.name);
            r.integer("port", s.port, 1, 65535);
            r.enumeration("load_balancing_algorithm_type", s.load_balancing_algorithm_type,
                          kLoadBalancingAlgorithm);
            r.seconds("deregistration_delay", s.deregistration_delay, 0, 3600);
            if (r.seconds("slow_start", s.slow_start, 0, 900) && s.slow_start > 0 &&
                s.slow_start < 30)
                c.diags.error(s.pos["slow_start"], r.key_path("slow_start"),
                              fmt::format("expected 0 (off) or an integer number of seconds "
                                          "between 30 and 900, found {}",
                                          s.slow_start));
            if (const toml::table* hc = r.table("health_check")) {
                Tab h = sub(r, *hc, "health_check");
                auto& v = s.health_check;
                h.seconds("interval", v.interval, 5, 300);
                h.seconds("timeout", v.timeout, 2, 120);
                h.integer("healthy_threshold", v.healthy_threshold, 2, 10);
                h.integer("unhealthy_threshold", v.unhealthy_threshold, 2, 10);
                h.done();
            }
            read_tags(r, s.tags);
            r.done();
            spec.target_group.push_back(std::move(s));
        });
    }

    void autoscaling_groups() {
        each("autoscaling_group", [&](const toml::table& t, const std::string& path, std::size_t) {
            AutoScalingGroupSpec s;
            Tab r(c, t, path, &s.pos, "", true);
            r.name("name", s.name);
            r.str("launch_template", s.launch_template, true);
            r.integer("launch_template_version", s.launch_template_version, 1);
            bool min_ok = r.integer("min_size", s.min_size, 0, kIntMax, true);
            r.integer("max_size", s.max_size, 1, kIntMax, true);
            if (!r.integer("desired_capacity", s.desired_capacity, 0) && min_ok)
                s.desired_capacity = s.min_size;
            if (r.strings("availability_zones", s.availability_zones) &&
                s.availability_zones.empty())
                c.diags.error(s.pos["availability_zones"], r.key_path("availability_zones"),
                              "expected at least one availability zone, found an empty array");
            r.strings("subnets", s.subnets);
            r.strings("target_groups", s.target_groups);
            r.enumeration("health_check_type", s.health_check_type, kHealthCheckType);
            r.seconds("health_check_grace_period", s.health_check_grace_period);
            r.seconds("default_cooldown", s.default_cooldown);
            r.seconds("default_instance_warmup", s.default_instance_warmup);
            if (const toml::node* tp = r.get("termination_policies")) {
                const toml::array* a = tp->as_array();
                if (!a || a->empty()) {
                    c.error(*tp, r.key_path("termination_policies"),
                            fmt::format("expected a non-empty array of termination policy names, "
                                        "found {}",
                                        describe(*tp)));
                } else {
                    s.termination_policies.clear();
                    for (std::size_t i = 0; i < a->size(); ++i) {
                        auto v =
                            to_enum(c, *a->get(i),
                                    fmt::format("{}[{}]", r.key_path("termination_policies"), i),
                                    kTerminationPolicy);
                        if (v) s.termination_policies.push_back(*v);
                    }
                }
            }
            r.boolean("protect_from_scale_in", s.protect_from_scale_in);
            r.boolean("capacity_rebalance", s.capacity_rebalance);
            if (const toml::table* mt = r.table("mixed_instances_policy")) {
                Tab m = sub(r, *mt, "mixed_instances_policy");
                MixedInstancesPolicySpec p;
                m.integer("on_demand_base_capacity", p.on_demand_base_capacity, 0);
                m.number("on_demand_percentage_above_base_capacity",
                         p.on_demand_percentage_above_base_capacity, kPercent);
                m.enumeration("spot_allocation_strategy", p.spot_allocation_strategy,
                              kSpotAllocationStrategy);
                m.integer("spot_instance_pools", p.spot_instance_pools, 1, 20);
                m.strings("instance_types", p.instance_types);
                m.done();
                s.mixed_instances_policy = std::move(p);
            }
            read_tags(r, s.tags);
            r.done();
            spec.autoscaling_group.push_back(std::move(s));
        });
    }

    void autoscaling_policies() {
        each("autoscaling_policy", [&](const toml::table& t, const std::string& path, std::size_t) {
            AutoScalingPolicySpec s;
            Tab r(c, t, path, &s.pos, "", true);
            r.name("name", s.name);
            r.str("autoscaling_group", s.autoscaling_group, true);
            r.enumeration("policy_type", s.policy_type, kPolicyType);
            r.enumeration("adjustment_type", s.adjustment_type, kAdjustmentType);
            r.integer("scaling_adjustment", s.scaling_adjustment);
            r.seconds("cooldown", s.cooldown);
            r.integer("min_adjustment_magnitude", s.min_adjustment_magnitude, 1);
            r.seconds("estimated_instance_warmup", s.estimated_instance_warmup);
            auto steps = r.tables("step_adjustment");
            for (std::size_t i = 0; i < steps.size(); ++i) {
                Tab st = sub_item(r, *steps[i], "step_adjustment", i);
                StepAdjustmentSpec a;
                st.number("metric_interval_lower_bound", a.metric_interval_lower_bound);
                st.number("metric_interval_upper_bound", a.metric_interval_upper_bound);
                st.integer("scaling_adjustment", a.scaling_adjustment, kIntMin, kIntMax, true);
                st.done();
                s.step_adjustment.push_back(a);
            }
            if (const toml::table* tt = r.table("target_tracking_configuration")) {
                Tab tc = sub(r, *tt, "target_tracking_configuration");
                TargetTrackingSpec v;
                tc.enumeration("predefined_metric_type", v.predefined_metric_type,
                               kPredefinedMetricType, true);
                tc.number("target_value", v.target_value, kPositive, true);
                tc.boolean("disable_scale_in", v.disable_scale_in);
                tc.done();
                s.target_tracking_configuration = v;
            }
            r.done();
            spec.autoscaling_policy.push_back(std::move(s));
        });
    }

    void alarms() {
        each("cloudwatch_metric_alarm", [&](const toml::table& t, const std::string& path,
                                            std::size_t) {
            CloudWatchMetricAlarmSpec s;
            Tab r(c, t, path, &s.pos, "", true);
            r.name("alarm_name", s.alarm_name);
            r.str("namespace", s.namespace_, true);
            r.str("metric_name", s.metric_name, true);
            r.string_map("dimensions", s.dimensions);
            r.enumeration("statistic", s.statistic, kStatistic);
            if (const toml::node* es = r.get("extended_statistic")) {
                auto str = es->as_string();
                std::optional<double> p;
                if (str && str->get().size() > 1 &&
                    (str->get()[0] == 'p' || str->get()[0] == 'P')) {
                    char* end = nullptr;
                    std::string digits = str->get().substr(1);
                    double v = std::strtod(digits.c_str(), &end);
                    if (end && *end == '\0' && v > 0 && v < 100) p = v;
                }
                if (!p) {
                    c.error(*es, r.key_path("extended_statistic"),
                            fmt::format("expected a percentile such as \"p99\" or \"p99.9\" "
                                        "(between p0 and p100), found {}",
                                        describe(*es)));
                } else {
                    s.extended_statistic = p;
                    s.extended_statistic_text = str->get();
                }
            }
            r.seconds("period", s.period, 1);
            r.integer("evaluation_periods", s.evaluation_periods, 1);
            if (!r.integer("datapoints_to_alarm", s.datapoints_to_alarm, 1))
                s.datapoints_to_alarm = s.evaluation_periods;
            r.enumeration("comparison_operator", s.comparison_operator, kComparisonOperator, true);
            r.number("threshold", s.threshold, kAny, true);
            r.enumeration("treat_missing_data", s.treat_missing_data, kTreatMissingData);
            r.strings("alarm_actions", s.alarm_actions);
            r.strings("ok_actions", s.ok_actions);
            read_tags(r, s.tags);
            r.done();
            spec.cloudwatch_metric_alarm.push_back(std::move(s));
        });
    }

    void schedules() {
        each("autoscaling_schedule",
             [&](const toml::table& t, const std::string& path, std::size_t) {
                 AutoScalingScheduleSpec s;
                 Tab r(c, t, path, &s.pos, "", true);
                 r.name("scheduled_action_name", s.scheduled_action_name);
                 r.str("autoscaling_group", s.autoscaling_group, true);
                 r.integer("min_size", s.min_size, 0);
                 r.integer("max_size", s.max_size, 0);
                 r.integer("desired_capacity", s.desired_capacity, 0);
                 r.str("recurrence", s.recurrence);
                 r.time_point("start_time", s.start_time);
                 r.time_point("end_time", s.end_time);
                 r.str("time_zone", s.time_zone);
                 r.done();
                 spec.autoscaling_schedule.push_back(std::move(s));
             });
    }

    void workloads() {
        each("workload", [&](const toml::table& t, const std::string& path, std::size_t) {
            WorkloadSpec s;
            Tab r(c, t, path, &s.pos, "", true);
            r.name("name", s.name);
            r.str("load_balancer", s.load_balancer, true);
            if (const toml::node* rate = r.get("rate")) {
                auto v = to_rate(c, *rate, r.key_path("rate"), &s.pos, "rate.");
                if (v) s.rate = std::move(*v);
            } else {
                r.missing("rate", " (requests per second, such as rate = 200)");
            }
            auto spikes = r.tables("spike");
            for (std::size_t i = 0; i < spikes.size(); ++i) {
                Tab sp = sub_item(r, *spikes[i], "spike", i);
                SpikeSpec v;
                sp.time_point("at", v.at, true);
                sp.duration("duration", v.duration, Sign::Positive, true);
                sp.number("multiplier", v.multiplier, kNonNegative, true);
                sp.done();
                s.spike.push_back(v);
            }
            read_dist(r, "service_time", s.service_time);
            r.duration("timeout", s.timeout, Sign::Positive);
            r.str("database", s.database);
            r.integer("request_bytes", s.request_bytes, 0,
                      std::numeric_limits<std::int64_t>::max());
            r.integer("response_bytes", s.response_bytes, 0,
                      std::numeric_limits<std::int64_t>::max());
            r.integer("database_bytes", s.database_bytes, 0,
                      std::numeric_limits<std::int64_t>::max());
            r.integer("outbound_bytes", s.outbound_bytes, 0,
                      std::numeric_limits<std::int64_t>::max());
            r.done();
            spec.workload.push_back(std::move(s));
        });
    }

    void db_instances() {
        each("db_instance", [&](const toml::table& t, const std::string& path, std::size_t) {
            DbInstanceSpec s;
            s.failover_time.kind = DistKind::Uniform;
            s.failover_time.min = 60 * kSecond;
            s.failover_time.max = 120 * kSecond;
            Tab r(c, t, path, &s.pos, "", true);
            r.name("identifier", s.identifier);
            r.str("instance_class", s.instance_class, true);
            r.boolean("multi_az", s.multi_az);
            r.str("availability_zone", s.availability_zone);
            r.integer("allocated_storage", s.allocated_storage, 1);
            read_dist(r, "failover_time", s.failover_time);
            r.enumeration("engine", s.engine, kDbEngine);
            s.port = s.engine == DbEngine::Postgres ? 5432 : 3306;
            r.integer("port", s.port, 1, 65535);
            r.strings("subnets", s.subnets);
            r.strings("security_groups", s.security_groups);
            read_tags(r, s.tags);
            r.done();
            spec.db_instance.push_back(std::move(s));
        });
    }

    void faults() {
        each("fault", [&](const toml::table& t, const std::string& path, std::size_t) {
            FaultSpec s;
            Tab r(c, t, path, &s.pos, "", true);
            r.enumeration("type", s.type, kFaultType, true);
            r.str("target", s.target, true);
            r.time_point("at", s.at);
            r.duration("duration", s.duration, Sign::Positive);
            read_dist(r, "mtbf", s.mtbf);
            read_dist(r, "mttr", s.mttr);
            if (const toml::node* f = r.get("fraction")) {
                auto v = to_number(c, *f, r.key_path("fraction"), NumRange{0, 1, true});
                if (v) s.fraction = v;
            }
            read_dist(r, "extra", s.extra);
            r.done();
            spec.fault.push_back(std::move(s));
        });
    }

    void spot() {
        const toml::table* t = section("spot");
        if (!t) return;
        auto& s = spec.spot;
        s.present = true;
        Tab r(c, *t, "spot", &s.pos, "", true);
        auto pools = r.tables("pool");
        for (std::size_t i = 0; i < pools.size(); ++i) {
            SpotPoolSpec p;
            Tab pt(c, *pools[i], fmt::format("spot.pool[{}]", i), &p.pos);
            pt.str("instance_type", p.instance_type, true);
            pt.str("availability_zone", p.availability_zone, true);
            if (const toml::table* price = pt.table("price")) {
                Tab pr = sub(pt, *price, "price");
                pr.enumeration("model", p.price_model, kSpotPriceModel, true);
                if (p.price_model == SpotPriceModel::Trace && pr.str("file", p.price_file, true)) {
                    // Read and checked here, so that a missing or malformed trace is an error
                    // at its key rather than a failure when the run starts.
                    const std::string key = pr.key_path("file");
                    auto text = read_data_file(c, *price->get("file"), key, p.price_file);
                    if (text) {
                        try {
                            (void)parse_spot_price_trace(*text);
                        } catch (const std::invalid_argument& e) {
                            c.error(*price->get("file"), key,
                                    fmt::format("{}: {}", quote(resolve_file(c, p.price_file)),
                                                e.what()));
                        }
                    }
                }
                // The models' parameters are stored as written; every one is a number >= 0.
                for (const auto& [k, v] : *price) {
                    std::string key(k.str());
                    if (key == "model" || key == "file") continue;
                    pr.get(key);
                    auto num = to_number(c, v, pr.key_path(key), kNonNegative);
                    if (num) p.price_params[key] = *num;
                }
                pr.done();
            }
            if (const toml::table* it = pt.table("interruption")) {
                Tab ir = sub(pt, *it, "interruption");
                ir.number("monthly_rate", p.monthly_rate, kNonNegative);
                ir.done();
            }
            pt.integer("capacity", p.capacity, 0);
            pt.done();
            s.pool.push_back(std::move(p));
        }
        r.done();
    }

    void vpc() {
        const toml::table* t = section("vpc");
        if (!t) return;
        auto& s = spec.vpc;
        s.present = true;
        Tab r(c, *t, "vpc", &s.pos, "", true);
        r.str("cidr_block", s.cidr_block, true);
        read_tags(r, s.tags);
        r.done();
    }

    void subnets() {
        each("subnet", [&](const toml::table& t, const std::string& path, std::size_t) {
            SubnetSpec s;
            Tab r(c, t, path, &s.pos, "", true);
            r.name("name", s.name);
            r.str("cidr_block", s.cidr_block, true);
            r.str("availability_zone", s.availability_zone, true);
            r.boolean("map_public_ip_on_launch", s.map_public_ip_on_launch);
            if (r.str("route", s.route) && s.route != "igw" && s.route != "local" &&
                s.route.rfind("nat:", 0) != 0 && s.route.rfind("instance:", 0) != 0)
                c.diags.error(s.pos["route"], r.key_path("route"),
                              fmt::format("expected one of `igw`, `local`, `nat:<nat gateway "
                                          "name>` or `instance:<NAT instance name>`, found {}",
                                          quote(s.route)));
            read_tags(r, s.tags);
            r.done();
            spec.subnet.push_back(std::move(s));
        });
    }

    void security_groups() {
        each("security_group", [&](const toml::table& t, const std::string& path, std::size_t) {
            SecurityGroupSpec s;
            Tab r(c, t, path, &s.pos, "", true);
            r.name("name", s.name);
            auto rules = r.tables("ingress");
            for (std::size_t i = 0; i < rules.size(); ++i) {
                Tab it = sub_item(r, *rules[i], "ingress", i);
                IngressRuleSpec rule;
                it.integer("port", rule.port, 0, 65535, true);
                it.strings("cidr_blocks", rule.cidr_blocks);
                it.str("source_security_group", rule.source_security_group);
                if (it.has("cidr_blocks") == it.has("source_security_group"))
                    c.diags.error(it.table_pos(), it.path(),
                                  "expected exactly one of `cidr_blocks` or "
                                  "`source_security_group`");
                for (const auto& block : rule.cidr_blocks)
                    if (!is_cidr(block))
                        c.diags.error(it.table_pos(), it.key_path("cidr_blocks"),
                                      fmt::format("expected a CIDR block such as "
                                                  "\"0.0.0.0/0\", found {}",
                                                  quote(block)));
                it.done();
                s.ingress.push_back(std::move(rule));
            }
            read_tags(r, s.tags);
            r.done();
            spec.security_group.push_back(std::move(s));
        });
    }

    void nat_gateways() {
        each("nat_gateway", [&](const toml::table& t, const std::string& path, std::size_t) {
            NatGatewaySpec s;
            Tab r(c, t, path, &s.pos, "", true);
            r.name("name", s.name);
            r.str("subnet", s.subnet, true);
            read_tags(r, s.tags);
            r.done();
            spec.nat_gateway.push_back(std::move(s));
        });
    }

    void instances() {
        each("instance", [&](const toml::table& t, const std::string& path, std::size_t) {
            StandaloneInstanceSpec s;
            Tab r(c, t, path, &s.pos, "", true);
            r.name("name", s.name);
            r.str("availability_zone", s.availability_zone);
            r.str("launch_template", s.launch_template);
            r.str("instance_type", s.instance_type);
            r.number("ebs_gb", s.ebs_gb, kNonNegative);
            r.boolean("associate_public_ip_address", s.associate_public_ip_address);
            r.boolean("source_dest_check", s.source_dest_check);
            r.str("subnet", s.subnet);
            r.strings("security_groups", s.security_groups);
            if (const toml::node* sched = r.get("schedule")) {
                const toml::array* a = sched->as_array();
                std::string form =
                    "expected an array of [time, state] pairs such as "
                    "[[\"0h\", \"running\"], [\"2h\", \"stopped\"]]";
                if (!a || a->empty()) {
                    c.error(*sched, r.key_path("schedule"),
                            fmt::format("{}, found {}", form, describe(*sched)));
                } else {
                    for (std::size_t i = 0; i < a->size(); ++i) {
                        const toml::node& e = *a->get(i);
                        std::string p = fmt::format("{}[{}]", r.key_path("schedule"), i);
                        const toml::array* pair = e.as_array();
                        if (!pair || pair->size() != 2) {
                            c.error(e, p, fmt::format("{}, found {}", form, describe(e)));
                            continue;
                        }
                        auto at = to_time_point(c, *pair->get(0), p + "[0]");
                        auto state = to_enum(c, *pair->get(1), p + "[1]", kScheduleState);
                        if (!at || !state) continue;
                        if (!s.schedule.empty() && *at <= s.schedule.back().first)
                            c.error(e, p,
                                    fmt::format("expected times in increasing order, found {} "
                                                "after {}",
                                                format_duration(*at),
                                                format_duration(s.schedule.back().first)));
                        s.schedule.emplace_back(*at, *state);
                    }
                }
            }
            read_tags(r, s.tags);
            r.done();
            spec.instance.push_back(std::move(s));
        });
    }

    void small_resources() {
        each("eip", [&](const toml::table& t, const std::string& path, std::size_t) {
            EipSpec s;
            Tab r(c, t, path, &s.pos, "", true);
            r.name("name", s.name);
            r.str("instance", s.instance);
            read_tags(r, s.tags);
            r.done();
            spec.eip.push_back(std::move(s));
        });
        each("ebs_volume", [&](const toml::table& t, const std::string& path, std::size_t) {
            EbsVolumeSpec s;
            Tab r(c, t, path, &s.pos, "", true);
            r.name("name", s.name);
            r.number("size_gb", s.size_gb, kPositive, true);
            r.str("availability_zone", s.availability_zone);
            read_tags(r, s.tags);
            r.done();
            spec.ebs_volume.push_back(std::move(s));
        });
        each("ebs_snapshot", [&](const toml::table& t, const std::string& path, std::size_t) {
            EbsSnapshotSpec s;
            Tab r(c, t, path, &s.pos, "", true);
            r.name("name", s.name);
            r.number("size_gb", s.size_gb, kPositive, true);
            read_tags(r, s.tags);
            r.done();
            spec.ebs_snapshot.push_back(std::move(s));
        });
        each("s3_bucket", [&](const toml::table& t, const std::string& path, std::size_t) {
            S3BucketSpec s;
            Tab r(c, t, path, &s.pos, "", true);
            r.name("name", s.name);
            r.number("storage_gb", s.storage_gb, kNonNegative);
            r.number("growth_gb_per_day", s.growth_gb_per_day, kAny);
            if (r.str("storage_class", s.storage_class)) {
                static const std::vector<std::string> kClasses = {
                    "STANDARD",   "STANDARD_IA", "ONEZONE_IA",  "INTELLIGENT_TIERING",
                    "GLACIER_IR", "GLACIER",     "DEEP_ARCHIVE"};
                if (std::find(kClasses.begin(), kClasses.end(), s.storage_class) == kClasses.end())
                    c.diags.error(s.pos["storage_class"], r.key_path("storage_class"),
                                  fmt::format("expected one of {}, found {}", quoted_list(kClasses),
                                              quote(s.storage_class)));
            }
            read_tags(r, s.tags);
            r.done();
            spec.s3_bucket.push_back(std::move(s));
        });
    }

    void slo() {
        const toml::table* t = section("slo");
        if (!t) return;
        auto& s = spec.slo;
        s.present = true;
        Tab r(c, *t, "slo", &s.pos, "", true);
        r.duration("latency_p99", s.latency_p99, Sign::Positive);
        r.number("availability", s.availability, kPercent);
        r.done();
    }

    void actions() {
        each("action", [&](const toml::table& t, const std::string& path, std::size_t) {
            ActionSpec s;
            Tab r(c, t, path, &s.pos, "", true);
            r.time_point("at", s.at, true);
            if (const toml::table* set = r.table("set")) {
                for (const auto& [k, v] : *set) {
                    std::string key(k.str());
                    s.pos["set." + key] = c.at(v);
                    std::string p = fmt::format("{}.set.\"{}\"", path, key);
                    if (auto b = v.as_boolean())
                        s.set.emplace_back(key, b->get());
                    else if (auto i = v.as_integer())
                        s.set.emplace_back(key, i->get());
                    else if (auto f = v.as_floating_point())
                        s.set.emplace_back(key, f->get());
                    else if (auto str = v.as_string())
                        s.set.emplace_back(key, str->get());
                    else
                        c.error(v, p,
                                fmt::format("expected a string, number or boolean, found {}",
                                            describe(v)));
                }
                if (set->empty())
                    c.error(*set, r.key_path("set"),
                            "expected at least one setting such as "
                            "{ \"autoscaling_group.web.desired_capacity\" = 4 }");
            } else if (!r.has("set")) {
                r.missing("set");
            }
            r.done();
            spec.action.push_back(std::move(s));
        });
    }

    void top_level_keys() {
        std::vector<std::string> names;
        for (const auto& s : sections())
            names.emplace_back(s.name);
        for (const auto& [k, v] : root) {
            std::string key(k.str());
            if (find_section(key)) continue;
            std::string message;
            if (v.is_table() || v.is_array_of_tables()) {
                message = fmt::format("unknown section [{}]", key);
                std::string hint = closest(key, names);
                if (!hint.empty()) message += fmt::format("; did you mean [{}]?", hint);
            } else {
                message = fmt::format("unknown top-level key `{}`", key);
                for (const auto& s : sections())
                    for (const char* sk : s.keys)
                        if (message.find(';') == std::string::npos && key == sk)
                            message += fmt::format(
                                "; `{}` is a key of [{}]: put it under the section header", key,
                                s.name);
                if (message.find(';') == std::string::npos) {
                    std::string hint = did_you_mean(key, names);
                    if (!hint.empty()) message += "; " + hint;
                }
            }
            SourcePos pos = k.source().begin.line > 0 ? c.at(k.source()) : c.at(v);
            c.diags.error(pos, key, message);
        }
    }

    void run() {
        simulation();
        region();
        pricing();
        instance_types();
        launch_templates();
        load_balancers();
        lb_listeners();
        target_groups();
        autoscaling_groups();
        autoscaling_policies();
        alarms();
        schedules();
        workloads();
        db_instances();
        faults();
        spot();
        vpc();
        subnets();
        security_groups();
        nat_gateways();
        instances();
        small_resources();
        slo();
        actions();
        top_level_keys();
    }
};

// ---------------------------------------------------------------------------------------------
// Input checks before TOML parsing

// Binary files, NUL bytes and invalid UTF-8 get a clear message instead of a parser's guess.
bool check_text(Ctx& c, std::string_view text) {
    int line = 1, column = 1;
    std::size_t i = 0;
    while (i < text.size()) {
        auto b = static_cast<unsigned char>(text[i]);
        std::size_t len = b < 0x80           ? 1
                          : (b >> 5) == 0x6  ? 2
                          : (b >> 4) == 0xE  ? 3
                          : (b >> 3) == 0x1E ? 4
                                             : 0;
        bool ok = len > 0 && i + len <= text.size();
        for (std::size_t k = 1; ok && k < len; ++k)
            ok = (static_cast<unsigned char>(text[i + k]) >> 6) == 0x2;
        if (ok && len == 2 && b < 0xC2) ok = false;  // overlong
        if (b == 0) {
            c.diags.error(SourcePos{c.file, line, column}, "",
                          "not a text TOML file: it contains a NUL byte (binary data?)");
            return false;
        }
        if (!ok) {
            c.diags.error(SourcePos{c.file, line, column}, "",
                          fmt::format("not a text TOML file: invalid UTF-8 byte 0x{:02X} "
                                      "(binary data, or a file saved in another encoding?)",
                                      b));
            return false;
        }
        if (b == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
        i += len;
    }
    return true;
}

std::vector<std::string> split(std::string_view s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        std::size_t p = s.find(sep, start);
        out.emplace_back(s.substr(start, p == std::string_view::npos ? p : p - start));
        if (p == std::string_view::npos) break;
        start = p + 1;
    }
    return out;
}

bool is_index(const std::string& s) {
    return !s.empty() && s.size() < 9 &&
           std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

// Finds the element of an array of tables named `name` (by name_key), or at index `name`.
toml::table* find_element(toml::array& a, const std::string& name_key, const std::string& name,
                          std::vector<std::string>& known) {
    toml::table* found = nullptr;
    for (std::size_t i = 0; i < a.size(); ++i) {
        toml::table* t = a.get(i)->as_table();
        if (!t) continue;
        if (!name_key.empty()) {
            if (auto n = t->get_as<std::string>(name_key)) {
                known.push_back(n->get());
                // Launch templates repeat a name per version: the last (newest) one wins.
                if (n->get() == name) found = t;
            }
        } else {
            known.push_back(std::to_string(i));
        }
    }
    if (!found && is_index(name)) {
        std::size_t i = std::stoul(name);
        if (i < a.size()) found = a.get(i)->as_table();
    }
    return found;
}

// Applies one --set PATH=VALUE to the TOML tree. The value keeps "--set PATH=VALUE" as its
// source, so any error about it later names the override instead of a line of the file.
void apply_override(Ctx& c, toml::table& root, const std::string& raw) {
    const std::string origin = "--set " + raw;
    const SourcePos here{origin, 0, 0};
    auto eq = raw.find('=');
    if (eq == std::string::npos) {
        c.diags.error(here, "",
                      "malformed override: expected PATH=VALUE, such as "
                      "autoscaling_group.web.min_size=3");
        return;
    }
    std::string path = raw.substr(0, eq);
    std::string value_text = raw.substr(eq + 1);
    while (!path.empty() && path.back() == ' ')
        path.pop_back();
    while (!path.empty() && path.front() == ' ')
        path.erase(path.begin());
    auto segments = split(path, '.');
    for (const auto& s : segments) {
        if (s.empty()) {
            c.diags.error(here, path,
                          "malformed override path: expected names separated by single dots, "
                          "such as autoscaling_group.web.min_size");
            return;
        }
    }

    // The value: TOML if it parses as one, else the raw text as a string.
    toml::table parsed;
    try {
        try {
            parsed = toml::parse("v = " + value_text, origin);
        } catch (const toml::parse_error&) {
            parsed = toml::parse("v = " + toml_basic_string(value_text), origin);
        }
        if (!parsed.get("v")) parsed = toml::parse("v = " + toml_basic_string(value_text), origin);
    } catch (const toml::parse_error& e) {
        // Even as a string it does not parse: bytes that are not UTF-8 text.
        c.diags.error(here, path, fmt::format("the value is not valid text: {}", e.description()));
        return;
    }

    const SectionInfo* info = find_section(segments[0]);
    if (!info) {
        std::vector<std::string> names;
        for (const auto& s : sections())
            names.emplace_back(s.name);
        std::string hint = did_you_mean(segments[0], names);
        c.diags.error(
            here, path,
            fmt::format("unknown section `{}`{}", segments[0], hint.empty() ? "" : "; " + hint));
        return;
    }
    toml::table* cur = nullptr;
    std::size_t next = 1;
    std::string where = segments[0];
    if (info->is_array) {
        if (segments.size() < 3) {
            c.diags.error(here, path,
                          fmt::format("expected {}.<{}>.<key>", info->name,
                                      *info->name_key ? info->name_key : "index"));
            return;
        }
        toml::node* sec = root.get(info->name);
        std::vector<std::string> known;
        if (sec && sec->is_array())
            cur = find_element(*sec->as_array(), info->name_key, segments[1], known);
        // Names may hold dots ("t3.micro"): try the longest run of segments that names an
        // element, keeping at least one segment for the key.
        for (std::size_t k = segments.size() - 1; !cur && k > 2; --k) {
            std::string joined = segments[1];
            for (std::size_t j = 2; j < k; ++j)
                joined += "." + segments[j];
            std::vector<std::string> ignored;
            if (sec && sec->is_array())
                cur = find_element(*sec->as_array(), info->name_key, joined, ignored);
            if (cur) {
                segments.erase(segments.begin() + 2,
                               segments.begin() + static_cast<std::ptrdiff_t>(k));
                segments[1] = joined;
            }
        }
        if (!cur) {
            std::string hint = did_you_mean(segments[1], known);
            c.diags.error(here, path,
                          fmt::format("no {} named `{}`; known: {}{}", info->name, segments[1],
                                      quoted_list(known), hint.empty() ? "" : "; " + hint));
            return;
        }
        next = 2;
        where += "." + segments[1];
    } else {
        if (segments.size() < 2) {
            c.diags.error(here, path, fmt::format("expected {}.<key>", info->name));
            return;
        }
        toml::node* sec = root.get(info->name);
        if (!sec) {
            root.insert(info->name, toml::table{});
            sec = root.get(info->name);
        }
        cur = sec->as_table();
        if (!cur) {
            c.diags.error(here, path, fmt::format("[{}] is not a table", info->name));
            return;
        }
    }
    for (; next + 1 < segments.size(); ++next) {
        const std::string& seg = segments[next];
        toml::node* child = cur->get(seg);
        if (!child) {
            cur->insert(seg, toml::table{});
            cur = cur->get(seg)->as_table();
        } else if (child->is_table()) {
            cur = child->as_table();
        } else if (child->is_array_of_tables() && next + 2 < segments.size()) {
            std::vector<std::string> known;
            toml::table* e = find_element(*child->as_array(), "", segments[next + 1], known);
            if (!e) {
                c.diags.error(here, path,
                              fmt::format("no element {} in {}.{}; known indexes: {}",
                                          segments[next + 1], where, seg, quoted_list(known)));
                return;
            }
            cur = e;
            ++next;
        } else {
            c.diags.error(here, path,
                          fmt::format("`{}.{}` is {}, not a table", where, seg, describe(*child)));
            return;
        }
        where += "." + seg;
    }
    parsed.get("v")->visit([&](auto&& n) { cur->insert_or_assign(segments.back(), std::move(n)); });
}

Spec load(std::string_view text, const std::string& file_name,
          const std::vector<std::string>& overrides, const std::string& base_dir,
          std::vector<Diagnostic>* warnings) {
    Ctx c;
    c.file = file_name;
    c.base_dir = base_dir.empty() ? "." : base_dir;
    Spec spec;
    spec.source_file = file_name;
    spec.base_dir = c.base_dir;
    spec.simulation.name = std::filesystem::path(file_name).stem().string();

    auto finish = [&]() {
        c.diags.sort();
        if (warnings) *warnings = c.diags.warnings();
        if (c.diags.has_errors()) throw ScenarioError(std::move(c.diags.errors()));
    };

    if (!check_text(c, text)) finish();
    toml::table root;
    try {
        root = toml::parse(text, file_name);
    } catch (const toml::parse_error& e) {
        const auto& r = e.source();
        c.diags.error(
            SourcePos{file_name, static_cast<int>(r.begin.line), static_cast<int>(r.begin.column)},
            "", fmt::format("TOML syntax error: {}", e.description()));
        finish();
    }
    for (const auto& o : overrides)
        apply_override(c, root, o);
    Loader loader{c, root, spec};
    loader.run();
    // Cross-key checks run even when some values were bad, so one run reports everything;
    // but a resource that already has an error is not judged again on defaults that stood in
    // for its bad values.
    std::set<std::string> broken;
    for (const auto& d : c.diags.errors())
        broken.insert(d.key_path.substr(0, d.key_path.find('.')));
    Diagnostics checks;
    validate(spec, checks);
    for (auto& d : checks.errors())
        if (!broken.count(d.key_path.substr(0, d.key_path.find('.'))))
            c.diags.error(std::move(d.pos), std::move(d.key_path), std::move(d.message));
    if (!c.diags.has_errors())
        for (auto& d : checks.warnings())
            c.diags.warning(std::move(d.pos), std::move(d.key_path), std::move(d.message));
    finish();
    return spec;
}

}  // namespace

Spec load_text(std::string_view text, const std::string& file_name,
               const std::vector<std::string>& overrides, const std::string& base_dir,
               std::vector<Diagnostic>* warnings) {
    return load(text, file_name, overrides, base_dir, warnings);
}

std::string read_scenario_text(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw ScenarioError({Diagnostic{Severity::Error, SourcePos{path, 0, 0}, "",
                                        "cannot read the scenario: it is a directory"}});
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        int err = errno;
        throw ScenarioError({Diagnostic{
            Severity::Error, SourcePos{path, 0, 0}, "",
            fmt::format("cannot read the scenario: {}", std::strerror(err ? err : ENOENT))}});
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string scenario_base_dir(const std::string& path) {
    std::string base = std::filesystem::path(path).parent_path().string();
    return base.empty() ? "." : base;
}

Spec load_file(const std::string& path, const std::vector<std::string>& overrides,
               std::vector<Diagnostic>* warnings) {
    return load(read_scenario_text(path), path, overrides, scenario_base_dir(path), warnings);
}

namespace detail {

// A TOML basic string holding `s` exactly (quotes, backslashes and control characters escaped).
std::string toml_basic_string(std::string_view s) {
    std::string out = "\"";
    for (char ch : s) {
        auto u = static_cast<unsigned char>(ch);
        if (ch == '"' || ch == '\\') {
            out += '\\';
            out += ch;
        } else if (u < 0x20 || u == 0x7F) {
            out += fmt::format("\\u{:04X}", u);
        } else {
            out += ch;
        }
    }
    return out + "\"";
}

}  // namespace detail

}  // namespace stratus::scenario
