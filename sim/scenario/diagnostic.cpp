#include "sim/scenario/diagnostic.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/scenario/internal.hpp"

namespace stratus::scenario {

std::string Diagnostic::format() const {
    std::string out = pos.file.empty() ? std::string("<scenario>") : pos.file;
    if (pos.line > 0) {
        out += fmt::format(":{}", pos.line);
        if (pos.column > 0) out += fmt::format(":{}", pos.column);
    }
    out += severity == Severity::Error ? ": error: " : ": warning: ";
    if (!key_path.empty()) out += key_path + ": ";
    out += message;
    // The file of an override is the override's text: a value of megabytes shows shortened.
    return detail::shortened_words(out);
}

SourcePos position_of(const Spec& spec, const KeyPositions& pos, const std::string& key) {
    auto it = pos.find(key);
    if (it == pos.end()) it = pos.find("");
    return it == pos.end() ? SourcePos{spec.source_file, 0, 0} : it->second;
}

namespace {
std::string join_messages(const std::vector<Diagnostic>& diagnostics) {
    std::string out;
    for (const auto& d : diagnostics) {
        if (!out.empty()) out += '\n';
        out += d.format();
    }
    return out.empty() ? std::string("invalid scenario") : out;
}
}  // namespace

ScenarioError::ScenarioError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join_messages(diagnostics)), diagnostics_(std::move(diagnostics)) {}

namespace detail {

void Diagnostics::error(SourcePos pos, std::string key_path, std::string message) {
    if (errors_.size() >= kMaxErrors) {
        if (!truncated_) {
            truncated_ = true;
            errors_.push_back({Severity::Error, SourcePos{pos.file, 0, 0}, "",
                               fmt::format("too many errors; stopped after {}", kMaxErrors)});
        }
        return;
    }
    // A name of 100 KB in a key path would make a 100 KB message.
    errors_.push_back(
        {Severity::Error, std::move(pos), shortened_path(key_path), shortened_words(message)});
}

void Diagnostics::warning(SourcePos pos, std::string key_path, std::string message) {
    // Warnings are capped like errors: a file of thousands of late spikes says so in a line,
    // the last one, which counts them.
    if (warnings_.size() >= kMaxErrors) {
        ++dropped_warnings_;
        std::string count = fmt::format("{} more warning{} not shown", dropped_warnings_,
                                        dropped_warnings_ == 1 ? "" : "s");
        if (dropped_warnings_ == 1)
            warnings_.push_back({Severity::Warning, SourcePos{pos.file, 0, 0}, "", count});
        else
            warnings_.back().message = std::move(count);
        return;
    }
    warnings_.push_back(
        {Severity::Warning, std::move(pos), shortened_path(key_path), shortened_words(message)});
}

void Diagnostics::sort() {
    // The "too many errors" note stays last; everything else goes in file order.
    auto by_position = [](const Diagnostic& a, const Diagnostic& b) {
        bool a_set = a.pos.file.rfind("--set", 0) == 0, b_set = b.pos.file.rfind("--set", 0) == 0;
        if (a_set != b_set) return a_set;
        return std::make_pair(a.pos.line, a.pos.column) < std::make_pair(b.pos.line, b.pos.column);
    };
    auto end = truncated_ ? errors_.end() - 1 : errors_.end();
    std::stable_sort(errors_.begin(), end, by_position);
    std::stable_sort(warnings_.begin(),
                     dropped_warnings_ > 0 ? warnings_.end() - 1 : warnings_.end(), by_position);
}

}  // namespace detail
}  // namespace stratus::scenario
