// stratus compare-bill: a run's bill.csv beside a Cost and Usage Report extract. The CUR below
// is written by hand in the legacy CUR's columns (and once in CUR 2.0's); every sum is worked
// out in the comments.
#include <catch2/catch.hpp>

#include <string>

#include "sim/report/compare_bill.hpp"

namespace test_compare_bill {

using namespace stratus::report;

namespace {

const std::string kBill =
    "resource_id,line_item,line_item_type,usage_type,usage_quantity,unit,rate_usd,cost_usd,tags\n"
    "i-1,ec2_on_demand,Usage,BoxUsage:m5.large,2,Hrs,0.096,0.192,\n"
    "i-2,ec2_on_demand,SavingsPlanCoveredUsage,BoxUsage:m5.large,2,Hrs,0.096,0.192,\n"
    "i-2,ec2_on_demand,SavingsPlanNegation,BoxUsage:m5.large,2,Hrs,-0.096,-0.192,\n"
    "sp,ec2_on_demand,SavingsPlanRecurringFee,ComputeSP:Hourly,2,Hrs,0.07,0.14,\n"
    "vol-1,ebs,Usage,EBS:VolumeUsage.gp3,0.0219,GB-Mo,0.08,0.00175,\n"
    "loadbalancer/app/alb,load_balancer,Usage,LoadBalancerUsage,2,Hrs,0.0225,0.045,\n"
    "internet,data_transfer,Usage,DataTransfer-Out-Bytes,10,GB,0.09,0.9,\n";

// Four hours of a real account in us-west-2 (usage types with the USW2- prefix): the m5.large
// ran 8 instance-hours at 0.096 (0.768), the plan's fee 4 x 0.07 (0.28), the ALB 4 hours
// (0.09), 30 GB out (2.7, filed under AmazonEC2 as older CURs do), plus a tax line and a
// credit, which stratus does not model.
const std::string kCur =
    "identity/LineItemId,lineItem/UsageStartDate,lineItem/UsageEndDate,lineItem/ProductCode,"
    "lineItem/UsageType,lineItem/LineItemType,lineItem/UsageAmount,lineItem/UnblendedCost\n"
    "a,2026-01-05T00:00:00Z,2026-01-05T04:00:00Z,AmazonEC2,USW2-BoxUsage:m5.large,Usage,8,0.768\n"
    "b,2026-01-05T00:00:00Z,2026-01-05T04:00:00Z,ComputeSavingsPlans,"
    "ComputeSP:1yrNoUpfront,SavingsPlanRecurringFee,4,0.28\n"
    "c,2026-01-05T00:00:00Z,2026-01-05T04:00:00Z,AWSELB,USW2-LoadBalancerUsage,Usage,4,0.09\n"
    "d,2026-01-05T00:00:00Z,2026-01-05T04:00:00Z,AmazonEC2,USW2-DataTransfer-Out-Bytes,Usage,"
    "30,2.7\n"
    "e,2026-01-05T00:00:00Z,2026-01-05T04:00:00Z,AmazonEC2,,Tax,,0.35\n"
    "f,2026-01-05T00:00:00Z,2026-01-05T04:00:00Z,AmazonEC2,,Credit,,-1\n";

const ComparedRow& row(const BillComparison& c, const std::string& service,
                       const std::string& usage) {
    for (const auto& r : c.rows)
        if (r.service == service && r.usage_type == usage) return r;
    FAIL("no row " << service << " " << usage);
    throw;
}

}  // namespace

TEST_CASE("compare-bill: region prefixes and services", "[compare_bill]") {
    CHECK(without_region_prefix("USW2-BoxUsage:m5.large") == "BoxUsage:m5.large");
    CHECK(without_region_prefix("APN2-EBS:VolumeUsage.gp3") == "EBS:VolumeUsage.gp3");
    CHECK(without_region_prefix("EU-DataTransfer-Out-Bytes") == "DataTransfer-Out-Bytes");
    CHECK(without_region_prefix("BoxUsage:m5.large") == "BoxUsage:m5.large");
    CHECK(without_region_prefix("DataTransfer-Out-Bytes") == "DataTransfer-Out-Bytes");
    CHECK(without_region_prefix("NatGateway-Hours") == "NatGateway-Hours");
    CHECK(service_of("ec2_on_demand", "BoxUsage:m5.large") == "AmazonEC2");
    CHECK(service_of("data_transfer", "DataTransfer-Out-Bytes") == "AWSDataTransfer");
    CHECK(service_of("AmazonEC2", "DataTransfer-Out-Bytes") == "AWSDataTransfer");
    CHECK(service_of("nat_gateway", "NatGateway-Bytes") == "AmazonEC2");
    CHECK(service_of("load_balancer", "LoadBalancerUsage") == "AWSELB");
    CHECK(service_of("public_ipv4", "PublicIPv4:InUseAddress") == "AmazonVPC");
}

TEST_CASE("compare-bill: by service and usage type, the largest difference first",
          "[compare_bill]") {
    const BillComparison c = compare_bill(kBill, 2.0, kCur, "cur.csv", false);
    CHECK(c.run_hours == 2.0);
    CHECK(c.cur_hours == Approx(4.0));
    CHECK(c.scale == 1);
    // The run: 0.192 + 0.192 - 0.192 + 0.14 + 0.00175 + 0.045 + 0.9 = 1.27875.
    CHECK(c.run_usd == Approx(1.27875));
    // The CUR compared: 0.768 + 0.28 + 0.09 + 2.7 = 3.838 (tax and credit left out).
    CHECK(c.cur_usd == Approx(3.838));
    const ComparedRow& box = row(c, "AmazonEC2", "BoxUsage:m5.large");
    CHECK(box.run_usd == Approx(0.192));  // covered + negation cancel
    CHECK(box.run_quantity == Approx(6));
    CHECK(box.cur_usd == Approx(0.768));
    CHECK(box.cur_quantity == Approx(8));
    const ComparedRow& out = row(c, "AWSDataTransfer", "DataTransfer-Out-Bytes");
    CHECK(out.run_usd == Approx(0.9));
    CHECK(out.cur_usd == Approx(2.7));
    // Rows on one side only are kept: the run's EBS.
    CHECK(row(c, "AmazonEC2", "EBS:VolumeUsage.gp3").cur_usd == 0);
    // A plan's fees compare as one row, whatever usage type the CUR gives them.
    CHECK(row(c, "SavingsPlans", "SavingsPlanRecurringFee").run_usd == Approx(0.14));
    CHECK(row(c, "SavingsPlans", "SavingsPlanRecurringFee").cur_usd == Approx(0.28));
    // Largest |difference| first: data transfer (-1.8), then the m5.large (-0.576).
    REQUIRE(c.rows.size() >= 2);
    CHECK(c.rows[0].usage_type == "DataTransfer-Out-Bytes");
    CHECK(c.rows[1].usage_type == "BoxUsage:m5.large");
    for (std::size_t i = 1; i < c.rows.size(); ++i)
        CHECK(std::abs(c.rows[i - 1].difference()) >= std::abs(c.rows[i].difference()));
    // Tax and Credit are listed, not compared.
    REQUIRE(c.left_out.size() == 2);
    CHECK(c.left_out[0].line_item_type == "Credit");
    CHECK(c.left_out[0].usd == Approx(-1));
    CHECK(c.left_out[1].line_item_type == "Tax");
    CHECK(c.left_out[1].usd == Approx(0.35));
    const std::string text = format_comparison(c, 3);
    CHECK_THAT(text, Catch::Contains("DataTransfer-Out-Bytes"));
    CHECK_THAT(text, Catch::Contains("more rows"));
    CHECK_THAT(text, Catch::Contains("of type Tax"));
}

TEST_CASE("compare-bill: --scale multiplies the run by the CUR's period", "[compare_bill]") {
    // The CUR spans 4 h, the run 2 h: x2. The m5.large: 0.384 beside 0.768.
    const BillComparison c = compare_bill(kBill, 2.0, kCur, "cur.csv", true);
    CHECK(c.scale == Approx(2));
    CHECK(row(c, "AmazonEC2", "BoxUsage:m5.large").run_usd == Approx(0.384));
    CHECK(c.run_usd == Approx(2 * 1.27875));
}

TEST_CASE("compare-bill: CUR 2.0 column names, and bad input named by file and line",
          "[compare_bill]") {
    const std::string cur2 =
        "line_item_product_code,line_item_usage_type,line_item_line_item_type,"
        "line_item_unblended_cost\n"
        "AmazonEC2,BoxUsage:m5.large,Usage,0.5\n";
    const BillComparison c = compare_bill(kBill, 2.0, cur2, "cur2.csv", false);
    CHECK(row(c, "AmazonEC2", "BoxUsage:m5.large").cur_usd == Approx(0.5));
    CHECK(c.cur_hours == 0);
    CHECK_THROWS_WITH(compare_bill(kBill, 2.0, cur2, "cur2.csv", true),
                      Catch::Contains("--scale needs the CUR's usage dates"));
    CHECK_THROWS_WITH(compare_bill(kBill, 2.0, "a,b\n1,2\n", "x.csv", false),
                      Catch::Contains("x.csv:1: not a Cost and Usage Report extract"));
    CHECK_THROWS_WITH(
        compare_bill(kBill, 2.0, cur2 + "AmazonEC2,BoxUsage:m5.large,Usage,abc\n", "y.csv", false),
        Catch::Contains("y.csv:3: expected a number"));
}

TEST_CASE("compare-bill: the run's shares of upfront payments are listed, not compared",
          "[compare_bill]") {
    // The bill above plus a Partial Upfront RI's two hours: RIFee 2 x 0.025 = 0.05 (compared,
    // under AmazonEC2 HeavyUsage:m5.large) and its upfront share 2 x 0.03 = 0.06 (a Fee line:
    // the CUR bills the upfront payment once, at purchase, so it is listed, not compared). The
    // compared run total is the first test's 1.27875 plus the RIFee only: 1.32875.
    const std::string bill = kBill +
                             "ri,ec2_on_demand,RIFee,HeavyUsage:m5.large,2,Hrs,0.025,0.05,\n"
                             "ri,ec2_on_demand,Fee,HeavyUsage:m5.large,2,Hrs,0.03,0.06,\n";
    const BillComparison c = compare_bill(bill, 2, kCur, "cur.csv", false);
    CHECK(row(c, "AmazonEC2", "HeavyUsage:m5.large").run_usd == Approx(0.05));
    CHECK(c.run_usd == Approx(1.32875));
    bool listed = false;
    for (const LeftOut& l : c.left_out)
        if (l.in_run) {
            CHECK(l.line_item_type == "Fee");
            CHECK(l.usd == Approx(0.06));
            CHECK(l.lines == 1);
            listed = true;
        }
    CHECK(listed);
    CHECK_THAT(format_comparison(c, 10),
               Catch::Contains("not compared: 1 line of type Fee (0.0600 USD) in the run"));
}

}  // namespace test_compare_bill
