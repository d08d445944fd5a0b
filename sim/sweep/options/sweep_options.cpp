#include "sim/sweep/options/sweep_options.hpp"

namespace stratus::sweep {

void add_answer_options(CLI::App* cmd, AnswerOptions& o) {
    cmd->add_option("--confidence", o.confidence,
                    "a point qualifies when this share of its replications met the SLO "
                    "(default 1: every one)")
        ->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--baseline", o.baseline,
                    "the point the paired differences are taken against, by its values: "
                    "PATH=V,... (default: the chosen point)")
        ->type_name("PATH=V,...");
}

CLI::App* add_sweep_command(CLI::App& app, SweepOptions& o) {
    auto* cmd = app.add_subcommand(
        "sweep", "run what-if variants of a scenario (a grid or a design, with replications)");
    cmd->add_option("FILE", o.plan.scenario_file, "scenario file (TOML)")->required();
    cmd->add_option("--grid", o.plan.grids,
                    "vary a setting: PATH=V1,V2,... or PATH=FROM..TO:STEP (repeatable; the "
                    "grids are crossed)")
        ->type_name("PATH=VALUES")
        ->allow_extra_args(false);
    cmd->add_option("--design", o.plan.design_file,
                    "design file (TOML): [[axis]], [[zip]], [lhs] (Latin hypercube)");
    cmd->add_option("--set", o.plan.sets, "override a setting in every run: PATH=VALUE")
        ->type_name("PATH=VALUE")
        ->allow_extra_args(false);
    cmd->add_option("--replications,-r", o.plan.replications,
                    "runs per point; replication r uses seed + r at every point (default 1)")
        ->check(CLI::Range(1, 1000000));
    cmd->add_option("-j,--jobs", o.jobs, "worker threads (default 1)")->check(CLI::Range(1, 4096));
    cmd->add_option("--shard", o.plan.shard, "run one slice K/N of the runs (job arrays)")
        ->type_name("K/N");
    cmd->add_option("--out", o.out, "results file (CSV)")->required();
    cmd->add_flag("--resume", o.resume, "keep the rows already in --out and run the rest");
    cmd->add_flag("--force", o.force, "replace an existing --out");
    cmd->add_option("--pareto", o.pareto,
                    "Pareto front of two figures, e.g. cost_usd.total,latency_ms.p99 (append "
                    ":max to maximize one)");
    cmd->add_option("--stats-out", o.stats_out,
                    "write the per-point means, 95% CIs, SLO and Pareto flags to this CSV");
    cmd->add_option("--fidelity", o.plan.fidelity, "request (every request an event) or fluid")
        ->check(CLI::IsMember({"request", "fluid"}));
    add_answer_options(cmd, o.answer);
    cmd->add_flag("--quiet,-q", o.quiet, "no progress and no table");
    return cmd;
}

CLI::App* add_merge_command(CLI::App& app, MergeOptions& o) {
    auto* cmd = app.add_subcommand(
        "merge", "combine the shard files of a sweep into the file one run would have written");
    cmd->add_option("OUT", o.out, "merged results file (CSV)")->required();
    cmd->add_option("SHARD", o.shards, "shard results files")->required();
    cmd->add_flag("--force", o.force, "replace an existing OUT");
    cmd->add_option("--pareto", o.pareto, "as for sweep");
    cmd->add_option("--stats-out", o.stats_out, "as for sweep");
    add_answer_options(cmd, o.answer);
    cmd->add_flag("--quiet,-q", o.quiet, "no table");
    return cmd;
}

}  // namespace stratus::sweep
