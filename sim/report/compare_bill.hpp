#pragma once
// `stratus compare-bill RUN_DIR CUR.csv`: a run's bill.csv beside a real Cost and Usage Report
// extract, summed by service (the CUR's product code) and usage type, the rows where they
// differ most first (docs/pricing.md, "Comparing with a real bill").
//
// The CUR extract is a CSV with a header naming, in either of AWS's spellings (the legacy CUR's
// `lineItem/ProductCode` or CUR 2.0's `line_item_product_code`), at least the product code,
// the usage type and the unblended cost; the line item type, the usage amount and the usage
// start and end dates are read when present. Region prefixes of usage types ("USW2-",
// "APN2-", "EU-") are dropped, as bill.csv has none. CUR line item types stratus does not
// model (Tax, Credit, Refund, upfront fees, discounts) are left out of the comparison and
// listed with their totals; so are the run's shares of upfront payments.
#include <cstddef>
#include <string>
#include <vector>

namespace stratus::report {

struct ComparedRow {
    std::string service;     // AmazonEC2, AWSELB, AmazonVPC, AWSDataTransfer, AmazonRDS, AmazonS3
    std::string usage_type;  // without a region prefix
    double run_usd = 0, cur_usd = 0;
    double run_quantity = 0, cur_quantity = 0;
    double difference() const { return run_usd - cur_usd; }
};

struct LeftOut {
    std::string line_item_type;  // "Tax", "Credit", ...
    double usd = 0;
    std::size_t lines = 0;
    // The run's lines (its share of an upfront payment: Fee, SavingsPlanUpfrontFee), not the
    // CUR's; `usd` is then unscaled.
    bool in_run = false;
};

struct BillComparison {
    std::vector<ComparedRow> rows;    // by |difference|, largest first; ties by service, usage type
    double run_usd = 0, cur_usd = 0;  // the compared totals (the run's scaled)
    double run_hours = 0;             // the run's length
    double cur_hours = 0;             // the CUR's span by its usage dates; 0 when not given
    double scale = 1;                 // the factor the run's figures were multiplied by
    std::vector<LeftOut> left_out;    // lines of types not compared, by type (the CUR's, the run's)
};

// The product code a CUR files a stratus usage type under (bill.csv's line_item column says
// which service made it).
std::string service_of(const std::string& line_item, const std::string& usage_type);
// "USW2-BoxUsage:m5.large" -> "BoxUsage:m5.large"; a usage type without a prefix unchanged.
std::string without_region_prefix(const std::string& usage_type);

// Compares the texts of a run's bill.csv and of a CUR extract (`cur_name` in messages). With
// `scale_to_cur`, the run's figures are multiplied by cur_hours / run_hours (the CUR must then
// have its usage dates). Throws std::runtime_error naming the file and line of bad input.
BillComparison compare_bill(const std::string& bill_csv, double run_hours,
                            const std::string& cur_csv, const std::string& cur_name,
                            bool scale_to_cur);

// The comparison as a table for a terminal: the `top` rows that differ most, the totals and
// what was left out.
std::string format_comparison(const BillComparison& c, std::size_t top);

}  // namespace stratus::report
