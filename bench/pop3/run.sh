#!/usr/bin/env bash
# POP3 retrieval benchmark: sbbsmail vs Dovecot's POP3 server, both read by
# the C++ load client build/<mode>/bench/pop3 (pop3_load.cpp, see
# bench/README.md). Last line: one JSON object.
set -euo pipefail
build=${1:-build/release}
cd "$(dirname "$0")/../.."
. bench/lib/servers.sh
python3 bench/pop3/bench_pop3.py "$build" "$BENCH_TMP"
