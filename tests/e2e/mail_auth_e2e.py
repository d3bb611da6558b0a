"""What the inbound mail-authentication e2e tests (SPF, DKIM/DMARC) share: a
server whose resolver asks a dnsmasq of the test's records, and the stored
messages read back over POP3 RETR with their Authentication-Results of ours."""
import email
import email.policy
import poplib

import dns_namespace
from e2e_common import LOCAL_ONLY, ServerCase

USER = "sysop@testbbs.example"
AUTHSERV = "mail.testbbs.example"          # ctrl/sbbs.ini [Global] HostName
ATTR_SPAM = 0x4000


class MailAuthCase(ServerCase):
    RECORDS = []                           # dnsmasq config lines
    LOCAL = ()                             # domains dnsmasq answers NXDOMAIN under

    def start(self, mail=None):
        dns = dns_namespace.Dnsmasq(self.RECORDS, self.LOCAL)
        self.addCleanup(dns.stop)
        dns_namespace.start_server(self, dns.addr, LOCAL_ONLY, mail)

    def retrieve(self):
        """Every message in the Sysop's mailbox as POP3 RETR gives it, parsed."""
        p = poplib.POP3("127.0.0.1", self.srv.ports["POP3Port"], timeout=10)
        self.addCleanup(p.close)
        p.user("Sysop")
        p.pass_("SYSOP-PASS")
        out = []
        for i in range(1, len(p.list()[1]) + 1):
            out.append(email.message_from_bytes(b"\r\n".join(p.retr(i)[1]) + b"\r\n", policy=email.policy.compat32))
        p.quit()
        return out

    def ours(self, msg):
        """Our Authentication-Results values, unfolded."""
        return [" ".join(v.split()) for v in msg.get_all("Authentication-Results", [])
                if v.strip().startswith(AUTHSERV + ";")]
