#pragma once
// What the model tells whoever records a run (report::Recorder): every request's arrival and
// end, the gauges of each metrics period, and the notable events. The model defines this
// interface and reads nothing back through it: its own metrics (the CloudWatch service) come
// from the components' own counters. So the arrow runs one way: sim/report depends on
// sim/cloud, never the reverse.
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "sim/cloud/events.hpp"
#include "sim/cloud/request.hpp"
#include "sim/core/sim_time.hpp"

namespace stratus::cloud {

// Instantaneous state sampled at the end of a metrics period.
struct Gauges {
    int in_service = 0;
    int pending = 0;
    int healthy = 0;
    int unhealthy = 0;
    int desired = 0;
    bool has_groups = false;  // desired is meaningful only when there is a group
    double cpu_percent = -1;  // average over instances running in the period; < 0: none
    // Left 0 by the model: the Recorder sets it to accrued_usd's growth over the period.
    double cost_rate_usd_per_hour = 0;
    double cost_usd = 0;  // cumulative, as the bill shows it so far
    // Cumulative, everything accrued (Spot Instances in their first hour too, which cost_usd
    // shows once they pass it); at the end both are the bill.
    double accrued_usd = 0;
    // CloudWatch CPUCreditBalance at the period's end, averaged over the running burstable
    // instances; < 0: none.
    double cpu_credit_balance = -1;
    // AWS/ECS over the period (the mean of its 10 s samples): CPUUtilization and
    // MemoryUtilization of every ECS service's RUNNING tasks together; < 0: none. And the tasks
    // RUNNING at the period's end. has_ecs: the run has ECS services (their columns are written).
    bool has_ecs = false;
    double ecs_cpu_percent = -1;
    double ecs_memory_percent = -1;
    int ecs_running_tasks = 0;
    std::vector<int> in_service_by_az;
};

// Fluid mode: successful requests as a latency with a weight (a fraction of the requests), and
// the observer's own bin for that latency (RunObserver::latency_bin).
struct WeightedLatency {
    std::size_t bin = 0;
    SimTime latency = 0;
    double weight = 0;
};

// Fluid mode: the successful requests of a step's queue states gathered by the observer's bin:
// their weight and their weight x latency (ns) summed.
struct WeightedCell {
    std::size_t bin = 0;
    double weight = 0;
    double sum = 0;
};

class RunObserver {
  public:
    // --- request mode: one call per request
    virtual void request_arrived(SimTime t, SimTime service) = 0;
    // A request's end as the client saw it, at `now`; its latency is now - arrival, or
    // `waited` when >= 0 (an error recorded at once that the client sees after a timeout).
    virtual void request_ended(Outcome o, SimTime arrival, SimTime now, SimTime waited) = 0;

    // --- fluid mode: many requests at once
    virtual void requests_arrived(SimTime t, std::uint64_t n) = 0;
    // n requests that arrived at `arrival` ended with `o` (the latencies of the successful ones
    // come through requests_ok_weighted; a failed one's is `error_latency`).
    virtual void requests_ended(Outcome o, SimTime arrival, std::uint64_t n,
                                SimTime error_latency) = 0;
    // Successful requests that arrived at `arrival`: points[k].weight x scale of them took
    // points[k].latency.
    virtual void requests_ok_weighted(SimTime arrival, const WeightedLatency* points,
                                      std::size_t count, double scale) = 0;
    // The same gathered by bin: cells[k].weight x scale of them took cells[k].sum /
    // cells[k].weight on average.
    virtual void requests_ok_cells(SimTime arrival, const WeightedCell* cells, std::size_t count,
                                   double scale) = 0;
    // Sets each point's bin: the one its latency falls in, for the observer's own bookkeeping
    // (a histogram cell). The fluid mode emits the same points step after step: it asks once
    // per queue state's points and keeps the answers with them (one call for all of them: a
    // call per point cost a seventh of a spiralling month).
    virtual void latency_bins(WeightedLatency* points, std::size_t count) const = 0;

    // The loop stopped at `now` (World::run_until returned): what was gathered in between goes
    // where it is read.
    virtual void run_paused(SimTime now) = 0;
    // A metrics period ended (simulation.metrics_period, and at the horizon).
    virtual void period_closed(SimTime start, SimTime length, const Gauges& gauges) = 0;
    // A notable event (events.hpp).
    virtual void event_logged(EventRecord record) = 0;

    template <class E>
    void log(SimTime t, E&& event) {
        event_logged(EventRecord{t, EventData(std::forward<E>(event))});
    }

  protected:
    ~RunObserver() = default;
};

}  // namespace stratus::cloud
