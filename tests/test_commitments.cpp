// Reserved Instances and Savings Plans applied to one clock hour's On-Demand usage, in the order
// AWS documents: Reserved Instances first (size-flexible within a family by normalization
// factors, the smallest size first), then EC2 Instance Savings Plans, then Compute Savings
// Plans; within a plan, the usage with the highest savings percentage first, equal percentages
// the lower Savings Plans rate first. Every figure below is worked out by hand.
#include <catch2/catch.hpp>

#include "sim/cloud/commitments.hpp"

namespace test_commitments {

using namespace stratus::cloud;
using stratus::SimTime;

namespace {

// Hours of usage item `usage` covered, by commitment kind.
double covered(const std::vector<Coverage>& c, std::size_t usage, Coverage::Kind kind) {
    double hours = 0;
    for (const auto& x : c)
        if (x.usage == usage && x.kind == kind) hours += x.hours;
    return hours;
}

SavingsPlan plan(SavingsPlanType type, double commitment, double discount,
                 std::string family = "") {
    SavingsPlan p;
    p.id = "sp";
    p.type = type;
    p.commitment_per_hour = commitment;
    p.discount = discount;
    p.instance_family = std::move(family);
    return p;
}

}  // namespace

TEST_CASE("commitments: normalization factors are the EC2 table's", "[commitments]") {
    using stratus::scenario::normalization_factor;
    CHECK(normalization_factor("nano") == 0.25);
    CHECK(normalization_factor("micro") == 0.5);
    CHECK(normalization_factor("small") == 1);
    CHECK(normalization_factor("medium") == 2);
    CHECK(normalization_factor("large") == 4);
    CHECK(normalization_factor("xlarge") == 8);
    CHECK(normalization_factor("2xlarge") == 16);
    CHECK(normalization_factor("12xlarge") == 96);
    CHECK(normalization_factor("metal") == 0);
}

TEST_CASE("commitments: a regional RI is size-flexible, the smallest size first", "[commitments]") {
    // One m5.xlarge RI = 8 normalized units an hour. The hour ran an m5.2xlarge (16 units) and
    // an m5.large (4 units), listed largest first: the m5.large is covered whole (4 units), the
    // other 4 units cover a quarter hour of the m5.2xlarge. The c5.large is another family.
    const std::vector<HourlyUsage> usage = {
        {0, "m5.2xlarge", 1.0, 0.384}, {1, "m5.large", 1.0, 0.096}, {2, "c5.large", 1.0, 0.085}};
    const std::vector<ReservedInstance> ri = {{"ri-1", "m5.xlarge", 1, 0.121}};
    const auto c = apply_commitments(usage, ri, {});
    REQUIRE(!c.empty());
    CHECK(covered(c, 1, Coverage::ReservedInstance) == Approx(1.0));
    CHECK(covered(c, 0, Coverage::ReservedInstance) == Approx(0.25));
    CHECK(covered(c, 2, Coverage::ReservedInstance) == 0);
    for (const auto& x : c)
        CHECK(x.rate == 0);  // the RI's fee pays for the covered hours
}

TEST_CASE("commitments: an RI covers no more than it has, a partial hour of usage less",
          "[commitments]") {
    // Two m5.large RIs (8 units) against 30 minutes of each of three m5.large: 1.5 hours x 4 =
    // 6 units are used; 2 units go unused (the fee is paid all the same).
    const std::vector<HourlyUsage> usage = {
        {0, "m5.large", 0.5, 0.096}, {1, "m5.large", 0.5, 0.096}, {2, "m5.large", 0.5, 0.096}};
    const auto c = apply_commitments(usage, {{"ri", "m5.large", 2, 0.06}}, {});
    double total = 0;
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(covered(c, i, Coverage::ReservedInstance) == Approx(0.5));
        total += covered(c, i, Coverage::ReservedInstance);
    }
    CHECK(total == Approx(1.5));
}

TEST_CASE("commitments: Reserved Instances, then EC2 Instance, then Compute Savings Plans",
          "[commitments]") {
    // Usage: two m5.large (0.096) and one c5.large (0.085) for the whole hour.
    // 1. The m5.large RI covers the first m5.large.
    // 2. The EC2 Instance plan (m5, 30 % off, 0.10 USD/h) covers the second m5.large at
    //    0.0672; its 0.0328 left cannot cover a c5 (another family) and is unused.
    // 3. The Compute plan (20 % off, 0.05 USD/h) covers the c5.large at 0.068:
    //    0.05 / 0.068 = 0.735294 hours; 0.264706 hours stay On-Demand.
    const std::vector<HourlyUsage> usage = {
        {0, "m5.large", 1.0, 0.096}, {1, "m5.large", 1.0, 0.096}, {2, "c5.large", 1.0, 0.085}};
    // The Compute plan is listed first: the EC2 Instance plan still goes before it.
    const std::vector<SavingsPlan> plans = {plan(SavingsPlanType::Compute, 0.05, 0.20),
                                            plan(SavingsPlanType::Ec2Instance, 0.10, 0.30, "m5")};
    const auto c = apply_commitments(usage, {{"ri", "m5.large", 1, 0.06}}, plans);
    CHECK(covered(c, 0, Coverage::ReservedInstance) == Approx(1.0));
    CHECK(covered(c, 0, Coverage::SavingsPlan) == 0);
    CHECK(covered(c, 1, Coverage::SavingsPlan) == Approx(1.0));
    CHECK(covered(c, 2, Coverage::SavingsPlan) == Approx(0.05 / 0.068));
    for (const auto& x : c) {
        if (x.kind != Coverage::SavingsPlan) continue;
        if (x.usage == 1) {
            CHECK(x.commitment == 1);  // the EC2 Instance plan
            CHECK(x.rate == Approx(0.0672));
        } else {
            CHECK(x.commitment == 0);  // the Compute plan
            CHECK(x.rate == Approx(0.068));
        }
    }
}

TEST_CASE("commitments: a plan covers the highest savings percentage first", "[commitments]") {
    // A Compute plan of 0.08 USD/h with its own rates: m5.large at 0.06 (37.5 % off 0.096),
    // c5.large at 0.0595 (30 % off 0.085). Listed c5 first, the m5.large is covered first
    // (0.06), then 0.02 / 0.0595 = 0.336134 hours of the c5.large.
    SavingsPlan p = plan(SavingsPlanType::Compute, 0.08, 0);
    p.rates = {{"m5.large", 0.06}, {"c5.large", 0.0595}};
    const std::vector<HourlyUsage> usage = {{0, "c5.large", 1.0, 0.085},
                                            {1, "m5.large", 1.0, 0.096}};
    const auto c = apply_commitments(usage, {}, {p});
    CHECK(covered(c, 1, Coverage::SavingsPlan) == Approx(1.0));
    CHECK(covered(c, 0, Coverage::SavingsPlan) == Approx(0.02 / 0.0595));
}

TEST_CASE("commitments: equal savings percentages, the lower Savings Plans rate first",
          "[commitments]") {
    // 25 % off both: c5.large at 0.06375, m5.large at 0.072. 0.07 USD/h covers the c5.large
    // whole, then 0.00625 / 0.072 = 0.086806 hours of the m5.large.
    const std::vector<HourlyUsage> usage = {{0, "m5.large", 1.0, 0.096},
                                            {1, "c5.large", 1.0, 0.085}};
    const auto c = apply_commitments(usage, {}, {plan(SavingsPlanType::Compute, 0.07, 0.25)});
    CHECK(covered(c, 1, Coverage::SavingsPlan) == Approx(1.0));
    CHECK(covered(c, 0, Coverage::SavingsPlan) == Approx(0.00625 / 0.072));
}

namespace {

// An EC2 On-Demand line that keeps its runs, running from `from` to `to`.
BillingLedger::ChargeId on_demand(BillingLedger& ledger, const std::string& id,
                                  const std::string& type, double hourly, SimTime from,
                                  SimTime to) {
    ChargeSpec spec = ec2_instance_charge(id, type, hourly, false);
    spec.keep_runs = true;
    const auto line = ledger.add(spec);
    ledger.start(line, from);
    ledger.stop(line, to);
    return line;
}

double cost_of(const BillingLedger& ledger, LineItemType type) {
    double sum = 0;
    for (const auto& line : ledger.lines())
        if (line.spec.type == type) sum += line.cost;
    return sum;
}

}  // namespace

TEST_CASE("commitments on a bill: CUR lines, and the total is what is not covered plus the fees",
          "[commitments][billing]") {
    using stratus::kHour;
    // Two m5.large (0.096/h) for two clock hours. Each hour the m5.large RI (fee 0.06/h) covers
    // the first; the Compute plan (0.05/h, 20 % off: 0.0768/h) covers 0.05 / 0.0768 = 0.651042
    // hours of the second. Over two hours the second has 2 - 1.302083 = 0.697917 hours left at
    // On-Demand: 0.067 USD. Fees: RI 2 x 0.06 = 0.12, plan 2 x 0.05 = 0.10. Total 0.287
    // (0.384 without commitments).
    BillingLedger ledger;
    const auto a = on_demand(ledger, "i-a", "m5.large", 0.096, 0, 2 * kHour);
    const auto b = on_demand(ledger, "i-b", "m5.large", 0.096, 0, 2 * kHour);
    REQUIRE(ledger.total() == Approx(0.384));
    bill_commitments(ledger, {{"ri-1", "m5.large", 1, 0.06}},
                     {plan(SavingsPlanType::Compute, 0.05, 0.20)}, 2 * kHour, 0);
    CHECK(ledger.line(a).usage_quantity == Approx(0).margin(1e-12));
    CHECK(ledger.line(b).usage_quantity == Approx(2 - 2 * 0.05 / 0.0768));
    CHECK(ledger.line(b).cost == Approx(0.067));
    CHECK(cost_of(ledger, LineItemType::DiscountedUsage) == 0);
    CHECK(cost_of(ledger, LineItemType::RIFee) == Approx(0.12));
    CHECK(cost_of(ledger, LineItemType::SavingsPlanRecurringFee) == Approx(0.10));
    CHECK(cost_of(ledger, LineItemType::SavingsPlanCoveredUsage) ==
          Approx(2 * 0.05 / 0.0768 * 0.096));
    CHECK(cost_of(ledger, LineItemType::SavingsPlanNegation) == Approx(-2 * 0.05 / 0.0768 * 0.096));
    CHECK(ledger.total() == Approx(0.287));
    // The running sum the cost gauge reads follows the moved usage and the fees too.
    CHECK(ledger.accrued_total() == Approx(0.287));
    const std::string csv = ledger.bill_csv();
    CHECK(csv.rfind("resource_id,line_item,line_item_type,usage_type,", 0) == 0);
    CHECK(csv.find("i-a,ec2_on_demand,DiscountedUsage,BoxUsage:m5.large,2,Hrs,0,0,") !=
          std::string::npos);
    CHECK(csv.find("ri-1,ec2_on_demand,RIFee,HeavyUsage:m5.large,2,Hrs,0.06,0.12,") !=
          std::string::npos);
}

TEST_CASE("commitments apply per clock hour: a run that starts at half past", "[commitments]") {
    using stratus::kHour;
    using stratus::kMinute;
    // A one-hour run; one m5.large runs its first 30 minutes; a Compute plan of 0.0384/h (half
    // an hour at 0.0768). Started on the hour, the run is one clock hour: the commitment covers
    // the 0.5 instance-hours whole, nothing is left On-Demand. Started at :30, the run holds
    // two half clock hours and the plan holds 0.0192 in each: in the first, 0.0192 / 0.0768 =
    // 0.25 hours are covered and 0.25 x 0.096 = 0.024 stay On-Demand; the second hour's
    // commitment finds no usage. The fee is the same, 0.0384, either way.
    for (const SimTime past : {SimTime(0), 30 * kMinute}) {
        BillingLedger ledger;
        const auto a = on_demand(ledger, "i-a", "m5.large", 0.096, 0, 30 * kMinute);
        bill_commitments(ledger, {}, {plan(SavingsPlanType::Compute, 0.0384, 0.20)}, kHour, past);
        INFO("seconds past the hour " << stratus::to_seconds(past));
        CHECK(ledger.line(a).cost == Approx(past == 0 ? 0 : 0.024).margin(1e-12));
        CHECK(cost_of(ledger, LineItemType::SavingsPlanRecurringFee) == Approx(0.0384));
    }
}

TEST_CASE("commitments: a run shorter than an hour has them for its length", "[commitments]") {
    using stratus::kMinute;
    // A 30-minute run with one c5.large (0.085/h) all along and one m5.large RI (4 units an
    // hour): for half an hour the RI holds 2 units, which cover 0.5 hours of a large (factor
    // 4): the whole usage; the RIFee is 0.5 x 0.06 = 0.03. A Compute plan of 0.10/h (20 % off)
    // holds 0.05 in the half hour; the RI is of another family, so the plan covers the c5:
    // 0.05 / 0.068 = 0.735 hours would be available, the usage is 0.5: all covered.
    BillingLedger ledger;
    const auto m5 = on_demand(ledger, "i-m", "m5.large", 0.096, 0, 30 * kMinute);
    const auto c5 = on_demand(ledger, "i-c", "c5.large", 0.085, 0, 30 * kMinute);
    bill_commitments(ledger, {{"ri-1", "m5.large", 1, 0.06}},
                     {plan(SavingsPlanType::Compute, 0.10, 0.20)}, 30 * kMinute, 0);
    CHECK(ledger.line(m5).cost == Approx(0).margin(1e-12));
    CHECK(ledger.line(c5).cost == Approx(0).margin(1e-12));
    CHECK(cost_of(ledger, LineItemType::RIFee) == Approx(0.03));
    CHECK(cost_of(ledger, LineItemType::SavingsPlanRecurringFee) == Approx(0.05));
    CHECK(ledger.total() == Approx(0.08));
}

TEST_CASE("commitments: upfront payments, the run's share of the term", "[commitments][billing]") {
    using stratus::kHour;
    // The two-hour bill above with other payment options; coverage is the same (it follows
    // the commitment, not how it is paid), the fees are split:
    // - a Partial Upfront m5.large RI: 438 upfront over a 1-year term (8,760 h) = 0.05 an
    //   hour, plus a recurring 0.025: RIFee 2 x 0.025 = 0.05, Fee 2 x 0.05 = 0.10 (a price
    //   whose hourly share is exact, so that bill.csv's rate reads 0.05 as a person writes it);
    // - an All Upfront Compute plan of 0.05/h: 438 upfront (0.05 x 8,760): no recurring fee
    //   (a SavingsPlanRecurringFee line of 0), SavingsPlanUpfrontFee 2 x 0.05 = 0.10.
    // Total 0.067 On-Demand + 0.05 + 0.10 + 0 + 0.10 = 0.317.
    BillingLedger ledger;
    on_demand(ledger, "i-a", "m5.large", 0.096, 0, 2 * kHour);
    const auto b = on_demand(ledger, "i-b", "m5.large", 0.096, 0, 2 * kHour);
    SavingsPlan sp = plan(SavingsPlanType::Compute, 0.05, 0.20);
    sp.upfront_hourly = 438.0 / 8760;
    bill_commitments(ledger, {{"ri-1", "m5.large", 1, 0.025, 438.0 / 8760}}, {sp}, 2 * kHour, 0);
    CHECK(ledger.line(b).cost == Approx(0.067));
    CHECK(cost_of(ledger, LineItemType::RIFee) == Approx(0.05));
    CHECK(cost_of(ledger, LineItemType::Fee) == Approx(0.10));
    CHECK(cost_of(ledger, LineItemType::SavingsPlanRecurringFee) == Approx(0).margin(1e-12));
    CHECK(cost_of(ledger, LineItemType::SavingsPlanUpfrontFee) == Approx(0.10));
    CHECK(ledger.total() == Approx(0.317));
    CHECK(ledger.accrued_total() == Approx(0.317));
    const std::string csv = ledger.bill_csv();
    CHECK(csv.find("ri-1,ec2_on_demand,Fee,HeavyUsage:m5.large,2,Hrs,0.05,0.1,") !=
          std::string::npos);
    CHECK(csv.find("sp,ec2_on_demand,SavingsPlanUpfrontFee,ComputeSP:Hourly,2,Hrs,0.05,0.1,") !=
          std::string::npos);
}

namespace {

// A zonal Reserved Instance (an EC2 RI with an AZ).
ReservedInstance zonal_ri(const std::string& id, const std::string& type, const std::string& az) {
    ReservedInstance ri{id, type, 1, 0.121};
    ri.availability_zone = az;
    return ri;
}

HourlyUsage in_zone(std::size_t line, const std::string& type, double rate, const std::string& az) {
    HourlyUsage u{line, type, 1.0, rate};
    u.availability_zone = az;
    return u;
}

// An hour of an RDS DB instance.
HourlyUsage db_hour(std::size_t line, const std::string& db_class, bool multi_az,
                    const std::string& engine, double rate) {
    HourlyUsage u{line, db_class, 1.0, rate};
    u.service = CommitmentService::RDS;
    u.multi_az = multi_az;
    u.product = engine;
    return u;
}

ReservedInstance db_ri(const std::string& id, const std::string& db_class, bool multi_az,
                       const std::string& engine, int count = 1) {
    ReservedInstance ri{id, db_class, count, 0.1};
    ri.service = CommitmentService::RDS;
    ri.multi_az = multi_az;
    ri.product = engine;
    return ri;
}

}  // namespace

TEST_CASE("commitments: a zonal RI covers its exact type in its AZ only", "[commitments]") {
    // An m5.xlarge runs an hour in us-east-1b. A zonal m5.xlarge RI of us-east-1a covers
    // nothing of it; a regional m5.xlarge RI (8 units) covers the hour. In us-east-1a, the
    // zonal RI covers an m5.xlarge whole, but not an m5.large: a zonal RI is not size-flexible
    // (the EC2 User Guide, "How zonal Reserved Instances are applied").
    const std::vector<HourlyUsage> in_b = {in_zone(0, "m5.xlarge", 0.192, "us-east-1b")};
    REQUIRE(in_b[0].availability_zone == "us-east-1b");
    CHECK(apply_commitments(in_b, {zonal_ri("z", "m5.xlarge", "us-east-1a")}, {}).empty());
    CHECK(covered(apply_commitments(in_b, {{"r", "m5.xlarge", 1, 0.121}}, {}), 0,
                  Coverage::ReservedInstance) == Approx(1.0));
    const std::vector<HourlyUsage> in_a = {in_zone(0, "m5.large", 0.096, "us-east-1a"),
                                           in_zone(1, "m5.xlarge", 0.192, "us-east-1a")};
    const auto c = apply_commitments(in_a, {zonal_ri("z", "m5.xlarge", "us-east-1a")}, {});
    CHECK(covered(c, 0, Coverage::ReservedInstance) == 0);
    CHECK(covered(c, 1, Coverage::ReservedInstance) == Approx(1.0));
}

TEST_CASE("commitments: zonal RIs apply before regional ones", "[commitments]") {
    // An m5.large in us-east-1a and one in us-east-1b, an hour each; a regional m5.large RI
    // listed first and a zonal m5.large RI of us-east-1a. Were the regional RI applied first
    // it would take the first usage (1a), and the zonal one would find nothing left in its
    // AZ: 1b would stay On-Demand. Zonal first: the zonal RI covers 1a, the regional one 1b.
    const std::vector<HourlyUsage> usage = {in_zone(0, "m5.large", 0.096, "us-east-1a"),
                                            in_zone(1, "m5.large", 0.096, "us-east-1b")};
    const std::vector<ReservedInstance> ri = {{"regional", "m5.large", 1, 0.06},
                                              zonal_ri("zonal", "m5.large", "us-east-1a")};
    const auto c = apply_commitments(usage, ri, {});
    REQUIRE(c.size() == 2);
    CHECK(covered(c, 0, Coverage::ReservedInstance) == Approx(1.0));
    CHECK(covered(c, 1, Coverage::ReservedInstance) == Approx(1.0));
    CHECK(c[0].commitment == 1);  // the zonal RI, on us-east-1a's usage
    CHECK(c[0].usage == 0);
}

TEST_CASE("commitments: RDS reserved DB instances, size-flexible by normalized units",
          "[commitments]") {
    // db.m5.large counts 4 units, db.m5.xlarge 8; Multi-AZ twice. A Single-AZ db.m5.large
    // MySQL RI (4 units) covers half an hour of a Multi-AZ db.m5.large (8 units an hour); a
    // db.m5.xlarge one (8 units) covers it whole; a Multi-AZ db.m5.large RI (8 units) covers
    // a Single-AZ db.m5.xlarge whole. A MySQL RI does not cover PostgreSQL, nor another
    // family (db.r5), nor EC2; an EC2 RI or a Compute Savings Plan does not cover RDS.
    using stratus::scenario::db_class_units;
    REQUIRE(db_class_units("db.m5.large", false) == 4);
    REQUIRE(db_class_units("db.m5.large", true) == 8);
    REQUIRE(db_class_units("db.t3.micro", false) == 0.5);
    const std::vector<HourlyUsage> multi = {db_hour(0, "db.m5.large", true, "mysql", 0.342)};
    CHECK(covered(apply_commitments(multi, {db_ri("r", "db.m5.large", false, "mysql")}, {}), 0,
                  Coverage::ReservedInstance) == Approx(0.5));
    CHECK(covered(apply_commitments(multi, {db_ri("r", "db.m5.xlarge", false, "mysql")}, {}), 0,
                  Coverage::ReservedInstance) == Approx(1.0));
    const std::vector<HourlyUsage> single = {db_hour(0, "db.m5.xlarge", false, "mysql", 0.342)};
    CHECK(covered(apply_commitments(single, {db_ri("r", "db.m5.large", true, "mysql")}, {}), 0,
                  Coverage::ReservedInstance) == Approx(1.0));
    CHECK(apply_commitments(multi, {db_ri("r", "db.m5.large", false, "postgresql")}, {}).empty());
    CHECK(apply_commitments(multi, {db_ri("r", "db.r5.large", false, "mysql")}, {}).empty());
    CHECK(apply_commitments(multi, {{"ec2", "m5.xlarge", 4, 0.1}}, {}).empty());
    CHECK(apply_commitments(multi, {}, {plan(SavingsPlanType::Compute, 10, 0.2)}).empty());
    const std::vector<HourlyUsage> ec2 = {{0, "m5.large", 1.0, 0.096}};
    CHECK(apply_commitments(ec2, {db_ri("r", "db.m5.large", false, "mysql")}, {}).empty());
}

TEST_CASE("commitments on a bill: an RDS reserved DB instance's CUR lines",
          "[commitments][billing]") {
    using stratus::kHour;
    // A Multi-AZ db.m5.large MySQL (0.171 x 2 = 0.342 USD/h) for two clock hours and two
    // Single-AZ db.m5.large RIs (4 units each, 8 an hour: the Multi-AZ instance whole) at
    // 0.1 USD an hour each: DiscountedUsage 2 hours at no cost, RIFee 2 RIs x 2 h x 0.1 = 0.4,
    // on the rds line item. The DB instance's On-Demand 0.684 leaves the bill.
    BillingLedger ledger;
    ChargeSpec spec = rds_instance_charge("db:orders", "db.m5.large", 0.171, true);
    spec.keep_runs = true;
    spec.product = "mysql";
    const auto db = ledger.add(spec);
    ledger.start(db, 0);
    ledger.stop(db, 2 * kHour);
    REQUIRE(ledger.total() == Approx(0.684));
    bill_commitments(ledger, {db_ri("ri-db", "db.m5.large", false, "mysql", 2)}, {}, 2 * kHour, 0);
    CHECK(ledger.line(db).cost == Approx(0).margin(1e-12));
    CHECK(ledger.total() == Approx(0.4));
    CHECK(ledger.total(LineItem::Rds) == Approx(0.4));
    CHECK(ledger.total(LineItem::Ec2OnDemand) == 0);
    const std::string csv = ledger.bill_csv();
    CHECK(csv.find("db:orders,rds,DiscountedUsage,Multi-AZUsage:db.m5.large,2,Hrs,0,0,") !=
          std::string::npos);
    CHECK(csv.find("ri-db,rds,RIFee,HeavyUsage:db.m5.large,4,Hrs,0.1,0.4,") != std::string::npos);
}

}  // namespace test_commitments
