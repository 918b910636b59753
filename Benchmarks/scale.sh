#!/usr/bin/env bash
# Scale benchmark (issue #14): the first full picture of a 10,000-host lattice, as a user gets it.
# Every actor is a process of its own: nats-server, `latticetop sim` (5 components and 2 providers
# on every host, and LINKS links per host (2: 20,000 links at 10,000 hosts, from the components to
# the providers): --scale 5N,2N,LINKS×N placed round-robin, split over --processes so the simulator
# has the CPU), the raw baseline (Benchmarks/scale/rawsync.c: cnats, one host.ping broadcast, then one
# host.get per host as it answers; decodes nothing but the host IDs), and the release `latticetop`
# binary. Per round, interleaved (each after the raw client it is compared with):
#   raw        rawsync: ms from its process start until every inventory is in (inventories), and
#              until then or the end of a 2 s ping window, whichever is later (complete: what a
#              client that does not know the host count waits before its picture is complete);
#   dashboard  `latticetop` in tmux at 200×60 on the Hosts pane with LATTICETOP_STATS=<file>: ms
#              from its process start to the first presented frame showing every host with its
#              inventory (the first "picture" line with inventoried = N), to the first frame
#              after its sync completed ("complete"), and to the first frame listing every link
#              (a "picture" line with links = LINKS×N; link.get's reply is ~230 bytes a link). Ratios: full picture ÷ raw inventories,
#              complete ÷ raw complete;
#   get hosts / get inventory -o jsonl: ms from launch until the N-th row arrived and until exit,
#              against raw pings / inventories and raw complete.
# Then, on the last round's dashboard left running LIVE seconds with the lattice changing (every
# host's heartbeat over 30 s: 333 host changes a second, provider health checks, wRPC traffic at
# --rate), the frame times from its stats file (5 s windows after the complete picture: frames
# after a state change, p50 and p99, and the max), CPU and RSS; beside it, the baseline of those
# frame times (Benchmarks/scale/frameprobe.c: the same PROBE_WORK_MS of CPU every 33 ms, timed as
# the dashboard times a frame), reported in the dashboard's windows: what the machine alone does to
# a frame's wall time, and the dashboard's p99 ÷ the baseline's.
# All of it twice: on one nats-server, and on a 3-node cluster (routes on loopback; the sim's two
# processes on nodes 2 and 3, the dashboard and the raw client on node 1). Last, the memory phase:
# Benchmarks/scale-memory.sh (if present, standalone).
#
#   Benchmarks/scale.sh [HOSTS=10000] [ROUNDS=3]
#   SCRATCH=.build-release  BUILD=0 (use the binary as built)  LIVE=30 (seconds)  SIM_PROCESSES=2 (single node)  TOPOLOGIES="single cluster"
#   PERF=1 (perf record -g of the dashboard while it is live, into <stats file>.perf.data)
#   SCHED=1 (perf sched record of the whole machine while it is live, into <stats file>.sched.data,
#   the dashboard's pid in <stats file>.pid: `perf sched timehist -i … -p <pid>` tells a thread's
#   time waiting for a core, "sch delay", from its time asleep), and where the dashboard's threads
#   went off the core (perf record -e sched:sched_switch -g, into <stats file>.switch.data)
#   LINKS=2 (links per host)  MEMORY=0 (skip the memory phase)  PROBE_WORK_MS=1.5 (the baseline's work)
set -euo pipefail
cd "$(dirname "$0")/.."

HOSTS=${1:-10000}
ROUNDS=${2:-3}
SCRATCH=${SCRATCH:-.build-release}
LIVE=${LIVE:-30}
SIM_PROCESSES=${SIM_PROCESSES:-2}
TOPOLOGIES=${TOPOLOGIES:-single cluster}
LINKS=${LINKS:-2}
PROBE_WORK_MS=${PROBE_WORK_MS:-1.5}
SCALE="$((HOSTS * 5)),$((HOSTS * 2)),$((HOSTS * LINKS))"
WINDOW_MS=2000
LATTICE=default
WORK=$(mktemp -d "${TMPDIR:-/tmp}/latticetop-scale.XXXXXX")
TMUX_SOCKET="latticetop-scale-$$"
HZ=$(getconf CLK_TCK)

NATS_SERVER=${LATTICETOP_NATS_SERVER:-$(command -v nats-server || true)}
[[ -n "$NATS_SERVER" ]] || { echo "nats-server not found (apt-get install -y nats-server)" >&2; exit 1; }
command -v tmux >/dev/null || { echo "tmux not found (apt-get install -y tmux)" >&2; exit 1; }

PIDS=()
SIM_PIDS=()
cleanup() {
    tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null || true
    for p in "${SIM_PIDS[@]}" "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT

load() { cut -d' ' -f1-3 /proc/loadavg; }
now_ns() { date +%s%N; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
wait_for() {  # wait_for SECONDS COMMAND…: until COMMAND succeeds
    local deadline=$(( $(date +%s) + $1 )); shift
    until "$@"; do (( $(date +%s) < deadline )) || return 1; sleep 0.05; done
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a < 0 || b <= 0) print "?"; else printf "%.2f", a / b }'; }
median() { printf '%s\n' "$@" | grep -v '?' | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "?"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
rss_mib() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }

echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) cores  load $(load)  nats-server $("$NATS_SERVER" --version | awk '{print $NF}')  $HOSTS hosts (5 components, 2 providers, $LINKS links each)  $ROUNDS rounds"
echo "== building the release binary (scratch path $SCRATCH) and the raw client…"
if [[ ${BUILD:-1} == 1 ]]; then
    swift build -c release --product latticetop --scratch-path "$SCRATCH" >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log"; exit 1; }
fi
BIN="$PWD/$SCRATCH/release/latticetop"
NATS_LIBS=$(pkg-config --libs libnats 2>/dev/null || echo -lnats)
cc -O2 -o "$WORK/rawsync" Benchmarks/scale/rawsync.c $NATS_LIBS
cc -O2 -o "$WORK/frameprobe" Benchmarks/scale/frameprobe.c
mkdir -p "$WORK/home"
# The dashboard and the CLI as a user without wash contexts runs them.
RUN_ENV=(env HOME="$WORK/home" WASH_CONTEXT_DIR=/nonexistent-latticetop XDG_CONFIG_HOME="$WORK/home/.config" XDG_STATE_HOME="$WORK/home/.state")

# start_nats NAME PORT CLUSTER_PORT ROUTES…  (CLUSTER_PORT 0: no cluster)
start_nats() {
    local name=$1 port=$2 cport=$3; shift 3
    local conf="$WORK/$name.conf"
    {
        echo "server_name: $name"
        echo "listen: 127.0.0.1:$port"
        echo "max_payload: 8MB"
        echo "jetstream { store_dir: \"$WORK/js-$name\" }"
        if (( cport > 0 )); then
            echo "cluster { name: scale, listen: 127.0.0.1:$cport, routes: [$(printf 'nats-route://127.0.0.1:%s,' "$@" | sed 's/,$//')] }"
        fi
    } >"$conf"
    "$NATS_SERVER" -c "$conf" >"$WORK/$name.log" 2>&1 &
    PIDS+=($!)
    wait_port "$port" || { cat "$WORK/$name.log"; exit 1; }
}

# raw URL → "inventories_ms complete_ms pings_ms"
run_raw() {
    local out="$WORK/raw.out"
    "$WORK/rawsync" "$1" "$LATTICE" "$HOSTS" "$WINDOW_MS" 120000 >"$out" || { echo "rawsync failed: $(cat "$out")" >&2; echo "-1 -1 -1"; return; }
    local l; l=$(cat "$out")
    echo "$(sed -n 's/.*inventories_ms=\([0-9.-]*\).*/\1/p' <<<"$l") $(sed -n 's/.*complete_ms=\([0-9.-]*\).*/\1/p' <<<"$l") $(sed -n 's/.*pings_ms=\([0-9.-]*\).*/\1/p' <<<"$l")"
}

# The stats file's milestones → "full_ms complete_ms links_ms"
milestones() {
    python3 - "$1" "$HOSTS" "$((HOSTS * LINKS))" <<'EOF'
import json, sys
full = complete = links = -1
for line in open(sys.argv[1]):
    try: e = json.loads(line)
    except ValueError: continue
    if e.get("event") == "picture" and full < 0 and e["inventoried"] >= int(sys.argv[2]) and e["hosts"] >= int(sys.argv[2]): full = e["ms"]
    if e.get("event") == "picture" and links < 0 and e.get("links", 0) >= int(sys.argv[3]) > 0: links = e["ms"]
    if e.get("event") == "complete" and complete < 0: complete = e["ms"]
print(full, complete, links)
EOF
}

# dashboard URL STATS [LIVE_SECONDS] → "full_ms complete_ms links_ms cpu% rss"; leaves the stats file
run_dashboard() {
    local url=$1 stats=$2 live=${3:-0}
    rm -f "$stats"
    tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null || true
    tmux -L "$TMUX_SOCKET" new-session -d -x 200 -y 60 "exec ${RUN_ENV[*]} LATTICETOP_STATS=$stats $BIN --nats-url $url --lattice $LATTICE"
    local pid; pid=$(tmux -L "$TMUX_SOCKET" display -p '#{pane_pid}')
    wait_for 120 grep -q '"event":"complete"' "$stats" 2>/dev/null || echo "   (no complete picture within 120 s)" >&2
    local cpu="-" rss="-"
    if (( live > 0 )); then
        local t0 w0 perf_pid=""; t0=$(ticks "$pid"); w0=$(now_ns)
        if [[ ${PERF:-0} == 1 ]]; then perf record -F 999 -g -p "$pid" -o "$stats.perf.data" >"$stats.perf.log" 2>&1 & perf_pid=$!; fi
        # The frame-time baseline beside it, and when the dashboard started on the boot clock (ms)
        # to set the two side by side.
        "$WORK/frameprobe" "$live" "$PROBE_WORK_MS" >"$stats.probe" 2>"$stats.probe.log" &
        local probe_pid=$!
        awk -v hz="$HZ" '{ print $22 * 1000 / hz }' "/proc/$pid/stat" >"$stats.start"
        if [[ ${SCHED:-0} == 1 ]]; then
            perf sched record -o "$stats.sched.data" -- sleep "$live" >"$stats.sched.log" 2>&1 &
            perf record -e sched:sched_switch -g -p "$pid" -o "$stats.switch.data" -- sleep "$live" >"$stats.switch.log" 2>&1 &
            echo "$pid" >"$stats.pid"
        fi
        sleep "$live"
        wait "$probe_pid" || true
        if [[ -n $perf_pid ]]; then kill -INT "$perf_pid"; wait "$perf_pid" || true; fi
        cpu=$(awk -v t="$(( $(ticks "$pid") - t0 ))" -v hz="$HZ" -v w="$(( $(now_ns) - w0 ))" 'BEGIN { printf "%.1f", 100 * t / hz / (w / 1e9) }')
    fi
    rss=$(rss_mib "$pid")
    tmux -L "$TMUX_SOCKET" send-keys q
    wait_for 20 bash -c "! kill -0 $pid 2>/dev/null" || kill "$pid" 2>/dev/null || true
    tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null || true
    echo "$(milestones "$stats") $cpu $rss"
}

# get KIND URL → "nth_row_ms exit_ms rows" (ms since launch)
run_get() {
    local kind=$1 url=$2 t0; t0=$(now_ns)
    "${RUN_ENV[@]}" "$BIN" get "$kind" -o jsonl --nats-url "$url" --lattice "$LATTICE" 2>"$WORK/get.err" | python3 -c '
import sys, time
t0, n = int(sys.argv[1]), int(sys.argv[2])
rows, nth = 0, -1
for line in sys.stdin.buffer:
    rows += 1
    if rows == n: nth = (time.time_ns() - t0) / 1e6
print("%.1f %.1f %d" % (nth, (time.time_ns() - t0) / 1e6, rows))' "$t0" "$HOSTS"
}

# frames STATS FROM_MS → a summary of the 5 s windows that began after FROM_MS + 5 s
frames() {
    python3 - "$1" "$2" "$PROBE_WORK_MS" <<'EOF'
import json, sys
path, since = sys.argv[1], float(sys.argv[2]) + 5000
ws = []; slow = []
for line in open(path):
    try: e = json.loads(line)
    except ValueError: continue
    if e.get("event") == "frames" and e["ms"] - e["window_ms"] >= since: ws.append(e)
    if e.get("event") == "slow_frame" and e["ms"] >= since: slow.append(e)
if not ws: print("no frame windows"); sys.exit()
if ws: slow = [e for e in slow if e["ms"] <= ws[-1]["ms"]]
ch = [w["changed"] for w in ws if w["changed"]["frames"] > 0]
p50 = sorted(c["p50_ms"] for c in ch); p99 = sorted(c["p99_ms"] for c in ch)
cpu99 = sorted(c.get("cpu_p99_ms", 0) for c in ch)
print("%d windows of 5 s, %d frames (%d after a state change): after a change p50 %.2f–%.2f ms, p99 %.2f–%.2f ms (worst window), max %.2f ms; all frames p99 worst %.2f ms; UI thread CPU of a frame after a change, p99 %.2f–%.2f ms (per window: %s)"
      % (len(ws), sum(w["frames"] for w in ws), sum(c["frames"] for c in ch), p50[0] if p50 else 0, p50[-1] if p50 else 0,
         p99[0] if p99 else 0, p99[-1] if p99 else 0, max((c["max_ms"] for c in ch), default=0), max(w["p99_ms"] for w in ws),
         cpu99[0] if cpu99 else 0, cpu99[-1] if cpu99 else 0, " ".join("%.1f/%.1f" % (c["p99_ms"], c.get("cpu_p99_ms", 0)) for c in ch)), end="")
# Frames after a change over 4 ms wall, each with its UI CPU time and how far the machine's steal
# time (the hypervisor running something else on a virtual processor) moved while it ran.
stolen = [e for e in slow if e.get("steal_ms", 0) > 0]
interrupted = [e for e in slow if e.get("interrupts_ms", 0) > 0]
print("; slow frames (> 4 ms wall): %d, wall − CPU %.0f ms in all; %d of them while the steal time moved (wall − CPU %.0f ms, steal %.0f ms), %d while the interrupt time moved (wall − CPU %.0f ms, interrupts %.0f ms)"
      % (len(slow), sum(e["wall_ms"] - e["cpu_ms"] for e in slow), len(stolen), sum(e["wall_ms"] - e["cpu_ms"] for e in stolen),
         sum(e["steal_ms"] for e in stolen), len(interrupted), sum(e["wall_ms"] - e["cpu_ms"] for e in interrupted),
         sum(e["interrupts_ms"] for e in interrupted)), end="")
# The baseline beside it (Benchmarks/scale/frameprobe.c): the same piece of work every 33 ms, in
# the dashboard's windows (its samples' boot-clock times less the dashboard's start).
try:
    start = float(open(path + ".start").read())
    probe = [tuple(map(float, l.split())) for l in open(path + ".probe") if len(l.split()) == 6]
except (OSError, ValueError):
    print(); sys.exit()
def rank(p, xs): return xs[max(0, -(-p * len(xs) // 100) - 1)] if xs else 0
rows = []
for w, c in ((w, w["changed"]) for w in ws):
    inside = [s for s in probe if w["ms"] - w["window_ms"] <= s[0] - start <= w["ms"]]
    if not inside or c["frames"] == 0: continue
    rows.append((c["p99_ms"], rank(99, sorted(s[1] for s in inside)), rank(99, sorted(s[2] for s in inside)), len(inside)))
late = [s for s in probe if s[1] > 4]
print("; baseline beside it (frameprobe: the same %s ms of CPU every 33 ms): %d pieces, wall p50 %.2f ms, p99 %.2f ms, max %.2f ms, CPU p50 %.2f ms, p99 %.2f ms; %d over 4 ms wall (wall − CPU %.0f ms in all, %d with an involuntary context switch); per window, dashboard p99 ÷ baseline p99 (baseline wall/CPU p99): %s"
      % (sys.argv[3], len(probe), rank(50, sorted(s[1] for s in probe)), rank(99, sorted(s[1] for s in probe)), max((s[1] for s in probe), default=0),
         rank(50, sorted(s[2] for s in probe)), rank(99, sorted(s[2] for s in probe)), len(late), sum(s[1] - s[2] for s in late),
         sum(1 for s in late if s[5] > 0), " ".join("%.2f× (%.1f/%.1f)" % (d / b if b else 0, b, cpu) for d, b, cpu, _ in rows)))
EOF
}

run_topology() {
    local topo=$1 url
    SIM_PIDS=()
    if [[ $topo == single ]]; then
        local port; port=$(free_port)
        start_nats single "$port" 0
        url="nats://127.0.0.1:$port"
        "$BIN" sim --nats-url "$url" --lattice "$LATTICE" --hosts "$HOSTS" --processes "$SIM_PROCESSES" --scale "$SCALE" \
            --rate 20 --no-wadm --host-seed 14 >"$WORK/sim-$topo.out" 2>"$WORK/sim-$topo.err" &
        SIM_PIDS+=($!)
        wait_for 300 grep -q "^simulating $HOSTS host(s) " "$WORK/sim-$topo.out" 2>/dev/null || { tail "$WORK/sim-$topo.err"; exit 1; }
        echo "== single node: nats-server on $url; sim in $SIM_PROCESSES processes (load $(load))"
    else
        local p1 p2 p3 c1 c2 c3; p1=$(free_port); p2=$(free_port); p3=$(free_port); c1=$(free_port); c2=$(free_port); c3=$(free_port)
        start_nats node1 "$p1" "$c1" "$c2" "$c3"
        start_nats node2 "$p2" "$c2" "$c1" "$c3"
        start_nats node3 "$p3" "$c3" "$c1" "$c2"
        url="nats://127.0.0.1:$p1"
        sleep 2  # the routes form
        # One sim process a node (2 and 3): each half of the lattice, placed as one simulator would.
        local half=$(( HOSTS / 2 ))
        "$BIN" sim --nats-url "nats://127.0.0.1:$p2" --lattice "$LATTICE" --hosts "$half" --first-host 0 --lattice-hosts "$HOSTS" \
            --scale "$SCALE" --rate 20 --no-wadm --host-seed 14 >"$WORK/sim-$topo-2.out" 2>"$WORK/sim-$topo-2.err" &
        SIM_PIDS+=($!)
        "$BIN" sim --nats-url "nats://127.0.0.1:$p3" --lattice "$LATTICE" --hosts "$(( HOSTS - half ))" --first-host "$half" --lattice-hosts "$HOSTS" \
            --hosts-only --scale "$SCALE" --no-wadm --host-seed 14 >"$WORK/sim-$topo-3.out" 2>"$WORK/sim-$topo-3.err" &
        SIM_PIDS+=($!)
        wait_for 300 bash -c "(( \$(grep -c '^  host ' $WORK/sim-$topo-2.out 2>/dev/null || true) + \$(grep -c '^  host ' $WORK/sim-$topo-3.out 2>/dev/null || true) >= $HOSTS ))" \
            || { tail "$WORK"/sim-$topo-*.err; exit 1; }
        echo "== 3-node cluster: dashboard and raw client on node 1 ($url); sim processes on node 2 (:$p2) and node 3 (:$p3) (load $(load))"
    fi
    sleep 10  # the start-up events drain
    # A first ping + host.get round of a fresh simulator is slow (seconds, not ms): one raw run to warm it, not counted.
    read -r w_inv _ w_pings < <(run_raw "$url")
    echo "   warm-up (not counted): raw pings $w_pings ms, inventories $w_inv ms"
    local R_FULL=() R_COMPLETE=() R_GH=() R_GI=() R_GHX=() R_GIX=()
    for r in $(seq 1 "$ROUNDS"); do
        read -r raw_inv raw_complete raw_pings < <(run_raw "$url")
        local live=0; (( r == ROUNDS )) && live=$LIVE
        read -r d_full d_complete d_links d_cpu d_rss < <(run_dashboard "$url" "$WORK/stats-$topo-$r.jsonl" "$live")
        local rf rc; rf=$(ratio "$d_full" "$raw_inv"); rc=$(ratio "$d_complete" "$raw_complete")
        R_FULL+=("$rf"); R_COMPLETE+=("$rc")
        printf 'round %d  raw: pings %s ms, inventories %s ms, complete (2 s window) %s ms | dashboard: full picture %s ms (%s× raw), complete %s ms (%s×), all %d links %s ms  load %s\n' \
            "$r" "$raw_pings" "$raw_inv" "$raw_complete" "$d_full" "$rf" "$d_complete" "$rc" "$((HOSTS * LINKS))" "$d_links" "$(load)"
        read -r gh_n gh_x gh_rows < <(run_get hosts "$url")
        read -r gi_n gi_x gi_rows < <(run_get inventory "$url")
        R_GH+=("$(ratio "$gh_n" "$raw_pings")"); R_GHX+=("$(ratio "$gh_x" "$raw_complete")")
        R_GI+=("$(ratio "$gi_n" "$raw_inv")"); R_GIX+=("$(ratio "$gi_x" "$raw_complete")")
        printf '         get hosts -o jsonl: %s rows, row %d at %s ms (%s× raw pings), exit %s ms (%s× raw complete) | get inventory -o jsonl: %s rows, row %d at %s ms (%s× raw inventories), exit %s ms (%s×)\n' \
            "$gh_rows" "$HOSTS" "$gh_n" "${R_GH[-1]}" "$gh_x" "${R_GHX[-1]}" "$gi_rows" "$HOSTS" "$gi_n" "${R_GI[-1]}" "$gi_x" "${R_GIX[-1]}"
        if (( live > 0 )); then
            LIVE_LINE="live $LIVE s after the complete picture: dashboard CPU $d_cpu % of a core, RSS $d_rss MiB; frames (Hosts pane, 200×60): $(frames "$WORK/stats-$topo-$r.jsonl" "$d_complete")"
        fi
    done
    echo "SCALE-BENCH $topo $HOSTS hosts: median ratio to raw — first full picture $(median "${R_FULL[@]}")× (target ≤ 1.2), complete after the sync $(median "${R_COMPLETE[@]}")×; get hosts all rows $(median "${R_GH[@]}")×, exit $(median "${R_GHX[@]}")×; get inventory all rows $(median "${R_GI[@]}")×, exit $(median "${R_GIX[@]}")×"
    echo "SCALE-BENCH $topo $HOSTS hosts: ${LIVE_LINE:-}"
    for p in "${SIM_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${SIM_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    SIM_PIDS=()
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    PIDS=()
}

for topo in $TOPOLOGIES; do run_topology "$topo"; done

if [[ ${MEMORY:-1} == 1 && -x Benchmarks/scale-memory.sh ]]; then
    echo "== memory (Benchmarks/scale-memory.sh, load $(load))"
    SCRATCH="$SCRATCH" Benchmarks/scale-memory.sh
fi
echo "== load after: $(load)   (logs and stats files: $WORK)"
