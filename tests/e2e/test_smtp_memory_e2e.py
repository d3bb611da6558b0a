"""End-to-end memory bound (SEC-11): a large message received over SMTP is
held once by the server, not once per stage (spool, stored copy, data run)."""
import os
import smtplib
import unittest

from e2e_common import LOCAL_ONLY, ServerCase
from harness import sanitized_binary
import smbdump

MIB = 1024 * 1024
BODY_BYTES = 20 * MIB


def peak_rss(pid):
    """VmHWM of `pid` in bytes: the most the process has had resident."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM for pid %d" % pid)


def large_message(subject, body_bytes):
    """A message whose body is `body_bytes` bytes of 78-byte CRLF lines."""
    line = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789ab\r\n"
    body = line * (body_bytes // len(line))
    body += b"x" * (body_bytes - len(body) - 2) + b"\r\n"
    head = "From: Alice <alice@example.org>\r\nTo: sysop@testbbs.example\r\nSubject: %s\r\n" % subject
    return head.encode() + b"\r\n" + body


@unittest.skipUnless(os.path.exists("/proc/self/status"), "n/a: needs /proc (Linux)")
@unittest.skipIf(sanitized_binary(), "n/a: an ASan build's quarantine and redzones hide what is copied; "
                                     "the release build measures")
class SmtpMessageMemory(ServerCase):
    def test_a_20_mib_message_is_held_once(self):
        """SEC-11 SMTP-195 ours: storing a 20 MiB message raises the server's peak RSS by well under 1.5x its size"""
        srv = self.server(options=LOCAL_ONLY, mail={"MaxMsgSize": str(25 * MIB), "MaxMsgsWaiting": "0"})
        s = smtplib.SMTP("127.0.0.1", srv.ports["SMTPPort"], timeout=60)   # 20 MiB to store and fsync
        self.addCleanup(s.close)
        s.ehlo("peer.example.org")
        # A small message first: the mail base, its handles and the session
        # machinery exist before the peak is read.
        s.sendmail("alice@example.org", ["sysop@testbbs.example"], large_message("warm-up", 4096))
        data = large_message("large", BODY_BYTES)
        before = peak_rss(srv.proc.pid)
        s.sendmail("alice@example.org", ["sysop@testbbs.example"], data)   # raises unless 250
        growth = peak_rss(srv.proc.pid) - before
        s.quit()
        print("\nSEC-11: peak RSS grew by %.1f MiB for a %d MiB body" % (growth / MIB, BODY_BYTES // MIB))
        self.assertLess(growth, BODY_BYTES * 3 // 2, "peak RSS grew by %.1f MiB" % (growth / MIB))
        stored = [m for m in self.mail_base() if m.get(smbdump.SUBJECT) == b"large"]
        self.assertEqual(len(stored), 1)
        self.assertEqual(len(stored[0].body), BODY_BYTES)


if __name__ == "__main__":
    unittest.main()
