#include "sim/report/compare_bill.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "sim/core/csv.hpp"

namespace stratus::report {
namespace {

// The CUR line item types a stratus bill has; the others are left out of the comparison.
bool modelled_type(const std::string& type) {
    return type.empty() || type == "Usage" || type == "DiscountedUsage" || type == "RIFee" ||
           type == "SavingsPlanCoveredUsage" || type == "SavingsPlanNegation" ||
           type == "SavingsPlanRecurringFee";
}

double to_number(const std::string& text, const std::string& where) {
    if (text.empty()) return 0;
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0' || !std::isfinite(v))
        throw std::runtime_error(fmt::format("{}: expected a number, found \"{}\"", where, text));
    return v;
}

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// "2026-01-01T00:00:00Z", "2026-01-01 00:00:00.000": seconds since the epoch (UTC).
std::optional<std::int64_t> parse_timestamp(const std::string& s) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    char sep = 0;
    if (std::sscanf(s.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d", &y, &mo, &d, &sep, &h, &mi, &sec) != 7 ||
        (sep != 'T' && sep != ' ') || mo < 1 || mo > 12 || d < 1 || d > 31)
        return std::nullopt;
    return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
           h * 3600 + mi * 60 + sec;
}

// The index of the first header among `names`, or -1.
int column(const std::vector<std::string>& header, std::initializer_list<const char*> names) {
    for (const char* name : names)
        for (std::size_t i = 0; i < header.size(); ++i)
            if (header[i] == name) return static_cast<int>(i);
    return -1;
}

using Key = std::pair<std::string, std::string>;  // service, usage type

struct Totals {
    std::map<Key, ComparedRow> rows;
    double run_usd = 0, cur_usd = 0;
};

// A Savings Plan's fee is filed under the plan's own product and a usage type naming its term
// and payment ("ComputeSP:1yrNoUpfront"), which a run does not know: fees compare as one row.
constexpr const char* kPlanFee = "SavingsPlanRecurringFee";

ComparedRow& row(Totals& t, std::string service, std::string usage_type) {
    Key key{std::move(service), std::move(usage_type)};
    auto it = t.rows.find(key);
    if (it == t.rows.end()) it = t.rows.emplace(key, ComparedRow{key.first, key.second}).first;
    return it->second;
}

// The run's share of an upfront payment (docs/pricing.md, "Commitments"): the CUR bills the
// payment once, at purchase, so neither side's upfront lines are compared.
bool upfront_share(const std::string& type) {
    return type == "Fee" || type == "SavingsPlanUpfrontFee";
}

void read_run(Totals& t, std::map<std::string, LeftOut>& left_out, const std::string& bill_csv) {
    int incomplete = 0;
    const auto records = core::parse_csv(bill_csv, &incomplete);
    if (records.empty() || incomplete) throw std::runtime_error("bill.csv: empty or cut short");
    const auto& header = records.front().fields;
    const int item = column(header, {"line_item"}), usage = column(header, {"usage_type"}),
              quantity = column(header, {"usage_quantity"}), cost = column(header, {"cost_usd"}),
              type = column(header, {"line_item_type"});
    if (item < 0 || usage < 0 || quantity < 0 || cost < 0)
        throw std::runtime_error(
            "bill.csv: expected the columns line_item, usage_type, usage_quantity, cost_usd");
    for (std::size_t r = 1; r < records.size(); ++r) {
        const auto& f = records[r].fields;
        const std::string where = fmt::format("bill.csv:{}", records[r].line);
        if (f.size() != header.size())
            throw std::runtime_error(where + ": a row of another width than the header");
        const double usd = to_number(f[cost], where);
        if (type >= 0 && upfront_share(f[type])) {
            LeftOut& l = left_out["run " + f[type]];
            l.line_item_type = f[type];
            l.in_run = true;
            l.usd += usd;
            ++l.lines;
            continue;
        }
        const bool fee = type >= 0 && f[type] == kPlanFee;
        ComparedRow& b = fee ? row(t, "SavingsPlans", kPlanFee)
                             : row(t, service_of(f[item], f[usage]), f[usage]);
        b.run_usd += usd;
        b.run_quantity += to_number(f[quantity], where);
        t.run_usd += usd;
    }
}

// The CUR's columns, in either spelling.
struct CurColumns {
    int product = -1, usage = -1, type = -1, cost = -1, amount = -1, start = -1, end = -1;
};

CurColumns cur_columns(const std::vector<std::string>& header, const std::string& name) {
    CurColumns c;
    c.product = column(header, {"lineItem/ProductCode", "line_item_product_code"});
    c.usage = column(header, {"lineItem/UsageType", "line_item_usage_type"});
    c.type = column(header, {"lineItem/LineItemType", "line_item_line_item_type"});
    c.cost = column(header, {"lineItem/UnblendedCost", "line_item_unblended_cost"});
    c.amount = column(header, {"lineItem/UsageAmount", "line_item_usage_amount"});
    c.start = column(header, {"lineItem/UsageStartDate", "line_item_usage_start_date"});
    c.end = column(header, {"lineItem/UsageEndDate", "line_item_usage_end_date"});
    if (c.product < 0 || c.usage < 0 || c.cost < 0)
        throw std::runtime_error(fmt::format(
            "{}:1: not a Cost and Usage Report extract: expected the columns "
            "lineItem/ProductCode, lineItem/UsageType and lineItem/UnblendedCost (or CUR 2.0's "
            "line_item_product_code, line_item_usage_type, line_item_unblended_cost)",
            name));
    return c;
}

// Reads the CUR's rows into `t`; returns its span in hours by the usage dates (0 if none).
double read_cur(Totals& t, std::map<std::string, LeftOut>& left_out, const std::string& cur_csv,
                const std::string& name) {
    int incomplete = 0;
    const auto records = core::parse_csv(cur_csv, &incomplete);
    if (records.empty()) throw std::runtime_error(name + ": empty");
    if (incomplete) throw std::runtime_error(fmt::format("{}:{}: cut short", name, incomplete));
    const CurColumns c = cur_columns(records.front().fields, name);
    std::optional<std::int64_t> first, last;
    for (std::size_t r = 1; r < records.size(); ++r) {
        const auto& f = records[r].fields;
        const std::string where = fmt::format("{}:{}", name, records[r].line);
        if (f.size() != records.front().fields.size())
            throw std::runtime_error(where + ": a row of another width than the header");
        const std::string type = c.type >= 0 ? f[c.type] : "";
        const double usd = to_number(f[c.cost], where);
        if (!modelled_type(type)) {
            LeftOut& l = left_out[type];
            l.line_item_type = type;
            l.usd += usd;
            ++l.lines;
            continue;
        }
        const std::string usage = without_region_prefix(f[c.usage]);
        ComparedRow& b = type == kPlanFee ? row(t, "SavingsPlans", kPlanFee)
                                          : row(t, service_of(f[c.product], usage), usage);
        b.cur_usd += usd;
        if (c.amount >= 0) b.cur_quantity += to_number(f[c.amount], where);
        t.cur_usd += usd;
        for (int col : {c.start, c.end}) {
            if (col < 0) continue;
            const auto at = parse_timestamp(f[col]);
            if (!at) continue;
            first = first ? std::min(*first, *at) : *at;
            last = last ? std::max(*last, *at) : *at;
        }
    }
    return first && last ? static_cast<double>(*last - *first) / 3600.0 : 0.0;
}

}  // namespace

std::string without_region_prefix(const std::string& usage_type) {
    // Two to four capitals, up to two digits, a dash: "USE1-", "APN2-", "EU-", "CAN1-".
    std::size_t i = 0;
    while (i < usage_type.size() && usage_type[i] >= 'A' && usage_type[i] <= 'Z')
        ++i;
    if (i < 2 || i > 4) return usage_type;
    const std::size_t letters = i;
    while (i < usage_type.size() && i < letters + 2 && usage_type[i] >= '0' && usage_type[i] <= '9')
        ++i;
    if (i + 1 >= usage_type.size() || usage_type[i] != '-') return usage_type;
    return usage_type.substr(i + 1);
}

std::string service_of(const std::string& line_item, const std::string& usage_type) {
    // Data transfer is filed under AWSDataTransfer in current CURs and under the service that
    // sent it in older ones: both sides are put under AWSDataTransfer.
    if (line_item == "cloudwatch") return "AmazonCloudWatch";  // its logs' DataProcessing-Bytes
    if (line_item == "ecr") return "AmazonECR";
    const bool nat = usage_type.find("NatGateway") != std::string::npos ||
                     usage_type.find("VpcEndpoint") != std::string::npos;
    if (usage_type.find("DataTransfer") != std::string::npos ||
        (usage_type.find("-Bytes") != std::string::npos && !nat))
        return "AWSDataTransfer";
    if (line_item == "load_balancer") return "AWSELB";
    if (line_item == "public_ipv4" || line_item == "vpc_endpoint") return "AmazonVPC";
    if (line_item == "rds") return "AmazonRDS";
    if (line_item == "s3") return "AmazonS3";
    if (line_item == "fargate") return "AmazonECS";  // Fargate usage is filed under ECS
    if (line_item == "ec2_on_demand" || line_item == "ec2_spot" || line_item == "ebs" ||
        line_item == "snapshots" || line_item == "nat_gateway")
        return "AmazonEC2";
    return line_item;  // a CUR's own product code
}

BillComparison compare_bill(const std::string& bill_csv, double run_hours,
                            const std::string& cur_csv, const std::string& cur_name,
                            bool scale_to_cur) {
    Totals t;
    std::map<std::string, LeftOut> left_out;
    read_run(t, left_out, bill_csv);
    BillComparison out;
    out.cur_hours = read_cur(t, left_out, cur_csv, cur_name);
    out.run_hours = run_hours;
    if (scale_to_cur) {
        if (out.cur_hours <= 0 || run_hours <= 0)
            throw std::runtime_error(
                cur_name +
                ": --scale needs the CUR's usage dates (lineItem/UsageStartDate, "
                "lineItem/UsageEndDate) and a run of some length");
        out.scale = out.cur_hours / run_hours;
    }
    for (auto& entry : t.rows) {
        ComparedRow r = entry.second;
        r.run_usd *= out.scale;
        r.run_quantity *= out.scale;
        out.rows.push_back(std::move(r));
    }
    out.run_usd = t.run_usd * out.scale;
    out.cur_usd = t.cur_usd;
    std::stable_sort(out.rows.begin(), out.rows.end(),
                     [](const ComparedRow& a, const ComparedRow& b) {
                         return std::abs(a.difference()) > std::abs(b.difference());
                     });
    for (auto& entry : left_out)
        out.left_out.push_back(std::move(entry.second));
    return out;
}

std::string format_comparison(const BillComparison& c, std::size_t top) {
    std::string out;
    out += fmt::format(
        "run: {:.2f} h{}; CUR: {}\n", c.run_hours,
        c.scale != 1 ? fmt::format(", scaled x{:.4g} to the CUR's period", c.scale) : "",
        c.cur_hours > 0 ? fmt::format("{:.2f} h by its usage dates", c.cur_hours)
                        : std::string("no usage dates"));
    out += fmt::format("{:<16} {:<40} {:>12} {:>12} {:>12} {:>8}\n", "service", "usage_type",
                       "run_usd", "cur_usd", "diff_usd", "diff_%");
    std::size_t shown = 0;
    for (const ComparedRow& r : c.rows) {
        if (shown++ == top) break;
        const std::string pct =
            r.cur_usd != 0 ? fmt::format("{:+.1f}", 100 * r.difference() / r.cur_usd) : "-";
        out += fmt::format("{:<16} {:<40} {:>12.4f} {:>12.4f} {:>+12.4f} {:>8}\n", r.service,
                           r.usage_type, r.run_usd, r.cur_usd, r.difference(), pct);
    }
    if (c.rows.size() > top)
        out += fmt::format("... {} more rows (--top N shows more)\n", c.rows.size() - top);
    out += fmt::format("{:<57} {:>12.4f} {:>12.4f} {:>+12.4f}\n", "total", c.run_usd, c.cur_usd,
                       c.run_usd - c.cur_usd);
    for (const LeftOut& l : c.left_out)
        out += fmt::format(
            "not compared: {} line{} of type {} ({:.4f} USD){}\n", l.lines, l.lines == 1 ? "" : "s",
            l.line_item_type.empty() ? "(none)" : l.line_item_type, l.usd,
            l.in_run ? " in the run: its share of an upfront payment, which a CUR bills once"
                     : ": stratus does not model them");
    return out;
}

}  // namespace stratus::report
