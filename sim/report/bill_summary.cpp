#include "sim/report/bill_summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <numeric>

namespace stratus::report {

std::vector<BillRow> bill_rows(const cloud::BillingLedger& ledger) {
    std::vector<BillRow> rows;
    rows.reserve(ledger.size());
    for (const auto& l : ledger.lines())
        rows.push_back(
            {std::string(cloud::to_string(l.spec.line_item)), l.spec.usage_type, l.cost});
    return rows;
}

std::string line_item_label(const std::string& item) {
    static const std::map<std::string, std::string> labels = {{"ec2_on_demand", "EC2 On-Demand"},
                                                              {"ec2_spot", "EC2 Spot"},
                                                              {"ebs", "EBS volumes"},
                                                              {"public_ipv4", "public IPv4"},
                                                              {"load_balancer", "load balancers"},
                                                              {"nat_gateway", "NAT gateways"},
                                                              {"data_transfer", "data transfer"},
                                                              {"rds", "RDS"},
                                                              {"snapshots", "EBS snapshots"},
                                                              {"s3", "S3"},
                                                              {"fargate", "Fargate"},
                                                              {"vpc_endpoint", "VPC endpoints"},
                                                              {"ecr", "ECR"},
                                                              {"cloudwatch", "CloudWatch"}};
    const auto it = labels.find(item);
    return it == labels.end() ? item : it->second;
}

std::vector<double> round_to_sum(const std::vector<double>& values, int decimals) {
    // In integer units of 10^-decimals: each value rounded down, then the units the total
    // still needs go to the largest fractional remainders.
    const double scale = std::pow(10.0, decimals);
    std::vector<std::int64_t> units(values.size());
    std::vector<double> remainder(values.size());
    double sum = 0;
    std::int64_t floor_sum = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double v = std::max(0.0, values[i]) * scale;
        sum += v;
        units[i] = static_cast<std::int64_t>(std::floor(v));
        remainder[i] = v - static_cast<double>(units[i]);
        floor_sum += units[i];
    }
    auto left = static_cast<std::int64_t>(std::llround(sum)) - floor_sum;
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
    for (std::size_t k = 0; left > 0 && k < order.size(); ++k, --left)
        ++units[order[k]];
    std::vector<double> out(values.size());
    for (std::size_t i = 0; i < values.size(); ++i)
        out[i] = static_cast<double>(units[i]) / scale;
    return out;
}

BillSummary summarize_bill(const std::vector<BillRow>& rows, int decimals) {
    BillSummary s;
    s.decimals = decimals;
    // Line items in the contract's order, usage types in the order they first appear.
    std::vector<BillItem> items;
    for (const auto item : cloud::kLineItems) {
        BillItem bi;
        bi.line_item = std::string(cloud::to_string(item));
        bi.label = line_item_label(bi.line_item);
        for (const BillRow& r : rows) {
            if (r.line_item != bi.line_item) continue;
            bi.usd += r.cost_usd;
            auto part = std::find_if(bi.parts.begin(), bi.parts.end(), [&](const BillPart& p) {
                return p.usage_type == r.usage_type;
            });
            if (part == bi.parts.end()) {
                bi.parts.push_back({r.usage_type, 0, 0});
                part = bi.parts.end() - 1;
            }
            part->usd += r.cost_usd;
        }
        if (!bi.parts.empty()) items.push_back(std::move(bi));
    }
    auto by_amount = [](const auto& a, const auto& b) { return a.usd > b.usd; };
    std::stable_sort(items.begin(), items.end(), by_amount);
    std::vector<double> amounts;
    for (const auto& i : items) {
        amounts.push_back(i.usd);
        s.total += i.usd;
    }
    const auto shown = round_to_sum(amounts, decimals);
    for (std::size_t i = 0; i < items.size(); ++i) {
        items[i].shown = shown[i];
        s.shown_total += shown[i];
        auto& parts = items[i].parts;
        std::stable_sort(parts.begin(), parts.end(), by_amount);
        // The parts add up to the item as shown: rounded against the item's rounded amount.
        std::vector<double> part_usd;
        for (const auto& p : parts)
            part_usd.push_back(p.usd);
        auto part_shown = round_to_sum(part_usd, decimals);
        const double scale = std::pow(10.0, decimals);
        std::int64_t diff = std::llround(shown[i] * scale);
        for (double v : part_shown)
            diff -= std::llround(v * scale);
        // The item was rounded within the whole bill, its parts within the item: one unit can
        // differ; it goes to the largest part.
        if (!part_shown.empty()) part_shown[0] += static_cast<double>(diff) / scale;
        for (std::size_t k = 0; k < parts.size(); ++k)
            parts[k].shown = part_shown[k];
    }
    s.shown_total = std::round(s.shown_total * std::pow(10.0, decimals)) / std::pow(10.0, decimals);
    s.items = std::move(items);
    return s;
}

}  // namespace stratus::report
