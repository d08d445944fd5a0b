#pragma once
// A sweep over MPI ranks (built with -DSTRATUS_MPI=ON into `stratus-mpi`): rank 0 plans,
// checks the results file, hands out one run at a time to the other ranks as they free up,
// and is the only rank that writes. Every rank builds the same Plan from the same command
// line and files, so a run is named by its index alone and a row comes back as text; the
// file is byte-identical to a local sweep's.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/sweep/executor.hpp"

namespace stratus::sweep {

class MpiExecutor : public Executor {
  public:
    explicit MpiExecutor(int ranks) : ranks_(ranks) {}
    // Rank 0: send runs to ranks 1..N-1 as each returns its row. With one rank it runs them
    // itself.
    void execute(const Plan& plan, const std::vector<std::uint64_t>& runs,
                 const RowSink& sink) override;
    // Rank 0: tell every worker to stop (after the sweep, or when it ended before running).
    void stop_workers();

  private:
    int ranks_;
};

// Ranks 1..N-1: build the plan, then run what rank 0 sends until it says stop. A plan that
// fails to build here (it already failed on rank 0, which reports it) waits for the stop.
void mpi_worker(const PlanInput& input);

}  // namespace stratus::sweep
