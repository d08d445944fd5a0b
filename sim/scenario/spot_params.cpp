#include "sim/scenario/spot_params.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/scenario/internal.hpp"
#include "sim/scenario/limits.hpp"

namespace stratus::scenario {
namespace {

// Region defaults per instance family, for both built-in regions. Approximate: typical
// discounts and Spot Instance Advisor bands of recent years, not a measured snapshot
// (AWS publishes only "savings of up to 90 %" and the Advisor's frequency bands; docs/model.md).
struct FamilyDefault {
    const char* family;
    SpotDefault value;
};
constexpr FamilyDefault kFamilyDefaults[] = {
    {"t2", {0.70, InterruptionBand::Under5}},     {"t3", {0.70, InterruptionBand::Under5}},
    {"t3a", {0.70, InterruptionBand::Under5}},    {"m5", {0.62, InterruptionBand::From5To10}},
    {"c5", {0.65, InterruptionBand::From10To15}}, {"r5", {0.68, InterruptionBand::From5To10}},
    {"m6i", {0.60, InterruptionBand::Under5}},    {"c6i", {0.62, InterruptionBand::From5To10}},
    {"r6i", {0.65, InterruptionBand::Under5}},    {"m7g", {0.55, InterruptionBand::Under5}},
};
// Any other family: a middling discount and band.
constexpr SpotDefault kOtherFamily = {0.60, InterruptionBand::From5To10};

double param_or(const std::map<std::string, double>& params, const char* key, double fallback) {
    auto it = params.find(key);
    return it == params.end() ? fallback : it->second;
}

bool has(const std::map<std::string, double>& params, const char* key) {
    return params.count(key) != 0;
}

double parse_number(const std::string& cell, bool& ok) {
    errno = 0;
    char* end = nullptr;
    double v = std::strtod(cell.c_str(), &end);
    ok = !cell.empty() && end && *end == '\0' && errno == 0 && std::isfinite(v);
    return v;
}

std::string trim(const std::string& s) {
    const char* blank = " \t\r\n";
    auto b = s.find_first_not_of(blank);
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(blank) - b + 1);
}

}  // namespace

// ---- Region defaults --------------------------------------------------------------------------

std::string_view to_string(InterruptionBand band) {
    switch (band) {
        case InterruptionBand::Under5:
            return "<5%";
        case InterruptionBand::From5To10:
            return "5-10%";
        case InterruptionBand::From10To15:
            return "10-15%";
        case InterruptionBand::From15To20:
            return "15-20%";
        case InterruptionBand::Over20:
            return ">20%";
    }
    return "?";
}

double band_monthly_rate(InterruptionBand band) {
    switch (band) {
        case InterruptionBand::Under5:
            return 0.025;
        case InterruptionBand::From5To10:
            return 0.075;
        case InterruptionBand::From10To15:
            return 0.125;
        case InterruptionBand::From15To20:
            return 0.175;
        case InterruptionBand::Over20:
            return 0.25;  // the band has no upper edge: a quarter as a stand-in
    }
    return 0;
}

SpotDefault spot_default(std::string_view instance_type) {
    std::string_view family = instance_type.substr(0, instance_type.find('.'));
    for (const auto& row : kFamilyDefaults)
        if (family == row.family) return row.value;
    return kOtherFamily;
}

// ---- Price models -----------------------------------------------------------------------------

MeanRevertingParams mean_reverting_params(const std::map<std::string, double>& params,
                                          double on_demand, std::string_view instance_type) {
    MeanRevertingParams p;
    p.mean = param_or(params, "mean", on_demand * (1 - spot_default(instance_type).discount));
    p.volatility = param_or(params, "volatility", p.volatility);
    p.reversion = param_or(params, "reversion", p.reversion);
    p.update_interval =
        from_seconds(param_or(params, "update_interval", to_seconds(p.update_interval)));
    p.floor = param_or(params, "floor", 0.1 * on_demand);
    p.cap = param_or(params, "cap", on_demand);
    p.initial = param_or(params, "initial", p.mean);
    return p;
}

std::vector<std::string> spot_price_param_errors(const SpotPoolSpec& spec,
                                                 double on_demand_hourly) {
    const auto& params = spec.price_params;
    std::vector<std::string> errors;
    std::vector<std::string> known;
    switch (spec.price_model) {
        case SpotPriceModel::Constant:
            known = {"price", "discount"};
            break;
        case SpotPriceModel::MeanReverting:
            known = {"mean",  "volatility", "reversion", "update_interval",
                     "floor", "cap",        "initial"};
            break;
        case SpotPriceModel::Trace:
            break;
    }
    for (const auto& kv : params)
        if (std::find(known.begin(), known.end(), kv.first) == known.end())
            errors.push_back(fmt::format("unknown parameter `{}` for this price model",
                                         detail::shortened(kv.first)));
    if (spec.price_model == SpotPriceModel::Constant) {
        if (has(params, "price") == has(params, "discount"))
            errors.push_back("give either `price` or `discount`");
        if (param_or(params, "discount", 0) >= 1)
            errors.push_back("`discount` is a fraction of the On-Demand price, below 1");
    }
    if (spec.price_model == SpotPriceModel::MeanReverting) {
        auto p = mean_reverting_params(params, on_demand_hourly, spec.instance_type);
        if (!(p.floor > 0 && p.floor <= p.cap))
            errors.push_back(
                fmt::format("need 0 < floor <= cap, here {} and {} USD/h", p.floor, p.cap));
        else if (p.mean < p.floor || p.mean > p.cap)
            errors.push_back(
                fmt::format("`mean` {} is outside [{}, {}] USD/h (0.1 to 1 times "
                            "On-Demand unless `floor`/`cap` say otherwise)",
                            p.mean, p.floor, p.cap));
        if (!(p.reversion > 0 && p.reversion <= 1))
            errors.push_back("`reversion` must be in (0, 1]");
        if (p.update_interval <= 0) errors.push_back("`update_interval` must be > 0 seconds");
    }
    return errors;
}

std::vector<PricePoint> parse_spot_price_trace(const std::string& text) {
    std::vector<PricePoint> rows;
    std::istringstream in(text);
    std::string line;
    int number = 0;
    bool first = true;
    while (std::getline(in, line)) {
        ++number;
        std::string l = trim(line);
        if (l.empty() || l.front() == '#') continue;
        auto comma = l.find(',');
        bool ok_t = false, ok_p = false;
        double t = 0, price = 0;
        if (comma != std::string::npos) {
            t = parse_number(trim(l.substr(0, comma)), ok_t);
            price = parse_number(trim(l.substr(comma + 1)), ok_p);
        }
        if (!ok_t || !ok_p) {
            if (first) {  // a header row
                first = false;
                continue;
            }
            throw std::invalid_argument(
                fmt::format("line {}: expected `time,price` (seconds, USD per hour), found \"{}\"",
                            number, l.size() > 80 ? l.substr(0, 60) + "..." : l));
        }
        first = false;
        // Times within the clock's range (64-bit microseconds), prices within the grammar's.
        if (t < 0 || t > 9e12 || price < 0 || price > kMaxPrice ||
            (!rows.empty() && from_seconds(t) <= rows.back().at))
            throw std::invalid_argument(
                fmt::format("line {}: expected times >= 0 in increasing order and prices "
                            "between 0 and {} USD/h",
                            number, kMaxPrice));
        rows.push_back({from_seconds(t), price});
    }
    if (rows.empty()) throw std::invalid_argument("expected at least one `time,price` row");
    return rows;
}

}  // namespace stratus::scenario
