"""Crash campaign, SendMail (issue #13 item 5): sbbsmail SIGKILLed during
deliveries to a loopback relay, alternately while the relay holds its reply
to the message text and right after it has answered 250. Every queued
message reaches the relay at least once and at most twice, and ends marked
sent in a clean base."""
import smtplib
import sys
import threading
import time
import unittest

from crash_campaign import CAMPAIGN_CAP_S, MIN_KILLS, SANITIZED, Restartable, text_for
from e2e_common import SmtpSink, message
import smbdump

# 30 kills (12 under ASan, where each start costs about three times as much).
KILLS = 12 if SANITIZED else 30
QUEUED = 20
NETMSG_SENT = 0x0004
QUEUE_OPTIONS = "USE_SUBMISSION_PORT | NO_HOST_LOOKUP | NO_RECYCLE | NO_SENDMAIL"
RELAY_OPTIONS = "USE_SUBMISSION_PORT | NO_HOST_LOOKUP | RELAY_TX | ALLOW_RELAY | NO_RECYCLE"


class CampaignRelay(SmtpSink):
    """Records every message it accepts (by Subject). Armed with "hold", it
    never answers the next message text; with "after", it answers 250 to the
    next message it has not had before and then waits. Either way `fired` is
    set and the session goes on only when the sender is gone, so one kill
    hits exactly one delivery (DeliveryThreads = 1)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.accepted = {}
        self.mode = None
        self.fired = threading.Event()
        super().__init__()

    def arm(self, mode):
        with self.lock:
            self.mode = mode
            self.fired.clear()

    session_timeout = 30

    def answer_text(self, conn, f, mail_from, rcpts, data):
        subject = [l[9:] for l in data.split(b"\r\n") if l.startswith(b"Subject: ")][0]
        with self.lock:
            mode = self.mode
            if mode == "hold" or (mode == "after" and subject not in self.accepted):
                self.mode = None
            if mode != "hold":
                self.accepted[subject] = self.accepted.get(subject, 0) + 1
        if mode == "hold":
            self.fired.set()
            f.read()                           # no reply: wait for the sender to die
            return False
        conn.sendall(b"250 OK\r\n")
        if mode == "after" and self.mode is None and self.accepted[subject] == 1:
            self.fired.set()
            f.read()                           # then wait for the sender to die
            return False
        return True


class SendMailCrashCampaign(unittest.TestCase):
    def sent_subjects(self, r):
        return {m.get(smbdump.SUBJECT) for m in smbdump.dump(r.prefix) if m.netattr & NETMSG_SENT}

    def test_sendmail_kill_9_campaign_loses_nothing(self):
        """ISSUE13-5 SEND-19 SEND-98: 30 SIGKILLs (12 under ASan) during deliveries, half while the relay holds its reply, half right after its 250: every message delivered once or twice, all marked sent, base clean"""
        relay = CampaignRelay()
        self.addCleanup(relay.stop)
        r = Restartable(self, QUEUE_OPTIONS, {"RelayPort": str(relay.port), "DeliveryThreads": "1",
                                              "RescanFrequency": "1s"})
        r.start()
        subjects = [b"outbound %d" % n for n in range(QUEUED)]
        s = smtplib.SMTP("127.0.0.1", r.ports["SubmissionPort"], timeout=20)
        s.ehlo("client.example.org")
        s.user, s.password = "Sysop", "SYSOP-PASS"
        self.assertEqual(s.auth("PLAIN", s.auth_plain)[0], 235)
        for subject in subjects:
            s.sendmail("sysop@testbbs.example", ["friend@remote.example"],
                       message(subject.decode(), text_for(subject), sender="sysop@testbbs.example",
                               to="friend@remote.example"))
        s.quit()
        self.assertEqual(r.stop(), 0)
        r.settings["Options"] = RELAY_OPTIONS
        started = time.monotonic()
        kills, unfired = 0, 0
        while kills < KILLS and time.monotonic() - started < CAMPAIGN_CAP_S:
            relay.arm("hold" if kills % 2 == 0 else "after")
            r.start()
            if not relay.fired.wait(15):
                unfired += 1                       # nothing left to deliver that could fire
            r.kill()
            kills += 1
        relay.arm(None)
        r.start()
        deadline = time.monotonic() + 60
        while self.sent_subjects(r) != set(subjects) and time.monotonic() < deadline:
            time.sleep(0.2)
        self.assertEqual(r.stop(), 0)
        self.assertGreaterEqual(kills, MIN_KILLS, "only %d kills within the %d s bound" % (kills, CAMPAIGN_CAP_S))
        self.assertEqual(self.sent_subjects(r), set(subjects), r.srv.output[-3000:])
        for subject in subjects:
            self.assertIn(relay.accepted.get(subject, 0), (1, 2), subject)
        self.assertEqual(set(relay.accepted), set(subjects))
        code, report = r.check_base()
        self.assertEqual(code, 0, report)
        print("sendmail campaign: %d kills of %d planned (%d found nothing to interrupt), %d messages, %d delivered twice"
              % (kills, KILLS, unfired, len(subjects), sum(1 for n in relay.accepted.values() if n == 2)), file=sys.stderr)


if __name__ == "__main__":
    unittest.main()
