#!/usr/bin/env bash
# Reducer throughput: 1 M pre-decoded lattice events (10 % heartbeats with four components and
# two providers, 45 % health events, 40 % scale events, 5 % provider restarts and link puts,
# across 100 hosts) through LatticeState.apply, in a release build, next to two baselines
# measured in the same process (copying the same inputs; one dictionary insert per event).
#
#   Benchmarks/reducer.sh
#     LATTICETOP_BENCH_EVENTS=200000   fewer events (quick look)
#     LATTICETOP_BENCH_MIX=heartbeats  one kind only (heartbeats, health, scales), for profiling
#
# The benchmark is a test skipped unless LATTICETOP_BENCH=1
# (Tests/LatticeStateTests/ReducerBenchmark.swift). Results: the REDUCER BENCHMARK lines.
# Figures are per thread CPU time (fair on a shared machine) and wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
LATTICETOP_BENCH=1 swift test -c release --scratch-path .build-bench --filter ReducerBenchmark 2>&1 \
    | grep -E -A7 '^REDUCER BENCHMARK|error:|failed'
