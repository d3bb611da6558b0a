"""Issue #13 item 6, base faults: a mail base locked by another process past
the lock timeout, and mail base or user base files that go missing while the
server runs, give temporary failures; the server stays up and the next
session after the fault is served normally."""
import os
import poplib
import re
import struct
import subprocess
import sys
import unittest

from e2e_common import ServerCase, message
from harness import Install, run_cli
import smbdump

RETRY_TIME_S = 1      # msgs.ini smb_retry_time for these tests: the lock timeout (FMT-82)

# Another process holding the base-header lock (.shd bytes [0, 32), FMT-80) with
# an OFD lock as the BBS does (FMT-79) until its stdin closes.
LOCK_HOLDER = r"""
import fcntl, struct, sys
f = open(sys.argv[1], "r+b")
flock = struct.pack("hhqqi4x", fcntl.F_WRLCK, 0, int(sys.argv[2]), int(sys.argv[3]), 0)
fcntl.fcntl(f.fileno(), fcntl.F_OFD_SETLK, flock)
print("locked", flush=True)
sys.stdin.read()
"""


class LockHolder:
    def __init__(self, path, start, length):
        self.proc = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, path, str(start), str(length)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        if self.proc.stdout.readline().strip() != "locked":
            self.release()
            raise OSError("could not lock %s" % path)

    def release(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)


def transaction(s, subject, rcpt="sysop@testbbs.example"):
    s.mail("alice@example.org")
    code, text = s.rcpt(rcpt)
    if code != 250:
        return code, text
    return s.data(message(subject, b"Body.\r\n", to=rcpt))


class BaseFaults(ServerCase):
    def start(self, **mail):
        """A server whose lock timeout is RETRY_TIME_S, with one message stored."""
        install = Install()
        msgs = install.path("ctrl", "msgs.ini")
        with open(msgs) as f:
            text = f.read()
        with open(msgs, "w") as f:
            f.write(re.sub(r"smb_retry_time\s*=\s*\d+", "smb_retry_time=%d" % RETRY_TIME_S, text))
        srv = self.server(mail=mail or None, install=install)
        s = self.smtp()
        s.ehlo("client.example.org")
        self.assertEqual(transaction(s, "stored first")[0], 250)
        s.quit()
        return srv

    def live_subjects(self):
        return [m.get(smbdump.SUBJECT) for m in self.mail_base() if not m.attr & smbdump.ATTR_DELETE]

    def assert_base_clean(self):
        check = run_cli(["--check-base", self.srv.install.path("data", "mail")])
        self.assertEqual(check.returncode, 0, check.stdout)

    def test_base_header_locked_past_timeout(self):
        """ISSUE13-6 FMT-80 FMT-82 SMTP-207 POP3-55: a base-header lock held by another process past smb_retry_time gets SMTP 451 at DATA and POP3 -ERR [SYS/TEMP] at login, nothing half stored; once released mail is stored and read again"""
        srv = self.start()
        holder = LockHolder(srv.install.path("data", "mail.shd"), 0, 32)
        self.addCleanup(holder.release)
        s = self.smtp()
        s.ehlo("client.example.org")
        code, text = transaction(s, "while locked")
        self.assertEqual(code, 451, text)
        self.assertEqual(s.noop()[0], 250)
        s.quit()
        p = poplib.POP3("127.0.0.1", srv.ports["POP3Port"], timeout=20)
        self.addCleanup(p.close)
        p.user("Sysop")
        with self.assertRaisesRegex(poplib.error_proto, r"\[SYS/TEMP\].*try again later"):   # ours, POP3-55
            p.pass_("SYSOP-PASS")
        holder.release()
        s = self.smtp()
        s.ehlo("client.example.org")
        self.assertEqual(transaction(s, "after release")[0], 250)
        s.quit()
        p = poplib.POP3("127.0.0.1", srv.ports["POP3Port"], timeout=20)
        self.addCleanup(p.close)
        p.user("Sysop")
        p.pass_("SYSOP-PASS")
        self.assertEqual(p.stat()[0], 2)
        p.quit()
        self.assertEqual(sorted(self.live_subjects()), [b"after release", b"stored first"])
        self.assert_base_clean()

    def test_message_header_locked_pop3_quit(self):
        """ISSUE13-6 FMT-81 POP3-102: a message-header lock held past smb_retry_time taken after login makes the QUIT that deletes that message answer -ERR; the message stays and the next session deletes it"""
        srv = self.start()
        with open(srv.install.path("data", "mail.sid"), "rb") as f:
            offset = struct.unpack("<HHHHIII", f.read(20))[4]      # idxrec_t: to, from, subj, attr, offset (FMT-72)
        p = poplib.POP3("127.0.0.1", srv.ports["POP3Port"], timeout=20)
        self.addCleanup(p.close)
        p.user("Sysop")
        p.pass_("SYSOP-PASS")          # reads the headers: locked now, it would say "busy"
        holder = LockHolder(srv.install.path("data", "mail.shd"), offset, 70)
        self.addCleanup(holder.release)
        p.dele(1)
        with self.assertRaises(poplib.error_proto):
            p.quit()
        holder.release()
        self.assertEqual(self.live_subjects(), [b"stored first"])
        p = poplib.POP3("127.0.0.1", srv.ports["POP3Port"], timeout=20)
        self.addCleanup(p.close)
        p.user("Sysop")
        p.pass_("SYSOP-PASS")
        p.dele(1)
        p.quit()
        self.assertEqual(self.live_subjects(), [])
        self.assert_base_clean()

    def test_mail_base_files_deleted_while_running(self):
        """ISSUE13-6 SMTP-208 FMT-89: with the mail base files deleted under a running server, a message that gets 250 is in the base at its path (never in an unlinked file); POP3 sees it"""
        srv = self.start()
        for ext in ("shd", "sdt", "sid", "sha", "sda", "hash", "ini"):
            path = srv.install.path("data", "mail." + ext)
            if os.path.exists(path):
                os.unlink(path)
        s = self.smtp()
        s.ehlo("client.example.org")
        code, text = transaction(s, "after the base vanished")
        self.assertTrue(code == 250 or 400 <= code < 500, (code, text))
        s.quit()
        if code == 250:
            self.assertEqual(self.live_subjects(), [b"after the base vanished"])
        p = poplib.POP3("127.0.0.1", srv.ports["POP3Port"], timeout=20)
        self.addCleanup(p.close)
        p.user("Sysop")
        p.pass_("SYSOP-PASS")
        self.assertEqual(p.stat()[0], 1 if code == 250 else 0)
        p.quit()
        self.assertIsNone(srv.proc.poll())

    def test_user_base_files_missing(self):
        """ISSUE13-6 USER-1 USER-2 SMTP-146 POP3-35: with data/user/user.tab or name.dat gone, RCPT to a local user gets 451 (never 550 Unknown User) and a POP3 login fails without counting a failed login; once the file is back both work"""
        srv = self.start()
        stored = 1
        for name in ("user.tab", "name.dat"):
            with self.subTest(missing=name):
                path = srv.install.path("data", "user", name)
                os.rename(path, path + ".away")
                s = self.smtp()
                s.ehlo("client.example.org")
                s.mail("alice@example.org")
                code, text = s.rcpt("sysop@testbbs.example")
                self.assertEqual(code, 451, text)
                s.rset()
                p = poplib.POP3("127.0.0.1", srv.ports["POP3Port"], timeout=20)
                self.addCleanup(p.close)
                p.user("Sysop")
                with self.assertRaises(poplib.error_proto):
                    p.pass_("SYSOP-PASS")
                os.rename(path + ".away", path)
                self.assertEqual(transaction(s, "%s back" % name)[0], 250)
                stored += 1
                s.quit()
                p = poplib.POP3("127.0.0.1", srv.ports["POP3Port"], timeout=20)
                self.addCleanup(p.close)
                p.user("Sysop")
                p.pass_("SYSOP-PASS")
                self.assertEqual(p.stat()[0], stored)
                p.quit()
        self.assertNotRegex(srv.output, "FAILED|UNKNOWN USER")

if __name__ == "__main__":
    unittest.main()
