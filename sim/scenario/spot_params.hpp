#pragma once
// A Spot pool's parameters as a scenario gives them: the price models' parameters and their
// defaults (the region's default discount and interruption band per instance family), and
// price trace files. Data and syntax, no process: cloud::SpotPrice and cloud::SpotMarket
// (sim/cloud/spot_market.*) turn them into prices over time. docs/model.md, "Spot market",
// has the tables and the choices.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/sim_time.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::scenario {

// ---- Region defaults --------------------------------------------------------------------------

// Spot Instance Advisor's bands of the frequency of interruption over the previous month.
enum class InterruptionBand { Under5, From5To10, From10To15, From15To20, Over20 };
// "<5%", "5-10%", "10-15%", "15-20%", ">20%".
std::string_view to_string(InterruptionBand band);
// The monthly rate a band stands for: its midpoint (0.025, 0.075, 0.125, 0.175), and 0.25 for
// the open band >20 %.
double band_monthly_rate(InterruptionBand band);

// A pool not listed in [spot]: a constant price at a discount off On-Demand and an
// interruption band, per instance family. Approximate (docs/model.md has the table).
struct SpotDefault {
    double discount = 0;  // fraction off the On-Demand price, in [0, 1)
    InterruptionBand band = InterruptionBand::From5To10;
};
// The default for an instance type ("m5.large" -> the "m5" row; an unknown family gets the
// catch-all row).
SpotDefault spot_default(std::string_view instance_type);

// ---- Price models -----------------------------------------------------------------------------

// One (time, price) row of a trace: the price holds from `at` until the next row.
struct PricePoint {
    SimTime at = 0;
    double price = 0;
};

// Parameters of the mean-reverting model, after defaults (see SpotPrice::mean_reverting).
struct MeanRevertingParams {
    double mean = 0;                  // long-run average price, USD/h
    double volatility = 0.05;         // sd of the log-price shock per step
    double reversion = 0.1;           // fraction of the log distance to the mean closed per step
    SimTime update_interval = kHour;  // the price may change every this long
    double floor = 0;                 // USD/h; default 0.1 x On-Demand
    double cap = 0;                   // USD/h; default On-Demand
    double initial = 0;               // price on [0, update_interval); default `mean`
};

// The mean-reverting parameters of a pool from its `price` parameters and its On-Demand
// price, defaults applied (mean from the family's default discount, floor 0.1 x On-Demand,
// cap On-Demand).
MeanRevertingParams mean_reverting_params(const std::map<std::string, double>& params,
                                          double on_demand, std::string_view instance_type);

// The parameters a price model takes (docs/model.md): constant {price | discount},
// mean_reverting {mean, volatility, reversion, update_interval (seconds), floor, cap,
// initial}, trace {} (the rows come from its file). Returns the problems with a pool's
// parameters given its On-Demand price (unknown names, `price` together with `discount`, a
// discount >= 1, a mean outside [floor, cap], ...); empty if fine.
std::vector<std::string> spot_price_param_errors(const SpotPoolSpec& spec, double on_demand_hourly);

// Reads a trace file's text: CSV rows `time,price`, time in seconds from the start of the
// run, increasing; price in USD/h. A header row, blank lines and # comments are skipped.
// Throws std::invalid_argument naming the line of a bad row.
std::vector<PricePoint> parse_spot_price_trace(const std::string& text);

}  // namespace stratus::scenario
