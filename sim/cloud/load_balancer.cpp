#include "sim/cloud/load_balancer.hpp"

#include <algorithm>

namespace stratus::cloud {

LoadBalancer::LoadBalancer(std::uint16_t index, const scenario::LoadBalancerSpec& spec,
                           std::vector<int> node_zones, int zone_count,
                           std::vector<Forward> forwards, std::uint64_t seed, Fleet& fleet)
    : index_(index),
      spec_(spec),
      node_zones_(std::move(node_zones)),
      nodes_(node_zones_.size()),
      zone_enabled_(zone_count, 0),
      forward_stream_(seed, "load_balancer/" + spec.name + "/forward"),
      fleet_(fleet) {
    for (int z : node_zones_)
        zone_enabled_[z] = 1;
    set_forwards(std::move(forwards));
}

SimTime LoadBalancer::now() const {
    return forwards_.empty() ? 0 : forwards_.front().group->simulation().now();
}

void LoadBalancer::set_forwards(std::vector<Forward> forwards) {
    forwards_ = std::move(forwards);
    total_weight_ = 0;
    for (const Forward& f : forwards_)
        total_weight_ += f.weight;
    if (routing_observer_) routing_observer_->routing_changed();
}

void LoadBalancer::set_weight(TargetGroup* tg, int weight) {
    std::vector<Forward> forwards = forwards_;
    auto it = std::find_if(forwards.begin(), forwards.end(),
                           [&](const Forward& f) { return f.group == tg; });
    if (it == forwards.end())
        forwards.push_back({tg, weight});
    else
        it->weight = weight;
    set_forwards(std::move(forwards));
}

TargetGroup* LoadBalancer::choose_group() {
    if (total_weight_ <= 0) return nullptr;
    if (forwards_.size() == 1) return forwards_.front().group;
    // One uniform draw over the sum of the weights: a group of weight 0 is never drawn.
    auto x = static_cast<int>(forward_stream_.below(static_cast<std::uint64_t>(total_weight_)));
    for (const Forward& f : forwards_) {
        if (x < f.weight) return f.group;
        x -= f.weight;
    }
    return forwards_.back().group;  // not reached: x < total_weight_
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
    TargetGroup* group = choose_group();
    if (group == nullptr) {  // no listener forwards it, or every weight is 0
        answered_itself_ += 1;
        return Outcome::Http503;
    }
    // Round-robin DNS over the nodes whose address DNS still hands out; when it hands out
    // none (every node down for longer than the TTL), over all of them.
    // Performance: the cursor wraps by comparison, not by division (a request's routing
    // divided five times).
    const std::size_t n = nodes_.size();
    const std::size_t start = dns_cursor_ < n ? dns_cursor_ : dns_cursor_ % n;
    std::size_t node = start;
    const SimTime t = now();
    for (std::size_t k = 0, i = start; k < n; ++k, i = (i + 1 == n ? 0 : i + 1)) {
        if (in_dns(nodes_[i], t)) {
            node = i;
            break;
        }
    }
    dns_cursor_ = static_cast<std::uint32_t>(node + 1 == n ? 0 : node + 1);
    Node& chosen = nodes_[node];
    ++chosen.requests;
    if (!chosen.up) {
        // The client cannot connect to a node that is down; it sees a gateway timeout (504).
        ++chosen.unreachable;
        return Outcome::Http504;
    }
    const int target =
        group->route(node_zones_[node], spec_.enable_cross_zone_load_balancing, zone_enabled_);
    if (target < 0) {  // no target can take it
        answered_itself_ += 1;
        return Outcome::Http503;
    }
    requests[slot].target_group = group->index();
    const Outcome o = fleet_[static_cast<std::uint32_t>(target)].accept(slot);
    if (o != Outcome::Ok) answered_itself_ += 1;
    return o;
}

void mark_zones_in_use(const std::vector<std::unique_ptr<LoadBalancer>>& load_balancers,
                       const std::vector<scenario::LbListenerSpec>& listeners,
                       const std::vector<std::unique_ptr<TargetGroup>>& groups) {
    for (const auto& tg : groups) {
        std::vector<char> in_use;
        for (const auto& lb : load_balancers) {
            const std::vector<char>& enabled = lb->zone_enabled();
            in_use.resize(enabled.size(), 0);
            bool used = false;
            for (const auto& f : lb->forwards())
                used = used || f.group == tg.get();
            bool first = true;  // the first listener's forward is lb->forwards()
            for (const auto& l : listeners) {
                if (l.load_balancer != lb->name()) continue;
                if (!first)
                    for (const auto& f : scenario::forwards_of(l))
                        used = used || f.arn == tg->name();
                first = false;
            }
            for (std::size_t z = 0; used && z < enabled.size(); ++z)
                in_use[z] = static_cast<char>(in_use[z] || enabled[z]);
        }
        tg->set_zones_in_use(in_use);
    }
}

}  // namespace stratus::cloud
