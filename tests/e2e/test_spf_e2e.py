"""End-to-end inbound SPF (issue #16 items 1 and 4): a dnsmasq on loopback
publishes the SPF records; the server (resolv.conf naming it, dns_namespace)
checks clients connecting from distinct 127.0.0.x addresses; what POP3 RETR
returns is parsed with Python's email package."""
from e2e_common import ServerCase, message
from harness import Install, run_cli
from mail_auth_e2e import ATTR_SPAM, AUTHSERV, USER, MailAuthCase

GOOD, BAD, RELAY = "127.0.0.2", "127.0.0.3", "127.0.0.5"   # 127.0.0.5 is in ctrl/relay.cfg

RECORDS = [
    'txt-record=example.org,"v=spf1 ip4:127.0.0.2 -all"',
    'txt-record=soft.example,"v=spf1 ip4:127.0.0.2 ~all"',
    'txt-record=broken.example,"v=spf1 ip4:127.0.0.999 -all"',
    'txt-record=inc.example,"v=spf1 include:_spf.example.org -all"',
    'txt-record=_spf.example.org,"v=spf1 a:relay.example.org -all"',
    "host-record=relay.example.org,127.0.0.4",
    'txt-record=client.example.org,"v=spf1 ip4:127.0.0.0/24 ?all"',
    "server=/down.example/127.0.0.1#1",      # nothing answers there: SERVFAIL, a temporary error
]
LOCAL = ("example.org", "soft.example", "broken.example", "inc.example", "client.example.org", "in-addr.arpa")


class Spf(MailAuthCase):
    RECORDS, LOCAL = RECORDS, LOCAL

    def send(self, source, sender, subject="hello", extra="", port="SMTPPort"):
        s = self.smtp(port, source=source)
        s.ehlo("client.example.org")
        s.sendmail(sender, [USER], message(subject, b"hi\r\n", sender=sender, extra=extra))
        s.quit()

    def mail_from(self, source, sender):
        s = self.smtp(source=source)
        s.ehlo("client.example.org")
        return s.mail(sender)

    def test_pass_and_fail_reach_the_reader_as_authentication_results_and_received_spf(self):
        """RFC8601-2.2 RFC8601-2.7.2 RFC7208-9.1 RFC7208-2.6 RFC7208-5.2: A-R and Received-SPF in what POP3 RETR returns; policy off stores a fail; include: through a: resolves"""
        self.start()
        self.send(GOOD, "alice@example.org", "good")
        self.send(BAD, "mallory@example.org", "forged")
        self.send("127.0.0.4", "bob@inc.example", "included")
        good, forged, included = self.retrieve()
        self.assertEqual(len(self.ours(good)), 1, good.get_all("Authentication-Results"))
        ar = " ".join(self.ours(good)[0].split())
        self.assertIn("spf=pass smtp.mailfrom=alice@example.org", ar)
        self.assertIn("spf=pass smtp.helo=client.example.org", ar)
        self.assertTrue(good["Received-SPF"].startswith("pass (" + AUTHSERV + ": domain of alice@example.org "
                                                        "designates 127.0.0.2 as permitted sender)"), good["Received-SPF"])
        rspf = " ".join(good["Received-SPF"].split())
        for part in ('client-ip=127.0.0.2;', 'envelope-from="alice@example.org";', 'helo="client.example.org";',
                     'receiver="%s";' % AUTHSERV, "identity=mailfrom;"):
            self.assertIn(part, rspf)
        self.assertIn("spf=fail smtp.mailfrom=mallory@example.org", " ".join(self.ours(forged)[0].split()))
        self.assertTrue(forged["Received-SPF"].startswith("fail "))
        self.assertEqual(forged["Subject"], "forged")                      # policy off: no tag
        self.assertIn("spf=pass smtp.mailfrom=bob@inc.example", " ".join(self.ours(included)[0].split()))
        self.assertTrue(self.srv.wait_output(r"\[127\.0\.0\.3\] SPF mailfrom mallory@example\.org: fail"))
        self.assertTrue(self.srv.wait_output(r"\[127\.0\.0\.2\] SPF helo client\.example\.org: pass"))

    def test_a_forged_authentication_results_of_ours_is_removed(self):
        """RFC8601-5: an arriving A-R naming our authserv-id (any case, folded) is dropped; another host's is kept"""
        self.start()
        forged = ("Authentication-Results: MAIL.testbbs.example;\r\n\tspf=pass smtp.mailfrom=ceo@example.org\r\n"
                  "Authentication-Results: mx.other.example; dkim=pass header.d=other.example\r\n")
        self.send(BAD, "ceo@example.org", "urgent", extra=forged)
        msg, = self.retrieve()
        ours = self.ours(msg)
        self.assertEqual(len(ours), 1, msg.get_all("Authentication-Results"))
        self.assertIn("spf=fail", ours[0])
        self.assertNotIn("MAIL.testbbs.example", str(msg))
        self.assertIn("mx.other.example; dkim=pass header.d=other.example", msg.get_all("Authentication-Results"))
        self.assertTrue(self.srv.wait_output(r"!SPF removed 1 Authentication-Results header"))

    def test_reject_policy_refuses_a_fail_at_mail_and_tags_a_softfail(self):
        """RFC7208-8.4 RFC7208-8.5 RFC7208-8.7: SPFPolicy=reject: 550 5.7.1 for fail, 550 5.5.2 for a listed permerror; softfail tagged, pass untouched"""
        self.start({"SPFPolicy": "reject", "SPFRejectResults": "fail, permerror"})
        code, text = self.mail_from(BAD, "mallory@example.org")
        self.assertEqual(code, 550)
        self.assertTrue(text.decode().startswith("5.7.1 SPF fail: example.org does not permit 127.0.0.3"), text)
        code, text = self.mail_from(BAD, "x@broken.example")
        self.assertEqual((code, text.decode()[:5]), (550, "5.5.2"))
        self.assertTrue(self.srv.wait_output(r"\[127\.0\.0\.3\] !SPF REFUSED MAIL from <?mallory@example\.org>?: SPF fail"))
        self.send(BAD, "carol@soft.example", "soft")
        self.send(GOOD, "alice@example.org", "good")
        soft, good = self.retrieve()
        self.assertEqual(soft["Subject"], "SPAM: soft")
        self.assertTrue(soft["X-SPF"].startswith("softfail (mailfrom soft.example, client 127.0.0.3)"), soft["X-SPF"])
        self.assertEqual(good["Subject"], "good")
        self.assertIsNone(good["X-SPF"])
        spam_attr = [m.attr & ATTR_SPAM for m in self.mail_base()]
        self.assertEqual(spam_attr, [ATTR_SPAM, 0])
        self.assertTrue(self.srv.wait_output(r"\[127\.0\.0\.3\] TAGGED MAIL SUBJECT with: SPAM \(SPF softfail\)"))

    def test_temperror_is_never_refused_unless_a_key_asks(self):
        """RFC7208-8.6 ISSUE16-4: a DNS failure stores the mail with spf=temperror under SPFPolicy=reject; SPFDeferTempError answers 451 4.4.3"""
        self.start({"SPFPolicy": "reject"})
        self.send(BAD, "dave@down.example", "later")
        msg, = self.retrieve()
        self.assertIn("spf=temperror", self.ours(msg)[0])
        self.assertTrue(msg["Received-SPF"].startswith("temperror "))
        self.srv.stop()
        self.start({"SPFPolicy": "reject", "SPFDeferTempError": "true"})
        code, text = self.mail_from(BAD, "dave@down.example")
        self.assertEqual((code, text.decode()[:5]), (451, "4.4.3"))

    def test_authenticated_submission_and_relay_clients_are_not_checked(self):
        """ISSUE16-4 RFC8601-5: AUTH on the submission port and a relay.cfg client get no SPF check and no A-R of ours"""
        self.start({"SPFPolicy": "reject"})
        s = self.smtp("SubmissionPort", source=BAD)
        s.ehlo("client.example.org")
        s.user, s.password = "Sysop", "SYSOP-PASS"
        self.assertEqual(s.auth("PLAIN", s.auth_plain)[0], 235)
        s.sendmail(USER, [USER], message("submitted", b"hi\r\n", sender=USER))
        s.quit()
        self.send(RELAY, "mallory@example.org", "relayed")             # a fail, were it checked
        self.send(GOOD, "alice@example.org", "checked")                 # the control: checked
        submitted, relayed, checked = self.retrieve()
        for m in (submitted, relayed):
            self.assertEqual(self.ours(m), [], m.get_all("Authentication-Results"))
            self.assertIsNone(m["Received-SPF"])
        self.assertEqual(len(self.ours(checked)), 1)
        self.assertNotIn("[127.0.0.3] SPF mailfrom", self.srv.output)
        self.assertNotIn("[127.0.0.5] SPF mailfrom", self.srv.output)


class SpfCheckCommand(ServerCase):
    def test_check_names_a_bad_spf_key_with_file_and_line(self):
        """ISSUE16-4: --check reports a bad SPFPolicy or SPFRejectResults value as file:line (a warning: the default is used)"""
        inst = Install()
        self.addCleanup(inst.cleanup)
        inst.set_ini("Mail", "SPFPolicy", "rejct")
        inst.set_ini("Mail", "SPFRejectResults", "fail, pass")
        r = run_cli(["--ctrl", inst.ctrl, "--check"])
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertIn("%s:%d: SPFPolicy: value 'rejct' is not one of off, tag, reject: using off"
                      % (inst.sbbs_ini, inst.line_of("SPFPolicy")), r.stdout)
        self.assertIn("%s:%d: SPFRejectResults: 'pass' is not an SPF result" % (inst.sbbs_ini, inst.line_of("SPFRejectResults")),
                      r.stdout)
