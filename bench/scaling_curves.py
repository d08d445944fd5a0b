#!/usr/bin/env python3
"""Run time against fleet size and against horizon, in request and fluid mode (issue 19).

One command makes every figure of docs/performance.md's "Run time against fleet size and
horizon":

    bench/scaling_curves.py [--build build] [--full] [--out bench/results]

Each point is one `stratus run` of a scenario generated here (a fixed fleet of m5.large
behind an ALB, a daily curve between 4 and 8 requests/s per instance, so 10 to 20 % busy,
target group health checks, one-minute metrics). It prints and writes
bench/results/<time>-scaling-curves.csv: the mode, fleet size, simulated hours, the CPU time
of the run (user + system, from the child's rusage: the figure that a shared machine
disturbs least), the kernel events (summary.json) and the CPU time per event and per
simulated instance-hour. The machine, its load average before and after, and the commit are
in the file's header lines: figures taken while others build are noise, say so.

The fleet curve runs 1 day in fluid mode and 10 minutes in request mode (10,000 instances
at 8 requests/s each is 80,000 requests/s: request mode's ceiling is 100,000/s). The horizon
curve runs 10 instances for 1, 7, 30 and 365 days in fluid mode and 1 and 7 days in request
mode (--full: also 30 days; a year is 2.5 billion requests, beyond request mode's limit of
two billion per run).
"""
import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import json

SCENARIO = """[simulation]
name = "curve-{n}-{label}"
duration = "{duration}"
seed = 7
fidelity = "{mode}"
start_time = "2026-03-01T00:00:00Z"

[region]
name = "us-east-1"
availability_zones = ["us-east-1a", "us-east-1b", "us-east-1c"]

[[launch_template]]
name = "web"
instance_type = "m5.large"
max_queue = 200
app_start_time = "30s"

[[target_group]]
name = "web-tg"
health_check = {{ interval = 30, timeout = 5, healthy_threshold = 3, unhealthy_threshold = 2 }}

[[load_balancer]]
name = "web-alb"

[[lb_listener]]
load_balancer = "web-alb"
port = 80
target_group = "web-tg"

[[autoscaling_group]]
name = "web"
launch_template = "web"
min_size = {n}
max_size = {n}
desired_capacity = {n}
target_groups = ["web-tg"]

[[workload]]
name = "shop"
load_balancer = "web-alb"
rate = {{ shape = "diurnal", min = {lo}, max = {hi}, peak = "14:00" }}
service_time = {{ dist = "exponential", mean = "40ms" }}
timeout = "30s"
"""

DURATIONS = {"10m": 1 / 6, "1d": 24, "7d": 168, "30d": 720, "365d": 8760}


def run_point(stratus, work, mode, n, duration):
    path = os.path.join(work, f"{mode}-{n}-{duration}.toml")
    with open(path, "w") as f:
        f.write(SCENARIO.format(n=n, label=duration, duration=duration, mode=mode,
                                lo=4 * n, hi=8 * n))
    out = os.path.join(work, f"out-{mode}-{n}-{duration}")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    subprocess.run([stratus, "run", path, "--quiet", "--out", out], check=True,
                   stdout=subprocess.DEVNULL)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    with open(os.path.join(out, "summary.json")) as f:
        events = json.load(f)["kernel"]["events"]
    hours = DURATIONS[duration]
    return {"mode": mode, "instances": n, "duration": duration, "sim_hours": hours,
            "cpu_s": cpu, "wall_s": wall, "events": events,
            "ns_per_event": 1e9 * cpu / max(events, 1),
            "us_per_instance_hour": 1e6 * cpu / (n * hours)}


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(root, "build"))
    ap.add_argument("--out", default=os.path.join(root, "bench", "results"))
    ap.add_argument("--full", action="store_true", help="request mode's 30-day point too")
    args = ap.parse_args()
    stratus = os.path.join(args.build, "stratus")
    if not os.access(stratus, os.X_OK):
        sys.exit(f"no {stratus}: build it first (cmake --build build --target stratus)")
    points = []
    for n in (10, 100, 1000, 10000):
        points.append(("fluid", n, "1d"))
    for n in (10, 100, 1000, 10000):
        points.append(("request", n, "10m"))
    for d in ("1d", "7d", "30d", "365d"):
        points.append(("fluid", 10, d))
    for d in ("1d", "7d") + (("30d",) if args.full else ()):
        points.append(("request", 10, d))
    load_before = open("/proc/loadavg").read().split()[:3]
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for mode, n, d in points:
            r = run_point(stratus, work, mode, n, d)
            rows.append(r)
            print(f"{mode:8} {n:6} instances {d:>5}: {r['cpu_s']:8.3f} s CPU "
                  f"({r['wall_s']:.3f} s wall), {r['events']:>11,} events, "
                  f"{r['ns_per_event']:8.0f} ns/event, "
                  f"{r['us_per_instance_hour']:8.1f} us per instance-hour", flush=True)
    load_after = open("/proc/loadavg").read().split()[:3]
    cpu_model = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    commit = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or "unknown"
    os.makedirs(args.out, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    path = os.path.join(args.out, f"{stamp}-{commit}-scaling-curves.csv")
    with open(path, "w") as f:
        f.write(f"# machine: {cpu_model}, {os.cpu_count()} cores\n")
        f.write(f"# commit: {commit}\n")
        f.write(f"# load average before: {' '.join(load_before)}; after: "
                f"{' '.join(load_after)} (others' work on a shared machine skews wall and "
                "CPU time)\n")
        cols = ["mode", "instances", "duration", "sim_hours", "cpu_s", "wall_s", "events",
                "ns_per_event", "us_per_instance_hour"]
        f.write(",".join(cols) + "\n")
        for r in rows:
            f.write(",".join(f"{r[c]:.6g}" if isinstance(r[c], float) else str(r[c])
                             for c in cols) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
