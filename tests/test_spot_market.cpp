#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/cloud/spot_market.hpp"
#include "sim/scenario/catalog.hpp"

namespace test_spot_market {

using namespace stratus;
using namespace stratus::cloud;
using namespace stratus::scenario;
using scenario::SpotAllocationStrategy;

// Expected figures are worked out by hand beside each check, from the us-east-1 On-Demand
// prices of docs/pricing.md (m5.large $0.096/h, c5.large $0.085/h) and the region
// defaults of docs/model.md ("Spot market").
namespace {

Approx usd(double v) {
    return Approx(v).margin(1e-12);
}

SimTime s(double seconds) {
    return from_seconds(seconds);
}

scenario::SpotPoolSpec pool_spec(const std::string& type, const std::string& az,
                                 scenario::SpotPriceModel model,
                                 std::map<std::string, double> params) {
    scenario::SpotPoolSpec p;
    p.instance_type = type;
    p.availability_zone = az;
    p.price_model = model;
    p.price_params = std::move(params);
    return p;
}

SpotCandidate candidate(const std::string& type, double price, double rate, int running = 0) {
    return SpotCandidate{type, price, rate, running};
}

}  // namespace

TEST_CASE("split_capacity: base first, then the percentage rounded up toward On-Demand", "[spot]") {
    auto check = [](int desired, int base, double pct, int od, int spot) {
        CapacitySplit c = split_capacity(desired, base, pct);
        INFO(desired << " base " << base << " at " << pct << "%");
        CHECK(c.on_demand == od);
        CHECK(c.spot == spot);
    };
    check(10, 0, 60, 6, 4);   // AWS's example: 60 % of 10 = 6 OD
    check(10, 2, 50, 6, 4);   // 2 base + 50 % of 8 = 2 + 4
    check(5, 0, 50, 3, 2);    // 2.5 -> 3 OD
    check(3, 0, 50, 2, 1);    // 1.5 -> 2 OD
    check(10, 2, 10, 3, 7);   // 2 + ceil(0.8) = 3
    check(10, 0, 1, 1, 9);    // any share above 0 buys one OD
    check(3, 0, 33.3, 1, 2);  // 0.999 -> 1
    check(7, 0, 100, 7, 0);   // the API default: all On-Demand
    check(10, 0, 0, 0, 10);   // all Spot
    check(1, 5, 0, 1, 0);     // below the base: all On-Demand
    check(0, 2, 50, 0, 0);
    CHECK_THROWS_AS(split_capacity(5, 0, 101), std::invalid_argument);
    CHECK_THROWS_AS(split_capacity(-1, 0, 50), std::invalid_argument);
}

TEST_CASE("Region defaults: a discount and a band per family", "[spot]") {
    CHECK(spot_default("m5.xlarge").discount == 0.62);
    CHECK(spot_default("m5.xlarge").band == InterruptionBand::From5To10);
    CHECK(spot_default("t3.micro").discount == 0.70);
    CHECK(spot_default("t3.micro").band == InterruptionBand::Under5);
    CHECK(spot_default("c5.large").band == InterruptionBand::From10To15);
    CHECK(spot_default("x2iedn.large").discount == 0.60);  // catch-all row
    CHECK(band_monthly_rate(InterruptionBand::Under5) == 0.025);
    CHECK(band_monthly_rate(InterruptionBand::From15To20) == 0.175);
    CHECK(band_monthly_rate(InterruptionBand::Over20) == 0.25);
    CHECK(to_string(InterruptionBand::From10To15) == "10-15%");
    CHECK(to_string(InterruptionBand::Over20) == ">20%");
}

TEST_CASE("Constant Spot price: a price, or a discount off On-Demand", "[spot]") {
    SpotPrice p = SpotPrice::constant(0.03);
    CHECK(p.price_at(0) == 0.03);
    CHECK(p.price_at(1000 * kHour) == 0.03);
    CHECK(p.next_change_after(0) == kNever);

    // m5.large at 70 % off: 0.096 x 0.3 = 0.0288.
    auto pool = make_spot_pool(pool_spec("m5.large", "us-east-1a",
                                         scenario::SpotPriceModel::Constant, {{"discount", 0.7}}),
                               0.096, 1);
    CHECK(pool.price.price_at(s(123)) == usd(0.0288));
    CHECK(pool.listed);
    CHECK(pool.monthly_rate == 0.075);  // no interruption rate given: the m5 band's midpoint
    CHECK_THROWS_AS(SpotPrice::constant(-1), std::invalid_argument);
}

TEST_CASE("Trace Spot price: each row holds until the next", "[spot]") {
    SpotPrice p = SpotPrice::trace({{s(600), 0.03}, {s(3600), 0.035}, {s(7200), 0.032}});
    CHECK(p.price_at(0) == 0.03);  // before the first row: the first price
    CHECK(p.price_at(s(600)) == 0.03);
    CHECK(p.price_at(s(3600) - 1) == 0.03);
    CHECK(p.price_at(s(3600)) == 0.035);
    CHECK(p.price_at(s(10000)) == 0.032);
    CHECK(p.next_change_after(0) == s(3600));  // the first row changes nothing
    CHECK(p.next_change_after(s(3599)) == s(3600));
    CHECK(p.next_change_after(s(3600)) == s(7200));
    CHECK(p.next_change_after(s(7200)) == kNever);

    auto path = p.path(s(1800), s(7200));
    REQUIRE(path.size() == 2);
    CHECK(path[0].at == s(1800));
    CHECK(path[0].price == 0.03);
    CHECK(path[1].at == s(3600));
    CHECK(path[1].price == 0.035);

    CHECK_THROWS_AS(SpotPrice::trace({}), std::invalid_argument);
    CHECK_THROWS_AS(SpotPrice::trace({{s(10), 0.03}, {s(10), 0.04}}), std::invalid_argument);
}

TEST_CASE("Trace files: time,price rows in seconds", "[spot]") {
    auto rows = parse_spot_price_trace("time,price\n0, 0.03\n# a comment\n\n3600,0.035\n");
    REQUIRE(rows.size() == 2);
    CHECK(rows[1].at == s(3600));
    CHECK(rows[1].price == 0.035);
    CHECK_THROWS_WITH(parse_spot_price_trace("0,0.03\n60,abc\n"), Catch::Contains("line 2"));
    CHECK_THROWS_WITH(parse_spot_price_trace("60,0.03\n0,0.04\n"), Catch::Contains("increasing"));
    CHECK_THROWS_AS(parse_spot_price_trace("time,price\n"), std::invalid_argument);
}

TEST_CASE("Mean-reverting Spot price: hand-checked steps without noise", "[spot]") {
    MeanRevertingParams q;
    q.mean = 0.04;
    q.initial = 0.05;
    q.volatility = 0;
    q.reversion = 0.5;
    q.floor = 0.0096;
    q.cap = 0.096;
    SpotPrice p = SpotPrice::mean_reverting(q, RandomStream(1, "x"));
    CHECK(p.price_at(0) == usd(0.05));
    CHECK(p.price_at(kHour - 1) == usd(0.05));
    // Halfway to the mean in log: sqrt(0.05 x 0.04) = 0.0447214.
    CHECK(p.price_at(kHour) == Approx(std::sqrt(0.05 * 0.04)).epsilon(1e-12));
    // A quarter of the way left: 0.04 x 1.25^0.25 = 0.0422948.
    CHECK(p.price_at(2 * kHour + 5) == Approx(0.04 * std::pow(1.25, 0.25)).epsilon(1e-12));
    CHECK(p.next_change_after(0) == kHour);
    CHECK(p.next_change_after(kHour - 1) == kHour);
    CHECK(p.next_change_after(kHour) == 2 * kHour);
    CHECK(p.price_at(500 * kHour) == Approx(0.04).epsilon(1e-9));
}

TEST_CASE("Mean-reverting Spot price: one noisy step follows the documented formula", "[spot]") {
    MeanRevertingParams q;
    q.mean = 0.036;
    q.volatility = 0.05;
    q.reversion = 0.1;
    q.floor = 0.0096;
    q.cap = 0.096;
    q.update_interval = 5 * kMinute;
    SpotPrice p = SpotPrice::mean_reverting(q, RandomStream(42, "spot"));
    RandomStream same(42, "spot");
    const double z = same.normal(0, 1);
    const double var = 0.05 * 0.05 / (0.1 * 1.9);  // stationary variance of the log price
    const double m = std::log(0.036) - var / 2;
    const double x1 = std::log(0.036) + 0.1 * (m - std::log(0.036)) + 0.05 * z;
    CHECK(p.price_at(0) == 0.036);
    CHECK(p.price_at(5 * kMinute) == Approx(std::exp(x1)).epsilon(1e-12));
    CHECK(p.next_change_after(7 * kMinute) == 10 * kMinute);
}

TEST_CASE("Mean-reverting Spot price: reproducible, bounded, long-run mean", "[spot]") {
    // m5.large, no mean given: 0.096 x (1 - 0.62) = 0.03648.
    auto spec = pool_spec("m5.large", "us-east-1a", scenario::SpotPriceModel::MeanReverting, {});
    auto a = make_spot_pool(spec, 0.096, 7);
    auto b = make_spot_pool(spec, 0.096, 7);
    auto other_seed = make_spot_pool(spec, 0.096, 8);
    CHECK(a.price.price_at(0) == usd(0.03648));

    // The same path whatever the order of the queries.
    CHECK(b.price.price_at(1000 * kHour) > 0);
    bool differs = false;
    for (int k = 0; k <= 1000; ++k) {
        CHECK(a.price.price_at(k * kHour) == b.price.price_at(k * kHour));
        differs = differs || a.price.price_at(k * kHour) != other_seed.price.price_at(k * kHour);
    }
    CHECK(differs);

    // Over 100,000 hourly steps the average price is `mean`: the log-price sd is
    // 0.05 / sqrt(0.19) = 0.115, correlation 0.9 per step, so the standard error of the
    // average is about 0.16 % of the mean; allow 0.5 %, which the uncorrected log-mean
    // (exp(var / 2) = +0.66 %) would miss.
    const int n = 100000;
    double sum = 0, lo = 1, hi = 0;
    for (int k = 0; k < n; ++k) {
        double v = a.price.price_at(k * kHour);
        sum += v;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    CHECK(sum / n == Approx(0.03648).epsilon(0.005));
    CHECK(lo >= 0.0096);
    CHECK(hi <= 0.096);
    CHECK(hi > lo);

    // A wild process sits on its bounds now and then and never leaves them.
    auto wild =
        make_spot_pool(pool_spec("m5.large", "us-east-1a", scenario::SpotPriceModel::MeanReverting,
                                 {{"mean", 0.05}, {"volatility", 0.8}, {"update_interval", 600}}),
                       0.096, 3);
    int at_floor = 0, at_cap = 0;
    for (int k = 0; k < 20000; ++k) {
        double v = wild.price.price_at(k * 10 * kMinute);
        REQUIRE(v >= 0.0096 * (1 - 1e-12));
        REQUIRE(v <= 0.096 * (1 + 1e-12));
        at_floor += v < 0.0096 * (1 + 1e-9);
        at_cap += v > 0.096 * (1 - 1e-9);
    }
    CHECK(at_floor > 0);
    CHECK(at_cap > 0);
    CHECK(wild.price.next_change_after(0) == 10 * kMinute);
}

TEST_CASE("Spot price parameters are checked", "[spot]") {
    using M = scenario::SpotPriceModel;
    CHECK(spot_price_param_errors(pool_spec("m5.large", "a", M::Constant, {{"price", 0.03}}), 0.096)
              .empty());
    CHECK(spot_price_param_errors(
              pool_spec("m5.large", "a", M::Constant, {{"price", 0.03}, {"discount", 0.5}}), 0.096)
              .size() == 1);
    CHECK(spot_price_param_errors(pool_spec("m5.large", "a", M::Constant, {{"discount", 1}}), 0.096)
              .size() == 1);
    CHECK(spot_price_param_errors(pool_spec("m5.large", "a", M::MeanReverting, {{"sigma", 0.1}}),
                                  0.096)
              .size() == 1);
    // A mean above On-Demand is past the cap.
    CHECK(spot_price_param_errors(pool_spec("m5.large", "a", M::MeanReverting, {{"mean", 0.2}}),
                                  0.096)
              .size() == 1);
    CHECK(
        spot_price_param_errors(
            pool_spec("m5.large", "a", M::MeanReverting, {{"reversion", 0}, {"mean", 0.04}}), 0.096)
            .size() == 1);
    CHECK_THROWS_WITH(make_spot_pool(pool_spec("m5.large", "a", M::Constant, {}), 0.096, 1),
                      Catch::Contains("either `price` or `discount`"));
}

TEST_CASE("SpotMarket: listed pools and region defaults", "[spot]") {
    auto catalog = InstanceCatalog::builtin("us-east-1");
    scenario::SpotSpec spec;
    spec.present = true;
    auto listed = pool_spec("m5.large", "us-east-1a", scenario::SpotPriceModel::MeanReverting,
                            {{"mean", 0.04}});
    listed.monthly_rate = 0.05;
    spec.pool.push_back(listed);
    auto traced = pool_spec("c5.large", "us-east-1a", scenario::SpotPriceModel::Trace, {});
    traced.price_file = "c5.csv";
    spec.pool.push_back(traced);

    std::map<std::string, std::vector<PricePoint>> traces{{"c5.csv", {{0, 0.03}}}};
    SpotMarket market(spec, catalog, 11, traces);
    REQUIRE(market.find("m5.large", "us-east-1a") != nullptr);
    CHECK(market.monthly_rate("m5.large", "us-east-1a") == 0.05);
    CHECK(market.price_at("c5.large", "us-east-1a", s(99)) == 0.03);

    // Not listed: c5.large at 65 % off, 0.085 x 0.35 = 0.02975, band 10-15 % -> 0.125.
    CHECK(market.find("c5.large", "us-east-1b") == nullptr);
    CHECK(market.price_at("c5.large", "us-east-1b", s(5)) == usd(0.02975));
    CHECK(market.monthly_rate("c5.large", "us-east-1b") == 0.125);
    CHECK_FALSE(market.find("c5.large", "us-east-1b")->listed);
    CHECK_THROWS_AS(market.pool("z9.huge", "us-east-1a"), std::invalid_argument);

    // A pool's path comes from its own stream: listing another pool does not change it.
    scenario::SpotSpec alone;
    alone.pool.push_back(listed);
    SpotMarket market2(alone, catalog, 11);
    for (int k = 0; k < 50; ++k)
        CHECK(market.price_at("m5.large", "us-east-1a", k * kHour) ==
              market2.price_at("m5.large", "us-east-1a", k * kHour));

    CHECK_THROWS_WITH(SpotMarket(spec, catalog, 11), Catch::Contains("c5.csv"));

    // pool() remembers the pools it found (by type and zone): each lookup gives the map's own
    // pool, and a copy of the market looks up its own pools, not the original's.
    const SpotPool* first = &market.pool("m5.large", "us-east-1a");
    CHECK(&market.pool("m5.large", "us-east-1a") == first);
    CHECK(&market.pool("c5.large", "us-east-1b") == market.find("c5.large", "us-east-1b"));
    CHECK(&market.pool("m5.large", "us-east-1a") == market.find("m5.large", "us-east-1a"));
    const SpotMarket copied = market;
    SpotMarket copy = copied;
    CHECK(&copy.pool("m5.large", "us-east-1a") == copy.find("m5.large", "us-east-1a"));
    CHECK(&copy.pool("m5.large", "us-east-1a") != first);
    CHECK(copy.price_at("c5.large", "us-east-1b", s(5)) == usd(0.02975));
}

TEST_CASE("Interruptions: Poisson at the monthly rate, notice and rebalance before", "[spot]") {
    SpotInterruptionProcess proc(0.05);
    CHECK(proc.hourly_rate() == Approx(0.05 / 730));

    // 20,000 instance-months chained on one stream (memoryless, so chaining from each notice
    // is the same as many instances): expected 0.05 x 20,000 = 1000 interruptions, Poisson sd
    // sqrt(1000) = 31.6; accept +-4 sd.
    RandomStream rng(5, "spot/interruptions");
    const SimTime horizon = static_cast<SimTime>(20000 * 730.0) * kHour;
    SimTime now = 0;
    int count = 0;
    double lead_sum = 0;
    while (true) {
        SpotInterruption i = proc.next_interruption(now, rng);
        REQUIRE(i.notice >= now);
        REQUIRE(i.interruption == i.notice + kSpotNotice);
        REQUIRE(i.rebalance_recommendation <= i.notice);
        REQUIRE(i.rebalance_recommendation >= std::max(now, i.notice - kSpotRebalanceLead));
        if (i.notice >= horizon) break;
        ++count;
        lead_sum += to_seconds(i.notice - i.rebalance_recommendation);
        now = i.notice;
    }
    CHECK(count >= 874);
    CHECK(count <= 1126);
    // The lead is uniform on 0-10 min: mean 300 s, sd of the mean 173 / sqrt(1000) = 5.5 s.
    CHECK(lead_sum / count == Approx(300).margin(25));

    // Fresh instances: the share interrupted within their first month is 1 - e^-0.075 =
    // 0.0723 for the m5 band midpoint: of 20,000, 1445 expected, sd 36.6.
    SpotInterruptionProcess m5(band_monthly_rate(spot_default("m5.large").band));
    RandomStream fresh(6, "fresh");
    int within = 0;
    for (int k = 0; k < 20000; ++k)
        within += m5.next_interruption(0, fresh).interruption <= 730 * kHour;
    CHECK(within >= 1445 - 147);
    CHECK(within <= 1445 + 147);
}

TEST_CASE("Interruptions: a zero rate never interrupts and still draws twice", "[spot]") {
    SpotInterruptionProcess never(0);
    RandomStream a(9, "s"), b(9, "s");
    SpotInterruption i = never.next_interruption(s(10), a);
    CHECK(i.notice == kNever);
    CHECK(i.interruption == kNever);
    CHECK(i.rebalance_recommendation == kNever);
    b.uniform01();
    b.uniform01();
    CHECK(a.uniform01() == b.uniform01());
    CHECK_THROWS_AS(SpotInterruptionProcess(-0.1), std::invalid_argument);
}

TEST_CASE("Spot allocation strategies choose different pools", "[spot]") {
    std::vector<SpotCandidate> c = {
        candidate("m5.large", 0.035, 0.075),   // 0
        candidate("c5.large", 0.030, 0.125),   // 1
        candidate("m6i.large", 0.038, 0.025),  // 2
        candidate("r5.large", 0.040, 0.075),   // 3
        candidate("t3.large", 0.025, 0.175),   // 4
    };
    using S = SpotAllocationStrategy;
    // lowest-price with 2 pools: t3 (0.025) and c5 (0.030).
    CHECK(eligible_spot_pools(S::LowestPrice, c, 2) == std::vector<std::size_t>{4, 1});
    CHECK(eligible_spot_pools(S::LowestPrice, c, 0) == std::vector<std::size_t>{4});
    CHECK(choose_spot_pool(S::LowestPrice, c, 2) == 4);
    // It spreads: with one in t3, the next goes to c5; with one in each, back to t3.
    c[4].running = 1;
    CHECK(choose_spot_pool(S::LowestPrice, c, 2) == 1);
    c[1].running = 1;
    CHECK(choose_spot_pool(S::LowestPrice, c, 2) == 4);
    // capacity-optimized: the lowest rate, m6i; rate ties broken by price (m5 before r5).
    CHECK(eligible_spot_pools(S::CapacityOptimized, c, 2) ==
          std::vector<std::size_t>{2, 0, 3, 1, 4});
    CHECK(choose_spot_pool(S::CapacityOptimized, c, 2) == 2);
    // price-capacity-optimized: the cheaper 3 of 5 are t3, c5, m5; the safest of them is m5.
    CHECK(eligible_spot_pools(S::PriceCapacityOptimized, c, 2) ==
          std::vector<std::size_t>{0, 1, 4});
    CHECK(choose_spot_pool(S::PriceCapacityOptimized, c, 2) == 0);
    CHECK(choose_spot_pool(S::PriceCapacityOptimized, {}, 2) == static_cast<std::size_t>(-1));
}

TEST_CASE("Spot billing: per second at the pool's price, free if EC2 interrupts in hour one",
          "[spot]") {
    SpotPrice p = SpotPrice::constant(0.0288);
    CHECK(spot_run_cost(p, 0, 2 * kHour, false) == usd(0.0576));
    CHECK(spot_run_cost(p, s(100), s(100 + 1800), false) == usd(0.0144));  // you terminate
    CHECK(spot_run_cost(p, 0, 59 * kMinute, true) == 0);                   // EC2, first hour
    CHECK(spot_run_cost(p, 0, kHour - 1, true) == 0);
    CHECK(spot_run_cost(p, 0, kHour, true) == usd(0.0288));  // a full hour: charged
    CHECK(spot_run_cost(p, 0, 90 * kMinute, true) == usd(0.0432));
    CHECK(spot_run_cost(p, 0, s(10), false) == usd(0.0288 / 60));           // 60 s minimum
    CHECK(spot_run_cost(p, 0, s(90.2), false) == usd(0.0288 * 91 / 3600));  // whole seconds

    // A price change mid-run: 0.5 h at 0.03 and 0.5 h at 0.06 = 0.045.
    SpotPrice t = SpotPrice::trace({{0, 0.03}, {s(3600), 0.06}});
    CHECK(spot_run_cost(t, s(1800), s(5400), false) == usd(0.045));
    CHECK(spot_run_cost(t, s(1800), s(5400), true) == usd(0.045));  // ran a full hour
    CHECK(spot_run_cost(t, s(1800), s(5000), true) == 0);

    // A mean-reverting price: 10 hours cost the sum of the 10 hourly prices.
    MeanRevertingParams q;
    q.mean = 0.036;
    q.floor = 0.0096;
    q.cap = 0.096;
    SpotPrice mr = SpotPrice::mean_reverting(q, RandomStream(3, "bill"));
    double expected = 0;
    for (int k = 0; k < 10; ++k)
        expected += mr.price_at(k * kHour);
    CHECK(spot_run_cost(mr, 0, 10 * kHour, false) == Approx(expected).epsilon(1e-12));
    CHECK_THROWS_AS(spot_run_cost(p, s(10), s(5), false), std::invalid_argument);
}

}  // namespace test_spot_market
