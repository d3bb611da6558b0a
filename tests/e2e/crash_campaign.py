"""Crash campaigns (issue #13 item 5): one sbbsmail install restarted on the
same ports after every SIGKILL, and the figures every campaign checks.

    r = Restartable(test, options="NO_HOST_LOOKUP | NO_RECYCLE | NO_SENDMAIL")
    r.start(); ...; r.kill()

Under an ASan build (~3x slower to start and run) the campaigns scale their
kill counts down; each test says by how much."""
import os
import random
import re
import signal
import subprocess
import sys
import threading
import zlib

from harness import BIN, LISTENER_PORT_KEYS, Install, SbbsMail, free_ports, run_cli, sanitized_binary

SANITIZED = sanitized_binary()
# A bound on each campaign's kill loop: a machine too slow to do all its
# kills by then (a busy CI, ASan) ends the campaign early with fewer kills
# and still checks everything; the count is printed. Only fewer than
# MIN_KILLS, far below what even a slow run reaches, fails: a campaign that
# barely ran proves nothing.
CAMPAIGN_CAP_S = 240
MIN_KILLS = 5
BBS_WRITER = os.path.join(os.path.dirname(BIN), "tests", "tools", "bbs_writer")
FOREIGN_WRITER = os.path.join(os.path.dirname(BIN), "tests", "tools", "foreign_bbs_writer")


def campaign_rng(name):
    """Random but repeatable per run: the seed is printed so a failure can be replayed."""
    seed = int(os.environ.get("CRASH_SEED", random.randrange(1 << 30)))
    print("%s: CRASH_SEED=%d" % (name, seed), file=sys.stderr)
    return random.Random(seed)


def text_for(subject):
    """A body unique to `subject`, 1 to 12 blocks long, so reading it back proves the text."""
    filler = zlib.crc32(subject) % 3000
    return b"Crash campaign message " + subject + b".\r\n" + (b"x" * 70 + b"\r\n") * (filler // 72) + b"end\r\n"


class Restartable:
    """sbbsmail on one temporary install, started again on the same ports
    after each kill. Always stopped and removed when the test ends."""

    def __init__(self, test, options, mail=None):
        self.install = Install()
        test.addCleanup(self.install.cleanup)
        self.ports = free_ports(LISTENER_PORT_KEYS)
        self.settings = dict({"Options": options}, **(mail or {}))
        self.srv = None
        self.starts = 0
        test.addCleanup(self.stop)

    @property
    def prefix(self):
        return self.install.path("data", "mail")

    def start(self):
        srv = SbbsMail(install=self.install, mail=self.settings)
        srv.ports = dict(self.ports)
        for key, port in self.ports.items():
            self.install.set_ini("Mail", key, str(port))
        self.srv = srv
        self.starts += 1
        return srv.start()

    def kill(self):
        self.srv.stop(sig=signal.SIGKILL)

    def stop(self):
        """SIGTERM (SIGKILL after 5 s); the exit code."""
        return self.srv.stop() if self.srv else None

    def check_base(self):
        """(exit code, output) of --check-base on the mail base."""
        r = run_cli(["--check-base", self.prefix])
        return r.returncode, r.stdout


def problems_besides_leaks(report):
    """The --check-base problems that are not leaked space (a block counted
    that nothing references): a wrong count the other way, a lost or broken
    message, would be listed here."""
    other = []
    for line in report.splitlines():
        if line.endswith("(leaked space)") or line.endswith(" problem(s)") or \
                line.endswith(" header blocks marked in use without a header"):
            continue
        m = re.search(r": (\d+) data blocks with a wrong allocation count, (\d+) of them leaked$", line)
        if m and m.group(1) == m.group(2):
            continue
        other.append(line)
    return other


def leaked_blocks(report):
    """How many data blocks --check-base found leaked."""
    m = re.search(r"(\d+) data blocks with a wrong allocation count, (\d+) of them leaked", report)
    return int(m.group(2)) if m else sum(1 for l in report.splitlines() if "data block" in l and "(leaked space)" in l)


class BbsWriter:
    """tests/tools/bbs_writer as a separate process: the BBS adding mail to
    the same base with the same locks. `added` fills as it reports adds."""

    def __init__(self, prefix, tag, count, pause_ms):
        self._start([BBS_WRITER, prefix, tag, str(count), str(pause_ms)])

    def _start(self, argv):
        self.added = []
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in iter(self.proc.stdout.readline, b""):
            if line.startswith(b"added "):
                self.added.append(line[6:].rstrip(b"\n"))

    def wait(self, timeout):
        """Lets it add all COUNT messages. Returns (exit code, stderr)."""
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
        return self.finish()

    def finish(self, timeout=30):
        """SIGTERM: ends after the add in progress. Returns (exit code, stderr)."""
        if self.proc.stdout.closed:
            return self.proc.returncode, ""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
        self._reader.join(timeout=5)
        err = self.proc.stderr.read().decode(errors="replace")
        self.proc.stdout.close()
        self.proc.stderr.close()
        return self.proc.returncode, err


class ForeignBbsWriter(BbsWriter):
    """tests/tools/foreign_bbs_writer: the original's smblib as far as our
    reclaim depends on it (no recovery, none of our journals, first-fit
    blocks), each message a bulk add of `copies` headers whose text is
    counted in one lock hold and its headers added in the next, `pause_ms`
    apart. finish() never stops it between the two holds."""

    def __init__(self, prefix, tag, count, copies, pause_ms):
        self._start([FOREIGN_WRITER, prefix, tag, str(count), str(copies), str(pause_ms)])
