"""End-to-end BINARYMIME (RFC 3030 section 3) against the real binary: a
message with a binary attachment (NULs, bare CR and LF, every octet value)
sent by hand with BODY=BINARYMIME over BDAT (smtplib and this swaks have no
BDAT), read back over POP3 RETR and parsed with Python's email package: the
attachment decodes to exactly the octets sent. Also the sequence rule: DATA
after BODY=BINARYMIME gets 503."""
import email
import email.policy
import poplib
import unittest

from e2e_common import ServerCase
from harness import read_line
import smbdump

ENVELOPE = b"MAIL FROM:<alice@example.org> BODY=BINARYMIME\r\nRCPT TO:<sysop@testbbs.example>\r\n"
OCTETS = b"\x00\r\n\r\r\n\n\x01--b\r\n" + bytes(range(256)) * 64 + b"\x00tail\r"


def bdat(text, size):
    out = b""
    for pos in range(0, len(text), size):
        part = text[pos:pos + size]
        out += b"BDAT %d%s\r\n" % (len(part), b" LAST" if pos + size >= len(text) else b"") + part
    return out


def replies(sock, n):
    out = []
    while len(out) < n:
        line = read_line(sock)
        if not line:
            break
        if line[3:4] != "-":
            out.append(line.rstrip("\r\n"))
    return out


def binary_message(subject, attachment):
    return (b"From: Alice <alice@example.org>\r\nTo: sysop@testbbs.example\r\nSubject: " + subject + b"\r\n"
            b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
            b"This is a MIME message.\r\n"
            b"--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            b"Gr\xc3\xbc\xc3\x9fe, see the attachment.\r\n"
            b"--b\r\nContent-Type: application/octet-stream\r\n"
            b"Content-Disposition: attachment; filename=\"blob.bin\"\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
            attachment + b"\r\n--b--\r\n")


class BinaryMime(ServerCase):
    def session(self, wire, n):
        with self.srv.connect("SMTPPort") as s:
            self.assertTrue(read_line(s).startswith("220"))
            s.sendall(b"EHLO client.example.org\r\n" + wire)
            return replies(s, n + 1)[1:]

    def retrieve_all(self):
        p = poplib.POP3("127.0.0.1", self.srv.ports["POP3Port"], timeout=10)
        self.addCleanup(p.close)
        p.user("Sysop")
        p.pass_("SYSOP-PASS")
        count, _ = p.stat()
        msgs = [email.message_from_bytes(b"\r\n".join(p.retr(i + 1)[1]) + b"\r\n", policy=email.policy.default)
                for i in range(count)]
        p.quit()
        return msgs

    def test_binary_attachment_round_trip_through_pop3(self):
        """RFC3030-3 RFC3030-1: EHLO offers BINARYMIME; a binary attachment sent by BDAT in chunks that cut it comes back over POP3 RETR decoding to the exact octets, the text part as sent, the conversion noted and logged"""
        self.server()
        smtp = self.smtp()
        smtp.ehlo("client.example.org")
        self.assertTrue(smtp.has_extn("binarymime"), smtp.esmtp_features)
        self.assertTrue(smtp.has_extn("chunking"), smtp.esmtp_features)
        smtp.quit()
        text = binary_message(b"binary", OCTETS)
        wire = ENVELOPE + bdat(text, 4093) + b"QUIT\r\n"
        chunks = wire.count(b"BDAT ")
        got = self.session(wire, 3 + chunks)
        self.assertEqual([r[:3] for r in got], ["250"] * (2 + chunks) + ["221"], got)
        self.assertTrue(self.srv.wait_output(r"BINARYMIME: 1 part\(s\) converted to base64"), self.srv.output[-2000:])
        stored = self.mail_base()
        self.assertEqual(len(stored), 1)
        self.assertNotIn(b"\x00", stored[0].body)
        [msg] = self.retrieve_all()
        self.assertTrue(msg["X-MIME-Autoconverted"].startswith("from binary to base64 by "), msg["X-MIME-Autoconverted"])
        parts = list(msg.iter_parts())
        self.assertEqual(len(parts), 2)
        self.assertEqual(parts[0].get_content(), "Gr\u00fc\u00dfe, see the attachment.")
        self.assertEqual(parts[1].get_filename(), "blob.bin")
        self.assertEqual(parts[1]["Content-Transfer-Encoding"], "base64")
        self.assertEqual(parts[1].get_payload(decode=True), OCTETS)
        self.assertEqual(msg.defects, [])

    def test_single_part_binary_body_round_trip(self):
        """RFC3030-3: a message whose whole body is binary (no multipart) and ends without a line end comes back decoding to the exact octets"""
        self.server()
        text = (b"From: Alice <alice@example.org>\r\nTo: sysop@testbbs.example\r\nSubject: whole\r\n"
                b"MIME-Version: 1.0\r\nContent-Type: image/x-raw\r\nContent-Transfer-Encoding: binary\r\n\r\n" + OCTETS)
        got = self.session(ENVELOPE + bdat(text, len(text)) + b"QUIT\r\n", 4)
        self.assertEqual([r[:3] for r in got], ["250", "250", "250", "221"], got)
        [msg] = self.retrieve_all()
        self.assertEqual(msg.get_content_type(), "image/x-raw")
        self.assertEqual(msg["Content-Transfer-Encoding"], "base64")
        self.assertEqual(msg.get_payload(decode=True), OCTETS)

    def test_data_after_binarymime_and_refusals(self):
        """RFC3030-3 SMTP-95: DATA after MAIL BODY=BINARYMIME gets 503 5.5.1 (RSET then clears it); a base64 part holding binary octets gets 554 5.6.5; other BODY= values still pass unchecked"""
        self.server()
        got = self.session(ENVELOPE + b"DATA\r\nRSET\r\nMAIL FROM:<alice@example.org> BODY=FOO\r\nQUIT\r\n", 6)
        self.assertEqual(got, ["250 2.1.0 OK", "250 2.1.5 OK",
                               "503 5.5.1 Bad sequence of commands: BODY=BINARYMIME requires BDAT",
                               "250 2.0.0 OK", "250 2.1.0 OK", got[5]])
        bad = (b"From: Alice <alice@example.org>\r\nSubject: bad\r\nContent-Type: image/png\r\n"
               b"Content-Transfer-Encoding: base64\r\n\r\niVBOR\x00w0KGgo=\r\n")
        got = self.session(ENVELOPE + bdat(bad, len(bad)) + b"QUIT\r\n", 4)
        self.assertEqual(got[2], "554 5.6.5 Conversion failed: a part labelled base64 holds binary octets")
        self.assertEqual(self.mail_base(), [])


if __name__ == "__main__":
    unittest.main()
