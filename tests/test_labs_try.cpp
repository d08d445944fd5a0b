// Every lab keeps its word: each `Try:` command of its text, in English and in Korean, is run
// exactly as printed (through a shell, in a folder where `build/stratus` and `scenarios/` are
// where a clone has them), and the difference its `Expect:` line promises is checked against
// the shipped lab run the same way. The lab's `Goal:` is checked with `stratus lab check` on
// the shipped lab and on its variants. The commands and the expectations are read from the lab
// files; nothing here repeats them, so text and test cannot drift apart.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "sim/report/lab.hpp"
#include "sim/scenario/loader.hpp"
#include "support.hpp"

namespace test_labs_try {

using namespace stratus;
namespace fs = std::filesystem;

namespace {

const fs::path kSource = STRATUS_SOURCE_DIR;

// Splits a command into words as a POSIX shell does for the quoting the labs use: '...' keeps
// every character; inside "..." a backslash escapes only $ ` " \ (others stay, backslash and
// all); outside quotes a backslash escapes the next character. Used to find the subcommand,
// --set and --out, and to compare what a student pastes from the file with the lab text the
// tool shows. The command itself is run by the shell as printed. An unclosed quote fails.
std::vector<std::string> shell_words(const std::string& command) {
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;
    for (std::size_t i = 0; i < command.size(); ++i) {
        const char c = command[i];
        if (c == ' ' || c == '\t') {
            if (in_word) words.push_back(word);
            word.clear();
            in_word = false;
        } else if (c == '\'') {
            const auto end = command.find('\'', i + 1);
            REQUIRE(end != std::string::npos);
            word += command.substr(i + 1, end - i - 1);
            i = end;
            in_word = true;
        } else if (c == '"') {
            std::size_t j = i + 1;
            for (; j < command.size() && command[j] != '"'; ++j) {
                const bool escapes =
                    command[j] == '\\' && j + 1 < command.size() &&
                    std::string("$`\"\\").find(command[j + 1]) != std::string::npos;
                if (escapes) ++j;
                word += command[j];
            }
            REQUIRE(j < command.size());
            i = j;
            in_word = true;
        } else if (c == '\\' && i + 1 < command.size()) {
            word += command[++i];
            in_word = true;
        } else {
            word += c;
            in_word = true;
        }
    }
    if (in_word) words.push_back(word);
    return words;
}

// The commands of the Try lines as the lab file holds them, byte for byte: what a student who
// opens the .toml copies. The tool shows the decoded TOML string instead; where a string
// escape makes the two differ, both must still be the same command.
std::vector<std::string> raw_try_commands(const fs::path& file) {
    std::vector<std::string> commands;
    std::istringstream in(testing::read_file(file.string()));
    for (std::string line; std::getline(in, line);) {
        const auto start = line.find_first_not_of(' ');
        if (start == std::string::npos) continue;
        const std::string rest = line.substr(start);
        if (rest.rfind("Try:", 0) != 0 && rest.rfind("바꿔 볼 것:", 0) != 0) continue;
        const auto open = rest.find('`');
        const auto close = open == std::string::npos ? open : rest.find('`', open + 1);
        REQUIRE(close != std::string::npos);
        commands.push_back(rest.substr(open + 1, close - open - 1));
    }
    return commands;
}

std::string single_quoted(const std::string& word) {
    std::string out = "'";
    for (char c : word)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// A folder laid out like a clone: build/stratus and scenarios/ (links), so that a command
// printed for the repository's root runs as printed.
fs::path make_clone_dir() {
    const fs::path dir = testing::make_temp_dir("stratus-lab-try");
    fs::create_directories(dir / "build");
    fs::create_symlink(STRATUS_BINARY, dir / "build" / "stratus");
    fs::create_directory_symlink(kSource / "scenarios", dir / "scenarios");
    return dir;
}

struct Ran {
    report::LabObservation observation;
    std::string stdout_text;
};

// Runs `command` through bash in `dir`; reads the outputs from `out_dir` when it is a run.
Ran run_shell(const fs::path& dir, const std::string& command, const std::string& out_dir) {
    const fs::path out = dir / ".stdout", err = dir / ".stderr";
    const std::string cmd = "cd " + single_quoted(dir.string()) + " && bash -c " +
                            single_quoted(command) + " >" + single_quoted(out.string()) + " 2>" +
                            single_quoted(err.string());
    const int raw = std::system(cmd.c_str());
    Ran r;
    r.stdout_text = testing::read_file(out.string());
    const std::string stderr_text = testing::read_file(err.string());
    if (!out_dir.empty() && fs::exists(dir / out_dir / "summary.json")) {
        r.observation = report::observe(
            nlohmann::json::parse(testing::read_file((dir / out_dir / "summary.json").string())),
            testing::read_file((dir / out_dir / "timeseries.csv").string()),
            testing::read_file((dir / out_dir / "events.jsonl").string()));
    }
    r.observation.exit_status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    r.observation.stderr_text = stderr_text;
    return r;
}

struct Parsed {
    std::string subcommand;  // run, validate, ...
    std::string file;
    std::vector<std::string> sets;
    std::string out;
    std::vector<std::string> others;  // other words after the subcommand
};

Parsed parse_command(const std::string& command) {
    const auto words = shell_words(command);
    REQUIRE(words.size() >= 3);
    CHECK(words[0] == "build/stratus");
    Parsed p;
    p.subcommand = words[1];
    p.file = words[2];
    for (std::size_t i = 3; i < words.size(); ++i) {
        if (words[i] == "--set" && i + 1 < words.size()) {
            p.sets.push_back(words[++i]);
        } else if (words[i] == "--out" && i + 1 < words.size()) {
            p.out = words[++i];
        } else {
            p.others.push_back(words[i]);
        }
    }
    return p;
}

// The same command without its --set overrides: the shipped lab, for the BEFORE side.
std::string baseline_of(const Parsed& p, const std::string& out) {
    std::string cmd = "build/stratus " + p.subcommand + " " + single_quoted(p.file);
    for (const auto& w : p.others)
        cmd += " " + single_quoted(w);
    if (!out.empty()) cmd += " --out " + single_quoted(out);
    return cmd;
}

bool goal_met(const report::LabObservation& o, const std::vector<report::LabExpectation>& goal) {
    for (const auto& c : goal) {
        std::string why;
        if (!report::lab_condition_holds(o, c.key, c.before, 0, why)) return false;
    }
    return true;
}

// The labs docs/labs.md says ship failing their goal ("ships failing its own goal (labs 03,
// 04, ...:"), as two-digit numbers.
std::set<std::string> labs_documented_failing() {
    const std::string doc = testing::read_file((kSource / "docs" / "labs.md").string());
    const std::string marker = "ships failing its own goal (labs ";
    const auto start = doc.find(marker);
    REQUIRE(start != std::string::npos);
    const auto end = doc.find(':', start);
    REQUIRE(end != std::string::npos);
    std::set<std::string> labs;
    std::istringstream list(doc.substr(start + marker.size(), end - start - marker.size()));
    for (std::string n; std::getline(list, n, ',');) {
        n.erase(0, n.find_first_not_of(" \n"));
        REQUIRE(n.size() == 2);
        labs.insert(n);
    }
    REQUIRE(labs.size() >= 10);
    return labs;
}

void check_lab(const std::string& file_name) {
    const std::string rel = "scenarios/labs/" + file_name;
    const auto spec = scenario::load_file((kSource / rel).string());
    const auto lab = report::parse_lab_text(spec.simulation.description);
    INFO(rel);
    REQUIRE(lab.english.present);
    REQUIRE(lab.korean.present);
    CHECK_FALSE(lab.english.lesson.empty());
    CHECK_FALSE(lab.korean.lesson.empty());
    REQUIRE_FALSE(lab.english.goal.empty());
    CHECK_FALSE(lab.english.hint.empty());
    CHECK_FALSE(lab.korean.hint.empty());
    REQUIRE_FALSE(lab.english.tries.empty());
    // The Korean text offers the same commands, with the same expectations and goal.
    REQUIRE(lab.korean.tries.size() == lab.english.tries.size());
    for (std::size_t i = 0; i < lab.english.tries.size(); ++i) {
        CHECK(lab.korean.tries[i].command == lab.english.tries[i].command);
        REQUIRE(lab.korean.tries[i].expect.size() == lab.english.tries[i].expect.size());
        for (std::size_t k = 0; k < lab.english.tries[i].expect.size(); ++k) {
            CHECK(lab.korean.tries[i].expect[k].key == lab.english.tries[i].expect[k].key);
            CHECK(report::to_string(lab.korean.tries[i].expect[k].after) ==
                  report::to_string(lab.english.tries[i].expect[k].after));
        }
    }
    REQUIRE(lab.korean.goal.size() == lab.english.goal.size());
    // What a student pastes: the raw line of the file, and the text `stratus labs` shows.
    std::vector<std::string> shown;
    for (const auto* section : {&lab.english, &lab.korean})
        for (const auto& t : section->tries)
            shown.push_back(t.command);
    const auto raw = raw_try_commands(kSource / rel);
    REQUIRE(raw.size() == shown.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        INFO("Try " << i << " as shown: " << shown[i] << "\nas in the file: " << raw[i]);
        const auto shown_words = shell_words(shown[i]);
        REQUIRE(shown_words.size() >= 3);
        if (raw[i] != shown[i]) CHECK(shell_words(raw[i]) == shown_words);
    }

    const fs::path dir = make_clone_dir();
    std::map<std::string, Ran> baselines;  // by baseline command
    std::vector<report::LabObservation> variants;
    int n = 0;
    for (const auto& t : lab.english.tries) {
        INFO("Try: " << t.command);
        REQUIRE_FALSE(t.expect.empty());
        const Parsed p = parse_command(t.command);
        // Each lab's runs are of the lab itself (`stratus cidr` takes blocks instead).
        if (p.subcommand == "run" || p.subcommand == "validate") CHECK(p.file == rel);
        const bool is_run = p.subcommand == "run";
        if (is_run) REQUIRE_FALSE(p.out.empty());
        const std::string base_out = is_run ? "base-" + std::to_string(n) : "";
        const std::string base_cmd = baseline_of(p, is_run ? "base" : "");
        if (!baselines.count(base_cmd))
            baselines[base_cmd] = run_shell(dir, base_cmd, is_run ? "base" : "");
        const Ran& before = baselines[base_cmd];
        const Ran after = run_shell(dir, t.command, p.out);
        INFO("stderr: " << after.observation.stderr_text);
        if (is_run) {
            REQUIRE(before.observation.exit_status == 0);
            REQUIRE(after.observation.exit_status == 0);
            REQUIRE_FALSE(after.observation.summary.is_null());
            variants.push_back(after.observation);
        }
        for (const auto& e : t.expect) {
            std::string why_before, why_after;
            double before_value = 0;
            report::lab_value(before.observation, e.key, before_value);
            INFO("Expect: " << e.key << " " << report::to_string(e.before) << " -> "
                            << report::to_string(e.after));
            const bool b =
                report::lab_condition_holds(before.observation, e.key, e.before, 0, why_before);
            const bool a = report::lab_condition_holds(after.observation, e.key, e.after,
                                                       before_value, why_after);
            INFO("shipped lab: " << why_before << "; this command: " << why_after);
            CHECK(b);
            CHECK(a);
        }
        ++n;
    }

    // The challenge: `stratus lab check` on the shipped lab agrees with the goal; a lab that
    // ships broken has a Try that fixes it, and a lab that ships working has one that breaks
    // it, so the check tells them apart.
    // Run in the clone's folder, as printed; nothing is written into the source tree.
    const auto shipped = testing::run_stratus("lab check " + single_quoted(rel), dir);
    INFO("lab check: " << shipped.out << shipped.err);
    const Ran& base = baselines.begin()->second;
    const bool shipped_met = goal_met(base.observation, lab.english.goal);
    CHECK(shipped.status == (shipped_met ? 0 : 1));
    // docs/labs.md's list of the labs that ship failing their goal holds this one exactly then.
    CHECK(labs_documented_failing().count(file_name.substr(0, 2)) == (shipped_met ? 0u : 1u));
    if (!shipped_met) CHECK(shipped.out.find(lab.english.hint.substr(0, 20)) != std::string::npos);
    REQUIRE_FALSE(variants.empty());
    bool flips = false;
    std::size_t flip = 0;
    for (std::size_t i = 0; i < variants.size(); ++i)
        if (goal_met(variants[i], lab.english.goal) != shipped_met) flips = true, flip = i;
    if (!shipped_met) REQUIRE(flips);
    if (flips) {
        // The same variant through `stratus lab check --set ...` gives the other verdict.
        std::size_t run_index = 0;
        int checked = 0;
        for (const auto& t : lab.english.tries) {
            const Parsed p = parse_command(t.command);
            if (p.subcommand != "run") continue;
            if (run_index++ != flip) continue;
            std::string args = "lab check " + single_quoted(rel);
            for (const auto& s : p.sets)
                args += " --set " + single_quoted(s);
            const auto fixed = testing::run_stratus(args, dir);
            INFO("lab check " << args << ": " << fixed.out << fixed.err);
            CHECK(fixed.status == (shipped_met ? 1 : 0));
            ++checked;
        }
        CHECK(checked == 1);
    }
    fs::remove_all(dir);
}

}  // namespace

TEST_CASE("Every lab file has its Try test below", "[labs][try]") {
    std::set<std::string> files;
    for (const auto& e : fs::directory_iterator(kSource / "scenarios" / "labs"))
        if (e.path().extension() == ".toml") files.insert(e.path().filename().string());
    REQUIRE(files.size() >= 16);
    const std::set<std::string> tested = {
#define STRATUS_LAB(name) name,
#include "lab_list.inc"
#undef STRATUS_LAB
    };
    CHECK(files == tested);
}

TEST_CASE("The README's table of labs lists every lab file", "[labs][try]") {
    const std::string readme = testing::read_file((kSource / "README.md").string());
    int listed = 0;
    for (const auto& e : fs::directory_iterator(kSource / "scenarios" / "labs")) {
        if (e.path().extension() != ".toml") continue;
        const std::string row = "| `" + e.path().filename().string() + "` | ";
        INFO(row);
        CHECK(readme.find(row) != std::string::npos);
        ++listed;
    }
    REQUIRE(listed >= 16);
}

#define STRATUS_LAB(name)                                                            \
    TEST_CASE("Lab " name ": every Try works as printed and shows what it promises", \
              "[labs][try][long]") {                                                 \
        check_lab(name);                                                             \
    }
#include "lab_list.inc"
#undef STRATUS_LAB

TEST_CASE("Lab text: the markers and conditions parse", "[labs][try]") {
    const auto lab = report::parse_lab_text(
        "EN: text\nLesson: one\n  two\nTry: `build/stratus run x.toml --out o` (more)\n"
        "Expect: requests.errors.http_503 = 0 -> > 10; cost_usd.total > 1 -> x0.5\n"
        "Goal: slo.availability_met = 1\nHint: do it\nKO: 글\n배울 점: 하나\n"
        "바꿔 볼 것: `build/stratus run x.toml --out o`\n예상: stderr !~ \"a\" -> ~ \"b\"\n");
    CHECK(lab.english.lesson == "one two");
    REQUIRE(lab.english.tries.size() == 1);
    CHECK(lab.english.tries[0].command == "build/stratus run x.toml --out o");
    REQUIRE(lab.english.tries[0].expect.size() == 2);
    CHECK(lab.english.tries[0].expect[1].after.op == report::LabCondition::Op::Ratio);
    CHECK(lab.korean.tries[0].expect[0].after.text == "b");
    CHECK(lab.english.goal.size() == 1);
    CHECK_THROWS_AS(report::parse_lab_text("EN: x\nExpect: a = 1 -> 2\n"), std::invalid_argument);
    CHECK_THROWS_AS(report::parse_lab_text("EN: x\nTry: no command\n"), std::invalid_argument);
    CHECK_THROWS_AS(report::parse_lab_conditions("k maybe", false), std::invalid_argument);
}

TEST_CASE("Lab Try commands: the word splitter follows the shell's quoting", "[labs][try]") {
    const std::vector<std::string> expected = {"a", "b\"c", "d\\e", "f g", "h\\i", "j\\k"};
    CHECK(shell_words("a \"b\\\"c\" 'd\\e' f\\ g \"h\\i\" \"j\\\\k\"") == expected);
    // The same words as bash splits them (printf prints each word on its own line).
    const fs::path dir = testing::make_temp_dir("stratus-lab-words");
    const std::string cmd = "printf '%s\\n' a \"b\\\"c\" 'd\\e' f\\ g \"h\\i\" \"j\\\\k\"";
    const Ran r = run_shell(dir, cmd, "");
    REQUIRE(r.observation.exit_status == 0);
    CHECK(r.stdout_text == "a\nb\"c\nd\\e\nf g\nh\\i\nj\\k\n");
    fs::remove_all(dir);
}

}  // namespace test_labs_try
