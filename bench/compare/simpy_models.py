#!/usr/bin/python3
"""The stratus benchmark workloads written for SimPy (Debian: python3-simpy3), to record the
ratio stratus / SimPy. Usage: simpy_models.py hold PENDING OPS | queueing REQUESTS
Prints one CSV line: engine,model,size,cpu_s,ops,ops_per_s,extra."""
import random
import sys
import time

import simpy


def hold(pending, ops):
    # The classic hold model: `pending` processes each waiting Exp(1 s); every resumption is
    # one hold operation (pop the earliest, schedule it again at now + Exp(1 s)).
    env = simpy.Environment()
    rng = random.Random(1)
    done = [0]

    def holder():
        while True:
            yield env.timeout(rng.expovariate(1.0))
            done[0] += 1
            if done[0] == ops:
                stop.succeed()

    stop = env.event()
    for _ in range(pending):
        env.process(holder())
    t0 = time.process_time()
    env.run(until=stop)
    return time.process_time() - t0, done[0], ""


def queueing(requests):
    # 20 servers of 4 workers (simpy.Resource, FIFO), round-robin routing, Poisson arrivals at
    # 4,000/s, exponential service of mean 16.7 ms, until `requests` have arrived.
    env = simpy.Environment()
    arrivals, service = random.Random(1), random.Random(2)
    servers = [simpy.Resource(env, capacity=4) for _ in range(20)]
    total = [0.0, 0]

    def request(server, work):
        arrived = env.now
        with server.request() as slot:
            yield slot
            yield env.timeout(work)
        total[0] += env.now - arrived
        total[1] += 1

    def clients():
        for k in range(requests):
            yield env.timeout(arrivals.expovariate(4000.0))
            env.process(request(servers[k % 20], service.expovariate(1 / 0.0167)))

    env.process(clients())
    t0 = time.process_time()
    env.run()
    return time.process_time() - t0, requests, "mean_response_s=%.5f" % (total[0] / total[1])


def main():
    model = sys.argv[1]
    if model == "hold":
        pending, ops = int(sys.argv[2]), int(sys.argv[3])
        cpu, n, extra = hold(pending, ops)
        size = pending
    else:
        size = int(sys.argv[2])
        cpu, n, extra = queueing(size)
    print("simpy-%s,%s,%d,%.3f,%d,%.0f,%s" % (simpy.__version__, model, size, cpu, n, n / cpu, extra))


if __name__ == "__main__":
    main()
