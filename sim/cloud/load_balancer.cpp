#include "sim/cloud/load_balancer.hpp"

namespace stratus::cloud {

LoadBalancer::LoadBalancer(std::uint16_t index, const scenario::LoadBalancerSpec& spec,
                           std::vector<int> node_zones, int zone_count,
                           TargetGroup* default_target_group, Fleet& fleet)
    : index_(index),
      spec_(spec),
      node_zones_(std::move(node_zones)),
      nodes_(node_zones_.size()),
      zone_enabled_(zone_count, 0),
      target_group_(default_target_group),
      fleet_(fleet) {
    for (int z : node_zones_)
        zone_enabled_[z] = 1;
}

SimTime LoadBalancer::now() const {
    return target_group_ ? target_group_->simulation().now() : 0;
}

void LoadBalancer::set_zone_available(int zone, bool available) {
    if (routing_observer_) routing_observer_->routing_changed();
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        if (node_zones_[i] != zone) continue;
        Node& n = nodes_[i];
        if (!available && n.up) {
            n.up = false;
            n.down_since = now();
        } else if (available && !n.up) {
            n.up = true;
            n.down_since = kNever;
        }
    }
}

Outcome LoadBalancer::handle(std::uint32_t slot, RequestPool& requests) {
    if (node_zones_.empty()) return Outcome::Http503;
    if (target_group_ == nullptr) {  // no listener forwards it
        answered_itself_ += 1;
        return Outcome::Http503;
    }
    // Round-robin DNS over the nodes whose address DNS still hands out; when it hands out
    // none (every node down for longer than the TTL), over all of them.
    const std::size_t n = nodes_.size();
    std::size_t node = dns_cursor_ % n;
    const SimTime t = now();
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = (dns_cursor_ + k) % n;
        if (in_dns(nodes_[i], t)) {
            node = i;
            break;
        }
    }
    dns_cursor_ = static_cast<std::uint32_t>((node + 1) % n);
    Node& chosen = nodes_[node];
    ++chosen.requests;
    if (!chosen.up) {
        // The client cannot connect to a node that is down; it sees a gateway timeout (504).
        ++chosen.unreachable;
        return Outcome::Http504;
    }
    const int target = target_group_->route(node_zones_[node],
                                            spec_.enable_cross_zone_load_balancing, zone_enabled_);
    if (target < 0) {  // no target can take it
        answered_itself_ += 1;
        return Outcome::Http503;
    }
    requests[slot].target_group = target_group_->index();
    const Outcome o = fleet_[static_cast<std::uint32_t>(target)].accept(slot);
    if (o != Outcome::Ok) answered_itself_ += 1;
    return o;
}

}  // namespace stratus::cloud
