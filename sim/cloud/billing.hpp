#pragma once
// Billing: a ledger that accrues cost per charge line (resource, line item, usage type, tags)
// as simulated time passes, the way AWS meters it (per second with a minimum per start for EC2
// and RDS, whole hours for a load balancer, GB-month pro-rated by the hours of the calendar
// month the usage falls in), and the
// pure rules behind it as functions whose results can be checked by hand. docs/pricing.md,
// section "Billing rules", states every rule, unit and approximation.
//
// The ledger allocates only while charges are added (setup); start, stop, advance_to, set_size,
// set_rate and accrue are arithmetic on a fixed vector, so steady-state accrual does not
// allocate. Reports (bill_csv, by_tag) allocate, and are meant for the end of a run.
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/sim_time.hpp"

namespace stratus::scenario {
struct PriceList;
}

namespace stratus::cloud {

// The summary's cost_usd.by_line_item keys (docs/scenario-format.md, "Outputs of a run").
enum class LineItem {
    Ec2OnDemand,
    Ec2Spot,
    Ebs,
    PublicIpv4,
    LoadBalancer,
    NatGateway,
    DataTransfer,
    Rds,
    Snapshots,
    S3,
    Fargate,
    VpcEndpoint,  // interface endpoints (AWS PrivateLink): hours per AZ and GB processed
    Ecr,          // Amazon ECR: the repositories' image storage
    CloudWatch,   // Container Insights: its custom metrics and performance log events
};
constexpr std::size_t kLineItemCount = 14;
constexpr std::array<LineItem, kLineItemCount> kLineItems = {
    LineItem::Ec2OnDemand,  LineItem::Ec2Spot,    LineItem::Ebs,          LineItem::PublicIpv4,
    LineItem::LoadBalancer, LineItem::NatGateway, LineItem::DataTransfer, LineItem::Rds,
    LineItem::Snapshots,    LineItem::S3,         LineItem::Fargate,      LineItem::VpcEndpoint,
    LineItem::Ecr,          LineItem::CloudWatch};
// "ec2_on_demand", "ec2_spot", "ebs", "public_ipv4", "load_balancer", "nat_gateway",
// "data_transfer", "rds", "snapshots", "s3", "fargate", "vpc_endpoint", "ecr", "cloudwatch".
std::string_view to_string(LineItem item);

// The unit a usage quantity is counted in, as the Cost and Usage Report's pricing/unit has it.
enum class PricingUnit {
    Hrs,          // instance-, address-, load-balancer- or gateway-hours
    GbMonth,      // "GB-Mo": storage, pro-rated by the hours of its calendar month
    Gb,           // transferred or processed data; not time-based
    LcuHrs,       // "LCU-Hrs": load balancer capacity units
    VcpuHours,    // "vCPU-Hours": T-series unlimited surplus credits, Fargate vCPUs
    Requests,     // "Requests": counted, not time-based (S3 requests)
    ObjectMonth,  // "Objects": objects kept a month, pro-rated like GB-Mo (S3 monitoring)
    GbHours,      // "GB-Hours": Fargate memory
    MetricMonth,  // "Metrics": CloudWatch custom metrics kept a month, pro-rated like GB-Mo
    TagMonth,     // "Tag-Mo": S3 object tags kept a month, pro-rated like GB-Mo
};
// "Hrs", "GB-Mo", "GB", "LCU-Hrs", "vCPU-Hours", "Requests", "Objects", "GB-Hours", "Metrics",
// "Tag-Mo".
std::string_view to_string(PricingUnit unit);
// Whether usage in this unit grows with time while a charge runs (all but GB and Requests).
bool is_time_based(PricingUnit unit);
// Whether it is pro-rated by the month's hours (GB-Mo, Objects, Metrics).
bool is_monthly(PricingUnit unit);

// The Cost and Usage Report's lineItem/LineItemType: Usage is On-Demand (or Spot) usage at its
// rate; usage a Reserved Instance covers is DiscountedUsage (at no cost: the RIFee pays for
// it); usage a Savings Plan covers is SavingsPlanCoveredUsage at its On-Demand cost, offset by
// a SavingsPlanNegation line of the same amount, the plan's SavingsPlanRecurringFee paying for
// it; an upfront payment's share of the run is a Fee (RI) or SavingsPlanUpfrontFee line
// (docs/pricing.md, "Commitments").
enum class LineItemType {
    Usage,
    DiscountedUsage,
    RIFee,
    SavingsPlanCoveredUsage,
    SavingsPlanNegation,
    SavingsPlanRecurringFee,
    Fee,                    // a Reserved Instance's upfront payment (the run's share of it)
    SavingsPlanUpfrontFee,  // a Savings Plan's upfront payment (the run's share of it)
};
std::string_view to_string(LineItemType type);

// One stretch of time a resource was billed for: for an EC2 instance, from entering running
// to leaving it (stopping, shutting-down); for RDS, from available to stopped or deleted.
struct RunInterval {
    SimTime start = 0;
    SimTime end = 0;
};

// Cost allocation tags of a charge (key -> value), sorted by key.
using Tags = std::map<std::string, std::string>;

// What a charge line bills, fixed when it is added.
struct ChargeSpec {
    std::string resource_id;  // CUR lineItem/ResourceId: "i-web-3", "vol-web-3", "alb/web"
    LineItem line_item = LineItem::Ec2OnDemand;
    std::string usage_type;  // CUR lineItem/UsageType: "BoxUsage:m5.large", "LCUUsage", ...
    Tags tags;
    LineItemType type = LineItemType::Usage;
    // Keep each run's billed stretch (EC2 On-Demand lines when the scenario holds Reserved
    // Instances or Savings Plans, which apply per clock hour: commitments.hpp).
    bool keep_runs = false;
    // Where and what the usage is, for the commitments that match on it (commitments.hpp): an
    // instance's AZ, a DB instance's engine ("mysql", "postgresql"). Not in bill.csv.
    std::string availability_zone;
    std::string product;
    // Last, next to ChargeLine's accrued figures. Performance: BillingLedger::advance_to reads
    // these and writes those for every running line at every fluid slice; side by side they
    // are one or two cache lines a line instead of three or four.
    PricingUnit unit = PricingUnit::Hrs;
    double rate = 0;  // USD per unit
    // For a time-based unit, the units one hour of running accrues before the month division:
    // 1 per instance-hour, the size in GB for a GB-month, the number of LCUs for LCU-hours, vCPUs
    // for surplus credits.
    double size = 1;
    SimTime minimum = 0;    // each run (start to stop) bills at least this long
    SimTime increment = 0;  // each run is rounded up to a multiple of this; 0: continuous
};

// A charge line and what it has accrued so far.
struct ChargeLine {
    ChargeSpec spec;
    double usage_quantity = 0;  // in spec.unit
    double cost = 0;            // USD
    SimTime last_accrued = 0;   // usage is accrued up to here, while running
    SimTime run_start = 0;      // start of the current run, while running
    bool running = false;
    bool uniform_rate = true;  // false once usage was priced at more than one rate
    // With spec.keep_runs: each ended run, extended to its billed length (minimum, increment).
    std::vector<RunInterval> runs;

    // The rate to show: the line's rate, or the blended rate (cost / usage) once it varied.
    double effective_rate() const;
};

// The calendar month holding simulated time `t` of a run that starts at Unix time
// `start_epoch_s` (UTC), as simulated times: [begin, end).
struct CalendarMonth {
    SimTime begin = 0;
    SimTime end = 0;
    double hours() const { return to_seconds(end - begin) / 3600.0; }
};
CalendarMonth calendar_month_at(std::int64_t start_epoch_s, SimTime t);

class BillingLedger {
  public:
    using ChargeId = std::size_t;

    // GB-month charges are pro-rated by the hours of the calendar month the usage falls in
    // (AWS: 30 GB for 24 hours of a 30-day month is 1 GB-month), the run starting at Unix time
    // `start_epoch_s`. Without a calendar a month is scenario::kHoursPerMonth (730) hours.
    void set_calendar(std::int64_t start_epoch_s) { calendar_epoch_s_ = start_epoch_s; }

    // Setup: a new charge line, not running and with nothing accrued. Ids are dense from 0.
    ChargeId add(ChargeSpec spec);

    // A time-based charge begins a run at `now` (an instance enters running, a volume or a load
    // balancer is created). Each start begins a new minimum: a stop/start bills two minimums;
    // a reboot is not a stop and must not call this. Throws std::logic_error on a charge that
    // is running or not time-based.
    void start(ChargeId id, SimTime now);
    // The run ends at `now`: usage accrues up to now, then the run is topped up to its
    // minimum and rounded up to its increment. Does nothing on a charge that is not running.
    void stop(ChargeId id, SimTime now);
    // Accrues every running charge up to `now`; call before reading costs mid-run.
    void advance_to(SimTime now);
    // Stops every running charge at the end of the run: the bill of a run is what it would be
    // if everything were released then, minimums included.
    void finish(SimTime end);

    // New size (GB, LCUs, ...) or rate (a Spot price change) from `now` on: a running charge
    // first accrues up to now at the old figure.
    void set_size(ChargeId id, double size, SimTime now);
    void set_rate(ChargeId id, double rate, SimTime now);

    // Usage counted directly, priced at the line's rate (GB processed, LCU-hours measured).
    void accrue(ChargeId id, double quantity);
    // Stops the line and cancels its cost (a Spot Instance EC2 interrupted in its first hour
    // is not charged); the usage stays on the bill at no cost.
    void waive(ChargeId id, SimTime now);
    // Usage whose price the caller worked out (tiered internet egress): `cost` for `quantity`.
    void accrue_priced(ChargeId id, double quantity, double cost);
    // Moves usage out of a line that has ended (to the lines of the commitment that covers it):
    // `quantity` and `cost` come off it.
    void remove_usage(ChargeId id, double quantity, double cost);

    std::size_t size() const { return lines_.size(); }
    const ChargeLine& line(ChargeId id) const { return lines_.at(id); }
    const std::vector<ChargeLine>& lines() const { return lines_; }

    double total() const;  // USD accrued so far, every line
    // The same sum kept (compensated) as the charges accrue, in the order they accrued, so
    // it may differ from total() in the last bits. Performance: the metrics periods' cost
    // gauge reads it every minute, and total() adds every line of the run (a month launches
    // thousands of instances, each with its lines).
    double accrued_total() const { return accrued_sum_ + accrued_compensation_; }
    double total(LineItem item) const;
    std::array<double, kLineItemCount> by_line_item() const;  // indexed like kLineItems
    // USD per "key=value" tag. A line with several tags counts under each, as Cost Explorer
    // groups by one tag key at a time; untagged lines appear under no tag.
    std::map<std::string, double> by_tag() const;
    // USD per hour that the running time-based charges add at the time of the last
    // advance_to, a GB-month line's at the hours of that time's month.
    double cost_rate_per_hour() const;
    // USD the running time-based charges have added since they last accrued, at `now`: each
    // one's hourly cost times the hours since, a GB-month line's taken month by month over
    // the time since (its GB-months of that time, as accrual would count them). Performance: a
    // metrics period between two accruals (advance_to) reads the bill from it in O(1), kept as
    // sums (the running rates, and each line's rate times its last accrual) updated when a
    // line starts, stops or changes size or rate; it is exactly 0 at the time of the last
    // advance_to.
    double unaccrued_cost(SimTime now) const;
    double unaccrued_cost(ChargeId id, SimTime now) const;  // one line's part (0 if stopped)

    // One row per charge line, in the order they were added, with a header:
    // resource_id,line_item,line_item_type,usage_type,usage_quantity,unit,rate_usd,cost_usd,tags
    // (CUR lineItem/ResourceId, -, lineItem/LineItemType, lineItem/UsageType, lineItem/UsageAmount,
    // pricing/unit, lineItem/UnblendedRate, lineItem/UnblendedCost, resourceTags as
    // key=value;key=value). Numbers are written in their shortest exact form, so the rows sum back
    // to total().
    std::string bill_csv() const;

  private:
    ChargeLine& at(ChargeId id) { return lines_.at(id); }
    // Accrues [from, to) of running time: hours, or GB-months split at month boundaries.
    void accrue_time(ChargeLine& line, SimTime from, SimTime to);
    // accrue_time's parts: the units of [from, to), and adding them (usage, cost, total).
    double time_units(const ChargeLine& line, SimTime from, SimTime to) const;
    void add_time_units(ChargeLine& line, double units);
    // Month-hours (units of a GB-month charge of size 1) in [from, to).
    double month_fraction(SimTime from, SimTime to) const;
    // Accrues a running line up to `now`, tops the run up to its minimum and marks it stopped
    // (the caller takes it out of running_).
    void end_run(ChargeLine& line, SimTime now);

    std::optional<std::int64_t> calendar_epoch_s_;
    mutable CalendarMonth month_;  // the last month looked up (accrual is mostly within one)

    std::vector<ChargeLine> lines_;
    void add_to_total(double x);
    double accrued_sum_ = 0, accrued_compensation_ = 0;
    // Performance: the ids of the running lines, ascending (a month launches thousands of
    // instances; a few hundred run at a time).
    std::vector<ChargeId> running_;
    // The running rate (unaccrued_cost), kept in two parts: USD per hour of the running lines
    // priced by the hour, with the sum of each one's hourly cost times its hours from
    // rate_anchor_ to its last accrual; and USD per month of the GB-month lines, with each
    // one's monthly cost times its month_fraction over the same span. A GB-month line's cost
    // between two accruals is then taken at the hours of the month the time falls in, not of
    // the month of its last accrual (which read the old month's rate just after a month ends).
    double hourly_cost(const ChargeLine& line) const;
    void add_running_rate(const ChargeLine& line, double sign);
    double running_rate_ = 0, running_rate_since_ = 0;
    double running_month_rate_ = 0, running_month_since_ = 0;
    SimTime rate_anchor_ = 0;
};

// ---- Billing rules as pure functions --------------------------------------------------------

constexpr SimTime kFargateMinimumPerTask = 60 * kSecond;  // the Fargate pricing page
// Windows containers on Fargate: per second, 5 minutes at least (the same page).
constexpr SimTime kFargateWindowsMinimumPerTask = 5 * kMinute;
constexpr int kFargateFreeEphemeralGb = 20;  // each task's ephemeral storage, free (same page)
constexpr SimTime kEc2MinimumPerStart = 60 * kSecond;   // per-second billing, docs/pricing.md
constexpr SimTime kRdsMinimumPerStart = 10 * kMinute;   // RDS pricing, docs/pricing.md
constexpr SimTime kEbsMinimumPerVolume = 60 * kSecond;  // EBS pricing, docs/pricing.md

// Seconds billed for a set of runs: each run rounded up to whole `increment`s (0: exact),
// then raised to `minimum`. Throws std::invalid_argument for a run that ends before it starts.
double billable_seconds(const std::vector<RunInterval>& runs, SimTime minimum, SimTime increment);
// EC2 Linux: per second, 60 seconds minimum each time the instance enters running.
double ec2_billable_seconds(const std::vector<RunInterval>& runs);
// RDS: per second, 10 minutes minimum per start; Multi-AZ bills the standby as well, so the
// result (instance-seconds at the Single-AZ rate) doubles.
double rds_billable_seconds(const std::vector<RunInterval>& runs, bool multi_az);

// Capacity units as AWS bills them (Elastic Load Balancing pricing): for each clock hour, the
// hour's average of each dimension divided by what one unit provides, and the largest of those
// is the hour's LCUs (NLCUs), billed as that many unit-hours. A partial hour (the run's first
// or last) bills the same averages over the whole hour: its usage divided by 3,600 s.
// add() takes a measured slice [from, to) in which each dimension ran at `units` (its units an
// hour, each dimension already divided by what one unit provides) and returns the unit-hours
// the bill grows by: the hour's largest sum so far less what the hour has billed, so the bill
// never goes down and, at the end of each hour, holds exactly the hour's largest dimension. A
// slice across a clock hour is split at it, the traffic being even within the slice.
class HourlyCapacityUnits {
  public:
    static constexpr std::size_t kDimensions = 4;
    using Units = std::array<double, kDimensions>;
    // `past_the_hour`: how far into its clock hour the run starts (UTC).
    explicit HourlyCapacityUnits(SimTime past_the_hour = 0) : past_the_hour_(past_the_hour) {}
    double add(SimTime from, SimTime to, const Units& units);
    // The clock hour now accumulating (hours since the run's first clock hour), its unit-hours
    // per dimension so far and what it billed (the largest of them).
    std::int64_t hour() const { return hour_; }
    const Units& sums() const { return sums_; }
    double billed() const { return billed_; }

  private:
    SimTime past_the_hour_;
    std::int64_t hour_ = 0;
    Units sums_{};
    double billed_ = 0;
};

// ALB Load Balancer Capacity Units: the largest of the four dimensions, each divided by what
// one LCU provides: 25 new connections/s, 3,000 active connections/min, 1 GB/h processed
// (EC2, IP or container targets; 0.4 GB/h for Lambda), 1,000 rule evaluations/s.
constexpr double kLcuNewConnectionsPerS = 25;
constexpr double kLcuActiveConnectionsPerMin = 3000;
constexpr double kLcuProcessedGbPerHour = 1;
constexpr double kLcuProcessedGbPerHourLambda = 0.4;
constexpr double kLcuRuleEvaluationsPerS = 1000;
constexpr double kAlbFreeRulesPerRequest = 10;
double alb_lcus(double new_connections_per_s, double active_connections_per_min,
                double processed_gb_per_hour, double rule_evaluations_per_s,
                bool lambda_targets = false);
// The four dimensions in LCUs (new connections, active connections, processed bytes, rule
// evaluations): alb_lcus is their largest, HourlyCapacityUnits bills them by the hour.
HourlyCapacityUnits::Units alb_lcu_dimensions(double new_connections_per_s,
                                              double active_connections_per_min,
                                              double processed_gb_per_hour,
                                              double rule_evaluations_per_s,
                                              bool lambda_targets = false);
// Billable rule evaluations per second: the first 10 rules a request is checked against free.
double alb_rule_evaluations_per_s(double requests_per_s, double rules_per_request);
// Network Load Balancer capacity units (NLCU) for TCP traffic: the largest of three
// dimensions, each divided by what one NLCU provides: 800 new connections/s, 100,000 active
// connections (sampled per minute), 1 GB/h processed; an NLB evaluates no rules (Elastic Load
// Balancing pricing). UDP (400 new flows/s, 50,000 active) and TLS listeners (50 new/s, 3,000
// active) have other figures; the model's listeners carry TCP.
constexpr double kNlcuNewTcpConnectionsPerS = 800;
constexpr double kNlcuActiveTcpConnections = 100000;
constexpr double kNlcuProcessedGbPerHour = 1;
double nlb_tcp_nlcus(double new_connections_per_s, double active_connections,
                     double processed_gb_per_hour);
// The three dimensions in NLCUs (new connections, active connections, processed bytes; the
// fourth, rule evaluations, 0).
HourlyCapacityUnits::Units nlb_tcp_nlcu_dimensions(double new_connections_per_s,
                                                   double active_connections,
                                                   double processed_gb_per_hour);

// The clients' connections to a load balancer (HTTP keep-alive), as the LCU counts them.
struct LbConnections {
    double new_per_s = 0;  // new connections per second
    double active = 0;     // connections open at once (the LCU's "active connections per minute")
};
// A client opens a connection, sends `requests_per_connection` requests spread evenly over
// `connection_duration_s` seconds and closes it: requests_per_s / requests_per_connection new
// connections a second, each open connection_duration_s (Little's law: active = new x
// duration). The load balancer closes a connection idle for `idle_timeout_s`: when the gap
// between a connection's requests (duration / requests) is longer, every request comes on a
// connection of its own that the load balancer closes idle_timeout_s after it. Without a
// duration (0) a connection is open only while a request is in flight on it: active =
// `in_flight`. Active is never below in_flight.
// AWS's pricing example: 5 requests/s, 5 per connection, 2 minutes each: 1 new/s, 120 active.
LbConnections lb_client_connections(double requests_per_s, double requests_per_connection,
                                    double connection_duration_s, double idle_timeout_s,
                                    double in_flight);

// GB-months of `gb` kept for `duration`, a month being kHoursPerMonth (730) hours (the AWS
// Pricing Calculator's month; the ledger uses the calendar, see calendar_gb_months).
double gb_months(double gb, SimTime duration);
// GB-months of `gb` kept over [from, to) of a run starting at Unix time `start_epoch_s`: each
// calendar month's share is its hours held over its hours (AWS's proration).
double calendar_gb_months(double gb, std::int64_t start_epoch_s, SimTime from, SimTime to);
// IP-hours of `addresses` public IPv4 addresses held for `duration`, attached or idle.
double public_ipv4_hours(double addresses, SimTime duration);
// Cost of `gb` more internet egress in a month that already moved `gb_this_month_before`:
// free up to the monthly allowance, then each tier at its price.
double internet_egress_cost(const scenario::PriceList& prices, double gb_this_month_before,
                            double gb);
// T3/T3a/T4g unlimited mode: one CPU credit is one vCPU at 100 % for one minute, so surplus
// credits charged are credits / 60 vCPU-hours at the surplus rate.
double surplus_credit_vcpu_hours(double surplus_credits);
// Cost of `gb` crossing between two AZs: charged out of one and into the other.
double inter_az_transfer_cost(const scenario::PriceList& prices, double gb);

// ---- Charge lines as AWS bills them -----------------------------------------------------------
// The usage types are those of the Cost and Usage Report, without the region prefix.

// An EC2 instance-hour line: per second, 60 s minimum per start; Spot at the pool's price.
ChargeSpec ec2_instance_charge(std::string instance_id, std::string_view instance_type,
                               double hourly, bool spot, Tags tags = {});
// Surplus CPU credits of an unlimited T instance (usage type CPUCredits:<family>), billed with
// EC2: accrue surplus_credit_vcpu_hours when EC2 charges them (stop, terminate, 24 h cap).
ChargeSpec t_unlimited_surplus_charge(std::string instance_id, std::string_view instance_family,
                                      const scenario::PriceList& prices, Tags tags = {});
// A gp3 volume: per GB-month, billed per second with a 60 s minimum.
ChargeSpec ebs_gp3_charge(std::string volume_id, double gb, const scenario::PriceList& prices,
                          Tags tags = {});
// A standard-tier EBS snapshot, per GB-month of its (incremental) size.
ChargeSpec snapshot_charge(std::string snapshot_id, double gb, const scenario::PriceList& prices,
                           Tags tags = {});
// A public IPv4 address (auto-assigned or Elastic IP), in use or idle: the same price.
ChargeSpec public_ipv4_charge(std::string address_id, bool idle, const scenario::PriceList& prices,
                              Tags tags = {});
// An Application Load Balancer's hours (partial hours billed as full hours) and its LCU-hours
// (a running line whose size is the current LCU count).
ChargeSpec alb_hour_charge(std::string load_balancer_id, const scenario::PriceList& prices,
                           Tags tags = {});
ChargeSpec alb_lcu_charge(std::string load_balancer_id, const scenario::PriceList& prices,
                          Tags tags = {});
// A Classic Load Balancer's data processing: every GB through it (usage type
// DataProcessing-Bytes); its hours are alb_hour_charge's line at the CLB's hourly price.
ChargeSpec clb_data_processing_charge(std::string load_balancer_id,
                                      const scenario::PriceList& prices, Tags tags = {});
// A NAT gateway's hours (partial hours as full, like ELB) and the GB it processes.
ChargeSpec nat_gateway_hour_charge(std::string nat_gateway_id, const scenario::PriceList& prices,
                                   Tags tags = {});
ChargeSpec nat_gateway_gb_charge(std::string nat_gateway_id, const scenario::PriceList& prices,
                                 Tags tags = {});
// An interface VPC endpoint's hours in one AZ (one line per endpoint and AZ; partial hours as
// full) and the GB it processes. Gateway endpoints are free and have no line.
ChargeSpec vpc_endpoint_hour_charge(std::string vpc_endpoint_id, const scenario::PriceList& prices,
                                    Tags tags = {});
ChargeSpec vpc_endpoint_gb_charge(std::string vpc_endpoint_id, const scenario::PriceList& prices,
                                  Tags tags = {});
// Data transfer lines: between AZs, priced per GB on each side, so a GB crossing is accrued as
// 2 GB (inter_az_transfer_cost gives the same figure); and out to the internet, tiered: accrue
// with accrue_priced and internet_egress_cost.
ChargeSpec inter_az_transfer_charge(std::string resource_id, const scenario::PriceList& prices,
                                    Tags tags = {});
ChargeSpec internet_egress_charge(std::string resource_id, const scenario::PriceList& prices,
                                  Tags tags = {});
// An RDS DB instance: per second, 10 minutes minimum per start, Multi-AZ twice.
ChargeSpec rds_instance_charge(std::string db_instance_id, std::string_view db_instance_class,
                               double single_az_hourly, bool multi_az, Tags tags = {});
// The platform a Fargate task is billed at: its runtime_platform.
enum class FargatePlatform { LinuxX86, LinuxArm, Windows };
// A Fargate task's vCPUs and memory: per second from the image pull to the task's stop,
// rounded up to a second, one minute at least (Windows: five). Usage types: Linux/x86
// Fargate-vCPU-Hours:perCPU and Fargate-GB-Hours; Linux/ARM Fargate-ARM-vCPU-Hours:perCPU and
// Fargate-ARM-GB-Hours; Windows Fargate-Windows-vCPU-Hours:perCPU and Fargate-Windows-GB-Hours.
// A FARGATE_SPOT task (Linux only) bills at the Fargate Spot rates, SpotUsage-Fargate-....
ChargeSpec fargate_vcpu_charge(std::string task_id, double vcpu, const scenario::PriceList& prices,
                               Tags tags = {}, bool spot = false,
                               FargatePlatform platform = FargatePlatform::LinuxX86);
ChargeSpec fargate_memory_charge(std::string task_id, double gb, const scenario::PriceList& prices,
                                 Tags tags = {}, bool spot = false,
                                 FargatePlatform platform = FargatePlatform::LinuxX86);
// A Windows task's OS license fee per vCPU-hour over the same time as its vCPUs
// (Fargate-Windows-OS-Hours:perCPU), five minutes at least.
ChargeSpec fargate_windows_license_charge(std::string task_id, double vcpu,
                                          const scenario::PriceList& prices, Tags tags = {});
// A Fargate task's ephemeral storage above the free 20 GB (`gb`), per GB-hour over the same
// time as its vCPUs (Fargate-EphemeralStorage-GB-Hours).
ChargeSpec fargate_storage_charge(std::string task_id, double gb, const scenario::PriceList& prices,
                                  Tags tags = {},
                                  FargatePlatform platform = FargatePlatform::LinuxX86);
// Amazon ECR: a repository's images, per GB-month of their size (TimedStorage-ByteHrs).
ChargeSpec ecr_storage_charge(std::string repository_id, double gb,
                              const scenario::PriceList& prices, Tags tags = {});
// Images pulled from a repository of another region: data transfer out of that region to
// this one, per GB at `rate` (the repository region's inter-region rate; AWS-Out-Bytes,
// under data_transfer). A pull within the region is free.
ChargeSpec ecr_cross_region_charge(std::string repository_id, double rate, Tags tags = {});
// Container Insights of a cluster: its custom metrics (CW:MetricMonitorUsage) per
// metric-month, `metrics` of them, pro-rated by the hour (a started hour as a whole one); its
// performance log events ingested per GB (DataProcessing-Bytes).
ChargeSpec container_insights_metrics_charge(std::string cluster_id, double metrics,
                                             const scenario::PriceList& prices, Tags tags = {});
ChargeSpec container_insights_logs_charge(std::string cluster_id, const scenario::PriceList& prices,
                                          Tags tags = {});
// S3 Standard storage of a bucket, per GB-month (set_size as it grows).
ChargeSpec s3_standard_charge(std::string bucket, double gb, const scenario::PriceList& prices,
                              Tags tags = {});
// Any other line of an S3 bucket: storage of a class (GbMonth, set_size), requests
// (Requests, accrue), retrieval or transfer (Gb, accrue), monitoring (ObjectMonth, set_size).
ChargeSpec s3_charge(std::string bucket, LineItem item, std::string usage_type, PricingUnit unit,
                     double rate, Tags tags = {});

}  // namespace stratus::cloud
