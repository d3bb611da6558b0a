"""End-to-end SMTP: real clients (smtplib, swaks, msmtp) against the real
binary, with the stored result read back through --dump-base."""
import base64
import os
import shutil
import smtplib
import socket
import subprocess
import tempfile
import unittest

from e2e_common import ALL_PORTS, LOCAL_ONLY, ServerCase, message, unverified_context
from harness import is_closed, read_line
import smbdump


class SmtpReceive(ServerCase):
    def test_transfer_port_stores_mail_for_local_user(self):
        """SMTP-153 SMTP-195 SMTP-203 SMTP-212: port-25 mail to a local user is stored with its envelope fields"""
        self.server()
        body = b"Hello Sysop,\r\nthis came over SMTP.\r\n"
        s = self.smtp()
        s.ehlo("client.example.org")
        s.sendmail("alice@example.org", ["sysop@testbbs.example"], message("greetings", body))
        s.quit()
        msgs = self.mail_base()
        self.assertEqual(len(msgs), 1, msgs)
        m = msgs[0]
        self.assertEqual(m.get(smbdump.RECIPIENTEXT), b"1")
        self.assertEqual(m.get(smbdump.SMTPREVERSEPATH), b"<alice@example.org>")
        self.assertEqual(m.get(smbdump.SUBJECT), b"greetings")
        self.assertEqual(m.get(smbdump.SENDERNETADDR), b"alice@example.org")
        received = [v for t, v in m.fields if t == smbdump.SMTPRECEIVED or
                    (t == smbdump.RFC822HEADER and v.lower().startswith(b"received:"))]
        self.assertTrue(received, m.fields)
        self.assertIn(b"client.example.org", received[0])
        self.assertIn(b"127.0.0.1", received[0])
        self.assertEqual(m.body.rstrip(b"\r\n"), body.rstrip(b"\r\n"))

    def test_submission_auth_mechanisms_after_starttls(self):
        """SMTP-65 SMTP-67 SMTP-70 SMTP-76 SMTP-80 SMTP-81 SMTP-86 SMTP-88: AUTH PLAIN, LOGIN and CRAM-MD5 after STARTTLS"""
        self.server()
        for mech in ("PLAIN", "LOGIN", "CRAM-MD5"):
            s = self.smtp("SubmissionPort")
            s.ehlo("client.example.org")
            self.assertTrue(s.has_extn("starttls"))
            code, _ = s.starttls(context=unverified_context())
            self.assertEqual(code, 220)
            s.ehlo("client.example.org")
            # CRAM-MD5 is keyed with the stored password in lower case.
            s.user, s.password = "Sysop", "sysop-pass" if mech == "CRAM-MD5" else "SYSOP-PASS"
            code, text = s.auth(mech, getattr(s, "auth_" + mech.lower().replace("-", "_")),
                                initial_response_ok=(mech == "PLAIN"))
            self.assertEqual(code, 235, text)
            s.sendmail("sysop@testbbs.example", ["sysop@testbbs.example"], message(mech, b"by " + mech.encode() + b"\r\n", sender="sysop@testbbs.example"))
            s.quit()
        msgs = self.mail_base()
        self.assertEqual([m.get(smbdump.SUBJECT) for m in msgs], [b"PLAIN", b"LOGIN", b"CRAM-MD5"])
        for m in msgs:
            self.assertEqual(m.get(smbdump.SENDEREXT), b"1")

    def test_wrong_password_refused(self):
        """SMTP-70 SMTP-77: a wrong password is refused with 535"""
        self.server()
        s = self.smtp("SubmissionPort")
        s.ehlo("client.example.org")
        code, text = s.docmd("AUTH", "PLAIN " + base64.b64encode(b"\0Sysop\0wrong").decode())
        self.assertEqual(code, 535, text)

    def test_smtps_port_implicit_tls(self):
        """SMTP-12 SMTP-13 SMTP-23: SMTP_SSL on the TLS submission port; the stored protocol is SMTPS"""
        self.server()
        s = smtplib.SMTP_SSL("127.0.0.1", self.srv.ports["TLSSubmissionPort"], timeout=10,
                             context=unverified_context())
        self.addCleanup(s.close)
        s.ehlo("client.example.org")
        self.assertFalse(s.has_extn("starttls"))
        s.user, s.password = "Sysop", "SYSOP-PASS"
        self.assertEqual(s.auth("PLAIN", s.auth_plain)[0], 235)
        s.sendmail("sysop@testbbs.example", ["sysop@testbbs.example"], message("tls", b"over TLS\r\n", sender="sysop@testbbs.example"))
        s.quit()
        m = self.mail_base()[0]
        self.assertEqual(m.get(smbdump.SENDERPROTOCOL), b"SMTPS")

    def test_relay_refused_without_auth(self):
        """SMTP-117 SMTP-121 SMTP-122: an unauthenticated client may not relay to a remote domain"""
        self.server()
        s = self.smtp()
        s.ehlo("client.example.org")
        s.mail("alice@example.org")
        code, text = s.rcpt("bob@elsewhere.example")
        self.assertIn(code, (550, 553), text)
        with self.assertRaises(smtplib.SMTPServerDisconnected):   # the session is closed
            s.rcpt("sysop@testbbs.example")
        self.assertTrue(self.srv.wait_output(r"ILLEGAL RELAY ATTEMPT"), self.srv.output[-2000:])

    def test_pipelined_commands_answered_in_order(self):
        """SMTP-58 SMTP-55 SMTP-50: commands sent in one write are all answered, in order"""
        self.server()
        with self.srv.connect("SMTPPort") as s:
            self.assertTrue(read_line(s).startswith("220"))
            s.sendall(b"EHLO client.example.org\r\nNOOP\r\nNOOP extra\r\nATRN 10\r\n"
                      b"MAIL FROM:<alice@example.org>\r\nRCPT TO:<sysop@testbbs.example>\r\nDATA\r\n")
            lines = []
            while not lines or not lines[-1].startswith("354"):
                line = read_line(s)
                self.assertTrue(line, lines)
                if not line.startswith("250-"):
                    lines.append(line)
            self.assertEqual([l[:3] for l in lines], ["250", "250", "500", "500", "250", "250", "354"])
            s.sendall(b"Subject: piped\r\n\r\n..dot line\r\n.\r\nQUIT\r\n")
            self.assertTrue(read_line(s).startswith("250"))
            self.assertTrue(read_line(s).startswith("221"))
        m = self.mail_base()[0]
        self.assertEqual(m.body.rstrip(b"\r\n"), b".dot line")

    def test_bare_lf_ends_lines_and_lone_cr_becomes_crlf(self):
        """SMTP-36 SMTP-164 SEC-2: a line ends at LF (one CR before it dropped); in DATA a lone CR becomes CR LF and only CR LF . CR LF ends the message"""
        self.server()
        with self.srv.connect("SMTPPort") as s:
            self.assertTrue(read_line(s).startswith("220"))
            s.sendall(b"HELO client.example.org\nMAIL FROM:<alice@example.org>\r\nRCPT TO:<sysop@testbbs.example>\n"
                      b"DATA\n")
            lines = [read_line(s) for _ in range(4)]
            self.assertEqual([l[:3] for l in lines], ["250", "250", "250", "354"], lines)
            s.sendall(b"Subject: bare LF\n\nover\rprinted\nsecond\r\n.\nthird\r\n.\r\nQUIT\n")
            self.assertTrue(read_line(s).startswith("250"))
            self.assertTrue(read_line(s).startswith("221"))
        m = self.mail_base()[0]
        self.assertEqual(m.get(smbdump.SUBJECT), b"bare LF")
        self.assertEqual(m.body, b"over\r\nprinted\r\nsecond\r\n.\r\nthird\r\n")

    def test_lines_over_1023_bytes(self):
        """SMTP-37 SMTP-42 SMTP-170: a 1500-byte line fails the length limit as the original's first 1023-byte piece would"""
        self.server()
        with self.srv.connect("SMTPPort") as s:
            self.assertTrue(read_line(s).startswith("220"))
            s.sendall(b"NOOP " + b"x" * 1500 + b"\r\nNOOP\r\n")
            self.assertEqual(read_line(s), "500 5.5.2 Line too long (command)\r\n")
            self.assertTrue(is_closed(s))
        with self.srv.connect("SMTPPort") as s:
            self.assertTrue(read_line(s).startswith("220"))
            s.sendall(b"HELO x\r\nMAIL FROM:<alice@example.org>\r\nRCPT TO:<sysop@testbbs.example>\r\nDATA\r\n")
            self.assertEqual([read_line(s)[:3] for _ in range(4)], ["250", "250", "250", "354"])
            s.sendall(b"Subject: long\r\n\r\n" + b"b" * 1500 + b"\r\n.\r\n")
            self.assertEqual(read_line(s), "500 5.5.2 Line too long (body)\r\n")
            self.assertTrue(is_closed(s))
        self.assertEqual(self.mail_base(), [])

    def test_older_install_keys_have_no_effect(self):
        """SMTP-7: DefaultCharset, NewMailNotice and ForwardNotice in sbbs.ini change nothing, as in today's original"""
        self.server(mail={"DefaultCharset": "IBM437", "NewMailNotice": "CUSTOM NOTICE %s",
                          "ForwardNotice": "CUSTOM FORWARD %s", "NotifyOfflineUsers": "true"})
        s = self.smtp()
        s.ehlo("client.example.org")
        s.sendmail("alice@example.org", ["sysop@testbbs.example"], message("8-bit", b"caf\x82 \xb0\xb1\r\n"))
        s.quit()
        m = self.mail_base()[0]
        self.assertEqual([v for t, v in m.fields if t == 0xA9], [], m.fields)   # no FIDOCHARSET kludge
        with open(self.srv.install.path("data", "msgs", "0001.msg"), "rb") as f:
            notice = f.read()
        self.assertIn(b"alice@example.org", notice)
        self.assertNotIn(b"CUSTOM", notice)

    def test_swaks_pipeline_and_bad_input(self):
        """SMTP-35 SMTP-145 SMTP-170: swaks delivers (pipelining requested), an unknown user gets 550"""
        if not shutil.which("swaks"):
            self.skipTest("swaks not installed")
        self.server()
        port = str(self.srv.ports["SMTPPort"])
        ok = subprocess.run(["swaks", "--server", "127.0.0.1", "--port", port, "--pipeline", "--helo", "swaks.example",
                             "--from", "carol@example.org", "--to", "sysop@testbbs.example",
                             "--header", "Subject: swaks", "--body", "line one\n.leading dot\n"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30, text=True)
        self.assertEqual(ok.returncode, 0, ok.stdout)
        self.assertRegex(ok.stdout, r"<- +220 \S+ Synchronet SMTP Server")
        bad = subprocess.run(["swaks", "--server", "127.0.0.1", "--port", port, "--helo", "swaks.example",
                              "--from", "carol@example.org", "--to", "nosuchuser@testbbs.example"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30, text=True)
        self.assertNotEqual(bad.returncode, 0)
        self.assertRegex(bad.stdout, r"<\*\* +550 (5\.1\.1 )?Unknown User")
        msgs = self.mail_base()
        self.assertEqual(len(msgs), 1)
        self.assertIn(b"\r\n.leading dot", msgs[0].body)

    def test_msmtp_submits_like_a_mail_client(self):
        """SMTP-11 SMTP-65 SMTP-86: msmtp with STARTTLS and AUTH on the submission port"""
        if not shutil.which("msmtp"):
            self.skipTest("msmtp not installed")
        self.server()
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp, True)
        conf = os.path.join(tmp, "msmtprc")
        with open(conf, "w") as f:
            f.write("account default\nhost 127.0.0.1\nport %d\nfrom sysop@testbbs.example\n"
                    "auth plain\nuser Sysop\npassword SYSOP-PASS\ntls on\ntls_starttls on\ntls_certcheck off\n"
                    "logfile %s\n" % (self.srv.ports["SubmissionPort"], os.path.join(tmp, "log")))
        os.chmod(conf, 0o600)
        r = subprocess.run(["msmtp", "-C", conf, "sysop@testbbs.example"],
                           input=b"Subject: msmtp\r\nFrom: sysop@testbbs.example\r\n\r\nsent by msmtp\r\n",
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30)
        self.assertEqual(r.returncode, 0, r.stdout)
        m = self.mail_base()[0]
        self.assertEqual(m.get(smbdump.SUBJECT), b"msmtp")
        self.assertEqual(m.get(smbdump.SENDEREXT), b"1")


if __name__ == "__main__":
    unittest.main()
