// The baseline: a hand-written minimal event loop (std::priority_queue of (time, sequence) and a
// switch), running the same two workloads as the stratus benchmarks, with the same random
// streams, so that tools/bench can report the ratio stratus / minimal. It models nothing
// else: no load balancer nodes, health checks, metrics, billing or outputs.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/core/ring_buffer.hpp"
#include "sim/core/sim_time.hpp"

namespace {

using stratus::SimTime;

struct MinimalEvent {
    SimTime time;
    std::uint64_t seq;
    std::uint32_t kind;
    std::uint32_t arg;
    bool operator>(const MinimalEvent& o) const {
        return time > o.time || (time == o.time && seq > o.seq);
    }
};

class MinimalLoop {
  public:
    void schedule(SimTime at, std::uint32_t kind, std::uint32_t arg) {
        queue_.push(MinimalEvent{at, seq_++, kind, arg});
    }
    MinimalEvent pop() {
        const MinimalEvent e = queue_.top();
        queue_.pop();
        return e;
    }
    bool empty() const { return queue_.empty(); }

  private:
    std::priority_queue<MinimalEvent, std::vector<MinimalEvent>, std::greater<MinimalEvent>> queue_;
    std::uint64_t seq_ = 0;
};

// One hold operation: pop the earliest, schedule one at now + Exp(1 s). Not inlined, like
// Simulation::step, so that callgrind can count instructions inside it alone.
[[gnu::noinline]] void minimal_hold_step(MinimalLoop& loop, stratus::RandomStream& rng) {
    const MinimalEvent e = loop.pop();
    switch (e.kind) {
        case 0:
            loop.schedule(e.time + static_cast<SimTime>(rng.exponential(1e6)) + 1, 0, 0);
            break;
    }
}

std::uint64_t g_steps_in_process = 0;  // as in bench_kernel.cpp

// The hold model, as BM_HoldModel.
void BM_MinimalHoldModel(benchmark::State& state) {
    MinimalLoop loop;
    stratus::RandomStream rng(1, "hold");
    for (std::int64_t i = 0; i < state.range(0); ++i)
        loop.schedule(static_cast<SimTime>(rng.exponential(1e6)) + 1, 0, 0);
    for (auto _ : state)
        minimal_hold_step(loop, rng);
    state.SetItemsProcessed(state.iterations());
    g_steps_in_process += static_cast<std::uint64_t>(state.iterations());
    state.counters["steps_in_process"] = static_cast<double>(g_steps_in_process);
    state.counters["holds_per_s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_MinimalHoldModel)->Arg(1000)->Arg(10000)->Arg(100000)->Arg(1000000);

// The queueing workload, as BM_QueueingScenario: Poisson arrivals at 4,000/s sent round-robin
// to 20 servers of 4 workers with FIFO queues, exponential service of mean 16.7 ms, until
// `requests` have arrived; the mean response time is kept so the work is not optimised away.
void BM_MinimalQueueing(benchmark::State& state) {
    const std::int64_t requests = state.range(0);
    constexpr int kServers = 20, kWorkers = 4;
    enum Kind : std::uint32_t { kArrival, kDeparture };
    std::uint64_t events = 0;
    double mean_response_s = 0;
    for (auto _ : state) {
        MinimalLoop loop;
        stratus::RandomStream arrivals(1, "arrivals/clients"), service(1, "service/clients");
        struct Server {
            int busy = 0;
            stratus::RingBuffer<std::pair<SimTime, SimTime>> queue;  // (arrival, service)
            std::vector<SimTime> started;                            // arrival, per worker slot
        };
        std::vector<Server> servers(kServers);
        std::int64_t arrived = 0, done = 0;
        double response_sum = 0;
        std::uint32_t cursor = 0;
        SimTime now = 0;
        loop.schedule(static_cast<SimTime>(arrivals.exponential(1e6 / 4000.0)), kArrival, 0);
        // A departure's arg: server * kWorkers + worker; started[] keeps its arrival time.
        for (auto& s : servers)
            s.started.assign(kWorkers, 0);
        std::vector<std::vector<int>> free_workers(kServers);
        for (auto& f : free_workers)
            for (int w = kWorkers - 1; w >= 0; --w)
                f.push_back(w);
        while (!loop.empty()) {
            const MinimalEvent e = loop.pop();
            now = e.time;
            ++events;
            switch (e.kind) {
                case kArrival: {
                    const SimTime work = static_cast<SimTime>(service.exponential(16700.0));
                    const std::uint32_t k = cursor;
                    cursor = (cursor + 1) % kServers;
                    Server& s = servers[k];
                    if (s.busy < kWorkers) {
                        const int w = free_workers[k].back();
                        free_workers[k].pop_back();
                        ++s.busy;
                        s.started[static_cast<std::size_t>(w)] = now;
                        loop.schedule(now + work, kDeparture,
                                      k * kWorkers + static_cast<std::uint32_t>(w));
                    } else {
                        s.queue.push_back({now, work});
                    }
                    if (++arrived < requests)
                        loop.schedule(
                            now + 1 + static_cast<SimTime>(arrivals.exponential(1e6 / 4000.0)),
                            kArrival, 0);
                    break;
                }
                case kDeparture: {
                    const std::uint32_t k = e.arg / kWorkers;
                    const int w = static_cast<int>(e.arg % kWorkers);
                    Server& s = servers[k];
                    response_sum +=
                        stratus::to_seconds(now - s.started[static_cast<std::size_t>(w)]);
                    ++done;
                    if (!s.queue.empty()) {
                        const auto [arrival, work] = s.queue.front();
                        s.queue.pop_front();
                        s.started[static_cast<std::size_t>(w)] = arrival;
                        loop.schedule(now + work, kDeparture, e.arg);
                    } else {
                        --s.busy;
                        free_workers[k].push_back(w);
                    }
                    break;
                }
            }
        }
        mean_response_s = response_sum / static_cast<double>(done);
    }
    state.counters["events_per_s"] =
        benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
    state.counters["s_per_request"] =
        benchmark::Counter(static_cast<double>(requests) * static_cast<double>(state.iterations()),
                           benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.counters["mean_response_s"] = mean_response_s;
}
BENCHMARK(BM_MinimalQueueing)->Arg(2000000)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
