#pragma once
// The Spot market: per-pool price processes (a pool is an instance type in one AZ), the
// interruption process of a Spot instance, the On-Demand/Spot split of a mixed instances
// policy, the choice of a pool for a Spot launch, and the cost of one Spot run. Pure value
// types and functions; the Auto Scaling group and the World wire them in. Rules and choices
// are in docs/model.md, section "Spot market (module ready, wired with Spot)", after the EC2
// Auto Scaling User Guide (mixed instances, Capacity Rebalancing) and the EC2 Spot guide.
//
// Times are SimTime (integer microseconds from the start of the run); prices are USD per
// instance-hour.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/core/sim_time.hpp"
#include "sim/scenario/spec.hpp"
#include "sim/scenario/spot_params.hpp"

namespace stratus::scenario {
class InstanceCatalog;
}

namespace stratus::cloud {

// EC2 gives a 2-minute interruption notice (the EC2 User Guide on Spot interruptions).
constexpr SimTime kSpotNotice = 120 * kSecond;
// The rebalance recommendation comes uniformly within this window before the notice (our
// choice: AWS only says it "can arrive well before the 2-min notice or at the same time").
constexpr SimTime kSpotRebalanceLead = 10 * kMinute;
// The month of a monthly interruption rate, as AWS's monthly prices count it.
constexpr double kSpotHoursPerMonth = 730;
// EC2 interrupting an instance before it has run this long charges nothing.
constexpr SimTime kSpotFreeInterruptionWindow = kHour;

// ---- Price processes --------------------------------------------------------------------------

// The Spot price of one pool as a step function of time. A value type: copies evolve alike.
class SpotPrice {
  public:
    enum class Model { Constant, MeanReverting, Trace };

    // A price that never changes.
    static SpotPrice constant(double price);
    // An Ornstein-Uhlenbeck step process on the log price x = ln p, stepping at k x interval
    // (k = 1, 2, ...):  x' = x + reversion (m - x) + volatility z,  z ~ N(0, 1) from `rng`,
    // then clamped to [ln floor, ln cap]. m = ln mean - s^2 / 2 with s^2 = volatility^2 /
    // (reversion (2 - reversion)), the stationary variance, so that the long-run average of
    // the price itself (not of its log) is `mean` (clamping aside). Each step draws one normal
    // from the stream, so the path depends only on the stream's seed. Throws
    // std::invalid_argument unless 0 < floor <= mean <= cap, 0 < reversion <= 1,
    // volatility >= 0 and update_interval > 0.
    static SpotPrice mean_reverting(const scenario::MeanRevertingParams& params, RandomStream rng);
    // Rows sorted by strictly increasing time, at least one, prices >= 0 (else
    // std::invalid_argument). Before the first row the first row's price applies.
    static SpotPrice trace(std::vector<scenario::PricePoint> rows);

    Model model() const { return model_; }
    // The price at time t >= 0 (USD per instance-hour).
    double price_at(SimTime t) const;
    // The first time after t at which the price may change; kNever if it never does. A
    // mean-reverting price may keep its value at a step (when clamped), a trace when two rows
    // hold the same price.
    SimTime next_change_after(SimTime t) const;
    // The steps of the price on [from, to): the price at `from`, then each change before `to`.
    std::vector<scenario::PricePoint> path(SimTime from, SimTime to) const;

  private:
    // Extends the mean-reverting path to step k. The path is generated lazily, in order, from
    // the stream, so the values do not depend on the order of the queries: the cache is
    // invisible from outside, hence the const member functions and mutable members.
    void extend_to(std::size_t k) const;

    Model model_ = Model::Constant;
    double constant_ = 0;
    scenario::MeanRevertingParams mr_;
    double log_target_ = 0;  // m
    mutable RandomStream rng_;
    mutable std::vector<double> steps_;       // mean-reverting: price on [k dt, (k + 1) dt)
    std::vector<scenario::PricePoint> rows_;  // trace
};

// ---- Pools and the market ---------------------------------------------------------------------

struct SpotPool {
    std::string instance_type;
    std::string availability_zone;
    SpotPrice price;
    double monthly_rate = 0;      // expected interruptions per instance-month (730 h)
    bool listed = false;          // from [[spot.pool]]; false: the region default
    std::optional<int> capacity;  // Spot Instances it can hold at once; empty: no limit
};

// A pool as [[spot.pool]] describes it. Its price stream is "spot/price/<type>/<az>" from the
// master seed, so adding a pool does not change the others' paths. `trace` holds the rows of
// the trace model's file. Throws std::invalid_argument on bad parameters
// (spot_price_param_errors).
SpotPool make_spot_pool(const scenario::SpotPoolSpec& spec, double on_demand_hourly,
                        std::uint64_t master_seed, std::vector<scenario::PricePoint> trace = {});
// A pool [spot] does not list: a constant price at the family's default discount and the
// midpoint of its band.
SpotPool default_spot_pool(const std::string& instance_type, const std::string& availability_zone,
                           double on_demand_hourly);

// Every pool of a run: those listed, and the defaults, made on first use.
class SpotMarket {
  public:
    // traces: the rows of each trace file, by its `file` as written. Throws
    // std::invalid_argument for a listed pool of a type the catalog lacks, a trace file not
    // given, or bad parameters.
    SpotMarket(const scenario::SpotSpec& spec, const scenario::InstanceCatalog& catalog,
               std::uint64_t master_seed,
               const std::map<std::string, std::vector<scenario::PricePoint>>& traces = {});

    // The pool, made from the region default if not listed. Throws std::invalid_argument for
    // a type the catalog lacks.
    const SpotPool& pool(const std::string& instance_type, const std::string& availability_zone);
    // The pool if it is listed or was already made, else nullptr.
    const SpotPool* find(const std::string& instance_type,
                         const std::string& availability_zone) const;

    double price_at(const std::string& instance_type, const std::string& availability_zone,
                    SimTime t) {
        return pool(instance_type, availability_zone).price.price_at(t);
    }
    double monthly_rate(const std::string& instance_type, const std::string& availability_zone) {
        return pool(instance_type, availability_zone).monthly_rate;
    }

  private:
    std::map<std::string, double> on_demand_;  // by instance type
    std::map<std::pair<std::string, std::string>, SpotPool> pools_;
    // Performance: the pools looked up so far, searched by equality before pools_ (the bill
    // re-prices every Spot line at every fluid slice: a Spot month's 70 lines a minute spent
    // 7 % of its run building the key pair and comparing it down the map). A copy starts
    // with none (its pointers would be into the other's map); pools_'s nodes never move.
    struct Found {
        std::string type, zone;
        const SpotPool* pool;
    };
    struct FoundList {
        std::vector<Found> list;
        FoundList() = default;
        FoundList(const FoundList&) {}
        FoundList(FoundList&&) = default;
        FoundList& operator=(const FoundList&) {
            list.clear();
            return *this;
        }
        FoundList& operator=(FoundList&&) = default;
    } found_;
};

// ---- Interruptions ----------------------------------------------------------------------------

// The signals EC2 gives before it reclaims a Spot instance.
struct SpotInterruption {
    SimTime rebalance_recommendation = kNever;  // in [max(now, notice - 10 min), notice]
    SimTime notice = kNever;                    // the 2-minute warning
    SimTime interruption = kNever;              // notice + kSpotNotice: the instance goes
};

// The per-instance interruption process: Poisson with rate monthly_rate / 730 h. The Poisson
// event is EC2's decision, i.e. the notice, so an instance always gets its full 2 minutes.
class SpotInterruptionProcess {
  public:
    explicit SpotInterruptionProcess(double monthly_rate);
    double monthly_rate() const { return monthly_rate_; }
    double hourly_rate() const { return monthly_rate_ / kSpotHoursPerMonth; }
    // The next interruption of an instance running at `now` (memoryless: the same law whenever
    // it is asked). Always draws two numbers (exponential, then uniform), so the stream's use
    // does not depend on the outcome. All kNever when the rate is 0.
    SpotInterruption next_interruption(SimTime now, RandomStream& rng) const;

  private:
    double monthly_rate_ = 0;
};

// ---- Mixed instances policy -------------------------------------------------------------------

struct CapacitySplit {
    int on_demand = 0;
    int spot = 0;
};

// AWS's InstancesDistribution: the base is On-Demand first, then percentage_above_base (0-100)
// of the rest is On-Demand, rounded up in favour of On-Demand; the remainder is Spot.
// Base 0, 60 % of 10 -> 6 / 4; base 2, 50 % of 10 - 2 -> 2 + 4 = 6 / 4; 50 % of 5 -> 3 / 2.
CapacitySplit split_capacity(int desired, int on_demand_base, double percentage_above_base);

// One Spot pool of an AZ the group may launch into.
struct SpotCandidate {
    std::string instance_type;
    double price = 0;         // current Spot price, USD/h
    double monthly_rate = 0;  // interruption rate, standing in for spare capacity
    int running = 0;          // the group's Spot instances already in this pool
};

// The pools a strategy would use, best first (indices into candidates):
//  - lowest-price: the `spot_instance_pools` cheapest (at least 1);
//  - capacity-optimized: every pool, by lowest interruption rate;
//  - price-capacity-optimized: the cheaper half (rounded up), by lowest interruption rate.
// Ties: lower price, then lower rate, then candidate order.
std::vector<std::size_t> eligible_spot_pools(scenario::SpotAllocationStrategy strategy,
                                             const std::vector<SpotCandidate>& candidates,
                                             int spot_instance_pools);

// The pool of the next Spot launch, as an index into candidates (npos when there are none).
// lowest-price spreads: the eligible pool with the fewest running instances (ties: cheaper).
// The others take the first eligible pool.
std::size_t choose_spot_pool(scenario::SpotAllocationStrategy strategy,
                             const std::vector<SpotCandidate>& candidates, int spot_instance_pools);

// ---- Billing ----------------------------------------------------------------------------------

// Cost in USD of one Spot run from `start` to `end` at the pool's price, per second: the run is
// rounded up to whole seconds and billed at least 60 s (as EC2 Linux), each second at the price
// in force. When EC2 interrupted it (`interrupted_by_ec2`) before it had run one hour, nothing
// is charged. Throws std::invalid_argument if end < start.
double spot_run_cost(const SpotPrice& price, SimTime start, SimTime end, bool interrupted_by_ec2);

}  // namespace stratus::cloud
