// TOML -> Spec. Every value goes through a converter that reports what it found and what it
// expected at the value's own line and column, and every table ends with an unknown-key check
// against the keys its reader asked for, so the list of known keys cannot drift from the code.
#include "sim/scenario/loader.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include "sim/core/files.hpp"
#include "sim/scenario/catalog.hpp"
#include "sim/scenario/cidr.hpp"
#include "sim/scenario/cloudwatch_trace.hpp"
#include "sim/scenario/internal.hpp"
#include "sim/scenario/limits.hpp"
#include "sim/scenario/settings.hpp"
#include "sim/scenario/spot_params.hpp"
#include "sim/scenario/toml_reader.hpp"
#include "sim/scenario/toml_syntax_error.hpp"

namespace stratus::scenario {
namespace {

using namespace detail;

// The [[...step_adjustment]] list of a step scaling policy, EC2's or Application Auto
// Scaling's (the same keys in both).
std::vector<StepAdjustmentSpec> step_adjustments(Tab& policy) {
    std::vector<StepAdjustmentSpec> out;
    auto steps = policy.tables("step_adjustment");
    for (std::size_t i = 0; i < steps.size(); ++i) {
        Tab st = sub_item(policy, *steps[i], "step_adjustment", i);
        StepAdjustmentSpec a;
        st.number("metric_interval_lower_bound", a.metric_interval_lower_bound);
        st.number("metric_interval_upper_bound", a.metric_interval_upper_bound);
        st.integer("scaling_adjustment", a.scaling_adjustment);
        st.done();
        out.push_back(a);
    }
    return out;
}

// A block such as "0.0.0.0/0" (any prefix; host bits must be clear).
bool is_cidr(std::string_view text) {
    try {
        Cidr::parse(text);
        return true;
    } catch (const CidrError&) {
        return false;
    }
}

std::string resolve_file(const Ctx& c, const std::string& file) {
    std::filesystem::path p(file);
    if (p.is_absolute()) return file;
    return (std::filesystem::path(c.base_dir) / p).string();
}

// Reads a data file named by the scenario; reports a missing file, a file that is not a
// regular file (a device, a FIFO: read forever) or one too large at the key that names it.
std::optional<std::string> read_data_file(Ctx& c, const toml::node& n, const std::string& path,
                                          const std::string& file) {
    const std::string full = resolve_file(c, file);
    try {
        return files::read_regular_file(full, kMaxDataFileBytes, "data files");
    } catch (const files::FileError& e) {
        c.error(n, path, fmt::format("cannot read {}: {}", quote(full), e.reason()));
        return std::nullopt;
    }
}

}  // namespace

int probed_port(const std::vector<std::string>& command) {
    std::string text;
    for (std::size_t i = 1; i < command.size(); ++i)
        text += (i > 1 ? " " : "") + command[i];
    std::size_t at = std::string::npos, len = 0;
    for (const char* host : {"localhost", "127.0.0.1"}) {
        const std::size_t p = text.find(host);
        if (p != std::string::npos && p < at) {
            at = p;
            len = std::string(host).size();
        }
    }
    if (at == std::string::npos) return 0;
    std::size_t end = at + len;
    auto digits = [&](std::size_t from) {
        int port = 0;
        std::size_t i = from;
        for (;
             i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) && port <= 65535;
             ++i)
            port = port * 10 + (text[i] - '0');
        const bool ends = i == text.size() || !std::isalnum(static_cast<unsigned char>(text[i]));
        return i > from && ends && port >= 1 && port <= 65535 ? port : 0;
    };
    if (end < text.size() && text[end] == ':') {
        if (const int port = digits(end + 1)) return port;
    } else if (end < text.size() && text[end] == ' ') {
        if (const int port = digits(end + 1)) return port;
    }
    return at >= 8 && text.compare(at - 8, 8, "https://") == 0 ? 443 : 80;
}

namespace {

// A container definition's healthCheck (the ECS API Reference, HealthCheck): its ranges and
// defaults. Returns what is wrong ("" when nothing).
std::string read_health_check(const nlohmann::json& h, const std::string& at,
                              ContainerHealthCheckSpec& out) {
    if (!h.is_object()) return at + ": expected an object with a command";
    auto cmd = h.find("command");
    if (cmd == h.end() || !cmd->is_array() || cmd->size() < 2)
        return at + ".command: expected an array such as [\"CMD-SHELL\", \"curl -f " +
               "http://localhost/ || exit 1\"]";
    for (std::size_t i = 0; i < cmd->size(); ++i) {
        if (!(*cmd)[i].is_string())
            return fmt::format("{}.command[{}]: expected a string, found {}", at, i,
                               shortened((*cmd)[i].dump()));
        out.command.push_back((*cmd)[i].get<std::string>());
    }
    if (out.command.front() != "CMD" && out.command.front() != "CMD-SHELL")
        return fmt::format("{}.command[0]: expected \"CMD\" or \"CMD-SHELL\", found \"{}\"", at,
                           shortened(out.command.front()));
    struct Field {
        const char* name;
        int low, high;
        int* value;
    };
    for (const Field& f :
         {Field{"interval", 5, 300, &out.interval}, Field{"timeout", 2, 60, &out.timeout},
          Field{"retries", 1, 10, &out.retries}, Field{"startPeriod", 0, 300, &out.start_period}}) {
        auto it = h.find(f.name);
        if (it == h.end() || it->is_null()) continue;
        if (!it->is_number_integer() || it->get<std::int64_t>() < f.low ||
            it->get<std::int64_t>() > f.high)
            return fmt::format("{}.{}: expected an integer between {} and {} ({}), found {}", at,
                               f.name, f.low, f.high,
                               std::string(f.name) == "retries" ? "failed checks" : "seconds",
                               shortened(it->dump()));
        *f.value = static_cast<int>(it->get<std::int64_t>());
    }
    out.port = probed_port(out.command);
    return "";
}

// A container's dependsOn (the ECS API Reference, ContainerDependency), read once every
// container is known; returns what is wrong ("" when nothing). ECS refuses COMPLETE and SUCCESS
// on an essential container ("This condition can't be set on an essential container") and
// HEALTHY on one without a healthCheck ("This requires that the dependent container has health
// checks configured"); a container may not wait for itself, nor for a chain that waits for it.
std::string read_depends_on(const nlohmann::json& c, const std::string& at,
                            std::vector<ContainerDefinitionSpec>& all, std::size_t self) {
    auto it = c.find("dependsOn");
    if (it == c.end() || it->is_null()) return "";
    if (!it->is_array()) return at + ".dependsOn: expected an array";
    static const std::pair<const char*, ContainerCondition> kConditions[] = {
        {"START", ContainerCondition::Start},
        {"COMPLETE", ContainerCondition::Complete},
        {"SUCCESS", ContainerCondition::Success},
        {"HEALTHY", ContainerCondition::Healthy}};
    for (std::size_t j = 0; j < it->size(); ++j) {
        const nlohmann::json& d = (*it)[j];
        const std::string dat = fmt::format("{}.dependsOn[{}]", at, j);
        const auto name = d.is_object() ? d.find("containerName") : d.end();
        const auto cond = d.is_object() ? d.find("condition") : d.end();
        if (!d.is_object() || name == d.end() || !name->is_string() || cond == d.end() ||
            !cond->is_string())
            return dat + ": expected an object with containerName and condition";
        ContainerDependencySpec dep{name->get<std::string>(), ContainerCondition::Start};
        std::size_t target = all.size();
        for (std::size_t k = 0; k < all.size(); ++k)
            if (all[k].name == dep.container_name) target = k;
        if (target == all.size())
            return fmt::format("{}.containerName: no container \"{}\" in this task definition", dat,
                               shortened(dep.container_name));
        if (target == self)
            return fmt::format("{}.containerName: the container \"{}\" cannot wait for itself", dat,
                               shortened(dep.container_name));
        bool known = false;
        for (const auto& [word, value] : kConditions)
            if (cond->get<std::string>() == word) {
                dep.condition = value;
                known = true;
            }
        if (!known)
            return fmt::format(
                "{}.condition: expected START, COMPLETE, SUCCESS or HEALTHY, found {}", dat,
                shortened(cond->dump()));
        const bool exits = dep.condition == ContainerCondition::Complete ||
                           dep.condition == ContainerCondition::Success;
        if (exits && all[target].essential)
            return fmt::format(
                "{}.condition: {} cannot be set on the essential container \"{}\" "
                "(ECS refuses it: the task stops when an essential container exits)",
                dat, cond->get<std::string>(), shortened(dep.container_name));
        if (dep.condition == ContainerCondition::Healthy && !all[target].health_check)
            return fmt::format(
                "{}.condition: HEALTHY needs a healthCheck on \"{}\", which has none", dat,
                shortened(dep.container_name));
        all[self].depends_on.push_back(std::move(dep));
    }
    return "";
}

// A container that waits, through its dependsOn, for a chain that waits for it: the chain
// ("api -> envoy -> api"), or "" when there is none.
std::string dependency_cycle(const std::vector<ContainerDefinitionSpec>& all) {
    const std::size_t n = all.size();
    // 0 unvisited, 1 on the path, 2 done; at most 10 containers, so a plain DFS.
    std::vector<int> state(n, 0);
    std::vector<std::size_t> path;
    std::string found;
    auto index_of = [&](const std::string& name) {
        for (std::size_t k = 0; k < n; ++k)
            if (all[k].name == name) return k;
        return n;
    };
    std::function<bool(std::size_t)> visit = [&](std::size_t v) {
        state[v] = 1;
        path.push_back(v);
        for (const auto& d : all[v].depends_on) {
            const std::size_t w = index_of(d.container_name);
            if (w == n || state[w] == 2) continue;
            if (state[w] == 1) {
                auto from = std::find(path.begin(), path.end(), w);
                for (auto p = from; p != path.end(); ++p)
                    found += all[*p].name + " -> ";
                found += all[w].name;
                return true;
            }
            if (visit(w)) return true;
        }
        path.pop_back();
        state[v] = 2;
        return false;
    };
    for (std::size_t v = 0; v < n; ++v)
        if (state[v] == 0 && visit(v)) return found;
    return "";
}

// Every container's dependsOn, once all are read (a dependency may be listed after its
// dependent), then the cycles.
std::string read_all_depends_on(const nlohmann::json& doc,
                                std::vector<ContainerDefinitionSpec>& out) {
    for (std::size_t i = 0; i < doc.size() && i < out.size(); ++i) {
        std::string problem = read_depends_on(doc[i], fmt::format("[{}]", i), out, i);
        if (!problem.empty()) return problem;
    }
    const std::string cycle = dependency_cycle(out);
    if (!cycle.empty())
        return "dependsOn: the containers wait for each other in a cycle (" + shortened(cycle) +
               "): none of them could start";
    return "";
}

// The containers of a task definition's JSON text; returns what is wrong ("" when nothing):
// "[1].portMappings[0].containerPort: expected an integer between 1 and 65535, found \"80\"".
std::string read_containers(const std::string& text, std::vector<ContainerDefinitionSpec>& out) {
    nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded()) return "expected JSON text (an array of container definitions)";
    if (!doc.is_array() || doc.empty())
        return "expected a non-empty JSON array of container definitions";
    // The ECS service quota: containers per task definition.
    if (doc.size() > kMaxContainersPerTaskDefinition)
        return fmt::format("{} containers: ECS allows at most {} in a task definition", doc.size(),
                           kMaxContainersPerTaskDefinition);
    auto port = [](const nlohmann::json& v) -> int {
        if (!v.is_number_integer()) return 0;
        const auto p = v.get<std::int64_t>();
        return p >= 1 && p <= 65535 ? static_cast<int>(p) : 0;
    };
    for (std::size_t i = 0; i < doc.size(); ++i) {
        const nlohmann::json& c = doc[i];
        const std::string at = fmt::format("[{}]", i);
        if (!c.is_object()) return at + ": expected an object (a container definition)";
        ContainerDefinitionSpec def;
        for (const char* field : {"name", "image"}) {
            auto it = c.find(field);
            if (it == c.end() || !it->is_string() || it->get<std::string>().empty())
                return fmt::format("{}.{}: expected a non-empty string", at, field);
            (std::string(field) == "name" ? def.name : def.image) = it->get<std::string>();
        }
        for (const auto& other : out)
            if (other.name == def.name)
                return fmt::format("{}.name: the container name \"{}\" is used twice", at,
                                   shortened(def.name));
        if (auto it = c.find("essential"); it != c.end()) {
            if (!it->is_boolean()) return at + ".essential: expected true or false";
            def.essential = it->get<bool>();
        }
        // The container's own reservations on a container instance (EC2 launch type).
        for (const char* field : {"cpu", "memory", "memoryReservation"}) {
            auto it = c.find(field);
            if (it == c.end()) continue;
            if (!it->is_number_integer() || it->get<std::int64_t>() < 0 ||
                it->get<std::int64_t>() > 1048576)
                return fmt::format("{}.{}: expected an integer between 0 and 1048576, found {}", at,
                                   field, shortened(it->dump()));
            const int v = static_cast<int>(it->get<std::int64_t>());
            const std::string f = field;
            (f == "cpu" ? def.cpu : f == "memory" ? def.memory : def.memory_reservation) = v;
        }
        if (auto it = c.find("portMappings"); it != c.end()) {
            if (!it->is_array()) return at + ".portMappings: expected an array";
            for (std::size_t j = 0; j < it->size(); ++j) {
                const nlohmann::json& m = (*it)[j];
                const std::string mat = fmt::format("{}.portMappings[{}]", at, j);
                if (!m.is_object() || !m.contains("containerPort"))
                    return mat + ": expected an object with containerPort";
                PortMappingSpec pm;
                pm.container_port = port(m["containerPort"]);
                if (pm.container_port == 0)
                    return fmt::format(
                        "{}.containerPort: expected an integer between 1 and "
                        "65535, found {}",
                        mat, shortened(m["containerPort"].dump()));
                // hostPort 0: a dynamic port (bridge mode), as if it were absent.
                const bool zero = m.contains("hostPort") && m["hostPort"].is_number_integer() &&
                                  m["hostPort"].get<std::int64_t>() == 0;
                if (m.contains("hostPort") && !zero) {
                    pm.host_port = port(m["hostPort"]);
                    if (pm.host_port == 0)
                        return fmt::format(
                            "{}.hostPort: expected an integer between 1 and "
                            "65535, found {}",
                            mat, shortened(m["hostPort"].dump()));
                }
                def.port_mappings.push_back(pm);
            }
        }
        if (auto it = c.find("healthCheck"); it != c.end() && !it->is_null()) {
            ContainerHealthCheckSpec hc;
            std::string problem = read_health_check(*it, at + ".healthCheck", hc);
            if (!problem.empty()) return problem;
            def.health_check = std::move(hc);
        }
        out.push_back(std::move(def));
    }
    return read_all_depends_on(doc, out);
}

// ---------------------------------------------------------------------------------------------
// [VALUES] Distributions and rates: value tables read against their own grammar
// ("distribution", "rate"), their variant chosen by `dist` or `shape`.

// A duration per row of a CSV file (durations such as "40ms" or seconds), a header row allowed.
void read_samples(Ctx& c, Tab& t, const toml::node& file_node, const std::string& file,
                  std::vector<SimTime>& samples) {
    const std::size_t errors_before = c.diags.errors().size();
    auto text = read_data_file(c, file_node, t.key_path("file"), file);
    if (!text) return;
    const std::string full = resolve_file(c, file);
    bool first = true;
    for (const auto& row : read_csv(*text)) {
        auto v = parse_duration(row.cells[0]);
        if (!v) {
            char* end = nullptr;
            double secs = std::strtod(row.cells[0].c_str(), &end);
            // Within the clock's range (64-bit microseconds: some 290,000 years).
            if (end && *end == '\0' && !row.cells[0].empty() && std::fabs(secs) < 9e12)
                v = from_seconds(secs);
        }
        if (!v || *v < 0) {
            if (first && !v) {  // a header row
                first = false;
                continue;
            }
            c.diags.error(SourcePos{full, row.line, 1}, t.key_path("file"),
                          fmt::format("expected a duration >= 0 per row (such as \"40ms\" or "
                                      "seconds), found {}",
                                      quote(shortened(row.cells[0]))));
            return;
        }
        first = false;
        samples.push_back(*v);
    }
    if (samples.empty() && c.diags.errors().size() == errors_before)
        c.error(file_node, t.key_path("file"),
                fmt::format("expected at least one sample in {}", quote(full)));
}

// The keys of one kind of distribution.
void read_dist_kind(Ctx& c, Tab& t, const toml::table& table, DurationDist& d) {
    switch (d.kind) {
        case DistKind::Constant:
            if (t.has("value") && t.has("mean"))
                c.error(*t.get("mean"), t.key_path("mean"),
                        "give either `value` or `mean`, not both");
            if (t.has("value"))
                t.duration("value", d.mean);
            else if (!t.duration("mean", d.mean) && !t.has("mean"))
                t.missing("mean");
            break;
        case DistKind::Exponential:
            t.duration("mean", d.mean);
            break;
        case DistKind::Normal:
            t.duration("mean", d.mean);
            t.duration("sd", d.sd);
            break;
        case DistKind::Lognormal:
            t.duration("mean", d.mean);
            t.number("cv", d.cv);
            break;
        case DistKind::Uniform:
            t.duration("min", d.min);
            if (t.duration("max", d.max) && d.max < d.min)
                c.diags.error(c.at(*table.get("max")), t.key_path("max"),
                              fmt::format("expected max >= min ({}), found {}",
                                          format_duration(d.min), format_duration(d.max)));
            break;
        case DistKind::Empirical:
            if (t.str("file", d.file)) read_samples(c, t, *table.get("file"), d.file, d.samples);
            break;
    }
}

std::optional<DurationDist> to_dist(Ctx& c, const toml::node& n, const std::string& path,
                                    KeyPositions* pos, const std::string& prefix) {
    if (!n.is_table()) {
        auto v = duration_value(n);
        if (!v) {
            c.error(n, path,
                    fmt::format("expected a duration such as \"50ms\" or a distribution table "
                                "such as {{ dist = \"exponential\", mean = \"40ms\" }}, found {}",
                                describe(n)));
            return std::nullopt;
        }
        if (*v < 0) {
            c.error(n, path, fmt::format("expected a duration >= 0, found {}", describe(n)));
            return std::nullopt;
        }
        return DurationDist::constant(*v);
    }
    Tab t(c, *n.as_table(), *table_of("distribution"), path, pos, prefix);
    DurationDist d;
    if (!t.enumeration("dist", d.kind, kDistKind)) {
        t.done();
        return std::nullopt;
    }
    t.choose(name_of(kDistKind, d.kind));
    const std::size_t errors_before = c.diags.errors().size();
    read_dist_kind(c, t, *n.as_table(), d);
    t.done();
    if (c.diags.errors().size() != errors_before) return std::nullopt;
    return d;
}

bool read_dist(Tab& t, std::string_view key, DurationDist& out) {
    const bool required = t.row(key).required;
    const toml::node* n = t.get(key);
    if (!n) {
        if (required) t.missing(key);
        return false;
    }
    auto d = to_dist(t.ctx(), *n, t.key_path(key), t.positions(),
                     t.pos_prefix() + std::string(key) + ".");
    if (d) out = std::move(*d);
    return d.has_value();
}

bool read_dist(Tab& t, std::string_view key, std::optional<DurationDist>& out) {
    DurationDist d;
    if (!read_dist(t, key, d)) return false;
    out = std::move(d);
    return true;
}

// A CloudWatch export as the trace's steps (cloudwatch_trace.hpp): per-period sums as rates
// from the run's start; periods without a datapoint and datapoints before the start are said.
void read_cloudwatch_trace(Ctx& c, const toml::node& file_node, const std::string& path,
                           const std::string& text, RateSpec& r) {
    const std::string full = quote(resolve_file(c, r.file));
    CloudWatchTrace trace;
    try {
        trace = parse_cloudwatch_export(text, r.metric, r.period);
    } catch (const TraceError& e) {
        c.error(file_node, path, fmt::format("{}: {}", full, e.what()));
        return;
    }
    std::int64_t dropped = 0;
    for (const auto& [at, rate] : cloudwatch_rates(trace, c.start_epoch_s, &dropped))
        r.steps.emplace_back(at * kSecond, rate);
    const SourcePos pos = c.at(file_node);
    if (trace.missing_periods > 0)
        c.diags.warning(
            pos, path,
            fmt::format("{}: {} period(s) of {} s without a datapoint (the first at "
                        "+{}): counted as no requests, as CloudWatch leaves out the "
                        "periods of a count metric that counted nothing",
                        full, trace.missing_periods, trace.period_s,
                        format_duration((trace.first_missing - c.start_epoch_s) * kSecond)));
    if (dropped > 0)
        c.diags.warning(pos, path,
                        fmt::format("{}: {} datapoint(s) before simulation.start_time are left out",
                                    full, dropped));
    if (r.steps.empty())
        c.error(file_node, path,
                fmt::format("{}: every datapoint is before simulation.start_time", full));
}

// rate = { shape = "steps", steps = [[time, rate], ...] }
void read_rate_steps(Ctx& c, Tab& t, RateSpec& r) {
    const toml::node* steps = t.get("steps");
    if (!steps) {
        t.missing("steps");
        return;
    }
    const toml::array* a = steps->as_array();
    const std::string form =
        "expected an array of [time, rate] pairs such as [[\"0h\", 200], [\"2h\", 800]]";
    if (!a || a->empty()) {
        c.error(*steps, t.key_path("steps"), fmt::format("{}, found {}", form, describe(*steps)));
        return;
    }
    for (std::size_t i = 0; i < a->size(); ++i) {
        const toml::node& e = *a->get(i);
        std::string p = fmt::format("{}[{}]", t.key_path("steps"), i);
        const toml::array* pair = e.as_array();
        if (!pair || pair->size() != 2) {
            c.error(e, p, fmt::format("{}, found {}", form, describe(e)));
            continue;
        }
        auto at = to_time_point(c, *pair->get(0), p + "[0]");
        auto rate = to_number(c, *pair->get(1), p + "[1]", Range{0});
        if (!at || !rate) continue;
        if (!r.steps.empty() && *at <= r.steps.back().first)
            c.error(e, p,
                    fmt::format("expected times in increasing order, found {} after {}",
                                format_duration(*at), format_duration(r.steps.back().first)));
        r.steps.emplace_back(*at, *rate);
    }
}

// rate = { shape = "trace", file = "rate.csv" }: rows of time,rate.
void read_rate_trace(Ctx& c, Tab& t, const toml::node& file_node, RateSpec& r) {
    const std::size_t errors_before = c.diags.errors().size();
    auto text = read_data_file(c, file_node, t.key_path("file"), r.file);
    if (!text) return;
    const std::string full = resolve_file(c, r.file);
    bool first = true;
    for (const auto& row : read_csv(*text)) {
        auto at = parse_duration(row.cells[0]);
        if (!at) {
            char* end = nullptr;
            double secs = std::strtod(row.cells[0].c_str(), &end);
            // Within the clock's range (64-bit microseconds: some 290,000 years).
            if (end && *end == '\0' && !row.cells[0].empty() && std::fabs(secs) < 9e12)
                at = from_seconds(secs);
        }
        std::optional<double> rate;
        if (row.cells.size() >= 2) {
            char* end = nullptr;
            double v = std::strtod(row.cells[1].c_str(), &end);
            if (end && *end == '\0' && !row.cells[1].empty() && std::isfinite(v)) rate = v;
        }
        // A rate no run could simulate for a second (above the fluid mode's 2^53 requests)
        // would overflow once scaled: refused here, at its row.
        if (rate && *rate > kMaxFluidRequestsPerRun) {
            c.diags.error(SourcePos{full, row.line, 1}, t.key_path("file"),
                          fmt::format("a rate of {} requests/s is more than any run can "
                                      "simulate (at most {:.0f} requests in all)",
                                      shortened(row.cells[1]), kMaxFluidRequestsPerRun));
            return;
        }
        if (!at || !rate) {
            if (first) {  // a header row
                first = false;
                continue;
            }
            c.diags.error(SourcePos{full, row.line, 1}, t.key_path("file"),
                          "expected rows of `time,rate` (time as a duration or seconds, rate as "
                          "requests/s)");
            return;
        }
        first = false;
        if (*at < 0 || *rate < 0 || (!r.steps.empty() && *at <= r.steps.back().first)) {
            c.diags.error(SourcePos{full, row.line, 1}, t.key_path("file"),
                          "expected times >= 0 in increasing order and rates >= 0");
            return;
        }
        r.steps.emplace_back(*at, *rate);
    }
    if (r.steps.empty() && c.diags.errors().size() == errors_before)
        c.error(file_node, t.key_path("file"),
                fmt::format("expected at least one `time,rate` row in {}", quote(full)));
}

// rate = { shape = "trace", ... }: a CSV of time,rate rows, or a CloudWatch export of
// per-period sums (format = "cloudwatch").
void read_rate_trace_keys(Ctx& c, Tab& t, const toml::table& table, RateSpec& r) {
    t.number("scale", r.scale);
    t.choice("format", r.format);
    t.str("metric", r.metric);
    t.seconds("period", r.period);
    if (!t.str("file", r.file)) return;
    const toml::node& file_node = *table.get("file");
    if (r.format != "cloudwatch") return read_rate_trace(c, t, file_node, r);
    if (auto text = read_data_file(c, file_node, t.key_path("file"), r.file))
        read_cloudwatch_trace(c, file_node, t.key_path("file"), *text, r);
}

// The keys of one shape of rate.
void read_rate_shape(Ctx& c, Tab& t, const toml::table& table, RateSpec& r) {
    switch (r.shape) {
        case RateShape::Constant:
            t.number("value", r.value);
            break;
        case RateShape::Diurnal: {
            t.number("min", r.min);
            if (t.number("max", r.max) && r.max < r.min)
                c.diags.error(c.at(*table.get("max")), t.key_path("max"),
                              fmt::format("expected max >= min ({}), found {}", r.min, r.max));
            if (const toml::node* peak = t.get("peak")) {
                auto s = peak->as_string();
                auto v = s ? parse_time_of_day(s->get()) : std::nullopt;
                if (!v)
                    c.error(*peak, t.key_path("peak"),
                            fmt::format("expected a time of day such as \"14:00\", found {}",
                                        describe(*peak)));
                else
                    r.peak = *v;
            }
            break;
        }
        case RateShape::Steps:
            read_rate_steps(c, t, r);
            break;
        case RateShape::Ramp:
            t.number("from", r.from);
            t.number("to", r.to);
            t.duration("over", r.over);
            break;
        case RateShape::Trace:
            read_rate_trace_keys(c, t, table, r);
            break;
    }
}

std::optional<RateSpec> to_rate(Ctx& c, const toml::node& n, const std::string& path,
                                KeyPositions* pos, const std::string& prefix) {
    RateSpec r;
    if (!n.is_table()) {
        auto v = to_number(c, n, path, Range{0});
        if (!v) return std::nullopt;
        r.value = *v;
        return r;
    }
    Tab t(c, *n.as_table(), *table_of("rate"), path, pos, prefix);
    const std::size_t errors_before = c.diags.errors().size();
    if (!t.enumeration("shape", r.shape, kRateShape)) {
        t.done();
        return std::nullopt;
    }
    t.choose(name_of(kRateShape, r.shape));
    read_rate_shape(c, t, *n.as_table(), r);
    t.done();
    if (c.diags.errors().size() != errors_before) return std::nullopt;
    return r;
}

bool read_tags(Tab& t, Tags& tags) {
    return t.string_map("tags", tags);
}

// ---------------------------------------------------------------------------------------------
// Sections

struct Loader {
    Ctx& c;
    const toml::table& root;
    Spec& spec;

    // A singleton section: [name]. nullptr if absent or not a table.
    const toml::table* section(const char* name) {
        const toml::node* n = root.get(name);
        if (!n) return nullptr;
        if (!n->is_table()) {
            c.error(*n, name,
                    fmt::format("expected a table [{}], found {}{}", name, describe(*n),
                                n->is_array_of_tables() ? fmt::format(" [[{}]]", name) : ""));
            return nullptr;
        }
        return n->as_table();
    }

    // The reader of a section's top-level table (or of one element of it).
    Tab top(const toml::table& t, const char* section, std::string path, KeyPositions* pos) {
        return Tab(c, t, *table_of(section), std::move(path), pos, "", true);
    }

    // Calls fn(table, path, index) for each element of [[name]], with the path named after
    // the element's name key when it has one.
    template <class Fn>
    void each(const char* name, Fn fn) {
        const toml::node* n = root.get(name);
        if (!n) return;
        const SectionDef* info = find_section(name);
        const toml::array* a = n->as_array();
        if (!a || !n->is_array_of_tables()) {
            c.error(*n, name,
                    fmt::format("expected [[{}]] (an array of tables), found {}{}", name,
                                describe(*n), n->is_table() ? fmt::format(" [{}]", name) : ""));
            return;
        }
        for (std::size_t i = 0; i < a->size(); ++i) {
            const toml::table& t = *a->get(i)->as_table();
            std::string path = fmt::format("{}[{}]", name, i);
            if (info)
                for (std::string_view key : name_keys(*info))
                    if (auto s = t.get_as<std::string>(key); s && !s->get().empty())
                        path = fmt::format("{}[{}]", name, s->get());
            fn(t, path, i);
        }
    }

    // The earliest first datapoint of the workloads' CloudWatch traces, if any can be read
    // (an unreadable one is reported where the workload reads it).
    std::optional<std::int64_t> cloudwatch_start() {
        std::optional<std::int64_t> first;
        const toml::array* workloads = root["workload"].as_array();
        if (!workloads) return first;
        for (const auto& w : *workloads) {
            const toml::node_view<const toml::node> rate =
                w.as_table() ? (*w.as_table())["rate"] : toml::node_view<const toml::node>();
            if (rate["shape"].value_or(std::string()) != "trace" ||
                rate["format"].value_or(std::string()) != "cloudwatch")
                continue;
            const auto file = rate["file"].value<std::string>();
            if (!file) continue;
            // Read as read_data_file reads: a regular file of a sane size, never a FIFO or
            // a device (its errors are reported there).
            std::string text;
            try {
                text = files::read_regular_file(resolve_file(c, *file), kMaxDataFileBytes);
            } catch (const files::FileError&) {
                continue;
            }
            try {
                const auto period = rate["period"].value<std::int64_t>();
                const CloudWatchTrace trace = parse_cloudwatch_export(
                    text, rate["metric"].value_or(std::string()), period.value_or(0));
                if (!first || trace.sums.front().first < *first) first = trace.sums.front().first;
            } catch (const TraceError&) {
            }
        }
        return first;
    }

    void simulation() {
        auto& s = spec.simulation;
        const toml::table* t = section("simulation");
        if (!t) {
            if (!root.get("simulation"))
                c.diags.error(SourcePos{c.file, 1, 1}, "",
                              "required section [simulation] is missing (it needs at least "
                              "`duration`, such as duration = \"1h\")");
            return;
        }
        Tab r = top(*t, "simulation", "simulation", &s.pos);
        r.str("name", s.name);
        r.str("description", s.description);
        r.duration("duration", s.duration);
        r.integer("seed", s.seed);
        if (const toml::node* st = r.get("start_time")) {
            std::optional<std::int64_t> epoch;
            if (auto dt = st->as_date_time()) epoch = toml_date_time_epoch(dt->get());
            if (auto str = st->as_string()) epoch = parse_rfc3339(str->get());
            if (!epoch) {
                c.error(*st, "simulation.start_time",
                        fmt::format("expected an RFC 3339 date-time with a UTC offset such as "
                                    "\"2026-01-05T00:00:00Z\", found {}",
                                    describe(*st)));
            } else {
                s.start_epoch_s = *epoch;
                if (auto str = st->as_string()) {
                    s.start_time = str->get();
                } else {
                    std::ostringstream os;
                    os << *st->as_date_time();
                    s.start_time = os.str();
                }
                c.start_epoch_s = *epoch;
            }
        }
        if (!t->get("start_time")) {
            // A CloudWatch trace states when its traffic happened: the run starts there.
            if (auto first = cloudwatch_start()) {
                s.start_epoch_s = c.start_epoch_s = *first;
                s.start_time = format_utc_time(*first);
            }
        }
        if (r.duration("metrics_period", s.metrics_period)) {
            SimTime p = s.metrics_period;
            if (!(p == 10 * kSecond || p == 30 * kSecond || p % kMinute == 0))
                c.diags.error(s.pos["metrics_period"], "simulation.metrics_period",
                              fmt::format("expected 10s, 30s or a multiple of 60s (CloudWatch "
                                          "periods), found {}",
                                          quote(format_duration(p))));
        }
        r.enumeration("fidelity", s.fidelity, kFidelity);
        // Extension: warm-up deletion; requests arriving before it stay out of the totals.
        if (r.duration("warmup", s.warmup) && s.duration > 0 && s.warmup >= s.duration)
            c.diags.error(
                s.pos["warmup"], "simulation.warmup",
                fmt::format("expected a warm-up shorter than the duration ({}), found {}",
                            quote(format_duration(s.duration)), quote(format_duration(s.warmup))));
        r.done();
    }

    void region() {
        auto& s = spec.region;
        if (const toml::table* t = section("region")) {
            Tab r = top(*t, "region", "region", &s.pos);
            r.str("name", s.name);
            if (r.strings("availability_zones", s.availability_zones) &&
                s.availability_zones.empty())
                c.diags.error(s.pos["availability_zones"], "region.availability_zones",
                              "expected at least one availability zone, found an empty array");
            r.done();
        }
        if (s.availability_zones.empty()) s.availability_zones = region_default_zones(s.name);
        if (s.availability_zones.empty())  // a region without a built-in catalog
            for (const char* suffix : {"a", "b", "c"})
                s.availability_zones.push_back(s.name + suffix);
    }

    void pricing() {
        auto& s = spec.pricing;
        const toml::table* t = section("pricing");
        if (!t) return;
        s.present = true;
        Tab r = top(*t, "pricing", "pricing", &s.pos);
        r.number_map("on_demand", s.on_demand);
        r.number("ebs_gp3_gb_month", s.ebs_gp3_gb_month);
        r.number("public_ipv4_hour", s.public_ipv4_hour);
        r.number("alb_hour", s.alb_hour);
        r.number("alb_lcu_hour", s.alb_lcu_hour);
        r.number("nat_gateway_hour", s.nat_gateway_hour);
        r.number("nat_gateway_gb", s.nat_gateway_gb);
        r.number("vpc_endpoint_hour", s.vpc_endpoint_hour);
        r.number("vpc_endpoint_gb", s.vpc_endpoint_gb);
        r.number("inter_az_gb", s.inter_az_gb);
        r.number("snapshot_gb_month", s.snapshot_gb_month);
        r.number("s3_standard_gb_month", s.s3_standard_gb_month);
        r.number("fargate_vcpu_hour", s.fargate_vcpu_hour);
        r.number("fargate_gb_hour", s.fargate_gb_hour);
        r.number("fargate_spot_vcpu_hour", s.fargate_spot_vcpu_hour);
        r.number("fargate_spot_gb_hour", s.fargate_spot_gb_hour);
        r.number("ecr_storage_gb_month", s.ecr_storage_gb_month);
        r.number("ecr_inter_region_gb", s.ecr_inter_region_gb);
        r.number("cloudwatch_metric_month", s.cloudwatch_metric_month);
        r.number("cloudwatch_logs_gb", s.cloudwatch_logs_gb);
        r.number("cloudwatch_logs_storage_gb_month", s.cloudwatch_logs_storage_gb_month);
        r.number_map("s3", s.s3);
        r.done();
    }

    void instance_types() {
        each("instance_type", [&](const toml::table& t, const std::string& path, std::size_t) {
            InstanceTypeSpec s;
            Tab r = top(t, "instance_type", path, &s.pos);
            r.name("name", s.name);
            r.integer("vcpu", s.vcpu);
            r.number("memory_gib", s.memory_gib);
            r.number("on_demand_hourly", s.on_demand_hourly);
            r.number("speed", s.speed);
            r.number("baseline_percent", s.baseline_percent);
            r.number("credits_per_hour", s.credits_per_hour);
            r.number("max_credits", s.max_credits);
            r.enumeration("credit_specification", s.credit_specification, kCreditSpecification);
            r.done();
            spec.instance_type.push_back(std::move(s));
        });
    }

    void launch_templates() {
        each("launch_template", [&](const toml::table& t, const std::string& path, std::size_t) {
            LaunchTemplateSpec s;
            s.boot_time.kind = DistKind::Normal;
            s.boot_time.mean = 45 * kSecond;
            s.boot_time.sd = 10 * kSecond;
            s.app_start_time = DurationDist::constant(30 * kSecond);
            Tab r = top(t, "launch_template", path, &s.pos);
            r.name("name", s.name);
            r.str("instance_type", s.instance_type);
            read_dist(r, "boot_time", s.boot_time);
            read_dist(r, "app_start_time", s.app_start_time);
            r.integer("workers_per_vcpu", s.workers_per_vcpu);
            r.integer("max_queue", s.max_queue);
            r.number("ebs_gb", s.ebs_gb);
            r.boolean("associate_public_ip_address", s.associate_public_ip_address);
            r.integer("version", s.version);
            r.strings("security_groups", s.security_groups);
            template_blocks(r, s);
            instance_profile(r, s.iam_instance_profile);
            read_tags(r, s.tags);
            r.done();
            spec.launch_template.push_back(std::move(s));
        });
    }

    // Terraform's launch template blocks: block_device_mappings { ebs { volume_size } } (the
    // volumes' sizes, summed, as ebs_gb) and network_interfaces { associate_public_ip_address,
    // security_groups }. Each of these settings is given once, in one form or the other.
    void template_blocks(Tab& r, LaunchTemplateSpec& s) {
        const auto mappings = r.tables("block_device_mappings");
        if (!mappings.empty()) {
            if (r.has("ebs_gb")) given_twice(r, "ebs_gb", "block_device_mappings");
            s.ebs_gb = 0;
            given_as(r, "ebs_gb", "block_device_mappings");
        }
        for (std::size_t i = 0; i < mappings.size(); ++i) {
            Tab m = sub_item(r, *mappings[i], "block_device_mappings", i);
            if (const toml::table* ebs = m.table("ebs")) {
                Tab e = sub(m, *ebs, "ebs");
                double gb = 0;
                if (e.number("volume_size", gb)) s.ebs_gb += gb;
                e.done();
            }
            m.done();
        }
        const auto interfaces = r.tables("network_interfaces");
        for (std::size_t i = 0; i < interfaces.size(); ++i) {
            Tab n = sub_item(r, *interfaces[i], "network_interfaces", i);
            if (n.has("associate_public_ip_address") && r.has("associate_public_ip_address"))
                given_twice(r, "associate_public_ip_address", "network_interfaces");
            if (n.has("security_groups") && r.has("security_groups"))
                given_twice(r, "security_groups", "network_interfaces");
            if (n.boolean("associate_public_ip_address", s.associate_public_ip_address))
                given_as(r, "associate_public_ip_address", "network_interfaces");
            std::vector<std::string> groups;
            if (n.strings("security_groups", groups))
                s.security_groups.insert(s.security_groups.end(), groups.begin(), groups.end());
            n.done();
        }
    }

    // aws_instance's root_block_device { volume_size } and ebs_block_device { volume_size }:
    // the sizes, summed, as ebs_gb.
    void instance_volumes(Tab& r, double& ebs_gb) {
        const toml::table* root_device = r.table("root_block_device");
        const auto more = r.tables("ebs_block_device");
        if (!root_device && more.empty()) return;
        if (r.has("ebs_gb"))
            given_twice(r, "ebs_gb", root_device ? "root_block_device" : "ebs_block_device");
        ebs_gb = 8;  // the root volume when root_block_device does not size it
        given_as(r, "ebs_gb", root_device ? "root_block_device" : "ebs_block_device");
        if (root_device) {
            Tab t = sub(r, *root_device, "root_block_device");
            t.number("volume_size", ebs_gb);
            t.done();
        }
        for (std::size_t i = 0; i < more.size(); ++i) {
            Tab t = sub_item(r, *more[i], "ebs_block_device", i);
            double gb = 0;
            if (t.number("volume_size", gb)) ebs_gb += gb;
            t.done();
        }
    }

    // A setting given in Terraform's block is given by the file: its position is the block's
    // (explain's list of the defaults a bill rests on leaves it out).
    void given_as(Tab& r, const std::string& key, const std::string& block) {
        KeyPositions* pos = r.positions();
        if (!pos) return;
        const auto at = pos->find(r.pos_prefix() + block);
        if (at != pos->end()) (*pos)[r.pos_prefix() + key] = at->second;
    }

    void given_twice(Tab& r, std::string_view key, const char* block) {
        c.diags.error(r.table_pos(), r.key_path(key),
                      fmt::format("`{}` is given twice (also in {})", key, block));
    }

    // iam_instance_profile { name = "app" } or { arn = "arn:aws:iam::...:instance-profile/app" }:
    // the profile's name either way (validate checks that it exists).
    void instance_profile(Tab& r, std::string& out) {
        const toml::table* p = r.table("iam_instance_profile");
        if (!p) return;
        Tab t = sub(r, *p, "iam_instance_profile");
        std::string arn;
        t.str("name", out);
        if (t.str("arn", arn)) {
            const auto slash = arn.find(":instance-profile/");
            if (!out.empty() || slash == std::string::npos || arn.rfind("arn:aws:iam::", 0) != 0)
                c.error(*t.get("arn"), t.key_path("arn"),
                        out.empty() ? "expected arn:aws:iam::ACCOUNT:instance-profile/NAME"
                                    : "give the profile's name or its ARN, not both");
            else
                out = arn.substr(arn.rfind('/') + 1);
        }
        if (!t.has("name") && !t.has("arn")) t.missing("name", " (or arn)");
        t.done();
    }

    void load_balancers() {
        each("load_balancer", [&](const toml::table& t, const std::string& path, std::size_t) {
            LoadBalancerSpec s;
            Tab r = top(t, "load_balancer", path, &s.pos);
            r.name("name", s.name);
            r.enumeration("load_balancer_type", s.load_balancer_type, kLoadBalancerType);
            // AWS defaults: cross-zone always on for ALB, off for NLB and CLB (API default).
            s.enable_cross_zone_load_balancing =
                s.load_balancer_type == LoadBalancerType::Application;
            if (r.strings("availability_zones", s.availability_zones) &&
                s.availability_zones.empty())
                c.diags.error(s.pos["availability_zones"], r.key_path("availability_zones"),
                              "expected at least one availability zone, found an empty array");
            r.boolean("enable_cross_zone_load_balancing", s.enable_cross_zone_load_balancing);
            // AWS defaults: 60 s for ALB and CLB, 350 s for an NLB's TCP connections.
            if (s.load_balancer_type == LoadBalancerType::Network) s.idle_timeout = 350;
            r.seconds("idle_timeout", s.idle_timeout);
            r.strings("security_groups", s.security_groups);
            r.strings("subnets", s.subnets);
            r.boolean("internal", s.internal);
            read_tags(r, s.tags);
            r.done();
            spec.load_balancer.push_back(std::move(s));
        });
    }

    void lb_listeners() {
        each("lb_listener", [&](const toml::table& t, const std::string& path, std::size_t) {
            LbListenerSpec s;
            Tab r = top(t, "lb_listener", path, &s.pos);
            r.str("load_balancer", s.load_balancer);
            r.integer("port", s.port);
            r.str("target_group", s.target_group);
            r.integer("rules", s.rules);
            default_actions(r, s);
            read_tags(r, s.tags);
            r.done();
            spec.lb_listener.push_back(std::move(s));
        });
    }

    // Terraform's default_action blocks: one forward action stands for target_group; its
    // forward { target_group { arn, weight } } block for a weighted forward.
    void default_actions(Tab& r, LbListenerSpec& s) {
        const auto actions = r.tables("default_action");
        const bool flat = !s.target_group.empty();
        if (actions.empty() && !flat && !r.has("default_action")) r.missing("target_group");
        for (std::size_t i = 0; i < actions.size(); ++i) {
            Tab a = sub_item(r, *actions[i], "default_action", i);
            std::string type, target_group;
            a.choice("type", type);
            a.str("target_group_arn", target_group);
            std::vector<ForwardTargetGroupSpec> forward;
            if (const toml::table* f = a.table("forward")) forward_config(a, *f, s, forward);
            if (target_group.empty() && forward.empty() && !a.has("forward"))
                a.missing("target_group_arn");
            a.done();
            if (flat || i > 0) {
                c.diags.error(s.pos["default_action"], r.key_path("default_action"),
                              flat ? "give either `target_group` or `default_action`, not both"
                                   : "one default action: stratus models a single forward");
                continue;
            }
            // AWS: beside target_group_arn, a forward block names that one group only.
            if (!target_group.empty() && !forward.empty() &&
                (forward.size() > 1 || forward[0].arn != target_group))
                c.diags.error(s.pos["default_action"], a.key_path("forward"),
                              fmt::format("with target_group_arn = \"{}\", forward may name "
                                          "only that target group",
                                          target_group));
            if (forward.size() == 1) target_group = forward[0].arn;
            s.target_group = target_group;
            if (forward.size() > 1) s.forward = std::move(forward);
        }
    }

    // forward { target_group { arn, weight } ... stickiness { ... } }: 1 to 5 groups, each once.
    void forward_config(Tab& a, const toml::table& t, LbListenerSpec& s,
                        std::vector<ForwardTargetGroupSpec>& out) {
        Tab f = sub(a, t, "forward");
        const auto groups = f.tables("target_group");
        if (groups.empty() && !f.has("target_group")) f.missing("target_group");
        for (std::size_t k = 0; k < groups.size(); ++k) {
            Tab g = sub_item(f, *groups[k], "target_group", k);
            ForwardTargetGroupSpec tg;
            if (!g.has("arn")) g.missing("arn");
            g.str("arn", tg.arn);
            g.integer("weight", tg.weight);
            g.done();
            for (const auto& other : out)
                if (!tg.arn.empty() && other.arn == tg.arn)
                    c.diags.error(s.pos["default_action"], g.key_path("arn"),
                                  fmt::format("target group `{}` is named twice", tg.arn));
            out.push_back(std::move(tg));
        }
        if (groups.size() > 5)
            c.diags.error(s.pos["default_action"], f.key_path("target_group"),
                          fmt::format("expected 1 to 5 target groups (AWS's limit per forward "
                                      "action), found {}",
                                      groups.size()));
        f.done();
    }

    void target_groups() {
        each("target_group", [&](const toml::table& t, const std::string& path, std::size_t) {
            TargetGroupSpec s;
            Tab r = top(t, "target_group", path, &s.pos);
            r.name("name", s.name);
            r.integer("port", s.port);
            r.enumeration("target_type", s.target_type, kTargetType);
            r.enumeration("load_balancing_algorithm_type", s.load_balancing_algorithm_type,
                          kLoadBalancingAlgorithm);
            r.seconds("deregistration_delay", s.deregistration_delay);
            if (r.seconds("slow_start", s.slow_start) && s.slow_start > 0 && s.slow_start < 30)
                c.diags.error(s.pos["slow_start"], r.key_path("slow_start"),
                              fmt::format("expected 0 (off) or an integer number of seconds "
                                          "between 30 and 900, found {}",
                                          s.slow_start));
            if (const toml::table* hc = r.table("health_check")) {
                Tab h = sub(r, *hc, "health_check");
                auto& v = s.health_check;
                h.seconds("interval", v.interval);
                h.seconds("timeout", v.timeout);
                h.integer("healthy_threshold", v.healthy_threshold);
                h.integer("unhealthy_threshold", v.unhealthy_threshold);
                h.done();
            }
            read_tags(r, s.tags);
            r.done();
            spec.target_group.push_back(std::move(s));
        });
    }

    void autoscaling_groups() {
        each("autoscaling_group", [&](const toml::table& t, const std::string& path, std::size_t) {
            AutoScalingGroupSpec s;
            Tab r = top(t, "autoscaling_group", path, &s.pos);
            r.name("name", s.name);
            const toml::node* lt = r.get("launch_template");
            if (lt && lt->is_table())
                terraform_launch_template(r, *lt->as_table(), s);
            else
                r.str("launch_template", s.launch_template);
            if (r.has("launch_template_version") && lt && lt->is_table())
                c.diags.error(s.pos["launch_template_version"],
                              r.key_path("launch_template_version"),
                              "the version is given twice (also in the launch_template block)");
            r.integer("launch_template_version", s.launch_template_version);
            bool min_ok = r.integer("min_size", s.min_size);
            r.integer("max_size", s.max_size);
            if (!r.integer("desired_capacity", s.desired_capacity) && min_ok)
                s.desired_capacity = s.min_size;
            if (r.strings("availability_zones", s.availability_zones) &&
                s.availability_zones.empty())
                c.diags.error(s.pos["availability_zones"], r.key_path("availability_zones"),
                              "expected at least one availability zone, found an empty array");
            r.strings("subnets", s.subnets);
            r.strings("target_groups", s.target_groups);
            r.enumeration("health_check_type", s.health_check_type, kHealthCheckType);
            r.seconds("health_check_grace_period", s.health_check_grace_period);
            r.seconds("default_cooldown", s.default_cooldown);
            r.seconds("default_instance_warmup", s.default_instance_warmup);
            if (const toml::node* tp = r.get("termination_policies")) {
                const toml::array* a = tp->as_array();
                if (!a || a->empty()) {
                    c.error(*tp, r.key_path("termination_policies"),
                            fmt::format("expected a non-empty array of termination policy names, "
                                        "found {}",
                                        describe(*tp)));
                } else {
                    s.termination_policies.clear();
                    for (std::size_t i = 0; i < a->size(); ++i) {
                        auto v =
                            to_enum(c, *a->get(i),
                                    fmt::format("{}[{}]", r.key_path("termination_policies"), i),
                                    kTerminationPolicy);
                        if (v) s.termination_policies.push_back(*v);
                    }
                }
            }
            r.boolean("protect_from_scale_in", s.protect_from_scale_in);
            r.boolean("capacity_rebalance", s.capacity_rebalance);
            if (const toml::table* mt = r.table("mixed_instances_policy")) {
                Tab m = sub(r, *mt, "mixed_instances_policy");
                MixedInstancesPolicySpec p;
                m.integer("on_demand_base_capacity", p.on_demand_base_capacity);
                m.number("on_demand_percentage_above_base_capacity",
                         p.on_demand_percentage_above_base_capacity);
                m.enumeration("spot_allocation_strategy", p.spot_allocation_strategy,
                              kSpotAllocationStrategy);
                m.integer("spot_instance_pools", p.spot_instance_pools);
                m.strings("instance_types", p.instance_types);
                terraform_mixed_instances(m, s, p);
                m.done();
                s.mixed_instances_policy = std::move(p);
            }
            if (s.launch_template.empty() && !r.has("launch_template"))
                r.missing("launch_template");
            read_tags(r, s.tags);
            tag_blocks(r, s);
            r.done();
            spec.autoscaling_group.push_back(std::move(s));
        });
    }

    // A launch template version as Terraform writes it: "$Latest" and "$Default" (the highest
    // version defined, the only default the model has) or a number.
    void template_version(const std::string& version, const SourcePos& pos, const std::string& path,
                          AutoScalingGroupSpec& s) {
        if (version.empty() || version == "$Latest" || version == "$Default") return;
        char* end = nullptr;
        const long v = std::strtol(version.c_str(), &end, 10);
        if (*end != '\0' || v < 1 || v > 1000000)
            c.diags.error(pos, path,
                          fmt::format("expected \"$Latest\", \"$Default\" or a version number, "
                                      "found {}",
                                      quote(version)));
        else
            s.launch_template_version = static_cast<int>(v);
    }

    // Terraform's launch_template block of a group: { id or name, version }. A scenario names
    // templates, so `id` holds the template's name, as a reference does.
    void terraform_launch_template(Tab& r, const toml::table& block, AutoScalingGroupSpec& s) {
        const std::string path = r.key_path("launch_template");
        for (const auto& [k, v] : block) {
            const std::string key(k.str());
            const std::string at = path + "." + shortened(key);
            if (key == "id" || key == "name") {
                const auto text = v.value<std::string>();
                if (!text || text->empty())
                    c.error(
                        v, at,
                        fmt::format("expected a launch template's name, found {}", describe(v)));
                else if (!s.launch_template.empty())
                    c.error(v, at, "give one of `id` and `name`");
                else
                    s.launch_template = *text;
            } else if (key == "version") {
                if (auto n = v.value<std::int64_t>())
                    template_version(std::to_string(*n), c.at(v), at, s);
                else if (auto text = v.value<std::string>())
                    template_version(*text, c.at(v), at, s);
                else
                    c.error(v, at, fmt::format("expected a version, found {}", describe(v)));
            } else {
                c.error(v, at,
                        fmt::format("unknown key `{}` of Terraform's launch_template block "
                                    "(id or name, version)",
                                    shortened(key)));
            }
        }
        if (s.launch_template.empty())
            c.diags.error(c.at(block), path, "the launch_template block needs `id` or `name`");
    }

    // Terraform's shape of a mixed instances policy: instances_distribution { ... } and
    // launch_template { launch_template_specification { ... }, override { instance_type } }.
    void terraform_mixed_instances(Tab& m, AutoScalingGroupSpec& s, MixedInstancesPolicySpec& p) {
        if (const toml::table* dt = m.table("instances_distribution")) {
            Tab d = sub(m, *dt, "instances_distribution");
            d.integer("on_demand_base_capacity", p.on_demand_base_capacity);
            d.number("on_demand_percentage_above_base_capacity",
                     p.on_demand_percentage_above_base_capacity);
            d.enumeration("spot_allocation_strategy", p.spot_allocation_strategy,
                          kSpotAllocationStrategy);
            d.integer("spot_instance_pools", p.spot_instance_pools);
            d.done();
            for (const char* k :
                 {"on_demand_base_capacity", "on_demand_percentage_above_base_capacity",
                  "spot_allocation_strategy", "spot_instance_pools"})
                if (m.has(k))
                    c.diags.error(
                        s.pos["mixed_instances_policy"], m.key_path(k),
                        fmt::format("`{}` is given twice (also in instances_distribution)", k));
        }
        const toml::table* lt = m.table("launch_template");
        if (!lt) return;
        Tab l = sub(m, *lt, "launch_template");
        if (const toml::table* st = l.table("launch_template_specification")) {
            Tab spec_tab = sub(l, *st, "launch_template_specification");
            std::string name, version;
            spec_tab.str("launch_template_name", name);
            spec_tab.str("version", version);
            spec_tab.done();
            if (!name.empty() && !s.launch_template.empty() && name != s.launch_template)
                c.diags.error(s.pos["mixed_instances_policy"],
                              l.key_path("launch_template_specification"),
                              fmt::format("names launch template `{}`, the group `{}`", name,
                                          s.launch_template));
            if (s.launch_template.empty()) s.launch_template = name;
            template_version(version, s.pos["mixed_instances_policy"],
                             l.key_path("launch_template_specification") + ".version", s);
        }
        const auto overrides = l.tables("override");
        for (std::size_t i = 0; i < overrides.size(); ++i) {
            Tab o = sub_item(l, *overrides[i], "override", i);
            std::string type;
            if (o.str("instance_type", type)) p.instance_types.push_back(type);
            o.done();
        }
        l.done();
    }

    // Terraform's tag blocks: the ones propagated at launch tag the group's instances (and
    // their bill lines); the others stay on the group, which bills nothing itself.
    void tag_blocks(Tab& r, AutoScalingGroupSpec& s) {
        const auto blocks = r.tables("tag");
        for (std::size_t i = 0; i < blocks.size(); ++i) {
            Tab t = sub_item(r, *blocks[i], "tag", i);
            std::string k, v;
            bool propagate = true;
            t.str("key", k);
            t.str("value", v);
            t.boolean("propagate_at_launch", propagate);
            t.done();
            if (k.empty()) continue;
            if (s.tags.count(k))
                c.diags.error(s.pos["tag"], r.key_path("tag"),
                              fmt::format("tag `{}` is given twice", k));
            if (propagate)
                s.tags[k] = v;
            else
                c.not_modelled.push_back(
                    {t.table_pos(), t.path(),
                     "a tag that stays on the group (propagate_at_launch = false)"});
        }
    }

    void autoscaling_policies() {
        each("autoscaling_policy", [&](const toml::table& t, const std::string& path, std::size_t) {
            AutoScalingPolicySpec s;
            Tab r = top(t, "autoscaling_policy", path, &s.pos);
            r.name("name", s.name);
            r.str("autoscaling_group", s.autoscaling_group);
            r.enumeration("policy_type", s.policy_type, kPolicyType);
            r.enumeration("adjustment_type", s.adjustment_type, kAdjustmentType);
            r.integer("scaling_adjustment", s.scaling_adjustment);
            r.seconds("cooldown", s.cooldown);
            r.integer("min_adjustment_magnitude", s.min_adjustment_magnitude);
            r.seconds("estimated_instance_warmup", s.estimated_instance_warmup);
            r.enumeration("metric_aggregation_type", s.metric_aggregation_type,
                          kMetricAggregationType);
            s.step_adjustment = step_adjustments(r);
            if (const toml::table* tt = r.table("target_tracking_configuration")) {
                Tab tc = sub(r, *tt, "target_tracking_configuration");
                TargetTrackingSpec v;
                const bool flat = tc.enumeration("predefined_metric_type", v.predefined_metric_type,
                                                 kPredefinedMetricType);
                if (const toml::table* pm = tc.table("predefined_metric_specification")) {
                    Tab p = sub(tc, *pm, "predefined_metric_specification");
                    p.enumeration("predefined_metric_type", v.predefined_metric_type,
                                  kPredefinedMetricType);
                    p.done();
                    if (flat)
                        c.diags.error(s.pos["target_tracking_configuration"],
                                      tc.key_path("predefined_metric_specification"),
                                      "give either `predefined_metric_type` or "
                                      "`predefined_metric_specification`, not both");
                } else if (!flat && !tc.has("predefined_metric_type")) {
                    tc.missing("predefined_metric_type");
                }
                tc.number("target_value", v.target_value);
                tc.boolean("disable_scale_in", v.disable_scale_in);
                tc.done();
                s.target_tracking_configuration = v;
            }
            r.done();
            spec.autoscaling_policy.push_back(std::move(s));
        });
    }

    void alarms() {
        each("cloudwatch_metric_alarm",
             [&](const toml::table& t, const std::string& path, std::size_t) {
                 CloudWatchMetricAlarmSpec s;
                 Tab r = top(t, "cloudwatch_metric_alarm", path, &s.pos);
                 r.name("alarm_name", s.alarm_name);
                 r.str("namespace", s.namespace_);
                 r.str("metric_name", s.metric_name);
                 r.string_map("dimensions", s.dimensions);
                 r.enumeration("statistic", s.statistic, kStatistic);
                 if (const toml::node* es = r.get("extended_statistic")) {
                     auto str = es->as_string();
                     std::optional<double> p;
                     if (str && str->get().size() > 1 &&
                         (str->get()[0] == 'p' || str->get()[0] == 'P')) {
                         char* end = nullptr;
                         std::string digits = str->get().substr(1);
                         double v = std::strtod(digits.c_str(), &end);
                         if (end && *end == '\0' && v > 0 && v < 100) p = v;
                     }
                     if (!p) {
                         c.error(*es, r.key_path("extended_statistic"),
                                 fmt::format("expected a percentile such as \"p99\" or \"p99.9\" "
                                             "(between p0 and p100), found {}",
                                             describe(*es)));
                     } else {
                         s.extended_statistic = p;
                         s.extended_statistic_text = str->get();
                     }
                 }
                 r.seconds("period", s.period);
                 r.integer("evaluation_periods", s.evaluation_periods);
                 if (!r.integer("datapoints_to_alarm", s.datapoints_to_alarm))
                     s.datapoints_to_alarm = s.evaluation_periods;
                 r.enumeration("comparison_operator", s.comparison_operator, kComparisonOperator);
                 r.number("threshold", s.threshold);
                 r.enumeration("treat_missing_data", s.treat_missing_data, kTreatMissingData);
                 r.strings("alarm_actions", s.alarm_actions);
                 r.strings("ok_actions", s.ok_actions);
                 alarm_notifications(r, "alarm_actions", s.alarm_actions);
                 alarm_notifications(r, "ok_actions", s.ok_actions);
                 bool enabled = true;
                 if (r.boolean("actions_enabled", enabled) && !enabled) {
                     s.alarm_actions.clear();
                     s.ok_actions.clear();
                 }
                 read_tags(r, s.tags);
                 r.done();
                 spec.cloudwatch_metric_alarm.push_back(std::move(s));
             });
    }

    // An alarm action that notifies (an SNS topic's ARN, as Terraform files hold) changes no
    // capacity: it is listed as not modelled and left out of the policies the alarm runs.
    void alarm_notifications(Tab& r, const char* key, std::vector<std::string>& actions) {
        const auto notification = [](const std::string& a) {
            return a.rfind("arn:aws:sns:", 0) == 0;
        };
        for (const auto& a : actions)
            if (notification(a))
                c.not_modelled.push_back(
                    {r.table_pos(), r.key_path(key),
                     fmt::format("a notification to the SNS topic {}", quote(shortened(a)))});
        actions.erase(std::remove_if(actions.begin(), actions.end(), notification), actions.end());
    }

    void schedules() {
        each("autoscaling_schedule",
             [&](const toml::table& t, const std::string& path, std::size_t) {
                 AutoScalingScheduleSpec s;
                 Tab r = top(t, "autoscaling_schedule", path, &s.pos);
                 r.name("scheduled_action_name", s.scheduled_action_name);
                 r.str("autoscaling_group", s.autoscaling_group);
                 r.integer("min_size", s.min_size);
                 r.integer("max_size", s.max_size);
                 r.integer("desired_capacity", s.desired_capacity);
                 r.str("recurrence", s.recurrence);
                 r.time_point("start_time", s.start_time);
                 r.time_point("end_time", s.end_time);
                 r.str("time_zone", s.time_zone);
                 r.done();
                 spec.autoscaling_schedule.push_back(std::move(s));
             });
    }

    void workloads() {
        each("workload", [&](const toml::table& t, const std::string& path, std::size_t) {
            WorkloadSpec s;
            Tab r = top(t, "workload", path, &s.pos);
            r.name("name", s.name);
            r.str("load_balancer", s.load_balancer);
            if (const toml::node* rate = r.get("rate")) {
                auto v = to_rate(c, *rate, r.key_path("rate"), &s.pos, "rate.");
                if (v) s.rate = std::move(*v);
            } else {
                r.missing("rate", " (requests per second, such as rate = 200)");
            }
            auto spikes = r.tables("spike");
            for (std::size_t i = 0; i < spikes.size(); ++i) {
                Tab sp = sub_item(r, *spikes[i], "spike", i);
                SpikeSpec v;
                sp.time_point("at", v.at);
                sp.duration("duration", v.duration);
                sp.number("multiplier", v.multiplier);
                sp.done();
                s.spike.push_back(v);
            }
            read_dist(r, "service_time", s.service_time);
            r.duration("timeout", s.timeout);
            r.str("database", s.database);
            r.seconds("database_connect_timeout", s.database_connect_timeout);
            r.integer("request_bytes", s.request_bytes);
            r.integer("response_bytes", s.response_bytes);
            r.integer("database_bytes", s.database_bytes);
            r.integer("outbound_bytes", s.outbound_bytes);
            r.integer("s3_bytes", s.s3_bytes);
            r.integer("dynamodb_bytes", s.dynamodb_bytes);
            r.number("requests_per_connection", s.requests_per_connection);
            r.duration("connection_duration", s.connection_duration);
            r.integer("listener_port", s.listener_port);
            if (r.str("client_cidr", s.client_cidr) && !is_cidr(s.client_cidr))
                c.diags.error(key_pos(r, "client_cidr"), r.key_path("client_cidr"),
                              fmt::format("expected a CIDR block such as \"203.0.113.0/24\", "
                                          "found {}",
                                          quote(s.client_cidr)));
            const auto calls = r.tables("aws_call");
            for (std::size_t i = 0; i < calls.size(); ++i) {
                Tab ct = sub_item(r, *calls[i], "aws_call", i);
                AwsCallSpec call;
                ct.str("action", call.action);
                ct.str("resource", call.resource);
                ct.number("fraction", call.fraction);
                ct.done();
                s.aws_call.push_back(std::move(call));
            }
            r.done();
            spec.workload.push_back(std::move(s));
        });
    }

    void db_instances() {
        each("db_instance", [&](const toml::table& t, const std::string& path, std::size_t) {
            DbInstanceSpec s;
            s.failover_time.kind = DistKind::Uniform;
            s.failover_time.min = 60 * kSecond;
            s.failover_time.max = 120 * kSecond;
            Tab r = top(t, "db_instance", path, &s.pos);
            r.name("identifier", s.identifier);
            r.str("instance_class", s.instance_class);
            r.boolean("multi_az", s.multi_az);
            r.str("availability_zone", s.availability_zone);
            r.integer("allocated_storage", s.allocated_storage);
            read_dist(r, "failover_time", s.failover_time);
            r.enumeration("engine", s.engine, kDbEngine);
            s.port = s.engine == DbEngine::Postgres ? 5432 : 3306;
            r.integer("port", s.port);
            r.strings("subnets", s.subnets);
            r.strings("security_groups", s.security_groups);
            read_tags(r, s.tags);
            r.done();
            spec.db_instance.push_back(std::move(s));
        });
    }

    // [[ecs_cluster]], [[ecs_task_definition]], [[ecs_service]] (docs/model.md, ECS).
    void ecs() {
        each("ecs_cluster", [&](const toml::table& t, const std::string& path, std::size_t) {
            EcsClusterSpec s;
            Tab r = top(t, "ecs_cluster", path, &s.pos);
            r.name("name", s.name);
            auto settings = r.tables("setting");
            for (std::size_t i = 0; i < settings.size(); ++i) {
                Tab st = sub_item(r, *settings[i], "setting", i);
                std::pair<std::string, std::string> kv;
                st.str("name", kv.first);
                st.str("value", kv.second);
                st.done();
                s.settings.push_back(std::move(kv));
            }
            read_tags(r, s.tags);
            r.done();
            spec.ecs_cluster.push_back(std::move(s));
        });
        each("ecs_task_definition",
             [&](const toml::table& t, const std::string& path, std::size_t) {
                 EcsTaskDefinitionSpec s;
                 s.provisioning_time = DurationDist::constant(20 * kSecond);
                 s.image_pull_time = DurationDist::constant(15 * kSecond);
                 s.app_start_time = DurationDist::constant(10 * kSecond);
                 Tab r = top(t, "ecs_task_definition", path, &s.pos);
                 r.name("family", s.family);
                 r.integer("cpu", s.cpu);
                 r.integer("memory", s.memory);
                 launch_types(r, "requires_compatibilities", s.requires_compatibilities);
                 r.enumeration("network_mode", s.network_mode, kNetworkMode);
                 if (r.str("container_definitions", s.container_definitions))
                     containers(r, s.container_definitions, s.containers);
                 read_dist(r, "provisioning_time", s.provisioning_time);
                 read_dist(r, "image_pull_time", s.image_pull_time);
                 r.number("image_size_mb", s.image_size_mb);
                 r.number("image_pull_throughput", s.image_pull_throughput);
                 read_dist(r, "app_start_time", s.app_start_time);
                 r.integer("app_port", s.app_port);
                 r.integer("workers_per_vcpu", s.workers_per_vcpu);
                 r.integer("max_queue", s.max_queue);
                 r.str("task_role_arn", s.task_role_arn);
                 r.boolean("app_healthy", s.app_healthy);
                 read_dist(r, "essential_container_exits_after", s.essential_container_exits_after);
                 container_exits(r, s);
                 r.number("app_memory", s.app_memory);
                 r.number("request_memory", s.request_memory);
                 if (const toml::table* rp = r.table("runtime_platform")) {
                     Tab p = sub(r, *rp, "runtime_platform");
                     p.enumeration("cpu_architecture", s.cpu_architecture, kCpuArchitecture);
                     p.str("operating_system_family", s.operating_system_family);
                     p.done();
                 }
                 if (const toml::table* es = r.table("ephemeral_storage")) {
                     Tab e = sub(r, *es, "ephemeral_storage");
                     e.integer("size_in_gib", s.ephemeral_storage_gib);
                     e.done();
                 }
                 s.placement_constraints = constraints(r);
                 read_tags(r, s.tags);
                 r.done();
                 spec.ecs_task_definition.push_back(std::move(s));
             });
        each("ecs_service", [&](const toml::table& t, const std::string& path, std::size_t) {
            ecs_service(t, path);
        });
    }

    // One [[ecs_service]].
    void ecs_service(const toml::table& t, const std::string& path) {
        EcsServiceSpec s;
        Tab r = top(t, "ecs_service", path, &s.pos);
        r.name("name", s.name);
        r.str("cluster", s.cluster);
        r.str("task_definition", s.task_definition);
        r.integer("desired_count", s.desired_count);
        r.enumeration("launch_type", s.launch_type, kEcsLaunchType);
        r.enumeration("scheduling_strategy", s.scheduling_strategy, kEcsSchedulingStrategy);
        if (const toml::table* nc = r.table("network_configuration")) {
            Tab n = sub(r, *nc, "network_configuration");
            s.network_configuration = true;
            n.strings("subnets", s.subnets);
            n.strings("security_groups", s.security_groups);
            n.boolean("assign_public_ip", s.assign_public_ip);
            n.done();
        }
        auto lbs = r.tables("load_balancer");
        for (std::size_t i = 0; i < lbs.size(); ++i) {
            Tab l = sub_item(r, *lbs[i], "load_balancer", i);
            EcsLoadBalancerSpec lb;
            l.str("target_group_arn", lb.target_group);
            l.str("container_name", lb.container_name);
            l.integer("container_port", lb.container_port);
            l.done();
            s.load_balancer.push_back(std::move(lb));
        }
        r.seconds("health_check_grace_period_seconds", s.health_check_grace_period_seconds);
        r.integer("deployment_minimum_healthy_percent", s.deployment_minimum_healthy_percent);
        r.integer("deployment_maximum_percent", s.deployment_maximum_percent);
        // A DAEMON service's deployments default to 0 % and 100 % (the ECS API Reference,
        // DeploymentConfiguration).
        if (s.scheduling_strategy == EcsSchedulingStrategy::Daemon) {
            if (!s.pos.count("deployment_minimum_healthy_percent"))
                s.deployment_minimum_healthy_percent = 0;
            if (!s.pos.count("deployment_maximum_percent")) s.deployment_maximum_percent = 100;
        }
        s.capacity_provider_strategy = strategy(r, "capacity_provider_strategy");
        auto placement = r.tables("ordered_placement_strategy");
        for (std::size_t i = 0; i < placement.size(); ++i) {
            Tab c = sub_item(r, *placement[i], "ordered_placement_strategy", i);
            EcsPlacementStrategySpec item;
            c.enumeration("type", item.type, kPlacementStrategyType);
            c.str("field", item.field);
            c.done();
            s.ordered_placement_strategy.push_back(std::move(item));
        }
        s.placement_constraints = constraints(r);
        r.number("spot_interruption_monthly_rate", s.spot_interruption_monthly_rate);
        if (const toml::table* cb = r.table("deployment_circuit_breaker")) {
            Tab b = sub(r, *cb, "deployment_circuit_breaker");
            b.boolean("enable", s.deployment_circuit_breaker_enable);
            b.boolean("rollback", s.deployment_circuit_breaker_rollback);
            b.done();
        }
        read_tags(r, s.tags);
        r.done();
        spec.ecs_service.push_back(std::move(s));
    }

    // placement_constraints blocks (a service's, a task definition's).
    std::vector<EcsPlacementConstraintSpec> constraints(Tab& r) {
        std::vector<EcsPlacementConstraintSpec> out;
        auto items = r.tables("placement_constraints");
        for (std::size_t i = 0; i < items.size(); ++i) {
            Tab c = sub_item(r, *items[i], "placement_constraints", i);
            EcsPlacementConstraintSpec item;
            c.enumeration("type", item.type, kPlacementConstraintType);
            c.str("expression", item.expression);
            c.done();
            out.push_back(std::move(item));
        }
        return out;
    }

    // A capacity provider strategy (a service's, a cluster's default): FARGATE and
    // FARGATE_SPOT by their names, any other name an Auto Scaling group capacity provider.
    std::vector<EcsCapacityProviderStrategySpec> strategy(Tab& r, const char* key) {
        std::vector<EcsCapacityProviderStrategySpec> out;
        auto items = r.tables(key);
        for (std::size_t i = 0; i < items.size(); ++i) {
            Tab c = sub_item(r, *items[i], key, i);
            EcsCapacityProviderStrategySpec item;
            std::string name;
            if (c.str("capacity_provider", name)) {
                bool fargate = false;
                for (const auto& n : kEcsCapacityProvider)
                    if (name == n.name) {
                        item.capacity_provider = n.value;
                        fargate = true;
                    }
                if (!fargate) item.auto_scaling_group_provider = name;
            }
            c.integer("weight", item.weight);
            c.integer("base", item.base);
            c.done();
            out.push_back(std::move(item));
        }
        return out;
    }

    // [[ecs_capacity_provider]], [[ecs_cluster_capacity_providers]] (docs/model.md, "ECS on
    // EC2").
    void ecs_capacity_providers() {
        each("ecs_capacity_provider",
             [&](const toml::table& t, const std::string& path, std::size_t) {
                 EcsCapacityProviderSpec s;
                 Tab r = top(t, "ecs_capacity_provider", path, &s.pos);
                 r.name("name", s.name);
                 if (const toml::table* g = r.table("auto_scaling_group_provider")) {
                     Tab a = sub(r, *g, "auto_scaling_group_provider");
                     a.str("auto_scaling_group_arn", s.auto_scaling_group);
                     a.enumeration("managed_termination_protection",
                                   s.managed_termination_protection, kManagedTerminationProtection);
                     a.enumeration("managed_draining", s.managed_draining, kManagedDraining);
                     if (const toml::table* m = a.table("managed_scaling")) {
                         Tab ms = sub(a, *m, "managed_scaling");
                         EcsManagedScalingSpec& v = s.managed_scaling;
                         ms.enumeration("status", v.status, kManagedScalingStatus);
                         ms.integer("target_capacity", v.target_capacity);
                         ms.integer("minimum_scaling_step_size", v.minimum_scaling_step_size);
                         ms.integer("maximum_scaling_step_size", v.maximum_scaling_step_size);
                         ms.seconds("instance_warmup_period", v.instance_warmup_period);
                         ms.done();
                     }
                     a.done();
                 }
                 read_tags(r, s.tags);
                 r.done();
                 spec.ecs_capacity_provider.push_back(std::move(s));
             });
        each("ecs_cluster_capacity_providers",
             [&](const toml::table& t, const std::string& path, std::size_t) {
                 EcsClusterCapacityProvidersSpec s;
                 Tab r = top(t, "ecs_cluster_capacity_providers", path, &s.pos);
                 r.name("cluster_name", s.cluster_name);
                 r.strings("capacity_providers", s.capacity_providers);
                 s.default_capacity_provider_strategy =
                     strategy(r, "default_capacity_provider_strategy");
                 r.done();
                 spec.ecs_cluster_capacity_providers.push_back(std::move(s));
             });
    }

    // [[appautoscaling_target]], [[appautoscaling_policy]] (docs/model.md, "Service Auto
    // Scaling").
    void appautoscaling() {
        each("appautoscaling_target",
             [&](const toml::table& t, const std::string& path, std::size_t) {
                 AppAutoscalingTargetSpec s;
                 Tab r = top(t, "appautoscaling_target", path, &s.pos);
                 r.name("resource_id", s.resource_id);
                 r.str("service_namespace", s.service_namespace);
                 r.str("scalable_dimension", s.scalable_dimension);
                 r.integer("min_capacity", s.min_capacity);
                 r.integer("max_capacity", s.max_capacity);
                 r.done();
                 spec.appautoscaling_target.push_back(std::move(s));
             });
        each("appautoscaling_policy", [&](const toml::table& t, const std::string& path,
                                          std::size_t) {
            AppAutoscalingPolicySpec s;
            Tab r = top(t, "appautoscaling_policy", path, &s.pos);
            r.name("name", s.name);
            r.str("resource_id", s.resource_id);
            r.str("service_namespace", s.service_namespace);
            r.str("scalable_dimension", s.scalable_dimension);
            r.enumeration("policy_type", s.policy_type, kAppPolicyType);
            if (const toml::table* tt = r.table("target_tracking_scaling_policy_configuration")) {
                Tab tc = sub(r, *tt, "target_tracking_scaling_policy_configuration");
                AppTargetTrackingSpec v;
                if (const toml::table* pm = tc.table("predefined_metric_specification")) {
                    Tab p = sub(tc, *pm, "predefined_metric_specification");
                    p.enumeration("predefined_metric_type", v.predefined_metric_type,
                                  kAppPredefinedMetricType);
                    p.str("resource_label", v.resource_label);
                    p.done();
                }
                tc.number("target_value", v.target_value);
                tc.seconds("scale_in_cooldown", v.scale_in_cooldown);
                tc.seconds("scale_out_cooldown", v.scale_out_cooldown);
                tc.boolean("disable_scale_in", v.disable_scale_in);
                tc.done();
                s.target_tracking = v;
            }
            if (const toml::table* st = r.table("step_scaling_policy_configuration"))
                s.step_scaling = step_scaling(r, *st);
            r.done();
            spec.appautoscaling_policy.push_back(std::move(s));
        });
        app_scheduled_actions();
    }

    // step_scaling_policy_configuration (StepScalingPolicyConfiguration); cooldown 300 s when
    // absent, the API's default.
    AppStepScalingSpec step_scaling(Tab& r, const toml::table& st) {
        Tab sc = sub(r, st, "step_scaling_policy_configuration");
        AppStepScalingSpec v;
        v.cooldown = 300;
        sc.enumeration("adjustment_type", v.adjustment_type, kAdjustmentType);
        sc.seconds("cooldown", v.cooldown);
        sc.enumeration("metric_aggregation_type", v.metric_aggregation_type,
                       kMetricAggregationType);
        sc.integer("min_adjustment_magnitude", v.min_adjustment_magnitude);
        v.step_adjustment = step_adjustments(sc);
        sc.done();
        return v;
    }

    void app_scheduled_actions() {
        each("appautoscaling_scheduled_action",
             [&](const toml::table& t, const std::string& path, std::size_t) {
                 AppAutoscalingScheduledActionSpec s;
                 Tab r = top(t, "appautoscaling_scheduled_action", path, &s.pos);
                 r.name("name", s.name);
                 r.str("resource_id", s.resource_id);
                 r.str("service_namespace", s.service_namespace);
                 r.str("scalable_dimension", s.scalable_dimension);
                 r.str("schedule", s.schedule);
                 r.str("timezone", s.timezone);
                 r.time_point("start_time", s.start_time);
                 r.time_point("end_time", s.end_time);
                 if (const toml::table* a = r.table("scalable_target_action")) {
                     Tab ta = sub(r, *a, "scalable_target_action");
                     ta.integer("min_capacity", s.min_capacity);
                     ta.integer("max_capacity", s.max_capacity);
                     ta.done();
                 }
                 r.done();
                 spec.appautoscaling_scheduled_action.push_back(std::move(s));
             });
    }

    // An array of launch type names ("FARGATE", "EC2", "EXTERNAL"), each checked.
    void launch_types(Tab& r, const char* key, std::vector<EcsLaunchType>& out) {
        const toml::node* n = r.get(key);
        if (!n) return;
        const toml::array* a = n->as_array();
        if (!a) {
            c.error(*n, r.key_path(key),
                    fmt::format("expected an array of launch types such as [\"FARGATE\"], found {}",
                                describe(*n)));
            return;
        }
        for (std::size_t i = 0; i < a->size(); ++i)
            if (auto v = to_enum(c, *a->get(i), fmt::format("{}[{}]", r.key_path(key), i),
                                 kEcsLaunchType))
                out.push_back(*v);
    }

    // container_definitions: Terraform's jsonencode([...]) text, read for what the model uses
    // (name, image, essential, portMappings); other fields of a container are accepted as ECS
    // accepts them. An error names the container and the field.
    void containers(Tab& r, const std::string& text, std::vector<ContainerDefinitionSpec>& out) {
        const toml::node& node = *r.get("container_definitions");
        const std::string key = r.key_path("container_definitions");
        std::string problem = read_containers(text, out);
        if (!problem.empty())
            c.error(node, key, "the container definitions are refused: " + problem);
    }

    // container_exits_after = { migrate = "30s" } (extension): when each named container exits
    // (code 0); a COMPLETE or SUCCESS dependency on a container that never exits could never
    // be met (ECS leaves the task PENDING), so it is refused here.
    void container_exits(Tab& r, EcsTaskDefinitionSpec& s) {
        std::map<std::string, std::string> exits;
        if (r.string_map("container_exits_after", exits)) {
            const toml::node& node = *r.get("container_exits_after");
            const std::string key = r.key_path("container_exits_after");
            // Not a structured binding: C++17 does not let a lambda capture one (clang refuses).
            for (const auto& exit : exits) {
                const std::string& name = exit.first;
                const std::string& text = exit.second;
                auto found = std::find_if(s.containers.begin(), s.containers.end(),
                                          [&](const auto& ct) { return ct.name == name; });
                const auto d = parse_duration(text);
                if (found == s.containers.end())
                    c.error(node, key + "." + name,
                            fmt::format("no container {} in container_definitions",
                                        quote(shortened(name))));
                else if (!d || *d < 0)
                    c.error(node, key + "." + name,
                            fmt::format("expected a duration such as \"30s\", found {}",
                                        quote(shortened(text))));
                else
                    found->exits_after = *d;
            }
        }
        for (const auto& ct : s.containers)
            for (const auto& d : ct.depends_on) {
                if (d.condition != ContainerCondition::Complete &&
                    d.condition != ContainerCondition::Success)
                    continue;
                auto dep = std::find_if(s.containers.begin(), s.containers.end(),
                                        [&](const auto& o) { return o.name == d.container_name; });
                if (dep == s.containers.end() || dep->exits_after) continue;
                c.error(*r.get("container_definitions"), r.key_path("container_definitions"),
                        fmt::format("container {} waits for {} to exit, which never exits in the "
                                    "model: give it container_exits_after = {{ {} = \"30s\" }}",
                                    quote(ct.name), quote(d.container_name), d.container_name));
            }
    }

    void faults() {
        each("fault", [&](const toml::table& t, const std::string& path, std::size_t) {
            FaultSpec s;
            Tab r = top(t, "fault", path, &s.pos);
            r.enumeration("type", s.type, kFaultType);
            r.str("target", s.target);
            r.time_point("at", s.at);
            r.duration("duration", s.duration);
            read_dist(r, "mtbf", s.mtbf);
            read_dist(r, "mttr", s.mttr);
            r.number("fraction", s.fraction);
            read_dist(r, "extra", s.extra);
            r.done();
            spec.fault.push_back(std::move(s));
        });
    }

    // [[spot.pool]] price = { model = ..., <parameters> }: the parameters the grammar gives
    // the model, stored as written (price_params).
    void spot_price(Tab& pt, const toml::table& price, SpotPoolSpec& p) {
        Tab pr = sub(pt, price, "price");
        if (!pr.enumeration("model", p.price_model, kSpotPriceModel)) {
            pr.done();
            return;
        }
        pr.choose(name_of(kSpotPriceModel, p.price_model));
        if (p.price_model == SpotPriceModel::Trace && pr.str("file", p.price_file)) {
            // Read and checked here, so that a missing or malformed trace is an error at its
            // key rather than a failure when the run starts.
            const std::string key = pr.key_path("file");
            auto text = read_data_file(c, *price.get("file"), key, p.price_file);
            if (text) {
                try {
                    (void)parse_spot_price_trace(*text);
                } catch (const std::invalid_argument& e) {
                    c.error(*price.get("file"), key,
                            fmt::format("{}: {}", quote(resolve_file(c, p.price_file)), e.what()));
                }
            }
        }
        for (const KeyDef* k : pr.def().keys()) {
            if (k->type != KeyType::Number ||
                !k->applies_to(name_of(kSpotPriceModel, p.price_model)))
                continue;
            double v = 0;
            if (pr.number(k->name(), v)) p.price_params[std::string(k->name())] = v;
        }
        pr.done();
    }

    void spot() {
        const toml::table* t = section("spot");
        if (!t) return;
        auto& s = spec.spot;
        s.present = true;
        Tab r = top(*t, "spot", "spot", &s.pos);
        auto pools = r.tables("pool");
        for (std::size_t i = 0; i < pools.size(); ++i) {
            SpotPoolSpec p;
            Tab pt(c, *pools[i], *r.def().child("pool"), fmt::format("spot.pool[{}]", i), &p.pos);
            pt.str("instance_type", p.instance_type);
            pt.str("availability_zone", p.availability_zone);
            if (const toml::table* price = pt.table("price")) spot_price(pt, *price, p);
            if (const toml::table* it = pt.table("interruption")) {
                Tab ir = sub(pt, *it, "interruption");
                ir.number("monthly_rate", p.monthly_rate);
                ir.done();
            }
            pt.integer("capacity", p.capacity);
            pt.done();
            s.pool.push_back(std::move(p));
        }
        r.done();
    }

    void capacity_pools() {
        each("capacity_pool", [&](const toml::table& t, const std::string& path, std::size_t) {
            CapacityPoolSpec s;
            Tab r = top(t, "capacity_pool", path, &s.pos);
            r.str("instance_type", s.instance_type);
            r.str("availability_zone", s.availability_zone);
            r.integer("capacity", s.capacity);
            r.done();
            spec.capacity_pool.push_back(std::move(s));
        });
    }

    void vpc() {
        const toml::table* t = section("vpc");
        if (!t) return;
        auto& s = spec.vpc;
        s.present = true;
        Tab r = top(*t, "vpc", "vpc", &s.pos);
        r.str("cidr_block", s.cidr_block);
        read_tags(r, s.tags);
        r.done();
    }

    void subnets() {
        each("subnet", [&](const toml::table& t, const std::string& path, std::size_t) {
            SubnetSpec s;
            Tab r = top(t, "subnet", path, &s.pos);
            r.name("name", s.name);
            r.str("cidr_block", s.cidr_block);
            r.str("availability_zone", s.availability_zone);
            r.boolean("map_public_ip_on_launch", s.map_public_ip_on_launch);
            if (r.str("route", s.route) && s.route != "igw" && s.route != "local" &&
                s.route.rfind("nat:", 0) != 0 && s.route.rfind("instance:", 0) != 0)
                c.diags.error(s.pos["route"], r.key_path("route"),
                              fmt::format("expected one of `igw`, `local`, `nat:<nat gateway "
                                          "name>` or `instance:<NAT instance name>`, found {}",
                                          quote(s.route)));
            read_tags(r, s.tags);
            r.done();
            spec.subnet.push_back(std::move(s));
        });
    }

    // Terraform's route tables, read into each subnet's route: a subnet takes the table it is
    // associated with, else the main route table, and the table's default route (0.0.0.0/0)
    // says where its traffic to the internet goes: an internet gateway ("igw"), a NAT gateway
    // ("nat:<name>"), a NAT instance ("instance:<name>"), none ("local").
    template <class T>
    static bool find_named(const std::vector<T>& items, const std::string& name) {
        return std::any_of(items.begin(), items.end(), [&](const T& i) { return i.name == name; });
    }

    // "unknown route table `x`; known: `a`, `b`", at the key that names it, when `name` is not
    // one of `items`' names.
    template <class T>
    void check_named(const std::vector<T>& items, const std::string& name, const char* what,
                     const SourcePos& pos, const std::string& path) {
        if (name.empty() || find_named(items, name)) return;
        std::vector<std::string> known;
        for (const auto& i : items)
            known.push_back(i.name);
        c.diags.error(pos, path,
                      fmt::format("unknown {} `{}`; known: {}", what, shortened(name),
                                  known.empty() ? std::string("none") : quoted_list(known)));
    }

    static SourcePos key_pos(Tab& t, const std::string& key) {
        const KeyPositions* pos = t.positions();
        const auto at = pos ? pos->find(t.pos_prefix() + key) : KeyPositions::const_iterator{};
        return pos && at != pos->end() ? at->second : t.table_pos();
    }

    struct RouteTableRead {
        std::string name;
        std::string route = "local";
    };
    struct InternetGatewayRead {
        std::string name;
    };
    struct Association {
        std::string subnet, table;
        SourcePos pos, subnet_pos, table_pos;
        std::string path;
    };

    void route_tables() {
        std::vector<InternetGatewayRead> gateways;
        each("internet_gateway", [&](const toml::table& t, const std::string& path, std::size_t) {
            KeyPositions pos;
            Tab r = top(t, "internet_gateway", path, &pos);
            InternetGatewayRead gateway;
            r.name("name", gateway.name);
            Tags tags;
            read_tags(r, tags);
            r.done();
            gateways.push_back(std::move(gateway));
        });
        std::vector<RouteTableRead> tables;
        each("route_table", [&](const toml::table& t, const std::string& path, std::size_t) {
            KeyPositions pos;
            Tab r = top(t, "route_table", path, &pos);
            RouteTableRead table;
            r.name("name", table.name);
            const auto routes = r.tables("route");
            for (std::size_t i = 0; i < routes.size(); ++i) {
                Tab it = sub_item(r, *routes[i], "route", i);
                default_route(it, gateways, table.route);
                it.done();
            }
            Tags tags;
            read_tags(r, tags);
            r.done();
            tables.push_back(std::move(table));
        });
        std::vector<Association> links = associations("route_table_association");
        std::vector<Association> main = associations("main_route_table_association");
        if (main.size() > 1)
            c.diags.error(main[1].pos, main[1].path, "the VPC has one main route table");
        for (const auto& l : links)
            check_named(spec.subnet, l.subnet, "subnet", l.subnet_pos, l.path + ".subnet_id");
        for (const auto* list : {&links, &main})
            for (const auto& l : *list)
                check_named(tables, l.table, "route table", l.table_pos,
                            l.path + ".route_table_id");
        for (auto& subnet : spec.subnet)
            subnet_route(subnet, links, main.empty() ? "" : main[0].table, tables);
    }

    // One route of a table: the default route sets `route`; another destination is noted.
    void default_route(Tab& it, const std::vector<InternetGatewayRead>& gateways,
                       std::string& route) {
        std::string cidr, gateway, nat, instance;
        it.str("cidr_block", cidr);
        it.str("gateway_id", gateway);
        it.str("nat_gateway_id", nat);
        it.str("instance_id", instance);
        const int targets = !gateway.empty() + !nat.empty() + !instance.empty();
        if (cidr != "0.0.0.0/0") {
            c.not_modelled.push_back(
                {it.table_pos(), it.path(),
                 fmt::format("a route to {}: only the default route (0.0.0.0/0) is modelled",
                             quote(cidr))});
            return;
        }
        const bool other = it.has("network_interface_id") || it.has("vpc_endpoint_id") ||
                           it.has("transit_gateway_id") || it.has("vpc_peering_connection_id");
        if (targets > 1 || (targets == 0 && !other))
            c.diags.error(it.table_pos(), it.path(),
                          "expected one target: gateway_id, nat_gateway_id or instance_id");
        check_named(gateways, gateway, "internet gateway", key_pos(it, "gateway_id"),
                    it.key_path("gateway_id"));
        check_named(spec.nat_gateway, nat, "NAT gateway", key_pos(it, "nat_gateway_id"),
                    it.key_path("nat_gateway_id"));
        check_named(spec.instance, instance, "instance", key_pos(it, "instance_id"),
                    it.key_path("instance_id"));
        route = !gateway.empty()    ? "igw"
                : !nat.empty()      ? "nat:" + nat
                : !instance.empty() ? "instance:" + instance
                                    : "local";
    }

    std::vector<Association> associations(const char* section) {
        std::vector<Association> out;
        each(section, [&](const toml::table& t, const std::string& path, std::size_t) {
            KeyPositions pos;
            Tab r = top(t, section, path, &pos);
            Association a;
            if (r.def().find("subnet_id")) r.str("subnet_id", a.subnet);
            r.str("route_table_id", a.table);
            r.done();
            a.pos = r.table_pos();
            a.subnet_pos = key_pos(r, "subnet_id");
            a.table_pos = key_pos(r, "route_table_id");
            a.path = path;
            out.push_back(std::move(a));
        });
        return out;
    }

    void subnet_route(SubnetSpec& subnet, const std::vector<Association>& links,
                      const std::string& main_table, const std::vector<RouteTableRead>& tables) {
        std::string table = main_table;
        int associated = 0;
        for (const auto& l : links)
            if (l.subnet == subnet.name) {
                if (++associated == 2)
                    c.diags.error(l.pos, l.path,
                                  fmt::format("subnet {} is associated with a second route "
                                              "table",
                                              quote(subnet.name)));
                table = l.table;
            }
        if (table.empty()) return;
        for (const auto& t : tables)
            if (t.name == table) {
                if (subnet.pos.count("route"))
                    c.diags.error(subnet.pos["route"], "subnet[" + subnet.name + "].route",
                                  fmt::format("the subnet's route is given twice (also by route "
                                              "table {})",
                                              quote(table)));
                subnet.route = t.route;
            }
    }

    // One inbound rule, in stratus's form (port, source_security_group) or Terraform's
    // (from_port, to_port, protocol, security_groups, self), which may mix blocks and groups;
    // an outbound one (`egress`) names destination_security_group instead of the source.
    IngressRuleSpec ingress_rule(Tab& it, const std::string& group, bool egress = false) {
        IngressRuleSpec rule;
        it.integer("port", rule.port);
        it.integer("to_port", rule.to_port);
        std::string protocol = "tcp";
        it.str("protocol", protocol);
        if (protocol == "-1" || protocol == "all") {
            rule.port = 0;
            rule.to_port = 65535;
        } else if (protocol != "tcp" && protocol != "6") {
            rule.tcp = false;
            c.not_modelled.push_back(
                {it.table_pos(), it.key_path("protocol"),
                 fmt::format("protocol {}: the modelled flows are TCP, so this rule passes none "
                             "of them",
                             quote(protocol))});
        }
        if (rule.last_port() < rule.port)
            c.diags.error(
                it.table_pos(), it.key_path("to_port"),
                fmt::format("to_port {} is below the first port {}", rule.to_port, rule.port));
        it.strings("cidr_blocks", rule.cidr_blocks);
        std::string one;
        if (it.str(egress ? "destination_security_group" : "source_security_group", one))
            rule.source_security_groups.push_back(one);
        std::vector<std::string> many;
        if (it.strings("security_groups", many))
            rule.source_security_groups.insert(rule.source_security_groups.end(), many.begin(),
                                               many.end());
        bool self = false;
        if (it.boolean("self", self) && self) rule.source_security_groups.push_back(group);
        if (egress) it.strings("prefix_list_ids", rule.prefix_lists);
        const bool other_source =
            it.has("ipv6_cidr_blocks") || (!egress && it.has("prefix_list_ids"));
        if (rule.cidr_blocks.empty() && rule.source_security_groups.empty() &&
            rule.prefix_lists.empty() && !other_source)
            c.diags.error(it.table_pos(), it.path(),
                          egress ? "expected a destination: `cidr_blocks`, "
                                   "`destination_security_group`, `security_groups`, "
                                   "`prefix_list_ids` or `self = true`"
                                 : "expected a source: `cidr_blocks`, `source_security_group`, "
                                   "`security_groups` or `self = true`");
        for (const auto& block : rule.cidr_blocks)
            if (!is_cidr(block))
                c.diags.error(it.table_pos(), it.key_path("cidr_blocks"),
                              fmt::format("expected a CIDR block such as \"0.0.0.0/0\", found {}",
                                          quote(block)));
        return rule;
    }

    void security_groups() {
        each("security_group", [&](const toml::table& t, const std::string& path, std::size_t) {
            SecurityGroupSpec s;
            Tab r = top(t, "security_group", path, &s.pos);
            r.name("name", s.name);
            auto rules = r.tables("ingress");
            for (std::size_t i = 0; i < rules.size(); ++i) {
                Tab it = sub_item(r, *rules[i], "ingress", i);
                s.ingress.push_back(ingress_rule(it, s.name));
                it.done();
            }
            // No `egress` key: AWS's default rule (SecurityGroupSpec); `egress = []`: none.
            if (r.has("egress")) {
                s.egress.clear();
                auto out = r.tables("egress");
                for (std::size_t i = 0; i < out.size(); ++i) {
                    Tab it = sub_item(r, *out[i], "egress", i);
                    s.egress.push_back(ingress_rule(it, s.name, true));
                    it.done();
                }
            }
            read_tags(r, s.tags);
            r.done();
            spec.security_group.push_back(std::move(s));
        });
    }

    void nat_gateways() {
        each("nat_gateway", [&](const toml::table& t, const std::string& path, std::size_t) {
            NatGatewaySpec s;
            Tab r = top(t, "nat_gateway", path, &s.pos);
            r.name("name", s.name);
            r.str("subnet", s.subnet);
            read_tags(r, s.tags);
            r.done();
            spec.nat_gateway.push_back(std::move(s));
        });
    }

    void vpc_endpoints() {
        each("vpc_endpoint", [&](const toml::table& t, const std::string& path, std::size_t) {
            VpcEndpointSpec s;
            Tab r = top(t, "vpc_endpoint", path, &s.pos);
            r.name("name", s.name);
            r.enumeration("service_name", s.service_name, kEndpointService);
            r.enumeration("vpc_endpoint_type", s.vpc_endpoint_type, kEndpointType);
            r.strings("subnets", s.subnets);
            r.strings("security_groups", s.security_groups);
            r.boolean("private_dns_enabled", s.private_dns_enabled);
            read_tags(r, s.tags);
            r.done();
            spec.vpc_endpoint.push_back(std::move(s));
        });
    }

    void instances() {
        each("instance", [&](const toml::table& t, const std::string& path, std::size_t) {
            StandaloneInstanceSpec s;
            Tab r = top(t, "instance", path, &s.pos);
            r.name("name", s.name);
            r.str("availability_zone", s.availability_zone);
            r.str("launch_template", s.launch_template);
            r.str("instance_type", s.instance_type);
            r.number("ebs_gb", s.ebs_gb);
            instance_volumes(r, s.ebs_gb);
            r.boolean("associate_public_ip_address", s.associate_public_ip_address);
            r.boolean("source_dest_check", s.source_dest_check);
            r.str("subnet", s.subnet);
            r.strings("security_groups", s.security_groups);
            if (const toml::node* sched = r.get("schedule")) {
                const toml::array* a = sched->as_array();
                std::string form =
                    "expected an array of [time, state] pairs such as "
                    "[[\"0h\", \"running\"], [\"2h\", \"stopped\"]]";
                if (!a || a->empty()) {
                    c.error(*sched, r.key_path("schedule"),
                            fmt::format("{}, found {}", form, describe(*sched)));
                } else {
                    for (std::size_t i = 0; i < a->size(); ++i) {
                        const toml::node& e = *a->get(i);
                        std::string p = fmt::format("{}[{}]", r.key_path("schedule"), i);
                        const toml::array* pair = e.as_array();
                        if (!pair || pair->size() != 2) {
                            c.error(e, p, fmt::format("{}, found {}", form, describe(e)));
                            continue;
                        }
                        auto at = to_time_point(c, *pair->get(0), p + "[0]");
                        auto state = to_enum(c, *pair->get(1), p + "[1]", kScheduleState);
                        if (!at || !state) continue;
                        if (!s.schedule.empty() && *at <= s.schedule.back().first)
                            c.error(e, p,
                                    fmt::format("expected times in increasing order, found {} "
                                                "after {}",
                                                format_duration(*at),
                                                format_duration(s.schedule.back().first)));
                        s.schedule.emplace_back(*at, *state);
                    }
                }
            }
            read_tags(r, s.tags);
            r.done();
            spec.instance.push_back(std::move(s));
        });
    }

    void small_resources() {
        each("eip", [&](const toml::table& t, const std::string& path, std::size_t) {
            EipSpec s;
            Tab r = top(t, "eip", path, &s.pos);
            r.name("name", s.name);
            r.str("instance", s.instance);
            read_tags(r, s.tags);
            r.done();
            spec.eip.push_back(std::move(s));
        });
        each("ebs_volume", [&](const toml::table& t, const std::string& path, std::size_t) {
            EbsVolumeSpec s;
            Tab r = top(t, "ebs_volume", path, &s.pos);
            r.name("name", s.name);
            r.number("size_gb", s.size_gb);
            r.str("availability_zone", s.availability_zone);
            read_tags(r, s.tags);
            r.done();
            spec.ebs_volume.push_back(std::move(s));
        });
        each("ebs_snapshot", [&](const toml::table& t, const std::string& path, std::size_t) {
            EbsSnapshotSpec s;
            Tab r = top(t, "ebs_snapshot", path, &s.pos);
            r.name("name", s.name);
            r.number("size_gb", s.size_gb);
            read_tags(r, s.tags);
            r.done();
            spec.ebs_snapshot.push_back(std::move(s));
        });
    }

    // A bucket's requesters: who sends its GETs and PUTs, or the presigned URLs they go through.
    static void s3_requesters(Tab& r, S3BucketSpec& s) {
        r.str("get_requests_from", s.get_requests_from);
        r.str("put_requests_from", s.put_requests_from);
        r.str("presigned_by", s.presigned_by);
        r.integer("presigned_at", s.presigned_at);
        r.integer("presigned_expires_in", s.presigned_expires_in);
        r.str("presigned_put_by", s.presigned_put_by);
        r.integer("presigned_put_at", s.presigned_put_at);
        r.integer("presigned_put_expires_in", s.presigned_put_expires_in);
    }

    void s3() {
        each("s3_bucket", [&](const toml::table& t, const std::string& path, std::size_t) {
            S3BucketSpec s;
            Tab r = top(t, "s3_bucket", path, &s.pos);
            r.name("name", s.name);
            r.number("storage_gb", s.storage_gb);
            r.number("growth_gb_per_day", s.growth_gb_per_day);
            r.enumeration("storage_class", s.storage_class, kS3StorageClass);
            r.number("object_size_kb", s.object_size_kb);
            r.number("objects_per_day", s.objects_per_day);
            r.str("key_prefix", s.key_prefix);
            r.number("get_requests_per_day", s.get_requests_per_day);
            r.number("list_requests_per_day", s.list_requests_per_day);
            r.boolean("gets_from_internet", s.gets_from_internet);
            s3_requesters(r, s);
            r.number("multipart_part_size_mb", s.multipart_part_size_mb);
            r.choice("object_acl", s.object_acl);
            r.string_map("object_tags", s.object_tags);
            r.choice("versioning", s.versioning);
            r.number("overwrite_percent", s.overwrite_percent);
            r.integer("key_name_bytes", s.key_name_bytes);
            r.number("incomplete_upload_percent", s.incomplete_upload_percent);
            r.number("restore_requests_per_day", s.restore_requests_per_day);
            r.choice("restore_tier", s.restore_tier);
            r.integer("restore_days", s.restore_days);
            read_tags(r, s.tags);
            r.done();
            spec.s3_bucket.push_back(std::move(s));
        });
        each("s3_bucket_lifecycle_configuration",
             [&](const toml::table& t, const std::string& path, std::size_t) {
                 S3BucketLifecycleConfigurationSpec s;
                 Tab r = top(t, "s3_bucket_lifecycle_configuration", path, &s.pos);
                 r.str("bucket", s.bucket);
                 r.choice("transition_default_minimum_object_size",
                          s.transition_default_minimum_object_size);
                 const auto rules = r.tables("rule");
                 if (rules.empty()) r.missing("rule", r.has("rule") ? " (the list is empty)" : "");
                 for (std::size_t i = 0; i < rules.size(); ++i) {
                     Tab rt = sub_item(r, *rules[i], "rule", i);
                     s.rule.push_back(lifecycle_rule(rt));
                     rt.done();
                 }
                 r.done();
                 spec.s3_bucket_lifecycle_configuration.push_back(std::move(s));
             });
        each("s3_bucket_policy", [&](const toml::table& t, const std::string& path, std::size_t) {
            S3BucketPolicySpec s;
            Tab r = top(t, "s3_bucket_policy", path, &s.pos);
            r.str("bucket", s.bucket);
            policy_text(r, "policy", iam::PolicyKind::ResourceBased, s.policy, s.document);
            r.done();
            spec.s3_bucket_policy.push_back(std::move(s));
        });
        each("s3_bucket_acl", [&](const toml::table& t, const std::string& path, std::size_t) {
            S3BucketAclSpec s;
            Tab r = top(t, "s3_bucket_acl", path, &s.pos);
            r.str("bucket", s.bucket);
            r.choice("acl", s.acl);
            r.done();
            spec.s3_bucket_acl.push_back(std::move(s));
        });
        each("s3_bucket_public_access_block",
             [&](const toml::table& t, const std::string& path, std::size_t) {
                 S3BucketPublicAccessBlockSpec s;
                 Tab r = top(t, "s3_bucket_public_access_block", path, &s.pos);
                 r.str("bucket", s.bucket);
                 r.boolean("block_public_acls", s.block_public_acls);
                 r.boolean("block_public_policy", s.block_public_policy);
                 r.boolean("ignore_public_acls", s.ignore_public_acls);
                 r.boolean("restrict_public_buckets", s.restrict_public_buckets);
                 r.done();
                 spec.s3_bucket_public_access_block.push_back(std::move(s));
             });
        each("s3_bucket_ownership_controls",
             [&](const toml::table& t, const std::string& path, std::size_t) {
                 S3BucketOwnershipControlsSpec s;
                 Tab r = top(t, "s3_bucket_ownership_controls", path, &s.pos);
                 r.str("bucket", s.bucket);
                 if (const toml::table* rule = r.table("rule")) {
                     Tab rt = sub(r, *rule, "rule");
                     rt.choice("object_ownership", s.object_ownership);
                     rt.done();
                 } else {
                     r.missing("rule", " (rule = { object_ownership = \"BucketOwnerEnforced\" })");
                 }
                 r.done();
                 spec.s3_bucket_ownership_controls.push_back(std::move(s));
             });
    }

    // A rule's filter: its keys hold together; `and` (S3's way of giving several) stands
    // alone, as S3 wants.
    void lifecycle_filter(Tab& ft, const toml::table& f, S3LifecycleRuleSpec& rule) {
        ft.str("prefix", rule.prefix);
        ft.integer("object_size_greater_than", rule.object_size_greater_than);
        ft.integer("object_size_less_than", rule.object_size_less_than);
        if (const toml::table* t = ft.table("tag")) {
            Tab tt = sub(ft, *t, "tag");
            std::string key, value;
            tt.str("key", key);  // required: reported when missing
            tt.str("value", value);
            rule.tags[key] = value;
            tt.done();
        }
        const toml::table* both = ft.table("and");
        if (!both) return;
        if (f.size() > 1)
            ft.ctx().error(*ft.get("and"), ft.key_path("and"),
                           "`and` holds the filter's conditions: give prefix, tags and sizes "
                           "inside it, not beside it");
        Tab at = sub(ft, *both, "and");
        at.str("prefix", rule.prefix);
        at.string_map("tags", rule.tags);
        at.integer("object_size_greater_than", rule.object_size_greater_than);
        at.integer("object_size_less_than", rule.object_size_less_than);
        at.done();
    }

    // A rule's transitions (`key`: transition or noncurrent_version_transition), each aged by
    // `days_key` (days, or noncurrent_days since the version became noncurrent).
    std::vector<S3LifecycleTransitionSpec> lifecycle_transitions(Tab& r, const char* key,
                                                                 const char* days_key) {
        std::vector<S3LifecycleTransitionSpec> out;
        const auto items = r.tables(key);
        for (std::size_t i = 0; i < items.size(); ++i) {
            Tab tt = sub_item(r, *items[i], key, i);
            S3LifecycleTransitionSpec tr;
            tt.integer(days_key, tr.days);
            tt.enumeration("storage_class", tr.storage_class, kS3StorageClass);
            if (std::string(key) == "noncurrent_version_transition")
                tt.integer("newer_noncurrent_versions", tr.newer_noncurrent_versions);
            tt.done();
            out.push_back(tr);
        }
        return out;
    }
    // A rule's expiration (`key`: expiration or noncurrent_version_expiration) by `days_key`.
    // `newer`: noncurrent_version_expiration's newer_noncurrent_versions (else nullptr).
    // `markers`: expiration's expired_object_delete_marker (else nullptr).
    std::optional<int> lifecycle_expiration(Tab& r, const char* key, const char* days_key,
                                            int* newer = nullptr, bool* markers = nullptr) {
        const toml::table* e = r.table(key);
        if (!e) return std::nullopt;
        Tab et = sub(r, *e, key);
        int days = 0;
        const bool given = et.integer(days_key, days);
        if (newer) et.integer("newer_noncurrent_versions", *newer);
        if (markers) et.boolean("expired_object_delete_marker", *markers);
        et.done();
        return given ? std::optional<int>(days) : std::nullopt;
    }

    S3LifecycleRuleSpec lifecycle_rule(Tab& r) {
        S3LifecycleRuleSpec rule;
        r.str("id", rule.id);
        std::string status = "Enabled";
        r.choice("status", status);
        rule.enabled = status == "Enabled";
        if (const toml::table* f = r.table("filter")) {
            Tab ft = sub(r, *f, "filter");
            lifecycle_filter(ft, *f, rule);
            ft.done();
        }
        rule.transition = lifecycle_transitions(r, "transition", "days");
        rule.expiration_days = lifecycle_expiration(r, "expiration", "days", nullptr,
                                                    &rule.expired_object_delete_marker);
        if (const toml::table* a = r.table("abort_incomplete_multipart_upload")) {
            Tab at = sub(r, *a, "abort_incomplete_multipart_upload");
            int days = 0;
            if (at.integer("days_after_initiation", days)) rule.abort_incomplete_days = days;
            at.done();
        }
        rule.noncurrent_transition =
            lifecycle_transitions(r, "noncurrent_version_transition", "noncurrent_days");
        rule.noncurrent_expiration_days =
            lifecycle_expiration(r, "noncurrent_version_expiration", "noncurrent_days",
                                 &rule.noncurrent_expiration_newer);
        return rule;
    }

    // A policy document given as JSON text: read, then checked as IAM checks a new policy; an
    // error points at the key and names the element ("Statement[1].Effect: ...").
    void policy_text(Tab& r, const char* key, iam::PolicyKind kind, std::string& text,
                     iam::PolicyDocument& document) {
        if (!r.str(key, text)) return;
        try {
            document = iam::parse_policy(text, kind);
        } catch (const iam::PolicyError& e) {
            c.error(*r.get(key), r.key_path(key),
                    fmt::format("the policy document is refused: {}", e.what()));
        }
    }

    // [[iam_user_policy]], [[iam_group_policy]], [[iam_role_policy]].
    void inline_policies(const char* section, const char* owner_key,
                         std::vector<IamInlinePolicySpec>& out) {
        each(section, [&](const toml::table& t, const std::string& path, std::size_t) {
            IamInlinePolicySpec s;
            Tab r = top(t, section, path, &s.pos);
            r.str("name", s.name);
            r.str(owner_key, s.owner);
            policy_text(r, "policy", iam::PolicyKind::Identity, s.policy, s.document);
            r.done();
            out.push_back(std::move(s));
        });
    }

    // [[iam_user_policy_attachment]], [[iam_group_policy_attachment]],
    // [[iam_role_policy_attachment]].
    void attachments(const char* section, const char* owner_key,
                     std::vector<IamPolicyAttachmentSpec>& out) {
        each(section, [&](const toml::table& t, const std::string& path, std::size_t) {
            IamPolicyAttachmentSpec s;
            Tab r = top(t, section, path, &s.pos);
            r.str(owner_key, s.owner);
            r.str("policy_arn", s.policy_arn);
            r.done();
            out.push_back(std::move(s));
        });
    }

    // IAM users, groups, memberships, roles and instance profiles (docs/iam.md).
    void iam_identities() {
        each("iam_user", [&](const toml::table& t, const std::string& path, std::size_t) {
            IamUserSpec s;
            Tab r = top(t, "iam_user", path, &s.pos);
            r.name("name", s.name);
            r.str("permissions_boundary", s.permissions_boundary);
            r.str("account_id", s.account_id);
            r.str("unique_id", s.unique_id);
            read_tags(r, s.tags);
            r.done();
            spec.iam_user.push_back(std::move(s));
        });
        each("iam_group", [&](const toml::table& t, const std::string& path, std::size_t) {
            IamGroupSpec s;
            Tab r = top(t, "iam_group", path, &s.pos);
            r.name("name", s.name);
            r.done();
            spec.iam_group.push_back(std::move(s));
        });
        each("iam_group_membership",
             [&](const toml::table& t, const std::string& path, std::size_t) {
                 IamGroupMembershipSpec s;
                 Tab r = top(t, "iam_group_membership", path, &s.pos);
                 r.name("name", s.name);
                 r.str("group", s.group);
                 r.strings("users", s.users);
                 r.done();
                 spec.iam_group_membership.push_back(std::move(s));
             });
        each("iam_user_group_membership",
             [&](const toml::table& t, const std::string& path, std::size_t) {
                 IamUserGroupMembershipSpec s;
                 Tab r = top(t, "iam_user_group_membership", path, &s.pos);
                 r.str("user", s.user);
                 r.strings("groups", s.groups);
                 r.done();
                 spec.iam_user_group_membership.push_back(std::move(s));
             });
        each("iam_role", [&](const toml::table& t, const std::string& path, std::size_t) {
            IamRoleSpec s;
            Tab r = top(t, "iam_role", path, &s.pos);
            r.name("name", s.name);
            policy_text(r, "assume_role_policy", iam::PolicyKind::Trust, s.assume_role_policy,
                        s.trust_policy);
            r.str("permissions_boundary", s.permissions_boundary);
            r.str("account_id", s.account_id);
            r.str("path", s.path);
            r.str("unique_id", s.unique_id);
            r.strings("managed_policy_arns", s.managed_policy_arns);
            read_tags(r, s.tags);
            r.done();
            spec.iam_role.push_back(std::move(s));
        });
        each("iam_instance_profile",
             [&](const toml::table& t, const std::string& path, std::size_t) {
                 IamInstanceProfileSpec s;
                 Tab r = top(t, "iam_instance_profile", path, &s.pos);
                 r.name("name", s.name);
                 r.str("role", s.role);
                 r.done();
                 spec.iam_instance_profile.push_back(std::move(s));
             });
    }

    // Managed and inline policies, their attachments, and SCPs (docs/iam.md).
    void iam_policies() {
        each("iam_policy", [&](const toml::table& t, const std::string& path, std::size_t) {
            IamPolicySpec s;
            Tab r = top(t, "iam_policy", path, &s.pos);
            r.name("name", s.name);
            policy_text(r, "policy", iam::PolicyKind::Identity, s.policy, s.document);
            read_tags(r, s.tags);
            r.done();
            spec.iam_policy.push_back(std::move(s));
        });
        inline_policies("iam_user_policy", "user", spec.iam_user_policy);
        inline_policies("iam_group_policy", "group", spec.iam_group_policy);
        inline_policies("iam_role_policy", "role", spec.iam_role_policy);
        attachments("iam_user_policy_attachment", "user", spec.iam_user_policy_attachment);
        attachments("iam_group_policy_attachment", "group", spec.iam_group_policy_attachment);
        attachments("iam_role_policy_attachment", "role", spec.iam_role_policy_attachment);
        each("iam_policy_attachment",
             [&](const toml::table& t, const std::string& path, std::size_t) {
                 IamMultiPolicyAttachmentSpec s;
                 Tab r = top(t, "iam_policy_attachment", path, &s.pos);
                 r.name("name", s.name);
                 r.str("policy_arn", s.policy_arn);
                 r.strings("users", s.users);
                 r.strings("groups", s.groups);
                 r.strings("roles", s.roles);
                 r.done();
                 spec.iam_policy_attachment.push_back(std::move(s));
             });
        each("organizations_policy",
             [&](const toml::table& t, const std::string& path, std::size_t) {
                 OrganizationsPolicySpec s;
                 Tab r = top(t, "organizations_policy", path, &s.pos);
                 r.name("name", s.name);
                 r.choice("type", s.type);
                 policy_text(r, "content",
                             s.type == "RESOURCE_CONTROL_POLICY" ? iam::PolicyKind::ResourceControl
                                                                 : iam::PolicyKind::Identity,
                             s.content, s.document);
                 r.done();
                 spec.organizations_policy.push_back(std::move(s));
             });
        attachments_scp();
        organization();
    }
    void organization() {
        const toml::table* t = section("organizations_organization");
        if (!t) return;
        auto& s = spec.organizations_organization;
        s.present = true;
        Tab r = top(*t, "organizations_organization", "organizations_organization", &s.pos);
        r.str("id", s.id);
        r.str("master_account_id", s.master_account_id);
        r.strings("accounts", s.accounts);
        r.done();
    }
    void attachments_scp() {
        each("organizations_policy_attachment",
             [&](const toml::table& t, const std::string& path, std::size_t) {
                 OrganizationsPolicyAttachmentSpec s;
                 Tab r = top(t, "organizations_policy_attachment", path, &s.pos);
                 r.str("policy_id", s.policy_id);
                 r.str("target_id", s.target_id);
                 r.done();
                 spec.organizations_policy_attachment.push_back(std::move(s));
             });
    }

    void commitments() {
        each("reserved_instance", [&](const toml::table& t, const std::string& path, std::size_t) {
            ReservedInstanceSpec s;
            Tab r = top(t, "reserved_instance", path, &s.pos);
            r.name("name", s.name);
            r.str("instance_type", s.instance_type);
            r.str("availability_zone", s.availability_zone);
            r.integer("instance_count", s.instance_count);
            r.number("recurring_charge", s.recurring_charge);
            r.choice("offering_class", s.offering_class);
            r.choice("offering_type", s.offering_type);
            r.number("fixed_price", s.fixed_price);
            r.seconds("duration", s.duration);
            read_tags(r, s.tags);
            r.done();
            spec.reserved_instance.push_back(std::move(s));
        });
        each("reserved_db_instance",
             [&](const toml::table& t, const std::string& path, std::size_t) {
                 ReservedDbInstanceSpec s;
                 Tab r = top(t, "reserved_db_instance", path, &s.pos);
                 r.name("name", s.name);
                 r.str("db_instance_class", s.db_instance_class);
                 r.integer("instance_count", s.instance_count);
                 r.boolean("multi_az", s.multi_az);
                 r.choice("product_description", s.product_description);
                 r.number("recurring_charge", s.recurring_charge);
                 r.choice("offering_type", s.offering_type);
                 r.number("fixed_price", s.fixed_price);
                 r.seconds("duration", s.duration);
                 read_tags(r, s.tags);
                 r.done();
                 spec.reserved_db_instance.push_back(std::move(s));
             });
        each("savings_plan", [&](const toml::table& t, const std::string& path, std::size_t) {
            SavingsPlanSpec s;
            Tab r = top(t, "savings_plan", path, &s.pos);
            r.name("name", s.name);
            r.choice("savings_plan_type", s.savings_plan_type);
            r.number("commitment", s.commitment);
            r.str("instance_family", s.instance_family);
            r.number("discount", s.discount);
            r.number_map("rates", s.rates);
            r.choice("payment_option", s.payment_option);
            r.number("upfront_payment_amount", s.upfront_payment_amount);
            r.seconds("term_duration_in_seconds", s.term_duration_in_seconds);
            read_tags(r, s.tags);
            r.done();
            spec.savings_plan.push_back(std::move(s));
        });
    }

    void slo() {
        const toml::table* t = section("slo");
        if (!t) return;
        auto& s = spec.slo;
        s.present = true;
        Tab r = top(*t, "slo", "slo", &s.pos);
        r.duration("latency_p50", s.latency_p50);
        r.duration("latency_p90", s.latency_p90);
        r.duration("latency_p99", s.latency_p99);
        r.duration("latency_p999", s.latency_p999);
        r.number("availability", s.availability);
        r.number("error_rate", s.error_rate);
        // The window must be whole metrics periods: each window is then exactly its periods.
        const SimTime period = spec.simulation.metrics_period;
        if (r.duration("window", s.window) && period > 0 && *s.window % period != 0)
            c.diags.error(
                s.pos["window"], "slo.window",
                fmt::format("expected a multiple of simulation.metrics_period ({}), "
                            "found {}",
                            quote(format_duration(period)), quote(format_duration(*s.window))));
        r.number("budget", s.budget);
        r.done();
    }

    void actions() {
        each("action", [&](const toml::table& t, const std::string& path, std::size_t) {
            ActionSpec s;
            Tab r = top(t, "action", path, &s.pos);
            r.time_point("at", s.at);
            if (const toml::table* set = r.table("set")) {
                for (const auto& [k, v] : *set) {
                    // Stored canonical (an alias spelled out), so explain writes the canonical
                    // path; a path that does not parse stays as written for validate to report.
                    std::string key(k.str());
                    if (auto setting = parse_setting_path(key, nullptr)) key = setting->text();
                    s.pos["set." + key] = c.at(v);
                    std::string p = fmt::format("{}.set.\"{}\"", path, key);
                    if (auto b = v.as_boolean())
                        s.set.emplace_back(key, b->get());
                    else if (auto i = v.as_integer())
                        s.set.emplace_back(key, i->get());
                    else if (auto f = v.as_floating_point())
                        s.set.emplace_back(key, f->get());
                    else if (auto str = v.as_string())
                        s.set.emplace_back(key, str->get());
                    else
                        c.error(v, p,
                                fmt::format("expected a string, number or boolean, found {}",
                                            describe(v)));
                }
                if (set->empty())
                    c.error(*set, r.key_path("set"),
                            "expected at least one setting such as "
                            "{ \"autoscaling_group.web.desired_capacity\" = 4 }");
            } else if (!r.has("set")) {
                r.missing("set");
            }
            r.done();
            spec.action.push_back(std::move(s));
        });
    }

    // Terraform resource types a scenario writes another way (the resource without its aws_
    // prefix, as a section would be named): how to write each one.
    static const char* terraform_section_hint(const std::string& section) {
        static const std::pair<const char*, const char*> kHints[] = {
            {"route", kRouteHint},
            {"lb", "Terraform's aws_lb is a [[load_balancer]]"},
            {"alb", "Terraform's aws_alb is a [[load_balancer]]"},
            {"alb_target_group", "Terraform's aws_alb_target_group is a [[target_group]]"},
            {"lb_target_group", "Terraform's aws_lb_target_group is a [[target_group]]"},
            {"alb_listener", "Terraform's aws_alb_listener is an [[lb_listener]]"},
            {"launch_configuration",
             "write a launch configuration as a [[launch_template]] (`stratus import terraform` "
             "converts one)"},
            {"security_group_rule", kRuleHint},
            {"vpc_security_group_ingress_rule", kRuleHint},
            {"vpc_security_group_egress_rule", kRuleHint},
            {"db_subnet_group",
             "a DB subnet group is written as the `subnets` of its [[db_instance]]"},
            {"autoscaling_attachment",
             "a group's target groups are its `target_group_arns` (or `target_groups`)"},
        };
        for (const auto& [name, how] : kHints)
            if (section == name) return how;
        return nullptr;
    }
    static constexpr const char* kRouteHint =
        "write a route as a `route` table of its [[route_table]] (cidr_block, gateway_id, "
        "nat_gateway_id, instance_id); `stratus import terraform` converts aws_route";
    static constexpr const char* kRuleHint =
        "write a rule as an `ingress` or `egress` table of its [[security_group]] (from_port, "
        "to_port, protocol, cidr_blocks, security_groups); `stratus import terraform` converts "
        "rules";

    // Keys outside any section: a section's name, or a key written before any header.
    void top_level_keys() {
        std::vector<std::string> names;
        for (const auto& s : sections())
            if (s.kind != SectionKind::Value) names.emplace_back(s.name);
        for (const auto& [k, v] : root) {
            std::string key(k.str());
            if (std::find(names.begin(), names.end(), key) != names.end()) continue;
            std::string message;
            if (v.is_table() || v.is_array_of_tables()) {
                message = fmt::format("unknown section [{}]", shortened(key));
                std::string hint = c.diags.full() ? "" : closest(key, names);
                if (const char* how = terraform_section_hint(key))
                    message += fmt::format("; {}", how);
                else if (!hint.empty())
                    message += fmt::format("; did you mean [{}]?", hint);
            } else {
                message = fmt::format("unknown top-level key `{}`", shortened(key));
                std::string hint;
                for (const auto& s : sections()) {
                    const KeyDef* row = table_of(s).find(key);
                    if (hint.empty() && s.kind != SectionKind::Value && row && row->in_file())
                        hint = fmt::format(
                            "`{}` is a key of [{}]: put it under the section "
                            "header",
                            key, s.name);
                }
                if (hint.empty() && !c.diags.full()) hint = did_you_mean(key, names);
                if (!hint.empty()) message += "; " + hint;
            }
            SourcePos pos = k.source().begin.line > 0 ? c.at(k.source()) : c.at(v);
            c.diags.error(pos, shortened(key), message);
        }
    }

    void run() {
        simulation();
        region();
        pricing();
        instance_types();
        launch_templates();
        load_balancers();
        lb_listeners();
        target_groups();
        autoscaling_groups();
        autoscaling_policies();
        alarms();
        schedules();
        workloads();
        db_instances();
        ecs();
        ecs_capacity_providers();
        appautoscaling();
        faults();
        spot();
        capacity_pools();
        vpc();
        subnets();
        security_groups();
        nat_gateways();
        vpc_endpoints();
        instances();
        route_tables();
        small_resources();
        s3();
        iam_policies();
        iam_identities();
        commitments();
        slo();
        actions();
        top_level_keys();
    }
};

// ---------------------------------------------------------------------------------------------
// Input checks before TOML parsing

// Binary files, NUL bytes and invalid UTF-8 get a clear message instead of a parser's guess.
bool check_text(Ctx& c, std::string_view text) {
    int line = 1, column = 1;
    std::size_t i = 0;
    while (i < text.size()) {
        auto b = static_cast<unsigned char>(text[i]);
        std::size_t len = b < 0x80           ? 1
                          : (b >> 5) == 0x6  ? 2
                          : (b >> 4) == 0xE  ? 3
                          : (b >> 3) == 0x1E ? 4
                                             : 0;
        bool ok = len > 0 && i + len <= text.size();
        for (std::size_t k = 1; ok && k < len; ++k)
            ok = (static_cast<unsigned char>(text[i + k]) >> 6) == 0x2;
        if (ok && len == 2 && b < 0xC2) ok = false;  // overlong
        if (b == 0) {
            c.diags.error(SourcePos{c.file, line, column}, "",
                          "not a text TOML file: it contains a NUL byte (binary data?)");
            return false;
        }
        if (!ok) {
            c.diags.error(SourcePos{c.file, line, column}, "",
                          fmt::format("not a text TOML file: invalid UTF-8 byte 0x{:02X} "
                                      "(binary data, or a file saved in another encoding?)",
                                      b));
            return false;
        }
        if (b == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
        i += len;
    }
    return true;
}

Spec load(std::string_view text, const std::string& file_name,
          const std::vector<std::string>& overrides, const std::string& base_dir,
          std::vector<Diagnostic>* warnings) {
    Ctx c;
    c.file = file_name;
    c.base_dir = base_dir.empty() ? "." : base_dir;
    Spec spec;
    spec.source_file = file_name;
    spec.base_dir = c.base_dir;
    spec.simulation.name = std::filesystem::path(file_name).stem().string();

    auto finish = [&]() {
        c.diags.sort();
        if (warnings) *warnings = c.diags.warnings();
        if (c.diags.has_errors()) throw ScenarioError(std::move(c.diags.errors()));
    };

    if (!check_text(c, text)) finish();
    toml::table root;
    try {
        root = toml::parse(text, file_name);
    } catch (const toml::parse_error& e) {
        const auto& r = e.source();
        const int line = static_cast<int>(r.begin.line), column = static_cast<int>(r.begin.column);
        TomlSyntaxError error =
            describe_toml_syntax_error(text, line, column, std::string(e.description()));
        c.diags.error(SourcePos{file_name, line, column}, error.key, std::move(error.message));
        finish();
    }
    for (const auto& o : overrides)
        apply_override(c, root, o);
    Loader loader{c, root, spec};
    loader.run();
    // Cross-key checks run even when some values were bad, so one run reports everything;
    // but a resource that already has an error is not judged again on defaults that stood in
    // for its bad values. A reference (`load_balancer = "nope"`) stands on its own value: it
    // is reported whatever else its resource got wrong, unless a name was bad (it may be the
    // one referred to).
    std::set<std::string> broken, bad_keys;
    bool bad_name = false;
    for (const auto& d : c.diags.errors()) {
        broken.insert(d.key_path.substr(0, d.key_path.find('.')));
        bad_keys.insert(d.key_path);
        const KeyDef* row = find_key_of_path(d.key_path);
        if (row && row->type == KeyType::Name) bad_name = true;
    }
    auto stands_alone = [&](const Diagnostic& d) {
        if (bad_name || bad_keys.count(d.key_path)) return false;
        const KeyDef* row = find_key_of_path(d.key_path);
        return row && (row->type == KeyType::Reference || row->type == KeyType::References);
    };
    Diagnostics checks;
    validate(spec, checks);
    for (auto& d : checks.errors())
        if (!broken.count(d.key_path.substr(0, d.key_path.find('.'))) || stands_alone(d))
            c.diags.error(std::move(d.pos), std::move(d.key_path), std::move(d.message));
    if (!c.diags.has_errors())
        for (auto& d : checks.warnings())
            c.diags.warning(std::move(d.pos), std::move(d.key_path), std::move(d.message));
    finish();
    std::stable_sort(c.not_modelled.begin(), c.not_modelled.end(),
                     [](const NotModelledKey& a, const NotModelledKey& b) {
                         return a.pos.line < b.pos.line ||
                                (a.pos.line == b.pos.line && a.pos.column < b.pos.column);
                     });
    spec.not_modelled = std::move(c.not_modelled);
    return spec;
}

}  // namespace

Spec load_text(std::string_view text, const std::string& file_name,
               const std::vector<std::string>& overrides, const std::string& base_dir,
               std::vector<Diagnostic>* warnings) {
    return load(text, file_name, overrides, base_dir, warnings);
}

std::string read_scenario_text(const std::string& path) {
    try {
        return files::read_regular_file(path, kMaxScenarioBytes, "scenario files");
    } catch (const files::FileError& e) {
        throw ScenarioError({Diagnostic{Severity::Error, SourcePos{path, 0, 0}, "",
                                        "cannot read the scenario: " + e.reason()}});
    }
}

std::string scenario_base_dir(const std::string& path) {
    std::string base = std::filesystem::path(path).parent_path().string();
    return base.empty() ? "." : base;
}

Spec load_file(const std::string& path, const std::vector<std::string>& overrides,
               std::vector<Diagnostic>* warnings) {
    return load(read_scenario_text(path), path, overrides, scenario_base_dir(path), warnings);
}

namespace detail {

// A TOML basic string holding `s` exactly (quotes, backslashes and control characters escaped).
std::string toml_basic_string(std::string_view s) {
    std::string out = "\"";
    for (char ch : s) {
        auto u = static_cast<unsigned char>(ch);
        if (ch == '"' || ch == '\\') {
            out += '\\';
            out += ch;
        } else if (u < 0x20 || u == 0x7F) {
            out += fmt::format("\\u{:04X}", u);
        } else {
            out += ch;
        }
    }
    return out + "\"";
}

}  // namespace detail

}  // namespace stratus::scenario
