#include "sim/cloud/instance.hpp"

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
      recorder_(recorder) {}

void Instance::launch() {
    state_ = InstanceState::Pending;
    lifecycle_ = LifecycleState::Pending;
    launched_at_ = sim_.now();
}

void Instance::boot_done() {
    state_ = InstanceState::Running;
    running_since_ = sim_.now();
}

void Instance::app_started() {
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

Outcome Instance::accept(std::uint32_t slot) {
    Request& r = requests_[slot];
    if (state_ != InstanceState::Running || !app_up_) {
        // Connection refused: the load balancer answers 502 (ALB troubleshooting guide).
        return Outcome::Http502;
    }
    r.instance = index_;
    // The request's CPU time was drawn for a speed-1.0 vCPU; this type may be faster.
    if (config_.speed != 1.0) {
        r.service = static_cast<SimTime>(static_cast<double>(r.service) / config_.speed + 0.5);
    }
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
    account_busy();
    ++busy_;
    ++busy_live_;
    sim_.schedule_in(r.service, this, kServiceDone, slot);
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

void Instance::on_event(const Event& e) {
    if (e.kind != kServiceDone) return;
    const std::uint32_t slot = e.arg;
    Request& r = requests_[slot];
    account_busy();
    --busy_;
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
