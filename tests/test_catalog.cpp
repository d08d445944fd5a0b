// The built-in catalog read from data/catalog/*.csv: the files are consistent, spot prices agree
// with the AWS Price List rows they were read from, the consistency check catches each kind of
// mistake, and scenarios get the regions' zones and clear errors for unknown types and regions.
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>
#include <string>

#include "cli_support.hpp"
#include "sim/scenario/catalog.hpp"
#include "sim/scenario/catalog_check.hpp"
#include "sim/scenario/catalog_data.hpp"
#include "sim/scenario/diagnostic.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/price_list.hpp"
#include "support.hpp"

namespace test_catalog {

using namespace stratus::scenario;

namespace {

const std::vector<std::string> kRegions = {
    "us-east-1",      "us-east-2",      "us-west-2",   "eu-west-1",      "eu-central-1",
    "ap-northeast-1", "ap-northeast-2", "ap-south-1",  "ap-southeast-1", "eu-west-2",
    "ap-southeast-2", "us-west-1",      "ca-central-1"};

double price(const std::string& region, const std::string& type) {
    const InstanceCatalog c = InstanceCatalog::builtin(region);
    const InstanceTypeInfo* t = c.find(type);
    REQUIRE(t != nullptr);
    return t->on_demand_hourly;
}

// The problems of a catalog made of these file texts (header lines added).
CatalogCheck check_texts(const std::string& types, const std::string& prices,
                         const std::string& regions, const std::string& services = "") {
    CatalogTexts t;
    t.instance_types =
        "instance_type,vcpu,memory_gib,network_performance,ebs_bandwidth_mbps,"
        "baseline_percent_per_vcpu,cpu_credits_per_hour,max_cpu_credits,processor,source,as_of\n" +
        types;
    t.ec2_prices = "instance_type,region,on_demand_hourly_usd,source,as_of\n" + prices;
    t.regions = "region,location,availability_zones,default_zones,source,as_of\n" + regions;
    t.service_prices = "region,item,value,unit,source,as_of\n" + services;
    return check_catalog(parse_catalog(t));
}

bool has_problem(const CatalogCheck& c, const std::string& text) {
    for (const auto& p : c.problems)
        if (p.message.find(text) != std::string::npos) return true;
    return false;
}

const char* kRegionRow = "xx-test-1,Test,xx-test-1a xx-test-1b,xx-test-1a,test,2026-01\n";
const char* kM5 =
    "m5.large,2,8,Up to 10 Gigabit,4750,0,0,0,Intel,test,2026-01\n"
    "m5.xlarge,4,16,Up to 10 Gigabit,4750,0,0,0,Intel,test,2026-01\n";

std::string load_error(const std::string& toml) {
    try {
        load_text(toml, "t.toml");
    } catch (const ScenarioError& e) {
        std::string all;
        for (const auto& d : e.diagnostics())
            all += d.format() + "\n";
        return all;
    }
    return "";
}

}  // namespace

TEST_CASE("the catalog compiled in is consistent and covers the families and regions",
          "[catalog]") {
    const CatalogData& data = builtin_catalog_data();
    const CatalogCheck check = check_catalog(data);
    INFO(format_catalog_check(data, check));
    CHECK(check.errors() == 0);
    REQUIRE(known_regions() == kRegions);
    // Every family the issue names, from its smallest size, in every region.
    const std::vector<std::string> families = {"m5",  "m6i", "m6g", "m7i", "m7g", "c5",  "c6i",
                                               "c6g", "c7i", "c7g", "r5",  "r6i", "r7i", "t3",
                                               "t3a", "t4g", "t2",  "m4",  "c4",  "r4"};
    std::set<std::string> seen;
    for (const auto& t : data.instance_types)
        seen.insert(std::string(instance_family(t.instance_type)));
    for (const auto& f : families)
        CHECK(seen.count(f) == 1);
    REQUIRE(data.instance_types.size() >= 110);
    for (const auto& region : kRegions) {
        const InstanceCatalog c = InstanceCatalog::builtin(region);
        CHECK(c.names().size() == data.instance_types.size());
        CHECK(c.find("t3.nano") != nullptr);
        CHECK(c.find("m6i.8xlarge") != nullptr);
        CHECK(PriceList::builtin(region).known());
    }
}

TEST_CASE("catalog prices agree with the AWS Price List rows they were read from", "[catalog]") {
    // us-east-1 from the Price List extract of 2026-01-19; the others read from the Price
    // List's regional rows (data/catalog/README.md).
    CHECK(price("us-east-1", "m5.large") == Approx(0.096));
    CHECK(price("us-east-1", "c6i.large") == Approx(0.085));
    CHECK(price("us-east-1", "t4g.micro") == Approx(0.0084));
    CHECK(price("us-east-1", "m7i.large") == Approx(0.1008));
    CHECK(price("eu-west-1", "c6i.2xlarge") == Approx(0.3648));
    CHECK(price("eu-west-1", "m5.large") == Approx(0.107));
    CHECK(price("eu-west-1", "r5.large") == Approx(0.141));
    CHECK(price("eu-central-1", "t3.2xlarge") == Approx(0.384));
    CHECK(price("ap-northeast-1", "m7g.large") == Approx(0.1054));
    CHECK(price("ap-northeast-1", "t2.micro") == Approx(0.0152));
    CHECK(price("ap-northeast-2", "m6i.large") == Approx(0.118));
    CHECK(price("ap-northeast-2", "m7g.large") == Approx(0.1003));
    CHECK(price("us-east-2", "c7g.large") == Approx(0.0723));  // not us-east-1's 0.0725
    CHECK(price("us-west-2", "m6g.4xlarge") == Approx(0.616));
    // Burstable figures from the EC2 User Guide's credit table.
    const InstanceCatalog c = InstanceCatalog::builtin("eu-west-1");
    const InstanceTypeInfo* t2 = c.find("t2.2xlarge");
    REQUIRE(t2 != nullptr);
    CHECK(t2->credits_per_hour == Approx(81.6));
    CHECK(t2->baseline_percent == Approx(17));
    CHECK_FALSE(t2->unlimited);
    CHECK(c.find("t4g.large")->unlimited);
    CHECK_FALSE(c.find("m5.large")->burstable);
}

TEST_CASE("the regions added for held-out Terraform states price as the Price List rows read",
          "[catalog]") {
    // Each figure is a row of the SkyPilot catalog's copy of the AWS Price List
    // (skypilot-org/skypilot-catalog, catalogs/v7/aws/vms.csv, the Price column: On-Demand
    // Linux), read on 2026-12-06; the catalog gives the row source aws-price-list/skypilot-catalog.
    CHECK(price("ap-south-1", "m5.large") == Approx(0.101));
    CHECK(price("ap-south-1", "c6i.2xlarge") == Approx(0.34));
    CHECK(price("ap-south-1", "t4g.micro") == Approx(0.0056));  // Graviton: 2/3 of us-east-1
    CHECK(price("ap-southeast-1", "m6i.4xlarge") == Approx(0.96));
    CHECK(price("ap-southeast-1", "t3.small") == Approx(0.0264));
    CHECK(price("ap-southeast-1", "r5.xlarge") == Approx(0.304));
    CHECK(price("eu-west-2", "m5.2xlarge") == Approx(0.444));
    CHECK(price("eu-west-2", "c7g.2xlarge") == Approx(0.3434));
    CHECK(price("eu-west-2", "t2.micro") == Approx(0.0132));
    CHECK(price("ap-southeast-2", "c5.4xlarge") == Approx(0.888));
    CHECK(price("ap-southeast-2", "r7i.large") == Approx(0.15855));
    CHECK(price("ap-southeast-2", "t3a.large") == Approx(0.095));
    CHECK(price("us-west-1", "m7i.xlarge") == Approx(0.2352));
    CHECK(price("us-west-1", "c4.large") == Approx(0.124));
    CHECK(price("us-west-1", "r6i.2xlarge") == Approx(0.56));
    CHECK(price("ca-central-1", "m6g.2xlarge") == Approx(0.3424));
    CHECK(price("ca-central-1", "r4.2xlarge") == Approx(0.584));
    CHECK(price("ca-central-1", "t3.xlarge") == Approx(0.1856));
    // A size not read is its family's read size scaled by normalization factors.
    CHECK(price("ap-south-1", "m5.xlarge") == Approx(2 * 0.101));
    for (const auto* region : {"ap-south-1", "ap-southeast-1", "eu-west-2", "ap-southeast-2",
                               "us-west-1", "ca-central-1"})
        CHECK(PriceList::builtin(region).known());
}

TEST_CASE("the non-EC2 price lists come from the data file for every region", "[catalog]") {
    const PriceList us = PriceList::builtin("us-east-1");
    CHECK(us.ebs_gp3_gb_month == Approx(0.08));
    CHECK(us.nat_gateway_hour == Approx(0.045));
    REQUIRE(us.internet_egress_tiers.size() == 4);
    CHECK(us.internet_egress_tiers[0].up_to_gb == Approx(10 * 1024));
    CHECK(us.internet_egress_tiers[0].usd_per_gb == Approx(0.09));
    CHECK(std::isinf(us.internet_egress_tiers[3].up_to_gb));
    REQUIRE(us.rds_hourly("db.m5.large").has_value());
    CHECK(*us.rds_hourly("db.m5.large") == Approx(0.171));
    const PriceList seoul = PriceList::builtin("ap-northeast-2");
    CHECK(seoul.ebs_gp3_gb_month == Approx(0.0912));
    CHECK(seoul.internet_egress_tiers[0].usd_per_gb == Approx(0.126));
    for (const auto& region : kRegions) {
        const PriceList p = PriceList::builtin(region);
        CHECK(p.alb_hour > 0);
        CHECK(p.public_ipv4_hour == Approx(0.005));
        CHECK(p.rds_instances.size() == us.rds_instances.size());
    }
}

TEST_CASE("the catalog check catches each kind of mistake", "[catalog]") {
    const std::string ok_prices =
        "m5.large,xx-test-1,0.1,test,2026-01\n"
        "m5.xlarge,xx-test-1,0.2,test,2026-01\n";
    // The clean miniature has no errors, so each case below fails for its own reason.
    REQUIRE(check_texts(kM5, ok_prices, kRegionRow).problems.size() > 0);  // no services
    CHECK_FALSE(has_problem(check_texts(kM5, ok_prices, kRegionRow), "m5"));

    CHECK(has_problem(check_texts(kM5,
                                  "m5.large,xx-test-1,0.2,test,2026-01\n"
                                  "m5.xlarge,xx-test-1,0.2,test,2026-01\n",
                                  kRegionRow),
                      "no more than the smaller"));
    CHECK(has_problem(check_texts(kM5, "m5.large,xx-test-1,0.1,test,2026-01\n", kRegionRow),
                      "`m5.xlarge` has no price in xx-test-1"));
    CHECK(has_problem(check_texts("m5.large,2,8,x,0,30,36,864,Intel,test,2026-01\n",
                                  "m5.large,xx-test-1,0.1,test,2026-01\n", kRegionRow),
                      "burstable (T) types only"));
    CHECK(has_problem(check_texts("t3.large,2,8,x,0,30,30,864,Intel,test,2026-01\n",
                                  "t3.large,xx-test-1,0.1,test,2026-01\n", kRegionRow),
                      "earns 36 credits per hour"));
    CHECK(has_problem(check_texts("m5.xlarge,4,16,x,0,0,0,0,Intel,test,2026-01\n"
                                  "m5.large,2,8,x,0,0,0,0,Intel,test,2026-01\n",
                                  "", kRegionRow),
                      "increasing order"));
    CHECK(has_problem(check_texts(kM5,
                                  "m5.large,xx-test-1,0.1,test,2026-01\n"
                                  "m5.xlarge,xx-test-1,0.25,derived:m5.large,2026-01\n",
                                  kRegionRow),
                      "derived from `m5.large` (0.1) it is 0.20000"));
    CHECK(has_problem(check_texts(kM5,
                                  "m5.large,xx-test-1,0.1,,2026-01\n"
                                  "m5.xlarge,xx-test-1,0.2,test,January\n",
                                  kRegionRow),
                      "as_of: expected a date"));
    CHECK(has_problem(
        check_texts(kM5, ok_prices, "xx-test-1,Test,xx-test-1a zz-9a,xx-test-1c,test,2026-01\n"),
        "default zone `xx-test-1c`"));
    CHECK(has_problem(check_texts(kM5, ok_prices, kRegionRow), "has no `nat_gateway_hour`"));
}

TEST_CASE("a malformed data file names its file and line", "[catalog]") {
    CatalogTexts t = builtin_catalog_texts();
    t.ec2_prices += "m5.large,us-east-1,cheap,test,2026-01\n";
    try {
        parse_catalog(t);
        FAIL("parsed");
    } catch (const CatalogDataError& e) {
        const std::string what = e.what();
        CHECK(what.find("data/catalog/ec2_prices.csv:") == 0);
        CHECK(what.find("expected a number") != std::string::npos);
    }
}

TEST_CASE("normalization factors are AWS's", "[catalog]") {
    CHECK(normalization_factor("nano") == 0.25);
    CHECK(normalization_factor("large") == 4);
    CHECK(normalization_factor("xlarge") == 8);
    CHECK(normalization_factor("2xlarge") == 16);
    CHECK(normalization_factor("9xlarge") == 72);
    CHECK(normalization_factor("metal") == 0);
    CHECK(instance_family("t3a.micro") == "t3a");
    CHECK(instance_size("t3a.micro") == "micro");
}

TEST_CASE("a region's zones come from the catalog", "[catalog]") {
    const std::string sim = "[simulation]\nduration = \"1h\"\n";
    const std::string tokyo = sim + "[region]\nname = \"ap-northeast-1\"\n";
    const Spec s = load_text(tokyo, "t.toml");
    CHECK(s.region.availability_zones ==
          std::vector<std::string>{"ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"});
    const std::string err = load_error(
        sim + "[region]\nname = \"ap-northeast-1\"\navailability_zones = [\"ap-northeast-1b\"]\n");
    CHECK(err.find("ap-northeast-1b") != std::string::npos);
    CHECK(err.find("ap-northeast-1c") != std::string::npos);
    // us-east-1 keeps a, b and c by default, and its other zones are accepted.
    CHECK(load_text(sim + "[region]\nname = \"us-east-1\"\navailability_zones = [\"us-east-1f\"]\n",
                    "t.toml")
              .region.availability_zones.size() == 1);
}

TEST_CASE("unknown types and regions name the close ones and how to add one", "[catalog]") {
    const std::string base =
        std::string(STRATUS_SOURCE_DIR) + "/scenarios/labs/01-two-az-web-tier.toml";
    const std::string text = stratus::testing::read_file(base);
    const std::size_t at = text.find("instance_type = \"");
    REQUIRE(at != std::string::npos);
    const std::size_t end = text.find('"', at + 17);
    std::string edited = text;
    edited.replace(at, end + 1 - at, "instance_type = \"c6x.large\"");
    const std::string err = load_error(edited);
    CHECK(err.find("unknown instance type `c6x.large`") != std::string::npos);
    CHECK(err.find("`c6i.large`") != std::string::npos);
    CHECK(err.find("[[instance_type]]") != std::string::npos);
    CHECK(err.find("stratus catalog list") != std::string::npos);

    const std::string region_err = load_error("[region]\nname = \"eu-west-9\"\n");
    CHECK(region_err.find("`eu-west-1`") != std::string::npos);
    CHECK(region_err.find("data/catalog") != std::string::npos);
    CHECK(region_err.find("[pricing]") != std::string::npos);
}

TEST_CASE("stratus catalog check and list", "[catalog][cli]") {
    const auto dir = stratus::testing::make_temp_dir("stratus-catalog");
    auto r = stratus::testing::run_stratus("catalog check", dir);
    CHECK(r.status == 0);
    CHECK(r.out.find("consistent") != std::string::npos);
    // A copy of the data files with one price made smaller than the size below it.
    namespace fs = std::filesystem;
    fs::create_directory(dir / "data");
    for (const char* f :
         {"instance_types.csv", "ec2_prices.csv", "regions.csv", "service_prices.csv"})
        fs::copy_file(fs::path(STRATUS_SOURCE_DIR) / "data/catalog" / f, dir / "data" / f);
    std::string prices = stratus::testing::read_file((dir / "data/ec2_prices.csv").string());
    const std::string row = "m5.xlarge,us-east-1,0.192,";
    REQUIRE(prices.find(row) != std::string::npos);
    prices.replace(prices.find(row), row.size(), "m5.xlarge,us-east-1,0.05,");
    stratus::testing::write_file((dir / "data/ec2_prices.csv").string(), prices);
    r = stratus::testing::run_stratus("catalog check --data data", dir);
    CHECK(r.status == 2);
    CHECK(r.err.find("data/catalog/ec2_prices.csv:") != std::string::npos);
    CHECK(r.err.find("`m5.xlarge` costs 0.05 in us-east-1") != std::string::npos);

    r = stratus::testing::run_stratus("catalog list --region eu-west-1", dir);
    CHECK(r.status == 0);
    CHECK(r.out.find("c6i.large") != std::string::npos);
    CHECK(r.out.find("eu-west-1c") != std::string::npos);
    r = stratus::testing::run_stratus("catalog list --region mars-1", dir);
    CHECK(r.status == 2);
    fs::remove_all(dir);
}

}  // namespace test_catalog
