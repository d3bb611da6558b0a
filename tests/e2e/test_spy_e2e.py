"""End-to-end tests of the SMTP spy log (text/smtpspy.can): a listed client,
or a listed reverse path or recipient, has every line it sends appended to
<logs>smtpspy.txt, as with the original (SMTP-34, SMTP-143, CFG-148)."""
import os
import unittest

from e2e_common import ServerCase, message


class SpyLog(ServerCase):
    def spied(self, pattern):
        self.server()
        with open(self.srv.install.path("text", "smtpspy.can"), "a") as f:
            f.write(pattern + "\n")

    def test_listed_client_has_every_line_logged(self):
        """SMTP-34 CFG-148: a client IP listed in smtpspy.can: commands and message lines, trailing blanks removed"""
        self.spied("127.0.0.41")
        s = self.smtp(source="127.0.0.41")
        s.ehlo("spied.example")
        s.sendmail("someone@far.example", ["sysop@testbbs.example"],
                   message("spied", b"a body line   \r\nsecond line", sender="someone@far.example",
                           to="sysop@testbbs.example"))
        s.quit()
        log = self.read("data", "smtpspy.txt")
        for line in ("ehlo spied.example", "mail FROM:<someone@far.example> size=107",
                     "rcpt TO:<sysop@testbbs.example>", "data", "Subject: spied", "a body line", "second line",
                     ".", "quit"):   # as smtplib sends them
            self.assertIn(line + "\n", log)
        self.assertNotIn("a body line   ", log)

    def test_unlisted_client_is_not_logged(self):
        """SMTP-34: nothing is written for a client that is not listed"""
        self.spied("127.0.0.42")
        s = self.smtp(source="127.0.0.43")
        s.ehlo("plain.example")
        s.quit()
        self.assertEqual(self.read("data", "smtpspy.txt"), "")

    def test_listed_recipient_starts_the_log_from_that_point(self):
        """SMTP-143: a reverse path or recipient listed in smtpspy.can starts the spy log after its RCPT"""
        self.spied("sysop@testbbs.example")
        s = self.smtp(source="127.0.0.44")
        s.ehlo("late.example")
        s.sendmail("someone@far.example", ["sysop@testbbs.example"],
                   message("watched", b"watched body", sender="someone@far.example", to="sysop@testbbs.example"))
        s.quit()
        log = self.read("data", "smtpspy.txt")
        self.assertNotIn("ehlo late.example", log)
        self.assertNotIn("rcpt TO:<sysop@testbbs.example>", log)   # spying starts after it
        for line in ("data", "Subject: watched", "watched body", "quit"):
            self.assertIn(line + "\n", log)


if __name__ == "__main__":
    unittest.main()
