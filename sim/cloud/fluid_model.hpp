#pragma once
// The fluid mode's data plane (simulation.fidelity = "fluid"): traffic as rates instead of
// one event per request. Every step (1 s while anything moves, 10 s when all is calm) it
//  - takes each workload's rate at the middle of the step,
//  - spreads it the way the load balancer spreads requests: over the nodes DNS hands out,
//    then over the targets each node may pick (cross-zone or not, fail-open, slow start;
//    round robin: equal shares, least outstanding requests: shares in proportion to each
//    target's capacity),
//  - solves each instance as a multi-server queue (c = vCPU x workers_per_vcpu): in steady
//    state the M/M/c wait (Erlang C) scaled by the Allen-Cunneen factor (1 + cs^2) / 2 for
//    the service time's variability; when the arrival rate reaches the capacity c / s, or a
//    backlog is left from before, a fluid queue whose backlog grows at lambda - c / s, bounded
//    by max_queue (beyond: 503) and by the timeout (waits beyond it: 504),
//  - accounts the step's arrivals and outcomes (integers, the fractions carried to the next
//    step) and the latencies as weighted points of each step's response time distribution
//    (service-time quantiles x waiting-time quantiles), for the load balancers' counters and
//    the run's observer (RequestAccounting),
//  - hands each instance its busy workers, backlog and accepted count (Instance::fluid_step),
//    so CloudWatch metrics, alarms, scaling, health checks, draining, billing and faults run
//    exactly as in request mode.
// docs/fluid.md describes the approximations and their measured accuracy.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "sim/cloud/fleet.hpp"
#include "sim/cloud/request.hpp"
#include "sim/cloud/run_observer.hpp"
#include "sim/cloud/workload.hpp"
#include "sim/core/random.hpp"
#include "sim/core/simulation.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

class RequestAccounting;
class TargetGroup;
struct Target;

class FluidModel final : public EventHandler, public RoutingObserver {
  public:
    static constexpr SimTime kFineStep = kSecond;        // while rates, routes or queues move
    static constexpr SimTime kCalmCheck = 10 * kSecond;  // rates are checked this finely
    // How far a rate may move within a step, relative to its value at the step's start.
    static constexpr double kRateTolerance = 0.005;
    // The re-solves of health changes cost at most about this many instance solves per
    // simulated second (target_health_changed()).
    static constexpr SimTime kHealthSolvesPerSecond = 20000;

    // `coarse_step`: the step when all is calm, the World's metric slice (10 s or 60 s).
    FluidModel(const scenario::Spec& spec, Simulation& sim, Fleet& fleet,
               RequestAccounting& accounting,
               const std::vector<std::unique_ptr<Workload>>& workloads, SimTime coarse_step);

    void start();  // opens the first step at 0
    // Accounts the traffic up to `t` and re-solves from there. The World's tick calls it
    // first, so the CloudWatch metrics of a slice see the slice's traffic.
    void advance_to(SimTime t);
    // Accounts the traffic up to `t` without closing the step (a metrics period that ends
    // between two metric slices, World): the step's solve, busy workers and CPU noise stand,
    // and the instances' own counts are brought up at the step's close (fluid_model.cpp).
    // Under a backlog it closes and re-solves as advance_to() does.
    void checkpoint(SimTime t);
    void on_event(const Event& e) override;
    // RoutingObserver: a target, node or listener changed: re-solve at once.
    void routing_changed() override;
    // RoutingObserver: a target's health changed: re-solve at once, or within a grain in a
    // large fleet (fluid_model.cpp).
    void target_health_changed() override;
    // Instance i's condition changed (its state, reachability, application): re-solve at
    // once, or as a health change when it has nothing to serve in the open step.
    void instance_changed(std::uint32_t i);

    // For tests, the docs and the viewer: the backlog of an instance (requests waiting beyond
    // the steady-state queue), the steps taken, and its arrival rate in the open step.
    double backlog(std::uint32_t instance) const;
    double arrival_rate(std::uint32_t instance) const;
    std::uint64_t steps() const { return steps_; }
    // Requests routed to instance i so far, taken or refused (Instance::routed in request
    // mode: CloudWatch's RequestCount).
    std::uint64_t routed(std::uint32_t i) const {
        return i < routed_.size() ? static_cast<std::uint64_t>(routed_[i]) : 0;
    }

    // Where the fluid mode cannot follow request mode, in the order found: the step and the
    // reason (docs/fluid.md, "Where it breaks down"). Also in the event log (fluid_limit) and
    // in summary.json.
    struct Limit {
        SimTime at;
        std::uint64_t step;
        std::string reason;
    };
    const std::vector<Limit>& limits() const { return limits_; }

  private:
    enum Kind : std::uint32_t { kStep = 1, kReopen = 2, kHealthReopen = 3 };
    static constexpr int kCodes = kOutcomeCount;
    // The outcome masses carried: the codes, and kTarget503, the 503s of targets whose queue
    // is full (the application's own, a target's 5xx), kept apart from the load balancer's.
    static constexpr int kTarget503 = kCodes;
    static constexpr int kMass = kCodes + 1;
    using Mass = std::array<double, kMass>;
    // Quantile bins of the service and waiting times (see fluid_model.cpp).
    static constexpr int kBins = 11;

    // A workload's service time (speed-1.0 CPU time) as weighted points: the conditional
    // means of its quantile bins, finer in the tail (the p99 lives there).
    struct ServicePoints {
        std::vector<double> value_s;
        std::vector<double> weight;
        double mean_s = 0;
        double second_moment = 0;  // E[S^2], s^2
        double third_moment = 0;   // E[S^3], s^3: the shape of the wait (wait_split)
    };
    static ServicePoints service_points(const DurationDist& dist, RandomStream& rng);
    static void exact_moments(const DurationDist& dist, double& mean, double& m2, double& m3);
    // What an arrival at an instance meets during the step.
    struct QueueState {
        Outcome refuse = Outcome::Ok;  // not Ok: every request gets this code at once
        double over = 0;               // fraction refused (queue full or wait > timeout)
        Outcome over_code = Outcome::Http503;
        // Of `over` with over_code 504 (a queue held at its clients' timeout), the share
        // refused at the door because the queue is full by count as well (503; held_wait).
        double over_full = 0;
        double backlog_share = 0;  // fraction that waits wait_s (the fluid backlog)
        double wait_s = 0;
        // Of backlog_share, the part that meets the queue held at its bound (full, or as long
        // as the client's timeout): it waits bound_wait_s less a distance ~ Exp(distance_rate)
        // (the queue's random walk reflected at its bound; fluid_model.cpp).
        double held_share = 0;
        double bound_wait_s = 0;
        double distance_rate = 0;
        double wait_prob = 0;  // the rest: P(wait) (Erlang C) ...
        double wait_rate = 0;  // ... and the wait ~ Exp(wait_rate) when it waits
        // ... truncated at the bound's wait when that matters (e^-(rate x bound) > 1e-9:
        // near rho = 1 the bounded queue's wait is nearly uniform), else 0 (not truncated)
        double wait_truncation = 0;  // 1 - e^-(rate x bound)
        // Not truncated, with service times of a long tail: the wait given that it waits is
        // more variable than the exponential, a balanced two-phase mixture (hyperexponential)
        // of the same mean: this share at rate 2 x wait_split x wait_rate, the rest at 2 x
        // (1 - wait_split) x wait_rate (fluid_model.cpp, wait_split); 0: exponential.
        double wait_split = 0;
        double speed = 1;  // CPU time / speed + extra
        double extra_s = 0;
        // Inline: close() compares each instance's state with its neighbour's every step.
        bool operator==(const QueueState& o) const {
            return refuse == o.refuse && over == o.over && over_code == o.over_code &&
                   over_full == o.over_full && backlog_share == o.backlog_share &&
                   wait_s == o.wait_s && held_share == o.held_share &&
                   bound_wait_s == o.bound_wait_s && distance_rate == o.distance_rate &&
                   wait_prob == o.wait_prob && wait_rate == o.wait_rate &&
                   wait_truncation == o.wait_truncation && wait_split == o.wait_split &&
                   speed == o.speed && extra_s == o.extra_s;
        }
    };

    // Of the requests meeting q, the share the instance refuses at its door: a full queue's
    // 503s. The 504s of a queue held at the client's timeout are taken: request mode queues
    // them and drops each at the head once its client has gone, so they count as accepted
    // (NetworkIn, the load balancer's processed bytes and LCUs, data transfer out), not as the
    // load balancer's own answers (its error page's bytes only).
    static double refused_share(const QueueState& q) {
        return q.over_code == Outcome::Http503 ? q.over : q.over * q.over_full;
    }
    // A step is opened (routes and queue states solved for the rates at its start, the
    // instances told their busy workers) and later closed at its planned end, at a tick, or
    // early when routing changes; closing accounts the requests of the time that passed.
    void open(SimTime t);
    void close(SimTime t);
    double account_arrivals(std::size_t w, SimTime from, SimTime to);
    void record_whole_outcomes(SimTime from, std::vector<Mass>& mass);
    void ensure_capacity(std::size_t instances);
    void route(std::size_t w, double requests, std::array<double, kCodes>& mass);
    void spread(std::size_t w, TargetGroup& group, int node_zone, double node_share,
                std::array<double, kCodes>& mass);
    // Least outstanding requests with targets that answer at once among those spread() may
    // pick: they take what the others, busy, leave (fluid_model.cpp).
    void favour_instant_answers(std::size_t w, const std::vector<std::uint32_t>& active,
                                const std::vector<Target>& targets, double node_share, double sum);
    void level_backlogs(std::size_t w, const std::vector<std::uint32_t>& active,
                        const std::vector<Target>& targets, double node_share, double sum);
    static bool answers_at_once(const Instance& inst) {
        return inst.state() != InstanceState::Running || !inst.reachable() || !inst.app_up();
    }
    void solve(std::uint32_t i);
    // solve() by copying the last plain steady state solved in this step when instance i's
    // inputs are the same (fluid_model.cpp); true when it did.
    bool solve_like(std::uint32_t i, const Instance& inst);
    bool plain_alike(std::uint32_t i, const Instance& inst) const;
    static constexpr std::uint32_t kNone = ~std::uint32_t{0};
    std::uint32_t like_ = kNone;  // that instance, or kNone
    static bool held_settled(const FluidQueue& view);
    // The wait of arrivals that meet a queue held at its bound `cap` (requests), for an
    // instance of capacity mu_c (requests/s) with arrivals lambda (solve()).
    // Notes a limit when instance i's queue makes its target group's checks time out.
    void check_under_load(std::uint32_t i, const FluidQueue& view);
    static void held_wait(QueueState& q, double lambda, double mu_c, double ca2, double cs2,
                          double pool, double cap);
    // A queue whose bound is its clients' timeout (or a max_queue close to it): the rate its
    // arrivals are taken, and the distance of the served ones below the timeout (held_wait).
    void timeout_held(QueueState& q, double lambda, double mu_c, double ca2, double cs2,
                      double pool, int workers, double timeout, double max_queue);
    // Performance: the last rate taken that timeout_held solved for, and its inputs (a group's
    // targets share them): its bisection over Erlang B is O(max_queue) per try.
    std::array<double, 7> taken_inputs_{};
    double taken_last_ = 0;
    double taken_k_ = 0;
    // The rate a timeout-held queue takes for a spread k of its head's walk.
    static double taken_for_k(double lambda, double mu_c, double k, double timeout,
                              double max_queue);
    // The spread k of that walk: the indices of dispersion of the requests taken and of the
    // starts over the walk's time scale.
    static double held_spread(double taken, double lambda, double mu_c, double ca2, double cs2,
                              int workers, double timeout, double max_queue);
    // Adds `requests` of workload w meeting queue state q: outcomes into mass, latencies
    // accounted as weighted points (one merged run; several go through a profile, below).
    void emit(std::size_t w, const QueueState& q, double requests, SimTime at, Mass& mass,
              bool fails_behind, std::uint16_t group);
    // Workload w's instances merged by queue state (Merged, below) as one profile: what each
    // unit of scale (requests per routed rate) adds to the outcome masses, the load balancer's
    // counts and sums, and the latency cells. Applied at each checkpoint and close of a step;
    // kept while the merged states stay equal (a step that solves to the same states reuses it).
    struct Merged;
    struct Profile;
    const Profile& profile(std::size_t w, const std::vector<Merged>& runs);
    // Adds the requests of one merged state (its lambda a unit's) to p: outcomes into its masses,
    // latencies as cells. `fails_behind`: served by instances whose application cannot
    // reach its database or call out of the VPC (Workload::fails_behind): 500 behind the target.
    // `group`: the target group of those instances (their answers count for it too).
    void add_to_profile(std::size_t w, Profile& p, const QueueState& q, double requests,
                        bool fails_behind, std::uint16_t group);
    // The profile's outcomes for `scale` (the requests of [at, ...)) into mass and the accounts.
    void apply(std::size_t w, const Profile& p, double scale, SimTime at, Mass& mass);
    // Per workload and target group its requests reached: the masses of the target's answers
    // that its group counts (2xx, 500, 502, kTarget503), carried as the workload's are. The
    // workload's whole outcomes of those codes are shared out over its groups by their masses
    // (count_groups), so the groups add up to the load balancer's count, as in request mode.
    struct GroupCarry {
        std::uint16_t group;
        Mass mass{};
        std::uint64_t given = 0;  // scratch (count_groups)
    };
    std::vector<std::vector<GroupCarry>> group_carry_;
    Mass& group_mass(std::size_t w, std::uint16_t group);
    void count_groups(std::size_t w, int o, std::uint64_t whole);
    static bool counted_by_group(int o) {
        return o == static_cast<int>(Outcome::Ok) || o == static_cast<int>(Outcome::Http500) ||
               o == static_cast<int>(Outcome::Http502) || o == kTarget503;
    }
    // Per (instance, workload): the target group that routed the workload's requests to the
    // instance in the open step (spread; group_w_[i x workloads + w]). An instance two groups of
    // one forward route to (registered in both) counts for the last: noted once (fluid_limit).
    std::vector<std::uint16_t> group_w_;
    bool group_shared_ = false, group_shared_noted_ = false;
    std::uint16_t group_of(std::uint32_t i, std::size_t w) const {
        return group_w_[static_cast<std::size_t>(i) * workloads_.size() + w];
    }
    // The length of the step opened at `now` (fluid_model.cpp says when it is what).
    SimTime step_length(SimTime now) const;
    // The end of the step opened at `from`: tells the instances their busy workers for it
    // (with noise) and schedules the close.
    void schedule_end(SimTime from);
    // A calm step that can keep the last solve (see fluid_model.cpp): true when it opened.
    bool reuse_solve(SimTime from);
    // 0: routed through the load balancer, 1: it is unreachable (504), 2: the database (500).
    int route_kind(std::size_t w) const;
    // Whether workload w's requests served by instance i fail behind it in the open step.
    bool fails_behind(std::size_t w, std::uint32_t i) const;
    // Two bits per load balancer node of workload w: up, and handed out by DNS at t.
    std::uint64_t dns_state(std::size_t w, SimTime t) const;
    // Tells the instances their busy workers for the step opened at `from`, with the sampling
    // noise of its metric slice.
    void add_cpu_noise(SimTime from);
    // Tells the instances in deferred_ their values at the close: those the opened step left
    // out, or all (no step opens: the horizon).
    void flush_deferred(bool all);

    const scenario::Spec& spec_;
    Simulation& sim_;
    Fleet& fleet_;
    RequestAccounting& accounting_;
    const std::vector<std::unique_ptr<Workload>>& workloads_;
    std::vector<ServicePoints> service_;                      // per workload
    std::vector<double> timeout_s_;                           // per workload
    std::array<double, kBins> wait_value_{}, wait_weight_{};  // Exp(1) by quantile bin

    // Per instance (Eigen vectors, grown with the fleet, never per step).
    Eigen::VectorXd lambda_;       // requests/s routed to it this step, all workloads
    Eigen::VectorXd backlog_;      // requests waiting (fluid), at the step's start
    Eigen::VectorXd backlog_end_;  // ... after a whole fine step
    // The queue as a random walk while it is backlogged and growing (fluid_queue.hpp): its
    // position without the bound and its variance gathered since the backlog began, at the
    // step's start and after a whole fine step.
    Eigen::VectorXd walk_mean_, walk_var_, walk_mean_end_, walk_var_end_;
    // While the backlog drains (no more arrivals than the workers serve): the variance its walk
    // gathered since it stopped growing, at the step's start and after a whole fine step (the
    // health checks' view of a draining queue, fluid_queue.cpp).
    Eigen::VectorXd drain_var_, drain_var_end_;
    Eigen::VectorXd busy_;          // busy workers during the step
    Eigen::VectorXd service_s_;     // mean service time during the step (s)
    Eigen::VectorXd busy_noisy_;    // busy workers as measured (with sampling noise)
    Eigen::VectorXd noise_var_;     // variance of the work arriving per second
    Eigen::VectorXd accepted_;      // requests taken since launch (fractional)
    Eigen::VectorXd routed_;        // ... routed to it, taken or refused
    Eigen::VectorXd service_sum_;   // sum over workloads of lambda_w x mean service (s)
    Eigen::VectorXd service_sq_;    // ... x E[S^2]
    Eigen::VectorXd service_cube_;  // ... x E[S^3]
    Eigen::VectorXd timeout_sum_;   // ... x timeout (s)
    Eigen::VectorXd ca2_sum_;       // ... x squared CV of its arrivals (routing)
    Eigen::VectorXd pool_sum_;      // ... x targets it pools with (least outstanding)
    // ... x requests of the load balancer's stream between two of its arrivals (round robin:
    // the rotation's order), and x the nodes whose rotations interleave (cross-zone).
    Eigen::VectorXd rotation_sum_, interleave_sum_;
    double rotation_nodes_ = 1;  // route() for spread(): nodes DNS rotates over
    int rotation_sources_ = 1;   // ... and of them, the nodes whose rotations reach a target
    Eigen::MatrixXd lambda_w_;   // (instance, workload) requests per second routed
    std::vector<QueueState> state_;
    // Per instance: which solve its state_ came from (solve_like copies it); close() merges
    // instances of equal ids without comparing their states field by field.
    std::vector<std::uint64_t> state_id_;
    std::uint64_t state_ids_ = 0;
    std::vector<FluidQueue> queue_view_;  // per instance: its queue as a distribution
    TimeoutQuestion timeout_question_;    // shared by the instances' fluid_step
    // emit(): a queue state's latency points per admitted request, and the weights of the
    // successful and timed-out ones (they depend on the workload and the state only).
    struct EmitCache {
        bool valid = false;
        QueueState q;
        std::vector<WeightedLatency> points;
        double ok = 0, late = 0;  // weights of the successful and timed-out points
    };
    // Per workload, the points of the last kEmitStates states met, the oldest replaced: one
    // close() emits a run of alike instances at a time, and the runs' states may alternate
    // (the held-out NLB month: 97 % of 6 million calls rebuilt the points with one entry, and
    // 99.6 % of those rebuilt the state met two calls before).
    static constexpr int kEmitStates = 4;
    struct EmitCaches {
        std::array<EmitCache, kEmitStates> state;
        int next = 0;  // the entry replaced next
    };
    std::vector<EmitCaches> emit_cache_;
    const EmitCache& latency_points(std::size_t w, const QueueState& q);
    // latency_points' part for a queue held at its bound: the points' latencies and bins depend
    // on the bound's wait, the distance's rate, the speed and the extra latency only, not on the
    // shares that weigh them. Performance: in a spiralling month the held queues of a step share
    // them while every queue's state differs (9.7 M of 11.3 M states built in two days, one
    // such key per step); kept per workload, the last one met.
    struct HeldPoints {
        bool valid = false;
        double bound_wait_s = 0, distance_rate = 0, speed = 0, extra_s = 0;
        std::vector<double> in_time;          // per service point: e^-(rate m), or 1
        std::vector<WeightedLatency> points;  // per (service point, bin): latency and bin
        std::vector<char> late;               // ... past the clients' timeout (504)
    };
    std::vector<HeldPoints> held_points_;
    const HeldPoints& held_points(std::size_t w, const QueueState& q);
    void add_held(const HeldPoints& h, std::size_t j, double held, EmitCache& cache);
    // latency_points' own points (indices into its points), binned in one call (bin_points).
    std::vector<std::uint32_t> unbinned_;
    std::vector<WeightedLatency> bin_scratch_;
    void bin_points(std::vector<WeightedLatency>& points);
    // emit's and add_to_profile's first part: the requests q refuses or turns away; returns
    // those it admits.
    double add_refused(const QueueState& q, double requests, Mass& mass, Mass& by_group) const;
    // emit's and add_to_profile's last part: the admitted requests' outcomes (cache's weights).
    void add_admitted(std::size_t w, const EmitCache& cache, double admitted, bool fails_behind,
                      Mass& mass, Mass& by_group) const;
    // The last solve, for reuse_solve(): busy workers and noise variance before scaling, and
    // what solve() read of each instance; per workload the routing kind and rate ratio.
    Eigen::VectorXd busy_solved_, noise_solved_;
    std::vector<InstanceState> solved_state_;
    std::vector<char> solved_reachable_, solved_app_up_;
    std::vector<SimTime> solved_extra_;
    std::vector<int> route_kind_;
    std::vector<std::uint64_t> dns_state_;
    bool slow_start_routed_ = false;  // the last routing gave a target in slow start a ramp
    std::vector<double> rate_ratio_;
    bool solved_ = false;  // the last open solved, and routing has not changed since
    std::vector<char> touched_mark_;
    // Per instance, this step: a backlog held at its bound whose health-check view no longer
    // depends on how far its walk has gone (held_settled); it may be stepped coarsely.
    std::vector<char> held_;
    std::vector<std::uint32_t> touched_;       // instances with traffic or backlog this step
    std::vector<std::uint32_t> next_touched_;  // instances still holding a backlog
    std::vector<std::uint32_t> deferred_;      // closed step's instances not yet told (close())
    std::vector<double> eligible_weight_;      // scratch, per active target
    std::vector<std::pair<double, std::size_t>> level_;  // scratch: (level, active index)
    std::vector<double> group_count_, group_draw_;       // scratch, per group (+1: no group)
    std::vector<double> group_z_;                        // ... draw / sqrt(count)
    std::vector<std::uint32_t> group_of_;                // per instance: its group + 1
    std::vector<int> workers_of_;                        // ... and its workers
    RandomStream noise_;
    SimTime noise_slice_ = -1;  // the metric slice group_draw_ was drawn for
    // The health checks of an instance whose queue builds up: its queue's lag behind or lead
    // on the fluid mean, persistent through a backlog (fluid_model.cpp, solve()).
    RandomStream lag_stream_;
    Eigen::VectorXd lag_z_;
    // Per instance: the target group that routed to it last (whose checks it answers).
    std::vector<const TargetGroup*> check_group_;
    // Per instance: one of the n > 1 targets a least-outstanding group balances this step,
    // whatever its share (spread; reset through pooled_list_ at the next step).
    std::vector<char> pooled_;
    std::vector<std::uint32_t> pooled_list_;
    void mark_pooled(std::uint32_t i) {
        if (pooled_[i]) return;
        pooled_[i] = 1;
        pooled_list_.push_back(i);
    }
    std::vector<Limit> limits_;
    std::vector<const TargetGroup*> checks_noted_;  // check_under_load: one limit per group
    bool critical_noted_ = false;                   // note_critical: once per run
    // check_noise_edge: per group (+1), target tracking's CPU target (-1: none) and since when
    // its average has been within its noise of it (-1: not); once per run.
    std::vector<double> edge_target_;
    std::vector<SimTime> edge_since_;
    std::vector<double> edge_sums_;  // scratch
    bool edge_noted_ = false;
    SimTime edge_slice_ = -1;                          // the slice check_noise_edge last looked at
    std::vector<const TargetGroup*> fail_open_noted_;  // note_fail_open: once per group
    // A target group failing open under overload: request mode differs (fluid_model.cpp).
    void note_fail_open(std::uint32_t i, const TargetGroup& tg, double excess);
    void note_critical(std::uint32_t i, double rho, double cap);
    // A steady state under round robin refusing more than this share of its arrivals.
    static constexpr double kSmoothLossNoted = 0.001;
    bool smooth_loss_noted_ = false;  // note_smooth_loss: once per run
    void note_smooth_loss(std::uint32_t i, double rho, double order);
    // Round robin's full-queue share (erlang_gaps_full) below capacity, for queues of up to
    // kSmoothStates places and workers and rotations of up to kSmoothOrder; -1 beyond.
    static constexpr int kSmoothStates = 64, kSmoothOrder = 32, kSmoothPhases = 8;
    // Below this Poisson full share, smoother arrivals are not worked out (they refuse less).
    static constexpr double kSmoothFrom = 1e-4;
    double smooth_full(double order, int sources, double lambda, int c, double mu,
                       int places) const;
    // A queue held at its clients' timeout whose walk moves by more than its modelled
    // distance below the bound (solve()): once per run.
    void note_coarse_walk(std::uint32_t i, double step_s, double distance_rate, double bound_s);
    bool coarse_walk_noted_ = false;
    // A timeout-held queue whose count bound and timeout take turns, or that is full by count
    // part of the time with long driftless stretches (kPinnedStretch; solve(), docs/fluid.md
    // "Where it breaks down"): the split of its overflow into 503, 504 and answers in time is
    // off. Once per run each.
    void note_held_mixture(std::uint32_t i, const QueueState& q, double lambda, double mu_c,
                           double timeout, double max_queue);
    bool band_noted_ = false, pinned_noted_ = false;
    // A pinned queue is noted when its head's driftless stretches (over_full x mu_c T) hold at
    // least this many requests: measured, 96 and 112 (queue-full-past-timeout, queue-at-timeout
    // at 550) stayed within 3 % in time, 216 and more erred by 5 % or more.
    static constexpr double kPinnedStretch = 150.0;
    // Requests queued at the end, in flight in request mode, counted by the fluid mode: said
    // beyond this share of the arrivals (once, at the end).
    void note_end_backlog();
    static constexpr double kEndBacklogNoted = 0.01;
    // A group held at its target tracking CPU target within the datapoints' noise (checked at
    // each metric slice): its scale-out is chance (once per run).
    void check_noise_edge(SimTime from);
    void note_limit(std::string reason);
    int erlang_servers_ = -1;   // the last Erlang C computed (inputs, value, P(full))
    double erlang_queue_ = -1;  // places: max_queue x pool
    double erlang_load_ = -1, erlang_rho_ = -1, erlang_value_ = 0, erlang_full_ = 0;
    double erlang_order_ = -1;    // ... and the rotation's order (0: Poisson)
    int erlang_interleaved_ = 0;  // ... and how many nodes' rotations interleave
    bool erlang_smooth_ = false;  // erlang_full_ is round robin's (smooth_full)
    double whitt_rho_ = -1, whitt_ca2_ = -1, whitt_cs2_ = -1;  // the last GI/G/c factor's inputs
    int whitt_servers_ = -1;
    double whitt_phi_ = 1;  // ... and its value (whitt_gigm_factor)
    double whitt_factor(int servers, double rho, double ca2, double cs2);
    static double constant_service_factor(int servers, double rho, double ca2, double cs2,
                                          double phi);
    double cs2_ = 0;  // scratch: the last solved instance's squared CV of service

    std::vector<double> routed_rate_;                     // per workload, at the step's open
    std::vector<std::array<double, kCodes>> route_mass_;  // per workload, per second
    // Per workload, per second: of route_mass_, what a node that is up answered itself (503,
    // no target), for the load balancer's bill.
    std::vector<double> route_answered_;
    // Integer bookkeeping: arrivals and outcomes per workload carry their fractions.
    std::vector<double> arrival_carry_;
    std::vector<Mass> outcome_carry_;
    // Per workload: of the 504 mass, what the load balancer routed to a target that does not
    // answer (its client waits the connect timeout, not its own); whole requests leave it.
    std::vector<double> connect_504_carry_;
    std::vector<std::uint64_t> arrivals_recorded_, outcomes_recorded_;
    // checkpoint(): the traffic is accounted up to accounted_to_ (the step's start until a
    // checkpoint); per workload, the scale of the requests checkpointed in the open step, which
    // close() adds to the instances' counts; and per workload the open step's instances merged
    // by queue state (an instance whose state it takes, the routed rate summed, fails_behind),
    // built by the step's first checkpoint.
    struct Merged {
        std::uint32_t like;
        double lambda;
        bool closed;
        std::uint16_t group;
    };
    SimTime accounted_to_ = kNever;
    std::vector<double> checkpointed_scale_;
    std::vector<std::vector<Merged>> merged_;
    std::uint32_t merged_generation_ = 0;
    void merge_states();
    // Performance: profile() per workload, its key the merged runs it was made of (their states by
    // value). Points were added once per run of alike instances at every checkpoint and close
    // (about 23 runs of 130 points per 10 s period in the held-out NLB month); a profile adds
    // each latency cell once per period. Reorders the latency and outcome sums (not exact:
    // the outputs differ in their last digits).
    struct ProfileKey {
        QueueState q;
        double lambda;
        bool closed;
        std::uint16_t group;
    };
    struct Profile {
        bool valid = false;
        std::vector<ProfileKey> key;
        Mass mass{};
        std::vector<std::pair<std::uint16_t, Mass>> by_group;  // in the runs' order
        std::vector<std::pair<std::uint16_t, double>> group_response_s;
        double connect_504 = 0, answered = 0, response_s = 0;
        bool any_ok = false;  // a run with admitted requests that answer (observer told)
        std::vector<WeightedCell> cells;  // by ascending bin
    };
    std::vector<Profile> profile_;
    std::vector<Merged> close_runs_;          // close()'s scratch
    std::vector<WeightedCell> cell_scratch_;  // profile()'s, by bin
    // The bins cell_scratch_ holds, one bit each (bin b: word b / 64, bit b % 64). Performance:
    // read in ascending order word by word, where a list of them was sorted for every profile.
    std::vector<std::uint64_t> cell_used_;

    SimTime coarse_step_;
    std::uint64_t steps_ = 0;
    SimTime open_at_ = kNever;      // the open step's start
    std::uint32_t generation_ = 0;  // of the open step (a planned close of an older one is stale)
    bool pressure_ = false;         // a backlog this step
    bool moving_pressure_ = false;  // of that, a backlog that moves
    // kRateTolerance, or less where a busy queue's wait moves faster than the rate (solve()).
    double rate_tolerance_ = kRateTolerance;
    bool reopen_pending_ = false;
    // target_health_changed(): a re-solve is planned at the next whole second, and whether a
    // step solved since the change (then the planned one has nothing to do).
    bool health_reopen_pending_ = false;
    bool health_change_unsolved_ = false;
};

}  // namespace stratus::cloud
