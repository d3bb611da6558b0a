# Sourced by bench/<name>/run.sh: a temp dir for the bench and an EXIT trap
# that stops every server the bench recorded in $BENCH_TMP/pids (a backstop:
# the Python side stops them itself) and removes the temp dir.
BENCH_TMP=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/sbbsmail-bench.XXXXXX")
chmod 755 "$BENCH_TMP"
bench_stop_all() {
  if [ -f "$BENCH_TMP/pids" ]; then
    while read -r kind what; do
      case "$kind" in
        pid) kill -0 "$what" 2>/dev/null && kill -TERM "$what" 2>/dev/null ;;
        postfix) [ -f "$(dirname "$what")/queue/pid/master.pid" ] && timeout 60 postfix -c "$what" stop >/dev/null 2>&1 ;;
        dovecot) [ -f "$(dirname "$what")/run/master.pid" ] && timeout 30 doveadm -c "$what" stop >/dev/null 2>&1 ;;
      esac
    done < "$BENCH_TMP/pids"
  fi
  rm -rf "$BENCH_TMP"
}
trap bench_stop_all EXIT
trap 'exit 130' INT TERM HUP
