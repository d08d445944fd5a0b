#include "sim/cloud/database.hpp"

#include <stdexcept>
#include <utility>

#include <fmt/format.h>

namespace stratus::cloud {

std::string_view to_string(DbState state) {
    switch (state) {
        case DbState::Available:
            return "available";
        case DbState::FailingOver:
            return "failing-over";
        case DbState::Unavailable:
            return "unavailable";
    }
    return "unknown";
}

DbInstance::DbInstance(scenario::DbInstanceSpec spec, int primary_zone, int standby_zone,
                       RandomStream rng, Simulation& sim, RunObserver& observer,
                       std::vector<std::string> zone_names)
    : spec_(std::move(spec)),
      primary_zone_(primary_zone),
      standby_zone_(spec_.multi_az ? standby_zone : -1),
      rng_(std::move(rng)),
      sim_(sim),
      observer_(observer),
      zone_names_(std::move(zone_names)) {}

bool DbInstance::has_standby() const {
    return spec_.multi_az && standby_zone_ >= 0 && standby_zone_ != primary_zone_ &&
           !down(standby_zone_);
}

std::optional<std::string> DbInstance::standby_name() const {
    if (!has_standby()) return std::nullopt;
    return zone_name(standby_zone_);
}

std::string DbInstance::zone_name(int zone) const {
    if (zone >= 0 && static_cast<std::size_t>(zone) < zone_names_.size()) return zone_names_[zone];
    return fmt::format("zone-{}", zone);
}

SimTime DbInstance::downtime() const {
    return downtime_ + (state_ == DbState::Available ? 0 : sim_.now() - down_since_);
}

void DbInstance::set_state(DbState s) {
    if (state_ == DbState::Available && s != DbState::Available) down_since_ = sim_.now();
    if (state_ != DbState::Available && s == DbState::Available)
        downtime_ += sim_.now() - down_since_;
    const bool was_reachable = reachable();
    state_ = s;
    if (routing_observer_ && reachable() != was_reachable) routing_observer_->routing_changed();
}

void DbInstance::start_failover(int target, const std::string& cause) {
    target_zone_ = target;
    ++failovers_started_;
    set_state(DbState::FailingOver);
    const SimTime duration = rng_.sample(spec_.failover_time);
    observer_.log(sim_.now(), event::DbFailoverStarted{spec_.identifier, zone_name(primary_zone_),
                                                       zone_name(target), target == primary_zone_,
                                                       to_seconds(duration), cause});
    if (failover_timer_.armed()) sim_.cancel(failover_timer_);
    failover_timer_ = sim_.timer_in(duration, this, kFailoverDone);
}

void DbInstance::go_unavailable(const std::string& cause) {
    if (failover_timer_.armed()) sim_.cancel(failover_timer_);
    target_zone_ = -1;
    set_state(DbState::Unavailable);
    observer_.log(sim_.now(),
                  event::DbUnavailable{spec_.identifier, zone_name(primary_zone_), cause});
}

void DbInstance::become_available(const std::string& cause) {
    set_state(DbState::Available);
    observer_.log(sim_.now(), event::DbAvailable{spec_.identifier, zone_name(primary_zone_),
                                                 spec_.multi_az, standby_name(), cause});
}

void DbInstance::complete_failover() {
    if (state_ != DbState::FailingOver) return;
    const int from = primary_zone_;
    const int to = target_zone_;
    // The standby is promoted; the old primary's zone hosts the new standby once it is up.
    if (to != from) {
        standby_zone_ = from;
        primary_zone_ = to;
    }
    target_zone_ = -1;
    ++failovers_completed_;
    set_state(DbState::Available);
    observer_.log(sim_.now(), event::DbFailoverCompleted{spec_.identifier, zone_name(from),
                                                         zone_name(primary_zone_), spec_.multi_az,
                                                         standby_name()});
}

void DbInstance::on_event(const Event& event) {
    if (event.kind == kFailoverDone) {
        failover_timer_ = TimerHandle{};
        complete_failover();
    }
}

void DbInstance::zone_failed(int zone) {
    if (zone < 0 || !down_zones_.insert(zone).second) return;
    switch (state_) {
        case DbState::Available:
            if (zone != primary_zone_) return;  // the standby's zone: service goes on, no standby
            if (has_standby())
                start_failover(standby_zone_, "az_outage");
            else
                go_unavailable("az_outage");
            return;
        case DbState::FailingOver:
            if (zone != target_zone_) return;  // the zone being left: the failover goes on
            // The zone the endpoint was moving to failed. Back to the old primary if it is up (a
            // forced failover), else nowhere to go.
            if (target_zone_ != primary_zone_ && !down(primary_zone_))
                start_failover(primary_zone_, "az_outage");
            else
                go_unavailable("az_outage");
            return;
        case DbState::Unavailable:
            return;
    }
}

void DbInstance::zone_recovered(int zone) {
    if (zone < 0 || down_zones_.erase(zone) == 0) return;
    if (state_ != DbState::Unavailable) return;
    if (zone == primary_zone_)
        become_available("az_recovered");  // the instance comes back where it was
    else if (spec_.multi_az && zone == standby_zone_)
        start_failover(standby_zone_, "az_recovered");  // the standby takes over
}

void DbInstance::force_failover() {
    if (state_ != DbState::Available) return;
    start_failover(has_standby() ? standby_zone_ : primary_zone_, "db_failover");
}

ChargeSpec DbInstance::billing_line(const scenario::PriceList& prices) const {
    const auto hourly = prices.rds_hourly(spec_.instance_class);
    if (!hourly)
        throw std::invalid_argument(fmt::format("db_instance {}: no price for instance class {}",
                                                spec_.identifier, spec_.instance_class));
    return rds_instance_charge("db:" + spec_.identifier, spec_.instance_class, *hourly,
                               spec_.multi_az, spec_.tags);
}

ChargeSpec DbInstance::storage_billing_line(const scenario::PriceList& prices) const {
    ChargeSpec c;
    c.resource_id = "db:" + spec_.identifier;
    c.line_item = LineItem::Rds;
    c.usage_type = spec_.multi_az ? "RDS:Multi-AZ-GP2-Storage" : "RDS:GP2-Storage";
    c.unit = PricingUnit::GbMonth;
    c.rate = (spec_.multi_az ? 2 : 1) * prices.rds_gp2_gb_month;
    c.size = spec_.allocated_storage;
    c.tags = spec_.tags;
    return c;
}

}  // namespace stratus::cloud
