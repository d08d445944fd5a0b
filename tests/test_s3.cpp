// S3 buckets billed as AWS bills them: storage per class, minimum durations and object sizes,
// the archive classes' per-object overhead, requests, retrieval, data transfer out, lifecycle
// transitions and expirations at midnight UTC. Every figure is worked out by hand beside it
// from the S3 list prices of us-east-1 (docs/pricing.md, "S3"): storage per GB-month STANDARD
// 0.023, STANDARD_IA 0.0125, ONEZONE_IA 0.01, INTELLIGENT_TIERING 0.023 (frequent access),
// GLACIER_IR 0.004, GLACIER 0.0036, DEEP_ARCHIVE 0.00099; requests per 1,000: PUT 0.005
// (STANDARD), 0.01 (IA classes), 0.02 (GLACIER_IR), 0.03 (GLACIER), 0.05 (DEEP_ARCHIVE), GET
// 0.0004 (STANDARD), 0.001 (IA classes); lifecycle transitions per 1,000 into STANDARD_IA
// 0.01, GLACIER 0.03; retrieval per GB 0.01 (IA classes); monitoring 0.0025 per 1,000 objects
// a month; internet egress 100 GB a month free, then 0.09 per GB. Runs start at midnight UTC
// on 2026-01-01: a GB-month is pro-rated over January's 744 hours (February 2026: 672,
// March: 744). 1 GB = 1,048,576 KB.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "sim/cloud/billing.hpp"
#include "sim/cloud/s3.hpp"
#include "sim/cloud/world.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/price_list.hpp"

namespace test_s3 {

using namespace stratus;
using cloud::ChargeLine;
using cloud::LineItem;

namespace {

Approx usd(double v) {
    return Approx(v).epsilon(1e-9).margin(1e-12);
}

struct Run {
    std::unique_ptr<report::Run> run;
    cloud::World* world = nullptr;  // run's
    const cloud::BillingLedger& ledger() const { return world->cost().ledger(); }
    const cloud::S3Bucket& bucket(const std::string& name) const {
        for (const auto& b : world->s3_buckets())
            if (b.name() == name) return b;
        FAIL("no bucket " << name);
        throw;  // not reached
    }
};

Run run_text(const std::string& toml, const std::vector<std::string>& sets = {}) {
    Run r;
    const scenario::Spec spec = scenario::load_text(toml, "s3.toml", sets);
    REQUIRE(scenario::unsupported_features(spec).empty());
    r.run = std::make_unique<report::Run>(spec);
    r.world = &r.run->world();
    r.world->run();
    return r;
}

const ChargeLine* find_line(const Run& r, const std::string& bucket, const std::string& usage) {
    for (const ChargeLine& l : r.ledger().lines())
        if (l.spec.resource_id == bucket && l.spec.usage_type == usage) return &l;
    return nullptr;
}

const ChargeLine& line_of(const Run& r, const std::string& bucket, const std::string& usage) {
    const ChargeLine* l = find_line(r, bucket, usage);
    if (!l) FAIL("no bill line " << bucket << " " << usage);
    return *l;
}

std::string scenario_text(const std::string& duration, const std::string& sections,
                          const std::string& region = "us-east-1") {
    return "[simulation]\nname = \"s3\"\nstart_time = \"2026-01-01T00:00:00Z\"\nduration = \"" +
           duration + "\"\n[region]\nname = \"" + region + "\"\n" + sections;
}

}  // namespace

TEST_CASE("s3: early days of a stay shorter than the minimum", "[s3]") {
    // One stay of 10 days in a 30-day class: 20 days are billed on leaving.
    CHECK(cloud::s3_early_days(30, 10, 10) == Approx(20));
    // A day's writes stay between 10 and 11 days: 19.5 on average.
    CHECK(cloud::s3_early_days(30, 10, 11) == Approx(19.5));
    // Stays between 29.5 and 30.5 days: half of them short by 0.25 on average: 0.125.
    CHECK(cloud::s3_early_days(30, 29.5, 30.5) == Approx(0.125));
    CHECK(cloud::s3_early_days(30, 31, 32) == 0);
    CHECK(cloud::s3_early_days(0, 1, 2) == 0);
}

TEST_CASE("s3: the rules of each storage class", "[s3]") {
    using scenario::S3StorageClass;
    // Minimum storage duration 30/30/90/90/180 days; 128 KB minimum billable size for the IA
    // classes and Glacier Instant Retrieval; 32 KB + 8 KB per archived object.
    CHECK(cloud::s3_class_rules(S3StorageClass::STANDARD).minimum_days == 0);
    CHECK(cloud::s3_class_rules(S3StorageClass::STANDARD_IA).minimum_days == 30);
    CHECK(cloud::s3_class_rules(S3StorageClass::ONEZONE_IA).minimum_days == 30);
    CHECK(cloud::s3_class_rules(S3StorageClass::INTELLIGENT_TIERING).minimum_days == 0);
    CHECK(cloud::s3_class_rules(S3StorageClass::GLACIER_IR).minimum_days == 90);
    CHECK(cloud::s3_class_rules(S3StorageClass::GLACIER).minimum_days == 90);
    CHECK(cloud::s3_class_rules(S3StorageClass::DEEP_ARCHIVE).minimum_days == 180);
    CHECK(cloud::s3_class_rules(S3StorageClass::STANDARD_IA).minimum_object_kb == 128);
    CHECK(cloud::s3_class_rules(S3StorageClass::GLACIER_IR).minimum_object_kb == 128);
    CHECK(cloud::s3_class_rules(S3StorageClass::GLACIER).minimum_object_kb == 0);
    CHECK(cloud::s3_class_rules(S3StorageClass::DEEP_ARCHIVE).archive_overhead_kb == 32);
    CHECK(cloud::s3_class_rules(S3StorageClass::DEEP_ARCHIVE).standard_overhead_kb == 8);
    CHECK_FALSE(cloud::s3_class_rules(S3StorageClass::GLACIER).readable);
}

TEST_CASE("s3: a cohort goes STANDARD, STANDARD_IA at 30 days, GLACIER at 90, expires at 365",
          "[s3][lifecycle]") {
    // 1 TB of 1 MB objects: 1,048,576 objects, created at the start (2026-01-01 00:00 UTC).
    const Run r = run_text(scenario_text("366d", R"(
[[s3_bucket]]
name = "logs"
storage_gb = 1024
object_size_kb = 1024
key_prefix = "logs/"
[[s3_bucket_lifecycle_configuration]]
bucket = "logs"
[[s3_bucket_lifecycle_configuration.rule]]
id = "archive"
status = "Enabled"
filter = { prefix = "logs/" }
transition = [{ days = 30, storage_class = "STANDARD_IA" }, { days = 90, storage_class = "GLACIER" }]
expiration = { days = 365 }
)"));
    const double objects = 1048576;
    const auto& bucket = r.bucket("logs");
    REQUIRE(bucket.has_lifecycle());
    CHECK(bucket.objects_transitioned() == Approx(2 * objects));
    CHECK(bucket.objects_expired() == Approx(objects));
    CHECK(bucket.cohorts() == 0);
    // STANDARD from Jan 1 to Jan 31 00:00 (720 of January's 744 h): 1024 x 720 / 744 =
    // 990.9677 GB-months. While archived (Apr 1 2026 to Jan 1 2027, nine whole months) each
    // object keeps 8 KB at STANDARD's rate: 1,048,576 x 8 KB = 8 GB x 9 = 72 GB-months.
    const double standard = 1024.0 * 720 / 744 + 8 * 9;
    CHECK(line_of(r, "logs", "TimedStorage-ByteHrs").usage_quantity == usd(standard));
    // STANDARD_IA from Jan 31 to Apr 1: 24 h of January, all of February and March:
    // 1024 x (24/744 + 1 + 1) = 2081.0323 GB-months x 0.0125 = 26.0129.
    const double ia = 1024.0 * (24.0 / 744 + 2);
    CHECK(line_of(r, "logs", "TimedStorage-SIA-ByteHrs").usage_quantity == usd(ia));
    // GLACIER from Apr 1 to Jan 1: nine months of 1024 GB + 32 KB per object (32 GB):
    // 1056 x 9 = 9504 GB-months x 0.0036 = 34.2144.
    const double glacier = 1056.0 * 9;
    CHECK(line_of(r, "logs", "TimedStorage-GlacierByteHrs").usage_quantity == usd(glacier));
    // Transitions: 1,048,576 into STANDARD_IA at 0.01 per 1,000 = 10.48576; as many into
    // GLACIER at 0.03 per 1,000 = 31.45728.
    CHECK(line_of(r, "logs", "Requests-SIA-Transition").cost == usd(10.48576));
    CHECK(line_of(r, "logs", "Requests-Glacier-Transition").cost == usd(31.45728));
    // 60 days in STANDARD_IA and 275 in GLACIER: no early deletion.
    CHECK(line_of(r, "logs", "EarlyDelete-SIA").cost == 0);
    CHECK(line_of(r, "logs", "EarlyDelete-ByteHrs").cost == 0);
    const double total = standard * 0.023 + ia * 0.0125 + glacier * 0.0036 + 10.48576 + 31.45728;
    CHECK(r.ledger().total(LineItem::S3) == usd(total));
}

TEST_CASE("s3: leaving a class before its minimum duration bills the remaining days",
          "[s3][lifecycle]") {
    const Run r = run_text(scenario_text("40d", R"(
[[s3_bucket]]
name = "direct-ia"
storage_gb = 100
object_size_kb = 1024
storage_class = "STANDARD_IA"
[[s3_bucket]]
name = "archive"
storage_gb = 100
object_size_kb = 1024
[[s3_bucket_lifecycle_configuration]]
bucket = "direct-ia"
rule = [{ id = "expire", status = "Enabled", expiration = { days = 10 } }]
[[s3_bucket_lifecycle_configuration]]
bucket = "archive"
rule = [{ id = "freeze", status = "Enabled", transition = [{ days = 0, storage_class = "GLACIER" }], expiration = { days = 30 } }]
)"));
    // 100 GB in STANDARD_IA deleted on Jan 11 after 10 days: 10 days stored (100 x 240 / 744
    // GB-months), and the 20 days short of 30 billed as early deletion (Jan 11 to Jan 31:
    // 100 x 480 / 744): together what 30 days cost, 100 x 720 / 744 x 0.0125 = 1.2097.
    REQUIRE(r.bucket("direct-ia").objects_expired() == Approx(102400));
    CHECK(line_of(r, "direct-ia", "TimedStorage-SIA-ByteHrs").usage_quantity ==
          usd(100.0 * 240 / 744));
    CHECK(line_of(r, "direct-ia", "EarlyDelete-SIA").usage_quantity == usd(100.0 * 480 / 744));
    CHECK(line_of(r, "direct-ia", "EarlyDelete-SIA").cost == usd(100.0 * 480 / 744 * 0.0125));
    // 100 GB (102,400 objects) moved to GLACIER at the first midnight (days = 0: the run starts
    // at midnight), deleted after 30 days on Jan 31: 60 days short of 90, billed on January's
    // bill: 100 GB x 60 days x 24 h / 744 h = 193.55 GB-months x 0.0036 = $0.70.
    REQUIRE(r.bucket("archive").objects_transitioned() == Approx(102400));
    CHECK(line_of(r, "archive", "Requests-Glacier-Transition").cost == usd(102400 * 0.03 / 1000));
    CHECK(line_of(r, "archive", "EarlyDelete-ByteHrs").usage_quantity == usd(100.0 * 1440 / 744));
    CHECK(line_of(r, "archive", "EarlyDelete-ByteHrs").cost == usd(100.0 * 1440 / 744 * 0.0036));
    // Stored 30 days with its 32 KB per object (3.125 GB), and 8 KB per object (0.78125 GB)
    // at STANDARD's rate.
    CHECK(line_of(r, "archive", "TimedStorage-GlacierByteHrs").usage_quantity ==
          usd(103.125 * 720 / 744));
    CHECK(line_of(r, "archive", "TimedStorage-ByteHrs").usage_quantity == usd(0.78125 * 720 / 744));
}

TEST_CASE("s3: a day's writes are due together at midnight UTC, early days average the day",
          "[s3][lifecycle]") {
    // 1 GB a day of 1 MB objects written straight into STANDARD_IA and deleted after 10 days.
    // The objects of day d (written through it) are due at midnight d + 1 + 10: they stayed
    // between 10 and 11 days, 19.5 days short of 30 on average.
    const Run r = run_text(scenario_text("15d", R"(
[[s3_bucket]]
name = "daily"
object_size_kb = 1024
objects_per_day = 1024
storage_class = "STANDARD_IA"
[[s3_bucket_lifecycle_configuration]]
bucket = "daily"
rule = [{ id = "expire", status = "Enabled", expiration = { days = 10 } }]
)"));
    // Days 0 to 3 are deleted at midnights 11 to 14 (Jan 12 to Jan 15) within the 15 days.
    REQUIRE(r.bucket("daily").objects_expired() == Approx(4 * 1024));
    // 19.5 days each on Jan 12, 13, 14 and 15, all billed on January's bill (744 h), though
    // the last three would run into February: S3 bills the days short when the objects leave.
    const double early = 4 * 19.5 * 24 / 744;
    CHECK(line_of(r, "daily", "EarlyDelete-SIA").usage_quantity == usd(early));
    // 1,024 PUTs a day for 15 days at 0.01 per 1,000.
    CHECK(line_of(r, "daily", "Requests-SIA-Tier1").usage_quantity == usd(15 * 1024));
    CHECK(line_of(r, "daily", "Requests-SIA-Tier1").cost == usd(15 * 1024 * 0.01 / 1000));
}

TEST_CASE("s3: early deletion is the days short, prorated by day in the month objects leave",
          "[s3][lifecycle]") {
    // AWS bills an object that leaves STANDARD_IA, ONEZONE_IA, GLACIER_IR, GLACIER or
    // DEEP_ARCHIVE before 30, 90 or 180 days the storage of the days it is short, on the bill
    // of the month it leaves: byte-hours over that month's hours, so days x 24 / (days in
    // the month x 24).
    REQUIRE(cloud::s3_early_delete_gb_months(100, 20, 1767225600, 0) == usd(100.0 * 20 / 31));
    // 2026-02-01 00:00 UTC (1769904000): February 2026 has 28 days.
    REQUIRE(cloud::s3_early_delete_gb_months(100, 20, 1769904000, 0) == usd(100.0 * 20 / 28));
    CHECK(cloud::s3_early_delete_gb_months(100, 0, 1767225600, 0) == 0);

    // February: 100 GB straight into STANDARD_IA, deleted after 10 days (Feb 11). Storage
    // 10 days: 100 x 10 / 28 = 35.714 GB-months x 0.0125 = $0.45; early deletion 20 days:
    // 100 x 20 / 28 = 71.429 GB-months x 0.0125 = $0.89. $1.34 in all: 30 days of storage,
    // more than February's 28 days of it ($1.25).
    const std::string feb = R"(
[[s3_bucket]]
name = "ia"
storage_gb = 100
storage_class = "STANDARD_IA"
[[s3_bucket]]
name = "onezone"
storage_gb = 40
object_size_kb = 64
storage_class = "ONEZONE_IA"
[[s3_bucket]]
name = "deep"
storage_gb = 200
object_size_kb = 1024
storage_class = "DEEP_ARCHIVE"
[[s3_bucket_lifecycle_configuration]]
bucket = "ia"
rule = [{ id = "expire", status = "Enabled", expiration = { days = 10 } }]
[[s3_bucket_lifecycle_configuration]]
bucket = "onezone"
rule = [{ id = "expire", status = "Enabled", expiration = { days = 25 } }]
[[s3_bucket_lifecycle_configuration]]
bucket = "deep"
rule = [{ id = "expire", status = "Enabled", expiration = { days = 100 } }]
)";
    const Run r = run_text(
        "[simulation]\nname = \"s3\"\nstart_time = \"2026-02-01T00:00:00Z\"\nduration = "
        "\"120d\"\n[region]\nname = \"us-east-1\"\n" +
        feb);
    REQUIRE(r.bucket("ia").cohorts() == 0);  // deleted (no object size: counted in GB only)
    CHECK(line_of(r, "ia", "TimedStorage-SIA-ByteHrs").cost == usd(100.0 * 10 / 28 * 0.0125));
    CHECK(line_of(r, "ia", "EarlyDelete-SIA").usage_quantity == usd(100.0 * 20 / 28));
    CHECK(line_of(r, "ia", "EarlyDelete-SIA").cost == usd(100.0 * 20 / 28 * 0.0125));
    // 40 GB of 64 KB objects in ONEZONE_IA, billed at 128 KB each (80 GB), deleted after 25
    // days on Feb 26: 5 days short, 80 x 5 / 28 = 14.286 GB-months x 0.01 = $0.14.
    REQUIRE(r.bucket("onezone").objects_expired() == Approx(40.0 * 1048576 / 64));
    CHECK(line_of(r, "onezone", "EarlyDelete-ZIA").usage_quantity == usd(80.0 * 5 / 28));
    CHECK(line_of(r, "onezone", "EarlyDelete-ZIA").cost == usd(80.0 * 5 / 28 * 0.01));
    // 200 GB in DEEP_ARCHIVE deleted after 100 days on May 12 (31 days): 80 days short of 180,
    // 200 x 80 / 31 = 516.13 GB-months x 0.00099 = $0.51 (the 32 KB index and 8 KB of
    // metadata per object are not part of it).
    REQUIRE(r.bucket("deep").objects_expired() == Approx(204800));
    CHECK(line_of(r, "deep", "EarlyDelete-GDA").usage_quantity == usd(200.0 * 80 / 31));
    CHECK(line_of(r, "deep", "EarlyDelete-GDA").cost == usd(200.0 * 80 / 31 * 0.00099));
}

TEST_CASE("s3: the lifecycle's days count from the next midnight UTC", "[s3][lifecycle]") {
    // AWS's example: an object created at 10:30 UTC with a 3-day rule moves at 00:00 UTC four
    // days later. The bucket's objects exist at the start, 2026-01-15 10:30 UTC; they move to
    // GLACIER on Jan 19 00:00, 85.5 h later.
    const Run r = run_text(scenario_text("5d", R"(
[[s3_bucket]]
name = "b"
storage_gb = 10
[[s3_bucket_lifecycle_configuration]]
bucket = "b"
rule = [{ id = "r", status = "Enabled", transition = [{ days = 3, storage_class = "GLACIER" }] }]
)"),
                           {"simulation.start_time=2026-01-15T10:30:00Z"});
    CHECK(line_of(r, "b", "TimedStorage-ByteHrs").usage_quantity == usd(10 * 85.5 / 744));
    CHECK(line_of(r, "b", "TimedStorage-GlacierByteHrs").usage_quantity ==
          usd(10 * (120 - 85.5) / 744));
}

TEST_CASE("s3: objects under 128 KB are billed as 128 KB in the IA classes and Glacier IR",
          "[s3]") {
    // 1 GB of 32 KB objects (32,768 objects) for all of January: billed as 128 KB each, the
    // 96 KB more on a SmObjects line: 32,768 x 96 KB = 3 GB-months beside the 1 GB-month.
    std::string buckets;
    for (const char* cls : {"STANDARD_IA", "ONEZONE_IA", "GLACIER_IR", "STANDARD"})
        buckets += std::string("[[s3_bucket]]\nname = \"") + cls +
                   "\"\nstorage_gb = 1\nobject_size_kb = 32\nstorage_class = \"" + cls + "\"\n";
    // Lifecycle does not move objects under 128 KB (S3's default since September 2024).
    buckets += R"([[s3_bucket_lifecycle_configuration]]
bucket = "STANDARD"
rule = [{ id = "r", status = "Enabled", transition = [{ days = 30, storage_class = "STANDARD_IA" }] }]
)";
    const Run r = run_text(scenario_text("744h", buckets));
    for (const auto& [cls, code, rate] :
         {std::tuple{"STANDARD_IA", "SIA", 0.0125}, std::tuple{"ONEZONE_IA", "ZIA", 0.01},
          std::tuple{"GLACIER_IR", "GIR", 0.004}}) {
        CAPTURE(cls);
        const std::string c = code;
        CHECK(line_of(r, cls, "TimedStorage-" + c + "-ByteHrs").usage_quantity == usd(1));
        CHECK(line_of(r, cls, "TimedStorage-" + c + "-SmObjects").usage_quantity == usd(3));
        CHECK(line_of(r, cls, "TimedStorage-" + c + "-SmObjects").cost == usd(3 * rate));
    }
    CHECK(r.bucket("STANDARD").objects_transitioned() == 0);
    CHECK(line_of(r, "STANDARD", "TimedStorage-ByteHrs").usage_quantity == usd(1));
    CHECK(line_of(r, "STANDARD", "Requests-SIA-Transition").usage_quantity == 0);
    CHECK(find_line(r, "STANDARD", "TimedStorage-SmObjects") == nullptr);
}

TEST_CASE(
    "s3: objects under 128 KB move to Glacier under varies_by_storage_class or a size "
    "filter",
    "[s3][lifecycle]") {
    // S3 API reference (TransitionDefaultMinimumObjectSize): with varies_by_storage_class,
    // objects under 128 KB transition to GLACIER and DEEP_ARCHIVE, to no other class; a rule's
    // ObjectSizeGreaterThan / ObjectSizeLessThan filter takes precedence over the default.
    // 10 GB of 64 KB objects (163,840) on 2026-01-01, GLACIER at 1 day: they move at Jan 2
    // 00:00. By hand for January (744 h): STANDARD 10 GB x 24/744 plus the 8 KB per object
    // (1.25 GB) x 720/744 = 1.5323 GB-months; GLACIER (10 + 5 GB of 32 KB index) x 720/744 =
    // 14.516 GB-months x 0.0036 = $0.0523; 163.84 thousand transitions x $0.03 = $4.9152.
    auto bucket = [](const std::string& name, const std::string& lifecycle,
                     const std::string& rule_extra, const std::string& to) {
        return "[[s3_bucket]]\nname = \"" + name +
               "\"\nstorage_gb = 10\nobject_size_kb = 64\n"
               "[[s3_bucket_lifecycle_configuration]]\nbucket = \"" +
               name + "\"\n" + lifecycle +
               "[[s3_bucket_lifecycle_configuration.rule]]\nid = \"r\"\nstatus = \"Enabled\"\n" +
               rule_extra + "transition = [{ days = 1, storage_class = \"" + to + "\" }]\n";
    };
    const std::string varies =
        "transition_default_minimum_object_size = "
        "\"varies_by_storage_class\"\n";
    const Run r = run_text(scenario_text(
        "744h",
        bucket("varies", varies, "", "GLACIER") + bucket("varies-ir", varies, "", "GLACIER_IR") +
            bucket("default", "", "", "GLACIER") +
            bucket("filter", "", "filter = { object_size_greater_than = 1024 }\n", "GLACIER") +
            bucket("filter-out", "", "filter = { object_size_greater_than = 65536 }\n",
                   "GLACIER")));
    REQUIRE(r.bucket("default").objects_transitioned() == 0);  // S3's default: not moved
    for (const char* name : {"varies", "filter"}) {
        CAPTURE(name);
        CHECK(r.bucket(name).objects_transitioned() == Approx(163840));
        CHECK(line_of(r, name, "TimedStorage-ByteHrs").usage_quantity ==
              usd(10.0 * 24 / 744 + 1.25 * 720 / 744));
        CHECK(line_of(r, name, "TimedStorage-GlacierByteHrs").usage_quantity ==
              usd(15.0 * 720 / 744));
        CHECK(line_of(r, name, "Requests-Glacier-Transition").cost == usd(163.84 * 0.03));
    }
    // varies_by_storage_class keeps small objects out of the other classes; a filter whose
    // size the objects are not larger than (64 KB = 65,536 bytes) leaves them where they are.
    CHECK(r.bucket("varies-ir").objects_transitioned() == 0);
    CHECK(r.bucket("filter-out").objects_transitioned() == 0);
    CHECK(line_of(r, "filter-out", "TimedStorage-ByteHrs").usage_quantity == usd(10));
}

TEST_CASE("s3: an object size filter needs an object size, and greater-than below less-than",
          "[s3][loader]") {
    const std::string text = scenario_text("1d", R"([[s3_bucket]]
name = "sized"
storage_gb = 1
[[s3_bucket_lifecycle_configuration]]
bucket = "sized"
rule = [{ id = "r", status = "Enabled", filter = { object_size_greater_than = 200, object_size_less_than = 100 }, expiration = { days = 30 } }]
)");
    try {
        scenario::load_text(text, "s3.toml");
        FAIL("loaded");
    } catch (const scenario::ScenarioError& e) {
        std::string all;
        for (const auto& d : e.diagnostics())
            all += d.format() + "\n";
        CHECK(all.find("s3.toml:12:79") != std::string::npos);  // the key itself
        CHECK(all.find("rule[0].filter.object_size_greater_than") != std::string::npos);
        CHECK(all.find("has no object size") != std::string::npos);
        CHECK(all.find("must be less than object_size_less_than (100)") != std::string::npos);
    }
}

TEST_CASE("s3: a tag filter takes the objects carrying its tags, each tag is billed a month",
          "[s3][lifecycle]") {
    // S3 User Guide ("Adding filters to Lifecycle rules"): each tag of a filter must match key
    // and value exactly, an object may carry more, and `And` takes the objects that meet all
    // its conditions. 10 GB of 1 MB objects (10,240) on 2026-01-01, GLACIER at 1 day: those the
    // rule takes move at Jan 2 00:00, 10.24 thousand transitions x $0.03 = $0.3072. Object
    // tags: $0.01 per 10,000 tags a month, so over January (the whole month): 10,240 x 2 tags
    // = 20,480 tag-months = $0.02048; with 3 tags 30,720 = $0.03072.
    auto bucket = [](const std::string& name, const std::string& tags, const std::string& filter) {
        return "[[s3_bucket]]\nname = \"" + name +
               "\"\nstorage_gb = 10\nobject_size_kb = 1024\nkey_prefix = \"logs/app-\"\n" +
               (tags.empty() ? "" : "object_tags = " + tags + "\n") +
               "[[s3_bucket_lifecycle_configuration]]\nbucket = \"" + name +
               "\"\nrule = [{ id = \"r\", status = \"Enabled\", filter = " + filter +
               ", transition = [{ days = 1, storage_class = \"GLACIER\" }] }]\n";
    };
    const std::string one = R"({ tag = { key = "archive", value = "true" } })";
    const std::string both =
        R"({ and = { prefix = "logs/", tags = { key1 = "value1", key2 = "value2" }, )"
        R"(object_size_greater_than = 500, object_size_less_than = 2097152 } })";
    const Run r = run_text(scenario_text(
        "744h",
        bucket("tagged", R"({ archive = "true", team = "media" })", one) +
            bucket("other-value", R"({ archive = "false" })", one) + bucket("untagged", "", one) +
            bucket("and-all", R"({ key1 = "value1", key2 = "value2", extra = "x" })", both) +
            bucket("and-missing", R"({ key1 = "value1" })", both)));
    for (const char* name : {"tagged", "and-all"}) {
        CAPTURE(name);
        CHECK(r.bucket(name).objects_transitioned() == Approx(10240));
        CHECK(line_of(r, name, "Requests-Glacier-Transition").cost == usd(10.24 * 0.03));
    }
    for (const char* name : {"other-value", "untagged", "and-missing"}) {
        CAPTURE(name);
        CHECK(r.bucket(name).objects_transitioned() == 0);
    }
    CHECK(line_of(r, "tagged", "TimedStorage-ByteHrs").usage_quantity > 0);
    const ChargeLine& tags = line_of(r, "tagged", "TagStorage-TagHrs");
    CHECK(tags.usage_quantity == usd(20480));
    CHECK(tags.cost == usd(0.02048));
    CHECK(line_of(r, "and-all", "TagStorage-TagHrs").cost == usd(0.03072));
    CHECK(line_of(r, "and-missing", "TagStorage-TagHrs").cost == usd(0.01024));
    CHECK(find_line(r, "untagged", "TagStorage-TagHrs") == nullptr);

    // `explain` writes the filters and the objects' tags back (before, it wrote the prefix
    // alone: the written scenario applied a size or tag rule to every object).
    const scenario::Spec spec = scenario::load_text(
        scenario_text("744h", bucket("and-all", R"({ key1 = "value1", key2 = "value2" })", both)),
        "s3.toml");
    const scenario::Spec again = scenario::load_text(scenario::explain(spec), "again.toml");
    REQUIRE(again.s3_bucket_lifecycle_configuration.size() == 1);
    const auto& rule = again.s3_bucket_lifecycle_configuration[0].rule.at(0);
    CHECK(again.s3_bucket[0].object_tags == spec.s3_bucket[0].object_tags);
    CHECK(rule.prefix == "logs/");
    CHECK(rule.tags == scenario::Tags{{"key1", "value1"}, {"key2", "value2"}});
    CHECK(rule.object_size_greater_than == 500);
    CHECK(rule.object_size_less_than == 2097152);
}

TEST_CASE("s3: tag filters and object tags are refused where S3 would refuse them",
          "[s3][loader]") {
    auto errors = [](const std::string& sections) {
        try {
            scenario::load_text(scenario_text("1d", sections), "s3.toml");
        } catch (const scenario::ScenarioError& e) {
            return e.diagnostics();
        }
        return std::vector<scenario::Diagnostic>{};
    };
    const std::string lifecycle = R"([[s3_bucket_lifecycle_configuration]]
bucket = "b"
)";
    // `and` holds a filter's conditions: S3 takes one element or `and`, not both.
    auto d = errors(
        R"([[s3_bucket]]
name = "b"
storage_gb = 1
object_size_kb = 256
)" + lifecycle +
        R"(rule = [{ id = "r", status = "Enabled", filter = { prefix = "a/", and = { tags = { k = "v" } } }, expiration = { days = 30 } }])");
    REQUIRE(d.size() == 1);
    CHECK(d[0].key_path == "s3_bucket_lifecycle_configuration[b].rule[0].filter.and");
    CHECK(d[0].pos.line == 13);
    CHECK(d[0].message.find("inside it, not beside it") != std::string::npos);
    // A tag names its key.
    d = errors(
        R"([[s3_bucket]]
name = "b"
storage_gb = 1
object_size_kb = 256
)" + lifecycle +
        R"(rule = [{ id = "r", status = "Enabled", filter = { tag = { value = "v" } }, expiration = { days = 30 } }])");
    REQUIRE(d.size() == 1);
    CHECK(d[0].key_path == "s3_bucket_lifecycle_configuration[b].rule[0].filter.tag.key");
    CHECK(d[0].message.find("required key `key` is missing") != std::string::npos);
    // An object carries at most 10 tags, and tags need objects.
    d = errors(
        R"([[s3_bucket]]
name = "b"
storage_gb = 1
object_size_kb = 256
object_tags = { a = "1", b = "2", c = "3", d = "4", e = "5", f = "6", g = "7", h = "8", i = "9", j = "10", k = "11" }
[[s3_bucket]]
name = "sizeless"
storage_gb = 1
object_tags = { a = "1" }
)" + lifecycle +
        R"(rule = [{ id = "r", status = "Enabled", filter = { tag = { key = "a", value = "1" } }, expiration = { days = 30 } }])");
    REQUIRE(d.size() == 2);
    std::string all;
    for (const auto& x : d)
        all += x.format() + "\n";
    CHECK(all.find("s3_bucket[b].object_tags") != std::string::npos);
    CHECK(all.find("at most 10 tags, not 11") != std::string::npos);
    CHECK(all.find("s3_bucket[sizeless].object_tags") != std::string::npos);
}

TEST_CASE("s3: GLACIER and DEEP_ARCHIVE add 32 KB per object at their rate, 8 KB at STANDARD's",
          "[s3]") {
    // 1 GB of 1 MB objects (1,024) for all of January: 1,024 x 32 KB = 1/32 GB at the archive
    // rate, 1,024 x 8 KB = 1/128 GB at STANDARD's.
    const Run r = run_text(scenario_text("744h", R"(
[[s3_bucket]]
name = "glacier"
storage_gb = 1
object_size_kb = 1024
storage_class = "GLACIER"
[[s3_bucket]]
name = "deep"
storage_gb = 1
object_size_kb = 1024
storage_class = "DEEP_ARCHIVE"
[[s3_bucket]]
name = "tiering"
storage_gb = 1
object_size_kb = 1024
storage_class = "INTELLIGENT_TIERING"
[[s3_bucket]]
name = "tiering-small"
storage_gb = 1
object_size_kb = 64
storage_class = "INTELLIGENT_TIERING"
)"));
    CHECK(line_of(r, "glacier", "TimedStorage-GlacierByteHrs").usage_quantity == usd(1.03125));
    CHECK(line_of(r, "glacier", "TimedStorage-GlacierByteHrs").cost == usd(1.03125 * 0.0036));
    CHECK(line_of(r, "glacier", "TimedStorage-ByteHrs").cost == usd(0.0078125 * 0.023));
    CHECK(line_of(r, "deep", "TimedStorage-GDA-ByteHrs").cost == usd(1.03125 * 0.00099));
    CHECK(line_of(r, "deep", "TimedStorage-ByteHrs").cost == usd(0.0078125 * 0.023));
    // INTELLIGENT_TIERING: storage at 0.023 in the frequent access tier for 30 days, then (not
    // read for 30 days) at 0.0125 in the infrequent access tier for January's last day; 0.0025
    // per 1,000 objects a month for the 1,024 objects of 128 KB or more; smaller objects are
    // not monitored and stay in frequent access.
    CHECK(line_of(r, "tiering", "TimedStorage-INT-FA-ByteHrs").cost == usd(0.023 * 720 / 744));
    CHECK(line_of(r, "tiering", "TimedStorage-INT-IA-ByteHrs").cost == usd(0.0125 * 24 / 744));
    CHECK(line_of(r, "tiering-small", "TimedStorage-INT-FA-ByteHrs").cost == usd(0.023));
    CHECK(line_of(r, "tiering", "Monitoring-Automation-INT").usage_quantity == usd(1024));
    CHECK(line_of(r, "tiering", "Monitoring-Automation-INT").cost == usd(1024 * 0.0025 / 1000));
    CHECK(find_line(r, "tiering-small", "Monitoring-Automation-INT") == nullptr);
}

TEST_CASE(
    "s3: INTELLIGENT_TIERING moves unread objects to infrequent access at 30 days, "
    "archive instant access at 90",
    "[s3]") {
    // 1 TB of 1 MB objects (1,048,576) put in INTELLIGENT_TIERING on Jan 1, 120 days to May 1.
    // Nobody reads them: frequent access Jan 1-31 (720 of 744 h), infrequent access from day 30
    // to day 90 (Jan 31, February, March: 1/31 + 1 + 1 months), archive instant access from
    // day 90 (Apr 1) to day 120 (all of April). Prices: 0.023, 0.0125, 0.004 per GB-month;
    // monitoring 0.0025 per 1,000 objects for four months, in every tier.
    const std::string bucket = R"(
[[s3_bucket]]
name = "tiering"
storage_gb = 1024
object_size_kb = 1024
storage_class = "INTELLIGENT_TIERING"
)";
    const Run r = run_text(scenario_text("120d", bucket));
    const double fa = 1024 * 720.0 / 744, ia = 1024 * (1.0 / 31 + 2), aia = 1024;
    CHECK(line_of(r, "tiering", "TimedStorage-INT-FA-ByteHrs").usage_quantity == usd(fa));
    CHECK(line_of(r, "tiering", "TimedStorage-INT-IA-ByteHrs").usage_quantity == usd(ia));
    CHECK(line_of(r, "tiering", "TimedStorage-INT-IA-ByteHrs").cost == usd(ia * 0.0125));
    CHECK(line_of(r, "tiering", "TimedStorage-INT-AIA-ByteHrs").usage_quantity == usd(aia));
    CHECK(line_of(r, "tiering", "TimedStorage-INT-AIA-ByteHrs").cost == usd(aia * 0.004));
    CHECK(line_of(r, "tiering", "Monitoring-Automation-INT").cost == usd(4 * 1048.576 * 0.0025));
    // Read at random, 34,952.53 GETs a day over 1,048,576 objects: each object is read once in
    // 30 days on average, so a share e^-1 was not read in the last 30 days and e^-3 not in the
    // last 90. Infrequent access: e^-1 of 60 days' worth (2,081.03 GB-months) and e^-1 - e^-3
    // of April's 1,024; archive instant access: e^-3 of April's.
    const Run read = run_text(scenario_text(
        "120d", bucket + "get_requests_per_day = " + std::to_string(1048576.0 / 30) + "\n"));
    const double e1 = std::exp(-1.0), e3 = std::exp(-3.0);
    CHECK(line_of(read, "tiering", "TimedStorage-INT-IA-ByteHrs").usage_quantity ==
          Approx(e1 * ia + (e1 - e3) * aia).epsilon(1e-6));
    CHECK(line_of(read, "tiering", "TimedStorage-INT-AIA-ByteHrs").usage_quantity ==
          Approx(e3 * aia).epsilon(1e-6));
    CHECK(line_of(read, "tiering", "TimedStorage-INT-FA-ByteHrs").usage_quantity ==
          Approx(fa + (1 - e1) * (ia + aia)).epsilon(1e-6));
    // Objects under 128 KB are not monitored and stay in frequent access.
    const Run small = run_text(scenario_text("120d", R"(
[[s3_bucket]]
name = "small"
storage_gb = 1
object_size_kb = 64
storage_class = "INTELLIGENT_TIERING"
)"));
    CHECK(find_line(small, "small", "TimedStorage-INT-IA-ByteHrs") == nullptr);
    CHECK(line_of(small, "small", "TimedStorage-INT-FA-ByteHrs").usage_quantity ==
          usd(1 + 1 + 1 + 1));
}

TEST_CASE("s3: requests, retrieval and data transfer out", "[s3]") {
    const Run r = run_text(scenario_text("24h", R"(
[[s3_bucket]]
name = "uploads"
storage_gb = 100
object_size_kb = 256
objects_per_day = 10000
get_requests_per_day = 1000000
list_requests_per_day = 1000
gets_from_internet = true
[[s3_bucket]]
name = "ia-reads"
storage_gb = 10
object_size_kb = 1024
storage_class = "STANDARD_IA"
get_requests_per_day = 10240
[[s3_bucket]]
name = "frozen"
storage_gb = 10
object_size_kb = 1024
storage_class = "GLACIER"
get_requests_per_day = 1000
)"));
    // 10,000 PUTs and 1,000 LISTs at 0.005 per 1,000: 0.055. 1,000,000 GETs at 0.0004 per
    // 1,000: 0.4.
    CHECK(line_of(r, "uploads", "Requests-Tier1").usage_quantity == usd(11000));
    CHECK(line_of(r, "uploads", "Requests-Tier1").cost == usd(0.055));
    CHECK(line_of(r, "uploads", "Requests-Tier2").cost == usd(0.4));
    // The GETs return 1,000,000 x 256 KB = 244.140625 GB to the internet: the first 100 GB of
    // the month are free, the rest at 0.09: 12.97265625.
    const ChargeLine& out = line_of(r, "uploads", "DataTransfer-Out-Bytes");
    CHECK(out.usage_quantity == usd(244.140625));
    CHECK(out.cost == usd(144.140625 * 0.09));
    CHECK(out.spec.line_item == LineItem::DataTransfer);
    // Storage: 100 GB plus the day's 10,000 x 256 KB = 2.44140625 GB written evenly (half of it
    // on average) for 24 h of January.
    CHECK(line_of(r, "uploads", "TimedStorage-ByteHrs").usage_quantity ==
          usd((100 + 2.44140625 / 2) * 24 / 744));
    // STANDARD_IA: 10,240 GETs at 0.001 per 1,000 and their 10 GB retrieved at 0.01 per GB;
    // read from the Region, no transfer out.
    CHECK(line_of(r, "ia-reads", "Requests-SIA-Tier2").cost == usd(0.01024));
    CHECK(line_of(r, "ia-reads", "Retrieval-SIA").usage_quantity == usd(10));
    CHECK(line_of(r, "ia-reads", "Retrieval-SIA").cost == usd(0.1));
    CHECK(find_line(r, "ia-reads", "DataTransfer-Out-Bytes") == nullptr);
    // GLACIER objects need a restore before a GET: none is billed.
    for (const ChargeLine& l : r.ledger().lines())
        if (l.spec.resource_id == "frozen")
            CHECK(l.spec.usage_type.find("Tier2") == std::string::npos);
}

TEST_CASE("s3: each built-in region bills its own S3 prices", "[s3]") {
    // The early-deletion case (100 GB in STANDARD_IA deleted after 10 days) and 100 GB kept in
    // STANDARD and GLACIER for January, at each region's prices (docs/pricing.md, "S3").
    struct Prices {
        const char* region;
        double standard, ia, glacier;
    };
    for (const Prices& p :
         {Prices{"us-east-1", 0.023, 0.0125, 0.0036}, Prices{"us-east-2", 0.023, 0.0125, 0.0036},
          Prices{"us-west-2", 0.023, 0.0125, 0.0036}, Prices{"eu-west-1", 0.023, 0.0125, 0.0036},
          Prices{"eu-central-1", 0.0245, 0.0135, 0.0036},
          Prices{"ap-northeast-1", 0.025, 0.0138, 0.0045},
          Prices{"ap-northeast-2", 0.025, 0.0138, 0.0045}}) {
        CAPTURE(p.region);
        const Run r = run_text(scenario_text("744h", R"(
[[s3_bucket]]
name = "ia"
storage_gb = 100
storage_class = "STANDARD_IA"
[[s3_bucket]]
name = "std"
storage_gb = 100
[[s3_bucket]]
name = "glacier"
storage_gb = 100
storage_class = "GLACIER"
[[s3_bucket_lifecycle_configuration]]
bucket = "ia"
rule = [{ id = "expire", status = "Enabled", expiration = { days = 10 } }]
)",
                                             p.region));
        CHECK(line_of(r, "ia", "TimedStorage-SIA-ByteHrs").cost == usd(100.0 * 240 / 744 * p.ia));
        CHECK(line_of(r, "ia", "EarlyDelete-SIA").cost == usd(100.0 * 480 / 744 * p.ia));
        CHECK(line_of(r, "std", "TimedStorage-ByteHrs").cost == usd(100 * p.standard));
        CHECK(line_of(r, "glacier", "TimedStorage-GlacierByteHrs").cost == usd(100 * p.glacier));
    }
}

TEST_CASE("s3: [pricing] s3 overrides a figure by its price-list name", "[s3]") {
    const Run r = run_text(scenario_text("744h", R"(
[pricing]
s3 = { s3_glacier_gb_month = 0.004 }
[[s3_bucket]]
name = "glacier"
storage_gb = 100
storage_class = "GLACIER"
)"));
    CHECK(line_of(r, "glacier", "TimedStorage-GlacierByteHrs").cost == usd(0.4));
}

TEST_CASE("s3: DEEP_ARCHIVE's per-object overhead, as AWS's pricing calculator works it out",
          "[s3]") {
    // The AWS Pricing Calculator's S3 Glacier Deep Archive example: 100 GB a month of 10 KB
    // objects = 100 x 1,048,576 / 10 = 10,485,760 objects; 32 KB each = 320 GB at the Deep
    // Archive rate, 8 KB each = 80 GB at STANDARD's: (100 + 320) x 0.00099 + 80 x 0.023 =
    // 0.4158 + 1.84 = $2.2558 for a whole month (January here).
    const Run r = run_text(scenario_text("31d", R"(
[[s3_bucket]]
name = "deep"
storage_gb = 100
object_size_kb = 10
storage_class = "DEEP_ARCHIVE"
)"));
    REQUIRE(r.bucket("deep").cohorts() == 1);
    CHECK(line_of(r, "deep", "TimedStorage-GDA-ByteHrs").usage_quantity == usd(420));
    CHECK(line_of(r, "deep", "TimedStorage-GDA-ByteHrs").cost == usd(0.4158));
    CHECK(line_of(r, "deep", "TimedStorage-ByteHrs").usage_quantity == usd(80));
    CHECK(line_of(r, "deep", "TimedStorage-ByteHrs").cost == usd(1.84));
}

TEST_CASE("s3: a run starting mid-month, ONEZONE_IA at 30 days and DEEP_ARCHIVE at 90",
          "[s3][lifecycle]") {
    // 100 GB of 1 MB objects (102,400) created at the start, 2026-01-15 12:00 UTC; their days
    // count from Jan 16 00:00: ONEZONE_IA on Feb 15, DEEP_ARCHIVE on Apr 16; the run ends on
    // May 1 (105.5 days).
    const Run r = run_text(scenario_text("2532h", R"(
[[s3_bucket]]
name = "b"
storage_gb = 100
object_size_kb = 1024
[[s3_bucket_lifecycle_configuration]]
bucket = "b"
rule = [{ id = "r", status = "Enabled", transition = [{ days = 30, storage_class = "ONEZONE_IA" }, { days = 90, storage_class = "DEEP_ARCHIVE" }] }]
)"),
                           {"simulation.start_time=2026-01-15T12:00:00Z"});
    // STANDARD: 396 of January's 744 h and 336 of February's 672 h, plus 8 KB x 102,400 =
    // 0.78125 GB for the 15 days of April in DEEP_ARCHIVE (360 of 720 h).
    CHECK(line_of(r, "b", "TimedStorage-ByteHrs").usage_quantity ==
          usd(100 * (396.0 / 744 + 0.5) + 0.78125 * 0.5));
    // ONEZONE_IA: half of February, March, half of April = 200 GB-months, 60 days: no early
    // deletion.
    CHECK(line_of(r, "b", "TimedStorage-ZIA-ByteHrs").usage_quantity == usd(200));
    CHECK(line_of(r, "b", "TimedStorage-ZIA-ByteHrs").cost == usd(2));
    CHECK(line_of(r, "b", "EarlyDelete-ZIA").usage_quantity == 0);
    // DEEP_ARCHIVE: (100 + 32 KB x 102,400 = 3.125) GB for half of April.
    CHECK(line_of(r, "b", "TimedStorage-GDA-ByteHrs").usage_quantity == usd(103.125 * 0.5));
    CHECK(line_of(r, "b", "Requests-ZIA-Transition").cost == usd(102400 * 0.01 / 1000));
    CHECK(line_of(r, "b", "Requests-GDA-Transition").cost == usd(102400 * 0.05 / 1000));
}

TEST_CASE("s3: lifecycle does not move ONEZONE_IA objects to GLACIER_IR", "[s3][lifecycle]") {
    // The S3 User Guide's unsupported transitions: ONEZONE_IA to INTELLIGENT_TIERING,
    // STANDARD_IA or GLACIER_IR. 100 GB of 1 MB objects.
    CHECK_FALSE(scenario::s3_transition_supported(scenario::S3StorageClass::ONEZONE_IA,
                                                  scenario::S3StorageClass::GLACIER_IR));
    CHECK(scenario::s3_transition_supported(scenario::S3StorageClass::INTELLIGENT_TIERING,
                                            scenario::S3StorageClass::GLACIER_IR));
    CHECK(scenario::s3_transition_supported(scenario::S3StorageClass::ONEZONE_IA,
                                            scenario::S3StorageClass::GLACIER));
    // Written in ONEZONE_IA under a rule to GLACIER_IR at 30 days, for January and February:
    // they stay, 200 GB-months x 0.01 = $2.00, no transition.
    const std::string written_zia = scenario_text("59d", R"(
[[s3_bucket]]
name = "b"
storage_gb = 100
object_size_kb = 1024
storage_class = "ONEZONE_IA"
[[s3_bucket_lifecycle_configuration]]
bucket = "b"
rule = [{ id = "r", status = "Enabled", transition = [{ days = 30, storage_class = "GLACIER_IR" }] }]
)");
    const Run zia = run_text(written_zia);
    CHECK(zia.bucket("b").objects_transitioned() == 0);
    CHECK(zia.world->s3_buckets().size() == 1);
    CHECK(line_of(zia, "b", "TimedStorage-ZIA-ByteHrs").usage_quantity == usd(200));
    CHECK(line_of(zia, "b", "TimedStorage-ZIA-ByteHrs").cost == usd(2));
    CHECK(find_line(zia, "b", "Requests-GIR-Transition") == nullptr);
    // S3 accepts that rule (it does not look at the objects' class): the loader warns, at the
    // transition's storage_class.
    std::vector<scenario::Diagnostic> warnings;
    scenario::load_text(written_zia, "s3.toml", {}, ".", &warnings);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].key_path ==
          "s3_bucket_lifecycle_configuration[b].rule[0].transition[0].storage_class");
    CHECK(warnings[0].message.find("does not move ONEZONE_IA objects to GLACIER_IR") !=
          std::string::npos);
    // Two rules: ONEZONE_IA at 30 days, GLACIER_IR at 60, for 90 days: in ONEZONE_IA from
    // Jan 31 to the end, 100 x (24 / 744 + 1 + 1) GB-months; the second rule moves nothing.
    const Run two = run_text(scenario_text("90d", R"(
[[s3_bucket]]
name = "b"
storage_gb = 100
object_size_kb = 1024
[[s3_bucket_lifecycle_configuration]]
bucket = "b"
rule = [{ id = "zia", status = "Enabled", transition = [{ days = 30, storage_class = "ONEZONE_IA" }] },
        { id = "gir", status = "Enabled", transition = [{ days = 60, storage_class = "GLACIER_IR" }] }]
)"));
    CHECK(two.bucket("b").objects_transitioned() == usd(102400));
    CHECK(line_of(two, "b", "TimedStorage-ZIA-ByteHrs").usage_quantity ==
          usd(100 * (24.0 / 744 + 2)));
    CHECK(line_of(two, "b", "TimedStorage-GIR-ByteHrs").usage_quantity == 0);
    CHECK(line_of(two, "b", "Requests-GIR-Transition").usage_quantity == 0);
}

TEST_CASE("s3: a day's writes to GLACIER_IR expired at 31 days pay 60 days each",
          "[s3][lifecycle]") {
    // 10,240 objects of 1 MB (10 GB) a day from 2026-01-01, GLACIER_IR at 1 day, expiration
    // at 31, for 59 days (to Mar 1). Day d's writes move at midnight d + 2 and are deleted at
    // d + 32: 30 days in GLACIER_IR, 60 short of its 90.
    const Run r = run_text(scenario_text("59d", R"(
[[s3_bucket]]
name = "b"
object_size_kb = 1024
objects_per_day = 10240
[[s3_bucket_lifecycle_configuration]]
bucket = "b"
rule = [{ id = "r", status = "Enabled", transition = [{ days = 1, storage_class = "GLACIER_IR" }], expiration = { days = 31 } }]
)"));
    // STANDARD: each day's writes 5 GB-days on their day, 10 the next: January 5 + 30 x 15 =
    // 455 GB-days of 31, February 28 x 15 = 420 of 28.
    CHECK(line_of(r, "b", "TimedStorage-ByteHrs").usage_quantity == usd(455.0 / 31 + 15));
    // GLACIER_IR: on day t (2 to 30) t - 1 days' writes, 435 x 10 GB-days in January; 30 days'
    // writes on each day of February: 8,400 GB-days of 28.
    CHECK(line_of(r, "b", "TimedStorage-GIR-ByteHrs").usage_quantity == usd(4350.0 / 31 + 300));
    // Days 0 to 56 move (57 x 10,240), days 0 to 26 are deleted in February (the next one on
    // Mar 1, the run's end): 27 x 10 GB x 60 days / 28 days = 578.57 GB-months x 0.004.
    CHECK(line_of(r, "b", "Requests-GIR-Transition").usage_quantity == usd(57 * 10240));
    CHECK(line_of(r, "b", "Requests-GIR-Transition").cost == usd(57 * 10240 * 0.02 / 1000));
    CHECK(line_of(r, "b", "EarlyDelete-GIR").usage_quantity == usd(27 * 10 * 60.0 / 28));
    CHECK(line_of(r, "b", "EarlyDelete-GIR").cost == usd(27 * 10 * 60.0 / 28 * 0.004));
    CHECK(line_of(r, "b", "Requests-Tier1").cost == usd(59 * 10240 * 0.005 / 1000));
}

TEST_CASE("s3: a move out of GLACIER before 90 days bills the rest, on the month it moves",
          "[s3][lifecycle]") {
    // 100 GB of 1 MB objects (102,400): GLACIER at 1 day (Jan 2), DEEP_ARCHIVE at 31 (Feb 1),
    // for 59 days. 30 days in GLACIER: 60 short of 90, billed in February (672 h): 100 x 1,440
    // / 672 = 214.29 GB-months x 0.0036 = $0.7714. The transition into DEEP_ARCHIVE is an
    // early leave as an expiration is (the S3 User Guide: "charged for transitioning objects
    // before their minimum storage duration").
    const Run r = run_text(scenario_text("59d", R"(
[[s3_bucket]]
name = "b"
storage_gb = 100
object_size_kb = 1024
[[s3_bucket_lifecycle_configuration]]
bucket = "b"
rule = [{ id = "r", status = "Enabled", transition = [{ days = 1, storage_class = "GLACIER" }, { days = 31, storage_class = "DEEP_ARCHIVE" }] }]
)"));
    REQUIRE(r.bucket("b").objects_transitioned() == Approx(2 * 102400));
    CHECK(line_of(r, "b", "EarlyDelete-ByteHrs").usage_quantity == usd(100.0 * 1440 / 672));
    CHECK(line_of(r, "b", "EarlyDelete-ByteHrs").cost == usd(100.0 * 1440 / 672 * 0.0036));
    CHECK(line_of(r, "b", "EarlyDelete-GDA").usage_quantity == 0);
    // GLACIER Jan 2 to Feb 1 with 32 KB per object: 103.125 x 720 / 744; DEEP_ARCHIVE all of
    // February: 103.125 x 0.00099; STANDARD: Jan 1 for the data, then 8 KB per object
    // (0.78125 GB) from Jan 2 to Mar 1.
    CHECK(line_of(r, "b", "TimedStorage-GlacierByteHrs").usage_quantity ==
          usd(103.125 * 720 / 744));
    CHECK(line_of(r, "b", "TimedStorage-GDA-ByteHrs").cost == usd(103.125 * 0.00099));
    CHECK(line_of(r, "b", "TimedStorage-ByteHrs").usage_quantity ==
          usd(100.0 * 24 / 744 + 0.78125 * (720.0 / 744 + 1)));
    CHECK(line_of(r, "b", "Requests-GDA-Transition").cost == usd(102400 * 0.05 / 1000));
}

TEST_CASE("s3: small objects a size filter moves to INTELLIGENT_TIERING stay in frequent access",
          "[s3][lifecycle]") {
    // 10 GB of 64 KB objects (163,840) moved to INTELLIGENT_TIERING at 5 days by a rule with
    // an object size filter (which takes precedence over the 128 KB default): each transition
    // is billed, 163,840 x 0.01 / 1,000 = $1.6384, but under 128 KB they are not monitored (no
    // fee) and stay in the frequent access tier: 10 x 624 / 744 GB-months x 0.023 for Jan 6
    // to Feb 1.
    const Run r = run_text(scenario_text("31d", R"(
[[s3_bucket]]
name = "b"
storage_gb = 10
object_size_kb = 64
[[s3_bucket_lifecycle_configuration]]
bucket = "b"
rule = [{ id = "r", status = "Enabled", filter = { object_size_greater_than = 0 }, transition = [{ days = 5, storage_class = "INTELLIGENT_TIERING" }] }]
)"));
    REQUIRE(r.bucket("b").objects_transitioned() == Approx(163840));
    CHECK(line_of(r, "b", "Requests-INT-Transition").cost == usd(1.6384));
    CHECK(line_of(r, "b", "TimedStorage-ByteHrs").usage_quantity == usd(10.0 * 120 / 744));
    CHECK(line_of(r, "b", "TimedStorage-INT-FA-ByteHrs").usage_quantity == usd(10.0 * 624 / 744));
    CHECK(find_line(r, "b", "Monitoring-Automation-INT") == nullptr);
    CHECK(find_line(r, "b", "TimedStorage-INT-IA-ByteHrs") == nullptr);
}

TEST_CASE("s3: the loader refuses bad keys, references and rules with their place",
          "[s3][loader]") {
    using scenario::ScenarioError;
    auto errors = [](const std::string& text) {
        try {
            scenario::load_text(text, "s3.toml");
        } catch (const ScenarioError& e) {
            return e.diagnostics();
        }
        FAIL("loaded");
        throw;
    };
    auto about = [](const std::vector<scenario::Diagnostic>& ds, const std::string& key) {
        for (const auto& d : ds)
            if (d.key_path == key) return d;
        std::string all;
        for (const auto& d : ds)
            all += d.format() + "\n";
        FAIL("no diagnostic about " << key << " in\n" << all);
        throw;
    };
    const std::string head = scenario_text("1d", "[[s3_bucket]]\nname = \"logs\"\n");
    // Line 8: the rule's transition names a key Terraform does not have.
    auto bad_key = errors(head + R"([[s3_bucket_lifecycle_configuration]]
bucket = "logs"
[[s3_bucket_lifecycle_configuration.rule]]
id = "r"
status = "Enabled"
[[s3_bucket_lifecycle_configuration.rule.transition]]
dayz = 30
storage_class = "GLACIER"
)");
    const auto k =
        about(bad_key, "s3_bucket_lifecycle_configuration[logs].rule[0].transition[0].dayz");
    CHECK(k.pos.file == "s3.toml");
    CHECK(k.pos.line == 15);
    CHECK(k.pos.column == 1);
    CHECK(k.message.find("days") != std::string::npos);
    // A configuration for a bucket the file does not have, with the close name.
    auto bad_ref = errors(head + R"([[s3_bucket_lifecycle_configuration]]
bucket = "log"
rule = [{ id = "r", status = "Enabled", expiration = { days = 30 } }]
)");
    const auto ref = about(bad_ref, "s3_bucket_lifecycle_configuration[log].bucket");
    CHECK(ref.pos.line == 10);
    CHECK(ref.pos.column == 10);
    CHECK(ref.message.find("unknown bucket `log`") != std::string::npos);
    CHECK(ref.message.find("`logs`") != std::string::npos);
    // Rules S3 refuses: STANDARD_IA before 30 days, an expiration before a transition.
    auto bad_rule = errors(head + R"([[s3_bucket_lifecycle_configuration]]
bucket = "logs"
rule = [{ id = "r", status = "Enabled", transition = [{ days = 7, storage_class = "STANDARD_IA" }], expiration = { days = 5 } }]
)");
    CHECK(about(bad_rule, "s3_bucket_lifecycle_configuration[logs].rule[0].transition[0].days")
              .message.find("30 days") != std::string::npos);
    CHECK(about(bad_rule, "s3_bucket_lifecycle_configuration[logs].rule[0].expiration.days")
              .message.find("must come after") != std::string::npos);
    // S3 Lifecycle does not move ONEZONE_IA objects to GLACIER_IR: one rule asking it is
    // refused at its transitions (line 11, where the rule begins).
    auto zia_gir = errors(head + R"([[s3_bucket_lifecycle_configuration]]
bucket = "logs"
rule = [{ id = "r", status = "Enabled", transition = [{ days = 30, storage_class = "ONEZONE_IA" }, { days = 60, storage_class = "GLACIER_IR" }] }]
)");
    const auto unsupported =
        about(zia_gir, "s3_bucket_lifecycle_configuration[logs].rule[0].transition");
    CHECK(unsupported.pos.line == 11);
    CHECK(unsupported.message.find("does not move objects from ONEZONE_IA to GLACIER_IR") !=
          std::string::npos);
    // Objects written need a size.
    auto no_size =
        errors(scenario_text("1d", "[[s3_bucket]]\nname = \"logs\"\nobjects_per_day = 5\n"));
    CHECK(about(no_size, "s3_bucket[logs].objects_per_day").pos.line == 9);
}

TEST_CASE(
    "s3: a versioned bucket keeps overwritten objects as noncurrent versions until their "
    "noncurrent_days",
    "[s3][lifecycle][versioning]") {
    // 1000 GB of 1 MB objects at the start; 10 GB a day rewritten over existing keys (every
    // write overwrites); versioning Enabled; noncurrent versions expire 30 days after they
    // became noncurrent. Jan 1 to Mar 1 2026: 59 days.
    const std::string bucket = R"(
[[s3_bucket]]
name = "docs"
storage_gb = 1000
object_size_kb = 1024
growth_gb_per_day = 10
overwrite_percent = 100
versioning = "Enabled"
[[s3_bucket_lifecycle_configuration]]
bucket = "docs"
[[s3_bucket_lifecycle_configuration.rule]]
id = "old-versions"
status = "Enabled"
noncurrent_version_expiration = { noncurrent_days = 30 }
)";
    const Run r = run_text(scenario_text("59d", bucket));
    const auto& b = r.bucket("docs");
    REQUIRE(b.versioned());
    // The current versions stay 1000 GB; each write leaves its key's old version behind, so
    // the bucket holds 1000 + 10 t GB at day t until the first noncurrent versions expire:
    // those of day d became noncurrent during day d, count from midnight d + 1 and expire at
    // midnight d + 31. January (t in [0, 31)): 1000 + 10 x 15.5 = 1155 GB-months. From
    // midnight 31 on, 10 GB expire at each midnight as 10 GB a day are written: 1300 GB at
    // each midnight, 1305 on average over February's 28 days: 1305 GB-months.
    const double standard = 1155 + 1305;
    CHECK(line_of(r, "docs", "TimedStorage-ByteHrs").usage_quantity == usd(standard));
    // Expired at midnights 31 to 58 (the run ends at midnight 59): 28 days of 10,240 objects.
    CHECK(b.objects_expired() == Approx(28 * 10240));
    // PUTs: 59 days x 10,240 = 604,160 at 0.005 per 1,000 = 3.0208. STANDARD: no early
    // deletion line.
    CHECK(line_of(r, "docs", "Requests-Tier1").cost == usd(3.0208));
    CHECK(!find_line(r, "docs", "EarlyDelete-SIA"));
    CHECK(r.ledger().total(LineItem::S3) == usd(standard * 0.023 + 3.0208));

    // Versioning Suspended (or Disabled): each overwrite replaces its key's object, the bucket
    // stays 1000 GB (1000 GB-months in January, 31 days).
    std::string suspended = bucket;
    suspended.replace(suspended.find("\"Enabled\"\n["), 9, "\"Suspended\"");
    const Run s = run_text(scenario_text("31d", suspended));
    REQUIRE(!s.bucket("docs").versioned());
    CHECK(line_of(s, "docs", "TimedStorage-ByteHrs").usage_quantity == usd(1000));
    CHECK(s.bucket("docs").objects_expired() == 0);
}

TEST_CASE(
    "s3: an expiration in a versioned bucket leaves a noncurrent version that moves and "
    "expires by its noncurrent days",
    "[s3][lifecycle][versioning]") {
    // 100 GB of 1 MB objects (102,400) at the start, nothing written; versioning Enabled.
    // Expiration at 10 days adds a delete marker at midnight Jan 11: the data stays, as
    // noncurrent versions in STANDARD (no early deletion); 30 noncurrent days later (midnight
    // Feb 10) they move to GLACIER, and expire 60 noncurrent days after Jan 11 (Mar 12).
    const Run r = run_text(scenario_text("90d", R"(
[[s3_bucket]]
name = "docs"
storage_gb = 100
object_size_kb = 1024
versioning = "Enabled"
[[s3_bucket_lifecycle_configuration]]
bucket = "docs"
[[s3_bucket_lifecycle_configuration.rule]]
id = "tidy"
status = "Enabled"
expiration = { days = 10 }
noncurrent_version_transition = [{ noncurrent_days = 30, storage_class = "GLACIER" }]
noncurrent_version_expiration = { noncurrent_days = 60 }
)"));
    const auto& b = r.bucket("docs");
    const double objects = 102400;
    CHECK(b.objects_transitioned() == Approx(objects));
    CHECK(b.objects_expired() == Approx(objects));
    CHECK(b.cohorts() == 0);
    // GLACIER from Feb 10 to Mar 12: 19 days of February (456 of 672 h), 11 of March (264 of
    // 744 h); 100 GB + 32 KB x 102,400 = 3.125 GB of index; 8 KB each (0.78125 GB) at
    // STANDARD's rate.
    const double archived = 456.0 / 672 + 264.0 / 744;
    // STANDARD: all January (100 GB-months), 9 days of February (216 of 672 h).
    const double standard = 100 + 100 * 216.0 / 672 + 0.78125 * archived;
    CHECK(line_of(r, "docs", "TimedStorage-ByteHrs").usage_quantity == usd(standard));
    const double glacier = 103.125 * archived;
    CHECK(line_of(r, "docs", "TimedStorage-GlacierByteHrs").usage_quantity == usd(glacier));
    // 30 days in GLACIER: 60 days short of 90, billed in March: 100 x 60 x 24 / 744.
    const double early = 100 * 60 * 24.0 / 744;
    CHECK(line_of(r, "docs", "EarlyDelete-ByteHrs").usage_quantity == usd(early));
    // 102,400 transitions into GLACIER at 0.03 per 1,000 = 3.072.
    CHECK(line_of(r, "docs", "Requests-Glacier-Transition").cost == usd(3.072));
    CHECK(r.ledger().total(LineItem::S3) ==
          usd(standard * 0.023 + (glacier + early) * 0.0036 + 3.072));
}

TEST_CASE(
    "s3: newer_noncurrent_versions keeps each key's newest noncurrent versions until enough "
    "newer ones exist",
    "[s3][lifecycle][versioning]") {
    // 100 GB of 1 MB objects (102,400 keys) at the start; 10 GB a day overwrite existing keys,
    // the one written longest ago first, so every key is rewritten every 10 days; versioning
    // Enabled. Noncurrent versions expire at 1 noncurrent day once their key has 2 newer
    // noncurrent versions. January 2026 (31 days, 744 h).
    const std::string bucket = R"(
[[s3_bucket]]
name = "docs"
storage_gb = 100
object_size_kb = 1024
growth_gb_per_day = 10
overwrite_percent = 100
versioning = "Enabled"
[[s3_bucket_lifecycle_configuration]]
bucket = "docs"
[[s3_bucket_lifecycle_configuration.rule]]
id = "keep-two"
status = "Enabled"
noncurrent_version_expiration = { noncurrent_days = 1, newer_noncurrent_versions = 2 }
)";
    const Run r = run_text(scenario_text("31d", bucket));
    const auto& b = r.bucket("docs");
    REQUIRE(b.versioned());
    // The versions day d's writes replace became noncurrent at midnight d + 1; their keys are
    // rewritten again at midnights d + 11 and d + 21, so they expire at midnight d + 21 (20
    // noncurrent days, not 1). Until midnight 21 nothing expires: 100 + 10 t GB at day t,
    // 2,100 + 5 x 21^2 = 4,305 GB-days; from then 10 GB expire at each midnight as 10 GB are
    // written: 300 GB after each midnight, 305 on average over the last 10 days: 3,050 GB-days.
    const double standard = (4305.0 + 3050.0) / 31;
    CHECK(line_of(r, "docs", "TimedStorage-ByteHrs").usage_quantity == usd(standard));
    // Expired at midnights 21 to 30 (the run ends at midnight 31): 10 x 10,240 objects.
    CHECK(b.objects_expired() == Approx(10 * 10240));
    // Every key keeps its two newest noncurrent versions: the aligned days split no cohort.
    CHECK(b.cohorts() == 10 + 20);
    CHECK(r.ledger().total(LineItem::S3) == usd(standard * 0.023 + 31 * 10240 * 0.005 / 1000));

    // Without newer_noncurrent_versions the same versions expire after 1 noncurrent day: at
    // midnight d + 2. After midnight 2: 100 GB current + 10 GB noncurrent, + the day's 10 t.
    std::string days_only = bucket;
    days_only.replace(days_only.find(", newer_noncurrent_versions = 2"), 31, "");
    const Run d = run_text(scenario_text("31d", days_only));
    // Days 0 and 1: 100 + 10 t (2 x 100 + 5 x 4 = 220 GB-days); then 110 + 10 GB over each
    // day on average: 29 x 115 = 3,335 GB-days.
    CHECK(line_of(d, "docs", "TimedStorage-ByteHrs").usage_quantity == usd((220.0 + 3335) / 31));
    CHECK(d.bucket("docs").objects_expired() == Approx(29 * 10240));

    // Keys rewritten every 100 / 15 days: the versions' key ranges straddle the days' cohorts,
    // which are split; every version still expires once its key has 2 newer ones, and what
    // is written is kept or expired, never lost.
    std::string uneven = bucket;
    uneven.replace(uneven.find("growth_gb_per_day = 10"), 22, "growth_gb_per_day = 15");
    const Run u = run_text(scenario_text("60d", uneven));
    // After the last midnight run (59), every one of the 100 GB of keys has been rewritten
    // more than twice (every 6.67 days), so it holds its current version and exactly two
    // noncurrent ones (1 and 0 newer): 300 GB, and day 59's 15 GB still open. Written: 100 +
    // 15 x 60 = 1,000 GB; so 685 GB expired.
    const auto& ub = u.bucket("docs");
    CHECK(ub.objects_expired() / 1024 == Approx(685));
}

TEST_CASE(
    "s3: delete markers are billed at their key name's size in STANDARD until no version is "
    "left",
    "[s3][lifecycle][versioning]") {
    // 100 GB of 1 MB objects (102,400 keys) at the start, nothing written; versioning Enabled;
    // key names of 1,024 bytes. Expiration at 10 days puts a delete marker on every key at
    // midnight Jan 11; the versions it makes noncurrent expire 30 days later (midnight Feb 10);
    // at the next midnight (Feb 11) each marker is an expired object delete marker, which S3
    // removes because the rule expires current versions.
    const std::string bucket = R"(
[[s3_bucket]]
name = "docs"
storage_gb = 100
object_size_kb = 1024
versioning = "Enabled"
key_name_bytes = 1024
[[s3_bucket_lifecycle_configuration]]
bucket = "docs"
[[s3_bucket_lifecycle_configuration.rule]]
id = "tidy"
status = "Enabled"
expiration = { days = 10 }
noncurrent_version_expiration = { noncurrent_days = 30 }
)";
    const Run r = run_text(scenario_text("59d", bucket));
    const auto& b = r.bucket("docs");
    REQUIRE(b.bills_delete_markers());
    CHECK(b.objects_expired() == Approx(102400));
    CHECK(b.delete_markers() == 0);
    // The markers: 102,400 x 1,024 bytes = 0.09765625 GB, Jan 11 to Feb 11: 21 of January's
    // 31 days and 10 of February's 28. The data: 100 GB all January and 9 days of February.
    const double markers = 0.09765625 * (21.0 / 31 + 10.0 / 28);
    const double standard = 100 + 100 * 9.0 / 28 + markers;
    CHECK(line_of(r, "docs", "TimedStorage-ByteHrs").usage_quantity == usd(standard));
    CHECK(r.ledger().total(LineItem::S3) == usd(standard * 0.023));

    // Without key names the markers cost nothing: the data alone.
    std::string unnamed = bucket;
    unnamed.replace(unnamed.find("key_name_bytes = 1024"), 21, "");
    const Run u = run_text(scenario_text("59d", unnamed));
    CHECK(line_of(u, "docs", "TimedStorage-ByteHrs").usage_quantity == usd(100 + 100 * 9.0 / 28));
}

TEST_CASE("s3: incomplete multipart uploads' parts are billed until a rule aborts them",
          "[s3][lifecycle]") {
    // 10 GB a day written to STANDARD (sizes only), 10 % more of it in multipart uploads never
    // completed: 1 GB of parts a day. The rule aborts uploads 7 days after they began: the
    // parts of day d go at midnight d + 8. January 2026, 31 days.
    const std::string bucket = R"(
[[s3_bucket]]
name = "uploads"
growth_gb_per_day = 10
incomplete_upload_percent = 10
[[s3_bucket_lifecycle_configuration]]
bucket = "uploads"
[[s3_bucket_lifecycle_configuration.rule]]
id = "abort"
status = "Enabled"
abort_incomplete_multipart_upload = { days_after_initiation = 7 }
)";
    const Run r = run_text(scenario_text("31d", bucket));
    // Objects: 10 t GB at day t, 5 x 31^2 = 4,805 GB-days. Parts on day n: min(n, 7) GB of
    // earlier days and the day's own growing 0 to 1 GB: sum of min(n, 7) for n = 0..30 = 28 +
    // 7 x 23 = 189, plus 31 x 0.5: 204.5 GB-days.
    const double standard = (4805 + 204.5) / 31;
    CHECK(line_of(r, "uploads", "TimedStorage-ByteHrs").usage_quantity == usd(standard));
    CHECK(r.ledger().total(LineItem::S3) == usd(standard * 0.023));

    // Without the rule the parts stay: 1 GB a day, t GB at day t (480.5 GB-days).
    std::string kept = bucket;
    kept.erase(kept.find("[[s3_bucket_lifecycle_configuration]]"));
    const Run k = run_text(scenario_text("31d", kept));
    CHECK(line_of(k, "uploads", "TimedStorage-ByteHrs").usage_quantity == usd((4805 + 480.5) / 31));
}

TEST_CASE("s3: delete marker and multipart upload actions S3 refuses are errors at their key",
          "[s3][loader]") {
    const std::string head = scenario_text(
        "1d",
        "[[s3_bucket]]\nname = \"logs\"\nversioning = \"Enabled\"\nobject_size_kb = 1024\n"
        "object_tags = { team = \"a\" }\n");
    auto diagnostics = [&](const std::string& rule) {
        try {
            scenario::load_text(head +
                                    "[[s3_bucket_lifecycle_configuration]]\nbucket = "
                                    "\"logs\"\n[[s3_bucket_lifecycle_configuration.rule]]\n" +
                                    rule,
                                "s3.toml");
        } catch (const scenario::ScenarioError& e) {
            return e.diagnostics();
        }
        FAIL("loaded");
        throw;  // not reached
    };
    const std::string at = "s3_bucket_lifecycle_configuration[logs].rule[0]";
    // Days beside expired_object_delete_marker, line 17 (the expiration's line).
    auto d = diagnostics(
        "id = \"r\"\nstatus = \"Enabled\"\n"
        "expiration = { days = 30, expired_object_delete_marker = true }\n");
    REQUIRE(d.size() == 1);
    CHECK(d.front().key_path == at + ".expiration.expired_object_delete_marker");
    CHECK(d.front().pos.file == "s3.toml");
    CHECK(d.front().pos.line == 17);
    CHECK(d.front().message.find("beside days") != std::string::npos);
    // An abort beside a tag filter.
    d = diagnostics(
        "id = \"r\"\nstatus = \"Enabled\"\nfilter = { tag = { key = \"team\", value = "
        "\"a\" } }\nabort_incomplete_multipart_upload = { days_after_initiation = 7 "
        "}\n");
    REQUIRE(d.size() == 1);
    CHECK(d.front().key_path == at + ".abort_incomplete_multipart_upload");
    CHECK(d.front().pos.line == 18);
    // days_after_initiation of 0: out of range, at its key and column.
    d = diagnostics(
        "id = \"r\"\nstatus = \"Enabled\"\n"
        "abort_incomplete_multipart_upload = { days_after_initiation = 0 }\n");
    REQUIRE(d.size() == 1);
    CHECK(d.front().key_path == at + ".abort_incomplete_multipart_upload.days_after_initiation");
    CHECK(d.front().pos.line == 17);
    CHECK(d.front().pos.column == 63);
    // An expiration with neither days nor expired_object_delete_marker.
    d = diagnostics(
        "id = \"r\"\nstatus = \"Enabled\"\n"
        "expiration = { expired_object_delete_marker = false }\n");
    REQUIRE(d.size() == 1);
    CHECK(d.front().key_path == at + ".expiration");
}

TEST_CASE("s3: noncurrent version rules S3 refuses are errors at their key",
          "[s3][loader][versioning]") {
    const std::string head =
        scenario_text("1d", "[[s3_bucket]]\nname = \"logs\"\nversioning = \"Enabled\"\n");
    try {
        scenario::load_text(head + R"([[s3_bucket_lifecycle_configuration]]
bucket = "logs"
[[s3_bucket_lifecycle_configuration.rule]]
id = "r"
status = "Enabled"
noncurrent_version_transition = [{ noncurrent_days = 7, storage_class = "STANDARD_IA" }]
noncurrent_version_expiration = { noncurrent_days = 5 }
)",
                            "s3.toml");
        FAIL("loaded");
    } catch (const scenario::ScenarioError& e) {
        bool days = false, expiration = false;
        for (const auto& d : e.diagnostics()) {
            INFO(d.format());
            const std::string rule = "s3_bucket_lifecycle_configuration[logs].rule[0]";
            if (d.key_path == rule + ".noncurrent_version_transition[0].noncurrent_days") {
                days = d.message.find("30 days") != std::string::npos && d.pos.line == 15 &&
                       d.pos.file == "s3.toml";
            }
            if (d.key_path == rule + ".noncurrent_version_expiration.noncurrent_days")
                expiration = d.message.find("must come after") != std::string::npos;
        }
        CHECK(days);
        CHECK(expiration);
    }
    // A bad versioning status is refused at its key, line 9.
    try {
        scenario::load_text(
            scenario_text("1d", "[[s3_bucket]]\nname = \"logs\"\nversioning = \"On\"\n"),
            "s3.toml");
        FAIL("loaded");
    } catch (const scenario::ScenarioError& e) {
        REQUIRE(!e.diagnostics().empty());
        const auto& d = e.diagnostics().front();
        CHECK(d.key_path == "s3_bucket[logs].versioning");
        CHECK(d.pos.line == 9);
        CHECK(d.pos.column == 14);
    }
}

// ---- Volume tiers, AWS's published examples, multipart uploads, presigned PUTs -------------

namespace {

std::string run_from(const std::string& start, const std::string& duration,
                     const std::string& sections) {
    return "[simulation]\nname = \"s3\"\nstart_time = \"" + start + "\"\nduration = \"" + duration +
           "\"\n[region]\nname = \"us-east-1\"\n" + sections;
}

double cost_of(const Run& r, const std::string& usage_type) {
    double usd = 0;
    for (const ChargeLine& l : r.ledger().lines())
        if (l.spec.usage_type == usage_type) usd += l.cost;
    return usd;
}

}  // namespace

TEST_CASE("s3: the S3 FAQ's storage example, 52,900 GB-months of STANDARD in March, $1,215.00",
          "[s3][tiers]") {
    // The S3 FAQ and the S3 User Guide ("Understanding your AWS billing and usage reports"):
    // 100 GB for the first 15 days of March and 100 TB for the last 16 are 52,900 GB-months,
    // priced 51,200 GB x 0.023 (first 50 TB) + 1,700 GB x 0.022 (next 450 TB) = $1,215.00.
    // The tiers count the month's GB-months of every bucket of the Region together, so the
    // same GB-months in two buckets cost the same: 100 GB all month, and 102,300 GB expired
    // at 16 days (March 17, 00:00 UTC): 102,300 x 384 / 744 = 52,800 GB-months. Together
    // they pass 51,200 GB-months at 372 h, when both lines go to 0.022.
    const Run r = run_text(run_from("2026-03-01T00:00:00Z", "744h", R"(
[[s3_bucket]]
name = "big"
storage_gb = 102300
[[s3_bucket]]
name = "small"
storage_gb = 100
[[s3_bucket_lifecycle_configuration]]
bucket = "big"
rule = [{ id = "expire", status = "Enabled", expiration = { days = 16 } }]
)"));
    const ChargeLine& big = line_of(r, "big", "TimedStorage-ByteHrs");
    const ChargeLine& small = line_of(r, "small", "TimedStorage-ByteHrs");
    CHECK(big.usage_quantity == usd(102300.0 * 384 / 744));
    CHECK(small.usage_quantity == usd(100));
    CHECK(big.usage_quantity + small.usage_quantity == usd(52900));
    CHECK(big.cost + small.cost == usd(51200 * 0.023 + 1700 * 0.022));
    CHECK(std::round((big.cost + small.cost) * 100) / 100 == 1215.00);
    // The small bucket's first 372 h at 0.023, the rest at 0.022.
    CHECK(small.cost == usd(100 * (372 * 0.023 + 372 * 0.022) / 744));
}

TEST_CASE("s3: STANDARD's three volume tiers and Intelligent-Tiering's, each month anew",
          "[s3][tiers]") {
    // 600 TB (614,400 GB) of STANDARD for January and February 2026: each month bills
    // 614,400 GB-months (whatever its length), 51,200 at 0.023, 460,800 at 0.022, 102,400 at
    // 0.021: $13,465.60 a month. 60 TB (61,440 GB) of 64 KB objects in INTELLIGENT_TIERING
    // stay in its frequent access tier (under 128 KB: not monitored) and have its own tiers:
    // 51,200 x 0.023 + 10,240 x 0.022 = $1,402.88 a month, not counted with STANDARD's.
    const Run r = run_text(run_from("2026-01-01T00:00:00Z", "1416h", R"(
[[s3_bucket]]
name = "lake"
storage_gb = 614400
[[s3_bucket]]
name = "tiered"
storage_gb = 61440
object_size_kb = 64
storage_class = "INTELLIGENT_TIERING"
)"));
    const ChargeLine& lake = line_of(r, "lake", "TimedStorage-ByteHrs");
    CHECK(lake.usage_quantity == usd(2 * 614400));
    CHECK(lake.cost == usd(2 * (51200 * 0.023 + 460800 * 0.022 + 102400 * 0.021)));
    CHECK(lake.cost == usd(26931.20));
    const ChargeLine& tiered = line_of(r, "tiered", "TimedStorage-INT-FA-ByteHrs");
    CHECK(tiered.usage_quantity == usd(2 * 61440));
    CHECK(tiered.cost == usd(2 * (51200 * 0.023 + 10240 * 0.022)));
    CHECK(find_line(r, "tiered", "Monitoring-Automation-INT") == nullptr);
    // Below 50 TB nothing changes: 100 GB for January is 100 x 0.023.
    const Run one =
        run_text(scenario_text("744h", "[[s3_bucket]]\nname = \"b\"\nstorage_gb = 100\n"));
    CHECK(line_of(one, "b", "TimedStorage-ByteHrs").cost == usd(2.3));
    CHECK(line_of(one, "b", "TimedStorage-ByteHrs").uniform_rate);
}

TEST_CASE("s3: the S3 FAQ's data transfer out example, 62 TB in March", "[s3][tiers]") {
    // 1 TB a day out of S3 and 1 TB a day out of EC2 to the internet for March: 63,488 GB. The
    // FAQ (with the 1 GB then free) prices it 10,239 x 0.09 + 40,960 x 0.085 + 12,288 x 0.07 =
    // $5,263.27; with today's 100 GB a month free the first tier holds 10,140 GB: $5,254.36.
    scenario::PriceList faq = scenario::PriceList::builtin("us-east-1");
    REQUIRE(faq.internet_egress_free_gb_month == 100);
    CHECK(cloud::internet_egress_cost(faq, 0, 63488) == usd(5254.36));
    faq.internet_egress_free_gb_month = 1;
    CHECK(cloud::internet_egress_cost(faq, 0, 63488) == usd(5263.27));
    // In a run: two buckets whose GETs each read 1 TB a day (1,048,576 GETs of 1 MB) to the
    // internet share the month's tiers and allowance, as S3 and EC2 do.
    const std::string site = R"(
storage_gb = 1024
object_size_kb = 1024
get_requests_per_day = 1048576
gets_from_internet = true
)";
    const Run r = run_text(
        run_from("2026-03-01T00:00:00Z", "744h",
                 "[[s3_bucket]]\nname = \"a\"" + site + "[[s3_bucket]]\nname = \"b\"" + site));
    const ChargeLine& a = line_of(r, "a", "DataTransfer-Out-Bytes");
    const ChargeLine& b = line_of(r, "b", "DataTransfer-Out-Bytes");
    CHECK(a.usage_quantity + b.usage_quantity == usd(63488));
    CHECK(a.cost + b.cost == usd(5254.36));
}

TEST_CASE("s3: the S3 FAQ's request and retrieval examples", "[s3]") {
    // Requests: 10,000 PUTs and 20,000 GETs a day for March: 310,000 x 0.005 / 1,000 = $1.55
    // and 620,000 x 0.0004 / 1,000 = $0.248 (the FAQ rounds it to $0.25); DELETEs are free.
    const Run r = run_text(run_from("2026-03-01T00:00:00Z", "744h", R"(
[[s3_bucket]]
name = "faq"
storage_gb = 100
object_size_kb = 1024
objects_per_day = 10000
get_requests_per_day = 20000
)"));
    CHECK(line_of(r, "faq", "Requests-Tier1").usage_quantity == usd(310000));
    CHECK(line_of(r, "faq", "Requests-Tier1").cost == usd(1.55));
    CHECK(line_of(r, "faq", "Requests-Tier2").usage_quantity == usd(620000));
    CHECK(line_of(r, "faq", "Requests-Tier2").cost == usd(0.248));
    // Retrieval: 300 GB read from STANDARD_IA in a month, 100 GB of it to the internet and
    // 200 GB within the Region: 300 x 0.01 = $3.00, and the 100 GB out is the month's free
    // allowance (the FAQ, from before it, adds transfer fees for it).
    const Run ia = run_text(run_from("2026-03-01T00:00:00Z", "744h", R"(
[[s3_bucket]]
name = "ia-out"
storage_gb = 300
object_size_kb = 1024
storage_class = "STANDARD_IA"
get_requests_per_day = 3303.2258064516129
gets_from_internet = true
[[s3_bucket]]
name = "ia-in"
storage_gb = 300
object_size_kb = 1024
storage_class = "STANDARD_IA"
get_requests_per_day = 6606.4516129032258
)"));
    CHECK(cost_of(ia, "Retrieval-SIA") == usd(3.00));
    CHECK(line_of(ia, "ia-out", "DataTransfer-Out-Bytes").usage_quantity == usd(100));
    CHECK(line_of(ia, "ia-out", "DataTransfer-Out-Bytes").cost == Approx(0).margin(1e-9));
    // 307,200 GETs at STANDARD_IA's 0.001 per 1,000.
    CHECK(cost_of(ia, "Requests-SIA-Tier2") == usd(0.3072));
}

TEST_CASE("s3: multipart uploads bill CreateMultipartUpload, each part and the completion",
          "[s3][multipart]") {
    // 1,000 objects of 100 MB a day in 8 MB parts: 13 parts, so 15 PUT-class requests each;
    // 10 % more uploads are left incomplete, each with its CreateMultipartUpload and 13 parts:
    // 1,000 x (15 + 0.1 x 14) = 16,400 requests, $0.082. In DEEP_ARCHIVE with 16 MB parts: 7
    // parts, 9,000 requests at 0.05 per 1,000, $0.45. 4 MB objects are under the part size
    // (the AWS CLI's multipart_threshold): one PutObject each. 8 MB objects reach it: one part,
    // 3 requests. Without a part size every object is one PutObject, as before.
    const Run r = run_text(scenario_text("24h", R"(
[[s3_bucket]]
name = "videos"
object_size_kb = 102400
objects_per_day = 1000
multipart_part_size_mb = 8
incomplete_upload_percent = 10
[[s3_bucket]]
name = "archive"
object_size_kb = 102400
objects_per_day = 1000
storage_class = "DEEP_ARCHIVE"
multipart_part_size_mb = 16
[[s3_bucket]]
name = "thumbs"
object_size_kb = 4096
objects_per_day = 1000
multipart_part_size_mb = 8
[[s3_bucket]]
name = "exact"
object_size_kb = 8192
objects_per_day = 1000
multipart_part_size_mb = 8
[[s3_bucket]]
name = "plain"
object_size_kb = 102400
objects_per_day = 1000
)"));
    CHECK(line_of(r, "videos", "Requests-Tier1").usage_quantity == usd(16400));
    CHECK(line_of(r, "videos", "Requests-Tier1").cost == usd(0.082));
    CHECK(r.bucket("videos").requests(cloud::S3Request::PutObject) == usd(16400));
    CHECK(line_of(r, "archive", "Requests-GDA-Tier1").usage_quantity == usd(9000));
    CHECK(line_of(r, "archive", "Requests-GDA-Tier1").cost == usd(0.45));
    CHECK(line_of(r, "thumbs", "Requests-Tier1").usage_quantity == usd(1000));
    CHECK(line_of(r, "exact", "Requests-Tier1").usage_quantity == usd(3000));
    CHECK(line_of(r, "plain", "Requests-Tier1").usage_quantity == usd(1000));
    // The objects are what they are, whichever way they were written (1,000 x 100 MB); the
    // incomplete uploads' parts add their 10 %, never aborted.
    CHECK(line_of(r, "videos", "TimedStorage-ByteHrs").usage_quantity ==
          usd(1.1 * line_of(r, "plain", "TimedStorage-ByteHrs").usage_quantity));
}

TEST_CASE("s3: multipart part sizes S3 refuses are errors at the key", "[s3][multipart]") {
    auto error_at = [](const std::string& bucket) {
        try {
            scenario::load_text(scenario_text("1d", bucket), "s3.toml");
        } catch (const scenario::ScenarioError& e) {
            for (const auto& d : e.diagnostics())
                if (d.key_path == "s3_bucket[v].multipart_part_size_mb") return d.message;
            return std::string("another error");
        }
        return std::string("loaded");
    };
    // Parts of at least 5 MB (S3's minimum, all but the last part).
    CHECK_THAT(error_at("[[s3_bucket]]\nname = \"v\"\nobject_size_kb = 102400\n"
                        "objects_per_day = 10\nmultipart_part_size_mb = 4\n"),
               Catch::Contains("at least 5 MB"));
    // At most 10,000 parts: 50 GB objects in 5 MB parts would be 10,240.
    CHECK_THAT(error_at("[[s3_bucket]]\nname = \"v\"\nobject_size_kb = 52428800\n"
                        "objects_per_day = 1\nmultipart_part_size_mb = 5\n"),
               Catch::Contains("at most 10,000 parts") && Catch::Contains("at least 6 MB"));
    // Parts are per object: a bucket without object sizes has none.
    CHECK_THAT(error_at("[[s3_bucket]]\nname = \"v\"\ngrowth_gb_per_day = 10\n"
                        "multipart_part_size_mb = 8\n"),
               Catch::Contains("set object_size_kb"));
    CHECK(error_at("[[s3_bucket]]\nname = \"v\"\nobject_size_kb = 102400\n"
                   "objects_per_day = 10\nmultipart_part_size_mb = 5\n") == "loaded");
}

TEST_CASE("s3: PUTs through a presigned URL write objects until it expires, then 403",
          "[s3][iam]") {
    // user/uploader may PutObject; its URL, signed at the start for 6 h, carries 2,400 PUTs a
    // day of 1 MB objects (100 an hour): 600 answered and billed ($0.003), 1,800 denied. The
    // 600 objects (0.5859375 GB) grow evenly for 6 h, then stay: 0.5859375 x (3 + 18)
    // GB-hours of January's 744.
    const std::string iam = R"(
[[iam_user]]
name = "uploader"
[[iam_user_policy]]
name = "put"
user = "uploader"
policy = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::drop/*"}]}'
)";
    const Run r = run_text(scenario_text("24h", iam + R"(
[[s3_bucket]]
name = "drop"
object_size_kb = 1024
objects_per_day = 2400
presigned_put_by = "user/uploader"
presigned_put_expires_in = 21600
)"));
    const cloud::S3Bucket& b = r.bucket("drop");
    CHECK(b.requests(cloud::S3Request::PutObject) == usd(600));
    CHECK(b.denied(cloud::S3Request::PutObject) == usd(1800));
    CHECK(line_of(r, "drop", "Requests-Tier1").cost == usd(0.003));
    CHECK(line_of(r, "drop", "TimedStorage-ByteHrs").usage_quantity == usd(0.5859375 * 21 / 744));
    const cloud::S3RequestAccess& put = b.access(cloud::S3Request::PutObject);
    CHECK(put.presigned);
    CHECK(put.action == "s3:PutObject");
    CHECK(put.denied_from == 6 * kHour);
    CHECK(put.denied_decision == "expired");
    // A signer without s3:PutObject: every PUT through the URL is a 403 and nothing is written.
    std::string none = iam;
    none.replace(none.find("s3:PutObject"), 12, "s3:GetObject");
    const Run denied = run_text(scenario_text("24h", none + R"(
[[s3_bucket]]
name = "drop"
object_size_kb = 1024
objects_per_day = 2400
presigned_put_by = "user/uploader"
)"));
    CHECK(denied.bucket("drop").denied(cloud::S3Request::PutObject) == usd(2400));
    const ChargeLine* puts = find_line(denied, "drop", "Requests-Tier1");
    CHECK((puts == nullptr || puts->usage_quantity == 0));
    CHECK(line_of(denied, "drop", "TimedStorage-ByteHrs").usage_quantity == 0);
}

TEST_CASE("s3: the knowledge center's Glacier restore example, by retrieval tier",
          "[s3][restore]") {
    // AWS's knowledge-center example: 15,000,000 objects, 100 TB (102,400 GB), restored from
    // GLACIER. Standard: 15,000 thousand requests x $0.05 = $750 and 102,400 GB x $0.01 =
    // $1,024, $1,774 in all; Expedited: x $10 = $150,000 and x $0.03 = $3,072; Bulk: free.
    // In a run: a bucket of exactly those objects (102,400 x 1,048,576 / 15,000,000 KB each),
    // all restored in one day.
    char size_kb[32];
    std::snprintf(size_kb, sizeof size_kb, "%.17g", 102400.0 * 1048576 / 15000000);
    const std::string bucket =
        "[[s3_bucket]]\nname = \"vault\"\nstorage_class = \"GLACIER\"\n"
        "storage_gb = 102400\nobject_size_kb = " +
        std::string(size_kb) + "\nrestore_requests_per_day = 15000000\n";
    struct Tier {
        const char* name;
        const char* requests;
        const char* bytes;
        double request_usd, gb_usd;
    };
    for (const Tier& t :
         {Tier{"Standard", "Requests-Tier3", "Standard-Retrieval-Bytes", 750, 1024},
          Tier{"Expedited", "Requests-Tier6", "Expedited-Retrieval-Bytes", 150000, 3072},
          Tier{"Bulk", "Requests-Tier5", "Bulk-Retrieval-Bytes", 0, 0}}) {
        CAPTURE(t.name);
        const Run r =
            run_text(scenario_text("24h", bucket + "restore_tier = \"" + t.name + "\"\n"));
        CHECK(line_of(r, "vault", t.requests).usage_quantity == usd(15000000));
        CHECK(line_of(r, "vault", t.requests).cost == usd(t.request_usd));
        CHECK(line_of(r, "vault", t.bytes).usage_quantity == usd(102400));
        CHECK(line_of(r, "vault", t.bytes).cost == usd(t.gb_usd));
        CHECK(r.bucket("vault").restores() == usd(15000000));
        CHECK(r.bucket("vault").failed_restores() == 0);
    }
    // The restored copies: requested evenly over the day, readable 5 h later (Standard), so
    // 102,400 x (t - 5) / 24 GB at hour t from 5 h to 24 h: 102,400 x 19^2 / 48 GB-hours of
    // January's 744, at STANDARD's 0.023.
    const Run r = run_text(scenario_text("24h", bucket));
    const ChargeLine& copy = line_of(r, "vault", "TimedStorage-Restored-ByteHrs");
    CHECK(copy.usage_quantity == usd(102400.0 * 361 / 48 / 744));
    CHECK(copy.cost == usd(102400.0 * 361 / 48 / 744 * 0.023));
}

TEST_CASE("s3: Deep Archive bulk restores kept 3 days, and GETs answered by their copies",
          "[s3][restore]") {
    // 1,024 GB of 1 MB objects in DEEP_ARCHIVE (1,048,576 objects) for 10 days of January;
    // 10,240 Bulk restores a day (10 GB), each copy kept 3 days; 1,000 GETs a day.
    const Run r = run_text(scenario_text("240h", R"(
[[s3_bucket]]
name = "deep"
storage_class = "DEEP_ARCHIVE"
storage_gb = 1024
object_size_kb = 1024
restore_requests_per_day = 10240
restore_tier = "Bulk"
restore_days = 3
get_requests_per_day = 1000
)"));
    // 102,400 restores at $0.025 per 1,000: $2.56; 100 GB retrieved at $0.0025: $0.25.
    CHECK(line_of(r, "deep", "Requests-GDA-Tier5").usage_quantity == usd(102400));
    CHECK(line_of(r, "deep", "Requests-GDA-Tier5").cost == usd(2.56));
    CHECK(line_of(r, "deep", "Bulk-Retrieval-Bytes").usage_quantity == usd(100));
    CHECK(line_of(r, "deep", "Bulk-Retrieval-Bytes").cost == usd(0.25));
    // Day d's restores (10 GB) are readable 48 h later, spread over hours 24d + 48 to 24d + 72,
    // and expire at the midnight 3 days after completing: hour 24d + 144. GB-hours: 120 for
    // the ramp, 720 whole: 840 for days 0-4; day 5: 120 + 480, day 6: 120 + 240, day 7: 120
    // (the run ends at 240 h); days 8-9 are not readable yet. 5,280 GB-hours of 744.
    const ChargeLine& copy = line_of(r, "deep", "TimedStorage-Restored-ByteHrs");
    CHECK(copy.usage_quantity == usd(5280.0 / 744));
    CHECK(copy.cost == usd(5280.0 / 744 * 0.023));
    // The GETs pick among the 1,048,576 objects: the restored copies' share is answered, at
    // DEEP_ARCHIVE's GET rate: 1,000 / 24 an hour x 5,280 GB-hours x 1,024 / 1,048,576 =
    // 214.84375; the other 9,785.15625 fail with 403 InvalidObjectState, unbilled.
    CHECK(line_of(r, "deep", "Requests-GDA-Tier2").usage_quantity == usd(214.84375));
    CHECK(line_of(r, "deep", "Requests-GDA-Tier2").cost == usd(214.84375 * 0.0004 / 1000));
    CHECK(r.bucket("deep").invalid_gets() == usd(10000 - 214.84375));
    // The restores retrieve within the Region: nothing leaves AWS.
    CHECK(find_line(r, "deep", "DataTransfer-Out-Bytes") == nullptr);
}

TEST_CASE("s3: restores with nothing archived, or a tier the class lacks, fail unbilled",
          "[s3][restore]") {
    // Expedited is for GLACIER only; a STANDARD bucket has nothing to restore; objects that
    // reach GLACIER at 2 days (created at the start: the midnight 2 days on) are restored
    // from then on: 1,000 a day for the last day of 3.
    const Run r = run_text(scenario_text("72h", R"(
[[s3_bucket]]
name = "deep"
storage_class = "DEEP_ARCHIVE"
storage_gb = 1
object_size_kb = 1024
restore_requests_per_day = 1000
restore_tier = "Expedited"
[[s3_bucket]]
name = "hot"
storage_gb = 1
object_size_kb = 1024
restore_requests_per_day = 1000
[[s3_bucket]]
name = "aging"
storage_gb = 1
object_size_kb = 1024
restore_requests_per_day = 1000
[[s3_bucket_lifecycle_configuration]]
bucket = "aging"
[[s3_bucket_lifecycle_configuration.rule]]
id = "archive"
status = "Enabled"
transition = [{ days = 2, storage_class = "GLACIER" }]
)"));
    CHECK(r.bucket("deep").failed_restores() == usd(3000));
    CHECK(r.bucket("deep").restores() == 0);
    CHECK(find_line(r, "deep", "Requests-GDA-Tier3") == nullptr);
    CHECK(find_line(r, "deep", "TimedStorage-Restored-ByteHrs") == nullptr);
    CHECK(r.bucket("hot").failed_restores() == usd(3000));
    CHECK(find_line(r, "hot", "Requests-Tier3") == nullptr);
    CHECK(r.bucket("aging").failed_restores() == usd(2000));
    CHECK(r.bucket("aging").restores() == usd(1000));
    CHECK(line_of(r, "aging", "Requests-Tier3").cost == usd(0.05));
    CHECK(line_of(r, "aging", "Standard-Retrieval-Bytes").usage_quantity == usd(1000.0 / 1024));
}

TEST_CASE("s3: restore keys S3 refuses are errors at the key", "[s3][restore]") {
    auto error_at = [](const std::string& bucket, const std::string& key) {
        try {
            scenario::load_text(scenario_text("1d", bucket), "s3.toml");
        } catch (const scenario::ScenarioError& e) {
            for (const auto& d : e.diagnostics())
                if (d.key_path == "s3_bucket[v]." + key) return d.message;
            return std::string("another error");
        }
        return std::string("loaded");
    };
    CHECK_THAT(error_at("[[s3_bucket]]\nname = \"v\"\nstorage_gb = 10\n"
                        "storage_class = \"GLACIER\"\nrestore_requests_per_day = 10\n",
                        "restore_requests_per_day"),
               Catch::Contains("set object_size_kb"));
    CHECK(error_at("[[s3_bucket]]\nname = \"v\"\nobject_size_kb = 1024\nstorage_gb = 10\n"
                   "restore_requests_per_day = 10\nrestore_tier = \"Fast\"\n",
                   "restore_tier") != "loaded");
    CHECK(error_at("[[s3_bucket]]\nname = \"v\"\nobject_size_kb = 1024\nstorage_gb = 10\n"
                   "restore_requests_per_day = 10\nrestore_days = 0\n",
                   "restore_days") != "loaded");
    CHECK(error_at("[[s3_bucket]]\nname = \"v\"\nobject_size_kb = 1024\nstorage_gb = 10\n"
                   "storage_class = \"GLACIER\"\nrestore_requests_per_day = 10\n"
                   "restore_tier = \"Bulk\"\nrestore_days = 7\n",
                   "restore_days") == "loaded");
}

TEST_CASE("s3: held out, 64 KB objects a size filter moves to STANDARD_IA and GLACIER_IR in Seoul",
          "[s3][lifecycle]") {
    // Session 14, by hand before the run, at ap-northeast-2's figures (STANDARD 0.025,
    // STANDARD_IA 0.0138, GLACIER_IR 0.005 per GB-month; transitions 0.01 and 0.02 per 1,000):
    // 64 GB of 64 KB objects (1,048,576) at the start, STANDARD_IA at 30 days (Jan 31),
    // GLACIER_IR at 60 (Mar 2), expired at 100 (Apr 11): 40 days into GLACIER_IR's 90.
    const Run r = run_text(scenario_text("110d", R"([[s3_bucket]]
name = "thumbs"
storage_gb = 64
object_size_kb = 64
[[s3_bucket_lifecycle_configuration]]
bucket = "thumbs"
rule = [{ id = "small", status = "Enabled", filter = { object_size_greater_than = 1024 }, transition = [{ days = 30, storage_class = "STANDARD_IA" }, { days = 60, storage_class = "GLACIER_IR" }], expiration = { days = 100 } }]
)",
                                         "ap-northeast-2"));
    const double n = 1048576;
    // STANDARD Jan 1-30: 64 x 30/31.
    CHECK(line_of(r, "thumbs", "TimedStorage-ByteHrs").cost == usd(64.0 * 30 / 31 * 0.025));
    // STANDARD_IA Jan 31, February, Mar 1; as much again for the 64 KB each object is short of
    // 128 KB. It stays its 30 days: no early deletion.
    const double sia = 64.0 / 31 + 64 + 64.0 / 31;
    CHECK(line_of(r, "thumbs", "TimedStorage-SIA-ByteHrs").usage_quantity == usd(sia));
    CHECK(line_of(r, "thumbs", "TimedStorage-SIA-SmObjects").cost == usd(sia * 0.0138));
    CHECK(line_of(r, "thumbs", "EarlyDelete-SIA").usage_quantity == usd(0));
    // GLACIER_IR Mar 2-31 and Apr 1-10, twice; 50 days short at 128 KB each, on April's bill:
    // 128 x 50/30 GB-months.
    const double gir = 64.0 * 30 / 31 + 64.0 * 10 / 30;
    CHECK(line_of(r, "thumbs", "TimedStorage-GIR-ByteHrs").usage_quantity == usd(gir));
    CHECK(line_of(r, "thumbs", "TimedStorage-GIR-SmObjects").cost == usd(gir * 0.005));
    CHECK(line_of(r, "thumbs", "EarlyDelete-GIR").cost == usd(128.0 * 50 / 30 * 0.005));
    CHECK(line_of(r, "thumbs", "Requests-SIA-Transition").cost == usd(n * 0.01 / 1000));
    CHECK(line_of(r, "thumbs", "Requests-GIR-Transition").cost == usd(n * 0.02 / 1000));
    double total = 0;
    for (const ChargeLine& l : r.ledger().lines())
        if (l.spec.resource_id == "thumbs") total += l.cost;
    CHECK(total == Approx(36.785383).margin(5e-7));
}

TEST_CASE("s3: held out, Intelligent-Tiering entered by lifecycle counts its tiers from the move",
          "[s3][lifecycle]") {
    // Session 14, by hand: 100 GB of 1 MB objects (102,400) at the start, moved to
    // INTELLIGENT_TIERING at 10 days (Jan 11); never read, they reach infrequent access 30
    // days later (Feb 10) and archive instant access 90 days after the move (Apr 11).
    const Run r = run_text(scenario_text("120d", R"([[s3_bucket]]
name = "int-later"
storage_gb = 100
object_size_kb = 1024
[[s3_bucket_lifecycle_configuration]]
bucket = "int-later"
rule = [{ id = "int", status = "Enabled", transition = [{ days = 10, storage_class = "INTELLIGENT_TIERING" }] }]
)"));
    CHECK(line_of(r, "int-later", "TimedStorage-ByteHrs").usage_quantity == usd(100.0 * 10 / 31));
    CHECK(line_of(r, "int-later", "TimedStorage-INT-FA-ByteHrs").usage_quantity ==
          usd(100.0 * 21 / 31 + 100.0 * 9 / 28));
    CHECK(line_of(r, "int-later", "TimedStorage-INT-IA-ByteHrs").usage_quantity ==
          usd(100.0 * 19 / 28 + 100 + 100.0 * 10 / 30));
    CHECK(line_of(r, "int-later", "TimedStorage-INT-AIA-ByteHrs").usage_quantity ==
          usd(100.0 * 20 / 30));
    CHECK(line_of(r, "int-later", "Requests-INT-Transition").cost == usd(102400 * 0.01 / 1000));
    // Monitoring from the move: 21 of January's 31 days, then February to April.
    CHECK(line_of(r, "int-later", "Monitoring-Automation-INT").usage_quantity ==
          usd(102400 * (21.0 / 31 + 3)));
}

TEST_CASE("s3: held out, 1 TB down STANDARD_IA, GLACIER_IR and DEEP_ARCHIVE, expired at 200 days",
          "[s3][lifecycle][long]") {
    // Session 14, by hand (us-east-1): 1,048,576 objects of 1 MB at the start; STANDARD_IA at
    // 30 days (Jan 31), GLACIER_IR at 90 (Apr 1), DEEP_ARCHIVE at 180 (Jun 30), expired at 200
    // (Jul 20): 160 days short of DEEP_ARCHIVE's 180, on July's bill.
    const Run r = run_text(scenario_text("210d", R"([[s3_bucket]]
name = "archive"
key_prefix = "data/"
storage_gb = 1024
object_size_kb = 1024
[[s3_bucket_lifecycle_configuration]]
bucket = "archive"
rule = [{ id = "waterfall", status = "Enabled", filter = { prefix = "data/" }, transition = [{ days = 30, storage_class = "STANDARD_IA" }, { days = 90, storage_class = "GLACIER_IR" }, { days = 180, storage_class = "DEEP_ARCHIVE" }], expiration = { days = 200 } }]
)"));
    // STANDARD: Jan 1-30, then the 8 KB per archived object (8 GB) Jun 30 - Jul 19.
    CHECK(line_of(r, "archive", "TimedStorage-ByteHrs").usage_quantity ==
          usd(1024.0 * 30 / 31 + 8.0 / 30 + 8.0 * 19 / 31));
    CHECK(line_of(r, "archive", "TimedStorage-SIA-ByteHrs").usage_quantity ==
          usd(1024.0 / 31 + 2048));
    CHECK(line_of(r, "archive", "TimedStorage-GIR-ByteHrs").usage_quantity ==
          usd(2048 + 1024.0 * 29 / 30));
    // 1,024 GB and the 32 KB index per object (32 GB).
    CHECK(line_of(r, "archive", "TimedStorage-GDA-ByteHrs").usage_quantity ==
          usd(1056.0 / 30 + 1056.0 * 19 / 31));
    CHECK(line_of(r, "archive", "EarlyDelete-GDA").cost == usd(1024.0 * 160 / 31 * 0.00099));
    CHECK(line_of(r, "archive", "EarlyDelete-SIA").usage_quantity == usd(0));
    CHECK(line_of(r, "archive", "EarlyDelete-GIR").usage_quantity == usd(0));
    double total = 0;
    for (const ChargeLine& l : r.ledger().lines())
        if (l.spec.resource_id == "archive") total += l.cost;
    // + transitions 1,048,576 x (0.01 + 0.02 + 0.05) / 1,000 = $83.88608.
    CHECK(total == Approx(150.869527).margin(5e-7));
}

TEST_CASE("s3: held out, Intelligent-Tiering from noon mid-March, nobody reading, 100 days",
          "[s3][long]") {
    // Session 15, by hand (us-east-1): 200 GB of 1 MB objects (204,800) in INTELLIGENT_TIERING
    // at 2026-03-15 12:00 UTC, never read. Frequent access 30 days (to Apr 14 12:00), infrequent
    // access to day 90 (Jun 13 12:00), archive instant access to the end (Jun 23 12:00).
    const Run r = run_text(R"([simulation]
name = "s3"
start_time = "2026-03-15T12:00:00Z"
duration = "100d"
[region]
name = "us-east-1"
[[s3_bucket]]
name = "it"
storage_class = "INTELLIGENT_TIERING"
storage_gb = 200
object_size_kb = 1024
)");
    // March 16.5 of 31 days, April 13.5 of 30.
    CHECK(line_of(r, "it", "TimedStorage-INT-FA-ByteHrs").usage_quantity ==
          usd(200 * 16.5 / 31 + 200 * 13.5 / 30));
    // April 16.5 of 30, all May, June 12.5 of 30.
    CHECK(line_of(r, "it", "TimedStorage-INT-IA-ByteHrs").usage_quantity ==
          usd(200 * 16.5 / 30 + 200 + 200 * 12.5 / 30));
    CHECK(line_of(r, "it", "TimedStorage-INT-AIA-ByteHrs").usage_quantity == usd(200 * 10.0 / 30));
    // Monitoring in every tier: 204,800 objects x (16.5 / 31 + 1 + 1 + 22.5 / 30) months.
    CHECK(line_of(r, "it", "Monitoring-Automation-INT").usage_quantity ==
          usd(204800 * (16.5 / 31 + 2 + 22.5 / 30)));
    CHECK(r.ledger().total(LineItem::S3) == Approx(11.382237).margin(5e-7));
}

TEST_CASE(
    "s3: held out, noncurrent versions to DEEP_ARCHIVE at 30 days, expired at 100, with "
    "their delete markers",
    "[s3][lifecycle][versioning][long]") {
    // Session 15, by hand (us-east-1): 200 GB of 1 MB objects (204,800) at 2026-04-10 00:00,
    // versioning Enabled, keys of 200 bytes. Current versions expire at 5 days (Apr 15): delete
    // markers, the data noncurrent in STANDARD; 30 noncurrent days later (May 15) to
    // DEEP_ARCHIVE; deleted at 100 (Jul 24), 70 days into DEEP_ARCHIVE's 180: 110 days short
    // on July's bill. The markers go at the next midnight (Jul 25). To Aug 1: 113 days.
    const Run r = run_text(R"([simulation]
name = "s3"
start_time = "2026-04-10T00:00:00Z"
duration = "113d"
[region]
name = "us-east-1"
[[s3_bucket]]
name = "vault"
storage_gb = 200
object_size_kb = 1024
versioning = "Enabled"
key_name_bytes = 200
[[s3_bucket_lifecycle_configuration]]
bucket = "vault"
[[s3_bucket_lifecycle_configuration.rule]]
id = "retire"
status = "Enabled"
expiration = { days = 5 }
noncurrent_version_transition = [{ noncurrent_days = 30, storage_class = "DEEP_ARCHIVE" }]
noncurrent_version_expiration = { noncurrent_days = 100 }
)");
    const auto& b = r.bucket("vault");
    CHECK(b.objects_transitioned() == Approx(204800));
    CHECK(b.objects_expired() == Approx(204800));
    CHECK(b.delete_markers() == 0);
    // DEEP_ARCHIVE May 15 - Jul 24: 17 of May's 31 days, June, 23 of July's 31.
    const double archived = 17.0 / 31 + 1 + 23.0 / 31;
    // 204,800 x 8 KB = 1.5625 GB of names at STANDARD's rate, 32 KB = 6.25 GB of index.
    const double markers = 204800 * 200 / 1073741824.0;  // Apr 15 - Jul 25
    const double standard = 200 * 21.0 / 30 + 200 * 14.0 / 31 + 1.5625 * archived +
                            markers * (16.0 / 30 + 1 + 1 + 24.0 / 31);
    CHECK(line_of(r, "vault", "TimedStorage-ByteHrs").usage_quantity == usd(standard));
    CHECK(line_of(r, "vault", "TimedStorage-GDA-ByteHrs").usage_quantity == usd(206.25 * archived));
    CHECK(line_of(r, "vault", "EarlyDelete-GDA").usage_quantity == usd(200 * 110.0 / 31));
    CHECK(line_of(r, "vault", "Requests-GDA-Transition").cost == usd(204.8 * 0.05));
    CHECK(r.ledger().total(LineItem::S3) == Approx(16.792866).margin(5e-7));
}

TEST_CASE("s3: held out, 64 KB PUTs into STANDARD_IA expired at 10 days pay 128 KB for 30",
          "[s3][lifecycle]") {
    // Session 15, by hand (us-east-1, January): 10,000 objects of 64 KB a day written into
    // STANDARD_IA (G = 0.6103515625 GB a day), expired at 10 days: day d's objects leave at
    // midnight d + 11. Storage: 21 days' cohorts for 10.5 days, the last ten for 9.5 down to
    // 0.5: 270.5 G GB-days, and as much again for the 128 KB minimum. Early deletion: each
    // cohort that leaves in January (days 0 to 19; day 20's leave at the run's end, midnight
    // Feb 1, on February's bill) stayed 10 to 11 days, 19.5 short of 30 on average, at 128 KB.
    const Run r = run_text(scenario_text("31d", R"([[s3_bucket]]
name = "ia-small"
storage_class = "STANDARD_IA"
objects_per_day = 10000
object_size_kb = 64
[[s3_bucket_lifecycle_configuration]]
bucket = "ia-small"
[[s3_bucket_lifecycle_configuration.rule]]
id = "short"
status = "Enabled"
expiration = { days = 10 }
)"));
    const double g = 10000 * 64 / 1048576.0;
    CHECK(line_of(r, "ia-small", "TimedStorage-SIA-ByteHrs").usage_quantity == usd(270.5 * g / 31));
    CHECK(line_of(r, "ia-small", "TimedStorage-SIA-SmObjects").usage_quantity ==
          usd(270.5 * g / 31));
    CHECK(line_of(r, "ia-small", "EarlyDelete-SIA").usage_quantity == usd(20 * 2 * g * 19.5 / 31));
    CHECK(line_of(r, "ia-small", "Requests-SIA-Tier1").cost == Approx(3.10).epsilon(1e-9));
}

}  // namespace test_s3
