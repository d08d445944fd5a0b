#include "sim/cloud/billing.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include <chrono>

#include <date/date.h>
#include <fmt/format.h>

#include "sim/scenario/price_list.hpp"

namespace stratus::cloud {
namespace {

constexpr double kSecondsPerHour = 3600.0;

double hours(SimTime t) {
    return to_seconds(t) / kSecondsPerHour;
}

// How many units one hour of running accrues per unit of size.
double units_per_hour(PricingUnit unit) {
    return is_monthly(unit) ? 1.0 / scenario::kHoursPerMonth : 1.0;
}

// A run's billed length: rounded up to whole increments, then raised to the minimum.
SimTime billed_length(SimTime run, SimTime minimum, SimTime increment) {
    SimTime billed = run;
    if (increment > 0) billed = (run + increment - 1) / increment * increment;
    return std::max(billed, minimum);
}

// RFC 4180 quoting, only when a field needs it.
std::string csv_field(std::string_view s) {
    if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string tags_text(const Tags& tags) {
    std::string out;
    for (const auto& [k, v] : tags) {
        if (!out.empty()) out += ';';
        out += k + "=" + v;
    }
    return out;
}

}  // namespace

std::string_view to_string(LineItem item) {
    switch (item) {
        case LineItem::Ec2OnDemand:
            return "ec2_on_demand";
        case LineItem::Ec2Spot:
            return "ec2_spot";
        case LineItem::Ebs:
            return "ebs";
        case LineItem::PublicIpv4:
            return "public_ipv4";
        case LineItem::LoadBalancer:
            return "load_balancer";
        case LineItem::NatGateway:
            return "nat_gateway";
        case LineItem::DataTransfer:
            return "data_transfer";
        case LineItem::Rds:
            return "rds";
        case LineItem::Snapshots:
            return "snapshots";
        case LineItem::S3:
            return "s3";
        case LineItem::Fargate:
            return "fargate";
        case LineItem::VpcEndpoint:
            return "vpc_endpoint";
        case LineItem::Ecr:
            return "ecr";
        case LineItem::CloudWatch:
            return "cloudwatch";
    }
    return "?";
}

std::string_view to_string(LineItemType type) {
    switch (type) {
        case LineItemType::Usage:
            return "Usage";
        case LineItemType::DiscountedUsage:
            return "DiscountedUsage";
        case LineItemType::RIFee:
            return "RIFee";
        case LineItemType::SavingsPlanCoveredUsage:
            return "SavingsPlanCoveredUsage";
        case LineItemType::SavingsPlanNegation:
            return "SavingsPlanNegation";
        case LineItemType::SavingsPlanRecurringFee:
            return "SavingsPlanRecurringFee";
        case LineItemType::Fee:
            return "Fee";
        case LineItemType::SavingsPlanUpfrontFee:
            return "SavingsPlanUpfrontFee";
    }
    return "";
}

std::string_view to_string(PricingUnit unit) {
    switch (unit) {
        case PricingUnit::Hrs:
            return "Hrs";
        case PricingUnit::GbMonth:
            return "GB-Mo";
        case PricingUnit::Gb:
            return "GB";
        case PricingUnit::LcuHrs:
            return "LCU-Hrs";
        case PricingUnit::VcpuHours:
            return "vCPU-Hours";
        case PricingUnit::Requests:
            return "Requests";
        case PricingUnit::ObjectMonth:
            return "Objects";
        case PricingUnit::GbHours:
            return "GB-Hours";
        case PricingUnit::MetricMonth:
            return "Metrics";
        case PricingUnit::TagMonth:
            return "Tag-Mo";
    }
    return "?";
}

bool is_time_based(PricingUnit unit) {
    return unit != PricingUnit::Gb && unit != PricingUnit::Requests;
}

bool is_monthly(PricingUnit unit) {
    return unit == PricingUnit::GbMonth || unit == PricingUnit::ObjectMonth ||
           unit == PricingUnit::MetricMonth || unit == PricingUnit::TagMonth;
}

double ChargeLine::effective_rate() const {
    if (uniform_rate || usage_quantity <= 0) return spec.rate;
    return cost / usage_quantity;
}

// ---- BillingLedger ----------------------------------------------------------------------------

BillingLedger::ChargeId BillingLedger::add(ChargeSpec spec) {
    ChargeLine line;
    line.spec = std::move(spec);
    lines_.push_back(std::move(line));
    return lines_.size() - 1;
}

CalendarMonth calendar_month_at(std::int64_t start_epoch_s, SimTime t) {
    using std::chrono::duration_cast;
    using std::chrono::microseconds;
    using std::chrono::seconds;
    const date::sys_seconds start{seconds{start_epoch_s}};
    const date::sys_seconds at = start + duration_cast<seconds>(microseconds{t});
    const date::year_month_day day{date::floor<date::days>(at)};
    const date::year_month ym{day.year(), day.month()};
    const date::sys_seconds first{date::sys_days{ym / 1}};
    const date::sys_seconds next{date::sys_days{(ym + date::months{1}) / 1}};
    CalendarMonth m;
    m.begin = duration_cast<microseconds>(first - start).count();
    m.end = duration_cast<microseconds>(next - start).count();
    return m;
}

double BillingLedger::month_fraction(SimTime from, SimTime to) const {
    if (!calendar_epoch_s_) return hours(to - from) / scenario::kHoursPerMonth;
    double units = 0;
    for (SimTime t = from; t < to;) {
        if (t < month_.begin || t >= month_.end) month_ = calendar_month_at(*calendar_epoch_s_, t);
        const SimTime until = std::min(to, month_.end);
        units += hours(until - t) / month_.hours();
        t = until;
    }
    return units;
}

double BillingLedger::time_units(const ChargeLine& line, SimTime from, SimTime to) const {
    return is_monthly(line.spec.unit)
               ? line.spec.size * month_fraction(from, to)
               : line.spec.size * hours(to - from) * units_per_hour(line.spec.unit);
}

void BillingLedger::accrue_time(ChargeLine& line, SimTime from, SimTime to) {
    if (to <= from) return;
    add_time_units(line, time_units(line, from, to));
}

void BillingLedger::add_time_units(ChargeLine& line, double units) {
    line.usage_quantity += units;
    line.cost += units * line.spec.rate;
    add_to_total(units * line.spec.rate);
}

void BillingLedger::start(ChargeId id, SimTime now) {
    ChargeLine& line = at(id);
    if (!is_time_based(line.spec.unit))
        throw std::logic_error("billing: start on a charge that is not time-based: " +
                               line.spec.resource_id + " " + line.spec.usage_type);
    if (line.running)
        throw std::logic_error("billing: start on a running charge: " + line.spec.resource_id +
                               " " + line.spec.usage_type);
    line.running = true;
    line.run_start = now;
    line.last_accrued = now;
    add_running_rate(line, +1);
    running_.insert(std::lower_bound(running_.begin(), running_.end(), id), id);
}

void BillingLedger::stop(ChargeId id, SimTime now) {
    if (!at(id).running) return;
    end_run(at(id), now);
    running_.erase(std::lower_bound(running_.begin(), running_.end(), id));
}

void BillingLedger::end_run(ChargeLine& line, SimTime now) {
    if (now < line.last_accrued)
        throw std::logic_error("billing: time went backwards for " + line.spec.resource_id);
    add_running_rate(line, -1);
    accrue_time(line, line.last_accrued, now);
    const SimTime run = now - line.run_start;
    const SimTime billed = billed_length(run, line.spec.minimum, line.spec.increment);
    // The top-up is priced at the size and rate in force when the run ends, as the time just
    // after it.
    accrue_time(line, now, now + billed - run);
    if (line.spec.keep_runs) line.runs.push_back({line.run_start, line.run_start + billed});
    line.running = false;
}

void BillingLedger::advance_to(SimTime now) {
    // Performance: the units are a function of the unit, the size and the span; running lines
    // mostly share all three (every instance of a type, accrued at every metrics period), so
    // the last line's units serve the next alike one.
    bool memo = false;
    PricingUnit memo_unit{};
    double memo_size = 0, memo_units = 0;
    SimTime memo_from = 0;
    // Every running line accrues up to now: the running rate starts afresh (exact again),
    // each line's rate added once it has accrued, in the same order as a second pass would
    // (Performance: one walk over the lines, not two; each line is a cache miss or two).
    rate_anchor_ = now;
    running_rate_ = running_rate_since_ = 0;
    running_month_rate_ = running_month_since_ = 0;
    for (ChargeId id : running_) {
        ChargeLine& line = lines_[id];
        if (now < line.last_accrued)
            throw std::logic_error("billing: time went backwards for " + line.spec.resource_id);
        if (now > line.last_accrued) {
            if (!memo || line.spec.unit != memo_unit || line.spec.size != memo_size ||
                line.last_accrued != memo_from) {
                memo = true;
                memo_unit = line.spec.unit;
                memo_size = line.spec.size;
                memo_from = line.last_accrued;
                memo_units = time_units(line, line.last_accrued, now);
            }
            add_time_units(line, memo_units);
        }
        line.last_accrued = now;
        // add_running_rate(line, +1) with the line's last accrual at rate_anchor_: an hourly
        // line adds its hourly cost to the running rate, and x x 0 hours (+0 for a finite
        // price) to running_rate_since_, which stays +0. Performance: inline, without the
        // unit's two look-ups (every running line, every fluid slice).
        if (is_monthly(line.spec.unit)) {
            add_running_rate(line, +1);
        } else {
            running_rate_ += line.spec.size * units_per_hour(line.spec.unit) * line.spec.rate;
        }
    }
}

void BillingLedger::finish(SimTime end) {
    // Every running line ends; running_ is emptied once (erasing each id in turn moved the
    // rest each time: quadratic in the fleet).
    for (ChargeId id : running_)
        end_run(lines_[id], end);
    running_.clear();
    running_rate_ = running_rate_since_ = 0;
    running_month_rate_ = running_month_since_ = 0;
}

void BillingLedger::set_size(ChargeId id, double size, SimTime now) {
    ChargeLine& line = at(id);
    if (line.running) {
        if (now < line.last_accrued)
            throw std::logic_error("billing: time went backwards for " + line.spec.resource_id);
        add_running_rate(line, -1);
        accrue_time(line, line.last_accrued, now);
        line.last_accrued = now;
    }
    line.spec.size = size;
    if (line.running) add_running_rate(line, +1);
}

void BillingLedger::set_rate(ChargeId id, double rate, SimTime now) {
    ChargeLine& line = at(id);
    if (line.running) {
        if (now < line.last_accrued)
            throw std::logic_error("billing: time went backwards for " + line.spec.resource_id);
        add_running_rate(line, -1);
        accrue_time(line, line.last_accrued, now);
        line.last_accrued = now;
    }
    if (rate != line.spec.rate && line.usage_quantity > 0) line.uniform_rate = false;
    line.spec.rate = rate;
    if (line.running) add_running_rate(line, +1);
}

void BillingLedger::waive(ChargeId id, SimTime now) {
    stop(id, now);
    ChargeLine& line = at(id);
    add_to_total(-line.cost);
    line.cost = 0;
    line.uniform_rate = false;
}

void BillingLedger::accrue(ChargeId id, double quantity) {
    ChargeLine& line = at(id);
    line.usage_quantity += quantity;
    line.cost += quantity * line.spec.rate;
    add_to_total(quantity * line.spec.rate);
}

void BillingLedger::accrue_priced(ChargeId id, double quantity, double cost) {
    ChargeLine& line = at(id);
    if (cost != quantity * line.spec.rate) line.uniform_rate = false;
    line.usage_quantity += quantity;
    line.cost += cost;
    add_to_total(cost);
}

void BillingLedger::add_to_total(double x) {
    // Neumaier's compensated sum: a month adds millions of small accruals to a total of
    // thousands, and a plain sum drifts by a millionth of a dollar from total().
    const double t = accrued_sum_ + x;
    if (std::abs(accrued_sum_) >= std::abs(x)) {
        accrued_compensation_ += (accrued_sum_ - t) + x;
    } else {
        accrued_compensation_ += (x - t) + accrued_sum_;
    }
    accrued_sum_ = t;
}

void BillingLedger::remove_usage(ChargeId id, double quantity, double cost) {
    ChargeLine& line = at(id);
    if (line.running)
        throw std::logic_error("billing: usage moved out of a running charge: " +
                               line.spec.resource_id);
    line.usage_quantity -= quantity;
    line.cost -= cost;
    add_to_total(-cost);
}

double BillingLedger::total() const {
    double sum = 0;
    for (const ChargeLine& line : lines_)
        sum += line.cost;
    return sum;
}

double BillingLedger::total(LineItem item) const {
    double sum = 0;
    for (const ChargeLine& line : lines_)
        if (line.spec.line_item == item) sum += line.cost;
    return sum;
}

std::array<double, kLineItemCount> BillingLedger::by_line_item() const {
    std::array<double, kLineItemCount> sums{};
    for (const ChargeLine& line : lines_)
        sums[static_cast<std::size_t>(line.spec.line_item)] += line.cost;
    return sums;
}

std::map<std::string, double> BillingLedger::by_tag() const {
    std::map<std::string, double> sums;
    for (const ChargeLine& line : lines_)
        for (const auto& [k, v] : line.spec.tags)
            sums[k + "=" + v] += line.cost;
    return sums;
}

double BillingLedger::hourly_cost(const ChargeLine& line) const {
    if (!is_monthly(line.spec.unit) || !calendar_epoch_s_)
        return line.spec.size * units_per_hour(line.spec.unit) * line.spec.rate;
    // A GB-month charge: at the hours of the month of the last advance_to.
    if (rate_anchor_ < month_.begin || rate_anchor_ >= month_.end)
        month_ = calendar_month_at(*calendar_epoch_s_, rate_anchor_);
    return line.spec.size * (1.0 / month_.hours()) * line.spec.rate;
}

double BillingLedger::cost_rate_per_hour() const {
    double rate = 0;
    for (ChargeId id : running_)
        rate += hourly_cost(lines_[id]);
    return rate;
}

void BillingLedger::add_running_rate(const ChargeLine& line, double sign) {
    if (is_monthly(line.spec.unit)) {
        // USD per month: its hours are those of the month the time falls in (month_fraction).
        const double rate = sign * line.spec.size * line.spec.rate;
        running_month_rate_ += rate;
        if (line.last_accrued != rate_anchor_)
            running_month_since_ += rate * month_fraction(rate_anchor_, line.last_accrued);
        return;
    }
    const double rate = sign * hourly_cost(line);
    running_rate_ += rate;
    running_rate_since_ += rate * hours(line.last_accrued - rate_anchor_);
}

double BillingLedger::unaccrued_cost(SimTime now) const {
    const double hourly = running_rate_ * hours(now - rate_anchor_) - running_rate_since_;
    return hourly + running_month_rate_ * month_fraction(rate_anchor_, now) - running_month_since_;
}

double BillingLedger::unaccrued_cost(ChargeId id, SimTime now) const {
    const ChargeLine& line = lines_.at(id);
    if (!line.running) return 0.0;
    if (is_monthly(line.spec.unit))
        return line.spec.size * line.spec.rate * month_fraction(line.last_accrued, now);
    return hourly_cost(line) * hours(now - line.last_accrued);
}

std::string BillingLedger::bill_csv() const {
    std::string out =
        "resource_id,line_item,line_item_type,usage_type,usage_quantity,unit,rate_usd,cost_usd,"
        "tags\n";
    for (const ChargeLine& line : lines_) {
        // A bill with inf or NaN in it is wrong, not merely odd: refuse to write it.
        if (!std::isfinite(line.usage_quantity) || !std::isfinite(line.effective_rate()) ||
            !std::isfinite(line.cost))
            throw std::runtime_error(fmt::format(
                "bill.csv: {} {} has a quantity, rate or cost that is not a finite number "
                "({}, {}, {}); nothing was written",
                line.spec.resource_id, line.spec.usage_type, line.usage_quantity,
                line.effective_rate(), line.cost));
        // "{}" is fmt's shortest representation that reads back to the same double.
        out += fmt::format("{},{},{},{},{},{},{},{},{}\n", csv_field(line.spec.resource_id),
                           to_string(line.spec.line_item), to_string(line.spec.type),
                           csv_field(line.spec.usage_type), line.usage_quantity,
                           to_string(line.spec.unit), line.effective_rate(), line.cost,
                           csv_field(tags_text(line.spec.tags)));
    }
    return out;
}

// ---- Pure rules -------------------------------------------------------------------------------

double billable_seconds(const std::vector<RunInterval>& runs, SimTime minimum, SimTime increment) {
    SimTime total = 0;
    for (const RunInterval& r : runs) {
        if (r.end < r.start)
            throw std::invalid_argument(
                fmt::format("billing: a run ends ({} s) before it starts ({} s)", to_seconds(r.end),
                            to_seconds(r.start)));
        total += billed_length(r.end - r.start, minimum, increment);
    }
    return to_seconds(total);
}

double ec2_billable_seconds(const std::vector<RunInterval>& runs) {
    return billable_seconds(runs, kEc2MinimumPerStart, kSecond);
}

double rds_billable_seconds(const std::vector<RunInterval>& runs, bool multi_az) {
    return billable_seconds(runs, kRdsMinimumPerStart, kSecond) * (multi_az ? 2 : 1);
}

HourlyCapacityUnits::Units alb_lcu_dimensions(double new_connections_per_s,
                                              double active_connections_per_min,
                                              double processed_gb_per_hour,
                                              double rule_evaluations_per_s, bool lambda_targets) {
    const double gb_per_lcu =
        lambda_targets ? kLcuProcessedGbPerHourLambda : kLcuProcessedGbPerHour;
    return {new_connections_per_s / kLcuNewConnectionsPerS,
            active_connections_per_min / kLcuActiveConnectionsPerMin,
            processed_gb_per_hour / gb_per_lcu, rule_evaluations_per_s / kLcuRuleEvaluationsPerS};
}

double alb_lcus(double new_connections_per_s, double active_connections_per_min,
                double processed_gb_per_hour, double rule_evaluations_per_s, bool lambda_targets) {
    const auto d =
        alb_lcu_dimensions(new_connections_per_s, active_connections_per_min, processed_gb_per_hour,
                           rule_evaluations_per_s, lambda_targets);
    return *std::max_element(d.begin(), d.end());
}

double alb_rule_evaluations_per_s(double requests_per_s, double rules_per_request) {
    return requests_per_s * std::max(0.0, rules_per_request - kAlbFreeRulesPerRequest);
}

HourlyCapacityUnits::Units nlb_tcp_nlcu_dimensions(double new_connections_per_s,
                                                   double active_connections,
                                                   double processed_gb_per_hour) {
    return {new_connections_per_s / kNlcuNewTcpConnectionsPerS,
            active_connections / kNlcuActiveTcpConnections,
            processed_gb_per_hour / kNlcuProcessedGbPerHour, 0.0};
}

double nlb_tcp_nlcus(double new_connections_per_s, double active_connections,
                     double processed_gb_per_hour) {
    const auto d =
        nlb_tcp_nlcu_dimensions(new_connections_per_s, active_connections, processed_gb_per_hour);
    return *std::max_element(d.begin(), d.end());
}

double HourlyCapacityUnits::add(SimTime from, SimTime to, const Units& units) {
    double added = 0;
    while (from < to) {
        const std::int64_t hour = (from + past_the_hour_) / kHour;  // from >= 0
        const SimTime end = std::min(to, (hour + 1) * kHour - past_the_hour_);
        if (hour != hour_) {
            hour_ = hour;
            sums_ = {};
            billed_ = 0;
        }
        const double h = hours(end - from);
        for (std::size_t k = 0; k < kDimensions; ++k)
            sums_[k] += units[k] * h;
        const double billed = *std::max_element(sums_.begin(), sums_.end());
        added += billed - billed_;
        billed_ = billed;
        from = end;
    }
    return added;
}

LbConnections lb_client_connections(double requests_per_s, double requests_per_connection,
                                    double connection_duration_s, double idle_timeout_s,
                                    double in_flight) {
    LbConnections c;
    const double per_connection = std::max(1.0, requests_per_connection);
    if (connection_duration_s <= 0) {
        c.new_per_s = requests_per_s / per_connection;
        c.active = in_flight;
    } else if (connection_duration_s / per_connection > idle_timeout_s) {
        // Closed by the load balancer between requests: one connection per request, idle
        // for the timeout after it.
        c.new_per_s = requests_per_s;
        c.active = std::max(in_flight, requests_per_s * idle_timeout_s);
    } else {
        c.new_per_s = requests_per_s / per_connection;
        c.active = std::max(in_flight, c.new_per_s * connection_duration_s);
    }
    return c;
}

double gb_months(double gb, SimTime duration) {
    return gb * hours(duration) / scenario::kHoursPerMonth;
}

double calendar_gb_months(double gb, std::int64_t start_epoch_s, SimTime from, SimTime to) {
    double months = 0;
    for (SimTime t = from; t < to;) {
        const CalendarMonth m = calendar_month_at(start_epoch_s, t);
        const SimTime until = std::min(to, m.end);
        months += hours(until - t) / m.hours();
        t = until;
    }
    return gb * months;
}

double public_ipv4_hours(double addresses, SimTime duration) {
    return addresses * hours(duration);
}

double internet_egress_cost(const scenario::PriceList& prices, double gb_this_month_before,
                            double gb) {
    // Price the slice [before, before + gb) of the month's cumulative egress tier by tier; the
    // free allowance comes off the bottom of the first tier.
    const double from = std::max(gb_this_month_before, prices.internet_egress_free_gb_month);
    const double to = gb_this_month_before + gb;
    double cost = 0;
    double lower = 0;
    for (const scenario::EgressTier& tier : prices.internet_egress_tiers) {
        const double lo = std::max(lower, from);
        const double hi = std::min(tier.up_to_gb, to);
        if (hi > lo) cost += (hi - lo) * tier.usd_per_gb;
        lower = tier.up_to_gb;
        if (lower >= to) break;
    }
    return cost;
}

double surplus_credit_vcpu_hours(double surplus_credits) {
    return surplus_credits / 60;  // credits are vCPU-minutes
}

double inter_az_transfer_cost(const scenario::PriceList& prices, double gb) {
    return 2 * gb * prices.inter_az_gb;
}

// ---- Charge lines -----------------------------------------------------------------------------

ChargeSpec ec2_instance_charge(std::string instance_id, std::string_view instance_type,
                               double hourly, bool spot, Tags tags) {
    ChargeSpec c;
    c.resource_id = std::move(instance_id);
    c.line_item = spot ? LineItem::Ec2Spot : LineItem::Ec2OnDemand;
    c.usage_type = fmt::format("{}:{}", spot ? "SpotUsage" : "BoxUsage", instance_type);
    c.unit = PricingUnit::Hrs;
    c.rate = hourly;
    c.minimum = kEc2MinimumPerStart;
    c.increment = kSecond;
    c.tags = std::move(tags);
    return c;
}

namespace {

ChargeSpec gb_month_charge(std::string id, LineItem item, std::string usage_type, double gb,
                           double rate, Tags tags) {
    ChargeSpec c;
    c.resource_id = std::move(id);
    c.line_item = item;
    c.usage_type = std::move(usage_type);
    c.unit = PricingUnit::GbMonth;
    c.rate = rate;
    c.size = gb;
    c.tags = std::move(tags);
    return c;
}

ChargeSpec simple_charge(std::string id, LineItem item, std::string usage_type, PricingUnit unit,
                         double rate, Tags tags) {
    ChargeSpec c;
    c.resource_id = std::move(id);
    c.line_item = item;
    c.usage_type = std::move(usage_type);
    c.unit = unit;
    c.rate = rate;
    c.tags = std::move(tags);
    return c;
}

}  // namespace

ChargeSpec t_unlimited_surplus_charge(std::string instance_id, std::string_view instance_family,
                                      const scenario::PriceList& prices, Tags tags) {
    return simple_charge(std::move(instance_id), LineItem::Ec2OnDemand,
                         fmt::format("CPUCredits:{}", instance_family), PricingUnit::VcpuHours,
                         prices.t_unlimited_surplus_vcpu_hour, std::move(tags));
}

ChargeSpec ebs_gp3_charge(std::string volume_id, double gb, const scenario::PriceList& prices,
                          Tags tags) {
    ChargeSpec c = gb_month_charge(std::move(volume_id), LineItem::Ebs, "EBS:VolumeUsage.gp3", gb,
                                   prices.ebs_gp3_gb_month, std::move(tags));
    c.minimum = kEbsMinimumPerVolume;
    c.increment = kSecond;
    return c;
}

ChargeSpec snapshot_charge(std::string snapshot_id, double gb, const scenario::PriceList& prices,
                           Tags tags) {
    return gb_month_charge(std::move(snapshot_id), LineItem::Snapshots, "EBS:SnapshotUsage", gb,
                           prices.snapshot_gb_month, std::move(tags));
}

ChargeSpec public_ipv4_charge(std::string address_id, bool idle, const scenario::PriceList& prices,
                              Tags tags) {
    return simple_charge(std::move(address_id), LineItem::PublicIpv4,
                         idle ? "PublicIPv4:IdleAddress" : "PublicIPv4:InUseAddress",
                         PricingUnit::Hrs, prices.public_ipv4_hour, std::move(tags));
}

ChargeSpec alb_hour_charge(std::string load_balancer_id, const scenario::PriceList& prices,
                           Tags tags) {
    ChargeSpec c =
        simple_charge(std::move(load_balancer_id), LineItem::LoadBalancer, "LoadBalancerUsage",
                      PricingUnit::Hrs, prices.alb_hour, std::move(tags));
    c.increment = kHour;  // a partial ALB-hour is billed as a full hour
    return c;
}

ChargeSpec alb_lcu_charge(std::string load_balancer_id, const scenario::PriceList& prices,
                          Tags tags) {
    ChargeSpec c = simple_charge(std::move(load_balancer_id), LineItem::LoadBalancer, "LCUUsage",
                                 PricingUnit::LcuHrs, prices.alb_lcu_hour, std::move(tags));
    c.size = 0;  // no LCUs until traffic is measured
    return c;
}

ChargeSpec clb_data_processing_charge(std::string load_balancer_id,
                                      const scenario::PriceList& prices, Tags tags) {
    return simple_charge(std::move(load_balancer_id), LineItem::LoadBalancer,
                         "DataProcessing-Bytes", PricingUnit::Gb, prices.clb_gb, std::move(tags));
}

ChargeSpec nat_gateway_hour_charge(std::string nat_gateway_id, const scenario::PriceList& prices,
                                   Tags tags) {
    ChargeSpec c =
        simple_charge(std::move(nat_gateway_id), LineItem::NatGateway, "NatGateway-Hours",
                      PricingUnit::Hrs, prices.nat_gateway_hour, std::move(tags));
    c.increment = kHour;  // as ELB; the reference does not state it (docs/pricing.md)
    return c;
}

ChargeSpec nat_gateway_gb_charge(std::string nat_gateway_id, const scenario::PriceList& prices,
                                 Tags tags) {
    return simple_charge(std::move(nat_gateway_id), LineItem::NatGateway, "NatGateway-Bytes",
                         PricingUnit::Gb, prices.nat_gateway_gb, std::move(tags));
}

ChargeSpec vpc_endpoint_hour_charge(std::string vpc_endpoint_id, const scenario::PriceList& prices,
                                    Tags tags) {
    // A partial hour is billed as a full one (the PrivateLink pricing page).
    ChargeSpec c =
        simple_charge(std::move(vpc_endpoint_id), LineItem::VpcEndpoint, "VpcEndpoint-Hours",
                      PricingUnit::Hrs, prices.vpc_endpoint_hour, std::move(tags));
    c.increment = kHour;
    return c;
}

ChargeSpec vpc_endpoint_gb_charge(std::string vpc_endpoint_id, const scenario::PriceList& prices,
                                  Tags tags) {
    return simple_charge(std::move(vpc_endpoint_id), LineItem::VpcEndpoint, "VpcEndpoint-Bytes",
                         PricingUnit::Gb, prices.vpc_endpoint_gb, std::move(tags));
}

ChargeSpec ecr_storage_charge(std::string repository_id, double gb,
                              const scenario::PriceList& prices, Tags tags) {
    ChargeSpec c =
        simple_charge(std::move(repository_id), LineItem::Ecr, "TimedStorage-ByteHrs",
                      PricingUnit::GbMonth, prices.ecr_storage_gb_month, std::move(tags));
    c.size = gb;
    return c;
}

ChargeSpec ecr_cross_region_charge(std::string repository_id, double rate, Tags tags) {
    return simple_charge(std::move(repository_id), LineItem::DataTransfer, "AWS-Out-Bytes",
                         PricingUnit::Gb, rate, std::move(tags));
}

ChargeSpec container_insights_metrics_charge(std::string cluster_id, double metrics,
                                             const scenario::PriceList& prices, Tags tags) {
    // CloudWatch prorates a metric by the hour: an hour it is published in counts whole.
    ChargeSpec c =
        simple_charge(std::move(cluster_id), LineItem::CloudWatch, "CW:MetricMonitorUsage",
                      PricingUnit::MetricMonth, prices.cloudwatch_metric_month, std::move(tags));
    c.size = metrics;
    c.increment = kHour;
    return c;
}

ChargeSpec container_insights_logs_charge(std::string cluster_id, const scenario::PriceList& prices,
                                          Tags tags) {
    return simple_charge(std::move(cluster_id), LineItem::CloudWatch, "DataProcessing-Bytes",
                         PricingUnit::Gb, prices.cloudwatch_logs_gb, std::move(tags));
}

ChargeSpec inter_az_transfer_charge(std::string resource_id, const scenario::PriceList& prices,
                                    Tags tags) {
    return simple_charge(std::move(resource_id), LineItem::DataTransfer,
                         "DataTransfer-Regional-Bytes", PricingUnit::Gb, prices.inter_az_gb,
                         std::move(tags));
}

ChargeSpec internet_egress_charge(std::string resource_id, const scenario::PriceList& prices,
                                  Tags tags) {
    // The rate shown is the first paid tier; accrue_priced makes the line's rate blended.
    const double first_paid =
        prices.internet_egress_tiers.empty() ? 0 : prices.internet_egress_tiers.front().usd_per_gb;
    return simple_charge(std::move(resource_id), LineItem::DataTransfer, "DataTransfer-Out-Bytes",
                         PricingUnit::Gb, first_paid, std::move(tags));
}

ChargeSpec rds_instance_charge(std::string db_instance_id, std::string_view db_instance_class,
                               double single_az_hourly, bool multi_az, Tags tags) {
    ChargeSpec c;
    c.resource_id = std::move(db_instance_id);
    c.line_item = LineItem::Rds;
    c.usage_type =
        fmt::format("{}:{}", multi_az ? "Multi-AZUsage" : "InstanceUsage", db_instance_class);
    c.unit = PricingUnit::Hrs;
    // The standby's instance-hours are billed too: the Multi-AZ rate is twice the Single-AZ one,
    // as the CUR shows it (hours of the DB instance at the Multi-AZ rate).
    c.rate = multi_az ? 2 * single_az_hourly : single_az_hourly;
    c.minimum = kRdsMinimumPerStart;
    c.increment = kSecond;
    c.tags = std::move(tags);
    return c;
}

ChargeSpec s3_standard_charge(std::string bucket, double gb, const scenario::PriceList& prices,
                              Tags tags) {
    return gb_month_charge(std::move(bucket), LineItem::S3, "TimedStorage-ByteHrs", gb,
                           prices.s3_standard_gb_month, std::move(tags));
}

ChargeSpec s3_charge(std::string bucket, LineItem item, std::string usage_type, PricingUnit unit,
                     double rate, Tags tags) {
    ChargeSpec c =
        simple_charge(std::move(bucket), item, std::move(usage_type), unit, rate, std::move(tags));
    c.size = 0;  // storage and monitoring lines grow with the bucket
    return c;
}

namespace {

// Per second, rounded up to a second, one minute at least (Windows: five).
ChargeSpec fargate_timed(ChargeSpec c, double size, FargatePlatform platform) {
    c.size = size;
    c.minimum = platform == FargatePlatform::Windows ? kFargateWindowsMinimumPerTask
                                                     : kFargateMinimumPerTask;
    c.increment = kSecond;
    return c;
}

}  // namespace

ChargeSpec fargate_vcpu_charge(std::string task_id, double vcpu, const scenario::PriceList& prices,
                               Tags tags, bool spot, FargatePlatform platform) {
    const bool arm = platform == FargatePlatform::LinuxArm;
    const bool windows = platform == FargatePlatform::Windows;
    const char* usage = windows ? "Fargate-Windows-vCPU-Hours:perCPU"
                        : spot
                            ? (arm ? "SpotUsage-Fargate-ARM-vCPU-Hours:perCPU"
                                   : "SpotUsage-Fargate-vCPU-Hours:perCPU")
                            : (arm ? "Fargate-ARM-vCPU-Hours:perCPU" : "Fargate-vCPU-Hours:perCPU");
    const double rate =
        windows ? prices.fargate_windows_vcpu_hour
        : spot  ? (arm ? prices.fargate_spot_arm_vcpu_hour : prices.fargate_spot_vcpu_hour)
                : (arm ? prices.fargate_arm_vcpu_hour : prices.fargate_vcpu_hour);
    return fargate_timed(simple_charge(std::move(task_id), LineItem::Fargate, usage,
                                       PricingUnit::VcpuHours, rate, std::move(tags)),
                         vcpu, platform);
}

ChargeSpec fargate_memory_charge(std::string task_id, double gb, const scenario::PriceList& prices,
                                 Tags tags, bool spot, FargatePlatform platform) {
    const bool arm = platform == FargatePlatform::LinuxArm;
    const bool windows = platform == FargatePlatform::Windows;
    const char* usage =
        windows ? "Fargate-Windows-GB-Hours"
        : spot  ? (arm ? "SpotUsage-Fargate-ARM-GB-Hours" : "SpotUsage-Fargate-GB-Hours")
                : (arm ? "Fargate-ARM-GB-Hours" : "Fargate-GB-Hours");
    const double rate = windows ? prices.fargate_windows_gb_hour
                        : spot
                            ? (arm ? prices.fargate_spot_arm_gb_hour : prices.fargate_spot_gb_hour)
                            : (arm ? prices.fargate_arm_gb_hour : prices.fargate_gb_hour);
    return fargate_timed(simple_charge(std::move(task_id), LineItem::Fargate, usage,
                                       PricingUnit::GbHours, rate, std::move(tags)),
                         gb, platform);
}

ChargeSpec fargate_windows_license_charge(std::string task_id, double vcpu,
                                          const scenario::PriceList& prices, Tags tags) {
    return fargate_timed(
        simple_charge(std::move(task_id), LineItem::Fargate, "Fargate-Windows-OS-Hours:perCPU",
                      PricingUnit::VcpuHours, prices.fargate_windows_os_vcpu_hour, std::move(tags)),
        vcpu, FargatePlatform::Windows);
}

ChargeSpec fargate_storage_charge(std::string task_id, double gb, const scenario::PriceList& prices,
                                  Tags tags, FargatePlatform platform) {
    return fargate_timed(simple_charge(std::move(task_id), LineItem::Fargate,
                                       "Fargate-EphemeralStorage-GB-Hours", PricingUnit::GbHours,
                                       prices.fargate_ephemeral_storage_gb_hour, std::move(tags)),
                         gb, platform);
}

}  // namespace stratus::cloud
