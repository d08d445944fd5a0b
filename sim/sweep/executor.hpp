#pragma once
// Who runs a sweep's runs: a pool of threads in this process (LocalExecutor), or MPI ranks
// (sim/sweep/mpi/, built with STRATUS_MPI). Each run builds its own World from the Plan; the
// only shared thing is the sink, which the executor calls one row at a time.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/sweep/plan.hpp"

namespace stratus::sweep {

// Receives each finished run's results line. Never called by two threads at once.
using RowSink = std::function<void(std::uint64_t run, const std::string& line)>;

class Executor {
  public:
    virtual ~Executor() = default;
    // Runs `runs` (in any order, as workers free up) and hands every row to `sink`. Throws
    // the first failure after the runs in progress have finished.
    virtual void execute(const Plan& plan, const std::vector<std::uint64_t>& runs,
                         const RowSink& sink) = 0;
};

// `-j N`: N worker threads take the next run from a shared counter.
class LocalExecutor : public Executor {
  public:
    explicit LocalExecutor(int jobs) : jobs_(jobs < 1 ? 1 : jobs) {}
    void execute(const Plan& plan, const std::vector<std::uint64_t>& runs,
                 const RowSink& sink) override;

  private:
    int jobs_;
};

}  // namespace stratus::sweep
