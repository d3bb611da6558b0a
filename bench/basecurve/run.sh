#!/usr/bin/env bash
# Store-path cost against base size (issue #14): instructions per accepted
# message (callgrind, independent of the machine's load) into bases of 0,
# 10,000, 30,000 and 50,000 messages, with 1 recipient and with 100, and per
# header for a repeat read of one 3,000-message mailbox. Only the program's
# measured part is counted (--toggle-collect): one message goes first, as a
# running server has already paid for its first pass over the index and
# first full table scan, and the clock the counts and table hints age by
# stands still; what their age bounds cost each time they expire is measured
# apart (`basecurve expire`). Last line: one JSON object.
set -euo pipefail
build=${1:-build/release}
cd "$(dirname "$0")/../.."
. bench/lib/servers.sh
prog=$PWD/$build/bench/basecurve
if ! command -v valgrind >/dev/null; then echo '{"basecurve": "skipped: no valgrind"}'; exit 0; fi
dir=$(mktemp -d "$BENCH_TMP/basecurve.XXXXXX")
trap 'rm -rf "$dir"' EXIT
instr() {   # instructions inside the function named $1 over one run of the program
  local fn=$1; shift
  valgrind --tool=callgrind --toggle-collect="*$fn*" --callgrind-out-file="$dir/cg" "$@" 2>&1 |
    sed -n 's/.*Collected : //p'
}
json='{"basecurve": {'
expiry=''
for rcpts in 1 100; do
  n=20; [ $rcpts = 100 ] && n=5
  [ $rcpts = 1 ] || json+=', '
  json+="\"accept_instructions_per_message_${rcpts}_rcpt\": {"
  have=0
  for size in 0 10000 30000 50000; do
    mkdir -p "$dir/b$size"
    [ "$size" -gt 0 ] && [ ! -e "$dir/b$size/mail.shd" ] && "$prog" fill "$dir/b$size/mail" "$size"
    total=$(instr measured_accepts "$prog" accept "$dir/b$size/mail" "$n" "$rcpts")
    per=$(( total / n ))
    echo "base of $size messages, $rcpts recipient(s): $per instructions per accepted message"
    [ $have = 1 ] && json+=', '
    json+="\"$size\": $per"; have=1
    if [ $rcpts = 1 ]; then   # the age bounds' work: a pass over the index, full table scans
      expired=$(( $(instr measured_accepts "$prog" expire "$dir/b$size/mail" 1 1) - per ))
      echo "  once a second at most (the index pass) and every 5 s (the table scans): $expired instructions"
      [ -n "$expiry" ] && expiry+=', '
      expiry+="\"$size\": $expired"
    fi
  done
  json+='}'
done
json+=", \"age_bound_instructions_per_expiry\": {$expiry}"
headers=$("$prog" headers "$dir/b30000/mail" 1)   # how many one round reads
total=$(instr measured_headers "$prog" headers "$dir/b30000/mail" 1)
per=$(( total / headers ))
echo "repeat header read of a $headers-message mailbox: $per instructions per header"
json+=", \"header_read_instructions_per_header\": $per}}"
echo "$json"
