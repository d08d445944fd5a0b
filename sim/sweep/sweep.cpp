#include "sim/sweep/sweep.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <iostream>

#include <fmt/format.h>

#include "sim/core/files.hpp"
#include "sim/sweep/csv.hpp"
#include "sim/sweep/manifest.hpp"
#include "sim/sweep/progress.hpp"
#include "sim/sweep/report.hpp"
#include "sim/sweep/results.hpp"

namespace stratus::sweep {

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

void print_diagnostics(const std::vector<scenario::Diagnostic>& diagnostics) {
    for (const auto& d : diagnostics)
        std::cerr << d.format() << '\n';
}

// The rows of an existing file must be this sweep's: same header, and each row's point,
// replication, varied values and seed as this plan has them.
void check_existing(const Plan& plan, const Results& existing, const std::string& path) {
    if (existing.header != plan.header())
        throw UsageError(fmt::format(
            "--resume: {} has other columns than this sweep writes (another scenario, grid "
            "or version?); nothing was written",
            path));
    const std::uint64_t reps = plan.replications();
    for (const auto& [key, row] : existing.rows) {
        if (key.first >= plan.point_count() || key.second >= reps)
            throw UsageError(
                fmt::format("--resume: {}:{}: point {} replication {} is not in this "
                            "sweep ({} points x {} replications)",
                            path, row.line, key.first, key.second, plan.point_count(), reps));
        const std::uint64_t run = key.first * reps + key.second;
        if (!plan.in_shard(run))
            throw UsageError(
                fmt::format("--resume: {}:{}: run {} belongs to another shard than "
                            "{}/{}",
                            path, row.line, run, plan.shard().index, plan.shard().count));
        const auto expected = plan.key_cells(run);
        for (std::size_t i = 0; i < expected.size(); ++i)
            if (row.fields[i] != expected[i])
                throw UsageError(fmt::format(
                    "--resume: {}:{}: {} is `{}` where this sweep has `{}` (another sweep's "
                    "file?); nothing was written",
                    path, row.line, plan.header()[i], row.fields[i], expected[i]));
    }
}

// The per-point table for the terminal; its CSV (--stats-out) is staged in `files` so that it
// is replaced together with the results it is derived from.
std::string report_results(const Results& results, const std::vector<ParetoAxis>& pareto,
                           const AnswerOptions& answer, const std::string& stats_out,
                           files::FileSet& files) {
    if (results.rows.empty()) return "";
    const auto rep = make_report(results, default_figures(results.header), pareto, answer);
    if (!stats_out.empty()) files.stage(stats_out, report_csv(rep));
    return report_table(rep);
}

// An output the command would write must be a regular file or not exist yet, whatever --force
// says: never a device, a FIFO, a folder or a symbolic link (docs/hardening.md).
void check_writable(const std::string& what, const std::string& path) {
    if (const std::string problem = files::replace_problem(path); !problem.empty())
        throw UsageError(fmt::format("{} {}: {}; nothing was written", what, path, problem));
}

bool exists_no_follow(const std::string& path) {
    struct stat st;
    return ::lstat(path.c_str(), &st) == 0;
}

// The options that contradict each other or are missing, before anything is read.
void check_options(const SweepOptions& o) {
    if (o.out.empty()) throw UsageError("sweep: --out RESULTS.csv is required");
    if (o.resume && o.force)
        throw UsageError("sweep: --resume keeps the file's rows, --force replaces them: pick one");
    if (o.jobs < 1) throw UsageError("sweep: -j expects a number of workers >= 1");
}

// --baseline names one of the plan's points: checked before anything runs (the points'
// values are known from the plan), so that a typo costs no runs.
void check_baseline(const Plan& plan, const AnswerOptions& answer) {
    SweepReport points;
    points.paths = plan.paths();
    for (std::uint64_t p = 0; p < plan.point_count(); ++p) {
        const auto cells = plan.key_cells(p * plan.replications());
        PointSummary ps;
        ps.point = p;
        ps.labels.assign(cells.begin() + 2, cells.end() - 1);
        points.points.push_back(std::move(ps));
    }
    find_point(points, answer.baseline);
}

// The outputs may be written: regular files or none, an existing one only with --resume or
// --force. Returns whether --out exists.
bool check_outputs(const SweepOptions& o) {
    check_writable("sweep: --out", o.out);
    check_writable("sweep: the manifest", manifest_path(o.out));
    if (!o.stats_out.empty()) check_writable("sweep: --stats-out", o.stats_out);
    const bool exists = exists_no_follow(o.out);
    if (exists && !o.resume && !o.force)
        throw UsageError(fmt::format(
            "sweep: {} exists; nothing was written. Pass --resume to keep its rows and run the "
            "rest, or --force to replace it",
            o.out));
    // The per-point table is derived from the results: --resume may refresh it.
    if (!o.stats_out.empty() && exists_no_follow(o.stats_out) && !o.resume && !o.force)
        throw UsageError(
            fmt::format("sweep: --stats-out {} exists; nothing was written (--force "
                        "replaces it)",
                        o.stats_out));
    return exists;
}

// --resume: the rows already in the file, once checked to be this sweep's, into `results`.
// Returns the line of a last row cut short (the interruption), or 0.
int keep_existing_rows(const Plan& plan, const std::string& path, Results& results) {
    Results existing = read_results(path);
    if (existing.header.empty()) return 0;
    check_existing(plan, existing, path);
    results.rows = std::move(existing.rows);
    return existing.incomplete_line;
}

// --resume: the manifest says which sweep (the scenario text and the --set values every run
// had): a file of another sweep, or of another shard, is not resumed.
void check_same_sweep(const std::string& out, const SweepManifest& manifest) {
    const auto before = read_manifest(out);
    if (!before) return;
    std::string what = other_sweep(*before, manifest);
    if (what.empty() && before->shard.index != manifest.shard.index)
        what = fmt::format("the shard ({}/{} against {}/{})", before->shard.index,
                           before->shard.count, manifest.shard.index, manifest.shard.count);
    if (!what.empty())
        throw UsageError(
            fmt::format("--resume: {} is another sweep's file: {} changed since it was written "
                        "({}); nothing was written. Resume with the same command line, or pass "
                        "--force to start again",
                        out, what, manifest_path(out)));
}

// Before the first run: the results file and its manifest, replaced together (both or
// neither). A resumed file keeps its complete rows; one with a last line cut short is first
// rewritten, atomically, without it, so that no cut line can later pass for a finished row.
void start_files(const SweepOptions& o, const Plan& plan, const Results& results, bool resumed,
                 int resumed_cut_line, const SweepManifest& manifest) {
    files::FileSet start;
    if (resumed && !results.rows.empty()) {
        if (resumed_cut_line) start.stage(o.out, results_text(results));
    } else {
        start.stage(o.out, csv_line(plan.header()));
    }
    start.stage(manifest_path(o.out), manifest.json());
    start.commit();
}

// Runs `todo`, appending each row to the file as its run finishes (and keeping it for the
// sorted file and the report). Returns the exit status: a failed run leaves the rows
// finished so far in the file for --resume.
int run_appending(const SweepOptions& o, const Plan& plan, const std::vector<std::uint64_t>& todo,
                  Executor& executor, Results& results) {
    files::AppendFile file(o.out);
    const std::uint64_t already = plan.shard_runs().size() - todo.size();
    if (!o.quiet && already > 0)
        std::cerr << fmt::format("sweep: {} of {} runs already in {}, running the other {}\n",
                                 already, plan.shard_runs().size(), o.out, todo.size());
    Progress progress(todo.size(), already, !o.quiet);
    int status = kExitOk;
    try {
        executor.execute(plan, todo, [&](std::uint64_t run, const std::string& line) {
            file.append(line);
            // Kept for the final sorted file and the report (which reads the fields).
            int incomplete = 0;
            auto records = parse_csv(line, &incomplete);
            results.rows.emplace(
                RunKey{run / plan.replications(), run % plan.replications()},
                ResultRow{records.empty() ? std::vector<std::string>{} : records[0].fields, line,
                          0});
            progress.tick();
        });
    } catch (const scenario::ScenarioError& e) {
        print_diagnostics(e.diagnostics());
        status = kExitFailure;
    } catch (const files::FileError& e) {
        std::cerr << "stratus: sweep: " << e.what() << '\n';
        status = kExitFailure;
    } catch (const std::exception& e) {
        std::cerr << "stratus: sweep: a run failed: " << e.what() << '\n';
        status = kExitFailure;
    }
    progress.finish();
    file.close();
    if (status != kExitOk)
        std::cerr << fmt::format(
            "stratus: sweep: {} of {} runs are in {}; --resume runs the rest\n",
            results.rows.size(), plan.shard_runs().size(), o.out);
    return status;
}

// The final file: sorted by point and replication, whatever order the runs finished in,
// and the per-point statistics derived from it, replaced together; then the summary.
void finish_files(const SweepOptions& o, const Plan& plan, const Results& results,
                  const std::vector<ParetoAxis>& pareto) {
    files::FileSet final_files;
    final_files.stage(o.out, results_text(results));
    const std::string table = report_results(results, pareto, o.answer, o.stats_out, final_files);
    final_files.commit();
    if (!o.quiet)
        std::cerr << fmt::format(
            "sweep: {} rows ({} points x {} replications{}) in {}\n", results.rows.size(),
            plan.point_count(), plan.replications(),
            plan.shard().count > 1
                ? fmt::format(", shard {}/{}", plan.shard().index, plan.shard().count)
                : "",
            o.out);
    if (!o.quiet) std::cout << table;
}

int sweep(const SweepOptions& o, Executor& executor) {
    check_options(o);
    const Plan plan = Plan::make(o.plan);
    print_diagnostics(plan.warnings());
    std::vector<ParetoAxis> pareto;
    if (!o.pareto.empty()) pareto = parse_pareto(o.pareto, plan.header());
    if (!o.answer.baseline.empty()) check_baseline(plan, o.answer);

    const bool exists = check_outputs(o);
    const bool resumed = exists && o.resume;
    Results results;
    results.header = plan.header();
    const int resumed_cut_line = resumed ? keep_existing_rows(plan, o.out, results) : 0;
    // The rows say which runs they are (checked first: the message names the row); the
    // manifest says which sweep.
    const SweepManifest manifest = manifest_of(plan, o.plan);
    if (resumed) check_same_sweep(o.out, manifest);
    std::vector<std::uint64_t> todo;
    for (auto run : plan.shard_runs())
        if (!results.rows.count({run / plan.replications(), run % plan.replications()}))
            todo.push_back(run);

    // Stream: each row is appended as its run finishes; an existing file is only appended to
    // and complete rows are never removed.
    start_files(o, plan, results, resumed, resumed_cut_line, manifest);
    if (!o.quiet && resumed_cut_line)
        std::cerr << fmt::format(
            "sweep: {}:{}: a line cut short is dropped; its run is done again\n", o.out,
            resumed_cut_line);
    if (const int status = run_appending(o, plan, todo, executor, results); status != kExitOk)
        return status;
    finish_files(o, plan, results, pareto);
    return kExitOk;
}

}  // namespace

int run_sweep(const SweepOptions& options, Executor& executor) {
    try {
        return sweep(options, executor);
    } catch (const scenario::ScenarioError& e) {
        print_diagnostics(e.diagnostics());
        std::cerr << "stratus: sweep: nothing was run or written\n";
        return kExitUsage;
    } catch (const UsageError& e) {
        std::cerr << "stratus: " << e.what() << '\n';
        return kExitUsage;
    }
}

int run_merge(const MergeOptions& o) {
    try {
        check_writable("merge:", o.out);
        check_writable("merge: the manifest", manifest_path(o.out));
        if (!o.stats_out.empty()) check_writable("merge: --stats-out", o.stats_out);
        if (exists_no_follow(o.out) && !o.force)
            throw UsageError(fmt::format(
                "merge: {} exists; nothing was written (pass --force to replace it)", o.out));
        if (!o.stats_out.empty() && exists_no_follow(o.stats_out) && !o.force)
            throw UsageError(fmt::format(
                "merge: --stats-out {} exists; nothing was written (--force replaces it)",
                o.stats_out));
        const MergedShards merged = merge_shards(o.shards);
        std::vector<ParetoAxis> pareto;
        if (!o.pareto.empty()) pareto = parse_pareto(o.pareto, merged.results.header);
        // The results, their manifest (or none: a stale one is removed) and the statistics
        // are replaced together.
        files::FileSet set;
        set.stage(o.out, results_text(merged.results));
        if (merged.manifest)
            set.stage(manifest_path(o.out), merged.manifest->json());
        else if (exists_no_follow(manifest_path(o.out)))
            set.stage_removal(manifest_path(o.out));
        const std::string table =
            report_results(merged.results, pareto, o.answer, o.stats_out, set);
        set.commit();
        if (!o.quiet) std::cerr << merged.summary(o.out) << '\n' << table;
        return kExitOk;
    } catch (const UsageError& e) {
        std::cerr << "stratus: " << e.what() << '\n';
        return kExitUsage;
    }
}

}  // namespace stratus::sweep
