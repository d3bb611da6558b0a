"""End-to-end SendMail through a real Postfix as the RelayServer with SASL
(RELAY_TX + RELAY_AUTH_PLAIN / RELAY_AUTH_LOGIN, Dovecot auth behind
Postfix): mail submitted to our SMTP server is queued in the SMB base by our
writer, the sbbsmail binary's SendMail thread relays it, and the message is
checked in Postfix's Maildir and in the base afterwards.

Postfix as the receiving MX is tested against the SendMail library instead
(tests/unit/sendmail/postfix_test.cpp): the binary refuses MX hosts on
loop-back addresses (SEND-41) and these tests may only use loop-back."""
import unittest

from e2e_common import ServerCase
from postfix import Postfix, strip_receiver_lines
from test_sendmail_e2e import RELAY_OPTIONS, NETMSG_SENT, wait_for
import smbdump

USER, PASSWORD = "relayuser", "s3cret"


class SendMailPostfixRelay(ServerCase):
    def relay(self, auth_option, password=PASSWORD):
        pf = Postfix(domains=("far.example",), sasl_user=USER, sasl_password=PASSWORD)
        self.addCleanup(pf.stop)
        if not pf.start():
            self.skipTest(pf.why_not)
        self.server(options=RELAY_OPTIONS + " | " + auth_option,
                    mail={"RelayServer": "127.0.0.1", "RelayPort": str(pf.port),
                          "RelayUsername": USER, "RelayPassword": password,
                          # this Postfix offers no STARTTLS: the sysop's opt-in (SEC-6)
                          "RelayAuthWithoutTLS": "true"})
        return pf

    def submit(self, body, subject):
        self.submit_outbound(body, subject, to="friend@far.example")

    def check_relayed(self, pf, body, subject, method):
        got = pf.messages(1)
        self.assertEqual(len(got), 1, pf.log()[-3000:] + self.srv.output[-3000:])
        rest, delivered_to = strip_receiver_lines(got[0])
        self.assertEqual(delivered_to, "friend@far.example")
        header, sent_body = rest.split(b"\n\n", 1)
        self.assertIn(b"Subject: " + subject.encode() + b"\n", header + b"\n")
        self.assertIn(b"From: Alice <sysop@testbbs.example>", header)
        # Byte for byte (Maildir uses LF): the renderer adds no line end after
        # a text that already ends in one (ours; the original adds one).
        self.assertEqual(sent_body, body.replace(b"\r\n", b"\n"))
        self.assertIn("sasl_method=%s, sasl_username=%s" % (method, USER), pf.log())
        sent = wait_for(lambda: [m for m in self.mail_base() if m.netattr & NETMSG_SENT])
        self.assertTrue(sent, self.mail_base())
        self.assertTrue(sent[0].attr & smbdump.ATTR_DELETE)   # relayed mail: KILLSENT
        self.assertEqual(sent[0].delivery_attempts, 0)

    def test_relay_auth_plain(self):
        """SEND-28 SEND-54 SEND-55 SEND-80 SEND-81 SEND-101: Postfix relays after AUTH PLAIN; text byte for byte; base: sent and deleted"""
        pf = self.relay("RELAY_AUTH_PLAIN")
        body = b"Through Postfix.\r\n.a line with a leading dot\r\nGr\xc3\xbc\xc3\x9fe\r\n"
        self.submit(body, "relayed by postfix")
        self.check_relayed(pf, body, "relayed by postfix", "PLAIN")

    def test_relay_auth_login(self):
        """SEND-28 SEND-54 SEND-56 SEND-80 SEND-81: Postfix relays after AUTH LOGIN"""
        pf = self.relay("RELAY_AUTH_LOGIN")
        body = b"Login, then relay.\r\n"
        self.submit(body, "login relay")
        self.check_relayed(pf, body, "login relay", "LOGIN")

    def test_relay_refuses_credentials(self):
        """SEND-59 SEND-91 SEND-93: Postfix refusing the relay credentials: bounced at once to the sender"""
        pf = self.relay("RELAY_AUTH_PLAIN", password="wrong")
        self.submit(b"Wrong password.\r\n", "doomed relay")

        def notice():
            return [m for m in self.mail_base()
                    if m.get(smbdump.RECIPIENTEXT) == b"1" and m.get(smbdump.SUBJECT) != b"doomed relay"]
        notices = wait_for(notice, 30)
        self.assertTrue(notices, (self.mail_base(), self.srv.output[-3000:]))
        text = notices[0].body   # the SEND-93 lines are its text/plain part (issue #15)
        self.assertIn(b"535", text)
        original = [m for m in self.mail_base() if m.get(smbdump.SUBJECT) == b"doomed relay"]
        self.assertTrue(original[0].attr & smbdump.ATTR_DELETE)
        self.assertEqual(original[0].delivery_attempts, 1)
        self.assertEqual(pf.messages(0, timeout=0), [])


if __name__ == "__main__":
    unittest.main()
