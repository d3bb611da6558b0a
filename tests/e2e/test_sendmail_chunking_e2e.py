"""End-to-end SendMail toward a real Postfix (the RelayServer, no AUTH):
the sbbsmail binary's SendMail thread sends BDAT when Postfix offers
CHUNKING and DATA when its main.cf discards the keyword; either way the
same bytes arrive (RFC 3030 section 2: no dot-stuffing in a chunk)."""
import unittest

from e2e_common import ServerCase
from postfix import Postfix, strip_receiver_lines
from test_sendmail_e2e import RELAY_OPTIONS, NETMSG_SENT, wait_for

BODY = b"Chunked.\r\n.a line with a leading dot\r\n..two dots\r\n.\r\nGr\xc3\xbc\xc3\x9fe\r\n"


class SendMailChunking(ServerCase):
    def relay_through(self, extra_main, subject):
        pf = Postfix(domains=("far.example",), extra_main=extra_main)
        self.addCleanup(pf.stop)
        if not pf.start():
            self.skipTest(pf.why_not)
        self.server(options=RELAY_OPTIONS, mail={"RelayServer": "127.0.0.1", "RelayPort": str(pf.port)})
        self.submit_outbound(BODY, subject, to="friend@far.example")
        got = pf.messages(1)
        self.assertEqual(len(got), 1, pf.log()[-3000:] + self.srv.output[-3000:])
        rest, delivered_to = strip_receiver_lines(got[0])
        self.assertEqual(delivered_to, "friend@far.example")
        header, sent_body = rest.split(b"\n\n", 1)
        self.assertIn(b"Subject: " + subject.encode() + b"\n", header + b"\n")
        self.assertEqual(sent_body, BODY.replace(b"\r\n", b"\n"))   # Maildir stores LF
        self.assertTrue(wait_for(lambda: [m for m in self.mail_base() if m.netattr & NETMSG_SENT]))
        return pf

    def test_bdat_to_postfix_offering_chunking(self):
        """RFC3030-16 SEND-67: Postfix offers CHUNKING: one BDAT, the text byte for byte"""
        pf = self.relay_through([], "by bdat")
        self.assertTrue(wait_for(lambda: "bdat=1" in pf.log(), 10), pf.log()[-3000:])
        self.assertNotIn("data=1", pf.log())

    def test_data_when_postfix_discards_chunking(self):
        """RFC3030-17 SEND-67: smtpd_discard_ehlo_keywords = chunking: DATA, the same bytes"""
        pf = self.relay_through(["smtpd_discard_ehlo_keywords = chunking"], "by data")
        self.assertTrue(wait_for(lambda: "data=1" in pf.log(), 10), pf.log()[-3000:])
        self.assertNotIn("bdat=", pf.log())


if __name__ == "__main__":
    unittest.main()
