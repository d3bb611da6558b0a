"""REQUIRETLS (RFC 8689) end to end through the real binary: EHLO offers it
only inside TLS and MAIL takes it only there; SendMail sends such a message
to its MX host (a TLS sink on 127.x.y.z:25 named by a dnsmasq of the test's
own) only when the host's certificate verifies for its MX name against a CA
the test made (given to the server as SSL_CERT_FILE) and the host offers
REQUIRETLS; otherwise the sender finds a notice with the header only in the
mailbox. Needs root (port 25 and 53 on loopback addresses)."""
import os
import random
import shutil
import smtplib
import socket
import ssl
import subprocess
import tempfile
import threading
import unittest

from dns_namespace import Dnsmasq
from e2e_common import ALL_PORTS, ServerCase, message, unverified_context
from test_sendmail_e2e import wait_for
import smbdump

DSN_ENVELOPE = 0xD4
OPENSSL = shutil.which("openssl")
TO = "friend@far.example"


def make_pki(directory):
    """A test CA, a certificate it issued for mx1.far.example, and a
    self-signed one for the same name; EC keys (quick to make)."""
    def run(*args):
        subprocess.run([OPENSSL] + list(args), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=30)
    p = lambda name: os.path.join(directory, name)
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    run("req", "-x509", *ec, "-subj", "/CN=Test-CA", "-days", "1", "-keyout", p("ca.key"), "-out", p("ca.pem"))
    run("req", "-new", *ec, "-subj", "/CN=mx1.far.example", "-keyout", p("mx.key"), "-out", p("mx.csr"))
    with open(p("san.ext"), "w") as f:
        f.write("subjectAltName=DNS:mx1.far.example\n")
    run("x509", "-req", "-in", p("mx.csr"), "-CA", p("ca.pem"), "-CAkey", p("ca.key"), "-CAcreateserial",
        "-days", "1", "-extfile", p("san.ext"), "-out", p("mx.pem"))
    run("req", "-x509", *ec, "-subj", "/CN=mx1.far.example", "-addext", "subjectAltName=DNS:mx1.far.example",
        "-days", "1", "-keyout", p("self.key"), "-out", p("self.pem"))


class TlsSink:
    """An MX host on port 25 of a random 127.x.y.z: STARTTLS with `cert`,
    REQUIRETLS offered inside TLS when `requiretls`; records each MAIL line
    with whether it came over TLS, and the messages."""

    def __init__(self, cert, key, requiretls=True):
        self.cert, self.key, self.requiretls = cert, key, requiretls
        self.mail_lines = []            # (tls, line)
        self.received = threading.Event()
        self.sock, self.addr = None, None
        for _ in range(50):
            addr = "127.%d.%d.%d" % (random.randint(1, 254), random.randint(1, 254), random.randint(2, 254))
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind((addr, 25))
                self.sock, self.addr = s, addr
                break
            except OSError:
                s.close()
        if self.sock is None:
            raise OSError("no loopback address with a free port 25")
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
            except (OSError, ssl.SSLError):
                pass
            finally:
                conn.close()

    def _session(self, conn):
        conn.settimeout(10)
        tls, f = False, conn.makefile("rb")
        conn.sendall(b"220 mx1.far.example ESMTP\r\n")
        for _ in range(100):
            line = f.readline()
            if not line:
                return
            verb = line.strip().split(b" ")[0].upper()
            if verb == b"EHLO":
                offer = b"250-STARTTLS\r\n" if not tls else (b"250-REQUIRETLS\r\n" if self.requiretls else b"")
                conn.sendall(b"250-mx1.far.example\r\n" + offer + b"250 8BITMIME\r\n")
            elif verb == b"STARTTLS":
                conn.sendall(b"220 go ahead\r\n")
                ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                ctx.load_cert_chain(self.cert, self.key)
                conn = ctx.wrap_socket(conn, server_side=True)
                tls, f = True, conn.makefile("rb")
            elif verb == b"MAIL":
                self.mail_lines.append((tls, line.strip()))
                conn.sendall(b"250 OK\r\n")
            elif verb == b"DATA":
                conn.sendall(b"354 go ahead\r\n")
                while f.readline() not in (b".\r\n", b""):
                    pass
                conn.sendall(b"250 OK\r\n")
                self.received.set()
            elif verb == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                return
            else:
                conn.sendall(b"250 OK\r\n")


class RequireTlsReceive(ServerCase):
    def test_offered_and_taken_only_inside_tls(self):
        """RFC8689-2 RFC8689-4.1: no REQUIRETLS before STARTTLS (MAIL with it: 530 5.7.10); after STARTTLS and on 465 EHLO offers it, and the stored copy is marked"""
        self.server()
        s = self.smtp()
        s.ehlo("client.example.org")
        self.assertFalse(s.has_extn("requiretls"))
        code, text = s.mail("alice@example.org", ["REQUIRETLS"])
        self.assertEqual((code, text[:5]), (530, b"5.7.1"), text)
        self.assertIn(b"5.7.10", text)
        s.rset()
        s.starttls(context=unverified_context())
        s.ehlo("client.example.org")
        self.assertTrue(s.has_extn("requiretls"))
        s.sendmail("alice@example.org", ["sysop@testbbs.example"], message("locked", b"Secret.\r\n"),
                   mail_options=["REQUIRETLS"])
        s.quit()
        stored = [m for m in self.mail_base() if m.get(smbdump.SUBJECT) == b"locked"]
        self.assertEqual(len(stored), 1)
        self.assertEqual(stored[0].get(DSN_ENVELOPE), b"REQUIRETLS")

        implicit = smtplib.SMTP_SSL("127.0.0.1", self.srv.ports["TLSSubmissionPort"], timeout=10,
                                    context=unverified_context())
        self.addCleanup(implicit.close)
        implicit.ehlo("client.example.org")
        self.assertTrue(implicit.has_extn("requiretls"))


class RequireTlsSend(ServerCase):
    def setUp(self):
        if os.geteuid() != 0 or not OPENSSL:
            self.skipTest("needs root (ports 25 and 53 on loopback) and the openssl command")
        self.pki = tempfile.mkdtemp(prefix="sbbs-requiretls-")
        self.addCleanup(shutil.rmtree, self.pki, True)
        make_pki(self.pki)

    def start(self, cert, requiretls=True):
        sink = TlsSink(os.path.join(self.pki, cert + ".pem"), os.path.join(self.pki, cert + ".key"), requiretls)
        self.addCleanup(sink.stop)
        dns = Dnsmasq(["mx-host=far.example,mx1.far.example,10", "host-record=mx1.far.example,%s" % sink.addr],
                      local_domains=("far.example",))
        self.addCleanup(dns.stop)
        env = {"SBBSMAIL_TEST_ALLOW_LOOPBACK_MX": "1", "SSL_CERT_FILE": os.path.join(self.pki, "ca.pem")}
        self.server(options=ALL_PORTS, mail={"DNSServer": dns.addr}, env=env)
        return sink

    def submit(self, subject, extra=""):
        """The Sysop sends over STARTTLS on the submission port with MAIL ... REQUIRETLS."""
        s = self.smtp("SubmissionPort")
        s.ehlo("client.example.org")
        s.starttls(context=unverified_context())
        s.ehlo("client.example.org")
        s.user, s.password = "Sysop", "SYSOP-PASS"
        self.assertEqual(s.auth("PLAIN", s.auth_plain)[0], 235)
        s.sendmail("sysop@testbbs.example", [TO],
                   message(subject, b"Secret body.\r\n", sender="sysop@testbbs.example", to=TO, extra=extra),
                   mail_options=["REQUIRETLS"])
        s.quit()

    def notice(self, subject):
        def found():
            return [m for m in self.mail_base() if m.get(smbdump.RECIPIENTEXT) == b"1"
                    and (m.get(smbdump.SUBJECT) or b"").startswith(b"Delivery failure: " + subject)]
        got = wait_for(found, 40)
        self.assertTrue(got, self.srv.output[-3000:])
        return got[0]

    def assert_returned(self, sink, subject, status):
        n = self.notice(subject)
        reason = n.body                                       # the multipart/report's text/plain "Reason:"
        self.assertIn(status, reason)
        self.assertIn(b"REQUIRETLS", reason)
        self.assertIn(b"Content-Type: text/rfc822-headers", n.body)   # as RET=HDRS
        self.assertIn(b"Subject: " + subject, n.body)        # the header comes back ...
        self.assertNotIn(b"Secret body", n.body)             # ... the body does not (RFC 8689 5)
        self.assertEqual(n.get(DSN_ENVELOPE), b"REQUIRETLS")  # the notice is itself REQUIRETLS mail
        self.assertEqual(sink.mail_lines, [])                # no MAIL reached the MX host

    def test_verified_mx_offering_requiretls_gets_it_on_mail_from(self):
        """RFC8689-4.2.1: a certificate the trusted CA issued for the MX name, REQUIRETLS offered: delivered over TLS with MAIL FROM ... REQUIRETLS"""
        sink = self.start("mx")
        self.submit("locked")
        self.assertTrue(sink.received.wait(40), self.srv.output[-3000:])
        self.assertEqual(len(sink.mail_lines), 1)
        tls, line = sink.mail_lines[0]
        self.assertTrue(tls)
        self.assertTrue(line.endswith(b" REQUIRETLS"), line)

    def test_self_signed_mx_means_a_5_7_10_notice(self):
        """RFC8689-4.2.1 RFC8689-5: a self-signed MX certificate: nothing sent, the sender gets the header back with 5.7.10 in a REQUIRETLS notice"""
        sink = self.start("self")
        self.submit("self-signed")
        self.assert_returned(sink, b"self-signed", b"5.7.10")

    def test_mx_without_requiretls_means_a_5_7_30_notice(self):
        """RFC8689-4.2.1 RFC8689-5: a verified MX that does not offer REQUIRETLS: no MAIL, the sender gets 5.7.30"""
        sink = self.start("mx", requiretls=False)
        self.submit("unsupported")
        self.assert_returned(sink, b"unsupported", b"5.7.30")

    def test_tls_required_no_is_ignored_under_requiretls(self):
        """RFC8689-4.1: MAIL ... REQUIRETLS with a TLS-Required: No field still needs a verified MX: returned"""
        sink = self.start("self")
        self.submit("waived", extra="TLS-Required: No\r\n")
        self.assert_returned(sink, b"waived", b"5.7.10")


if __name__ == "__main__":
    unittest.main()
