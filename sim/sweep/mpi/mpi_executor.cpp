#include "sim/sweep/mpi/mpi_executor.hpp"

#include <mpi.h>

#include <cstring>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

namespace stratus::sweep {

namespace {

// Rank 0 -> worker: kRun with a run index, or kStop. Worker -> rank 0: kRow with the run
// index's 8 bytes followed by the row's text, or kFailed with the message.
constexpr int kRun = 1;
constexpr int kStop = 2;
constexpr int kRow = 3;
constexpr int kFailed = 4;

void send_run(std::uint64_t run, int rank) {
    MPI_Send(&run, 1, MPI_UINT64_T, rank, kRun, MPI_COMM_WORLD);
}

void send_text(std::uint64_t run, const std::string& text, int tag) {
    std::string buf(sizeof run, '\0');
    std::memcpy(buf.data(), &run, sizeof run);
    buf += text;
    MPI_Send(buf.data(), static_cast<int>(buf.size()), MPI_CHAR, 0, tag, MPI_COMM_WORLD);
}

}  // namespace

void MpiExecutor::execute(const Plan& plan, const std::vector<std::uint64_t>& runs,
                          const RowSink& sink) {
    if (ranks_ <= 1) {
        for (auto run : runs)
            sink(run, plan.run_row(run));
        return;
    }
    std::size_t next = 0;
    int busy = 0;
    for (int rank = 1; rank < ranks_ && next < runs.size(); ++rank, ++busy)
        send_run(runs[next++], rank);
    std::string failure;
    while (busy > 0) {
        MPI_Status status;
        MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
        int count = 0;
        MPI_Get_count(&status, MPI_CHAR, &count);
        std::string buf(static_cast<std::size_t>(count), '\0');
        MPI_Recv(buf.data(), count, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        std::uint64_t run = 0;
        if (buf.size() >= sizeof run) std::memcpy(&run, buf.data(), sizeof run);
        const std::string text = buf.size() >= sizeof run ? buf.substr(sizeof run) : "";
        if (status.MPI_TAG == kRow) {
            sink(run, text);
        } else if (failure.empty()) {
            failure = fmt::format("run {} on rank {}: {}", run, status.MPI_SOURCE, text);
        }
        // The rank is free: give it the next run, unless a run failed (then drain the rest).
        if (failure.empty() && next < runs.size()) {
            send_run(runs[next++], status.MPI_SOURCE);
        } else {
            --busy;
        }
    }
    if (!failure.empty()) throw std::runtime_error(failure);
}

void MpiExecutor::stop_workers() {
    std::uint64_t none = 0;
    for (int rank = 1; rank < ranks_; ++rank)
        MPI_Send(&none, 1, MPI_UINT64_T, rank, kStop, MPI_COMM_WORLD);
}

void mpi_worker(const PlanInput& input) {
    std::unique_ptr<Plan> plan;
    std::string plan_error;
    try {
        plan = std::make_unique<Plan>(Plan::make(input));
    } catch (const std::exception& e) {
        plan_error = e.what();
    }
    while (true) {
        std::uint64_t run = 0;
        MPI_Status status;
        MPI_Recv(&run, 1, MPI_UINT64_T, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
        if (status.MPI_TAG == kStop) return;
        if (!plan) {
            send_text(run, "the sweep does not load on this rank: " + plan_error, kFailed);
            continue;
        }
        try {
            send_text(run, plan->run_row(run), kRow);
        } catch (const std::exception& e) {
            send_text(run, e.what(), kFailed);
        }
    }
}

}  // namespace stratus::sweep
