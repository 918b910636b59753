#!/usr/bin/env bash
# Time travel: rebuilding the lattice as it was at a past moment from a recorded day — 24 h of a
# 100-host lattice (a heartbeat per host every 30 s, four components and two providers each, a
# change somewhere every 2 s: ~320 000 inputs) recorded into a LatticeTimeline, then 200 jumps
# to random moments. Issue #13's target: ≤ 300 ms per jump. Baseline in the same process:
# folding the whole day from scratch (what a jump would cost without snapshots).
#
#   Benchmarks/timetravel.sh
#     LATTICETOP_BENCH_SNAPSHOT_EVERY=N   snapshot interval (default 2000)
#
# The benchmark is a test skipped unless LATTICETOP_BENCH=1
# (Tests/LatticeStateTests/TimeTravelBenchmark.swift). Results: the TIMETRAVEL BENCHMARK lines.
set -euo pipefail
cd "$(dirname "$0")/.."
LATTICETOP_BENCH=1 swift test -c release --scratch-path .build-bench --filter TimeTravelBenchmark 2>&1 \
    | grep -E -A6 '^TIMETRAVEL BENCHMARK|error:|failed'
