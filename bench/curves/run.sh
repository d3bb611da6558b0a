#!/usr/bin/env bash
# Cost curves (issue #14 item 4): cost against message, mailbox and base
# size, CPU and instructions per message, RSS per 100 sessions, for sbbsmail,
# Postfix and Dovecot (see bench/README.md, "curves"). Last line: one JSON object.
set -euo pipefail
build=${1:-build/release}
cd "$(dirname "$0")/../.."
. bench/lib/servers.sh
python3 bench/curves/bench_curves.py "$build" "$BENCH_TMP"
