"""SEC-5 end to end: a hostile RelayServer on loopback can neither grow
sbbsmail's memory with an endless EHLO reply nor keep SIGTERM from stopping
it by stalling after 354."""
import signal
import threading
import time
import unittest

from e2e_common import ServerCase, SmtpSink
from test_sendmail_e2e import RELAY_OPTIONS, NETMSG_SENT
import smbdump

NETMSG_INTRANSIT = 0x0002
ENDLESS_LIMIT = 256 * 2**20     # the most the endless relay sends, if nobody hangs up
BIG_TEXT = 12 * 2**20           # far more than loopback socket buffers hold


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class EndlessEhloRelay(SmtpSink):
    """Greets, then answers EHLO with 250- continuation lines and never a
    final one, until the client hangs up (or ENDLESS_LIMIT / 30 s)."""

    def __init__(self):
        self.sent = 0
        self.ehlo_seen = threading.Event()
        self.hung_up = threading.Event()
        self.peak_rss = 0
        self.pid = None
        super().__init__()

    def _session(self, conn):
        conn.settimeout(10)
        conn.sendall(b"220 endless.example ESMTP\r\n")
        if not conn.makefile("rb").readline().upper().startswith((b"EHLO", b"HELO")):
            return
        self.ehlo_seen.set()
        chunk = b"".join(b"250-PADDING-%06d-%s\r\n" % (i, b"x" * 40) for i in range(1000))
        deadline = time.monotonic() + 30
        try:
            while self.sent < ENDLESS_LIMIT and time.monotonic() < deadline:
                conn.sendall(chunk)
                self.sent += len(chunk)
                if self.pid:
                    self.peak_rss = max(self.peak_rss, rss_kib(self.pid))
        except OSError:
            self.hung_up.set()


class StallAfterDataRelay(SmtpSink):
    """Answers every command with 250 and DATA with 354, then reads nothing
    more until released."""

    def __init__(self):
        self.stalled = threading.Event()
        self.release = threading.Event()
        super().__init__()

    def stop(self):
        self.release.set()
        super().stop()

    def _session(self, conn):
        conn.settimeout(30)
        f = conn.makefile("rb")
        conn.sendall(b"220 stall.example ESMTP\r\n")
        for _ in range(20):
            cmd = f.readline().strip().upper()
            if not cmd:
                return
            if cmd == b"DATA":
                conn.sendall(b"354 go ahead\r\n")
                self.stalled.set()
                self.release.wait(60)
                return
            conn.sendall(b"250 OK\r\n")


class HostileRelay(ServerCase):
    def relay_server(self, sink):
        self.addCleanup(sink.stop)
        return self.server(options=RELAY_OPTIONS, mail={"RelayPort": str(sink.port), "MaxMsgSize": "32M"})

    def submit(self, body, subject):
        self.submit_outbound(body, subject, timeout=60)

    def queued(self, subject):
        return [m for m in self.mail_base() if m.get(smbdump.SUBJECT) == subject.encode()]

    def test_endless_ehlo_reply_is_cut_off_and_retried(self):
        """SEC-5 SEND-60: an EHLO reply without end is cut off after 100 lines / 64 KiB: the relay is hung up on almost at once, sbbsmail's memory stays bounded and the delivery fails for a later retry"""
        relay = EndlessEhloRelay()
        self.relay_server(relay)
        relay.pid = self.srv.proc.pid
        before = rss_kib(self.srv.proc.pid)
        self.submit(b"Hello through a hostile relay.\r\n", "endless")
        self.assertTrue(relay.ehlo_seen.wait(20), self.srv.output[-2000:])
        self.assertTrue(self.srv.wait_output(r"!Delivery attempt #1 FAILED", 40), self.srv.output[-2000:])
        self.assertTrue(relay.hung_up.wait(10), "the relay sent %d bytes without being hung up on" % relay.sent)
        self.assertLess(relay.sent, 16 * 2**20)
        self.assertLess(max(relay.peak_rss, rss_kib(self.srv.proc.pid)) - before, 64 * 1024)
        self.assertIn("!REPLY TOO LONG", self.srv.output)
        msgs = self.queued("endless")
        self.assertEqual(len(msgs), 1)
        self.assertEqual(msgs[0].delivery_attempts, 1)
        self.assertFalse(msgs[0].attr & smbdump.ATTR_DELETE)
        self.assertFalse(msgs[0].netattr & NETMSG_SENT)

    def test_sigterm_interrupts_a_relay_stalled_after_354(self):
        """SEC-5 SEND-9: with the relay reading nothing after 354, SIGTERM still stops sbbsmail within seconds; the message stays queued with no attempt counted"""
        relay = StallAfterDataRelay()
        self.relay_server(relay)
        line = b"y" * 998 + b"\r\n"
        self.submit(line * (BIG_TEXT // len(line)), "stalled")
        self.assertTrue(relay.stalled.wait(30), self.srv.output[-2000:])
        time.sleep(1)                                # the sender is now blocked on the full socket
        started = time.monotonic()
        self.srv.signal(signal.SIGTERM)
        code = self.srv.wait_exit(10)
        relay.release.set()                          # frees an sbbsmail that did not stop
        self.assertEqual(code, 0, self.srv.output[-2000:])
        self.assertLess(time.monotonic() - started, 5.0)
        msgs = self.queued("stalled")
        self.assertEqual(len(msgs), 1)
        self.assertFalse(msgs[0].netattr & (NETMSG_SENT | NETMSG_INTRANSIT))
        self.assertEqual(msgs[0].delivery_attempts, 0)


if __name__ == "__main__":
    unittest.main()
