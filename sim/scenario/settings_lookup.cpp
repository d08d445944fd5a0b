// The grammar's lookups: tables of keys per section and nested table, aliases, and the one
// parser of the paths an [[action]] or a viewer command changes. The rows themselves are in
// settings.cpp.
#include "sim/scenario/settings.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/scenario/internal.hpp"

namespace stratus::scenario {

// ---- Ranges and keys --------------------------------------------------------------------------

bool Range::contains(double v) const {
    // Never NaN or an infinity: no setting means "unbounded" by writing inf.
    if (!std::isfinite(v)) return false;
    const bool above_min = min_open ? v > min : v >= min;
    const bool below_max = max_open ? v < max : v <= max;
    return above_min && below_max;
}

std::string Range::text(std::string_view what) const {
    const bool has_min = std::isfinite(min), has_max = std::isfinite(max);
    const char* lo = min_open ? ">" : ">=";
    const char* hi = max_open ? "<" : "<=";
    if (!has_min && !has_max) return std::string(what);
    if (!has_max) return fmt::format("{} {} {}", what, lo, min);
    if (!has_min) return fmt::format("{} {} {}", what, hi, max);
    if (!min_open && !max_open) return fmt::format("{} between {} and {}", what, min, max);
    return fmt::format("{} {} {} and {} {}", what, lo, min, hi, max);
}

bool KeyDef::applies_to(std::string_view variant) const {
    if (!*variants) return true;
    std::string_view list = variants;
    while (!list.empty()) {
        const auto space = list.find(' ');
        if (list.substr(0, space) == variant) return true;
        if (space == std::string_view::npos) break;
        list.remove_prefix(space + 1);
    }
    return false;
}

std::string_view KeyDef::name() const {
    std::string_view p = path;
    const auto dot = p.rfind('.');
    return dot == std::string_view::npos ? p : p.substr(dot + 1);
}

std::string_view KeyDef::parent() const {
    std::string_view p = path;
    const auto dot = p.rfind('.');
    return dot == std::string_view::npos ? std::string_view() : p.substr(0, dot + 1);
}

const char* type_name(KeyType type) {
    switch (type) {
        case KeyType::Text:
            return "string";
        case KeyType::Name:
            return "name";
        case KeyType::Reference:
            return "reference";
        case KeyType::References:
            return "array of references";
        case KeyType::Strings:
            return "array of strings";
        case KeyType::Integer:
            return "integer";
        case KeyType::Number:
            return "number";
        case KeyType::Boolean:
            return "boolean";
        case KeyType::Duration:
            return "duration";
        case KeyType::Seconds:
            return "seconds";
        case KeyType::TimePoint:
            return "time";
        case KeyType::DateTime:
            return "date-time";
        case KeyType::Choice:
            return "choice";
        case KeyType::Choices:
            return "array of choices";
        case KeyType::Distribution:
            return "distribution";
        case KeyType::Rate:
            return "rate";
        case KeyType::Percentile:
            return "percentile";
        case KeyType::StringTable:
            return "table of strings";
        case KeyType::NumberTable:
            return "table of numbers";
        case KeyType::Table:
            return "table";
        case KeyType::Tables:
            return "array of tables";
        case KeyType::Pairs:
            return "array of pairs";
        case KeyType::Settings:
            return "table of settings";
    }
    return "?";
}

// ---- Tables -----------------------------------------------------------------------------------

const KeyDef* TableDef::find(std::string_view name, std::string_view variant) const {
    for (std::size_t i = 0; i < keys_.size(); ++i)
        if (names_[i] == name && (variant.empty() || keys_[i]->applies_to(variant)))
            return keys_[i];
    return nullptr;
}

bool TableDef::has_name(std::string_view name) const {
    return std::find(names_.begin(), names_.end(), name) != names_.end();
}

std::string_view TableDef::canonical_of(std::string_view alias) const {
    for (const auto& [a, canonical] : aliases_)
        if (a == alias) return canonical;
    return {};
}

std::vector<std::string_view> TableDef::aliases_of(std::string_view name) const {
    std::vector<std::string_view> out;
    for (const auto& [a, canonical] : aliases_)
        if (canonical == name) out.emplace_back(a);
    return out;
}

std::vector<std::string> TableDef::file_names() const {
    std::vector<std::string> out;
    for (const KeyDef* k : keys_) {
        std::string n(k->name());
        if (k->in_file() && std::find(out.begin(), out.end(), n) == out.end())
            out.push_back(std::move(n));
    }
    for (const auto& a : aliases_)
        out.push_back(a.first);
    return out;
}

const TableDef* TableDef::child(std::string_view name) const {
    for (const auto& [n, t] : children_)
        if (n == name) return t;
    return nullptr;
}

std::string_view TableDef::discriminator() const {
    for (const KeyDef* k : keys_)
        if (k->discriminator) return k->name();
    return {};
}

// Every table of every section, built once from the rows (the grammar never changes).
struct GrammarIndex {
    std::vector<std::unique_ptr<TableDef>> tables;
    std::map<std::string, const TableDef*, std::less<>> top;  // by section name

    TableDef* table(const SectionDef& section, const std::string& prefix) {
        for (auto& t : tables)
            if (t->section_ == &section && t->prefix_ == prefix) return t.get();
        tables.push_back(std::make_unique<TableDef>());
        tables.back()->section_ = &section;
        tables.back()->prefix_ = prefix;
        return tables.back().get();
    }

    GrammarIndex() {
        for (const auto& s : sections())
            top[s.name] = table(s, "");
        for (const KeyDef& k : keys()) {
            const SectionDef* s = find_section(k.section);
            if (!s) throw std::logic_error(fmt::format("grammar: no section {}", k.section));
            TableDef* t = table(*s, std::string(k.parent()));
            t->keys_.push_back(&k);
            t->names_.push_back(k.name());
            if (k.type == KeyType::Table || k.type == KeyType::Tables) {
                std::string child = std::string(k.path) + (k.type == KeyType::Tables ? "[]." : ".");
                t->children_.emplace_back(std::string(k.name()), table(*s, child));
            }
        }
        for (const AliasDef& a : aliases()) {
            const KeyDef* k = find_key(a.section, a.canonical);
            if (!k) throw std::logic_error(fmt::format("grammar: alias of no key {}", a.canonical));
            std::string_view alias = a.alias;
            const auto dot = alias.rfind('.');
            std::string parent(dot == std::string_view::npos ? "" : alias.substr(0, dot + 1));
            if (parent != k->parent())
                throw std::logic_error(
                    fmt::format("grammar: alias {} not beside {}", a.alias, a.canonical));
            table(*find_section(a.section), parent)
                ->aliases_.emplace_back(std::string(alias.substr(dot + 1)), std::string(k->name()));
        }
    }
};

namespace {
const GrammarIndex& index() {
    static const GrammarIndex kIndex;
    return kIndex;
}
}  // namespace

const SectionDef* find_section(std::string_view name) {
    for (const auto& s : sections())
        if (name == s.name) return &s;
    return nullptr;
}

const TableDef& table_of(const SectionDef& section) {
    return *index().top.find(section.name)->second;
}

std::vector<std::string_view> name_keys(const SectionDef& section) {
    if (!*section.name_key) return {};
    std::vector<std::string_view> out{section.name_key};
    for (std::string_view alias : table_of(section).aliases_of(section.name_key))
        out.push_back(alias);
    return out;
}

const TableDef* table_of(std::string_view section) {
    auto it = index().top.find(section);
    return it == index().top.end() ? nullptr : it->second;
}

const KeyDef* find_key(std::string_view section, std::string_view path) {
    for (const KeyDef& k : keys())
        if (section == k.section && path == k.path) return &k;
    return nullptr;
}

const KeyDef* find_key_of_path(std::string_view key_path) {
    const std::size_t end = key_path.find_first_of("[.");
    if (end == std::string_view::npos) return nullptr;
    const std::string_view section = key_path.substr(0, end);
    std::string_view rest = key_path.substr(end);
    if (rest.front() == '[') {  // the element: up to the first "]." (names may hold dots)
        const std::size_t close = rest.find("].");
        if (close == std::string_view::npos) return nullptr;
        rest = rest.substr(close + 2);
    } else {
        rest.remove_prefix(1);
    }
    // "spike[2].at" -> "spike[].at"; a list key's element "target_groups[1]" -> "target_groups".
    std::string path;
    for (std::size_t i = 0; i < rest.size(); ++i) {
        path += rest[i];
        if (rest[i] != '[') continue;
        std::size_t j = i + 1;
        while (j < rest.size() && rest[j] >= '0' && rest[j] <= '9')
            ++j;
        if (j > i + 1 && j < rest.size() && rest[j] == ']') i = j - 1;
    }
    if (path.size() > 2 && path.compare(path.size() - 2, 2, "[]") == 0 && !find_key(section, path))
        path.resize(path.size() - 2);
    return find_key(section, path);
}

// ---- Settings a run can change ----------------------------------------------------------------

namespace {

// The sections whose elements an [[action]] may name.
std::vector<std::string> element_sections() {
    std::vector<std::string> out;
    for (const auto& s : sections())
        if (s.is_array() && std::string_view(s.name) != "action" &&
            std::string_view(s.name) != "fault")
            out.emplace_back(s.name);
    return out;
}

}  // namespace

std::string SettingPath::text() const {
    return fmt::format("{}.{}.{}", section->name, element, key->path);
}

std::optional<SettingPath> parse_setting_path(std::string_view path, std::string* error) {
    auto fail = [&](std::string why) -> std::optional<SettingPath> {
        if (error) *error = std::move(why);
        return std::nullopt;
    };
    const auto first = path.find('.');
    const auto last = path.rfind('.');
    if (first == std::string_view::npos || last == first || first == 0 || last + 1 == path.size() ||
        last == first + 1)
        return fail(
            fmt::format("expected \"<resource>.<name>.<key>\" such as "
                        "\"autoscaling_group.web.desired_capacity\", found \"{}\"",
                        detail::shortened(path)));
    const std::string section_name(path.substr(0, first));
    const SectionDef* section = find_section(section_name);
    const auto changeable = element_sections();
    if (!section ||
        std::find(changeable.begin(), changeable.end(), section_name) == changeable.end()) {
        std::string hint = detail::did_you_mean(section_name, changeable);
        return fail(fmt::format("cannot change `{}` during a run; changeable: {}{}",
                                detail::shortened(section_name), detail::quoted_list(changeable),
                                hint.empty() ? "" : "; " + hint));
    }
    // The key is the longest key path (or alias) the path ends with; the element is the rest,
    // so names may hold dots.
    const KeyDef* key = nullptr;
    std::size_t key_length = 0;
    auto consider = [&](std::string_view key_path, const KeyDef* k) {
        if (key_path.find('[') != std::string_view::npos) return;  // inside arrays: no
        const std::size_t n = key_path.size() + 1;
        if (path.size() <= first + 1 + n || key_length >= n) return;
        if (path.substr(path.size() - n) != fmt::format(".{}", key_path)) return;
        key = k;
        key_length = n;
    };
    for (const KeyDef& k : keys())
        if (section_name == k.section) consider(k.path, &k);
    for (const AliasDef& a : aliases())
        if (section_name == a.section) consider(a.alias, find_key(a.section, a.canonical));
    if (!key) {
        const TableDef& table = table_of(*section);
        const std::string key_name(path.substr(last + 1));
        std::vector<std::string> names = table.file_names();
        for (const KeyDef* k : table.keys())
            if (!k->in_file()) names.emplace_back(k->name());
        std::string hint = detail::did_you_mean(key_name, names);
        return fail(fmt::format("unknown key `{}` of [[{}]]{}", detail::shortened(key_name),
                                section_name, hint.empty() ? "" : "; " + hint));
    }
    SettingPath out;
    out.section = section;
    out.element = std::string(path.substr(first + 1, path.size() - key_length - first - 1));
    out.key = key;
    return out;
}

std::string setting_path(std::string_view section, std::string_view element, std::string_view key) {
    const TableDef* table = table_of(section);
    const KeyDef* k = table ? table->find(key) : nullptr;
    if (!k || !(k->by_action() || k->by_viewer()))
        throw std::invalid_argument(fmt::format("{}.{} cannot change during a run", section, key));
    return fmt::format("{}.{}.{}", section, element, key);
}

std::vector<const KeyDef*> settable_keys(std::string_view section, bool viewer) {
    std::vector<const KeyDef*> out;
    if (const TableDef* table = table_of(section))
        for (const KeyDef* k : table->keys())
            if (viewer ? k->by_viewer() : k->by_action()) out.push_back(k);
    return out;
}

}  // namespace stratus::scenario
