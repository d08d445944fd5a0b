#include "sim/cloud/traffic_billing.hpp"

#include <string>

#include "sim/cloud/billing.hpp"

namespace stratus::cloud {

MessageBytes mean_message_bytes(const scenario::Spec& spec) {
    MessageBytes m;
    for (const auto& w : spec.workload) {
        m.request += static_cast<double>(w.request_bytes) / spec.workload.size();
        m.response += static_cast<double>(w.response_bytes) / spec.workload.size();
    }
    return m;
}

TrafficBilling::TrafficBilling(const scenario::Spec& spec,
                               const std::vector<std::unique_ptr<LoadBalancer>>& load_balancers,
                               const std::vector<std::unique_ptr<Workload>>& workloads,
                               TrafficRoutes routes, CostMeter& cost)
    : load_balancers_(load_balancers),
      workloads_(workloads),
      cost_(cost),
      bytes_(mean_message_bytes(spec)),
      lb_clients_(clients_of(spec, load_balancers)),
      routes_(std::move(routes)),
      lb_answered_at_slice_start_(load_balancers.size(), 0.0),
      outbound_billed_(routes_.internet.size(), 0.0),
      service_billed_(routes_.services.size(), 0.0) {}

namespace {

// The rules of the load balancer's listener at `position` (the scenario's order among its own).
int listener_rules(const scenario::Spec& spec, const std::string& load_balancer,
                   std::size_t position) {
    for (const auto& l : spec.lb_listener) {
        if (l.load_balancer != load_balancer) continue;
        if (position == 0) return l.rules;
        --position;
    }
    return 0;
}

}  // namespace

std::vector<TrafficBilling::LbClients> TrafficBilling::clients_of(
    const scenario::Spec& spec, const std::vector<std::unique_ptr<LoadBalancer>>& load_balancers) {
    std::vector<LbClients> out(load_balancers.size());
    for (std::size_t b = 0; b < load_balancers.size(); ++b) {
        LbClients& c = out[b];
        const std::string& name = load_balancers[b]->name();
        int n = 0;
        double per_connection = 0, duration = 0, rules = 0;
        for (const auto& w : spec.workload) {
            if (w.load_balancer != name) continue;
            per_connection += w.requests_per_connection;
            duration += to_seconds(w.connection_duration);
            // Billable evaluations per request: the first 10 rules of its listener are free.
            rules += alb_rule_evaluations_per_s(
                1, listener_rules(spec, name, scenario::listener_of(spec, w)));
            ++n;
        }
        if (n > 0) {
            c.requests_per_connection = per_connection / n;
            c.connection_duration_s = duration / n;
            c.billable_rules = rules / n;
        } else {
            c.billable_rules = alb_rule_evaluations_per_s(1, listener_rules(spec, name, 0));
        }
    }
    return out;
}

void TrafficBilling::bill(SimTime slice_start, SimTime slice_end,
                          const std::vector<LbSlice>& slices) {
    bill_load_balancers(to_seconds(slice_end - slice_start), slices);
    cost_.on_slice(slice_end - slice_start, lb_traffic_);
    double cross_az = 0;
    for (const auto& w : workloads_)
        cross_az += w->cross_az_database_bytes();
    cost_.set_inter_az_bytes(cross_az);
    bill_instance_traffic();
}

// Billed as AWS bills them: every request a node received came on a client's connection and
// had its bytes processed and its listener rules evaluated, a target's answer or the load
// balancer's own (502/503/504, whose small error page is left out). The clients' keep-alive
// (lb_client_connections) applies to both alike: an answer of the load balancer's own does not
// make its client open a connection of its own.
void TrafficBilling::bill_load_balancers(double seconds, const std::vector<LbSlice>& slices) {
    lb_traffic_.clear();
    for (std::size_t b = 0; b < load_balancers_.size(); ++b) {
        const LoadBalancer& lb = *load_balancers_[b];
        const LbSlice& slice = slices[b];
        const double answered = lb.answered_itself() - lb_answered_at_slice_start_[b];
        lb_answered_at_slice_start_[b] = lb.answered_itself();
        LoadBalancerTraffic lt;
        lt.mean_in_flight = slice.outstanding;
        lt.requests = static_cast<double>(slice.accepted) + answered;
        lt.processed_bytes =
            static_cast<double>(slice.accepted) * (bytes_.request + bytes_.response) +
            answered * bytes_.request;
        const LbClients& clients = lb_clients_[b];
        const LbConnections connections = lb_client_connections(
            lt.requests / seconds, clients.requests_per_connection, clients.connection_duration_s,
            lb.spec().idle_timeout, lt.mean_in_flight);
        lt.new_connections_per_s = connections.new_per_s;
        lt.active_connections = connections.active;
        lt.rule_evaluations_per_s = lt.requests / seconds * clients.billable_rules;
        lt.internet_out_bytes =
            lb.spec().internal ? 0 : static_cast<double>(slice.accepted) * bytes_.response;
        lb_traffic_.push_back(lt);
    }
}

void TrafficBilling::bill_instance_traffic() {
    // Outbound internet traffic of the slice, through each (placement, zone)'s route.
    for (std::size_t k = 0; k < routes_.internet.size(); ++k) {
        double total = 0;
        for (const auto& w : workloads_)
            total += w->outbound_bytes()[k];
        const double gb = (total - outbound_billed_[k]) / 1e9;
        outbound_billed_[k] = total;
        if (routes_.internet[k] >= -1) cost_.add_outbound(routes_.internet[k], gb);
    }
    // S3 and DynamoDB traffic: NAT processing only when no gateway endpoint takes it.
    for (std::size_t k = 0; k < routes_.services.size(); ++k) {
        double total = 0;
        for (const auto& w : workloads_)
            total += w->service_bytes()[k];
        const double gb = (total - service_billed_[k]) / 1e9;
        service_billed_[k] = total;
        if (routes_.services[k] >= 0) cost_.add_nat_processing(routes_.services[k], gb);
    }
}

}  // namespace stratus::cloud
