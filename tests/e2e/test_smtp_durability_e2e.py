"""End-to-end durability: every message that got 250 from the real server
is in the mail base after a SIGKILL, exactly once, and the base is clean."""
import signal
import smtplib
import threading
import unittest

from e2e_common import LOCAL_ONLY, ServerCase, message
from harness import run_cli
import smbdump

SESSIONS = 8
PER_SESSION = 6


class SmtpDurability(ServerCase):
    def send_batch(self, port, n, accepted, errors):
        try:
            s = smtplib.SMTP("127.0.0.1", port, timeout=20)
            s.ehlo("peer.example.org")
            for i in range(PER_SESSION):
                subject = "durable %d.%d" % (n, i)
                s.sendmail("peer@example.org", ["sysop@testbbs.example"],
                           message(subject, b"Kept after a crash.\r\n", sender="peer@example.org"))
                accepted.append(subject.encode())
            s.quit()
        except (smtplib.SMTPException, OSError) as e:
            errors.append(repr(e))

    def test_kill_9_after_250_loses_nothing(self):
        """SMTP-202 SMTP-208 ours: concurrent sessions' messages that got 250 all survive a SIGKILL right after, each stored once, and the base checks clean"""
        srv = self.server(options=LOCAL_ONLY,
                          mail={"MaxMsgsWaiting": "0", "MaxConcurrentConnections": "0", "MaxClients": "0"})
        accepted, errors = [], []
        threads = [threading.Thread(target=self.send_batch, args=(srv.ports["SMTPPort"], n, accepted, errors))
                   for n in range(SESSIONS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        srv.stop(sig=signal.SIGKILL)
        self.assertEqual(errors, [])
        self.assertEqual(len(accepted), SESSIONS * PER_SESSION)
        prefix = srv.install.path("data", "mail")
        check = run_cli(["--check-base", prefix])
        self.assertEqual(check.returncode, 0, check.stdout)
        stored = [m.get(smbdump.SUBJECT) for m in smbdump.dump(prefix)]
        for subject in accepted:
            self.assertEqual(stored.count(subject), 1, subject)


if __name__ == "__main__":
    unittest.main()
