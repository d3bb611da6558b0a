"""Issue #17 item 4: `sbbsmail --status` against a running server (and a
stopped one), and the Prometheus GET /metrics endpoint scraped with urllib
and parsed as text exposition format 0.0.4."""
import os
import poplib
import re
import socket
import unittest
import urllib.error
import urllib.request

from e2e_common import ServerCase, message
from harness import eventually, free_port, run_cli

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$')


def parse_exposition(text):
    """{family: type} and [(name, labels, value)]; fails on any malformed line."""
    types, samples = {}, []
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            types[name] = kind
        elif line.startswith("#") or not line:
            continue
        else:
            m = SAMPLE.match(line)
            if not m:
                raise AssertionError("not an exposition line: %r" % line)
            samples.append((m.group(1), m.group(2) or "", float(m.group(3))))
    return types, samples


def value(samples, name, labels=""):
    for n, l, v in samples:
        if n == name and l == labels:
            return v
    raise AssertionError("no sample %s%s" % (name, labels))


class StatusCase(ServerCase):
    def status(self):
        return run_cli(["--ctrl", self.srv.install.ctrl, "--status"])

    def send_one(self, subject="status"):
        s = self.smtp()
        s.ehlo("client.example.org")
        s.sendmail("alice@example.org", ["sysop@testbbs.example"], message(subject, b"hello\r\n"))
        s.quit()

    def test_status_while_running_and_after_stop(self):
        """ISSUE17-4a --status prints counters of the running server; exit 3 once it stopped"""
        self.server()
        self.send_one()
        self.assertTrue(eventually(lambda: "accepted=1" in self.status().stdout, timeout=10))
        r = self.status()
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertRegex(r.stdout, r"sessions smtp=\d+ submission=\d+ submissions=\d+ pop3=\d+ pop3s=\d+")
        self.assertIn("refused=0", r.stdout)
        self.assertRegex(r.stdout, r"uptime \d+ s")
        # A refused recipient shows as refused.
        s = self.smtp()
        s.ehlo("client.example.org")
        s.mail("alice@example.org")
        self.assertEqual(s.rcpt("nobody-here@testbbs.example")[0], 550)
        s.quit()
        self.assertTrue(eventually(lambda: "refused=1" in self.status().stdout, timeout=10))
        self.srv.stop()
        r = self.status()
        self.assertEqual(r.returncode, 3, r.stdout)
        self.assertIn("not running", r.stdout)

    def test_status_stale_file_of_a_dead_process(self):
        """ISSUE17-4b a status file left by a killed server: --status says not running (exit 3)"""
        self.server()
        eventually(lambda: os.path.exists(self.srv.install.path("data", "sbbsmail.status")), timeout=10)
        self.srv.proc.kill()
        self.srv.proc.wait(5)
        self.assertTrue(os.path.exists(self.srv.install.path("data", "sbbsmail.status")))
        r = self.status()
        self.assertEqual(r.returncode, 3, r.stdout)
        self.assertIn("is gone", r.stdout)


class MetricsCase(ServerCase):
    def scrape(self, path="/metrics"):
        url = "http://127.0.0.1:%d%s" % (self.port, path)
        with urllib.request.urlopen(url, timeout=10) as resp:
            self.assertEqual(resp.status, 200)
            self.assertTrue(resp.headers["Content-Type"].startswith("text/plain; version=0.0.4"))
            return parse_exposition(resp.read().decode("utf-8"))

    def check_histogram(self, types, samples, name):
        self.assertEqual(types[name], "histogram")
        buckets = [(l, v) for n, l, v in samples if n == name + "_bucket"]
        self.assertEqual(buckets[-1][0], '{le="+Inf"}')
        counts = [v for _, v in buckets]
        self.assertEqual(counts, sorted(counts), "buckets must be cumulative")
        self.assertEqual(counts[-1], value(samples, name + "_count"))
        return counts[-1]

    def test_scrape_parse_and_counters_grow(self):
        """ISSUE17-4c GET /metrics: names, TYPE lines, monotonic histograms, counters grow after mail and RETR"""
        self.port = free_port()
        self.server(mail={"MetricsPort": str(self.port)})
        types, samples = self.scrape()
        for name in ("sbbsmail_messages_accepted_total", "sbbsmail_messages_delivered_total",
                     "sbbsmail_messages_bounced_total", "sbbsmail_messages_refused_total"):
            self.assertEqual(types[name], "counter")
        for name in ("sbbsmail_smtp_sessions", "sbbsmail_pop3_sessions", "sbbsmail_sendmail_queue_length"):
            self.assertEqual(types[name], "gauge")
        before = value(samples, "sbbsmail_messages_accepted_total")
        accept_before = self.check_histogram(types, samples, "sbbsmail_accept_latency_seconds")
        s = self.smtp()
        s.ehlo("client.example.org")
        s.sendmail("alice@example.org", ["sysop@testbbs.example"], message("metrics", b"hi\r\n"))
        s.quit()
        p = poplib.POP3("127.0.0.1", self.srv.ports["POP3Port"], timeout=10)
        p.user("Sysop")
        p.pass_("SYSOP-PASS")
        p.retr(1)
        types, samples = self.scrape()   # the POP3 session is still open here
        self.assertEqual(value(samples, "sbbsmail_pop3_sessions"), 1)
        p.quit()
        self.assertEqual(value(samples, "sbbsmail_messages_accepted_total"), before + 1)
        self.assertEqual(self.check_histogram(types, samples, "sbbsmail_accept_latency_seconds"), accept_before + 1)
        self.assertEqual(self.check_histogram(types, samples, "sbbsmail_pop3_retr_latency_seconds"), 1)
        self.check_histogram(types, samples, "sbbsmail_outbound_delivery_latency_seconds")

    def test_only_get_metrics_and_bounded_requests(self):
        """ISSUE17-4d other paths get 404, an endless request head is cut off, the endpoint keeps serving"""
        self.port = free_port()
        self.server(mail={"MetricsPort": str(self.port)})
        with self.assertRaises(urllib.error.HTTPError) as e:
            urllib.request.urlopen("http://127.0.0.1:%d/" % self.port, timeout=10)
        self.assertEqual(e.exception.code, 404)
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as c:
            c.sendall(b"GET /metrics HTTP/1.1\r\n" + b"X: " + b"y" * 8000 + b"\r\n")
            reply = c.recv(4096)
        self.assertTrue(reply.startswith(b"HTTP/1.1 431"), reply)
        self.scrape()

    def test_metrics_off_by_default(self):
        """ISSUE17-4e MetricsPort 0 (the default): no endpoint, but the status file is kept"""
        self.server(mail={"MetricsPort": "0"})
        self.assertTrue(eventually(lambda: os.path.exists(self.srv.install.path("data", "sbbsmail.status")), timeout=10))
        self.assertNotIn("Metrics endpoint", self.srv.output)


class MetricsConfigCase(ServerCase):
    def test_bad_metrics_interface_is_named_by_check(self):
        """ISSUE17-4f --check names the file and line of a MetricsInterface that is not an IP address"""
        from harness import Install
        inst = Install()
        self.addCleanup(inst.cleanup)
        inst.set_ini("Mail", "MetricsInterface", "localhost.example")
        inst.set_ini("Mail", "MetricsPort", "70000")
        r = run_cli(["--ctrl", inst.ctrl, "--check"])
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("sbbs.ini:%d: MetricsInterface" % inst.line_of("MetricsInterface"), r.stdout)
        self.assertIn("sbbs.ini:%d: " % inst.line_of("MetricsPort"), r.stdout)


if __name__ == "__main__":
    unittest.main()
