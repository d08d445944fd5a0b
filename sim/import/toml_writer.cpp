#include "sim/import/toml_writer.hpp"

#include <cmath>

#include <fmt/format.h>

namespace stratus::tfimport {

TomlValue toml_string(std::string_view s) {
    // A basic string: quotes, backslashes and control characters escaped (TOML 1.0, 2.4).
    std::string out = "\"";
    for (char ch : s) {
        const auto u = static_cast<unsigned char>(ch);
        if (ch == '"' || ch == '\\') {
            out += '\\';
            out += ch;
        } else if (u < 0x20 || u == 0x7F) {
            out += fmt::format("\\u{:04X}", u);
        } else {
            out += ch;
        }
    }
    return {out + "\""};
}

TomlValue toml_int(std::int64_t v) {
    return {fmt::format("{}", v)};
}

TomlValue toml_number(double v) {
    if (!std::isfinite(v)) return {"0.0"};
    std::string text = fmt::format("{}", v);  // shortest form that reads back the same
    if (text.find_first_of(".eE") == std::string::npos) text += ".0";
    return {text};
}

TomlValue toml_bool(bool v) {
    return {v ? "true" : "false"};
}

TomlValue toml_strings(const std::vector<std::string>& list) {
    std::vector<TomlValue> values;
    for (const auto& s : list)
        values.push_back(toml_string(s));
    return toml_array(values);
}

std::string toml_key(std::string_view key) {
    const bool bare = !key.empty() && key.find_first_not_of(
                                          "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "abcdefghijklmnopqrstuvwxyz"
                                          "0123456789_-") == std::string::npos;
    return bare ? std::string(key) : toml_string(key).text;
}

TomlValue toml_inline(const std::vector<std::pair<std::string, TomlValue>>& entries) {
    if (entries.empty()) return {"{}"};
    std::string out = "{ ";
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (i > 0) out += ", ";
        out += toml_key(entries[i].first) + " = " + entries[i].second.text;
    }
    return {out + " }"};
}

TomlValue toml_array(const std::vector<TomlValue>& values) {
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) out += ", ";
        out += values[i].text;
    }
    return {out + "]"};
}

namespace {

// A comment is one line: line breaks in names or descriptions become spaces.
std::string one_line(std::string s) {
    for (char& c : s)
        if (c == '\n' || c == '\r') c = ' ';
    return s;
}

}  // namespace

void TomlSection::comment(std::string line) {
    comments_.push_back(one_line(std::move(line)));
}

void TomlSection::comment_first(std::string line) {
    comments_.insert(comments_.begin(), one_line(std::move(line)));
}

void TomlSection::set(std::string key, TomlValue value, std::string trailing_comment) {
    for (auto& k : keys_)
        if (k.key == key) {
            k.value = std::move(value);
            k.comment = std::move(trailing_comment);
            return;
        }
    keys_.push_back({std::move(key), std::move(value), std::move(trailing_comment)});
}

bool TomlSection::has(std::string_view key) const {
    for (const auto& k : keys_)
        if (k.key == key) return true;
    return false;
}

const TomlValue* TomlSection::value(std::string_view key) const {
    for (const auto& k : keys_)
        if (k.key == key) return &k.value;
    return nullptr;
}

std::string TomlSection::render() const {
    std::string out;
    for (const auto& c : comments_)
        out += "# " + c + "\n";
    out += array_ ? "[[" + name_ + "]]\n" : "[" + name_ + "]\n";
    for (const auto& k : keys_) {
        if (k.key.empty()) {
            out += "# " + one_line(k.comment) + "\n";
            continue;
        }
        out += toml_key(k.key) + " = " + k.value.text;
        if (!k.comment.empty()) out += "  # " + one_line(k.comment);
        out += "\n";
    }
    return out;
}

}  // namespace stratus::tfimport
