#pragma once
// An Elastic Load Balancer: one node per enabled AZ, clients spread over the nodes by DNS, and
// the listener's default action forwarding to a target group. Cross-zone on: a node may pick
// any target in an enabled AZ; off: only targets in its own AZ (an empty AZ answers 503).
#include <cstdint>
#include <string>
#include <vector>

#include "sim/cloud/fleet.hpp"
#include "sim/cloud/target_group.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

class LoadBalancer {
  public:
    LoadBalancer(const scenario::LoadBalancerSpec& spec, std::vector<int> node_zones,
                 int zone_count, TargetGroup* default_target_group, Fleet& fleet);

    const std::string& name() const { return spec_.name; }
    const scenario::LoadBalancerSpec& spec() const { return spec_; }
    const std::vector<int>& node_zones() const { return node_zones_; }
    TargetGroup* target_group() const { return target_group_; }

    // Sends a request (pooled, state Free) to a target. Ok: a target took it; otherwise the
    // answer the client gets at once.
    Outcome handle(std::uint32_t slot, RequestPool& requests);

  private:
    scenario::LoadBalancerSpec spec_;
    std::vector<int> node_zones_;  // the AZ of each node
    std::vector<char> zone_enabled_;
    TargetGroup* target_group_;  // null: no listener, every request gets 503
    Fleet& fleet_;
    std::uint32_t dns_cursor_ = 0;  // round-robin DNS: each node gets 1/n of the clients
};

}  // namespace stratus::cloud
