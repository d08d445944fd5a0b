#pragma once
// The bill as a person reads it: every line item with its amount and, under it, its usage
// types (as the Cost and Usage Report names them: BoxUsage:c5.large, NatGateway-Bytes, ...),
// largest first, rounded so that the amounts shown add up to the total shown. Built from the
// ledger (the human summary) or from bill.csv's rows (the HTML report), the same way.
#include <string>
#include <vector>

#include "sim/cloud/billing.hpp"

namespace stratus::report {

// One row of bill.csv as far as the summary needs it.
struct BillRow {
    std::string line_item;   // "ec2_on_demand", ...
    std::string usage_type;  // "BoxUsage:c5.large", ...
    double cost_usd = 0;
};
std::vector<BillRow> bill_rows(const cloud::BillingLedger& ledger);

struct BillPart {
    std::string usage_type;
    double usd = 0;    // exact
    double shown = 0;  // rounded; a line item's parts add up to its shown amount
};
struct BillItem {
    std::string line_item;  // the summary's key, "nat_gateway"
    std::string label;      // "NAT gateway"
    double usd = 0;
    double shown = 0;  // rounded; the items add up to BillSummary::shown_total
    std::vector<BillPart> parts;
};
struct BillSummary {
    double total = 0;
    double shown_total = 0;  // total rounded to `decimals`
    int decimals = 4;
    std::vector<BillItem> items;  // every line item with a row in the bill, largest first
};

// The summary of `rows`, amounts rounded to `decimals` by the largest remainder method (each
// amount is rounded down, and the units left over go to the largest remainders), so the
// items shown sum exactly to the total shown, and each item's parts to the item.
BillSummary summarize_bill(const std::vector<BillRow>& rows, int decimals = 4);

// "EC2 On-Demand", "NAT gateway", ... for a line item key.
std::string line_item_label(const std::string& line_item);

// Rounds non-negative `values` to `decimals` so that they sum to their sum rounded to
// `decimals` (the largest remainder method; ties go to the earlier value).
std::vector<double> round_to_sum(const std::vector<double>& values, int decimals);

}  // namespace stratus::report
