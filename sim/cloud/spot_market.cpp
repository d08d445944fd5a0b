#include "sim/cloud/spot_market.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/cloud/billing.hpp"
#include "sim/scenario/catalog.hpp"

namespace stratus::cloud {

// ---- Price processes --------------------------------------------------------------------------

SpotPrice SpotPrice::constant(double price) {
    if (!(price >= 0) || !std::isfinite(price))
        throw std::invalid_argument(fmt::format("a Spot price must be >= 0, not {}", price));
    SpotPrice p;
    p.model_ = Model::Constant;
    p.constant_ = price;
    return p;
}

SpotPrice SpotPrice::mean_reverting(const scenario::MeanRevertingParams& params, RandomStream rng) {
    const auto& q = params;
    if (!(q.floor > 0 && q.floor <= q.mean && q.mean <= q.cap))
        throw std::invalid_argument(
            fmt::format("mean-reverting Spot price: need 0 < floor ({}) <= mean ({}) <= cap ({})",
                        q.floor, q.mean, q.cap));
    if (!(q.reversion > 0 && q.reversion <= 1))
        throw std::invalid_argument(fmt::format(
            "mean-reverting Spot price: reversion must be in (0, 1], not {}", q.reversion));
    if (!(q.volatility >= 0) || !std::isfinite(q.volatility))
        throw std::invalid_argument(fmt::format(
            "mean-reverting Spot price: volatility must be >= 0, not {}", q.volatility));
    if (q.update_interval <= 0)
        throw std::invalid_argument("mean-reverting Spot price: update_interval must be > 0");
    SpotPrice p;
    p.model_ = Model::MeanReverting;
    p.mr_ = q;
    const double r = q.reversion;
    const double stationary_var = q.volatility * q.volatility / (r * (2 - r));
    p.log_target_ = std::log(q.mean) - stationary_var / 2;
    p.rng_ = std::move(rng);
    p.steps_.push_back(std::clamp(q.initial > 0 ? q.initial : q.mean, q.floor, q.cap));
    return p;
}

SpotPrice SpotPrice::trace(std::vector<scenario::PricePoint> rows) {
    if (rows.empty()) throw std::invalid_argument("a Spot price trace needs at least one row");
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (!(rows[i].price >= 0) || !std::isfinite(rows[i].price))
            throw std::invalid_argument(
                fmt::format("Spot price trace row {}: price must be >= 0", i + 1));
        if (i > 0 && rows[i].at <= rows[i - 1].at)
            throw std::invalid_argument(
                fmt::format("Spot price trace row {}: times must increase", i + 1));
    }
    SpotPrice p;
    p.model_ = Model::Trace;
    p.rows_ = std::move(rows);
    return p;
}

void SpotPrice::extend_to(std::size_t k) const {
    const double lo = std::log(mr_.floor), hi = std::log(mr_.cap);
    while (steps_.size() <= k) {
        double x = std::log(steps_.back());
        x += mr_.reversion * (log_target_ - x) + mr_.volatility * rng_.normal(0, 1);
        // Clamping the state, not only the output, keeps the process from wandering far past
        // a bound and sticking there.
        steps_.push_back(std::exp(std::clamp(x, lo, hi)));
    }
}

double SpotPrice::price_at(SimTime t) const {
    switch (model_) {
        case Model::Constant:
            return constant_;
        case Model::MeanReverting: {
            auto k = static_cast<std::size_t>(std::max<SimTime>(t, 0) / mr_.update_interval);
            extend_to(k);
            return steps_[k];
        }
        case Model::Trace: {
            auto it =
                std::upper_bound(rows_.begin(), rows_.end(), t,
                                 [](SimTime v, const scenario::PricePoint& r) { return v < r.at; });
            return it == rows_.begin() ? rows_.front().price : std::prev(it)->price;
        }
    }
    return 0;
}

SimTime SpotPrice::next_change_after(SimTime t) const {
    switch (model_) {
        case Model::Constant:
            return kNever;
        case Model::MeanReverting:
            if (t < 0) return mr_.update_interval;
            return (t / mr_.update_interval + 1) * mr_.update_interval;
        case Model::Trace: {
            auto it =
                std::upper_bound(rows_.begin(), rows_.end(), t,
                                 [](SimTime v, const scenario::PricePoint& r) { return v < r.at; });
            // Before the first row the first price already holds: its row is no change.
            if (it == rows_.begin()) ++it;
            return it == rows_.end() ? kNever : it->at;
        }
    }
    return kNever;
}

std::vector<scenario::PricePoint> SpotPrice::path(SimTime from, SimTime to) const {
    std::vector<scenario::PricePoint> out;
    if (to <= from) return out;
    out.push_back({from, price_at(from)});
    for (SimTime t = next_change_after(from); t < to; t = next_change_after(t))
        out.push_back({t, price_at(t)});
    return out;
}

// ---- Pools and the market ---------------------------------------------------------------------

SpotPool make_spot_pool(const scenario::SpotPoolSpec& spec, double on_demand_hourly,
                        std::uint64_t master_seed, std::vector<scenario::PricePoint> trace) {
    auto errors = scenario::spot_price_param_errors(spec, on_demand_hourly);
    if (!errors.empty())
        throw std::invalid_argument(fmt::format("spot pool {} in {}: {}", spec.instance_type,
                                                spec.availability_zone, errors.front()));
    SpotPool pool;
    pool.instance_type = spec.instance_type;
    pool.availability_zone = spec.availability_zone;
    pool.listed = true;
    pool.capacity = spec.capacity;
    pool.monthly_rate =
        spec.monthly_rate
            ? *spec.monthly_rate
            : scenario::band_monthly_rate(scenario::spot_default(spec.instance_type).band);
    switch (spec.price_model) {
        case scenario::SpotPriceModel::Constant: {
            auto it = spec.price_params.find("price");
            pool.price = SpotPrice::constant(it != spec.price_params.end()
                                                 ? it->second
                                                 : on_demand_hourly *
                                                       (1 - spec.price_params.at("discount")));
            break;
        }
        case scenario::SpotPriceModel::MeanReverting: {
            RandomStream rng(master_seed, fmt::format("spot/price/{}/{}", spec.instance_type,
                                                      spec.availability_zone));
            pool.price = SpotPrice::mean_reverting(
                scenario::mean_reverting_params(spec.price_params, on_demand_hourly,
                                                spec.instance_type),
                std::move(rng));
            break;
        }
        case scenario::SpotPriceModel::Trace:
            pool.price = SpotPrice::trace(std::move(trace));
            break;
    }
    return pool;
}

SpotPool default_spot_pool(const std::string& instance_type, const std::string& availability_zone,
                           double on_demand_hourly) {
    scenario::SpotDefault d = scenario::spot_default(instance_type);
    SpotPool pool;
    pool.instance_type = instance_type;
    pool.availability_zone = availability_zone;
    pool.price = SpotPrice::constant(on_demand_hourly * (1 - d.discount));
    pool.monthly_rate = scenario::band_monthly_rate(d.band);
    pool.listed = false;
    return pool;
}

SpotMarket::SpotMarket(const scenario::SpotSpec& spec, const scenario::InstanceCatalog& catalog,
                       std::uint64_t master_seed,
                       const std::map<std::string, std::vector<scenario::PricePoint>>& traces) {
    for (const auto& name : catalog.names())
        on_demand_[name] = catalog.find(name)->on_demand_hourly;
    for (const auto& p : spec.pool) {
        auto od = on_demand_.find(p.instance_type);
        if (od == on_demand_.end())
            throw std::invalid_argument(
                fmt::format("spot pool: unknown instance type {}", p.instance_type));
        std::vector<scenario::PricePoint> rows;
        if (p.price_model == scenario::SpotPriceModel::Trace) {
            auto t = traces.find(p.price_file);
            if (t == traces.end())
                throw std::invalid_argument(
                    fmt::format("spot pool {} in {}: no rows for trace file {}", p.instance_type,
                                p.availability_zone, p.price_file));
            rows = t->second;
        }
        pools_.insert_or_assign({p.instance_type, p.availability_zone},
                                make_spot_pool(p, od->second, master_seed, std::move(rows)));
    }
}

const SpotPool& SpotMarket::pool(const std::string& instance_type,
                                 const std::string& availability_zone) {
    for (const Found& f : found_.list)
        if (f.type == instance_type && f.zone == availability_zone) return *f.pool;
    auto key = std::make_pair(instance_type, availability_zone);
    auto it = pools_.find(key);
    if (it == pools_.end()) {
        auto od = on_demand_.find(instance_type);
        if (od == on_demand_.end())
            throw std::invalid_argument(
                fmt::format("spot: unknown instance type {}", instance_type));
        it = pools_.emplace(key, default_spot_pool(instance_type, availability_zone, od->second))
                 .first;
    }
    found_.list.push_back({instance_type, availability_zone, &it->second});
    return it->second;
}

const SpotPool* SpotMarket::find(const std::string& instance_type,
                                 const std::string& availability_zone) const {
    auto it = pools_.find({instance_type, availability_zone});
    return it == pools_.end() ? nullptr : &it->second;
}

// ---- Interruptions ----------------------------------------------------------------------------

SpotInterruptionProcess::SpotInterruptionProcess(double monthly_rate)
    : monthly_rate_(monthly_rate) {
    if (!(monthly_rate >= 0) || !std::isfinite(monthly_rate))
        throw std::invalid_argument(
            fmt::format("a Spot interruption rate must be >= 0, not {}", monthly_rate));
}

SpotInterruption SpotInterruptionProcess::next_interruption(SimTime now, RandomStream& rng) const {
    // Both draws happen whatever the rate, so one instance's outcome never shifts the numbers
    // the next call sees.
    const double mean_hours = monthly_rate_ > 0 ? kSpotHoursPerMonth / monthly_rate_ : 0;
    const double wait_hours = rng.exponential(1.0) * mean_hours;
    const double lead = rng.uniform01();
    if (monthly_rate_ <= 0) return {};
    const double wait_us = wait_hours * static_cast<double>(kHour);
    // A wait beyond the representable range (a tiny rate) is simply never.
    if (wait_us >= static_cast<double>(kNever - now - kSpotNotice)) return {};
    SpotInterruption out;
    out.notice = now + static_cast<SimTime>(std::llround(wait_us));
    out.interruption = out.notice + kSpotNotice;
    SimTime early =
        static_cast<SimTime>(std::llround(lead * static_cast<double>(kSpotRebalanceLead)));
    out.rebalance_recommendation = std::max(now, out.notice - early);
    return out;
}

// ---- Mixed instances policy -------------------------------------------------------------------

CapacitySplit split_capacity(int desired, int on_demand_base, double percentage_above_base) {
    if (desired < 0 || on_demand_base < 0 || !(percentage_above_base >= 0) ||
        percentage_above_base > 100)
        throw std::invalid_argument(fmt::format(
            "split_capacity: need desired >= 0, base >= 0 and a percentage in [0, 100], got {}, "
            "{}, {}",
            desired, on_demand_base, percentage_above_base));
    const int base = std::min(desired, on_demand_base);
    const int rest = desired - base;
    // Rounded up in favour of On-Demand; the small tolerance keeps an exact product that
    // floating point lands a hair above an integer (e.g. 7 x 100/100) from gaining one.
    const double exact = rest * percentage_above_base / 100.0;
    int od_above = static_cast<int>(std::ceil(exact - 1e-9));
    od_above = std::clamp(od_above, 0, rest);
    return {base + od_above, rest - od_above};
}

std::vector<std::size_t> eligible_spot_pools(scenario::SpotAllocationStrategy strategy,
                                             const std::vector<SpotCandidate>& candidates,
                                             int spot_instance_pools) {
    using scenario::SpotAllocationStrategy;
    std::vector<std::size_t> by_price(candidates.size());
    std::iota(by_price.begin(), by_price.end(), std::size_t{0});
    auto cheaper = [&](std::size_t a, std::size_t b) {
        const auto &x = candidates[a], &y = candidates[b];
        if (x.price != y.price) return x.price < y.price;
        if (x.monthly_rate != y.monthly_rate) return x.monthly_rate < y.monthly_rate;
        return a < b;
    };
    auto safer = [&](std::size_t a, std::size_t b) {
        const auto &x = candidates[a], &y = candidates[b];
        if (x.monthly_rate != y.monthly_rate) return x.monthly_rate < y.monthly_rate;
        if (x.price != y.price) return x.price < y.price;
        return a < b;
    };
    std::sort(by_price.begin(), by_price.end(), cheaper);
    switch (strategy) {
        case SpotAllocationStrategy::LowestPrice: {
            auto n = static_cast<std::size_t>(std::max(spot_instance_pools, 1));
            if (by_price.size() > n) by_price.resize(n);
            return by_price;
        }
        case SpotAllocationStrategy::CapacityOptimized:
            std::sort(by_price.begin(), by_price.end(), safer);
            return by_price;
        case SpotAllocationStrategy::PriceCapacityOptimized: {
            by_price.resize((by_price.size() + 1) / 2);
            std::sort(by_price.begin(), by_price.end(), safer);
            return by_price;
        }
    }
    return by_price;
}

std::size_t choose_spot_pool(scenario::SpotAllocationStrategy strategy,
                             const std::vector<SpotCandidate>& candidates,
                             int spot_instance_pools) {
    auto eligible = eligible_spot_pools(strategy, candidates, spot_instance_pools);
    if (eligible.empty()) return static_cast<std::size_t>(-1);
    if (strategy != scenario::SpotAllocationStrategy::LowestPrice) return eligible.front();
    // Spread over the N cheapest: the least-used pool, the cheaper one on a tie (eligible is
    // in price order and min_element keeps the first minimum).
    return *std::min_element(eligible.begin(), eligible.end(), [&](std::size_t a, std::size_t b) {
        return candidates[a].running < candidates[b].running;
    });
}

// ---- Billing ----------------------------------------------------------------------------------

double spot_run_cost(const SpotPrice& price, SimTime start, SimTime end, bool interrupted_by_ec2) {
    if (end < start) throw std::invalid_argument("spot_run_cost: the run ends before it starts");
    if (interrupted_by_ec2 && end - start < kSpotFreeInterruptionWindow) return 0;
    SimTime length = (end - start + kSecond - 1) / kSecond * kSecond;  // whole seconds, up
    length = std::max(length, kEc2MinimumPerStart);
    const SimTime billed_end = start + length;
    double cost = 0;
    for (const auto& step : price.path(start, billed_end)) {
        SimTime next = std::min(price.next_change_after(step.at), billed_end);
        cost += step.price * to_seconds(next - step.at) / 3600.0;
    }
    return cost;
}

}  // namespace stratus::cloud
