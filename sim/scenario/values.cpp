// Value syntax of a scenario that TOML itself does not have: durations, date-times, times
// of day, CIDR blocks, and the CSV files that traces and empirical samples are read from.
#include <cctype>
#include <cmath>

#include <fmt/format.h>

#include "sim/scenario/internal.hpp"

namespace stratus::scenario::detail {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

// Parses digits at s[i..]; advances i. Returns nullopt if there are none.
std::optional<std::int64_t> parse_digits(std::string_view s, std::size_t& i, std::size_t max_len) {
    std::int64_t v = 0;
    std::size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) && i - start < max_len) {
        v = v * 10 + (s[i] - '0');
        ++i;
    }
    if (i == start) return std::nullopt;
    return v;
}

}  // namespace

std::optional<SimTime> parse_duration(std::string_view text) {
    std::string_view s = trim(text);
    if (s.empty()) return std::nullopt;
    bool negative = false;
    if (s.front() == '-' || s.front() == '+') {
        negative = s.front() == '-';
        s.remove_prefix(1);
    }
    // One or more <number><unit> parts: "90s", "1.5s", "1h30m".
    long double total = 0;
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t start = i;
        while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.'))
            ++i;
        if (i == start) return std::nullopt;
        std::string number(s.substr(start, i - start));
        if (number.find('.') != number.rfind('.') || number == ".") return std::nullopt;
        while (i < s.size() && s[i] == ' ')
            ++i;
        std::size_t ustart = i;
        while (i < s.size() && !std::isdigit(static_cast<unsigned char>(s[i])) && s[i] != ' ' &&
               s[i] != '.')
            ++i;
        std::string_view unit = s.substr(ustart, i - ustart);
        while (i < s.size() && s[i] == ' ')
            ++i;
        SimTime scale = 0;
        if (unit == "us" || unit == "\xC2\xB5s")
            scale = kMicrosecond;
        else if (unit == "ms")
            scale = kMillisecond;
        else if (unit == "s")
            scale = kSecond;
        else if (unit == "m" || unit == "min")
            scale = kMinute;
        else if (unit == "h")
            scale = kHour;
        else if (unit == "d")
            scale = kDay;
        else
            return std::nullopt;
        try {
            total += std::stold(number) * scale;
        } catch (const std::out_of_range&) {
            return std::nullopt;  // more digits than a long double holds, or fewer than it resolves
        }
    }
    if (total > static_cast<long double>(kNever) / 2) return std::nullopt;
    auto v = static_cast<SimTime>(std::llround(total));
    return negative ? -v : v;
}

SimTime mean_duration(const DurationDist& d) {
    switch (d.kind) {
        case DistKind::Uniform:
            return d.min / 2 + d.max / 2;
        case DistKind::Empirical: {
            if (d.samples.empty()) return 0;
            long double sum = 0;
            for (SimTime v : d.samples)
                sum += v;
            return static_cast<SimTime>(sum / d.samples.size());
        }
        default:
            return d.mean;
    }
}

std::string format_duration(SimTime t) {
    if (t == 0) return "0s";
    std::string sign = t < 0 ? "-" : "";
    SimTime a = t < 0 ? -t : t;
    struct Unit {
        SimTime scale;
        const char* name;
    };
    static constexpr Unit kUnits[] = {{kDay, "d"},    {kHour, "h"},         {kMinute, "m"},
                                      {kSecond, "s"}, {kMillisecond, "ms"}, {kMicrosecond, "us"}};
    for (const auto& u : kUnits)
        if (a % u.scale == 0) return fmt::format("{}{}{}", sign, a / u.scale, u.name);
    return fmt::format("{}{}us", sign, a);
}

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    // Howard Hinnant's algorithm: days since 1970-01-01 of a proleptic Gregorian date.
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::optional<std::int64_t> parse_rfc3339(std::string_view text) {
    std::string_view s = trim(text);
    std::size_t i = 0;
    auto expect = [&](char c) {
        if (i < s.size() && (s[i] == c || std::tolower(static_cast<unsigned char>(s[i])) == c)) {
            ++i;
            return true;
        }
        return false;
    };
    auto year = parse_digits(s, i, 4);
    if (!year || i != 4 || !expect('-')) return std::nullopt;
    auto month = parse_digits(s, i, 2);
    if (!month || !expect('-')) return std::nullopt;
    auto day = parse_digits(s, i, 2);
    if (!day) return std::nullopt;
    if (!(expect('t') || expect(' '))) return std::nullopt;
    auto hour = parse_digits(s, i, 2);
    if (!hour || !expect(':')) return std::nullopt;
    auto minute = parse_digits(s, i, 2);
    if (!minute || !expect(':')) return std::nullopt;
    auto second = parse_digits(s, i, 2);
    if (!second) return std::nullopt;
    if (expect('.')) {
        if (!parse_digits(s, i, 9)) return std::nullopt;
    }
    std::int64_t offset = 0;
    if (expect('z')) {
    } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        int sign = s[i] == '-' ? -1 : 1;
        ++i;
        auto oh = parse_digits(s, i, 2);
        if (!oh || !expect(':')) return std::nullopt;
        auto om = parse_digits(s, i, 2);
        if (!om || *oh > 23 || *om > 59) return std::nullopt;
        offset = sign * (*oh * 3600 + *om * 60);
    } else {
        return std::nullopt;  // RFC 3339 needs an offset; a local time is ambiguous
    }
    if (i != s.size()) return std::nullopt;
    static constexpr int kDaysIn[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (*month < 1 || *month > 12 || *day < 1 || *day > kDaysIn[*month - 1] || *hour > 23 ||
        *minute > 59 || *second > 60)
        return std::nullopt;
    bool leap = (*year % 4 == 0 && *year % 100 != 0) || *year % 400 == 0;
    if (*month == 2 && *day == 29 && !leap) return std::nullopt;
    std::int64_t days =
        days_from_civil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day));
    return days * 86400 + *hour * 3600 + *minute * 60 + *second - offset;
}

std::optional<SimTime> parse_time_of_day(std::string_view text) {
    std::string_view s = trim(text);
    std::size_t i = 0;
    auto hour = parse_digits(s, i, 2);
    if (!hour || i >= s.size() || s[i] != ':') return std::nullopt;
    ++i;
    auto minute = parse_digits(s, i, 2);
    if (!minute) return std::nullopt;
    std::int64_t second = 0;
    if (i < s.size() && s[i] == ':') {
        ++i;
        auto sec = parse_digits(s, i, 2);
        if (!sec) return std::nullopt;
        second = *sec;
    }
    if (i != s.size() || *hour > 23 || *minute > 59 || second > 59) return std::nullopt;
    return *hour * kHour + *minute * kMinute + second * kSecond;
}

void CsvRows::iterator::advance() {
    while (!rest_.empty()) {
        const std::size_t newline = rest_.find('\n');
        std::string_view l = rest_.substr(0, newline);
        rest_ = newline == std::string_view::npos ? std::string_view() : rest_.substr(newline + 1);
        ++line_;
        l = trim(l);
        if (l.empty() || l.front() == '#') continue;
        row_.line = line_;
        std::size_t cells = 0;
        std::size_t start = 0;
        while (true) {
            std::size_t comma = l.find(',', start);
            std::string_view cell = trim(l.substr(
                start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
            if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"')
                cell = cell.substr(1, cell.size() - 2);
            if (cells < row_.cells.size())
                row_.cells[cells].assign(cell.data(), cell.size());
            else
                row_.cells.emplace_back(cell);
            ++cells;
            if (comma == std::string_view::npos) break;
            start = comma + 1;
        }
        row_.cells.resize(cells);
        return;
    }
    done_ = true;
}

}  // namespace stratus::scenario::detail
