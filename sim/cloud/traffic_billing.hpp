#pragma once
// What each 10 s slice's traffic costs: the load balancers' LCUs and processed bytes (from the
// slice CloudWatch has just published), the instances' data transfer to the internet, S3 and
// DynamoDB by their subnet's route, and the database bytes that cross AZs. The World builds it
// once the workloads and routes exist and hands it every slice; it tells the CostMeter.
#include <memory>
#include <vector>

#include "sim/cloud/cloudwatch_service.hpp"
#include "sim/cloud/cost_meter.hpp"
#include "sim/cloud/load_balancer.hpp"
#include "sim/cloud/workload.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

// The mean size of a request and of a response over the scenario's workloads (each workload
// weighs the same): the load balancers' processed bytes and CloudWatch's ProcessedBytes.
struct MessageBytes {
    double request = 0;
    double response = 0;
};
MessageBytes mean_message_bytes(const scenario::Spec& spec);

// Where each (placement x zones + zone)'s traffic leaves (World::build_routes).
struct TrafficRoutes {
    // Internet traffic: a NAT gateway's index, -1 without a NAT charge (an internet gateway
    // or a NAT instance that forwards), -2 no way out.
    std::vector<int> internet;
    // Per 2 x (placement x zones + zone) + service (S3, DynamoDB): the NAT gateway that
    // processes the traffic to the service, -1 without a charge (a gateway endpoint, an
    // internet gateway or a NAT instance), -2 no way there.
    std::vector<int> services;
};

class TrafficBilling {
  public:
    TrafficBilling(const scenario::Spec& spec,
                   const std::vector<std::unique_ptr<LoadBalancer>>& load_balancers,
                   const std::vector<std::unique_ptr<Workload>>& workloads, TrafficRoutes routes,
                   CostMeter& cost);

    // Bills the slice [slice_start, slice_end) CloudWatch published as `slices` (one per load
    // balancer).
    void bill(SimTime slice_start, SimTime slice_end, const std::vector<LbSlice>& slices);

  private:
    void bill_load_balancers(double seconds, const std::vector<LbSlice>& slices);
    void bill_instance_traffic();

    // Per load balancer: how its clients hold connections and the billable rule evaluations
    // per request of the listener each one's traffic takes (the means over the workloads that
    // use it; the first listener's without one); for the LCU.
    struct LbClients {
        double requests_per_connection = 1;
        double connection_duration_s = 0;
        double billable_rules = 0;
    };
    static std::vector<LbClients> clients_of(
        const scenario::Spec& spec,
        const std::vector<std::unique_ptr<LoadBalancer>>& load_balancers);

    const std::vector<std::unique_ptr<LoadBalancer>>& load_balancers_;
    const std::vector<std::unique_ptr<Workload>>& workloads_;
    CostMeter& cost_;
    MessageBytes bytes_;
    std::vector<LbClients> lb_clients_;
    TrafficRoutes routes_;
    std::vector<double> lb_answered_at_slice_start_;  // LoadBalancer::answered_itself()
    std::vector<LoadBalancerTraffic> lb_traffic_;     // reused every slice
    std::vector<double> outbound_billed_;             // bytes billed so far, per route_ entry
    std::vector<double> service_billed_;              // per routes_.services entry
};

}  // namespace stratus::cloud
