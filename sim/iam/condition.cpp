// Condition operators and how they meet missing and multivalued keys, as "IAM JSON policy
// elements: Condition operators" and "Set operators for multivalued context keys" state.
#include "sim/iam/condition.hpp"

#include <algorithm>
#include <array>
#include <cctype>
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

// An address or a CIDR block, IPv4 or IPv6, as 16 bytes (IPv4 in the first four) with its
// family and prefix length; host bits beyond the prefix are cleared.
struct Cidr {
    bool v6 = false;
    std::array<std::uint8_t, 16> bytes{};
    int prefix = 32;
};

// "a.b.c.d" into out[0..3].
bool parse_v4(std::string_view text, std::uint8_t* out) {
    for (int i = 0; i < 4; ++i) {
        const auto dot = i < 3 ? text.find('.') : text.size();
        if (dot == std::string_view::npos || dot == 0 || dot > 3) return false;
        const auto octet = parse_number(text.substr(0, dot));
        if (!octet || *octet < 0 || *octet > 255 || *octet != static_cast<int>(*octet))
            return false;
        out[i] = static_cast<std::uint8_t>(*octet);
        text = i < 3 ? text.substr(dot + 1) : std::string_view();
    }
    return true;
}

// RFC 4291 text: eight groups of up to four hex digits, "::" for a run of zero groups, and
// an optional dotted IPv4 tail ("::ffff:192.0.2.1"). Hex digits in either case.
bool parse_v6(std::string_view text, std::uint8_t* out) {
    std::array<std::uint16_t, 8> groups{};
    int count = 0, gap = -1;  // gap: the group index where "::" stands
    if (text.substr(0, 2) == "::") {
        gap = 0;
        text.remove_prefix(2);
    }
    while (!text.empty()) {
        const auto colon = text.find(':');
        const auto part = text.substr(0, colon);
        if (part.find('.') != std::string_view::npos && colon == std::string_view::npos) {
            std::uint8_t v4[4];
            if (count > 6 || !parse_v4(part, v4)) return false;
            groups[count++] = static_cast<std::uint16_t>(v4[0] << 8 | v4[1]);
            groups[count++] = static_cast<std::uint16_t>(v4[2] << 8 | v4[3]);
            break;
        }
        if (part.empty() || part.size() > 4 || count == 8) return false;
        std::uint16_t g = 0;
        for (char c : part) {
            const int d = std::isxdigit(static_cast<unsigned char>(c)) == 0 ? -1
                          : c <= '9'                                        ? c - '0'
                                     : (std::tolower(static_cast<unsigned char>(c)) - 'a' + 10);
            if (d < 0) return false;
            g = static_cast<std::uint16_t>(g << 4 | d);
        }
        groups[count++] = g;
        if (colon == std::string_view::npos) break;
        text.remove_prefix(colon + 1);
        if (!text.empty() && text.front() == ':') {
            if (gap >= 0) return false;  // only one "::"
            gap = count;
            text.remove_prefix(1);
        } else if (text.empty()) {
            return false;  // a trailing single colon
        }
    }
    if (gap < 0 ? count != 8 : count > 7) return false;
    std::array<std::uint16_t, 8> full{};
    for (int i = 0; i < count; ++i)
        full[i < (gap < 0 ? 8 : gap) ? i : i + 8 - count] = groups[i];
    for (int i = 0; i < 8; ++i) {
        out[2 * i] = static_cast<std::uint8_t>(full[i] >> 8);
        out[2 * i + 1] = static_cast<std::uint8_t>(full[i] & 0xff);
    }
    return true;
}

// "a.b.c.d", "a.b.c.d/n", "2001:db8::1", "2001:DB8:1234:5678::/64". Without a prefix an
// address is a block of one (/32, /128), as AWS documents.
std::optional<Cidr> parse_cidr(std::string_view text) {
    Cidr c;
    c.v6 = text.find(':') != std::string_view::npos;
    c.prefix = c.v6 ? 128 : 32;
    if (auto slash = text.find('/'); slash != std::string_view::npos) {
        const auto p = parse_number(text.substr(slash + 1));
        if (!p || *p < 0 || *p > c.prefix || *p != static_cast<int>(*p)) return std::nullopt;
        c.prefix = static_cast<int>(*p);
        text = text.substr(0, slash);
    }
    if (!(c.v6 ? parse_v6(text, c.bytes.data()) : parse_v4(text, c.bytes.data())))
        return std::nullopt;
    for (int bit = c.prefix; bit < 128; ++bit)
        c.bytes[bit / 8] &= static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
    return c;
}

// Is the address `a` (a block of one) inside the block `b`? Only within one family.
bool in_block(const Cidr& a, const Cidr& b) {
    if (a.v6 != b.v6 || a.prefix != (a.v6 ? 128 : 32)) return false;
    for (int bit = 0; bit < b.prefix; ++bit) {
        const std::uint8_t m = static_cast<std::uint8_t>(0x80u >> (bit % 8));
        if ((a.bytes[bit / 8] & m) != (b.bytes[bit / 8] & m)) return false;
    }
    return true;
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
        case Op::Bool: {  // the one non-string, non-ARN operator that takes variables
            const auto t = text();
            return t && to_lower(unescape(*t)) == to_lower(v);
        }
        case Op::BinaryEquals:
            return v == p;
        case Op::IpAddress:
        case Op::NotIpAddress: {
            const auto block = parse_cidr(p), address = parse_cidr(v);
            return block && address && in_block(*address, *block);
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

// Does one of the policy's values hold a variable that cannot be resolved (its key absent, no
// default)? Only the string and ARN operators replace variables.
bool unresolved_value(const Condition& c, const RequestContext& context, bool variables) {
    const bool takes_variables =
        c.op != Op::NumericNotEquals && c.op != Op::DateNotEquals && c.op != Op::NotIpAddress;
    return variables && takes_variables &&
           std::any_of(c.values.begin(), c.values.end(),
                       [&](const std::string& p) { return !substitute(p, context, variables); });
}

}  // namespace

bool condition_holds(const Condition& c, const RequestContext& context, bool variables) {
    const std::vector<std::string>* values = context.find(c.key);
    const bool present = values && !values->empty();
    if (c.op == Op::Null) {
        // "true": the key is absent or its value is null; "false": it exists with a value. A
        // key whose values are all empty strings is null ("a null dataset, such as an empty
        // string", as "Multivalued context key examples" puts it, which pairs ForAllValues with
        // Null "false" to keep missing *and* empty keys out). Several values: any of them.
        const bool has_value =
            present && std::any_of(values->begin(), values->end(),
                                   [](const std::string& v) { return !v.empty(); });
        for (const auto& p : c.values)
            if ((to_lower(p) == "true") == !has_value) return true;
        return false;
    }
    if (!present && c.if_exists) return true;
    // "If AWS cannot resolve a variable this might cause the entire statement to be invalid"
    // (IAM User Guide, "Variables and tags"): a negated operator cannot say the key differs from
    // a value it cannot know, so it is false and the statement does not apply (a Deny with
    // StringNotEquals on ${aws:PrincipalTag/project} leaves alone a caller without the tag).
    // A positive operator simply finds no match in such a value (base_match).
    if (negated(c.op) && unresolved_value(c, context, variables)) return false;
    if (!present) {
        if (c.set == SetQualifier::ForAllValues) return true;  // vacuously, as AWS documents
        if (c.set == SetQualifier::ForAnyValue) return false;
        return negated(c.op);  // a key that must not match, and is absent, does not match
    }
    // A key that resolves to an empty set (one empty string) makes ForAllValues true and
    // ForAnyValue false, as "Set operators for multivalued context keys" notes.
    const bool empty_set =
        std::all_of(values->begin(), values->end(), [](const std::string& v) { return v.empty(); });
    if (c.set != SetQualifier::None && empty_set) return c.set == SetQualifier::ForAllValues;
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
