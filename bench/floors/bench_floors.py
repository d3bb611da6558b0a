"""Floors for the other benches (issue #14 item 5), measured first in the same
`make bench`, so each figure can be read as a fraction of what this machine
allows at that moment:

- append_fdatasync_per_s: 4 KiB appended to a growing file, then fdatasync
  (the size and allocation go through the file system's journal too);
- overwrite_fdatasync_per_s: the same 4 KiB block rewritten in place, then
  fdatasync (data only): a different, higher floor, so named apart;
- loopback_bytes_per_s: one TCP connection on 127.0.0.1, 256 KiB writes/reads;
- smtp_sink_msgs_per_s: Postfix's smtp-sink (SMTP protocol only, nothing
  stored) driven by smtp-source exactly as the smtp bench drives the servers
  (20 sessions, 4,096 bytes, 1 recipient, a new connection per message).

The fdatasync floors are taken in the bench temp dir (BENCH_TMPDIR, /tmp by
default), which is refused when on tmpfs unless BENCH_ALLOW_TMPFS=1.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import benchlib as B  # noqa: E402
import machine  # noqa: E402

RUNS = int(os.environ.get("BENCH_FLOORS_RUNS", "3"))
SECONDS = float(os.environ.get("BENCH_FLOORS_SECONDS", "2"))        # per fdatasync kind and run
FSYNC_MAX = int(os.environ.get("BENCH_FLOORS_FSYNC_MAX", "20000"))  # writes per kind and run at most
LOOPBACK_SECONDS = float(os.environ.get("BENCH_FLOORS_LOOPBACK_SECONDS", "1"))
SINK_MSGS = int(os.environ.get("BENCH_FLOORS_SINK_MSGS", "5000"))
SINK_TIMEOUT = 60  # seconds per smtp-source run; a run that takes longer has no figure
SESSIONS, MSG_BYTES = 20, 4096  # as bench/smtp


def program_json(cmd, timeout):
    """The JSON object the floors program prints, or None (logged)."""
    rc, _, out = B.run_bounded(cmd, timeout)
    line = next((ln for ln in reversed(out.splitlines()) if ln.startswith("{")), None)
    if rc != 0 or line is None:
        B.log("  %s failed (rc %s): %s" % (" ".join(cmd[:2]), rc, out.strip()[-300:]))
        return None
    return json.loads(line)


def sink_rate(tmp):
    """messages/s of one smtp-source run against a fresh smtp-sink, or None."""
    port = B.free_port()
    # smtp-sink refuses to run as root without a user to become
    user = ["-u", "nobody"] if os.geteuid() == 0 else []
    log = os.path.join(tmp, "smtp-sink.out")
    with open(log, "wb") as out:
        sink = subprocess.Popen(["smtp-sink"] + user + ["127.0.0.1:%d" % port, "256"], stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    B.record_pid(tmp, "pid", sink.pid)
    try:
        if not B.wait_until(lambda: sink.poll() is not None or B.read_greeting(port, 1).startswith("220"), 10, 0.1) \
                or sink.poll() is not None:
            with open(log, "rb") as f:
                B.log("  smtp-sink did not answer: %s" % f.read().decode("utf-8", "replace").strip()[-300:])
            return None
        cmd = ["smtp-source", "-s", str(SESSIONS), "-l", str(MSG_BYTES), "-m", str(SINK_MSGS),
               "-f", "bench@client.example", "-t", "sysop@testbbs.example", "-M", "client.example",
               "127.0.0.1:%d" % port]
        rc, secs, out = B.run_bounded(cmd, SINK_TIMEOUT)
        if rc != 0:
            B.log("  smtp-source against smtp-sink failed (rc %s): %s" % (rc, out.strip()[-300:]))
            return None
        return SINK_MSGS / secs
    finally:
        sink.terminate()
        try:
            sink.wait(timeout=10)
        except subprocess.TimeoutExpired:
            sink.kill()
            sink.wait()


def measure(build, tmp):
    prog = os.path.join(build, "bench", "floors")
    append, overwrite, loopback, sink = [], [], [], []
    for i in range(RUNS):
        f = program_json([prog, "fsync", tmp, str(SECONDS), str(FSYNC_MAX)], 4 * SECONDS + 30)
        append.append(f and f["append_fdatasync_per_s"])
        overwrite.append(f and f["overwrite_fdatasync_per_s"])
        lo = program_json([prog, "loopback", str(LOOPBACK_SECONDS)], LOOPBACK_SECONDS + 30)
        loopback.append(lo and lo["loopback_bytes_per_s"])
        sink.append(sink_rate(tmp))
        B.log("  run %d: append+fdatasync %s/s, overwrite+fdatasync %s/s, loopback %s MB/s, smtp-sink %s msg/s"
              % (i + 1, append[-1], overwrite[-1], loopback[-1] and round(loopback[-1] / 1e6),
                 sink[-1] and round(sink[-1], 1)))
    return {"append_fdatasync_per_s": B.figures(append),
            "overwrite_fdatasync_per_s": B.figures(overwrite),
            "loopback_bytes_per_s": B.figures(loopback),
            "smtp_sink_msgs_per_s": B.figures(sink)}


def main():
    build, tmp = sys.argv[1], sys.argv[2]
    B.install_sigterm_exit()
    where = machine.machine(tmp)
    result = {"bench": "floors", "units": {"append_fdatasync_per_s": "4 KiB appends+fdatasync/s",
                                           "overwrite_fdatasync_per_s": "4 KiB overwrites+fdatasync/s",
                                           "loopback_bytes_per_s": "bytes/s",
                                           "smtp_sink_msgs_per_s": "messages/s (1 rcpt, 4,096 bytes)"},
              "runs": RUNS, "machine": where, "load_avg_start": B.load_average()}
    B.log("== floors: %s on %s (%s), kernel %s, %s x %s"
          % (where["path"], where["fs"], where["source"], where["kernel"], where["cores"], where["cpu"]))
    if where["tmpfs"]:
        if not machine.tmpfs_allowed():
            B.log("*** floors: %s is on tmpfs; refusing (BENCH_ALLOW_TMPFS=1 to run anyway)" % tmp)
            return 3
        B.log("*** floors: %s is on tmpfs: the fdatasync floors are a RAM disk's, not a disk's" % tmp)
        result["warning"] = "temp dir on tmpfs: fdatasync floors are not a disk's"
    result.update(measure(build, tmp))
    result["load_avg_end"] = B.load_average()
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
