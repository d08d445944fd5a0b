#pragma once
// The recurrence of an Auto Scaling scheduled action: a 5-field Unix cron expression
// (minute hour day-of-month month day-of-week), evaluated in UTC or in an IANA time zone.
// Rules: the EC2 Auto Scaling User Guide (scheduled scaling); the choices AWS leaves open
// (DST gaps and overlaps, the two day fields) are listed in docs/model.md ("Schedules and
// CIDR"). A value type: parsing validates everything, next_fire() is a pure function.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace stratus::scenario {

// A malformed cron expression or an unknown time zone. The message names the bad field and
// the value that broke it, e.g.
//   cron "0 25 * * *": hour field "25": 25 is outside 0-23
class CronError : public std::invalid_argument {
  public:
    using std::invalid_argument::invalid_argument;
};

class CronSchedule {
  public:
    // Fields, separated by blanks: minute (0-59), hour (0-23), day-of-month (1-31), month
    // (1-12 or JAN-DEC), day-of-week (0-7 or SUN-SAT; 0 and 7 are Sunday). Each field is a
    // comma-separated list of `*`, `n`, `a-b`, `*/s`, `a-b/s` or `a/s` (= a to the field's
    // maximum, every s). Names are case-insensitive. Throws CronError.
    static CronSchedule parse(std::string_view expression);

    // The first whole minute strictly after after_epoch_s (Unix seconds) whose wall-clock time
    // in time_zone (an IANA name such as "America/New_York"; "UTC" by default) matches, as
    // Unix seconds. A local time that a DST change skips does not fire; one that occurs
    // twice fires once, at its first occurrence. Nothing when no match exists within 400
    // years (the Gregorian calendar's cycle; parse() rejects days that never occur, so only
    // DST gaps swallowing every match can cause it). Throws CronError for an unknown time
    // zone.
    std::optional<std::int64_t> next_fire(std::int64_t after_epoch_s,
                                          std::string_view time_zone = "UTC") const;

    // Whether a wall-clock time matches (day_of_week: 0 = Sunday ... 6 = Saturday). When both
    // day fields are restricted (neither starts with `*`), a day matches if either does,
    // as in Vixie cron; otherwise both must.
    bool matches(int minute, int hour, int day_of_month, int month, int day_of_week) const;
    bool matches_day(int day_of_month, int month, int day_of_week) const;

    // The expression as given.
    const std::string& expression() const { return expression_; }

    // The same value sets and the same AND/OR rule for the day fields, whatever the spelling
    // ("MON-FRI" == "1-5"; "0-7" != "*", which differ in the day rule).
    friend bool operator==(const CronSchedule& a, const CronSchedule& b) {
        return a.minutes_ == b.minutes_ && a.hours_ == b.hours_ && a.days_ == b.days_ &&
               a.months_ == b.months_ && a.weekdays_ == b.weekdays_ && a.day_star_ == b.day_star_ &&
               a.weekday_star_ == b.weekday_star_;
    }
    friend bool operator!=(const CronSchedule& a, const CronSchedule& b) { return !(a == b); }

  private:
    // One bit per allowed value: minutes 0-59, hours 0-23, days 1-31, months 1-12,
    // weekdays 0-6 (7 folded onto 0).
    std::uint64_t minutes_ = 0;
    std::uint32_t hours_ = 0;
    std::uint32_t days_ = 0;
    std::uint16_t months_ = 0;
    std::uint8_t weekdays_ = 0;
    // Whether the day fields start with `*`: decides AND or OR between them.
    bool day_star_ = true;
    bool weekday_star_ = true;
    std::string expression_;
};

// An Application Auto Scaling schedule (PutScheduledAction's Schedule):
//   at(yyyy-mm-ddThh:mm:ss)  once, at that wall-clock time of the action's timezone;
//   rate(value unit)         every value minutes, hours or days;
//   cron(fields)             EventBridge's six fields, minutes hours day-of-month month
//                            day-of-week year: day-of-week 1-7 is SUN-SAT (or the names), `?`
//                            stands for either day field, and the year must be `*` (a run
//                            lasts less than one).
struct AppSchedule {
    enum class Kind { At, Rate, Cron };
    Kind kind = Kind::At;
    std::int64_t at_local_s = 0;  // At: the wall-clock time, counted as Unix seconds
    std::int64_t rate_s = 0;      // Rate: the interval, seconds
    CronSchedule cron;            // Cron: as a 5-field expression
    // At: Unix seconds of the time in `time_zone`; nothing when a DST change skips it.
    std::optional<std::int64_t> at_epoch(std::string_view time_zone) const;
};
// Throws CronError naming what is wrong, e.g. `rate(0 minutes)`: the value must be positive.
AppSchedule parse_app_schedule(std::string_view text);

// Why a time zone name cannot be used, or nothing when it can ("UTC" always can; other
// names are looked up in the system's tz database, /usr/share/zoneinfo).
std::optional<std::string> check_time_zone(std::string_view time_zone);

}  // namespace stratus::scenario
