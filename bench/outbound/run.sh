#!/usr/bin/env bash
# Outbound delivery benchmark: sbbsmail's SendMail vs Postfix's queue, the
# same messages to 20 domains' sinks on loopback (see bench/README.md,
# "outbound"). Needs root (port 25 sinks, Postfix, mount namespace).
# Last line: one JSON object.
set -euo pipefail
build=${1:-build/release}
cd "$(dirname "$0")/../.."
. bench/lib/servers.sh
python3 bench/outbound/bench_outbound.py "$build" "$BENCH_TMP"
