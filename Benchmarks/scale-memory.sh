#!/usr/bin/env bash
# Memory at scale (issue #14, item 4): the real release `latticetop` dashboard, in tmux at 200×60,
# on `latticetop sim --hosts 10000 --scale 50000,20000,20000` (5 components, 2 providers and 2 links
# a host), each in its own process, on a nats-server started here on a free loopback port. Targets:
# RSS ≤ 256 MiB with the complete picture, and flat over an hour of heartbeats.
#
# An hour of heartbeats is 120 heartbeats a host (one every 30 s). The simulator sends them every
# INTERVAL seconds instead, so an hour of them takes 120 × INTERVAL seconds. The providers' health
# checks come every HEALTH_INTERVAL seconds (default 30, the real pace: 20,000 providers make 667 a
# second; at INTERVAL too they would be 30/INTERVAL times that, more than two shared cores carry
# next to the heartbeats). The dashboard's own clocks (its 60 s resync, its 30 s health probes,
# its 1 s tick) run at their real pace. From the complete picture on (the header counts every host, component, provider and link),
# the dashboard's VmRSS and CPU, and the simulator's, are sampled every SAMPLE seconds for HOURS
# hour-equivalents. Reported: RSS at the complete picture, at the end, the peak (VmHWM), and the
# slope of a least-squares line through the samples in MiB per hour-equivalent (over all of them,
# and over the second half, after warm-up); the dashboard's CPU; and the hosts it showed STALE
# (from its own `LATTICETOP_STATS` picture lines: at each sample, and the most at once over the
# run; a live simulator's hosts are never stale, so any is the dashboard's own lag).
#
# Baselines in the same run: the dashboard binary on a quiet 3-host lattice (the demo workload, no
# traffic, 30 s heartbeats) after BASE_WAIT seconds; the simulator's own RSS; and the size of the
# complete picture as JSON on the wire (`latticetop get inventory -o jsonl` + `get links`).
#
#   Benchmarks/scale-memory.sh                          # 10,000 hosts, heartbeats every 3 s, 1 hour-equivalent (6 min)
#   LATTICETOP_MEM_INTERVAL=1.5 LATTICETOP_MEM_HOURS=2 Benchmarks/scale-memory.sh
#   LATTICETOP_MEM_HOSTS=1000 LATTICETOP_MEM_SCALE=5000,2000,2000 Benchmarks/scale-memory.sh   # smaller
#   LATTICETOP_MEM_INTERVAL=30 LATTICETOP_MEM_HOURS=0.1 Benchmarks/scale-memory.sh   # the real pace (30 s), for 6 min
#
# Knobs (environment): LATTICETOP_MEM_HOSTS (10000), LATTICETOP_MEM_SCALE (50000,20000,20000),
# LATTICETOP_MEM_PROCESSES (1: `sim --processes`; with more, child 0 holds the whole workload on
# its share of the hosts), LATTICETOP_MEM_INTERVAL (3), LATTICETOP_MEM_HEALTH_INTERVAL (30), LATTICETOP_MEM_HOURS (1), LATTICETOP_MEM_SAMPLE
# (5), LATTICETOP_MEM_BASE_WAIT (20), LATTICETOP_MEM_PICTURE_TIMEOUT (300), LATTICETOP_MEM_LINKS_OPTIONAL
# (1: start sampling once hosts, components and providers are complete, links or not; 0: links too), SCRATCH (.build-release),
# LATTICETOP_MEM_SKIP_BUILD=1 (use the binary already built). Results: SCALE-MEMORY lines; the
# samples are kept in the work directory (samples.tsv) named at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

HOSTS=${LATTICETOP_MEM_HOSTS:-10000}
SCALE=${LATTICETOP_MEM_SCALE:-50000,20000,20000}
PROCESSES=${LATTICETOP_MEM_PROCESSES:-1}
INTERVAL=${LATTICETOP_MEM_INTERVAL:-3}
HEALTH_INTERVAL=${LATTICETOP_MEM_HEALTH_INTERVAL:-30}
HOURS=${LATTICETOP_MEM_HOURS:-1}
SAMPLE=${LATTICETOP_MEM_SAMPLE:-5}
BASE_WAIT=${LATTICETOP_MEM_BASE_WAIT:-20}
PICTURE_TIMEOUT=${LATTICETOP_MEM_PICTURE_TIMEOUT:-300}
SCRATCH=${SCRATCH:-.build-release}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/latticetop-scale-memory.XXXXXX")
TMUX_SOCKET="latticetop-scale-memory-$$"
HZ=$(getconf CLK_TCK)
IFS=, read -r COMPONENTS PROVIDERS LINKS <<<"$SCALE"
DURATION=$(awk -v h="$HOURS" -v i="$INTERVAL" 'BEGIN { printf "%d", h * 120 * i + 0.5 }')

NATS_SERVER=${LATTICETOP_NATS_SERVER:-$(command -v nats-server || true)}
[[ -n "$NATS_SERVER" ]] || { echo "nats-server not found (scripts/setup.sh installs it)" >&2; exit 1; }
command -v tmux >/dev/null || { echo "tmux not found (scripts/setup.sh installs it)" >&2; exit 1; }

PIDS=()
SIM_PID=""
cleanup() {
    tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null || true
    if [[ -n "$SIM_PID" ]]; then kill -TERM "$SIM_PID" 2>/dev/null || true; wait "$SIM_PID" 2>/dev/null || true; fi
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'echo "scale-memory.sh: failed at line $LINENO" >&2' ERR

load() { cut -d' ' -f1-3 /proc/loadavg; }
kib() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# The simulator's processes: itself, or its children with --processes.
sim_pids() { if (( PROCESSES > 1 )); then pgrep -P "$SIM_PID" | tr '\n' ' '; else echo "$SIM_PID"; fi; }
sum_kib() { local t=0; for p in $(sim_pids); do t=$(( t + $(kib "$p" VmRSS) )); done; echo "$t"; }
sum_ticks() { local t=0; for p in $(sim_pids); do t=$(( t + $(ticks "$p") )); done; echo "$t"; }
wait_for() {  # wait_for SECONDS COMMAND…: until COMMAND succeeds
    local deadline=$(( $(date +%s) + $1 )); shift
    until "$@"; do (( $(date +%s) < deadline )) || return 1; sleep 0.2; done
}
screen_text() { tmux -L "$TMUX_SOCKET" capture-pane -p 2>/dev/null || true; }
header_counts() { screen_text | grep -o 'hosts [0-9]*  comps [0-9]*  provs [0-9]*  links [0-9]*' | head -1 || true; }
# stale_now: the hosts the big lattice's dashboard showed STALE in its latest picture line.
stale_now() { tac "$WORK/stats-big.jsonl" 2>/dev/null | grep -m1 '"event":"picture"' | grep -o '"stale":[0-9]*' | cut -d: -f2 || true; }

echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) cores  load $(load)  $(awk '/MemTotal/ {printf "%.0f GiB RAM", $2 / 1048576}' /proc/meminfo)"
if [[ "${LATTICETOP_MEM_SKIP_BUILD:-0}" != 1 ]]; then
    echo "== building the release binary (scratch path $SCRATCH)…"
    swift build -c release --product latticetop --scratch-path "$SCRATCH" >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log"; exit 1; }
fi
BIN="$SCRATCH/release/latticetop"
[[ -x "$BIN" ]] || { echo "no binary at $BIN" >&2; exit 1; }
# The dashboard's log, config and state stay in the work directory.
export XDG_CONFIG_HOME="$WORK/config" XDG_STATE_HOME="$WORK/state" XDG_CACHE_HOME="$WORK/cache"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
URL="nats://127.0.0.1:$PORT"
# A 20,000-link link.get reply is ~2.5 MB (as on a real lattice of that size).
printf 'max_payload: 8MB\n' >"$WORK/nats.conf"
"$NATS_SERVER" -a 127.0.0.1 -p "$PORT" -c "$WORK/nats.conf" >"$WORK/nats.log" 2>&1 &
PIDS+=($!)
wait_for 20 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" 2>/dev/null || { cat "$WORK/nats.log"; exit 1; }

# start_dashboard LATTICE: the binary in tmux at 200×60; prints its PID.
start_dashboard() {
    tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null || true
    local tries=0
    until tmux -L "$TMUX_SOCKET" new-session -d -x 200 -y 60 "exec env LATTICETOP_STATS=$WORK/stats-$1.jsonl $BIN --nats-url $URL --lattice $1" 2>/dev/null; do
        (( ++tries < 50 )) || { echo "tmux would not start" >&2; exit 1; }
        sleep 0.2
    done
    tmux -L "$TMUX_SOCKET" display -p '#{pane_pid}'
}
stop_dashboard() {
    tmux -L "$TMUX_SOCKET" send-keys q
    wait_for 10 bash -c "! kill -0 $1 2>/dev/null" || kill "$1" 2>/dev/null || true
    tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null || true
}
# start_sim LATTICE OUT ARGS…: the simulator in the background (SIM_PID), until every host is up.
start_sim() {
    local lattice=$1 out=$2 n; shift 2
    n=$(awk '{for (i = 1; i <= NF; i++) if ($i == "--hosts") print $(i + 1)}' <<<"$*")
    : >"$out"
    "$BIN" sim --nats-url "$URL" --lattice "$lattice" --host-seed 14 "$@" >>"$out" 2>"$out.err" &
    SIM_PID=$!
    local deadline=$(( $(date +%s) + 300 ))
    until grep -q "^simulating $n host(s)" "$out" && (( PROCESSES > 1 || $(grep -c '^  host ' "$out") >= n )); do
        kill -0 "$SIM_PID" 2>/dev/null || { cat "$out.err" >&2; exit 1; }
        (( $(date +%s) < deadline )) || { echo "simulator not up after 300 s" >&2; exit 1; }
        sleep 0.2
    done
}
stop_sim() { kill -TERM "$SIM_PID" 2>/dev/null || true; wait "$SIM_PID" 2>/dev/null || true; SIM_PID=""; }

# --- Baseline: the dashboard on a quiet 3-host lattice.
PROCESSES_WANTED=$PROCESSES; PROCESSES=1
start_sim small "$WORK/sim-small.out" --hosts 3 --rate 0
DPID=$(start_dashboard small)
wait_for 60 bash -c "tmux -L $TMUX_SOCKET capture-pane -p | grep -q 'hosts 3 '" || { screen_text; echo "3-host lattice not shown" >&2; exit 1; }
sleep "$BASE_WAIT"
BASE_RSS=$(kib "$DPID" VmRSS)
stop_dashboard "$DPID"
stop_sim
PROCESSES=$PROCESSES_WANTED
echo "SCALE-MEMORY baseline: dashboard on a quiet 3-host lattice (demo workload, no traffic) after ${BASE_WAIT} s: RSS $(mib "$BASE_RSS") MiB"

# --- The lattice at scale.
echo "== $HOSTS hosts, $COMPONENTS components, $PROVIDERS providers, $LINKS links; heartbeats every $INTERVAL s, health checks every $HEALTH_INTERVAL s; $HOURS hour-equivalent(s) = $DURATION s; load $(load)"
t_sim=$(date +%s.%N)
start_sim big "$WORK/sim-big.out" --hosts "$HOSTS" --processes "$PROCESSES" --scale "$SCALE" --rate 0 \
    --heartbeat-interval "$INTERVAL" --health-interval "$HEALTH_INTERVAL"
echo "   simulator up in $(awk -v a="$t_sim" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"

t_dash=$(date +%s.%N)
DPID=$(start_dashboard big)
# Every host, component and provider; the links too with LATTICETOP_MEM_LINKS_OPTIONAL=0 (by default
# sampling starts without them: at 10,000 hosts the dashboard has not shown them; the header at
# the end says how many were shown).
want="hosts $HOSTS  comps $COMPONENTS  provs $PROVIDERS  links $LINKS"
[[ "${LATTICETOP_MEM_LINKS_OPTIONAL:-1}" == 1 ]] && want="hosts $HOSTS  comps $COMPONENTS  provs $PROVIDERS  links"
if ! wait_for "$PICTURE_TIMEOUT" bash -c "tmux -L $TMUX_SOCKET capture-pane -p | grep -q '$want'"; then
    echo "the complete picture was not shown within $PICTURE_TIMEOUT s (header: $(header_counts))" >&2
    screen_text | head -5 >&2
    exit 1
fi
echo "   complete picture after $(awk -v a="$t_dash" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s: $(header_counts)"

# --- Samples from the complete picture on.
printf 't_s\tdash_rss_kib\tdash_cpu_pct\tsim_rss_kib\tsim_cpu_pct\tload1\tstale\theader\n' >"$WORK/samples.tsv"
t0=$(date +%s.%N)
STATS_FROM=$(( $(wc -l <"$WORK/stats-big.jsonl" 2>/dev/null || echo 0) + 1 ))
prev_t=$t0 prev_d=$(ticks "$DPID") prev_s=$(sum_ticks)
START_RSS=$(kib "$DPID" VmRSS)
SIM_START_RSS=$(sum_kib)
cpu0_d=$prev_d cpu0_s=$prev_s
while :; do
    sleep "$SAMPLE"
    if ! kill -0 "$DPID" 2>/dev/null || [[ "$(kib "$DPID" VmRSS)" == "" || "$(kib "$DPID" VmRSS)" == 0 ]]; then
        echo "SCALE-MEMORY the dashboard exited $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }') s into the run (figures from the samples before)"
        DIED=1
        break
    fi
    now=$(date +%s.%N) d=$(ticks "$DPID") s=$(sum_ticks)
    t=$(awk -v a="$t0" -v b="$now" 'BEGIN { printf "%.1f", b - a }')
    dt=$(awk -v a="$prev_t" -v b="$now" 'BEGIN { print b - a }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$(kib "$DPID" VmRSS)" \
        "$(awk -v x=$((d - prev_d)) -v hz="$HZ" -v dt="$dt" 'BEGIN { printf "%.1f", 100 * x / hz / dt }')" \
        "$(sum_kib)" "$(awk -v x=$((s - prev_s)) -v hz="$HZ" -v dt="$dt" 'BEGIN { printf "%.1f", 100 * x / hz / dt }')" \
        "$(cut -d' ' -f1 /proc/loadavg)" "$(stale_now)" "$(header_counts)" >>"$WORK/samples.tsv"
    prev_t=$now prev_d=$d prev_s=$s
    awk -v t="$t" -v d="$DURATION" 'BEGIN { exit !(t >= d) }' && break
done
if [[ -n "${DIED:-}" ]]; then
    END_RSS=$(awk -F'\t' 'NR > 1 { r = $2 } END { print r + 0 }' "$WORK/samples.tsv")
    PEAK_RSS=$(awk -F'\t' 'NR > 1 && $2 > m { m = $2 } END { print m + 0 }' "$WORK/samples.tsv")
else
    END_RSS=$(kib "$DPID" VmRSS)
    PEAK_RSS=$(kib "$DPID" VmHWM)
fi
SIM_END_RSS=$(sum_kib)
elapsed=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
DASH_CPU=$(awk -v x=$(( $(ticks "$DPID") - cpu0_d )) -v hz="$HZ" -v dt="$elapsed" 'BEGIN { printf "%.1f", 100 * x / hz / dt }')
[[ -z "${DIED:-}" ]] || DASH_CPU="?"
SIM_CPU=$(awk -v x=$(( $(sum_ticks) - cpu0_s )) -v hz="$HZ" -v dt="$elapsed" 'BEGIN { printf "%.1f", 100 * x / hz / dt }')
LAST_HEADER=$(header_counts)
DROPS=$(screen_text | grep -o '[0-9]* dropped[^│]*' | head -1 || true)
# STALE hosts over the sampled run: every picture line the dashboard wrote from the first sample on.
STALE_END=$(stale_now)
STALE_MAX=$(tail -n +"$STATS_FROM" "$WORK/stats-big.jsonl" 2>/dev/null | grep '"event":"picture"' | grep -o '"stale":[0-9]*' | cut -d: -f2 | sort -n | tail -1 || true)
STALE_PICTURES=$(tail -n +"$STATS_FROM" "$WORK/stats-big.jsonl" 2>/dev/null | grep -c '"event":"picture"' || true)
# The monitor's hand-over: the most inputs the loop took at once (what waited for it) over the run.
HANDOVER_MAX=$(tail -n +"$STATS_FROM" "$WORK/stats-big.jsonl" 2>/dev/null | grep '"event":"handover"' | grep -o '"max_batch":[0-9]*' | cut -d: -f2 | sort -n | tail -1 || true)
# The complete picture as JSON on the wire: every inventory and the links.
"$BIN" get inventory -o jsonl --timeout 10000 --nats-url "$URL" --lattice big >"$WORK/inventory.jsonl" 2>/dev/null || true
"$BIN" get links -o json --timeout 10000 --nats-url "$URL" --lattice big >"$WORK/links.json" 2>/dev/null || true
WIRE_BYTES=$(( $(stat -c %s "$WORK/inventory.jsonl") + $(stat -c %s "$WORK/links.json") ))
echo "SCALE-MEMORY wire: $(wc -l <"$WORK/inventory.jsonl") inventories + links as JSON = $(awk -v b="$WIRE_BYTES" 'BEGIN { printf "%.1f", b / 1048576 }') MiB"

stop_dashboard "$DPID"
stop_sim

# Least-squares slope of RSS (MiB) over time, scaled to MiB per hour-equivalent (120 × INTERVAL s).
slope() {  # slope FROM_FRACTION: over the samples from that fraction of the run on
    awk -F'\t' -v from="$1" -v d="$DURATION" -v per="$(awk -v i="$INTERVAL" 'BEGIN { print 120 * i }')" '
        NR > 1 && $1 >= from * d { n++; x = $1; y = $2 / 1024; sx += x; sy += y; sxx += x * x; sxy += x * y }
        END { if (n < 2 || n * sxx == sx * sx) { print "?"; exit } printf "%+.1f", (n * sxy - sx * sy) / (n * sxx - sx * sx) * per }' "$WORK/samples.tsv"
}
MIN_RSS=$(awk -F'\t' 'NR > 1 { m = (m == "" || $2 < m) ? $2 : m } END { print m }' "$WORK/samples.tsv")
MAX_RSS=$(awk -F'\t' 'NR > 1 && $2 > m { m = $2 } END { print m + 0 }' "$WORK/samples.tsv")

echo "SCALE-MEMORY dashboard, $HOSTS hosts / $COMPONENTS components: RSS at the complete picture $(mib "$START_RSS") MiB, at the end $(mib "$END_RSS") MiB, samples $(mib "$MIN_RSS")–$(mib "$MAX_RSS") MiB, peak (VmHWM) $(mib "$PEAK_RSS") MiB (target ≤ 256 MiB)"
echo "SCALE-MEMORY slope: $(slope 0) MiB per hour-equivalent over the run, $(slope 0.5) MiB per hour-equivalent over its second half ($(( $(wc -l <"$WORK/samples.tsv") - 1 )) samples, every $SAMPLE s, over ${DURATION} s = $HOURS h of 30 s heartbeats at $INTERVAL s)"
echo "SCALE-MEMORY CPU over the run: dashboard $DASH_CPU % of a core, simulator $SIM_CPU %; simulator RSS $(mib "$SIM_START_RSS") → $(mib "$SIM_END_RSS") MiB; header at the end: $LAST_HEADER${DROPS:+; $DROPS}"
echo "SCALE-MEMORY stale hosts shown (LATTICETOP_STATS): at the end ${STALE_END:-?}, most at once ${STALE_MAX:-?} (over $STALE_PICTURES picture lines from the first sample on), of $HOSTS"
echo "SCALE-MEMORY hand-over: the most inputs waiting for the loop at once (taken in one batch) ${HANDOVER_MAX:-?}"
# The C library's heap (the dashboard's `heap` lines, every 5 s, glibc only): in use, kept free in
# the heaps (fragmentation), mmapped blocks, as min–max (median) MiB over the run.
heap_range() {
    tail -n +"$STATS_FROM" "$WORK/stats-big.jsonl" 2>/dev/null | grep '"event":"heap"' | grep -o "\"$1\":[0-9]*" | cut -d: -f2 | sort -n |
        awk '{ v[NR] = $1 / 1048576 } END { if (NR == 0) { print "?"; exit } printf "%.0f–%.0f (%.0f)", v[1], v[NR], v[int((NR + 1) / 2)] }'
}
HEAP_READINGS=$(tail -n +"$STATS_FROM" "$WORK/stats-big.jsonl" 2>/dev/null | grep -c '"event":"heap"' || true)
if (( ${HEAP_READINGS:-0} > 0 )); then
    echo "SCALE-MEMORY heap (glibc, $HEAP_READINGS readings), MiB min–max (median): RSS $(heap_range rss), in use $(heap_range in_use), free in the heaps $(heap_range free), mmapped $(heap_range mmapped)"
fi
echo "SCALE-MEMORY ratios: dashboard at the end ÷ quiet 3-host dashboard $(awk -v a="$END_RSS" -v b="$BASE_RSS" 'BEGIN { printf "%.1f", a / b }')×; ÷ simulator $(awk -v a="$END_RSS" -v b="$SIM_END_RSS" 'BEGIN { printf "%.2f", a / b }')×; (end − quiet) ÷ wire JSON $(awk -v a="$END_RSS" -v b="$BASE_RSS" -v w="$WIRE_BYTES" 'BEGIN { printf "%.1f", (a - b) * 1024 / w }')×"
echo "== load after: $(load)   (samples: $WORK/samples.tsv)"
