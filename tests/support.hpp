#pragma once
// Helpers shared by the tests: small scenarios built in code, and running the CLI.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "sim/scenario/spec.hpp"

namespace stratus::testing {

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

// A `latency` fault: `extra` added to every request of the AZ or group `target` from `at`
// for `duration`.
inline scenario::FaultSpec latency_fault(const std::string& target, SimTime at, SimTime duration,
                                         SimTime extra) {
    scenario::FaultSpec f;
    f.type = scenario::FaultType::Latency;
    f.target = target;
    f.at = at;
    f.duration = duration;
    f.extra = scenario::DurationDist::constant(extra);
    return f;
}

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline void write_file(const std::string& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
}

// The viewer's UI strings, read from viz/ui_text.cpp as text (the viewer is not linked into
// the tests): each {"English", "Korean"} pair, adjacent literals joined as the compiler joins
// them, wherever the formatter broke the lines.
inline std::vector<std::pair<std::string, std::string>> viewer_ui_text() {
    const std::string src = read_file(std::string(STRATUS_SOURCE_DIR) + "/viz/ui_text.cpp");
    auto skip_space = [&](std::size_t at) { return src.find_first_not_of(" \n", at); };
    // The string at `at` (a '"'), adjacent literals joined; `at` moves past it.
    auto literal = [&](std::size_t& at) {
        std::string out;
        while (at < src.size() && src[at] == '"') {
            for (++at; at < src.size() && src[at] != '"'; ++at) {
                if (src[at] == '\\') ++at;
                out += src[at];
            }
            at = skip_space(at + 1);
        }
        return out;
    };
    std::vector<std::pair<std::string, std::string>> pairs;
    for (auto at = src.find("{\""); at != std::string::npos; at = src.find("{\"", at)) {
        ++at;
        const std::string en = literal(at);
        if (at == std::string::npos || src[at] != ',') continue;
        at = skip_space(at + 1);
        if (at == std::string::npos || src[at] != '"') continue;
        const std::string ko = literal(at);
        if (at != std::string::npos && src[at] == '}') pairs.emplace_back(en, ko);
    }
    return pairs;
}

}  // namespace stratus::testing
