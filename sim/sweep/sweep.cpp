#include "sim/sweep/sweep.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "sim/report/outputs.hpp"
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

void print_report(const Results& results, const std::vector<ParetoAxis>& pareto,
                  const std::string& stats_out, bool quiet) {
    if (results.rows.empty()) return;
    const auto rep = make_report(results, default_figures(results.header), pareto);
    if (!quiet) std::cout << report_table(rep);
    if (!stats_out.empty()) report::write_file_atomically(stats_out, report_csv(rep));
}

int sweep(const SweepOptions& o, Executor& executor) {
    if (o.out.empty()) throw UsageError("sweep: --out RESULTS.csv is required");
    if (o.resume && o.force)
        throw UsageError("sweep: --resume keeps the file's rows, --force replaces them: pick one");
    if (o.jobs < 1) throw UsageError("sweep: -j expects a number of workers >= 1");
    const Plan plan = Plan::make(o.plan);
    print_diagnostics(plan.warnings());
    std::vector<ParetoAxis> pareto;
    if (!o.pareto.empty()) pareto = parse_pareto(o.pareto, plan.header());

    namespace fs = std::filesystem;
    std::error_code ec;
    const bool exists = fs::exists(o.out, ec);
    if (exists && fs::is_directory(o.out, ec))
        throw UsageError(fmt::format("sweep: --out {} is a directory", o.out));
    if (exists && !o.resume && !o.force)
        throw UsageError(fmt::format(
            "sweep: {} exists; nothing was written. Pass --resume to keep its rows and run the "
            "rest, or --force to replace it",
            o.out));
    // The per-point table is derived from the results: --resume may refresh it.
    if (!o.stats_out.empty() && fs::exists(o.stats_out, ec) && !o.resume && !o.force)
        throw UsageError(
            fmt::format("sweep: --stats-out {} exists; nothing was written (--force "
                        "replaces it)",
                        o.stats_out));
    // The rows say which runs they are; the manifest says which sweep (the scenario text and
    // the --set values every run had): a file of another sweep is not resumed.
    const SweepManifest manifest = manifest_of(plan, o.plan);
    if (exists && o.resume) {
        if (const auto before = read_manifest(o.out)) {
            std::string what = other_sweep(*before, manifest);
            if (what.empty() && before->shard.index != manifest.shard.index)
                what = fmt::format("the shard ({}/{} against {}/{})", before->shard.index,
                                   before->shard.count, manifest.shard.index, manifest.shard.count);
            if (!what.empty())
                throw UsageError(fmt::format(
                    "--resume: {} is another sweep's file: {} changed since it was written "
                    "({}); nothing was written. Resume with the same command line, or pass "
                    "--force to start again",
                    o.out, what, manifest_path(o.out)));
        }
    }
    Results results;
    results.header = plan.header();
    int resumed_cut_line = 0;
    if (exists && o.resume) {
        Results existing = read_results(o.out);
        if (!existing.header.empty()) {
            check_existing(plan, existing, o.out);
            results.rows = std::move(existing.rows);
            resumed_cut_line = existing.incomplete_line;
        }
    }
    std::vector<std::uint64_t> todo;
    for (auto run : plan.shard_runs())
        if (!results.rows.count({run / plan.replications(), run % plan.replications()}))
            todo.push_back(run);

    // Stream: each row is appended and flushed as its run finishes. An existing file is only
    // appended to; a last line cut short (the interruption) is not a row: the file is first
    // rewritten, atomically, with its complete rows, so that no cut line can later pass for a
    // finished row. Complete rows are never removed.
    write_manifest(o.out, manifest);
    std::ofstream file;
    if (exists && o.resume && !results.rows.empty()) {
        if (resumed_cut_line) {
            report::write_file_atomically(o.out, results_text(results));
            if (!o.quiet)
                std::cerr << fmt::format(
                    "sweep: {}:{}: a line cut short is dropped; its run is "
                    "done again\n",
                    o.out, resumed_cut_line);
        }
        file.open(o.out, std::ios::binary | std::ios::app);
    } else {
        file.open(o.out, std::ios::binary | std::ios::trunc);
        file << csv_line(plan.header());
    }
    if (!file) throw UsageError(fmt::format("sweep: cannot write {}", o.out));
    file.flush();

    const std::uint64_t already = plan.shard_runs().size() - todo.size();
    if (!o.quiet && already > 0)
        std::cerr << fmt::format("sweep: {} of {} runs already in {}, running the other {}\n",
                                 already, plan.shard_runs().size(), o.out, todo.size());
    Progress progress(todo.size(), already, !o.quiet);
    int status = kExitOk;
    try {
        executor.execute(plan, todo, [&](std::uint64_t run, const std::string& line) {
            file << line;
            file.flush();
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
    } catch (const std::exception& e) {
        std::cerr << "stratus: sweep: a run failed: " << e.what() << '\n';
        status = kExitFailure;
    }
    progress.finish();
    file.close();
    if (status != kExitOk) {
        std::cerr << fmt::format(
            "stratus: sweep: {} of {} runs are in {}; --resume runs the rest\n",
            results.rows.size(), plan.shard_runs().size(), o.out);
        return status;
    }
    // The final file: sorted by point and replication, whatever order the runs finished in.
    report::write_file_atomically(o.out, results_text(results));
    if (!o.quiet)
        std::cerr << fmt::format(
            "sweep: {} rows ({} points x {} replications{}) in {}\n", results.rows.size(),
            plan.point_count(), plan.replications(),
            plan.shard().count > 1
                ? fmt::format(", shard {}/{}", plan.shard().index, plan.shard().count)
                : "",
            o.out);
    print_report(results, pareto, o.stats_out, o.quiet);
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
        std::vector<ParetoAxis> pareto;
        if (!o.pareto.empty() && !o.shards.empty())
            pareto = parse_pareto(o.pareto, read_results(o.shards[0]).header);
        std::error_code ec;
        if (!o.stats_out.empty() && std::filesystem::exists(o.stats_out, ec) && !o.force)
            throw UsageError(fmt::format(
                "merge: --stats-out {} exists; nothing was written (--force replaces it)",
                o.stats_out));
        const std::string said = merge_results(o.out, o.shards, o.force);
        if (!o.quiet) std::cerr << said << '\n';
        const Results merged = read_results(o.out);
        print_report(merged, pareto, o.stats_out, o.quiet);
        return kExitOk;
    } catch (const UsageError& e) {
        std::cerr << "stratus: " << e.what() << '\n';
        return kExitUsage;
    }
}

}  // namespace stratus::sweep
