#pragma once
// What the fluid mode knows of an instance's queue during a step, as a distribution of its
// length rather than a single number, and the probability that a health check sent now
// would time out (docs/fluid.md, "Health checks under load").
//
// Request mode answers a check by the expected wait of a request joining the queue now:
// (queued + 1) / workers x an EWMA of the service times started + extra latency
// (Instance::estimated_response_s). Both inputs are random: the queue length fluctuates
// around the fluid backlog (near max_queue it sits a geometric distance below it), and the
// EWMA (weight 1/64) has a spread of sd(S) / sqrt(127). A fluid backlog compared with the
// timeout as one number fails every check the moment it crosses the threshold and never
// before, so every overloaded target of a group falls out of service at the same check,
// where request mode's targets fail one by one after a few minutes at a full queue.
namespace stratus::cloud {

struct FluidQueue {
    double backlog = 0;  // mean requests waiting beyond the steady state (fluid)
    // While the backlog grows: the queue as a random walk started when the backlog began,
    // its mean position without the bound (walk_var 0: the position is drawn, FluidModel's
    // lag). While it drains: walk_var, the variance the walk gathered since it stopped growing.
    double walk_mean = 0;
    double walk_var = 0;
    double cap = 0;             // the backlog's bound: max_queue, or capacity x timeout
    double drift = 0;           // lambda - capacity (requests/s); the backlog's slope
    double variance_rate = 0;   // variance of the queue's increments per second
    double wait_prob = 0;       // steady state (no backlog): P(every worker busy), Erlang C
    double rho = 0;             // steady state: P(queue >= k | busy) = rho^k
    double mean_service_s = 0;  // per request, the extra latency included
    double service_cv2 = 0;     // squared coefficient of variation of the service time
    // Least outstanding requests (a pool of balanced queues): its checks keep the model from
    // before the EWMA's read bias and tie to the queue (fluid_queue.cpp, kBalancedPoints).
    bool balanced = false;
    // ... and how many queues it balances (1 when not balanced): the pool's total moves as a
    // walk of n times one queue's variance and each queue is within a request of the pool's
    // mean, so one queue's fluctuation is sqrt(n) times smaller than an unbalanced queue's.
    double pooled = 1;
    // Inline: compared once per instance per fluid step (Instance::fluid_step).
    bool operator==(const FluidQueue& o) const {
        return backlog == o.backlog && walk_mean == o.walk_mean && walk_var == o.walk_var &&
               cap == o.cap && drift == o.drift && variance_rate == o.variance_rate &&
               wait_prob == o.wait_prob && rho == o.rho && mean_service_s == o.mean_service_s &&
               service_cv2 == o.service_cv2 && balanced == o.balanced && pooled == o.pooled;
    }
    bool operator!=(const FluidQueue& o) const { return !(*this == o); }
};

// P(a health check with this timeout fails by timing out), for an instance with `workers`
// workers and `extra_s` of added latency whose queue is described by q.
double health_check_timeout_probability(const FluidQueue& q, int workers, double extra_s,
                                        double timeout_s);

// Below this a check is counted as passed without a draw (and may be skipped: the target
// groups' dormant checks).
constexpr double kNegligibleCheckFailure = 1e-9;

// An upper bound of health_check_timeout_probability(...) from one queue tail instead of
// eight: a bound below a threshold decides that the probability is below it.
double health_check_timeout_bound(const FluidQueue& q, int workers, double extra_s,
                                  double timeout_s);

// health_check_timeout_probability(...) >= kNegligibleCheckFailure, decided with less work
// when the queue is far from the threshold.
bool health_check_may_time_out(const FluidQueue& q, int workers, double extra_s, double timeout_s);

// health_check_may_time_out with its last question and answer kept. Performance: the
// instances that a fluid step solves alike (equal shares of one target group, the same type)
// have equal queues, and each asked the same question (two pow each, 10 % of a month's run);
// the fluid model keeps one of these per run and every instance asks it.
class TimeoutQuestion {
  public:
    bool may_time_out(const FluidQueue& q, int workers, double extra_s, double timeout_s) {
        if (!(asked_ && workers == workers_ && extra_s == extra_s_ && timeout_s == timeout_s_ &&
              q == q_)) {
            asked_ = true;
            q_ = q;
            workers_ = workers;
            extra_s_ = extra_s;
            timeout_s_ = timeout_s;
            answer_ = health_check_may_time_out(q, workers, extra_s, timeout_s);
        }
        return answer_;
    }

  private:
    bool asked_ = false;
    FluidQueue q_;
    int workers_ = 0;
    double extra_s_ = 0, timeout_s_ = 0;
    bool answer_ = false;
};

}  // namespace stratus::cloud
