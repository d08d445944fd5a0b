#include "sim/cloud/instance.hpp"

#include <stdexcept>

#include "sim/report/recorder.hpp"

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

Instance::Instance(std::uint32_t index, InstanceConfig config, Simulation& sim,
                   RequestPool& requests, report::Recorder& recorder)
    : index_(index),
      config_(std::move(config)),
      sim_(sim),
      requests_(requests),
      recorder_(recorder) {
    // Request::worker is 16 bits wide.
    if (config_.workers < 1 || config_.workers > 65535) {
        throw std::invalid_argument("instance " + config_.name + ": workers must be 1..65535");
    }
    serving_.reserve(static_cast<std::size_t>(config_.workers));
}

void Instance::launch() {
    state_ = InstanceState::Pending;
    lifecycle_ = LifecycleState::Pending;
    launched_at_ = sim_.now();
    if (observer_) observer_->on_instance_launched(*this);
}

void Instance::boot_done() {
    if (state_ != InstanceState::Pending) return;  // stopped or terminated while booting
    state_ = InstanceState::Running;
    running_since_ = sim_.now();
    if (observer_) observer_->on_instance_state(*this, InstanceState::Pending, state_);
}

void Instance::app_started() {
    if (state_ != InstanceState::Running) return;
    app_up_ = true;
}

void Instance::account_busy() {
    const SimTime now = sim_.now();
    busy_integral_us_ += static_cast<double>(busy_) * static_cast<double>(now - busy_since_);
    busy_since_ = now;
}

double Instance::busy_worker_seconds() {
    account_busy();
    return busy_integral_us_ / kSecond;
}

double Instance::estimated_response_s() const {
    const double extra = to_seconds(extra_latency_);
    if (busy_ < config_.workers) return extra;
    // A health check joins the FIFO behind the live queued requests: it starts when
    // queued + 1 requests have left the workers, one every mean / workers on average.
    return static_cast<double>(live_queued_ + 1) / config_.workers * mean_service_s_ + extra;
}

Outcome Instance::accept(std::uint32_t slot) {
    Request& r = requests_[slot];
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
    r.service += extra_latency_;
    if (busy_ < config_.workers) {
        ++accepted_;
        start_service(slot);
        return Outcome::Ok;
    }
    if (live_queued_ >= config_.max_queue) return Outcome::Http503;
    ++accepted_;
    r.state = RequestState::Queued;
    queue_.push_back(slot);
    ++live_queued_;
    return Outcome::Ok;
}

void Instance::start_service(std::uint32_t slot) {
    Request& r = requests_[slot];
    r.state = RequestState::InService;
    r.worker = static_cast<std::uint16_t>(serving_.size());
    serving_.push_back(slot);
    account_busy();
    ++busy_;
    ++busy_live_;
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
            recorder_.outcome(Outcome::Http502, r.arrival, sim_.now());
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
    busy_ = 0;
    busy_live_ = 0;
    live_queued_ = 0;
}

void Instance::power_off() {
    if (state_ == InstanceState::Stopped || state_ == InstanceState::Terminated) return;
    const InstanceState from = state_;
    state_ = InstanceState::Stopped;
    app_up_ = false;
    drop_held(true);
    if (observer_) observer_->on_instance_state(*this, from, state_);
}

void Instance::terminate() {
    if (state_ == InstanceState::Terminated) return;
    const InstanceState from = state_;
    drop_held(false);
    state_ = InstanceState::Terminated;
    lifecycle_ = LifecycleState::Terminated;
    app_up_ = false;
    terminated_at_ = sim_.now();
    if (observer_) observer_->on_instance_state(*this, from, state_);
}

void Instance::on_event(const Event& e) {
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
    if (r.state == RequestState::InService) {
        --busy_live_;
        recorder_.outcome(Outcome::Ok, r.arrival, sim_.now());
    }
    requests_.release(slot);
    // Next live request in FIFO order; requests whose client left are dropped unserved.
    while (!queue_.empty() && busy_ < config_.workers) {
        const std::uint32_t next = queue_.front();
        queue_.pop_front();
        if (requests_[next].state == RequestState::Abandoned) {
            requests_.release(next);
            continue;
        }
        --live_queued_;
        start_service(next);
    }
}

}  // namespace stratus::cloud
