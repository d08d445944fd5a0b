#include "sim/cloud/load_balancer.hpp"

#include <algorithm>

namespace stratus::cloud {

const ResponseCounts LoadBalancer::kNoResponses{};

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
    listeners_.emplace_back();
    set_forwards(std::move(forwards));
}

SimTime LoadBalancer::now() const {
    for (const Listener& l : listeners_)
        if (!l.forwards.empty()) return l.forwards.front().group->simulation().now();
    return 0;
}

void LoadBalancer::add_listener(std::vector<Forward> forwards) {
    listeners_.emplace_back();
    set_forwards(std::move(forwards), listeners_.size() - 1);
}

void LoadBalancer::set_forwards(std::vector<Forward> forwards, std::size_t listener) {
    Listener& l = listeners_[listener];
    l.forwards = std::move(forwards);
    l.total_weight = 0;
    for (const Forward& f : l.forwards)
        l.total_weight += f.weight;
    if (routing_observer_) routing_observer_->routing_changed();
}

void LoadBalancer::set_weight(TargetGroup* tg, int weight, std::size_t listener) {
    std::vector<Forward> forwards = listeners_[listener].forwards;
    auto it = std::find_if(forwards.begin(), forwards.end(),
                           [&](const Forward& f) { return f.group == tg; });
    if (it == forwards.end())
        forwards.push_back({tg, weight});
    else
        it->weight = weight;
    set_forwards(std::move(forwards), listener);
}

TargetGroup* LoadBalancer::choose_group(const Listener& l) {
    if (l.total_weight <= 0) return nullptr;
    if (l.forwards.size() == 1) return l.forwards.front().group;
    // One uniform draw over the sum of the weights: a group of weight 0 is never drawn.
    auto x = static_cast<int>(forward_stream_.below(static_cast<std::uint64_t>(l.total_weight)));
    for (const Forward& f : l.forwards) {
        if (x < f.weight) return f.group;
        x -= f.weight;
    }
    return l.forwards.back().group;  // not reached: x < total_weight
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

Outcome LoadBalancer::handle(std::uint32_t slot, RequestPool& requests, std::size_t listener) {
    if (node_zones_.empty()) return Outcome::Http503;
    TargetGroup* group = choose_group(listeners_[listener]);
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
                       const std::vector<std::unique_ptr<TargetGroup>>& groups) {
    for (const auto& tg : groups) {
        std::vector<char> in_use;
        for (const auto& lb : load_balancers) {
            const std::vector<char>& enabled = lb->zone_enabled();
            in_use.resize(enabled.size(), 0);
            bool used = false;
            for (std::size_t l = 0; l < lb->listener_count(); ++l)
                for (const auto& f : lb->forwards(l))
                    used = used || f.group == tg.get();
            for (std::size_t z = 0; used && z < enabled.size(); ++z)
                in_use[z] = static_cast<char>(in_use[z] || enabled[z]);
        }
        tg->set_zones_in_use(in_use);
    }
}

}  // namespace stratus::cloud
