#!/usr/bin/env bash
# Pictures of the dashboard on the demo lattice, from real terminal captures: runs
# `latticetop demo` in a private tmux server at a fixed size, drives it with keys, captures each
# pane with its colours (`tmux capture-pane -e -p`) and renders the captures into PNGs
# (scripts/ansi_to_png.py, Pillow, DejaVu Sans Mono). Waits for the scripted faults (30 s in) and
# captures the panes that show them too. Installs what it needs when missing.
#
#   scripts/screenshots.sh [OUTPUT_DIR]      default: Screenshots/
#   SWIFT_SCRATCH=.build-e2e scripts/screenshots.sh     reuse another build directory
#   LATTICETOP_BIN=/path/to/latticetop scripts/screenshots.sh   skip the build
#   SCREENSHOTS_KEEP_ANSI=DIR scripts/screenshots.sh    also keep the raw captures (.ans) in DIR
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-Screenshots}"
cols=160
rows=45

# --- what the script needs ----------------------------------------------------------------------
source scripts/setup.sh   # libnats, ncursesw, nats-server, tmux, swift
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
if ! ls /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf >/dev/null 2>&1; then
  echo "screenshots: installing fonts-dejavu-core" >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq fonts-dejavu-core >/dev/null \
    || { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq fonts-dejavu-core >/dev/null; }
fi
command -v python3 >/dev/null 2>&1 || { DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3 >/dev/null; }
if ! python3 -c "import PIL" 2>/dev/null; then
  echo "screenshots: installing Pillow" >&2
  python3 -m pip install --quiet pillow 2>/dev/null \
    || python3 -m pip install --quiet --user pillow 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages pillow 2>/dev/null \
    || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-pil >/dev/null
  python3 -c "import PIL" || { echo "screenshots: cannot install Pillow" >&2; exit 1; }
fi

if [ -n "${LATTICETOP_BIN:-}" ]; then
  bin="$LATTICETOP_BIN"
else
  scratch="${SWIFT_SCRATCH:-.build}"
  swift build --scratch-path "$scratch" --product latticetop --quiet >&2
  bin="$(swift build --scratch-path "$scratch" --show-bin-path)/latticetop"
fi
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
[ -x "$bin" ] || { echo "screenshots: no latticetop binary at $bin" >&2; exit 1; }

# --- a private tmux server with the demo ---------------------------------------------------------
work="$(mktemp -d)"
sock="latticetop-shots-$$"
cat >"$work/tmux.conf" <<'EOF'
set -g status off
set -g default-terminal tmux-256color
set -g remain-on-exit on
EOF
t() { env -i PATH="$PATH" HOME="$work" LANG=C.UTF-8 TERM=xterm-256color tmux -u -L "$sock" -f "$work/tmux.conf" "$@"; }
cleanup() {
  local socket i
  socket="$(t display-message -p '#{socket_path}' 2>/dev/null || true)"
  # Quit the demo with `q` first: killed by the SIGHUP of kill-server, it would leave its
  # embedded nats-server running.
  # (esc leaves a filter or the command line, q closes an overlay or quits; esc and q sent
  # together would read as alt-q, hence the pauses.)
  for i in $(seq 50); do
    [ "$(t display-message -p -t shots '#{pane_dead}' 2>/dev/null || echo 1)" = 1 ] && break
    (( i % 5 == 1 )) && { t send-keys -t shots Escape; sleep 0.2; t send-keys -t shots q; } 2>/dev/null
    sleep 0.2
  done
  t kill-server 2>/dev/null || true
  [ -n "$socket" ] && rm -f "$socket"
  rm -rf "$work"
}
trap cleanup EXIT

screen() { t capture-pane -p -t shots; }
# wait_for REGEX [SECONDS]: polls the screen until it matches.
wait_for() {
  local pattern="$1" timeout="${2:-60}" start=$SECONDS
  until screen | grep -Eq -- "$pattern"; do
    if (( SECONDS - start > timeout )); then
      echo "screenshots: timed out waiting for /$pattern/; the screen:" >&2
      screen >&2
      exit 1
    fi
    sleep 0.2
  done
}
# wait_count TEXT N [SECONDS]: polls the screen until N lines contain TEXT.
wait_count() {
  local text="$1" n="$2" timeout="${3:-60}" start=$SECONDS
  until [ "$(screen | grep -cF -- "$text")" -ge "$n" ]; do
    if (( SECONDS - start > timeout )); then
      echo "screenshots: timed out waiting for $n lines with '$text'; the screen:" >&2
      screen >&2
      exit 1
    fi
    sleep 0.2
  done
}
keys() { t send-keys -t shots "$@"; }
# shot NAME TITLE: captures the pane with its colours; the PNGs are rendered at the end, so the
# captures before the faults are quick.
names=()
titles=()
shot() {
  # A settled frame: curses writes a frame in pieces, so take two captures in a row that agree
  # (the spy pane never stops moving: after a few tries any complete-looking capture will do).
  local tries=0
  sleep 0.3
  t capture-pane -e -p -t shots >"$work/$1.ans"
  while (( tries < 8 )); do
    sleep 0.15
    t capture-pane -e -p -t shots >"$work/$1.next"
    cmp -s "$work/$1.ans" "$work/$1.next" && break
    mv "$work/$1.next" "$work/$1.ans"
    tries=$((tries + 1))
  done
  rm -f "$work/$1.next"
  names+=("$1")
  titles+=("$2")
}

mkdir -p "$out"
t new-session -d -s shots -x "$cols" -y "$rows" \
  "cd '$work' && XDG_CONFIG_HOME='$work/config' WASH_CONTEXT_DIR=/nonexistent '$bin' demo"

# --- before the faults ---------------------------------------------------------------------------
wait_for 'Hosts \(3\)'
wait_count '● live' 3
wait_for 'msg/s'
sleep 2   # uptimes and rates fill in
shot 01-hosts "latticetop — 1 Hosts"
keys 2; wait_for 'Components \([1-9]'
shot 02-components "latticetop — 2 Components"
keys 3; wait_for 'Providers \([1-9]'
wait_count '✔ healthy' 4 30
shot 03-providers "latticetop — 3 Providers"
keys 4; wait_for 'Links \([1-9]'
shot 04-links "latticetop — 4 Links"
keys 5; wait_for 'Config \([1-9]'
shot 05-config "latticetop — 5 Config"
keys 6; wait_for 'Apps \([1-9]'
shot 06-apps "latticetop — 6 Apps"
keys 7; wait_for 'Events'
keys g   # the newest events at the top
shot 07-events "latticetop — 7 Events"
keys 8; wait_for 'Spy .*\([1-9][0-9]*\)'
sleep 2   # the rate sparkline fills in
shot 08-spy "latticetop — 8 Spy (lattice-wide wRPC)"
keys 1; wait_for 'Hosts \(3\)'
keys '?'; wait_for 'Help — keys for Hosts'
shot 09-help "latticetop — ? help"
keys Escape; wait_for 'Hosts \(3\)'

# --- after the faults (they strike 30 s after the demo starts) -----------------------------------
keys 3; wait_for 'Providers \('
wait_for 'UNHEALTHY' 90
wait_for 'failed to start' 60
wait_for 'no health report' 90   # the crashed provider falls silent
shot 10-providers-faults "latticetop — 3 Providers after the faults"
# The unhealthy provider's health history.
filter='UNHEALTHY [0-9]+[smh]'   # the health column, not a provider's name
keys / ; t send-keys -t shots -l "$filter"; keys Enter
wait_count "Providers (1) /$filter" 1
keys Enter; wait_for 'health inspector'
shot 11-provider-health "latticetop — provider health history"
keys Escape; wait_count "Providers (1) /$filter" 1
keys Escape; wait_for 'Providers \([0-9]+\) ─'
keys 1; wait_for 'Hosts \('
wait_for 'stale' 90   # the vanished host
shot 12-hosts-faults "latticetop — 1 Hosts after the faults"
# A host's components and providers (enter on the first host).
keys Enter; wait_for 'Host .* — '
shot 13-host-detail "latticetop — a host's components and providers"
keys Escape; wait_for 'Hosts \('
keys 7; wait_for 'Events'
keys g   # the newest events at the top (the selection stays on the row it was on)
shot 14-events-faults "latticetop — 7 Events after the faults"

[ -n "${SCREENSHOTS_KEEP_ANSI:-}" ] && mkdir -p "$SCREENSHOTS_KEEP_ANSI" && cp "$work"/*.ans "$SCREENSHOTS_KEEP_ANSI/"
for i in "${!names[@]}"; do
  python3 scripts/ansi_to_png.py "$work/${names[$i]}.ans" "$out/${names[$i]}.png" --cols "$cols" --rows "$rows" --title "${titles[$i]}"
  echo "screenshots: $out/${names[$i]}.png" >&2
done
echo "screenshots: done ($(ls "$out"/*.png | wc -l) images in $out)" >&2
