#!/usr/bin/env bash
# Runs every benchmark (bench/<name>/run.sh when present, else the program
# build/<mode>/bench/<name>) and collects their JSON lines into
# bench/results/latest.json (each bench's full output: bench/results/<name>.log).
set -euo pipefail
build=${1:-build/release}
cd "$(dirname "$0")/.."
mkdir -p bench/results
out=bench/results/latest.json.tmp
echo "{" > "$out"
first=1
for dir in bench/*/; do
  name=$(basename "$dir")
  case "$name" in results|lib) continue ;; esac
  echo "== bench $name"
  t0=$SECONDS
  # Each bench's output is shown and kept in bench/results/<name>.log (not
  # tee /dev/stderr: that reopens a redirected stderr at offset 0).
  log=bench/results/$name.log
  if [ -x "$dir/run.sh" ]; then "$dir/run.sh" "$build" 2>&1 | tee "$log" || true
  elif [ -x "$build/bench/$name" ]; then "$build/bench/$name" 2>&1 | tee "$log" || true
  else continue; fi
  json=$(grep '^{' "$log" | tail -n 1 || true)
  echo "== bench $name took $((SECONDS - t0))s"
  [ -n "$json" ] || continue
  [ $first -eq 1 ] || echo "," >> "$out"
  first=0
  printf '  "%s": %s' "$name" "$json" >> "$out"
done
printf '\n}\n' >> "$out"
mv "$out" bench/results/latest.json
echo "results: bench/results/latest.json"
