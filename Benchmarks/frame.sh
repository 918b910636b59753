#!/usr/bin/env bash
# Frame benchmark: a full frame of the Components pane with 10,000 rows (100 hosts × 100
# components) on a 200×60 screen — the pane's view, filter/sort, Screen.render and
# MemoryBackend.present — median and p99 over 200 frames, next to two baselines measured in the
# same process (a blank 200×60 canvas; a whole frame of an empty pane), plus the bytes an
# identical frame writes. Target: ≤ 4 ms a frame, 0 bytes when nothing changed.
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
