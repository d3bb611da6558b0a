"""End-to-end SMTP with Postfix as the sending MTA: a loopback Postfix,
configured entirely in a temp dir, relays a message to our port 25; the
stored result is read back through --dump-base."""
import os
import pwd
import shutil
import smtplib
import subprocess
import tempfile
import time
import unittest

from e2e_common import ServerCase
from harness import free_port
from postfix import MASTER_SERVICES
import smbdump

MAIN_CF = """\
# A loopback-only Postfix for sbbsmail's end-to-end tests, living in {d}.
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
myhostname = mx.sender.example
mydomain = sender.example
myorigin = sender.example
mydestination =
local_recipient_maps =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
smtp_dns_support_level = disabled
smtpd_peername_lookup = no
relayhost = [127.0.0.1]:{relay_port}
smtp_tls_security_level = may
smtp_tls_loglevel = 1
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
alias_maps =
alias_database =
maillog_file = {d}/maillog
maillog_file_prefixes = {d}
biff = no
"""

# The shared service list, plus pickup (messages submitted here) and tlsmgr
# (STARTTLS towards sbbsmail).
MASTER_CF = ("127.0.0.1:{port} inet n - n - - smtpd\n"
             "pickup unix n - n 60 1 pickup\n"
             "tlsmgr unix - - n 1000? 1 tlsmgr\n") + MASTER_SERVICES


def _run(cmd, timeout=60):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace")


class LoopbackPostfix:
    """Postfix in its own config/queue/data directories, relaying everything
    it receives on a free loopback port to [127.0.0.1]:relay_port."""

    def __init__(self, relay_port):
        self.d = tempfile.mkdtemp(prefix="sbbsmail-postfix-")
        self.port = free_port()
        self.started = False
        for sub in ("conf", "queue", "data"):
            os.makedirs(os.path.join(self.d, sub))
        os.chmod(self.d, 0o755)
        shutil.chown(os.path.join(self.d, "data"), "postfix")
        with open(os.path.join(self.d, "conf", "main.cf"), "w") as f:
            f.write(MAIN_CF.format(d=self.d, relay_port=relay_port))
        with open(os.path.join(self.d, "conf", "master.cf"), "w") as f:
            f.write(MASTER_CF.format(port=self.port))

    def _postfix(self, action):
        # `script` gives postfix a tty so its errors reach us, not only syslog.
        return _run(["script", "-qec", "postfix -c %s/conf %s" % (self.d, action), "/dev/null"])

    def start(self):
        self.started = True
        rc, out = self._postfix("start")
        if rc != 0:
            raise RuntimeError("postfix did not start (rc %s): %s" % (rc, out))
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                smtplib.SMTP("127.0.0.1", self.port, timeout=2).quit()
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("postfix does not answer on port %d:\n%s" % (self.port, self.log()))

    def log(self):
        try:
            with open(os.path.join(self.d, "maillog"), encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def stop(self):
        if not self.started:
            return
        self.started = False
        self._postfix("stop")
        pidfile = os.path.join(self.d, "queue", "pid", "master.pid")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and _pid_alive(pidfile):
            time.sleep(0.2)
        if _pid_alive(pidfile):
            self._postfix("abort")

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.d, ignore_errors=True)


def _pid_alive(pidfile):
    try:
        with open(pidfile) as f:
            os.kill(int(f.read().split()[0]), 0)
        return True
    except (OSError, ValueError, IndexError):
        return False


def _postfix_usable():
    if shutil.which("postfix") is None:
        return "postfix is not installed"
    if os.geteuid() != 0:
        return "postfix needs root to start"
    try:
        pwd.getpwnam("postfix")
    except KeyError:
        return "no postfix user"
    return None


@unittest.skipIf(_postfix_usable(), _postfix_usable() or "")
class PostfixRelaysToUs(ServerCase):
    def postfix(self):
        pf = LoopbackPostfix(self.srv.ports["SMTPPort"])
        self.addCleanup(pf.cleanup)   # stopped even when the test fails
        return pf.start()

    def test_postfix_relays_message_stored_byte_identical(self):
        """SMTP-10 SMTP-60 SMTP-88 SMTP-153 SMTP-164 SMTP-170 SMTP-195 SMTP-203 SMTP-212 SMTP-213 SMTP-254 SMTP-256: a Postfix relay delivers to port 25; the SMB copy keeps envelope, header fields, Received shape and the body byte for byte"""
        self.server()
        pf = self.postfix()
        body = (b"Hello Sysop,\r\n"
                b".a line that starts with a dot\r\n"
                b"..two dots\r\n"
                b"\r\n"
                b"tab\tinside and 8-bit: caf\xc3\xa9\r\n"
                b"last line\r\n")
        head = (b"From: Alice Sender <alice@sender.example>\r\n"
                b"To: Sysop <sysop@testbbs.example>\r\n"
                b"Subject: relayed by postfix\r\n"
                b"Message-ID: <postfix-e2e-1@sender.example>\r\n"
                b"Date: Thu, 26 Nov 2026 12:00:00 +0000\r\n"
                b"MIME-Version: 1.0\r\n"
                b"Content-Type: text/plain; charset=utf-8\r\n"
                b"Content-Transfer-Encoding: 8bit\r\n")
        with smtplib.SMTP("127.0.0.1", pf.port, timeout=10) as s:
            s.ehlo("client.sender.example")
            s.sendmail("alice@sender.example", ["sysop@testbbs.example"], head + b"\r\n" + body)
        msgs = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not msgs:
            time.sleep(0.5)
            msgs = self.mail_base()
        self.assertEqual(len(msgs), 1, "nothing stored; postfix log:\n" + pf.log() + "\nserver:\n" + self.srv.output)
        m = msgs[0]
        self.assertEqual(m.get(smbdump.RECIPIENTEXT), b"1")
        self.assertEqual(m.get(smbdump.RECIPIENT), b"Sysop")
        self.assertEqual(m.get(smbdump.SUBJECT), b"relayed by postfix")
        self.assertEqual(m.get(smbdump.SENDER), b"Alice Sender")
        self.assertEqual(m.get(smbdump.SENDERNETADDR), b"alice@sender.example")
        self.assertEqual(m.get(smbdump.SMTPREVERSEPATH), b"<alice@sender.example>")
        self.assertEqual(m.get(smbdump.SENDERPROTOCOL), b"SMTPS")   # Postfix used STARTTLS
        received = [v for t, v in m.fields if t == smbdump.SMTPRECEIVED or
                    (t == smbdump.RFC822HEADER and v.lower().startswith(b"received:"))]
        self.assertGreaterEqual(len(received), 2, m.fields)
        ours = received[0]
        if ours.lower().startswith(b"received:"):
            ours = ours[len(b"received:"):].lstrip()
        shape = (rb"from <no name> \(mx\.sender\.example \[127\.0\.0\.1\]\)\r\n"
                 rb" {10}by \S+ \[127\.0\.0\.1\] \(Synchronet Mail Server [^)]+\) with ESMTPS\r\n"
                 rb" {10}for <sysop@testbbs\.example>; \w{3}, \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}\r\n"
                 rb" {10}\(envelope-from <alice@sender\.example>\)$")
        self.assertRegex(ours, shape)
        self.assertIn(b"mx.sender.example", received[1])   # Postfix's own line comes after ours
        self.assertEqual(m.body, body)
        self.assertTrue(self.srv.wait_output(
            r"SMTPS \[127\.0\.0\.1\] Session thread terminated \(\d+ threads remain, \d+ clients served\)"),
            self.srv.output)
        pf.stop()
        self.srv.stop()
        self.assertRegex(self.srv.output, r"#### Mail Server thread terminated \(0 threads remain, \d+ clients served")


if __name__ == "__main__":
    unittest.main()
