#!/usr/bin/env bash
# Does the simulator answer every ping round in time, with nobody but a raw client asking?
# (issue #14 item 1: answering host.ping within wash's 2 s window, at 10,000 hosts, all the time.)
#
# The release `latticetop sim` with 10,000 hosts in 2 processes and the scale workload, as
# `Benchmarks/scale.sh` starts it (5 components, 2 providers and 2 links a host, `--rate 20`),
# then the raw client (Benchmarks/scale/rawsync.c: one host.ping, a host.get to each host that
# answers) every 3 s for SECONDS, and each simulator process's CPU every second
# (/proc/PID/task/*/schedstat). Prints each round (ms until all pings / all inventories), the
# CPU lines, and a SIM-STALL summary: rounds whose pings took over 2 s, after the first round
# (which meets the simulator still deploying and encoding every host once).
#
#   Benchmarks/sim-stall.sh [SECONDS=100]
#   SCRATCH=.build-release  BUILD=0 (use the binary as built)  PERF=FILE (perf record of the sim)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN=${1:-100}
SCRATCH=${SCRATCH:-.build-release}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/latticetop-sim-stall.XXXXXX")
command -v nats-server >/dev/null || { echo "nats-server not found (apt-get install -y nats-server)" >&2; exit 1; }
echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) cores  load $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ ${BUILD:-1} == 1 ]]; then
    swift build -c release --product latticetop --scratch-path "$SCRATCH" >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log"; exit 1; }
fi
cc -O2 -o "$WORK/rawsync" Benchmarks/scale/rawsync.c $(pkg-config --libs libnats 2>/dev/null || echo -lnats)
python3 Benchmarks/scale/simstall.py "$PWD/$SCRATCH/release/latticetop" "$WORK/rawsync" "$SECONDS_RUN" "$WORK" "${PERF:-}"
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)   (work directory: $WORK)"
