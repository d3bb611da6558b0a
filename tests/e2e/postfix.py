"""A real Postfix on 127.0.0.1 and a free port for the SendMail end-to-end
tests, configured in a temp directory of its own (config, queue and data
directories), delivering every recipient of its domains to one Maildir
there; optionally requiring SASL AUTH (PLAIN, LOGIN) through a Dovecot auth
service run from the same directory. `stop()` always stops both; use it
with addCleanup. Needs root, postfix and (for SASL) dovecot-core, otherwise
`why_not` says why and the test skips."""
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time

from harness import free_port

MASTER_SERVICES = """cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
flush unix n - n 1000? 0 flush
proxymap unix - - n - - proxymap
smtp unix - - n - - smtp
relay unix - - n - - smtp
showq unix n - n - - showq
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
local unix - n n - - local
virtual unix - n n - - virtual
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
"""


def _binary(name):
    for d in ("/usr/sbin", "/usr/bin", "/sbin", "/bin"):
        p = os.path.join(d, name)
        if os.access(p, os.X_OK):
            return p
    return None


def _listening(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


class Postfix:
    def __init__(self, domains=("dest.test",), sasl_user=None, sasl_password=None, smtputf8=False,
                 extra_main=()):
        self.domains = list(domains)
        self.smtputf8 = smtputf8     # offer SMTPUTF8 (RFC 6531) to us, or not
        self.extra_main = list(extra_main)   # more main.cf lines
        self.sasl = (sasl_user, sasl_password) if sasl_user else None
        self.why_not = None
        self.dir = None
        self.port = None
        self._started = False
        self._dovecot = None

    def start(self):
        postfix = _binary("postfix")
        if not postfix:
            self.why_not = "postfix not installed (apt-get install postfix)"
            return False
        if os.geteuid() != 0:
            self.why_not = "Postfix needs root to start"
            return False
        pf, nobody = pwd.getpwnam("postfix"), pwd.getpwnam("nobody")
        self.dir = tempfile.mkdtemp(prefix="sbbs-postfix-")
        os.chmod(self.dir, 0o711)
        for d in ("conf", "queue", "data", "mail"):
            os.mkdir(self.path(d))
        os.chown(self.path("data"), pf.pw_uid, pf.pw_gid)
        os.chown(self.path("mail"), nobody.pw_uid, nobody.pw_gid)
        self.port = free_port()
        if self.sasl and not self._start_dovecot(pf):
            return False
        self._write_config(nobody)
        rc = subprocess.run([postfix, "-c", self.path("conf"), "start"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60).returncode
        if rc != 0:
            self.why_not = "postfix start failed: " + self.log()
            return False
        self._started = True
        deadline = time.monotonic() + 10
        while not _listening(self.port):
            if time.monotonic() > deadline:
                self.why_not = "postfix did not listen: " + self.log()
                return False
            time.sleep(0.05)
        return True

    def stop(self):
        if self._started:
            subprocess.run([_binary("postfix"), "-c", self.path("conf"), "stop"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
            self._started = False
        if self._dovecot and self._dovecot.poll() is None:
            self._dovecot.send_signal(signal.SIGTERM)
            try:
                self._dovecot.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._dovecot.kill()
                self._dovecot.wait(timeout=5)
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def log(self):
        try:
            with open(self.path("maillog"), errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def messages(self, n=1, timeout=20):
        """The delivered messages (bytes), waiting until `n` have arrived."""
        deadline = time.monotonic() + timeout
        while True:
            files = sorted(glob.glob(self.path("mail", "box", "new", "*")))
            if len(files) >= n or time.monotonic() > deadline:
                out = []
                for name in files:
                    with open(name, "rb") as f:
                        out.append(f.read())
                return out
            time.sleep(0.1)

    def _auth_socket(self):
        return self.path("queue", "private", "auth")

    def _start_dovecot(self, pf):
        dovecot = _binary("dovecot")
        if not dovecot:
            self.why_not = "dovecot not installed (apt-get install dovecot-core)"
            return False
        d = self.path("dovecot")
        os.mkdir(d)
        os.makedirs(self.path("queue", "private"))
        os.chown(self.path("queue", "private"), pf.pw_uid, pf.pw_gid)
        os.chmod(self.path("queue", "private"), 0o700)
        with open(os.path.join(d, "users"), "w") as f:
            f.write("%s:{PLAIN}%s\n" % self.sasl)
        with open(os.path.join(d, "dovecot.conf"), "w") as f:
            f.write("base_dir = %s/run\nstate_dir = %s/state\nprotocols =\nlog_path = %s/dovecot.log\n"
                    "ssl = no\nauth_mechanisms = plain login\nauth_failure_delay = 0\n"
                    "passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%%u %s/users\n}\n"
                    "userdb {\n  driver = static\n  args = uid=65534 gid=65534 home=%s/home\n}\n"
                    "service auth {\n  unix_listener %s {\n    mode = 0666\n  }\n}\n"
                    % (d, d, d, d, d, self._auth_socket()))
        self._dovecot = subprocess.Popen([dovecot, "-F", "-c", os.path.join(d, "dovecot.conf")],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not os.path.exists(self._auth_socket()):
            if time.monotonic() > deadline or self._dovecot.poll() is not None:
                self.why_not = "dovecot auth did not start"
                return False
            time.sleep(0.05)
        return True

    def _write_config(self, nobody):
        main = [
            "compatibility_level = 3.6",
            "queue_directory = " + self.path("queue"),
            "data_directory = " + self.path("data"),
            "mail_owner = postfix", "setgid_group = postdrop",
            "inet_interfaces = 127.0.0.1", "inet_protocols = ipv4",
            "myhostname = mx.postfix.test", "mydomain = postfix.test",
            "mydestination =", "relay_domains =", "alias_maps =", "alias_database =", "local_recipient_maps =",
            "virtual_mailbox_domains = " + ", ".join(self.domains),
            "virtual_mailbox_base = " + self.path("mail"),
            "virtual_mailbox_maps = static:box/",
            "virtual_uid_maps = static:%d" % nobody.pw_uid, "virtual_gid_maps = static:%d" % nobody.pw_gid,
            "virtual_minimum_uid = 1",
            "maillog_file_prefixes = /tmp", "maillog_file = " + self.path("maillog"),
            # Keep the message as sent: no header rewriting for loopback clients.
            "local_header_rewrite_clients =", "smtputf8_enable = " + ("yes" if self.smtputf8 else "no"), "biff = no",
        ]
        if self.sasl:
            main += ["mynetworks = 192.0.2.0/24", "smtpd_sasl_auth_enable = yes", "smtpd_sasl_type = dovecot",
                     "smtpd_sasl_path = " + self._auth_socket(),
                     "smtpd_relay_restrictions = permit_sasl_authenticated, reject"]
        else:
            main += ["mynetworks = 127.0.0.0/8", "smtpd_relay_restrictions = reject_unauth_destination"]
        main += self.extra_main
        with open(self.path("conf", "main.cf"), "w") as f:
            f.write("\n".join(main) + "\n")
        with open(self.path("conf", "master.cf"), "w") as f:
            f.write("127.0.0.1:%d inet n - n - - smtpd\n" % self.port + MASTER_SERVICES)


def strip_receiver_lines(data):
    """A delivered file minus what Postfix put in front (Return-Path,
    X-Original-To, Delivered-To, Received with its continuation lines);
    returns (rest, delivered_to)."""
    delivered_to = None
    lines = data.split(b"\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith(b"Delivered-To: "):
            delivered_to = line[14:].decode()
        if not (line.startswith((b"Return-Path:", b"X-Original-To:", b"Delivered-To:", b"Received:"))
                or line.startswith((b" ", b"\t"))):
            break
        i += 1
    return b"\n".join(lines[i:]), delivered_to
