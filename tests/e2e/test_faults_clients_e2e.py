"""Issue #13 item 6, client faults: a flood of connection attempts against
MaxClients, slow and non-reading clients, and clients that vanish at every
step of SMTP and POP3. The server refuses as the spec says, keeps serving
well-behaved clients, stores no half message, deletes POP3 mail only after a
QUIT, and gives back every descriptor and thread."""
import os
import poplib
import smtplib
import socket
import struct
import threading
import time
import unittest

from e2e_common import ServerCase, message
from harness import eventually, read_line, run_cli, sanitized_binary, session_threads
import smbdump

ASAN = sanitized_binary()
FLOOD_ATTEMPTS = 2000 if ASAN else 10000
FLOOD_SECONDS = 25                           # the loop stops there whatever the count
FLOOD_THREADS = 6
HELD_SESSIONS = 8                            # of MaxClients 10: the flood fights over the rest

SMTP_FULL = "421 System Error: Maximum active clients reached, try again later"         # SMTP-18
POP3_FULL = "-ERR System Error: Maximum active clients reached, try again later"       # POP3-9


def proc_counts(pid):
    """(open descriptors, threads) of process `pid`."""
    fds = len(os.listdir("/proc/%d/fd" % pid))
    with open("/proc/%d/status" % pid) as f:
        threads = int(next(l for l in f if l.startswith("Threads:")).split()[1])
    return fds, threads


def first_line(sock):
    """The greeting (the server sends it alone, so one recv holds it whole)."""
    data = b""
    while not data.endswith(b"\n") and len(data) < 512:
        chunk = sock.recv(512)
        if not chunk:
            break
        data += chunk
    return data.decode("utf-8", "replace").rstrip("\r\n")


def reset_close(sock):
    """Closes with an RST, as a client that crashed or lost its link."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def baseline(srv):
    """Descriptor and thread counts of the idle server after one SMTP delivery
    and one POP3 session: the mail base handles they open stay open for the
    next ones (a writer and a few pooled readers), which is no leak."""
    s = smtplib.SMTP("127.0.0.1", srv.ports["SMTPPort"], timeout=20)
    s.sendmail("warm@example.org", ["sysop@testbbs.example"], message("warm-up", b"Warm.\r\n"))
    s.quit()
    p = poplib.POP3("127.0.0.1", srv.ports["POP3Port"], timeout=20)
    p.user("Sysop")
    p.pass_("SYSOP-PASS")
    p.retr(1)
    p.quit()
    # The sessions' threads end a moment after their last reply.
    eventually(lambda: session_threads(srv.proc.pid) == 0)
    return proc_counts(srv.proc.pid)


class LeakCase(ServerCase):
    def assert_back_to(self, srv, base):
        """Descriptors and threads come back to `base` (sessions end asynchronously)."""
        fds, threads = base
        self.assertTrue(eventually(lambda: proc_counts(srv.proc.pid)[0] <= fds and
                                   proc_counts(srv.proc.pid)[1] <= threads),
                        "fds/threads %r, before %r" % (proc_counts(srv.proc.pid), base))


class ClientFaults(LeakCase):

    def good_transaction(self, srv, subject):
        """One whole SMTP transaction; (True, None) or (False, the refusal)."""
        try:
            s = smtplib.SMTP("127.0.0.1", srv.ports["SMTPPort"], timeout=20)
        except smtplib.SMTPConnectError as e:
            return False, e.smtp_error
        try:
            s.sendmail("alice@example.org", ["sysop@testbbs.example"], message(subject, b"Served.\r\n"))
            s.quit()
            return True, None
        finally:
            s.close()

    def test_connection_flood_against_max_clients(self):
        """ISSUE13-6 SMTP-18 SMTP-14 POP3-9: 10,000 connection attempts with MaxClients=10 are each answered (220/+OK or the 421/-ERR 'Maximum active clients reached'), a well-behaved client is served meanwhile, and descriptors and threads return to their idle counts"""
        srv = self.server(mail={"MaxClients": "10", "MaxConcurrentConnections": "0", "MaxInactivity": "20s"})
        base = baseline(srv)
        held = []
        for i in range(HELD_SESSIONS):
            s = srv.connect("SMTPPort" if i % 2 else "POP3Port", timeout=10)
            held.append(s)
            self.addCleanup(s.close)
            self.assertRegex(read_line(s), r"^(220 |\+OK )")
        stop = threading.Event()
        tally = {"attempts": 0, "served": 0, "full": 0, "other": []}
        lock = threading.Lock()
        deadline = time.monotonic() + FLOOD_SECONDS

        def flood(n):
            key = "SMTPPort" if n % 2 else "POP3Port"
            while not stop.is_set() and time.monotonic() < deadline:
                with lock:
                    if tally["attempts"] >= FLOOD_ATTEMPTS:
                        return
                    tally["attempts"] += 1
                try:
                    s = srv.connect(key, timeout=10)
                    line = first_line(s)
                    reset_close(s)
                except OSError as e:
                    line = "connect: %r" % e
                with lock:
                    if line.startswith(("220 ", "+OK ")):
                        tally["served"] += 1
                    elif line in (SMTP_FULL, POP3_FULL):
                        tally["full"] += 1
                    elif len(tally["other"]) < 10:
                        tally["other"].append(line)

        threads = [threading.Thread(target=flood, args=(n,)) for n in range(FLOOD_THREADS)]
        for t in threads:
            t.start()
        delivered = 0
        try:
            while any(t.is_alive() for t in threads):   # the well-behaved client, meanwhile
                ok, _ = self.good_transaction(srv, "during the flood %d" % delivered)
                delivered += ok
        finally:
            stop.set()
            for t in threads:
                t.join(FLOOD_SECONDS + 30)
        self.assertEqual(tally["other"], [])
        self.assertEqual(tally["served"] + tally["full"], tally["attempts"])
        self.assertGreater(tally["full"], 0)
        self.assertGreater(delivered, 0)
        print("\n  flood: %(attempts)d attempts, %(served)d served, %(full)d refused" % tally,
              "- %d messages delivered meanwhile" % delivered)
        for s in held:
            self.assertEqual(s.send(b"QUIT\r\n"), 6)
            s.close()
        self.assert_back_to(srv, base)
        self.assertTrue(self.good_transaction(srv, "after the flood")[0])
        self.assertIsNone(srv.proc.poll())

    def test_slow_drip_client_served_and_others_meanwhile(self):
        """ISSUE13-6 SMTP-39: a client sending one byte every 50 ms (each wait under MaxInactivity) completes its transaction, and another client is served while it drips"""
        srv = self.server(mail={"MaxInactivity": "2s"})
        s = srv.connect("SMTPPort", timeout=20)
        self.addCleanup(s.close)
        self.assertTrue(read_line(s).startswith("220 "))
        script = [b"HELO slow.example\r\n", b"MAIL FROM:<slow@example.org>\r\n",
                  b"RCPT TO:<sysop@testbbs.example>\r\n", b"DATA\r\n",
                  message("dripped", b"One byte at a time.\r\n", sender="slow@example.org") + b".\r\n",
                  b"QUIT\r\n"]
        replies = []
        for i, command in enumerate(script):
            for b in command:
                s.send(bytes([b]))
                time.sleep(0.05 if len(command) < 100 else 0.002)
            if i == 1:                                   # a second client, served mid-drip
                self.assertTrue(self.good_transaction(srv, "while dripping")[0])
            replies.append(read_line(s)[:3])
        self.assertEqual(replies, ["250", "250", "250", "354", "250", "221"])
        subjects = [m.get(smbdump.SUBJECT) for m in self.mail_base()]
        self.assertEqual(sorted(subjects), [b"dripped", b"while dripping"])

    def test_silent_and_non_reading_clients_are_cut_off(self):
        """ISSUE13-6 SMTP-39 POP3-22: a silent client is dropped after MaxInactivity; a POP3 client that RETRs without reading (send buffer full) is dropped once a write waits MaxInactivity; its slot comes back and its DELE is not applied"""
        srv = self.server(mail={"MaxInactivity": "2s", "MaxClients": "2", "MaxMsgSize": "30M"})
        s = self.smtp()
        s.ehlo("client.example.org")
        big = (b"x" * 76 + b"\r\n") * 40000                    # ~3 MB: more than the socket buffers hold
        s.sendmail("alice@example.org", ["sysop@testbbs.example"], message("big", big))
        s.quit()
        base = baseline(srv)
        silent = srv.connect("SMTPPort", timeout=20)
        self.addCleanup(silent.close)
        self.assertTrue(read_line(silent).startswith("220 "))
        stuck = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.addCleanup(stuck.close)
        stuck.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        stuck.settimeout(20)
        stuck.connect(("127.0.0.1", srv.ports["POP3Port"]))
        self.assertTrue(read_line(stuck).startswith("+OK"))
        stuck.sendall(b"USER Sysop\r\n")
        read_line(stuck)
        stuck.sendall(b"PASS SYSOP-PASS\r\n")
        self.assertTrue(read_line(stuck).startswith("+OK"))
        # message 2 is the warm-up; the RETRs pile up more than any socket buffer holds
        stuck.sendall(b"DELE 2\r\n" + b"RETR 1\r\n" * 8 + b"QUIT\r\n")     # and never reads again
        self.assertTrue(srv.wait_output(r"TIMEOUT in sock_recvbyte", timeout=20), srv.output[-2000:])
        self.assertTrue(eventually(lambda: self.good_transaction(srv, "slot back")[0]))
        self.assert_back_to(srv, (base[0] + 1, base[1] + 1))   # the stuck client's own fd may linger until it reads
        stuck.close()
        self.assert_back_to(srv, base)
        live = [m.get(smbdump.SUBJECT) for m in self.mail_base() if not m.attr & smbdump.ATTR_DELETE]
        self.assertEqual(sorted(live), [b"big", b"slot back", b"warm-up"])


class AbruptDisconnects(LeakCase):
    def live(self):
        return [m.get(smbdump.SUBJECT) for m in self.mail_base() if not m.attr & smbdump.ATTR_DELETE]

    SMTP_STEPS = [
        ("after connect", []),
        ("after EHLO", [b"EHLO gone.example\r\n"]),
        ("after MAIL", [b"EHLO gone.example\r\n", b"MAIL FROM:<gone@example.org>\r\n"]),
        ("after RCPT", [b"EHLO gone.example\r\n", b"MAIL FROM:<gone@example.org>\r\n",
                        b"RCPT TO:<sysop@testbbs.example>\r\n"]),
        ("after DATA", [b"EHLO gone.example\r\n", b"MAIL FROM:<gone@example.org>\r\n",
                        b"RCPT TO:<sysop@testbbs.example>\r\n", b"DATA\r\n"]),
    ]

    def smtp_steps(self, srv, close):
        """Each step twice: with a FIN and with an RST."""
        for name, commands in self.SMTP_STEPS:
            s = srv.connect("SMTPPort", timeout=10)
            read_line(s)
            for c in commands:
                s.sendall(c)
                read_line(s)
            close(s)
        # mid-data: header and half a body, no end
        s = self.open_data(srv)
        s.sendall(message("half message", b"first half\r\n"))
        close(s)
        # after the dot, before the reply: either stored whole or not at all
        s = self.open_data(srv)
        s.sendall(message("dot then gone", b"whole\r\n") + b".\r\n")
        close(s)

    def open_data(self, srv):
        s = srv.connect("SMTPPort", timeout=10)
        read_line(s)
        for c in (b"EHLO gone.example\r\n", b"MAIL FROM:<gone@example.org>\r\n",
                  b"RCPT TO:<sysop@testbbs.example>\r\n", b"DATA\r\n"):
            s.sendall(c)
            while True:
                line = read_line(s)
                if line[3:4] != "-":
                    break
        self.assertTrue(line.startswith("354"), line)
        return s

    def test_smtp_disconnect_at_every_step(self):
        """ISSUE13-6 SMTP-208 SMTP-164: a client vanishing (FIN or RST) after connect, EHLO, MAIL, RCPT, DATA, mid-data and after the final dot leaves no half message, a clean base, a running server and no leaked descriptor or thread"""
        srv = self.server()
        base = baseline(srv)
        for close in (socket.socket.close, reset_close):
            self.smtp_steps(srv, close)
        self.assert_back_to(srv, base)
        s = self.smtp()
        s.sendmail("alice@example.org", ["sysop@testbbs.example"], message("still served", b"Yes.\r\n"))
        s.quit()
        msgs = self.mail_base()
        subjects = [m.get(smbdump.SUBJECT) for m in msgs]
        self.assertNotIn(b"half message", subjects)
        self.assertLessEqual(subjects.count(b"dot then gone"), 2)
        for m in msgs:
            if m.get(smbdump.SUBJECT) == b"dot then gone":
                self.assertEqual(m.body, b"whole\r\n")
        self.assertEqual(subjects.count(b"still served"), 1)
        check = run_cli(["--check-base", srv.install.path("data", "mail")])
        self.assertEqual(check.returncode, 0, check.stdout)

    def test_pop3_disconnect_at_every_step(self):
        """ISSUE13-6 POP3-104 POP3-63: a POP3 client vanishing after USER, after PASS, mid-RETR, after DELE or with half a QUIT deletes nothing; a QUIT the server read whole deletes all marked or none; no leak"""
        srv = self.server(mail={"MaxMsgSize": "30M"})
        s = self.smtp()
        big = (b"y" * 76 + b"\r\n") * 20000                    # ~1.5 MB, so RETR is cut in the middle
        for i in range(3):
            s.sendmail("alice@example.org", ["sysop@testbbs.example"], message("pop %d" % i, big))
        s.quit()
        base = baseline(srv)

        def session(commands, close):
            p = srv.connect("POP3Port", timeout=10)
            read_line(p)
            for c in commands:
                p.sendall(c)
                if c.startswith(b"RETR"):
                    p.recv(65536)                                # some of the text, not all
                elif not c.endswith(b"\n"):
                    pass                                        # half a command: no reply to wait for
                else:
                    read_line(p)
            close(p)
            self.assert_back_to(srv, base)       # the session is over: its mailbox lock is free

        login = [b"USER Sysop\r\n", b"PASS SYSOP-PASS\r\n"]
        for close in (socket.socket.close, reset_close):
            session([b"USER Sysop\r\n"], close)
            session(login, close)
            session(login + [b"RETR 1\r\n"], close)
            session(login + [b"DELE 1\r\n", b"DELE 2\r\n"], close)
            session(login + [b"DELE 1\r\n", b"QU"], close)
        self.assertEqual(sorted(self.live()), [b"pop 0", b"pop 1", b"pop 2", b"warm-up"])
        # a whole QUIT the client does not wait for: the server applies it all or not at all
        session(login + [b"DELE 3\r\n"], lambda p: (p.sendall(b"QUIT\r\n"), reset_close(p)))
        live = sorted(self.live())
        self.assertIn(live, ([b"pop 0", b"pop 1", b"warm-up"], [b"pop 0", b"pop 1", b"pop 2", b"warm-up"]))
        self.assert_back_to(srv, base)
        p = poplib.POP3("127.0.0.1", srv.ports["POP3Port"], timeout=10)
        self.addCleanup(p.close)
        p.user("Sysop")
        p.pass_("SYSOP-PASS")
        self.assertEqual(p.stat()[0], len(live))
        p.quit()
        check = run_cli(["--check-base", srv.install.path("data", "mail")])
        self.assertEqual(check.returncode, 0, check.stdout)


if __name__ == "__main__":
    unittest.main()
