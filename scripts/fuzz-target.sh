#!/usr/bin/env bash
# Runs one libFuzzer target for `make fuzz`: usage fuzz-target.sh NAME SECONDS.
# Several run at once (FUZZ_JOBS), so each prints its result in one write
# (a failure's log tail and its verdict stay together) and exits non-zero on
# any crash, leak, sanitizer report or timeout.
set -uo pipefail
t=$1 seconds=$2
mkdir -p "build/fuzz/corpus/$t" build/fuzz/crash build/fuzz/logs
log=build/fuzz/logs/$t.log
seeds=()
[ -d "tests/fuzz/seeds/$t" ] && seeds=("tests/fuzz/seeds/$t")
# 1024 MB each: with FUZZ_JOBS targets at once the machine needs that many GiB.
if "build/fuzz/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 \
     -artifact_prefix="build/fuzz/crash/$t-" -print_final_stats=1 \
     "build/fuzz/corpus/$t" "${seeds[@]}" >"$log" 2>&1; then
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log")
  echo "fuzz $t: $runs runs in ${seconds}s, peak RSS ${rss} MB, clean"
else
  printf '%s\nfuzz %s: FAILED (log %s)\n' "$(tail -n 60 "$log")" "$t" "$log"
  exit 1
fi
