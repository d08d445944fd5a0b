#include "sim/import/terraform_json.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

namespace stratus::tfimport {
namespace {

const Json kNull = Json();

// Accepted `format_version` majors of `terraform show -json`: "0.1" (Terraform 0.12 to 0.14),
// "0.2" (0.15 and 1.0), "1.x" (1.1 on). HashiCorp's rule: reject an unknown major version.
bool supported_major(const std::string& version) {
    const std::string major = version.substr(0, version.find('.'));
    return major == "0" || major == "1";
}

// The text inside the brackets of an instance key, as JSON: [0] -> 0, ["a"] -> "a".
Json index_value(std::string_view inside) {
    if (!inside.empty() && inside.front() == '"') {
        try {
            return Json::parse(inside);
        } catch (const Json::exception&) {
            return Json(std::string(inside.substr(1, inside.size() >= 2 ? inside.size() - 2 : 0)));
        }
    }
    if (inside == "*") return kNull;
    try {
        return Json(std::stoll(std::string(inside)));
    } catch (const std::exception&) {
        return Json(std::string(inside));
    }
}

// Where the bracket opened at `open` closes (skipping quoted text), or npos.
std::size_t closing_bracket(std::string_view s, std::size_t open) {
    bool quoted = false;
    for (std::size_t i = open + 1; i < s.size(); ++i) {
        if (quoted) {
            if (s[i] == '\\')
                ++i;
            else if (s[i] == '"')
                quoted = false;
        } else if (s[i] == '"') {
            quoted = true;
        } else if (s[i] == ']') {
            return i;
        }
    }
    return std::string_view::npos;
}

std::string index_suffix(const Json& index) {
    if (index.is_null()) return "";
    return "[" + index.dump() + "]";
}

// A parsed reference: its kind and the parts that matter.
struct Ref {
    enum Kind { Resource, Variable, ModuleOutput, Other } kind = Other;
    std::string type, name;  // resource: type and name; variable: name; module: call name
    std::string output;      // module output name
    Json index;              // resource or module call: the instance key, if given
    Json output_index;       // module output: the key taken from it (module.alb.tgs["web"])
};

// "aws_lb.web[0].arn", "var.subnets", "module.vpc.private_subnets", "local.x", ...
Ref parse_reference(std::string_view r) {
    Ref ref;
    auto word = [&](std::size_t from, std::size_t* end) {
        std::size_t e = from;
        while (e < r.size() && r[e] != '.' && r[e] != '[')
            ++e;
        *end = e;
        return std::string(r.substr(from, e - from));
    };
    auto bracket = [&](std::size_t at, std::size_t* end) -> Json {
        *end = at;
        if (at >= r.size() || r[at] != '[') return kNull;
        std::size_t close = closing_bracket(r, at);
        if (close == std::string_view::npos) return kNull;
        *end = close + 1;
        return index_value(r.substr(at + 1, close - at - 1));
    };
    std::size_t e = 0;
    std::string first = word(0, &e);
    if (first == "var") {
        ref.kind = Ref::Variable;
        ref.name = word(e + 1, &e);
    } else if (first == "module") {
        ref.name = word(e + 1, &e);
        ref.index = bracket(e, &e);
        if (e < r.size() && r[e] == '.') {
            ref.kind = Ref::ModuleOutput;
            ref.output = word(e + 1, &e);
            ref.output_index = bracket(e, &e);
        }
    } else if (first.find('_') != std::string::npos && e < r.size() && r[e] == '.') {
        ref.kind = Ref::Resource;
        ref.type = first;
        ref.name = word(e + 1, &e);
        ref.index = bracket(e, &e);
    } else {
        ref.name = first;
    }
    return ref;
}

void collect_strings(const Json& v, std::vector<std::string>& out) {
    if (v.is_string()) {
        out.push_back(v.get<std::string>());
    } else if (v.is_array() || v.is_object()) {
        for (const auto& e : v)
            collect_strings(e, out);
    }
}

// Steps into `v` along `path`; a single nested block (an object) stands for index 0.
const Json& walk(const Json& v, const Path& path, bool* stopped_at_true = nullptr) {
    const Json* cur = &v;
    for (const PathStep& step : path) {
        if (stopped_at_true && cur->is_boolean() && cur->get<bool>()) {
            *stopped_at_true = true;
            return *cur;
        }
        if (!step.key.empty()) {
            if (!cur->is_object()) return kNull;
            auto it = cur->find(step.key);
            if (it == cur->end()) return kNull;
            cur = &*it;
        } else if (cur->is_array()) {
            if (step.index >= cur->size()) return kNull;
            cur = &(*cur)[step.index];
        } else if (!(cur->is_object() && step.index == 0)) {
            return kNull;
        }
    }
    return *cur;
}

// "FILE:LINE:COLUMN: not JSON: WHY (at `C`)" for a parse error, with the parser's own prefix and
// its "last read" echo (which spells a newline <U+000A>) left out.
std::string not_json(std::string_view text, const std::string& file, const Json::parse_error& e) {
    const std::size_t at = std::min(e.byte > 0 ? e.byte - 1 : 0, text.size());
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < at; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    std::string why = e.what();
    if (const auto colon = why.find(": ", why.find("column")); colon != std::string::npos)
        why = why.substr(colon + 2);
    if (const auto last = why.find("; last read:"); last != std::string::npos) {
        const auto rest = why.find("'; ", last);
        why = why.substr(0, last) + (rest == std::string::npos ? "" : "; " + why.substr(rest + 3));
    }
    const std::string shown = at >= text.size()  ? "the end of the file"
                              : text[at] == '\n' ? "a line break"
                                                 : "`" + std::string(1, text[at]) + "`";
    return fmt::format("{}:{}:{}: not JSON: {} (at {})", file, line, column, why, shown);
}

}  // namespace

std::string module_config_path(std::string_view module_instance) {
    std::string out;
    for (std::size_t i = 0; i < module_instance.size(); ++i) {
        if (module_instance[i] == '[') {
            std::size_t close = closing_bracket(module_instance, i);
            if (close == std::string_view::npos) break;
            i = close;
            continue;
        }
        out += module_instance[i];
    }
    return out;
}

const Json& field(const Json& v, std::string_view key) {
    if (!v.is_object()) return kNull;
    auto it = v.find(std::string(key));
    return it == v.end() ? kNull : *it;
}

Json field_or(const Json& v, std::string_view key, Json fallback) {
    const Json& f = field(v, key);
    return f.is_null() ? fallback : f;
}

std::string as_text(const Json& v, const std::string& fallback) {
    return v.is_string() ? v.get<std::string>() : fallback;
}

bool is_empty(const Json& v) {
    return v.is_null() || (v.is_string() && v.get<std::string>().empty()) ||
           ((v.is_array() || v.is_object()) && v.empty());
}

const Json& TfInstance::at(const Path& path) const {
    return walk(values, path);
}

bool TfInstance::is_unknown(const Path& path) const {
    bool stopped = false;
    const Json& v = walk(unknown, path, &stopped);
    if (stopped) return true;
    if (v.is_boolean()) return v.get<bool>();
    return false;
}

const Json& TfInstance::expression(const Path& path) const {
    if (!config) return kNull;
    auto it = config->find("expressions");
    if (it == config->end()) return kNull;
    return walk(*it, path);
}

std::string TfDocument::kind_text() const {
    switch (kind_) {
        case TfKind::Plan:
            return "plan";
        case TfKind::ShowState:
            return "state (terraform show -json)";
        case TfKind::RawState:
            return "terraform.tfstate";
    }
    return "?";
}

const TfInstance* TfDocument::data_source(const std::string& address) const {
    for (const TfInstance& d : data_)
        if (d.address == address) return &d;
    return nullptr;
}

TfDocument TfDocument::parse(std::string_view text, const std::string& file) {
    TfDocument doc;
    try {
        *doc.root_ = Json::parse(text.begin(), text.end());
    } catch (const Json::parse_error& e) {
        throw ImportError(not_json(text, file, e));
    }
    const Json& root = *doc.root_;
    if (!root.is_object())
        throw ImportError(
            fmt::format("{}: expected a JSON object (the output of `terraform show "
                        "-json` or a terraform.tfstate file)",
                        file));
    if (auto tv = root.find("terraform_version"); tv != root.end() && tv->is_string())
        doc.terraform_version_ = tv->get<std::string>();
    // A state: version 4 lists `resources`; version 3 (Terraform 0.11) lists `modules`.
    if (root.contains("version") && (root.contains("resources") || root.contains("modules"))) {
        const Json& v = root["version"];
        if (!v.is_number_integer() || v.get<long long>() != 4)
            throw ImportError(fmt::format(
                "{}: terraform.tfstate version {} is not supported: this reads version 4 "
                "(Terraform 0.12 to 1.x); a version 3 state is Terraform 0.11's, upgrade it with "
                "Terraform 0.12 or later first",
                file, v.dump()));
        doc.kind_ = TfKind::RawState;
        doc.format_version_ = "4";
        doc.read_raw_state(root);
        return doc;
    }
    auto fv = root.find("format_version");
    if (fv == root.end() || !fv->is_string())
        throw ImportError(
            fmt::format("{}: not Terraform JSON: no `format_version` (the output of `terraform "
                        "show -json PLANFILE` or of `terraform show -json`) and no state "
                        "`version`",
                        file));
    doc.format_version_ = fv->get<std::string>();
    if (!supported_major(doc.format_version_))
        throw ImportError(fmt::format(
            "{}: format_version \"{}\" is not supported: this reads the JSON output format "
            "0.x and 1.x (Terraform 0.12 to 1.x); a new major version is not compatible",
            file, doc.format_version_));
    if (root.contains("planned_values") || root.contains("resource_changes") ||
        root.contains("configuration")) {
        doc.kind_ = TfKind::Plan;
        doc.read_plan(root);
        return doc;
    }
    doc.kind_ = TfKind::ShowState;
    if (auto v = root.find("values"); v != root.end() && v->contains("root_module"))
        doc.read_values_module((*v)["root_module"], false);
    return doc;
}

// planned_values, prior_state's data sources, resource_changes (unknown values, deletions),
// then each instance's configuration block.
void TfDocument::read_plan(const Json& root) {
    if (auto pv = root.find("planned_values"); pv != root.end() && pv->contains("root_module"))
        read_values_module((*pv)["root_module"], true);
    // Data sources the prior state read (planned_values holds managed resources mostly).
    std::set<std::string> data;
    auto count_data = [&](const Json& module, auto&& self) -> void {
        for (const auto& r : field(module, "resources")) {
            if (as_text(field(r, "mode"), "") != "data") continue;
            const std::string address = as_text(field(r, "address"), "");
            if (data.insert(address).second && r.contains("values") && r["values"].is_object()) {
                TfInstance d;
                d.address = address;
                d.module = as_text(field(module, "address"), "");
                d.type = as_text(field(r, "type"), "");
                d.name = as_text(field(r, "name"), "");
                d.values = r["values"];
                data_.push_back(std::move(d));
            }
        }
        for (const auto& c : field(module, "child_modules"))
            self(c, self);
    };
    if (auto ps = root.find("prior_state");
        ps != root.end() && ps->contains("values") && (*ps)["values"].contains("root_module"))
        count_data((*ps)["values"]["root_module"], count_data);
    if (auto pv = root.find("planned_values"); pv != root.end() && pv->contains("root_module"))
        count_data((*pv)["root_module"], count_data);
    data_sources_ = data.size();
    for (const auto& rc : field(root, "resource_changes")) {
        const std::string address = as_text(field(rc, "address"), "");
        const Json& change = rc.contains("change") ? rc["change"] : kNull;
        const Json actions = change.is_object() ? field(change, "actions") : Json::array();
        // A change to a deposed object (its own "deposed" key) is not one of the address's
        // current object: the plan destroying it leaves the current one.
        if (rc.contains("deposed")) continue;
        if (as_text(field(rc, "mode"), "") == "managed" && actions == Json::array({"delete"})) {
            destroyed_.push_back(address);
            continue;
        }
        // A data source read at apply (its arguments are unknown until then) keeps what the
        // plan knows of it, to say what is unknown in a document built from it.
        auto& list = as_text(field(rc, "mode"), "managed") == "data" ? data_ : instances_;
        for (auto& inst : list)
            if (inst.address == address && change.is_object() && change.contains("after_unknown"))
                inst.unknown = change["after_unknown"];
    }
    attach_configuration();
}

void TfDocument::read_values_module(const Json& module, bool planned) {
    const std::string module_address = as_text(field(module, "address"), "");
    for (const auto& r : field(module, "resources")) {
        if (as_text(field(r, "mode"), "managed") != "managed") {
            if (!planned) ++data_sources_;
            continue;
        }
        if (r.contains("deposed_key")) {
            deposed_.emplace_back(as_text(field(r, "address"), ""),
                                  as_text(field(r, "deposed_key"), ""));
            continue;
        }
        TfInstance inst;
        inst.address = as_text(field(r, "address"), "");
        inst.module = module_address;
        inst.type = as_text(field(r, "type"), "");
        inst.name = as_text(field(r, "name"), "");
        inst.index = r.contains("index") ? r["index"] : kNull;
        inst.values = r.contains("values") ? r["values"] : Json::object();
        instances_.push_back(std::move(inst));
    }
    for (const auto& c : field(module, "child_modules"))
        read_values_module(c, planned);
}

void TfDocument::read_raw_state(const Json& root) {
    for (const auto& r : root["resources"]) {
        if (!r.is_object()) continue;
        if (as_text(field(r, "mode"), "managed") != "managed") {
            ++data_sources_;
            continue;
        }
        const std::string module = as_text(field(r, "module"), "");
        // A resource whose count or for_each gave no instances keeps an empty list.
        if (is_empty(field(r, "instances")))
            without_instances_.push_back((module.empty() ? "" : module + ".") +
                                         as_text(field(r, "type"), "") + "." +
                                         as_text(field(r, "name"), ""));
        for (const auto& i : field(r, "instances")) {
            if (!i.is_object()) continue;
            TfInstance inst;
            inst.module = module;
            inst.type = as_text(field(r, "type"), "");
            inst.name = as_text(field(r, "name"), "");
            inst.index = i.contains("index_key") ? i["index_key"] : kNull;
            inst.address = (module.empty() ? "" : module + ".") + inst.type + "." + inst.name +
                           index_suffix(inst.index);
            if (i.contains("deposed")) {
                deposed_.emplace_back(inst.address, as_text(field(i, "deposed"), ""));
                continue;
            }
            inst.values = i.contains("attributes") ? i["attributes"] : Json::object();
            instances_.push_back(std::move(inst));
        }
    }
}

const Json* TfDocument::config_module(const std::string& module_path) const {
    auto c = root_->find("configuration");
    if (c == root_->end() || !c->contains("root_module")) return nullptr;
    const Json* cur = &(*c)["root_module"];
    std::string rest = module_path;
    while (!rest.empty()) {
        // "module.a.module.b" -> "a", then "module.b"
        if (rest.rfind("module.", 0) != 0) return nullptr;
        rest = rest.substr(7);
        const std::size_t dot = rest.find(".module.");
        const std::string name = rest.substr(0, dot);
        rest = dot == std::string::npos ? "" : rest.substr(dot + 1);
        auto calls = cur->find("module_calls");
        if (calls == cur->end() || !calls->contains(name)) return nullptr;
        const Json& call = (*calls)[name];
        if (!call.contains("module")) return nullptr;
        cur = &call["module"];
    }
    return cur;
}

void TfDocument::attach_configuration() {
    auto attach = [&](TfInstance& inst, const char* mode) {
        const Json* module = config_module(module_config_path(inst.module));
        if (!module) return;
        for (const auto& r : field(*module, "resources"))
            if (as_text(field(r, "mode"), "managed") == mode &&
                as_text(field(r, "type"), "") == inst.type &&
                as_text(field(r, "name"), "") == inst.name)
                inst.config = &r;
    };
    for (auto& inst : instances_)
        attach(inst, "managed");
    for (auto& d : data_)
        attach(d, "data");
    if (auto c = root_->find("configuration"); c != root_->end() && c->contains("root_module"))
        find_declared_without_instances((*c)["root_module"], "");
}

void TfDocument::find_declared_without_instances(const Json& module, const std::string& prefix) {
    for (const auto& r : field(module, "resources")) {
        if (as_text(field(r, "mode"), "managed") != "managed") continue;
        const std::string type = as_text(field(r, "type"), ""),
                          name = as_text(field(r, "name"), "");
        const bool has = std::any_of(instances_.begin(), instances_.end(), [&](const auto& i) {
            return i.type == type && i.name == name && module_config_path(i.module) == prefix;
        });
        if (!has)
            without_instances_.push_back((prefix.empty() ? "" : prefix + ".") + type + "." + name);
    }
    for (const auto& [call, c] : field(module, "module_calls").items())
        if (c.contains("module"))
            find_declared_without_instances(
                c["module"], (prefix.empty() ? "" : prefix + ".") + "module." + call);
}

std::string TfDocument::region(std::string* how) const {
    auto say = [&](std::string text) {
        if (how) *how = std::move(text);
    };
    // The default provider configuration of the root module.
    if (auto c = root_->find("configuration");
        c != root_->end() && c->contains("provider_config")) {
        for (const auto& [key, p] : (*c)["provider_config"].items()) {
            if (as_text(field(p, "name"), "") != "aws" || p.contains("alias") ||
                p.contains("module_address"))
                continue;
            const Json& expr = walk(p, {"expressions", "region"});
            if (expr.contains("constant_value") && expr["constant_value"].is_string()) {
                say("the aws provider's region");
                return expr["constant_value"].get<std::string>();
            }
            for (const auto& r : field(expr, "references")) {
                const Ref ref = parse_reference(r.get<std::string>());
                if (ref.kind != Ref::Variable) continue;
                const Json& v = walk(*root_, {"variables", ref.name, "value"});
                if (v.is_string()) {
                    say(fmt::format("variable `{}` (the aws provider's region)", ref.name));
                    return v.get<std::string>();
                }
            }
        }
    }
    // ARNs name their region in the fourth field: arn:aws:ec2:us-east-1:123456789012:...
    std::map<std::string, std::string> first_arn;  // region -> address
    std::map<std::string, int> votes;
    for (const auto& inst : instances_) {
        std::vector<std::string> strings;
        collect_strings(inst.values, strings);
        for (const auto& s : strings) {
            if (s.rfind("arn:aws", 0) != 0) continue;
            std::size_t a = 0;
            for (int f = 0; f < 3 && a != std::string::npos; ++f)
                a = s.find(':', a + 1);
            if (a == std::string::npos) continue;
            const std::size_t b = s.find(':', a + 1);
            if (b == std::string::npos || b == a + 1) continue;
            const std::string region = s.substr(a + 1, b - a - 1);
            ++votes[region];
            first_arn.emplace(region, inst.address);
        }
    }
    if (!votes.empty()) {
        auto best = std::max_element(votes.begin(), votes.end(), [](const auto& x, const auto& y) {
            return x.second < y.second;
        });
        say(fmt::format("the ARNs in the file (first in {})", first_arn[best->first]));
        return best->first;
    }
    for (const auto& inst : instances_) {
        const Json& az = inst.at({"availability_zone"});
        if (!az.is_string()) continue;
        std::string zone = az.get<std::string>();
        if (zone.size() > 2 && zone.back() >= 'a' && zone.back() <= 'z' &&
            zone[zone.size() - 2] >= '0' && zone[zone.size() - 2] <= '9') {
            say(fmt::format("the availability zone of {}", inst.address));
            zone.pop_back();
            return zone;
        }
    }
    return "";
}

namespace {

// A nested argument that the provider's schema declares an attribute, written with block
// syntax (a security group's inline ingress and egress, a route table's route): the JSON keeps
// one expression for the whole attribute, whose references are those of all its blocks. They
// are the block's at `path` when it is the only block whose value there is unknown until
// apply; null otherwise (and when `path` is not inside such an attribute).
const Json& whole_attribute_expression(const TfInstance& from, const Path& path) {
    for (std::size_t k = path.size(); k-- > 1;) {
        if (!path[k].key.empty()) continue;  // the attribute ends before a block's index
        const Path attribute(path.begin(), path.begin() + static_cast<std::ptrdiff_t>(k));
        const Json& expr = from.expression(attribute);
        if (expr.is_null()) continue;
        if (!expr.is_object() || !expr.contains("references")) return kNull;
        const Json& blocks = from.at(attribute);
        std::size_t unknown = 0;
        for (std::size_t j = 0; blocks.is_array() && j < blocks.size(); ++j) {
            Path p = attribute;
            p.emplace_back(j);
            p.insert(p.end(), path.begin() + static_cast<std::ptrdiff_t>(k) + 1, path.end());
            if (from.is_unknown(p)) ++unknown;
        }
        return unknown == 1 ? expr : kNull;
    }
    return kNull;
}

}  // namespace

Resolved TfDocument::resolve(const TfInstance& from, const Path& path,
                             const std::vector<std::string>& types) const {
    Resolved out;
    const Json& own = from.expression(path);
    const Json& expr = own.is_null() ? whole_attribute_expression(from, path) : own;
    if (expr.is_null()) return out;
    resolve_expression(expr, module_config_path(from.module), out, types, 0, &from);
    // The same resource reached twice (a reference and its implied parent) counts once, and
    // instances of the module instance `from` is in come before the others.
    std::vector<const TfInstance*> unique;
    for (const TfInstance* i : out.instances)
        if (std::find(unique.begin(), unique.end(), i) == unique.end()) unique.push_back(i);
    const bool any_same = std::any_of(unique.begin(), unique.end(), [&](const TfInstance* i) {
        return i->module == from.module;
    });
    if (any_same && module_config_path(from.module) != from.module)
        unique.erase(std::remove_if(unique.begin(), unique.end(),
                                    [&](const TfInstance* i) {
                                        return module_config_path(i->module) ==
                                                   module_config_path(from.module) &&
                                               i->module != from.module;
                                    }),
                     unique.end());
    out.instances = std::move(unique);
    return out;
}

void TfDocument::resolve_expression(const Json& expr, const std::string& module, Resolved& out,
                                    const std::vector<std::string>& types, int depth,
                                    const TfInstance* from) const {
    if (depth > 16) return;  // a cycle through module variables and outputs
    if (expr.is_array()) {
        for (const auto& e : expr)
            resolve_expression(e, module, out, types, depth, from);
        return;
    }
    if (!expr.is_object()) return;
    if (expr.contains("constant_value")) collect_strings(expr["constant_value"], out.literals);
    if (expr.contains("references")) {
        // A reference comes with the references it implies ("aws_x.y[0].arn", "aws_x.y[0]",
        // "aws_x.y"): keep the most specific one per resource so [0] selects one instance.
        const Json& refs = expr["references"];
        std::set<std::string> indexed;
        bool by_key = false, any_resource = false;
        for (const auto& r : refs)
            if (r.is_string()) {
                const std::string t = r.get<std::string>();
                const Ref ref = parse_reference(t);
                if (ref.kind == Ref::Resource && !ref.index.is_null())
                    indexed.insert(ref.type + "." + ref.name);
                if (ref.kind == Ref::Resource) any_resource = true;
                if (t == "count.index" || t == "each.key" || t == "each.value") by_key = true;
            }
        // aws_subnet.x[count.index].id, aws_subnet.x[each.key].id: the instance with the same
        // key as the one whose expression this is.
        const Json* key = by_key && from && !from->index.is_null() ? &from->index : nullptr;
        // each.value.id where for_each = aws_subnet.x: the element of the for_each collection.
        if (key && !any_resource && from->config && from->config->contains("for_each_expression")) {
            const Json& fe = (*from->config)["for_each_expression"];
            for (const auto& r : field(fe, "references"))
                if (r.is_string())
                    resolve_reference(r.get<std::string>(), module, out, types, depth, key);
        }
        std::set<std::string> done;
        for (const auto& r : refs) {
            if (!r.is_string()) continue;
            const std::string text = r.get<std::string>();
            const Ref ref = parse_reference(text);
            if (ref.kind == Ref::Resource && ref.index.is_null() &&
                indexed.count(ref.type + "." + ref.name))
                continue;
            if (ref.kind == Ref::ModuleOutput || ref.kind == Ref::Variable ||
                ref.kind == Ref::Resource) {
                const std::string key = ref.kind == Ref::ModuleOutput
                                            ? "module." + ref.name + "." + ref.output
                                        : ref.kind == Ref::Variable
                                            ? "var." + ref.name
                                            : ref.type + "." + ref.name + index_suffix(ref.index);
                if (!done.insert(key).second) continue;
            } else {
                if (!done.insert(ref.name).second) continue;
            }
            resolve_reference(text, module, out, types, depth, key);
        }
        return;
    }
    // A nested block's expressions.
    for (const auto& [k, v] : expr.items())
        resolve_expression(v, module, out, types, depth + 1, from);
}

void TfDocument::resolve_reference(const std::string& text, const std::string& module,
                                   Resolved& out, const std::vector<std::string>& types, int depth,
                                   const Json* key) const {
    const Ref ref = parse_reference(text);
    const Json* cfg = config_module(module);
    switch (ref.kind) {
        case Ref::Resource: {
            if (!types.empty() && std::find(types.begin(), types.end(), ref.type) == types.end())
                return;
            std::vector<const TfInstance*> all, keyed;
            for (const auto& inst : instances_) {
                if (inst.type != ref.type || inst.name != ref.name ||
                    module_config_path(inst.module) != module)
                    continue;
                if (!ref.index.is_null() && inst.index != ref.index) continue;
                all.push_back(&inst);
                if (key && inst.index == *key) keyed.push_back(&inst);
            }
            for (const TfInstance* i : keyed.empty() ? all : keyed)
                out.instances.push_back(i);
            return;
        }
        case Ref::Variable: {
            if (module.empty()) {
                const Json& v = walk(*root_, {"variables", ref.name, "value"});
                if (!v.is_null())
                    collect_strings(v, out.literals);
                else
                    out.unresolved.push_back(text);
                return;
            }
            // The calling module passes it in its module block, or the variable's default.
            const std::size_t cut = module.rfind(".module.");
            const std::string parent = cut == std::string::npos ? "" : module.substr(0, cut);
            const std::string call = module.substr(cut == std::string::npos ? 7 : cut + 8);
            const Json* pcfg = config_module(parent);
            const Json& arg =
                pcfg ? walk(*pcfg, {"module_calls", call, "expressions", ref.name}) : kNull;
            if (!arg.is_null()) {
                resolve_expression(arg, parent, out, types, depth + 1);
                return;
            }
            const Json& def = cfg ? walk(*cfg, {"variables", ref.name, "default"}) : kNull;
            if (!def.is_null())
                collect_strings(def, out.literals);
            else
                out.unresolved.push_back(text);
            return;
        }
        case Ref::ModuleOutput: {
            const Json& expr = cfg ? walk(*cfg, {"module_calls", ref.name, "module", "outputs",
                                                 ref.output, "expression"})
                                   : kNull;
            if (expr.is_null()) {
                out.unresolved.push_back(text);
                return;
            }
            // An output that is a map of a for_each resource, indexed by one of its keys, is that
            // instance ("module.alb.target_groups[\"web\"].arn").
            const std::size_t before = out.instances.size();
            resolve_expression(expr, (module.empty() ? "" : module + ".") + "module." + ref.name,
                               out, types, depth + 1);
            if (ref.output_index.is_string()) {
                const auto keyed = std::count_if(
                    out.instances.begin() + static_cast<std::ptrdiff_t>(before),
                    out.instances.end(),
                    [&](const TfInstance* i) { return i->index == ref.output_index; });
                if (keyed > 0)
                    out.instances.erase(
                        std::remove_if(
                            out.instances.begin() + static_cast<std::ptrdiff_t>(before),
                            out.instances.end(),
                            [&](const TfInstance* i) { return i->index != ref.output_index; }),
                        out.instances.end());
            }
            return;
        }
        case Ref::Other:
            // count.index, each.key, path.module, self: not a link to another resource.
            if (ref.name == "local") out.unresolved.push_back(text);
            return;
    }
}

}  // namespace stratus::tfimport
