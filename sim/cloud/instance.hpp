#pragma once
// An EC2 instance: its lifecycle (EC2 state and, inside a group, the Auto Scaling lifecycle)
// and the application on it, a multi-server queue: vCPU x workers_per_vcpu workers and a FIFO
// queue of at most max_queue requests. A request needs its CPU time divided by the type's
// speed; a full queue answers 503.
//
// A burstable (T-series) instance also holds its CPU credits (a CpuCreditAccount, created at
// launch). The utilisation it spends credits at is busy workers / workers: with
// workers_per_vcpu > 1 a vCPU counts as busy in proportion to its busy workers, as if the
// workers shared the vCPUs evenly. A worker serving a request that started throttled counts at
// the baseline fraction only (that is all the CPU it gets). Standard mode: once the credits are
// spent the instance is throttled to the baseline, and a request that STARTS service while
// throttled needs its service time / max_speed_fraction (x 10 at a 10 % baseline). This is an
// approximation: requests already in service keep their completion time when the throttle
// begins, and a slowed request stays slow when credits come back (earned while the instance
// runs below baseline); newly started ones then run at full speed again. A timer fires when
// the credits run out, so the throttle begins on time rather than at the next request.
// Unlimited mode: never throttled; the surplus is charged as the account says.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/cloud/cpu_credits.hpp"
#include "sim/cloud/fluid_queue.hpp"
#include "sim/cloud/request.hpp"
#include "sim/core/ring_buffer.hpp"
#include "sim/core/simulation.hpp"
#include "sim/scenario/catalog.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

using scenario::InstanceState;  // EC2: pending, running, stopping, stopped, shutting-down,
                                // terminated

// The Auto Scaling lifecycle of an instance in a group.
enum class LifecycleState { Pending, InService, Terminating, Terminated };

class RequestAccounting;

const char* to_string(InstanceState s);
const char* to_string(LifecycleState s);

struct InstanceConfig {
    std::string name;  // i-0001, in launch order
    std::string instance_type;
    int availability_zone = 0;    // index in the World's zones
    int group = -1;               // index of its Auto Scaling group, -1 for none
    int ecs_service = -1;         // an ECS task: index of its service (the World's), else -1
    std::string launch_template;  // name; with the version, what the group launched it from
    int launch_template_version = 1;
    int vcpu = 1;
    double speed = 1.0;
    int workers = 1;  // vcpu x workers_per_vcpu
    int max_queue = 1000;
    double ebs_gb = 8;         // root volume, billed while the instance exists
    bool public_ipv4 = false;  // an auto-assigned public IPv4, released when it stops
    bool spot = false;         // launched as a Spot Instance
    // The compute of an ECS task (ecs_service.hpp): no EC2 charges, no EC2 capacity pool. A
    // Fargate task is billed by its vCPU and memory instead; a task on a container instance
    // (EC2 launch type) is not billed (its instance is).
    bool ecs_task = false;
    // What its application acts as (aws_calls.hpp): "instance-profile/NAME", "role/NAME" (a
    // task role), "" (no credentials).
    std::string iam_principal;
    std::map<std::string, std::string> tags;  // for cost allocation
    scenario::InstanceTypeInfo type;          // the catalog entry (burstable credits)
};

class Instance;

// Told of every EC2 state change of an instance (billing follows them).
class InstanceStateObserver {
  public:
    virtual void on_instance_launched(const Instance& instance) = 0;
    virtual void on_instance_state(const Instance& instance, InstanceState from,
                                   InstanceState to) = 0;
    // What the instance can serve changed: it started running or stopped, its application
    // came up, its path opened or closed, its latency fault or its CPU throttle began or
    // ended. The fluid mode re-solves then; a target group resumes its health checks.
    virtual void on_serving_changed(const Instance& /*instance*/) {}
    // Fluid mode: what a health check would measure changed (estimated_response_s, with the
    // fluid backlog). Target groups skip the checks whose outcome cannot change.
    virtual void on_health_inputs_changed(const Instance& /*instance*/) {}
    // Whether some target group skips this instance's checks now (only then is there anyone
    // to tell of a change of the health inputs).
    virtual bool health_checks_dormant(const Instance& /*instance*/) const { return true; }

  protected:
    ~InstanceStateObserver() = default;
};

class Instance final : public EventHandler {
  public:
    Instance(std::uint32_t index, InstanceConfig config, Simulation& sim, RequestPool& requests,
             RequestAccounting& accounting);

    // --- lifecycle (driven by its group or the World)
    void launch();       // pending
    void boot_done();    // running; the group puts it InService (no-op unless pending)
    void app_started();  // the application answers requests and checks (no-op unless running)
    void set_lifecycle(LifecycleState s) { lifecycle_ = s; }
    // When this instance starts to count in its group's aggregated EC2 metrics (CloudWatch's
    // AutoScalingGroupName dimension): InService plus the group's instance warm-up.
    void set_group_metrics_from(SimTime t) { group_metrics_from_ = t; }
    SimTime group_metrics_from() const { return group_metrics_from_; }
    void set_state_observer(InstanceStateObserver* observer) { observer_ = observer; }
    // EC2 reclaimed this Spot Instance (billing waives a first partial hour).
    void mark_spot_interrupted() { spot_interrupted_ = true; }
    bool spot_interrupted() const { return spot_interrupted_; }

    // --- failures and the end of life
    // EC2 state -> stopped (an AZ power interruption, an instance failure): the application is
    // down and every request it holds is lost. A lost request's client still waits: it gets
    // 504 when its own timeout passes (the workload records it and frees the slot). Requests
    // whose client had already left are freed at once. Idempotent; no-op once terminated.
    void power_off();
    // EC2 state -> terminated, lifecycle Terminated, application down, terminated_at() set.
    // Requests still held get 502 at once (ALB: "the deregistration delay expired while a
    // request was in flight"). Idempotent; works on a stopped instance too (it holds nothing).
    // Counting it and logging it are the caller's business.
    void terminate();
    // Added to the service time of every request accepted from now on (a `latency` fault);
    // 0 removes it. Requests already accepted keep the service time they had.
    void set_extra_latency(SimTime extra) {
        if (extra < 0) extra = 0;
        if (extra == extra_latency_) return;
        extra_latency_ = extra;
        serving_changed();
    }
    SimTime extra_latency() const { return extra_latency_; }
    // The network path from the load balancer (a subnet disruption, a security group or NACL
    // change). While closed, new requests get 504 at once (no connection) and health checks
    // time out; requests already held finish and answer as usual.
    void set_reachable(bool reachable) {
        if (reachable == reachable_) return;
        reachable_ = reachable;
        serving_changed();
    }
    bool reachable() const { return reachable_; }

    // --- traffic
    // Takes a request (already drawn, state Free) or answers it at once; returns the outcome
    // when it ends immediately (queue full 503, application down 502, instance stopped 504),
    // Ok when accepted.
    Outcome accept(std::uint32_t slot);
    // The client gave up on a request this instance holds.
    void abandon(std::uint32_t slot);

    // --- what others may look at
    std::uint32_t index() const { return index_; }
    const InstanceConfig& config() const { return config_; }
    const std::string& name() const { return config_.name; }
    InstanceState state() const { return state_; }
    LifecycleState lifecycle() const { return lifecycle_; }
    bool app_up() const { return app_up_; }
    bool answers_health_check() const { return state_ == InstanceState::Running && app_up_; }
    // Seconds a health-check request sent now would wait for its answer: the extra latency
    // when a worker is free, else the expected FIFO wait (queued + 1) / workers x the mean
    // service time of the requests it started (an EWMA), plus the extra latency. No events.
    double estimated_response_s() const;
    // Mean service time (s) of the requests it started, as an EWMA; 0 before the first.
    double mean_service_s() const { return mean_service_s_; }
    int busy() const { return busy_; }
    std::uint64_t accepted() const { return accepted_; }  // requests taken, queued or served
    // Requests a load balancer sent it, taken or refused (502, 503, 504): CloudWatch's
    // RequestCount counts every request for which the load balancer chose a target.
    std::uint64_t routed() const { return routed_; }
    int queued() const { return live_queued_; }
    // Requests the load balancer has sent and not yet had answered (LOR routing).
    int outstanding() const {
        if (fluid_) return static_cast<int>(fluid_busy_ + fluid_queued_ + 0.999999);
        return busy_live_ + live_queued_ + awaiting_database_;
    }
    // Requests served whose application is waiting for a database connection (500 at its
    // timeout): they hold no worker, but the target has not answered them yet.
    int awaiting_database() const { return awaiting_database_; }
    SimTime launched_at() const { return launched_at_; }
    SimTime running_since() const { return running_since_; }
    SimTime terminated_at() const { return terminated_at_; }
    // Worker-seconds spent so far (for CPUUtilization). Performance: inline, and an account
    // already brought to now (the fluid step at the tick did) is not brought again: it would
    // add busy x 0 (CloudWatch and the period's gauges read it for every instance). An
    // instance with no credits, no container instance's credits and no warm-up end since the
    // last account adds its busy time here (account_busy's arithmetic, not its call: a fluid
    // month at 10 s periods read the live instances' busy time 2.2 million times in 3 days).
    double busy_worker_seconds() {
        const SimTime now = sim_.now();
        if (now != busy_since_ || credits_ || group_metrics_from_ == now) account_busy_inline();
        return busy_integral_us_ / kSecond;
    }
    // Worker-seconds spent since the group's warm-up ended (group_metrics_from; 0 before).
    double busy_worker_seconds_warmed();

    // --- burstable CPU credits (config().type.burstable only; otherwise these report 0,
    // false, kNever). The non-const ones first bring the credit account up to now.
    bool burstable() const { return credits_.has_value(); }
    // The account, for inspection; null unless burstable.
    const CpuCreditAccount* cpu_credits() const { return credits_ ? &*credits_ : nullptr; }
    // CloudWatch CPUCreditBalance: earned credits plus, for T2 standard, launch credits.
    double cpu_credit_balance();
    // The same, read without bringing the account to now: for a caller that has just called
    // busy_worker_seconds() (which brought it there) and changed nothing since; the account
    // would add nothing again. Performance: CloudWatch and the period's gauges read both for
    // every burstable instance (a t3 month accounted each instance twice per read).
    double cpu_credit_balance_accounted() const {
        return credits_ ? credits_->balance() + credits_->launch_credits() : 0;
    }
    // CloudWatch CPUSurplusCreditBalance: surplus credits spent and not yet paid down nor
    // charged (unlimited mode).
    double cpu_surplus_credit_balance();
    // Surplus charged so far, in vCPU-hours (the "CPUCredits" ledger line): what crossed the
    // 24 h cap while running, plus what stop or terminate settled.
    double surplus_vcpu_hours_charged();
    // Standard mode, out of credits: requests starting now are slowed to the baseline.
    bool cpu_throttled();
    // When the current throttle began, kNever when not throttled (as of the last change of
    // the busy workers, or the exhaustion timer).
    SimTime throttled_since() const { return throttled_since_; }
    // Requests that started service throttled.
    std::uint64_t throttled_starts() const { return throttled_starts_; }

    // --- an ECS task on a burstable container instance (EC2 launch type)
    // The task's CPU is its container instance's: from now on each busy worker of this task's
    // compute unit spends `vcpu_per_worker` of `host`'s vCPUs in `host`'s CPU credits (with
    // the host's own work, capped at all its vCPUs), and while `host` is throttled (standard
    // mode, out of credits) the requests this task starts run at the host's baseline share,
    // as the host's own would. Call once, on a task placed on a burstable running host.
    void bind_cpu_host(Instance& host, double vcpu_per_worker);
    // Burstable, or an ECS task whose container instance is (the fluid model solves such an
    // instance at the speed its credits allow and tells it every step at once).
    bool credit_bound() const { return credits_.has_value() || cpu_host_ != nullptr; }
    // The share of its speed the credits allow now: 1, or the baseline's when the account
    // (its own, or its container instance's) is out of credits in standard mode.
    double credit_speed_fraction();

    // --- fluid mode (FluidModel drives these; request mode never calls them). From now on
    // the instance works as `busy_workers` (mean busy workers, fractional), with `queued`
    // requests waiting (the fluid backlog); `queue` describes the queue's length as a
    // distribution and the mean service time; `accepted_total` is its running count of
    // requests taken. CPUUtilization, CPU credits, health checks
    // (fluid_check_timeout_probability) and draining (outstanding) read these instead of the
    // queue.
    // `question`: the fluid model's, shared by its instances (fluid_queue.hpp).
    void fluid_step(std::uint64_t accepted_total, double busy_workers, double queued,
                    const FluidQueue& queue, TimeoutQuestion& question);
    bool fluid() const { return fluid_; }
    // Fluid mode: the probability that a health check with this timeout, sent now, times out
    // waiting in the queue (fluid_queue.hpp).
    double fluid_check_timeout_probability(double timeout_s) const;

    void on_event(const Event& e) override;

  private:
    // Event kinds use the low 4 bits; a service completion carries the request's generation
    // (its low 28 bits) in the rest, so a completion left over from a lost or freed request
    // is recognised and ignored.
    enum Kind : std::uint32_t { kServiceDone = 1, kCreditsExhausted = 2, kDatabaseTimeout = 3 };
    static constexpr std::uint32_t kKindBits = 4;
    static constexpr std::uint32_t kKindMask = (1u << kKindBits) - 1;
    static constexpr std::uint32_t kGenerationMask = (1u << (32 - kKindBits)) - 1;
    // `extra`: a burstable instance adds the latency fault's part here, after any throttle
    // slowdown (it is not CPU time); other instances added it at accept (extra = 0).
    void start_service(std::uint32_t slot, SimTime extra);
    // A request's database connection timed out: 500 (or nothing, if its client left).
    void database_timed_out(std::uint32_t slot);
    void account_busy();
    // The busy workers' time since the last account, added at their (constant) level.
    // account_busy(), called only when it does more than add_busy_until(now): with credits, a
    // host, or the group's warm-up ending since the last account.
    void account_busy_inline() {
        const SimTime now = sim_.now();
        if (credits_ || cpu_host_ ||
            (busy_since_ <= group_metrics_from_ && group_metrics_from_ <= now))
            account_busy();
        else
            add_busy_until(now);
    }
    void add_busy_until(SimTime now) {
        // fluid_busy_ is 0 in request mode, so the sum is busy_ exactly.
        const double rate = static_cast<double>(busy_) + fluid_busy_;
        busy_integral_us_ += rate * static_cast<double>(now - busy_since_);
        busy_since_ = now;
    }
    // Burstable: the utilisation the credits are spent at now (see the header comment).
    double credit_utilisation() const;
    // Standard mode: (re)arms the exhaustion timer after the busy workers changed.
    void arm_credit_timer();
    void end_credits(bool terminate);
    // Ends every request held: `lost` marks live ones Lost (power off), else answers them
    // with 502 (terminate). Requests whose client left are freed.
    void drop_held(bool lost);
    // Tell the observer (see InstanceStateObserver).
    void serving_changed() {
        if (observer_) observer_->on_serving_changed(*this);
    }
    void health_inputs_changed() {
        if (fluid_ && observer_) observer_->on_health_inputs_changed(*this);
    }

    std::uint32_t index_;
    InstanceConfig config_;
    Simulation& sim_;
    RequestPool& requests_;
    RequestAccounting& accounting_;

    InstanceStateObserver* observer_ = nullptr;
    bool spot_interrupted_ = false;
    InstanceState state_ = InstanceState::Pending;
    LifecycleState lifecycle_ = LifecycleState::Pending;
    bool app_up_ = false;
    int awaiting_database_ = 0;
    SimTime launched_at_ = 0;
    SimTime running_since_ = kNever;
    SimTime terminated_at_ = kNever;
    SimTime group_metrics_from_ = kNever;

    int busy_ = 0;       // workers holding a request (abandoned ones included: work goes on)
    int busy_live_ = 0;  // of those, requests whose client still waits
    int live_queued_ = 0;
    std::uint64_t accepted_ = 0;
    std::uint64_t routed_ = 0;
    RingBuffer<std::uint32_t> queue_;     // request slots; abandoned ones are dropped at the head
    std::vector<std::uint32_t> serving_;  // request slots held by workers (Request::worker)
    SimTime busy_since_ = 0;
    double busy_integral_us_ = 0;               // worker-microseconds
    double busy_at_group_metrics_from_us_ = 0;  // busy_integral_us_ when the warm-up ended
    SimTime extra_latency_ = 0;
    double mean_service_s_ = 0;  // EWMA of the service times started
    bool seen_service_ = false;
    bool reachable_ = true;

    // Burstable CPU credits.
    std::optional<CpuCreditAccount> credits_;
    double baseline_fraction_ = 1.0;
    int busy_slowed_ = 0;               // workers serving a request started throttled
    std::vector<std::uint8_t> slowed_;  // per place in serving_: started throttled
    RingBuffer<SimTime> queued_extra_;  // latency-fault part of each queued request
    TimerHandle credit_timer_;
    SimTime credit_timer_at_ = kNever;
    SimTime throttled_since_ = kNever;
    std::uint64_t throttled_starts_ = 0;
    // An ECS task's compute unit on a burstable container instance (bind_cpu_host): the host
    // and the host vCPUs one busy worker uses; a host: the tasks bound to it.
    Instance* cpu_host_ = nullptr;
    double host_vcpu_per_worker_ = 0;
    std::vector<Instance*> guests_;
    // Whether a request starting now starts throttled (its own account's or its host's).
    bool starts_throttled() const {
        return cpu_host_ ? cpu_host_->throttled_since_ != kNever : throttled_since_ != kNever;
    }
    // A bound task: the host vCPUs its busy workers use now (a throttled worker uses the host's
    // baseline share of its vCPU).
    double host_vcpus_used() const;

    // Fluid mode (see fluid_step).
    bool fluid_ = false;
    double fluid_busy_ = 0;
    double fluid_queued_ = 0;
    FluidQueue fluid_queue_;
};

}  // namespace stratus::cloud
