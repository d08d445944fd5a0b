// The stratus benchmark workloads written for SimGrid's S4U API (Debian: libsimgrid-dev), to
// record the ratio stratus / SimGrid. Built by hand, not by CMake (see docs/performance.md):
//   g++ -O2 -std=c++17 bench/compare/simgrid_models.cpp -lsimgrid -o /tmp/simgrid_models
// Usage: simgrid_models hold PENDING OPS | queueing REQUESTS
// Prints one CSV line: engine,model,size,cpu_s,ops,ops_per_s,extra.
#include <simgrid/s4u.hpp>

#include <simgrid/version.h>  // after s4u.hpp: it needs xbt/base.h

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <vector>

namespace sg4 = simgrid::s4u;

int main(int argc, char** argv) {
    sg4::Engine e(&argc, argv);
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s hold PENDING OPS | queueing REQUESTS\n", argv[0]);
        return 2;
    }
    const std::string model = argv[1];
    const long size = std::atol(argv[2]);
    auto* zone = sg4::create_full_zone("world");
    sg4::Host* host = zone->create_host("host", 1e9);
    zone->seal();

    std::mt19937_64 rng(1), service(2);
    long ops = 0;
    double response_sum = 0;
    std::vector<sg4::SemaphorePtr> servers;  // outlives the actors that use it
    if (model == "hold") {
        // `size` actors, each sleeping Exp(1 s) over and over: every wake-up is one hold
        // operation. They stop once `limit` operations are done (each finishes its last sleep).
        const long limit = std::atol(argv[3]);
        for (long i = 0; i < size; ++i) {
            sg4::Actor::create("holder", host, [&rng, &ops, limit] {
                std::exponential_distribution<double> exp(1.0);
                while (ops < limit) {
                    sg4::this_actor::sleep_for(exp(rng));
                    ++ops;
                }
            });
        }
    } else {
        // 20 servers of 4 workers (a semaphore of 4 each, FIFO), round-robin routing, Poisson
        // arrivals at 4,000/s, exponential service of mean 16.7 ms: one actor per request.
        for (int s = 0; s < 20; ++s)
            servers.push_back(sg4::Semaphore::create(4));
        sg4::Actor::create("clients", host, [&, size] {
            std::exponential_distribution<double> gap(4000.0), work(1 / 0.0167);
            for (long k = 0; k < size; ++k) {
                sg4::this_actor::sleep_for(gap(rng));
                const double w = work(service);
                sg4::SemaphorePtr server = servers[static_cast<std::size_t>(k % 20)];
                sg4::Actor::create("request", host, [server, w, &ops, &response_sum] {
                    const double arrived = sg4::Engine::get_clock();
                    server->acquire();
                    sg4::this_actor::sleep_for(w);
                    server->release();
                    response_sum += sg4::Engine::get_clock() - arrived;
                    ++ops;
                });
            }
        });
    }
    const std::clock_t c0 = std::clock();
    e.run();
    const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    std::printf("simgrid-%d.%d,%s,%ld,%.3f,%ld,%.0f,", SIMGRID_VERSION_MAJOR, SIMGRID_VERSION_MINOR,
                model.c_str(), size, cpu, ops, static_cast<double>(ops) / cpu);
    if (model != "hold")
        std::printf("mean_response_s=%.5f", response_sum / static_cast<double>(ops));
    std::printf("\n");
    return 0;
}
