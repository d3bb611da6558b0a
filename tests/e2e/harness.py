"""End-to-end harness: runs the real sbbsmail binary against a temporary copy
of the repo's sample install on free loopback ports, and always stops it.

    with SbbsMail(mail={"MaxClients": "2"}) as srv:
        s = srv.connect("SMTPPort")
        print(read_line(s))

The binary is $SBBSMAIL_BIN (default build/release/sbbsmail). A server is
stopped with SIGTERM, then SIGKILL after a timeout, when the `with` block
ends (also when a test fails) and, as a backstop, at interpreter exit.
"""
import atexit
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.abspath(os.environ.get("SBBSMAIL_BIN", os.path.join(ROOT, "build", "release", "sbbsmail")))
INSTALL_DIRS = ("ctrl", "data", "text", "node1")
LISTENER_PORT_KEYS = ("SMTPPort", "SubmissionPort", "TLSSubmissionPort", "POP3Port", "TLSPOP3Port")
READY_LINE = "sbbsmail ready"

_live = set()


def fixtures_dir():
    """$SBBSMAIL_FIXTURES, else the first shared/fixtures above the repo."""
    env = os.environ.get("SBBSMAIL_FIXTURES")
    if env:
        return env
    p = ROOT
    while True:
        candidate = os.path.join(p, "shared", "fixtures")
        if os.path.isdir(candidate):
            return candidate
        parent = os.path.dirname(p)
        if parent == p:
            return "/work/shared/fixtures"
        p = parent


def _kill_leftovers():
    for proc in list(_live):
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)


atexit.register(_kill_leftovers)


def sanitized_binary(path=None):
    """True when the binary under test is an AddressSanitizer build: its
    quarantine and redzones make peak-memory figures meaningless."""
    try:
        with open(path or BIN, "rb") as f:
            return b"__asan_init" in f.read()
    except OSError:
        return False


def free_port(host="127.0.0.1"):
    """A loopback TCP port that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def free_ports(keys, host="127.0.0.1"):
    """A distinct free port for each key: ports asked for one after another may
    repeat once released, and two listeners on one port refuse to start."""
    ports = {}
    for k in keys:
        p = free_port(host)
        while p in ports.values():
            p = free_port(host)
        ports[k] = p
    return ports


class Install:
    """A temporary copy of a Synchronet install (the repo's sample by default)."""

    def __init__(self, source=ROOT):
        self.root = tempfile.mkdtemp(prefix="sbbsmail-e2e-")
        for d in INSTALL_DIRS:
            src = os.path.join(source, d)
            if os.path.isdir(src):
                shutil.copytree(src, os.path.join(self.root, d), symlinks=True)
        self.ctrl = os.path.join(self.root, "ctrl")

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    @property
    def sbbs_ini(self):
        return self.path("ctrl", "sbbs.ini")

    def set_ini(self, section, key, value, file=None):
        """Sets `key = value` in [section], replacing the first such line."""
        file = file or self.sbbs_ini
        with open(file) as f:
            lines = f.read().split("\n")
        start = _section_index(lines, section)
        if start is None:
            lines += ["", "[%s]" % section]
            start = len(lines) - 1
        end = _section_end(lines, start)
        for i in range(start + 1, end):
            if re.match(r"\s*%s\s*[=:]" % re.escape(key), lines[i], re.I):
                lines[i] = "\t%s = %s" % (key, value)
                break
        else:
            lines.insert(end, "\t%s = %s" % (key, value))
        with open(file, "w") as f:
            f.write("\n".join(lines))

    def line_of(self, key, file=None):
        """1-based number of the first line setting `key` (any section)."""
        with open(file or self.sbbs_ini) as f:
            for n, line in enumerate(f, 1):
                if re.match(r"\s*%s\s*[=:]" % re.escape(key), line, re.I):
                    return n
        return None

    def cleanup(self):
        shutil.rmtree(self.root, ignore_errors=True)


def _section_index(lines, section):
    for i, line in enumerate(lines):
        m = re.match(r"\s*\[([^\]]*)\]", line)
        if m and section.lower() in [n.strip().lower() for n in m.group(1).split("|")]:
            return i
    return None


def _section_end(lines, start):
    end = start + 1
    while end < len(lines) and not re.match(r"\s*\[", lines[end]):
        end += 1
    while end > start + 1 and lines[end - 1].strip() == "":
        end -= 1
    return end


class SbbsMail:
    """One sbbsmail process on a temp install with free loopback ports."""

    def __init__(self, install=None, mail=None, global_=None, args=(), env=None):
        self.own_install = install is None
        self.install = install or Install()
        self.ports = free_ports(LISTENER_PORT_KEYS)
        for key, port in self.ports.items():
            self.install.set_ini("Mail", key, str(port))
        self.install.set_ini("Global", "Interface", "127.0.0.1")
        for key, value in (global_ or {}).items():
            self.install.set_ini("Global", key, value)
        for key, value in (mail or {}).items():
            self.install.set_ini("Mail", key, value)
        self.args = list(args)
        self.env = dict(os.environ, **(env or {}))
        self.proc = None
        self._pumps = []
        self._out = []
        self._lock = threading.Lock()
        self._ready = threading.Event()

    # -- life cycle -------------------------------------------------------
    def start(self, wait_ready=True, timeout=15):
        self.proc = subprocess.Popen([BIN, "--ctrl", self.install.ctrl] + self.args,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=self.env, cwd=self.install.root)
        _live.add(self.proc)
        self._pumps = [threading.Thread(target=self._pump, args=(stream,), daemon=True)
                       for stream in (self.proc.stdout, self.proc.stderr)]
        for t in self._pumps:
            t.start()
        if wait_ready:
            deadline = time.monotonic() + timeout
            while not self._ready.wait(0.05):
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("sbbsmail did not become ready:\n" + self.output)
        return self

    def _pump(self, stream):
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "replace")
            with self._lock:
                self._out.append(line)
            if line.strip() == READY_LINE:
                self._ready.set()
        stream.close()

    def stop(self, sig=signal.SIGTERM, timeout=5):
        """Sends `sig`, waits, then SIGKILL; returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        _live.discard(self.proc)
        self._drain()
        return self.proc.returncode

    def _drain(self):
        """After exit: wait until all output has been captured."""
        for t in self._pumps:
            t.join(timeout=5)

    def signal(self, sig):
        self.proc.send_signal(sig)

    def wait_exit(self, timeout):
        """Exit code, or None if still running after `timeout` seconds."""
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        self._drain()
        return code

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        if self.own_install:
            self.install.cleanup()
        return False

    # -- observation ------------------------------------------------------
    @property
    def output(self):
        with self._lock:
            return "".join(self._out)

    def wait_output(self, pattern, timeout=5):
        """True once `pattern` (a regex) appears in the output."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if re.search(pattern, self.output):
                return True
            time.sleep(0.05)
        return False

    def connect(self, port_key, timeout=5):
        return connect(self.ports[port_key], timeout=timeout)

    def connect_tls(self, port_key, timeout=5):
        return wrap_tls(self.connect(port_key, timeout))


def session_threads(pid):
    """Session threads (named "mail-session" by the server) still running in `pid`."""
    count = 0
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/comm" % (pid, tid)) as f:
                count += f.read().strip() == "mail-session"
        except FileNotFoundError:       # ended while we looked
            pass
    return count


def eventually(predicate, timeout=20):
    """True once `predicate()` holds, polled every 0.1 s for at most `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def connect(port, host="127.0.0.1", timeout=5):
    return socket.create_connection((host, port), timeout=timeout)


def wrap_tls(sock):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx.wrap_socket(sock)


def read_line(sock, limit=4096):
    """One line with its CRLF ("" when the peer closed first)."""
    data = b""
    while not data.endswith(b"\n") and len(data) < limit:
        chunk = sock.recv(1)
        if not chunk:
            break
        data += chunk
    return data.decode("utf-8", "replace")


def is_closed(sock, timeout=3):
    """True when the peer closes the connection within `timeout`."""
    sock.settimeout(timeout)
    try:
        while True:
            chunk = sock.recv(4096)
            if not chunk:
                return True
    except (socket.timeout, ssl.SSLError):
        return False
    except OSError:
        return True


def run_cli(args, env=None, timeout=30):
    """Runs sbbsmail with `args` to completion (stdout and stderr joined)."""
    return subprocess.run([BIN] + list(args), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          env=dict(os.environ, **(env or {})), timeout=timeout, text=True)
