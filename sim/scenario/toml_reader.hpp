#pragma once
// Reading TOML tables against the grammar (settings.hpp). A converter turns one node into a
// value or reports what it found and what it expected at the node's line and column. A Tab
// reads one table: each key it is asked for must be a row of the table's grammar (asking for
// another is a bug, std::logic_error), takes its type's converter, its range and whether it
// is required from that row, and accepts the row's aliases; at the end, done() reports every
// key of the table that no reader took: unknown ones with "did you mean", keys that belong
// to another variant or only to a run. Internal to the loader (loader.cpp, overrides.cpp).
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <toml++/toml.h>

#include "sim/scenario/internal.hpp"
#include "sim/scenario/settings.hpp"

namespace stratus::scenario::detail {

constexpr std::int64_t kIntMin = std::numeric_limits<int>::min();
constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();

// One load: the file, where its data files are, the diagnostics found so far.
struct Ctx {
    std::string file;
    std::string base_dir;
    Diagnostics diags;
    std::int64_t start_epoch_s = SimulationSpec{}.start_epoch_s;
    std::vector<NotModelledKey> not_modelled;  // keys accepted, not modelled (KeyDef::modelled)

    // A node that came from --set keeps "--set PATH=VALUE" as its source: errors name it.
    SourcePos at(const toml::source_region& r) const {
        if (r.path && r.path->rfind("--set ", 0) == 0) return SourcePos{*r.path, 0, 0};
        return SourcePos{file, static_cast<int>(r.begin.line), static_cast<int>(r.begin.column)};
    }
    SourcePos at(const toml::node& n) const { return at(n.source()); }
    void error(const toml::node& n, const std::string& path, std::string message) {
        diags.error(at(n), path, std::move(message));
    }
};

// "text" with quotes and backslashes escaped.
std::string quote(std::string_view s);
// What a value is, for "found ...": the value itself for scalars, its kind otherwise.
std::string describe(const toml::node& n);

// ---- Converters of one node: each reports its own error and returns nothing on failure -------

std::optional<std::int64_t> to_integer(Ctx& c, const toml::node& n, const std::string& path,
                                       std::int64_t min = kIntMin, std::int64_t max = kIntMax);
std::optional<double> to_number(Ctx& c, const toml::node& n, const std::string& path,
                                const Range& range = Range{});
std::optional<bool> to_bool(Ctx& c, const toml::node& n, const std::string& path);
std::optional<std::string> to_string(Ctx& c, const toml::node& n, const std::string& path);
std::optional<std::vector<std::string>> to_string_list(Ctx& c, const toml::node& n,
                                                       const std::string& path);
std::optional<std::map<std::string, std::string>> to_string_map(Ctx& c, const toml::node& n,
                                                                const std::string& path);
// One of `choices` (a string), with "did you mean".
std::optional<std::string> to_choice(Ctx& c, const toml::node& n, const std::string& path,
                                     const std::vector<std::string>& choices);
// A duration: "90s", "1h30m", or a number of seconds; nothing if it is not one.
std::optional<SimTime> duration_value(const toml::node& n);
std::optional<SimTime> to_duration(Ctx& c, const toml::node& n, const std::string& path,
                                   const Range& range);
// Terraform-style keys that are integer seconds; a whole-second duration string also works.
std::optional<int> to_seconds(Ctx& c, const toml::node& n, const std::string& path,
                              std::int64_t min = 0, std::int64_t max = kIntMax);
std::optional<std::int64_t> toml_date_time_epoch(const toml::date_time& dt);
// A time point: a duration from the start, or an RFC 3339 date-time (string or TOML literal).
std::optional<SimTime> to_time_point(Ctx& c, const toml::node& n, const std::string& path);

template <class E, std::size_t N>
std::optional<E> to_enum(Ctx& c, const toml::node& n, const std::string& path,
                         const Named<E> (&table)[N]) {
    auto name = to_choice(c, n, path, names_of(table));
    if (!name) return std::nullopt;
    for (const auto& e : table)
        if (*name == e.name) return e.value;
    return std::nullopt;
}

// ---- One table --------------------------------------------------------------------------------

// The type a field holds: T, or T inside a std::optional.
template <class T>
struct Unwrapped {
    using type = T;
};
template <class T>
struct Unwrapped<std::optional<T>> {
    using type = T;
};

class Tab {
  public:
    // `pos` receives the position of each key read (prefixed with `pos_prefix`); a top-level
    // table's unknown keys also say which other section has them.
    Tab(Ctx& c, const toml::table& t, const TableDef& def, std::string path,
        KeyPositions* pos = nullptr, std::string pos_prefix = "", bool top_level = false);

    Ctx& ctx() { return c_; }
    const TableDef& def() const { return def_; }
    const std::string& path() const { return path_; }
    // The path of a key as the file wrote it (an alias, if it used one).
    std::string key_path(std::string_view key) const;
    SourcePos table_pos() const { return c_.at(t_); }
    KeyPositions* positions() { return pos_; }
    const std::string& pos_prefix() const { return prefix_; }

    // The value of the table's discriminator (dist = "normal"): from now on the rows of that
    // variant apply, and keys of the other variants are refused.
    void choose(std::string_view variant) { variant_ = std::string(variant); }

    // The grammar's row of `key` in the chosen variant. A reader asking for a key the grammar
    // does not declare is a bug: std::logic_error.
    const KeyDef& row(std::string_view key) const;
    // The node of `key` (or of an alias of it), marked as read, its position recorded.
    const toml::node* get(std::string_view key);
    bool has(std::string_view key) const;
    void missing(std::string_view key, const std::string& what = "");

    // Reads `key` with `convert` into `out` when present; reports it when the grammar says it
    // is required and it is absent.
    template <class T, class Convert>
    bool read(std::string_view key, T& out, Convert convert) {
        const bool required = row(key).required;
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

    bool str(std::string_view key, std::string& out);
    bool name(std::string_view key, std::string& out);  // non-empty
    template <class T>
    bool integer(std::string_view key, T& out) {
        using V = typename Unwrapped<T>::type;  // int for std::optional<int>
        // Not a structured binding: C++17 lambdas cannot capture one (clang refuses).
        const auto bounds = integer_bounds<V>(row(key).range);
        return read(key, out, [&](const toml::node& n, const std::string& p) {
            auto v = to_integer(c_, n, p, bounds.first, bounds.second);
            return v ? std::optional<V>(static_cast<V>(*v)) : std::nullopt;
        });
    }
    template <class T>
    bool number(std::string_view key, T& out) {
        const Range& range = row(key).range;
        return read(key, out, [&](const toml::node& n, const std::string& p) {
            return to_number(c_, n, p, range);
        });
    }
    bool boolean(std::string_view key, bool& out);
    template <class T>
    bool duration(std::string_view key, T& out) {
        const Range& range = row(key).range;
        return read(key, out, [&](const toml::node& n, const std::string& p) {
            return to_duration(c_, n, p, range);
        });
    }
    template <class T>
    bool seconds(std::string_view key, T& out) {
        const auto bounds = integer_bounds<int>(row(key).range);
        return read(key, out, [&](const toml::node& n, const std::string& p) {
            return to_seconds(c_, n, p, std::max<std::int64_t>(bounds.first, 0), bounds.second);
        });
    }
    template <class T>
    bool time_point(std::string_view key, T& out) {
        return read(key, out, [&](const toml::node& n, const std::string& p) {
            return to_time_point(c_, n, p);
        });
    }
    bool strings(std::string_view key, std::vector<std::string>& out);
    bool string_map(std::string_view key, std::map<std::string, std::string>& out);
    bool number_map(std::string_view key, std::map<std::string, double>& out);
    // A Choice row: its value as written, checked against the row's choices.
    bool choice(std::string_view key, std::string& out);
    template <class T, class E, std::size_t N>
    bool enumeration(std::string_view key, T& out, const Named<E> (&table)[N]) {
        return read(key, out, [&](const toml::node& n, const std::string& p) {
            auto v = to_enum(c_, n, p, table);
            return v ? std::optional<T>(*v) : std::nullopt;
        });
    }

    // A nested table (health_check = { ... }); nullptr and an error if it is something else.
    const toml::table* table(std::string_view key);
    // A nested array of tables (step_adjustment = [{ ... }]).
    std::vector<const toml::table*> tables(std::string_view key);

    // Reports every key that no reader took.
    void done();

    // The integer bounds of a range for a field of type T.
    template <class T>
    static std::pair<std::int64_t, std::int64_t> integer_bounds(const Range& r) {
        const std::int64_t lo =
            std::is_signed<T>::value ? static_cast<std::int64_t>(std::numeric_limits<T>::min()) : 0;
        const std::int64_t hi =
            static_cast<std::uint64_t>(std::numeric_limits<T>::max()) >=
                    static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
                ? std::numeric_limits<std::int64_t>::max()
                : static_cast<std::int64_t>(std::numeric_limits<T>::max());
        return {bound(r.min, r.min_open, +1, lo, hi), bound(r.max, r.max_open, -1, lo, hi)};
    }

  private:
    static std::int64_t bound(double v, bool open, int direction, std::int64_t lo, std::int64_t hi);
    bool was_read(std::string_view key) const;
    // Why a key nobody read is refused; "" when another error already covers it.
    std::string unread_message(std::string_view key) const;
    std::string other_section_hint(std::string_view key) const;

    Ctx& c_;
    const toml::table& t_;
    const TableDef& def_;
    std::string path_;
    KeyPositions* pos_;
    std::string prefix_;
    bool top_level_;
    std::string variant_;
    std::vector<std::string_view> read_;  // canonical names read (they point into the grammar)
    std::vector<std::pair<std::string_view, std::string>> spelled_;  // canonical -> alias used
    std::vector<std::string_view> doubled_;  // aliases given beside their key (reported)
};

// A sub-table's reader: paths continue the parent's, positions go into the parent's map.
Tab sub(Tab& parent, const toml::table& t, std::string_view key);
Tab sub_item(Tab& parent, const toml::table& t, std::string_view key, std::size_t index);

// Applies one --set PATH=VALUE to the TOML tree (overrides.cpp). The value keeps
// "--set PATH=VALUE" as its source, so any error about it later names the override.
void apply_override(Ctx& c, toml::table& root, const std::string& raw);

}  // namespace stratus::scenario::detail
