#!/usr/bin/env bash
# Runs sbbsmail on a copy of the repo's sample install under build/sample/,
# so a run never changes tracked files: ctrl/, text/ and node1/ are refreshed
# from the repo every time; data/ is copied without overwriting what earlier
# runs left there (mail bases, users' changes, logs).
# Usage: scripts/run-sample.sh [SBBSMAIL_BINARY] [extra sbbsmail arguments...]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$repo/build/release/sbbsmail}
[ $# -gt 0 ] && shift
sample=$repo/build/sample
mkdir -p "$sample"
for d in ctrl text node1; do
  mkdir -p "$sample/$d"
  cp -a "$repo/$d/." "$sample/$d/"
done
mkdir -p "$sample/data"
cp -a -n "$repo/data/." "$sample/data/"
echo "sbbsmail: sample install in $sample (stop with Ctrl-C)"
exec "$bin" --ctrl "$sample/ctrl" "$@"
