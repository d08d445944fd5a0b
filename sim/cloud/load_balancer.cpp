#include "sim/cloud/load_balancer.hpp"

namespace stratus::cloud {

LoadBalancer::LoadBalancer(const scenario::LoadBalancerSpec& spec, std::vector<int> node_zones,
                           int zone_count, TargetGroup* default_target_group, Fleet& fleet)
    : spec_(spec),
      node_zones_(std::move(node_zones)),
      zone_enabled_(zone_count, 0),
      target_group_(default_target_group),
      fleet_(fleet) {
    for (int z : node_zones_)
        zone_enabled_[z] = 1;
}

Outcome LoadBalancer::handle(std::uint32_t slot, RequestPool& requests) {
    if (node_zones_.empty() || target_group_ == nullptr) return Outcome::Http503;
    const std::uint32_t node = dns_cursor_;
    dns_cursor_ = (dns_cursor_ + 1) % node_zones_.size();
    requests[slot].lb_node = static_cast<std::uint16_t>(node);
    const int target = target_group_->route(node_zones_[node],
                                            spec_.enable_cross_zone_load_balancing, zone_enabled_);
    if (target < 0) return Outcome::Http503;  // no target can take it
    return fleet_[static_cast<std::uint32_t>(target)].accept(slot);
}

}  // namespace stratus::cloud
