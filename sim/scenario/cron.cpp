#include "sim/scenario/cron.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <exception>
#include <vector>

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

namespace stratus::scenario {
namespace {

struct FieldDef {
    const char* name;
    int min;
    int max;                   // 7 for the day of week: 7 is a second spelling of Sunday
    const char* const* names;  // names[i] spells min + i; null when the field has none
    int name_count;
};

constexpr const char* kMonthNames[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                       "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr const char* kWeekdayNames[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

constexpr std::array<FieldDef, 5> kFields = {{
    {"minute", 0, 59, nullptr, 0},
    {"hour", 0, 23, nullptr, 0},
    {"day-of-month", 1, 31, nullptr, 0},
    {"month", 1, 12, kMonthNames, 12},
    {"day-of-week", 0, 7, kWeekdayNames, 7},
}};

// The days a month can have, leap years included: decides whether a day-of-month can occur.
constexpr int kMaxDaysInMonth[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

// Carries what the error message needs, so each check only says what is wrong.
struct FieldParser {
    std::string_view expression;
    std::string_view text;
    const FieldDef& def;

    [[noreturn]] void fail(const std::string& problem) const {
        throw CronError(
            fmt::format("cron \"{}\": {} field \"{}\": {}", expression, def.name, text, problem));
    }

    // A number or, where the field has them, a three-letter name.
    int value(std::string_view token) const {
        if (token.empty()) fail("a value is missing");
        if (std::isdigit(static_cast<unsigned char>(token[0]))) {
            int v = 0;
            for (char c : token) {
                if (!std::isdigit(static_cast<unsigned char>(c)))
                    fail(fmt::format("\"{}\" is not a number", token));
                // Saturating: anything this large is out of range anyway, and must not overflow.
                v = std::min(v * 10 + (c - '0'), 1000);
            }
            if (v < def.min || v > def.max)
                fail(fmt::format("{} is outside {}-{}", token, def.min, def.max));
            return v;
        }
        if (def.names != nullptr && token.size() == 3) {
            std::string upper(token);
            for (char& c : upper)
                c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            for (int i = 0; i < def.name_count; ++i)
                if (upper == def.names[i]) return def.min + i;
        }
        if (def.names != nullptr)
            fail(fmt::format("\"{}\" is neither a number nor a name ({}-{})", token, def.names[0],
                             def.names[def.name_count - 1]));
        // The non-standard characters of other cron dialects get a pointed message.
        if (token == "?" || token == "L" || token.find('#') != std::string_view::npos ||
            token.find('W') != std::string_view::npos)
            fail(fmt::format("\"{}\" is not standard 5-field cron (no ?, L, W or #)", token));
        fail(fmt::format("\"{}\" is not a number", token));
    }

    // One list item: *, n, a-b, */s, a-b/s or a/s, as a bit mask over the field's values.
    std::uint64_t item(std::string_view token) const {
        if (token.empty()) fail("empty list item");
        int step = 1;
        const auto slash = token.find('/');
        std::string_view range = token.substr(0, slash);
        if (slash != std::string_view::npos) {
            const std::string_view s = token.substr(slash + 1);
            if (s.empty() || s.find_first_not_of("0123456789") != std::string_view::npos)
                fail(fmt::format("step \"{}\" is not a positive number", s));
            if (s.size() > 3 || std::stoi(std::string(s)) == 0)
                fail(fmt::format("step \"{}\" is outside 1-{}", s, def.max));
            step = std::stoi(std::string(s));
        }
        int lo = 0;
        int hi = 0;
        if (range == "*") {
            lo = def.min;
            hi = def.max;
        } else if (const auto dash = range.find('-'); dash != std::string_view::npos) {
            lo = value(range.substr(0, dash));
            const std::string_view end = range.substr(dash + 1);
            hi = value(end);
            // FRI-SUN reads naturally as Friday to Sunday: SUN as the end of a range is 7.
            if (def.max == 7 && hi == 0 && lo > 0 && !end.empty() &&
                !std::isdigit(static_cast<unsigned char>(end[0])))
                hi = 7;
            if (lo > hi) fail(fmt::format("range {} starts after it ends", range));
        } else {
            lo = value(range);
            // a/s runs from a to the end of the field, as in cronie and AWS's other schedulers.
            hi = slash == std::string_view::npos ? lo : def.max;
        }
        std::uint64_t bits = 0;
        for (int v = lo; v <= hi; v += step)
            bits |= std::uint64_t{1} << v;
        return bits;
    }

    std::uint64_t field() const {
        std::uint64_t bits = 0;
        std::size_t start = 0;
        while (true) {
            const auto comma = text.find(',', start);
            bits |= item(text.substr(start, comma - start));
            if (comma == std::string_view::npos) break;
            start = comma + 1;
        }
        return bits;
    }
};

// Unix seconds of the first occurrence of a local time, or nothing when a DST change skips it.
// A null zone is UTC, which needs no tz database.
std::optional<std::int64_t> to_unix(const date::time_zone* zone, date::local_seconds local) {
    const std::int64_t local_s = local.time_since_epoch().count();
    if (zone == nullptr) return local_s;
    const date::local_info info = zone->get_info(local);
    if (info.result == date::local_info::nonexistent) return std::nullopt;
    // For an ambiguous time `first` is the offset in force before the clocks went back,
    // which gives the earlier instant.
    return local_s - info.first.offset.count();
}

const date::time_zone* locate(std::string_view time_zone) {
    if (time_zone == "UTC") return nullptr;
    try {
        return date::locate_zone(time_zone);
    } catch (const std::exception& e) {
        throw CronError(fmt::format(
            "unknown time zone \"{}\": expected an IANA name such as America/New_York ({})",
            time_zone, e.what()));
    }
}

}  // namespace

CronSchedule CronSchedule::parse(std::string_view expression) {
    std::vector<std::string_view> fields;
    std::size_t i = 0;
    while (i < expression.size()) {
        if (std::isspace(static_cast<unsigned char>(expression[i]))) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < expression.size() && !std::isspace(static_cast<unsigned char>(expression[j])))
            ++j;
        fields.push_back(expression.substr(i, j - i));
        i = j;
    }
    if (fields.size() != kFields.size())
        throw CronError(fmt::format(
            "cron \"{}\": {} fields, expected 5: minute hour day-of-month month day-of-week",
            expression, fields.size()));

    std::array<std::uint64_t, 5> bits{};
    for (std::size_t f = 0; f < kFields.size(); ++f)
        bits[f] = FieldParser{expression, fields[f], kFields[f]}.field();

    CronSchedule s;
    s.expression_ = std::string(expression);
    s.minutes_ = bits[0];
    s.hours_ = static_cast<std::uint32_t>(bits[1]);
    s.days_ = static_cast<std::uint32_t>(bits[2]);
    s.months_ = static_cast<std::uint16_t>(bits[3]);
    // Sunday is 0 and 7: fold 7 onto 0 so each weekday has one bit.
    s.weekdays_ = static_cast<std::uint8_t>((bits[4] | (bits[4] >> 7)) & 0x7f);
    s.day_star_ = fields[2][0] == '*';
    s.weekday_star_ = fields[4][0] == '*';

    // "0 0 31 4 *" would never fire. Only checked when the day-of-month alone decides: with
    // a restricted day of week too the days are ORed, and every valid date falls on every
    // weekday in some year.
    if (s.day_star_ || s.weekday_star_) {
        bool possible = false;
        for (int m = 1; m <= 12 && !possible; ++m) {
            if (!(s.months_ >> m & 1)) continue;
            for (int d = 1; d <= kMaxDaysInMonth[m - 1] && !possible; ++d)
                possible = (s.days_ >> d & 1) != 0;
        }
        if (!possible)
            throw CronError(fmt::format(
                "cron \"{}\": day-of-month field \"{}\": no such day in month field \"{}\", "
                "the schedule would never fire",
                expression, fields[2], fields[3]));
    }
    return s;
}

bool CronSchedule::matches_day(int day_of_month, int month, int day_of_week) const {
    if (!(months_ >> month & 1)) return false;
    const bool day = (days_ >> day_of_month & 1) != 0;
    const bool weekday = (weekdays_ >> (day_of_week % 7) & 1) != 0;
    if (!day_star_ && !weekday_star_) return day || weekday;
    return day && weekday;
}

bool CronSchedule::matches(int minute, int hour, int day_of_month, int month,
                           int day_of_week) const {
    return (minutes_ >> minute & 1) && (hours_ >> hour & 1) &&
           matches_day(day_of_month, month, day_of_week);
}

std::optional<std::int64_t> CronSchedule::next_fire(std::int64_t after_epoch_s,
                                                    std::string_view time_zone) const {
    using namespace std::chrono;
    const date::time_zone* zone = locate(time_zone);
    const date::sys_seconds after{seconds{after_epoch_s}};
    const date::local_seconds local_after =
        zone == nullptr ? date::local_seconds{after.time_since_epoch()} : zone->to_local(after);

    // Mapping each existing local time to its first occurrence is strictly increasing, so no
    // local time at or before local_after can fire after `after`: the scan starts at the next
    // local minute and the first candidate that maps past `after` is the answer. (Inside the
    // repeated hour of a fall-back the first few candidates map before it and are passed.)
    const date::local_seconds start = date::floor<minutes>(local_after) + minutes{1};
    const date::local_days first_day = date::floor<date::days>(start);
    constexpr int kCycleDays = 146097;  // 400 Gregorian years: calendar and weekdays repeat
    for (int n = 0; n <= kCycleDays; ++n) {
        const date::local_days day = first_day + date::days{n};
        const date::year_month_day ymd{day};
        const int weekday = static_cast<int>(date::weekday{day}.c_encoding());
        if (!matches_day(static_cast<int>(static_cast<unsigned>(ymd.day())),
                         static_cast<int>(static_cast<unsigned>(ymd.month())), weekday))
            continue;
        for (int h = 0; h < 24; ++h) {
            if (!(hours_ >> h & 1)) continue;
            for (int m = 0; m < 60; ++m) {
                if (!(minutes_ >> m & 1)) continue;
                const date::local_seconds local = day + hours{h} + minutes{m};
                if (local < start) continue;
                const auto fire = to_unix(zone, local);
                if (fire && *fire > after_epoch_s) return fire;
            }
        }
    }
    return std::nullopt;
}

std::optional<std::string> check_time_zone(std::string_view time_zone) {
    try {
        locate(time_zone);
    } catch (const CronError& e) {
        return std::string(e.what());
    }
    return std::nullopt;
}

namespace {

// EventBridge's day-of-week 1-7 (SUN-SAT) as cron's 0-6; names and `*` pass as they are.
std::string shift_weekdays(std::string_view field) {
    std::string out;
    for (std::size_t i = 0; i < field.size();) {
        if (!std::isdigit(static_cast<unsigned char>(field[i]))) {
            // A step ("/2") keeps its number.
            if (field[i] == '/') {
                while (i < field.size() && field[i] != ',')
                    out += field[i++];
                continue;
            }
            out += field[i++];
            continue;
        }
        int n = 0;
        while (i < field.size() && std::isdigit(static_cast<unsigned char>(field[i])))
            n = std::min(n * 10 + (field[i++] - '0'), 100);
        if (n < 1 || n > 7)
            throw CronError(
                fmt::format("day-of-week \"{}\": {} is outside 1-7 (SUN-SAT)", field, n));
        out += std::to_string(n - 1);
    }
    return out;
}

AppSchedule parse_at(std::string_view body, std::string_view text) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    char tail = 0;
    const std::string b(body);
    if (std::sscanf(b.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &tail) != 6 ||
        mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59 || h < 0 || mi < 0 || s < 0)
        throw CronError(fmt::format("schedule \"{}\": expected at(yyyy-mm-ddThh:mm:ss)", text));
    const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)},
                                   date::day{static_cast<unsigned>(d)}};
    if (!ymd.ok())
        throw CronError(fmt::format("schedule \"{}\": {}-{:02}-{:02} is no date", text, y, mo, d));
    AppSchedule out;
    out.kind = AppSchedule::Kind::At;
    out.at_local_s =
        date::local_days{ymd}.time_since_epoch().count() * 86400 + h * 3600 + mi * 60 + s;
    return out;
}

AppSchedule parse_rate(std::string_view body, std::string_view text) {
    const std::string b(body);
    long long value = 0;
    char unit[16] = {};
    if (std::sscanf(b.c_str(), "%lld %15s", &value, unit) != 2 || value <= 0 || value > 1000000)
        throw CronError(
            fmt::format("schedule \"{}\": expected rate(value unit) with a positive value", text));
    const std::string u(unit);
    std::int64_t seconds = 0;
    if (u == "minute" || u == "minutes")
        seconds = 60;
    else if (u == "hour" || u == "hours")
        seconds = 3600;
    else if (u == "day" || u == "days")
        seconds = 86400;
    else
        throw CronError(
            fmt::format("schedule \"{}\": unit \"{}\": expected minutes, hours or days", text, u));
    AppSchedule out;
    out.kind = AppSchedule::Kind::Rate;
    out.rate_s = value * seconds;
    return out;
}

AppSchedule parse_app_cron(std::string_view body, std::string_view text) {
    std::vector<std::string> f;
    std::size_t i = 0;
    while (i < body.size()) {
        while (i < body.size() && body[i] == ' ')
            ++i;
        const std::size_t start = i;
        while (i < body.size() && body[i] != ' ')
            ++i;
        if (i > start) f.emplace_back(body.substr(start, i - start));
    }
    if (f.size() != 6)
        throw CronError(fmt::format(
            "schedule \"{}\": expected cron(minutes hours day-of-month month day-of-week year), "
            "6 fields, found {}",
            text, f.size()));
    if (f[5] != "*" && f[5] != "?")
        throw CronError(
            fmt::format("schedule \"{}\": year \"{}\": only * is modelled", text, f[5]));
    if (f[2] == "?") f[2] = "*";
    f[4] = f[4] == "?" ? "*" : shift_weekdays(f[4]);
    AppSchedule out;
    out.kind = AppSchedule::Kind::Cron;
    out.cron = CronSchedule::parse(fmt::format("{} {} {} {} {}", f[0], f[1], f[2], f[3], f[4]));
    return out;
}

}  // namespace

std::optional<std::int64_t> AppSchedule::at_epoch(std::string_view time_zone) const {
    return to_unix(locate(time_zone), date::local_seconds{std::chrono::seconds{at_local_s}});
}

AppSchedule parse_app_schedule(std::string_view text) {
    auto body = [&](std::string_view prefix) -> std::optional<std::string_view> {
        if (text.size() < prefix.size() + 1 || text.substr(0, prefix.size()) != prefix ||
            text.back() != ')')
            return std::nullopt;
        return text.substr(prefix.size(), text.size() - prefix.size() - 1);
    };
    if (auto b = body("at(")) return parse_at(*b, text);
    if (auto b = body("rate(")) return parse_rate(*b, text);
    if (auto b = body("cron(")) return parse_app_cron(*b, text);
    throw CronError(fmt::format(
        "schedule \"{}\": expected at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(...)", text));
}

}  // namespace stratus::scenario
