#!/usr/bin/env bash
# SMTP receive benchmark: sbbsmail vs a loopback Postfix, both driven by
# Postfix's smtp-source (see bench/README.md). Last line: one JSON object.
set -euo pipefail
build=${1:-build/release}
cd "$(dirname "$0")/../.."
. bench/lib/servers.sh
python3 bench/smtp/bench_smtp.py "$build" "$BENCH_TMP"
