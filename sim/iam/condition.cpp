// Condition operators and how they meet missing and multivalued keys, as "IAM JSON policy
// elements: Condition operators" and "Set operators for multivalued context keys" state.
#include "sim/iam/condition.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

namespace stratus::iam {
namespace {

using Op = ConditionOp;

bool negated(Op op) {
    switch (op) {
        case Op::StringNotEquals:
        case Op::StringNotEqualsIgnoreCase:
        case Op::StringNotLike:
        case Op::NumericNotEquals:
        case Op::DateNotEquals:
        case Op::NotIpAddress:
        case Op::ArnNotEquals:
        case Op::ArnNotLike:
            return true;
        default:
            return false;
    }
}

std::optional<double> parse_number(std::string_view text) {
    if (text.empty()) return std::nullopt;
    const std::string s(text);
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size()) return std::nullopt;
    return v;
}

// "a.b.c.d" or "a.b.c.d/n" -> (network address, prefix); host bits are ignored.
std::optional<std::pair<std::uint32_t, int>> parse_cidr(std::string_view text) {
    int prefix = 32;
    if (auto slash = text.find('/'); slash != std::string_view::npos) {
        const auto p = parse_number(text.substr(slash + 1));
        if (!p || *p < 0 || *p > 32 || *p != static_cast<int>(*p)) return std::nullopt;
        prefix = static_cast<int>(*p);
        text = text.substr(0, slash);
    }
    std::uint32_t address = 0;
    for (int i = 0; i < 4; ++i) {
        const auto dot = i < 3 ? text.find('.') : text.size();
        if (dot == std::string_view::npos || dot == 0 || dot > 3) return std::nullopt;
        const auto octet = parse_number(text.substr(0, dot));
        if (!octet || *octet < 0 || *octet > 255) return std::nullopt;
        address = address << 8 | static_cast<std::uint32_t>(*octet);
        text = i < 3 ? text.substr(dot + 1) : std::string_view();
    }
    const std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
    return std::make_pair(address & mask, prefix);
}

// The operator's comparison without its negation: does the context value `v` match the
// policy value `p`?
bool base_match(Op op, const std::string& v, const std::string& p, const RequestContext& context,
                bool variables) {
    auto text = [&]() { return substitute(p, context, variables); };
    auto numbers = [&](auto cmp) {
        const auto a = parse_number(v), b = parse_number(p);
        return a && b && cmp(*a, *b);
    };
    auto dates = [&](auto cmp) {
        const auto a = parse_date(v), b = parse_date(p);
        return a && b && cmp(*a, *b);
    };
    switch (op) {
        case Op::StringEquals:
        case Op::StringNotEquals: {
            const auto t = text();
            return t && unescape(*t) == v;
        }
        case Op::StringEqualsIgnoreCase:
        case Op::StringNotEqualsIgnoreCase: {
            const auto t = text();
            return t && to_lower(unescape(*t)) == to_lower(v);
        }
        case Op::StringLike:
        case Op::StringNotLike: {
            const auto t = text();
            return t && wildcard_match(*t, v, false);
        }
        case Op::NumericEquals:
        case Op::NumericNotEquals:
            return numbers([](double a, double b) { return a == b; });
        case Op::NumericLessThan:
            return numbers([](double a, double b) { return a < b; });
        case Op::NumericLessThanEquals:
            return numbers([](double a, double b) { return a <= b; });
        case Op::NumericGreaterThan:
            return numbers([](double a, double b) { return a > b; });
        case Op::NumericGreaterThanEquals:
            return numbers([](double a, double b) { return a >= b; });
        case Op::DateEquals:
        case Op::DateNotEquals:
            return dates([](double a, double b) { return a == b; });
        case Op::DateLessThan:
            return dates([](double a, double b) { return a < b; });
        case Op::DateLessThanEquals:
            return dates([](double a, double b) { return a <= b; });
        case Op::DateGreaterThan:
            return dates([](double a, double b) { return a > b; });
        case Op::DateGreaterThanEquals:
            return dates([](double a, double b) { return a >= b; });
        case Op::Bool:
            return to_lower(v) == to_lower(p);
        case Op::BinaryEquals:
            return v == p;
        case Op::IpAddress:
        case Op::NotIpAddress: {
            const auto block = parse_cidr(p), address = parse_cidr(v);
            if (!block || !address || address->second != 32) return false;
            const int n = block->second;
            const std::uint32_t mask = n == 0 ? 0 : ~std::uint32_t{0} << (32 - n);
            return (address->first & mask) == block->first;
        }
        case Op::ArnEquals:
        case Op::ArnLike:
        case Op::ArnNotEquals:
        case Op::ArnNotLike: {
            const auto t = text();
            return t && arn_matches(*t, v);
        }
        case Op::Null:
            return false;  // handled by condition_holds
    }
    return false;
}

// One context value against the policy's values: any of them (OR), then the negation.
bool value_holds(const Condition& c, const std::string& v, const RequestContext& context,
                 bool variables) {
    bool any = false;
    for (const auto& p : c.values)
        if (base_match(c.op, v, p, context, variables)) {
            any = true;
            break;
        }
    return negated(c.op) ? !any : any;
}

}  // namespace

bool condition_holds(const Condition& c, const RequestContext& context, bool variables) {
    const std::vector<std::string>* values = context.find(c.key);
    const bool present = values && !values->empty();
    if (c.op == Op::Null) {
        // "true": the key must be absent; "false": present. Several values: any of them.
        for (const auto& p : c.values)
            if ((to_lower(p) == "true") == !present) return true;
        return false;
    }
    if (!present) {
        if (c.if_exists) return true;
        if (c.set == SetQualifier::ForAllValues) return true;  // vacuously, as AWS documents
        if (c.set == SetQualifier::ForAnyValue) return false;
        return negated(c.op);  // a key that must not match, and is absent, does not match
    }
    switch (c.set) {
        case SetQualifier::ForAllValues:
            for (const auto& v : *values)
                if (!value_holds(c, v, context, variables)) return false;
            return true;
        case SetQualifier::ForAnyValue:
            for (const auto& v : *values)
                if (value_holds(c, v, context, variables)) return true;
            return false;
        case SetQualifier::None:
            break;
    }
    // A single-valued operator on several values: a positive operator needs one of them to
    // match, a negated one needs none to (the negation of the positive form).
    if (negated(c.op)) {
        for (const auto& v : *values)
            if (!value_holds(c, v, context, variables)) return false;
        return true;
    }
    for (const auto& v : *values)
        if (value_holds(c, v, context, variables)) return true;
    return false;
}

bool conditions_hold(const std::vector<Condition>& conditions, const RequestContext& context,
                     bool variables) {
    for (const auto& c : conditions)
        if (!condition_holds(c, context, variables)) return false;
    return true;
}

std::optional<double> parse_date(std::string_view t) {
    if (auto epoch = parse_number(t); epoch && t.find('-') == std::string_view::npos) return epoch;
    auto digits = [&](std::size_t at, std::size_t n) -> std::optional<int> {
        if (at + n > t.size()) return std::nullopt;
        int v = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            if (t[i] < '0' || t[i] > '9') return std::nullopt;
            v = v * 10 + (t[i] - '0');
        }
        return v;
    };
    const auto y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
    if (!y || !m || !d || t[4] != '-' || t[7] != '-' || *m < 1 || *m > 12 || *d < 1 || *d > 31)
        return std::nullopt;
    // Days from 1970-01-01 (Howard Hinnant's days_from_civil).
    const int yy = *y - (*m <= 2);
    const int era = yy / 400;
    const int yoe = yy - era * 400;
    const int doy = (153 * (*m + (*m > 2 ? -3 : 9)) + 2) / 5 + *d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    double seconds = (era * 146097.0 + doe - 719468) * 86400.0;
    if (t.size() == 10) return seconds;
    if (t[10] != 'T' && t[10] != 't' && t[10] != ' ') return std::nullopt;
    const auto hh = digits(11, 2), mm = digits(14, 2);
    if (!hh || !mm || t[13] != ':') return std::nullopt;
    seconds += *hh * 3600.0 + *mm * 60.0;
    std::size_t at = 16;
    if (at < t.size() && t[at] == ':') {
        const auto ss = digits(at + 1, 2);
        if (!ss) return std::nullopt;
        seconds += *ss;
        at += 3;
        if (at < t.size() && t[at] == '.') {
            std::size_t end = at + 1;
            while (end < t.size() && t[end] >= '0' && t[end] <= '9')
                ++end;
            seconds += std::atof(std::string(t.substr(at, end - at)).c_str());
            at = end;
        }
    }
    if (at == t.size() || ((t[at] == 'Z' || t[at] == 'z') && at + 1 == t.size())) return seconds;
    if ((t[at] == '+' || t[at] == '-') && at + 6 == t.size() && t[at + 3] == ':') {
        const auto oh = digits(at + 1, 2), om = digits(at + 4, 2);
        if (!oh || !om) return std::nullopt;
        const double offset = *oh * 3600.0 + *om * 60.0;
        return t[at] == '+' ? seconds - offset : seconds + offset;
    }
    return std::nullopt;
}

}  // namespace stratus::iam
