"""End-to-end POP3: poplib, fetchmail and openssl s_client against the real
binary, with mail delivered over SMTP first and the base checked after."""
import hashlib
import os
import poplib
import re
import shutil
import subprocess
import tempfile
import time
import unittest

from e2e_common import ServerCase, message, unverified_context
from harness import read_line
import smbdump

ATTACHMENT = bytes(range(256)) * 8

def multipart_body():
    import base64
    b64 = base64.encodebytes(ATTACHMENT).replace(b"\n", b"\r\n")
    return (b"This is a multi-part message in MIME format.\r\n\r\n--XYZ\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\n\r\nsee attached\r\n\r\n--XYZ\r\n"
            b"Content-Type: application/octet-stream; name=\"blob.bin\"\r\n"
            b"Content-Transfer-Encoding: base64\r\n"
            b"Content-Disposition: attachment; filename=\"blob.bin\"\r\n\r\n" + b64 + b"\r\n--XYZ--\r\n")

BODIES = {
    "plain": b"Plain text line one.\r\nLine two.\r\nflowed line \r\n\r\n\tindented\r\n",
    "8bit": "Gr\u00fc\u00dfe aus K\u00f6ln \u2013 \u00e9t\u00e9\r\n".encode("utf-8") + b"latin-1 caf\xe9\r\n",
    "long": (b"x" * 900 + b"\r\n") * 3 + b"y" * 998 + b"\r\n",
    "dots": b".starts with a dot\r\n..two dots\r\n.\r\nlast\r\n",
}
MIME_HEADER = "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"XYZ\"\r\n"


class Pop3Case(ServerCase):
    def deliver(self, subjects_bodies, to="sysop@testbbs.example"):
        s = self.smtp()
        s.ehlo("client.example.org")
        for subject, body, extra in subjects_bodies:
            s.sendmail("alice@example.org", [to], message(subject, body, extra=extra))
        s.quit()

    def pop(self, key="POP3Port"):
        p = poplib.POP3("127.0.0.1", self.srv.ports[key], timeout=10)
        self.addCleanup(p.close)
        return p


def body_of(lines):
    """The body as sent by RETR (poplib has undone the dot-stuffing and the
    line ends): ours adds no CR LF after the stored text, unlike the original."""
    raw = b"\r\n".join(lines) + b"\r\n"
    return raw.split(b"\r\n\r\n", 1)[1]


def read_multiline(sock, limit=1 << 22):
    """Raw octets of a multi-line reply up to and including CRLF.CRLF."""
    data = b""
    while not data.endswith(b"\r\n.\r\n") and len(data) < limit:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


class Pop3Retrieve(Pop3Case):
    def test_user_pass_round_trip_bodies_identical(self):
        """POP3-18 POP3-29 POP3-37 POP3-78 POP3-88 POP3-98: SMTP in, RETR out, bodies byte-identical, READ marked"""
        self.server()
        items = [(k, v, "") for k, v in BODIES.items()] + [("mime", multipart_body(), MIME_HEADER)]
        self.deliver(items)
        p = self.pop()
        self.assertRegex(p.getwelcome(), rb"^\+OK Synchronet POP3 Server \S+ Ready <[^>]+>$")
        p.user("Sysop")
        p.pass_("SYSOP-PASS")
        count, _ = p.stat()
        self.assertEqual(count, len(items))
        for i, (subject, body, _) in enumerate(items, 1):
            _, lines, _ = p.retr(i)
            self.assertEqual(body_of(lines), body, subject)
        p.quit()
        for m in self.mail_base():
            self.assertTrue(m.attr & smbdump.ATTR_READ, m)

    def test_raw_retr_octets_equal_list_size_and_body(self):
        """POP3-53 POP3-70 POP3-80 POP3-97: on the wire, RETR sends the stored body unchanged (dot-stuffed)
        and exactly the octets LIST announced"""
        self.server()
        items = [(k, v, "") for k, v in BODIES.items()] + [("mime", multipart_body(), MIME_HEADER)]
        self.deliver(items)
        with self.srv.connect("POP3Port") as s:
            read_line(s)
            for cmd in (b"USER Sysop", b"PASS SYSOP-PASS"):
                s.sendall(cmd + b"\r\n")
                self.assertTrue(read_line(s).startswith("+OK"))
            for i, (subject, body, _) in enumerate(items, 1):
                s.sendall(b"LIST %d\r\n" % i)
                size = int(read_line(s).split()[2])
                s.sendall(b"RETR %d\r\n" % i)
                reply = read_multiline(s)
                first, rest = reply.split(b"\r\n", 1)
                self.assertEqual(first, b"+OK message follows")
                sent = rest[:-3]                        # without the "." line
                self.assertEqual(len(sent), size + sent.count(b"\r\n.") + sent.startswith(b"."), subject)
                unstuffed = re.sub(rb"(^|\r\n)\.", rb"\1", sent)
                self.assertEqual(len(unstuffed), size, subject)
                self.assertEqual(unstuffed.split(b"\r\n\r\n", 1)[1], body, subject)
            s.sendall(b"QUIT\r\n")
            self.assertTrue(read_line(s).startswith("+OK"))

    def user_fields(self, number):
        with open(self.srv.install.path("data", "user", "user.tab"), "rb") as f:
            f.seek((number - 1) * 1000)
            return f.read(1000).split(b"\t")

    def test_logout_updates_last_on_in_user_tab(self):
        """POP3-112: the end of a session that reached TRANSACTION sets the user's LASTON in user.tab"""
        import datetime
        self.server()
        before = self.user_fields(1)
        t0 = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        p = self.pop()
        p.user("Sysop")
        p.pass_("SYSOP-PASS")
        p.stat()
        p.quit()
        deadline = time.monotonic() + 10                       # the update follows the QUIT reply
        while self.user_fields(1)[30] == before[30] and time.monotonic() < deadline:
            time.sleep(0.05)
        after = self.user_fields(1)
        t1 = datetime.datetime.now(datetime.timezone.utc)
        laston = datetime.datetime.strptime(after[30].decode(), "%Y%m%dT%H%M%SZ").replace(
            tzinfo=datetime.timezone.utc)
        self.assertTrue(t0 <= laston <= t1, (before[30], after[30]))
        self.assertEqual(after[34], before[34] or b"0")        # TIMEON: no whole minute passed
        self.assertEqual(after[1], before[1])                  # the record is still Sysop's

    def test_dele_marks_deleted_in_base(self):
        """POP3-100 POP3-63 POP3-105: DELE sets MSG_DELETE in the mail base, which keeps the message"""
        self.server()
        self.deliver([("one", b"1\r\n", ""), ("two", b"2\r\n", "")])
        p = self.pop()
        p.user("Sysop")
        p.pass_("SYSOP-PASS")
        p.dele(1)
        p.quit()
        msgs = self.mail_base()
        self.assertEqual(len(msgs), 2)
        self.assertTrue(msgs[0].attr & smbdump.ATTR_DELETE)
        self.assertFalse(msgs[1].attr & smbdump.ATTR_DELETE)
        p = self.pop()
        p.user("Sysop")
        p.pass_("SYSOP-PASS")
        self.assertEqual(p.stat()[0], 1)
        p.quit()

    def test_apop_login(self):
        """POP3-19 POP3-31 POP3-38: APOP with the MD5 of timestamp and password"""
        self.server()
        self.deliver([("apop", b"via apop\r\n", "")])
        p = self.pop()
        # The digest uses the stored password in lower case.
        p.apop("Sysop", "sysop-pass")
        self.assertEqual(p.stat()[0], 1)
        p.quit()

    def test_stls_then_login(self):
        """POP3-25 POP3-26 POP3-62: STLS on the plain port, then USER/PASS over TLS"""
        self.server()
        self.deliver([("stls", b"over stls\r\n", "")])
        p = self.pop()
        self.assertIn("STLS", p.capa())
        p.stls(context=unverified_context())
        self.assertNotIn("STLS", p.capa())
        p.user("Sysop")
        p.pass_("SYSOP-PASS")
        _, lines, _ = p.retr(1)
        self.assertEqual(body_of(lines), b"over stls\r\n")
        p.quit()

    def test_pop3s_port(self):
        """POP3-6 POP3-15 POP3-18: POP3_SSL on the TLS port greets as POP3S"""
        self.server()
        self.deliver([("ssl", b"over pop3s\r\n", "")])
        p = poplib.POP3_SSL("127.0.0.1", self.srv.ports["TLSPOP3Port"], timeout=10, context=unverified_context())
        self.addCleanup(p.close)
        self.assertIn(b"POP3S Server", p.getwelcome())
        p.user("Sysop")
        p.pass_("SYSOP-PASS")
        _, lines, _ = p.retr(1)
        self.assertEqual(body_of(lines), b"over pop3s\r\n")
        p.quit()

    def test_wrong_password(self):
        """POP3-37 POP3-34: a wrong password or unknown user gets -ERR"""
        self.server()
        p = self.pop()
        p.user("Sysop")
        with self.assertRaises(poplib.error_proto):
            p.pass_("nope")

    def test_openssl_s_client(self):
        """POP3-15 POP3-18: openssl s_client on the TLS port"""
        if not shutil.which("openssl"):
            self.skipTest("openssl not installed")
        self.server()
        r = subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % self.srv.ports["TLSPOP3Port"],
                            "-quiet", "-ign_eof"],
                           input=b"USER Sysop\r\nPASS SYSOP-PASS\r\nSTAT\r\nQUIT\r\n",
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
        out = r.stdout.decode("latin-1")
        self.assertRegex(out, r"^\+OK Synchronet POP3S Server")
        self.assertEqual(out.count("+OK"), 5, out)


def connect_from(port, source):
    import socket
    return socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0))


class Pop3NonLocalClient(Pop3Case):
    def test_ip_can_refuses_listed_client(self):
        """POP3-16: a client IP listed in text/ip.can gets -ERR Access denied. before any greeting"""
        from harness import Install, read_line
        inst = Install()
        with open(inst.path("text", "ip.can"), "a") as f:
            f.write("\n127.0.0.2\n")
        self.server(install=inst)
        with connect_from(self.srv.ports["POP3Port"], "127.0.0.2") as s:
            self.assertEqual(read_line(s), "-ERR Access denied.\r\n")
        with connect_from(self.srv.ports["POP3Port"], "127.0.0.1") as s:
            self.assertTrue(read_line(s).startswith("+OK"))

    def test_temp_ban_spares_the_server_address(self):
        """POP3-16 POP3-42 POP3-44: failed logins ban a remote IP, never the server's own address"""
        from harness import read_line
        self.server(global_={"LoginAttemptTempBanThreshold": "2"})
        for source in ("127.0.0.2", "127.0.0.1"):
            for attempt in range(2):
                with connect_from(self.srv.ports["POP3Port"], source) as s:
                    self.assertTrue(read_line(s).startswith("+OK"), (source, attempt))
                    # Not Sysop: text/name.can's "sysop~" would ban at the first failure.
                    s.sendall(b"USER guest\r\nPASS wrong%d\r\n" % attempt)
                    self.assertTrue(read_line(s).startswith("+OK"))
                    self.assertTrue(read_line(s).startswith("-ERR"))
        with connect_from(self.srv.ports["POP3Port"], "127.0.0.2") as s:
            self.assertEqual(read_line(s), "-ERR Access denied.\r\n")
        with connect_from(self.srv.ports["POP3Port"], "127.0.0.1") as s:
            self.assertTrue(read_line(s).startswith("+OK"))


class Fetchmail(Pop3Case):
    def run_fetchmail(self, ssl_port, keep):
        if not shutil.which("fetchmail"):
            self.skipTest("fetchmail not installed")
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp, True)
        out = os.path.join(tmp, "mbox")
        mda = os.path.join(tmp, "mda.sh")
        with open(mda, "w") as f:
            f.write("#!/bin/sh\ncat >> '%s'\nprintf '\\n=====\\n' >> '%s'\n" % (out, out))
        os.chmod(mda, 0o755)
        rc = os.path.join(tmp, "fetchmailrc")
        port = self.srv.ports["TLSPOP3Port" if ssl_port else "POP3Port"]
        with open(rc, "w") as f:
            f.write("poll 127.0.0.1 protocol pop3 port %d\n  user \"Sysop\" password \"SYSOP-PASS\"\n"
                    "  mda \"%s\" %s %s\n" % (port, mda, "keep" if keep else "nokeep",
                                             "ssl no sslcertck" if ssl_port else "sslproto ''"))
        os.chmod(rc, 0o600)
        env = dict(os.environ, HOME=tmp, FETCHMAILHOME=tmp)
        r = subprocess.run(["fetchmail", "-f", rc, "--nodetach", "--nosyslog"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
        self.assertIn(r.returncode, (0,), r.stdout)
        with open(out, "rb") as f:
            return f.read()

    def test_fetchmail_plain_keep(self):
        """POP3-88 POP3-98: fetchmail (keep) gets the body; messages stay, marked read"""
        self.server()
        self.deliver([("fm1", b"fetch me\r\n", "")])
        got = self.run_fetchmail(False, keep=True)
        self.assertIn(b"fetch me", got)
        m = self.mail_base()[0]
        self.assertTrue(m.attr & smbdump.ATTR_READ)
        self.assertFalse(m.attr & smbdump.ATTR_DELETE)

    def test_fetchmail_ssl_nokeep(self):
        """POP3-15 POP3-100: fetchmail over the TLS port without keep deletes what it fetched"""
        self.server()
        self.deliver([("fm2", b"fetch and delete\r\n", "")])
        got = self.run_fetchmail(True, keep=False)
        self.assertIn(b"fetch and delete", got)
        self.assertTrue(self.mail_base()[0].attr & smbdump.ATTR_DELETE)


if __name__ == "__main__":
    unittest.main()
