#include "sim/cloud/workload.hpp"

#include <algorithm>

#include "sim/cloud/aws_calls.hpp"
#include "sim/cloud/request_accounting.hpp"

namespace stratus::cloud {
namespace {

// A deadline whose request is still waiting for an answer (not answered, freed or given up).
template <typename Deadline>
bool live(const Deadline& d, const RequestPool& requests) {
    const Request& r = requests[d.slot];
    return r.generation == d.generation && r.state != RequestState::Abandoned;
}

// Stale deadlines the FIFO may hold beyond twice the requests in flight: a pass over a few
// thousand entries at least, never one per request.
constexpr std::size_t kDeadlineSlack = 1024;

// Performance: requests are mostly answered long before their deadline (milliseconds against
// a timeout of seconds to an hour), and their deadlines leave the FIFO only at its head, so it
// held rate x timeout entries (14 million for an hour at 4,000 requests/s). Once it holds
// twice as many entries as there are requests in flight (all workloads), at least half of it
// is stale: one pass drops those and keeps the others in order. Each entry is dropped once,
// so this costs O(1) per request, and the FIFO stays within twice the requests in flight.
// The deadline at the head, and so every timeout check, is the same as without it.
template <typename Deadlines>
void drop_stale_deadlines(Deadlines& deadlines, const RequestPool& requests) {
    if (deadlines.size() < 2 * requests.in_use() + kDeadlineSlack) return;
    for (std::size_t n = deadlines.size(); n > 0; --n) {
        const auto d = deadlines.front();
        deadlines.pop_front();
        if (live(d, requests)) deadlines.push_back(d);  // into the room just freed
    }
}

}  // namespace

Workload::Workload(const scenario::WorkloadSpec& spec, std::int64_t start_epoch_s,
                   std::uint64_t seed, SimTime horizon, LoadBalancer& load_balancer,
                   Simulation& sim, Fleet& fleet, RequestPool& requests,
                   RequestAccounting& accounting)
    : spec_(spec),
      horizon_(horizon),
      load_balancer_(load_balancer),
      sim_(sim),
      fleet_(fleet),
      requests_(requests),
      accounting_(accounting),
      rate_(spec.rate, spec.spike, start_epoch_s),
      arrivals_(rate_, RandomStream(seed, "arrivals/" + spec.name)),
      service_stream_(seed, "service/" + spec.name) {}

void Workload::start() {
    arrivals_started_ = true;
    const SimTime first = arrivals_.next(-1, horizon_);
    if (first != kNever) sim_.schedule_at(first, this, kArrival, arrival_generation_);
}

void Workload::set_rate_multiplier(double scale) {
    rate_.set_scale(scale);
    if (!arrivals_started_) return;  // fluid mode reads the rate itself
    ++arrival_generation_;
    arrivals_.restart();
    const SimTime next = arrivals_.next(sim_.now(), horizon_);
    if (next != kNever) sim_.schedule_at(next, this, kArrival, arrival_generation_);
}

void Workload::on_event(const Event& e) {
    if (e.kind == kArrival) {
        if (e.arg != arrival_generation_) return;  // dropped by a rate change
        arrive();
        const SimTime next = arrivals_.next(sim_.now(), horizon_);
        if (next != kNever) sim_.schedule_at(next, this, kArrival, arrival_generation_);
    } else if (e.kind == kTimeoutCheck) {
        check_pending_ = false;
        check_timeouts();
    }
}

void Workload::arrive() {
    const SimTime service = service_stream_.sample(spec_.service_time);
    accounting_.arrived(sim_.now(), service);
    if (load_balancer_closed_) {
        // The load balancer's security group drops the SYN: the connection never opens, the
        // client gives up at its timeout, and the load balancer never sees the request.
        const std::uint32_t slot = requests_.acquire();
        Request& r = requests_[slot];
        r.arrival = sim_.now();
        r.load_balancer = load_balancer_.index();
        r.target_group = kNoTargetGroup;
        r.state = RequestState::Unconnected;
        drop_stale_deadlines(deadlines_, requests_);
        deadlines_.push_back(Deadline{sim_.now() + spec_.timeout, slot, r.generation});
        if (!check_pending_) schedule_timeout_check();
        return;
    }
    const std::uint32_t slot = requests_.acquire();
    Request& r = requests_[slot];
    r.arrival = sim_.now();
    r.service = service;
    r.load_balancer = load_balancer_.index();
    r.target_group = kNoTargetGroup;
    r.database_wait_s = 0;
    r.aws_denied = false;
    const Outcome o = load_balancer_.handle(slot, requests_, listener_);
    if (o != Outcome::Ok) {
        // Recorded at once, but a 504 is what the client sees after a timeout: the ALB's 10 s
        // connect timeout when it routed the request to a target that does not answer, else
        // (the load balancer node is down: nothing was routed) the client's own.
        SimTime waited = 0;
        if (o == Outcome::Http504)
            waited = r.target_group != kNoTargetGroup
                         ? std::min(LoadBalancer::kConnectTimeout, spec_.timeout)
                         : spec_.timeout;
        // A 503 from a target the load balancer chose is its full queue's: the target's own.
        if (o == Outcome::Http503 && r.target_group != kNoTargetGroup) {
            accounting_.refused_by_target(r, sim_.now());
        } else {
            accounting_.ended(r, o, sim_.now(), waited);
        }
        requests_.release(slot);
        return;
    }
    if (aws_calls_) r.aws_denied = aws_call_denied(r.instance);
    // A database this instance's application cannot reach (down, or no flow from where the
    // instance sits), or a call out of the VPC that cannot leave its subnet, fails the request
    // behind the target: the instance serves it, then waits for the connection and answers
    // 500 (it serves first, so setting the wait after routing is in time).
    const InstanceConfig& config = fleet_[r.instance].config();
    const bool unreachable = database_ && (database_flow_closed(config) || !database_->reachable());
    const bool closed_out = calls_out_closed(config);
    if (unreachable || closed_out) {  // fails_behind(config, database up), its parts used below
        r.database_wait_s = static_cast<std::uint8_t>(spec_.database_connect_timeout);
    }
    if (database_ && !unreachable && config.availability_zone != database_->primary_zone()) {
        cross_az_database_bytes_ += static_cast<double>(spec_.database_bytes);
    }
    if (!closed_out) count_instance_traffic(config, 1.0);
    drop_stale_deadlines(deadlines_, requests_);
    deadlines_.push_back(Deadline{sim_.now() + spec_.timeout, slot, r.generation});
    if (!check_pending_) schedule_timeout_check();
}

bool Workload::aws_call_denied(std::uint32_t instance) {
    if (principal_of_.size() <= instance) principal_of_.resize(instance + 1, -2);
    int& p = principal_of_[instance];
    const InstanceConfig& config = fleet_[instance].config();
    if (p == -2) p = std::max(0, aws_calls_->principal_index(config.iam_principal));
    return aws_calls_->serve(aws_index_, p, config.name, sim_.now());
}

void Workload::schedule_timeout_check() {
    // Requests already answered leave stale entries: drop them so the check waits for the
    // oldest request still in flight.
    while (!deadlines_.empty() && !live(deadlines_.front(), requests_))
        deadlines_.pop_front();
    if (deadlines_.empty()) return;
    sim_.schedule_at(deadlines_.front().at, this, kTimeoutCheck);
    check_pending_ = true;
}

void Workload::check_timeouts() {
    const SimTime now = sim_.now();
    while (!deadlines_.empty() && deadlines_.front().at <= now) {
        const Deadline d = deadlines_.front();
        deadlines_.pop_front();
        Request& r = requests_[d.slot];
        if (r.generation != d.generation || r.state == RequestState::Abandoned) continue;
        if (r.state == RequestState::Unconnected) {
            accounting_.connect_timed_out(r, sim_.now());
            requests_.release(d.slot);
            continue;
        }
        accounting_.ended(r, Outcome::Http504, sim_.now());
        if (r.state == RequestState::Lost) {
            // Its instance stopped while holding it: nobody else will free the slot.
            requests_.release(d.slot);
            continue;
        }
        fleet_[r.instance].abandon(d.slot);
    }
    schedule_timeout_check();
}

// Fluid mode: the bytes of `requests` taken by `instance`, as arrive() counts them.
void Workload::fluid_accepted(const InstanceConfig& instance, double requests) {
    const bool unreachable =
        database_ && (database_flow_closed(instance) || !database_->reachable());
    if (database_ && !unreachable && instance.availability_zone != database_->primary_zone())
        cross_az_database_bytes_ += requests * static_cast<double>(spec_.database_bytes);
    if (!calls_out_closed(instance)) count_instance_traffic(instance, requests);
}

void Workload::count_instance_traffic(const InstanceConfig& instance, double requests) {
    const int p = placement_of(instance);
    if (outbound_.empty() || p < 0) return;
    const auto k = static_cast<std::size_t>(p * zones_ + instance.availability_zone);
    if (spec_.outbound_bytes > 0)
        outbound_[k] += requests * static_cast<double>(spec_.outbound_bytes);
    if (spec_.s3_bytes > 0) service_[2 * k] += requests * static_cast<double>(spec_.s3_bytes);
    if (spec_.dynamodb_bytes > 0)
        service_[2 * k + 1] += requests * static_cast<double>(spec_.dynamodb_bytes);
}

}  // namespace stratus::cloud
