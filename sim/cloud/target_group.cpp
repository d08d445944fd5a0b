#include "sim/cloud/target_group.hpp"

#include <algorithm>

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

TargetGroup::TargetGroup(std::uint16_t index, const scenario::TargetGroupSpec& spec, int zone_count,
                         std::uint64_t seed, Simulation& sim, Fleet& fleet, RunObserver& observer)
    : index_(index),
      spec_(spec),
      sim_(sim),
      fleet_(fleet),
      observer_(observer),
      phase_stream_(seed, "health_check/" + spec.name),
      fluid_check_stream_(seed, "fluid/health_check/" + spec.name),
      healthy_in_zone_(zone_count, 0),
      unhealthy_in_zone_(zone_count, 0),
      in_use_(zone_count, 1),
      cursor_(zone_count, 0) {}

void TargetGroup::rebuild_active() {
    if (routing_observer_) routing_observer_->routing_changed();
    active_.clear();
    for (std::uint32_t i = 0; i < targets_.size(); ++i)
        if (!targets_[i].removed) active_.push_back(i);
    const auto n = static_cast<std::uint32_t>(active_.size());
    for (auto& c : cursor_)
        c = n == 0 ? 0 : c % n;
}

int TargetGroup::find_active(std::uint32_t instance) const {
    return instance < active_target_of_.size() ? active_target_of_[instance] : -1;
}

void TargetGroup::register_target(std::uint32_t instance) {
    if (find_active(instance) >= 0) return;  // already registered (or draining)
    Target t;
    t.instance = instance;
    t.availability_zone = fleet_[instance].config().availability_zone;
    // AWS: slow start "does not apply to the first batch in an empty target group"; here a
    // target registered while no target is healthy belongs to that batch.
    t.first_batch = healthy_total_ == 0;
    const auto index = static_cast<std::uint32_t>(targets_.size());
    // Each target's checks run on their own phase: the first comes within one interval.
    const SimTime interval = spec_.health_check.interval * kSecond;
    const SimTime phase = 1 + static_cast<SimTime>(phase_stream_.uniform01() * (interval - 1));
    const bool used = zone_in_use(t.availability_zone);
    if (used) t.next_check = sim_.timer_in(phase, this, kHealthCheck, index);
    targets_.push_back(t);
    active_.push_back(index);
    if (active_target_of_.size() <= instance) active_target_of_.resize(instance + 1, -1);
    active_target_of_[instance] = static_cast<int>(index);
    observer_.log(sim_.now(), event::TargetRegistered{spec_.name, fleet_[instance].name()});
    if (!used) {
        targets_[index].last_failure = "Target.NotInUse";
        set_state(index, TargetHealthState::Unused, "Target.NotInUse");
    }
}

void TargetGroup::set_zones_in_use(const std::vector<char>& in_use) {
    std::vector<char> now = in_use;
    now.resize(in_use_.size(), 0);
    if (now == in_use_) return;
    in_use_ = std::move(now);
    const std::string not_in_use = "Target.NotInUse";
    for (std::uint32_t index : std::vector<std::uint32_t>(active_)) {
        Target& t = targets_[index];
        if (t.removed || t.state == TargetHealthState::Draining) continue;
        const bool used = zone_in_use(t.availability_zone);
        const bool unused_here =
            t.state == TargetHealthState::Unused && t.last_failure == not_in_use;
        if (!used && t.state != TargetHealthState::Unused) {
            sim_.cancel(t.next_check);
            clear_dormant(index);
            t.last_failure = "Target.NotInUse";
            set_state(index, TargetHealthState::Unused, "Target.NotInUse");
        } else if (used && unused_here) {
            // As a new registration: one check within an interval, on its own phase.
            t.consecutive_ok = t.consecutive_failed = 0;
            t.last_failure = "Target.FailedHealthChecks";
            const SimTime interval = spec_.health_check.interval * kSecond;
            const SimTime phase =
                1 + static_cast<SimTime>(phase_stream_.uniform01() * (interval - 1));
            t.next_check = sim_.timer_in(phase, this, kHealthCheck, index);
            set_state(index, TargetHealthState::Initial, "Elb.RegistrationInProgress");
        }
    }
}

void TargetGroup::set_state(std::uint32_t index, TargetHealthState s, const char* reason) {
    Target& t = targets_[index];
    if (t.state == s) return;
    const bool none_healthy = healthy_total_ == 0;
    const bool none_healthy_in_zone = healthy_in_zone_[t.availability_zone] == 0;
    auto adjust = [&](TargetHealthState st, int delta) {
        if (st == TargetHealthState::Healthy) {
            healthy_total_ += delta;
            healthy_in_zone_[t.availability_zone] += delta;
        } else if (st == TargetHealthState::Unhealthy) {
            unhealthy_total_ += delta;
            unhealthy_in_zone_[t.availability_zone] += delta;
        } else if (st == TargetHealthState::Draining) {
            draining_total_ += delta;
        }
    };
    adjust(t.state, -1);
    adjust(s, +1);
    if (routing_observer_) {
        // The first healthy target of the group or of its zone, or the last one leaving,
        // turns 503s (or fail-open) into routed traffic or back: that re-solves at once.
        if (none_healthy != (healthy_total_ == 0) ||
            none_healthy_in_zone != (healthy_in_zone_[t.availability_zone] == 0)) {
            routing_observer_->routing_changed();
        } else {
            routing_observer_->target_health_changed();
        }
    }
    observer_.log(sim_.now(), event::TargetHealthChanged{spec_.name, fleet_[t.instance].name(),
                                                         t.state, s, reason});
    // Leaving healthy ends slow start.
    if (t.slow_start_since != kNever) {
        t.slow_start_since = kNever;
        --slow_starting_;
    }
    if (s == TargetHealthState::Healthy && spec_.slow_start > 0 && !t.first_batch) {
        // Slow start needs at least one other healthy target that is not in slow start.
        bool other_full = false;
        for (std::uint32_t i : active_) {
            if (i == index) continue;
            Target& o = targets_[i];
            if (o.state == TargetHealthState::Healthy && weight(o) >= 1.0) other_full = true;
        }
        if (other_full) {
            t.slow_start_since = sim_.now();
            t.credit = 0;
            ++slow_starting_;
        }
    }
    t.state = s;
}

double TargetGroup::weight(Target& t) {
    if (t.slow_start_since == kNever) return 1.0;
    const SimTime duration = spec_.slow_start * kSecond;
    const SimTime elapsed = sim_.now() - t.slow_start_since;
    if (elapsed >= duration) {
        t.slow_start_since = kNever;
        --slow_starting_;
        return 1.0;
    }
    return static_cast<double>(elapsed) / static_cast<double>(duration);
}

bool TargetGroup::in_slow_start(std::uint32_t instance) const {
    const int i = find_active(instance);
    if (i < 0) return false;
    const Target& t = targets_[i];
    return t.slow_start_since != kNever &&
           sim_.now() - t.slow_start_since < spec_.slow_start * kSecond;
}

bool TargetGroup::awaiting_first_check(std::uint32_t instance) const {
    const int i = find_active(instance);
    if (i < 0) return false;
    const Target& t = targets_[i];
    return t.state == TargetHealthState::Initial && t.consecutive_ok + t.consecutive_failed == 0;
}

TargetHealthState TargetGroup::state_of(std::uint32_t instance) const {
    const int i = find_active(instance);
    return i < 0 ? TargetHealthState::Unused : targets_[i].state;
}

void TargetGroup::on_event(const Event& e) {
    if (e.kind == kHealthCheck) {
        health_check(e.arg);
    } else if (e.kind == kDrainPoll) {
        drain_poll(e.arg);
    }
}

void TargetGroup::instance_not_running(std::uint32_t instance) {
    const int found = find_active(instance);
    if (found < 0) return;
    const auto index = static_cast<std::uint32_t>(found);
    Target& t = targets_[index];
    if (t.state == TargetHealthState::Draining || t.state == TargetHealthState::Unused) return;
    sim_.cancel(t.next_check);
    clear_dormant(index);
    t.last_failure = "Target.InvalidState";
    set_state(index, TargetHealthState::Unused, "Target.InvalidState");
}

void TargetGroup::health_check(std::uint32_t index) {
    const TargetHealthState state = targets_[index].state;
    if (targets_[index].removed || state == TargetHealthState::Draining ||
        state == TargetHealthState::Unused) {
        return;
    }
    const auto& hc = spec_.health_check;
    const Instance& inst = fleet_[targets_[index].instance];
    // A check fails when nothing answers (instance not running, its AZ out, application not
    // started: Target.FailedHealthChecks), or the answer would come after the timeout (the
    // path is closed, or the instance is so loaded that the check waits too long in its
    // queue: Target.Timeout).
    const char* failure = nullptr;
    // Fluid mode: a check's wait is random (the queue's length and the service-time estimate
    // fluctuate around the fluid means); it times out with the probability the model gives.
    bool may_fail = false;
    if (!inst.answers_health_check()) {
        failure = "Target.FailedHealthChecks";
    } else if (!inst.reachable()) {
        failure = "Target.Timeout";
    } else if (inst.fluid()) {
        const double p = inst.fluid_check_timeout_probability(hc.timeout);
        may_fail = p >= kNegligibleCheckFailure;
        if (p >= 1.0 || (may_fail && fluid_check_stream_.uniform01() < p))
            failure = "Target.Timeout";
    } else if (inst.estimated_response_s() > hc.timeout) {
        failure = "Target.Timeout";
    }
    {
        Target& t = targets_[index];
        if (failure == nullptr) {
            ++t.consecutive_ok;
            t.consecutive_failed = 0;
        } else {
            ++t.consecutive_failed;
            t.consecutive_ok = 0;
            t.last_failure = failure;
        }
        // Performance (fluid mode): a passing check that leaves the target healthy is
        // repeated with the same outcome until the instance tells of a change
        // (wake_health_check), so none is scheduled meanwhile. Request mode's inputs change
        // with every request: its checks always run.
        const bool healthy_after =
            t.state == TargetHealthState::Healthy || t.state == TargetHealthState::Initial;
        if (failure == nullptr && healthy_after && inst.fluid() && !may_fail) {
            t.dormant_next = sim_.now() + hc.interval * kSecond;
            if (dormant_.size() <= t.instance) dormant_.resize(fleet_.size(), 0);
            dormant_[t.instance] = index + 1;
        } else {
            t.next_check = sim_.timer_in(hc.interval * kSecond, this, kHealthCheck, index);
        }
    }
    const Target& t = targets_[index];
    switch (t.state) {
        case TargetHealthState::Initial:
            // A newly registered target must pass one check to be considered healthy.
            if (failure == nullptr) {
                set_state(index, TargetHealthState::Healthy, "Target.HealthCheckPassed");
            } else if (t.consecutive_failed >= hc.unhealthy_threshold) {
                set_state(index, TargetHealthState::Unhealthy, failure);
            }
            break;
        case TargetHealthState::Healthy:
            if (t.consecutive_failed >= hc.unhealthy_threshold) {
                set_state(index, TargetHealthState::Unhealthy, failure);
            }
            break;
        case TargetHealthState::Unhealthy:
            if (t.consecutive_ok >= hc.healthy_threshold) {
                set_state(index, TargetHealthState::Healthy, "Target.HealthCheckPassed");
            }
            break;
        default:
            break;
    }
}

void TargetGroup::clear_dormant(std::uint32_t index) {
    Target& t = targets_[index];
    if (t.dormant_next == kNever) return;
    t.dormant_next = kNever;
    dormant_[t.instance] = 0;
}

void TargetGroup::wake_health_check(std::uint32_t instance) {
    if (instance >= dormant_.size() || dormant_[instance] == 0) return;
    const std::uint32_t index = dormant_[instance] - 1;
    Target& t = targets_[index];
    const SimTime interval = spec_.health_check.interval * kSecond;
    SimTime next = t.dormant_next;
    const SimTime now = sim_.now();
    if (next < now) {
        // The checks before now passed (nothing changed before now).
        const SimTime skipped = (now - next + interval - 1) / interval;
        t.consecutive_ok += static_cast<int>(std::min<SimTime>(skipped, 1 << 20));
        next += skipped * interval;
    }
    clear_dormant(index);
    t.next_check = sim_.timer_at(next, this, kHealthCheck, index);
}

void TargetGroup::deregister_target(std::uint32_t instance, DeregistrationListener* listener) {
    const int found = find_active(instance);
    if (found < 0) {
        if (listener) listener->on_deregistered(instance);
        return;
    }
    const auto index = static_cast<std::uint32_t>(found);
    if (targets_[index].state == TargetHealthState::Draining) return;
    {
        Target& t = targets_[index];
        sim_.cancel(t.next_check);
        clear_dormant(index);
        t.listener = listener;
        t.drain_deadline = sim_.now() + spec_.deregistration_delay * kSecond;
    }
    set_state(index, TargetHealthState::Draining, "Target.DeregistrationInProgress");
    // Nothing to wait for on an instance that is not running (it holds no request), or with
    // no delay at all.
    if (fleet_[instance].state() != InstanceState::Running || spec_.deregistration_delay <= 0) {
        finish_drain(index);
        return;
    }
    targets_[index].drain_poll = sim_.timer_in(kSecond, this, kDrainPoll, index);
}

void TargetGroup::drain_poll(std::uint32_t index) {
    Target& t = targets_[index];
    if (t.removed || t.state != TargetHealthState::Draining) return;
    const Instance& inst = fleet_[t.instance];
    if (inst.outstanding() == 0 || sim_.now() >= t.drain_deadline ||
        inst.state() != InstanceState::Running) {
        finish_drain(index);
        return;
    }
    // The delay is a whole number of seconds, so a poll falls on the deadline.
    t.drain_poll = sim_.timer_in(kSecond, this, kDrainPoll, index);
}

void TargetGroup::finish_drain(std::uint32_t index) {
    DeregistrationListener* listener = nullptr;
    std::uint32_t instance = 0;
    {
        Target& t = targets_[index];
        sim_.cancel(t.drain_poll);
        sim_.cancel(t.next_check);
        listener = t.listener;
        t.listener = nullptr;
        instance = t.instance;
    }
    set_state(index, TargetHealthState::Unused, "Target.NotRegistered");
    targets_[index].removed = true;
    active_target_of_[instance] = -1;
    rebuild_active();
    // Last: the listener may terminate the instance or register new targets.
    if (listener) listener->on_deregistered(instance);
}

bool TargetGroup::eligible(const Target& t, int node_zone, bool cross_zone,
                           const std::vector<char>& zone_enabled, bool fail_open) const {
    if (cross_zone ? !zone_enabled[t.availability_zone] : t.availability_zone != node_zone) {
        return false;
    }
    // Draining, initial and removed targets never get new requests.
    return t.state == TargetHealthState::Healthy ||
           (fail_open && t.state == TargetHealthState::Unhealthy);
}

int TargetGroup::route(int node_zone, bool cross_zone, const std::vector<char>& zone_enabled) {
    const std::size_t n = active_.size();
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
    const bool slow = slow_starting_ > 0 && !fail_open;

    std::uint32_t& cursor = cursor_[node_zone];
    // Performance: positions wrap by comparison, from the cursor brought into [0, n) once
    // ((cursor + k) % n divided per target looked at).
    const std::size_t start = cursor < n ? cursor : cursor % n;
    const auto after = [n](std::size_t pos) { return pos + 1 == n ? 0 : pos + 1; };
    if (spec_.load_balancing_algorithm_type == scenario::LoadBalancingAlgorithm::RoundRobin) {
        // Slow start: a target in it earns w of a request each time the cursor passes it and
        // is taken only with a whole one, so it gets w of a full target's share. The credit
        // keeps its fraction; whole requests are not saved up.
        int fallback = -1;
        for (std::size_t k = 0, pos = start; k < n; ++k, pos = after(pos)) {
            Target& t = targets_[active_[pos]];
            if (!eligible(t, node_zone, cross_zone, zone_enabled, fail_open)) continue;
            if (slow && t.slow_start_since != kNever) {
                const double w = weight(t);
                if (w < 1.0) {
                    t.credit = std::min(t.credit + w, 1.0 + w);
                    if (t.credit < 1.0) {
                        if (fallback < 0) fallback = static_cast<int>(pos);
                        continue;
                    }
                    t.credit -= 1.0;
                }
            }
            cursor = static_cast<std::uint32_t>(after(pos));
            return static_cast<int>(t.instance);
        }
        if (fallback < 0) return -1;
        // Only targets in slow start could take it: better served than refused.
        cursor = static_cast<std::uint32_t>(after(static_cast<std::size_t>(fallback)));
        return static_cast<int>(targets_[active_[fallback]].instance);
    }
    // Least outstanding requests; ties go to the first after a rotating start, so that an idle
    // fleet is still shared evenly. Slow start: a target in it earns w / m of a request per
    // request (m: the targets that could take it, so w / m is w times its fair share), saves
    // up at most one, and is a candidate only with a whole one.
    const int m = fail_open ? unhealthy : healthy;
    int best = -1, fallback = -1;
    int best_outstanding = 0, fallback_outstanding = 0;
    for (std::size_t k = 0, pos = start; k < n; ++k, pos = after(pos)) {
        Target& t = targets_[active_[pos]];
        if (!eligible(t, node_zone, cross_zone, zone_enabled, fail_open)) continue;
        const int o = fleet_[t.instance].outstanding();
        if (slow && t.slow_start_since != kNever) {
            const double w = weight(t);
            if (w < 1.0) {
                t.credit = std::min(t.credit + w / m, 1.0 + w / m);
                if (t.credit < 1.0) {
                    if (fallback < 0 || o < fallback_outstanding) {
                        fallback = static_cast<int>(active_[pos]);
                        fallback_outstanding = o;
                    }
                    continue;
                }
            }
        }
        if (best < 0 || o < best_outstanding) {
            best = static_cast<int>(active_[pos]);
            best_outstanding = o;
        }
    }
    if (best < 0) best = fallback;
    if (best < 0) return -1;
    Target& chosen = targets_[best];
    if (chosen.slow_start_since != kNever && chosen.credit >= 1.0) chosen.credit -= 1.0;
    cursor = static_cast<std::uint32_t>(after(start));
    return static_cast<int>(chosen.instance);
}

}  // namespace stratus::cloud
