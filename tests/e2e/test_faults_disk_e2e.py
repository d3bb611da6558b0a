"""Issue #13 item 6, disk faults: the real server with its data/ on a full
tmpfs or a read-only mount (in a private mount namespace) answers temporary
failures, loses nothing it accepted, leaves a clean base and recovers when
space returns."""
import glob
import os
import threading
import time
import poplib
import smtplib
import unittest

from e2e_common import LOCAL_ONLY, ServerCase, SmtpSink, message
from harness import Install, SbbsMail, run_cli
import fault_namespace as ns
import smbdump

BIG_BODY = b"A line of a message that no longer fits on the disk.\r\n" * 4000   # ~220 KB
SENT = 0x0004                       # netattr: delivered (FMT-118)
RELAY_OPTIONS = "ALLOW_POP3 | USE_SUBMISSION_PORT | NO_HOST_LOOKUP | RELAY_TX | ALLOW_RELAY | NO_RECYCLE"


def transaction(s, subject, body=b"Short.\r\n"):
    """MAIL, RCPT and DATA on an open smtplib session; the final (code, text)."""
    s.mail("alice@example.org")
    code, text = s.rcpt("sysop@testbbs.example")
    if code != 250:
        return code, text
    return s.data(message(subject, body))


class DiskFaults(ServerCase):
    def base_subjects(self, srv):
        return [m.get(smbdump.SUBJECT) for m in smbdump.dump(ns.seen_by(srv, "data", "mail"))
                if not m.attr & smbdump.ATTR_DELETE]

    def assert_base_clean(self, srv):
        check = run_cli(["--check-base", ns.seen_by(srv, "data", "mail")])
        self.assertEqual(check.returncode, 0, check.stdout)

    def test_full_disk_data_gets_452_and_recovers(self):
        """ISSUE13-6 SMTP-207 SMTP-206 RFC5321-4.5.3.1.10: DATA on a full disk gets 452, the message accepted before is kept, the base checks clean, and mail is accepted again once space is freed"""
        srv = ns.start_server(self, "tmpfs", size="2m")
        s = self.smtp()
        s.ehlo("client.example.org")
        self.assertEqual(transaction(s, "before the disk filled")[0], 250)
        filler = ns.seen_by(srv, "data", "filler")
        self.assertGreater(ns.fill(filler), 0)
        code, text = transaction(s, "no room", BIG_BODY)
        self.assertEqual(code, 452, text)
        self.assertEqual(s.noop()[0], 250)                   # the session goes on
        self.assertNotIn(b"no room", self.base_subjects(srv))
        os.unlink(filler)
        self.assertEqual(transaction(s, "after space returned", BIG_BODY)[0], 250)
        s.quit()
        stored = self.base_subjects(srv)
        self.assertEqual(stored.count(b"before the disk filled"), 1)
        self.assertEqual(stored.count(b"after space returned"), 1)
        self.assertNotIn(b"no room", stored)
        self.assert_base_clean(srv)
        self.assertIsNone(srv.proc.poll())

    def test_base_created_on_a_full_disk(self):
        """ISSUE13-6 SMTP-207 FMT-7: the first message of an install arriving on a full disk gets 452 while the mail base cannot be created, and once space returns the base is created clean and the message accepted"""
        srv = ns.start_server(self, "tmpfs", size="2m")
        filler = ns.seen_by(srv, "data", "filler")
        ns.fill(filler)
        s = self.smtp()
        s.ehlo("client.example.org")
        for i in range(2):                      # the half-created base must not make it worse
            code, text = transaction(s, "no room %d" % i)
            self.assertEqual(code, 452, text)
        os.unlink(filler)
        self.assertEqual(transaction(s, "first stored")[0], 250)
        s.quit()
        self.assertEqual(self.base_subjects(srv), [b"first stored"])
        self.assert_base_clean(srv)

    def pop3_quit(self, srv, retr=(), dele=()):
        """A POP3 session of the Sysop that retrieves and deletes (by message
        number) and quits; the number of messages STAT gave."""
        p = poplib.POP3("127.0.0.1", srv.ports["POP3Port"], timeout=20)
        self.addCleanup(p.close)
        p.user("Sysop")
        p.pass_("SYSOP-PASS")
        count = p.stat()[0]
        for n in retr:
            p.retr(n)
        for n in dele:
            p.dele(n)
        self.assertTrue(p.quit().startswith(b"+OK"))        # raises on -ERR
        return count

    def test_full_disk_pop3_quit_loses_nothing(self):
        """ISSUE13-review ISSUE13-6 POP3-100 POP3-104: QUIT's deletions on a full disk get +OK and happen: the update journal rewrites its kept blocks in place, and with no journal file yet the update runs unjournaled and says so in the log; the base checks clean"""
        # No SPF/DKIM look-ups: their cache rows go to the state database on the
        # same tmpfs, and its WAL checkpoints free blocks at moments this test
        # cannot control (it needs the disk to stay exactly full).
        srv = ns.start_server(self, "tmpfs", size="2m", mail={"SPFCheck": "false", "DKIMCheck": "false"})
        s = self.smtp()
        s.ehlo("client.example.org")
        for i in range(4):
            self.assertEqual(transaction(s, "kept %d" % i)[0], 250)
        s.quit()
        self.assertEqual(self.pop3_quit(srv, dele=[4]), 4)   # an update while there is room
        journal = ns.seen_by(srv, "data", "mail.updating")
        with open(journal, "rb") as f:
            kept = f.read()
        # The full-disk QUIT below must find its journal's blocks (earlier
        # releases truncated it to 0, so that QUIT had to allocate and failed).
        self.assertGreaterEqual(len(kept), 4096)
        self.assertEqual(kept[:4], b"UPD0")
        filler = ns.seen_by(srv, "data", "filler")
        self.assertGreater(ns.fill(filler), 0)
        self.assertEqual(self.pop3_quit(srv, retr=[1], dele=[2]), 3)
        self.assertEqual(sorted(self.base_subjects(srv)), [b"kept 0", b"kept 2"])
        self.assertEqual(os.path.getsize(journal), len(kept))
        self.assert_base_clean(srv)
        # No journal file and no room to make one: the deletion still happens.
        os.unlink(journal)
        self.assertEqual(self.pop3_quit(srv, dele=[1]), 2)
        self.assertEqual(self.base_subjects(srv), [b"kept 2"])
        self.assertTrue(srv.wait_output(r"mail\.updating: disk full, updating 1 message\(s\) without the update journal"),
                        srv.output[-3000:])
        self.assert_base_clean(srv)
        os.unlink(filler)
        self.assertEqual(self.pop3_quit(srv), 1)

    def outbound(self, srv, subject):
        return [m for m in smbdump.dump(ns.seen_by(srv, "data", "mail")) if m.get(smbdump.SUBJECT) == subject]

    def test_full_disk_sendmail_loses_nothing(self):
        """ISSUE13-review ISSUE13-6 SEND-81: SendMail recording a delivery on a full disk marks it SENT: the message reaches the receiving server exactly once, the base checks clean and the server keeps running"""
        sink = HoldingSink()
        self.addCleanup(sink.stop)
        srv = ns.start_server(self, "tmpfs", size="2m", options=RELAY_OPTIONS,
                              mail={"RelayPort": str(sink.port), "RescanFrequency": "1s"})
        self.submit_outbound(b"Outbound on a full disk.\r\n", "full disk outbound")
        self.assertTrue(sink.in_data.wait(20), srv.output[-3000:])
        # The IN-TRANSIT mark made the journal; the SENT mark below must find
        # its blocks (earlier releases truncated it to 0 and had to allocate).
        journal = ns.seen_by(srv, "data", "mail.updating")
        self.assertGreaterEqual(os.path.getsize(journal), 4096)
        filler = ns.seen_by(srv, "data", "filler")
        ns.fill(filler)                     # the 250 arrives with the disk full
        sink.release.set()
        self.assertTrue(sink.received.wait(20), srv.output[-3000:])
        # Done once the base says so; a mark the full disk refused would leave
        # it queued, and the next rescan (1 s, space back) would send it again.
        os.unlink(filler)
        for _ in range(200):
            msgs = self.outbound(srv, b"full disk outbound")
            if msgs and all(m.netattr & SENT or m.attr & smbdump.ATTR_DELETE for m in msgs):
                break
            time.sleep(0.1)
        else:
            self.fail("never marked sent: " + srv.output[-3000:])
        self.assertEqual(len(sink.messages), 1)
        self.assertNotRegex(srv.output, r"!ERROR \(.*\) deleting message")
        self.assertIn(b"Outbound on a full disk.", sink.messages[0][2])
        self.assert_base_clean(srv)
        self.assertIsNone(srv.proc.poll())


class HoldingSink(SmtpSink):
    """An SMTP sink that holds its reply to the message text until `release`."""

    def __init__(self):
        self.in_data = threading.Event()
        self.release = threading.Event()
        super().__init__()

    session_timeout = 30

    def answer_text(self, conn, f, mail_from, rcpts, data):
        self.in_data.set()
        self.release.wait(20)
        return super().answer_text(conn, f, mail_from, rcpts, data)


class ReadOnlyBase(ServerCase):
    def seeded_install(self):
        """An install whose mail base holds one message for the Sysop."""
        install = Install()
        self.addCleanup(install.cleanup)
        with SbbsMail(install=install, mail={"Options": LOCAL_ONLY}) as srv:
            s = smtplib.SMTP("127.0.0.1", srv.ports["SMTPPort"], timeout=10)
            s.sendmail("alice@example.org", ["sysop@testbbs.example"], message("seed", b"Seed.\r\n"))
            s.quit()
        return install

    def test_read_only_data_gets_temporary_failures(self):
        """ISSUE13-6 SMTP-207 POP3-102: with the mail base files read-only, DATA gets 451, POP3 still reads and a QUIT with deletions answers -ERR; the server stays up and the base is unchanged"""
        install = self.seeded_install()
        base = glob.glob(install.path("data", "mail.*"))
        self.assertIn(install.path("data", "mail.shd"), base)
        srv = ns.start_server(self, "readonly", install=install, read_only=base)
        s = self.smtp()
        s.ehlo("client.example.org")
        code, text = transaction(s, "read-only")
        self.assertEqual(code, 451, text)
        s.quit()
        p = poplib.POP3("127.0.0.1", srv.ports["POP3Port"], timeout=20)
        self.addCleanup(p.close)
        p.user("Sysop")
        p.pass_("SYSOP-PASS")
        self.assertEqual(p.stat()[0], 1)
        p.retr(1)
        p.dele(1)
        with self.assertRaises(poplib.error_proto):
            p.quit()
        self.assertIsNone(srv.proc.poll())
        subjects = [m.get(smbdump.SUBJECT) for m in smbdump.dump(install.path("data", "mail"))
                    if not m.attr & smbdump.ATTR_DELETE]
        self.assertEqual(subjects, [b"seed"])


if __name__ == "__main__":
    unittest.main()
