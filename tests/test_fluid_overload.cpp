// The fluid mode against request mode past saturation (scenarios/overload/): a fleet that
// starts undersized, a death spiral of health-check failures and replacements, queue limits
// and client timeouts, a flash sale beyond capacity. docs/fluid.md ("Overload") has the
// measured table; each case runs both modes in a few seconds (Release).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "sim/cloud/fluid_model.hpp"
#include "sim/cloud/fluid_queue.hpp"
#include "sim/cloud/world.hpp"
#include "sim/report/run.hpp"
#include "sim/scenario/loader.hpp"
#include "world_support.hpp"

namespace test_fluid_overload {

using namespace stratus;

namespace {

const std::string kOverload = std::string(STRATUS_SOURCE_DIR) + "/scenarios/overload/";

struct Run {
    std::uint64_t ok = 0, errors = 0, http_502 = 0, http_503 = 0, http_504 = 0;
    double mean_ms = 0, cost = 0, instance_hours = 0;
    std::vector<std::pair<double, int>> desired;
    std::size_t limits = 0;
    std::size_t fail_open_limits = 0;  // of limits, those that say a target group fails open
    std::size_t smooth_limits = 0;     // ... round robin's smoother arrivals (note_smooth_loss)
    std::size_t band_limits = 0;       // ... a held queue bound by count and timeout in turns
    std::size_t pinned_limits = 0;     // ... a held queue full by count part of the time
    std::size_t end_limits = 0;        // ... requests still queued at the end
    std::uint64_t in_flight = 0;       // requests unanswered at the end
    double end_queued = 0;             // the requests the end's note says are queued
};

Run run_spec(scenario::Spec spec, scenario::Fidelity fidelity, int seed) {
    spec.simulation.fidelity = fidelity;
    if (seed > 0) spec.simulation.seed = static_cast<std::uint64_t>(seed);
    report::Run run(spec);
    cloud::World& world = run.world();
    world.run();
    Run r;
    r.ok = run.recorder().count(cloud::Outcome::Ok);
    r.errors = run.recorder().errors();
    r.http_502 = run.recorder().count(cloud::Outcome::Http502);
    r.http_503 = run.recorder().count(cloud::Outcome::Http503);
    r.http_504 = run.recorder().count(cloud::Outcome::Http504);
    r.mean_ms = run.recorder().latency().mean() / kMillisecond;
    r.in_flight = run.recorder().in_flight();
    r.cost = world.cost().total();
    r.instance_hours = world.instance_hours(false) + world.instance_hours(true);
    r.desired = testing::desired_changes(run);
    r.limits = world.fluid() ? world.fluid()->limits().size() : 0;
    if (world.fluid()) {
        for (const auto& limit : world.fluid()->limits()) {
            r.fail_open_limits += limit.reason.find("fails open") != std::string::npos;
            r.smooth_limits += limit.reason.find("round robin's are smoother") != std::string::npos;
            r.band_limits += limit.reason.find("timeout (") != std::string::npos &&
                             limit.reason.find("in turns") != std::string::npos;
            r.pinned_limits +=
                limit.reason.find("is full by count (max_queue") != std::string::npos;
            const std::string end = "the run ends with about ";
            const auto at = limit.reason.find(end);
            if (at == std::string::npos) continue;
            ++r.end_limits;
            r.end_queued = std::stod(limit.reason.substr(at + end.size()));
        }
    }
    return r;
}

Run run_file(const std::string& file, scenario::Fidelity fidelity, int seed = 0,
             const std::vector<std::string>& overrides = {}) {
    return run_spec(scenario::load_file(file, overrides), fidelity, seed);
}

Run run(const std::string& name, scenario::Fidelity fidelity, int seed = 0,
        const std::vector<std::string>& overrides = {}) {
    return run_file(kOverload + name + ".toml", fidelity, seed, overrides);
}

double availability(const Run& x) {
    return 100.0 * static_cast<double>(x.ok) / static_cast<double>(x.ok + x.errors);
}

// The desired capacity at t (s): the last change at or before t, else `initial`.
int desired_at(const Run& x, double t, int initial) {
    int d = initial;
    for (const auto& [when, to] : x.desired)
        if (when <= t) d = to;
    return d;
}

// The largest difference of the two runs' desired capacities, minute by minute.
int desired_gap(const Run& r, const Run& f, double horizon_s, int initial) {
    int gap = 0;
    for (double t = 0; t < horizon_s; t += 60)
        gap = std::max(gap, std::abs(desired_at(r, t, initial) - desired_at(f, t, initial)));
    return gap;
}

// The measures both modes must agree on, with the tolerances of docs/fluid.md for cost and
// instance-hours and 10 % for errors and mean latency (request mode's own run-to-run spread
// past saturation is of that order).
void check_agreement(const Run& r, const Run& f) {
    REQUIRE(r.errors > 10000);  // the scenario does saturate
    CHECK(static_cast<double>(f.errors) == Approx(static_cast<double>(r.errors)).epsilon(0.10));
    CHECK(static_cast<double>(f.ok) == Approx(static_cast<double>(r.ok)).epsilon(0.05));
    CHECK(f.mean_ms == Approx(r.mean_ms).epsilon(0.10));
    CHECK(f.cost == Approx(r.cost).epsilon(0.02));
    CHECK(f.instance_hours == Approx(r.instance_hours).epsilon(0.02));
}

}  // namespace

TEST_CASE("overload: a fleet that starts undersized scales out as in request mode",
          "[fluid][overload]") {
    const Run r = run("undersized-start", scenario::Fidelity::Request);
    const Run f = run("undersized-start", scenario::Fidelity::Fluid);
    check_agreement(r, f);
    // The same scale-outs (6 -> 12 -> 24 -> 45 -> 52 in request mode), each within a minute
    // and within one instance. The group's average leaves out instances in warm-up; a fluid
    // minute the warm-up ends in counts its warmed part only (its first seconds in service
    // are idle ones), else the fluid mode saw 90 % where request mode saw 100 % and scaled to
    // 22 instead of 24.
    REQUIRE(r.desired.size() >= 3);
    REQUIRE(f.desired.size() == r.desired.size());
    for (std::size_t k = 0; k < r.desired.size(); ++k) {
        INFO("decision " << k << " at " << r.desired[k].first << " s");
        CHECK(std::abs(f.desired[k].second - r.desired[k].second) <= 1);
        CHECK(std::abs(f.desired[k].first - r.desired[k].first) <= 60);
    }
}

TEST_CASE("overload: a death spiral of health-check failures and replacements",
          "[fluid][overload]") {
    // 10 % beyond capacity, checks (2 s timeout) fail behind a full queue, the group replaces
    // the targets and fails open. Which way the spiral goes is chance in both modes: over
    // seeds 1-8 request mode's errors are 125,000-127,000 in five runs and 195,000-310,000 in
    // three (the file's seed 192: 218,664), the fluid mode's likewise. So the case compares the
    // means of eight seeds of each, with check_agreement's tolerances: request mode 178,507
    // errors, 4,034 ms, 0.5433 $; the fluid mode 176,817, 4,031 ms, 0.5431 $. Before the
    // checks read the EWMA as request mode does (fluid_queue.cpp: its read bias and its tie to
    // the queue, 32 points), 157,932 errors (-11.5 %) and 574,066 answered (+4.0 %). The fluid
    // mode draws which targets fail when, and says so in every run.
    constexpr int kSeeds = 8;
    Run r, f;
    std::size_t r_limits = 0, f_limits = 0, f_fail_open = 0;
    for (int seed = 1; seed <= kSeeds; ++seed) {
        for (auto [mode, sum] : {std::pair{scenario::Fidelity::Request, &r},
                                 std::pair{scenario::Fidelity::Fluid, &f}}) {
            const Run x = run("death-spiral", mode, seed);
            sum->ok += x.ok;
            sum->errors += x.errors;
            sum->http_503 += x.http_503;
            sum->mean_ms += x.mean_ms / kSeeds;
            sum->cost += x.cost / kSeeds;
            sum->instance_hours += x.instance_hours / kSeeds;
            (mode == scenario::Fidelity::Request ? r_limits : f_limits) += x.limits;
            if (mode == scenario::Fidelity::Fluid) f_fail_open += x.fail_open_limits;
        }
    }
    check_agreement(r, f);
    CHECK(static_cast<double>(f.http_503) == Approx(static_cast<double>(r.http_503)).epsilon(0.10));
    CHECK(f_limits >= kSeeds);
    CHECK(r_limits == 0);
    // Every target unhealthy and more traffic than they serve: request mode's targets pass
    // their checks in turns, the fluid mode's fail open together (docs/fluid.md, "Failing open
    // under overload"). Each run says so once for its one target group.
    CHECK(f_fail_open == kSeeds);
}

TEST_CASE("overload: a health check of a queue held at its bound fails as request mode's does",
          "[fluid][overload]") {
    // Request mode fails a check when (queued + 1) / workers x m > timeout, m an EWMA (weight
    // 1/64) of the service times started. A 2-worker queue of 200 requests (exponential 50 ms,
    // Poisson arrivals, checks every 10 s at a 5 s timeout) simulated request by request with
    // that rule (4 runs of 15,000 s per rate) fails 22.8, 32.9, 41.8, 48.7, 52.9 and 55.8 % of
    // its checks at 41, 42, 44, 48, 60 and 80 requests/s. The fluid mode took m's centre at the
    // mean service time, independent of the queue, on eight points: 13.6, 22.3, 32.1, 40.3,
    // 46.6 and 48.8 %; read at a check's instant m is biased long (Var(S) / (64 s)) and tied
    // to the queue (127 e / s more requests queued given m = s + e), and 32 points find the
    // threshold near m's centre (docs/fluid.md, "Where the 18.6 % came from").
    const double simulated[][2] = {{41, 0.228}, {42, 0.329}, {44, 0.418},
                                   {48, 0.487}, {60, 0.529}, {80, 0.558}};
    for (const auto& [lambda, p] : simulated) {
        cloud::FluidQueue q;
        q.cap = 200;
        q.backlog = 200;
        q.drift = lambda - 40.0;                // capacity 2 / 50 ms
        q.variance_rate = lambda * 1.0 + 40.0;  // Poisson arrivals, exponential services
        q.walk_mean = 10.0 * q.cap;             // held at the bound long since
        q.mean_service_s = 0.05;
        q.service_cv2 = 1.0;
        REQUIRE(q.drift > 0);
        INFO("lambda " << lambda);
        CHECK(cloud::health_check_timeout_probability(q, 2, 0.0, 5.0) == Approx(p).margin(0.035));
    }
}

TEST_CASE("overload: a health check of a filling queue fails as request mode's does at its instant",
          "[fluid][overload]") {
    // A target that turns healthy with an empty queue fills at lambda - c / s; its next checks
    // decide whether it fails again (the turns of the flash sale and of a death spiral with
    // 2 s checks). Simulated request by request with request mode's rule ((queued + 1) /
    // workers x m > timeout, m the EWMA of weight 1/64; 20,000 fills per case, the queue
    // started empty and m from 2,000 services before): the share of checks that fail t
    // seconds into the fill. The fluid mode's view at t is the backlog (lambda - c / s) t and
    // its walk's lag, z sqrt(sigma^2 t) with z ~ N(0, 1) drawn per backlog (fluid/queue-lag),
    // so the check's probability averaged over z must give the simulated share. Read a
    // second young (the view of the step before, as a check at a step's end reads it),
    // it is a second late: 7, 17, 29, 40 % at 8-11 s in the first case, 54 % at 5 s in the
    // second (40 points short).
    struct Case {
        double lambda, s, cv2, cap, timeout;
        int rr;  // round robin over rr targets: Erlang-rr gaps, ca^2 = 1 / rr
        std::vector<std::pair<double, double>> simulated;  // (t, share failed)
    };
    const Case cases[] = {
        // The flash sale's c5.large: 2 workers, exponential 50 ms, 200 places, 5 s checks.
        {60, 0.05, 1.0, 200, 5.0, 1, {{8, 0.157}, {9, 0.292}, {10, 0.408}, {11, 0.481}}},
        // hs3's m5.large: lognormal 60 ms (cv 0.5), 100 places, 2 s checks, one of 6 and of 7
        // targets at 300 requests/s.
        {50, 0.06, 0.25, 100, 2.0, 6, {{4, 0.534}, {5, 0.942}}},
        {43, 0.06, 0.25, 100, 2.0, 7, {{6, 0.246}, {7, 0.565}, {8, 0.826}}},
    };
    const auto inverse_normal = [](double u) {
        double lo = -8, hi = 8;
        for (int i = 0; i < 60; ++i) {
            const double mid = 0.5 * (lo + hi);
            (0.5 * std::erfc(-mid / std::sqrt(2.0)) < u ? lo : hi) = mid;
        }
        return lo;
    };
    for (const Case& c : cases) {
        const double mu_c = 2 / c.s;
        const double theta = c.lambda - mu_c;
        const double sigma2 = c.lambda / c.rr + mu_c * c.cv2;
        REQUIRE(theta > 0);  // the queue fills
        const auto p_at = [&](double t) {
            constexpr int kPoints = 64;
            double p = 0;
            for (int j = 0; j < kPoints; ++j) {
                cloud::FluidQueue q;
                q.cap = c.cap;
                q.backlog = std::min(theta * t, c.cap);
                q.walk_mean =
                    theta * t + inverse_normal((j + 0.5) / kPoints) * std::sqrt(sigma2 * t);
                q.drift = theta;
                q.variance_rate = sigma2;
                q.mean_service_s = c.s;
                q.service_cv2 = c.cv2;
                p += cloud::health_check_timeout_probability(q, 2, 0.0, c.timeout);
            }
            return p / kPoints;
        };
        for (const auto& [t, share] : c.simulated) {
            INFO("lambda " << c.lambda << ", t " << t << " s");
            CHECK(p_at(t) == Approx(share).margin(0.035));
        }
    }
}

TEST_CASE(
    "overload: a death spiral under least outstanding requests fails open with every "
    "target busy",
    "[fluid][overload]") {
    // The death spiral with least outstanding requests. Each request goes to the target with
    // the fewest in flight, so the targets' queues stay within a request of each other: they
    // fail their checks together and the group fails open with all of them busy, and stays
    // so (request mode: no target healthy from 340 s to the end). A replacement whose
    // application is still starting answers 502 at once, has nothing in flight and takes
    // every request the busy targets leave. Before, each fluid target had a lag of its own
    // (right for round robin, where a queue's walk is its own): the laggards passed their
    // checks and took turns, and with equal shares a starting replacement took only its
    // share: 380,931 errors and 1,533 502s against request mode's 130,479 and 53,395.
    const std::vector<std::string> lor = {
        "target_group.web-tg.load_balancing_algorithm_type=least_outstanding_requests"};
    const Run r = run("death-spiral", scenario::Fidelity::Request, 0, lor);
    const Run f = run("death-spiral", scenario::Fidelity::Fluid, 0, lor);
    check_agreement(r, f);
    REQUIRE(r.http_502 > 10000);  // replacements whose application is starting take traffic
    CHECK(static_cast<double>(f.http_502) == Approx(static_cast<double>(r.http_502)).epsilon(0.10));
    CHECK(static_cast<double>(f.http_503) == Approx(static_cast<double>(r.http_503)).epsilon(0.10));
    CHECK(f.fail_open_limits == 1);
}

TEST_CASE("overload: queue limits and client timeouts serve the requests that find room",
          "[fluid][overload]") {
    // 30 % beyond capacity, a 1 s client timeout shorter than the queue's 1.2 s: request mode
    // serves the requests that find the queue a little short of the timeout. The fluid mode
    // held every waiting arrival at the mean (1 s) and answered all of them 504 (310,628
    // errors, 235,371 ok) before it modelled the queue's distance below its bound.
    const Run r = run("queue-timeouts", scenario::Fidelity::Request);
    const Run f = run("queue-timeouts", scenario::Fidelity::Fluid);
    check_agreement(r, f);
    CHECK(static_cast<double>(f.http_503 + f.http_504) ==
          Approx(static_cast<double>(r.http_503 + r.http_504)).epsilon(0.10));
}

TEST_CASE("overload: client timeouts under least outstanding requests", "[fluid][overload]") {
    // queue-timeouts with least outstanding requests. The targets' queues are balanced by
    // count, not by work: an arrival waits for its own queue's requests, each with its own
    // service time (lognormal, cv 1.5), so the waits spread below the 1 s timeout as under round
    // robin (request mode answers 367,284 in time, round robin about as many). The fluid mode
    // pooled the whole walk (n times its distance rate): every wait sat at the timeout and
    // nearly every request served was answered too late (278,778 ok, 267,221 504s).
    const std::vector<std::string> lor = {
        "target_group.app-tg.load_balancing_algorithm_type=least_outstanding_requests"};
    const Run r = run("queue-timeouts", scenario::Fidelity::Request, 0, lor);
    const Run f = run("queue-timeouts", scenario::Fidelity::Fluid, 0, lor);
    check_agreement(r, f);
    CHECK(static_cast<double>(f.http_503 + f.http_504) ==
          Approx(static_cast<double>(r.http_503 + r.http_504)).epsilon(0.10));
}

TEST_CASE("overload: a queue held at its clients' timeout splits its overflow into 503 and 504",
          "[fluid][overload]") {
    // One c5.2xlarge (80 requests/s) at 120 requests/s, 5 s clients. Request mode keeps a
    // queued request until it starts or its client gives up, so a queue held at the timeout
    // holds the last 5 s of arrivals: with max_queue 550 (< 600) it is full by count as well,
    // and takes about 110 requests/s (503 for the rest, 504 for those that reach the head too
    // old); its head is Exp(lambda_a - 80) short of the timeout, and a request is answered in
    // time when its service fits in that. The fluid mode gave every overflow 504 (no 503) and
    // answered 26,058 in time (the reflected Brownian motion of the work, whose distance is
    // 1.5x too long here). With max_queue 400 (5 s of work exactly) request mode answers
    // 64,281 in time at seed 1, the fluid mode 26,058 before (every wait at the bound).
    // Request mode at seeds 1-3 against the fluid mode: answers in time and 503s within 5 %,
    // 504s within 10 % (max_queue 400: 27,596 against 25,276 at seed 1, where both bounds
    // meet); request mode's run-to-run sd is about 1-2 % of these counts.
    for (const int places : {550, 400, 800}) {
        const std::vector<std::string> set = {"launch_template.shop.max_queue=" +
                                              std::to_string(places)};
        double ok = 0, e503 = 0, e504 = 0;
        for (int seed = 1; seed <= 3; ++seed) {
            const Run r = run("queue-at-timeout", scenario::Fidelity::Request, seed, set);
            ok += static_cast<double>(r.ok) / 3;
            e503 += static_cast<double>(r.http_503) / 3;
            e504 += static_cast<double>(r.http_504) / 3;
        }
        const Run f = run("queue-at-timeout", scenario::Fidelity::Fluid, 0, set);
        INFO("max_queue " << places << ": request ok " << ok << " 503 " << e503 << " 504 " << e504
                          << ", fluid " << f.ok << " / " << f.http_503 << " / " << f.http_504);
        REQUIRE(e504 > 20000);  // the queue is held at the timeout
        CHECK(static_cast<double>(f.ok) == Approx(ok).epsilon(0.05));
        CHECK(static_cast<double>(f.http_504) == Approx(e504).epsilon(0.10));
        if (places == 800) {
            CHECK(e503 == 0);  // 600 < 800: never full by count
            CHECK(f.http_503 == 0);
        } else {
            REQUIRE(e503 > 10000);
            CHECK(static_cast<double>(f.http_503) == Approx(e503).epsilon(0.05));
        }
    }
}

TEST_CASE("overload: a held queue says when its split of the overflow is approximate",
          "[fluid][overload]") {
    // queue-at-timeout (one c5.2xlarge, 80 requests/s, 120 requests/s, 5 s clients) at three
    // places of max_queue against the timeout's 400 requests of work (docs/fluid.md, "Held
    // queues and a fleet at its capacity exactly"). Request mode at seeds 1-3 and the fluid
    // mode at the same seeds.
    struct Case {
        std::vector<std::string> set;
        bool band, pinned;
    };
    const std::vector<Case> cases = {
        // 375 < 400: full by count on average, by the timeout when its departures run slow. The
        // fluid mode takes the timeout's model: in time 71,745 against 77,414 (-7 %), 504s
        // 17,299 against 9,664. It says so (band).
        {{"launch_template.shop.max_queue=375"}, true, false},
        // 550, full by count a fifth of the time (28 % of its overflow refused): modelled (in
        // time -2.7 %), nothing said.
        {{"launch_template.shop.max_queue=550"}, false, false},
        // 20 s clients and 1,760 places (1,600 requests' work): full by count most of the time
        // (76 % of its overflow refused). Request mode answers more in time and gives fewer
        // 504s than the fluid mode (seeds 1-3: 49,333 / 48,724 and 45,636 / 47,923), as the
        // note says.
        {{"launch_template.shop.max_queue=1760", "workload.shoppers.timeout=20s"}, false, true},
    };
    for (const Case& c : cases) {
        INFO(c.set.front());
        Run r_sum, f_sum;
        for (int seed = 1; seed <= 3; ++seed) {
            const Run r = run("queue-at-timeout", scenario::Fidelity::Request, seed, c.set);
            const Run f = run("queue-at-timeout", scenario::Fidelity::Fluid, seed, c.set);
            REQUIRE(r.http_504 > 5000);  // held by the timeout
            REQUIRE(r.http_503 > 5000);  // ... and full by count at times
            CHECK(r.limits == 0);
            CHECK(f.band_limits == (c.band ? 1u : 0u));
            CHECK(f.pinned_limits == (c.pinned ? 1u : 0u));
            r_sum.ok += r.ok;
            f_sum.ok += f.ok;
            r_sum.http_504 += r.http_504;
            f_sum.http_504 += f.http_504;
        }
        const double r_ok = static_cast<double>(r_sum.ok), f_ok = static_cast<double>(f_sum.ok);
        // In time within 10 % where the notes say so (and where they do not).
        CHECK(f_ok == Approx(r_ok).epsilon(0.10));
        if (c.pinned) {
            CHECK(f_ok < r_ok);
            CHECK(f_sum.http_504 > r_sum.http_504);
        }
    }
}

TEST_CASE("overload: targets loaded to their capacity exactly wait as the settled queue",
          "[fluid][overload]") {
    // bench/scenarios/az-kill-peak.toml: after its AZ returns, AZRebalance terminates one
    // instance at a time, and each leaves 14 c5.large at 560 requests/s, 40 each, exactly their
    // capacity, for its 30 s of draining. The fluid backlog had no drift there and stayed
    // where it was (none: a wait of 0; or what the 13-target seconds left), where request
    // mode's queues walk: seeds 1-3, mean latency 515 ms in request mode, 456 ms (-11.5 %) in
    // the fluid mode before, 532 ms (+3.3 %) with the settled queue of a load at capacity
    // (M/M/c/K at rho = 1, as just below it). Errors 33,386 / 32,419 / 33,748.
    const std::string file = std::string(STRATUS_SOURCE_DIR) + "/bench/scenarios/az-kill-peak.toml";
    Run r_sum, f_sum;
    double r_mean = 0, f_mean = 0;
    for (int seed = 1; seed <= 3; ++seed) {
        const Run r = run_file(file, scenario::Fidelity::Request, seed);
        const Run f = run_file(file, scenario::Fidelity::Fluid, seed);
        REQUIRE(r.http_503 > 10000);  // the AZ's loss saturates the rest
        r_sum.errors += r.errors;
        f_sum.errors += f.errors;
        r_sum.http_503 += r.http_503;
        f_sum.http_503 += f.http_503;
        r_mean += r.mean_ms / 3;
        f_mean += f.mean_ms / 3;
    }
    CHECK(f_mean == Approx(r_mean).epsilon(0.10));
    CHECK(static_cast<double>(f_sum.errors) ==
          Approx(static_cast<double>(r_sum.errors)).epsilon(0.05));
    CHECK(static_cast<double>(f_sum.http_503) ==
          Approx(static_cast<double>(r_sum.http_503)).epsilon(0.10));
}

TEST_CASE("overload: a flash sale beyond capacity scales out through failing checks",
          "[fluid][overload]") {
    // Past saturation which targets fail their checks when is a matter of chance in request
    // mode too: over seeds 1-20 its errors range from 18,680 to 85,170 (mean 43,600, sd
    // 14,700). One run of each mode is no measure, so the case compares 20 seeds of each: the
    // means of errors within two standard errors of their difference (a two-sample test at
    // about 95 %), mean latency within 10 %, cost and instance-hours within 2 %, and the sale
    // ends at the same capacity within two instances. Before the checks read the EWMA as
    // request mode does (fluid_queue.cpp), the fluid mode's errors were 35,250 on average
    // (-19 %, 2.3 standard errors) and its spread half request mode's; now 48,700 (+12 %, 1.0),
    // mean latency 322 against 298 ms (eight seeds, as this case ran before, are too few for
    // the latency's spread: +16 % over seeds 1-8). Before the queue's persistent lag and the
    // checks' probability, every fluid target failed its checks at the same instant and target
    // tracking saw idle unhealthy targets: the desired capacity stayed at 10 through the sale.
    // The fluid mode says where it cannot follow (fluid_limits).
    constexpr int kSeeds = 20;
    struct Sample {
        std::vector<double> errors;
        double mean_ms = 0, cost = 0, hours = 0;
        std::vector<int> last_desired;
        std::size_t limits = 0;
    } rs, fs;
    for (int seed = 1; seed <= kSeeds; ++seed) {
        for (auto [mode, sample] : {std::pair{scenario::Fidelity::Request, &rs},
                                    std::pair{scenario::Fidelity::Fluid, &fs}}) {
            const Run x = run("flash-sale", mode, seed);
            REQUIRE(!x.desired.empty());
            sample->errors.push_back(static_cast<double>(x.errors));
            sample->mean_ms += x.mean_ms / kSeeds;
            sample->cost += x.cost / kSeeds;
            sample->hours += x.instance_hours / kSeeds;
            sample->last_desired.push_back(x.desired.back().second);
            sample->limits += x.limits;
        }
    }
    const auto mean = [](const std::vector<double>& v) {
        double sum = 0;
        for (double x : v)
            sum += x;
        return sum / static_cast<double>(v.size());
    };
    const auto variance_of_mean = [&](const std::vector<double>& v) {
        const double m = mean(v);
        double ss = 0;
        for (double x : v)
            ss += (x - m) * (x - m);
        return ss / static_cast<double>(v.size() - 1) / static_cast<double>(v.size());
    };
    const double r_errors = mean(rs.errors), f_errors = mean(fs.errors);
    REQUIRE(r_errors > 10000);  // the sale does saturate
    INFO("errors: request " << r_errors << ", fluid " << f_errors);
    CHECK(std::abs(f_errors - r_errors) <=
          2.0 * std::sqrt(variance_of_mean(rs.errors) + variance_of_mean(fs.errors)));
    CHECK(fs.mean_ms == Approx(rs.mean_ms).epsilon(0.10));
    CHECK(fs.cost == Approx(rs.cost).epsilon(0.02));
    CHECK(fs.hours == Approx(rs.hours).epsilon(0.02));
    for (int k = 0; k < kSeeds; ++k)
        CHECK(std::abs(fs.last_desired[k] - rs.last_desired[k]) <= 2);
    CHECK(fs.limits >= kSeeds);  // every fluid run says it
    CHECK(rs.limits == 0);
}

TEST_CASE("overload: a planning day whose sale loads the fleet to its capacity exactly",
          "[fluid][overload]") {
    // Not written for the fluid mode's overload work: retail-peak-day (issue 19's case, which
    // ran it at target 60 %). Its 2x sale meets 6 instances at 100.0 % of their capacity (600
    // of 600 requests/s) for four minutes until the scale-out lands. Request mode serves it all
    // with waits near 1 s. The fluid mode took the unbounded queue's steady state: first a
    // check timing out (P(queue >= 500) at rho = 1 where the queue holds at most 300) and the
    // target replaced, then 503 for every request (C rho^K = 1), then 504 for every waiting
    // one (an exponential wait of mean 1 / 0): 36,000 to 177,000 errors against 12,042. Now
    // the bounded queue (M/M/c/K): errors within 10 %; its settled queue waits longer than
    // request mode's (still short) one, which the run says (fluid_limits).
    //
    // The fleet the sale meets, by hand: an instance serves 100 requests/s (2 vCPUs, 20 ms), so
    // at the 300 requests/s before the sale n instances run at 300 / n %. Target tracking keeps
    // n where that is neither above the target (3 of 3 minutes) nor below 0.9 x target (15 of
    // 15): at the file's target 50 % only n = 6 (50 %; 7 is 42.9 % < 45, 5 is 60 % > 50), and
    // the sale's 600 requests/s load those 6 exactly. At 60 % only n = 5 (60 %; 6 is 50 % < 54):
    // the sale would be a 1.2x overload like the cases above, no longer this case.
    const std::string file =
        std::string(STRATUS_SOURCE_DIR) + "/scenarios/planning/retail-peak-day.toml";
    // Seed 1, as issue 19's case ran it; the target made explicit (the file's own).
    const std::vector<std::string> at50 = {
        "autoscaling_policy.cpu.target_tracking_configuration.target_value=50",
        "simulation.seed=1"};
    Run r, f;
    for (auto [mode, out] :
         {std::pair{scenario::Fidelity::Request, &r}, std::pair{scenario::Fidelity::Fluid, &f}}) {
        scenario::Spec spec = scenario::load_file(file, at50);
        spec.simulation.fidelity = mode;
        report::Run run(spec);
        cloud::World& world = run.world();
        world.run();
        out->errors = run.recorder().errors();
        out->ok = run.recorder().count(cloud::Outcome::Ok);
        out->cost = world.cost().total();
        out->instance_hours = world.instance_hours(false) + world.instance_hours(true);
        out->limits = world.fluid() ? world.fluid()->limits().size() : 0;
        out->desired = testing::desired_changes(run);
    }
    const auto desired_at = [](const Run& x, double t) {
        int d = 0;
        for (const auto& [when, to] : x.desired)
            if (when < t) d = to;
        return d;
    };
    REQUIRE(desired_at(r, 50400) == 6);  // the sale starts at 14:00 (50,400 s)
    REQUIRE(desired_at(f, 50400) == 6);
    REQUIRE(r.errors > 10000);  // the AZ outage's and the sale's
    CHECK(static_cast<double>(f.errors) == Approx(static_cast<double>(r.errors)).epsilon(0.10));
    CHECK(static_cast<double>(f.ok) == Approx(static_cast<double>(r.ok)).epsilon(0.01));
    CHECK(f.cost == Approx(r.cost).epsilon(0.02));
    CHECK(f.instance_hours == Approx(r.instance_hours).epsilon(0.02));
    CHECK(f.limits >= 1);
}

TEST_CASE("overload: a flash sale beyond max_size under least outstanding requests",
          "[fluid][overload]") {
    // bench/scenarios/flash-sale-beyond-max.toml at its own seed (77): 8 to 24 c5.large (50
    // requests/s each) meet 1,400 requests/s for half an hour, beyond the 1,200 the group's
    // max_size serves. Every target fails open; new instances whose application is starting
    // answer 502 at once and, under least outstanding requests, take nearly every request
    // while the old ones drain and take turns (docs/fluid.md, "Failing open under
    // overload"). Request mode: 62.90 % available, 1,228,878 errors (51,453 502s), 24
    // instances from 2,460 s. The fluid mode: 62.97 %, 1,226,528 (52,725), 24 from 2,580 s;
    // the desired capacity within one instance at every minute. Mean latency is left out:
    // the fluid mode's is 10.7 % lower (8.7 against 7.8 s, queues of 20 s of work whose turns
    // are chance in request mode: docs/fluid.md has the seeds), and the run says so.
    const std::string file =
        std::string(STRATUS_SOURCE_DIR) + "/bench/scenarios/flash-sale-beyond-max.toml";
    const Run r = run_file(file, scenario::Fidelity::Request);
    const Run f = run_file(file, scenario::Fidelity::Fluid);
    REQUIRE(r.errors > 100000);   // the sale does saturate the group at its max_size
    REQUIRE(r.http_502 > 10000);  // starting instances take traffic
    REQUIRE(!r.desired.empty());
    REQUIRE(r.desired.front().second > 8);
    CHECK(static_cast<double>(f.errors) == Approx(static_cast<double>(r.errors)).epsilon(0.10));
    CHECK(static_cast<double>(f.ok) == Approx(static_cast<double>(r.ok)).epsilon(0.05));
    CHECK(static_cast<double>(f.http_502) == Approx(static_cast<double>(r.http_502)).epsilon(0.10));
    CHECK(std::abs(availability(f) - availability(r)) < 1.0);  // percentage points
    CHECK(f.cost == Approx(r.cost).epsilon(0.02));
    CHECK(f.instance_hours == Approx(r.instance_hours).epsilon(0.02));
    CHECK(desired_gap(r, f, 5400, 8) <= 2);
    CHECK(desired_at(r, 3600, 8) == 24);  // both reach max_size within the sale
    CHECK(desired_at(f, 3600, 8) == 24);
    CHECK(f.fail_open_limits == 1);
    CHECK(r.limits == 0);
}

TEST_CASE("overload: least outstanding requests levels the queues of targets taking turns",
          "[fluid][overload]") {
    // bench/scenarios/flash-sale-lor-turns.toml (held out, 7 December) cut to its first 20
    // minutes: 5 c5.2xlarge (80 requests/s each) meet 360 requests/s (90 %) as they start,
    // least outstanding requests. The first targets to pass their checks take all of it,
    // fill their 400-request queues (5 s of work, past the 4 s check) and fail: the fleet
    // takes turns. In request mode a target that passes again with an empty queue takes every
    // request until it has as many outstanding as the others, which drain meanwhile: the
    // queues level, every target passes, the group's CPU reads 100 % and target tracking
    // doubles it at 300 s. The fluid mode gave the returning target its share by capacity:
    // the others stayed held at the bound, kept failing, and the fleet took turns for the
    // whole 20 minutes at 5 instances (seed 1: 237,015 errors and 26.85 % available against
    // request mode's 73 and 99.98 %). Now it pours each second's requests over the targets'
    // outstanding counts from the lowest up (FluidModel::level_backlogs). Seeds 1 and 2: both
    // modes at 10 instances from 360 s. Seed 3 is request mode's chance: its turns go on to
    // minute 17 (81.3 % available) where the fluid mode's end at minute 6 (98.3 %).
    const std::string file =
        std::string(STRATUS_SOURCE_DIR) + "/bench/scenarios/flash-sale-lor-turns.toml";
    const std::vector<std::string> cut = {"simulation.duration=20m"};
    for (int seed : {1, 2}) {
        INFO("seed " << seed);
        const Run r = run_file(file, scenario::Fidelity::Request, seed, cut);
        const Run f = run_file(file, scenario::Fidelity::Fluid, seed, cut);
        REQUIRE(!r.desired.empty());
        REQUIRE(desired_at(r, 1200, 5) >= 10);  // request mode's queues level and it scales
        CHECK(availability(r) > 99.9);
        CHECK(availability(f) > 99.9);
        CHECK(f.cost == Approx(r.cost).epsilon(0.02));
        CHECK(f.instance_hours == Approx(r.instance_hours).epsilon(0.02));
        CHECK(desired_gap(r, f, 1200, 5) <= 1);
    }
}

TEST_CASE("overload: a short queue below capacity refuses what M/M/c/K refuses",
          "[fluid][overload]") {
    // bench/scenarios/short-queue.toml (held out, 7 December): c5.large (2 workers,
    // exponential 50 ms) with room for 3 queued requests, below capacity: only the arrivals
    // that find the queue full get 503.
    const std::string file = std::string(STRATUS_SOURCE_DIR) + "/bench/scenarios/short-queue.toml";
    // One instance at 25 requests/s: Poisson arrivals, M/M/2/5 by hand. a = 1.25, p_n is
    // a^n / n! up to the 2 workers, then x rho = 0.625 per queued request; full at n = 5.
    {
        const double a = 1.25, rho = a / 2;
        double p[6] = {1, a, a * a / 2, 0, 0, 0};
        for (int n = 3; n <= 5; ++n)
            p[n] = p[n - 1] * rho;
        double total = 0;
        for (double x : p)
            total += x;
        const double full = p[5] / total;  // 4.75 %
        REQUIRE(full == Approx(0.0475).epsilon(0.01));
        const std::vector<std::string> one = {
            "autoscaling_group.api.min_size=1", "autoscaling_group.api.max_size=1",
            "autoscaling_group.api.desired_capacity=1", "simulation.duration=120m",
            "workload.clients.rate={shape=\"constant\",value=25}"};
        const Run r = run_file(file, scenario::Fidelity::Request, 0, one);
        const Run f = run_file(file, scenario::Fidelity::Fluid, 0, one);
        const auto refused = [](const Run& x) {
            return static_cast<double>(x.http_503) / static_cast<double>(x.ok + x.errors);
        };
        // Before, the fluid mode took the unbounded queue's P(wait) for P(every worker
        // busy): 5.19 %. Request mode: 4.68 %.
        CHECK(refused(f) == Approx(full).epsilon(0.01));
        CHECK(refused(r) == Approx(full).epsilon(0.05));
    }
    // Six under least outstanding requests: a pool refuses only when all six queues are full
    // (M/M/12/30). Request mode 6,473 503s; the fluid mode 49,666 before (each queue its own
    // 3 places), 6,160 now.
    {
        const std::vector<std::string> lor = {
            "target_group.api-tg.load_balancing_algorithm_type=least_outstanding_requests"};
        const Run r = run_file(file, scenario::Fidelity::Request, 0, lor);
        const Run f = run_file(file, scenario::Fidelity::Fluid, 0, lor);
        REQUIRE(r.http_503 > 1000);
        CHECK(static_cast<double>(f.http_503) ==
              Approx(static_cast<double>(r.http_503)).epsilon(0.10));
        CHECK(f.cost == Approx(r.cost).epsilon(0.02));
    }
    // Round robin: each of the two nodes (cross-zone) hands a target every 12th request, the
    // two cursors d requests apart (d odd, set by the order the targets turned healthy): the
    // target's gaps alternate d and 12 - d requests, smoother than Poisson, so a short queue
    // fills less often (FluidModel::smooth_full: erlang_gaps_full averaged over d). Seeds 1-3:
    // request mode 83,117 503s, the fluid mode 82,644 (before, with Poisson's M/M/c/K: 138,386,
    // and a fluid_limit said so). Per seed request mode moves with d: 26,280-28,673.
    {
        std::int64_t r503 = 0, f503 = 0;
        for (int seed : {1, 2, 3}) {
            const Run r = run_file(file, scenario::Fidelity::Request, seed);
            const Run f = run_file(file, scenario::Fidelity::Fluid, seed);
            REQUIRE(r.http_503 > 10000);
            CHECK(r.limits == 0);
            CHECK(f.smooth_limits == 0);  // the smooth arrivals are modelled: no fluid_limit
            CHECK(f.cost == Approx(r.cost).epsilon(0.02));
            r503 += static_cast<std::int64_t>(r.http_503);
            f503 += static_cast<std::int64_t>(f.http_503);
        }
        CHECK(static_cast<double>(f503) == Approx(static_cast<double>(r503)).epsilon(0.03));
    }
    // Cross-zone off: each node rotates over its zone's 3 targets and DNS alternates the
    // nodes, so a target gets exactly every 6th request (E_6/M/2/8, one cycle). Room for 5:
    // seeds 1-2, request mode 32,039 503s, the fluid mode 33,184 (+3.6 %; before, 61,476).
    {
        const std::vector<std::string> zonal = {
            "load_balancer.api-alb.enable_cross_zone_load_balancing=false",
            "launch_template.api.max_queue=5"};
        std::int64_t r503 = 0, f503 = 0;
        for (int seed : {1, 2}) {
            const Run r = run_file(file, scenario::Fidelity::Request, seed, zonal);
            const Run f = run_file(file, scenario::Fidelity::Fluid, seed, zonal);
            REQUIRE(r.http_503 > 3000);
            CHECK(f.smooth_limits == 0);
            r503 += static_cast<std::int64_t>(r.http_503);
            f503 += static_cast<std::int64_t>(f.http_503);
        }
        CHECK(static_cast<double>(f503) == Approx(static_cast<double>(r503)).epsilon(0.05));
    }
}

TEST_CASE("overload: a Spot month's morning, its fleet undersized at the start",
          "[fluid][overload]") {
    // bench/scenarios/month-spot-scheduled.toml (a month written for the fluid mode's speed)
    // cut to 42 minutes of its first Monday morning, 06:50-07:32, so request mode can run it:
    // the group starts at its desired 8 (3 Spot types, price-capacity-optimized, 4 On-Demand
    // base) against about 4,500 requests/s on the diurnal curve, where 8 c5.large serve 640.
    // The queues fill (300 requests: 503), target tracking at 50 % doubles the group every
    // few minutes to about 125, and the 07:30 schedule raises min_size to 30 under it.
    // Request mode and the fluid mode agree within docs/fluid.md's overload tolerances (90
    // minutes from 06:45: errors -0.1 %, availability 88.97 / 88.98 %, cost +0.04 %).
    const std::string file =
        std::string(STRATUS_SOURCE_DIR) + "/bench/scenarios/month-spot-scheduled.toml";
    const std::vector<std::string> morning = {"simulation.start_time=2026-05-04T06:50:00Z",
                                              "simulation.duration=42m", "simulation.warmup=5m"};
    const Run r = run_file(file, scenario::Fidelity::Request, 0, morning);
    const Run f = run_file(file, scenario::Fidelity::Fluid, 0, morning);
    REQUIRE(r.errors > 100000);  // the undersized start saturates
    REQUIRE(r.desired.size() >= 4);
    CHECK(static_cast<double>(f.errors) == Approx(static_cast<double>(r.errors)).epsilon(0.10));
    CHECK(static_cast<double>(f.ok) == Approx(static_cast<double>(r.ok)).epsilon(0.05));
    CHECK(std::abs(availability(f) - availability(r)) < 1.0);  // percentage points
    CHECK(f.mean_ms == Approx(r.mean_ms).epsilon(0.10));
    CHECK(f.cost == Approx(r.cost).epsilon(0.02));
    CHECK(f.instance_hours == Approx(r.instance_hours).epsilon(0.02));
    // The doublings (8 -> 16 -> 32 -> 64 -> ~122) land at the same minutes: within one
    // instance before 100, and 3 % above (the last ones follow the CPU's noise).
    for (double t = 0; t < 42 * 60; t += 60) {
        const int dr = desired_at(r, t, 8), df = desired_at(f, t, 8);
        INFO("at " << t << " s: request " << dr << ", fluid " << df);
        CHECK(std::abs(dr - df) <= std::max(1, static_cast<int>(0.03 * dr)));
    }
}

TEST_CASE(
    "overload: a queue full by count past its clients' timeout answers what request mode "
    "answers in time",
    "[fluid][overload]") {
    // Full by count, the queue takes a request only when one leaves, so the requests it takes
    // are far more regular over the head's walk than Poisson's (their count over the last 3 s
    // is pinned near 180), and the starts of 8 workers with lognormal service (cv 0.8) are as
    // regular as the service times over a second (index 0.64, not 1): the head's distance
    // below the timeout is about 60 % of the M/M/1 walk's, and fewer requests are answered in
    // time (FluidModel::held_spread). Before, the fluid mode answered 24,519 in time against
    // request mode's 18,294 at seeds 1-3 (+34 %), now 17,951 (-1.9 %); 503s -4 %, now +1 %; 504s
    // -11 %, now +1 %. Request mode at seeds 1-2: in time, 503s and 504s within 5 %.
    // The same instance held by the timeout only (c5.xlarge, 4 workers, lognormal 65 ms cv
    // 0.5: 61.5 requests/s, room for 5,000, 20 s clients): the starts' index alone (0.26 over
    // half a second in a request-by-request simulation, where the gaps' squared CV is 0.81).
    // Before, 33,727 answered in time against request mode's 27,884 at seeds 1-2 (+21 %);
    // now 26,607 (-4.6 %; 504s 58,892 against 55,878, +5.4 %): both asserted within 10 % (left:
    // the index at the walk's time scale corrects a little too much for service times this
    // regular).
    // bench/scenarios/queue-full-past-timeout.toml: one c6i.xlarge (8 workers, lognormal 150 ms
    // cv 0.8: 53.3 requests/s) meets 75 requests/s with 3 s clients and room for 180 requests
    // (3.4 s of work): its queue holds the last 3 s of arrivals less those it could not take.
    const std::string kFullPastTimeout =
        std::string(STRATUS_SOURCE_DIR) + "/bench/scenarios/queue-full-past-timeout.toml";
    for (const bool pinned : {true, false}) {
        const std::vector<std::string> set =
            pinned ? std::vector<std::string>{}
                   : std::vector<std::string>{"launch_template.api.max_queue=5000",
                                              "launch_template.api.instance_type=c5.xlarge",
                                              "launch_template.api.workers_per_vcpu=1",
                                              "workload.calls.timeout=20s",
                                              "workload.calls.service_time.mean=65ms",
                                              "workload.calls.service_time.cv=0.5"};
        double ok = 0, e503 = 0, e504 = 0;
        for (int seed = 1; seed <= 2; ++seed) {
            const Run r = run_file(kFullPastTimeout, scenario::Fidelity::Request, seed, set);
            ok += static_cast<double>(r.ok) / 2;
            e503 += static_cast<double>(r.http_503) / 2;
            e504 += static_cast<double>(r.http_504) / 2;
        }
        const Run f = run_file(kFullPastTimeout, scenario::Fidelity::Fluid, 1, set);
        INFO((pinned ? "full by count" : "timeout only")
             << ": request ok " << ok << " 503 " << e503 << " 504 " << e504 << ", fluid " << f.ok
             << " / " << f.http_503 << " / " << f.http_504);
        REQUIRE(e504 > 30000);  // held at the timeout
        CHECK(static_cast<double>(f.ok) == Approx(ok).epsilon(pinned ? 0.05 : 0.10));
        CHECK(static_cast<double>(f.http_504) == Approx(e504).epsilon(pinned ? 0.05 : 0.10));
        if (pinned) {
            REQUIRE(e503 > 10000);  // full by count as well
            CHECK(static_cast<double>(f.http_503) == Approx(e503).epsilon(0.05));
        } else {
            CHECK(static_cast<double>(f.http_503) < 0.05 * e504);
        }
    }
}

TEST_CASE("overload: long client timeouts, a queue bound by count and one held part of the time",
          "[fluid][overload]") {
    // bench/scenarios/long-timeout-queue.toml: three c6g.xlarge (20 requests/s each) at 75
    // requests/s for 36 minutes, room for 2,000 requests each. With 1 h clients nobody times
    // out: the queues are bound by their count (100 s of work), the overflow is 503 and the
    // rest waits about 100 s. Request mode at seeds 1-3 (docs/fluid.md, "Long client
    // timeouts"): availability, 503s, mean latency and cost as in the overload cases.
    const std::string file =
        std::string(STRATUS_SOURCE_DIR) + "/bench/scenarios/long-timeout-queue.toml";
    const std::vector<std::string> hour = {"workload.calls.timeout=1h"};
    Run r_sum, f_sum;
    double r_mean = 0, f_mean = 0, r_cost = 0, f_cost = 0;
    for (int seed = 1; seed <= 3; ++seed) {
        const Run r = run_file(file, scenario::Fidelity::Request, seed, hour);
        const Run f = run_file(file, scenario::Fidelity::Fluid, seed, hour);
        REQUIRE(r.http_503 > 5000);  // bound by count ...
        REQUIRE(r.http_504 == 0);    // ... and by nothing else
        REQUIRE(r.in_flight < 100);  // answered by the end
        CHECK(f.http_504 == 0);
        CHECK(f.pinned_limits == 0);
        CHECK(f.end_limits == 0);
        r_sum.ok += r.ok;
        f_sum.ok += f.ok;
        r_sum.http_503 += r.http_503;
        f_sum.http_503 += f.http_503;
        r_mean += r.mean_ms;
        f_mean += f.mean_ms;
        r_cost += r.cost;
        f_cost += f.cost;
    }
    INFO("request ok " << r_sum.ok << " 503 " << r_sum.http_503 << " mean " << r_mean / 3
                       << " ms, fluid " << f_sum.ok << " / " << f_sum.http_503 << " / "
                       << f_mean / 3);
    CHECK(static_cast<double>(f_sum.ok) == Approx(static_cast<double>(r_sum.ok)).epsilon(0.02));
    CHECK(static_cast<double>(f_sum.http_503) ==
          Approx(static_cast<double>(r_sum.http_503)).epsilon(0.10));
    CHECK(f_mean == Approx(r_mean).epsilon(0.05));
    CHECK(f_cost == Approx(r_cost).epsilon(0.02));

    // 90 s clients (the file): 1,800 requests' work within the timeout, 2,000 places, 2,250
    // arrivals in 90 s: full by count part of the time and held by the timeout. Not followed
    // (seeds 1-5: in time -6.7 %, 504s +12.4 %); the run says so, in the direction it says.
    // Cut at 36 minutes, the run ends with the queues held: request mode has about 6,000
    // requests in flight, which the fluid mode counted when they arrived; it says so with
    // their number (its backlogs, 3 x 1,800: within 15 % of request mode's).
    Run r90, f90;
    for (int seed = 1; seed <= 3; ++seed) {
        const Run r = run_file(file, scenario::Fidelity::Request, seed);
        const Run f = run_file(file, scenario::Fidelity::Fluid, seed);
        REQUIRE(r.http_504 > 20000);  // held by the timeout ...
        REQUIRE(r.http_503 > 5000);   // ... and full by count at times
        CHECK(f.pinned_limits == 1);
        CHECK(f.end_limits == 0);
        r90.ok += r.ok;
        f90.ok += f.ok;
        r90.http_504 += r.http_504;
        f90.http_504 += f.http_504;
    }
    CHECK(f90.ok < r90.ok);
    CHECK(f90.http_504 > r90.http_504);
    const std::vector<std::string> cut = {"simulation.duration=36m"};
    const Run r = run_file(file, scenario::Fidelity::Request, 1, cut);
    const Run f = run_file(file, scenario::Fidelity::Fluid, 1, cut);
    REQUIRE(r.in_flight > 5000);
    CHECK(f.in_flight < 10);   // counted when they arrived ...
    CHECK(f.end_limits == 1);  // ... and said so
    CHECK(f.end_queued == Approx(static_cast<double>(r.in_flight)).epsilon(0.15));
}

TEST_CASE("overload: cold starts under ALBRequestCountPerTarget scale in on a noisy count",
          "[fluid][overload]") {
    // bench/scenarios/cold-start-reqcount.toml (held out, hs6): 10 to 40 c7g.large, target
    // tracking at 1,800 requests per target a minute; 900 requests/s reach 40 instances, each
    // counting 1,350 a minute (Poisson: 1,350 give or take 5.8). The scale-in computes
    // ceil(40 x count / 1,800): 30 for a count at or below 1,350, 31 above (up to 1,395, 7.7
    // standard deviations): each about half the time, as in request mode (seeds 1-6: 31, 30,
    // 31, 30, 31, 30). With the exact expected count the fluid mode took 30 every time (-2.4 %
    // instance-hours over seeds 1-6).
    const std::string file =
        std::string(STRATUS_SOURCE_DIR) + "/bench/scenarios/cold-start-reqcount.toml";
    int to_30 = 0, to_31 = 0;
    for (int seed = 1; seed <= 6; ++seed) {
        const Run f = run_file(file, scenario::Fidelity::Fluid, seed);
        int peak = 0, scale_in = 0;
        for (const auto& [when, to] : f.desired) {
            if (to > peak) peak = to;
            if (peak == 40 && to < 40 && scale_in == 0) scale_in = to;
        }
        REQUIRE(peak == 40);  // the cold starts took the group to its maximum
        INFO("seed " << seed << ": scaled in to " << scale_in);
        CHECK((scale_in == 30 || scale_in == 31));
        to_30 += scale_in == 30;
        to_31 += scale_in == 31;
    }
    CHECK(to_30 >= 1);
    CHECK(to_31 >= 1);
}

TEST_CASE(
    "overload: a second held-out set (step scaling at 30 s, Spot lost at a peak, an NLB spiral)",
    "[fluid][overload]") {
    // bench/scenarios/ (held out, 7 December; docs/fluid.md "A second held-out overload set").
    const std::string bench = std::string(STRATUS_SOURCE_DIR) + "/bench/scenarios/";
    // Spot-heavy at a peak, 70 % of the Spot Instances interrupted; an NLB death spiral with
    // 2 s checks: one seed each, the tolerances of the shipped overload scenarios.
    for (const char* name : {"spot-loss-peak", "spiral-nlb"}) {
        INFO(name);
        const Run r = run_file(bench + name + ".toml", scenario::Fidelity::Request, 1);
        const Run f = run_file(bench + name + ".toml", scenario::Fidelity::Fluid, 1);
        check_agreement(r, f);
        CHECK(availability(f) == Approx(availability(r)).margin(1.0));
    }
    // An undersized start under step scaling on 2 of 2 one-minute datapoints with 30 s rows:
    // each run's step lands a datapoint apart by chance (instance-hours within 7 % seed by
    // seed), so the means of seeds 1-4.
    Run r_sum, f_sum;
    for (int seed = 1; seed <= 4; ++seed) {
        const Run r =
            run_file(bench + "undersized-step-30s.toml", scenario::Fidelity::Request, seed);
        const Run f = run_file(bench + "undersized-step-30s.toml", scenario::Fidelity::Fluid, seed);
        REQUIRE(r.errors > 50000);  // it saturates
        r_sum.errors += r.errors;
        f_sum.errors += f.errors;
        r_sum.ok += r.ok;
        f_sum.ok += f.ok;
        r_sum.cost += r.cost;
        f_sum.cost += f.cost;
        r_sum.instance_hours += r.instance_hours;
        f_sum.instance_hours += f.instance_hours;
    }
    CHECK(static_cast<double>(f_sum.errors) ==
          Approx(static_cast<double>(r_sum.errors)).epsilon(0.05));
    CHECK(static_cast<double>(f_sum.ok) == Approx(static_cast<double>(r_sum.ok)).epsilon(0.02));
    CHECK(f_sum.cost == Approx(r_sum.cost).epsilon(0.03));
    CHECK(f_sum.instance_hours == Approx(r_sum.instance_hours).epsilon(0.03));
}

TEST_CASE("overload: one of three AZs lost at the peak, as in request mode", "[fluid][overload]") {
    // bench/scenarios/az-kill-peak.toml (held out, 7 December): 9 c5.large (2 workers,
    // exponential 50 ms: 40 requests/s each, 360 in all) in three AZs meet 560 requests/s from
    // minute 6 (queues of 100, 10 s clients) and scale out by target tracking at 70 % CPU to
    // their max_size of 15 (600 requests/s); us-west-2b fails from minute 14 for 12 minutes, so
    // the 10 targets left meet 560 requests/s with room for 400: the queues fill (503), 10 s
    // waits (504), and the group launches in the other AZs. Both modes, seeds 1-3: errors,
    // 503s and 504s summed over the seeds within 10 % (one seed's 503s vary by 10 % in the fluid
    // mode: which targets fail their checks first), availability; per seed the instance-hours,
    // cost and the desired capacity minute by minute. The mean latency of the three seeds is
    // asserted within 15 %: the fluid mode's is 10-16 % low (seeds 1-3: 468 / 426 / 473 ms
    // against 519 / 507 / 520), all of it after the AZ returns, when rebalancing's one-at-a-time
    // terminations hold the targets exactly at capacity (docs/fluid.md, "A second held-out
    // overload set"; left).
    const std::string file = std::string(STRATUS_SOURCE_DIR) + "/bench/scenarios/az-kill-peak.toml";
    Run r_sum, f_sum;
    for (int seed = 1; seed <= 3; ++seed) {
        INFO("seed " << seed);
        const Run r = run_file(file, scenario::Fidelity::Request, seed);
        const Run f = run_file(file, scenario::Fidelity::Fluid, seed);
        REQUIRE(r.errors > 20000);  // the lost AZ overloads the rest
        REQUIRE(r.http_503 > 10000);
        REQUIRE(r.http_504 > 5000);
        CHECK(f.cost == Approx(r.cost).epsilon(0.02));
        CHECK(f.instance_hours == Approx(r.instance_hours).epsilon(0.02));
        CHECK(desired_gap(r, f, 40 * 60, 9) <= 1);
        r_sum.mean_ms += r.mean_ms / 3;
        f_sum.mean_ms += f.mean_ms / 3;
        for (auto [sum, x] : {std::pair<Run*, const Run*>{&r_sum, &r}, {&f_sum, &f}}) {
            sum->ok += x->ok;
            sum->errors += x->errors;
            sum->http_503 += x->http_503;
            sum->http_504 += x->http_504;
        }
    }
    for (auto [name, r, f] :
         {std::tuple<const char*, double, double>{"errors", r_sum.errors, f_sum.errors},
          {"503", r_sum.http_503, f_sum.http_503},
          {"504", r_sum.http_504, f_sum.http_504}}) {
        INFO(name << ": request " << r << ", fluid " << f);
        CHECK(f == Approx(r).epsilon(0.10));
    }
    CHECK(std::abs(availability(f_sum) - availability(r_sum)) < 0.5);  // percentage points
    CHECK(f_sum.mean_ms == Approx(r_sum.mean_ms).epsilon(0.15));
}

TEST_CASE("overload: the m6g month's flash sale, from a settled fleet to its max_size",
          "[fluid][overload]") {
    // bench/scenarios/month-m6g-3az-nlb-flash.toml (a held-out month for the fluid mode's speed)
    // cut to its flash sale: 5 minutes of its hour 426 (8,457 requests/s) then the sale's
    // 23,441, 20 minutes in all. The fleet starts settled at 100 m6g.xlarge (4 workers,
    // lognormal 25 ms cv 1.4: 160 requests/s each, 53 % CPU, between the 35 % and 62 % alarms)
    // behind an NLB without cross-zone. At the sale 100 instances have 68 % of what arrives:
    // the queues (250) fill and refuse (503) until step scaling's +30 % steps (CPU more than 12
    // points over 62 %, two 1-minute datapoints) reach max_size 200, where 23,441 requests/s
    // are 73 % of capacity. Request mode and the fluid mode, seeds 1-2: errors within 5 %,
    // availability within 0.2 points, mean latency 5 %, the same instance-hours and cost.
    scenario::Spec spec = scenario::load_file(std::string(STRATUS_SOURCE_DIR) +
                                              "/bench/scenarios/month-m6g-3az-nlb-flash.toml");
    REQUIRE(spec.workload.size() == 1);
    REQUIRE(spec.autoscaling_group.size() == 1);
    std::vector<std::pair<SimTime, double>>& steps = spec.workload[0].rate.steps;
    const SimTime sale = 427 * kHour, from = sale - 5 * kMinute;
    REQUIRE(steps.size() == 720);
    REQUIRE(steps[426].first == 426 * kHour);
    REQUIRE(steps[427].first == sale);
    REQUIRE(steps[427].second > 2.5 * steps[426].second);  // the sale
    steps = {{0, steps[426].second}, {sale - from, steps[427].second}};
    spec.simulation.duration = 20 * kMinute;
    spec.simulation.warmup = 0;
    spec.autoscaling_group[0].desired_capacity = 100;
    for (int seed = 1; seed <= 2; ++seed) {
        INFO("seed " << seed);
        const Run r = run_spec(spec, scenario::Fidelity::Request, seed);
        const Run f = run_spec(spec, scenario::Fidelity::Fluid, seed);
        REQUIRE(r.http_503 > 1000000);  // the sale overloads the settled fleet
        REQUIRE(desired_at(r, 20 * 60, 100) == 200);
        CHECK(static_cast<double>(f.errors) == Approx(static_cast<double>(r.errors)).epsilon(0.05));
        CHECK(std::abs(availability(f) - availability(r)) < 0.2);
        CHECK(f.mean_ms == Approx(r.mean_ms).epsilon(0.05));
        CHECK(f.cost == Approx(r.cost).epsilon(0.01));
        CHECK(f.instance_hours == Approx(r.instance_hours).epsilon(0.01));
        CHECK(desired_gap(r, f, 20 * 60, 100) <= 3);
    }
}

TEST_CASE("overload: a full queue at its capacity exactly still fails its checks",
          "[fluid][overload]") {
    // A target held full (100 requests, 2 workers of 60 ms: 33.3 requests/s) whose share falls
    // to its capacity exactly (9 of 11 targets healthy at 300 requests/s) drains a little and
    // then walks without drift. Request mode's queue 1.8 s later is about where it was, give
    // or take sqrt(sigma^2 t) = sqrt(75 x 1.8) = 11.6 requests, so a 2 s check (66 queued)
    // fails: P(Q >= 66) = Phi((91.7 - 65.5) / 11.6) = 0.988 at the EWMA's mean (0.965 over its
    // spread, thresholds of 60-74 requests, and its tie to the queue). The draining queue's spread
    // was the walk's over the time the fluid takes to drain it, infinite at a drift of zero (300 s,
    // the longest wander: 150 requests), so such a check passed one time in three and the
    // turns of a death spiral ended (bench/scenarios/spiral-alb-2s.toml, below); it is now the
    // shorter of that and the spread the walk gathered since it stopped growing.
    cloud::FluidQueue q;
    q.cap = 100;
    q.backlog = 91.7;
    q.drift = 0.0;
    q.variance_rate = 75.0;  // 33.3 arrivals (ca^2 1 / 9) and 33.3 starts of cs^2 0.25 a second
    q.walk_var = 75.0 * 1.8;
    q.mean_service_s = 0.06;
    q.service_cv2 = 0.25;
    const double p0 = cloud::health_check_timeout_probability(q, 2, 0.0, 2.0);
    CHECK(p0 > 0.95);  // 0.667 before
    // A hair below its capacity the same; a hair above it (held again, its position drawn:
    // walk_var 0) it fails at least as often.
    q.drift = -1e-9;
    CHECK(cloud::health_check_timeout_probability(q, 2, 0.0, 2.0) == Approx(p0).margin(1e-6));
    q.drift = 1e-9;
    q.walk_mean = 91.7;
    q.walk_var = 0;
    CHECK(cloud::health_check_timeout_probability(q, 2, 0.0, 2.0) >= p0);
}

TEST_CASE("overload: a death spiral with 2 s checks and ELB replacement keeps its turns",
          "[fluid][overload]") {
    // bench/scenarios/spiral-alb-2s.toml (session 12): 12 m5.large, checks every 5 s with a 2 s
    // timeout, replacements replaced, 300 requests/s after the sale (9 healthy targets at their
    // capacity exactly). Request mode's targets take turns to the end and the group never
    // scales (seeds 1-6: 220,500-227,000 errors, 70.4-71.4 % available); the fluid mode's turns
    // ended in 3 of seeds 1-6 and 4 of seeds 6-15, scaling to 13 (errors -22 %: 172,630 against
    // 221,820 over seeds 1-6), where a queue held full passed its check at the capacity exactly.
    const std::string file =
        std::string(STRATUS_SOURCE_DIR) + "/bench/scenarios/spiral-alb-2s.toml";
    Run r, f;
    for (int seed = 1; seed <= 3; ++seed) {
        const Run x = run_file(file, scenario::Fidelity::Request, seed);
        REQUIRE(x.desired.empty());  // request mode's group never scales
        r.errors += x.errors;
        r.ok += x.ok;
        r.cost += x.cost / 3;
        r.instance_hours += x.instance_hours / 3;
    }
    for (int seed = 1; seed <= 6; ++seed) {
        INFO("seed " << seed);
        const Run x = run_file(file, scenario::Fidelity::Fluid, seed);
        CHECK(x.desired.empty());
        CHECK(x.limits > 0);       // it says its checks fail under load: one draw of the turns
        f.errors += x.errors / 2;  // six seeds against three
        f.ok += x.ok / 2;
        f.cost += x.cost / 6;
        f.instance_hours += x.instance_hours / 6;
    }
    CHECK(static_cast<double>(f.errors) == Approx(static_cast<double>(r.errors)).epsilon(0.05));
    CHECK(static_cast<double>(f.ok) == Approx(static_cast<double>(r.ok)).epsilon(0.03));
    CHECK(f.cost == Approx(r.cost).epsilon(0.01));
    CHECK(f.instance_hours == Approx(r.instance_hours).epsilon(0.01));
}

TEST_CASE("overload: a least-outstanding pool held full by count waits its bound",
          "[fluid][overload]") {
    // bench/scenarios/lor-pool-held.toml (held out, session 14): six c6i.xlarge (4 workers,
    // lognormal 38 ms of cv 2.5: 105.3 requests/s each) under least outstanding requests at
    // 780 requests/s, 1.24x, room for 120 each. Every place that opens in the pool is taken at
    // once, so each queue sits at its bound: a wait of 120 x 38 / 4 = 1,140 ms, 1,178 ms with
    // the request's own service. The pool's count is short of its 720 places by a walk of
    // (780 + 631.6 x 6.25) / (2 x 148.4) = 16 requests, under 3 each (25 ms). Before, the fluid
    // mode took one queue's walk in work (159 ms short): a mean of 1,018 ms against request
    // mode's 1,161 (seed 1; seeds 1-3 1,161 to 1,185).
    const std::string file =
        std::string(STRATUS_SOURCE_DIR) + "/bench/scenarios/lor-pool-held.toml";
    const Run r = run_file(file, scenario::Fidelity::Request);
    const Run f = run_file(file, scenario::Fidelity::Fluid);
    REQUIRE(r.http_503 > 20000);  // held full: the overflow is refused at the door
    const double bound_ms = 120 * 38.0 / 4 + 38.0;
    CHECK(r.mean_ms == Approx(bound_ms).epsilon(0.05));
    CHECK(f.mean_ms == Approx(bound_ms).epsilon(0.05));
    CHECK(f.mean_ms == Approx(r.mean_ms).epsilon(0.05));
    CHECK(static_cast<double>(f.errors) == Approx(static_cast<double>(r.errors)).epsilon(0.05));
    CHECK(static_cast<double>(f.ok) == Approx(static_cast<double>(r.ok)).epsilon(0.02));
}

TEST_CASE("overload: a database failover longer than a step fails every request until it ends",
          "[fluid][overload]") {
    // Held out in session 15 (a Multi-AZ failover of 60-120 s at a busy peak): the fluid mode
    // gave 60 s of 500s whatever the failover's length, because it accounted each step at its
    // close with the database as it was then, and a failover's end closes the step it ends
    // with the database already back. Here the failover takes 100 s from 5 min: 40 requests/s
    // x 100 s = 4,000 requests wait the 5 s connect timeout and get 500 (request mode: the
    // same window, Poisson arrivals).
    const char* const text = R"(
[simulation]
name = "db-failover-100s"
duration = "10m"
seed = 3
metrics_period = "60s"
warmup = "2m"
[region]
name = "ap-northeast-2"
availability_zones = ["ap-northeast-2a", "ap-northeast-2c"]
[[launch_template]]
name = "web"
instance_type = "m5.large"
app_start_time = "10s"
[[target_group]]
name = "web-tg"
health_check = { interval = 10, timeout = 5, healthy_threshold = 3, unhealthy_threshold = 2 }
[[load_balancer]]
name = "web-alb"
[[lb_listener]]
load_balancer = "web-alb"
port = 80
target_group = "web-tg"
[[autoscaling_group]]
name = "web"
launch_template = "web"
min_size = 2
max_size = 2
target_groups = ["web-tg"]
[[db_instance]]
identifier = "db"
engine = "mysql"
instance_class = "db.m5.large"
multi_az = true
availability_zone = "ap-northeast-2a"
failover_time = "100s"
[[workload]]
name = "shop"
load_balancer = "web-alb"
rate = 40
service_time = { dist = "exponential", mean = "30ms" }
database = "db"
database_connect_timeout = 5
[[fault]]
type = "db_failover"
target = "db"
at = "5m"
)";
    const scenario::Spec spec = scenario::load_text(text, "db-failover-100s.toml");
    const Run f = run_spec(spec, scenario::Fidelity::Fluid, 0);
    const Run r = run_spec(spec, scenario::Fidelity::Request, 0);
    REQUIRE(r.errors > 3000);  // the failover fails requests in request mode
    CHECK(static_cast<double>(f.errors) == Approx(40.0 * 100).epsilon(0.01));
    // Request mode's count is Poisson around 4,000 (sd 63): within 5 %.
    CHECK(static_cast<double>(f.errors) == Approx(static_cast<double>(r.errors)).epsilon(0.05));
}

TEST_CASE("overload: a fleet held at its target tracking CPU target says its scale-out is chance",
          "[fluid][overload]") {
    // Held out in session 15: 6 c6i.large (2 workers each) at 120 requests/s of 50 ms, 50.0 %
    // CPU against a target of 50, the datapoints' noise sd about 0.9 % (lambda E[S^2] / 60 s
    // per instance over 6 instances and 12 workers, lognormal cv 1.2). Whether three
    // datapoints in a row exceed 50 is chance in both modes, and a 5x spike at minute 10 turns
    // it into 7 or 12 instances; the fluid run says so. At 100 requests/s (41.7 %) it does not.
    const char* const text = R"(
[simulation]
name = "tt-edge"
duration = "9m"
seed = 1
metrics_period = "60s"
[region]
name = "ap-southeast-1"
availability_zones = ["ap-southeast-1a", "ap-southeast-1b"]
[[launch_template]]
name = "web"
instance_type = "c6i.large"
max_queue = 120
boot_time = "45s"
app_start_time = "30s"
[[target_group]]
name = "web-tg"
health_check = { interval = 10, timeout = 5, healthy_threshold = 3, unhealthy_threshold = 2 }
[[load_balancer]]
name = "web-alb"
[[lb_listener]]
load_balancer = "web-alb"
port = 80
target_group = "web-tg"
[[autoscaling_group]]
name = "web"
launch_template = "web"
min_size = 6
max_size = 30
target_groups = ["web-tg"]
[[autoscaling_policy]]
name = "cpu"
autoscaling_group = "web"
policy_type = "TargetTrackingScaling"
target_tracking_configuration = { predefined_metric_type = "ASGAverageCPUUtilization", target_value = 50 }
[[workload]]
name = "web"
load_balancer = "web-alb"
rate = 120
service_time = { dist = "lognormal", mean = "50ms", cv = 1.2 }
timeout = "5s"
)";
    const auto edge_notes = [&](double rate) {
        scenario::Spec spec = scenario::load_text(text, "tt-edge.toml");
        spec.workload.front().rate.value = rate;
        spec.simulation.fidelity = scenario::Fidelity::Fluid;
        report::Run run(spec);
        run.world().run();
        int notes = 0;
        for (const auto& limit : run.world().fluid()->limits())
            notes += limit.reason.find("sampling noise") != std::string::npos;
        return notes;
    };
    CHECK(edge_notes(120) == 1);
    CHECK(edge_notes(100) == 0);
}

}  // namespace test_fluid_overload
