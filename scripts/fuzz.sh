#!/usr/bin/env bash
# Fuzzes every decoder with libFuzzer: control replies, lattice events, v2 heartbeats, wRPC
# messages as the spy sees them, saved spy sessions, themes and wash contexts.
#
#   scripts/fuzz.sh [runs-per-target] [target ...]     (default 1000000 runs, every target)
#
# The harnesses (Fuzz/<target>/main.swift) exist only when LATTICETOP_FUZZ=1, so the normal
# build never sees them; here they are built with -sanitize=fuzzer (plus FUZZ_SANITIZERS, e.g.
# address) in release mode into their own scratch path. The seed corpus is written from Tests/Fixtures at every run
# (scripts/fuzz_seeds.py); the corpus libFuzzer grows stays in the scratch path for next time.
# A crash stops that target, leaves its input in <scratch>/artifacts/ and makes the script fail.
#
# Environment: LATTICETOP_FUZZ_SCRATCH (default .build-fuzz; .build-fuzz-fuzzer-address etc. for
# other sanitizer sets), LATTICETOP_FIXTURES (default Tests/Fixtures), FUZZ_SANITIZERS (default fuzzer;
# fuzzer,address adds AddressSanitizer at about a third of the speed), FUZZ_MAX_LEN (default 8192),
# FUZZ_MAX_TIME (seconds per target; unset: no limit — the run stops early, and says so, when the
# time is up before the runs are done).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
runs=${1:-1000000}
shift || true
all=(FuzzCtlReplies FuzzLatticeEvents FuzzV2Heartbeat FuzzWRPCMessages FuzzSpyRecords FuzzThemes FuzzWashContexts)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
sanitizers=${FUZZ_SANITIZERS:-fuzzer}
scratch=${LATTICETOP_FUZZ_SCRATCH:-$repo/.build-fuzz}
[ "$sanitizers" != fuzzer ] && scratch="$scratch-${sanitizers//,/-}"
fixtures=${LATTICETOP_FIXTURES:-$repo/Tests/Fixtures}
max_len=${FUZZ_MAX_LEN:-8192}
time_limit=()
[ -n "${FUZZ_MAX_TIME:-}" ] && time_limit=(-max_total_time="$FUZZ_MAX_TIME")

scripts/setup.sh
command -v python3 >/dev/null || { echo "fuzz: python3 is needed to write the seed corpus" >&2; exit 1; }
[ -d "$fixtures" ] || { echo "fuzz: no fixtures at $fixtures (set LATTICETOP_FIXTURES)" >&2; exit 1; }

for target in "${targets[@]}"; do
  echo "fuzz: building $target ($sanitizers, release)" >&2
  LATTICETOP_FUZZ=1 swift build -c release --scratch-path "$scratch" -Xswiftc "-sanitize=$sanitizers" \
    --product "$target" 2>&1 | grep -v "Cannot export local symbol" >&2
done
bin=$(LATTICETOP_FUZZ=1 swift build -c release --scratch-path "$scratch" --show-bin-path)

seeds="$scratch/fuzz-seeds"
rm -rf "$seeds"
python3 scripts/fuzz_seeds.py "$fixtures" "$repo" "$seeds"
mkdir -p "$scratch/artifacts" "$scratch/fuzz-logs"

failed=0
printf '%-18s %12s %8s %10s %7s  %s\n' target executions seconds exec/s corpus result
for target in "${targets[@]}"; do
  corpus="$scratch/corpus/$target"
  mkdir -p "$corpus"
  log="$scratch/fuzz-logs/$target.log"
  start=$(date +%s)
  set +e
  # No Swift backtracer (libFuzzer reports crashes itself); leaks are not crashes.
  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0:handle_abort=1 "$bin/$target" \
    -runs="$runs" "${time_limit[@]}" -max_len="$max_len" -timeout=30 -rss_limit_mb=4096 -detect_leaks=0 -print_final_stats=1 \
    -artifact_prefix="$scratch/artifacts/$target-" "$corpus" "$seeds/$target" >"$log" 2>&1
  status=$?
  set -e
  seconds=$(( $(date +%s) - start ))
  executed=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  executed=${executed:-0}
  files=$(find "$corpus" -type f | wc -l)
  if [ $status -eq 0 ] && [ "$executed" -lt "$runs" ]; then
    result="no crash, stopped by FUZZ_MAX_TIME before $runs runs"
  elif [ $status -eq 0 ]; then
    result="ok, no crash"
  else
    result="FAILED (exit $status): see $log"
    failed=1
  fi
  printf '%-18s %12s %8s %10s %7s  %s\n' "$target" "$executed" "$seconds" "$(( executed / (seconds > 0 ? seconds : 1) ))" "$files" "$result"
done
exit $failed
