#!/usr/bin/env bash
# Runs every benchmark (bench/<name>/run.sh when present, else the program
# build/<mode>/bench/<name>) and collects their JSON lines into
# bench/results/latest.json.
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
  if [ -x "$dir/run.sh" ]; then json=$("$dir/run.sh" "$build" | tee /dev/stderr | grep '^{' | tail -n 1 || true)
  elif [ -x "$build/bench/$name" ]; then json=$("$build/bench/$name" | tee /dev/stderr | grep '^{' | tail -n 1 || true)
  else continue; fi
  echo "== bench $name took $((SECONDS - t0))s"
  [ -n "$json" ] || continue
  [ $first -eq 1 ] || echo "," >> "$out"
  first=0
  printf '  "%s": %s' "$name" "$json" >> "$out"
done
printf '\n}\n' >> "$out"
mv "$out" bench/results/latest.json
echo "results: bench/results/latest.json"
