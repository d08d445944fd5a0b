#pragma once
// Limits of a request-mode run, checked before it starts: inputs whose run would take days or
// more memory than the machine has are refused with what to do instead.
#include <vector>

#include "sim/scenario/diagnostic.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::cloud {

// At ~10 million events per second, two billion requests (about four billion events) take
// several minutes; beyond that request mode is the wrong tool.
constexpr double kMaxRequestsPerRun = 2e9;
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

std::vector<scenario::Diagnostic> check_run_limits(const scenario::Spec& spec);

}  // namespace stratus::cloud
