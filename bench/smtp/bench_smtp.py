"""SMTP receive benchmark: Postfix's smtp-source drives sbbsmail (temp copy of
the sample install) and a loopback Postfix (temp dir, local delivery to a
Maildir) with the same workloads; each run uses a fresh instance of each
server, alternating servers so machine load hits both alike.

Measured: accepted messages/s = messages / wall time of one smtp-source run,
which exits 0 only when every message got its 250 after DATA (it aborts on
any other reply). For sbbsmail that 250 means the message is durable in the
user's SMB mailbox; for Postfix it means the message is durable (fsynced) in
its queue, and local delivery to the Maildir happens after. So, for the 1-
recipient workload, Postfix's time until its Maildir holds every message is
reported too (postfix_delivered_per_s), never used for the ratio.

Usage: bench_smtp.py BUILD_DIR TMP_DIR     (env: BENCH_RUNS, BENCH_SMTP_MSGS,
BENCH_SMTP_MSGS_100, BENCH_SMTP_SESSIONS, BENCH_SMTP_BUDGET)
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import benchlib as B  # noqa: E402

DOMAIN = "testbbs.example"
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SESSIONS = int(os.environ.get("BENCH_SMTP_SESSIONS", "20"))
MSG_BYTES = 4096
RUN_TIMEOUT = 240  # seconds per smtp-source run; a run that takes longer counts as failed
# Seconds per workload: a further run starts only when it should end within
# this (keeps `make bench` well under 15 minutes); at least one run is made.
WORKLOAD_BUDGET = float(os.environ.get("BENCH_SMTP_BUDGET", "240"))
DRAIN_TIMEOUT = 120
# smtp-source -r N names the recipients 1<to> .. N<to>; 0..N are all made valid.
MULTI_RCPTS = 100
ended = [0.0]  # when the last smtp-source run returned
RCPT_ALIASES = ["sysop"] + ["%dsysop" % i for i in range(0, MULTI_RCPTS + 1)]

WORKLOADS = [
    ("rcpt1", int(os.environ.get("BENCH_SMTP_MSGS", "5000")), 1),
    # 100 recipients: Postfix accepts ~25-30 such messages/s on this shared
    # 2-core machine and then needs ~1 minute per run to have its Maildir
    # files removed; 5,000 messages x 3 runs would take far over 15 minutes.
    # BENCH_SMTP_MSGS_100=5000 gives the full load.
    ("rcpt100", int(os.environ.get("BENCH_SMTP_MSGS_100", "300")), MULTI_RCPTS),
]


def smtp_source(port, msgs, rcpts):
    cmd = ["smtp-source", "-s", str(SESSIONS), "-l", str(MSG_BYTES), "-m", str(msgs),
           "-r", str(rcpts), "-f", "bench@client.example", "-t", "sysop@" + DOMAIN,
           "-M", "client.example", "127.0.0.1:%d" % port]
    rc, secs, out = B.run_bounded(cmd, RUN_TIMEOUT)
    ended[0] = time.monotonic()
    if rc != 0:
        B.log("  smtp-source failed (rc %s after %.1fs): %s" % (rc, secs, out.strip()[-300:]))
        return None, secs
    return msgs / secs, secs


def new_sbbsmail(tmp, build):
    srv = B.SbbsMail(tmp, build, global_={"LogLevel": "Info"}, mail={
        "MaxRecipients": "1000", "MaxMsgsWaiting": "0", "MaxMsgSize": "20M", "MaxClients": "100"})
    # No DNS blacklist lookups (the sample names a test zone on a resolver
    # that does not exist); Postfix gets no RBL either.
    srv.write_ctrl("dns_blacklist.cfg", "")
    srv.write_ctrl("alias.cfg", "".join("%s 1\n" % a for a in RCPT_ALIASES[1:]), append=True)
    return srv


def sbbsmail_status(tmp, build):
    """None when sbbsmail accepts SMTP sessions, else a short reason."""
    srv = new_sbbsmail(tmp, build)
    try:
        srv.start()
        ok, greeting = srv.serving("SMTPPort", "220")
        return None if ok else "not serving (greeting: %s)" % greeting[:80]
    except Exception as e:  # a missing binary or a start failure
        return "not serving (%s)" % str(e).strip().splitlines()[0][:120]
    finally:
        srv.cleanup()


def run_sbbsmail(tmp, build, msgs, rcpts):
    srv = new_sbbsmail(tmp, build)
    try:
        srv.start()
        rate, secs = smtp_source(srv.ports["SMTPPort"], msgs, rcpts)
        if rate is None:
            B.log("  sbbsmail output tail: " + srv.output()[-600:])
        return rate, secs
    finally:
        srv.cleanup()


def run_postfix(tmp, msgs, rcpts):
    pf = B.Postfix(tmp, DOMAIN, RCPT_ALIASES)
    try:
        pf.start()
        rate, secs = smtp_source(pf.port, msgs, rcpts)
        delivered_rate = None
        if rate is not None and rcpts == 1:
            drained = B.wait_until(lambda: pf.delivered() >= msgs, DRAIN_TIMEOUT, 0.1)
            if drained:
                # from the start of the run until the last Maildir file
                delivered_rate = msgs / (secs + (time.monotonic() - ended[0]))
        return rate, secs, delivered_rate
    finally:
        pf.cleanup()


def main():
    build, tmp = sys.argv[1], sys.argv[2]
    B.install_sigterm_exit()
    result = {"bench": "smtp", "unit": "accepted messages/s", "sessions": SESSIONS,
              "msg_bytes": MSG_BYTES, "runs": RUNS, "load_avg_start": B.load_average()}
    status = sbbsmail_status(tmp, build)
    if status:
        B.log("sbbsmail: " + status)
    for name, msgs, rcpts in WORKLOADS:
        B.log("== %s: %d messages x %d recipient(s), %d sessions, %d bytes, new connection per message"
              % (name, msgs, rcpts, SESSIONS, MSG_BYTES))
        sb, pf, pfd = [], [], []
        started = time.monotonic()
        for run in range(1, RUNS + 1):
            spent = time.monotonic() - started
            if run > 1 and spent / (run - 1) * run > WORKLOAD_BUDGET:
                B.log("  time budget (%ds) reached: %d run(s) only" % (WORKLOAD_BUDGET, run - 1))
                break
            if not status:
                rate, secs = run_sbbsmail(tmp, build, msgs, rcpts)
                sb.append(rate)
                B.log("  run %d sbbsmail: %s msg/s (%.1fs)" % (run, _fmt(rate), secs))
            rate, secs, drate = run_postfix(tmp, msgs, rcpts)
            pf.append(rate)
            pfd.append(drate)
            B.log("  run %d postfix:  %s msg/s (%.1fs)%s" % (
                run, _fmt(rate), secs, "" if rcpts != 1 else ", delivered to Maildir %s msg/s" % _fmt(drate)))
        entry = {"messages": msgs, "recipients": rcpts, "runs_done": len(pf),
                 "sbbsmail": status or B.figures(sb), "postfix": B.figures(pf)}
        entry["ratio"] = None if status else B.ratio(entry["sbbsmail"], entry["postfix"])
        if rcpts == 1:
            entry["postfix_delivered_per_s"] = B.figures(pfd)
        result[name] = entry
        B.log("  %s: sbbsmail %s, postfix %s, ratio %s" % (name, _median(entry["sbbsmail"]),
                                                          _median(entry["postfix"]), entry["ratio"]))
    result["load_avg_end"] = B.load_average()
    print(json.dumps(result), flush=True)


def _fmt(v):
    return "FAILED" if v is None else "%.1f" % v


def _median(f):
    return f if isinstance(f, str) or f is None else f["median"]


if __name__ == "__main__":
    main()
