"""End-to-end SendMail: mail submitted for an external address leaves
through the RelayServer (RELAY_TX) to a loopback SMTP sink."""
import signal
import threading
import time
import unittest

from e2e_common import ServerCase, SmtpSink
from harness import SbbsMail, read_line
import smbdump

RELAY_OPTIONS = "ALLOW_POP3 | USE_SUBMISSION_PORT | NO_HOST_LOOKUP | RELAY_TX | ALLOW_RELAY | NO_RECYCLE"
NETMSG_SENT = 0x0004


def wait_for(predicate, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    return predicate()


class DialogueSink(SmtpSink):
    """An SMTP sink that answers every command with 250 and hands each
    message text to `on_text`, which returns the final reply, or None to
    send none and wait until the sender goes away."""

    def on_text(self, text):
        return b"250 OK"

    def _session(self, conn):
        conn.settimeout(30)
        f = conn.makefile("rb")
        conn.sendall(b"220 hold.example ESMTP\r\n")
        for _ in range(100):
            cmd = f.readline().strip().upper()
            if not cmd:
                return
            if cmd == b"DATA":
                conn.sendall(b"354 go ahead\r\n")
                text = b""
                while (line := f.readline()) not in (b".\r\n", b""):
                    text += line
                reply = self.on_text(text)
                if reply is None:
                    f.read()                     # until the sender's socket goes away
                    return
                conn.sendall(reply + b"\r\n")
            elif cmd == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                return
            else:
                conn.sendall(b"250 OK\r\n")


class HoldingSink(DialogueSink):
    """Holds its reply to the end of the message text until `release` is set."""

    def __init__(self):
        self.in_data = threading.Event()
        self.release = threading.Event()
        super().__init__()

    def on_text(self, text):
        self.in_data.set()
        self.release.wait(20)
        return b"250 OK"


class FirstHoldSink(DialogueSink):
    """Records every message text; the first never gets its final reply (the
    sender dies waiting for it), later ones get 250."""

    def __init__(self):
        self.texts = []
        self.in_first_data = threading.Event()
        self.delivered = threading.Event()
        super().__init__()

    def on_text(self, text):
        self.texts.append(text)
        if len(self.texts) == 1:
            self.in_first_data.set()
            return None
        self.delivered.set()
        return b"250 OK"


class SendMailRelay(ServerCase):
    def relay_server(self, sink):
        self.addCleanup(sink.stop)
        return self.server(options=RELAY_OPTIONS, mail={"RelayPort": str(sink.port)})

    def submit(self, body, subject="outbound", to="friend@remote.example", extra=""):
        self.submit_outbound(body, subject, to=to, extra=extra)

    def test_relay_delivers_body_and_marks_sent(self):
        """SEND-6 SEND-28 SEND-80 SEND-81 SEND-84: the relay gets the message; the base shows it sent and deleted"""
        sink = SmtpSink()
        self.relay_server(sink)
        body = b"To the outside world.\r\n.a dot line\r\nGr\xc3\xbc\xc3\x9fe\r\n"
        self.submit(body)
        self.assertTrue(sink.received.wait(20), self.srv.output[-2000:])
        mail_from, rcpts, data = sink.messages[0]
        self.assertEqual(rcpts, [b"<friend@remote.example>"])
        self.assertIn(b"sysop@testbbs.example", mail_from)
        header, sent_body = data.split(b"\r\n\r\n", 1)
        self.assertIn(b"Subject: outbound", header)
        self.assertEqual(sent_body[:len(body)], body)
        self.assertIn(sent_body[len(body):], (b"", b"\r\n"))
        m = wait_for(lambda: [m for m in self.mail_base() if m.netattr & NETMSG_SENT])
        self.assertTrue(m, self.mail_base())
        self.assertTrue(m[0].attr & smbdump.ATTR_DELETE)
        self.assertTrue(self.srv.wait_output(r"Successfully sent message #\d+"), self.srv.output[-2000:])

    def test_relayed_mail_keeps_its_header(self):
        """SEND-69: relayed mail goes out with its Return-Path, the Received lines (ours included) and every original header line"""
        sink = SmtpSink()
        self.relay_server(sink)
        extra = ("Cc: Carol <carol@else.example>\r\nReply-To: <replies@testbbs.example>\r\n"
                 "X-Mailer: e2e-tester 1.0\r\nMIME-Version: 1.0\r\n"
                 "Content-Type: text/plain; charset=utf-8\r\n")
        self.submit(b"Header test.\r\n", subject="headers kept", extra=extra)
        self.assertTrue(sink.received.wait(20), self.srv.output[-2000:])
        header = sink.messages[0][2].split(b"\r\n\r\n", 1)[0]
        lines = header.split(b"\r\n")
        self.assertEqual(lines[0], b"Return-Path: <sysop@testbbs.example>")
        self.assertTrue(lines[1].startswith(b"Received: from "), lines[:3])
        self.assertIn(b"by mail.testbbs.example", header)   # the line our SMTP server added
        for want in (b"From: Alice <sysop@testbbs.example>", b"To: friend@remote.example",
                     b"Cc: Carol <carol@else.example>", b"Reply-To: <replies@testbbs.example>",
                     b"Subject: headers kept", b"X-Mailer: e2e-tester 1.0", b"MIME-Version: 1.0",
                     b"Content-Type: text/plain; charset=utf-8"):
            self.assertIn(want, lines)

    def test_no_sendmail_set_at_run_time_sends_nothing(self):
        """SEND-8: NO_SENDMAIL set while running (reload): the queued message is not sent"""
        sink = SmtpSink()
        self.relay_server(sink)
        self.srv.install.set_ini("Mail", "Options", RELAY_OPTIONS + " | NO_SENDMAIL")
        self.srv.signal(signal.SIGHUP)
        self.assertTrue(wait_for(lambda: self.srv.output.count("sbbsmail ready") >= 2))
        self.submit(b"stays queued\r\n", subject="held")
        queued = wait_for(lambda: [m for m in self.mail_base() if m.get(smbdump.SUBJECT) == b"held"])
        self.assertTrue(queued)
        self.assertFalse(sink.received.wait(5))   # a scan would have run at once (SEND-11, SEND-12)
        held = [m for m in self.mail_base() if m.get(smbdump.SUBJECT) == b"held"][0]
        self.assertFalse(held.netattr & NETMSG_SENT)
        self.assertEqual(held.delivery_attempts, 0)

    def test_delivery_takes_no_client_slot(self):
        """SEND-10: a delivery in progress does not count toward MaxClients"""
        sink = HoldingSink()
        self.addCleanup(sink.stop)
        self.server(options=RELAY_OPTIONS, mail={"RelayPort": str(sink.port), "MaxClients": "1"})
        self.addCleanup(sink.release.set)   # runs first: the delivery ends before the server stops
        self.submit(b"held at the end of data\r\n", subject="slow")
        self.assertTrue(sink.in_data.wait(20), self.srv.output[-2000:])
        with self.srv.connect("SMTPPort") as s:   # the one slot is free for a client
            self.assertTrue(read_line(s).startswith("220 "))
        sink.release.set()
        self.assertTrue(wait_for(lambda: [m for m in self.mail_base() if m.netattr & NETMSG_SENT]))

    def test_permanent_failure_bounces_to_sender(self):
        """SEND-89 SEND-91 SEND-93 SEND-96: a 5xx at end of data bounces the message to the sender's mailbox"""
        sink = SmtpSink(final="550 5.1.1 mailbox unavailable")
        self.relay_server(sink)
        self.submit(b"This will bounce.\r\n", subject="doomed")

        def bounce():
            return [m for m in self.mail_base()
                    if m.get(smbdump.RECIPIENTEXT) == b"1" and m.get(smbdump.SUBJECT) != b"doomed"]
        notices = wait_for(bounce)
        self.assertTrue(notices, (self.mail_base(), self.srv.output[-2000:]))
        text = b"".join(notices[0].all(smbdump.SMB_COMMENT)) + notices[0].body
        self.assertIn(b"550 5.1.1 mailbox unavailable", text)
        original = [m for m in self.mail_base() if m.get(smbdump.SUBJECT) == b"doomed"]
        self.assertTrue(original[0].attr & smbdump.ATTR_DELETE)

    def test_reload_restarts_sendmail_with_new_relay(self):
        """SEND-6 SEND-9: a SIGHUP reload restarts the thread on the new snapshot (new RelayPort)"""
        old, new = SmtpSink(), SmtpSink()
        self.addCleanup(new.stop)
        self.relay_server(old)
        self.srv.install.set_ini("Mail", "RelayPort", str(new.port))
        self.srv.signal(signal.SIGHUP)
        self.assertTrue(wait_for(lambda: self.srv.output.count("sbbsmail ready") >= 2))
        self.submit(b"after reload\r\n", subject="reloaded")
        self.assertTrue(new.received.wait(20), self.srv.output[-2000:])
        self.assertEqual(old.messages, [])

    def test_kill_9_during_delivery_loses_nothing(self):
        """SEND-98 ours: sbbsmail killed with SIGKILL while the relay holds the reply to DATA; after a restart the message is sent again (once more at most) and marked sent"""
        sink = FirstHoldSink()
        self.addCleanup(sink.stop)
        self.server(options=RELAY_OPTIONS, mail={"RelayPort": str(sink.port), "RescanFrequency": "2s"})
        body = b"Must not be lost.\r\n"
        self.submit(body, subject="survivor")
        self.assertTrue(sink.in_first_data.wait(20), self.srv.output[-2000:])
        self.srv.stop(sig=signal.SIGKILL)
        self.assertEqual(self.srv.proc.returncode, -signal.SIGKILL)
        queued = [m for m in self.mail_base() if m.get(smbdump.SUBJECT) == b"survivor"]
        self.assertEqual(len(queued), 1)
        self.assertFalse(queued[0].netattr & NETMSG_SENT)
        self.assertFalse(queued[0].attr & smbdump.ATTR_DELETE)
        again = SbbsMail(install=self.srv.install)
        self.addCleanup(again.stop)
        again.start()
        self.assertTrue(sink.delivered.wait(30), again.output[-2000:])
        self.assertEqual(len(sink.texts), 2)                 # the held copy and one more
        self.assertTrue(sink.texts[1].endswith(body), sink.texts[1][-200:])
        sent = wait_for(lambda: [m for m in smbdump.dump(again.install.path("data", "mail"))
                                 if m.get(smbdump.SUBJECT) == b"survivor" and m.netattr & NETMSG_SENT])
        self.assertTrue(sent, again.output[-2000:])
        self.assertTrue(again.wait_output(r"in transit when delivery was interrupted"), again.output[-2000:])
        self.assertEqual(len(sink.texts), 2)

    def test_sigterm_stops_sendmail_and_exits(self):
        """SEND-9: SIGTERM stops the SendMail thread; the server exits 0 within 2 s"""
        sink = SmtpSink()
        self.relay_server(sink)
        self.assertTrue(wait_for(lambda: "SendMail thread started" in self.srv.output, 5))
        started = time.monotonic()
        self.srv.signal(signal.SIGTERM)
        self.assertEqual(self.srv.wait_exit(5), 0)
        self.assertLess(time.monotonic() - started, 2.0)


if __name__ == "__main__":
    unittest.main()
