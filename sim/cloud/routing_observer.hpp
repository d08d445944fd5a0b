#pragma once
// Told when what the fluid mode's routing and queue states depend on changes: a target's
// state, the targets, a load balancer's nodes or listener, a database's availability. The
// fluid mode re-solves its rates then.

namespace stratus::cloud {

struct RoutingObserver {
    virtual void routing_changed() = 0;

  protected:
    ~RoutingObserver() = default;
};

}  // namespace stratus::cloud
