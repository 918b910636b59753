#!/usr/bin/env bash
# Frame benchmark (Tests/LatticeTopTests/FrameBenchmarkTests.swift) on a 200×60 screen:
# - the Components pane with 10,000 rows (100 hosts × 100 components): frames where every frame
#   follows a real change (one component scaled), plain and sorted; the pane built from scratch;
#   frames where only the selection moves; the bytes an identical frame writes;
# - the Links pane with 20,000 links: frames after a link put, after a component stops;
# - 100,000 rows (1,000 hosts × 100 components): the frame after a new sort, after each typed
#   filter key, after a regular-expression and a column-glob filter;
# with the baselines in the same process (a blank canvas; whole frames of empty panes).
# Median, p99 and max, wall and thread CPU time. Targets: ≤ 4 ms a frame at p99, 0 bytes when
# nothing changed, sort and filter of 100,000 rows ≤ 50 ms.
#
#   Benchmarks/frame.sh
#
# The benchmark is a test enabled only by LATTICETOP_BENCH=1
# (Tests/LatticeTopTests/FrameBenchmarkTests.swift), built in release with its own scratch
# path. Results: the FRAME-BENCH lines.
set -euo pipefail
cd "$(dirname "$0")/.."

SCRATCH=${SCRATCH:-.build-bench}
LOG=${TMPDIR:-/tmp}/latticetop-frame-bench.$$.log

echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) cores  load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== building (release, scratch path $SCRATCH)…"
swift build -c release -Xswiftc -enable-testing --scratch-path "$SCRATCH" --build-tests >"$LOG" 2>&1 || { tail -50 "$LOG"; exit 1; }
echo "== running FrameBenchmark…"
LATTICETOP_BENCH=1 swift test -c release -Xswiftc -enable-testing --scratch-path "$SCRATCH" --skip-build --filter FrameBenchmark >>"$LOG" 2>&1 \
    || { tail -50 "$LOG"; exit 1; }
grep -h "FRAME-BENCH" "$LOG" | sed 's/^.*FRAME-BENCH/FRAME-BENCH/'
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)   (full log: $LOG)"
