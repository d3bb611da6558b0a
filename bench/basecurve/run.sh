#!/usr/bin/env bash
# Store-path cost against base size (issue #14): instructions per accepted
# message (callgrind, independent of the machine's load) into bases of 0,
# 10,000 and 30,000 messages, and per header for a repeat read of one
# 3,000-message mailbox. Last line: one JSON object.
set -euo pipefail
build=${1:-build/release}
cd "$(dirname "$0")/../.."
. bench/lib/servers.sh
prog=$PWD/$build/bench/basecurve
if ! command -v valgrind >/dev/null; then echo '{"basecurve": "skipped: no valgrind"}'; exit 0; fi
dir=$(mktemp -d "$BENCH_TMP/basecurve.XXXXXX")
trap 'rm -rf "$dir"' EXIT
instr() {   # instructions of one run of the program
  valgrind --tool=callgrind --callgrind-out-file="$dir/cg" "$@" 2>&1 | sed -n 's/.*Collected : //p'
}
n=20
start=$(instr "$prog" accept "$dir/none" 0)
json='{"basecurve": {"accept_instructions_per_message": {'
have=0
for size in 0 10000 30000; do
  mkdir -p "$dir/b$size"
  [ "$size" -gt 0 ] && "$prog" fill "$dir/b$size/mail" "$size"
  total=$(instr "$prog" accept "$dir/b$size/mail" "$n")
  per=$(( (total - start) / n ))
  echo "base of $size messages: $per instructions per accepted message"
  [ $have = 1 ] && json+=', '
  json+="\"$size\": $per"; have=1
done
total=$(instr "$prog" headers "$dir/b30000/mail" 1)
per=$(( (total - start) / 3002 ))   # 3,000 filled + 2 of the 20 accepted
echo "repeat header read of a 3,000-message mailbox: $per instructions per header"
json+="}, \"header_read_instructions_per_header\": $per}}"
echo "$json"
