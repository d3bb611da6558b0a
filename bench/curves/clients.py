"""The small loopback clients the cost-curves bench times: one SMTP session
sending messages of a given size, one POP3 session timed phase by phase
(login, STAT, LIST), a full RETR of a mailbox, and N sessions held open
(idle, or in the middle of work) while the server's memory is read.
Every socket has a timeout; every loop is bounded by its count."""
import socket
import time

TIMEOUT = 60


def message(size, i, to):
    """A message of about `size` bytes (CRLF lines, no line starting with '.')."""
    head = ("From: Curves <curves@client.example>\r\nTo: %s\r\nSubject: curve %d\r\n"
            "Message-ID: <curve-%d-%d@client.example>\r\n\r\n" % (to, i, size, i))
    line = "The quick brown fox jumps over the lazy dog, again and again. %06d\r\n" % i
    return head + line * max(1, (size - len(head)) // len(line))


class Lines:
    """A line reader over a socket (the replies, not the bodies, are small)."""

    def __init__(self, sock):
        self.sock, self.buf = sock, b""

    def line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(262144)
            if not chunk:
                raise ConnectionError("server closed the connection")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line.decode("latin-1")

    def reply(self):
        """A whole SMTP reply (continuation lines joined); its last line."""
        line = self.line()
        while len(line) > 3 and line[3] == "-":
            line = self.line()
        return line

    def until_dot(self):
        """A POP3 multi-line body up to the terminating '.'; its octets."""
        octets = 0
        while True:
            end = self.buf.find(b"\r\n.\r\n")
            if end >= 0 or self.buf.startswith(b".\r\n"):
                cut = 3 if self.buf.startswith(b".\r\n") else end + 5
                octets += cut
                self.buf = self.buf[cut:]
                return octets
            keep = max(0, len(self.buf) - 4)
            octets += keep
            self.buf = self.buf[keep:]
            chunk = self.sock.recv(262144)
            if not chunk:
                raise ConnectionError("server closed the connection")
            self.buf += chunk


def _expect(reply, prefix, what):
    if not reply.startswith(prefix):
        raise RuntimeError("%s: %s" % (what, reply[:120]))
    return reply


def smtp_send_timed(port, to, size, count):
    """One session; `count` messages of `size` bytes; seconds from DATA's text
    to its 250 for each (the accept time: storage included)."""
    times = []
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
        r = Lines(s)
        _expect(r.reply(), "220", "greeting")
        s.sendall(b"EHLO client.example\r\n")
        _expect(r.reply(), "250", "EHLO")
        for i in range(count):
            body = message(size, i, to).encode()
            s.sendall(b"MAIL FROM:<curves@client.example>\r\nRCPT TO:<%s>\r\nDATA\r\n" % to.encode())
            _expect(r.reply(), "250", "MAIL")
            _expect(r.reply(), "250", "RCPT")
            _expect(r.reply(), "354", "DATA")
            t0 = time.monotonic()
            s.sendall(body + b".\r\n")
            _expect(r.reply(), "250", "end of DATA")
            times.append(time.monotonic() - t0)
        s.sendall(b"QUIT\r\n")
    return times


def pop3_session_timed(port, user, password):
    """{login, stat, list: seconds; messages: STAT's count} of one session."""
    t0 = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
        r = Lines(s)
        _expect(r.line(), "+OK", "greeting")
        s.sendall(b"USER %s\r\n" % user.encode())
        _expect(r.line(), "+OK", "USER")
        s.sendall(b"PASS %s\r\n" % password.encode())
        _expect(r.line(), "+OK", "PASS")
        t1 = time.monotonic()
        s.sendall(b"STAT\r\n")
        count = int(_expect(r.line(), "+OK", "STAT").split()[1])
        t2 = time.monotonic()
        s.sendall(b"LIST\r\n")
        _expect(r.line(), "+OK", "LIST")
        r.until_dot()
        t3 = time.monotonic()
        s.sendall(b"QUIT\r\n")
        _expect(r.line(), "+OK", "QUIT")
    return {"login": t1 - t0, "stat": t2 - t1, "list": t3 - t2, "messages": count}


def pop3_retrieve_all(port, user, password):
    """RETRs every message of the mailbox in one session; their count."""
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
        r = Lines(s)
        _expect(r.line(), "+OK", "greeting")
        s.sendall(b"USER %s\r\nPASS %s\r\nSTAT\r\n" % (user.encode(), password.encode()))
        _expect(r.line(), "+OK", "USER")
        _expect(r.line(), "+OK", "PASS")
        count = int(_expect(r.line(), "+OK", "STAT").split()[1])
        for n in range(1, count + 1):
            s.sendall(b"RETR %d\r\n" % n)
            _expect(r.line(), "+OK", "RETR")
            r.until_dot()
        s.sendall(b"QUIT\r\n")
        _expect(r.line(), "+OK", "QUIT")
    return count


def hold_sessions(port, count, mode, users=(), password=None, to=None):
    """Opens `count` sessions and leaves them open: 'idle' (greeting read),
    'smtp' (in DATA, 64 KiB of text sent, no end), 'pop3' (logged in as
    users[i], one mailbox per session as a POP3 server locks it; STAT and
    LIST done). Returns the sockets; the caller closes them."""
    socks = []
    try:
        for i in range(count):
            s = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
            socks.append(s)
            r = Lines(s)
            greeting = r.reply() if mode != "pop3" else r.line()
            if mode == "smtp":
                _expect(greeting, "220", "greeting")
                s.sendall(b"EHLO client.example\r\nMAIL FROM:<curves@client.example>\r\n"
                          b"RCPT TO:<%s>\r\nDATA\r\n" % to.encode())
                for what, code in (("EHLO", "250"), ("MAIL", "250"), ("RCPT", "250"), ("DATA", "354")):
                    _expect(r.reply(), code, what)
                s.sendall(message(65536, i, to).encode())
            elif mode == "pop3":
                _expect(greeting, "+OK", "greeting")
                s.sendall(b"USER %s\r\nPASS %s\r\nSTAT\r\nLIST\r\n" % (users[i].encode(), password.encode()))
                for what in ("USER", "PASS", "STAT", "LIST"):
                    _expect(r.line(), "+OK", what)
                r.until_dot()
            elif not greeting[:1] in ("2", "+"):
                raise RuntimeError("greeting: " + greeting[:120])
    except Exception:
        close_all(socks)
        raise
    return socks


def close_all(socks):
    for s in socks:
        try:
            s.close()
        except OSError:
            pass
