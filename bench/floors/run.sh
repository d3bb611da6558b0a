#!/usr/bin/env bash
# The machine's floors (issue #14 item 5), measured in the same run as the
# other benches and first: append+fdatasync/s and overwrite+fdatasync/s under
# the bench temp dir, loopback bytes/s, smtp-sink messages/s (bench_floors.py,
# build/<mode>/bench/floors). Last line: one JSON object.
set -euo pipefail
build=${1:-build/release}
cd "$(dirname "$0")/../.."
. bench/lib/servers.sh
python3 bench/floors/bench_floors.py "$build" "$BENCH_TMP"
