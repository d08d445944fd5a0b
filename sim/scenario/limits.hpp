#pragma once
// The limits of a run that are part of the scenario's rules: the grammar's ranges use them
// (a group's sizes), cloud::check_run_limits checks the rest before a run starts (the
// requests a run could simulate, its horizon, the faults' cycles). docs/hardening.md says
// what each costs at its maximum.
#include <cstddef>

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
// Request mode simulates every request and every health check of every target: above 20,000
// instances a simulated hour costs more than a few seconds (20,000: about 1.8 s of CPU; 99,000:
// about 14 s, the fleet no longer fitting in the caches). Larger fleets belong in fluid mode.
constexpr int kMaxRequestModeInstances = 20000;
// The fleet over time: the largest fleet the groups can reach (their max sizes, as actions and
// scheduled actions set them, plus the standalone instances) times the horizon. Each instance
// costs events all the time it exists (launch, health checks, metrics; in fluid mode its share
// of every solve), whatever the traffic: about 0.05-0.2 ms of CPU per instance-hour in request
// mode and 15-140 us in fluid mode (docs/hardening.md, measured under load; the most for the
// largest fleets), so these bounds keep a run at the limit within seconds to a minute or two.
// The biggest shipped scenarios are 144,000 (saas-month-fluid) and 5,760 (request mode).
constexpr double kMaxRequestModeInstanceHours = 1e5;
constexpr double kMaxFluidModeInstanceHours = 2e6;
// Stochastic faults (mtbf/mttr) each cost a handful of events per cycle, but on every
// instance or node they strike; a million cycles is a fault every few seconds for a month.
constexpr double kMaxFaultCycles = 1e6;

// ---- Bounds of single values (the grammar's ranges, sim/scenario/settings.cpp) ----------------
// Far beyond anything AWS sells, and small enough that no product the model forms (a price
// times instance-hours, a volume times months) can overflow a double.

// A type's speed divides each request's CPU time: at 1e-20 the quotient overflows the clock, at
// 1e300 every request takes 0 ms. Real types differ from one another by a factor of a few.
constexpr double kMinSpeed = 0.01;
constexpr double kMaxSpeed = 100;
// Any price: USD per hour, per GB, per GB-month or per LCU-hour. The dearest EC2 instance
// costs a few hundred USD an hour; a bill at this price for the largest run allowed (100,000
// instances for ten years) is about 1e17 USD, still a finite, exact-enough double.
constexpr double kMaxPrice = 1e6;
// An EBS volume or snapshot: the largest volume EBS offers is 64 TiB (io2 Block Express).
constexpr double kMaxVolumeGb = 65536;
// What an S3 bucket stores, and its growth per day: an exabyte.
constexpr double kMaxStorageGb = 1e9;
// vCPUs of a type: a few times the largest EC2 instance (under 2,000 vCPUs).
constexpr int kMaxVcpu = 4096;
// Workers of one instance (vCPUs x workers_per_vcpu): a request's worker slot is 16 bits
// wide (Request::worker). Validation checks the product for every type a group can launch.
constexpr int kMaxWorkersPerInstance = 65535;
// Containers of an ECS task definition (the ECS service quota "Containers per task
// definition"): a container health check's event carries the container's index in 4 bits.
constexpr std::size_t kMaxContainersPerTaskDefinition = 10;
// An application's database connect timeout, in whole seconds: a request carries it in 8 bits
// (Request::database_wait_s). Drivers default to 5-30 s; minutes would hold a thread per
// request that long.
constexpr int kMaxDatabaseConnectTimeout = 255;

}  // namespace stratus::scenario
