"""End-to-end SendMail with SMTPUTF8 (RFC 6531 3.4) through a real Postfix
as the RelayServer: with `smtputf8_enable = yes` a message for a UTF-8
address goes out with MAIL ... SMTPUTF8 and arrives unchanged; with `no` it
is bounced to the sender with 5.6.7, never sent mangled."""
import email
import email.policy

from e2e_common import ServerCase
from postfix import Postfix
from test_sendmail_e2e import RELAY_OPTIONS, NETMSG_SENT, wait_for
import smbdump

TO = "j\u00fcrgen@far.example"
SUBJECT = "Gr\u00fc\u00dfe"


class SendMailSmtpUtf8(ServerCase):
    def relay(self, smtputf8):
        pf = Postfix(domains=("far.example",), smtputf8=smtputf8)
        self.addCleanup(pf.stop)
        if not pf.start():
            self.skipTest(pf.why_not)
        self.server(options=RELAY_OPTIONS, mail={"RelayServer": "127.0.0.1", "RelayPort": str(pf.port)})
        return pf

    def submit(self):
        s = self.smtp("SubmissionPort")
        s.ehlo("client.example.org")
        s.user, s.password = "Sysop", "SYSOP-PASS"
        self.assertEqual(s.auth("PLAIN", s.auth_plain)[0], 235)
        msg = ("From: Sysop <sysop@testbbs.example>\r\nTo: J\u00fcrgen <%s>\r\nSubject: %s\r\n"
               "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHallo!\r\n" % (TO, SUBJECT))
        s.sendmail("sysop@testbbs.example", [TO], msg.encode("utf-8"), mail_options=["SMTPUTF8"])
        s.quit()

    def test_postfix_with_smtputf8_gets_the_message_unchanged(self):
        """RFC6531-7 RFC6532-2: Postfix offering SMTPUTF8 receives MAIL ... SMTPUTF8, the UTF-8 recipient and the raw UTF-8 To: field"""
        pf = self.relay(True)
        self.submit()
        got = pf.messages(1, timeout=60)
        self.assertEqual(len(got), 1, pf.log()[-3000:] + self.srv.output[-3000:])
        msg = email.message_from_bytes(got[0], policy=email.policy.default)
        self.assertEqual(msg["Delivered-To"], TO)                # the UTF-8 envelope recipient
        self.assertEqual(str(msg["To"]), "J\u00fcrgen <%s>" % TO)   # raw UTF-8 header field
        self.assertEqual(str(msg["Subject"]), SUBJECT)          # the renderer's encoded-word, as before
        self.assertIn("with UTF8SMTP", msg["Received"])          # Postfix: MAIL ... SMTPUTF8 was used
        sent = wait_for(lambda: [m for m in self.mail_base() if m.netattr & NETMSG_SENT])
        self.assertTrue(sent, self.mail_base())

    def test_postfix_without_smtputf8_means_a_5_6_7_bounce(self):
        """RFC6531-8: Postfix with smtputf8_enable = no: nothing is sent; the sender gets a bounce naming SMTPUTF8 and 553 5.6.7"""
        pf = self.relay(False)
        self.submit()

        def notice():
            return [m for m in self.mail_base()
                    if m.get(smbdump.RECIPIENTEXT) == b"1" and m.get(smbdump.SUBJECT) != SUBJECT.encode("utf-8")]
        notices = wait_for(notice, 30)
        self.assertTrue(notices, (self.mail_base(), self.srv.output[-3000:]))
        text = notices[0].body   # the SEND-93 lines are its text/plain part (issue #15)
        self.assertIn(b"does not support SMTPUTF8", text)
        self.assertIn(b"553 5.6.7", text)
        original = [m for m in self.mail_base() if m.get(smbdump.SUBJECT) == SUBJECT.encode("utf-8")]
        self.assertTrue(original[0].attr & smbdump.ATTR_DELETE)
        self.assertEqual(pf.messages(0, timeout=0), [])
        self.assertNotIn("SMTPUTF8", pf.log())


if __name__ == "__main__":
    import unittest
    unittest.main()
