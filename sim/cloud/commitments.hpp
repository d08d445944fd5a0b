#pragma once
// Commitments: Reserved Instances (EC2: zonal, or regional and size-flexible within a family by
// normalization factors; RDS reserved DB instances, size-flexible within a class family by
// normalized units) and Savings Plans (Compute and EC2 Instance), applied hour by hour to the
// On-Demand instance usage in AWS's order: Reserved Instances first (zonal before regional),
// then EC2 Instance Savings Plans, then Compute Savings Plans; a plan covers the usage with the
// highest savings
// percentage first (equal ones: the lower Savings Plans rate first) until its hourly
// commitment is spent. Pure functions; CostMeter feeds them each clock hour's usage and turns
// the result into Cost and Usage Report lines (docs/pricing.md, "Commitments").
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/cloud/billing.hpp"
#include "sim/core/sim_time.hpp"
#include "sim/scenario/catalog.hpp"

namespace stratus::cloud {

// The service whose usage a commitment covers: Savings Plans cover EC2 only, and a Reserved
// Instance only its own service's usage.
enum class CommitmentService { EC2, RDS };

// A Linux Reserved Instance with default tenancy, or an RDS reserved DB instance.
struct ReservedInstance {
    std::string id;
    // "m5.xlarge" or "db.m5.large": the family and the size it was bought for
    std::string instance_type;
    int instance_count = 1;
    double hourly_fee = 0;      // USD per RI-hour, used or not: the recurring charge
    double upfront_hourly = 0;  // USD per RI-hour: the upfront fixed price over the term's hours
    CommitmentService service = CommitmentService::EC2;
    // EC2: "" for a regional RI (any AZ, size-flexible), the AZ of a zonal one (that AZ, the
    // exact type only). Applied before the regional ones.
    std::string availability_zone{};
    std::string product{};  // RDS: the engine, "mysql" or "postgresql"; EC2: ""
    bool multi_az = false;  // RDS: a Multi-AZ reservation, twice the normalized units

    bool zonal() const { return !availability_zone.empty(); }
};

enum class SavingsPlanType { Compute, Ec2Instance };

struct SavingsPlan {
    std::string id;
    SavingsPlanType type = SavingsPlanType::Compute;
    std::string instance_family;                       // EC2 Instance plans: "m5"
    double commitment_per_hour = 0;                    // USD
    std::map<std::string, double, std::less<>> rates;  // instance type -> Savings Plans rate
    double discount = 0;  // fraction off On-Demand for types without a rate (0.28 = 28 %)
    // USD an hour of the commitment paid upfront (the upfront payment over the term's hours);
    // the rest of the commitment is the hourly recurring fee.
    double upfront_hourly = 0;

    // The plan's rate for a type whose On-Demand rate is `on_demand`; empty when the plan does
    // not apply to it (another family for an EC2 Instance plan).
    std::optional<double> rate_for(std::string_view instance_type, double on_demand) const;
};

// One instance's On-Demand usage in one clock hour.
struct HourlyUsage {
    std::size_t line = 0;  // who it belongs to (the caller's id: a ledger line)
    std::string instance_type;
    double hours = 0;  // instance-hours in the hour (at most 1 for one instance)
    double on_demand_rate = 0;
    CommitmentService service = CommitmentService::EC2;
    std::string availability_zone{};  // where it runs (zonal RIs match on it)
    std::string product{};            // RDS: the DB instance's engine, "mysql" or "postgresql"
    bool multi_az = false;            // RDS: a Multi-AZ DB instance, twice the normalized units
};

// Part of one usage covered by one commitment.
struct Coverage {
    enum Kind { ReservedInstance, SavingsPlan };
    std::size_t usage = 0;  // index into the hour's usage
    Kind kind = ReservedInstance;
    std::size_t commitment = 0;  // index into the Reserved Instances or the Savings Plans
    double hours = 0;
    double rate = 0;  // what the covered hours cost: 0 for an RI (its fee pays), the SP rate
};

// Applies the commitments to one hour's On-Demand usage. The usage not covered stays
// On-Demand. Zonal Reserved Instances go first (their exact type in their AZ), then the
// regional ones and the reserved DB instances, each covering its normalized units (a Multi-AZ
// DB instance or reservation counts twice). Among sizes of a family the Reserved Instances
// cover the smallest first (the EC2 User Guide: size flexibility applies from the smallest to
// the largest size by normalization factor), then the usage in the order given. Savings Plans
// cover EC2 usage only. `in_force` is the share of the hour
// the commitments hold (a run that starts or ends inside a clock hour has them, and pays their
// fees, for that part only): it scales the RIs' units and the plans' commitments.
std::vector<Coverage> apply_commitments(const std::vector<HourlyUsage>& usage,
                                        const std::vector<ReservedInstance>& reserved,
                                        const std::vector<SavingsPlan>& plans,
                                        double in_force = 1.0);

// The commitments applied to a run's bill, once every line has ended (BillingLedger::finish):
// the usage of the EC2 On-Demand and RDS lines that kept their runs (ChargeSpec::keep_runs; the
// line's availability_zone and product say where and what it is) is cut into
// clock hours (the run starts `seconds_past_hour` into a UTC hour), each hour's usage goes
// through apply_commitments, and the covered usage moves into the Cost and Usage Report's lines:
// per instance, DiscountedUsage (Reserved Instances, at no cost), SavingsPlanCoveredUsage at
// the On-Demand cost and its SavingsPlanNegation; per commitment, its RIFee (hourly_fee x
// instance_count for every hour of the run, used or not) or SavingsPlanRecurringFee (the
// hourly commitment less its upfront part, for every hour), and for an upfront payment the
// run's share of it (a Fee line for an RI, SavingsPlanUpfrontFee for a plan: upfront_hourly
// for every hour). The bill's total becomes the uncovered On-Demand usage plus the fees.
void bill_commitments(BillingLedger& ledger, const std::vector<ReservedInstance>& reserved,
                      const std::vector<SavingsPlan>& plans, SimTime end,
                      SimTime seconds_past_hour);

}  // namespace stratus::cloud
