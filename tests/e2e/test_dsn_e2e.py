"""End-to-end DSN parameters (RFC 3461 4, 5.2.1) through the sbbsmail
binary: Python smtplib and a loopback Postfix (the sending MTA) give us
RET/ENVID/NOTIFY/ORCPT, read back from the SMB base (0xD4/0xD5); SendMail
relays them to a receiving Postfix that offers DSN, and not to one whose
main.cf discards the keyword (Postfix's debug_peer log shows the commands
it received). Debian's swaks (20201014) has no DSN options (--dsn-* came in
2024), so it is not used here."""
import email
import email.policy
import smtplib
import time
import unittest

from e2e_common import ServerCase, SmtpSink, message
from postfix import Postfix
from test_sendmail_e2e import RELAY_OPTIONS, NETMSG_SENT, wait_for
from test_smtp_postfix_e2e import LoopbackPostfix, _postfix_usable
import smbdump


def stored_for(msgs, ext):
    return [m for m in msgs if m.get(smbdump.RECIPIENTEXT) == ext]


def is_delivered_notice(m):
    return (m.get(smbdump.SUBJECT) or b"").startswith(b"Delivered: ")


def split_notices(msgs):
    """(the mail as received, the `delivered` notices SMTP queued for it)."""
    return [m for m in msgs if not is_delivered_notice(m)], [m for m in msgs if is_delivered_notice(m)]


class DsnReceive(ServerCase):
    def test_smtplib_parameters_stored_with_each_copy(self):
        """RFC3461-4 RFC3461-4.1 RFC3461-4.2 RFC3461-4.3 RFC3461-4.4 SMTP-62: EHLO offers DSN; smtplib's RET/ENVID/NOTIFY/ORCPT are stored with each copy, a copy that asked for nothing gets no field"""
        self.server()
        s = self.smtp()
        code, ehlo = s.ehlo("client.example.org")
        self.assertEqual(code, 250)
        self.assertTrue(s.has_extn("dsn"), ehlo)
        s.mail("alice@example.org", ["RET=HDRS", "ENVID=QQ+2B314"])
        self.assertEqual(s.rcpt("sysop@testbbs.example", ["NOTIFY=SUCCESS,DELAY",
                                                          "ORCPT=rfc822;Sysop+2Bx@testbbs.example"])[0], 250)
        self.assertEqual(s.rcpt("bobby@testbbs.example")[0], 250)   # alias.cfg: user #2
        self.assertEqual(s.data(message("dsn", b"body\r\n"))[0], 250)
        s.quit()
        msgs, notices = split_notices(self.mail_base())
        self.assertEqual(len(msgs), 2, msgs)
        self.assertEqual(len(notices), 1, notices)   # NOTIFY=SUCCESS to a local user: RFC 3461 6.2.1 (a)
        sysop = stored_for(msgs, b"1")[0]
        bobby = [m for m in msgs if m is not sysop][0]
        self.assertEqual(sysop.get(smbdump.DSN_ENVELOPE), b"RET=HDRS ENVID=QQ+2B314")
        self.assertEqual(sysop.get(smbdump.DSN_RECIPIENT), b"NOTIFY=SUCCESS,DELAY ORCPT=rfc822;Sysop+2Bx@testbbs.example")
        self.assertEqual(bobby.get(smbdump.DSN_ENVELOPE), b"RET=HDRS ENVID=QQ+2B314")
        self.assertIsNone(bobby.get(smbdump.DSN_RECIPIENT))

    def test_malformed_or_repeated_parameters_refused(self):
        """RFC3461-4: a malformed or repeated DSN parameter answers 501 5.5.4; the transaction stays as it was"""
        self.server()
        s = self.smtp()
        s.ehlo("client.example.org")
        code, text = s.mail("alice@example.org", ["RET=BOTH"])
        self.assertEqual(code, 501, text)
        self.assertTrue(text.startswith(b"5.5.4 "), text)
        self.assertEqual(s.mail("alice@example.org", ["ENVID=a", "ENVID=b"])[0], 501)
        self.assertEqual(s.mail("alice@example.org", ["RET=FULL"])[0], 250)
        self.assertEqual(s.rcpt("sysop@testbbs.example", ["NOTIFY=NEVER,SUCCESS"])[0], 501)
        self.assertEqual(s.rcpt("sysop@testbbs.example", ["ORCPT=sysop@testbbs.example"])[0], 501)
        self.assertEqual(s.rcpt("sysop@testbbs.example", ["NOTIFY=NEVER"])[0], 250)
        self.assertEqual(s.data(message("kept", b"body\r\n"))[0], 250)
        s.quit()
        msgs = self.mail_base()
        self.assertEqual(len(msgs), 1, msgs)
        self.assertEqual(msgs[0].get(smbdump.DSN_ENVELOPE), b"RET=FULL")
        self.assertEqual(msgs[0].get(smbdump.DSN_RECIPIENT), b"NOTIFY=NEVER")

    def test_utf8_orcpt_under_smtputf8(self):
        """RFC3461-4.2 RFC6533-3: ORCPT=utf-8; with raw UTF-8 under SMTPUTF8, stored as ASCII utf-8-addr-xtext"""
        self.server()
        s = self.smtp()
        s.ehlo("client.example.org")
        self.assertEqual(s.mail("alice@example.org", ["SMTPUTF8"])[0], 250)
        code, text = s.rcpt("sysop@testbbs.example", ["ORCPT=utf-8;j\u00fcrgen@b\u00fccher.example"])
        self.assertEqual(code, 250, text)
        self.assertEqual(s.data(message("utf8 orcpt", b"body\r\n"))[0], 250)
        s.quit()
        msgs = self.mail_base()
        self.assertEqual(msgs[0].get(smbdump.DSN_RECIPIENT), b"ORCPT=utf-8;j\\x{FC}rgen@b\\x{FC}cher.example")


@unittest.skipIf(_postfix_usable(), _postfix_usable() or "")
class PostfixSendsDsnToUs(ServerCase):
    def test_postfix_relays_dsn_parameters(self):
        """RFC3461-5.2.1 RFC3461-4: a Postfix relay passes its client's RET/ENVID/NOTIFY and its ORCPT to our port 25; stored in 0xD4/0xD5"""
        self.server()
        pf = LoopbackPostfix(self.srv.ports["SMTPPort"])
        self.addCleanup(pf.cleanup)
        pf.start()
        with smtplib.SMTP("127.0.0.1", pf.port, timeout=10) as s:
            s.ehlo("client.sender.example")
            s.sendmail("alice@sender.example", ["sysop@testbbs.example"],
                       message("via postfix", b"dsn\r\n", sender="alice@sender.example"),
                       mail_options=["RET=HDRS", "ENVID=pf-env+2B1"], rcpt_options=["NOTIFY=SUCCESS,FAILURE"])
        msgs = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not msgs:
            time.sleep(0.5)
            msgs = split_notices(self.mail_base())[0]
        self.assertEqual(len(msgs), 1, "nothing stored; postfix log:\n" + pf.log() + "\nserver:\n" + self.srv.output)
        self.assertEqual(msgs[0].get(smbdump.DSN_ENVELOPE), b"RET=HDRS ENVID=pf-env+2B1")
        rcpt = msgs[0].get(smbdump.DSN_RECIPIENT) or b""
        self.assertTrue(rcpt.startswith(b"NOTIFY=SUCCESS,FAILURE"), rcpt)
        self.assertIn(b"ORCPT=rfc822;sysop@testbbs.example", rcpt)   # Postfix adds the original recipient


class SendMailRelaysDsn(ServerCase):
    def relay_through(self, extra_main, subject):
        pf = Postfix(domains=("far.example",), extra_main=["debug_peer_list = 127.0.0.1"] + extra_main)
        self.addCleanup(pf.stop)
        if not pf.start():
            self.skipTest(pf.why_not)
        self.server(options=RELAY_OPTIONS, mail={"RelayServer": "127.0.0.1", "RelayPort": str(pf.port)})
        s = self.smtp("SubmissionPort")
        s.ehlo("client.example.org")
        s.user, s.password = "Sysop", "SYSOP-PASS"
        self.assertEqual(s.auth("PLAIN", s.auth_plain)[0], 235)
        s.sendmail("sysop@testbbs.example", ["friend@far.example"],
                   message(subject, b"relayed\r\n", sender="sysop@testbbs.example", to="friend@far.example"),
                   mail_options=["RET=HDRS", "ENVID=bbs+2B7"],
                   rcpt_options=["NOTIFY=SUCCESS,DELAY", "ORCPT=rfc822;friend+2Bx@far.example"])
        s.quit()
        got = pf.messages(1)
        self.assertEqual(len(got), 1, pf.log()[-3000:] + self.srv.output[-3000:])
        self.assertTrue(wait_for(lambda: [m for m in self.mail_base() if m.netattr & NETMSG_SENT]))
        return pf

    def received(self, pf, verb):
        return [line for line in pf.log().splitlines() if ("< " in line and verb in line)]

    def test_params_relayed_to_postfix_offering_dsn(self):
        """RFC3461-5.2.1: Postfix offers DSN: MAIL carries RET/ENVID and RCPT its NOTIFY/ORCPT, xtext as stored"""
        pf = self.relay_through([], "with dsn")
        mail = self.received(pf, "MAIL FROM:")
        rcpt = self.received(pf, "RCPT TO:")
        self.assertTrue(mail and rcpt, pf.log()[-3000:])
        self.assertIn("MAIL FROM:<sysop@testbbs.example> RET=HDRS ENVID=bbs+2B7", mail[0])
        self.assertIn("RCPT TO:<friend@far.example> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;friend+2Bx@far.example", rcpt[0])

    def test_no_params_when_postfix_discards_dsn(self):
        """RFC3461-5.2.1: smtpd_discard_ehlo_keywords = dsn: none of the parameters is sent, the mail still goes"""
        pf = self.relay_through(["smtpd_discard_ehlo_keywords = dsn"], "without dsn")
        mail = self.received(pf, "MAIL FROM:")
        rcpt = self.received(pf, "RCPT TO:")
        self.assertTrue(mail and rcpt, pf.log()[-3000:])
        self.assertTrue(mail[0].rstrip().endswith("MAIL FROM:<sysop@testbbs.example>"), mail[0])
        self.assertTrue(rcpt[0].rstrip().endswith("RCPT TO:<friend@far.example>"), rcpt[0])


class DeliveredNotice(ServerCase):
    """Needs both halves of issue #15: SMTP takes NOTIFY/ORCPT/ENVID (dsn-intake)
    and queues the `delivered` report for a local copy (dsn-notices)."""

    def send(self, s, subject, mail_options, rcpt_options):
        self.assertEqual(s.mail("alice@sender.example", mail_options)[0], 250)
        self.assertEqual(s.rcpt("sysop@testbbs.example", rcpt_options)[0], 250)
        self.assertEqual(s.data(message(subject, b"Body of %s.\r\n" % subject.encode(),
                                        sender="alice@sender.example"))[0], 250)

    def test_local_delivery_reported_only_for_notify_success(self):
        """RFC3461-6.2.1 RFC3464-2.2.1 RFC3464-2.3.1 RFC3464-2.3.3: a local user's copy received with NOTIFY=SUCCESS, ORCPT and ENVID gives one `delivered` report (Original-Envelope-Id, Original-Recipient, Action: delivered) that SendMail sends to the Internet sender with MAIL FROM:<>; NOTIFY=NEVER or no NOTIFY gives none"""
        sink = SmtpSink()
        self.addCleanup(sink.stop)
        self.server(options=RELAY_OPTIONS, mail={"RelayPort": str(sink.port)})
        s = self.smtp()
        s.ehlo("client.sender.example")
        self.send(s, "quiet", ["ENVID=env-never"], ["NOTIFY=NEVER"])
        self.send(s, "plain", [], [])
        self.send(s, "tracked", ["ENVID=env+2B621", "RET=FULL"],
                  ["NOTIFY=SUCCESS", "ORCPT=rfc822;Sysop+2BBox@testbbs.example"])
        s.quit()
        # Queued while SMTP stored each copy (before its 250): only the tracked one has a notice.
        msgs, notices = split_notices(self.mail_base())
        self.assertEqual(len(msgs), 3, msgs)
        self.assertEqual([n.get(smbdump.SUBJECT) for n in notices], [b"Delivered: tracked"], notices)
        self.assertTrue(wait_for(lambda: sink.messages, timeout=30), self.srv.output[-3000:])
        self.assertEqual(len(sink.messages), 1, sink.messages)
        mail_from, rcpts, data = sink.messages[0]
        self.assertEqual(mail_from, b"<>")                        # RFC 3461 6.2, RFC 5321 4.5.5
        self.assertEqual(rcpts, [b"<alice@sender.example>"])
        report = email.message_from_bytes(data, policy=email.policy.compat32)
        self.assertEqual(report["Subject"], "Delivered: tracked")
        self.assertEqual(report.get_content_type(), "multipart/report")
        self.assertEqual(report.get_param("report-type"), "delivery-status")
        parts = report.get_payload()
        self.assertEqual([p.get_content_type() for p in parts],
                         ["text/plain", "message/delivery-status", "message/rfc822"])   # RET=FULL
        per_msg, per_rcpt = parts[1].get_payload()
        self.assertEqual(per_msg["Original-Envelope-Id"], "env+621")                   # decoded from xtext
        self.assertEqual(per_rcpt["Action"], "delivered")
        self.assertEqual(per_rcpt["Status"], "2.0.0")
        self.assertEqual(per_rcpt["Original-Recipient"], "rfc822;Sysop+Box@testbbs.example")
        self.assertEqual(per_rcpt["Final-Recipient"], "rfc822;sysop@testbbs.example")
        original = parts[2].get_payload()[0]
        self.assertEqual(original["Subject"], "tracked")
        self.assertIn("Body of tracked.", original.get_payload())


if __name__ == "__main__":
    unittest.main()
