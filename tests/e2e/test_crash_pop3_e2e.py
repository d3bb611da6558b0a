"""Crash campaign, POP3 (issue #13 item 5): sbbsmail SIGKILLed at random
moments, and right after QUIT, while a client deletes mail. A deletion is
in the base after every QUIT that got +OK, never without a QUIT sent."""
import os
import poplib
import sys
import threading
import time
import unittest

from crash_campaign import BBS_WRITER, CAMPAIGN_CAP_S, MIN_KILLS, SANITIZED, BbsWriter, Restartable, campaign_rng
import smbdump

# 40 kills (16 under ASan, where each start costs about three times as much).
KILLS = 16 if SANITIZED else 40
MAILBOX = 300
OPTIONS = "ALLOW_POP3 | NO_HOST_LOOKUP | NO_RECYCLE | NO_SENDMAIL"


class Session:
    def __init__(self):
        self.deleted = []             # subjects DELE got +OK for
        self.quit_sent = False
        self.quit_ok = False


class Deleter(threading.Thread):
    """POP3 sessions one after another: log in, DELE one to three messages
    (each named by its Subject from TOP), QUIT. Pauses between commands
    spread the kills over the session."""

    def __init__(self, port, rng, stop):
        super().__init__(daemon=True)
        self.port, self.rng, self.stop = port, rng, stop
        self.sessions = []
        self.quit_sent = threading.Event()
        self.lock = threading.Lock()

    def pause(self):
        time.sleep(self.rng.uniform(0, 0.04))

    def run(self):
        while not self.stop.is_set():
            s = Session()
            try:
                p = poplib.POP3("127.0.0.1", self.port, timeout=10)
            except (poplib.error_proto, OSError):      # down, or killed before its greeting
                time.sleep(0.02)
                continue
            with self.lock:
                self.sessions.append(s)
            try:
                p.user("Sysop")
                p.pass_("SYSOP-PASS")
                count, _ = p.stat()
                for n in self.rng.sample(range(1, count + 1), min(count, self.rng.randint(1, 3))):
                    self.pause()
                    head = p.top(n, 0)[1]
                    subject = [h[9:] for h in head if h.startswith(b"Subject: ")][0]
                    p.dele(n)
                    s.deleted.append(subject)
                self.pause()
                s.quit_sent = True
                self.quit_sent.set()
                s.quit_ok = p.quit().startswith(b"+OK")
            except (poplib.error_proto, OSError):
                pass
            finally:
                p.close()


def deletion_bounds(sessions):
    """(must, may): deleted after a QUIT that got +OK; deletable because a QUIT was at least sent."""
    must, may = set(), set()
    for s in sessions:
        if s.quit_ok:
            must.update(s.deleted)
        if s.quit_sent:
            may.update(s.deleted)
    return must, may


class Pop3CrashCampaign(unittest.TestCase):
    def test_pop3_kill_9_campaign_deletes_only_after_quit(self):
        """ISSUE13-5 POP3-104 (ours, RFC 1939): 40 SIGKILLs (16 under ASan) while a client deletes mail, half of them just after QUIT: no deletion without a QUIT, every deletion after a QUIT +OK, base clean"""
        if not os.path.exists(BBS_WRITER):
            self.skipTest("tests/tools/bbs_writer not built (make %s)" % BBS_WRITER)
        rng = campaign_rng("pop3 campaign")
        r = Restartable(self, OPTIONS)
        code, err = BbsWriter(r.prefix, "pop", MAILBOX, 0).wait(120)
        self.assertEqual(code, 0, err)
        r.start()
        stop = threading.Event()
        self.addCleanup(stop.set)
        client = Deleter(r.ports["POP3Port"], rng, stop)
        client.start()
        started = time.monotonic()
        kills, partial, judged = 0, 0, 0
        while kills < KILLS and time.monotonic() - started < CAMPAIGN_CAP_S:
            if kills % 2:                       # right after a QUIT: the deletions are being written
                client.quit_sent.clear()
                client.quit_sent.wait(10)
                time.sleep(rng.uniform(0, 0.005))
            else:
                time.sleep(rng.uniform(0, 0.3))
            r.kill()
            kills += 1
            with client.lock:
                sessions = list(client.sessions)
            deleted = {m.get(smbdump.SUBJECT) for m in smbdump.dump(r.prefix) if m.attr & smbdump.ATTR_DELETE}
            must, may = deletion_bounds(sessions)
            self.assertEqual(must - deleted, set(), "a QUIT got +OK but its deletions are not in the base")
            self.assertEqual(deleted - may, set(), "deleted without a QUIT")
            # A session cut between QUIT and +OK by this kill: were only some of its deletions written?
            partial += sum(1 for s in sessions[judged:] if s.quit_sent and not s.quit_ok and
                           0 < len(set(s.deleted) & deleted) < len(set(s.deleted)))
            judged = len(sessions)
            r.start()
        stop.set()
        client.join(30)
        self.assertEqual(r.stop(), 0)
        self.assertGreaterEqual(kills, MIN_KILLS, "only %d kills within the %d s bound" % (kills, CAMPAIGN_CAP_S))
        code, report = r.check_base()
        self.assertEqual(code, 0, report)
        deleted = {m.get(smbdump.SUBJECT) for m in smbdump.dump(r.prefix) if m.attr & smbdump.ATTR_DELETE}
        must, may = deletion_bounds(client.sessions)
        self.assertTrue(must <= deleted <= may)
        self.assertGreater(len(must), 0)
        print("pop3 campaign: %d kills (of %d planned), %d sessions, %d with QUIT +OK, %d cut between QUIT and +OK "
              "(%d of them with only some deletions written), %d messages deleted"
              % (kills, KILLS, len(client.sessions), sum(s.quit_ok for s in client.sessions),
                 sum(s.quit_sent and not s.quit_ok for s in client.sessions), partial, len(deleted)),
              file=sys.stderr)


if __name__ == "__main__":
    unittest.main()
