#!/usr/bin/env bash
# Runs every benchmark (bench/<name>/run.sh when present, else the program
# build/<mode>/bench/<name>), floors first, and collects their JSON lines into
# bench/results/latest.json (each bench's full output: bench/results/<name>.log)
# with "_run" (date, machine, the temp dir's file system); then prints the
# table and draws the plots (bench/lib/report.py) and, after a full run,
# rewrites the READMEs' figures block (bench/lib/readme_figures.py).
# BENCH_ONLY="floors smtp" runs only those benches.
set -euo pipefail
build=${1:-build/release}
cd "$(dirname "$0")/.."
mkdir -p bench/results
# The benches' temp dirs go under BENCH_TMPDIR (bench/lib/servers.sh): refuse
# tmpfs there, whose fsync costs nothing (BENCH_ALLOW_TMPFS=1 runs anyway).
machine=$(python3 bench/lib/machine.py "${BENCH_TMPDIR:-/tmp}") || exit 3
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
names=()
[ -d bench/floors ] && names+=(floors)  # first: the others are read against it
for dir in bench/*/; do
  name=$(basename "$dir")
  case "$name" in results|lib|floors) continue ;; esac
  names+=("$name")
done
out=bench/results/latest.json.tmp
echo "{" > "$out"
for name in "${names[@]}"; do
  dir=bench/$name
  if [ -n "${BENCH_ONLY:-}" ] && [[ " $BENCH_ONLY " != *" $name "* ]]; then continue; fi
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
  # A bench that printed no JSON, or a broken line, is recorded as failed
  # (the report says so) rather than lost or breaking latest.json.
  if [ -z "$json" ]; then json="{\"error\": \"no JSON line (see $log)\"}"
  elif ! printf '%s' "$json" | python3 -c 'import json, sys; json.load(sys.stdin)' 2>/dev/null; then
    json="{\"error\": \"its last JSON line does not parse (see $log)\"}"
  fi
  printf '  "%s": %s,\n' "$name" "$json" >> "$out"
done
printf '  "_run": {"started": "%s", "ended": "%s", "only": "%s", "machine": %s}\n}\n' \
  "$started" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${BENCH_ONLY:-}" "$machine" >> "$out"
mv "$out" bench/results/latest.json
echo "results: bench/results/latest.json"
# Debian's python3-matplotlib belongs to Debian's python3 (not a pyenv one).
py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3
$py bench/lib/report.py bench/results/latest.json || echo "report.py failed (the JSON is kept)"
if [ -z "${BENCH_ONLY:-}" ]; then
  $py bench/lib/readme_figures.py bench/results/latest.json README.md bench/README.md ||
    echo "readme_figures.py failed"
fi
