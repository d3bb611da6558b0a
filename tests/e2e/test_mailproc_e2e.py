"""End-to-end external mail processors (issue #12 item 7, smtp.md section 15):
small native processors written by the test as shell scripts in a
ctrl/mailproc.ini of the temp install, driven by smtplib against the real
binary, with the base read back after each scenario."""
import os
import shutil
import smtplib
import stat
import time
import unittest

from e2e_common import LOCAL_ONLY, ServerCase, message
from harness import SbbsMail
import smbdump

USER = "sysop@testbbs.example"


class MailProcessors(ServerCase):
    def start(self, mailproc_ini, scripts=None, mail=None, exec_files=None):
        """A server whose mailproc.ini is `mailproc_ini`; `scripts` maps a name
        to a shell script body written (executable) to a scratch directory,
        named in the INI as {dir}/<name>."""
        settings = {"Options": LOCAL_ONLY}
        settings.update(mail or {})
        srv = SbbsMail(mail=settings)
        self.addCleanup(srv.install.cleanup)
        self.addCleanup(srv.stop)
        self.srv = srv
        self.dir = srv.install.path("scratch")
        os.makedirs(self.dir)
        for name, body in (scripts or {}).items():
            self.write_script(os.path.join(self.dir, name), body)
        for name, body in (exec_files or {}).items():
            os.makedirs(srv.install.path("exec"), exist_ok=True)
            self.write_script(srv.install.path("exec", name), body)
        with open(srv.install.path("ctrl", "mailproc.ini"), "w") as f:
            f.write(mailproc_ini.format(dir=self.dir))
        return srv.start()

    @staticmethod
    def write_script(path, body):
        with open(path, "w") as f:
            f.write("#!/bin/sh\n" + body)
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)

    def scratch(self, name):
        path = os.path.join(self.dir, name)
        if not os.path.exists(path):
            return None
        with open(path, "rb") as f:
            return f.read()

    def send(self, rcpts, msg, sender="alice@example.org"):
        s = self.smtp(source="127.0.0.5")
        s.ehlo("client.example.org")
        try:
            return s.sendmail(sender, rcpts, msg)
        finally:
            s.quit()

    def subjects(self):
        return [m.get(smbdump.SUBJECT) for m in self.mail_base()]

    def test_tagging_processor_rewrites_the_stored_message(self):
        """SMTP-180 SMTP-216 SMTP-223 CFG-164 CFG-165: a pass-through processor writes %n and the tagged text is stored"""
        self.start("[Tag]\nNative=true\nCommand={dir}/tag %m %n %u\n",
                   {"tag": 'sed "s/^Subject: /Subject: [TAGGED] /" "$1" > "$2"\necho "$3" > "${0%/*}/user"\n'})
        self.send([USER], message("hello", b"body line\r\n"))
        self.assertEqual(self.subjects(), [b"[TAGGED] hello"])
        self.assertEqual(self.mail_base()[0].body.rstrip(b"\r\n"), b"body line")
        self.assertEqual(self.scratch("user"), b"0\n")                     # %u: unauthenticated
        self.assertTrue(self.srv.wait_output(r"\[127\.0\.0\.5\] Executing external mail processor: Tag"))
        # The work files are gone once the transaction ends.
        self.assertEqual([f for f in os.listdir(self.srv.install.path("temp")) if f.startswith("SBBS_SMTP.")]
                         if os.path.isdir(self.srv.install.path("temp")) else [], [])

    def test_recipients_kept_by_a_processor_keep_their_dsn_parameters(self):
        """RFC3461-4 SMTP-223 SMTP-158: the recipient list read back after a pass-through processor has no DSN keys; a recipient it kept keeps its NOTIFY/ORCPT (0xD5) and MAIL's RET/ENVID (0xD4)"""
        self.start("[Tag]\nNative=true\nCommand={dir}/tag %m %n\n",
                   {"tag": 'sed "s/^Subject: /Subject: [TAGGED] /" "$1" > "$2"\n'})
        s = self.smtp(source="127.0.0.5")
        s.ehlo("client.example.org")
        s.sendmail("alice@example.org", [USER], message("dsn", b"x\r\n"), mail_options=["ENVID=mp1"],
                   rcpt_options=["NOTIFY=SUCCESS", "ORCPT=rfc822;" + USER])
        s.quit()
        # The kept NOTIFY=SUCCESS also gets its local `delivered` report (RFC 3461 6.2.1).
        self.assertEqual(self.subjects(), [b"[TAGGED] dsn", b"Delivered: [TAGGED] dsn"])
        m = self.mail_base()[0]
        self.assertEqual(m.get(smbdump.DSN_ENVELOPE), b"ENVID=mp1")
        self.assertEqual(m.get(smbdump.DSN_RECIPIENT), b"NOTIFY=SUCCESS ORCPT=rfc822;" + USER.encode())

    def test_rejecting_processor_reply_reaches_the_client(self):
        """SMTP-178 SMTP-220 SMTP-221: the error file's lines are the reply (554- continuation, verbatim codes) and nothing is stored"""
        self.start("[Reject]\nNative=true\nCommand={dir}/reject %e\n",
                   {"reject": 'printf "Go away\\nNot wanted here\\n" > "$1"\n'})
        with self.assertRaises(smtplib.SMTPDataError) as cm:
            self.send([USER], message("unwanted", b"x\r\n"))
        self.assertEqual(cm.exception.smtp_code, 554)
        self.assertEqual(cm.exception.smtp_error, b"Go away\nNot wanted here")
        self.assertEqual(self.mail_base(), [])
        self.assertTrue(self.srv.wait_output(r"!External mail processor \(Reject\) error: Not wanted here"))
        # A line with its own code is sent verbatim.
        self.write_script(os.path.join(self.dir, "reject"), 'echo "451 Try again later" > "$1"\n')
        with self.assertRaises(smtplib.SMTPDataError) as cm:
            self.send([USER], message("later", b"x\r\n"))
        self.assertEqual((cm.exception.smtp_code, cm.exception.smtp_error), (451, b"Try again later"))
        self.assertEqual(self.mail_base(), [])

    def test_claimed_recipient_goes_to_the_processor_not_the_base(self):
        """SMTP-129 SMTP-133 SMTP-158 SMTP-220 SMTP-222 CFG-163: a non-pass-through processor claims its To address, gets the list and text, and nothing is stored"""
        self.start("[List]\nNative=true\nPassThru=false\nTo=mylist\nCommand={dir}/list %m %l\n",
                   {"list": 'cp "$1" "${0%/*}/got.msg"; cp "$2" "${0%/*}/got.lst"\n'})
        s = self.smtp(source="127.0.0.5")
        s.ehlo("client.example.org")
        s.mail("<alice@example.org>")
        self.assertEqual(s.rcpt("<mylist@testbbs.example>"), (250, b"2.1.5 OK"))
        self.assertEqual(s.data(message("to the list", b"list body\r\n", to="mylist@testbbs.example"))[0], 250)
        s.quit()
        self.assertTrue(self.srv.wait_output(
            r"Routing mail for mylist@testbbs\.example to External Mail Processor: List"))
        self.assertTrue(self.srv.wait_output(r"Message handled by external mail processor \(List, 1 total\)"))
        self.assertEqual(self.mail_base(), [])
        self.assertEqual(self.scratch("got.lst"),
                         b"[0]\nTo=mylist@testbbs.example\nSMTPForwardPath=<mylist@testbbs.example>\n")
        self.assertIn(b"Subject: to the list\r\n\r\nlist body\r\n", self.scratch("got.msg"))

    def test_claimed_recipient_of_a_skipped_processor_is_not_delivered(self):
        """SMTP-205 SMTP-215 CFG-164: a claim whose processor does not run (From list) delivers nothing for it; the other recipient is stored"""
        self.start("[List]\nNative=true\nPassThru=false\nTo=mylist\nFrom=*@elsewhere.example\n"
                   "Command={dir}/list\n", {"list": 'touch "${0%/*}/ran"\n'})
        self.send(["mylist@testbbs.example", USER], message("both", b"x\r\n"))
        self.assertIsNone(self.scratch("ran"))
        base = self.mail_base()
        self.assertEqual(len(base), 1)
        self.assertEqual(base[0].get(smbdump.RECIPIENTEXT), b"1")
        self.assertTrue(self.srv.wait_output(r"!Recipient mylist@testbbs\.example has no destination"))

    def test_hanging_processor_is_killed_at_the_time_limit(self):
        """SMTP-217 (ours: a time limit, MailProcessorTimeout): the hung child and its children are killed, the message goes on"""
        self.start("[Hang]\nNative=true\nCommand={dir}/hang\n",
                   {"hang": 'echo $$ > "${0%/*}/pid"\nsleep 60 & echo $! > "${0%/*}/child"\nwait\n'},
                   mail={"MailProcessorTimeout": "2"})
        self.send([USER], message("patience", b"x\r\n"))
        self.assertTrue(self.srv.wait_output(
            r"!External mail processor \(Hang\) timed out after 2 seconds \(killed\)"))
        self.assertEqual(self.subjects(), [b"patience"])
        for name in ("pid", "child"):
            pid = int(self.scratch(name))
            deadline = time.monotonic() + 5
            while os.path.exists("/proc/%d" % pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertFalse(os.path.exists("/proc/%d" % pid), name + " still runs")

    def test_work_files_that_cannot_be_written_get_452(self):
        """SMTP-161: with processors configured the message goes to a temp file; when it cannot be created: 452"""
        self.start("[Tag]\nNative=true\nCommand={dir}/tag\n", {"tag": "exit 0\n"})
        temp = self.srv.install.path("temp")
        shutil.rmtree(temp)
        with open(temp, "w") as f:               # a file where the directory was: nothing can be created in it
            f.write("not a directory\n")
        with self.assertRaises(smtplib.SMTPDataError) as cm:
            self.send([USER], message("nowhere", b"x\r\n"))
        self.assertEqual((cm.exception.smtp_code, cm.exception.smtp_error), (452, b"4.3.1 Insufficient system storage"))
        self.assertEqual(self.mail_base(), [])

    def test_processor_inherits_no_server_descriptor(self):
        """SMTP-217: the child gets stdin, stdout and stderr only: no client socket, listener or open base"""
        self.start("[Fds]\nNative=true\nCommand={dir}/fds\n",
                   {"fds": 'ls -l /proc/$$/fd > "${0%/*}/fds"\n'})
        self.send([USER], message("fds", b"x\r\n"))
        fds = self.scratch("fds").decode()
        self.assertNotIn("socket:", fds)
        self.assertNotIn(".shd", fds)
        self.assertNotIn(".db", fds)

    def test_ignore_on_error_discards_the_message(self):
        """SMTP-217: a failing native processor with IgnoreOnError=true: 250 OK and nothing stored"""
        self.start("[Fail]\nNative=true\nIgnoreOnError=true\nCommand={dir}/fail\n", {"fail": "exit 3\n"})
        self.assertEqual(self.send([USER], message("dropped", b"x\r\n")), {})
        self.assertTrue(self.srv.wait_output(r"!External mail processor \(Fail\) returned 3"))
        self.assertTrue(self.srv.wait_output(r"!IGNORED MAIL due to mail processor \(Fail\) error"))
        self.assertEqual(self.mail_base(), [])

    def test_hostile_message_data_is_one_argument_never_a_command(self):
        """SMTP-216 CFG-165: shell syntax in the sender name, address and recipient reaches the processor as data"""
        self.start("[Args]\nNative=true\nCommand={dir}/args %s %a %t %r\n",
                   {"args": 'for a in "$@"; do printf "%s\\n" "$a"; done > "${0%/*}/argv"\n'})
        pwned = os.path.join(self.dir, "pwned")
        victim = os.path.join(self.dir, "victim")
        open(victim, "w").close()
        name = "$(touch %s); rm -rf %s `touch %s`" % (pwned, victim, pwned)
        msg = ('From: "%s" <alice@example.org>\r\nTo: %s\r\nSubject: $(touch %s) ; rm -rf %s\r\n\r\nx\r\n'
               % (name, USER, pwned, victim)).encode()
        s = self.smtp(source="127.0.0.5")
        s.ehlo("client.example.org")
        self.assertEqual(s.docmd("MAIL FROM:<a;touch${IFS}x@example.org>")[0], 250)   # smtplib would clean it
        self.assertEqual(s.rcpt(USER)[0], 250)
        self.assertEqual(s.data(msg)[0], 250)
        s.quit()
        self.assertEqual(self.scratch("argv").decode().split("\n")[:-1],
                         [name, "alice@example.org", USER, "<a;touch${IFS}x@example.org>"])
        self.assertFalse(os.path.exists(pwned))
        self.assertTrue(os.path.exists(victim))
        self.assertEqual(len(self.mail_base()), 1)

    def test_javascript_processor_without_jsexec_warns_once_and_is_skipped(self):
        """SMTP-218 SMTP-224: no exec/jsexec: one warning naming the processors, mail still delivered"""
        self.start("[MailAuth]\nCommand=mailauth.js\n[Tag]\nNative=true\nCommand={dir}/tag %m %n\n",
                   {"tag": 'sed "s/^Subject: /Subject: [T] /" "$1" > "$2"\n'})
        self.send([USER], message("one", b"x\r\n"))
        self.send([USER], message("two", b"x\r\n"))
        self.assertEqual(self.subjects(), [b"[T] one", b"[T] two"])
        self.assertTrue(self.srv.wait_output(r"Session thread terminated"))
        self.assertEqual(self.srv.output.count("jsexec not found: JavaScript mail processors are skipped (MailAuth)"),
                         1, self.srv.output[-3000:])

    def test_javascript_processor_runs_through_the_installs_jsexec(self):
        """SMTP-218: with exec/jsexec the script (found in exec/) runs with the globals and its arguments"""
        self.start("[Js]\nCommand=myproc one %t\n",
                   exec_files={"jsexec": 'for a in "$@"; do printf "%s\\n" "$a"; done > "${0%/*}/../scratch/js"\n',
                               "myproc.js": "// not run by the fake jsexec\n"})
        self.send([USER], message("js", b"x\r\n"))
        argv = self.scratch("js").decode().split("\n")
        self.assertTrue(argv[0].startswith("-c"))
        self.assertIn('var sender_address="alice@example.org";', argv[1])
        self.assertIn('var recipient_address="%s";' % USER, argv[1])
        self.assertTrue(argv[1].startswith("-r") and argv[1].endswith("myproc.js\"].concat(argv));"), argv[1])
        self.assertEqual(argv[2:4], ["one", USER])
        self.assertEqual(self.subjects(), [b"js"])


if __name__ == "__main__":
    unittest.main()
