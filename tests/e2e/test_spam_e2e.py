"""End-to-end anti-spam (issue #12): the sample install's filter lists
(text/*.can, ctrl/spamblock*.cfg, spambait.cfg, twitlist.cfg,
ipfilter_exempt.cfg) against real clients connecting to 127.0.0.1 from other
loopback source addresses, with the base and the appended list lines read
back after each scenario."""
import os
import re
import shutil
import smtplib
import socket
import subprocess
import unittest

from e2e_common import ServerCase, message
import smbdump

BAIT = "spam@testbbs.example"          # ctrl/spambait.cfg
USER = "sysop@testbbs.example"


class SpamFilters(ServerCase):
    def refused_at_connect(self, source):
        with self.assertRaises(smtplib.SMTPConnectError) as cm:
            smtplib.SMTP("127.0.0.1", self.srv.ports["SMTPPort"], timeout=10, source_address=(source, 0))
        return cm.exception.smtp_code, cm.exception.smtp_error.decode()

    def send(self, source, sender, rcpts, msg, auth=None):
        s = self.smtp(source=source)
        s.ehlo("client.example.org")
        if auth:
            s.user, s.password = auth
            self.assertEqual(s.auth("PLAIN", s.auth_plain)[0], 235)
        refused = s.sendmail(sender, rcpts, msg)
        s.quit()
        return refused

    def test_spamblock_ip_can_host_can_at_connect(self):
        """SMTP-27 SMTP-30 CFG-137 CFG-143 CFG-150: listed clients get 550 before the greeting, others and the local client pass"""
        self.server()
        code, text = self.refused_at_connect("127.0.0.77")                  # spamblock.cfg
        self.assertEqual((code, text), (550, "5.7.1 CLIENT IP ADDRESS BLOCKED: 127.0.0.77"))
        code, text = self.refused_at_connect("127.0.1.9")                   # ip.can CIDR 127.0.1.0/24
        self.assertEqual((code, text), (550, "5.7.1 CLIENT IP ADDRESS BLOCKED: 127.0.1.9"))
        code, _ = self.refused_at_connect("127.0.0.66")                     # ip.can exact
        self.assertEqual(code, 550)
        self.assertTrue(self.srv.wait_output(r"\[127\.0\.0\.77\] !CLIENT BLOCKED in \S*spamblock\.cfg \(1 total\)"))
        self.assertTrue(self.srv.wait_output(r"\[127\.0\.1\.9\] !CLIENT BLOCKED in \S*ip\.can  \(1 total\)"))
        # Unlisted, expired (127.0.0.67) and local (127.0.0.1 is not in the lists, but stays unchecked) all pass.
        for source in ("127.0.0.5", "127.0.0.67", "127.0.0.1"):
            self.send(source, "alice@example.org", [USER], message("from " + source, b"hi\r\n"))
        self.assertEqual(len(self.mail_base()), 3)

    def test_quiet_entry_refuses_without_log_line(self):
        """SMTP-30 SMTP-231: a q= line in ip.can refuses but logs nothing"""
        self.server()
        code, text = self.refused_at_connect("127.0.0.68")
        self.assertEqual((code, text), (550, "5.7.1 CLIENT IP ADDRESS BLOCKED: 127.0.0.68"))
        self.send("127.0.0.5", "alice@example.org", [USER], message("after", b"hi\r\n"))   # flushes the log
        self.assertTrue(self.srv.wait_output(r"127\.0\.0\.5.*Session thread terminated"), self.srv.output[-3000:])
        self.assertNotRegex(self.srv.output, r"127\.0\.0\.68\] !CLIENT BLOCKED")

    def test_ip_silent_closes_without_a_reply(self):
        """SMTP-17 CFG-144: a client in text/ip-silent.can is closed with no reply and no log line"""
        self.server()
        sock = socket.create_connection(("127.0.0.1", self.srv.ports["SMTPPort"]), timeout=5,
                                        source_address=("127.0.0.69", 0))
        self.addCleanup(sock.close)
        sock.settimeout(5)
        self.assertEqual(sock.recv(100), b"")
        self.send("127.0.0.5", "alice@example.org", [USER], message("after", b"hi\r\n"))
        self.assertTrue(self.srv.wait_output(r"127\.0\.0\.5.*Session thread terminated"))
        self.assertNotIn("127.0.0.69", self.srv.output)

    def test_host_can_and_exemptions(self):
        """SMTP-25 SMTP-27 SMTP-228 CFG-138 CFG-142 CFG-145: host.can matches <no name>; ipfilter_exempt.cfg and spamblock_exempt.cfg lift blocks"""
        self.server()
        with open(self.srv.install.path("text", "host.can"), "a") as f:
            f.write("<no name>\n")
        code, text = self.refused_at_connect("127.0.0.5")                   # NO_HOST_LOOKUP: <no name>
        self.assertEqual((code, text), (550, "5.7.1 CLIENT HOSTNAME BLOCKED: <no name>"))
        self.assertTrue(self.srv.wait_output(r"\[127\.0\.0\.5\] !CLIENT BLOCKED in \S*host\.can: <no name>  \(1 total\)"))
        # ipfilter_exempt.cfg (127.0.0.4) skips every connection check.
        self.send("127.0.0.4", "alice@example.org", [USER], message("exempt", b"hi\r\n"))
        # spamblock_exempt.cfg (127.0.0.78) lifts spamblock.cfg only: host.can still refuses.
        with open(self.srv.install.path("ctrl", "spamblock.cfg"), "a") as f:
            f.write("127.0.0.78\n")
        code, text = self.refused_at_connect("127.0.0.78")
        self.assertEqual(text, "5.7.1 CLIENT HOSTNAME BLOCKED: <no name>")
        self.assertEqual(len(self.mail_base()), 1)

    def test_email_can_on_reverse_path_and_recipient(self):
        """SMTP-94 SMTP-113 SMTP-229 CFG-146: 554 and close for a blocked sender, 550 for a blocked recipient"""
        self.server()
        s = self.smtp(source="127.0.0.5")
        s.ehlo("client.example.org")
        code, text = s.mail("<spammer@spammy.example>")
        self.assertEqual((code, text), (554, b"5.7.1 Sender not allowed."))
        with self.assertRaises(smtplib.SMTPServerDisconnected):
            s.noop()
        self.assertTrue(self.srv.wait_output(
            r"\[127\.0\.0\.5\] !BLOCKED REVERSE PATH e-mail address: <spammer@spammy\.example>"))
        # The '!' exemption before the wildcard: trusted@spammy.example may send.
        self.send("127.0.0.5", "trusted@spammy.example", [USER], message("trusted", b"hi\r\n", sender="x@example.org"))
        s = self.smtp(source="127.0.0.5")
        s.ehlo("client.example.org")
        self.assertEqual(s.mail("<alice@example.org>")[0], 250)
        code, text = s.rcpt("<blocked@remote.example>")
        self.assertEqual((code, text), (550, b"5.1.1 Unknown User: <blocked@remote.example>"))
        self.assertEqual(s.noop()[0], 250)                                   # the session goes on
        spam_log = self.read("data", "spam.log")
        self.assertIn("Reason: Blocked REVERSE PATH e-mail address: <spammer@spammy.example>\r\n", spam_log)
        self.assertIn("From: <alice@example.org> to: blocked@remote.example\r\n", spam_log)
        self.assertEqual(len(self.mail_base()), 1)

    def test_subject_header_and_twit_filters(self):
        """SMTP-175 SMTP-181 CFG-147 CFG-151 SMTP-167: subject.can, email.can on From:/To: and the twit list; nothing stored"""
        self.server()
        cases = [
            (message("Make Money Fast", b"$$$\r\n"), 554, b"5.7.1 Subject not allowed."),
            (message("hello", b"x\r\n", sender="boss@spammy.example"), 554, b"5.7.1 Sender not allowed."),
            (message("hello", b"x\r\n", to="blocked@remote.example"), 550, b"5.1.1 Unknown user."),
            (message("hello", b"x\r\n", sender="twit@remote.example"), 554, b"5.7.1 Sender not allowed."),
        ]
        for msg, code, text in cases:
            with self.assertRaises(smtplib.SMTPDataError) as cm:
                self.send("127.0.0.5", "alice@example.org", [USER], msg)
            self.assertEqual((cm.exception.smtp_code, cm.exception.smtp_error), (code, text))
        self.assertEqual(self.mail_base(), [])
        self.assertTrue(self.srv.wait_output(r"!BLOCKED SUBJECT \(Make Money Fast\) from: <alice@example\.org>"))
        self.assertTrue(self.srv.wait_output(r"!FILTERING TWIT-LISTED SENDER: 'Alice' <twit@remote\.example>"))
        self.assertIn("Reason: Twit-listed sender: 'Alice' <twit@remote.example>", self.read("data", "spam.log"))

    def test_authenticated_sender_skips_content_filters(self):
        """SMTP-94 SMTP-181: an authenticated sender passes email.can and subject.can"""
        self.server()
        self.send("127.0.0.5", "sysop@testbbs.example", [USER],
                  message("Make Money Fast", b"ok\r\n", sender="sysop@testbbs.example", to="blocked@remote.example"),
                  auth=("Sysop", "SYSOP-PASS"))
        self.assertEqual(len(self.mail_base()), 1)

    def test_spam_bait_blocks_the_sender_once(self):
        """SMTP-110 SMTP-111 SMTP-179 CFG-134 CFG-139 SMTP-235: a bait is accepted, nothing stored, the IP appended once and refused next time"""
        if not shutil.which("swaks"):
            self.skipTest("swaks not installed")
        self.server()
        before = self.read("ctrl", "spamblock.cfg")
        port = str(self.srv.ports["SMTPPort"])
        run = subprocess.run(["swaks", "--server", "127.0.0.1", "--port", port, "--local-interface", "127.0.0.9",
                              "--helo", "bot.example", "--from", "bot@junk.example", "--to", BAIT,
                              "--header", "Subject: offer"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30, text=True)
        self.assertEqual(run.returncode, 0, run.stdout)                       # 250 for RCPT and for the data
        self.assertRegex(run.stdout, r"<- +250 .*\n(.*\n)*.*-> +DATA")
        self.assertEqual(self.mail_base(), [])
        after = self.read("ctrl", "spamblock.cfg")
        self.assertTrue(after.startswith(before))
        added = after[len(before):]
        self.assertRegex(added, r"^127\.0\.0\.9\tt=\d{8}T\d{6}(Z|[+-]\d{4})\tp=SMTP\t"
                                r"r=SPAM BAIT \(spam@testbbs\.example\) taken\te=\d{8}T\d{6}(Z|[+-]\d{4})\t"   # SpamBlockDuration 1h
                                r"u=<bot@junk\.example>\n$")
        self.assertTrue(self.srv.wait_output(r"!BLOCKING IP ADDRESS: \[127\.0\.0\.9\] in \S*spamblock\.cfg"))
        self.assertIn("SPAM IGNORED and BLOCKED on ", self.read("data", "spam.log"))
        # The next session from that IP is refused; the file is not appended again.
        code, text = self.refused_at_connect("127.0.0.9")
        self.assertEqual((code, text), (550, "5.7.1 CLIENT IP ADDRESS BLOCKED: 127.0.0.9"))
        self.assertEqual(self.read("ctrl", "spamblock.cfg"), after)
        # Another IP is still served.
        self.send("127.0.0.10", "alice@example.org", [USER], message("fine", b"hi\r\n"))
        self.assertEqual(len(self.mail_base()), 1)

    def test_spam_bait_exempt_and_authenticated_clients_not_blocked(self):
        """SMTP-111 CFG-138: spamblock_exempt.cfg and authenticated clients take the bait without being blocked"""
        self.server()
        before = self.read("ctrl", "spamblock.cfg")
        self.send("127.0.0.78", "bot@junk.example", [BAIT], message("bait", b"x\r\n"))            # spamblock_exempt.cfg
        self.send("127.0.0.11", "sysop@testbbs.example", [BAIT],
                  message("bait", b"x\r\n", sender="sysop@testbbs.example"), auth=("Sysop", "SYSOP-PASS"))
        self.assertEqual(self.read("ctrl", "spamblock.cfg"), before)
        self.assertEqual(self.mail_base(), [])
        self.send("127.0.0.11", "alice@example.org", [USER], message("still served", b"hi\r\n"))
        self.send("127.0.0.78", "alice@example.org", [USER], message("still served", b"hi\r\n"))
        self.assertEqual(len(self.mail_base()), 2)

    def test_bait_after_real_recipient_drops_the_message(self):
        """SMTP-112 SMTP-194: the last RCPT decides; a bait after a real recipient drops the message"""
        self.server()
        self.send("127.0.0.12", "bot@junk.example", [USER, BAIT], message("dropped", b"x\r\n"))
        self.assertEqual(self.mail_base(), [])
        self.assertTrue(self.srv.wait_output(r"!IGNORED SPAM MESSAGE from 'Alice' <alice@example\.org> to <spam@testbbs\.example>"))


if __name__ == "__main__":
    unittest.main()
