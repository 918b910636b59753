#!/usr/bin/env bash
# The spy at wire speed as a user runs it: nats-server, a publisher, a raw counter and the release
# `latticetop` binary, each a process of its own, on a nats-server started here on a free loopback
# port. Per round, interleaved (each mode right after the raw counter it is compared with):
#   raw       a cnats subscriber in C that only counts (Benchmarks/spy/counter.c): the baseline;
#   dashboard `latticetop` in tmux at 200×60 on the Spy pane (key 8): captured and dropped read
#             from the pane title ("N captured, M dropped");
#   jsonl     `latticetop spy -o jsonl > file`: message lines printed, drops from its totals line;
#   text      `latticetop spy -o text > file`: call lines printed, drops from its totals line.
# Each phase: COUNT wRPC-shaped invocations (Benchmarks/spy/publisher.c, 48-byte payload, the
# source-id and link-name headers, a unique reply inbox; nobody answers) published at full speed.
# Rate = messages handled ÷ (when the last one was handled − when publishing started); for the
# file modes "handled" is "printed" (the file is polled every 20 ms), for the dashboard it is
# "captured" (the title polled every 100 ms until captured + dropped = COUNT). Ratios are against
# the raw counter of the same round; the summary gives their median over ROUNDS. The file modes
# are stopped with SIGINT: the time to exit and the totals line are recorded.
# Then, per mode (RSS_MODES, default all three), RSS after RSS_COUNT messages.
#
#   Benchmarks/spy.sh [COUNT=2000000] [ROUNDS=3] [RSS_COUNT=10000000]
#   SCRATCH=.build-release (scratch path of the release build); RSS_MODES="dashboard jsonl text"
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=${1:-2000000}
ROUNDS=${2:-3}
RSS_COUNT=${3:-10000000}
SCRATCH=${SCRATCH:-.build-release}
LATTICE=bench
WORK=$(mktemp -d "${TMPDIR:-/tmp}/latticetop-spybench.XXXXXX")
TMUX_SOCKET="latticetop-spybench-$$"

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

echo "== building the release binary (scratch path $SCRATCH) and the C publisher and counter…"
swift build -c release --product latticetop --scratch-path "$SCRATCH" >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log"; exit 1; }
BIN="$SCRATCH/release/latticetop"
NATS_LIBS=$(pkg-config --libs libnats 2>/dev/null || echo -lnats)
cc -O2 -o "$WORK/publisher" Benchmarks/spy/publisher.c $NATS_LIBS
cc -O2 -o "$WORK/counter" Benchmarks/spy/counter.c $NATS_LIBS

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
URL="nats://127.0.0.1:$PORT"
"$NATS_SERVER" -a 127.0.0.1 -p "$PORT" >"$WORK/nats.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done

now_ns() { date +%s%N; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
field() { sed -n "s/.*$1=\([0-9]*\).*/\1/p" "$2" | tail -1; }
rss_mib() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { d = (b - a) / 1e9; printf "%.0f", (d > 0 ? n / d : 0) }'; }
wait_for() {  # wait_for SECONDS COMMAND…: until COMMAND succeeds
    local deadline=$(( $(date +%s) + $1 )); shift
    until "$@"; do (( $(date +%s) < deadline )) || return 1; sleep 0.05; done
}

# raw N → "rate received dropped"
run_raw() {
    local n=$1 out="$WORK/raw.out"
    "$WORK/counter" "$URL" "$LATTICE" "$n" 3000 >"$out" &
    local pid=$!
    wait_for 20 grep -q ready "$out"
    "$WORK/publisher" "$URL" "$LATTICE" "$n" >"$WORK/pub.out"
    wait "$pid"
    local start; start=$(field start_ns "$WORK/pub.out")
    echo "$(rate "$(field received "$out")" "$start" "$(field last_ns "$out")") $(field received "$out") $(field dropped "$out")"
}

# file MODE N TARGET → "rate printed captured dropped stop_ms rss_mib"
run_file() {
    local mode=$1 n=$2 target=$3 err="$WORK/err.$1"
    : >"$err"
    "$BIN" spy -o "$mode" --nats-url "$URL" --lattice "$LATTICE" >"$target" 2>"$err" &
    local pid=$!
    wait_for 20 grep -q "Spying on" "$err"
    "$WORK/publisher" "$URL" "$LATTICE" "$n" >"$WORK/pub.out" &
    local pub=$! size=-1 last; last=$(now_ns)
    # Poll until publishing is over and the output has not grown for 1.5 s.
    while :; do
        local s; s=$(stat -c %s "$target" 2>/dev/null || echo 0)
        if [[ "$s" != "$size" ]]; then size=$s; last=$(now_ns); fi
        if ! kill -0 "$pub" 2>/dev/null && (( $(now_ns) - last > 1500000000 )); then break; fi
        sleep 0.02
    done
    wait "$pub" 2>/dev/null || true
    local rss; rss=$(rss_mib "$pid")
    local t0; t0=$(now_ns)
    kill -INT "$pid"
    wait "$pid" || true
    local stop_ms=$(( ($(now_ns) - t0) / 1000000 ))
    local printed
    if [[ "$mode" == jsonl ]]; then printed=$(grep -c '"event":"message"' "$target" || true)
    else printed=$(grep -vc '↳' "$target" || true); fi
    local totals; totals=$(tail -1 "$err")
    local captured dropped
    captured=$(sed -n 's/.*received: \([0-9]*\) captured.*/\1/p' <<<"$totals")
    dropped=$(sed -n 's/.* captured, \([0-9]*\) dropped.*/\1/p' <<<"$totals")
    echo "$(rate "$printed" "$(field start_ns "$WORK/pub.out")" "$last") $printed ${captured:-?} ${dropped:-?} $stop_ms $rss"
    echo "    $mode totals: $totals" >&2
}

# dashboard N → "rate captured dropped rss_mib"
run_dashboard() {
    local n=$1
    tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null || true
    tmux -L "$TMUX_SOCKET" new-session -d -x 200 -y 60 "$BIN --nats-url $URL --lattice $LATTICE"
    local pid; pid=$(tmux -L "$TMUX_SOCKET" display -p '#{pane_pid}')
    screen() { tmux -L "$TMUX_SOCKET" capture-pane -p; }
    wait_for 30 bash -c "tmux -L $TMUX_SOCKET capture-pane -p | grep -q 'Hosts'"
    tmux -L "$TMUX_SOCKET" send-keys 8
    wait_for 30 bash -c "tmux -L $TMUX_SOCKET capture-pane -p | grep -q ' captured, '"
    "$WORK/publisher" "$URL" "$LATTICE" "$n" >"$WORK/pub.out" &
    local pub=$! captured=0 dropped=0 last; last=$(now_ns)
    local deadline=$(( $(date +%s) + 600 ))
    while (( $(date +%s) < deadline )); do
        local title; title=$(screen | grep -o '[0-9]* captured, [0-9]* dropped' | head -1 || true)
        if [[ -n "$title" ]]; then
            local c=${title%% captured*} d; d=${title#* captured, }; d=${d%% dropped*}
            if [[ "$c" != "$captured" || "$d" != "$dropped" ]]; then captured=$c; dropped=$d; last=$(now_ns); fi
            (( captured + dropped >= n )) && break
        fi
        sleep 0.1
    done
    wait "$pub" 2>/dev/null || true
    local rss; rss=$(rss_mib "$pid")
    tmux -L "$TMUX_SOCKET" send-keys q
    wait_for 10 bash -c "! kill -0 $pid 2>/dev/null" || kill "$pid" 2>/dev/null || true
    tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null || true
    echo "$(rate "$captured" "$(field start_ns "$WORK/pub.out")" "$last") $captured $dropped $rss"
}

echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) cores  load $(load)  nats-server $("$NATS_SERVER" --version | awk '{print $NF}')  $COUNT messages a phase, $ROUNDS rounds"
declare -a R_DASH R_JSONL R_TEXT
for r in $(seq 1 "$ROUNDS"); do
    (( ROUNDS > 0 )) || break
    for mode in dashboard jsonl text; do
        read -r raw_rate raw_n raw_drop < <(run_raw "$COUNT")
        case $mode in
            dashboard)
                read -r m_rate m_cap m_drop m_rss < <(run_dashboard "$COUNT")
                ratio=$(awk -v a="$m_rate" -v b="$raw_rate" 'BEGIN { printf "%.3f", a / b }')
                R_DASH+=("$ratio")
                printf 'round %d  raw %8s msg/s (%s, %s dropped)  dashboard %8s msg/s captured %s dropped %s (%.2f %%)  ratio %s  load %s\n' \
                    "$r" "$raw_rate" "$raw_n" "$raw_drop" "$m_rate" "$m_cap" "$m_drop" \
                    "$(awk -v d="$m_drop" -v n="$COUNT" 'BEGIN { print 100 * d / n }')" "$ratio" "$(load)" ;;
            jsonl|text)
                read -r m_rate m_printed m_cap m_drop m_stop m_rss < <(run_file "$mode" "$COUNT" "$WORK/out.$mode")
                ratio=$(awk -v a="$m_rate" -v b="$raw_rate" 'BEGIN { printf "%.3f", a / b }')
                if [[ $mode == jsonl ]]; then R_JSONL+=("$ratio"); else R_TEXT+=("$ratio"); fi
                printf 'round %d  raw %8s msg/s (%s, %s dropped)  %-9s %8s lines/s printed %s, captured %s dropped %s  SIGINT→exit %s ms  ratio %s  load %s\n' \
                    "$r" "$raw_rate" "$raw_n" "$raw_drop" "$mode" "$m_rate" "$m_printed" "$m_cap" "$m_drop" "$m_stop" "$ratio" "$(load)"
                rm -f "$WORK/out.$mode" ;;
        esac
    done
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
(( ROUNDS == 0 )) || echo "SPYBENCH median ratio to raw: dashboard $(median "${R_DASH[@]}")  jsonl $(median "${R_JSONL[@]}")  text $(median "${R_TEXT[@]}")   (targets 0.9 / 0.5 / 0.7)"

if (( RSS_COUNT > 0 )); then
    echo "== RSS after $RSS_COUNT messages (load $(load))"
    for mode in ${RSS_MODES:-dashboard jsonl text}; do
        if [[ $mode == dashboard ]]; then
            read -r _ cap drop rss < <(run_dashboard "$RSS_COUNT")
            echo "SPYBENCH rss dashboard: $rss MiB (captured $cap, dropped $drop)"
        else
            read -r _ _ cap drop stop rss < <(run_file "$mode" "$RSS_COUNT" "$WORK/rss.$mode")
            echo "SPYBENCH rss $mode: $rss MiB (captured $cap, dropped $drop; SIGINT→exit $stop ms)"
            rm -f "$WORK/rss.$mode"
        fi
    done
fi
echo "== load after: $(load)"
