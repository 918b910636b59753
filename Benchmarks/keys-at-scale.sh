#!/usr/bin/env bash
# Keys at 100,000 rows, as a user meets them (issue #14 item 3: sorting and filtering 100,000
# rows ≤ 50 ms). Every actor a process of its own: nats-server; `latticetop sim` with HOSTS hosts
# and HOSTS×PER_HOST components (`--scale`, placed round-robin: PER_HOST on every host; heartbeats
# every 30 s, so the lattice keeps changing); the release `latticetop` in tmux at 200×60 with
# LATTICETOP_STATS=<file>, on the Components pane. Keys are sent with `tmux send-keys`, one at a
# time, each after the frame answering the one before; the dashboard writes a `key` line for the
# first frame presented after keys (README, *Measuring the dashboard*). Per key:
#   wall     ms from just before `tmux send-keys` to the end of that frame's present (wall clock,
#            both sides): the whole way from the key to the screen;
#   loop     ms from the dashboard reading the key to the end of the frame;
#   frame    ms of the frame alone (view, render, present).
# Baseline, same process: `j` (the selection moves one row; nothing is sorted or filtered).
# Then new sorts (⇧H, ⇧S, ⇧S again = reversed, ⇧A, ⇧N, ⇧I, …), and a plain-text filter typed
# key by key (`/`, then `app-17`, a backspace, `esc`). Medians and maxima, and the ratio of each
# kind's median to the baseline's.
#
#   Benchmarks/keys-at-scale.sh [HOSTS=1000] [PER_HOST=100]
#   SCRATCH=.build-release  BUILD=0 (use the binary as built)  PERF=1 (perf record -g of the dashboard
#   during the keys, into the work folder)  ROUNDS=2
set -euo pipefail
cd "$(dirname "$0")/.."

HOSTS=${1:-1000}
PER_HOST=${2:-100}
ROWS=$((HOSTS * PER_HOST))
SCRATCH=${SCRATCH:-.build-release}
LATTICE=default
WORK=$(mktemp -d "${TMPDIR:-/tmp}/latticetop-keys-scale.XXXXXX")
TMUX_SOCKET="latticetop-keys-scale-$$"

NATS_SERVER=${LATTICETOP_NATS_SERVER:-$(command -v nats-server || true)}
[[ -n "$NATS_SERVER" ]] || { echo "nats-server not found (apt-get install -y nats-server)" >&2; exit 1; }
command -v tmux >/dev/null || { echo "tmux not found (apt-get install -y tmux)" >&2; exit 1; }

PIDS=()
cleanup() {
    tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null || true
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT

load() { cut -d' ' -f1-3 /proc/loadavg; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) cores  load $(load)  $HOSTS hosts × $PER_HOST components = $ROWS rows"
if [[ ${BUILD:-1} == 1 ]]; then
    echo "== building the release binary (scratch path $SCRATCH)…"
    swift build -c release --product latticetop --scratch-path "$SCRATCH" >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log"; exit 1; }
fi
BIN="$PWD/$SCRATCH/release/latticetop"
mkdir -p "$WORK/home"
RUN_ENV=(env HOME="$WORK/home" WASH_CONTEXT_DIR=/nonexistent-latticetop XDG_CONFIG_HOME="$WORK/home/.config" XDG_STATE_HOME="$WORK/home/.state")

PORT=$(free_port)
printf 'listen: 127.0.0.1:%s\nmax_payload: 8MB\n' "$PORT" >"$WORK/nats.conf"
"$NATS_SERVER" -c "$WORK/nats.conf" >"$WORK/nats.log" 2>&1 &
PIDS+=($!)
wait_port "$PORT" || { cat "$WORK/nats.log"; exit 1; }
URL="nats://127.0.0.1:$PORT"
"$BIN" sim --nats-url "$URL" --lattice "$LATTICE" --hosts "$HOSTS" --processes 1 --scale "$ROWS,0,0" --rate 0 --no-wadm --host-seed 14 \
    >"$WORK/sim.out" 2>"$WORK/sim.err" &
PIDS+=($!)
for _ in $(seq 1 3000); do grep -q "^simulating $HOSTS host(s) " "$WORK/sim.out" 2>/dev/null && break; sleep 0.1; done
grep -q "^simulating" "$WORK/sim.out" || { tail "$WORK/sim.err"; exit 1; }

STATS="$WORK/stats.jsonl"
tmux -L "$TMUX_SOCKET" new-session -d -x 200 -y 60 "exec ${RUN_ENV[*]} LATTICETOP_STATS=$STATS $BIN --nats-url $URL --lattice $LATTICE"
DASH=$(tmux -L "$TMUX_SOCKET" display -p '#{pane_pid}')

# The number of lines of the stats file that are `key` lines.
key_lines() { grep -c '"event":"key"' "$STATS" 2>/dev/null || true; }
# The last `key` line's field.
last_key() { grep '"event":"key"' "$STATS" | tail -1 | python3 -c "import json,sys; print(json.loads(sys.stdin.read())['$1'])"; }

# key KIND KEY…: sends the key, waits for the frame answering it, appends "KIND wall loop frame rows".
key() {
    local kind=$1; shift
    local before; before=$(key_lines)
    local sent; sent=$(date +%s%N)
    tmux -L "$TMUX_SOCKET" send-keys "$@"
    local deadline=$(( $(date +%s) + 60 ))
    until (( $(key_lines) > before )); do
        (( $(date +%s) < deadline )) || { echo "no frame after $kind $* in 60 s" >&2; return 1; }
        sleep 0.005
    done
    local wall loop frame rows
    wall=$(last_key wall_ms); loop=$(last_key latency_ms); frame=$(last_key frame_ms); rows=$(last_key rows)
    echo "$kind $(awk -v w="$wall" -v s="$sent" 'BEGIN { printf "%.3f", w - s / 1e6 }') $loop $frame $rows" >>"$WORK/keys.txt"
}

echo "== waiting for the complete picture ($HOSTS hosts inventoried; load $(load))…"
for _ in $(seq 1 1200); do grep -q '"event":"complete"' "$STATS" 2>/dev/null && break; sleep 0.1; done
grep '"event":"complete"' "$STATS" || { echo "no complete picture"; tail -3 "$STATS"; exit 1; }
# The Components pane, then every row listed (the `key` line counts the rows shown).
key pane 2
for _ in $(seq 1 600); do
    key warmup j
    [[ $(tail -1 "$WORK/keys.txt" | awk '{print $5}') == "$ROWS" ]] && break
    sleep 0.1
done
[[ $(tail -1 "$WORK/keys.txt" | awk '{print $5}') == "$ROWS" ]] || { echo "the Components pane never listed $ROWS rows: $(tail -1 "$WORK/keys.txt")"; exit 1; }
: >"$WORK/keys.txt"
echo "== Components pane lists $ROWS rows (load $(load)); keys…"
start_ticks=$(awk '{print $14 + $15}' "/proc/$DASH/stat")
if [[ ${PERF:-0} == 1 ]]; then perf record -F 999 -g -p "$DASH" -o "$WORK/perf.data" >"$WORK/perf.log" 2>&1 & PERF_PID=$!; fi
for round in $(seq 1 "${ROUNDS:-2}"); do
    for _ in $(seq 1 10); do key baseline j; done
    for k in H S S A N I H A S I; do key sort "$k"; done
    key filter-open /
    for c in a p p - 1 7; do key filter-type "$c"; done
    key filter-widen BSpace
    key filter-close Escape
    key filter-clear Escape
    key sort-off I; key sort-off I
done
rss=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$DASH/status")
end_ticks=$(awk '{print $14 + $15}' "/proc/$DASH/stat")
if [[ -n ${PERF_PID:-} ]]; then kill -INT "$PERF_PID"; wait "$PERF_PID" || true; fi
tmux -L "$TMUX_SOCKET" send-keys q

python3 - "$WORK/keys.txt" "$ROWS" "$rss" <<'EOF'
import sys, statistics
rows = {}
for line in open(sys.argv[1]):
    kind, wall, loop, frame, shown = line.split()
    rows.setdefault(kind, []).append((float(wall), float(loop), float(frame), int(shown)))
def med(xs): return statistics.median(xs) if xs else float("nan")
base = med([r[0] for r in rows.get("baseline", [])])
print(f"{'keys':<14}{'n':>4}{'wall median':>13}{'wall max':>10}{'loop median':>13}{'frame median':>14}{'frame max':>11}{'rows':>9}{'÷ baseline':>12}")
for kind in ["baseline", "sort", "filter-open", "filter-type", "filter-widen", "filter-close", "filter-clear", "sort-off"]:
    r = rows.get(kind, [])
    if not r: continue
    w = [x[0] for x in r]
    print(f"{kind:<14}{len(r):>4}{med(w):>13.1f}{max(w):>10.1f}{med([x[1] for x in r]):>13.1f}{med([x[2] for x in r]):>14.1f}"
          f"{max(x[2] for x in r):>11.1f}{max(x[3] for x in r):>9}{med(w) / base:>11.2f}×")
sort = [x[0] for x in rows.get("sort", [])]
typed = [x[0] for x in rows.get("filter-type", [])]
print(f"KEYS-AT-SCALE {sys.argv[2]} rows: new sort wall median {med(sort):.1f} ms (max {max(sort):.1f}), "
      f"typed filter key wall median {med(typed):.1f} ms (max {max(typed):.1f}); baseline (j) {base:.1f} ms; "
      f"target ≤ 50 ms; dashboard RSS {sys.argv[3]} MiB")
EOF
echo "== dashboard CPU during the keys: $(( (end_ticks - start_ticks) * 1000 / $(getconf CLK_TCK) )) ms;  load after $(load)  (files: $WORK)"
