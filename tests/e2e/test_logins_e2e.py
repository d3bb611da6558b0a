"""End-to-end failed-login bans and request rate limits (issue #12 items 4
and 5): real smtplib and poplib clients from other loopback source addresses
against the real binary, with hack.log and text/ip.can read back after each
scenario."""
import base64
import os
import poplib
import re
import smtplib
import socket
import time
import unittest

from e2e_common import ServerCase
from harness import Install

class POP3From(poplib.POP3):
    """poplib.POP3 connecting from a given loopback source address."""

    def __init__(self, port, source):
        self.source = source
        super().__init__("127.0.0.1", port, timeout=10)

    def _create_socket(self, timeout):
        return socket.create_connection((self.host, self.port), timeout, source_address=(self.source, 0))


# text/name.can lists "sysop~": a failure as Sysop bans at once (SMTP-26), so
# the counting tests fail as GUEST, a name no user has and no list holds.
GUEST = "guest"
SYSTEM_DATE = r"\w{3} \w{3} +\d+ \d{4} +\d+:\d{2}(:\d{2}| [ap]m)"   # SMTP-79: the system's format, not RFC 822


class LoginCase(ServerCase):
    def start(self, mail):
        inst = Install()
        # Lists re-read at every look-up (CFG-133), so a line appended by one
        # session is seen by the next without waiting for the cache interval.
        with open(inst.path("ctrl", "main.ini")) as f:
            main = f.read()
        with open(inst.path("ctrl", "main.ini"), "w") as f:
            f.write(re.sub(r"(?m)^cache_filter_files=.*$", "cache_filter_files=0", main))
        settings = {"LoginAttemptDelay": "0", "LoginAttemptThrottle": "0"}
        settings.update(mail)
        self.server(mail=settings, install=inst)

    def smtp_auth(self, source, user, password):
        """One AUTH PLAIN attempt in its own session; the reply code."""
        s = self.smtp(source=source)
        s.ehlo("client.example.org")
        blob = base64.b64encode(b"\0" + user.encode() + b"\0" + password.encode()).decode()
        code, _ = s.docmd("AUTH", "PLAIN " + blob)
        s.close()
        return code

    def pop3_login(self, source, user, password):
        p = POP3From(self.srv.ports["POP3Port"], source)
        self.addCleanup(p.close)
        try:
            p.user(user)
            p.pass_(password)
        except poplib.error_proto as e:
            p.close()
            return str(e)
        p.quit()
        return "+OK"

    def closed_without_reply(self, source, port_key="SMTPPort"):
        sock = socket.create_connection(("127.0.0.1", self.srv.ports[port_key]), timeout=5,
                                        source_address=(source, 0))
        self.addCleanup(sock.close)
        sock.settimeout(5)
        return sock.recv(100) == b""

    def greeted(self, source):
        s = self.smtp(source=source)
        code = s.noop()[0]
        s.quit()
        return code == 250


class FailedLogins(LoginCase):
    def test_temp_ban_closes_smtp_without_reply(self):
        """SMTP-26 SMTP-77 POP3-42 POP3-44: N unique failed AUTHs ban the IP: the next SMTP session is closed without a reply; repeats of one password count once"""
        self.start({"LoginAttemptTempBanThreshold": "3"})
        for pw in ("one", "one", "two"):                            # "one" twice: one unique failure
            self.assertEqual(self.smtp_auth("127.0.0.21", GUEST, pw), 535)
        self.assertTrue(self.greeted("127.0.0.21"))                 # 2 unique failures: not yet
        self.assertEqual(self.smtp_auth("127.0.0.21", GUEST, "three"), 535)
        self.assertTrue(self.closed_without_reply("127.0.0.21"))
        self.assertTrue(self.srv.wait_output(
            r"\[127\.0\.0\.21\] !TEMPORARY BAN \(3 login attempts, last: guest\) - remaining: "))
        self.assertTrue(self.srv.wait_output(r"\[127\.0\.0\.21\] !3 FAILED LOGIN ATTEMPTS in "))
        # One table for both protocols: POP3 refuses the same client.
        with socket.create_connection(("127.0.0.1", self.srv.ports["POP3Port"]), timeout=5,
                                      source_address=("127.0.0.21", 0)) as s:
            self.assertEqual(s.recv(100), b"-ERR Access denied.\r\n")
        self.assertTrue(self.greeted("127.0.0.22"))                 # another client is served

    def test_failure_reply_waits_login_attempt_delay(self):
        """SMTP-77 POP3-45 CFG-45: every failed-login reply waits LoginAttemptDelay first (a lower bound, not a speed test)"""
        self.start({"LoginAttemptDelay": "700"})
        t0 = time.monotonic()
        self.assertEqual(self.smtp_auth("127.0.0.28", GUEST, "wrong"), 535)
        self.assertGreaterEqual(time.monotonic() - t0, 0.7)
        t0 = time.monotonic()
        self.assertIn("Authentication failure", self.pop3_login("127.0.0.28", GUEST, "wrong2"))
        self.assertGreaterEqual(time.monotonic() - t0, 0.7)

    def test_local_connection_never_banned(self):
        """SMTP-24 SMTP-26: the server's own address is never temporarily banned"""
        self.start({"LoginAttemptTempBanThreshold": "1"})
        self.assertEqual(self.smtp_auth("127.0.0.1", "Sysop", "wrong"), 535)   # name.can bans a remote client at once
        self.assertTrue(self.greeted("127.0.0.1"))

    def test_name_can_user_banned_at_once(self):
        """SMTP-26 POP3-44 CFG-145: a failed login as a name listed in text/name.can bans the IP at once, across protocols"""
        self.start({"LoginAttemptTempBanThreshold": "20"})
        self.assertIn("Authentication failure", self.pop3_login("127.0.0.23", "root", "guess"))
        self.assertTrue(self.closed_without_reply("127.0.0.23"))
        self.assertTrue(self.srv.wait_output(r"\[127\.0\.0\.23\] !TEMPORARY BAN \(1 login attempts, last: root\)"))

    def test_success_clears_the_count(self):
        """SMTP-76 POP3-41: a successful login forgets the IP's failures"""
        self.start({"LoginAttemptTempBanThreshold": "2"})
        self.assertEqual(self.smtp_auth("127.0.0.24", GUEST, "wrong1"), 535)
        self.assertEqual(self.pop3_login("127.0.0.24", "Sysop", "SYSOP-PASS"), "+OK")
        self.assertEqual(self.smtp_auth("127.0.0.24", GUEST, "wrong2"), 535)
        self.assertTrue(self.greeted("127.0.0.24"))                 # 1 failure since the success
        self.assertEqual(self.smtp_auth("127.0.0.24", "Sysop", "SYSOP-PASS"), 235)
        self.assertIn("Authentication failure", self.pop3_login("127.0.0.24", GUEST, "wrong3"))
        self.assertTrue(self.greeted("127.0.0.24"))

    def test_hack_log_from_smtp_and_pop3(self):
        """SMTP-77 SMTP-79 POP3-43: hack.log entries from both protocols, with the system date format, the host name and the IP"""
        self.start({"LoginAttemptHackThreshold": "1"})
        self.assertEqual(self.smtp_auth("127.0.0.25", "Sysop", "wrong"), 535)
        self.pop3_login("127.0.0.26", "Sysop", "wrong")
        self.assertTrue(self.srv.wait_output(r"\[127\.0\.0\.26\] <Sysop> !FAILED Password attempt"))
        log = self.read("data", "hack.log")
        self.assertRegex(log, r"SUSPECTED SMTP LOGIN HACK ATTEMPT for user 'Sysop' on " + SYSTEM_DATE +
                         r"\r\nUsing port \d+ at <no name> \[127\.0\.0\.25\]\r\nDetails: \*+\r\n\r\n")
        self.assertRegex(log, r"SUSPECTED POP3 LOGIN HACK ATTEMPT for user 'Sysop' on " + SYSTEM_DATE +
                         r"\r\nUsing port \d+ at <no name> \[127\.0\.0\.26\]\r\n")

    def test_filter_threshold_appends_ip_can(self):
        """SMTP-77 POP3-43 CFG-143 CFG-134: at LoginAttemptFilterThreshold the IP goes to text/ip.can with the original's comment, refusing both protocols"""
        self.start({"LoginAttemptFilterThreshold": "2", "LoginAttemptFilterDuration": "1h",
                    "LoginAttemptTempBanThreshold": "0"})
        self.assertEqual(self.smtp_auth("127.0.0.27", GUEST, "wrong1"), 535)
        self.assertIn("Authentication failure", self.pop3_login("127.0.0.27", GUEST, "wrong2"))
        lines = [l for l in self.read("text", "ip.can").split("\n") if l.startswith("127.0.0.27\t")]
        self.assertEqual(len(lines), 1, lines)
        self.assertRegex(lines[0], r"^127\.0\.0\.27\tt=\d{8}T\d{6}(Z|[+-]\d{4})\tp=POP3\t"
                                   r"r=2 FAILED LOGIN ATTEMPTS in \S+\te=\d{8}T\d{6}(Z|[+-]\d{4})\tu=guest$")
        self.assertTrue(self.srv.wait_output(r"!BLOCKING IP ADDRESS: 127\.0\.0\.27 in \S*ip\.can"))
        with self.assertRaises(smtplib.SMTPConnectError) as cm:
            smtplib.SMTP("127.0.0.1", self.srv.ports["SMTPPort"], timeout=10, source_address=("127.0.0.27", 0))
        self.assertEqual(cm.exception.smtp_code, 550)
        with socket.create_connection(("127.0.0.1", self.srv.ports["POP3Port"]), timeout=5,
                                      source_address=("127.0.0.27", 0)) as s:
            self.assertEqual(s.recv(100), b"-ERR Access denied.\r\n")   # POP3 sees the new line too


class RateLimits(LoginCase):
    def test_smtp_requests_over_the_limit_get_421_and_filter(self):
        """SMTP-52 SMTP-54 SMTP-45 CFG-85 CFG-86: the command over MaxRequestsPerPeriod gets 421; at RateLimitFilterThreshold the IP goes to ip.can"""
        self.start({"MaxRequestsPerPeriod": "3", "RequestRateLimitPeriod": "60", "RateLimitFilterThreshold": "1"})
        s = self.smtp(source="127.0.0.31")
        for _ in range(3):
            self.assertEqual(s.noop()[0], 250)
        self.assertEqual(s.noop(), (421, b"4.7.0 too many requests, try again later"))
        self.assertTrue(self.srv.wait_output(
            r"\[127\.0\.0\.31\] Too many requests per rate limit \(3 over 60s\) for 127\.0\.0\.31"))
        self.assertTrue(self.srv.wait_output(r"!BLOCKING IP ADDRESS: 127\.0\.0\.31 in ip\.can"))
        self.assertRegex(self.read("text", "ip.can"), r"\n127\.0\.0\.31\tt=\S+\tp=SMTP\tr=1 rate-limit violations\n")
        with self.assertRaises(smtplib.SMTPConnectError):
            smtplib.SMTP("127.0.0.1", self.srv.ports["SMTPPort"], timeout=10, source_address=("127.0.0.31", 0))
        self.assertTrue(self.greeted("127.0.0.32"))

    def test_subnet_key_and_exempt_client(self):
        """SMTP-52 SMTP-53: a /24 key counts its IPs together; an ipfilter_exempt.cfg client is never limited"""
        self.start({"MaxRequestsPerPeriod": "2", "RequestRateLimitPeriod": "60", "RateLimitSubnetPrefix4": "24"})
        a = self.smtp(source="127.0.3.1")
        self.assertEqual(a.noop()[0], 250)
        b = self.smtp(source="127.0.3.2")
        self.assertEqual(b.noop()[0], 250)
        self.assertEqual(b.noop()[0], 421)
        self.assertTrue(self.srv.wait_output(r"for 127\.0\.3\.0/24"))
        e = self.smtp(source="127.0.0.4")                             # ctrl/ipfilter_exempt.cfg
        for _ in range(5):
            self.assertEqual(e.noop()[0], 250)

    def test_pop3_requests_over_the_limit(self):
        """POP3-58: a TRANSACTION command over the limit gets -ERR too many requests, try again later"""
        self.start({"MaxRequestsPerPeriod": "2", "RequestRateLimitPeriod": "60"})
        p = POP3From(self.srv.ports["POP3Port"], "127.0.0.33")
        self.addCleanup(p.close)
        p.user("Sysop")
        p.pass_("SYSOP-PASS")
        p.noop()
        p.noop()
        with self.assertRaises(poplib.error_proto) as cm:
            p.noop()
        self.assertEqual(str(cm.exception), "b'-ERR too many requests, try again later'")
        self.assertTrue(self.srv.wait_output(
            r"\[127\.0\.0\.33\] <Sysop> Too many requests per rate limit \(2 over 60s\) for 127\.0\.0\.33"))


class ConcurrentConnections(LoginCase):
    def test_max_concurrent_connections_without_login(self):
        """SMTP-15 SMTP-16 POP3-9: connections over MaxConcurrentConnections from one IP get the 421 / -ERR before any greeting; a logged-in one no longer counts"""
        self.start({"MaxConcurrentConnections": "2"})
        first = self.smtp(source="127.0.0.41")
        self.smtp(source="127.0.0.41")
        with self.assertRaises(smtplib.SMTPConnectError) as cm:
            smtplib.SMTP("127.0.0.1", self.srv.ports["SMTPPort"], timeout=10, source_address=("127.0.0.41", 0))
        self.assertEqual(cm.exception.smtp_code, 421)
        self.assertIn(b"Maximum connections exceeded", cm.exception.smtp_error)
        with socket.create_connection(("127.0.0.1", self.srv.ports["POP3Port"]), timeout=5,
                                      source_address=("127.0.0.41", 0)) as s:
            self.assertEqual(s.recv(200), b"-ERR System Error: Maximum connections exceeded, try again later\r\n")
        self.assertTrue(self.srv.wait_output(r"!Maximum concurrent connections without login \(2\) exceeded"))
        first.ehlo("client.example.org")
        first.user, first.password = "Sysop", "SYSOP-PASS"
        self.assertEqual(first.auth("PLAIN", first.auth_plain)[0], 235)
        third = self.smtp(source="127.0.0.41")                       # the logged-in session no longer counts
        self.assertEqual(third.noop()[0], 250)
        self.assertTrue(self.greeted("127.0.0.42"))


if __name__ == "__main__":
    unittest.main()
