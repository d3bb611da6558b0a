"""End-to-end delivery status notices (issue #15 item 3; RFC 3461 6, RFC 3464):
SendMail relays queued mail carrying stored DSN parameters (put there by
tests/tools/dsn_queue, as SMTP stores them) to a loopback SMTP server that
refuses one recipient with 550 and delays one with 450; the notices land in
the sender's mailbox and are read back over POP3 and parsed with Python's
email package, field by field."""
import email
import email.policy
import os
import poplib
import re
import subprocess
import time

from e2e_common import ServerCase, SmtpSink
from harness import BIN
import smbdump

DSN_QUEUE = os.path.join(os.path.dirname(BIN), "tests", "tools", "dsn_queue")
RELAY_OPTIONS = "ALLOW_POP3 | NO_HOST_LOOKUP | RELAY_TX | ALLOW_RELAY | NO_RECYCLE"
DATE = re.compile(r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$")


class VerdictSink(SmtpSink):
    """Answers RCPT by the local part: fail* 550 5.1.1, busy* 450 4.2.0,
    anything else 250; offers no DSN, so SUCCESS is reported as relayed."""

    def _session(self, conn):
        conn.settimeout(self.session_timeout)
        f = conn.makefile("rb")
        conn.sendall(b"220 sink.example ESMTP\r\n")
        rcpts = []
        for _ in range(1000):
            line = f.readline()
            if not line:
                return
            cmd = line.strip().upper()
            if cmd.startswith(b"EHLO") or cmd.startswith(b"HELO"):
                conn.sendall(b"250-sink.example\r\n250 8BITMIME\r\n")
            elif cmd.startswith(b"MAIL FROM:"):
                rcpts = []
                conn.sendall(b"250 OK\r\n")
            elif cmd.startswith(b"RCPT TO:"):
                addr = line.strip()[8:].strip(b"<>").decode()
                if addr.startswith("fail"):
                    conn.sendall(b"550 5.1.1 <%s>: user unknown\r\n" % addr.encode())
                elif addr.startswith("busy"):
                    conn.sendall(b"450 4.2.0 <%s>: mailbox busy\r\n" % addr.encode())
                else:
                    rcpts.append(addr)
                    conn.sendall(b"250 OK\r\n")
            elif cmd == b"DATA":
                conn.sendall(b"354 go ahead\r\n")
                while (l := f.readline()) not in (b".\r\n", b""):
                    pass
                self.messages.append((None, rcpts, b""))
                conn.sendall(b"250 OK\r\n")
            elif cmd == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                return
            else:
                conn.sendall(b"250 OK\r\n")


def wait_for(predicate, timeout=40):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    return predicate()


class DsnNotices(ServerCase):
    def setUp(self):
        if not os.path.exists(DSN_QUEUE):
            self.skipTest("tests/tools/dsn_queue not built (make %s)" % DSN_QUEUE)
        self.sink = VerdictSink()
        self.addCleanup(self.sink.stop)
        self.server(options=RELAY_OPTIONS, mail={"RelayPort": str(self.sink.port), "RescanFrequency": "2s",
                                                 "MaxDeliveryAttempts": "5"})

    def queue(self, to, subject, envelope="", rcpt=""):
        r = subprocess.run([DSN_QUEUE, self.srv.install.path("data", "mail"), to, subject, envelope, rcpt],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)

    def notices(self):
        return [m for m in self.mail_base() if m.get(smbdump.SUBJECT, ) and
                m.get(smbdump.SUBJECT).split(b":")[0] in (b"Delivery failure", b"Delivery delayed",
                                                          b"Delivery relayed")]

    def pop_reports(self):
        """Every notice in the Sysop's mailbox as POP3 RETR sends it, parsed."""
        p = poplib.POP3("127.0.0.1", self.srv.ports["POP3Port"], timeout=10)
        self.addCleanup(p.close)
        p.user("Sysop")
        p.pass_("SYSOP-PASS")
        out = {}
        for i in range(1, len(p.list()[1]) + 1):
            raw = b"\r\n".join(p.retr(i)[1]) + b"\r\n"
            msg = email.message_from_bytes(raw, policy=email.policy.compat32)
            out.setdefault(str(msg["Subject"]), []).append(msg)
        p.quit()
        return out

    def check_report(self, msg, action, status):
        """The RFC 3464 / RFC 6522 shape; returns (per-message, per-recipient) field blocks."""
        self.assertEqual(msg.get_content_type(), "multipart/report")
        self.assertEqual(msg.get_param("report-type"), "delivery-status")
        self.assertEqual(msg["MIME-Version"], "1.0")
        parts = msg.get_payload()
        self.assertEqual(len(parts), 3, [p.get_content_type() for p in parts])
        self.assertEqual(parts[0].get_content_type(), "text/plain")
        self.assertEqual(parts[1].get_content_type(), "message/delivery-status")
        blocks = parts[1].get_payload()
        self.assertEqual(len(blocks), 2)                   # one per-message block, one recipient
        per_msg, per_rcpt = blocks
        self.assertEqual(per_msg["Reporting-MTA"], "dns; mail.testbbs.example")
        self.assertRegex(per_msg["Arrival-Date"], DATE)
        self.assertEqual(per_rcpt["Action"], action)
        self.assertEqual(per_rcpt["Status"], status)
        self.assertRegex(per_rcpt["Last-Attempt-Date"], DATE)
        return parts, per_msg, per_rcpt

    def test_failure_delay_relay_and_never(self):
        """RFC3464-2.2 RFC3464-2.3 RFC3461-4.1 RFC3461-4.2 RFC3461-4.3 RFC3461-4.4 RFC3461-6.2.1 SEND-93: a 550 gives a failed report with the reply, ORCPT and ENVID; a 450 one delayed report after the first retry; success at a next hop without DSN a relayed report; RET=HDRS the header only; NOTIFY=NEVER nothing"""
        self.queue("fail550@remote.example", "doomed", "ENVID=env-550",
                   "NOTIFY=FAILURE ORCPT=rfc822;Fail550@Remote.Example")
        self.queue("fail-hdrs@remote.example", "doomed-hdrs", "RET=HDRS", "")
        self.queue("fail-never@remote.example", "doomed-quietly", "", "NOTIFY=NEVER")
        self.queue("busy450@remote.example", "waiting", "ENVID=env+2B450", "NOTIFY=FAILURE,DELAY")
        self.queue("friend@remote.example", "arrives", "ENVID=env-ok", "NOTIFY=SUCCESS")
        found = wait_for(lambda: len(self.notices()) >= 4 and self.notices())
        self.assertEqual(len(found or []), 4, (self.mail_base(), self.srv.output[-3000:]))
        for m in found:   # stored as Internet mail stores MIME (the BBS shows the text/plain part)
            self.assertEqual(m.all(smbdump.SMB_COMMENT), [])
            self.assertIn(b"MIME-Version: 1.0", m.all(smbdump.RFC822HEADER))
            self.assertEqual(m.get(smbdump.RECIPIENTEXT), b"1")
        reports = self.pop_reports()

        (failed,) = reports["Delivery failure: doomed"]
        parts, per_msg, rcpt = self.check_report(failed, "failed", "5.1.1")
        self.assertEqual(per_msg["Original-Envelope-Id"], "env-550")
        self.assertEqual(rcpt["Final-Recipient"], "rfc822;fail550@remote.example")
        self.assertEqual(rcpt["Original-Recipient"], "rfc822;Fail550@Remote.Example")
        self.assertEqual(rcpt["Remote-MTA"], "dns; 127.0.0.1")
        self.assertEqual(rcpt["Diagnostic-Code"], "smtp; 550 5.1.1 <fail550@remote.example>: user unknown")
        human = parts[0].get_payload()
        self.assertIn("reporting delivery failure of message", human)   # SEND-93's lines
        self.assertIn("from Sysop to fail550@remote.example", human)
        self.assertIn("Original message text follows:", human)
        self.assertEqual(parts[2].get_content_type(), "message/rfc822")
        original = parts[2].get_payload()[0]
        self.assertEqual(original["Subject"], "doomed")
        self.assertIn("Body of doomed.", original.get_payload())

        (hdrs,) = reports["Delivery failure: doomed-hdrs"]
        parts, per_msg, rcpt = self.check_report(hdrs, "failed", "5.1.1")
        self.assertIsNone(per_msg["Original-Envelope-Id"])
        self.assertIsNone(rcpt["Original-Recipient"])
        self.assertEqual(parts[2].get_content_type(), "text/rfc822-headers")
        self.assertIn("Subject: doomed-hdrs", parts[2].get_payload())
        self.assertNotIn("Body of", parts[2].get_payload())

        self.assertNotIn("Delivery failure: doomed-quietly", reports)      # NOTIFY=NEVER
        quiet = [m for m in self.mail_base() if m.get(smbdump.SUBJECT) == b"doomed-quietly"]
        self.assertTrue(quiet[0].attr & smbdump.ATTR_DELETE)

        (delayed,) = reports["Delivery delayed: waiting"]
        parts, per_msg, rcpt = self.check_report(delayed, "delayed", "4.2.0")
        self.assertEqual(per_msg["Original-Envelope-Id"], "env+450")   # decoded from xtext
        self.assertEqual(rcpt["Diagnostic-Code"], "smtp; 450 4.2.0 <busy450@remote.example>: mailbox busy")
        self.assertRegex(rcpt["Will-Retry-Until"], DATE)
        self.assertEqual(parts[2].get_content_type(), "text/rfc822-headers")
        waiting = [m for m in self.mail_base() if m.get(smbdump.SUBJECT) == b"waiting"][0]
        self.assertGreaterEqual(waiting.delivery_attempts, 2)

        (relayed,) = reports["Delivery relayed: arrives"]
        parts, per_msg, rcpt = self.check_report(relayed, "relayed", "2.0.0")
        self.assertEqual(per_msg["Original-Envelope-Id"], "env-ok")
        self.assertEqual(rcpt["Final-Recipient"], "rfc822;friend@remote.example")
        self.assertEqual(rcpt["Remote-MTA"], "dns; 127.0.0.1")
        self.assertIsNone(rcpt["Diagnostic-Code"])

        # Once only: a few more retries of the 450 bring no second delay notice.
        wait_for(lambda: [m for m in self.mail_base()
                          if m.get(smbdump.SUBJECT) == b"waiting" and m.delivery_attempts >= 3], timeout=30)
        delays = [m for m in self.notices() if m.get(smbdump.SUBJECT) == b"Delivery delayed: waiting"]
        self.assertEqual(len(delays), 1)


if __name__ == "__main__":
    import unittest
    unittest.main()
