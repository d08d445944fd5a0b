#pragma once
// Where the arrival and the end of every request are accounted. An end is counted by the load
// balancer that carried the request (the CloudWatch service publishes its metrics from those
// counts) and, like an arrival, told to the run's observer (the Recorder). Workloads, instances
// and the fluid model report here; none of them reads anything back.
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/cloud/load_balancer.hpp"
#include "sim/cloud/request.hpp"
#include "sim/cloud/run_observer.hpp"

namespace stratus::cloud {

class RequestAccounting {
  public:
    // `load_balancers`: the run's, by index (Request::load_balancer); the list may still grow.
    RequestAccounting(RunObserver& observer,
                      const std::vector<std::unique_ptr<LoadBalancer>>& load_balancers)
        : observer_(observer), load_balancers_(load_balancers) {}

    RunObserver& observer() { return observer_; }

    // --- request mode
    void arrived(SimTime t, SimTime service) { observer_.request_arrived(t, service); }
    // A request carried by load balancer `lb` that arrived at `arrival` ended with `o` now;
    // `waited` >= 0: what the client waited for it, when that is not now - arrival (an error
    // answered at once that the client sees after a timeout).
    void ended(std::uint16_t lb, Outcome o, SimTime arrival, SimTime now, SimTime waited = -1) {
        load_balancers_[lb]->count_response(o, now - arrival);
        observer_.request_ended(o, arrival, now, waited);
    }
    // A request that reached a target group also counts for the group (TargetGroup metrics).
    void ended(const Request& r, Outcome o, SimTime now, SimTime waited = -1) {
        ended(r.load_balancer, o, r.arrival, now, waited);
        if (r.target_group != kNoTargetGroup)
            load_balancers_[r.load_balancer]->count_group_response(r.target_group, o,
                                                                   now - r.arrival);
    }
    // Its target's queue was full: the application's own 503 (a target's 5xx).
    void refused_by_target(const Request& r, SimTime now) {
        ended(r, Outcome::Http503, now);
        load_balancers_[r.load_balancer]->count_target_refusal(r.target_group);
    }
    // The client's connection never opened (Outcome::ConnectTimeout): the load balancer never
    // saw the request, so only the observer hears of it.
    void connect_timed_out(const Request& r, SimTime now) {
        observer_.request_ended(Outcome::ConnectTimeout, r.arrival, now, -1);
    }

    // --- fluid mode
    void arrived_n(SimTime t, std::uint64_t n) { observer_.requests_arrived(t, n); }
    // `error_latency`: what each of the n waited, when `o` is an error. `by_target`: 503s of
    // targets whose queue was full (their own).
    void ended_n(std::uint16_t lb, Outcome o, SimTime arrival, std::uint64_t n,
                 SimTime error_latency = 0, bool by_target = false) {
        if (o != Outcome::ConnectTimeout) load_balancers_[lb]->count_responses(o, n, by_target);
        observer_.requests_ended(o, arrival, n, error_latency);
    }
    // Of those, n answered by the targets of `group` (counted already: the group's own count).
    void ended_in_group_n(std::uint16_t lb, std::uint16_t group, Outcome o, std::uint64_t n,
                          bool by_target) {
        load_balancers_[lb]->count_group_responses(group, o, n, by_target);
    }
    // points[k].weight x scale requests of load balancer `lb` succeeded with points[k].latency,
    // answered by targets of `group` (kNoTargetGroup: none counted).
    void ok_weighted(std::uint16_t lb, SimTime arrival, const WeightedLatency* points,
                     std::size_t count, double scale, std::uint16_t group) {
        LoadBalancer& l = *load_balancers_[lb];
        const double sum = l.add_response_times(count, [&](std::size_t k) {
            return scale * points[k].weight * to_seconds(points[k].latency);
        });
        if (group != kNoTargetGroup) l.add_group_response_time(group, sum);
        observer_.requests_ok_weighted(arrival, points, count, scale);
    }
    // cells[k].weight x scale requests of load balancer `lb` succeeded, their latencies summing
    // to cells[k].sum x scale (ns), and response_s x scale seconds in all (for the load balancer's
    // TargetResponseTime; the groups' are added by add_group_response_time).
    void ok_cells(std::uint16_t lb, SimTime arrival, const WeightedCell* cells, std::size_t count,
                  double scale, double response_s) {
        load_balancers_[lb]->add_response_time(scale * response_s);
        observer_.requests_ok_cells(arrival, cells, count, scale);
    }
    void add_group_response_time(std::uint16_t lb, std::uint16_t group, double seconds) {
        load_balancers_[lb]->add_group_response_time(group, seconds);
    }
    void latency_bins(WeightedLatency* points, std::size_t count) const {
        observer_.latency_bins(points, count);
    }
    // n requests (fractional) load balancer `lb` answered itself, no target taking them.
    void answered_by_load_balancer(std::uint16_t lb, double n) {
        if (n > 0) load_balancers_[lb]->count_answered_itself(n);
    }

  private:
    RunObserver& observer_;
    const std::vector<std::unique_ptr<LoadBalancer>>& load_balancers_;
};

}  // namespace stratus::cloud
