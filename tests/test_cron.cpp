// Cron recurrences of scheduled actions (EC2 Auto Scaling scheduled scaling). Expected
// instants are worked out by hand from the calendar and the zones' published rules; utc()
// below is an independent civil-date conversion, not the library under test.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "sim/scenario/cron.hpp"

namespace test_cron {

using namespace stratus::scenario;

namespace {

// Unix seconds of a UTC civil time (Howard Hinnant's days_from_civil).
std::int64_t utc(int y, int m, int d, int hh = 0, int mm = 0, int ss = 0) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const std::int64_t days = era * 146097 + doe - 719468;
    return days * 86400 + hh * 3600 + mm * 60 + ss;
}

std::optional<std::int64_t> next(const std::string& cron, std::int64_t after,
                                 const std::string& zone = "UTC") {
    return CronSchedule::parse(cron).next_fire(after, zone);
}

std::string error_of(const std::string& cron) {
    try {
        CronSchedule::parse(cron);
    } catch (const CronError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("utc() helper agrees with known epochs", "[cron]") {
    CHECK(utc(1970, 1, 1) == 0);
    CHECK(utc(2026, 1, 5) == 1767571200);  // the scenario format's default start_time
}

TEST_CASE("Weekdays at 09:00 in Asia/Seoul fire at 00:00 UTC", "[cron]") {
    // Seoul is UTC+9 all year (no DST). 2026-01-05 is a Monday.
    const auto s = CronSchedule::parse("0 9 * * MON-FRI");
    const std::string seoul = "Asia/Seoul";
    CHECK(s.next_fire(utc(2026, 1, 4, 23, 59), seoul) == utc(2026, 1, 5));
    // Strictly after: the firing instant itself moves on to Tuesday.
    CHECK(s.next_fire(utc(2026, 1, 5), seoul) == utc(2026, 1, 6));
    // Friday 09:00 KST -> Monday 09:00 KST, over the weekend.
    CHECK(s.next_fire(utc(2026, 1, 9), seoul) == utc(2026, 1, 12));
    // Saturday 08:59 local is still the weekend.
    CHECK(s.next_fire(utc(2026, 1, 9, 23, 59), seoul) == utc(2026, 1, 12));
    // The same expression in UTC fires nine hours later.
    CHECK(s.next_fire(utc(2026, 1, 5)) == utc(2026, 1, 5, 9));
}

TEST_CASE("America/New_York across DST changes", "[cron]") {
    const std::string ny = "America/New_York";
    // 2026: clocks go 02:00 EST -> 03:00 EDT on Sunday 8 March, and 02:00 EDT -> 01:00 EST on
    // Sunday 1 November.
    SECTION("a daily time follows the wall clock: UTC-5 before, UTC-4 after") {
        const auto s = CronSchedule::parse("0 9 * * *");
        CHECK(s.next_fire(utc(2026, 3, 7, 14), ny) == utc(2026, 3, 8, 13));
        CHECK(s.next_fire(utc(2026, 3, 6, 13), ny) == utc(2026, 3, 6, 14));
        CHECK(s.next_fire(utc(2026, 10, 31, 13), ny) == utc(2026, 11, 1, 14));
    }
    SECTION("a local time that does not exist is skipped") {
        // 02:30 on 8 March never happens; the next 02:30 is 9 March, EDT.
        const auto s = CronSchedule::parse("30 2 * * *");
        CHECK(s.next_fire(utc(2026, 3, 7, 12), ny) == utc(2026, 3, 9, 6, 30));
        // Every 15 minutes: 01:45 EST is followed by 03:00 EDT.
        CHECK(next("*/15 * * * *", utc(2026, 3, 8, 6, 45), ny) == utc(2026, 3, 8, 7));
    }
    SECTION("an ambiguous local time fires once, at its first occurrence") {
        // 01:30 on 1 November happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST).
        const auto s = CronSchedule::parse("30 1 * * *");
        CHECK(s.next_fire(utc(2026, 11, 1, 5), ny) == utc(2026, 11, 1, 5, 30));
        CHECK(s.next_fire(utc(2026, 11, 1, 5, 30), ny) == utc(2026, 11, 2, 6, 30));
        // Asked from inside the repeated hour, the second 01:30 is not a new firing.
        CHECK(s.next_fire(utc(2026, 11, 1, 6, 10), ny) == utc(2026, 11, 2, 6, 30));
        // Every 15 minutes: after 01:45 EDT the repeated 01:00-01:45 EST do not fire again;
        // the next is 02:00 EST.
        CHECK(next("*/15 * * * *", utc(2026, 11, 1, 5, 45), ny) == utc(2026, 11, 1, 7));
        CHECK(next("*/15 * * * *", utc(2026, 11, 1, 6, 20), ny) == utc(2026, 11, 1, 7));
    }
}

TEST_CASE("Every 15 minutes", "[cron]") {
    const auto s = CronSchedule::parse("*/15 * * * *");
    CHECK(s.next_fire(utc(2026, 1, 5, 10, 7, 30)) == utc(2026, 1, 5, 10, 15));
    CHECK(s.next_fire(utc(2026, 1, 5, 10, 15)) == utc(2026, 1, 5, 10, 30));
    CHECK(s.next_fire(utc(2026, 1, 5, 10, 14, 59)) == utc(2026, 1, 5, 10, 15));
    CHECK(s.next_fire(utc(2026, 12, 31, 23, 50)) == utc(2027, 1, 1));
    CHECK(s == CronSchedule::parse("0,15,30,45 * * * *"));
    CHECK(s == CronSchedule::parse("0-59/15 * * * *"));
    CHECK(s == CronSchedule::parse("0/15 * * * *"));
    // Offsets and steps inside a range.
    CHECK(CronSchedule::parse("5/20 * * * *") == CronSchedule::parse("5,25,45 * * * *"));
    CHECK(CronSchedule::parse("10-30/10 * * * *") == CronSchedule::parse("10,20,30 * * * *"));
}

TEST_CASE("Day and month names, Sunday as 0 or 7", "[cron]") {
    CHECK(CronSchedule::parse("0 0 * * SUN") == CronSchedule::parse("0 0 * * 0"));
    CHECK(CronSchedule::parse("0 0 * * 7") == CronSchedule::parse("0 0 * * 0"));
    CHECK(CronSchedule::parse("0 0 * * SAT") == CronSchedule::parse("0 0 * * 6"));
    CHECK(CronSchedule::parse("0 0 * * mon-fri") == CronSchedule::parse("0 0 * * 1-5"));
    CHECK(CronSchedule::parse("0 0 * * FRI-SUN") == CronSchedule::parse("0 0 * * 5-7"));
    CHECK(CronSchedule::parse("0 0 * * 5-7") == CronSchedule::parse("0 0 * * 0,5,6"));
    CHECK(CronSchedule::parse("0 0 * * 0-7") == CronSchedule::parse("0 0 * * 0,1,2,3,4,5,6"));
    // Not the same as *: a restricted day of week is ORed with a restricted day of month.
    CHECK(CronSchedule::parse("0 0 * * 0-7") != CronSchedule::parse("0 0 * * *"));
    CHECK(CronSchedule::parse("0 0 1 JAN,Dec *") == CronSchedule::parse("0 0 1 1,12 *"));
    CHECK(CronSchedule::parse("0 0 1 OCT-DEC *") == CronSchedule::parse("0 0 1 10-12 *"));
    CHECK(CronSchedule::parse("0 0 * * 1") != CronSchedule::parse("0 0 * * 2"));

    // Saturday and Sunday at noon: 2026-01-10 is a Saturday.
    const auto weekend = CronSchedule::parse("0 12 * * SAT,SUN");
    CHECK(weekend.next_fire(utc(2026, 1, 5)) == utc(2026, 1, 10, 12));
    CHECK(weekend.next_fire(utc(2026, 1, 10, 12)) == utc(2026, 1, 11, 12));
    CHECK(weekend.next_fire(utc(2026, 1, 11, 12)) == utc(2026, 1, 17, 12));
    // Sunday spelled 7, and the last day of December.
    CHECK(next("0 0 * * 7", utc(2026, 1, 5)) == utc(2026, 1, 11));
    CHECK(next("59 23 31 DEC *", utc(2026, 1, 5)) == utc(2026, 12, 31, 23, 59));
    CHECK(CronSchedule::parse("0 0 * * 6").matches(0, 0, 10, 1, 6));
    CHECK(CronSchedule::parse("0 0 * * 7").matches(0, 0, 11, 1, 0));
}

TEST_CASE("Both day fields restricted: either matches", "[cron]") {
    // January 2026: the 13th is a Tuesday; Fridays are the 2nd, 9th, 16th...
    const auto s = CronSchedule::parse("0 0 13 * FRI");
    CHECK(s.next_fire(utc(2026, 1, 9)) == utc(2026, 1, 13));
    CHECK(s.next_fire(utc(2026, 1, 13)) == utc(2026, 1, 16));
    // A day-of-month starting with * leaves the day of week to decide with it (AND):
    // odd days that are Mondays, i.e. the 5th and the 19th.
    const auto odd_mondays = CronSchedule::parse("0 0 */2 * MON");
    CHECK(odd_mondays.next_fire(utc(2026, 1, 1)) == utc(2026, 1, 5));
    CHECK(odd_mondays.next_fire(utc(2026, 1, 5)) == utc(2026, 1, 19));
    // One restricted field alone decides.
    CHECK(next("0 0 1 * *", utc(2026, 1, 5)) == utc(2026, 2, 1));
}

TEST_CASE("Rare dates", "[cron]") {
    CHECK(next("0 0 29 2 *", utc(2026, 1, 5)) == utc(2028, 2, 29));
    CHECK(next("0 0 31 * *", utc(2026, 1, 31)) == utc(2026, 3, 31));
    // Before the epoch works too.
    CHECK(next("0 0 * * *", utc(1969, 12, 31, 12)) == utc(1970, 1, 1));
}

TEST_CASE("Cron errors name the bad field", "[cron]") {
    CHECK_THAT(error_of("0 9 * *"), Catch::Contains("4 fields, expected 5"));
    CHECK_THAT(error_of("0 0 9 * * *"), Catch::Contains("6 fields"));
    CHECK_THAT(error_of(""), Catch::Contains("0 fields"));
    CHECK(error_of("60 * * * *") == "cron \"60 * * * *\": minute field \"60\": 60 is outside 0-59");
    CHECK_THAT(error_of("0 24 * * *"), Catch::Contains("hour field \"24\": 24 is outside 0-23"));
    CHECK_THAT(error_of("0 0 0 * *"), Catch::Contains("day-of-month field \"0\""));
    CHECK_THAT(error_of("0 0 * 13 *"), Catch::Contains("month field \"13\": 13 is outside 1-12"));
    CHECK_THAT(error_of("0 0 * * 8"), Catch::Contains("day-of-week field \"8\": 8 is outside 0-7"));
    CHECK_THAT(error_of("0 0 * * FUN"),
               Catch::Contains("day-of-week field \"FUN\": \"FUN\" is neither a number nor a "
                               "name (SUN-SAT)"));
    CHECK_THAT(error_of("0 0 * JANUARY *"), Catch::Contains("month field \"JANUARY\""));
    CHECK_THAT(error_of("*/0 * * * *"), Catch::Contains("minute field \"*/0\": step \"0\""));
    CHECK_THAT(error_of("*/x * * * *"), Catch::Contains("is not a positive number"));
    CHECK_THAT(error_of("0 17-9 * * *"), Catch::Contains("hour field \"17-9\": range 17-9 starts "
                                                         "after it ends"));
    CHECK_THAT(error_of("1,,2 * * * *"), Catch::Contains("minute field \"1,,2\": empty list item"));
    CHECK_THAT(error_of("0 0 1- * *"), Catch::Contains("a value is missing"));
    CHECK_THAT(error_of("0 0 ? * MON"), Catch::Contains("not standard 5-field cron"));
    CHECK_THAT(error_of("0 0 L * *"), Catch::Contains("not standard 5-field cron"));
    CHECK_THAT(error_of("0 0 * * 1x"), Catch::Contains("\"1x\" is not a number"));
    CHECK_THAT(error_of("0 0 99999999999 * *"), Catch::Contains("is outside 1-31"));
    // A day that never occurs in the chosen months would never fire.
    CHECK_THAT(error_of("0 0 31 APR,JUN *"), Catch::Contains("never fire"));
    CHECK_THAT(error_of("0 0 30 2 *"), Catch::Contains("never fire"));
    // ...unless a restricted day of week can fire instead.
    CHECK(error_of("0 0 30 2 MON").empty());
    CHECK(error_of(" 0  9 * * MON-FRI ").empty());
}

TEST_CASE("Time zones", "[cron]") {
    CHECK_FALSE(check_time_zone("UTC"));
    CHECK_FALSE(check_time_zone("America/New_York"));
    CHECK_FALSE(check_time_zone("Asia/Seoul"));
    const auto bad = check_time_zone("Mars/Olympus_Mons");
    REQUIRE(bad);
    CHECK_THAT(*bad, Catch::Contains("unknown time zone \"Mars/Olympus_Mons\""));
    const auto s = CronSchedule::parse("0 9 * * *");
    CHECK_THROWS_AS(s.next_fire(0, "Mars/Olympus_Mons"), CronError);
    // Etc/UTC goes through the tz database and agrees with the built-in UTC.
    CHECK(s.next_fire(utc(2026, 1, 5), "Etc/UTC") == s.next_fire(utc(2026, 1, 5)));
    // A zone with a half-hour offset: India is UTC+5:30.
    CHECK(s.next_fire(utc(2026, 1, 5), "Asia/Kolkata") == utc(2026, 1, 5, 3, 30));
}

}  // namespace test_cron
