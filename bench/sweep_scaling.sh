#!/usr/bin/env bash
# Sweep scaling (issue #8's target: two workers give >= 1.8x the throughput of one): times
# the same sweep with -j1 and -j2 (and more with JOBS="1 2 4"), checks that the results are
# byte-identical, and appends the numbers, with the machine's description and load, to
# bench/results/<time>-<host>-sweep-scaling.csv.
# Usage: bench/sweep_scaling.sh [BUILD_DIR]   (environment: JOBS, REPEATS)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${1:-$ROOT/build}"
JOBS="${JOBS:-1 2}"
REPEATS="${REPEATS:-3}"
stratus="$BUILD_DIR/stratus"
[ -x "$stratus" ] || { echo "no $stratus: build first (tools/dev build)" >&2; exit 2; }

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="$ROOT/bench/results/$stamp-$(hostname -s)-sweep-scaling.csv"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
# 16 runs of lab 1 (two simulated hours at 120 requests/s, ~860,000 requests each): equal-sized runs, so a
# pool of N workers can reach N times the throughput of one.
args=("$ROOT/scenarios/labs/01-two-az-web-tier.toml" --set simulation.duration=2h
      --grid launch_template.web.max_queue=20,50,100,200
      --grid target_group.web-tg.load_balancing_algorithm_type=round_robin,least_outstanding_requests
      --replications 2 --quiet)
{
    echo "# machine: $cpu, $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"
    echo "# commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (shared machines skew the numbers)"
    echo "jobs,repeat,runs,wall_s,runs_per_s,speedup_vs_j1,cpu_user_s,load_avg_1m"
} > "$out"
declare -A best
for rep in $(seq 1 "$REPEATS"); do
    for j in $JOBS; do
        rm -f "$work/r$j.csv"
        start=$(date +%s.%N)
        user=$( { /usr/bin/time -f "%U" "$stratus" sweep "${args[@]}" -j "$j" --out "$work/r$j.csv" ; } 2>&1 | tail -1)
        end=$(date +%s.%N)
        wall=$(echo "$end - $start" | bc -l)
        runs=$(($(wc -l < "$work/r$j.csv") - 1))
        rate=$(echo "$runs / $wall" | bc -l)
        [ "$j" = "1" ] && base_rate=$rate
        speedup=$(echo "$rate / ${base_rate:-$rate}" | bc -l)
        printf '%s,%s,%s,%.3f,%.3f,%.3f,%s,%s\n' "$j" "$rep" "$runs" "$wall" "$rate" "$speedup" \
            "$user" "$(cut -d' ' -f1 /proc/loadavg)" >> "$out"
        if [ "$j" != "1" ] && ! cmp -s "$work/r1.csv" "$work/r$j.csv"; then
            echo "results differ between -j1 and -j$j" >&2; exit 1
        fi
    done
done
cat "$out"
echo "results: $out" >&2
