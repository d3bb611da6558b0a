#!/usr/bin/env bash
# POP3 login/QUIT latency while 10 SMTP writers store into the same base
# (issue #13 item 1): bench_pop3_fair.py; extra LABEL=BUILD_DIR arguments
# run other builds the same way (before/after). Last line: one JSON object.
set -euo pipefail
build=${1:-build/release}
shift || true
cd "$(dirname "$0")/../.."
. bench/lib/servers.sh
python3 bench/pop3_fair/bench_pop3_fair.py "$build" "$BENCH_TMP" "$@"
