"""End-to-end SMTPUTF8 (RFC 6531/6532) and POP3 UTF8 (RFC 6856) through the
real binary: Python smtplib and poplib, and Postfix as the sending MTA. Two
users of the temporary install are renamed to "Jörgen" and "Jürgen" (CP437
on disk, USER-10), which USER-19's folding cannot tell apart."""
import os
import poplib
import smtplib
import time
import unittest

from e2e_common import LOCAL_ONLY, ServerCase
from harness import Install
import smbdump
from test_smtp_postfix_e2e import LoopbackPostfix, _postfix_usable

HFIELDS_UTF8 = 0x2000
NAME_LEN = 25                      # an alias in name.dat, then CR LF
JOERGEN, JUERGEN = 5, 6            # renamed from Tess Tagger and Nora Netless


def rename_user(install, number, cp437_alias):
    """Sets user `number`'s alias in user.tab and name.dat (CP437 bytes)."""
    tab = install.path("data", "user", "user.tab")
    with open(tab, "rb") as f:
        records = f.read().split(b"\n")
    fields = records[number - 1].split(b"\t")
    fields[1] = cp437_alias
    records[number - 1] = b"\t".join(fields)[:999].ljust(999, b"\t")
    with open(tab, "wb") as f:
        f.write(b"\n".join(records))
    names = install.path("data", "user", "name.dat")
    with open(names, "rb") as f:
        data = bytearray(f.read())
    start = (number - 1) * (NAME_LEN + 2)
    data[start:start + NAME_LEN] = cp437_alias.ljust(NAME_LEN, b"\x03")
    with open(names, "wb") as f:
        f.write(bytes(data))


def utf8_message(to="J\u00fcrgen <j\u00fcrgen@testbbs.example>", subject="Gr\u00fc\u00dfe"):
    head = ("From: Zo\u00eb <zo\u00eb@example.org>\r\nTo: %s\r\nSubject: %s\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n" % (to, subject))
    return (head + "\r\nHallo J\u00fcrgen!\r\n").encode("utf-8")


class Utf8Case(ServerCase):
    def start(self):
        install = Install()
        rename_user(install, JOERGEN, b"J\x94rgen")          # "Jörgen" in CP437
        rename_user(install, JUERGEN, b"J\x81rgen")          # "Jürgen"
        with open(install.path("ctrl", "domains.cfg"), "ab") as f:
            f.write("b\u00fccher.example\n".encode("utf-8"))   # ours, as U-labels
        return self.server(options=LOCAL_ONLY, install=install)

    def stored_for(self, user, count=1, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            msgs = [m for m in self.mail_base() if m.get(smbdump.RECIPIENTEXT) == str(user).encode()]
            if len(msgs) >= count or time.monotonic() > deadline:
                return msgs
            time.sleep(0.3)


class SmtpUtf8Receive(Utf8Case):
    def test_smtplib_utf8_recipient_reaches_the_cp437_user(self):
        """RFC6531-1 RFC6531-2 RFC6531-6 RFC6532-1 USER-10 FMT-33 FMT-39: EHLO lists SMTPUTF8; MAIL ... SMTPUTF8 to jürgen@ reaches user Jürgen (not Jörgen), UTF-8 header fields stored raw with MSG_HFIELDS_UTF8"""
        self.start()
        s = self.smtp()
        s.ehlo("client.example.org")
        self.assertTrue(s.has_extn("smtputf8"), s.esmtp_features)
        s.sendmail("zo\u00eb@example.org", ["j\u00fcrgen@testbbs.example"], utf8_message(),
                   mail_options=["SMTPUTF8"])
        s.quit()
        msgs = self.stored_for(JUERGEN)
        self.assertEqual(len(msgs), 1, self.srv.output)
        m = msgs[0]
        self.assertEqual(m.get(smbdump.SUBJECT), "Gr\u00fc\u00dfe".encode("utf-8"))
        self.assertEqual(m.get(smbdump.RECIPIENT), "J\u00fcrgen".encode("utf-8"))
        self.assertEqual(m.get(smbdump.SENDER), "Zo\u00eb".encode("utf-8"))
        self.assertTrue(m.auxattr & HFIELDS_UTF8, m.auxattr)
        self.assertEqual(self.stored_for(JOERGEN, timeout=0), [])

    def test_idna_domain_in_a_label_form_is_ours(self):
        """RFC6531-5: domains.cfg lists bücher.example; RCPT to its A-label form is local"""
        self.start()
        s = self.smtp()
        s.ehlo("client.example.org")
        s.command_encoding = "utf-8"
        self.assertEqual(s.docmd("MAIL FROM:<a@example.org> SMTPUTF8")[0], 250)
        code, text = s.docmd("RCPT TO:<j\u00fcrgen@xn--bcher-kva.example>")
        self.assertEqual(code, 250, text)
        self.assertEqual(s.docmd("RCPT TO:<j\u00fcrgen@B\u00dcCHER.example>")[0], 250)

    def test_without_smtputf8_a_utf8_recipient_is_refused(self):
        """RFC6531-2: without the parameter a UTF-8 address gets 553 5.6.7 (USER-19's folding would have given it to Jörgen)"""
        self.start()
        s = self.smtp()
        s.ehlo("client.example.org")
        self.assertEqual(s.docmd("MAIL FROM:<a@example.org>")[0], 250)
        s.command_encoding = "utf-8"
        code, text = s.docmd("RCPT TO:<j\u00fcrgen@testbbs.example>")
        self.assertEqual(code, 553, text)
        self.assertIn(b"5.6.7", text)
        self.assertEqual(self.stored_for(JOERGEN, timeout=0), [])


class Pop3Utf8(Utf8Case):
    def deliver(self):
        s = self.smtp()
        s.ehlo("client.example.org")
        s.sendmail("zoe@example.org", ["j\u00f6rgen@testbbs.example"], utf8_message(), mail_options=["SMTPUTF8"])
        s.quit()
        self.assertEqual(len(self.stored_for(JOERGEN)), 1, self.srv.output)

    def retr_header(self, utf8):
        p = poplib.POP3("127.0.0.1", self.srv.ports["POP3Port"], timeout=10)
        self.addCleanup(p.close)
        caps = p.capa()
        self.assertIn("UTF8", caps)
        if utf8:
            self.assertTrue(p.utf8().startswith(b"+OK"))
        p.user("jrgen")              # USER-19 folding: the first of Jörgen/Jürgen, Jörgen
        p.pass_("TESSPASS")
        listed = int(p.list(1).split()[2])
        resp, lines, octets = p.retr(1)
        p.quit()
        self.assertEqual(listed, octets, "LIST and RETR disagree")
        return b"\r\n".join(lines).split(b"\r\n\r\n", 1)[0]

    def test_utf8_command_gives_raw_utf8_header_fields(self):
        """RFC6856-1 RFC6856-2 RFC6856-3: CAPA lists UTF8; after UTF8 the Subject goes out raw UTF-8, without it as the original's encoded-word; LIST equals RETR's octets either way"""
        self.start()
        self.deliver()
        plain = self.retr_header(False)
        self.assertIn(b"Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=", plain)
        raw = self.retr_header(True)
        self.assertIn("Subject: Gr\u00fc\u00dfe".encode("utf-8"), raw)


@unittest.skipIf(_postfix_usable(), _postfix_usable() or "")
class PostfixSendsUtf8(Utf8Case):
    def test_postfix_relays_smtputf8_mail_to_juergen(self):
        """RFC6531-2 RFC6532-1 USER-10: Postfix (smtputf8_enable = yes) relays an SMTPUTF8 message for jürgen@ to our port 25; it is stored for Jürgen with its UTF-8 header"""
        self.start()
        pf = LoopbackPostfix(self.srv.ports["SMTPPort"])
        self.addCleanup(pf.cleanup)
        with open(os.path.join(pf.d, "conf", "main.cf"), "a") as f:
            f.write("smtputf8_enable = yes\n")
        pf.start()
        with smtplib.SMTP("127.0.0.1", pf.port, timeout=10) as s:
            s.ehlo("client.sender.example")
            s.sendmail("zo\u00eb@sender.example", ["j\u00fcrgen@testbbs.example"], utf8_message(),
                       mail_options=["SMTPUTF8"])
        msgs = self.stored_for(JUERGEN, timeout=60)
        self.assertEqual(len(msgs), 1, "postfix log:\n" + pf.log() + "\nserver:\n" + self.srv.output)
        m = msgs[0]
        self.assertEqual(m.get(smbdump.SMTPREVERSEPATH), "<zo\u00eb@sender.example>".encode("utf-8"))
        self.assertEqual(m.get(smbdump.SUBJECT), "Gr\u00fc\u00dfe".encode("utf-8"))
        self.assertTrue(m.auxattr & HFIELDS_UTF8, m.auxattr)


if __name__ == "__main__":
    unittest.main()
