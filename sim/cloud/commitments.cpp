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

// Normalized units an hour of `type` counts: EC2's normalization factor of its size, or an
// RDS class's units (twice for Multi-AZ).
double units_of(CommitmentService service, std::string_view type, bool multi_az) {
    if (service == CommitmentService::RDS) return scenario::db_class_units(type, multi_az);
    return normalization_factor(instance_size(type));
}

std::string_view family_of(CommitmentService service, std::string_view type) {
    if (service == CommitmentService::RDS) return scenario::db_class_family(type);
    return instance_family(type);
}

// Whether a Reserved Instance applies to a usage: the same service (and engine); a zonal RI
// only its exact type in its AZ, the others any size of the family.
bool covers(const ReservedInstance& ri, const HourlyUsage& u) {
    if (ri.service != u.service || ri.product != u.product) return false;
    if (ri.zonal())
        return ri.availability_zone == u.availability_zone && ri.instance_type == u.instance_type;
    return family_of(u.service, u.instance_type) == family_of(ri.service, ri.instance_type) &&
           units_of(u.service, u.instance_type, u.multi_az) > 0;
}

// One Reserved Instance's normalized units this hour over the usage it covers, smallest size
// first, then in the order given.
void apply_one(const std::vector<HourlyUsage>& usage, const ReservedInstance& ri, std::size_t r,
               double in_force, Remaining& left, std::vector<Coverage>& out) {
    const double ri_units = units_of(ri.service, ri.instance_type, ri.multi_az);
    if (ri_units <= 0) return;
    double units = ri.instance_count * ri_units * in_force;
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < usage.size(); ++i)
        if (covers(ri, usage[i])) order.push_back(i);
    auto size_of = [&](std::size_t i) {
        return units_of(usage[i].service, usage[i].instance_type, usage[i].multi_az);
    };
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return size_of(a) < size_of(b); });
    for (std::size_t i : order) {
        if (units <= 0) break;
        if (left[i] <= 0) continue;
        const double factor = size_of(i);
        const double hours = std::min(left[i], units / factor);
        left[i] -= hours;
        units -= hours * factor;
        out.push_back({i, Coverage::ReservedInstance, r, hours, 0.0});
    }
}

// Zonal Reserved Instances first, then the others, each group in the order given: a zonal RI
// can cover only its type in its AZ, so it goes before a regional RI could take that hour
// (docs/pricing.md: the order between scopes is the model's choice).
void apply_reserved(const std::vector<HourlyUsage>& usage,
                    const std::vector<ReservedInstance>& reserved, double in_force, Remaining& left,
                    std::vector<Coverage>& out) {
    for (bool zonal : {true, false})
        for (std::size_t r = 0; r < reserved.size(); ++r)
            if (reserved[r].zonal() == zonal) apply_one(usage, reserved[r], r, in_force, left, out);
}

void apply_plan(const std::vector<HourlyUsage>& usage, const SavingsPlan& plan, std::size_t p,
                double in_force, Remaining& left, std::vector<Coverage>& out) {
    struct Candidate {
        std::size_t usage;
        double rate, savings;
    };
    std::vector<Candidate> candidates;
    for (std::size_t i = 0; i < usage.size(); ++i) {
        if (left[i] <= 0 || usage[i].service != CommitmentService::EC2) continue;
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

// A line's usage in one hour: its type from the usage type ("BoxUsage:m5.large",
// "Multi-AZUsage:db.m5.large"), where and what it is from the line.
HourlyUsage hourly_usage(const ChargeSpec& spec, std::size_t k, double hours) {
    std::string_view type = spec.usage_type;
    const std::size_t colon = type.find(':');
    const bool multi_az = type.substr(0, colon) == "Multi-AZUsage";
    type.remove_prefix(std::min(type.size(), colon + 1));
    const CommitmentService service =
        spec.line_item == LineItem::Rds ? CommitmentService::RDS : CommitmentService::EC2;
    return {k,       std::string(type),      hours,        spec.rate,
            service, spec.availability_zone, spec.product, multi_az};
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
    spec.line_item = like.line_item;
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
    ChargeSpec rds;
    rds.line_item = LineItem::Rds;
    for (const ReservedInstance& ri : reserved) {
        const ChargeSpec& like = ri.service == CommitmentService::RDS ? rds : untagged;
        const double hours = run_hours * ri.instance_count;
        const std::string usage_type = "HeavyUsage:" + ri.instance_type;
        add_line(ledger, like, LineItemType::RIFee, ri.id, usage_type, hours, ri.hourly_fee,
                 hours * ri.hourly_fee);
        if (ri.upfront_hourly > 0)
            add_line(ledger, like, LineItemType::Fee, ri.id, usage_type, hours, ri.upfront_hourly,
                     hours * ri.upfront_hourly);
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
        if (line.spec.keep_runs && line.spec.type == LineItemType::Usage && !line.runs.empty() &&
            (line.spec.line_item == LineItem::Ec2OnDemand || line.spec.line_item == LineItem::Rds))
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
            if (h > 0) usage.push_back(hourly_usage(line.spec, k, h));
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
