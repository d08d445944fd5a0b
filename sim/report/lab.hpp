#pragma once
// A lab's text (`simulation.description`) read as a lesson: its sections in English and
// Korean, the commands it suggests, what each one is expected to change, and the goal the
// challenge mode checks. The format is declared here once; `stratus labs`, `stratus lab
// check`, the viewer and the tests read it through this header (docs/labs.md).
//
//   EN: <prose>                       KO: <prose>
//   Lesson: <one sentence>            배울 점: <한 문장>
//   Try: `<a complete shell command>` 바꿔 볼 것: `<같은 명령>`
//   Expect: <conditions>              예상: <조건>
//   Goal: <conditions>                목표: <조건>
//   Hint: <prose>                     힌트: <설명>
//
// Markers start a line. A Try line holds one command in backticks (prose may follow it); the
// Expect line after it says what the command changes against the shipped lab, each condition
// `KEY BEFORE -> AFTER` (BEFORE holds for the shipped lab, AFTER for the command's run), with
// `;` between conditions. A Goal is `KEY OP VALUE` conditions that `stratus lab check` applies
// to a student's edited scenario.
//
// KEY: a path into summary.json (`requests.errors.http_503`, `cost_usd.by_line_item.rds`);
// `timeseries.<column>.<max|min|sum|last>` (over the rows of timeseries.csv, empty cells
// skipped); `events.<type>` (how many events of that type), `events.<type>[<field>=<value>]`
// (how many of them have that field); `exit` (the exit status);
// `stderr` (what the command printed on its standard error).
// A condition: `OP NUMBER` with OP one of < <= > >= = (a bare number means =), `~ "text"`
// (contains) or `!~ "text"` (does not contain); after `->`, also `xR` (R times BEFORE's
// value, within 5 %).
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/scenario/spec.hpp"

namespace stratus::report {

enum class LabLanguage { English, Korean };

struct LabCondition {
    enum class Op { Less, LessEqual, Greater, GreaterEqual, Equal, Contains, Lacks, Ratio };
    Op op = Op::Equal;
    double number = 0;
    std::string text;
};

struct LabExpectation {
    std::string key;
    LabCondition before;  // for a Goal: the condition itself
    LabCondition after;   // unused for a Goal
};

struct LabTry {
    std::string command;                 // as printed, without the backticks
    std::vector<LabExpectation> expect;  // from the Expect line after it
    int line = 0;                        // 1-based, in the description
};

// One language's part of a lesson.
struct LabSection {
    bool present = false;
    std::string text;    // everything after the EN:/KO: marker
    std::string lesson;  // the Lesson line
    std::vector<LabTry> tries;
    std::vector<LabExpectation> goal;
    std::string hint;
};

struct LabText {
    LabSection english, korean;
    const LabSection& section(LabLanguage language) const {
        return language == LabLanguage::Korean ? korean : english;
    }
};

// Parses a description. Throws std::invalid_argument naming the line for a malformed marker
// line (a Try without a backticked command, an Expect without a Try, a bad condition).
LabText parse_lab_text(const std::string& description);
// Conditions as in an Expect (`with_after`) or a Goal line.
std::vector<LabExpectation> parse_lab_conditions(const std::string& text, bool with_after);

// What one run (or one command) produced, for the conditions to read.
struct LabObservation {
    int exit_status = 0;
    std::string stderr_text;
    nlohmann::json summary;  // null: no run (a `validate` command)
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;
    std::map<std::string, int> event_counts;
};

// Builds an observation from a run's output texts (timeseries.csv, events.jsonl).
LabObservation observe(const nlohmann::json& summary, const std::string& timeseries_csv,
                       const std::string& events_jsonl);

// The value of KEY in an observation; false when it has none (an absent path, a column
// with no value).
bool lab_value(const LabObservation& o, const std::string& key, double& value);

// Whether `c` holds for KEY in `o` (`before` is BEFORE's value, for a ratio). `why` says what
// was found, for the message.
bool lab_condition_holds(const LabObservation& o, const std::string& key, const LabCondition& c,
                         double before, std::string& why);

// A condition written back as text ("< 300", "~ \"db-sg\"").
std::string to_string(const LabCondition& c);

// The challenge: a run's outcome against its lesson's Goal.
struct GoalCheck {
    bool has_goal = false;
    bool met = false;
    std::vector<std::string> lines;  // one per condition: "[ok] slo.availability_met = 1 (...)"
    std::string hint;                // the lesson's hint in the language asked (English if none)
};
// Runs `spec` (a validated lab, possibly edited) to its end and checks its Goal; `warnings`
// are what loading and validating printed (for `stderr` conditions). Throws
// std::invalid_argument when the description's markers are malformed.
GoalCheck check_goal(const scenario::Spec& spec, LabLanguage language,
                     const std::string& warnings = "");

}  // namespace stratus::report
