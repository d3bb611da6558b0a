"""Crash campaign, SMTP (issue #13 item 5): sbbsmail SIGKILLed at random
moments while 10 clients submit and two BBS writers add mail to the same
base: tests/tools/bbs_writer (our SmbBase with the BBS's locks) and
tests/tools/foreign_bbs_writer (the original's smblib as far as our
reclaim depends on it: no recovery, none of our journals, first-fit blocks,
bulk adds whose text stays counted without a header between two lock
holds). Every message that got 250 is stored exactly once, one whose 250
the kill cut off at most once, nothing else is stored or half-visible, and
the base checks clean, without leaked space; nothing either writer added is lost or overwritten."""
import os
import smtplib
import sys
import threading
import time
import unittest

from crash_campaign import (BBS_WRITER, CAMPAIGN_CAP_S, FOREIGN_WRITER, MIN_KILLS, SANITIZED, BbsWriter,
                            ForeignBbsWriter, Restartable, campaign_rng, leaked_blocks, problems_besides_leaks,
                            text_for)
from e2e_common import message
from harness import run_cli
import smbdump

CLIENTS = 10
# Release: 200 kills (issue #13). ASan: 60, the same checks on fewer kills,
# since every start and message costs about three times as much there.
KILLS = 60 if SANITIZED else 200
OPTIONS = "NO_HOST_LOOKUP | NO_RECYCLE | NO_SENDMAIL"
RECIPIENT = "sysop@testbbs.example"


class Submitter(threading.Thread):
    """One client: sessions of up to 4 messages, each with a subject of its
    own, until told to stop; a refused or cut-off session is simply retried
    with new messages (never the same subject twice)."""

    def __init__(self, n, port, stop):
        super().__init__(daemon=True)
        self.n, self.port, self.stop = n, port, stop
        self.tried, self.acked = [], []

    def run(self):
        seq = 0
        while not self.stop.is_set():
            try:
                s = smtplib.SMTP("127.0.0.1", self.port, timeout=10)
                try:
                    s.ehlo("peer%d.example.org" % self.n)
                    for _ in range(4):
                        if self.stop.is_set():
                            break
                        seq += 1
                        subject = b"crash %d.%d" % (self.n, seq)
                        self.tried.append(subject)
                        s.sendmail("peer@example.org", [RECIPIENT],
                                   message(subject.decode(), text_for(subject), sender="peer@example.org",
                                           extra="Message-ID: <%s@peer.example>\r\n" % subject.decode().replace(" ", "-")))
                        self.acked.append(subject)      # sendmail() returned: the server said 250
                    s.quit()
                finally:
                    s.close()
            except (smtplib.SMTPException, OSError):
                time.sleep(0.02)


class SmtpCrashCampaign(unittest.TestCase):
    def test_smtp_kill_9_campaign_with_bbs_writer(self):
        """ISSUE13-5 SMTP-202 SMTP-208: ISSUE13-review 200 SIGKILLs (60 under ASan) while 10 clients submit and our and a foreign BBS writer write the same base: every 250 stored once, nothing half-visible, the base clean (no leaked space), neither writer loses anything nor has its blocks freed"""
        for tool in (BBS_WRITER, FOREIGN_WRITER):
            if not os.path.exists(tool):
                self.skipTest("%s not built (make %s)" % (os.path.basename(tool), tool))
        rng = campaign_rng("smtp campaign")
        r = Restartable(self, OPTIONS, {"MaxMsgsWaiting": "0", "MaxConcurrentConnections": "0", "MaxClients": "0"})
        r.start()
        stop = threading.Event()
        clients = [Submitter(n, r.ports["SMTPPort"], stop) for n in range(CLIENTS)]
        self.addCleanup(stop.set)
        for c in clients:
            c.start()
        bbs = BbsWriter(r.prefix, "bbs", 100000, 15)
        self.addCleanup(bbs.finish)
        code, err = BbsWriter(r.prefix, "init", 0, 0).wait(30)   # the base exists: the original creates none
        self.assertEqual(code, 0, err)
        foreign = ForeignBbsWriter(r.prefix, "far", 100000, 3, 15)
        self.addCleanup(foreign.finish)
        started = time.monotonic()
        kills, half_visible_checks = 0, 0
        while kills < KILLS and time.monotonic() - started < CAMPAIGN_CAP_S:
            time.sleep(rng.uniform(0, 0.15))
            r.kill()
            kills += 1
            if kills % 25 == 0:                 # what a reader sees right after a kill, before any recovery
                seen = run_cli(["--dump-base", r.prefix])
                self.assertEqual(seen.returncode, 0, "an index entry without a readable header and text:\n" +
                                 seen.stdout[-2000:])
                half_visible_checks += 1
            r.start()
        elapsed = time.monotonic() - started
        stop.set()
        for c in clients:
            c.join(30)
        bbs_code, bbs_err = bbs.finish()
        foreign_code, foreign_err = foreign.finish()     # after its add in progress: both holds done
        self.assertGreaterEqual(kills, MIN_KILLS, "only %d kills within the %d s bound" % (kills, CAMPAIGN_CAP_S))
        self.assertEqual(bbs_code, 0, bbs_err)
        self.assertEqual(foreign_code, 0, foreign_err)
        self.assertGreater(len(foreign.added), 0)
        # One more message through a server that has recovered from the last kill, then a clean stop.
        last = smtplib.SMTP("127.0.0.1", r.ports["SMTPPort"], timeout=20)
        last.sendmail("peer@example.org", [RECIPIENT], message("crash final", text_for(b"crash final"),
                                                               sender="peer@example.org"))
        last.quit()
        self.assertEqual(r.stop(), 0)

        code, report = r.check_base()
        # A clean base, leaked space included: recovery gives back what a
        # killed add of ours counted even when the foreign writer added since
        # (the journal's runs are checked against the headers added after
        # it), and both writers stopped between their messages (exit 0
        # above), so neither holds text counted without a header.
        self.assertEqual(problems_besides_leaks(report), [], report[-3000:])
        leaked = leaked_blocks(report) if code else 0
        self.assertEqual((code, leaked), (0, 0), report[-3000:])
        stored = smbdump.dump(r.prefix)
        subjects = [m.get(smbdump.SUBJECT) for m in stored]
        counts = {}
        for s in subjects:
            counts[s] = counts.get(s, 0) + 1
        acked = [s for c in clients for s in c.acked] + [b"crash final"]
        tried = set(s for c in clients for s in c.tried) | {b"crash final"}
        for s in acked:
            self.assertEqual(counts.get(s), 1, s)
        for s in bbs.added + foreign.added:
            self.assertEqual(counts.get(s), 1, s)
        for m in stored:
            s = m.get(smbdump.SUBJECT)
            self.assertEqual(counts[s], 1, s)
            if s.startswith(b"bbs "):
                self.assertTrue(m.body.startswith(b"Written by the BBS: " + s), s)
            elif s.startswith(b"far "):                 # "far <n>.<copy>": each copy shares its text
                self.assertTrue(m.body.startswith(b"Written by the foreign BBS: " + s.rsplit(b".", 1)[0] + b"\r\n"), s)
            else:
                self.assertIn(s, tried)             # nothing the clients never sent
                self.assertEqual(m.body, text_for(s), s)
        lost_250 = len([s for s in subjects if s in tried]) - len(acked)
        print("smtp campaign: %d kills (of %d planned) in %.1f s, %d messages got 250, %d stored whose 250 was cut off, "
              "%d of %d tried never stored, %d added by the BBS writer, %d by the foreign one, %d half-visible checks, "
              "%d data blocks leaked"
              % (kills, KILLS, elapsed, len(acked), lost_250, len(tried) - len(acked) - lost_250, len(tried),
                 len(bbs.added), len(foreign.added), half_visible_checks, leaked), file=sys.stderr)


if __name__ == "__main__":
    unittest.main()
