"""End-to-end CHUNKING (RFC 3030) and LIMITS (RFC 9422) against the real
binary: BDAT by hand over real sockets (smtplib has no BDAT; this swaks has
none either), on every port, pipelined, with every sequence error and
MaxMsgSize across chunks; the stored result read back with our SMB reader
and compared with what DATA stores for the same text."""
import os
import smtplib
import socket
import unittest

from e2e_common import LOCAL_ONLY, ServerCase, unverified_context
from harness import is_closed, read_line, sanitized_binary
import smbdump

ENVELOPE = b"MAIL FROM:<alice@example.org>\r\nRCPT TO:<sysop@testbbs.example>\r\n"
MIB = 1024 * 1024


def bdat(text, size=None, last=True):
    """`text` as BDAT chunks of `size` bytes, the last one LAST unless `last` is false."""
    size = size or max(len(text), 1)
    out = b""
    for pos in range(0, max(len(text), 1), size):
        part = text[pos:pos + size]
        flag = b" LAST" if last and pos + size >= len(text) else b""
        out += b"BDAT %d%s\r\n" % (len(part), flag) + part
    return out


def data(text):
    """`text` as DATA carries it: dot-stuffed, ended by CR LF . CR LF."""
    if not text.endswith(b"\n"):
        text += b"\r\n"
    stuffed = b"\n".join(b"." + l if l.startswith(b".") else l for l in text.split(b"\n"))
    return b"DATA\r\n" + stuffed + b".\r\n"


def replies(sock, n):
    """The next `n` complete replies (continuation lines skipped)."""
    out = []
    while len(out) < n:
        line = read_line(sock)
        if not line:
            break
        if line[3:4] != "-":
            out.append(line.rstrip("\r\n"))
    return out


def peak_rss(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


SENDERPORT, SENDERTIME = 0x0B, 0x0D


def stored(m):
    """A stored message's fields and body, less what names the connection:
    the client's port, the second of arrival (also in Received:)."""
    fields = [(t, v.rsplit(b";", 1)[0] if t == smbdump.SMTPRECEIVED else v) for t, v in m.fields
              if t not in (SENDERPORT, SENDERTIME)]
    return fields, m.body


class Chunking(ServerCase):
    def session(self, wire, n):
        """One port-25 session: greeting, then `wire` in one write, `n` replies back."""
        with self.srv.connect("SMTPPort") as s:
            self.assertTrue(read_line(s).startswith("220"))
            s.sendall(b"EHLO client.example.org\r\n" + wire)
            got = replies(s, n + 1)[1:]
            return got

    def test_every_port_offers_chunking_and_limits(self):
        """RFC3030-1 RFC3030-3 RFC9422-1 SMTP-60: CHUNKING, BINARYMIME and LIMITS RCPTMAX=<MaxRecipients> on 25, 587 (before and after STARTTLS) and 465; no MAILMAX"""
        srv = self.server(mail={"MaxRecipients": "42"})
        s = self.smtp()
        s.ehlo("client.example.org")
        sessions = [s]
        sub = self.smtp("SubmissionPort")
        sub.ehlo("client.example.org")
        sessions.append(sub)
        tls_sub = self.smtp("SubmissionPort")
        tls_sub.ehlo("client.example.org")
        tls_sub.starttls(context=unverified_context())
        tls_sub.ehlo("client.example.org")
        sessions.append(tls_sub)
        smtps = smtplib.SMTP_SSL("127.0.0.1", srv.ports["TLSSubmissionPort"], timeout=10, context=unverified_context())
        self.addCleanup(smtps.close)
        smtps.ehlo("client.example.org")
        sessions.append(smtps)
        for c in sessions:
            self.assertTrue(c.has_extn("chunking"), c.esmtp_features)
            self.assertTrue(c.has_extn("binarymime"), c.esmtp_features)
            self.assertEqual(c.esmtp_features.get("limits"), "RCPTMAX=42")

    def test_bdat_stores_what_data_stores(self):
        """RFC3030-2 SMTP-164 SEC-2: BDAT in chunks of 1, 5, 100 bytes or one chunk stores the same fields and body as DATA for the same text"""
        self.server()
        head = (b"From: Alice <alice@example.org>\r\nTo: sysop@testbbs.example\r\nMessage-ID: <%d@example.org>\r\n"
                b"Subject: chunks\r\n\r\n")
        bodies = [b"plain\r\n", b".dot\r\n..two\r\n.\r\nend\r\n", b"bare LF\nlone CR\rhere\r\r\n",
                  b"no final line end", b"Gr\xc3\xbc\xc3\x9fe\r\n"]
        for i, body in enumerate(bodies):
            text = head % i + body
            self.assertEqual(self.session(ENVELOPE + data(text) + b"QUIT\r\n", 5)[-2][:3], "250")
            for size in (1, 5, 100, None):
                wire = ENVELOPE + bdat(text, size) + b"QUIT\r\n"
                chunks = wire.count(b"BDAT ")
                got = self.session(wire, 3 + chunks)
                self.assertEqual([r[:3] for r in got], ["250"] * (2 + chunks) + ["221"], (body, size, got))
        msgs = self.mail_base()
        self.assertEqual(len(msgs), 5 * len(bodies))
        for i in range(len(bodies)):
            by_data = stored(msgs[5 * i])
            self.assertEqual(msgs[5 * i].get(smbdump.SUBJECT), b"chunks")
            for k in range(1, 5):
                self.assertEqual(stored(msgs[5 * i + k]), by_data, (bodies[i], k))

    def test_pipelined_chunks_split_anywhere(self):
        """RFC3030-4 RFC3030-3: BDAT commands and chunk bytes arriving in odd pieces, chunks cut mid-line, a 5,000-byte line and a lone '.': one reply per BDAT, text stored exactly"""
        self.server()
        long_line = b"y" * 5000
        text = b"Subject: pieces\r\n\r\n" + long_line + b"\r\n.\r\nQUIT\r\n"
        wire = b"EHLO client.example.org\r\n" + ENVELOPE + bdat(text, 777, last=False) + b"BDAT 0 LAST\r\nQUIT\r\n"
        with self.srv.connect("SMTPPort") as s:
            self.assertTrue(read_line(s).startswith("220"))
            for pos in range(0, len(wire), 333):   # the reader must take what it is given
                s.sendall(wire[pos:pos + 333])
            chunks = wire.count(b"BDAT ")
            got = replies(s, 4 + chunks)
        self.assertEqual([r[:3] for r in got], ["250"] * (3 + chunks) + ["221"], got)
        self.assertIn("250 2.0.0 777 octets received", got)
        m = self.mail_base()[0]
        self.assertEqual(m.body, long_line + b"\r\n.\r\nQUIT\r\n")

    def test_sequence_errors(self):
        """RFC3030-6: BDAT before MAIL and before RCPT get 503 5.5.1 with their bytes dropped; DATA after BDAT 503; a bad size 501 and the close"""
        self.server()
        got = self.session(b"BDAT 6\r\nRSET\r\nMAIL FROM:<alice@example.org>\r\nBDAT 6\r\nNOOP\r\n"
                           b"RCPT TO:<sysop@testbbs.example>\r\n" + bdat(b"Subject: a\r\n\r\n", last=False) +
                           b"DATA\r\n" + bdat(b"body\r\n") + b"QUIT\r\n", 7)
        self.assertEqual(got, ["503 5.5.1 Bad sequence of commands", "250 2.1.0 OK",
                               "503 5.5.1 Bad sequence of commands", "250 2.1.5 OK", "250 2.0.0 14 octets received",
                               "503 5.5.1 Bad sequence of commands: DATA after BDAT", got[6]])
        self.assertEqual(got[6][:3], "250")
        msgs = self.mail_base()
        self.assertEqual([m.body for m in msgs], [b"body\r\n"])
        with self.srv.connect("SMTPPort") as s:
            self.assertTrue(read_line(s).startswith("220"))
            s.sendall(b"EHLO x\r\n" + ENVELOPE + b"BDAT 1e3\r\nQUIT\r\n")
            self.assertEqual(replies(s, 4)[-1], "501 5.5.4 Syntax error in BDAT parameters")
            self.assertTrue(is_closed(s))

    def test_max_msg_size_across_chunks(self):
        """RFC3030-8 SMTP-171 SMTP-190: the chunk that passes MaxMsgSize gets 552 5.3.4, its rest is read and dropped (not held: peak RSS grows far less than the chunk), later chunks 503, the next transaction works"""
        srv = self.server(mail={"MaxMsgSize": str(MIB)})
        big = 8 * MIB if sanitized_binary() else 64 * MIB
        with self.srv.connect("SMTPPort", timeout=60) as s:
            self.assertTrue(read_line(s).startswith("220"))
            s.sendall(b"EHLO client.example.org\r\n" + ENVELOPE)
            self.assertEqual(len(replies(s, 3)), 3)
            before = peak_rss(srv.proc.pid)
            first = b"Subject: big\r\n\r\n" + b"a" * 1000 + b"\r\n"
            s.sendall(bdat(first, last=False) + b"BDAT %d\r\n" % big)
            line = b"z" * 998 + b"\r\n"
            sent = 0
            while sent < big:
                piece = line * min(1024, (big - sent) // len(line)) or b"z" * (big - sent)
                s.sendall(piece)
                sent += len(piece)
            s.sendall(b"BDAT 5 LAST\r\nmore\n" + ENVELOPE + bdat(b"Subject: small\r\n\r\nok\r\n") + b"QUIT\r\n")
            got = replies(s, 7)
            growth = peak_rss(srv.proc.pid) - before
        self.assertEqual([r[:3] for r in got], ["250", "552", "503", "250", "250", "250", "221"], got)
        self.assertTrue(got[1].startswith("552 5.3.4 Message size ("), got[1])
        self.assertTrue(got[1].endswith("exceeds maximum: %d bytes" % MIB), got[1])
        print("\nRFC3030-8: peak RSS grew by %.1f MiB while a %d MiB chunk was refused" % (growth / MIB, big // MIB))
        if not sanitized_binary():
            self.assertLess(growth, 8 * MIB)
        self.assertEqual([m.get(smbdump.SUBJECT) for m in self.mail_base()], [b"small"])

    def test_spy_log_has_the_chunk_lines(self):
        """SMTP-34 RFC3030-3: a listed client's BDAT command and chunk lines reach smtpspy.txt as DATA's lines do, trailing blanks removed"""
        self.server()
        with open(self.srv.install.path("text", "smtpspy.can"), "a") as f:
            f.write("127.0.0.46\n")
        text = b"Subject: spied\r\n\r\nline one   \r\nsplit across" + b" chunks\r\nlast"
        with socket.create_connection(("127.0.0.1", self.srv.ports["SMTPPort"]), timeout=10,
                                      source_address=("127.0.0.46", 0)) as s:
            self.assertTrue(read_line(s).startswith("220"))
            s.sendall(b"EHLO spied.example\r\n" + ENVELOPE + bdat(text, 40) + b"QUIT\r\n")
            self.assertEqual(replies(s, 6)[-1][:3], "221")
        log = self.read("data", "smtpspy.txt")
        for line in ("BDAT 40", "Subject: spied", "line one", "split acr", "oss chunks", "BDAT 16 LAST", "last", "QUIT"):
            self.assertIn(line + "\n", log)
        self.assertNotIn("line one   ", log)
        self.assertEqual(self.mail_base()[0].body, b"line one   \r\nsplit across chunks\r\nlast\r\n")


if __name__ == "__main__":
    unittest.main()
