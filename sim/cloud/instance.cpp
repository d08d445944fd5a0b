#include "sim/cloud/instance.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "sim/cloud/request_accounting.hpp"
#include "sim/scenario/limits.hpp"

namespace stratus::cloud {

const char* to_string(InstanceState s) {
    switch (s) {
        case InstanceState::Pending:
            return "pending";
        case InstanceState::Running:
            return "running";
        case InstanceState::Stopping:
            return "stopping";
        case InstanceState::Stopped:
            return "stopped";
        case InstanceState::ShuttingDown:
            return "shutting-down";
        case InstanceState::Terminated:
            return "terminated";
    }
    return "?";
}

const char* to_string(LifecycleState s) {
    switch (s) {
        case LifecycleState::Pending:
            return "Pending";
        case LifecycleState::InService:
            return "InService";
        case LifecycleState::Terminating:
            return "Terminating";
        case LifecycleState::Terminated:
            return "Terminated";
    }
    return "?";
}

static_assert(scenario::kMaxWorkersPerInstance <=
                  std::numeric_limits<decltype(Request::worker)>::max(),
              "an instance's workers must fit Request::worker");
static_assert(scenario::kMaxDatabaseConnectTimeout <=
                  std::numeric_limits<decltype(Request::database_wait_s)>::max(),
              "a database connect timeout must fit Request::database_wait_s");

Instance::Instance(std::uint32_t index, InstanceConfig config, Simulation& sim,
                   RequestPool& requests, RequestAccounting& accounting)
    : index_(index),
      config_(std::move(config)),
      sim_(sim),
      requests_(requests),
      accounting_(accounting) {
    // Request::worker is 16 bits wide; validation refuses a template that would exceed it.
    if (config_.workers < 1 || config_.workers > scenario::kMaxWorkersPerInstance) {
        throw std::invalid_argument("instance " + config_.name + ": workers must be 1..65535");
    }
    serving_.reserve(static_cast<std::size_t>(config_.workers));
}

void Instance::launch() {
    state_ = InstanceState::Pending;
    lifecycle_ = LifecycleState::Pending;
    launched_at_ = sim_.now();
    if (config_.type.burstable) {
        if (!credits_) {
            scenario::InstanceTypeInfo type = config_.type;
            if (type.vcpu <= 0) type.vcpu = config_.vcpu;
            const auto spec =
                type.unlimited ? CreditSpecification::Unlimited : CreditSpecification::Standard;
            credits_.emplace(type, spec, credit_family_of(config_.instance_type), sim_.now());
            baseline_fraction_ = credits_->baseline_fraction();
            busy_since_ = sim_.now();
        } else if (!credits_->running() && !credits_->terminated()) {
            credits_->start(sim_.now());
        }
    }
    if (observer_) observer_->on_instance_launched(*this);
}

void Instance::boot_done() {
    if (state_ != InstanceState::Pending) return;  // stopped or terminated while booting
    state_ = InstanceState::Running;
    running_since_ = sim_.now();
    if (observer_) observer_->on_instance_state(*this, InstanceState::Pending, state_);
    serving_changed();
}

void Instance::app_started() {
    if (state_ != InstanceState::Running) return;
    app_up_ = true;
    serving_changed();
}

void Instance::account_busy() {
    // A bound task's workers are about to change: its host spends at their old level up to now.
    if (cpu_host_) cpu_host_->account_busy();
    const SimTime now = sim_.now();
    const double rate = static_cast<double>(busy_) + fluid_busy_;
    // The account at the end of the warm-up, for the group's aggregate of a slice the
    // warm-up ends in (the rate was constant since busy_since_).
    if (busy_since_ <= group_metrics_from_ && group_metrics_from_ <= now)
        busy_at_group_metrics_from_us_ =
            busy_integral_us_ + rate * static_cast<double>(group_metrics_from_ - busy_since_);
    add_busy_until(now);
    if (credits_ && credits_->running()) {
        // The busy workers were constant since the last call: every change of busy_ or
        // busy_slowed_ comes after an account_busy().
        credits_->advance(now, credit_utilisation());
        if (credits_->credit_specification() == CreditSpecification::Standard) {
            const SimTime before = throttled_since_;
            if (credits_->max_speed_fraction(1.0) < 1.0) {
                if (throttled_since_ == kNever) throttled_since_ = now;
            } else {
                throttled_since_ = kNever;
            }
            if ((before == kNever) != (throttled_since_ == kNever)) serving_changed();
        }
    }
}

double Instance::credit_utilisation() const {
    double own = 0;
    if (fluid_) {
        // As in request mode, a worker slowed by the throttle uses the baseline's share of
        // its vCPU (the model solves a throttled instance at the baseline speed).
        const double share = throttled_since_ != kNever ? baseline_fraction_ : 1.0;
        own = std::min(1.0, fluid_busy_ / config_.workers) * share;
    } else {
        own = ((busy_ - busy_slowed_) + busy_slowed_ * baseline_fraction_) / config_.workers;
    }
    if (guests_.empty()) return own;
    // A container instance: its tasks' work is its CPU's (cloudwatch_service.cpp counts it the
    // same way for CPUUtilization), all of its vCPUs at most.
    double hosted = 0;
    for (const Instance* g : guests_)
        hosted += g->host_vcpus_used();
    return std::min(1.0, own + hosted / config_.vcpu);
}

double Instance::host_vcpus_used() const {
    const double share =
        cpu_host_->throttled_since_ != kNever ? cpu_host_->baseline_fraction_ : 1.0;
    if (fluid_)
        return std::min(fluid_busy_, static_cast<double>(config_.workers)) * host_vcpu_per_worker_ *
               share;
    return ((busy_ - busy_slowed_) + busy_slowed_ * cpu_host_->baseline_fraction_) *
           host_vcpu_per_worker_;
}

void Instance::bind_cpu_host(Instance& host, double vcpu_per_worker) {
    if (cpu_host_ || !host.credits_) return;
    host.account_busy();  // the host spent at its old level up to now
    cpu_host_ = &host;
    host_vcpu_per_worker_ = vcpu_per_worker;
    host.guests_.push_back(this);
}

double Instance::credit_speed_fraction() {
    if (cpu_host_) return cpu_host_->credit_speed_fraction();
    if (!credits_ || !cpu_throttled()) return 1.0;
    return credits_->max_speed_fraction(1.0);
}

void Instance::arm_credit_timer() {
    if (!credits_ || !credits_->running() ||
        credits_->credit_specification() != CreditSpecification::Standard)
        return;
    if (throttled_since_ != kNever) return;  // already out: start_service checks each start
    // The account is at now (account_busy ran), so the delay counts from now.
    const SimTime delay = credits_->time_until_exhausted(credit_utilisation());
    // At or below baseline the credits do not run out; a timer already armed for a higher
    // utilisation fires early and re-arms, which is cheaper than cancelling it.
    if (delay == kNever) return;
    const SimTime at = sim_.now() + delay;
    if (sim_.is_pending(credit_timer_)) {
        // Armed for the same or a higher utilisation since: still at or before the crossing.
        if (credit_timer_at_ <= at) return;
        sim_.cancel(credit_timer_);
    }
    credit_timer_ = sim_.timer_in(delay, this, kCreditsExhausted);
    credit_timer_at_ = at;
}

void Instance::end_credits(bool terminate) {
    if (!credits_) return;
    sim_.cancel(credit_timer_);
    credit_timer_at_ = kNever;
    throttled_since_ = kNever;
    // drop_held() has just brought the account to now and emptied the workers.
    if (terminate) {
        if (!credits_->terminated()) credits_->terminate(sim_.now(), 0);
    } else if (credits_->running()) {
        credits_->stop(sim_.now(), 0);
    }
}

double Instance::cpu_credit_balance() {
    if (!credits_) return 0;
    account_busy();
    return credits_->balance() + credits_->launch_credits();
}

double Instance::cpu_surplus_credit_balance() {
    if (!credits_) return 0;
    account_busy();
    return credits_->surplus_credits();
}

double Instance::surplus_vcpu_hours_charged() {
    if (!credits_) return 0;
    account_busy();
    return credits_->surplus_charged();
}

bool Instance::cpu_throttled() {
    if (!credits_) return false;
    account_busy();
    return throttled_since_ != kNever;
}

double Instance::busy_worker_seconds_warmed() {
    account_busy();
    if (sim_.now() < group_metrics_from_) return 0.0;
    return (busy_integral_us_ - busy_at_group_metrics_from_us_) / kSecond;
}

double Instance::estimated_response_s() const {
    const double extra = to_seconds(extra_latency_);
    if (fluid_) {
        // The fluid backlog plays the queue's part; without one a worker is free.
        if (fluid_queued_ <= 0) return extra;
        return (fluid_queued_ + 1) / config_.workers * mean_service_s_ + extra;
    }
    if (busy_ < config_.workers) return extra;
    // A health check joins the FIFO behind the live queued requests: it starts when
    // queued + 1 requests have left the workers, one every mean / workers on average.
    return static_cast<double>(live_queued_ + 1) / config_.workers * mean_service_s_ + extra;
}

Outcome Instance::accept(std::uint32_t slot) {
    Request& r = requests_[slot];
    ++routed_;
    if (state_ != InstanceState::Running || !reachable_) {
        // Nothing answers at the address: the ALB's connection attempt times out (504). The
        // 10 s connect timeout is not waited for; the 504 is recorded at once.
        return Outcome::Http504;
    }
    if (!app_up_) {
        // Connection refused: the load balancer answers 502 (ALB troubleshooting guide).
        return Outcome::Http502;
    }
    r.instance = index_;
    // The request's CPU time was drawn for a speed-1.0 vCPU; this type may be faster.
    if (config_.speed != 1.0) {
        r.service = static_cast<SimTime>(static_cast<double>(r.service) / config_.speed + 0.5);
    }
    // A burstable instance keeps the latency fault's part apart until the request starts:
    // a throttle slows the CPU time only.
    if (!credit_bound()) r.service += extra_latency_;
    if (busy_ < config_.workers) {
        ++accepted_;
        start_service(slot, credit_bound() ? extra_latency_ : 0);
        return Outcome::Ok;
    }
    if (live_queued_ >= config_.max_queue) return Outcome::Http503;
    ++accepted_;
    r.state = RequestState::Queued;
    queue_.push_back(slot);
    if (credit_bound()) queued_extra_.push_back(extra_latency_);
    ++live_queued_;
    return Outcome::Ok;
}

void Instance::start_service(std::uint32_t slot, SimTime extra) {
    Request& r = requests_[slot];
    r.state = RequestState::InService;
    r.worker = static_cast<std::uint16_t>(serving_.size());
    serving_.push_back(slot);
    account_busy();
    if (credit_bound()) {
        const bool slow = starts_throttled();
        if (slow) {
            const CpuCreditAccount& account = cpu_host_ ? *cpu_host_->credits_ : *credits_;
            const double f = account.max_speed_fraction(1.0);
            r.service = static_cast<SimTime>(static_cast<double>(r.service) / f + 0.5);
            ++busy_slowed_;
            ++throttled_starts_;
        }
        r.service += extra;
        slowed_.push_back(slow ? 1 : 0);
    }
    ++busy_;
    ++busy_live_;
    if (credits_) arm_credit_timer();
    if (cpu_host_) cpu_host_->arm_credit_timer();
    // The mean service time for estimated_response_s(): an EWMA with weight 1/64, about the
    // mean of the last 64 requests started (7 % spread for exponential service times).
    const double s = to_seconds(r.service);
    if (!seen_service_) {
        mean_service_s_ = s;
        seen_service_ = true;
    } else {
        mean_service_s_ += (s - mean_service_s_) / 64.0;
    }
    const std::uint32_t kind = kServiceDone | ((r.generation & kGenerationMask) << kKindBits);
    sim_.schedule_in(r.service, this, kind, slot);
}

void Instance::abandon(std::uint32_t slot) {
    Request& r = requests_[slot];
    if (r.state == RequestState::Queued) {
        --live_queued_;  // dropped when it reaches the head of the queue
    } else if (r.state == RequestState::InService) {
        --busy_live_;  // the worker finishes it, but nobody reads the answer
    }
    r.state = RequestState::Abandoned;
}

void Instance::drop_held(bool lost) {
    auto end_one = [&](std::uint32_t slot) {
        Request& r = requests_[slot];
        if (r.state == RequestState::Abandoned) {
            requests_.release(slot);  // its client already has its 504
        } else if (lost) {
            r.state = RequestState::Lost;  // the workload answers 504 at the deadline
        } else {
            accounting_.ended(r, Outcome::Http502, sim_.now());
            requests_.release(slot);
        }
    };
    account_busy();
    for (std::uint32_t slot : serving_)
        end_one(slot);
    serving_.clear();
    while (!queue_.empty()) {
        end_one(queue_.front());
        queue_.pop_front();
    }
    if (credit_bound()) {
        slowed_.clear();
        queued_extra_.clear();
        busy_slowed_ = 0;
    }
    busy_ = 0;
    busy_live_ = 0;
    live_queued_ = 0;
    fluid_busy_ = 0;
    fluid_queued_ = 0;
}

void Instance::fluid_step(std::uint64_t accepted_total, double busy_workers, double queued,
                          const FluidQueue& queue, TimeoutQuestion& question) {
    // Close the interval the previous values held for (busy time, credits), then switch.
    // Performance: as busy_worker_seconds (every instance, every fluid step).
    account_busy_inline();
    const bool was_fluid = fluid_;
    fluid_ = true;
    accepted_ = accepted_total;
    const bool up = state_ == InstanceState::Running && app_up_;
    fluid_busy_ = up ? busy_workers : 0.0;
    fluid_queued_ = up ? queued : 0.0;
    if (queue.mean_service_s > 0) mean_service_s_ = queue.mean_service_s;
    if (credits_) arm_credit_timer();
    if (cpu_host_) cpu_host_->arm_credit_timer();
    if (queue == fluid_queue_) return;
    fluid_queue_ = queue;
    // A target group skips the checks of a healthy target that cannot fail them; it must
    // hear when one could (the shortest timeout AWS allows is 2 s). Performance: asked only
    // while some group skips them; an overloaded target's checks run anyway, and the
    // question (eight queue tails) was half of an overloaded day's instructions.
    if (was_fluid && state_ == InstanceState::Running && app_up_ && observer_ &&
        observer_->health_checks_dormant(*this) &&
        question.may_time_out(fluid_queue_, config_.workers, to_seconds(extra_latency_), 2.0))
        health_inputs_changed();
}

double Instance::fluid_check_timeout_probability(double timeout_s) const {
    if (!fluid_ || state_ != InstanceState::Running || !app_up_) return 0.0;
    return health_check_timeout_probability(fluid_queue_, config_.workers,
                                            to_seconds(extra_latency_), timeout_s);
}

void Instance::power_off() {
    if (state_ == InstanceState::Stopped || state_ == InstanceState::Terminated) return;
    const InstanceState from = state_;
    state_ = InstanceState::Stopped;
    app_up_ = false;
    drop_held(true);
    end_credits(false);
    if (observer_) observer_->on_instance_state(*this, from, state_);
    serving_changed();
}

void Instance::terminate() {
    if (state_ == InstanceState::Terminated) return;
    const InstanceState from = state_;
    drop_held(false);
    end_credits(true);
    if (cpu_host_) {  // drop_held brought the host to now: this task uses none of it from now
        auto& g = cpu_host_->guests_;
        g.erase(std::remove(g.begin(), g.end(), this), g.end());
    }
    state_ = InstanceState::Terminated;
    lifecycle_ = LifecycleState::Terminated;
    app_up_ = false;
    terminated_at_ = sim_.now();
    if (observer_) observer_->on_instance_state(*this, from, state_);
    serving_changed();
}

void Instance::on_event(const Event& e) {
    if ((e.kind & kKindMask) == kCreditsExhausted) {
        // The credits run out now, unless the utilisation fell since the timer was armed.
        credit_timer_at_ = kNever;
        account_busy();
        arm_credit_timer();
        return;
    }
    if ((e.kind & kKindMask) == kDatabaseTimeout) {
        if ((requests_[e.arg].generation & kGenerationMask) == (e.kind >> kKindBits))
            database_timed_out(e.arg);
        return;
    }
    if ((e.kind & kKindMask) != kServiceDone) return;
    const std::uint32_t slot = e.arg;
    Request& r = requests_[slot];
    // A completion whose request was freed (generation moved on) or lost by a power-off
    // belongs to work that no longer exists.
    if ((r.generation & kGenerationMask) != (e.kind >> kKindBits)) return;
    if (r.state != RequestState::InService && r.state != RequestState::Abandoned) return;
    account_busy();
    --busy_;
    // Leave the worker list: the last one takes this one's place.
    const std::uint32_t moved = serving_.back();
    serving_[r.worker] = moved;
    requests_[moved].worker = r.worker;
    serving_.pop_back();
    if (credit_bound()) {
        if (slowed_[r.worker]) --busy_slowed_;
        slowed_[r.worker] = slowed_.back();
        slowed_.pop_back();
    }
    if (r.state == RequestState::InService && r.database_wait_s > 0) {
        // Its application now waits for a database connection that never opens, without a
        // worker (a blocked thread burns no CPU), and answers 500 when it gives up.
        --busy_live_;
        r.state = RequestState::AwaitingDatabase;
        ++awaiting_database_;
        const std::uint32_t kind =
            kDatabaseTimeout | ((r.generation & kGenerationMask) << kKindBits);
        sim_.schedule_in(r.database_wait_s * kSecond, this, kind, slot);
    } else {
        if (r.state == RequestState::InService) {
            --busy_live_;
            accounting_.ended(r, r.aws_denied ? Outcome::Http500 : Outcome::Ok, sim_.now());
        }
        requests_.release(slot);
    }
    // Next live request in FIFO order; requests whose client left are dropped unserved.
    while (!queue_.empty() && busy_ < config_.workers) {
        const std::uint32_t next = queue_.front();
        queue_.pop_front();
        SimTime extra = 0;
        if (credit_bound()) {
            extra = queued_extra_.front();
            queued_extra_.pop_front();
        }
        if (requests_[next].state == RequestState::Abandoned) {
            requests_.release(next);
            continue;
        }
        --live_queued_;
        start_service(next, extra);
    }
    if (credits_) arm_credit_timer();
}

void Instance::database_timed_out(std::uint32_t slot) {
    Request& r = requests_[slot];
    if (r.state != RequestState::AwaitingDatabase && r.state != RequestState::Abandoned) return;
    --awaiting_database_;
    if (r.state == RequestState::Abandoned) {
        requests_.release(slot);  // its client gave up first and has its 504
    } else if (state_ != InstanceState::Running) {
        r.state = RequestState::Lost;  // stopped meanwhile: the client's timeout answers (504)
    } else {
        accounting_.ended(r, Outcome::Http500, sim_.now());
        requests_.release(slot);
    }
}

}  // namespace stratus::cloud
