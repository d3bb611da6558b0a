"""End-to-end inbound DKIM and DMARC (issue #16 items 2-4): a dnsmasq on
loopback publishes a DKIM key (sel._domainkey.example.org), SPF and _dmarc
records; mail signed with Debian's python3-dkim is sent with smtplib from
distinct 127.0.0.x addresses, and what POP3 RETR returns is parsed."""
import base64
import os
import shutil
import smtplib
import subprocess
import tempfile

from e2e_common import ServerCase, message
from harness import Install, run_cli
from mail_auth_e2e import ATTR_SPAM, USER, MailAuthCase

GOOD, BAD = "127.0.0.2", "127.0.0.3"      # example.org's SPF permits GOOD only
DEBIAN_PYTHON = "/usr/bin/python3"         # where python3-dkim lives (not a pyenv shim)
SIGNER = ("import sys, dkim; key = open(sys.argv[1], 'rb').read(); msg = sys.stdin.buffer.read(); "
          "sys.stdout.buffer.write(dkim.sign(msg, b'sel', b'example.org', key, "
          "include_headers=[b'from', b'to', b'subject']) + msg)")


def make_key(directory):
    """A 1024-bit RSA key (RFC 8301's least): the private PEM's path and the
    public key as a DKIM record's p= value (one TXT string, under 255)."""
    pem = os.path.join(directory, "sel.pem")
    subprocess.run(["openssl", "genrsa", "-out", pem, "1024"], check=True, capture_output=True)
    der = subprocess.run(["openssl", "rsa", "-in", pem, "-pubout", "-outform", "DER"], check=True,
                         capture_output=True).stdout
    return pem, base64.b64encode(der).decode()


class DkimDmarc(MailAuthCase):
    LOCAL = ("example.org", "q.example", "n.example", "client.example.org", "in-addr.arpa")

    @classmethod
    def setUpClass(cls):
        if subprocess.run([DEBIAN_PYTHON, "-c", "import dkim"], capture_output=True).returncode != 0:
            raise __import__("unittest").SkipTest("needs Debian's python3-dkim")
        cls.keydir = tempfile.mkdtemp(prefix="sbbs-dkim-")
        cls.pem, public = make_key(cls.keydir)
        cls.base_records = [
            'txt-record=sel._domainkey.example.org,"v=DKIM1; k=rsa; p=%s"' % public,
            'txt-record=example.org,"v=spf1 ip4:127.0.0.2 -all"',
            'txt-record=client.example.org,"v=spf1 ip4:127.0.0.0/24 ?all"',
            'txt-record=_dmarc.q.example,"v=DMARC1; p=quarantine"',
            'txt-record=_dmarc.n.example,"v=DMARC1; p=none"',
        ]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.keydir, True)

    def start_with(self, dmarc_policy="reject", mail=None):
        self.RECORDS = self.base_records + ['txt-record=_dmarc.example.org,"v=DMARC1; p=%s"' % dmarc_policy]
        self.start(mail)

    def signed(self, subject, body=b"We met at noon.\r\n", sender="alice@example.org"):
        return subprocess.run([DEBIAN_PYTHON, "-c", SIGNER, self.pem], input=message(subject, body, sender=sender),
                              check=True, capture_output=True, timeout=30).stdout

    def send(self, source, sender, data):
        s = self.smtp(source=source)
        s.ehlo("client.example.org")
        s.sendmail(sender, [USER], data)
        s.quit()

    def tampered(self, subject):
        return self.signed(subject).replace(b"We met at noon.", b"We met at one.")

    def test_signed_mail_passes_and_a_tampered_body_fails(self):
        """RFC6376-6.1 RFC8601-2.7.1 RFC7489-6.6: dkim=pass header.d/s/a and dmarc=pass header.from; a changed body gets dkim=fail and dmarc=fail, stored under DMARCPolicy=off"""
        self.start_with("reject")
        self.send(GOOD, "alice@example.org", self.signed("signed"))
        self.send(BAD, "alice@example.org", self.tampered("tampered"))       # SPF fails too: nothing aligns
        self.send(GOOD, "bob@n.example", message("plain", b"hi\r\n", sender="bob@n.example"))
        good, bad, plain = self.retrieve()
        ar = self.ours(good)[0]
        self.assertIn("dkim=pass header.d=example.org header.s=sel header.a=rsa-sha256", ar)
        self.assertIn("dmarc=pass (p=reject) header.from=example.org", ar)
        self.assertIn("spf=pass smtp.mailfrom=alice@example.org", ar)
        ar = self.ours(bad)[0]
        self.assertIn("dkim=fail", ar)
        self.assertIn("header.d=example.org header.s=sel", ar)
        self.assertIn("dmarc=fail (p=reject) header.from=example.org", ar)
        self.assertEqual(bad["Subject"], "tampered")                          # DMARCPolicy=off: headers only
        self.assertIn("dkim=none", self.ours(plain)[0])                       # RFC 8601 2.7.1: not signed
        self.assertIn("dmarc=fail (p=none) header.from=n.example", self.ours(plain)[0])
        self.assertTrue(self.srv.wait_output(r"\[127\.0\.0\.2\] DKIM example\.org \(s=sel, rsa-sha256\): pass"))
        self.assertTrue(self.srv.wait_output(r"\[127\.0\.0\.3\] DMARC example\.org: fail \(p=reject\)"))

    def test_honor_refuses_p_reject_at_end_of_data_and_tags_p_quarantine(self):
        """RFC7489-6.6 RFC7489-6.7 ISSUE16-4: DMARCPolicy=honor: p=reject gets 550 5.7.1 after the data, p=quarantine is tagged (subject, X-DMARC, SPAM), p=none and a pass are stored as sent"""
        self.start_with("reject", {"DMARCPolicy": "honor"})
        with self.assertRaises(smtplib.SMTPDataError) as refused:
            self.send(BAD, "alice@example.org", self.tampered("forged"))
        self.assertEqual(refused.exception.smtp_code, 550)
        self.assertTrue(refused.exception.smtp_error.startswith(b"5.7.1 Unauthenticated mail from example.org"),
                        refused.exception.smtp_error)
        self.send(GOOD, "eve@q.example", message("quarantined", b"hi\r\n", sender="eve@q.example"))
        self.send(GOOD, "bob@n.example", message("monitored", b"hi\r\n", sender="bob@n.example"))
        self.send(GOOD, "alice@example.org", self.signed("signed"))
        quarantined, monitored, signed = self.retrieve()
        self.assertEqual(quarantined["Subject"], "SPAM: quarantined")
        self.assertEqual(quarantined["X-DMARC"], "fail (header.from q.example, p=quarantine)")
        self.assertEqual((monitored["Subject"], monitored["X-DMARC"]), ("monitored", None))
        self.assertEqual((signed["Subject"], signed["X-DMARC"]), ("signed", None))
        self.assertEqual([m.attr & ATTR_SPAM for m in self.mail_base()], [ATTR_SPAM, 0, 0])
        self.assertTrue(self.srv.wait_output(r"\[127\.0\.0\.3\] !DMARC REFUSED message from <alice@example\.org>"))

    def test_reject_refuses_any_dmarc_fail_and_tag_tags_it(self):
        """RFC7489-6.7 ISSUE16-4: DMARCPolicy=reject refuses dmarc=fail whatever p= says (here p=none); DMARCPolicy=tag tags a p=reject fail"""
        self.start_with("none", {"DMARCPolicy": "reject"})
        with self.assertRaises(smtplib.SMTPDataError) as refused:
            self.send(BAD, "alice@example.org", self.tampered("forged"))
        self.assertEqual((refused.exception.smtp_code, refused.exception.smtp_error[:5]), (550, b"5.7.1"))
        self.srv.stop()
        self.start_with("reject", {"DMARCPolicy": "tag"})
        self.send(BAD, "alice@example.org", self.tampered("forged"))
        forged, = self.retrieve()
        self.assertEqual(forged["Subject"], "SPAM: forged")
        self.assertTrue(forged["X-DMARC"].startswith("fail (header.from example.org, p=reject"), forged["X-DMARC"])

    def test_dkim_check_and_spf_check_switch_off_apart(self):
        """ISSUE16-4 RFC8601-2.7.1: DKIMCheck=false: no dkim= or dmarc= but SPF still checked (and no refusal); SPFCheck=false: dkim= and dmarc= without spf="""
        self.start_with("reject", {"DKIMCheck": "false", "DMARCPolicy": "honor"})
        self.send(BAD, "alice@example.org", self.tampered("unchecked"))
        msg, = self.retrieve()
        ar = self.ours(msg)[0]
        self.assertIn("spf=fail smtp.mailfrom=alice@example.org", ar)
        self.assertNotIn("dkim=", ar)
        self.assertNotIn("dmarc=", ar)
        self.srv.stop()
        self.start_with("reject", {"SPFCheck": "false"})
        self.send(GOOD, "alice@example.org", self.signed("no spf"))
        msg, = [m for m in self.retrieve() if m["Subject"] == "no spf"]
        ar = self.ours(msg)[0]
        self.assertIn("dkim=pass header.d=example.org", ar)
        self.assertIn("dmarc=pass", ar)
        self.assertNotIn("spf=", ar)
        self.assertIsNone(msg["Received-SPF"])


class DmarcCheckCommand(ServerCase):
    def test_check_names_a_bad_dmarc_policy_with_file_and_line(self):
        """ISSUE16-4: --check knows DKIMCheck and reports a bad DMARCPolicy value as file:line (a warning: off is used)"""
        inst = Install()
        self.addCleanup(inst.cleanup)
        inst.set_ini("Mail", "DKIMCheck", "false")
        inst.set_ini("Mail", "DMARCPolicy", "quarantine")
        r = run_cli(["--ctrl", inst.ctrl, "--check"])
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertNotIn("DKIMCheck", r.stdout)                               # a key of ours, not "unknown"
        self.assertIn("%s:%d: DMARCPolicy: value 'quarantine' is not one of off, tag, reject, honor: using off"
                      % (inst.sbbs_ini, inst.line_of("DMARCPolicy")), r.stdout)
