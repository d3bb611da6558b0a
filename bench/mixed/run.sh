#!/usr/bin/env bash
# Mixed load benchmark (issue #14 item 2): 10 SMTP senders and 5 POP3 readers
# at once on one mailbox, sbbsmail vs Postfix+Dovecot (see bench/README.md).
# Last line: one JSON object.
set -euo pipefail
build=${1:-build/release}
cd "$(dirname "$0")/../.."
. bench/lib/servers.sh
python3 bench/mixed/bench_mixed.py "$build" "$BENCH_TMP"
