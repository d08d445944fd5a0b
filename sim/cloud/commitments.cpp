#include "sim/cloud/commitments.hpp"

#include <algorithm>

namespace stratus::cloud {

using scenario::instance_family;
using scenario::instance_size;
using scenario::normalization_factor;

std::optional<double> SavingsPlan::rate_for(std::string_view instance_type,
                                            double on_demand) const {
    if (type == SavingsPlanType::Ec2Instance &&
        scenario::instance_family(instance_type) != instance_family)
        return std::nullopt;
    if (auto it = rates.find(instance_type); it != rates.end()) return it->second;
    return on_demand * (1.0 - discount);
}

namespace {

// Usage hours still On-Demand, per usage item.
using Remaining = std::vector<double>;

void apply_reserved(const std::vector<HourlyUsage>& usage,
                    const std::vector<ReservedInstance>& reserved, double in_force, Remaining& left,
                    std::vector<Coverage>& out) {
    for (std::size_t r = 0; r < reserved.size(); ++r) {
        const ReservedInstance& ri = reserved[r];
        const double ri_factor = normalization_factor(instance_size(ri.instance_type));
        if (ri_factor <= 0) continue;
        double units = ri.instance_count * ri_factor * in_force;  // normalized units this hour
        // The family's usage, smallest size first, then in the order given.
        std::vector<std::size_t> order;
        for (std::size_t i = 0; i < usage.size(); ++i)
            if (instance_family(usage[i].instance_type) == instance_family(ri.instance_type) &&
                normalization_factor(instance_size(usage[i].instance_type)) > 0)
                order.push_back(i);
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return normalization_factor(instance_size(usage[a].instance_type)) <
                   normalization_factor(instance_size(usage[b].instance_type));
        });
        for (std::size_t i : order) {
            if (units <= 0) break;
            if (left[i] <= 0) continue;
            const double factor = normalization_factor(instance_size(usage[i].instance_type));
            const double hours = std::min(left[i], units / factor);
            left[i] -= hours;
            units -= hours * factor;
            out.push_back({i, Coverage::ReservedInstance, r, hours, 0.0});
        }
    }
}

void apply_plan(const std::vector<HourlyUsage>& usage, const SavingsPlan& plan, std::size_t p,
                double in_force, Remaining& left, std::vector<Coverage>& out) {
    struct Candidate {
        std::size_t usage;
        double rate, savings;
    };
    std::vector<Candidate> candidates;
    for (std::size_t i = 0; i < usage.size(); ++i) {
        if (left[i] <= 0) continue;
        const auto rate = plan.rate_for(usage[i].instance_type, usage[i].on_demand_rate);
        if (!rate || usage[i].on_demand_rate <= 0) continue;
        candidates.push_back({i, *rate, 1.0 - *rate / usage[i].on_demand_rate});
    }
    // The highest savings percentage first; equal ones, the lower Savings Plans rate first.
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) {
                         if (a.savings != b.savings) return a.savings > b.savings;
                         return a.rate < b.rate;
                     });
    double budget = plan.commitment_per_hour * in_force;
    for (const Candidate& c : candidates) {
        if (budget <= 0) break;
        const double hours = c.rate > 0 ? std::min(left[c.usage], budget / c.rate) : left[c.usage];
        left[c.usage] -= hours;
        budget -= hours * c.rate;
        out.push_back({c.usage, Coverage::SavingsPlan, p, hours, c.rate});
    }
}

}  // namespace

std::vector<Coverage> apply_commitments(const std::vector<HourlyUsage>& usage,
                                        const std::vector<ReservedInstance>& reserved,
                                        const std::vector<SavingsPlan>& plans, double in_force) {
    std::vector<Coverage> out;
    Remaining left(usage.size());
    for (std::size_t i = 0; i < usage.size(); ++i)
        left[i] = usage[i].hours;
    apply_reserved(usage, reserved, in_force, left, out);
    // EC2 Instance Savings Plans before Compute Savings Plans (the narrower first).
    for (SavingsPlanType type : {SavingsPlanType::Ec2Instance, SavingsPlanType::Compute})
        for (std::size_t p = 0; p < plans.size(); ++p)
            if (plans[p].type == type) apply_plan(usage, plans[p], p, in_force, left, out);
    return out;
}

namespace {

// Hours of `runs` inside [from, to).
double overlap_hours(const std::vector<RunInterval>& runs, SimTime from, SimTime to) {
    SimTime total = 0;
    for (const RunInterval& r : runs)
        total += std::max<SimTime>(0, std::min(r.end, to) - std::max(r.start, from));
    return to_seconds(total) / 3600.0;
}

// What the commitments covered of one ledger line over the run.
struct LineCoverage {
    double reserved_hours = 0;
    double plan_hours = 0;
};

std::string_view plan_usage_type(SavingsPlanType type) {
    return type == SavingsPlanType::Compute ? "ComputeSP:Hourly" : "EC2InstanceSP:Hourly";
}

// A line of the commitments' own, priced as worked out.
void add_line(BillingLedger& ledger, const ChargeSpec& like, LineItemType type,
              std::string resource_id, std::string usage_type, double quantity, double rate,
              double cost) {
    ChargeSpec spec;
    spec.resource_id = std::move(resource_id);
    spec.line_item = LineItem::Ec2OnDemand;
    spec.type = type;
    spec.usage_type = std::move(usage_type);
    spec.unit = PricingUnit::Hrs;
    spec.rate = rate;
    spec.tags = like.tags;
    ledger.accrue_priced(ledger.add(std::move(spec)), quantity, cost);
}

// The fees: every hour of the run, whether the commitment was used or not. An upfront payment
// is billed once, at purchase; a run is a window of the term and carries the share of it that
// its hours use up.
void add_fees(BillingLedger& ledger, const std::vector<ReservedInstance>& reserved,
              const std::vector<SavingsPlan>& plans, double run_hours) {
    const ChargeSpec untagged;
    for (const ReservedInstance& ri : reserved) {
        const double hours = run_hours * ri.instance_count;
        const std::string usage_type = "HeavyUsage:" + ri.instance_type;
        add_line(ledger, untagged, LineItemType::RIFee, ri.id, usage_type, hours, ri.hourly_fee,
                 hours * ri.hourly_fee);
        if (ri.upfront_hourly > 0)
            add_line(ledger, untagged, LineItemType::Fee, ri.id, usage_type, hours,
                     ri.upfront_hourly, hours * ri.upfront_hourly);
    }
    for (const SavingsPlan& plan : plans) {
        const std::string usage_type(plan_usage_type(plan.type));
        const double recurring = std::max(0.0, plan.commitment_per_hour - plan.upfront_hourly);
        add_line(ledger, untagged, LineItemType::SavingsPlanRecurringFee, plan.id, usage_type,
                 run_hours, recurring, run_hours * recurring);
        if (plan.upfront_hourly > 0)
            add_line(ledger, untagged, LineItemType::SavingsPlanUpfrontFee, plan.id, usage_type,
                     run_hours, plan.upfront_hourly, run_hours * plan.upfront_hourly);
    }
}

}  // namespace

void bill_commitments(BillingLedger& ledger, const std::vector<ReservedInstance>& reserved,
                      const std::vector<SavingsPlan>& plans, SimTime end,
                      SimTime seconds_past_hour) {
    std::vector<BillingLedger::ChargeId> eligible;
    for (BillingLedger::ChargeId id = 0; id < ledger.size(); ++id) {
        const ChargeLine& line = ledger.line(id);
        if (line.spec.keep_runs && line.spec.type == LineItemType::Usage && !line.runs.empty())
            eligible.push_back(id);
    }
    std::vector<LineCoverage> covered(eligible.size());
    std::vector<HourlyUsage> usage;
    // The clock hour holding the run's start, then every hour up to the last billed second
    // (a run's minimum can reach past the end).
    SimTime last = end;
    for (BillingLedger::ChargeId id : eligible)
        last = std::max(last, ledger.line(id).runs.back().end);
    for (SimTime from = -seconds_past_hour; from < last; from += kHour) {
        usage.clear();
        for (std::size_t k = 0; k < eligible.size(); ++k) {
            const ChargeLine& line = ledger.line(eligible[k]);
            const double h = overlap_hours(line.runs, from, from + kHour);
            if (h > 0) {
                std::string_view type = line.spec.usage_type;
                type.remove_prefix(std::min(type.size(), type.find(':') + 1));  // BoxUsage:
                usage.push_back({k, std::string(type), h, line.spec.rate});
            }
        }
        // The share of this clock hour inside the run: the commitments hold for that part.
        const double in_force = to_seconds(std::max<SimTime>(
                                    0, std::min(from + kHour, end) - std::max<SimTime>(from, 0))) /
                                3600.0;
        for (const Coverage& c : apply_commitments(usage, reserved, plans, in_force)) {
            LineCoverage& lc = covered[usage[c.usage].line];
            (c.kind == Coverage::ReservedInstance ? lc.reserved_hours : lc.plan_hours) += c.hours;
        }
    }
    for (std::size_t k = 0; k < eligible.size(); ++k) {
        const LineCoverage lc = covered[k];
        if (lc.reserved_hours <= 0 && lc.plan_hours <= 0) continue;
        const ChargeSpec spec = ledger.line(eligible[k]).spec;  // a copy: add() may reallocate
        ledger.remove_usage(eligible[k], lc.reserved_hours + lc.plan_hours,
                            (lc.reserved_hours + lc.plan_hours) * spec.rate);
        if (lc.reserved_hours > 0)
            add_line(ledger, spec, LineItemType::DiscountedUsage, spec.resource_id, spec.usage_type,
                     lc.reserved_hours, 0, 0);
        if (lc.plan_hours > 0) {
            const double on_demand = lc.plan_hours * spec.rate;
            add_line(ledger, spec, LineItemType::SavingsPlanCoveredUsage, spec.resource_id,
                     spec.usage_type, lc.plan_hours, spec.rate, on_demand);
            add_line(ledger, spec, LineItemType::SavingsPlanNegation, spec.resource_id,
                     spec.usage_type, lc.plan_hours, -spec.rate, -on_demand);
        }
    }
    add_fees(ledger, reserved, plans, to_seconds(end) / 3600.0);
}

}  // namespace stratus::cloud
