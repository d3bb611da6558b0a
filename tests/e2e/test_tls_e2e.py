"""End-to-end TLS (issue #13 item 7): testssl.sh grades every TLS port,
SIGHUP reloads the certificate without dropping sessions, and client
certificates or any server name never crash or hang a session."""
import os
import poplib
import signal
import smtplib
import time
import unittest

from e2e_common import LOCAL_ONLY, ServerCase, message, unverified_context
from harness import READY_LINE, Install, read_line, sanitized_binary
import tls_tools
from tls_tools import OPENSSL, TESTSSL

ASAN = sanitized_binary()

# (name, port key, --starttls protocol or None, testssl.sh check groups).
# Every listener serves one SSL_CTX, so what depends on the certificate and
# the context alone (-S server defaults and certificate, -P cipher order,
# -f forward secrecy) is graded once, on 465. Each port gets the checks a
# different way into the handshake could change: -p protocols, -s cipher
# categories, -U vulnerabilities (renegotiation, compression/CRIME, Heartbleed,
# CCS, POODLE, fallback, SWEET32, FREAK, DROWN, LOGJAM, BEAST, LUCKY13, RC4).
# Left out everywhere: -c client simulation and -E per-protocol cipher lists
# (informational, minutes long), -h HTTP headers (not a web server).
FULL = ("-p", "-s", "-f", "-U", "-S", "-P")
PER_PORT = ("-p", "-s", "-U")
SCANS = (("465", "TLSSubmissionPort", None, FULL),
         ("995", "TLSPOP3Port", None, PER_PORT),
         ("25", "SMTPPort", "smtp", PER_PORT),
         ("587", "SubmissionPort", "smtp", PER_PORT),
         ("110", "POP3Port", "pop3", PER_PORT))
SCAN_TIMEOUT = 900 if ASAN else 400


class TlsCase(ServerCase):
    def tls_server(self, install=None, **mail):
        return self.server(options=LOCAL_ONLY, mail=mail, install=install)

    def assert_serves(self, srv, key="SMTPPort"):
        """The server still greets a new client and talks (it did not crash or wedge)."""
        s = smtplib.SMTP("127.0.0.1", srv.ports[key], timeout=10)
        self.addCleanup(s.close)
        self.assertEqual(s.ehlo("after.example")[0], 250)
        self.assertEqual(s.quit()[0], 221)
        self.assertIsNone(srv.proc.poll(), srv.output)


@unittest.skipUnless(TESTSSL, "testssl.sh not installed (apt-get install testssl.sh)")
class Graded(TlsCase):
    def test_testssl_finds_nothing_high_or_critical(self):
        """ISSUE13-7 SMTP-12 SMTP-86 POP3-15 POP3-26: testssl.sh on 465, 995 and STARTTLS 25/587/110: no HIGH or CRITICAL finding"""
        srv = self.tls_server()
        work = srv.install.path("testssl")
        os.makedirs(work)
        runs = []
        for name, key, starttls, groups in SCANS:
            json_file = os.path.join(work, name + ".json")
            proc = tls_tools.start_testssl(json_file, "127.0.0.1:%d" % srv.ports[key], groups, starttls)
            runs.append((name, json_file, proc))
        problems = []
        for name, json_file, proc in runs:
            out = tls_tools.finish_testssl(proc, SCAN_TIMEOUT)
            if not os.path.exists(json_file):
                problems.append("%s: no JSON written:\n%s" % (name, out[-2000:]))
                continue
            grave, ids = tls_tools.grave_findings(json_file)
            problems += ["%s: %s" % (name, g) for g in grave]
            # A scan that never reached TLS would report nothing grave either.
            for must in ("TLS1_2", "secure_renego", "CRIME_TLS", "heartbleed"):
                if must not in ids:
                    problems.append("%s: no %s result (scan incomplete)" % (name, must))
        self.assertEqual(problems, [], "\n".join(problems))
        self.assertIsNone(srv.proc.poll(), "the server died under the scans")
        self.assert_serves(srv)


@unittest.skipUnless(OPENSSL, "openssl not installed")
class CertificateReload(TlsCase):
    def setUp(self):
        install = Install()
        self.cert, self.key = tls_tools.make_cert(install.ctrl, "test-tls", "old.example")
        self.srv = self.tls_server(install, TLSCertFile="test-tls.pem", TLSKeyFile="test-tls.key")

    def replace_pair(self, cn):
        """Writes a new pair beside the served one and moves it in place."""
        cert, key = tls_tools.make_cert(self.srv.install.path("ctrl"), "next", cn)
        os.replace(key, self.key)
        os.replace(cert, self.cert)

    def reload(self):
        """SIGHUP, then wait until the reload has finished (the ready line again)."""
        before = self.srv.output.count(READY_LINE)
        self.srv.signal(signal.SIGHUP)
        deadline = time.monotonic() + 20
        while self.srv.output.count(READY_LINE) == before:
            self.assertLess(time.monotonic(), deadline, "no reload:\n" + self.srv.output)
            time.sleep(0.05)

    def new_fingerprint(self, key="TLSSubmissionPort"):
        with self.srv.connect_tls(key) as s:
            self.assertTrue(read_line(s).startswith(("220", "+OK")))
            return tls_tools.peer_fingerprint(s)

    def test_sighup_serves_the_new_pair_and_open_sessions_finish(self):
        """ISSUE13-7 SMTP-85 CFG-170: SIGHUP re-reads TLSCertFile/TLSKeyFile; sessions open over TLS complete their transaction"""
        old_print = tls_tools.file_fingerprint(self.cert)
        self.assertEqual(self.new_fingerprint(), old_print)
        smtp = smtplib.SMTP("127.0.0.1", self.srv.ports["SMTPPort"], timeout=10)
        self.addCleanup(smtp.close)
        smtp.ehlo("old.example")
        self.assertEqual(smtp.starttls(context=unverified_context())[0], 220)
        smtp.ehlo("old.example")
        self.assertEqual(smtp.mail("alice@example.org")[0], 250)
        pop = poplib.POP3_SSL("127.0.0.1", self.srv.ports["TLSPOP3Port"], timeout=10, context=unverified_context())
        self.addCleanup(pop.close)
        pop.user("Sysop")
        pop.pass_("SYSOP-PASS")

        self.replace_pair("new.example")
        new_print = tls_tools.file_fingerprint(self.cert)
        self.assertNotEqual(new_print, old_print)
        self.reload()

        self.assertEqual(smtp.rcpt("sysop@testbbs.example")[0], 250)
        self.assertEqual(smtp.data(message("across a reload", b"still here\r\n"))[0], 250)
        self.assertEqual(tls_tools.peer_fingerprint(smtp.sock), old_print)
        self.assertEqual(smtp.quit()[0], 221)
        self.assertTrue(pop.stat()[0] >= 0)
        self.assertTrue(pop.quit().startswith(b"+OK"))
        for key in ("TLSSubmissionPort", "TLSPOP3Port"):
            self.assertEqual(self.new_fingerprint(key), new_print, key)
        fresh = smtplib.SMTP("127.0.0.1", self.srv.ports["SubmissionPort"], timeout=10)
        self.addCleanup(fresh.close)
        fresh.ehlo("new.example")
        self.assertEqual(fresh.starttls(context=unverified_context())[0], 220)
        self.assertEqual(tls_tools.peer_fingerprint(fresh.sock), new_print)

    def test_a_broken_pair_keeps_the_running_one_and_names_the_file(self):
        """ISSUE13-7 CFG-170: a certificate that does not load on SIGHUP leaves the old one serving on every TLS port"""
        old_print = tls_tools.file_fingerprint(self.cert)
        with open(self.cert) as f:
            good_cert = f.read()
        with open(self.cert, "w") as f:
            f.write("-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n")
        self.reload()
        self.assertRegex(self.srv.output, r"!TLS: keeping the certificate in use.*%s" % self.cert)
        for key in ("TLSSubmissionPort", "TLSPOP3Port"):
            self.assertEqual(self.new_fingerprint(key), old_print, key)
        smtp = smtplib.SMTP("127.0.0.1", self.srv.ports["SMTPPort"], timeout=10)
        self.addCleanup(smtp.close)
        smtp.ehlo("x.example")
        self.assertEqual(smtp.starttls(context=unverified_context())[0], 220)
        self.assertEqual(tls_tools.peer_fingerprint(smtp.sock), old_print)

        # A key that does not match the restored certificate: the key file is named.
        with open(self.cert, "w") as f:
            f.write(good_cert)
        _, other_key = tls_tools.make_cert(self.srv.install.path("ctrl"), "other", "other.example")
        os.replace(other_key, self.key)
        self.reload()
        self.assertRegex(self.srv.output, r"!TLS: keeping the certificate in use.*%s" % self.key)
        self.assertEqual(self.new_fingerprint(), old_print)


@unittest.skipUnless(OPENSSL, "openssl not installed")
class ClientCertificatesAndNames(TlsCase):
    def setUp(self):
        self.srv = self.tls_server()
        self.client_cert, self.client_key = tls_tools.make_cert(self.srv.install.root, "client", "client.example")

    def client_context(self):
        ctx = unverified_context()
        ctx.load_cert_chain(self.client_cert, self.client_key)
        return ctx

    def test_a_client_certificate_is_ignored_not_fatal(self):
        """ISSUE13-7 SMTP-88 POP3-26: a client presenting a certificate on 465, 995 and after STARTTLS/STLS completes its session"""
        ctx = self.client_context()
        smtps = smtplib.SMTP_SSL("127.0.0.1", self.srv.ports["TLSSubmissionPort"], timeout=10, context=ctx)
        self.addCleanup(smtps.close)
        self.assertEqual(smtps.ehlo("cert.example")[0], 250)
        self.assertEqual(smtps.quit()[0], 221)
        smtp = smtplib.SMTP("127.0.0.1", self.srv.ports["SMTPPort"], timeout=10)
        self.addCleanup(smtp.close)
        smtp.ehlo("cert.example")
        self.assertEqual(smtp.starttls(context=ctx)[0], 220)
        self.assertEqual(smtp.ehlo("cert.example")[0], 250)
        self.assertEqual(smtp.quit()[0], 221)
        pop = poplib.POP3_SSL("127.0.0.1", self.srv.ports["TLSPOP3Port"], timeout=10, context=ctx)
        self.addCleanup(pop.close)
        self.assertTrue(pop.quit().startswith(b"+OK"))
        pop = poplib.POP3("127.0.0.1", self.srv.ports["POP3Port"], timeout=10)
        self.addCleanup(pop.close)
        pop.stls(context=ctx)
        self.assertTrue(pop.quit().startswith(b"+OK"))
        # openssl s_client sends its certificate whenever the server asks; it
        # must not matter either way.
        for key, starttls in (("TLSSubmissionPort", None), ("SMTPPort", "smtp"), ("POP3Port", "pop3")):
            args = [OPENSSL, "s_client", "-connect", "127.0.0.1:%d" % self.srv.ports[key], "-cert", self.client_cert,
                    "-key", self.client_key, "-crlf", "-ign_eof"]
            args += ["-starttls", starttls] if starttls else []
            r = tls_tools.subprocess.run(args, input=b"QUIT\n", stdout=tls_tools.subprocess.PIPE,
                                         stderr=tls_tools.subprocess.STDOUT, timeout=20)
            self.assertRegex(r.stdout.decode("utf-8", "replace"), r"(221 |\+OK)", key)
        self.assert_serves(self.srv)

    def test_any_server_name_handshakes_or_is_refused_cleanly(self):
        """ISSUE13-7 SMTP-23 POP3-15: SNI with known, unknown and 255-byte names works on 465 and 995"""
        long_name = ".".join(["a" * 63] * 3) + "." + "b" * 61          # 253: the longest DNS name
        names = ("mail.testbbs.example", "no-such-host.invalid", "localhost", long_name)
        for key in ("TLSSubmissionPort", "TLSPOP3Port"):
            for name in names:
                with self.srv.connect(key) as raw:
                    tls = unverified_context().wrap_socket(raw, server_hostname=name)
                    self.assertTrue(read_line(tls).startswith(("220", "+OK")), (key, name))
                    tls.close()
        # Names no TLS library lets through its API, through openssl s_client.
        for name in ("x" * 255, "bad name\twith blanks", "ünïcødé.example", "127.0.0.1"):
            r = tls_tools.subprocess.run([OPENSSL, "s_client", "-connect",
                                          "127.0.0.1:%d" % self.srv.ports["TLSSubmissionPort"],
                                          "-servername", name, "-crlf", "-ign_eof"],
                                         input=b"QUIT\n", stdout=tls_tools.subprocess.PIPE,
                                         stderr=tls_tools.subprocess.STDOUT, timeout=20)
            self.assertIn("221 ", r.stdout.decode("utf-8", "replace"), name)
        self.assert_serves(self.srv)

    def test_hostile_server_name_extensions_never_crash_or_hang(self):
        """ISSUE13-7 SMTP-23 POP3-15: a raw ClientHello with an empty, 256-byte, 16000-byte or NUL-bearing name gets an answer and the server lives"""
        for key in ("TLSSubmissionPort", "TLSPOP3Port"):
            for name in (b"", b"y" * 256, b"z" * 16000, b"evil\x00.example", b"\xff" * 64):
                with self.srv.connect(key) as s:
                    s.sendall(tls_tools.client_hello(name))
                    s.settimeout(10)
                    try:
                        reply = s.recv(5)
                    except ConnectionResetError:
                        reply = b""
                    # A handshake record (ServerHello), an alert, or a close: never silence.
                    self.assertTrue(reply == b"" or reply[:1] in (b"\x15", b"\x16"), (key, name[:20], reply))
        self.assert_serves(self.srv)
        with self.srv.connect_tls("TLSPOP3Port") as s:
            self.assertTrue(read_line(s).startswith("+OK"))


if __name__ == "__main__":
    unittest.main()
