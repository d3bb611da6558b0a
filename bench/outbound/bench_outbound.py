"""Outbound delivery benchmark (issue #14 item 1): the same N messages to 20
destination domains, queued in sbbsmail's mail base by our writer (as the
BBS queues them) and held in Postfix's queue, each side's daemon started at
t0 with the full queue; timed until the sinks hold every message. See
bench/README.md, section "outbound". Last line: one JSON object."""
import glob
import os
import shutil
import smtplib
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
import benchlib  # noqa: E402
from benchlib import log  # noqa: E402
import peers  # noqa: E402

BBS_DOMAIN = "testbbs.example"
MSGS = int(os.environ.get("BENCH_OUT_MSGS", "2000"))
DOMAINS = int(os.environ.get("BENCH_OUT_DOMAINS", "20"))
DELAY_MS = float(os.environ.get("BENCH_OUT_DELAY_MS", "10"))
BODY_BYTES = int(os.environ.get("BENCH_OUT_BODY", "4096"))
RUNS = int(os.environ.get("BENCH_OUT_RUNS", "3"))
THREADS = os.environ.get("BENCH_OUT_THREADS", "100")
BUDGET_S = float(os.environ.get("BENCH_OUT_BUDGET", "420"))
DRAIN_CAP_S = float(os.environ.get("BENCH_OUT_DRAIN_CAP", "120"))
SBBS_OPTIONS = "ALLOW_POP3 | USE_SUBMISSION_PORT | NO_HOST_LOOKUP | NO_RECYCLE"


class SinkRun:
    """sink.py for one run: its own log, started before and stopped after."""

    def __init__(self, tmp, tag, addrs):
        self.logfile = os.path.join(tmp, "sink-%s-%d.log" % (tag, time.monotonic_ns()))
        self.proc = subprocess.Popen([sys.executable, os.path.join(HERE, "sink.py"), self.logfile,
                                      str(DELAY_MS)] + addrs, stdout=subprocess.PIPE, text=True)
        benchlib.record_pid(tmp, "pid", self.proc.pid)
        if self.proc.stdout.readline().strip() != "ready":
            self.stop()
            raise RuntimeError("sink did not start")

    def arrivals(self):
        try:
            with open(self.logfile) as f:
                return [line.split() for line in f if line.endswith("\n")]
        except OSError:
            return []

    def wait_all(self, n, cap_s):
        """Until n messages arrived (or cap_s passed); the last arrival's time."""
        benchlib.wait_until(lambda: len(self.arrivals()) >= n, cap_s, 0.05)
        got = self.arrivals()
        return float(got[n - 1][1]) if len(got) >= n else None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def exactly_once(self, n):
        """(ok, text): every message 1..n arrived exactly once, nothing else."""
        got = [a[0] for a in self.arrivals()]
        want = {str(i) for i in range(1, n + 1)}
        ok = len(got) == n and set(got) == want
        return ok, "%d arrivals, %d distinct, %d of %d expected" % (len(got), len(set(got)),
                                                                   len(want & set(got)), n)


def settle():
    """Before t0 on both sides: the set-up's dirty pages on disk, a pause."""
    subprocess.run(["sync"], timeout=120)
    time.sleep(1)


def text_for(n):
    """Message n as Postfix gets it: the headers our renderer writes from the
    SMB header, the body queue_outbound.cpp stores."""
    to = "user%d@%s" % (n, peers.domain((n - 1) % DOMAINS + 1))
    body = "Outbound bench message %d.\r\n" % n
    line = "x" * 76 + "\r\n"
    while len(body) + len(line) <= BODY_BYTES:
        body += line
    head = ("From: Sysop <sysop@%s>\r\nTo: %s\r\nSubject: outbound %d\r\n"
            "Message-ID: <outbound.%d@bbs.example>\r\nDate: %s\r\n\r\n"
            % (BBS_DOMAIN, to, n, n, time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())))
    return to, head + body


def queue_once(tmp, build):
    """The N messages queued once by our writer into <tmp>/queued/mail.*;
    every sbbsmail run starts from a copy of these files."""
    prefix = os.path.join(tmp, "queued", "mail")
    os.makedirs(os.path.dirname(prefix), exist_ok=True)
    rc, secs, out = benchlib.run_bounded([os.path.join(build, "bench", "outbound"), prefix, str(MSGS),
                                          str(DOMAINS), str(BODY_BYTES)], 300)
    if rc != 0:
        raise RuntimeError("queue writer failed: " + out[-300:])
    log("sbbsmail: %d messages queued by the writer in %.1f s" % (MSGS, secs))
    return prefix


TLS_PAIR = ("tls-cert.pem", "tls-key.pem")


def tls_pair_once(tmp, build):
    """sbbsmail generates its self-signed TLS pair on its first start (README
    "TLS"); Postfix generates nothing. Made once here, untimed, by one start
    on an empty queue, and copied into every run's install, so the timed
    start is an ordinary restart. Returns the directory holding the pair."""
    srv = benchlib.SbbsMail(tmp, build)
    try:
        srv.start()
        srv.stop()
        keep = os.path.join(tmp, "tls-pair")
        os.makedirs(keep, exist_ok=True)
        for name in TLS_PAIR:
            shutil.copy2(os.path.join(srv.ctrl, name), os.path.join(keep, name))
        return keep
    finally:
        srv.cleanup()


def run_sbbsmail(tmp, build, addrs, dns_addr, queued, tls_dir):
    """One run: a copy of the queued base, start sbbsmail at t0, drain. (seconds or None, note)."""
    srv = benchlib.SbbsMail(tmp, build, mail={"Options": SBBS_OPTIONS, "DNSServer": dns_addr,
                                              "DeliveryThreads": THREADS, "RescanFrequency": "1m"},
                            global_={"LogLevel": "Info"})
    sink = None
    try:
        for f in glob.glob(os.path.join(srv.root, "data", "mail.*")):
            os.remove(f)
        for f in glob.glob(queued + ".*"):
            shutil.copy(f, os.path.join(srv.root, "data", os.path.basename(f)))
        for name in TLS_PAIR:   # no key generation inside the timed start
            shutil.copy2(os.path.join(tls_dir, name), os.path.join(srv.ctrl, name))
        sink = SinkRun(tmp, "sbbs", addrs)
        os.environ["SBBSMAIL_TEST_ALLOW_LOOPBACK_MX"] = "1"   # the sinks are on 127.x (SEND-41)
        settle()
        t0 = time.monotonic()
        srv.start()
        t1 = sink.wait_all(MSGS, DRAIN_CAP_S)
        srv.stop()
        ok, note = sink.exactly_once(MSGS)
        if t1 is None or not ok:
            return None, "incomplete: " + note + "\n" + srv.output()[-1500:]
        return t1 - t0, note
    finally:
        os.environ.pop("SBBSMAIL_TEST_ALLOW_LOOPBACK_MX", None)
        if sink:
            sink.stop()
        srv.cleanup()


def inject_held(pf, sessions=4):
    """The N messages into Postfix through its smtpd (`sessions` at once), all held."""
    import concurrent.futures

    def inject(first):
        with smtplib.SMTP("127.0.0.1", pf.port, timeout=60) as c:
            for n in range(first, MSGS + 1, sessions):
                to, text = text_for(n)
                c.sendmail("sysop@" + BBS_DOMAIN, [to], text.encode())

    with concurrent.futures.ThreadPoolExecutor(sessions) as pool:
        for f in [pool.submit(inject, k) for k in range(1, sessions + 1)]:
            f.result()
    return benchlib.wait_until(lambda: pf.queue_count("hold") >= MSGS, 60, 0.2)


def run_postfix(tmp, addrs, dns):
    """One run: inject held, stop, release to deferred, start Postfix at t0, drain."""
    pf = peers.PostfixSender(tmp, BBS_DOMAIN, dns.resolv)
    sink = None
    try:
        pf.start()
        t = time.monotonic()
        if not inject_held(pf):
            return None, "only %d of %d held" % (pf.queue_count("hold"), MSGS)
        log("  postfix: %d queued (held) in %.1f s" % (MSGS, time.monotonic() - t))
        pf.stop()
        rc, _, out = pf.release()
        if pf.queue_count("deferred") < MSGS:
            return None, "postsuper -H failed: " + out[-300:]
        sink = SinkRun(tmp, "postfix", addrs)
        settle()
        t0 = time.monotonic()
        pf.start()
        t1 = sink.wait_all(MSGS, DRAIN_CAP_S)
        pf.stop()
        ok, note = sink.exactly_once(MSGS)
        if t1 is None or not ok:
            return None, "incomplete: %s, queue left: %d deferred, %d active" % (
                note, pf.queue_count("deferred"), pf.queue_count("active"))
        return t1 - t0, note
    finally:
        if sink:
            sink.stop()
        pf.cleanup()


def main():
    build, tmp = sys.argv[1], sys.argv[2]
    benchlib.install_sigterm_exit()
    started = time.monotonic()
    load_start = benchlib.load_average()
    addrs, dns_addr = peers.pick_addresses(DOMAINS)
    dns = peers.Dnsmasq(tmp, dns_addr, addrs)
    secs = {"sbbsmail": [], "postfix": []}
    try:
        queued = queue_once(tmp, build)
        tls_dir = tls_pair_once(tmp, build)
        for i in range(RUNS):
            order = ("sbbsmail", "postfix") if i % 2 == 0 else ("postfix", "sbbsmail")   # ABBA
            for side in order:
                if time.monotonic() - started > BUDGET_S:
                    log("budget of %.0f s spent: no further runs" % BUDGET_S)
                    break
                log("run %d %s (load %s)" % (i + 1, side, benchlib.load_average()))
                if side == "sbbsmail":
                    s, note = run_sbbsmail(tmp, build, addrs, dns_addr, queued, tls_dir)
                else:
                    s, note = run_postfix(tmp, addrs, dns)
                secs[side].append(s)
                log("  %s: %s" % ("%.2f s to drain, %.1f msg/s" % (s, MSGS / s) if s else "FAILED", note))
    finally:
        dns.stop()
    report(secs, load_start)


def report(secs, load_start):
    drain = {k: benchlib.figures(v) for k, v in secs.items()}
    rate = {k: benchlib.figures([MSGS / s if s else None for s in v]) for k, v in secs.items()}
    complete = all(len(v) == RUNS and None not in v for v in secs.values())
    ratio = benchlib.ratio(rate["sbbsmail"], rate["postfix"]) if complete else None
    out = {"bench": "outbound", "unit": "messages/s", "messages": MSGS, "domains": DOMAINS,
           "reply_delay_ms": DELAY_MS, "body_bytes": BODY_BYTES, "delivery_threads": int(THREADS),
           "sbbsmail": rate["sbbsmail"], "postfix": rate["postfix"],
           "sbbsmail_drain_s": drain["sbbsmail"], "postfix_drain_s": drain["postfix"],
           "ratio": ratio, "load_avg_start": load_start, "load_avg_end": benchlib.load_average()}
    import json
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
