#pragma once
// An Elastic Load Balancer: one node per enabled AZ, clients spread over the nodes by DNS, and
// the listener's default action forwarding to a target group, or to several by weight (each
// request draws its group: a group's share is its weight / the sum). Cross-zone on: a node may pick
// any target in an enabled AZ; off: only targets in its own AZ (an empty AZ answers 503).
// A node fails with its AZ: DNS keeps handing out its address for one TTL (60 s), and the
// clients sent there cannot connect (504); then DNS spreads them over the other nodes.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/cloud/fleet.hpp"
#include "sim/cloud/target_group.hpp"
#include "sim/core/random.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

class LoadBalancer {
  public:
    static constexpr SimTime kDnsTtl = 60 * kSecond;  // Route 53 TTL of the ELB's records
    // How long an ALB waits to connect to a target before answering 504 (ELB troubleshooting:
    // "the load balancer failed to establish a connection to the target before the connection
    // timeout expired (10 seconds)").
    static constexpr SimTime kConnectTimeout = 10 * kSecond;

    // A target group of the listener's default forward action and its weight (0..999).
    struct Forward {
        TargetGroup* group = nullptr;
        int weight = 1;
    };

    // `index`: its place among the run's load balancers (Request::load_balancer). `forwards`:
    // the default action's target groups (none: no listener); `seed` draws a weighted forward.
    LoadBalancer(std::uint16_t index, const scenario::LoadBalancerSpec& spec,
                 std::vector<int> node_zones, int zone_count, std::vector<Forward> forwards,
                 std::uint64_t seed, Fleet& fleet);

    std::uint16_t index() const { return index_; }
    const std::string& name() const { return spec_.name; }
    const scenario::LoadBalancerSpec& spec() const { return spec_; }
    const std::vector<int>& node_zones() const { return node_zones_; }
    // Its listeners, in the scenario's order (0: the first, which carries the workloads that
    // name no listener_port): each one's default forward and the sum of its weights.
    const std::vector<Forward>& forwards(std::size_t listener = 0) const {
        return listeners_[listener].forwards;
    }
    int total_weight(std::size_t listener = 0) const { return listeners_[listener].total_weight; }
    std::size_t listener_count() const { return listeners_.size(); }
    // Another listener (a second port) and its default forward: listener_count() - 1.
    void add_listener(std::vector<Forward> forwards);
    // The listener's default action now forwards to another target group (blue/green).
    void set_target_group(TargetGroup* tg, std::size_t listener = 0) {
        set_forwards({{tg, 1}}, listener);
    }
    // A target group's weight in the listener's forward (added to it if absent).
    void set_weight(TargetGroup* tg, int weight, std::size_t listener = 0);
    void set_routing_observer(RoutingObserver* observer) { routing_observer_ = observer; }

    // Sends a request (pooled, state Free) that arrived on `listener` to a target. Ok: a
    // target took it; otherwise the answer the client gets at once. Reads the time from the
    // target group's clock.
    Outcome handle(std::uint32_t slot, RequestPool& requests, std::size_t listener = 0);

    // The node of `zone` goes down with its AZ (false) or comes back with it (true). While
    // down, DNS still hands out its address for kDnsTtl after the failure, and those clients
    // get 504 at once (they cannot connect); then DNS leaves it out. A node that comes back is
    // used again at once. With every node down, every request gets 504 (Route 53 hands out
    // all the addresses when none is healthy). Zones without a node are ignored.
    void set_zone_available(int zone, bool available);

    // Per node (index in node_zones()): up or down, the requests DNS sent to it, and of
    // those the ones that got 504 because it was down.
    bool node_up(std::size_t node) const { return nodes_[node].up; }
    std::uint64_t node_requests(std::size_t node) const { return nodes_[node].requests; }
    std::uint64_t node_unreachable(std::size_t node) const { return nodes_[node].unreachable; }
    // For the fluid mode, which spreads rates the way handle() spreads requests: whether DNS
    // hands out the node's address at `t`, and the AZs the load balancer is enabled in.
    bool node_in_dns(std::size_t node, SimTime t) const { return in_dns(nodes_[node], t); }
    const std::vector<char>& zone_enabled() const { return zone_enabled_; }

    // What the clients of its requests got back (RequestAccounting counts them).
    const ResponseCounts& responses() const { return responses_; }
    void count_response(Outcome o, SimTime latency) { responses_.add(o, latency); }
    // Fluid mode: n outcomes at once (`by_target`: n 503s of targets whose queue was full),
    // and the weighted response time of successful ones, the load balancer's and a group's.
    void count_responses(Outcome o, std::uint64_t n, bool by_target = false) {
        responses_.by_outcome[static_cast<int>(o)] += n;
        if (by_target) responses_.target_503 += n;
    }
    void add_response_time(double seconds) { responses_.response_time_sum_s += seconds; }
    void add_group_response_time(std::uint16_t group, double seconds) {
        group_responses(group).response_time_sum_s += seconds;
    }
    // add_response_time(term(k)) for k < n, in order, and returns the terms' sum (for the
    // target group's sum, added once). Performance: the load balancer's sum is kept in a
    // register through the loop, not read and written back for each term (the fluid mode adds
    // a few hundred weighted points at every step and every 10 s or 30 s period's end).
    template <typename Term>
    double add_response_times(std::size_t n, Term&& term) {
        double all = responses_.response_time_sum_s;
        double sum = 0;
        for (std::size_t k = 0; k < n; ++k) {
            const double seconds = term(k);
            all += seconds;
            sum += seconds;
        }
        responses_.response_time_sum_s = all;
        return sum;
    }
    // Per target group (TargetGroup::index()): what its targets answered this load balancer's
    // clients (CloudWatch's TargetResponseTime and HTTPCode_Target_* by TargetGroup). Request
    // mode counts each request that reached a target by the group of its target; fluid mode
    // counts its targets' 2xx, 500, 502 and full-queue 503 (count_group_responses) and the
    // response time of their 2xx (add_response_time), per target group in both.
    const ResponseCounts& group_responses(std::uint16_t group) const {
        return group < group_responses_.size() ? group_responses_[group] : kNoResponses;
    }
    void count_group_response(std::uint16_t group, Outcome o, SimTime latency) {
        group_responses(group).add(o, latency);
    }
    void count_group_responses(std::uint16_t group, Outcome o, std::uint64_t n, bool by_target) {
        ResponseCounts& r = group_responses(group);
        r.by_outcome[static_cast<int>(o)] += n;
        if (by_target) r.target_503 += n;
    }
    // Request mode: a target of `group` refused a request with its own 503, its queue full
    // (counted as a 503 already): the target's 5xx, not the load balancer's.
    void count_target_refusal(std::uint16_t group) {
        ++responses_.target_503;
        ++group_responses(group).target_503;
    }

    // Requests a node that is up received and answered itself, with no target taking them
    // (503: no target; 502, 503 or 504: the target refused it, its queue was full or nothing
    // answered at its address), since the start: they are billed (LCUs: a new connection and
    // the request's bytes) though no target counted them. A down node's clients never reach
    // it and are not counted. Fractional in fluid mode.
    double answered_itself() const { return answered_itself_; }
    void count_answered_itself(double n) { answered_itself_ += n; }

  private:
    struct Node {
        bool up = true;
        SimTime down_since = kNever;
        std::uint64_t requests = 0;
        std::uint64_t unreachable = 0;
    };
    SimTime now() const;
    bool in_dns(const Node& n, SimTime now) const { return n.up || now < n.down_since + kDnsTtl; }

    std::uint16_t index_;
    scenario::LoadBalancerSpec spec_;
    std::vector<int> node_zones_;  // the AZ of each node
    std::vector<Node> nodes_;
    std::vector<char> zone_enabled_;
    struct Listener {
        std::vector<Forward> forwards;  // empty: no listener, every request gets 503
        int total_weight = 0;
    };
    void set_forwards(std::vector<Forward> forwards, std::size_t listener = 0);
    // The target group of one request: the only one, or one drawn by weight; nullptr when
    // every weight is 0 or there is no listener.
    TargetGroup* choose_group(const Listener& listener);

    std::vector<Listener> listeners_;  // at least one (the first, maybe without a forward)
    RandomStream forward_stream_;      // draws a weighted forward's group (2+ groups only)
    Fleet& fleet_;
    RoutingObserver* routing_observer_ = nullptr;  // fluid mode only
    std::uint32_t dns_cursor_ = 0;  // round-robin DNS: each node in DNS gets 1/n of the clients
    ResponseCounts responses_;
    double answered_itself_ = 0;
    // By target group index; grown when a group first answers (not per request).
    std::vector<ResponseCounts> group_responses_;
    ResponseCounts& group_responses(std::uint16_t group) {
        if (group >= group_responses_.size()) group_responses_.resize(group + 1u);
        return group_responses_[group];
    }
    static const ResponseCounts kNoResponses;
};

// Tells every target group which AZs' targets the load balancers use
// (TargetGroup::set_zones_in_use): a load balancer uses a group when one of its listeners
// forwards to it now, at any weight; it uses the group's targets in the AZs it is enabled in.
// Called once built and after each change of a listener's forward.
void mark_zones_in_use(const std::vector<std::unique_ptr<LoadBalancer>>& load_balancers,
                       const std::vector<std::unique_ptr<TargetGroup>>& groups);

}  // namespace stratus::cloud
