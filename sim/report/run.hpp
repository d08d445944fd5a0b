#pragma once
// One run of a scenario as the outputs see it: the model (cloud::World) and the Recorder that
// observes it, built together, the Recorder first (the World tells it everything from its
// construction on). The CLI, sweeps, the viewer, the benchmarks and the tests hold one of these.
#include "sim/cloud/world.hpp"
#include "sim/report/recorder.hpp"
#include "sim/report/slo.hpp"
#include "sim/scenario/spec.hpp"

namespace stratus::report {

class Run {
  public:
    // The Spec must have passed validation (scenario::load_file does it).
    explicit Run(const scenario::Spec& spec)
        : recorder_(spec.simulation.warmup), world_(spec, recorder_) {
        // SLO windows: [slo] window, else the metrics period; the first closes with a period.
        recorder_.set_windows(slo_window(spec), spec.simulation.duration);
    }
    Run(const Run&) = delete;
    Run& operator=(const Run&) = delete;

    cloud::World& world() { return world_; }
    const cloud::World& world() const { return world_; }
    Recorder& recorder() { return recorder_; }
    const Recorder& recorder() const { return recorder_; }

  private:
    Recorder recorder_;
    cloud::World world_;
};

}  // namespace stratus::report
