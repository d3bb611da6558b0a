"""POP3 readers for bench/mixed: N threads, each repeating a session on one
shared mailbox (connect, USER/PASS, STAT, RETR+DELE of up to PER_SESSION of
its share of the messages, QUIT) until told to stop or bounded by count.

Login latency is connect -> the +OK after PASS; QUIT latency is QUIT -> its
+OK (the server commits the DELEs there). Login wait is from the reader's
first attempt (after its previous session) to the +OK after PASS, [IN-USE]
refusals and retries included: a server that makes the login wait for the
other session's lock (Dovecot's pop3_lock_session) and one that refuses it
at once (sbbsmail) compare on this one. Every session's two latencies are
kept so p50/p99 come from all sessions. A RETR answered -ERR is a message
another reader deleted first (deletions commit at QUIT) and is not counted.
A login refused with [IN-USE] (one session per mailbox, as both servers are
configured) is counted apart, not as an error, and retried after a pause.
"""
import math
import socket
import threading
import time


class Pop3Session:
    """One POP3 connection, line- and dot-terminated reads over a raw socket."""

    def __init__(self, port, timeout):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def close(self):
        self.sock.close()

    def _fill(self):
        data = self.sock.recv(262144)
        if not data:
            raise ConnectionError("connection closed by the server")
        self.buf += data

    def line(self):
        while b"\r\n" not in self.buf:
            self._fill()
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def command(self, text):
        self.sock.sendall(text.encode() + b"\r\n")
        return self.line()

    def multiline(self):
        """The text after a +OK status up to the terminating dot, dot-stuffing undone."""
        while True:
            end = self.buf.find(b"\r\n.\r\n")
            if end >= 0 or self.buf.startswith(b".\r\n"):
                break
            self._fill()
        if self.buf.startswith(b".\r\n"):
            text, self.buf = b"", self.buf[3:]
        else:
            text, self.buf = self.buf[:end + 2], self.buf[end + 5:]
        return text.replace(b"\r\n..", b"\r\n.")


class Readers:
    """The reader threads and what they measured."""

    def __init__(self, port, user, password, count, per_session, max_sessions, timeout=30):
        self.port, self.user, self.password = port, user, password
        self.count, self.per_session, self.max_sessions = count, per_session, max_sessions
        self.timeout = timeout
        self.stop_flag = threading.Event()
        self.lock = threading.Lock()
        self.login_ms, self.quit_ms, self.wait_ms = [], [], []
        self.retrieved = self.octets = self.gone = self.sessions = self.in_use = 0
        self.errors = []
        self.threads = []

    def start(self):
        for r in range(self.count):
            t = threading.Thread(target=self._loop, args=(r,), daemon=True)
            t.start()
            self.threads.append(t)

    def stop(self, join_timeout):
        self.stop_flag.set()
        deadline = time.monotonic() + join_timeout
        for t in self.threads:
            t.join(max(0.1, deadline - time.monotonic()))
        return not any(t.is_alive() for t in self.threads)

    def _loop(self, reader):
        first_try = time.monotonic()
        for _ in range(self.max_sessions):
            if self.stop_flag.is_set():
                return
            try:
                if self._session(reader, first_try):
                    first_try = time.monotonic()
                else:
                    with self.lock:
                        self.in_use += 1
                    time.sleep(0.01)  # another reader holds the mailbox
            except (OSError, ConnectionError, RuntimeError) as e:
                with self.lock:
                    self.errors.append("reader %d: %s" % (reader, e))
                time.sleep(0.05)  # a refused session is not retried in a tight loop

    def _session(self, reader, first_try):
        t0 = time.monotonic()
        s = Pop3Session(self.port, self.timeout)
        try:
            _expect_ok(s.line(), "greeting")
            _expect_ok(s.command("USER " + self.user), "USER")
            status = s.command("PASS " + self.password)
            if status.startswith(b"-ERR") and b"IN-USE" in status.upper():
                return False
            _expect_ok(status, "PASS")
            login = (time.monotonic() - t0) * 1000.0
            waited = (time.monotonic() - first_try) * 1000.0
            count = int(_expect_ok(s.command("STAT"), "STAT").split()[1])
            got, octets, gone = self._take(s, reader, count)
            t1 = time.monotonic()
            _expect_ok(s.command("QUIT"), "QUIT")
            quit_ms = (time.monotonic() - t1) * 1000.0
        finally:
            s.close()
        with self.lock:
            self.login_ms.append(login)
            self.wait_ms.append(waited)
            self.quit_ms.append(quit_ms)
            self.retrieved += got
            self.octets += octets
            self.gone += gone
            self.sessions += 1
        return True

    def _take(self, s, reader, count):
        """RETR and DELE this reader's share: messages reader+1, reader+1+N, ..."""
        got = octets = gone = 0
        for n in range(reader + 1, count + 1, self.count):
            if got >= self.per_session:
                break
            status = s.command("RETR %d" % n)
            if not status.startswith(b"+OK"):
                gone += 1
                continue
            octets += len(s.multiline())
            got += 1
            _expect_ok(s.command("DELE %d" % n), "DELE")
        return got, octets, gone


def _expect_ok(line, what):
    if not line.startswith(b"+OK"):
        raise RuntimeError("%s: %s" % (what, line[:120].decode("latin-1")))
    return line.decode("latin-1")


def percentile(values, p):
    """The p-th percentile (nearest rank) of values, or None."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100.0 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]
