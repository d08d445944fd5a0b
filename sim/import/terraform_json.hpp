#pragma once
// Reading Terraform's JSON: the output of `terraform show -json` for a plan (planned_values,
// prior_state, configuration with its references, variables, resource_changes) or a state, and
// a terraform.tfstate file itself (format version 4, Terraform 0.12 to 1.x). Everything is
// flattened into one list of managed resource instances with their attribute values, the
// attributes unknown until apply, and the configuration block they came from; references in
// the configuration are resolved by address (TfDocument::resolve). docs/terraform.md describes
// the formats and what is read from each.
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace stratus::tfimport {

using Json = nlohmann::json;

// The input cannot be read as Terraform JSON (message names the file and what is wrong).
class ImportError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// One step into a value: an attribute name or a list index.
struct PathStep {
    std::string key;  // empty for an index
    std::size_t index = 0;
    PathStep(const char* k) : key(k) {}
    PathStep(std::string k) : key(std::move(k)) {}
    PathStep(std::size_t i) : index(i) {}
    PathStep(int i) : index(static_cast<std::size_t>(i)) {}
};
using Path = std::vector<PathStep>;

// One instance of a managed resource.
struct TfInstance {
    std::string address;           // "module.web.aws_autoscaling_group.this[0]"
    std::string module;            // "module.web" (with instance keys, as in the address); "" root
    std::string type;              // "aws_autoscaling_group"
    std::string name;              // "this"
    Json index;                    // null (no count/for_each), a number or a string
    Json values;                   // attribute values; unknown ones are absent or null
    Json unknown;                  // plan: after_unknown (true where unknown until apply)
    const Json* config = nullptr;  // plan: the resource's configuration block, if found

    // The value at `path` (null when absent).
    const Json& at(const Path& path) const;
    // True when the plan says the value at `path` is unknown until apply.
    bool is_unknown(const Path& path) const;
    // The configuration expression at `path` (null when none).
    const Json& expression(const Path& path) const;
};

enum class TfKind { Plan, ShowState, RawState };

// A reference resolved to resources of the file, or a literal it could not tie to one.
struct Resolved {
    std::vector<const TfInstance*> instances;
    std::vector<std::string> literals;    // constant strings (ids, ARNs, names)
    std::vector<std::string> unresolved;  // references that lead nowhere ("local.x")
};

class TfDocument {
  public:
    // Parses and checks the format; throws ImportError with the file's name.
    static TfDocument parse(std::string_view text, const std::string& file);

    TfKind kind() const { return kind_; }
    std::string kind_text() const;
    const std::string& format_version() const { return format_version_; }
    const std::string& terraform_version() const { return terraform_version_; }
    const std::vector<TfInstance>& instances() const { return instances_; }
    std::size_t data_sources() const { return data_sources_; }
    // Plan: the data sources the prior state read, with their values (an offering's terms).
    const TfInstance* data_source(const std::string& address) const;
    // Plan: resources of the prior state that the plan destroys (not in planned_values).
    const std::vector<std::string>& destroyed() const { return destroyed_; }
    // Resources declared with no instance (count = 0, an empty for_each), as
    // "module.x.aws_instance.y": a plan's configuration, or a terraform.tfstate's empty
    // `instances` list.
    const std::vector<std::string>& without_instances() const { return without_instances_; }
    // Deposed objects (create_before_destroy left them; the next apply destroys them), as
    // (address, deposed key): not imported, the current object of the address is.
    const std::vector<std::pair<std::string, std::string>>& deposed() const { return deposed_; }

    // The AWS region: the default provider's `region` (a constant, or a root variable's
    // value), else the region of the resources' ARNs, else of their availability zones.
    // `how` says where it came from; empty when nothing states it.
    std::string region(std::string* how) const;

    // What the expression at `path` of `from`'s configuration refers to, following module
    // variables into the calling module and module outputs into the called one. Instances are
    // those of the resource types in `types` (all when empty).
    Resolved resolve(const TfInstance& from, const Path& path,
                     const std::vector<std::string>& types = {}) const;

  private:
    void read_plan(const Json& root);
    void read_values_module(const Json& module, bool planned);
    void read_raw_state(const Json& root);
    void attach_configuration();
    void find_declared_without_instances(const Json& module, const std::string& prefix);
    const Json* config_module(const std::string& module_path) const;
    // `key`: the instance key of the resource whose own expression this is, for references
    // that select by count.index or each.key (nullptr elsewhere).
    void resolve_expression(const Json& expr, const std::string& module, Resolved& out,
                            const std::vector<std::string>& types, int depth,
                            const TfInstance* from = nullptr) const;
    void resolve_reference(const std::string& ref, const std::string& module, Resolved& out,
                           const std::vector<std::string>& types, int depth,
                           const Json* key = nullptr) const;

    TfKind kind_ = TfKind::Plan;
    std::string format_version_, terraform_version_;
    // On the heap, so the instances' configuration pointers survive a move of the document.
    std::unique_ptr<Json> root_ = std::make_unique<Json>();
    std::vector<TfInstance> instances_;
    std::size_t data_sources_ = 0;
    std::vector<std::string> destroyed_;
    std::vector<std::string> without_instances_;
    std::vector<std::pair<std::string, std::string>> deposed_;
    std::vector<TfInstance> data_;
};

// "module.a[0].module.b" -> "module.a.module.b": a module instance's configuration path.
std::string module_config_path(std::string_view module_instance);
// The member `key` of an object; null when `v` is not an object or has no such member.
const Json& field(const Json& v, std::string_view key);
Json field_or(const Json& v, std::string_view key, Json fallback);
// A string value, or `fallback` for anything else.
std::string as_text(const Json& v, const std::string& fallback = "");
// A value that says nothing: null, "", [] or {}.
bool is_empty(const Json& v);

}  // namespace stratus::tfimport
