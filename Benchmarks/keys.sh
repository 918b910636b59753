#!/usr/bin/env bash
# Key-to-frame benchmark: the whole dashboard on a simulated lattice (real nats-server on a
# loopback port), `?` then `esc` timed from the key to the frame that shows it — first with no
# traffic (the baseline, same process), then while a flood of lattice events is published.
# Target (issue #16): ≤ 100 ms under the flood.
#
#   Benchmarks/keys.sh        (LATTICETOP_BENCH_ROUNDS, LATTICETOP_BENCH_EVENTS to change the load)
#
# A test enabled only by LATTICETOP_BENCH=1 (Tests/LatticeTopTests/KeyLatencyBenchmarkTests.swift),
# built in release with its own scratch path. Results: the KEYS-BENCH lines.
set -euo pipefail
cd "$(dirname "$0")/.."

SCRATCH=${SCRATCH:-.build-bench}
LOG=${TMPDIR:-/tmp}/latticetop-keys-bench.$$.log

echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) cores  load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== building (release, scratch path $SCRATCH)…"
swift build -c release -Xswiftc -enable-testing --scratch-path "$SCRATCH" --build-tests >"$LOG" 2>&1 || { tail -50 "$LOG"; exit 1; }
echo "== running KeyLatencyBenchmark…"
LATTICETOP_BENCH=1 swift test -c release -Xswiftc -enable-testing --scratch-path "$SCRATCH" --skip-build --filter KeyLatencyBenchmark >>"$LOG" 2>&1 \
    || { tail -50 "$LOG"; exit 1; }
grep -h "KEYS-BENCH" "$LOG" | sed 's/^.*KEYS-BENCH/KEYS-BENCH/'
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)   (full log: $LOG)"
