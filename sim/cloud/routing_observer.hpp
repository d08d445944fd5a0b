#pragma once
// Told when what the fluid mode's routing and queue states depend on changes: a target's
// state, the targets, a load balancer's nodes or listener, a database's availability. The
// fluid mode re-solves its rates then.

namespace stratus::cloud {

struct RoutingObserver {
    virtual void routing_changed() = 0;
    // A target's health state changed (its instance is as it was) and its group and zone
    // still have a healthy target, or still have none: the fluid mode may take the new
    // routes at its next whole second (fluid_model.cpp says why).
    virtual void target_health_changed() { routing_changed(); }

  protected:
    ~RoutingObserver() = default;
};

}  // namespace stratus::cloud
