#include "sim/scenario/toml_reader.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace stratus::scenario::detail {
namespace {

const char* kDurationForm = "a duration such as \"90s\" or an integer number of seconds";

std::string int_expectation(std::int64_t min, std::int64_t max) {
    if (min <= kIntMin && max >= kIntMax) return "an integer";
    if (max >= kIntMax) return fmt::format("an integer >= {}", min);
    if (min <= kIntMin) return fmt::format("an integer <= {}", max);
    return fmt::format("an integer between {} and {}", min, max);
}

}  // namespace

std::string quote(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string describe(const toml::node& n) {
    if (auto s = n.as_string()) return quote(shortened(s->get()));
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

// ---- Converters ---------------------------------------------------------------------------------

std::optional<std::int64_t> to_integer(Ctx& c, const toml::node& n, const std::string& path,
                                       std::int64_t min, std::int64_t max) {
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
                                const Range& range) {
    std::optional<double> v;
    if (auto i = n.as_integer()) v = static_cast<double>(i->get());
    if (auto f = n.as_floating_point()) v = f->get();
    if (!v) {
        c.error(n, path, fmt::format("expected {}, found {}", range.text("a number"), describe(n)));
        return std::nullopt;
    }
    if (!range.contains(*v)) {
        c.error(n, path, fmt::format("expected {}, found {}", range.text("a number"), describe(n)));
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

std::optional<std::string> to_choice(Ctx& c, const toml::node& n, const std::string& path,
                                     const std::vector<std::string>& choices) {
    std::string expected = fmt::format("one of {}", quoted_list(choices, 20));
    const auto* s = n.as_string();
    if (!s) {
        c.error(n, path, fmt::format("expected {}, found {}", expected, describe(n)));
        return std::nullopt;
    }
    for (const auto& choice : choices)
        if (s->get() == choice) return choice;
    // Past the error limit nothing more is shown: no suggestion is looked for.
    std::string hint = c.diags.full() ? "" : did_you_mean(s->get(), choices);
    c.error(n, path,
            fmt::format("expected {}, found {}{}", expected, quote(shortened(s->get())),
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
                                   const Range& range) {
    auto v = duration_value(n);
    if (!v) {
        c.error(n, path, fmt::format("expected {}, found {}", kDurationForm, describe(n)));
        return std::nullopt;
    }
    if (!range.contains(stratus::to_seconds(*v))) {
        c.error(n, path,
                fmt::format("expected {}, found {}", range.text("a duration"), describe(n)));
        return std::nullopt;
    }
    return v;
}

std::optional<int> to_seconds(Ctx& c, const toml::node& n, const std::string& path,
                              std::int64_t min, std::int64_t max) {
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

// ---- One table --------------------------------------------------------------------------------

Tab::Tab(Ctx& c, const toml::table& t, const TableDef& def, std::string path, KeyPositions* pos,
         std::string pos_prefix, bool top_level)
    : c_(c),
      t_(t),
      def_(def),
      path_(std::move(path)),
      pos_(pos),
      prefix_(std::move(pos_prefix)),
      top_level_(top_level) {
    if (pos_ && prefix_.empty()) (*pos_)[""] = c_.at(t_);
}

std::string Tab::key_path(std::string_view key) const {
    for (const auto& [canonical, alias] : spelled_)
        if (canonical == key) return path_ + "." + alias;
    std::string out;
    out.reserve(path_.size() + 1 + key.size());
    return out.append(path_).append(1, '.').append(key);
}

const KeyDef& Tab::row(std::string_view key) const {
    if (const KeyDef* k = def_.find(key, variant_)) return *k;
    throw std::logic_error(fmt::format("the grammar has no key `{}{}` of [{}]{}", def_.prefix(),
                                       key, def_.section().name,
                                       variant_.empty() ? "" : " for " + variant_));
}

const toml::node* Tab::get(std::string_view key) {
    const KeyDef& k = row(key);
    const std::string_view name = k.name();  // points into the grammar
    read_.push_back(name);
    const toml::node* n = t_.get(key);
    if (!def_.has_aliases()) {
        if (n && pos_) (*pos_)[prefix_ + std::string(key)] = c_.at(*n);
        return n;
    }
    for (std::string_view alias : def_.aliases_of(name)) {
        const toml::node* a = t_.get(alias);
        if (!a) continue;
        if (n) {
            c_.error(*a, path_ + "." + std::string(alias),
                     fmt::format("`{}` and `{}` are the same setting; give one", alias, key));
            doubled_.push_back(alias);
            continue;
        }
        n = a;
        spelled_.emplace_back(name, std::string(alias));
    }
    if (n && pos_) (*pos_)[prefix_ + std::string(key)] = c_.at(*n);
    return n;
}

bool Tab::has(std::string_view key) const {
    if (t_.get(key)) return true;
    for (std::string_view alias : def_.aliases_of(key))
        if (t_.get(alias)) return true;
    return false;
}

void Tab::missing(std::string_view key, const std::string& what) {
    c_.diags.error(table_pos(), key_path(key),
                   fmt::format("required key `{}` is missing{}", key, what));
}

bool Tab::str(std::string_view key, std::string& out) {
    return read(key, out,
                [&](const toml::node& n, const std::string& p) { return to_string(c_, n, p); });
}

bool Tab::name(std::string_view key, std::string& out) {
    bool ok = str(key, out);
    if (ok && out.empty()) {
        c_.diags.error(c_.at(*get(key)), key_path(key), "expected a non-empty name");
        return false;
    }
    return ok;
}

bool Tab::boolean(std::string_view key, bool& out) {
    return read(key, out,
                [&](const toml::node& n, const std::string& p) { return to_bool(c_, n, p); });
}

bool Tab::strings(std::string_view key, std::vector<std::string>& out) {
    return read(key, out, [&](const toml::node& n, const std::string& p) {
        return to_string_list(c_, n, p);
    });
}

bool Tab::string_map(std::string_view key, std::map<std::string, std::string>& out) {
    return read(key, out,
                [&](const toml::node& n, const std::string& p) { return to_string_map(c_, n, p); });
}

bool Tab::number_map(std::string_view key, std::map<std::string, double>& out) {
    const Range& range = row(key).range;
    return read(key, out,
                [&](const toml::node& n,
                    const std::string& p) -> std::optional<std::map<std::string, double>> {
                    const toml::table* t = n.as_table();
                    if (!t) {
                        c_.error(n, p,
                                 fmt::format("expected a table of numbers such as "
                                             "{{ \"m5.large\" = 0.1 }}, found {}",
                                             describe(n)));
                        return std::nullopt;
                    }
                    std::map<std::string, double> values;
                    for (const auto& [k, v] : *t)
                        if (auto x = to_number(c_, v, fmt::format("{}.{}", p, k.str()), range))
                            values[std::string(k.str())] = *x;
                    return values;
                });
}

bool Tab::choice(std::string_view key, std::string& out) {
    const auto& choices = row(key).choices;
    return read(key, out, [&](const toml::node& n, const std::string& p) {
        return to_choice(c_, n, p, choices);
    });
}

const toml::table* Tab::table(std::string_view key) {
    const toml::node* n = get(key);
    if (!n) return nullptr;
    if (!n->is_table()) {
        c_.error(*n, key_path(key), fmt::format("expected a table, found {}", describe(*n)));
        return nullptr;
    }
    return n->as_table();
}

std::vector<const toml::table*> Tab::tables(std::string_view key) {
    std::vector<const toml::table*> out;
    const toml::node* n = get(key);
    if (!n) return out;
    // One block written as a table ([x.rule] rather than [[x.rule]]), as HCL writes a block
    // that appears once: a list of one.
    if (const toml::table* one = n->as_table()) {
        out.push_back(one);
        return out;
    }
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

std::int64_t Tab::bound(double v, bool open, int direction, std::int64_t lo, std::int64_t hi) {
    if (!std::isfinite(v)) return direction > 0 ? lo : hi;
    double b = direction > 0 ? std::ceil(v) : std::floor(v);
    if (open && b == v) b += direction;
    if (b <= static_cast<double>(lo)) return lo;
    if (b >= static_cast<double>(hi)) return hi;
    return static_cast<std::int64_t>(b);
}

bool Tab::was_read(std::string_view key) const {
    for (const auto& [canonical, alias] : spelled_)
        if (alias == key) return true;
    if (std::find(doubled_.begin(), doubled_.end(), key) != doubled_.end()) return true;
    if (!def_.canonical_of(key).empty()) return false;  // an alias nobody took
    return std::find(read_.begin(), read_.end(), key) != read_.end();
}

std::string Tab::unread_message(std::string_view key) const {
    std::string_view name = def_.canonical_of(key);
    if (name.empty()) name = key;
    if (def_.has_name(name)) {
        const KeyDef& any = *def_.find(name);
        if (!any.in_file())
            return fmt::format(
                "`{}` is not a key of the file: an [[action]]{} changes it during a "
                "run",
                key, any.by_viewer() ? " or a viewer command" : "");
        if (!variant_.empty())
            return fmt::format("`{}` does not apply when {} = \"{}\"", key, def_.discriminator(),
                               variant_);
        if (!def_.discriminator().empty()) return "";  // the discriminator's own error covers it
        throw std::logic_error(fmt::format("the loader does not read `{}{}` of [{}]", def_.prefix(),
                                           key, def_.section().name));
    }
    // A key of megabytes is shown by its start (the position says where it is).
    std::string message = fmt::format("unknown key `{}`", shortened(key));
    if (c_.diags.full()) return message;  // past the error limit: no suggestion looked for
    std::string hint = did_you_mean(key, def_.file_names());
    if (hint.empty() && top_level_) hint = other_section_hint(key);
    if (!hint.empty()) message += "; " + hint;
    return message;
}

std::string Tab::other_section_hint(std::string_view key) const {
    for (const auto& s : sections()) {
        if (&s == &def_.section() || s.kind == SectionKind::Value) continue;
        const KeyDef* k = table_of(s).find(key);
        if (k && k->in_file())
            return fmt::format(s.is_array() ? "`{}` is a key of [[{}]], not of this section"
                                            : "`{}` is a key of [{}], not of this section",
                               key, s.name);
    }
    return "";
}

void Tab::done() {
    for (const auto& [k, v] : t_) {
        const std::string_view key = k.str();
        if (was_read(key)) continue;
        if (const KeyDef* row = def_.find(key); row && !row->modelled && row->in_file()) {
            c_.not_modelled.push_back(
                {c_.at(k.source().path && k.source().begin.line > 0 ? k.source() : v.source()),
                 path_ + "." + shortened(key), row->meaning});
            continue;
        }
        std::string message = unread_message(key);
        if (message.empty()) continue;
        SourcePos pos = k.source().path && k.source().begin.line > 0 ? c_.at(k.source()) : c_.at(v);
        c_.diags.error(pos, path_ + "." + shortened(key), message);
    }
}

Tab sub(Tab& parent, const toml::table& t, std::string_view key) {
    const TableDef* def = parent.def().child(key);
    if (!def) throw std::logic_error(fmt::format("the grammar has no table `{}`", key));
    return Tab(parent.ctx(), t, *def, parent.key_path(key), parent.positions(),
               parent.pos_prefix() + std::string(key) + ".");
}

Tab sub_item(Tab& parent, const toml::table& t, std::string_view key, std::size_t index) {
    const TableDef* def = parent.def().child(key);
    if (!def) throw std::logic_error(fmt::format("the grammar has no tables `{}`", key));
    return Tab(parent.ctx(), t, *def, fmt::format("{}[{}]", parent.key_path(key), index),
               parent.positions(), fmt::format("{}{}[{}].", parent.pos_prefix(), key, index));
}

}  // namespace stratus::scenario::detail
