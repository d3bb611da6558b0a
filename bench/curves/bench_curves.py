"""Cost curves (issue #14 item 4): how each server's cost grows with message
size, mailbox size, base size and open sessions, and what one message costs
in CPU time (process tree utime+stime) and, for sbbsmail, in instructions
(callgrind: counted, so machine load does not move it).

Curves (each {"x", "x_unit", "series": {server: [...]}, "unit"}):
  accept_ms_by_size     SMTP DATA-to-250 time vs message size (sbbsmail, postfix)
  accept_rate_by_base   smtp-source accepted/s vs messages already stored
  pop3_{login,stat,list}_ms_by_mailbox   one session's phases vs mailbox size
Figures: cpu_ms_per_accepted_msg, cpu_ms_per_retrieved_msg, {rss,pss}_kib_per_100_*
sessions, instructions_per_accepted_msg.

Usage: bench_curves.py BUILD_DIR TMP_DIR  (env: see bench/README.md, "curves")
"""
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, HERE)
import benchlib as B  # noqa: E402
import clients as C  # noqa: E402
import proctree as P  # noqa: E402


def _ints(name, default):
    return [int(v) for v in os.environ.get(name, default).split(",") if v.strip()]


DOMAIN = "testbbs.example"
SYSOP = "sysop@" + DOMAIN
PASSWORD = "benchpass"
POP_USER = "bench1"
SIZES_KIB = _ints("BENCH_CURVES_SIZES_KIB", "1,64,1024,10240")
SIZE_BYTES_PER_POINT = int(os.environ.get("BENCH_CURVES_SIZE_BYTES", str(32 << 20)))  # per size, bounds the count
MAILBOXES = _ints("BENCH_CURVES_MAILBOXES", "10,100,1000,10000")
POP3_SESSIONS = int(os.environ.get("BENCH_CURVES_POP3_SESSIONS", "5"))
BASES = _ints("BENCH_CURVES_BASES", "0,10000,50000")
BASE_MSGS = int(os.environ.get("BENCH_CURVES_BASE_MSGS", "1000"))
CPU_MSGS = int(os.environ.get("BENCH_CURVES_CPU_MSGS", "1000"))
RSS_SESSIONS = int(os.environ.get("BENCH_CURVES_RSS_SESSIONS", "100"))
CALLGRIND_MSGS = int(os.environ.get("BENCH_CURVES_CALLGRIND_MSGS", "40"))
RETR_PASSES = int(os.environ.get("BENCH_CURVES_RETR_PASSES", "3"))
SOURCE_TIMEOUT = 180


def curve(x, x_unit, unit, series):
    return {"x": x, "x_unit": x_unit, "series": series, "unit": unit}


def ms(values):
    return round(statistics.median(values) * 1000.0, 3) if values else None


# -- servers ----------------------------------------------------------------
def new_sbbsmail(tmp, build, prefix=()):
    srv = CurvesSbbs(tmp, build, prefix, global_={"LogLevel": "Info"}, mail={
        "MaxRecipients": "1000", "MaxMsgsWaiting": "0", "MaxMsgSize": "20M",
        "MaxClients": str(RSS_SESSIONS * 2 + 50)})
    srv.write_ctrl("dns_blacklist.cfg", "")  # no DNSBL on either side
    srv.add_users([POP_USER] + RSS_USERS, PASSWORD)
    return srv


class CurvesSbbs(B.SbbsMail):
    """sbbsmail, optionally started under a wrapper (valgrind)."""

    def __init__(self, tmp, build, prefix, **kw):
        super().__init__(tmp, build, **kw)
        self.prefix = list(prefix)

    def start(self, timeout=20):
        if not self.prefix:
            return super().start(timeout)
        out = open(self.logfile, "wb")
        self.proc = subprocess.Popen(self.prefix + [self.bin, "--ctrl", self.ctrl], stdout=out,
                                     stderr=subprocess.STDOUT, cwd=self.root, start_new_session=True)
        out.close()
        B.record_pid(self.tmp, "pid", self.proc.pid)
        if not B.wait_until(lambda: self.proc.poll() is not None or "sbbsmail ready" in self.output(),
                            timeout) or self.proc.poll() is not None:
            self.stop()
            raise RuntimeError("sbbsmail did not become ready: " + self.output()[-500:])
        return self

    def mail_prefix(self):
        return os.path.join(self.root, "data", "mail")


def fill_sbbs(build, srv, user_number, count, size=1024):
    """Appends `count` messages to the (stopped) server's mail base."""
    if count <= 0:
        return
    prog = os.path.abspath(os.path.join(build, "bench", "curves"))
    rc, secs, out = B.run_bounded([prog, srv.mail_prefix(), str(user_number), str(count), str(size)], 300)
    if rc != 0:
        raise RuntimeError("filling the base failed: " + out[-300:])
    B.log("    filled %d messages in %.1fs" % (count, secs))


def create_base(srv, user):
    """The server creates its own base (status from its configuration): one
    message by SMTP. Leaves the server running."""
    srv.start()
    C.smtp_send_timed(srv.ports["SMTPPort"], user, 1024, 1)


def new_postfix(tmp):
    pf = B.Postfix(tmp, DOMAIN, ["sysop"])
    # Postfix refuses messages over 10,240,000 bytes by default; the size
    # curve goes to 10 MiB (sbbsmail runs with MaxMsgSize=20M).
    with open(os.path.join(pf.d, "conf", "main.cf"), "a") as f:
        f.write("message_size_limit = 67108864\nmailbox_size_limit = 0\n")
    return pf


def postfix_pid(pf):
    return P.pid_from_file(os.path.join(pf.d, "queue", "pid", "master.pid"))


def dovecot_pid(dc):
    return P.pid_from_file(os.path.join(dc.d, "run", "master.pid"))


def fill_maildir(maildir, start, count, size=1024, sub="new"):
    for d in ("new", "cur", "tmp"):
        os.makedirs(os.path.join(maildir, d), exist_ok=True)
    for i in range(start, start + count):
        with open(os.path.join(maildir, sub, "%d.M%dP0.curves" % (1700000000 + i, i)), "w") as f:
            f.write(C.message(size, i, SYSOP).replace("\r\n", "\n"))


def smtp_source_rate(port, msgs):
    cmd = ["smtp-source", "-s", "20", "-l", "4096", "-m", str(msgs), "-f", "bench@client.example",
           "-t", SYSOP, "-M", "client.example", "127.0.0.1:%d" % port]
    rc, secs, out = B.run_bounded(cmd, SOURCE_TIMEOUT)
    if rc != 0:
        B.log("    smtp-source failed (rc %s): %s" % (rc, out.strip()[-200:]))
        return None
    return round(msgs / secs, 1)


RSS_USERS = ["rss%d" % i for i in range(1, RSS_SESSIONS + 1)]  # one mailbox per POP3 session


def memory_per_sessions(port, pid, mode, baseline, **kw):
    """The tree's {rss, pss} (KiB) with RSS_SESSIONS sessions held open, less
    its own when it had just started (`baseline`), scaled to 100 sessions."""
    socks = C.hold_sessions(port, RSS_SESSIONS, mode, **kw)
    try:
        time.sleep(0.5)  # let process-per-connection servers finish forking
        after = P.tree_memory_kib(pid)
    finally:
        C.close_all(socks)
    if baseline is None or after is None:
        return None
    return {k: round((after[k] - baseline[k]) * 100.0 / RSS_SESSIONS, 1) for k in ("rss", "pss")}


def record_memory(figures, proto, label, port, pid, active_mode, **kw):
    """kib_per_100_{idle,active}_<proto>_sessions, as RSS and as PSS."""
    baseline = P.tree_memory_kib(pid)
    for state, mode in (("idle", "idle"), ("active", active_mode)):
        got = memory_per_sessions(port, pid, mode, baseline, **kw) or {"rss": None, "pss": None}
        for k in ("rss", "pss"):
            figures.setdefault("%s_kib_per_100_%s_%s_sessions" % (k, state, proto), {})[label] = got[k]
    B.log("    %s: memory per 100 %s sessions, idle / active: RSS %s / %s, PSS %s / %s KiB" % (
        label, proto, *(figures["%s_kib_per_100_%s_%s_sessions" % (k, s, proto)][label]
                        for k in ("rss", "pss") for s in ("idle", "active"))))


# -- the SMTP side: message size, CPU, RSS -----------------------------------
def smtp_side(port, pid, label, delivered, figures):
    """RSS of sessions (first, on the fresh server), accept time per size,
    CPU per accepted message."""
    record_memory(figures, "smtp", label, port, pid, "smtp", to=SYSOP)
    points = []
    for kib in SIZES_KIB:
        count = max(2, min(50, SIZE_BYTES_PER_POINT // (kib * 1024)))
        try:
            points.append(ms(C.smtp_send_timed(port, SYSOP, kib * 1024, count)))
        except (OSError, RuntimeError) as e:  # this point only: the others still mean something
            B.log("    %s: %d KiB failed: %s" % (label, kib, e))
            points.append(None)
            continue
        B.log("    %s: %d KiB x %d: median %.2f ms to 250" % (label, kib, count, points[-1]))
    cpu0 = P.tree_cpu_seconds(pid)
    target = delivered() + CPU_MSGS if delivered else None
    rate = smtp_source_rate(port, CPU_MSGS)
    if delivered:  # Postfix's work goes on after its 250: wait for the Maildir
        B.wait_until(lambda: delivered() >= target, 120, 0.1)
    cpu1 = P.tree_cpu_seconds(pid)
    if rate and cpu0 is not None and cpu1 is not None:
        figures["cpu_ms_per_accepted_msg"][label] = round((cpu1 - cpu0) * 1000.0 / CPU_MSGS, 3)
    B.log("    %s: CPU %s ms per accepted msg" % (label, figures["cpu_ms_per_accepted_msg"].get(label)))
    return points


def size_curve(tmp, build, figures):
    B.log("== accept time vs message size %s KiB; CPU per accepted message; SMTP RSS" % SIZES_KIB)
    series = {}
    srv = new_sbbsmail(tmp, build)
    try:
        srv.start()
        series["sbbsmail"] = smtp_side(srv.ports["SMTPPort"], srv.proc.pid, "sbbsmail", None, figures)
    finally:
        srv.cleanup()
    pf = new_postfix(tmp)
    try:
        pf.start()
        series["postfix"] = smtp_side(pf.port, postfix_pid(pf), "postfix", pf.delivered, figures)
    finally:
        pf.cleanup()
    return curve(SIZES_KIB, "KiB", "ms from end of DATA text to 250 (median)", series)


# -- SMTP accept rate vs base size --------------------------------------------
def base_curve(tmp, build):
    B.log("== SMTP accept rate vs messages already stored %s (%d msgs per point)" % (BASES, BASE_MSGS))
    sb, pf_rates, instr = [], [], []
    for base in BASES:
        srv = new_sbbsmail(tmp, build)
        try:
            create_base(srv, SYSOP)
            srv.stop()
            fill_sbbs(build, srv, 1, base - 1)
            if base in (BASES[0], BASES[-1]):  # the ends: callgrind costs ~30 s a run
                instr.append(instructions_per_message(tmp, srv))
                B.log("    base %d: %s instructions per accepted message (callgrind, %d msgs)" % (
                    base, instr[-1], CALLGRIND_MSGS))
            srv.start()
            sb.append(smtp_source_rate(srv.ports["SMTPPort"], BASE_MSGS))
        finally:
            srv.cleanup()
        pf = new_postfix(tmp)
        try:
            fill_maildir(pf.maildir, 0, base)
            if os.geteuid() == 0:
                subprocess.run(["chown", "-R", "%d:%d" % (B.NOBODY, B.NOBODY), os.path.dirname(pf.maildir)])
            pf.start()
            pf_rates.append(smtp_source_rate(pf.port, BASE_MSGS))
        finally:
            pf.cleanup()
        B.log("    base %d: sbbsmail %s, postfix %s accepted/s (load %s)" % (
            base, sb[-1], pf_rates[-1], B.load_average()))
    ends = [max(1, BASES[0]), BASES[-1]] if len(BASES) > 1 else [max(1, BASES[0])]
    return {"accept_rate_by_base": curve(BASES, "messages already stored",
                                         "accepted messages/s (smtp-source, 20 sessions, 4 KiB)",
                                         {"sbbsmail": sb, "postfix": pf_rates}),
            "instructions_by_base": curve(ends, "messages already stored",
                                          "instructions per accepted 4 KiB message (callgrind, one session)",
                                          {"sbbsmail": instr[:len(ends)]})}


# -- POP3 phases vs mailbox size -------------------------------------------------
def pop3_points(port, pid, label, size, figures, retr_at):
    """Medians of POP3_SESSIONS sessions after one warm-up session. On the
    first (smallest) point, the server just started: its RSS with sessions."""
    if size == MAILBOXES[0]:
        record_memory(figures, "pop3", label, port, pid, "pop3", users=RSS_USERS, password=PASSWORD)
    first = C.pop3_session_timed(port, POP_USER, PASSWORD)
    if first["messages"] != size:
        raise RuntimeError("%s: mailbox holds %d, not %d" % (label, first["messages"], size))
    runs = [C.pop3_session_timed(port, POP_USER, PASSWORD) for _ in range(POP3_SESSIONS)]
    point = {k: ms([r[k] for r in runs]) for k in ("login", "stat", "list")}
    B.log("    %s, %d msgs: login %.2f, STAT %.2f, LIST %.2f ms (first session login %.1f ms)" % (
        label, size, point["login"], point["stat"], point["list"], first["login"] * 1000))
    if size == retr_at:
        cpu0 = P.tree_cpu_seconds(pid)
        # several passes: the kernel counts CPU in 10 ms ticks
        got = sum(C.pop3_retrieve_all(port, POP_USER, PASSWORD) for _ in range(RETR_PASSES))
        cpu1 = P.tree_cpu_seconds(pid)
        if cpu0 is not None and cpu1 is not None and got:
            figures["cpu_ms_per_retrieved_msg"][label] = round((cpu1 - cpu0) * 1000.0 / got, 3)
    return point


def sbbs_mailbox_points(build, srv, figures, retr_at):
    """sbbsmail's points, its one mailbox grown between them by the filler."""
    points = []
    user_number = _user_number(srv) - len(RSS_USERS)
    create_base(srv, "%s@%s" % (POP_USER, DOMAIN))
    have = 1
    for size in MAILBOXES:
        srv.stop()
        fill_sbbs(build, srv, user_number, size - have)
        have = size
        srv.start()
        points.append(pop3_points(srv.ports["POP3Port"], srv.proc.pid, "sbbsmail", size, figures, retr_at))
        if size == retr_at:
            srv.stop()
            retrieve = lambda srv: C.pop3_retrieve_all(srv.ports["POP3Port"], POP_USER, PASSWORD)  # noqa: E731
            per = instructions_per_message(srv.tmp, srv, retrieve, retrieve)
            figures["instructions_per_retrieved_msg"] = {"sbbsmail": per}
            B.log("    %s instructions per retrieved message (callgrind, %d msgs)" % (per, size))
            srv.start()
    return points


def dovecot_mailbox_points(dc, figures, retr_at):
    """Dovecot's points, its Maildir grown between them (files in new/)."""
    points = []
    have = 0
    for size in MAILBOXES:
        dc.stop()
        fill_maildir(dc.maildir(POP_USER), have, size - have)
        have = size
        dc.chown_mail()
        dc.start()
        points.append(pop3_points(dc.port, dovecot_pid(dc), "dovecot", size, figures, retr_at))
    return points


def mailbox_curve(tmp, build, figures):
    B.log("== POP3 login/STAT/LIST vs mailbox size %s; CPU per retrieved message; POP3 RSS" % MAILBOXES)
    retr_at = max([m for m in MAILBOXES if m <= 1000] or MAILBOXES[:1])
    srv = new_sbbsmail(tmp, build)
    dc = B.Dovecot(tmp, [POP_USER] + RSS_USERS, PASSWORD)
    for u in RSS_USERS:
        fill_maildir(dc.maildir(u), 0, 0)
    try:
        sb = sbbs_mailbox_points(build, srv, figures, retr_at)
        srv.cleanup()
        dv = dovecot_mailbox_points(dc, figures, retr_at)
    finally:
        srv.cleanup()
        dc.cleanup()
    return {"pop3_%s_ms_by_mailbox" % k: curve(MAILBOXES, "messages in the mailbox",
                                               "ms (median of %d sessions)" % POP3_SESSIONS,
                                               {"sbbsmail": [p[k] for p in sb], "dovecot": [p[k] for p in dv]})
            for k in ("login", "stat", "list")}


def _user_number(srv):
    with open(os.path.join(srv.root, "data", "user", "user.tab"), "rb") as f:
        return sum(1 for line in f.read().split(b"\n") if line)


# -- instructions per accepted message (callgrind) --------------------------------
def callgrind(pid, what):
    """callgrind_control on the running server: -z zeroes, -d dumps."""
    rc, _, out = B.run_bounded(["callgrind_control", what, str(pid)], 120)
    if rc != 0:
        raise RuntimeError("callgrind_control %s: %s" % (what, out.strip()[-200:]))


def ini_value(srv, section, key):
    """A key's value in the install's sbbs.ini ("" when absent)."""
    import configparser
    ini = configparser.ConfigParser(strict=False, interpolation=None)
    ini.optionxform = str
    ini.read(os.path.join(srv.ctrl, "sbbs.ini"))
    return ini.get(section, key, fallback="").strip()


def have_callgrind():
    return subprocess.run(["which", "callgrind_control"], capture_output=True).returncode == 0


def send_4k(srv, count):
    C.smtp_send_timed(srv.ports["SMTPPort"], SYSOP, 4096, count)
    return count


def instructions_per_message(tmp, srv, warm_up=lambda srv: send_4k(srv, 1),
                             work=lambda srv: send_4k(srv, CALLGRIND_MSGS)):
    """Instructions the (stopped) server executes, all threads, per message
    of `work` (default: a 4 KiB message accepted in one session; it returns
    its count), started again under callgrind on the same install and base:
    counters zeroed after `warm_up`, dumped after `work`, so start-up,
    shut-down and machine load do not count. The SendMail thread is off for this run (NO_SENDMAIL): it
    scans the base on a timer, and under callgrind's ~50x slowdown that
    timer work would be charged to the messages. None when callgrind is
    missing or fails."""
    if not have_callgrind():
        return None
    out = os.path.join(tmp, "callgrind-%d.out" % time.monotonic_ns())
    srv.prefix = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out]
    options = ini_value(srv, "Mail", "Options")
    srv.set_ini("Mail", "Options", (options + " | " if options else "") + "NO_SENDMAIL")
    try:
        srv.start(timeout=180)
        warm_up(srv)
        callgrind(srv.proc.pid, "-z")
        count = work(srv)
        callgrind(srv.proc.pid, "-d")
    except (OSError, RuntimeError) as e:
        B.log("    callgrind run failed: %s" % e)
        return None
    finally:
        srv.stop()
        srv.prefix = []
        srv.set_ini("Mail", "Options", options or "")
    dumps = sorted(f for f in os.listdir(tmp) if f.startswith(os.path.basename(out) + "."))
    for dump in dumps[:1]:
        with open(os.path.join(tmp, dump)) as f:
            for line in f:
                if line.startswith(("totals:", "summary:")):
                    log_top_functions(os.path.join(tmp, dump))
                    return round(int(line.split()[1]) / max(1, count))
    return None


def log_top_functions(dump, count=8):
    """The mail store's and POP3's costliest functions (inclusive
    instructions) into the log: what a bent curve points at. (Self costs are
    not usable here: in a dump taken with callgrind_control,
    callgrind_annotate 3.19 charges them all to clone.)"""
    import re
    _, _, out = B.run_bounded(["callgrind_annotate", "--inclusive=yes", dump], 120)
    shown = []
    for line in out.splitlines():
        m = re.match(r"^\s*[\d,]+ \(\s*([\d.]+%)\)\s+\S*src/(?:msgbase|pop3)/[^:]*:(.*)$", line)
        name = m and re.sub(r"\(.*", "", m.group(2).replace("sbbs::smb::", ""))
        if name and not name.startswith("std::") and name not in shown and len(shown) < count:
            B.log("      %7s  %s" % (m.group(1), name))
            shown.append(name)


def perf_works():
    """Whether this kernel gives perf an instruction counter (often not in a VM)."""
    try:
        r = subprocess.run(["perf", "stat", "-x,", "-e", "instructions", "true"], capture_output=True,
                           text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return r.returncode == 0 and "not supported" not in r.stderr and "<not" not in r.stderr


def cost_ratios(figures):
    """peer's cost / sbbsmail's for each figure both have (>1: sbbsmail
    spends less, the same sense as the other benches' sbbsmail/peer rates)."""
    ratios = {}
    for name, by_server in figures.items():
        ours = by_server.get("sbbsmail")
        peers = [v for k, v in by_server.items() if k != "sbbsmail" and v is not None]
        if ours and peers and not name.startswith("rss_"):  # summed RSS double-counts shared pages
            ratios[name] = round(peers[0] / ours, 2)
    return ratios


def main():
    build, tmp = sys.argv[1], sys.argv[2]
    B.install_sigterm_exit()
    started = time.monotonic()
    result = {"bench": "curves", "load_avg_start": B.load_average(), "curves": {}, "figures": {}}
    figures = {"cpu_ms_per_accepted_msg": {}, "cpu_ms_per_retrieved_msg": {}}
    steps = (("accept_ms_by_size", lambda: {"accept_ms_by_size": size_curve(tmp, build, figures)}),
             ("accept_rate_by_base", lambda: base_curve(tmp, build)),
             ("pop3", lambda: mailbox_curve(tmp, build, figures)))
    only = [v for v in os.environ.get("BENCH_CURVES_ONLY", "").split(",") if v]
    for name, step in steps:
        if only and name not in only:
            continue
        t0 = time.monotonic()
        try:
            got = step()
            result["curves"].update(got)
        except Exception as e:  # one broken curve must not hide the others
            B.log("  %s failed: %s" % (name, e))
            result.setdefault("errors", {})[name] = str(e)[:200]
        B.log("  (%s took %.0fs, load %s)" % (name, time.monotonic() - t0, B.load_average()))
    result["figures"] = figures
    by_base = result["curves"].get("instructions_by_base", {}).get("series", {}).get("sbbsmail") or [None]
    figures["instructions_per_accepted_msg"] = {"sbbsmail": by_base[0]}  # into an empty base
    result["ratios"] = cost_ratios(figures)
    result["instructions_how"] = ("valgrind --tool=callgrind (perf stat -e instructions: %s here)"
                                  % ("works" if perf_works() else "not supported")
                                  if have_callgrind() else "valgrind not installed")
    result["seconds"] = round(time.monotonic() - started, 1)
    result["load_avg_end"] = B.load_average()
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
