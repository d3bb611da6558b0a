"""SEC-6 end to end: the RelayServer password never goes out in clear unless
[Mail] RelayAuthWithoutTLS is set, and the relay's certificate is verified
unless [Mail] RelayTLSVerify is off; the test relay records every line."""
import os
import ssl
import subprocess
import tempfile
import threading
import unittest

from e2e_common import ServerCase, SmtpSink
from test_sendmail_e2e import RELAY_OPTIONS
import smbdump


class RecordingRelay(SmtpSink):
    """Offers AUTH PLAIN (and STARTTLS with `cert`), accepts everything and
    records each line it receives with whether it came over TLS."""

    def __init__(self, cert=None):
        self.cert = cert
        self.lines = []                     # (tls, line)
        self.done = threading.Event()
        super().__init__()

    def _session(self, conn):
        conn.settimeout(10)
        tls = False
        f = conn.makefile("rb")
        conn.sendall(b"220 relay.example ESMTP\r\n")
        for _ in range(50):
            line = f.readline()
            if not line:
                break
            cmd = line.strip()
            self.lines.append((tls, cmd))
            verb = cmd.split(b" ")[0].upper()
            if verb == b"EHLO":
                offer = b"250-STARTTLS\r\n" if self.cert and not tls else b""
                conn.sendall(b"250-relay.example\r\n" + offer + b"250 AUTH PLAIN\r\n")
            elif verb == b"STARTTLS" and self.cert:
                conn.sendall(b"220 go ahead\r\n")
                ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                ctx.load_cert_chain(*self.cert)
                try:
                    conn = ctx.wrap_socket(conn, server_side=True)
                except (ssl.SSLError, OSError):
                    break
                tls, f = True, conn.makefile("rb")
            elif verb == b"AUTH":
                conn.sendall(b"235 ok\r\n")
            elif verb == b"DATA":
                conn.sendall(b"354 go ahead\r\n")
                while f.readline() not in (b".\r\n", b""):
                    pass
                conn.sendall(b"250 OK\r\n")
                self.received.set()
            elif verb == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                break
            else:
                conn.sendall(b"250 OK\r\n")
        self.done.set()

    def auth_lines(self):
        return [(tls, l) for tls, l in self.lines if l.upper().startswith(b"AUTH")]


class RelayCredentials(ServerCase):
    def relay_server(self, relay, **mail):
        self.addCleanup(relay.stop)
        settings = {"RelayPort": str(relay.port), "RelayUsername": "relayuser", "RelayPassword": "s3cret"}
        settings.update(mail)
        return self.server(options=RELAY_OPTIONS + " | RELAY_AUTH_PLAIN", mail=settings)

    def submit(self):
        self.submit_outbound(b"Hi.\r\n", "relayed")

    def self_signed(self):
        d = tempfile.mkdtemp(prefix="sbbs-relay-cert-")
        self.addCleanup(subprocess.run, ["rm", "-rf", d])
        cert, key = os.path.join(d, "c.pem"), os.path.join(d, "k.pem")
        r = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                            "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1", "-keyout", key, "-out", cert],
                           capture_output=True)
        if r.returncode != 0:
            self.skipTest("openssl cannot make a certificate")
        return cert, key

    def assert_retried_without_auth(self, relay):
        self.assertTrue(self.srv.wait_output(r"!Delivery attempt #1 FAILED", 20), self.srv.output[-2000:])
        self.assertEqual(relay.auth_lines(), [])
        self.assertIn("RelayAuthWithoutTLS", self.srv.output)
        msgs = [m for m in self.mail_base() if m.get(smbdump.SUBJECT) == b"relayed"]
        self.assertEqual(len(msgs), 1)
        self.assertEqual(msgs[0].delivery_attempts, 1)
        self.assertFalse(msgs[0].attr & smbdump.ATTR_DELETE)

    def test_no_auth_in_clear_by_default(self):
        """SEC-6 SEND-54: a relay without STARTTLS never sees an AUTH line; the message waits for a retry and the log says why"""
        relay = RecordingRelay()
        self.relay_server(relay)
        self.submit()
        self.assert_retried_without_auth(relay)

    def test_auth_in_clear_when_the_sysop_opts_in(self):
        """SEC-6: with [Mail] RelayAuthWithoutTLS = true the relay gets AUTH in plain text and the mail"""
        relay = RecordingRelay()
        self.relay_server(relay, RelayAuthWithoutTLS="true")
        self.submit()
        self.assertTrue(relay.received.wait(20), self.srv.output[-2000:])
        self.assertEqual([tls for tls, _ in relay.auth_lines()], [False])

    def test_self_signed_relay_refused_by_default(self):
        """SEC-6: a relay whose certificate does not verify gets no TLS session and no AUTH line"""
        relay = RecordingRelay(cert=self.self_signed())
        self.relay_server(relay)
        self.submit()
        self.assert_retried_without_auth(relay)
        self.assertIn("certificate not accepted", self.srv.output)

    def test_self_signed_relay_accepted_when_verification_is_off(self):
        """SEC-6: with [Mail] RelayTLSVerify = false a self-signed relay is used and AUTH goes over TLS"""
        relay = RecordingRelay(cert=self.self_signed())
        self.relay_server(relay, RelayTLSVerify="false")
        self.submit()
        self.assertTrue(relay.received.wait(20), self.srv.output[-2000:])
        self.assertEqual([tls for tls, _ in relay.auth_lines()], [True])


if __name__ == "__main__":
    unittest.main()
