#!/usr/bin/env bash
# Sweep scaling (issue #8's target: two workers give >= 1.8x the throughput of one): times
# the same sweep with -j1 and -j2 (more with JOBS="1 2 4"), and, as a control, two -j1
# processes running the two shards of it at once (--shard 1/2 and 2/2, then merged): that is
# the most two cores give right now, whatever else the machine runs, so -j2 against it
# measures the thread pool itself. Checks that every file is byte-identical, and appends the
# numbers, with the machine's description and load, to
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
# 16 runs of lab 1 (two simulated hours at 120 requests/s, ~860,000 requests each):
# equal-sized runs, so N workers can reach N times the throughput of one.
args=("$ROOT/scenarios/labs/01-two-az-web-tier.toml" --set simulation.duration=2h
      --grid launch_template.web.max_queue=20,50,100,200
      --grid target_group.web-tg.load_balancing_algorithm_type=round_robin,least_outstanding_requests
      --replications 2 --quiet --force)
{
    echo "# machine: $cpu, $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"
    echo "# commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (shared machines skew the numbers)"
    echo "mode,repeat,runs,wall_s,runs_per_s,speedup_vs_j1,load_avg_1m"
} > "$out"
now() { date +%s.%N; }
record() {  # mode repeat file start end
    local runs wall rate speedup
    runs=$(($(wc -l < "$3") - 1))
    wall=$(echo "$5 - $4" | bc -l)
    rate=$(echo "$runs / $wall" | bc -l)
    [ "$1" = "j1" ] && base_rate=$rate
    speedup=$(echo "$rate / ${base_rate:-$rate}" | bc -l)
    printf '%s,%s,%s,%.3f,%.3f,%.3f,%s\n' "$1" "$2" "$runs" "$wall" "$rate" "$speedup" \
        "$(cut -d' ' -f1 /proc/loadavg)" >> "$out"
    if [ "$1" != "j1" ] && ! cmp -s "$work/j1.csv" "$3"; then
        echo "results differ between j1 and $1" >&2; exit 1
    fi
}
for rep in $(seq 1 "$REPEATS"); do
    for j in $JOBS; do
        start=$(now)
        "$stratus" sweep "${args[@]}" -j "$j" --out "$work/j$j.csv"
        record "j$j" "$rep" "$work/j$j.csv" "$start" "$(now)"
    done
    start=$(now)
    "$stratus" sweep "${args[@]}" -j 1 --shard 1/2 --out "$work/s1.csv" &
    "$stratus" sweep "${args[@]}" -j 1 --shard 2/2 --out "$work/s2.csv" &
    wait
    end=$(now)
    "$stratus" merge "$work/shards.csv" "$work/s1.csv" "$work/s2.csv" --force --quiet
    record "2-processes" "$rep" "$work/shards.csv" "$start" "$end"
done
cat "$out"
echo "results: $out" >&2
