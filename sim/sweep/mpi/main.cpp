// stratus-mpi: `stratus sweep` over MPI ranks, e.g.
//   mpirun -np 8 stratus-mpi sweep FILE --grid ... --out RESULTS.csv
// Rank 0 parses, plans, writes the file and prints; the other ranks run what it sends.
// The options are those of `stratus sweep` (-j is ignored: one run per rank at a time).
#include <mpi.h>

#include <iostream>

#include <CLI/CLI.hpp>

#include "sim/sweep/mpi/mpi_executor.hpp"
#include "sim/sweep/options/sweep_options.hpp"

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    int rank = 0, ranks = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);

    CLI::App app{"stratus-mpi: stratus sweep distributed over MPI ranks"};
    app.require_subcommand(1);
    stratus::sweep::SweepOptions options;
    stratus::sweep::add_sweep_command(app, options);
    int status = 0;
    bool parsed = false;
    try {
        app.parse(argc, argv);
        parsed = true;
    } catch (const CLI::ParseError& e) {
        // Every rank sees the same arguments; rank 0 speaks for all.
        status = rank == 0 ? app.exit(e) : e.get_exit_code();
        if (status != 0) status = 2;
    }
    if (parsed) {
        if (rank == 0) {
            stratus::sweep::MpiExecutor executor(ranks);
            try {
                status = stratus::sweep::run_sweep(options, executor);
            } catch (const std::exception& e) {
                std::cerr << "stratus-mpi: error: " << e.what() << '\n';
                status = 1;
            }
            executor.stop_workers();
        } else {
            stratus::sweep::mpi_worker(options.plan);
        }
    }
    MPI_Finalize();
    return status;
}
