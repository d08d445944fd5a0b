#include "sim/sweep/plan.hpp"

#include <map>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "sim/cloud/network.hpp"
#include "sim/cloud/run_limits.hpp"
#include "sim/cloud/world.hpp"
#include "sim/report/outputs.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/sweep/csv.hpp"

namespace stratus::sweep {

using scenario::Diagnostic;
using scenario::ScenarioError;
using scenario::Severity;
using scenario::SourcePos;

namespace {

constexpr std::size_t kMaxReportedErrors = 20;

const std::set<std::string>& left_out() {
    static const std::set<std::string> keys = {"scenario",
                                               "seed",
                                               "fidelity",
                                               "region",
                                               "cost_usd.price_list",
                                               "cost_usd.by_tag",
                                               "kernel.wall_s",
                                               "kernel.events_per_s",
                                               "start_time",
                                               "description"};
    return keys;
}

void flatten(const nlohmann::ordered_json& j, const std::string& prefix,
             std::vector<std::pair<std::string, std::string>>& out) {
    if (left_out().count(prefix)) return;
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it)
            flatten(it.value(), prefix.empty() ? it.key() : prefix + "." + it.key(), out);
        return;
    }
    std::string cell;
    if (j.is_null()) {
        cell = "";
    } else if (j.is_string()) {
        cell = j.get<std::string>();
    } else if (j.is_boolean()) {
        cell = j.get<bool>() ? "true" : "false";
    } else {
        cell = j.dump();  // numbers: integers as written, doubles in their shortest exact form
    }
    out.emplace_back(prefix, std::move(cell));
}

// The --set values of a point: the user's, then the point's value of each varied path.
std::vector<std::string> point_overrides(const std::vector<std::string>& sets, const Design& design,
                                         const std::vector<std::string>& paths,
                                         std::uint64_t point) {
    std::vector<std::string> out = sets;
    const auto values = design.point(point);
    for (std::size_t j = 0; j < values.size(); ++j)
        out.push_back(paths[j] + "=" + values[j].text);
    return out;
}

void check_paths_unique(const std::vector<std::string>& paths) {
    std::set<std::string> seen;
    for (const auto& path : paths)
        if (!seen.insert(path).second)
            throw ScenarioError({Diagnostic{Severity::Error, SourcePos{"--grid " + path, 0, 0},
                                            path, "this path is varied twice in the sweep"}});
}

// --replications, else the design file's, else 1.
std::uint64_t replications_of(const PlanInput& in, const Design& design) {
    if (in.replications < 0 || static_cast<std::uint64_t>(in.replications) > kMaxReplications)
        throw UsageError(
            fmt::format("--replications: expected an integer from 1 to {}", kMaxReplications));
    return static_cast<std::uint64_t>(in.replications > 0
                                          ? in.replications
                                          : (design.replications > 0 ? design.replications : 1));
}

void check_run_count(std::uint64_t points, std::uint64_t replications) {
    if (points == 0) throw UsageError("the sweep has no point (an axis without values?)");
    if (points > kMaxRuns / replications)
        throw UsageError(fmt::format(
            "the sweep has {} points x {} replications: more than {} runs (docs/hardening.md)",
            points, replications, kMaxRuns));
}

// What loading a point of the sweep needs.
struct PointLoader {
    const std::string& text;
    const std::string& file;
    const std::string& base_dir;
    const std::vector<std::string>& sets;
    const Design& design;
    const std::vector<std::string>& paths;
};

// The errors of the sweep's points, each reported once (a bad value repeats at many points)
// with the first point where it happens.
class PointErrors {
  public:
    explicit PointErrors(const std::vector<std::string>& paths) : paths_(paths) {}
    void report(Diagnostic d, std::uint64_t point, const std::vector<Value>& values) {
        // An override's error names the --set it was given as: name the sweep's value instead.
        for (std::size_t j = 0; j < values.size(); ++j)
            if (d.pos.file == scenario::override_origin(paths_[j] + "=" + values[j].text))
                d.pos = values[j].pos;
        const std::string id = d.format();
        if (!seen_.insert(id).second) return;
        if (!values.empty()) {
            std::string where;
            for (std::size_t j = 0; j < values.size(); ++j)
                where += (j ? ", " : "") + paths_[j] + "=" + values[j].label;
            d.message += fmt::format(" (sweep point {}: {})", point, where);
        }
        errors_.push_back(std::move(d));
    }
    bool full() const { return errors_.size() >= kMaxReportedErrors; }
    // Throws the errors reported, if any.
    void throw_any() {
        if (!errors_.empty()) throw ScenarioError(std::move(errors_));
    }

  private:
    const std::vector<std::string>& paths_;
    std::vector<Diagnostic> errors_;
    std::set<std::string> seen_;
};

// Every point must load, validate and be runnable; the keys of its summary (an unrun World
// has them all) give the result columns, in the order they first appear.
std::vector<std::string> check_points(const PointLoader& in) {
    PointErrors errors(in.paths);
    std::vector<std::string> columns;
    std::set<std::string> column_set;
    const std::uint64_t count = in.design.point_count();
    for (std::uint64_t point = 0; point < count && !errors.full(); ++point) {
        const auto values = in.design.point(point);
        scenario::Spec spec;
        try {
            spec = scenario::load_text(in.text, in.file,
                                       point_overrides(in.sets, in.design, in.paths, point),
                                       in.base_dir);
        } catch (const ScenarioError& e) {
            for (const auto& d : e.diagnostics())
                errors.report(d, point, values);
            continue;
        }
        bool ok = true;
        for (auto& d : scenario::unsupported_features(spec)) {
            errors.report(std::move(d), point, values);
            ok = false;
        }
        for (auto& d : cloud::check_run_limits(spec)) {
            errors.report(std::move(d), point, values);
            ok = false;
        }
        if (!ok) continue;
        const report::Run unrun(spec);
        for (const auto& [k, v] : flatten_summary(report::make_summary(unrun)))
            if (column_set.insert(k).second) columns.push_back(k);
    }
    errors.throw_any();
    return columns;
}

// point, replication, the varied paths, seed, then the figures.
std::vector<std::string> header_of(const std::vector<std::string>& paths,
                                   const std::vector<std::string>& figures) {
    std::vector<std::string> header = {"point", "replication"};
    header.insert(header.end(), paths.begin(), paths.end());
    header.push_back("seed");
    for (const auto& f : figures) {
        if (std::find(header.begin(), header.end(), f) != header.end())
            throw UsageError(fmt::format("a varied path is named like a result column: {}", f));
        header.push_back(f);
    }
    return header;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> flatten_summary(const nlohmann::ordered_json& s) {
    std::vector<std::pair<std::string, std::string>> out;
    flatten(s, "", out);
    return out;
}

Shard parse_shard(const std::string& text) {
    static const std::regex form("^([0-9]{1,9})/([0-9]{1,9})$");
    std::smatch m;
    Shard s;
    if (!std::regex_match(text, m, form) ||
        (s.index = std::stoull(m[1]), s.count = std::stoull(m[2]), s.count == 0) || s.index < 1 ||
        s.index > s.count)
        throw UsageError(fmt::format(
            "--shard {}: expected K/N with 1 <= K <= N, such as 3/8 (the third of eight)", text));
    return s;
}

std::vector<std::uint64_t> Plan::shard_runs() const {
    std::vector<std::uint64_t> out;
    for (std::uint64_t i = shard_.index - 1; i < run_count(); i += shard_.count)
        out.push_back(i);
    return out;
}

std::vector<std::string> Plan::overrides(std::uint64_t point) const {
    return point_overrides(sets_, design_, paths_, point);
}

std::vector<std::string> Plan::key_cells(std::uint64_t run) const {
    const std::uint64_t point = run / replications_, rep = run % replications_;
    std::vector<std::string> cells = {std::to_string(point), std::to_string(rep)};
    for (const auto& v : design_.point(point))
        cells.push_back(v.label);
    cells.push_back(std::to_string(seed(rep)));
    return cells;
}

std::string Plan::run_row(std::uint64_t run) const {
    const std::uint64_t point = run / replications_, rep = run % replications_;
    auto sets = overrides(point);
    sets.push_back(fmt::format("simulation.seed={}", seed(rep)));
    const auto spec = scenario::load_text(text_, file_, sets, base_dir_);
    report::Run recorded(spec);
    recorded.world().run();
    // Without wall-clock figures: they would make rows differ between reruns.
    const auto flat = flatten_summary(report::make_summary(recorded));
    std::map<std::string, const std::string*> by_key;
    for (const auto& [k, v] : flat)
        by_key[k] = &v;
    auto cells = key_cells(run);
    for (const auto& f : figures_) {
        auto it = by_key.find(f);
        cells.push_back(it == by_key.end() ? std::string() : *it->second);
    }
    return csv_line(cells);
}

Plan Plan::make(const PlanInput& in) {
    Plan p;
    p.file_ = in.scenario_file;
    p.text_ = scenario::read_scenario_text(in.scenario_file);
    p.base_dir_ = scenario::scenario_base_dir(in.scenario_file);
    p.sets_ = in.sets;
    // --fidelity is simulation.fidelity for every run, like `run --fidelity` (and recorded
    // in the manifest with the --set values: a resume must use the same).
    if (!in.fidelity.empty()) p.sets_.push_back("simulation.fidelity=" + in.fidelity);
    if (!in.shard.empty()) p.shard_ = parse_shard(in.shard);

    // The scenario with the user's --set: it must load on its own, and gives the base seed.
    const auto base_spec =
        scenario::load_text(p.text_, p.file_, p.sets_, p.base_dir_, &p.warnings_);
    p.base_seed_ = base_spec.simulation.seed;
    for (auto& w : cloud::closed_flow_warnings(base_spec))
        p.warnings_.push_back(std::move(w));

    if (!in.design_file.empty()) p.design_ = load_design_file(in.design_file);
    for (const auto& g : in.grids)
        p.design_.factors.push_back(parse_grid(g));
    p.paths_ = p.design_.paths();
    check_paths_unique(p.paths_);
    p.replications_ = replications_of(in, p.design_);
    p.points_ = p.design_.point_count();
    check_run_count(p.points_, p.replications_);

    const PointLoader points{p.text_, p.file_, p.base_dir_, p.sets_, p.design_, p.paths_};
    p.figures_ = check_points(points);
    p.header_ = header_of(p.paths_, p.figures_);
    return p;
}

}  // namespace stratus::sweep
