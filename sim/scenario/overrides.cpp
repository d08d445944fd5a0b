// --set PATH=VALUE: one setting of the file replaced (or added) in the TOML tree before the
// tree is read, so the value is checked exactly as if the file held it. The path is resolved
// against the grammar (the section, the element by name or index, the key and the tables it
// sits in); the value must be exactly one TOML value. Every node the override creates keeps
// "--set PATH=VALUE" as its source, so any error about it names the override, not the file.
#include <algorithm>

#include "sim/scenario/loader.hpp"
#include "sim/scenario/toml_reader.hpp"

namespace stratus::scenario::detail {
namespace {

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

bool has_control_character(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char ch) {
        const auto u = static_cast<unsigned char>(ch);
        return u < 0x20 || u == 0x7F;
    });
}

// Finds the element of an array of tables named `name` (by name_key), or at index `name`.
toml::table* find_element(toml::array& a, const std::vector<std::string_view>& name_keys,
                          const std::string& name, std::vector<std::string>& known) {
    toml::table* found = nullptr;
    for (std::size_t i = 0; i < a.size(); ++i) {
        toml::table* t = a.get(i)->as_table();
        if (!t) continue;
        if (!name_keys.empty()) {
            for (std::string_view key : name_keys)
                if (auto n = t->get_as<std::string>(key)) {
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

// One override being applied.
struct Override {
    Ctx& c;
    toml::table& root;
    std::string origin;  // "--set PATH=VALUE": the source of every node it makes
    std::string path;
    std::vector<std::string> segments;

    void error(std::string message) { c.diags.error(SourcePos{origin, 0, 0}, path, message); }

    // The value: one TOML value, or the text as a string when it is not TOML at all.
    std::optional<toml::table> value(const std::string& text) {
        try {
            toml::table parsed = toml::parse("v = " + text, origin);
            if (parsed.size() != 1 || !parsed.get("v")) {
                error(
                    "expected one TOML value after `=`, found more (a line break?); a string "
                    "that holds one must be quoted, such as \"a\\nb\"");
                return std::nullopt;
            }
            return parsed;
        } catch (const toml::parse_error&) {
        }
        if (has_control_character(text)) {
            error(
                "expected one TOML value after `=`; the text is none and cannot be a bare "
                "string, as it holds a line break or a control character");
            return std::nullopt;
        }
        try {
            return toml::parse("v = " + toml_basic_string(text), origin);
        } catch (const toml::parse_error& e) {
            // Even as a string it does not parse: bytes that are not UTF-8 text.
            error(fmt::format("the value is not valid text: {}", e.description()));
            return std::nullopt;
        }
    }

    // An empty table whose source is the override, so errors inside it name the override.
    toml::table new_table() const {
        toml::table holder = toml::parse("t = {}", origin);
        return std::move(*holder.get_as<toml::table>("t"));
    }

    // The element of [[section]] the path names: the longest run of segments that names one
    // (names may hold dots, "t3.micro"), keeping at least one segment for the key.
    toml::table* element(const SectionDef& section, std::size_t& next) {
        if (segments.size() < 3) {
            error(fmt::format("expected {}.<{}>.<key>", section.name,
                              *section.name_key ? section.name_key : "index"));
            return nullptr;
        }
        toml::node* sec = root.get(section.name);
        toml::array* array = sec ? sec->as_array() : nullptr;
        std::vector<std::string> known;
        for (std::size_t k = segments.size() - 1; array && k >= 2; --k) {
            std::string joined = segments[1];
            for (std::size_t j = 2; j < k; ++j)
                joined += "." + segments[j];
            std::vector<std::string> names;
            toml::table* found = find_element(*array, name_keys(section), joined, names);
            if (known.empty()) known = names;
            if (found) {
                next = k;
                return found;
            }
        }
        std::string hint = did_you_mean(segments[1], known);
        error(fmt::format("no {} named `{}`; known: {}{}", section.name, shortened(segments[1]),
                          quoted_list(known), hint.empty() ? "" : "; " + hint));
        return nullptr;
    }

    // The table of a singleton section, made if the file has none.
    toml::table* singleton(const SectionDef& section) {
        if (segments.size() < 2) {
            error(fmt::format("expected {}.<key>", section.name));
            return nullptr;
        }
        if (!root.get(section.name)) root.insert(section.name, new_table());
        toml::table* t = root.get(section.name)->as_table();
        if (!t) error(fmt::format("[{}] is not a table", section.name));
        return t;
    }

    // The sub-table `name` of `cur`, made if absent; nullptr (and an error) if it is a value.
    toml::table* child_table(toml::table& cur, const std::string& name, const std::string& where) {
        toml::node* child = cur.get(name);
        if (!child) {
            cur.insert(name, new_table());
            return cur.get(name)->as_table();
        }
        if (child->is_table()) return child->as_table();
        error(fmt::format("`{}.{}` is {}, not a table", shortened_path(where), shortened(name),
                          describe(*child)));
        return nullptr;
    }

    // The key `name` of a table of the grammar: its row, an alias resolved to its canonical
    // name (the spellings the table holds are dropped: the override replaces them). `shown`
    // is the table's path as the loader writes it (autoscaling_group[web]).
    const KeyDef* key(const TableDef& table, toml::table& cur, std::string& name,
                      const std::string& shown) {
        if (auto canonical = table.canonical_of(name); !canonical.empty())
            name = std::string(canonical);
        const KeyDef* row = table.find(name);
        if (!row) {
            std::string hint = did_you_mean(name, table.file_names());
            c.diags.error(SourcePos{origin, 0, 0}, shown + "." + name,
                          fmt::format("unknown key `{}`{}", shortened(name),
                                      hint.empty() ? "" : "; " + hint));
            return nullptr;
        }
        if (!row->in_file()) {
            c.diags.error(SourcePos{origin, 0, 0}, shown + "." + name,
                          fmt::format("`{}` is not a key of the file: an [[action]] changes it "
                                      "during a run",
                                      name));
            return nullptr;
        }
        for (std::string_view alias : table.aliases_of(name))
            cur.erase(alias);
        return row;
    }

    void set(toml::table& cur, const std::string& name, toml::table& parsed) {
        parsed.get("v")->visit([&](auto&& n) { cur.insert_or_assign(name, std::move(n)); });
    }

    // Walks the key path from `cur` (a table of the grammar `table`) and sets the value.
    void assign(toml::table* cur, const TableDef* table, std::size_t next, std::string where,
                std::string shown, toml::table& parsed) {
        for (; next < segments.size(); ++next) {
            std::string name = segments[next];
            const KeyDef* row = key(*table, *cur, name, shown);
            if (!row) return;
            const bool last = next + 1 == segments.size();
            if (last) return set(*cur, name, parsed);
            switch (row->type) {
                case KeyType::StringTable:
                case KeyType::NumberTable: {
                    // The rest is one key of the table, dots and all ("m5.large").
                    std::string entry = segments[next + 1];
                    for (std::size_t j = next + 2; j < segments.size(); ++j)
                        entry += "." + segments[j];
                    if (toml::table* t = child_table(*cur, name, where)) set(*t, entry, parsed);
                    return;
                }
                case KeyType::Table:
                    cur = child_table(*cur, name, where);
                    table = table->child(name);
                    break;
                case KeyType::Distribution:
                case KeyType::Rate:
                    cur = child_table(*cur, name, where);
                    table = table_of(row->type == KeyType::Rate ? "rate" : "distribution");
                    break;
                case KeyType::Tables: {
                    toml::node* n = cur->get(name);
                    std::vector<std::string> known;
                    toml::table* e =
                        n && n->is_array_of_tables()
                            ? find_element(*n->as_array(), {}, segments[next + 1], known)
                            : nullptr;
                    if (!e || next + 2 >= segments.size()) {
                        error(fmt::format("expected {}.{}.<index>.<key>; known indexes: {}", where,
                                          name, quoted_list(known)));
                        return;
                    }
                    cur = e;
                    table = table->child(name);
                    where += "." + name;
                    shown += fmt::format(".{}[{}]", name, segments[next + 1]);
                    ++next;  // the index; the loop steps to the key after it
                    continue;
                }
                default:
                    error(fmt::format("`{}.{}` is {}, not a table", shortened_path(where),
                                      shortened(name), type_name(row->type)));
                    return;
            }
            if (!cur) return;
            where += "." + name;
            shown += "." + name;
        }
    }

    void apply(const std::string& value_text) {
        for (const auto& s : segments) {
            if (s.empty()) {
                error(
                    "malformed override path: expected names separated by single dots, such as "
                    "autoscaling_group.web.min_size");
                return;
            }
        }
        auto parsed = value(value_text);
        if (!parsed) return;
        const SectionDef* section = find_section(segments[0]);
        if (!section || section->kind == SectionKind::Value) {
            std::vector<std::string> names;
            for (const auto& s : sections())
                if (s.kind != SectionKind::Value) names.emplace_back(s.name);
            std::string hint = did_you_mean(segments[0], names);
            error(fmt::format("unknown section `{}`{}", shortened(segments[0]),
                              hint.empty() ? "" : "; " + hint));
            return;
        }
        std::size_t next = 1;
        toml::table* cur = section->is_array() ? element(*section, next) : singleton(*section);
        if (!cur) return;
        std::string where = segments[0], shown = segments[0];
        if (section->is_array()) {
            // The element's segments, joined back (a name with dots).
            std::string name = segments[1];
            for (std::size_t j = 2; j < next; ++j)
                name += "." + segments[j];
            where += "." + name;
            shown += "[" + name + "]";
        }
        assign(cur, &table_of(*section), next, where, shown, *parsed);
    }
};

}  // namespace
}  // namespace stratus::scenario::detail

namespace stratus::scenario {

// The override as messages name it: control characters written as escapes, so that a line
// break smuggled into it cannot split the message or forge a line of its own; one of more than
// a few hundred bytes is cut (a 100 KB name would make a 100 KB message).
std::string override_origin(const std::string& raw) {
    std::string out = "--set ";
    for (char ch : raw) {
        const auto u = static_cast<unsigned char>(ch);
        if (ch == '\n')
            out += "\\n";
        else if (ch == '\t')
            out += "\\t";
        else if (ch == '\r')
            out += "\\r";
        else if (u < 0x20 || u == 0x7F)
            out += fmt::format("\\x{:02x}", u);
        else
            out += ch;
    }
    return detail::shortened(out, 240);
}

}  // namespace stratus::scenario

namespace stratus::scenario::detail {

void apply_override(Ctx& c, toml::table& root, const std::string& raw) {
    const std::string origin = override_origin(raw);
    auto eq = raw.find('=');
    if (eq == std::string::npos) {
        c.diags.error(SourcePos{origin, 0, 0}, "",
                      "malformed override: expected PATH=VALUE, such as "
                      "autoscaling_group.web.min_size=3");
        return;
    }
    std::string path = raw.substr(0, eq);
    while (!path.empty() && path.back() == ' ')
        path.pop_back();
    while (!path.empty() && path.front() == ' ')
        path.erase(path.begin());
    Override o{c, root, origin, path, split(path, '.')};
    o.apply(raw.substr(eq + 1));
}

}  // namespace stratus::scenario::detail
