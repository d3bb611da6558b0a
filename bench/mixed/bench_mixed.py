"""Mixed load benchmark (issue #14 item 2): 10 SMTP senders (Postfix's
smtp-source -s 10) store into one mailbox while 5 POP3 readers (threads of
pop3_readers.py) log into that same mailbox over and over, RETR and DELE
what they find and QUIT. Once for sbbsmail (temp copy of the sample install)
and once for Postfix delivering through Dovecot's LDA into the Maildir that
Dovecot's POP3 server serves; a fresh instance of each per run, ABBA order.

Measured per run: accepted messages/s (messages / wall time of smtp-source,
which exits 0 only when every message got its 250), retrieved messages/s
(successful RETRs / time from the start until the readers took every
message: a peer that delivers after its 250 is timed until its mail can be
read), and the POP3 login and QUIT latencies
of every session (p50/p99 over all sessions of all runs, and per run).

Usage: bench_mixed.py BUILD_DIR TMP_DIR   (env: BENCH_RUNS, BENCH_MIXED_MSGS,
BENCH_MIXED_SENDERS, BENCH_MIXED_READERS, BENCH_MIXED_BUDGET)
"""
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, HERE)
import benchlib as B  # noqa: E402
from pop3_readers import Readers, percentile  # noqa: E402

DOMAIN = "testbbs.example"
USER, PASSWORD = "bench1", "benchpass"
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
MSGS = int(os.environ.get("BENCH_MIXED_MSGS", "1000"))
SENDERS = int(os.environ.get("BENCH_MIXED_SENDERS", "10"))
READERS = int(os.environ.get("BENCH_MIXED_READERS", "5"))
MSG_BYTES = 4096
PER_SESSION = 20         # RETR+DELE per POP3 session at most
MAX_SESSIONS = 5000      # per reader and run
RUN_TIMEOUT = 180        # seconds per smtp-source run; longer counts as failed
BUDGET = float(os.environ.get("BENCH_MIXED_BUDGET", "180"))  # all runs; >= 1 run each
DRAIN = 120             # seconds the readers may take after the senders end
PAUSE = 2.0              # seconds after sync between servers
LDA = "/usr/lib/dovecot/dovecot-lda"


def mixed_run(smtp_port, pop3_port):
    """One run against listening servers: {accepted, retrieved, login_ms, quit_ms, ...}."""
    readers = Readers(pop3_port, USER, PASSWORD, READERS, PER_SESSION, MAX_SESSIONS)
    cmd = ["smtp-source", "-s", str(SENDERS), "-l", str(MSG_BYTES), "-m", str(MSGS),
           "-f", "bench@client.example", "-t", "%s@%s" % (USER, DOMAIN),
           "-M", "client.example", "127.0.0.1:%d" % smtp_port]
    t0 = time.monotonic()
    readers.start()
    rc, secs, out = B.run_bounded(cmd, RUN_TIMEOUT)
    # The readers go on until they took every message (a peer that delivers
    # after its 250 is timed until its mail is readable), at most DRAIN s.
    drained = rc == 0 and B.wait_until(lambda: readers.retrieved >= MSGS, DRAIN, 0.02)
    window = time.monotonic() - t0
    stopped = readers.stop(60)
    if rc == 0 and not drained:
        B.log("  only %d of %d messages retrieved within %ds of the senders' end" % (readers.retrieved, MSGS, DRAIN))
    run = {"ok": rc == 0 and stopped and drained, "accepted": None, "retrieved": None, "in_use": readers.in_use,
           "sessions": readers.sessions, "retrieved_msgs": readers.retrieved, "gone": readers.gone,
           "reader_errors": len(readers.errors), "login_ms": readers.login_ms, "quit_ms": readers.quit_ms,
           "wait_ms": readers.wait_ms}
    if rc != 0:
        B.log("  smtp-source failed (rc %s after %.1fs): %s" % (rc, secs, out.strip()[-300:]))
    if readers.errors:
        B.log("  %d reader error(s), first: %s" % (len(readers.errors), readers.errors[0]))
    if run["ok"]:
        run["accepted"] = MSGS / secs
        run["retrieved"] = readers.retrieved / window
    return run


def run_sbbsmail(tmp, build):
    srv = B.SbbsMail(tmp, build, global_={"LogLevel": "Info"}, mail={
        "MaxRecipients": "1000", "MaxMsgsWaiting": "0", "MaxMsgSize": "20M", "MaxClients": "100"})
    srv.write_ctrl("dns_blacklist.cfg", "")
    srv.add_users([USER], PASSWORD)
    try:
        srv.start()
        return mixed_run(srv.ports["SMTPPort"], srv.ports["POP3Port"])
    finally:
        srv.cleanup()


def run_postfix_dovecot(tmp):
    """Postfix's local(8) pipes each message to dovecot-lda (as nobody, the
    alias table's default_privs), which stores it in the Maildir that this
    run's Dovecot serves over POP3."""
    dc = B.Dovecot(tmp, [USER], PASSWORD)
    # One POP3 session per mailbox, as sbbsmail does ([IN-USE] otherwise),
    # so neither side's readers see messages another session has deleted.
    with open(dc.conf, "a") as f:
        f.write("pop3_lock_session = yes\n")
    pf = B.Postfix(tmp, DOMAIN, [])
    try:
        for sub in ("new", "cur", "tmp"):
            os.makedirs(os.path.join(dc.maildir(USER), sub))
        dc.chown_mail()
        # the LDA runs as nobody and logs to Dovecot's log file
        open(os.path.join(dc.d, "dovecot.log"), "a").close()
        os.chmod(os.path.join(dc.d, "dovecot.log"), 0o666)
        with open(os.path.join(pf.d, "conf", "aliases"), "w") as f:
            f.write('%s "|%s -c %s -d %s"\n' % (USER, LDA, dc.conf, USER))
        dc.start()
        pf.start()
        run = mixed_run(pf.port, dc.port)
        if not run["ok"]:
            B.log("  dovecot log tail: " + _tail(os.path.join(dc.d, "dovecot.log")))
        return run
    finally:
        pf.cleanup()
        dc.cleanup()


def _tail(path, n=600):
    try:
        with open(path, "rb") as f:
            return f.read()[-n:].decode("utf-8", "replace")
    except OSError:
        return "(none)"


def between_servers():
    """The other server's writes are on disk and the disk is quiet again."""
    subprocess.run(["sync"], timeout=120, check=False)
    time.sleep(PAUSE)


def summary(runs):
    """Figures over the runs of one side; None-rates mark failed runs."""
    logins = [v for r in runs for v in r["login_ms"]]
    quits = [v for r in runs for v in r["quit_ms"]]
    waits = [v for r in runs for v in r["wait_ms"]]
    return {
        "accepted_per_s": B.figures([r["accepted"] for r in runs]),
        "retrieved_per_s": B.figures([r["retrieved"] for r in runs]),
        "login_ms": {"p50": _r(percentile(logins, 50)), "p99": _r(percentile(logins, 99)),
                     "max": _r(max(logins) if logins else None), "samples": len(logins),
                     "p99_runs": [_r(percentile(r["login_ms"], 99)) for r in runs]},
        "login_wait_ms": {"p50": _r(percentile(waits, 50)), "p99": _r(percentile(waits, 99)),
                          "max": _r(max(waits) if waits else None), "samples": len(waits),
                          "p99_runs": [_r(percentile(r["wait_ms"], 99)) for r in runs]},
        "quit_ms": {"p50": _r(percentile(quits, 50)), "p99": _r(percentile(quits, 99)),
                    "max": _r(max(quits) if quits else None), "samples": len(quits),
                    "p99_runs": [_r(percentile(r["quit_ms"], 99)) for r in runs]},
        "sessions": [r["sessions"] for r in runs],
        "in_use_refusals": [r["in_use"] for r in runs],
        "reader_errors": [r["reader_errors"] for r in runs],
        "all_runs_ok": bool(runs) and all(r["ok"] for r in runs),
    }


def _r(v):
    return None if v is None else round(v, 2)


def log_run(n, name, r):
    B.log("  run %d %-17s accepted %s msg/s, retrieved %s msg/s (%d RETR, %d sessions), "
          "login p50/p99 %s/%s ms (wait %s/%s), QUIT p50/p99 %s/%s ms, load %s"
          % (n, name + ":", _fmt(r["accepted"]), _fmt(r["retrieved"]), r["retrieved_msgs"], r["sessions"],
             _fmt(percentile(r["login_ms"], 50)), _fmt(percentile(r["login_ms"], 99)),
             _fmt(percentile(r["wait_ms"], 50)), _fmt(percentile(r["wait_ms"], 99)),
             _fmt(percentile(r["quit_ms"], 50)), _fmt(percentile(r["quit_ms"], 99)), B.load_average()))


def ratios(sb, peer):
    """sbbsmail / peer for the rates, peer / sbbsmail for latencies (>1 = we
    are faster); every figure None unless every run of both sides succeeded."""
    if not (sb["all_runs_ok"] and peer["all_runs_ok"]):
        B.log("!!! mixed: a run failed on one side: no ratio is reported")
        return {"accepted": None, "retrieved": None, "login_p99": None, "login_wait_p99": None,
                "quit_p99": None}

    def inverse(key):
        a, b = sb[key]["p99"], peer[key]["p99"]
        return round(b / a, 2) if a and b else None
    return {"accepted": B.ratio(sb["accepted_per_s"], peer["accepted_per_s"]),
            "retrieved": B.ratio(sb["retrieved_per_s"], peer["retrieved_per_s"]),
            "login_p99": inverse("login_ms"), "login_wait_p99": inverse("login_wait_ms"),
            "quit_p99": inverse("quit_ms")}


def main():
    build, tmp = sys.argv[1], sys.argv[2]
    B.install_sigterm_exit()
    result = {"bench": "mixed", "unit": "messages/s; latencies in ms", "senders": SENDERS,
              "readers": READERS, "messages": MSGS, "msg_bytes": MSG_BYTES, "runs": RUNS,
              "retr_per_session": PER_SESSION, "peer": "postfix+dovecot-lda+dovecot-pop3",
              "log_level": "info (sbbsmail LogLevel=Info; Postfix and Dovecot at their default, info)",
              "load_avg_start": B.load_average()}
    B.log("== mixed: %d SMTP senders (%d messages of %d bytes) and %d POP3 readers (RETR, DELE, QUIT) "
          "on one mailbox" % (SENDERS, MSGS, MSG_BYTES, READERS))
    sides = {"sbbsmail": [], "postfix_dovecot": []}
    started = time.monotonic()
    for n in range(1, RUNS + 1):
        spent = time.monotonic() - started
        if n > 1 and spent / (n - 1) * n > BUDGET:
            B.log("  time budget (%ds) reached: %d run(s) only" % (BUDGET, n - 1))
            break
        order = ["sbbsmail", "postfix_dovecot"] if n % 2 else ["postfix_dovecot", "sbbsmail"]  # ABBA
        for i, name in enumerate(order):
            if i:
                between_servers()
            r = run_sbbsmail(tmp, build) if name == "sbbsmail" else run_postfix_dovecot(tmp)
            sides[name].append(r)
            log_run(n, name, r)
        between_servers()
    result["runs_done"] = len(sides["sbbsmail"])
    result["sbbsmail"] = summary(sides["sbbsmail"])
    result["postfix_dovecot"] = summary(sides["postfix_dovecot"])
    result["ratios"] = ratios(result["sbbsmail"], result["postfix_dovecot"])
    result["ratio"] = result["ratios"]["accepted"]
    result["load_avg_end"] = B.load_average()
    for name in sides:
        s = result[name]
        B.log("  %s: accepted %s msg/s, retrieved %s msg/s, login p50/p99 %s/%s ms (wait %s/%s), "
              "QUIT p50/p99 %s/%s ms" % (name, _median(s["accepted_per_s"]), _median(s["retrieved_per_s"]),
                                         s["login_ms"]["p50"], s["login_ms"]["p99"], s["login_wait_ms"]["p50"],
                                         s["login_wait_ms"]["p99"], s["quit_ms"]["p50"], s["quit_ms"]["p99"]))
    B.log("  mixed ratios (sbbsmail / Postfix+Dovecot, >1 = sbbsmail faster): %s" % result["ratios"])
    print(json.dumps(result), flush=True)


def _fmt(v):
    return "FAILED" if v is None else "%.1f" % v


def _median(f):
    return None if f is None else f["median"]


if __name__ == "__main__":
    main()
