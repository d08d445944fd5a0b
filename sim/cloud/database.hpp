#pragma once
// An RDS DB instance (Single-AZ or Multi-AZ with one synchronous standby) and its availability
// under AZ outages and forced failovers, after the RDS User Guide (Multi-AZ DB instances).
// Rules and choices are in docs/model.md, section "RDS (module ready, wired with RDS)".
//
// The World owns one DbInstance per [[db_instance]], tells it when an AZ fails or recovers and
// when a db_failover fault hits it; requests of a workload with a `database` ask reachable().
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sim/cloud/billing.hpp"
#include "sim/cloud/routing_observer.hpp"
#include "sim/cloud/run_observer.hpp"
#include "sim/core/random.hpp"
#include "sim/core/sim_time.hpp"
#include "sim/core/simulation.hpp"
#include "sim/scenario/price_list.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

// RDS's own status names (DescribeDBInstances DBInstanceStatus), reduced to three:
// - available: the endpoint answers;
// - failing-over: the endpoint is being moved to the standby (Multi-AZ) or the instance is
//   rebooting in place (a forced failover without a standby); it does not answer;
// - unavailable: the instance's AZ is down and there is no standby to fail over to (RDS shows
//   the instance as inaccessible / incompatible-network); it does not answer.
enum class DbState { Available, FailingOver, Unavailable };
// "available", "failing-over", "unavailable".
std::string_view to_string(DbState state);

class DbInstance final : public EventHandler {
  public:
    // `primary_zone`: the zone index of spec.availability_zone. `standby_zone`: for Multi-AZ,
    // the zone that holds the standby (the World passes the next AZ of the region, wrapping
    // around: (primary + 1) % zone count); ignored (-1) for Single-AZ. `rng`: seeded by the
    // caller with the stream "rds/<identifier>"; it draws only failover times. `zone_names`:
    // for the event log (an empty list logs "zone-<index>").
    DbInstance(scenario::DbInstanceSpec spec, int primary_zone, int standby_zone, RandomStream rng,
               Simulation& sim, RunObserver& observer, std::vector<std::string> zone_names = {});

    const scenario::DbInstanceSpec& spec() const { return spec_; }
    const std::string& identifier() const { return spec_.identifier; }
    bool multi_az() const { return spec_.multi_az; }

    DbState state() const { return state_; }
    // Whether a request reaching the database now gets an answer (state available).
    bool reachable() const { return state_ == DbState::Available; }
    // The zone serving the endpoint (during a failover, the zone it is leaving).
    int primary_zone() const { return primary_zone_; }
    // The zone of the standby, -1 for Single-AZ. After a failover it is the old primary's zone,
    // whether or not that zone is up yet.
    int standby_zone() const { return standby_zone_; }
    // Multi-AZ with its standby's zone up: a primary failure would fail over.
    bool has_standby() const;

    // An AZ outage starts or ends. Repeated calls for a zone already down (or up) are ignored:
    // the World counts overlapping outages itself.
    void zone_failed(int zone);
    void zone_recovered(int zone);
    // A db_failover fault ("Reboot with failover"): a Multi-AZ instance with a standby fails
    // over to it; one without (Single-AZ, or its standby's zone is down) reboots in place. Either
    // way the endpoint is down for one draw of failover_time. Ignored unless available.
    void force_failover();

    // Counters for the report.
    int failovers_started() const { return failovers_started_; }
    int failovers_completed() const { return failovers_completed_; }
    // Total time the endpoint did not answer, up to now.
    SimTime downtime() const;

    // The instance-hours charge line (LineItem::Rds): per second, 10-minute minimum per start,
    // Multi-AZ at twice the class's Single-AZ price. Resource id "db:<identifier>". Throws
    // std::invalid_argument for a class the price list does not know.
    ChargeSpec billing_line(const scenario::PriceList& prices) const;
    // The gp2 storage line (allocated_storage GB-month; Multi-AZ twice the rate, the standby's
    // copy being billed too).
    ChargeSpec storage_billing_line(const scenario::PriceList& prices) const;

    void on_event(const Event& event) override;
    // Fluid mode: told when the endpoint starts or stops answering.
    void set_routing_observer(RoutingObserver* observer) { routing_observer_ = observer; }

  private:
    enum EventKind : std::uint32_t { kFailoverDone = 1 };

    bool down(int zone) const { return zone >= 0 && down_zones_.count(zone) > 0; }
    std::string zone_name(int zone) const;
    std::optional<std::string> standby_name() const;  // empty: no standby it can fail over to
    void set_state(DbState s);
    void start_failover(int target, const std::string& cause);
    void go_unavailable(const std::string& cause);
    void become_available(const std::string& cause);
    void complete_failover();

    scenario::DbInstanceSpec spec_;
    int primary_zone_ = 0;
    int standby_zone_ = -1;
    RandomStream rng_;
    Simulation& sim_;
    RunObserver& observer_;
    std::vector<std::string> zone_names_;

    DbState state_ = DbState::Available;
    std::set<int> down_zones_;
    int target_zone_ = -1;  // while failing over: the zone the endpoint moves to
    TimerHandle failover_timer_;
    SimTime down_since_ = 0;
    SimTime downtime_ = 0;
    RoutingObserver* routing_observer_ = nullptr;  // fluid mode only
    int failovers_started_ = 0;
    int failovers_completed_ = 0;
};

}  // namespace stratus::cloud
