#include "sim/scenario/reference.hpp"

#include <cctype>
#include <cmath>

#include <fmt/format.h>

#include "sim/scenario/internal.hpp"
#include "sim/scenario/settings.hpp"

namespace stratus::scenario {
namespace {

// A table cell: pipes would end it.
std::string cell(std::string_view text) {
    std::string out;
    for (char ch : text) {
        if (ch == '|') out += '\\';
        out += ch;
    }
    return out;
}

std::string code(std::string_view text) {
    return text.empty() ? std::string() : fmt::format("`{}`", text);
}

// A default written as TOML ("300", "\"EC2\"", "[]") in code; a description as text.
std::string default_text(const KeyDef& k) {
    if (k.required) return "required";
    const std::string_view d = k.default_text;
    const bool number = !d.empty() && d.find_first_not_of("0123456789.") == std::string_view::npos;
    const bool literal = number || d == "true" || d == "false" ||
                         (!d.empty() && (d[0] == '"' || d[0] == '[' || d[0] == '{'));
    return literal ? code(d) : std::string(d);
}

std::string range_text(const KeyDef& k) {
    const Range& r = k.range;
    const bool has_min = std::isfinite(r.min), has_max = std::isfinite(r.max);
    if (!has_min && !has_max) return "";
    if (!has_max) return fmt::format("{} {}", r.min_open ? ">" : ">=", r.min);
    if (!has_min) return fmt::format("{} {}", r.max_open ? "<" : "<=", r.max);
    if (!r.min_open && !r.max_open) return fmt::format("{} to {}", r.min, r.max);
    return fmt::format("{} {} and {} {}", r.min_open ? ">" : ">=", r.min,
                       r.max_open ? "<" : "<=", r.max);
}

std::string type_text(const KeyDef& k) {
    std::string out = type_name(k.type);
    if (!k.choices.empty()) {
        std::string names;
        for (const auto& c : k.choices)
            names += (names.empty() ? "" : ", ") + code(c);
        out += ": " + names;
    }
    return out;
}

std::string names_text(const KeyDef& k) {
    if (!*k.aws && !*k.terraform) return "";
    if (!*k.terraform) return code(k.aws);
    if (!*k.aws) return "Terraform " + code(k.terraform);
    return fmt::format("{}; Terraform {}", code(k.aws), code(k.terraform));
}

std::string run_text(const KeyDef& k) {
    std::string out;
    if (k.by_action()) out = "action";
    if (k.by_viewer()) out += out.empty() ? "viewer" : ", viewer";
    if (!k.in_file() && !out.empty()) out += " (only)";
    return out;
}

// The table of the grammar the key sits in ("pool[].price." -> pool, then price).
const TableDef& table_holding(const KeyDef& k) {
    const TableDef* t = table_of(k.section);
    std::string_view parent = k.parent();
    while (!parent.empty()) {
        const auto dot = parent.find('.');
        std::string_view name = parent.substr(0, dot);
        if (name.size() > 2 && name.substr(name.size() - 2) == "[]") name.remove_suffix(2);
        t = t->child(name);
        parent.remove_prefix(dot + 1);
    }
    return *t;
}

std::string key_text(const TableDef& table, const KeyDef& k) {
    std::string out = code(k.path);
    std::string also;
    for (std::string_view alias : table.aliases_of(k.name()))
        also += (also.empty() ? "" : ", ") + code(std::string(k.parent()) + std::string(alias));
    if (!also.empty()) out += " (also " + also + ")";
    return out;
}

std::string heading(const SectionDef& s) {
    switch (s.kind) {
        case SectionKind::Singleton:
            return fmt::format("## [{}]", s.name);
        case SectionKind::Array:
            return fmt::format("## [[{}]]", s.name);
        case SectionKind::Value:
            return fmt::format("## {} (a value)", s.name);
    }
    return "";
}

std::string section_text(const SectionDef& s) {
    std::string meaning = s.meaning;
    if (!meaning.empty()) meaning[0] = static_cast<char>(std::toupper(meaning[0]));
    std::string out = heading(s) + "\n\n" + meaning;
    if (s.required) out += " (required)";
    out += ".";
    if (s.is_array())
        out += *s.name_key ? fmt::format(" Each element is named by `{}`.", s.name_key)
                           : " Elements are addressed by their index (0, 1, ...).";
    if (*s.terraform) out += fmt::format(" Terraform: `{}`.", s.terraform);
    out += "\n\n";
    std::string_view discriminator;
    for (const KeyDef& k : keys())
        if (s.name == std::string_view(k.section) && k.discriminator) discriminator = k.name();
    const bool variants = !discriminator.empty();
    out += variants
               ? "| key | when | type | default | range | unit | AWS; Terraform | run | meaning |\n"
                 "|---|---|---|---|---|---|---|---|---|\n"
               : "| key | type | default | range | unit | AWS; Terraform | run | meaning |\n"
                 "|---|---|---|---|---|---|---|---|\n";
    for (const KeyDef& k : keys()) {
        if (s.name != std::string_view(k.section)) continue;
        std::string when;
        if (variants && *k.variants) {
            std::string list(k.variants);
            for (auto& ch : list)
                if (ch == ' ') ch = ',';
            when = fmt::format("{} = {}", discriminator, list);
        }
        std::string row = "| " + key_text(table_holding(k), k) + " | ";
        if (variants) row += cell(when) + " | ";
        row += cell(type_text(k)) + " | " + cell(default_text(k)) + " | " + cell(range_text(k)) +
               " | " + cell(k.unit) + " | " + cell(names_text(k)) + " | " + run_text(k) + " | " +
               cell(k.modelled ? std::string(k.meaning)
                               : std::string("accepted, not modelled: ") + k.meaning) +
               " |\n";
        out += row;
    }
    return out;
}

}  // namespace

std::string reference_markdown() {
    std::string out =
        "# Scenario key reference\n"
        "\n"
        "Every section and key a scenario file may hold, generated from the loader's grammar\n"
        "(`sim/scenario/settings.cpp`) by `stratus reference`. Do not edit this file by hand:\n"
        "change the grammar and run `build/stratus reference > docs/reference.md` (a test fails\n"
        "while they differ). `docs/scenario-format.md` explains the values, the checks, `--set`\n"
        "and `[[action]]` around it.\n"
        "\n"
        "Columns: **type** and **range** are what the loader accepts (a value outside the range\n"
        "is an error at its line and column); **default** is what a missing key means\n"
        "(`stratus explain` writes every default out); **unit** is what a number counts;\n"
        "**AWS; Terraform** are the names of the same setting in the AWS API and in the\n"
        "Terraform AWS provider; **run**: `action` means an `[[action]]` can change it during a\n"
        "run, `viewer` that a command of stratus-viz can too, `(only)` that only a run can (the\n"
        "file cannot hold it). Any key a file holds can also be given by `--set PATH=VALUE`.\n"
        "A key written `a.b` sits in the table `a`; `a[].b` in each table of the array `a`.\n"
        "Alternative spellings are listed after the key (\"also\"); they load exactly like it.\n";
    for (const auto& s : sections())
        out += "\n" + section_text(s);
    return out;
}

}  // namespace stratus::scenario
