"""Issue #17 item 3: `sbbsmail --sendmail` (and a `sendmail` link) queueing a
message from standard input into a copied sample install, with and without
a running server; SendMail delivering it to a loopback sink, the local copy
read back over POP3, and the sendmail(8) exit codes."""
import os
import poplib
import subprocess
import tempfile
import time
import unittest

from e2e_common import ServerCase, SmtpSink
from harness import BIN, Install
import smbdump

RELAY_OPTIONS = "ALLOW_POP3 | USE_SUBMISSION_PORT | NO_HOST_LOOKUP | RELAY_TX | NO_RECYCLE"
INTERNET = 5

MESSAGE = (b"From: Script <cron@testbbs.example>\n"
           b"To: friend@remote.example, Sysop <sysop@testbbs.example>\n"
           b"Bcc: hidden@other.example\n"
           b"Subject: from a script\n"
           b"\n"
           b"line one\n"
           b".\n"
           b"after the dot\n")


def sendmail(ctrl, args, data, argv0=BIN, **kw):
    return subprocess.run([argv0, "--ctrl", ctrl, "--sendmail"] + list(args) if argv0 == BIN
                          else [argv0, "--ctrl", ctrl] + list(args),
                          input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30, **kw)


def wait_for(predicate, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = predicate()
        if got:
            return got
        time.sleep(0.1)
    return predicate()


def u16(msg, field):
    v = msg.get(field)
    return None if v is None else int.from_bytes(v[:2], "little")


class SendmailCliCase(ServerCase):
    def fresh_install(self):
        inst = Install()
        self.addCleanup(inst.cleanup)
        return inst

    def test_t_queues_internet_and_local_copies_without_a_server(self):
        """ISSUE17-3a -t: To/Cc/Bcc recipients, Bcc removed, INTERNET copies queued, the local copy stored, a lone dot ends input"""
        inst = self.fresh_install()
        r = sendmail(inst.ctrl, ["-t"], MESSAGE)
        self.assertEqual(r.returncode, 0, r.stderr)
        msgs = smbdump.dump(inst.path("data", "mail"))
        self.assertEqual(len(msgs), 3, msgs)
        by_rcpt = {m.get(smbdump.SMTPFORWARDPATH): m for m in msgs}
        self.assertEqual(set(by_rcpt), {b"<friend@remote.example>", b"<sysop@testbbs.example>", b"<hidden@other.example>"})
        for addr in (b"friend@remote.example", b"hidden@other.example"):
            m = by_rcpt[b"<%s>" % addr]
            self.assertEqual(u16(m, smbdump.RECIPIENTNETTYPE), INTERNET)
            self.assertEqual(m.get(smbdump.RECIPIENTNETADDR), addr)
        self.assertEqual(by_rcpt[b"<sysop@testbbs.example>"].get(smbdump.RECIPIENTEXT), b"1")
        for m in msgs:
            self.assertNotIn(b"Bcc", b" ".join(m.all(smbdump.RFC822HEADER)))
            self.assertIn(b"with local submission", m.get(smbdump.SMTPRECEIVED))
            self.assertEqual(m.body, b"line one\r\n")   # "." ended the input
            self.assertTrue(m.get(smbdump.SMTPREVERSEPATH).endswith(b"@mail.testbbs.example>"))

    def test_queued_offline_is_delivered_when_the_server_starts(self):
        """ISSUE17-3b queued without a server, SendMail delivers it to the relay sink after start"""
        sink = SmtpSink()
        self.addCleanup(sink.stop)
        inst = self.fresh_install()
        r = sendmail(inst.ctrl, ["-f", "cron@testbbs.example", "friend@remote.example"],
                     b"Subject: offline\n\nqueued while stopped\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.server(install=inst, options=RELAY_OPTIONS,
                    mail={"RelayServer": "127.0.0.1", "RelayPort": str(sink.port)})
        self.assertTrue(sink.received.wait(20), self.srv.output[-2000:])
        mail_from, rcpts, data = sink.messages[0]
        self.assertEqual(rcpts, [b"<friend@remote.example>"])
        self.assertIn(b"cron@testbbs.example", mail_from)
        self.assertIn(b"queued while stopped", data)
        self.assertIn(b"with local submission", data)

    def test_while_running_delivered_and_local_copy_over_pop3(self):
        """ISSUE17-3c with the server running: -i keeps a lone dot, the sink gets the remote copy, POP3 RETR the local one"""
        sink = SmtpSink()
        self.addCleanup(sink.stop)
        self.server(options=RELAY_OPTIONS, mail={"RelayServer": "127.0.0.1", "RelayPort": str(sink.port)})
        r = sendmail(self.srv.install.ctrl, ["-i", "friend@remote.example", "sysop"],
                     b"From: cron@testbbs.example\nSubject: running\n\nbefore\n.\nafter\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(sink.received.wait(20), self.srv.output[-2000:])
        self.assertIn(b"before\r\n.\r\nafter", sink.messages[0][2])   # a lone dot is text with -i
        p = poplib.POP3("127.0.0.1", self.srv.ports["POP3Port"], timeout=10)
        self.addCleanup(p.close)
        p.user("Sysop")
        p.pass_("SYSOP-PASS")
        lines = p.retr(1)[1]
        p.quit()
        self.assertIn(b"Subject: running", lines)
        self.assertEqual(lines[-3:], [b"before", b".", b"after"])

    def test_exit_codes(self):
        """ISSUE17-3d sysexits: 67 unknown local user, 64 no recipients or a bad option"""
        inst = self.fresh_install()
        r = sendmail(inst.ctrl, ["no-such-user@testbbs.example"], b"Subject: x\n\nx\n")
        self.assertEqual(r.returncode, 67, r.stderr)
        self.assertIn(b"550", r.stderr)
        self.assertEqual(smbdump.dump(inst.path("data", "mail")), [])
        self.assertEqual(sendmail(inst.ctrl, [], b"Subject: x\n\nx\n").returncode, 64)
        self.assertEqual(sendmail(inst.ctrl, ["-t"], b"Subject: no rcpt\n\nx\n").returncode, 64)
        self.assertEqual(sendmail(inst.ctrl, ["-Q", "sysop"], b"x\n").returncode, 64)

    def test_symlink_named_sendmail(self):
        """ISSUE17-3e called as `sendmail` through a symlink, without --sendmail"""
        inst = self.fresh_install()
        d = tempfile.mkdtemp()
        self.addCleanup(lambda: (os.unlink(os.path.join(d, "sendmail")), os.rmdir(d)))
        os.symlink(BIN, os.path.join(d, "sendmail"))
        r = sendmail(inst.ctrl, ["sysop"], b"Subject: via link\n\nhello\n", argv0=os.path.join(d, "sendmail"))
        self.assertEqual(r.returncode, 0, r.stderr)
        msgs = smbdump.dump(inst.path("data", "mail"))
        self.assertEqual([m.get(smbdump.SUBJECT) for m in msgs], [b"via link"])

    def test_permission_denied_is_said(self):
        """ISSUE17-3f a user who cannot write the mail base gets a sentence and 77 (EX_NOPERM)"""
        inst = self.fresh_install()
        sendmail(inst.ctrl, ["sysop"], b"Subject: first\n\nx\n")   # the base exists
        kw = {}
        if os.geteuid() == 0:   # root writes anything: run as nobody on a readable install
            os.chmod(inst.root, 0o755)
            kw["preexec_fn"] = lambda: os.setuid(65534)
        else:                   # our own files, made read-only
            data = inst.path("data")
            for name in os.listdir(data):
                if name.startswith("mail."):
                    os.chmod(os.path.join(data, name), 0o444)
            os.chmod(data, 0o555)
            self.addCleanup(os.chmod, data, 0o755)
        r = sendmail(inst.ctrl, ["sysop"], b"Subject: x\n\nx\n", **kw)
        self.assertEqual(r.returncode, 77, r.stderr)
        self.assertIn(b"permission denied", r.stderr)

if __name__ == "__main__":
    unittest.main()
