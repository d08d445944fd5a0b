// stratus: the command line. Subcommands: run, validate, explain, reference, labs, lab check,
// cidr, sweep, merge, report, import terraform, catalog check/list, compare-bill, iam check.
// Exit status: 0 success; 2 a usage error or a scenario that does not load or
// validate (nothing is written); 1 anything else.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "sim/cli/catalog_cli.hpp"
#include "sim/cli/compare_bill_cli.hpp"
#include "sim/cli/exit_status.hpp"
#include "sim/cli/iam_cli.hpp"
#include "sim/cloud/network.hpp"
#include "sim/cloud/run_limits.hpp"
#include "sim/cloud/world.hpp"
#include "sim/core/files.hpp"
#include "sim/html/run_report.hpp"
#include "sim/html/sweep_report.hpp"
#include "sim/import/terraform.hpp"
#include "sim/import/terraform_json.hpp"
#include "sim/report/lab.hpp"
#include "sim/report/outputs.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/cidr.hpp"
#include "sim/scenario/cost_defaults.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/reference.hpp"
#include "sim/sweep/options/sweep_options.hpp"

namespace {

using stratus::cli::kExitFailure;
using stratus::cli::kExitOk;
using stratus::cli::kExitUsage;
using stratus::scenario::Diagnostic;
using stratus::scenario::ScenarioError;
using stratus::scenario::Severity;

void print_diagnostics(const std::vector<Diagnostic>& diagnostics) {
    for (const auto& d : diagnostics)
        std::cerr << d.format() << '\n';
}

// A folder name for out/<scenario name>/ that cannot escape out/.
std::string safe_folder_name(const std::string& name) {
    std::string out;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
        out += ok ? c : '_';
    }
    if (out.empty() || out == "." || out == "..") out = "scenario";
    return out;
}

struct CommonOptions {
    std::string file;
    std::vector<std::string> sets;
};

void add_common(CLI::App* cmd, CommonOptions& o) {
    cmd->add_option("FILE", o.file, "scenario file (TOML)")->required();
    cmd->add_option("--set", o.sets,
                    "override a setting: PATH=VALUE, e.g. autoscaling_group.web.min_size=3 "
                    "(repeatable)")
        ->type_name("PATH=VALUE")
        ->allow_extra_args(false);
}

stratus::scenario::Spec load(const CommonOptions& o) {
    std::vector<Diagnostic> warnings;
    auto spec = stratus::scenario::load_file(o.file, o.sets, &warnings);
    print_diagnostics(warnings);
    return spec;
}

int cmd_run(const CommonOptions& o, const std::string& out_arg, const std::string& fidelity,
            bool quiet, bool reproducible, bool report) {
    std::vector<std::string> sets = o.sets;
    if (!fidelity.empty()) sets.push_back("simulation.fidelity=" + fidelity);
    std::vector<Diagnostic> warnings;
    auto spec = stratus::scenario::load_file(o.file, sets, &warnings);
    print_diagnostics(warnings);
    auto unsupported = stratus::scenario::unsupported_features(spec);
    if (!unsupported.empty()) {
        print_diagnostics(unsupported);
        std::cerr << fmt::format(
            "stratus: {} uses what this version cannot run yet; nothing was written\n", o.file);
        return kExitUsage;
    }
    print_diagnostics(stratus::cloud::closed_flow_warnings(spec));
    if (auto limits = stratus::cloud::check_run_limits(spec); !limits.empty()) {
        print_diagnostics(limits);
        std::cerr << fmt::format("stratus: {} is too large to run; nothing was written\n", o.file);
        return kExitUsage;
    }
    const std::string out_dir =
        out_arg.empty() ? "out/" + safe_folder_name(spec.simulation.name) : out_arg;
    // Checked before the run, so a bad --out costs no simulation and writes nothing.
    if (auto problem = stratus::report::output_dir_problem(out_dir); !problem.empty()) {
        std::cerr << fmt::format("--out {}: error: {}; nothing was written\n", out_dir, problem);
        return kExitUsage;
    }

    const auto t0 = std::chrono::steady_clock::now();
    stratus::report::Run run(spec);
    // The time series and events go to temporary files as they happen: flat memory.
    stratus::report::OutputSpool spool(run);
    run.world().run();
    const auto t1 = std::chrono::steady_clock::now();
    stratus::report::RunTiming timing;
    timing.wall_s = std::chrono::duration<double>(t1 - t0).count();
    timing.include = !reproducible;
    const auto summary = stratus::report::make_summary(run, timing);
    std::string html;
    if (report) {
        // The page is made from the outputs' own texts, as `stratus report OUT_DIR` reads them.
        std::ostringstream timeseries, events;
        spool.write_timeseries(timeseries);
        spool.write_events(events);
        html = stratus::html::run_report_html(stratus::html::parse_run_outputs(
            summary.dump(2), timeseries.str(), stratus::report::windows_csv(run), events.str(),
            run.world().cost().ledger().bill_csv()));
    }
    try {
        stratus::report::write_outputs(out_dir, run, summary, &spool, html);
    } catch (const std::exception& e) {
        // A full disk, a file size limit, a number that is not finite: nothing was replaced.
        std::cerr << fmt::format(
            "stratus: error: {}; the outputs in {} are as they were before this run\n", e.what(),
            out_dir);
        return kExitFailure;
    }
    if (!quiet) std::cout << stratus::report::human_summary(run, summary, out_dir);
    return kExitOk;
}

// `stratus report PATH`: a run's output folder, or a sweep's results file, to one HTML file.
int cmd_report(const std::string& path, std::string out, bool force,
               const stratus::sweep::AnswerOptions& answer, const std::string& pareto_arg) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const bool run = fs::is_directory(path, ec);
    if (!run && !fs::is_regular_file(path, ec)) {
        std::cerr << fmt::format(
            "stratus: report: {} is neither a run's output folder nor a "
            "sweep's results file\n",
            path);
        return kExitUsage;
    }
    const bool default_out = out.empty();
    if (default_out) {
        out = run ? (fs::path(path) / "report.html").string()
                  : fs::path(path).replace_extension(".html").string();
    }
    // Only a regular file is replaced, never a device, a folder or a link (--force or not), as
    // everywhere in the CLI. A page the user named is not replaced without --force; the
    // default one is derived from the outputs beside it and is.
    if (const std::string problem = stratus::files::replace_problem(out); !problem.empty()) {
        std::cerr << fmt::format("stratus: report: --out {}: error: {}; nothing was written\n", out,
                                 problem);
        return kExitUsage;
    }
    if (!default_out && fs::exists(fs::symlink_status(out, ec)) && !force) {
        std::cerr << fmt::format(
            "stratus: report: {} exists; nothing was written (pass --force "
            "to replace it)\n",
            out);
        return kExitUsage;
    }
    std::string html;
    try {
        if (run) {
            html = stratus::html::run_report_html(stratus::html::read_run_outputs(path));
        } else {
            const auto results = stratus::sweep::read_results(path);
            std::vector<stratus::sweep::ParetoAxis> pareto;
            if (!pareto_arg.empty()) {
                pareto = stratus::sweep::parse_pareto(pareto_arg, results.header);
            } else if (results.header.size() > 2) {
                pareto = {{stratus::sweep::cost_figure(), false},
                          {stratus::sweep::latency_figure(results.header), false}};
                for (const auto& a : pareto)
                    if (std::find(results.header.begin(), results.header.end(), a.column) ==
                        results.header.end())
                        pareto.clear();
            }
            const auto rep = stratus::sweep::make_report(
                results, stratus::sweep::default_figures(results.header), pareto, answer);
            html =
                stratus::html::sweep_report_html(fs::path(path).filename().string(), results, rep);
        }
    } catch (const stratus::sweep::UsageError& e) {
        std::cerr << "stratus: report: " << e.what() << '\n';
        return kExitUsage;
    } catch (const std::runtime_error& e) {
        std::cerr << "stratus: report: " << e.what() << "; nothing was written\n";
        return kExitUsage;
    } catch (const nlohmann::json::exception& e) {
        // Valid JSON of another shape (an edited or foreign summary.json or events.jsonl).
        std::cerr << fmt::format(
            "stratus: report: {}: its summary.json or events.jsonl is JSON but not what "
            "`stratus run` writes ({}); nothing was written\n",
            path, e.what());
        return kExitUsage;
    }
    stratus::report::write_file_atomically(out, html);
    std::cout << fmt::format("stratus: report: {}\n", out);
    return kExitOk;
}

int cmd_validate(const CommonOptions& o) {
    auto spec = load(o);
    // What `run` would refuse as too large (the [[action]]s' sizes and multipliers included)
    // fails validation as it fails the run: exit 2, each at its key, before anything else.
    if (auto limits = stratus::cloud::check_run_limits(spec); !limits.empty()) {
        print_diagnostics(limits);
        std::cerr << fmt::format("stratus: {} is too large to run; `stratus run` refuses it\n",
                                 o.file);
        return kExitUsage;
    }
    std::cout << fmt::format("{}: valid ({} load balancer(s), {} group(s), {} workload(s))\n",
                             o.file, spec.load_balancer.size(), spec.autoscaling_group.size(),
                             spec.workload.size());
    print_diagnostics(stratus::cloud::closed_flow_warnings(spec));
    // Keys that configure what stratus does not model (Terraform's image_id, user_data, ...):
    // accepted, and said so, never silently.
    for (const auto& k : spec.not_modelled)
        std::cout << fmt::format("{}:{}:{}: note: {}: accepted, not modelled ({})\n", k.pos.file,
                                 k.pos.line, k.pos.column, k.key_path, k.meaning);
    auto unsupported = stratus::scenario::unsupported_features(spec);
    if (!unsupported.empty()) {
        std::cout << "note: `stratus run` in this version cannot run yet:\n";
        for (auto d : unsupported) {
            d.severity = Severity::Warning;
            std::cout << "  " << d.format() << '\n';
        }
    }
    return kExitOk;
}

int cmd_reference() {
    std::cout << stratus::scenario::reference_markdown();
    return kExitOk;
}

int cmd_explain(const CommonOptions& o) {
    auto spec = load(o);
    std::cout << stratus::scenario::explain(spec) << stratus::scenario::cost_defaults_text(spec);
    return kExitOk;
}

// The lesson of a lab in one language: its Lesson line, or the first sentence of its text
// when it has none (a scenario that is not a lab).
std::string lesson_summary(const std::string& description, stratus::report::LabLanguage language) {
    stratus::report::LabText lab;
    try {
        lab = stratus::report::parse_lab_text(description);
    } catch (const std::invalid_argument&) {
    }
    const auto& section = lab.section(language);
    if (!section.lesson.empty()) return section.lesson;
    std::string text = section.present ? section.text : description;
    for (char& c : text)
        if (c == '\n') c = ' ';
    const auto start = text.find_first_not_of(' ');
    if (start == std::string::npos) return "";
    text = text.substr(start);
    const auto stop = text.find(". ");
    if (stop != std::string::npos) text = text.substr(0, stop + 1);
    return text;
}

stratus::report::LabLanguage parse_language(const std::string& lang) {
    return lang == "ko" ? stratus::report::LabLanguage::Korean
                        : stratus::report::LabLanguage::English;
}

int cmd_labs(const std::string& dir_arg, const std::string& lang) {
    namespace fs = std::filesystem;
    fs::path dir = dir_arg.empty() ? fs::path("scenarios/labs") : fs::path(dir_arg);
    if (dir_arg.empty() && !fs::is_directory(dir)) dir = STRATUS_LABS_DIR;
    if (!fs::is_directory(dir)) {
        std::cerr << "stratus: labs: no folder " << dir.string() << '\n';
        return kExitUsage;
    }
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".toml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    const auto language = parse_language(lang);
    if (language == stratus::report::LabLanguage::Korean)
        std::cout << fmt::format(
            "{}의 실습 (실행: build/stratus run {}/<파일>, 도전 과제 확인: "
            "build/stratus lab check <파일>)\n\n",
            dir.string(), dir.string());
    else
        std::cout << fmt::format(
            "Labs in {} (run one: build/stratus run {}/<file>; check your "
            "fix: build/stratus lab check <file>)\n\n",
            dir.string(), dir.string());
    for (const auto& f : files) {
        std::string summary;
        try {
            summary = lesson_summary(
                stratus::scenario::load_file(f.string()).simulation.description, language);
        } catch (const std::exception&) {
            summary = "(does not load: stratus validate " + f.string() + ")";
        }
        std::cout << fmt::format("  {}\n      {}\n", f.filename().string(), summary);
    }
    return kExitOk;
}

// `stratus lab check FILE`: runs the (edited) lab and says whether its Goal is met; exit 0
// when it is, 1 when it is not (with the lab's hint), 2 when the file has no goal.
int cmd_lab_check(const CommonOptions& o, const std::string& fidelity, const std::string& lang) {
    std::vector<std::string> sets = o.sets;
    if (!fidelity.empty()) sets.push_back("simulation.fidelity=" + fidelity);
    std::vector<Diagnostic> warnings;
    auto spec = stratus::scenario::load_file(o.file, sets, &warnings);
    const auto language = parse_language(lang);
    const bool ko = language == stratus::report::LabLanguage::Korean;
    stratus::report::LabText lab;
    try {
        lab = stratus::report::parse_lab_text(spec.simulation.description);
    } catch (const std::invalid_argument& e) {
        std::cerr << fmt::format("{}: simulation.description: error: {}\n", o.file, e.what());
        return kExitUsage;
    }
    const auto& goal = lab.english.goal;
    if (goal.empty()) {
        std::cerr << fmt::format(
            "{}: error: the lab names no Goal (a `Goal:` line in "
            "simulation.description; docs/labs.md)\n",
            o.file);
        return kExitUsage;
    }
    auto unsupported = stratus::scenario::unsupported_features(spec);
    if (!unsupported.empty()) {
        print_diagnostics(unsupported);
        return kExitUsage;
    }
    if (auto limits = stratus::cloud::check_run_limits(spec); !limits.empty()) {
        print_diagnostics(limits);
        return kExitUsage;
    }
    std::string printed;
    for (const auto& d : warnings)
        printed += d.format() + "\n";
    for (const auto& d : stratus::cloud::closed_flow_warnings(spec))
        printed += d.format() + "\n";
    std::cerr << printed;
    const auto result = stratus::report::check_goal(spec, language, printed);
    std::cout << (ko ? "목표 확인: " : "Goal check: ") << o.file << '\n';
    for (const auto& line : result.lines)
        std::cout << "  " << line << '\n';
    if (result.met) {
        std::cout << (ko ? "목표를 달성했습니다.\n" : "Goal met.\n");
        return kExitOk;
    }
    std::cout << (ko ? "아직 목표에 못 미칩니다." : "Goal not met yet.");
    if (!result.hint.empty()) std::cout << (ko ? " 힌트: " : " Hint: ") << result.hint;
    std::cout << '\n';
    return kExitFailure;
}

// Describes each block as an AWS subnet of it would be; a malformed block is a usage error
// (the others are still described).
int cmd_cidr(const std::vector<std::string>& blocks) {
    int status = kExitOk;
    bool first = true;
    for (const auto& block : blocks) {
        try {
            std::string text = stratus::scenario::describe_cidr(block);
            if (!first) std::cout << '\n';
            first = false;
            std::cout << text;
            if (!text.empty() && text.back() != '\n') std::cout << '\n';
        } catch (const stratus::scenario::CidrError& e) {
            std::cerr << "stratus: cidr: " << e.what() << '\n';
            status = kExitUsage;
        }
    }
    return status;
}

// A Terraform plan or state in JSON larger than this is refused (docs/hardening.md).
constexpr std::uint64_t kMaxTerraformBytes = 32u << 20;

// `stratus import terraform FILE.json`: the scenario on stdout or into --out, the findings
// on stderr, then the scenario is validated as `stratus validate` would.
int cmd_import_terraform(const std::string& file, const std::string& out, bool force) {
    namespace fs = std::filesystem;
    if (!out.empty()) {
        // Only a regular file is replaced, never a device, a folder or a link (--force or not).
        if (const std::string problem = stratus::files::replace_problem(out); !problem.empty()) {
            std::cerr << fmt::format("--out {}: error: {}; nothing was written\n", out, problem);
            return kExitUsage;
        }
        if (fs::exists(fs::symlink_status(out)) && !force) {
            std::cerr << fmt::format(
                "--out {}: error: the file exists; give --force to replace it\n", out);
            return kExitUsage;
        }
    }
    std::string text;
    try {
        text = stratus::files::read_regular_file(file, kMaxTerraformBytes, "Terraform JSON files");
    } catch (const stratus::files::FileError& e) {
        std::cerr << fmt::format("{}: error: cannot read it: {}\n", file, e.reason());
        return kExitUsage;
    }
    stratus::tfimport::ImportResult result;
    try {
        result = stratus::tfimport::import_terraform(text, file);
    } catch (const stratus::tfimport::ImportError& e) {
        std::cerr << "stratus: import: " << e.what() << '\n';
        return kExitUsage;
    }
    for (const auto& f : result.findings)
        std::cerr << f.text() << '\n';
    if (out.empty()) {
        std::cout << result.scenario;
    } else {
        stratus::report::write_file_atomically(out, result.scenario);
        std::cerr << fmt::format("stratus: import: wrote {}\n", out);
    }
    // The scenario as `stratus validate` reads it.
    const std::string name = out.empty() ? fs::path(file).stem().string() + ".toml" : out;
    const std::string base = out.empty() ? "." : stratus::scenario::scenario_base_dir(out);
    try {
        std::vector<Diagnostic> warnings;
        stratus::scenario::load_text(result.scenario, name, {}, base, &warnings);
        print_diagnostics(warnings);
    } catch (const ScenarioError& e) {
        std::cerr << "stratus: import: the scenario does not validate yet; fix these, then "
                     "`stratus validate` it:\n";
        print_diagnostics(e.diagnostics());
        return kExitFailure;
    }
    return kExitOk;
}

// Every subcommand's options, and the subcommands themselves (to see which was parsed).
struct Commands {
    CommonOptions run_opts, validate_opts, explain_opts, check_opts;
    std::string out_dir, fidelity;
    bool quiet = false, reproducible = false, run_report = false;
    std::string report_path, report_out, report_pareto;
    bool report_force = false;
    stratus::sweep::AnswerOptions report_answer;
    std::string labs_dir, labs_lang = "en", check_lang = "en", check_fidelity;
    std::vector<std::string> cidr_blocks;
    std::string import_file, import_out;
    bool import_force = false;
    stratus::cli::CatalogOptions catalog_opts;
    stratus::cli::CompareBillOptions compare_opts;
    stratus::cli::IamCheckOptions iam_opts;
    stratus::sweep::SweepOptions sweep_opts;
    stratus::sweep::MergeOptions merge_opts;
    CLI::App *run = nullptr, *report = nullptr, *validate = nullptr, *explain = nullptr,
             *reference = nullptr, *labs = nullptr, *check = nullptr, *cidr = nullptr,
             *import_tf = nullptr, *catalog = nullptr, *compare_bill = nullptr, *sweep = nullptr,
             *merge = nullptr;
};

// The commands that read one scenario: run, validate, explain; and the key reference.
void add_scenario_commands(CLI::App& app, Commands& c) {
    c.run = app.add_subcommand("run", "run a scenario and write its outputs");
    add_common(c.run, c.run_opts);
    c.run->add_option("--out", c.out_dir, "output folder (default: out/<scenario name>/)");
    c.run->add_option("--fidelity", c.fidelity, "request (every request an event) or fluid")
        ->check(CLI::IsMember({"request", "fluid"}));
    c.run->add_flag("--quiet,-q", c.quiet, "print nothing on success");
    c.run->add_flag("--report", c.run_report,
                    "also write report.html: the verdict, the bill and the charts in one "
                    "self-contained page");
    c.run->add_flag("--reproducible", c.reproducible,
                    "leave wall-clock figures (kernel.wall_s, kernel.events_per_s) out of "
                    "summary.json, so reruns are byte-identical");

    c.validate = app.add_subcommand("validate", "check a scenario without running it");
    add_common(c.validate, c.validate_opts);

    c.explain = app.add_subcommand(
        "explain", "print the resolved scenario as TOML, with every default filled in");
    add_common(c.explain, c.explain_opts);

    c.reference = app.add_subcommand(
        "reference", "print the reference of every section and key (docs/reference.md)");
}

// The labs, the CIDR calculator, the Terraform import, the catalog, compare-bill, sweeps and
// merges.
void add_tool_commands(CLI::App& app, Commands& c) {
    c.labs = app.add_subcommand("labs", "list the teaching labs with the lesson of each");
    c.labs->add_option("DIR", c.labs_dir, "folder of lab scenarios (default: scenarios/labs)");
    c.labs->add_option("--lang", c.labs_lang, "en or ko")->check(CLI::IsMember({"en", "ko"}));

    auto* lab = app.add_subcommand("lab", "a lab's challenge mode");
    lab->require_subcommand(1);
    c.check = lab->add_subcommand(
        "check", "run an (edited) lab and say whether its goal is met (exit 0 met, 1 not met)");
    add_common(c.check, c.check_opts);
    c.check->add_option("--lang", c.check_lang, "en or ko")->check(CLI::IsMember({"en", "ko"}));
    c.check->add_option("--fidelity", c.check_fidelity, "request or fluid")
        ->check(CLI::IsMember({"request", "fluid"}));

    c.cidr = app.add_subcommand(
        "cidr", "describe CIDR blocks: range, size, usable and reserved addresses of a subnet");
    c.cidr->add_option("CIDR", c.cidr_blocks, "an IPv4 block such as 10.5.21.64/28 (repeatable)")
        ->required();

    auto* import_cmd = app.add_subcommand("import", "make a scenario from infrastructure code");
    import_cmd->require_subcommand(1);
    c.import_tf = import_cmd->add_subcommand(
        "terraform",
        "a scenario from `terraform show -json` (a plan or a state) or a terraform.tfstate file");
    c.import_tf->add_option("FILE", c.import_file, "Terraform JSON")->required();
    c.import_tf->add_option("--out,-o", c.import_out, "write the scenario here (default: stdout)");
    c.import_tf->add_flag("--force", c.import_force, "replace --out if it exists");

    c.catalog = stratus::cli::add_catalog_command(app, c.catalog_opts);
    c.compare_bill = stratus::cli::add_compare_bill_command(app, c.compare_opts);
    stratus::cli::add_iam_command(app, c.iam_opts);
    c.sweep = stratus::sweep::add_sweep_command(app, c.sweep_opts);
    c.merge = stratus::sweep::add_merge_command(app, c.merge_opts);
}

// The HTML report of a run's output folder or a sweep's results.
void add_report_command(CLI::App& app, Commands& c) {
    c.report = app.add_subcommand(
        "report",
        "write one self-contained HTML page for a run's output folder or a sweep's "
        "results file");
    c.report
        ->add_option("PATH", c.report_path, "OUT_DIR of `stratus run`, or RESULTS.csv of a sweep")
        ->required();
    c.report->add_option("--out", c.report_out,
                         "the HTML file (default: OUT_DIR/report.html, or RESULTS.html)");
    c.report->add_flag("--force", c.report_force, "replace an existing --out");
    c.report->add_option("--pareto", c.report_pareto,
                         "sweeps: the two figures of the front (default: cost and p99)");
    stratus::sweep::add_answer_options(c.report, c.report_answer);
}

// Runs the parsed subcommand; its exit status (kExitUsage for a bad scenario).
int dispatch(Commands& c) {
    try {
        if (c.run->parsed())
            return cmd_run(c.run_opts, c.out_dir, c.fidelity, c.quiet, c.reproducible,
                           c.run_report);
        if (c.report->parsed())
            return cmd_report(c.report_path, c.report_out, c.report_force, c.report_answer,
                              c.report_pareto);
        if (c.validate->parsed()) return cmd_validate(c.validate_opts);
        if (c.explain->parsed()) return cmd_explain(c.explain_opts);
        if (c.reference->parsed()) return cmd_reference();
        if (c.cidr->parsed()) return cmd_cidr(c.cidr_blocks);
        if (c.labs->parsed()) return cmd_labs(c.labs_dir, c.labs_lang);
        if (c.check->parsed()) return cmd_lab_check(c.check_opts, c.check_fidelity, c.check_lang);
        if (c.sweep->parsed()) {
            stratus::sweep::LocalExecutor executor(c.sweep_opts.jobs);
            return stratus::sweep::run_sweep(c.sweep_opts, executor);
        }
        if (c.merge->parsed()) return stratus::sweep::run_merge(c.merge_opts);
        if (c.import_tf->parsed())
            return cmd_import_terraform(c.import_file, c.import_out, c.import_force);
        if (c.catalog->parsed()) return stratus::cli::run_catalog(c.catalog_opts);
        if (c.compare_bill->parsed()) return stratus::cli::run_compare_bill(c.compare_opts);
        if (c.iam_opts.check->parsed()) return stratus::cli::run_iam_check(c.iam_opts);
    } catch (const ScenarioError& e) {
        print_diagnostics(e.diagnostics());
        return kExitUsage;
    } catch (const std::exception& e) {
        std::cerr << "stratus: error: " << e.what() << '\n';
        return kExitFailure;
    }
    return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
    // A file size limit (ulimit -f) makes a write fail with EFBIG instead of killing the
    // process: the outputs are then left as they were, with a message.
    std::signal(SIGXFSZ, SIG_IGN);
    CLI::App app{"stratus: a discrete-event simulator of AWS-style cloud infrastructure"};
    app.set_version_flag("--version", std::string("stratus ") + STRATUS_VERSION);
    app.require_subcommand(1);
    Commands commands;
    add_scenario_commands(app, commands);
    add_tool_commands(app, commands);
    add_report_command(app, commands);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kExitUsage;
    }
    return dispatch(commands);
}
