// Wildcards, ARNs and policy variables as "IAM JSON policy elements: Action", "Resource" and
// "IAM policy elements: Variables and tags" describe them.
#include "sim/iam/match.hpp"

#include <algorithm>
#include <cctype>

namespace stratus::iam {
namespace {

char fold(char c, bool ignore_case) {
    return ignore_case ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : c;
}

// The six parts of an ARN (the last keeps its colons), or nothing.
std::optional<std::vector<std::string_view>> arn_parts(std::string_view arn) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (int i = 0; i < 5; ++i) {
        // A backslash-escaped colon is not a separator (escaped patterns).
        std::size_t colon = start;
        while (colon < arn.size() && arn[colon] != ':')
            colon += arn[colon] == '\\' ? 2 : 1;
        if (colon >= arn.size()) return std::nullopt;
        parts.push_back(arn.substr(start, colon - start));
        start = colon + 1;
    }
    parts.push_back(arn.substr(start));
    return parts;
}

std::string escape(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '*' || c == '?' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

// The value of one variable's body ("aws:username", "aws:username, 'anonymous'", "*").
std::optional<std::string> variable_value(std::string_view body, const RequestContext& context) {
    if (body == "*") return std::string("\\*");
    if (body == "?") return std::string("\\?");
    if (body == "$") return std::string("$");
    std::optional<std::string> fallback;
    if (auto comma = body.find(','); comma != std::string_view::npos) {
        std::string_view d = body.substr(comma + 1);
        while (!d.empty() && d.front() == ' ')
            d.remove_prefix(1);
        while (!d.empty() && d.back() == ' ')
            d.remove_suffix(1);
        if (d.size() >= 2 && d.front() == '\'' && d.back() == '\'')
            fallback = escape(d.substr(1, d.size() - 2));
        body = body.substr(0, comma);
    }
    while (!body.empty() && body.back() == ' ')
        body.remove_suffix(1);
    const auto* values = context.find(body);
    if (values && !values->empty()) return escape(values->front());
    return fallback;
}

}  // namespace

std::string to_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        c = fold(c, true);
    return out;
}

void RequestContext::set(std::string_view key, std::vector<std::string> values) {
    erase(key);
    entries_.emplace_back(std::string(key), std::move(values));
}

void RequestContext::add(std::string_view key, std::string value) {
    for (auto& [k, v] : entries_)
        if (to_lower(k) == to_lower(key)) {
            v.push_back(std::move(value));
            return;
        }
    entries_.emplace_back(std::string(key), std::vector<std::string>{std::move(value)});
}

void RequestContext::erase(std::string_view key) {
    const std::string lower = to_lower(key);
    entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                  [&](const auto& e) { return to_lower(e.first) == lower; }),
                   entries_.end());
}

const std::vector<std::string>* RequestContext::find(std::string_view key) const {
    const std::string lower = to_lower(key);
    for (const auto& [k, v] : entries_)
        if (to_lower(k) == lower) return &v;
    return nullptr;
}

bool wildcard_match(std::string_view pattern, std::string_view text, bool ignore_case) {
    std::size_t p = 0, t = 0;
    std::size_t star = std::string_view::npos, star_t = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = ++p;
            star_t = t;
            continue;
        }
        if (p < pattern.size()) {
            const bool escaped = pattern[p] == '\\' && p + 1 < pattern.size();
            const char pc = escaped ? pattern[p + 1] : pattern[p];
            if ((!escaped && pc == '?') || fold(pc, ignore_case) == fold(text[t], ignore_case)) {
                p += escaped ? 2 : 1;
                ++t;
                continue;
            }
        }
        if (star == std::string_view::npos) return false;
        p = star;  // the last '*' takes one more character
        t = ++star_t;
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

bool action_matches(std::string_view pattern, std::string_view action) {
    std::string escaped;  // a policy's action has no escapes: a backslash is itself
    for (char c : pattern) {
        if (c == '\\') escaped += '\\';
        escaped += c;
    }
    return wildcard_match(escaped, action, true);
}

bool arn_matches(std::string_view pattern, std::string_view arn) {
    if (pattern == "*") return true;
    const auto pp = arn_parts(pattern), ap = arn_parts(arn);
    if (!pp || !ap) return wildcard_match(pattern, arn, false);
    for (std::size_t i = 0; i < 6; ++i)
        if (!wildcard_match((*pp)[i], (*ap)[i], false)) return false;
    return true;
}

std::optional<std::string> substitute(std::string_view text, const RequestContext& context,
                                      bool variables) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (variables && text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
            const auto close = text.find('}', i + 2);
            if (close != std::string_view::npos) {
                auto value = variable_value(text.substr(i + 2, close - i - 2), context);
                if (!value) return std::nullopt;
                out += *value;
                i = close;
                continue;
            }
        }
        if (text[i] == '\\') out += '\\';
        out += text[i];
    }
    return out;
}

std::string unescape(std::string_view pattern) {
    std::string out;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '\\' && i + 1 < pattern.size()) ++i;
        out += pattern[i];
    }
    return out;
}

}  // namespace stratus::iam
