"""Shared pieces of the SMTP, POP3 and SendMail end-to-end tests."""
import os
import smtplib
import socket
import ssl
import threading
import unittest

from harness import SbbsMail, free_port
import smbdump

ALL_PORTS = "ALLOW_POP3 | USE_SUBMISSION_PORT | TLS_SUBMISSION | TLS_POP3 | NO_HOST_LOOKUP | NO_RECYCLE"
LOCAL_ONLY = ALL_PORTS + " | NO_SENDMAIL"


def unverified_context():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


class ServerCase(unittest.TestCase):
    def server(self, options=LOCAL_ONLY, mail=None, **kw):
        settings = {"Options": options}
        settings.update(mail or {})
        srv = SbbsMail(mail=settings, **kw)
        self.addCleanup(srv.install.cleanup)
        self.addCleanup(srv.stop)   # runs first: the process never outlives the test
        self.srv = srv
        return srv.start()

    def read(self, *parts):
        """A file of the running install as text ("" when missing), CR LF kept."""
        path = self.srv.install.path(*parts)
        if not os.path.exists(path):
            return ""
        with open(path, newline="") as f:
            return f.read()

    def mail_base(self):
        return smbdump.dump(self.srv.install.path("data", "mail"))

    def submit_outbound(self, body, subject, to="friend@remote.example", extra="", timeout=10):
        """The Sysop submits a message for an external address (SendMail's queue)."""
        s = self.smtp("SubmissionPort")
        s.timeout = timeout
        s.ehlo("client.example.org")
        s.user, s.password = "Sysop", "SYSOP-PASS"
        self.assertEqual(s.auth("PLAIN", s.auth_plain)[0], 235)
        s.sendmail("sysop@testbbs.example", [to],
                   message(subject, body, sender="sysop@testbbs.example", to=to, extra=extra))
        s.quit()

    def smtp(self, key="SMTPPort", source=None):
        s = smtplib.SMTP("127.0.0.1", self.srv.ports[key], timeout=10,
                         source_address=(source, 0) if source else None)
        self.addCleanup(s.close)
        return s


def message(subject, body, sender="alice@example.org", to="sysop@testbbs.example", extra=""):
    """An RFC 5322 message with CRLF line ends as bytes."""
    head = "From: Alice <%s>\r\nTo: %s\r\nSubject: %s\r\n%s" % (sender, to, subject, extra)
    data = head.encode() + b"\r\n" + body
    return data


class SmtpSink:
    """A tiny SMTP server on loopback that records what it receives and
    answers DATA with `final` (e.g. "250 OK" or "550 No such user")."""

    def __init__(self, final="250 OK", rcpt="250 OK"):
        self.port = free_port()
        self.final = final
        self.rcpt = rcpt
        self.messages = []   # (mail_from, [rcpt], data bytes)
        self.received = threading.Event()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", self.port))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.stopping = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def stop(self):
        self.stopping = True
        self.thread.join(timeout=5)
        self.sock.close()

    def _serve(self):
        while not self.stopping:
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            try:
                self._session(conn)
            except OSError:
                pass
            finally:
                conn.close()

    session_timeout = 10   # seconds a read of the sender may wait

    def answer_text(self, conn, f, mail_from, rcpts, data):
        """Replies to one received message text (subclasses hold or drop the
        reply); False ends the session."""
        conn.sendall(self.final.encode() + b"\r\n")
        if self.final.startswith("2"):
            self.messages.append((mail_from, rcpts, data))
            self.received.set()
        return True

    def _session(self, conn):
        conn.settimeout(self.session_timeout)
        f = conn.makefile("rb")
        conn.sendall(b"220 sink.example ESMTP\r\n")
        mail_from, rcpts = None, []
        for _ in range(1000):
            line = f.readline()
            if not line:
                return
            cmd = line.strip().upper()
            if cmd.startswith(b"EHLO") or cmd.startswith(b"HELO"):
                conn.sendall(b"250-sink.example\r\n250 8BITMIME\r\n")
            elif cmd.startswith(b"MAIL FROM:"):
                mail_from, rcpts = line.strip()[10:], []
                conn.sendall(b"250 OK\r\n")
            elif cmd.startswith(b"RCPT TO:"):
                rcpts.append(line.strip()[8:])
                conn.sendall(self.rcpt.encode() + b"\r\n")
            elif cmd == b"DATA":
                conn.sendall(b"354 go ahead\r\n")
                data = b""
                while True:
                    l = f.readline()
                    if not l or l == b".\r\n":
                        break
                    data += l[1:] if l.startswith(b".") else l
                if not self.answer_text(conn, f, mail_from, rcpts, data):
                    return
            elif cmd == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                return
            elif cmd == b"RSET" or cmd == b"NOOP":
                conn.sendall(b"250 OK\r\n")
            else:
                conn.sendall(b"502 unknown\r\n")
