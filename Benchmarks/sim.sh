#!/usr/bin/env bash
# Simulator at scale (issue #14): what one `latticetop sim` process costs with N idle hosts
# (no workload, no traffic; each host answers ping and host.get and sends a heartbeat every 30 s,
# spread over the interval). For each host count: time until all hosts are up, idle CPU % from
# /proc/PID/stat over a window, RSS and threads, and whether `latticetop get hosts` with wash's
# default 2 s window lists every host (and `get inventory` has every inventory). Then what one host costs (CPU, memory), from the
# difference between the two largest counts.
#
#   Benchmarks/sim.sh                                   # 1000 and 10000 hosts, 60 s windows
#   LATTICETOP_SIM_HOSTS=1000,5000 LATTICETOP_SIM_WINDOW=30 Benchmarks/sim.sh
#
# Then the largest count once more split over LATTICETOP_SIM_PROCESSES (default 2) processes
# (`--processes`): time until up, CPU and RSS summed over the children, and the same listing check.
#
# Release build in its own scratch path (SCRATCH, default .build-release). Results: SIM-BENCH lines.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh >/dev/null

SCRATCH=${SCRATCH:-.build-release}
HOSTS=${LATTICETOP_SIM_HOSTS:-1000,10000}
WINDOW=${LATTICETOP_SIM_WINDOW:-60}
SETTLE=${LATTICETOP_SIM_SETTLE:-10}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/latticetop-sim-bench.XXXXXX")
HZ=$(getconf CLK_TCK)

echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) cores  load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== building (release, scratch path $SCRATCH)…"
swift build -c release --scratch-path "$SCRATCH" --product latticetop >"$WORK/build.log" 2>&1 || { tail -50 "$WORK/build.log"; exit 1; }
BIN="$SCRATCH/release/latticetop"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
nats-server -a 127.0.0.1 -p "$PORT" >"$WORK/nats.log" 2>&1 &
NATS_PID=$!
SIM_PID=""
cleanup() {
    [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null || true
    kill "$NATS_PID" 2>/dev/null && wait "$NATS_PID" 2>/dev/null || true
}
trap cleanup EXIT
URL="nats://127.0.0.1:$PORT"
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
status_kib() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }

RESULTS=()
IFS=, read -ra COUNTS <<<"$HOSTS"
for N in "${COUNTS[@]}"; do
    OUT="$WORK/sim-$N.out"
    started=$(date +%s.%N)
    "$BIN" sim --nats-url "$URL" --hosts "$N" --empty --rate 0 --host-seed 14 >"$OUT" 2>"$WORK/sim-$N.err" &
    SIM_PID=$!
    for _ in $(seq 1200); do
        [ "$(grep -c '^  host ' "$OUT" || true)" -ge "$N" ] && break
        kill -0 "$SIM_PID" 2>/dev/null || { cat "$WORK/sim-$N.err"; exit 1; }
        sleep 0.1
    done
    up=$(echo "$(date +%s.%N) - $started" | bc)
    sleep "$SETTLE"
    t0=$(ticks "$SIM_PID"); w0=$(date +%s.%N)
    sleep "$WINDOW"
    t1=$(ticks "$SIM_PID"); w1=$(date +%s.%N)
    rss=$(status_kib "$SIM_PID" VmRSS); threads=$(status_kib "$SIM_PID" Threads)
    cpu=$(echo "scale=4; 100 * ($t1 - $t0) / $HZ / ($w1 - $w0)" | bc)
    # wash's default window: one ping, replies gathered for 2 s.
    listed=$("$BIN" get hosts -o json --nats-url "$URL" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
    # wash get inventory: the ping, then host.get to each host as it answers.
    inventories=$("$BIN" get inventory -o jsonl --nats-url "$URL" | wc -l)
    kill -TERM "$SIM_PID"; wait "$SIM_PID" || true; SIM_PID=""
    printf 'SIM-BENCH %s hosts: up in %.2f s; idle CPU %.2f %% of a core over %.0f s; RSS %.1f MiB; %s threads; get hosts (2 s window) listed %s/%s; get inventory %s/%s\n' \
        "$N" "$up" "$cpu" "$(echo "$w1 - $w0" | bc)" "$(echo "scale=2; $rss / 1024" | bc)" "$threads" "$listed" "$N" "$inventories" "$N"
    RESULTS+=("$N $cpu $rss")
done

PROCESSES=${LATTICETOP_SIM_PROCESSES:-2}
if [ "$PROCESSES" -gt 1 ]; then
    N=${COUNTS[-1]}
    OUT="$WORK/sim-$N-p$PROCESSES.out"
    started=$(date +%s.%N)
    "$BIN" sim --nats-url "$URL" --hosts "$N" --processes "$PROCESSES" --empty --rate 0 --host-seed 14 >"$OUT" 2>"$WORK/sim-$N-p.err" &
    SIM_PID=$!
    for _ in $(seq 1200); do
        grep -q "^simulating $N host(s) in $PROCESSES processes" "$OUT" && break
        kill -0 "$SIM_PID" 2>/dev/null || { cat "$WORK/sim-$N-p.err"; exit 1; }
        sleep 0.1
    done
    up=$(echo "$(date +%s.%N) - $started" | bc)
    sleep "$SETTLE"
    CHILDREN=$(pgrep -P "$SIM_PID" | tr '\n' ' ')
    sum_ticks() { local t=0; for c in $CHILDREN; do t=$((t + $(ticks "$c"))); done; echo "$t"; }
    t0=$(sum_ticks); w0=$(date +%s.%N)
    sleep "$WINDOW"
    t1=$(sum_ticks); w1=$(date +%s.%N)
    rss=0; for c in $CHILDREN; do rss=$((rss + $(status_kib "$c" VmRSS))); done
    cpu=$(echo "scale=4; 100 * ($t1 - $t0) / $HZ / ($w1 - $w0)" | bc)
    listed=$("$BIN" get hosts -o json --nats-url "$URL" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
    kill -TERM "$SIM_PID"; wait "$SIM_PID" || true; SIM_PID=""
    printf 'SIM-BENCH %s hosts in %s processes: up in %.2f s; idle CPU %.2f %% of a core (all children) over %.0f s; RSS %.1f MiB (all children); get hosts (2 s window) listed %s/%s\n' \
        "$N" "$PROCESSES" "$up" "$cpu" "$(echo "$w1 - $w0" | bc)" "$(echo "scale=2; $rss / 1024" | bc)" "$listed" "$N"
fi

if [ "${#RESULTS[@]}" -ge 2 ]; then
    read -r n1 c1 r1 <<<"${RESULTS[-2]}"
    read -r n2 c2 r2 <<<"${RESULTS[-1]}"
    printf 'SIM-BENCH one host (from %s to %s hosts): %.2f µs of CPU a second, %.1f KiB of memory\n' "$n1" "$n2" \
        "$(echo "scale=6; ($c2 - $c1) / 100 * 1000000 / ($n2 - $n1)" | bc)" "$(echo "scale=3; ($r2 - $r1) / ($n2 - $n1)" | bc)"
fi
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)   (logs: $WORK)"
