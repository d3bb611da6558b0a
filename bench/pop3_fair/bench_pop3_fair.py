"""POP3 under a stream of deliveries (issue #13 item 1): 10 SMTP writers
(Postfix's smtp-source, 10 sessions) store into the mail base while one POP3
client logs in again and again (USER/PASS, STAT, UIDL, QUIT) on a mailbox
of N messages. Measured per session (ms): login = connect to the +OK after
PASS, stat, uidl, quit = QUIT sent to its +OK; reported as p50/p99 with the
sample count, at each N in BENCH_FAIR_SIZES (1,000 and 10,000), plus the
writers' rate and the same session with no writer.

The writers deliver to a second user of the same base: the contention (one
SMB base, one base-header lock, one group-commit writer) is the same as when
they store into the polled mailbox, and the polled mailbox stays at N.

Everything is bounded: each writer run is BENCH_FAIR_WRITE_MSGS messages
(default 10 s worth at 1,000/s) and at most RUN_TIMEOUT s; sessions stop when
the writers stop or after MAX_SESSIONS; every socket has a timeout.

Usage: bench_pop3_fair.py BUILD_DIR TMP_DIR [LABEL=BUILD_DIR ...]
(extra builds are run the same way, e.g. main's binary for a before/after).
"""
import json
import os
import socket
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import benchlib as B  # noqa: E402

DOMAIN = "testbbs.example"
PASSWORD = "benchpass"
POLLED, WRITTEN = "bench1", "bench2"
SIZES = [int(s) for s in os.environ.get("BENCH_FAIR_SIZES", "1000,10000").split(",") if s]
WRITE_MSGS = int(os.environ.get("BENCH_FAIR_WRITE_MSGS", "10000"))
WRITERS = 10
MSG_BYTES = 1024
MAX_SESSIONS = int(os.environ.get("BENCH_FAIR_MAX_SESSIONS", "300"))
IDLE_SESSIONS = 10
RUN_TIMEOUT = 180
SOCKET_TIMEOUT = 120


def smtp_source(port, msgs, to):
    return ["smtp-source", "-s", str(WRITERS), "-l", str(MSG_BYTES), "-m", str(msgs),
            "-f", "bench@client.example", "-t", "%s@%s" % (to, DOMAIN), "-M", "client.example",
            "127.0.0.1:%d" % port]


class Pop3:
    """A minimal POP3 client timing each exchange."""

    def __init__(self, port):
        t0 = time.monotonic()
        self.s = socket.create_connection(("127.0.0.1", port), timeout=SOCKET_TIMEOUT)
        self.f = self.s.makefile("rb")
        self.line()
        self.connected = t0

    def line(self):
        got = self.f.readline()
        if not got:
            raise RuntimeError("connection closed")
        return got.decode("latin-1").rstrip("\r\n")

    def command(self, text, multi=False):
        t0 = time.monotonic()
        self.s.sendall(text.encode() + b"\r\n")
        first = self.line()
        if not first.startswith("+OK"):
            raise RuntimeError("%s: %s" % (text.split()[0], first))
        if multi:
            while self.line() != ".":
                pass
        return (time.monotonic() - t0) * 1000.0, first

    def close(self):
        self.f.close()
        self.s.close()


def session(port):
    """{login, stat, uidl, quit} in ms for one session; raises on -ERR."""
    c = Pop3(port)
    try:
        c.command("USER " + POLLED)
        c.command("PASS " + PASSWORD)
        login = (time.monotonic() - c.connected) * 1000.0
        stat, reply = c.command("STAT")
        uidl, _ = c.command("UIDL", multi=True)
        quit_, _ = c.command("QUIT")
        return {"login": login, "stat": stat, "uidl": uidl, "quit": quit_, "count": int(reply.split()[1])}
    finally:
        c.close()


def pct(values, p):
    if not values:
        return None
    v = sorted(values)
    return round(v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))], 1)


def summary(samples):
    out = {"n": len(samples)}
    for key in ("login", "stat", "uidl", "quit"):
        vals = [s[key] for s in samples]
        out[key] = {"p50": pct(vals, 50), "p99": pct(vals, 99),
                    "max": round(max(vals), 1) if vals else None}
    return out


def fill(srv, n):
    rc, secs, out = B.run_bounded(smtp_source(srv.ports["SMTPPort"], n, POLLED), RUN_TIMEOUT)
    if rc != 0:
        raise RuntimeError("filling failed (rc %s): %s" % (rc, out.strip()[-200:]))
    return secs


def under_writers(srv):
    """Sessions while smtp-source writes WRITE_MSGS messages; (samples, errors, writer msgs/s)."""
    port = srv.ports["POP3Port"]
    cmd = smtp_source(srv.ports["SMTPPort"], WRITE_MSGS, WRITTEN)
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    samples, errors = [], []
    try:
        time.sleep(0.5)                       # let the writers reach full speed
        while proc.poll() is None and len(samples) + len(errors) < MAX_SESSIONS \
                and time.monotonic() - t0 < RUN_TIMEOUT:
            try:
                samples.append(session(port))
            except (OSError, RuntimeError) as e:
                errors.append(str(e)[:120])
        rc = proc.wait(timeout=max(1, RUN_TIMEOUT - (time.monotonic() - t0)))
    except subprocess.TimeoutExpired:
        rc = None
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 9)
            proc.wait()
    secs = time.monotonic() - t0
    return samples, errors, (round(WRITE_MSGS / secs, 1) if rc == 0 else None)


def measure(label, build, tmp, n):
    srv = B.SbbsMail(tmp, build, global_={"LogLevel": "Info"}, mail={
        "MaxRecipients": "1000", "MaxMsgsWaiting": "0", "MaxClients": "100"})
    srv.write_ctrl("dns_blacklist.cfg", "")
    srv.add_users([POLLED, WRITTEN], PASSWORD)
    try:
        srv.start()
        secs = fill(srv, n)
        idle = [session(srv.ports["POP3Port"]) for _ in range(IDLE_SESSIONS)]
        samples, errors, rate = under_writers(srv)
        r = {"mailbox": n, "fill_s": round(secs, 1), "idle": summary(idle),
             "under_writers": summary(samples), "errors": len(errors), "writer_msgs_per_s": rate}
        if errors:
            r["first_error"] = errors[0]
        B.log("  %-6s N=%-6d idle login p50 %s ms | under writers (%s msg/s, %d sessions, %d errors): "
              "login p50 %s p99 %s, stat p50 %s p99 %s, uidl p50 %s, quit p50 %s p99 %s ms"
              % (label, n, r["idle"]["login"]["p50"], rate, len(samples), len(errors),
                 r["under_writers"]["login"]["p50"], r["under_writers"]["login"]["p99"],
                 r["under_writers"]["stat"]["p50"], r["under_writers"]["stat"]["p99"],
                 r["under_writers"]["uidl"]["p50"],
                 r["under_writers"]["quit"]["p50"], r["under_writers"]["quit"]["p99"]))
        return r
    finally:
        srv.cleanup()


def main():
    build, tmp = sys.argv[1], sys.argv[2]
    builds = [("sbbsmail", build)] + [tuple(a.split("=", 1)) for a in sys.argv[3:]]
    B.install_sigterm_exit()
    result = {"bench": "pop3_fair", "unit": "ms", "writers": WRITERS, "write_msgs": WRITE_MSGS,
              "msg_bytes": MSG_BYTES, "load_avg_start": B.load_average()}
    B.log("== pop3_fair: POP3 logins (USER/PASS, STAT, UIDL, QUIT) while %d SMTP writers store %d messages"
          % (WRITERS, WRITE_MSGS))
    for label, b in builds:
        result[label] = {}
        for n in SIZES:
            try:
                result[label][str(n)] = measure(label, b, tmp, n)
            except Exception as e:  # one failed size must not lose the others
                B.log("  %s N=%d failed: %s" % (label, n, e))
                result[label][str(n)] = {"error": str(e)[:200]}
    result["load_avg_end"] = B.load_average()
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
