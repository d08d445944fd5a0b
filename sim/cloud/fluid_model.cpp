#include "sim/cloud/fluid_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "sim/cloud/load_balancer.hpp"
#include "sim/cloud/request_accounting.hpp"
#include "sim/cloud/target_group.hpp"
#include "sim/core/queueing.hpp"
#include "sim/core/random.hpp"

namespace stratus::cloud {
namespace {

// Quantile bins of the service and waiting times: coarse in the body, fine in the tail, so
// that p99 comes from points near the 0.99 quantile. Each bin is represented by its
// conditional mean, which keeps the mean exact.
constexpr double kEdges[] = {0, 0.2, 0.4, 0.6, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 1};

constexpr int kServiceDraws = 20000;

// The shape of a steady state's wait given that it waits (QueueState::wait_split): an
// exponential has the right mean (Whitt's, below) but, with service times of a long tail,
// too little spread. M/G/1's conditional wait has squared coefficient of variation 2 rho + 4
// (1 - rho) r / 3 - 1 with r = E[S^3] E[S] / E[S^2]^2 (mg1_conditional_wait_cv2; 1 for
// exponential service and at rho = 1), and c workers as one of c times the speed keep r (the
// ratio approximation, E[W^2] of M/G/c ~ M/M/c's x M/G/1's / M/M/1's). With c workers a long
// request holds one of them: the wait's tail is M/G/1's (one long request enough to overload
// the rest) only when the other c - 1 serve less than the arrivals, rho > 1 - 1/c; below,
// two or more long requests must meet and the tail is much lighter (S. Foss and D.
// Korshunov, "Heavy tails in multi-server queue", Queueing Systems 52, 2006): there the
// exponential stands. Round robin to 10 targets of 4 workers, lognormal 25 ms cv 2 at rho
// 0.85: p99 403 ms against request mode's 503 (seeds 1-4), now 503; at rho 0.7 the shape
// gave 323 against 277 (the exponential 233, kept). Within 5 % of the exponential's variance
// the exponential stands (and its 11 points). S is the instance's: CPU time / speed + extra.
double wait_split(int servers, double rho, double s1, double s2, double s3, double speed,
                  double extra) {
    if (!(rho * servers > servers - 1)) return 0.0;
    const double m1 = s1 / speed + extra;
    const double m2 = s2 / (speed * speed) + 2 * extra * s1 / speed + extra * extra;
    const double m3 = s3 / (speed * speed * speed) + 3 * extra * s2 / (speed * speed) +
                      3 * extra * extra * s1 / speed + extra * extra * extra;
    if (!(m2 > 0) || !(s3 > 0)) return 0.0;
    const double cv2 = mg1_conditional_wait_cv2(rho, m3 * m1 / (m2 * m2));
    return cv2 > 1.05 ? balanced_h2_split(cv2) : 0.0;
}

}  // namespace

// A workload's service time as weighted points: the bins' conditional means of a large sorted
// sample from its own distribution (any kind: constant, exponential, lognormal, normal,
// uniform, empirical), rescaled so that the mean is the distribution's.
FluidModel::ServicePoints FluidModel::service_points(const DurationDist& dist, RandomStream& rng) {
    std::vector<double> draws(kServiceDraws);
    for (double& d : draws)
        d = to_seconds(rng.sample(dist));
    std::sort(draws.begin(), draws.end());
    ServicePoints sp;
    double sum = 0, sq = 0, cube = 0;
    for (double d : draws) {
        sum += d;
        sq += d * d;
        cube += d * d * d;
    }
    sp.mean_s = sum / kServiceDraws;
    sp.second_moment = sq / kServiceDraws;
    sp.third_moment = cube / kServiceDraws;
    for (int k = 0; k < kBins; ++k) {
        const auto lo = static_cast<std::size_t>(kEdges[k] * kServiceDraws);
        const auto hi = static_cast<std::size_t>(kEdges[k + 1] * kServiceDraws);
        if (hi <= lo) continue;
        double bin = 0;
        for (std::size_t i = lo; i < hi; ++i)
            bin += draws[i];
        const double value = bin / static_cast<double>(hi - lo);
        const double weight = static_cast<double>(hi - lo) / kServiceDraws;
        // Equal neighbours (a constant service time) become one point.
        if (!sp.value_s.empty() && sp.value_s.back() == value) {
            sp.weight.back() += weight;
        } else {
            sp.value_s.push_back(value);
            sp.weight.push_back(weight);
        }
    }
    double exact_mean = -1, exact_m2 = -1, exact_m3 = -1;
    exact_moments(dist, exact_mean, exact_m2, exact_m3);
    if (exact_mean > 0 && sp.mean_s > 0) {
        for (double& v : sp.value_s)
            v *= exact_mean / sp.mean_s;
        sp.mean_s = exact_mean;
        sp.second_moment = exact_m2;
        sp.third_moment = exact_m3;
    }
    return sp;
}

// The exact moments where the distribution has them (the sample's mean is within ~1 %, and at
// rho = 0.95 a 1 % capacity error moves the wait by 20 %); -1 where it has none (a normal
// distribution truncated at 0: the sample's moments stand).
void FluidModel::exact_moments(const DurationDist& dist, double& mean, double& m2, double& m3) {
    const double m = to_seconds(dist.mean);
    switch (dist.kind) {
        case scenario::DistKind::Constant:
            mean = m;
            m2 = m * m;
            m3 = m * m * m;
            break;
        case scenario::DistKind::Exponential:
            mean = m;
            m2 = 2 * m * m;
            m3 = 6 * m * m * m;
            break;
        case scenario::DistKind::Lognormal: {
            // E[S^k] = m^k (1 + cv^2)^(k (k - 1) / 2)
            const double g = 1 + dist.cv * dist.cv;
            mean = m;
            m2 = m * m * g;
            m3 = m * m * m * g * g * g;
            break;
        }
        case scenario::DistKind::Uniform: {
            const double a = to_seconds(dist.min), b = to_seconds(dist.max);
            mean = (a + b) / 2;
            m2 = (a * a + a * b + b * b) / 3;
            m3 = (a + b) * (a * a + b * b) / 4;
            break;
        }
        case scenario::DistKind::Empirical:
            if (!dist.samples.empty()) {
                double s1 = 0, s2 = 0, s3 = 0;
                for (SimTime v : dist.samples) {
                    const double x = to_seconds(v);
                    s1 += x;
                    s2 += x * x;
                    s3 += x * x * x;
                }
                const double n = static_cast<double>(dist.samples.size());
                mean = s1 / n;
                m2 = s2 / n;
                m3 = s3 / n;
            }
            break;
        case scenario::DistKind::Normal:  // truncated at 0: the sample's moments
            break;
    }
}

FluidModel::FluidModel(const scenario::Spec& spec, Simulation& sim, Fleet& fleet,
                       RequestAccounting& accounting,
                       const std::vector<std::unique_ptr<Workload>>& workloads, SimTime coarse_step)
    : spec_(spec),
      sim_(sim),
      fleet_(fleet),
      accounting_(accounting),
      workloads_(workloads),
      noise_(spec.simulation.seed, "fluid/cpu-noise"),
      lag_stream_(spec.simulation.seed, "fluid/queue-lag"),
      coarse_step_(coarse_step) {
    // Each workload's service time as weighted points (service_points).
    for (const auto& w : workloads_) {
        RandomStream rng(spec_.simulation.seed, "fluid/service/" + w->name());
        ServicePoints sp = service_points(w->spec().service_time, rng);
        service_.push_back(std::move(sp));
        timeout_s_.push_back(to_seconds(w->spec().timeout));
    }
    // Exp(1) in the same bins: conditional means and probabilities. E[X; q(a) < X < q(b)] =
    // (x_a + 1) e^{-x_a} - (x_b + 1) e^{-x_b} with x = -ln(1 - u), e^{-x} = 1 - u.
    auto part = [](double u) {
        if (u >= 1) return 0.0;
        const double x = -std::log1p(-u);
        return (x + 1) * (1 - u);
    };
    for (int k = 0; k < kBins; ++k) {
        wait_weight_[k] = kEdges[k + 1] - kEdges[k];
        wait_value_[k] = (part(kEdges[k]) - part(kEdges[k + 1])) / wait_weight_[k];
    }
    arrival_carry_.assign(workloads_.size(), 0.0);
    routed_rate_.assign(workloads_.size(), 0.0);
    route_mass_.assign(workloads_.size(), std::array<double, kCodes>{});
    route_answered_.assign(workloads_.size(), 0.0);
    arrivals_recorded_.assign(workloads_.size(), 0);
    outcomes_recorded_.assign(workloads_.size(), 0);
    outcome_carry_.assign(workloads_.size(), Mass{});
    group_carry_.resize(workloads_.size());
    connect_504_carry_.assign(workloads_.size(), 0.0);
    checkpointed_scale_.assign(workloads_.size(), 0.0);
    merged_.resize(workloads_.size());
    ensure_capacity(64);
}

void FluidModel::ensure_capacity(std::size_t n) {
    if (static_cast<std::size_t>(lambda_.size()) >= n) return;
    // Doubling: the fleet grows one launch at a time, the vectors rarely.
    const auto old = static_cast<Eigen::Index>(lambda_.size());
    const auto cap = static_cast<Eigen::Index>(std::max<std::size_t>(n, 2 * old));
    auto grow = [&](Eigen::VectorXd& v) {
        v.conservativeResize(cap);
        v.tail(cap - old).setZero();
    };
    grow(lambda_);
    grow(backlog_);
    grow(accepted_);
    grow(routed_);
    grow(service_sum_);
    grow(service_sq_);
    grow(service_cube_);
    grow(timeout_sum_);
    grow(ca2_sum_);
    grow(pool_sum_);
    grow(rotation_sum_);
    grow(interleave_sum_);
    grow(backlog_end_);
    grow(walk_mean_);
    grow(walk_var_);
    grow(walk_mean_end_);
    grow(walk_var_end_);
    grow(drain_var_);
    grow(drain_var_end_);
    grow(busy_);
    grow(service_s_);
    grow(busy_noisy_);
    grow(noise_var_);
    grow(busy_solved_);
    grow(noise_solved_);
    grow(lag_z_);
    check_group_.resize(static_cast<std::size_t>(cap), nullptr);
    pooled_.resize(static_cast<std::size_t>(cap), 0);
    group_w_.resize(static_cast<std::size_t>(cap) * workloads_.size(), kNoTargetGroup);
    const auto nw = static_cast<Eigen::Index>(std::max<std::size_t>(1, workloads_.size()));
    lambda_w_.conservativeResize(cap, nw);
    lambda_w_.bottomRows(cap - old).setZero();
    state_.resize(static_cast<std::size_t>(cap));
    state_id_.resize(static_cast<std::size_t>(cap), 0);
    queue_view_.resize(static_cast<std::size_t>(cap));
    solved_state_.resize(static_cast<std::size_t>(cap), InstanceState::Pending);
    solved_reachable_.resize(static_cast<std::size_t>(cap), 0);
    solved_app_up_.resize(static_cast<std::size_t>(cap), 0);
    solved_extra_.resize(static_cast<std::size_t>(cap), 0);
    touched_mark_.resize(static_cast<std::size_t>(cap), 0);
    held_.resize(static_cast<std::size_t>(cap), 0);
    touched_.reserve(static_cast<std::size_t>(cap));
    next_touched_.reserve(static_cast<std::size_t>(cap));
}

void FluidModel::start() {
    open(0);
}

double FluidModel::backlog(std::uint32_t instance) const {
    return instance < backlog_.size() ? backlog_[instance] : 0.0;
}

double FluidModel::arrival_rate(std::uint32_t instance) const {
    if (instance >= lambda_.size()) return 0.0;
    // A step that kept the last solve scales its routes by each workload's rate ratio.
    double rate = 0;
    for (std::size_t w = 0; w < workloads_.size() && w < rate_ratio_.size(); ++w)
        rate += lambda_w_(instance, static_cast<Eigen::Index>(w)) * rate_ratio_[w];
    return rate;
}

void FluidModel::on_event(const Event& e) {
    const SimTime now = sim_.now();
    if (e.kind == kStep && e.arg != generation_) return;  // that step was closed already
    if (e.kind == kHealthReopen) {
        health_reopen_pending_ = false;
        if (!health_change_unsolved_) return;  // a step solved the change already
    }
    if (e.kind == kReopen) reopen_pending_ = false;
    if (e.kind == kReopen || e.kind == kHealthReopen) {
        // Routing changed at the very instant the step opened: solve it again.
        if (open_at_ == now) {
            open(now);
            return;
        }
    }
    advance_to(now);
}

void FluidModel::routing_changed() {
    solved_ = false;  // the next step solves again
    // Called from inside the change: re-solve once the instant's event is done.
    if (reopen_pending_ || open_at_ == kNever) return;
    reopen_pending_ = true;
    sim_.schedule_at(sim_.now(), this, kReopen);
}

void FluidModel::instance_changed(std::uint32_t i) {
    // An instance the open step routes nothing to and that holds no work (one still booting,
    // say) changes no outcome of that step: its re-solve can wait like a health change's (the
    // same performance reason, a fleet launched together).
    const bool idle = i >= lambda_.size() || (lambda_[i] == 0 && backlog_[i] == 0 && busy_[i] == 0);
    if (idle) {
        target_health_changed();
    } else {
        routing_changed();
    }
}

void FluidModel::target_health_changed() {
    // Performance: every re-solve costs the whole fleet (a round-robin share changes for every
    // target when one target joins or leaves), and a fleet launched together turns healthy
    // target by target, each at its own health check's phase: re-solving at each change made
    // a 10-minute run grow with the square of the fleet (issue 21: 2,500 instances 5 s,
    // 10,000 95 s). In a fleet of n instances the changes within a grain of n / 20,000 s
    // (at most 1 s) share one re-solve at the grain's end, so these re-solves cost at most
    // about 20,000 instance solves per simulated second whatever the fleet. Meanwhile the
    // instances serve as they did (each is as it was; what changed is whether the load
    // balancer picks it): a ramp of targets turning healthy is late by half a grain on
    // average. Below 1,000 instances (a grain under 50 ms) it re-solves at once, as before.
    // A change of an instance itself (stopped, unreachable, its application) that has work
    // re-solves at once (routing_changed).
    const FleetCounts& counts = fleet_.counts();
    const auto live = static_cast<SimTime>(std::max(0, counts.launched - counts.terminated));
    const SimTime grain = std::min<SimTime>(kSecond, live * kSecond / kHealthSolvesPerSecond);
    if (grain < kSecond / 20) {
        routing_changed();
        return;
    }
    solved_ = false;
    health_change_unsolved_ = true;
    if (health_reopen_pending_ || open_at_ == kNever) return;
    health_reopen_pending_ = true;
    const SimTime now = sim_.now();
    sim_.schedule_at((now + grain - 1) / grain * grain, this, kHealthReopen);
}

void FluidModel::advance_to(SimTime t) {
    if (open_at_ == kNever || t <= open_at_) return;
    close(t);
    if (t < spec_.simulation.duration) {
        open(t);
    } else {
        flush_deferred(true);
        note_end_backlog();
    }
}

void FluidModel::flush_deferred(bool all) {
    // The instances of the closed step that the step just opened does not take part in: their
    // values are still those of the close (they were not solved since).
    for (std::uint32_t i : deferred_) {
        if (!all && touched_mark_[i]) continue;
        fleet_[i].fluid_step(static_cast<std::uint64_t>(accepted_[i]), busy_noisy_[i], backlog_[i],
                             queue_view_[i], timeout_question_);
    }
    deferred_.clear();
}

std::uint64_t FluidModel::dns_state(std::size_t w, SimTime t) const {
    // Which nodes are up and which DNS hands out (a failed node leaves DNS after its TTL with
    // no routing change told): routing depends on both.
    const LoadBalancer& lb = workloads_[w]->load_balancer();
    std::uint64_t state = 0;
    for (std::size_t k = 0; k < lb.node_zones().size() && k < 32; ++k) {
        state |= static_cast<std::uint64_t>(lb.node_up(k)) << (2 * k);
        state |= static_cast<std::uint64_t>(lb.node_in_dns(k, t)) << (2 * k + 1);
    }
    return state;
}

bool FluidModel::fails_behind(std::size_t w, std::uint32_t i) const {
    // The database as it was when the open step was solved (route_kind_): its change re-solves,
    // and the step it ends is accounted at that instant, after the change. Read then, a
    // failover's end turned the whole step before it into answers (a 116 s failover at a
    // 60 s step gave 60 s of 500s).
    const bool reachable = w >= route_kind_.size() || route_kind_[w] != 2;
    return workloads_[w]->fails_behind(fleet_[i].config(), reachable);
}

int FluidModel::route_kind(std::size_t w) const {
    const Workload& wl = *workloads_[w];
    if (wl.load_balancer_unreachable()) return 1;
    // A closed flow to the database is set for the run; only the database itself changes.
    const DbInstance* db = wl.database();
    if (db && !db->reachable()) return 2;
    return 0;
}

bool FluidModel::reuse_solve(SimTime from) {
    // Performance: a calm step whose rates are within 0.5 % of those the last solve routed
    // (the tolerance step_length() already allows within a step), with no routing change since and
    // the same instances in the same condition, keeps that solve: its routes and queue states
    // stand, the busy workers and their noise scale with the rates, and close() accounts the
    // requests at the current rates (it scales the routes by requests / routed rate). At the
    // daily curve's steepest a month's ticks re-solve about one time in eight.
    if (!solved_ || pressure_ || slow_start_routed_) return false;
    for (std::size_t w = 0; w < workloads_.size(); ++w) {
        const double rate = workloads_[w]->rate().rate_at(from + kFineStep / 2);
        const double routed = routed_rate_[w];
        if (std::abs(rate - routed) > rate_tolerance_ * std::max(routed, 1.0)) return false;
        if ((rate > 0) != (routed > 0) || route_kind(w) != route_kind_[w]) return false;
        if (dns_state(w, from) != dns_state_[w]) return false;
        rate_ratio_[w] = routed > 0 ? rate / routed : 1.0;
    }
    for (std::uint32_t i : touched_) {
        const Instance& inst = fleet_[i];
        if (inst.credit_bound() || inst.state() != solved_state_[i] ||
            inst.reachable() != solved_reachable_[i] || inst.app_up() != solved_app_up_[i] ||
            inst.extra_latency() != solved_extra_[i]) {
            return false;
        }
    }
    const bool one = workloads_.size() == 1;
    for (std::uint32_t i : touched_) {
        double ratio = rate_ratio_.empty() ? 1.0 : rate_ratio_.front();
        if (!one && lambda_[i] > 0) ratio = arrival_rate(i) / lambda_[i];
        busy_[i] = busy_solved_[i] * ratio;
        noise_var_[i] = noise_solved_[i] * ratio;
    }
    schedule_end(from);
    return true;
}

SimTime FluidModel::step_length(SimTime now) const {
    // Fine (1 s) while a backlog moves, a target is in slow start or a load balancer node is
    // in its DNS grace period. Otherwise as long as every rate stays within rate_tolerance_
    // of its value now (0.5 %, less for a busy queue: solve()): the coarse step, or the longest of
    // 30, 20, 10, 5 and 2 s that divides it. Before, a rate that moved 0.5 % within the coarse step
    // made 1 s steps: a daily curve spent a third of each day in them (a month of issue 19's curve
    // took 860,000 steps of 1 s), though a 10 s step there moves by 0.1 %. A routing change, a
    // change of an instance's condition or of a database's re-solve at once. A backlog held at its
    // bound, every input steady, is stepped like calm traffic: its requests split between the
    // queue's capacity and the overflow in the same proportions whatever the step's length
    // (held_settled).
    if (moving_pressure_ || slow_start_routed_) return kFineStep;  // a slow-start share ramps
    for (const auto& w : workloads_) {
        const LoadBalancer& lb = w->load_balancer();
        for (std::size_t k = 0; k < lb.node_zones().size(); ++k)
            if (!lb.node_up(k) && lb.node_in_dns(k, now)) return kFineStep;
    }
    // Every rate within its tolerance over [a, b]: checked at b, with the maximum between
    // (a rise, a fall or a short dip is caught).
    const auto within = [&](SimTime a, SimTime b) {
        for (const auto& w : workloads_) {
            const RateFunction& rate = w->rate();
            const double r0 = rate.rate_at(now);
            const double tolerance = rate_tolerance_ * std::max(r0, 1.0);
            if (rate.max_rate(a, b) - r0 > tolerance || std::abs(rate.rate_at(b) - r0) > tolerance)
                return false;
        }
        return true;
    };
    SimTime flat = 0;  // how long the rates stay within their tolerance, to 10 s
    while (flat < coarse_step_) {
        const SimTime next = std::min(flat + kCalmCheck, coarse_step_);
        if (!within(now + flat, now + next)) break;
        flat = next;
    }
    if (flat >= coarse_step_) return coarse_step_;
    for (SimTime length : {30 * kSecond, 20 * kSecond, 10 * kSecond, 5 * kSecond, 2 * kSecond}) {
        if (length >= coarse_step_ || coarse_step_ % length != 0) continue;
        if (length <= flat || (length < kCalmCheck && within(now, now + length))) return length;
    }
    return kFineStep;
}

void FluidModel::open(SimTime from) {
    ++steps_;
    ++generation_;
    open_at_ = accounted_to_ = from;
    ensure_capacity(fleet_.size());
    route_kind_.resize(workloads_.size(), 0);
    dns_state_.resize(workloads_.size(), 0);
    rate_ratio_.resize(workloads_.size(), 1.0);
    emit_cache_.resize(workloads_.size());
    held_points_.resize(workloads_.size());
    if (reuse_solve(from)) return;

    // Instances that held work last step take part again (their busy workers fall to 0).
    for (std::uint32_t i : touched_) {
        lambda_[i] = 0;
        service_sum_[i] = service_sq_[i] = service_cube_[i] = timeout_sum_[i] = ca2_sum_[i] =
            pool_sum_[i] = 0;
        rotation_sum_[i] = interleave_sum_[i] = 0;
        lambda_w_.row(i).setZero();
        touched_mark_[i] = 0;
    }
    touched_.clear();
    for (std::uint32_t i : pooled_list_)
        pooled_[i] = 0;
    pooled_list_.clear();
    for (std::uint32_t i : next_touched_) {
        touched_mark_[i] = 1;
        touched_.push_back(i);
    }
    next_touched_.clear();

    slow_start_routed_ = false;
    std::fill(rate_ratio_.begin(), rate_ratio_.end(), 1.0);  // the routes are at today's rates
    // Route one second of every workload's traffic at the step's rate.
    for (std::size_t w = 0; w < workloads_.size(); ++w) {
        const Workload& wl = *workloads_[w];
        route_mass_[w].fill(0.0);
        route_answered_[w] = 0;
        const double rate = wl.rate().rate_at(from + kFineStep / 2);
        routed_rate_[w] = rate;
        if (rate <= 0) continue;
        if (wl.load_balancer_unreachable()) {
            // The clients' connections time out; the load balancer never sees them.
            route_mass_[w][static_cast<int>(Outcome::ConnectTimeout)] += rate;
            continue;
        }
        // An unreachable database fails requests behind the targets: routed as usual, their
        // answers turn into 500s in emit().
        route(w, rate, route_mass_[w]);
    }
    pressure_ = moving_pressure_ = false;
    rate_tolerance_ = kRateTolerance;
    like_ = kNone;
    for (std::uint32_t i : touched_)
        solve(i);
    solved_ = true;
    health_change_unsolved_ = false;
    for (std::size_t w = 0; w < workloads_.size(); ++w) {
        route_kind_[w] = route_kind(w);
        dns_state_[w] = dns_state(w, from);
    }

    schedule_end(from);
}

void FluidModel::schedule_end(SimTime from) {
    // A fine step, or a coarse one when all is calm, ending on its grid (or at the horizon).
    const SimTime horizon = spec_.simulation.duration;
    const SimTime length = step_length(from);
    const SimTime end = std::min(horizon, (from / length + 1) * length);
    add_cpu_noise(from);
    flush_deferred(false);
    sim_.schedule_at(end, this, kStep, generation_);
}

void FluidModel::close(SimTime to) {
    const SimTime from = open_at_;
    const double elapsed = to_seconds(to - from);
    // A fine step cut short carries its backlog change pro rata; a held backlog's walk moves
    // on at its rates for as long as the step lasted (solve() gives one fine step's worth).
    const double part = std::min(1.0, elapsed / to_seconds(kFineStep));
    const double steps = elapsed / to_seconds(kFineStep);
    for (std::uint32_t i : touched_) {
        const double walked = held_[i] ? steps : part;
        backlog_[i] += (backlog_end_[i] - backlog_[i]) * part;
        walk_mean_[i] += (walk_mean_end_[i] - walk_mean_[i]) * walked;
        walk_var_[i] += (walk_var_end_[i] - walk_var_[i]) * walked;
        drain_var_[i] += (drain_var_end_[i] - drain_var_[i]) * walked;
    }

    std::vector<Mass>& mass = outcome_carry_;  // fractions carry on
    // What checkpoint() accounted already: the requests from accounted_to_ on.
    const SimTime at = accounted_to_;
    for (std::size_t w = 0; w < workloads_.size(); ++w) {
        const double scale = account_arrivals(w, at, to);
        // The instances' counts take the checkpointed requests too (0 without a checkpoint).
        const double kept = checkpointed_scale_[w];
        checkpointed_scale_[w] = 0;
        if (scale <= 0 && kept <= 0) continue;
        const Workload& wl = *workloads_[w];
        // Outcomes and latencies, instances with the same queue state merged (merge_states).
        std::vector<Merged>& runs = close_runs_;
        runs.clear();
        double requests = 0;
        const bool counts = wl.counts_fluid_traffic();
        for (std::uint32_t i : touched_) {
            const double lw = lambda_w_(i, static_cast<Eigen::Index>(w));
            const double counted = kept > 0 ? lw * (scale + kept) : lw * scale;
            if (counted <= 0) continue;
            const QueueState& q = state_[i];
            const bool closed = fails_behind(w, i);
            routed_[i] += counted;
            const double taken = q.refuse == Outcome::Ok ? counted * (1 - refused_share(q)) : 0.0;
            if (taken > 0) {
                accepted_[i] += taken;
                if (counts) workloads_[w]->fluid_accepted(fleet_[i].config(), taken);
            }
            const double r = lw * scale;
            if (r <= 0) continue;
            requests += r;  // summed as before profiles (one run's requests)
            // Performance: a state copied by solve_like() carries its source's id, so equal
            // ids settle most comparisons; unequal ids may still be equal states.
            const std::uint16_t group = group_of(i, w);
            if (!runs.empty()) {
                Merged& last = runs.back();
                const bool same = state_id_[last.like] == state_id_[i] || state_[last.like] == q;
                if (same && last.closed == closed && last.group == group) {
                    last.lambda += lw;
                    continue;
                }
            }
            runs.push_back(Merged{i, lw, closed, group});
        }
        if (runs.size() == 1) {  // exact: as one run was before profiles
            const Merged& m = runs.front();
            emit(w, state_[m.like], requests, at, mass[w], m.closed, m.group);
        } else if (!runs.empty()) {
            apply(w, profile(w, runs), scale, at, mass[w]);
        }
    }
    // Performance: the step that opens next at the same instant tells most of these instances
    // their new values anyway (a second fluid_step at the same time supersedes the first), so
    // the others are told then (flush_deferred). Burstable instances, and ECS tasks on
    // burstable container instances, are told now: the call also arms the credit timer.
    deferred_.clear();
    for (std::uint32_t i : touched_) {
        if (fleet_[i].credit_bound()) {
            fleet_[i].fluid_step(static_cast<std::uint64_t>(accepted_[i]), busy_noisy_[i],
                                 backlog_[i], queue_view_[i], timeout_question_);
        } else {
            deferred_.push_back(i);
        }
    }
    record_whole_outcomes(at, mass);
    open_at_ = kNever;
}

// The arrivals of workload w in [from, to) at the rate in its middle, and the mass its routes
// send where the load balancer sends them; returns their scale (requests / routed rate).
double FluidModel::account_arrivals(std::size_t w, SimTime from, SimTime to) {
    const Workload& wl = *workloads_[w];
    const double requests = wl.rate().rate_at(from + (to - from) / 2) * to_seconds(to - from);
    arrival_carry_[w] += requests;
    const double whole = std::floor(arrival_carry_[w]);
    arrival_carry_[w] -= whole;
    accounting_.arrived_n(from, static_cast<std::uint64_t>(whole));
    arrivals_recorded_[w] += static_cast<std::uint64_t>(whole);
    const double scale = routed_rate_[w] > 0 ? requests / routed_rate_[w] : 0.0;
    if (scale <= 0) return 0.0;
    for (int o = 0; o < kCodes; ++o)
        outcome_carry_[w][o] += route_mass_[w][o] * scale;
    accounting_.answered_by_load_balancer(wl.load_balancer().index(), route_answered_[w] * scale);
    return scale;
}

void FluidModel::checkpoint(SimTime t) {
    if (open_at_ == kNever || t <= accounted_to_) return;
    // A backlog's queue moves within the step (close() carries it pro rata): the step closes.
    if (pressure_) {
        advance_to(t);
        return;
    }
    // Performance: a 10 s or 30 s metrics period in a run sliced by the minute. The step's
    // requests in [accounted_to_, t) are accounted as close() would (their outcomes and
    // latencies by queue state), from the states merged once per step; the instances' counts
    // (routed, accepted, the workloads' bytes) wait for the close, which nothing reads before
    // (CloudWatch publishes at the slice's tick, after advance_to()).
    if (merged_generation_ != generation_) merge_states();
    const SimTime from = accounted_to_;
    for (std::size_t w = 0; w < workloads_.size(); ++w) {
        const double scale = account_arrivals(w, from, t);
        if (scale <= 0) continue;
        checkpointed_scale_[w] += scale;
        const std::vector<Merged>& runs = merged_[w];
        if (runs.size() == 1) {  // exact: as one run was before profiles
            const Merged& m = runs.front();
            emit(w, state_[m.like], m.lambda * scale, from, outcome_carry_[w], m.closed, m.group);
        } else if (!runs.empty()) {
            apply(w, profile(w, runs), scale, from, outcome_carry_[w]);
        }
    }
    record_whole_outcomes(from, outcome_carry_);
    accounted_to_ = t;
}

// The open step's instances merged by queue state, per workload, in close()'s order.
void FluidModel::merge_states() {
    merged_generation_ = generation_;
    for (std::size_t w = 0; w < workloads_.size(); ++w) {
        std::vector<Merged>& out = merged_[w];
        out.clear();
        for (std::uint32_t i : touched_) {
            const double lw = lambda_w_(i, static_cast<Eigen::Index>(w));
            if (lw <= 0) continue;
            const bool closed = fails_behind(w, i);
            const std::uint16_t group = group_of(i, w);
            if (!out.empty()) {
                Merged& last = out.back();
                const bool same =
                    state_id_[last.like] == state_id_[i] || state_[last.like] == state_[i];
                if (same && last.closed == closed && last.group == group) {
                    last.lambda += lw;
                    continue;
                }
            }
            out.push_back(Merged{i, lw, closed, group});
        }
    }
}

// The whole outcomes of the carried mass accounted; never more than the arrivals recorded.
// kTarget503 is recorded as 503s the targets answered; the codes their target groups count are
// shared out over the groups (count_groups).
void FluidModel::record_whole_outcomes(SimTime from, std::vector<Mass>& mass) {
    for (std::size_t w = 0; w < workloads_.size(); ++w) {
        for (int o = 0; o < kMass; ++o) {
            auto whole = static_cast<std::uint64_t>(std::max(0.0, std::floor(mass[w][o])));
            whole = std::min(whole, arrivals_recorded_[w] - outcomes_recorded_[w]);
            if (whole == 0) continue;
            mass[w][o] -= static_cast<double>(whole);
            outcomes_recorded_[w] += whole;
            const std::uint16_t lb = workloads_[w]->load_balancer().index();
            if (counted_by_group(o)) count_groups(w, o, whole);
            if (o == kTarget503) {
                accounting_.ended_n(lb, Outcome::Http503, from, whole, SimTime{0}, true);
                continue;
            }
            if (o != static_cast<int>(Outcome::Http504)) {  // answered at once
                accounting_.ended_n(lb, static_cast<Outcome>(o), from, whole, SimTime{0});
                continue;
            }
            // What the 504s' clients waited, as in request mode (Workload::arrive): those the
            // load balancer routed to a target that does not answer, its connect timeout; the
            // others (a node down, a queue past the timeout) the client's own.
            const SimTime timeout = from_seconds(timeout_s_[w]);
            const auto routed = std::min(whole, static_cast<std::uint64_t>(std::max(
                                                    0.0, std::floor(connect_504_carry_[w]))));
            connect_504_carry_[w] -= static_cast<double>(routed);
            if (routed > 0)
                accounting_.ended_n(lb, Outcome::Http504, from, routed,
                                    std::min(LoadBalancer::kConnectTimeout, timeout));
            if (whole > routed)
                accounting_.ended_n(lb, Outcome::Http504, from, whole - routed, timeout);
        }
    }
    if (group_shared_ && !group_shared_noted_) {
        group_shared_noted_ = true;
        note_limit(
            "a target registered in two target groups of one listener's forward: its answers "
            "count for one of them in the per-target-group metrics (TargetResponseTime, "
            "HTTPCode_Target_*_Count by TargetGroup)");
    }
}

FluidModel::Mass& FluidModel::group_mass(std::size_t w, std::uint16_t group) {
    std::vector<GroupCarry>& carries = group_carry_[w];
    for (GroupCarry& c : carries)
        if (c.group == group) return c.mass;
    carries.push_back(GroupCarry{group, Mass{}, 0});
    return carries.back().mass;
}

// The `whole` outcomes o of workload w just recorded, shared out over the target groups whose
// targets answered them: each group its mass's whole part, the rest one by one to the largest
// fractions (or, when the arrivals held the count back, taken from the smallest), so that the
// groups' counts add up to the load balancer's as each request's group does in request mode.
// One group takes them all (its mass is the workload's, added in the same order).
void FluidModel::count_groups(std::size_t w, int o, std::uint64_t whole) {
    std::vector<GroupCarry>& carries = group_carry_[w];
    if (carries.empty()) return;
    std::uint64_t given = 0;
    for (GroupCarry& c : carries) {
        c.given = static_cast<std::uint64_t>(std::max(0.0, std::floor(c.mass[o])));
        given += c.given;
    }
    auto rest = [o](const GroupCarry& c) { return c.mass[o] - static_cast<double>(c.given); };
    while (given < whole) {
        GroupCarry* best = &carries.front();
        for (GroupCarry& c : carries)
            if (rest(c) > rest(*best)) best = &c;
        ++best->given;
        ++given;
    }
    while (given > whole) {
        GroupCarry* least = nullptr;
        for (GroupCarry& c : carries)
            if (c.given > 0 && (!least || rest(c) < rest(*least))) least = &c;
        --least->given;
        --given;
    }
    const std::uint16_t lb = workloads_[w]->load_balancer().index();
    const bool by_target = o == kTarget503;
    const Outcome code = by_target ? Outcome::Http503 : static_cast<Outcome>(o);
    for (GroupCarry& c : carries) {
        if (c.given == 0) continue;
        c.mass[o] -= static_cast<double>(c.given);
        accounting_.ended_in_group_n(lb, c.group, code, c.given, by_target);
    }
}

void FluidModel::route(std::size_t w, double requests, std::array<double, kCodes>& mass) {
    const Workload& wl = *workloads_[w];
    const LoadBalancer& lb = wl.load_balancer();
    const auto& forwards = lb.forwards(wl.listener());
    const auto& nodes = lb.node_zones();
    if (nodes.empty() || lb.total_weight(wl.listener()) <= 0) {
        mass[static_cast<int>(Outcome::Http503)] += requests;
        // No listener forwards them, or every target group of its forward has weight 0.
        if (!nodes.empty()) route_answered_[w] += requests;
        return;
    }
    const SimTime now = sim_.now();
    // Round-robin DNS: an equal share per node DNS hands out (all of them when none).
    std::size_t in_dns = 0;
    for (std::size_t k = 0; k < nodes.size(); ++k)
        in_dns += lb.node_in_dns(k, now) ? 1 : 0;
    const bool all = in_dns == 0;
    const double share = requests / static_cast<double>(all ? nodes.size() : in_dns);
    const bool cross = lb.spec().enable_cross_zone_load_balancing;
    rotation_nodes_ = static_cast<double>(all ? nodes.size() : in_dns);
    rotation_sources_ = 1;
    // A node's requests go to the forward's target groups in proportion to their weights
    // (exactly: the fluid rate splits as request mode's draws do on average).
    auto to_groups = [&](int node_zone, double node_share) {
        if (forwards.size() == 1)
            return spread(w, *forwards.front().group, node_zone, node_share, mass);
        const double total = lb.total_weight(wl.listener());
        for (const LoadBalancer::Forward& f : forwards)
            if (f.weight > 0) spread(w, *f.group, node_zone, node_share * f.weight / total, mass);
    };
    // Cross-zone: every node sees the same targets, so the nodes that are up share one pass.
    int cross_nodes = 0, cross_zone = 0;
    for (std::size_t k = 0; k < nodes.size(); ++k) {
        if (!all && !lb.node_in_dns(k, now)) continue;
        if (!lb.node_up(k)) {
            // Clients sent to a node that is down cannot connect (504).
            mass[static_cast<int>(Outcome::Http504)] += share;
            continue;
        }
        if (cross) {
            ++cross_nodes;
            cross_zone = nodes[k];
        } else {
            to_groups(nodes[k], share);
        }
    }
    rotation_sources_ = cross_nodes;
    if (cross_nodes > 0) to_groups(cross_zone, share * cross_nodes);
}

// Spreads node_share of the requests of workload w entering a node of AZ node_zone over the
// targets of one target group. Over 90 lines: one pass over the group's targets that gives
// each its share and the queue inputs solve() reads (service moments, timeout, arrivals' ca^2,
// pool, round robin's rotation), all from the same locals.
void FluidModel::spread(std::size_t w, TargetGroup& group, int node_zone, double node_share,
                        std::array<double, kCodes>& mass) {
    const LoadBalancer& lb = workloads_[w]->load_balancer();
    TargetGroup* tg = &group;
    const SimTime now = sim_.now();
    const bool cross = lb.spec().enable_cross_zone_load_balancing;
    const std::vector<char>& zone_enabled = lb.zone_enabled();
    const auto& active = tg->active_targets();
    const auto& targets = tg->targets();
    const bool lor = tg->spec().load_balancing_algorithm_type ==
                     scenario::LoadBalancingAlgorithm::LeastOutstandingRequests;
    const double slow_start = static_cast<double>(tg->spec().slow_start) * kSecond;
    eligible_weight_.resize(active.size());
    auto in_scope = [&](const Target& t) {
        return cross ? zone_enabled[t.availability_zone] != 0 : t.availability_zone == node_zone;
    };
    int healthy = 0, unhealthy = 0;
    for (std::uint32_t a : active) {
        const Target& t = targets[a];
        if (!in_scope(t)) continue;
        healthy += t.state == TargetHealthState::Healthy;
        unhealthy += t.state == TargetHealthState::Unhealthy;
    }
    if (healthy == 0 && unhealthy == 0) {
        mass[static_cast<int>(Outcome::Http503)] += node_share;  // no target can take it
        route_answered_[w] += node_share;
        return;
    }
    // Fail-open: with no healthy target, the unhealthy ones take the traffic.
    const bool fail_open = healthy == 0;
    const TargetHealthState wanted =
        fail_open ? TargetHealthState::Unhealthy : TargetHealthState::Healthy;
    double sum = 0;
    int count = 0;
    for (std::size_t p = 0; p < active.size(); ++p) {
        const Target& t = targets[active[p]];
        double weight = 0;
        if (t.state == wanted && in_scope(t)) {
            ++count;
            const InstanceConfig& cfg = fleet_[t.instance].config();
            // Round robin: equal shares; least outstanding requests sends more to the
            // targets that finish sooner, in proportion to their capacity.
            weight = lor ? cfg.workers * cfg.speed : 1.0;
            if (!fail_open && t.slow_start_since != kNever && slow_start > 0) {
                const double ramp = static_cast<double>(now - t.slow_start_since) / slow_start;
                if (ramp < 1.0) {
                    weight *= std::max(ramp, 0.0);
                    slow_start_routed_ = true;  // shares that move with time
                }
            }
        }
        eligible_weight_[p] = weight;
        sum += weight;
    }
    if (lor && sum > 0) {
        favour_instant_answers(w, active, targets, node_share, sum);
        level_backlogs(w, active, targets, node_share, sum);
    }
    // Only targets at the very start of slow start: better served than refused.
    const bool equal = sum <= 0;
    if (equal) sum = count;
    for (std::size_t p = 0; p < active.size(); ++p) {
        const Target& t = targets[active[p]];
        double weight = eligible_weight_[p];
        if (equal) weight = t.state == wanted && in_scope(t) ? 1.0 : 0.0;
        const std::uint32_t i = t.instance;
        // One of n > 1 balanced queues, even with no share this step (solve(), balanced).
        if (lor && count > 1 && t.state == wanted && in_scope(t)) mark_pooled(i);
        if (weight <= 0) continue;
        const double r = node_share * weight / sum;
        if (!touched_mark_[i]) {
            touched_mark_[i] = 1;
            touched_.push_back(i);
        }
        lambda_[i] += r;
        std::uint16_t& routed_by = group_w_[static_cast<std::size_t>(i) * workloads_.size() + w];
        group_shared_ |= lambda_w_(i, static_cast<Eigen::Index>(w)) > 0 && routed_by != tg->index();
        routed_by = tg->index();
        lambda_w_(i, static_cast<Eigen::Index>(w)) += r;
        check_group_[i] = tg;
        const ServicePoints& sp = service_[w];
        service_sum_[i] += r * sp.mean_s;
        service_sq_[i] += r * sp.second_moment;
        service_cube_[i] += r * sp.third_moment;
        timeout_sum_[i] += r * timeout_s_[w];
        // Round robin: DNS hands each node every rotation_nodes_-th request, each node's cursor a
        // target every count-th of those; with cross-zone, rotation_sources_ nodes' cursors
        // reach it, their turns interleaved (solve(), smooth_full). The steady state's wait
        // takes ca^2 = 1 / order from rotation_sum_ (solve(), stationary); the walks of a
        // backlog keep 1 / count (with 1 / order spiral-nlb's errors fell 10 % below request
        // mode's: not understood yet). Least outstanding requests keeps the targets about
        // equally loaded: the group acts as one pooled queue.
        const double order = rotation_nodes_ * count / rotation_sources_;
        ca2_sum_[i] += r * (lor ? 1.0 : 1.0 / count);
        pool_sum_[i] += r * (lor ? count : 1.0);
        if (!lor) {
            rotation_sum_[i] += r * order;
            if (rotation_sources_ > 1 && rotation_sources_ == rotation_nodes_)
                interleave_sum_[i] += r * rotation_sources_;
        }
    }
}

void FluidModel::favour_instant_answers(std::size_t w, const std::vector<std::uint32_t>& active,
                                        const std::vector<Target>& targets, double node_share,
                                        double sum) {
    // Least outstanding requests counts a target's requests in flight. One that answers at
    // once (its application not up: 502; not running or unreachable: 504, recorded at once)
    // has none, so request mode sends it every request that finds the other targets busy: a
    // target that serves gets one only while it has nothing outstanding, so it serves one at
    // a time (an M/G/1/1 loss system: of the a requests/s offered to it, a / (1 + a s)
    // taken), and one with a queue gets none until it has drained. Issue 19's flash sale
    // beyond max_size: new instances whose application is still starting fail open with the
    // old ones and take nearly all the traffic (502), the old ones drain in seconds, pass
    // their checks and the group's average CPU falls; with equal shares they stayed busy and
    // the fluid mode scaled out 11-20 minutes early. eligible_weight_ is rewritten to the new
    // split with the same sum.
    double instant = 0, taken = 0;
    for (std::size_t p = 0; p < active.size(); ++p) {
        if (eligible_weight_[p] <= 0) continue;
        const Instance& inst = fleet_[targets[active[p]].instance];
        if (!answers_at_once(inst)) continue;
        instant += eligible_weight_[p];
    }
    if (instant <= 0 || instant >= sum) return;  // none answers at once, or all do
    for (std::size_t p = 0; p < active.size(); ++p) {
        double& weight = eligible_weight_[p];
        if (weight <= 0) continue;
        const std::uint32_t i = targets[active[p]].instance;
        const Instance& inst = fleet_[i];
        if (answers_at_once(inst)) continue;
        const double offered = node_share * weight / sum;
        const double s =
            service_[w].mean_s / inst.config().speed + to_seconds(inst.extra_latency());
        const double accepted = backlog_[i] > 1e-9 ? 0.0 : offered / (1.0 + offered * s);
        taken += accepted;
        weight = sum * accepted / node_share;
    }
    const double rest = sum * (1.0 - taken / node_share) / instant;
    for (std::size_t p = 0; p < active.size(); ++p) {
        if (eligible_weight_[p] > 0 && answers_at_once(fleet_[targets[active[p]].instance]))
            eligible_weight_[p] *= rest;
    }
}

void FluidModel::level_backlogs(std::size_t w, const std::vector<std::uint32_t>& active,
                                const std::vector<Target>& targets, double node_share, double sum) {
    // Least outstanding requests sends each request to the target with the fewest in flight
    // (busy workers + queue). Among targets with unequal backlogs the shorter queues take
    // every request until they reach the longer ones, and those get none meanwhile: a target
    // that passes its checks again after draining takes the whole node's traffic while the
    // others drain to its level (flash sale at 100 % of capacity, 5 c5.2xlarge: request mode's
    // returning target levels the queues at 320 of 400 within a second, all pass their checks
    // and the group scales out; with shares by capacity the others stayed held at the bound,
    // kept failing, and the group took turns for 20 minutes without scaling). So the node's
    // second of requests is poured over the targets' outstanding counts at the end of a fine
    // step without arrivals, c + backlog - capacity x dt (plus what other workloads or nodes
    // routed to them this step), from the lowest up (water filling). With equal backlogs the
    // shares are those by capacity. eligible_weight_ is rewritten with the same sum. Targets
    // that answer at once were given their share by favour_instant_answers.
    const double dt = to_seconds(kFineStep);
    double low = 1e300, high = -1e300;
    level_.clear();
    for (std::size_t p = 0; p < active.size(); ++p) {
        if (eligible_weight_[p] <= 0) continue;
        const std::uint32_t i = targets[active[p]].instance;
        const Instance& inst = fleet_[i];
        if (answers_at_once(inst)) return;  // favour_instant_answers has split them
        low = std::min(low, backlog_[i]);
        high = std::max(high, backlog_[i]);
        const InstanceConfig& cfg = inst.config();
        const double s = service_[w].mean_s / cfg.speed + to_seconds(inst.extra_latency());
        const double mu = s > 0 ? cfg.workers / s : 1e300;
        level_.emplace_back(cfg.workers + backlog_[i] + (lambda_[i] - mu) * dt, p);
    }
    if (level_.size() < 2 || high - low < 1.0) return;  // one target, or queues level already
    std::sort(level_.begin(), level_.end());
    // The water level L: sum over the targets below it of (L - level) = node_share x dt.
    double poured = node_share * dt, level = level_.front().first;
    std::size_t k = 1;
    for (; k < level_.size(); ++k) {
        const double room = (level_[k].first - level) * static_cast<double>(k);
        if (room >= poured) break;
        poured -= room;
        level = level_[k].first;
    }
    level += poured / static_cast<double>(k);
    for (const auto& [at, p] : level_)
        eligible_weight_[p] = sum * std::max(0.0, level - at) / (node_share * dt);
}

bool FluidModel::held_settled(const FluidQueue& view) {
    // Held: more arrives than the workers serve and the backlog is at its bound, so each
    // step's overflow is the excess, (lambda - mu) / lambda of the arrivals, however long the
    // step. Settled: the walk's view (fluid_queue.cpp, queue_tail; its spread there is
    // sqrt(0.5)) has gone eight requests past twice the bound, where both of its erfc terms
    // are 2 to double precision: a health check sees the same queue however much further the
    // walk goes.
    if (view.drift <= 0 || view.backlog < view.cap * (1.0 - 1e-12)) return false;
    return view.walk_mean >= 2.0 * view.cap + 8.0;
}

// solve() is over 80 lines on purpose: it is one queueing computation (the stationary
// M/M/c wait or the backlog's fine step, then the queue's random walk and the view health
// checks read) over a dozen locals that every part reads (lambda, the service time and its
// variation, capacity, bound, pool); split, each part would take them all as parameters. It
// is also the hottest function of fluid mode.
void FluidModel::solve(std::uint32_t i) {
    const double dt = to_seconds(kFineStep);  // a backlog moves in fine steps only
    Instance& inst = fleet_[i];
    if (solve_like(i, inst)) return;
    const bool alike = plain_alike(i, inst);
    held_[i] = 0;
    QueueState q;
    FluidQueue view;
    const double lambda = lambda_[i];
    const bool running = inst.state() == InstanceState::Running;
    double busy = 0;
    double service_s = 0;
    cs2_ = 0;
    if (!running || !inst.reachable()) {
        q.refuse = Outcome::Http504;  // nothing answers at the address
        backlog_[i] = 0;              // lost with the instance
    } else if (!inst.app_up()) {
        q.refuse = Outcome::Http502;  // connection refused
        backlog_[i] = 0;
    } else {
        const InstanceConfig& cfg = inst.config();
        const int c = cfg.workers;
        double speed = cfg.speed;
        if (inst.credit_bound()) speed *= inst.credit_speed_fraction();
        const double extra = to_seconds(inst.extra_latency());
        // The instance's service time: the mixture of the workloads sending to it.
        const double routed = lambda;
        const ServicePoints& sp0 = service_.front();
        const double s1 = routed > 0 ? service_sum_[i] / routed : sp0.mean_s;
        const double s2 = routed > 0 ? service_sq_[i] / routed : sp0.second_moment;
        const double s3 = routed > 0 ? service_cube_[i] / routed : sp0.third_moment;
        const double timeout = routed > 0 ? timeout_sum_[i] / routed : timeout_s_.front();
        const double ca2 = routed > 0 ? ca2_sum_[i] / routed : 1.0;
        const double pool = routed > 0 ? std::max(1.0, pool_sum_[i] / routed) : 1.0;
        const double s = s1 / speed + extra;
        const double variance = std::max(0.0, s2 - s1 * s1) / (speed * speed);
        const double cs2 = s > 0 ? variance / (s * s) : 0.0;
        cs2_ = cs2;
        service_s = s;
        q.speed = speed;
        q.extra_s = extra;
        const double mu_c = s > 0 ? c / s : 1e300;  // capacity, requests/s
        const double b0 = backlog_[i];
        // Beyond this backlog an arrival either finds the queue full or would wait past the
        // client's timeout (request mode drops those at the head unserved).
        const double cap = std::min(static_cast<double>(cfg.max_queue), mu_c * timeout);
        // A full queue's arrival waits about max_queue / mu_c, give or take the spread of
        // that many departures (sqrt(K cs^2) / mu_c): when two of those reach the clients'
        // timeout, requests leave the queue at its head and request mode's queue is held by
        // them (timeout_held), full by count as well or not. Its over is then 504 with a
        // share of 503 (over_full); a full queue's refusals in a steady state stay 503 for a
        // max_queue within the timeout's requests, as before. Between the two the truth is
        // a mixture: one c5.2xlarge (80 requests/s, 5 s clients) at 120 requests/s, in time
        // with max_queue 350 (4.4 s of work) 84,597 in request mode, 86,666 (+2 %) counted
        // from the full queue, 76,044 (-10 %) from the timeout; with 375, 78,165 / 83,566
        // (+7 %) / 70,928 (-9 %).
        const double max_queue = static_cast<double>(cfg.max_queue);
        const bool timeout_bound =
            (max_queue + 2.0 * std::sqrt(max_queue * cs2)) / mu_c >= timeout && timeout > 0;
        q.over_code = timeout_bound ? Outcome::Http504 : Outcome::Http503;
        q.over_full = max_queue <= mu_c * timeout ? 1.0 : 0.0;
        auto stationary = [&](double share) {
            // M/M/c waiting: P(wait) = Erlang C; given a wait, Exp(c mu - lambda), its mean
            // scaled by (ca^2 + cs^2) / 2 (Allen-Cunneen). A pool of n targets (least
            // outstanding requests) waits as one queue of n c servers.
            const double a = lambda * s;
            const int servers = static_cast<int>(std::lround(c * pool));
            // Equal shares make most instances of a step alike: one Erlang C for all.
            const double rho = lambda / mu_c;
            // A pool refuses a request only when every one of its n queues is full (least
            // outstanding requests sends it to the shortest): n x max_queue places.
            const double places = static_cast<double>(cfg.max_queue) * pool;
            // Round robin's arrivals come every order-th request of the stream (0: Poisson).
            const double order = pool == 1.0 && routed > 0 ? rotation_sum_[i] / routed : 0.0;
            const int interleaved =
                order > 0 ? static_cast<int>(std::lround(interleave_sum_[i] / routed)) : 0;
            if (servers != erlang_servers_ || a * pool != erlang_load_ || places != erlang_queue_ ||
                rho != erlang_rho_ || order != erlang_order_ ||
                interleaved != erlang_interleaved_) {
                erlang_servers_ = servers;
                erlang_load_ = a * pool;
                erlang_queue_ = places;
                erlang_rho_ = rho;
                erlang_order_ = order;
                erlang_interleaved_ = interleaved;
                erlang_value_ = erlang_c(servers, a * pool);
                // Queue full in steady state (M/M/c/K, exact): with C the unbounded queue's
                // P(wait), C (1 - rho) rho^K / (1 - C rho^(K+1)); 1 / (K + 1) at rho = 1.
                // Before, P(every worker busy) was taken as C, the unbounded queue's, which
                // is too high for a short queue (m5.large-like c = 2 at rho = 0.625 and
                // K = 3: 5.19 % refused against 4.75 % exactly and 4.68 % in request mode).
                const double rk = std::pow(rho, places);
                const double below = 1.0 - erlang_value_ * rk * rho;
                erlang_full_ = rho < 1.0 && below > 1e-12 ? erlang_value_ * (1.0 - rho) * rk / below
                                                          : 1.0 / (places + 1.0);
                // Round robin's smoother arrivals fill it less often (E_n/M/c/K): 6 c5.large,
                // room for 3, at 90 %: 8.15 % refused, 8.35 % in request mode, 14.1 % above.
                const double smooth =
                    order >= 1.5 && erlang_full_ > kSmoothFrom
                        ? smooth_full(order, interleaved, lambda, c, 1.0 / s, cfg.max_queue)
                        : -1.0;
                erlang_smooth_ = smooth >= 0;
                if (erlang_smooth_) erlang_full_ = smooth;
            }
            const double pw = erlang_value_;
            // GI/G/c: the mean wait is Whitt's, phi (ca^2 + cs^2) / 2 times M/M/c's (phi = 1
            // for M/M/c: Erlang C exactly), where phi < 1: fewer arrivals wait (C phi) and a
            // wait keeps its heavy-traffic scale. Before, Allen-Cunneen's factor alone on C's
            // share: round robin to 4 workers, 25 ms lognormal cv 1.4 at rho 0.5 / 0.7 waited
            // 2.2 / 9.2 ms against request mode's 0.7 / 5.7 (now 1.5 / 7.4), and too many
            // arrivals waited (p50 +40 % at rho 0.7, now +27 %). Where phi > 1 (service times
            // varying less than the arrivals) Allen-Cunneen's wait stands: round robin's
            // Erlang-2 arrivals to 2 workers of constant 0.2 s at rho 0.5 wait 9.9 ms (a
            // request-by-request simulation), Allen-Cunneen 16.7, phi 1.054 more.
            // A round-robin target takes a fixed 1 / order of the Poisson stream: over a long
            // stretch its count varies as Poisson's / order, ca^2 = 1 / order. Without
            // cross-zone that is 1 / (nodes x targets per zone), not 1 / (targets per zone)
            // (DNS's rotation: NLB, 4 c5.large in 2 zones, lognormal 30 ms cv 1.6 at rho
            // 0.8, mean wait 76 against request mode's 66 ms with 1 / 2; 69 with 1 / 4).
            const double ca2_steady = order >= 1.0 ? 1.0 / order : ca2;
            q.wait_prob = pw * std::min(1.0, whitt_factor(servers, rho, ca2_steady, cs2));
            view.wait_prob = pw;
            // A pool's queue is shared by its n targets (pow(x, 1) is x: skipped).
            view.rho = pool == 1.0 ? rho : std::pow(rho, pool);
            // At the capacity exactly (flat, below) the limit rho -> 1: waits uniform up to
            // the bound (a truncated exponential of a vanishing rate).
            q.wait_rate = std::max((mu_c - lambda) * pool * 2.0 / (ca2_steady + cs2),
                                   cap > 0 ? 1e-6 * mu_c / cap : 0.0);
            // The queue is bounded (M/M/c/K): the wait of an arrival that finds room is the
            // exponential truncated at the bound's wait. Only near rho = 1 does it matter:
            // there the unbounded wait's mean grows without limit and every waiting arrival
            // would time out, where request mode's queue wanders between empty and full.
            const double bound_rate = q.wait_rate * cap / mu_c;
            if (bound_rate < 20.0)
                q.wait_truncation = -std::expm1(-bound_rate);
            else
                q.wait_split = wait_split(servers, rho, s1, s2, s3, speed, extra);
            if (bound_rate < 1.0 && !critical_noted_) note_critical(i, lambda / mu_c, cap);
            q.over += share * erlang_full_;
            if (order >= 1.5 && !erlang_smooth_ && erlang_full_ > kSmoothLossNoted &&
                !smooth_loss_noted_)
                note_smooth_loss(i, rho, order);
            // A busy queue's wait, C / (c mu - lambda), moves faster than its arrival rate:
            // by about rho / (1 - rho) + 2 times as much (the 2 for Erlang C's own slope). So
            // its steps keep the rate within 2 (1 - rho) % (at most 0.5 %, the bound up to
            // rho = 0.75): the mean wait then moves by under 4 % within a step. Before, any
            // queue whose P(wait) passed 0.5 made 1 s steps: a fleet at its max_size through
            // each day's peak (issue 19's month) spent a third of the month in them.
            rate_tolerance_ = std::min(rate_tolerance_, std::max(0.0, 0.02 * (1.0 - rho)));
        };
        double b1 = 0;
        // At the capacity exactly (a drift too small to matter against the walk's spread
        // before it reaches the bound, the mirror of note_critical's steady state) with a
        // backlog short of the settled queue's mean: the steady state's limit, the settled
        // queue. The fluid backlog had no drift there and stayed where it was, empty or not:
        // az-kill-peak's 14 targets at exactly their capacity while one drains (30 s at each
        // of AZRebalance's terminations) waited nothing, then ratcheted up by the backlogs of
        // the 13-target seconds (26, 40, 68 requests); request mode's queues walk (mean
        // latency about 1 s in those minutes, the fluid mode's 55 ms to 1.5 s).
        const double sigma2_in = lambda * ca2 + mu_c * cs2;
        const bool flat =
            lambda >= mu_c && b0 <= 0.5 * cap && (lambda - mu_c) * cap < 0.5 * sigma2_in;
        if ((b0 <= 1e-9 && lambda < mu_c) || flat) {
            stationary(1.0);
            busy = std::min(lambda * s, static_cast<double>(c));
            if (alike) like_ = i;  // a plain steady state: the next alike instance copies it
        } else {
            pressure_ = true;
            const double net = lambda - mu_c;
            if (net >= 0) {
                b1 = b0 + net * dt;
                const double overflow = std::max(0.0, b1 - cap);
                b1 -= overflow;
                q.over = lambda > 0 ? overflow / (lambda * dt) : 0.0;
                q.backlog_share = 1;
                // Until the backlog reaches its bound, arrivals wait its mean; from then on
                // they meet the queue held there (held_wait below).
                const double until = net > 0 ? std::clamp((cap - b0) / net, 0.0, dt) : dt;
                q.held_share = 1.0 - until / dt;
                q.wait_s = (b0 + 0.5 * net * until) / mu_c;
                if (q.held_share > 0) {
                    if (timeout_bound) {
                        timeout_held(q, lambda, mu_c, ca2, cs2, pool, c, timeout, max_queue);
                        note_held_mixture(i, q, lambda, mu_c, timeout, max_queue);
                    } else
                        held_wait(q, lambda, mu_c, ca2, cs2, pool, cap);
                    if (q.over_code == Outcome::Http504 && q.distance_rate * s / c > 1.0 &&
                        !coarse_walk_noted_)
                        note_coarse_walk(i, s / c, q.distance_rate, cap / mu_c);
                }
                busy = c;
            } else {
                const double clear = b0 / -net;  // the backlog is gone after this long
                if (clear >= dt) {
                    b1 = b0 + net * dt;
                    q.backlog_share = 1;
                    q.wait_s = 0.5 * (b0 + b1) / mu_c;
                    busy = c;
                } else {
                    q.backlog_share = clear / dt;
                    q.wait_s = 0.5 * b0 / mu_c;
                    stationary(1.0 - q.backlog_share);
                    busy = (c * clear + lambda * s * (dt - clear)) / dt;
                }
            }
        }
        backlog_end_[i] = b1;
        // A queue's increments: arrivals (their squared CV from routing) less departures
        // (the service times' squared CV), per second.
        const double sigma2 = lambda * ca2 + mu_c * cs2;
        drain_var_end_[i] = 0;
        if (b1 <= 0 && (b0 <= 1e-9 || flat)) {
            walk_mean_end_[i] = walk_var_end_[i] = 0;  // no backlog: the walk starts anew
        } else if (lambda > mu_c) {
            // Growing (or held at the bound): the unbounded position moves on.
            walk_mean_end_[i] = std::max(walk_mean_[i], b0) + (lambda - mu_c) * dt;
            walk_var_end_[i] = walk_var_[i] + sigma2 * dt;
        } else {
            walk_mean_end_[i] = b1;
            walk_var_end_[i] = b1 > 0 ? walk_var_[i] + sigma2 * dt : 0.0;
            // Draining, or at the capacity exactly: the queue spreads around the fluid backlog
            // as its walk has since it stopped growing (a held queue was within a few requests
            // of its bound then).
            drain_var_end_[i] = b1 > 0 ? drain_var_[i] + sigma2 * dt : 0.0;
        }
        // Request mode's queues do not grow in step: each is a random walk around the fluid
        // mean, and one that lags stays behind for a while (the walk's offset after t seconds
        // has spread sqrt(sigma^2 t), and it changes slowly). So the instances of a group do
        // not reach their bound and fail their health checks at the same check, as the fluid
        // mean would have them, but one after another; the ones that went first drain and
        // return while the others fail. Each backlog gets one persistent N(0, 1) draw: its
        // queue is at walk mean + z x spread (fluid_queue.cpp takes it from there). Least
        // outstanding requests keeps a pool's queues within a request of each other (each
        // request goes to the shortest): its targets have no lag of their own, so they fail
        // their checks together and the group fails open with all of them busy, as in request
        // mode. With a lag each, the laggards passed their checks and took turns.
        if (walk_var_[i] <= 0 && b0 <= 1e-9 && b1 > 0)
            lag_z_[i] = pool > 1.0 ? 0.0 : lag_stream_.normal(0.0, 1.0);
        view.backlog = b0;
        view.walk_mean = std::max(walk_mean_[i], b0) + lag_z_[i] * std::sqrt(walk_var_[i]);
        // At the capacity exactly (flat) the queue is the settled one: the spread of the time
        // left, as before (fluid_queue.cpp takes the shorter of the two).
        view.walk_var = lambda > mu_c ? 0.0
                        : flat        ? std::numeric_limits<double>::infinity()
                                      : drain_var_[i];
        view.cap = cap;
        view.drift = lambda - mu_c;
        view.variance_rate = sigma2;
        view.mean_service_s = s;
        view.service_cv2 = cs2;
        // A target of a least-outstanding pool that levelling gives no share this step (its
        // queue is longer than the others', which fill up to it) has no routed inputs and so
        // a pool of 1, but it is still one of the pool's balanced queues: with the unbalanced
        // model its checks failed more and the flash sale beyond max_size under least
        // outstanding requests had 57,072 502s against request mode's 51,453 (52,725 with).
        view.balanced = pool > 1.0 || pooled_[i] != 0;
        view.pooled = pool;
        held_[i] = held_settled(view) ? 1 : 0;
        if (b0 > 1e-9 || lambda >= mu_c) moving_pressure_ = moving_pressure_ || !held_[i];
    }
    if (q.refuse == Outcome::Ok && check_group_[i] && (backlog_[i] > 1e-9 || backlog_end_[i] > 0))
        check_under_load(i, view);
    if (q.refuse != Outcome::Ok) {
        backlog_end_[i] = 0;
        walk_mean_[i] = walk_var_[i] = walk_mean_end_[i] = walk_var_end_[i] = 0;
        drain_var_[i] = drain_var_end_[i] = 0;
    }
    state_[i] = q;
    state_id_[i] = ++state_ids_;
    queue_view_[i] = view;
    busy_[i] = busy_solved_[i] = busy;
    solved_state_[i] = inst.state();
    solved_reachable_[i] = inst.reachable();
    solved_app_up_[i] = inst.app_up();
    solved_extra_[i] = inst.extra_latency();
    service_s_[i] = service_s;
    // Var(work arriving in a second) = lambda E[S^2] (compound Poisson), in worker-seconds.
    // With a backlog every worker is busy: no noise.
    noise_var_[i] = q.refuse == Outcome::Ok && q.backlog_share == 0
                        ? lambda * service_s * service_s * (1 + cs2_)
                        : 0.0;
    noise_solved_[i] = noise_var_[i];
    if (busy > 0 || backlog_end_[i] > 0) next_touched_.push_back(i);
}

bool FluidModel::plain_alike(std::uint32_t i, const Instance& inst) const {
    // What makes an instance's solve depend only on its routed inputs and its type: running and
    // answering at full speed, no backlog and no walk left from one.
    return inst.state() == InstanceState::Running && inst.reachable() && inst.app_up() &&
           !inst.credit_bound() && backlog_[i] == 0 && walk_mean_[i] == 0 && walk_var_[i] == 0;
}

bool FluidModel::solve_like(std::uint32_t i, const Instance& inst) {
    // Performance: the targets of a group get equal shares (round robin) or shares in
    // proportion to their capacity (least outstanding requests), so most instances of a step
    // are solved with the same inputs: an instance whose inputs equal those of the last
    // plainly solved one (a steady state without a backlog) takes its results. Re-solves
    // follow the rates (one per 0.5 % they move: a daily curve from 2,000 to 20,000 requests/s
    // makes about 900 a day) and each solved all ~125 instances.
    if (like_ == kNone || !plain_alike(i, inst)) return false;
    const std::uint32_t j = like_;
    const Instance& other = fleet_[j];
    const InstanceConfig& a = inst.config();
    const InstanceConfig& b = other.config();
    if (lambda_[i] != lambda_[j] || service_sum_[i] != service_sum_[j] ||
        service_sq_[i] != service_sq_[j] || service_cube_[i] != service_cube_[j] ||
        timeout_sum_[i] != timeout_sum_[j] || ca2_sum_[i] != ca2_sum_[j] ||
        pool_sum_[i] != pool_sum_[j] || pooled_[i] != pooled_[j] ||
        rotation_sum_[i] != rotation_sum_[j] || interleave_sum_[i] != interleave_sum_[j] ||
        a.workers != b.workers || a.speed != b.speed || a.max_queue != b.max_queue ||
        inst.extra_latency() != other.extra_latency()) {
        return false;
    }
    held_[i] = held_[j];
    backlog_end_[i] = backlog_end_[j];
    walk_mean_end_[i] = walk_mean_end_[j];
    walk_var_end_[i] = walk_var_end_[j];
    drain_var_end_[i] = drain_var_end_[j];
    state_[i] = state_[j];
    state_id_[i] = state_id_[j];
    queue_view_[i] = queue_view_[j];
    busy_[i] = busy_solved_[i] = busy_[j];
    service_s_[i] = service_s_[j];
    noise_var_[i] = noise_solved_[i] = noise_var_[j];
    solved_state_[i] = inst.state();
    solved_reachable_[i] = inst.reachable();
    solved_app_up_[i] = inst.app_up();
    solved_extra_[i] = inst.extra_latency();
    if (busy_[i] > 0 || backlog_end_[i] > 0) next_touched_.push_back(i);
    return true;
}

void FluidModel::check_under_load(std::uint32_t i, const FluidQueue& view) {
    // A queue long enough to make the target group's health checks time out: request mode
    // fails them one target at a time, as each queue's fluctuations have it, and then routes
    // the load to fewer targets (or to all of them, failing open). The fluid mode draws these
    // failures from the queue's distribution (fluid_queue.hpp), so from here on its errors and
    // capacity are one sample of what request mode would give, not a mean: say so, once per
    // target group.
    const TargetGroup& tg = *check_group_[i];
    if (view.drift > 0) note_fail_open(i, tg, view.drift);
    for (const TargetGroup* noted : checks_noted_)
        if (noted == &tg) return;
    const Instance& inst = fleet_[i];
    const double timeout = tg.spec().health_check.timeout;
    // Two failures in a row (unhealthy) one time in 16 or more. Performance: the bound
    // (one queue tail) settles most steps of a backlog that stays short of the threshold.
    constexpr double kNoted = 0.25;
    const int workers = inst.config().workers;
    const double extra = to_seconds(inst.extra_latency());
    if (health_check_timeout_bound(view, workers, extra, timeout) < kNoted) return;
    const double p = health_check_timeout_probability(view, workers, extra, timeout);
    if (p < kNoted) return;
    checks_noted_.push_back(&tg);
    note_limit(
        fmt::format("step {} at {:.0f} s: the queue of instance {} ({:.0f} requests "
                    "waiting, at most {:.0f}) makes target group {}'s health checks time "
                    "out ({:.0f} % of them, timeout {} s); request mode fails its targets "
                    "one by one as their queues fluctuate, the fluid mode draws which and "
                    "when: 5xx counts and capacity from here on are approximate",
                    steps_, to_seconds(sim_.now()), inst.name(), view.backlog, view.cap,
                    tg.spec().name, 100.0 * p, timeout));
}

void FluidModel::note_fail_open(std::uint32_t i, const TargetGroup& tg, double excess) {
    // Every target unhealthy and failing open, and more traffic than they serve (a held-out
    // flash sale, docs/fluid.md "Failing open under overload"). In request mode targets turn
    // healthy in turns: one that passes its checks takes all the traffic and fails again,
    // while the unhealthy rest drain, sit idle and pass theirs; about half the fleet is idle
    // at any time, so the group's average CPU stays near its target and it scales late. Under
    // round robin the fluid mode draws the turns from each queue's lag: it scales out sooner
    // and serves more on average (docs/fluid.md). Said once per target group.
    if (tg.healthy_count() > 0 || tg.unhealthy_count() < 2) return;
    for (const TargetGroup* noted : fail_open_noted_)
        if (noted == &tg) return;
    fail_open_noted_.push_back(&tg);
    if (tg.spec().load_balancing_algorithm_type ==
        scenario::LoadBalancingAlgorithm::LeastOutstandingRequests) {
        // Least outstanding requests: the fluid mode follows the turns (a target that answers
        // at once drains the others: favour_instant_answers), but request mode's group, once
        // its fleet stops changing, either keeps taking turns (about half the fleet idle) or
        // falls, by chance, into every target failing open and busy for good (held-out flash
        // sale beyond max_size, seeds 1-5 and 77: once in six), which the fluid mode never
        // does while it has turns.
        note_limit(fmt::format(
            "step {} at {:.0f} s: target group {} fails open (its {} targets are all unhealthy) "
            "with more traffic than they serve (instance {}: {:.0f} requests/s beyond its "
            "capacity); from here request mode's targets take turns passing their checks "
            "(about half the fleet idle) or, by chance, all stay unhealthy and busy: "
            "capacity, cost and 5xx counts from here on are one of these, approximate",
            steps_, to_seconds(sim_.now()), tg.spec().name, tg.unhealthy_count(), fleet_[i].name(),
            excess));
        return;
    }
    note_limit(fmt::format(
        "step {} at {:.0f} s: target group {} fails open (its {} targets are all unhealthy) "
        "with more traffic than they serve (instance {}: {:.0f} requests/s beyond its capacity); "
        "request mode's targets pass their checks in turns and take all the traffic while "
        "the rest sit idle, so its group's average CPU is lower and it scales later: "
        "capacity, cost and 5xx counts from here on are approximate (fluid mode: sooner, "
        "more served)",
        steps_, to_seconds(sim_.now()), tg.spec().name, tg.unhealthy_count(), fleet_[i].name(),
        excess));
}

void FluidModel::check_noise_edge(SimTime from) {
    // Target tracking's scale-out alarm needs 3 one-minute datapoints in a row above the
    // target. A group whose mean CPU sits within one standard deviation of the datapoints'
    // sampling noise of it (add_cpu_noise) crosses it by chance, and a chance crossing decides
    // what follows: held out (session 15), 6 c6i.large at 50.0 % against a target of 50 with a
    // 5x spike for 2 minutes at minute 10 scale to 7 at the spike's end, or to 12 when the
    // minute before the spike was above 50 too (datapoints 50.2, 100, 100); request mode
    // reached 12 at 8 of 40 seeds, the fluid mode at 19 (an earlier scale-out to 7 at 11 of
    // 40 against 21). The mean and the noise are request mode's; which way each run goes is
    // not followed. Said once per run, after three datapoints within the noise.
    const std::size_t groups = spec_.autoscaling_group.size() + 1;
    if (edge_target_.size() != groups) {
        edge_target_.assign(groups, -1.0);
        edge_since_.assign(groups, -1);
        for (const auto& p : spec_.autoscaling_policy) {
            if (p.policy_type != scenario::PolicyType::TargetTrackingScaling ||
                !p.target_tracking_configuration ||
                p.target_tracking_configuration->predefined_metric_type !=
                    scenario::PredefinedMetricType::ASGAverageCPUUtilization)
                continue;
            for (std::size_t g = 0; g + 1 < groups; ++g)
                if (spec_.autoscaling_group[g].name == p.autoscaling_group)
                    edge_target_[g + 1] = p.target_tracking_configuration->target_value;
        }
    }
    if (std::none_of(edge_target_.begin(), edge_target_.end(), [](double v) { return v >= 0; }))
        return;
    // Each group's busy workers (the model's mean), workers and noise variance per second.
    edge_sums_.assign(3 * groups, 0.0);
    for (std::uint32_t i : touched_) {
        if (i >= group_of_.size() || !(noise_var_[i] > 0)) continue;
        const std::uint32_t g = group_of_[i];
        if (g >= groups || edge_target_[g] < 0) continue;
        edge_sums_[3 * g] += busy_[i];
        edge_sums_[3 * g + 1] += workers_of_[i];
        edge_sums_[3 * g + 2] += noise_var_[i];
    }
    const double slice_s = to_seconds(coarse_step_);
    for (std::size_t g = 1; g < groups; ++g) {
        const double workers = edge_sums_[3 * g + 1];
        if (edge_target_[g] < 0 || !(workers > 0)) continue;
        const double mean = 100.0 * edge_sums_[3 * g] / workers;
        // The datapoint's noise: a minute's, whatever the slice (the alarm's period).
        const double sd =
            100.0 * std::sqrt(edge_sums_[3 * g + 2] / std::max(slice_s, 60.0)) / workers;
        if (std::abs(mean - edge_target_[g]) >= sd) {
            edge_since_[g] = -1;
            continue;
        }
        if (edge_since_[g] < 0) edge_since_[g] = from;
        if (from - edge_since_[g] < 3 * std::max(coarse_step_, kMinute)) continue;
        edge_noted_ = true;
        note_limit(fmt::format(
            "step {} at {:.0f} s: group {}'s average CPU ({:.1f} %) has stayed within its "
            "datapoints' sampling noise (sd {:.1f} %) of its target tracking target ({:.0f} %) "
            "for 3 datapoints: when 3 datapoints in a row exceed the target is chance, in request "
            "mode as here, and the fluid mode's draws are its own: desired capacity, "
            "instance-hours and cost from here on are one draw, not request mode's",
            steps_, to_seconds(sim_.now()), spec_.autoscaling_group[g - 1].name, mean, sd,
            edge_target_[g]));
        return;
    }
}

void FluidModel::note_critical(std::uint32_t i, double rho, double cap) {
    // Within a fraction of its capacity the queue's walk has almost no drift: it takes
    // about cap^2 / sigma^2 seconds (minutes) to spread over its bound, and request mode's
    // queue, started short, is still in that transient where the fluid mode takes its
    // steady state (the wait nearly uniform up to the bound). Said once per run.
    critical_noted_ = true;
    note_limit(
        fmt::format("step {} at {:.0f} s: instance {} is loaded to {:.2f} % of its "
                    "capacity with room for {:.0f} requests; its queue takes minutes "
                    "to settle and the fluid mode gives the settled queue (waits "
                    "spread up to the bound) where request mode's queue is still "
                    "short: latencies are higher than request mode's while it lasts",
                    steps_, to_seconds(sim_.now()), fleet_[i].name(), 100.0 * rho, cap));
}

void FluidModel::note_coarse_walk(std::uint32_t i, double step_s, double distance_rate,
                                  double bound_s) {
    // The distance of a held queue below its bound is that of a reflected Brownian motion:
    // right when one request's work (S / c) is small against it. With service times of
    // little spread (constant ones) the walk's variance is the arrivals' alone, the modelled
    // distance falls under one request's work, and the diffusion no longer describes the
    // walk: request mode's queue moves by whole requests, and over so short a time its
    // arrivals are more irregular than round robin's ca^2 = 1 / n (the long run's: each
    // node's cursor hands a target every n-th request, the nodes' streams interleave), so
    // more of them find the queue a request or more short of the timeout and are answered in
    // time (6 c5.large, constant 30 ms, 2 s clients, 40 % beyond capacity: 1.3 % of the held
    // arrivals in time against 0.07 %). Said once per run.
    coarse_walk_noted_ = true;
    note_limit(fmt::format(
        "step {} at {:.0f} s: instance {}'s queue is held at its clients' timeout ({:.1f} s) "
        "and one request adds {:.1f} ms of work to it, more than the fluid mode's mean distance "
        "below the bound ({:.1f} ms): request mode's queue moves by whole requests and answers "
        "more of the held requests in time; successes and mean latency under the timeout are "
        "low here",
        steps_, to_seconds(sim_.now()), fleet_[i].name(), bound_s, 1000.0 * step_s,
        1000.0 / distance_rate));
}

void FluidModel::note_held_mixture(std::uint32_t i, const QueueState& q, double lambda, double mu_c,
                                   double timeout, double max_queue) {
    // Two regimes of a queue held by its clients' timeout that the one walk of timeout_held
    // does not describe (docs/fluid.md, "Where it breaks down"):
    // - The band: max_queue within the timeout's work (K <= mu_c T), yet a full queue's wait
    //   reaches the timeout give or take its departures' spread (timeout_bound). Request mode's
    //   queue is bound by its count and by its clients' timeout in turns, a mixture of the two
    //   models: one c5.2xlarge at 120 requests/s, 5 s clients, max_queue 375, in time 77,414
    //   in request mode (seeds 1-3), 83,566 counted from the full queue, 71,745 from the
    //   timeout; its 504s 9,664 against 17,299.
    // - Full by count part of the time (K > mu_c T: over_full is about the share of the time
    //   the head meets requests taken while the queue was full). While full it takes exactly
    //   as many as leave, so its intake copies its outflow a timeout earlier: stretches taken at
    //   the workers' rate (the head then has no drift) and at the arrivals' (the head runs to the
    //   timeout) come back every timeout and wander, and the head's distance below the
    //   timeout is far wider than one walk's (a request-by-request simulation of 40 requests/s
    //   against 32, 60 s clients: a mean of 2.6 s against the walk's 0.3 s). Request mode
    //   answered 1.6-18 % more in time and gave 1-12 % fewer 504s in every such case measured.
    if (!(lambda > mu_c) || q.distance_rate <= 0) return;
    if (max_queue <= mu_c * timeout + 0.5) {
        if (band_noted_) return;
        band_noted_ = true;
        note_limit(fmt::format(
            "step {} at {:.0f} s: instance {}'s queue is held by its count (max_queue {:.0f}) "
            "and by its clients' timeout ({:.0f} s, {:.0f} requests' work) in turns; request "
            "mode mixes the two bounds, the fluid mode takes the timeout's: answers in time "
            "are within about 10 % of request mode's, the split of the overflow into 503 and "
            "504 is approximate (504s up to twice request mode's where they are few)",
            steps_, to_seconds(sim_.now()), fleet_[i].name(), max_queue, timeout, mu_c * timeout));
        return;
    }
    // over_full is the share of the time the head meets requests taken while the queue was
    // full, at the workers' rate ((lambda T - K) / ((lambda - mu_c) T) in the fluid limit): its
    // driftless stretches last about over_full x T, over_full x mu_c T requests.
    const double stretch = q.over_full * mu_c * timeout;
    if (pinned_noted_ || stretch < kPinnedStretch) return;
    pinned_noted_ = true;
    note_limit(fmt::format(
        "step {} at {:.0f} s: instance {}'s queue is full by count (max_queue {:.0f}, more than "
        "its clients' timeout of {:.0f} s holds) part of the time, refusing {:.0f} % of its "
        "overflow; while full it takes as many as leave, so for about {:.0f} s of every {:.0f} "
        "s (some {:.0f} requests) its head meets requests taken at its workers' rate and "
        "wanders below the timeout further than the fluid mode's walk: request mode answers "
        "more in time and the split of the overflow into 503 and 504 is approximate (where "
        "measured the fluid mode answered 2-12 % fewer in time and gave 5-70 % more 504s, its "
        "503s up to 30 % off)",
        steps_, to_seconds(sim_.now()), fleet_[i].name(), max_queue, timeout, 100.0 * q.over_full,
        q.over_full * timeout, timeout, stretch));
}

void FluidModel::note_end_backlog() {
    // Request mode counts a request when it is answered (or its client gives up), the fluid
    // mode when it arrives, with the outcome and latency its queue gives it: requests still
    // queued at the end are in flight in request mode (in_flight_at_end) and counted here.
    // Their number is the backlogs' (a queue held by its clients' timeout holds the last T
    // seconds' requests less those served: with 90 s clients, three targets end with 5,400
    // where request mode has about 6,000 in flight). Said when they pass 1 % of the arrivals.
    double queued = 0;
    std::uint32_t longest = 0;
    const auto n = std::min(static_cast<std::size_t>(backlog_.size()), fleet_.size());
    for (std::uint32_t i = 0; i < n; ++i) {
        queued += backlog_[i];
        if (backlog_[i] > backlog_[longest]) longest = i;
    }
    std::uint64_t arrived = 0;
    for (const std::uint64_t a : arrivals_recorded_)
        arrived += a;
    if (queued < kEndBacklogNoted * static_cast<double>(arrived) || queued < 1.0) return;
    note_limit(fmt::format(
        "step {} at {:.0f} s: the run ends with about {:.0f} requests queued ({:.1f} % of the "
        "arrivals; instance {}: {:.0f}); request mode leaves them in flight (in_flight_at_end) "
        "and counts them when they are answered or time out, the fluid mode counted them when "
        "they arrived: its answers and 5xx counts are higher by that many in all",
        steps_, to_seconds(sim_.now()), queued, 100.0 * queued / static_cast<double>(arrived),
        fleet_[longest].name(), backlog_[longest]));
}

// Whitt's GI/G/c factor for solve, kept for the last inputs (a fleet's instances mostly share
// them).
double FluidModel::whitt_factor(int servers, double rho, double ca2, double cs2) {
    if (rho != whitt_rho_ || ca2 != whitt_ca2_ || cs2 != whitt_cs2_ || servers != whitt_servers_) {
        whitt_rho_ = rho;
        whitt_ca2_ = ca2;
        whitt_cs2_ = cs2;
        whitt_servers_ = servers;
        // One server keeps Allen-Cunneen's factor: exact for M/G/1 (Pollaczek-Khinchine),
        // where Whitt's phi is below 1 (Fargate tasks of one vCPU: mean -7 to -13 % against
        // request mode with it, within 3 % without).
        whitt_phi_ = servers > 1 ? whitt_gigm_factor(servers, rho, ca2, cs2) : 1.0;
        whitt_phi_ = constant_service_factor(servers, rho, ca2, cs2, whitt_phi_);
    }
    return whitt_phi_;
}

// Whitt's phi where the service times vary less than each worker's own arrivals. With
// constant service a GI/D/m queue waits as a GI/D/1 queue of every m-th arrival
// (erlang_d1_mean_wait), and round robin's target takes every order-th request (ca^2 = 1 /
// order): its workers wait as E_(m order)/D/1, exactly. Whitt's phi takes Cosmetatos's M/D/m
// factor there (at least 1), which knows nothing of the arrivals' regularity: 10 targets of
// 2 workers, constant 25 ms, rho 0.85, 3.25 ms against request mode's 1.72 (E_20/D/1:
// 1.734). Between cs^2 = 0 and a worker's own arrivals' ca^2 / m, Whitt's linear
// interpolation (his eq. 2.24, with the worker's arrivals for the station's) moves from the
// exact value to his phi; above, his phi stands (lognormal cv 0.3 agrees within 5 %).
double FluidModel::constant_service_factor(int servers, double rho, double ca2, double cs2,
                                           double phi) {
    const double own = ca2 / servers;  // a worker's arrivals: every servers-th
    if (!(cs2 < own) || !(rho > 0.0) || !(rho < 1.0)) return phi;
    const int k = std::max(1, static_cast<int>(std::lround(1.0 / own)));
    // Past this many Poisson terms (about a millisecond; near rho = 1, rho 0.98 with k = 20)
    // the heavy-traffic limit is close (the exact factor tends to 1): Whitt's phi stands.
    constexpr long kBudget = 200000;
    const double wait = erlang_d1_mean_wait(k, rho, kBudget);
    if (wait < 0) return phi;
    const double mmc = erlang_c(servers, servers * rho) / (servers * (1.0 - rho));
    if (!(mmc > 0.0)) return phi;
    const double exact = wait / (0.5 * ca2 * mmc);
    const double weight = 4.0 * (own - cs2) / (4.0 * own - 3.0 * cs2);
    return weight * exact + (1.0 - weight) * phi;
}

double FluidModel::smooth_full(double order, int sources, double lambda, int c, double mu,
                               int places) const {
    // Round robin hands a target every order-th request of the stream: Erlang gaps, which fill
    // a short queue far less often than Poisson arrivals (erlang_gaps_full, exact). Beyond
    // kSmoothOrder the gaps are nearly constant already: the order is capped there.
    if (c + places + 1 > kSmoothStates) return -1.0;
    const int n = std::clamp(static_cast<int>(std::lround(order)), 1, kSmoothOrder);
    if (sources < 2 || n < 2) return erlang_gaps_full({n}, lambda, c, mu, places);
    // sources nodes (cross-zone), each with its own cursor (request mode: one per node's
    // zone), take turns in DNS: node z hands the target the requests at sources x (n k + u_z)
    // + z, so its gaps are the distances between those positions around a circle of sources x
    // n requests. The cursors' offsets u_z are set by the order in which the targets turned
    // healthy: taken as independent and uniform over 0..n-1 (u_0 = 0). Every combination when
    // there are at most kSmoothPhases, else kSmoothPhases of them spread evenly (a lattice).
    int combos = 1;
    for (int z = 1; z < sources && combos <= kSmoothPhases; ++z)
        combos *= n;
    const int m = std::min(combos, kSmoothPhases);
    std::vector<int> at(static_cast<std::size_t>(sources)), gaps(at.size());
    double total = 0;
    for (int k = 0; k < m; ++k) {
        int rest = k;
        for (int z = 0; z < sources; ++z) {
            int u = 0;
            if (z > 0 && combos <= kSmoothPhases) {
                u = rest % n;
                rest /= n;
            } else if (z > 0) {
                const double x = (k + 0.5) * (2 * z - 1) / m;
                u = static_cast<int>((x - std::floor(x)) * n);
            }
            at[static_cast<std::size_t>(z)] = sources * u + z;
        }
        std::sort(at.begin(), at.end());
        for (std::size_t z = 0; z < at.size(); ++z)
            gaps[z] = (z + 1 < at.size() ? at[z + 1] : at.front() + sources * n) - at[z];
        total += erlang_gaps_full(gaps, lambda, c, mu, places);
    }
    return total / m;
}

void FluidModel::note_smooth_loss(std::uint32_t i, double rho, double order) {
    // A round-robin target's steady state takes Poisson arrivals' full-queue share when its
    // queue is too long for smooth_full (kSmoothStates): round robin's arrivals are smoother
    // (every n-th request), so request mode refuses less. Such a queue is full below capacity
    // only within a fraction of a percent of it. Said once per run, when it refuses more than
    // kSmoothLossNoted of its arrivals.
    smooth_loss_noted_ = true;
    note_limit(fmt::format(
        "step {} at {:.0f} s: instance {} refuses {:.1f} % of its arrivals (503) with its "
        "queue of {} full at {:.1f} % of its capacity; the fluid mode takes the share of "
        "Poisson arrivals for a queue this long, and round robin's are smoother (every {:.0f}th "
        "request): request mode fills it less often, so 503 counts below capacity are high",
        steps_, to_seconds(sim_.now()), fleet_[i].name(), 100.0 * erlang_full_,
        fleet_[i].config().max_queue, 100.0 * rho, order));
}

void FluidModel::note_limit(std::string reason) {
    accounting_.observer().log(sim_.now(), event::FluidLimit{steps_, reason});
    limits_.push_back(Limit{sim_.now(), steps_, std::move(reason)});
}

void FluidModel::held_wait(QueueState& q, double lambda, double mu_c, double ca2, double cs2,
                           double pool, double cap) {
    // A queue held at its bound by arrivals beyond the capacity is not at the bound: its
    // length is a random walk with drift lambda - c/s towards it, reflected there (a full
    // queue refuses, and a request that would wait longer than its client's timeout leaves
    // without taking a worker). In waiting time (the work ahead of an arrival, which falls at
    // 1 s/s and rises by S/c per request that stays) the drift is theta = lambda/mu_c - 1 and
    // the variance per second sigma^2 = lambda (ca^2 + cs^2) / mu_c^2, so the distance below
    // the bound is exponential with rate 2 theta / sigma^2 (the stationary reflected Brownian
    // motion). Request mode's timeout-bound queue serves the requests that find it a little
    // short of the timeout; those whose service outlasts what is left are answered too late
    // (504), their work wasted; a queue bound by its clients' timeout is timeout_held's now.
    // A pool held full by count (session 14) walks in count, not in work: least outstanding
    // requests gives each place that opens anywhere in the pool to the next arrival, so every
    // queue stays full while the pool's count, n times one queue's, is short of its bound by a
    // reflected walk of the pool's arrivals (n lambda ca^2 per second) and departures (n mu_c
    // cs^2): n lambda ca^2 + n mu_c cs^2 over 2 n (lambda - mu_c) requests, shared by n queues.
    // With the work's walk, a pool of 10 c6i.xlarge held full at 1.24x (lognormal 38 ms cv 2.5)
    // waited 159 ms short of its bound where request mode waits 15 ms short (mean 1,020 against
    // 1,175 ms; now 1,164); with exponential service 27 ms against about 5 (now 4.5).
    q.bound_wait_s = cap / mu_c;
    const double theta = lambda / mu_c - 1.0;
    if (pool > 1) {
        const double count_spread = lambda * ca2 + mu_c * cs2;
        q.distance_rate = count_spread > 0 && theta > 0
                              ? 2.0 * pool * (lambda - mu_c) * mu_c / count_spread
                              : 0.0;
    } else {
        const double spread = lambda * (ca2 + cs2);
        q.distance_rate = spread > 0 && theta > 0 ? 2.0 * theta * mu_c * mu_c / spread : 0.0;
    }
    if (q.distance_rate <= 0) q.held_share = 0;  // at the capacity exactly: the fluid mean
}

void FluidModel::timeout_held(QueueState& q, double lambda, double mu_c, double ca2, double cs2,
                              double pool, int workers, double timeout, double max_queue) {
    // Request mode keeps a request in the queue until it starts or its client gives up
    // (Instance::abandon: it leaves max_queue's count then, and is dropped unserved at the
    // head). Held by its timeout, the queue starts requests from its head at mu_c per second,
    // and the head is the oldest arrival whose client still waits: its distance D below the
    // timeout follows D' = X + max(0, D - G), X the gap to the next arrival (Exp(lambda_a)),
    // G to the next start (Exp(mu_c)). That is an M/M/1 wait plus an arrival gap, and its
    // Laplace transform is (lambda_a - mu_c) / (lambda_a - mu_c + t): D ~ Exp(lambda_a - mu_c)
    // exactly, for Poisson arrivals and starts. A served request is answered in time when its
    // service fits in D (emit: e^(-rate m) for a service point m past the bound, exactly;
    // binning D as well lost 17 % of those in time). For other arrivals and starts the rate is
    // scaled by 1 / k, k = (ca^2 + cd^2) / 2 with the two streams' indices of dispersion over
    // the walk's time scale (held_spread). The queue holds the requests of the last T - D
    // seconds, at most max_queue, and the places are held as in a loss system (M/G/K/K, Erlang
    // B): a request taken holds one for T less the distance of those served (mu_c / x of them),
    // and the rate taken is x = lambda (1 - B(K, lambda h(x))) (taken_for_k); the rest are
    // refused (503), and x - mu_c leave at the head (504). One c5.2xlarge (80 requests/s) at 120
    // requests/s with 5 s clients, request mode / this / the reflected Brownian motion before:
    // max_queue 800 (time-bound: 504 only) 18,224 / 17,579 / 26,058 in time; max_queue 550
    // (both; request mode seeds 1-3) 11,890 / 11,948 / 0 503s and 22,950 / 22,326 / 26,058 in
    // time; max_queue 400 (= 5 s of work) 64,281 / 63,247 / 26,058 in time. Near a = K the
    // count's fluctuation refuses some all the same (one m5.large, 4 workers, 80 ms lognormal
    // cv 1.5, 1 s clients, max_queue 60, 65 requests/s: request mode 6,786 503s, B's fluid
    // limit none).
    const int places = static_cast<int>(std::lround(max_queue));
    const std::array<double, 7> inputs = {
        lambda, mu_c, ca2 / pool, cs2, timeout, max_queue, static_cast<double>(workers)};
    double taken = lambda;
    double k = 0.5 * (ca2 / pool + 1.0 + (cs2 - 1.0) / workers);
    if (inputs == taken_inputs_) {
        taken = taken_last_;
        k = taken_k_;
    } else if (lambda > mu_c && erlang_b(places, lambda * timeout) > 1e-9) {
        // k depends on the rate taken (the walk's time scale, below) and the rate on k: a few
        // rounds, each damped by half, until k settles.
        for (int round = 0; round < 12; ++round) {
            taken = taken_for_k(lambda, mu_c, k, timeout, max_queue);
            const double next =
                held_spread(taken, lambda, mu_c, ca2 / pool, cs2, workers, timeout, max_queue);
            if (std::abs(next - k) < 1e-4) break;
            k = 0.5 * (k + next);
        }
        taken = taken_for_k(lambda, mu_c, k, timeout, max_queue);
    } else if (lambda > mu_c) {
        k = held_spread(lambda, lambda, mu_c, ca2 / pool, cs2, workers, timeout, max_queue);
    }
    taken_k_ = k;
    taken_inputs_ = inputs;
    taken_last_ = taken;
    q.bound_wait_s = timeout;
    q.distance_rate = taken > mu_c && k > 0 ? (taken - mu_c) / k : 0.0;
    q.over_full = lambda > mu_c ? std::clamp((lambda - taken) / (lambda - mu_c), 0.0, 1.0) : 0.0;
    if (q.distance_rate <= 0) q.held_share = 0;  // at the capacity exactly: the fluid mean
}

double FluidModel::taken_for_k(double lambda, double mu_c, double k, double timeout,
                               double max_queue) {
    // The rate a timeout-held queue takes, x = lambda (1 - B(K, lambda h(x))), h(x) = T - mu_c /
    // x * k / (x - mu_c) the mean time a taken request holds its place. Regula falsi (Illinois)
    // between mu_c, where nothing is held and all is taken, and the fluid limit's root, which
    // takes at least as much as the loss system (B is at least 1 - K / a): a few Erlang Bs
    // instead of a bisection's twenty.
    const int places = static_cast<int>(std::lround(max_queue));
    auto taken_for = [&](double x) {
        const double hold = timeout - mu_c / x * (k / (x - mu_c));
        return lambda * (1.0 - erlang_b(places, lambda * std::max(0.0, hold)));
    };
    const double b = timeout * mu_c + k + max_queue;
    const double root =
        (b + std::sqrt(std::max(0.0, b * b - 4.0 * timeout * max_queue * mu_c))) / (2.0 * timeout);
    double lo = mu_c, hi = std::min(lambda, root);
    double g_lo = lambda - mu_c, g_hi = taken_for(hi) - hi;
    int side = 0;
    for (int it = 0; it < 30 && g_hi < 0 && hi - lo > 1e-7 * lambda; ++it) {
        const double x = hi - g_hi * (hi - lo) / (g_hi - g_lo);
        const double g = taken_for(x) - x;
        if (g > 0) {
            lo = x;
            g_lo = g;
            if (side == 1) g_hi *= 0.5;
            side = 1;
        } else {
            hi = x;
            g_hi = g;
            if (side == -1) g_lo *= 0.5;
            side = -1;
        }
    }
    return g_hi >= 0 ? hi : 0.5 * (lo + hi);
}

double FluidModel::held_spread(double taken, double lambda, double mu_c, double ca2, double cs2,
                               int workers, double timeout, double max_queue) {
    // The head's distance D below the timeout is a reflected walk, up by the gaps between the
    // requests taken, down by the gaps between starts: its mean is k / (taken - mu_c) with k
    // the mean of the two streams' indices of dispersion (variance over mean of their counts)
    // over the walk's time scale tau = sigma^2 / theta^2 (theta = taken - mu_c, sigma^2 their
    // counts' variance per second), not their gaps' squared CV. Measured by simulating
    // request mode's rules request by request (one c6i.xlarge, 8 workers, lognormal 150 ms cv 0.8,
    // max_queue 180, 3 s clients, 75 requests/s): k 0.58 where the gaps gave 0.98, answers in
    // time 20.2 % of the arrivals against the fluid mode's 28.5 %.
    // - The starts: c busy workers, each a renewal process of the service times, so over a
    //   window tau the index goes from 1 (short windows) to cs^2 (long ones), over about
    //   E[S^3] / (3 E[S^2]) per worker (lognormal's: s (1 + cs^2)^2 / 3): cv 0.8 measured 0.72,
    //   0.64, 0.63 at 0.05, 0.3, 1 s. Service times more spread than exponential keep the
    //   gaps' squared CV, 1 + (cs^2 - 1) / c: their index grows as the formula says (cv 1.5, 80
    //   ms: 1.53, 1.72, 1.91 at 0.3, 0.6, 1 s), but taken at the walk's time scale it answered
    //   too many in time (shipped queue-timeouts, 8 m5.large, cv 1.5: 168,457 errors against
    //   request mode's 181,400, where the gaps' CV gives 181,738): the walk there is not the
    //   diffusion of these counts, which is not modelled.
    // - The requests taken: a queue full by count (max_queue beyond the timeout's work)
    //   takes a request only when one leaves, so the count it holds, the last T seconds'
    //   requests, is pinned near max_queue: over T the index is the loss system's occupancy's
    //   (a Poisson count truncated at K), over shorter windows in between (a binomial window:
    //   1 - (1 - that) tau / T). Measured: 0.86, 0.53, 0.14 at 0.1, 1, 3 s in the case above.
    //   Round robin's arrivals are regular already (ca^2 = 1 / n): the smaller of the two
    //   counts (multiplied, two c7g.large with 1 s clients answered 7 % too few in time).
    //   A queue whose max_queue is within the timeout's work is held by count as well as by
    //   the timeout in turns (the band between the two models): left as it was.
    const double s = workers / mu_c;
    const double theta = taken - mu_c;
    const bool pinned = max_queue > mu_c * timeout;
    double pinned_index = 1.0;
    if (pinned) {
        const double hold = timeout - mu_c / taken * (0.5 * (ca2 + 1.0) / std::max(theta, 1e-9));
        pinned_index = loss_occupancy_dispersion(static_cast<int>(std::lround(max_queue)),
                                                 lambda * std::max(hold, 1e-9));
    }
    const double tau0 = s * (1.0 + cs2) * (1.0 + cs2) / 3.0;
    double entries = ca2, starts = 1.0, tau = timeout;
    for (int round = 0; round < 20; ++round) {
        const double variance = taken * entries + mu_c * starts;
        const double next = theta > 0 ? std::min(timeout, variance / (theta * theta)) : timeout;
        entries = std::min(ca2, 1.0 - (1.0 - pinned_index) * next / timeout);
        starts = cs2 >= 1.0 ? 1.0 + (cs2 - 1.0) / workers
                 : tau0 > 0 ? cs2 + (1.0 - cs2) * tau0 / next * -std::expm1(-next / tau0)
                            : cs2;
        if (std::abs(next - tau) < 1e-4 * timeout) break;
        tau = next;
    }
    return 0.5 * (entries + starts);
}

void FluidModel::add_cpu_noise(SimTime from) {
    // The busy workers of a step are a mean; request mode measures a sample of them, and the
    // alarms' M-of-N datapoints react to that noise (scale-in later, scale-out sooner). What
    // an alarm reads is a metric slice's average, so each group gets one normal draw per
    // slice, shared by its instances and by every step of the slice, scaled to sd / sqrt(n):
    // the group's slice average (what target tracking watches) then has the sampling noise
    // of n independent instances (sd^2 = lambda E[S^2] / slice per instance), whatever steps
    // the slice is cut into. Drawn per step instead (variance / step length), the slice's
    // average had the same variance, but the draws followed the number of steps: a change
    // of step lengths reshuffled every later draw, and with them the decisions that hinge on
    // noise. Per-instance CPUUtilization is less noisy than in request mode.
    const std::size_t groups = spec_.autoscaling_group.size() + 1;
    if (group_draw_.size() < groups) group_draw_.resize(groups, 0.0);
    const SimTime slice = from / coarse_step_;
    if (slice != noise_slice_) {
        noise_slice_ = slice;
        for (double& z : group_draw_)
            z = noise_.normal(0.0, 1.0);
    }
    const bool new_slice = slice != edge_slice_;
    edge_slice_ = slice;
    // Performance: each instance's group (+1) and workers, kept here so that counting reads no
    // Instance (a config never changes).
    for (auto k = static_cast<std::uint32_t>(group_of_.size()); k < fleet_.size(); ++k) {
        group_of_.push_back(static_cast<std::uint32_t>(fleet_[k].config().group + 1));
        workers_of_.push_back(fleet_[k].config().workers);
    }
    if (new_slice && !edge_noted_) check_noise_edge(from);
    group_count_.assign(group_draw_.size(), 0.0);
    int alone = 0;  // counted without a chain of additions in memory: the usual single group
    const std::uint32_t first = touched_.empty() ? 0 : group_of_[touched_.front()];
    for (std::uint32_t i : touched_) {
        const std::uint32_t g = group_of_[i];
        if (g >= group_count_.size() || !(noise_var_[i] > 0)) continue;
        if (g == first) {
            ++alone;
        } else {
            group_count_[g] += 1;
        }
    }
    if (alone > 0) group_count_[first] += alone;  // whole numbers: the same sum in any order
    const double slice_s = to_seconds(coarse_step_);
    // Each group's draw scaled to its count once (it was divided per instance).
    group_z_.resize(group_count_.size());
    for (std::size_t g = 0; g < group_count_.size(); ++g)
        group_z_[g] = group_count_[g] > 0 ? group_draw_[g] / std::sqrt(group_count_[g]) : 0.0;
    // Performance: alike instances (solve_like) have equal noise variances: one sqrt for them.
    double last_var = -1, last_sd = 0;
    for (std::uint32_t i : touched_) {
        double busy = busy_[i];
        if (noise_var_[i] > 0) {
            const std::uint32_t g = group_of_[i];
            if (noise_var_[i] != last_var) {
                last_var = noise_var_[i];
                last_sd = std::sqrt(last_var / slice_s);
            }
            const double sd = last_sd;
            // Truncated symmetrically so that it stays within [0, c]: the mean is kept.
            const double room = std::min(busy, workers_of_[i] - busy);
            const double z = g < group_z_.size() ? group_z_[g] : 0.0;
            busy += sd > 0 ? std::clamp(z * sd, -room, room) : 0.0;
        }
        busy_noisy_[i] = busy;
        Instance& inst = fleet_[i];
        inst.fluid_step(static_cast<std::uint64_t>(accepted_[i]), busy, backlog_[i], queue_view_[i],
                        timeout_question_);
    }
}

// The group's masses get the same additions as the workload's, in the same order (count_groups).
void FluidModel::emit(std::size_t w, const QueueState& q, double requests, SimTime at, Mass& mass,
                      bool fails_behind, std::uint16_t group) {
    const std::uint16_t lb = workloads_[w]->load_balancer().index();
    Mass& by_group = group_mass(w, group);
    const double admitted = add_refused(q, requests, mass, by_group);
    if (q.refuse != Outcome::Ok) {
        if (q.refuse == Outcome::Http504) connect_504_carry_[w] += requests;
        accounting_.answered_by_load_balancer(lb, requests);
        return;
    }
    accounting_.answered_by_load_balancer(lb, requests * refused_share(q));
    // Performance: the points depend on the queue state only (latency_points); their weights
    // are in proportion to the requests admitted.
    const EmitCache& cache = latency_points(w, q);
    if (admitted > 0 && !fails_behind) {
        accounting_.ok_weighted(workloads_[w]->load_balancer().index(), at, cache.points.data(),
                                cache.points.size(), admitted, group);
    }
    add_admitted(w, cache, admitted, fails_behind, mass, by_group);
}

// emit's and add_to_profile's first part: the requests q refuses outright (all of them) or
// turns away (a full queue's 503s are the application's, kTarget503; the 504s of a queue held
// at the clients' timeout the load balancer's). Returns the requests it admits.
double FluidModel::add_refused(const QueueState& q, double requests, Mass& mass,
                               Mass& by_group) const {
    if (q.refuse != Outcome::Ok) {
        mass[static_cast<int>(q.refuse)] += requests;
        if (counted_by_group(static_cast<int>(q.refuse)))
            by_group[static_cast<int>(q.refuse)] += requests;
        return 0;
    }
    const double over = requests * q.over;
    const double full = over * (q.over_code == Outcome::Http503 ? 1.0 : q.over_full);
    mass[kTarget503] += full;
    by_group[kTarget503] += full;
    mass[static_cast<int>(Outcome::Http504)] += over - full;
    return requests - over;
}

// The admitted requests' outcomes: 504 for those whose wait passes the clients' timeout, the
// rest 200, or behind a failing dependency what its wait ends in.
void FluidModel::add_admitted(std::size_t w, const EmitCache& cache, double admitted,
                              bool fails_behind, Mass& mass, Mass& by_group) const {
    mass[static_cast<int>(Outcome::Http504)] += admitted * cache.late;
    if (fails_behind) {
        // The application waits for its database connection (or its call out of the VPC)
        // after the CPU time and answers 500 after the workload's database_connect_timeout,
        // unless the client gives up first (504; the CPU time and queueing before the wait
        // are left out of the race).
        const auto& spec = workloads_[w]->spec();
        const bool client_first = spec.database_connect_timeout * kSecond >= spec.timeout;
        const int code = static_cast<int>(client_first ? Outcome::Http504 : Outcome::Http500);
        mass[code] += admitted * cache.ok;
        if (counted_by_group(code)) by_group[code] += admitted * cache.ok;
        return;
    }
    mass[static_cast<int>(Outcome::Ok)] += admitted * cache.ok;
    by_group[static_cast<int>(Outcome::Ok)] += admitted * cache.ok;
}

// Workload w's profile for its merged runs: the last one when they are equal (states by value),
// else made anew, run by run in their order.
const FluidModel::Profile& FluidModel::profile(std::size_t w, const std::vector<Merged>& runs) {
    if (profile_.size() < workloads_.size()) profile_.resize(workloads_.size());
    Profile& p = profile_[w];
    if (p.valid && p.key.size() == runs.size()) {
        bool same = true;
        for (std::size_t k = 0; k < runs.size() && same; ++k) {
            const ProfileKey& e = p.key[k];
            const Merged& m = runs[k];
            same = e.lambda == m.lambda && e.closed == m.closed && e.group == m.group &&
                   e.q == state_[m.like];
        }
        if (same) return p;
    }
    p.valid = true;
    p.key.clear();
    p.mass.fill(0.0);
    p.by_group.clear();
    p.group_response_s.clear();
    p.connect_504 = p.answered = p.response_s = 0;
    p.any_ok = false;
    for (const Merged& m : runs) {
        p.key.push_back(ProfileKey{state_[m.like], m.lambda, m.closed, m.group});
        add_to_profile(w, p, state_[m.like], m.lambda, m.closed, m.group);
    }
    // The cells by ascending bin (the histogram's order in memory).
    p.cells.clear();
    for (std::size_t word = 0; word < cell_used_.size(); ++word) {
        for (std::uint64_t bits = cell_used_[word]; bits != 0; bits &= bits - 1) {
            const std::size_t bin = word * 64 + static_cast<std::size_t>(__builtin_ctzll(bits));
            p.cells.push_back(cell_scratch_[bin]);
            cell_scratch_[bin] = WeightedCell{};
        }
        cell_used_[word] = 0;
    }
    return p;
}

// The group's masses get the same additions as the workload's (count_groups).
void FluidModel::add_to_profile(std::size_t w, Profile& p, const QueueState& q, double requests,
                                bool fails_behind, std::uint16_t group) {
    Mass& mass = p.mass;
    auto slot = std::find_if(p.by_group.begin(), p.by_group.end(),
                             [group](const auto& g) { return g.first == group; });
    if (slot == p.by_group.end()) slot = p.by_group.insert(slot, {group, Mass{}});
    Mass& by_group = slot->second;
    const double admitted = add_refused(q, requests, mass, by_group);
    if (q.refuse != Outcome::Ok) {
        if (q.refuse == Outcome::Http504) p.connect_504 += requests;
        p.answered += requests;
        return;
    }
    p.answered += requests * refused_share(q);
    // Performance: the points depend on the queue state only (latency_points); their weights
    // are in proportion to the requests admitted, gathered by cell.
    const EmitCache& cache = latency_points(w, q);
    if (admitted > 0 && !fails_behind) {
        p.any_ok = true;
        double response_s = 0;
        for (const WeightedLatency& point : cache.points) {
            if (point.bin >= cell_scratch_.size()) {
                cell_scratch_.resize(point.bin + 1);
                cell_used_.resize(point.bin / 64 + 1, 0);
            }
            WeightedCell& c = cell_scratch_[point.bin];
            if (c.weight == 0) {  // unused (every point's weight is > 0)
                cell_used_[point.bin / 64] |= std::uint64_t{1} << (point.bin % 64);
                c.bin = point.bin;
            }
            const double weight = admitted * point.weight;
            c.weight += weight;
            c.sum += weight * static_cast<double>(point.latency < 0 ? 0 : point.latency);
            response_s += weight * to_seconds(point.latency);
        }
        p.response_s += response_s;
        if (group != kNoTargetGroup) {
            auto g = std::find_if(p.group_response_s.begin(), p.group_response_s.end(),
                                  [group](const auto& e) { return e.first == group; });
            if (g == p.group_response_s.end()) g = p.group_response_s.insert(g, {group, 0.0});
            g->second += response_s;
        }
    }
    add_admitted(w, cache, admitted, fails_behind, mass, by_group);
}

void FluidModel::apply(std::size_t w, const Profile& p, double scale, SimTime at, Mass& mass) {
    const std::uint16_t lb = workloads_[w]->load_balancer().index();
    for (int o = 0; o < kMass; ++o)
        mass[o] += scale * p.mass[o];
    for (const auto& [group, unit] : p.by_group) {
        Mass& by_group = group_mass(w, group);
        for (int o = 0; o < kMass; ++o)
            by_group[o] += scale * unit[o];
    }
    connect_504_carry_[w] += scale * p.connect_504;
    accounting_.answered_by_load_balancer(lb, scale * p.answered);
    if (!p.any_ok) return;
    accounting_.ok_cells(lb, at, p.cells.data(), p.cells.size(), scale, p.response_s);
    for (const auto& [group, seconds] : p.group_response_s)
        accounting_.add_group_response_time(lb, group, scale * seconds);
}

// Workload w's latency points per admitted request for queue state q, and the weights of the
// successful and timed-out ones. Performance: steps that keep their solve (reuse_solve) meet the
// same states again, so each workload keeps the points of its last kEmitStates states and
// replays them; an entry is used only for a state equal field by field, so replaying is exact.
const FluidModel::EmitCache& FluidModel::latency_points(std::size_t w, const QueueState& q) {
    EmitCaches& caches = emit_cache_[w];
    for (const EmitCache& c : caches.state)
        if (c.valid && c.q == q) return c;
    EmitCache& cache = caches.state[static_cast<std::size_t>(caches.next)];
    caches.next = (caches.next + 1) % kEmitStates;
    cache.valid = true;
    cache.q = q;
    cache.points.clear();
    cache.ok = cache.late = 0;
    const double timeout = timeout_s_[w];
    const ServicePoints& sp = service_[w];
    unbinned_.clear();
    auto point = [&](double response_s, double weight) {
        if (!(weight > 0)) return;
        if (response_s > timeout) {
            cache.late += weight;  // the client gave up first (504)
            return;
        }
        cache.ok += weight;
        const auto v = static_cast<SimTime>(response_s * kSecond + 0.5);
        // Performance: the fields stored one by one; a braced temporary was built on the stack
        // and copied in 16-byte halves, a stalled store forward per point (most of this
        // function's time in a spiralling month, where nearly every call builds its points).
        unbinned_.push_back(static_cast<std::uint32_t>(cache.points.size()));
        WeightedLatency& added = cache.points.emplace_back();
        added.latency = v;  // its bin below
        added.weight = weight;
    };
    // Performance: what depends on the bin k and the state only, computed once per state
    // rather than once per service point (the same values: the outputs stay exact).
    const bool waits = q.wait_prob > 1e-12 && q.wait_rate > 0;
    const bool split = waits && q.wait_split > 0;
    std::array<double, kBins> wait_k{}, split_k{};
    if (split) {
        // Two exponentials, each half the mean (balanced hyperexponential; not truncated).
        const double inv_a = 1.0 / (2.0 * q.wait_split * q.wait_rate);
        const double inv_b = 1.0 / (2.0 * (1.0 - q.wait_split) * q.wait_rate);
        for (int k = 0; k < kBins; ++k) {
            wait_k[k] = wait_value_[k] * inv_a;
            split_k[k] = wait_value_[k] * inv_b;
        }
    } else if (waits) {
        const double inv = 1.0 / q.wait_rate;
        for (int k = 0; k < kBins; ++k) {
            // A bin of Exp(1) at the same quantile of the truncated exponential.
            const double x = wait_value_[k];
            wait_k[k] = q.wait_truncation > 0
                            ? -std::log1p(std::expm1(-x) * q.wait_truncation) * inv
                            : x * inv;
        }
    }
    const HeldPoints* bound =
        q.held_share > 0 && q.backlog_share > 0 ? &held_points(w, q) : nullptr;
    for (std::size_t j = 0; j < sp.value_s.size(); ++j) {
        const double s = sp.value_s[j] / q.speed + q.extra_s;
        const double pw = sp.weight[j];
        const double backlogged = pw * q.backlog_share;
        const double held = backlogged * q.held_share;
        if (backlogged > held) point(q.wait_s + s, backlogged - held);
        if (held > 0) add_held(*bound, j, held, cache);
        const double steady = pw - backlogged;
        if (steady <= 0) continue;
        point(s, steady * (1 - (waits ? q.wait_prob : 0.0)));
        if (!waits) continue;
        const double waiting = steady * q.wait_prob;
        if (split) {
            const double pa = waiting * q.wait_split;
            for (int k = 0; k < kBins; ++k)
                point(s + wait_k[k], pa * wait_weight_[k]);
            const double pb = waiting * (1.0 - q.wait_split);
            for (int k = 0; k < kBins; ++k)
                point(s + split_k[k], pb * wait_weight_[k]);
            continue;
        }
        for (int k = 0; k < kBins; ++k)
            point(s + wait_k[k], waiting * wait_weight_[k]);
    }
    bin_points(cache.points);
    return cache;
}

// The points of the requests of one service point j that meet a queue held at its bound
// (`held` of them per admitted request): D below the bound, binned; in time when it outlasts
// m: e^(-rate m) exactly, then answered at timeout - Exp(rate), memoryless (timeout_held).
// Their latencies and bins come from h, their weights from `held`.
void FluidModel::add_held(const HeldPoints& h, std::size_t j, double held, EmitCache& cache) {
    cache.late += held * (1.0 - h.in_time[j]);
    const double held_in_time = held * h.in_time[j];
    for (int k = 0; k < kBins; ++k) {
        const double weight = held_in_time * wait_weight_[k];
        if (!(weight > 0)) continue;
        const std::size_t at = j * kBins + static_cast<std::size_t>(k);
        if (h.late[at]) {
            cache.late += weight;  // the client gave up first (504)
            continue;
        }
        cache.ok += weight;
        WeightedLatency& added = cache.points.emplace_back();
        added.bin = h.points[at].bin;
        added.latency = h.points[at].latency;
        added.weight = weight;
    }
}

// Workload w's latencies and bins of the points of a queue held at its bound, per service point
// and bin of the distance below the bound: they depend on the bound's wait, the distance's rate,
// the speed and the extra latency (not on the shares that weigh them), which a spiralling
// fleet's held queues share within a step while their shares and backlogs all differ.
const FluidModel::HeldPoints& FluidModel::held_points(std::size_t w, const QueueState& q) {
    HeldPoints& h = held_points_[w];
    if (h.valid && h.bound_wait_s == q.bound_wait_s && h.distance_rate == q.distance_rate &&
        h.speed == q.speed && h.extra_s == q.extra_s) {
        return h;
    }
    h.valid = true;
    h.bound_wait_s = q.bound_wait_s;
    h.distance_rate = q.distance_rate;
    h.speed = q.speed;
    h.extra_s = q.extra_s;
    const double timeout = timeout_s_[w];
    const ServicePoints& sp = service_[w];
    const std::size_t n = sp.value_s.size();
    h.in_time.resize(n);
    h.points.assign(n * kBins, WeightedLatency{});
    h.late.assign(n * kBins, 0);
    std::array<double, kBins> d{};
    for (int k = 0; k < kBins; ++k)
        d[k] = wait_value_[k] / q.distance_rate;
    for (std::size_t j = 0; j < n; ++j) {
        const double s = sp.value_s[j] / q.speed + q.extra_s;
        const double m = q.bound_wait_s + s - timeout;
        h.in_time[j] = m > 0 ? std::exp(-q.distance_rate * m) : 1.0;
        for (int k = 0; k < kBins; ++k) {
            const double response =
                m > 0 ? timeout - d[k] : std::max(0.0, q.bound_wait_s - d[k]) + s;
            const std::size_t at = j * kBins + static_cast<std::size_t>(k);
            h.late[at] = response > timeout;
            if (!h.late[at] && std::isfinite(response))
                h.points[at].latency = static_cast<SimTime>(response * kSecond + 0.5);
        }
    }
    accounting_.latency_bins(h.points.data(), h.points.size());
    return h;
}

// The bins of the points latency_points added itself (unbinned_): one call to the observer.
void FluidModel::bin_points(std::vector<WeightedLatency>& points) {
    if (unbinned_.size() == points.size()) {  // none from held_points
        accounting_.latency_bins(points.data(), points.size());
        return;
    }
    bin_scratch_.resize(unbinned_.size());
    for (std::size_t k = 0; k < unbinned_.size(); ++k)
        bin_scratch_[k].latency = points[unbinned_[k]].latency;
    accounting_.latency_bins(bin_scratch_.data(), bin_scratch_.size());
    for (std::size_t k = 0; k < unbinned_.size(); ++k)
        points[unbinned_[k]].bin = bin_scratch_[k].bin;
}

}  // namespace stratus::cloud
