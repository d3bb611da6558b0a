"""POP3 retrieval benchmark: N parallel clients each fetch a 1,000-message
mailbox (4 KiB messages) from sbbsmail and from Dovecot's POP3 server, the
same messages in all, and a tuned Dovecot beside the stock one; servers in
ABBA order across runs, sync and a pause between them, every RETR compared
byte for byte with the stored message (pop3_load --reference).

sbbsmail (temp copy of the sample install, N users added) gets the messages
through its own SMTP listener, one transaction per message with the N users
as recipients; Dovecot's Maildirs get the same bytes written as files. A
client session is what a mail client does: USER/PASS, STAT, LIST, UIDL, RETR
of every message, QUIT (no DELE, so each run sees the same mailbox). The load
comes from the C++ client BUILD_DIR/bench/pop3 (pop3_load.cpp, one thread per
mailbox, sessions repeated for BENCH_POP3_SECONDS), so the figure is the
server's and not a Python client's. Measured: messages retrieved / wall time
from the first connect to the last QUIT; this script only sets up, starts and
stops the servers and gathers the figures.

Usage: bench_pop3.py BUILD_DIR TMP_DIR   (env: BENCH_RUNS, BENCH_POP3_CLIENTS,
BENCH_POP3_MSGS, BENCH_POP3_SECONDS, BENCH_POP3_MAX_SESSIONS, BENCH_POP3_BUDGET)
"""
import json
import os
import poplib
import smtplib
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import benchlib as B  # noqa: E402
import proctree  # noqa: E402

DOMAIN = "testbbs.example"
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
CLIENTS = int(os.environ.get("BENCH_POP3_CLIENTS", "4"))
MSGS = int(os.environ.get("BENCH_POP3_MSGS", "1000"))
MSG_BYTES = 4096
PASSWORD = "benchpass"
USERS = ["bench%d" % i for i in range(1, CLIENTS + 1)]
RUN_SECONDS = float(os.environ.get("BENCH_POP3_SECONDS", "3"))  # no new session after this
MAX_SESSIONS = int(os.environ.get("BENCH_POP3_MAX_SESSIONS", "200"))  # per client and run
RUN_TIMEOUT = 120
RUNS_BUDGET = float(os.environ.get("BENCH_POP3_BUDGET", "180"))  # seconds for all runs; >= 1 run
FILL_SENDERS = 4
FILL_TIMEOUT = 240
PAUSE = float(os.environ.get("BENCH_PAUSE", "2"))  # seconds after sync between servers
GOAL = 2.0  # issue #14: sbbsmail retrieves >= 2x a tuned Dovecot
SIDES = ("sbbsmail", "dovecot", "dovecot_tuned")
# The tuned Dovecot: login processes that serve many connections and POP3
# processes forked ahead (N = one per client), and Maildir names carrying
# ,S=<size>,W=<CRLF size> so sizes need no stat or read.
DOVECOT_TUNING = (("service pop3-login {", "  service_count = 0\n  process_min_avail = %d" % CLIENTS),)
DOVECOT_POP3_SERVICE = "service pop3 {\n  process_min_avail = %d\n}\n" % CLIENTS


def message(i):
    """Message i as CRLF lines, about MSG_BYTES long."""
    head = ["From: Bench Sender <sender@client.example>",
            "To: %s" % ", ".join("%s@%s" % (u, DOMAIN) for u in USERS),
            "Subject: bench message %d" % i,
            "Date: Thu, 26 Nov 2026 12:00:00 +0000",
            "Message-ID: <bench-%d@client.example>" % i, ""]
    text = "\r\n".join(head) + "\r\n"
    line = 0
    while len(text) < MSG_BYTES - 80:
        text += ("%05d-%04d " % (i, line)) + "abcdefghijklmnopqrstuvwxyz" * 2 + "0123456789" * 1 + "\r\n"
        line += 1
    return text


# -- filling ----------------------------------------------------------------
def fill_sbbsmail(srv):
    port = srv.ports["SMTPPort"]
    todo = list(range(MSGS))
    lock = threading.Lock()
    errors = []
    deadline = time.monotonic() + FILL_TIMEOUT

    def sender():
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=60) as s:
                s.ehlo("client.example")
                while True:
                    with lock:
                        if not todo or errors or time.monotonic() > deadline:
                            return
                        i = todo.pop(0)
                    refused = s.sendmail("sender@client.example",
                                         ["%s@%s" % (u, DOMAIN) for u in USERS], message(i))
                    if refused:
                        raise RuntimeError("refused %r" % refused)
        except Exception as e:  # reported once below
            errors.append(e)

    threads = [threading.Thread(target=sender) for _ in range(FILL_SENDERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(1.0, deadline + 70 - time.monotonic()))  # a send is bounded by its 60s timeout
    if errors or todo:
        raise RuntimeError("filling sbbsmail by SMTP failed: %s" % (errors[:1] or "timeout"))


def fill_maildir(dc, sized_names=False):
    for u in USERS:
        new = os.path.join(dc.maildir(u), "new")
        for sub in ("new", "cur", "tmp"):
            os.makedirs(os.path.join(dc.maildir(u), sub), exist_ok=True)
        for i in range(MSGS):
            # Maildir files hold LF line ends; Dovecot sends CRLF.
            text = message(i)
            name = "%d.M%dP0.bench" % (1700000000 + i, i)
            if sized_names:
                name += ",S=%d,W=%d" % (len(text.replace("\r\n", "\n")), len(text))
            with open(os.path.join(new, name), "w") as f:
                f.write(text.replace("\r\n", "\n"))
    dc.chown_mail()


# -- retrieving -------------------------------------------------------------
def timed_fetch(client, port, server_pid, reference):
    """One run of the C++ load client (pop3_load.cpp) against port. Returns
    {rate: messages/s or None, secs, got, sessions, cpu_ms: the server's CPU
    milliseconds per 1,000 messages or None}."""
    cmd = [client, "--port", str(port), "--password", PASSWORD, "--users", ",".join(USERS),
           "--expect", str(MSGS), "--seconds", str(RUN_SECONDS), "--max-sessions", str(MAX_SESSIONS),
           "--limit", str(RUN_TIMEOUT), "--reference", reference]
    cpu0 = proctree.tree_cpu_seconds(server_pid)
    rc, secs, out = B.run_bounded(cmd, RUN_TIMEOUT + 30)
    cpu1 = proctree.tree_cpu_seconds(server_pid)
    run = {"rate": None, "secs": secs, "got": 0, "sessions": 0, "cpu_ms": None}
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if not lines:
        B.log("  load client gave no result (rc %s): %s" % (rc, out.strip()[-300:]))
        return run
    r = json.loads(lines[-1])
    run.update(secs=r["seconds"], got=r["messages"], sessions=r["sessions"])
    if rc != 0 or not r["ok"]:
        B.log("  load client failed (rc %s): %s" % (rc, r["error"]))
        return run
    run["rate"] = r["messages_per_s"]
    if cpu0 is not None and cpu1 is not None and r["messages"]:
        run["cpu_ms"] = (cpu1 - cpu0) * 1000.0 / r["messages"] * 1000.0
    return run


def _log_run(run, name, r):
    B.log("  run %d %-9s %s msg/s (%d msgs, %d sessions, %.1fs, server CPU %s ms per 1,000 msgs, load %s)"
          % (run, name + ":", _fmt(r["rate"]), r["got"], r["sessions"], r["secs"],
             _fmt(r["cpu_ms"]), B.load_average()))


def write_reference(port, directory, exact):
    """Retrieves every message of every mailbox once, checks it against what
    was sent (exact: byte for byte; else the sent body byte for byte and every
    sent header line present, sbbsmail adding its own) and writes the texts
    as sent on the wire to <directory>/<user>.ref for pop3_load --reference.
    Returns None, or what did not match."""
    os.makedirs(directory, exist_ok=True)
    for u in USERS:
        p = poplib.POP3("127.0.0.1", port, timeout=60)
        try:
            p.user(u)
            p.pass_(PASSWORD)
            with open(os.path.join(directory, u + ".ref"), "wb") as out:
                for n in range(1, p.stat()[0] + 1):
                    lines = p.retr(n)[1]
                    got = b"".join(line + b"\r\n" for line in lines)
                    bad = _differs(got, exact)
                    if bad:
                        return "%s message %d: %s" % (u, n, bad)
                    wire = b"".join((b"." + line if line.startswith(b".") else line) + b"\r\n" for line in lines)
                    out.write(b"%d\n" % len(wire) + wire)
            p.quit()
        finally:
            p.close()
    return None


def _differs(got, exact):
    subject = [line for line in got.split(b"\r\n") if line.startswith(b"Subject: bench message ")]
    if not subject:
        return "no bench Subject"
    sent = message(int(subject[0].split()[-1])).encode()
    if exact:
        return None if got == sent else "bytes differ from the message sent"
    head, body = got.split(b"\r\n\r\n", 1)
    sent_head, sent_body = sent.split(b"\r\n\r\n", 1)
    if body != sent_body:
        return "body differs from the message sent"
    missing = [h for h in sent_head.split(b"\r\n") if h not in head.split(b"\r\n")]
    return "header lines missing: %r" % missing[:2] if missing else None


def mailbox_counts(port):
    counts = []
    for u in USERS:
        p = poplib.POP3("127.0.0.1", port, timeout=60)
        try:
            p.user(u)
            p.pass_(PASSWORD)
            counts.append(p.stat()[0])
            p.quit()
        finally:
            p.close()
    return counts


def start_sbbsmail(tmp, build):
    """(server, None) when sbbsmail serves POP3 and took the mailbox, else (None, reason)."""
    srv = B.SbbsMail(tmp, build, global_={"LogLevel": "Info"}, mail={
        "MaxRecipients": "1000", "MaxMsgsWaiting": "0", "MaxMsgSize": "20M", "MaxClients": "100"})
    srv.write_ctrl("dns_blacklist.cfg", "")
    srv.add_users(USERS, PASSWORD)
    try:
        srv.start()
        for key, good in (("SMTPPort", "220"), ("POP3Port", "+OK")):
            ok, greeting = srv.serving(key, good)
            if not ok:
                srv.cleanup()
                return None, "not serving (%s greeting: %s)" % (key, greeting[:80])
        t0 = time.monotonic()
        fill_sbbsmail(srv)
        counts = mailbox_counts(srv.ports["POP3Port"])
        B.log("  sbbsmail filled by SMTP in %.1fs; mailbox counts %s" % (time.monotonic() - t0, counts))
        if counts != [MSGS] * len(USERS):
            srv.cleanup()
            return None, "not serving (mailbox counts %s after filling)" % counts
        return srv, None
    except Exception as e:
        B.log("  sbbsmail output tail: " + srv.output()[-600:])
        srv.cleanup()
        return None, "not serving (%s)" % str(e).strip().splitlines()[0][:120]


def start_dovecot(tmp, tuned):
    dc = B.Dovecot(tmp, USERS, PASSWORD)
    if tuned:
        with open(dc.conf) as f:
            conf = f.read()
        for section, lines in DOVECOT_TUNING:
            conf = conf.replace(section, section + "\n" + lines, 1)
        with open(dc.conf, "w") as f:
            f.write(conf + DOVECOT_POP3_SERVICE)
    fill_maildir(dc, sized_names=tuned)
    dc.start()
    B.log("  %s mailbox counts %s" % ("dovecot_tuned" if tuned else "dovecot", mailbox_counts(dc.port)))
    return dc


def between_servers():
    """The previous server's writes reach the disk, and it settles, before
    the next server's run starts."""
    subprocess.run(["sync"], timeout=120, check=False)
    time.sleep(PAUSE)


def start_sides(tmp, build, servers):
    """Starts the three servers into servers (name -> (port, pid getter, server)),
    writes each one's reference texts; returns sbbsmail's status (None = serving)."""
    srv, status = start_sbbsmail(tmp, build)
    if status:
        B.log("sbbsmail: " + status)
    else:
        servers["sbbsmail"] = (srv.ports["POP3Port"], lambda: srv.proc.pid, srv)
    for name, tuned in (("dovecot", False), ("dovecot_tuned", True)):
        dc = start_dovecot(tmp, tuned)
        servers[name] = (dc.port, lambda dc=dc: _dovecot_pid(dc), dc)
    for name, (port, _, _) in servers.items():
        bad = write_reference(port, os.path.join(tmp, "ref-" + name), exact=name != "sbbsmail")
        if bad:
            B.log("!!! %s does not serve what was stored: %s" % (name, bad))
            raise RuntimeError("%s: %s" % (name, bad))
    return status


def main():
    build, tmp = sys.argv[1], sys.argv[2]
    B.install_sigterm_exit()
    result = {"bench": "pop3", "unit": "retrieved messages/s", "clients": CLIENTS,
              "messages_per_mailbox": MSGS, "msg_bytes": MSG_BYTES, "runs": RUNS,
              "client": "pop3_load (C++, one thread per mailbox)", "run_seconds": RUN_SECONDS,
              "order": "ABBA across runs, sync + %gs pause between servers" % PAUSE,
              "dovecot_tuned": "pop3-login service_count=0 process_min_avail=%d, pop3 process_min_avail=%d, "
                               "Maildir names with ,S= and ,W=" % (CLIENTS, CLIENTS),
              "byte_check": "every RETR of every run compared byte for byte with the stored message",
              "log_level": "info (sbbsmail LogLevel=Info; Dovecot's default, which logs at info)",
              "load_avg_start": B.load_average()}
    B.log("== pop3: %d parallel clients, each retrieving its own %d-message mailbox of %d-byte messages"
          % (CLIENTS, MSGS, MSG_BYTES))
    client = os.path.abspath(os.path.join(build, "bench", "pop3"))
    if not os.access(client, os.X_OK):
        B.log("pop3: no load client %s (make %s)" % (client, os.path.join(build, "bench", "pop3")))
        result["error"] = "no load client"
        print(json.dumps(result), flush=True)
        return
    rates = {s: [] for s in SIDES}
    cpu = {s: [] for s in SIDES}
    servers = {}
    status = None
    try:
        try:
            status = start_sides(tmp, build, servers)
        except RuntimeError as e:  # a server that does not serve what was stored has no figure
            result["error"] = str(e)[:300]
        names = [s for s in SIDES if s in servers] if "error" not in result else []
        started = time.monotonic()
        for run in range(1, RUNS + 1 if names else 1):
            spent = time.monotonic() - started
            if run > 1 and spent / (run - 1) * run > RUNS_BUDGET:
                B.log("  time budget (%ds) reached: %d run(s) only" % (RUNS_BUDGET, run - 1))
                break
            for i, name in enumerate(names if run % 2 else list(reversed(names))):  # ABBA
                if i:
                    between_servers()
                port, pid, _ = servers[name]
                r = timed_fetch(client, port, pid(), os.path.join(tmp, "ref-" + name))
                rates[name].append(r["rate"])
                cpu[name].append(r["cpu_ms"])
                _log_run(run, name, r)
            between_servers()
    finally:
        for _, _, server in servers.values():
            server.cleanup()
    result["runs_done"] = len(rates["dovecot"])
    for name in SIDES:
        result[name] = status if name == "sbbsmail" and status else B.figures(rates[name])
    result["ratios"] = {peer: _fair_ratio(rates, peer) for peer in ("dovecot", "dovecot_tuned")}
    result["ratio"] = result["ratios"]["dovecot"]
    result["goal_ratio"] = GOAL
    tuned_ratio = result["ratios"]["dovecot_tuned"]
    result["goal_met"] = None if tuned_ratio is None else tuned_ratio >= GOAL
    # CPU per message moves less with the machine's load than messages/s does.
    result["server_cpu_ms_per_1000_msgs"] = {n: None if n == "sbbsmail" and status else B.figures(cpu[n])
                                             for n in SIDES}
    result["load_avg_end"] = B.load_average()
    B.log("  pop3: sbbsmail %s, dovecot %s, dovecot_tuned %s msg/s, ratios %s (goal %sx the tuned one: %s); "
          "server CPU ms per 1,000 msgs: %s" % (
              _median(result["sbbsmail"]), _median(result["dovecot"]), _median(result["dovecot_tuned"]),
              result["ratios"], GOAL, result["goal_met"],
              {n: _median(f) for n, f in result["server_cpu_ms_per_1000_msgs"].items()}))
    print(json.dumps(result), flush=True)


def _fair_ratio(rates, peer):
    """sbbsmail / peer (medians), only when every run of both sides succeeded."""
    ours, theirs = rates["sbbsmail"], rates[peer]
    if not ours or not theirs or None in ours or None in theirs:
        B.log("!!! pop3: a run of sbbsmail or %s failed (or none was made): no ratio against %s" % (peer, peer))
        return None
    return B.ratio(B.figures(ours), B.figures(theirs))


def _median(f):
    return f if isinstance(f, str) or f is None else f["median"]


def _fmt(v):
    return "FAILED" if v is None else "%.1f" % v


def _dovecot_pid(dc):
    try:
        with open(os.path.join(dc.d, "run", "master.pid")) as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


if __name__ == "__main__":
    main()
