#include "sim/report/lab.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/cloud/world.hpp"
#include "sim/report/outputs.hpp"

namespace stratus::report {

namespace {

enum class Marker { None, English, Korean, Lesson, Try, Expect, Goal, Hint };

struct MarkerName {
    Marker marker;
    const char* text;
};

// Each marker in both languages; a section accepts either spelling.
constexpr MarkerName kMarkers[] = {
    {Marker::English, "EN:"},     {Marker::Korean, "KO:"},   {Marker::Lesson, "Lesson:"},
    {Marker::Lesson, "배울 점:"}, {Marker::Try, "Try:"},     {Marker::Try, "바꿔 볼 것:"},
    {Marker::Expect, "Expect:"},  {Marker::Expect, "예상:"}, {Marker::Goal, "Goal:"},
    {Marker::Goal, "목표:"},      {Marker::Hint, "Hint:"},   {Marker::Hint, "힌트:"},
};

std::string trim(const std::string& s) {
    const auto a = s.find_first_not_of(" \t");
    if (a == std::string::npos) return "";
    const auto b = s.find_last_not_of(" \t");
    return s.substr(a, b - a + 1);
}

Marker marker_of(const std::string& line, std::string& rest) {
    for (const auto& m : kMarkers) {
        const std::string text = m.text;
        if (line.compare(0, text.size(), text) == 0) {
            rest = trim(line.substr(text.size()));
            return m.marker;
        }
    }
    return Marker::None;
}

[[noreturn]] void fail(int line, const std::string& what) {
    throw std::invalid_argument(fmt::format("line {} of the description: {}", line, what));
}

LabCondition parse_condition(std::string text, bool allow_ratio) {
    text = trim(text);
    LabCondition c;
    auto quoted = [&](std::size_t from) {
        std::string q = trim(text.substr(from));
        if (q.size() < 2 || q.front() != '"' || q.back() != '"')
            throw std::invalid_argument("expected a quoted text in \"" + text + "\"");
        return q.substr(1, q.size() - 2);
    };
    if (text.compare(0, 2, "!~") == 0) {
        c.op = LabCondition::Op::Lacks;
        c.text = quoted(2);
        return c;
    }
    if (text.compare(0, 1, "~") == 0) {
        c.op = LabCondition::Op::Contains;
        c.text = quoted(1);
        return c;
    }
    std::size_t skip = 0;
    if (text.compare(0, 2, "<=") == 0) {
        c.op = LabCondition::Op::LessEqual, skip = 2;
    } else if (text.compare(0, 2, ">=") == 0) {
        c.op = LabCondition::Op::GreaterEqual, skip = 2;
    } else if (text.compare(0, 1, "<") == 0) {
        c.op = LabCondition::Op::Less, skip = 1;
    } else if (text.compare(0, 1, ">") == 0) {
        c.op = LabCondition::Op::Greater, skip = 1;
    } else if (text.compare(0, 1, "=") == 0) {
        c.op = LabCondition::Op::Equal, skip = 1;
    } else if (allow_ratio && text.compare(0, 1, "x") == 0) {
        c.op = LabCondition::Op::Ratio, skip = 1;
    }
    const std::string number = trim(text.substr(skip));
    std::size_t used = 0;
    try {
        c.number = std::stod(number, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (number.empty() || used != number.size())
        throw std::invalid_argument("expected a number in \"" + text + "\"");
    return c;
}

}  // namespace

std::vector<LabExpectation> parse_lab_conditions(const std::string& text, bool with_after) {
    std::vector<LabExpectation> out;
    std::stringstream in(text);
    std::string part;
    while (std::getline(in, part, ';')) {
        part = trim(part);
        if (part.empty()) continue;
        const auto space = part.find(' ');
        if (space == std::string::npos)
            throw std::invalid_argument("a condition needs a key and a test: \"" + part + "\"");
        LabExpectation e;
        e.key = part.substr(0, space);
        const std::string rest = part.substr(space + 1);
        if (with_after) {
            const auto arrow = rest.find("->");
            if (arrow == std::string::npos)
                throw std::invalid_argument("expected BEFORE -> AFTER in \"" + part + "\"");
            e.before = parse_condition(rest.substr(0, arrow), false);
            e.after = parse_condition(rest.substr(arrow + 2), true);
        } else {
            e.before = parse_condition(rest, false);
        }
        out.push_back(std::move(e));
    }
    if (out.empty()) throw std::invalid_argument("no condition in \"" + text + "\"");
    return out;
}

// One pass over the lines; a Lesson or Hint continues on the lines indented below it.
LabText parse_lab_text(const std::string& description) {
    LabText lab;
    LabSection* section = nullptr;
    std::string* continued = nullptr;
    std::stringstream in(description);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        std::string rest;
        const Marker m = marker_of(line, rest);
        if (m == Marker::None) {
            if (continued && !line.empty() && (line[0] == ' ' || line[0] == '\t'))
                *continued += " " + trim(line);
            else
                continued = nullptr;
            if (section) section->text += line + "\n";
            continue;
        }
        continued = nullptr;
        if (m == Marker::English || m == Marker::Korean) {
            section = m == Marker::English ? &lab.english : &lab.korean;
            if (section->present) fail(number, "a second " + line.substr(0, 3) + " section");
            section->present = true;
            section->text = rest + "\n";
            continue;
        }
        if (!section) fail(number, "a marker before the EN: or KO: section");
        section->text += line + "\n";
        try {
            switch (m) {
                case Marker::Lesson:
                    section->lesson = rest;
                    continued = &section->lesson;
                    break;
                case Marker::Hint:
                    section->hint = rest;
                    continued = &section->hint;
                    break;
                case Marker::Try: {
                    const auto open = rest.find('`');
                    const auto close = open == std::string::npos ? open : rest.find('`', open + 1);
                    if (open != 0 || close == std::string::npos)
                        fail(number, "a Try line starts with a command in backticks");
                    section->tries.push_back({rest.substr(1, close - 1), {}, number});
                    break;
                }
                case Marker::Expect:
                    if (section->tries.empty() || !section->tries.back().expect.empty())
                        fail(number, "an Expect line belongs right after its Try line");
                    section->tries.back().expect = parse_lab_conditions(rest, true);
                    break;
                case Marker::Goal:
                    section->goal = parse_lab_conditions(rest, false);
                    break;
                default:
                    break;
            }
        } catch (const std::invalid_argument& e) {
            const std::string what = e.what();
            if (what.compare(0, 5, "line ") == 0) throw;
            fail(number, what);
        }
    }
    return lab;
}

LabObservation observe(const nlohmann::json& summary, const std::string& timeseries_csv,
                       const std::string& events_jsonl) {
    LabObservation o;
    o.summary = summary;
    std::stringstream csv(timeseries_csv);
    std::string line;
    auto split = [](const std::string& s) {
        std::vector<std::string> cells;
        std::stringstream in(s);
        std::string cell;
        while (std::getline(in, cell, ','))
            cells.push_back(cell);
        if (!s.empty() && s.back() == ',') cells.emplace_back();
        return cells;
    };
    if (std::getline(csv, line)) o.columns = split(line);
    while (std::getline(csv, line))
        if (!line.empty()) o.rows.push_back(split(line));
    std::stringstream events(events_jsonl);
    while (std::getline(events, line)) {
        if (line.empty()) continue;
        const auto j = nlohmann::json::parse(line, nullptr, false);
        if (!j.is_object() || !j.contains("type") || !j["type"].is_string()) continue;
        const std::string type = j["type"].get<std::string>();
        ++o.event_counts[type];
        for (const auto& [field, v] : j.items()) {
            if (field == "type" || field == "t" || v.is_object() || v.is_array()) continue;
            const std::string text = v.is_string() ? v.get<std::string>() : v.dump();
            ++o.event_counts[type + "[" + field + "=" + text + "]"];
        }
    }
    return o;
}

namespace {

bool timeseries_value(const LabObservation& o, const std::string& spec, double& value) {
    const auto dot = spec.rfind('.');
    if (dot == std::string::npos) return false;
    const std::string column = spec.substr(0, dot), how = spec.substr(dot + 1);
    std::size_t index = o.columns.size();
    for (std::size_t i = 0; i < o.columns.size(); ++i)
        if (o.columns[i] == column) index = i;
    if (index == o.columns.size()) return false;
    bool any = false;
    double acc = 0;
    for (const auto& row : o.rows) {
        if (index >= row.size() || row[index].empty()) continue;
        const double v = std::stod(row[index]);
        if (!any) {
            acc = v;
        } else if (how == "max") {
            acc = std::max(acc, v);
        } else if (how == "min") {
            acc = std::min(acc, v);
        } else if (how == "sum") {
            acc += v;
        } else if (how == "last") {
            acc = v;
        } else {
            return false;
        }
        any = true;
    }
    value = acc;
    return any;
}

}  // namespace

bool lab_value(const LabObservation& o, const std::string& key, double& value) {
    if (key == "exit") {
        value = o.exit_status;
        return true;
    }
    if (key.compare(0, 11, "timeseries.") == 0) return timeseries_value(o, key.substr(11), value);
    if (key.compare(0, 7, "events.") == 0) {
        const auto it = o.event_counts.find(key.substr(7));
        value = it == o.event_counts.end() ? 0 : it->second;
        return !o.summary.is_null();
    }
    const nlohmann::json* at = &o.summary;
    std::stringstream path(key);
    std::string part;
    while (std::getline(path, part, '.')) {
        if (!at->is_object() || !at->contains(part)) return false;
        at = &(*at)[part];
    }
    if (at->is_boolean()) {
        value = at->get<bool>() ? 1 : 0;
        return true;
    }
    if (!at->is_number()) return false;
    value = at->get<double>();
    return true;
}

std::string to_string(const LabCondition& c) {
    switch (c.op) {
        case LabCondition::Op::Less:
            return fmt::format("< {:g}", c.number);
        case LabCondition::Op::LessEqual:
            return fmt::format("<= {:g}", c.number);
        case LabCondition::Op::Greater:
            return fmt::format("> {:g}", c.number);
        case LabCondition::Op::GreaterEqual:
            return fmt::format(">= {:g}", c.number);
        case LabCondition::Op::Equal:
            return fmt::format("= {:g}", c.number);
        case LabCondition::Op::Ratio:
            return fmt::format("x{:g}", c.number);
        case LabCondition::Op::Contains:
            return "~ \"" + c.text + "\"";
        case LabCondition::Op::Lacks:
            return "!~ \"" + c.text + "\"";
    }
    return "";
}

bool lab_condition_holds(const LabObservation& o, const std::string& key, const LabCondition& c,
                         double before, std::string& why) {
    if (c.op == LabCondition::Op::Contains || c.op == LabCondition::Op::Lacks) {
        if (key != "stderr") {
            why = key + ": only stderr takes a text test";
            return false;
        }
        const bool found = o.stderr_text.find(c.text) != std::string::npos;
        why = found ? "stderr has \"" + c.text + "\"" : "stderr has no \"" + c.text + "\"";
        return found == (c.op == LabCondition::Op::Contains);
    }
    double v = 0;
    if (!lab_value(o, key, v)) {
        why = key + " is not in this run's outputs";
        return false;
    }
    why = fmt::format("{} = {:g}", key, v);
    const double tolerance = 1e-9 * std::max(1.0, std::fabs(c.number));
    switch (c.op) {
        case LabCondition::Op::Less:
            return v < c.number;
        case LabCondition::Op::LessEqual:
            return v <= c.number + tolerance;
        case LabCondition::Op::Greater:
            return v > c.number;
        case LabCondition::Op::GreaterEqual:
            return v >= c.number - tolerance;
        case LabCondition::Op::Equal:
            return std::fabs(v - c.number) <= tolerance;
        case LabCondition::Op::Ratio: {
            const double want = before * c.number;
            why += fmt::format(" (x{:g} of {:g} is {:g})", c.number, before, want);
            return std::fabs(v - want) <= 0.05 * std::fabs(want) + 1e-12;
        }
        default:
            return false;
    }
}

GoalCheck check_goal(const scenario::Spec& spec, LabLanguage language,
                     const std::string& warnings) {
    GoalCheck out;
    const LabText lab = parse_lab_text(spec.simulation.description);
    const auto& goal = lab.english.goal;
    if (goal.empty()) return out;
    out.has_goal = true;
    Run run(spec);
    run.world().run();
    LabObservation o = observe(make_summary(run), timeseries_csv(run), events_jsonl(run));
    o.stderr_text = warnings;
    out.met = true;
    const bool ko = language == LabLanguage::Korean;
    for (const auto& c : goal) {
        std::string why;
        const bool ok = lab_condition_holds(o, c.key, c.before, 0, why);
        out.met = out.met && ok;
        out.lines.push_back(fmt::format("[{}] {} {}  ({})",
                                        ok ? (ko ? "통과" : "ok") : (ko ? "실패" : "no"), c.key,
                                        to_string(c.before), why));
    }
    const LabSection& section = lab.section(language).present ? lab.section(language) : lab.english;
    out.hint = section.hint.empty() ? lab.english.hint : section.hint;
    return out;
}

}  // namespace stratus::report
