"""End-to-end attacks on inbound parsing (security issue #11, issue #13):
SMTP smuggling, lines that never end, and forged From: headers on the
submission port, each sent on the wire to the real binary with the stored
result read back from the base."""
import socket
import time

from e2e_common import ServerCase, unverified_context
from harness import is_closed, read_line
import smbdump

FORGED = (b"MAIL FROM:<sysop@testbbs.example>\r\nRCPT TO:<sysop@testbbs.example>\r\nDATA\r\n"
          b"From: Sysop <sysop@testbbs.example>\r\nSubject: forged\r\n\r\nforged body\r\n")


def read_reply(sock):
    """One whole reply (continuation lines "250-..." included) as its lines."""
    lines = []
    while True:
        line = read_line(sock)
        if not line:
            return lines
        lines.append(line)
        if len(line) < 4 or line[3] != "-":
            return lines


class SmtpSmuggling(ServerCase):
    def smuggle(self, fake_end):
        """Sends one message whose body holds `fake_end` and a second, forged
        message behind it, then the real end of data; returns the replies."""
        with self.srv.connect("SMTPPort") as s:
            self.assertTrue(read_line(s).startswith("220"))
            s.sendall(b"EHLO client.example.org\r\nMAIL FROM:<alice@example.org>\r\n"
                      b"RCPT TO:<sysop@testbbs.example>\r\nDATA\r\n")
            codes = [read_reply(s)[-1][:3] for _ in range(4)]
            self.assertEqual(codes, ["250", "250", "250", "354"])
            s.sendall(b"From: Alice <alice@example.org>\r\nSubject: first\r\n\r\nfirst body" + fake_end +
                      FORGED + b".\r\nQUIT\r\n")
            replies = []
            s.settimeout(5)
            while True:
                r = read_reply(s)
                if not r:
                    break
                replies.append(r[-1][:3])
            return replies

    def test_no_variant_of_a_bare_line_end_ends_data(self):
        """SEC-2 SMTP-36 SMTP-164: <LF>.<LF>, <LF>.<CR><LF>, <CR>.<CR><LF> and <CR><LF>.<LF> do not end DATA; one whole message is stored, nothing forged"""
        self.server()
        variants = [b"\n.\n", b"\n.\r\n", b"\r.\r\n", b"\r\n.\n"]
        for v in variants:
            with self.subTest(variant=v):
                self.assertEqual(self.smuggle(v), ["250", "221"])
        msgs = self.mail_base()
        self.assertEqual(len(msgs), len(variants), msgs)   # one per session, none forged
        for m in msgs:
            self.assertEqual(m.get(smbdump.SUBJECT), b"first")
            self.assertEqual(m.get(smbdump.SENDERNETADDR), b"alice@example.org")
            # Whole: the smuggled text is body, every bare line end stored as CR LF.
            self.assertEqual(m.body, b"first body\r\n.\r\n" + FORGED)
        self.assertFalse([m for m in msgs if m.get(smbdump.SUBJECT) == b"forged"])


class LineWithoutEnd(ServerCase):
    """100 KiB without a line end, then silence: answered at once and closed."""
    BYTES = b"x" * (100 * 1024)

    def expect_answer(self, s, expected):
        s.settimeout(5)
        t0 = time.monotonic()
        s.sendall(self.BYTES)
        line = read_line(s)
        self.assertLess(time.monotonic() - t0, 5)
        self.assertEqual(line, expected)
        self.assertTrue(is_closed(s))

    def test_smtp_command_line(self):
        """ISSUE13-2 SMTP-42: a command line over the limit that never ends gets 500 at once and the session closes"""
        self.server()
        with self.srv.connect("SMTPPort") as s:
            self.assertTrue(read_line(s).startswith("220"))
            self.expect_answer(s, "500 5.5.2 Line too long (command)\r\n")

    def test_smtp_data_line(self):
        """ISSUE13-2 SMTP-166 SMTP-170: a DATA line over the limit that never ends gets 500 at once, nothing is stored"""
        self.server()
        with self.srv.connect("SMTPPort") as s:
            self.assertTrue(read_line(s).startswith("220"))
            s.sendall(b"HELO x\r\nMAIL FROM:<alice@example.org>\r\nRCPT TO:<sysop@testbbs.example>\r\nDATA\r\n")
            self.assertEqual([read_line(s)[:3] for _ in range(4)], ["250", "250", "250", "354"])
            s.sendall(b"Subject: long\r\n\r\n")
            self.expect_answer(s, "500 5.5.2 Line too long (body)\r\n")
        self.assertEqual(self.mail_base(), [])

    def test_pop3_command_line(self):
        """ISSUE13-2 POP3-20: a POP3 command line over the limit that never ends gets -ERR at once and the session closes"""
        self.server()
        with self.srv.connect("POP3Port") as s:
            self.assertTrue(read_line(s).startswith("+OK"))
            self.expect_answer(s, "-ERR line too long\r\n")


class SubmissionFromHeader(ServerCase):
    """An authenticated user may only put his own addresses in From:."""
    BYPASSES = [
        "(x) sysop@testbbs.example",
        "sysop@testbbs.example, <>",
        "<>",
        "Bob <bobby@testbbs.example>, sysop@testbbs.example",
        "sysop@testbbs.example (Bob <bobby@testbbs.example>)",
        "Staff: sysop@testbbs.example;",
        "sysop(a (nested) comment)@testbbs.example",
        "\"bobby@testbbs.example\" <sysop@testbbs.example>",
        "(only a comment)",
        "sysop@testbbs.example <bobby@testbbs.example>",          # an address as display name
        "sysop@testbbs.example : bobby@testbbs.example;",         # an address as group name
        "sysop@testbbs.example\x01<bobby@testbbs.example>",       # a control character
    ]

    def submit(self, from_lines):
        s = self.smtp("SubmissionPort")
        s.ehlo("client.example.org")
        s.starttls(context=unverified_context())
        s.ehlo("client.example.org")
        s.user, s.password = "Bob Forward", "BOBPASS"
        self.assertEqual(s.auth("PLAIN", s.auth_plain)[0], 235)
        self.assertEqual(s.mail("bobby@testbbs.example")[0], 250)
        self.assertEqual(s.rcpt("sysop@testbbs.example")[0], 250)
        head = "".join("From: %s\r\n" % f for f in from_lines)
        code, text = s.data((head + "Subject: test\r\n\r\nbody\r\n").encode())
        s.quit()
        return code, text

    def test_every_from_form_is_checked(self):
        """SEC-3 SMTP-182 SMTP-99: comments, lists, groups, <> and a second From: do not get a foreign address past the check; the user's own address is accepted"""
        self.server()
        for f in self.BYPASSES:
            with self.subTest(from_=f):
                code, text = self.submit([f])
                self.assertEqual(code, 550, text)
                self.assertIn(b"not authorized for this account", text)
        code, text = self.submit(["Bob <bobby@testbbs.example>", "sysop@testbbs.example"])
        self.assertEqual((code, text), (550, b"5.7.1 Mail header 'FROM' address <sysop@testbbs.example> "
                                             b"not authorized for this account, try <Bob.Forward@testbbs.example>"))
        self.assertEqual(self.mail_base(), [])
        code, text = self.submit(["\"Bob (me)\" <bobby@testbbs.example>, (again) bobby@testbbs.example"])
        self.assertEqual(code, 250, text)
        msgs = self.mail_base()
        self.assertEqual(len(msgs), 1, msgs)
        self.assertEqual(msgs[0].get(smbdump.SENDEREXT), b"2")
        self.assertEqual(msgs[0].get(0xB4), b"\"Bob (me)\" <bobby@testbbs.example>, (again) bobby@testbbs.example")   # RFC822FROM
