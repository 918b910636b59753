#!/usr/bin/env bash
# Scale benchmark (issue #7): `latticetop sim` with 100 and 1,000 hosts (10 components, 2
# providers and 20 links a host) on a real nats-server. Prints, from one run: connect → first
# full Hosts pane against a raw NATS client doing the protocol's minimum (ping + one inventory
# request per host); frame times of the Hosts, Components, Providers and Links panes at 200×60;
# the real dashboard binary's RSS and CPU over 20 quiet seconds (a 3-host lattice without
# traffic, and the 1,000-host one).
#
#   Benchmarks/scale.sh                      # 100 and 1000 hosts
#   LATTICETOP_BENCH_HOSTS=100 Benchmarks/scale.sh
#
# The benchmark is a test enabled only by LATTICETOP_BENCH=1
# (Tests/LatticeTopTests/ScaleBenchmarkTests.swift), built in release. Results: SCALE-BENCH lines.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh >/dev/null

SCRATCH=${SCRATCH:-.build-bench}
LOG=${TMPDIR:-/tmp}/latticetop-scale-bench.$$.log

echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) cores  load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== building (release, scratch path $SCRATCH)…"
swift build -c release -Xswiftc -enable-testing --scratch-path "$SCRATCH" --build-tests >"$LOG" 2>&1 || { tail -50 "$LOG"; exit 1; }
echo "== running ScaleBenchmark…"
LATTICETOP_BENCH=1 swift test -c release -Xswiftc -enable-testing --scratch-path "$SCRATCH" --skip-build --filter ScaleBenchmark >>"$LOG" 2>&1 \
    || { tail -50 "$LOG"; exit 1; }
grep -h "SCALE-BENCH" "$LOG" | sed 's/^.*SCALE-BENCH/SCALE-BENCH/'
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)   (full log: $LOG)"
