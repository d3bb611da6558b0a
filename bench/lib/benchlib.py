"""Shared pieces of the mail-server benchmarks: free loopback ports, bounded
child processes, figures (min/median/max), and the three servers a bench
starts on loopback and always stops: sbbsmail on a temp copy of the repo's
sample install, Postfix and Dovecot each from a config written in a temp dir.

Every server object records what it started in <tmp>/pids so the shell
wrapper (run.sh) can stop it from its EXIT trap if Python dies first.
"""
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SBBS_INSTALL_DIRS = ("ctrl", "data", "text", "node1")
SBBS_PORT_KEYS = ("SMTPPort", "SubmissionPort", "TLSSubmissionPort", "POP3Port", "TLSPOP3Port")
NOBODY = 65534  # mail owner for Postfix/Dovecot deliveries when the bench runs as root


def log(msg):
    print(msg, flush=True)


def free_port():
    """A loopback TCP port that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def run_bounded(cmd, timeout, **kw):
    """Runs cmd to completion within timeout seconds; returns (rc, seconds, output).
    rc is None when the command had to be killed. Output goes through a file,
    not a pipe: a daemon that cmd starts may keep its stdout open."""
    import tempfile
    with tempfile.TemporaryFile() as out:
        t0 = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True, **kw)
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            rc = None
        secs = time.monotonic() - t0
        out.seek(0)
        return rc, secs, out.read().decode("utf-8", "replace")


def figures(values):
    """min/median/max of a list of rates (None entries are failed runs)."""
    ok = [v for v in values if v is not None]
    if not ok:
        return None
    return {"min": round(min(ok), 1), "median": round(statistics.median(ok), 1),
            "max": round(max(ok), 1), "runs": [None if v is None else round(v, 1) for v in values]}


def ratio(a, b):
    """median(a)/median(b), or None."""
    if not a or not b or not b["median"]:
        return None
    return round(a["median"] / b["median"], 2)


def load_average():
    try:
        return round(os.getloadavg()[0], 1)
    except OSError:
        return None


def record_pid(tmp, kind, what):
    with open(os.path.join(tmp, "pids"), "a") as f:
        f.write("%s %s\n" % (kind, what))


def read_greeting(port, timeout=5):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            return s.recv(512).decode("latin-1", "replace").strip()
    except OSError as e:
        return "(no greeting: %s)" % e


def _runtime_files(directory, names):
    """What a server run leaves in the repo's sample install (see .gitignore):
    never copied, so every bench starts from the sample as committed."""
    if os.path.basename(directory) != "data":
        return [n for n in names if n.startswith(("recycle", "shutdown")) or n == "node.dab"]
    return [n for n in names if n == "logs" or n.startswith(("mail.", "spam.")) or ".db" in n]


# --------------------------------------------------------------------------
class SbbsMail:
    """sbbsmail on a temp copy of the repo's sample install, free loopback ports."""

    def __init__(self, tmp, build, mail=None, global_=None):
        self.root = os.path.join(tmp, "sbbs-%d" % time.monotonic_ns())
        self.tmp = tmp
        self.bin = os.path.abspath(os.path.join(build, "sbbsmail"))
        os.makedirs(self.root)
        for d in SBBS_INSTALL_DIRS:
            src = os.path.join(ROOT, d)
            if os.path.isdir(src):
                shutil.copytree(src, os.path.join(self.root, d), symlinks=True,
                                ignore=_runtime_files)
        self.ctrl = os.path.join(self.root, "ctrl")
        self.ports = {k: free_port() for k in SBBS_PORT_KEYS}
        for key, port in self.ports.items():
            self.set_ini("Mail", key, str(port))
        self.set_ini("Global", "Interface", "127.0.0.1")
        # A bench of raw throughput against Postfix and Dovecot, which do no
        # SPF, DKIM or DMARC here: our checks are off too (a bench may turn
        # them back on through `mail`). Their cost is in bench/README.md.
        self.set_ini("Mail", "SPFCheck", "false")
        self.set_ini("Mail", "DKIMCheck", "false")
        for key, value in (global_ or {}).items():
            self.set_ini("Global", key, value)
        for key, value in (mail or {}).items():
            self.set_ini("Mail", key, value)
        self.proc = None
        self.logfile = os.path.join(self.root, "sbbsmail.out")

    # -- the install --------------------------------------------------------
    def set_ini(self, section, key, value):
        path = os.path.join(self.ctrl, "sbbs.ini")
        with open(path) as f:
            lines = f.read().split("\n")
        start = next((i for i, line in enumerate(lines)
                      if re.match(r"\s*\[%s\]" % re.escape(section), line, re.I)), None)
        if start is None:
            lines += ["[%s]" % section]
            start = len(lines) - 1
        end = start + 1
        while end < len(lines) and not re.match(r"\s*\[", lines[end]):
            end += 1
        for i in range(start + 1, end):
            if re.match(r"\s*%s\s*[=:]" % re.escape(key), lines[i], re.I):
                lines[i] = "\t%s = %s" % (key, value)
                break
        else:
            lines.insert(start + 1, "\t%s = %s" % (key, value))
        with open(path, "w") as f:
            f.write("\n".join(lines))

    def write_ctrl(self, name, text, append=False):
        with open(os.path.join(self.ctrl, name), "a" if append else "w") as f:
            f.write(text)

    def add_users(self, names, password):
        """Appends users cloned from user #1 (Sysop) to data/user/user.tab and
        name.dat; returns their numbers. Each user.tab record is one fixed
        1000-byte line of tab-separated fields, padded with tabs."""
        udir = os.path.join(self.root, "data", "user")
        with open(os.path.join(udir, "user.tab"), "rb") as f:
            records = f.read().split(b"\n")
        records = [r for r in records if r]
        rec_len = len(records[0])
        template = records[0].split(b"\t")
        pw_field = template.index(b"SYSOP-PASS")
        numbers = []
        with open(os.path.join(udir, "user.tab"), "ab") as tab, \
                open(os.path.join(udir, "name.dat"), "ab") as names_dat:
            for name in names:
                number = len(records) + 1
                fields = list(template)
                fields[0] = str(number).encode()
                fields[1] = fields[3] = name.encode()
                fields[2] = ("Bench " + name).encode()
                fields[pw_field] = password.encode()
                # the record is padded with tabs (empty trailing fields)
                line = b"\t".join(fields).rstrip(b"\t")
                assert len(line) <= rec_len
                tab.write(line.ljust(rec_len, b"\t") + b"\n")
                names_dat.write(name.encode().ljust(25, b"\x03") + b"\r\n")
                records.append(line)
                numbers.append(number)
        return numbers

    # -- the process --------------------------------------------------------
    def start(self, timeout=20):
        out = open(self.logfile, "wb")
        self.proc = subprocess.Popen([self.bin, "--ctrl", self.ctrl], stdout=out,
                                     stderr=subprocess.STDOUT, cwd=self.root,
                                     start_new_session=True)
        out.close()
        record_pid(self.tmp, "pid", self.proc.pid)
        ok = wait_until(lambda: self.proc.poll() is not None or "sbbsmail ready" in self.output(), timeout)
        if not ok or self.proc.poll() is not None:
            self.stop()
            raise RuntimeError("sbbsmail did not become ready:\n" + self.output()[-2000:])
        return self

    def output(self):
        try:
            with open(self.logfile, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def serving(self, port_key, good_prefix):
        """(True, greeting) when the listener answers with good_prefix."""
        greeting = read_greeting(self.ports[port_key])
        return greeting.startswith(good_prefix), greeting

    def stop(self, timeout=10):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.proc = None

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


# --------------------------------------------------------------------------
POSTFIX_MASTER_CF = """\
127.0.0.1:{port} inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
"""

POSTFIX_MAIN_CF = """\
# Written by sbbsmail's bench: a loopback-only Postfix in {d}.
compatibility_level = 3.6
config_directory = {d}/conf
queue_directory = {d}/queue
data_directory = {d}/data
meta_directory = /etc/postfix
daemon_directory = /usr/lib/postfix/sbin
command_directory = /usr/sbin
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.{domain}
mydomain = {domain}
myorigin = {domain}
mydestination = {domain}, localhost
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtp_dns_support_level = disabled
smtpd_peername_lookup = no
alias_maps = texthash:{d}/conf/aliases
alias_database =
local_recipient_maps = $alias_maps
maillog_file = {d}/maillog
maillog_file_prefixes = {d}
biff = no
"""


class Postfix:
    """A Postfix instance configured entirely in a temp dir: its own config,
    queue and data directories, listening on a free 127.0.0.1 port, local
    delivery of every given alias to one Maildir in the temp dir."""

    def __init__(self, tmp, domain, aliases):
        self.d = os.path.join(tmp, "postfix-%d" % time.monotonic_ns())
        self.tmp = tmp
        self.port = free_port()
        self.maildir = os.path.join(self.d, "mail", "Maildir") + "/"
        for sub in ("conf", "queue", "data", "mail"):
            os.makedirs(os.path.join(self.d, sub))
        os.chmod(self.d, 0o755)
        # local(8) delivers to files named in a root-owned alias table as
        # default_privs (nobody): the Maildir's parent must be theirs.
        if os.geteuid() == 0:
            shutil.chown(os.path.join(self.d, "data"), "postfix")
            os.chown(os.path.join(self.d, "mail"), NOBODY, NOBODY)
        with open(os.path.join(self.d, "conf", "main.cf"), "w") as f:
            f.write(POSTFIX_MAIN_CF.format(d=self.d, domain=domain))
        with open(os.path.join(self.d, "conf", "master.cf"), "w") as f:
            f.write(POSTFIX_MASTER_CF.format(port=self.port))
        with open(os.path.join(self.d, "conf", "aliases"), "w") as f:
            for alias in aliases:
                f.write("%s %s\n" % (alias, self.maildir))
        self.started = False

    def _postfix(self, action, timeout=60):
        # `script` gives postfix a tty so its errors reach us, not only syslog.
        return run_bounded(["script", "-qec", "postfix -c %s/conf %s" % (self.d, action), "/dev/null"],
                           timeout)

    def start(self):
        record_pid(self.tmp, "postfix", self.d + "/conf")
        self.started = True
        rc, _, out = self._postfix("start")
        if rc != 0 or not wait_until(lambda: read_greeting(self.port, 2).startswith("220"), 15, 0.2):
            self.stop()
            raise RuntimeError("postfix did not start (rc %s): %s" % (rc, out.strip()))
        return self

    def delivered(self):
        try:
            return len(os.listdir(os.path.join(self.maildir, "new")))
        except OSError:
            return 0

    def stop(self):
        if not self.started:
            return
        self._postfix("stop")
        pidfile = os.path.join(self.d, "queue", "pid", "master.pid")
        wait_until(lambda: not _pid_alive(pidfile), 20, 0.2)
        self.started = False

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.d, ignore_errors=True)


def _pid_alive(pidfile):
    try:
        with open(pidfile) as f:
            pid = int(f.read().split()[0])
        os.kill(pid, 0)
        return True
    except (OSError, ValueError, IndexError):
        return False


# --------------------------------------------------------------------------
DOVECOT_CONF = """\
# Written by sbbsmail's bench: a loopback-only Dovecot POP3 server in {d}.
base_dir = {d}/run
state_dir = {d}/state
instance_name = sbbsmail-bench-{port}
protocols = pop3
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
log_path = {d}/dovecot.log
mail_location = maildir:{d}/mail/%u/Maildir
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {d}/users
}}
userdb {{
  driver = passwd-file
  args = {d}/users
}}
service pop3-login {{
  inet_listener pop3 {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener pop3s {{
    port = 0
  }}
}}
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
}}
"""


class Dovecot:
    """Dovecot's POP3 server from a config written in a temp dir: loopback,
    free port, passwd-file users, one Maildir per user in the temp dir."""

    def __init__(self, tmp, users, password):
        self.d = os.path.join(tmp, "dovecot-%d" % time.monotonic_ns())
        self.tmp = tmp
        self.port = free_port()
        self.conf = os.path.join(self.d, "dovecot.conf")
        for sub in ("run", "state", "mail"):
            os.makedirs(os.path.join(self.d, sub))
        os.chmod(self.d, 0o755)
        uid, gid = (NOBODY, NOBODY) if os.geteuid() == 0 else (os.getuid(), os.getgid())
        self.uid, self.gid = uid, gid
        with open(self.conf, "w") as f:
            f.write(DOVECOT_CONF.format(d=self.d, port=self.port))
            if os.geteuid() != 0:
                me = _user_name()
                f.write("default_login_user = %s\ndefault_internal_user = %s\n" % (me, me))
        with open(os.path.join(self.d, "users"), "w") as f:
            for u in users:
                f.write("%s:{PLAIN}%s:%d:%d::%s/mail/%s\n" % (u, password, uid, gid, self.d, u))
        self.started = False

    def maildir(self, user):
        return os.path.join(self.d, "mail", user, "Maildir")

    def chown_mail(self):
        if os.geteuid() == 0:
            for top, dirs, files in os.walk(os.path.join(self.d, "mail")):
                for n in dirs + files:
                    os.lchown(os.path.join(top, n), self.uid, self.gid)
            os.chown(os.path.join(self.d, "mail"), self.uid, self.gid)

    def start(self):
        record_pid(self.tmp, "dovecot", self.conf)
        self.started = True
        rc, _, out = run_bounded(["dovecot", "-c", self.conf], 30)
        if rc != 0 or not wait_until(lambda: read_greeting(self.port, 2).startswith("+OK"), 15, 0.2):
            self.stop()
            raise RuntimeError("dovecot did not start (rc %s): %s" % (rc, out.strip()))
        return self

    def stop(self):
        if not self.started:
            return
        run_bounded(["doveadm", "-c", self.conf, "stop"], 30)
        pidfile = os.path.join(self.d, "run", "master.pid")
        wait_until(lambda: not _pid_alive(pidfile), 20, 0.2)
        self.started = False

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.d, ignore_errors=True)


def _user_name():
    import pwd
    return pwd.getpwuid(os.getuid()).pw_name


def install_sigterm_exit():
    """SIGTERM/SIGHUP unwind through the finally blocks that stop servers."""
    def handler(signum, _frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGHUP, handler)
