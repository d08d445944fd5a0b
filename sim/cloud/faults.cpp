#include "sim/cloud/faults.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/cloud/spot_market.hpp"

namespace stratus::cloud {
namespace {

int index_of(const std::vector<std::string>& names, const std::string& name) {
    auto it = std::find(names.begin(), names.end(), name);
    return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

}  // namespace

const char* to_string(scenario::FaultType t) {
    switch (t) {
        case scenario::FaultType::AzOutage:
            return "az_outage";
        case scenario::FaultType::InstanceFailure:
            return "instance_failure";
        case scenario::FaultType::SpotInterruption:
            return "spot_interruption";
        case scenario::FaultType::DbFailover:
            return "db_failover";
        case scenario::FaultType::Latency:
            return "latency";
    }
    return "?";
}

FaultInjector::FaultInjector(const std::vector<scenario::FaultSpec>& faults,
                             const std::vector<std::string>& zones,
                             const std::vector<std::string>& groups,
                             const std::vector<std::string>& databases, std::uint64_t seed,
                             Simulation& sim, FaultTarget& target)
    : zones_(zones),
      groups_(groups),
      databases_(databases),
      seed_(seed),
      sim_(sim),
      target_(target) {
    for (const auto& spec : faults)
        add(spec, false);
}

std::size_t FaultInjector::add(const scenario::FaultSpec& spec, bool started) {
    const std::size_t i = faults_.size();
    Fault f{spec,
            fmt::format("fault[{}] {} {}", i, to_string(spec.type), spec.target),
            index_of(zones_, spec.target),
            index_of(groups_, spec.target),
            index_of(databases_, spec.target),
            RandomStream(seed_, fmt::format("fault/{}/{}", i, to_string(spec.type))),
            0,
            false,
            false};
    faults_.push_back(std::move(f));
    if (started) {
        Fault& added = faults_.back();
        const SimTime first = added.spec.at ? *added.spec.at : added.rng.sample(*added.spec.mtbf);
        sim_.schedule_at(first, this, kBegin, static_cast<std::uint32_t>(i));
    }
    return i;
}

bool FaultInjector::lasts(const Fault& f) const {
    return f.spec.type == scenario::FaultType::AzOutage ||
           f.spec.type == scenario::FaultType::Latency;
}

void FaultInjector::start() {
    for (std::uint32_t i = 0; i < faults_.size(); ++i) {
        Fault& f = faults_[i];
        // Scheduled: at `at`; stochastic: after a time to failure drawn from mtbf.
        const SimTime first = f.spec.at ? *f.spec.at : f.rng.sample(*f.spec.mtbf);
        sim_.schedule_at(first, this, kBegin, i);
    }
}

void FaultInjector::begin(std::uint32_t i) {
    Fault& f = faults_[i];
    switch (f.spec.type) {
        case scenario::FaultType::AzOutage:
            target_.begin_az_outage(f.zone, f.label);
            break;
        case scenario::FaultType::InstanceFailure:
            target_.fail_instances(f.group, f.spec.fraction ? *f.spec.fraction : 0.0, f.rng,
                                   f.label);
            break;
        case scenario::FaultType::DbFailover:
            target_.db_failover(f.db, f.label);
            break;
        case scenario::FaultType::SpotInterruption:
            target_.spot_interruption(f.group, f.spec.fraction ? *f.spec.fraction : 0.0, f.rng,
                                      f.label, f.spec.duration ? *f.spec.duration : kSpotNotice);
            break;
        case scenario::FaultType::Latency:
            f.extra = f.spec.extra ? f.rng.sample(*f.spec.extra) : 0;
            target_.begin_latency(f.zone, f.group, f.extra, f.label);
            break;
        default:
            return;
    }
    if (lasts(f)) {
        f.active = true;
        const SimTime length = f.spec.duration ? *f.spec.duration : f.rng.sample(*f.spec.mttr);
        sim_.schedule_in(length, this, kEnd, i);
    } else if (f.spec.mtbf) {
        sim_.schedule_in(f.rng.sample(*f.spec.mtbf), this, kBegin, i);
    }
}

void FaultInjector::end(std::uint32_t i) {
    Fault& f = faults_[i];
    if (f.ended_early) {  // the viewer ended it already
        f.ended_early = false;
        return;
    }
    f.active = false;
    if (f.spec.type == scenario::FaultType::AzOutage) {
        target_.end_az_outage(f.zone, f.label);
    } else if (f.spec.type == scenario::FaultType::Latency) {
        target_.end_latency(f.zone, f.group, f.label);
    }
    // A stochastic fault strikes again after the next time to failure.
    if (!f.spec.at && f.spec.mtbf) sim_.schedule_in(f.rng.sample(*f.spec.mtbf), this, kBegin, i);
}

void FaultInjector::end_early(std::size_t i, SimTime at) {
    sim_.schedule_at(at, this, kEndEarly, static_cast<std::uint32_t>(i));
}

void FaultInjector::on_event(const Event& e) {
    if (e.kind == kBegin) {
        begin(e.arg);
    } else if (e.kind == kEnd) {
        end(e.arg);
    } else if (e.kind == kEndEarly && faults_[e.arg].active) {
        end(e.arg);
        faults_[e.arg].ended_early = true;
    }
}

}  // namespace stratus::cloud
