#!/usr/bin/env bash
# ctest sweep_mpi_matches_local: the same sweep over 3 MPI ranks (rank 0 hands out runs, two
# workers run them) and locally with -j1 must write the same bytes.
# Usage: tests/sweep_mpi.sh STRATUS STRATUS_MPI MPIEXEC SOURCE_DIR
set -euo pipefail
stratus="$1"; stratus_mpi="$2"; mpiexec="$3"; src="$4"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
# Containers: no ssh/rsh launcher, no shared-memory single copy; root needs the flag.
export OMPI_MCA_plm=isolated OMPI_MCA_btl_vader_single_copy_mechanism=none
export OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
args=("$src/scenarios/labs/01-two-az-web-tier.toml" --set simulation.duration=4m
      --grid launch_template.web.max_queue=20,200
      --grid target_group.web-tg.load_balancing_algorithm_type=round_robin,least_outstanding_requests
      --replications 3 --quiet)
"$stratus" sweep "${args[@]}" -j 1 --out "$dir/local.csv"
# In a sanitizer build (tools/dev sanitize), LeakSanitizer reports OpenMPI's own allocations
# (its components are unloaded before exit, so they cannot be suppressed by library name);
# the local run above keeps leak detection for our code.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
"$mpiexec" --allow-run-as-root --oversubscribe -np 3 "$stratus_mpi" sweep "${args[@]}" \
    --out "$dir/mpi.csv"
if ! cmp "$dir/local.csv" "$dir/mpi.csv"; then
    diff "$dir/local.csv" "$dir/mpi.csv" | head -20
    exit 1
fi
# Bad input exits 2 on every rank and writes nothing.
set +e
"$mpiexec" --allow-run-as-root --oversubscribe -np 3 "$stratus_mpi" sweep "${args[@]}" \
    --grid autoscaling_group.web.min_sise=1 --out "$dir/bad.csv" 2>"$dir/bad.err"
status=$?
set -e
if [ "$status" -ne 2 ] || [ -e "$dir/bad.csv" ] || ! grep -q min_sise "$dir/bad.err"; then
    echo "bad input: exit $status, expected 2 and no file"; cat "$dir/bad.err"; exit 1
fi
echo "MPI (3 ranks) and local -j1 results are identical ($(wc -l < "$dir/local.csv") lines)"
