#pragma once
// Helpers shared by the benchmarks (they do not use the tests' helpers: the tests may change
// their small scenarios at will, the benchmarks' figures must stay comparable over time).
#include <string>

#include "sim/scenario/spec.hpp"

namespace stratus::bench {

// One target group behind one ALB, one group at fixed capacity, one workload at a constant
// rate. Instances boot and start at once, so the fleet is healthy after one check interval.
inline scenario::Spec basic_spec(int instances, double rate, const std::string& type = "m5.large") {
    using namespace scenario;
    Spec s;
    s.source_file = "<test>";
    s.simulation.name = "test";
    s.simulation.duration = 600 * kSecond;
    s.region.name = "us-east-1";
    s.region.availability_zones = {"us-east-1a", "us-east-1b"};

    LaunchTemplateSpec lt;
    lt.name = "web";
    lt.instance_type = type;
    lt.boot_time = DurationDist::constant(0);
    lt.app_start_time = DurationDist::constant(0);
    lt.max_queue = 100000;
    s.launch_template.push_back(lt);

    TargetGroupSpec tg;
    tg.name = "tg";
    tg.health_check.interval = 5;
    s.target_group.push_back(tg);

    LoadBalancerSpec lb;
    lb.name = "alb";
    lb.availability_zones = s.region.availability_zones;
    s.load_balancer.push_back(lb);

    LbListenerSpec l;
    l.load_balancer = "alb";
    l.target_group = "tg";
    s.lb_listener.push_back(l);

    AutoScalingGroupSpec g;
    g.name = "web";
    g.launch_template = "web";
    g.min_size = g.max_size = g.desired_capacity = instances;
    g.availability_zones = s.region.availability_zones;
    g.target_groups = {"tg"};
    s.autoscaling_group.push_back(g);

    WorkloadSpec w;
    w.name = "clients";
    w.load_balancer = "alb";
    // Closed for the first 10 s, while the fleet passes its first health check.
    w.rate.shape = RateShape::Steps;
    w.rate.steps = {{0, 0.0}, {10 * kSecond, rate}};
    w.service_time.kind = DistKind::Exponential;
    w.service_time.mean = 50 * kMillisecond;
    w.timeout = 3600 * kSecond;
    s.workload.push_back(w);
    return s;
}

}  // namespace stratus::bench
