#include "sim/scenario/toml_syntax_error.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace stratus::scenario {
namespace {

// The table and key being read at `line` of a file TOML++ could not parse, as a key path
// ("simulation.duration", "workload[1].rate": the second [[workload]]), so that its syntax error
// names them: the last table header before the line, and the last `key =` from that header up
// to the line (a value may span lines). "" before any header and key.
std::string syntax_error_key(std::string_view text, int line) {
    std::map<std::string, int> seen;  // [[name]] -> how many so far
    std::string table, key;
    std::size_t start = 0;
    for (int n = 1; n <= line && start <= text.size(); ++n) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view l = text.substr(start, end - start);
        start = end + 1;
        const std::size_t b = l.find_first_not_of(" \t");
        if (b == std::string_view::npos) continue;
        l.remove_prefix(b);
        if (l.front() == '[') {
            const bool array = l.size() > 1 && l[1] == '[';
            const std::size_t close = l.find(']');
            if (close == std::string_view::npos) break;  // the header is the error
            std::string name(l.substr(array ? 2 : 1, close - (array ? 2 : 1)));
            // A header holds a key and nothing after it but a comment; `["1m", 5],` is a line
            // of a value that spans lines.
            std::string_view after = l.substr(close + 1);
            if (array && !after.empty() && after.front() == ']') after.remove_prefix(1);
            const std::size_t more = after.find_first_not_of(" \t\r");
            const bool header = name.find_first_not_of(
                                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                    "0123456789_-. \t\"'") == std::string::npos &&
                                (more == std::string_view::npos || after[more] == '#');
            if (!header) continue;
            name.erase(0, name.find_first_not_of(" \t"));
            name.erase(name.find_last_not_of(" \t") + 1);
            table = array ? fmt::format("{}[{}]", name, seen[name]++) : name;
            key.clear();
            continue;
        }
        const std::size_t eq = l.find('=');
        const std::size_t stop = l.find_first_of("{[\"'#");
        if (eq != std::string_view::npos && eq > 0 &&
            (stop == std::string_view::npos || stop > eq || l.front() == '"' ||
             l.front() == '\'')) {
            std::string_view k = l.substr(0, eq);
            k.remove_suffix(k.size() - (k.find_last_not_of(" \t") + 1));
            key = std::string(k);
        }
    }
    if (table.empty()) return key;
    return key.empty() ? table : table + "." + key;
}

// The text of line `line` (1-based) of `text`, without its line break; "" past the end.
std::string_view line_of(std::string_view text, int line) {
    std::size_t start = 0;
    for (int n = 1; n < line; ++n) {
        const std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) return {};
        start = end + 1;
    }
    std::string_view l = text.substr(start, text.find('\n', start) - start);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    return l;
}

// The key (or table header) a redefinition error at `column` of `l` is about, as written:
// `[a.b]` on a header line; else the key before the last `=` ahead of the column (TOML++
// points at the value), or after it when the column is at the key, from the start of the line
// or the `{` or `,` that opens it within an inline table. Quoted parts are kept as they are;
// `=`, `{` and `,` inside quotes do not count. Sets `inline_key` when the key is within an
// inline table.
std::string key_as_written(std::string_view l, int column, bool& inline_key) {
    inline_key = false;
    const std::size_t b = l.find_first_not_of(" \t");
    if (b == std::string_view::npos) return "";
    if (l[b] == '[') {
        const std::size_t close = l.find(']', b);
        if (close == std::string_view::npos) return std::string(l.substr(b));
        const std::size_t end = close + 1 < l.size() && l[close + 1] == ']' ? close + 2 : close + 1;
        return std::string(l.substr(b, end - b));
    }
    const auto at = static_cast<std::size_t>(std::max(column - 1, 0));
    std::size_t eq = std::string_view::npos, open = std::string_view::npos;
    std::size_t open_before_eq = std::string_view::npos;
    char quote = 0;
    for (std::size_t i = b; i < l.size(); ++i) {
        const char ch = l[i];
        if (quote) {
            if (ch == '\\' && quote == '"')
                ++i;
            else if (ch == quote)
                quote = 0;
            continue;
        }
        if (ch == '"' || ch == '\'') quote = ch;
        if (ch == '#') break;
        if (ch == '{' || ch == ',') open = i;
        if (ch == '=') {
            if (i >= at && eq != std::string_view::npos) break;  // the one before the value
            eq = i;
            open_before_eq = open;
            if (i >= at) break;  // the column was at the key: the first `=` after it
        }
    }
    if (eq == std::string_view::npos) return "";
    const std::size_t from = open_before_eq == std::string_view::npos ? b : open_before_eq + 1;
    inline_key = open_before_eq != std::string_view::npos;
    std::string_view k = l.substr(from, eq - from);
    const std::size_t kb = k.find_first_not_of(" \t");
    if (kb == std::string_view::npos) return "";
    k.remove_prefix(kb);
    k.remove_suffix(k.size() - (k.find_last_not_of(" \t") + 1));
    return std::string(k);
}

// TOML++'s redefinition errors quote the key re-escaped, garbled for quoted keys ('"seseed " '
// for "seed "): the message names the key or table as the file writes it instead. Other
// errors keep the parser's words.
std::string syntax_error_message(std::string_view text, int line, int column,
                                 const std::string& description, std::string& key_path) {
    if (description.find("cannot redefine existing") == std::string::npos)
        return "TOML syntax error: " + description;
    bool inline_key = false;
    const std::string written = key_as_written(line_of(text, line), column, inline_key);
    if (written.empty()) return "TOML syntax error: " + description;
    if (inline_key) key_path += (key_path.empty() ? "" : ".") + written;
    if (written.front() == '[')
        return fmt::format(
            "TOML syntax error: duplicate table {}: it is already defined above "
            "(by another {} header, or by dotted keys); define each table once",
            written, written);
    if (description.find("existing table") != std::string::npos)
        return fmt::format(
            "TOML syntax error: duplicate table: the dotted key `{}` redefines a "
            "table already defined above by a [header]; define each table once, "
            "with a header or with dotted keys, not both",
            written);
    return fmt::format(
        "TOML syntax error: duplicate key `{}`: this table already has it above "
        "(bare, quoted and dotted spellings of a key are the same key)",
        written);
}

}  // namespace

TomlSyntaxError describe_toml_syntax_error(std::string_view text, int line, int column,
                                           const std::string& description) {
    TomlSyntaxError e;
    e.key = syntax_error_key(text, line);
    e.message = syntax_error_message(text, line, column, description, e.key);
    return e;
}

}  // namespace stratus::scenario
