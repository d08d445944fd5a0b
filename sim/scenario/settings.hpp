#pragma once
// The scenario grammar: every section and every key a scenario file may hold, declared once,
// as data (settings.cpp; the lookups are in settings_lookup.cpp). Everything that needs to know a
// key reads it here:
//   - the loader: which keys a table accepts (anything else is an unknown key, with a
//     "did you mean" among these), each key's type, whether it is required, its range;
//   - --set: which paths exist, and which element and key a path names;
//   - [[action]] and the viewer's commands: which keys can change during a run
//     (parse_setting_path turns "autoscaling_group.web.min_size" into a SettingPath that
//     validate, the World's SettingsApplier and the viewer share);
//   - `stratus reference` / docs/reference.md: the key reference users read.
// Adding a key is one row in settings.cpp plus its behaviour (the loader's reader of the
// section, the Spec field, explain); adding an alternative spelling is one row of aliases().
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stratus::scenario {

// What a key holds: decides the loader's converter and the reference's "type" column.
enum class KeyType {
    Text,          // a string
    Name,          // the element's own name: a non-empty string, unique in its section
    Reference,     // the name of another resource
    References,    // an array of names of other resources
    Strings,       // an array of strings
    Integer,       //
    Number,        // an integer or a float
    Boolean,       //
    Duration,      // "90s", "1.5s", "1h30m", or a number of seconds
    Seconds,       // whole seconds: an integer, or a duration such as "5m"
    TimePoint,     // a duration from the start, or an RFC 3339 date-time
    DateTime,      // an RFC 3339 date-time with an offset
    Choice,        // one name of a fixed list
    Choices,       // an array of such names
    Distribution,  // a duration (constant) or a table { dist = ... } (section "distribution")
    Rate,          // requests/s: a number, or a table { shape = ... } (section "rate")
    Percentile,    // "p99", "p99.9"
    StringTable,   // { key = "value", ... }: tags, dimensions
    NumberTable,   // { key = number, ... }: prices by instance type
    Table,         // a nested table; its keys are rows of their own ("health_check.interval")
    Tables,        // an array of tables; their keys are rows ("step_adjustment[].scaling_...")
    Pairs,         // an array of [time, value] pairs
    Settings,      // { "<path>" = value, ... }: the settings an [[action]] changes
};

// Where a key can be given. Every key a file can hold can also be given by --set.
enum Change : unsigned {
    kInFile = 1u,    // in the scenario file (and by --set)
    kByAction = 2u,  // changed during a run by an [[action]]
    kByViewer = 4u,  // changed during a run by a command of the viewer (stratus-viz)
};

// The keys a run can change, one per behaviour of cloud::SettingsApplier.
enum class SettingId {
    None,
    GroupDesiredCapacity,
    GroupMinSize,
    GroupMaxSize,
    GroupHealthCheckGracePeriod,
    GroupLaunchTemplate,
    GroupLaunchTemplateVersion,
    GroupTerminateInstance,
    ListenerTargetGroup,
    ListenerWeight,
    PolicyEnabled,
    PolicyTargetValue,
    WorkloadRateMultiplier,
    EcsServiceTaskDefinition,
    EcsServiceDesiredCount,
    EcsDrainContainerInstance,
};

// The values a number may take. Bounds are inclusive unless marked open; durations and
// seconds are in seconds.
struct Range {
    double min = -std::numeric_limits<double>::infinity();
    double max = std::numeric_limits<double>::infinity();
    bool min_open = false;
    bool max_open = false;
    bool bounded() const { return min > -max_value() || max < max_value(); }
    bool contains(double v) const;
    // "a number between 0 and 100", "an integer >= 1", "a duration > 0" (`what` = "a number").
    std::string text(std::string_view what) const;
    static double max_value() { return std::numeric_limits<double>::infinity(); }
};

// One key of a section or of a value table.
struct KeyDef {
    const char* section = "";  // "autoscaling_group", or a value table ("distribution")
    // The key's path inside one element: "min_size", "health_check.interval",
    // "step_adjustment[].scaling_adjustment" ([] = each element of an array of tables).
    const char* path = "";
    KeyType type = KeyType::Text;
    bool required = false;
    // Values of the table's discriminator (`dist`, `shape`, a Spot price's `model`) for which
    // the key applies, separated by spaces; empty: always.
    const char* variants = "";
    bool discriminator = false;        // this key chooses the variant of its table
    std::vector<std::string> choices;  // Choice, Choices: the names accepted, in order
    const char* default_text = "";     // as shown to users; "" = none (or required)
    const char* unit = "";             // "s", "USD/h", "GB", "%", "requests/s", ...
    Range range;
    const char* aws = "";        // the AWS API's name (CloudFormation property), "" if none
    const char* terraform = "";  // the Terraform AWS provider's argument, "" if none
    unsigned change = kInFile;
    SettingId id = SettingId::None;
    const char* meaning = "";
    // A key whose default the bill depends on: the charges it drives ("data transfer out to the
    // internet") and where the default comes from, for `stratus explain` (cost_defaults()).
    const char* bills = "";
    const char* basis = "";
    // false: the key configures something outside the model (image_id, user_data): a file may
    // hold it (Terraform has it), the loader skips its value and `validate` lists it as
    // "accepted, not modelled".
    bool modelled = true;

    bool in_file() const { return (change & kInFile) != 0; }
    bool by_action() const { return (change & kByAction) != 0; }
    bool by_viewer() const { return (change & kByViewer) != 0; }
    bool applies_to(std::string_view variant) const;
    // The last component of the path: "interval" for "health_check.interval".
    std::string_view name() const;
    // The path of the table holding the key: "health_check." ("" at the top).
    std::string_view parent() const;
};

enum class SectionKind {
    Singleton,  // [simulation]
    Array,      // [[autoscaling_group]]
    Value,      // a value table used by keys of other sections (distribution, rate)
};

struct SectionDef {
    const char* name = "";
    SectionKind kind = SectionKind::Singleton;
    const char* name_key = "";   // the key that names an element; "" = addressed by index
    const char* terraform = "";  // the Terraform resource it follows ("aws_autoscaling_group")
    bool required = false;
    const char* meaning = "";
    bool is_array() const { return kind == SectionKind::Array; }
};

// An alternative spelling of a key (Terraform's, for instance): it loads exactly like the
// canonical key, in the same table; giving both is an error; explain writes the canonical.
struct AliasDef {
    const char* section;
    const char* alias;      // path, in the same table as the canonical key
    const char* canonical;  // path of the canonical key
};

// Every section, in the order explain writes them (value tables last).
const std::vector<SectionDef>& sections();
const SectionDef* find_section(std::string_view name);
// Every key of every section, grouped by section in the order of sections().
const std::vector<KeyDef>& keys();
const std::vector<AliasDef>& aliases();

// The keys held directly by one table of a section: the top level (prefix ""), a nested
// table ("health_check."), the elements of an array of tables ("step_adjustment[].").
class TableDef {
  public:
    const SectionDef& section() const { return *section_; }
    const std::string& prefix() const { return prefix_; }
    const std::vector<const KeyDef*>& keys() const { return keys_; }
    // The key named `name` (its last path component) that applies to `variant`; a key that
    // applies to every variant matches any. nullptr if none.
    const KeyDef* find(std::string_view name, std::string_view variant = "") const;
    // Whether some row of this table is named `name`, whatever the variant.
    bool has_name(std::string_view name) const;
    // The canonical name an alias spelling stands for, or "".
    std::string_view canonical_of(std::string_view alias) const;
    // The aliases of a canonical name.
    std::vector<std::string_view> aliases_of(std::string_view name) const;
    bool has_aliases() const { return !aliases_.empty(); }
    // The names a file may write here (keys and aliases): for "did you mean".
    std::vector<std::string> file_names() const;
    // The table of a Table/Tables key of this table ("health_check" -> "health_check.").
    const TableDef* child(std::string_view name) const;
    // The discriminator's name, or "".
    std::string_view discriminator() const;

  private:
    friend struct GrammarIndex;
    const SectionDef* section_ = nullptr;
    std::string prefix_;
    std::vector<const KeyDef*> keys_;
    std::vector<std::string_view> names_;                       // keys_[i]->name(), for the lookups
    std::vector<std::pair<std::string, std::string>> aliases_;  // alias name -> canonical
    std::vector<std::pair<std::string, const TableDef*>> children_;
};

// The keys that may name an element of an array section: its name_key and the aliases of it
// ("bucket" for [[s3_bucket]]'s name); none for a section addressed by index.
std::vector<std::string_view> name_keys(const SectionDef& section);

// The top-level table of a section, or of a value table.
const TableDef& table_of(const SectionDef& section);
const TableDef* table_of(std::string_view section);

// A key by its section and path ("autoscaling_group", "health_check_grace_period"), any
// variant; nullptr if none.
const KeyDef* find_key(std::string_view section, std::string_view path);
// The row of a diagnostic's key path ("workload[api].rate", "workload[api].spike[2].at",
// "lb_listener[0].load_balancer"); nullptr if it names no row.
const KeyDef* find_key_of_path(std::string_view key_path);

// ---- Settings a run can change ----------------------------------------------------------------

// "autoscaling_group.web.min_size", parsed: a section with elements, the element (its name,
// or its index for sections addressed by index) and a key a run can change.
struct SettingPath {
    const SectionDef* section = nullptr;
    std::string element;
    const KeyDef* key = nullptr;
    // The canonical text: section.element.key.
    std::string text() const;
};

// Parses an [[action]] / viewer path. The element is everything between the section and the
// key, so names may hold dots ("web.v2"). On failure returns nothing and says why in *error
// (an unknown section or key, with "did you mean", or a key no run can change).
std::optional<SettingPath> parse_setting_path(std::string_view path, std::string* error);

// The path of a key a run can change: setting_path("autoscaling_group", "web", "min_size").
// Throws std::invalid_argument if the key is not one.
std::string setting_path(std::string_view section, std::string_view element, std::string_view key);

// The keys of a section a run can change by [[action]] (or by the viewer, `viewer`).
std::vector<const KeyDef*> settable_keys(std::string_view section, bool viewer = false);

// The type's name for users: "integer", "duration", "array of names", ...
const char* type_name(KeyType type);

}  // namespace stratus::scenario
