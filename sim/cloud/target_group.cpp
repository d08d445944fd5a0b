#include "sim/cloud/target_group.hpp"

#include "sim/report/recorder.hpp"

namespace stratus::cloud {

const char* to_string(TargetHealthState s) {
    switch (s) {
        case TargetHealthState::Initial:
            return "initial";
        case TargetHealthState::Healthy:
            return "healthy";
        case TargetHealthState::Unhealthy:
            return "unhealthy";
        case TargetHealthState::Unused:
            return "unused";
        case TargetHealthState::Draining:
            return "draining";
        case TargetHealthState::Unavailable:
            return "unavailable";
    }
    return "?";
}

TargetGroup::TargetGroup(const scenario::TargetGroupSpec& spec, int zone_count, std::uint64_t seed,
                         Simulation& sim, Fleet& fleet, report::Recorder& recorder)
    : spec_(spec),
      sim_(sim),
      fleet_(fleet),
      recorder_(recorder),
      phase_stream_(seed, "health_check/" + spec.name),
      healthy_in_zone_(zone_count, 0),
      unhealthy_in_zone_(zone_count, 0),
      cursor_(zone_count, 0) {}

void TargetGroup::register_target(std::uint32_t instance) {
    Target t;
    t.instance = instance;
    t.availability_zone = fleet_[instance].config().availability_zone;
    const auto index = static_cast<std::uint32_t>(targets_.size());
    // Each target's checks run on their own phase: the first comes within one interval.
    const SimTime interval = spec_.health_check.interval * kSecond;
    const SimTime phase = 1 + static_cast<SimTime>(phase_stream_.uniform01() * (interval - 1));
    t.next_check = sim_.timer_in(phase, this, kHealthCheck, index);
    targets_.push_back(t);
    recorder_.log().add(sim_.now(), "target_registered",
                        {{"target_group", spec_.name},
                         {"instance", fleet_[instance].name()},
                         {"state", to_string(TargetHealthState::Initial)},
                         {"reason", "Elb.RegistrationInProgress"}});
}

void TargetGroup::set_state(Target& t, TargetHealthState s, const char* reason) {
    if (t.state == s) return;
    auto adjust = [&](TargetHealthState st, int delta) {
        if (st == TargetHealthState::Healthy) {
            healthy_total_ += delta;
            healthy_in_zone_[t.availability_zone] += delta;
        } else if (st == TargetHealthState::Unhealthy) {
            unhealthy_total_ += delta;
            unhealthy_in_zone_[t.availability_zone] += delta;
        }
    };
    adjust(t.state, -1);
    adjust(s, +1);
    recorder_.log().add(sim_.now(), "target_health_changed",
                        {{"target_group", spec_.name},
                         {"instance", fleet_[t.instance].name()},
                         {"from", to_string(t.state)},
                         {"to", to_string(s)},
                         {"reason", reason}});
    t.state = s;
}

void TargetGroup::on_event(const Event& e) {
    if (e.kind != kHealthCheck) return;
    Target& t = targets_[e.arg];
    const auto& hc = spec_.health_check;
    const bool ok = fleet_[t.instance].answers_health_check();
    if (ok) {
        ++t.consecutive_ok;
        t.consecutive_failed = 0;
    } else {
        ++t.consecutive_failed;
        t.consecutive_ok = 0;
    }
    switch (t.state) {
        case TargetHealthState::Initial:
            // A newly registered target must pass one check to be considered healthy.
            if (ok) {
                set_state(t, TargetHealthState::Healthy, "Target.HealthCheckPassed");
            } else if (t.consecutive_failed >= hc.unhealthy_threshold) {
                set_state(t, TargetHealthState::Unhealthy, "Target.FailedHealthChecks");
            }
            break;
        case TargetHealthState::Healthy:
            if (t.consecutive_failed >= hc.unhealthy_threshold) {
                set_state(t, TargetHealthState::Unhealthy, "Target.FailedHealthChecks");
            }
            break;
        case TargetHealthState::Unhealthy:
            if (t.consecutive_ok >= hc.healthy_threshold) {
                set_state(t, TargetHealthState::Healthy, "Target.HealthCheckPassed");
            }
            break;
        default:
            break;
    }
    t.next_check = sim_.timer_in(hc.interval * kSecond, this, kHealthCheck, e.arg);
}

bool TargetGroup::eligible(const Target& t, int node_zone, bool cross_zone,
                           const std::vector<char>& zone_enabled, bool fail_open) const {
    if (cross_zone ? !zone_enabled[t.availability_zone] : t.availability_zone != node_zone) {
        return false;
    }
    return t.state == TargetHealthState::Healthy ||
           (fail_open && t.state == TargetHealthState::Unhealthy);
}

int TargetGroup::route(int node_zone, bool cross_zone, const std::vector<char>& zone_enabled) {
    const std::size_t n = targets_.size();
    if (n == 0) return -1;
    int healthy = 0, unhealthy = 0;
    if (cross_zone) {
        for (std::size_t z = 0; z < healthy_in_zone_.size(); ++z) {
            if (!zone_enabled[z]) continue;
            healthy += healthy_in_zone_[z];
            unhealthy += unhealthy_in_zone_[z];
        }
    } else {
        healthy = healthy_in_zone_[node_zone];
        unhealthy = unhealthy_in_zone_[node_zone];
    }
    // With no healthy target the load balancer fails open to the unhealthy ones, as AWS does.
    const bool fail_open = healthy == 0;
    if (healthy == 0 && unhealthy == 0) return -1;

    std::uint32_t& cursor = cursor_[node_zone];
    if (spec_.load_balancing_algorithm_type == scenario::LoadBalancingAlgorithm::RoundRobin) {
        for (std::size_t k = 0; k < n; ++k) {
            const std::size_t i = (cursor + k) % n;
            if (eligible(targets_[i], node_zone, cross_zone, zone_enabled, fail_open)) {
                cursor = static_cast<std::uint32_t>((i + 1) % n);
                return static_cast<int>(targets_[i].instance);
            }
        }
        return -1;
    }
    // Least outstanding requests; ties go to the first after a rotating start, so that an idle
    // fleet is still shared evenly.
    int best = -1;
    int best_outstanding = 0;
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = (cursor + k) % n;
        const Target& t = targets_[i];
        if (!eligible(t, node_zone, cross_zone, zone_enabled, fail_open)) continue;
        const int o = fleet_[t.instance].outstanding();
        if (best < 0 || o < best_outstanding) {
            best = static_cast<int>(i);
            best_outstanding = o;
        }
    }
    if (best < 0) return -1;
    cursor = static_cast<std::uint32_t>((cursor + 1) % n);
    return static_cast<int>(targets_[best].instance);
}

}  // namespace stratus::cloud
