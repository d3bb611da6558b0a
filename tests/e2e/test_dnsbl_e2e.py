"""End-to-end DNSBL (issue #12 item 6, smtp.md section 17): a dnsmasq on
loopback serves a DNSBL zone and PTR records; the server runs with a
resolv.conf naming it (dns_namespace); clients connect from distinct
127.0.0.x addresses; the base and spam.log are read back after each scenario."""
import os
import smtplib
import threading
import time

import dns_namespace
from e2e_common import LOCAL_ONLY, ServerCase, message
import smbdump

USER = "sysop@testbbs.example"
BAIT = "spam@testbbs.example"          # ctrl/spambait.cfg
LISTED, EXEMPT_IP, CLEAN, RANGE = "127.0.0.2", "127.0.0.3", "127.0.0.7", "127.0.0.6"
ATTR_SPAM, ATTR_KILLREAD = 0x4000, 0x0040
SUBJECT, RFC822HEADER = 0x60, 0xB0

RECORDS = [
    "host-record=2.0.0.127.bl.test,127.0.0.2",        # LISTED on bl.test
    "host-record=3.0.0.127.bl.test,127.0.0.4",        # EXEMPT_IP, listed but exempt
    "host-record=9.0.0.127.bl.test,127.0.0.9",        # a relay named in a Received: header
    "host-record=6.0.0.127.first.test,10.0.0.1",      # out of 127.0.0.0/24: ignored
    "host-record=6.0.0.127.bl.test,127.0.0.3",
    "host-record=2.0.0.127.first.test,127.0.0.10",    # zone order: first.test answers first
    "ptr-record=2.0.0.127.in-addr.arpa,spammer.example",
]


class Dnsbl(ServerCase):
    def start(self, options, zones=("bl.test",), mail=None, dns=None):
        if dns is None:
            dns = dns_namespace.Dnsmasq(RECORDS, ("bl.test", "first.test", "in-addr.arpa"))
            self.addCleanup(dns.stop)
        dns_namespace.start_server(self, dns.addr, options.replace(" | NO_HOST_LOOKUP", ""), mail)
        with open(self.srv.install.path("ctrl", "dns_blacklist.cfg"), "w") as f:
            f.write("; test zones\n" + "".join(z + "\n" for z in zones))
        with open(self.srv.install.path("ctrl", "dnsbl_exempt.cfg"), "w") as f:
            f.write("%s\n<friend@example.org>\n" % EXEMPT_IP)

    def send(self, source, msg, sender="alice@example.org", rcpts=(USER,)):
        s = self.smtp(source=source)
        s.ehlo("client.example.org")
        refused = s.sendmail(sender, list(rcpts), msg)
        s.quit()
        return refused

    def test_refuse_at_connect_with_zone_order_range_and_exempt_ip(self):
        """SMTP-31 SMTP-243 SMTP-237 SMTP-238 SMTP-259 CFG-140 CFG-141: a listed client is refused before the greeting; exempt, out-of-range and unlisted clients are served"""
        self.start(LOCAL_ONLY + " | DNSBL_REFUSE", zones=("first.test  (first zone)", "bl.test"))
        with self.assertRaises(smtplib.SMTPConnectError) as cm:
            smtplib.SMTP("127.0.0.1", self.srv.ports["SMTPPort"], timeout=20, source_address=(LISTED, 0))
        self.assertEqual(cm.exception.smtp_code, 550)
        self.assertEqual(cm.exception.smtp_error.decode(),
                         "5.7.1 Mail from 127.0.0.2 refused due to listing at first.test  (first zone)")
        self.assertTrue(self.srv.wait_output(r"\[127\.0\.0\.2\] BLACKLISTED SERVER on first\.test  \(first zone\): "
                                             r"spammer\.example = 127\.0\.0\.10"), self.srv.output[-3000:])
        self.assertTrue(self.srv.wait_output(r"!REFUSED SESSION from blacklisted server \(1 total\)"))
        self.assertNotIn("] !REFUSED SESSION", self.srv.output)       # REVIEW-6: no [ip], as the original
        log = self.read("data", "spam.log")
        self.assertIn("SPAM SESSION REFUSED on ", log)
        self.assertIn("Host: spammer.example [127.0.0.2]\r\n", log)
        self.assertIn("Reason: Listed on first.test  (first zone) as 127.0.0.10\r\n", log)
        for source in (EXEMPT_IP, RANGE, CLEAN):      # exempt, 10.0.0.1 then bl.test's 127.0.0.3, unlisted
            if source == RANGE:
                with self.assertRaises(smtplib.SMTPConnectError):
                    smtplib.SMTP("127.0.0.1", self.srv.ports["SMTPPort"], timeout=20, source_address=(source, 0))
                continue
            self.send(source, message("from " + source, b"hi\r\n"))
        self.assertTrue(self.srv.wait_output(r"!DNSBL first\.test answered 10\.0\.0\.1 for 127\.0\.0\.6: outside"))
        self.assertEqual(len(self.mail_base()), 2)

    def test_listed_message_is_tagged_and_exempt_sender_is_not(self):
        """SMTP-186 SMTP-246 SMTP-187 SMTP-100 SMTP-240 CFG-78 CFG-94: SPAM attribute, subject tag, header line and spam.log TAGGED; an exempt sender clears the listing"""
        self.start(LOCAL_ONLY + " | KILL_READ_SPAM")
        self.send(LISTED, message("hello", b"buy now\r\n"))
        self.send(LISTED, message("friendly", b"hi\r\n", sender="friend@example.org"), sender="friend@example.org")
        msgs = self.mail_base()
        self.assertEqual(len(msgs), 2)
        spam, friend = msgs
        self.assertEqual(spam.get(SUBJECT), b"SPAM: hello")
        self.assertIn(b"X-DNSBL: 127.0.0.2 is listed on bl.test as 127.0.0.2", spam.all(RFC822HEADER))
        self.assertTrue(spam.attr & ATTR_SPAM and spam.attr & ATTR_KILLREAD, hex(spam.attr))
        self.assertEqual(friend.get(SUBJECT), b"friendly")
        self.assertFalse(friend.attr & ATTR_SPAM)
        self.assertTrue(self.srv.wait_output(r"Ignoring DNSBL results for exempt sender: <friend@example\.org>"))
        log = self.read("data", "spam.log")
        self.assertEqual(log.count("SPAM TAGGED on "), 1, log)
        self.assertIn("Reason: Listed on bl.test as 127.0.0.2\r\n", log)
        # REVIEW-6: the original's two lines, without "!"
        self.assertTrue(self.srv.wait_output(r"\[127\.0\.0\.2\] TAGGED MAIL SUBJECT from blacklisted server with: SPAM"))
        self.assertTrue(self.srv.wait_output(r"\[127\.0\.0\.2\] TAGGED MAIL HEADER from blacklisted server with: X-DNSBL"))

    def test_ignore_discards_the_message(self):
        """SMTP-194 SMTP-245: DNSBL_IGNORE answers 250 and stores nothing; spam.log IGNORED"""
        self.start(LOCAL_ONLY + " | DNSBL_IGNORE")
        self.assertEqual(self.send(LISTED, message("hello", b"buy now\r\n")), {})
        self.send(CLEAN, message("clean", b"hi\r\n"))
        msgs = self.mail_base()
        self.assertEqual([m.get(SUBJECT) for m in msgs], [b"clean"])
        self.assertIn("Reason: Listed on bl.test as 127.0.0.2\r\n", self.read("data", "spam.log"))
        self.assertIn("SPAM IGNORED on ", self.read("data", "spam.log"))
        self.assertTrue(self.srv.wait_output(                            # REVIEW-6: the original's text
            r"!IGNORED MAIL from 'Alice' <alice@example\.org> to <sysop@testbbs\.example> from server: "
            r"Listed on bl\.test as 127\.0\.0\.2 \(1 total\)"))

    def test_baduser_refuses_recipient_unless_a_spam_bait_cleared_the_flag(self):
        """SMTP-114 SMTP-244 SMTP-111 SMTP-250: 550 and close at RCPT; after a spam-bait recipient the listing no longer applies"""
        self.start(LOCAL_ONLY + " | DNSBL_BADUSER")
        s = self.smtp(source=LISTED)
        s.ehlo("client.example.org")
        s.mail("alice@example.org")
        code, text = s.rcpt(USER)
        self.assertEqual((code, text.decode()), (550, "5.7.1 Mail from 127.0.0.2 refused due to listing at bl.test"))
        self.assertIn("SPAM REFUSED on ", self.read("data", "spam.log"))
        # REVIEW-4: spam.log names the recipient refused, here the first one.
        self.assertIn("From: <alice@example.org> to: %s\r\nReason: Listed on bl.test as 127.0.0.2\r\n" % USER,
                      self.read("data", "spam.log"))
        s = self.smtp(source=LISTED)
        s.ehlo("client.example.org")
        s.mail("alice@example.org")
        self.assertEqual(s.rcpt(BAIT)[0], 250)
        self.assertEqual(s.rcpt(USER)[0], 250)
        s.quit()

    def test_received_header_listing_sets_spam_without_subject_tag(self):
        """SMTP-185 SMTP-239 SMTP-247 SMTP-246: a listed relay in a Received: header marks the message; the subject stays"""
        self.start(LOCAL_ONLY + " | DNSBL_CHKRECVHDRS")
        extra = "Received: from relay.example (relay.example [127.0.0.9]) by mx.example\r\n"
        self.send(CLEAN, message("relayed", b"hi\r\n", extra=extra))
        self.send(CLEAN, message("direct", b"hi\r\n"))
        relayed, direct = self.mail_base()
        self.assertEqual(relayed.get(SUBJECT), b"relayed")
        self.assertTrue(relayed.attr & ATTR_SPAM)
        self.assertIn(b"X-DNSBL: 127.0.0.9 is listed on bl.test as 127.0.0.9", relayed.all(RFC822HEADER))
        self.assertFalse(direct.attr & ATTR_SPAM, "the Received: listing is for its message only")
        self.assertTrue(self.srv.wait_output(r"\[127\.0\.0\.9\] BLACKLISTED SERVER on bl\.test: relay\.example = "))
        self.assertIn(" [127.0.0.9]\r\n", self.read("data", "spam.log"))   # REVIEW-6: the relay's IP, as the original

    def test_received_header_listing_of_a_refused_message_does_not_reach_the_next_transaction(self):
        """REVIEW-5 SMTP-239 SMTP-189 SMTP-244: a message refused after its Received: check leaves no listing behind"""
        self.start(LOCAL_ONLY + " | DNSBL_CHKRECVHDRS | DNSBL_BADUSER")
        s = self.smtp(source=CLEAN)
        s.ehlo("client.example.org")
        s.mail("alice@example.org")
        self.assertEqual(s.rcpt(USER)[0], 250)
        msg = ("Received: from relay.example (relay.example [127.0.0.9]) by mx.example\r\n"
               "From: \"bob@other.example\" <alice@example.org>\r\nSubject: mismatched\r\n\r\nhi\r\n")
        self.assertEqual(s.data(msg.encode())[0], 554)                  # SMTP-189
        s.mail("alice@example.org")
        self.assertEqual(s.rcpt(USER)[0], 250)
        s.quit()

    def test_spam_hash_drops_the_same_body_from_a_clean_client(self):
        """SMTP-192 SMTP-249 SMTP-242 FMT-104: DNSBL_SPAMHASH writes data/spam.hash; the same body later is discarded"""
        self.start(LOCAL_ONLY + " | DNSBL_SPAMHASH")
        body = b"Cheap watches, best prices, click here.\r\n"
        self.send(LISTED, message("first", body))
        self.assertEqual(os.path.getsize(self.srv.install.path("data", "spam.hash")), 64)
        self.assertEqual(self.send(CLEAN, message("second", body)), {})
        self.send(CLEAN, message("other", b"hello\r\n"))
        self.assertEqual([m.get(SUBJECT) for m in self.mail_base()], [b"SPAM: first", b"other"])
        self.assertTrue(self.srv.wait_output(                            # REVIEW-6: the original's text
            r"Message from 'Alice' <alice@example\.org> TEXT_BODY \(hash\) found in SPAM database \(added on "))
        self.assertIn("Reason: TEXT_BODY (hash) found in SPAM database (added on ", self.read("data", "spam.log"))

    def test_throttle_pauses_each_line_of_a_listed_client(self):
        """SMTP-41 SMTP-248: DNSBL_THROTTLE: a second after each line of a listed client"""
        self.start(LOCAL_ONLY + " | DNSBL_THROTTLE")
        s = self.smtp(source=LISTED)
        start = time.monotonic()
        for _ in range(3):
            self.assertEqual(s.noop()[0], 250)
        self.assertGreaterEqual(time.monotonic() - start, 2.5)
        s.quit()

    def test_relay_and_recipient_limit_refusals_are_in_spam_log(self):
        """SMTP-107 SMTP-122 SMTP-236: spam.log REFUSED for a relay attempt and for too many recipients"""
        self.server(mail={"MaxRecipients": "1"})
        s = self.smtp(source=CLEAN)
        s.ehlo("client.example.org")
        s.mail("alice@example.org")
        self.assertEqual(s.rcpt(USER)[0], 250)
        self.assertEqual(s.rcpt(USER)[0], 452)
        self.assertEqual(s.rcpt("x@remote.example")[0], 452)
        s.close()
        # REVIEW-4: the recipient refused, not the last one accepted.
        self.assertIn("From: <alice@example.org> to: x@remote.example\r\nReason: Maximum recipient count (1)\r\n",
                      self.read("data", "spam.log"))
        s = self.smtp(source=CLEAN)
        s.ehlo("client.example.org")
        s.mail("alice@example.org")
        self.assertIn(s.rcpt("bob@elsewhere.example")[0], (550, 553))
        log = self.read("data", "spam.log")
        self.assertIn("Reason: Maximum recipient count (1)\r\n", log)
        self.assertIn("From: <alice@example.org> to: bob@elsewhere.example\r\n"
                      "Reason: Relay attempt to: bob@elsewhere.example\r\n", log)


class SilentDnsbl(ServerCase):
    def test_twenty_sessions_against_a_silent_dnsbl_each_wait_at_most_its_timeout(self):
        """SMTP-237 SEC-1: 20 sessions at once against a DNSBL server that never answers: each is served within its own look-up's timeout and its mail is accepted (fail open, logged)"""
        dns = dns_namespace.SilentDns()
        self.addCleanup(dns.stop)
        # NO_HOST_LOOKUP and no SPF/DKIM: the DNSBL look-up alone
        dns_namespace.start_server(self, dns.addr, LOCAL_ONLY, mail={"SPFCheck": "false", "DKIMCheck": "false"})
        with open(self.srv.install.path("ctrl", "dns_blacklist.cfg"), "w") as f:
            f.write("bl.test\n")
        timeout = 3 * 2                                                # session_resolver_options(): 3 s x 2 tries
        bound = timeout * 2 + 5
        results = [None] * 20

        def session(i):
            start = time.monotonic()
            try:
                s = smtplib.SMTP("127.0.0.1", self.srv.ports["SMTPPort"], timeout=bound + 10,
                                 source_address=("127.0.0.%d" % (10 + i), 0))
                s.sendmail("alice@example.org", [USER], message("n%d" % i, b"hi\r\n"))
                s.quit()
                results[i] = time.monotonic() - start
            except Exception as e:      # noqa: BLE001 - reported below
                results[i] = e

        threads = [threading.Thread(target=session, args=(i,)) for i in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(bound + 30)
        for i, r in enumerate(results):
            self.assertIsInstance(r, float, "session %d: %r" % (i, r))
            self.assertLess(r, bound, "session %d took %.1f s" % (i, r))
        self.assertEqual(len(self.mail_base()), 20)
        self.assertTrue(self.srv.wait_output(r"DNSBL look-up of \S+\.bl\.test failed"))

    def test_four_silent_zones_and_eight_received_relays_cost_one_budget_per_check(self):
        """REVIEW-2 SMTP-237 SMTP-185: 4 zones on a DNS server that never answers and 8 Received: relays: each check (connect, end of data) stops after one budget (timeout x tries), a zone that failed rests; the mail is accepted"""
        dns = dns_namespace.SilentDns()
        self.addCleanup(dns.stop)
        dns_namespace.start_server(self, dns.addr, LOCAL_ONLY + " | DNSBL_CHKRECVHDRS")
        with open(self.srv.install.path("ctrl", "dns_blacklist.cfg"), "w") as f:
            f.write("a.test\nb.test\nc.test\nd.test\n")
        budget = 3 * 2                                                 # session_resolver_options(): 3 s x 2 tries
        bound = 4 * budget + 5      # two checks, each at most its budget plus the query under way
        extra = "".join("Received: from r%d.example (r%d.example [127.0.1.%d]) by mx.example\r\n" % (i, i, i)
                        for i in range(8))
        start = time.monotonic()
        s = smtplib.SMTP("127.0.0.1", self.srv.ports["SMTPPort"], timeout=bound, source_address=(CLEAN, 0))
        s.sendmail("alice@example.org", [USER], message("relayed", b"hi\r\n", extra=extra))
        s.quit()
        self.assertLess(time.monotonic() - start, bound)
        self.assertEqual(len(self.mail_base()), 1)
        self.assertTrue(self.srv.wait_output(r"DNSBL look-up of \S+ skipped"))
