#pragma once
// A small writer of scenario TOML for generated files (`stratus import`): sections with their
// comments, keys in the order given, values rendered as TOML; a string reads back unchanged.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stratus::tfimport {

// One rendered value, ready to follow `key = `.
struct TomlValue {
    std::string text;
};

TomlValue toml_string(std::string_view s);
TomlValue toml_int(std::int64_t v);
TomlValue toml_number(double v);  // always a float literal ("2.0", "0.5")
TomlValue toml_bool(bool v);
TomlValue toml_strings(const std::vector<std::string>& list);
// { key = value, ... } with keys quoted when they are not bare keys.
TomlValue toml_inline(const std::vector<std::pair<std::string, TomlValue>>& entries);
// [ value, value ] (inline tables or anything else already rendered).
TomlValue toml_array(const std::vector<TomlValue>& values);
// A key as TOML writes it: bare when it can be, else quoted.
std::string toml_key(std::string_view key);

class TomlSection {
  public:
    // "[[autoscaling_group]]" when `array`, "[simulation]" otherwise.
    TomlSection(std::string name, bool array) : name_(std::move(name)), array_(array) {}
    void comment(std::string line);
    void comment_first(std::string line);
    void set(std::string key, TomlValue value, std::string trailing_comment = "");
    // A line written as a comment among the keys ("# image_id = ... (not modelled)").
    void commented_key(std::string line) { keys_.push_back({"", {}, std::move(line)}); }
    bool has(std::string_view key) const;
    const TomlValue* value(std::string_view key) const;  // nullptr when not set
    const std::vector<std::string>& comments() const { return comments_; }
    const std::string& name() const { return name_; }
    std::string render() const;

  private:
    struct Key {
        std::string key;
        TomlValue value;
        std::string comment;
    };
    std::string name_;
    bool array_;
    std::vector<std::string> comments_;
    std::vector<Key> keys_;
};

}  // namespace stratus::tfimport
