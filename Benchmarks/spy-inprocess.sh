#!/usr/bin/env bash
# Spy ingest benchmark, in process (Benchmarks/spy.sh measures the real binary as a user runs it): a raw cnats subscriber that only counts vs the spy, in the same run, on
# a nats-server started here on a free loopback port; then the spy's RSS after ingesting
# RSS_COUNT messages with the default configuration (100k ring), in a process of its own.
#
#   Benchmarks/spy-inprocess.sh [COUNT] [RSS_COUNT] [ROUNDS]
#     COUNT      messages per measured phase (default 3000000)
#     RSS_COUNT  messages the memory phase ingests (default 10000000)
#     ROUNDS     raw/spy rounds, alternating (default 2)
#
# The publisher, the raw subscriber and the spy are Swift (NATSKit) and live in tests enabled
# only by LATTICETOP_BENCH=1 (Tests/LatticeSpyTests/SpyBenchmark.swift, SpyHotPathProfile.swift),
# built in release (with -enable-testing, see below) with their own scratch path. Results: the
# SPYBENCH lines.
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=${1:-3000000}
RSS_COUNT=${2:-10000000}
ROUNDS=${3:-2}
SCRATCH=${SPY_BENCH_SCRATCH:-.build-bench}
# Other test targets use @testable imports, which a release build of the test bundle only allows
# with testing enabled (internal symbols stay visible; optimisation is otherwise unchanged).
TESTABLE=(-Xswiftc -enable-testing)
LOG=${TMPDIR:-/tmp}/latticetop-spy-bench.$$.log

NATS_SERVER=${LATTICETOP_NATS_SERVER:-$(command -v nats-server || true)}
if [[ -z "$NATS_SERVER" ]]; then
    echo "nats-server not found (apt-get install -y nats-server, or set LATTICETOP_NATS_SERVER)" >&2
    exit 1
fi

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
        || echo $((20000 + RANDOM % 20000))
}

PORT=$(free_port)
"$NATS_SERVER" -a 127.0.0.1 -p "$PORT" >"$LOG.nats" 2>&1 &
NATS_PID=$!
trap 'kill "$NATS_PID" 2>/dev/null || true; wait "$NATS_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
    sleep 0.1
done

echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) cores  load: $(cut -d' ' -f1-3 /proc/loadavg)  nats-server $("$NATS_SERVER" --version | awk '{print $NF}') on 127.0.0.1:$PORT"
echo "== building (release, scratch path $SCRATCH)…"
swift build -c release "${TESTABLE[@]}" --scratch-path "$SCRATCH" --build-tests >"$LOG" 2>&1 || { tail -50 "$LOG"; exit 1; }

run() {
    LATTICETOP_BENCH=1 LATTICETOP_BENCH_NATS_URL="nats://127.0.0.1:$PORT" LATTICETOP_BENCH_COUNT="$COUNT" \
        LATTICETOP_BENCH_RSS_COUNT="$RSS_COUNT" LATTICETOP_BENCH_ROUNDS="$ROUNDS" \
        swift test -c release "${TESTABLE[@]}" --scratch-path "$SCRATCH" --skip-build --filter "$1" >>"$LOG" 2>&1 || { tail -50 "$LOG"; exit 1; }
}

echo "== ingest rate: raw subscriber vs spy, $COUNT messages per phase, $ROUNDS rounds…"
run "SpyBenchmark/ingestRate"
echo "== memory: one spy ingesting $RSS_COUNT messages (own process)…"
run "SpyBenchmark/memoryAfterIngest"
echo "== hot path per message (single thread, CPU time)…"
run "SpyHotPathProfile/decodeAndIngestCost"
grep -h "^SPYBENCH" "$LOG"
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)   (full log: $LOG)"
