#pragma once
// The limits of a run that are part of the scenario's rules: the grammar's ranges use them
// (a group's sizes), cloud::check_run_limits checks the rest before a run starts (the
// requests a run could simulate, its horizon, the faults' cycles). docs/hardening.md says
// what each costs at its maximum.
#include "sim/core/sim_time.hpp"

namespace stratus::scenario {

// At ~10 million events per second, two billion requests (about four billion events) take
// several minutes; beyond that request mode is the wrong tool.
constexpr double kMaxRequestsPerRun = 2e9;
// Arrivals are timed to the microsecond: near a million a second they would crowd into
// consecutive microseconds and the rate would be silently lower than written. A tenth of that
// keeps the crowding (two arrivals in one microsecond, the second moved by 1 us) rare.
constexpr double kMaxRequestRate = 1e5;
// The fluid mode carries request counts through doubles, which hold whole numbers exactly
// only up to 2^53: beyond, the totals would no longer add up.
constexpr double kMaxFluidRequestsPerRun = 9007199254740992.0;
// The 10 s control-plane tick alone makes a century of simulated time hundreds of millions of
// events, whatever the traffic.
constexpr SimTime kMaxRequestModeHorizon = 400 * kDay;
// The fluid mode takes about 2 s of CPU a simulated month at 20,000 requests/s
// (docs/fluid.md): ten years is minutes; a century is not a question anyone asks of it.
constexpr SimTime kMaxFluidModeHorizon = 3660 * kDay;
// Instances are objects with queues and bills; a million of them is not a scenario.
constexpr int kMaxInstances = 100000;
// Stochastic faults (mtbf/mttr) each cost a handful of events per cycle, but on every
// instance or node they strike; a million cycles is a fault every few seconds for a month.
constexpr double kMaxFaultCycles = 1e6;

}  // namespace stratus::scenario
